/* test_deadline.c — rtFdSetDeadline: Go's pollSetDeadline semantics.
 *
 * A deadline is absolute monotonic time; 0 clears it; a time in the past
 * makes every wait in that direction fail at once with RT_ETIMEOUT until a
 * new deadline is set. Moving a pending deadline (later or earlier) re-arms
 * its timer, and a firing for an older setting is ignored (rseq/wseq).
 *
 * Time checks have exact lower bounds (a timeout before its deadline is a
 * bug) and generous upper bounds (shared 2-core machine).
 */
#include "rt_test.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers -------------------------------------------------------------- */

static void ignoreSigpipe(void) { signal(SIGPIPE, SIG_IGN); }

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

static const char *rcStr(ssize_t n) { return n < 0 ? rtStrerror((int)n) : "ok"; }

static void setDeadline(rtFd *fd, int64_t when, int mode) {
    int rc = rtFdSetDeadline(fd, when, mode);
    RT_CHECK(rc == 0, "rtFdSetDeadline(%lld, %d) returned %d (%s)", (long long)when, mode, rc, rcStr(rc));
}

static bool waitCount(_Atomic int *v, int want, int64_t timeout) {
    int64_t end = rtNanotime() + timeout;
    while (atomic_load(v) < want) {
        if (rtNanotime() > end) return false;
        rtSleep(RT_MS);
    }
    return true;
}

/* A plain thread that writes to a blocking descriptor after a delay. */
typedef struct later { int delayMs; int sysfd; const char *data; size_t n; pthread_t th; } later;

static void *laterMain(void *arg) {
    later *l = arg;
    usleep((useconds_t)l->delayMs * 1000);
    rawWrite(l->sysfd, l->data, l->n);
    return NULL;
}

static void laterStart(later *l) {
    RT_CHECK(pthread_create(&l->th, NULL, laterMain, l) == 0, "pthread_create");
}

static void laterJoin(later *l) { pthread_join(l->th, NULL); }

/* fullSocket makes a unix pair whose sv[0] has a small send buffer; the
 * peer sv[1] never reads, so a large write on sv[0] must park. */
static rtFd *fullSocket(int sv[2]) {
    unixPair(sv);
    int sndbuf = 4096;
    RT_CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) == 0, "SO_SNDBUF");
    return mustOpen(sv[0]);
}

static char bigBuf[1 << 20];

/* ---- a read deadline fires on time ---------------------------------------- */

static void readDeadlineFires(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];

    int64_t t0 = rtNanotime();
    int64_t dl = t0 + 50 * RT_MS;
    setDeadline(fd, dl, 'r');
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    int64_t now = rtNanotime();
    RT_CHECK(n == RT_ETIMEOUT, "read returned %zd (%s), want RT_ETIMEOUT", n, rcStr(n));
    RT_CHECK(now >= dl, "the timeout came %lld us before the deadline", (long long)((dl - now) / RT_US));
    RT_CHECK(now - t0 < 200 * RT_MS, "a 50 ms deadline fired after %lld ms",
             (long long)((now - t0) / RT_MS));

    /* It stays expired: the next read fails at once. */
    t0 = rtNanotime();
    n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == RT_ETIMEOUT, "a read after expiry returned %zd (%s), want RT_ETIMEOUT", n, rcStr(n));
    RT_CHECK(rtNanotime() - t0 < 20 * RT_MS, "a read after expiry waited %lld ms",
             (long long)((rtNanotime() - t0) / RT_MS));

    /* The write direction has no deadline. */
    n = rtFdWrite(fd, "w", 1);
    RT_CHECK(n == 1, "write with only a read deadline expired returned %zd (%s)", n, rcStr(n));
    char c;
    RT_CHECK(read(sv[1], &c, 1) == 1 && c == 'w', "the peer did not get the write");

    /* Clearing it makes data readable again. */
    rawWrite(sv[1], "later", 5);
    setDeadline(fd, 0, 'r');
    n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 5 && memcmp(buf, "later", 5) == 0, "read after clearing returned %zd (%s)", n, rcStr(n));
    rtFdClose(fd);
    close(sv[1]);
}

Test(deadline, a_read_deadline_fires_with_a_timeout_error_on_time_and_stays_expired,
     .init = ignoreSigpipe, .timeout = 60) {
    rtTestRun(2, readDeadlineFires, NULL);
}

