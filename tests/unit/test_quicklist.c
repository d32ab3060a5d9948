/* test_quicklist.c — the LZF codec, node limits, real Redis quicklist nodes
 * (a DUMP payload with LZF-compressed listpacks), and an oracle fuzz of
 * every quicklist operation against an array of strings over a grid of
 * fill / compress-depth settings, checking the structural and compression
 * invariants after every step.
 *
 * Random tests print their seed on failure; ROOST_SEED=<n> replays one.
 * Debugging aids for the fuzz: QLTRACE=<step> prints the node layout
 * (count/bytes, z = LZF, i = incompressible) before and after each step
 * from that one on; QLSTATS=1 prints list sizes every 1000 steps. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/listpack.h"
#include "storage/lzf.h"
#include "storage/quicklist.h"
#include "storage/zmalloc.h"
#include "test_rng.h"

/* CHECK: a failure-only assertion (cheap enough for millions of calls). */
#define CHECK(cond, fmt, ...) do {                                             \
        if (!(cond))                                                          \
            cr_assert_fail("seed %" PRIu64 ": " #cond ": " fmt, seed, ##__VA_ARGS__); \
    } while (0)

static uint64_t rndN(uint64_t n) { return n ? rnd() % n : 0; }

static size_t hexDecode(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

/* ---- LZF ------------------------------------------------------------------------------ */

/* fillSample writes n bytes of one of several kinds of data into buf. */
static void fillSample(unsigned char *buf, size_t n, int kind) {
    for (size_t i = 0; i < n; i++) {
        switch (kind) {
        case 0: buf[i] = (unsigned char)rnd(); break;                    /* incompressible */
        case 1: buf[i] = 'a'; break;                                    /* one long run */
        case 2: buf[i] = (unsigned char)("listpack entry "[i % 15]); break;
        case 3: buf[i] = (unsigned char)(rndN(8) ? buf[i ? i - 1 : 0] : rnd()); break;
        default: buf[i] = (unsigned char)(i % 251 ^ (i >> 13)); break;  /* far repeats */
        }
    }
}

Test(lzf, round_trips_every_kind_of_data_and_size) {
    rngInit();
    static const size_t sizes[] = {1, 2, 3, 4, 5, 31, 32, 33, 100, 264, 265, 4096, 8191, 8192,
                                   8193, 8194, 20000, 70000, 200000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int kind = 0; kind < 5; kind++) {
            size_t n = sizes[s], cap = n + n / 16 + 64;
            unsigned char *in = malloc(n), *c = malloc(cap), *out = malloc(n);
            fillSample(in, n, kind);
            size_t clen = lzfCompress(in, n, c, cap);
            CHECK(clen > 0, "size %zu kind %d", n, kind);
            if (kind == 1 || kind == 2) CHECK(n < 1000 || clen < n / 10, "size %zu kind %d: %zu", n, kind, clen);
            CHECK(lzfDecompress(c, clen, out, n) == n, "size %zu kind %d", n, kind);
            CHECK(memcmp(in, out, n) == 0, "size %zu kind %d", n, kind);
            CHECK(n < 2 || lzfDecompress(c, clen, out, n - 1) == 0, "short output must fail");
            if (clen > 1) CHECK(lzfCompress(in, n, c, clen - 1) == 0, "a cap below the result fails");
            free(in); free(c); free(out);
        }
    }
    unsigned char b[4];
    cr_assert_eq(lzfCompress("", 0, b, 4), 0);
    cr_assert_eq(lzfDecompress(b, 0, b, 4), 0);
}

