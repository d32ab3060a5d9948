/* test_intset.c — intset against Redis's bytes and against a sorted-array
 * model.
 *
 * The expected blobs are the intset payloads of `DUMP` replies from
 * redis-server 7.0.15 (--rdbcompression no), with the RDB type byte, the
 * length prefix, the version and the CRC stripped; the command that built
 * each one is next to it. Random tests print their seed on failure; set
 * TEST_SEED=<n> to replay one.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/intset.h"
#include "storage/zmalloc.h"

/* ---- helpers ------------------------------------------------------------- */

static uint64_t rngState;

static uint64_t rnd(void) {          /* splitmix64 */
    uint64_t z = (rngState += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t seedRng(void) {
    const char *env = getenv("TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ (uint64_t)clock();
    rngState = seed;
    return seed;
}

static size_t unhex(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

static intset *build(const int64_t *v, size_t n) {
    intset *is = intsetNew();
    for (size_t i = 0; i < n; i++) is = intsetAdd(is, v[i], NULL);
    return is;
}

static void assertBytes(const intset *is, const char *hex, const char *what) {
    unsigned char want[4096];
    size_t n = unhex(hex, want);
    cr_assert_eq(intsetBlobLen(is), n, "%s: blob length %zu, Redis has %zu", what, intsetBlobLen(is), n);
    cr_assert(memcmp(is, want, n) == 0, "%s: bytes differ from Redis's", what);
    cr_assert(intsetValidate(want, n, true), "%s: Redis's own blob fails validation", what);
}

/* ---- layout and upgrades -------------------------------------------------- */

Test(intset, a_new_set_is_an_8_byte_int16_header) {
    intset *is = intsetNew();
    cr_assert_eq(intsetBlobLen(is), 8);
    cr_assert_eq(intsetEncoding(is), INTSET_ENC_INT16);
    cr_assert_eq(intsetLen(is), 0);
    int64_t v;
    cr_assert(!intsetGet(is, 0, &v));
    cr_assert(!intsetFind(is, 0));
    intsetFree(is);
}

Test(intset, encodings_upgrade_exactly_at_the_16_32_and_64_bit_edges) {
    struct { int64_t v; uint32_t enc; } edge[] = {
        { 0, 2 }, { 32767, 2 }, { -32768, 2 }, { 32768, 4 }, { -32769, 4 },
        { 2147483647, 4 }, { -2147483647 - 1, 4 }, { 2147483648, 8 }, { -2147483649, 8 },
        { INT64_MAX, 8 }, { INT64_MIN, 8 },
    };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        cr_assert_eq(intsetValueEncoding(edge[i].v), edge[i].enc, "value %lld", (long long)edge[i].v);

    intset *is = intsetNew();
    bool added;
    is = intsetAdd(is, 32767, &added);
    cr_assert(added);
    is = intsetAdd(is, -32768, &added);
    cr_assert_eq(intsetEncoding(is), INTSET_ENC_INT16);
    is = intsetAdd(is, 32768, &added);             /* append with upgrade */
    cr_assert(added);
    cr_assert_eq(intsetEncoding(is), INTSET_ENC_INT32);
    is = intsetAdd(is, -32769, NULL);              /* fits int32 now: plain insert */
    is = intsetAdd(is, -2147483649, &added);       /* prepend with upgrade */
    cr_assert(added);
    cr_assert_eq(intsetEncoding(is), INTSET_ENC_INT64);
    is = intsetAdd(is, INT64_MAX, NULL);
    is = intsetAdd(is, INT64_MIN, NULL);
    int64_t want[] = { INT64_MIN, -2147483649, -32769, -32768, 32767, 32768, INT64_MAX };
    cr_assert_eq(intsetLen(is), 7);
    cr_assert_eq(intsetBlobLen(is), 8 + 7 * 8);
    for (uint32_t i = 0; i < 7; i++) {
        int64_t v;
        cr_assert(intsetGet(is, i, &v));
        cr_assert_eq(v, want[i], "pos %u: %lld != %lld", i, (long long)v, (long long)want[i]);
        cr_assert(intsetFind(is, want[i]));
    }
    cr_assert_eq(intsetMin(is), INT64_MIN);
    cr_assert_eq(intsetMax(is), INT64_MAX);
    is = intsetAdd(is, 32768, &added);
    cr_assert(!added, "a present value is not added twice");
    cr_assert_eq(intsetLen(is), 7);
    intsetFree(is);
}

Test(intset, every_upgrade_path_keeps_the_old_elements_in_order) {
    int64_t wide[] = { 40000, -40000, 3000000000ll, -3000000000ll };
    for (int w = 0; w < 4; w++) {
        intset *is = intsetNew();
        for (int64_t v = -100; v <= 100; v += 7) is = intsetAdd(is, v, NULL);
        uint32_t n = intsetLen(is);
        is = intsetAdd(is, wide[w], NULL);
        cr_assert_eq(intsetEncoding(is), intsetValueEncoding(wide[w]));
        cr_assert_eq(intsetLen(is), n + 1);
        int64_t prev = INT64_MIN, v;
        for (uint32_t i = 0; i < n + 1; i++) {
            cr_assert(intsetGet(is, i, &v));
            cr_assert_gt(v, prev, "order after upgrade by %lld", (long long)wide[w]);
            prev = v;
        }
        cr_assert_eq(wide[w] < 0 ? intsetMin(is) : intsetMax(is), wide[w]);
        intsetFree(is);
    }
    /* int16 straight to int64 */
    intset *is = intsetNew();
    is = intsetAdd(is, -5, NULL);
    is = intsetAdd(is, 7, NULL);
    is = intsetAdd(is, INT64_MIN, NULL);
    cr_assert_eq(intsetEncoding(is), 8);
    int64_t v;
    intsetGet(is, 0, &v); cr_assert_eq(v, INT64_MIN);
    intsetGet(is, 1, &v); cr_assert_eq(v, -5);
    intsetGet(is, 2, &v); cr_assert_eq(v, 7);
    intsetFree(is);
}

Test(intset, removing_the_wide_values_keeps_the_wide_encoding) {
    intset *is = intsetNew();
    is = intsetAdd(is, 2147483648, NULL);
    is = intsetAdd(is, 7, NULL);
    bool removed;
    is = intsetRemove(is, 2147483648, &removed);
    cr_assert(removed);
    cr_assert_eq(intsetEncoding(is), INTSET_ENC_INT64);
    cr_assert_eq(intsetBlobLen(is), 16);
    is = intsetRemove(is, 2147483648, &removed);
    cr_assert(!removed);
    is = intsetRemove(is, 1ll << 40, &removed);    /* wider than nothing present: no search */
    cr_assert(!removed);
    is = intsetRemove(is, 7, &removed);
    cr_assert(removed);
    cr_assert_eq(intsetLen(is), 0);
    cr_assert_eq(intsetBlobLen(is), 8);
    intsetFree(is);
}

/* ---- byte-exact against Redis --------------------------------------------- */

/* Payloads of DUMP from redis-server 7.0.15; the SADD/SREM history that
 * produced each is in the test below. */
static const char s1_hex[] =
    "04000000030000000100000002000000e0930400";
static const char s2_hex[] =
    "020000000300000000800000ff7f";
static const char s3_hex[] =
    "0400000002000000ff7fffff00800000";
static const char s4_hex[] =
    "0800000002000000ffffff7fffffffff0500000000000000";
static const char s5_hex[] =
    "0800000004000000000000000000008000000080ffffffffffffff7f00000000ffffffffffffff7f";
static const char s6_hex[] =
    "08000000010000000700000000000000";
static const char s7_hex[] =
    "0200000003000000010002000300";
static const char s8_hex[] =
    "04000000080000000000fffffbffffff0100000003000000070000000900000064000000ffff0000";
static const char big_hex[] =
    "0800000064000000f043f7ddc7d266aa0a3ea5bfdcbc1bcf02e0a0ae40264fe405d77a8bfea7a1f0fa819c9da48f82f9"
    "060f23b78e71b5f987eebb8fa5cd54fb825dd33a9be10bfea1fbee636933d5fe244bd893a0229cff2ecfbcc2a3f9c7ff"
    "e053facbcdbbf1ff07b8b5016524f6ff6a060f5f478cf9ff5101b2b44dd6fbfffca59a09c099fdff4bd893a0229cfeff"
    "9fd25f6ede8dfffff9b9a88ad7c0ffffa9a64ce94ddfffffa7f4979b77e3ffff4cb4745893f2ffff508e18c1c3f7ffff"
    "78fa779e27fdffffc1c3d71163feffff9be484c5c2ffffff88bbe167d4ffffffee636933d5ffffffb2e74b02efffffff"
    "0dd23afbf5ffffff5ae67cb5fcfffffff30e012afeffffff1b504662ffffffff1c318287ffffffff7c203da6ffffffff"
    "2f37efc6ffffffff5a3f71ebffffffff8bb432f4ffffffff545b43fcffffffff0d3fa3feffffffffbe24f0feffffffff"
    "bcb489ffffffffff04abb8ffffffffff32e0e7ffffffffff2e6af2ffffffffff7e46fdfffffffffffbbefdffffffffff"
    "037efeffffffffff2c6dffffffffffff00000000000000005e180000000000007a61000000000000a8a4000000000000"
    "dfb70100000000008e1803000000000039d103000000000008b70700000000003f712b000000000016e7340000000000"
    "d711630000000000918b9a0000000000a88ad7000000000046f0f00100000000e1d1fc0300000000d8c1c60700000000"
    "e48e7f09000000007458933200000000ec7a6f5100000000f709567100000000135a9cd300000000bb35976804000000"
    "9e0415e104000000092b15480b000000a6f2dae80e000000b78e71b539000000fc5c54c56b000000df54dff76d000000"
    "cc2b3c9a7f00000039e322ad0c0100001ddf2758c5050000cfbcc2a3f90700000f8a719b100d0000f4a80cf40a160000"
    "42b65b7389460000baeabc43808a00002850b3ebbd45010051579d7708500100dd771f4b9ba90600363abe4fb08a0b00"
    "53c50ab821d90e00d0caab260d2d1d00c912f624a808a70063a3e3fb04abb800b1d86683b4ce7e014413b2dd9a4b3402"
    "83bf39875782ee05059fd25f6ede8d070a3ea5bfdcbc1b0f02e0a0ae40264f24e087eebb8fa5cd54";

/* bigValue: the i-th value of the "big" set, as the shell computed it:
 * $(( (i * 0x9E3779B97F4A7C15) >> (i % 48) )) (64-bit wrapping, arithmetic
 * shift). */
static int64_t bigValue(int i) {
    int64_t x = (int64_t)((uint64_t)i * 0x9E3779B97F4A7C15ull);
    return x >> (i % 48);
}

Test(intset, bytes_match_redis_7_dump_payloads) {
    struct { const char *name, *hex; int64_t v[8]; int n; } cases[] = {
        { "SADD s1 1 2 300000", s1_hex, { 1, 2, 300000 }, 3 },
        { "SADD s2 -32768 32767 0", s2_hex, { -32768, 32767, 0 }, 3 },
        { "SADD s3 32768 -32769", s3_hex, { 32768, -32769 }, 2 },
        { "SADD s4 5 -2147483649", s4_hex, { 5, -2147483649 }, 2 },
        { "SADD s5 INT32_MAX INT32_MIN INT64_MAX INT64_MIN", s5_hex,
          { 2147483647, -2147483647 - 1, INT64_MAX, INT64_MIN }, 4 },
        { "SADD s7 1 2 3", s7_hex, { 1, 2, 3 }, 3 },
        { "SADD s8 9 3 7 1 -5 100 65535 -65536 (one at a time)", s8_hex,
          { 9, 3, 7, 1, -5, 100, 65535, -65536 }, 8 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        intset *is = build(cases[c].v, (size_t)cases[c].n);
        assertBytes(is, cases[c].hex, cases[c].name);
        intsetFree(is);
    }
}

Test(intset, bytes_match_redis_after_srem_of_the_wide_value) {
    /* SADD s6 2147483648 7; SREM s6 2147483648 — Redis keeps int64 */
    intset *is = intsetNew();
    is = intsetAdd(is, 2147483648, NULL);
    is = intsetAdd(is, 7, NULL);
    is = intsetRemove(is, 2147483648, NULL);
    assertBytes(is, s6_hex, "s6");
    intsetFree(is);
}

Test(intset, a_100_element_int64_set_matches_redis_byte_for_byte) {
    int64_t v[100];
    for (int i = 0; i < 100; i++) v[i] = bigValue(i);
    intset *is = build(v, 100);
    assertBytes(is, big_hex, "big");
    /* and loading Redis's blob gives the same set */
    unsigned char raw[4096];
    size_t n = unhex(big_hex, raw);
    intset *loaded = intsetFromBlob(raw, n);
    cr_assert_not_null(loaded);
    cr_assert_eq(intsetLen(loaded), 100);
    for (int i = 0; i < 100; i++) cr_assert(intsetFind(loaded, v[i]), "value %d missing", i);
    intsetFree(loaded);
    intsetFree(is);
}

/* ---- validation of untrusted bytes ---------------------------------------- */

Test(intset, validation_rejects_malformed_blobs) {
    unsigned char b[64];
    size_t n = unhex(s1_hex, b);
    cr_assert(intsetValidate(b, n, true));
    cr_assert(!intsetValidate(b, 0, true), "empty input");
    cr_assert(!intsetValidate(b, 7, true), "truncated header");
    cr_assert(!intsetValidate(b, n - 1, true), "truncated contents");
    unsigned char longer[64];
    memcpy(longer, b, n);
    longer[n] = 0;
    cr_assert(!intsetValidate(longer, n + 1, true), "trailing byte");
    for (uint32_t enc = 0; enc < 10; enc++) {
        unsigned char c[64];
        memcpy(c, b, n);
        c[0] = (unsigned char)enc;
        if (enc != 4) cr_assert(!intsetValidate(c, n, false), "encoding %u with a 4-byte size", enc);
    }
    unsigned char c[64];
    memcpy(c, b, n);
    c[4] = 4;                                      /* length 4: size mismatch */
    cr_assert(!intsetValidate(c, n, true));
    memcpy(c, b, n);
    c[7] = 0x80;                                   /* huge length: no overflow, no read */
    cr_assert(!intsetValidate(c, n, true));
    unsigned char empty[8] = { 2, 0, 0, 0, 0, 0, 0, 0 };
    cr_assert(!intsetValidate(empty, 8, true), "Redis rejects an empty intset");
    unsigned char unsorted[] = { 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 3, 0 };
    cr_assert(intsetValidate(unsorted, sizeof unsorted, false), "shallow: shape only");
    cr_assert(!intsetValidate(unsorted, sizeof unsorted, true));
    unsigned char dup[] = { 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 5, 0 };
    cr_assert(!intsetValidate(dup, sizeof dup, true));
    cr_assert_null(intsetFromBlob(dup, sizeof dup));
}

Test(intset, random_garbage_never_crashes_and_accepted_blobs_behave) {
    uint64_t seed = seedRng();
    int accepted = 0;
    for (int round = 0; round < 100000; round++) {
        size_t n = rnd() % 48;
        unsigned char *buf = malloc(n ? n : 1);    /* exact size: ASan sees any overread */
        for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)rnd();
        if (n >= 8 && rnd() % 2) {                 /* a plausible header, random body */
            uint32_t enc = (uint32_t[]){ 2, 4, 8 }[rnd() % 3];
            uint32_t len = (uint32_t)((n - 8) / enc);
            if (rnd() % 4 == 0) len = (uint32_t)rnd();
            memcpy(buf, &enc, 4);
            memcpy(buf + 4, &len, 4);
            if (rnd() % 2 && len < 16) {           /* sorted body */
                for (uint32_t i = 0; i < len && 8 + (i + 1) * enc <= n; i++) {
                    int64_t v = (int64_t)i * 3 - 7;
                    memcpy(buf + 8 + i * enc, &v, enc);   /* little-endian host */
                }
            }
        }
        intset *is = intsetFromBlob(buf, n);
        if (is) {
            accepted++;
            uint32_t len = intsetLen(is);
            cr_assert_eq(intsetBlobLen(is), n, "seed=%llu round %d", (unsigned long long)seed, round);
            int64_t prev = 0, v;
            for (uint32_t i = 0; i < len; i++) {
                cr_assert(intsetGet(is, i, &v));
                if (i) cr_assert_gt(v, prev, "seed=%llu round %d: accepted an unsorted blob",
                                    (unsigned long long)seed, round);
                cr_assert(intsetFind(is, v));
                prev = v;
            }
            is = intsetAdd(is, 12345, NULL);
            cr_assert(intsetFind(is, 12345));
            intsetFree(is);
        }
        free(buf);
    }
    cr_assert_gt(accepted, 100, "seed=%llu: the generator must also produce valid blobs",
                 (unsigned long long)seed);
}

/* ---- oracle fuzzing -------------------------------------------------------- */

typedef struct model {
    int64_t *v;          /* sorted, unique */
    uint32_t n;
    uint32_t enc;        /* widest encoding any added value needed */
} model;

static uint32_t modelFind(const model *m, int64_t x, bool *found) {
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {                  /* the model: a plain lower bound */
        uint32_t mid = (lo + hi) / 2;
        if (m->v[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < m->n && m->v[lo] == x;
    return lo;
}

/* randValue draws from a small pool per width so adds and removes collide. */
static int64_t randValue(void) {
    static const int64_t edges[] = {
        0, 1, -1, 32767, -32768, 32768, -32769, 2147483647, -2147483647 - 1,
        2147483648, -2147483649, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
    };
    switch (rnd() % 8) {
    case 0: return edges[rnd() % (sizeof edges / sizeof edges[0])];
    case 1: case 2: case 3: return (int64_t)(rnd() % 2000) - 1000;
    case 4: case 5: return (int64_t)(rnd() % 2000) * 40000 - 40000000;
    case 6: return (int64_t)(rnd() % 1000) * 9000000000000000ll / 1000 * ((rnd() & 1) ? 1 : -1);
    default: return (int64_t)(rnd() % 600) - 300 + (rnd() % 2 ? 32700 : -32700);
    }
}

static void checkWhole(const intset *is, const model *m, uint64_t seed, int step) {
    cr_assert_eq(intsetLen(is), m->n, "seed=%llu step %d: length", (unsigned long long)seed, step);
    cr_assert_eq(intsetEncoding(is), m->enc, "seed=%llu step %d: encoding", (unsigned long long)seed, step);
    cr_assert_eq(intsetBlobLen(is), 8 + (size_t)m->n * m->enc);
    for (uint32_t i = 0; i < m->n; i++) {
        int64_t v;
        cr_assert(intsetGet(is, i, &v));
        cr_assert_eq(v, m->v[i], "seed=%llu step %d pos %u", (unsigned long long)seed, step, i);
    }
    cr_assert(intsetValidate(is, intsetBlobLen(is), true) || m->n == 0);
}

Test(intset, random_operations_agree_with_a_sorted_array) {
    uint64_t seed = seedRng();
    for (int run = 0; run < 4; run++) {
        model m = { malloc(sizeof(int64_t) * 5000), 0, 2 };
        intset *is = intsetNew();
        int steps = 60000;
        for (int step = 0; step < steps; step++) {
            int64_t x = randValue();
            bool found, got;
            uint32_t pos = modelFind(&m, x, &found), ipos;
            int op = (int)(rnd() % 10);
            if (m.n > 3000) op = 5;                /* keep it bounded: remove */
            if (op < 5) {
                is = intsetAdd(is, x, &got);
                cr_assert_eq(got, !found, "seed=%llu step %d add %lld", (unsigned long long)seed, step,
                             (long long)x);
                if (!found) {
                    memmove(m.v + pos + 1, m.v + pos, (m.n - pos) * sizeof(int64_t));
                    m.v[pos] = x;
                    m.n++;
                    if (intsetValueEncoding(x) > m.enc) m.enc = intsetValueEncoding(x);
                }
            } else if (op < 8) {
                is = intsetRemove(is, x, &got);
                cr_assert_eq(got, found, "seed=%llu step %d remove %lld", (unsigned long long)seed,
                             step, (long long)x);
                if (found) {
                    memmove(m.v + pos, m.v + pos + 1, (m.n - pos - 1) * sizeof(int64_t));
                    m.n--;
                }
            } else if (op == 8) {
                got = intsetSearch(is, x, &ipos);
                cr_assert_eq(got, found, "seed=%llu step %d search", (unsigned long long)seed, step);
                cr_assert_eq(ipos, pos, "seed=%llu step %d search position", (unsigned long long)seed, step);
                cr_assert_eq(intsetFind(is, x), found);
            } else if (m.n > 0) {
                uint32_t at = (uint32_t)(rnd() % m.n);
                int64_t v;
                cr_assert(intsetGet(is, at, &v));
                cr_assert_eq(v, m.v[at]);
                if (rnd() % 2) {
                    is = intsetRemoveAt(is, at);
                    memmove(m.v + at, m.v + at + 1, (m.n - at - 1) * sizeof(int64_t));
                    m.n--;
                } else {
                    int64_t r = intsetRandom(is, rnd);
                    bool in;
                    modelFind(&m, r, &in);
                    cr_assert(in, "seed=%llu step %d: random element not in the set",
                              (unsigned long long)seed, step);
                }
            }
            cr_assert_eq(intsetLen(is), m.n, "seed=%llu step %d", (unsigned long long)seed, step);
            if (step % 1000 == 0) checkWhole(is, &m, seed, step);
        }
        checkWhole(is, &m, seed, steps);
        intset *copy = intsetDup(is);
        checkWhole(copy, &m, seed, steps);
        intsetFree(copy);
        intsetFree(is);
        free(m.v);
    }
}

Test(intset, random_picks_reach_every_element_about_equally) {
    uint64_t seed = seedRng();
    intset *is = intsetNew();
    for (int i = 0; i < 20; i++) is = intsetAdd(is, i * 1000003, NULL);
    int hits[20] = { 0 };
    for (int i = 0; i < 40000; i++) {
        uint32_t pos;
        cr_assert(intsetSearch(is, intsetRandom(is, rnd), &pos));
        hits[pos]++;
    }
    for (int i = 0; i < 20; i++)
        cr_assert(hits[i] > 1600 && hits[i] < 2400, "seed=%llu: element %d drawn %d times of 40000",
                  (unsigned long long)seed, i, hits[i]);
    intsetFree(is);
}
