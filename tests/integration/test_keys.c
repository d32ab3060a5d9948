/* test_keys.c — the generic key commands (src/types/keys.c): DEL UNLINK
 * EXISTS TOUCH TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX COPY MOVE OBJECT
 * DBSIZE FLUSHDB FLUSHALL SWAPDB, with Redis 7.0's exact replies and errors
 * in RESP2 and RESP3. The expiry commands are in test_expire.c.
 *
 * Every expectation here holds for Redis 7.0 too (ROOST_ORACLE=redis).
 * Tests that count keys start with FLUSHALL; the others use their own key
 * names, so the tests do not depend on each other.
 */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv *s;

/* ---- helpers ------------------------------------------------------------------- */

/* intReply: the integer reply of cmdline, or LLONG_MIN (and a failure). */
static long long intReply(redisContext *c, const char *cmdline) {
    const char *r = cliCall(c, cmdline);
    if (r[0] != ':') {
        harnessFail(__FILE__, __LINE__, "%s: expected an integer, got %s", cmdline, r);
        return -9223372036854775807LL - 1;
    }
    return atoll(r + 1);
}

static int cmpStr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sortedArray sends argv-split cmdline and returns its array reply sorted,
 * joined with single spaces ("" for an empty array). */
static const char *sortedArray(redisContext *c, const char *cmdline) {
    char *copy = strdup(cmdline), *save = NULL, *argv[16];
    int argc = 0;
    for (char *t = strtok_r(copy, " ", &save); t && argc < 16; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    redisReply *r = redisCommandArgv(c, argc, (const char **)argv, NULL);
    free(copy);
    if (!r || r->type != REDIS_REPLY_ARRAY) {
        const char *t = tfmt("(not an array: %s)", replyText(r));
        if (r) freeReplyObject(r);
        return t;
    }
    char **v = malloc(sizeof(char *) * (r->elements + 1));
    size_t total = 1;
    for (size_t i = 0; i < r->elements; i++) {
        v[i] = r->element[i]->str;
        total += r->element[i]->len + 1;
    }
    qsort(v, r->elements, sizeof(char *), cmpStr);
    char *out = malloc(total);
    out[0] = '\0';
    for (size_t i = 0; i < r->elements; i++) {
        if (i) strcat(out, " ");
        strcat(out, v[i]);
    }
    const char *t = tfmt("%s", out);
    free(out);
    free(v);
    freeReplyObject(r);
    return t;
}

/* loadKeys sets prefix<i> = i for i in [from, from+n), pipelined. */
static void loadKeys(redisContext *c, const char *prefix, int from, int n) {
    for (int i = from; i < from + n; i++) redisAppendCommand(c, "SET %s%d %d", prefix, i, i);
    for (int i = 0; i < n; i++) {
        redisReply *r = NULL;
        REQUIRE(redisGetReply(c, (void **)&r) == REDIS_OK && r, "pipelined SET failed");
        CHECK(r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0, "SET replied %s",
              replyText(r));
        freeReplyObject(r);
    }
}

/* supported: does the server know this command (for commands of other
 * families that some tests use to make keys of every type)? */
static bool supported(redisContext *c, const char *cmdline) {
    return strncmp(cliCall(c, cmdline), "-ERR unknown command", 20) != 0;
}

/* scanState: one whole SCAN iteration's findings for keys "<prefix><N>". */
typedef struct scanState {
    const char *prefix;
    int max;                 /* N < max are tracked */
    unsigned char *seen;     /* times each N came back */
    long calls, returned, foreign;
} scanState;

/* scanAll runs SCAN from cursor 0 to 0 with the options in opts (space
 * separated), calling between(arg) after every call. */
static bool scanAll(redisContext *c, const char *opts, scanState *st,
                    void (*between)(void *), void *arg) {
    char cursor[32] = "0";
    size_t plen = strlen(st->prefix);
    do {
        char *copy = strdup(opts), *save = NULL;
        const char *argv[16] = { "SCAN", cursor };
        int argc = 2;
        for (char *t = strtok_r(copy, " ", &save); t && argc < 16; t = strtok_r(NULL, " ", &save))
            argv[argc++] = t;
        redisReply *r = redisCommandArgv(c, argc, argv, NULL);
        free(copy);
        if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_ARRAY) {
            harnessFail(__FILE__, __LINE__, "SCAN %s %s: bad reply %s", cursor, opts, replyText(r));
            if (r) freeReplyObject(r);
            return false;
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            const char *k = r->element[1]->element[i]->str;
            st->returned++;
            if (strncmp(k, st->prefix, plen) == 0) {
                int n = atoi(k + plen);
                if (n >= 0 && n < st->max) {
                    if (st->seen[n] < 255) st->seen[n]++;
                    continue;
                }
            }
            st->foreign++;
        }
        freeReplyObject(r);
        st->calls++;
        if (between) between(arg);
        if (st->calls > 1000000) {
            harnessFail(__FILE__, __LINE__, "SCAN never returned cursor 0");
            return false;
        }
    } while (strcmp(cursor, "0") != 0);
    return true;
}

/* missingIn counts the N in [from, to) that SCAN never returned. */
static int missingIn(const scanState *st, int from, int to) {
    int miss = 0;
    for (int i = from; i < to; i++) miss += st->seen[i] == 0;
    return miss;
}

/* ---- DEL UNLINK EXISTS TOUCH TYPE ------------------------------------------------- */

TEST(del_and_unlink_count_the_keys_they_removed) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET d1 a", "+OK");
    EXPECT(c, "SET d2 b", "+OK");
    EXPECT(c, "DEL d1 d1 nokey", ":1");
    EXPECT(c, "GET d1", "(nil)");
    EXPECT(c, "DEL d1", ":0");
    EXPECT(c, "SET d1 a", "+OK");
    EXPECT(c, "UNLINK d1 d2 nokey", ":2");
    EXPECT(c, "UNLINK d1", ":0");
    EXPECT(c, "EXISTS d1 d2", ":0");
    EXPECT(c, "DEL", "-ERR wrong number of arguments for 'del' command");
    EXPECT(c, "UNLINK", "-ERR wrong number of arguments for 'unlink' command");
}

