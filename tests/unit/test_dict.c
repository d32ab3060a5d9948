/* test_dict.c — the aggregate hash table against trivially correct models
 * (an array of candidate keys with presence flags and values), plus its
 * entry layouts, SCAN guarantee, iterators and random picks.
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

#include "storage/dict.h"
#include "storage/hash.h"
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

/* Key i of the candidate domain: mostly short, some past the 255-byte
 * length prefix boundary, so both prefix forms are exercised. */
static size_t keyOf(int i, char *buf) {
    int n = snprintf(buf, 32, "k%d", i);
    if (i % 97 == 0) {               /* a long key: 300 + i%7 bytes */
        size_t len = 300 + (size_t)(i % 7);
        memset(buf + n, 'x', len - (size_t)n);
        return len;
    }
    return (size_t)n;
}

/* idOf parses the number of a key "k<digits>[x...]" (members are not
 * NUL-terminated). */
static int idOf(const char *m, size_t len) {
    int id = 0;
    for (size_t i = 1; i < len && m[i] >= '0' && m[i] <= '9'; i++) id = id * 10 + (m[i] - '0');
    return len > 1 && m[0] == 'k' ? id : -1;
}

/* valueOf fills buf with a value for (key i, version v) whose length walks
 * across the 255 prefix and 512 inline boundaries. */
static size_t valueOf(int i, int v, char *buf) {
    static const size_t lens[] = { 0, 1, 7, 30, 254, 255, 256, 511, 512, 513, 600, 3 };
    size_t len = lens[(size_t)(i + v) % (sizeof lens / sizeof lens[0])];
    for (size_t j = 0; j < len; j++) buf[j] = (char)('a' + (i * 7 + v * 13 + (int)j) % 26);
    return len;
}

/* blockOf: what an allocation of n bytes really takes — the jemalloc size
 * class (16 for 12, 32 for 24, ...), or n itself under the sanitizers'
 * libc malloc, where the exact layout size is what can be checked. */
static size_t blockOf(size_t n) { return zmallocUsable(n); }

/* checkInvariants walks the tables: every entry in its hash's bucket, the
 * counts right, every chain within chainMax, drained buckets empty. */
