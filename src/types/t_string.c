/* t_string.c — string commands (placeholder: GET and SET only; the full
 * family lands with the server-core work). */
#include "server/server.h"

static void getCommand(client *c) {
    kvobj *o = lookupReadOrReplyNull(c, 1);
    if (!o || !checkType(c, o, OBJ_STRING)) return;
    addReplyKvString(c, o);
}

static void setCommand(client *c) {
    setKey(c, 1, kvNewString(c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2], -1));
    addReplyOK(c);
}

cmdDef stringCommands[] = {
    { .name = "get", .proc = getCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
      .firstkey = 1, .lastkey = 1, .keystep = 1, .acl = "read string fast", .group = "string",
      .since = "1.0.0", .summary = "Returns the string value of a key.", .complexity = "O(1)" },
    { .name = "set", .proc = setCommand, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
      .firstkey = 1, .lastkey = 1, .keystep = 1, .acl = "write string slow", .group = "string",
      .since = "1.0.0", .summary = "Sets the string value of a key.", .complexity = "O(1)" },
    { 0 }
};
