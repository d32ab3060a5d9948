/* test_tools.c — the real redis-cli and redis-benchmark against the server.
 *
 * redis-cli: commands as arguments and on stdin, -x, --no-raw, -3 (RESP3),
 * and --pipe of a million SETs (the mass-insertion path: one huge pipelined
 * stream, then an ECHO with a random token that redis-cli waits for).
 * redis-benchmark: ping, set, get, incr and mset at -P 1 and -P 16, 50
 * clients, 100,000 requests each, against servers with threads 1 and 2; every
 * test must report a rate and nothing may mention an error.
 *
 * The expected outputs are the Debian redis-tools 7.0 programs talking to
 * redis-server 7.0.15 (ROOST_ORACLE=redis); "threads" is a roost-only
 * directive and is left out under the oracle.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static srv *s;       /* defaults */

static const char *threadsLine(int n) {
    return srvIsOracle() ? "" : tfmt("threads %d", n);
}

/* ---- redis-cli ---------------------------------------------------------------- */

TEST(redis_cli_runs_commands_given_as_arguments) {
    int port = srvPort(s);
    char *out = NULL;
    CHECK(runCmd(&out, "redis-cli -p %d SET tools:k hello", port) == 0);
    CHECK_STR(out, "OK\n");
    CHECK(runCmd(&out, "redis-cli -p %d GET tools:k", port) == 0);
    CHECK_STR(out, "hello\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw GET tools:k", port) == 0);
    CHECK_STR(out, "\"hello\"\n");
    CHECK(runCmd(&out, "redis-cli -p %d GET tools:nosuchkey", port) == 0);
    CHECK_STR(out, "\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw GET tools:nosuchkey", port) == 0);
    CHECK_STR(out, "(nil)\n");
    CHECK(runCmd(&out, "redis-cli -p %d ECHO 'two words'", port) == 0);
    CHECK_STR(out, "two words\n");
    CHECK(runCmd(&out, "redis-cli -p %d PING", port) == 0);
    CHECK_STR(out, "PONG\n");
    CHECK(runCmd(&out, "redis-cli -p %d NOSUCHCMD a", port) == 0);
    CHECK_STR(out, "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' \n\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw SET", port) == 0);
    CHECK_STR(out, "(error) ERR wrong number of arguments for 'set' command\n");
}

TEST(redis_cli_reads_commands_and_values_from_stdin) {
    int port = srvPort(s);
    char *out = NULL;
    CHECK(runCmdInput("SET tools:in 1\nGET tools:in\nPING\nECHO \"x y\"\nGET tools:nokey\n", &out,
                      "redis-cli -p %d", port) == 0);
    CHECK_STR(out, "OK\n1\nPONG\nx y\n\n");
    CHECK(runCmdInput("piped\nvalue", &out, "redis-cli -p %d -x SET tools:x", port) == 0);
    CHECK_STR(out, "OK\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw GET tools:x", port) == 0);
    CHECK_STR(out, "\"piped\\nvalue\"\n");
    redisContext *c = cliConnect(s);
    EXPECT(c, "GET tools:x", "\"piped\\nvalue\"");
}

TEST(redis_cli_speaks_resp3_with_dash_3) {
    int port = srvPort(s);
    char *out = NULL;
    CHECK(runCmd(&out, "redis-cli -3 -p %d --no-raw GET tools:nosuchkey", port) == 0);
    CHECK_STR(out, "(nil)\n");
    CHECK(runCmd(&out, "redis-cli -3 -p %d SET tools:r3 v3", port) == 0);
    CHECK_STR(out, "OK\n");
    CHECK(runCmd(&out, "redis-cli -3 -p %d --no-raw GET tools:r3", port) == 0);
    CHECK_STR(out, "\"v3\"\n");
    CHECK(runCmd(&out, "redis-cli -3 -p %d --no-raw HELLO 3", port) == 0);
    CHECK(globMatch("1# \"server\" => \"*\"\n2# \"version\" => \"*\"\n"
                    "3# \"proto\" => (integer) 3\n4# \"id\" => (integer) *\n"
                    "5# \"mode\" => \"standalone\"\n6# \"role\" => \"master\"\n"
                    "7# \"modules\" => (empty array)\n", out), "got:\n%s", out);
}

