/* test_echo.c — an echo server and its clients, all Gs on one runtime.
 *
 * The server is rtListenTCP on 127.0.0.1 (port 0) with one accept-loop G and
 * one G per connection that writes back whatever it reads. 1,000 client Gs
 * connect with rtFdConnect and each makes 100 round trips (20 under TSan,
 * which slows the runtime about 15x) with a distinct 16..64-byte message,
 * checking every byte of every echo. The same load runs with 1 P and with
 * 2 Ps. At the end the listener is evicted (its accept
 * fails with RT_ECLOSING), and the byte and connection counts on both sides
 * must match exactly.
 */
#include "rt_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define CLIENTS 1000
#if defined(__SANITIZE_THREAD__)
#define ROUNDS 20     /* same concurrency, fewer round trips */
#else
#define ROUNDS 100
#endif

static const char *rcStr(ssize_t n) { return n < 0 ? rtStrerror((int)n) : "ok"; }

static struct {
    int port;
    rtFd *l;
    int64_t elapsed;                  /* ns from the first spawn to the last client done */
    _Atomic int accepted;             /* connections accepted */
    _Atomic int acceptErr;            /* the error that ended the accept loop */
    _Atomic int acceptExited;
    _Atomic int serversDone;          /* connection Gs that saw EOF and closed */
    _Atomic int clientsDone;          /* clients that finished every round */
    _Atomic long long bytesSent;      /* by clients, verified echoed */
    _Atomic long long bytesEchoed;    /* by connection Gs */
} E;

/* message is client `id`'s round `r`: 16..64 bytes, unique per (id, r). */
static size_t message(int id, int r, unsigned char *m) {
    size_t n = 16 + (size_t)((id * 131 + r * 71) % 49);
    m[0] = (unsigned char)id;
    m[1] = (unsigned char)(id >> 8);
    m[2] = (unsigned char)r;
    m[3] = (unsigned char)n;
    for (size_t k = 4; k < n; k++)
        m[k] = (unsigned char)(id * 7 + r * 13 + (int)k * 31 + (int)(k >> 3));
    return n;
}

/* ---- server ----------------------------------------------------------------- */

static void serveConn(void *arg) {
    rtFd *fd = arg;
    char buf[4096];
    for (;;) {
        ssize_t n = rtFdRead(fd, buf, sizeof buf);
        if (n == 0) break;
        RT_CHECK(n > 0, "server: read returned %zd (%s)", n, rcStr(n));
        ssize_t w = rtFdWrite(fd, buf, (size_t)n);
        RT_CHECK(w == n, "server: write of %zd returned %zd (%s)", n, w, rcStr(w));
        atomic_fetch_add(&E.bytesEchoed, n);
    }
    int rc = rtFdClose(fd);
    RT_CHECK(rc == 0, "server: rtFdClose returned %d (%s)", rc, rcStr(rc));
    atomic_fetch_add(&E.serversDone, 1);
}

static void acceptLoop(void *arg) {
    for (;;) {
        int err = 0;
        rtFd *c = rtFdAccept(E.l, NULL, NULL, &err);
        if (c == NULL) {
            atomic_store(&E.acceptErr, err);
            break;
        }
        atomic_fetch_add(&E.accepted, 1);
        RT_CHECK(rtGo(serveConn, c) != NULL, "rtGo failed");
    }
    rtFdClose(E.l);                              /* the accept loop owns the listener */
    atomic_store(&E.acceptExited, 1);
}

/* ---- clients ---------------------------------------------------------------- */

static void client(void *arg) {
    int id = (int)(intptr_t)arg;
    int err = 0;
    rtFd *fd = rtFdConnect("127.0.0.1", E.port, &err);
    RT_CHECK(fd != NULL, "client %d: rtFdConnect: %s", id, rtStrerror(err));
    unsigned char out[64], in[64];
    for (int r = 0; r < ROUNDS; r++) {
        size_t len = message(id, r, out);
        ssize_t n = rtFdWrite(fd, out, len);
        RT_CHECK(n == (ssize_t)len, "client %d round %d: write returned %zd (%s)", id, r, n, rcStr(n));
        size_t got = 0;
        while (got < len) {
            n = rtFdRead(fd, in + got, sizeof in - got);
            RT_CHECK(n > 0, "client %d round %d: read returned %zd (%s) after %zu of %zu bytes",
                     id, r, n, rcStr(n), got, len);
            got += (size_t)n;
        }
        RT_CHECK(got == len, "client %d round %d: %zu bytes echoed for %zu sent", id, r, got, len);
        for (size_t k = 0; k < len; k++)
            RT_CHECK(in[k] == out[k], "client %d round %d: byte %zu is 0x%02x, sent 0x%02x",
                     id, r, k, in[k], out[k]);
        atomic_fetch_add(&E.bytesSent, (long long)len);
    }
    int rc = rtFdClose(fd);
    RT_CHECK(rc == 0, "client %d: rtFdClose returned %d (%s)", id, rc, rcStr(rc));
    atomic_fetch_add(&E.clientsDone, 1);
}

