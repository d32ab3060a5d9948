/* test_expire.c — key expiry: EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX XX
 * GT LT, TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST, lazy expiry on access,
 * the active expire cycle, and SET EX / GETEX where the string family
 * has them. Replies and errors are Redis 7.0's (check with
 * ROOST_ORACLE=redis).
 *
 * DEBUG SET-ACTIVE-EXPIRE 0 turns the active cycle off so that lazy expiry
 * can be seen on its own; where the server lacks it, the assertions that
 * need it are skipped (and say so).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static srv *s;

static long long intReply(redisContext *c, const char *cmdline) {
    const char *r = cliCall(c, cmdline);
    if (r[0] != ':') {
        harnessFail(__FILE__, __LINE__, "%s: expected an integer, got %s", cmdline, r);
        return -9223372036854775807LL - 1;
    }
    return atoll(r + 1);
}

static long long nowMs(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static bool supported(redisContext *c, const char *cmdline) {
    return strncmp(cliCall(c, cmdline), "-ERR unknown command", 20) != 0;
}

/* activeExpire turns the active expire cycle on or off; false when the
 * server has no DEBUG SET-ACTIVE-EXPIRE. */
static bool activeExpire(redisContext *c, bool on) {
    return strcmp(cliCall(c, on ? "DEBUG SET-ACTIVE-EXPIRE 1" : "DEBUG SET-ACTIVE-EXPIRE 0"), "+OK") == 0;
}

/* pipeline sends n formatted commands (fmt takes the index twice at most)
 * and checks each reply's canonical text. */
static void pipeline(redisContext *c, int n, const char *fmt, const char *want) {
    for (int i = 0; i < n; i++) redisAppendCommand(c, fmt, i, i);
    int bad = 0;
    const char *first = NULL;
    for (int i = 0; i < n; i++) {
        redisReply *r = NULL;
        REQUIRE(redisGetReply(c, (void **)&r) == REDIS_OK && r, "pipeline broke");
        const char *t = replyText(r);
        if (strcmp(t, want) != 0 && bad++ == 0) first = tfmt("%s", t);
        freeReplyObject(r);
    }
    CHECK(bad == 0, "%d of %d replies to %s were not %s (first: %s)", bad, n, fmt, want,
          first ? first : "");
}

/* ---- options and errors ------------------------------------------------------------ */

TEST(expire_options_that_conflict_are_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET eo:k v", "+OK");
    static const char *const cmds[] = { "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT" };
    static const char *const lower[] = { "expire", "pexpire", "expireat", "pexpireat" };
    for (int i = 0; i < 4; i++) {
        const char *cmd = cmds[i];
        EXPECTF(c, "-ERR NX and XX, GT or LT options at the same time are not compatible",
                "%s eo:k 100 NX XX", cmd);
        EXPECTF(c, "-ERR NX and XX, GT or LT options at the same time are not compatible",
                "%s eo:k 100 nx gt", cmd);
        EXPECTF(c, "-ERR NX and XX, GT or LT options at the same time are not compatible",
                "%s eo:k 100 LT NX", cmd);
        EXPECTF(c, "-ERR GT and LT options at the same time are not compatible",
                "%s eo:k 100 GT LT", cmd);
        EXPECTF(c, "-ERR GT and LT options at the same time are not compatible",
                "%s eo:k 100 xx gt lt", cmd);
        EXPECTF(c, "-ERR Unsupported option foo", "%s eo:k 100 foo", cmd);
        EXPECTF(c, "-ERR Unsupported option foo", "%s eo:k 100 NX foo", cmd);
        /* options are checked before the time and the key */
        EXPECTF(c, "-ERR Unsupported option bar", "%s nokey abc bar", cmd);
        EXPECTF(c, "-ERR value is not an integer or out of range", "%s eo:k abc", cmd);
        EXPECTF(c, "-ERR value is not an integer or out of range", "%s eo:k 1.5", cmd);
        EXPECTF(c, "-ERR value is not an integer or out of range", "%s nokey abc NX", cmd);
        EXPECTF(c, tfmt("-ERR wrong number of arguments for '%s' command", lower[i]), "%s eo:k", cmd);
    }
    EXPECT(c, "TTL eo:k", ":-1");
    EXPECT(c, "DEL eo:k", ":1");
}

