/* sysmon.c — the system monitor: a thread of its own, with no P.
 *
 * Every tick (20 µs, doubling after 50 idle ticks up to 10 ms) it:
 *  - polls the network if nobody has for 10 ms (lastpoll != 0 and old), and
 *    queues what it finds: with every P busy running Gs that never let the
 *    scheduler reach its own polls, readiness is still delivered;
 *  - raises a preemption request on a P that has run the same G (same
 *    schedtick) for 10 ms; long commands honour it at rtMaybeYield;
 *  - starts an M when a timer is overdue and a P is idle.
 * While every P is idle or the world is stopped it does nothing and keeps
 * backing off to 10 ms ticks (about 100 cheap wake-ups a second). Unlike Go
 * it has no deep sleep woken by the Ms: waking it on every idle→busy change
 * of a P cost a futex wake on the hot path of a lone connection (measured by
 * tests/bench/run_runtime), and a 10 ms tick is what it needs anyway to
 * notice a P stuck for 10 ms. Shutdown is noticed within one tick.
 */
#include "runtime.h"

#include <unistd.h>

#define FORCE_PREEMPT_NS (10 * 1000000LL)
#define POLL_AFTER_NS    (10 * 1000000LL)

/* allIdle: nothing runs, so there is nothing to poll for or preempt; the
 * blocked poller owns timers and I/O. */
static bool allIdle(void) {
    return atomic_load(&sched.gcwaiting) ||
           atomic_load(&sched.npidle) == sched.nprocs;
}

static void pollIfStale(int64_t now) {
    int64_t last = atomic_load(&sched.lastpoll);
    if (last == 0 || last + POLL_AFTER_NS > now) return;
    if (!atomic_compare_exchange_strong(&sched.lastpoll, &last, now)) return;
    gList l = {0};
    int delta = netpoll(0, &l);
    atomic_fetch_add_explicit(&sched.nSysmonPolls, 1, memory_order_relaxed);
    if (l.n) {
        injectglist(&l);
        netpollAdjustWaiters(delta);
    }
}

/* retake raises preemption requests; returns how many it raised. */
static int retake(int64_t now) {
    int n = 0;
    for (int i = 0; i < sched.nprocs; i++) {
        rtP *p = sched.allp[i];
        if (atomic_load(&p->status) != Prunning || !atomic_load(&p->inG)) {
            p->sysmonWhen = 0;   /* idle time is not run time: start over */
            continue;
        }
        uint64_t t = atomic_load_explicit(&p->schedtick, memory_order_relaxed);
        if (p->sysmonTick != t || p->sysmonWhen == 0) {
            p->sysmonTick = t;
            p->sysmonWhen = now;
        } else if (p->sysmonWhen + FORCE_PREEMPT_NS <= now && !atomic_load(&p->preempt)) {
            atomic_store(&p->preempt, 1);
            atomic_fetch_add_explicit(&sched.nPreempts, 1, memory_order_relaxed);
            n++;
        }
    }
    return n;
}

static void *sysmonMain(void *arg) {
    (void)arg;
    int64_t delay = 20000;   /* ns */
    int idle = 0;
    while (!atomic_load(&sched.shutdown)) {
        if (idle == 0) delay = 20000;
        else if (idle > 50) delay *= 2;
        if (delay > 10000000) delay = 10000000;
        usleep((useconds_t)(delay / 1000));
        if (atomic_load(&sched.shutdown)) break;
        if (allIdle()) {   /* keep backing off: no wake-up on the Ms' hot path */
            idle++;
            continue;
        }
        int64_t now = rtNanotime();
        pollIfStale(now);
        int64_t next = checkTimersNoP(0);
        if (next != 0 && next < now && atomic_load(&sched.npidle) > 0)
            wakep();
        if (retake(now) > 0) idle = 0; else idle++;
    }
    return NULL;
}

void sysmonStart(void) {
    if (pthread_create(&sched.sysmonThread, NULL, sysmonMain, NULL) != 0)
        rtThrow("runtime: cannot start sysmon");
}
