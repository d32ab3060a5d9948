/* test_netpoll.c — the netpoller as seen through rtFd: parking on a socket,
 * the pdReady token, close/evict, stale events for a reused fd number, and
 * rtFdWakeReader.
 *
 * Each test runs a whole runtime (rtTestRun) in Criterion's forked process.
 * Inside Gs only RT_CHECK is used (Criterion's cr_assert longjmps, which is
 * not safe on a coroutine stack). Peers that must block are plain pthreads,
 * never Gs, so a blocking syscall cannot stall a P.
 *
 * Timing: this runs on a shared 2-core machine, so every time check has a
 * real lower bound (a wait that returns too early is a bug) and a generous
 * upper bound.
 */
#include "rt_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

/* ---- helpers -------------------------------------------------------------- */

static void ignoreSigpipe(void) { signal(SIGPIPE, SIG_IGN); }

static int64_t msSince(int64_t t0) { return (rtNanotime() - t0) / RT_MS; }

/* unixPair makes a connected AF_UNIX stream pair; both ends blocking. */
static void unixPair(int sv[2]) {
    RT_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0,
             "socketpair: %s", strerror(errno));
}

/* tcpPair makes a connected TCP loopback pair with plain blocking calls:
 * sv[0] is the accepted end, sv[1] the connecting end. */
