/* commands.c — the command table, lookup, and the path every command takes:
 * processCommand (checks) → call (locks, run, statistics).
 *
 * The table is data. Each family file (t_string.c, keys.c, server_cmds.c,
 * conn.c, ...) defines an array of cmdDef with name, handler, arity, flags,
 * key positions, ACL categories and COMMAND DOCS metadata; `families` below
 * lists those arrays. commandsInit indexes every command and subcommand into
 * an open-addressed name table (case-insensitive) and gives each an id for
 * the per-P statistics.
 *
 * call() is where the concurrency model of DESIGN.md §4 lives: it hashes
 * each key once (handlers reuse c->arghash), locks the keys' shards in
 * ascending order, runs the handler, unlocks, and records statistics in the
 * calling P's slot (no shared counter is written on the hot path). Handlers
 * never park, so the P cannot change between the lock and the unlock.
 */
#include "server/server.h"
#include "server/config.h"
#include "storage/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static cmdDef *const families[] = { connCommands, stringCommands, keyCommands, serverCommands,
                                     listCommands, hashCommands, setCommands, zsetCommands,
                                     multiCommands, pubsubCommands, scriptCommands, functionCommands };

#define NAMETAB_SIZE 1024            /* power of two, > 2x the commands */
static cmdDef *nameTab[NAMETAB_SIZE];
static cmdDef **topLevel;            /* top-level commands in table order */
static int ntop;
static int nids;                     /* commands + subcommands */

/* per-P statistics: stats[p * nids + id] */
static cmdStats *stats;
static int statsProcs;

static void nameTabAdd(cmdDef *cmd) {
    uint64_t h = hashBytesNocase(cmd->name, strlen(cmd->name));
    for (size_t i = h & (NAMETAB_SIZE - 1);; i = (i + 1) & (NAMETAB_SIZE - 1)) {
        if (!nameTab[i]) { nameTab[i] = cmd; return; }
    }
}

static void indexCommand(cmdDef *cmd, cmdDef *parent) {
    cmd->id = nids++;
    cmd->parent = parent;
    if (parent) snprintf(cmd->fullname, sizeof cmd->fullname, "%s|%s", parent->name, cmd->name);
    else snprintf(cmd->fullname, sizeof cmd->fullname, "%s", cmd->name);
    if (cmd->subcmds)
        for (cmdDef *s = cmd->subcmds; s->name; s++) indexCommand(s, cmd);
}

void commandsInit(void) {
    int n = 0;
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (cmdDef *c = families[f]; c->name; c++) n++;
    topLevel = zmalloc(sizeof(cmdDef *) * (size_t)n);
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        for (cmdDef *c = families[f]; c->name; c++) {
            topLevel[ntop++] = c;
            indexCommand(c, NULL);
            nameTabAdd(c);
        }
    }
    statsProcs = rtNumProcs() > 0 ? rtNumProcs() : 1;
    stats = zcalloc(sizeof(cmdStats) * (size_t)nids * (size_t)statsProcs);
}

cmdDef *lookupCommand(const char *name, size_t len) {
    uint64_t h = hashBytesNocase(name, len);
    for (size_t i = h & (NAMETAB_SIZE - 1);; i = (i + 1) & (NAMETAB_SIZE - 1)) {
        cmdDef *c = nameTab[i];
        if (!c) return NULL;
        if (strlen(c->name) == len && strncasecmp(c->name, name, len) == 0) return c;
    }
}

cmdDef *lookupSubcommand(cmdDef *parent, const char *name, size_t len) {
    if (!parent->subcmds) return NULL;
    for (cmdDef *s = parent->subcmds; s->name; s++)
        if (strlen(s->name) == len && strncasecmp(s->name, name, len) == 0) return s;
    return NULL;
}

int commandCount(void) { return ntop; }
cmdDef *commandByIndex(int i) { return topLevel[i]; }

void commandStats(const cmdDef *cmd, cmdStats *out) {
    memset(out, 0, sizeof *out);
    for (int p = 0; p < statsProcs; p++) {
        cmdStats *s = &stats[(size_t)p * nids + cmd->id];
        out->calls += __atomic_load_n(&s->calls, __ATOMIC_RELAXED);
        out->usec += __atomic_load_n(&s->usec, __ATOMIC_RELAXED);
        out->rejected += __atomic_load_n(&s->rejected, __ATOMIC_RELAXED);
        out->failed += __atomic_load_n(&s->failed, __ATOMIC_RELAXED);
    }
}

