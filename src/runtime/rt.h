/* rt.h — the public face of roost's Go-style runtime.
 *
 * Everything above src/runtime (storage, server, types, persist) reaches the
 * runtime only through this header. Nothing in src/runtime knows about Redis.
 *
 * Model (see ../../../shared/DESIGN.md §2 and HACKING.md in this directory):
 *   G  a coroutine: a function running on its own mmap'd stack;
 *   M  an OS thread that runs Gs;
 *   P  a processor: a run queue plus a timer heap. An M must hold a P to run
 *      Gs, so at most `nprocs` Gs run at once.
 * A G that would block (socket EAGAIN, sleep, wait queue) parks: it leaves its
 * M, which goes on to run other Gs; whoever makes the wait end readies it.
 * A G may resume on a different M than the one it parked on: never keep a
 * pointer to thread-local data (errno included) across a call that can park.
 *
 * Which calls may park is said on each one ("may park"). Those may only be
 * called from a G. Calls marked "any thread" may also be called from plain
 * threads that are not part of the runtime.
 *
 * Error convention: fd operations return >= 0 on success and a negative code
 * on failure: -errno for system errors, or one of the RT_E* codes below.
 */
#ifndef ROOST_RT_H
#define ROOST_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* ---- errors ------------------------------------------------------------- */

#define RT_ECLOSING (-100001) /* fd closed or evicted: "use of closed network connection" */
#define RT_ETIMEOUT (-100002) /* deadline passed: "i/o timeout" */
#define RT_EWOKEN   (-100003) /* rtFdWakeReader interrupted a read wait */
#define RT_ENOTPOLL (-100004) /* the fd reported EPOLLERR: not pollable */

/* rtStrerror returns a static description of a negative result code
 * (-errno or RT_E*). */
const char *rtStrerror(int err);

/* ---- start, stop -------------------------------------------------------- */

typedef struct rtConfig {
    int nprocs;          /* number of Ps; 0 = online CPUs, at most 8 */
    size_t stackSize;    /* coroutine stack size in bytes; 0 = 64 KiB */
} rtConfig;

/* rtMain starts the runtime with cfg (NULL = defaults), runs fn(arg) as the
 * first G, and turns the calling thread into the first M. It returns 0 once
 * some G has called rtShutdown and every M has left the scheduler; Gs still
 * parked at that point are abandoned. Call it once per process. */
int rtMain(const rtConfig *cfg, void (*fn)(void *), void *arg);

/* rtShutdown asks the runtime to stop. Any thread; returns at once. */
void rtShutdown(void);

/* rtNumProcs is the number of Ps the runtime runs with. */
int rtNumProcs(void);

/* ---- coroutines --------------------------------------------------------- */

typedef struct rtG rtG;

/* rtGo spawns a G running fn(arg). The new G runs soon, possibly on another M.
 * Any thread once rtMain has started. Stacks are taken lazily, when the G
 * first runs, so spawning many short Gs at once costs little memory. */
rtG *rtGo(void (*fn)(void *), void *arg);

/* rtGoStack is rtGo with a stack of stackSize bytes (rounded up to pages;
 * 0 = the default) instead of the configured default, for the few Gs that
 * run deep C code (the script engine's parser and VM). Such a stack is
 * mapped when the G first runs and unmapped when it exits (never pooled),
 * so keep these Gs long-lived. */
rtG *rtGoStack(void (*fn)(void *), void *arg, size_t stackSize);

/* rtYield puts the current G at the back of its P's run queue and runs others.
 * May park (that is, may resume on another M). */
void rtYield(void);

/* rtPreemptRequested is true when sysmon found this G running for more than
 * 10 ms without yielding, or a stop-the-world is pending. Long commands test
 * it at safe points; rtMaybeYield yields when it is true. */
bool rtPreemptRequested(void);
void rtMaybeYield(void);

