/* dict.c — chained, intrusive hash table for aggregate values (entry
 * layouts, resize policy, SCAN and fairness contracts: dict.h).
 *
 * Banners, in order: entry layouts / table primitives and rehashing / lookup,
 * insert, delete / the kinds' own operations / random picks / scan and
 * iteration / whole-table operations.
 *
 * Invariants (checked by tests/unit/test_dict.c against a model):
 *  - used[t] is the number of entries chained in t[t];
 *  - not rehashing: t[1] == NULL, exp[1] == -1, used[1] == 0;
 *  - rehashing: every t[0] bucket below rehashidx is empty, and every entry
 *    sits in the bucket of its hash in the table that holds it;
 *  - chainMax[t] >= the length of every chain of t[t] (it is raised when a
 *    chain grows and never lowered on delete; a finished rehash hands the
 *    new table's bound to t[0]);
 *  - while pauseRehash > 0 no entry changes table or bucket.
 */
#include "storage/dict.h"
#include "storage/hash.h"
#include "storage/zmalloc.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORCE_RATIO 5        /* grow past this load even when resizes are held */

static _Atomic bool resizeAllowed = true;

__attribute__((noreturn, cold)) static void dictPanic(const char *msg) {
    fprintf(stderr, "dict: %s\n", msg);
    fflush(stderr);
    abort();
}

void dictSetResizeAllowed(bool allowed) {
    atomic_store_explicit(&resizeAllowed, allowed, memory_order_relaxed);
}

static inline bool mayResize(void) {
    return atomic_load_explicit(&resizeAllowed, memory_order_relaxed);
}

/* ==== entry layouts ====================================================== */

#define EBYTES(e) ((unsigned char *)(e))

/* -- DICT_SET -- */

const char *dictSetMember(const dictEntry *e, size_t *len) {
    return dictReadPrefixed(EBYTES(e) + 8, len);
}

static size_t setEntrySize(size_t len) { return 8 + dictLenPrefixSize(len) + len; }

static dictEntry *setEntryNew(const void *m, size_t len) {
    dictEntry *e = zmalloc(setEntrySize(len));
    e->next = NULL;
    dictWritePrefixed(EBYTES(e) + 8, m, len);
    return e;
}

/* -- DICT_HASH -- */

typedef struct hashView {
    unsigned char *field;    /* field bytes */
    size_t flen, vlen;
    unsigned char *vslot;    /* the inline value or the value pointer */
} hashView;

static inline bool valIsPtr(size_t vlen) { return vlen > DICT_HVAL_INLINE_MAX; }

static inline hashView hashParse(const dictEntry *e) {
    unsigned char *p = EBYTES(e) + 8;
    hashView h;
    unsigned char f8 = p[0], v8 = p[1];
    p += 2;
    h.flen = f8;
    h.vlen = v8;
    if (f8 == 255) { uint64_t l; memcpy(&l, p, 8); h.flen = (size_t)l; p += 8; }
    if (v8 == 255) { uint64_t l; memcpy(&l, p, 8); h.vlen = (size_t)l; p += 8; }
    h.field = p;
    h.vslot = p + h.flen;
    return h;
}

static inline size_t hashEntrySize(size_t flen, size_t vlen) {
    return 10 + (flen >= 255 ? 8 : 0) + (vlen >= 255 ? 8 : 0) + flen +
           (valIsPtr(vlen) ? sizeof(void *) : vlen);
}

static inline void *valPtr(const hashView *h) {
    void *v;
    memcpy(&v, h->vslot, sizeof v);
    return v;
}

/* hashWriteHeader writes both length bytes (and extensions) and returns
 * where the field goes. */