static void tcpPair(int sv[2]) {
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    RT_CHECK(l >= 0, "socket: %s", strerror(errno));
    RT_CHECK(bind(l, (struct sockaddr *)&a, sizeof a) == 0, "bind: %s", strerror(errno));
    RT_CHECK(listen(l, 1) == 0, "listen: %s", strerror(errno));
    RT_CHECK(getsockname(l, (struct sockaddr *)&a, &al) == 0, "getsockname: %s", strerror(errno));
    sv[1] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    RT_CHECK(sv[1] >= 0, "socket: %s", strerror(errno));
    RT_CHECK(connect(sv[1], (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
    sv[0] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    RT_CHECK(sv[0] >= 0, "accept4: %s", strerror(errno));
    close(l);
}

static rtFd *mustOpen(int sysfd) {
    int err = 0;
    rtFd *fd = rtFdOpen(sysfd, &err);
    RT_CHECK(fd != NULL, "rtFdOpen(%d) failed: %s", sysfd, rtStrerror(err));
    return fd;
}

/* rawWrite writes all of buf to a plain (blocking) descriptor. */
static void rawWrite(int sysfd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(sysfd, p, n);
        RT_CHECK(k > 0, "write(%d): %s", sysfd, k < 0 ? strerror(errno) : "0");
        p += k;
        n -= (size_t)k;
    }
}

static const char *rcStr(ssize_t n) { return n < 0 ? rtStrerror((int)n) : "ok"; }

/* waitCount parks (by sleeping 1 ms at a time) until *v >= want or timeout
 * passes; true if it got there. */
static bool waitCount(_Atomic int *v, int want, int64_t timeout) {
    int64_t end = rtNanotime() + timeout;
    while (atomic_load(v) < want) {
        if (rtNanotime() > end) return false;
        rtSleep(RT_MS);
    }
    return true;
}

/* A plain thread that sleeps, then writes data and/or closes a descriptor
 * and/or calls rtFdWakeReader: the "other thread" of several tests. */
typedef struct later {
    int delayMs;
    int sysfd;               /* where to write / what to close */
    const char *data;        /* written if not NULL */
    size_t n;
    bool closeIt;            /* close(sysfd) after the write */
    rtFd *wake;              /* rtFdWakeReader(wake) if not NULL */
    rtFd *evict;             /* rtFdEvict(evict) if not NULL */
    pthread_t th;
} later;

static void *laterMain(void *arg) {
    later *l = arg;
    usleep((useconds_t)l->delayMs * 1000);
    if (l->data) rawWrite(l->sysfd, l->data, l->n);
    if (l->closeIt) close(l->sysfd);
    if (l->wake) rtFdWakeReader(l->wake);
    if (l->evict) rtFdEvict(l->evict);
    return NULL;
}

static void laterStart(later *l) {
    RT_CHECK(pthread_create(&l->th, NULL, laterMain, l) == 0, "pthread_create");
}

static void laterJoin(later *l) { pthread_join(l->th, NULL); }

/* ---- a parked reader is woken by a write from another thread ------------- */

static void parkedReaderIsWoken(void *arg) {
    bool tcp = *(bool *)arg;
    int sv[2];
    if (tcp) tcpPair(sv); else unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    static const char msg[] = "twenty-seven bytes, exactly";   /* 27 bytes */
    char buf[256];

    rtStats st0, st1;
    rtGetStats(&st0);
    int64_t t0 = rtNanotime();
    later w = { .delayMs = 50, .sysfd = sv[1], .data = msg, .n = sizeof msg - 1 };
    laterStart(&w);
    memset(buf, 0, sizeof buf);
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    int64_t el = msSince(t0);
    rtGetStats(&st1);
    laterJoin(&w);
    RT_CHECK(n == (ssize_t)(sizeof msg - 1), "read returned %zd (%s), want 27", n, rcStr(n));
    RT_CHECK(memcmp(buf, msg, sizeof msg - 1) == 0, "read the wrong bytes: \"%.*s\"", (int)n, buf);
    RT_CHECK(el >= 50, "read returned after %lld ms, before the 50 ms write", (long long)el);
    RT_CHECK(el < 1000, "read took %lld ms to see a write made at 50 ms", (long long)el);
    RT_CHECK(st1.netpollGs > st0.netpollGs,
             "the reader was not readied by netpoll (netpollGs %llu -> %llu)",
             (unsigned long long)st0.netpollGs, (unsigned long long)st1.netpollGs);

    /* The socket is drained now; EOF from the peer must wake the next read. */
    t0 = rtNanotime();
    later c = { .delayMs = 30, .sysfd = sv[1], .closeIt = true };
    laterStart(&c);
    n = rtFdRead(fd, buf, sizeof buf);
    el = msSince(t0);
    laterJoin(&c);
    RT_CHECK(n == 0, "read after the peer closed returned %zd (%s), want 0 (EOF)", n, rcStr(n));
    RT_CHECK(el >= 30, "EOF seen after %lld ms, before the 30 ms close", (long long)el);
    /* Read again at EOF: read(2) says 0 again, with no new edge to wait for.
     * The deadline only turns a hang into a failure. */
    RT_CHECK(rtFdSetDeadline(fd, rtNanotime() + 1000 * RT_MS, 'r') == 0, "rtFdSetDeadline");
    n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 0, "a second read at EOF returned %zd (%s), want 0", n, rcStr(n));
    RT_CHECK(rtFdClose(fd) == 0, "rtFdClose failed");
}

Test(netpoll, a_reader_parked_on_an_empty_unix_socket_is_woken_by_a_write_from_a_plain_thread,
     .init = ignoreSigpipe, .timeout = 60) {
    bool tcp = false;
    rtTestRun(1, parkedReaderIsWoken, &tcp);
}

Test(netpoll, a_reader_parked_on_an_empty_tcp_socket_is_woken_by_a_write_from_a_plain_thread,
     .init = ignoreSigpipe, .timeout = 60) {
    bool tcp = true;
    rtTestRun(2, parkedReaderIsWoken, &tcp);
}

/* ---- data that arrived before the read: the pdReady token ----------------- */

/* With one P, rtGetStats().switches counts every switch into a G on that P,
 * and this G is the only one: a read that parks adds at least one switch
 * (back into this G), a read that consumes the ready token adds none. */
static void readyTokenIsConsumedWithoutParking(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];

    /* Data already there: the first read returns it at once. */
    rawWrite(sv[1], "first", 5);
    int64_t t0 = rtNanotime();
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 5 && memcmp(buf, "first", 5) == 0,
             "first read returned %zd (%s) \"%.*s\", want \"first\"", n, rcStr(n),
             n > 0 ? (int)n : 0, buf);
    RT_CHECK(msSince(t0) < 50, "a read of buffered data took %lld ms", (long long)msSince(t0));

    /* That read was short (socket drained), so the next one waits for
     * readiness first. New data arrives and the poller sees its edge while
     * nobody waits (during the sleep): that leaves a pdReady token. */
    rawWrite(sv[1], "second chunk", 12);
    rtSleep(30 * RT_MS);
    /* A deadline far away only turns a lost token (a hang) into a failure. */
    RT_CHECK(rtFdSetDeadline(fd, rtNanotime() + 1000 * RT_MS, 'r') == 0, "rtFdSetDeadline");

    rtStats st0, st1;
    rtGetStats(&st0);
    t0 = rtNanotime();
    n = rtFdRead(fd, buf, sizeof buf);
    int64_t el = rtNanotime() - t0;
    rtGetStats(&st1);
    RT_CHECK(n == 12 && memcmp(buf, "second chunk", 12) == 0,
             "second read returned %zd (%s) \"%.*s\", want \"second chunk\"", n, rcStr(n),
             n > 0 ? (int)n : 0, buf);
    RT_CHECK(st1.switches == st0.switches,
             "the read parked although a ready token was waiting (switches %llu -> %llu)",
             (unsigned long long)st0.switches, (unsigned long long)st1.switches);
    RT_CHECK(el < 5 * RT_MS, "the read took %lld us", (long long)(el / RT_US));

    /* The token is used up: the next read really waits for new data. */
    t0 = rtNanotime();
    later w = { .delayMs = 40, .sysfd = sv[1], .data = "third", .n = 5 };
    laterStart(&w);
    n = rtFdRead(fd, buf, sizeof buf);
    el = msSince(t0);
    laterJoin(&w);
    RT_CHECK(n == 5 && memcmp(buf, "third", 5) == 0, "third read returned %zd (%s)", n, rcStr(n));
    RT_CHECK(el >= 40, "third read returned after %lld ms, before the 40 ms write "
             "(a stale ready token was used twice?)", (long long)el);
    rtFdClose(fd);
    close(sv[1]);
}