/* rtSleep parks the current G for ns nanoseconds (<= 0: just yields);
 * rtSleepUntil until the monotonic time when. May park. */
void rtSleep(int64_t ns);
void rtSleepUntil(int64_t when);

/* rtNanotime: monotonic clock in nanoseconds. Any thread. */
int64_t rtNanotime(void);

/* rtSelf is the running G (NULL outside a G); rtGoid its unique id. */
rtG *rtSelf(void);
uint64_t rtGoid(const rtG *g);

/* rtProcId is the index (0..nprocs-1) of the P running the caller, for per-P
 * slots. Only meaningful until the next call that may park. */
int rtProcId(void);

/* ---- park / ready ------------------------------------------------------- */

/* rtPark parks the current G. Once the G is off its stack, commit(g, arg)
 * runs on the scheduler stack of the M (it must not park; it typically
 * publishes g in a wait queue and unlocks that queue's lock). If commit
 * returns false the G resumes at once. Otherwise the G sleeps until someone
 * calls rtReady(g) exactly once. commit may be NULL (always parks). */
typedef bool (*rtCommitFn)(rtG *g, void *arg);
void rtPark(rtCommitFn commit, void *arg);

/* rtReady makes a parked G runnable. Any thread. Readying a G that is not
 * parked is a fatal runtime error ("bad g status"). */
void rtReady(rtG *g);

/* A waiter is a one-shot wake-up with an optional deadline, for wait queues
 * whose wakers race with timeouts (blocking commands): exactly one of
 * rtWaiterWake and the deadline ends the wait, and the winner is told.
 *
 *   rtWaiter w; rtWaiterInit(&w);          // binds w to the current G
 *   lock(q); enqueue(q, &w);               // wakers find w under q's lock
 *   rc = rtWaiterPark(&w, deadline, unlockq, q); // unlocks q after the switch
 *   // rc == 0: woken by rtWaiterWake; RT_ETIMEOUT: deadline passed
 *
 * The waiter stays valid for wakers after the G has moved on: a late
 * rtWaiterWake simply returns false. */
typedef struct rtWaiter {
    rtG *g;              /* the waiting G */
    uint64_t seq;        /* this wait's generation (stale wakes fail) */
} rtWaiter;

/* rtWaiterInit arms a new wait for the current G. */
void rtWaiterInit(rtWaiter *w);

/* rtWaiterPark parks until rtWaiterWake or until deadline (monotonic ns;
 * 0 = no deadline). unlock(arg), if not NULL, runs on the scheduler stack
 * after the G is off its stack, whether or not the G then sleeps. Returns 0
 * if woken, RT_ETIMEOUT if the deadline ended the wait. May park. */
int rtWaiterPark(rtWaiter *w, int64_t deadline, void (*unlock)(void *), void *arg);

/* rtWaiterWake ends w's wait and readies its G. Returns true if this call
 * ended the wait, false if the wait had already ended (woken, timed out, or
 * a newer wait replaced it). Any thread. */
bool rtWaiterWake(const rtWaiter *w);

/* ---- locks --------------------------------------------------------------- */

/* rtLock: a short-critical-section lock for any layer (futex-based; spins
 * briefly, then sleeps the thread). Zero-initialised = unlocked. Never hold
 * one across a call that may park (HACKING.md rule 1). */
typedef struct rtLock { uint32_t key; } rtLock;
void rtLockAcquire(rtLock *l);
void rtLockRelease(rtLock *l);
/* rtLockTryAcquire takes l if it is free or freed within a brief spin;
 * never sleeps. For taking a lock out of order without deadlock. */
bool rtLockTryAcquire(rtLock *l);

/* ---- timers ------------------------------------------------------------- */

