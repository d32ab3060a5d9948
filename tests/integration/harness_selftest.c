/* test_harness.c — the harness's own tests, and the example to copy.
 *
 * Each test checks one thing the harness promises (canonical reply text,
 * the raw RESP3 reader, servers, redis-cli and redis-benchmark helpers)
 * against a real server, so every expectation here also holds for real
 * Redis: run with ROOST_ORACLE=redis to check them against it. One test
 * feeds hand-written RESP3 bytes through a socketpair instead, so the reader
 * is checked on every type whatever the server implements.
 */
#include "harness.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static srv *s;                   /* this file's server, started in main */

TEST(get_returns_the_value_that_set_stored) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET greeting hello", "+OK");
    EXPECT(c, "GET greeting", "\"hello\"");
    EXPECT(c, "SET spaced \"two words\"", "+OK");
    EXPECT(c, "GET spaced", "\"two words\"");
    EXPECTF(c, "+OK", "SET counter %d", 41);
    EXPECT(c, "INCR counter", ":42");
}

TEST(values_are_binary_safe_and_escaped_in_the_canonical_text) {
    redisContext *c = cliConnect(s);
    const char *argv[] = { "SET", "bin", "a\0b\r\n\"\\\xff" };
    size_t lens[] = { 3, 3, 8 };
    EXPECTV(c, 3, argv, lens, "+OK");
    EXPECT(c, "GET bin", "\"a\\x00b\\r\\n\\\"\\\\\\xff\"");
    EXPECTF(c, "+OK", "SET %s %b", "bin2", "x\0y", (size_t)3);
    EXPECT(c, "STRLEN bin2", ":3");
    EXPECT(c, "SET quoted \"\\x00\\n\"", "+OK");
    EXPECT(c, "GET quoted", "\"\\x00\\n\"");
}

TEST(error_replies_carry_redis_exact_text) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "NOSUCHCOMMAND a b",
           "-ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' ");
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "RPUSH alist x", ":1");
    EXPECT(c, "GET alist",
           "-WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST(arrays_nest_in_the_canonical_text) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEL l", ":0");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "RPUSH l a b", "+QUEUED");
    EXPECT(c, "LRANGE l 0 -1", "+QUEUED");
    EXPECT(c, "GET nosuchkey", "+QUEUED");
    EXPECT(c, "EXEC", "[:2, [\"a\", \"b\"], (nil)]");
    EXPECT(c, "LRANGE nosuchkey 0 -1", "[]");
}

TEST(a_missing_value_is_nil_in_resp2_and_resp3) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    EXPECT(c, "GET nosuchkey", "(nil)");
    EXPECT(c, "XREAD STREAMS nosuchstream 0", "(nil-array)");
    EXPECT_RAW(r, "GET nosuchkey", "(nil)");
    EXPECT_RAW(r, "XREAD STREAMS nosuchstream 0", "(nil-array)");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*\"proto\": :3*}");
    EXPECT_RAW(r, "GET nosuchkey", "(nil)");
    EXPECT_RAW(r, "XREAD STREAMS nosuchstream 0", "(nil)");
}

TEST(hello_3_answers_with_a_map_describing_the_server) {
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3",
                     "{\"server\": \"*\", \"version\": \"*\", \"proto\": :3, "
                     "\"id\": :*, \"mode\": \"standalone\", \"role\": \"master\", "
                     "\"modules\": []}");
    EXPECT_RAW_MATCH(r, "HELLO 2", "[\"server\", \"*\", \"version\", \"*\", "
                     "\"proto\", :2, *]");
}

TEST(resp3_replies_are_maps_sets_doubles_verbatims_and_pushes) {
    raw *r = rawConnect(s);
    raw *pub = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "DEL h z st", ":0");
    EXPECT_RAW(r, "HSET h f v", ":1");
    EXPECT_RAW(r, "HGETALL h", "{\"f\": \"v\"}");
    EXPECT_RAW(r, "SADD st member", ":1");
    EXPECT_RAW(r, "SMEMBERS st", "~[\"member\"]");
    EXPECT_RAW(r, "ZADD z 1.5 m", ":1");
    EXPECT_RAW(r, "ZSCORE z m", ",1.5");
    EXPECT_RAW_MATCH(r, "INFO server", "=txt:# Server\\r\\n*");
    EXPECT_RAW(r, "SUBSCRIBE news", ">[\"subscribe\", \"news\", :1]");
    EXPECT_RAW(pub, "PUBLISH news hi", ":1");
    EXPECT_REPLY(r, ">[\"message\", \"news\", \"hi\"]");
}