Test(netpoll, data_that_arrives_before_the_read_is_consumed_through_the_ready_token_without_parking,
     .init = ignoreSigpipe, .timeout = 60) {
    rtTestRun(1, readyTokenIsConsumedWithoutParking, NULL);
}

/* ---- data and EOF that both arrived before the read ------------------------ */

/* The peer writes a last message and closes before we read, and the poller
 * harvests that single edge while nobody waits (the sleep). The first read
 * returns the message, fewer bytes than asked for; no new edge will ever
 * come, so the next read must still report EOF rather than wait for one. (A
 * client doing `echo PING | nc host port`.) The deadline only turns a hang
 * into a failure. */
static void dataThenEofBeforeTheRead(void *arg) {
    bool tcp = *(bool *)arg;
    int sv[2];
    if (tcp) tcpPair(sv); else unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];

    rawWrite(sv[1], "QUIT\r\n", 6);
    close(sv[1]);
    rtSleep(20 * RT_MS);
    RT_CHECK(rtFdSetDeadline(fd, rtNanotime() + 1000 * RT_MS, 'r') == 0, "rtFdSetDeadline");
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 6 && memcmp(buf, "QUIT\r\n", 6) == 0, "the first read returned %zd (%s), want the 6 bytes",
             n, rcStr(n));
    n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 0, "the read after the last data returned %zd (%s), want 0 (EOF)%s", n, rcStr(n),
             n == RT_ETIMEOUT ? ": it waited for an edge that had already been reported" : "");
    rtFdClose(fd);
}

Test(netpoll, data_and_eof_that_arrived_before_the_read_are_both_reported_on_a_unix_socket,
     .init = ignoreSigpipe, .timeout = 60) {
    bool tcp = false;
    rtTestRun(1, dataThenEofBeforeTheRead, &tcp);
}

