/* test_protocol.c — protocol robustness and connection handling.
 *
 * What a client can throw at the server below the command level: malformed
 * multibulk and inline requests (each of Redis's protocol error texts, then
 * the connection closes), bulks and counts past the limits, the tighter
 * limits for unauthenticated clients, AUTH and HELLO AUTH, random garbage,
 * pipelining, clients that stall half way through a command or never read
 * their replies, many short connections, maxclients, the idle timeout, the
 * unix socket, RESP3 nulls and QUIT.
 *
 * Every expectation was checked against redis-server 7.0.15
 * (ROOST_ORACLE=redis runs the file against it). Config lines that only
 * roost knows ("threads") are left out under the oracle.
 *
 * The servers: `s` (defaults) serves most tests; `sAuth` has requirepass;
 * `sLimits` has small proto-max-bulk-len and client-query-buffer-limit;
 * `s1` runs with threads 1 (the stall tests run on both). Tests needing a
 * special config (maxclients, timeout, unixsocket) start their own.
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define PASSWORD "s3cret-pw"

static srv *s;         /* defaults */
static srv *s1;        /* threads 1 (roost) */
static srv *sAuth;     /* requirepass */
static srv *sLimits;   /* proto-max-bulk-len 1mb, client-query-buffer-limit 2mb */

/* ---- helpers ------------------------------------------------------------------ */

/* threadsLine: "threads N" for roost, nothing for the oracle. */
static const char *threadsLine(int n) {
    return srvIsOracle() ? "" : tfmt("threads %d", n);
}

/* tcpConnect: a blocking TCP connection to 127.0.0.1:port, or -1. */
static int tcpConnect(int port) {
    struct sockaddr_in sa = { .sin_family = AF_INET };
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* readExact reads exactly n bytes from a socket within ms; false on EOF,
 * error or timeout. Works on blocking and non-blocking sockets. */
static bool readExact(int fd, char *buf, size_t n, int ms) {
    long long deadline = harnessNowMs() + ms;
    size_t got = 0;
    while (got < n) {
        long long left = deadline - harnessNowMs();
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) return false;
        ssize_t r = recv(fd, buf + got, n - got, MSG_DONTWAIT);
        if (r == 0) return false;
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return false;
        }
        got += (size_t)r;
    }
    return true;
}

/* sendAll writes everything on a blocking or non-blocking socket (10 s). */
static bool sendAll(int fd, const void *p, size_t n) {
    const char *b = p;
    long long deadline = harnessNowMs() + 10000;
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno != EAGAIN) return false;
        long long left = deadline - harnessNowMs();
        struct pollfd pfd = { fd, POLLOUT, 0 };
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) return false;
    }
    return true;
}

/* procStatus reads "Name:   <number>" from /proc/PID/status (kB for VmRSS). */
static long procStatus(pid_t pid, const char *name) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long v = -1;
    size_t nl = strlen(name);
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, nl) == 0 && line[nl] == ':') {
            v = strtol(line + nl + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

/* openFds: how many descriptors the server process holds. */
static int openFds(srv *sv) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)srvPid(sv));
    DIR *d = opendir(path);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

/* clientCount: connected clients as the server reports them: INFO clients'
 * connected_clients, else the lines of CLIENT LIST; -1 when it has neither. */
static int clientCount(redisContext *c) {
    const char *info = cliCall(c, "INFO clients");
    const char *p = strstr(info, "connected_clients:");
    if (info[0] == '"' && p) return atoi(p + strlen("connected_clients:"));
    const char *list = cliCall(c, "CLIENT LIST");
    if (list[0] != '"') return -1;
    int n = 0;
    for (p = list; (p = strstr(p, "id=")); p += 3)
        if (p == list + 1 || p[-1] == 'n') n++;   /* at a line start ("\n" escaped) */
    return n;
}

/* pingLatencyMs: one PING round trip on c, in ms; -1 unless +PONG. */
static long long pingLatencyMs(redisContext *c) {
    long long t0 = harnessNowMs();
    const char *r = cliCall(c, "PING");
    long long dt = harnessNowMs() - t0;
    return strcmp(r, "+PONG") == 0 ? dt : -1;
}

/* expectProtoError: `bytes` on a fresh connection get exactly `want` and
 * then the connection closes. With `bytewise`, the bytes go out one at a time
 * (so the parser sees every split). */
#define EXPECT_PROTO_ERROR(sv, bytes, len, want, bytewise) \
    expectProtoError(__FILE__, __LINE__, (sv), (bytes), (len), (want), (bytewise))
static void expectProtoError(const char *file, int line, srv *sv, const char *bytes,
                             size_t len, const char *want, bool bytewise) {
    raw *r = rawConnect(sv);
    bool sent = true;
    if (bytewise) {
        for (size_t i = 0; i < len && sent; i++) {
            sent = rawSend(r, bytes + i, 1);
            if (i % 64 == 0) harnessSleepMs(1);
        }
    } else {
        sent = rawSend(r, bytes, len);
    }
    if (!sent) harnessFail(file, line, "could not send the request");
    expectReply(file, line, r, want, false);
    if (!rawExpectClosed(r, 3000))
        harnessFail(file, line, "the connection stayed open after \"%s\"", want);
    rawClose(r);
}

static char *repeatByte(char ch, size_t n) {
    char *b = malloc(n + 1);
    memset(b, ch, n);
    b[n] = '\0';
    return b;
}

/* ---- malformed requests ------------------------------------------------------- */

