/* harness.h — the integration-test harness: servers, clients, expectations.
 *
 * Every tests/integration/test_<area>.c is one program linked with harness.c
 * and -lhiredis. It registers its tests with TEST(), starts the server(s) it
 * needs, and hands control to harnessMain, which runs the tests in source
 * order and ends with the exact line "N passed, N failed" (tests/run parses
 * it). A test file looks like this:
 *
 *     #include "harness.h"
 *
 *     static srv *s;                        // this file's server
 *
 *     TEST(get_returns_the_value_set_before) {
 *         redisContext *c = cliConnect(s);  // closed when the test ends
 *         EXPECT(c, "SET k v", "+OK");
 *         EXPECT(c, "GET k", "\"v\"");
 *     }
 *
 *     int main(int argc, char **argv) {
 *         s = srvStart(NULL);
 *         return harnessMain(argc, argv);
 *     }
 *
 * Test names are sentences written with underscores; they are printed with
 * spaces ("PASS get returns the value set before (1 ms)"). `prog PATTERN`
 * runs only the tests whose name contains PATTERN (or glob-matches it when it
 * has * or ?), in either spelling; `prog --list` lists them.
 *
 * The oracle. With ROOST_ORACLE=redis every srvStart launches the real
 * /usr/bin/redis-server (or $ROOST_REDIS_SERVER) instead of roost, so the
 * expectations written for roost can be checked against Redis itself.
 * Otherwise the binary is $ROOST_SERVER, default src/roost-server under the
 * repository root (found by walking up from the working directory and from
 * the test binary). It is started as `BINARY CONFIGFILE`.
 *
 * Canonical reply text. Hiredis replies and raw RESP2/RESP3 replies are both
 * turned into one notation, and every assertion compares that text exactly:
 *
 *     +OK                 status (simple string), as sent
 *     -ERR some text      error, as sent
 *     :42                 integer, as sent
 *     "hello\r\n"         bulk string; C escapes \r \n \t \" \\ and \xHH
 *                         (lowercase) for every byte outside 0x20..0x7e
 *     (nil)               RESP2 null bulk ($-1) and RESP3 null (_)
 *     (nil-array)         RESP2 null array (*-1)
 *     [:1, "x", (nil)]    array, elements canonicalised recursively; []
 *     {"k": "v", "n": :1} map (RESP3); {}
 *     ~["a", "b"]         set (RESP3)
 *     >["message", "ch", "hi"]   push (RESP3)
 *     ,3.14               double, exactly the text the server sent
 *     #t  #f              boolean
 *     =txt:some\ntext     verbatim string: format, colon, escaped payload
 *     !ERR some text      blob error: escaped payload
 *     (1234567890123      big number, as sent
 *     |{"k": :1} "value"  an attribute, printed before the value it annotates
 *
 * Failures to get a reply come back in the same channel, in texts no reply
 * can produce: "(closed)", "(timeout)", "(io error: ...)", "(bad reply:
 * ...)", "(send failed)", "(no connection)", "(bad command line: ...)".
 * Hiredis 0.14 speaks RESP2 only; the harness makes its nil-array ("*-1")
 * visible as (nil-array), so both clients agree on every RESP2 reply.
 *
 * Lifetimes. Connections opened and strings returned during a test belong to
 * that test: the harness closes and frees them when it ends (pass, fail or
 * REQUIRE abort). Outside a test (in main) they live until exit. A server
 * started inside a test is stopped when the test ends, and a bad exit or a
 * sanitizer report fails that test. A server started in main lives until
 * srvStop or the end of harnessMain, which stops every server still running
 * and fails the run ("every server stopped cleanly") if one exits badly or
 * its log holds a sanitizer report. Server directories are removed
 * when everything passed (unless ROOST_KEEP_DIRS=1) and kept otherwise.
 *
 * Timeouts everywhere: server start-up 10 s, client I/O 10 s, SIGTERM 5 s
 * before SIGKILL, runCmd 60 s, and a per-test alarm (60 s, or
 * $ROOST_TEST_TIMEOUT, or harnessSetTimeout) that reports the test as failed,
 * kills every server and ends the program with the summary line. Servers are
 * also killed when the test program exits, is interrupted, crashes, or is
 * killed (PR_SET_PDEATHSIG), so no server outlives its test program.
 */