TEST(exists_and_touch_count_every_argument_that_names_a_key) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET e1 a", "+OK");
    EXPECT(c, "SET e2 b", "+OK");
    EXPECT(c, "EXISTS e1", ":1");
    EXPECT(c, "EXISTS e1 e1 e2 nokey", ":3");
    EXPECT(c, "EXISTS nokey", ":0");
    EXPECT(c, "TOUCH e1 e1 e2 nokey", ":3");
    EXPECT(c, "TOUCH nokey", ":0");
    EXPECT(c, "EXISTS", "-ERR wrong number of arguments for 'exists' command");
    EXPECT(c, "TOUCH", "-ERR wrong number of arguments for 'touch' command");
}

TEST(type_names_the_kind_of_value) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEL ty:s ty:l ty:set ty:z ty:h ty:x", ":0");
    EXPECT(c, "SET ty:s v", "+OK");
    EXPECT(c, "TYPE ty:s", "+string");
    EXPECT(c, "TYPE nokey", "+none");
    EXPECT(c, "TYPE", "-ERR wrong number of arguments for 'type' command");
    EXPECT(c, "TYPE a b", "-ERR wrong number of arguments for 'type' command");
    /* the other types, as far as their families are there */
    static const struct { const char *make, *key, *type; } kinds[] = {
        { "RPUSH ty:l a", "ty:l", "+list" },
        { "SADD ty:set a", "ty:set", "+set" },
        { "ZADD ty:z 1 a", "ty:z", "+zset" },
        { "HSET ty:h f v", "ty:h", "+hash" },
        { "XADD ty:x 1-1 f v", "ty:x", "+stream" },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (!supported(c, kinds[i].make)) continue;
        EXPECT(c, tfmt("TYPE %s", kinds[i].key), kinds[i].type);
    }
}

/* ---- KEYS --------------------------------------------------------------------------- */

TEST(keys_matches_glob_patterns) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    const char *names[] = { "a*b", "a?b", "axb", "a\\b", "ab", "aXb", "hello", "hallo", "hxllo",
                            "heeeello" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *argv[] = { "SET", names[i], "1" };
        EXPECTV(c, 3, argv, NULL, "+OK");
    }
    CHECK_STR(sortedArray(c, "KEYS *"), "a*b a?b aXb a\\b ab axb hallo heeeello hello hxllo");
    CHECK_STR(sortedArray(c, "KEYS h?llo"), "hallo hello hxllo");
    CHECK_STR(sortedArray(c, "KEYS h*llo"), "hallo heeeello hello hxllo");
    CHECK_STR(sortedArray(c, "KEYS h[ae]llo"), "hallo hello");
    CHECK_STR(sortedArray(c, "KEYS h[^e]llo"), "hallo hxllo");
    CHECK_STR(sortedArray(c, "KEYS h[a-e]llo"), "hallo hello");
    CHECK_STR(sortedArray(c, "KEYS a[a-z]b"), "axb");
    CHECK_STR(sortedArray(c, "KEYS a[^x]b"), "a*b a?b aXb a\\b");
    CHECK_STR(sortedArray(c, "KEYS a\\*b"), "a*b");
    CHECK_STR(sortedArray(c, "KEYS a\\?b"), "a?b");
    CHECK_STR(sortedArray(c, "KEYS a\\\\b"), "a\\b");
    CHECK_STR(sortedArray(c, "KEYS a?b"), "a*b a?b aXb a\\b axb");
    CHECK_STR(sortedArray(c, "KEYS nomatch*"), "");
    EXPECT(c, "KEYS nomatch*", "[]");
    EXPECT(c, "KEYS ab", "[\"ab\"]");
    EXPECT(c, "KEYS", "-ERR wrong number of arguments for 'keys' command");
    EXPECT(c, "KEYS a b", "-ERR wrong number of arguments for 'keys' command");
}

TEST(keys_lists_only_the_selected_database) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "SET in0 x", "+OK");
    EXPECT(c, "SELECT 2", "+OK");
    EXPECT(c, "SET in2 x", "+OK");
    EXPECT(c, "KEYS *", "[\"in2\"]");
    EXPECT(c, "SELECT 0", "+OK");
    EXPECT(c, "KEYS *", "[\"in0\"]");
}

TEST(keys_returns_ten_thousand_keys_once_each) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "k:", 0, 10000);
    redisReply *r = redisCommand(c, "KEYS k:*");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY, "KEYS: %s", replyText(r));
    CHECK(r->elements == 10000, "KEYS returned %zu keys", r->elements);
    unsigned char *seen = calloc(10000, 1);
    int bad = 0;
    for (size_t i = 0; i < r->elements; i++) {
        int n = atoi(r->element[i]->str + 2);
        if (n < 0 || n >= 10000 || seen[n]++) bad++;
    }
    CHECK(bad == 0, "%d duplicate or unknown keys", bad);
    free(seen);
    freeReplyObject(r);
    CHECK_STR(sortedArray(c, "KEYS k:999?"), "k:9990 k:9991 k:9992 k:9993 k:9994 k:9995 k:9996 "
                                             "k:9997 k:9998 k:9999");
}

/* ---- SCAN --------------------------------------------------------------------------- */

TEST(scan_rejects_bad_cursors_and_options) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SCAN abc", "-ERR invalid cursor");
    EXPECT(c, "SCAN \" 1\"", "-ERR invalid cursor");
    EXPECT(c, "SCAN 1x", "-ERR invalid cursor");
    EXPECT(c, "SCAN 18446744073709551616", "-ERR invalid cursor");
    EXPECT(c, "SCAN 0 COUNT 0", "-ERR syntax error");
    EXPECT(c, "SCAN 0 COUNT -1", "-ERR syntax error");
    EXPECT(c, "SCAN 0 COUNT x", "-ERR value is not an integer or out of range");
    EXPECT(c, "SCAN 0 MATCH", "-ERR syntax error");
    EXPECT(c, "SCAN 0 FOO bar", "-ERR syntax error");
    EXPECT(c, "SCAN 0 COUNT 10 TYPE", "-ERR syntax error");
    EXPECT(c, "SCAN abc COUNT 0", "-ERR invalid cursor");
    EXPECT(c, "SCAN", "-ERR wrong number of arguments for 'scan' command");
}