static unsigned char *hashWriteHeader(dictEntry *e, size_t flen, size_t vlen) {
    unsigned char *p = EBYTES(e) + 8;
    p[0] = flen < 255 ? (unsigned char)flen : 255;
    p[1] = vlen < 255 ? (unsigned char)vlen : 255;
    p += 2;
    if (flen >= 255) { uint64_t l = flen; memcpy(p, &l, 8); p += 8; }
    if (vlen >= 255) { uint64_t l = vlen; memcpy(p, &l, 8); p += 8; }
    return p;
}

static void hashWriteValue(unsigned char *vslot, const void *v, size_t vlen) {
    if (valIsPtr(vlen)) {
        void *blk = zmemdup(v, vlen);
        memcpy(vslot, &blk, sizeof blk);
    } else {
        memcpy(vslot, v, vlen);
    }
}

static dictEntry *hashEntryNew(const void *f, size_t flen, const void *v, size_t vlen) {
    dictEntry *e = zmalloc(hashEntrySize(flen, vlen));
    e->next = NULL;
    unsigned char *p = hashWriteHeader(e, flen, vlen);
    memcpy(p, f, flen);
    hashWriteValue(p + flen, v, vlen);
    return e;
}

const char *dictHashField(const dictEntry *e, size_t *len) {
    hashView h = hashParse(e);
    *len = h.flen;
    return (const char *)h.field;
}

const char *dictHashValue(const dictEntry *e, size_t *len) {
    hashView h = hashParse(e);
    *len = h.vlen;
    return valIsPtr(h.vlen) ? valPtr(&h) : (const char *)h.vslot;
}

/* -- DICT_ZSET (node layout owned by skiplist.c) -- */

static inline unsigned zHeight(const dictEntry *e) { return EBYTES(e)[DICT_ZNODE_HEIGHT_OFF]; }

static inline size_t zEntrySize(const dictEntry *e, size_t len) {
    return (size_t)zHeight(e) * DICT_ZNODE_LEVEL_BYTES + DICT_ZNODE_KEY_OFF + dictLenPrefixSize(len) + len;
}

static inline void *zBlock(const dictEntry *e) {
    return EBYTES(e) - (size_t)zHeight(e) * DICT_ZNODE_LEVEL_BYTES;
}

/* -- any kind -- */

static inline const char *entryKey(int kind, const dictEntry *e, size_t *len) {
    switch (kind) {
    case DICT_SET: return dictReadPrefixed(EBYTES(e) + 8, len);
    case DICT_HASH: {
        hashView h = hashParse(e);
        *len = h.flen;
        return (const char *)h.field;
    }
    default: return dictReadPrefixed(EBYTES(e) + DICT_ZNODE_KEY_OFF, len);
    }
}

const char *dictEntryKey(const dict *d, const dictEntry *e, size_t *len) {
    return entryKey(d->kind, e, len);
}

static inline bool keyEq(int kind, const dictEntry *e, const void *key, size_t len) {
    size_t l;
    const char *k = entryKey(kind, e, &l);
    return l == len && memcmp(k, key, len) == 0;
}

void dictFreeEntry(const dict *d, dictEntry *e) {
    size_t len;
    switch (d->kind) {
    case DICT_SET:
        dictReadPrefixed(EBYTES(e) + 8, &len);
        zfreeSized(e, setEntrySize(len));
        break;
    case DICT_HASH: {
        hashView h = hashParse(e);
        if (valIsPtr(h.vlen)) zfreeSized(valPtr(&h), h.vlen);
        zfreeSized(e, hashEntrySize(h.flen, h.vlen));
        break;
    }
    default:
        dictReadPrefixed(EBYTES(e) + DICT_ZNODE_KEY_OFF, &len);
        zfreeSized(zBlock(e), zEntrySize(e, len));
    }
}

size_t dictEntryBytes(const dict *d, const dictEntry *e) {
    if (d->kind == DICT_ZSET) return zmallocSize(zBlock(e));
    size_t n = zmallocSize(e);
    if (d->kind == DICT_HASH) {
        hashView h = hashParse(e);
        if (valIsPtr(h.vlen)) n += zmallocSize(valPtr(&h));
    }
    return n;
}

