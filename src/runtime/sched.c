/* sched.c — the M:N scheduler: Ps, run queues, Ms, findRunnable, rtMain.
 *
 * Model (Go's proc.go): nprocs Ps; an M must hold a P to run Gs. Each P has a
 * lock-free local run queue (a 256-slot ring: the owner writes tail, anyone
 * CASes head) plus `runnext`, the G to run next (a readied G goes there, so a
 * ping-pong pair inherits one time slice). There is one global queue under
 * sched.lock. Idle Ms sleep on their note; idle Ps sit on sched.pidle.
 *
 * findRunnable looks for work in Go's order:
 *   1. stop-the-world pending: stop here (gcstopm);
 *   2. this P's expired timers;
 *   3. every 61st tick, one G from the global queue (fairness);
 *   4. the local queue, then a batch from the global queue;
 *   5. a non-blocking netpoll, when no M blocks in netpoll and another P
 *      could take a share (with one P the blocking poll below comes next
 *      anyway, so the extra epoll_wait would be a wasted syscall);
 *   6. spinning: steal half of another P's queue (4 randomised passes, the
 *      last one also runs other Ps' timers and may take their runnext);
 *   7. give the P back; if this M was spinning, re-check every queue after
 *      decrementing nmspinning (the StoreLoad pair with wakep's submitters);
 *   8. the blocking netpoll, by the one M that wins the lastpoll token, with
 *      delay = time to the earliest timer of any P; an M that loses the
 *      token but holds an earlier timer breaks the blocked poll;
 *   9. sleep on the M's note until startm hands it a P.
 * Busy Ps also poll with delay 0 every 64 scheduling rounds, so readiness is
 * not starved while every P always has work (golang/go #51651).
 *
 * Spinning (Go's rule): an M looking for work with a P is "spinning"; there
 * are at most as many spinning Ms as half the busy Ps. Whoever makes work
 * (runqput, injectglist) calls wakep, which starts a spinning M only if none
 * spins and a P is idle. A spinning M that finds work stops spinning and
 * calls wakep, so the next piece of work also finds a taker.
 *
 * Thread-migration rule: code that may run on a G reads the current M only
 * through mcur() (noinline), never across a switch. Code on g0 (this file's
 * schedule loop) never migrates and may keep `m` in a local.
 */
#include "runtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


rtSched sched;
static _Thread_local rtM *tlsM;

RT_NOINLINE rtM *mcur(void) { return tlsM; }
RT_NOINLINE void msetcur(rtM *m) { tlsM = m; }

int rtNumProcs(void) { return sched.nprocs; }

/* ---- local run queue ------------------------------------------------------ */

bool runqempty(rtP *p) {
    for (;;) {
        uint32_t h = atomic_load(&p->runqhead);
        uint32_t t = atomic_load(&p->runqtail);
        rtG *next = atomic_load(&p->runnext);
        if (atomic_load(&p->runqtail) == t)
            return h == t && next == NULL;
    }
}

/* runqputslow moves half of p's full queue plus g to the global queue.
 * False if a thief moved head meanwhile (the caller retries). */
static bool runqputslow(rtP *p, rtG *g, uint32_t h, uint32_t t) {
    rtG *batch[RUNQ_SIZE / 2 + 1];
    uint32_t n = (t - h) / 2;
    for (uint32_t i = 0; i < n; i++)
        batch[i] = atomic_load_explicit(&p->runq[(h + i) % RUNQ_SIZE], memory_order_relaxed);
    if (!atomic_compare_exchange_strong_explicit(&p->runqhead, &h, h + n,
            memory_order_acq_rel, memory_order_relaxed))
        return false;
    batch[n] = g;
    mutexLock(&sched.lock);
    for (uint32_t i = 0; i <= n; i++)
        globrunqput(batch[i]);
    mutexUnlock(&sched.lock);
    return true;
}

/* runqput queues g on p (owner only). next: put g in runnext, kicking the
 * old runnext to the tail. */
