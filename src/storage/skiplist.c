/* skiplist.c — sorted-set skiplist and the zset pairing (design and node
 * layout: skiplist.h and dict.h).
 *
 * Banners: nodes / ordering / the list (insert, unlink, update) / ranks /
 * ranges / range deletion / range parsing / zset.
 *
 * Span invariant: for every node x (header included) and level i < its
 * height (header: < zsl->level), x.level[i].span is the number of level-0
 * steps from x to x.level[i].forward, or to past the tail when forward is
 * NULL. So the rank of a node is the sum of spans on any descent to it, and
 * the header's spans on levels it does not yet use are set to the length
 * when a taller node claims them (Redis's convention).
 *
 * Every descent starts at zsl->level - 1 and records, per level, the last
 * node before the target (update[]) and its rank (rank[]); insert and unlink
 * fix spans from those two arrays in O(level).
 */
#include "storage/skiplist.h"
#include "storage/hash.h"
#include "storage/zmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(__builtin_offsetof(zslNode, height) == DICT_ZNODE_HEIGHT_OFF, "zset node layout");
_Static_assert(__builtin_offsetof(zslNode, member) == DICT_ZNODE_KEY_OFF, "zset node layout");
_Static_assert(sizeof(zslLevel) == DICT_ZNODE_LEVEL_BYTES, "zset level layout");
_Static_assert(__builtin_offsetof(zslNode, next) == 0, "a node is a dict entry");

#define LV(x, i) zslLevelOf((x), (i))

__attribute__((noreturn, cold)) static void zslPanic(const char *msg) {
    fprintf(stderr, "skiplist: %s\n", msg);
    fflush(stderr);
    abort();
}

/* ==== nodes =============================================================== */

static size_t nodeSize(int height, size_t len) {
    return (size_t)height * sizeof(zslLevel) + DICT_ZNODE_KEY_OFF + dictLenPrefixSize(len) + len;
}

static zslNode *nodeNew(int height, double score, const char *m, size_t len) {
    char *blk = zmalloc(nodeSize(height, len));
    zslNode *x = (zslNode *)(blk + (size_t)height * sizeof(zslLevel));
    x->next = NULL;
    x->score = score;
    x->backward = NULL;
    x->height = (uint8_t)height;
    dictWritePrefixed(x->member, m, len);
    return x;
}

void zslFreeNode(zslNode *x) {
    size_t len;
    zslNodeMember(x, &len);
    zfreeSized(LV(x, x->height - 1), nodeSize(x->height, len));
}

size_t zslNodeBytes(const zslNode *x) { return zmallocSize(LV(x, x->height - 1)); }

int zslLevelForHash(uint64_t h) {
    uint64_t bits = (h >> 32) | (h << 32);      /* the dict indexes with the low bits */
    int lvl = 1 + __builtin_ctzll(bits | (1ull << 63)) / 2;
    return lvl > ZSL_MAXLEVEL ? ZSL_MAXLEVEL : lvl;
}

/* ==== ordering ============================================================ */

