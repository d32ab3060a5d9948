/* blocking.c — BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP:
 * waiting on keys, and handing pushed elements to the waiters.
 *
 * A blocked client is a parked G (DESIGN.md §5). Its handler found every key
 * empty and called blockForKeys, which, under the shard locks call() holds,
 * appends a node naming the client's bwait to the `waiters` registry
 * (keyreg.h) of each key's shard, in FIFO order. The handler returns with
 * no reply; the client's G then waits in blockedWait (networking.c) on its
 * socket with the timeout as the read deadline, still reading (and
 * buffering, not running) whatever the client sends, so a disconnect is
 * seen at once.
 *
 * Serving. A command that creates a list or zset key calls signalKeyAsReady
 * (under that key's shard lock); when some client waits on the key it is
 * noted in the command's ready list. Before call() unlocks (EXEC: before
 * EXEC unlocks) blockingServeReady walks the ready keys: for each, while the
 * key holds elements, the first waiter of the right type is claimed with a
 * CAS on its state (WAITING → CLAIMED; a waiter on several keys is claimed
 * once, by whoever wins) and served right there, under the shard lock, by
 * running the pop for it against a scratch client (same db, protocol and
 * clock as the waiter) whose output becomes the waiter's reply: no other
 * client can take the element in between. The state then goes to DONE and
 * the waiter's G is woken (rtFdWakeReader), appends the reply, removes its
 * nodes (taking each shard lock in turn) and goes on with its input.
 *
 * BLMOVE's destination must be locked too. It is when the command holds
 * its shard already, or a try-lock gets it (released when serving ends).
 * Otherwise (another thread holds it: blocking there could deadlock with
 * the (db, shard) order) the waiter is not served now but woken with RETRY:
 * its G runs the command again through call(), which locks both keys in
 * order, and blocks anew if the source was emptied meanwhile (losing its
 * place in the queue: the one deviation from Redis's FIFO, under
 * contention on the destination only).
 *
 * The waiter side wins instead with WAITING → CANCELLED: on its timeout, on
 * CLIENT UNBLOCK (the reason is kept), or on a disconnect. A CAS loser
 * waits for the winner to finish (a claimer is a few instructions from
 * DONE, and it never parks).
 *
 * Invariants:
 *  - a bwait's nodes are added under the locks of the blocking call and
 *    removed only by its own G, each under its shard lock, before the bwait
 *    is freed; so a waiter found in a registry is alive;
 *  - only the claimer writes w->reply, before its release store of DONE;
 *  - c->bwait is set and cleared under clientsLock (CLIENT UNBLOCK).
 */
#include "server/server.h"
#include "server/config.h"
#include "server/keyreg.h"
#include "storage/hash.h"
#include "storage/zmalloc.h"

#include <limits.h>
#include <math.h>
#include <string.h>

_Atomic int blockedClients;

enum { BW_WAITING, BW_CLAIMED, BW_DONE, BW_RETRY, BW_CANCELLED };
enum { WHY_TIMEOUT = 0, WHY_UNBLOCK_TIMEOUT = 1, WHY_UNBLOCK_ERROR = 2, WHY_GONE = 3 };  /* blockingCancel's why */

typedef struct bkey {
    shard *s;
    regNode *node;
} bkey;

typedef struct bwait {
    client *c;
    _Atomic int state;
    int why;                  /* BW_CANCELLED: WHY_* */
    int db;
    cmdDef *cmd;
    blockSpec spec;
    int64_t deadlineMs;       /* unix ms; 0 = forever */
    /* the blocked command, copied (argv points into the query buffer) */
    int argc;
    char **argv;
    size_t *argvlen;
    uint64_t *arghash;
    int nkeys;
    bkey *keys;
    char *reply;              /* the claimer's output */
    size_t replyLen;
} bwait;

typedef struct readyKey {
    int db;
    uint64_t hash;
    size_t klen;
    char *key;
} readyKey;

/* ---- timeouts -------------------------------------------------------------------- */