void runqput(rtP *p, rtG *g, bool next) {
    if (next) {
        g = atomic_exchange(&p->runnext, g);
        if (!g) return;
    }
    for (;;) {
        uint32_t h = atomic_load_explicit(&p->runqhead, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&p->runqtail, memory_order_relaxed);
        if (t - h < RUNQ_SIZE) {
            atomic_store_explicit(&p->runq[t % RUNQ_SIZE], g, memory_order_relaxed);
            atomic_store_explicit(&p->runqtail, t + 1, memory_order_release);
            return;
        }
        if (runqputslow(p, g, h, t))
            return;
    }
}

/* runqget takes the next G of p (owner only); *inherit says it came from
 * runnext and inherits the time slice. */
static rtG *runqgetInherit(rtP *p, bool *inherit) {
    rtG *next = atomic_load(&p->runnext);
    if (next && atomic_compare_exchange_strong(&p->runnext, &next, NULL)) {
        *inherit = true;
        return next;
    }
    *inherit = false;
    for (;;) {
        uint32_t h = atomic_load_explicit(&p->runqhead, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&p->runqtail, memory_order_relaxed);
        if (t == h) return NULL;
        rtG *g = atomic_load_explicit(&p->runq[h % RUNQ_SIZE], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&p->runqhead, &h, h + 1,
                memory_order_release, memory_order_relaxed))
            return g;
    }
}

rtG *runqget(rtP *p) {
    bool inherit;
    return runqgetInherit(p, &inherit);
}

/* runqgrab copies up to half of victim's queue into p's ring starting at
 * slot `at`; may take victim's runnext when its queue is empty. Returns the
 * count. Any thread. */
static uint32_t runqgrab(rtP *victim, rtP *p, uint32_t at, bool stealRunNext) {
    for (;;) {
        uint32_t h = atomic_load_explicit(&victim->runqhead, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&victim->runqtail, memory_order_acquire);
        uint32_t n = t - h;
        n = n - n / 2;
        if (n == 0) {
            if (!stealRunNext) return 0;
            rtG *next = atomic_load(&victim->runnext);
            if (!next) return 0;
            if (atomic_load(&victim->status) == Prunning)
                usleep(3);   /* let a running victim schedule its runnext itself */
            if (!atomic_compare_exchange_strong(&victim->runnext, &next, NULL))
                continue;
            atomic_store_explicit(&p->runq[at % RUNQ_SIZE], next, memory_order_relaxed);
            return 1;
        }
        if (n > RUNQ_SIZE / 2) continue;   /* read an inconsistent h, t */
        for (uint32_t i = 0; i < n; i++) {
            rtG *g = atomic_load_explicit(&victim->runq[(h + i) % RUNQ_SIZE], memory_order_relaxed);
            atomic_store_explicit(&p->runq[(at + i) % RUNQ_SIZE], g, memory_order_relaxed);
        }
        if (atomic_compare_exchange_strong_explicit(&victim->runqhead, &h, h + n,
                memory_order_acq_rel, memory_order_relaxed))
            return n;
    }
}

/* runqsteal steals into p (owner) from victim; returns one G to run. */
static rtG *runqsteal(rtP *p, rtP *victim, bool stealRunNext) {
    uint32_t t = atomic_load_explicit(&p->runqtail, memory_order_relaxed);
    uint32_t n = runqgrab(victim, p, t, stealRunNext);
    if (n == 0) return NULL;
    n--;
    rtG *g = atomic_load_explicit(&p->runq[(t + n) % RUNQ_SIZE], memory_order_relaxed);
    if (n > 0)
        atomic_store_explicit(&p->runqtail, t + n, memory_order_release);
    atomic_fetch_add_explicit(&p->nSteals, 1, memory_order_relaxed);
    return g;
}

/* ---- global run queue (sched.lock held) ----------------------------------- */

void globrunqput(rtG *g) {
    gListPush(&sched.runq, g);
    atomic_fetch_add(&sched.runqsize, 1);
}

