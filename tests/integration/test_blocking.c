/* test_blocking.c — the blocking pops: BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP
 * BZPOPMIN BZPOPMAX BZMPOP. Timeout parsing and accuracy, immediate answers,
 * reply shapes in RESP2 and RESP3, who is served first, clients blocked on
 * several keys, chained wake-ups through BLMOVE, the commands that make a
 * key ready (pushes, RENAME, LMOVE, SORT STORE, ZUNIONSTORE, EXEC), the
 * blocking commands inside MULTI, CLIENT UNBLOCK, blocked clients that go
 * away, flags=b and blocked_clients, and a handoff of 100,000 elements
 * between 8 producer and 8 consumer threads.
 *
 * Written against redis-server 7.0.15 (ROOST_ORACLE=redis) before roost
 * implemented it; every expectation holds for both.
 *
 * A blocked client is a raw client: its command is sent with rawCmdLine and
 * its reply read later with EXPECT_REPLY. blockOn waits, by polling INFO
 * clients blocked_clients from another connection, until the server counts
 * the client as blocked, so no test sleeps to let a client block. Each test
 * starts by waiting for blocked_clients 0, as clients the previous test left
 * are closed asynchronously.
 */
#include "harness.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv *s;                  /* defaults */

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define NEGATIVE "-ERR timeout is negative"
#define NOT_FLOAT "-ERR timeout is not a float or out of range"
#define SYNTAX "-ERR syntax error"

/* ---- helpers ---------------------------------------------------------------------- */


/* infoInt returns the integer value of `name:` in INFO `section`, or -1. */
static long long infoInt(redisContext *c, const char *section, const char *name) {
    const char *info = cliCall(c, tfmt("INFO %s", section));
    const char *p = strstr(info, tfmt("\\n%s:", name));
    return p ? atoll(p + 2 + strlen(name) + 1) : -1;
}

static long long blockedClients(redisContext *c) {
    return infoInt(c, "clients", "blocked_clients");
}

/* observer connects the test's watching client and waits until no client
 * of an earlier test is still counted as blocked. */
static redisContext *observer(srv *sv) {
    redisContext *c = cliConnect(sv);
    REQUIRE(WAIT_FOR(blockedClients(c) == 0, 5000), "blocked_clients is %lld",
            blockedClients(c));
    return c;
}

/* pending: has the raw client something to read within ms? */
static bool pending(raw *r, int ms) {
    struct pollfd p = { rawFd(r), POLLIN, 0 };
    return poll(&p, 1, ms) == 1;
}

/* blockOn sends cmdline on r and waits until the server counts one more
 * blocked client; ends the test if the command answered instead. */
#define blockOn(obs, r, cmdline) blockOnAt(__FILE__, __LINE__, (obs), (r), (cmdline))
static void blockOnAt(const char *file, int line, redisContext *obs, raw *r,
                      const char *cmdline) {
    long long before = blockedClients(obs);
    if (!rawCmdLine(r, cmdline)) {
        harnessFail(file, line, "could not send %s", cmdline);
        harnessAbortTest();
    }
    if (!WAIT_FOR(blockedClients(obs) == before + 1 || pending(r, 0), 5000) ||
        blockedClients(obs) != before + 1) {
        harnessFail(file, line, "%s did not block (blocked_clients %lld, was %lld); "
                    "reply: %s", cmdline, blockedClients(obs), before,
                    pending(r, 0) ? rawReadReply(r) : "(none)");
        harnessAbortTest();
    }
}

/* stillBlocked: does r stay without a reply for ms? */
#define CHECK_STILL_BLOCKED(r, ms) CHECK(!pending((r), (ms)), "got %s", rawReadReply(r))

static long long rawClientId(raw *r) {
    const char *t = rawCall(r, "CLIENT ID");
    return t[0] == ':' ? atoll(t + 1) : -1;
}

/* clientLine returns the CLIENT LIST line of client `id`, or "". */
static const char *clientLine(redisContext *c, long long id) {
    const char *list = cliCall(c, "CLIENT LIST");
    const char *p = strstr(list, tfmt("id=%lld ", id));
    if (!p || (p != list + 1 && p[-1] != 'n')) return "";
    size_t n = strcspn(p, "\\");
    return tfmt("%.*s", (int)n, p);
}

/* resp3 connects a raw client and switches it to RESP3. */
static raw *resp3(srv *sv) {
    raw *r = rawConnect(sv);
    REQUIRE(strncmp(rawCall(r, "HELLO 3"), "{\"server\": ", 11) == 0);
    return r;
}

/* ---- immediate answers, arguments, reply shapes --------------------------------------- */

TEST(blpop_and_brpop_answer_at_once_when_a_list_has_elements) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH im:l a b c", ":3");
    EXPECT(c, "BLPOP im:l 0", "[\"im:l\", \"a\"]");
    EXPECT(c, "BRPOP im:l 0", "[\"im:l\", \"c\"]");
    EXPECT(c, "BLPOP im:none im:l 0", "[\"im:l\", \"b\"]");
    EXPECT(c, "EXISTS im:l", ":0");
    EXPECT(c, "RPUSH im:a 1", ":1");
    EXPECT(c, "RPUSH im:b 2", ":1");
    EXPECT(c, "BRPOP im:b im:a 1", "[\"im:b\", \"2\"]");   /* the first non-empty key */
    EXPECT(c, "LRANGE im:a 0 -1", "[\"1\"]");
}

TEST(brpoplpush_and_blmove_move_at_once_when_the_source_has_elements) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH im:src a b c", ":3");
    EXPECT(c, "BRPOPLPUSH im:src im:dst 0", "\"c\"");
    EXPECT(c, "BLMOVE im:src im:dst LEFT RIGHT 0", "\"a\"");
    EXPECT(c, "BLMOVE im:src im:dst RIGHT LEFT 0.5", "\"b\"");
    EXPECT(c, "LRANGE im:dst 0 -1", "[\"b\", \"c\", \"a\"]");
    EXPECT(c, "EXISTS im:src", ":0");
    EXPECT(c, "BLMOVE im:dst im:dst LEFT RIGHT 0", "\"b\"");      /* rotation */
    EXPECT(c, "LRANGE im:dst 0 -1", "[\"c\", \"a\", \"b\"]");
}

TEST(blmpop_pops_count_elements_from_the_first_non_empty_list) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH im:m2 a b c d", ":4");
    EXPECT(c, "BLMPOP 0 2 im:m1 im:m2 LEFT", "[\"im:m2\", [\"a\"]]");
    EXPECT(c, "BLMPOP 0 2 im:m1 im:m2 RIGHT COUNT 2", "[\"im:m2\", [\"d\", \"c\"]]");
    EXPECT(c, "BLMPOP 0 1 im:m2 LEFT COUNT 10", "[\"im:m2\", [\"b\"]]");
    EXPECT(c, "EXISTS im:m2", ":0");
}