bool getBlockTimeout(client *c, int i, int64_t *deadlineMs) {
    long double t;
    if (!str2ld(c->argv[i], c->argvlen[i], &t)) {
        addReplyError(c, "timeout is not a float or out of range");
        return false;
    }
    t *= 1000.0L;
    /* Redis converts to long long; what does not fit comes out negative */
    if (!(t >= -9.2e18L && t <= 9.2e18L) || t < 0) {
        addReplyError(c, "timeout is negative");
        return false;
    }
    long long ms = (long long)ceill(t);
    /* from the command's start rounded up to the next ms: nowms is rounded
     * down, which could end a wait up to 1 ms before the timeout */
    *deadlineMs = ms > 0 ? (c->nowus + 999) / 1000 + ms : 0;
    return true;
}

/* ---- blocking -------------------------------------------------------------------- */

static void replyTimeout(client *c) { addReplyNullArray(c); }

void blockForKeys(client *c, const blockSpec *sp, int64_t deadlineMs) {
    if (c->flags & (CLIENT_IN_EXEC | CLIENT_MULTI | CLIENT_SCRIPT)) {   /* cannot wait */
        if (sp->op == BOP_MOVE) addReplyNull(c);   /* Redis: a null bulk here, not *-1 */
        else replyTimeout(c);
        return;
    }
    bwait *w = zcalloc(sizeof *w);
    w->c = c;
    w->db = c->db;
    w->cmd = c->cmd;
    w->spec = *sp;
    w->deadlineMs = deadlineMs;
    size_t bytes = 0;
    for (int i = 0; i < c->argc; i++) bytes += c->argvlen[i] + 1;
    w->argc = c->argc;
    w->argv = zmalloc(sizeof(char *) * (size_t)c->argc + bytes);
    w->argvlen = zmalloc(sizeof(size_t) * (size_t)c->argc);
    w->arghash = zmalloc(sizeof(uint64_t) * (size_t)c->argc);
    char *p = (char *)(w->argv + c->argc);
    for (int i = 0; i < c->argc; i++) {
        memcpy(p, c->argv[i], c->argvlen[i]);
        p[c->argvlen[i]] = '\0';
        w->argv[i] = p;
        w->argvlen[i] = c->argvlen[i];
        w->arghash[i] = c->arghash[i];
        p += c->argvlen[i] + 1;
    }
    w->keys = zmalloc(sizeof(bkey) * (size_t)sp->nkeys);
    for (int k = 0; k < sp->nkeys; k++) {
        int i = sp->firstkey + k;
        bool dup = false;            /* BLPOP k k 0 waits once on k */
        for (int j = sp->firstkey; j < i && !dup; j++)
            dup = c->argvlen[j] == c->argvlen[i] && !memcmp(c->argv[j], c->argv[i], c->argvlen[i]);
        if (dup) continue;
        shard *s = ksShard(c->db, c->arghash[i]);
        w->keys[w->nkeys].s = s;
        w->keys[w->nkeys].node = regAdd(&s->waiters, c->arghash[i], c->argv[i], c->argvlen[i], w);
        w->nkeys++;
    }
    atomic_store(&w->state, BW_WAITING);
    rtLockAcquire(&clientsLock);
    c->bwait = w;
    rtLockRelease(&clientsLock);
    atomic_fetch_add(&blockedClients, 1);
}

/* blockingPop is every blocking command's handler body once its options
 * are parsed: serve at once from the first key that holds something (a key
 * of another type is WRONGTYPE, as in Redis), or block on all of them. */
void blockingPop(client *c, const blockSpec *sp, int timeouti) {
    int64_t deadline;
    if (!getBlockTimeout(c, timeouti, &deadline)) return;
    for (int k = 0; k < sp->nkeys; k++) {
        int ki = sp->firstkey + k;
        kvobj *o = lookupWrite(c, ki);
        if (!o) continue;
        if (!checkType(c, o, sp->type)) return;
        if (sp->type == OBJ_LIST) listServe(c, sp, ki, sp->dsti, o);
        else zsetServe(c, sp, ki, o);
        return;
    }
    blockForKeys(c, sp, deadline);
}

