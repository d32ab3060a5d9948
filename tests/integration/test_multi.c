/* test_multi.c — transactions: MULTI EXEC DISCARD WATCH UNWATCH. QUEUED
 * replies, EXEC's array with the errors of single commands inside,
 * EXECABORT after a command was refused while queueing, the commands
 * refused inside MULTI, nesting and misplaced EXEC / DISCARD / WATCH, what
 * touches a watched key (writes by anyone, expiry, FLUSHDB, FLUSHALL,
 * SWAPDB) and what does not (reads, other keys, other databases, no-op
 * writes), SELECT inside a transaction, RESP3 replies, CLIENT LIST during a
 * transaction, and two concurrency checks on a server with 4 threads: money
 * transfers between 100 keys whose sum a checker reads atomically, and
 * WATCH-guarded increments that lose no update.
 *
 * Written against redis-server 7.0.15 (ROOST_ORACLE=redis) before roost
 * implemented it; every expectation holds for both.
 *
 * Every test uses keys of its own (a prefix per test) on the shared server;
 * tests that flush or swap databases, or may shut the server down, start a
 * server of their own.
 */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv *s;                  /* defaults */

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define EXECABORT "-EXECABORT Transaction discarded because of previous errors."
#define NOT_IN_MULTI "-ERR Command not allowed inside a transaction"

/* ---- helpers ---------------------------------------------------------------------- */



/* clientLine returns the CLIENT LIST line of client `id`, or "". */
static const char *clientLine(redisContext *c, long long id) {
    const char *list = cliCall(c, "CLIENT LIST");
    const char *p = strstr(list, tfmt("id=%lld ", id));
    if (!p || (p != list + 1 && p[-1] != 'n')) return "";
    size_t n = strcspn(p, "\\");
    return tfmt("%.*s", (int)n, p);
}

static long long clientId(redisContext *c) {
    const char *r = cliCall(c, "CLIENT ID");
    return r[0] == ':' ? atoll(r + 1) : -1;
}

/* resp3 connects a raw client and switches it to RESP3. */
static raw *resp3(srv *sv) {
    raw *r = rawConnect(sv);
    REQUIRE(strncmp(rawCall(r, "HELLO 3"), "{\"server\": ", 11) == 0);
    return r;
}

/* watchedExec: on c, WATCH key, let `meddle` run on another client o
 * (several commands separated by ';'), then MULTI / INCR <prefix>:ran /
 * EXEC, and return EXEC's reply. */
static const char *watchedExec(redisContext *c, redisContext *o, const char *key,
                               const char *meddle, const char *prefix) {
    EXPECT(c, tfmt("WATCH %s", key), "+OK");
    char *copy = strdup(meddle);
    for (char *save = NULL, *cmd = strtok_r(copy, ";", &save); cmd; cmd = strtok_r(NULL, ";", &save))
        cliCall(o, cmd);
    free(copy);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, tfmt("INCR %s:ran", prefix), "+QUEUED");
    return cliCall(c, "EXEC");
}

/* ---- queueing and EXEC ------------------------------------------------------------- */

TEST(multi_queues_commands_and_exec_answers_their_replies_in_order) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET q:a 1", "+QUEUED");
    EXPECT(c, "INCR q:a", "+QUEUED");
    EXPECT(c, "RPUSH q:l x y", "+QUEUED");
    EXPECT(c, "LRANGE q:l 0 -1", "+QUEUED");
    EXPECT(c, "GET q:a", "+QUEUED");
    EXPECT(c, "GET q:none", "+QUEUED");
    redisContext *o = cliConnect(s);
    EXPECT(o, "EXISTS q:a q:l", ":0");             /* nothing ran yet */
    EXPECT(c, "EXEC", "[+OK, :2, :2, [\"x\", \"y\"], \"2\", (nil)]");
    EXPECT(o, "GET q:a", "\"2\"");
    EXPECT(c, "EXEC", "-ERR EXEC without MULTI");     /* EXEC ended the transaction */
}

TEST(an_empty_transaction_answers_an_empty_array) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "EXEC", "[]");
    raw *r = resp3(s);
    EXPECT_RAW(r, "MULTI", "+OK");
    EXPECT_RAW(r, "EXEC", "[]");
}

