/* server_cmds.c — the server / introspection family's command table, and
 * the small commands that need no file of their own: TIME, LASTSAVE,
 * SHUTDOWN, MONITOR and MEMORY.
 *
 * The bigger members live next door, each with its subcommand table:
 *   info.c         INFO (and the statistics CONFIG RESETSTAT clears)
 *   client_cmd.c   CLIENT, and the CLIENT LIST line of a client
 *   command_cmd.c  COMMAND (INFO, DOCS, LIST, GETKEYS, ...)
 *   config_cmd.c   CONFIG, over the config module (config.h)
 *   debug.c        DEBUG
 *   slowlog.c      SLOWLOG
 *
 * Replies, flags, arities and ACL categories are Redis 7.0's (checked
 * against redis-server 7.0.15). Where roost answers differently the handler
 * says so:
 *  - SHUTDOWN: roost has no persistence yet, so SAVE and NOSAVE both just
 *    stop the server; ABORT answers "No shutdown in progress." because a
 *    shutdown here is never pending (no save, no replicas to wait for).
 *  - MEMORY USAGE ignores SAMPLES (kvMemUsage measures the whole value);
 *    MEMORY MALLOC-STATS answers like a Redis built without jemalloc stats;
 *    MEMORY PURGE has nothing to purge and answers OK.
 *  - MONITOR: the feed itself is networking.c's monitorFeed.
 */
#include "server/server_cmds.h"

#include <stdio.h>
#include <string.h>

/* ---- replies shared by the family ------------------------------------------------ */

void bytesToHuman(char *buf, size_t cap, unsigned long long n) {
    static const char units[] = "KMGTP";
    double d = (double)n;
    if (n < 1024) {
        snprintf(buf, cap, "%lluB", n);
        return;
    }
    for (int i = 0; units[i]; i++) {
        d /= 1024;
        if (d < 1024 || units[i + 1] == '\0') {
            snprintf(buf, cap, "%.2f%c", d, units[i]);
            return;
        }
    }
}

/* ---- TIME, LASTSAVE --------------------------------------------------------------- */

static void timeCommand(client *c) {
    int64_t us = ustime();
    addReplyArrayLen(c, 2);
    addReplyBulkLongLong(c, us / 1000000);
    addReplyBulkLongLong(c, us % 1000000);
}

static void lastsaveCommand(client *c) {
    addReplyLongLong(c, atomic_load(&server.lastSave));
}

/* ---- SHUTDOWN --------------------------------------------------------------------- */

