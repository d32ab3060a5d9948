/* conn.c — connection commands: PING ECHO QUIT SELECT AUTH HELLO RESET.
 * Replies and error texts as Redis 7.0. roost has one user, "default",
 * whose password is `requirepass` (no ACL users). */
#include "server/server.h"

#include <stdio.h>

static void pingCommand(client *c) {
    if (c->argc > 2) { addReplyErrorArity(c); return; }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) { pubsubPingReply(c); return; }   /* pubsub.c */
    if (c->argc == 1) addReplyProto(c, "+PONG\r\n", 7);
    else addReplyBulk(c, c->argv[1], c->argvlen[1]);
}

static void echoCommand(client *c) { addReplyBulk(c, c->argv[1], c->argvlen[1]); }

static void quitCommand(client *c) {
    addReplyOK(c);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

static void selectCommand(client *c) {
    long long id;
    if (!getLongLongFromArgOrReply(c, 1, &id, NULL)) return;
    if (id < 0 || id >= ks.ndb) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    c->db = (int)id;
    addReplyOK(c);
}

/* checkPassword: the default user's password check. */
static bool checkPassword(const char *user, size_t ulen, const char *pass, size_t plen) {
    if (ulen != 7 || memcmp(user, "default", 7) != 0) return false;
    const char *rp = cfg.requirepass ? cfg.requirepass : "";
    if (!rp[0]) return true;   /* nopass: any password works */
    size_t rl = strlen(rp);
    unsigned char diff = (unsigned char)(rl != plen);
    for (size_t i = 0; i < plen && i < rl; i++) diff |= (unsigned char)(rp[i] ^ pass[i]);
    return diff == 0;
}

static void authCommand(client *c) {
    if (c->argc > 3) { addReplyErrorSyntax(c); return; }
    if (c->argc == 2 && (!cfg.requirepass || !cfg.requirepass[0])) {
        addReplyError(c, "AUTH <password> called without any password configured for the "
                         "default user. Are you sure your configuration is correct?");
        return;
    }
    const char *user = c->argc == 3 ? c->argv[1] : "default";
    size_t ulen = c->argc == 3 ? c->argvlen[1] : 7;
    int pi = c->argc - 1;
    if (checkPassword(user, ulen, c->argv[pi], c->argvlen[pi])) {
        c->authenticated = true;
        addReplyOK(c);
    } else {
        addReplyError(c, "-WRONGPASS invalid username-password pair or user is disabled.");
    }
}

static void helloReply(client *c) {
    addReplyMapLen(c, 7);
    addReplyBulkCString(c, "server");
    addReplyBulkCString(c, "redis");
    addReplyBulkCString(c, "version");
    addReplyBulkCString(c, REDIS_VERSION);
    addReplyBulkCString(c, "proto");
    addReplyLongLong(c, c->resp);
    addReplyBulkCString(c, "id");
    addReplyLongLong(c, (long long)c->id);
    addReplyBulkCString(c, "mode");
    addReplyBulkCString(c, "standalone");
    addReplyBulkCString(c, "role");
    addReplyBulkCString(c, "master");
    addReplyBulkCString(c, "modules");
    addReplyArrayLen(c, 0);
}

static void helloCommand(client *c) {
    long long ver = 0;
    int next = 1;
    if (c->argc >= 2) {
        if (!getLongLongFromArgOrReply(c, 1, &ver, "Protocol version is not an integer or out of range"))
            return;
        next = 2;
        if (ver < 2 || ver > 3) {
            addReplyError(c, "-NOPROTO unsupported protocol version");
            return;
        }
    }
    const char *setname = NULL;
    size_t setnameLen = 0;
    for (int j = next; j < c->argc; j++) {
        int more = c->argc - j - 1;
        if (argEq(c, j, "AUTH") && more >= 2) {
            if (!checkPassword(c->argv[j + 1], c->argvlen[j + 1], c->argv[j + 2], c->argvlen[j + 2])) {
                addReplyError(c, "-WRONGPASS invalid username-password pair or user is disabled.");
                return;
            }
            c->authenticated = true;
            j += 2;
        } else if (argEq(c, j, "SETNAME") && more >= 1) {
            setname = c->argv[j + 1];
            setnameLen = c->argvlen[j + 1];
            for (size_t k = 0; k < setnameLen; k++) {
                if (setname[k] < '!' || setname[k] > '~') {
                    addReplyError(c, "Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
            }
            j++;
        } else {
            addReplyErrorFormat(c, "Syntax error in HELLO option '%s'", c->argv[j]);
            return;
        }
    }
    if (!c->authenticated) {
        addReplyError(c, "-NOAUTH HELLO must be called with the client already authenticated, "
                         "otherwise the HELLO AUTH <user> <pass> option can be used to "
                         "authenticate the client and select the RESP protocol version at the same time");
        return;
    }
    if (setname) clientSetName(c, setname, setnameLen);
    if (ver) c->resp = (int)ver;
    helloReply(c);
}

static void resetCommand(client *c) {
    multiFreeClient(c);           /* discard any transaction, unwatch all */
    c->db = 0;
    c->resp = 2;
    c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT | CLIENT_NO_EVICT);
    c->authenticated = !cfg.requirepass || !cfg.requirepass[0];
    clientSetName(c, "", 0);
    pubsubResetClient(c);   /* pub/sub: leave every channel and pattern silently */
    addReplyStatus(c, "RESET");
}

static const cmdArg pingArgs[] = { { "message", ARG_STRING, NULL, ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg echoArgs[] = { { "message", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg selectArgs[] = { { "index", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg authArgs[] = {
    { "username", ARG_STRING, NULL, ARGF_OPTIONAL, NULL, "6.0.0" },
    { "password", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg helloAuthArgs[] = {
    { "username", ARG_STRING, NULL, 0, NULL, NULL },
    { "password", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg helloBlock[] = {
    { "protover", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "username_password", ARG_BLOCK, "AUTH", ARGF_OPTIONAL, helloAuthArgs, NULL },
    { "clientname", ARG_STRING, "SETNAME", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg helloArgs[] = {
    { "arguments", ARG_BLOCK, NULL, ARGF_OPTIONAL, helloBlock, NULL }, { 0 } };

#define CONN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY)

cmdDef connCommands[] = {
    { "ping", pingCommand, -1, CMD_FAST, 0, 0, 0, NULL, "fast connection", "connection", "1.0.0",
      "Returns the server's liveliness response.", "O(1)", pingArgs, NULL, 0, NULL, "" },
    { "echo", echoCommand, 2, CMD_FAST | CMD_LOADING | CMD_STALE, 0, 0, 0, NULL, "fast connection", "connection", "1.0.0",
      "Returns the given string.", "O(1)", echoArgs, NULL, 0, NULL, "" },
    { "quit", quitCommand, -1, CONN_FLAGS, 0, 0, 0, NULL, "fast connection", "connection", "1.0.0",
      "Closes the connection.", "O(1)", NULL, NULL, 0, NULL, "" },
    { "select", selectCommand, 2, CMD_LOADING | CMD_STALE | CMD_FAST, 0, 0, 0, NULL,
      "fast connection", "connection", "2.0.0", "Changes the selected database.", "O(1)",
      selectArgs, NULL, 0, NULL, "" },
    { "auth", authCommand, -2, CONN_FLAGS, 0, 0, 0, NULL, "fast connection", "connection", "1.0.0",
      "Authenticates the connection.", "O(N) where N is the number of passwords defined for the user",
      authArgs, NULL, 0, NULL, "" },
    { "hello", helloCommand, -1, CONN_FLAGS, 0, 0, 0, NULL, "fast connection", "connection", "6.0.0",
      "Handshakes with the Redis server.", "O(1)", helloArgs, NULL, 0, NULL, "" },
    { "reset", resetCommand, 1, CONN_FLAGS, 0, 0, 0, NULL, "fast connection", "connection", "6.2.0",
      "Resets the connection.", "O(1)", NULL, NULL, 0, NULL, "" },
    { 0 }
};
