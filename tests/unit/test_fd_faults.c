/* test_fd_faults.c — rtFd under injected syscall faults (rtSys hooks).
 *
 * The hooks are installed before rtMain starts any thread and restored after
 * it returns; while the runtime runs, the test steers them only through the
 * atomics in `hk`. A hook acts only on the one descriptor in hk.fd, so the
 * runtime's own syscalls (epoll, its eventfd) pass through untouched, and
 * every hook ends by calling the real syscall in rtSysDefault.
 */
#include "rt_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the fault injector --------------------------------------------------- */

static struct {
    _Atomic int fd;                 /* the descriptor faults apply to, -1 = none */
    _Atomic int readEintr, writeEintr, writevEintr, acceptEintr;  /* -EINTR this many times */
    _Atomic int acceptAborted;      /* -ECONNABORTED this many times */
    _Atomic int readReset;          /* -ECONNRESET this many times */
    _Atomic int64_t emfileUntil;    /* -EMFILE from accept4 until this time */
    _Atomic int writeMax;           /* > 0: write/writev move at most this many bytes */
    _Atomic int reads, writes, writevs, accepts, emfiles;   /* calls seen on hk.fd */
} hk;

static rtSyscalls savedSys;

static bool take(_Atomic int *budget) {
    int v = atomic_load(budget);
    while (v > 0)
        if (atomic_compare_exchange_weak(budget, &v, v - 1)) return true;
    return false;
}

static bool targeted(int fd) { return fd == atomic_load(&hk.fd); }

static ssize_t hookRead(int fd, void *buf, size_t n) {
    if (targeted(fd)) {
        atomic_fetch_add(&hk.reads, 1);
        if (take(&hk.readEintr)) return -EINTR;
        if (take(&hk.readReset)) return -ECONNRESET;
    }
    return rtSysDefault.read(fd, buf, n);
}

static ssize_t hookWrite(int fd, const void *buf, size_t n) {
    if (targeted(fd)) {
        atomic_fetch_add(&hk.writes, 1);
        if (take(&hk.writeEintr)) return -EINTR;
        int max = atomic_load(&hk.writeMax);
        if (max > 0 && n > (size_t)max) n = (size_t)max;
    }
    return rtSysDefault.write(fd, buf, n);
}

static ssize_t hookWritev(int fd, const struct iovec *iov, int iovcnt) {
    if (targeted(fd)) {
        atomic_fetch_add(&hk.writevs, 1);
        if (take(&hk.writevEintr)) return -EINTR;
        int max = atomic_load(&hk.writeMax);
        if (max > 0 && iovcnt > 0) {
            /* pass on a prefix of at most max bytes, cutting inside an iovec */
            struct iovec cut[iovcnt];
            size_t left = (size_t)max;
            int k = 0;
            for (int i = 0; i < iovcnt && left > 0; i++) {
                size_t l = iov[i].iov_len < left ? iov[i].iov_len : left;
                if (l == 0) continue;
                cut[k].iov_base = iov[i].iov_base;
                cut[k].iov_len = l;
                left -= l;
                k++;
            }
            if (k > 0) return rtSysDefault.writev(fd, cut, k);
        }
    }
    return rtSysDefault.writev(fd, iov, iovcnt);
}

static int hookAccept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    if (targeted(fd)) {
        atomic_fetch_add(&hk.accepts, 1);
        if (take(&hk.acceptEintr)) return -EINTR;
        if (take(&hk.acceptAborted)) return -ECONNABORTED;
        if (rtNanotime() < atomic_load(&hk.emfileUntil)) {
            atomic_fetch_add(&hk.emfiles, 1);
            return -EMFILE;
        }
    }
    return rtSysDefault.accept4(fd, addr, len, flags);
}

static void installHooks(void) {
    signal(SIGPIPE, SIG_IGN);
    savedSys = rtSys;
    atomic_store(&hk.fd, -1);
    rtSys.read = hookRead;
    rtSys.write = hookWrite;
    rtSys.writev = hookWritev;
    rtSys.accept4 = hookAccept4;
}

static void restoreHooks(void) { rtSys = savedSys; }

/* ---- helpers -------------------------------------------------------------- */

