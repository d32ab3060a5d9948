/* keys.c — generic key commands: DEL UNLINK EXISTS TYPE TOUCH KEYS SCAN
 * RANDOMKEY RENAME RENAMENX COPY MOVE, the EXPIRE / TTL family, PERSIST,
 * OBJECT, DBSIZE FLUSHDB FLUSHALL SWAPDB.
 *
 * Replies and error texts are Redis 7.0's. Locking (DESIGN.md §4):
 *
 *   single- and multi-key commands in one db   key positions in the table;
 *     (DEL EXISTS TOUCH RENAME EXPIRE ...)     call() locks their shards
 *   MOVE, COPY (COPY ... DB n crosses dbs)     CMD_LOCK_SELF: the handler
 *                                              hashes the keys into
 *                                              c->arghash and locks the two
 *                                              shards in (db, shard) order
 *   KEYS SCAN RANDOMKEY DBSIZE                 CMD_LOCK_SELF: one shard at a
 *                                              time, rtMaybeYield() between
 *                                              shards with no lock held
 *   FLUSHDB                                    CMD_LOCK_DB
 *   FLUSHALL SWAPDB                            CMD_LOCK_ALL
 *
 * Decisions where Redis's own structure does not carry over:
 *  - SCAN cursor: cursor = (tableCursor << ks.shardBits) | shardIndex. A scan
 *    walks shard 0, 1, ... each with its table's reverse-binary cursor
 *    (kvtScan), so every key present for the whole scan is returned at least
 *    once, like Redis. COUNT bounds the keys looked at per call (before MATCH
 *    and TYPE filter them) and the buckets visited (10 x COUNT), as in Redis;
 *    a call may span several shards. Expired keys that pass MATCH are deleted
 *    on the way, as Redis's SCAN does.
 *  - KEYS holds each shard's lock while it walks that shard, so a key is
 *    never listed twice; shards are walked one after the other.
 *  - RANDOMKEY picks a shard weighted by its size, then a key in it;
 *    expired picks are deleted and the draw repeats (Redis's dbRandomKey).
 *  - OBJECT REFCOUNT: Redis shares the integers 0..9999 (refcount INT_MAX)
 *    unless maxmemory is set with an LRU/LFU policy; roost stores values
 *    inline and answers what Redis would for the same value and settings.
 *  - OBJECT FREQ reads the kvobj's LFU field (16-bit minutes << 8 | 8-bit
 *    counter) with Redis's decay; it is meaningful once access tracking
 *    writes LFU data under an LFU policy.
 *  - FLUSHDB/FLUSHALL ASYNC (or lazyfree-lazy-user-flush) detach the
 *    shards' contents under the locks (O(1) a shard) and free them in a
 *    background G; SYNC frees them in place. UNLINK frees synchronously
 *    (values are owned by one kvobj; the observable result is the same).
 */
#include "server/server.h"
#include "storage/hash.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* ---- helpers ------------------------------------------------------------------ */

static const char *const typeNames[16] = {
    [OBJ_STRING] = "string", [OBJ_LIST] = "list", [OBJ_SET] = "set",
    [OBJ_ZSET] = "zset", [OBJ_HASH] = "hash", [OBJ_STREAM] = "stream",
};

static const char *typeName(int t) { return typeNames[t & 15] ? typeNames[t & 15] : "none"; }

static const char *const encNames[16] = {
    [ENC_RAW] = "raw", [ENC_INT] = "int", [ENC_HT] = "hashtable", [ENC_ZIPMAP] = "zipmap",
    [ENC_LINKEDLIST] = "linkedlist", [ENC_ZIPLIST] = "ziplist", [ENC_INTSET] = "intset",
    [ENC_SKIPLIST] = "skiplist", [ENC_EMBSTR] = "embstr", [ENC_QUICKLIST] = "quicklist",
    [ENC_STREAM] = "stream", [ENC_LISTPACK] = "listpack",
};

static void statLookup(bool hit) {
    hotStatAdd(hit ? HSTAT_HITS : HSTAT_MISSES, 1);
}

/* lookupNoTouch: Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH): lazy
 * expiry and hit/miss statistics, but the LRU/LFU field is left alone. */
static kvobj **lookupNoTouch(client *c, int i) {
    kvobj **l = dbFindLink(cShard(c, i), c->arghash[i], c->argv[i], c->argvlen[i], c->nowms, false);
    statLookup(l != NULL);
    if (!l) notifyKeyspaceEvent(c, NOTIFY_KEY_MISS, "keymiss", c->argv[i], c->argvlen[i], c->db);
    return l;
}

/* hashArg fills c->arghash[i] for commands that lock for themselves. */
static uint64_t hashArg(client *c, int i) {
    c->arghash[i] = hashBytes(c->argv[i], c->argvlen[i]);
    return c->arghash[i];
}

/* The CMD_LOCK_SELF commands take and drop shard locks only through these
 * three, so a caller that already holds every shard (EXEC, scripts:
 * DESIGN.md §5) has one place to turn them into no-ops. */
#define shardLock(s) cmdShardLock(c, (s))
#define shardUnlock(s) cmdShardUnlock(c, (s))
#define walkYield() cmdWalkYield(c)   /* between shards, no lock held */

/* Two shards in (db, shard) order: ks.shards is db-major, so address order
 * is lock order. The same shard is locked once. */
static void lockPair(client *c, shard *a, shard *b) {
    if (a == b) { shardLock(a); return; }
    if (a > b) { shard *t = a; a = b; b = t; }
    shardLock(a);
    shardLock(b);
}

static void unlockPair(client *c, shard *a, shard *b) {
    if (a == b) { shardUnlock(a); return; }
    if (a < b) { shard *t = a; a = b; b = t; }
    shardUnlock(a);
    shardUnlock(b);
}

