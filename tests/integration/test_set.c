/* test_set.c — the set family: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD
 * SPOP SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE
 * SDIFF SDIFFSTORE SSCAN.
 *
 * Exact replies and error texts in RESP2 (hiredis) and RESP3 (raw client
 * after HELLO 3), the order in which Redis checks arguments, types and
 * missing keys, the random commands (sizes, membership, distinctness, and a
 * coarse fairness check per encoding), SSCAN over small and large sets,
 * encodings at their boundaries, and SMOVE's atomicity under concurrent
 * clients on a 4-thread server.
 *
 * Every expectation was checked against redis-server 7.0.15 (run with
 * ROOST_ORACLE=redis), except the tests named "listpack ..." that check the
 * listpack encoding of small sets: roost follows Redis 7.2 there (intset →
 * listpack → hashtable, with set-max-listpack-entries/value), which 7.0 does
 * not have; those tests skip themselves under the oracle. Where a reply's
 * order depends on the encoding (strings in a 7.0 hashtable vs a roost
 * listpack), the test sorts the members; all-integer sets are intsets in
 * both and come back in ascending order, which is checked exactly.
 *
 * Servers: `s` (defaults) serves most tests, each on its own key names;
 * `sThreads` runs roost with 4 threads for the concurrency tests (a plain
 * server under the oracle); `sSmall` has set-max-intset-entries 4 for the
 * conversion boundary.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static srv *s;          /* defaults */
static srv *sThreads;   /* threads 4 (roost only) */
static srv *sSmall;     /* set-max-intset-entries 4 */

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "-ERR value is not an integer or out of range"
#define NOT_POSITIVE "-ERR value is out of range, must be positive"
#define SYNTAX "-ERR syntax error"
#define ARITY(cmd) "-ERR wrong number of arguments for '" cmd "' command"

/* ---- helpers --------------------------------------------------------------------- */

static int cmpStr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* arrayOf: the reply of cmdline if it is an array (hiredis splits RESP2
 * sets as arrays), else NULL after recording why. The caller frees it. */
static redisReply *arrayOf(redisContext *c, const char *cmdline) {
    char *copy = strdup(cmdline), *save = NULL, *argv[64];
    int argc = 0;
    for (char *t = strtok_r(copy, " ", &save); t && argc < 64; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    redisReply *r = redisCommandArgv(c, argc, (const char **)argv, NULL);
    free(copy);
    if (!r || r->type != REDIS_REPLY_ARRAY) {
        harnessFail(__FILE__, __LINE__, "%s: not an array: %s", cmdline, replyText(r));
        if (r) freeReplyObject(r);
        return NULL;
    }
    return r;
}

/* fill adds members printf(fmt, i) for i in [from, from+n) to key, in SADDs
 * of up to 200 members; returns how many were new. */
static long long fill(redisContext *c, const char *key, const char *fmt, int from, int n) {
    long long added = 0;
    int i = from;
    while (i < from + n) {
        const char *argv[202];
        char buf[200][128];
        int argc = 0;
        argv[argc++] = "SADD";
        argv[argc++] = key;
        for (int k = 0; k < 200 && i < from + n; k++, i++) {
            snprintf(buf[k], sizeof buf[k], fmt, i);
            argv[argc++] = buf[k];
        }
        redisReply *r = redisCommandArgv(c, argc, argv, NULL);
        if (!r || r->type != REDIS_REPLY_INTEGER) {
            harnessFail(__FILE__, __LINE__, "fill %s: %s", key, replyText(r));
            if (r) freeReplyObject(r);
            return added;
        }
        added += r->integer;
        freeReplyObject(r);
    }
    return added;
}

/* checkDistinctMembers: the array r holds `want` distinct strings, each a
 * member of key (checked with SMISMEMBER). */
static void checkDistinctMembers(redisContext *c, redisReply *r, const char *key, size_t want,
                                 bool distinct, int line) {
    if (r->elements != want) {
        harnessFail(__FILE__, line, "expected %zu elements, got %zu", want, r->elements);
        return;
    }
    char **v = malloc(sizeof(char *) * (want + 1));
    for (size_t i = 0; i < want; i++) v[i] = r->element[i]->str;
    qsort(v, want, sizeof(char *), cmpStr);
    if (distinct)
        for (size_t i = 1; i < want; i++)
            if (strcmp(v[i - 1], v[i]) == 0)
                harnessFail(__FILE__, line, "member %s returned twice", v[i]);
    for (size_t i = 0; i < want; i++) {
        redisReply *m = redisCommand(c, "SISMEMBER %s %s", key, v[i]);
        if (!m || m->type != REDIS_REPLY_INTEGER || m->integer != 1)
            harnessFail(__FILE__, line, "%s is not a member of %s", v[i], key);
        if (m) freeReplyObject(m);
    }
    free(v);
}

static raw *resp3(srv *x) {
    raw *r = rawConnect(x);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*\"proto\": :3*}");
    return r;
}

#define ROOST_ONLY(why) \
    do { if (srvIsOracle()) SKIP("roost-specific: %s", why); } while (0)

/* ---- SADD SREM SCARD SMEMBERS SISMEMBER SMISMEMBER ----------------------------------- */

TEST(sadd_counts_new_members_and_smembers_lists_integers_in_order) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD ba:s 3 1 2", ":3");
    EXPECT(c, "SADD ba:s 2 4 4 -7", ":2");
    EXPECT(c, "SMEMBERS ba:s", "[\"-7\", \"1\", \"2\", \"3\", \"4\"]");
    EXPECT(c, "SCARD ba:s", ":5");
    EXPECT(c, "TYPE ba:s", "+set");
    EXPECT(c, "OBJECT ENCODING ba:s", "\"intset\"");
    EXPECT(c, "SADD ba:big 9223372036854775807 -9223372036854775808 0", ":3");
    EXPECT(c, "SMEMBERS ba:big", "[\"-9223372036854775808\", \"0\", \"9223372036854775807\"]");
    EXPECT(c, "SCARD ba:missing", ":0");
    EXPECT(c, "SMEMBERS ba:missing", "[]");
    EXPECT(c, "SADD ba:w a b c a", ":3");
    CHECK_STR(cliCallSorted(c, "SMEMBERS ba:w"), "a b c");
    EXPECT(c, "SADD ba:w c d", ":1");
    EXPECT(c, "SCARD ba:w", ":4");
}

TEST(integer_lookalikes_are_distinct_strings) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD ll:s 7 007 +7 \" 7\" 7.0 -0 0", ":7");
    EXPECT(c, "SCARD ll:s", ":7");
    EXPECT(c, "SMISMEMBER ll:s 7 007 +7 \" 7\" 7.0 -0 0 07", "[:1, :1, :1, :1, :1, :1, :1, :0]");
    EXPECT(c, "SREM ll:s 7 0", ":2");
    CHECK_STR(cliCallSorted(c, "SMEMBERS ll:s"), " 7 +7 -0 007 7.0");
    EXPECT(c, "SADD ll:i 1 2", ":2");
    EXPECT(c, "SISMEMBER ll:i 01", ":0");
    EXPECT(c, "SISMEMBER ll:i 1", ":1");
    EXPECT(c, "SREM ll:i 01 x", ":0");
    EXPECT(c, "SCARD ll:i", ":2");
}

TEST(members_are_binary_safe_and_may_be_empty) {
    redisContext *c = cliConnect(s);
    const char *argv[] = { "SADD", "bs:s", "", "a\0b", "a\r\nb", "\xff" };
    size_t lens[] = { 4, 4, 0, 3, 4, 1 };
    EXPECTV(c, 6, argv, lens, ":4");
    EXPECT(c, "SCARD bs:s", ":4");
    EXPECT(c, "SISMEMBER bs:s \"\"", ":1");
    EXPECT(c, "SISMEMBER bs:s \"a\\x00b\"", ":1");
    EXPECT(c, "SISMEMBER bs:s a", ":0");
    EXPECT(c, "SREM bs:s \"a\\r\\nb\" \"\\xff\"", ":2");
    EXPECT_MATCH(c, "SMEMBERS bs:s", "[*\"\"*]");
    EXPECT_MATCH(c, "SMEMBERS bs:s", "[*\"a\\x00b\"*]");
}