/* ==== table primitives and rehashing ===================================== */

static inline bool rehashing(const dict *d) { return d->rehashidx >= 0; }

static inline uint64_t tsize(const dict *d, int t) {
    return d->exp[t] < 0 ? 0 : (uint64_t)1 << d->exp[t];
}

uint64_t dictHashKey(const void *key, size_t len) { return hashBytes(key, len); }

static inline uint64_t entryHash(const dict *d, const dictEntry *e) {
    size_t len;
    const char *k = entryKey(d->kind, e, &len);
    return hashBytes(k, len);
}

static inline void noteChain(dict *d, int t, const dictEntry *head) {
    unsigned n = 0;
    for (; head && n < 255; head = head->next) n++;
    if (n > d->chainMax[t]) d->chainMax[t] = (uint8_t)n;
}

static void finishRehash(dict *d) {
    zfreeSized(d->t[0], tsize(d, 0) * sizeof(dictEntry *));
    d->t[0] = d->t[1];
    d->exp[0] = d->exp[1];
    d->used[0] = d->used[1];
    d->chainMax[0] = d->chainMax[1];
    d->t[1] = NULL;
    d->exp[1] = -1;
    d->used[1] = 0;
    d->chainMax[1] = 0;
    d->rehashidx = -1;
}

/* moveBucket moves the chain of t[0][i] into t[1]. */
static void moveBucket(dict *d, uint64_t i) {
    uint64_t mask1 = tsize(d, 1) - 1;
    dictEntry *e = d->t[0][i];
    while (e) {
        dictEntry *next = e->next;
        dictEntry **b = &d->t[1][entryHash(d, e) & mask1];
        e->next = *b;
        *b = e;
        noteChain(d, 1, e);
        d->used[0]--;
        d->used[1]++;
        e = next;
    }
    d->t[0][i] = NULL;
}

bool dictRehash(dict *d, int n) {
    if (!rehashing(d)) return false;
    if (d->pauseRehash) return true;
    int empty = n * 10;
    while (n-- > 0 && d->used[0] != 0) {
        while (d->t[0][d->rehashidx] == NULL) {   /* used[0] > 0: a chain lies ahead */
            d->rehashidx++;
            if (--empty == 0) return true;
        }
        moveBucket(d, (uint64_t)d->rehashidx);
        d->rehashidx++;
    }
    if (d->used[0] != 0) return true;
    finishRehash(d);
    return false;
}

static inline void rehashStep(dict *d) {
    if (rehashing(d) && !d->pauseRehash) dictRehash(d, 1);
}

static int8_t expFor(uint64_t n) {
    int8_t e = DICT_MIN_EXP;
    while (e < 63 && ((uint64_t)1 << e) < n) e++;
    return e;
}

/* startResize installs a table of 2^exp buckets: directly when there is
 * nothing to move, otherwise as t[1] with rehashing started. */
static void startResize(dict *d, int8_t exp) {
    dictEntry **t = zcalloc(((size_t)1 << exp) * sizeof *t);
    if (d->t[0] == NULL || d->used[0] == 0) {
        if (d->t[0]) zfreeSized(d->t[0], tsize(d, 0) * sizeof *t);
        d->t[0] = t;
        d->exp[0] = exp;
        d->chainMax[0] = 0;
        return;
    }
    d->t[1] = t;
    d->exp[1] = exp;
    d->used[1] = 0;
    d->chainMax[1] = 0;
    d->rehashidx = 0;
}

static void maybeGrow(dict *d) {
    if (rehashing(d)) return;
    uint64_t size = tsize(d, 0);
    if (size == 0) {
        startResize(d, DICT_MIN_EXP);
    } else if (d->used[0] >= size && (mayResize() || d->used[0] / size > FORCE_RATIO)) {
        startResize(d, expFor(d->used[0] + 1));
    }
}

