/* test_listpack.c — listpack encodings at every boundary, byte-exact checks
 * against listpacks real Redis 7.0 wrote (DUMP payloads), an oracle fuzz of
 * every writer against an array of strings, and corruption fuzzing of
 * lpValidate (run it under ASan: make SANITIZE=address
 * build-address/tests/unit/test_listpack).
 *
 * Random tests print their seed on failure; ROOST_SEED=<n> replays one. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/listpack.h"
#include "storage/lzf.h"
#include "storage/zmalloc.h"
#include "test_rng.h"

/* CHECK: a failure-only assertion (cheap enough for millions of calls). */
#define CHECK(cond, fmt, ...) do {                                             \
        if (!(cond))                                                          \
            cr_assert_fail("seed %" PRIu64 ": " #cond ": " fmt, seed, ##__VA_ARGS__); \
    } while (0)

static uint64_t rndN(uint64_t n) { return n ? rnd() % n : 0; }

static char *rep(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static size_t hexDecode(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

/* entryBytes: the raw bytes of entry p (without its backlen, by walking). */
static size_t entryTotal(unsigned char *lp, unsigned char *p) {
    unsigned char *q = lpNext(lp, p);
    return (size_t)((q ? q : lp + lpBytes(lp) - 1) - p);
}

/* ---- the empty listpack and the documented example -------------------------------- */

Test(listpack, empty_listpack_is_seven_bytes) {
    unsigned char *lp = lpNew(0);
    static const unsigned char want[] = {7, 0, 0, 0, 0, 0, 0xFF};
    cr_assert_eq(lpBytes(lp), 7);
    cr_assert(memcmp(lp, want, 7) == 0);
    cr_assert_eq(lpLength(lp), 0);
    cr_assert_null(lpFirst(lp));
    cr_assert_null(lpLast(lp));
    cr_assert_null(lpSeek(lp, 0));
    cr_assert_null(lpSeek(lp, -1));
    cr_assert(lpValidate(lp, 7, true, NULL, NULL));
    lpFree(lp);
}

/* ---- minimal RDB payload decoding (DUMP output) ------------------------------------ */

/* rdbLen reads an RDB length; *special is set for the 11xxxxxx forms. */
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

/* rdbString reads an RDB string (plain or LZF) into a malloc'd buffer. */
static unsigned char *rdbString(const unsigned char *b, size_t *pos, size_t *len) {
    int special;
    uint64_t n = rdbLen(b, pos, &special);
    if (special == 3) {
        int s2;
        size_t clen = rdbLen(b, pos, &s2), ulen = rdbLen(b, pos, &s2);
        unsigned char *out = malloc(ulen);
        cr_assert_eq(lzfDecompress(b + *pos, clen, out, ulen), ulen, "Redis's LZF decompresses");
        *pos += clen;
        *len = ulen;
        return out;
    }
    cr_assert_eq(special, -1, "no integer-encoded strings expected here");
    unsigned char *out = malloc(n ? n : 1);
    memcpy(out, b + *pos, n);
    *pos += n;
    *len = n;
    return out;
}

/* A list Redis 7.0.15 built with RPUSH l a 1 -5 300, as DUMP l returns it:
 * type 18 (quicklist 2), 1 node, container 2 (packed), the listpack. */
static const char redisListDump[] =
    "120102121200000004008161020101dffb02c12c02ff0a00d8c6918441c94000";

Test(listpack, bytes_equal_redis_for_rpush_a_1_minus5_300) {
    unsigned char dump[64];
    hexDecode(redisListDump, dump);
    size_t pos = 0, len;
    int sp;
    cr_assert_eq(dump[pos++], 18);
    cr_assert_eq(rdbLen(dump, &pos, &sp), 1);
    cr_assert_eq(rdbLen(dump, &pos, &sp), 2);
    unsigned char *want = rdbString(dump, &pos, &len);

    unsigned char *lp = lpNew(0);
    lp = lpAppend(lp, "a", 1);
    lp = lpAppend(lp, "1", 1);
    lp = lpAppend(lp, "-5", 2);
    lp = lpAppend(lp, "300", 3);
    cr_assert_eq(lpBytes(lp), len);
    cr_assert(memcmp(lp, want, len) == 0);
    cr_assert(lpValidate(want, len, true, NULL, NULL));
    lpFree(lp);
    free(want);
}

/* A hash Redis 7.0.15 built (hash-max-listpack-value 100000) with
 * HSET h k0 v0 k1 v1 ... over the values below, dumped with rdbcompression
 * on: type 16, the listpack as an LZF string (so this also checks that
 * lzfDecompress reads real liblzf output). */
static const char redisHashDump[] =
    "10c34368800000a30c110ca300004e00826b30038001826b3103bf61e035000740826b3203e04062e036000742826b33"
    "03e07d63e07300077f826b3403e07e64e07400080180826b3503efff65e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0"
    "ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e07d000b2081826b3603f00010000066e0ff00e0ff00"
    "e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e07e000b2085826b37"
    "03f0f93f000067e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00c0000b7ffe826b3803f0fa3f000068e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
    "00e0ff00e0ff00e0ff00e000000e00ffff826b39030001836b3130047f4006043104c08002200e033204dfff40070233"
    "04cf6007053404f10010032018033504d0004018043604f1ffef401000372008007f4008063804f20080000420230039"
    "202c0080201206323004f2ff7fff2012013231200901ff7f4009033204f3002027000520140033203101008040140234"
    "04f3201e00ff40140035400a01ff7f400a033604f40020202003010009202e003740390100804019023804f440242003"
    "00ff40190039600e4000007f200e013330603740000080400e1631049339323233333732303336383534373735383038"
    "142028033204942de0091a013915201a043304822d3020c305333404823031400803350482206008033604822b600805"
    "370483312e3520bf0133382024023003ff0a0057a641c45b4e855b";

/* the hash's values, in order (fields are "k0", "k1", ...) */
static const char *const hashSmall[] = {
    "0", "127", "128", "-1", "4095", "4096", "-4096", "-4097", "32767", "32768", "-32768",
    "-32769", "8388607", "8388608", "-8388608", "-8388609", "2147483647", "2147483648",
    "-2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "-9223372036854775809", "-0", "01", " 1", "+1", "1.5", "00",
};
static const struct { char c; size_t n; } hashLong[] = {
    {'\0', 0}, {'a', 63}, {'b', 64}, {'c', 125}, {'d', 126}, {'e', 4095}, {'f', 4096},
    {'g', 16377}, {'h', 16378},
};

static unsigned char *buildRedisHash(void) {
    unsigned char *lp = lpNew(0);
    char key[16];
    int k = 0;
    for (size_t i = 0; i < sizeof hashLong / sizeof hashLong[0]; i++, k++) {
        snprintf(key, sizeof key, "k%d", k);
        char *v = rep(hashLong[i].c, hashLong[i].n);
        lp = lpAppend(lp, key, strlen(key));
        lp = lpAppend(lp, v, hashLong[i].n);
        free(v);
    }
    for (size_t i = 0; i < sizeof hashSmall / sizeof hashSmall[0]; i++, k++) {
        snprintf(key, sizeof key, "k%d", k);
        lp = lpAppend(lp, key, strlen(key));
        lp = lpAppend(lp, hashSmall[i], strlen(hashSmall[i]));
    }
    return lp;
}

Test(listpack, bytes_equal_redis_for_every_encoding_boundary_in_a_hash) {
    size_t hexlen = strlen(redisHashDump) / 2, pos = 0, len;
    unsigned char *dump = malloc(hexlen);
    hexDecode(redisHashDump, dump);
    cr_assert_eq(dump[pos++], 16, "RDB_TYPE_HASH_LISTPACK");
    unsigned char *want = rdbString(dump, &pos, &len);
    cr_assert_eq(dump[pos], 10, "RDB version 10 follows the value");

    unsigned char *lp = buildRedisHash();
    cr_assert_eq(lpBytes(lp), len, "size %zu, Redis %zu", lpBytes(lp), len);
    for (size_t i = 0; i < len; i++)
        cr_assert_eq(lp[i], want[i], "first difference at byte %zu", i);
    cr_assert(lpValidate(want, len, true, NULL, NULL));
    lpFree(lp);
    free(want);
    free(dump);
}

/* A zset Redis built with ZADD z 1.5 a 2 b -3 c 1e100 d: members and scores
 * interleaved, sorted by score; whole scores are integers, others strings. */
static const char redisZsetDump[] =
    "1125250000000800816302dffd0281610283312e350481620202018164028631652b31303007ff0a00ff3c8899338d00d3";

Test(listpack, pairs_walk_a_redis_zset_both_ways) {
    unsigned char dump[64];
    hexDecode(redisZsetDump, dump);
    size_t pos = 1, len;
    cr_assert_eq(dump[0], 17, "RDB_TYPE_ZSET_LISTPACK");
    unsigned char *lp = rdbString(dump, &pos, &len);
    cr_assert(lpValidate(lp, len, true, NULL, NULL));
    static const char *members[] = {"c", "a", "b", "d"};
    static const double scores[] = {-3, 1.5, 2, 1e100};
    lpValue k, v;
    double d;
    int i = 0;
    for (unsigned char *p = lpFirst(lp); lpNextPair(lp, &p, &k, &v); i++) {
        cr_assert(k.sval && k.slen == 1 && k.sval[0] == members[i][0]);
        cr_assert(lpValueDouble(&v, &d));
        cr_assert_eq(d, scores[i]);
    }
    cr_assert_eq(i, 4);
    for (unsigned char *p = lpLast(lp); lpPrevPair(lp, &p, &k, &v);) {
        i--;
        cr_assert(k.sval[0] == members[i][0]);
        cr_assert(lpValueDouble(&v, &d) && d == scores[i]);
    }
    cr_assert_eq(i, 0);
    unsigned char *kp = lpFindKey(lp, "b", 1);
    cr_assert_not_null(kp);
    int64_t score;
    cr_assert(lpGetInt(lpNext(lp, kp), &score) && score == 2);
    cr_assert_null(lpFindKey(lp, "2", 1), "scores are not keys");
    free(lp);
}

/* ---- integers at every width boundary ------------------------------------------------ */

typedef struct intCase { int64_t v; unsigned first; size_t entry; } intCase;

static const intCase intCases[] = {
    {0, 0x00, 2}, {127, 0x7F, 2}, {128, 0xC0, 3}, {-1, 0xDF, 3},
    {4095, 0xCF, 3}, {-4096, 0xD0, 3}, {4096, 0xF1, 4}, {-4097, 0xF1, 4},
    {32767, 0xF1, 4}, {-32768, 0xF1, 4}, {32768, 0xF2, 5}, {-32769, 0xF2, 5},
    {8388607, 0xF2, 5}, {-8388608, 0xF2, 5}, {8388608, 0xF3, 6}, {-8388609, 0xF3, 6},
    {INT32_MAX, 0xF3, 6}, {INT32_MIN, 0xF3, 6}, {(int64_t)INT32_MAX + 1, 0xF4, 10},
    {(int64_t)INT32_MIN - 1, 0xF4, 10}, {INT64_MAX, 0xF4, 10}, {INT64_MIN, 0xF4, 10},
};

Test(listpack, integers_take_the_smallest_encoding_and_read_back_exactly) {
    for (size_t i = 0; i < sizeof intCases / sizeof intCases[0]; i++) {
        const intCase *c = &intCases[i];
        char s[32];
        snprintf(s, sizeof s, "%" PRId64, c->v);
        for (int viaString = 0; viaString < 2; viaString++) {
            unsigned char *lp = lpNew(0);
            lp = viaString ? lpAppend(lp, s, strlen(s)) : lpAppendInt(lp, c->v);
            unsigned char *p = lpFirst(lp);
            cr_assert_eq(p[0], c->first, "%s: first byte %02x", s, p[0]);
            cr_assert_eq(lpBytes(lp), 7 + c->entry, "%s", s);
            cr_assert_eq(entryTotal(lp, p), c->entry);
            cr_assert_eq(lpEntrySize(s, strlen(s)), c->entry);
            cr_assert_eq(lpEntrySizeInt(c->v), c->entry);
            lpValue v;
            lpGet(p, &v);
            cr_assert_null(v.sval);
            cr_assert_eq(v.lval, c->v, "%s", s);
            unsigned char buf[LP_INTBUF_SIZE];
            size_t len;
            const unsigned char *str = lpGetStr(p, &len, buf);
            cr_assert(len == strlen(s) && memcmp(str, s, len) == 0);
            cr_assert(lpEq(p, s, strlen(s)));
            cr_assert_eq(lpLast(lp), p, "backlen leads back to %s", s);
            cr_assert(lpValidate(lp, lpBytes(lp), true, NULL, NULL));
            lpFree(lp);
        }
    }
}

Test(listpack, non_canonical_numbers_stay_strings) {
    static const char *const strs[] = {
        "-0", "01", "00", " 1", "1 ", "+1", "1.5", "1e3", "-", "", "0x10",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901",
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        size_t n = strlen(strs[i]);
        int64_t x;
        cr_assert_not(lpStringToInt64(strs[i], n, &x), "%s", strs[i]);
        unsigned char *lp = lpAppend(lpNew(0), strs[i], n);
        lpValue v;
        lpGet(lpFirst(lp), &v);
        cr_assert(v.sval && v.slen == n && memcmp(v.sval, strs[i], n) == 0, "%s", strs[i]);
        cr_assert_eq(lpFirst(lp)[0], 0x80 | n);
        lpFree(lp);
    }
}

/* ---- strings at every length class and backlen boundary ------------------------------- */

typedef struct strCase { size_t len; unsigned hdr; unsigned backlen; } strCase;

static const strCase strCases[] = {
    {0, 1, 1}, {1, 1, 1}, {63, 1, 1},             /* 6-bit: entry 1+len <= 64 */
    {64, 2, 1}, {125, 2, 1}, {126, 2, 2},          /* 12-bit; entry 127 | 128 */
    {4095, 2, 2}, {4096, 5, 2},                    /* 32-bit from 4096 */
    {16377, 5, 2}, {16378, 5, 3},                  /* entry 16382 | 16383 (Redis: 3) */
    {2097145, 5, 3}, {2097146, 5, 4},              /* entry 2097150 | 2097151 */
};

Test(listpack, strings_use_each_length_class_and_backlen_size_at_its_edges) {
    for (size_t i = 0; i < sizeof strCases / sizeof strCases[0]; i++) {
        const strCase *c = &strCases[i];
        char *s = rep('x', c->len);
        size_t entry = c->hdr + c->len + c->backlen;
        unsigned char *lp = lpAppend(lpNew(0), "before", 6);
        lp = lpAppend(lp, s, c->len);
        lp = lpAppend(lp, "after", 5);
        unsigned char *p = lpSeek(lp, 1);
        cr_assert_eq(lpEntrySize(s, c->len), entry, "len %zu", c->len);
        cr_assert_eq(entryTotal(lp, p), entry, "len %zu", c->len);
        cr_assert_eq(lpBytes(lp), 7 + 8 + 7 + entry);
        lpValue v;
        lpGet(p, &v);
        cr_assert(v.sval && v.slen == c->len && memcmp(v.sval, s, c->len) == 0);
        cr_assert_eq(lpPrev(lp, lpSeek(lp, 2)), p, "walking back over len %zu", c->len);
        cr_assert_eq(lpNext(lp, lpFirst(lp)), p);
        cr_assert_eq(lpSeek(lp, -2), p);
        cr_assert(lpValidate(lp, lpBytes(lp), true, NULL, NULL));
        /* replacing it with a small value and back keeps the bytes exact */
        unsigned char *copy = lpDup(lp);
        lp = lpReplace(lp, &p, "y", 1);
        lp = lpReplace(lp, &p, s, c->len);
        cr_assert(memcmp(lp, copy, lpBytes(copy)) == 0);
        lpFree(copy);
        lpFree(lp);
        free(s);
    }
}

/* ---- the count field --------------------------------------------------------------- */

Test(listpack, count_field_saturates_at_65535_and_lpLength_restores_it) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < 65536; i++) lp = lpAppendInt(lp, i & 127);
    cr_assert_eq(lp[4] | lp[5] << 8, LP_NUMELE_UNKNOWN);
    cr_assert_eq(lpLength(lp), 65536);
    cr_assert_eq(lp[4] | lp[5] << 8, LP_NUMELE_UNKNOWN, "65536 cannot be cached");
    int64_t x;
    cr_assert(lpGetInt(lpSeek(lp, -1), &x) && x == (65535 & 127));
    cr_assert(lpGetInt(lpSeek(lp, 65535), &x) && x == (65535 & 127));
    cr_assert_null(lpSeek(lp, 65536));
    cr_assert_null(lpSeek(lp, -65537));
    cr_assert(lpGetInt(lpSeek(lp, -65536), &x) && x == 0);
    cr_assert(lpValidate(lp, lpBytes(lp), true, NULL, NULL));
    lp = lpDeleteRange(lp, 0, 2);
    cr_assert_eq(lp[4] | lp[5] << 8, LP_NUMELE_UNKNOWN, "deletes keep it unknown");
    cr_assert_eq(lpLength(lp), 65534);
    cr_assert_eq(lp[4] | lp[5] << 8, 65534, "lpLength wrote the count back");
    lp = lpAppendInt(lp, 1);
    cr_assert_eq(lp[4] | lp[5] << 8, LP_NUMELE_UNKNOWN, "65535 itself means unknown");
    lpFree(lp);
}