/* getDbArg: Redis's getIntFromObjectOrReply followed by a db range check. */
static bool getDbArg(client *c, int i, int *db) {
    long long v;
    if (!getLongLongFromArg(c, i, &v)) {
        addReplyErrorNotInt(c);
        return false;
    }
    if (v < INT_MIN || v > INT_MAX) {
        addReplyError(c, "value is out of range, value must between -2147483648 and 2147483647");
        return false;
    }
    if (v < 0 || v >= ks.ndb) {
        addReplyError(c, "DB index is out of range");
        return false;
    }
    *db = (int)v;
    return true;
}

static bool argsEqual(client *c, int i, int j) {
    return c->argvlen[i] == c->argvlen[j] && memcmp(c->argv[i], c->argv[j], c->argvlen[i]) == 0;
}

/* ---- DEL UNLINK EXISTS TOUCH TYPE ------------------------------------------------ */

static void delCommand(client *c) {
    long long n = 0;
    for (int i = 1; i < c->argc; i++) {
        if (deleteKey(c, i)) {
            n++;
            notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[i], c->argvlen[i], c->db);
        }
    }
    addReplyLongLong(c, n);
}

static void existsCommand(client *c) {
    long long n = 0;
    for (int i = 1; i < c->argc; i++)
        if (lookupNoTouch(c, i)) n++;
    addReplyLongLong(c, n);
}

static void touchCommand(client *c) {
    long long n = 0;
    for (int i = 1; i < c->argc; i++)
        if (lookupRead(c, i)) n++;
    addReplyLongLong(c, n);
}

static void typeCommand(client *c) {
    kvobj **l = lookupNoTouch(c, 1);
    addReplyStatus(c, l ? typeName(kvType(*l)) : "none");
}

/* ---- KEYS ------------------------------------------------------------------------- */

typedef struct keysCtx {
    client *c;
    const char *pat;
    size_t plen;
    bool all;
    int64_t now;
    long n;
} keysCtx;

static void keysEmit(void *arg, kvobj *o) {
    keysCtx *k = arg;
    const char *key = kvKey(o);
    size_t klen = kvKeyLen(o);
    if (!k->all && !globMatch(k->pat, k->plen, key, klen, false)) return;
    if (kvIsExpired(o, k->now)) return;
    addReplyBulk(k->c, key, klen);
    k->n++;
}

static void keysCommand(client *c) {
    keysCtx k = { .c = c, .pat = c->argv[1], .plen = c->argvlen[1], .now = c->nowms };
    k.all = k.plen == 1 && k.pat[0] == '*';
    size_t h = addReplyDeferredLen(c);
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(c->db, i);
        shardLock(s);
        kvtForEach(&s->table, keysEmit, &k);
        shardUnlock(s);
        walkYield();
    }
    setDeferredArrayLen(c, h, k.n);
}

/* ---- SCAN ------------------------------------------------------------------------- */

/* keyBuf: key copies, each a uint32 length and the bytes, so they outlive
 * the shard lock they were found under. */
typedef struct keyBuf {
    char *p;
    size_t len, cap;
    long n;
} keyBuf;

static void keyBufPush(keyBuf *b, const char *key, size_t klen) {
    size_t need = b->len + 4 + klen;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need) cap *= 2;
        b->p = zrealloc(b->p, cap);
        b->cap = cap;
    }
    uint32_t l = (uint32_t)klen;
    memcpy(b->p + b->len, &l, 4);
    memcpy(b->p + b->len + 4, key, klen);
    b->len = need;
    b->n++;
}

/* keyBufNext walks the buffer: *off starts at 0; false at the end. */
static bool keyBufNext(const keyBuf *b, size_t *off, const char **key, size_t *klen) {
    if (*off >= b->len) return false;
    uint32_t l;
    memcpy(&l, b->p + *off, 4);
    *key = b->p + *off + 4;
    *klen = l;
    *off += 4 + l;
    return true;
}

static void keyBufFree(keyBuf *b) { zfree(b->p); }

typedef struct scanCtx {
    keyBuf out;              /* keys to reply */
    keyBuf expired;          /* matching keys found expired: deleted after the step */
    const char *pat;
    size_t plen;
    bool usePat;
    const char *type;        /* TYPE filter or NULL */
    size_t typelen;
    int64_t now;
    unsigned long long seen; /* keys looked at, filtered or not (COUNT) */
    uint64_t hits, misses;   /* TYPE looks keys up, as Redis's SCAN does */
} scanCtx;

static void scanEmit(void *arg, kvobj *o) {
    scanCtx *sc = arg;
    const char *key = kvKey(o);
    size_t klen = kvKeyLen(o);
    sc->seen++;
    if (sc->usePat && !globMatch(sc->pat, sc->plen, key, klen, false)) return;
    bool expired = kvIsExpired(o, sc->now);
    if (expired) {
        if (sc->type) sc->misses++;
        keyBufPush(&sc->expired, key, klen);
        return;
    }
    if (sc->type) {
        sc->hits++;
        const char *t = typeName(kvType(o));
        if (strlen(t) != sc->typelen || strncasecmp(t, sc->type, sc->typelen) != 0) return;
    }
    keyBufPush(&sc->out, key, klen);
}

/* scanDeleteExpired deletes the expired keys one scan step found (the
 * shard is locked; kvtScan forbids deleting from inside the walk). */
static void scanDeleteExpired(scanCtx *sc, shard *s) {
    size_t off = 0;
    const char *key;
    size_t klen;
    while (keyBufNext(&sc->expired, &off, &key, &klen))
        dbFindLink(s, hashBytes(key, klen), key, klen, sc->now, false);   /* deletes it */
    sc->expired.len = 0;
    sc->expired.n = 0;
}

