/* test_pubsub.c — SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE and their UNSUBSCRIBEs,
 * PUBLISH / SPUBLISH, PUBSUB's subcommands; RESP2 subscribed mode and RESP3
 * pushes; CLIENT LIST / KILL / INFO as they see subscribers; per-publisher
 * order of 100,000 messages with several threads; the pubsub output buffer
 * limit (hard and soft) and the `timeout` exemption.
 *
 * Every expectation is checked against redis-server 7.0.15 with
 * ROOST_ORACLE=redis. "Nothing else arrived" is asserted by publishing a
 * marker afterwards and expecting it as the very next message (one
 * publisher's messages arrive in order).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static srv *s;          /* shared server */
static srv *sThreads;   /* threads 4 (roost; Redis has no such directive) */

/* expectMarker publishes "marker" on ch and expects it as sub's next message. */
static void expectMarker(raw *sub, redisContext *pub, const char *ch) {
    EXPECT(pub, tfmt("PUBLISH %s marker", ch), ":1");
    EXPECT_REPLY(sub, tfmt("[\"message\", \"%s\", \"marker\"]", ch));
}

/* ---- subscribing, publishing ------------------------------------------------------------ */

TEST(subscribe_confirms_each_channel_with_the_running_count) {
    raw *r = rawConnect(s);
    rawCmdLine(r, "SUBSCRIBE a b a");
    EXPECT_REPLY(r, "[\"subscribe\", \"a\", :1]");
    EXPECT_REPLY(r, "[\"subscribe\", \"b\", :2]");
    EXPECT_REPLY(r, "[\"subscribe\", \"a\", :2]");
    rawCmdLine(r, "PSUBSCRIBE p*");
    EXPECT_REPLY(r, "[\"psubscribe\", \"p*\", :3]");
    rawCmdLine(r, "SSUBSCRIBE s");   /* shard channels are counted apart */
    EXPECT_REPLY(r, "[\"ssubscribe\", \"s\", :1]");
    rawCmdLine(r, "UNSUBSCRIBE a zz");
    EXPECT_REPLY(r, "[\"unsubscribe\", \"a\", :2]");
    EXPECT_REPLY(r, "[\"unsubscribe\", \"zz\", :2]");
    rawCmdLine(r, "PUNSUBSCRIBE");
    EXPECT_REPLY(r, "[\"punsubscribe\", \"p*\", :1]");
    rawCmdLine(r, "SUNSUBSCRIBE");
    EXPECT_REPLY(r, "[\"sunsubscribe\", \"s\", :0]");
    rawCmdLine(r, "UNSUBSCRIBE");
    EXPECT_REPLY(r, "[\"unsubscribe\", \"b\", :0]");
    EXPECT_RAW(r, "PING", "+PONG");   /* out of subscribed mode */
}

TEST(unsubscribe_without_subscriptions_names_nothing) {
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "UNSUBSCRIBE", "[\"unsubscribe\", (nil), :0]");
    EXPECT_RAW(r, "PUNSUBSCRIBE", "[\"punsubscribe\", (nil), :0]");
    EXPECT_RAW(r, "SUNSUBSCRIBE", "[\"sunsubscribe\", (nil), :0]");
    rawCmdLine(r, "UNSUBSCRIBE x y");
    EXPECT_REPLY(r, "[\"unsubscribe\", \"x\", :0]");
    EXPECT_REPLY(r, "[\"unsubscribe\", \"y\", :0]");
    EXPECT_RAW(r, "GET nothing", "(nil)");   /* still a normal client */
    /* subscribed to a channel only: SUNSUBSCRIBE with no shard channel */
    EXPECT_RAW(r, "SUBSCRIBE a", "[\"subscribe\", \"a\", :1]");
    EXPECT_RAW(r, "SUNSUBSCRIBE", "[\"sunsubscribe\", (nil), :0]");
    EXPECT_RAW_MATCH(r, "GET x", "-ERR Can't execute 'get': *");
    EXPECT_RAW(r, "UNSUBSCRIBE", "[\"unsubscribe\", \"a\", :0]");
    EXPECT_RAW(r, "UNSUBSCRIBE", "[\"unsubscribe\", (nil), :0]");
    EXPECT_RAW(r, "GET x", "(nil)");
}