/* ---- writers, one by one ------------------------------------------------------------- */

static void expectStrings(unsigned char *lp, const char *const *want, size_t n) {
    cr_assert_eq(lpLength(lp), n);
    unsigned char *p = lpFirst(lp), buf[LP_INTBUF_SIZE];
    for (size_t i = 0; i < n; i++, p = lpNext(lp, p)) {
        size_t len;
        cr_assert_not_null(p);
        const unsigned char *s = lpGetStr(p, &len, buf);
        cr_assert(len == strlen(want[i]) && memcmp(s, want[i], len) == 0, "entry %zu", i);
    }
    cr_assert_null(p);
}

Test(listpack, insert_replace_delete_and_their_out_pointers) {
    unsigned char *lp = lpNew(64), *p, *np;
    lp = lpAppend(lp, "b", 1);
    lp = lpPrepend(lp, "a", 1);
    lp = lpAppendInt(lp, 3);
    p = lpSeek(lp, 1);
    lp = lpInsert(lp, p, LP_AFTER, "c", 1, &np);
    cr_assert(lpEq(np, "c", 1));
    lp = lpInsertInt(lp, np, LP_BEFORE, -7, &np);
    cr_assert(lpEq(np, "-7", 2));
    expectStrings(lp, (const char *[]){"a", "b", "-7", "c", "3"}, 5);
    p = lpSeek(lp, 2);
    lp = lpReplaceInt(lp, &p, 1000000);
    cr_assert(lpEq(p, "1000000", 7));
    lp = lpReplace(lp, &p, "xyz", 3);
    lp = lpDelete(lp, &p);
    cr_assert(lpEq(p, "c", 1), "delete leaves *p on the next entry");
    p = lpLast(lp);
    lp = lpDelete(lp, &p);
    cr_assert_null(p, "deleting the last entry gives NULL");
    expectStrings(lp, (const char *[]){"a", "b", "c"}, 3);
    lp = lpPrependInt(lp, 9);
    /* a value that lives inside the listpack itself */
    lpValue v;
    lpGet(lpSeek(lp, 1), &v);
    lp = lpAppend(lp, v.sval, v.slen);
    lpGet(lpSeek(lp, 3), &v);
    p = lpFirst(lp);
    lp = lpInsert(lp, p, LP_BEFORE, v.sval, v.slen, NULL);
    expectStrings(lp, (const char *[]){"c", "9", "a", "b", "c", "a"}, 6);
    lp = lpShrinkToFit(lp);
    cr_assert(lpValidate(lp, lpBytes(lp), true, NULL, NULL));
    lpFree(lp);
}