static void scanCommand(client *c) {
    unsigned long long cursor;
    long long count = 10;
    if (!getScanCursorOrReply(c, 1, &cursor)) return;
    scanCtx sc = { .now = c->nowms };
    for (int i = 2; i < c->argc; i += 2) {
        int more = c->argc - i;
        if (argEq(c, i, "count") && more >= 2) {
            if (!getLongLongFromArgOrReply(c, i + 1, &count, NULL)) return;
            if (count < 1) { addReplyErrorSyntax(c); return; }
        } else if (argEq(c, i, "match") && more >= 2) {
            sc.pat = c->argv[i + 1];
            sc.plen = c->argvlen[i + 1];
            sc.usePat = !(sc.plen == 1 && sc.pat[0] == '*');
        } else if (argEq(c, i, "type") && more >= 2) {
            sc.type = c->argv[i + 1];
            sc.typelen = c->argvlen[i + 1];
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }

    unsigned long long maxIters = (unsigned long long)count > ULLONG_MAX / 10
                                      ? ULLONG_MAX : (unsigned long long)count * 10;
    int si = (int)(cursor & (unsigned long long)(ks.nshards - 1));
    uint64_t tc = cursor >> ks.shardBits;
    bool done = false;
    for (;;) {
        shard *s = ksShardAt(c->db, si);
        shardLock(s);
        do {
            tc = kvtScan(&s->table, tc, scanEmit, &sc);
            if (sc.expired.n) scanDeleteExpired(&sc, s);
            maxIters--;
        } while (tc && maxIters > 0 && sc.seen < (unsigned long long)count);
        shardUnlock(s);
        if (tc == 0 && ++si == ks.nshards) { done = true; break; }
        if (maxIters == 0 || sc.seen >= (unsigned long long)count) break;
        walkYield();
    }
    if (sc.hits) hotStatAdd(HSTAT_HITS, sc.hits);
    if (sc.misses) hotStatAdd(HSTAT_MISSES, sc.misses);

    char buf[24];
    unsigned long long next = done ? 0 : ((unsigned long long)tc << ks.shardBits) | (unsigned)si;
    int blen = snprintf(buf, sizeof buf, "%llu", next);
    addReplyArrayLen(c, 2);
    addReplyBulk(c, buf, (size_t)blen);
    addReplyArrayLen(c, sc.out.n);
    size_t off = 0;
    const char *key;
    size_t klen;
    while (keyBufNext(&sc.out, &off, &key, &klen)) addReplyBulk(c, key, klen);
    keyBufFree(&sc.out);
    keyBufFree(&sc.expired);
}

/* ---- RANDOMKEY ---------------------------------------------------------------------- */

static void randomkeyCommand(client *c) {
    uint64_t sizes[64];
    int ns = ks.nshards < 64 ? ks.nshards : 64;
    for (;;) {
        uint64_t total = 0;
        for (int i = 0; i < ns; i++) {
            shard *s = ksShardAt(c->db, i);
            shardLock(s);
            sizes[i] = kvtSize(&s->table);
            shardUnlock(s);
            total += sizes[i];
        }
        if (total == 0) { addReplyNull(c); return; }
        uint64_t r = ksRandom() % total;
        int i = 0;
        while (r >= sizes[i]) r -= sizes[i++];
        shard *s = ksShardAt(c->db, i);
        shardLock(s);
        kvobj *o = kvtRandom(&s->table, ksRandom);
        if (o && kvIsExpired(o, c->nowms)) {
            /* Redis deletes an expired pick and draws again */
            dbFindLink(s, hashBytes(kvKey(o), kvKeyLen(o)), kvKey(o), kvKeyLen(o), c->nowms, false);
            o = NULL;
        } else if (o) {
            addReplyBulk(c, kvKey(o), kvKeyLen(o));
        }
        shardUnlock(s);
        if (o) return;
        walkYield();   /* the shard emptied or the pick expired: draw again */
    }
}

/* ---- RENAME RENAMENX ---------------------------------------------------------------- */

static void renameGeneric(client *c, bool nx) {
    bool samekey = argsEqual(c, 1, 2);
    if (!lookupLinkWrite(c, 1)) {
        addReplyError(c, "no such key");
        return;
    }
    if (samekey) {
        if (nx) addReplyLongLong(c, 0);
        else addReplyOK(c);
        return;
    }
    shard *src = cShard(c, 1), *dst = cShard(c, 2);
    kvobj **dl = lookupLinkWrite(c, 2);
    if (dl) {
        if (nx) { addReplyLongLong(c, 0); return; }
        dbDeleteAt(dst, dl);
        kvtAfterDelete(&dst->table);
    }
    /* find the source again: the target lookup may have moved links */
    kvobj **sl = dbFindLink(src, c->arghash[1], c->argv[1], c->argvlen[1], c->nowms, true);
    kvobj *o = dbUnlinkAt(src, sl);
    kvtAfterDelete(&src->table);
    int type = kvType(o);
    dbAdd(dst, c->arghash[2], kvRekey(o, c->argv[2], c->argvlen[2]));   /* keeps expire, LRU */
    if (type == OBJ_LIST || type == OBJ_ZSET) signalKeyAsReady(c, c->db, c->argv[2], c->argvlen[2]);
    notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[2], c->argvlen[2], c->db);
    signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    signalModifiedKey(c, c->db, c->argv[2], c->argvlen[2]);
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "rename_from", c->argv[1], c->argvlen[1], c->db);
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "rename_to", c->argv[2], c->argvlen[2], c->db);
    if (nx) addReplyLongLong(c, 1);
    else addReplyOK(c);
}

