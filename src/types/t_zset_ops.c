/* t_zset_ops.c — the sorted-set commands over several keys (ZUNION ZINTER
 * ZDIFF, their STORE forms, ZINTERCARD, ZMPOP) and the sampling and
 * scanning ones (ZRANDMEMBER, ZSCAN). The value layer and the command table
 * are in t_zset.c (design notes there); shared declarations in t_zset.h.
 *
 * Keys. These commands name their keys through numkeys, so the table gives
 * them getkeys functions (zsetNumkeysGetKeys, zsetStoreNumkeysGetKeys) and
 * call() locks every key's shard before the handler runs. A numkeys that is
 * not a valid count of the arguments that follow yields no key: the handler
 * then replies its error before it touches any key.
 *
 * Inputs may be sets as well as sorted sets, each member scoring 1, as in
 * Redis. Sets are read by their encoding: ENC_INTSET (storage/intset.h),
 * ENC_LISTPACK (one entry per member, Redis 7.2's small-set encoding) and
 * ENC_HT (a DICT_SET dict) — the layout t_set.c is to use.
 *
 * Algorithms (results are gathered in a zvec, sorted once, then replied or
 * stored; the result is the same as Redis's whatever the order of work):
 *  - union: an open-addressed index over the vector accumulates each
 *    member's aggregate; inputs are taken in ascending size order, as
 *    Redis does (a stable sort, so equal sizes keep their order and
 *    floating-point sums add up in Redis's order);
 *  - intersection: walk the smallest input, look each member up in the
 *    others (the same key named twice contributes its own score again);
 *  - difference: walk the first input, keep the members no other input has
 *    (Redis's first algorithm; when the first key is named again the
 *    result is empty at once).
 * WEIGHTS multiply each input's scores (inf * 0 gives 0, not NaN), SUM
 * turns a NaN sum into 0, as Redis.
 *
 * ZRANDMEMBER follows Redis's cases: a negative count may repeat members
 * (each pick uniform); a count at least the size returns everything; a
 * smaller positive count returns distinct members (a partial Fisher-Yates
 * shuffle over the listpack pairs or, for a skiplist, over all nodes when
 * count*3 > size, otherwise dictSample). Roost difference: a reply that
 * grows past 1 GiB ends the connection after what was written (Redis
 * would grow its output buffer until an output limit or memory ran out).
 *
 * ZSCAN: a listpack answers everything at once with cursor 0 (the scores
 * as stored: "3", "1.1000000000000001"); a skiplist walks the dict with
 * dictScan (reverse-binary cursor) and formats scores with "%.17Lg", as
 * Redis's createStringObjectFromLongDouble does. COUNT and MATCH behave as
 * in Redis 7.0, including its accounting (COUNT counts members and scores,
 * and the pattern is applied after the walk).
 */
#include "types/t_zset.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== key positions ========================================================== */

/* numkeysPositions: the key positions of "... numkeys key [key ...] ..." with
 * numkeys at argv[numi] (and argv[1] first when dst). None when numkeys is
 * not a count of 1 up to the arguments that follow it (the handler replies
 * the error before touching a key). call() offers room for every argument,
 * so all keys fit; a smaller buffer (COMMAND GETKEYS) that cannot take them
 * all gets none rather than a partial list. */
static int numkeysPositions(client *c, int argc, int numi, bool dst, int *idx, int max) {
    long long n;
    if (numi >= argc || !str2ll(c->argv[numi], c->argvlen[numi], &n) || n < 1 ||
        n > argc - numi - 1 || n + (dst ? 1 : 0) > max)
        return 0;
    int k = 0;
    if (dst) idx[k++] = 1;
    for (int i = 0; i < n; i++) idx[k++] = numi + 1 + i;
    return k;
}

int zsetNumkeysGetKeys(client *c, int argc, int *keyidx, int max) {
    return numkeysPositions(c, argc, 1, false, keyidx, max);
}

int zsetStoreNumkeysGetKeys(client *c, int argc, int *keyidx, int max) {
    return numkeysPositions(c, argc, 2, true, keyidx, max);
}

int bzmpopGetKeys(client *c, int argc, int *keyidx, int max) {
    return numkeysPositions(c, argc, 2, false, keyidx, max);   /* BZMPOP timeout numkeys ... */
}