/* The reader on every RESP3 type, with no server: bytes written to one end
 * of a socketpair must come out of the other as exactly this text. */
TEST(every_resp3_type_has_one_canonical_text) {
#define CASE(bytes, text) { bytes, sizeof(bytes) - 1, text }
    static const struct { const char *bytes; size_t len; const char *text; } cases[] = {
        CASE("+OK\r\n", "+OK"),
        CASE("-ERR wrong\r\n", "-ERR wrong"),
        CASE(":-42\r\n", ":-42"),
        CASE("$5\r\nhello\r\n", "\"hello\""),
        CASE("$0\r\n\r\n", "\"\""),
        CASE("$8\r\na\"\\\r\n\0\t\x7f\r\n", "\"a\\\"\\\\\\r\\n\\x00\\t\\x7f\""),
        CASE("$-1\r\n", "(nil)"),
        CASE("*-1\r\n", "(nil-array)"),
        CASE("_\r\n", "(nil)"),
        CASE("*0\r\n", "[]"),
        CASE("*3\r\n:1\r\n$1\r\nx\r\n_\r\n", "[:1, \"x\", (nil)]"),
        CASE("%2\r\n$1\r\nk\r\n$1\r\nv\r\n+n\r\n:1\r\n", "{\"k\": \"v\", +n: :1}"),
        CASE("~2\r\n$1\r\na\r\n:2\r\n", "~[\"a\", :2]"),
        CASE(",3.14\r\n", ",3.14"),
        CASE(",-inf\r\n", ",-inf"),
        CASE("#t\r\n", "#t"),
        CASE("#f\r\n", "#f"),
        CASE("=15\r\ntxt:Some string\r\n", "=txt:Some string"),
        CASE("=10\r\ntxt:a\r\nb\"c\r\n", "=txt:a\\r\\nb\\\"c"),
        CASE("!21\r\nSYNTAX invalid syntax\r\n", "!SYNTAX invalid syntax"),
        CASE("(3492890328409238509324850943850943825024385\r\n",
             "(3492890328409238509324850943850943825024385"),
        CASE(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
             ">[\"message\", \"ch\", \"hi\"]"),
        CASE("|1\r\n$14\r\nkey-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n"
             "*1\r\n$1\r\na\r\n",
             "|{\"key-popularity\": {\"a\": ,0.19}} [\"a\"]"),
        CASE("*3\r\n*1\r\n%0\r\n~0\r\n>0\r\n", "[[{}], ~[], >[]]"),
        CASE("?\r\n", "(bad reply: unexpected type byte 0x3f)"),
        CASE("$x\r\n", "(bad reply: bad length \"x\")"),
        CASE("$2\r\nabc\r\n", "(bad reply: $2 payload not followed by CRLF)"),
    };
#undef CASE
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    raw *r = rawAttach(sv[0]);
    raw *peer = rawAttach(sv[1]);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        REQUIRE(rawSend(peer, cases[i].bytes, cases[i].len));
        CHECK_STR(rawReadReply(r), cases[i].text);
    }
    /* Two replies in one write come out one at a time. */
    REQUIRE(rawSend(peer, "+a\r\n:1\r\n", 8));
    CHECK_STR(rawReadReply(r), "+a");
    CHECK_STR(rawReadReply(r), ":1");
    rawClose(peer);
    CHECK_STR(rawReadReply(r), "(closed)");
}

/* A reply that arrives a few bytes at a time is parsed only once whole. */
TEST(a_reply_split_across_many_writes_is_read_whole) {
    static const char bytes[] = "*2\r\n%1\r\n$3\r\nkey\r\n$5\r\nvalue\r\n,2.5\r\n";
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        for (size_t i = 0; i < sizeof(bytes) - 1; i++) {
            if (write(sv[1], &bytes[i], 1) != 1) _exit(1);
            usleep(500);
        }
        _exit(0);
    }
    close(sv[1]);
    raw *r = rawAttach(sv[0]);
    CHECK_STR(rawReadReply(r), "[{\"key\": \"value\"}, ,2.5]");
    CHECK(rawExpectClosed(r, 2000), "the writer exited, so the pair is closed");
    waitpid(pid, NULL, 0);
}