/* globrunqget takes a batch for p: returns one G, queues the rest locally. */
static rtG *globrunqget(rtP *p, int max) {
    int sz = atomic_load(&sched.runqsize);
    if (sz == 0) return NULL;
    int n = sz / sched.nprocs + 1;
    if (n > sz) n = sz;
    if (max > 0 && n > max) n = max;
    if (n > RUNQ_SIZE / 2) n = RUNQ_SIZE / 2;
    atomic_fetch_sub(&sched.runqsize, n);
    rtG *g = gListPop(&sched.runq);
    for (int i = 1; i < n; i++)
        runqput(p, gListPop(&sched.runq), false);
    return g;
}

/* ---- idle Ps and Ms (sched.lock held) ------------------------------------- */

void pidleput(rtP *p) {
    rtAssert(runqempty(p), "runtime: pidleput with a non-empty run queue");
    atomic_store(&p->status, Pidle);
    p->link = sched.pidle;
    sched.pidle = p;
    atomic_fetch_add(&sched.npidle, 1);
}

rtP *pidleget(void) {
    rtP *p = sched.pidle;
    if (!p) return NULL;
    sched.pidle = p->link;
    atomic_fetch_sub(&sched.npidle, 1);
    return p;
}

static void acquirep(rtM *m, rtP *p) {
    rtAssert(m->p == NULL && p->m == NULL, "runtime: acquirep of a held P");
    m->p = p;
    p->m = m;
    atomic_store(&p->status, Prunning);
}

rtP *releasep(rtM *m) {
    rtP *p = m->p;
    rtAssert(p && p->m == m, "runtime: releasep of a P not held");
    m->p = NULL;
    p->m = NULL;
    return p;
}

static void *mthread(void *arg);

static rtM *mnew(void) {
    rtM *m = calloc(1, sizeof *m);
    if (!m) rtThrow("runtime: out of memory allocating an M");
    m->rand = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)m;
    m->id = sched.mcount;
    rtAssert(sched.mcount < (int)(sizeof sched.allm / sizeof sched.allm[0]),
             "runtime: too many Ms");
    sched.allm[sched.mcount++] = m;
    return m;
}

rtM *mcommoninit(void) { return mnew(); }

/* startm runs p (an idle P if NULL) on an idle or new M. With no P to give,
 * undoes the caller's nmspinning increment. */
void startm(rtP *p, bool spinning) {
    mutexLock(&sched.lock);
    if (!p) p = pidleget();
    if (!p || atomic_load(&sched.shutdown)) {
        if (p) pidleput(p);
        mutexUnlock(&sched.lock);
        if (spinning) atomic_fetch_sub(&sched.nmspinning, 1);
        return;
    }
    rtM *nm = sched.midle;
    if (nm) {
        sched.midle = nm->schedlink;
        sched.nmidle--;
        nm->spinning = spinning;
        nm->nextp = p;
        mutexUnlock(&sched.lock);
        noteWakeup(&nm->park);
        return;
    }
    nm = mnew();
    nm->spinning = spinning;
    nm->nextp = p;
    if (pthread_create(&nm->thread, NULL, mthread, nm) != 0)
        rtThrow("runtime: cannot create an M thread");
    mutexUnlock(&sched.lock);
}

/* stopm parks m until startm hands it a P. False on shutdown. */
bool stopm(rtM *m) {
    rtAssert(m->p == NULL, "runtime: stopm holding a P");
    mutexLock(&sched.lock);
    if (atomic_load(&sched.shutdown)) {
        mutexUnlock(&sched.lock);
        return false;
    }
    m->schedlink = sched.midle;
    sched.midle = m;
    sched.nmidle++;
    mutexUnlock(&sched.lock);
    noteSleep(&m->park);
    noteClear(&m->park);
    rtP *p = m->nextp;
    m->nextp = NULL;
    if (!p) return false;   /* woken by shutdown */
    acquirep(m, p);
    return true;
}

void wakep(void) {
    if (atomic_load(&sched.npidle) == 0) return;
    int zero = 0;
    if (atomic_load(&sched.nmspinning) != 0 ||
        !atomic_compare_exchange_strong(&sched.nmspinning, &zero, 1))
        return;
    startm(NULL, true);
}

static void resetspinning(rtM *m) {
    m->spinning = false;
    atomic_fetch_sub(&sched.nmspinning, 1);
    wakep();
}