/* ==== inputs: sorted sets and sets ============================================== */

typedef struct zsrc {
    kvobj *o;               /* NULL: a missing key (an empty input) */
    double weight;
    unsigned long len;
} zsrc;

typedef struct zsrcIter {
    const zsrc *s;
    unsigned char *p;       /* listpack: next entry (zset: next member entry) */
    zslNode *x;             /* skiplist: next node */
    uint32_t i;             /* intset: next position */
    dictIter di;            /* hashtable set */
    unsigned char buf[LP_INTBUF_SIZE];
} zsrcIter;

static unsigned long zsrcLength(const kvobj *o) {
    if (!o) return 0;
    if (kvType(o) == OBJ_ZSET) return zsLength(o);
    switch (kvEnc(o)) {
    case ENC_INTSET: return intsetLen(kvPtr(o));
    case ENC_LISTPACK: return lpLength(kvPtr(o));
    default: return dictSize((dict *)kvPtr(o));
    }
}

static void zsrcIterInit(zsrcIter *it, const zsrc *s) {
    memset(it, 0, sizeof *it);
    it->s = s;
    if (!s->o) return;
    if (kvType(s->o) == OBJ_ZSET) {
        if (kvEnc(s->o) == ENC_LISTPACK) it->p = lpFirst(kvPtr(s->o));
        else it->x = zslFirst(&((zset *)kvPtr(s->o))->zsl);
    } else if (kvEnc(s->o) == ENC_LISTPACK) {
        it->p = lpFirst(kvPtr(s->o));
    } else if (kvEnc(s->o) == ENC_HT) {
        dictIterInit(&it->di, kvPtr(s->o), true);
    }
}

/* zsrcNext yields the next member and its score (1 for sets); *transient
 * says the bytes live only until the next call. */
static bool zsrcNext(zsrcIter *it, const char **m, size_t *len, double *score, bool *transient) {
    const kvobj *o = it->s->o;
    if (!o) return false;
    *transient = false;
    if (kvType(o) == OBJ_ZSET) {
        if (kvEnc(o) == ENC_LISTPACK) {
            if (!it->p) return false;
            unsigned char *lp = kvPtr(o);
            *m = zlMember(it->p, len, it->buf);
            *transient = *m == (const char *)it->buf;
            *score = zlScore(lpNext(lp, it->p));
            it->p = zlNextPair(lp, it->p);
        } else {
            if (!it->x) return false;
            *m = zslNodeMember(it->x, len);
            *score = it->x->score;
            it->x = zslNext(it->x);
        }
        return true;
    }
    *score = 1.0;
    switch (kvEnc(o)) {
    case ENC_INTSET: {
        int64_t v;
        if (!intsetGet(kvPtr(o), it->i++, &v)) return false;
        *len = (size_t)ll2str((char *)it->buf, v);
        *m = (const char *)it->buf;
        *transient = true;
        return true;
    }
    case ENC_LISTPACK:
        if (!it->p) return false;
        *m = (const char *)lpGetStr(it->p, len, it->buf);
        *transient = *m == (const char *)it->buf;
        it->p = lpNext(kvPtr(o), it->p);
        return true;
    default: {
        dictEntry *e = dictIterNext(&it->di);
        if (!e) return false;
        *m = dictSetMember(e, len);
        return true;
    }
    }
}

static void zsrcIterEnd(zsrcIter *it) {
    const kvobj *o = it->s->o;
    if (o && kvType(o) == OBJ_SET && kvEnc(o) == ENC_HT) dictIterRelease(&it->di);
}

/* zsrcFind: is m in the input, and with which score (1 for sets)? */
static bool zsrcFind(const zsrc *s, const char *m, size_t len, double *score) {
    const kvobj *o = s->o;
    if (!o) return false;
    if (kvType(o) == OBJ_ZSET) {
        if (kvEnc(o) == ENC_LISTPACK) return zlFind(kvPtr(o), m, len, score) != NULL;
        zslNode *x = zsetFind(kvPtr(o), m, len);
        if (x) *score = x->score;
        return x != NULL;
    }
    *score = 1.0;
    switch (kvEnc(o)) {
    case ENC_INTSET: {
        int64_t v;
        return lpStringToInt64(m, len, &v) && intsetFind(kvPtr(o), v);
    }
    case ENC_LISTPACK: {
        unsigned char *lp = kvPtr(o), *p = lpFirst(lp);
        return p && lpFind(lp, p, m, len, 0) != NULL;
    }
    default: return dictFind(kvPtr(o), m, len) != NULL;
    }
}