TEST(srem_counts_removed_members_and_deletes_the_emptied_key) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SREM sr:missing a", ":0");
    EXPECT(c, "SADD sr:s 1 2 3 a", ":4");
    EXPECT(c, "SREM sr:s 9 x", ":0");
    EXPECT(c, "SREM sr:s 1 1 a", ":2");
    CHECK_STR(cliCallSorted(c, "SMEMBERS sr:s"), "2 3");
    EXPECT(c, "SREM sr:s 2 3 4", ":2");
    EXPECT(c, "EXISTS sr:s", ":0");
    EXPECT(c, "SADD sr:t x", ":1");
    EXPECT(c, "SREM sr:t x", ":1");
    EXPECT(c, "EXISTS sr:t", ":0");
}

TEST(sismember_and_smismember) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD sm:s 1 2 b", ":3");
    EXPECT(c, "SISMEMBER sm:s 1", ":1");
    EXPECT(c, "SISMEMBER sm:s b", ":1");
    EXPECT(c, "SISMEMBER sm:s 3", ":0");
    EXPECT(c, "SISMEMBER sm:missing 1", ":0");
    EXPECT(c, "SMISMEMBER sm:s 1 3 b b", "[:1, :0, :1, :1]");
    EXPECT(c, "SMISMEMBER sm:missing 1 2", "[:0, :0]");
}

TEST(sadd_keeps_the_ttl_and_sets_expire) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD tt:s a", ":1");
    EXPECT(c, "PEXPIRE tt:s 100000", ":1");
    EXPECT(c, "SADD tt:s b", ":1");
    EXPECT(c, "SREM tt:s a", ":1");
    long long pttl = -3;
    sscanf(cliCall(c, "PTTL tt:s"), ":%lld", &pttl);
    CHECK(pttl > 90000 && pttl <= 100000, "PTTL %lld", pttl);
    EXPECT(c, "SADD tt:e a", ":1");
    EXPECT(c, "PEXPIRE tt:e 50", ":1");
    CHECK(WAIT_FOR(strcmp(cliCall(c, "EXISTS tt:e"), ":0") == 0, 3000));
    EXPECT(c, "SCARD tt:e", ":0");
    EXPECT(c, "SADD tt:e b", ":1");
    EXPECT(c, "SMEMBERS tt:e", "[\"b\"]");
    EXPECT(c, "PTTL tt:e", ":-1");
}

/* ---- errors -------------------------------------------------------------------------- */

TEST(every_command_refuses_a_key_of_another_type) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET wt:str x", "+OK");
    EXPECT(c, "SADD wt:set 1", ":1");
    EXPECT(c, "SADD wt:str a", WRONGTYPE);
    EXPECT(c, "SREM wt:str a", WRONGTYPE);
    EXPECT(c, "SMEMBERS wt:str", WRONGTYPE);
    EXPECT(c, "SISMEMBER wt:str a", WRONGTYPE);
    EXPECT(c, "SMISMEMBER wt:str a", WRONGTYPE);
    EXPECT(c, "SCARD wt:str", WRONGTYPE);
    EXPECT(c, "SPOP wt:str", WRONGTYPE);
    EXPECT(c, "SPOP wt:str 1", WRONGTYPE);
    EXPECT(c, "SPOP wt:str 0", WRONGTYPE);
    EXPECT(c, "SRANDMEMBER wt:str", WRONGTYPE);
    EXPECT(c, "SRANDMEMBER wt:str 1", WRONGTYPE);
    EXPECT(c, "SRANDMEMBER wt:str 0", WRONGTYPE);
    EXPECT(c, "SSCAN wt:str 0", WRONGTYPE);
    /* multi-key: every key's type is checked, even after a missing key */
    EXPECT(c, "SINTER wt:missing wt:str", WRONGTYPE);
    EXPECT(c, "SINTER wt:str wt:missing", WRONGTYPE);
    EXPECT(c, "SINTERCARD 2 wt:missing wt:str", WRONGTYPE);
    EXPECT(c, "SUNION wt:missing wt:str", WRONGTYPE);
    EXPECT(c, "SDIFF wt:missing wt:str", WRONGTYPE);
    EXPECT(c, "SDIFF wt:set wt:str", WRONGTYPE);
    EXPECT(c, "SINTERSTORE wt:d wt:missing wt:str", WRONGTYPE);
    EXPECT(c, "SUNIONSTORE wt:d wt:set wt:str", WRONGTYPE);
    EXPECT(c, "SDIFFSTORE wt:d wt:missing wt:str", WRONGTYPE);
    EXPECT(c, "EXISTS wt:d", ":0");
    /* SMOVE: a missing source answers 0 before the destination's type is seen */
    EXPECT(c, "SMOVE wt:missing wt:str 1", ":0");
    EXPECT(c, "SMOVE wt:str wt:set 1", WRONGTYPE);
    EXPECT(c, "SMOVE wt:set wt:str 1", WRONGTYPE);
    EXPECT(c, "SMOVE wt:set wt:str 99", WRONGTYPE);
    EXPECT(c, "SMEMBERS wt:set", "[\"1\"]");
    EXPECT(c, "GET wt:str", "\"x\"");
}

TEST(arity_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD", ARITY("sadd"));
    EXPECT(c, "SADD k", ARITY("sadd"));
    EXPECT(c, "SREM k", ARITY("srem"));
    EXPECT(c, "SMEMBERS", ARITY("smembers"));
    EXPECT(c, "SMEMBERS a b", ARITY("smembers"));
    EXPECT(c, "SISMEMBER k", ARITY("sismember"));
    EXPECT(c, "SISMEMBER k a b", ARITY("sismember"));
    EXPECT(c, "SMISMEMBER k", ARITY("smismember"));
    EXPECT(c, "SCARD", ARITY("scard"));
    EXPECT(c, "SPOP", ARITY("spop"));
    EXPECT(c, "SRANDMEMBER", ARITY("srandmember"));
    EXPECT(c, "SMOVE a b", ARITY("smove"));
    EXPECT(c, "SMOVE a b c d", ARITY("smove"));
    EXPECT(c, "SINTER", ARITY("sinter"));
    EXPECT(c, "SINTERCARD 1", ARITY("sintercard"));
    EXPECT(c, "SINTERSTORE d", ARITY("sinterstore"));
    EXPECT(c, "SUNION", ARITY("sunion"));
    EXPECT(c, "SUNIONSTORE d", ARITY("sunionstore"));
    EXPECT(c, "SDIFF", ARITY("sdiff"));
    EXPECT(c, "SDIFFSTORE d", ARITY("sdiffstore"));
    EXPECT(c, "SSCAN k", ARITY("sscan"));
}

/* ---- SPOP ------------------------------------------------------------------------------ */

TEST(spop_without_count) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SPOP sp:missing", "(nil)");
    EXPECT(c, "SADD sp:one only", ":1");
    EXPECT(c, "SPOP sp:one", "\"only\"");
    EXPECT(c, "EXISTS sp:one", ":0");
    EXPECT(c, "SADD sp:i 5", ":1");
    EXPECT(c, "SPOP sp:i", "\"5\"");
    EXPECT(c, "EXISTS sp:i", ":0");
    /* every member comes out once, then nil */
    EXPECT(c, "SADD sp:s 1 2 3 a b", ":5");
    const char *got[5];
    for (int i = 0; i < 5; i++) got[i] = cliCall(c, "SPOP sp:s");
    qsort(got, 5, sizeof(char *), cmpStr);
    CHECK_STR(tfmt("%s %s %s %s %s", got[0], got[1], got[2], got[3], got[4]),
              "\"1\" \"2\" \"3\" \"a\" \"b\"");
    EXPECT(c, "SPOP sp:s", "(nil)");
    EXPECT(c, "EXISTS sp:s", ":0");
    EXPECT(c, "SPOP sp:s 1 2", SYNTAX);
    EXPECT(c, "SPOP sp:missing 1 2", SYNTAX);
}