Test(lzf, known_streams_decode_as_the_format_says) {
    /* literal "abc", then a short back reference: L=1 (3 bytes), distance 3 */
    static const unsigned char s1[] = {0x02, 'a', 'b', 'c', 0x20, 0x02};
    unsigned char out[300];
    cr_assert_eq(lzfDecompress(s1, sizeof s1, out, sizeof out), 6);
    cr_assert(memcmp(out, "abcabc", 6) == 0);
    /* "x" then a long reference of distance 1: L = 7 + 255 -> 264 bytes, overlapping */
    static const unsigned char s2[] = {0x00, 'x', 0xE0, 0xFF, 0x00};
    cr_assert_eq(lzfDecompress(s2, sizeof s2, out, sizeof out), 265);
    for (int i = 0; i < 265; i++) cr_assert_eq(out[i], 'x');
    /* reference before the start of the output; truncated chunks */
    static const unsigned char bad1[] = {0x00, 'x', 0x20, 0x01};
    static const unsigned char bad2[] = {0x05, 'x'};
    static const unsigned char bad3[] = {0x00, 'x', 0xE0};
    static const unsigned char bad4[] = {0x00, 'x', 0x20};
    cr_assert_eq(lzfDecompress(bad1, sizeof bad1, out, sizeof out), 0);
    cr_assert_eq(lzfDecompress(bad2, sizeof bad2, out, sizeof out), 0);
    cr_assert_eq(lzfDecompress(bad3, sizeof bad3, out, sizeof out), 0);
    cr_assert_eq(lzfDecompress(bad4, sizeof bad4, out, sizeof out), 0);
}

Test(lzf, garbage_input_never_reads_or_writes_out_of_bounds, .timeout = 300) {
    rngInit();
    for (int round = 0; round < 100000; round++) {
        size_t n = 1 + rndN(64), cap = rndN(300);
        unsigned char *in = malloc(n), *out = malloc(cap ? cap : 1);
        for (size_t i = 0; i < n; i++) in[i] = (unsigned char)rnd();
        size_t got = lzfDecompress(in, n, out, cap);
        CHECK(got <= cap, "round %d", round);
        free(in);
        free(out);
    }
}

/* ---- node limits ------------------------------------------------------------------------ */

Test(quicklist, fill_values_map_to_redis_limits) {
    size_t sz;
    unsigned count;
    static const size_t kb[] = {4096, 8192, 16384, 32768, 65536, 65536};
    for (int f = -1; f >= -6; f--) {
        quicklistNodeLimit(f, &sz, &count);
        cr_assert_eq(sz, kb[-f - 1], "fill %d", f);
        cr_assert_eq(count, UINT_MAX);
    }
    quicklistNodeLimit(0, &sz, &count);
    cr_assert(sz == SIZE_MAX && count == 1);
    quicklistNodeLimit(128, &sz, &count);
    cr_assert(sz == SIZE_MAX && count == 128);
    cr_assert_not(quicklistNodeExceedsLimit(-2, 8192, 100000));
    cr_assert(quicklistNodeExceedsLimit(-2, 8193, 1));
    cr_assert_not(quicklistNodeExceedsLimit(128, 8192, 128));
    cr_assert(quicklistNodeExceedsLimit(128, 100, 129));
    cr_assert(quicklistNodeExceedsLimit(128, 8193, 2), "count fills keep the 8 KiB safety limit");
    quicklist *ql = quicklistCreate(-100, -3);
    cr_assert(ql->fill == -5 && ql->compress == 0);
    quicklistRelease(ql);
    ql = quicklistCreate(1 << 20, 1 << 20);
    cr_assert(ql->fill == QL_FILL_MAX && ql->compress == QL_COMPRESS_MAX);
    quicklistRelease(ql);
}

/* ---- real Redis nodes ------------------------------------------------------------------- */

/* RPUSH q value-xxxxxxxxxx-000 .. -099, then 1 -100 70000, on Redis 7.0.15
 * with list-max-listpack-size 16 and list-compress-depth 1; DUMP q. Type 18
 * (quicklist 2): node count, then per node its container (2 = packed) and
 * its listpack as an RDB string; inner nodes are LZF blobs Redis saved
 * straight from memory. */