TEST(exec_holds_the_error_of_a_failing_command_and_the_others_still_run) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET er:a 1", "+QUEUED");
    EXPECT(c, "LPUSH er:a x", "+QUEUED");
    EXPECT(c, "SET er:s notanumber", "+QUEUED");
    EXPECT(c, "INCR er:s", "+QUEUED");
    EXPECT(c, "INCR er:a", "+QUEUED");
    EXPECT(c, "LINDEX er:a 0", "+QUEUED");
    EXPECT(c, "EXEC", "[+OK, " WRONGTYPE ", +OK, -ERR value is not an integer or out of range, "
                      ":2, " WRONGTYPE "]");
    EXPECT(c, "GET er:a", "\"2\"");
}

TEST(a_command_refused_while_queueing_makes_exec_abort) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    /* an unknown command */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET ab:a 1", "+QUEUED");
    EXPECT(c, "NOSUCHCOMMAND x", "-ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' ");
    EXPECT(c, "SET ab:b 1", "+QUEUED");             /* queueing goes on */
    EXPECT(c, "EXEC", EXECABORT);
    EXPECT(o, "EXISTS ab:a ab:b", ":0");
    EXPECT(c, "EXEC", "-ERR EXEC without MULTI");
    /* a wrong number of arguments */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET ab:a 1", "+QUEUED");
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "EXEC", EXECABORT);
    EXPECT(o, "EXISTS ab:a", ":0");
    /* an unknown subcommand */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET ab:a 1", "+QUEUED");
    EXPECT(c, "CONFIG NOSUCH", "-ERR unknown subcommand 'NOSUCH'. Try CONFIG HELP.");
    EXPECT(c, "EXEC", EXECABORT);
    EXPECT(o, "EXISTS ab:a", ":0");
    /* the connection is out of the transaction and works */
    EXPECT(c, "SET ab:a 2", "+OK");
    EXPECT(o, "GET ab:a", "\"2\"");
}

TEST(discard_drops_the_queued_commands_even_after_a_refused_one) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET dq:a 1", "+QUEUED");
    EXPECT(c, "DISCARD", "+OK");
    EXPECT(c, "GET dq:a", "(nil)");
    EXPECT(c, "EXEC", "-ERR EXEC without MULTI");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET dq:a 1", "+QUEUED");
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "DISCARD", "+OK");
    EXPECT(c, "GET dq:a", "(nil)");
    /* a new transaction starts clean */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET dq:a 3", "+QUEUED");
    EXPECT(c, "EXEC", "[+OK]");
}

TEST(multi_cannot_be_nested_and_the_transaction_goes_on) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET ne:a 1", "+QUEUED");
    EXPECT(c, "MULTI", "-ERR MULTI calls can not be nested");
    EXPECT(c, "INCR ne:a", "+QUEUED");
    EXPECT(c, "EXEC", "[+OK, :2]");
}

TEST(exec_and_discard_without_multi_are_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "EXEC", "-ERR EXEC without MULTI");
    EXPECT(c, "DISCARD", "-ERR DISCARD without MULTI");
    EXPECT(c, "MULTI x", "-ERR wrong number of arguments for 'multi' command");
    /* Redis 7.0 words EXEC's arity error as an abort even outside MULTI */
    EXPECT(c, "EXEC x", "-EXECABORT Transaction discarded because of: wrong number of "
                        "arguments for 'exec' command");
    EXPECT(c, "DISCARD x", "-ERR wrong number of arguments for 'discard' command");
    EXPECT(c, "PING", "+PONG");
}

TEST(exec_with_arguments_inside_multi_discards_the_transaction) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET ea:a 1", "+QUEUED");
    EXPECT(c, "EXEC x", "-EXECABORT Transaction discarded because of: wrong number of "
                        "arguments for 'exec' command");
    EXPECT(c, "PING", "+PONG");                     /* not queued: no transaction now */
    EXPECT(c, "EXEC", "-ERR EXEC without MULTI");
    EXPECT(c, "GET ea:a", "(nil)");
    /* DISCARD with arguments is an ordinary refused command */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET ea:a 1", "+QUEUED");
    EXPECT(c, "DISCARD x", "-ERR wrong number of arguments for 'discard' command");
    EXPECT(c, "EXEC", EXECABORT);
    EXPECT(c, "GET ea:a", "(nil)");
}

