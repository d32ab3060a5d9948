/* client_cmd.c — CLIENT (ID GETNAME SETNAME INFO LIST KILL REPLY NO-EVICT
 * HELP) and clientInfoString, the CLIENT LIST / CLIENT INFO line.
 *
 * Reaching other clients: they are found on the clients list under
 * clientsLock (networking.c unlinks a client under that lock before closing
 * its fd, so anything found there stays alive until the lock is released).
 * Only the fields server.h marks "shared" are theirs to read safely; the
 * line also shows fields only the owning G writes (db, buffers, flags, the
 * last command, and addr/laddr, which networking.c fills in just after
 * publishing the client). Those are copied in one RACY_READS block (see
 * server_cmds.h): each is a single aligned word (or a fixed buffer), so the
 * value may be a moment old but is never torn; the only pointer followed is
 * the last command's cmdDef, which is static. The caller's own client is
 * read directly, and only for it are the running command and its
 * arguments shown (argv-mem, cmd=client|list), as in Redis.
 *
 * The line is Redis 7.0's, field for field:
 *   id addr laddr fd name age idle flags db sub psub ssub multi qbuf
 *   qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd
 *   user redir resp
 * roost has no MULTI, tracking or reply-list yet, so multi is -1, oll is 0, redir is -1 and user is always "default";
 * rbs/rbp report the single output buffer's capacity and the bytes pending.
 *
 * Killing: other clients are killed with killClient (marks them and evicts
 * their fd; their own G closes them). A client that kills itself is not
 * evicted (that would lose the reply): it gets its reply and closes after
 * it, as in Redis.
 *
 * roost extension: CLIENT KILL MAXAGE <seconds> (Redis 7.4) kills clients
 * connected for more than that many seconds; Redis 7.0 answers it with a
 * syntax error.
 */
#include "server/server_cmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* flagsString's own bit for "blocked" (c->bwait is set): not a client flag */
#define CLIENT_SHOWN_BLOCKED (1u << 31)

/* client types, as CLIENT LIST TYPE / CLIENT KILL TYPE name them */
enum { CT_NORMAL, CT_REPLICA, CT_PUBSUB, CT_MASTER };

static int clientTypeByName(const char *s, size_t len) {
    if (len == 6 && !strncasecmp(s, "normal", 6)) return CT_NORMAL;
    if (len == 5 && !strncasecmp(s, "slave", 5)) return CT_REPLICA;
    if (len == 7 && !strncasecmp(s, "replica", 7)) return CT_REPLICA;
    if (len == 6 && !strncasecmp(s, "pubsub", 6)) return CT_PUBSUB;
    if (len == 6 && !strncasecmp(s, "master", 6)) return CT_MASTER;
    return -1;
}

/* clientType: roost has no replicas or masters yet, so a client is a
 * pub/sub one while subscribed to something (CLIENT_PUBSUB, pubsub.c) and
 * a normal one otherwise (MONITOR ones included, as in Redis). */
static int clientType(const client *c) {
    RACY_READS_BEGIN();
    uint32_t flags = LD(c->flags);
    RACY_READS_END();
    return (flags & CLIENT_PUBSUB) ? CT_PUBSUB : CT_NORMAL;
}

bool clientIsLocal(const client *c) {
    if (c->flags & CLIENT_UNIX_SOCKET) return true;   /* only ever asked about the caller */
    return !strncmp(c->addr, "127.", 4) || !strncmp(c->addr, "::1:", 4);
}

/* ---- the CLIENT LIST line ------------------------------------------------------------ */

typedef struct lineBuf {
    char *p;
    size_t len, cap;
} lineBuf;