TEST(a_large_bulk_round_trips_through_both_clients) {
    size_t n = 3 * 1024 * 1024;
    char *big = malloc(n);
    REQUIRE(big != NULL);
    for (size_t i = 0; i < n; i++) big[i] = (char)('a' + i % 26);
    const char *argv[] = { "SET", "big", big };
    size_t lens[] = { 3, 3, n };
    raw *r = rawConnect(s);
    redisContext *c = cliConnect(s);
    EXPECT_RAWV(r, 3, argv, lens, "+OK");
    const char *viaRaw = rawCall(r, "GET big");
    const char *viaCli = cliCall(c, "GET big");
    CHECK(strlen(viaRaw) == n + 2 && viaRaw[0] == '"' &&
          memcmp(viaRaw + 1, big, n) == 0, "raw GET returned %zu bytes",
          strlen(viaRaw));
    CHECK_STR(viaCli, viaRaw);
    free(big);
}

TEST(pipelined_commands_get_their_replies_in_order) {
    raw *r = rawConnect(s);
    static const char batch[] = "*3\r\n$3\r\nSET\r\n$1\r\np\r\n$1\r\n1\r\n"
                                "*2\r\n$4\r\nINCR\r\n$1\r\np\r\n"
                                "PING\r\n"
                                "*2\r\n$3\r\nGET\r\n$1\r\np\r\n";
    REQUIRE(rawSend(r, batch, sizeof(batch) - 1));
    EXPECT_REPLY(r, "+OK");
    EXPECT_REPLY(r, ":2");
    EXPECT_REPLY(r, "+PONG");
    EXPECT_REPLY(r, "\"2\"");
    REQUIRE(rawCmd(r, 3, "SET", "q", "multi word"));
    EXPECT_REPLY(r, "+OK");
    EXPECT_RAWF(r, "\"multi word\"", "GET %s", "q");
}

TEST(a_negative_bulk_length_is_a_protocol_error_that_closes_the_connection) {
    raw *r = rawConnect(s);
    REQUIRE(rawSend(r, "*1\r\n$-5\r\n", 9));
    EXPECT_REPLY(r, "-ERR Protocol error: invalid bulk length");
    CHECK(rawExpectClosed(r, 2000), "the server should close the connection");

    raw *q = rawConnect(s);
    REQUIRE(rawSend(q, "SET 'unbalanced\r\n", 17));
    EXPECT_REPLY(q, "-ERR Protocol error: unbalanced quotes in request");
    CHECK(rawExpectClosed(q, 2000), "the server should close the connection");

    /* The server itself is unharmed. */
    EXPECT_RAW(rawConnect(s), "PING", "+PONG");
}

TEST(a_key_with_a_ttl_disappears_in_time) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET shortlived x PX 30", "+OK");
    EXPECT_MATCH(c, "PTTL shortlived", ":*");
    CHECK(WAIT_FOR(strcmp(cliCall(c, "EXISTS shortlived"), ":0") == 0, 2000),
          "the key still exists after 2 s");
}

TEST(redis_cli_runs_commands_from_arguments_and_from_stdin) {
    char *out;
    int rc = runCmd(&out, "redis-cli -p %d SET fromcli 'hello world'", srvPort(s));
    CHECK(rc == 0, "redis-cli exited with %d: %s", rc, out);
    CHECK_STR(out, "OK\n");
    rc = runCmdInput("GET fromcli\nINCR clicount\nGET nosuchkey\n", &out,
                     "redis-cli -p %d", srvPort(s));
    CHECK(rc == 0, "redis-cli exited with %d: %s", rc, out);
    CHECK_STR(out, "hello world\n1\n\n");
    rc = runCmd(&out, "redis-cli -p %d --no-raw LRANGE nosuchlist 0 -1", srvPort(s));
    CHECK(rc == 0, "redis-cli exited with %d: %s", rc, out);
    CHECK_STR(out, "(empty array)\n");
    rc = runCmd(&out, "exit 3");
    CHECK(rc == 3, "exit status %d", rc);
}