TEST(scan_of_an_empty_database_ends_at_once) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "SCAN 0", "[\"0\", []]");
    EXPECT(c, "SCAN 0 MATCH * COUNT 1000 TYPE string", "[\"0\", []]");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "SCAN 0", "[\"0\", []]");
    EXPECT(c, "SET one 1", "+OK");
    EXPECT(c, "SCAN 0 COUNT 1000", "[\"0\", [\"one\"]]");
    EXPECT_RAW(r, "SCAN 0 COUNT 1000", "[\"0\", [\"one\"]]");
    EXPECT(c, "SCAN 0 count 1000 match o* type STRING", "[\"0\", [\"one\"]]");
    EXPECT(c, "SCAN 0 COUNT 1000 TYPE list", "[\"0\", []]");
    EXPECT(c, "SCAN 0 COUNT 1000 TYPE nosuchtype", "[\"0\", []]");
    EXPECT(c, "SCAN 0 COUNT 1000 MATCH x*", "[\"0\", []]");
}

TEST(scan_returns_every_one_of_ten_thousand_keys) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "key:", 0, 10000);
    static const char *const opts[] = { "", "COUNT 1", "COUNT 7", "COUNT 100", "COUNT 100000",
                                        "MATCH key:* COUNT 50" };
    for (size_t o = 0; o < sizeof opts / sizeof opts[0]; o++) {
        scanState st = { .prefix = "key:", .max = 10000, .seen = calloc(10000, 1) };
        REQUIRE(scanAll(c, opts[o], &st, NULL, NULL));
        CHECK(missingIn(&st, 0, 10000) == 0, "SCAN %s missed %d keys", opts[o], missingIn(&st, 0, 10000));
        CHECK(st.foreign == 0, "SCAN %s returned %ld unknown keys", opts[o], st.foreign);
        /* no table changes during the walk: exactly once each */
        CHECK(st.returned == 10000, "SCAN %s returned %ld keys for 10000", opts[o], st.returned);
        if (strcmp(opts[o], "COUNT 100000") == 0) CHECK(st.calls == 1, "%ld calls", st.calls);
        if (strcmp(opts[o], "COUNT 1") == 0) CHECK(st.calls > 1000, "only %ld calls", st.calls);
        free(st.seen);
    }
}

TEST(scan_match_and_type_filter_what_comes_back) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "key:", 0, 1000);
    loadKeys(c, "other:", 0, 1000);
    bool lists = supported(c, "RPUSH list:0 a");
    if (lists) for (int i = 1; i < 100; i++) EXPECT(c, tfmt("RPUSH list:%d a", i), ":1");

    scanState st = { .prefix = "key:", .max = 1000, .seen = calloc(1000, 1) };
    REQUIRE(scanAll(c, "MATCH key:* COUNT 20", &st, NULL, NULL));
    CHECK(missingIn(&st, 0, 1000) == 0 && st.foreign == 0 && st.returned == 1000,
          "MATCH key:*: missing %d, foreign %ld, returned %ld", missingIn(&st, 0, 1000), st.foreign,
          st.returned);
    free(st.seen);

    st = (scanState){ .prefix = "key:", .max = 1000, .seen = calloc(1000, 1) };
    REQUIRE(scanAll(c, "MATCH key:1?? COUNT 20", &st, NULL, NULL));
    CHECK(missingIn(&st, 100, 200) == 0 && st.returned == 100 && st.foreign == 0,
          "MATCH key:1??: missing %d, returned %ld", missingIn(&st, 100, 200), st.returned);
    free(st.seen);

    st = (scanState){ .prefix = "key:", .max = 1000, .seen = calloc(1000, 1) };
    REQUIRE(scanAll(c, "TYPE string", &st, NULL, NULL));
    CHECK(missingIn(&st, 0, 1000) == 0 && st.returned == 2000 && st.foreign == 1000,
          "TYPE string: missing %d, returned %ld", missingIn(&st, 0, 1000), st.returned);
    free(st.seen);

    st = (scanState){ .prefix = "list:", .max = 100, .seen = calloc(100, 1) };
    REQUIRE(scanAll(c, "COUNT 30 TYPE LIST", &st, NULL, NULL));
    if (lists)
        CHECK(missingIn(&st, 0, 100) == 0 && st.returned == 100 && st.foreign == 0,
              "TYPE list: missing %d, returned %ld", missingIn(&st, 0, 100), st.returned);
    else
        CHECK(st.returned == 0, "TYPE list returned %ld keys with no lists", st.returned);
    free(st.seen);
}

/* A SCAN whose COUNT is reached stops with a cursor that goes on. */
TEST(scan_count_bounds_the_keys_per_call) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "key:", 0, 1000);
    redisReply *r = redisCommand(c, "SCAN 0 COUNT 5");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2, "%s", replyText(r));
    CHECK(strcmp(r->element[0]->str, "0") != 0, "the cursor should go on");
    /* a bucket may hold a few keys: Redis returns whole buckets */
    CHECK(r->element[1]->elements >= 1 && r->element[1]->elements <= 15, "%zu keys for COUNT 5",
          r->element[1]->elements);
    freeReplyObject(r);
}

typedef struct adder {
    redisContext *c;
    int next, step;
} adder;

static void addSome(void *arg) {
    adder *a = arg;
    for (int i = 0; i < a->step; i++) redisAppendCommand(a->c, "SET new:%d x", a->next + i);
    for (int i = 0; i < a->step; i++) {
        redisReply *r = NULL;
        if (redisGetReply(a->c, (void **)&r) == REDIS_OK && r) freeReplyObject(r);
    }
    a->next += a->step;
}

/* Keys added between the calls make the tables grow (rehash) under the
 * cursor; every key there from start to end must still come back. */