TEST(bzpopmin_bzpopmax_and_bzmpop_answer_at_once_in_resp2_and_resp3) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "ZADD im:z 1.5 a 2 b 3 c 4 d 5 e", ":5");
    EXPECT(c, "BZPOPMIN im:none im:z 0", "[\"im:z\", \"a\", \"1.5\"]");
    EXPECT(c, "BZPOPMAX im:z 0", "[\"im:z\", \"e\", \"5\"]");
    EXPECT(c, "BZMPOP 0 1 im:z MIN", "[\"im:z\", [[\"b\", \"2\"]]]");
    EXPECT(c, "BZMPOP 0 1 im:z MAX COUNT 5", "[\"im:z\", [[\"d\", \"4\"], [\"c\", \"3\"]]]");
    EXPECT(c, "EXISTS im:z", ":0");

    raw *r = resp3(s);
    EXPECT_RAW(r, "ZADD im:z3 1.5 a 2 b 3 c 4 d", ":4");
    EXPECT_RAW(r, "BZPOPMIN im:z3 0", "[\"im:z3\", \"a\", ,1.5]");
    EXPECT_RAW(r, "BZPOPMAX im:z3 0", "[\"im:z3\", \"d\", ,4]");
    EXPECT_RAW(r, "BZMPOP 0 1 im:z3 MIN COUNT 2", "[\"im:z3\", [[\"b\", ,2], [\"c\", ,3]]]");
    EXPECT_RAW(r, "RPUSH im:l3 x y", ":2");
    EXPECT_RAW(r, "BLPOP im:l3 0", "[\"im:l3\", \"x\"]");
    EXPECT_RAW(r, "BLMPOP 0 1 im:l3 LEFT COUNT 3", "[\"im:l3\", [\"y\"]]");
}

TEST(negative_and_non_numeric_timeouts_are_refused_by_every_blocking_command) {
    redisContext *c = cliConnect(s);
    static const char *cmds[] = {
        "BLPOP to:l %s", "BRPOP to:l %s", "BRPOPLPUSH to:l to:d %s",
        "BLMOVE to:l to:d LEFT RIGHT %s", "BLMPOP %s 1 to:l LEFT", "BZPOPMIN to:z %s",
        "BZPOPMAX to:z %s", "BZMPOP %s 1 to:z MIN",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        EXPECT(c, tfmt(cmds[i], "-1"), NEGATIVE);
        EXPECT(c, tfmt(cmds[i], "-0.5"), NEGATIVE);
        EXPECT(c, tfmt(cmds[i], "abc"), NOT_FLOAT);
        EXPECT(c, tfmt(cmds[i], "1.5abc"), NOT_FLOAT);
        EXPECT(c, tfmt(cmds[i], "\"\""), NOT_FLOAT);
        EXPECT(c, tfmt(cmds[i], "nan"), NOT_FLOAT);
    }
    /* the timeout is checked even when there is data to pop */
    EXPECT(c, "RPUSH to:l a", ":1");
    EXPECT(c, "BLPOP to:l -1", NEGATIVE);
    EXPECT(c, "BLPOP to:l x", NOT_FLOAT);
    EXPECT(c, "LLEN to:l", ":1");
    EXPECT(c, "BLPOP to:l 0.01", "[\"to:l\", \"a\"]");
    EXPECT(c, "BLPOP to:l 1e-2", "(nil-array)");
}

TEST(blmpop_bzmpop_and_blmove_check_their_other_arguments) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "BLMPOP 0 0 ar:l LEFT", "-ERR numkeys should be greater than 0");
    EXPECT(c, "BLMPOP 0 x ar:l LEFT", "-ERR numkeys should be greater than 0");
    EXPECT(c, "BLMPOP 0 2 ar:l LEFT", SYNTAX);
    EXPECT(c, "BLMPOP 0 1 ar:l UP", SYNTAX);
    EXPECT(c, "BLMPOP 0 1 ar:l LEFT COUNT 0", "-ERR count should be greater than 0");
    EXPECT(c, "BLMPOP 0 1 ar:l LEFT COUNT -1", "-ERR count should be greater than 0");
    EXPECT(c, "BLMPOP 0 1 ar:l LEFT COUNT", SYNTAX);
    EXPECT(c, "BLMPOP 0 1 ar:l LEFT COUNT 1 COUNT 2", SYNTAX);
    EXPECT(c, "BZMPOP 0 0 ar:z MIN", "-ERR numkeys should be greater than 0");
    EXPECT(c, "BZMPOP 0 1 ar:z UP", SYNTAX);
    EXPECT(c, "BZMPOP 0 1 ar:z MIN COUNT 0", "-ERR count should be greater than 0");
    EXPECT(c, "BLMOVE ar:a ar:b UP RIGHT 0", SYNTAX);
    EXPECT(c, "BLMOVE ar:a ar:b LEFT DOWN 0", SYNTAX);
    EXPECT(c, "BLPOP ar:l", "-ERR wrong number of arguments for 'blpop' command");
    EXPECT(c, "BLMOVE ar:a ar:b LEFT 0", "-ERR wrong number of arguments for 'blmove' command");
    EXPECT(c, "BZPOPMIN 0", "-ERR wrong number of arguments for 'bzpopmin' command");
}

TEST(timeouts_answer_a_null_array_in_resp2_and_null_in_resp3) {
    redisContext *c = cliConnect(s);
    static const char *cmds[] = {
        "BLPOP tn:l 0.01", "BRPOP tn:l tn:m 0.01", "BRPOPLPUSH tn:l tn:d 0.01",
        "BLMOVE tn:l tn:d LEFT RIGHT 0.01", "BLMPOP 0.01 2 tn:l tn:m LEFT COUNT 2",
        "BZPOPMIN tn:z 0.01", "BZPOPMAX tn:z 0.01", "BZMPOP 0.01 1 tn:z MAX",
    };
    raw *r = resp3(s);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        EXPECT(c, cmds[i], "(nil-array)");
        EXPECT_RAW(r, cmds[i], "(nil)");
    }
    EXPECT(c, "EXISTS tn:d", ":0");
}

