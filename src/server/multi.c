/* multi.c — MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * Queueing. Between MULTI and EXEC every command that passes
 * processCommand's checks is copied (argv bytes included: the originals
 * point into the query buffer) into the client's multiState and answered
 * +QUEUED; one that fails them (unknown, arity, NOAUTH, not allowed in a
 * transaction) flags the transaction (rejectCommand → CLIENT_DIRTY_EXEC) and
 * EXEC then answers EXECABORT, as in Redis.
 *
 * EXEC is atomic with any number of threads (DESIGN.md §5). It works out
 * the shards every queued command and every watched key live in, per db,
 * and locks them all in (db, shard) order, the order call() and every other
 * locker use, so EXEC cannot deadlock with them. A queued command that
 * needs more than its keys (CMD_LOCK_ALL / LOCK_DB / LOCK_SELF: FLUSHALL,
 * KEYS, SCAN, SORT, MOVE, INFO...) or SELECT (the db of the rest would move)
 * makes EXEC lock every shard of every db and set CLIENT_ALL_LOCKED, which
 * turns those handlers' own locking into no-ops (cmdShardLock). With the
 * locks held EXEC checks WATCH, then runs each command through call() with
 * CLIENT_IN_EXEC (call() locks nothing), serves the clients its pushes made
 * ready, and unlocks. Nothing parks in between: blocking commands do not
 * block inside EXEC.
 *
 * WATCH. A watched key is a node in its shard's `watchers` registry
 * (keyreg.h) naming the client. Every write to a key goes through
 * signalModifiedKey under the key's shard lock; when any key is watched
 * (watchedKeysCount, one relaxed load otherwise) it sets casDirty on each
 * watcher. EXEC reads casDirty under the locks of every watched key's
 * shard, so a write either happened before EXEC locked (and is seen) or
 * waits until EXEC is done. Also invalidated as in Redis 7.0: by FLUSHDB,
 * FLUSHALL and SWAPDB for keys that exist (watchTouchDb), by the key's
 * deletion by expiry, and by the key being logically expired at EXEC time
 * when it was not at WATCH time.
 *
 * Invariants:
 *  - a client's watched nodes are removed (under their shard locks) before
 *    it is freed, so a watcher found in a registry is alive;
 *  - casDirty is written only under a watched key's shard lock and cleared
 *    by the owner when it unwatches all (no lock of a watched key held by
 *    anyone can see a stale node after that: the nodes are gone).
 */
#include "server/server.h"
#include "server/config.h"
#include "server/keyreg.h"
#include "storage/hash.h"
#include "storage/zmalloc.h"

#include <string.h>
#include <strings.h>

_Atomic int watchedKeysCount;

typedef struct queued {
    cmdDef *cmd;
    int argc;
    const char **argv;
    size_t *argvlen;
    uint64_t *hash;
} queued;

typedef struct multiState {
    queued *cmds;
    int n, cap;
} multiState;

typedef struct watchedKey {
    int db;
    uint64_t hash;
    regNode *node;
} watchedKey;

/* ---- the queue ------------------------------------------------------------------ */

static bool neverQueued(const cmdDef *cmd) {
    if (cmd->parent) return false;
    return cmd->proc == multiCommands[0].proc || cmd->proc == multiCommands[1].proc ||
           cmd->proc == multiCommands[2].proc || cmd->proc == multiCommands[3].proc ||
           !strcmp(cmd->name, "quit") || !strcmp(cmd->name, "reset");
}

bool multiQueue(client *c, cmdDef *cmd) {
    if (neverQueued(cmd)) return false;
    if (cmd->flags & CMD_NO_MULTI) {
        rejectCommand(c, cmd);
        addReplyError(c, "Command not allowed inside a transaction");
        return true;
    }
    multiState *m = c->mstate;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->cmds = zrealloc(m->cmds, sizeof(queued) * (size_t)m->cap);
    }
    queued *q = &m->cmds[m->n++];
    size_t bytes = 0;
    for (int i = 0; i < c->argc; i++) bytes += c->argvlen[i] + 1;
    /* one block: argv pointers, lengths, hashes, then the bytes */
    size_t head = (sizeof(char *) + sizeof(size_t) + sizeof(uint64_t)) * (size_t)c->argc;
    char *blk = zmalloc(head + bytes);
    q->cmd = cmd;
    q->argc = c->argc;
    q->argv = (const char **)blk;
    q->argvlen = (size_t *)(blk + sizeof(char *) * (size_t)c->argc);
    q->hash = (uint64_t *)(blk + (sizeof(char *) + sizeof(size_t)) * (size_t)c->argc);
    char *p = blk + head;
    for (int i = 0; i < c->argc; i++) {
        memcpy(p, c->argv[i], c->argvlen[i]);
        p[c->argvlen[i]] = '\0';
        q->argv[i] = p;
        q->argvlen[i] = c->argvlen[i];
        q->hash[i] = 0;
        p += c->argvlen[i] + 1;
    }
    c->multiLen = m->n;
    addReplyStatus(c, "QUEUED");
    return true;
}

