/* netpoll_epoll.c — the epoll backend of the netpoller.
 *
 * Implements the backend contract of runtime.h (netpollInit, netpollOpen,
 * netpollClose, netpoll, netpollBreak) and owns its state: the epoll fd, the
 * break eventfd and the wake de-duplication flag.
 *
 *  - Each fd is registered once, EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, for its
 *    whole life; never EPOLL_CTL_MOD. epoll_data.u64 = (fdseq << 32) | index
 *    of its pollDesc; an event whose fdseq no longer matches the pd's is
 *    stale (the fd was closed, maybe reused) and is dropped.
 *  - The break eventfd is registered level-triggered for EPOLLIN with the tag
 *    BREAK_TAG, which no pollDesc can have. netpollBreak writes 1 to it only
 *    if it wins the CAS of netpollWakeSig 0 → 1, so a storm of breaks costs
 *    one write. Only a blocking netpoll drains it and clears the flag; a
 *    non-blocking poll leaves the wake pending for the real blocker.
 *  - delay → epoll timeout: < 0 forever; 0 non-blocking; under 1 ms → 1 ms;
 *    else truncated to ms (the scheduler re-checks timers after waking).
 *
 * The eventfd is read and written with raw syscalls, not through rtSys: a
 * test that injects faults into socket reads and writes must not break the
 * scheduler's own wake-ups.
 */
#include "runtime.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BREAK_TAG UINT64_MAX
#define NEVENTS 128

static int epfd = -1;
static int breakfd = -1;
static _Atomic uint32_t netpollWakeSig;   /* a break is pending */

void netpollInit(void) {
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) rtThrow("runtime: epoll_create1 failed");
    breakfd = rtSys.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (breakfd < 0) rtThrow("runtime: eventfd failed");
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = BREAK_TAG };
    if (rtSys.epoll_ctl(epfd, EPOLL_CTL_ADD, breakfd, &ev) != 0)
        rtThrow("runtime: epoll_ctl of the break eventfd failed");
}

int netpollOpen(int fd, pollDesc *pd) {
    struct epoll_event ev;
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = ((uint64_t)atomic_load(&pd->fdseq) << 32) | pd->index;
    return rtSys.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int netpollClose(int fd) {
    struct epoll_event ev = {0};
    return rtSys.epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
}

void netpollBreak(void) {
    uint32_t zero = 0;
    if (!atomic_compare_exchange_strong(&netpollWakeSig, &zero, 1))
        return;   /* a wake is already on its way */
    for (;;) {
        uint64_t one = 1;
        ssize_t n = syscall(SYS_write, breakfd, &one, sizeof one);
        if (n == (ssize_t)sizeof one) {
            atomic_fetch_add_explicit(&sched.nBreaks, 1, memory_order_relaxed);
            return;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;   /* counter saturated: still readable */
        rtThrow("runtime: netpollBreak write failed");
    }
}

static void drainBreak(void) {
    uint64_t buf;
    while (syscall(SYS_read, breakfd, &buf, sizeof buf) < 0 && errno == EINTR) {}
    atomic_store(&netpollWakeSig, 0);
}

static int waitMillis(int64_t delay) {
    if (delay < 0) return -1;
    if (delay == 0) return 0;
    if (delay < 1000000) return 1;
    if (delay < 1000000000000000LL) return (int)(delay / 1000000);
    return 1000000000;
}

int netpoll(int64_t delay, gList *list) {
    struct epoll_event events[NEVENTS];
    int waitms = waitMillis(delay);
    int n;
    for (;;) {
        n = rtSys.epoll_wait(epfd, events, NEVENTS, waitms);
        if (n >= 0) break;
        if (n != -EINTR) rtThrow("runtime: epoll_wait failed");
        if (waitms > 0) return 0;   /* let the caller recompute the delay */
    }
    atomic_fetch_add_explicit(&sched.nNetpolls, 1, memory_order_relaxed);
    int delta = 0;
    for (int i = 0; i < n; i++) {
        struct epoll_event *ev = &events[i];
        if (ev->events == 0) continue;
        if (ev->data.u64 == BREAK_TAG) {
            if (ev->events != EPOLLIN) rtThrow("runtime: netpoll: break fd ready for something other than read");
            if (delay != 0) drainBreak();
            continue;
        }
        int mode = 0;
        if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) mode += 'r';
        if (ev->events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) mode += 'w';
        if (mode == 0) continue;
        uint32_t index = (uint32_t)ev->data.u64;
        uint32_t seq = (uint32_t)(ev->data.u64 >> 32);
        pollDesc *pd = pollDescByIndex(index);
        if (!pd || atomic_load(&pd->fdseq) != seq) {
            atomic_fetch_add_explicit(&sched.nStale, 1, memory_order_relaxed);
            continue;
        }
        setEventErr(pd, ev->events == EPOLLERR, seq);
        /* before the wake-up: a reader that consumes this edge must see it */
        if (ev->events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) atomic_store(&pd->hup, 1);
        delta += netpollready(list, pd, mode);
    }
    if (list->n)
        atomic_fetch_add_explicit(&sched.nNetpollGs, (uint64_t)list->n, memory_order_relaxed);
    return delta;
}