/* ==== union accumulator ============================================================ */

static void zaccResize(zvec *v, size_t nslots) {
    zfree(v->slots);
    v->slots = zcalloc(nslots * sizeof(uint32_t));
    v->nslots = nslots;
    for (size_t i = 0; i < v->n; i++) {
        size_t s = v->v[i].h & (nslots - 1);
        while (v->slots[s]) s = (s + 1) & (nslots - 1);
        v->slots[s] = (uint32_t)(i + 1);
    }
}

/* zaccFind returns m's entry, adding it with `score` when new (*added). */
static zent *zaccFind(zvec *v, const char *m, size_t len, double score, bool transient,
                      bool *added) {
    if ((v->n + 1) * 2 > v->nslots) {
        size_t ns = v->nslots ? v->nslots : 16;
        while ((v->n + 1) * 2 > ns) ns *= 2;
        zaccResize(v, ns);
    }
    uint64_t h = hashBytes(m, len);
    size_t s = h & (v->nslots - 1);
    for (; v->slots[s]; s = (s + 1) & (v->nslots - 1)) {
        zent *e = &v->v[v->slots[s] - 1];
        if (e->h == h && e->len == len && memcmp(e->m, m, len) == 0) {
            *added = false;
            return e;
        }
    }
    zent *e = zvecPush(v, m, len, score, transient);
    e->h = h;
    v->slots[s] = (uint32_t)v->n;
    *added = true;
    return e;
}

/* ==== ZUNION ZINTER ZDIFF ZINTERCARD and the STORE forms =========================== */

enum { ZOP_UNION, ZOP_INTER, ZOP_DIFF };
enum { AGG_SUM, AGG_MIN, AGG_MAX };

static inline void aggregate(double *t, double v, int agg) {
    if (agg == AGG_SUM) {
        *t += v;
        if (isnan(*t)) *t = 0.0;       /* inf + -inf */
    } else if (agg == AGG_MIN) {
        if (v < *t) *t = v;
    } else if (v > *t) {
        *t = v;
    }
}

/* weighted: an input score times its weight, NaN (inf * 0) read as 0. */
static inline double weighted(double s, double w) {
    double r = s * w;
    return isnan(r) ? 0.0 : r;
}

static void zopUnion(zsrc *src, long n, int agg, zvec *out) {
    unsigned long biggest = n ? src[n - 1].len : 0;
    size_t ns = 16;
    while (ns < biggest * 2) ns *= 2;
    zaccResize(out, ns);
    for (long i = 0; i < n; i++) {
        if (!src[i].len) continue;
        zsrcIter it;
        const char *m;
        size_t len;
        double s;
        bool tr, added;
        zsrcIterInit(&it, &src[i]);
        while (zsrcNext(&it, &m, &len, &s, &tr)) {
            double w = weighted(s, src[i].weight);
            zent *e = zaccFind(out, m, len, w, tr, &added);
            if (!added) aggregate(&e->score, w, agg);
        }
        zsrcIterEnd(&it);
    }
}

/* zopInter: the intersection into out, or its size into *card (stopping at
 * limit when > 0) when card is not NULL. */
static void zopInter(zsrc *src, long n, int agg, zvec *out, unsigned long *card,
                     unsigned long limit) {
    if (!src[0].len) return;
    zsrcIter it;
    const char *m;
    size_t len;
    double s;
    bool tr;
    zsrcIterInit(&it, &src[0]);
    while (zsrcNext(&it, &m, &len, &s, &tr)) {
        double score = weighted(s, src[0].weight), v;
        long j;
        for (j = 1; j < n; j++) {
            if (src[j].o == src[0].o) v = s * src[j].weight;
            else if (zsrcFind(&src[j], m, len, &v)) v *= src[j].weight;
            else break;
            aggregate(&score, v, agg);
        }
        if (j < n) continue;
        if (card) {
            if (++*card == limit) break;
        } else {
            zvecPush(out, m, len, score, tr);
        }
    }
    zsrcIterEnd(&it);
}

