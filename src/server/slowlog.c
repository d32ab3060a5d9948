/* slowlog.c — SLOWLOG: a bounded list of the commands that took longer than
 * slowlog-log-slower-than microseconds (Redis's format: id, unix time,
 * duration in µs, up to 32 arguments each cut to 128 bytes, client address,
 * client name). Newest first. One lock; it is taken only for slow commands
 * and SLOWLOG itself, never on the fast path.
 *
 * Secrets (AUTH passwords, sensitive CONFIG SET values) are logged as
 * "(redacted)", as Redis does.
 *
 * SLOWLOG is a container (GET, LEN, RESET, HELP) so COMMAND INFO lists its
 * subcommands with their own flags, as Redis 7.0 does. */
#include "server/server_cmds.h"

#include <stdio.h>
#include <string.h>

#define SLOWLOG_MAX_ARGC 32
#define SLOWLOG_MAX_ARGLEN 128

typedef struct slowEntry {
    struct slowEntry *next;
    long long id;
    int64_t time;
    int64_t duration;
    int argc;
    char **argv;
    size_t *argvlen;
    char addr[64];
    char name[64];
} slowEntry;

static rtLock slowLock;
static slowEntry *slowHead;      /* newest first; under slowLock */
static long long slowLen;        /* under slowLock */
static long long slowNextId;     /* under slowLock */

static void entryFree(slowEntry *e) {
    for (int i = 0; i < e->argc; i++) zfree(e->argv[i]);
    zfree(e->argv);
    zfree(e->argvlen);
    zfree(e);
}

/* redactedArg: is argv[i] a secret Redis shows as "(redacted)"? The
 * passwords of AUTH, HELLO ... AUTH, MIGRATE ... AUTH / AUTH2, and the
 * values of sensitive options in CONFIG SET. */
static bool redactedArg(client *c, cmdDef *cmd, int i) {
    const char *name = cmd->fullname;
    if (!strcmp(name, "auth")) return i >= 1;
    if (!strcmp(name, "hello")) {
        for (int j = 2; j < i; j++)
            if (argEq(c, j, "auth") && j + 2 < c->argc && (i == j + 1 || i == j + 2)) return true;
        return false;
    }
    if (!strcmp(name, "migrate")) {
        for (int j = 6; j < i; j++) {
            if (argEq(c, j, "auth") && i == j + 1) return true;
            if (argEq(c, j, "auth2") && (i == j + 1 || i == j + 2)) return true;
        }
        return false;
    }
    if (!strcmp(name, "config|set")) return i >= 3 && (i - 2) % 2 == 1 && configIsSensitive(c->argv[i - 1]);
    return false;
}

static slowEntry *entryNew(client *c, cmdDef *cmd, int64_t dur) {
    slowEntry *e = zcalloc(sizeof *e);
    int argc = c->argc > SLOWLOG_MAX_ARGC ? SLOWLOG_MAX_ARGC : c->argc;
    e->argc = argc;
    e->argv = zmalloc(sizeof(char *) * (size_t)argc);
    e->argvlen = zmalloc(sizeof(size_t) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        char buf[SLOWLOG_MAX_ARGLEN + 64];
        const char *p = c->argv[i];
        size_t len = c->argvlen[i];
        if (argc != c->argc && i == argc - 1) {
            len = (size_t)snprintf(buf, sizeof buf, "... (%d more arguments)", c->argc - argc + 1);
            p = buf;
        } else if (redactedArg(c, cmd, i)) {
            p = "(redacted)";
            len = 10;
        } else if (len > SLOWLOG_MAX_ARGLEN) {
            memcpy(buf, c->argv[i], SLOWLOG_MAX_ARGLEN);   /* binary safe: no %s */
            len = SLOWLOG_MAX_ARGLEN + (size_t)snprintf(buf + SLOWLOG_MAX_ARGLEN, sizeof buf - SLOWLOG_MAX_ARGLEN,
                                                        "... (%zu more bytes)", c->argvlen[i] - SLOWLOG_MAX_ARGLEN);
            p = buf;
        }
        e->argv[i] = zmemdup(p, len);
        e->argvlen[i] = len;
    }
    e->time = c->nowms / 1000;
    e->duration = dur;
    snprintf(e->addr, sizeof e->addr, "%s", c->addr);
    snprintf(e->name, sizeof e->name, "%s", c->name);
    return e;
}