static const char redisQuicklistDump[] =
    "120702c3406641670d6701000010009476616c75652d78e00000042d30303015e00b150031e00c150032e00c150033e0"
    "0c150034e00c150035e00c150036e00c150037e00c150038e00c150039e00b150031e00cdb0031e00cdb0031e00cdb00"
    "31e00cdb0031e00cdb03313515ff02c3406541670d6701000010009476616c75652d78e00000042d30313615e00b1500"
    "37e00c150038e00c150039e00b15013230e00c150031e00c150032e00c150033e00c150034e00c150035e00c15e00cdb"
    "0032e00cdb0032e00cdb0032e00cdb0033e00cdb03333115ff02c3406541670d6701000010009476616c75652d78e000"
    "00042d30333215e00b150033e00c150034e00c150035e00c150036e00c150037e00c150038e00c150039e00b15013430"
    "e00c150031e00c15e00cdb0034e00cdb0034e00cdb0034e00cdb0034e00cdb03343715ff02c3406541670d6701000010"
    "009476616c75652d78e00000042d30343815e00b150039e00b15013530e00c150031e00c150032e00c150033e00c1500"
    "34e00c150035e00c150036e00c150037e00c15e00cdb0035e00cdb0036e00cdb0036e00cdb0036e00cdb03363315ff02"
    "c3406541670d6701000010009476616c75652d78e00000042d30363415e00b150035e00c150036e00c150037e00c1500"
    "38e00c150039e00b15013730e00c150031e00c150032e00c150033e00c15e00cdb0037e00cdb0037e00cdb0037e00cdb"
    "0037e00cdb03373915ff02c3406641670d6701000010009476616c75652d78e00000042d30383015e00b150031e00c15"
    "0032e00c150033e00c150034e00c150035e00c150036e00c150037e00c150038e00c150039e00b150039e00cdb0039e0"
    "0cdb0039e00cdb0039e00cdb0039e00cdb03393515ff02c33340690d6900000007009476616c75652d78e00000042d30"
    "393615e00b150037e00c150038e00c150c39150101df9c02f270110104ff0a005e470510aec3b86b";

static uint64_t rdbLen(const unsigned char *b, size_t *pos, int *special) {
    unsigned c = b[(*pos)++];
    *special = -1;
    switch (c >> 6) {
    case 0: return c & 0x3F;
    case 1: return (uint64_t)(c & 0x3F) << 8 | b[(*pos)++];
    case 2: {
        unsigned n = c == 0x80 ? 4 : 8;
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++) v = v << 8 | b[(*pos)++];
        return v;
    }
    default: *special = c & 0x3F; return 0;
    }
}

/* rdbListpack reads one RDB string holding a listpack into a zmalloc'd
 * block (so it can be handed to the quicklist); *wasLzf tells how it came. */
static unsigned char *rdbListpack(const unsigned char *b, size_t *pos, bool *wasLzf) {
    int special, s2;
    uint64_t n = rdbLen(b, pos, &special);
    unsigned char *lp;
    size_t len;
    *wasLzf = special == 3;
    if (special == 3) {
        size_t clen = rdbLen(b, pos, &s2);
        len = rdbLen(b, pos, &s2);
        lp = zmalloc(len);
        cr_assert_eq(lzfDecompress(b + *pos, clen, lp, len), len);
        *pos += clen;
    } else {
        cr_assert_eq(special, -1);
        len = n;
        lp = zmemdup(b + *pos, len);
        *pos += len;
    }
    cr_assert(lpValidate(lp, len, true, NULL, NULL), "Redis's node is a valid listpack");
    return lp;
}

static void expectedRedisElement(int i, char *buf, size_t *len) {
    static const char *tail[] = {"1", "-100", "70000"};
    if (i < 100) *len = (size_t)snprintf(buf, 64, "value-xxxxxxxxxx-%03d", i);
    else *len = strlen(strcpy(buf, tail[i - 100]));
}