TEST(publish_replies_the_number_of_receivers_and_delivers_the_message) {
    redisContext *pub = cliConnect(s);
    raw *a = rawConnect(s), *b = rawConnect(s);
    EXPECT(pub, "PUBLISH cnt:ch hi", ":0");
    EXPECT_RAW(a, "SUBSCRIBE cnt:ch", "[\"subscribe\", \"cnt:ch\", :1]");
    EXPECT_RAW(b, "SUBSCRIBE cnt:ch", "[\"subscribe\", \"cnt:ch\", :1]");
    EXPECT(pub, "PUBLISH cnt:ch \"hello\\r\\nworld\"", ":2");
    EXPECT_REPLY(a, "[\"message\", \"cnt:ch\", \"hello\\r\\nworld\"]");
    EXPECT_REPLY(b, "[\"message\", \"cnt:ch\", \"hello\\r\\nworld\"]");
    EXPECT_RAW(b, "PSUBSCRIBE cnt:*", "[\"psubscribe\", \"cnt:*\", :2]");
    EXPECT(pub, "PUBLISH cnt:ch x", ":3");   /* b twice: channel and pattern */
    EXPECT_REPLY(a, "[\"message\", \"cnt:ch\", \"x\"]");
    EXPECT_REPLY(b, "[\"message\", \"cnt:ch\", \"x\"]");
    EXPECT_REPLY(b, "[\"pmessage\", \"cnt:*\", \"cnt:ch\", \"x\"]");
    EXPECT(pub, "PUBLISH cnt:ch \"\"", ":3");
    EXPECT_REPLY(a, "[\"message\", \"cnt:ch\", \"\"]");
    EXPECT(pub, "PUBLISH", "-ERR wrong number of arguments for 'publish' command");
    EXPECT(pub, "PUBLISH a b c", "-ERR wrong number of arguments for 'publish' command");
}

TEST(patterns_match_like_redis_globs) {
    redisContext *pub = cliConnect(s);
    raw *r = rawConnect(s);
    rawCmdLine(r, "PSUBSCRIBE news.* h?llo [ab]x \\* pm:mark");
    EXPECT_REPLY(r, "[\"psubscribe\", \"news.*\", :1]");
    EXPECT_REPLY(r, "[\"psubscribe\", \"h?llo\", :2]");
    EXPECT_REPLY(r, "[\"psubscribe\", \"[ab]x\", :3]");
    EXPECT_REPLY(r, "[\"psubscribe\", \"\\\\*\", :4]");
    EXPECT_REPLY(r, "[\"psubscribe\", \"pm:mark\", :5]");
    EXPECT(pub, "PUBLISH news.tech 1", ":1");
    EXPECT_REPLY(r, "[\"pmessage\", \"news.*\", \"news.tech\", \"1\"]");
    EXPECT(pub, "PUBLISH news. 2", ":1");
    EXPECT_REPLY(r, "[\"pmessage\", \"news.*\", \"news.\", \"2\"]");
    EXPECT(pub, "PUBLISH hallo 3", ":1");
    EXPECT_REPLY(r, "[\"pmessage\", \"h?llo\", \"hallo\", \"3\"]");
    EXPECT(pub, "PUBLISH bx 4", ":1");
    EXPECT_REPLY(r, "[\"pmessage\", \"[ab]x\", \"bx\", \"4\"]");
    EXPECT(pub, "PUBLISH * 5", ":1");
    EXPECT_REPLY(r, "[\"pmessage\", \"\\\\*\", \"*\", \"5\"]");
    /* none of these match */
    EXPECT(pub, "PUBLISH news 6", ":0");
    EXPECT(pub, "PUBLISH hllo 6", ":0");
    EXPECT(pub, "PUBLISH haallo 6", ":0");
    EXPECT(pub, "PUBLISH cx 6", ":0");
    EXPECT(pub, "PUBLISH NEWS.tech 6", ":0");
    EXPECT(pub, "PUBLISH pm:mark end", ":1");
    EXPECT_REPLY(r, "[\"pmessage\", \"pm:mark\", \"pm:mark\", \"end\"]");
}

