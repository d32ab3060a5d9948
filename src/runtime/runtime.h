/* runtime.h — internal declarations shared by the files of src/runtime.
 *
 * Nothing outside src/runtime includes this file; it uses rt.h. The data
 * structures here mirror Go's runtime2.go: G (coroutine), M (thread), P
 * (processor), the global scheduler state `sched`, the per-P timer heap and
 * the pollDesc. Each shared field names what guards it.
 *
 * Lock order (never take an earlier lock while holding a later one):
 *   sched.lock  →  timers.mu (a P's heap)  →  rtTimer.mu
 *   pollDesc.lock → timers.mu → rtTimer.mu  (deadline changes)
 *   rtSema.lk, gFreeLock, stackPoolLock, allgsLock: leaves, nothing nested.
 * A timer callback runs with no heap lock held, so it may take pollDesc.lock.
 * No lock is ever held across a context switch except where a commit
 * function (run on g0 after the switch) releases it.
 */
#ifndef ROOST_RUNTIME_H
#define ROOST_RUNTIME_H

#include "rt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>

#define RT_NOINLINE __attribute__((noinline))
#define RT_LIKELY(x) __builtin_expect(!!(x), 1)
#define RT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RT_CACHELINE 64

#define RT_MAXPROCS 64

struct rtP;
struct rtM;

#if defined(__SANITIZE_ADDRESS__)
#define RT_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define RT_TSAN 1
#define RT_NO_TSAN __attribute__((no_sanitize_thread))
#else
#define RT_NO_TSAN
#endif

/* ---- fatal errors (throw.c) ---------------------------------------------- */

/* rtThrow prints "fatal error: <msg>" with a backtrace and aborts. Used only
 * for broken invariants; always compiled in. */
_Noreturn void rtThrow(const char *msg);
#define rtAssert(cond, msg) do { if (RT_UNLIKELY(!(cond))) rtThrow(msg); } while (0)

/* ---- locks and notes (lock.c) -------------------------------------------- */

/* rtMutex: futex mutex, 0 unlocked, 1 locked, 2 locked with sleepers. Held
 * only for short critical sections; never across a park. */
typedef struct rtMutex { _Atomic uint32_t key; } rtMutex;
void mutexLock(rtMutex *l);
void mutexUnlock(rtMutex *l);

/* rtNote: one-shot wake-up for a thread (Go's note). noteSleep blocks the
 * thread until noteWakeup; noteClear re-arms it. One sleeper at a time. */
typedef struct rtNote { _Atomic uint32_t key; } rtNote;
void noteClear(rtNote *n);
void noteWakeup(rtNote *n);
void noteSleep(rtNote *n);
/* noteSleepFor: like noteSleep with a timeout; true if woken. */
bool noteSleepFor(rtNote *n, int64_t ns);

/* ---- G lists ------------------------------------------------------------- */

typedef struct gList { struct rtG *head, *tail; int n; } gList;
void gListPush(gList *l, struct rtG *g);
struct rtG *gListPop(gList *l);

/* ---- context switch (ctx.c, ctx_<arch>.S) -------------------------------- */

/* rtCtxSwap saves callee-saved registers and FP control words on the current
 * stack, stores the stack pointer in *from, loads `to` and resumes there.
 * rtCtxMake prepares a fresh stack so that the first rtCtxSwap into it calls
 * entry(arg) on that stack with a correctly aligned frame. */
void rtCtxSwap(void **from, void *to);
void *rtCtxMake(void *stackHi, void (*entry)(void *), void *arg);

/* A context is what a switch needs to know about each side for the
 * sanitizers: the stack range (ASan) and the fiber handle (TSan). */
typedef struct rtCtx {
    void *sp;            /* saved stack pointer while switched out */
    void *stackLo;       /* lowest usable address (ASan) */
    size_t stackSize;    /* usable size (ASan) */
    void *asanFake;      /* ASan fake-stack handle while switched out */
    void *tsanFiber;     /* TSan fiber, NULL if not under TSan */
} rtCtx;

/* ctxSwitch switches from `from` to `to`, annotating for ASan and TSan.
 * `dying` says `from` will never resume (its fake stack is released).
 * ctxStarted must be the first call on a new context's stack. */
void ctxSwitch(rtCtx *from, rtCtx *to, bool dying);
void ctxStarted(void);
_Noreturn void ctxExit(rtCtx *from, rtCtx *to);
void ctxInitThread(rtCtx *c);     /* describe the calling thread's stack */
void *ctxFiberNew(void);          /* a TSan fiber (NULL without TSan) */
void ctxFiberFree(void *fiber);