static void checkInvariants(dict *d, uint64_t seed, int step) {
    uint64_t count[2] = { 0, 0 };
    for (int t = 0; t <= 1; t++) {
        if (d->exp[t] < 0) {
            cr_assert_null(d->t[t], "seed=%llu step %d: table %d without size", SEED, step, t);
            continue;
        }
        uint64_t size = 1ull << d->exp[t];
        for (uint64_t i = 0; i < size; i++) {
            unsigned chain = 0;
            for (dictEntry *e = d->t[t][i]; e; e = e->next) {
                size_t len;
                const char *k = dictEntryKey(d, e, &len);
                cr_assert_eq(dictHashKey(k, len) & (size - 1), i, "seed=%llu step %d: misplaced entry",
                             SEED, step);
                chain++;
                count[t]++;
            }
            cr_assert_leq(chain, d->chainMax[t], "seed=%llu step %d: chain %u over bound %u", SEED,
                          step, chain, d->chainMax[t]);
            if (t == 0 && d->rehashidx >= 0 && (int64_t)i < d->rehashidx)
                cr_assert_null(d->t[0][i], "seed=%llu step %d: drained bucket not empty", SEED, step);
        }
    }
    cr_assert_eq(count[0], d->used[0], "seed=%llu step %d: used[0]", SEED, step);
    cr_assert_eq(count[1], d->used[1], "seed=%llu step %d: used[1]", SEED, step);
    if (d->rehashidx < 0) cr_assert_null(d->t[1]);
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

/* ---- layouts and memory ----------------------------------------------------- */

Test(dict, a_short_set_member_is_one_16_byte_block) {
    dict *d = dictCreate(DICT_SET);
    cr_assert(dictSetAdd(d, "abc", 3));
    dictEntry *e = dictFind(d, "abc", 3);
    cr_assert_not_null(e);
    size_t len;
    cr_assert(memcmp(dictSetMember(e, &len), "abc", 3) == 0 && len == 3);
    cr_assert_eq(dictEntryBytes(d, e), blockOf(8 + 1 + 3), "set member \"abc\": %zu bytes",
                 dictEntryBytes(d, e));
    if (blockOf(12) != 12) cr_assert_eq(dictEntryBytes(d, e), 16, "jemalloc: one 16-byte block");
    cr_assert(dictSetAdd(d, "member:0000001", 14));
    cr_assert_eq(dictEntryBytes(d, dictFind(d, "member:0000001", 14)), blockOf(8 + 1 + 14));
    cr_assert(!dictSetAdd(d, "abc", 3), "a member is added once");
    dictRelease(d);
}

Test(dict, a_hash_field_and_value_share_one_block) {
    dict *d = dictCreate(DICT_HASH);
    cr_assert_eq(dictHashSet(d, "field:1", 7, "value:1", 7, 0), 1);
    dictEntry *e = dictFind(d, "field:1", 7);
    cr_assert_eq(dictEntryBytes(d, e), blockOf(10 + 7 + 7), "pair: %zu bytes", dictEntryBytes(d, e));
    if (blockOf(24) != 24) cr_assert_eq(dictEntryBytes(d, e), 32, "jemalloc: one 32-byte block");
    size_t len;
    cr_assert(memcmp(dictHashField(e, &len), "field:1", 7) == 0 && len == 7);
    cr_assert(memcmp(dictHashValue(e, &len), "value:1", 7) == 0 && len == 7);
    cr_assert_eq(dictHashSet(d, "field:1", 7, "v2", 2, 0), 0, "an update reports 0");
    cr_assert(memcmp(dictHashGet(d, "field:1", 7, &len), "v2", 2) == 0 && len == 2);
    cr_assert_eq(dictHashSet(d, "field:1", 7, "v3", 2, DICT_HSET_NX), -1);
    cr_assert_eq(dictHashSet(d, "nope", 4, "v3", 2, DICT_HSET_XX), -1);
    cr_assert_null(dictFind(d, "nope", 4));
    cr_assert_eq(dictHashSet(d, "field:1", 7, "v4", 2, DICT_HSET_XX), 0);
    cr_assert_eq(dictHashSet(d, "f2", 2, "", 0, DICT_HSET_NX), 1, "empty values are values");
    cr_assert_not_null(dictHashGet(d, "f2", 2, &len));
    cr_assert_eq(len, 0);
    dictRelease(d);
}

Test(dict, hash_values_cross_every_layout_boundary_in_place) {
    dict *d = dictCreate(DICT_HASH);
    char field[400], val[2000];
    memset(field, 'f', sizeof field);
    size_t lens[] = { 0, 5, 254, 255, 256, 512, 513, 1999, 512, 254, 0, 1999, 3 };
    for (int fl = 0; fl < 2; fl++) {
        size_t flen = fl ? 300 : 9;
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            for (size_t j = 0; j < lens[i]; j++) val[j] = (char)('A' + (j + i) % 26);
            int r = dictHashSet(d, field, flen, val, lens[i], 0);
            cr_assert_eq(r, i == 0 ? 1 : 0);
            size_t vl;
            const char *v = dictHashGet(d, field, flen, &vl);
            cr_assert_eq(vl, lens[i], "value length %zu", lens[i]);
            cr_assert(memcmp(v, val, vl) == 0, "value bytes, length %zu", lens[i]);
            dictEntry *e = dictFind(d, field, flen);
            size_t kl;
            cr_assert(dictHashField(e, &kl) != NULL && kl == flen);
            size_t expect = lens[i] > DICT_HVAL_INLINE_MAX ? 0 : lens[i];
            cr_assert_geq(zmallocSize(e), 10 + flen + expect, "inline value lives in the entry");
        }
        cr_assert(dictDelete(d, field, flen));
    }
    cr_assert_eq(dictSize(d), 0);
    dictRelease(d);
}