Test(quicklist, nodes_from_a_redis_dump_load_and_iterate_in_order) {
    size_t n = strlen(redisQuicklistDump) / 2, pos = 0;
    unsigned char *dump = malloc(n);
    hexDecode(redisQuicklistDump, dump);
    cr_assert_eq(dump[pos++], 18, "RDB_TYPE_LIST_QUICKLIST_2");
    int sp, lzfNodes = 0;
    uint64_t nodes = rdbLen(dump, &pos, &sp);
    cr_assert_eq(nodes, 7);
    quicklist *ql = quicklistCreate(16, 1);
    for (uint64_t i = 0; i < nodes; i++) {
        cr_assert_eq(rdbLen(dump, &pos, &sp), 2, "packed container");
        bool wasLzf;
        quicklistAppendListpack(ql, rdbListpack(dump, &pos, &wasLzf));
        lzfNodes += wasLzf;
    }
    cr_assert_eq(dump[pos], 10, "RDB version follows");
    cr_assert(lzfNodes >= 5, "the inner nodes came compressed (%d)", lzfNodes);
    cr_assert_eq(quicklistCount(ql), 103);
    cr_assert_eq(ql->len, 7);
    int compressed = 0;
    for (quicklistNode *nd = ql->head; nd; nd = nd->next) compressed += nd->encoding == QL_NODE_LZF;
    cr_assert_eq(compressed, 5, "depth 1: all but the two end nodes compress");
    for (int dir = QL_HEAD; dir <= QL_TAIL; dir++) {
        quicklistIter it;
        quicklistEntry e;
        int i = dir == QL_HEAD ? 0 : 102;
        quicklistIterInit(&it, ql, dir);
        while (quicklistNext(&it, &e)) {
            char want[64], buf[LP_INTBUF_SIZE];
            size_t wlen, len;
            expectedRedisElement(i, want, &wlen);
            const unsigned char *s = lpValueStr(&e.v, &len, (unsigned char *)buf);
            cr_assert(len == wlen && memcmp(s, want, len) == 0, "element %d", i);
            i += dir == QL_HEAD ? 1 : -1;
        }
        quicklistIterDone(&it);
        cr_assert_eq(i, dir == QL_HEAD ? 103 : -1);
    }
    /* a node saved back the way RDB would: LZF bytes plus the raw size */
    const unsigned char *z;
    size_t clen = quicklistNodeLzf(ql->head->next, &z);
    cr_assert(clen > 0 && clen + 8 < ql->head->next->sz);
    unsigned char *back = malloc(ql->head->next->sz);
    cr_assert_eq(lzfDecompress(z, clen, back, ql->head->next->sz), ql->head->next->sz);
    cr_assert(lpValidate(back, ql->head->next->sz, true, NULL, NULL));
    cr_assert_null(quicklistNodeListpack(ql->head->next));
    cr_assert_not_null(quicklistNodeListpack(ql->head));
    free(back);
    quicklistRelease(ql);
    free(dump);
}

/* ---- basics ------------------------------------------------------------------------------- */

static void popExpect(quicklist *ql, int where, const char *want) {
    unsigned char *data;
    size_t len;
    int64_t lval;
    cr_assert(quicklistPop(ql, where, &data, &len, &lval));
    char buf[32];
    if (!data) {
        len = (size_t)snprintf(buf, sizeof buf, "%" PRId64, lval);
        cr_assert(len == strlen(want) && memcmp(buf, want, len) == 0, "popped %s, want %s", buf, want);
    } else {
        cr_assert(len == strlen(want) && memcmp(data, want, len) == 0);
        zfree(data);
    }
}

Test(quicklist, push_pop_at_both_ends_across_nodes) {
    quicklist *ql = quicklistCreate(2, 0);
    quicklistPushTail(ql, "b", 1);
    quicklistPushTail(ql, "100", 3);
    quicklistPushHead(ql, "a", 1);
    quicklistPushTail(ql, "c", 1);
    cr_assert_eq(quicklistCount(ql), 4);
    cr_assert_eq(ql->len, 3, "fill 2: [a] [b 100] [c]");
    popExpect(ql, QL_HEAD, "a");
    popExpect(ql, QL_TAIL, "c");
    popExpect(ql, QL_TAIL, "100");
    popExpect(ql, QL_HEAD, "b");
    unsigned char *d;
    size_t l;
    int64_t v;
    cr_assert_not(quicklistPop(ql, QL_HEAD, &d, &l, &v));
    cr_assert(ql->len == 0 && !ql->head && !ql->tail);
    unsigned char *lp = quicklistToListpack(ql);
    cr_assert_eq(lpBytes(lp), 7);
    lpFree(lp);
}

