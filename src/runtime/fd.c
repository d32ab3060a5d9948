/* fd.c — the fd layer: Go's internal/poll loops over the netpoller.
 *
 * An rtFd owns a non-blocking socket and its pollDesc. Operations loop like
 * Go's FD.Read/Write/Accept: try the syscall; EINTR → retry; EAGAIN → park
 * on the pollDesc (pollWait) and retry; anything else → return it.
 *
 * Edge-triggered discipline: a G parks only after the syscall said EAGAIN
 * since the last pollReset, or after a short read (fewer bytes than asked
 * for: the socket was drained at that moment, so any later data raises a
 * new edge that the poller turns into pdReady or a wake-up). The short-read
 * shortcut skips the read(2) that would only return EAGAIN; it must then
 * not pollReset, which would drop a token that arrived meanwhile.
 * Exception: end of file and errors are states, not data. A FIN or RST that
 * came with the last bytes raises no further edge, so once the poller has
 * seen RDHUP/HUP/ERR on the fd (pd->hup, set before it readies anyone) the
 * shortcut is off and the next read(2) reports the EOF or the error.
 *
 * Lifetime (Go's fdMutex, brief §5). state packs:
 *   bit 0 closed | bit 1 read lock | bit 2 write lock |
 *   bits 3-22 references | bits 23-42 read waiters | bits 43-62 write waiters
 * Read/Accept hold the read lock, Write the write lock, deadlines and
 * wake-ups a plain reference. rtFdClose sets `closed`, wakes lock waiters and
 * the pollDesc's waiters (RT_ECLOSING); whoever drops the last reference
 * destroys: EPOLL_CTL_DEL, close(2) (never retried: Linux has released the
 * number even on EINTR, and a retry could close a reused fd), free. So the fd
 * number is released only after every in-flight operation has returned.
 *
 * rtFdEvict (CLIENT KILL) marks the pollDesc closing and wakes its waiters,
 * without closing: the owner's rtFdClose still runs the destruction.
 */
#include "runtime.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <limits.h>
#include <unistd.h>

#define MAX_RW (1u << 30)   /* cap on one read/write (brief §6) */

#define mutexClosed  (1ull << 0)
#define mutexRLock   (1ull << 1)
#define mutexWLock   (1ull << 2)
#define mutexRef     (1ull << 3)
#define mutexRefMask (((1ull << 20) - 1) << 3)
#define mutexRWait   (1ull << 23)
#define mutexRMask   (((1ull << 20) - 1) << 23)
#define mutexWWait   (1ull << 43)
#define mutexWMask   (((1ull << 20) - 1) << 43)

/* rtSema: a counting semaphore whose waiters are parked Gs. */
typedef struct rtSema {
    rtMutex lk;
    uint32_t count;          /* under lk */
    gList waiters;           /* under lk */
} rtSema;

struct rtFd {
    _Atomic uint64_t state;  /* fdMutex word, see above */
    rtSema rsema, wsema;     /* read / write lock waiters */
    int sysfd;               /* constant */
    pollDesc *pd;            /* constant */
    bool lastReadShort;      /* the last read drained the socket; owned by the read-lock holder */
};

/* ---- semaphores ------------------------------------------------------------ */

static bool semaCommit(rtG *g, void *arg) {
    rtSema *s = arg;
    gListPush(&s->waiters, g);
    mutexUnlock(&s->lk);
    return true;
}

static void semacquire(rtSema *s) {
    mutexLock(&s->lk);
    if (s->count > 0) {
        s->count--;
        mutexUnlock(&s->lk);
        return;
    }
    rtPark(semaCommit, s);   /* semaCommit unlocks after the switch */
}

static void semrelease(rtSema *s) {
    mutexLock(&s->lk);
    rtG *g = gListPop(&s->waiters);
    if (!g) s->count++;
    mutexUnlock(&s->lk);
    if (g) rtReady(g);
}

/* ---- fdMutex ------------------------------------------------------------------ */

static bool fdIncref(rtFd *fd) {
    uint64_t old = atomic_load(&fd->state);
    for (;;) {
        if (old & mutexClosed) return false;
        uint64_t nv = old + mutexRef;
        if ((nv & mutexRefMask) == 0) rtThrow("runtime: too many concurrent operations on a single fd");
        if (atomic_compare_exchange_weak(&fd->state, &old, nv)) return true;
    }
}

