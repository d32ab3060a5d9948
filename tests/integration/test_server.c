/* test_server.c — the server and introspection commands: TIME, LASTSAVE,
 * SHUTDOWN, MONITOR, DEBUG, SLOWLOG, MEMORY, CONFIG and COMMAND, plus the
 * real redis-cli (argument hints, built from COMMAND DOCS) and
 * redis-benchmark (its CONFIG GET at start-up) against the server.
 *
 * Every expectation was checked against redis-server 7.0.15 with
 * ROOST_ORACLE=redis. Where roost answers differently on purpose the test
 * says so and checks roost's answer only when it is not the oracle:
 *  - COMMAND INFO shows no command tips and derives key-spec flags from the
 *    command flags (cmdDef has no fields for either yet), so only commands
 *    whose Redis tips are empty and whose key specs agree are compared
 *    byte for byte;
 *  - command summaries are roost's own words, so DOCS compares them by glob;
 *  - redis-cli hints for CLIENT KILL include roost's MAXAGE filter.
 */
#include "harness.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static srv *s;

/* ---- helpers ------------------------------------------------------------------------ */

/* replyOf runs a command with hiredis and hands back the reply (freed by the
 * caller) so a test can look inside arrays. */
static redisReply *replyOf(redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    REQUIRE(r != NULL, "no reply to %s", fmt);
    return r;
}

static long long nowMsWall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- TIME, LASTSAVE ------------------------------------------------------------------- */

TEST(time_returns_the_unix_time_in_seconds_and_microseconds) {
    redisContext *c = cliConnect(s);
    redisReply *r = replyOf(c, "TIME");
    REQUIRE(r->type == REDIS_REPLY_ARRAY && r->elements == 2, "TIME: %s", replyText(r));
    REQUIRE(r->element[0]->type == REDIS_REPLY_STRING && r->element[1]->type == REDIS_REPLY_STRING);
    long long secs = atoll(r->element[0]->str), usec = atoll(r->element[1]->str);
    long long now = nowMsWall() / 1000;
    CHECK(secs >= now - 2 && secs <= now + 2, "TIME says %lld, the clock %lld", secs, now);
    CHECK(usec >= 0 && usec < 1000000, "microseconds %lld", usec);
    freeReplyObject(r);
    EXPECT(c, "TIME x", "-ERR wrong number of arguments for 'time' command");
}

TEST(lastsave_returns_a_unix_time_not_in_the_future) {
    redisContext *c = cliConnect(s);
    redisReply *r = replyOf(c, "LASTSAVE");
    REQUIRE(r->type == REDIS_REPLY_INTEGER, "LASTSAVE: %s", replyText(r));
    CHECK(r->integer > 1600000000 && r->integer <= nowMsWall() / 1000 + 1, "%lld", r->integer);
    freeReplyObject(r);
    EXPECT(c, "LASTSAVE x", "-ERR wrong number of arguments for 'lastsave' command");
}

/* ---- SHUTDOWN --------------------------------------------------------------------------- */

TEST(shutdown_refuses_unknown_and_conflicting_options) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SHUTDOWN foo", "-ERR syntax error");
    EXPECT(c, "SHUTDOWN SAVE NOSAVE", "-ERR syntax error");
    EXPECT(c, "SHUTDOWN ABORT NOW", "-ERR syntax error");
    EXPECT(c, "SHUTDOWN ABORT", "-ERR No shutdown in progress.");
    EXPECT(c, "PING", "+PONG");
}

TEST(shutdown_nosave_stops_the_server_without_a_reply) {
    srv *t = srvStart(NULL);
    redisContext *c = cliConnect(t);
    EXPECT(c, "SET k v", "+OK");
    const char *got = cliCall(c, "SHUTDOWN NOSAVE");
    CHECK(!strcmp(got, "(closed)") || !strncmp(got, "(io error", 9), "SHUTDOWN answered %s", got);
    char *out = NULL;
    CHECK(WAIT_FOR(runCmd(&out, "redis-cli -p %d PING", t->port) >= 0 &&
                   strstr(out, "Could not connect") != NULL, 5000),
          "the server still answers: %s", out);
    CHECK(srvStop(t), "the server exited cleanly");
}

/* ---- MONITOR ------------------------------------------------------------------------------ */

TEST(monitor_streams_the_commands_of_other_clients) {
    raw *m = rawConnect(s);
    redisContext *c = cliConnect(s);
    EXPECT_RAW(m, "MONITOR", "+OK");
    EXPECT(c, "SET mon:k \"hello world\"", "+OK");
    EXPECT_REPLY_MATCH(m, "+*.* [0 127.0.0.1:*] \"SET\" \"mon:k\" \"hello world\"");
    EXPECT(c, "GET mon:k", "\"hello world\"");
    EXPECT_REPLY_MATCH(m, "+*.* [0 127.0.0.1:*] \"GET\" \"mon:k\"");
    /* admin commands are not shown; the database number is */
    EXPECT(c, "CONFIG GET maxclients", "[\"maxclients\", \"10000\"]");
    EXPECT(c, "SELECT 3", "+OK");
    /* MONITOR is fed after the command ran, so SELECT shows the new database */
    EXPECT_REPLY_MATCH(m, "+*.* [3 127.0.0.1:*] \"SELECT\" \"3\"");
    const char *bin[] = { "ECHO", "a\"b\\c\r\n\x01" };
    size_t lens[] = { 4, 8 };
    EXPECTV(c, 2, bin, lens, "\"a\\\"b\\\\c\\r\\n\\x01\"");
    EXPECT_REPLY_MATCH(m, "+*.* [3 127.0.0.1:*] \"ECHO\" \"a\\\"b\\\\c\\r\\n\\x01\"");
}

