/* test_strings.c — the string family: GET SET (every option) SETNX SETEX
 * PSETEX MGET MSET MSETNX GETSET GETDEL GETEX APPEND STRLEN INCR DECR
 * INCRBY DECRBY INCRBYFLOAT GETRANGE SUBSTR SETRANGE LCS.
 *
 * Exact replies and error texts in RESP2 (hiredis) and RESP3 (raw client
 * after HELLO 3), option combinations and the order in which Redis checks
 * them, expiry of SET EX/PX/EXAT/PXAT and GETEX (short TTLs and WAIT_FOR),
 * TTL kept or cleared by each kind of write, INCRBYFLOAT's number
 * formatting, binary-safe values, 1 MB values, the proto-max-bulk-len
 * limits, OBJECT ENCODING after each kind of write, and MSET / INCR under
 * concurrent clients.
 *
 * Every expectation was checked against redis-server 7.0.15: run with
 * ROOST_ORACLE=redis. Assertions that need commands of other families are
 * guarded so this file runs whatever else is implemented: OBJECT ENCODING
 * and PTTL checks are skipped (and counted in a note) when the command is
 * unknown, and the WRONGTYPE test is skipped when no other type can be
 * created.
 *
 * Servers: `s` (defaults) serves most tests, each on its own key names;
 * `sLimits` has proto-max-bulk-len 1mb (Redis's minimum) for the size limits;
 * `sThreads` runs roost with 4 threads for the concurrency tests (a plain
 * server under the oracle).
 */
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static srv *s;                 /* defaults */
static srv *sLimits;           /* proto-max-bulk-len 1mb */
static srv *sThreads;          /* threads 4 (roost; Redis has no such directive) */
static int skippedChecks;      /* guarded assertions skipped (command unknown) */

/* ---- helpers ----------------------------------------------------------------- */

static bool isUnknownCommand(const char *reply) {
    return strncmp(reply, "-ERR unknown command", 20) == 0;
}

/* EXPECT_ENC: OBJECT ENCODING key is `want` (skipped while OBJECT is
 * unknown). */
#define EXPECT_ENC(c, key, want) expectEncoding(__FILE__, __LINE__, (c), (key), (want))
static void expectEncoding(const char *file, int line, redisContext *c, const char *key,
                           const char *want) {
    const char *got = cliCall(c, tfmt("OBJECT ENCODING %s", key));
    if (isUnknownCommand(got)) {
        skippedChecks++;
        return;
    }
    const char *w = tfmt("\"%s\"", want);
    if (strcmp(got, w) != 0)
        harnessFail(file, line, "OBJECT ENCODING %s: expected %s, got %s", key, w, got);
}

/* EXPECT_PTTL: PTTL key lies in [lo, hi] (skipped while PTTL is unknown). */
#define EXPECT_PTTL(c, key, lo, hi) expectPttl(__FILE__, __LINE__, (c), (key), (lo), (hi))
static void expectPttl(const char *file, int line, redisContext *c, const char *key, long long lo,
                       long long hi) {
    const char *got = cliCall(c, tfmt("PTTL %s", key));
    if (isUnknownCommand(got)) {
        skippedChecks++;
        return;
    }
    long long v;
    if (sscanf(got, ":%lld", &v) != 1 || v < lo || v > hi)
        harnessFail(file, line, "PTTL %s: expected %lld..%lld, got %s", key, lo, hi, got);
}

/* gone: is the key missing (GET answers nil)? */
static bool gone(redisContext *c, const char *key) {
    return strcmp(cliCall(c, tfmt("GET %s", key)), "(nil)") == 0;
}

/* makeOtherType stores a non-string value at key with whichever of the
 * other families' commands exists; false if none does. */
static bool makeOtherType(redisContext *c, const char *key) {
    static const char *cmds[] = { "RPUSH %s x", "SADD %s x", "HSET %s f v", "ZADD %s 1 x",
                                  "XADD %s * f v" };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const char *r = cliCall(c, tfmt(cmds[i], key));
        if (!isUnknownCommand(r)) return r[0] == ':' || r[0] == '"';
    }
    return false;
}

static char *pattern(size_t n, unsigned seed) {
    char *p = malloc(n + 1);
    for (size_t i = 0; i < n; i++) p[i] = (char)('a' + (i * 7 + seed) % 26);
    p[n] = '\0';
    return p;
}

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "-ERR value is not an integer or out of range"

/* ---- GET / SET ------------------------------------------------------------------ */

TEST(get_returns_nil_for_a_missing_key_and_the_value_set_before) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "GET gs:missing", "(nil)");
    EXPECT(c, "SET gs:k hello", "+OK");
    EXPECT(c, "GET gs:k", "\"hello\"");
    EXPECT(c, "SET gs:k world", "+OK");
    EXPECT(c, "GET gs:k", "\"world\"");
    EXPECT(c, "SET gs:empty \"\"", "+OK");
    EXPECT(c, "GET gs:empty", "\"\"");
    EXPECT(c, "STRLEN gs:empty", ":0");
    EXPECT(c, "SET gs:n 12345", "+OK");
    EXPECT(c, "GET gs:n", "\"12345\"");
    EXPECT(c, "SET gs:neg -9223372036854775808", "+OK");
    EXPECT(c, "GET gs:neg", "\"-9223372036854775808\"");
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "GET a b", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "SET gs:k", "-ERR wrong number of arguments for 'set' command");
}

TEST(set_over_a_value_of_the_same_size_replaces_it) {
    redisContext *c = cliConnect(s);
    char *a = pattern(100, 1), *b = pattern(100, 2), *d = pattern(300, 3);
    EXPECT(c, "SET ip:e abc", "+OK");
    EXPECT(c, "SET ip:e xyz", "+OK");
    EXPECT(c, "GET ip:e", "\"xyz\"");
    EXPECT(c, "SET ip:i 7", "+OK");
    EXPECT(c, "SET ip:i -70", "+OK");
    EXPECT(c, "GET ip:i", "\"-70\"");
    EXPECTF(c, "+OK", "SET ip:r %s", a);
    EXPECTF(c, "+OK", "SET ip:r %s", b);
    EXPECT(c, "GET ip:r", tfmt("\"%s\"", b));
    EXPECTF(c, "+OK", "SET ip:r %s", d);
    EXPECT(c, "GET ip:r", tfmt("\"%s\"", d));
    EXPECT(c, "SET ip:r short", "+OK");
    EXPECT(c, "GET ip:r", "\"short\"");
    EXPECT(c, "SET ip:r 42", "+OK");
    EXPECT(c, "INCR ip:r", ":43");
    free(a);
    free(b);
    free(d);
}

TEST(set_nx_and_xx_write_only_when_the_key_is_missing_or_present) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET nx:k v1 NX", "+OK");
    EXPECT(c, "SET nx:k v2 NX", "(nil)");
    EXPECT(c, "GET nx:k", "\"v1\"");
    EXPECT(c, "SET nx:k v3 XX", "+OK");
    EXPECT(c, "GET nx:k", "\"v3\"");
    EXPECT(c, "SET nx:missing v XX", "(nil)");
    EXPECT(c, "GET nx:missing", "(nil)");
    EXPECT(c, "SET nx:k v4 nx nx", "(nil)");
    EXPECT(c, "SET nx:k v4 xx Xx", "+OK");
    EXPECT(c, "GET nx:k", "\"v4\"");
}

TEST(set_get_returns_the_old_value_and_combines_with_nx_and_xx) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET sg:k v1 GET", "(nil)");
    EXPECT(c, "GET sg:k", "\"v1\"");
    EXPECT(c, "SET sg:k v2 GET", "\"v1\"");
    EXPECT(c, "GET sg:k", "\"v2\"");
    EXPECT(c, "SET sg:k v3 NX GET", "\"v2\"");       /* NX stops the write */
    EXPECT(c, "GET sg:k", "\"v2\"");
    EXPECT(c, "SET sg:new v NX GET", "(nil)");
    EXPECT(c, "GET sg:new", "\"v\"");
    EXPECT(c, "SET sg:k v4 XX GET", "\"v2\"");
    EXPECT(c, "GET sg:k", "\"v4\"");
    EXPECT(c, "SET sg:none v XX GET", "(nil)");
    EXPECT(c, "GET sg:none", "(nil)");
    EXPECT(c, "SET sg:k v5 GET GET", "\"v4\"");
    EXPECT(c, "SET sg:n 100", "+OK");
    EXPECT(c, "SET sg:n 200 GET", "\"100\"");
    EXPECT(c, "SET sg:k v6 GET EX 100", "\"v5\"");
    EXPECT_PTTL(c, "sg:k", 98000, 100000);
}