#ifndef ROOST_HARNESS_H
#define ROOST_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <hiredis/hiredis.h>

/* ---- tests ------------------------------------------------------------------ */

/* TEST(name) defines and registers one test; the body follows like a
 * function body. Registration runs before main (a constructor), and tests run
 * in the order of their (file, line). */
#define TEST(name)                                                             \
    static void test_##name(void);                                             \
    __attribute__((constructor)) static void testRegister_##name(void) {       \
        harnessRegister(#name, test_##name, __FILE__, __LINE__);               \
    }                                                                          \
    static void test_##name(void)

void harnessRegister(const char *name, void (*fn)(void), const char *file,
                     int line);

/* harnessMain runs the selected tests, stops every server still running,
 * prints "N passed, N failed" as its last line and returns the exit status
 * for main (0 when nothing failed, 1 otherwise). */
int harnessMain(int argc, char **argv);

/* harnessSetTimeout re-arms the running test's alarm to `seconds` from now
 * (0 disables it; the next test gets the default again). */
void harnessSetTimeout(int seconds);

/* harnessFail records a failure of the running test (or of the set-up, when
 * called outside a test) and prints "file:line: message". The test goes on. */
void harnessFail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* harnessAbortTest ends the running test at once (it is already marked failed
 * or skipped); outside a test it ends the program with the summary line. */
void harnessAbortTest(void) __attribute__((noreturn));

/* harnessSkip ends the running test as skipped (counted neither way). */
void harnessSkip(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* CHECK records a failure and continues; REQUIRE records it and ends the
 * test. An optional printf-style message (a string literal first) follows the
 * condition: CHECK(n == 3, "n is %d", n). */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            harnessCheckFailed(__FILE__, __LINE__, "CHECK(" #cond ")",         \
                               " " __VA_ARGS__);                               \
    } while (0)
#define REQUIRE(cond, ...)                                                     \
    do {                                                                       \
        if (!(cond)) {                                                         \
            harnessCheckFailed(__FILE__, __LINE__, "REQUIRE(" #cond ")",       \
                               " " __VA_ARGS__);                               \
            harnessAbortTest();                                                \
        }                                                                      \
    } while (0)