static void zopDiff(zsrc *src, long n, zvec *out) {
    if (!src[0].len) return;
    for (long j = 1; j < n; j++)
        if (src[j].o == src[0].o) return;      /* a key minus itself */
    zsrcIter it;
    const char *m;
    size_t len;
    double s, v;
    bool tr;
    zsrcIterInit(&it, &src[0]);
    while (zsrcNext(&it, &m, &len, &s, &tr)) {
        long j = 1;
        while (j < n && !zsrcFind(&src[j], m, len, &v)) j++;
        if (j == n) zvecPush(out, m, len, s, tr);
    }
    zsrcIterEnd(&it);
}

/* sortBySize: a stable insertion sort by ascending length (Redis qsorts by
 * cardinality with glibc's qsort, a stable merge sort up to glibc 2.36, so
 * equal sizes keep their order there as here). */
static void sortBySize(zsrc *src, long n) {
    for (long i = 1; i < n; i++) {
        zsrc t = src[i];
        long j = i;
        while (j > 0 && src[j - 1].len > t.len) {
            src[j] = src[j - 1];
            j--;
        }
        src[j] = t;
    }
}

/* zopOptions parses WEIGHTS / AGGREGATE / WITHSCORES / LIMIT from argv[j]. */
static bool zopOptions(client *c, int j, zsrc *src, long n, int op, bool store, bool cardOnly,
                       int *agg, bool *withscores, long *limit) {
    while (j < c->argc) {
        int remaining = c->argc - j;
        if (op != ZOP_DIFF && !cardOnly && remaining >= n + 1 && argEq(c, j, "weights")) {
            j++;
            for (long i = 0; i < n; i++, j++) {
                if (!getDoubleFromArg(c, j, &src[i].weight)) {
                    addReplyError(c, "weight value is not a float");
                    return false;
                }
            }
        } else if (op != ZOP_DIFF && !cardOnly && remaining >= 2 && argEq(c, j, "aggregate")) {
            j++;
            if (argEq(c, j, "sum")) *agg = AGG_SUM;
            else if (argEq(c, j, "min")) *agg = AGG_MIN;
            else if (argEq(c, j, "max")) *agg = AGG_MAX;
            else {
                addReplyErrorSyntax(c);
                return false;
            }
            j++;
        } else if (!store && !cardOnly && argEq(c, j, "withscores")) {
            j++;
            *withscores = true;
        } else if (cardOnly && remaining >= 2 && argEq(c, j, "limit")) {
            if (!getPositiveLongFromArgOrReply(c, j + 1, limit, "LIMIT can't be negative"))
                return false;
            j += 2;
        } else {
            addReplyErrorSyntax(c);
            return false;
        }
    }
    return true;
}

/* zsetOpGeneric: ZUNION ZINTER ZDIFF (dsti 0), their STORE forms (the
 * destination at argv[dsti]) and ZINTERCARD (cardOnly); numkeys at
 * argv[numi]. */
static void zsetOpGeneric(client *c, int dsti, int numi, int op, bool cardOnly) {
    static const char *const events[] = { "zunionstore", "zinterstore", "zdiffstore" };
    long long n;
    if (!getLongLongFromArgOrReply(c, numi, &n, NULL)) return;
    if (n < 1) {
        addReplyErrorFormat(c, "at least 1 input key is needed for '%s' command",
                            c->cmd->fullname);
        return;
    }
    if (n > c->argc - numi - 1) {
        addReplyErrorSyntax(c);
        return;
    }
    zsrc *src = zcalloc(sizeof(zsrc) * (size_t)n);
    for (long i = 0; i < n; i++) {
        kvobj *o = lookupRead(c, numi + 1 + (int)i);
        if (o && kvType(o) != OBJ_ZSET && kvType(o) != OBJ_SET) {
            zfree(src);
            addReplyErrorWrongType(c);
            return;
        }
        src[i].o = o;
        src[i].weight = 1.0;
        src[i].len = zsrcLength(o);
    }
    int agg = AGG_SUM;
    bool withscores = false;
    long limit = 0;
    if (!zopOptions(c, numi + 1 + (int)n, src, (long)n, op, dsti > 0, cardOnly, &agg,
                    &withscores, &limit)) {
        zfree(src);
        return;
    }
    if (op != ZOP_DIFF) sortBySize(src, (long)n);

    zvec vec = { 0 };
    unsigned long card = 0;
    if (op == ZOP_UNION) zopUnion(src, (long)n, agg, &vec);
    else if (op == ZOP_INTER) zopInter(src, (long)n, agg, &vec, cardOnly ? &card : NULL,
                                       (unsigned long)limit);
    else zopDiff(src, (long)n, &vec);

    if (cardOnly) {
        addReplyLongLong(c, (long long)card);
    } else {
        zvecSort(&vec);
        if (dsti > 0) zsetStoreResult(c, dsti, &vec, events[op]);
        else zvecReply(c, &vec, withscores);
    }
    zvecFree(&vec);
    zfree(src);
}