Test(quicklist, one_large_element_gets_a_node_of_its_own) {
    quicklist *ql = quicklistCreate(-1, 0);
    char *big = malloc(10000);
    memset(big, 'z', 10000);
    quicklistPushTail(ql, "x", 1);
    quicklistPushTail(ql, big, 10000);
    quicklistPushTail(ql, "y", 1);
    cr_assert_eq(ql->len, 3);
    cr_assert_eq(ql->head->next->count, 1);
    cr_assert(ql->head->next->sz > 4096);
    cr_assert(quicklistReplaceAtIndex(ql, 0, big, 10000), "replacing a single-entry node always fits");
    cr_assert_eq(ql->len, 3);
    cr_assert_not(quicklistReplaceAtIndex(ql, 3, "q", 1));
    quicklistRelease(ql);
    free(big);
}

Test(quicklist, listpack_conversion_both_ways) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < 10; i++) lp = lpAppendInt(lp, i);
    quicklist *ql = quicklistCreate(-2, 0);
    quicklistAppendListpack(ql, lp);
    quicklistPushTail(ql, "10", 2);
    cr_assert_eq(ql->len, 1);
    cr_assert_eq(quicklistCount(ql), 11);
    lp = quicklistToListpack(ql);
    cr_assert_eq(lpLength(lp), 11);
    lpFree(lp);
    ql = quicklistCreate(1, 0);
    quicklistPushTail(ql, "a", 1);
    quicklistPushTail(ql, "b", 1);
    cr_assert_null(quicklistToListpack(ql), "two nodes stay a quicklist");
    quicklistRelease(ql);
}

Test(quicklist, insert_ends_the_iterator_walk) {
    quicklist *ql = quicklistCreate(4, 0);
    for (int i = 0; i < 3; i++) quicklistPushTail(ql, "v", 1);
    quicklistIter it;
    quicklistEntry e;
    cr_assert(quicklistIterInitAt(&it, ql, QL_HEAD, -2));
    cr_assert(quicklistNext(&it, &e));
    cr_assert_eq(e.offset, 1);
    quicklistInsertAfter(&it, &e, "w", 1);
    cr_assert_not(quicklistNext(&it, &e));
    quicklistIterDone(&it);
    cr_assert_not(quicklistIterInitAt(&it, ql, QL_HEAD, 4));
    cr_assert_not(quicklistNext(&it, &e));
    quicklistIterDone(&it);
    cr_assert_not(quicklistIterInitAt(&it, ql, QL_HEAD, -5));
    quicklistIterDone(&it);
    quicklistRelease(ql);
}

/* ---- the oracle ----------------------------------------------------------------------- */

typedef struct mstr { char *s; size_t len; } mstr;
typedef struct model { mstr *v; size_t n, cap; } model;

static void modelInsert(model *m, size_t i, const void *s, size_t len) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = realloc(m->v, m->cap * sizeof *m->v);
    }
    memmove(m->v + i + 1, m->v + i, (m->n - i) * sizeof *m->v);
    m->v[i].s = malloc(len ? len : 1);
    memcpy(m->v[i].s, s, len);
    m->v[i].len = len;
    m->n++;
}

static void modelDelete(model *m, size_t i, size_t count) {
    if (count == 0) return;
    for (size_t k = i; k < i + count; k++) free(m->v[k].s);
    if (i + count < m->n) memmove(m->v + i, m->v + i + count, (m->n - i - count) * sizeof *m->v);
    m->n -= count;
}

static bool valueIs(const lpValue *v, const mstr *want) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *s = lpValueStr(v, &len, buf);
    return len == want->len && memcmp(s, want->s, len) == 0;
}

/* randValue: mostly small, compressible-ish strings and integers, now and
 * then large ones that exceed node size limits. buf holds 40000 bytes. */
static size_t randValue(char *buf) {
    uint64_t r = rndN(100);
    if (r < 15) return (size_t)snprintf(buf, 32, "%" PRId64, (int64_t)(rnd() >> rndN(64)) * (rnd() & 1 ? 1 : -1));
    size_t len;
    if (r < 80) len = rndN(40);
    else if (r < 95) len = 40 + rndN(300);
    else if (r < 99) len = 1000 + rndN(5000);
    else len = 8000 + rndN(30000);
    bool random = rndN(4) == 0;
    for (size_t i = 0; i < len; i++)
        buf[i] = random ? (char)rnd() : "element-abcdefgh"[(i + len) % 16];
    return len;
}