TEST(watch_inside_multi_is_refused_and_the_transaction_goes_on) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET wi:a 1", "+QUEUED");
    EXPECT(c, "WATCH wi:a", "-ERR WATCH inside MULTI is not allowed");
    EXPECT(c, "UNWATCH", "+QUEUED");                 /* UNWATCH is queued */
    EXPECT(o, "SET wi:a 0", "+OK");                  /* wi:a is not watched */
    EXPECT(c, "EXEC", "[+OK, +OK]");
    EXPECT(c, "GET wi:a", "\"1\"");
    EXPECT(c, "WATCH", "-ERR wrong number of arguments for 'watch' command");
    EXPECT(c, "UNWATCH x", "-ERR wrong number of arguments for 'unwatch' command");
}

/* (Redis also refuses SAVE, SYNC and PSYNC inside MULTI and aborts the
 * transaction; roost has none of them until persistence lands, and the test
 * for it comes with them.) */

TEST(monitor_inside_multi_is_queued_and_refused_when_exec_runs_it) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "MONITOR", "+QUEUED");
    EXPECT(c, "SET rm:b 1", "+QUEUED");
    EXPECT(c, "EXEC", "[-ERR MONITOR isn't allowed for DENY BLOCKING client, +OK]");
    EXPECT(c, "GET rm:b", "\"1\"");                  /* not a monitor */
}

TEST(shutdown_inside_multi_is_refused) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SHUTDOWN NOSAVE", NOT_IN_MULTI);
    EXPECT(c, "EXEC", EXECABORT);
    EXPECT(c, "PING", "+PONG");
}

TEST(reset_inside_multi_ends_the_transaction_and_forgets_watched_keys) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(c, "WATCH rs:k", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET rs:a 1", "+QUEUED");
    EXPECT(c, "RESET", "+RESET");
    EXPECT(c, "EXEC", "-ERR EXEC without MULTI");
    EXPECT(c, "GET rs:a", "(nil)");
    EXPECT(o, "SET rs:k 1", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "[+PONG]");
}

TEST(a_transaction_shows_flag_x_and_its_queue_length_in_client_list) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    long long id = clientId(c);
    CHECK(globMatch("id=* flags=N db=0 * multi=-1 *", clientLine(o, id)), "%s", clientLine(o, id));
    EXPECT(c, "MULTI", "+OK");
    CHECK(globMatch("id=* flags=x db=0 * multi=0 *", clientLine(o, id)), "%s", clientLine(o, id));
    EXPECT(c, "SET cl:a 1", "+QUEUED");
    EXPECT(c, "GET cl:a", "+QUEUED");
    CHECK(globMatch("id=* flags=x db=0 * multi=2 *", clientLine(o, id)), "%s", clientLine(o, id));
    EXPECT(c, "EXEC", "[+OK, \"1\"]");
    CHECK(globMatch("id=* flags=N db=0 * multi=-1 *", clientLine(o, id)), "%s", clientLine(o, id));
}

/* ---- WATCH ---------------------------------------------------------------------------------- */

TEST(a_write_by_another_client_to_a_watched_key_makes_exec_answer_nil) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(c, "SET wa:k 1", "+OK");
    EXPECT(c, "WATCH wa:k", "+OK");
    EXPECT(o, "SET wa:k 2", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET wa:k 3", "+QUEUED");
    EXPECT(c, "SET wa:other 3", "+QUEUED");
    EXPECT(c, "EXEC", "(nil-array)");
    EXPECT(c, "GET wa:k", "\"2\"");                  /* nothing ran */
    EXPECT(c, "EXISTS wa:other", ":0");
    /* the same in RESP3: a null */
    raw *r = resp3(s);
    EXPECT_RAW(r, "WATCH wa:k", "+OK");
    EXPECT(o, "INCR wa:k", ":3");
    EXPECT_RAW(r, "MULTI", "+OK");
    EXPECT_RAW(r, "SET wa:k 9", "+QUEUED");
    EXPECT_RAW(r, "EXEC", "(nil)");
    EXPECT(c, "GET wa:k", "\"3\"");
    /* an untouched watched key lets EXEC run */
    EXPECT(c, "WATCH wa:k", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "INCR wa:k", "+QUEUED");
    EXPECT(c, "EXEC", "[:4]");
}