TEST(spop_with_count_checks_the_count_before_the_key) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SPOP spc:missing 2", "[]");
    EXPECT(c, "SPOP spc:missing 0", "[]");
    EXPECT(c, "SPOP spc:missing -1", NOT_POSITIVE);
    EXPECT(c, "SPOP spc:missing x", NOT_POSITIVE);
    EXPECT(c, "SPOP spc:missing 99999999999999999999", NOT_POSITIVE);
    EXPECT(c, "SET spc:str x", "+OK");
    EXPECT(c, "SPOP spc:str x", NOT_POSITIVE);
    EXPECT(c, "SADD spc:s 1 2 3", ":3");
    EXPECT(c, "SPOP spc:s 0", "[]");
    EXPECT(c, "SCARD spc:s", ":3");
    /* a count at least the size takes everything, in order for an intset */
    EXPECT(c, "SPOP spc:s 3", "[\"1\", \"2\", \"3\"]");
    EXPECT(c, "EXISTS spc:s", ":0");
    EXPECT(c, "SADD spc:t 3 1 2", ":3");
    EXPECT(c, "SPOP spc:t 100", "[\"1\", \"2\", \"3\"]");
    EXPECT(c, "EXISTS spc:t", ":0");
}

/* spopCheck pops count members from a set of `size` members built by
 * fill(fmt) and checks: distinct, from the set, gone from it, the rest kept. */
static void spopCheck(redisContext *c, const char *key, const char *fmt, int size, int count,
                      const char *encAfter) {
    cliCall(c, tfmt("DEL %s", key));
    CHECK(fill(c, key, fmt, 0, size) == size);
    redisReply *r = redisCommand(c, "SPOP %s %d", key, count);
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY, "SPOP %s %d: %s", key, count, replyText(r));
    CHECK(r->elements == (size_t)count, "SPOP %s %d gave %zu", key, count, r->elements);
    char **v = malloc(sizeof(char *) * r->elements);
    for (size_t i = 0; i < r->elements; i++) v[i] = r->element[i]->str;
    qsort(v, r->elements, sizeof(char *), cmpStr);
    for (size_t i = 1; i < r->elements; i++)
        CHECK(strcmp(v[i - 1], v[i]) != 0, "SPOP %s returned %s twice", key, v[i]);
    for (size_t i = 0; i < r->elements; i++) {
        int n = -1;
        char tail[8];
        CHECK(sscanf(v[i], fmt[0] == '%' ? "%d%1s" : "m%d%1s", &n, tail) == 1 && n >= 0 &&
                  n < size, "SPOP %s returned a stranger: %s", key, v[i]);
        EXPECT(c, tfmt("SISMEMBER %s %s", key, v[i]), ":0");
    }
    free(v);
    freeReplyObject(r);
    EXPECT(c, tfmt("SCARD %s", key), tfmt(":%d", size - count));
    CHECK(fill(c, key, fmt, 0, size) == count, "the survivors are not the others");
    if (encAfter) {
        cliCall(c, tfmt("DEL %s", key));
        fill(c, key, fmt, 0, size);
        redisReply *q = redisCommand(c, "SPOP %s %d", key, count);
        if (q) freeReplyObject(q);
        EXPECT(c, tfmt("OBJECT ENCODING %s", key), tfmt("\"%s\"", encAfter));
    }
}

TEST(spop_with_count_returns_distinct_members_and_removes_them) {
    redisContext *c = cliConnect(s);
    spopCheck(c, "spd:i", "%d", 100, 10, "intset");          /* intset, few */
    spopCheck(c, "spd:i", "%d", 100, 90, "intset");          /* intset, most */
    spopCheck(c, "spd:h", "%d", 1000, 100, "hashtable");     /* hashtable, few */
    spopCheck(c, "spd:h", "%d", 1000, 990, "intset");        /* survivors rebuilt: 10 ints */
    spopCheck(c, "spd:h", "%d", 1000, 999, "intset");
    spopCheck(c, "spd:w", "m%d", 1000, 500, "hashtable");
    spopCheck(c, "spd:w", "m%d", 1000, 995, NULL);
    spopCheck(c, "spd:l", "m%d", 50, 20, NULL);
    spopCheck(c, "spd:l", "m%d", 50, 49, NULL);
}

/* ---- SRANDMEMBER ---------------------------------------------------------------------- */

TEST(srandmember_replies_and_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SRANDMEMBER sa:missing", "(nil)");
    EXPECT(c, "SRANDMEMBER sa:missing 2", "[]");
    EXPECT(c, "SRANDMEMBER sa:missing -2", "[]");
    EXPECT(c, "SRANDMEMBER sa:missing x", NOT_INT);
    EXPECT(c, "SRANDMEMBER sa:missing 1 2", SYNTAX);
    EXPECT(c, "SADD sa:s 1 2 3", ":3");
    EXPECT(c, "SRANDMEMBER sa:s 0", "[]");
    EXPECT(c, "SRANDMEMBER sa:s x", NOT_INT);
    EXPECT(c, "SRANDMEMBER sa:s 1.5", NOT_INT);
    EXPECT(c, "SRANDMEMBER sa:s -9223372036854775808",
           "-ERR value is out of range, value must between -9223372036854775807 and "
           "9223372036854775807");
    EXPECT(c, "SRANDMEMBER sa:s 1 2", SYNTAX);
    /* a count at least the size: the whole set, in order for an intset */
    EXPECT(c, "SRANDMEMBER sa:s 3", "[\"1\", \"2\", \"3\"]");
    EXPECT(c, "SRANDMEMBER sa:s 9223372036854775807", "[\"1\", \"2\", \"3\"]");
    EXPECT_MATCH(c, "SRANDMEMBER sa:s", "\"?\"");
    EXPECT_MATCH(c, "SRANDMEMBER sa:s 1", "[\"?\"]");
    EXPECT_MATCH(c, "SRANDMEMBER sa:s -5", "[\"?\", \"?\", \"?\", \"?\", \"?\"]");
    EXPECT(c, "SCARD sa:s", ":3");
    EXPECT(c, "SADD sa:one x", ":1");
    EXPECT(c, "SRANDMEMBER sa:one -3", "[\"x\", \"x\", \"x\"]");
    EXPECT(c, "SRANDMEMBER sa:one 3", "[\"x\"]");
}

static void srandCheck(redisContext *c, const char *key, const char *fmt, int size) {
    cliCall(c, tfmt("DEL %s", key));
    CHECK(fill(c, key, fmt, 0, size) == size);
    int counts[] = { 1, 2, size / 3, size / 2, size - 1, size, size + 5 };
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        if (counts[k] < 1) continue;
        redisReply *r = redisCommand(c, "SRANDMEMBER %s %d", key, counts[k]);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY);
        size_t want = counts[k] < size ? (size_t)counts[k] : (size_t)size;
        checkDistinctMembers(c, r, key, want, true, __LINE__);
        freeReplyObject(r);
        r = redisCommand(c, "SRANDMEMBER %s %d", key, -counts[k]);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY);
        checkDistinctMembers(c, r, key, (size_t)counts[k], false, __LINE__);
        freeReplyObject(r);
    }
    EXPECT(c, tfmt("SCARD %s", key), tfmt(":%d", size));
}

