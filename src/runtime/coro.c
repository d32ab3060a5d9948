/* coro.c — coroutines (Gs): spawn, park/ready, yield, exit, waiters.
 *
 * States and legal transitions are listed with the G* constants in
 * runtime.h; every transition goes through casgstatus, which throws on an
 * illegal one ("bad g status"). The rules that make parking race-free:
 *
 *  - A G never publishes itself to a waker while it still runs on its stack.
 *    rtPark records the commit function in the M and switches to g0; the M's
 *    scheduler (execute, in sched.c) then marks the G Gwaiting and runs the
 *    commit there. Only the commit may make the G visible (store it in a
 *    pollDesc, release a wait-queue lock). From that moment another M may
 *    ready and resume it; this M no longer touches it.
 *  - rtReady is the only way out of Gwaiting, and it must be called exactly
 *    once per park (casgstatus catches a second call).
 *
 * Waiters (rtWaiter) add a one-shot race between a waker and a deadline:
 * g->waitState = (seq << 2) | {armed, parked, woken, timedOut}. The G arms
 * it (armed); the commit publishes `parked` by CAS after arming the timer
 * and running the caller's unlock; a waker or the timer CASes armed/parked
 * to woken/timedOut, and only the one that moves it out of `parked` readies
 * the G. A stale waker or timer carries an old seq and its CAS fails. G
 * structs are never freed (they are recycled), so a late waker may always
 * read g->waitState.
 *
 * Free Gs: each P keeps a list (no lock); overflow goes to a global list
 * under gFreeLock. A dead G keeps no stack: stacks are taken when a G first
 * runs (execute) and given back when it exits.
 */
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rtMutex gFreeLock;
static rtG *gFreeGlobal;        /* under gFreeLock */
static _Atomic int gFreeGlobalN; /* written under gFreeLock; read racily as a hint */
static rtMutex allgsLock;
static rtG *allgs;              /* every G ever made; under allgsLock */

static const char *gStatusName(uint32_t s) {
    static const char *names[] = { "idle", "runnable", "running", "waiting", "dead" };
    return s < 5 ? names[s] : "?";
}

void casgstatus(rtG *g, uint32_t old, uint32_t new_) {
    uint32_t o = old;
    if (RT_LIKELY(atomic_compare_exchange_strong(&g->status, &o, new_)))
        return;
    char msg[128];
    snprintf(msg, sizeof msg, "runtime: bad g status: %s -> %s, but g is %s",
             gStatusName(old), gStatusName(new_), gStatusName(o));
    rtThrow(msg);
}

static void waiterTimeout(void *arg, uint64_t seq, int64_t delay);

static rtG *gNew(void) {
    rtG *g = calloc(1, sizeof *g);
    if (!g) rtThrow("runtime: out of memory allocating a G");
    atomic_store(&g->status, Gdead);
    rtTimerInit(&g->waitTimer, waiterTimeout, g);
    mutexLock(&allgsLock);
    g->alllink = allgs;
    allgs = g;
    mutexUnlock(&allgsLock);
    return g;
}

/* gfget takes a dead G from p's list, the global list, or makes one. */
static rtG *gfget(rtP *p) {
    if (p && !p->gFree && atomic_load_explicit(&gFreeGlobalN, memory_order_relaxed) > 0) {
        mutexLock(&gFreeLock);
        while (p->gFreeN < 32 && gFreeGlobal) {
            rtG *g = gFreeGlobal;
            gFreeGlobal = g->schedlink;
            gFreeGlobalN--;
            g->schedlink = p->gFree;
            p->gFree = g;
            p->gFreeN++;
        }
        mutexUnlock(&gFreeLock);
    }
    if (p && p->gFree) {
        rtG *g = p->gFree;
        p->gFree = g->schedlink;
        p->gFreeN--;
        return g;
    }
    if (!p) {
        mutexLock(&gFreeLock);
        rtG *g = gFreeGlobal;
        if (g) { gFreeGlobal = g->schedlink; gFreeGlobalN--; }
        mutexUnlock(&gFreeLock);
        if (g) return g;
    }
    return gNew();
}