static void renameCommand(client *c) { renameGeneric(c, false); }
static void renamenxCommand(client *c) { renameGeneric(c, true); }

/* ---- MOVE COPY ---------------------------------------------------------------------- */

static void moveCommand(client *c) {
    int dstdb;
    if (!getDbArg(c, 2, &dstdb)) return;
    if (dstdb == c->db) {
        addReplyError(c, "source and destination objects are the same");
        return;
    }
    uint64_t h = hashArg(c, 1);
    shard *src = ksShard(c->db, h), *dst = ksShard(dstdb, h);
    lockPair(c, src, dst);
    kvobj **sl = lookupLinkWrite(c, 1);
    long long moved = 0;
    if (sl && !dbFindLink(dst, h, c->argv[1], c->argvlen[1], c->nowms, false)) {
        kvobj *o = dbUnlinkAt(src, sl);   /* src's link: the lookup above was in dst's table */
        kvtAfterDelete(&src->table);
        dbAdd(dst, h, o);                 /* same key, same hash: the block moves as is */
        if (kvType(o) == OBJ_LIST || kvType(o) == OBJ_ZSET)
            signalKeyAsReady(c, dstdb, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[1], c->argvlen[1], dstdb);
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
        signalModifiedKey(c, dstdb, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "move_from", c->argv[1], c->argvlen[1], c->db);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "move_to", c->argv[1], c->argvlen[1], dstdb);
        moved = 1;
    }
    if (c->nready) blockingServeLocked(c, src, dst);
    unlockPair(c, src, dst);
    addReplyLongLong(c, moved);
}

static void copyCommand(client *c) {
    int dstdb = c->db;
    bool replace = false;
    for (int j = 3; j < c->argc; j++) {
        if (argEq(c, j, "replace")) {
            replace = true;
        } else if (argEq(c, j, "db") && j + 1 < c->argc) {
            if (!getDbArg(c, j + 1, &dstdb)) return;
            j++;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (dstdb == c->db && argsEqual(c, 1, 2)) {
        addReplyError(c, "source and destination objects are the same");
        return;
    }
    uint64_t h1 = hashArg(c, 1), h2 = hashArg(c, 2);
    shard *src = ksShard(c->db, h1), *dst = ksShard(dstdb, h2);
    lockPair(c, src, dst);
    long long copied = 0;
    kvobj *o = lookupRead(c, 1);
    if (o) {
        kvobj **dl = dbFindLink(dst, h2, c->argv[2], c->argvlen[2], c->nowms, false);
        if (!dl || replace) {
            /* o stays valid: table operations move links, never entries */
            kvobj *n = kvDup(o, c->argv[2], c->argvlen[2], kvExpire(o));
            dbTouch(n);
            if (dl) {
                dbDeleteAt(dst, dl);
                kvtAfterDelete(&dst->table);
            }
            dbAdd(dst, h2, n);
            if (kvType(n) == OBJ_LIST || kvType(n) == OBJ_ZSET)
                signalKeyAsReady(c, dstdb, c->argv[2], c->argvlen[2]);
            notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[2], c->argvlen[2], dstdb);
            signalModifiedKey(c, dstdb, c->argv[2], c->argvlen[2]);
            notifyKeyspaceEvent(c, NOTIFY_GENERIC, "copy_to", c->argv[2], c->argvlen[2], dstdb);
            copied = 1;
        }
    }
    if (c->nready) blockingServeLocked(c, src, dst);
    unlockPair(c, src, dst);
    addReplyLongLong(c, copied);
}

/* ---- EXPIRE PEXPIRE EXPIREAT PEXPIREAT ---------------------------------------------- */

#define EXP_NX 1
#define EXP_XX 2
#define EXP_GT 4
#define EXP_LT 8

static bool parseExpireFlags(client *c, int *flags) {
    for (int j = 3; j < c->argc; j++) {
        if (argEq(c, j, "nx")) *flags |= EXP_NX;
        else if (argEq(c, j, "xx")) *flags |= EXP_XX;
        else if (argEq(c, j, "gt")) *flags |= EXP_GT;
        else if (argEq(c, j, "lt")) *flags |= EXP_LT;
        else {
            addReplyErrorFormat(c, "Unsupported option %.*s", (int)c->argvlen[j], c->argv[j]);
            return false;
        }
    }
    if ((*flags & EXP_NX) && (*flags & (EXP_XX | EXP_GT | EXP_LT))) {
        addReplyError(c, "NX and XX, GT or LT options at the same time are not compatible");
        return false;
    }
    if ((*flags & EXP_GT) && (*flags & EXP_LT)) {
        addReplyError(c, "GT and LT options at the same time are not compatible");
        return false;
    }
    return true;
}

/* expireGeneric: basetime is now (EXPIRE, PEXPIRE) or 0 (…AT); seconds
 * says whether the argument is in seconds. */
static void expireGeneric(client *c, long long basetime, bool seconds) {
    int flags = 0;
    long long when;
    if (!parseExpireFlags(c, &flags)) return;
    if (!getLongLongFromArgOrReply(c, 2, &when, NULL)) return;
    if (seconds) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) goto badtime;
        when *= 1000;
    }
    if (when > LLONG_MAX - basetime) goto badtime;
    when += basetime;

    kvobj **l = lookupLinkWrite(c, 1);
    if (!l) { addReplyLongLong(c, 0); return; }
    long long cur = kvExpire(*l);
    if (((flags & EXP_NX) && cur != -1) || ((flags & EXP_XX) && cur == -1) ||
        ((flags & EXP_GT) && (cur == -1 || when <= cur)) ||
        ((flags & EXP_LT) && cur != -1 && when >= cur)) {
        addReplyLongLong(c, 0);
        return;
    }
    shard *s = cShard(c, 1);
    if (when <= c->nowms) {
        /* already in the past: the key goes now, as a DEL */
        dbDeleteAt(s, l);
        kvtAfterDelete(&s->table);
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
    } else {
        dbSetExpireAt(s, l, when);
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "expire", c->argv[1], c->argvlen[1], c->db);
    }
    addReplyLongLong(c, 1);
    return;