/* ---- ready keys ------------------------------------------------------------------ */

static bool readyHas(client *c, int db, uint64_t h, const char *key, size_t klen) {
    for (int i = 0; i < c->nready; i++)
        if (c->ready[i].db == db && c->ready[i].hash == h && c->ready[i].klen == klen &&
            !memcmp(c->ready[i].key, key, klen))
            return true;
    return false;
}

/* readyPush appends r (its key now owned by c's list) */
static void readyPush(client *c, readyKey r) {
    if (c->nready == c->readyCap) {
        c->readyCap = c->readyCap ? c->readyCap * 2 : 4;
        c->ready = zrealloc(c->ready, sizeof(readyKey) * (size_t)c->readyCap);
    }
    c->ready[c->nready++] = r;
}

void signalKeyAsReady(client *c, int db, const char *key, size_t klen) {
    if (atomic_load_explicit(&blockedClients, memory_order_relaxed) == 0) return;
    uint64_t h = hashBytes(key, klen);
    if (!regFind(ksShard(db, h)->waiters, h, key, klen) || readyHas(c, db, h, key, klen)) return;
    char *copy = zmalloc(klen + 1);
    memcpy(copy, key, klen);
    copy[klen] = '\0';
    readyPush(c, (readyKey){ db, h, klen, copy });
}

typedef struct scanArg { client *c; int db; } scanArg;

static void signalIfFilled(regEntry *e, void *arg) {
    scanArg *a = arg;
    kvobj *o = dbFind(ksShard(a->db, e->hash), e->hash, e->key, e->klen, a->c->nowms);
    if (o && (kvType(o) == OBJ_LIST || kvType(o) == OBJ_ZSET))
        signalKeyAsReady(a->c, a->db, e->key, e->klen);
}

void blockingScanDb(client *c, int db) {
    if (atomic_load_explicit(&blockedClients, memory_order_relaxed) == 0) return;
    scanArg a = { c, db };
    for (int i = 0; i < ks.nshards; i++) regForEach(ksShardAt(db, i)->waiters, signalIfFilled, &a);
}

/* extra shards a serving pass try-locked for BLMOVE destinations */
typedef struct servePass {
    client *c;
    shard *extra[10];        /* [0, nlent): held by the caller; then try-locked here */
    int nlent, nextra;
} servePass;

static bool heldBy(servePass *sp, shard *s) {
    client *c = sp->c;
    if (c->flags & CLIENT_ALL_LOCKED) return true;
    if (c->lockedDb >= 0 && ksDbOf(s) == c->lockedDb && (c->lockedMask & (1ull << (s - ksShardAt(c->lockedDb, 0)))))
        return true;
    for (int i = 0; i < sp->nextra; i++) if (sp->extra[i] == s) return true;
    return false;
}

static bool lockDestination(servePass *sp, shard *s) {
    if (heldBy(sp, s)) return true;
    if (sp->nextra == (int)(sizeof sp->extra / sizeof sp->extra[0])) return false;
    if (!rtLockTryAcquire(&s->lock)) return false;
    sp->extra[sp->nextra++] = s;
    return true;
}

static bwait *firstWaiter(regEntry *e, int type) {
    for (regNode *n = e->head; n; n = n->next) {
        bwait *w = n->owner;
        if (w->spec.type == type && atomic_load(&w->state) == BW_WAITING) return w;
    }
    return NULL;
}

static void finish(bwait *w, int state) {
    atomic_store_explicit(&w->state, state, memory_order_release);
    rtFdWakeReader(w->c->fd);
}

/* serveOne runs w's pop on key (its shard locked) for a scratch client and
 * hands over the reply. The scratch client's ready keys (BLMOVE pushing
 * into a key someone waits on) join c's. */
