/* test_hash.c — the hash family: HSET HSETNX HGET HMGET HMSET HDEL HLEN
 * HSTRLEN HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
 *
 * Exact replies and error texts in RESP2 (hiredis) and RESP3 (raw client
 * after HELLO 3); the order in which Redis checks arguments, types and keys;
 * values that look like integers reading back byte for byte; HINCRBYFLOAT's
 * number formatting; binary-safe and empty fields and values; the listpack →
 * hashtable conversion at both thresholds for every writing command, and
 * that it never goes back; HRANDFIELD's distinct / repeated semantics and
 * reply shapes; HSCAN over both encodings, with MATCH and COUNT; values
 * large enough to live outside the hashtable entry; a 100,000-field hash;
 * COPY / RENAME / MOVE / EXPIRE of a hash; concurrent writers on one hash;
 * redis-benchmark's HSET.
 *
 * Every expectation was checked against redis-server 7.0.15: run with
 * ROOST_ORACLE=redis. Where Redis's hashtable order differs from roost's
 * (both are unspecified), the tests sort the replies.
 *
 * Servers: `s` (defaults) serves most tests, each on its own key names;
 * `sEnc` is for the tests that change the conversion thresholds with CONFIG
 * SET; `sThreads` runs roost with 4 threads for the concurrency tests (a
 * plain server under the oracle).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static srv *s;                 /* defaults */
static srv *sEnc;              /* thresholds changed by the tests */
static srv *sThreads;          /* threads 4 (roost; Redis has no such directive) */

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "-ERR value is not an integer or out of range"
#define NOT_FLOAT "-ERR value is not a valid float"
#define SYNTAX "-ERR syntax error"

/* ---- helpers ------------------------------------------------------------------------ */

/* cmdReply sends a hiredis-formatted command and returns the reply (freed
 * by the caller with freeReplyObject). */
static redisReply *cmdReply(redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    return r;
}

/* EXPECT_ENC: OBJECT ENCODING key is `want`. */
#define EXPECT_ENC(c, key, want) EXPECT(c, "OBJECT ENCODING " key, "\"" want "\"")

/* fillHash gives key fields f0..f(n-1) with values v0.. in HSET batches. */
static void fillHash(redisContext *c, const char *key, int n) {
    int i = 0;
    while (i < n) {
        const char *argv[2 + 2 * 100];
        char buf[100][2][24];
        int argc = 0;
        argv[argc++] = "HSET";
        argv[argc++] = key;
        for (int k = 0; k < 100 && i < n; k++, i++) {
            snprintf(buf[k][0], 24, "f%d", i);
            snprintf(buf[k][1], 24, "v%d", i);
            argv[argc++] = buf[k][0];
            argv[argc++] = buf[k][1];
        }
        redisReply *r = redisCommandArgv(c, argc, argv, NULL);
        REQUIRE(r && r->type == REDIS_REPLY_INTEGER, "HSET: %s", replyText(r));
        freeReplyObject(r);
    }
}

/* checkFieldValuePairs: a flat [field, value, ...] array of `pairs` pairs
 * whose values are those fillHash wrote ("fN" → "vN"); counts the distinct
 * fields into *distinct (fields are below n). */
static void checkFieldValuePairs(const redisReply *r, size_t pairs, int n, int *distinct) {
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY, "not an array: %s", replyText(r));
    REQUIRE(r->elements == pairs * 2, "%zu elements, want %zu", r->elements, pairs * 2);
    char *seen = calloc((size_t)n, 1);
    *distinct = 0;
    for (size_t i = 0; i < r->elements; i += 2) {
        int f = -1, v = -2;
        sscanf(r->element[i]->str, "f%d", &f);
        sscanf(r->element[i + 1]->str, "v%d", &v);
        CHECK(f >= 0 && f < n && f == v, "pair %s=%s", r->element[i]->str, r->element[i + 1]->str);
        if (f >= 0 && f < n && !seen[f]) {
            seen[f] = 1;
            (*distinct)++;
        }
    }
    free(seen);
}

/* ---- HSET HMSET HSETNX HGET ------------------------------------------------------------ */

TEST(hset_adds_fields_and_replies_how_many_were_new) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hs:a f1 v1", ":1");
    EXPECT(c, "HSET hs:a f1 v1b f2 v2", ":1");
    EXPECT(c, "HGET hs:a f1", "\"v1b\"");
    EXPECT(c, "HGET hs:a f2", "\"v2\"");
    EXPECT(c, "HSET hs:a f3 v3 f3 v3b", ":1");          /* the last write of a field wins */
    EXPECT(c, "HGET hs:a f3", "\"v3b\"");
    EXPECT(c, "HSET hs:a f1 x f2 y f3 z", ":0");
    EXPECT(c, "HLEN hs:a", ":3");
    EXPECT(c, "HGETALL hs:a", "[\"f1\", \"x\", \"f2\", \"y\", \"f3\", \"z\"]");
    EXPECT(c, "TYPE hs:a", "+hash");
    EXPECT(c, "HGET hs:a nope", "(nil)");
    EXPECT(c, "HGET hs:none f1", "(nil)");
    EXPECT(c, "HSET hs:a f1", "-ERR wrong number of arguments for 'hset' command");
    EXPECT(c, "HSET hs:a", "-ERR wrong number of arguments for 'hset' command");
    EXPECT(c, "HSET hs:a f1 v1 f2", "-ERR wrong number of arguments for 'hset' command");
    EXPECT(c, "HGET hs:a", "-ERR wrong number of arguments for 'hget' command");
    EXPECT(c, "HGET hs:a f1 f2", "-ERR wrong number of arguments for 'hget' command");
    EXPECT(c, "HGET hs:a f1", "\"x\"");                  /* nothing written by the errors */
}

TEST(hmset_replies_ok_and_hsetnx_writes_only_new_fields) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HMSET hm:a f1 v1 f2 v2", "+OK");
    EXPECT(c, "HMSET hm:a f1 w1", "+OK");
    EXPECT(c, "HMGET hm:a f1 f2", "[\"w1\", \"v2\"]");
    EXPECT(c, "HMSET hm:a f1", "-ERR wrong number of arguments for 'hmset' command");
    EXPECT(c, "HMSET hm:a f1 v1 f2", "-ERR wrong number of arguments for 'hmset' command");
    EXPECT(c, "HSETNX hm:a f1 zz", ":0");
    EXPECT(c, "HGET hm:a f1", "\"w1\"");
    EXPECT(c, "HSETNX hm:a f3 v3", ":1");
    EXPECT(c, "HGET hm:a f3", "\"v3\"");
    EXPECT(c, "HSETNX hm:new f v", ":1");
    EXPECT(c, "HGETALL hm:new", "[\"f\", \"v\"]");
    EXPECT(c, "HSETNX hm:a f1", "-ERR wrong number of arguments for 'hsetnx' command");
    EXPECT(c, "HSETNX hm:a f1 v1 x", "-ERR wrong number of arguments for 'hsetnx' command");
}

TEST(hmget_hexists_hstrlen_hlen_on_present_and_missing_fields_and_keys) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hq:a name roost n 12345 neg -7 e \"\"", ":4");
    EXPECT(c, "HMGET hq:a name nope n", "[\"roost\", (nil), \"12345\"]");
    EXPECT(c, "HMGET hq:none a b", "[(nil), (nil)]");
    EXPECT(c, "HMGET hq:a", "-ERR wrong number of arguments for 'hmget' command");
    EXPECT(c, "HEXISTS hq:a name", ":1");
    EXPECT(c, "HEXISTS hq:a nope", ":0");
    EXPECT(c, "HEXISTS hq:none name", ":0");
    EXPECT(c, "HSTRLEN hq:a name", ":5");
    EXPECT(c, "HSTRLEN hq:a n", ":5");
    EXPECT(c, "HSTRLEN hq:a neg", ":2");
    EXPECT(c, "HSTRLEN hq:a e", ":0");
    EXPECT(c, "HSTRLEN hq:a nope", ":0");
    EXPECT(c, "HSTRLEN hq:none x", ":0");
    EXPECT(c, "HLEN hq:a", ":4");
    EXPECT(c, "HLEN hq:none", ":0");
    EXPECT(c, "HLEN hq:a x", "-ERR wrong number of arguments for 'hlen' command");
    EXPECT(c, "HEXISTS hq:a", "-ERR wrong number of arguments for 'hexists' command");
    EXPECT(c, "HSTRLEN hq:a", "-ERR wrong number of arguments for 'hstrlen' command");
}