Test(netpoll, data_and_eof_that_arrived_before_the_read_are_both_reported_on_a_tcp_socket,
     .init = ignoreSigpipe, .timeout = 60) {
    bool tcp = true;
    rtTestRun(2, dataThenEofBeforeTheRead, &tcp);
}

/* ---- close and evict wake a parked reader and writer ----------------------- */

enum { CLOSE_BY_OWNER, EVICT_FROM_G, EVICT_FROM_THREAD };

typedef struct closeCase {
    int how;
    rtFd *fd;
    _Atomic int done;            /* reader and writer that returned */
    _Atomic long readRc, writeRc;
} closeCase;

static char bigBuf[1 << 20];

static void closeReader(void *arg) {
    closeCase *c = arg;
    char buf[64];
    atomic_store(&c->readRc, (long)rtFdRead(c->fd, buf, sizeof buf));
    atomic_fetch_add(&c->done, 1);
}

static void closeWriter(void *arg) {
    closeCase *c = arg;
    atomic_store(&c->writeRc, (long)rtFdWrite(c->fd, bigBuf, sizeof bigBuf));
    atomic_fetch_add(&c->done, 1);
}

static void evicter(void *arg) { rtFdEvict(((closeCase *)arg)->fd); }

static void closeWakesReaderAndWriter(void *arg) {
    closeCase *c = arg;
    int sv[2];
    unixPair(sv);
    int sndbuf = 4096;   /* the kernel doubles it; the peer never reads */
    RT_CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) == 0, "SO_SNDBUF");
    c->fd = mustOpen(sv[0]);
    int sysfd = rtFdSysfd(c->fd);
    RT_CHECK(sysfd == sv[0], "rtFdSysfd returned %d, want %d", sysfd, sv[0]);

    rtGo(closeReader, c);
    rtGo(closeWriter, c);
    rtSleep(50 * RT_MS);   /* both park: nothing to read, no room to write */
    RT_CHECK(atomic_load(&c->done) == 0,
             "reader or writer returned before the close (read %ld, write %ld)",
             atomic_load(&c->readRc), atomic_load(&c->writeRc));

    int64_t t0 = rtNanotime();
    later th = { .delayMs = 0, .evict = c->fd };
    switch (c->how) {
    case CLOSE_BY_OWNER: {
        RT_CHECK(rtFdClose(c->fd) == 0, "rtFdClose of an open fd failed");
        /* One P and rtFdClose does not park: the woken reader and writer have
         * not run yet, so they are still in flight and the descriptor must
         * still be open (close(2) comes after the last in-flight op). */
        RT_CHECK(atomic_load(&c->done) == 0, "precondition: woken Gs ran on the only P");
        RT_CHECK(fcntl(sysfd, F_GETFD) != -1,
                 "the descriptor was closed while a read and a write were in flight: %s",
                 strerror(errno));
        break;
    }
    case EVICT_FROM_G:
        rtGo(evicter, c);
        break;
    case EVICT_FROM_THREAD:
        laterStart(&th);
        break;
    }
    bool both = waitCount(&c->done, 2, 2000 * RT_MS);
    int64_t el = msSince(t0);
    if (c->how == EVICT_FROM_THREAD) laterJoin(&th);
    RT_CHECK(both, "after %lld ms only %d of reader/writer returned (read %ld, write %ld)",
             (long long)el, atomic_load(&c->done), atomic_load(&c->readRc),
             atomic_load(&c->writeRc));
    RT_CHECK(atomic_load(&c->readRc) == RT_ECLOSING, "parked read returned %ld (%s), want RT_ECLOSING",
             atomic_load(&c->readRc), rcStr(atomic_load(&c->readRc)));
    RT_CHECK(atomic_load(&c->writeRc) == RT_ECLOSING, "parked write returned %ld (%s), want RT_ECLOSING",
             atomic_load(&c->writeRc), rcStr(atomic_load(&c->writeRc)));
    RT_CHECK(el < 500, "the wake-up took %lld ms", (long long)el);

    if (c->how != CLOSE_BY_OWNER) {
        /* Evicted: every later operation fails, even with data waiting; the
         * descriptor stays open until the owner's rtFdClose. */
        rawWrite(sv[1], "pending", 7);
        char buf[64];
        ssize_t n = rtFdRead(c->fd, buf, sizeof buf);
        RT_CHECK(n == RT_ECLOSING, "read after evict returned %zd (%s), want RT_ECLOSING", n, rcStr(n));
        n = rtFdWrite(c->fd, "x", 1);
        RT_CHECK(n == RT_ECLOSING, "write after evict returned %zd (%s), want RT_ECLOSING", n, rcStr(n));
        RT_CHECK(fcntl(sysfd, F_GETFD) != -1, "evict closed the descriptor: %s", strerror(errno));
        int rc = rtFdClose(c->fd);
        RT_CHECK(rc == 0, "the owner's rtFdClose after evict returned %d (%s), want 0", rc, rcStr(rc));
    }
    /* Every operation has returned and the owner closed: the number is free. */
    errno = 0;
    int r = fcntl(sysfd, F_GETFD);
    RT_CHECK(r == -1 && errno == EBADF,
             "fd %d still open after rtFdClose and the last operation (fcntl=%d, %s)",
             sysfd, r, strerror(errno));
    close(sv[1]);
}