/* ---- moving a pending deadline --------------------------------------------- */

typedef struct moveCase {
    int64_t firstIn, secondIn;   /* the reader sets t0+firstIn; the mover, 20 ms later, now+secondIn */
    rtFd *fd;
    int64_t t0;                  /* set before the reader starts */
    _Atomic int64_t moved;       /* the deadline the mover set */
    _Atomic int64_t movedAt;     /* when it set it */
    _Atomic int64_t returnedAt;
    _Atomic long rc;
    _Atomic int done;
} moveCase;

static void moveReader(void *arg) {
    moveCase *m = arg;
    char buf[16];
    setDeadline(m->fd, m->t0 + m->firstIn, 'r');
    atomic_store(&m->rc, (long)rtFdRead(m->fd, buf, sizeof buf));
    atomic_store(&m->returnedAt, rtNanotime());
    atomic_fetch_add(&m->done, 1);
}

static void moveDeadline(void *arg) {
    moveCase *m = arg;
    int sv[2];
    unixPair(sv);
    m->fd = mustOpen(sv[0]);
    m->t0 = rtNanotime();
    rtGo(moveReader, m);
    rtSleep(20 * RT_MS);                        /* the reader is parked with the first deadline */
    RT_CHECK(atomic_load(&m->done) == 0, "the read returned %ld before the move", atomic_load(&m->rc));
    int64_t at = rtNanotime();
    RT_CHECK(at < m->t0 + m->firstIn - 5 * RT_MS,
             "precondition: the mover ran %lld ms late, at the first deadline",
             (long long)((at - m->t0) / RT_MS));
    int64_t dl = at + m->secondIn;
    setDeadline(m->fd, dl, 'r');
    atomic_store(&m->movedAt, at);
    atomic_store(&m->moved, dl);

    RT_CHECK(waitCount(&m->done, 1, 3000 * RT_MS), "the moved deadline never fired");
    long rc = atomic_load(&m->rc);
    int64_t ret = atomic_load(&m->returnedAt);
    RT_CHECK(rc == RT_ETIMEOUT, "read returned %ld (%s), want RT_ETIMEOUT", rc, rcStr(rc));
    RT_CHECK(ret >= dl, "the read timed out %lld ms after start, %lld ms before the moved deadline "
             "(the old deadline at %lld ms fired?)", (long long)((ret - m->t0) / RT_MS),
             (long long)((dl - ret) / RT_MS), (long long)(m->firstIn / RT_MS));
    RT_CHECK(ret - dl < 150 * RT_MS, "the moved deadline fired %lld ms late",
             (long long)((ret - dl) / RT_MS));
    rtFdClose(m->fd);
    close(sv[1]);
}

Test(deadline, moving_a_pending_read_deadline_later_extends_it,
     .init = ignoreSigpipe, .timeout = 60) {
    moveCase m = { .firstIn = 50 * RT_MS, .secondIn = 100 * RT_MS };
    rtTestRun(2, moveDeadline, &m);
}

Test(deadline, moving_a_pending_read_deadline_earlier_shortens_it,
     .init = ignoreSigpipe, .timeout = 60) {
    moveCase m = { .firstIn = 2000 * RT_MS, .secondIn = 30 * RT_MS };
    rtTestRun(2, moveDeadline, &m);
}

Test(deadline, moving_a_pending_read_deadline_earlier_shortens_it_with_one_p,
     .init = ignoreSigpipe, .timeout = 60) {
    moveCase m = { .firstIn = 2000 * RT_MS, .secondIn = 30 * RT_MS };
    rtTestRun(1, moveDeadline, &m);
}

/* ---- a deadline in the past; clearing it ----------------------------------- */