static void unixPair(int sv[2]) {
    RT_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0,
             "socketpair: %s", strerror(errno));
}

static rtFd *mustOpen(int sysfd) {
    int err = 0;
    rtFd *fd = rtFdOpen(sysfd, &err);
    RT_CHECK(fd != NULL, "rtFdOpen(%d) failed: %s", sysfd, rtStrerror(err));
    return fd;
}

static void rawWrite(int sysfd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(sysfd, p, n);
        RT_CHECK(k > 0, "write(%d): %s", sysfd, k < 0 ? strerror(errno) : "0");
        p += k;
        n -= (size_t)k;
    }
}

/* rawReadFull reads exactly n bytes from a blocking descriptor, or fails. */
static void rawReadFull(int sysfd, void *buf, size_t n) {
    char *p = buf;
    while (n > 0) {
        ssize_t k = read(sysfd, p, n);
        RT_CHECK(k > 0, "read(%d): %s", sysfd, k < 0 ? strerror(errno) : "EOF");
        p += k;
        n -= (size_t)k;
    }
}

static const char *rcStr(ssize_t n) { return n < 0 ? rtStrerror((int)n) : "ok"; }

static int64_t cpuNow(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* listenLoopback starts a runtime listener on 127.0.0.1 and returns its port. */
static rtFd *listenLoopback(int *port) {
    int err = 0;
    rtFd *l = rtListenTCP("127.0.0.1", 0, 16, &err);
    RT_CHECK(l != NULL, "rtListenTCP: %s", rtStrerror(err));
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    RT_CHECK(getsockname(rtFdSysfd(l), (struct sockaddr *)&a, &al) == 0, "getsockname: %s", strerror(errno));
    *port = ntohs(a.sin_port);
    return l;
}

/* dialBlocking connects a plain blocking client; on loopback the handshake
 * completes through the listener's backlog without an accept. */
static int dialBlocking(int port) {
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    RT_CHECK(c >= 0, "socket: %s", strerror(errno));
    RT_CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
    return c;
}

/* checkConnection proves that an accepted rtFd is a working connection to
 * the plain client c, both ways. */
static void checkConnection(rtFd *s, int c) {
    char buf[32];
    rawWrite(c, "hello server", 12);
    ssize_t n = rtFdRead(s, buf, sizeof buf);
    RT_CHECK(n == 12 && memcmp(buf, "hello server", 12) == 0,
             "read on the accepted connection returned %zd (%s)", n, rcStr(n));
    n = rtFdWrite(s, "hello client", 12);
    RT_CHECK(n == 12, "write on the accepted connection returned %zd (%s)", n, rcStr(n));
    rawReadFull(c, buf, 12);
    RT_CHECK(memcmp(buf, "hello client", 12) == 0, "the client got the wrong bytes");
}

/* ---- EINTR is retried --------------------------------------------------------- */

static void eintrRetried(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];
    atomic_store(&hk.fd, sv[0]);

    /* read */
    rawWrite(sv[1], "read through EINTR", 18);
    atomic_store(&hk.readEintr, 3);
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 18 && memcmp(buf, "read through EINTR", 18) == 0,
             "read with 3 EINTRs returned %zd (%s)", n, rcStr(n));
    RT_CHECK(atomic_load(&hk.readEintr) == 0, "only %d of 3 EINTRs were hit by read",
             3 - atomic_load(&hk.readEintr));
    RT_CHECK(atomic_load(&hk.reads) >= 4, "read(2) was called %d times, want >= 4", atomic_load(&hk.reads));

    /* write */
    atomic_store(&hk.writeEintr, 3);
    n = rtFdWrite(fd, "write through EINTR", 19);
    RT_CHECK(n == 19, "write with 3 EINTRs returned %zd (%s)", n, rcStr(n));
    RT_CHECK(atomic_load(&hk.writeEintr) == 0, "only %d of 3 EINTRs were hit by write",
             3 - atomic_load(&hk.writeEintr));
    rawReadFull(sv[1], buf, 19);
    RT_CHECK(memcmp(buf, "write through EINTR", 19) == 0, "the peer got \"%.19s\"", buf);

    /* writev */
    atomic_store(&hk.writevEintr, 3);
    struct iovec iov[3] = { { "writev ", 7 }, { "through ", 8 }, { "EINTR", 5 } };
    n = rtFdWritev(fd, iov, 3);
    RT_CHECK(n == 20, "writev with 3 EINTRs returned %zd (%s)", n, rcStr(n));
    RT_CHECK(atomic_load(&hk.writevEintr) == 0, "only %d of 3 EINTRs were hit by writev",
             3 - atomic_load(&hk.writevEintr));
    rawReadFull(sv[1], buf, 20);
    RT_CHECK(memcmp(buf, "writev through EINTR", 20) == 0, "the peer got \"%.20s\"", buf);

    atomic_store(&hk.fd, -1);
    rtFdClose(fd);
    close(sv[1]);

    /* accept */
    int port;
    rtFd *l = listenLoopback(&port);
    int c = dialBlocking(port);
    atomic_store(&hk.accepts, 0);
    atomic_store(&hk.fd, rtFdSysfd(l));
    atomic_store(&hk.acceptEintr, 3);
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    int err = 0;
    rtFd *s = rtFdAccept(l, (struct sockaddr *)&peer, &plen, &err);
    RT_CHECK(s != NULL, "accept with 3 EINTRs failed: %s", rtStrerror(err));
    RT_CHECK(atomic_load(&hk.acceptEintr) == 0, "only %d of 3 EINTRs were hit by accept",
             3 - atomic_load(&hk.acceptEintr));
    RT_CHECK(atomic_load(&hk.accepts) >= 4, "accept4 was called %d times, want >= 4",
             atomic_load(&hk.accepts));
    RT_CHECK(plen == sizeof(struct sockaddr_in) && peer.ss_family == AF_INET,
             "accept reported a peer address of length %u family %d", (unsigned)plen, peer.ss_family);
    atomic_store(&hk.fd, -1);
    checkConnection(s, c);
    rtFdClose(s);
    rtFdClose(l);
    close(c);
}