void goready(rtG *g) {
    rtM *m = mcur();
    if (m && m->p) {
        runqput(m->p, g, true);
    } else {
        mutexLock(&sched.lock);
        globrunqput(g);
        mutexUnlock(&sched.lock);
    }
    wakep();
}

/* injectglist makes the Gwaiting Gs of l runnable: with no P all go to the
 * global queue and idle Ps get Ms; with a P, one G per idle P goes global
 * (with an M started for it) and the rest stay local. */
void injectglist(gList *l) {
    if (l->n == 0) return;
    for (rtG *g = l->head; g; g = g->schedlink)
        casgstatus(g, Gwaiting, Grunnable);
    rtM *m = mcur();
    rtP *p = m ? m->p : NULL;
    if (!p) {
        int n = l->n;
        mutexLock(&sched.lock);
        while (l->n) globrunqput(gListPop(l));
        mutexUnlock(&sched.lock);
        for (; n > 0 && atomic_load(&sched.npidle) > 0; n--)
            startm(NULL, false);
        return;
    }
    int npidle = atomic_load(&sched.npidle);
    int moved = 0;
    if (npidle > 0) {
        mutexLock(&sched.lock);
        for (; moved < npidle && l->n; moved++) globrunqput(gListPop(l));
        mutexUnlock(&sched.lock);
        for (int i = 0; i < moved; i++) startm(NULL, false);
    }
    while (l->n) runqput(p, gListPop(l), false);
    wakep();
}

/* wakeNetPoller: a timer at `when` now exists; make sure someone wakes then. */
void wakeNetPoller(int64_t when) {
    if (atomic_load(&sched.lastpoll) == 0) {
        int64_t pu = atomic_load(&sched.pollUntil);
        if (pu == 0 || pu > when)
            netpollBreak();
    } else {
        wakep();
    }
}

/* ---- findRunnable --------------------------------------------------------- */

int64_t checkTimersNoP(int64_t pollUntil) {
    for (int i = 0; i < sched.nprocs; i++) {
        int64_t w = timersWakeTime(&sched.allp[i]->timers);
        if (w != 0 && (pollUntil == 0 || w < pollUntil)) pollUntil = w;
    }
    return pollUntil;
}

/* pollOnce does a non-blocking netpoll if nobody else is polling; returns a G
 * to run (the rest are injected) or NULL. Needs a P. */
rtG *pollOnce(void) {
    if (!netpollAnyWaiters() || atomic_load(&sched.lastpoll) == 0 ||
        atomic_exchange(&sched.pollingNet, 1) != 0)
        return NULL;
    gList l = {0};
    int delta = netpoll(0, &l);
    atomic_store(&sched.pollingNet, 0);
    if (l.n == 0) return NULL;
    rtG *g = gListPop(&l);
    injectglist(&l);
    netpollAdjustWaiters(delta);
    casgstatus(g, Gwaiting, Grunnable);
    return g;
}

/* stealWork: 4 passes over the other Ps in random order. Returns a G, or
 * NULL with *newWork set if running timers may have made work. */
static rtG *stealWork(rtM *m, int64_t now, int64_t *pollUntil, bool *newWork) {
    rtP *p = m->p;
    int n = sched.nprocs;
    *newWork = false;
    for (int pass = 0; pass < 4; pass++) {
        bool last = pass == 3;
        int start = (int)(rtFastrand() % (uint64_t)n);
        for (int k = 0; k < n; k++) {
            rtP *p2 = sched.allp[(start + k) % n];
            if (p2 == p) continue;
            if (atomic_load(&sched.gcwaiting)) { *newWork = true; return NULL; }
            if (last && timersWakeTime(&p2->timers) != 0) {
                int64_t w = 0;
                timersCheck(&p2->timers, now, &w);
                if (w != 0 && (*pollUntil == 0 || w < *pollUntil)) *pollUntil = w;
                rtG *g = runqget(p);
                if (g) return g;
            }
            if (atomic_load(&p2->status) != Pidle) {
                rtG *g = runqsteal(p, p2, last);
                if (g) return g;
            }
        }
    }
    return NULL;
}