TEST(srandmember_with_count_is_distinct_for_positive_counts_and_repeats_for_negative) {
    redisContext *c = cliConnect(s);
    srandCheck(c, "sr:i", "%d", 40);       /* intset */
    srandCheck(c, "sr:l", "m%d", 40);      /* listpack (7.2) / hashtable (7.0) */
    srandCheck(c, "sr:h", "m%d", 700);     /* hashtable */
    srandCheck(c, "sr:hi", "%d", 600);     /* hashtable of integers */
}

/* fairness: each of n members is drawn about equally often by SRANDMEMBER
 * key, and (roost only) as the first element of SRANDMEMBER key 3. */
static void fairCheck(redisContext *c, const char *key, const char *fmt, int n) {
    enum { DRAWS = 4000 };
    int *hits = calloc((size_t)n, sizeof(int));
    int *first = calloc((size_t)n, sizeof(int));
    cliCall(c, tfmt("DEL %s", key));
    fill(c, key, fmt, 0, n);
    for (int i = 0; i < DRAWS; i++) {
        redisAppendCommand(c, "SRANDMEMBER %s", key);
        redisAppendCommand(c, "SRANDMEMBER %s 3", key);
    }
    for (int i = 0; i < DRAWS; i++) {
        redisReply *a, *b;
        REQUIRE(redisGetReply(c, (void **)&a) == REDIS_OK && a->type == REDIS_REPLY_STRING);
        REQUIRE(redisGetReply(c, (void **)&b) == REDIS_OK && b->type == REDIS_REPLY_ARRAY &&
                b->elements == 3);
        int x = -1, y = -1;
        sscanf(a->str + (fmt[0] == 'm'), "%d", &x);
        sscanf(b->element[0]->str + (fmt[0] == 'm'), "%d", &y);
        if (x >= 0 && x < n) hits[x]++;
        if (y >= 0 && y < n) first[y]++;
        freeReplyObject(a);
        freeReplyObject(b);
    }
    /* expected DRAWS/n each; allow +-50% (n <= 10: far beyond 5 sigma) */
    int lo = DRAWS / n / 2, hi = DRAWS / n * 3 / 2;
    for (int i = 0; i < n; i++) {
        CHECK(hits[i] >= lo && hits[i] <= hi, "%s: member %d drawn %d times of %d", key, i,
              hits[i], DRAWS);
        /* Redis answers a small distinct sample in the set's own order;
         * roost shuffles it, so its first element is uniform too */
        if (!srvIsOracle())
            CHECK(first[i] >= lo && first[i] <= hi, "%s: member %d first %d times of %d", key,
                  i, first[i], DRAWS);
    }
    free(hits);
    free(first);
}

TEST(random_members_are_drawn_fairly) {
    redisContext *c = cliConnect(s);
    fairCheck(c, "fa:i", "%d", 8);
    fairCheck(c, "fa:l", "m%d", 8);
    /* a hashtable: 8 long members (over 64 bytes) */
    fairCheck(c, "fa:h", "m%d-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 8);
    EXPECT(c, "OBJECT ENCODING fa:h", "\"hashtable\"");
}

/* ---- SMOVE ------------------------------------------------------------------------------ */

TEST(smove_moves_one_member) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD mv:a 1 2 x", ":3");
    EXPECT(c, "SADD mv:b 2 3", ":2");
    EXPECT(c, "SMOVE mv:a mv:b 1", ":1");
    EXPECT(c, "SMEMBERS mv:b", "[\"1\", \"2\", \"3\"]");
    EXPECT(c, "SMOVE mv:a mv:b 2", ":1");          /* already in b: b unchanged */
    EXPECT(c, "SMEMBERS mv:b", "[\"1\", \"2\", \"3\"]");
    EXPECT(c, "SMEMBERS mv:a", "[\"x\"]");
    EXPECT(c, "SMOVE mv:a mv:b 9", ":0");
    EXPECT(c, "SMOVE mv:missing mv:b 1", ":0");
    EXPECT(c, "SMOVE mv:a mv:a x", ":1");          /* same key: membership only */
    EXPECT(c, "SMOVE mv:a mv:a y", ":0");
    EXPECT(c, "SMEMBERS mv:a", "[\"x\"]");
    /* the source goes when emptied; a missing destination is created */
    EXPECT(c, "SMOVE mv:a mv:new x", ":1");
    EXPECT(c, "EXISTS mv:a", ":0");
    EXPECT(c, "SMEMBERS mv:new", "[\"x\"]");
    EXPECT(c, "TYPE mv:new", "+set");
    EXPECT(c, "SMOVE mv:b mv:new2 3", ":1");
    EXPECT(c, "OBJECT ENCODING mv:new2", "\"intset\"");
    EXPECT(c, "SMEMBERS mv:b", "[\"1\", \"2\"]");
    /* moving a string into an intset converts it */
    EXPECT(c, "SMOVE mv:new mv:b x", ":1");
    CHECK_STR(cliCallSorted(c, "SMEMBERS mv:b"), "1 2 x");
}

/* ---- SINTER SINTERCARD SINTERSTORE ------------------------------------------------------ */

TEST(sinter_and_sinterstore) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD in:a 1 2 3 4 5", ":5");
    EXPECT(c, "SADD in:b 4 5 6 7", ":4");
    EXPECT(c, "SADD in:c 5 7 9", ":3");
    EXPECT(c, "SINTER in:a", "[\"1\", \"2\", \"3\", \"4\", \"5\"]");
    EXPECT(c, "SINTER in:a in:b", "[\"4\", \"5\"]");
    EXPECT(c, "SINTER in:b in:a", "[\"4\", \"5\"]");
    EXPECT(c, "SINTER in:a in:b in:c", "[\"5\"]");
    EXPECT(c, "SINTER in:a in:a in:b", "[\"4\", \"5\"]");
    EXPECT(c, "SINTER in:a in:b in:missing", "[]");
    EXPECT(c, "SINTER in:missing", "[]");
    EXPECT(c, "SADD in:w x y z 5", ":4");
    EXPECT(c, "SADD in:v y z q", ":3");
    CHECK_STR(cliCallSorted(c, "SINTER in:w in:v"), "y z");
    EXPECT(c, "SINTER in:w in:a", "[\"5\"]");
    EXPECT(c, "SINTER in:a in:w", "[\"5\"]");
    /* store: the count, the destination replaced (any type, TTL dropped) */
    EXPECT(c, "SET in:d x", "+OK");
    EXPECT(c, "EXPIRE in:d 1000", ":1");
    EXPECT(c, "SINTERSTORE in:d in:a in:b", ":2");
    EXPECT(c, "SMEMBERS in:d", "[\"4\", \"5\"]");
    EXPECT(c, "TTL in:d", ":-1");
    EXPECT(c, "OBJECT ENCODING in:d", "\"intset\"");
    EXPECT(c, "SINTERSTORE in:d in:w in:v", ":2");
    CHECK_STR(cliCallSorted(c, "SMEMBERS in:d"), "y z");
    /* an empty result deletes the destination */
    EXPECT(c, "SINTERSTORE in:d in:a in:missing", ":0");
    EXPECT(c, "EXISTS in:d", ":0");
    EXPECT(c, "SADD in:d q", ":1");
    EXPECT(c, "SINTERSTORE in:d in:a in:v", ":0");
    EXPECT(c, "EXISTS in:d", ":0");
    /* the destination may be a source */
    EXPECT(c, "SINTERSTORE in:a in:a in:b", ":2");
    EXPECT(c, "SMEMBERS in:a", "[\"4\", \"5\"]");
}