void zunionCommand(client *c) { zsetOpGeneric(c, 0, 1, ZOP_UNION, false); }
void zinterCommand(client *c) { zsetOpGeneric(c, 0, 1, ZOP_INTER, false); }
void zdiffCommand(client *c) { zsetOpGeneric(c, 0, 1, ZOP_DIFF, false); }
void zunionstoreCommand(client *c) { zsetOpGeneric(c, 1, 2, ZOP_UNION, false); }
void zinterstoreCommand(client *c) { zsetOpGeneric(c, 1, 2, ZOP_INTER, false); }
void zdiffstoreCommand(client *c) { zsetOpGeneric(c, 1, 2, ZOP_DIFF, false); }
void zintercardCommand(client *c) { zsetOpGeneric(c, 0, 1, ZOP_INTER, true); }

/* ==== ZMPOP ========================================================================= */

/* zmpopParse reads "numkeys key [key ...] MIN|MAX [COUNT n]" from
 * argv[base] (ZMPOP: 1, BZMPOP: 2); replies the error and returns false. */
bool zmpopParse(client *c, int base, long long *numkeys, bool *max, long long *count) {
    *count = -1;
    if (!getLongLongFromArg(c, base, numkeys) || *numkeys < 1 || *numkeys > LONG_MAX) {
        addReplyError(c, "numkeys should be greater than 0");
        return false;
    }
    if (*numkeys >= c->argc - base - 1) {      /* no room for MIN|MAX after the keys */
        addReplyErrorSyntax(c);
        return false;
    }
    int wherei = base + 1 + (int)*numkeys;
    if (argEq(c, wherei, "min")) *max = false;
    else if (argEq(c, wherei, "max")) *max = true;
    else {
        addReplyErrorSyntax(c);
        return false;
    }
    for (int j = wherei + 1; j < c->argc; j++) {
        if (*count == -1 && argEq(c, j, "count") && j + 1 < c->argc) {
            j++;
            if (!getLongLongFromArg(c, j, count) || *count < 1) {
                addReplyError(c, "count should be greater than 0");
                return false;
            }
        } else {
            addReplyErrorSyntax(c);
            return false;
        }
    }
    if (*count == -1) *count = 1;
    return true;
}

void zmpopCommand(client *c) {
    long long numkeys, count;
    bool max;
    if (!zmpopParse(c, 1, &numkeys, &max, &count)) return;
    zsetPopGeneric(c, 2, (int)numkeys, max, count, true, true, true);
}

/* ==== ZRANDMEMBER ==================================================================== */

#define ZRAND_REPLY_CAP (1ull << 30)   /* see the file comment */

static void zrandEmit(client *c, const char *m, size_t len, double score, bool withscores) {
    if (withscores && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyBulk(c, m, len);
    if (withscores) addReplyDouble(c, score);
}

static void zrandEmitEntry(client *c, unsigned char *lp, unsigned char *ep, bool withscores) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const char *m = zlMember(ep, &len, buf);
    zrandEmit(c, m, len, withscores ? zlScore(lpNext(lp, ep)) : 0, withscores);
}

static void zrandEmitNode(client *c, const zslNode *x, bool withscores) {
    size_t len;
    const char *m = zslNodeMember(x, &len);
    zrandEmit(c, m, len, x->score, withscores);
}