TEST(scan_misses_no_key_while_another_client_adds_keys) {
    redisContext *c = cliConnect(s);
    redisContext *w = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "key:", 0, 10000);
    adder a = { .c = w, .next = 0, .step = 97 };
    scanState st = { .prefix = "key:", .max = 10000, .seen = calloc(10000, 1) };
    REQUIRE(scanAll(c, "COUNT 20", &st, addSome, &a));
    CHECK(missingIn(&st, 0, 10000) == 0, "SCAN missed %d of the original keys", missingIn(&st, 0, 10000));
    CHECK(a.next > 10000, "the writer added only %d keys", a.next);
    CHECK(intReply(c, "DBSIZE") == 10000 + a.next, "DBSIZE");
    free(st.seen);
}

typedef struct threadAdder {
    redisContext *c;
    volatile int stop;
    int added;
} threadAdder;

static void *addLoop(void *arg) {
    threadAdder *t = arg;
    while (!t->stop && t->added < 200000) {
        for (int i = 0; i < 50; i++) redisAppendCommand(t->c, "SET par:%d x", t->added + i);
        for (int i = 0; i < 50; i++) {
            redisReply *r = NULL;
            if (redisGetReply(t->c, (void **)&r) != REDIS_OK || !r) return NULL;
            freeReplyObject(r);
        }
        t->added += 50;
    }
    return NULL;
}

/* The same with the writer running truly in parallel (its own thread and
 * connection), deleting nothing: completeness must hold at any interleaving. */
TEST(scan_misses_no_key_while_keys_are_added_concurrently) {
    redisContext *c = cliConnect(s);
    redisContext *w = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "key:", 0, 10000);
    threadAdder t = { .c = w };
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, addLoop, &t) == 0);
    scanState st = { .prefix = "key:", .max = 10000, .seen = calloc(10000, 1) };
    bool ok = scanAll(c, "COUNT 10", &st, NULL, NULL);
    t.stop = 1;
    pthread_join(th, NULL);
    REQUIRE(ok);
    CHECK(missingIn(&st, 0, 10000) == 0, "SCAN missed %d of the original keys", missingIn(&st, 0, 10000));
    CHECK(t.added > 0, "the writer added nothing");
    free(st.seen);
}

TEST(scan_continues_from_a_cursor_in_resp3_too) {
    raw *r = rawConnect(s);
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "SET only x", "+OK");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    /* whatever cursor the walk is at, the walk ends with "0" and finds "only" */
    bool found = false;
    char cursor[32] = "0";
    for (int i = 0; i < 100000; i++) {
        const char *rep = rawCall(r, tfmt("SCAN %s COUNT 1", cursor));
        REQUIRE(rep[0] == '[' && rep[1] == '"', "SCAN: %s", rep);
        const char *end = strchr(rep + 2, '"');
        REQUIRE(end && end - rep - 2 < 31);
        memcpy(cursor, rep + 2, (size_t)(end - rep - 2));
        cursor[end - rep - 2] = '\0';
        if (strstr(rep, "[\"only\"]")) found = true;
        else CHECK(strstr(end, ", []]") != NULL, "unexpected reply %s", rep);
        if (strcmp(cursor, "0") == 0) break;
    }
    CHECK(found, "SCAN never returned the key");
    CHECK_STR(cursor, "0");
}

/* ---- RANDOMKEY ------------------------------------------------------------------------ */

TEST(randomkey_returns_nil_for_an_empty_database_and_a_key_otherwise) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "RANDOMKEY", "(nil)");
    EXPECT_RAW(r, "RANDOMKEY", "(nil)");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "RANDOMKEY", "(nil)");
    EXPECT(c, "SET lonely x", "+OK");
    EXPECT(c, "RANDOMKEY", "\"lonely\"");
    EXPECT_RAW(r, "RANDOMKEY", "\"lonely\"");
    EXPECT(c, "RANDOMKEY x", "-ERR wrong number of arguments for 'randomkey' command");
    loadKeys(c, "rk:", 0, 200);
    /* every key can come out: 2000 draws over 201 keys see most of them */
    unsigned char seen[201] = { 0 };
    int distinct = 0;
    for (int i = 0; i < 2000; i++) {
        const char *k = cliCall(c, "RANDOMKEY");
        int n = strcmp(k, "\"lonely\"") == 0 ? 200 : (strncmp(k, "\"rk:", 4) == 0 ? atoi(k + 4) : -1);
        REQUIRE(n >= 0 && n <= 200, "RANDOMKEY returned %s", k);
        if (!seen[n]++) distinct++;
    }
    CHECK(distinct > 150, "only %d distinct keys in 2000 draws", distinct);
}

/* ---- RENAME RENAMENX ------------------------------------------------------------------- */

TEST(rename_moves_the_value_and_replaces_the_target) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEL rn:a rn:b", ":0");
    EXPECT(c, "SET rn:a hello", "+OK");
    EXPECT(c, "RENAME rn:a rn:b", "+OK");
    EXPECT(c, "GET rn:a", "(nil)");
    EXPECT(c, "GET rn:b", "\"hello\"");
    EXPECT(c, "SET rn:a other", "+OK");
    EXPECT(c, "RENAME rn:a rn:b", "+OK");
    EXPECT(c, "GET rn:b", "\"other\"");
    EXPECT(c, "EXISTS rn:a", ":0");
    EXPECT(c, "RENAME rn:b rn:b", "+OK");
    EXPECT(c, "GET rn:b", "\"other\"");
    EXPECT(c, "RENAME nokey rn:x", "-ERR no such key");
    EXPECT(c, "RENAME nokey nokey", "-ERR no such key");
    EXPECT(c, "RENAME rn:b", "-ERR wrong number of arguments for 'rename' command");
    EXPECT(c, "RENAME a b c", "-ERR wrong number of arguments for 'rename' command");
}