Test(netpoll, closing_by_the_owner_wakes_a_parked_reader_and_writer_with_the_closing_error_and_then_releases_the_fd,
     .init = ignoreSigpipe, .timeout = 60) {
    closeCase c = { .how = CLOSE_BY_OWNER };
    rtTestRun(1, closeWakesReaderAndWriter, &c);
}

Test(netpoll, evict_from_another_g_wakes_a_parked_reader_and_writer_with_the_closing_error,
     .init = ignoreSigpipe, .timeout = 60) {
    closeCase c = { .how = EVICT_FROM_G };
    rtTestRun(2, closeWakesReaderAndWriter, &c);
}

Test(netpoll, evict_from_a_plain_thread_wakes_a_parked_reader_and_writer_with_the_closing_error,
     .init = ignoreSigpipe, .timeout = 60) {
    closeCase c = { .how = EVICT_FROM_THREAD };
    rtTestRun(2, closeWakesReaderAndWriter, &c);
}

/* ---- an event for a reused fd number is dropped (fdseq) -------------------- */

/* To get a real stale event from the kernel, the test keeps the old socket's
 * epoll registration alive past rtFdClose: an epoll_ctl hook skips the
 * runtime's EPOLL_CTL_DEL for it, and a dup() keeps the old open file alive
 * (epoll drops a registration only when its file is released). The new
 * socket then gets the same fd number and, most likely, the same pollDesc
 * slot with a new fdseq. Writing to the old socket's peer makes epoll report
 * an event tagged with the old (index, fdseq): the runtime must count it in
 * staleEvents and ready nobody; the reader parked on the new socket stays
 * parked until its own data arrives. */
static _Atomic int skipDelFor = -1;     /* EPOLL_CTL_DEL on this fd is skipped once */
static _Atomic int delsSkipped;

static int epollCtlSkippingDel(int epfd, int op, int fd, struct epoll_event *ev) {
    int want = atomic_load(&skipDelFor);
    if (op == EPOLL_CTL_DEL && want >= 0 && fd == want &&
        atomic_compare_exchange_strong(&skipDelFor, &want, -1)) {
        atomic_fetch_add(&delsSkipped, 1);
        return 0;
    }
    return rtSysDefault.epoll_ctl(epfd, op, fd, ev);
}

typedef struct staleCase {
    rtFd *fd;
    _Atomic int done;
    _Atomic long rc;
    char buf[64];
} staleCase;