static void serveOne(servePass *pass, bwait *w, readyKey *rk) {
    client *c = pass->c;
    const char *argv[3] = { w->argv[0], rk->key, NULL };
    size_t argvlen[3] = { w->argvlen[0], rk->klen, 0 };
    uint64_t arghash[3] = { 0, rk->hash, 0 };
    int argc = 2;
    if (w->spec.op == BOP_MOVE) {
        int d = w->spec.dsti;
        argv[2] = w->argv[d];
        argvlen[2] = w->argvlen[d];
        arghash[2] = w->arghash[d];
        argc = 3;
        if (!lockDestination(pass, ksShard(w->db, arghash[2]))) {
            finish(w, BW_RETRY);
            return;
        }
    }
    client sc;
    memset(&sc, 0, sizeof sc);
    sc.id = w->c->id;
    sc.fd = w->c->fd;
    sc.db = w->db;
    sc.resp = w->c->resp;
    sc.authenticated = true;
    sc.argc = argc;
    sc.argv = argv;
    sc.argvlen = argvlen;
    sc.arghash = arghash;
    sc.cmd = w->cmd;
    sc.nowms = c->nowms;
    sc.nowus = c->nowus;
    sc.lockedDb = -1;
    shard *s = ksShard(w->db, rk->hash);
    kvobj *o = dbFind(s, rk->hash, rk->key, rk->klen, c->nowms);
    if (w->spec.type == OBJ_LIST) listServe(&sc, &w->spec, 1, 2, o);
    else zsetServe(&sc, &w->spec, 1, o);
    for (int i = 0; i < sc.nready; i++) {
        readyKey *r = &sc.ready[i];
        signalKeyAsReady(c, r->db, r->key, r->klen);
        zfree(r->key);
    }
    zfree(sc.ready);
    w->reply = sc.obuf;
    w->replyLen = sc.olen;
    finish(w, BW_DONE);
}

static void serveKey(servePass *pass, readyKey *rk) {
    shard *s = ksShard(rk->db, rk->hash);
    for (;;) {
        regEntry *e = regFind(s->waiters, rk->hash, rk->key, rk->klen);
        if (!e) return;
        kvobj *o = dbFind(s, rk->hash, rk->key, rk->klen, pass->c->nowms);
        if (!o) return;
        bwait *w = firstWaiter(e, kvType(o));
        if (!w) return;
        int expect = BW_WAITING;
        if (!atomic_compare_exchange_strong(&w->state, &expect, BW_CLAIMED)) continue;
        serveOne(pass, w, rk);
    }
}

static void serveReady(servePass *pass);

void blockingServeReady(client *c) {
    servePass pass = { .c = c };
    serveReady(&pass);
}

void blockingServeLocked(client *c, shard *a, shard *b) {
    servePass pass = { .c = c, .extra = { a, b }, .nlent = 2, .nextra = 2 };
    c->lockedDb = -1;
    c->lockedMask = 0;
    serveReady(&pass);
}

/* serveReadyOf serves c's ready keys of db (every db when db < 0) whose
 * shards are held, then drops those keys from the list (the others stay,
 * in order) and releases what the pass try-locked. */
static void serveReadyOf(servePass *pass, int db) {
    client *c = pass->c;
    /* serving may append (BLMOVE into a watched-on key): index, not pointer */
    for (int i = 0; i < c->nready; i++) {
        readyKey rk = c->ready[i];
        if ((db < 0 || rk.db == db) && heldBy(pass, ksShard(rk.db, rk.hash))) serveKey(pass, &rk);
    }
    int kept = 0;
    for (int i = 0; i < c->nready; i++) {
        if (db < 0 || c->ready[i].db == db) zfree(c->ready[i].key);
        else c->ready[kept++] = c->ready[i];
    }
    c->nready = kept;
    for (int i = pass->nextra - 1; i >= pass->nlent; i--) rtLockRelease(&pass->extra[i]->lock);
}

static void serveReady(servePass *pass) { serveReadyOf(pass, -1); }