static void hashSetOnASet(void) {
    dict *d = dictCreate(DICT_SET);
    dictHashSet(d, "f", 1, "v", 1, 0);
}

Test(dict, kind_mismatch_panics) {
    cr_assert(diesWithAbort(hashSetOnASet), "a hash operation on a set dict must panic");
}

/* ---- oracle fuzzing -------------------------------------------------------- */

#define NKEYS 6000

Test(dict, set_operations_agree_with_a_presence_model) {
    uint64_t seed = seedAll();
    dict *d = dictCreate(DICT_SET);
    bool *present = calloc(NKEYS, 1);
    size_t count = 0;
    char k[400];
    for (int step = 0; step < 200000; step++) {
        /* phases: grow towards all keys, then drain (shrinks), repeat */
        int phase = (step / 25000) % 2;
        int i = (int)(rnd() % NKEYS);
        size_t kl = keyOf(i, k);
        int op = (int)(rnd() % 10);
        if (op < 4) {
            if (phase == 0 || rnd() % 4 == 0) {      /* draining: add rarely */
                bool added = dictSetAdd(d, k, kl);
                cr_assert_eq(added, !present[i], "seed=%llu step %d add k%d", SEED, step, i);
                if (added) { present[i] = true; count++; }
            }
        } else if (op < 7) {
            bool removed = dictDelete(d, k, kl);
            cr_assert_eq(removed, present[i], "seed=%llu step %d delete k%d", SEED, step, i);
            if (removed) { present[i] = false; count--; }
        } else if (op < 8) {
            dictEntry *e = dictUnlink(d, k, kl);
            cr_assert_eq(e != NULL, present[i], "seed=%llu step %d unlink", SEED, step);
            if (e) {
                size_t ml;
                const char *m = dictSetMember(e, &ml);
                cr_assert(ml == kl && memcmp(m, k, kl) == 0);
                dictFreeEntry(d, e);
                present[i] = false;
                count--;
            }
        } else if (op < 9) {
            dictEntry *e = dictFind(d, k, kl);
            cr_assert_eq(e != NULL, present[i], "seed=%llu step %d find k%d", SEED, step, i);
        } else {
            dictEntry *e = dictRandom(d, rnd);
            cr_assert_eq(e == NULL, count == 0, "seed=%llu step %d random", SEED, step);
            if (e) {
                size_t ml;
                const char *m = dictSetMember(e, &ml);
                int id = idOf(m, ml);
                cr_assert(id >= 0 && id < NKEYS && present[id], "seed=%llu step %d: random gave a ghost",
                          SEED, step);
            }
        }
        cr_assert_eq(dictSize(d), count, "seed=%llu step %d size", SEED, step);
        if (step % 5000 == 0) {
            checkInvariants(d, seed, step);
            /* every present key once through a safe iterator */
            dictIter it;
            dictIterInit(&it, d, true);
            size_t seen = 0;
            for (dictEntry *e; (e = dictIterNext(&it));) {
                size_t ml;
                const char *m = dictSetMember(e, &ml);
                cr_assert(present[idOf(m, ml)]);
                seen++;
            }
            dictIterRelease(&it);
            cr_assert_eq(seen, count, "seed=%llu step %d iteration count", SEED, step);
        }
        if (step == 120000) dictSetResizeAllowed(false);   /* a fork: hold resizes */
        if (step == 140000) dictSetResizeAllowed(true);
    }
    checkInvariants(d, seed, -1);
    dict *copy = dictDup(d);
    cr_assert_eq(dictSize(copy), count);
    for (int i = 0; i < NKEYS; i++) {
        size_t kl = keyOf(i, k);
        cr_assert_eq(dictContains(copy, k, kl), present[i], "seed=%llu dup key %d", SEED, i);
    }
    checkInvariants(copy, seed, -2);
    dictRelease(copy);
    dictRelease(d);
    free(present);
}