TEST(expire_times_that_overflow_are_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ov:k v", "+OK");
    EXPECT(c, "EXPIRE ov:k 9223372036854775807", "-ERR invalid expire time in 'expire' command");
    EXPECT(c, "EXPIRE ov:k -9223372036854775808", "-ERR invalid expire time in 'expire' command");
    EXPECT(c, "EXPIRE ov:k 9223372036854775", "-ERR invalid expire time in 'expire' command");
    EXPECT(c, "PEXPIRE ov:k 9223372036854775807", "-ERR invalid expire time in 'pexpire' command");
    EXPECT(c, "PEXPIRE ov:k 9223372036854775000", "-ERR invalid expire time in 'pexpire' command");
    EXPECT(c, "EXPIREAT ov:k 9223372036854775807", "-ERR invalid expire time in 'expireat' command");
    EXPECT(c, "EXPIREAT ov:k -9223372036854776", "-ERR invalid expire time in 'expireat' command");
    EXPECT(c, "expireat ov:k 9223372036854776", "-ERR invalid expire time in 'expireat' command");
    EXPECT(c, "EXPIRE ov:k 9223372036854775808", "-ERR value is not an integer or out of range");
    EXPECT(c, "TTL ov:k", ":-1");
    /* the largest absolute time is accepted as is */
    EXPECT(c, "PEXPIREAT ov:k 9223372036854775807", ":1");
    EXPECT(c, "PEXPIRETIME ov:k", ":9223372036854775807");
    EXPECT(c, "EXPIRETIME ov:k", ":9223372036854776");   /* Redis rounds up */
    EXPECT(c, "EXISTS ov:k", ":1");
    /* on a missing key the time is still checked first */
    EXPECT(c, "EXPIRE nokey 9223372036854775807", "-ERR invalid expire time in 'expire' command");
    EXPECT(c, "EXPIRE nokey 100", ":0");
    EXPECT(c, "PEXPIRE nokey 100", ":0");
    EXPECT(c, "EXPIREAT nokey 100", ":0");
    EXPECT(c, "PEXPIREAT nokey 100", ":0");
    EXPECT(c, "DEL ov:k", ":1");
}

/* ---- NX XX GT LT ------------------------------------------------------------------------ */

TEST(nx_and_xx_look_at_whether_a_ttl_exists) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET nx:k v", "+OK");
    EXPECT(c, "EXPIRE nx:k 100 XX", ":0");
    EXPECT(c, "TTL nx:k", ":-1");
    EXPECT(c, "EXPIRE nx:k 100 NX", ":1");
    EXPECT(c, "TTL nx:k", ":100");
    EXPECT(c, "EXPIRE nx:k 200 NX", ":0");
    EXPECT(c, "TTL nx:k", ":100");
    EXPECT(c, "EXPIRE nx:k 200 XX", ":1");
    EXPECT(c, "TTL nx:k", ":200");
    EXPECT(c, "PEXPIRE nx:k 300000 xx", ":1");
    EXPECT(c, "TTL nx:k", ":300");
    EXPECT(c, "PERSIST nx:k", ":1");
    EXPECT(c, "PEXPIREAT nx:k 4102444800000 XX", ":0");
    EXPECT(c, "PEXPIREAT nx:k 4102444800000 NX", ":1");
    EXPECT(c, "PEXPIRETIME nx:k", ":4102444800000");
    EXPECT(c, "EXPIREAT nx:k 4102444801 NX", ":0");
    EXPECT(c, "EXPIREAT nx:k 4102444801 XX", ":1");
    EXPECT(c, "EXPIRETIME nx:k", ":4102444801");
    EXPECT(c, "DEL nx:k", ":1");
}

