/* t_hash.c — placeholder until the hash type lands. */
#include "server/server.h"

cmdDef hashCommands[] = { { 0 } };