Test(fd_faults, eintr_is_retried_by_read_write_writev_and_accept,
     .init = installHooks, .fini = restoreHooks, .timeout = 60) {
    rtTestRun(1, eintrRetried, NULL);
}

/* ---- ECONNABORTED on accept4 is retried ------------------------------------ */

static void connabortedRetried(void *arg) {
    int port;
    rtFd *l = listenLoopback(&port);
    int c = dialBlocking(port);
    atomic_store(&hk.fd, rtFdSysfd(l));
    atomic_store(&hk.acceptAborted, 2);
    int err = 0;
    rtFd *s = rtFdAccept(l, NULL, NULL, &err);
    RT_CHECK(s != NULL, "accept with 2 ECONNABORTEDs failed: %s", rtStrerror(err));
    RT_CHECK(atomic_load(&hk.acceptAborted) == 0, "only %d of 2 ECONNABORTEDs were hit",
             2 - atomic_load(&hk.acceptAborted));
    atomic_store(&hk.fd, -1);
    checkConnection(s, c);
    rtFdClose(s);
    rtFdClose(l);
    close(c);
}

Test(fd_faults, econnaborted_from_accept4_is_retried_and_returns_the_next_connection,
     .init = installHooks, .fini = restoreHooks, .timeout = 60) {
    rtTestRun(1, connabortedRetried, NULL);
}

/* ---- EMFILE on accept backs off ---------------------------------------------- */

/* A client waits in the backlog while accept4 fails with EMFILE for 500 ms.
 * Its readiness edge was already reported, so no new edge will come: the
 * accept must retry on a timer (5 ms doubling to 200 ms), neither spinning
 * nor waiting for readiness. */
typedef struct emfileCase {
    rtFd *l;
    _Atomic int done;
    _Atomic int64_t acceptedAt;
    rtFd *_Atomic s;
    _Atomic int err;
} emfileCase;

static void emfileAccepter(void *arg) {
    emfileCase *e = arg;
    int err = 0;
    rtFd *s = rtFdAccept(e->l, NULL, NULL, &err);
    atomic_store(&e->acceptedAt, rtNanotime());
    atomic_store(&e->err, err);
    atomic_store(&e->s, s);
    atomic_fetch_add(&e->done, 1);
}