badtime:
    addReplyErrorFormat(c, "invalid expire time in '%s' command", c->cmd->fullname);
}

static void expireCommand(client *c) { expireGeneric(c, c->nowms, true); }
static void pexpireCommand(client *c) { expireGeneric(c, c->nowms, false); }
static void expireatCommand(client *c) { expireGeneric(c, 0, true); }
static void pexpireatCommand(client *c) { expireGeneric(c, 0, false); }

/* ---- TTL PTTL EXPIRETIME PEXPIRETIME PERSIST ---------------------------------------- */

static void ttlGeneric(client *c, bool ms, bool absolute) {
    kvobj **l = lookupNoTouch(c, 1);
    if (!l) { addReplyLongLong(c, -2); return; }
    long long e = kvExpire(*l);
    if (e == -1) { addReplyLongLong(c, -1); return; }
    long long t = absolute ? e : e - c->nowms;
    if (t < 0) t = 0;
    /* rounded in unsigned arithmetic: Redis's (ttl+500)/1000 gives 9223372036854776
     * for EXPIRETIME of PEXPIREAT LLONG_MAX, and so must we */
    addReplyLongLong(c, ms ? t : (long long)(((unsigned long long)t + 500) / 1000));
}

static void ttlCommand(client *c) { ttlGeneric(c, false, false); }
static void pttlCommand(client *c) { ttlGeneric(c, true, false); }
static void expiretimeCommand(client *c) { ttlGeneric(c, false, true); }
static void pexpiretimeCommand(client *c) { ttlGeneric(c, true, true); }

static void persistCommand(client *c) {
    kvobj **l = lookupLinkWrite(c, 1);
    if (!l || !kvHasExpire(*l)) { addReplyLongLong(c, 0); return; }
    dbSetExpireAt(cShard(c, 1), l, -1);
    signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "persist", c->argv[1], c->argvlen[1], c->db);
    addReplyLongLong(c, 1);
}

/* ---- OBJECT ----------------------------------------------------------------------- */

#define SHARED_INTEGERS 10000
#define SHARED_REFCOUNT INT_MAX

static kvobj *objectLookup(client *c) {
    /* lookupNoTouch without the "keymiss" event (Redis's LOOKUP_NONOTIFY) */
    kvobj **l = dbFindLink(cShard(c, 2), c->arghash[2], c->argv[2], c->argvlen[2], c->nowms, false);
    statLookup(l != NULL);
    if (!l) addReplyNull(c);
    return l ? *l : NULL;
}

static void objectEncodingCommand(client *c) {
    kvobj *o = objectLookup(c);
    if (!o) return;
    const char *e = encNames[kvEnc(o)];
    addReplyBulkCString(c, e ? e : "unknown");
}

static void objectRefcountCommand(client *c) {
    kvobj *o = objectLookup(c);
    if (!o) return;
    bool sharable = cfg.maxmemory == 0 ||
                    !(cfg.maxmemory_policy & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU));
    bool shared = sharable && kvType(o) == OBJ_STRING && kvEnc(o) == ENC_INT &&
                  kvInt(o) >= 0 && kvInt(o) < SHARED_INTEGERS;
    addReplyLongLong(c, shared ? SHARED_REFCOUNT : 1);
}

static void objectIdletimeCommand(client *c) {
    kvobj *o = objectLookup(c);
    if (!o) return;
    if (cfg.maxmemory_policy & MAXMEMORY_FLAG_LFU) {
        addReplyError(c, "An LFU maxmemory policy is selected, idle time not tracked. Please note "
                         "that when switching between policies at runtime LRU and LFU data will "
                         "take some time to adjust.");
        return;
    }
    uint32_t now = atomic_load_explicit(&ks.lruclock, memory_order_relaxed);
    uint32_t lru = kvLru(o);
    long long idle = now >= lru ? (long long)(now - lru) : (long long)now + (0xFFFFFF - lru);
    addReplyLongLong(c, idle);
}

static void objectFreqCommand(client *c) {
    kvobj *o = objectLookup(c);
    if (!o) return;
    if (!(cfg.maxmemory_policy & MAXMEMORY_FLAG_LFU)) {
        addReplyError(c, "An LFU maxmemory policy is not selected, access frequency not tracked. "
                         "Please note that when switching between policies at runtime LRU and LFU "
                         "data will take some time to adjust.");
        return;
    }
    uint32_t lfu = kvLru(o);
    unsigned long ldt = lfu >> 8, counter = lfu & 255;
    unsigned long nowMin = (unsigned long)(c->nowms / 60000) & 65535;
    unsigned long elapsed = nowMin >= ldt ? nowMin - ldt : 65535 - ldt + nowMin;
    unsigned long periods = cfg.lfu_decay_time > 0 ? elapsed / (unsigned long)cfg.lfu_decay_time : 0;
    if (periods) counter = periods > counter ? 0 : counter - periods;
    addReplyLongLong(c, (long long)counter);
}

/* The help lines are part of the protocol (Redis 7.0's text). */
static void objectHelpCommand(client *c) {
    static const char *const lines[] = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };
    long n = (long)(sizeof lines / sizeof lines[0]);
    addReplyArrayLen(c, n);
    for (long i = 0; i < n; i++) addReplyStatus(c, lines[i]);
}