Test(dict, hash_operations_agree_with_a_value_model) {
    uint64_t seed = seedAll();
    dict *d = dictCreate(DICT_HASH);
    int *version = calloc(NKEYS, sizeof(int));   /* 0 = absent, else the value's version */
    size_t count = 0;
    char k[400], v[700], w[700];
    for (int step = 0; step < 150000; step++) {
        int i = (int)(rnd() % (NKEYS / 2));
        size_t kl = keyOf(i, k);
        int op = (int)(rnd() % 10);
        if (op < 5) {
            int flags = rnd() % 5 == 0 ? DICT_HSET_NX : rnd() % 5 == 0 ? DICT_HSET_XX : 0;
            int ver = (int)(rnd() % 1000) + 1;
            size_t vl = valueOf(i, ver, v);
            int r = dictHashSet(d, k, kl, v, vl, flags);
            int want = version[i] ? (flags & DICT_HSET_NX ? -1 : 0) : (flags & DICT_HSET_XX ? -1 : 1);
            cr_assert_eq(r, want, "seed=%llu step %d hset k%d flags %d", SEED, step, i, flags);
            if (r >= 0) version[i] = ver;
            if (r == 1) count++;
        } else if (op < 7) {
            bool removed = dictDelete(d, k, kl);
            cr_assert_eq(removed, version[i] != 0, "seed=%llu step %d hdel", SEED, step);
            if (removed) { version[i] = 0; count--; }
        } else {
            size_t gl;
            const char *g = dictHashGet(d, k, kl, &gl);
            cr_assert_eq(g != NULL, version[i] != 0, "seed=%llu step %d hget presence", SEED, step);
            if (g) {
                size_t wl = valueOf(i, version[i], w);
                cr_assert_eq(gl, wl, "seed=%llu step %d hget length k%d", SEED, step, i);
                cr_assert(memcmp(g, w, wl) == 0, "seed=%llu step %d hget bytes", SEED, step);
            }
        }
        cr_assert_eq(dictSize(d), count);
        if (step % 10000 == 0) checkInvariants(d, seed, step);
    }
    dict *copy = dictDup(d);
    size_t exact = 0;
    dictIter it;
    dictIterInit(&it, copy, false);
    for (dictEntry *e; (e = dictIterNext(&it));) {
        size_t fl, vl;
        const char *f = dictHashField(e, &fl);
        const char *g = dictHashValue(e, &vl);
        int i = idOf(f, fl);
        size_t wl = valueOf(i, version[i], w);
        cr_assert(vl == wl && memcmp(g, w, wl) == 0, "seed=%llu: dup value of k%d", SEED, i);
        exact += dictEntryBytes(copy, e);
    }
    dictIterRelease(&it);
    cr_assert_eq(dictSize(copy), count);
    size_t usage = dictMemUsage(copy, 0);
    cr_assert_eq(usage, exact + zmallocSize(copy) + zmallocSize(copy->t[0]) +
                            (copy->t[1] ? zmallocSize(copy->t[1]) : 0));
    size_t est = dictMemUsage(copy, 200);
    cr_assert(est > usage / 2 && est < usage * 2, "sampled estimate %zu vs exact %zu", est, usage);
    dictRelease(copy);
    dictRelease(d);
    free(version);
}

/* ---- SCAN -------------------------------------------------------------------- */

typedef struct scanState {
    int *seen;
    dict *d;
    bool deleteOdd;       /* the callback deletes odd keys it is given */
} scanState;

static void scanCb(void *arg, dictEntry *e) {
    scanState *s = arg;
    size_t len;
    const char *m = dictSetMember(e, &len);
    int id = idOf(m, len);
    s->seen[id]++;
    if (s->deleteOdd && id % 2 && id < 1000) {
        char k[400];
        size_t kl = keyOf(id, k);
        cr_assert(dictDelete(s->d, k, kl));
    }
}