TEST(set_options_are_case_insensitive_and_may_repeat) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET so:k v ex 100 EX 200", "+OK");
    EXPECT_PTTL(c, "so:k", 198000, 200000);
    EXPECT(c, "SET so:k v pX 5000 Px 100000", "+OK");
    EXPECT_PTTL(c, "so:k", 98000, 100000);
    EXPECT(c, "SET so:k v KeepTTL keepttl", "+OK");
    EXPECT_PTTL(c, "so:k", 98000, 100000);
    EXPECT(c, "SET so:k v xx get keepttl", "\"v\"");
    EXPECT_PTTL(c, "so:k", 98000, 100000);
}

TEST(set_refuses_bad_option_combinations_with_syntax_error) {
    redisContext *c = cliConnect(s);
    static const char *bad[] = {
        "SET se:k v NX XX", "SET se:k v XX NX", "SET se:k v EX 10 PX 100",
        "SET se:k v PX 100 EX 10", "SET se:k v EX 10 EXAT 99999999999",
        "SET se:k v PXAT 99999999999999 PX 10", "SET se:k v EX 10 KEEPTTL",
        "SET se:k v KEEPTTL EX 10", "SET se:k v KEEPTTL PXAT 99999999999999",
        "SET se:k v EX", "SET se:k v PX", "SET se:k v EXAT", "SET se:k v PXAT",
        "SET se:k v EX 10 EX", "SET se:k v FOO", "SET se:k v PERSIST", "SET se:k v NXX",
        "SET se:k v GET 10", "SET se:k v EX 10 20",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT(c, bad[i], "-ERR syntax error");
    EXPECT(c, "GET se:k", "(nil)");
}

TEST(set_refuses_invalid_expire_times) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET et:k v EX 0", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v EX -1", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v PX 0", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v EXAT 0", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v PXAT -5", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v EX 9223372036854776", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v EXAT 9223372036854776", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v PX 9223372036854775807", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v PX 9223372036854775000", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "SET et:k v EX abc", "-ERR value is not an integer or out of range");
    EXPECT(c, "SET et:k v PX 1.5", "-ERR value is not an integer or out of range");
    EXPECT(c, "SET et:k v EX 9223372036854775808",
           "-ERR value is not an integer or out of range");
    EXPECT(c, "SET et:k v EX \"\"", "-ERR value is not an integer or out of range");
    /* the expire is checked before GET reads the old value */
    EXPECT(c, "SET et:k v GET EX 0", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "GET et:k", "(nil)");
    /* far but valid */
    EXPECT(c, "SET et:far v PXAT 9223372036854775807", "+OK");
    EXPECT(c, "GET et:far", "\"v\"");
    EXPECT(c, "SET et:far2 v EXAT 9223372036854775", "+OK");
    EXPECT(c, "GET et:far2", "\"v\"");
}

TEST(set_with_ex_or_px_makes_the_key_disappear) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ex:px v PX 150", "+OK");
    EXPECT(c, "SET ex:ex v EX 1", "+OK");
    EXPECT(c, "GET ex:px", "\"v\"");
    EXPECT_PTTL(c, "ex:px", 1, 150);
    EXPECT_PTTL(c, "ex:ex", 1, 1000);
    CHECK(WAIT_FOR(gone(c, "ex:px"), 3000), "PX 150 key still there");
    CHECK(WAIT_FOR(gone(c, "ex:ex"), 4000), "EX 1 key still there");
    EXPECT(c, "STRLEN ex:px", ":0");
    /* after expiry SET NX may create it again */
    EXPECT(c, "SET ex:px again NX", "+OK");
    EXPECT(c, "GET ex:px", "\"again\"");
    EXPECT_PTTL(c, "ex:px", -1, -1);
}

TEST(set_with_exat_or_pxat_in_the_past_leaves_no_key) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET at:k v PXAT 1", "+OK");
    EXPECT(c, "GET at:k", "(nil)");
    EXPECT(c, "SET at:k v EXAT 1", "+OK");
    EXPECT(c, "GET at:k", "(nil)");
    EXPECT(c, "SET at:k v", "+OK");
    EXPECT(c, "SET at:k w PXAT 1 GET", "\"v\"");
    EXPECT(c, "GET at:k", "(nil)");
    long long now = (long long)time(NULL);
    EXPECTF(c, "+OK", "SET at:f v EXAT %lld", now + 100);
    EXPECT_PTTL(c, "at:f", 97000, 101000);
    EXPECTF(c, "+OK", "SET at:p v PXAT %lld", now * 1000 + 500);
    CHECK(WAIT_FOR(gone(c, "at:p"), 3000), "PXAT key still there");
}

TEST(set_keepttl_keeps_the_ttl_and_a_plain_set_clears_it) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET kt:keep v PX 300", "+OK");
    EXPECT(c, "SET kt:keep v2 KEEPTTL", "+OK");
    EXPECT(c, "GET kt:keep", "\"v2\"");
    EXPECT_PTTL(c, "kt:keep", 1, 300);
    EXPECT(c, "SET kt:keep v3longer KEEPTTL", "+OK");  /* a different size, too */
    EXPECT_PTTL(c, "kt:keep", 1, 300);
    CHECK(WAIT_FOR(gone(c, "kt:keep"), 3000), "KEEPTTL lost the TTL");

    EXPECT(c, "SET kt:clear v PX 200", "+OK");
    EXPECT(c, "SET kt:clear w", "+OK");               /* same size: still clears */
    EXPECT_PTTL(c, "kt:clear", -1, -1);
    EXPECT(c, "SET kt:int 1 PX 200", "+OK");
    EXPECT(c, "SET kt:int 2", "+OK");
    EXPECT(c, "SET kt:ex v PX 100000", "+OK");
    EXPECT(c, "SET kt:ex w PX 200", "+OK");           /* a new TTL replaces the old */
    EXPECT_PTTL(c, "kt:ex", 1, 200);
    EXPECT(c, "SET kt:nottl v KEEPTTL", "+OK");       /* KEEPTTL on a new key: no TTL */
    EXPECT_PTTL(c, "kt:nottl", -1, -1);
    harnessSleepMs(400);
    EXPECT(c, "GET kt:clear", "\"w\"");
    EXPECT(c, "GET kt:int", "\"2\"");
    EXPECT(c, "GET kt:ex", "(nil)");
    EXPECT(c, "GET kt:nottl", "\"v\"");
}

TEST(setnx_setex_and_psetex) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SETNX sn:k v1", ":1");
    EXPECT(c, "SETNX sn:k v2", ":0");
    EXPECT(c, "GET sn:k", "\"v1\"");
    EXPECT(c, "SETNX sn:k", "-ERR wrong number of arguments for 'setnx' command");
    EXPECT(c, "SETEX sn:e 100 v", "+OK");
    EXPECT(c, "GET sn:e", "\"v\"");
    EXPECT_PTTL(c, "sn:e", 98000, 100000);
    EXPECT(c, "SETEX sn:e 0 v", "-ERR invalid expire time in 'setex' command");
    EXPECT(c, "SETEX sn:e -10 v", "-ERR invalid expire time in 'setex' command");
    EXPECT(c, "SETEX sn:e abc v", "-ERR value is not an integer or out of range");
    EXPECT(c, "SETEX sn:e 9223372036854776 v", "-ERR invalid expire time in 'setex' command");
    EXPECT(c, "SETEX sn:e 10", "-ERR wrong number of arguments for 'setex' command");
    EXPECT(c, "PSETEX sn:p 150 v", "+OK");
    EXPECT(c, "GET sn:p", "\"v\"");
    EXPECT(c, "PSETEX sn:p 0 v", "-ERR invalid expire time in 'psetex' command");
    EXPECT(c, "PSETEX sn:p 9223372036854775807 v",
           "-ERR invalid expire time in 'psetex' command");
    EXPECT(c, "PSETEX sn:p x v", "-ERR value is not an integer or out of range");
    CHECK(WAIT_FOR(gone(c, "sn:p"), 3000), "PSETEX key still there");
    EXPECT(c, "SETEX sn:s 1 v", "+OK");
    CHECK(WAIT_FOR(gone(c, "sn:s"), 4000), "SETEX key still there");
    /* SETNX on an expired key creates it */
    EXPECT(c, "SETNX sn:s again", ":1");
    EXPECT(c, "GET sn:s", "\"again\"");
}