static void pastDeadline(void *arg) {
    int sv[2];
    unixPair(sv);
    rtFd *fd = mustOpen(sv[0]);
    char buf[64];

    int64_t pasts[] = { rtNanotime() - RT_MS, 1 };
    for (size_t i = 0; i < sizeof pasts / sizeof pasts[0]; i++) {
        setDeadline(fd, pasts[i], 'r');
        int64_t t0 = rtNanotime();
        ssize_t n = rtFdRead(fd, buf, sizeof buf);
        int64_t el = rtNanotime() - t0;
        RT_CHECK(n == RT_ETIMEOUT, "read with a past deadline (%lld) returned %zd (%s), want RT_ETIMEOUT",
                 (long long)pasts[i], n, rcStr(n));
        RT_CHECK(el < 5 * RT_MS, "read with a past deadline took %lld us", (long long)(el / RT_US));
    }

    /* Cleared: the read blocks again until data comes. */
    setDeadline(fd, 0, 'r');
    int64_t t0 = rtNanotime();
    later w = { .delayMs = 40, .sysfd = sv[1], .data = "blocked then read", .n = 17 };
    laterStart(&w);
    ssize_t n = rtFdRead(fd, buf, sizeof buf);
    int64_t el = rtNanotime() - t0;
    laterJoin(&w);
    RT_CHECK(n == 17 && memcmp(buf, "blocked then read", 17) == 0,
             "read after clearing returned %zd (%s)", n, rcStr(n));
    RT_CHECK(el >= 40 * RT_MS, "read after clearing returned after %lld ms, before the 40 ms write",
             (long long)(el / RT_MS));
    rtFdClose(fd);
    close(sv[1]);
}

Test(deadline, a_deadline_in_the_past_fails_at_once_and_clearing_it_lets_reads_block_again,
     .init = ignoreSigpipe, .timeout = 60) {
    rtTestRun(1, pastDeadline, NULL);
}

/* ---- write deadline ---------------------------------------------------------- */

static void writeDeadline(void *arg) {
    int sv[2];
    rtFd *fd = fullSocket(sv);

    int64_t t0 = rtNanotime();
    int64_t dl = t0 + 50 * RT_MS;
    setDeadline(fd, dl, 'w');
    ssize_t n = rtFdWrite(fd, bigBuf, sizeof bigBuf);
    int64_t now = rtNanotime();
    RT_CHECK(n == RT_ETIMEOUT, "write to a full socket returned %zd (%s), want RT_ETIMEOUT", n, rcStr(n));
    RT_CHECK(now >= dl, "the write timed out %lld us before its deadline", (long long)((dl - now) / RT_US));
    RT_CHECK(now - t0 < 200 * RT_MS, "a 50 ms write deadline fired after %lld ms",
             (long long)((now - t0) / RT_MS));

    /* The read direction is unaffected. */
    char buf[16];
    rawWrite(sv[1], "ping", 4);
    n = rtFdRead(fd, buf, sizeof buf);
    RT_CHECK(n == 4 && memcmp(buf, "ping", 4) == 0, "read with only a write deadline expired "
             "returned %zd (%s)", n, rcStr(n));
    rtFdClose(fd);
    close(sv[1]);
}

Test(deadline, a_write_deadline_on_a_full_socket_returns_a_timeout_error,
     .init = ignoreSigpipe, .timeout = 60) {
    rtTestRun(2, writeDeadline, NULL);
}

/* ---- one deadline for both directions ('r'+'w') ---------------------------- */

typedef struct bothCase {
    rtFd *fd;
    _Atomic int done;
    _Atomic long readRc, writeRc;
    _Atomic int64_t readAt, writeAt;
} bothCase;

static void bothReader(void *arg) {
    bothCase *b = arg;
    char buf[16];
    atomic_store(&b->readRc, (long)rtFdRead(b->fd, buf, sizeof buf));
    atomic_store(&b->readAt, rtNanotime());
    atomic_fetch_add(&b->done, 1);
}

static void bothWriter(void *arg) {
    bothCase *b = arg;
    atomic_store(&b->writeRc, (long)rtFdWrite(b->fd, bigBuf, sizeof bigBuf));
    atomic_store(&b->writeAt, rtNanotime());
    atomic_fetch_add(&b->done, 1);
}