TEST(gt_and_lt_compare_with_the_current_ttl) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET gl:k v", "+OK");
    /* no TTL counts as an infinite one */
    EXPECT(c, "EXPIRE gl:k 100 GT", ":0");
    EXPECT(c, "TTL gl:k", ":-1");
    EXPECT(c, "EXPIRE gl:k 100 LT", ":1");
    EXPECT(c, "TTL gl:k", ":100");
    EXPECT(c, "EXPIRE gl:k 50 GT", ":0");
    EXPECT(c, "EXPIRE gl:k 200 GT", ":1");
    EXPECT(c, "TTL gl:k", ":200");
    EXPECT(c, "EXPIRE gl:k 300 LT", ":0");
    EXPECT(c, "EXPIRE gl:k 10 lt", ":1");
    EXPECT(c, "TTL gl:k", ":10");
    EXPECT(c, "PEXPIREAT gl:k 4102444800000", ":1");
    EXPECT(c, "PEXPIREAT gl:k 4102444800000 GT", ":0");
    EXPECT(c, "PEXPIREAT gl:k 4102444800000 LT", ":0");
    EXPECT(c, "PEXPIREAT gl:k 4102444800001 GT", ":1");
    EXPECT(c, "PEXPIREAT gl:k 4102444800000 LT", ":1");
    EXPECT(c, "PEXPIRETIME gl:k", ":4102444800000");
    EXPECT(c, "PEXPIREAT gl:k 4102444800001 XX GT", ":1");
    EXPECT(c, "PEXPIREAT gl:k 4102444800000 XX LT", ":1");
    EXPECT(c, "PEXPIRETIME gl:k", ":4102444800000");
    /* a time in the past with GT on a persistent key does nothing */
    EXPECT(c, "PERSIST gl:k", ":1");
    EXPECT(c, "EXPIRE gl:k -5 GT", ":0");
    EXPECT(c, "EXISTS gl:k", ":1");
    /* ...but with LT it deletes the key */
    EXPECT(c, "EXPIRE gl:k -5 LT", ":1");
    EXPECT(c, "EXISTS gl:k", ":0");
}

/* ---- TTL PTTL EXPIRETIME PEXPIRETIME -------------------------------------------------------- */

TEST(ttl_is_minus_one_without_expire_and_minus_two_without_key) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT(c, "SET tt:k v", "+OK");
    EXPECT(c, "TTL nokey", ":-2");
    EXPECT(c, "PTTL nokey", ":-2");
    EXPECT(c, "EXPIRETIME nokey", ":-2");
    EXPECT(c, "PEXPIRETIME nokey", ":-2");
    EXPECT(c, "TTL tt:k", ":-1");
    EXPECT(c, "PTTL tt:k", ":-1");
    EXPECT(c, "EXPIRETIME tt:k", ":-1");
    EXPECT(c, "PEXPIRETIME tt:k", ":-1");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "TTL nokey", ":-2");
    EXPECT_RAW(r, "PTTL tt:k", ":-1");
    EXPECT_RAW(r, "EXPIRE tt:k 100", ":1");
    EXPECT_RAW(r, "TTL tt:k", ":100");
    EXPECT(c, "TTL", "-ERR wrong number of arguments for 'ttl' command");
    EXPECT(c, "PTTL a b", "-ERR wrong number of arguments for 'pttl' command");
    EXPECT(c, "EXPIRETIME", "-ERR wrong number of arguments for 'expiretime' command");
    EXPECT(c, "PEXPIRETIME a b", "-ERR wrong number of arguments for 'pexpiretime' command");
    EXPECT(c, "DEL tt:k", ":1");
}

