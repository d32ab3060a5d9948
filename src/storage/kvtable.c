/* kvtable.c — the keyspace hash table: chained, intrusive, incremental rehash.
 *
 * Entries are kvobjs chained through kvobj.next; the table owns only the
 * bucket arrays (8 bytes a slot). Two tables exist while rehashing: t[0] is
 * being emptied into t[1], one bucket per step (plus up to 10 empty buckets
 * visited), a step taken by every lookup, insert and delete, so no operation
 * ever pauses for O(n). New keys go to t[1] while rehashing.
 *
 * Sizes are powers of two. Grow to the next power of two at or above used
 * when used reaches twice the size, so the load factor stays between 1 and
 * 2: a bucket slot costs 8 bytes, and at Redis's 0.5..1 the slots alone are
 * 8-16 bytes a key, a tenth of a small hash. The price is about half a chain
 * step more per lookup (measured within noise of Redis's CPU per random GET
 * over 1M keys). Shrink when fewer than 1/8 of the slots are used (and
 * size > 4). Hashes are computed by the caller (the
 * shard layer hashes each key once per command); rehashing recomputes them
 * from the stored keys.
 *
 * SCAN uses the reverse-binary cursor: the cursor's bits are incremented
 * from the top down, so when the table doubles (or halves) between calls,
 * the buckets already visited map to buckets the cursor will not visit
 * again. Every element present for the whole scan is returned at least once;
 * some may come twice. While rehashing, a cursor step visits the bucket of
 * the small table and all its expansions in the big one.
 *
 * Not thread-safe: the shard's lock guards each table.
 */
#include "storage/kvtable.h"
#include "storage/hash.h"
#include "storage/zmalloc.h"

#include <stdlib.h>

static inline bool rehashing(const kvtable *d) { return d->rehashidx >= 0; }

static inline bool keyEq(const kvobj *o, const char *key, size_t klen) {
    return kvKeyLen(o) == klen && memcmp(kvKey(o), key, klen) == 0;
}

static uint64_t kvHash(const kvobj *o) { return hashBytes(kvKey(o), kvKeyLen(o)); }

void kvtInit(kvtable *d) {
    memset(d, 0, sizeof *d);
    d->rehashidx = -1;
}

static void tableFree(kvobj **t, uint64_t size) {
    if (t) zfreeSized(t, size * sizeof *t);
}

/* kvtRehash moves up to n non-empty buckets of t[0] into t[1]. Returns true
 * while there is more to move. */
bool kvtRehash(kvtable *d, int n) {
    int empty = n * 10;
    if (!rehashing(d)) return false;
    uint64_t mask1 = d->size[1] - 1;
    while (n-- && d->used[0] != 0) {
        while (d->t[0][d->rehashidx] == NULL) {
            d->rehashidx++;
            if (--empty == 0) return true;
        }
        kvobj *o = d->t[0][d->rehashidx];
        while (o) {
            kvobj *next = o->next;
            uint64_t idx = kvHash(o) & mask1;
            o->next = d->t[1][idx];
            d->t[1][idx] = o;
            d->used[0]--;
            d->used[1]++;
            o = next;
        }
        d->t[0][d->rehashidx] = NULL;
        d->rehashidx++;
    }
    if (d->used[0] == 0) {
        tableFree(d->t[0], d->size[0]);
        d->t[0] = d->t[1];
        d->size[0] = d->size[1];
        d->used[0] = d->used[1];
        d->t[1] = NULL;
        d->size[1] = d->used[1] = 0;
        d->rehashidx = -1;
        return false;
    }
    return true;
}

static void resizeTo(kvtable *d, uint64_t size) {
    if (d->t[0] == NULL) {
        d->t[0] = zcalloc(size * sizeof(kvobj *));
        d->size[0] = size;
        return;
    }
    d->t[1] = zcalloc(size * sizeof(kvobj *));
    d->size[1] = size;
    d->used[1] = 0;
    d->rehashidx = 0;
}

static uint64_t nextPow2(uint64_t n) {
    uint64_t s = 4;
    while (s < n) s <<= 1;
    return s;
}

/* maybeResize starts a grow or shrink when the load calls for it. */
static void maybeResize(kvtable *d) {
    if (rehashing(d) || d->noResize) return;
    if (d->size[0] == 0) { resizeTo(d, 4); return; }
    if (d->used[0] >= d->size[0] * 2) resizeTo(d, nextPow2(d->used[0]));
    else if (d->size[0] > 4 && d->used[0] * 8 < d->size[0]) resizeTo(d, nextPow2(d->used[0]));
}

void kvtMaybeShrink(kvtable *d) { maybeResize(d); }