/* zlPairs: the member entries of a zset listpack, in order (n of them). */
static unsigned char **zlPairs(unsigned char *lp, unsigned long n) {
    unsigned char **eps = zmalloc(sizeof(*eps) * (n ? n : 1));
    unsigned long i = 0;
    for (unsigned char *ep = lpFirst(lp); ep && i < n; ep = zlNextPair(lp, ep)) eps[i++] = ep;
    return eps;
}

/* shuffleHead moves a uniformly random choice of k of the n pointers to
 * the front (a partial Fisher-Yates shuffle). */
static void shuffleHead(void **a, unsigned long n, unsigned long k) {
    for (unsigned long i = 0; i < k; i++) {
        unsigned long j = i + ksRandom() % (n - i);
        void *t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* zrandRepeats: count picks, each uniform, members may repeat. */
static void zrandRepeats(client *c, kvobj *o, unsigned long long count, bool withscores) {
    unsigned long size = zsLength(o);
    addReplyArrayLen(c, (long)(withscores && c->resp == 2 ? count * 2 : count));
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char **eps = zlPairs(lp, size);
        while (count--) {
            zrandEmitEntry(c, lp, eps[ksRandom() % size], withscores);
            if (c->olen > ZRAND_REPLY_CAP) break;
        }
        zfree(eps);
    } else {
        zset *zs = kvPtr(o);
        while (count--) {
            zrandEmitNode(c, (zslNode *)dictRandom(zs->dict, ksRandom), withscores);
            if (c->olen > ZRAND_REPLY_CAP) break;
        }
    }
    if (c->olen > ZRAND_REPLY_CAP) c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* zrandDistinct: min(count, size) distinct members. */
static void zrandDistinct(client *c, kvobj *o, unsigned long long count, bool withscores) {
    unsigned long size = zsLength(o);
    unsigned long n = count >= size ? size : (unsigned long)count;
    addReplyArrayLen(c, (long)(withscores && c->resp == 2 ? n * 2 : n));
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        if (n == size) {
            for (unsigned char *ep = lpFirst(lp); ep; ep = zlNextPair(lp, ep))
                zrandEmitEntry(c, lp, ep, withscores);
            return;
        }
        unsigned char **eps = zlPairs(lp, size);
        shuffleHead((void **)eps, size, n);
        for (unsigned long i = 0; i < n; i++) zrandEmitEntry(c, lp, eps[i], withscores);
        zfree(eps);
        return;
    }
    zset *zs = kvPtr(o);
    if (n == size) {
        for (zslNode *x = zslFirst(&zs->zsl); x; x = zslNext(x)) zrandEmitNode(c, x, withscores);
        return;
    }
    zslNode **xs = zmalloc(sizeof(*xs) * (n * 3 > size ? size : n));
    if (n * 3 > size) {                 /* a large share: shuffle them all */
        unsigned long i = 0;
        for (zslNode *x = zslFirst(&zs->zsl); x; x = zslNext(x)) xs[i++] = x;
        shuffleHead((void **)xs, size, n);
    } else {
        n = dictSample(zs->dict, (dictEntry **)xs, n, ksRandom);
    }
    for (unsigned long i = 0; i < n; i++) zrandEmitNode(c, xs[i], withscores);
    zfree(xs);
}

void zrandmemberCommand(client *c) {
    if (c->argc >= 3) {
        long long l;
        if (!getLongLongFromArgOrReply(c, 2, &l, NULL)) return;
        bool withscores = c->argc == 4;
        if (c->argc > 4 || (withscores && !argEq(c, 3, "withscores"))) {
            addReplyErrorSyntax(c);
            return;
        }
        if (withscores && (l < LONG_MIN / 2 || l > LONG_MAX / 2)) {
            addReplyError(c, "value is out of range");
            return;
        }
        kvobj *o = lookupRead(c, 1);
        if (!o) {
            addReplyArrayLen(c, 0);
            return;
        }
        if (!checkType(c, o, OBJ_ZSET)) return;
        if (l == 0) addReplyArrayLen(c, 0);
        else if (l < 0) zrandRepeats(c, o, (unsigned long long)(-(l + 1)) + 1, withscores);
        else zrandDistinct(c, o, (unsigned long long)l, withscores);
        return;
    }
    kvobj *o = lookupReadOrReplyNull(c, 1);
    if (!o || !checkType(c, o, OBJ_ZSET)) return;
    size_t len;
    const char *m;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o), buf[LP_INTBUF_SIZE];
        unsigned char *ep = lpSeek(lp, (long)(2 * (ksRandom() % zsLength(o))));
        m = zlMember(ep, &len, buf);
        addReplyBulk(c, m, len);
    } else {
        zset *zs = kvPtr(o);
        m = zslNodeMember((zslNode *)dictRandom(zs->dict, ksRandom), &len);
        addReplyBulk(c, m, len);
    }
}