/* Values that look like numbers are stored compactly but read back as the
 * exact bytes that were written. */
TEST(values_that_look_like_integers_read_back_exactly) {
    redisContext *c = cliConnect(s);
    static const char *vals[] = {
        "0", "-0", "+1", "01", "1.0", " 1", "1 ", "127", "128", "-4096", "4095", "-4097",
        "32767", "-32768", "8388607", "-8388608", "2147483647", "-2147483648",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809", "12345678901234567890", "0x10", "1e3",
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        const char *f = tfmt("k%zu", i);
        redisReply *r = cmdReply(c, "HSET hi:a %s %s", f, vals[i]);
        CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == 1, "HSET %s", vals[i]);
        if (r) freeReplyObject(r);
        /* and as fields, too */
        r = cmdReply(c, "HSET hi:b %s %s", vals[i], f);
        if (r) freeReplyObject(r);
    }
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        const char *f = tfmt("k%zu", i);
        redisReply *r = cmdReply(c, "HGET hi:a %s", f);
        CHECK(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, vals[i]) == 0,
              "HGET %s: want '%s', got %s", f, vals[i], replyText(r));
        if (r) freeReplyObject(r);
        r = cmdReply(c, "HSTRLEN hi:a %s", f);
        CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == (long long)strlen(vals[i]),
              "HSTRLEN of '%s': %s", vals[i], replyText(r));
        if (r) freeReplyObject(r);
        r = cmdReply(c, "HGET hi:b %s", vals[i]);
        CHECK(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, f) == 0,
              "field '%s': %s", vals[i], replyText(r));
        if (r) freeReplyObject(r);
    }
    EXPECT_ENC(c, "hi:a", "listpack");
    /* "1" and "01" and "+1" are three different fields */
    EXPECT(c, "HSET hi:c 1 a 01 b +1 c", ":3");
    EXPECT(c, "HGETALL hi:c", "[\"1\", \"a\", \"01\", \"b\", \"+1\", \"c\"]");
    EXPECT(c, "HGET hi:c 1", "\"a\"");
    EXPECT(c, "HEXISTS hi:c 001", ":0");
}

TEST(binary_safe_and_empty_fields_and_values) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hb:a \"a\\x00b\" \"\\r\\n\\x00\\xff\"", ":1");
    EXPECT(c, "HSET hb:a a b", ":1");
    EXPECT(c, "HGET hb:a \"a\\x00b\"", "\"\\r\\n\\x00\\xff\"");
    EXPECT(c, "HGET hb:a a", "\"b\"");
    EXPECT(c, "HSTRLEN hb:a \"a\\x00b\"", ":4");
    EXPECT(c, "HSET hb:a \"\" \"\"", ":1");
    EXPECT(c, "HEXISTS hb:a \"\"", ":1");
    EXPECT(c, "HGET hb:a \"\"", "\"\"");
    EXPECT(c, "HLEN hb:a", ":3");
    EXPECT(c, "HGETALL hb:a", "[\"a\\x00b\", \"\\r\\n\\x00\\xff\", \"a\", \"b\", \"\", \"\"]");
    EXPECT(c, "HDEL hb:a \"\"", ":1");
    EXPECT(c, "HKEYS hb:a", "[\"a\\x00b\", \"a\"]");
}

/* ---- HDEL HKEYS HVALS HGETALL ----------------------------------------------------------- */

TEST(hdel_counts_removed_fields_and_deletes_the_key_with_its_last_field) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hd:a a 1 b 2 c 3 d 4", ":4");
    EXPECT(c, "HDEL hd:a a x a", ":1");
    EXPECT(c, "HDEL hd:a b c", ":2");
    EXPECT(c, "HGETALL hd:a", "[\"d\", \"4\"]");
    EXPECT(c, "HDEL hd:a zz", ":0");
    EXPECT(c, "EXISTS hd:a", ":1");
    EXPECT(c, "HDEL hd:a d d", ":1");
    EXPECT(c, "EXISTS hd:a", ":0");
    EXPECT(c, "HDEL hd:a d", ":0");
    EXPECT(c, "HDEL hd:none a", ":0");
    EXPECT(c, "HDEL hd:a", "-ERR wrong number of arguments for 'hdel' command");
    /* the same on a hashtable */
    fillHash(c, "hd:big", 600);
    EXPECT_ENC(c, "hd:big", "hashtable");
    EXPECT(c, "HDEL hd:big f1 f2 nope f1", ":2");
    EXPECT(c, "HLEN hd:big", ":598");
    for (int i = 0; i < 600; i++) cliCall(c, tfmt("HDEL hd:big f%d", i));
    EXPECT(c, "EXISTS hd:big", ":0");
    EXPECT(c, "HSET hd:big a 1", ":1");                  /* a new hash starts compact */
    EXPECT_ENC(c, "hd:big", "listpack");
}

TEST(hkeys_hvals_hgetall_of_a_compact_hash_keep_insertion_order) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hk:a z 1 y 2 x 3", ":3");
    EXPECT(c, "HSET hk:a y 20", ":0");
    EXPECT(c, "HKEYS hk:a", "[\"z\", \"y\", \"x\"]");
    EXPECT(c, "HVALS hk:a", "[\"1\", \"20\", \"3\"]");
    EXPECT(c, "HGETALL hk:a", "[\"z\", \"1\", \"y\", \"20\", \"x\", \"3\"]");
    EXPECT(c, "HKEYS hk:none", "[]");
    EXPECT(c, "HVALS hk:none", "[]");
    EXPECT(c, "HGETALL hk:none", "[]");
    EXPECT(c, "HKEYS hk:a x", "-ERR wrong number of arguments for 'hkeys' command");
    EXPECT(c, "HVALS", "-ERR wrong number of arguments for 'hvals' command");
    EXPECT(c, "HGETALL hk:a x", "-ERR wrong number of arguments for 'hgetall' command");
}

TEST(hkeys_hvals_hgetall_of_a_hashtable_return_every_pair) {
    redisContext *c = cliConnect(s);
    fillHash(c, "hk:big", 1000);
    EXPECT_ENC(c, "hk:big", "hashtable");
    redisReply *r = cmdReply(c, "HGETALL hk:big");
    int distinct = 0;
    checkFieldValuePairs(r, 1000, 1000, &distinct);
    CHECK(distinct == 1000, "%d distinct fields", distinct);
    freeReplyObject(r);
    r = cmdReply(c, "HKEYS hk:big");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 1000);
    freeReplyObject(r);
    r = cmdReply(c, "HVALS hk:big");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 1000);
    freeReplyObject(r);
    EXPECT(c, "HGET hk:big f999", "\"v999\"");
    EXPECT(c, "HMGET hk:big f0 nope f500", "[\"v0\", (nil), \"v500\"]");
    EXPECT(c, "HSTRLEN hk:big f500", ":4");
    EXPECT(c, "HEXISTS hk:big f1000", ":0");
}

/* ---- types ------------------------------------------------------------------------------- */