static void emfileBacksOff(void *arg) {
    emfileCase *e = arg;
    int port;
    e->l = listenLoopback(&port);
    int c = dialBlocking(port);
    rtSleep(10 * RT_MS);                         /* the poller sees the listener's edge */

    rtStats st0, st1;
    rtGetStats(&st0);
    int64_t cpu0 = cpuNow();
    int64_t t0 = rtNanotime();
    int64_t until = t0 + 500 * RT_MS;
    atomic_store(&hk.emfileUntil, until);
    atomic_store(&hk.fd, rtFdSysfd(e->l));
    rtGo(emfileAccepter, e);
    rtSleepUntil(until);
    int64_t cpu = cpuNow() - cpu0;
    int calls = atomic_load(&hk.emfiles);
    rtGetStats(&st1);

    RT_CHECK(calls >= 1, "accept4 was never called in the EMFILE window");
    RT_CHECK(calls < 50, "accept4 was called %d times in 500 ms of EMFILE: no back-off", calls);
    RT_CHECK(cpu < 100 * RT_MS, "the process used %lld ms of CPU in 500 ms of EMFILE: spinning",
             (long long)(cpu / RT_MS));
    RT_CHECK(!atomic_load(&e->done) || atomic_load(&e->acceptedAt) >= until,
             "accept returned (err %d) while accept4 failed with EMFILE", atomic_load(&e->err));
    RT_CHECK(st1.acceptBackoffs > st0.acceptBackoffs, "acceptBackoffs did not grow (%llu -> %llu)",
             (unsigned long long)st0.acceptBackoffs, (unsigned long long)st1.acceptBackoffs);

    bool ok = false;
    for (int64_t end = rtNanotime() + 2000 * RT_MS; rtNanotime() < end; rtSleep(RT_MS))
        if (atomic_load(&e->done)) { ok = true; break; }
    RT_CHECK(ok, "accept did not return within 2 s after EMFILE stopped (%d EMFILEs, %d accept4 calls)",
             atomic_load(&hk.emfiles), atomic_load(&hk.accepts));
    rtFd *s = atomic_load(&e->s);
    RT_CHECK(s != NULL, "accept failed after EMFILE stopped: %s", rtStrerror(atomic_load(&e->err)));
    int64_t late = atomic_load(&e->acceptedAt) - until;
    RT_CHECK(late >= 0, "accept succeeded %lld ms before EMFILE stopped", (long long)(-late / RT_MS));
    RT_CHECK(late < 300 * RT_MS, "accept succeeded %lld ms after EMFILE stopped, want < 300",
             (long long)(late / RT_MS));
    cr_log_info("EMFILE: %d accept4 calls and %lld ms CPU in 500 ms; accepted %lld ms after",
                calls, (long long)(cpu / RT_MS), (long long)(late / RT_MS));
    atomic_store(&hk.fd, -1);
    checkConnection(s, c);
    rtFdClose(s);
    rtFdClose(e->l);
    close(c);
}

Test(fd_faults, emfile_on_accept_backs_off_without_spinning_and_accepts_once_it_clears,
     .init = installHooks, .fini = restoreHooks, .timeout = 60) {
    emfileCase e = { 0 };
    rtTestRun(2, emfileBacksOff, &e);
}

/* ---- short writes are completed ------------------------------------------------ */

#define SHORT_TOTAL (100 * 1024)

static unsigned char pattern[SHORT_TOTAL];

static void fillPattern(void) {
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof pattern; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        pattern[i] = (unsigned char)x;
    }
}

/* A plain thread drains the peer and compares with pattern. */
typedef struct drain {
    int sysfd;
    size_t want;
    size_t got;
    long firstBad;               /* offset of the first wrong byte, -1 if none */
    pthread_t th;
} drain;

static void *drainMain(void *arg) {
    drain *d = arg;
    static unsigned char buf[65536];
    d->firstBad = -1;
    while (d->got < d->want) {
        ssize_t k = read(d->sysfd, buf, sizeof buf);
        if (k <= 0) break;
        for (ssize_t i = 0; i < k; i++)
            if (d->firstBad < 0 && (d->got + (size_t)i >= d->want || buf[i] != pattern[d->got + (size_t)i]))
                d->firstBad = (long)(d->got + (size_t)i);
        d->got += (size_t)k;
    }
    return NULL;
}