TEST(malformed_multibulk_gets_redis_protocol_errors_and_a_close) {
    static const struct { const char *in; const char *want; } cases[] = {
        { "*abc\r\n", "-ERR Protocol error: invalid multibulk length" },
        { "*1x\r\n", "-ERR Protocol error: invalid multibulk length" },
        { "*+1\r\n", "-ERR Protocol error: invalid multibulk length" },
        { "*01\r\n", "-ERR Protocol error: invalid multibulk length" },
        { "*3000000000\r\n", "-ERR Protocol error: invalid multibulk length" },
        { "*99999999999999999999999\r\n", "-ERR Protocol error: invalid multibulk length" },
        { "*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length" },
        { "*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length" },
        { "*1\r\n$\r\n", "-ERR Protocol error: invalid bulk length" },
        { "*1\r\n$100000000000\r\n", "-ERR Protocol error: invalid bulk length" },
        { "*1\r\n:1\r\n", "-ERR Protocol error: expected '$', got ':'" },
        { "*2\r\n$4\r\nECHO\r\n+x\r\n", "-ERR Protocol error: expected '$', got '+'" },
        { "*1\r\nPING\r\n", "-ERR Protocol error: expected '$', got 'P'" },
        { "SET a \"b c\r\n", "-ERR Protocol error: unbalanced quotes in request" },
        { "SET a \"b\"c\r\n", "-ERR Protocol error: unbalanced quotes in request" },
        { "ECHO 'x\r\n", "-ERR Protocol error: unbalanced quotes in request" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        EXPECT_PROTO_ERROR(s, cases[i].in, strlen(cases[i].in), cases[i].want, false);
        EXPECT_PROTO_ERROR(s, cases[i].in, strlen(cases[i].in), cases[i].want, true);
    }
}

TEST(lines_without_an_end_past_64k_are_too_big) {
    size_t n = 70000;
    char *b = repeatByte('1', n);
    b[0] = '*';
    EXPECT_PROTO_ERROR(s, b, n, "-ERR Protocol error: too big mbulk count string", false);
    memcpy(b, "*1\r\n$", 5);
    EXPECT_PROTO_ERROR(s, b, n, "-ERR Protocol error: too big bulk count string", false);
    memset(b, 'a', n);
    EXPECT_PROTO_ERROR(s, b, n, "-ERR Protocol error: too big inline request", false);
    free(b);
}

TEST(commands_before_a_protocol_error_run_and_those_after_do_not) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET proto:order before", "+OK");
    raw *r = rawConnect(s);
    const char *in = "SET proto:order 1\r\nPING\r\n*abc\r\nSET proto:order 2\r\n";
    REQUIRE(rawSend(r, in, strlen(in)));
    EXPECT_REPLY(r, "+OK");
    EXPECT_REPLY(r, "+PONG");
    EXPECT_REPLY(r, "-ERR Protocol error: invalid multibulk length");
    CHECK(rawExpectClosed(r, 3000));
    EXPECT(c, "GET proto:order", "\"1\"");
}

TEST(the_bytes_after_a_bulk_and_after_a_count_line_cr_are_not_checked) {
    /* Redis skips the two bytes after a bulk and the byte after a line's
     * '\r' without looking at them; so does roost. */
    raw *r = rawConnect(s);
    const char *in = "*2\r\n$4\r\nECHO\r\n$3\r\nabcXY*1\r\n$4\r\nPINGzz";
    REQUIRE(rawSend(r, in, strlen(in)));
    EXPECT_REPLY(r, "\"abc\"");
    EXPECT_REPLY(r, "+PONG");
    EXPECT_RAW(r, "PING", "+PONG");
}

TEST(empty_and_negative_counts_and_blank_lines_are_ignored) {
    raw *r = rawConnect(s);
    const char *in = "*0\r\n*-1\r\n*-5\r\n\r\n \r\n\n*1\r\n$4\r\nPING\r\n";
    REQUIRE(rawSend(r, in, strlen(in)));
    EXPECT_REPLY(r, "+PONG");
    EXPECT_RAW(r, "ECHO x", "\"x\"");
}

/* ---- limits -------------------------------------------------------------------- */

TEST(a_bulk_over_proto_max_bulk_len_is_refused_and_one_at_the_limit_works) {
    const char *over = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n";
    EXPECT_PROTO_ERROR(sLimits, over, strlen(over), "-ERR Protocol error: invalid bulk length",
                       false);
    redisContext *c = cliConnect(sLimits);
    size_t n = 1024 * 1024;
    char *v = repeatByte('v', n);
    v[0] = 'A';
    v[n - 1] = 'Z';
    redisReply *rep = redisCommand(c, "SET big %b", v, n);
    REQUIRE(rep != NULL, "SET big: %s", c->errstr);
    CHECK(rep->type == REDIS_REPLY_STATUS && strcmp(rep->str, "OK") == 0);
    freeReplyObject(rep);
    rep = redisCommand(c, "GET big");
    REQUIRE(rep != NULL, "GET big: %s", c->errstr);
    CHECK(rep->type == REDIS_REPLY_STRING && rep->len == n && memcmp(rep->str, v, n) == 0);
    freeReplyObject(rep);
    free(v);
}

