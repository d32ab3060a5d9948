/* keys.c — generic key commands (placeholder until the key family lands). */
#include "server/server.h"

cmdDef keyCommands[] = { { 0 } };