TEST(sintercard_counts_and_stops_at_the_limit) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD ic:a 1 2 3 4 5 x", ":6");
    EXPECT(c, "SADD ic:b 2 3 4 5 6 x", ":6");
    EXPECT(c, "SINTERCARD 1 ic:a", ":6");
    EXPECT(c, "SINTERCARD 2 ic:a ic:b", ":5");
    EXPECT(c, "SINTERCARD 2 ic:a ic:missing", ":0");
    EXPECT(c, "SINTERCARD 2 ic:a ic:b LIMIT 0", ":5");
    EXPECT(c, "SINTERCARD 2 ic:a ic:b LIMIT 3", ":3");
    EXPECT(c, "SINTERCARD 2 ic:a ic:b limit 30", ":5");
    EXPECT(c, "SINTERCARD 2 ic:a ic:b LIMIT 1 LIMIT 2", ":2");
    /* numkeys and options are checked before any key */
    EXPECT(c, "SET ic:str x", "+OK");
    EXPECT(c, "SINTERCARD 0 ic:a", "-ERR numkeys should be greater than 0");
    EXPECT(c, "SINTERCARD -1 ic:a", "-ERR numkeys should be greater than 0");
    EXPECT(c, "SINTERCARD x ic:a", "-ERR numkeys should be greater than 0");
    EXPECT(c, "SINTERCARD 99999999999999999999 ic:a", "-ERR numkeys should be greater than 0");
    EXPECT(c, "SINTERCARD 3 ic:a ic:b", "-ERR Number of keys can't be greater than number of args");
    EXPECT(c, "SINTERCARD 9999999999999 ic:a",
           "-ERR Number of keys can't be greater than number of args");
    EXPECT(c, "SINTERCARD 2 ic:a ic:b LIMIT", SYNTAX);
    EXPECT(c, "SINTERCARD 1 ic:a foo 1", SYNTAX);
    EXPECT(c, "SINTERCARD 1 ic:a LIMIT -1", "-ERR LIMIT can't be negative");
    EXPECT(c, "SINTERCARD 1 ic:a LIMIT x", "-ERR LIMIT can't be negative");
    EXPECT(c, "SINTERCARD 2 ic:str ic:a LIMIT -1", "-ERR LIMIT can't be negative");
    EXPECT(c, "SINTERCARD 2 ic:a ic:str", WRONGTYPE);
    EXPECT(c, "COMMAND GETKEYS SINTERCARD 2 ic:a ic:b LIMIT 1", "[\"ic:a\", \"ic:b\"]");
    EXPECT(c, "COMMAND GETKEYS SINTERCARD 0 ic:a", "-ERR Invalid arguments specified for command");
}

/* SINTERCARD and SUNIONSTORE over 300 keys (beyond a 256-slot key buffer). */
TEST(multi_key_commands_take_hundreds_of_keys) {
    redisContext *c = cliConnect(s);
    enum { N = 300 };
    const char *argv[N + 4];
    char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "mk:%d", i);
        EXPECT(c, tfmt("SADD %s %d common", names[i], i), ":2");
    }
    int argc = 0;
    argv[argc++] = "SINTERCARD";
    argv[argc++] = "300";
    for (int i = 0; i < N; i++) argv[argc++] = names[i];
    EXPECTV(c, argc, argv, NULL, ":1");
    argc = 0;
    argv[argc++] = "SUNIONSTORE";
    argv[argc++] = "mk:dst";
    for (int i = 0; i < N; i++) argv[argc++] = names[i];
    EXPECTV(c, argc, argv, NULL, ":301");
    EXPECT(c, "SCARD mk:dst", ":301");
    argv[0] = "SINTER";
    argv[1] = "mk:dst";
    EXPECTV(c, N + 2, argv, NULL, "[\"common\"]");
}

/* ---- SUNION SDIFF ---------------------------------------------------------------------- */

TEST(sunion_and_sunionstore) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD un:a 3 1", ":2");
    EXPECT(c, "SADD un:b 2 3 -1", ":3");
    EXPECT(c, "SUNION un:a un:b", "[\"-1\", \"1\", \"2\", \"3\"]");
    EXPECT(c, "SUNION un:a un:missing un:b", "[\"-1\", \"1\", \"2\", \"3\"]");
    EXPECT(c, "SUNION un:missing", "[]");
    EXPECT(c, "SADD un:w b a", ":2");
    CHECK_STR(cliCallSorted(c, "SUNION un:a un:w"), "1 3 a b");
    EXPECT(c, "SUNIONSTORE un:d un:a un:b", ":4");
    EXPECT(c, "SMEMBERS un:d", "[\"-1\", \"1\", \"2\", \"3\"]");
    EXPECT(c, "OBJECT ENCODING un:d", "\"intset\"");
    EXPECT(c, "SUNIONSTORE un:d un:missing", ":0");
    EXPECT(c, "EXISTS un:d", ":0");
    EXPECT(c, "SUNIONSTORE un:a un:a un:w", ":4");
    CHECK_STR(cliCallSorted(c, "SMEMBERS un:a"), "1 3 a b");
    /* a large union of integers is a hashtable, as in Redis */
    CHECK(fill(c, "un:x", "%d", 0, 300) == 300);
    CHECK(fill(c, "un:y", "%d", 300, 300) == 300);
    EXPECT(c, "SUNIONSTORE un:big un:x un:y", ":600");
    EXPECT(c, "OBJECT ENCODING un:big", "\"hashtable\"");
    EXPECT(c, "SUNIONSTORE un:mid un:x un:x", ":300");
    EXPECT(c, "OBJECT ENCODING un:mid", "\"intset\"");
}

TEST(sdiff_and_sdiffstore) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD df:a 1 2 3 4 5", ":5");
    EXPECT(c, "SADD df:b 2 4", ":2");
    EXPECT(c, "SADD df:c 5 6", ":2");
    EXPECT(c, "SDIFF df:a", "[\"1\", \"2\", \"3\", \"4\", \"5\"]");
    EXPECT(c, "SDIFF df:a df:b", "[\"1\", \"3\", \"5\"]");
    EXPECT(c, "SDIFF df:a df:b df:c", "[\"1\", \"3\"]");
    EXPECT(c, "SDIFF df:a df:missing df:c", "[\"1\", \"2\", \"3\", \"4\"]");
    EXPECT(c, "SDIFF df:a df:b df:a", "[]");
    EXPECT(c, "SDIFF df:missing df:a", "[]");
    EXPECT(c, "SDIFF df:b df:a", "[]");
    EXPECT(c, "SADD df:w x y 1", ":3");
    CHECK_STR(cliCallSorted(c, "SDIFF df:w df:a"), "x y");
    EXPECT(c, "SDIFF df:a df:w df:b", "[\"3\", \"5\"]");
    EXPECT(c, "SDIFFSTORE df:d df:a df:b", ":3");
    EXPECT(c, "SMEMBERS df:d", "[\"1\", \"3\", \"5\"]");
    EXPECT(c, "SDIFFSTORE df:d df:a df:a", ":0");
    EXPECT(c, "EXISTS df:d", ":0");
    EXPECT(c, "SDIFFSTORE df:a df:a df:c", ":4");
    EXPECT(c, "SMEMBERS df:a", "[\"1\", \"2\", \"3\", \"4\"]");
    /* both algorithms: a big first set minus small ones, a small one minus big ones */
    CHECK(fill(c, "df:big", "%d", 0, 1000) == 1000);
    for (int i = 1; i < 1000; i += 2) redisAppendCommand(c, "SADD df:odd %d", i);
    for (int i = 1; i < 1000; i += 2) {
        redisReply *r;
        REQUIRE(redisGetReply(c, (void **)&r) == REDIS_OK);
        freeReplyObject(r);
    }
    EXPECT(c, "SDIFFSTORE df:even df:big df:odd", ":500");
    EXPECT(c, "SISMEMBER df:even 998", ":1");
    EXPECT(c, "SISMEMBER df:even 999", ":0");
    EXPECT(c, "SDIFF df:b df:big df:odd", "[]");
    EXPECT(c, "SADD df:s 2 1001 1002", ":3");
    EXPECT(c, "SDIFF df:s df:big df:odd", "[\"1001\", \"1002\"]");
}