TEST(a_huge_command_made_of_small_arguments_is_not_a_query_buffer_overflow) {
    /* Like Redis, client-query-buffer-limit (2mb here) bounds the bytes of
     * the argument still being read, not the arguments already complete:
     * a 5 MB command of 1 KB arguments arriving slowly is served. */
    raw *r = rawConnect(sLimits);
    int nargs = 5000;
    char *arg = repeatByte('x', 1000);
    const char *head = tfmt("*%d\r\n$4\r\nPING\r\n", nargs + 1);
    REQUIRE(rawSend(r, head, strlen(head)));
    const char *one = tfmt("$1000\r\n%s\r\n", arg);
    size_t onelen = strlen(one);
    for (int i = 0; i < nargs; i++) {
        REQUIRE(rawSend(r, one, onelen), "send failed at argument %d", i);
        if (i % 100 == 99) harnessSleepMs(2);
    }
    EXPECT_REPLY(r, "-ERR wrong number of arguments for 'ping' command");
    EXPECT_RAW(r, "PING", "+PONG");
    free(arg);
}

TEST(a_single_bulk_larger_than_the_query_buffer_limit_closes_the_client) {
    srv *sv = srvStart("proto-max-bulk-len 4mb\nclient-query-buffer-limit 1mb");
    raw *r = rawConnect(sv);
    size_t n = 3000000;
    const char *head = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n";
    char *v = repeatByte('x', n);
    rawSend(r, head, strlen(head));
    rawSend(r, v, n);                   /* may fail half way: the server closed */
    CHECK(rawExpectClosed(r, 5000));
    redisContext *c = cliConnect(sv);
    EXPECT(c, "GET k", "(nil)");
    free(v);
}

TEST(many_arguments_work_and_huge_counts_allocate_nothing_up_front) {
    raw *r = rawConnect(s);
    int nargs = 200000;
    size_t cap = (size_t)nargs * 8 + 64, len = 0;
    char *b = malloc(cap);
    len += (size_t)sprintf(b + len, "*%d\r\n$4\r\nPING\r\n", nargs + 1);
    for (int i = 0; i < nargs; i++) {
        memcpy(b + len, "$1\r\na\r\n", 7);
        len += 7;
    }
    REQUIRE(rawSend(r, b, len));
    free(b);
    EXPECT_REPLY(r, "-ERR wrong number of arguments for 'ping' command");
    EXPECT_RAW(r, "PING", "+PONG");

    /* A count near INT_MAX followed by a few arguments, then a stall: the
     * server must neither reserve argv for the count nor stop serving. */
    long rss0 = procStatus(srvPid(s), "VmRSS");
    raw *huge[8];
    for (int i = 0; i < 8; i++) {
        huge[i] = rawConnect(s);
        const char *in = "*2147483647\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
        REQUIRE(rawSend(huge[i], in, strlen(in)));
    }
    redisContext *c = cliConnect(s);
    EXPECT(c, "PING", "+PONG");
    long rss1 = procStatus(srvPid(s), "VmRSS");
    CHECK(rss1 - rss0 < 64 * 1024, "RSS grew by %ld kB for 8 huge counts", rss1 - rss0);
    for (int i = 0; i < 8; i++) rawClose(huge[i]);
    EXPECT(c, "PING", "+PONG");
}

/* ---- authentication --------------------------------------------------------------- */

TEST(unauthenticated_clients_get_the_tighter_protocol_limits) {
    EXPECT_PROTO_ERROR(sAuth, "*11\r\n", 5, "-ERR Protocol error: unauthenticated multibulk length",
                       false);
    const char *big = "*2\r\n$4\r\nAUTH\r\n$16385\r\n";
    EXPECT_PROTO_ERROR(sAuth, big, strlen(big), "-ERR Protocol error: unauthenticated bulk length",
                       false);
    /* invalid beats unauthenticated, as in Redis */
    EXPECT_PROTO_ERROR(sAuth, "*1x\r\n", 5, "-ERR Protocol error: invalid multibulk length", false);
    /* at the limits: still waiting for the rest, no error */
    raw *r = rawConnect(sAuth);
    const char *ten = "*10\r\n$16384\r\n";
    REQUIRE(rawSend(r, ten, strlen(ten)));
    CHECK(!rawExpectClosed(r, 300));
    /* after AUTH the limits are gone */
    raw *a = rawConnect(sAuth);
    EXPECT_RAW(a, "AUTH " PASSWORD, "+OK");
    const char *argv[12] = { "PING" };
    for (int i = 1; i < 12; i++) argv[i] = "x";
    EXPECT_RAWV(a, 12, argv, NULL, "-ERR wrong number of arguments for 'ping' command");
    char *v = repeatByte('y', 20000);
    EXPECT_RAWF(a, "+OK", "SET authbig %s", v);
    EXPECT_RAW(a, "GET authbig", tfmt("\"%s\"", v));
    free(v);
}

TEST(commands_before_auth_get_noauth) {
    raw *r = rawConnect(sAuth);
    EXPECT_RAW(r, "GET k", "-NOAUTH Authentication required.");
    EXPECT_RAW(r, "PING", "-NOAUTH Authentication required.");
    EXPECT_RAW(r, "SET k v", "-NOAUTH Authentication required.");
    /* inline commands too, and the client stays connected */
    REQUIRE(rawSend(r, "ECHO hi\r\n", 9));
    EXPECT_REPLY(r, "-NOAUTH Authentication required.");
    EXPECT_RAW(r, "AUTH " PASSWORD, "+OK");
    EXPECT_RAW(r, "PING", "+PONG");
}