static void bothDirections(void *arg) {
    bothCase *b = arg;
    int sv[2];
    b->fd = fullSocket(sv);
    rtGo(bothReader, b);
    rtGo(bothWriter, b);
    rtSleep(20 * RT_MS);                        /* both park */
    RT_CHECK(atomic_load(&b->done) == 0, "reader or writer returned before any deadline");
    int64_t dl = rtNanotime() + 50 * RT_MS;
    setDeadline(b->fd, dl, 'r' + 'w');
    RT_CHECK(waitCount(&b->done, 2, 3000 * RT_MS), "only %d of reader/writer timed out",
             atomic_load(&b->done));
    long rr = atomic_load(&b->readRc), wr = atomic_load(&b->writeRc);
    int64_t ra = atomic_load(&b->readAt), wa = atomic_load(&b->writeAt);
    RT_CHECK(rr == RT_ETIMEOUT, "read returned %ld (%s), want RT_ETIMEOUT", rr, rcStr(rr));
    RT_CHECK(wr == RT_ETIMEOUT, "write returned %ld (%s), want RT_ETIMEOUT", wr, rcStr(wr));
    RT_CHECK(ra >= dl && wa >= dl, "a timeout came before the deadline (read %lld us, write %lld us early)",
             (long long)((dl - ra) / RT_US), (long long)((dl - wa) / RT_US));
    RT_CHECK(ra - dl < 150 * RT_MS && wa - dl < 150 * RT_MS, "timeouts late: read %lld ms, write %lld ms",
             (long long)((ra - dl) / RT_MS), (long long)((wa - dl) / RT_MS));
    rtFdClose(b->fd);
    close(sv[1]);
}

Test(deadline, one_deadline_for_both_directions_times_out_a_parked_reader_and_writer,
     .init = ignoreSigpipe, .timeout = 60) {
    bothCase b = { 0 };
    rtTestRun(2, bothDirections, &b);
}

/* ---- data racing a deadline ------------------------------------------------- */

/* The reader (main G) and a writer G run on two Ps in lockstep over one unix
 * pair. Per round i the reader sets a read deadline now + 0..maxDeadline,
 * sends a one-byte "go", and reads; the writer waits for "go", optionally
 * spins 0..maxDelay, and sends record i (a 4-byte counter), so the record and
 * the timer race. The reader gets either record i or RT_ETIMEOUT (never
 * before its deadline: that would be a stale timer firing); on a timeout it
 * clears the deadline and reads again, and must get record i then: a timeout
 * never eats data. A watchdog thread turns a lost record (a read that never
 * returns) into a failure naming the round. */
typedef struct raceCase {
    int rounds;
    int maxDeadlineUs;           /* deadline = now + 0..maxDeadlineUs */
    int maxDelayUs;              /* the writer spins 0..maxDelayUs before writing */
    rtFd *r, *w;
    _Atomic int progress;        /* rounds completed by the reader */
    _Atomic int stop;            /* tells the watchdog to exit */
    _Atomic int timeouts, dataFirst; /* written by the reader only */
} raceCase;