/* ---- stacks (stack.c) ---------------------------------------------------- */

typedef struct rtStack {
    void *lo;                         /* usable range; guard page below lo */
    size_t size;
    void *fiber;                      /* TSan fiber that runs on this stack */
} rtStack;
void stackInit(size_t size);
rtStack stackAlloc(struct rtP *p);
void stackFree(struct rtP *p, rtStack s);
/* stackAllocSized / stackFreeSized: a stack of another size than the
 * default (rtGoStack); never pooled, unmapped when its G exits */
rtStack stackAllocSized(size_t size);
void stackFreeSized(rtStack s);
bool stackIsGuard(const void *addr);  /* is addr in the running G's guard page? (signal handler) */
void stackInstallSignals(void);       /* SIGSEGV/SIGBUS handler reporting overflows */
void stackAltInstall(struct rtM *m);  /* the calling M's sigaltstack */
size_t stackSizeDefault(void);

/* ---- G ------------------------------------------------------------------- */

/* G states and their legal transitions (asserted by casgstatus):
 *   Gidle     → Grunnable  (rtGo: a new G is queued)
 *   Grunnable → Grunning   (execute)
 *   Grunning  → Grunnable  (yield, preemption)
 *   Grunning  → Gwaiting   (park, on g0 before the commit runs)
 *   Gwaiting  → Grunnable  (ready; or the commit refused the park)
 *   Grunning  → Gdead      (the function returned)
 *   Gdead     → Grunnable  (a recycled G is spawned again)
 */
enum { Gidle = 0, Grunnable, Grunning, Gwaiting, Gdead };

/* Waiter states in rtG.waitState (low 2 bits; the rest is the wait's seq). */
enum { waitArmed = 0, waitParked = 1, waitWoken = 2, waitTimedOut = 3 };

struct rtG {
    rtCtx ctx;                  /* saved context; owned by whoever runs the G */
    rtStack stack;              /* lo == NULL until the G first runs */
    _Atomic uint32_t status;    /* G* state; transitions by CAS */
    void (*fn)(void *);         /* entry function */
    void *arg;
    struct rtG *schedlink;      /* run queue / free list link; owned by the list */
    struct rtG *alllink;        /* allgs list; under allgsLock */
    uint64_t goid;              /* unique id, set at spawn */
    _Atomic uint64_t waitState; /* (seq << 2) | wait state; see rtWaiter */
    uint64_t waitSeq;           /* seq of the current wait; owned by the G */
    rtTimer waitTimer;          /* deadline of rtWaiterPark / rtSleep */
    size_t stackWant;           /* rtGoStack's size; 0 = the default (pooled) stack */
};

void gPrepareStack(struct rtP *p, struct rtG *g);  /* first run: take a stack */
void gExited(struct rtP *p, struct rtG *g);        /* on g0 after g's function returned */
void gfput(struct rtP *p, struct rtG *g);

/* casgstatus moves g from old to new or throws "bad g status". */
void casgstatus(struct rtG *g, uint32_t old, uint32_t new_);

/* ---- M ------------------------------------------------------------------- */

enum { opNone = 0, opPark, opYield, opPreempt, opExit };

typedef struct rtM {
    rtCtx g0;                   /* the scheduler context (the thread's own stack) */
    struct rtG *curg;           /* G running on this M, or NULL */
    struct rtP *p;              /* P held, or NULL */
    struct rtP *nextp;          /* P handed over by startm; under sched.lock until woken */
    struct rtM *schedlink;      /* idle M list; under sched.lock */
    int id;
    bool spinning;              /* looking for work; counted in sched.nmspinning */
    rtNote park;                /* sleeps here when idle */
    int op;                     /* why curg switched to g0 (op*) */
    rtCommitFn waitCommit;      /* opPark: commit function and its arg */
    void *waitArg;
    pthread_t thread;
    void *altstack;             /* sigaltstack memory */
    uint64_t rand;              /* per-M random state (stealing order) */
} rtM;

/* mcur is the running M. noinline: a G may migrate between Ms, and a cached
 * TLS address would name the old thread. */
rtM *mcur(void);
void msetcur(rtM *m);

/* ---- timers (timer.c) ---------------------------------------------------- */

typedef struct timerWhen { rtTimer *t; int64_t when; } timerWhen;