TEST(auth_accepts_the_right_password_and_refuses_wrong_ones) {
    raw *r = rawConnect(sAuth);
    const char *wrong = "-WRONGPASS invalid username-password pair or user is disabled.";
    EXPECT_RAW(r, "AUTH nope", wrong);
    EXPECT_RAW(r, "AUTH default nope", wrong);
    EXPECT_RAW(r, "AUTH nobody " PASSWORD, wrong);
    EXPECT_RAW(r, "AUTH", "-ERR wrong number of arguments for 'auth' command");
    EXPECT_RAW(r, "AUTH a b c", "-ERR syntax error");
    EXPECT_RAW(r, "GET k", "-NOAUTH Authentication required.");
    EXPECT_RAW(r, "AUTH default " PASSWORD, "+OK");
    EXPECT_RAW(r, "SET authk v", "+OK");
    /* a wrong AUTH later does not log the client out */
    EXPECT_RAW(r, "AUTH nope", wrong);
    EXPECT_RAW(r, "GET authk", "\"v\"");
    /* QUIT needs no auth */
    raw *q = rawConnect(sAuth);
    EXPECT_RAW(q, "QUIT", "+OK");
    CHECK(rawExpectClosed(q, 3000));
}

TEST(hello_auth_authenticates_and_switches_protocol_at_once) {
    raw *r = rawConnect(sAuth);
    EXPECT_RAW(r, "HELLO 3",
               "-NOAUTH HELLO must be called with the client already authenticated, otherwise "
               "the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
               "select the RESP protocol version at the same time");
    EXPECT_RAW(r, "HELLO 3 AUTH default wrong",
               "-WRONGPASS invalid username-password pair or user is disabled.");
    EXPECT_RAW(r, "GET k", "-NOAUTH Authentication required.");
    EXPECT_RAW_MATCH(r, "HELLO 3 AUTH default " PASSWORD,
                     "{\"server\": \"*\", \"version\": \"*\", \"proto\": :3, \"id\": :*, "
                     "\"mode\": \"standalone\", \"role\": \"master\", \"modules\": []}");
    REQUIRE(rawSend(r, "GET nosuchkey\r\n", 15));
    char buf[8] = {0};
    REQUIRE(readExact(rawFd(r), buf, 3, 5000));
    CHECK_STR(buf, "_\r\n");
    raw *r2 = rawConnect(sAuth);
    EXPECT_RAW_MATCH(r2, "HELLO 2 AUTH default " PASSWORD, "[\"server\", *, \"proto\", :2, *]");
    EXPECT_RAW(r2, "PING", "+PONG");
}

TEST(auth_without_a_configured_password_is_an_error) {
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "AUTH foo",
               "-ERR AUTH <password> called without any password configured for the default "
               "user. Are you sure your configuration is correct?");
    EXPECT_RAW(r, "AUTH default foo", "+OK");   /* the default user is nopass */
    EXPECT_RAW(r, "AUTH other foo",
               "-WRONGPASS invalid username-password pair or user is disabled.");
}

/* ---- garbage -------------------------------------------------------------------------- */

static uint64_t rngState = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {
    rngState ^= rngState << 13;
    rngState ^= rngState >> 7;
    rngState ^= rngState << 17;
    return rngState;
}

/* garbage fills b (cap >= 4200) with one of several kinds of junk; returns
 * its length. */
static size_t garbage(char *b) {
    static const char *valid[] = {
        "*3\r\n$3\r\nSET\r\n$6\r\nfuzz:k\r\n$3\r\nval\r\n",
        "*2\r\n$3\r\nGET\r\n$6\r\nfuzz:k\r\n",
        "*1\r\n$4\r\nPING\r\n",
        "ECHO \"a\\x41\\n\" 'b c'\r\n",
    };
    size_t n = 1 + rng() % 4096;
    switch (rng() % 4) {
    case 0:                                       /* pure random bytes */
        for (size_t i = 0; i < n; i++) b[i] = (char)rng();
        return n;
    case 1: {                                     /* random counts and lengths */
        size_t o = 0;
        while (o < n) {
            int k = (int)(rng() % 6);
            long long v = (long long)(rng() % 100000) - 50;
            if (k == 0) o += (size_t)sprintf(b + o, "*%lld\r\n", v);
            else if (k == 1) o += (size_t)sprintf(b + o, "$%lld\r\n", v);
            else if (k == 2) o += (size_t)sprintf(b + o, "\r\n");
            else if (k == 3) o += (size_t)sprintf(b + o, "%c", (char)rng());
            else o += (size_t)sprintf(b + o, "$3\r\nfoo\r\n");
        }
        return o;
    }
    default: {                                    /* valid commands, mutated */
        size_t o = 0;
        while (o < n) {
            const char *v = valid[rng() % 4];
            size_t l = strlen(v);
            memcpy(b + o, v, l);
            o += l;
        }
        int flips = 1 + (int)(rng() % 8);
        for (int i = 0; i < flips; i++) b[rng() % o] = (char)rng();
        return o;
    }
    }
}