TEST(shard_channels_are_apart_from_channels) {
    redisContext *pub = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "SSUBSCRIBE sh:1", "[\"ssubscribe\", \"sh:1\", :1]");
    EXPECT_RAW(r, "SUBSCRIBE sh:mark", "[\"subscribe\", \"sh:mark\", :1]");
    EXPECT(pub, "PUBLISH sh:1 x", ":0");
    EXPECT(pub, "SPUBLISH sh:1 y", ":1");
    EXPECT_REPLY(r, "[\"smessage\", \"sh:1\", \"y\"]");
    EXPECT(pub, "SPUBLISH sh:mark z", ":0");
    expectMarker(r, pub, "sh:mark");
    EXPECT(pub, "PUBSUB SHARDCHANNELS sh:*", "[\"sh:1\"]");
    EXPECT(pub, "PUBSUB SHARDNUMSUB sh:1 sh:mark", "[\"sh:1\", :1, \"sh:mark\", :0]");
    EXPECT(pub, "PUBSUB SHARDNUMSUB", "[]");
    EXPECT(pub, "SPUBLISH", "-ERR wrong number of arguments for 'spublish' command");
    EXPECT(pub, "COMMAND GETKEYS SPUBLISH sh:1 msg", "-ERR The command has no key arguments");
}

/* ---- subscribed mode (RESP2) and RESP3 --------------------------------------------------- */

TEST(resp2_subscribed_mode_allows_only_pubsub_ping_quit_reset) {
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "SUBSCRIBE m:a", "[\"subscribe\", \"m:a\", :1]");
    const char *tail = "only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
    EXPECT_RAW(r, "GET x", tfmt("-ERR Can't execute 'get': %s", tail));
    EXPECT_RAW(r, "PUBLISH m:a x", tfmt("-ERR Can't execute 'publish': %s", tail));
    EXPECT_RAW(r, "HELLO 3", tfmt("-ERR Can't execute 'hello': %s", tail));
    EXPECT_RAW(r, "CLIENT LIST", tfmt("-ERR Can't execute 'client|list': %s", tail));
    EXPECT_RAW(r, "PUBSUB NUMPAT", tfmt("-ERR Can't execute 'pubsub|numpat': %s", tail));
    EXPECT_RAW(r, "GET", "-ERR wrong number of arguments for 'get' command");   /* arity first */
    EXPECT_RAW(r, "NOSUCH", "-ERR unknown command 'NOSUCH', with args beginning with: ");
    EXPECT_RAW(r, "PING", "[\"pong\", \"\"]");
    EXPECT_RAW(r, "PING hey", "[\"pong\", \"hey\"]");
    EXPECT_RAW(r, "PSUBSCRIBE m:*", "[\"psubscribe\", \"m:*\", :2]");
    /* a shard subscription alone keeps the client in subscribed mode */
    EXPECT_RAW(r, "SSUBSCRIBE m:s", "[\"ssubscribe\", \"m:s\", :1]");
    EXPECT_RAW(r, "UNSUBSCRIBE", "[\"unsubscribe\", \"m:a\", :1]");
    EXPECT_RAW(r, "PUNSUBSCRIBE", "[\"punsubscribe\", \"m:*\", :0]");
    EXPECT_RAW_MATCH(r, "GET x", "-ERR Can't execute 'get': *");
    EXPECT_RAW(r, "RESET", "+RESET");
    EXPECT_RAW(r, "GET x", "(nil)");
    EXPECT_RAW(r, "PING", "+PONG");
    redisContext *c = cliConnect(s);
    EXPECT(c, "PUBSUB NUMSUB m:a", "[\"m:a\", :0]");   /* RESET left silently */
    EXPECT(c, "PUBSUB SHARDNUMSUB m:s", "[\"m:s\", :0]");
    EXPECT_RAW(r, "SUBSCRIBE m:a", "[\"subscribe\", \"m:a\", :1]");
    EXPECT_RAW(r, "QUIT", "+OK");
    CHECK(rawExpectClosed(r, 5000));
    CHECK(WAIT_FOR(!strcmp(cliCall(c, "PUBSUB NUMSUB m:a"), "[\"m:a\", :0]"), 5000));
}