TEST(monitor_clients_show_flag_o_and_stop_getting_lines_when_closed) {
    raw *m = rawConnect(s);
    redisContext *c = cliConnect(s);
    EXPECT_RAW(m, "MONITOR", "+OK");
    EXPECT_MATCH(c, "CLIENT LIST", "*flags=O *cmd=monitor *");
    rawClose(m);
    CHECK(WAIT_FOR(globMatch("*flags=O *", cliCall(c, "CLIENT LIST")) == false, 2000),
          "the monitor is still listed");
    EXPECT(c, "PING", "+PONG");
}

/* ---- DEBUG ----------------------------------------------------------------------------------- */

TEST(debug_is_refused_unless_enable_debug_command_allows_it) {
    srv *t = srvStart(NULL);
    redisContext *c = cliConnect(t);
    EXPECT(c, "DEBUG SLEEP 0",
           "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
           "you can run it from a local connection, otherwise you need to set this option in the "
           "configuration file, and then restart the server.");
    EXPECT(c, "DEBUG", "-ERR wrong number of arguments for 'debug' command");
    srvStop(t);
    srv *l = srvStart("enable-debug-command local");
    EXPECT(cliConnect(l), "DEBUG SLEEP 0", "+OK");
}

TEST(debug_object_describes_the_value_of_a_key) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET dbg:int 1", "+OK");
    EXPECT_MATCH(c, "DEBUG OBJECT dbg:int",
                 "+Value at:0x* refcount:2147483647 encoding:int serializedlength:2 lru:* lru_seconds_idle:*");
    EXPECT(c, "SET dbg:int32 123456", "+OK");
    EXPECT_MATCH(c, "DEBUG OBJECT dbg:int32",
                 "+Value at:0x* refcount:1 encoding:int serializedlength:5 lru:* lru_seconds_idle:*");
    EXPECT(c, "SET dbg:int64 4294967296", "+OK");
    EXPECT_MATCH(c, "DEBUG OBJECT dbg:int64",
                 "+Value at:0x* refcount:1 encoding:int serializedlength:11 lru:* lru_seconds_idle:*");
    EXPECT(c, "SET dbg:emb hello", "+OK");
    EXPECT_MATCH(c, "DEBUG OBJECT dbg:emb",
                 "+Value at:0x* refcount:1 encoding:embstr serializedlength:6 lru:* lru_seconds_idle:*");
    EXPECT(c, "SET dbg:raw abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN", "+OK");
    EXPECT_MATCH(c, "DEBUG OBJECT dbg:raw",
                 "+Value at:0x* refcount:1 encoding:raw serializedlength:51 lru:* lru_seconds_idle:*");
    EXPECT(c, "DEBUG OBJECT dbg:nosuchkey", "-ERR no such key");
    EXPECT(c, "DEBUG OBJECT",
           "-ERR unknown subcommand or wrong number of arguments for 'OBJECT'. Try DEBUG HELP.");
    EXPECT(c, "DEBUG NOSUCH a b",
           "-ERR unknown subcommand or wrong number of arguments for 'NOSUCH'. Try DEBUG HELP.");
}

TEST(debug_sleep_holds_the_reply_for_the_time_asked) {
    redisContext *c = cliConnect(s);
    long long t0 = harnessNowMs();
    EXPECT(c, "DEBUG SLEEP 0.3", "+OK");
    long long took = harnessNowMs() - t0;
    CHECK(took >= 290 && took < 3000, "DEBUG SLEEP 0.3 took %lld ms", took);
    EXPECT(c, "DEBUG SLEEP notanumber", "+OK");
    EXPECT(c, "DEBUG SLEEP 0", "+OK");
}

TEST(debug_set_active_expire_0_leaves_expired_keys_in_memory) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SELECT 7", "+OK");
    EXPECT(c, "DEBUG SET-ACTIVE-EXPIRE 0", "+OK");
    EXPECT(c, "SET dbg:ttl v PX 50", "+OK");
    harnessSleepMs(400);
    EXPECT_MATCH(c, "INFO keyspace", "\"# Keyspace\\r\\n*db7:keys=1,expires=1,avg_ttl=0\\r\\n*\"");
    EXPECT(c, "DEBUG SET-ACTIVE-EXPIRE 1", "+OK");
    CHECK(WAIT_FOR(strstr(cliCall(c, "INFO keyspace"), "db7:") == NULL, 3000),
          "the active cycle did not remove the key: %s", cliCall(c, "INFO keyspace"));
}