TEST(writes_that_leave_the_value_unchanged_still_touch_a_watched_key) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(o, "SET wu:s v", "+OK");
    EXPECT(o, "ZADD wu:z 1 m", ":1");
    EXPECT(o, "SADD wu:set a", ":1");
    CHECK_STR(watchedExec(c, o, "wu:s", "SET wu:s v", "wu"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "wu:z", "ZADD wu:z 2 m", "wu"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "wu:s", "EXPIRE wu:s 100", "wu"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "wu:s", "PERSIST wu:s", "wu"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "wu:s", "APPEND wu:s \"\"", "wu"), "(nil-array)");
    EXPECT(c, "EXISTS wu:ran", ":0");
}

TEST(reads_other_keys_and_writes_that_change_nothing_do_not_touch_a_watched_key) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(o, "SET wn:s v", "+OK");
    EXPECT(o, "SADD wn:set a", ":1");
    CHECK_STR(watchedExec(c, o, "wn:s", "GET wn:s;STRLEN wn:s;EXISTS wn:s;TTL wn:s", "wn"), "[:1]");
    CHECK_STR(watchedExec(c, o, "wn:s", "SET wn:other 1;DEL wn:other", "wn"), "[:2]");
    CHECK_STR(watchedExec(c, o, "wn:s", "PERSIST wn:s", "wn"), "[:3]");     /* no TTL: no-op */
    CHECK_STR(watchedExec(c, o, "wn:set", "SADD wn:set a;SREM wn:set zz", "wn"), "[:4]");
    CHECK_STR(watchedExec(c, o, "wn:missing", "DEL wn:missing;EXPIRE wn:missing 10", "wn"), "[:5]");
    /* the watching client's own reads do not count either */
    EXPECT(c, "WATCH wn:s", "+OK");
    EXPECT(c, "GET wn:s", "\"v\"");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "GET wn:s", "+QUEUED");
    EXPECT(c, "EXEC", "[\"v\"]");
}

TEST(creating_or_deleting_a_watched_key_makes_exec_answer_nil) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    CHECK_STR(watchedExec(c, o, "wc:new", "RPUSH wc:new x", "wc"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "wc:new", "DEL wc:new", "wc"), "(nil-array)");
    EXPECT(o, "SET wc:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "wc:k", "UNLINK wc:k", "wc"), "(nil-array)");
    EXPECT(o, "SET wc:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "wc:k", "RENAME wc:k wc:k2", "wc"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "wc:k3", "RENAME wc:k2 wc:k3", "wc"), "(nil-array)");
    EXPECT(c, "EXISTS wc:ran", ":0");
    /* the watching client's own writes count as well */
    EXPECT(c, "WATCH wc:k3", "+OK");
    EXPECT(c, "DEL wc:k3", ":1");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET wc:k3 x", "+QUEUED");
    EXPECT(c, "EXEC", "(nil-array)");
    EXPECT(c, "EXISTS wc:k3", ":0");
}

TEST(a_watched_key_is_one_of_its_database_only) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(o, "SET wd:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "wd:k", "SELECT 1;SET wd:k other;SELECT 0", "wd"), "[:1]");
    /* watched in db 1, written in db 1 */
    EXPECT(c, "SELECT 1", "+OK");
    CHECK_STR(watchedExec(c, o, "wd:k", "SELECT 1;SET wd:k again;SELECT 0", "wd"), "(nil-array)");
    /* watched in db 1, then the client selects db 0: the watch stays on db 1 */
    EXPECT(c, "WATCH wd:k", "+OK");
    EXPECT(c, "SELECT 0", "+OK");
    EXPECT(o, "SELECT 1", "+OK");
    EXPECT(o, "DEL wd:k", ":1");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "(nil-array)");
    EXPECT(o, "SELECT 0", "+OK");
    EXPECT(o, "DEL wd:k", ":1");
}

TEST(unwatch_and_exec_forget_the_watched_keys) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(c, "WATCH uw:a uw:b", "+OK");
    EXPECT(c, "UNWATCH", "+OK");
    EXPECT(o, "SET uw:a 1", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "[+PONG]");
    /* after a successful EXEC */
    EXPECT(c, "WATCH uw:a", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "EXEC", "[]");
    EXPECT(o, "SET uw:a 2", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "[+PONG]");
    /* after an aborted EXEC */
    EXPECT(c, "WATCH uw:a", "+OK");
    EXPECT(o, "SET uw:a 3", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "EXEC", "(nil-array)");
    EXPECT(o, "SET uw:a 4", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "[+PONG]");
    /* after DISCARD */
    EXPECT(c, "WATCH uw:b", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "DISCARD", "+OK");
    EXPECT(o, "SET uw:b 1", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "[+PONG]");
    /* watching a key twice, or after UNWATCH again */
    EXPECT(c, "WATCH uw:a uw:a", "+OK");
    EXPECT(c, "WATCH uw:a", "+OK");
    EXPECT(o, "SET uw:a 5", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "EXEC", "(nil-array)");
    EXPECT(c, "UNWATCH", "+OK");
    EXPECT(c, "UNWATCH", "+OK");
}