TEST(ttl_values_round_and_count_down) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET tv:k v", "+OK");
    EXPECT(c, "EXPIRE tv:k 100", ":1");
    long long pttl = intReply(c, "PTTL tv:k");
    CHECK(pttl > 99000 && pttl <= 100000, "PTTL %lld", pttl);
    EXPECT(c, "PEXPIRE tv:k 2600", ":1");
    EXPECT(c, "TTL tv:k", ":3");          /* 2.6 s rounds to 3 */
    EXPECT(c, "PEXPIRE tv:k 2400", ":1");
    long long ttl = intReply(c, "TTL tv:k");
    CHECK(ttl == 2, "TTL %lld for 2.4 s", ttl);
    long long before = nowMs();
    EXPECT(c, "PEXPIRE tv:k 100000", ":1");
    long long at = intReply(c, "PEXPIRETIME tv:k");
    long long after = nowMs();
    CHECK(at >= before + 100000 && at <= after + 100000, "PEXPIRETIME %lld not in [%lld, %lld]",
          at, before + 100000, after + 100000);
    long long sec = intReply(c, "EXPIRETIME tv:k");
    CHECK(sec == (at + 500) / 1000, "EXPIRETIME %lld, PEXPIRETIME %lld (rounded)", sec, at);
    harnessSleepMs(300);
    pttl = intReply(c, "PTTL tv:k");
    CHECK(pttl <= 100000 - 250 && pttl > 90000, "PTTL %lld after 300 ms", pttl);
    EXPECT(c, "EXPIREAT tv:k 4102444800", ":1");
    EXPECT(c, "EXPIRETIME tv:k", ":4102444800");
    EXPECT(c, "PEXPIRETIME tv:k", ":4102444800000");
    EXPECT(c, "DEL tv:k", ":1");
}

/* ---- times in the past -------------------------------------------------------------------- */

TEST(a_ttl_in_the_past_deletes_the_key_at_once) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET pa:k v", "+OK");
    EXPECT(c, "EXPIRE pa:k 0", ":1");
    EXPECT(c, "EXISTS pa:k", ":0");
    EXPECT(c, "SET pa:k v", "+OK");
    EXPECT(c, "EXPIRE pa:k -100", ":1");
    EXPECT(c, "GET pa:k", "(nil)");
    EXPECT(c, "SET pa:k v", "+OK");
    EXPECT(c, "PEXPIRE pa:k -1", ":1");
    EXPECT(c, "TTL pa:k", ":-2");
    EXPECT(c, "SET pa:k v", "+OK");
    EXPECT(c, "EXPIREAT pa:k 1", ":1");
    EXPECT(c, "EXISTS pa:k", ":0");
    EXPECT(c, "SET pa:k v", "+OK");
    EXPECT(c, "PEXPIREAT pa:k 1", ":1");
    EXPECT(c, "EXISTS pa:k", ":0");
    EXPECT(c, "SET pa:k v", "+OK");
    EXPECTF(c, ":1", "PEXPIREAT pa:k %lld", nowMs() - 10);
    EXPECT(c, "EXISTS pa:k", ":0");
    EXPECT(c, "EXPIRE pa:k 0", ":0");
}

/* ---- PERSIST -------------------------------------------------------------------------------- */

TEST(persist_removes_the_ttl) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ps:k v", "+OK");
    EXPECT(c, "PERSIST ps:k", ":0");
    EXPECT(c, "PERSIST nokey", ":0");
    EXPECT(c, "EXPIRE ps:k 100", ":1");
    EXPECT(c, "PERSIST ps:k", ":1");
    EXPECT(c, "TTL ps:k", ":-1");
    EXPECT(c, "PERSIST ps:k", ":0");
    EXPECT(c, "GET ps:k", "\"v\"");
    EXPECT(c, "PEXPIRE ps:k 100", ":1");
    EXPECT(c, "PERSIST ps:k", ":1");
    harnessSleepMs(200);
    EXPECT(c, "GET ps:k", "\"v\"");
    EXPECT(c, "PERSIST", "-ERR wrong number of arguments for 'persist' command");
    EXPECT(c, "DEL ps:k", ":1");
}