/* stopSpinningAndRecheck: after a spinning M gave its P back, look once more
 * at every queue (a submitter may have seen nmspinning != 0 and not woken
 * anyone). Returns true if it took a P back to go and get that work. */
static bool stopSpinningAndRecheck(rtM *m) {
    m->spinning = false;
    atomic_fetch_sub(&sched.nmspinning, 1);
    for (int i = 0; i <= sched.nprocs; i++) {
        bool work = i == sched.nprocs ? atomic_load(&sched.runqsize) > 0
                                      : atomic_load(&sched.allp[i]->status) == Pidle &&
                                        !runqempty(sched.allp[i]);
        if (work) {
            mutexLock(&sched.lock);
            rtP *pp = pidleget();
            mutexUnlock(&sched.lock);
            if (!pp) return false;
            acquirep(m, pp);
            m->spinning = true;
            atomic_fetch_add(&sched.nmspinning, 1);
            return true;
        }
    }
    return false;
}

/* blockingPoll: with no P, wait in netpoll until I/O or pollUntil. Returns a
 * G to run (the M holds a P again), or NULL (the M may hold a P: *gotP). */
static rtG *blockingPoll(rtM *m, int64_t pollUntil, bool wasSpinning, bool *gotP) {
    *gotP = false;
    int64_t now = rtNanotime();
    atomic_store(&sched.pollUntil, pollUntil);
    int64_t delay = -1;
    if (pollUntil != 0) {
        delay = pollUntil - now;
        if (delay < 0) delay = 0;
    }
    gList l = {0};
    int delta = netpoll(delay, &l);
    now = rtNanotime();
    atomic_store(&sched.pollUntil, 0);
    atomic_store(&sched.lastpoll, now);
    mutexLock(&sched.lock);
    rtP *p = atomic_load(&sched.gcwaiting) ? NULL : pidleget();
    mutexUnlock(&sched.lock);
    if (!p) {
        injectglist(&l);
        netpollAdjustWaiters(delta);
        return NULL;
    }
    acquirep(m, p);
    *gotP = true;
    if (wasSpinning) {
        m->spinning = true;
        atomic_fetch_add(&sched.nmspinning, 1);
    }
    if (l.n == 0) return NULL;
    rtG *g = gListPop(&l);
    injectglist(&l);
    netpollAdjustWaiters(delta);
    casgstatus(g, Gwaiting, Grunnable);
    return g;
}

/* pollTick: every 64 rounds a busy P polls the network without blocking. */
static rtG *pollTick(void) {
    static _Thread_local unsigned tick;
    if ((++tick & 63) != 0) return NULL;
    return pollOnce();
}

/* findRunnable blocks until there is a G to run and returns it, with the M
 * holding a P; NULL on shutdown. *inherit: the G inherits the time slice. */