void harnessCheckFailed(const char *file, int line, const char *what,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define SKIP(...) harnessSkip(__FILE__, __LINE__, __VA_ARGS__)

/* CHECK_STR compares two C strings (NULL allowed) and prints both on
 * mismatch. Evaluates to true when they are equal. */
#define CHECK_STR(got, want) checkStr(__FILE__, __LINE__, #got, (got), (want))
bool checkStr(const char *file, int line, const char *what, const char *got,
              const char *want);

/* WAIT_FOR polls `cond` every millisecond or so until it holds or `ms`
 * milliseconds passed; evaluates to the final value of cond. */
#define WAIT_FOR(cond, ms)                                                     \
    ({                                                                         \
        long long wfDeadline_ = harnessNowMs() + (ms);                         \
        bool wfOk_;                                                            \
        while (!(wfOk_ = (cond)) && harnessNowMs() < wfDeadline_)              \
            harnessSleepMs(1);                                                 \
        wfOk_;                                                                 \
    })

long long harnessNowMs(void);        /* monotonic clock, milliseconds */
void harnessSleepMs(int ms);

/* tfmt returns a formatted string that lives until the current test ends. */
const char *tfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* globMatch: does `text` match `pattern`, where * matches any run of bytes
 * and ? any one byte? Every other byte, '[' and '\' included, is literal:
 * fnmatch is not used because canonical arrays start with '[' and escapes
 * are written with '\', so the canonical text itself, with variable parts
 * replaced by *, is always a valid pattern. */
bool globMatch(const char *pattern, const char *text);

/* ---- servers ---------------------------------------------------------------- */

typedef struct srv {
    int port;                /* TCP port on 127.0.0.1; kept across restarts */
    pid_t pid;               /* server process; 0 when not running */
    char dir[64];            /* fresh mkdtemp directory: config, log, data */
    char conf[96];           /* dir/server.conf */
    char log[96];            /* dir/server.log: the server's stdout+stderr */
    char *extra;             /* extra config lines given to srvStart, or NULL */
    long logStart;           /* log size when the current process started */
    bool perTest;            /* started inside a test: stopped when it ends */
    struct srv *next;        /* every server the program started */
} srv;

/* srvStart starts a server on a free port in a fresh directory with a config
 * file made of port, bind, dir (plus save "" and appendonly no for Redis)
 * and then `extraConfigLines` (newline-separated, may be NULL; "{dir}" and
 * "{port}" in them are replaced, e.g. "unixsocket {dir}/s.sock"), and waits
 * until it answers PING (a -LOADING answer means wait on). On failure (no
 * answer within 10 s, or it exited) it prints the log tail, records a
 * failure and returns NULL; a NULL server makes cliConnect, rawConnect,
 * srvPort and srvRestart end the test, so tests that need it fail instead of
 * crashing. */
#define srvStart(extraConfigLines)                                             \
    srvStartAt(__FILE__, __LINE__, (extraConfigLines))
srv *srvStartAt(const char *file, int line, const char *extraConfigLines);

/* srvStop sends SIGTERM and waits (SIGKILL after 5 s). Returns true when the
 * process exited with status 0 or by SIGTERM and its log from this start on
 * has no sanitizer report; otherwise prints why, records a failure and
 * returns false. Stopping a stopped server returns true. The directory stays
 * (srvRestart reuses it). */
#define srvStop(s) srvStopAt(__FILE__, __LINE__, (s))
bool srvStopAt(const char *file, int line, srv *s);

/* srvRestart stops the server as srvStop does (if it runs) and starts it
 * again on the same port, directory and config, so persisted data is loaded
 * again. Returns true when both the stop was clean and the server answers
 * again (failures are recorded). */
#define srvRestart(s) srvRestartAt(__FILE__, __LINE__, (s))
bool srvRestartAt(const char *file, int line, srv *s);

/* srvKill sends `sig` (e.g. SIGKILL to simulate a crash) and reaps the
 * process, without judging how it ended. srvRestart brings it back. */
void srvKill(srv *s, int sig);

pid_t srvPid(srv *s);

/* srvPort returns the server's port; a NULL server (srvStart failed) fails
 * and ends the test, so `runCmd(.., "redis-cli -p %d", srvPort(s))` is safe. */
#define srvPort(s) srvPortAt(__FILE__, __LINE__, (s))
int srvPortAt(const char *file, int line, srv *s);

/* srvLogContains: does the server's log (all of it, across restarts)
 * contain `needle`? */
bool srvLogContains(srv *s, const char *needle);

/* srvIsOracle: is ROOST_ORACLE=redis set, i.e. do servers run real Redis? */
bool srvIsOracle(void);

/* ---- hiredis clients -------------------------------------------------------- */

/* cliConnect connects a hiredis client (10 s connect and I/O timeout). On
 * failure it records a failure and ends the test (REQUIRE semantics). */
#define cliConnect(s) cliConnectAt(__FILE__, __LINE__, (s))
redisContext *cliConnectAt(const char *file, int line, srv *s);

/* cliClose closes a client before its test ends (NULL is ignored). */
void cliClose(redisContext *c);

/* cliCall sends one command and returns the canonical text of its reply.
 * cmdline is split on spaces; "double quotes" (with C escapes: \n \r \t \"
 * \\ \xHH) or 'single quotes' make one argument, "" an empty one. */
const char *cliCall(redisContext *c, const char *cmdline);

/* cliCallArgv: the same with an explicit, binary-safe argument vector
 * (lens may be NULL for NUL-terminated arguments). */
const char *cliCallArgv(redisContext *c, int argc, const char **argv,
                        const size_t *lens);

/* cliCallf: the same with hiredis's format: each %s or %b (pointer, size_t)
 * is one argument even with spaces in it; other printf conversions work
 * inside a word ("SET k%d %d"). */
const char *cliCallf(redisContext *c, const char *fmt, ...);

/* replyText returns the canonical text of a hiredis reply (NULL gives
 * "(no reply)"). */
const char *replyText(const redisReply *r);
/* replySorted: an array reply's elements (strings; nil as "(nil)") sorted and
 * joined with single spaces, "" when empty, "(not an array: ...)" otherwise.
 * cliCallSorted: the same for the reply of cmdline (split as cliCall does). */
const char *replySorted(const redisReply *r);
const char *cliCallSorted(redisContext *c, const char *cmdline);

/* cliInfoInt returns the integer value of field `name` in INFO `section`
 * ("memory", "number_of_cached_scripts"), or -1 when the field is absent or
 * INFO fails. */
long long cliInfoInt(redisContext *c, const char *section, const char *name);

/* ---- raw clients ------------------------------------------------------------ */

typedef struct raw raw;

/* rawConnect opens a plain TCP connection (no hiredis). On failure it records
 * a failure and ends the test. */
#define rawConnect(s) rawConnectAt(__FILE__, __LINE__, (s))
raw *rawConnectAt(const char *file, int line, srv *s);

/* rawConnectResp3 is rawConnect followed by HELLO 3; a server that does not
 * answer HELLO with its map fails and ends the test. */
#define rawConnectResp3(s) rawConnectResp3At(__FILE__, __LINE__, (s))
raw *rawConnectResp3At(const char *file, int line, srv *s);

/* rawAttach wraps an already connected socket (a socketpair end, say); the
 * harness closes it with the raw client. */
raw *rawAttach(int fd);

void rawClose(raw *r);
int rawFd(raw *r);

/* rawSend writes the bytes as they are. Returns false when the write fails
 * (the server closed, or 10 s passed). */
bool rawSend(raw *r, const void *bytes, size_t n);

/* rawCmd sends argc NUL-terminated arguments as one RESP multibulk. */
bool rawCmd(raw *r, int argc, ...);
bool rawCmdArgv(raw *r, int argc, const char **argv, const size_t *lens);
/* rawCmdLine splits cmdline as cliCall does and sends it as a multibulk. */
bool rawCmdLine(raw *r, const char *cmdline);

/* rawReadReply reads exactly one RESP2 or RESP3 reply (10 s timeout) and
 * returns its canonical text, or "(closed)", "(timeout)", "(io error: ..)"
 * or "(bad reply: ..)". */
const char *rawReadReply(raw *r);

/* rawCall: rawCmdLine + rawReadReply; rawCallf uses hiredis's format. */
const char *rawCall(raw *r, const char *cmdline);
const char *rawCallf(raw *r, const char *fmt, ...);

/* rawExpectClosed: does the server close the connection (EOF or reset)
 * within timeoutMs? Unread bytes that arrive first are discarded and make it
 * return false. */
bool rawExpectClosed(raw *r, int timeoutMs);

/* ---- expectations ------------------------------------------------------------ */

/* Each sends a command, compares the canonical reply with `want` (exactly,
 * or as a glob for the _MATCH forms) and on mismatch prints file:line, the
 * command, expected and got, and fails the test, which goes on. Each
 * evaluates to true when the reply matched. */
#define EXPECT(c, cmdline, want)                                               \
    expectCli(__FILE__, __LINE__, (c), (cmdline), (want), false)
#define EXPECT_MATCH(c, cmdline, glob)                                         \
    expectCli(__FILE__, __LINE__, (c), (cmdline), (glob), true)
#define EXPECTV(c, argc, argv, lens, want)                                     \
    expectCliArgv(__FILE__, __LINE__, (c), (argc), (argv), (lens), (want))
#define EXPECTF(c, want, ...)                                                  \
    expectClif(__FILE__, __LINE__, (c), (want), __VA_ARGS__)

#define EXPECT_RAW(r, cmdline, want)                                           \
    expectRaw(__FILE__, __LINE__, (r), (cmdline), (want), false)
#define EXPECT_RAW_MATCH(r, cmdline, glob)                                     \
    expectRaw(__FILE__, __LINE__, (r), (cmdline), (glob), true)
#define EXPECT_RAWV(r, argc, argv, lens, want)                                 \
    expectRawArgv(__FILE__, __LINE__, (r), (argc), (argv), (lens), (want))
#define EXPECT_RAWF(r, want, ...)                                              \
    expectRawf(__FILE__, __LINE__, (r), (want), __VA_ARGS__)

/* EXPECT_REPLY reads the next reply from a raw client (after rawSend, or a
 * push message) and compares it; EXPECT_REPLY_MATCH globs. */
#define EXPECT_REPLY(r, want)                                                  \
    expectReply(__FILE__, __LINE__, (r), (want), false)
#define EXPECT_REPLY_MATCH(r, glob)                                            \
    expectReply(__FILE__, __LINE__, (r), (glob), true)

bool expectCli(const char *file, int line, redisContext *c,
               const char *cmdline, const char *want, bool glob);
bool expectCliArgv(const char *file, int line, redisContext *c, int argc,
                   const char **argv, const size_t *lens, const char *want);
bool expectClif(const char *file, int line, redisContext *c,
                const char *want, const char *fmt, ...);
bool expectRaw(const char *file, int line, raw *r, const char *cmdline,
               const char *want, bool glob);
bool expectRawArgv(const char *file, int line, raw *r, int argc,
                   const char **argv, const size_t *lens, const char *want);
bool expectRawf(const char *file, int line, raw *r, const char *want,
                const char *fmt, ...);
bool expectReply(const char *file, int line, raw *r, const char *want,
                 bool glob);

/* ---- concurrent writers -------------------------------------------------------- */

/* forkWriters starts `writers` child processes, each with a connection of
 * its own to s. Child w calls append(x, w, i) for i in [0, each): append
 * pipelines commands with redisAppendCommand and returns how many. Then the
 * child reads every reply, failing on a connection error, an error reply,
 * or (wantInt) any reply that is not an integer. forkWriters waits for all
 * of them and CHECKs that each exited cleanly. */
void forkWriters(srv *s, int writers, int each, int (*append)(redisContext *x, int w, int i),
                 bool wantInt);

/* ---- external programs ------------------------------------------------------- */

/* runCmd runs the formatted command line with /bin/sh -c (stdin /dev/null),
 * capturing stdout and stderr together into *output (test lifetime; output
 * may be NULL). Returns the exit status, 128+N when killed by signal N, or
 * -1 when it could not start or ran past the timeout (60 s, see
 * runCmdSetTimeout; the whole process group is then killed). */
int runCmd(char **output, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* runCmdInput is runCmd with `input` written to the command's stdin. */
int runCmdInput(const char *input, char **output, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* sha1Hex returns the SHA-1 of `text` in lowercase hex (test lifetime), as
 * sha1sum computes it: the name Redis gives a script. When sha1sum fails it
 * records a failure and returns "(sha1sum failed)". */
const char *sha1Hex(const char *text);

/* runCmdSetTimeout sets the timeout of later runCmd calls (ms); returns the
 * previous one. */
int runCmdSetTimeout(int ms);

#endif