static void objectCommand(client *c) { addReplySubcommandSyntaxError(c); }

/* ---- DBSIZE FLUSHDB FLUSHALL SWAPDB --------------------------------------------------- */

static void dbsizeCommand(client *c) {
    unsigned long long n = 0;
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(c->db, i);
        shardLock(s);
        n += kvtSize(&s->table);
        shardUnlock(s);
        walkYield();
    }
    addReplyLongLong(c, (long long)n);
}

/* A batch of detached shard contents, freed by a background G. */
typedef struct lazyBatch {
    void *mem;        /* the allocation (shards are 64-byte aligned inside) */
    shard *shards;
    int n;
} lazyBatch;

static lazyBatch *lazyBatchNew(int n) {
    lazyBatch *b = zmalloc(sizeof *b);
    b->mem = zcalloc(sizeof(shard) * (size_t)n + 63);
    b->shards = (shard *)(((uintptr_t)b->mem + 63) & ~(uintptr_t)63);
    b->n = 0;
    return b;
}

/* lazyDetach moves s's contents into the batch (s is locked). */
static void lazyDetach(lazyBatch *b, shard *s) {
    shard *d = &b->shards[b->n++];
    kvtInit(&d->table);
    dbSwapShards(s, d);
}

static void lazyFreeMain(void *arg) {
    lazyBatch *b = arg;
    for (int i = 0; i < b->n; i++) {
        dbClearShard(&b->shards[i]);   /* nobody else can reach a detached shard */
        rtMaybeYield();
    }
    zfree(b->mem);
    zfree(b);
}

/* getFlushAsync: [ASYNC|SYNC] or the lazyfree-lazy-user-flush default. */
static bool getFlushAsync(client *c, bool *async) {
    if (c->argc == 1) *async = cfg.lazyfree_lazy_user_flush;
    else if (c->argc == 2 && argEq(c, 1, "sync")) *async = false;
    else if (c->argc == 2 && argEq(c, 1, "async")) *async = true;
    else { addReplyErrorSyntax(c); return false; }
    return true;
}

/* flushDbLocked empties db (every shard of it locked by call()). */
static void flushDbLocked(int db, lazyBatch *lazy) {
    watchTouchDb(db, -1);
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(db, i);
        if (kvtSize(&s->table) == 0 && s->nexp == 0) {
            dbClearShard(s);   /* gives back an empty table's buckets */
            continue;
        }
        if (lazy) lazyDetach(lazy, s);
        else dbClearShard(s);
    }
}

static void flushdbCommand(client *c) {
    bool async;
    if (!getFlushAsync(c, &async)) return;
    lazyBatch *lazy = async ? lazyBatchNew(ks.nshards) : NULL;
    flushDbLocked(c->db, lazy);
    if (lazy) {
        if (lazy->n) rtGo(lazyFreeMain, lazy);
        else lazyFreeMain(lazy);
    }
    addReplyOK(c);
}

static void flushallCommand(client *c) {
    bool async;
    if (!getFlushAsync(c, &async)) return;
    lazyBatch *lazy = async ? lazyBatchNew(ks.nshards * ks.ndb) : NULL;
    for (int db = 0; db < ks.ndb; db++) flushDbLocked(db, lazy);
    if (lazy) {
        if (lazy->n) rtGo(lazyFreeMain, lazy);
        else lazyFreeMain(lazy);
    }
    addReplyOK(c);
}

static void swapdbCommand(client *c) {
    long long a, b;
    if (!getLongLongFromArg(c, 1, &a) || a < INT_MIN || a > INT_MAX) {
        addReplyError(c, "invalid first DB index");
        return;
    }
    if (!getLongLongFromArg(c, 2, &b) || b < INT_MIN || b > INT_MAX) {
        addReplyError(c, "invalid second DB index");
        return;
    }
    if (a < 0 || a >= ks.ndb || b < 0 || b >= ks.ndb) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    if (a != b) {
        watchTouchDb((int)a, (int)b);
        for (int i = 0; i < ks.nshards; i++)
            dbSwapShards(ksShardAt((int)a, i), ksShardAt((int)b, i));
        blockingScanDb(c, (int)a);   /* clients blocked on keys the swap brought */
        blockingScanDb(c, (int)b);
    }
    addReplyOK(c);
}

/* ---- the command table --------------------------------------------------------------- */

#define A_END { 0 }
static const cmdArg keyArg[] = { { "key", ARG_KEY, NULL, 0, NULL, NULL }, A_END };
static const cmdArg keysArg[] = { { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg patternArg[] = { { "pattern", ARG_PATTERN, NULL, 0, NULL, NULL }, A_END };
static const cmdArg scanArgs[] = {
    { "cursor", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "MATCH", ARGF_OPTIONAL, NULL, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL },
    { "type", ARG_STRING, "TYPE", ARGF_OPTIONAL, NULL, "6.0.0" },
    A_END };
static const cmdArg renameArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "newkey", ARG_KEY, NULL, 0, NULL, NULL }, A_END };
static const cmdArg copyArgs[] = {
    { "source", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination-db", ARG_INTEGER, "DB", ARGF_OPTIONAL, NULL, NULL },
    { "replace", ARG_PURE_TOKEN, "REPLACE", ARGF_OPTIONAL, NULL, NULL }, A_END };
static const cmdArg moveArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "db", ARG_INTEGER, NULL, 0, NULL, NULL }, A_END };
static const cmdArg expireCond[] = {
    { "nx", ARG_PURE_TOKEN, "NX", 0, NULL, NULL },
    { "xx", ARG_PURE_TOKEN, "XX", 0, NULL, NULL },
    { "gt", ARG_PURE_TOKEN, "GT", 0, NULL, NULL },
    { "lt", ARG_PURE_TOKEN, "LT", 0, NULL, NULL }, A_END };