static bool fdIncrefAndClose(rtFd *fd) {
    uint64_t old = atomic_load(&fd->state);
    for (;;) {
        if (old & mutexClosed) return false;
        uint64_t nv = (old | mutexClosed) + mutexRef;
        if ((nv & mutexRefMask) == 0) rtThrow("runtime: too many concurrent operations on a single fd");
        nv &= ~(mutexRMask | mutexWMask);
        if (atomic_compare_exchange_weak(&fd->state, &old, nv)) break;
    }
    for (uint64_t w = (old & mutexRMask) / mutexRWait; w > 0; w--) semrelease(&fd->rsema);
    for (uint64_t w = (old & mutexWMask) / mutexWWait; w > 0; w--) semrelease(&fd->wsema);
    return true;
}

/* fdDecref drops a reference; true if it was the last one after close. */
static bool fdDecref(rtFd *fd) {
    uint64_t old = atomic_load(&fd->state);
    for (;;) {
        if ((old & mutexRefMask) == 0) rtThrow("runtime: inconsistent fdMutex");
        uint64_t nv = old - mutexRef;
        if (atomic_compare_exchange_weak(&fd->state, &old, nv))
            return (nv & (mutexClosed | mutexRefMask)) == mutexClosed;
    }
}

static bool fdRWLock(rtFd *fd, bool read) {
    uint64_t bit = read ? mutexRLock : mutexWLock;
    uint64_t wait = read ? mutexRWait : mutexWWait;
    uint64_t mask = read ? mutexRMask : mutexWMask;
    rtSema *sema = read ? &fd->rsema : &fd->wsema;
    for (;;) {
        uint64_t old = atomic_load(&fd->state);
        if (old & mutexClosed) return false;
        uint64_t nv;
        if ((old & bit) == 0) {
            nv = (old | bit) + mutexRef;
            if ((nv & mutexRefMask) == 0) rtThrow("runtime: too many concurrent operations on a single fd");
        } else {
            nv = old + wait;
            if ((nv & mask) == 0) rtThrow("runtime: too many waiters on a single fd");
        }
        if (atomic_compare_exchange_weak(&fd->state, &old, nv)) {
            if ((old & bit) == 0) return true;
            semacquire(sema);   /* the releaser subtracted our wait count */
        }
    }
}

/* fdRWUnlock; true if it dropped the last reference after close. */
static bool fdRWUnlock(rtFd *fd, bool read) {
    uint64_t bit = read ? mutexRLock : mutexWLock;
    uint64_t wait = read ? mutexRWait : mutexWWait;
    uint64_t mask = read ? mutexRMask : mutexWMask;
    uint64_t old = atomic_load(&fd->state);
    for (;;) {
        if ((old & bit) == 0 || (old & mutexRefMask) == 0) rtThrow("runtime: inconsistent fdMutex");
        uint64_t nv = (old & ~bit) - mutexRef;
        if (old & mask) nv -= wait;
        if (atomic_compare_exchange_weak(&fd->state, &old, nv)) {
            if (old & mask) semrelease(read ? &fd->rsema : &fd->wsema);
            return (nv & (mutexClosed | mutexRefMask)) == mutexClosed;
        }
    }
}

static void fdDestroy(rtFd *fd) {
    pollClose(fd->pd);
    rtSys.close(fd->sysfd);   /* no EINTR retry: the number is gone either way */
    free(fd);
}

static void fdUnlock(rtFd *fd, bool read) {
    if (fdRWUnlock(fd, read)) fdDestroy(fd);
}

static void fdRelease(rtFd *fd) {
    if (fdDecref(fd)) fdDestroy(fd);
}

/* pollErr maps a poll error to the caller's code. */
static int pollErr(int e) {
    switch (e) {
    case pollErrClosing: return RT_ECLOSING;
    case pollErrTimeout: return RT_ETIMEOUT;
    case pollErrNotPollable: return RT_ENOTPOLL;
    default: return 0;
    }
}

/* ---- open / close ------------------------------------------------------------ */

static rtFd *fdNew(int sysfd, int *err) {
    rtFd *fd = calloc(1, sizeof *fd);
    if (!fd) rtThrow("runtime: out of memory allocating an rtFd");
    fd->sysfd = sysfd;
    int e = 0;
    fd->pd = pollOpen(sysfd, &e);
    if (!fd->pd) {
        free(fd);
        if (err) *err = e;
        return NULL;
    }
    return fd;
}

rtFd *rtFdOpen(int sysfd, int *err) {
    int fl = fcntl(sysfd, F_GETFL);
    if (fl < 0 || fcntl(sysfd, F_SETFL, fl | O_NONBLOCK) < 0) {
        if (err) *err = -errno;
        return NULL;
    }
    return fdNew(sysfd, err);
}

int rtFdSysfd(const rtFd *fd) { return fd->sysfd; }

int rtFdClose(rtFd *fd) {
    if (!fdIncrefAndClose(fd)) return RT_ECLOSING;
    pollUnblock(fd->pd);
    fdRelease(fd);
    return 0;
}