/* ---- multi-key ----------------------------------------------------------------------- */

TEST(mget_mset_and_msetnx) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MSET mk:a 1 mk:b 2 mk:c three", "+OK");
    EXPECT(c, "MGET mk:a mk:b mk:c mk:none", "[\"1\", \"2\", \"three\", (nil)]");
    EXPECT(c, "MGET mk:none", "[(nil)]");
    EXPECT(c, "MSET mk:a x mk:a y", "+OK");           /* the last pair wins */
    EXPECT(c, "GET mk:a", "\"y\"");
    EXPECT(c, "MSET mk:a", "-ERR wrong number of arguments for 'mset' command");
    EXPECT(c, "MSET mk:a 1 mk:b", "-ERR wrong number of arguments for 'mset' command");
    EXPECT(c, "MSETNX mk:a", "-ERR wrong number of arguments for 'msetnx' command");
    EXPECT(c, "MSETNX mk:a 1 mk:b", "-ERR wrong number of arguments for 'msetnx' command");
    EXPECT(c, "MGET", "-ERR wrong number of arguments for 'mget' command");
    EXPECT(c, "MSETNX mk:new1 1 mk:a 2", ":0");
    EXPECT(c, "GET mk:new1", "(nil)");
    EXPECT(c, "MSETNX mk:new1 1 mk:new2 2", ":1");
    EXPECT(c, "MGET mk:new1 mk:new2", "[\"1\", \"2\"]");
    EXPECT(c, "MSETNX mk:d 1 mk:d 2", ":1");
    EXPECT(c, "GET mk:d", "\"2\"");
    /* MSET clears TTLs */
    EXPECT(c, "SET mk:t v PX 200", "+OK");
    EXPECT(c, "MSET mk:t w", "+OK");
    EXPECT_PTTL(c, "mk:t", -1, -1);
    /* a key expiring makes MSETNX succeed */
    EXPECT(c, "SET mk:x v PX 100", "+OK");
    CHECK(WAIT_FOR(gone(c, "mk:x"), 3000));
    EXPECT(c, "MSETNX mk:x 1 mk:y 2", ":1");
}

/* Many keys in many shards: an MGET never sees half of an MSET. */
TEST(mset_is_atomic_for_concurrent_readers) {
    enum { NKEYS = 16 };
    redisContext *c = cliConnect(sThreads);
    char msetCmd[1024] = "MSET", mgetCmd[512] = "MGET";
    for (int k = 0; k < NKEYS; k++) {
        size_t l = strlen(msetCmd), m = strlen(mgetCmd);
        snprintf(msetCmd + l, sizeof msetCmd - l, " at:%d 0", k);
        snprintf(mgetCmd + m, sizeof mgetCmd - m, " at:%d", k);
    }
    EXPECT(c, msetCmd, "+OK");
    int port = srvPort(sThreads);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        redisContext *w = redisConnect("127.0.0.1", port);
        if (!w || w->err) _exit(2);
        for (int round = 1; round <= 3000; round++) {
            char cmd[1024] = "MSET";
            for (int k = 0; k < NKEYS; k++) {
                size_t l = strlen(cmd);
                snprintf(cmd + l, sizeof cmd - l, " at:%d %d", k, round);
            }
            redisReply *r = redisCommand(w, cmd);
            if (!r || r->type != REDIS_REPLY_STATUS) _exit(3);
            freeReplyObject(r);
        }
        _exit(0);
    }
    int torn = 0, reads = 0, status = 0;
    for (;;) {
        redisReply *r = redisCommand(c, mgetCmd);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == NKEYS);
        reads++;
        for (size_t k = 1; k < NKEYS; k++)
            if (strcmp(r->element[k]->str, r->element[0]->str) != 0) { torn++; break; }
        freeReplyObject(r);
        if (waitpid(pid, &status, WNOHANG) == pid) break;
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer status %d", status);
    CHECK(torn == 0, "%d of %d MGETs saw a half-applied MSET", torn, reads);
    EXPECT(c, "GET at:15", "\"3000\"");
}

static int incrWriter(redisContext *x, int w, int i) {
    (void)w;
    redisAppendCommand(x, i % 2 ? "INCR ci:n" : "INCRBY ci:n 1");
    return 1;
}

/* Concurrent INCRs on one key lose no update. */
TEST(concurrent_incr_loses_no_update) {
    enum { WRITERS = 4, EACH = 2000 };
    redisContext *c = cliConnect(sThreads);
    forkWriters(sThreads, WRITERS, EACH, incrWriter, true);
    EXPECT(c, "GET ci:n", tfmt("\"%d\"", WRITERS * EACH));
}

/* ---- GETSET GETDEL GETEX ---------------------------------------------------------------- */

TEST(getset_and_getdel) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "GETSET gd:k v1", "(nil)");
    EXPECT(c, "GETSET gd:k v2", "\"v1\"");
    EXPECT(c, "GET gd:k", "\"v2\"");
    EXPECT(c, "SET gd:t v PX 200", "+OK");
    EXPECT(c, "GETSET gd:t w", "\"v\"");              /* and clears the TTL */
    EXPECT_PTTL(c, "gd:t", -1, -1);
    EXPECT(c, "GETDEL gd:k", "\"v2\"");
    EXPECT(c, "GETDEL gd:k", "(nil)");
    EXPECT(c, "GET gd:k", "(nil)");
    EXPECT(c, "SET gd:n 42", "+OK");
    EXPECT(c, "GETDEL gd:n", "\"42\"");
    EXPECT(c, "GETDEL gd:k x", "-ERR wrong number of arguments for 'getdel' command");
    EXPECT(c, "GETSET gd:k", "-ERR wrong number of arguments for 'getset' command");
    harnessSleepMs(300);
    EXPECT(c, "GET gd:t", "\"w\"");
}

TEST(getex_sets_or_removes_the_ttl) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ge:k v", "+OK");
    EXPECT(c, "GETEX ge:k", "\"v\"");
    EXPECT_PTTL(c, "ge:k", -1, -1);
    EXPECT(c, "GETEX ge:k EX 100", "\"v\"");
    EXPECT_PTTL(c, "ge:k", 98000, 100000);
    EXPECT(c, "GETEX ge:k", "\"v\"");                 /* no option: TTL untouched */
    EXPECT_PTTL(c, "ge:k", 98000, 100000);
    EXPECT(c, "GETEX ge:k PERSIST", "\"v\"");
    EXPECT_PTTL(c, "ge:k", -1, -1);
    EXPECT(c, "GETEX ge:k PERSIST persist", "\"v\"");
    long long now = (long long)time(NULL);
    EXPECTF(c, "\"v\"", "GETEX ge:k EXAT %lld", now + 1000);
    EXPECT_PTTL(c, "ge:k", 997000, 1001000);
    EXPECTF(c, "\"v\"", "GETEX ge:k PXAT %lld", now * 1000 + 50000);
    EXPECT_PTTL(c, "ge:k", 46000, 51000);
    EXPECT(c, "GETEX ge:k EX 10 ex 20", "\"v\"");
    EXPECT_PTTL(c, "ge:k", 18000, 20000);
    EXPECT(c, "GETEX ge:k PX 150", "\"v\"");
    CHECK(WAIT_FOR(gone(c, "ge:k"), 3000), "GETEX PX key still there");
    /* PERSIST saves a key from expiring */
    EXPECT(c, "SET ge:p v PX 150", "+OK");
    EXPECT(c, "GETEX ge:p PERSIST", "\"v\"");
    harnessSleepMs(300);
    EXPECT(c, "GET ge:p", "\"v\"");
    /* an absolute time already past deletes the key at once */
    EXPECT(c, "SET ge:d v", "+OK");
    EXPECT(c, "GETEX ge:d EXAT 1", "\"v\"");
    EXPECT(c, "GET ge:d", "(nil)");
    EXPECT(c, "SET ge:d 7", "+OK");
    EXPECT(c, "GETEX ge:d PXAT 1000", "\"7\"");
    EXPECT(c, "GET ge:d", "(nil)");
}