static void discardTransaction(client *c) {
    multiState *m = c->mstate;
    if (m) {
        for (int i = 0; i < m->n; i++) zfree((void *)m->cmds[i].argv);
        zfree(m->cmds);
        zfree(m);
    }
    c->mstate = NULL;
    c->multiLen = -1;
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_EXEC);
}

/* ---- WATCH ---------------------------------------------------------------------- */

static bool watching(client *c, int db, uint64_t h, const char *key, size_t klen) {
    for (int i = 0; i < c->nwatched; i++) {
        regEntry *e = c->watched[i].node->entry;
        if (c->watched[i].db == db && c->watched[i].hash == h && e->klen == klen &&
            memcmp(e->key, key, klen) == 0)
            return true;
    }
    return false;
}

/* unwatchAll removes every watched key; takes each key's shard lock unless
 * the caller holds them all (the caller holds no other shard lock). */
static void unwatchAll(client *c) {
    for (int i = 0; i < c->nwatched; i++) {
        shard *s = ksShard(c->watched[i].db, c->watched[i].hash);
        cmdShardLock(c, s);
        regRemove(&s->watchers, c->watched[i].node);
        cmdShardUnlock(c, s);
    }
    if (c->nwatched) atomic_fetch_sub(&watchedKeysCount, c->nwatched);
    zfree(c->watched);
    c->watched = NULL;
    c->nwatched = c->watchedCap = 0;
    atomic_store(&c->casDirty, 0);
}

static void watchCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "WATCH inside MULTI is not allowed");
        return;
    }
    /* call() locked every key's shard */
    for (int i = 1; i < c->argc; i++) {
        uint64_t h = c->arghash[i];
        if (watching(c, c->db, h, c->argv[i], c->argvlen[i])) continue;
        shard *s = ksShard(c->db, h);
        kvobj **l = dbFindLink(s, h, c->argv[i], c->argvlen[i], c->nowms, true);
        if (c->nwatched == c->watchedCap) {
            c->watchedCap = c->watchedCap ? c->watchedCap * 2 : 4;
            c->watched = zrealloc(c->watched, sizeof(watchedKey) * (size_t)c->watchedCap);
        }
        watchedKey *w = &c->watched[c->nwatched++];
        w->db = c->db;
        w->hash = h;
        w->node = regAdd(&s->watchers, h, c->argv[i], c->argvlen[i], c);
        w->node->tag = l && kvIsExpired(*l, c->nowms);   /* expired already */
        atomic_fetch_add(&watchedKeysCount, 1);
    }
    addReplyOK(c);
}

static void unwatchCommand(client *c) {
    unwatchAll(c);
    addReplyOK(c);
}

static void touchEntry(regEntry *e, bool skipExpiredAtWatch) {
    for (regNode *n = e->head; n; n = n->next) {
        if (skipExpiredAtWatch && n->tag) continue;
        atomic_store(&((client *)n->owner)->casDirty, 1);
    }
}

void signalModifiedKey(client *c, int db, const char *key, size_t klen) {
    (void)c;
    if (atomic_load_explicit(&watchedKeysCount, memory_order_relaxed) == 0) return;
    uint64_t h = hashBytes(key, klen);
    regEntry *e = regFind(ksShard(db, h)->watchers, h, key, klen);
    if (e) touchEntry(e, false);
}

void watchKeyDeleted(int db, const char *key, size_t klen) {
    if (atomic_load_explicit(&watchedKeysCount, memory_order_relaxed) == 0) return;
    uint64_t h = hashBytes(key, klen);
    regEntry *e = regFind(ksShard(db, h)->watchers, h, key, klen);
    if (e) touchEntry(e, true);
}

typedef struct touchDbArg { int db, other; int64_t nowms; } touchDbArg;

static bool existsIn(int db, regEntry *e, int64_t nowms) {
    kvobj **l = dbFindLink(ksShard(db, e->hash), e->hash, e->key, e->klen, nowms, true);
    return l && !kvIsExpired(*l, nowms);
}

static void touchIfExists(regEntry *e, void *arg) {
    touchDbArg *a = arg;
    if (existsIn(a->db, e, a->nowms) || (a->other >= 0 && existsIn(a->other, e, a->nowms)))
        touchEntry(e, false);
}