void rtFdEvict(rtFd *fd) {
    if (!fdIncref(fd)) return;
    pollUnblock(fd->pd);
    fdRelease(fd);
}

void rtFdWakeReader(rtFd *fd) {
    if (!fdIncref(fd)) return;
    pollWakeReader(fd->pd);
    fdRelease(fd);
}

int rtFdSetDeadline(rtFd *fd, int64_t when, int mode) {
    if (!fdIncref(fd)) return RT_ECLOSING;
    int64_t d = 0;
    if (when != 0) d = when <= rtNanotime() ? -1 : when;
    pollSetDeadline(fd->pd, d, mode);
    fdRelease(fd);
    return 0;
}

/* ---- read / write ------------------------------------------------------------ */

/* takeWake: rtFdWakeReader asked the reader to come back without data. */
static bool takeWake(rtFd *fd) {
    return atomic_load_explicit(&fd->pd->wakeReq, memory_order_relaxed) &&
           atomic_exchange(&fd->pd->wakeReq, 0);
}

ssize_t rtFdRead(rtFd *fd, void *buf, size_t n) {
    if (!fdRWLock(fd, true)) return RT_ECLOSING;
    if (n == 0) { fdUnlock(fd, true); return 0; }
    if (n > MAX_RW) n = MAX_RW;
    ssize_t res;
    /* drained last time: wait before reading, unless an EOF/error is pending */
    bool wait = fd->lastReadShort && !atomic_load(&fd->pd->hup);
    if (!wait && (res = pollErr(pollReset(fd->pd, 'r'))) != 0) goto out;
    for (;;) {
        if (wait) {
            if (takeWake(fd)) { res = RT_EWOKEN; break; }
            if ((res = pollErr(pollWait(fd->pd, 'r'))) != 0) break;
            if (takeWake(fd)) { res = RT_EWOKEN; fd->lastReadShort = false; break; }
        }
        res = rtSys.read(fd->sysfd, buf, n);
        if (res == -EINTR) { wait = false; continue; }
        if (res == -EAGAIN) { wait = true; continue; }
        break;
    }
    fd->lastReadShort = res > 0 && (size_t)res < n;
out:
    fdUnlock(fd, true);
    return res;
}

ssize_t rtFdWrite(rtFd *fd, const void *buf, size_t n) {
    struct iovec iov = { (void *)buf, n };
    return rtFdWritev(fd, &iov, 1);
}

/* iovAdvance drops the first `done` bytes of the vector (iov, cnt). */
static void iovAdvance(struct iovec **iov, int *cnt, size_t done) {
    while (*cnt > 0 && done >= (*iov)->iov_len) {
        done -= (*iov)->iov_len;
        (*iov)++;
        (*cnt)--;
    }
    if (*cnt > 0 && done) {
        (*iov)->iov_base = (char *)(*iov)->iov_base + done;
        (*iov)->iov_len -= done;
    }
}

ssize_t rtFdWritev(rtFd *fd, struct iovec *iov, int iovcnt) {
    size_t total = 0;
    for (int i = 0; i < iovcnt; i++) total += iov[i].iov_len;
    if (!fdRWLock(fd, false)) return RT_ECLOSING;
    ssize_t res = pollErr(pollReset(fd->pd, 'w'));
    size_t nn = 0;
    while (res == 0 && nn < total) {
        while (iovcnt > 0 && iov->iov_len == 0) { iov++; iovcnt--; }
        ssize_t r = iovcnt == 1
            ? rtSys.write(fd->sysfd, iov->iov_base, iov->iov_len > MAX_RW ? MAX_RW : iov->iov_len)
            : rtSys.writev(fd->sysfd, iov, iovcnt > IOV_MAX ? IOV_MAX : iovcnt);
        if (r > 0) { nn += (size_t)r; iovAdvance(&iov, &iovcnt, (size_t)r); continue; }
        if (r == -EINTR) continue;
        if (r == -EAGAIN) { res = pollErr(pollWait(fd->pd, 'w')); continue; }
        res = r < 0 ? r : -EIO;   /* 0 bytes with no error: unexpected EOF */
    }
    fdUnlock(fd, false);
    return res < 0 ? res : (ssize_t)nn;
}

/* ---- accept / connect / listen -------------------------------------------------- */