int zslLexCmp(const char *a, size_t alen, const char *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* cmpNode orders x against (score, m): <0, 0, >0. */
static inline int cmpNode(const zslNode *x, double score, const char *m, size_t len) {
    if (x->score < score) return -1;
    if (x->score > score) return 1;
    size_t xl;
    const char *xm = zslNodeMember(x, &xl);
    return zslLexCmp(xm, xl, m, len);
}

/* ==== the list ============================================================ */

static void headerAlloc(zskiplist *zsl, int cap) {
    char *blk = zmalloc((size_t)cap * sizeof(zslLevel));
    zslNode *h = (zslNode *)(blk + (size_t)cap * sizeof(zslLevel));
    if (zsl->header) {                 /* keep the levels in use */
        memcpy(blk + (size_t)(cap - zsl->hcap) * sizeof(zslLevel), LV(zsl->header, zsl->hcap - 1),
               (size_t)zsl->hcap * sizeof(zslLevel));
        zfreeSized(LV(zsl->header, zsl->hcap - 1), (size_t)zsl->hcap * sizeof(zslLevel));
    }
    for (int i = zsl->header ? zsl->hcap : 0; i < cap; i++) {
        LV(h, i)->forward = NULL;
        LV(h, i)->span = 0;
    }
    zsl->header = h;
    zsl->hblock = blk;
    zsl->hcap = cap;
}

void zslInit(zskiplist *zsl) {
    memset(zsl, 0, sizeof *zsl);
    zsl->level = 1;
    headerAlloc(zsl, 1);
}

void zslDestroy(zskiplist *zsl, bool freeNodes) {
    if (freeNodes) {
        zslNode *x = zslFirst(zsl);
        while (x) {
            zslNode *next = zslNext(x);
            zslFreeNode(x);
            x = next;
        }
    }
    zfreeSized(LV(zsl->header, zsl->hcap - 1), (size_t)zsl->hcap * sizeof(zslLevel));
    memset(zsl, 0, sizeof *zsl);
}

zskiplist *zslCreate(void) {
    zskiplist *zsl = zmalloc(sizeof *zsl);
    zslInit(zsl);
    return zsl;
}

void zslFree(zskiplist *zsl) {
    zslDestroy(zsl, true);
    zfreeSized(zsl, sizeof *zsl);
}

/* linkNode links x (its height set, score and member final) at its place;
 * the header must already have x->height levels. */
static void linkNode(zskiplist *zsl, zslNode *x) {
    zslNode *update[ZSL_MAXLEVEL];
    uint64_t rank[ZSL_MAXLEVEL];
    size_t len;
    const char *m = zslNodeMember(x, &len);
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        zslNode *f;
        while ((f = LV(p, i)->forward) && cmpNode(f, x->score, m, len) < 0) {
            rank[i] += LV(p, i)->span;
            p = f;
        }
        update[i] = p;
    }
    int h = x->height;
    for (int i = zsl->level; i < h; i++) {   /* levels the list starts using */
        rank[i] = 0;
        update[i] = zsl->header;
        LV(zsl->header, i)->forward = NULL;
        LV(zsl->header, i)->span = zsl->length;
    }
    if (h > zsl->level) zsl->level = h;
    for (int i = 0; i < h; i++) {
        zslLevel *u = LV(update[i], i), *l = LV(x, i);
        l->forward = u->forward;
        u->forward = x;
        l->span = u->span - (rank[0] - rank[i]);
        u->span = rank[0] - rank[i] + 1;
    }
    for (int i = h; i < zsl->level; i++) LV(update[i], i)->span++;
    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (LV(x, 0)->forward) LV(x, 0)->forward->backward = x;
    else zsl->tail = x;
    zsl->length++;
}

zslNode *zslInsertHashed(zskiplist *zsl, double score, const char *m, size_t len, uint64_t h) {
    if (isnan(score)) zslPanic("NaN score");
    int lvl = zslLevelForHash(h);
    if (lvl > zsl->hcap) headerAlloc(zsl, lvl);
    zslNode *x = nodeNew(lvl, score, m, len);
    linkNode(zsl, x);
    return x;
}

zslNode *zslInsert(zskiplist *zsl, double score, const char *m, size_t len) {
    return zslInsertHashed(zsl, score, m, len, dictHashKey(m, len));
}

/* findUpdate descends to (score, m), filling update[] with the last node
 * before it on each level; returns the level-0 successor of update[0]. */
static zslNode *findUpdate(const zskiplist *zsl, double score, const char *m, size_t len,
                           zslNode **update) {
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && cmpNode(f, score, m, len) < 0) p = f;
        update[i] = p;
    }
    return LV(p, 0)->forward;
}

/* unlinkNode removes x given its update[] and fixes spans, backward, tail
 * and the list's level. */
static void unlinkNode(zskiplist *zsl, zslNode *x, zslNode **update) {
    for (int i = 0; i < zsl->level; i++) {
        zslLevel *u = LV(update[i], i);
        if (u->forward == x) {
            u->span += LV(x, i)->span - 1;
            u->forward = LV(x, i)->forward;
        } else {
            u->span--;
        }
    }
    zslNode *next = LV(x, 0)->forward;
    if (next) next->backward = x->backward;
    else zsl->tail = x->backward;
    while (zsl->level > 1 && LV(zsl->header, zsl->level - 1)->forward == NULL) zsl->level--;
    zsl->length--;
    x->backward = NULL;
}

void zslDeleteNode(zskiplist *zsl, zslNode *x) {
    zslNode *update[ZSL_MAXLEVEL];
    size_t len;
    const char *m = zslNodeMember(x, &len);
    if (findUpdate(zsl, x->score, m, len, update) != x) zslPanic("node not in this skiplist");
    unlinkNode(zsl, x, update);
}

zslNode *zslDelete(zskiplist *zsl, double score, const char *m, size_t len) {
    zslNode *update[ZSL_MAXLEVEL];
    zslNode *x = findUpdate(zsl, score, m, len, update);
    if (!x || cmpNode(x, score, m, len) != 0) return NULL;
    unlinkNode(zsl, x, update);
    return x;
}