Test(listpack, range_deletes_clip_at_the_end_and_accept_negative_starts) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < 10; i++) lp = lpAppendInt(lp, i);
    lp = lpDeleteRange(lp, -3, 100);
    expectStrings(lp, (const char *[]){"0", "1", "2", "3", "4", "5", "6"}, 7);
    lp = lpDeleteRange(lp, 1, 2);
    expectStrings(lp, (const char *[]){"0", "3", "4", "5", "6"}, 5);
    lp = lpDeleteRange(lp, 5, 1);
    lp = lpDeleteRange(lp, -6, 1);
    lp = lpDeleteRange(lp, 0, 0);
    cr_assert_eq(lpLength(lp), 5, "out of range starts and zero counts delete nothing");
    unsigned char *p = lpSeek(lp, 3);
    lp = lpDeleteRangeAt(lp, &p, 1);
    cr_assert(lpEq(p, "6", 1));
    lp = lpDeleteRangeAt(lp, &p, 5);
    cr_assert_null(p);
    p = lpFirst(lp);
    lp = lpDeleteRangeAt(lp, &p, 99);
    cr_assert_null(p);
    cr_assert_eq(lpBytes(lp), 7);
    lpFree(lp);
}

Test(listpack, find_compares_integers_numerically_and_honours_skip) {
    unsigned char *lp = lpNew(0);
    const char *kv[] = {"f1", "10", "10", "x", "f3", "-0", "-0", "v"};
    for (int i = 0; i < 8; i++) lp = lpAppend(lp, kv[i], strlen(kv[i]));
    cr_assert_eq(lpFind(lp, lpFirst(lp), "10", 2, 0), lpSeek(lp, 1));
    cr_assert_eq(lpFind(lp, lpFirst(lp), "10", 2, 1), lpSeek(lp, 2), "keys only");
    cr_assert_eq(lpFindKey(lp, "-0", 2), lpSeek(lp, 6));
    cr_assert_null(lpFind(lp, lpFirst(lp), "010", 3, 0), "not numerically equal");
    cr_assert_eq(lpFindInt(lp, lpFirst(lp), 10, 0), lpSeek(lp, 1));
    cr_assert_null(lpFindInt(lp, lpFirst(lp), 0, 0), "\"-0\" is a string, not 0");
    cr_assert_null(lpFindKey(lp, "x", 1));
    lpValue k, v;
    unsigned char *p = lpFirst(lp);
    cr_assert(lpNextPair(lp, &p, &k, &v));
    cr_assert(k.slen == 2 && v.sval == NULL && v.lval == 10);
    lp = lpAppend(lp, "odd", 3);
    p = lpSeek(lp, -1);
    cr_assert_not(lpNextPair(lp, &p, &k, &v), "a key without a value is not a pair");
    lpFree(lp);
}

