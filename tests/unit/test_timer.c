/* test_timer.c — timers (timer.c) and sleeping (coro.c, sched.c).
 *
 * Spec:
 *   - 100,000 timers at random times in a 200 ms window, on one P, each fire
 *     exactly once, never early, with their own seq, in non-decreasing order
 *     of `when`, and with delay >= 0.
 *   - rtTimerReset moves a pending timer later (it fires at the new time, not
 *     the old) or earlier (it fires at the new time, not the old); rtTimerStop
 *     before the firing prevents it and returns true; after the firing it
 *     returns false.
 *   - a timer earlier than the blocked poller's wake time is honoured on time
 *     (the poller is woken to recompute its timeout), also when the timer's
 *     own P is hogged by a G that never yields.
 *   - rtSleep sleeps at least as long as asked and not much longer.
 */
#include "rt_test.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SEC (1000 * RT_MS)

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    return *s = x;
}

static int cmpI64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t median(int64_t *v, int n) {
    int64_t tmp[64];
    memcpy(tmp, v, (size_t)n * sizeof *v);
    qsort(tmp, (size_t)n, sizeof *tmp, cmpI64);
    return tmp[n / 2];
}

static int64_t maxOf(const int64_t *v, int n) {
    int64_t m = v[0];
    for (int i = 1; i < n; i++) if (v[i] > m) m = v[i];
    return m;
}

/* ---- 100,000 timers ------------------------------------------------------ */

#define MANY 100000
#define MANY_WINDOW (200 * RT_MS)
/* Usually all timers are armed before the first is due. Not required: with
 * one P, only that P's M runs its timers, and the arming G does not park
 * until it is done, so even overdue timers then fire in heap order. */
#define MANY_LEAD (100 * RT_MS)

typedef struct manyTimer {
    rtTimer t;
    int64_t when;
    _Atomic int fired;
} manyTimer;

typedef struct manyTest {
    manyTimer *timers;
    int64_t *order;           /* `when` of each firing, in firing order */
    _Atomic long n;           /* firings so far */
    _Atomic long negDelay, early, badSeq;
    int64_t armedAt, firstWhen;
    long nAfterGrace;
    rtStats before, after;
} manyTest;

static manyTest *many;

static void manyFire(void *arg, uint64_t seq, int64_t delay) {
    manyTimer *mt = arg;
    int64_t now = rtNanotime();
    if (delay < 0) atomic_fetch_add(&many->negDelay, 1);
    if (now < mt->when) atomic_fetch_add(&many->early, 1);
    if (seq != (uint64_t)(mt - many->timers)) atomic_fetch_add(&many->badSeq, 1);
    atomic_fetch_add(&mt->fired, 1);
    long i = atomic_fetch_add(&many->n, 1);
    if (i < MANY) many->order[i] = mt->when;
}

static void manyMain(void *a) {
    manyTest *t = a;
    rtGetStats(&t->before);
    uint64_t rnd = 0x9E3779B97F4A7C15ULL;
    int64_t base = rtNanotime() + MANY_LEAD;
    t->firstWhen = base;
    for (int i = 0; i < MANY; i++) {
        manyTimer *mt = &t->timers[i];
        mt->when = base + (int64_t)(xorshift(&rnd) % (uint64_t)MANY_WINDOW);
        rtTimerInit(&mt->t, manyFire, mt);
        rtTimerReset(&mt->t, mt->when, (uint64_t)i);
    }
    t->armedAt = rtNanotime();
    int64_t limit = rtNanotime() + 10 * SEC;
    while (atomic_load(&t->n) < MANY && rtNanotime() < limit)
        rtSleep(5 * RT_MS);
    rtSleep(50 * RT_MS);   /* time for a duplicate firing to show up */
    t->nAfterGrace = atomic_load(&t->n);
    rtGetStats(&t->after);
}