void zslUpdateScore(zskiplist *zsl, zslNode *x, double newscore) {
    if (isnan(newscore)) zslPanic("NaN score");
    size_t len;
    const char *m = zslNodeMember(x, &len);
    zslNode *prev = x->backward, *next = zslNext(x);
    if ((!prev || cmpNode(prev, newscore, m, len) < 0) &&
        (!next || cmpNode(next, newscore, m, len) > 0)) {
        x->score = newscore;           /* still between its neighbours */
        return;
    }
    zslDeleteNode(zsl, x);
    x->score = newscore;
    linkNode(zsl, x);
}

/* ==== ranks =============================================================== */

int64_t zslRank(const zskiplist *zsl, double score, const char *m, size_t len) {
    const zslNode *p = zsl->header;
    uint64_t rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && cmpNode(f, score, m, len) <= 0) {
            rank += LV(p, i)->span;
            p = f;
        }
        if (p != zsl->header && cmpNode(p, score, m, len) == 0) return (int64_t)rank - 1;
    }
    return -1;
}

zslNode *zslByRank(const zskiplist *zsl, uint64_t rank) {
    if (rank >= zsl->length) return NULL;
    uint64_t want = rank + 1, seen = 0;
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (LV(p, i)->forward && seen + LV(p, i)->span <= want) {
            seen += LV(p, i)->span;
            p = LV(p, i)->forward;
        }
        if (seen == want) return p;
    }
    return NULL;
}

/* ==== ranges ============================================================== */

bool zslValueGteMin(double v, const zrangespec *r) { return r->minex ? v > r->min : v >= r->min; }
bool zslValueLteMax(double v, const zrangespec *r) { return r->maxex ? v < r->max : v <= r->max; }

bool zslIsInRange(const zskiplist *zsl, const zrangespec *r) {
    if (r->min > r->max || (r->min == r->max && (r->minex || r->maxex))) return false;
    if (!zsl->tail || !zslValueGteMin(zsl->tail->score, r)) return false;
    zslNode *first = zslFirst(zsl);
    return first && zslValueLteMax(first->score, r);
}

zslNode *zslFirstInRange(const zskiplist *zsl, const zrangespec *r) {
    if (!zslIsInRange(zsl, r)) return NULL;
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && !zslValueGteMin(f->score, r)) p = f;
    }
    p = zslNext(p);                    /* exists: the tail is >= min */
    return zslValueLteMax(p->score, r) ? p : NULL;
}

zslNode *zslLastInRange(const zskiplist *zsl, const zrangespec *r) {
    if (!zslIsInRange(zsl, r)) return NULL;
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && zslValueLteMax(f->score, r)) p = f;
    }
    /* p != header: the first node is <= max */
    return zslValueGteMin(p->score, r) ? p : NULL;
}

/* boundCmp orders two lex bounds, "-" below and "+" above every string. */
static int boundCmp(const zlexbound *a, const zlexbound *b) {
    if (a->inf || b->inf) return (a->inf > b->inf) - (a->inf < b->inf);
    return zslLexCmp(a->s, a->len, b->s, b->len);
}

bool zslLexGteMin(const char *m, size_t len, const zlexrangespec *r) {
    if (r->min.inf) return r->min.inf < 0;
    int c = zslLexCmp(m, len, r->min.s, r->min.len);
    return r->min.ex ? c > 0 : c >= 0;
}

bool zslLexLteMax(const char *m, size_t len, const zlexrangespec *r) {
    if (r->max.inf) return r->max.inf > 0;
    int c = zslLexCmp(m, len, r->max.s, r->max.len);
    return r->max.ex ? c < 0 : c <= 0;
}

static inline bool nodeGteMinLex(const zslNode *x, const zlexrangespec *r) {
    size_t l;
    const char *m = zslNodeMember(x, &l);
    return zslLexGteMin(m, l, r);
}

static inline bool nodeLteMaxLex(const zslNode *x, const zlexrangespec *r) {
    size_t l;
    const char *m = zslNodeMember(x, &l);
    return zslLexLteMax(m, l, r);
}

bool zslIsInLexRange(const zskiplist *zsl, const zlexrangespec *r) {
    int c = boundCmp(&r->min, &r->max);
    if (c > 0 || (c == 0 && (r->min.ex || r->max.ex || r->min.inf))) return false;
    if (!zsl->tail || !nodeGteMinLex(zsl->tail, r)) return false;
    zslNode *first = zslFirst(zsl);
    return first && nodeLteMaxLex(first, r);
}