TEST(every_blocking_command_refuses_a_key_of_another_type) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET wt:s x", "+OK");
    EXPECT(c, "RPUSH wt:l a", ":1");
    EXPECT(c, "ZADD wt:z 1 a", ":1");
    EXPECT(c, "BLPOP wt:s 0", WRONGTYPE);
    EXPECT(c, "BRPOP wt:none wt:s 0", WRONGTYPE);
    EXPECT(c, "BLPOP wt:z 0", WRONGTYPE);
    EXPECT(c, "BRPOPLPUSH wt:s wt:d 0", WRONGTYPE);
    EXPECT(c, "BLMOVE wt:s wt:d LEFT LEFT 0", WRONGTYPE);
    EXPECT(c, "BLMPOP 0 1 wt:s LEFT", WRONGTYPE);
    EXPECT(c, "BZPOPMIN wt:s 0", WRONGTYPE);
    EXPECT(c, "BZPOPMAX wt:l 0", WRONGTYPE);
    EXPECT(c, "BZMPOP 0 1 wt:l MIN", WRONGTYPE);
    /* a destination of another type: the element stays in the source */
    EXPECT(c, "BLMOVE wt:l wt:s LEFT LEFT 0", WRONGTYPE);
    EXPECT(c, "BRPOPLPUSH wt:l wt:z 0", WRONGTYPE);
    EXPECT(c, "LRANGE wt:l 0 -1", "[\"a\"]");
    /* the key order decides: an earlier list with data answers first */
    EXPECT(c, "BLPOP wt:l wt:s 0", "[\"wt:l\", \"a\"]");
    EXPECT(c, "BZPOPMIN wt:z wt:s 0", "[\"wt:z\", \"a\", \"1\"]");
}

/* ---- serving blocked clients ------------------------------------------------------------- */

TEST(a_blocked_blpop_is_served_by_a_push_from_another_client) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP sv:l 0");
    EXPECT(c, "RPUSH sv:l a b", ":2");
    EXPECT_REPLY(w, "[\"sv:l\", \"a\"]");
    EXPECT(c, "LRANGE sv:l 0 -1", "[\"b\"]");
    EXPECT(c, "DEL sv:l", ":1");
    blockOn(c, w, "BRPOP sv:l 5");
    EXPECT(c, "LPUSH sv:l a b c", ":3");
    EXPECT_REPLY(w, "[\"sv:l\", \"a\"]");
    EXPECT(c, "LRANGE sv:l 0 -1", "[\"c\", \"b\"]");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
    EXPECT_RAW(w, "PING", "+PONG");             /* the connection goes on */
}

TEST(commands_pipelined_behind_a_blocked_one_wait_for_it_and_it_answers_once) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    static const char cmds[] = "*3\r\n$5\r\nBLPOP\r\n$4\r\npl:l\r\n$3\r\n0.6\r\n"
                               "*2\r\n$4\r\nINCR\r\n$4\r\npl:n\r\n"
                               "*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n";
    REQUIRE(rawSend(w, cmds, sizeof cmds - 1));
    REQUIRE(WAIT_FOR(blockedClients(c) == 1, 5000));
    CHECK_STILL_BLOCKED(w, 50);
    EXPECT(c, "GET pl:n", "(nil)");                  /* INCR waits behind BLPOP */
    EXPECT(c, "RPUSH pl:l x", ":1");
    EXPECT_REPLY(w, "[\"pl:l\", \"x\"]");
    EXPECT_REPLY(w, ":1");
    EXPECT_REPLY(w, "\"after\"");
    /* served before its timeout: no second answer when the timeout passes */
    CHECK(!pending(w, 800), "a second answer: %s", rawReadReply(w));
    CHECK(blockedClients(c) == 0);
}

TEST(blocked_zset_pops_are_served_by_zadd_in_resp2_and_resp3) {
    redisContext *c = observer(s);
    raw *w2 = rawConnect(s), *w3 = resp3(s);
    blockOn(c, w2, "BZPOPMIN sz:a 0");
    blockOn(c, w3, "BZPOPMAX sz:b 0");
    EXPECT(c, "ZADD sz:a 2.5 x 1 y", ":2");
    EXPECT(c, "ZADD sz:b 2.5 x 1 y", ":2");
    EXPECT_REPLY(w2, "[\"sz:a\", \"y\", \"1\"]");
    EXPECT_REPLY(w3, "[\"sz:b\", \"x\", ,2.5]");
    blockOn(c, w2, "BZMPOP 0 2 sz:c sz:d MAX COUNT 2");
    blockOn(c, w3, "BZMPOP 0 2 sz:c sz:d MIN COUNT 5");
    EXPECT(c, "ZADD sz:d 1 a 2 b 3 c", ":3");
    EXPECT_REPLY(w2, "[\"sz:d\", [[\"c\", \"3\"], [\"b\", \"2\"]]]");
    EXPECT_REPLY(w3, "[\"sz:d\", [[\"a\", ,1]]]");
    EXPECT(c, "EXISTS sz:d", ":0");
}

TEST(a_blocked_blmpop_gets_up_to_count_elements) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s), *w3 = resp3(s);
    blockOn(c, w, "BLMPOP 0 2 sm:a sm:b RIGHT COUNT 2");
    EXPECT(c, "RPUSH sm:b 1 2 3", ":3");
    EXPECT_REPLY(w, "[\"sm:b\", [\"3\", \"2\"]]");
    EXPECT(c, "LRANGE sm:b 0 -1", "[\"1\"]");
    blockOn(c, w3, "BLMPOP 0 1 sm:c LEFT COUNT 10");
    EXPECT(c, "RPUSH sm:c 1 2 3", ":3");
    EXPECT_REPLY(w3, "[\"sm:c\", [\"1\", \"2\", \"3\"]]");
    EXPECT(c, "EXISTS sm:c", ":0");
}

TEST(the_first_client_blocked_on_a_key_is_served_first) {
    redisContext *c = observer(s);
    raw *a = rawConnect(s), *b = rawConnect(s), *d = rawConnect(s);
    blockOn(c, a, "BLPOP ff:l 0");
    blockOn(c, b, "BLPOP ff:l 0");
    blockOn(c, d, "BLPOP ff:l 0");
    EXPECT(c, "RPUSH ff:l one", ":1");
    EXPECT_REPLY(a, "[\"ff:l\", \"one\"]");
    CHECK(WAIT_FOR(blockedClients(c) == 2, 2000));
    CHECK_STILL_BLOCKED(b, 50);
    EXPECT(c, "RPUSH ff:l two three", ":2");
    EXPECT_REPLY(b, "[\"ff:l\", \"two\"]");
    EXPECT_REPLY(d, "[\"ff:l\", \"three\"]");
    EXPECT(c, "EXISTS ff:l", ":0");
    /* a served client that blocks again goes to the back of the queue */
    blockOn(c, a, "BLPOP ff:l 0");
    blockOn(c, b, "BLPOP ff:l 0");
    blockOn(c, d, "BLPOP ff:l 0");
    EXPECT(c, "RPUSH ff:l 1 2 3", ":3");
    EXPECT_REPLY(a, "[\"ff:l\", \"1\"]");
    EXPECT_REPLY(b, "[\"ff:l\", \"2\"]");
    EXPECT_REPLY(d, "[\"ff:l\", \"3\"]");
}