static void staleReader(void *arg) {
    staleCase *s = arg;
    atomic_store(&s->rc, (long)rtFdRead(s->fd, s->buf, sizeof s->buf));
    atomic_fetch_add(&s->done, 1);
}

static void staleEventIsDropped(void *arg) {
    staleCase *s = arg;
    int a[2], b[2];
    unixPair(a);
    rtFd *old = mustOpen(a[0]);
    int num = a[0];
    int keep = dup(a[0]);                        /* keeps the old file (and its registration) alive */
    RT_CHECK(keep >= 0, "dup: %s", strerror(errno));
    atomic_store(&skipDelFor, num);
    RT_CHECK(rtFdClose(old) == 0, "rtFdClose(old) failed");
    atomic_store(&skipDelFor, -1);

    unixPair(b);
    RT_CHECK(b[0] == num, "precondition: the new socket got fd %d, not the reused number %d", b[0], num);
    s->fd = mustOpen(b[0]);
    rtGo(staleReader, s);
    rtSleep(20 * RT_MS);                         /* the reader parks on the new socket */
    RT_CHECK(atomic_load(&s->done) == 0, "the reader returned %ld on an empty socket", atomic_load(&s->rc));

    rtStats st0, st1;
    rtGetStats(&st0);
    rawWrite(a[1], "stale", 5);                  /* readiness on the OLD socket, same fd number */
    rtSleep(50 * RT_MS);                         /* the poller harvests it */
    rtGetStats(&st1);
    RT_CHECK(atomic_load(&s->done) == 0, "the reader on the new socket returned %ld (%s) \"%.5s\" "
             "after an event on the old one", atomic_load(&s->rc), rcStr(atomic_load(&s->rc)), s->buf);
    RT_CHECK(st1.staleEvents > st0.staleEvents,
             "the event tagged with the old fdseq was not counted as stale (staleEvents %llu -> %llu)",
             (unsigned long long)st0.staleEvents, (unsigned long long)st1.staleEvents);
    RT_CHECK(st1.netpollGs == st0.netpollGs,
             "netpoll readied %llu G(s) for an event on the closed socket",
             (unsigned long long)(st1.netpollGs - st0.netpollGs));

    rawWrite(b[1], "fresh", 5);
    RT_CHECK(waitCount(&s->done, 1, 2000 * RT_MS), "the reader missed the data on the new socket");
    long rc = atomic_load(&s->rc);
    RT_CHECK(rc == 5 && memcmp(s->buf, "fresh", 5) == 0,
             "the reader got %ld (%s) \"%.*s\", want \"fresh\"", rc, rcStr(rc),
             rc > 0 ? (int)rc : 0, s->buf);

    close(keep);                                 /* releases the old file and its registration */
    close(a[1]);
    rtFdClose(s->fd);
    close(b[1]);
}

Test(netpoll, an_event_for_a_closed_socket_whose_fd_number_was_reused_is_dropped_as_stale,
     .init = ignoreSigpipe, .timeout = 60) {
    rtSyscalls saved = rtSys;
    rtSys.epoll_ctl = epollCtlSkippingDel;       /* before any runtime thread exists */
    staleCase s = { 0 };
    rtTestRun(1, staleEventIsDropped, &s);
    rtSys = saved;
}

/* ---- rtFdWakeReader ------------------------------------------------------ */

typedef struct wakeCase {
    bool fromThread;
    rtFd *fd;
    _Atomic int phase;           /* 1: first read returned, 2: second read returned */
    _Atomic long rc1, rc2;
    _Atomic int64_t at1;         /* when the first read returned */
    char buf[64];
} wakeCase;

static void wakeReader(void *arg) {
    wakeCase *w = arg;
    atomic_store(&w->rc1, (long)rtFdRead(w->fd, w->buf, sizeof w->buf));
    atomic_store(&w->at1, rtNanotime());
    atomic_store(&w->phase, 1);
    atomic_store(&w->rc2, (long)rtFdRead(w->fd, w->buf, sizeof w->buf));
    atomic_store(&w->phase, 2);
}