/* ---- the test ----------------------------------------------------------------- */

static void echoMain(void *arg) {
    int err = 0;
    E.l = rtListenTCP("127.0.0.1", 0, 4096, &err);
    RT_CHECK(E.l != NULL, "rtListenTCP: %s", rtStrerror(err));
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    RT_CHECK(getsockname(rtFdSysfd(E.l), (struct sockaddr *)&a, &al) == 0, "getsockname: %s",
             strerror(errno));
    E.port = ntohs(a.sin_port);
    RT_CHECK(E.port != 0, "the listener has no port");

    RT_CHECK(rtGo(acceptLoop, NULL) != NULL, "rtGo failed");
    int64_t t0 = rtNanotime();
    for (int i = 0; i < CLIENTS; i++)
        RT_CHECK(rtGo(client, (void *)(intptr_t)i) != NULL, "rtGo failed for client %d", i);

    int64_t end = t0 + 45000 * RT_MS;
    while (atomic_load(&E.clientsDone) < CLIENTS || atomic_load(&E.serversDone) < CLIENTS) {
        RT_CHECK(rtNanotime() < end, "after 45 s: %d/%d clients done, %d accepted, %d server "
                 "connections done, %lld bytes verified", atomic_load(&E.clientsDone), CLIENTS,
                 atomic_load(&E.accepted), atomic_load(&E.serversDone), atomic_load(&E.bytesSent));
        rtSleep(5 * RT_MS);
    }
    E.elapsed = rtNanotime() - t0;

    rtFdEvict(E.l);
    for (int64_t stop = rtNanotime() + 2000 * RT_MS; !atomic_load(&E.acceptExited); rtSleep(RT_MS))
        RT_CHECK(rtNanotime() < stop, "evicting the listener did not end the accept loop");
    int aerr = atomic_load(&E.acceptErr);
    RT_CHECK(aerr == RT_ECLOSING, "the accept loop ended with %d (%s), want RT_ECLOSING", aerr, rcStr(aerr));

    long long want = 0;
    unsigned char m[64];
    for (int i = 0; i < CLIENTS; i++)
        for (int r = 0; r < ROUNDS; r++) want += (long long)message(i, r, m);
    RT_CHECK(atomic_load(&E.accepted) == CLIENTS, "accepted %d connections, want %d",
             atomic_load(&E.accepted), CLIENTS);
    RT_CHECK(atomic_load(&E.bytesSent) == want, "clients verified %lld bytes, want %lld",
             atomic_load(&E.bytesSent), want);
    RT_CHECK(atomic_load(&E.bytesEchoed) == want, "the server echoed %lld bytes, want %lld",
             atomic_load(&E.bytesEchoed), want);
}

/* setup: 1,000 clients take 2,000 descriptors; make sure the soft limit
 * allows them (it is 20,000 here by default). */
static void setup(void) {
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4 * CLIENTS) {
        rl.rlim_cur = rl.rlim_max < 4 * CLIENTS ? rl.rlim_max : 4 * CLIENTS;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

Test(echo, a_thousand_concurrent_clients_make_a_hundred_round_trips_each_on_one_p,
     .init = setup, .timeout = 60) {
    rtTestRun(1, echoMain, NULL);
    cr_log_info("echo, 1 P: %d clients x %d round trips in %lld ms", CLIENTS, ROUNDS,
                (long long)(E.elapsed / RT_MS));
    cr_assert_eq(atomic_load(&E.clientsDone), CLIENTS);
    cr_assert_eq(atomic_load(&E.serversDone), CLIENTS);
}

Test(echo, a_thousand_concurrent_clients_make_a_hundred_round_trips_each_on_two_ps,
     .init = setup, .timeout = 60) {
    rtTestRun(2, echoMain, NULL);
    cr_log_info("echo, 2 Ps: %d clients x %d round trips in %lld ms", CLIENTS, ROUNDS,
                (long long)(E.elapsed / RT_MS));
    cr_assert_eq(atomic_load(&E.clientsDone), CLIENTS);
    cr_assert_eq(atomic_load(&E.serversDone), CLIENTS);
}