static const cmdArg expireArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "seconds", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "condition", ARG_ONEOF, NULL, ARGF_OPTIONAL, expireCond, "7.0.0" }, A_END };
static const cmdArg pexpireArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "milliseconds", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "condition", ARG_ONEOF, NULL, ARGF_OPTIONAL, expireCond, "7.0.0" }, A_END };
static const cmdArg expireatArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "unix-time-seconds", ARG_UNIX_TIME, NULL, 0, NULL, NULL },
    { "condition", ARG_ONEOF, NULL, ARGF_OPTIONAL, expireCond, "7.0.0" }, A_END };
static const cmdArg pexpireatArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "unix-time-milliseconds", ARG_UNIX_TIME, NULL, 0, NULL, NULL },
    { "condition", ARG_ONEOF, NULL, ARGF_OPTIONAL, expireCond, "7.0.0" }, A_END };
static const cmdArg flushMode[] = {
    { "async", ARG_PURE_TOKEN, "ASYNC", 0, NULL, "4.0.0" },
    { "sync", ARG_PURE_TOKEN, "SYNC", 0, NULL, "6.2.0" }, A_END };
static const cmdArg flushArgs[] = {
    { "flush-type", ARG_ONEOF, NULL, ARGF_OPTIONAL, flushMode, NULL }, A_END };
static const cmdArg swapdbArgs[] = {
    { "index1", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "index2", ARG_INTEGER, NULL, 0, NULL, NULL }, A_END };

#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1
#define KEYS_ALL .firstkey = 1, .lastkey = -1, .keystep = 1
#define OBJKEY .firstkey = 2, .lastkey = 2, .keystep = 1

static cmdDef objectSubcommands[] = {
    { .name = "encoding", .proc = objectEncodingCommand, .arity = 3, .flags = CMD_READONLY, OBJKEY,
      .acl = "keyspace read slow", .group = "generic", .since = "2.2.3",
      .summary = "Tells which internal representation holds a key's value.",
      .complexity = "O(1)", .args = keyArg },
    { .name = "freq", .proc = objectFreqCommand, .arity = 3, .flags = CMD_READONLY, OBJKEY,
      .acl = "keyspace read slow", .group = "generic", .since = "4.0.0",
      .summary = "Gives a key's logarithmic access-frequency counter (LFU policies only).",
      .complexity = "O(1)", .args = keyArg },
    { .name = "help", .proc = objectHelpCommand, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
      .acl = "keyspace slow", .group = "generic", .since = "6.2.0",
      .summary = "Lists the OBJECT subcommands.", .complexity = "O(1)" },
    { .name = "idletime", .proc = objectIdletimeCommand, .arity = 3, .flags = CMD_READONLY, OBJKEY,
      .acl = "keyspace read slow", .group = "generic", .since = "2.2.3",
      .summary = "Gives the seconds since a key was last read or written.",
      .complexity = "O(1)", .args = keyArg },
    { .name = "refcount", .proc = objectRefcountCommand, .arity = 3, .flags = CMD_READONLY, OBJKEY,
      .acl = "keyspace read slow", .group = "generic", .since = "2.2.3",
      .summary = "Gives how many references a key's value has.",
      .complexity = "O(1)", .args = keyArg },
    { 0 }
};