TEST(every_hash_command_refuses_a_key_of_another_type) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET hw:s x", "+OK");
    EXPECT(c, "HSET hw:s a b", WRONGTYPE);
    EXPECT(c, "HMSET hw:s a b", WRONGTYPE);
    EXPECT(c, "HSETNX hw:s a b", WRONGTYPE);
    EXPECT(c, "HGET hw:s a", WRONGTYPE);
    EXPECT(c, "HMGET hw:s a", WRONGTYPE);
    EXPECT(c, "HDEL hw:s a", WRONGTYPE);
    EXPECT(c, "HLEN hw:s", WRONGTYPE);
    EXPECT(c, "HSTRLEN hw:s a", WRONGTYPE);
    EXPECT(c, "HEXISTS hw:s a", WRONGTYPE);
    EXPECT(c, "HKEYS hw:s", WRONGTYPE);
    EXPECT(c, "HVALS hw:s", WRONGTYPE);
    EXPECT(c, "HGETALL hw:s", WRONGTYPE);
    EXPECT(c, "HINCRBY hw:s a 1", WRONGTYPE);
    EXPECT(c, "HINCRBYFLOAT hw:s a 1", WRONGTYPE);
    EXPECT(c, "HRANDFIELD hw:s", WRONGTYPE);
    EXPECT(c, "HRANDFIELD hw:s 2", WRONGTYPE);
    EXPECT(c, "HRANDFIELD hw:s -2 WITHVALUES", WRONGTYPE);
    EXPECT(c, "HSCAN hw:s 0", WRONGTYPE);
    EXPECT(c, "HSCAN hw:s 0 COUNT 0", WRONGTYPE);        /* the type before the options */
    EXPECT(c, "GET hw:s", "\"x\"");
    /* argument errors come before the type check, as in Redis */
    EXPECT(c, "HSET hw:s a", "-ERR wrong number of arguments for 'hset' command");
    EXPECT(c, "HINCRBY hw:s a x", NOT_INT);
    EXPECT(c, "HINCRBYFLOAT hw:s a x", NOT_FLOAT);
    EXPECT(c, "HRANDFIELD hw:s x", NOT_INT);
    EXPECT(c, "HRANDFIELD hw:s 1 x", SYNTAX);
    EXPECT(c, "HSCAN hw:s x", "-ERR invalid cursor");
    /* and string commands refuse a hash */
    EXPECT(c, "HSET hw:h a b", ":1");
    EXPECT(c, "GET hw:h", WRONGTYPE);
    EXPECT(c, "INCR hw:h", WRONGTYPE);
    EXPECT(c, "SET hw:h x", "+OK");                       /* SET overwrites any type */
    EXPECT(c, "GET hw:h", "\"x\"");
}

/* ---- HINCRBY HINCRBYFLOAT -------------------------------------------------------------------- */

TEST(hincrby_adds_to_integers_and_refuses_non_integers_and_overflow) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HINCRBY hn:a n 5", ":5");
    EXPECT(c, "HINCRBY hn:a n -7", ":-2");
    EXPECT(c, "HGET hn:a n", "\"-2\"");
    EXPECT(c, "HSET hn:a s hello f 1.5 sp \" 1\" z -0 big 9223372036854775807", ":5");
    EXPECT(c, "HINCRBY hn:a s 1", "-ERR hash value is not an integer");
    EXPECT(c, "HINCRBY hn:a f 1", "-ERR hash value is not an integer");
    EXPECT(c, "HINCRBY hn:a sp 1", "-ERR hash value is not an integer");
    EXPECT(c, "HINCRBY hn:a z 1", "-ERR hash value is not an integer");
    EXPECT(c, "HINCRBY hn:a big 1", "-ERR increment or decrement would overflow");
    EXPECT(c, "HINCRBY hn:a big 0", ":9223372036854775807");
    EXPECT(c, "HINCRBY hn:a big -9223372036854775807", ":0");
    EXPECT(c, "HINCRBY hn:a big -9223372036854775808", ":-9223372036854775808");
    EXPECT(c, "HINCRBY hn:a big -1", "-ERR increment or decrement would overflow");
    EXPECT(c, "HGET hn:a big", "\"-9223372036854775808\"");
    EXPECT(c, "HINCRBY hn:a n 1.5", NOT_INT);
    EXPECT(c, "HINCRBY hn:a n \"\"", NOT_INT);
    EXPECT(c, "HINCRBY hn:a n 9223372036854775808", NOT_INT);
    EXPECT(c, "HINCRBY hn:a n", "-ERR wrong number of arguments for 'hincrby' command");
    EXPECT(c, "HINCRBY hn:none n x", NOT_INT);
    EXPECT(c, "EXISTS hn:none", ":0");                  /* no empty hash left behind */
    EXPECT(c, "HINCRBY hn:a new 0", ":0");
    EXPECT(c, "HGET hn:a new", "\"0\"");
    /* on a hashtable */
    fillHash(c, "hn:big", 600);
    EXPECT_ENC(c, "hn:big", "hashtable");
    EXPECT(c, "HINCRBY hn:big cnt 3", ":3");
    EXPECT(c, "HINCRBY hn:big cnt 4", ":7");
    EXPECT(c, "HINCRBY hn:big f1 1", "-ERR hash value is not an integer");
    EXPECT(c, "HSET hn:big num -100", ":1");
    EXPECT(c, "HINCRBY hn:big num 1", ":-99");
}

TEST(hincrbyfloat_formats_like_redis_and_refuses_bad_numbers) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HINCRBYFLOAT hf:a x 10.5", "\"10.5\"");
    EXPECT(c, "HINCRBYFLOAT hf:a x 0.1", "\"10.6\"");
    EXPECT(c, "HINCRBYFLOAT hf:a x -10.6", "\"0\"");
    EXPECT(c, "HINCRBYFLOAT hf:a x 5.0e3", "\"5000\"");
    EXPECT(c, "HINCRBYFLOAT hf:a x 2.0e2", "\"5200\"");
    EXPECT(c, "HGET hf:a x", "\"5200\"");
    EXPECT(c, "HINCRBYFLOAT hf:a x 1", "\"5201\"");
    EXPECT(c, "HINCRBYFLOAT hf:a y 1e-5", "\"0.00001\"");
    EXPECT(c, "HINCRBYFLOAT hf:a y -1e-5", "\"0\"");
    EXPECT(c, "HINCRBYFLOAT hf:a z 3.0", "\"3\"");
    EXPECT(c, "HINCRBYFLOAT hf:a z 1.0e20", "\"100000000000000000000\"");   /* 64-bit mantissa */
    EXPECT(c, "HSET hf:a i 17179869184 s abc sp \" 1\" e \"\"", ":4");
    EXPECT(c, "HINCRBYFLOAT hf:a i 1.5", "\"17179869185.5\"");
    EXPECT(c, "HINCRBYFLOAT hf:a s 1", "-ERR hash value is not a float");
    EXPECT(c, "HINCRBYFLOAT hf:a sp 1", "-ERR hash value is not a float");
    EXPECT(c, "HINCRBYFLOAT hf:a e 1", "-ERR hash value is not a float");
    EXPECT(c, "HINCRBYFLOAT hf:a x inf", "-ERR value is NaN or Infinity");
    EXPECT(c, "HINCRBYFLOAT hf:a x -inf", "-ERR value is NaN or Infinity");
    EXPECT(c, "HINCRBYFLOAT hf:a x nan", NOT_FLOAT);
    EXPECT(c, "HINCRBYFLOAT hf:a x abc", NOT_FLOAT);
    EXPECT(c, "HINCRBYFLOAT hf:a x \" 1\"", NOT_FLOAT);
    EXPECT(c, "HINCRBYFLOAT hf:a x \"\"", NOT_FLOAT);
    EXPECT(c, "HINCRBYFLOAT hf:a x 1e5000", NOT_FLOAT);
    EXPECT(c, "HSET hf:a h 1e4000", ":1");
    /* 1e4000 + 1e4000 in long double: 4001 digits, the first ones known */
    EXPECT_MATCH(c, "HINCRBYFLOAT hf:a h 1e4000", "\"19999999999999999999930927746199247569864985*\"");
    EXPECT(c, "HSTRLEN hf:a h", ":4001");
    EXPECT_ENC(c, "hf:a", "hashtable");                /* a value past 64 bytes */
    EXPECT(c, "HINCRBYFLOAT hf:a x", "-ERR wrong number of arguments for 'hincrbyfloat' command");
    EXPECT(c, "HINCRBYFLOAT hf:none x abc", NOT_FLOAT);
    EXPECT(c, "EXISTS hf:none", ":0");
}