TEST(renamenx_renames_only_onto_a_free_name) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEL rx:a rx:b", ":0");
    EXPECT(c, "SET rx:a 1", "+OK");
    EXPECT(c, "SET rx:b 2", "+OK");
    EXPECT(c, "RENAMENX rx:a rx:b", ":0");
    EXPECT(c, "GET rx:a", "\"1\"");
    EXPECT(c, "GET rx:b", "\"2\"");
    EXPECT(c, "RENAMENX rx:a rx:c", ":1");
    EXPECT(c, "GET rx:c", "\"1\"");
    EXPECT(c, "EXISTS rx:a", ":0");
    EXPECT(c, "RENAMENX rx:c rx:c", ":0");
    EXPECT(c, "RENAMENX nokey rx:d", "-ERR no such key");
    EXPECT(c, "RENAMENX nokey nokey", "-ERR no such key");
    EXPECT(c, "DEL rx:b rx:c", ":2");
}

TEST(rename_keeps_the_ttl_and_drops_the_targets) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEL rt:a rt:b rt:c", ":0");
    EXPECT(c, "SET rt:a v", "+OK");
    EXPECT(c, "PEXPIREAT rt:a 4102444800123", ":1");
    EXPECT(c, "RENAME rt:a rt:b", "+OK");
    EXPECT(c, "PEXPIRETIME rt:b", ":4102444800123");
    EXPECT(c, "SET rt:c v", "+OK");
    EXPECT(c, "PEXPIREAT rt:c 4102444800999", ":1");
    EXPECT(c, "SET rt:d plain", "+OK");
    EXPECT(c, "RENAME rt:d rt:c", "+OK");
    EXPECT(c, "TTL rt:c", ":-1");
    EXPECT(c, "RENAMENX rt:b rt:e", ":1");
    EXPECT(c, "PEXPIRETIME rt:e", ":4102444800123");
    EXPECT(c, "DEL rt:c rt:e", ":2");
}

/* Many renames across shards keep the keyspace consistent. */
TEST(rename_between_many_keys_keeps_every_value) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "src:", 0, 500);
    for (int i = 0; i < 500; i++) EXPECTF(c, "+OK", "RENAME src:%d dst:%d", i, i);
    EXPECT(c, "DBSIZE", ":500");
    for (int i = 0; i < 500; i += 37) EXPECTF(c, tfmt("\"%d\"", i), "GET dst:%d", i);
    EXPECT(c, "KEYS src:*", "[]");
}

/* ---- COPY MOVE ------------------------------------------------------------------------------ */

TEST(copy_duplicates_a_key_within_and_across_databases) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "SET cp:a hello", "+OK");
    EXPECT(c, "COPY cp:a cp:b", ":1");
    EXPECT(c, "GET cp:b", "\"hello\"");
    EXPECT(c, "GET cp:a", "\"hello\"");
    EXPECT(c, "SET cp:a changed", "+OK");
    EXPECT(c, "GET cp:b", "\"hello\"");
    EXPECT(c, "COPY cp:a cp:b", ":0");
    EXPECT(c, "GET cp:b", "\"hello\"");
    EXPECT(c, "COPY cp:a cp:b REPLACE", ":1");
    EXPECT(c, "GET cp:b", "\"changed\"");
    EXPECT(c, "COPY nokey cp:c", ":0");
    EXPECT(c, "COPY nokey cp:c REPLACE", ":0");
    EXPECT(c, "EXISTS cp:c", ":0");
    EXPECT(c, "COPY cp:a cp:a DB 3", ":1");
    EXPECT(c, "COPY cp:a cp:a DB 3", ":0");
    EXPECT(c, "COPY cp:a cp:a db 3 replace", ":1");
    EXPECT(c, "SELECT 3", "+OK");
    EXPECT(c, "GET cp:a", "\"changed\"");
    EXPECT(c, "DBSIZE", ":1");
    EXPECT(c, "SELECT 0", "+OK");
    EXPECT(c, "DBSIZE", ":2");
}

TEST(copy_reports_its_errors_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ce:a v", "+OK");
    EXPECT(c, "COPY ce:a ce:a", "-ERR source and destination objects are the same");
    EXPECT(c, "COPY ce:a ce:a DB 0", "-ERR source and destination objects are the same");
    EXPECT(c, "COPY nokey nokey", "-ERR source and destination objects are the same");
    EXPECT(c, "COPY ce:a ce:b DB x", "-ERR value is not an integer or out of range");
    EXPECT(c, "COPY ce:a ce:b DB 99", "-ERR DB index is out of range");
    EXPECT(c, "COPY ce:a ce:b DB -1", "-ERR DB index is out of range");
    EXPECT(c, "COPY ce:a ce:b DB -2147483649",
           "-ERR value is out of range, value must between -2147483648 and 2147483647");
    EXPECT(c, "COPY ce:a ce:b DB", "-ERR syntax error");
    EXPECT(c, "COPY ce:a ce:b FOO", "-ERR syntax error");
    EXPECT(c, "COPY ce:a", "-ERR wrong number of arguments for 'copy' command");
    EXPECT(c, "EXISTS ce:b", ":0");
    EXPECT(c, "DEL ce:a", ":1");
}

TEST(copy_keeps_the_ttl) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEL ct:a ct:b", ":0");
    EXPECT(c, "SET ct:a v", "+OK");
    EXPECT(c, "PEXPIREAT ct:a 4102444800123", ":1");
    EXPECT(c, "COPY ct:a ct:b", ":1");
    EXPECT(c, "PEXPIRETIME ct:b", ":4102444800123");
    EXPECT(c, "COPY ct:a ct:b DB 5", ":1");
    EXPECT(c, "SELECT 5", "+OK");
    EXPECT(c, "PEXPIRETIME ct:b", ":4102444800123");
    EXPECT(c, "SET ct:plain x", "+OK");
    EXPECT(c, "COPY ct:plain ct:b REPLACE", ":1");
    EXPECT(c, "TTL ct:b", ":-1");
    EXPECT(c, "FLUSHDB", "+OK");
    EXPECT(c, "SELECT 0", "+OK");
    EXPECT(c, "DEL ct:a ct:b", ":2");
}