/* A timer calls f(arg, seq, delay) on the scheduler stack of some M once the
 * monotonic clock passes `when` (delay = how late it ran). f must not park;
 * it may rtReady Gs. Timers live in per-P 4-ary heaps; moving a pending timer
 * (rtTimerReset) is O(1): the heap is repaired lazily when the old time
 * comes. A firing may already be under way when rtTimerReset or rtTimerStop
 * is called; callbacks compare seq with the owner's current generation under
 * the owner's lock to ignore such stale firings (as Go's pollDesc does). The
 * timer's memory must stay valid while it is pending and while a firing may
 * be in flight. */
typedef void (*rtTimerFn)(void *arg, uint64_t seq, int64_t delay);

typedef struct rtTimer {
    uint32_t mu;         /* private: lock word */
    uint8_t modified;    /* private: `when` differs from the heap's copy; guarded by mu */
    int32_t idx;         /* private: index in the heap; guarded by the heap's lock */
    int64_t when;        /* private: fire time; guarded by mu */
    rtTimerFn f;         /* private: callback; guarded by mu */
    void *arg;           /* private */
    uint64_t seq;        /* private */
    struct rtTimers *ts; /* private: the heap holding it, NULL if none; guarded by mu */
} rtTimer;

void rtTimerInit(rtTimer *t, rtTimerFn f, void *arg);
/* rtTimerReset (re)arms t to fire at `when` with `seq`. From a G or a timer
 * callback. Never parks. */
void rtTimerReset(rtTimer *t, int64_t when, uint64_t seq);
/* rtTimerStop disarms t; true if it was pending. Never parks. */
bool rtTimerStop(rtTimer *t);

/* ---- file descriptors --------------------------------------------------- */

typedef struct rtFd rtFd;

/* rtFdOpen registers a socket with the netpoller (edge-triggered, once, for
 * its whole life) and sets it non-blocking. Returns NULL on failure with the
 * code in *err (may be NULL). The rtFd owns sysfd from then on. */
rtFd *rtFdOpen(int sysfd, int *err);

/* rtFdSysfd: the OS descriptor, for setsockopt and the like. */
int rtFdSysfd(const rtFd *fd);

/* rtFdRead reads up to n bytes. Returns the count, 0 at EOF, or a negative
 * code. If the previous read on fd was short (the socket was drained), it
 * waits for readiness before calling read(2), saving the read that would only
 * return EAGAIN. May park. One reader at a time per fd. */
ssize_t rtFdRead(rtFd *fd, void *buf, size_t n);

/* rtFdWrite / rtFdWritev write everything (short writes are completed,
 * EAGAIN parks). Return the total written or a negative code. May park. */
ssize_t rtFdWrite(rtFd *fd, const void *buf, size_t n);
ssize_t rtFdWritev(rtFd *fd, struct iovec *iov, int iovcnt);

/* rtFdAccept accepts one connection as a new registered rtFd (non-blocking,
 * close-on-exec). ECONNABORTED and EINTR are retried; EMFILE/ENFILE back off
 * (5 ms doubling to 200 ms) and retry without spinning. Returns NULL and sets
 * *err on other failures (RT_ECLOSING once fd is closed). May park. */
rtFd *rtFdAccept(rtFd *fd, struct sockaddr *addr, socklen_t *addrlen, int *err);

/* rtFdConnect creates a TCP connection to host:port (numeric IPv4/IPv6
 * address) and registers it. May park. NULL and *err on failure. */
rtFd *rtFdConnect(const char *host, int port, int *err);

/* rtListenTCP / rtListenUnix create a listening socket and register it.
 * NULL and *err on failure. Any thread once rtMain has started. */
rtFd *rtListenTCP(const char *host, int port, int backlog, int *err);
rtFd *rtListenUnix(const char *path, int backlog, int *err);

/* rtFdSetDeadline sets the read ('r'), write ('w') or both ('r'+'w')
 * deadline: when is absolute monotonic ns, 0 = none, in the past = expired.
 * A wait in that direction fails with RT_ETIMEOUT once it passes, until a new
 * deadline is set. Resetting a pending deadline later is O(1). Returns 0 or
 * RT_ECLOSING. Any G. */