/* ---- lazy and active expiry --------------------------------------------------------------- */

TEST(a_key_with_a_short_ttl_is_gone_when_accessed) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    bool debug = activeExpire(c, false);
    EXPECT(c, "SET lz:get v", "+OK");
    EXPECT(c, "SET lz:exists v", "+OK");
    EXPECT(c, "SET lz:ttl v", "+OK");
    EXPECT(c, "SET lz:keep v", "+OK");
    EXPECT(c, "PEXPIRE lz:get 50", ":1");
    EXPECT(c, "PEXPIRE lz:exists 50", ":1");
    EXPECT(c, "PEXPIRE lz:ttl 50", ":1");
    EXPECT(c, "PEXPIRE lz:keep 100000", ":1");
    EXPECT(c, "GET lz:get", "\"v\"");
    harnessSleepMs(120);
    if (debug) {
        /* nothing has touched them: still counted, but invisible */
        EXPECT(c, "DBSIZE", ":4");
        EXPECT(c, "KEYS lz:*", "[\"lz:keep\"]");
    }
    EXPECT(c, "GET lz:get", "(nil)");
    EXPECT(c, "EXISTS lz:exists", ":0");
    EXPECT(c, "TTL lz:ttl", ":-2");
    EXPECT(c, "GET lz:keep", "\"v\"");
    if (debug) {
        EXPECT(c, "DBSIZE", ":1");
        CHECK(activeExpire(c, true));
    }
    EXPECT(c, "DEL lz:keep", ":1");
    if (!debug) SKIP("DEBUG SET-ACTIVE-EXPIRE is not available: lazy expiry checked only by access");
}

TEST(expired_keys_are_not_listed_renamed_or_copied) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    bool debug = activeExpire(c, false);
    EXPECT(c, "SET ex:a v", "+OK");
    EXPECT(c, "SET ex:b v", "+OK");
    EXPECT(c, "SET ex:c v", "+OK");
    EXPECT(c, "SET ex:d v", "+OK");
    EXPECT(c, "SET ex:e v", "+OK");
    EXPECT(c, "SET ex:live v", "+OK");
    for (const char *k = "abcde"; *k; k++) EXPECT(c, tfmt("PEXPIRE ex:%c 30", *k), ":1");
    harnessSleepMs(100);
    EXPECT(c, "KEYS ex:*", "[\"ex:live\"]");
    EXPECT(c, "SCAN 0 COUNT 100", "[\"0\", [\"ex:live\"]]");
    EXPECT(c, "RANDOMKEY", "\"ex:live\"");
    EXPECT(c, "RENAME ex:a ex:z", "-ERR no such key");
    EXPECT(c, "COPY ex:b ex:z", ":0");
    EXPECT(c, "MOVE ex:c 1", ":0");
    EXPECT(c, "TYPE ex:d", "+none");
    EXPECT(c, "OBJECT ENCODING ex:e", "(nil)");
    EXPECT(c, "DEL ex:e", ":0");
    EXPECT(c, "DBSIZE", ":1");
    if (debug) CHECK(activeExpire(c, true));
    EXPECT(c, "DEL ex:live", ":1");
}

TEST(ten_thousand_keys_with_short_ttls_expire_without_being_touched) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    activeExpire(c, true);
    pipeline(c, 10000, "SET act:%d %d", "+OK");
    pipeline(c, 10000, "PEXPIRE act:%d 100", ":1");
    EXPECT(c, "SET act:stay v", "+OK");
    long long t0 = harnessNowMs();
    bool gone = WAIT_FOR(strcmp(cliCall(c, "DBSIZE"), ":1") == 0, 5000);
    CHECK(gone, "DBSIZE still %s after 5 s", cliCall(c, "DBSIZE"));
    CHECK(harnessNowMs() - t0 >= 90, "expired too early");
    EXPECT(c, "GET act:stay", "\"v\"");
    EXPECT_MATCH(c, "INFO stats", "*expired_keys:*");
}