TEST(debug_error_log_and_protocol_answer_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "DEBUG ERROR \"BADTHING it went wrong\"", "-BADTHING it went wrong");
    EXPECT(c, "DEBUG LOG \"hello from the test\"", "+OK");
    EXPECT(c, "DEBUG PROTOCOL string", "\"Hello World\"");
    EXPECT(c, "DEBUG PROTOCOL integer", ":12345");
    EXPECT(c, "DEBUG PROTOCOL double", "\"3.141\"");
    EXPECT(c, "DEBUG PROTOCOL bignum", "\"1234567999999999999999999999999999999\"");
    EXPECT(c, "DEBUG PROTOCOL null", "(nil)");
    EXPECT(c, "DEBUG PROTOCOL array", "[:0, :1, :2]");
    EXPECT(c, "DEBUG PROTOCOL set", "[:0, :1, :2]");
    EXPECT(c, "DEBUG PROTOCOL map", "[:0, :0, :1, :1, :2, :0]");
    EXPECT(c, "DEBUG PROTOCOL attrib", "\"Some real reply following the attribute\"");
    EXPECT(c, "DEBUG PROTOCOL push", "-ERR RESP2 is not supported by this command");
    EXPECT(c, "DEBUG PROTOCOL verbatim", "\"This is a verbatim\\nstring\"");
    EXPECT(c, "DEBUG PROTOCOL true", ":1");
    EXPECT(c, "DEBUG PROTOCOL nosuch",
           "-ERR Wrong protocol type name. Please use one of the following: "
           "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    CHECK(WAIT_FOR(srvLogContains(s, "DEBUG LOG: hello from the test"), 2000), "not in the log");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "DEBUG PROTOCOL double", ",3.141");
    EXPECT_RAW(r, "DEBUG PROTOCOL bignum", "(1234567999999999999999999999999999999");
    EXPECT_RAW(r, "DEBUG PROTOCOL null", "(nil)");
    EXPECT_RAW(r, "DEBUG PROTOCOL set", "~[:0, :1, :2]");
    EXPECT_RAW(r, "DEBUG PROTOCOL map", "{:0: #f, :1: #t, :2: #f}");
    EXPECT_RAW(r, "DEBUG PROTOCOL attrib",
               "|{\"key-popularity\": [\"key:123\", :90]} \"Some real reply following the attribute\"");
    EXPECT_RAW(r, "DEBUG PROTOCOL push", ">[\"server-cpu-usage\", :42]");
    EXPECT_REPLY(r, "\"Some real reply following the push reply\"");
    EXPECT_RAW(r, "DEBUG PROTOCOL verbatim", "=txt:This is a verbatim\\nstring");
    EXPECT_RAW(r, "DEBUG PROTOCOL false", "#f");
}

TEST(debug_help_lists_redis_subcommands) {
    redisContext *c = cliConnect(s);
    redisReply *r = replyOf(c, "DEBUG HELP");
    REQUIRE(r->type == REDIS_REPLY_ARRAY, "%s", replyText(r));
    CHECK(r->elements == 106, "%zu lines", r->elements);
    CHECK_STR(r->element[0]->str, "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    CHECK_STR(r->element[81]->str, "SLEEP <seconds>");
    CHECK_STR(r->element[82]->str, "    Stop the server for <seconds>. Decimals allowed.");
    CHECK_STR(r->element[r->elements - 2]->str, "HELP");
    CHECK_STR(r->element[r->elements - 1]->str, "    Prints this help.");
    freeReplyObject(r);
}

/* ---- SLOWLOG ------------------------------------------------------------------------------------ */

TEST(slowlog_records_commands_slower_than_the_threshold) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG SET slowlog-log-slower-than 0", "+OK");
    EXPECT(c, "SLOWLOG RESET", "+OK");
    EXPECT(c, "CLIENT SETNAME slowpoke", "+OK");
    EXPECT(c, "SET slow:k v", "+OK");
    /* the RESET, SETNAME and SET itself (each logged after it ran) */
    EXPECT(c, "SLOWLOG LEN", ":3");
    EXPECT_MATCH(c, "SLOWLOG GET 1",
                 "[[:*, :*, :*, [\"SLOWLOG\", \"LEN\"], \"127.0.0.1:*\", \"slowpoke\"]]");
    EXPECT_MATCH(c, "SLOWLOG GET 3",
                 "[[:*, :*, :*, [\"SLOWLOG\", \"GET\", \"1\"], \"127.0.0.1:*\", \"slowpoke\"], "
                 "[:*, :*, :*, [\"SLOWLOG\", \"LEN\"], \"127.0.0.1:*\", \"slowpoke\"], "
                 "[:*, :*, :*, [\"SET\", \"slow:k\", \"v\"], \"127.0.0.1:*\", \"slowpoke\"]]");
    redisReply *r = replyOf(c, "SLOWLOG GET -1");
    REQUIRE(r->type == REDIS_REPLY_ARRAY && r->elements == 6, "%s", replyText(r));
    long long newest = r->element[0]->element[0]->integer, oldest = r->element[5]->element[0]->integer;
    CHECK(newest == oldest + 5, "ids %lld .. %lld", oldest, newest);
    long long when = r->element[0]->element[1]->integer;
    CHECK(when <= nowMsWall() / 1000 + 1 && when > nowMsWall() / 1000 - 60, "time %lld", when);
    freeReplyObject(r);
    EXPECT(c, "SLOWLOG GET 0", "[]");
    EXPECT(c, "CONFIG SET slowlog-log-slower-than 10000", "+OK");
    EXPECT(c, "SLOWLOG RESET", "+OK");
    EXPECT(c, "SLOWLOG LEN", ":0");
    EXPECT(c, "DEBUG SLEEP 0.02", "+OK");
    EXPECT_MATCH(c, "SLOWLOG GET", "[[:*, :*, :*, [\"DEBUG\", \"SLEEP\", \"0.02\"], \"127.0.0.1:*\", \"slowpoke\"]]");
}