TEST(resp3_subscribers_get_pushes_and_may_run_any_command) {
    redisContext *pub = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{\"server\": \"redis\", *");
    EXPECT_RAW(r, "UNSUBSCRIBE", ">[\"unsubscribe\", (nil), :0]");
    EXPECT_RAW(r, "SUBSCRIBE r3:a", ">[\"subscribe\", \"r3:a\", :1]");
    EXPECT_RAW(r, "SET r3:k v", "+OK");
    EXPECT_RAW(r, "GET r3:k", "\"v\"");
    EXPECT_RAW(r, "PING", "+PONG");
    EXPECT(pub, "PUBLISH r3:a hi", ":1");
    EXPECT_REPLY(r, ">[\"message\", \"r3:a\", \"hi\"]");
    /* its own message comes before the reply to its PUBLISH */
    rawCmdLine(r, "PUBLISH r3:a me");
    EXPECT_REPLY(r, ">[\"message\", \"r3:a\", \"me\"]");
    EXPECT_REPLY(r, ":1");
    EXPECT_RAW(r, "PSUBSCRIBE r3:*", ">[\"psubscribe\", \"r3:*\", :2]");
    EXPECT(pub, "PUBLISH r3:a two", ":2");
    EXPECT_REPLY(r, ">[\"message\", \"r3:a\", \"two\"]");
    EXPECT_REPLY(r, ">[\"pmessage\", \"r3:*\", \"r3:a\", \"two\"]");
    EXPECT_RAW(r, "SSUBSCRIBE r3:s", ">[\"ssubscribe\", \"r3:s\", :1]");
    rawCmdLine(r, "SPUBLISH r3:s me");
    EXPECT_REPLY(r, ">[\"smessage\", \"r3:s\", \"me\"]");
    EXPECT_REPLY(r, ":1");
    /* CLIENT REPLY OFF silences replies, not pushes */
    rawCmdLine(r, "CLIENT REPLY OFF");
    EXPECT(pub, "PUBLISH r3:a quiet", ":2");
    EXPECT_REPLY(r, ">[\"message\", \"r3:a\", \"quiet\"]");
    EXPECT_REPLY(r, ">[\"pmessage\", \"r3:*\", \"r3:a\", \"quiet\"]");
    EXPECT_RAW(r, "CLIENT REPLY ON", "+OK");
    /* back to RESP2 while subscribed: arrays again, and the restrictions */
    EXPECT_RAW_MATCH(r, "HELLO 2", "[\"server\", \"redis\", *");
    EXPECT(pub, "PUBLISH r3:a r2", ":2");
    EXPECT_REPLY(r, "[\"message\", \"r3:a\", \"r2\"]");
    EXPECT_REPLY(r, "[\"pmessage\", \"r3:*\", \"r3:a\", \"r2\"]");
    EXPECT_RAW_MATCH(r, "GET r3:k", "-ERR Can't execute 'get': *");
}

/* ---- PUBSUB ----------------------------------------------------------------------------------- */