static void lbPrintf(lineBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lbPrintf(lineBuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(b->p + b->len, room, fmt, ap);
    va_end(ap);
    if (n > 0) b->len += (size_t)n;
}

static void flagsString(uint32_t f, char *out) {
    char *p = out;
    if (f & CLIENT_MONITOR) *p++ = 'O';
    if (f & CLIENT_PUBSUB) *p++ = 'P';
    if (f & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (f & CLIENT_KILLED) *p++ = 'A';
    if (f & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (f & CLIENT_NO_EVICT) *p++ = 'e';
    if (f & CLIENT_MULTI) *p++ = 'x';
    if (f & CLIENT_SHOWN_BLOCKED) *p++ = 'b';
    if (p == out) *p++ = 'N';
    *p = '\0';
}

/* catClientInfo writes c's line; `self` says c is the client running the
 * current command (its arguments and current command are then reported,
 * and only then may they be read). */
static size_t catClientInfo(client *c, bool self, char *buf, size_t cap) {
    int64_t now = mstime() / 1000;
    char addr[64], laddr[64];
    RACY_READS_BEGIN();
    uint32_t flags = LD(c->flags);
    if (LD(c->bwait)) flags |= CLIENT_SHOWN_BLOCKED;
    size_t qlen = LD(c->qlen), qpos = LD(c->qpos), qcap = LD(c->qcap);
    size_t olen = LD(c->olen), ocap = LD(c->ocap);
    int db = LD(c->db), resp = LD(c->resp), argvcap = LD(c->argvcap), multi = LD(c->multiLen);
    cmdDef *cmd = self ? c->cmd : LD(c->lastcmd);
    memcpy(addr, c->addr, sizeof addr);
    memcpy(laddr, c->laddr, sizeof laddr);
    RACY_READS_END();
    addr[sizeof addr - 1] = laddr[sizeof laddr - 1] = '\0';
    size_t argvMem = 0;
    if (self) {   /* only a client mid-command has arguments; that is us */
        for (int i = 0; i < c->argc; i++) argvMem += c->argvlen[i];
    }
    size_t qbuf = qlen > qpos ? qlen - qpos : 0;
    size_t qfree = qcap > qlen ? qcap - qlen : 0;
    size_t totMem = sizeof(client) + qcap + ocap + (size_t)argvcap * 24 + argvMem;
    char fl[16];
    flagsString(flags, fl);
    int64_t idle = now - atomic_load_explicit(&c->lastInteraction, memory_order_relaxed);
    lineBuf b = { buf, 0, cap };
    lbPrintf(&b, "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d "
                 "sub=%d psub=%d ssub=%d multi=%d qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=0 "
                 "rbs=%zu rbp=%zu obl=%zu oll=0 omem=0 tot-mem=%zu events=r%s cmd=%s "
                 "user=default redir=-1 resp=%d",
             (unsigned long long)c->id, addr, laddr, rtFdSysfd(c->fd), c->name,
             (long long)(now - c->ctime), (long long)(idle > 0 ? idle : 0), fl, db,
             atomic_load(&c->nsub), atomic_load(&c->npsub), atomic_load(&c->nssub),   /* pubsub.c */
             multi,
             qbuf, qfree, argvMem, ocap, olen, olen, totMem, olen ? "w" : "",
             cmd ? cmd->fullname : "NULL", resp);
    return b.len < cap ? b.len : (cap ? cap - 1 : 0);
}

/* clientInfoString: the line of any client, reading only what is safe to
 * read from another G (the last command, not the one running). The
 * family's handlers use catClientInfo to describe their own client. */
size_t clientInfoString(client *c, char *buf, size_t cap) {
    return catClientInfo(c, false, buf, cap);
}

/* ---- CLIENT LIST / INFO ----------------------------------------------------------------- */

#define LINE_MAX_LEN 1024

/* appendLine adds c's line and a newline to a growing zmalloc'd text. */
static void appendLine(lineBuf *out, client *c, client *me) {
    if (out->cap - out->len < LINE_MAX_LEN + 2) {
        out->cap = out->cap * 2 + LINE_MAX_LEN + 2;
        out->p = zrealloc(out->p, out->cap);
    }
    out->len += catClientInfo(c, c == me, out->p + out->len, LINE_MAX_LEN);
    out->p[out->len++] = '\n';
}

static client *clientsTailLocked(void) {
    client *t = clientsHead;
    while (t && t->next) t = t->next;
    return t;
}

static void clientListCommand(client *c) {
    int type = -1;
    long long *ids = NULL;
    int nids = 0;
    if (c->argc == 4 && argEq(c, 2, "type")) {
        type = clientTypeByName(c->argv[3], c->argvlen[3]);
        if (type < 0) {
            addReplyErrorFormat(c, "Unknown client type '%s'", c->argv[3]);
            return;
        }
    } else if (c->argc > 3 && argEq(c, 2, "id")) {
        ids = zmalloc(sizeof(long long) * (size_t)(c->argc - 3));
        for (int j = 3; j < c->argc; j++) {
            if (!getLongLongFromArgOrReply(c, j, &ids[nids++], "Invalid client ID")) {
                zfree(ids);
                return;
            }
        }
    } else if (c->argc != 2) {
        addReplyErrorSyntax(c);
        return;
    }
    lineBuf out = { NULL, 0, 0 };
    rtLockAcquire(&clientsLock);
    if (ids) {   /* in argument order, as Redis answers */
        for (int j = 0; j < nids; j++)
            for (client *o = clientsHead; o; o = o->next)
                if ((long long)o->id == ids[j]) { appendLine(&out, o, c); break; }
    } else {     /* oldest first: the list is newest first */
        for (client *o = clientsTailLocked(); o; o = o->prev)
            if (type < 0 || clientType(o) == type) appendLine(&out, o, c);
    }
    rtLockRelease(&clientsLock);
    addReplyVerbatim(c, out.p ? out.p : "", out.len, "txt");
    zfree(out.p);
    zfree(ids);
}

static void clientInfoCommand(client *c) {
    char line[LINE_MAX_LEN + 1];
    size_t n = catClientInfo(c, true, line, LINE_MAX_LEN);
    line[n++] = '\n';
    addReplyVerbatim(c, line, n, "txt");
}

/* ---- CLIENT KILL ------------------------------------------------------------------------ */

typedef struct killFilter {
    const char *addr, *laddr;   /* NUL-terminated argv, or NULL */
    long long id;               /* 0 = any */
    int type;                   /* -1 = any */
    long long maxage;           /* 0 = any */
    bool skipme;
} killFilter;

static bool killMatches(const killFilter *f, client *o, client *me, int64_t now) {
    if (f->addr && strcmp(o->addr, f->addr) != 0) return false;
    if (f->laddr && strcmp(o->laddr, f->laddr) != 0) return false;
    if (f->id && (long long)o->id != f->id) return false;
    if (f->type >= 0 && clientType(o) != f->type) return false;
    if (f->maxage && now - o->ctime <= f->maxage) return false;
    if (f->skipme && o == me) return false;
    return true;
}

/* killParseFilters reads the new form's "<option> <value>" pairs; false after
 * replying an error. */
static bool killParseFilters(client *c, killFilter *f) {
    for (int i = 2; i < c->argc; i += 2) {
        int v = i + 1;
        if (argEq(c, i, "id")) {
            long long id;
            if (!getLongLongFromArg(c, v, &id) || id < 1) {
                addReplyError(c, "client-id should be greater than 0");
                return false;
            }
            f->id = id;
        } else if (argEq(c, i, "type")) {
            f->type = clientTypeByName(c->argv[v], c->argvlen[v]);
            if (f->type < 0) {
                addReplyErrorFormat(c, "Unknown client type '%s'", c->argv[v]);
                return false;
            }
        } else if (argEq(c, i, "addr")) {
            f->addr = c->argv[v];
        } else if (argEq(c, i, "laddr")) {
            f->laddr = c->argv[v];
        } else if (argEq(c, i, "user")) {
            if (!argEq(c, v, "default")) {   /* roost has one user */
                addReplyErrorFormat(c, "No such user '%s'", c->argv[v]);
                return false;
            }
        } else if (argEq(c, i, "skipme")) {
            if (argEq(c, v, "yes")) f->skipme = true;
            else if (argEq(c, v, "no")) f->skipme = false;
            else {
                addReplyErrorSyntax(c);
                return false;
            }
        } else if (argEq(c, i, "maxage")) {   /* roost extension (Redis 7.4) */
            long long age;
            if (!getLongLongFromArgOrReply(c, v, &age, NULL)) return false;
            if (age <= 0) {
                addReplyErrorSyntax(c);
                return false;
            }
            f->maxage = age;
        } else {
            addReplyErrorSyntax(c);
            return false;
        }
    }
    return true;
}

static void clientKillCommand(client *c) {
    killFilter f = { NULL, NULL, 0, -1, 0, true };
    bool oldForm = c->argc == 3;
    if (oldForm) {
        f.addr = c->argv[2];
        f.skipme = false;
    } else if (c->argc > 3 && c->argc % 2 == 0) {
        if (!killParseFilters(c, &f)) return;
    } else {
        addReplyErrorSyntax(c);
        return;
    }
    int64_t now = mstime() / 1000;
    long long killed = 0;
    bool killSelf = false;
    rtLockAcquire(&clientsLock);
    for (client *o = clientsHead; o; o = o->next) {
        if (o != c && atomic_load(&o->killFlag)) continue;   /* dying already: not counted twice */
        if (!killMatches(&f, o, c, now)) continue;
        if (o == c) killSelf = true;
        else killClient(o);
        killed++;
    }
    rtLockRelease(&clientsLock);
    if (oldForm) {
        if (killed == 0) {
            addReplyError(c, "No such client");
            return;
        }
        addReplyOK(c);
    } else {
        addReplyLongLong(c, killed);
    }
    if (killSelf) c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* ---- the small ones ----------------------------------------------------------------------- */

static void clientIdCommand(client *c) { addReplyLongLong(c, (long long)c->id); }

static void clientGetnameCommand(client *c) {
    if (c->name[0]) addReplyBulkCString(c, c->name);
    else addReplyNull(c);
}

static void clientSetnameCommand(client *c) {
    const char *p = c->argv[2];
    size_t len = c->argvlen[2];
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '!' || p[i] > '~') {
            addReplyError(c, "Client names cannot contain spaces, newlines or special characters.");
            return;
        }
    }
    clientSetName(c, p, len);
    addReplyOK(c);
}

static void clientReplyCommand(client *c) {
    if (argEq(c, 2, "on")) {
        c->flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        addReplyOK(c);
    } else if (argEq(c, 2, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (argEq(c, 2, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        addReplyErrorSyntax(c);
    }
}

static void clientNoEvictCommand(client *c) {
    if (argEq(c, 2, "on")) {
        c->flags |= CLIENT_NO_EVICT;
        addReplyOK(c);
    } else if (argEq(c, 2, "off")) {
        c->flags &= ~CLIENT_NO_EVICT;
        addReplyOK(c);
    } else {
        addReplyErrorSyntax(c);
    }
}

static void clientHelpCommand(client *c) {
    static const char *help[] = {
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        NULL };
    addReplyHelp(c, help);
}

/* ---- COMMAND DOCS arguments and the table ---------------------------------------------------- */

#define A_END { 0 }
static const cmdArg setnameArgs[] = { { "connection-name", ARG_STRING, NULL, 0, NULL, NULL }, A_END };
static const cmdArg listTypes[] = {
    { "normal", ARG_PURE_TOKEN, "NORMAL", 0, NULL, NULL },
    { "master", ARG_PURE_TOKEN, "MASTER", 0, NULL, NULL },
    { "replica", ARG_PURE_TOKEN, "REPLICA", 0, NULL, NULL },
    { "pubsub", ARG_PURE_TOKEN, "PUBSUB", 0, NULL, NULL }, A_END };
static const cmdArg listIds[] = { { "client-id", ARG_INTEGER, NULL, ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg listArgs[] = {
    { "normal_master_replica_pubsub", ARG_ONEOF, "TYPE", ARGF_OPTIONAL, listTypes, "5.0.0" },
    { "id", ARG_BLOCK, "ID", ARGF_OPTIONAL, listIds, "6.2.0" }, A_END };
static const cmdArg killTypes[] = {
    { "normal", ARG_PURE_TOKEN, "NORMAL", 0, NULL, NULL },
    { "master", ARG_PURE_TOKEN, "MASTER", 0, NULL, "3.2.0" },
    { "slave", ARG_PURE_TOKEN, "SLAVE", 0, NULL, NULL },
    { "replica", ARG_PURE_TOKEN, "REPLICA", 0, NULL, "5.0.0" },
    { "pubsub", ARG_PURE_TOKEN, "PUBSUB", 0, NULL, NULL }, A_END };
static const cmdArg killNew[] = {
    { "client-id", ARG_INTEGER, "ID", ARGF_OPTIONAL, NULL, "2.8.12" },
    { "normal_master_slave_pubsub", ARG_ONEOF, "TYPE", ARGF_OPTIONAL, killTypes, "2.8.12" },
    { "username", ARG_STRING, "USER", ARGF_OPTIONAL, NULL, NULL },
    { "ip:port", ARG_STRING, "ADDR", ARGF_OPTIONAL, NULL, NULL },
    { "ip:port", ARG_STRING, "LADDR", ARGF_OPTIONAL, NULL, "6.2.0" },
    { "yes/no", ARG_STRING, "SKIPME", ARGF_OPTIONAL, NULL, NULL },
    { "maxage", ARG_INTEGER, "MAXAGE", ARGF_OPTIONAL, NULL, "7.4.0" }, A_END };
static const cmdArg killFilterArgs[] = {
    { "ip:port", ARG_STRING, NULL, 0, NULL, NULL },
    { "new-format", ARG_ONEOF, NULL, ARGF_MULTIPLE, killNew, NULL }, A_END };
static const cmdArg killArgs[] = { { "filter", ARG_ONEOF, NULL, 0, killFilterArgs, NULL }, A_END };
static const cmdArg replyModes[] = {
    { "on", ARG_PURE_TOKEN, "ON", 0, NULL, NULL },
    { "off", ARG_PURE_TOKEN, "OFF", 0, NULL, NULL },
    { "skip", ARG_PURE_TOKEN, "SKIP", 0, NULL, NULL }, A_END };
static const cmdArg replyArgs[] = { { "on_off_skip", ARG_ONEOF, NULL, 0, replyModes, NULL }, A_END };
static const cmdArg onOff[] = {
    { "on", ARG_PURE_TOKEN, "ON", 0, NULL, NULL },
    { "off", ARG_PURE_TOKEN, "OFF", 0, NULL, NULL }, A_END };
static const cmdArg noEvictArgs[] = { { "enabled", ARG_ONEOF, NULL, 0, onOff, NULL }, A_END };

#define CLIENT_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define CLIENT_ADMIN (CMD_ADMIN | CLIENT_FLAGS)
#define SUB(nm, fn, ar, fl, sin, sum, cx, ag)                                                \
    { .name = nm, .proc = fn, .arity = ar, .flags = fl, .acl = "connection",               \
      .group = "connection", .since = sin, .summary = sum, .complexity = cx, .args = ag }

/* CLIENT UNBLOCK id [TIMEOUT|ERROR] */
static void clientUnblockCommand(client *c) {
    long long id;
    bool error = false;
    if (c->argc > 4) {
        addReplyError(c, "unknown subcommand or wrong number of arguments for 'UNBLOCK'. "
                         "Try CLIENT HELP.");
        return;
    }
    if (!getLongLongFromArgOrReply(c, 2, &id, NULL)) return;
    if (c->argc == 4) {
        if (argEq(c, 3, "error")) error = true;
        else if (!argEq(c, 3, "timeout")) {
            addReplyError(c, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    bool done = false;
    rtLockAcquire(&clientsLock);
    for (client *t = clientsHead; t; t = t->next) {
        if (t->id != (uint64_t)id) continue;
        done = blockingUnblock(t, error);
        break;
    }
    rtLockRelease(&clientsLock);
    addReplyLongLong(c, done);
}

static const cmdArg unblockHow[] = {
    { "timeout", ARG_PURE_TOKEN, "TIMEOUT", 0, NULL, NULL },
    { "error", ARG_PURE_TOKEN, "ERROR", 0, NULL, NULL }, A_END };
static const cmdArg unblockArgs[] = {
    { "client-id", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "unblock-type", ARG_ONEOF, NULL, ARGF_OPTIONAL, unblockHow, NULL }, A_END };

cmdDef clientSubcommands[] = {
    SUB("getname", clientGetnameCommand, 2, CLIENT_FLAGS, "2.6.9",
        "Returns the name of the connection.", "O(1)", NULL),
    SUB("help", clientHelpCommand, 2, CMD_LOADING | CMD_STALE, "5.0.0",
        "Returns helpful text about the different subcommands.", "O(1)", NULL),
    SUB("id", clientIdCommand, 2, CLIENT_FLAGS, "5.0.0", "Returns the unique client ID of the connection.",
        "O(1)", NULL),
    SUB("info", clientInfoCommand, 2, CLIENT_FLAGS, "6.2.0",
        "Returns information about the connection.", "O(1)", NULL),
    SUB("kill", clientKillCommand, -3, CLIENT_ADMIN, "2.4.0", "Terminates open connections.",
        "O(N) where N is the number of client connections", killArgs),
    SUB("list", clientListCommand, -2, CLIENT_ADMIN, "2.4.0", "Lists open connections.",
        "O(N) where N is the number of client connections", listArgs),
    SUB("no-evict", clientNoEvictCommand, 3, CLIENT_ADMIN, "7.0.0",
        "Sets the client eviction mode of the connection.", "O(1)", noEvictArgs),
    SUB("reply", clientReplyCommand, 3, CLIENT_FLAGS, "3.2.0",
        "Instructs the server whether to reply to commands.", "O(1)", replyArgs),
    SUB("unblock", clientUnblockCommand, -3, CLIENT_ADMIN, "5.0.0",
        "Unblocks a client blocked by a blocking command from a different connection.",
        "O(log N) where N is the number of client connections", unblockArgs),
    SUB("setname", clientSetnameCommand, 3, CLIENT_FLAGS, "2.6.9", "Sets the connection name.", "O(1)",
        setnameArgs),
    { 0 }
};