static rtG *findRunnable(rtM *m, bool *inherit) {
    rtG *g;
top:
    *inherit = false;
    if (atomic_load(&sched.shutdown)) return NULL;
    rtP *p = m->p;
    if (atomic_load(&sched.gcwaiting)) {
        gcstopm(m);
        goto top;
    }
    int64_t pollUntil = 0;
    int64_t now = timersCheck(&p->timers, 0, &pollUntil);
    if ((g = pollTick())) return g;

    if ((atomic_load_explicit(&p->schedtick, memory_order_relaxed) % 61) == 0 &&
        atomic_load(&sched.runqsize) > 0) {
        mutexLock(&sched.lock);
        g = globrunqget(p, 1);
        mutexUnlock(&sched.lock);
        if (g) return g;
    }
    if ((g = runqgetInherit(p, inherit))) return g;
    if (atomic_load(&sched.runqsize) > 0) {
        mutexLock(&sched.lock);
        g = globrunqget(p, 0);
        mutexUnlock(&sched.lock);
        if (g) return g;
    }
    if (sched.nprocs > 1 && (g = pollOnce())) return g;

    if (m->spinning || 2 * atomic_load(&sched.nmspinning) <
                           sched.nprocs - atomic_load(&sched.npidle)) {
        if (!m->spinning) {
            m->spinning = true;
            atomic_fetch_add(&sched.nmspinning, 1);
        }
        bool newWork;
        g = stealWork(m, now, &pollUntil, &newWork);
        if (g) return g;
        if (newWork) goto top;
    }

    /* give the P back */
    mutexLock(&sched.lock);
    if (atomic_load(&sched.gcwaiting) || atomic_load(&sched.shutdown)) {
        mutexUnlock(&sched.lock);
        goto top;
    }
    if (atomic_load(&sched.runqsize) > 0) {
        g = globrunqget(p, 0);
        mutexUnlock(&sched.lock);
        return g;
    }
    releasep(m);
    pidleput(p);
    mutexUnlock(&sched.lock);

    bool wasSpinning = m->spinning;
    if (m->spinning && stopSpinningAndRecheck(m))
        goto top;
    pollUntil = checkTimersNoP(pollUntil);

    if ((netpollAnyWaiters() || pollUntil != 0) && atomic_exchange(&sched.lastpoll, 0) != 0) {
        bool gotP;
        g = blockingPoll(m, pollUntil, wasSpinning, &gotP);
        if (g) return g;
        if (gotP) goto top;
    } else if (pollUntil != 0) {
        int64_t pu = atomic_load(&sched.pollUntil);
        if (pu == 0 || pu > pollUntil)
            netpollBreak();
    }
    if (!stopm(m)) return NULL;
    goto top;
}

/* ---- running Gs ------------------------------------------------------------ */

/* execute runs g on m until it switches back, then settles why it did.
 * Returns a G to run at once (a park whose commit declined), else NULL. */
static rtG *execute(rtM *m, rtG *g, bool inherit) {
    rtP *p = m->p;
    casgstatus(g, Grunnable, Grunning);
    m->curg = g;
    if (!inherit)
        atomic_store_explicit(&p->schedtick, atomic_load_explicit(&p->schedtick,
                              memory_order_relaxed) + 1, memory_order_relaxed);
    if (!atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed))
        atomic_store_explicit(&p->preempt, 0, memory_order_relaxed);
    if (!g->stack.lo)
        gPrepareStack(p, g);
    atomic_fetch_add_explicit(&p->nSwitches, 1, memory_order_relaxed);
    m->op = opNone;
    atomic_store_explicit(&p->inG, 1, memory_order_relaxed);
    ctxSwitch(&m->g0, &g->ctx, false);
    atomic_store_explicit(&p->inG, 0, memory_order_relaxed);

    /* g is off its stack now; settle it (m->p is unchanged: only g0 moves Ps) */
    m->curg = NULL;
    switch (m->op) {
    case opPark:
        casgstatus(g, Grunning, Gwaiting);
        if (m->waitCommit && !m->waitCommit(g, m->waitArg)) {
            casgstatus(g, Gwaiting, Grunnable);
            return g;
        }
        break;
    case opYield:
        casgstatus(g, Grunning, Grunnable);
        runqput(p, g, false);
        break;
    case opPreempt:
        casgstatus(g, Grunning, Grunnable);
        mutexLock(&sched.lock);
        globrunqput(g);
        mutexUnlock(&sched.lock);
        break;
    case opExit:
        gExited(p, g);
        break;
    default:
        rtThrow("runtime: G switched to the scheduler without a reason");
    }
    return NULL;
}

void mstart(rtM *m) {
    for (;;) {
        bool inherit = false;
        rtG *g = findRunnable(m, &inherit);
        if (!g) break;
        if (m->spinning) resetspinning(m);
        while (g) {
            g = execute(m, g, inherit);
            inherit = true;
        }
    }
    /* shutdown: give the P back so rtMain sees every P idle */
    if (m->p) {
        rtP *p = releasep(m);
        mutexLock(&sched.lock);
        atomic_store(&p->status, Pidle);
        mutexUnlock(&sched.lock);
    }
}

static void *mthread(void *arg) {
    rtM *m = arg;
    msetcur(m);
    ctxInitThread(&m->g0);
    stackAltInstall(m);
    rtP *p = m->nextp;
    m->nextp = NULL;
    acquirep(m, p);
    mstart(m);
    return NULL;
}