static void shutdownCommand(client *c) {
    int flags = SHUTDOWN_NOFLAGS;
    bool abort = false;
    for (int i = 1; i < c->argc; i++) {
        if (argEq(c, i, "nosave")) flags |= SHUTDOWN_NOSAVE;
        else if (argEq(c, i, "save")) flags |= SHUTDOWN_SAVE;
        else if (argEq(c, i, "now")) flags |= SHUTDOWN_NOW;
        else if (argEq(c, i, "force")) flags |= SHUTDOWN_FORCE;
        else if (argEq(c, i, "abort")) abort = true;
        else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if ((abort && flags != SHUTDOWN_NOFLAGS) ||
        ((flags & SHUTDOWN_NOSAVE) && (flags & SHUTDOWN_SAVE))) {
        addReplyErrorSyntax(c);
        return;
    }
    if (abort) {
        addReplyError(c, "No shutdown in progress.");
        return;
    }
    /* a busy script: only SHUTDOWN NOSAVE (SHUTDOWN is CMD_ALLOW_BUSY) */
    if (!(flags & SHUTDOWN_NOSAVE) && gateIsBusy()) {
        addReplyError(c, gateBusyMessage());
        return;
    }
    /* No reply: like Redis, the client sees the connection close. */
    serverShutdown(0);
}

/* ---- MONITOR ---------------------------------------------------------------------- */

static void monitorCommand(client *c) {
    if (c->flags & CLIENT_IN_EXEC) {
        addReplyError(c, "MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    if (c->flags & CLIENT_MONITOR) return;   /* Redis ignores a second MONITOR */
    c->flags |= CLIENT_MONITOR;
    rtLockAcquire(&monitorsLock);
    c->mprev = NULL;
    c->mnext = monitorsHead;
    if (monitorsHead) monitorsHead->mprev = c;
    monitorsHead = c;
    atomic_fetch_add(&nmonitors, 1);
    rtLockRelease(&monitorsLock);
    addReplyOK(c);
}

/* ---- MEMORY ----------------------------------------------------------------------- */

static void memoryUsageCommand(client *c) {
    for (int j = 3; j < c->argc; j++) {
        if (argEq(c, j, "samples") && j + 1 < c->argc) {
            long long samples;
            if (!getLongLongFromArgOrReply(c, j + 1, &samples, NULL)) return;
            if (samples < 0) {
                addReplyErrorSyntax(c);
                return;
            }
            j++;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    /* Like Redis, a plain table lookup: no expiry, no keyspace hit/miss. */
    kvobj **l = dbFindLink(cShard(c, 2), c->arghash[2], c->argv[2], c->argvlen[2], c->nowms, true);
    if (!l) {
        addReplyNull(c);
        return;
    }
    addReplyLongLong(c, (long long)kvMemUsage(*l));
}

static double ratio(size_t a, size_t b) {
    return b ? (double)(float)((double)a / (double)b) : 0;
}

static void memoryStatsCommand(client *c) {
    memFigures m;
    infoMemFigures(&m);
    int ndb = 0;
    uint64_t *dbKeys = zmalloc(sizeof(uint64_t) * (size_t)ks.ndb);
    size_t *dbMain = zmalloc(sizeof(size_t) * (size_t)ks.ndb), *dbExp = zmalloc(sizeof(size_t) * (size_t)ks.ndb);
    for (int db = 0; db < ks.ndb; db++) {
        infoDbOverhead(db, &dbKeys[db], &dbMain[db], &dbExp[db]);
        if (dbKeys[db]) ndb++;
    }
    addReplyMapLen(c, 27 + ndb);
    addReplyBulkCString(c, "peak.allocated");
    addReplyLongLong(c, (long long)m.peak);
    addReplyBulkCString(c, "total.allocated");
    addReplyLongLong(c, (long long)m.used);
    addReplyBulkCString(c, "startup.allocated");
    addReplyLongLong(c, (long long)m.startup);
    addReplyBulkCString(c, "replication.backlog");
    addReplyLongLong(c, 0);
    addReplyBulkCString(c, "clients.slaves");
    addReplyLongLong(c, 0);
    addReplyBulkCString(c, "clients.normal");
    addReplyLongLong(c, (long long)m.clientsNormal);
    addReplyBulkCString(c, "cluster.links");
    addReplyLongLong(c, 0);
    addReplyBulkCString(c, "aof.buffer");
    addReplyLongLong(c, 0);
    addReplyBulkCString(c, "lua.caches");
    addReplyLongLong(c, 0);
    addReplyBulkCString(c, "functions.caches");
    addReplyLongLong(c, 0);
    for (int db = 0; db < ks.ndb; db++) {
        if (!dbKeys[db]) continue;
        char name[16];
        snprintf(name, sizeof name, "db.%d", db);
        addReplyBulkCString(c, name);
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "overhead.hashtable.main");
        addReplyLongLong(c, (long long)dbMain[db]);
        addReplyBulkCString(c, "overhead.hashtable.expires");
        addReplyLongLong(c, (long long)dbExp[db]);
        addReplyBulkCString(c, "overhead.hashtable.slot-to-keys");
        addReplyLongLong(c, 0);
    }
    zfree(dbKeys);
    zfree(dbMain);
    zfree(dbExp);
    addReplyBulkCString(c, "overhead.total");
    addReplyLongLong(c, (long long)m.overhead);
    addReplyBulkCString(c, "keys.count");
    addReplyLongLong(c, (long long)m.keys);
    addReplyBulkCString(c, "keys.bytes-per-key");
    addReplyLongLong(c, m.keys ? (long long)((m.used > m.startup ? m.used - m.startup : 0) / m.keys) : 0);
    addReplyBulkCString(c, "dataset.bytes");
    addReplyLongLong(c, (long long)m.dataset);
    addReplyBulkCString(c, "dataset.percentage");
    size_t net = m.used > m.startup ? m.used - m.startup : 0;
    addReplyDouble(c, net ? (double)(float)(m.dataset * 100.0 / (double)net) : 0);
    addReplyBulkCString(c, "peak.percentage");
    addReplyDouble(c, m.peak ? (double)(float)(m.used * 100.0 / (double)m.peak) : 0);
    addReplyBulkCString(c, "allocator.allocated");
    addReplyLongLong(c, (long long)m.allocated);
    addReplyBulkCString(c, "allocator.active");
    addReplyLongLong(c, (long long)m.active);
    addReplyBulkCString(c, "allocator.resident");
    addReplyLongLong(c, (long long)m.resident);
    addReplyBulkCString(c, "allocator-fragmentation.ratio");
    addReplyDouble(c, ratio(m.active, m.allocated));
    addReplyBulkCString(c, "allocator-fragmentation.bytes");
    addReplyLongLong(c, (long long)m.active - (long long)m.allocated);
    addReplyBulkCString(c, "allocator-rss.ratio");
    addReplyDouble(c, ratio(m.resident, m.active));
    addReplyBulkCString(c, "allocator-rss.bytes");
    addReplyLongLong(c, (long long)m.resident - (long long)m.active);
    addReplyBulkCString(c, "rss-overhead.ratio");
    addReplyDouble(c, ratio(m.rss, m.resident));
    addReplyBulkCString(c, "rss-overhead.bytes");
    addReplyLongLong(c, (long long)m.rss - (long long)m.resident);
    addReplyBulkCString(c, "fragmentation");
    addReplyDouble(c, ratio(m.rss, m.used));
    addReplyBulkCString(c, "fragmentation.bytes");
    addReplyLongLong(c, (long long)m.rss - (long long)m.used);
}

/* memoryDoctorCommand: Redis's two fixed answers (empty instance, nothing
 * found) word for word, since scripts grep for them; the findings are
 * roost's own words. */
static void memoryDoctorCommand(client *c) {
    memFigures m;
    infoMemFigures(&m);
    char report[2048];
    size_t off = 0;
    if (m.used < 5 * 1024 * 1024) {
        off = (size_t)snprintf(report, sizeof report, "%s",
            "Hi Sam, this instance is empty or is using very little memory, my issues detector can't "
            "be used in these conditions. Please, leave for your mission on Earth and fill it with "
            "some data. The new Sam and I will be back to our programming as soon as I finished "
            "rebooting.\n");
        addReplyVerbatim(c, report, off, "txt");
        return;
    }
    int issues = 0;
    char found[1536];
    size_t fo = 0;
    if (m.peak > m.used + m.used / 2) {
        fo += (size_t)snprintf(found + fo, sizeof found - fo,
            " * Peak memory: at some point %zu bytes were in use, more than 150%% of the %zu in use "
            "now. RSS and fragmentation figures may be inflated by that peak.\n\n", m.peak, m.used);
        issues++;
    }
    if (m.rss > m.used && (double)m.rss / (double)m.used > 1.4 && m.rss - m.used > 10u * 1024 * 1024) {
        fo += (size_t)snprintf(found + fo, sizeof found - fo,
            " * High fragmentation: the process holds %.2f times the memory it has allocated "
            "(%zu RSS bytes for %zu used).\n\n", (double)m.rss / (double)m.used, m.rss, m.used);
        issues++;
    }
    if (m.clientsNormal > 200u * 1024 * 1024) {
        fo += (size_t)snprintf(found + fo, sizeof found - fo,
            " * Big client buffers: normal clients use %zu bytes of buffers.\n\n", m.clientsNormal);
        issues++;
    }
    if (!issues) {
        off = (size_t)snprintf(report, sizeof report, "%s",
            "Hi Sam, I can't find any memory issue in your instance. I can only account for what "
            "occurs on this base.\n");
    } else {
        off = (size_t)snprintf(report, sizeof report,
            "Sam, I detected a few issues in this Redis instance memory implants:\n\n%s", found);
    }
    addReplyVerbatim(c, report, off < sizeof report ? off : sizeof report - 1, "txt");
}

static void memoryMallocStatsCommand(client *c) {
    static const char msg[] = "Stats not supported for the current allocator";
    addReplyVerbatim(c, msg, sizeof msg - 1, "txt");
}

static void memoryPurgeCommand(client *c) { addReplyOK(c); }

static void memoryHelpCommand(client *c) {
    static const char *help[] = {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        NULL };
    addReplyHelp(c, help);
}

/* ---- COMMAND DOCS arguments --------------------------------------------------------- */

#define A_END { 0 }
static const cmdArg infoArgs[] = {
    { "section", ARG_STRING, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg shutdownSaveArgs[] = {
    { "nosave", ARG_PURE_TOKEN, "NOSAVE", 0, NULL, NULL },
    { "save", ARG_PURE_TOKEN, "SAVE", 0, NULL, NULL }, A_END };
static const cmdArg shutdownArgs[] = {
    { "nosave_save", ARG_ONEOF, NULL, ARGF_OPTIONAL, shutdownSaveArgs, NULL },
    { "now", ARG_PURE_TOKEN, "NOW", ARGF_OPTIONAL, NULL, "7.0.0" },
    { "force", ARG_PURE_TOKEN, "FORCE", ARGF_OPTIONAL, NULL, "7.0.0" },
    { "abort", ARG_PURE_TOKEN, "ABORT", ARGF_OPTIONAL, NULL, "7.0.0" }, A_END };
static const cmdArg memoryUsageArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, "SAMPLES", ARGF_OPTIONAL, NULL, NULL }, A_END };

/* ---- the tables ------------------------------------------------------------------------ */

#define MEM_SUB(nm, fn, ar, fl, ac, sum, cx, ag)                                          \
    { .name = nm, .proc = fn, .arity = ar, .flags = fl, .acl = ac, .group = "server",  \
      .since = "4.0.0", .summary = sum, .complexity = cx, .args = ag }

static cmdDef memorySubcommands[] = {
    MEM_SUB("doctor", memoryDoctorCommand, 2, CMD_LOCK_SELF, "", "Reports memory problems and suggests fixes.",
            "O(1)", NULL),
    MEM_SUB("help", memoryHelpCommand, 2, CMD_LOADING | CMD_STALE, "",
            "Returns helpful text about the different subcommands.", "O(1)", NULL),
    MEM_SUB("malloc-stats", memoryMallocStatsCommand, 2, 0, "",
            "Returns the allocator's internal statistics.",
            "Depends on how much memory is allocated, could be slow", NULL),
    MEM_SUB("purge", memoryPurgeCommand, 2, 0, "", "Asks the allocator to release memory.",
            "Depends on how much memory is allocated, could be slow", NULL),
    MEM_SUB("stats", memoryStatsCommand, 2, CMD_LOCK_SELF, "", "Returns details about the server's memory usage.",
            "O(1)", NULL),
    { .name = "usage", .proc = memoryUsageCommand, .arity = -3, .flags = CMD_READONLY,
      .firstkey = 2, .lastkey = 2, .keystep = 1, .acl = "", .group = "server", .since = "4.0.0",
      .summary = "Estimates the memory a key and its value use.",
      .complexity = "O(N) where N is the number of samples.", .args = memoryUsageArgs },
    { 0 }
};

#define ADMIN_FLAGS (CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

cmdDef serverCommands[] = {
    { .name = "info", .proc = infoCommand, .arity = -1, .flags = CMD_LOADING | CMD_STALE | CMD_LOCK_SELF,
      .acl = "dangerous", .group = "server", .since = "1.0.0",
      .summary = "Returns information and statistics about the server.", .complexity = "O(1)",
      .args = infoArgs },
    { .name = "client", .arity = -2, .acl = "", .group = "connection", .since = "2.4.0",
      .summary = "A container for client connection commands.", .complexity = "Depends on subcommand.",
      .subcmds = clientSubcommands },
    { .name = "command", .proc = commandCommand, .arity = -1, .flags = CMD_LOADING | CMD_STALE,
      .acl = "connection", .group = "server", .since = "2.8.13",
      .summary = "Returns detailed information about all commands.",
      .complexity = "O(N) where N is the total number of Redis commands",
      .subcmds = commandSubcommands },
    { .name = "config", .arity = -2, .acl = "", .group = "server", .since = "2.0.0",
      .summary = "A container for server configuration commands.", .complexity = "Depends on subcommand.",
      .subcmds = configSubcommands },
    { .name = "time", .proc = timeCommand, .arity = 1, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
      .acl = "", .group = "server", .since = "2.6.0", .summary = "Returns the server time.",
      .complexity = "O(1)" },
    { .name = "lastsave", .proc = lastsaveCommand, .arity = 1, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
      .acl = "admin dangerous", .group = "server", .since = "1.0.0",
      .summary = "Returns the Unix timestamp of the last successful save to disk.", .complexity = "O(1)" },
    { .name = "shutdown", .proc = shutdownCommand, .arity = -1,
      .flags = ADMIN_FLAGS | CMD_NO_MULTI | CMD_ALLOW_BUSY, .acl = "", .group = "server", .since = "1.0.0",
      .summary = "Synchronously saves the database(s) to disk and shuts down the server.",
      .complexity = "O(N) when saving, where N is the total number of keys in all databases when "
                    "saving data, otherwise O(1)",
      .args = shutdownArgs },
    { .name = "debug", .proc = debugCommand, .arity = -2, .flags = ADMIN_FLAGS | CMD_PROTECTED | CMD_LOCK_SELF,
      .acl = "", .group = "server", .since = "1.0.0", .summary = "A container for debugging commands.",
      .complexity = "Depends on subcommand." },
    { .name = "slowlog", .arity = -2, .acl = "", .group = "server", .since = "2.2.12",
      .summary = "A container for slow log commands.", .complexity = "Depends on subcommand.",
      .subcmds = slowlogSubcommands },
    { .name = "memory", .arity = -2, .acl = "", .group = "server", .since = "4.0.0",
      .summary = "A container for memory diagnostics commands.", .complexity = "Depends on subcommand.",
      .subcmds = memorySubcommands },
    { .name = "monitor", .proc = monitorCommand, .arity = 1, .flags = ADMIN_FLAGS, .acl = "",
      .group = "server", .since = "1.0.0",
      .summary = "Listens for all requests received by the server in real-time.", .complexity = "" },
    { 0 }
};