TEST(getex_answers_nil_for_a_missing_key_before_checking_the_expire) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "GETEX gx:none", "(nil)");
    EXPECT(c, "GETEX gx:none EX abc", "(nil)");
    EXPECT(c, "GETEX gx:none PX 0", "(nil)");
    EXPECT(c, "GETEX gx:none PERSIST", "(nil)");
    EXPECT(c, "GETEX gx:none FOO", "-ERR syntax error");     /* syntax comes first */
    EXPECT(c, "SET gx:k v", "+OK");
    EXPECT(c, "GETEX gx:k EX abc", "-ERR value is not an integer or out of range");
    EXPECT(c, "GETEX gx:k EX 0", "-ERR invalid expire time in 'getex' command");
    EXPECT(c, "GETEX gx:k PX -1", "-ERR invalid expire time in 'getex' command");
    EXPECT(c, "GETEX gx:k EXAT 9223372036854776", "-ERR invalid expire time in 'getex' command");
    EXPECT(c, "GETEX gx:k PX 9223372036854775807", "-ERR invalid expire time in 'getex' command");
    static const char *bad[] = {
        "GETEX gx:k NX", "GETEX gx:k XX", "GETEX gx:k GET", "GETEX gx:k KEEPTTL",
        "GETEX gx:k EX", "GETEX gx:k PXAT", "GETEX gx:k EX 10 PX 10", "GETEX gx:k EX 10 PERSIST",
        "GETEX gx:k PERSIST EX 10", "GETEX gx:k PERSIST PXAT 10", "GETEX gx:k 10",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT(c, bad[i], "-ERR syntax error");
    EXPECT(c, "GETEX", "-ERR wrong number of arguments for 'getex' command");
    EXPECT_PTTL(c, "gx:k", -1, -1);
}

/* ---- APPEND STRLEN ---------------------------------------------------------------------- */

TEST(append_creates_or_extends_and_strlen_counts_bytes) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "APPEND ap:k Hello", ":5");
    EXPECT(c, "APPEND ap:k \" World\"", ":11");
    EXPECT(c, "GET ap:k", "\"Hello World\"");
    EXPECT(c, "STRLEN ap:k", ":11");
    EXPECT(c, "APPEND ap:k \"\"", ":11");
    EXPECT(c, "STRLEN ap:none", ":0");
    EXPECT(c, "SET ap:n 123", "+OK");
    EXPECT(c, "STRLEN ap:n", ":3");
    EXPECT(c, "APPEND ap:n 45", ":5");
    EXPECT(c, "GET ap:n", "\"12345\"");
    EXPECT(c, "INCR ap:n", ":12346");                 /* still a number */
    EXPECT(c, "SET ap:m -9223372036854775808", "+OK");
    EXPECT(c, "STRLEN ap:m", ":20");
    EXPECT(c, "APPEND ap:e \"\"", ":0");
    EXPECT(c, "GET ap:e", "\"\"");
    EXPECT(c, "APPEND ap:k", "-ERR wrong number of arguments for 'append' command");
    EXPECT(c, "STRLEN", "-ERR wrong number of arguments for 'strlen' command");
    /* many small appends */
    for (int i = 0; i < 1000; i++) EXPECTF(c, tfmt(":%d", (i + 1) * 3), "APPEND ap:many %03d", i);
    EXPECT(c, "GETRANGE ap:many 0 8", "\"000001002\"");
    EXPECT(c, "GETRANGE ap:many -6 -1", "\"998999\"");
}

TEST(append_setrange_incr_and_incrbyfloat_keep_the_ttl) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET tk:a v PX 300", "+OK");
    EXPECT(c, "APPEND tk:a more", ":5");
    EXPECT(c, "SET tk:r v PX 300", "+OK");
    EXPECT(c, "SETRANGE tk:r 3 x", ":4");
    EXPECT(c, "SET tk:i 5 PX 300", "+OK");
    EXPECT(c, "INCR tk:i", ":6");
    EXPECT(c, "SET tk:e abc PX 300", "+OK");
    EXPECT(c, "SET tk:e 10 XX KEEPTTL", "+OK");
    EXPECT(c, "INCRBY tk:e 5", ":15");                /* embstr → int keeps it too */
    EXPECT(c, "SET tk:f 1.5 PX 300", "+OK");
    EXPECT(c, "INCRBYFLOAT tk:f 1", "\"2.5\"");
    EXPECT_PTTL(c, "tk:a", 1, 300);
    EXPECT_PTTL(c, "tk:r", 1, 300);
    EXPECT_PTTL(c, "tk:i", 1, 300);
    EXPECT_PTTL(c, "tk:e", 1, 300);
    EXPECT_PTTL(c, "tk:f", 1, 300);
    CHECK(WAIT_FOR(gone(c, "tk:a") && gone(c, "tk:r") && gone(c, "tk:i") && gone(c, "tk:e") &&
                   gone(c, "tk:f"), 3000), "a write dropped the TTL");
}

/* ---- INCR family ----------------------------------------------------------------------- */

TEST(incr_decr_incrby_decrby) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "INCR in:k", ":1");
    EXPECT(c, "INCR in:k", ":2");
    EXPECT(c, "DECR in:k", ":1");
    EXPECT(c, "INCRBY in:k 100", ":101");
    EXPECT(c, "DECRBY in:k 1000", ":-899");
    EXPECT(c, "INCRBY in:k -1", ":-900");
    EXPECT(c, "DECRBY in:k -1000", ":100");
    EXPECT(c, "GET in:k", "\"100\"");
    EXPECT(c, "DECR in:new", ":-1");
    EXPECT(c, "DECRBY in:new2 5", ":-5");
    EXPECT(c, "SET in:s 10", "+OK");
    EXPECT(c, "INCR in:s", ":11");
    EXPECT(c, "INCRBYFLOAT in:f 10", "\"10\"");       /* an embstr holding digits */
    EXPECT(c, "INCR in:f", ":11");
    EXPECT(c, "SET in:big 9223372036854775806", "+OK");
    EXPECT(c, "INCR in:big", ":9223372036854775807");
    EXPECT(c, "INCR in:big", "-ERR increment or decrement would overflow");
    EXPECT(c, "INCRBY in:big 1", "-ERR increment or decrement would overflow");
    EXPECT(c, "GET in:big", "\"9223372036854775807\"");
    EXPECT(c, "INCRBY in:big -9223372036854775808", ":-1");
    EXPECT(c, "SET in:min -9223372036854775807", "+OK");
    EXPECT(c, "DECR in:min", ":-9223372036854775808");
    EXPECT(c, "DECR in:min", "-ERR increment or decrement would overflow");
    EXPECT(c, "INCRBY in:min -1", "-ERR increment or decrement would overflow");
    EXPECT(c, "DECRBY in:min 1", "-ERR increment or decrement would overflow");
    EXPECT(c, "DECRBY in:min -9223372036854775807", ":-1");
    EXPECT(c, "DECRBY in:x -9223372036854775808", "-ERR decrement would overflow");
    EXPECT(c, "INCRBY in:x -9223372036854775808", ":-9223372036854775808");
    EXPECT(c, "INCRBY in:x 9223372036854775807", ":-1");
}