TEST(clients_blocked_on_a_sorted_set_are_served_in_order_too) {
    redisContext *c = observer(s);
    raw *a = rawConnect(s), *b = rawConnect(s), *d = rawConnect(s);
    blockOn(c, a, "BZPOPMIN fz:z 0");
    blockOn(c, b, "BZPOPMIN fz:z 0");
    blockOn(c, d, "BZPOPMIN fz:z 0");
    EXPECT(c, "ZADD fz:z 3 c 1 a 2 b", ":3");
    EXPECT_REPLY(a, "[\"fz:z\", \"a\", \"1\"]");
    EXPECT_REPLY(b, "[\"fz:z\", \"b\", \"2\"]");
    EXPECT_REPLY(d, "[\"fz:z\", \"c\", \"3\"]");
}

TEST(a_client_blocked_on_several_keys_is_served_from_the_key_that_became_ready) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP mk:a mk:b mk:c 0");
    EXPECT(c, "RPUSH mk:c x", ":1");
    EXPECT_REPLY(w, "[\"mk:c\", \"x\"]");
    blockOn(c, w, "BZPOPMIN mk:z1 mk:z2 0");
    EXPECT(c, "ZADD mk:z2 7 m", ":1");
    EXPECT_REPLY(w, "[\"mk:z2\", \"m\", \"7\"]");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
}

TEST(a_client_blocked_on_several_keys_is_served_once_by_two_quick_pushes) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s), *p = rawConnect(s);
    blockOn(c, w, "BLPOP sq:a sq:b 0");
    /* both pushes in one write: the server may see them in one read */
    static const char two[] = "*3\r\n$5\r\nRPUSH\r\n$4\r\nsq:b\r\n$1\r\nB\r\n"
                              "*3\r\n$5\r\nRPUSH\r\n$4\r\nsq:a\r\n$1\r\nA\r\n";
    REQUIRE(rawSend(p, two, sizeof two - 1));
    EXPECT_REPLY(p, ":1");
    EXPECT_REPLY(p, ":1");
    EXPECT_REPLY(w, "[\"sq:b\", \"B\"]");
    EXPECT(c, "LRANGE sq:a 0 -1", "[\"A\"]");
    EXPECT(c, "EXISTS sq:b", ":0");
    CHECK(!pending(w, 50), "a second reply: %s", rawReadReply(w));
    EXPECT_RAW(w, "PING", "+PONG");
}

TEST(a_client_blocked_on_several_keys_is_served_once_by_a_transaction_pushing_to_both) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP st:a st:b 0");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "RPUSH st:b B1 B2", "+QUEUED");
    EXPECT(c, "RPUSH st:a A1", "+QUEUED");
    EXPECT(c, "EXEC", "[:2, :1]");
    /* the key that became ready first after the transaction serves it */
    EXPECT_REPLY(w, "[\"st:b\", \"B1\"]");
    EXPECT(c, "LRANGE st:a 0 -1", "[\"A1\"]");
    EXPECT(c, "LRANGE st:b 0 -1", "[\"B2\"]");
    CHECK(!pending(w, 50), "a second reply: %s", rawReadReply(w));
}

TEST(a_transaction_that_pushes_and_pops_again_leaves_a_waiter_blocked) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP tp:l 0");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "RPUSH tp:l x", "+QUEUED");
    EXPECT(c, "LPOP tp:l", "+QUEUED");
    EXPECT(c, "EXEC", "[:1, \"x\"]");
    CHECK_STILL_BLOCKED(w, 100);
    CHECK(blockedClients(c) == 1);
    EXPECT(c, "RPUSH tp:l y", ":1");
    EXPECT_REPLY(w, "[\"tp:l\", \"y\"]");
}

TEST(blmove_and_brpoplpush_move_a_pushed_element_into_the_destination) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    EXPECT(c, "RPUSH mv:dst d", ":1");
    blockOn(c, w, "BLMOVE mv:src mv:dst RIGHT LEFT 0");
    EXPECT(c, "RPUSH mv:src a b", ":2");
    EXPECT_REPLY(w, "\"b\"");
    EXPECT(c, "LRANGE mv:src 0 -1", "[\"a\"]");
    EXPECT(c, "LRANGE mv:dst 0 -1", "[\"b\", \"d\"]");
    EXPECT(c, "DEL mv:src", ":1");
    blockOn(c, w, "BRPOPLPUSH mv:src mv:dst 0");
    EXPECT(c, "LPUSH mv:src x", ":1");
    EXPECT_REPLY(w, "\"x\"");
    EXPECT(c, "LRANGE mv:dst 0 -1", "[\"x\", \"b\", \"d\"]");
    EXPECT(c, "EXISTS mv:src", ":0");
    /* into a new destination, and onto itself */
    blockOn(c, w, "BLMOVE mv:new mv:new2 LEFT RIGHT 0");
    EXPECT(c, "RPUSH mv:new n", ":1");
    EXPECT_REPLY(w, "\"n\"");
    EXPECT(c, "LRANGE mv:new2 0 -1", "[\"n\"]");
    blockOn(c, w, "BLMOVE mv:self mv:self LEFT RIGHT 0");
    EXPECT(c, "RPUSH mv:self 1", ":1");
    EXPECT_REPLY(w, "\"1\"");
    EXPECT(c, "LRANGE mv:self 0 -1", "[\"1\"]");
}

TEST(an_element_moved_by_blmove_wakes_a_client_blocked_on_the_destination) {
    redisContext *c = observer(s);
    raw *mover = rawConnect(s), *mover2 = rawConnect(s), *popper = rawConnect(s);
    blockOn(c, mover, "BLMOVE ch:a ch:b LEFT RIGHT 0");
    blockOn(c, mover2, "BRPOPLPUSH ch:b ch:c 0");
    blockOn(c, popper, "BLPOP ch:c 0");
    EXPECT(c, "RPUSH ch:a v", ":1");
    EXPECT_REPLY(mover, "\"v\"");
    EXPECT_REPLY(mover2, "\"v\"");
    EXPECT_REPLY(popper, "[\"ch:c\", \"v\"]");
    EXPECT(c, "EXISTS ch:a ch:b ch:c", ":0");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
}

TEST(a_blmove_whose_destination_has_another_type_leaves_the_element_in_the_source) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    EXPECT(c, "SET wd:dst str", "+OK");
    blockOn(c, w, "BLMOVE wd:src wd:dst LEFT RIGHT 0");
    EXPECT(c, "RPUSH wd:src a", ":1");
    EXPECT_REPLY(w, WRONGTYPE);
    EXPECT(c, "LRANGE wd:src 0 -1", "[\"a\"]");
    EXPECT(c, "GET wd:dst", "\"str\"");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
}