TEST(slowlog_shortens_long_commands_and_keeps_at_most_slowlog_max_len) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG SET slowlog-log-slower-than 0 slowlog-max-len 3", "+OK");
    EXPECT(c, "SLOWLOG RESET", "+OK");
    char big[201];
    memset(big, 'x', 200);
    big[200] = '\0';
    EXPECTF(c, "+OK", "SET slow:big %s", big);
    EXPECT_MATCH(c, "SLOWLOG GET 1",
                 tfmt("[[:*, :*, :*, [\"SET\", \"slow:big\", \"%.128s... (72 more bytes)\"], \"*\", \"\"]]", big));
    const char *argv[40];
    argv[0] = "EXISTS";
    for (int i = 1; i < 40; i++) argv[i] = "a";
    EXPECTV(c, 40, argv, NULL, ":0");
    EXPECT_MATCH(c, "SLOWLOG GET 1",
                 "[[:*, :*, :*, [\"EXISTS\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", "
                 "\"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", "
                 "\"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"... (9 more arguments)\"], \"*\", \"\"]]");
    EXPECT(c, "PING", "+PONG");
    EXPECT(c, "SLOWLOG LEN", ":3");
    EXPECT(c, "CONFIG SET slowlog-log-slower-than 10000 slowlog-max-len 128", "+OK");
}

TEST(slowlog_redacts_passwords_and_sensitive_config_values) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG SET slowlog-log-slower-than 0", "+OK");
    EXPECT(c, "SLOWLOG RESET", "+OK");
    EXPECT(c, "AUTH foo",
           "-ERR AUTH <password> called without any password configured for the default user. "
           "Are you sure your configuration is correct?");
    EXPECT(c, "AUTH default foo", "+OK");
    EXPECT_MATCH(c, "HELLO 2 AUTH default foo SETNAME sec", "[\"server\", *]");
    EXPECT(c, "CONFIG SET masterauth sec maxmemory 0", "+OK");
    EXPECT(c, "CONFIG SET slowlog-log-slower-than 10000 masterauth \"\"", "+OK");
    EXPECT_MATCH(c, "SLOWLOG GET 4",
                 "[[:*, :*, :*, [\"CONFIG\", \"SET\", \"masterauth\", \"(redacted)\", \"maxmemory\", \"0\"], *], "
                 "[:*, :*, :*, [\"HELLO\", \"2\", \"AUTH\", \"(redacted)\", \"(redacted)\", \"SETNAME\", \"sec\"], *], "
                 "[:*, :*, :*, [\"AUTH\", \"(redacted)\", \"(redacted)\"], *], "
                 "[:*, :*, :*, [\"AUTH\", \"(redacted)\"], *]]");
}

TEST(slowlog_errors_and_help_match_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SLOWLOG GET x", "-ERR count should be greater than or equal to -1");
    EXPECT(c, "SLOWLOG GET -2", "-ERR count should be greater than or equal to -1");
    EXPECT(c, "SLOWLOG GET 1 2",
           "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.");
    EXPECT(c, "SLOWLOG LEN x", "-ERR wrong number of arguments for 'slowlog|len' command");
    EXPECT(c, "SLOWLOG foo", "-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.");
    EXPECT(c, "SLOWLOG", "-ERR wrong number of arguments for 'slowlog' command");
    EXPECT(c, "SLOWLOG HELP",
           "[+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, +GET [<count>], "
           "+    Return top <count> entries from the slowlog (default: 10, -1 mean all)., "
           "+    Entries are made of:, "
           "+    id, timestamp, time in microseconds, arguments array, client IP and port,, "
           "+    client name, +LEN, +    Return the length of the slowlog., +RESET, "
           "+    Reset the slowlog., +HELP, +    Prints this help.]");
}

/* ---- MEMORY ------------------------------------------------------------------------------------- */

TEST(memory_usage_measures_a_key) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET mem:k hello", "+OK");
    redisReply *r = replyOf(c, "MEMORY USAGE mem:k");
    REQUIRE(r->type == REDIS_REPLY_INTEGER, "%s", replyText(r));
    CHECK(r->integer >= 16 && r->integer < 256, "%lld bytes", r->integer);
    freeReplyObject(r);
    char big[2001];
    memset(big, 'v', 2000);
    big[2000] = '\0';
    EXPECTF(c, "+OK", "SET mem:big %s", big);
    r = replyOf(c, "MEMORY USAGE mem:big SAMPLES 0");
    REQUIRE(r->type == REDIS_REPLY_INTEGER, "%s", replyText(r));
    CHECK(r->integer >= 2000 && r->integer < 4200, "%lld bytes", r->integer);
    freeReplyObject(r);
    EXPECT(c, "MEMORY USAGE mem:nosuchkey", "(nil)");
    EXPECT(c, "MEMORY USAGE mem:k SAMPLES x", "-ERR value is not an integer or out of range");
    EXPECT(c, "MEMORY USAGE mem:k SAMPLES -1", "-ERR syntax error");
    EXPECT(c, "MEMORY USAGE mem:k foo", "-ERR syntax error");
    EXPECT(c, "MEMORY USAGE", "-ERR wrong number of arguments for 'memory|usage' command");
    EXPECT(c, "MEMORY foo", "-ERR unknown subcommand 'foo'. Try MEMORY HELP.");
}