TEST(incr_refuses_values_and_increments_that_are_not_integers) {
    redisContext *c = cliConnect(s);
    static const char *notInt[] = { "abc", "1.5", "\" 1\"", "\"1 \"", "+1", "01", "-0", "\"\"",
                                    "9223372036854775808", "0x10", "1e3" };
    for (size_t i = 0; i < sizeof notInt / sizeof notInt[0]; i++) {
        EXPECT(c, tfmt("SET ni:k %s", notInt[i]), "+OK");
        EXPECT(c, "INCR ni:k", "-ERR value is not an integer or out of range");
        EXPECT(c, "DECRBY ni:k 1", "-ERR value is not an integer or out of range");
        EXPECT(c, tfmt("INCRBY ni:n %s", notInt[i]), NOT_INT);
        EXPECT(c, tfmt("DECRBY ni:n %s", notInt[i]), NOT_INT);
    }
    EXPECT(c, "GET ni:n", "(nil)");
    EXPECT(c, "INCR", "-ERR wrong number of arguments for 'incr' command");
    EXPECT(c, "INCRBY ni:n", "-ERR wrong number of arguments for 'incrby' command");
    EXPECT(c, "DECR ni:n 1", "-ERR wrong number of arguments for 'decr' command");
}

TEST(incrbyfloat_formats_numbers_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "INCRBYFLOAT fl:a 10.5", "\"10.5\"");
    EXPECT(c, "INCRBYFLOAT fl:a 0.1", "\"10.6\"");
    EXPECT(c, "INCRBYFLOAT fl:a -10.6", "\"0\"");
    EXPECT(c, "INCRBYFLOAT fl:b 5.0e3", "\"5000\"");
    EXPECT(c, "INCRBYFLOAT fl:b -0", "\"5000\"");
    EXPECT(c, "INCRBYFLOAT fl:b 2.0E-1", "\"5000.20000000000000018\"");  /* long double */
    EXPECT(c, "INCRBYFLOAT fl:z -0", "\"0\"");
    EXPECT(c, "INCRBYFLOAT fl:z -0.0", "\"0\"");
    EXPECT(c, "INCRBYFLOAT fl:c 0.1", "\"0.1\"");
    EXPECT(c, "INCRBYFLOAT fl:c 0.2", "\"0.3\"");
    EXPECT(c, "INCRBYFLOAT fl:d -1.5", "\"-1.5\"");
    EXPECT(c, "INCRBYFLOAT fl:d 1.5", "\"0\"");
    EXPECT(c, "INCRBYFLOAT fl:e 1.0e-5", "\"0.00001\"");
    EXPECT(c, "INCRBYFLOAT fl:f 0x10", "\"16\"");
    EXPECT(c, "INCRBYFLOAT fl:g 3.0000000000000000001", "\"3\"");
    EXPECT(c, "INCRBYFLOAT fl:h 1e17", "\"100000000000000000\"");
    EXPECT(c, "INCRBYFLOAT fl:i 123456789012345678901234567890",
           "\"123456789012345678899921813504\"");
    EXPECT(c, "INCRBYFLOAT fl:j 1e-4950", "\"0\"");   /* a denormal is a valid float */
    EXPECT(c, "INCRBYFLOAT fl:k 1e400",
           "\"10000000000000000000281880683947586514586453433629052038625910693539685534008629"
           "862039363994848324160522094053927317616200295822777259255734023828976593340661017"
           "797447434546173917862448116674971723778943824391593338047470675026246684401359237"
           "513603830343735485505244955964979021825038280091068414947402456898653040951017512"
           "658092615827588920183472511643316591362664138176309734806343732497430221946880\"");
    EXPECT(c, "SET fl:n 17", "+OK");
    EXPECT(c, "INCRBYFLOAT fl:n 0.25", "\"17.25\"");
    EXPECT(c, "SET fl:n 1.5", "+OK");
    EXPECT(c, "INCRBYFLOAT fl:n 1", "\"2.5\"");
    EXPECT(c, "SET fl:n 3", "+OK");
    EXPECT(c, "INCRBYFLOAT fl:n -4", "\"-1\"");
    EXPECT(c, "SET fl:n 5.0e3", "+OK");
    EXPECT(c, "INCRBYFLOAT fl:n 1", "\"5001\"");
    EXPECT(c, "SET fl:n -9223372036854775808", "+OK");
    EXPECT(c, "INCRBYFLOAT fl:n 0", "\"-9223372036854775808\"");
    EXPECT(c, "INCRBYFLOAT fl:n -1", "\"-9223372036854775809\"");
}

TEST(incrbyfloat_refuses_bad_floats_nan_and_infinity) {
    redisContext *c = cliConnect(s);
    static const char *bad[] = { "abc", "\"\"", "\" 1\"", "\"1 \"", "nan", "1e5000", "-1e5000",
                                 "1.2.3", "--1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT(c, tfmt("INCRBYFLOAT fe:n %s", bad[i]), "-ERR value is not a valid float");
        EXPECT(c, tfmt("SET fe:v %s", bad[i]), "+OK");
        EXPECT(c, "INCRBYFLOAT fe:v 1", "-ERR value is not a valid float");
    }
    EXPECT(c, "INCRBYFLOAT fe:n inf", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "INCRBYFLOAT fe:n -inf", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "INCRBYFLOAT fe:n +Infinity", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "SET fe:v inf", "+OK");
    EXPECT(c, "INCRBYFLOAT fe:v 1", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "INCRBYFLOAT fe:v -inf", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "GET fe:v", "\"inf\"");
    /* long double range: 1e4932 is finite, 1e4933 is not; the sum of two
     * huge values overflows */
    EXPECT(c, "INCRBYFLOAT fe:m 1e4933", "-ERR value is not a valid float");
    const char *huge = cliCall(c, "INCRBYFLOAT fe:m 1e4931");
    CHECK(globMatch("\"100000000000000000000601894938*\"", huge) && strlen(huge) == 4932 + 2,
          "1e4931 gave %.40s... (%zu bytes)", huge, strlen(huge));
    EXPECT_MATCH(c, "INCRBYFLOAT fe:h 1e4932", "\"1*\"");
    EXPECT(c, "INCRBYFLOAT fe:h 1e4932", "-ERR increment would produce NaN or Infinity");
    EXPECT(c, "GET fe:n", "(nil)");
    EXPECT(c, "INCRBYFLOAT fe:n", "-ERR wrong number of arguments for 'incrbyfloat' command");
}

/* ---- GETRANGE SUBSTR SETRANGE --------------------------------------------------------- */

TEST(getrange_and_substr_clamp_their_indexes) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET gr:k \"Hello World\"", "+OK");
    static const struct { const char *range, *want; } cases[] = {
        { "0 3", "\"Hell\"" }, { "-3 -1", "\"rld\"" }, { "0 -1", "\"Hello World\"" },
        { "10 100", "\"d\"" }, { "5 3", "\"\"" }, { "-100 -200", "\"\"" }, { "0 -100", "\"H\"" },
        { "-1 -5", "\"\"" }, { "100 200", "\"\"" }, { "-100 2", "\"Hel\"" }, { "3 3", "\"l\"" },
        { "11 11", "\"\"" }, { "-9223372036854775808 9223372036854775807", "\"Hello World\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        EXPECT(c, tfmt("GETRANGE gr:k %s", cases[i].range), cases[i].want);
        EXPECT(c, tfmt("SUBSTR gr:k %s", cases[i].range), cases[i].want);
    }
    EXPECT(c, "SET gr:n 12345", "+OK");
    EXPECT(c, "GETRANGE gr:n 1 2", "\"23\"");
    EXPECT(c, "GETRANGE gr:n -2 -1", "\"45\"");
    EXPECT(c, "SET gr:e \"\"", "+OK");
    EXPECT(c, "GETRANGE gr:e 0 -1", "\"\"");
    EXPECT(c, "GETRANGE gr:none 0 -1", "\"\"");
    EXPECT(c, "GETRANGE gr:none a 1", "-ERR value is not an integer or out of range");
    EXPECT(c, "GETRANGE gr:k 0 1.5", "-ERR value is not an integer or out of range");
    EXPECT(c, "GETRANGE gr:k 0", "-ERR wrong number of arguments for 'getrange' command");
    EXPECT(c, "SUBSTR gr:k 0", "-ERR wrong number of arguments for 'substr' command");
}