/* ---- start and shutdown ------------------------------------------------------ */

static int defaultProcs(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > 8) n = 8;
    return (int)n;
}

static void procsInit(int n) {
    sched.nprocs = n;
    for (int i = 0; i < n; i++) {
        rtP *p = aligned_alloc(RT_CACHELINE, sizeof(rtP));
        if (!p) rtThrow("runtime: out of memory allocating Ps");
        memset(p, 0, sizeof *p);
        p->id = i;
        timersInit(&p->timers, p);
        sched.allp[i] = p;
    }
    mutexLock(&sched.lock);
    for (int i = n - 1; i >= 1; i--) pidleput(sched.allp[i]);
    mutexUnlock(&sched.lock);
}

int rtMain(const rtConfig *cfg, void (*fn)(void *), void *arg) {
    int n = cfg && cfg->nprocs > 0 ? cfg->nprocs : defaultProcs();
    if (n > RT_MAXPROCS) n = RT_MAXPROCS;
    signal(SIGPIPE, SIG_IGN);   /* a write to a closed socket is an error, not a death */
    stackInit(cfg ? cfg->stackSize : 0);
    stackInstallSignals();
    netpollGenericInit();
    netpollInit();
    atomic_store(&sched.lastpoll, rtNanotime());
    procsInit(n);

    mutexLock(&sched.lock);
    rtM *m0 = mnew();
    mutexUnlock(&sched.lock);
    m0->thread = pthread_self();
    msetcur(m0);
    ctxInitThread(&m0->g0);
    stackAltInstall(m0);
    acquirep(m0, sched.allp[0]);
    rtGo(fn, arg);
    sysmonStart();
    mstart(m0);

    /* wait for the other Ms and sysmon to leave */
    for (;;) {
        mutexLock(&sched.lock);
        int count = sched.mcount;
        mutexUnlock(&sched.lock);
        for (int i = 1; i < count; i++) {
            rtM *m = sched.allm[i];
            if (m->thread) { pthread_join(m->thread, NULL); m->thread = 0; }
        }
        mutexLock(&sched.lock);
        bool done = sched.mcount == count;
        mutexUnlock(&sched.lock);
        if (done) break;
    }
    pthread_join(sched.sysmonThread, NULL);   /* it notices shutdown within a tick */
    msetcur(NULL);
    return 0;
}

void rtShutdown(void) {
    if (atomic_exchange(&sched.shutdown, 1)) return;
    mutexLock(&sched.lock);
    while (sched.midle) {
        rtM *m = sched.midle;
        sched.midle = m->schedlink;
        sched.nmidle--;
        m->nextp = NULL;
        noteWakeup(&m->park);
    }
    mutexUnlock(&sched.lock);
    netpollBreak();
    if (atomic_load(&sched.gcwaiting)) noteWakeup(&sched.stopnote);
}

void rtGetStats(rtStats *st) {
    memset(st, 0, sizeof *st);
    for (int i = 0; i < sched.nprocs; i++) {
        rtP *p = sched.allp[i];
        st->switches += atomic_load_explicit(&p->nSwitches, memory_order_relaxed);
        st->steals += atomic_load_explicit(&p->nSteals, memory_order_relaxed);
            st->timersRun += atomic_load_explicit(&p->nTimersRun, memory_order_relaxed);
    }
    st->spawned = atomic_load(&sched.goidgen);
    st->netpolls = atomic_load(&sched.nNetpolls);
    st->netpollGs = atomic_load(&sched.nNetpollGs);
    st->sysmonPolls = atomic_load(&sched.nSysmonPolls);
    st->preemptRequests = atomic_load(&sched.nPreempts);
    st->acceptBackoffs = atomic_load(&sched.nAcceptBackoffs);
    st->netpollBreaks = atomic_load(&sched.nBreaks);
    st->staleEvents = atomic_load(&sched.nStale);
    st->liveGs = atomic_load(&sched.liveGs);
    st->idleProcs = atomic_load(&sched.npidle);
}