TEST(memory_stats_doctor_and_help_answer_in_redis_shapes) {
    redisContext *c = cliConnect(s);
    EXPECT_MATCH(c, "MEMORY STATS",
                 "[\"peak.allocated\", :*, \"total.allocated\", :*, \"startup.allocated\", :*, "
                 "\"replication.backlog\", :*, \"clients.slaves\", :*, \"clients.normal\", :*, "
                 "\"cluster.links\", :*, \"aof.buffer\", :*, \"lua.caches\", :*, \"functions.caches\", :*, "
                 "*\"overhead.total\", :*, \"keys.count\", :*, \"keys.bytes-per-key\", :*, "
                 "\"dataset.bytes\", :*, \"dataset.percentage\", \"*\", \"peak.percentage\", \"*\", "
                 "\"allocator.allocated\", :*, \"allocator.active\", :*, \"allocator.resident\", :*, "
                 "\"allocator-fragmentation.ratio\", \"*\", \"allocator-fragmentation.bytes\", :*, "
                 "\"allocator-rss.ratio\", \"*\", \"allocator-rss.bytes\", :*, \"rss-overhead.ratio\", \"*\", "
                 "\"rss-overhead.bytes\", :*, \"fragmentation\", \"*\", \"fragmentation.bytes\", :*]");
    EXPECT_MATCH(c, "MEMORY STATS",
                 "*\"db.0\", [\"overhead.hashtable.main\", :*, \"overhead.hashtable.expires\", :*, "
                 "\"overhead.hashtable.slot-to-keys\", :0]*");
    EXPECT_MATCH(c, "MEMORY DOCTOR", "\"*Sam*\\n\"");
    EXPECT(c, "MEMORY PURGE", "+OK");
    EXPECT(c, "MEMORY HELP",
           "[+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, +DOCTOR, "
           "+    Return memory problems reports., +MALLOC-STATS, "
           "+    Return internal statistics report from the memory allocator., +PURGE, "
           "+    Attempt to purge dirty pages for reclamation by the allocator., +STATS, "
           "+    Return information about the memory usage of the server., "
           "+USAGE <key> [SAMPLES <count>], "
           "+    Return memory in bytes used by <key> and its value. Nested values are, "
           "+    sampled up to <count> times (default: 5, 0 means sample all)., +HELP, "
           "+    Prints this help.]");
    EXPECT(c, "MEMORY DOCTOR x", "-ERR wrong number of arguments for 'memory|doctor' command");
}

/* ---- CONFIG ---------------------------------------------------------------------------------- */

TEST(config_get_and_set_round_trip_several_parameters) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG GET maxmemory", "[\"maxmemory\", \"0\"]");
    EXPECT(c, "CONFIG SET maxmemory 10mb maxmemory-policy allkeys-lru", "+OK");
    EXPECT(c, "CONFIG GET maxmemory", "[\"maxmemory\", \"10485760\"]");
    EXPECT(c, "CONFIG GET maxmemory-policy", "[\"maxmemory-policy\", \"allkeys-lru\"]");
    redisReply *r = replyOf(c, "CONFIG GET maxmemory* hz");
    REQUIRE(r->type == REDIS_REPLY_ARRAY && r->elements % 2 == 0, "%s", replyText(r));
    bool sawHz = false, sawPolicy = false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        if (!strcmp(r->element[i]->str, "hz")) sawHz = !strcmp(r->element[i + 1]->str, "10");
        if (!strcmp(r->element[i]->str, "maxmemory-policy"))
            sawPolicy = !strcmp(r->element[i + 1]->str, "allkeys-lru");
    }
    CHECK(sawHz && sawPolicy, "%s", replyText(r));
    freeReplyObject(r);
    EXPECT(c, "CONFIG SET maxmemory 0 maxmemory-policy noeviction", "+OK");
    EXPECT(c, "CONFIG GET nosuchparameter", "[]");
    EXPECT(c, "CONFIG SET MAXMEMORY 1mb", "+OK");
    EXPECT(c, "CONFIG GET MaxMemory", "[\"MaxMemory\", \"1048576\"]");   /* spelled as asked */
    EXPECT(c, "CONFIG SET maxmemory 0", "+OK");
}