TEST(blocking_commands_inside_multi_answer_nil_at_once) {
    redisContext *c = observer(s);
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "BLPOP bm:l 0", "+QUEUED");
    EXPECT(c, "BRPOP bm:l 0", "+QUEUED");
    EXPECT(c, "BRPOPLPUSH bm:l bm:d 0", "+QUEUED");
    EXPECT(c, "BLMOVE bm:l bm:d LEFT LEFT 0", "+QUEUED");
    EXPECT(c, "BLMPOP 0 1 bm:l LEFT", "+QUEUED");
    EXPECT(c, "BZPOPMIN bm:z 0", "+QUEUED");
    EXPECT(c, "BZPOPMAX bm:z 0", "+QUEUED");
    EXPECT(c, "BZMPOP 0 1 bm:z MIN", "+QUEUED");
    EXPECT(c, "RPUSH bm:l x", "+QUEUED");
    EXPECT(c, "BLPOP bm:l 0", "+QUEUED");
    /* BRPOPLPUSH and BLMOVE answer a null bulk here, though their timeout
     * outside MULTI is a null array: Redis 7.0 replies as LMOVE would */
    EXPECT(c, "EXEC", "[(nil-array), (nil-array), (nil), (nil), (nil-array), "
                      "(nil-array), (nil-array), (nil-array), :1, [\"bm:l\", \"x\"]]");
    CHECK(blockedClients(c) == 0);
    raw *r = resp3(s);
    EXPECT_RAW(r, "MULTI", "+OK");
    EXPECT_RAW(r, "BLPOP bm:l 0", "+QUEUED");
    EXPECT_RAW(r, "BZPOPMIN bm:z 0", "+QUEUED");
    EXPECT_RAW(r, "BLMOVE bm:l bm:d LEFT LEFT 0", "+QUEUED");
    EXPECT_RAW(r, "EXEC", "[(nil), (nil), (nil)]");
}

/* ---- what makes a key ready ------------------------------------------------------------------ */

TEST(keys_made_ready_by_rename_serve_blocked_clients) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP rn:l 0");
    EXPECT(c, "RPUSH rn:tmp a b", ":2");
    EXPECT(c, "RENAME rn:tmp rn:l", "+OK");
    EXPECT_REPLY(w, "[\"rn:l\", \"a\"]");
    EXPECT(c, "LRANGE rn:l 0 -1", "[\"b\"]");
    blockOn(c, w, "BZPOPMIN rn:z 0");
    EXPECT(c, "ZADD rn:tz 1 m", ":1");
    EXPECT(c, "RENAME rn:tz rn:z", "+OK");
    EXPECT_REPLY(w, "[\"rn:z\", \"m\", \"1\"]");
}

TEST(keys_made_ready_by_lmove_and_rpoplpush_serve_blocked_clients) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP lm:dst 0");
    EXPECT(c, "RPUSH lm:src a b", ":2");
    EXPECT(c, "LMOVE lm:src lm:dst LEFT RIGHT", "\"a\"");
    EXPECT_REPLY(w, "[\"lm:dst\", \"a\"]");
    EXPECT(c, "EXISTS lm:dst", ":0");
    blockOn(c, w, "BLPOP lm:dst 0");
    EXPECT(c, "RPOPLPUSH lm:src lm:dst", "\"b\"");
    EXPECT_REPLY(w, "[\"lm:dst\", \"b\"]");
    EXPECT(c, "EXISTS lm:src lm:dst", ":0");
}

TEST(keys_made_ready_by_sort_store_serve_blocked_clients) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP so:dst 0");
    EXPECT(c, "RPUSH so:src 3 1 2", ":3");
    EXPECT(c, "SORT so:src STORE so:dst", ":3");
    EXPECT_REPLY(w, "[\"so:dst\", \"1\"]");
    EXPECT(c, "LRANGE so:dst 0 -1", "[\"2\", \"3\"]");
}

TEST(keys_made_ready_by_zunionstore_and_zinterstore_serve_blocked_clients) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    EXPECT(c, "ZADD zu:a 1 x 2 y", ":2");
    EXPECT(c, "ZADD zu:b 10 y 20 z", ":2");
    blockOn(c, w, "BZPOPMAX zu:dst 0");
    EXPECT(c, "ZUNIONSTORE zu:dst 2 zu:a zu:b", ":3");
    EXPECT_REPLY(w, "[\"zu:dst\", \"z\", \"20\"]");
    EXPECT(c, "ZRANGE zu:dst 0 -1 WITHSCORES", "[\"x\", \"1\", \"y\", \"12\"]");
    blockOn(c, w, "BZPOPMIN zu:i 0");
    EXPECT(c, "ZINTERSTORE zu:i 2 zu:a zu:b", ":1");
    EXPECT_REPLY(w, "[\"zu:i\", \"y\", \"12\"]");
}

TEST(keys_made_ready_inside_multi_exec_serve_blocked_clients_after_exec) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s), *wz = rawConnect(s);
    blockOn(c, w, "BLPOP me:l 0");
    blockOn(c, wz, "BZPOPMIN me:z 0");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "RPUSH me:l a", "+QUEUED");
    EXPECT(c, "ZADD me:z 5 m", "+QUEUED");
    EXPECT(c, "RPUSH me:l b", "+QUEUED");
    CHECK_STILL_BLOCKED(w, 50);
    EXPECT(c, "EXEC", "[:1, :1, :2]");
    EXPECT_REPLY(w, "[\"me:l\", \"a\"]");
    EXPECT_REPLY(wz, "[\"me:z\", \"m\", \"5\"]");
    EXPECT(c, "LRANGE me:l 0 -1", "[\"b\"]");
}

TEST(a_key_of_another_type_does_not_serve_and_the_client_keeps_waiting) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP ot:k 0");
    EXPECT(c, "SET ot:k str", "+OK");
    EXPECT(c, "ZADD ot:z 1 a", ":1");
    EXPECT(c, "RENAME ot:z ot:k", "+OK");
    CHECK_STILL_BLOCKED(w, 100);
    CHECK(blockedClients(c) == 1);
    EXPECT(c, "DEL ot:k", ":1");
    EXPECT(c, "RPUSH ot:k l", ":1");
    EXPECT_REPLY(w, "[\"ot:k\", \"l\"]");
}

TEST(a_zero_timeout_blocks_until_served) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s);
    blockOn(c, w, "BLPOP zt:l 0");
    CHECK_STILL_BLOCKED(w, 1200);
    CHECK(blockedClients(c) == 1);
    EXPECT(c, "RPUSH zt:l late", ":1");
    EXPECT_REPLY(w, "[\"zt:l\", \"late\"]");
}

/* ---- timeouts ------------------------------------------------------------------------------- */

/* timedNil sends cmdline on a fresh raw client and returns how many ms
 * passed until the reply, which must be `want`. */
static long long timedReply(srv *sv, const char *cmdline, const char *want) {
    raw *r = rawConnect(sv);
    long long t0 = harnessNowMs();
    REQUIRE(rawCmdLine(r, cmdline));
    CHECK_STR(rawReadReply(r), want);
    long long ms = harnessNowMs() - t0;
    rawClose(r);
    return ms;
}