static void shortWritesCompleted(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    fillPattern();
    atomic_store(&hk.fd, sv[0]);
    atomic_store(&hk.writeMax, 7);

    /* rtFdWrite */
    drain d = { .sysfd = sv[1], .want = SHORT_TOTAL };
    RT_CHECK(pthread_create(&d.th, NULL, drainMain, &d) == 0, "pthread_create");
    ssize_t n = rtFdWrite(fd, pattern, SHORT_TOTAL);
    RT_CHECK(n == SHORT_TOTAL, "rtFdWrite of %d bytes, 7 per write(2), returned %zd (%s)",
             SHORT_TOTAL, n, rcStr(n));
    pthread_join(d.th, NULL);
    RT_CHECK(d.got == SHORT_TOTAL && d.firstBad < 0, "the peer got %zu bytes, first wrong at %ld",
             d.got, d.firstBad);
    int writes = atomic_load(&hk.writes) + atomic_load(&hk.writevs);
    RT_CHECK(writes >= (SHORT_TOTAL + 6) / 7, "only %d write calls for %d bytes at 7 per call",
             writes, SHORT_TOTAL);

    /* rtFdWritev: several iovecs, one empty, cut inside iovecs */
    size_t lens[] = { 1, 0, 4096, 30000, 7, SHORT_TOTAL - 1 - 4096 - 30000 - 7 };
    struct iovec iov[6];
    size_t off = 0;
    for (int i = 0; i < 6; i++) {
        iov[i].iov_base = pattern + off;
        iov[i].iov_len = lens[i];
        off += lens[i];
    }
    RT_CHECK(off == SHORT_TOTAL, "iovecs add up to %zu", off);
    atomic_store(&hk.writes, 0);
    atomic_store(&hk.writevs, 0);
    drain d2 = { .sysfd = sv[1], .want = SHORT_TOTAL };
    RT_CHECK(pthread_create(&d2.th, NULL, drainMain, &d2) == 0, "pthread_create");
    n = rtFdWritev(fd, iov, 6);
    RT_CHECK(n == SHORT_TOTAL, "rtFdWritev of %d bytes, 7 per call, returned %zd (%s)",
             SHORT_TOTAL, n, rcStr(n));
    pthread_join(d2.th, NULL);
    RT_CHECK(d2.got == SHORT_TOTAL && d2.firstBad < 0, "the peer got %zu bytes, first wrong at %ld",
             d2.got, d2.firstBad);
    writes = atomic_load(&hk.writes) + atomic_load(&hk.writevs);
    RT_CHECK(writes >= (SHORT_TOTAL + 6) / 7, "only %d write calls for %d bytes at 7 per call",
             writes, SHORT_TOTAL);

    atomic_store(&hk.writeMax, 0);
    atomic_store(&hk.fd, -1);
    rtFdClose(fd);
    close(sv[1]);
}

Test(fd_faults, short_writes_are_completed_by_write_and_writev_in_order,
     .init = installHooks, .fini = restoreHooks, .timeout = 60) {
    rtTestRun(2, shortWritesCompleted, NULL);
}

/* ---- ECONNRESET surfaces to the caller --------------------------------------- */

static void injectedResetSurfaces(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];
    rawWrite(sv[1], "still here", 10);
    atomic_store(&hk.fd, sv[0]);
    atomic_store(&hk.readReset, 1);
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == -ECONNRESET, "read with an injected ECONNRESET returned %zd (%s), want -ECONNRESET",
             n, rcStr(n));
    /* The error was the syscall's, not the socket's: the data is still
     * there, and no EAGAIN was seen, so the next read must not wait for a new
     * edge. (The deadline only turns a hang into a failure.) */
    RT_CHECK(rtFdSetDeadline(fd, rtNanotime() + 1000 * RT_MS, 'r') == 0, "rtFdSetDeadline");
    n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 10 && memcmp(buf, "still here", 10) == 0,
             "the read after an injected error returned %zd (%s)", n, rcStr(n));
    atomic_store(&hk.fd, -1);
    rtFdClose(fd);
    close(sv[1]);
}