/* gfput returns a dead G; half of a long local list moves to the global one. */
void gfput(rtP *p, rtG *g) {
    g->schedlink = p->gFree;
    p->gFree = g;
    if (++p->gFreeN < 64)
        return;
    mutexLock(&gFreeLock);
    while (p->gFreeN > 32) {
        rtG *x = p->gFree;
        p->gFree = x->schedlink;
        p->gFreeN--;
        x->schedlink = gFreeGlobal;
        gFreeGlobal = x;
        gFreeGlobalN++;
    }
    mutexUnlock(&gFreeLock);
}

rtG *rtGo(void (*fn)(void *), void *arg) { return rtGoStack(fn, arg, 0); }

rtG *rtGoStack(void (*fn)(void *), void *arg, size_t stackSize) {
    rtM *m = mcur();
    rtP *p = m ? m->p : NULL;
    rtG *g = gfget(p);
    g->stackWant = stackSize == stackSizeDefault() ? 0 : stackSize;
    g->fn = fn;
    g->arg = arg;
    g->goid = atomic_fetch_add(&sched.goidgen, 1) + 1;
    casgstatus(g, Gdead, Grunnable);
    atomic_fetch_add_explicit(&sched.liveGs, 1, memory_order_relaxed);
    if (p) {
        atomic_fetch_add_explicit(&p->nSpawned, 1, memory_order_relaxed);
        runqput(p, g, true);
    } else {
        mutexLock(&sched.lock);
        globrunqput(g);
        mutexUnlock(&sched.lock);
    }
    wakep();
    return g;
}

/* gMain is the first frame of every G, entered through rtCtxTrampoline.
 * Not instrumented by TSan: it never returns (see ctxExit). */
RT_NO_TSAN static void gMain(void *arg) {
    ctxStarted();
    rtG *g = arg;
    g->fn(g->arg);
    rtM *m = mcur();
    m->op = opExit;
    ctxExit(&g->ctx, &m->g0);
}

/* gPrepareStack gives a G about to run for the first time its stack. */
void gPrepareStack(rtP *p, rtG *g) {
    g->stack = g->stackWant ? stackAllocSized(g->stackWant) : stackAlloc(p);
    g->ctx.asanFake = NULL;
    g->ctx.tsanFiber = g->stack.fiber;
    g->ctx.stackLo = g->stack.lo;
    g->ctx.stackSize = g->stack.size;
    g->ctx.sp = rtCtxMake((char *)g->stack.lo + g->stack.size, gMain, g);
}

/* gExited runs on g0 after g's function returned. */
void gExited(rtP *p, rtG *g) {
    casgstatus(g, Grunning, Gdead);
    g->ctx.tsanFiber = NULL;
    if (g->stackWant) stackFreeSized(g->stack);
    else stackFree(p, g->stack);
    g->stack.lo = NULL;
    g->stackWant = 0;
    g->fn = NULL;
    g->arg = NULL;
    atomic_fetch_sub_explicit(&sched.liveGs, 1, memory_order_relaxed);
    gfput(p, g);
}

/* switchOut leaves the current G for g0 with the reason op. */
static void switchOut(int op) {
    rtM *m = mcur();
    rtG *g = m->curg;
    rtAssert(g != NULL, "runtime: park or yield outside a G");
    m->op = op;
    ctxSwitch(&g->ctx, &m->g0, false);
}

void rtPark(rtCommitFn commit, void *arg) {
    rtM *m = mcur();
    m->waitCommit = commit;
    m->waitArg = arg;
    switchOut(opPark);
}

void rtYield(void) { switchOut(opYield); }

bool rtPreemptRequested(void) {
    rtM *m = mcur();
    if (!m || !m->p) return false;
    return atomic_load_explicit(&m->p->preempt, memory_order_relaxed) != 0 ||
           atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed) != 0;
}