/* qlNodeListpackCopy: the node's listpack bytes, decompressed if needed. */
static unsigned char *nodeBytes(const quicklistNode *n, bool *owned) {
    const unsigned char *z;
    size_t clen = quicklistNodeLzf(n, &z);
    *owned = clen > 0;
    if (!clen) return quicklistNodeListpack(n);
    unsigned char *lp = malloc(n->sz);
    CHECK(lzfDecompress(z, clen, lp, n->sz) == n->sz, "node decompresses");
    return lp;
}

/* checkList verifies links, counts, sizes, limits, the compression
 * invariant and every element against the model, without iterators. */
static void checkList(quicklist *ql, const model *m, int step) {
    CHECK(ql->count == m->n, "step %d: count %lu, model %zu", step, ql->count, m->n);
    unsigned long len = 0, count = 0, i = 0;
    size_t mi = 0;
    for (quicklistNode *n = ql->head, *prev = NULL; n; prev = n, n = n->next, i++) {
        CHECK(n->prev == prev, "step %d: node %lu prev link", step, i);
        CHECK(n->count >= 1, "step %d: empty node %lu", step, i);
        CHECK(!n->recompress && !n->saved, "step %d: node %lu left open", step, i);
        len++;
        count += n->count;
        bool window = ql->compress == 0 || i < ql->compress || i + ql->compress >= ql->len;
        bool owned;
        unsigned char *lp = nodeBytes(n, &owned);
        CHECK(lpBytes(lp) == n->sz && lpLength(lp) == n->count, "step %d: node %lu header", step, i);
        if (n->count > 1)
            CHECK(!quicklistNodeExceedsLimit(ql->fill, n->sz, n->count),
                  "step %d: node %lu over the limit (%zu bytes, %u)", step, i, n->sz, n->count);
        if (window) {
            CHECK(n->encoding == QL_NODE_RAW, "step %d: node %lu of %lu in a raw window", step, i, ql->len);
        } else if (n->encoding == QL_NODE_RAW) {
            CHECK(n->incompressible, "step %d: inner node %lu raw and not flagged", step, i);
            if (step % 8 == 0) {               /* and rightly so (a costly check) */
                unsigned char *tmp = malloc(n->sz);
                CHECK(n->sz < 48 || lzfCompress(lp, n->sz, tmp, n->sz - 9) == 0,
                      "step %d: inner node %lu would compress", step, i);
                free(tmp);
            }
        }
        lpValue v;
        for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p), mi++) {
            lpGet(p, &v);
            CHECK(mi < m->n && valueIs(&v, &m->v[mi]), "step %d: element %zu (node %lu)", step, mi, i);
        }
        if (owned) free(lp);
        if (!n->next) CHECK(ql->tail == n, "step %d: tail", step);
    }
    CHECK(len == ql->len && count == ql->count, "step %d: len %lu/%lu count %lu/%lu", step, len,
          ql->len, count, ql->count);
    if (!ql->head) CHECK(!ql->tail, "step %d: tail of an empty list", step);
}

/* offsetOk: the entry's offset is its index in its node's listpack. */
static bool offsetOk(const quicklistEntry *e) {
    unsigned char *lp = quicklistNodeListpack(e->node);
    return lp && e->offset >= 0 && e->offset < (long)e->node->count && lpSeek(lp, e->offset) == e->p;
}

/* iterCheck walks the whole list with an iterator in dir. */
static void iterCheck(quicklist *ql, const model *m, int dir, int step) {
    quicklistIter it;
    quicklistEntry e;
    long i = dir == QL_HEAD ? 0 : (long)m->n - 1;
    quicklistIterInit(&it, ql, dir);
    while (quicklistNext(&it, &e)) {
        CHECK(i >= 0 && (size_t)i < m->n && valueIs(&e.v, &m->v[i]), "step %d: iterate %ld", step, i);
        CHECK(offsetOk(&e), "step %d: offset at %ld", step, i);
        i += dir == QL_HEAD ? 1 : -1;
    }
    quicklistIterDone(&it);
    CHECK(i == (dir == QL_HEAD ? (long)m->n : -1), "step %d: iteration ended at %ld", step, i);
}

static void popCheck(void *ud, const lpValue *v) {
    const mstr *want = ud;
    CHECK(valueIs(v, want), "popped value");
}

