/* world.c — stop and start the world.
 *
 * rtStopTheWorld (from a G) sets sched.gcwaiting, takes every idle P, and
 * asks every running P to preempt; each M that reaches its scheduler sees
 * gcwaiting at the top of findRunnable and stops there (gcstopm): its P goes
 * Pgcstop and the last one to stop wakes the caller. A P is therefore
 * stopped only between Gs — a safe point where no command is in progress and
 * no storage lock is held (nothing parks with one). The caller's own P stays
 * with the caller's G, marked Pgcstop; the caller must not park until
 * rtStartTheWorld.
 *
 * A G that never reaches a yield point delays the stop; the caller re-raises
 * the preemption requests every 100 µs while it waits.
 *
 * Callers are serialised by worldsema (Go's): a second caller yields until
 * the first has restarted the world — and while a stop is pending its yield
 * simply parks it on a stopped P, which is what the stopper waits for.
 *
 * rtStartTheWorld polls the network (netpoll(0)) and queues what it finds
 * before restarting the Ps: work that arrived during the stop is not left
 * for sysmon. Stopped Ps with queued Gs get Ms; the rest go idle.
 */
#include "runtime.h"

/* gcstopm: the M's P stops for a pending stop-the-world; the M sleeps until
 * rtStartTheWorld hands it a P. Called from findRunnable on g0. */
void gcstopm(rtM *m) {
    if (m->spinning) {
        m->spinning = false;
        atomic_fetch_sub(&sched.nmspinning, 1);
    }
    rtP *p = releasep(m);
    mutexLock(&sched.lock);
    atomic_store(&p->status, Pgcstop);
    if (--sched.stopwait == 0)
        noteWakeup(&sched.stopnote);
    mutexUnlock(&sched.lock);
    stopm(m);
}

static void preemptAll(rtP *me) {
    for (int i = 0; i < sched.nprocs; i++)
        if (sched.allp[i] != me) atomic_store(&sched.allp[i]->preempt, 1);
}

static _Atomic int worldsema;

void rtStopTheWorld(void) {
    int zero = 0;
    while (!atomic_compare_exchange_weak(&worldsema, &zero, 1)) {
        zero = 0;
        rtYield();
    }
    rtM *m = mcur();
    rtP *me = m->p;
    rtAssert(me != NULL, "runtime: rtStopTheWorld outside a G");
    mutexLock(&sched.lock);
    rtAssert(!atomic_load(&sched.gcwaiting), "runtime: nested stop-the-world");
    noteClear(&sched.stopnote);
    sched.stopwait = sched.nprocs;
    atomic_store(&sched.gcwaiting, 1);
    preemptAll(me);
    atomic_store(&me->status, Pgcstop);
    sched.stopwait--;
    rtP *p;
    while ((p = pidleget())) {
        atomic_store(&p->status, Pgcstop);
        sched.stopwait--;
    }
    bool wait = sched.stopwait > 0;
    mutexUnlock(&sched.lock);
    if (!wait) return;
    while (!noteSleepFor(&sched.stopnote, 100000)) {
        if (atomic_load(&sched.shutdown)) return;
        preemptAll(me);
    }
}

void rtStartTheWorld(void) {
    rtM *m = mcur();
    rtP *me = m->p;
    gList l = {0};
    int delta = netpoll(0, &l);
    rtP *torun[RT_MAXPROCS];
    int nrun = 0;
    mutexLock(&sched.lock);
    atomic_store(&sched.gcwaiting, 0);
    atomic_store(&me->status, Prunning);
    for (int i = 0; i < sched.nprocs; i++) {
        rtP *p = sched.allp[i];
        atomic_store(&p->preempt, 0);
        if (p == me || atomic_load(&p->status) != Pgcstop) continue;
        if (runqempty(p)) {
            pidleput(p);
        } else {
            atomic_store(&p->status, Pidle);
            torun[nrun++] = p;
        }
    }
    mutexUnlock(&sched.lock);
    injectglist(&l);
    netpollAdjustWaiters(delta);
    for (int i = 0; i < nrun; i++)
        startm(torun[i], false);
    wakep();
    atomic_store(&worldsema, 0);
}