void rtMaybeYield(void) {
    if (rtPreemptRequested())
        switchOut(opPreempt);
}

void rtReady(rtG *g) {
    casgstatus(g, Gwaiting, Grunnable);
    goready(g);
}

rtG *rtSelf(void) {
    rtM *m = mcur();
    return m ? m->curg : NULL;
}

uint64_t rtGoid(const rtG *g) { return g ? g->goid : 0; }

int rtProcId(void) {
    rtM *m = mcur();
    return m && m->p ? m->p->id : -1;
}

/* ---- waiters ------------------------------------------------------------- */

#define WSTATE(seq, st) (((seq) << 2) | (uint64_t)(st))

void rtWaiterInit(rtWaiter *w) {
    rtG *g = mcur()->curg;
    rtAssert(g != NULL, "runtime: rtWaiterInit outside a G");
    g->waitSeq++;
    atomic_store(&g->waitState, WSTATE(g->waitSeq, waitArmed));
    w->g = g;
    w->seq = g->waitSeq;
}

/* waiterEnd moves a wait with seq out of armed/parked into `to`; readies the
 * G if it was parked. True if this call ended the wait. */
static bool waiterEnd(rtG *g, uint64_t seq, int to) {
    uint64_t s = atomic_load(&g->waitState);
    for (;;) {
        if ((s >> 2) != seq) return false;
        int st = (int)(s & 3);
        if (st != waitArmed && st != waitParked) return false;
        if (atomic_compare_exchange_weak(&g->waitState, &s, WSTATE(seq, to))) {
            if (st == waitParked) rtReady(g);
            return true;
        }
    }
}

static void waiterTimeout(void *arg, uint64_t seq, int64_t delay) {
    (void)delay;
    waiterEnd(arg, seq, waitTimedOut);
}

bool rtWaiterWake(const rtWaiter *w) { return waiterEnd(w->g, w->seq, waitWoken); }

typedef struct waiterPark {
    uint64_t seq;
    int64_t deadline;
    void (*unlock)(void *);
    void *arg;
} waiterPark;

/* waiterCommit runs on g0: arm the deadline, release the caller's lock, then
 * publish `parked`. Until that CAS nobody readies the G, so reading *a (on
 * the G's stack) is safe. */
static bool waiterCommit(rtG *g, void *a) {
    waiterPark wp = *(waiterPark *)a;
    if (wp.deadline)
        rtTimerReset(&g->waitTimer, wp.deadline, wp.seq);
    if (wp.unlock)
        wp.unlock(wp.arg);
    uint64_t exp = WSTATE(wp.seq, waitArmed);
    return atomic_compare_exchange_strong(&g->waitState, &exp, WSTATE(wp.seq, waitParked));
}

int rtWaiterPark(rtWaiter *w, int64_t deadline, void (*unlock)(void *), void *arg) {
    rtG *g = w->g;
    rtAssert(g == mcur()->curg, "runtime: rtWaiterPark by a G that does not own the waiter");
    waiterPark wp = { w->seq, deadline, unlock, arg };
    rtPark(waiterCommit, &wp);
    if (deadline)
        rtTimerStop(&g->waitTimer);
    uint64_t s = atomic_load(&g->waitState);
    rtAssert((s >> 2) == w->seq && ((s & 3) == waitWoken || (s & 3) == waitTimedOut),
             "runtime: waiter resumed while still waiting");
    return (s & 3) == waitWoken ? 0 : RT_ETIMEOUT;
}

void rtSleepUntil(int64_t when) {
    if (when <= rtNanotime()) {
        rtYield();
        return;
    }
    rtWaiter w;
    rtWaiterInit(&w);
    rtWaiterPark(&w, when, NULL, NULL);
}

void rtSleep(int64_t ns) {
    if (ns <= 0) {
        rtYield();
        return;
    }
    rtSleepUntil(rtNanotime() + ns);
}