/* ---- SSCAN ------------------------------------------------------------------------------ */

TEST(sscan_small_sets_come_whole_with_cursor_zero) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SSCAN sc:missing 0", "[\"0\", []]");
    EXPECT(c, "SSCAN sc:missing 0 COUNT 0", "[\"0\", []]");   /* options unread */
    EXPECT(c, "SSCAN sc:missing x", "-ERR invalid cursor");
    EXPECT(c, "SADD sc:s 1 2 3 12", ":4");
    EXPECT(c, "SSCAN sc:s 0", "[\"0\", [\"1\", \"2\", \"3\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s 17", "[\"0\", [\"1\", \"2\", \"3\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s -1", "[\"0\", [\"1\", \"2\", \"3\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s 18446744073709551615", "[\"0\", [\"1\", \"2\", \"3\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s 0 MATCH 1*", "[\"0\", [\"1\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s 0 match * count 1", "[\"0\", [\"1\", \"2\", \"3\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s 0 MATCH x*", "[\"0\", []]");
    EXPECT(c, "SSCAN sc:s 0 COUNT 1 COUNT 2", "[\"0\", [\"1\", \"2\", \"3\", \"12\"]]");
    EXPECT(c, "SSCAN sc:s 18446744073709551616", "-ERR invalid cursor");
    EXPECT(c, "SSCAN sc:s \" 0\"", "-ERR invalid cursor");
    EXPECT(c, "SSCAN sc:s 0x", "-ERR invalid cursor");
    EXPECT(c, "SSCAN sc:s 0 COUNT 0", SYNTAX);
    EXPECT(c, "SSCAN sc:s 0 COUNT -1", SYNTAX);
    EXPECT(c, "SSCAN sc:s 0 COUNT x", NOT_INT);
    EXPECT(c, "SSCAN sc:s 0 MATCH", SYNTAX);
    EXPECT(c, "SSCAN sc:s 0 TYPE string", SYNTAX);
    EXPECT(c, "SSCAN sc:s 0 FOO bar", SYNTAX);
    EXPECT(c, "SADD sc:w b a", ":2");
    EXPECT_MATCH(c, "SSCAN sc:w 0", "[\"0\", [\"?\", \"?\"]]");
    EXPECT(c, "SSCAN sc:w 0 MATCH a", "[\"0\", [\"a\"]]");
}

TEST(sscan_walks_a_hashtable_with_a_cursor) {
    redisContext *c = cliConnect(s);
    enum { N = 1000 };
    CHECK(fill(c, "sc:h", "m%d", 0, N) == N);
    EXPECT(c, "OBJECT ENCODING sc:h", "\"hashtable\"");
    char *seen = calloc(N, 1);
    unsigned long long cursor = 0;
    int calls = 0, dup = 0, matched = 0;
    do {
        redisReply *r = redisCommand(c, "SSCAN sc:h %llu COUNT 25", cursor);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2);
        cursor = strtoull(r->element[0]->str, NULL, 10);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            int k = -1;
            sscanf(r->element[1]->element[i]->str, "m%d", &k);
            REQUIRE(k >= 0 && k < N, "stranger %s", r->element[1]->element[i]->str);
            if (seen[k]) dup++;
            seen[k] = 1;
        }
        freeReplyObject(r);
        calls++;
    } while (cursor != 0 && calls < 10000);
    int missing = 0;
    for (int i = 0; i < N; i++) missing += !seen[i];
    CHECK(missing == 0, "%d members never returned", missing);
    CHECK(calls > 10, "only %d calls for %d members with COUNT 25", calls, N);
    CHECK(dup == 0, "%d members returned twice without a resize", dup);
    /* MATCH filters what each step found */
    cursor = 0;
    calls = 0;
    do {
        redisReply *r = redisCommand(c, "SSCAN sc:h %llu MATCH m99* COUNT 100", cursor);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2);
        cursor = strtoull(r->element[0]->str, NULL, 10);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            CHECK(strncmp(r->element[1]->element[i]->str, "m99", 3) == 0);
            matched++;
        }
        freeReplyObject(r);
    } while (cursor != 0 && ++calls < 10000);
    CHECK(matched == 11, "MATCH m99* found %d", matched);
    free(seen);
}

/* ---- RESP3 ----------------------------------------------------------------------------- */

TEST(resp3_reply_shapes) {
    raw *r = resp3(s);
    EXPECT_RAW(r, "SADD r3:s 2 1 3", ":3");
    EXPECT_RAW(r, "SADD r3:t 3 4", ":2");
    EXPECT_RAW(r, "SMEMBERS r3:s", "~[\"1\", \"2\", \"3\"]");
    EXPECT_RAW(r, "SMEMBERS r3:missing", "~[]");
    EXPECT_RAW(r, "SISMEMBER r3:s 1", ":1");
    EXPECT_RAW(r, "SISMEMBER r3:s 9", ":0");
    EXPECT_RAW(r, "SMISMEMBER r3:s 1 9", "[:1, :0]");
    EXPECT_RAW(r, "SCARD r3:s", ":3");
    EXPECT_RAW(r, "SINTER r3:s r3:t", "~[\"3\"]");
    EXPECT_RAW(r, "SINTER r3:s r3:missing", "~[]");
    EXPECT_RAW(r, "SINTERCARD 2 r3:s r3:t", ":1");
    EXPECT_RAW(r, "SUNION r3:s r3:t", "~[\"1\", \"2\", \"3\", \"4\"]");
    EXPECT_RAW(r, "SUNION r3:missing", "~[]");
    EXPECT_RAW(r, "SDIFF r3:s r3:t", "~[\"1\", \"2\"]");
    EXPECT_RAW(r, "SDIFF r3:missing r3:t", "~[]");
    EXPECT_RAW(r, "SINTERSTORE r3:d r3:s r3:t", ":1");
    EXPECT_RAW(r, "SRANDMEMBER r3:s 5", "[\"1\", \"2\", \"3\"]");
    EXPECT_RAW(r, "SRANDMEMBER r3:s 0", "[]");
    EXPECT_RAW(r, "SRANDMEMBER r3:missing 2", "[]");
    EXPECT_RAW(r, "SRANDMEMBER r3:missing", "(nil)");
    EXPECT_RAW_MATCH(r, "SRANDMEMBER r3:s -2", "[\"?\", \"?\"]");
    EXPECT_RAW(r, "SSCAN r3:s 0", "[\"0\", [\"1\", \"2\", \"3\"]]");
    EXPECT_RAW(r, "SSCAN r3:missing 0", "[\"0\", []]");
    EXPECT_RAW(r, "SPOP r3:missing", "(nil)");
    EXPECT_RAW(r, "SPOP r3:missing 2", "~[]");
    EXPECT_RAW(r, "SPOP r3:s 0", "~[]");
    EXPECT_RAW_MATCH(r, "SPOP r3:s 1", "~[\"?\"]");
    EXPECT_RAW_MATCH(r, "SPOP r3:s", "\"?\"");
    EXPECT_RAW_MATCH(r, "SPOP r3:s 5", "~[\"?\"]");
    EXPECT_RAW(r, "EXISTS r3:s", ":0");
    EXPECT_RAW(r, "SMOVE r3:t r3:s 4", ":1");
    EXPECT_RAW(r, "SMEMBERS r3:s", "~[\"4\"]");
}

/* ---- encodings -------------------------------------------------------------------------- */