TEST(a_watched_key_that_expires_before_exec_makes_it_answer_nil) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET we:k v PX 300", "+OK");
    long long t0 = harnessNowMs();
    EXPECT(c, "WATCH we:k", "+OK");
    REQUIRE(harnessNowMs() - t0 < 250, "too slow to watch before the expiry");
    harnessSleepMs(400);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET we:ran 1", "+QUEUED");
    EXPECT(c, "EXEC", "(nil-array)");
    EXPECT(c, "EXISTS we:ran we:k", ":0");
}

TEST(a_key_already_expired_when_watched_does_not_abort_exec) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET wx:k v PX 20", "+OK");
    harnessSleepMs(60);
    EXPECT(c, "WATCH wx:k", "+OK");                  /* expired, maybe not yet deleted */
    EXPECT(c, "EXISTS wx:k", ":0");                  /* deletes it if it was not */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET wx:ran 1", "+QUEUED");
    EXPECT(c, "EXEC", "[+OK]");
}

TEST(flushdb_and_flushall_abort_exec_only_when_a_watched_key_existed) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv), *o = cliConnect(sv);
    EXPECT(o, "SET ff:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "ff:k", "FLUSHDB", "ff"), "(nil-array)");
    EXPECT(o, "SET ff:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "ff:k", "FLUSHALL", "ff"), "(nil-array)");
    EXPECT(o, "SET ff:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "ff:k", "FLUSHDB ASYNC", "ff"), "(nil-array)");
    CHECK_STR(watchedExec(c, o, "ff:missing", "FLUSHDB", "ff"), "[:1]");
    CHECK_STR(watchedExec(c, o, "ff:missing", "SET ff:x 1;FLUSHALL", "ff"), "[:1]");
    /* flushing another database */
    EXPECT(o, "SET ff:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "ff:k", "SELECT 1;SET ff:k 1;FLUSHDB;SELECT 0", "ff"), "[:2]");
}

TEST(swapdb_aborts_exec_when_the_watched_key_exists_in_either_database) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv), *o = cliConnect(sv);
    EXPECT(o, "SET sw:k v", "+OK");
    CHECK_STR(watchedExec(c, o, "sw:k", "SWAPDB 0 1", "sw"), "(nil-array)");
    /* now sw:k is in db 1 only, watched in db 0 where it is missing */
    CHECK_STR(watchedExec(c, o, "sw:k", "SWAPDB 0 1", "sw"), "(nil-array)");
    EXPECT(c, "GET sw:k", "\"v\"");
    /* neither database has it */
    CHECK_STR(watchedExec(c, o, "sw:none", "SWAPDB 0 1", "sw"), "[:1]");
    /* databases the key is not watched in */
    EXPECT(c, "GET sw:k", "(nil)");
    EXPECT(o, "SELECT 1", "+OK");
    EXPECT(o, "GET sw:k", "\"v\"");
    EXPECT(o, "SELECT 0", "+OK");
    EXPECT(c, "SELECT 1", "+OK");
    CHECK_STR(watchedExec(c, o, "sw:k", "SWAPDB 2 3", "sw"), "[:1]");
}

/* ---- databases, RESP3 -------------------------------------------------------------------- */

TEST(select_inside_multi_applies_to_the_rest_and_stays_after_exec) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "SET se:k db0", "+QUEUED");
    EXPECT(c, "SELECT 2", "+QUEUED");
    EXPECT(c, "SET se:k db2", "+QUEUED");
    EXPECT(c, "SELECT 99", "+QUEUED");
    EXPECT(c, "GET se:k", "+QUEUED");
    EXPECT(c, "EXEC", "[+OK, +OK, +OK, -ERR DB index is out of range, \"db2\"]");
    EXPECT(c, "GET se:k", "\"db2\"");
    EXPECT_MATCH(c, "CLIENT INFO", "\"id=* db=2 *");
    EXPECT(o, "GET se:k", "\"db0\"");
    EXPECT(o, "SELECT 2", "+OK");
    EXPECT(o, "GET se:k", "\"db2\"");
    EXPECT(o, "DEL se:k", ":1");
}