TEST(random_garbage_never_crashes_the_server_or_starves_other_clients) {
    harnessSetTimeout(120);
    redisContext *c = cliConnect(s);
    char *b = malloc(8192);
    EXPECT(c, "PING", "+PONG");            /* c is accepted: count it */
    int baseFds = openFds(s);
    const char *seed = getenv("ROOST_FUZZ_SEED");
    if (seed) rngState = strtoull(seed, NULL, 0);
    printf("  garbage seed 0x%llx\n", (unsigned long long)rngState);
    for (int round = 0; round < 1000; round++) {
        int fd = tcpConnect(srvPort(s));
        REQUIRE(fd >= 0, "round %d: connect failed", round);
        size_t n = garbage(b);
        sendAll(fd, b, n);                        /* the server may close first */
        if (rng() % 2) {                          /* read a little of any reply */
            char junk[4096];
            struct pollfd pfd = { fd, POLLIN, 0 };
            if (poll(&pfd, 1, 1) > 0) (void)!recv(fd, junk, sizeof junk, MSG_DONTWAIT);
        }
        if (rng() % 4 == 0) {                     /* sometimes a reset */
            struct linger lg = { 1, 0 };
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        }
        close(fd);
        long long ms = pingLatencyMs(c);
        REQUIRE(ms >= 0, "round %d: the other client's PING failed", round);
        CHECK(ms < 1000, "round %d: PING took %lld ms", round, ms);
    }
    free(b);
    EXPECT(c, "SET fuzz:after ok", "+OK");
    EXPECT(c, "GET fuzz:after", "\"ok\"");
    CHECK(WAIT_FOR(openFds(s) == baseFds, 5000), "fds %d, before %d", openFds(s), baseFds);
}

/* ---- inline and pipelining ---------------------------------------------------------- */

TEST(inline_commands_split_words_like_redis) {
    raw *r = rawConnect(s);
    const char *in = "PING\r\nSET inl \"b c\"\r\nGET inl\r\nECHO 'it''s'\r\n"
                     "ECHO \"\\x41\\tz\"\r\nping\n  ECHO   spaced    out  \r\n";
    REQUIRE(rawSend(r, in, strlen(in)));
    EXPECT_REPLY(r, "+PONG");
    EXPECT_REPLY(r, "+OK");
    EXPECT_REPLY(r, "\"b c\"");
    EXPECT_REPLY(r, "-ERR Protocol error: unbalanced quotes in request");
    CHECK(rawExpectClosed(r, 3000));
    raw *r2 = rawConnect(s);
    in = "ECHO \"\\x41\\tz\"\r\nping\n  ECHO   spaced  \r\nECHO 'a\\'b'\r\n";
    REQUIRE(rawSend(r2, in, strlen(in)));
    EXPECT_REPLY(r2, "\"A\\tz\"");
    EXPECT_REPLY(r2, "+PONG");
    EXPECT_REPLY(r2, "\"spaced\"");
    EXPECT_REPLY(r2, "\"a'b\"");
}

TEST(ten_thousand_pipelined_commands_in_one_write_reply_in_order) {
    raw *r = rawConnect(s);
    size_t cap = 10000 * 64, len = 0;
    char *b = malloc(cap);
    for (int i = 0; i < 10000; i++) {
        switch (i % 4) {
        case 0: len += (size_t)sprintf(b + len, "*3\r\n$3\r\nSET\r\n$%d\r\npipe:%d\r\n$%d\r\nv%d\r\n",
                                       (int)strlen(tfmt("pipe:%d", i)), i,
                                       (int)strlen(tfmt("v%d", i)), i); break;
        case 1: len += (size_t)sprintf(b + len, "GET pipe:%d\r\n", i - 1); break;
        case 2: len += (size_t)sprintf(b + len, "*2\r\n$4\r\nECHO\r\n$%d\r\n%d\r\n",
                                       (int)strlen(tfmt("%d", i)), i); break;
        default: len += (size_t)sprintf(b + len, "PING\r\n"); break;
        }
    }
    REQUIRE(rawSend(r, b, len));
    free(b);
    int bad = 0;
    for (int i = 0; i < 10000 && bad < 5; i++) {
        const char *want = i % 4 == 0 ? "+OK"
                         : i % 4 == 1 ? tfmt("\"v%d\"", i - 1)
                         : i % 4 == 2 ? tfmt("\"%d\"", i)
                         : "+PONG";
        const char *got = rawReadReply(r);
        if (strcmp(got, want) != 0) {
            bad++;
            CHECK_STR(got, want);
        }
    }
    CHECK(bad == 0);
    EXPECT_RAW(r, "PING", "+PONG");
}

/* ---- slow and stuck clients -------------------------------------------------------- */

static void stalledClientsDoNotBlockOthers(srv *sv) {
    static const char *partial[] = {
        "*3\r\n$3\r\nSET\r\n$7\r\nstall",             /* inside a bulk */
        "*3",                                          /* inside the count line */
        "*3\r\n$3\r\nSET\r\n$",                        /* inside a bulk length */
        "SET stall:inline val",                        /* an inline line */
        "*3\r\n$3\r\nSET\r\n$6\r\nstall5\r\n$1000000\r\nxxxx", /* a big bulk */
    };
    static const char *rest[] = {
        ":0\r\n$1\r\nv\r\n",
        "\r\n$3\r\nSET\r\n$6\r\nstall1\r\n$1\r\nv\r\n",
        "6\r\nstall2\r\n$1\r\nv\r\n",
        "ue\r\n",
        NULL,
    };
    enum { N = sizeof partial / sizeof partial[0] };
    raw *r[N];
    for (int i = 0; i < N; i++) {
        r[i] = rawConnect(sv);
        REQUIRE(rawSend(r[i], partial[i], strlen(partial[i])));
    }
    redisContext *c = cliConnect(sv);
    long long worst = 0;
    for (int i = 0; i < 20; i++) {
        long long ms = pingLatencyMs(c);
        REQUIRE(ms >= 0, "PING %d failed", i);
        if (ms > worst) worst = ms;
        harnessSleepMs(5);
    }
    CHECK(worst < 100, "worst PING latency %lld ms while clients stall", worst);
    EXPECT(c, "SET other ok", "+OK");
    /* the stalled commands complete when their bytes arrive */
    for (int i = 0; i < N; i++) {
        if (!rest[i]) continue;
        REQUIRE(rawSend(r[i], rest[i], strlen(rest[i])));
        EXPECT_REPLY(r[i], "+OK");
    }
    char *v = repeatByte('x', 1000000 - 4);
    REQUIRE(rawSend(r[4], v, strlen(v)));
    free(v);
    REQUIRE(rawSend(r[4], "\r\n", 2));
    EXPECT_REPLY(r[4], "+OK");
    EXPECT(c, "GET stall:0", "\"v\"");
    EXPECT(c, "GET stall1", "\"v\"");
    EXPECT(c, "GET stall2", "\"v\"");
    EXPECT(c, "GET stall:inline", "\"value\"");
    redisReply *rep = redisCommand(c, "GET stall5");
    REQUIRE(rep != NULL);
    CHECK(rep->type == REDIS_REPLY_STRING && rep->len == 1000000);
    freeReplyObject(rep);
}

