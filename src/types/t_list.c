/* t_list.c — placeholder until the list type lands. */
#include "server/server.h"

cmdDef listCommands[] = { { 0 } };
