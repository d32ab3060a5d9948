/* t_set.c — placeholder until the set type lands. */
#include "server/server.h"

cmdDef setCommands[] = { { 0 } };