/* The result of an increment that overflows a long double is refused and
 * the field keeps its value. */
TEST(hincrbyfloat_refuses_a_result_that_is_infinite) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hf:b x 1e4932", ":1");
    EXPECT(c, "HINCRBYFLOAT hf:b x 1e4932", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "HGET hf:b x", "\"1e4932\"");
}

/* ---- HRANDFIELD ------------------------------------------------------------------------------- */

TEST(hrandfield_without_count_returns_one_field_or_nil) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HRANDFIELD hr:none", "(nil)");
    EXPECT(c, "HSET hr:one only 1", ":1");
    EXPECT(c, "HRANDFIELD hr:one", "\"only\"");
    EXPECT(c, "HSET hr:n 42 x", ":1");                    /* an integer field */
    EXPECT(c, "HRANDFIELD hr:n", "\"42\"");
    EXPECT(c, "HSET hr:a a 1 b 2 c 3", ":3");
    fillHash(c, "hr:big", 500);
    for (int i = 0; i < 50; i++) {
        EXPECT_MATCH(c, "HRANDFIELD hr:a", "\"?\"");
        const char *r = cliCall(c, "HRANDFIELD hr:big");
        int f = -1;
        CHECK(sscanf(r, "\"f%d\"", &f) == 1 && f >= 0 && f < 500, "got %s", r);
    }
}

TEST(hrandfield_argument_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hr:e a 1", ":1");
    EXPECT(c, "HRANDFIELD hr:e x", NOT_INT);
    EXPECT(c, "HRANDFIELD hr:e 1.5", NOT_INT);
    EXPECT(c, "HRANDFIELD hr:e -9223372036854775808",
           "-ERR value is out of range, value must between -9223372036854775807 and "
           "9223372036854775807");
    EXPECT(c, "HRANDFIELD hr:e 9223372036854775807 WITHVALUES", "-ERR value is out of range");
    EXPECT(c, "HRANDFIELD hr:e -4611686018427387904 WITHVALUES", "-ERR value is out of range");
    EXPECT(c, "HRANDFIELD hr:e 4611686018427387903 WITHVALUES", "[\"a\", \"1\"]");
    EXPECT(c, "HRANDFIELD hr:e 9223372036854775807", "[\"a\"]");
    EXPECT(c, "HRANDFIELD hr:e 1 WITHVALUE", SYNTAX);
    EXPECT(c, "HRANDFIELD hr:e 1 WITHVALUES x", SYNTAX);
    EXPECT(c, "HRANDFIELD hr:e 1 withvalues", "[\"a\", \"1\"]");
    EXPECT(c, "HRANDFIELD hr:none 5", "[]");
    EXPECT(c, "HRANDFIELD hr:none -5 WITHVALUES", "[]");
    EXPECT(c, "HRANDFIELD hr:none x", NOT_INT);
    EXPECT(c, "HRANDFIELD hr:e 0", "[]");
    EXPECT(c, "HRANDFIELD hr:e 0 WITHVALUES", "[]");
    EXPECT(c, "HRANDFIELD", "-ERR wrong number of arguments for 'hrandfield' command");
}

/* hrandfieldCase checks HRANDFIELD key count [WITHVALUES] on a fillHash'ed
 * key of n fields: reply size, membership, values matching their fields,
 * and distinctness for positive counts. Returns the distinct fields seen. */
static int hrandfieldCase(redisContext *c, const char *key, int n, long count, bool withvalues) {
    redisReply *r = withvalues ? cmdReply(c, "HRANDFIELD %s %ld WITHVALUES", key, count)
                               : cmdReply(c, "HRANDFIELD %s %ld", key, count);
    size_t want = count >= 0 ? (size_t)(count < n ? count : n) : (size_t)-count;
    int distinct = 0;
    if (withvalues) {
        checkFieldValuePairs(r, want, n, &distinct);
    } else {
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == want,
                "HRANDFIELD %s %ld: %zu elements, want %zu", key, count,
                r ? r->elements : 0, want);
        char *seen = calloc((size_t)n, 1);
        for (size_t i = 0; i < r->elements; i++) {
            int f = -1;
            sscanf(r->element[i]->str, "f%d", &f);
            CHECK(f >= 0 && f < n, "field %s", r->element[i]->str);
            if (f >= 0 && f < n && !seen[f]) {
                seen[f] = 1;
                distinct++;
            }
        }
        free(seen);
    }
    if (count >= 0)
        CHECK((size_t)distinct == want, "HRANDFIELD %s %ld: %d distinct of %zu", key, count,
              distinct, want);
    freeReplyObject(r);
    return distinct;
}

TEST(hrandfield_with_a_count_on_both_encodings) {
    redisContext *c = cliConnect(s);
    fillHash(c, "hr:lp", 50);
    fillHash(c, "hr:ht", 1000);
    EXPECT_ENC(c, "hr:lp", "listpack");
    EXPECT_ENC(c, "hr:ht", "hashtable");
    static const struct { const char *key; int n; } hs[] = { { "hr:lp", 50 }, { "hr:ht", 1000 } };
    for (int h = 0; h < 2; h++) {
        const char *key = hs[h].key;
        int n = hs[h].n;
        for (int wv = 0; wv < 2; wv++) {
            hrandfieldCase(c, key, n, 1, wv);
            hrandfieldCase(c, key, n, 10, wv);
            hrandfieldCase(c, key, n, n / 2, wv);          /* the dense case */
            hrandfieldCase(c, key, n, n - 1, wv);
            hrandfieldCase(c, key, n, n, wv);              /* the whole hash */
            hrandfieldCase(c, key, n, n + 7, wv);
            hrandfieldCase(c, key, n, -1, wv);
            hrandfieldCase(c, key, n, -5, wv);
            /* many picks from few fields must repeat */
            int d = hrandfieldCase(c, key, n, -3 * n, wv);
            CHECK(d < 3 * n && d > n / 2, "%s: %d distinct of %d picks", key, d, 3 * n);
        }
    }
    /* positive counts sample fairly enough that every field shows up */
    char *seen = calloc(50, 1);
    int total = 0;
    for (int round = 0; round < 200 && total < 50; round++) {
        redisReply *r = cmdReply(c, "HRANDFIELD hr:lp 5");
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 5);
        for (size_t i = 0; i < r->elements; i++) {
            int f = atoi(r->element[i]->str + 1);
            if (!seen[f]) { seen[f] = 1; total++; }
        }
        freeReplyObject(r);
    }
    CHECK(total == 50, "only %d of 50 fields ever picked", total);
    free(seen);
}

/* Negative counts pick uniformly: 3000 picks from 1000 fields find about
 * 950 distinct ones (1000 * (1 - e^-3)); a picker that favours some chain
 * positions or buckets finds far fewer. Checked on hashtables of several
 * shapes (sizes around the table's growth points). */
TEST(hrandfield_negative_count_picks_every_field_uniformly) {
    redisContext *c = cliConnect(s);
    static const int sizes[] = { 1000, 1500, 2047, 3000 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        const char *key = tfmt("hu:%d", n);
        fillHash(c, key, n);
        for (int i = 0; i < 2 * n; i++) {             /* let any rehash finish */
            redisReply *r = cmdReply(c, "HEXISTS %s f%d", key, i);
            freeReplyObject(r);
        }
        redisReply *r = cmdReply(c, "HRANDFIELD %s %d", key, -3 * n);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == (size_t)(3 * n));
        char *seen = calloc((size_t)n, 1);
        int distinct = 0;
        for (size_t i = 0; i < r->elements; i++) {
            int f = atoi(r->element[i]->str + 1);
            if (f >= 0 && f < n && !seen[f]) { seen[f] = 1; distinct++; }
        }
        freeReplyObject(r);
        free(seen);
        /* expected 0.950 n, standard deviation about 0.005 n */
        CHECK(distinct > n * 9 / 10, "%s: %d distinct of %d fields in %d picks", key, distinct,
              n, 3 * n);
    }
}

