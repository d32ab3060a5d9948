/* t_zset.c — placeholder until the zset type lands. */
#include "server/server.h"

cmdDef zsetCommands[] = { { 0 } };