TEST(pubsub_introspection_subcommands) {
    srv *own = srvStart(NULL);   /* no channels left over from other tests */
    redisContext *c = cliConnect(own);
    raw *a = rawConnect(own), *b = rawConnect(own);
    EXPECT(c, "PUBSUB CHANNELS", "[]");
    EXPECT(c, "PUBSUB NUMPAT", ":0");
    rawCmdLine(a, "SUBSCRIBE ch:1 ch:2 other");
    for (int i = 0; i < 3; i++) rawReadReply(a);
    rawCmdLine(b, "SUBSCRIBE ch:1");
    rawReadReply(b);
    rawCmdLine(a, "PSUBSCRIBE x* y*");
    rawReadReply(a);
    rawReadReply(a);
    rawCmdLine(b, "PSUBSCRIBE x* z*");
    rawReadReply(b);
    EXPECT_REPLY(b, "[\"psubscribe\", \"z*\", :3]");
    CHECK_STR(cliCallSorted(c, "PUBSUB CHANNELS"), "ch:1 ch:2 other");
    CHECK_STR(cliCallSorted(c, "PUBSUB CHANNELS ch:*"), "ch:1 ch:2");
    EXPECT(c, "PUBSUB CHANNELS nomatch*", "[]");
    EXPECT(c, "PUBSUB NUMSUB ch:1 ch:2 none", "[\"ch:1\", :2, \"ch:2\", :1, \"none\", :0]");
    EXPECT(c, "PUBSUB NUMSUB", "[]");
    EXPECT(c, "PUBSUB NUMPAT", ":3");   /* distinct patterns */
    EXPECT(c, "PUBSUB SHARDCHANNELS", "[]");
    EXPECT(c, "PUBLISH xa 1", ":2");
    EXPECT_MATCH(c, "INFO stats", "*pubsub_channels:3\\r\\npubsub_patterns:3\\r\\npubsubshard_channels:0\\r\\n*");
    EXPECT(c, "PUBSUB", "-ERR wrong number of arguments for 'pubsub' command");
    EXPECT(c, "PUBSUB FOO", "-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.");
    EXPECT(c, "PUBSUB NUMPAT x", "-ERR wrong number of arguments for 'pubsub|numpat' command");
    EXPECT(c, "PUBSUB CHANNELS a b",
           "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.");
    EXPECT(c, "PUBSUB shardchannels a b",
           "-ERR unknown subcommand or wrong number of arguments for 'shardchannels'. Try PUBSUB HELP.");
    EXPECT_MATCH(c, "PUBSUB HELP",
                 "[+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, +CHANNELS [<pattern>], *"
                 "+SHARDNUMSUB [<shardchannel> ...], *, +HELP, +    Prints this help.]");
    /* a client that goes away leaves every registry */
    rawClose(a);
    CHECK(WAIT_FOR(!strcmp(cliCall(c, "PUBSUB NUMPAT"), ":2"), 5000));
    EXPECT(c, "PUBSUB NUMSUB ch:1 ch:2", "[\"ch:1\", :1, \"ch:2\", :0]");
    EXPECT(c, "PUBSUB CHANNELS", "[\"ch:1\"]");
    EXPECT_MATCH(c, "INFO stats", "*pubsub_channels:1\\r\\npubsub_patterns:2\\r\\n*");
}

TEST(command_info_of_the_pubsub_commands_is_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "COMMAND INFO subscribe publish",
           "[[\"subscribe\", :-2, [+pubsub, +noscript, +loading, +stale], :0, :0, :0, "
           "[+@pubsub, +@slow], [], [], []], "
           "[\"publish\", :3, [+pubsub, +loading, +stale, +fast], :0, :0, :0, "
           "[+@pubsub, +@fast], [], [], []]]");
    EXPECT(c, "COMMAND INFO ssubscribe",
           "[[\"ssubscribe\", :-2, [+pubsub, +noscript, +loading, +stale], :1, :-1, :1, "
           "[+@pubsub, +@slow], [], [[\"flags\", [+not_key], \"begin_search\", [\"type\", \"index\", "
           "\"spec\", [\"index\", :1]], \"find_keys\", [\"type\", \"range\", \"spec\", "
           "[\"lastkey\", :-1, \"keystep\", :1, \"limit\", :0]]]], []]]");
    EXPECT_MATCH(c, "COMMAND INFO pubsub", "[[\"pubsub\", :-2, [], :0, :0, :0, [+@slow], *");
}

/* ---- clients ------------------------------------------------------------------------------------ */

TEST(client_list_shows_subscriptions_and_type_pubsub) {
    srv *own = srvStart(NULL);
    redisContext *c = cliConnect(own);
    raw *r = rawConnect(own);
    rawCmdLine(r, "SUBSCRIBE a b");
    rawReadReply(r);
    rawReadReply(r);
    EXPECT_RAW(r, "PSUBSCRIBE p*", "[\"psubscribe\", \"p*\", :3]");
    EXPECT_RAW(r, "SSUBSCRIBE s", "[\"ssubscribe\", \"s\", :1]");
    EXPECT_MATCH(c, "CLIENT LIST TYPE pubsub",
                 "\"id=* flags=P db=0 sub=2 psub=1 ssub=1 multi=-1 * cmd=ssubscribe *\\n\"");
    EXPECT_MATCH(c, "CLIENT LIST TYPE normal", "\"id=* flags=N db=0 sub=0 psub=0 ssub=0 * cmd=client|list *\\n\"");
    EXPECT(c, "CLIENT KILL TYPE pubsub", ":1");
    CHECK(rawExpectClosed(r, 5000));
    CHECK(WAIT_FOR(!strcmp(cliCall(c, "CLIENT LIST TYPE pubsub"), "\"\""), 5000));
    EXPECT(c, "PUBSUB NUMPAT", ":0");
    EXPECT(c, "CLIENT KILL TYPE pubsub", ":0");
}