Test(timer, a_hundred_thousand_timers_each_fire_once_in_order_of_when, .timeout = 60) {
    static manyTest t;
    memset(&t, 0, sizeof t);
    t.timers = calloc(MANY, sizeof *t.timers);
    t.order = calloc(MANY, sizeof *t.order);
    cr_assert(t.timers && t.order);
    many = &t;
    rtTestRun(1, manyMain, &t);
    cr_log_info("armed %d timers in %.1f ms", MANY,
                (t.armedAt - (t.firstWhen - MANY_LEAD)) / 1e6);
    cr_assert_eq(t.nAfterGrace, MANY, "%ld firings for %d timers", t.nAfterGrace, MANY);
    long notOnce = 0, firstBad = -1;
    for (long i = 0; i < MANY; i++)
        if (atomic_load(&t.timers[i].fired) != 1) {
            if (firstBad < 0) firstBad = i;
            notOnce++;
        }
    cr_assert_eq(notOnce, 0, "%ld timers did not fire exactly once (first: #%ld fired %d "
                 "times)", notOnce, firstBad,
                 firstBad >= 0 ? atomic_load(&t.timers[firstBad].fired) : 0);
    long inversions = 0, firstInv = -1;
    for (long i = 1; i < MANY; i++)
        if (t.order[i] < t.order[i - 1]) {
            if (firstInv < 0) firstInv = i;
            inversions++;
        }
    cr_assert_eq(inversions, 0, "%ld firings came before an earlier timer's (first at "
                 "firing %ld: when %lld after %lld)", inversions, firstInv,
                 firstInv > 0 ? (long long)t.order[firstInv] : 0LL,
                 firstInv > 0 ? (long long)t.order[firstInv - 1] : 0LL);
    cr_assert_eq(atomic_load(&t.negDelay), 0, "%ld callbacks got a negative delay",
                 atomic_load(&t.negDelay));
    cr_assert_eq(atomic_load(&t.early), 0, "%ld timers fired before their time",
                 atomic_load(&t.early));
    cr_assert_eq(atomic_load(&t.badSeq), 0, "%ld callbacks got another timer's seq",
                 atomic_load(&t.badSeq));
    cr_assert_geq(t.after.timersRun - t.before.timersRun, (uint64_t)MANY,
                  "timersRun grew by %llu", (unsigned long long)(t.after.timersRun -
                                                                 t.before.timersRun));
    free(t.timers);
    free(t.order);
}

/* ---- reset and stop ------------------------------------------------------ */

typedef struct oneTimer {
    rtTimer t;
    _Atomic int fired;
    _Atomic int64_t firedAt;
    _Atomic int64_t delay;
    _Atomic uint64_t seq;
} oneTimer;

static void oneFire(void *arg, uint64_t seq, int64_t delay) {
    oneTimer *o = arg;
    atomic_store(&o->firedAt, rtNanotime());
    atomic_store(&o->delay, delay);
    atomic_store(&o->seq, seq);
    atomic_fetch_add(&o->fired, 1);
}

static void oneInit(oneTimer *o) {
    memset(o, 0, sizeof *o);
    rtTimerInit(&o->t, oneFire, o);
}