kvobj **kvtFindLink(kvtable *d, uint64_t h, const char *key, size_t klen) {
    if (d->used[0] + d->used[1] == 0) return NULL;
    if (rehashing(d)) kvtRehash(d, 1);
    for (int t = 0; t <= 1; t++) {
        if (!d->t[t]) continue;
        kvobj **link = &d->t[t][h & (d->size[t] - 1)];
        for (kvobj *o = *link; o; link = &o->next, o = o->next) {
            if (keyEq(o, key, klen)) {
                d->linkTable = t;
                return link;
            }
        }
        if (!rehashing(d)) break;
    }
    return NULL;
}

kvobj *kvtFind(kvtable *d, uint64_t h, const char *key, size_t klen) {
    kvobj **link = kvtFindLink(d, h, key, klen);
    return link ? *link : NULL;
}

void kvtAdd(kvtable *d, uint64_t h, kvobj *o) {
    if (rehashing(d)) kvtRehash(d, 1);
    maybeResize(d);
    int t = rehashing(d) ? 1 : 0;
    kvobj **b = &d->t[t][h & (d->size[t] - 1)];
    o->next = *b;
    *b = o;
    d->used[t]++;
}

void kvtReplace(kvobj **link, kvobj *n) {
    n->next = (*link)->next;
    *link = n;
}

kvobj *kvtUnlink(kvtable *d, kvobj **link) {
    kvobj *o = *link;
    *link = o->next;
    o->next = NULL;
    d->used[d->linkTable]--;   /* the table kvtFindLink found it in */
    return o;
}

void kvtAfterDelete(kvtable *d) { maybeResize(d); }

uint64_t kvtSize(const kvtable *d) { return d->used[0] + d->used[1]; }

void kvtClear(kvtable *d, void (*freefn)(kvobj *)) {
    for (int t = 0; t <= 1; t++) {
        for (uint64_t i = 0; i < d->size[t]; i++) {
            kvobj *o = d->t[t][i];
            while (o) {
                kvobj *next = o->next;
                if (freefn) freefn(o);
                o = next;
            }
        }
        tableFree(d->t[t], d->size[t]);
    }
    kvtInit(d);
}

static inline uint64_t rev64(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((v & 0x0F0F0F0F0F0F0F0Full) << 4);
    return __builtin_bswap64(v);
}

static void emitChain(kvobj *o, void (*fn)(void *, kvobj *), void *arg) {
    while (o) {
        kvobj *next = o->next;   /* fn may not unlink, but be defensive */
        fn(arg, o);
        o = next;
    }
}

uint64_t kvtScan(kvtable *d, uint64_t v, void (*fn)(void *, kvobj *), void *arg) {
    if (kvtSize(d) == 0) return 0;
    if (!rehashing(d)) {
        uint64_t m0 = d->size[0] - 1;
        emitChain(d->t[0][v & m0], fn, arg);
        v |= ~m0;
        v = rev64(v);
        v++;
        return rev64(v);
    }
    int s = d->size[0] <= d->size[1] ? 0 : 1, b = 1 - s;
    uint64_t m0 = d->size[s] - 1, m1 = d->size[b] - 1;
    emitChain(d->t[s][v & m0], fn, arg);
    do {
        emitChain(d->t[b][v & m1], fn, arg);
        v |= ~m1;
        v = rev64(v);
        v++;
        v = rev64(v);
    } while (v & (m0 ^ m1));
    return v;
}

kvobj *kvtRandom(kvtable *d, uint64_t (*rnd)(void)) {
    if (kvtSize(d) == 0) return NULL;
    if (rehashing(d)) kvtRehash(d, 1);
    kvobj *chain = NULL;
    for (int tries = 0; !chain; tries++) {
        if (rehashing(d)) {
            uint64_t span = d->size[0] + d->size[1] - (uint64_t)d->rehashidx;
            uint64_t i = (uint64_t)d->rehashidx + rnd() % span;
            chain = i >= d->size[0] ? d->t[1][i - d->size[0]] : d->t[0][i];
        } else {
            chain = d->t[0][rnd() & (d->size[0] - 1)];
        }
    }
    int n = 0;
    for (kvobj *o = chain; o; o = o->next) n++;
    int k = (int)(rnd() % (uint64_t)n);
    while (k--) chain = chain->next;
    return chain;
}

void kvtForEach(kvtable *d, void (*fn)(void *, kvobj *), void *arg) {
    for (int t = 0; t <= 1; t++)
        for (uint64_t i = 0; i < d->size[t]; i++)
            emitChain(d->t[t][i], fn, arg);
}