TEST(exec_in_resp3_answers_the_native_reply_of_each_command) {
    raw *r = resp3(s);
    EXPECT_RAW(r, "MULTI", "+OK");
    EXPECT_RAW(r, "ZADD r3:z 1.5 m", "+QUEUED");
    EXPECT_RAW(r, "ZSCORE r3:z m", "+QUEUED");
    EXPECT_RAW(r, "HSET r3:h f v", "+QUEUED");
    EXPECT_RAW(r, "HGETALL r3:h", "+QUEUED");
    EXPECT_RAW(r, "SMEMBERS r3:none", "+QUEUED");
    EXPECT_RAW(r, "GET r3:none", "+QUEUED");
    EXPECT_RAW(r, "LPUSH r3:z x", "+QUEUED");
    EXPECT_RAW(r, "EXEC", "[:1, ,1.5, :1, {\"f\": \"v\"}, ~[], (nil), " WRONGTYPE "]");
}

TEST(a_large_pipelined_transaction_runs_every_command) {
    redisContext *c = cliConnect(s);
    enum { N = 2000 };
    redisAppendCommand(c, "MULTI");
    for (int i = 0; i < N; i++) redisAppendCommand(c, "RPUSH lp:l %d", i);
    redisAppendCommand(c, "EXEC");
    int queued = 0;
    redisReply *r = NULL;
    for (int i = 0; i < N + 2; i++) {
        if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) break;
        if (i > 0 && i <= N && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "QUEUED") == 0)
            queued++;
        if (i == N + 1) {
            CHECK(r->type == REDIS_REPLY_ARRAY && r->elements == N, "EXEC: %s", replyText(r));
            for (size_t k = 0; r->type == REDIS_REPLY_ARRAY && k < r->elements; k++)
                if (r->element[k]->integer != (long long)k + 1) {
                    CHECK(false, "reply %zu is %s", k, replyText(r->element[k]));
                    break;
                }
        }
        freeReplyObject(r);
        r = NULL;
    }
    CHECK(queued == N, "%d QUEUED", queued);
    EXPECT(c, "LLEN lp:l", tfmt(":%d", N));
    EXPECT(c, "LINDEX lp:l -1", tfmt("\"%d\"", N - 1));
}

/* ---- concurrency ---------------------------------------------------------------------------- */

#define TR_KEYS     100
#define TR_START    1000
#define TR_WORKERS  16
#define TR_EACH     3000

typedef struct transfers {
    int port;
    int workersLeft;                /* workers still running (atomic) */
    int checks;                     /* sums the checker read (atomic) */
    int badSums;                    /* sums that were not 100,000 (atomic) */
    long long firstBad;             /* the first bad sum */
    pthread_mutex_t lock;           /* guards error and firstBad */
    char error[256];                /* first error of any thread */
} transfers;

typedef struct trWorker {
    transfers *t;
    int id;
} trWorker;

static void trError(transfers *t, int id, const char *what, const char *detail) {
    pthread_mutex_lock(&t->lock);
    if (!t->error[0]) snprintf(t->error, sizeof t->error, "thread %d: %s: %s", id, what, detail);
    pthread_mutex_unlock(&t->lock);
}