TEST(config_set_errors_are_redis_errors) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG SET foo bar", "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    EXPECT(c, "CONFIG SET maxmemory", "-ERR wrong number of arguments for 'config|set' command");
    EXPECT(c, "CONFIG SET maxmemory 1 hz", "-ERR syntax error");
    EXPECT(c, "CONFIG SET maxmemory lots",
           "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
    EXPECT(c, "CONFIG SET daemonize yes",
           "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
    EXPECT(c, "CONFIG SET dir /tmp",
           "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    /* all or nothing: a bad second value leaves the first unchanged */
    EXPECT(c, "CONFIG SET hz 20 maxmemory lots",
           "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
    EXPECT(c, "CONFIG GET hz", "[\"hz\", \"10\"]");
    EXPECT(c, "CONFIG GET", "-ERR wrong number of arguments for 'config|get' command");
    EXPECT(c, "CONFIG foo", "-ERR unknown subcommand 'foo'. Try CONFIG HELP.");
    EXPECT(c, "CONFIG RESETSTAT x", "-ERR wrong number of arguments for 'config|resetstat' command");
    EXPECT(c, "CONFIG HELP",
           "[+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, +GET <pattern>, "
           "+    Return parameters matching the glob-like <pattern> and their values., "
           "+SET <directive> <value>, +    Set the configuration <directive> to <value>., +RESETSTAT, "
           "+    Reset statistics reported by the INFO command., +REWRITE, "
           "+    Rewrite the configuration file., +HELP, +    Prints this help.]");
}

TEST(config_rewrite_keeps_comments_and_writes_changed_values) {
    srv *t = srvStart("# a comment the rewrite must keep\nmaxmemory 2mb\n# another one");
    redisContext *c = cliConnect(t);
    EXPECT(c, "CONFIG SET maxmemory 3mb maxmemory-samples 7", "+OK");
    EXPECT(c, "CONFIG REWRITE", "+OK");
    char *out = NULL;
    CHECK(runCmd(&out, "cat %s", t->conf) == 0);
    CHECK(strstr(out, "# a comment the rewrite must keep\n") != NULL, "comment lost:\n%s", out);
    CHECK(strstr(out, "# another one\n") != NULL, "comment lost:\n%s", out);
    CHECK(strstr(out, "\nmaxmemory 3mb\n") != NULL, "maxmemory not rewritten:\n%s", out);
    CHECK(strstr(out, "\nmaxmemory-samples 7\n") != NULL, "maxmemory-samples missing:\n%s", out);
    CHECK(strstr(out, "maxmemory 2mb") == NULL, "old value kept:\n%s", out);
    /* (srvRestart would write the harness's config again: not a check of
     * the rewritten file, so none here) */
}

TEST(config_get_answers_a_map_in_resp3) {
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "CONFIG GET maxclients", "{\"maxclients\": \"10000\"}");
    EXPECT_RAW(r, "CONFIG GET nosuchparameter", "{}");
}

TEST(redis_benchmark_fetches_the_server_config_without_warnings) {
    char *out = NULL;
    int rc = runCmd(&out, "redis-benchmark -p %d -t set,get -n 2000 -q", srvPort(s));
    CHECK(rc == 0, "redis-benchmark exited with %d: %s", rc, out);
    CHECK(strstr(out, "WARNING") == NULL, "%s", out);
    CHECK(strstr(out, "Could not fetch") == NULL, "%s", out);
    CHECK(strstr(out, "SET: ") != NULL && strstr(out, "GET: ") != NULL, "%s", out);
}

/* ---- COMMAND ------------------------------------------------------------------------------------- */

TEST(command_count_matches_the_commands_command_lists) {
    redisContext *c = cliConnect(s);
    redisReply *count = replyOf(c, "COMMAND COUNT");
    redisReply *all = replyOf(c, "COMMAND");
    redisReply *info = replyOf(c, "COMMAND INFO");
    redisReply *list = replyOf(c, "COMMAND LIST");
    REQUIRE(count->type == REDIS_REPLY_INTEGER && all->type == REDIS_REPLY_ARRAY);
    CHECK(count->integer > 20, "%lld commands", count->integer);
    CHECK((long long)all->elements == count->integer, "%zu vs %lld", all->elements, count->integer);
    CHECK(info->type == REDIS_REPLY_ARRAY && info->elements == all->elements);
    /* COMMAND DOCS nests deeper than hiredis 0.14 reads: count its entries
     * (commands and subcommands each have one "group") on a raw client */
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    const char *docs = rawCall(r, "COMMAND DOCS");
    size_t groups = 0;
    for (const char *p = docs; (p = strstr(p, "\"group\": ")) != NULL; p++) groups++;
    CHECK(list->type == REDIS_REPLY_ARRAY && groups == list->elements,
          "DOCS has %zu entries, COMMAND LIST %zu names", groups, list->elements);
    CHECK(docs[0] == '{', "%.80s", docs);
    for (size_t i = 0; i < all->elements; i++) {
        redisReply *e = all->element[i];
        CHECK(e->type == REDIS_REPLY_ARRAY && e->elements == 10, "entry %zu", i);
    }
    freeReplyObject(count);
    freeReplyObject(all);
    freeReplyObject(info);
    freeReplyObject(list);
    EXPECT(c, "COMMAND COUNT x", "-ERR wrong number of arguments for 'command|count' command");
    EXPECT(c, "COMMAND foo", "-ERR unknown subcommand 'foo'. Try COMMAND HELP.");
}

TEST(command_info_describes_commands_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "COMMAND INFO get",
           "[[\"get\", :2, [+readonly, +fast], :1, :1, :1, [+@read, +@string, +@fast], [], "
           "[[\"flags\", [+RO, +access], \"begin_search\", [\"type\", \"index\", \"spec\", [\"index\", :1]], "
           "\"find_keys\", [\"type\", \"range\", \"spec\", [\"lastkey\", :0, \"keystep\", :1, \"limit\", :0]]]], []]]");
    EXPECT(c, "COMMAND INFO client|setname CONFIG|GET nosuchcommand monitor",
           "[[\"client|setname\", :3, [+noscript, +loading, +stale], :0, :0, :0, [+@slow, +@connection], "
           "[], [], []], "
           "[\"config|get\", :-3, [+admin, +noscript, +loading, +stale], :0, :0, :0, "
           "[+@admin, +@slow, +@dangerous], [], [], []], (nil), "
           "[\"monitor\", :1, [+admin, +noscript, +loading, +stale], :0, :0, :0, "
           "[+@admin, +@slow, +@dangerous], [], [], []]]");
    EXPECT(c, "COMMAND INFO debug",
           "[[\"debug\", :-2, [+admin, +noscript, +loading, +stale], :0, :0, :0, "
           "[+@admin, +@slow, +@dangerous], [], [], []]]");
    EXPECT_MATCH(c, "COMMAND INFO config",
                 "[[\"config\", :-2, [], :0, :0, :0, [+@slow], [], [], [[\"config|*\", *]]]");
    if (!srvIsOracle())   /* roost: no tips (Redis has request_policy / response_policy) */
        EXPECT(c, "COMMAND INFO slowlog|help",
               "[[\"slowlog|help\", :2, [+loading, +stale], :0, :0, :0, [+@slow], [], [], []]]");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "COMMAND INFO get nosuchcommand",
               "[[\"get\", :2, ~[+readonly, +fast], :1, :1, :1, ~[+@read, +@string, +@fast], ~[], "
               "~[{\"flags\": ~[+RO, +access], \"begin_search\": {\"type\": \"index\", \"spec\": {\"index\": :1}}, "
               "\"find_keys\": {\"type\": \"range\", \"spec\": {\"lastkey\": :0, \"keystep\": :1, \"limit\": :0}}}], "
               "~[]], (nil)]");
}

