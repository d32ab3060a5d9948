/* server_cmds.c — server commands (placeholder until the family lands). */
#include "server/server.h"

void slowlogCommand(client *c);

cmdDef serverCommands[] = {
    { .name = "slowlog", .proc = slowlogCommand, .arity = -2, .flags = CMD_ADMIN | CMD_LOADING | CMD_STALE,
      .acl = "admin slow dangerous", .group = "server", .since = "2.2.12",
      .summary = "A container for slow log commands.", .complexity = "Depends on subcommand." },
    { 0 }
};