TEST(intset_becomes_a_hashtable_past_set_max_intset_entries) {
    redisContext *c = cliConnect(s);
    CHECK(fill(c, "en:i", "%d", 1, 512) == 512);
    EXPECT(c, "OBJECT ENCODING en:i", "\"intset\"");
    EXPECT(c, "SADD en:i 512", ":0");
    EXPECT(c, "OBJECT ENCODING en:i", "\"intset\"");
    EXPECT(c, "SADD en:i 513", ":1");
    EXPECT(c, "OBJECT ENCODING en:i", "\"hashtable\"");
    EXPECT(c, "SREM en:i 513 512 511", ":3");              /* never back */
    EXPECT(c, "OBJECT ENCODING en:i", "\"hashtable\"");
    EXPECT(c, "SCARD en:i", ":510");
    /* one SADD crossing the limit */
    CHECK(fill(c, "en:j", "%d", 0, 600) == 600);
    EXPECT(c, "OBJECT ENCODING en:j", "\"hashtable\"");
    /* a long member makes a hashtable at once */
    EXPECT(c, "SADD en:long 1 "
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ":2");
    EXPECT(c, "OBJECT ENCODING en:long", "\"hashtable\"");
    EXPECT(c, "SISMEMBER en:long 1", ":1");
    /* many strings */
    CHECK(fill(c, "en:w", "m%d", 0, 129) == 129);
    EXPECT(c, "OBJECT ENCODING en:w", "\"hashtable\"");
    /* COPY keeps the encoding and the members */
    EXPECT(c, "COPY en:i en:i2", ":1");
    EXPECT(c, "OBJECT ENCODING en:i2", "\"hashtable\"");
    EXPECT(c, "SCARD en:i2", ":510");
    EXPECT(c, "COPY en:long en:long2", ":1");
    EXPECT(c, "SINTERCARD 2 en:long en:long2", ":2");
}

TEST(set_max_intset_entries_is_read_at_each_add) {
    redisContext *c = cliConnect(sSmall);
    EXPECT(c, "CONFIG GET set-max-intset-entries", "[\"set-max-intset-entries\", \"4\"]");
    EXPECT(c, "SADD cf:s 1 2 3 4", ":4");
    EXPECT(c, "OBJECT ENCODING cf:s", "\"intset\"");
    EXPECT(c, "SADD cf:s 5", ":1");
    EXPECT(c, "OBJECT ENCODING cf:s", "\"hashtable\"");
    EXPECT(c, "CONFIG SET set-max-intset-entries 10", "+OK");
    EXPECT(c, "SADD cf:t 1 2 3 4 5 6", ":6");
    EXPECT(c, "OBJECT ENCODING cf:t", "\"intset\"");
    EXPECT(c, "SINTERSTORE cf:u cf:s cf:t", ":5");
    EXPECT(c, "OBJECT ENCODING cf:u", "\"intset\"");
    EXPECT(c, "CONFIG SET set-max-intset-entries 4", "+OK");
    EXPECT(c, "SADD cf:t 7", ":1");
    EXPECT(c, "OBJECT ENCODING cf:t", "\"hashtable\"");
    EXPECT(c, "SUNIONSTORE cf:v cf:u", ":5");
    EXPECT(c, "OBJECT ENCODING cf:v", "\"hashtable\"");
}