TEST(copy_keeps_the_string_encoding) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ck:int 12345", "+OK");
    EXPECT(c, "SET ck:emb hello", "+OK");
    EXPECT(c, "SET ck:raw 0123456789012345678901234567890123456789abcdefghij", "+OK");
    EXPECT(c, "COPY ck:int ck:int2", ":1");
    EXPECT(c, "COPY ck:emb ck:emb2", ":1");
    EXPECT(c, "COPY ck:raw ck:raw2", ":1");
    EXPECT(c, "OBJECT ENCODING ck:int2", "\"int\"");
    EXPECT(c, "OBJECT ENCODING ck:emb2", "\"embstr\"");
    EXPECT(c, "OBJECT ENCODING ck:raw2", "\"raw\"");
    EXPECT(c, "GET ck:raw2", "\"0123456789012345678901234567890123456789abcdefghij\"");
    EXPECT(c, "DEL ck:int ck:emb ck:raw ck:int2 ck:emb2 ck:raw2", ":6");
}

TEST(move_sends_a_key_to_another_database_with_its_ttl) {
    redisContext *c = cliConnect(s);
    redisContext *other = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(other, "SELECT 1", "+OK");
    EXPECT(c, "SET mv:a v", "+OK");
    EXPECT(c, "PEXPIREAT mv:a 4102444800123", ":1");
    EXPECT(c, "MOVE mv:a 1", ":1");
    EXPECT(c, "EXISTS mv:a", ":0");
    EXPECT(other, "GET mv:a", "\"v\"");
    EXPECT(other, "PEXPIRETIME mv:a", ":4102444800123");
    /* a key of that name in the target: nothing moves */
    EXPECT(c, "SET mv:a here", "+OK");
    EXPECT(c, "MOVE mv:a 1", ":0");
    EXPECT(c, "GET mv:a", "\"here\"");
    EXPECT(other, "GET mv:a", "\"v\"");
    EXPECT(c, "MOVE nokey 1", ":0");
    EXPECT(other, "MOVE mv:a 0", ":0");
    EXPECT(other, "DEL mv:a", ":1");
    EXPECT(other, "MOVE nokey 0", ":0");
    EXPECT(c, "MOVE mv:a 1", ":1");
    EXPECT(other, "GET mv:a", "\"here\"");
    EXPECT(other, "TTL mv:a", ":-1");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(other, "DBSIZE", ":1");
}

TEST(move_reports_its_errors_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET me:a v", "+OK");
    EXPECT(c, "MOVE me:a 0", "-ERR source and destination objects are the same");
    EXPECT(c, "MOVE nokey 0", "-ERR source and destination objects are the same");
    EXPECT(c, "MOVE me:a x", "-ERR value is not an integer or out of range");
    EXPECT(c, "MOVE me:a 99", "-ERR DB index is out of range");
    EXPECT(c, "MOVE me:a -1", "-ERR DB index is out of range");
    EXPECT(c, "MOVE me:a 4294967296",
           "-ERR value is out of range, value must between -2147483648 and 2147483647");
    EXPECT(c, "MOVE me:a", "-ERR wrong number of arguments for 'move' command");
    EXPECT(c, "DEL me:a", ":1");
}

/* ---- OBJECT ------------------------------------------------------------------------------- */

TEST(object_encoding_names_the_string_encodings) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT(c, "SET oe:int 12345", "+OK");
    EXPECT(c, "SET oe:neg -9223372036854775808", "+OK");
    EXPECT(c, "SET oe:big 9223372036854775808", "+OK");
    EXPECT(c, "SET oe:lead 0123", "+OK");
    EXPECT(c, "SET oe:emb hello", "+OK");
    EXPECT(c, "SET oe:44 12345678901234567890123456789012345678901234", "+OK");
    EXPECT(c, "SET oe:45 123456789012345678901234567890123456789012345", "+OK");
    EXPECT(c, "OBJECT ENCODING oe:int", "\"int\"");
    EXPECT(c, "OBJECT ENCODING oe:neg", "\"int\"");
    EXPECT(c, "OBJECT ENCODING oe:big", "\"embstr\"");
    EXPECT(c, "OBJECT ENCODING oe:lead", "\"embstr\"");
    EXPECT(c, "OBJECT ENCODING oe:emb", "\"embstr\"");
    EXPECT(c, "OBJECT ENCODING oe:44", "\"embstr\"");
    EXPECT(c, "OBJECT ENCODING oe:45", "\"raw\"");
    EXPECT(c, "object encoding oe:int", "\"int\"");
    EXPECT(c, "OBJECT ENCODING nokey", "(nil)");
    EXPECT_RAW(r, "OBJECT ENCODING oe:int", "\"int\"");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "OBJECT ENCODING nokey", "(nil)");
    EXPECT_RAW(r, "OBJECT REFCOUNT nokey", "(nil)");
    EXPECT_RAW(r, "OBJECT IDLETIME nokey", "(nil)");
    EXPECT_RAW(r, "OBJECT FREQ nokey", "(nil)");
    EXPECT_RAW(r, "OBJECT ENCODING oe:emb", "\"embstr\"");
    EXPECT(c, "DEL oe:int oe:neg oe:big oe:lead oe:emb oe:44 oe:45", ":7");
}

TEST(object_refcount_shows_redis_shared_integers) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET or:zero 0", "+OK");
    EXPECT(c, "SET or:small 9999", "+OK");
    EXPECT(c, "SET or:edge 10000", "+OK");
    EXPECT(c, "SET or:neg -1", "+OK");
    EXPECT(c, "SET or:str hello", "+OK");
    EXPECT(c, "OBJECT REFCOUNT or:zero", ":2147483647");
    EXPECT(c, "OBJECT REFCOUNT or:small", ":2147483647");
    EXPECT(c, "OBJECT REFCOUNT or:edge", ":1");
    EXPECT(c, "OBJECT REFCOUNT or:neg", ":1");
    EXPECT(c, "OBJECT REFCOUNT or:str", ":1");
    EXPECT(c, "OBJECT REFCOUNT nokey", "(nil)");
    EXPECT(c, "DEL or:zero or:small or:edge or:neg or:str", ":5");
}