TEST(setrange_overwrites_and_pads_with_zero_bytes) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET sr:k \"Hello World\"", "+OK");
    EXPECT(c, "SETRANGE sr:k 6 Redis", ":11");
    EXPECT(c, "GET sr:k", "\"Hello Redis\"");
    EXPECT(c, "SETRANGE sr:k 9 ssssss", ":15");
    EXPECT(c, "GET sr:k", "\"Hello Redssssss\"");
    EXPECT(c, "SETRANGE sr:k 18 x", ":19");
    EXPECT(c, "GET sr:k", "\"Hello Redssssss\\x00\\x00\\x00x\"");
    EXPECT(c, "SETRANGE sr:new 5 x", ":6");
    EXPECT(c, "GET sr:new", "\"\\x00\\x00\\x00\\x00\\x00x\"");
    EXPECT(c, "SETRANGE sr:new2 0 abc", ":3");
    EXPECT(c, "GET sr:new2", "\"abc\"");
    EXPECT(c, "SET sr:n 12345", "+OK");
    EXPECT(c, "SETRANGE sr:n 1 9", ":5");
    EXPECT(c, "GET sr:n", "\"19345\"");
    EXPECT(c, "INCR sr:n", ":19346");
    /* an empty value writes nothing: no key is created, the length is returned */
    EXPECT(c, "SETRANGE sr:none 5 \"\"", ":0");
    EXPECT(c, "GET sr:none", "(nil)");
    EXPECT(c, "SETRANGE sr:none 999999999999 \"\"", ":0");
    EXPECT(c, "SETRANGE sr:k 999999999999 \"\"", ":19");
    EXPECT(c, "SETRANGE sr:k -1 x", "-ERR offset is out of range");
    EXPECT(c, "SETRANGE sr:k -1 \"\"", "-ERR offset is out of range");
    EXPECT(c, "SETRANGE sr:k x x", "-ERR value is not an integer or out of range");
    EXPECT(c, "SETRANGE sr:k 536870912 x",
           "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    EXPECT(c, "SETRANGE sr:k 536870911 xx",
           "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    EXPECT(c, "SETRANGE sr:big 9223372036854775807 x",
           "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    EXPECT(c, "GET sr:big", "(nil)");
    EXPECT(c, "SETRANGE sr:k 0", "-ERR wrong number of arguments for 'setrange' command");
}

/* ---- LCS ------------------------------------------------------------------------------- */

TEST(lcs_returns_the_string_its_length_or_the_matching_ranges) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MSET {l}a ohmytext {l}b mynewtext", "+OK");
    EXPECT(c, "LCS {l}a {l}b", "\"mytext\"");
    EXPECT(c, "LCS {l}a {l}b LEN", ":6");
    EXPECT(c, "LCS {l}a {l}b len withmatchlen", ":6");
    EXPECT(c, "LCS {l}a {l}b withmatchlen", "\"mytext\"");
    EXPECT(c, "LCS {l}a {l}b IDX",
           "[\"matches\", [[[:4, :7], [:5, :8]], [[:2, :3], [:0, :1]]], \"len\", :6]");
    EXPECT(c, "LCS {l}a {l}b IDX MINMATCHLEN 4",
           "[\"matches\", [[[:4, :7], [:5, :8]]], \"len\", :6]");
    EXPECT(c, "LCS {l}a {l}b idx minmatchlen 4 withmatchlen",
           "[\"matches\", [[[:4, :7], [:5, :8], :4]], \"len\", :6]");
    EXPECT(c, "LCS {l}a {l}b IDX WITHMATCHLEN",
           "[\"matches\", [[[:4, :7], [:5, :8], :4], [[:2, :3], [:0, :1], :2]], \"len\", :6]");
    EXPECT(c, "LCS {l}a {l}b MINMATCHLEN -5 IDX",
           "[\"matches\", [[[:4, :7], [:5, :8]], [[:2, :3], [:0, :1]]], \"len\", :6]");
    EXPECT(c, "LCS {l}a {l}b IDX MINMATCHLEN 100", "[\"matches\", [], \"len\", :6]");
    EXPECT(c, "LCS {l}a {l}a", "\"ohmytext\"");
    EXPECT(c, "LCS {l}a {l}a IDX", "[\"matches\", [[[:0, :7], [:0, :7]]], \"len\", :8]");
    EXPECT(c, "LCS {l}a {l}none", "\"\"");
    EXPECT(c, "LCS {l}none {l}a LEN", ":0");
    EXPECT(c, "LCS {l}a {l}none IDX", "[\"matches\", [], \"len\", :0]");
    EXPECT(c, "MSET {l}n1 123 {l}n2 1234", "+OK");
    EXPECT(c, "LCS {l}n1 {l}n2 IDX WITHMATCHLEN",
           "[\"matches\", [[[:0, :2], [:0, :2], :3]], \"len\", :3]");
    EXPECT(c, "MSET {l}x ABCBDAB {l}y BDCABA", "+OK");
    EXPECT(c, "LCS {l}x {l}y", "\"BDAB\"");
    EXPECT(c, "LCS {l}x {l}y IDX WITHMATCHLEN",
           "[\"matches\", [[[:5, :6], [:3, :4], :2], [[:3, :4], [:0, :1], :2]], \"len\", :4]");
    EXPECT(c, "LCS {l}y {l}x", "\"BCBA\"");
    EXPECT(c, "LCS {l}y {l}x IDX",
           "[\"matches\", [[[:5, :5], [:5, :5]], [[:4, :4], [:3, :3]], [[:2, :2], [:2, :2]], "
           "[[:0, :0], [:1, :1]]], \"len\", :4]");
}

TEST(lcs_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MSET {le}a ohmytext {le}b mynewtext", "+OK");
    EXPECT(c, "LCS {le}a {le}b LEN IDX",
           "-ERR If you want both the length and indexes, please just use IDX.");
    EXPECT(c, "LCS {le}a {le}b MINMATCHLEN", "-ERR syntax error");
    EXPECT(c, "LCS {le}a {le}b MINMATCHLEN x", "-ERR value is not an integer or out of range");
    EXPECT(c, "LCS {le}a {le}b LEN MINMATCHLEN x", "-ERR value is not an integer or out of range");
    EXPECT(c, "LCS {le}a {le}b FOO", "-ERR syntax error");
    EXPECT(c, "LCS {le}a", "-ERR wrong number of arguments for 'lcs' command");
}

/* ---- RESP3 ------------------------------------------------------------------------------ */

TEST(resp3_replies_of_the_string_commands) {
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*\"proto\": :3*}");
    EXPECT_RAW(r, "GET r3:none", "(nil)");
    EXPECT_RAW(r, "SET r3:k v", "+OK");
    EXPECT_RAW(r, "SET r3:k v NX", "(nil)");
    EXPECT_RAW(r, "SET r3:k w GET", "\"v\"");
    EXPECT_RAW(r, "SET r3:none2 w XX GET", "(nil)");
    EXPECT_RAW(r, "MGET r3:k r3:none", "[\"w\", (nil)]");
    EXPECT_RAW(r, "GETEX r3:none", "(nil)");
    EXPECT_RAW(r, "GETDEL r3:none", "(nil)");
    EXPECT_RAW(r, "GETSET r3:g x", "(nil)");
    EXPECT_RAW(r, "SETNX r3:k v", ":0");
    EXPECT_RAW(r, "MSETNX r3:k v", ":0");
    EXPECT_RAW(r, "INCRBYFLOAT r3:f 1.5", "\"1.5\"");   /* a bulk string, not a double */
    EXPECT_RAW(r, "INCR r3:i", ":1");
    EXPECT_RAW(r, "STRLEN r3:k", ":1");
    EXPECT_RAW(r, "GETRANGE r3:none 0 -1", "\"\"");
    EXPECT_RAW(r, "MSET {r3}a ohmytext {r3}b mynewtext", "+OK");
    EXPECT_RAW(r, "LCS {r3}a {r3}b", "\"mytext\"");
    EXPECT_RAW(r, "LCS {r3}a {r3}b LEN", ":6");
    EXPECT_RAW(r, "LCS {r3}a {r3}b IDX",
               "{\"matches\": [[[:4, :7], [:5, :8]], [[:2, :3], [:0, :1]]], \"len\": :6}");
    EXPECT_RAW(r, "LCS {r3}a {r3}b IDX MINMATCHLEN 3 WITHMATCHLEN",
               "{\"matches\": [[[:4, :7], [:5, :8], :4]], \"len\": :6}");
    EXPECT_RAW(r, "LCS {r3}a {r3}none IDX", "{\"matches\": [], \"len\": :0}");
    EXPECT_RAW(r, "SET r3:k v EX 0", "-ERR invalid expire time in 'set' command");
}