static void maybeShrink(dict *d) {
    if (rehashing(d) || !mayResize() || d->exp[0] <= DICT_MIN_EXP) return;
    if (d->used[0] * 8 < tsize(d, 0)) startResize(d, expFor(d->used[0]));
}

bool dictExpand(dict *d, size_t n) {
    if (rehashing(d)) return false;
    int8_t exp = expFor(n);
    if (d->t[0] && exp <= d->exp[0]) return false;
    startResize(d, exp);
    return true;
}

size_t dictBuckets(const dict *d) { return tsize(d, 0) + tsize(d, 1); }

/* ==== lookup, insert, delete ============================================= */

/* findLink returns the link (bucket slot or previous entry's next) pointing
 * at the entry for key, with its table in *table; NULL if absent. Takes a
 * rehash step first. */
static dictEntry **findLink(dict *d, uint64_t h, const void *key, size_t len, int *table) {
    if (dictSize(d) == 0) return NULL;
    rehashStep(d);
    for (int t = 0; t <= 1; t++) {
        if (d->t[t] == NULL) break;
        dictEntry **link = &d->t[t][h & (tsize(d, t) - 1)];
        for (dictEntry *e = *link; e; link = &e->next, e = e->next) {
            if (keyEq(d->kind, e, key, len)) {
                *table = t;
                return link;
            }
        }
    }
    return NULL;
}

dictEntry *dictFindHashed(dict *d, uint64_t h, const void *key, size_t len) {
    int t;
    dictEntry **link = findLink(d, h, key, len, &t);
    return link ? *link : NULL;
}

dictEntry *dictFind(dict *d, const void *key, size_t len) {
    return dictFindHashed(d, hashBytes(key, len), key, len);
}

/* linkNew chains e (whose key is absent) into the table new entries go to. */
static void linkNew(dict *d, uint64_t h, dictEntry *e) {
    maybeGrow(d);
    int t = rehashing(d) ? 1 : 0;
    dictEntry **b = &d->t[t][h & (tsize(d, t) - 1)];
    e->next = *b;
    *b = e;
    d->used[t]++;
    noteChain(d, t, e);
}

void dictLink(dict *d, uint64_t h, dictEntry *e) {
    rehashStep(d);
    linkNew(d, h, e);
}

static dictEntry *unlinkAt(dict *d, dictEntry **link, int t) {
    dictEntry *e = *link;
    *link = e->next;
    e->next = NULL;
    d->used[t]--;
    maybeShrink(d);
    return e;
}

dictEntry *dictUnlink(dict *d, const void *key, size_t len) {
    int t;
    dictEntry **link = findLink(d, hashBytes(key, len), key, len, &t);
    return link ? unlinkAt(d, link, t) : NULL;
}

bool dictDelete(dict *d, const void *key, size_t len) {
    dictEntry *e = dictUnlink(d, key, len);
    if (!e) return false;
    dictFreeEntry(d, e);
    return true;
}

bool dictUnlinkEntry(dict *d, dictEntry *e) {
    if (dictSize(d) == 0) return false;
    rehashStep(d);
    uint64_t h = entryHash(d, e);
    for (int t = 0; t <= 1; t++) {
        if (d->t[t] == NULL) break;
        dictEntry **link = &d->t[t][h & (tsize(d, t) - 1)];
        for (; *link; link = &(*link)->next)
            if (*link == e) {
                unlinkAt(d, link, t);
                return true;
            }
    }
    return false;
}

/* ==== the kinds' own operations ========================================== */

static inline void wantKind(const dict *d, int kind) {
    if (d->kind != kind) dictPanic("operation on a dict of another kind");
}

bool dictSetAdd(dict *d, const void *m, size_t len) {
    wantKind(d, DICT_SET);
    uint64_t h = hashBytes(m, len);
    int t;
    if (findLink(d, h, m, len, &t)) return false;
    linkNew(d, h, setEntryNew(m, len));
    return true;
}