Test(fd_faults, an_injected_econnreset_from_read_surfaces_to_the_caller,
     .init = installHooks, .fini = restoreHooks, .timeout = 60) {
    rtTestRun(1, injectedResetSurfaces, NULL);
}

/* A real reset: the client sets SO_LINGER {1, 0} and closes, which sends a
 * RST. What Linux does (checked with plain sockets): with nothing unread,
 * read(2) fails once with ECONNRESET and then returns 0; with data unread,
 * it returns the data first, then ECONNRESET, then 0. */
typedef struct resetCase {
    rtFd *s;
    _Atomic int done;
    _Atomic long rc;
} resetCase;

static void resetReader(void *arg) {
    resetCase *r = arg;
    char buf[64];
    atomic_store(&r->rc, (long)rtFdRead(r->s, buf, sizeof buf));
    atomic_fetch_add(&r->done, 1);
}

static void lingerClose(int c) {
    struct linger lg = { .l_onoff = 1, .l_linger = 0 };
    RT_CHECK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0, "SO_LINGER: %s", strerror(errno));
    close(c);
}

static void realResetSurfaces(void *arg) {
    int port;
    rtFd *l = listenLoopback(&port);
    char buf[64];
    int err = 0;

    /* 1. A reader parked on the connection when the RST comes. */
    int c = dialBlocking(port);
    resetCase r = { 0 };
    r.s = rtFdAccept(l, NULL, NULL, &err);
    RT_CHECK(r.s != NULL, "accept: %s", rtStrerror(err));
    rtGo(resetReader, &r);
    rtSleep(20 * RT_MS);
    RT_CHECK(atomic_load(&r.done) == 0, "the read returned %ld before the reset", atomic_load(&r.rc));
    lingerClose(c);
    bool ok = false;
    for (int64_t end = rtNanotime() + 2000 * RT_MS; rtNanotime() < end; rtSleep(RT_MS))
        if (atomic_load(&r.done)) { ok = true; break; }
    RT_CHECK(ok, "a RST did not wake the parked reader");
    RT_CHECK(atomic_load(&r.rc) == -ECONNRESET, "the parked read got %ld (%s), want -ECONNRESET",
             atomic_load(&r.rc), rcStr(atomic_load(&r.rc)));
    RT_CHECK(rtFdSetDeadline(r.s, rtNanotime() + 1000 * RT_MS, 'r') == 0, "rtFdSetDeadline");
    ssize_t n = rtFdRead(r.s, buf, sizeof buf);
    RT_CHECK(n == 0, "the read after ECONNRESET returned %zd (%s), want 0 as read(2) does", n, rcStr(n));
    rtFdClose(r.s);

    /* 2. Data and then a RST, both before the read. */
    c = dialBlocking(port);
    rtFd *s = rtFdAccept(l, NULL, NULL, &err);
    RT_CHECK(s != NULL, "accept: %s", rtStrerror(err));
    rawWrite(c, "last words", 10);
    rtSleep(10 * RT_MS);
    lingerClose(c);
    rtSleep(20 * RT_MS);                         /* the poller sees data and RST, nobody waits */
    RT_CHECK(rtFdSetDeadline(s, rtNanotime() + 1000 * RT_MS, 'r') == 0, "rtFdSetDeadline");
    n = rtFdRead(s, buf, sizeof buf);
    RT_CHECK(n == 10 && memcmp(buf, "last words", 10) == 0,
             "the first read after data+RST returned %zd (%s), want the 10 bytes", n, rcStr(n));
    n = rtFdRead(s, buf, sizeof buf);
    RT_CHECK(n == -ECONNRESET, "the second read returned %zd (%s), want -ECONNRESET "
             "(RT_ETIMEOUT: it waited for an edge that had already come)", n, rcStr(n));
    n = rtFdRead(s, buf, sizeof buf);
    RT_CHECK(n == 0, "the third read returned %zd (%s), want 0", n, rcStr(n));
    rtFdClose(s);
    rtFdClose(l);
}

Test(fd_faults, a_real_tcp_reset_surfaces_as_econnreset_then_eof,
     .init = installHooks, .fini = restoreHooks, .timeout = 60) {
    rtTestRun(2, realResetSurfaces, NULL);
}
