/* db.c — the sharded keyspace (design and invariants: db.h). */
#include "storage/db.h"
#include "storage/hash.h"
#include "storage/zmalloc.h"

#include <stdlib.h>

keyspace ks;

void ksInit(int ndb, int nprocs) {
    int want = 4 * (nprocs > 0 ? nprocs : 1);
    int bits = 2;
    while ((1 << bits) < want && bits < 6) bits++;   /* at most 64: lock sets are 64-bit masks */
    ks.ndb = ndb;
    ks.shardBits = bits;
    ks.nshards = 1 << bits;
    size_t n = (size_t)ndb * (size_t)ks.nshards;
    ks.shards = aligned_alloc(64, n * sizeof(shard));
    if (!ks.shards) abort();
    memset(ks.shards, 0, n * sizeof(shard));
    for (size_t i = 0; i < n; i++) kvtInit(&ks.shards[i].table);
}

/* ksRandom: xorshift state, output through splitmix64's finaliser. Raw
 * xorshift outputs are linked bit by bit to their predecessor, which made
 * "bucket from one draw, chain position from the next" pick the same entry
 * of each bucket every time (found by the HRANDFIELD distribution test). */
uint64_t ksRandom(void) {
    static _Thread_local uint64_t x;
    if (x == 0) x = hashBytes(&x, sizeof x) | 1;   /* per-thread seed from the keyed hash */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- the expire vector ------------------------------------------------------- */

static void expPush(shard *s, kvobj *o) {
    if (s->nexp == s->capexp) {
        uint32_t cap = s->capexp ? s->capexp * 2 : 16;
        s->exp = zrealloc(s->exp, cap * sizeof *s->exp);
        s->capexp = cap;
    }
    kvSetExpireIdx(o, s->nexp);
    s->exp[s->nexp++] = o;
}

static void expRemove(shard *s, const kvobj *o) {
    uint32_t i = kvExpireIdx(o);
    kvobj *last = s->exp[--s->nexp];
    if (last != o) {
        s->exp[i] = last;
        kvSetExpireIdx(last, i);
    }
    if (s->capexp > 64 && s->nexp < s->capexp / 4) {
        s->capexp /= 2;
        s->exp = zrealloc(s->exp, s->capexp * sizeof *s->exp);
    }
}

/* expMove: n replaces o in the table; carry o's expire slot over. */
static void expMove(shard *s, const kvobj *o, kvobj *n) {
    if (kvHasExpire(o) && kvHasExpire(n)) {
        uint32_t i = kvExpireIdx(o);
        kvSetExpireIdx(n, i);
        s->exp[i] = n;
    } else if (kvHasExpire(o)) {
        expRemove(s, o);
    } else if (kvHasExpire(n)) {
        expPush(s, n);
    }
}

/* ---- entries ------------------------------------------------------------------- */

static void deleteExpired(shard *s, kvobj **link) {
    kvobj *o = *link;
    if (ks.onDelete) ks.onDelete(ksDbOf(s), kvKey(o), kvKeyLen(o), KS_DEL_EXPIRED);
    atomic_fetch_add_explicit(&ks.expiredKeys, 1, memory_order_relaxed);
    dbDeleteAt(s, link);
    kvtAfterDelete(&s->table);
}

kvobj **dbFindLink(shard *s, uint64_t h, const char *key, size_t klen, int64_t nowms, bool noexpire) {
    kvobj **link = kvtFindLink(&s->table, h, key, klen);
    if (!link) return NULL;
    if (!noexpire && kvIsExpired(*link, nowms)) {
        deleteExpired(s, link);
        return NULL;
    }
    return link;
}

void dbAdd(shard *s, uint64_t h, kvobj *o) {
    kvtAdd(&s->table, h, o);
    if (kvHasExpire(o)) expPush(s, o);
}

void dbReplaceAt(shard *s, kvobj **link, kvobj *n, bool freeOldValue) {
    kvobj *o = *link;
    expMove(s, o, n);
    kvtReplace(link, n);
    if (freeOldValue) kvFree(o); else kvFreeBlock(o);
}

kvobj *dbUnlinkAt(shard *s, kvobj **link) {
    kvobj *o = kvtUnlink(&s->table, link);
    if (kvHasExpire(o)) expRemove(s, o);
    return o;
}

void dbDeleteAt(shard *s, kvobj **link) {
    kvFree(dbUnlinkAt(s, link));
}

kvobj *dbSetExpireAt(shard *s, kvobj **link, int64_t when) {
    kvobj *o = *link;
    if (when >= 0 && kvHasExpire(o)) {
        kvSetExpireInPlace(o, when);
        return o;
    }
    if (when < 0 && !kvHasExpire(o)) return o;
    if (when < 0) expRemove(s, o);      /* reads o's slot: before o is freed */
    kvobj *next = o->next;
    kvobj *n = kvWithExpire(o, when);   /* frees o's block, keeps the value */
    n->next = next;
    *link = n;
    if (when >= 0) expPush(s, n);
    return n;
}

void dbClearShard(shard *s) {
    kvtClear(&s->table, kvFree);
    zfree(s->exp);
    s->exp = NULL;
    s->nexp = s->capexp = 0;
}

void dbSwapShards(shard *a, shard *b) {
    kvtable t = a->table;
    a->table = b->table;
    b->table = t;
    kvobj **e = a->exp;
    a->exp = b->exp;
    b->exp = e;
    uint32_t n = a->nexp, c = a->capexp;
    a->nexp = b->nexp;
    a->capexp = b->capexp;
    b->nexp = n;
    b->capexp = c;
}

/* dbActiveExpireShard walks the expire vector from the shard's saved cursor
 * (like Redis's expires_cursor: a sequential walk finds the last few expired
 * keys among many live ones, where random sampling would keep missing them).
 * Deleting swaps the last entry into the current slot, so the slot is looked
 * at again. */
int dbActiveExpireShard(shard *s, int64_t nowms, int samples, int *sampled) {
    int deleted = 0, looked = 0;
    while (looked < samples && s->nexp > 0) {
        if (s->expCursor >= s->nexp) s->expCursor = 0;
        kvobj *o = s->exp[s->expCursor];
        looked++;
        if (!kvIsExpired(o, nowms)) {
            s->expCursor++;
            continue;
        }
        uint64_t h = hashBytes(kvKey(o), kvKeyLen(o));
        kvobj **link = kvtFindLink(&s->table, h, kvKey(o), kvKeyLen(o));
        if (!link) { s->expCursor++; continue; }
        deleteExpired(s, link);
        deleted++;
    }
    *sampled = looked;
    return deleted;
}

uint64_t ksDbSize(int db) {
    uint64_t n = 0;
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(db, i);
        rtLockAcquire(&s->lock);
        n += kvtSize(&s->table);
        rtLockRelease(&s->lock);
    }
    return n;
}

uint64_t ksDbExpires(int db) {
    uint64_t n = 0;
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(db, i);
        rtLockAcquire(&s->lock);
        n += s->nexp;
        rtLockRelease(&s->lock);
    }
    return n;
}