TEST(a_client_stalled_half_way_through_a_command_does_not_block_others) {
    stalledClientsDoNotBlockOthers(s);
}

TEST(a_stalled_client_does_not_block_others_with_one_thread) {
    stalledClientsDoNotBlockOthers(s1);
}

/* A client that pipelines many GETs of a 1000-byte value and reads nothing:
 * the server must keep serving others, and once the client reads, every
 * reply arrives complete and in order. */
static void clientThatDoesNotRead(srv *sv) {
    harnessSetTimeout(120);
    redisContext *c = cliConnect(sv);
    char *val = repeatByte('q', 1000);
    EXPECTF(c, "+OK", "SET bp:val %s", val);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int small = 64 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    struct sockaddr_in sa = { .sin_family = AF_INET };
    sa.sin_port = htons((uint16_t)srvPort(sv));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "connect: %s", strerror(errno));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    const char *cmd = "*2\r\n$3\r\nGET\r\n$6\r\nbp:val\r\n";
    size_t clen = strlen(cmd), batch = 256;
    char *buf = malloc(clen * batch);
    for (size_t i = 0; i < batch; i++) memcpy(buf + i * clen, cmd, clen);
    /* Send until 60000 commands (60 MB of replies) are out or the socket
     * has refused more for half a second: that is the server pushing back. */
    long sent = 0, target = 60000 * (long)clen;
    long long blockedSince = 0;
    bool pushedBack = false;
    size_t off = 0;
    while (sent < target) {
        size_t chunk = clen * batch - off;
        if ((long)chunk > target - sent) chunk = (size_t)(target - sent);
        ssize_t w = send(fd, buf + off, chunk, MSG_NOSIGNAL);
        if (w > 0) {
            sent += w;
            off = (off + (size_t)w) % (clen * batch);
            blockedSince = 0;
            continue;
        }
        REQUIRE(w < 0 && (errno == EAGAIN || errno == EINTR), "send: %s", strerror(errno));
        if (!blockedSince) blockedSince = harnessNowMs();
        if (harnessNowMs() - blockedSince > 500) {
            pushedBack = true;
            break;
        }
        harnessSleepMs(5);
    }
    long ncmds = sent / (long)clen;
    printf("  sent %ld GETs before %s\n", ncmds, pushedBack ? "the server pushed back" : "the end");
    /* others are served meanwhile */
    long long worst = 0;
    for (int i = 0; i < 10; i++) {
        long long ms = pingLatencyMs(c);
        REQUIRE(ms >= 0);
        if (ms > worst) worst = ms;
    }
    CHECK(worst < 100, "worst PING latency %lld ms", worst);
    if (!srvIsOracle())   /* Redis buffers every reply instead (no output limit by default) */
        CHECK(pushedBack, "roost read all %ld commands without writing their replies", ncmds);
    /* read the reply of every complete command, then finish the partial
     * one (the server reads it only once its output drains) and read its */
    size_t tail = (size_t)(sent % (long)clen);
    const char *one = tfmt("$1000\r\n%s\r\n", val);
    size_t olen = strlen(one);
    char *rb = malloc(olen * 64);
    for (long i = 0; i < ncmds + (tail > 0);) {
        if (i == ncmds) REQUIRE(sendAll(fd, cmd + tail, clen - tail));
        long k = ncmds - i < 64 ? ncmds - i : 64;
        if (k == 0) k = 1;
        REQUIRE(readExact(fd, rb, olen * (size_t)k, 20000), "reply %ld of %ld missing", i, ncmds);
        for (long j = 0; j < k; j++)
            REQUIRE(memcmp(rb + j * olen, one, olen) == 0, "reply %ld differs", i + j);
        i += k;
    }
    close(fd);
    free(rb);
    free(buf);
    free(val);
    EXPECT(c, "PING", "+PONG");
}

TEST(a_client_that_never_reads_gets_backpressure_and_all_its_replies_later) {
    clientThatDoesNotRead(s);
}

TEST(a_client_that_never_reads_does_not_stall_a_one_thread_server) {
    clientThatDoesNotRead(s1);
}