zslNode *zslFirstInLexRange(const zskiplist *zsl, const zlexrangespec *r) {
    if (!zslIsInLexRange(zsl, r)) return NULL;
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && !nodeGteMinLex(f, r)) p = f;
    }
    p = zslNext(p);
    return nodeLteMaxLex(p, r) ? p : NULL;
}

zslNode *zslLastInLexRange(const zskiplist *zsl, const zlexrangespec *r) {
    if (!zslIsInLexRange(zsl, r)) return NULL;
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && nodeLteMaxLex(f, r)) p = f;
    }
    return nodeGteMinLex(p, r) ? p : NULL;
}

/* ==== range deletion ====================================================== */

/* dropFrom unlinks x and the nodes after it while keep(x) holds, passing
 * each to fn (or freeing it). update[] is the descent to x. */
static uint64_t dropFrom(zskiplist *zsl, zslNode *x, zslNode **update,
                         bool (*keep)(const zslNode *, const void *, uint64_t), const void *spec,
                         zslNodeFn *fn, void *arg) {
    uint64_t removed = 0;
    while (x && keep(x, spec, removed)) {
        zslNode *next = zslNext(x);
        unlinkNode(zsl, x, update);
        if (fn) fn(arg, x);
        else zslFreeNode(x);
        removed++;
        x = next;
    }
    return removed;
}

static bool scoreKeep(const zslNode *x, const void *spec, uint64_t n) {
    return zslValueLteMax(x->score, spec);
}

uint64_t zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r, zslNodeFn *fn, void *arg) {
    zslNode *update[ZSL_MAXLEVEL];
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && !zslValueGteMin(f->score, r)) p = f;
        update[i] = p;
    }
    return dropFrom(zsl, zslNext(p), update, scoreKeep, r, fn, arg);
}

static bool lexKeep(const zslNode *x, const void *spec, uint64_t n) {
    return nodeLteMaxLex(x, spec);
}

uint64_t zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r, zslNodeFn *fn, void *arg) {
    zslNode *update[ZSL_MAXLEVEL];
    zslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = LV(p, i)->forward) && !nodeGteMinLex(f, r)) p = f;
        update[i] = p;
    }
    return dropFrom(zsl, zslNext(p), update, lexKeep, r, fn, arg);
}

static bool rankKeep(const zslNode *x, const void *spec, uint64_t n) {
    return n < *(const uint64_t *)spec;
}

uint64_t zslDeleteRangeByRank(zskiplist *zsl, uint64_t start, uint64_t end, zslNodeFn *fn, void *arg) {
    if (start > end || start >= zsl->length) return 0;
    if (end >= zsl->length) end = zsl->length - 1;
    zslNode *update[ZSL_MAXLEVEL];
    zslNode *p = zsl->header;
    uint64_t seen = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (LV(p, i)->forward && seen + LV(p, i)->span <= start) {
            seen += LV(p, i)->span;
            p = LV(p, i)->forward;
        }
        update[i] = p;
    }
    uint64_t count = end - start + 1;
    return dropFrom(zsl, zslNext(p), update, rankKeep, &count, fn, arg);
}

/* ==== range parsing ======================================================= */

bool zslParseScoreBound(const char *s, size_t len, double *v, bool *ex) {
    *ex = len > 0 && s[0] == '(';
    if (*ex) { s++; len--; }
    char small[128];
    char *buf = len < sizeof small ? small : zmalloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *v = strtod(buf, &end);
    bool ok = *end == '\0' && !isnan(*v);   /* as Redis: an embedded NUL ends the number */
    if (buf != small) zfreeSized(buf, len + 1);
    return ok;
}

bool zslParseScoreRange(const char *min, size_t minlen, const char *max, size_t maxlen,
                        zrangespec *r) {
    return zslParseScoreBound(min, minlen, &r->min, &r->minex) &&
           zslParseScoreBound(max, maxlen, &r->max, &r->maxex);
}

bool zslParseLexBound(const char *s, size_t len, zlexbound *b) {
    b->s = NULL;
    b->len = 0;
    b->inf = 0;
    b->ex = false;
    if (len == 0) return false;
    switch (s[0]) {
    case '-':
    case '+':
        if (len != 1) return false;
        b->inf = s[0] == '-' ? -1 : 1;
        b->ex = true;
        return true;
    case '(':
    case '[':
        b->ex = s[0] == '(';
        b->s = s + 1;
        b->len = len - 1;
        return true;
    default:
        return false;
    }
}