int rtFdSetDeadline(rtFd *fd, int64_t when, int mode);

/* rtFdWakeReader makes a read parked on fd (or the next one) return
 * RT_EWOKEN, without data. Used to nudge a client G that has new work (a
 * pub/sub message, an unblocked command). Any thread. */
void rtFdWakeReader(rtFd *fd);

/* rtFdEvict marks fd closing and wakes its reader and writer, which get
 * RT_ECLOSING; the descriptor itself is closed by the owner's rtFdClose.
 * Used by CLIENT KILL on another client. Any thread, while the owner has not
 * called rtFdClose. */
void rtFdEvict(rtFd *fd);

/* rtFdClose: the owner's last call on fd. Wakes waiters with RT_ECLOSING;
 * EPOLL_CTL_DEL and close(2) happen after the last in-flight operation. The
 * rtFd must not be used after this call. Returns 0 or RT_ECLOSING if it was
 * closed already. */
int rtFdClose(rtFd *fd);

/* ---- stop the world ----------------------------------------------------- */

/* rtStopTheWorld returns once every other P sits in the scheduler (no G of
 * theirs is running); the caller's G keeps running. rtStartTheWorld restarts
 * them, first polling the network and queueing what it finds. Only from a G;
 * the caller must not park in between. Calls do not nest; concurrent callers
 * are serialised (the second waits, yielding, until the first restarts). */
void rtStopTheWorld(void);
void rtStartTheWorld(void);

/* ---- syscall hooks ------------------------------------------------------ */

/* Every syscall the runtime makes goes through this table, so tests can
 * inject faults. Each entry returns what the syscall returns on success and
 * -errno on failure (errno is never consulted), so a hook needs no TLS. */
struct epoll_event;
typedef struct rtSyscalls {
    int (*socket)(int domain, int type, int protocol);
    int (*bind)(int fd, const struct sockaddr *addr, socklen_t len);
    int (*listen)(int fd, int backlog);
    int (*connect)(int fd, const struct sockaddr *addr, socklen_t len);
    int (*accept4)(int fd, struct sockaddr *addr, socklen_t *len, int flags);
    ssize_t (*read)(int fd, void *buf, size_t n);
    ssize_t (*write)(int fd, const void *buf, size_t n);
    ssize_t (*writev)(int fd, const struct iovec *iov, int iovcnt);
    int (*close)(int fd);
    int (*epoll_ctl)(int epfd, int op, int fd, struct epoll_event *ev);
    int (*epoll_wait)(int epfd, struct epoll_event *evs, int max, int timeout_ms);
    int (*eventfd)(unsigned int initval, int flags);
} rtSyscalls;

extern rtSyscalls rtSys;                 /* the live table */
extern const rtSyscalls rtSysDefault;    /* the real syscalls */

/* ---- statistics --------------------------------------------------------- */

typedef struct rtStats {
    uint64_t spawned;        /* Gs created */
    uint64_t switches;       /* switches into a G */
    uint64_t steals;         /* successful steals of Gs from another P */
    uint64_t netpolls;       /* netpoll calls (blocking and not) */
    uint64_t netpollGs;      /* Gs readied by netpoll */
    uint64_t sysmonPolls;    /* netpolls done by sysmon */
    uint64_t preemptRequests;/* preemption requests raised by sysmon */
    uint64_t timersRun;      /* timer callbacks run */
    uint64_t acceptBackoffs; /* EMFILE/ENFILE back-offs in rtFdAccept */
    uint64_t netpollBreaks;  /* eventfd writes that woke a blocked poller */
    uint64_t staleEvents;    /* epoll events dropped for a stale fdseq */
    int liveGs;              /* Gs spawned and not yet exited */
    int idleProcs;           /* Ps idle right now */
} rtStats;

/* rtGetStats sums the counters (approximate while Ms run). Any thread. */
void rtGetStats(rtStats *st);

#endif /* ROOST_RT_H */