TEST(object_idletime_grows_until_the_key_is_read) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET oi:k v", "+OK");
    long long idle = intReply(c, "OBJECT IDLETIME oi:k");
    CHECK(idle >= 0 && idle <= 1, "fresh key idle %lld", idle);
    harnessSleepMs(2200);
    /* commands that do not count as an access leave it alone */
    EXPECT(c, "EXISTS oi:k", ":1");
    EXPECT(c, "TYPE oi:k", "+string");
    EXPECT(c, "TTL oi:k", ":-1");
    EXPECT(c, "OBJECT ENCODING oi:k", "\"embstr\"");
    idle = intReply(c, "OBJECT IDLETIME oi:k");
    CHECK(idle >= 2 && idle <= 3, "idle %lld after 2.2 s", idle);
    EXPECT(c, "GET oi:k", "\"v\"");
    idle = intReply(c, "OBJECT IDLETIME oi:k");
    CHECK(idle >= 0 && idle <= 1, "idle %lld just after GET", idle);
    harnessSleepMs(1100);
    EXPECT(c, "TOUCH oi:k", ":1");
    idle = intReply(c, "OBJECT IDLETIME oi:k");
    CHECK(idle >= 0 && idle <= 1, "idle %lld just after TOUCH", idle);
    EXPECT(c, "DEL oi:k", ":1");
}

TEST(object_freq_needs_an_lfu_policy) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET of:k v", "+OK");
    EXPECT(c, "OBJECT FREQ of:k",
           "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
           "note that when switching between policies at runtime LRU and LFU data will take some "
           "time to adjust.");
    EXPECT(c, "OBJECT FREQ nokey", "(nil)");
    if (strcmp(cliCall(c, "CONFIG SET maxmemory-policy allkeys-lfu"), "+OK") != 0) {
        SKIP("CONFIG SET maxmemory-policy is not available yet");
    }
    EXPECT(c, "OBJECT IDLETIME of:k",
           "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
           "when switching between policies at runtime LRU and LFU data will take some time to "
           "adjust.");
    EXPECT(c, "OBJECT FREQ nokey", "(nil)");
    EXPECT(c, "SET of:new v", "+OK");
    /* a new key starts at Redis's LFU_INIT_VAL, 5 (4 if a minute boundary
     * passed and lfu-decay-time 1 took one off); the first read makes it 6 */
    long long f = intReply(c, "OBJECT FREQ of:new");
    EXPECT(c, "GET of:new", "\"v\"");
    long long g = intReply(c, "OBJECT FREQ of:new");
    EXPECT(c, "CONFIG SET maxmemory-policy noeviction", "+OK");
    EXPECT(c, "DEL of:k of:new", ":2");
    if (!srvIsOracle() && !(f == 4 || f == 5))
        SKIP("LFU access counters are not kept yet (OBJECT FREQ of a new key: %lld)", f);
    CHECK(f == 4 || f == 5, "freq of a new key %lld", f);
    CHECK(g == f + 1, "freq %lld after one read (was %lld)", g, f);
}

TEST(object_help_and_errors_follow_redis) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    static const char help[] =
        "[+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, "
        "+ENCODING <key>, "
        "+    Return the kind of internal representation used in order to store the value, "
        "+    associated with a <key>., "
        "+FREQ <key>, "
        "+    Return the access frequency index of the <key>. The returned integer is, "
        "+    proportional to the logarithm of the recent access frequency of the key., "
        "+IDLETIME <key>, "
        "+    Return the idle time of the <key>, that is the approximated number of, "
        "+    seconds elapsed since the last access to the key., "
        "+REFCOUNT <key>, "
        "+    Return the number of references of the value associated with the specified, "
        "+    <key>., "
        "+HELP, "
        "+    Prints this help.]";
    EXPECT(c, "OBJECT HELP", help);
    EXPECT(c, "object help", help);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "OBJECT HELP", help);
    EXPECT(c, "OBJECT", "-ERR wrong number of arguments for 'object' command");
    EXPECT(c, "OBJECT FOO k", "-ERR unknown subcommand 'FOO'. Try OBJECT HELP.");
    EXPECT(c, "OBJECT ENCODING", "-ERR wrong number of arguments for 'object|encoding' command");
    EXPECT(c, "OBJECT ENCODING a b", "-ERR wrong number of arguments for 'object|encoding' command");
    EXPECT(c, "OBJECT REFCOUNT", "-ERR wrong number of arguments for 'object|refcount' command");
    EXPECT(c, "OBJECT IDLETIME", "-ERR wrong number of arguments for 'object|idletime' command");
    EXPECT(c, "OBJECT FREQ", "-ERR wrong number of arguments for 'object|freq' command");
    EXPECT(c, "OBJECT HELP x", "-ERR wrong number of arguments for 'object|help' command");
}

/* ---- DBSIZE FLUSHDB FLUSHALL SWAPDB ----------------------------------------------------- */

TEST(dbsize_counts_the_keys_of_the_selected_database) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    loadKeys(c, "ds:", 0, 1234);
    EXPECT(c, "DBSIZE", ":1234");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "DBSIZE", ":1234");
    EXPECT_RAW(r, "SELECT 1", "+OK");
    EXPECT_RAW(r, "DBSIZE", ":0");
    EXPECT(c, "DEL ds:0 ds:1", ":2");
    EXPECT(c, "DBSIZE", ":1232");
    EXPECT(c, "DBSIZE x", "-ERR wrong number of arguments for 'dbsize' command");
}