static void wakeReaderInterruptsARead(void *arg) {
    wakeCase *w = arg;
    int sv[2];
    unixPair(sv);
    w->fd = mustOpen(sv[0]);
    int64_t t0 = rtNanotime();   /* the wake comes 30 ms or more after this */
    rtGo(wakeReader, w);
    later th = { .delayMs = 30, .wake = w->fd };
    if (w->fromThread) {
        laterStart(&th);
    } else {
        rtSleep(30 * RT_MS);
        RT_CHECK(atomic_load(&w->phase) == 0, "the read returned %ld before the wake",
                 atomic_load(&w->rc1));
        rtFdWakeReader(w->fd);
    }
    RT_CHECK(waitCount(&w->phase, 1, 2000 * RT_MS), "rtFdWakeReader did not end the parked read");
    if (w->fromThread) laterJoin(&th);
    long rc = atomic_load(&w->rc1);
    RT_CHECK(rc == RT_EWOKEN, "the woken read returned %ld (%s), want RT_EWOKEN", rc, rcStr(rc));
    int64_t el = (atomic_load(&w->at1) - t0) / RT_MS;
    RT_CHECK(el >= 30, "the read returned after %lld ms, before the wake at 30 ms", (long long)el);

    /* The wake is used up: the next read parks and gets what is written. */
    rtSleep(20 * RT_MS);
    RT_CHECK(atomic_load(&w->phase) == 1, "the read after the wake returned %ld (%s) with no data",
             atomic_load(&w->rc2), rcStr(atomic_load(&w->rc2)));
    rawWrite(sv[1], "after the wake", 14);
    RT_CHECK(waitCount(&w->phase, 2, 2000 * RT_MS), "the read after the wake never got the data");
    rc = atomic_load(&w->rc2);
    RT_CHECK(rc == 14 && memcmp(w->buf, "after the wake", 14) == 0,
             "the read after the wake returned %ld (%s) \"%.*s\"", rc, rcStr(rc),
             rc > 0 ? (int)rc : 0, w->buf);
    rtFdClose(w->fd);
    close(sv[1]);
}

Test(netpoll, wake_reader_from_a_g_makes_a_parked_read_return_woken_and_a_later_read_gets_data,
     .init = ignoreSigpipe, .timeout = 60) {
    wakeCase w = { .fromThread = false };
    rtTestRun(1, wakeReaderInterruptsARead, &w);
}

Test(netpoll, wake_reader_from_a_plain_thread_makes_a_parked_read_return_woken_and_a_later_read_gets_data,
     .init = ignoreSigpipe, .timeout = 60) {
    wakeCase w = { .fromThread = true };
    rtTestRun(2, wakeReaderInterruptsARead, &w);
}

static void wakeBeforeTheRead(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];

    rtFdWakeReader(fd);                          /* nobody reads yet: it is kept for the next read */
    int64_t t0 = rtNanotime();
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    int64_t el = msSince(t0);
    RT_CHECK(n == RT_EWOKEN, "the read after an early wake returned %zd (%s), want RT_EWOKEN", n, rcStr(n));
    RT_CHECK(el < 50, "the early wake took %lld ms to end the read", (long long)el);

    t0 = rtNanotime();
    later w = { .delayMs = 40, .sysfd = sv[1], .data = "data", .n = 4 };
    laterStart(&w);
    n = rtFdRead(fd, buf, sizeof buf);
    el = msSince(t0);
    laterJoin(&w);
    RT_CHECK(n == 4 && memcmp(buf, "data", 4) == 0, "the next read returned %zd (%s)", n, rcStr(n));
    RT_CHECK(el >= 40, "the next read returned after %lld ms: one wake ended two reads", (long long)el);
    rtFdClose(fd);
    close(sv[1]);
}

Test(netpoll, wake_reader_with_no_read_parked_ends_only_the_next_read,
     .init = ignoreSigpipe, .timeout = 60) {
    rtTestRun(1, wakeBeforeTheRead, NULL);
}