/* replaceValue gives the entry at *link the value v, reusing the block
 * when the layout allows and relinking when it moves. */
static void replaceValue(dictEntry **link, const void *v, size_t vlen) {
    dictEntry *e = *link;
    hashView h = hashParse(e);
    if (valIsPtr(h.vlen) && valIsPtr(vlen)) {           /* only the value block changes */
        zfreeSized(valPtr(&h), h.vlen);
        hashWriteHeader(e, h.flen, vlen);
        hashWriteValue(h.vslot, v, vlen);
        return;
    }
    if (!valIsPtr(h.vlen) && !valIsPtr(vlen) && (h.vlen >= 255) == (vlen >= 255)) {
        size_t fieldOff = (size_t)(h.field - EBYTES(e));  /* unchanged: same header widths */
        size_t sz = hashEntrySize(h.flen, vlen);
        if (sz != hashEntrySize(h.flen, h.vlen)) {
            dictEntry *n = zrealloc(e, sz);
            if (n != e) *link = e = n;
        }
        hashWriteHeader(e, h.flen, vlen);
        memcpy(EBYTES(e) + fieldOff + h.flen, v, vlen);
        return;
    }
    dictEntry *n = hashEntryNew(h.field, h.flen, v, vlen);  /* the layout changes */
    n->next = e->next;
    *link = n;
    if (valIsPtr(h.vlen)) zfreeSized(valPtr(&h), h.vlen);
    zfreeSized(e, hashEntrySize(h.flen, h.vlen));
}

int dictHashSet(dict *d, const void *f, size_t flen, const void *v, size_t vlen, int flags) {
    wantKind(d, DICT_HASH);
    uint64_t h = hashBytes(f, flen);
    int t;
    dictEntry **link = findLink(d, h, f, flen, &t);
    if (!link) {
        if (flags & DICT_HSET_XX) return -1;
        linkNew(d, h, hashEntryNew(f, flen, v, vlen));
        return 1;
    }
    if (flags & DICT_HSET_NX) return -1;
    replaceValue(link, v, vlen);
    return 0;
}

const char *dictHashGet(dict *d, const void *f, size_t flen, size_t *vlen) {
    wantKind(d, DICT_HASH);
    dictEntry *e = dictFind(d, f, flen);
    return e ? dictHashValue(e, vlen) : NULL;
}

/* ==== random picks ======================================================== */

dictEntry *dictRandom(dict *d, uint64_t (*rnd)(void)) {
    if (dictSize(d) == 0) return NULL;
    rehashStep(d);
    unsigned c = d->chainMax[0] > d->chainMax[1] ? d->chainMax[0] : d->chainMax[1];
    if (c > DICT_FAIR_CHAIN) c = DICT_FAIR_CHAIN;
    if (c == 0) c = 1;
    for (;;) {
        dictEntry *e;
        if (rehashing(d)) {      /* t[0] below rehashidx is empty: skip it */
            uint64_t lo = (uint64_t)d->rehashidx, s0 = tsize(d, 0);
            uint64_t i = lo + rnd() % (s0 - lo + tsize(d, 1));
            e = i < s0 ? d->t[0][i] : d->t[1][i - s0];
        } else {
            e = d->t[0][rnd() & (tsize(d, 0) - 1)];
        }
        if (!e) continue;
        unsigned k = c == 1 ? 0 : (unsigned)(rnd() % c);
        while (k-- && e) e = e->next;
        if (e) return e;
    }
}

/* A small open-addressed set of entry pointers (dictSample's dedupe). */
typedef struct ptrSet {
    dictEntry **slot;
    size_t mask;
} ptrSet;

static bool ptrSetAdd(ptrSet *s, dictEntry *e) {
    size_t i = (size_t)(((uintptr_t)e * 0x9E3779B97F4A7C15ull) >> 17) & s->mask;
    while (s->slot[i]) {
        if (s->slot[i] == e) return false;
        i = (i + 1) & s->mask;
    }
    s->slot[i] = e;
    return true;
}