TEST(a_fractional_timeout_answers_nil_within_100_ms_after_it) {
    redisContext *c = observer(s);
    long long ms = timedReply(s, "BLPOP ta:l 0.3", "(nil-array)");
    CHECK(ms >= 300 && ms <= 400, "BLPOP 0.3 answered after %lld ms", ms);
    ms = timedReply(s, "BZPOPMIN ta:z 0.3", "(nil-array)");
    CHECK(ms >= 300 && ms <= 400, "BZPOPMIN 0.3 answered after %lld ms", ms);
    ms = timedReply(s, "BLMOVE ta:a ta:b LEFT LEFT 1.25", "(nil-array)");
    CHECK(ms >= 1250 && ms <= 1350, "BLMOVE 1.25 answered after %lld ms", ms);
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
}

TEST(timed_out_clients_leave_the_queue_and_later_ones_are_served) {
    redisContext *c = observer(s);
    raw *early = rawConnect(s), *late = rawConnect(s);
    blockOn(c, early, "BLPOP tq:l 0.2");
    blockOn(c, late, "BLPOP tq:l 0");
    EXPECT_REPLY(early, "(nil-array)");
    CHECK(WAIT_FOR(blockedClients(c) == 1, 2000));
    EXPECT(c, "RPUSH tq:l x", ":1");
    EXPECT_REPLY(late, "[\"tq:l\", \"x\"]");
    EXPECT_RAW(early, "PING", "+PONG");
}

/* ---- client state --------------------------------------------------------------------------- */

TEST(blocked_clients_show_flag_b_and_are_counted_in_info_clients) {
    redisContext *c = observer(s);
    raw *a = rawConnect(s), *b = rawConnect(s);
    long long ida = rawClientId(a), idb = rawClientId(b);
    EXPECT_MATCH(c, "CLIENT LIST", tfmt("*id=%lld * flags=N *cmd=client|id *", ida));
    CHECK(blockedClients(c) == 0);
    blockOn(c, a, "BLPOP fl:l 0");
    blockOn(c, b, "BZPOPMIN fl:z1 fl:z2 0");
    CHECK(blockedClients(c) == 2);
    CHECK(globMatch("id=* flags=b *cmd=blpop *", clientLine(c, ida)), "%s", clientLine(c, ida));
    CHECK(globMatch("id=* flags=b *cmd=bzpopmin *", clientLine(c, idb)), "%s", clientLine(c, idb));
    EXPECT(c, "RPUSH fl:l x", ":1");
    EXPECT_REPLY(a, "[\"fl:l\", \"x\"]");
    CHECK(WAIT_FOR(blockedClients(c) == 1, 2000));
    CHECK(globMatch("id=* flags=N *", clientLine(c, ida)), "%s", clientLine(c, ida));
    EXPECT(c, "ZADD fl:z2 1 m", ":1");
    EXPECT_REPLY(b, "[\"fl:z2\", \"m\", \"1\"]");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
}

TEST(client_unblock_times_out_or_fails_a_blocked_client) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s), *w3 = resp3(s);
    long long id = rawClientId(w), id3 = rawClientId(w3);
    blockOn(c, w, "BLPOP ub:l 0");
    EXPECTF(c, ":1", "CLIENT UNBLOCK %lld", id);
    EXPECT_REPLY(w, "(nil-array)");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
    EXPECTF(c, ":0", "CLIENT UNBLOCK %lld", id);            /* not blocked now */
    blockOn(c, w, "BZPOPMIN ub:z 0");
    EXPECTF(c, ":1", "CLIENT UNBLOCK %lld TIMEOUT", id);
    EXPECT_REPLY(w, "(nil-array)");
    blockOn(c, w, "BLMOVE ub:a ub:b LEFT LEFT 0");
    EXPECTF(c, ":1", "CLIENT UNBLOCK %lld ERROR", id);
    EXPECT_REPLY(w, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    blockOn(c, w3, "BLPOP ub:l 0");
    EXPECTF(c, ":1", "CLIENT UNBLOCK %lld timeout", id3);
    EXPECT_REPLY(w3, "(nil)");
    blockOn(c, w3, "BLPOP ub:l 0");
    EXPECTF(c, ":1", "CLIENT UNBLOCK %lld error", id3);
    EXPECT_REPLY(w3, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
    /* a later push stays in the list: nobody waits any more */
    EXPECT(c, "RPUSH ub:l kept", ":1");
    EXPECT(c, "LRANGE ub:l 0 -1", "[\"kept\"]");
    EXPECT_RAW(w, "PING", "+PONG");
}

TEST(client_unblock_checks_its_arguments) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CLIENT UNBLOCK 999999", ":0");
    EXPECT(c, "CLIENT UNBLOCK 999999 ERROR", ":0");
    EXPECT(c, "CLIENT UNBLOCK abc", "-ERR value is not an integer or out of range");
    EXPECT(c, "CLIENT UNBLOCK 999999 FOO", "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    EXPECT(c, "CLIENT UNBLOCK 999999 TIMEOUT x",
           "-ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.");
    EXPECT(c, "CLIENT UNBLOCK", "-ERR wrong number of arguments for 'client|unblock' command");
    EXPECTF(c, ":0", "CLIENT UNBLOCK %s", cliCall(c, "CLIENT ID") + 1);   /* itself */
}

TEST(a_blocked_client_that_disconnects_leaves_nothing_behind) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s), *m = rawConnect(s);
    long long id = rawClientId(w), idm = rawClientId(m);
    blockOn(c, w, "BLPOP dc:l 0");
    blockOn(c, m, "BLMOVE dc:l dc:d LEFT LEFT 0");
    rawClose(w);
    rawClose(m);
    CHECK(WAIT_FOR(blockedClients(c) == 0, 5000), "blocked_clients %lld", blockedClients(c));
    CHECK(WAIT_FOR(strcmp(clientLine(c, id), "") == 0 && strcmp(clientLine(c, idm), "") == 0, 5000),
          "still listed: %s %s", clientLine(c, id), clientLine(c, idm));
    EXPECT(c, "RPUSH dc:l kept", ":1");
    EXPECT(c, "LRANGE dc:l 0 -1", "[\"kept\"]");
    EXPECT(c, "EXISTS dc:d", ":0");
    /* a new waiter is served normally */
    raw *n = rawConnect(s);
    EXPECT(c, "DEL dc:l", ":1");
    blockOn(c, n, "BLPOP dc:l 0");
    EXPECT(c, "RPUSH dc:l next", ":1");
    EXPECT_REPLY(n, "[\"dc:l\", \"next\"]");
}