/* deleteWhileIterating walks from a random index in a random direction,
 * deleting all, some or a few of the entries it sees, maybe stopping
 * early. */
static void deleteWhileIterating(quicklist *ql, model *m, bool gently, int step) {
    int dir = rnd() & 1 ? QL_HEAD : QL_TAIL;
    long start = (long)rndN(m->n);
    quicklistIter it;
    quicklistEntry e;
    CHECK(quicklistIterInitAt(&it, ql, dir, start - (rnd() & 1 ? (long)m->n : 0)), "step %d", step);
    long j = start, stopAfter = rnd() & 1 ? LONG_MAX : (long)rndN(50);
    uint64_t odds = gently ? 20 + rndN(20) : 1 + rndN(10);   /* delete one in `odds` */
    while (stopAfter-- > 0 && quicklistNext(&it, &e)) {
        CHECK(j >= 0 && (size_t)j < m->n && valueIs(&e.v, &m->v[j]), "step %d: walk at %ld", step, j);
        CHECK(offsetOk(&e), "step %d: offset at %ld", step, j);
        if (rndN(odds) == 0) {
            quicklistDelEntry(&it, &e);
            modelDelete(m, (size_t)j, 1);
            if (dir == QL_TAIL) j--;
        } else {
            j += dir == QL_HEAD ? 1 : -1;
        }
    }
    quicklistIterDone(&it);
}

static void traceList(const char *what, quicklist *ql, int op, size_t n, int step) {
    fprintf(stderr, "%s step %d op %d n %zu len %lu:", what, step, op, n, ql->len);
    for (quicklistNode *x = ql->head; x; x = x->next)
        fprintf(stderr, " %u/%zu%s", x->count, x->sz, x->encoding == QL_NODE_LZF ? "z" : x->incompressible ? "i" : "");
    fprintf(stderr, "\n");
}

static void fuzzStep(quicklist *ql, model *m, char *buf, int step) {
    /* grow towards a target size that moves now and then, so lists of
     * every length (and node count) get their share of steps */
    static const int growOps[] = {0, 1, 2, 3, 4, 16, 17, 18, 19};
    static const int shrinkOps[] = {8, 9, 10, 11, 12, 13};
    static const int otherOps[] = {5, 6, 7, 14, 15};
    static size_t target;
    if (step % 3000 == 0) target = rndN(rnd() & 1 ? 60 : 600);
    size_t len = randValue(buf);
    uint64_t r = rndN(100);
    int op;
    bool growing = m->n < target;
    if (r < (growing ? 65 : 25)) op = growOps[rndN(9)];
    else if (r < 75) op = shrinkOps[rndN(6)];
    else op = otherOps[rndN(5)];
    if (m->n == 0) op = (int)rndN(3);
    quicklistIter it;
    quicklistEntry e;
    bool trace = getenv("QLTRACE") && step >= atoi(getenv("QLTRACE"));
    if (trace) traceList("before", ql, op, m->n, step);
    switch (op) {
    case 0: case 1: case 2:
        quicklistPush(ql, op == 0 ? QL_TAIL : QL_HEAD, buf, len);
        modelInsert(m, op == 0 ? m->n : 0, buf, len);
        break;
    case 3: case 4: {
        size_t i = rndN(m->n);
        CHECK(quicklistIterInitAt(&it, ql, rnd() & 1 ? QL_HEAD : QL_TAIL, (long)i), "step %d", step);
        CHECK(quicklistNext(&it, &e) && valueIs(&e.v, &m->v[i]), "step %d: index %zu", step, i);
        if (op == 3) quicklistInsertBefore(&it, &e, buf, len);
        else quicklistInsertAfter(&it, &e, buf, len);
        quicklistIterDone(&it);
        modelInsert(m, op == 3 ? i : i + 1, buf, len);
        break;
    }
    case 5: case 6: {
        size_t i = rndN(m->n);
        if (op == 5) {
            CHECK(quicklistReplaceAtIndex(ql, (long)i - (rnd() & 1 ? (long)m->n : 0), buf, len), "step %d", step);
        } else {
            CHECK(quicklistIterInitAt(&it, ql, QL_TAIL, (long)i) && quicklistNext(&it, &e), "step %d", step);
            quicklistReplaceEntry(&it, &e, buf, len);
            quicklistIterDone(&it);
        }
        modelDelete(m, i, 1);
        modelInsert(m, i, buf, len);
        break;
    }
    case 7: {
        size_t i = rndN(m->n);
        CHECK(quicklistIterInitAt(&it, ql, QL_HEAD, (long)i), "step %d", step);
        for (size_t k = i; k < i + 5 && k < m->n; k++)
            CHECK(quicklistNext(&it, &e) && valueIs(&e.v, &m->v[k]) && offsetOk(&e), "step %d: walk from %zu", step, i);
        quicklistIterDone(&it);
        break;
    }
    case 8: case 9: {
        int where = op == 8 ? QL_HEAD : QL_TAIL;
        size_t i = where == QL_HEAD ? 0 : m->n - 1;
        CHECK(quicklistPopWith(ql, where, popCheck, &m->v[i]), "step %d", step);
        modelDelete(m, i, 1);
        break;
    }
    case 10: case 11: {
        long start = (long)rndN(m->n + 2) - (rnd() & 1 ? (long)m->n : 0);
        unsigned long count = rndN(op == 10 || growing ? 5 : 60);
        unsigned long got = quicklistDelRange(ql, start, count);
        long s = start < 0 ? start + (long)m->n : start;
        unsigned long want = 0;
        if (s >= 0 && (size_t)s < m->n && count) want = count < m->n - (size_t)s ? count : m->n - (size_t)s;
        CHECK(got == want, "step %d: del range %ld %lu: %lu, want %lu", step, start, count, got, want);
        if (want) modelDelete(m, (size_t)s, want);
        break;
    }
    case 12: case 13:
        deleteWhileIterating(ql, m, growing, step);
        break;
    case 14:
        iterCheck(ql, m, rnd() & 1 ? QL_HEAD : QL_TAIL, step);
        break;
    case 15: {                                  /* a deep copy matches, then goes */
        quicklist *d = quicklistDup(ql);
        checkList(d, m, step);
        quicklistRelease(d);
        break;
    }
    default:
        quicklistPush(ql, QL_TAIL, buf, len);
        modelInsert(m, m->n, buf, len);
        break;
    }
    if (trace) traceList("after ", ql, op, m->n, step);
}

