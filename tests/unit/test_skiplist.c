/* test_skiplist.c — the sorted-set skiplist and zset against a sorted array
 * of (score, member) pairs: every operation, ranks, score and lex ranges,
 * range deletions, and the full structure (spans, backward pointers,
 * levels) checked level by level.
 *
 * Random tests print their seed on failure; TEST_SEED=<n> replays one.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "storage/hash.h"
#include "storage/skiplist.h"
#include "storage/zmalloc.h"

/* ---- helpers ------------------------------------------------------------- */

static uint64_t rngState;

static uint64_t rnd(void) {          /* splitmix64 */
    uint64_t z = (rngState += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t seedAll(void) {
    const char *env = getenv("TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20);
    rngState = seed;
    hashSeedInit(seed | 1);
    return seed;
}

#define SEED (unsigned long long)seed
#define NIDS 3000

/* memberOf: "m<id>", or a 300-byte member for every 101st id (both length
 * prefix forms), or for lex tests a short random-looking string. */
static size_t memberOf(int id, char *buf) {
    int n = snprintf(buf, 32, "m%d", id);
    if (id % 101 == 0) {
        memset(buf + n, 'z', 300 - (size_t)n);
        return 300;
    }
    return (size_t)n;
}

static int idOf(const char *m, size_t len) {
    int id = 0;
    for (size_t i = 1; i < len && m[i] >= '0' && m[i] <= '9'; i++) id = id * 10 + (m[i] - '0');
    return id;
}

/* The model: (score, id) pairs sorted by score, then member bytes. Its own
 * comparator, written independently of zslLexCmp. */
typedef struct pair {
    double score;
    int id;
} pair;

typedef struct model {
    pair *p;
    int n;
} model;

static int memberCmp(int a, int b) {
    char ma[400], mb[400];
    size_t la = memberOf(a, ma), lb = memberOf(b, mb);
    for (size_t i = 0; i < la && i < lb; i++)
        if (ma[i] != mb[i]) return (unsigned char)ma[i] < (unsigned char)mb[i] ? -1 : 1;
    return la == lb ? 0 : la < lb ? -1 : 1;
}

static int pairCmp(const pair *a, const pair *b) {
    if (a->score != b->score) return a->score < b->score ? -1 : 1;
    return memberCmp(a->id, b->id);
}

static int modelIndex(const model *m, int id) {
    for (int i = 0; i < m->n; i++)
        if (m->p[i].id == id) return i;
    return -1;
}

static void modelRemoveAt(model *m, int i) {
    memmove(m->p + i, m->p + i + 1, (size_t)(m->n - i - 1) * sizeof(pair));
    m->n--;
}

static void modelInsert(model *m, double score, int id) {
    pair x = { score, id };
    int i = 0;
    while (i < m->n && pairCmp(&m->p[i], &x) < 0) i++;
    memmove(m->p + i + 1, m->p + i, (size_t)(m->n - i) * sizeof(pair));
    m->p[i] = x;
    m->n++;
}

static int nodeId(const zslNode *x) {
    size_t len;
    const char *m = zslNodeMember(x, &len);
    return idOf(m, len);
}

/* checkList verifies the whole structure against the model: level-0 order,
 * backward pointers, tail, length, every level's forward chain and spans,
 * the list's level and the header capacity. */
static void checkList(const zskiplist *zsl, const model *m, uint64_t seed, int step) {
    cr_assert_eq(zsl->length, (uint64_t)m->n, "seed=%llu step %d: length", SEED, step);
    zslNode **nodes = malloc(sizeof(zslNode *) * (size_t)(m->n + 1));
    int maxh = 1, i = 0;
    zslNode *prev = NULL;
    for (zslNode *x = zslFirst(zsl); x; x = zslNext(x), i++) {
        cr_assert_lt(i, m->n, "seed=%llu step %d: list longer than model", SEED, step);
        cr_assert_eq(nodeId(x), m->p[i].id, "seed=%llu step %d: order at %d", SEED, step, i);
        cr_assert(x->score == m->p[i].score, "seed=%llu step %d: score at %d", SEED, step, i);
        cr_assert_eq(zslPrev(x), prev, "seed=%llu step %d: backward at %d", SEED, step, i);
        cr_assert(x->height >= 1 && x->height <= ZSL_MAXLEVEL && x->height <= zsl->hcap);
        if (x->height > maxh) maxh = x->height;
        nodes[i] = x;
        prev = x;
    }
    cr_assert_eq(i, m->n);
    cr_assert_eq(zsl->tail, prev, "seed=%llu step %d: tail", SEED, step);
    cr_assert_eq(zsl->level, maxh, "seed=%llu step %d: level %d, tallest node %d", SEED, step, zsl->level, maxh);
    for (int lv = 0; lv < zsl->level; lv++) {
        const zslNode *x = zsl->header;
        int pos = 0;                       /* header = 0, node k = k+1 */
        for (;;) {
            zslLevel *l = zslLevelOf(x, lv);
            if (!l->forward) {
                cr_assert_eq(l->span, (uint64_t)(m->n - pos), "seed=%llu step %d: end span level %d",
                             SEED, step, lv);
                break;
            }
            int next = pos;
            while (next < m->n && nodes[next] != l->forward) next++;
            cr_assert_lt(next, m->n, "seed=%llu step %d: forward off the list at level %d", SEED, step, lv);
            cr_assert_gt(l->forward->height, lv, "seed=%llu step %d: node linked above its height", SEED, step);
            cr_assert_eq(l->span, (uint64_t)(next + 1 - pos), "seed=%llu step %d: span level %d", SEED, step, lv);
            /* no node of sufficient height skipped */
            for (int k = pos; k < next; k++)
                cr_assert_leq(nodes[k]->height, lv, "seed=%llu step %d: skipped a tall node", SEED, step);
            x = l->forward;
            pos = next + 1;
        }
    }
    free(nodes);
}

static zrangespec randRange(void) {
    static const double pts[] = { -INFINITY, -3, -1, 0, 0.5, 1, 2, 5, 10, 20, 49, INFINITY };
    zrangespec r;
    r.min = pts[rnd() % 12];
    r.max = pts[rnd() % 12];
    if (rnd() % 4 == 0 && r.min > r.max) { double t = r.min; r.min = r.max; r.max = t; }
    r.minex = rnd() % 2;
    r.maxex = rnd() % 2;
    return r;
}

static double randScore(void) {
    switch (rnd() % 10) {
    case 0: return (double)(rnd() % 5) - 2;           /* ties around zero */
    case 1: return rnd() % 50 ? (double)(rnd() % 40) / 4 : (rnd() % 2 ? INFINITY : -INFINITY);
    case 2: return -0.0;
    default: return (double)(rnd() % 50);
    }
}

/* diesWithAbort runs fn in a child process and reports whether it died of
 * SIGABRT (a panic), without the panic's message cluttering the log. Used
 * instead of Criterion's .signal, which the TSan stand-in lacks. */
static bool diesWithAbort(void (*fn)(void)) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        fn();
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) return false;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* ---- layout and memory ---------------------------------------------------- */

Test(skiplist, a_zset_member_is_one_block_with_its_levels) {
    seedAll();
    zset *zs = zsetCreate();
    zslNode *x = zsetInsert(zs, 1.5, "abc", 3);
    size_t layout = (size_t)x->height * 16 + 26 + 3;
    cr_assert_eq(zslNodeBytes(x), zmallocUsable(layout), "node of height %d: %zu bytes", x->height,
                 zslNodeBytes(x));
    cr_assert_eq(dictEntryBytes(zs->dict, (dictEntry *)x), zslNodeBytes(x));
    if (x->height == 1 && zmallocUsable(45) != 45) cr_assert_eq(zslNodeBytes(x), 48);
    size_t len;
    cr_assert(memcmp(zslNodeMember(x, &len), "abc", 3) == 0 && len == 3);
    double s;
    cr_assert(zsetScore(zs, "abc", 3, &s) && s == 1.5);
    zsetFree(zs);
}

Test(skiplist, memory_per_member_and_level_distribution) {
    seedAll();
    zset *zs = zsetCreate();
    size_t total = 0;
    int heights[ZSL_MAXLEVEL + 1] = { 0 };
    const int n = 100000;
    for (int i = 0; i < n; i++) {
        char m[32];
        size_t ml = (size_t)snprintf(m, sizeof m, "member:%06d", i);
        zslNode *x = zsetInsert(zs, (double)i, m, ml);
        heights[x->height]++;
    }
    for (zslNode *x = zslFirst(&zs->zsl); x; x = zslNext(x)) total += zslNodeBytes(x);
    while (dictRehash(zs->dict, 100)) {}
    cr_log_info("zset member (13 bytes): %.1f bytes/member + %.1f bytes/member of buckets",
                (double)total / n, 8.0 * (double)dictBuckets(zs->dict) / n);
    /* p = 1/4: about 3/4 at height 1, 3/16 at 2, ... */
    cr_assert(heights[1] > n * 0.73 && heights[1] < n * 0.77, "height 1: %d of %d", heights[1], n);
    cr_assert(heights[2] > n * 0.17 && heights[2] < n * 0.205, "height 2: %d of %d", heights[2], n);
    cr_assert_lt(zs->zsl.level, 16);
    size_t usage = zsetMemUsage(zs, 0);
    cr_assert_geq(usage, total);
    zsetFree(zs);
}

/* ---- oracle fuzzing ---------------------------------------------------------- */

Test(skiplist, zset_operations_agree_with_a_sorted_array) {
    uint64_t seed = seedAll();
    zset *zs = zsetCreate();
    model m = { malloc(sizeof(pair) * NIDS), 0 };
    char buf[400];
    for (int step = 0; step < 150000; step++) {
        int id = (int)(rnd() % (step < 60000 ? 1500 : NIDS));
        size_t ml = memberOf(id, buf);
        int at = modelIndex(&m, id);
        int op = (int)(rnd() % 100);
        if (op < 40) {                                      /* ZADD */
            double s = randScore();
            zslNode *before = zsetFind(zs, buf, ml);
            int r = zsetAdd(zs, s, buf, ml);
            cr_assert_eq(r, at < 0, "seed=%llu step %d: zadd m%d", SEED, step, id);
            if (at >= 0) {
                cr_assert_eq(zsetFind(zs, buf, ml), before, "seed=%llu step %d: the node moved", SEED, step);
                modelRemoveAt(&m, at);
            }
            modelInsert(&m, s, id);
        } else if (op < 55) {                               /* ZREM */
            cr_assert_eq(zsetDelete(zs, buf, ml), at >= 0, "seed=%llu step %d: zrem", SEED, step);
            if (at >= 0) modelRemoveAt(&m, at);
        } else if (op < 70) {                               /* ZSCORE, ZRANK, ZREVRANK */
            double s;
            cr_assert_eq(zsetScore(zs, buf, ml, &s), at >= 0, "seed=%llu step %d: zscore presence", SEED, step);
            if (at >= 0) cr_assert(s == m.p[at].score, "seed=%llu step %d: zscore", SEED, step);
            cr_assert_eq(zsetRank(zs, buf, ml, false), at, "seed=%llu step %d: zrank m%d", SEED, step, id);
            cr_assert_eq(zsetRank(zs, buf, ml, true), at < 0 ? -1 : m.n - 1 - at,
                         "seed=%llu step %d: zrevrank", SEED, step);
        } else if (op < 80) {                               /* by rank */
            uint64_t r = rnd() % (uint64_t)(m.n + 2);
            zslNode *x = zslByRank(&zs->zsl, r);
            if (r < (uint64_t)m.n) {
                cr_assert_not_null(x, "seed=%llu step %d: rank %llu", SEED, step, (unsigned long long)r);
                cr_assert_eq(nodeId(x), m.p[r].id, "seed=%llu step %d: element at rank %llu", SEED, step,
                             (unsigned long long)r);
            } else {
                cr_assert_null(x);
            }
        } else if (op < 92) {                               /* first/last in score range */
            zrangespec r = randRange();
            int first = -1, last = -1;
            for (int i = 0; i < m.n; i++)
                if (zslValueGteMin(m.p[i].score, &r) && zslValueLteMax(m.p[i].score, &r)) {
                    if (first < 0) first = i;
                    last = i;
                }
            zslNode *f = zslFirstInRange(&zs->zsl, &r), *l = zslLastInRange(&zs->zsl, &r);
            cr_assert_eq(f ? nodeId(f) : -1, first < 0 ? -1 : m.p[first].id,
                         "seed=%llu step %d: first in %s%g,%g%s", SEED, step, r.minex ? "(" : "[", r.min,
                         r.max, r.maxex ? ")" : "]");
            cr_assert_eq(l ? nodeId(l) : -1, last < 0 ? -1 : m.p[last].id,
                         "seed=%llu step %d: last in range", SEED, step);
            if (first >= 0)                                 /* a quick test: no false negatives */
                cr_assert(zslIsInRange(&zs->zsl, &r), "seed=%llu step %d: in range", SEED, step);
        } else if (op < 94) {                               /* ZREMRANGEBYSCORE */
            zrangespec r = randRange();
            int want = 0;
            for (int i = 0; i < m.n;)
                if (zslValueGteMin(m.p[i].score, &r) && zslValueLteMax(m.p[i].score, &r)) {
                    modelRemoveAt(&m, i);
                    want++;
                } else {
                    i++;
                }
            cr_assert_eq(zsetDeleteRangeByScore(zs, &r), (uint64_t)want, "seed=%llu step %d: zremrangebyscore",
                         SEED, step);
        } else if (op < 96) {                               /* ZREMRANGEBYRANK */
            uint64_t a = rnd() % (uint64_t)(m.n + 3), b = a + rnd() % 20;
            if (rnd() % 8 == 0) b = a - 1;                  /* empty */
            int want = 0;
            for (uint64_t i = a; i <= b && i < (uint64_t)m.n; i++) want++;
            if (want) {
                memmove(m.p + a, m.p + a + want, (size_t)(m.n - (int)a - want) * sizeof(pair));
                m.n -= want;
            }
            cr_assert_eq(zsetDeleteRangeByRank(zs, a, b), (uint64_t)want, "seed=%llu step %d: zremrangebyrank",
                         SEED, step);
        } else {                                            /* update an existing node */
            if (m.n == 0) continue;
            int k = (int)(rnd() % (uint64_t)m.n);
            size_t kl = memberOf(m.p[k].id, buf);
            zslNode *x = zsetFind(zs, buf, kl);
            double s = rnd() % 2 ? m.p[k].score + (rnd() % 2 ? 0.25 : -0.25) : randScore();
            zsetUpdateScore(zs, x, s);
            cr_assert_eq(zsetFind(zs, buf, kl), x);
            cr_assert(x->score == s);
            int kid = m.p[k].id;
            modelRemoveAt(&m, k);
            modelInsert(&m, s, kid);
        }
        cr_assert_eq(zsetLen(zs), (uint64_t)m.n, "seed=%llu step %d: length", SEED, step);
        cr_assert_eq(dictSize(zs->dict), (size_t)m.n, "seed=%llu step %d: dict size", SEED, step);
        if (step % 2500 == 0) checkList(&zs->zsl, &m, seed, step);
    }
    checkList(&zs->zsl, &m, seed, -1);
    /* backward iteration mirrors the model too */
    int i = m.n - 1;
    for (zslNode *x = zslLast(&zs->zsl); x; x = zslPrev(x), i--) cr_assert_eq(nodeId(x), m.p[i].id);
    cr_assert_eq(i, -1);
    zset *copy = zsetDup(zs);
    checkList(&copy->zsl, &m, seed, -2);
    for (int k = 0; k < m.n; k++) {
        size_t kl = memberOf(m.p[k].id, buf);
        double s;
        cr_assert(zsetScore(copy, buf, kl, &s) && s == m.p[k].score);
    }
    zsetFree(copy);
    zsetFree(zs);
    free(m.p);
}

/* Lex ranges: all scores equal, members over a 3-letter alphabet so bounds
 * land on, between and outside members. lexMember is a bijection from
 * 0..LEXN-1 to the strings of length 1..4. */
#define LEXN 120

static size_t lexMember(int id, char *buf) {
    size_t len = 1;
    int first = 0, count = 3;
    while (id >= first + count) { first += count; count *= 3; len++; }
    int x = id - first;
    for (size_t i = len; i-- > 0; x /= 3) buf[i] = "abc"[x % 3];
    return len;
}

static void randLexBound(char *buf, size_t *len) {
    switch (rnd() % 8) {
    case 0: buf[0] = '-'; *len = 1; return;
    case 1: buf[0] = '+'; *len = 1; return;
    default:
        buf[0] = rnd() % 2 ? '[' : '(';
        *len = 1 + lexMember((int)(rnd() % LEXN), buf + 1);
        if (rnd() % 10 == 0) *len = 1;       /* "[" alone: the empty string */
    }
}

Test(skiplist, lex_ranges_agree_with_a_sorted_array) {
    uint64_t seed = seedAll();
    zset *zs = zsetCreate();
    bool present[LEXN] = { false };
    char buf[16];
    for (int step = 0; step < 100000; step++) {
        int id = (int)(rnd() % LEXN);
        size_t ml = lexMember(id, buf);
        int op = (int)(rnd() % 10);
        if (op < 4) {
            cr_assert_eq(zsetAdd(zs, 0, buf, ml), !present[id]);
            present[id] = true;
        } else if (op < 6) {
            cr_assert_eq(zsetDelete(zs, buf, ml), present[id]);
            present[id] = false;
        } else {
            char a[16], b[16];
            size_t al, bl;
            randLexBound(a, &al);
            randLexBound(b, &bl);
            zlexrangespec r;
            cr_assert(zslParseLexRange(a, al, b, bl, &r));
            /* the model: every present member passing both bounds, sorted */
            char best[16], worst[16];
            size_t bestl = 0, worstl = 0;
            int found = 0;
            for (int k = 0; k < LEXN; k++) {
                if (!present[k]) continue;
                char mk[16];
                size_t kl = lexMember(k, mk);
                if (!zslLexGteMin(mk, kl, &r) || !zslLexLteMax(mk, kl, &r)) continue;
                if (!found || zslLexCmp(mk, kl, best, bestl) < 0) { memcpy(best, mk, kl); bestl = kl; }
                if (!found || zslLexCmp(mk, kl, worst, worstl) > 0) { memcpy(worst, mk, kl); worstl = kl; }
                found++;
            }
            if (op < 9) {
                zslNode *f = zslFirstInLexRange(&zs->zsl, &r), *l = zslLastInLexRange(&zs->zsl, &r);
                cr_assert_eq(f != NULL, found > 0, "seed=%llu step %d: first in lex %.*s %.*s", SEED, step,
                             (int)al, a, (int)bl, b);
                cr_assert_eq(l != NULL, found > 0, "seed=%llu step %d: last in lex", SEED, step);
                if (found) {
                    size_t fl, ll;
                    const char *fm = zslNodeMember(f, &fl), *lm = zslNodeMember(l, &ll);
                    cr_assert(fl == bestl && memcmp(fm, best, fl) == 0, "seed=%llu step %d: first member",
                              SEED, step);
                    cr_assert(ll == worstl && memcmp(lm, worst, ll) == 0, "seed=%llu step %d: last member",
                              SEED, step);
                }
            } else {
                cr_assert_eq(zsetDeleteRangeByLex(zs, &r), (uint64_t)found, "seed=%llu step %d: zremrangebylex",
                             SEED, step);
                for (int k = 0; k < LEXN; k++) {
                    char mk[16];
                    size_t kl = lexMember(k, mk);
                    if (present[k] && zslLexGteMin(mk, kl, &r) && zslLexLteMax(mk, kl, &r)) present[k] = false;
                }
            }
        }
        int count = 0;
        for (int k = 0; k < LEXN; k++) count += present[k];
        cr_assert_eq(zsetLen(zs), (uint64_t)count, "seed=%llu step %d", SEED, step);
    }
    zsetFree(zs);
}

/* ---- focused cases ----------------------------------------------------------- */

Test(skiplist, ties_order_by_member_bytes_then_length) {
    seedAll();
    zskiplist *zsl = zslCreate();
    const char *ms[] = { "b", "a", "ab", "", "a\xff", "a\x01", "B" };
    for (int i = 0; i < 7; i++) zslInsert(zsl, 1, ms[i], strlen(ms[i]));
    zslInsert(zsl, 0.5, "zzz", 3);
    zslInsert(zsl, 2, "", 0);        /* same member, other score: a bare list allows it */
    const char *want[] = { "zzz", "", "B", "a", "a\x01", "ab", "a\xff", "b", "" };
    int i = 0;
    for (zslNode *x = zslFirst(zsl); x; x = zslNext(x), i++) {
        size_t len;
        const char *m = zslNodeMember(x, &len);
        cr_assert(len == strlen(want[i]) && memcmp(m, want[i], len) == 0, "position %d", i);
    }
    cr_assert_eq(zslRank(zsl, 1, "ab", 2), 5);
    cr_assert_eq(zslRank(zsl, 1, "abc", 3), -1);
    cr_assert_eq(zslRank(zsl, 2, "", 0), 8);
    zslNode *x = zslDelete(zsl, 1, "a", 1);
    cr_assert_not_null(x);
    zslFreeNode(x);
    cr_assert_null(zslDelete(zsl, 1, "a", 1));
    cr_assert_eq(zslRank(zsl, 1, "ab", 2), 4);
    zslFree(zsl);
}

Test(skiplist, score_updates_stay_in_place_between_neighbours) {
    seedAll();
    zset *zs = zsetCreate();
    zsetAdd(zs, 1, "a", 1);
    zslNode *b = zsetInsert(zs, 2, "b", 1);
    zsetAdd(zs, 3, "c", 1);
    zslNode *back = b->backward, *fwd = zslNext(b);
    zsetUpdateScore(zs, b, 2.5);                 /* stays between a and c: O(1) */
    cr_assert_eq(b->backward, back);
    cr_assert_eq(zslNext(b), fwd);
    cr_assert_eq(zsetRank(zs, "b", 1, false), 1);
    zsetUpdateScore(zs, b, 3);                   /* ties c: "b" < "c", still in place */
    cr_assert_eq(zsetRank(zs, "b", 1, false), 1);
    zsetUpdateScore(zs, b, 10);                  /* moves to the end, same node */
    cr_assert_eq(zslLast(&zs->zsl), b);
    cr_assert_eq(zsetRank(zs, "b", 1, false), 2);
    cr_assert_eq(zsetFind(zs, "b", 1), b);
    cr_assert_eq(zsetAdd(zs, -INFINITY, "b", 1), 0);
    cr_assert_eq(zslFirst(&zs->zsl), b);
    cr_assert_eq(zsetRank(zs, "b", 1, true), 2);
    zsetFree(zs);
}

Test(skiplist, score_ranges_honour_exclusive_bounds_and_infinities) {
    seedAll();
    zset *zs = zsetCreate();
    zsetAdd(zs, -INFINITY, "ninf", 4);
    zsetAdd(zs, 1, "one", 3);
    zsetAdd(zs, 2, "two", 3);
    zsetAdd(zs, INFINITY, "pinf", 4);
    zrangespec r;
    cr_assert(zslParseScoreRange("(1", 2, "+inf", 4, &r));
    size_t len;
    cr_assert(memcmp(zslNodeMember(zslFirstInRange(&zs->zsl, &r), &len), "two", 3) == 0);
    cr_assert(memcmp(zslNodeMember(zslLastInRange(&zs->zsl, &r), &len), "pinf", 4) == 0);
    cr_assert(zslParseScoreRange("-inf", 4, "(+inf", 5, &r));
    cr_assert(memcmp(zslNodeMember(zslFirstInRange(&zs->zsl, &r), &len), "ninf", 4) == 0);
    cr_assert(memcmp(zslNodeMember(zslLastInRange(&zs->zsl, &r), &len), "two", 3) == 0);
    cr_assert(zslParseScoreRange("(-inf", 5, "(+inf", 5, &r));
    cr_assert(memcmp(zslNodeMember(zslFirstInRange(&zs->zsl, &r), &len), "one", 3) == 0);
    cr_assert(zslParseScoreRange("(2", 2, "2", 1, &r));
    cr_assert_null(zslFirstInRange(&zs->zsl, &r), "(2 2 is empty");
    cr_assert(zslParseScoreRange("3", 1, "1", 1, &r));
    cr_assert_null(zslLastInRange(&zs->zsl, &r), "min > max is empty");
    cr_assert(zslParseScoreRange("1.5", 3, "1.7", 3, &r));
    cr_assert_null(zslFirstInRange(&zs->zsl, &r), "a gap between members");
    cr_assert_null(zslLastInRange(&zs->zsl, &r));
    zsetFree(zs);
}

Test(skiplist, range_arguments_parse_like_redis) {
    /* cases checked against redis-server 7.0.15 ZRANGEBYSCORE / ZRANGEBYLEX */
    double v;
    bool ex;
    cr_assert(zslParseScoreBound("", 0, &v, &ex) && v == 0 && !ex, "\"\" is 0");
    cr_assert(zslParseScoreBound("(", 1, &v, &ex) && v == 0 && ex, "\"(\" is (0");
    cr_assert(zslParseScoreBound(" 1", 2, &v, &ex) && v == 1, "leading space is accepted");
    cr_assert(!zslParseScoreBound("1 ", 2, &v, &ex), "trailing space is not");
    cr_assert(!zslParseScoreBound("nan", 3, &v, &ex));
    cr_assert(!zslParseScoreBound("-", 1, &v, &ex));
    cr_assert(zslParseScoreBound("inf", 3, &v, &ex) && isinf(v) && v > 0);
    cr_assert(zslParseScoreBound("(-inf", 5, &v, &ex) && isinf(v) && v < 0 && ex);
    cr_assert(zslParseScoreBound("infinity", 8, &v, &ex) && isinf(v));
    cr_assert(zslParseScoreBound("0x10", 4, &v, &ex) && v == 16);
    cr_assert(zslParseScoreBound("1e1", 3, &v, &ex) && v == 10);
    cr_assert(zslParseScoreBound("1\0junk", 6, &v, &ex) && v == 1, "a NUL ends the number, as in Redis");
    char big[300];
    memset(big, '0', sizeof big);
    big[299] = '7';
    cr_assert(zslParseScoreBound(big, sizeof big, &v, &ex) && v == 7, "long arguments");

    zlexbound b;
    cr_assert(zslParseLexBound("-", 1, &b) && b.inf < 0);
    cr_assert(zslParseLexBound("+", 1, &b) && b.inf > 0);
    cr_assert(zslParseLexBound("[", 1, &b) && b.len == 0 && !b.ex);
    cr_assert(zslParseLexBound("(ab", 3, &b) && b.len == 2 && b.ex && memcmp(b.s, "ab", 2) == 0);
    cr_assert(!zslParseLexBound("a", 1, &b));
    cr_assert(!zslParseLexBound("", 0, &b));
    cr_assert(!zslParseLexBound("+a", 2, &b));
    zset *zs = zsetCreate();
    zsetAdd(zs, 0, "a", 1);
    zsetAdd(zs, 0, "b", 1);
    zlexrangespec r;
    zslParseLexRange("+", 1, "+", 1, &r);
    cr_assert_null(zslFirstInLexRange(&zs->zsl, &r), "+ + is empty");
    zslParseLexRange("-", 1, "-", 1, &r);
    cr_assert_null(zslFirstInLexRange(&zs->zsl, &r), "- - is empty");
    zslParseLexRange("-", 1, "+", 1, &r);
    cr_assert_eq(zsetDeleteRangeByLex(zs, &r), 2);
    cr_assert_eq(zsetLen(zs), 0);
    cr_assert_eq(dictSize(zs->dict), 0);
    zsetFree(zs);
}

static void addNan(void) {
    zset *zs = zsetCreate();
    zsetAdd(zs, NAN, "x", 1);
}

Test(skiplist, a_nan_score_is_a_caller_bug) {
    cr_assert(diesWithAbort(addNan));
}

Test(skiplist, the_header_grows_only_to_the_tallest_node) {
    seedAll();
    zset *zs = zsetCreate();
    cr_assert_eq(zs->zsl.hcap, 1);
    char m[32];
    for (int i = 0; i < 1000; i++) zsetAdd(zs, i, m, (size_t)snprintf(m, sizeof m, "x%d", i));
    int maxh = 0;
    for (zslNode *x = zslFirst(&zs->zsl); x; x = zslNext(x)) if (x->height > maxh) maxh = x->height;
    cr_assert_eq(zs->zsl.hcap, maxh);
    cr_assert_eq(zs->zsl.level, maxh);
    for (int i = 0; i < 1000; i++) zsetDelete(zs, m, (size_t)snprintf(m, sizeof m, "x%d", i));
    cr_assert_eq(zs->zsl.level, 1);
    cr_assert_null(zslFirst(&zs->zsl));
    cr_assert_null(zslLast(&zs->zsl));
    zsetFree(zs);
}