/* One scan over keys 0..999 while other keys (>= 1000) are added and
 * removed between calls by `pattern`; every key of 0..999 must be seen. */
static void scanWhileResizing(uint64_t seed, int pattern, bool deleteOdd) {
    dict *d = dictCreate(DICT_SET);
    char k[400];
    for (int i = 0; i < 1000; i++) {
        size_t kl = keyOf(i, k);
        dictSetAdd(d, k, kl);
    }
    int *seen = calloc(NKEYS, sizeof(int));
    scanState s = { seen, d, deleteOdd };
    int extra = 1000, calls = 0;
    bool sawRehash = false;
    uint64_t cur = 0;
    do {
        cur = dictScan(d, cur, scanCb, &s);
        calls++;
        sawRehash |= dictIsRehashing(d);
        int burst = (int)(rnd() % 40);
        switch (pattern) {
        case 0:                                  /* grow steadily */
            for (int j = 0; j < burst && extra < NKEYS; j++, extra++) {
                size_t kl = keyOf(extra, k);
                dictSetAdd(d, k, kl);
            }
            break;
        case 1:                                  /* grow a lot, then drain */
            if (calls < 60) {
                for (int j = 0; j < 80 && extra < NKEYS; j++, extra++) {
                    size_t kl = keyOf(extra, k);
                    dictSetAdd(d, k, kl);
                }
            } else {
                for (int j = 0; j < 120 && extra > 1000; j++) {
                    size_t kl = keyOf(--extra, k);
                    dictDelete(d, k, kl);
                }
            }
            break;
        default:                                 /* random churn */
            for (int j = 0; j < burst; j++) {
                int id = 1000 + (int)(rnd() % (NKEYS - 1000));
                size_t kl = keyOf(id, k);
                if (rnd() % 2) dictSetAdd(d, k, kl);
                else dictDelete(d, k, kl);
            }
        }
        if (rnd() % 2) dictRehash(d, (int)(rnd() % 20));   /* other commands' lookups */
        cr_assert_lt(calls, 100000, "seed=%llu: scan does not terminate", SEED);
    } while (cur != 0);
    for (int i = 0; i < 1000; i++)
        cr_assert_geq(seen[i], 1, "seed=%llu pattern %d: key %d never returned by SCAN", SEED, pattern, i);
    if (deleteOdd) {
        for (int i = 0; i < 1000; i++) {
            size_t kl = keyOf(i, k);
            cr_assert_eq(dictContains(d, k, kl), i % 2 == 0, "seed=%llu: delete in scan callback", SEED);
        }
    }
    checkInvariants(d, seed, calls);
    cr_assert(pattern == 2 || sawRehash, "seed=%llu pattern %d: the scan never met a rehash", SEED, pattern);
    free(seen);
    dictRelease(d);
}

Test(dict, scan_returns_every_element_present_throughout_while_the_table_resizes) {
    uint64_t seed = seedAll();
    for (int round = 0; round < 10; round++)
        for (int pattern = 0; pattern < 3; pattern++) scanWhileResizing(seed, pattern, false);
}

Test(dict, the_scan_callback_may_delete_the_entry_it_is_given) {
    uint64_t seed = seedAll();
    for (int pattern = 0; pattern < 3; pattern++) scanWhileResizing(seed, pattern, true);
}

Test(dict, scan_of_an_unchanged_dict_returns_each_element_exactly_once) {
    uint64_t seed = seedAll();
    dict *d = dictCreate(DICT_SET);
    char k[400];
    for (int i = 0; i < 3000; i++) {
        size_t kl = keyOf(i, k);
        dictSetAdd(d, k, kl);
    }
    while (dictRehash(d, 100)) {}
    int *seen = calloc(NKEYS, sizeof(int));
    scanState s = { seen, d, false };
    uint64_t cur = 0;
    do cur = dictScan(d, cur, scanCb, &s); while (cur);
    for (int i = 0; i < 3000; i++) cr_assert_eq(seen[i], 1, "seed=%llu key %d seen %d times", SEED, i, seen[i]);
    free(seen);
    dictRelease(d);
}