TEST(flushdb_empties_only_the_selected_database) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    loadKeys(c, "f0:", 0, 100);
    EXPECT(c, "SELECT 1", "+OK");
    loadKeys(c, "f1:", 0, 50);
    EXPECT(c, "FLUSHDB", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(c, "SELECT 0", "+OK");
    EXPECT(c, "DBSIZE", ":100");
    EXPECT(c, "FLUSHDB SYNC", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    loadKeys(c, "f0:", 0, 100);
    EXPECT(c, "FLUSHDB ASYNC", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(c, "GET f0:1", "(nil)");
    EXPECT(c, "SET f0:1 again", "+OK");
    EXPECT(c, "GET f0:1", "\"again\"");
    EXPECT(c, "flushdb async", "+OK");
    EXPECT(c, "FLUSHDB FOO", "-ERR syntax error");
    EXPECT(c, "FLUSHDB SYNC ASYNC", "-ERR syntax error");
    EXPECT(c, "FLUSHDB ASYNC ASYNC", "-ERR syntax error");
}

TEST(flushall_empties_every_database) {
    redisContext *c = cliConnect(s);
    redisContext *other = cliConnect(s);
    EXPECT(other, "SELECT 7", "+OK");
    loadKeys(c, "fa:", 0, 300);
    loadKeys(other, "fb:", 0, 300);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(other, "DBSIZE", ":0");
    loadKeys(c, "fa:", 0, 300);
    loadKeys(other, "fb:", 0, 300);
    EXPECT(c, "FLUSHALL SYNC", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(other, "DBSIZE", ":0");
    loadKeys(c, "fa:", 0, 10000);
    loadKeys(other, "fb:", 0, 300);
    EXPECT(c, "FLUSHALL ASYNC", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(other, "DBSIZE", ":0");
    EXPECT(other, "GET fb:1", "(nil)");
    loadKeys(c, "fa:", 0, 10);
    EXPECT(c, "DBSIZE", ":10");
    EXPECT(c, "FLUSHALL async", "+OK");
    EXPECT(c, "FLUSHALL BAR", "-ERR syntax error");
    EXPECT(c, "FLUSHALL SYNC SYNC", "-ERR syntax error");
}

TEST(swapdb_exchanges_databases_for_every_client) {
    redisContext *c = cliConnect(s);
    redisContext *other = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    EXPECT(other, "SELECT 1", "+OK");
    EXPECT(c, "SET sw:zero 0", "+OK");
    EXPECT(c, "PEXPIREAT sw:zero 4102444800123", ":1");
    loadKeys(c, "sw0:", 0, 100);
    EXPECT(other, "SET sw:one 1", "+OK");
    EXPECT(c, "SWAPDB 0 1", "+OK");
    EXPECT(c, "GET sw:one", "\"1\"");
    EXPECT(c, "GET sw:zero", "(nil)");
    EXPECT(c, "DBSIZE", ":1");
    EXPECT(other, "GET sw:zero", "\"0\"");
    EXPECT(other, "PEXPIRETIME sw:zero", ":4102444800123");
    EXPECT(other, "DBSIZE", ":101");
    EXPECT(other, "GET sw:one", "(nil)");
    EXPECT(other, "SWAPDB 1 0", "+OK");
    EXPECT(c, "DBSIZE", ":101");
    EXPECT(other, "DBSIZE", ":1");
    EXPECT(c, "SWAPDB 0 0", "+OK");
    EXPECT(c, "DBSIZE", ":101");
    EXPECT(c, "SWAPDB 0 2", "+OK");
    EXPECT(c, "DBSIZE", ":0");
    EXPECT(c, "SELECT 2", "+OK");
    EXPECT(c, "DBSIZE", ":101");
    EXPECT(c, "FLUSHALL", "+OK");
}

TEST(swapdb_reports_its_errors_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SWAPDB a 1", "-ERR invalid first DB index");
    EXPECT(c, "SWAPDB 1 a", "-ERR invalid second DB index");
    EXPECT(c, "SWAPDB a b", "-ERR invalid first DB index");
    EXPECT(c, "SWAPDB 0 99", "-ERR DB index is out of range");
    EXPECT(c, "SWAPDB -1 0", "-ERR DB index is out of range");
    EXPECT(c, "SWAPDB 4294967296 0", "-ERR invalid first DB index");
    EXPECT(c, "SWAPDB 0", "-ERR wrong number of arguments for 'swapdb' command");
}

/* ---- RESP3 -------------------------------------------------------------------------------- */

TEST(generic_commands_reply_the_same_in_resp3) {
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "DEL r3:a r3:b", ":0");
    EXPECT_RAW(r, "SET r3:a v", "+OK");
    EXPECT_RAW(r, "EXISTS r3:a r3:b", ":1");
    EXPECT_RAW(r, "TYPE r3:a", "+string");
    EXPECT_RAW(r, "TYPE r3:b", "+none");
    EXPECT_RAW(r, "KEYS r3:*", "[\"r3:a\"]");
    EXPECT_RAW(r, "RENAME r3:a r3:b", "+OK");
    EXPECT_RAW(r, "RENAME r3:a r3:b", "-ERR no such key");
    EXPECT_RAW(r, "RENAMENX r3:b r3:b", ":0");
    EXPECT_RAW(r, "COPY r3:b r3:a", ":1");
    EXPECT_RAW(r, "MOVE r3:a 1", ":1");
    EXPECT_RAW(r, "MOVE r3:a 0", "-ERR source and destination objects are the same");
    EXPECT_RAW(r, "TOUCH r3:a r3:b", ":1");
    EXPECT_RAW(r, "OBJECT ENCODING r3:b", "\"embstr\"");
    EXPECT_RAW(r, "SWAPDB 0 x", "-ERR invalid second DB index");
    EXPECT_RAW(r, "UNLINK r3:b", ":1");
    EXPECT_RAW(r, "SELECT 1", "+OK");
    EXPECT_RAW(r, "DEL r3:a", ":1");
}

/* redis-cli sees the commands' hints and replies like Redis's. */
TEST(redis_cli_runs_the_key_commands) {
    char *out;
    int rc = runCmd(&out, "redis-cli -p %d SET cli:k v && redis-cli -p %d EXPIRE cli:k 100 && "
                    "redis-cli -p %d TTL cli:k && redis-cli -p %d TYPE cli:k && "
                    "redis-cli -p %d --no-raw RENAME cli:nokey x && redis-cli -p %d DEL cli:k",
                    srvPort(s), srvPort(s), srvPort(s), srvPort(s), srvPort(s), srvPort(s));
    CHECK(rc == 0, "redis-cli exited with %d: %s", rc, out);
    CHECK_STR(out, "OK\n1\n100\nstring\n(error) ERR no such key\n1\n");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