TEST(keys_with_mixed_ttls_expire_in_order) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FLUSHALL", "+OK");
    pipeline(c, 1000, "SET soon:%d %d", "+OK");
    pipeline(c, 1000, "PEXPIRE soon:%d 100", ":1");
    pipeline(c, 1000, "SET later:%d %d", "+OK");
    pipeline(c, 1000, "EXPIRE later:%d 100", ":1");
    /* Redis needs ~0.2 s here; the bound is loose because an expire cycle
     * that samples at random finds the last few expired keys among many
     * live ones slowly */
    CHECK(WAIT_FOR(strcmp(cliCall(c, "DBSIZE"), ":1000") == 0, 10000), "DBSIZE %s",
          cliCall(c, "DBSIZE"));
    EXPECT(c, "KEYS soon:*", "[]");
    EXPECT(c, "EXISTS later:0 later:999", ":2");
    EXPECT(c, "FLUSHALL", "+OK");
}

/* ---- SET EX / GETEX interplay (string family) ------------------------------------------------ */

TEST(set_and_getex_interplay_with_the_ttl) {
    redisContext *c = cliConnect(s);
    if (!supported(c, "GETEX nokey")) SKIP("GETEX (and SET EX) are not available yet");
    EXPECT(c, "SET sx:k v EX 100", "+OK");
    EXPECT(c, "TTL sx:k", ":100");
    EXPECT(c, "SET sx:k v2", "+OK");
    EXPECT(c, "TTL sx:k", ":-1");
    EXPECT(c, "SET sx:k v3 PX 50000", "+OK");
    EXPECT(c, "SET sx:k v4 KEEPTTL", "+OK");
    EXPECT(c, "TTL sx:k", ":50");
    EXPECT(c, "GETEX sx:k PERSIST", "\"v4\"");
    EXPECT(c, "TTL sx:k", ":-1");
    EXPECT(c, "GETEX sx:k EX 30", "\"v4\"");
    EXPECT(c, "TTL sx:k", ":30");
    EXPECT(c, "EXPIRE sx:k 60 GT", ":1");
    EXPECT(c, "TTL sx:k", ":60");
    EXPECT(c, "GETEX sx:k PXAT 4102444800000", "\"v4\"");
    EXPECT(c, "PEXPIRETIME sx:k", ":4102444800000");
    EXPECT(c, "SET sx:k v5 EXAT 4102444801", "+OK");
    EXPECT(c, "EXPIRETIME sx:k", ":4102444801");
    EXPECT(c, "SET sx:short v PX 50", "+OK");
    harnessSleepMs(120);
    EXPECT(c, "GETEX sx:short", "(nil)");
    EXPECT(c, "SETEX sx:se 100 v", "+OK");
    EXPECT(c, "TTL sx:se", ":100");
    EXPECT(c, "PSETEX sx:pse 100000 v", "+OK");
    EXPECT(c, "TTL sx:pse", ":100");
    EXPECT(c, "DEL sx:k sx:se sx:pse", ":3");
}

/* Writing the value through other commands keeps or drops the TTL as Redis does. */
TEST(overwriting_commands_keep_or_drop_the_ttl) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ow:k 1", "+OK");
    EXPECT(c, "EXPIRE ow:k 100", ":1");
    if (supported(c, "INCR ow:k")) EXPECT(c, "TTL ow:k", ":100");
    if (supported(c, "APPEND ow:k x")) EXPECT(c, "TTL ow:k", ":100");
    EXPECT(c, "SET ow:k fresh", "+OK");
    EXPECT(c, "TTL ow:k", ":-1");
    EXPECT(c, "EXPIRE ow:k 100", ":1");
    EXPECT(c, "RENAME ow:k ow:j", "+OK");
    EXPECT(c, "TTL ow:j", ":100");
    EXPECT(c, "DEL ow:j", ":1");
}

int main(int argc, char **argv) {
    s = srvStart("enable-debug-command yes");
    return harnessMain(argc, argv);
}