/* `timeout` does not close subscribers, as in Redis (it closes the others). */
TEST(idle_timeout_spares_subscribers) {
    srv *own = srvStart("timeout 1");
    raw *sub = rawConnect(own), *idle = rawConnect(own);
    EXPECT_RAW(sub, "SUBSCRIBE t", "[\"subscribe\", \"t\", :1]");
    EXPECT_RAW(idle, "PING", "+PONG");
    CHECK(rawExpectClosed(idle, 15000), "the idle normal client was not closed");
    redisContext *c = cliConnect(own);   /* connected now: not idle yet */
    EXPECT(c, "PUBLISH t still-here", ":1");
    EXPECT_REPLY(sub, "[\"message\", \"t\", \"still-here\"]");
}

/* redis-cli's subscribe mode prints what it receives as with Redis. */
TEST(redis_cli_subscribe_shows_messages) {
    int port = srvPort(s);
    char *out = NULL;
    int rc = runCmd(&out,
                    "timeout 3 redis-cli -p %d subscribe rc:ch & "
                    "until [ \"$(redis-cli -p %d pubsub numsub rc:ch | tail -1)\" = 1 ]; do sleep 0.01; done; "
                    "redis-cli -p %d publish rc:ch \"hello world\" >/dev/null; wait",
                    port, port, port);
    CHECK(rc == 0, "exit status %d", rc);
    CHECK_STR(out, "subscribe\nrc:ch\n1\nmessage\nrc:ch\nhello world\n");
}

/* ---- ordering ------------------------------------------------------------------------------------- */

/* Four publishers (forked processes) send 25,000 messages each to one
 * channel while two subscribers read: each subscriber gets all 100,000, and
 * each publisher's messages in the order it sent them. */
TEST(one_publishers_messages_arrive_in_order_across_threads) {
    enum { PUBS = 4, EACH = 25000, SUBS = 2 };
    harnessSetTimeout(120);
    int port = srvPort(sThreads);
    redisContext *subs[SUBS];
    for (int i = 0; i < SUBS; i++) {
        subs[i] = cliConnect(sThreads);
        CHECK_STR(cliCall(subs[i], "SUBSCRIBE order"), "[\"subscribe\", \"order\", :1]");
    }
    pid_t pids[PUBS];
    for (int p = 0; p < PUBS; p++) {
        pids[p] = fork();
        REQUIRE(pids[p] >= 0);
        if (pids[p] == 0) {
            redisContext *x = redisConnect("127.0.0.1", port);
            if (!x || x->err) _exit(2);
            for (int base = 0; base < EACH; base += 1000) {
                for (int i = base; i < base + 1000; i++) redisAppendCommand(x, "PUBLISH order %d:%d", p, i);
                for (int i = base; i < base + 1000; i++) {
                    redisReply *r;
                    if (redisGetReply(x, (void **)&r) != REDIS_OK || r->type != REDIS_REPLY_INTEGER ||
                        r->integer != SUBS)
                        _exit(3);
                    freeReplyObject(r);
                }
            }
            _exit(0);
        }
    }
    int bad = 0;
    for (int sI = 0; sI < SUBS; sI++) {
        int next[PUBS] = { 0 };
        for (int n = 0; n < PUBS * EACH && bad < 5; n++) {
            redisReply *r;
            if (redisGetReply(subs[sI], (void **)&r) != REDIS_OK) {
                CHECK(false, "subscriber %d: read failed after %d messages", sI, n);
                bad = 5;
                break;
            }
            int p = -1, seq = -1;
            if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
                sscanf(r->element[2]->str, "%d:%d", &p, &seq) == 2 && p >= 0 && p < PUBS) {
                if (seq != next[p]) {
                    CHECK(false, "subscriber %d: publisher %d sent %d, expected %d", sI, p, seq, next[p]);
                    bad++;
                }
                next[p] = seq + 1;
            } else {
                CHECK(false, "subscriber %d: unexpected %s", sI, replyText(r));
                bad++;
            }
            freeReplyObject(r);
        }
        for (int p = 0; p < PUBS && !bad; p++) CHECK(next[p] == EACH, "publisher %d: %d messages", p, next[p]);
    }
    for (int p = 0; p < PUBS; p++) {
        int status = 0;
        waitpid(pids[p], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "publisher %d status %d", p, status);
    }
}