static void trimLocked(void) {
    long long max = cfg.slowlog_max_len;
    if (max < 0) max = 0;
    slowEntry **pp = &slowHead;
    long long n = 0;
    while (*pp && n < max) { pp = &(*pp)->next; n++; }
    while (*pp) {
        slowEntry *e = *pp;
        *pp = e->next;
        entryFree(e);
        slowLen--;
    }
}

void slowlogMaybeAdd(client *c, cmdDef *cmd, int64_t durUs) {
    long long th = cfg.slowlog_log_slower_than;
    if (th < 0 || durUs < th || (cmd->flags & CMD_SKIP_SLOWLOG)) return;
    slowEntry *e = entryNew(c, cmd, durUs);
    rtLockAcquire(&slowLock);
    e->id = slowNextId++;
    e->next = slowHead;
    slowHead = e;
    slowLen++;
    trimLocked();
    rtLockRelease(&slowLock);
}

static void slowlogGet(client *c, long long count) {
    rtLockAcquire(&slowLock);
    long long n = count < 0 || count > slowLen ? slowLen : count;
    addReplyArrayLen(c, (long)n);
    slowEntry *e = slowHead;
    for (long long i = 0; i < n; i++, e = e->next) {
        addReplyArrayLen(c, 6);
        addReplyLongLong(c, e->id);
        addReplyLongLong(c, e->time);
        addReplyLongLong(c, e->duration);
        addReplyArrayLen(c, e->argc);
        for (int j = 0; j < e->argc; j++) addReplyBulk(c, e->argv[j], e->argvlen[j]);
        addReplyBulkCString(c, e->addr);
        addReplyBulkCString(c, e->name);
    }
    rtLockRelease(&slowLock);
}

static void slowlogHelpCommand(client *c) {
    static const char *help[] = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        NULL };
    addReplyHelp(c, help);
}

static void slowlogResetCommand(client *c) {
    rtLockAcquire(&slowLock);
    slowEntry *e = slowHead;
    slowHead = NULL;
    slowLen = 0;
    rtLockRelease(&slowLock);
    while (e) {   /* free outside the lock */
        slowEntry *next = e->next;
        entryFree(e);
        e = next;
    }
    addReplyOK(c);
}

static void slowlogLenCommand(client *c) {
    rtLockAcquire(&slowLock);
    long long n = slowLen;
    rtLockRelease(&slowLock);
    addReplyLongLong(c, n);
}

static void slowlogGetCommand(client *c) {
    long long count = 10;
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    if (c->argc == 3 && (!getLongLongFromArg(c, 2, &count) || count < -1)) {
        addReplyError(c, "count should be greater than or equal to -1");
        return;
    }
    slowlogGet(c, count);
}

static const cmdArg slowlogGetArgs[] = {
    { "count", ARG_INTEGER, NULL, ARGF_OPTIONAL, NULL, NULL }, { 0 } };

#define SLOWLOG_FLAGS (CMD_ADMIN | CMD_LOADING | CMD_STALE)

cmdDef slowlogSubcommands[] = {
    { .name = "get", .proc = slowlogGetCommand, .arity = -2, .flags = SLOWLOG_FLAGS, .acl = "",
      .group = "server", .since = "2.2.12", .summary = "Returns the slow log's entries.",
      .complexity = "O(N) where N is the number of entries returned", .args = slowlogGetArgs },
    { .name = "help", .proc = slowlogHelpCommand, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
      .acl = "", .group = "server", .since = "6.2.0",
      .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)" },
    { .name = "len", .proc = slowlogLenCommand, .arity = 2, .flags = SLOWLOG_FLAGS, .acl = "",
      .group = "server", .since = "2.2.12", .summary = "Returns the number of entries in the slow log.",
      .complexity = "O(1)" },
    { .name = "reset", .proc = slowlogResetCommand, .arity = 2, .flags = SLOWLOG_FLAGS, .acl = "",
      .group = "server", .since = "2.2.12", .summary = "Clears all entries from the slow log.",
      .complexity = "O(N) where N is the number of entries in the slowlog" },
    { 0 }
};