/* waitFired sleeps until o fired or `limit` passed. */
static void waitFired(oneTimer *o, int64_t limit) {
    while (!atomic_load(&o->fired) && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

typedef struct resetTest {
    /* moved later */
    int64_t laterOld, laterNew;
    int laterFiredAtOld;          /* firings seen just after the old time */
    int laterFired;               /* firings in total */
    int64_t laterFiredAt, laterDelay;
    uint64_t laterSeq;
    /* moved earlier */
    int64_t earlierNew;
    int earlierFired;
    int64_t earlierFiredAt, earlierDelay;
    /* stopped before firing */
    bool stopPending, stopAgain;
    int stoppedFired;
    /* stopped after firing */
    int firedBeforeStop;
    bool stopAfterFire;
    /* re-armed after a stop */
    int rearmedFired;
} resetTest;

static void resetMain(void *a) {
    resetTest *r = a;
    /* one timer per case, so a case that goes wrong cannot corrupt the next */
    static oneTimer later, earlier, stopped, fired;

    /* later: armed for +20 ms, moved to +80 ms before it fires */
    oneInit(&later);
    int64_t t0 = rtNanotime();
    r->laterOld = t0 + 20 * RT_MS;
    r->laterNew = t0 + 80 * RT_MS;
    rtTimerReset(&later.t, r->laterOld, 1);
    rtTimerReset(&later.t, r->laterNew, 2);
    rtSleepUntil(r->laterOld + 30 * RT_MS);       /* well past the old time */
    r->laterFiredAtOld = atomic_load(&later.fired);
    waitFired(&later, r->laterNew + 3 * SEC);
    rtSleep(30 * RT_MS);
    r->laterFired = atomic_load(&later.fired);
    r->laterFiredAt = atomic_load(&later.firedAt);
    r->laterDelay = atomic_load(&later.delay);
    r->laterSeq = atomic_load(&later.seq);

    /* earlier: armed for +2 s, moved to +20 ms */
    oneInit(&earlier);
    t0 = rtNanotime();
    rtTimerReset(&earlier.t, t0 + 2 * SEC, 1);
    r->earlierNew = t0 + 20 * RT_MS;
    rtTimerReset(&earlier.t, r->earlierNew, 2);
    waitFired(&earlier, t0 + 3 * SEC);
    rtSleep(30 * RT_MS);
    r->earlierFired = atomic_load(&earlier.fired);
    r->earlierFiredAt = atomic_load(&earlier.firedAt);
    r->earlierDelay = atomic_load(&earlier.delay);

    /* stopped before firing */
    oneInit(&stopped);
    rtTimerReset(&stopped.t, rtNanotime() + 30 * RT_MS, 1);
    r->stopPending = rtTimerStop(&stopped.t);
    r->stopAgain = rtTimerStop(&stopped.t);
    rtSleep(80 * RT_MS);
    r->stoppedFired = atomic_load(&stopped.fired);

    /* re-armed after the stop */
    rtTimerReset(&stopped.t, rtNanotime() + 10 * RT_MS, 3);
    waitFired(&stopped, rtNanotime() + 3 * SEC);
    r->rearmedFired = atomic_load(&stopped.fired);

    /* stopped after firing */
    oneInit(&fired);
    rtTimerReset(&fired.t, rtNanotime() + 10 * RT_MS, 1);
    waitFired(&fired, rtNanotime() + 3 * SEC);
    r->firedBeforeStop = atomic_load(&fired.fired);
    r->stopAfterFire = rtTimerStop(&fired.t);
}

Test(timer, reset_moves_a_pending_timer_and_stop_prevents_its_firing, .timeout = 60) {
    static resetTest r;
    memset(&r, 0, sizeof r);
    rtTestRun(1, resetMain, &r);

    cr_assert_eq(r.laterFiredAtOld, 0, "a timer moved later still fired at its old time");
    cr_assert_eq(r.laterFired, 1, "a timer moved later fired %d times", r.laterFired);
    cr_assert_geq(r.laterFiredAt, r.laterNew, "it fired %.2f ms before its new time",
                  (r.laterNew - r.laterFiredAt) / 1e6);
    cr_assert_lt(r.laterFiredAt - r.laterNew, 200 * RT_MS, "it fired %.1f ms late",
                 (r.laterFiredAt - r.laterNew) / 1e6);
    cr_assert_geq(r.laterDelay, 0);
    cr_assert_eq(r.laterSeq, 2, "the callback got seq %llu, not the latest reset's 2",
                 (unsigned long long)r.laterSeq);

    cr_assert_eq(r.earlierFired, 1, "a timer moved earlier fired %d times", r.earlierFired);
    cr_assert_geq(r.earlierFiredAt, r.earlierNew);
    cr_assert_lt(r.earlierFiredAt - r.earlierNew, 200 * RT_MS,
                 "a timer moved from +2 s to +20 ms fired %.1f ms after +20 ms",
                 (r.earlierFiredAt - r.earlierNew) / 1e6);
    cr_assert_geq(r.earlierDelay, 0);

    cr_assert(r.stopPending, "rtTimerStop of a pending timer returned false");
    cr_assert(!r.stopAgain, "a second rtTimerStop returned true");
    cr_assert_eq(r.stoppedFired, 0, "a stopped timer fired");
    cr_assert_eq(r.rearmedFired, 1, "a timer re-armed after a stop fired %d times",
                 r.rearmedFired);

    cr_assert_eq(r.firedBeforeStop, 1);
    cr_assert(!r.stopAfterFire, "rtTimerStop after the firing returned true");
}

/* ---- sleeping and the blocked poller ------------------------------------- */

#define SLEEP_ROUNDS 5

typedef struct sleepTest {
    int64_t took[SLEEP_ROUNDS];
    _Atomic int longSleeperStarted;
} sleepTest;

static void longSleeper(void *a) {
    sleepTest *s = a;
    atomic_store(&s->longSleeperStarted, 1);
    rtSleep(2 * SEC);   /* the idle M blocks in netpoll with a ~2 s timeout */
}

static void pollerMain(void *a) {
    sleepTest *s = a;
    rtGo(longSleeper, s);
    while (!atomic_load(&s->longSleeperStarted)) rtYield();
    for (int i = 0; i < SLEEP_ROUNDS; i++) {
        /* run without parking so the other M gives up and blocks in netpoll
         * until the long sleeper's 2 s timer ... */
        int64_t until = rtNanotime() + 5 * RT_MS;
        while (rtNanotime() < until) {}
        /* ... then ask for 10 ms, far earlier than its timeout */
        int64_t t0 = rtNanotime();
        rtSleep(10 * RT_MS);
        s->took[i] = rtNanotime() - t0;
    }
}

Test(timer, a_timer_earlier_than_the_blocked_pollers_timeout_is_honoured_on_time,
     .timeout = 60) {
    static sleepTest s;
    memset(&s, 0, sizeof s);
    rtTestRun(2, pollerMain, &s);
    for (int i = 0; i < SLEEP_ROUNDS; i++) {
        cr_log_info("rtSleep(10 ms) beside a 2 s sleeper took %.2f ms", s.took[i] / 1e6);
        cr_assert_geq(s.took[i], 10 * RT_MS, "rtSleep(10 ms) returned after %.3f ms",
                      s.took[i] / 1e6);
    }
    int64_t med = median(s.took, SLEEP_ROUNDS), max = maxOf(s.took, SLEEP_ROUNDS);
    cr_assert_leq(med, 60 * RT_MS, "median rtSleep(10 ms) took %.1f ms", med / 1e6);
    cr_assert_lt(max, 500 * RT_MS, "an rtSleep(10 ms) took %.1f ms: the poller blocked "
                 "for the 2 s timer was not woken", max / 1e6);
}

static void sleepMain(void *a) {
    sleepTest *s = a;
    for (int i = 0; i < SLEEP_ROUNDS; i++) {
        int64_t t0 = rtNanotime();
        rtSleep(20 * RT_MS);
        s->took[i] = rtNanotime() - t0;
    }
}

static void runSleepTest(int nprocs) {
    static sleepTest s;
    memset(&s, 0, sizeof s);
    rtTestRun(nprocs, sleepMain, &s);
    for (int i = 0; i < SLEEP_ROUNDS; i++) {
        cr_log_info("%d Ps: rtSleep(20 ms) took %.2f ms", nprocs, s.took[i] / 1e6);
        cr_assert_geq(s.took[i], 20 * RT_MS, "rtSleep(20 ms) returned after %.3f ms",
                      s.took[i] / 1e6);
    }
    int64_t med = median(s.took, SLEEP_ROUNDS), max = maxOf(s.took, SLEEP_ROUNDS);
    cr_assert_leq(med, 70 * RT_MS, "median rtSleep(20 ms) took %.1f ms", med / 1e6);
    cr_assert_lt(max, 500 * RT_MS, "an rtSleep(20 ms) took %.1f ms", max / 1e6);
}

Test(timer, rtSleep_20ms_takes_between_20_and_70_ms_on_one_P, .timeout = 60) {
    runSleepTest(1);
}

Test(timer, rtSleep_20ms_takes_between_20_and_70_ms_on_four_Ps, .timeout = 60) {
    runSleepTest(4);
}

/* A timer whose P is hogged by a G that does not yield must still be run on
 * time by another P: the blocked poller (here until a 2 s timer) is woken to
 * recompute its timeout, takes an idle P and runs the hogged P's timers. */
typedef struct hogTest {
    int64_t took[SLEEP_ROUNDS];
    _Atomic int hogging;
    _Atomic int longSleeperStarted;
} hogTest;

static void hog(void *a) {
    hogTest *h = a;
    atomic_store(&h->hogging, 1);
    int64_t until = rtNanotime() + 150 * RT_MS;
    while (rtNanotime() < until) {}   /* no yield, no rtMaybeYield */
    atomic_store(&h->hogging, 0);
}

static void hogLongSleeper(void *a) {
    hogTest *h = a;
    atomic_store(&h->longSleeperStarted, 1);
    rtSleep(2 * SEC);
}

static void hogMain(void *a) {
    hogTest *h = a;
    rtGo(hogLongSleeper, h);
    while (!atomic_load(&h->longSleeperStarted)) rtYield();
    for (int i = 0; i < SLEEP_ROUNDS; i++) {
        int64_t until = rtNanotime() + 5 * RT_MS;   /* the other M blocks in netpoll */
        while (rtNanotime() < until) {}
        rtGo(hog, h);               /* queued in this P's runnext: it runs when we park */
        int64_t t0 = rtNanotime();
        rtSleep(10 * RT_MS);
        h->took[i] = rtNanotime() - t0;
        while (atomic_load(&h->hogging)) rtSleep(1 * RT_MS);
    }
}

Test(timer, a_timer_on_a_P_hogged_by_a_non_yielding_coroutine_is_run_on_time_by_another_P,
     .timeout = 60) {
    static hogTest h;
    memset(&h, 0, sizeof h);
    rtTestRun(2, hogMain, &h);
    for (int i = 0; i < SLEEP_ROUNDS; i++) {
        cr_log_info("rtSleep(10 ms) beside a 150 ms hog took %.2f ms", h.took[i] / 1e6);
        cr_assert_geq(h.took[i], 10 * RT_MS);
    }
    int64_t med = median(h.took, SLEEP_ROUNDS);
    cr_assert_leq(med, 60 * RT_MS, "median rtSleep(10 ms) beside a hog took %.1f ms "
                  "(the hog runs 150 ms)", med / 1e6);
}