Test(listpack, merge_keeps_order_whichever_side_is_larger) {
    for (int big = 0; big < 2; big++) {
        unsigned char *a = lpNew(0), *b = lpNew(0);
        char *s = rep('q', 300);
        a = lpAppend(a, "a1", 2);
        a = lpAppend(a, "a2", 2);
        if (big == 0) a = lpAppend(a, s, 300);
        b = lpAppendInt(b, 5);
        if (big == 1) b = lpAppend(b, s, 300);
        unsigned char *m = lpMerge(a, b);
        if (big == 0) expectStrings(m, (const char *[]){"a1", "a2", s, "5"}, 4);
        else expectStrings(m, (const char *[]){"a1", "a2", "5", s}, 4);
        cr_assert(lpValidate(m, lpBytes(m), true, NULL, NULL));
        lpFree(m);
        free(s);
    }
}

static bool evenEntries(unsigned char *p, unsigned long index, void *ud) {
    (void)p;
    *(unsigned long *)ud = index + 1;
    return index < 3;
}

Test(listpack, validate_runs_the_entry_callback_and_stops_on_false) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < 3; i++) lp = lpAppendInt(lp, i);
    unsigned long seen = 0;
    cr_assert(lpValidate(lp, lpBytes(lp), true, evenEntries, &seen));
    cr_assert_eq(seen, 3);
    lp = lpAppendInt(lp, 3);
    cr_assert_not(lpValidate(lp, lpBytes(lp), true, evenEntries, &seen));
    cr_assert(lpValidate(lp, lpBytes(lp), false, evenEntries, &seen), "shallow skips entries");
    cr_assert_not(lpValidate(lp, lpBytes(lp) - 1, false, NULL, NULL), "size must match the header");
    lp[5] = 1;     /* count 256+4 */
    cr_assert_not(lpValidate(lp, lpBytes(lp), true, NULL, NULL), "count must match");
    lpFree(lp);
}