/* serveDb serves c's ready keys of db with their shards locked */
static void serveDb(client *c, int db) {
    uint64_t mask = 0;
    for (int i = 0; i < c->nready; i++)
        if (c->ready[i].db == db) mask |= 1ull << ksShardIndex(c->ready[i].hash);
    cmdLockDbMask(db, mask);
    c->lockedDb = db;
    c->lockedMask = mask;
    servePass pass = { .c = c };
    serveReadyOf(&pass, db);
    cmdUnlockDbMask(db, mask);
    c->lockedDb = -1;
    c->lockedMask = 0;
}

void blockingMoveReady(client *from, client *to) {
    for (int i = 0; i < from->nready; i++) {
        readyKey r = from->ready[i];
        if (readyHas(to, r.db, r.hash, r.key, r.klen)) zfree(r.key);   /* an earlier script's */
        else readyPush(to, r);
    }
    from->nready = 0;
}

void blockingServeCollected(client *c) {
    while (c->nready) serveDb(c, c->ready[0].db);
}

/* ---- the waiter's side ------------------------------------------------------------ */

int64_t blockingDeadlineNs(client *c) {
    bwait *w = c->bwait;
    if (!w->deadlineMs) return 0;
    int64_t left = w->deadlineMs - mstime();
    return rtNanotime() + (left > 0 ? left : 0) * 1000000LL;
}

/* blockingCancel: the waiter's G tries to end the wait itself (why: WHY_*).
 * False when a claimer got there first (the caller then waits for it). */
bool blockingCancel(client *c, int why) {
    bwait *w = c->bwait;
    int expect = BW_WAITING;
    if (!atomic_compare_exchange_strong(&w->state, &expect, BW_CANCELLED)) return false;
    w->why = why;
    return true;
}

bool blockingUnblock(client *c, bool error) {
    bwait *w = c->bwait;
    if (!w) return false;
    int expect = BW_WAITING;
    if (!atomic_compare_exchange_strong(&w->state, &expect, BW_CANCELLED)) return false;
    w->why = error ? WHY_UNBLOCK_ERROR : WHY_UNBLOCK_TIMEOUT;
    rtFdWakeReader(c->fd);
    return true;
}

bool blockingEnded(client *c) {
    int st = atomic_load_explicit(&c->bwait->state, memory_order_acquire);
    return st == BW_DONE || st == BW_RETRY || st == BW_CANCELLED;
}

static void unregister(bwait *w) {
    for (int k = 0; k < w->nkeys; k++) {
        rtLockAcquire(&w->keys[k].s->lock);
        regRemove(&w->keys[k].s->waiters, w->keys[k].node);
        rtLockRelease(&w->keys[k].s->lock);
    }
}

/* blockingFinish ends c's wait (its state is final: DONE, RETRY or
 * CANCELLED): unregisters, replies (unless the client is gone), frees.
 * RETRY runs the command again, which may block anew. */
void blockingFinish(client *c, bool gone) {
    bwait *w = c->bwait;
    unregister(w);
    rtLockAcquire(&clientsLock);
    c->bwait = NULL;
    rtLockRelease(&clientsLock);
    atomic_fetch_sub(&blockedClients, 1);
    int st = atomic_load_explicit(&w->state, memory_order_acquire);
    if (!gone) {
        if (st == BW_DONE) {
            addReplyProto(c, w->reply, w->replyLen);
        } else if (st == BW_RETRY) {
            int argc = c->argc;
            const char **argv = c->argv;
            size_t *argvlen = c->argvlen;
            uint64_t *arghash = c->arghash;
            c->argc = w->argc;
            c->argv = (const char **)w->argv;
            c->argvlen = w->argvlen;
            c->arghash = w->arghash;
            call(c, w->cmd);
            c->argc = argc;
            c->argv = argv;
            c->argvlen = argvlen;
            c->arghash = arghash;
        } else if (w->why == WHY_UNBLOCK_ERROR) {
            addReplyError(c, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else {
            replyTimeout(c);
        }
    }
    zfree(w->reply);
    zfree(w->argv);
    zfree(w->argvlen);
    zfree(w->arghash);
    zfree(w->keys);
    zfree(w);
}