TEST(resp2_nil_replies_are_null_bulks_not_null_arrays) {
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "GET r2:none", "(nil)");
    EXPECT_RAW(r, "SET r2:k v", "+OK");
    EXPECT_RAW(r, "SET r2:k v NX", "(nil)");
    EXPECT_RAW(r, "MGET r2:none", "[(nil)]");
    EXPECT_RAW(r, "GETEX r2:none", "(nil)");
    EXPECT_RAW(r, "LCS {r2}a {r2}b IDX", "[\"matches\", [], \"len\", :0]");
}

/* ---- binary and big values --------------------------------------------------------------- */

TEST(values_and_keys_are_binary_safe) {
    redisContext *c = cliConnect(s);
    const char val[] = "a\0b\r\n\xff\x00z";
    size_t vlen = sizeof val - 1;
    EXPECTF(c, "+OK", "SET %b %b", "bin\0key", (size_t)7, val, vlen);
    EXPECTF(c, "\"a\\x00b\\r\\n\\xff\\x00z\"", "GET %b", "bin\0key", (size_t)7);
    EXPECT(c, "GET bin", "(nil)");
    EXPECTF(c, ":8", "STRLEN %b", "bin\0key", (size_t)7);
    EXPECTF(c, "\"\\x00b\\r\"", "GETRANGE %b 1 3", "bin\0key", (size_t)7);
    EXPECTF(c, ":10", "APPEND %b %b", "bin\0key", (size_t)7, "\0\0", (size_t)2);
    EXPECTF(c, ":10", "SETRANGE %b 0 %b", "bin\0key", (size_t)7, "\0", (size_t)1);
    EXPECTF(c, "\"\\x00\\x00b\\r\\n\\xff\\x00z\\x00\\x00\"", "GET %b", "bin\0key", (size_t)7);
    EXPECTF(c, "+OK", "MSET bin:a %b bin:b %b", "x\0y", (size_t)3, "\0y\0", (size_t)3);
    EXPECT(c, "MGET bin:a bin:b", "[\"x\\x00y\", \"\\x00y\\x00\"]");
    EXPECT(c, "LCS bin:a bin:b", "\"\\x00y\"");
    EXPECTF(c, "\"x\\x00y\"", "GETSET bin:a %b", "\0", (size_t)1);
    EXPECT(c, "GETDEL bin:a", "\"\\x00\"");
    /* a number followed by a NUL is neither an integer nor a float */
    EXPECTF(c, "+OK", "SET bin:n %b", "12\0", (size_t)3);
    EXPECT(c, "INCR bin:n", "-ERR value is not an integer or out of range");
    EXPECT(c, "INCRBYFLOAT bin:n 1", "-ERR value is not a valid float");
    EXPECTF(c, "-ERR value is not a valid float", "INCRBYFLOAT bin:m %b", "1\0", (size_t)2);
    EXPECTF(c, "-ERR value is not an integer or out of range", "INCRBY bin:m %b", "1\0", (size_t)2);
}

TEST(one_megabyte_values_through_setrange_getrange_and_append) {
    redisContext *c = cliConnect(s);
    size_t mb = 1024 * 1024;
    char *big = pattern(mb, 5);
    EXPECTF(c, tfmt(":%zu", mb), "APPEND big:a %b", big, mb);
    EXPECTF(c, tfmt(":%zu", 2 * mb), "APPEND big:a %b", big, mb);
    EXPECTF(c, tfmt(":%zu", 3 * mb), "APPEND big:a %b", big, mb);
    EXPECT(c, "STRLEN big:a", tfmt(":%zu", 3 * mb));
    EXPECT(c, tfmt("GETRANGE big:a %zu %zu", 2 * mb - 3, 2 * mb + 2),
           tfmt("\"%.3s%.3s\"", big + mb - 3, big));
    const char *all = cliCall(c, "GET big:a");
    CHECK(strlen(all) == 3 * mb + 2 && memcmp(all + 1 + 2 * mb, big, mb) == 0,
          "GET returned %zu bytes", strlen(all));
    /* SETRANGE far into a new key, then over its middle */
    EXPECTF(c, tfmt(":%zu", 2 * mb), tfmt("SETRANGE big:s %zu %%b", mb), big, mb);
    EXPECT(c, "GETRANGE big:s 0 3", "\"\\x00\\x00\\x00\\x00\"");
    EXPECT(c, tfmt("GETRANGE big:s %zu %zu", mb - 1, mb + 2), tfmt("\"\\x00%.3s\"", big));
    EXPECTF(c, tfmt(":%zu", 2 * mb), "SETRANGE big:s 0 %b", big, mb);
    const char *sr = cliCall(c, "GET big:s");
    CHECK(strlen(sr) == 2 * mb + 2 && memcmp(sr + 1, big, mb) == 0 &&
          memcmp(sr + 1 + mb, big, mb) == 0, "GET after SETRANGE returned %zu bytes", strlen(sr));
    EXPECT(c, tfmt("SETRANGE big:s %zu 0123456789", 2 * mb), tfmt(":%zu", 2 * mb + 10));
    EXPECT(c, tfmt("GETRANGE big:s -12 -1"), tfmt("\"%.2s0123456789\"", big + mb - 2));
    EXPECT_ENC(c, "big:s", "raw");
    EXPECTF(c, "+OK", "SET big:v %b", big, mb);
    EXPECT(c, "STRLEN big:v", tfmt(":%zu", mb));
    EXPECT_ENC(c, "big:v", "raw");
    EXPECTF(c, tfmt("\"%.*s\"", 5, big + mb - 5), "GETRANGE big:v -5 -1");
    free(big);
}