TEST(hrandfield_on_a_small_hash_returns_it_whole_in_order) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hr:w a 1 b 2", ":2");
    EXPECT(c, "HRANDFIELD hr:w 2", "[\"a\", \"b\"]");
    EXPECT(c, "HRANDFIELD hr:w 5 WITHVALUES", "[\"a\", \"1\", \"b\", \"2\"]");
    EXPECT(c, "HRANDFIELD hr:one -3", "[\"only\", \"only\", \"only\"]");
    EXPECT(c, "HRANDFIELD hr:one -2 WITHVALUES", "[\"only\", \"1\", \"only\", \"1\"]");
}

/* ---- HSCAN ------------------------------------------------------------------------------------ */

TEST(hscan_returns_a_compact_hash_in_one_call_with_cursor_zero) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hsc:a f1 v1 f2 v2 g1 7 10 x", ":4");
    EXPECT(c, "HSCAN hsc:a 0", "[\"0\", [\"f1\", \"v1\", \"f2\", \"v2\", \"g1\", \"7\", \"10\", \"x\"]]");
    EXPECT(c, "HSCAN hsc:a 0 COUNT 1", "[\"0\", [\"f1\", \"v1\", \"f2\", \"v2\", \"g1\", \"7\", \"10\", \"x\"]]");
    EXPECT(c, "HSCAN hsc:a 0 MATCH f*", "[\"0\", [\"f1\", \"v1\", \"f2\", \"v2\"]]");
    EXPECT(c, "HSCAN hsc:a 0 MATCH 1?", "[\"0\", [\"10\", \"x\"]]");
    EXPECT(c, "HSCAN hsc:a 0 MATCH * COUNT 100", "[\"0\", [\"f1\", \"v1\", \"f2\", \"v2\", \"g1\", \"7\", \"10\", \"x\"]]");
    EXPECT(c, "HSCAN hsc:a 0 match nothing*", "[\"0\", []]");
    EXPECT(c, "HSCAN hsc:a 0 MATCH v*", "[\"0\", []]");     /* patterns match fields only */
    EXPECT(c, "HSCAN hsc:none 0", "[\"0\", []]");
    EXPECT(c, "HSCAN hsc:a 123", "[\"0\", [\"f1\", \"v1\", \"f2\", \"v2\", \"g1\", \"7\", \"10\", \"x\"]]");
}

TEST(hscan_argument_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET hsc:e a 1", ":1");
    EXPECT(c, "HSCAN hsc:e x", "-ERR invalid cursor");
    EXPECT(c, "HSCAN hsc:e \" 1\"", "-ERR invalid cursor");
    EXPECT(c, "HSCAN hsc:e 1x", "-ERR invalid cursor");
    EXPECT(c, "HSCAN hsc:e 18446744073709551616", "-ERR invalid cursor");
    EXPECT(c, "HSCAN hsc:none x", "-ERR invalid cursor");
    EXPECT(c, "HSCAN hsc:e 0 COUNT 0", SYNTAX);
    EXPECT(c, "HSCAN hsc:e 0 COUNT -1", SYNTAX);
    EXPECT(c, "HSCAN hsc:e 0 COUNT x", NOT_INT);
    EXPECT(c, "HSCAN hsc:e 0 COUNT", SYNTAX);
    EXPECT(c, "HSCAN hsc:e 0 MATCH", SYNTAX);
    EXPECT(c, "HSCAN hsc:e 0 TYPE string", SYNTAX);
    EXPECT(c, "HSCAN hsc:e 0 FOO bar", SYNTAX);
    EXPECT(c, "HSCAN hsc:e 0 count 5 match a", "[\"0\", [\"a\", \"1\"]]");
    /* a missing key answers the empty scan before looking at the options */
    EXPECT(c, "HSCAN hsc:none 0 COUNT 0", "[\"0\", []]");
    EXPECT(c, "HSCAN hsc:none 0 TYPE string", "[\"0\", []]");
    EXPECT(c, "HSCAN hsc:e", "-ERR wrong number of arguments for 'hscan' command");
}

/* scanAll runs a full HSCAN of key with the given options and returns how
 * many calls it took; each field seen is marked in seen[] (fields fN,
 * N < n), values are checked against their fields. */
static int scanAll(redisContext *c, const char *key, const char *opts, int n, char *seen,
                   int *maxBatch) {
    char cursor[32] = "0";
    int calls = 0;
    *maxBatch = 0;
    do {
        redisReply *r = cmdReply(c, tfmt("HSCAN %s %s %s", key, cursor, opts));
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2, "HSCAN: %s", replyText(r));
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        redisReply *els = r->element[1];
        REQUIRE(els->elements % 2 == 0);
        if ((int)els->elements / 2 > *maxBatch) *maxBatch = (int)els->elements / 2;
        for (size_t i = 0; i < els->elements; i += 2) {
            int f = -1, v = -2;
            sscanf(els->element[i]->str, "f%d", &f);
            sscanf(els->element[i + 1]->str, "v%d", &v);
            CHECK(f >= 0 && f < n && f == v, "pair %s=%s", els->element[i]->str,
                  els->element[i + 1]->str);
            if (f >= 0 && f < n) seen[f] = 1;
        }
        freeReplyObject(r);
        calls++;
        REQUIRE(calls < 100000, "HSCAN does not end");
    } while (strcmp(cursor, "0") != 0);
    return calls;
}

TEST(hscan_walks_a_hashtable_to_cursor_zero_returning_every_field) {
    redisContext *c = cliConnect(s);
    enum { N = 2000 };
    fillHash(c, "hsc:big", N);
    EXPECT_ENC(c, "hsc:big", "hashtable");
    char *seen = calloc(N, 1);
    int maxBatch;
    int calls = scanAll(c, "hsc:big", "", N, seen, &maxBatch);
    int total = 0;
    for (int i = 0; i < N; i++) total += seen[i];
    CHECK(total == N, "%d of %d fields seen", total, N);
    /* COUNT 10 counts a field and its value as two: about 5 pairs a call */
    CHECK(calls > N / 20 && calls < N, "%d calls", calls);
    CHECK(maxBatch < 40, "a call returned %d pairs", maxBatch);
    memset(seen, 0, N);
    calls = scanAll(c, "hsc:big", "COUNT 1000", N, seen, &maxBatch);
    total = 0;
    for (int i = 0; i < N; i++) total += seen[i];
    CHECK(total == N, "COUNT 1000: %d of %d fields seen", total, N);
    CHECK(calls <= 10 && maxBatch >= 400, "COUNT 1000: %d calls, max %d pairs", calls, maxBatch);
    /* MATCH filters: f1, f10..f19, f100..f199, f1000..f1999 */
    memset(seen, 0, N);
    scanAll(c, "hsc:big", "MATCH f1* COUNT 100", N, seen, &maxBatch);
    total = 0;
    bool wrong = false;
    for (int i = 0; i < N; i++) {
        total += seen[i];
        if (seen[i] && tfmt("%d", i)[0] != '1') wrong = true;
    }
    CHECK(total == 1111 && !wrong, "MATCH f1*: %d fields", total);
    free(seen);
}

/* Fields added or removed during a scan do not hide the fields present for
 * the whole scan (the table resizes under the cursor). */
