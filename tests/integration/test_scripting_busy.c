/* test_scripting_busy.c — scripts that run too long: busy-reply-threshold
 * (and its old name lua-time-limit), the -BUSY error other clients get
 * while an endless EVAL or FCALL runs (worded for SCRIPT KILL or FUNCTION
 * KILL after what runs), the commands Redis still serves while busy (AUTH,
 * HELLO, MULTI, WATCH, UNWATCH, DISCARD, RESET, QUIT, SHUTDOWN ABORT, and
 * FUNCTION STATS during a function), SCRIPT KILL and FUNCTION KILL and the
 * error each gives for the other kind, the killed client's error reply and
 * its pipelined commands, a kill that pcall cannot catch, scripts that
 * wrote and so are -UNKILLABLE, SHUTDOWN NOSAVE ending such a server (it
 * really exits), and 50 connected clients that get BUSY and then PONG.
 *
 * Written against redis-server 7.0.15 (ROOST_ORACLE=redis) before roost
 * implemented it; every expectation is what Redis answered.
 *
 * Servers run with busy-reply-threshold 100 (and, for roost, threads 4).
 * The looping client is a raw client: its EVAL or FCALL is sent with
 * rawCmdLine and its reply read after the kill with EXPECT_REPLY. waitBusy
 * polls PING from another client until it answers -BUSY, so no test
 * sleeps to let a script become busy; each test waits for the kill to take
 * effect before it ends, so the next one finds the server idle.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static srv *s;                  /* busy-reply-threshold 100 */

#define BUSY_EVAL "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
#define BUSY_FUNCTION "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
#define UNKILLABLE "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can " \
                   "either wait the script termination or kill the server in a hard way using the SHUTDOWN " \
                   "NOSAVE command."
#define KILLED "-ERR Script killed by user with SCRIPT KILL..."
#define NOTBUSY "-NOTBUSY No scripts in execution right now."
#define SPIN "while true do end"

/* the library of endless functions */
#define SPIN_LIB                                                               \
    "#!lua name=spinlib\n"                                                     \
    "redis.register_function{function_name = 'spin', callback = function() while true do end end, " \
    "flags = {'no-writes'}}\n"                                                 \
    "redis.register_function('spinw', function(k) redis.call('SET', k[1], '1') while true do end end)"

/* ---- helpers ---------------------------------------------------------------------- */

static const char *busyConfig(void) {
    return srvIsOracle() ? "busy-reply-threshold 100" : "busy-reply-threshold 100\nthreads 4";
}

/* killedEval is the reply of an EVAL of `script` that SCRIPT KILL ended. */
static const char *killedEval(const char *script) {
    return tfmt(KILLED " script: %s, on @user_script:1.", sha1Hex(script));
}

/* pending: has the raw client something to read right now? */
static bool pending(raw *r) {
    struct pollfd p = { rawFd(r), POLLIN, 0 };
    return poll(&p, 1, 0) == 1;
}

/* startLoop sends `cmd` (formatted like cliCallf, e.g. "EVAL %s 0") on a
 * new raw client and waits, through PING on c, until the server answers
 * -BUSY; returns the looping client. Ends the test if it never does, or if
 * the looping command answered instead. */
#define startLoop(sv, c, ...) startLoopAt(__FILE__, __LINE__, (sv), (c), __VA_ARGS__)
static raw *startLoopAt(const char *file, int line, srv *sv, redisContext *c, const char *fmt, ...) {
    raw *r = rawConnect(sv);
    char *cmd = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = redisvFormatCommand(&cmd, fmt, ap);
    va_end(ap);
    if (n < 0 || !rawSend(r, cmd, (size_t)n)) {
        harnessFail(file, line, "could not send the looping command");
        harnessAbortTest();
    }
    redisFreeCommand(cmd);
    const char *got = "";
    if (!WAIT_FOR(pending(r) || strncmp(got = cliCall(c, "PING"), "-BUSY", 5) == 0, 5000) || pending(r)) {
        harnessFail(file, line, "the server never became busy; PING answers %s, the looping client %s", got,
                    pending(r) ? rawReadReply(r) : "nothing");
        harnessAbortTest();
    }
    return r;
}

/* loadSpin loads the endless functions (again) on sv. */
static void loadSpin(redisContext *c) {
    EXPECTF(c, "\"spinlib\"", "FUNCTION LOAD REPLACE %s", SPIN_LIB);
}