/* ---- oracle fuzz: every writer against an array of strings ------------------------------ */

typedef struct mstr { char *s; size_t len; } mstr;
typedef struct model { mstr *v; size_t n, cap; } model;

static void modelInsert(model *m, size_t i, const char *s, size_t len) {
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

static void modelFree(model *m) {
    modelDelete(m, 0, m->n);
    free(m->v);
}

static const int64_t edgeInts[] = {
    0, 1, 127, 128, -1, 4095, 4096, -4096, -4097, 32767, 32768, -32768, -32769,
    8388607, 8388608, -8388608, -8388609, INT32_MAX, (int64_t)INT32_MAX + 1, INT32_MIN,
    (int64_t)INT32_MIN - 1, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
};
static const char *const edgeStrs[] = {
    "-0", "01", "00", "+1", " 1", "1 ", "1.5", "-", "", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999", "0x1", "1e9",
};

/* randValue writes a random value into buf (capacity 17000) and returns its length. */
static size_t randValue(char *buf) {
    uint64_t r = rndN(32);
    if (r < 6) return (size_t)snprintf(buf, 32, "%" PRId64, edgeInts[rndN(sizeof edgeInts / sizeof edgeInts[0])]);
    if (r < 10) {
        int bits = (int)rndN(64) + 1;
        int64_t v = (int64_t)(rnd() >> (64 - bits));
        if (rnd() & 1) v = -v;
        return (size_t)snprintf(buf, 32, "%" PRId64, v);
    }
    if (r < 12) {
        const char *s = edgeStrs[rndN(sizeof edgeStrs / sizeof edgeStrs[0])];
        memcpy(buf, s, strlen(s));
        return strlen(s);
    }
    size_t len;
    if (r < 24) len = rndN(70);
    else if (r < 28) len = 60 + rndN(70);
    else if (r < 30) len = 4090 + rndN(12);
    else if (r < 31) len = 200 + rndN(800);
    else len = rndN(4) ? 16370 + rndN(16) : rndN(3);
    for (size_t i = 0; i < len; i++) buf[i] = (char)(rnd() & (r & 1 ? 0xFF : 0x7F));
    return len;
}

/* lpMatchesModel checks every entry against the model, forwards (and
 * backwards when asked), and the exact byte size. */
static void lpMatchesModel(unsigned char *lp, const model *m, bool backwards, int step) {
    CHECK(lpLength(lp) == m->n, "step %d: length %lu, model %zu", step, lpLength(lp), m->n);
    size_t bytes = LP_EMPTY_SIZE;
    unsigned char *p = lpFirst(lp), buf[LP_INTBUF_SIZE];
    for (size_t i = 0; i < m->n; i++, p = lpNext(lp, p)) {
        size_t len;
        CHECK(p != NULL, "step %d: entry %zu missing", step, i);
        const unsigned char *s = lpGetStr(p, &len, buf);
        CHECK(len == m->v[i].len && memcmp(s, m->v[i].s, len) == 0, "step %d: entry %zu differs", step, i);
        bytes += lpEntrySize(m->v[i].s, m->v[i].len);
    }
    CHECK(p == NULL, "step %d: extra entries", step);
    CHECK(lpBytes(lp) == bytes, "step %d: %zu bytes, expected %zu", step, lpBytes(lp), bytes);
    if (!backwards) return;
    p = lpLast(lp);
    for (size_t i = m->n; i-- > 0; p = lpPrev(lp, p)) {
        CHECK(p != NULL && lpEq(p, m->v[i].s, m->v[i].len), "step %d: backwards at %zu", step, i);
    }
    CHECK(p == NULL, "step %d: backwards past the first", step);
}

/* randIndex: a valid position 0..n-1 (n > 0). */
static size_t randIndex(const model *m) { return rndN(m->n); }

static unsigned char *fuzzStep(unsigned char *lp, model *m, char *buf, int step) {
    size_t len = randValue(buf), i;
    int op = (int)rndN(16);
    if (m->n > 200 && op < 8) op += 8;           /* keep the list from growing forever */
    if (m->n == 0 && op >= 2) op = (int)rndN(2);
    unsigned char *p, *np;
    switch (op) {
    case 0: lp = lpAppend(lp, buf, len); modelInsert(m, m->n, buf, len); break;
    case 1: lp = lpPrepend(lp, buf, len); modelInsert(m, 0, buf, len); break;
    case 2: case 3:
        i = randIndex(m);
        lp = lpInsert(lp, lpSeek(lp, (long)i), op == 2 ? LP_BEFORE : LP_AFTER, buf, len, &np);
        modelInsert(m, op == 2 ? i : i + 1, buf, len);
        CHECK(lpEq(np, buf, len), "step %d: newp", step);
        break;
    case 4: {
        int64_t v = (int64_t)rnd() >> rndN(64);
        i = randIndex(m);
        len = (size_t)snprintf(buf, 32, "%" PRId64, v);
        lp = lpInsertInt(lp, lpSeek(lp, (long)i), LP_BEFORE, v, NULL);
        modelInsert(m, i, buf, len);
        break;
    }
    case 5: {                                    /* copy an entry from inside lp */
        size_t from = randIndex(m), to = randIndex(m);
        lpValue v;
        lpGet(lpSeek(lp, (long)from), &v);
        if (v.sval) lp = lpInsert(lp, lpSeek(lp, (long)to), LP_AFTER, v.sval, v.slen, NULL);
        else lp = lpInsertInt(lp, lpSeek(lp, (long)to), LP_AFTER, v.lval, NULL);
        modelInsert(m, to + 1, m->v[from].s, m->v[from].len);
        break;
    }
    case 8: case 9:
        i = randIndex(m);
        p = lpSeek(lp, (long)i - (long)(rnd() & 1 ? m->n : 0));
        lp = lpReplace(lp, &p, buf, len);
        CHECK(lpEq(p, buf, len), "step %d: replaced entry", step);
        modelDelete(m, i, 1);
        modelInsert(m, i, buf, len);
        break;
    case 10: case 11:
        i = randIndex(m);
        p = lpSeek(lp, (long)i);
        lp = lpDelete(lp, &p);
        modelDelete(m, i, 1);
        CHECK(i == m->n ? p == NULL : lpEq(p, m->v[i].s, m->v[i].len), "step %d: delete's *p", step);
        break;
    case 12: {
        long start = (long)rndN(m->n + 3) - (long)(rnd() & 1 ? m->n + 1 : 0);
        unsigned long count = rndN(12);
        lp = lpDeleteRange(lp, start, count);
        long s = start < 0 ? start + (long)m->n : start;
        if (s >= 0 && (size_t)s < m->n) modelDelete(m, (size_t)s, count < m->n - (size_t)s ? count : m->n - (size_t)s);
        break;
    }
    case 13: {                                   /* split in two and merge back */
        size_t k = rndN(m->n + 1);
        unsigned char *a = lpDeleteRange(lpDup(lp), (long)k, m->n);
        unsigned char *b = lpDeleteRange(lp, 0, k);
        lp = lpMerge(a, b);
        break;
    }
    case 14: {                                   /* find from a random start, maybe skipping */
        size_t from = randIndex(m);
        unsigned skip = (unsigned)rndN(3);
        const char *s = buf;
        size_t slen = len;
        if (rnd() & 1) { i = randIndex(m); s = m->v[i].s; slen = m->v[i].len; }
        p = lpFind(lp, lpSeek(lp, (long)from), s, slen, skip);
        size_t want = SIZE_MAX;
        for (size_t k = from; k < m->n; k += skip + 1)
            if (m->v[k].len == slen && memcmp(m->v[k].s, s, slen) == 0) { want = k; break; }
        CHECK(want == SIZE_MAX ? p == NULL : p == lpSeek(lp, (long)want), "step %d: find", step);
        break;
    }
    default: {                                   /* seek anywhere, in range or not */
        long idx = (long)rndN(2 * m->n + 5) - (long)m->n - 2;
        p = lpSeek(lp, idx);
        long want = idx < 0 ? idx + (long)m->n : idx;
        if (want < 0 || want >= (long)m->n) CHECK(p == NULL, "step %d: seek %ld", step, idx);
        else CHECK(p && lpEq(p, m->v[want].s, m->v[want].len), "step %d: seek %ld", step, idx);
        break;
    }
    }
    return lp;
}

Test(listpack, random_operations_agree_with_an_array_of_strings, .timeout = 600) {
    rngInit();
    char *buf = malloc(17000);
    model m = {0};
    size_t used0 = zmallocUsedMemory();
    unsigned char *lp = lpNew(0);
    for (int step = 0; step < 200000 / FUZZ_SCALE; step++) {
        lp = fuzzStep(lp, &m, buf, step);
        lpMatchesModel(lp, &m, step % 8 == 0, step);
        if (step % 64 == 0) CHECK(lpValidate(lp, lpBytes(lp), true, NULL, NULL), "step %d: validate", step);
        if (step % 5000 == 0 && rnd() % 4 == 0) {   /* start over now and then */
            lpFree(lp);
            lp = lpNew(rndN(200));
            modelDelete(&m, 0, m.n);
        }
    }
    lpFree(lp);
    CHECK(zmallocUsedMemory() == used0, "leaked %zu bytes", zmallocUsedMemory() - used0);
    modelFree(&m);
    free(buf);
}

/* ---- corruption fuzz: lpValidate never crashes and what it accepts is safe -------------- */

/* walkAll uses every reader on an accepted listpack; ASan flags any stray read. */
static void walkAll(unsigned char *lp) {
    unsigned long n = lpLength(lp), i = 0;
    unsigned char buf[LP_INTBUF_SIZE];
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p), i++) {
        size_t len;
        const unsigned char *s = lpGetStr(p, &len, buf);
        volatile unsigned char sink = len ? s[len - 1] : 0;
        (void)sink;
    }
    CHECK(i == n, "walk %lu vs length %lu", i, n);
    for (unsigned char *p = lpLast(lp); p; p = lpPrev(lp, p)) i--;
    CHECK(i == 0, "backward walk disagrees");
    if (n) CHECK(lpSeek(lp, -1) == lpLast(lp), "seek -1");
    lpFind(lp, lpFirst(lp), "needle", 6, 0);
}