/* ==== ZSCAN =========================================================================== */

typedef struct scanNodes {
    zslNode **v;
    size_t n, cap;
} scanNodes;

static void scanCollect(void *arg, dictEntry *e) {
    scanNodes *s = arg;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->v = zrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = (zslNode *)e;
}

static void replyCursor(client *c, unsigned long long cursor) {
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%llu", cursor);
    addReplyArrayLen(c, 2);
    addReplyBulk(c, buf, (size_t)n);
}

void zscanCommand(client *c) {
    unsigned long long cursor;
    if (!getScanCursorOrReply(c, 2, &cursor)) return;
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        replyCursor(c, 0);
        addReplyArrayLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_ZSET)) return;
    long long count = 10;
    const char *pat = NULL;
    size_t plen = 0;
    for (int i = 3; i < c->argc; i += 2) {
        int more = c->argc - i;
        if (argEq(c, i, "count") && more >= 2) {
            if (!getLongLongFromArgOrReply(c, i + 1, &count, NULL)) return;
            if (count < 1) {
                addReplyErrorSyntax(c);
                return;
            }
        } else if (argEq(c, i, "match") && more >= 2) {
            pat = c->argv[i + 1];
            plen = c->argvlen[i + 1];
            if (plen == 1 && pat[0] == '*') pat = NULL;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }

    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        long n = 0;
        for (unsigned char *ep = lpFirst(lp); ep; ep = zlNextPair(lp, ep)) {
            unsigned char buf[LP_INTBUF_SIZE];
            size_t len;
            const char *m = zlMember(ep, &len, buf);
            if (!pat || globMatch(pat, plen, m, len, false)) n++;
        }
        replyCursor(c, 0);
        addReplyArrayLen(c, n * 2);
        for (unsigned char *ep = lpFirst(lp); ep; ep = zlNextPair(lp, ep)) {
            unsigned char buf[LP_INTBUF_SIZE], sbuf[LP_INTBUF_SIZE];
            size_t len, slen;
            const char *m = zlMember(ep, &len, buf);
            if (pat && !globMatch(pat, plen, m, len, false)) continue;
            const unsigned char *s = lpGetStr(lpNext(lp, ep), &slen, sbuf);
            addReplyBulk(c, m, len);
            addReplyBulk(c, (const char *)s, slen);
        }
        return;
    }

    zset *zs = kvPtr(o);
    scanNodes found = { 0 };
    unsigned long long maxit = (unsigned long long)count > ULLONG_MAX / 10
                                   ? ULLONG_MAX : (unsigned long long)count * 10;
    do {
        cursor = dictScan(zs->dict, cursor, scanCollect, &found);
    } while (cursor && maxit-- && found.n * 2 < (unsigned long long)count);
    long n = 0;
    for (size_t i = 0; i < found.n; i++) {
        size_t len;
        const char *m = zslNodeMember(found.v[i], &len);
        if (!pat || globMatch(pat, plen, m, len, false)) found.v[n++] = found.v[i];
    }
    replyCursor(c, cursor);
    addReplyArrayLen(c, n * 2);
    for (long i = 0; i < n; i++) {
        char sbuf[MAX_LONG_DOUBLE_CHARS];
        size_t len;
        const char *m = zslNodeMember(found.v[i], &len);
        int slen = longdouble2str(sbuf, sizeof sbuf, (long double)found.v[i]->score, false);
        addReplyBulk(c, m, len);
        addReplyBulk(c, sbuf, (size_t)slen);
    }
    zfree(found.v);
}