/* portOpen: does something accept connections on 127.0.0.1:port? */
static bool portOpen(int port) {
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool open = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0) close(fd);
    return open;
}

/* exited: has process pid ended (a zombie its parent, this program, has not
 * reaped yet, or gone)? */
static bool exited(pid_t pid) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return true;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* shutdownNosave sends SHUTDOWN NOSAVE on c and checks that the server
 * closes c, stops listening, exits on its own and, reaped, exited cleanly. */
static void shutdownNosave(srv *sv, redisContext *c) {
    const char *got = cliCall(c, "SHUTDOWN NOSAVE");
    CHECK(!strcmp(got, "(closed)") || !strncmp(got, "(io error", 9), "SHUTDOWN NOSAVE answered %s", got);
    CHECK(WAIT_FOR(!portOpen(sv->port), 5000), "the server still accepts connections");
    CHECK(WAIT_FOR(exited(srvPid(sv)), 5000), "the server process did not exit");
    CHECK(srvStop(sv), "the server exited cleanly");
}

/* ---- the threshold ---------------------------------------------------------------- */

TEST(busy_reply_threshold_is_also_read_and_set_as_lua_time_limit) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG GET busy-reply-threshold", "[\"busy-reply-threshold\", \"100\"]");
    EXPECT(c, "CONFIG GET lua-time-limit", "[\"lua-time-limit\", \"100\"]");
    EXPECT(c, "CONFIG SET lua-time-limit 250", "+OK");
    EXPECT(c, "CONFIG GET busy-reply-threshold", "[\"busy-reply-threshold\", \"250\"]");
    EXPECT(c, "CONFIG SET busy-reply-threshold 100", "+OK");
    EXPECT(c, "CONFIG GET lua-time-limit", "[\"lua-time-limit\", \"100\"]");
}

/* ---- EVAL and SCRIPT KILL ------------------------------------------------------------ */

TEST(an_endless_script_makes_other_clients_busy_until_script_kill) {
    redisContext *c = cliConnect(s);
    raw *loop = startLoop(s, c, "EVAL %s 0", SPIN);
    EXPECT(c, "PING", BUSY_EVAL);
    EXPECT(c, "GET bz:k", BUSY_EVAL);
    EXPECT(c, "SET bz:k v", BUSY_EVAL);
    EXPECT(c, "EVAL \"return 1\" 0", BUSY_EVAL);
    EXPECT(c, "FCALL spin 0", BUSY_EVAL);
    EXPECT(c, "SCRIPT LOAD \"return 1\"", BUSY_EVAL);
    EXPECT(c, "INFO server", BUSY_EVAL);
    EXPECT(c, "CLIENT LIST", BUSY_EVAL);
    EXPECT(c, "CONFIG GET port", BUSY_EVAL);
    EXPECT(c, "SELECT 1", BUSY_EVAL);
    EXPECT(c, "SUBSCRIBE bz:ch", BUSY_EVAL);
    /* FUNCTION KILL and FUNCTION STATS point at SCRIPT KILL */
    EXPECT(c, "FUNCTION KILL", BUSY_EVAL);
    EXPECT(c, "FUNCTION STATS", BUSY_EVAL);
    EXPECT(c, "SCRIPT KILL x", "-ERR wrong number of arguments for 'script|kill' command");
    EXPECT(c, "SCRIPT KILL", "+OK");
    EXPECT_REPLY(loop, killedEval(SPIN));
    EXPECT(c, "PING", "+PONG");
    EXPECT(c, "SCRIPT KILL", NOTBUSY);
    EXPECT_RAW(loop, "PING", "+PONG");                      /* the killed client goes on */
    EXPECT(c, "SET bz:k v", "+OK");
}

TEST(commands_pipelined_behind_a_killed_script_run_after_it) {
    redisContext *c = cliConnect(s);
    const char *script = "local n = 0 while true do n = n + 1 end";
    raw *loop = startLoop(s, c, "EVAL %s 0", script);
    CHECK(rawCmdLine(loop, "SET bzp:k after"));
    CHECK(rawCmdLine(loop, "GET bzp:k"));
    EXPECT(c, "SCRIPT KILL", "+OK");
    EXPECT_REPLY(loop, killedEval(script));
    EXPECT_REPLY(loop, "+OK");
    EXPECT_REPLY(loop, "\"after\"");
}