void watchTouchDb(int db, int other) {
    if (atomic_load_explicit(&watchedKeysCount, memory_order_relaxed) == 0) return;
    touchDbArg a = { db, other, mstime() };
    for (int i = 0; i < ks.nshards; i++) regForEach(ksShardAt(db, i)->watchers, touchIfExists, &a);
    if (other >= 0) {
        touchDbArg b = { other, db, a.nowms };
        for (int i = 0; i < ks.nshards; i++)
            regForEach(ksShardAt(other, i)->watchers, touchIfExists, &b);
    }
}

/* watchedKeyExpired: a watched key that was alive at WATCH is logically
 * expired now (its shard locked). */
static bool watchedKeyExpired(client *c) {
    for (int i = 0; i < c->nwatched; i++) {
        watchedKey *w = &c->watched[i];
        if (w->node->tag) continue;
        regEntry *e = w->node->entry;
        kvobj **l = dbFindLink(ksShard(w->db, w->hash), w->hash, e->key, e->klen, c->nowms, true);
        if (l && kvIsExpired(*l, c->nowms)) return true;
    }
    return false;
}

/* ---- MULTI DISCARD EXEC -------------------------------------------------------- */

static void multiCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "MULTI calls can not be nested");
        return;
    }
    c->mstate = zcalloc(sizeof(multiState));
    c->multiLen = 0;
    c->flags |= CLIENT_MULTI;
    addReplyOK(c);
}

static void discardCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "DISCARD without MULTI");
        return;
    }
    discardTransaction(c);
    unwatchAll(c);
    addReplyOK(c);
}

static bool needsEverything(const cmdDef *cmd) {
    return (cmd->flags & (CMD_LOCK_ALL | CMD_LOCK_DB | CMD_LOCK_SELF)) ||
           (!cmd->parent && !strcmp(cmd->name, "select"));
}

typedef struct lockPlan {
    bool all;
    uint64_t *mask;          /* per db */
} lockPlan;

static void planLocks(client *c, lockPlan *p) {
    multiState *m = c->mstate;
    p->all = false;
    p->mask = zcalloc(sizeof(uint64_t) * (size_t)ks.ndb);
    for (int i = 0; i < m->n && !p->all; i++) if (needsEverything(m->cmds[i].cmd)) p->all = true;
    /* cmdLockMask reads the command from c: lend it each queued one (it
     * also hashes the key positions, which call() will not do in EXEC) */
    int argc = c->argc;
    const char **argv = c->argv;
    size_t *argvlen = c->argvlen;
    uint64_t *arghash = c->arghash;
    for (int i = 0; i < m->n; i++) {
        queued *q = &m->cmds[i];
        c->argc = q->argc;
        c->argv = q->argv;
        c->argvlen = q->argvlen;
        c->arghash = q->hash;
        uint64_t mask = cmdLockMask(c, q->cmd);
        if (!p->all) p->mask[c->db] |= mask;
    }
    c->argc = argc;
    c->argv = argv;
    c->argvlen = argvlen;
    c->arghash = arghash;
    for (int i = 0; i < c->nwatched; i++)
        p->mask[c->watched[i].db] |= 1ull << ksShardIndex(c->watched[i].hash);
}

static void lockPlanned(client *c, lockPlan *p) {
    for (int d = 0; d < ks.ndb; d++) {
        for (int i = 0; i < ks.nshards; i++)
            if (p->all || (p->mask[d] & (1ull << i))) rtLockAcquire(&ksShardAt(d, i)->lock);
    }
    if (p->all) cmdSetAllLocked(c, true);
}

static void unlockPlanned(client *c, lockPlan *p) {
    cmdSetAllLocked(c, false);
    for (int d = ks.ndb - 1; d >= 0; d--) {
        for (int i = ks.nshards - 1; i >= 0; i--)
            if (p->all || (p->mask[d] & (1ull << i))) rtLockRelease(&ksShardAt(d, i)->lock);
    }
    zfree(p->mask);
}

static void runQueued(client *c) {
    multiState *m = c->mstate;
    int argc = c->argc;
    const char **argv = c->argv;
    size_t *argvlen = c->argvlen;
    uint64_t *arghash = c->arghash;
    cmdDef *exec = c->cmd;
    uint32_t inExec = (c->flags & CLIENT_EXCLUSIVE) ? 0 : CLIENT_IN_EXEC;   /* exclusive: call() locks */
    c->flags |= inExec;
    addReplyArrayLen(c, m->n);
    for (int i = 0; i < m->n; i++) {
        queued *q = &m->cmds[i];
        c->argc = q->argc;
        c->argv = q->argv;
        c->argvlen = q->argvlen;
        c->arghash = q->hash;
        call(c, q->cmd);
        if (!(q->cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)) &&
            atomic_load_explicit(&nmonitors, memory_order_relaxed) > 0)
            monitorFeed(c);
    }
    c->flags &= ~CLIENT_IN_EXEC;
    c->argc = argc;
    c->argv = argv;
    c->argvlen = argvlen;
    c->arghash = arghash;
    c->cmd = exec;
}