/* ---- iterators ---------------------------------------------------------------- */

Test(dict, a_safe_iterator_allows_deleting_the_current_entry_and_adding) {
    uint64_t seed = seedAll();
    dict *d = dictCreate(DICT_SET);
    char k[400];
    for (int i = 0; i < 2000; i++) {
        size_t kl = keyOf(i, k);
        dictSetAdd(d, k, kl);
    }
    /* start mid-rehash: grow once more */
    for (int i = 2000; i < 2100 || !dictIsRehashing(d); i++) {
        size_t kl = keyOf(i, k);
        dictSetAdd(d, k, kl);
    }
    size_t start = dictSize(d);
    int *seen = calloc(NKEYS, sizeof(int));
    dictIter it;
    dictIterInit(&it, d, true);
    int added = 0;
    for (dictEntry *e; (e = dictIterNext(&it));) {
        size_t len;
        const char *m = dictSetMember(e, &len);
        int id = idOf(m, len);
        seen[id]++;
        if (id < 3000) {
            if (id % 3 == 0) {
                char key[400];
                size_t kl = keyOf(id, key);
                cr_assert(dictDelete(d, key, kl));       /* e itself */
            }
            if (added < 500) {
                size_t kl = keyOf(3000 + added++, k);
                dictSetAdd(d, k, kl);
            }
        }
    }
    dictIterRelease(&it);
    cr_assert_eq(d->pauseRehash, 0);
    for (size_t i = 0; i < start; i++) cr_assert_eq(seen[i], 1, "seed=%llu key %zu seen %d", SEED, i, seen[i]);
    checkInvariants(d, seed, 0);
    size_t deleted = 0;
    for (size_t i = 0; i < start; i++) deleted += i % 3 == 0;
    cr_assert_eq(dictSize(d), start - deleted + 500);
    free(seen);
    dictRelease(d);
}

static void changeUnderUnsafeIterator(void) {
    dict *d = dictCreate(DICT_SET);
    for (int i = 0; i < 10; i++) {
        char k[32];
        dictSetAdd(d, k, (size_t)snprintf(k, sizeof k, "m%d", i));
    }
    dictIter it;
    dictIterInit(&it, d, false);
    dictIterNext(&it);
    dictSetAdd(d, "new", 3);
    dictIterRelease(&it);
}

Test(dict, an_unsafe_iterator_panics_if_the_dict_changed) {
    cr_assert(diesWithAbort(changeUnderUnsafeIterator));
}

/* ---- random picks --------------------------------------------------------------- */

/* chiSquare of observed counts against a uniform expectation. */
static double chiSquare(const int *obs, int n, double expect) {
    double x = 0;
    for (int i = 0; i < n; i++) x += (obs[i] - expect) * (obs[i] - expect) / expect;
    return x;
}

Test(dict, random_picks_are_uniform_even_with_uneven_chains) {
    uint64_t seed = seedAll();
    /* Redis's "SRANDMEMBER histogram distribution" check: 10 members,
     * df = 9, chi-square < 40 (p ~ 1e-5). Over many hash seeds, so that
     * collisions (chains of 2-3 in 16 buckets) are certain to occur. */
    for (int round = 0; round < 40; round++) {
        hashSeedInit(rnd() | 1);
        dict *d = dictCreate(DICT_SET);
        for (int i = 0; i < 10; i++) {
            char k[400];
            size_t kl = keyOf(i, k);
            dictSetAdd(d, k, kl);
        }
        int hits[10] = { 0 };
        for (int j = 0; j < 10000; j++) {
            size_t len;
            const char *m = dictSetMember(dictRandom(d, rnd), &len);
            hits[idOf(m, len)]++;
        }
        double x = chiSquare(hits, 10, 1000);
        cr_assert_lt(x, 40, "seed=%llu round %d: chi-square %.1f (chainMax %u)", SEED, round, x,
                     d->chainMax[0]);
        dictRelease(d);
    }
}