TEST(command_docs_describe_arguments_for_redis_cli) {
    redisContext *c = cliConnect(s);
    EXPECT_MATCH(c, "COMMAND DOCS client|reply",
                 "[\"client|reply\", [\"summary\", \"*\", \"since\", \"3.2.0\", \"group\", \"connection\", "
                 "\"complexity\", \"O(1)\", \"arguments\", [[\"name\", \"on_off_skip\", \"type\", \"oneof\", "
                 "\"arguments\", [[\"name\", \"on\", \"type\", \"pure-token\", \"token\", \"ON\"], "
                 "[\"name\", \"off\", \"type\", \"pure-token\", \"token\", \"OFF\"], "
                 "[\"name\", \"skip\", \"type\", \"pure-token\", \"token\", \"SKIP\"]]]]]]");
    EXPECT_MATCH(c, "COMMAND DOCS memory|usage nosuchcommand",
                 "[\"memory|usage\", [\"summary\", \"*\", \"since\", \"4.0.0\", \"group\", \"server\", "
                 "\"complexity\", \"O(N) where N is the number of samples.\", \"arguments\", "
                 "[[\"name\", \"key\", \"type\", \"key\", \"key_spec_index\", :0], "
                 "[\"name\", \"count\", \"type\", \"integer\", \"token\", \"SAMPLES\", \"flags\", [+optional]]]]]");
    EXPECT_MATCH(c, "COMMAND DOCS slowlog",
                 "[\"slowlog\", [\"summary\", \"*\", \"since\", \"2.2.12\", \"group\", \"server\", "
                 "\"complexity\", \"Depends on subcommand.\", \"subcommands\", [\"slowlog|*\", [*]]]]");
    EXPECT(c, "COMMAND DOCS nosuchcommand", "[]");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW_MATCH(r, "COMMAND DOCS memory|usage",
                     "{\"memory|usage\": {\"summary\": \"*\", \"since\": \"4.0.0\", \"group\": \"server\", "
                     "\"complexity\": \"O(N) where N is the number of samples.\", \"arguments\": "
                     "[{\"name\": \"key\", \"type\": \"key\", \"key_spec_index\": :0}, "
                     "{\"name\": \"count\", \"type\": \"integer\", \"token\": \"SAMPLES\", \"flags\": ~[+optional]}]}}");
}

TEST(command_list_filters_by_pattern_category_and_module) {
    redisContext *c = cliConnect(s);
    redisReply *r = replyOf(c, "COMMAND LIST FILTERBY PATTERN slowlog*");
    CHECK_STR(replySorted(r), "slowlog slowlog|get slowlog|help slowlog|len slowlog|reset");
    freeReplyObject(r);
    r = replyOf(c, "COMMAND LIST FILTERBY PATTERN CONFIG|*E*");
    CHECK_STR(replySorted(r), "config|get config|help config|resetstat config|rewrite config|set");
    freeReplyObject(r);
    r = replyOf(c, "COMMAND LIST FILTERBY ACLCAT connection");
    const char *names = replySorted(r);
    CHECK(strstr(names, "client|kill") && strstr(names, "ping") && strstr(names, "command|docs") &&
          !strstr(names, "config|get"), "%s", names);
    freeReplyObject(r);
    r = replyOf(c, "COMMAND LIST");
    redisReply *count = replyOf(c, "COMMAND COUNT");
    CHECK(r->type == REDIS_REPLY_ARRAY && (long long)r->elements > count->integer, "%zu names", r->elements);
    freeReplyObject(r);
    freeReplyObject(count);
    EXPECT(c, "COMMAND LIST FILTERBY ACLCAT nosuchcategory", "[]");
    EXPECT(c, "COMMAND LIST FILTERBY MODULE nosuchmodule", "[]");
    EXPECT(c, "COMMAND LIST FILTERBY foo x", "-ERR syntax error");
    EXPECT(c, "COMMAND LIST foo", "-ERR syntax error");
    EXPECT(c, "COMMAND LIST FILTERBY ACLCAT", "-ERR syntax error");
}