cmdDef keyCommands[] = {
    { .name = "del", .proc = delCommand, .arity = -2, .flags = CMD_WRITE, KEYS_ALL,
      .acl = "keyspace write slow", .group = "generic", .since = "1.0.0",
      .summary = "Removes keys and their values.",
      .complexity = "O(N) for N keys; removing a list, set, sorted set or hash of M elements is O(M)",
      .args = keysArg },
    { .name = "unlink", .proc = delCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST, KEYS_ALL,
      .acl = "keyspace write fast", .group = "generic", .since = "4.0.0",
      .summary = "Removes keys, reclaiming their memory without delaying the caller.",
      .complexity = "O(1) per key, then O(M) in the background for a value of M elements",
      .args = keysArg },
    { .name = "exists", .proc = existsCommand, .arity = -2, .flags = CMD_READONLY | CMD_FAST, KEYS_ALL,
      .acl = "keyspace read fast", .group = "generic", .since = "1.0.0",
      .summary = "Counts how many of the given keys exist.",
      .complexity = "O(N) for N keys", .args = keysArg },
    { .name = "type", .proc = typeCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "keyspace read fast", .group = "generic", .since = "1.0.0",
      .summary = "Names the type of value a key holds.", .complexity = "O(1)", .args = keyArg },
    { .name = "keys", .proc = keysCommand, .arity = 2, .flags = CMD_READONLY | CMD_LOCK_SELF,
      .acl = "keyspace read slow dangerous", .group = "generic", .since = "1.0.0",
      .summary = "Lists every key matching a glob pattern.",
      .complexity = "O(N) with N the number of keys in the database", .args = patternArg },
    { .name = "scan", .proc = scanCommand, .arity = -2, .flags = CMD_READONLY | CMD_LOCK_SELF,
      .acl = "keyspace read slow", .group = "generic", .since = "2.8.0",
      .summary = "Walks the keyspace a few keys per call with a cursor.",
      .complexity = "O(1) per call; O(N) for a whole iteration", .args = scanArgs },
    { .name = "randomkey", .proc = randomkeyCommand, .arity = 1, .flags = CMD_READONLY | CMD_LOCK_SELF,
      .acl = "keyspace read slow", .group = "generic", .since = "1.0.0",
      .summary = "Gives the name of a key picked at random.", .complexity = "O(1)" },
    { .name = "rename", .proc = renameCommand, .arity = 3, .flags = CMD_WRITE,
      .firstkey = 1, .lastkey = 2, .keystep = 1,
      .acl = "keyspace write slow", .group = "generic", .since = "1.0.0",
      .summary = "Gives a key a new name, replacing any key of that name.",
      .complexity = "O(1)", .args = renameArgs },
    { .name = "renamenx", .proc = renamenxCommand, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
      .firstkey = 1, .lastkey = 2, .keystep = 1,
      .acl = "keyspace write fast", .group = "generic", .since = "1.0.0",
      .summary = "Gives a key a new name only when no key has that name.",
      .complexity = "O(1)", .args = renameArgs },
    { .name = "copy", .proc = copyCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_LOCK_SELF, .firstkey = 1, .lastkey = 2, .keystep = 1,
      .acl = "keyspace write slow", .group = "generic", .since = "6.2.0",
      .summary = "Copies a key's value to another key, possibly in another database.",
      .complexity = "O(N) for a value of N elements", .args = copyArgs },
    { .name = "move", .proc = moveCommand, .arity = 3, .flags = CMD_WRITE | CMD_FAST | CMD_LOCK_SELF,
      KEY1, .acl = "keyspace write fast", .group = "generic", .since = "1.0.0",
      .summary = "Moves a key to another database.", .complexity = "O(1)", .args = moveArgs },
    { .name = "expire", .proc = expireCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "keyspace write fast", .group = "generic", .since = "1.0.0",
      .summary = "Gives a key a time to live in seconds.", .complexity = "O(1)", .args = expireArgs },
    { .name = "pexpire", .proc = pexpireCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "keyspace write fast", .group = "generic", .since = "2.6.0",
      .summary = "Gives a key a time to live in milliseconds.", .complexity = "O(1)",
      .args = pexpireArgs },
    { .name = "expireat", .proc = expireatCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "keyspace write fast", .group = "generic", .since = "1.2.0",
      .summary = "Makes a key expire at a unix time in seconds.", .complexity = "O(1)",
      .args = expireatArgs },
    { .name = "pexpireat", .proc = pexpireatCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "keyspace write fast", .group = "generic", .since = "2.6.0",
      .summary = "Makes a key expire at a unix time in milliseconds.", .complexity = "O(1)",
      .args = pexpireatArgs },
    { .name = "ttl", .proc = ttlCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "keyspace read fast", .group = "generic", .since = "1.0.0",
      .summary = "Gives a key's remaining time to live in seconds.", .complexity = "O(1)",
      .args = keyArg },
    { .name = "pttl", .proc = pttlCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "keyspace read fast", .group = "generic", .since = "2.6.0",
      .summary = "Gives a key's remaining time to live in milliseconds.", .complexity = "O(1)",
      .args = keyArg },
    { .name = "expiretime", .proc = expiretimeCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
      KEY1, .acl = "keyspace read fast", .group = "generic", .since = "7.0.0",
      .summary = "Gives the unix time in seconds at which a key expires.", .complexity = "O(1)",
      .args = keyArg },
    { .name = "pexpiretime", .proc = pexpiretimeCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
      KEY1, .acl = "keyspace read fast", .group = "generic", .since = "7.0.0",
      .summary = "Gives the unix time in milliseconds at which a key expires.", .complexity = "O(1)",
      .args = keyArg },
    { .name = "persist", .proc = persistCommand, .arity = 2, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "keyspace write fast", .group = "generic", .since = "2.2.0",
      .summary = "Removes a key's time to live.", .complexity = "O(1)", .args = keyArg },
    { .name = "touch", .proc = touchCommand, .arity = -2, .flags = CMD_READONLY | CMD_FAST, KEYS_ALL,
      .acl = "keyspace read fast", .group = "generic", .since = "3.2.1",
      .summary = "Marks keys as just accessed; counts those that exist.",
      .complexity = "O(N) for N keys", .args = keysArg },
    { .name = "object", .proc = objectCommand, .arity = -2, .flags = 0,
      .acl = "slow", .group = "generic", .since = "2.2.3",
      .summary = "A container for object introspection commands.",
      .complexity = "Depends on subcommand.", .subcmds = objectSubcommands },
    { .name = "dbsize", .proc = dbsizeCommand, .arity = 1,
      .flags = CMD_READONLY | CMD_FAST | CMD_LOCK_SELF,
      .acl = "keyspace read fast", .group = "server", .since = "1.0.0",
      .summary = "Counts the keys in the selected database.", .complexity = "O(1)" },
    { .name = "flushdb", .proc = flushdbCommand, .arity = -1, .flags = CMD_WRITE | CMD_LOCK_DB,
      .acl = "keyspace write slow dangerous", .group = "server", .since = "1.0.0",
      .summary = "Deletes every key of the selected database.",
      .complexity = "O(N) for N keys", .args = flushArgs },
    { .name = "flushall", .proc = flushallCommand, .arity = -1, .flags = CMD_WRITE | CMD_LOCK_ALL,
      .acl = "keyspace write slow dangerous", .group = "server", .since = "1.0.0",
      .summary = "Deletes every key of every database.",
      .complexity = "O(N) for N keys in all databases", .args = flushArgs },
    { .name = "swapdb", .proc = swapdbCommand, .arity = 3, .flags = CMD_WRITE | CMD_FAST | CMD_LOCK_ALL,
      .acl = "keyspace write fast dangerous", .group = "server", .since = "4.0.0",
      .summary = "Exchanges the contents of two databases.",
      .complexity = "O(N) where N is the number of clients watching or blocked on keys of either database",
      .args = swapdbArgs },
    { 0 }
};