typedef struct rtTimers {
    rtMutex mu;                     /* guards heap, len, cap */
    timerWhen *heap;                /* 4-ary min-heap by the copied `when` */
    int len, cap;
    _Atomic int64_t minWhenHeap;    /* heap[0].when, 0 if empty; written under mu */
    _Atomic int64_t minWhenModified;/* earliest when of a timer moved earlier, 0 if none */
    struct rtP *p;                  /* owner */
} rtTimers;

void timersInit(rtTimers *ts, struct rtP *p);
/* timersWakeTime: when the heap next needs attention, 0 if never. Lock-free. */
int64_t timersWakeTime(rtTimers *ts);
/* timersCheck runs the expired timers of ts. Returns the now it used; stores
 * in *next the next wake time (0 if none). Must hold a P; never parks. */
int64_t timersCheck(rtTimers *ts, int64_t now, int64_t *next);

/* ---- P ------------------------------------------------------------------- */

enum { Pidle = 0, Prunning, Pgcstop };
#define RUNQ_SIZE 256

typedef struct rtP {
    int id;
    _Atomic int status;             /* P* state; changed by its owner or under sched.lock */
    rtM *m;                         /* owner M while running */
    struct rtP *link;               /* idle P list; under sched.lock */
    _Atomic uint64_t schedtick;     /* incremented on every execute; read by sysmon */
    _Atomic int preempt;            /* preemption requested (sysmon, STW) */
    /* local run queue: lock-free ring, the owner writes tail, anyone CASes head */
    _Atomic uint32_t runqhead;
    _Atomic uint32_t runqtail;
    _Atomic(struct rtG *) runq[RUNQ_SIZE];
    _Atomic(struct rtG *) runnext;  /* the G to run next, inherits the time slice */
    /* owned by the P's M */
    struct rtG *gFree;              /* dead Gs for reuse */
    int gFreeN;
    rtStack stackCache[16];         /* freed stacks for reuse */
    int stackCacheN;
    rtTimers timers;
    /* sysmon's view; only sysmon touches these */
    uint64_t sysmonTick;
    int64_t sysmonWhen;
    /* statistics; written by the owner, read racily (relaxed atomics) */
    _Atomic int inG;                /* a G is running on it (sysmon's preemption check) */
    _Atomic uint64_t nSwitches, nSteals, nSpawned, nTimersRun;
} __attribute__((aligned(RT_CACHELINE))) rtP;

/* ---- the scheduler (sched.c) --------------------------------------------- */

typedef struct rtSched {
    rtMutex lock;                   /* guards the lists below and Pgcstop/Pidle moves */
    rtM *midle;                     /* idle Ms */
    int nmidle;
    int mcount;                     /* Ms created */
    rtM *allm[RT_MAXPROCS * 2 + 4];
    rtP *pidle;                     /* idle Ps */
    _Atomic int npidle;
    _Atomic int nmspinning;         /* Ms spinning for work */
    gList runq;                     /* global run queue */
    _Atomic int runqsize;
    /* the netpoll token (see runtime-brief §3) */
    _Atomic int64_t lastpoll;       /* time of last poll; 0 = some M blocks in netpoll */
    _Atomic int64_t pollUntil;      /* when the blocked poll wakes */
    _Atomic int pollingNet;         /* a P is doing a non-blocking poll */
    /* stop the world */
    _Atomic int gcwaiting;
    int stopwait;                   /* Ps still to stop; under lock */
    rtNote stopnote;
    /* sysmon */
    pthread_t sysmonThread;
    _Atomic int shutdown;
    int nprocs;
    rtP *allp[RT_MAXPROCS];
    _Atomic uint64_t goidgen;
    _Atomic int liveGs;
    /* counters without a P */
    _Atomic uint64_t nNetpolls, nNetpollGs, nSysmonPolls, nPreempts, nAcceptBackoffs;
    _Atomic uint64_t nBreaks, nStale;
} rtSched;

extern rtSched sched;

/* Ps and queues */
void runqput(rtP *p, struct rtG *g, bool next);
struct rtG *runqget(rtP *p);
bool runqempty(rtP *p);
void globrunqput(struct rtG *g);    /* sched.lock held */
/* injectglist makes every G of l runnable and starts Ms for them. */
void injectglist(gList *l);
void wakep(void);
/* wakeNetPoller: a timer at `when` was added or moved earlier. */
void wakeNetPoller(int64_t when);
/* ready: queue g (already Grunnable-bound) on the current P or globally. */
void goready(struct rtG *g);