rtFd *rtFdAccept(rtFd *fd, struct sockaddr *addr, socklen_t *addrlen, int *err) {
    int e = 0;
    rtFd *nfd = NULL;
    if (!fdRWLock(fd, true)) { e = RT_ECLOSING; goto out; }
    int64_t backoff = 0;
    if ((e = pollErr(pollReset(fd->pd, 'r'))) != 0) goto unlock;
    for (;;) {
        int s = rtSys.accept4(fd->sysfd, addr, addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (s >= 0) {
            nfd = fdNew(s, &e);
            if (!nfd) rtSys.close(s);
            break;
        }
        if (s == -EINTR || s == -ECONNABORTED) continue;
        if (s == -EAGAIN) {
            if ((e = pollErr(pollWait(fd->pd, 'r'))) != 0) break;
            continue;
        }
        if (s == -EMFILE || s == -ENFILE || s == -ENOBUFS || s == -ENOMEM) {
            /* out of descriptors: the pending connection stays queued; wait
             * without spinning (5 ms doubling to 200 ms), then try again */
            backoff = backoff ? backoff * 2 : 5 * 1000000LL;
            if (backoff > 200 * 1000000LL) backoff = 200 * 1000000LL;
            atomic_fetch_add_explicit(&sched.nAcceptBackoffs, 1, memory_order_relaxed);
            rtSleep(backoff);
            if ((e = pollErr(netpollcheckerr(fd->pd, 'r'))) == RT_ECLOSING) break;
            e = 0;
            continue;
        }
        e = s;
        break;
    }
unlock:
    fdUnlock(fd, true);
out:
    if (!nfd && err) *err = e;
    return nfd;
}

/* sockaddrFor fills ss from a numeric IPv4/IPv6 address (NULL or "*" =
 * any IPv4). Returns the length, or 0 if host is not numeric. */
static socklen_t sockaddrFor(const char *host, int port, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (!host || !strcmp(host, "*")) host = "0.0.0.0";
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        return sizeof *in4;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        return sizeof *in6;
    }
    return 0;
}

static rtFd *listenOn(int domain, const struct sockaddr *sa, socklen_t len, int backlog, int *err) {
    int e;
    int s = rtSys.socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) { e = s; goto fail; }
    int one = 1;
    if (domain != AF_UNIX) setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (domain == AF_INET6) setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if ((e = rtSys.bind(s, sa, len)) < 0 || (e = rtSys.listen(s, backlog)) < 0) {
        rtSys.close(s);
        goto fail;
    }
    rtFd *fd = fdNew(s, &e);
    if (fd) return fd;
    rtSys.close(s);
fail:
    if (err) *err = e;
    return NULL;
}

rtFd *rtListenTCP(const char *host, int port, int backlog, int *err) {
    struct sockaddr_storage ss;
    socklen_t len = sockaddrFor(host, port, &ss);
    if (!len) { if (err) *err = -EINVAL; return NULL; }
    return listenOn(ss.ss_family, (struct sockaddr *)&ss, len, backlog, err);
}

rtFd *rtListenUnix(const char *path, int backlog, int *err) {
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof un.sun_path) { if (err) *err = -ENAMETOOLONG; return NULL; }
    strcpy(un.sun_path, path);
    unlink(path);   /* a stale socket file from an earlier run */
    return listenOn(AF_UNIX, (struct sockaddr *)&un, sizeof un, backlog, err);
}

/* connectWait waits for a non-blocking connect to finish (Go's connect loop:
 * the poller may wake us spuriously, so check that we are connected). */
static int connectWait(rtFd *fd) {
    for (;;) {
        int e = pollErr(pollWait(fd->pd, 'w'));
        if (e) return e;
        int soerr = 0;
        socklen_t l = sizeof soerr;
        if (getsockopt(fd->sysfd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0) return -errno;
        if (soerr == EINPROGRESS || soerr == EALREADY || soerr == EINTR) continue;
        if (soerr == EISCONN) return 0;
        if (soerr != 0) return -soerr;
        struct sockaddr_storage peer;
        socklen_t pl = sizeof peer;
        if (getpeername(fd->sysfd, (struct sockaddr *)&peer, &pl) == 0) return 0;
    }
}

rtFd *rtFdConnect(const char *host, int port, int *err) {
    struct sockaddr_storage ss;
    int e;
    socklen_t len = sockaddrFor(host, port, &ss);
    if (!len) { e = -EINVAL; goto fail; }
    int s = rtSys.socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) { e = s; goto fail; }
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r;
    while ((r = rtSys.connect(s, (struct sockaddr *)&ss, len)) == -EINTR) {}
    if (r < 0 && r != -EINPROGRESS) { rtSys.close(s); e = r; goto fail; }
    rtFd *fd = fdNew(s, &e);
    if (!fd) { rtSys.close(s); goto fail; }
    if (r == 0) return fd;
    if (!fdIncref(fd)) { e = RT_ECLOSING; goto fail; }
    e = connectWait(fd);
    fdRelease(fd);
    if (e == 0) return fd;
    rtFdClose(fd);
fail:
    if (err) *err = e;
    return NULL;
}