TEST(a_blocked_client_killed_with_client_kill_leaves_nothing_behind) {
    redisContext *c = observer(s);
    raw *w = rawConnect(s), *z = rawConnect(s), *other = rawConnect(s);
    long long id = rawClientId(w), idz = rawClientId(z);
    blockOn(c, w, "BLPOP kl:l 0");
    blockOn(c, other, "BLPOP kl:l 0");
    blockOn(c, z, "BZPOPMIN kl:z 0");
    EXPECTF(c, ":1", "CLIENT KILL ID %lld", id);
    const char *addr = strstr(clientLine(c, idz), " addr=");
    REQUIRE(addr, "no addr= in %s", clientLine(c, idz));
    EXPECTF(c, "+OK", "CLIENT KILL %s", tfmt("%.*s", (int)strcspn(addr + 6, " "), addr + 6));
    CHECK(rawExpectClosed(w, 5000));
    CHECK(rawExpectClosed(z, 5000));
    CHECK(WAIT_FOR(blockedClients(c) == 1, 5000), "blocked_clients %lld", blockedClients(c));
    CHECK_STR(clientLine(c, id), "");
    CHECK_STR(clientLine(c, idz), "");
    /* the remaining waiter gets the first push; the next one stays */
    EXPECT(c, "RPUSH kl:l a b", ":2");
    EXPECT_REPLY(other, "[\"kl:l\", \"a\"]");
    EXPECT(c, "LRANGE kl:l 0 -1", "[\"b\"]");
    EXPECT(c, "ZADD kl:z 1 m", ":1");
    EXPECT(c, "ZRANGE kl:z 0 -1", "[\"m\"]");
    CHECK(WAIT_FOR(blockedClients(c) == 0, 2000));
}

/* ---- handoff under contention ------------------------------------------------------------------ */

#define HO_TOTAL     100000
#define HO_PRODUCERS 8
#define HO_CONSUMERS 8
#define HO_LISTS     4

typedef struct handoff {
    int port;
    int total;                      /* elements to hand over, <= HO_TOTAL */
    const char *timeout;            /* the consumers' BLPOP timeout */
    unsigned char seen[HO_TOTAL];   /* times each element was received (atomic) */
    int received;                   /* elements received (atomic) */
    int producersLeft;              /* producers still pushing (atomic) */
    int duplicates, strays;         /* bad receipts (atomic) */
    pthread_mutex_t lock;           /* guards error */
    char error[256];                /* first error of any thread */
} handoff;

typedef struct worker {
    handoff *h;
    int id;
} worker;

static void hoError(handoff *h, const char *fmt, const char *detail, int id) {
    pthread_mutex_lock(&h->lock);
    if (!h->error[0]) snprintf(h->error, sizeof h->error, fmt, id, detail);
    pthread_mutex_unlock(&h->lock);
}