/* ---- output buffer limit ------------------------------------------------------------------------------ */

static bool noPubsubClients(redisContext *c) {
    return !strcmp(cliCall(c, "CLIENT LIST TYPE pubsub"), "\"\"");
}

/* A subscriber that never reads is dropped once its backlog reaches the hard
 * limit; the server stays healthy and the publisher is untouched. */
TEST(a_subscriber_that_does_not_read_is_dropped_at_the_hard_limit) {
    srv *own = srvStart(NULL);
    redisContext *c = cliConnect(own);
    EXPECT(c, "CONFIG SET client-output-buffer-limit \"pubsub 1mb 0 0\"", "+OK");
    raw *sub = rawConnect(own);
    EXPECT_RAW(sub, "SUBSCRIBE big", "[\"subscribe\", \"big\", :1]");
    redisContext *pub = cliConnect(own);
    char *msg = malloc(10000);
    memset(msg, 'x', 10000);
    int sent = 0;
    for (int round = 0; round < 40 && !noPubsubClients(c); round++) {   /* up to 40 MB */
        for (int i = 0; i < 100; i++) redisAppendCommand(pub, "PUBLISH big %b", msg, (size_t)10000);
        for (int i = 0; i < 100; i++) {
            redisReply *r;
            REQUIRE(redisGetReply(pub, (void **)&r) == REDIS_OK);
            freeReplyObject(r);
        }
        sent += 100;
    }
    free(msg);
    CHECK(WAIT_FOR(noPubsubClients(c), 5000), "the subscriber is still connected after %d MB", sent / 100);
    CHECK(sent < 4000, "dropped only after %d messages", sent);
    EXPECT(c, "PUBLISH big after", ":0");
    EXPECT(pub, "PING", "+PONG");
    EXPECT_MATCH(c, "INFO clients", "*connected_clients:2\\r\\n*");
    CHECK(srvLogContains(own, "scheduled to be closed ASAP for overcoming of output buffer limits."));
}

/* Over the soft limit the subscriber survives for soft-seconds, then goes. */
TEST(a_subscriber_over_the_soft_limit_is_dropped_after_the_soft_seconds) {
    srv *own = srvStart(NULL);
    redisContext *c = cliConnect(own);
    EXPECT(c, "CONFIG SET client-output-buffer-limit \"pubsub 0 256kb 2\"", "+OK");
    raw *sub = rawConnect(own);
    EXPECT_RAW(sub, "SUBSCRIBE soft", "[\"subscribe\", \"soft\", :1]");
    char *msg = malloc(100000);
    memset(msg, 'y', 100000);
    /* well past the soft limit, socket buffers included: 16 MB */
    for (int i = 0; i < 160; i++) redisAppendCommand(c, "PUBLISH soft %b", msg, (size_t)100000);
    for (int i = 0; i < 160; i++) {
        redisReply *r;
        REQUIRE(redisGetReply(c, (void **)&r) == REDIS_OK);
        freeReplyObject(r);
    }
    free(msg);
    long long t0 = harnessNowMs();
    EXPECT(c, "PUBSUB NUMSUB soft", "[\"soft\", :1]");   /* not dropped at once */
    /* keep publishing small messages: the check runs as output is added */
    CHECK(WAIT_FOR(!strcmp(cliCall(c, "PUBLISH soft tick"), ":0"), 8000));
    CHECK(harnessNowMs() - t0 >= 900, "dropped after %lld ms", harnessNowMs() - t0);
    CHECK(WAIT_FOR(noPubsubClients(c), 5000));
    EXPECT(c, "PING", "+PONG");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    sThreads = srvStart(srvIsOracle() ? NULL : "threads 4");
    return harnessMain(argc, argv);
}