/* requestsPerSecond finds "NAME: <number> requests per second" in
 * redis-benchmark -q output, skipping the "NAME: rps=..." progress lines it
 * writes (separated by \r) while it runs; returns -1 when there is none. */
static double requestsPerSecond(const char *out, const char *name) {
    const char *p = out;
    size_t n = strlen(name);
    while ((p = strstr(p, name)) != NULL) {
        char *end;
        p += n;
        if (strncmp(p, ": ", 2) != 0) continue;
        double rps = strtod(p + 2, &end);
        if (end > p + 2 && strncmp(end, " requests per second", 20) == 0)
            return rps;
    }
    return -1;
}

TEST(redis_benchmark_reports_requests_per_second) {
    char *out;
    int rc = runCmd(&out, "redis-benchmark -p %d -t ping -n 1000 -q", srvPort(s));
    REQUIRE(rc == 0, "redis-benchmark exited with %d: %s", rc, out);
    double inl = requestsPerSecond(out, "PING_INLINE");
    double mbulk = requestsPerSecond(out, "PING_MBULK");
    CHECK(inl > 0, "no PING_INLINE result in: %s", out);
    CHECK(mbulk > 0, "no PING_MBULK result in: %s", out);
}

TEST(a_restarted_server_loads_what_it_saved) {
    srv *t = srvStart("appendonly no");
    redisContext *c = cliConnect(t);
    EXPECT(c, "SET durable yes", "+OK");
    EXPECT(c, "SAVE", "+OK");
    pid_t before = srvPid(t);
    CHECK(srvRestart(t), "restart");
    CHECK(srvPid(t) != before && srvPid(t) > 0, "a new process runs");
    EXPECT(cliConnect(t), "GET durable", "\"yes\"");
    CHECK(!srvLogContains(t, "no such text in any server log"));
    if (srvIsOracle()) CHECK(srvLogContains(t, "Ready to accept connections"));
    CHECK(srvStop(t), "stop");
    CHECK(srvPid(t) == 0, "no process after srvStop");
}

TEST(a_server_killed_by_sigkill_comes_back_with_restart) {
    srv *t = srvStart(NULL);
    EXPECT(cliConnect(t), "SET gone soon", "+OK");
    srvKill(t, SIGKILL);
    CHECK(srvPid(t) == 0);
    CHECK(srvRestart(t));
    EXPECT(cliConnect(t), "GET gone", "(nil)");
}

/* DEBUG PROTOCOL makes Redis emit each RESP3 type on demand; roost does not
 * promise the DEBUG command, so this runs against the oracle only. */
TEST(debug_protocol_types_read_as_the_documented_notation) {
    if (!srvIsOracle()) SKIP("DEBUG PROTOCOL is checked against Redis only");
    srv *t = srvStart("enable-debug-command yes");
    raw *r = rawConnect(t);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "DEBUG PROTOCOL string", "\"Hello World\"");
    EXPECT_RAW(r, "DEBUG PROTOCOL integer", ":12345");
    EXPECT_RAW(r, "DEBUG PROTOCOL double", ",3.141");
    EXPECT_RAW(r, "DEBUG PROTOCOL bignum", "(1234567999999999999999999999999999999");
    EXPECT_RAW(r, "DEBUG PROTOCOL null", "(nil)");
    EXPECT_RAW(r, "DEBUG PROTOCOL array", "[:0, :1, :2]");
    EXPECT_RAW(r, "DEBUG PROTOCOL set", "~[:0, :1, :2]");
    EXPECT_RAW(r, "DEBUG PROTOCOL map", "{:0: #f, :1: #t, :2: #f}");
    EXPECT_RAW(r, "DEBUG PROTOCOL attrib",
               "|{\"key-popularity\": [\"key:123\", :90]} \"Some real reply following the attribute\"");
    EXPECT_RAW(r, "DEBUG PROTOCOL push", ">[\"server-cpu-usage\", :42]");
    EXPECT_REPLY(r, "\"Some real reply following the push reply\"");
    EXPECT_RAW(r, "DEBUG PROTOCOL verbatim", "=txt:This is a verbatim\\nstring");
    EXPECT_RAW(r, "DEBUG PROTOCOL true", "#t");
    EXPECT_RAW(r, "DEBUG PROTOCOL false", "#f");
    CHECK(srvStop(t));
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