TEST(pcall_cannot_catch_script_kill) {
    redisContext *c = cliConnect(s);
    const char *script = "local n = 0 while true do local ok, e = pcall(function() while true do end end) n = n + 1 end";
    raw *loop = startLoop(s, c, "EVAL %s 0", script);
    EXPECT(c, "SCRIPT KILL", "+OK");
    EXPECT_REPLY(loop, killedEval(script));
    EXPECT(c, "PING", "+PONG");
    const char *calls = "while true do local ok, e = pcall(redis.call, 'PING') end";
    loop = startLoop(s, c, "EVAL %s 0", calls);
    EXPECT(c, "SCRIPT KILL", "+OK");
    EXPECT_REPLY(loop, killedEval(calls));
    EXPECT(c, "PING", "+PONG");
}

TEST(auth_hello_multi_watch_reset_and_quit_are_served_while_busy) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnect(s);
    raw *loop = startLoop(s, c, "EVAL %s 0", SPIN);
    EXPECT_RAW(r, "AUTH x", "-ERR AUTH <password> called without any password configured for the default "
                            "user. Are you sure your configuration is correct?");
    EXPECT_RAW(r, "AUTH default anything", "+OK");         /* the default user has nopass */
    EXPECT_RAW_MATCH(r, "HELLO 3", "{\"server\": \"redis\", \"version\": \"*\", \"proto\": :3, \"id\": :*, "
                                   "\"mode\": \"standalone\", \"role\": \"master\", \"modules\": []}");
    EXPECT_RAW_MATCH(r, "HELLO 2", "[\"server\", \"redis\", \"version\", \"*\", \"proto\", :2, \"id\", :*, "
                                   "\"mode\", \"standalone\", \"role\", \"master\", \"modules\", []]");
    EXPECT_RAW(r, "HELLO 4", "-NOPROTO unsupported protocol version");
    /* a transaction can be opened, but what it would queue is refused */
    EXPECT_RAW(r, "MULTI", "+OK");
    EXPECT_RAW(r, "SET bza:k 1", BUSY_EVAL);
    EXPECT_RAW(r, "EXEC", "-EXECABORT Transaction discarded because of: BUSY Redis is busy running a script. "
                          "You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
    EXPECT_RAW(r, "MULTI", "+OK");
    EXPECT_RAW(r, "DISCARD", "+OK");
    EXPECT_RAW(r, "WATCH bza:k", "+OK");
    EXPECT_RAW(r, "UNWATCH", "+OK");
    EXPECT_RAW(r, "SHUTDOWN ABORT", "-ERR No shutdown in progress.");
    EXPECT_RAW(r, "SHUTDOWN", BUSY_EVAL);
    EXPECT_RAW(r, "SHUTDOWN SAVE", BUSY_EVAL);
    EXPECT_RAW(r, "RESET", "+RESET");
    EXPECT_RAW(r, "QUIT", "+OK");
    CHECK(rawExpectClosed(r, 2000), "QUIT did not close the connection");
    EXPECT(c, "SCRIPT KILL", "+OK");
    EXPECT_REPLY(loop, killedEval(SPIN));
    EXPECT(c, "EXISTS bza:k", ":0");
}

TEST(fifty_clients_get_busy_during_the_script_and_pong_after_it) {
    enum { CLIENTS = 50 };
    redisContext *c = cliConnect(s);
    redisContext *many[CLIENTS];
    for (int i = 0; i < CLIENTS / 2; i++) many[i] = cliConnect(s);
    raw *loop = startLoop(s, c, "EVAL %s 0", SPIN);
    for (int i = CLIENTS / 2; i < CLIENTS; i++) many[i] = cliConnect(s);   /* connected while busy */
    for (int i = 0; i < CLIENTS; i++) {
        redisAppendCommand(many[i], "PING");
        redisAppendCommand(many[i], "INCR bzm:n");
        redisAppendCommand(many[i], "EVAL %s 0", "return 1");
    }
    for (int i = 0; i < CLIENTS; i++)
        for (int k = 0; k < 3; k++) {
            redisReply *r = NULL;
            redisGetReply(many[i], (void **)&r);
            CHECK_STR(replyText(r), BUSY_EVAL);
            if (r) freeReplyObject(r);
        }
    EXPECT(c, "SCRIPT KILL", "+OK");
    EXPECT_REPLY(loop, killedEval(SPIN));
    for (int i = 0; i < CLIENTS; i++) {
        EXPECT(many[i], "PING", "+PONG");
        EXPECTF(many[i], tfmt(":%d", i + 1), "INCR bzm:n");
    }
}