typedef struct qlConfig { int fill, compress; } qlConfig;

static const qlConfig configs[] = {
    {-2, 0}, {-1, 1}, {-2, 2}, {-5, 1}, {0, 0}, {1, 1}, {2, 3}, {3, 1},
    {4, 2}, {8, 1}, {16, 4}, {128, 1}, {-3, 7},
};

Test(quicklist, random_operations_agree_with_an_array_of_strings, .timeout = 900) {
    rngInit();
    char *buf = malloc(40000);
    int steps = 0;
    size_t used0 = zmallocUsedMemory();
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++) {
        quicklist *ql = quicklistCreate(configs[c].fill, configs[c].compress);
        model m = {0};
        for (int step = 0; step < 16000 / FUZZ_SCALE; step++, steps++) {
            fuzzStep(ql, &m, buf, steps);
            checkList(ql, &m, steps);
            if (step % 16 == 0) iterCheck(ql, &m, step % 32 ? QL_HEAD : QL_TAIL, steps);
            if (getenv("QLSTATS") && step % 1000 == 999) {
                int lzf = 0;
                for (quicklistNode *n = ql->head; n; n = n->next) lzf += n->encoding == QL_NODE_LZF;
                fprintf(stderr, "fill %d depth %d: %zu elements, %lu nodes, %d lzf\n", ql->fill, ql->compress, m.n, ql->len, lzf);
            }
        }
        if (ql->len <= 1) {
            unsigned char *lp = quicklistToListpack(ql);
            CHECK(lpLength(lp) == m.n, "to listpack");
            lpFree(lp);
        } else {
            quicklistRelease(ql);
        }
        modelDelete(&m, 0, m.n);
        free(m.v);
        CHECK(zmallocUsedMemory() == used0, "config %zu leaked %zu bytes", c, zmallocUsedMemory() - used0);
    }
    free(buf);
}