bool zslParseLexRange(const char *min, size_t minlen, const char *max, size_t maxlen,
                      zlexrangespec *r) {
    return zslParseLexBound(min, minlen, &r->min) && zslParseLexBound(max, maxlen, &r->max);
}

/* ==== zset ================================================================ */

zset *zsetCreate(void) {
    zset *zs = zmalloc(sizeof *zs);
    zs->dict = dictCreate(DICT_ZSET);
    zslInit(&zs->zsl);
    return zs;
}

void zsetFree(zset *zs) {
    if (!zs) return;
    dictRelease(zs->dict);             /* frees every node */
    zslDestroy(&zs->zsl, false);
    zfreeSized(zs, sizeof *zs);
}

zslNode *zsetFind(zset *zs, const char *m, size_t len) {
    return (zslNode *)dictFind(zs->dict, m, len);
}

bool zsetScore(zset *zs, const char *m, size_t len, double *score) {
    zslNode *x = zsetFind(zs, m, len);
    if (x) *score = x->score;
    return x != NULL;
}

zslNode *zsetInsert(zset *zs, double score, const char *m, size_t len) {
    uint64_t h = dictHashKey(m, len);
    zslNode *x = zslInsertHashed(&zs->zsl, score, m, len, h);
    dictLink(zs->dict, h, (dictEntry *)x);
    return x;
}

int zsetAdd(zset *zs, double score, const char *m, size_t len) {
    uint64_t h = dictHashKey(m, len);
    zslNode *x = (zslNode *)dictFindHashed(zs->dict, h, m, len);
    if (x) {
        if (x->score != score) zslUpdateScore(&zs->zsl, x, score);
        return 0;
    }
    x = zslInsertHashed(&zs->zsl, score, m, len, h);
    dictLink(zs->dict, h, (dictEntry *)x);
    return 1;
}

void zsetUpdateScore(zset *zs, zslNode *x, double score) {
    if (x->score != score) zslUpdateScore(&zs->zsl, x, score);
}

void zsetDeleteNode(zset *zs, zslNode *x) {
    if (!dictUnlinkEntry(zs->dict, (dictEntry *)x)) zslPanic("zset node not in its dict");
    zslDeleteNode(&zs->zsl, x);
    zslFreeNode(x);
}

bool zsetDelete(zset *zs, const char *m, size_t len) {
    zslNode *x = (zslNode *)dictUnlink(zs->dict, m, len);
    if (!x) return false;
    zslDeleteNode(&zs->zsl, x);
    zslFreeNode(x);
    return true;
}

int64_t zsetRank(zset *zs, const char *m, size_t len, bool reverse) {
    zslNode *x = zsetFind(zs, m, len);
    if (!x) return -1;
    int64_t r = zslRank(&zs->zsl, x->score, m, len);
    if (r < 0) zslPanic("zset member missing from its skiplist");
    return reverse ? (int64_t)zs->zsl.length - 1 - r : r;
}

static void dropFromDict(void *arg, zslNode *x) {
    zset *zs = arg;
    if (!dictUnlinkEntry(zs->dict, (dictEntry *)x)) zslPanic("zset node not in its dict");
    zslFreeNode(x);
}

uint64_t zsetDeleteRangeByScore(zset *zs, const zrangespec *r) {
    return zslDeleteRangeByScore(&zs->zsl, r, dropFromDict, zs);
}

uint64_t zsetDeleteRangeByLex(zset *zs, const zlexrangespec *r) {
    return zslDeleteRangeByLex(&zs->zsl, r, dropFromDict, zs);
}

uint64_t zsetDeleteRangeByRank(zset *zs, uint64_t start, uint64_t end) {
    return zslDeleteRangeByRank(&zs->zsl, start, end, dropFromDict, zs);
}

zset *zsetDup(const zset *zs) {
    zset *n = zsetCreate();
    dictExpand(n->dict, zs->zsl.length);
    for (zslNode *x = zs->zsl.tail; x; x = x->backward) {   /* from the back: short descents */
        size_t len;
        const char *m = zslNodeMember(x, &len);
        zsetInsert(n, x->score, m, len);
    }
    return n;
}

size_t zsetMemUsage(const zset *zs, size_t samples) {
    return zmallocSize(zs) + zmallocSize(LV(zs->zsl.header, zs->zsl.hcap - 1)) +
           dictMemUsage(zs->dict, samples);
}