TEST(writes_past_proto_max_bulk_len_are_refused) {
    redisContext *c = cliConnect(sLimits);
    size_t half = 600 * 1024;
    char *v = pattern(half, 9);
    EXPECTF(c, "+OK", "SET lim:k %b", v, half);
    EXPECTF(c, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)", "APPEND lim:k %b",
            v, half);
    EXPECT(c, "STRLEN lim:k", tfmt(":%zu", half));
    EXPECT(c, "SETRANGE lim:k 1048576 x",
           "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    EXPECT(c, "SETRANGE lim:k 1048575 x", ":1048576");
    EXPECT(c, "SETRANGE lim:n 1048575 x", ":1048576");
    EXPECT(c, "APPEND lim:n x", "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    EXPECT(c, "STRLEN lim:n", ":1048576");
    /* LCS refuses a table bigger than proto-max-bulk-len: (512+1)^2 * 4 > 1 MB */
    char *a = pattern(512, 1), *b = pattern(510, 2);
    EXPECTF(c, "+OK", "MSET {lim}a %s {lim}b %s", a, a);
    EXPECT(c, "LCS {lim}a {lim}b LEN",
           "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    EXPECT(c, "LCS {lim}a {lim}b IDX",
           "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    EXPECTF(c, "+OK", "SET {lim}b %s", b);            /* 513 * 511 * 4 fits */
    EXPECT_MATCH(c, "LCS {lim}a {lim}b LEN", ":*");
    free(v);
    free(a);
    free(b);
}

/* ---- encodings -------------------------------------------------------------------------- */

TEST(object_encoding_after_each_kind_of_write) {
    redisContext *c = cliConnect(s);
    char *s44 = pattern(44, 0), *s45 = pattern(45, 0);
    EXPECT(c, "SET en:int 123", "+OK");
    EXPECT_ENC(c, "en:int", "int");
    EXPECT(c, "SET en:neg -9223372036854775808", "+OK");
    EXPECT_ENC(c, "en:neg", "int");
    EXPECT(c, "SET en:lead 0123", "+OK");
    EXPECT_ENC(c, "en:lead", "embstr");
    EXPECT(c, "SET en:over 9223372036854775808", "+OK");
    EXPECT_ENC(c, "en:over", "embstr");
    EXPECT(c, "SET en:str abc", "+OK");
    EXPECT_ENC(c, "en:str", "embstr");
    EXPECTF(c, "+OK", "SET en:44 %s", s44);
    EXPECT_ENC(c, "en:44", "embstr");
    EXPECTF(c, "+OK", "SET en:45 %s", s45);
    EXPECT_ENC(c, "en:45", "raw");
    EXPECTF(c, "+OK", "SET en:45 %s", s45);           /* raw over raw */
    EXPECT_ENC(c, "en:45", "raw");
    EXPECT(c, "SET en:45 42", "+OK");
    EXPECT_ENC(c, "en:45", "int");
    EXPECT(c, "SET en:45 abc", "+OK");
    EXPECT_ENC(c, "en:45", "embstr");
    /* APPEND: a missing key gets the value encoded as given, an existing one goes raw */
    EXPECT(c, "APPEND en:ai 123", ":3");
    EXPECT_ENC(c, "en:ai", "int");
    EXPECT(c, "APPEND en:ae hello", ":5");
    EXPECT_ENC(c, "en:ae", "embstr");
    EXPECT(c, "APPEND en:ae x", ":6");
    EXPECT_ENC(c, "en:ae", "raw");
    EXPECT(c, "APPEND en:ai 4", ":4");
    EXPECT_ENC(c, "en:ai", "raw");
    EXPECT(c, "APPEND en:str \"\"", ":3");
    EXPECT_ENC(c, "en:str", "raw");
    EXPECT(c, "INCR en:ai", ":1235");                 /* INCR turns raw digits into int */
    EXPECT_ENC(c, "en:ai", "int");
    /* SETRANGE is always raw */
    EXPECT(c, "SETRANGE en:sr 0 1", ":1");
    EXPECT_ENC(c, "en:sr", "raw");
    EXPECT(c, "SET en:sri 12", "+OK");
    EXPECT(c, "SETRANGE en:sri 0 3", ":2");
    EXPECT_ENC(c, "en:sri", "raw");
    EXPECT(c, "SETRANGE en:sri 0 \"\"", ":2");
    /* INCR family: int; INCRBYFLOAT: embstr (raw when long), even for a whole number */
    EXPECT(c, "INCR en:i", ":1");
    EXPECT_ENC(c, "en:i", "int");
    EXPECT(c, "INCRBYFLOAT en:f 1", "\"1\"");
    EXPECT_ENC(c, "en:f", "embstr");
    EXPECT(c, "INCRBYFLOAT en:i 1.5", "\"2.5\"");
    EXPECT_ENC(c, "en:i", "embstr");
    EXPECT(c, "INCRBY en:f 1", ":2");
    EXPECT_ENC(c, "en:f", "int");
    EXPECT(c, "INCRBYFLOAT en:fl 1e50", "\"100000000000000000003583830118858923890798487404544\"");
    EXPECT_ENC(c, "en:fl", "raw");
    /* the other writers encode like SET */
    EXPECT(c, "SETNX en:nx 77", ":1");
    EXPECT_ENC(c, "en:nx", "int");
    EXPECT(c, "SETEX en:ex 100 77", "+OK");
    EXPECT_ENC(c, "en:ex", "int");
    EXPECT(c, "PSETEX en:pex 100000 abc", "+OK");
    EXPECT_ENC(c, "en:pex", "embstr");
    EXPECT(c, "GETSET en:gs 5", "(nil)");
    EXPECT_ENC(c, "en:gs", "int");
    EXPECT(c, "MSET en:m1 5 en:m2 x", "+OK");
    EXPECT_ENC(c, "en:m1", "int");
    EXPECT_ENC(c, "en:m2", "embstr");
    EXPECT(c, "MSETNX en:m3 5 en:m4 x", ":1");
    EXPECT_ENC(c, "en:m3", "int");
    EXPECT_ENC(c, "en:m4", "embstr");
    EXPECT(c, "SET en:g 5 GET", "(nil)");
    EXPECT_ENC(c, "en:g", "int");
    EXPECT(c, "SET en:g 5 KEEPTTL", "+OK");
    EXPECT_ENC(c, "en:g", "int");
    EXPECT(c, "GETEX en:g EX 100", "\"5\"");
    EXPECT_ENC(c, "en:g", "int");
    free(s44);
    free(s45);
    if (skippedChecks) printf("  note: %d OBJECT ENCODING / PTTL checks skipped so far "
                              "(command unknown)\n", skippedChecks);
}

/* ---- wrong type ------------------------------------------------------------------------- */

TEST(string_commands_refuse_a_key_of_another_type) {
    redisContext *c = cliConnect(s);
    if (!makeOtherType(c, "wt:o")) SKIP("no other data type implemented yet");
    static const char *cmds[] = {
        "GET wt:o", "SET wt:o v GET", "SET wt:o v NX GET", "GETSET wt:o v", "GETDEL wt:o",
        "GETEX wt:o", "GETEX wt:o EX 10", "GETEX wt:o PERSIST", "APPEND wt:o x", "STRLEN wt:o",
        "INCR wt:o", "DECR wt:o", "INCRBY wt:o 1", "DECRBY wt:o 1", "INCRBYFLOAT wt:o 1",
        "GETRANGE wt:o 0 -1", "SUBSTR wt:o 0 -1", "SETRANGE wt:o 0 x", "SETRANGE wt:o 0 \"\"",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) EXPECT(c, cmds[i], WRONGTYPE);
    /* argument errors that come before the lookup */
    EXPECT(c, "GETRANGE wt:o a 1", "-ERR value is not an integer or out of range");
    EXPECT(c, "SETRANGE wt:o -1 x", "-ERR offset is out of range");
    EXPECT(c, "INCRBY wt:o x", "-ERR value is not an integer or out of range");
    EXPECT(c, "SET wt:o v EX 0 GET", "-ERR invalid expire time in 'set' command");
    EXPECT(c, "GETEX wt:o EX 0", WRONGTYPE);
    EXPECT(c, "INCRBYFLOAT wt:o x", WRONGTYPE);
    /* MGET answers nil for it; NX sees it; LCS refuses it */
    EXPECT(c, "SET wt:s v", "+OK");
    EXPECT(c, "MGET wt:s wt:o", "[\"v\", (nil)]");
    EXPECT(c, "SETNX wt:o v", ":0");
    EXPECT(c, "SET wt:o v NX", "(nil)");
    EXPECT(c, "MSETNX wt:o v", ":0");
    EXPECT(c, "LCS wt:o wt:s", "-ERR The specified keys must contain string values");
    EXPECT(c, "LCS wt:s wt:o IDX", "-ERR The specified keys must contain string values");
    EXPECT(c, "LCS wt:s wt:o FOO", "-ERR The specified keys must contain string values");
    /* SET without GET overwrites any type */
    EXPECT(c, "SET wt:o v XX", "+OK");
    EXPECT(c, "GET wt:o", "\"v\"");
    EXPECT(c, "SETRANGE wt:o 1 x", ":2");
    REQUIRE(makeOtherType(c, "wt:p"));
    EXPECT(c, "MSET wt:p 1", "+OK");
    EXPECT(c, "INCR wt:p", ":2");
    REQUIRE(makeOtherType(c, "wt:q"));
    EXPECT(c, "SETEX wt:q 100 v", "+OK");
    EXPECT(c, "GET wt:q", "\"v\"");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    sLimits = srvStart("proto-max-bulk-len 1mb");
    sThreads = srvStart(srvIsOracle() ? NULL : "threads 4");
    int rc = harnessMain(argc, argv);
    return rc;
}