static unsigned char *randomListpack(void) {
    char *buf = malloc(17000);
    unsigned char *lp = lpNew(0);
    size_t n = rndN(12);
    for (size_t i = 0; i < n; i++) {
        size_t len = randValue(buf);
        if (len > 300) len = rndN(300);
        lp = lpAppend(lp, buf, len);
    }
    free(buf);
    return lp;
}

Test(listpack, corrupted_listpacks_are_rejected_or_safe, .timeout = 600) {
    rngInit();
    unsigned long accepted = 0, rejected = 0;
    for (int round = 0; round < 100000 / FUZZ_SCALE; round++) {
        unsigned char *good = randomListpack();
        size_t size = lpBytes(good);
        /* an exactly sized copy, so ASan sees one byte past the end */
        unsigned char *bad = malloc(size + 16);
        memcpy(bad, good, size);
        int kind = (int)rndN(5), flips = 1 + (int)rndN(4);
        if (kind == 0) {                               /* flip bits */
            for (int f = 0; f < flips; f++) bad[rndN(size)] ^= (unsigned char)(1u << rndN(8));
        } else if (kind == 1) {                        /* random bytes, header kept consistent */
            for (int f = 0; f < flips; f++) bad[LP_HDR_SIZE + rndN(size - LP_HDR_SIZE)] = (unsigned char)rnd();
        } else if (kind == 2) {                        /* truncate or extend, then fix total/end */
            size_t nsize = rndN(size + 16);
            if (nsize < 7) nsize = 7;
            for (size_t k = size; k < nsize; k++) bad[k] = (unsigned char)rnd();
            size = nsize;
            bad[0] = (unsigned char)size; bad[1] = (unsigned char)(size >> 8);
            bad[2] = bad[3] = 0;
            bad[size - 1] = LP_EOF;
        } else if (kind == 3) {                        /* pure garbage with a plausible frame */
            for (size_t k = 0; k < size; k++) bad[k] = (unsigned char)rnd();
            bad[0] = (unsigned char)size; bad[1] = (unsigned char)(size >> 8);
            bad[2] = bad[3] = 0;
            bad[size - 1] = LP_EOF;
            if (rnd() & 1) bad[4] = bad[5] = 0xFF;
        } else {                                       /* corrupt one entry's first byte */
            size_t n = lpLength(good);
            if (n) {
                unsigned char *p = lpSeek(good, (long)rndN(n));
                bad[p - good] = (unsigned char)(0xE0 + rndN(32));
            }
        }
        unsigned char *exact = malloc(size);
        memcpy(exact, bad, size);
        if (lpValidate(exact, size, true, NULL, NULL)) {
            accepted++;
            walkAll(exact);
        } else {
            rejected++;
        }
        free(exact);
        free(bad);
        lpFree(good);
    }
    cr_assert(accepted > 1000 / FUZZ_SCALE && rejected > 1000 / FUZZ_SCALE, "seed %" PRIu64 ": %lu accepted, %lu rejected",
              seed, accepted, rejected);
}