TEST(client_kill_frees_a_client_stuck_writing_its_replies) {
    redisContext *c = cliConnect(s);
    char *val = repeatByte('k', 4000);
    EXPECTF(c, "+OK", "SET kill:val %s", val);
    free(val);
    raw *victim = rawConnect(s);
    const char *idText = rawCall(victim, "CLIENT ID");
    if (strncmp(idText, "-ERR unknown command", 20) == 0) SKIP("no CLIENT yet");
    REQUIRE(idText[0] == ':', "CLIENT ID: %s", idText);
    long long id = atoll(idText + 1);
    EXPECT(c, "PING", "+PONG");
    int baseFds = openFds(s);
    /* 20000 GETs of 4 KB, never read: the server blocks writing to victim */
    const char *cmd = "*2\r\n$3\r\nGET\r\n$8\r\nkill:val\r\n";
    size_t clen = strlen(cmd);
    char *b = malloc(clen * 20000);
    for (int i = 0; i < 20000; i++) memcpy(b + i * clen, cmd, clen);
    int fd = rawFd(victim);
    size_t off = 0, total = clen * 20000;
    long long t0 = harnessNowMs();
    while (off < total && harnessNowMs() - t0 < 1000) {
        ssize_t w = send(fd, b + off, total - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) off += (size_t)w;
        else harnessSleepMs(5);
    }
    free(b);
    harnessSleepMs(200);
    EXPECTF(c, ":1", "CLIENT KILL ID %lld", id);
    /* drain what was already sent; then the connection must end */
    char junk[65536];
    bool ended = false;
    for (long long t1 = harnessNowMs(); !ended && harnessNowMs() - t1 < 5000;) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (poll(&pfd, 1, 100) <= 0) continue;
        ssize_t r = recv(fd, junk, sizeof junk, MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) ended = true;
    }
    CHECK(ended, "the killed client's connection stayed open");
    CHECK(WAIT_FOR(openFds(s) == baseFds - 1, 5000), "fds %d, expected %d", openFds(s),
          baseFds - 1);
    EXPECT(c, "PING", "+PONG");
}

/* ---- many connections ---------------------------------------------------------------- */

TEST(ten_thousand_connections_opened_and_closed_leave_nothing_behind) {
    harnessSetTimeout(180);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 2200 && rl.rlim_max >= 2200) {
        rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    getrlimit(RLIMIT_NOFILE, &rl);
    int batch = rl.rlim_cur >= 1100 ? 1000 : (int)rl.rlim_cur - 100;
    REQUIRE(batch >= 100, "RLIMIT_NOFILE is %ld", (long)rl.rlim_cur);
    redisContext *c = cliConnect(s);
    int baseClients = clientCount(c), baseFds = openFds(s);
    int *fds = malloc(sizeof(int) * (size_t)batch);
    for (int done = 0; done < 10000; done += batch) {
        int n = 10000 - done < batch ? 10000 - done : batch;
        for (int i = 0; i < n; i++) {
            fds[i] = tcpConnect(srvPort(s));
            REQUIRE(fds[i] >= 0, "connect %d failed: %s", done + i, strerror(errno));
        }
        /* half of each batch talks, a quarter of those leave with a reset */
        for (int i = 0; i < n; i += 2) REQUIRE(sendAll(fds[i], "PING\r\n", 6));
        for (int i = 0; i < n; i += 2) {
            char pong[8] = {0};
            REQUIRE(readExact(fds[i], pong, 7, 10000), "no PONG on connection %d", done + i);
            REQUIRE(memcmp(pong, "+PONG\r\n", 7) == 0);
        }
        for (int i = 0; i < n; i++) {
            if (i % 8 == 0) {
                struct linger lg = { 1, 0 };
                setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            }
            close(fds[i]);
        }
        long long ms = pingLatencyMs(c);
        REQUIRE(ms >= 0, "PING after %d connections failed", done + n);
    }
    free(fds);
    EXPECT(c, "SET conn:after ok", "+OK");
    EXPECT(c, "GET conn:after", "\"ok\"");
    /* nothing left behind: no more than before (a client of an earlier
     * test may still have been closing when the baseline was taken) */
    CHECK(WAIT_FOR(openFds(s) <= baseFds, 10000), "server fds %d, before %d", openFds(s), baseFds);
    if (baseClients >= 0)
        CHECK(WAIT_FOR(clientCount(c) <= baseClients, 10000), "clients %d, before %d",
              clientCount(c), baseClients);
    else
        printf("  (no INFO clients or CLIENT LIST: checked the server's open fds only)\n");
}

TEST(the_connection_past_maxclients_gets_an_error_and_is_closed) {
    srv *sv = srvStart("maxclients 10");
    raw *r[10];
    for (int i = 0; i < 10; i++) {
        r[i] = rawConnect(sv);
        EXPECT_RAW(r[i], "PING", "+PONG");
    }
    raw *extra = rawConnect(sv);
    EXPECT_REPLY(extra, "-ERR max number of clients reached");
    CHECK(rawExpectClosed(extra, 3000));
    /* a slot frees when a client leaves */
    rawClose(r[3]);
    bool ok = WAIT_FOR(({
        raw *t = rawConnect(sv);
        bool pong = strcmp(rawCall(t, "PING"), "+PONG") == 0;
        rawClose(t);
        pong;
    }), 3000);
    CHECK(ok, "no connection accepted after a client left");
    for (int i = 0; i < 10; i++)
        if (i != 3) EXPECT_RAW(r[i], "PING", "+PONG");
}