TEST(command_getkeys_finds_the_keys_of_a_command_line) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "COMMAND GETKEYS SET a b", "[\"a\"]");
    EXPECT(c, "COMMAND GETKEYS memory usage k", "[\"k\"]");
    EXPECT(c, "COMMAND GETKEYSANDFLAGS get k", "[[\"k\", [+RO, +access]]]");
    EXPECT(c, "COMMAND GETKEYS nosuchcommand a", "-ERR Invalid command specified");
    EXPECT(c, "COMMAND GETKEYS memory foo k", "-ERR Invalid command specified");
    EXPECT(c, "COMMAND GETKEYS config|get x", "-ERR Invalid command specified");
    EXPECT(c, "COMMAND GETKEYS client kill x", "-ERR The command has no key arguments");
    EXPECT(c, "COMMAND GETKEYS ping x", "-ERR The command has no key arguments");
    EXPECT(c, "COMMAND GETKEYS memory usage", "-ERR Invalid number of arguments specified for command");
    EXPECT(c, "COMMAND GETKEYS set a", "-ERR Invalid number of arguments specified for command");
    EXPECT(c, "COMMAND GETKEYS get", "-ERR wrong number of arguments for 'command|getkeys' command");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "COMMAND GETKEYSANDFLAGS get k", "[[\"k\", ~[+RO, +access]]]");
}

TEST(command_help_matches_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "COMMAND HELP",
           "[+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, +(no subcommand), "
           "+    Return details about all Redis commands., +COUNT, "
           "+    Return the total number of commands in this Redis server., +LIST, "
           "+    Return a list of all commands in this Redis server., +INFO [<command-name> ...], "
           "+    Return details about multiple Redis commands., "
           "+    If no command names are given, documentation details for all, +    commands are returned., "
           "+DOCS [<command-name> ...], +    Return documentation details about multiple Redis commands., "
           "+    If no command names are given, documentation details for all, +    commands are returned., "
           "+GETKEYS <full-command>, +    Return the keys from a full Redis command., "
           "+GETKEYSANDFLAGS <full-command>, "
           "+    Return the keys and the access flags from a full Redis command., +HELP, "
           "+    Prints this help.]");
}

/* ---- redis-cli hints ------------------------------------------------------------------------ */

/* cliTyping runs an interactive redis-cli in a pseudo-terminal 300 columns
 * wide, types `text` one character at a time and returns everything the
 * terminal showed (hints are drawn after the typed text in dark grey).
 * Cursor-position queries are answered as a terminal would. */
static const char *cliTyping(int port, const char *text) {
    struct winsize ws = { .ws_row = 50, .ws_col = 300 };
    int fd;
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    REQUIRE(pid >= 0, "forkpty failed");
    if (pid == 0) {
        char p[16];
        snprintf(p, sizeof p, "%d", port);
        setenv("TERM", "xterm", 1);
        setenv("REDISCLI_HISTFILE", "/dev/null", 1);
        setenv("REDISCLI_RCFILE", "/dev/null", 1);
        execlp("redis-cli", "redis-cli", "-p", p, (char *)NULL);
        _exit(127);
    }
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    long long deadline = harnessNowMs() + 5000;
    size_t typed = 0, n = strlen(text);
    bool prompt = false;
    long long lastKey = 0;
    while (harnessNowMs() < deadline) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (poll(&pfd, 1, 20) > 0) {
            ssize_t got = read(fd, out + len, cap - len - 1);
            if (got <= 0) break;
            len += (size_t)got;
            out[len] = '\0';
            if (strstr(out + len - (size_t)got, "\x1b[6n")) {
                ssize_t w = write(fd, "\x1b[1;300R", 8);
                (void)w;
            }
            if (!prompt && strstr(out, "> ")) prompt = true;
        }
        if (prompt && typed < n && harnessNowMs() - lastKey > 30) {
            ssize_t w = write(fd, text + typed, 1);
            (void)w;
            typed++;
            lastKey = harnessNowMs();
        }
        if (typed == n && harnessNowMs() - lastKey > 300) break;
    }
    ssize_t w = write(fd, "\x03\x04", 2);
    (void)w;
    harnessSleepMs(100);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    close(fd);
    const char *res = tfmt("%s", out);
    free(out);
    return res;
}

TEST(redis_cli_shows_argument_hints_from_command_docs) {
    int port = srvPort(s);
    const char *t = cliTyping(port, "CONFIG SET ");
    CHECK(strstr(t, "parameter value [parameter value ...]") != NULL, "no hint in: %s", t);
    t = cliTyping(port, "MEMORY USAGE ");
    CHECK(strstr(t, "key [SAMPLES count]") != NULL, "no hint in: %s", t);
    t = cliTyping(port, "CLIENT NO-EVICT ");
    CHECK(strstr(t, "ON|OFF") != NULL, "no hint in: %s", t);
    t = cliTyping(port, "CLIENT KILL ");
    CHECK(strstr(t, "[SKIPME yes/no]") != NULL, "no hint in: %s", t);
    /* roost's own filter can only come from roost's COMMAND DOCS, not from
     * redis-cli's built-in table */
    if (!srvIsOracle()) CHECK(strstr(t, "[MAXAGE maxage]") != NULL, "no MAXAGE in: %s", t);
}

int main(int argc, char **argv) {
    s = srvStart("enable-debug-command yes");
    return harnessMain(argc, argv);
}