TEST(hscan_survives_the_table_growing_and_shrinking_between_calls) {
    redisContext *c = cliConnect(s);
    enum { N = 600 };
    fillHash(c, "hsc:grow", N);
    EXPECT_ENC(c, "hsc:grow", "hashtable");
    char *seen = calloc(N, 1);
    char cursor[32] = "0";
    int calls = 0;
    do {
        redisReply *r = cmdReply(c, tfmt("HSCAN hsc:grow %s COUNT 20", cursor));
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2);
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        redisReply *els = r->element[1];
        for (size_t i = 0; i < els->elements; i += 2) {
            int f = -1;
            if (sscanf(els->element[i]->str, "f%d", &f) == 1 && f >= 0 && f < N) seen[f] = 1;
        }
        freeReplyObject(r);
        /* grow during the first half, shrink back afterwards */
        if (calls < 10) {
            for (int k = 0; k < 300; k++) {
                redisReply *w = cmdReply(c, "HSET hsc:grow x%d-%d 1", calls, k);
                freeReplyObject(w);
            }
        } else if (calls < 20) {
            for (int k = 0; k < 300; k++) {
                redisReply *w = cmdReply(c, "HDEL hsc:grow x%d-%d", calls - 10, k);
                freeReplyObject(w);
            }
        }
        calls++;
        REQUIRE(calls < 10000);
    } while (strcmp(cursor, "0") != 0);
    int total = 0;
    for (int i = 0; i < N; i++) total += seen[i];
    CHECK(total == N, "%d of %d original fields seen", total, N);
    free(seen);
}

/* ---- RESP3 ------------------------------------------------------------------------------------ */

TEST(resp3_shapes_of_hash_replies) {
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*\"proto\": :3*}");
    EXPECT_RAW(r, "HSET r3h:a a 1 b 2", ":2");
    EXPECT_RAW(r, "HGETALL r3h:a", "{\"a\": \"1\", \"b\": \"2\"}");
    EXPECT_RAW(r, "HGETALL r3h:none", "{}");
    EXPECT_RAW(r, "HKEYS r3h:a", "[\"a\", \"b\"]");
    EXPECT_RAW(r, "HVALS r3h:a", "[\"1\", \"2\"]");
    EXPECT_RAW(r, "HKEYS r3h:none", "[]");
    EXPECT_RAW(r, "HGET r3h:a nope", "(nil)");
    EXPECT_RAW(r, "HMGET r3h:a a nope", "[\"1\", (nil)]");
    EXPECT_RAW(r, "HRANDFIELD r3h:none", "(nil)");
    EXPECT_RAW(r, "HRANDFIELD r3h:a 5 WITHVALUES", "[[\"a\", \"1\"], [\"b\", \"2\"]]");
    EXPECT_RAW(r, "HRANDFIELD r3h:a 5", "[\"a\", \"b\"]");
    EXPECT_RAW(r, "HRANDFIELD r3h:none 5 WITHVALUES", "[]");
    EXPECT_RAW(r, "HSET r3h:one x y", ":1");
    EXPECT_RAW(r, "HRANDFIELD r3h:one -2 WITHVALUES", "[[\"x\", \"y\"], [\"x\", \"y\"]]");
    EXPECT_RAW(r, "HRANDFIELD r3h:one 1 WITHVALUES", "[[\"x\", \"y\"]]");
    EXPECT_RAW(r, "HSCAN r3h:a 0", "[\"0\", [\"a\", \"1\", \"b\", \"2\"]]");
    EXPECT_RAW(r, "HSCAN r3h:none 0", "[\"0\", []]");
    EXPECT_RAW(r, "HINCRBYFLOAT r3h:a a 1.5", "\"2.5\"");   /* a bulk string, not a double */
    EXPECT_RAW(r, "HINCRBY r3h:a b 1", ":3");
    EXPECT_RAW(r, "HEXISTS r3h:a a", ":1");
    EXPECT_RAW(r, "HMSET r3h:a c 3", "+OK");
    /* a hashtable's map has every pair */
    for (int i = 0; i < 600; i++) rawCallf(r, "HSET r3h:big f%d v%d", i, i);
    EXPECT_RAW_MATCH(r, "HGETALL r3h:big", "{\"f*\": \"v*\", *\"f*\": \"v*\"}");
    EXPECT_RAW_MATCH(r, "HRANDFIELD r3h:big 2 WITHVALUES", "[[\"f*\", \"v*\"], [\"f*\", \"v*\"]]");
    EXPECT_RAW_MATCH(r, "HRANDFIELD r3h:big -2 WITHVALUES", "[[\"f*\", \"v*\"], [\"f*\", \"v*\"]]");
}

TEST(resp2_nulls_of_hash_replies_are_null_bulks) {
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "HGET r2h:none a", "(nil)");
    EXPECT_RAW(r, "HMGET r2h:none a", "[(nil)]");
    EXPECT_RAW(r, "HRANDFIELD r2h:none", "(nil)");
    EXPECT_RAW(r, "HGETALL r2h:none", "[]");
    EXPECT_RAW(r, "HSET r2h:a a 1", ":1");
    EXPECT_RAW(r, "HRANDFIELD r2h:a -2 WITHVALUES", "[\"a\", \"1\", \"a\", \"1\"]");
}

/* ---- encodings ---------------------------------------------------------------------------------- */

TEST(conversion_by_number_of_fields_for_each_writing_command) {
    redisContext *c = cliConnect(sEnc);
    EXPECT(c, "CONFIG SET hash-max-listpack-entries 4", "+OK");
    EXPECT(c, "CONFIG SET hash-max-listpack-value 64", "+OK");
    EXPECT(c, "HSET ce:a a 1 b 2 c 3 d 4", ":4");
    EXPECT_ENC(c, "ce:a", "listpack");
    EXPECT(c, "HSET ce:a a 10 d 40", ":0");               /* updates do not count */
    EXPECT_ENC(c, "ce:a", "listpack");
    EXPECT(c, "HSET ce:a e 5", ":1");
    EXPECT_ENC(c, "ce:a", "hashtable");
    EXPECT(c, "HMSET ce:b a 1 b 2 c 3 d 4 e 5", "+OK");
    EXPECT_ENC(c, "ce:b", "hashtable");
    EXPECT(c, "HSET ce:c a 1 b 2 c 3 a 4 b 5", ":3");     /* repeats are not fields */
    EXPECT_ENC(c, "ce:c", "listpack");
    EXPECT(c, "HSET ce:d a 1 b 2 c 3 d 4", ":4");
    EXPECT(c, "HSETNX ce:d d 5", ":0");
    EXPECT_ENC(c, "ce:d", "listpack");
    EXPECT(c, "HSETNX ce:d e 5", ":1");
    EXPECT_ENC(c, "ce:d", "hashtable");
    EXPECT(c, "HSET ce:e a 1 b 2 c 3 d 4", ":4");
    EXPECT(c, "HINCRBY ce:e d 1", ":5");
    EXPECT_ENC(c, "ce:e", "listpack");
    EXPECT(c, "HINCRBY ce:e e 1", ":1");
    EXPECT_ENC(c, "ce:e", "hashtable");
    EXPECT(c, "HSET ce:f a 1 b 2 c 3 d 4", ":4");
    EXPECT(c, "HINCRBYFLOAT ce:f e 1.5", "\"1.5\"");
    EXPECT_ENC(c, "ce:f", "hashtable");
    /* with 0 every hash is a hashtable */
    EXPECT(c, "CONFIG SET hash-max-listpack-entries 0", "+OK");
    EXPECT(c, "HSET ce:g a 1", ":1");
    EXPECT_ENC(c, "ce:g", "hashtable");
    EXPECT(c, "HSETNX ce:h a 1", ":1");
    EXPECT_ENC(c, "ce:h", "hashtable");
    EXPECT(c, "HINCRBY ce:i a 1", ":1");
    EXPECT_ENC(c, "ce:i", "hashtable");
    EXPECT(c, "CONFIG SET hash-max-listpack-entries 128", "+OK");
    EXPECT(c, "HGETALL ce:g", "[\"a\", \"1\"]");
    /* the default boundary: 128 fields stay compact, 129 do not */
    fillHash(c, "ce:j", 128);
    EXPECT_ENC(c, "ce:j", "listpack");
    EXPECT(c, "HSET ce:j f0 x", ":0");
    EXPECT_ENC(c, "ce:j", "listpack");
    EXPECT(c, "HSET ce:j f128 x", ":1");
    EXPECT_ENC(c, "ce:j", "hashtable");
    EXPECT(c, "HLEN ce:j", ":129");
    EXPECT(c, "HGET ce:j f0", "\"x\"");
    EXPECT(c, "HGET ce:j f127", "\"v127\"");
}