TEST(timeout_closes_idle_clients_only) {
    harnessSetTimeout(60);
    srv *sv = srvStart("timeout 1");
    raw *idle = rawConnect(sv);
    raw *busy = rawConnect(sv);
    EXPECT_RAW(idle, "PING", "+PONG");
    long long t0 = harnessNowMs();
    /* the busy client talks every 250 ms for 3 s: never idle for 1 s */
    bool idleClosed = false;
    long long closedAt = 0;
    while (harnessNowMs() - t0 < 3000) {
        EXPECT_RAW(busy, "PING", "+PONG");
        if (!idleClosed && rawExpectClosed(idle, 250)) {
            idleClosed = true;
            closedAt = harnessNowMs() - t0;
        } else if (idleClosed) {
            harnessSleepMs(250);
        }
    }
    if (!idleClosed && rawExpectClosed(idle, 3000)) {
        idleClosed = true;
        closedAt = harnessNowMs() - t0;
    }
    CHECK(idleClosed, "the idle client was not closed");
    CHECK(closedAt >= 900, "the idle client was closed after only %lld ms", closedAt);
    EXPECT_RAW(busy, "PING", "+PONG");
}

TEST(timeout_spares_monitor_clients) {
    harnessSetTimeout(60);
    srv *sv = srvStart("timeout 1");
    raw *mon = rawConnect(sv);
    EXPECT_RAW(mon, "MONITOR", "+OK");
    harnessSleepMs(2500);
    raw *r = rawConnect(sv);
    EXPECT_RAW(r, "ECHO seen-by-monitor", "\"seen-by-monitor\"");
    EXPECT_REPLY_MATCH(mon, "+* [0 127.0.0.1:*] \"ECHO\" \"seen-by-monitor\"");
}

TEST(setting_timeout_to_0_spares_clients_already_idle) {
    harnessSetTimeout(60);
    srv *sv = srvStart("timeout 1");
    raw *idle = rawConnect(sv);
    EXPECT_RAW(idle, "PING", "+PONG");
    redisContext *c = cliConnect(sv);
    const char *r = cliCall(c, "CONFIG SET timeout 0");
    if (strncmp(r, "-ERR unknown command", 20) == 0) SKIP("no CONFIG SET yet");
    CHECK_STR(r, "+OK");
    CHECK(!rawExpectClosed(idle, 2500), "the idle client was closed after timeout became 0");
    EXPECT_RAW(idle, "PING", "+PONG");
}

TEST(the_unix_socket_serves_clients_with_its_permissions) {
    srv *sv = srvStart("unixsocket {dir}/roost.sock\nunixsocketperm 700");
    const char *path = tfmt("%s/roost.sock", sv ? sv->dir : "");
    struct stat st;
    REQUIRE(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 0777) == 0700, "mode %o", (unsigned)(st.st_mode & 0777));
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "connect: %s",
            strerror(errno));
    raw *u = rawAttach(fd);
    EXPECT_RAW(u, "PING", "+PONG");
    EXPECT_RAW(u, "SET unix:k viaunix", "+OK");
    REQUIRE(rawSend(u, "GET unix:k\r\n", 12));
    EXPECT_REPLY(u, "\"viaunix\"");
    redisContext *c = cliConnect(sv);
    EXPECT(c, "GET unix:k", "\"viaunix\"");
    /* redis-cli over the socket too */
    char *out = NULL;
    int rc = runCmd(&out, "redis-cli -s %s ECHO hello-unix", path);
    CHECK(rc == 0);
    CHECK_STR(out, "hello-unix\n");
}

/* ---- RESP3 and QUIT ------------------------------------------------------------------ */

TEST(hello_3_makes_a_missing_key_the_resp3_null) {
    raw *r = rawConnect(s);
    char buf[16] = {0};
    REQUIRE(rawSend(r, "GET nosuchkey\r\n", 15));
    REQUIRE(readExact(rawFd(r), buf, 5, 5000));
    CHECK_STR(buf, "$-1\r\n");
    EXPECT_RAW_MATCH(r, "HELLO 3", "{\"server\": *, \"proto\": :3, *}");
    memset(buf, 0, sizeof buf);
    REQUIRE(rawSend(r, "GET nosuchkey\r\n", 15));
    REQUIRE(readExact(rawFd(r), buf, 3, 5000));
    CHECK_STR(buf, "_\r\n");
    EXPECT_RAW(r, "HELLO 4", "-NOPROTO unsupported protocol version");
    EXPECT_RAW_MATCH(r, "HELLO 2", "[\"server\", *, \"proto\", :2, *]");
    memset(buf, 0, sizeof buf);
    REQUIRE(rawSend(r, "GET nosuchkey\r\n", 15));
    REQUIRE(readExact(rawFd(r), buf, 5, 5000));
    CHECK_STR(buf, "$-1\r\n");
}

TEST(quit_replies_ok_closes_and_runs_nothing_after_it) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET quit:k before", "+OK");
    raw *r = rawConnect(s);
    const char *in = "PING\r\nQUIT\r\nSET quit:k after\r\n";
    REQUIRE(rawSend(r, in, strlen(in)));
    EXPECT_REPLY(r, "+PONG");
    EXPECT_REPLY(r, "+OK");
    CHECK(rawExpectClosed(r, 3000));
    EXPECT(c, "GET quit:k", "\"before\"");
    raw *r2 = rawConnect(s);
    EXPECT_RAW(r2, "QUIT extra args", "+OK");
    CHECK(rawExpectClosed(r2, 3000));
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    s1 = srvStart(threadsLine(1));
    sAuth = srvStart("requirepass " PASSWORD);
    sLimits = srvStart("proto-max-bulk-len 1mb\nclient-query-buffer-limit 2mb");
    return harnessMain(argc, argv);
}