Test(dict, random_picks_are_uniform_while_rehashing) {
    uint64_t seed = seedAll();
    dict *d = dictCreate(DICT_SET);
    char k[400];
    int n = 0;
    while (n < 64 || !dictIsRehashing(d)) {     /* stop just after a grow started */
        size_t kl = keyOf(n++, k);
        dictSetAdd(d, k, kl);
    }
    d->pauseRehash++;                            /* hold the half-moved state */
    int *hits = calloc((size_t)n, sizeof(int));
    int draws = n * 500;
    for (int j = 0; j < draws; j++) {
        size_t len;
        const char *m = dictSetMember(dictRandom(d, rnd), &len);
            hits[idOf(m, len)]++;
    }
    d->pauseRehash--;
    double x = chiSquare(hits, n, 500);
    /* df = n-1 (~64-128); mean df, sd sqrt(2 df): allow mean + 8 sd */
    double limit = (n - 1) + 8 * sqrt(2.0 * (n - 1));
    cr_assert_lt(x, limit, "seed=%llu: chi-square %.1f over %d members (limit %.1f)", SEED, x, n, limit);
    free(hits);
    dictRelease(d);
}

Test(dict, sample_returns_distinct_members_each_equally_likely) {
    uint64_t seed = seedAll();
    dict *d = dictCreate(DICT_SET);
    char k[400];
    const int n = 400;
    for (int i = 0; i < n; i++) {
        size_t kl = keyOf(i, k);
        dictSetAdd(d, k, kl);
    }
    dictEntry *out[500];
    size_t wants[] = { 1, 5, 20, 24, 26, 100, 399, 400, 500 };  /* both strategies */
    for (size_t w = 0; w < sizeof wants / sizeof wants[0]; w++) {
        int *hits = calloc((size_t)n, sizeof(int));
        int trials = 4000;
        for (int t = 0; t < trials; t++) {
            size_t got = dictSample(d, out, wants[w], rnd);
            cr_assert_eq(got, wants[w] < (size_t)n ? wants[w] : (size_t)n);
            int local[400] = { 0 };
            for (size_t j = 0; j < got; j++) {
                size_t len;
                const char *m = dictSetMember(out[j], &len);
                int id = idOf(m, len);
                cr_assert_eq(local[id]++, 0, "seed=%llu: sample of %zu repeats key %d", SEED, wants[w], id);
                hits[id]++;
            }
        }
        double p = (double)(wants[w] < (size_t)n ? wants[w] : (size_t)n) / n;
        if (p < 1) {
            /* inclusion counts are binomial: scale by 1/(1-p) for chi-square */
            double x = chiSquare(hits, n, trials * p) / (1 - p);
            double limit = (n - 1) + 8 * sqrt(2.0 * (n - 1));
            cr_assert_lt(x, limit, "seed=%llu: sample of %zu, chi-square %.1f", SEED, wants[w], x);
        }
        free(hits);
    }
    dictRelease(d);
    d = dictCreate(DICT_SET);
    cr_assert_eq(dictSample(d, out, 3, rnd), 0);
    dictRelease(d);
}

/* ---- sizing ------------------------------------------------------------------------ */