/* idle P and M lists (sched.lock held for pidleput/pidleget) */
void pidleput(rtP *p);
rtP *pidleget(void);
rtP *releasep(rtM *m);
void startm(rtP *p, bool spinning);
bool stopm(rtM *m);
int64_t checkTimersNoP(int64_t pollUntil);
rtG *pollOnce(void);

/* the scheduler loop; returns when the runtime shuts down */
void mstart(rtM *m);
rtM *mcommoninit(void);

/* stop-the-world hooks (world.c) */
void gcstopm(rtM *m);

/* sysmon (sysmon.c) */
void sysmonStart(void);

/* ---- netpoll (netpoll.c, netpoll_epoll.c) -------------------------------- */

/* pollDesc rg/wg values other than a G pointer */
#define pdNil   ((uintptr_t)0)
#define pdReady ((uintptr_t)1)
#define pdWait  ((uintptr_t)2)

/* atomic info bits */
#define pollClosing            (1u << 0)
#define pollEventErr           (1u << 1)
#define pollExpiredReadDeadline  (1u << 2)
#define pollExpiredWriteDeadline (1u << 3)
#define pollFDSeqShift 4
#define pollFDSeqBits 20
#define pollFDSeqMask ((1u << pollFDSeqBits) - 1)

/* poll error codes (consumers: fd.c maps them to RT_E*) */
enum { pollNoError = 0, pollErrClosing = 1, pollErrTimeout = 2, pollErrNotPollable = 3 };

typedef struct pollDesc {
    struct pollDesc *link;          /* free list; under pollcache.lock */
    int fd;                         /* constant while in use */
    uint32_t index;                 /* slot in the pollcache, constant forever */
    _Atomic uint32_t fdseq;         /* generation, bumped on every free (20 bits) */
    _Atomic uint32_t info;          /* closing, eventErr, deadlines expired, fdseq bits */
    _Atomic uintptr_t rg;           /* pdNil, pdReady, pdWait or the reading G */
    _Atomic uintptr_t wg;           /* same for the writer */
    _Atomic int wakeReq;            /* rtFdWakeReader was called */
    _Atomic int hup;                /* sticky: the poller saw RDHUP/HUP/ERR (EOF or error pending) */
    rtMutex lock;                   /* guards the fields below */
    bool closing;
    bool rrun, wrun;                /* read/write timer armed */
    uint64_t rseq, wseq;            /* timer generations: stale firings are ignored */
    int64_t rd, wd;                 /* deadlines: 0 none, >0 when, -1 expired */
    rtTimer rt, wt;                 /* deadline timers */
} pollDesc;

void netpollGenericInit(void);
pollDesc *pollOpen(int fd, int *err);
void pollClose(pollDesc *pd);
int pollReset(pollDesc *pd, int mode);
int pollWait(pollDesc *pd, int mode);
void pollSetDeadline(pollDesc *pd, int64_t d, int mode);
void pollUnblock(pollDesc *pd);
void pollWakeReader(pollDesc *pd);
int netpollcheckerr(pollDesc *pd, int mode);
/* netpollready readies pd's waiters for mode ('r', 'w', 'r'+'w'); returns delta */
int netpollready(gList *l, pollDesc *pd, int mode);
void setEventErr(pollDesc *pd, bool b, uint32_t seq);
pollDesc *pollDescByIndex(uint32_t index);
bool netpollAnyWaiters(void);
void netpollAdjustWaiters(int delta);

/* backend contract (netpoll_epoll.c):
 *   netpollInit()            create the poller and the break eventfd; once.
 *   netpollOpen(fd, pd)      arm edge-triggered IN|OUT|RDHUP for fd, tag = (pd index, fdseq);
 *                            returns 0 or -errno.
 *   netpollClose(fd)         disarm; returns 0 or -errno.
 *   netpoll(delay, list)     wait up to delay ns (<0 forever, 0 non-blocking); ready Gs go
 *                            to list; returns the waiter delta.
 *   netpollBreak()           interrupt a blocking netpoll; deduplicated. */
void netpollInit(void);
int netpollOpen(int fd, pollDesc *pd);
int netpollClose(int fd);
int netpoll(int64_t delay, gList *list);
void netpollBreak(void);

/* ---- misc ---------------------------------------------------------------- */

uint64_t rtFastrand(void);  /* per-M xorshift */
int64_t rtNanotimeRaw(void);

#endif /* ROOST_RUNTIME_H */