/* ---- FCALL and FUNCTION KILL --------------------------------------------------------- */

TEST(an_endless_function_is_stopped_by_function_kill_not_script_kill) {
    redisContext *c = cliConnect(s);
    raw *r3 = rawConnectResp3(s);
    loadSpin(c);
    raw *loop = startLoop(s, c, "FCALL_RO spin 1 bzf:key bzf:arg");
    EXPECT(c, "PING", BUSY_FUNCTION);
    EXPECT(c, "EVAL \"return 1\" 0", BUSY_FUNCTION);
    EXPECT(c, "SCRIPT KILL", BUSY_FUNCTION);
    EXPECT_MATCH(c, "FUNCTION STATS",
                 "[\"running_script\", [\"name\", \"spin\", \"command\", [\"FCALL_RO\", \"spin\", \"1\", "
                 "\"bzf:key\", \"bzf:arg\"], \"duration_ms\", :*], \"engines\", [\"LUA\", [\"libraries_count\", "
                 ":1, \"functions_count\", :2]]]");
    EXPECT_RAW_MATCH(r3, "FUNCTION STATS",
                     "{\"running_script\": {\"name\": \"spin\", \"command\": [\"FCALL_RO\", \"spin\", \"1\", "
                     "\"bzf:key\", \"bzf:arg\"], \"duration_ms\": :*}, \"engines\": {\"LUA\": "
                     "{\"libraries_count\": :1, \"functions_count\": :2}}}");
    const char *stats = cliCall(c, "FUNCTION STATS");
    const char *ms = strstr(stats, "\"duration_ms\", :");
    CHECK(ms && atoll(ms + 16) >= 100, "duration_ms in %s", stats);
    EXPECT(c, "FUNCTION KILL", "+OK");
    EXPECT_REPLY(loop, KILLED " script: spin, on @user_function:2.");
    EXPECT(c, "PING", "+PONG");
    EXPECT(c, "FUNCTION KILL", NOTBUSY);
    EXPECT(c, "FUNCTION STATS", "[\"running_script\", (nil), \"engines\", [\"LUA\", [\"libraries_count\", :1, "
                                "\"functions_count\", :2]]]");
    EXPECT_RAW(loop, "PING", "+PONG");
}

/* ---- scripts that wrote --------------------------------------------------------------- */

TEST(a_script_that_wrote_cannot_be_killed_and_shutdown_nosave_ends_the_server) {
    srv *sv = srvStart(busyConfig());
    redisContext *c = cliConnect(sv);
    raw *loop = startLoop(sv, c, "EVAL %s 0", "redis.call('SET', 'bzw:k', '1') while true do end");
    EXPECT(c, "SCRIPT KILL", UNKILLABLE);
    EXPECT(c, "FUNCTION KILL", UNKILLABLE);
    EXPECT(c, "GET bzw:k", BUSY_EVAL);
    EXPECT(c, "SHUTDOWN", BUSY_EVAL);
    EXPECT(c, "SHUTDOWN SAVE", BUSY_EVAL);
    EXPECT(c, "SCRIPT KILL", UNKILLABLE);                   /* still running */
    shutdownNosave(sv, c);
    CHECK(rawExpectClosed(loop, 2000), "the looping client was not closed");
}

TEST(a_function_that_wrote_cannot_be_killed_and_shutdown_nosave_ends_the_server) {
    srv *sv = srvStart(busyConfig());
    redisContext *c = cliConnect(sv);
    loadSpin(c);
    raw *loop = startLoop(sv, c, "FCALL spinw 1 bzw:k");
    EXPECT(c, "FUNCTION KILL", UNKILLABLE);
    EXPECT(c, "SCRIPT KILL", UNKILLABLE);
    EXPECT(c, "PING", BUSY_FUNCTION);
    EXPECT(c, "SHUTDOWN", BUSY_FUNCTION);
    shutdownNosave(sv, c);
    CHECK(rawExpectClosed(loop, 2000), "the looping client was not closed");
}

TEST(shutdown_nosave_also_ends_a_server_busy_with_a_read_only_script) {
    srv *sv = srvStart(busyConfig());
    redisContext *c = cliConnect(sv);
    raw *loop = startLoop(sv, c, "EVAL %s 0", SPIN);
    shutdownNosave(sv, c);
    CHECK(rawExpectClosed(loop, 2000), "the looping client was not closed");
}

int main(int argc, char **argv) {
    s = srvStart(busyConfig());
    return harnessMain(argc, argv);
}