TEST(conversion_by_length_of_a_field_or_value) {
    redisContext *c = cliConnect(sEnc);
    EXPECT(c, "CONFIG SET hash-max-listpack-entries 128", "+OK");
    EXPECT(c, "CONFIG SET hash-max-listpack-value 8", "+OK");
    EXPECT(c, "HSET cv:a a 12345678 abcdefgh x", ":2");   /* 8 bytes fit */
    EXPECT_ENC(c, "cv:a", "listpack");
    EXPECT(c, "HSET cv:b a 123456789", ":1");
    EXPECT_ENC(c, "cv:b", "hashtable");
    EXPECT(c, "HSET cv:c abcdefghi 1", ":1");
    EXPECT_ENC(c, "cv:c", "hashtable");
    /* HSET checks every argument before writing, even an update */
    EXPECT(c, "HSET cv:d a 1", ":1");
    EXPECT(c, "HSET cv:d a 1 b 123456789", ":1");
    EXPECT_ENC(c, "cv:d", "hashtable");
    EXPECT(c, "HSET cv:e a 1", ":1");
    EXPECT(c, "HSET cv:e a 123456789", ":0");
    EXPECT_ENC(c, "cv:e", "hashtable");
    /* HSETNX on an existing field writes nothing and converts nothing */
    EXPECT(c, "HSET cv:f a 1", ":1");
    EXPECT(c, "HSETNX cv:f a 123456789", ":0");
    EXPECT_ENC(c, "cv:f", "listpack");
    EXPECT(c, "HSETNX cv:f b 123456789", ":1");
    EXPECT_ENC(c, "cv:f", "hashtable");
    /* HINCRBY counts the new value's decimal length */
    EXPECT(c, "HSET cv:g a 1", ":1");
    EXPECT(c, "HINCRBY cv:g a 12345677", ":12345678");
    EXPECT_ENC(c, "cv:g", "listpack");
    EXPECT(c, "HINCRBY cv:g a 100000000", ":112345678");
    EXPECT_ENC(c, "cv:g", "hashtable");
    EXPECT(c, "HINCRBY cv:h longfield1 1", ":1");
    EXPECT_ENC(c, "cv:h", "hashtable");
    EXPECT(c, "HSET cv:i a 1", ":1");
    EXPECT(c, "HINCRBYFLOAT cv:i a 0.5", "\"1.5\"");
    EXPECT_ENC(c, "cv:i", "listpack");
    EXPECT(c, "HINCRBYFLOAT cv:i a 0.1234567", "\"1.6234567\"");
    EXPECT_ENC(c, "cv:i", "hashtable");
    EXPECT(c, "HGETALL cv:i", "[\"a\", \"1.6234567\"]");
    EXPECT(c, "CONFIG SET hash-max-listpack-value 64", "+OK");
    EXPECT(c, "HSET cv:j a " "0123456789012345678901234567890123456789012345678901234567890123", ":1");
    EXPECT_ENC(c, "cv:j", "listpack");
    EXPECT(c, "HSET cv:k a " "01234567890123456789012345678901234567890123456789012345678901234", ":1");
    EXPECT_ENC(c, "cv:k", "hashtable");
}

TEST(the_default_thresholds_are_512_fields_and_64_bytes) {
    redisContext *c = cliConnect(s);
    fillHash(c, "dt:a", 512);
    EXPECT_ENC(c, "dt:a", "listpack");
    EXPECT(c, "HSET dt:a f511 x", ":0");
    EXPECT_ENC(c, "dt:a", "listpack");
    EXPECT(c, "HSET dt:a f512 x", ":1");
    EXPECT_ENC(c, "dt:a", "hashtable");
    EXPECT(c, "HGET dt:a f511", "\"x\"");
    EXPECT(c, "HGET dt:a f0", "\"v0\"");
    CHECK_STR(cliCallSorted(c, "CONFIG GET hash-max-listpack-*"),
              "512 64 hash-max-listpack-entries hash-max-listpack-value");
}

TEST(a_hashtable_never_converts_back) {
    redisContext *c = cliConnect(sEnc);
    EXPECT(c, "CONFIG SET hash-max-listpack-entries 2", "+OK");
    EXPECT(c, "CONFIG SET hash-max-listpack-value 64", "+OK");
    EXPECT(c, "HSET nb:a a 1 b 2 c 3", ":3");
    EXPECT_ENC(c, "nb:a", "hashtable");
    EXPECT(c, "HDEL nb:a a b", ":2");
    EXPECT_ENC(c, "nb:a", "hashtable");
    EXPECT(c, "CONFIG SET hash-max-listpack-entries 128", "+OK");
    EXPECT(c, "HSET nb:a d 4", ":1");
    EXPECT_ENC(c, "nb:a", "hashtable");
    CHECK_STR(cliCallSorted(c, "HGETALL nb:a"), "3 4 c d");
    CHECK_STR(cliCallSorted(c, "HKEYS nb:a"), "c d");
    CHECK_STR(cliCallSorted(c, "HVALS nb:a"), "3 4");
    EXPECT(c, "CONFIG GET hash-max-ziplist-entries", "[\"hash-max-ziplist-entries\", \"128\"]");
}

/* Values longer than 512 bytes live outside the hashtable entry: writes of
 * every size over every size must read back. */
TEST(values_of_every_size_round_trip_in_both_encodings) {
    redisContext *c = cliConnect(s);
    static const size_t sizes[] = { 0, 1, 63, 64, 65, 254, 255, 256, 511, 512, 513, 4095, 4096,
                                    70000, 1 << 20 };
    const size_t ns = sizeof sizes / sizeof sizes[0];
    char *buf = malloc((1 << 20) + 1);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < ns; i++) {
            for (size_t j = 0; j < ns; j++) {
                /* round 0: small values in a listpack; round 1: a hashtable */
                const char *key = round ? "vs:ht" : "vs:lp";
                if (!round && (sizes[i] > 64 || sizes[j] > 64)) continue;
                memset(buf, 'a' + (int)(i % 26), sizes[i]);
                redisReply *r = cmdReply(c, "HSET %s fld %b", key, buf, sizes[i]);
                freeReplyObject(r);
                memset(buf, 'A' + (int)(j % 26), sizes[j]);
                r = cmdReply(c, "HSET %s fld %b", key, buf, sizes[j]);
                CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == 0, "%zu->%zu: %s",
                      sizes[i], sizes[j], replyText(r));
                freeReplyObject(r);
                r = cmdReply(c, "HGET %s fld", key);
                CHECK(r && r->type == REDIS_REPLY_STRING && r->len == sizes[j] &&
                          memcmp(r->str, buf, sizes[j]) == 0,
                      "%s %zu->%zu reads back wrong", key, sizes[i], sizes[j]);
                freeReplyObject(r);
                r = cmdReply(c, "HSTRLEN %s fld", key);
                CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == (long long)sizes[j]);
                freeReplyObject(r);
            }
            if (!round) EXPECT_ENC(c, "vs:lp", "listpack");
        }
        /* long fields too */
        memset(buf, 'F', 1000);
        redisReply *r = cmdReply(c, "HSET vs:ht %b big", buf, (size_t)1000);
        freeReplyObject(r);
        r = cmdReply(c, "HGET vs:ht %b", buf, (size_t)1000);
        CHECK(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, "big") == 0);
        freeReplyObject(r);
    }
    EXPECT_ENC(c, "vs:ht", "hashtable");
    EXPECT(c, "HLEN vs:ht", ":2");
    free(buf);
}