static redisContext *trConnect(transfers *t, int id) {
    struct timeval tv = { 10, 0 };
    redisContext *c = redisConnectWithTimeout("127.0.0.1", t->port, tv);
    if (!c || c->err) {
        trError(t, id, "connect", c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    return c;
}

/* expectStatus reads one reply and checks it is the status `want`. */
static bool trStatus(transfers *t, int id, redisContext *c, const char *want) {
    redisReply *r = NULL;
    bool ok = redisGetReply(c, (void **)&r) == REDIS_OK && r &&
              r->type == REDIS_REPLY_STATUS && strcmp(r->str, want) == 0;
    if (!ok) trError(t, id, want, r ? (r->str ? r->str : "unexpected reply") : c->errstr);
    if (r) freeReplyObject(r);
    return ok;
}

/* a worker pipelines MULTI / DECRBY a n / INCRBY b n / EXEC with random
 * a != b and n, and checks every reply. */
static void *trWorkerMain(void *arg) {
    trWorker *w = arg;
    transfers *t = w->t;
    unsigned seed = 0x9e3779b9u * (unsigned)(w->id + 1);
    redisContext *c = trConnect(t, w->id);
    for (int i = 0; c && i < TR_EACH; i++) {
        int a = rand_r(&seed) % TR_KEYS, b = (a + 1 + rand_r(&seed) % (TR_KEYS - 1)) % TR_KEYS;
        int n = 1 + rand_r(&seed) % 50;
        redisAppendCommand(c, "MULTI");
        redisAppendCommand(c, "DECRBY tr:%d %d", a, n);
        redisAppendCommand(c, "INCRBY tr:%d %d", b, n);
        redisAppendCommand(c, "EXEC");
        if (!trStatus(t, w->id, c, "OK") || !trStatus(t, w->id, c, "QUEUED") ||
            !trStatus(t, w->id, c, "QUEUED"))
            break;
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK || !r || r->type != REDIS_REPLY_ARRAY ||
            r->elements != 2 || r->element[0]->type != REDIS_REPLY_INTEGER ||
            r->element[1]->type != REDIS_REPLY_INTEGER) {
            trError(t, w->id, "EXEC", r ? (r->str ? r->str : "unexpected reply") : c->errstr);
            if (r) freeReplyObject(r);
            break;
        }
        freeReplyObject(r);
    }
    if (c) redisFree(c);
    __atomic_sub_fetch(&t->workersLeft, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* trSum reads every key in one MULTI / MGET / EXEC; -1 on a bad reply. */
static long long trSum(transfers *t, redisContext *c, const char *mget) {
    redisReply *r = NULL;
    long long sum = -1;
    redisAppendCommand(c, "MULTI");
    redisAppendFormattedCommand(c, mget, strlen(mget));
    redisAppendCommand(c, "EXEC");
    if (!trStatus(t, -1, c, "OK") || !trStatus(t, -1, c, "QUEUED")) return -1;
    if (redisGetReply(c, (void **)&r) == REDIS_OK && r && r->type == REDIS_REPLY_ARRAY &&
        r->elements == 1 && r->element[0]->type == REDIS_REPLY_ARRAY &&
        r->element[0]->elements == TR_KEYS) {
        sum = 0;
        for (size_t k = 0; k < TR_KEYS; k++) {
            redisReply *e = r->element[0]->element[k];
            if (e->type != REDIS_REPLY_STRING) { sum = -1; break; }
            sum += atoll(e->str);
        }
    } else {
        trError(t, -1, "checker EXEC", r ? (r->str ? r->str : "unexpected reply") : c->errstr);
    }
    if (r) freeReplyObject(r);
    return sum;
}

/* mgetCommand formats MGET tr:0 .. tr:99 once (caller frees). */
static char *mgetCommand(void) {
    const char *argv[TR_KEYS + 1];
    char names[TR_KEYS][16];
    char *cmd = NULL;
    argv[0] = "MGET";
    for (int k = 0; k < TR_KEYS; k++) {
        snprintf(names[k], sizeof names[k], "tr:%d", k);
        argv[k + 1] = names[k];
    }
    if (redisFormatCommandArgv(&cmd, TR_KEYS + 1, argv, NULL) < 0) return NULL;
    return cmd;
}

TEST(concurrent_transfers_in_transactions_keep_the_sum_for_an_atomic_reader) {
    harnessSetTimeout(120);
    srv *sv = srvStart(srvIsOracle() ? NULL : "threads 4");
    redisContext *c = cliConnect(sv);
    for (int k = 0; k < TR_KEYS; k++) EXPECTF(c, "+OK", "SET tr:%d %d", k, TR_START);
    transfers *t = calloc(1, sizeof *t);
    REQUIRE(t);
    t->port = srvPort(sv);
    t->workersLeft = TR_WORKERS;
    pthread_mutex_init(&t->lock, NULL);
    char *mget = mgetCommand();
    REQUIRE(mget);
    pthread_t th[TR_WORKERS];
    trWorker w[TR_WORKERS];
    long long t0 = harnessNowMs();
    for (int i = 0; i < TR_WORKERS; i++) {
        w[i] = (trWorker){ t, i };
        REQUIRE(pthread_create(&th[i], NULL, trWorkerMain, &w[i]) == 0);
    }
    /* the checker runs here, on its own connection, while workers run */
    redisContext *chk = cliConnect(sv);
    int checks = 0, bad = 0;
    long long firstBad = 0;
    while (__atomic_load_n(&t->workersLeft, __ATOMIC_SEQ_CST) > 0) {
        long long sum = trSum(t, chk, mget);
        checks++;
        if (sum != TR_KEYS * TR_START && bad++ == 0) firstBad = sum;
        if (sum < 0) break;
    }
    for (int i = 0; i < TR_WORKERS; i++) pthread_join(th[i], NULL);
    long long ms = harnessNowMs() - t0;
    CHECK(t->error[0] == '\0', "%s", t->error);
    CHECK(bad == 0, "%d of %d sums were wrong, the first %lld", bad, checks, firstBad);
    CHECK(checks >= 10, "the checker ran only %d times", checks);
    long long sum = trSum(t, chk, mget);
    CHECK(sum == TR_KEYS * TR_START, "final sum %lld", sum);
    printf("  %d transfers in %lld ms; %d sums checked\n", TR_WORKERS * TR_EACH, ms, checks);
    redisFreeCommand(mget);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

#define CAS_WORKERS 8
#define CAS_EACH    300

typedef struct casState {
    transfers t;                    /* port, error reporting */
    int aborted;                    /* EXECs that answered nil (atomic) */
} casState;

/* a CAS worker increments cas:n CAS_EACH times by WATCH / GET / MULTI /
 * SET n+1 / EXEC, retrying when EXEC answers nil. */
static void *casWorker(void *arg) {
    trWorker *w = arg;
    casState *cs = (casState *)w->t;
    redisContext *c = trConnect(&cs->t, w->id);
    for (int done = 0; c && done < CAS_EACH;) {
        redisReply *r = redisCommand(c, "WATCH cas:n");
        if (!r || r->type != REDIS_REPLY_STATUS) goto bad;
        freeReplyObject(r);
        r = redisCommand(c, "GET cas:n");
        if (!r || r->type != REDIS_REPLY_STRING) goto bad;
        long long v = atoll(r->str);
        freeReplyObject(r);
        redisAppendCommand(c, "MULTI");
        redisAppendCommand(c, "SET cas:n %lld", v + 1);
        redisAppendCommand(c, "EXEC");
        if (!trStatus(&cs->t, w->id, c, "OK") || !trStatus(&cs->t, w->id, c, "QUEUED")) break;
        if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) goto bad;
        if (r->type == REDIS_REPLY_NIL) {
            __atomic_add_fetch(&cs->aborted, 1, __ATOMIC_SEQ_CST);
        } else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
                   r->element[0]->type == REDIS_REPLY_STATUS) {
            done++;
        } else {
            goto bad;
        }
        freeReplyObject(r);
        continue;
    bad:
        trError(&cs->t, w->id, "WATCH loop", r ? (r->str ? r->str : "unexpected reply") : c->errstr);
        if (r) freeReplyObject(r);
        break;
    }
    if (c) redisFree(c);
    return NULL;
}

TEST(concurrent_watch_guarded_increments_lose_no_update) {
    harnessSetTimeout(120);
    srv *sv = srvStart(srvIsOracle() ? NULL : "threads 4");
    redisContext *c = cliConnect(sv);
    EXPECT(c, "SET cas:n 0", "+OK");
    casState *cs = calloc(1, sizeof *cs);
    REQUIRE(cs);
    cs->t.port = srvPort(sv);
    pthread_mutex_init(&cs->t.lock, NULL);
    pthread_t th[CAS_WORKERS];
    trWorker w[CAS_WORKERS];
    for (int i = 0; i < CAS_WORKERS; i++) {
        w[i] = (trWorker){ &cs->t, i };
        REQUIRE(pthread_create(&th[i], NULL, casWorker, &w[i]) == 0);
    }
    for (int i = 0; i < CAS_WORKERS; i++) pthread_join(th[i], NULL);
    CHECK(cs->t.error[0] == '\0', "%s", cs->t.error);
    EXPECT(c, "GET cas:n", tfmt("\"%d\"", CAS_WORKERS * CAS_EACH));
    printf("  %d increments, %d EXECs answered nil\n", CAS_WORKERS * CAS_EACH, cs->aborted);
    pthread_mutex_destroy(&cs->t.lock);
    free(cs);
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
