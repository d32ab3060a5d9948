/* test_sysmon.c — readiness is not starved by a P that always has work.
 *
 * With one P and a coroutine that only yields, the P never goes idle, so it
 * never reaches the blocking netpoll. Readiness must still be harvested
 * (sysmon polls every ~10 ms; a busy P polls every 64 scheduling rounds;
 * golang/go #51651). A G parked in rtFdRead must wake within 20 ms of a
 * plain pthread writing to the other end of its socket.
 *
 * Timing: the median of 10 rounds is asserted (this is a shared 2-core
 * machine); a round that never wakes fails through a 2 s read deadline.
 */
#include "rt_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SEC (1000 * RT_MS)
#define ROUNDS 10

static void sleepNs(int64_t ns) {
    struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static int cmpI64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct wakeTest {
    bool tcp;
    int writerFd;             /* the plain end; the writer thread owns it */
    int port;                 /* tcp: the listener's port */
    _Atomic int readerRound;  /* the reader is about to read for this round */
    _Atomic int64_t sentAt;   /* when the writer wrote this round's byte */
    _Atomic int stopYielder;
    _Atomic int yielderDone;
    _Atomic long yields;
    ssize_t rc[ROUNDS];       /* rtFdRead results */
    int64_t latency[ROUNDS];
    char setupErr[128];
    char writerErr[128];
    rtStats before, after;
} wakeTest;

/* yielder keeps the only P busy: it never parks. */
static void yielder(void *a) {
    wakeTest *t = a;
    int64_t selfLimit = rtNanotime() + 30 * SEC;
    while (!atomic_load(&t->stopYielder) && rtNanotime() < selfLimit) {
        atomic_fetch_add_explicit(&t->yields, 1, memory_order_relaxed);
        rtYield();
    }
    atomic_store(&t->yielderDone, 1);
}

static void *writer(void *a) {
    wakeTest *t = a;
    if (t->tcp) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)t->port) };
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            snprintf(t->writerErr, sizeof t->writerErr, "connect: %s", strerror(errno));
            return NULL;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);   /* no Nagle delay */
        t->writerFd = fd;
    }
    for (int i = 1; i <= ROUNDS; i++) {
        int64_t limit = rtNanotime() + 10 * SEC;
        while (atomic_load(&t->readerRound) != i) {
            if (rtNanotime() > limit) {
                snprintf(t->writerErr, sizeof t->writerErr, "reader never reached round %d", i);
                return NULL;
            }
            sleepNs(100 * RT_US);
        }
        sleepNs(5 * RT_MS);            /* the reader is parked by now */
        char c = (char)('0' + i);
        atomic_store(&t->sentAt, rtNanotime());
        if (write(t->writerFd, &c, 1) != 1) {
            snprintf(t->writerErr, sizeof t->writerErr, "write: %s", strerror(errno));
            return NULL;
        }
    }
    return NULL;
}

static void wakeMain(void *a) {
    wakeTest *t = a;
    rtFd *fd = NULL, *listener = NULL;
    int err = 0;
    if (t->tcp) {
        listener = rtListenTCP("127.0.0.1", 0, 16, &err);
        if (!listener) {
            snprintf(t->setupErr, sizeof t->setupErr, "rtListenTCP: %s", rtStrerror(err));
            return;
        }
        struct sockaddr_in sa;
        socklen_t len = sizeof sa;
        RT_CHECK(getsockname(rtFdSysfd(listener), (struct sockaddr *)&sa, &len) == 0,
                 "getsockname");
        t->port = ntohs(sa.sin_port);
    } else {
        int sv[2];
        RT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
        t->writerFd = sv[1];
        fd = rtFdOpen(sv[0], &err);
        if (!fd) {
            snprintf(t->setupErr, sizeof t->setupErr, "rtFdOpen: %s", rtStrerror(err));
            return;
        }
    }
    rtGo(yielder, t);
    rtYield();                         /* let the yielder start */
    rtGetStats(&t->before);
    pthread_t th;
    RT_CHECK(pthread_create(&th, NULL, writer, t) == 0, "pthread_create");
    if (t->tcp) {
        rtFdSetDeadline(listener, rtNanotime() + 5 * SEC, 'r');
        fd = rtFdAccept(listener, NULL, NULL, &err);
        if (!fd) {
            snprintf(t->setupErr, sizeof t->setupErr, "rtFdAccept: %s", rtStrerror(err));
            goto out;
        }
    }
    for (int i = 1; i <= ROUNDS; i++) {
        char buf[64];
        rtFdSetDeadline(fd, rtNanotime() + 2 * SEC, 'r');   /* a lost wake fails, not hangs */
        atomic_store(&t->readerRound, i);
        ssize_t n = rtFdRead(fd, buf, sizeof buf);
        int64_t now = rtNanotime();
        t->rc[i - 1] = n;
        t->latency[i - 1] = now - atomic_load(&t->sentAt);
        if (n != 1) break;
    }
    rtGetStats(&t->after);
out:
    atomic_store(&t->stopYielder, 1);
    pthread_join(th, NULL);
    while (!atomic_load(&t->yielderDone)) rtYield();
    if (fd) rtFdClose(fd);
    if (listener) rtFdClose(listener);
    if (t->writerFd > 0) close(t->writerFd);
}

static void runWakeTest(bool tcp) {
    static wakeTest t;
    memset(&t, 0, sizeof t);
    t.tcp = tcp;
    rtTestRun(1, wakeMain, &t);
    cr_assert_str_empty(t.setupErr, "%s", t.setupErr);
    cr_assert_str_empty(t.writerErr, "writer thread: %s", t.writerErr);
    for (int i = 0; i < ROUNDS; i++) {
        cr_assert_eq(t.rc[i], 1, "round %d: rtFdRead returned %zd (%s)", i + 1, t.rc[i],
                     t.rc[i] < 0 ? rtStrerror((int)t.rc[i]) : "expected one byte");
        cr_assert_geq(t.latency[i], 0);
    }
    int64_t sorted[ROUNDS];
    memcpy(sorted, t.latency, sizeof sorted);
    qsort(sorted, ROUNDS, sizeof sorted[0], cmpI64);
    int64_t med = sorted[ROUNDS / 2], max = sorted[ROUNDS - 1];
    cr_log_info("%s: read wake latency median %.3f ms, max %.3f ms, min %.3f ms; "
                "%ld yields; netpolls +%llu, sysmon polls +%llu",
                tcp ? "tcp" : "socketpair", med / 1e6, max / 1e6, sorted[0] / 1e6,
                atomic_load(&t.yields),
                (unsigned long long)(t.after.netpolls - t.before.netpolls),
                (unsigned long long)(t.after.sysmonPolls - t.before.sysmonPolls));
    cr_assert_lt(med, 20 * RT_MS, "median read wake latency %.2f ms with the P kept busy",
                 med / 1e6);
    cr_assert_gt(atomic_load(&t.yields), 1000, "the yielder hardly ran (%ld yields)",
                 atomic_load(&t.yields));
    cr_assert_gt((t.after.netpolls - t.before.netpolls) +
                     (t.after.sysmonPolls - t.before.sysmonPolls), 0,
                 "neither netpolls nor sysmonPolls grew");
}

Test(sysmon, a_socketpair_read_wakes_within_20ms_while_the_only_P_is_kept_busy,
     .timeout = 60) {
    runWakeTest(false);
}

Test(sysmon, a_tcp_read_wakes_within_20ms_while_the_only_P_is_kept_busy, .timeout = 60) {
    runWakeTest(true);
}