Test(dict, tables_grow_at_load_one_and_shrink_below_one_eighth) {
    seedAll();
    dict *d = dictCreate(DICT_SET);
    char k[400];
    for (int i = 0; i < 4; i++) { size_t kl = keyOf(i, k); dictSetAdd(d, k, kl); }
    cr_assert_eq(dictBuckets(d), 4, "4 members fit 4 buckets");
    size_t kl = keyOf(4, k);
    dictSetAdd(d, k, kl);
    cr_assert(dictIsRehashing(d) || dictBuckets(d) == 8, "the fifth member grows the table");
    while (dictRehash(d, 10)) {}
    cr_assert_eq(dictBuckets(d), 8);
    for (int i = 5; i < 1024; i++) { kl = keyOf(i, k); dictSetAdd(d, k, kl); }
    while (dictRehash(d, 10)) {}
    cr_assert_eq(dictBuckets(d), 1024);
    for (int i = 1023; i >= 128; i--) { kl = keyOf(i, k); dictDelete(d, k, kl); }
    cr_assert(!dictIsRehashing(d), "128/1024 is not below 1/8");
    cr_assert_eq(dictBuckets(d), 1024);
    kl = keyOf(127, k);
    dictDelete(d, k, kl);
    cr_assert(dictIsRehashing(d), "127/1024 is");
    while (dictRehash(d, 10)) {}
    cr_assert_eq(dictBuckets(d), 128);
    dictSetResizeAllowed(false);
    for (int i = 126; i >= 0; i--) { kl = keyOf(i, k); dictDelete(d, k, kl); }
    cr_assert_eq(dictBuckets(d), 128, "no shrink while resizes are held");
    for (int i = 0; i < 128 * 6; i++) { kl = keyOf(i, k); dictSetAdd(d, k, kl); }
    cr_assert_eq(dictBuckets(d), 128, "no grow up to load 6 (integer ratio 5) while held");
    for (int i = 768; i < 780; i++) { kl = keyOf(i, k); dictSetAdd(d, k, kl); }
    cr_assert_gt(dictBuckets(d), 128, "past it, it grows anyway");
    dictSetResizeAllowed(true);
    dictRelease(d);

    d = dictCreate(DICT_HASH);
    cr_assert(dictExpand(d, 1000));
    cr_assert_eq(dictBuckets(d), 1024);
    for (int i = 0; i < 1000; i++) { kl = keyOf(i, k); dictHashSet(d, k, kl, "v", 1, 0); }
    cr_assert(!dictIsRehashing(d), "presized: no rehash during the load");
    dictRelease(d);
}

/* ---- memory report -------------------------------------------------------------------- */

Test(dict, memory_per_element_of_each_kind) {
    seedAll();
    dict *s = dictCreate(DICT_SET), *h = dictCreate(DICT_HASH);
    size_t setBytes = 0, hashBytesTotal = 0;
    for (int i = 0; i < 1000; i++) {
        char m[32], v[32];
        size_t ml = (size_t)snprintf(m, sizeof m, "member:%06d", i);
        size_t vl = (size_t)snprintf(v, sizeof v, "value:%06d", i);
        dictSetAdd(s, m, ml);
        dictHashSet(h, m, ml, v, vl, 0);
    }
    dictIter it;
    dictIterInit(&it, s, false);
    for (dictEntry *e; (e = dictIterNext(&it));) setBytes += dictEntryBytes(s, e);
    dictIterRelease(&it);
    dictIterInit(&it, h, false);
    for (dictEntry *e; (e = dictIterNext(&it));) hashBytesTotal += dictEntryBytes(h, e);
    dictIterRelease(&it);
    cr_log_info("set member (13 bytes): %zu bytes/entry + %.1f bytes/entry of buckets",
                setBytes / 1000, 8.0 * (double)dictBuckets(s) / 1000);
    cr_log_info("hash field+value (13+12 bytes): %zu bytes/entry", hashBytesTotal / 1000);
    cr_assert_eq(setBytes / 1000, blockOf(8 + 1 + 13), "8 + 1 + 13 = 22 -> 32 with jemalloc");
    cr_assert_eq(hashBytesTotal / 1000, blockOf(10 + 13 + 12), "10 + 13 + 12 = 35 -> 48 with jemalloc");
    dictRelease(s);
    dictRelease(h);
}
