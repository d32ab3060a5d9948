/* slowlog.c — SLOWLOG: a bounded list of the commands that took longer than
 * slowlog-log-slower-than microseconds (Redis's format: id, unix time,
 * duration in µs, up to 32 arguments each cut to 128 bytes, client address,
 * client name). Newest first. One lock; it is taken only for slow commands
 * and SLOWLOG itself, never on the fast path. */
#include "server/server.h"

#include <stdio.h>

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

static slowEntry *entryNew(client *c, int64_t dur) {
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
        } else if (len > SLOWLOG_MAX_ARGLEN) {
            len = (size_t)snprintf(buf, sizeof buf, "%.*s... (%zu more bytes)", SLOWLOG_MAX_ARGLEN,
                                   c->argv[i], c->argvlen[i] - SLOWLOG_MAX_ARGLEN);
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
    slowEntry *e = entryNew(c, durUs);
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

void slowlogCommand(client *c) {
    if (c->argc == 2 && argEq(c, 1, "help")) {
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
    } else if (c->argc == 2 && argEq(c, 1, "reset")) {
        rtLockAcquire(&slowLock);
        while (slowHead) {
            slowEntry *e = slowHead;
            slowHead = e->next;
            entryFree(e);
        }
        slowLen = 0;
        rtLockRelease(&slowLock);
        addReplyOK(c);
    } else if (c->argc == 2 && argEq(c, 1, "len")) {
        rtLockAcquire(&slowLock);
        long long n = slowLen;
        rtLockRelease(&slowLock);
        addReplyLongLong(c, n);
    } else if ((c->argc == 2 || c->argc == 3) && argEq(c, 1, "get")) {
        long long count = 10;
        if (c->argc == 3) {
            if (!getLongLongFromArg(c, 2, &count) || count < -1) {
                addReplyError(c, "count should be greater than or equal to -1");
                return;
            }
        }
        slowlogGet(c, count);
    } else {
        addReplySubcommandSyntaxError(c);
    }
}