/* sampleBySelection walks every entry once, taking each with probability
 * need/remaining (Knuth's selection sampling): a uniform n-subset. */
static size_t sampleBySelection(dict *d, dictEntry **out, size_t n, uint64_t (*rnd)(void)) {
    size_t left = dictSize(d), got = 0;
    for (int t = 0; t <= 1 && got < n; t++)
        for (uint64_t i = 0; i < tsize(d, t) && got < n; i++)
            for (dictEntry *e = d->t[t][i]; e && got < n; e = e->next, left--)
                if (rnd() % left < n - got) out[got++] = e;
    return got;
}

size_t dictSample(dict *d, dictEntry **out, size_t n, uint64_t (*rnd)(void)) {
    size_t size = dictSize(d);
    if (n > size) n = size;
    if (n == 0) return 0;
    if (n * 16 > size) return sampleBySelection(d, out, n, rnd);
    size_t cap = 4;
    while (cap < n * 2) cap <<= 1;
    ptrSet s = { zcalloc(cap * sizeof(dictEntry *)), cap - 1 };
    size_t got = 0;
    while (got < n) {
        dictEntry *e = dictRandom(d, rnd);
        if (ptrSetAdd(&s, e)) out[got++] = e;
    }
    zfreeSized(s.slot, cap * sizeof(dictEntry *));
    return got;
}

/* ==== scan and iteration ================================================== */

static inline uint64_t rev64(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((v & 0x0F0F0F0F0F0F0F0Full) << 4);
    return __builtin_bswap64(v);
}

/* nextCursor increments v's bits under mask from the top down. */
static inline uint64_t nextCursor(uint64_t v, uint64_t mask) {
    v |= ~mask;
    return rev64(rev64(v) + 1);
}

static void emitChain(dictEntry *e, dictScanFn *fn, void *arg) {
    while (e) {
        dictEntry *next = e->next;     /* fn may delete e */
        fn(arg, e);
        e = next;
    }
}

uint64_t dictScan(dict *d, uint64_t v, dictScanFn *fn, void *arg) {
    if (dictSize(d) == 0) return 0;
    d->pauseRehash++;                  /* fn's deletes must not move entries */
    if (!rehashing(d)) {
        uint64_t m0 = tsize(d, 0) - 1;
        emitChain(d->t[0][v & m0], fn, arg);
        v = nextCursor(v, m0);
    } else {
        int s = d->exp[0] <= d->exp[1] ? 0 : 1, b = 1 - s;
        uint64_t ms = tsize(d, s) - 1, mb = tsize(d, b) - 1;
        emitChain(d->t[s][v & ms], fn, arg);
        do {                           /* every expansion of that bucket in the big table */
            emitChain(d->t[b][v & mb], fn, arg);
            v = nextCursor(v, mb);
        } while (v & (ms ^ mb));
    }
    d->pauseRehash--;
    return v;
}

static uint64_t fingerprint(const dict *d) {
    uint64_t parts[6] = { (uintptr_t)d->t[0], (uintptr_t)d->t[1], d->used[0], d->used[1],
                          (uint64_t)d->exp[0] << 8 | (uint8_t)d->exp[1], (uint64_t)d->rehashidx };
    uint64_t h = 0;
    for (int i = 0; i < 6; i++) h = (h ^ parts[i]) * 0x100000001B3ull + (h >> 29);
    return h;
}

void dictIterInit(dictIter *it, dict *d, bool safe) {
    it->d = d;
    it->next = NULL;
    it->index = -1;
    it->table = 0;
    it->safe = safe;
    it->running = false;
    it->fingerprint = 0;
}