TEST(redis_cli_pipe_mass_inserts_a_million_sets) {
    harnessSetTimeout(300);
    int old = runCmdSetTimeout(240000);
    srv *sv = srvStart(NULL);
    const char *path = tfmt("%s/mass.resp", sv ? sv->dir : "/tmp");
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL, "%s", path);
    for (int i = 0; i < 1000000; i++)
        fprintf(f, "*3\r\n$3\r\nSET\r\n$11\r\nkey:%07d\r\n$7\r\n%07d\r\n", i, i);
    REQUIRE(fclose(f) == 0);
    char *out = NULL;
    long long t0 = harnessNowMs();
    int rc = runCmd(&out, "redis-cli -p %d --pipe < %s", srvPort(sv), path);
    long long ms = harnessNowMs() - t0;
    CHECK(rc == 0, "redis-cli --pipe exited with %d", rc);
    CHECK(out && strstr(out, "errors: 0, replies: 1000000\n"), "got:\n%s", out ? out : "");
    printf("  --pipe of 1,000,000 SETs: %lld ms\n", ms);
    redisContext *c = cliConnect(sv);
    const char *n = cliCall(c, "DBSIZE");
    if (strncmp(n, "-ERR unknown command", 20) == 0)
        printf("  (no DBSIZE yet: checked sample keys only)\n");
    else
        CHECK_STR(n, ":1000000");
    for (int i = 0; i < 1000000; i += 99991)
        EXPECTF(c, tfmt("\"%07d\"", i), "GET key:%07d", i);
    EXPECT(c, "GET key:0999999", "\"0999999\"");
    EXPECT(c, "GET key:1000000", "(nil)");
    runCmdSetTimeout(old);
    remove(path);
}

/* ---- redis-benchmark ---------------------------------------------------------- */

/* benchmark runs redis-benchmark --csv on the given server and checks that
 * each test reported a rate and nothing mentions an error. */
static void benchmark(srv *sv, int pipeline) {
    static const char *tests[] = {
        "PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)",
    };
    char *out = NULL;
    int rc = runCmd(&out, "redis-benchmark -p %d -t ping,set,get,incr,mset -P %d -c 50 "
                    "-n 100000 --csv", srvPort(sv), pipeline);
    CHECK(rc == 0, "redis-benchmark exited with %d:\n%s", rc, out ? out : "");
    if (!out) return;
    printf("  -P %d:", pipeline);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        const char *key = tfmt("\"%s\",\"", tests[i]);
        const char *line = strstr(out, key);
        double rate = line ? atof(line + strlen(key)) : 0;
        CHECK(rate > 0, "-P %d: no rate for %s", pipeline, tests[i]);
        printf(" %s %.0f", tests[i], rate);
    }
    printf("\n");
    for (char *l = out; *l;) {
        char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        const char *line = tfmt("%.*s", (int)len, l);
        CHECK(!strstr(line, "ERR") && !strcasestr(line, "error"), "-P %d: %s", pipeline, line);
        if (strstr(line, "WARNING")) printf("  (%s)\n", line);
        l += len + (e != NULL);
    }
}

static void benchmarkBoth(int threads) {
    harnessSetTimeout(300);
    int old = runCmdSetTimeout(240000);
    srv *sv = srvStart(threadsLine(threads));
    benchmark(sv, 1);
    benchmark(sv, 16);
    redisContext *c = cliConnect(sv);
    EXPECT(c, "PING", "+PONG");
    runCmdSetTimeout(old);
}

TEST(redis_benchmark_runs_clean_on_one_thread) {
    benchmarkBoth(1);
}

TEST(redis_benchmark_runs_clean_on_two_threads) {
    benchmarkBoth(2);
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