bool multiNeedsExclusive(client *c) {
    multiState *m = c->mstate;
    if (!(c->flags & CLIENT_MULTI) || !m || (c->flags & CLIENT_DIRTY_EXEC)) return false;
    for (int i = 0; i < m->n; i++)
        if (m->cmds[i].cmd->flags & CMD_EXCLUSIVE) return true;
    return false;
}

/* execExclusive: a transaction with a script in it runs in the exclusive
 * section call() opened (gate.c): no other command runs, so nothing is
 * locked up front; each queued command locks its own keys through call()
 * (CLIENT_EXCLUSIVE), and the clients its pushes made ready are served
 * when the section ends. */
static void execExclusive(client *c) {
    if (atomic_load(&c->casDirty) || watchedKeyExpired(c)) addReplyNullArray(c);
    else runQueued(c);
    unwatchAll(c);
    discardTransaction(c);
}

static void execCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "EXEC without MULTI");
        return;
    }
    if (c->flags & CLIENT_DIRTY_EXEC) {
        discardTransaction(c);
        unwatchAll(c);
        addReplyError(c, "-EXECABORT Transaction discarded because of previous errors.");
        return;
    }
    if (c->flags & CLIENT_EXCLUSIVE) {
        execExclusive(c);
        return;
    }
    lockPlan plan;
    planLocks(c, &plan);
    lockPlanned(c, &plan);
    if (atomic_load(&c->casDirty) || watchedKeyExpired(c)) {
        addReplyNullArray(c);
    } else {
        runQueued(c);
        c->lockedDb = c->db;                 /* no SELECT queued unless all locked */
        c->lockedMask = plan.mask[c->db];
        if (c->nready) blockingServeReady(c);
    }
    /* unwatch while the locks are held: the nodes' shards are all locked */
    bool all = plan.all;
    if (!all) cmdSetAllLocked(c, true);   /* every watched key's shard is held */
    unwatchAll(c);
    if (!all) cmdSetAllLocked(c, false);
    unlockPlanned(c, &plan);
    discardTransaction(c);
}

bool multiIsExec(const cmdDef *cmd) { return cmd->proc == execCommand; }

void multiExecAbort(client *c, const char *err) {
    discardTransaction(c);
    unwatchAll(c);
    addReplyErrorFormat(c, "-EXECABORT Transaction discarded because of: %s", err);
}

void multiFreeClient(client *c) {
    discardTransaction(c);
    unwatchAll(c);
}

/* ---- the table ------------------------------------------------------------------ */

static const cmdArg keysArg[] = { { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };

#define TXN_FLAGS (CMD_NO_SCRIPT_FLAG | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY)
#define CMD_NO_SCRIPT_FLAG CMD_NOSCRIPT

/* multiQueue's neverQueued relies on MULTI, EXEC, DISCARD, WATCH coming first */
cmdDef multiCommands[] = {
    { .name = "multi", .proc = multiCommand, .arity = 1, .flags = TXN_FLAGS,
      .acl = "fast transaction", .group = "transactions", .since = "1.2.0",
      .summary = "Starts a transaction.", .complexity = "O(1)" },
    { .name = "exec", .proc = execCommand, .arity = 1,
      .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_SKIP_SLOWLOG,
      .acl = "slow transaction", .group = "transactions", .since = "1.2.0",
      .summary = "Executes all commands in a transaction.",
      .complexity = "Depends on commands in the transaction" },
    { .name = "discard", .proc = discardCommand, .arity = 1, .flags = TXN_FLAGS,
      .acl = "fast transaction", .group = "transactions", .since = "2.0.0",
      .summary = "Discards a transaction.", .complexity = "O(N), when N is the number of queued commands" },
    { .name = "watch", .proc = watchCommand, .arity = -2, .flags = TXN_FLAGS,
      .firstkey = 1, .lastkey = -1, .keystep = 1,
      .acl = "fast transaction", .group = "transactions", .since = "2.2.0",
      .summary = "Monitors changes to keys to determine the execution of a transaction.",
      .complexity = "O(1) for every key.", .args = keysArg },
    { .name = "unwatch", .proc = unwatchCommand, .arity = 1, .flags = TXN_FLAGS,
      .acl = "fast transaction", .group = "transactions", .since = "2.2.0",
      .summary = "Forgets about watched keys of a transaction.", .complexity = "O(1)" },
    { 0 }
};