/* roost follows Redis 7.2: small sets of strings are listpacks */
TEST(listpack_small_sets_of_strings) {
    ROOST_ONLY("Redis 7.0 has no listpack sets");
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG GET set-max-listpack-entries", "[\"set-max-listpack-entries\", \"128\"]");
    EXPECT(c, "CONFIG GET set-max-listpack-value", "[\"set-max-listpack-value\", \"64\"]");
    EXPECT(c, "SADD lp:s b a c", ":3");
    EXPECT(c, "OBJECT ENCODING lp:s", "\"listpack\"");
    EXPECT(c, "SMEMBERS lp:s", "[\"b\", \"a\", \"c\"]");      /* insertion order */
    EXPECT(c, "SADD lp:s 5", ":1");
    EXPECT(c, "SISMEMBER lp:s 5", ":1");
    EXPECT(c, "SMEMBERS lp:s", "[\"b\", \"a\", \"c\", \"5\"]");
    /* 128 entries fit, the 129th converts */
    CHECK(fill(c, "lp:n", "m%d", 0, 128) == 128);
    EXPECT(c, "OBJECT ENCODING lp:n", "\"listpack\"");
    EXPECT(c, "SADD lp:n m0", ":0");
    EXPECT(c, "OBJECT ENCODING lp:n", "\"listpack\"");
    EXPECT(c, "SADD lp:n m128", ":1");
    EXPECT(c, "OBJECT ENCODING lp:n", "\"hashtable\"");
    EXPECT(c, "SCARD lp:n", ":129");
    /* 64 bytes fit, 65 convert */
    EXPECT(c, "SADD lp:v aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ":1");
    EXPECT(c, "OBJECT ENCODING lp:v", "\"listpack\"");
    EXPECT(c, "SADD lp:v aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ":1");
    EXPECT(c, "OBJECT ENCODING lp:v", "\"hashtable\"");
    /* intset + string: a listpack while the count and widths fit */
    CHECK(fill(c, "lp:i", "%d", 0, 127) == 127);
    EXPECT(c, "SADD lp:i x", ":1");
    EXPECT(c, "OBJECT ENCODING lp:i", "\"listpack\"");
    EXPECT(c, "SCARD lp:i", ":128");
    EXPECT(c, "SISMEMBER lp:i 126", ":1");
    redisReply *all = arrayOf(c, "SRANDMEMBER lp:i 1000");
    REQUIRE(all);
    checkDistinctMembers(c, all, "lp:i", 128, true, __LINE__);
    freeReplyObject(all);
    CHECK(fill(c, "lp:j", "%d", 0, 128) == 128);
    EXPECT(c, "SADD lp:j x", ":1");
    EXPECT(c, "OBJECT ENCODING lp:j", "\"hashtable\"");
    /* intsets and listpacks never come back once converted */
    EXPECT(c, "SREM lp:n m128 m127", ":2");
    EXPECT(c, "OBJECT ENCODING lp:n", "\"hashtable\"");
    EXPECT(c, "SREM lp:s a b c", ":3");
    EXPECT(c, "OBJECT ENCODING lp:s", "\"listpack\"");
    EXPECT(c, "SMEMBERS lp:s", "[\"5\"]");
}

TEST(listpack_limits_follow_config_set) {
    ROOST_ONLY("set-max-listpack-* are Redis 7.2 options");
    redisContext *c = cliConnect(sSmall);
    EXPECT(c, "CONFIG SET set-max-listpack-entries 3", "+OK");
    EXPECT(c, "CONFIG SET set-max-listpack-value 5", "+OK");
    EXPECT(c, "SADD lc:a a b c", ":3");
    EXPECT(c, "OBJECT ENCODING lc:a", "\"listpack\"");
    EXPECT(c, "SADD lc:a d", ":1");
    EXPECT(c, "OBJECT ENCODING lc:a", "\"hashtable\"");
    EXPECT(c, "SADD lc:b 123456", ":1");                     /* 6 digits > 5 */
    EXPECT(c, "SADD lc:b x", ":1");
    EXPECT(c, "OBJECT ENCODING lc:b", "\"hashtable\"");
    EXPECT(c, "SADD lc:c 12345", ":1");
    EXPECT(c, "SADD lc:c x", ":1");
    EXPECT(c, "OBJECT ENCODING lc:c", "\"listpack\"");
    EXPECT(c, "SMEMBERS lc:c", "[\"12345\", \"x\"]");
    EXPECT(c, "SADD lc:c 123456", ":1");                     /* long integer, too */
    EXPECT(c, "OBJECT ENCODING lc:c", "\"hashtable\"");
    EXPECT(c, "CONFIG SET set-max-listpack-entries 0", "+OK");
    EXPECT(c, "SADD lc:z a", ":1");
    EXPECT(c, "OBJECT ENCODING lc:z", "\"hashtable\"");
    EXPECT(c, "CONFIG SET set-max-listpack-entries 128", "+OK");
    EXPECT(c, "CONFIG SET set-max-listpack-value 64", "+OK");
}

TEST(listpack_results_of_store_commands_and_spop) {
    ROOST_ONLY("Redis 7.0 has no listpack sets");
    redisContext *c = cliConnect(s);
    EXPECT(c, "SADD ls:a a b c 1", ":4");
    EXPECT(c, "SADD ls:b b c d 2", ":4");
    EXPECT(c, "SINTERSTORE ls:i ls:a ls:b", ":2");
    EXPECT(c, "OBJECT ENCODING ls:i", "\"listpack\"");
    EXPECT(c, "SUNIONSTORE ls:u ls:a ls:b", ":6");
    EXPECT(c, "OBJECT ENCODING ls:u", "\"listpack\"");
    /* built in the sources' order: a's members, then b's new ones */
    EXPECT(c, "SMEMBERS ls:u", "[\"a\", \"b\", \"c\", \"1\", \"d\", \"2\"]");
    EXPECT(c, "SDIFFSTORE ls:d ls:a ls:b", ":2");
    EXPECT(c, "SMEMBERS ls:d", "[\"a\", \"1\"]");
    /* an all-integer result is an intset whatever the sources */
    EXPECT(c, "SADD ls:x 1 2 z", ":3");
    EXPECT(c, "SINTERSTORE ls:n ls:x ls:u", ":2");
    EXPECT(c, "OBJECT ENCODING ls:n", "\"intset\"");
    /* SPOP taking most of a hashtable of strings leaves a listpack */
    CHECK(fill(c, "ls:h", "m%d", 0, 300) == 300);
    EXPECT(c, "OBJECT ENCODING ls:h", "\"hashtable\"");
    redisReply *r = redisCommand(c, "SPOP ls:h 290");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 290);
    freeReplyObject(r);
    EXPECT(c, "OBJECT ENCODING ls:h", "\"listpack\"");
    EXPECT(c, "SCARD ls:h", ":10");
}

/* ---- concurrency ----------------------------------------------------------------------- */

/* Several clients SMOVE members back and forth between two sets on a
 * 4-thread server while a reader checks that SUNION always sees every member
 * exactly once and SINTERCARD never sees one in both sets. */
TEST(concurrent_smoves_keep_the_total_constant) {
    enum { MEMBERS = 200, WRITERS = 4, EACH = 3000 };
    redisContext *c = cliConnect(sThreads);
    EXPECT(c, "DEL cm:a cm:b", ":0");
    CHECK(fill(c, "cm:a", "%d", 0, MEMBERS / 2) == MEMBERS / 2);
    CHECK(fill(c, "cm:b", "m%d", 0, MEMBERS / 2) == MEMBERS / 2);
    int port = srvPort(sThreads);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        REQUIRE(pids[w] >= 0);
        if (pids[w] == 0) {
            redisContext *x = redisConnect("127.0.0.1", port);
            if (!x || x->err) _exit(2);
            srand((unsigned)(w * 7919 + 1));
            for (int i = 0; i < EACH; i++) {
                int k = rand() % (MEMBERS / 2);
                char m[16];
                snprintf(m, sizeof m, rand() % 2 ? "%d" : "m%d", k);
                if (rand() % 2) redisAppendCommand(x, "SMOVE cm:a cm:b %s", m);
                else redisAppendCommand(x, "SMOVE cm:b cm:a %s", m);
                if (i % 64 == 63 || i == EACH - 1) {
                    for (int j = i - (i % 64); j <= i; j++) {
                        redisReply *r;
                        if (redisGetReply(x, (void **)&r) != REDIS_OK ||
                            r->type != REDIS_REPLY_INTEGER)
                            _exit(3);
                        freeReplyObject(r);
                    }
                }
            }
            _exit(0);
        }
    }
    int bad = 0, reads = 0, running = WRITERS;
    int status[WRITERS] = { 0 };
    bool done[WRITERS] = { false };
    while (running > 0) {
        redisReply *r = redisCommand(c, "SUNION cm:a cm:b");
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY);
        if (r->elements != MEMBERS) bad++;
        freeReplyObject(r);
        r = redisCommand(c, "SINTERCARD 2 cm:a cm:b");
        REQUIRE(r && r->type == REDIS_REPLY_INTEGER);
        if (r->integer != 0) bad++;
        freeReplyObject(r);
        reads++;
        for (int w = 0; w < WRITERS; w++)
            if (!done[w] && waitpid(pids[w], &status[w], WNOHANG) == pids[w]) {
                done[w] = true;
                running--;
            }
    }
    for (int w = 0; w < WRITERS; w++)
        CHECK(WIFEXITED(status[w]) && WEXITSTATUS(status[w]) == 0, "writer %d status %d", w,
              status[w]);
    CHECK(bad == 0, "%d of %d reads saw a half-done SMOVE", bad, reads);
    redisReply *a = redisCommand(c, "SCARD cm:a"), *b = redisCommand(c, "SCARD cm:b");
    REQUIRE(a && b && a->type == REDIS_REPLY_INTEGER && b->type == REDIS_REPLY_INTEGER);
    CHECK(a->integer + b->integer == MEMBERS, "total %lld", a->integer + b->integer);
    freeReplyObject(a);
    freeReplyObject(b);
    EXPECT(c, "SINTERCARD 2 cm:a cm:b", ":0");
}

/* Concurrent SADD/SREM/SPOP from several clients on one set lose nothing:
 * every member added is either still there or was popped exactly once. */
TEST(concurrent_sadd_and_spop_account_for_every_member) {
    enum { WRITERS = 3, EACH = 2000 };
    redisContext *c = cliConnect(sThreads);
    int port = srvPort(sThreads);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pids[WRITERS + 1];
    for (int w = 0; w <= WRITERS; w++) {
        pids[w] = fork();
        REQUIRE(pids[w] >= 0);
        if (pids[w] == 0) {
            redisContext *x = redisConnect("127.0.0.1", port);
            if (!x || x->err) _exit(2);
            if (w < WRITERS) {                          /* adders */
                for (int i = 0; i < EACH; i++) {
                    redisReply *r = redisCommand(x, "SADD cp:s w%d-%d", w, i);
                    if (!r || r->type != REDIS_REPLY_INTEGER || r->integer != 1) _exit(3);
                    freeReplyObject(r);
                }
                _exit(0);
            }
            long popped = 0;                            /* the popper */
            for (int i = 0; i < EACH; i++) {
                redisReply *r = redisCommand(x, "SPOP cp:s 2");
                if (!r || r->type != REDIS_REPLY_ARRAY) _exit(3);
                popped += (long)r->elements;
                freeReplyObject(r);
            }
            if (write(fds[1], &popped, sizeof popped) != sizeof popped) _exit(4);
            _exit(0);
        }
    }
    for (int w = 0; w <= WRITERS; w++) {
        int st = 0;
        waitpid(pids[w], &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d status %d", w, st);
    }
    long popped = -1;
    REQUIRE(read(fds[0], &popped, sizeof popped) == sizeof popped);
    close(fds[0]);
    close(fds[1]);
    redisReply *r = redisCommand(c, "SCARD cp:s");
    REQUIRE(r && r->type == REDIS_REPLY_INTEGER);
    CHECK(r->integer + popped == WRITERS * EACH, "left %lld + popped %ld != %d", r->integer,
          popped, WRITERS * EACH);
    freeReplyObject(r);
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    sThreads = srvStart(srvIsOracle() ? NULL : "threads 4");
    sSmall = srvStart("set-max-intset-entries 4");
    return harnessMain(argc, argv);
}