dictEntry *dictIterNext(dictIter *it) {
    dict *d = it->d;
    if (it->index == -1 && it->table == 0 && !it->running) {
        it->running = true;
        if (it->safe) d->pauseRehash++;
        else it->fingerprint = fingerprint(d);
    }
    for (;;) {
        if (it->next) {
            dictEntry *e = it->next;
            it->next = e->next;        /* saved now: the caller may delete e */
            return e;
        }
        if (it->table > 1) return NULL;
        it->index++;
        if ((uint64_t)it->index >= tsize(d, it->table)) {
            if (it->table == 0 && rehashing(d)) {
                it->table = 1;
                it->index = -1;
            } else {
                it->table = 2;         /* done */
            }
            continue;
        }
        it->next = d->t[it->table][it->index];
    }
}

void dictIterRelease(dictIter *it) {
    if (!it->running) return;
    it->running = false;
    if (it->safe) it->d->pauseRehash--;
    else if (it->fingerprint != fingerprint(it->d))
        dictPanic("unsafe iterator: the dict changed while iterating");
}

/* ==== whole-table operations ============================================= */

dict *dictCreate(int kind) {
    if (kind != DICT_SET && kind != DICT_HASH && kind != DICT_ZSET) dictPanic("unknown kind");
    dict *d = zmalloc(sizeof *d);
    memset(d, 0, sizeof *d);
    d->rehashidx = -1;
    d->exp[0] = d->exp[1] = -1;
    d->kind = (uint8_t)kind;
    return d;
}

void dictClear(dict *d) {
    if (d->pauseRehash) dictPanic("dictClear during iteration");
    for (int t = 0; t <= 1; t++) {
        for (uint64_t i = 0; i < tsize(d, t); i++) {
            dictEntry *e = d->t[t][i];
            while (e) {
                dictEntry *next = e->next;
                dictFreeEntry(d, e);
                e = next;
            }
        }
        if (d->t[t]) zfreeSized(d->t[t], tsize(d, t) * sizeof(dictEntry *));
    }
    int kind = d->kind;
    memset(d, 0, sizeof *d);
    d->rehashidx = -1;
    d->exp[0] = d->exp[1] = -1;
    d->kind = (uint8_t)kind;
}

void dictRelease(dict *d) {
    if (!d) return;
    dictClear(d);
    zfreeSized(d, sizeof *d);
}

static dictEntry *entryCopy(const dict *d, const dictEntry *e) {
    if (d->kind == DICT_SET) {
        size_t len;
        dictReadPrefixed(EBYTES(e) + 8, &len);
        dictEntry *n = zmemdup(e, setEntrySize(len));
        n->next = NULL;
        return n;
    }
    hashView h = hashParse(e);
    const void *v = valIsPtr(h.vlen) ? valPtr(&h) : h.vslot;
    return hashEntryNew(h.field, h.flen, v, h.vlen);
}

dict *dictDup(const dict *d) {
    if (d->kind == DICT_ZSET) dictPanic("dictDup of a zset dict (use zsetDup)");
    dict *n = dictCreate(d->kind);
    dictExpand(n, dictSize(d));
    for (int t = 0; t <= 1; t++)
        for (uint64_t i = 0; i < tsize(d, t); i++)
            for (dictEntry *e = d->t[t][i]; e; e = e->next)
                linkNew(n, entryHash(d, e), entryCopy(d, e));
    return n;
}

size_t dictMemUsage(const dict *d, size_t samples) {
    size_t bytes = zmallocSize(d), seen = 0, ebytes = 0;
    for (int t = 0; t <= 1; t++) {
        if (d->t[t]) bytes += zmallocSize(d->t[t]);
        for (uint64_t i = 0; i < tsize(d, t) && (samples == 0 || seen < samples); i++)
            for (dictEntry *e = d->t[t][i]; e && (samples == 0 || seen < samples); e = e->next) {
                ebytes += dictEntryBytes(d, e);
                seen++;
            }
    }
    if (seen && seen < dictSize(d)) ebytes = (size_t)((double)ebytes / (double)seen * (double)dictSize(d));
    return bytes + ebytes;
}