void commandStatsReset(void) {
    for (size_t i = 0; i < (size_t)nids * (size_t)statsProcs; i++) {
        __atomic_store_n(&stats[i].calls, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&stats[i].usec, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&stats[i].rejected, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&stats[i].failed, 0, __ATOMIC_RELAXED);
    }
}

static cmdStats *myStats(const cmdDef *cmd) {
    int p = rtProcId();
    if (p < 0 || p >= statsProcs) p = 0;
    return &stats[(size_t)p * nids + cmd->id];
}

static void statAdd(uint64_t *x, uint64_t v) {
    __atomic_store_n(x, __atomic_load_n(x, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

void rejectCommand(client *c, cmdDef *cmd) {
    if (cmd) statAdd(&myStats(cmd)->rejected, 1);
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}

/* ---- locking ------------------------------------------------------------------ */

/* cmdLockMask: the shards (bit i = shard i of the client's db) the
 * command's keys live in; fills c->arghash for each key position. */
uint64_t cmdLockMask(client *c, cmdDef *cmd) {
    uint64_t mask = 0;
    if (cmd->getkeys) {
        int small[256];
        int *idx = c->argc <= 256 ? small : zmalloc(sizeof(int) * (size_t)c->argc);
        int n = cmd->getkeys(c, c->argc, idx, c->argc <= 256 ? 256 : c->argc);
        for (int k = 0; k < n; k++) {
            int i = idx[k];
            uint64_t h = hashBytes(c->argv[i], c->argvlen[i]);
            c->arghash[i] = h;
            mask |= 1ull << ksShardIndex(h);
        }
        if (idx != small) zfree(idx);
        return mask;
    }
    if (cmd->firstkey <= 0) return 0;
    int last = cmd->lastkey < 0 ? c->argc + cmd->lastkey : cmd->lastkey;
    if (last >= c->argc) last = c->argc - 1;
    int step = cmd->keystep > 0 ? cmd->keystep : 1;
    for (int i = cmd->firstkey; i <= last; i += step) {
        uint64_t h = hashBytes(c->argv[i], c->argvlen[i]);
        c->arghash[i] = h;
        mask |= 1ull << ksShardIndex(h);
    }
    return mask;
}

void cmdLockDbMask(int db, uint64_t mask) {
    while (mask) {
        int i = __builtin_ctzll(mask);
        rtLockAcquire(&ksShardAt(db, i)->lock);
        mask &= mask - 1;
    }
}

void cmdUnlockDbMask(int db, uint64_t mask) {
    while (mask) {
        int i = 63 - __builtin_clzll(mask);
        rtLockRelease(&ksShardAt(db, i)->lock);
        mask &= ~(1ull << i);
    }
}

static uint64_t allShards(void) {
    return ks.nshards >= 64 ? ~0ull : (1ull << ks.nshards) - 1;
}

/* Which Ps run a command holding every shard. Per P, not per client, so
 * code far from the client (INFO's walks, MEMORY STATS) asks too: the G
 * cannot change P while it holds shard locks, because nothing parks then. */
static bool allLockedOnP[HSTAT_SLOTS];

static bool allLockedHere(void) {
    int p = rtProcId();
    return p >= 0 && allLockedOnP[p & (HSTAT_SLOTS - 1)];
}

void cmdSetAllLocked(client *c, bool on) {
    int p = rtProcId();
    if (p >= 0) allLockedOnP[p & (HSTAT_SLOTS - 1)] = on;
    if (on) c->flags |= CLIENT_ALL_LOCKED;
    else c->flags &= ~CLIENT_ALL_LOCKED;
}

void cmdShardLock(client *c, shard *s) {
    (void)c;
    if (!allLockedHere()) rtLockAcquire(&s->lock);
}

void cmdShardUnlock(client *c, shard *s) {
    (void)c;
    if (!allLockedHere()) rtLockRelease(&s->lock);
}

void cmdWalkYield(client *c) {
    (void)c;
    if (!allLockedHere()) rtMaybeYield();
}

/* refuseCommand: cmd may not run now. EXEC inside MULTI answers
 * "EXECABORT Transaction discarded because of: <err>", as in Redis. */
static void refuseCommand(client *c, cmdDef *cmd, const char *err) {
    rejectCommand(c, cmd);
    if ((c->flags & CLIENT_MULTI) && multiIsExec(cmd)) multiExecAbort(c, err[0] == '-' ? err + 1 : err);
    else addReplyError(c, err);
}

/* ---- call --------------------------------------------------------------------- */

static bool isExclusive(client *c, const cmdDef *cmd) {
    return (cmd->flags & CMD_EXCLUSIVE) ||
           ((c->flags & CLIENT_MULTI) && multiIsExec(cmd) && multiNeedsExclusive(c));
}

/* call: enter the gate, lock the keys' shards, run, unlock, leave, count.
 * Inside EXEC or an exclusive section the caller already holds what is
 * needed. A script's commands see the script's frozen clock (nowms set by
 * the engine). */
void call(client *c, cmdDef *cmd) {
    uint64_t mask = 0;
    int lockdb = c->db;
    int gate = GATE_NONE;
    c->cmd = cmd;
    if (!(c->flags & (CLIENT_IN_EXEC | CLIENT_EXCLUSIVE))) {
        gate = gateEnter(c, cmd, isExclusive(c, cmd));
        if (gate == GATE_REFUSED) {
            refuseCommand(c, cmd, gateBusyMessage());
            return;
        }
        if (gate == GATE_EXCLUSIVE) c->flags |= CLIENT_EXCLUSIVE;
    }
    if (c->flags & CLIENT_IN_EXEC) {
        /* EXEC locked every shard its commands touch */
    } else if (cmd->flags & CMD_LOCK_ALL) {
        for (int d = 0; d < ks.ndb; d++) cmdLockDbMask(d, allShards());
        cmdSetAllLocked(c, true);
    } else if (cmd->flags & CMD_LOCK_DB) {
        mask = allShards();
        cmdLockDbMask(lockdb, mask);
    } else if (!(cmd->flags & CMD_LOCK_SELF)) {
        mask = cmdLockMask(c, cmd);
        cmdLockDbMask(lockdb, mask);
    }
    if (!(c->flags & CLIENT_IN_EXEC)) {
        c->lockedDb = lockdb;
        c->lockedMask = (cmd->flags & (CMD_LOCK_ALL | CMD_LOCK_DB)) ? allShards() : mask;
    }
    int64_t start = ustime();
    if (!(c->flags & CLIENT_SCRIPT)) {
        c->nowus = start;
        c->nowms = start / 1000;
    }
    uint32_t errsBefore = c->nerrors;
    cmd->proc(c);
    int64_t dur = ustime() - start;
    if (c->nready && !(c->flags & (CLIENT_IN_EXEC | CLIENT_EXCLUSIVE))) blockingServeReady(c);
    if (c->flags & CLIENT_IN_EXEC) {
        /* EXEC unlocks */
    } else if (cmd->flags & CMD_LOCK_ALL) {
        cmdSetAllLocked(c, false);
        for (int d = ks.ndb - 1; d >= 0; d--) cmdUnlockDbMask(d, allShards());
    } else if (mask) {
        cmdUnlockDbMask(lockdb, mask);
    }
    if (gate == GATE_EXCLUSIVE) {
        c->flags &= ~CLIENT_EXCLUSIVE;
        if (c->nready) blockingServeCollected(c);   /* as Redis: after the script */
    }
    gateLeave(c, gate);
    cmdStats *st = myStats(cmd);
    statAdd(&st->calls, 1);
    statAdd(&st->usec, (uint64_t)(dur > 0 ? dur : 0));
    if (c->nerrors != errsBefore) statAdd(&st->failed, 1);
    hotStatAdd(HSTAT_COMMANDS, 1);
    atomic_store_explicit(&c->totCmds, atomic_load_explicit(&c->totCmds, memory_order_relaxed) + 1, memory_order_relaxed);
    c->lastcmd = cmd;
    slowlogMaybeAdd(c, cmd, dur);
}

/* ---- processCommand ------------------------------------------------------------ */

bool serverOutOfMemory(void) {
    return cfg.maxmemory && cfg.maxmemory_policy == MAXMEMORY_NO_EVICTION &&
           zmallocUsedMemory() > cfg.maxmemory;
}

static void replyUnknownCommand(client *c) {
    char args[512];
    size_t off = 0;
    args[0] = '\0';
    for (int i = 1; i < c->argc && off < sizeof args - 140; i++) {
        int n = snprintf(args + off, sizeof args - off, "'%.*s' ",
                         (int)(c->argvlen[i] > 128 ? 128 : c->argvlen[i]), c->argv[i]);
        if (n > 0) off += (size_t)n;
    }
    addReplyErrorFormat(c, "unknown command '%.*s', with args beginning with: %s",
                        (int)(c->argvlen[0] > 128 ? 128 : c->argvlen[0]), c->argv[0], args);
}

/* queuesUnderOom: inside MULTI, queueing any command takes memory, so
 * Redis refuses all but EXEC, DISCARD, QUIT and RESET when out of memory */
static bool queuesUnderOom(client *c, const cmdDef *cmd) {
    if (!(c->flags & CLIENT_MULTI) || multiIsExec(cmd)) return false;
    const char *n = cmd->parent ? cmd->parent->name : cmd->name;
    return strcmp(n, "discard") && strcmp(n, "quit") && strcmp(n, "reset");
}

static bool arityOk(const cmdDef *cmd, int argc) {
    return (cmd->arity > 0 && cmd->arity == argc) || (cmd->arity < 0 && argc >= -cmd->arity);
}

void processCommand(client *c) {
    cmdDef *cmd = lookupCommand(c->argv[0], c->argvlen[0]);
    if (!cmd) {
        rejectCommand(c, NULL);
        replyUnknownCommand(c);
        return;
    }
    if (cmd->subcmds && c->argc >= 2) {
        cmdDef *sub = lookupSubcommand(cmd, c->argv[1], c->argvlen[1]);
        if (!sub) {
            c->cmd = cmd;
            rejectCommand(c, cmd);
            char up[64];
            snprintf(up, sizeof up, "%s", cmd->name);
            for (char *p = up; *p; p++) if (*p >= 'a' && *p <= 'z') *p -= 32;
            addReplyErrorFormat(c, "unknown subcommand '%.128s'. Try %s HELP.",
                                c->argv[1], up);
            return;
        }
        cmd = sub;
    }
    c->cmd = cmd;
    if (!arityOk(cmd, c->argc)) {
        rejectCommand(c, cmd);
        if (multiIsExec(cmd)) {
            char err[96];
            snprintf(err, sizeof err, "wrong number of arguments for '%s' command", cmd->fullname);
            multiExecAbort(c, err);
            return;
        }
        addReplyErrorArity(c);
        return;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        rejectCommand(c, cmd);
        addReplyError(c, "-NOAUTH Authentication required.");
        return;
    }
    if (cfg.maxmemory && ((cmd->flags & CMD_DENYOOM) || queuesUnderOom(c, cmd)) && serverOutOfMemory()) {
        refuseCommand(c, cmd, "-OOM command not allowed when used memory > 'maxmemory'.");
        return;
    }
    /* pub/sub: a RESP2 subscriber may only (un)subscribe, PING, QUIT, RESET (pubsub.c) */
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2 && !pubsubAllowedInContext(c, cmd)) {
        rejectCommand(c, cmd);
        return;
    }
    /* a script past busy-reply-threshold: only CMD_ALLOW_BUSY commands */
    if (gateRefuses(c, cmd)) {
        refuseCommand(c, cmd, gateBusyMessage());
        return;
    }
    if ((c->flags & CLIENT_MULTI) && multiQueue(c, cmd)) return;
    /* scripts show in MONITOR before the commands they run, as in Redis */
    bool feedFirst = (cmd->flags & CMD_SKIP_MONITOR) && (cmd->flags & CMD_EXCLUSIVE);
    if (feedFirst && atomic_load_explicit(&nmonitors, memory_order_relaxed) > 0) monitorFeed(c);
    call(c, cmd);
    /* after the command, like Redis 7.0 (SELECT 3 shows db 3) */
    if (!(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)) &&
        atomic_load_explicit(&nmonitors, memory_order_relaxed) > 0)
        monitorFeed(c);
}