static redisContext *hoConnect(handoff *h, int id) {
    struct timeval tv = { 10, 0 };
    redisContext *c = redisConnectWithTimeout("127.0.0.1", h->port, tv);
    if (!c || c->err) {
        hoError(h, "thread %d: connect: %s", c ? c->errstr : "out of memory", id);
        if (c) redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    return c;
}

/* producer id pushes elements id, id + 8, id + 16, ... one per RPUSH,
 * cycling over the lists. */
static void *hoProducer(void *arg) {
    worker *w = arg;
    handoff *h = w->h;
    redisContext *c = hoConnect(h, w->id);
    for (int e = w->id; c && e < h->total; e += HO_PRODUCERS) {
        redisReply *r = redisCommand(c, "RPUSH ho:%d %d", (e / HO_PRODUCERS) % HO_LISTS, e);
        if (!r || r->type != REDIS_REPLY_INTEGER) {
            hoError(h, "producer %d: RPUSH: %s", r && r->str ? r->str : c->errstr, w->id);
            if (r) freeReplyObject(r);
            break;
        }
        freeReplyObject(r);
    }
    if (c) redisFree(c);
    __atomic_sub_fetch(&h->producersLeft, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* a consumer BLPOPs all the lists (starting at a different one) with a 2 s
 * timeout until every element is received, or until a BLPOP times out
 * after the producers finished (then nothing is left to wait for). */
static void *hoConsumer(void *arg) {
    worker *w = arg;
    handoff *h = w->h;
    redisContext *c = hoConnect(h, w->id);
    int a = w->id % HO_LISTS;
    while (c && __atomic_load_n(&h->received, __ATOMIC_SEQ_CST) < h->total) {
        bool done = __atomic_load_n(&h->producersLeft, __ATOMIC_SEQ_CST) == 0;
        redisReply *r = redisCommand(c, "BLPOP ho:%d ho:%d ho:%d ho:%d %s", a, (a + 1) % HO_LISTS,
                                     (a + 2) % HO_LISTS, (a + 3) % HO_LISTS, h->timeout);
        if (!r) {
            hoError(h, "consumer %d: BLPOP: %s", c->errstr, w->id);
            break;
        }
        if (r->type == REDIS_REPLY_NIL) {
            freeReplyObject(r);
            if (done) break;
            continue;
        }
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[1]->type != REDIS_REPLY_STRING) {
            hoError(h, "consumer %d: BLPOP: %s", r->type == REDIS_REPLY_ERROR ? r->str
                                                 : "unexpected reply", w->id);
            freeReplyObject(r);
            break;
        }
        long e = strtol(r->element[1]->str, NULL, 10);
        if (e < 0 || e >= h->total)
            __atomic_add_fetch(&h->strays, 1, __ATOMIC_SEQ_CST);
        else if (__atomic_fetch_add(&h->seen[e], 1, __ATOMIC_SEQ_CST) != 0)
            __atomic_add_fetch(&h->duplicates, 1, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&h->received, 1, __ATOMIC_SEQ_CST);
        freeReplyObject(r);
    }
    if (c) redisFree(c);
    return NULL;
}

static void handoffUnderContention(const char *config, int total, const char *timeout) {
    harnessSetTimeout(120);
    srv *sv = srvStart(srvIsOracle() ? NULL : config);
    redisContext *c = cliConnect(sv);
    handoff *h = calloc(1, sizeof *h);
    REQUIRE(h);
    h->port = srvPort(sv);
    h->total = total;
    h->timeout = timeout;
    h->producersLeft = HO_PRODUCERS;
    pthread_mutex_init(&h->lock, NULL);
    pthread_t tp[HO_PRODUCERS], tc[HO_CONSUMERS];
    worker wp[HO_PRODUCERS], wc[HO_CONSUMERS];
    long long t0 = harnessNowMs();
    for (int i = 0; i < HO_CONSUMERS; i++) {
        wc[i] = (worker){ h, i };
        REQUIRE(pthread_create(&tc[i], NULL, hoConsumer, &wc[i]) == 0);
    }
    for (int i = 0; i < HO_PRODUCERS; i++) {
        wp[i] = (worker){ h, i };
        REQUIRE(pthread_create(&tp[i], NULL, hoProducer, &wp[i]) == 0);
    }
    for (int i = 0; i < HO_PRODUCERS; i++) pthread_join(tp[i], NULL);
    for (int i = 0; i < HO_CONSUMERS; i++) pthread_join(tc[i], NULL);
    long long ms = harnessNowMs() - t0;
    int missing = 0;
    for (int e = 0; e < total; e++) missing += h->seen[e] == 0;
    CHECK(h->error[0] == '\0', "%s", h->error);
    CHECK(h->received == total && missing == 0 && h->duplicates == 0 && h->strays == 0,
          "received %d, missing %d, duplicates %d, strays %d", h->received, missing,
          h->duplicates, h->strays);
    for (int l = 0; l < HO_LISTS; l++) EXPECTF(c, ":0", "LLEN ho:%d", l);
    CHECK(WAIT_FOR(blockedClients(c) == 0, 5000));
    printf("  %d elements handed over in %lld ms\n", total, ms);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

TEST(eight_producers_and_eight_consumers_hand_over_every_element_once_with_2_threads) {
    handoffUnderContention("threads 2", HO_TOTAL, "2");
}

TEST(eight_producers_and_eight_consumers_hand_over_every_element_once_with_4_threads) {
    handoffUnderContention("threads 4", HO_TOTAL, "2");
}

/* consumers whose 10 ms timeouts keep expiring while elements arrive: an
 * element must never go to a client whose timeout already answered */
TEST(consumers_timing_out_all_the_time_still_receive_every_element_once) {
    handoffUnderContention("threads 4", 20000, "0.01");
}

/* ---- BLMOVE around a ring in both directions ------------------------------------------------ */

#define RING_LISTS    4
#define RING_ELEMENTS 40
#define RING_MOVERS   8
#define RING_MS       3000

typedef struct ring {
    int port;
    int moves;                      /* elements moved (atomic) */
    int moversLeft;                 /* movers still running (atomic) */
    pthread_mutex_t lock;           /* guards error */
    char error[256];                /* first error of any thread */
} ring;

typedef struct ringMover {
    ring *g;
    int id;
} ringMover;

/* mover id takes from ring:(id % 4) and puts into the next list, half of
 * them forward and half backward, so that two movers often lock the same
 * two keys in opposite orders. Runs for RING_MS. */
static void *ringMoverMain(void *arg) {
    ringMover *m = arg;
    ring *g = m->g;
    struct timeval tv = { 10, 0 };
    int from = m->id % RING_LISTS;
    int to = (from + (m->id < RING_MOVERS / 2 ? 1 : RING_LISTS - 1)) % RING_LISTS;
    redisContext *c = redisConnectWithTimeout("127.0.0.1", g->port, tv);
    long long end = harnessNowMs() + RING_MS;
    const char *err = c && !c->err ? NULL : "connect failed";
    char ebuf[200];                 /* tfmt is not for other threads */
    if (!err) redisSetTimeout(c, tv);
    while (!err && harnessNowMs() < end) {
        redisReply *r = redisCommand(c, "BLMOVE ring:%d ring:%d %s %s 0.05", from, to,
                                     m->id % 2 ? "LEFT" : "RIGHT", m->id % 3 ? "RIGHT" : "LEFT");
        if (r && r->type == REDIS_REPLY_STRING) __atomic_add_fetch(&g->moves, 1, __ATOMIC_SEQ_CST);
        else if (!r || r->type != REDIS_REPLY_NIL)
            err = snprintf(ebuf, sizeof ebuf, "%s", r && r->str ? r->str : c->errstr) ? ebuf : NULL;
        if (r) freeReplyObject(r);
    }
    if (err) {
        pthread_mutex_lock(&g->lock);
        if (!g->error[0]) snprintf(g->error, sizeof g->error, "mover %d: %s", m->id, err);
        pthread_mutex_unlock(&g->lock);
    }
    if (c) redisFree(c);
    __atomic_sub_fetch(&g->moversLeft, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

TEST(blmove_around_a_ring_in_both_directions_keeps_every_element_and_never_deadlocks) {
    harnessSetTimeout(60);
    srv *sv = srvStart(srvIsOracle() ? NULL : "threads 4");
    redisContext *c = cliConnect(sv);
    for (int e = 0; e < RING_ELEMENTS; e++) EXPECTF(c, tfmt(":%d", e + 1), "RPUSH ring:0 e%d", e);
    ring *g = calloc(1, sizeof *g);
    REQUIRE(g);
    g->port = srvPort(sv);
    g->moversLeft = RING_MOVERS;
    pthread_mutex_init(&g->lock, NULL);
    pthread_t th[RING_MOVERS];
    ringMover mv[RING_MOVERS];
    for (int i = 0; i < RING_MOVERS; i++) {
        mv[i] = (ringMover){ g, i };
        REQUIRE(pthread_create(&th[i], NULL, ringMoverMain, &mv[i]) == 0);
    }
    /* meanwhile the lengths, read in one transaction, always add up */
    int checks = 0, bad = 0;
    const char *firstBad = "";
    while (__atomic_load_n(&g->moversLeft, __ATOMIC_SEQ_CST) > 0) {
        redisReply *r;
        redisAppendCommand(c, "MULTI");
        for (int l = 0; l < RING_LISTS; l++) redisAppendCommand(c, "LLEN ring:%d", l);
        redisAppendCommand(c, "EXEC");
        for (int i = 0; i < RING_LISTS + 1; i++)
            if (redisGetReply(c, (void **)&r) == REDIS_OK) freeReplyObject(r);
        if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
        long long sum = 0;
        for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
            sum += r->element[i]->integer;
        if (sum != RING_ELEMENTS && bad++ == 0) firstBad = replyText(r);
        freeReplyObject(r);
        checks++;
    }
    for (int i = 0; i < RING_MOVERS; i++) pthread_join(th[i], NULL);
    CHECK(g->error[0] == '\0', "%s", g->error);
    CHECK(bad == 0, "%d of %d length sums wrong, the first %s", bad, checks, firstBad);
    CHECK(g->moves > RING_MOVERS, "only %d moves", g->moves);
    /* every element is in exactly one list, once */
    int seen[RING_ELEMENTS] = {0}, total = 0;
    for (int l = 0; l < RING_LISTS; l++) {
        redisReply *r = redisCommand(c, "LRANGE ring:%d 0 -1", l);
        REQUIRE(r && r->type == REDIS_REPLY_ARRAY);
        for (size_t i = 0; i < r->elements; i++, total++) {
            int e = atoi(r->element[i]->str + 1);
            if (e >= 0 && e < RING_ELEMENTS) seen[e]++;
        }
        freeReplyObject(r);
    }
    int once = 0;
    for (int e = 0; e < RING_ELEMENTS; e++) once += seen[e] == 1;
    CHECK(total == RING_ELEMENTS && once == RING_ELEMENTS, "%d elements, %d of them once",
          total, once);
    printf("  %d moves, %d length checks\n", g->moves, checks);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