/* ---- big hashes ------------------------------------------------------------------------------ */

TEST(a_hash_of_100000_fields) {
    redisContext *c = cliConnect(s);
    enum { N = 100000 };
    fillHash(c, "big:h", N);
    EXPECT(c, "HLEN big:h", tfmt(":%d", N));
    EXPECT(c, "HGET big:h f77777", "\"v77777\"");
    EXPECT(c, "HGET big:h f100000", "(nil)");
    for (int i = 0; i < N; i += 2) redisAppendCommand(c, "HDEL big:h f%d", i);
    int deleted = 0;
    for (int i = 0; i < N; i += 2) {
        redisReply *r;
        REQUIRE(redisGetReply(c, (void **)&r) == REDIS_OK);
        deleted += r->type == REDIS_REPLY_INTEGER ? (int)r->integer : 0;
        freeReplyObject(r);
    }
    CHECK(deleted == N / 2, "deleted %d", deleted);
    EXPECT(c, "HLEN big:h", tfmt(":%d", N / 2));
    EXPECT(c, "HEXISTS big:h f50000", ":0");
    EXPECT(c, "HEXISTS big:h f50001", ":1");
    redisReply *r = cmdReply(c, "HGETALL big:h");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == N);
    int odd = 0;
    for (size_t i = 0; i < r->elements; i += 2) odd += atoi(r->element[i]->str + 1) % 2;
    CHECK(odd == N / 2, "%d odd fields", odd);
    freeReplyObject(r);
    EXPECT_MATCH(c, "MEMORY USAGE big:h", ":*");
    EXPECT(c, "DEL big:h", ":1");
    EXPECT(c, "EXISTS big:h", ":0");
}

/* ttlBetween: TTL key lies in [lo, hi]. */
static bool ttlBetween(redisContext *c, const char *key, long long lo, long long hi) {
    const char *r = cliCall(c, tfmt("TTL %s", key));
    long long v;
    if (sscanf(r, ":%lld", &v) == 1 && v >= lo && v <= hi) return true;
    harnessFail(__FILE__, __LINE__, "TTL %s: %s, want %lld..%lld", key, r, lo, hi);
    return false;
}

/* ---- keys holding hashes ------------------------------------------------------------------------ */

TEST(copy_rename_move_and_expire_keep_the_hash) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET kh:a a 1 b 2", ":2");
    fillHash(c, "kh:big", 600);
    EXPECT(c, "COPY kh:a kh:a2", ":1");
    EXPECT(c, "COPY kh:big kh:big2", ":1");
    EXPECT(c, "HSET kh:a a 100", ":0");                   /* the copies are independent */
    EXPECT(c, "HDEL kh:big f0", ":1");
    EXPECT(c, "HGET kh:a2 a", "\"1\"");
    EXPECT(c, "HGET kh:big2 f0", "\"v0\"");
    EXPECT(c, "HLEN kh:big2", ":600");
    EXPECT_ENC(c, "kh:a2", "listpack");
    EXPECT_ENC(c, "kh:big2", "hashtable");
    EXPECT(c, "RENAME kh:a2 kh:a3", "+OK");
    EXPECT(c, "HGETALL kh:a3", "[\"a\", \"1\", \"b\", \"2\"]");
    EXPECT(c, "MOVE kh:a3 1", ":1");
    EXPECT(c, "EXISTS kh:a3", ":0");
    EXPECT(c, "SELECT 1", "+OK");
    EXPECT(c, "HGETALL kh:a3", "[\"a\", \"1\", \"b\", \"2\"]");
    EXPECT(c, "DEL kh:a3", ":1");
    EXPECT(c, "SELECT 0", "+OK");
    /* writes keep the TTL */
    EXPECT(c, "EXPIRE kh:a 1000", ":1");
    EXPECT(c, "HSET kh:a c 3", ":1");
    EXPECT(c, "HINCRBY kh:a c 3", ":6");
    EXPECT(c, "HDEL kh:a c", ":1");
    CHECK(ttlBetween(c, "kh:a", 990, 1000));
    EXPECT(c, "EXPIRE kh:big2 1000", ":1");
    EXPECT(c, "HSET kh:big2 new 1", ":1");
    CHECK(ttlBetween(c, "kh:big2", 990, 1000));
    /* an expired hash is gone for every command */
    EXPECT(c, "HSET kh:e a 1", ":1");
    EXPECT(c, "PEXPIRE kh:e 1", ":1");
    harnessSleepMs(5);
    EXPECT(c, "HGET kh:e a", "(nil)");
    EXPECT(c, "HLEN kh:e", ":0");
    EXPECT(c, "HSET kh:e b 2", ":1");
    EXPECT(c, "HGETALL kh:e", "[\"b\", \"2\"]");
    EXPECT(c, "TTL kh:e", ":-1");
    EXPECT(c, "TYPE kh:e", "+hash");
}

/* ---- concurrency ------------------------------------------------------------------------------ */

static int hashWriter(redisContext *x, int w, int i) {
    redisAppendCommand(x, "HINCRBY cw:h n 1");
    redisAppendCommand(x, "HSET cw:h w%d-%d %d", w, i, i);
    redisAppendCommand(x, "HINCRBYFLOAT cw:h x 0.5");
    return 3;
}

/* Writers on one hash from several connections (threads 4 in roost) lose
 * no update: HINCRBY on a shared field and HSET of distinct fields. */
TEST(concurrent_writers_on_one_hash_lose_no_update) {
    enum { WRITERS = 4, EACH = 2000 };
    redisContext *c = cliConnect(sThreads);
    forkWriters(sThreads, WRITERS, EACH, hashWriter, false);
    EXPECT(c, "HGET cw:h n", tfmt("\"%d\"", WRITERS * EACH));
    EXPECT(c, "HGET cw:h x", tfmt("\"%d\"", WRITERS * EACH / 2));
    EXPECT(c, "HLEN cw:h", tfmt(":%d", WRITERS * EACH + 2));
    EXPECT_ENC(c, "cw:h", "hashtable");
}

/* ---- tools ---------------------------------------------------------------------------------------- */

TEST(redis_benchmark_hset_runs_clean) {
    harnessSetTimeout(200);
    int old = runCmdSetTimeout(180000);
    char *out = NULL;
    int rc = runCmd(&out, "redis-benchmark -p %d -t hset -n 100000 -P 16 -c 50 --csv",
                    srvPort(sThreads));
    CHECK(rc == 0, "redis-benchmark exited with %d:\n%s", rc, out ? out : "");
    CHECK(out && strstr(out, "\"HSET\",\""), "no HSET line:\n%s", out ? out : "");
    CHECK(out && !strstr(out, "ERR") && !strcasestr(out, "error"), "%s", out ? out : "");
    /* random fields of random keys: small hashes growing, some past 128 fields */
    rc = runCmd(&out, "redis-benchmark -p %d -n 100000 -P 16 -c 20 -r 1000 --csv "
                "HSET 'bh:__rand_int__' 'f__rand_int__' v", srvPort(sThreads));
    CHECK(rc == 0, "redis-benchmark exited with %d:\n%s", rc, out ? out : "");
    CHECK(out && !strstr(out, "ERR") && !strcasestr(out, "error"), "%s", out ? out : "");
    runCmdSetTimeout(old);
    redisContext *c = cliConnect(sThreads);
    EXPECT(c, "HSTRLEN myhash element:__rand_int__", ":3");   /* -d 3: three random bytes */
    EXPECT(c, "HLEN myhash", ":1");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    sEnc = srvStart(NULL);
    sThreads = srvStart(srvIsOracle() ? NULL : "threads 4");
    return harnessMain(argc, argv);
}