static uint64_t xorshift(uint64_t *s) {
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

static void raceWriter(void *arg) {
    raceCase *rc = arg;
    uint64_t rnd = 0x2545f4914f6cdd1dull;
    for (uint32_t i = 0; i < (uint32_t)rc->rounds; i++) {
        char go;
        ssize_t n = rtFdRead(rc->w, &go, 1);
        RT_CHECK(n == 1 && go == 'g', "writer: round %u: reading go returned %zd (%s)", i, n, rcStr(n));
        if (rc->maxDelayUs > 0) {
            int64_t until = rtNanotime() + (int64_t)(xorshift(&rnd) % (uint64_t)(rc->maxDelayUs + 1)) * RT_US;
            while (rtNanotime() < until) {}
        }
        n = rtFdWrite(rc->w, &i, sizeof i);
        RT_CHECK(n == sizeof i, "writer: round %u: write returned %zd (%s)", i, n, rcStr(n));
    }
}

static void *raceWatchdog(void *arg) {
    raceCase *rc = arg;
    int last = -1;
    int64_t since = rtNanotime();
    while (!atomic_load(&rc->stop)) {
        int p = atomic_load(&rc->progress);
        if (p != last) { last = p; since = rtNanotime(); }
        if (rtNanotime() - since > 5000 * RT_MS) {
            fprintf(stderr, "race: no progress for 5 s in round %d: a record was lost "
                    "or a wake-up was missed\n", p);
            abort();
        }
        usleep(50000);
    }
    return NULL;
}

/* readRecord reads one 4-byte record. The writer sends it with one write(2)
 * of 4 bytes, which a unix stream socket delivers whole, so a short read or
 * an error after part of a record is a failure. */
static ssize_t readRecord(rtFd *fd, uint32_t *rec, uint32_t round) {
    ssize_t n = rtFdRead(fd, rec, sizeof *rec);
    RT_CHECK(n <= 0 || n == (ssize_t)sizeof *rec, "round %u: a partial record (%zd bytes)", round, n);
    return n;
}

static void dataRacesDeadline(void *arg) {
    raceCase *rc = arg;
    int sv[2];
    unixPair(sv);
    rc->r = mustOpen(sv[0]);
    rc->w = mustOpen(sv[1]);
    pthread_t dog;
    RT_CHECK(pthread_create(&dog, NULL, raceWatchdog, rc) == 0, "pthread_create");
    rtGo(raceWriter, rc);

    uint64_t rnd = 0x9e3779b97f4a7c15ull;
    for (uint32_t i = 0; i < (uint32_t)rc->rounds; i++) {
        int64_t dl = rtNanotime() + (int64_t)(xorshift(&rnd) % (uint64_t)(rc->maxDeadlineUs + 1)) * RT_US;
        setDeadline(rc->r, dl, 'r');
        ssize_t n = rtFdWrite(rc->r, "g", 1);
        RT_CHECK(n == 1, "round %u: writing go returned %zd (%s)", i, n, rcStr(n));
        uint32_t rec = ~0u;
        n = readRecord(rc->r, &rec, i);
        if (n == RT_ETIMEOUT) {
            int64_t now = rtNanotime();
            RT_CHECK(now >= dl, "round %u: RT_ETIMEOUT %lld us before the deadline (a stale timer fired?)",
                     i, (long long)((dl - now) / RT_US));
            rc->timeouts++;
            setDeadline(rc->r, 0, 'r');
            n = readRecord(rc->r, &rec, i);
            RT_CHECK(n == sizeof rec, "round %u: read after the timeout returned %zd (%s)", i, n, rcStr(n));
        } else {
            RT_CHECK(n == sizeof rec, "round %u: read returned %zd (%s), want a record or RT_ETIMEOUT",
                     i, n, rcStr(n));
            rc->dataFirst++;
        }
        RT_CHECK(rec == i, "round %u: got record %u", i, rec);
        atomic_store(&rc->progress, (int)i + 1);
    }
    /* Nothing is left over: every record was received exactly once. */
    setDeadline(rc->r, 0, 'r');
    char extra[8];
    ssize_t n = recv(sv[0], extra, sizeof extra, MSG_DONTWAIT);
    int e = errno;
    RT_CHECK(n == -1 && (e == EAGAIN || e == EWOULDBLOCK), "%zd extra byte(s) after the last round", n);
    atomic_store(&rc->stop, 1);
    pthread_join(dog, NULL);
    rtFdClose(rc->r);
    rtFdClose(rc->w);
}

static void checkRace(raceCase *rc) {
    cr_log_info("race: %d rounds, %d got data before the deadline, %d timed out first",
                rc->rounds, atomic_load(&rc->dataFirst), atomic_load(&rc->timeouts));
    cr_assert_eq(atomic_load(&rc->progress), rc->rounds);
    cr_assert_eq(atomic_load(&rc->dataFirst) + atomic_load(&rc->timeouts), rc->rounds);
    cr_assert_gt(atomic_load(&rc->timeouts), 0, "no round timed out: the race was never exercised");
    cr_assert_gt(atomic_load(&rc->dataFirst), 0, "no round got data before its deadline: "
                 "the race was never exercised");
}

Test(deadline, data_racing_a_deadline_on_two_ps_is_never_lost_and_never_delivered_twice,
     .init = ignoreSigpipe, .timeout = 60) {
    raceCase rc = { .rounds = 10000, .maxDeadlineUs = 200, .maxDelayUs = 0 };
    rtTestRun(2, dataRacesDeadline, &rc);
    checkRace(&rc);
}

/* The same with deadlines and write delays spread over 0..1.5 ms, so the
 * record often lands just as the (millisecond-grained) timer fires. */
Test(deadline, data_racing_a_millisecond_deadline_is_never_lost_and_never_delivered_twice,
     .init = ignoreSigpipe, .timeout = 60) {
    raceCase rc = { .rounds = 3000, .maxDeadlineUs = 1500, .maxDelayUs = 1500 };
    rtTestRun(2, dataRacesDeadline, &rc);
    checkRace(&rc);
}
