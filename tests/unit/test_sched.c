/* test_sched.c — the scheduler (sched.c, coro.c, world.c, sysmon.c).
 *
 * Spec, one test per sentence:
 *   - 100,000 coroutines spawn, run once and exit, with 1 P and with 4 Ps;
 *     afterwards only the first G is live and `spawned` grew by exactly N.
 *   - coroutines that only yield all make progress (1 P and 2 Ps).
 *   - a parked G is readied by a plain pthread, and by a G on another P.
 *   - with 4 Ps, idle Ps steal work from a busy P's run queue.
 *   - rtWaiter: a wake before the deadline wins; the deadline wins without a
 *     wake; a late or stale wake is refused; wake racing the deadline: exactly
 *     one of them wins, 1000 times out of 1000.
 *   - sysmon asks a G that runs 10 ms without yielding to yield, and not
 *     sooner (also for the very first G).
 *   - stop the world freezes every other P's Gs until start the world.
 *
 * Checks inside coroutines use RT_CHECK (abort) or record results in a
 * struct; the test body asserts on that struct with cr_assert after
 * rtTestRun returned.
 */
#include "rt_test.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define SEC (1000 * RT_MS)

static void sleepNs(int64_t ns) {
    struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* busyWork burns about ns of CPU without yielding. */
static uint64_t busyWork(int64_t ns) {
    volatile uint64_t x = 0;
    int64_t end = rtNanotime() + ns;
    while (rtNanotime() < end)
        for (int i = 0; i < 100; i++) x = x * 6364136223846793005ULL + 1;
    return x;
}

/* ---- spawning ------------------------------------------------------------ */

#define SPAWN_N 100000

typedef struct spawnTest {
    _Atomic long ran;
    rtStats before, after;
    int64_t elapsed;
} spawnTest;

static void spawnChild(void *a) {
    spawnTest *t = a;
    atomic_fetch_add(&t->ran, 1);
}

static void spawnMain(void *a) {
    spawnTest *t = a;
    rtGetStats(&t->before);
    int64_t t0 = rtNanotime(), limit = t0 + 20 * SEC;
    for (int i = 0; i < SPAWN_N; i++)
        rtGo(spawnChild, t);
    while (atomic_load(&t->ran) < SPAWN_N && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
    /* a child counts itself before it exits: wait for the exits too */
    rtStats st;
    for (;;) {
        rtGetStats(&st);
        if (st.liveGs == t->before.liveGs || rtNanotime() >= limit) break;
        rtSleep(1 * RT_MS);
    }
    t->elapsed = rtNanotime() - t0;
    rtGetStats(&t->after);
}

static void runSpawnTest(int nprocs) {
    static spawnTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(nprocs, spawnMain, &t);
    cr_log_info("%d Ps: %d Gs spawned and ran in %.1f ms, %llu steals", nprocs, SPAWN_N,
                t.elapsed / 1e6, (unsigned long long)(t.after.steals - t.before.steals));
    cr_assert_eq(atomic_load(&t.ran), SPAWN_N, "%ld of %d coroutines ran within 20 s",
                 atomic_load(&t.ran), SPAWN_N);
    /* rt.h: liveGs = "Gs spawned and not yet exited"; the first G is one */
    cr_assert_eq(t.before.liveGs, 1, "liveGs at the start of the first G: %d",
                 t.before.liveGs);
    cr_assert_eq(t.after.liveGs, 1, "liveGs after every child exited: %d (expected 1)",
                 t.after.liveGs);
    cr_assert_eq(t.after.spawned - t.before.spawned, (uint64_t)SPAWN_N,
                 "spawned grew by %llu", (unsigned long long)(t.after.spawned -
                                                              t.before.spawned));
    cr_assert_geq(t.after.switches - t.before.switches, (uint64_t)SPAWN_N,
                  "switches grew by %llu, fewer than the Gs run",
                  (unsigned long long)(t.after.switches - t.before.switches));
}

Test(sched, a_hundred_thousand_coroutines_spawn_run_and_exit_on_one_P, .timeout = 60) {
    runSpawnTest(1);
}

Test(sched, a_hundred_thousand_coroutines_spawn_run_and_exit_on_four_Ps, .timeout = 60) {
    runSpawnTest(4);
}

/* ---- yielding ------------------------------------------------------------ */

#define YIELD_GS 8

typedef struct yieldTest {
    _Atomic int stop;
    _Atomic int done;
    _Atomic long count[YIELD_GS];
    int64_t slept;          /* how long the first G's 200 ms sleep really took */
} yieldTest;

typedef struct yieldG { yieldTest *t; int i; } yieldG;

static void yielder(void *a) {
    yieldG *y = a;
    int64_t selfLimit = rtNanotime() + 3 * SEC;   /* in case the first G never wakes */
    while (!atomic_load(&y->t->stop) && rtNanotime() < selfLimit) {
        atomic_fetch_add_explicit(&y->t->count[y->i], 1, memory_order_relaxed);
        rtYield();
    }
    atomic_fetch_add(&y->t->done, 1);
}

static void yieldMain(void *a) {
    yieldTest *t = a;
    static yieldG ys[YIELD_GS];
    for (int i = 0; i < YIELD_GS; i++) {
        ys[i] = (yieldG){ t, i };
        rtGo(yielder, &ys[i]);
    }
    int64_t t0 = rtNanotime();
    rtSleep(200 * RT_MS);
    t->slept = rtNanotime() - t0;
    atomic_store(&t->stop, 1);
    int64_t limit = rtNanotime() + 10 * SEC;
    while (atomic_load(&t->done) < YIELD_GS && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

static void runYieldTest(int nprocs, bool fair) {
    static yieldTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(nprocs, yieldMain, &t);
    long min = -1, max = 0;
    for (int i = 0; i < YIELD_GS; i++) {
        long c = atomic_load(&t.count[i]);
        if (min < 0 || c < min) min = c;
        if (c > max) max = c;
    }
    cr_log_info("%d Ps: yields per G min %ld max %ld; the 200 ms sleep took %.1f ms", nprocs,
                min, max, t.slept / 1e6);
    cr_assert_eq(atomic_load(&t.done), YIELD_GS);
    cr_assert_lt(t.slept, 1 * SEC, "the sleeping G woke after %.1f ms among 8 yielders",
                 t.slept / 1e6);
    cr_assert_geq(t.slept, 200 * RT_MS);
    cr_assert_geq(min, 1000, "a yielding G made only %ld rounds in 200 ms (max %ld)", min, max);
    if (fair)   /* one P: round robin, every G gets a comparable share */
        cr_assert_geq(min * 4, max, "unfair round robin: min %ld, max %ld", min, max);
}

Test(sched, yielding_coroutines_all_make_progress_on_one_P, .timeout = 60) {
    runYieldTest(1, true);
}

Test(sched, yielding_coroutines_all_make_progress_on_two_Ps, .timeout = 60) {
    runYieldTest(2, false);
}

/* ---- park and ready across threads --------------------------------------- */

#define READY_ROUNDS 1000

typedef struct readyTest {
    _Atomic(rtG *) slotA;     /* the parked G, published by the park's commit */
    _Atomic int tokenA;       /* written by the readier before rtReady */
    _Atomic int rounds;       /* rounds completed by the parking G */
    _Atomic int helperDone;
    _Atomic int helperTimedOut;
    bool helperWasPlain;      /* rtSelf() == NULL and rtProcId() == -1 in the pthread */
} readyTest;

static bool publishG(rtG *g, void *slot) {
    atomic_store((_Atomic(rtG *) *)slot, g);
    return true;
}

static void *plainReadier(void *a) {
    readyTest *t = a;
    t->helperWasPlain = rtSelf() == NULL && rtProcId() == -1;
    for (int i = 1; i <= READY_ROUNDS; i++) {
        rtG *g;
        int64_t limit = rtNanotime() + 10 * SEC;
        while (!(g = atomic_exchange(&t->slotA, NULL))) {
            if (rtNanotime() > limit) {
                atomic_store(&t->helperTimedOut, i);
                atomic_store(&t->helperDone, 1);
                return NULL;
            }
            sched_yield();
        }
        atomic_store(&t->tokenA, i);
        rtReady(g);
    }
    atomic_store(&t->helperDone, 1);
    return NULL;
}

static void plainReadyMain(void *a) {
    readyTest *t = a;
    pthread_t th;
    RT_CHECK(pthread_create(&th, NULL, plainReadier, t) == 0, "pthread_create");
    rtG *self = rtSelf();
    for (int i = 1; i <= READY_ROUNDS; i++) {
        rtPark(publishG, &t->slotA);
        RT_CHECK(rtSelf() == self, "round %d: rtSelf changed across the park", i);
        RT_CHECK(atomic_load(&t->tokenA) == i, "round %d: resumed with token %d", i,
                 atomic_load(&t->tokenA));
        atomic_store(&t->rounds, i);
    }
    int64_t limit = rtNanotime() + 10 * SEC;
    while (!atomic_load(&t->helperDone) && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
    if (atomic_load(&t->helperDone))
        pthread_join(th, NULL);
}

Test(sched, a_plain_pthread_readies_a_parked_coroutine, .timeout = 60) {
    static readyTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(2, plainReadyMain, &t);
    cr_assert_eq(atomic_load(&t.helperTimedOut), 0, "the pthread never saw round %d's G",
                 atomic_load(&t.helperTimedOut));
    cr_assert_eq(atomic_load(&t.rounds), READY_ROUNDS);
    cr_assert(t.helperWasPlain, "rtSelf/rtProcId should say the pthread is no G");
}

/* Two Gs readying each other in turn: A parks, B readies it and parks, A
 * readies B, and so on. Each waits for the other's slot by yielding. After a
 * ready the readier keeps its P busy for a while without yielding, so the
 * readied G (queued in the readier's runnext) is taken by the other P: the
 * pair then runs on two Ps and readies cross between them. */
#define PING_ROUNDS 300

/* takeSlot waits (yielding) until the other G parked, and takes it. */
static rtG *takeSlot(_Atomic(rtG *) *slot) {
    int64_t limit = rtNanotime() + 10 * SEC;
    rtG *g;
    while (!(g = atomic_exchange(slot, NULL))) {
        RT_CHECK(rtNanotime() < limit, "the other G never parked");
        rtYield();
    }
    return g;
}

typedef struct pingTest {
    _Atomic(rtG *) slot[2];   /* slot[i]: G i parked, published by its commit */
    _Atomic int token[2];     /* round number written by the readier */
    _Atomic int parkedOnP[2]; /* rtProcId of G i when it parked */
    _Atomic int rounds[2];
    _Atomic int crossP;       /* readies issued from a P other than the parked G's */
    _Atomic int done;
} pingTest;

/* readyOther takes the parked G `other` from its slot and readies it with
 * token i, counting a ready that crosses Ps. */
static void readyOther(pingTest *t, int other, int i) {
    rtG *g = takeSlot(&t->slot[other]);
    if (atomic_load(&t->parkedOnP[other]) != rtProcId())
        atomic_fetch_add(&t->crossP, 1);
    atomic_store(&t->token[other], i);
    rtReady(g);
    busyWork(500 * RT_US);   /* hold this P: the readied G goes to the other one */
}

static void parkSelf(pingTest *t, int me, int i) {
    atomic_store(&t->parkedOnP[me], rtProcId());
    rtPark(publishG, &t->slot[me]);
    RT_CHECK(atomic_load(&t->token[me]) == i, "G%d round %d: resumed with token %d", me, i,
             atomic_load(&t->token[me]));
    atomic_store(&t->rounds[me], i);
}

static void pingA(void *a) {
    pingTest *t = a;
    for (int i = 1; i <= PING_ROUNDS; i++) {
        parkSelf(t, 0, i);      /* B readies A ... */
        readyOther(t, 1, i);    /* ... then A readies B */
    }
    atomic_fetch_add(&t->done, 1);
}

static void pingB(void *a) {
    pingTest *t = a;
    for (int i = 1; i <= PING_ROUNDS; i++) {
        readyOther(t, 0, i);
        parkSelf(t, 1, i);
    }
    atomic_fetch_add(&t->done, 1);
}

static void pingMain(void *a) {
    pingTest *t = a;
    rtGo(pingA, t);
    rtGo(pingB, t);
    int64_t limit = rtNanotime() + 15 * SEC;
    while (atomic_load(&t->done) < 2 && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

Test(sched, two_coroutines_on_two_Ps_ready_each_other, .timeout = 60) {
    static pingTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(2, pingMain, &t);
    cr_log_info("%d of %d readies came from the other P", atomic_load(&t.crossP),
                2 * PING_ROUNDS);
    cr_assert_eq(atomic_load(&t.done), 2, "only %d of 2 Gs finished", atomic_load(&t.done));
    cr_assert_eq(atomic_load(&t.rounds[0]), PING_ROUNDS);
    cr_assert_eq(atomic_load(&t.rounds[1]), PING_ROUNDS);
    cr_assert_gt(atomic_load(&t.crossP), 0, "the two Gs never ran on different Ps");
}

/* ---- stealing ------------------------------------------------------------ */

#define STEAL_BATCHES 10
#define STEAL_BATCH 100   /* < 256: a batch fits in the spawner's local queue */

typedef struct stealTest {
    _Atomic int finished;
    _Atomic int onOtherP;   /* children that ran on a P other than the spawner's */
    _Atomic int spawnerP;
    rtStats before, after;
} stealTest;

static void stealChild(void *a) {
    stealTest *t = a;
    if (rtProcId() != t->spawnerP) atomic_fetch_add(&t->onOtherP, 1);
    for (int i = 0; i < 4; i++) {
        busyWork(100 * RT_US);
        rtYield();
    }
    atomic_fetch_add(&t->finished, 1);
}

static void stealMain(void *a) {
    stealTest *t = a;
    rtGetStats(&t->before);
    int64_t limit = rtNanotime() + 15 * SEC;
    for (int b = 0; b < STEAL_BATCHES; b++) {
        t->spawnerP = rtProcId();
        for (int i = 0; i < STEAL_BATCH; i++)
            rtGo(stealChild, t);
        int want = (b + 1) * STEAL_BATCH;
        while (atomic_load(&t->finished) < want && rtNanotime() < limit)
            rtSleep(1 * RT_MS);
    }
    rtGetStats(&t->after);
}

Test(sched, idle_Ps_steal_from_a_busy_Ps_run_queue, .timeout = 60) {
    static stealTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(4, stealMain, &t);
    uint64_t steals = t.after.steals - t.before.steals;
    cr_log_info("steals %llu; %d of %d children ran on another P", (unsigned long long)steals,
                atomic_load(&t.onOtherP), STEAL_BATCHES * STEAL_BATCH);
    cr_assert_eq(atomic_load(&t.finished), STEAL_BATCHES * STEAL_BATCH);
    cr_assert_gt(steals, 0, "no steals with 4 Ps and %d busy Gs queued on one P",
                 STEAL_BATCHES * STEAL_BATCH);
    cr_assert_gt(atomic_load(&t.onOtherP), 0, "every child ran on the spawner's P");
}

/* ---- rtWaiter ------------------------------------------------------------ */

/* A wait queue with a one-word spin lock, as a blocking command would have. */
typedef struct waitQ {
    atomic_flag lock;
    rtWaiter w;               /* the published waiter (a copy), under lock */
    _Atomic int published;
    _Atomic int unlocks;      /* times the park's unlock ran */
} waitQ;

static void qLock(waitQ *q) {
    while (atomic_flag_test_and_set_explicit(&q->lock, memory_order_acquire)) {}
}

static void qUnlockFn(void *a) {
    waitQ *q = a;
    atomic_fetch_add(&q->unlocks, 1);
    atomic_flag_clear_explicit(&q->lock, memory_order_release);
}

typedef struct waiterTest {
    waitQ q;
    int rc;                   /* rtWaiterPark's result */
    int64_t elapsed;
    _Atomic int wakeResult;   /* -1 not yet; 0 false; 1 true */
    bool secondWake;          /* a second wake after the first won */
    bool lateWake;            /* a wake after the deadline ended the wait */
    bool staleWake;           /* a wake carrying the previous wait's seq */
    int staleRc;              /* the newer wait's result after the stale wake */
    bool earlyWake;           /* a wake while armed (before rtWaiterPark) */
    int earlyRc;
    int64_t earlyElapsed;
} waiterTest;

static void *delayedWaker(void *a) {
    waiterTest *t = a;
    while (!atomic_load(&t->q.published)) sched_yield();
    sleepNs(10 * RT_MS);
    qLock(&t->q);
    rtWaiter w = t->q.w;
    bool ok = rtWaiterWake(&w);
    atomic_flag_clear_explicit(&t->q.lock, memory_order_release);
    atomic_store(&t->wakeResult, ok ? 1 : 0);
    return NULL;
}

static void wakeBeforeDeadlineMain(void *a) {
    waiterTest *t = a;
    pthread_t th;
    RT_CHECK(pthread_create(&th, NULL, delayedWaker, t) == 0, "pthread_create");
    int64_t t0 = rtNanotime();
    rtWaiter w;
    qLock(&t->q);
    rtWaiterInit(&w);
    t->q.w = w;
    atomic_store(&t->q.published, 1);
    t->rc = rtWaiterPark(&w, t0 + 5 * SEC, qUnlockFn, &t->q);
    t->elapsed = rtNanotime() - t0;
    while (atomic_load(&t->wakeResult) < 0) rtYield();
    pthread_join(th, NULL);
    t->secondWake = rtWaiterWake(&w);
}

Test(sched, a_waiter_woken_before_its_deadline_returns_0_and_the_wake_wins, .timeout = 60) {
    static waiterTest t;
    memset(&t, 0, sizeof t);
    atomic_store(&t.wakeResult, -1);
    rtTestRun(2, wakeBeforeDeadlineMain, &t);
    cr_assert_eq(t.rc, 0, "rtWaiterPark returned %d (%s)", t.rc, rtStrerror(t.rc));
    cr_assert_eq(atomic_load(&t.wakeResult), 1, "rtWaiterWake returned false");
    cr_assert_geq(t.elapsed, 10 * RT_MS, "woke after %.2f ms, before the wake was sent",
                  t.elapsed / 1e6);
    cr_assert_lt(t.elapsed, 1 * SEC, "woke only after %.1f ms", t.elapsed / 1e6);
    cr_assert_eq(atomic_load(&t.q.unlocks), 1, "the park's unlock ran %d times",
                 atomic_load(&t.q.unlocks));
    cr_assert(!t.secondWake, "a second wake of a finished wait returned true");
}

static void deadlineMain(void *a) {
    waiterTest *t = a;
    rtWaiter w;
    int64_t t0 = rtNanotime();
    qLock(&t->q);
    rtWaiterInit(&w);
    t->rc = rtWaiterPark(&w, t0 + 20 * RT_MS, qUnlockFn, &t->q);
    t->elapsed = rtNanotime() - t0;
    t->lateWake = rtWaiterWake(&w);

    /* a newer wait replaces the old one: the old waiter's wake is stale */
    rtWaiter old = w;
    rtWaiterInit(&w);
    t->staleWake = rtWaiterWake(&old);
    t->staleRc = rtWaiterPark(&w, rtNanotime() + 10 * RT_MS, NULL, NULL);

    /* a wake that comes before rtWaiterPark still ends the wait */
    rtWaiterInit(&w);
    t->earlyWake = rtWaiterWake(&w);
    int64_t t1 = rtNanotime();
    t->earlyRc = rtWaiterPark(&w, t1 + 5 * SEC, NULL, NULL);
    t->earlyElapsed = rtNanotime() - t1;
}

Test(sched, a_waiter_whose_deadline_passes_times_out_and_late_wakes_are_refused,
     .timeout = 60) {
    static waiterTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(1, deadlineMain, &t);
    cr_assert_eq(t.rc, RT_ETIMEOUT, "rtWaiterPark returned %d, expected RT_ETIMEOUT", t.rc);
    cr_assert_geq(t.elapsed, 20 * RT_MS, "timed out after %.2f ms, before the deadline",
                  t.elapsed / 1e6);
    cr_assert_lt(t.elapsed, 1 * SEC, "timed out only after %.1f ms", t.elapsed / 1e6);
    cr_assert_eq(atomic_load(&t.q.unlocks), 1);
    cr_assert(!t.lateWake, "a wake after the deadline returned true");
    cr_assert(!t.staleWake, "a wake with the previous wait's seq returned true");
    cr_assert_eq(t.staleRc, RT_ETIMEOUT, "a stale wake ended the newer wait (rc %d)",
                 t.staleRc);
    cr_assert(t.earlyWake, "a wake of an armed (not yet parked) wait returned false");
    cr_assert_eq(t.earlyRc, 0, "after an early wake rtWaiterPark returned %d", t.earlyRc);
    cr_assert_lt(t.earlyElapsed, 1 * SEC, "after an early wake the park took %.1f ms",
                 t.earlyElapsed / 1e6);
}

#define RACE_ROUNDS 1000

typedef struct raceTest {
    _Atomic int round;        /* published by the G: wait `round` is armed */
    rtWaiter w;               /* copy of the waiter for `round` */
    int64_t deadline;
    _Atomic int wokeRound;    /* the waker finished this round */
    _Atomic int wakeOk;       /* its rtWaiterWake result */
    int mismatches;
    int firstMismatch, firstRc, firstWake;
    int woken, timedOut, badRc;
    _Atomic bool wakerTimedOut;
} raceTest;

static void *raceWaker(void *a) {
    raceTest *t = a;
    uint64_t rnd = 0x2545F4914F6CDD1DULL;
    for (int i = 1; i <= RACE_ROUNDS; i++) {
        int64_t limit = rtNanotime() + 10 * SEC;
        while (atomic_load(&t->round) != i) {
            if (rtNanotime() > limit) { t->wakerTimedOut = true; return NULL; }
            sched_yield();
        }
        rtWaiter w = t->w;
        rnd ^= rnd << 13; rnd ^= rnd >> 7; rnd ^= rnd << 17;
        /* aim anywhere from 300 us before to 1.5 ms after the deadline: the
         * timer fires on the deadline or, rounded up by epoll, up to ~1 ms
         * later, so both outcomes occur */
        int64_t at = t->deadline - 300 * RT_US + (int64_t)(rnd % (1800 * RT_US));
        while (rtNanotime() < at) {}
        atomic_store(&t->wakeOk, rtWaiterWake(&w) ? 1 : 0);
        atomic_store(&t->wokeRound, i);
    }
    return NULL;
}

static void raceMain(void *a) {
    raceTest *t = a;
    pthread_t th;
    RT_CHECK(pthread_create(&th, NULL, raceWaker, t) == 0, "pthread_create");
    for (int i = 1; i <= RACE_ROUNDS; i++) {
        rtWaiter w;
        rtWaiterInit(&w);
        t->w = w;
        t->deadline = rtNanotime() + 500 * RT_US;
        atomic_store(&t->round, i);
        int rc = rtWaiterPark(&w, t->deadline, NULL, NULL);
        int64_t limit = rtNanotime() + 10 * SEC;
        while (atomic_load(&t->wokeRound) != i) {   /* pair the waker's result */
            if (rtNanotime() > limit || t->wakerTimedOut) { t->badRc++; goto out; }
            rtYield();
        }
        int ok = atomic_load(&t->wakeOk);
        if (rc == 0) t->woken++;
        else if (rc == RT_ETIMEOUT) t->timedOut++;
        else t->badRc++;
        if ((rc == 0) != (ok == 1) || (rc != 0 && rc != RT_ETIMEOUT)) {
            if (t->mismatches++ == 0) {
                t->firstMismatch = i; t->firstRc = rc; t->firstWake = ok;
            }
        }
    }
out:
    pthread_join(th, NULL);
}

Test(sched, exactly_one_of_a_wake_and_a_deadline_ends_a_wait_1000_times_out_of_1000,
     .timeout = 60) {
    static raceTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(2, raceMain, &t);
    cr_log_info("wake won %d times, deadline won %d times", t.woken, t.timedOut);
    cr_assert(!t.wakerTimedOut, "the waker thread timed out");
    cr_assert_eq(t.badRc, 0, "%d rounds returned neither 0 nor RT_ETIMEOUT", t.badRc);
    cr_assert_eq(t.mismatches, 0,
                 "%d rounds broke the rule; first: round %d, park rc %d, wake returned %d",
                 t.mismatches, t.firstMismatch, t.firstRc, t.firstWake);
    cr_assert_eq(t.woken + t.timedOut, RACE_ROUNDS);
}

/* ---- preemption requests ------------------------------------------------- */

#define PREEMPT_ROUNDS 3

typedef struct preemptTest {
    int64_t after[PREEMPT_ROUNDS];      /* spin time until the request came */
    bool stillAfterYield[PREEMPT_ROUNDS];
    bool initiallySet;
    _Atomic int done;
    rtStats before, end;
} preemptTest;

static void spinner(void *a) {
    preemptTest *t = a;
    /* A G run from runnext (as a new or readied G is) inherits the time slice
     * of the G that made it runnable, as in Go; yield once so that the spin
     * below starts a slice of its own. */
    rtYield();
    t->initiallySet = rtPreemptRequested();
    for (int r = 0; r < PREEMPT_ROUNDS; r++) {
        int64_t t0 = rtNanotime(), now = t0;
        while (!rtPreemptRequested() && (now = rtNanotime()) - t0 < 2 * SEC) {}
        t->after[r] = rtNanotime() - t0;
        rtMaybeYield();
        t->stillAfterYield[r] = rtPreemptRequested();
    }
    atomic_store(&t->done, 1);
}

static void preemptMain(void *a) {
    preemptTest *t = a;
    rtGetStats(&t->before);
    rtGo(spinner, t);
    int64_t limit = rtNanotime() + 15 * SEC;
    while (!atomic_load(&t->done) && rtNanotime() < limit)
        rtSleep(5 * RT_MS);
    rtGetStats(&t->end);
}

Test(sched, sysmon_asks_a_coroutine_that_runs_10ms_without_yielding_to_yield,
     .timeout = 60) {
    static preemptTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(1, preemptMain, &t);
    cr_assert_eq(atomic_load(&t.done), 1);
    cr_assert(!t.initiallySet, "a fresh G already had a preemption request");
    for (int r = 0; r < PREEMPT_ROUNDS; r++) {
        cr_log_info("round %d: preemption requested after %.2f ms", r, t.after[r] / 1e6);
        /* sysmon needs two looks 10 ms apart at the same schedtick; the G's
         * slice began a few microseconds before its t0 */
        cr_assert_geq(t.after[r], 9900 * RT_US, "round %d: requested after only %.3f ms", r,
                      t.after[r] / 1e6);
        cr_assert_leq(t.after[r], 100 * RT_MS, "round %d: requested after %.1f ms", r,
                      t.after[r] / 1e6);
        cr_assert(!t.stillAfterYield[r], "round %d: the request survived rtMaybeYield", r);
    }
    cr_assert_geq(t.end.preemptRequests - t.before.preemptRequests, PREEMPT_ROUNDS,
                  "preemptRequests grew by %llu", (unsigned long long)(t.end.preemptRequests -
                                                                       t.before.preemptRequests));
}

/* ---- stop the world ------------------------------------------------------ */

#define STW_GS 6

typedef struct stwTest {
    _Atomic int stop;
    _Atomic int done;
    _Atomic long count[STW_GS];
    long beforeStop[STW_GS], atStop[STW_GS], afterWait[STW_GS], afterStart[STW_GS];
    int64_t stopTook;
    bool movedAgain;
} stwTest;

typedef struct stwG { stwTest *t; int i; } stwG;

static void stwBusy(void *a) {
    stwG *s = a;
    int64_t selfLimit = rtNanotime() + 10 * SEC;
    while (!atomic_load(&s->t->stop) && rtNanotime() < selfLimit) {
        /* count continuously, so any moment this G runs shows */
        int64_t end = rtNanotime() + 200 * RT_US;
        while (rtNanotime() < end)
            atomic_fetch_add_explicit(&s->t->count[s->i], 1, memory_order_relaxed);
        rtMaybeYield();
    }
    atomic_fetch_add(&s->t->done, 1);
}

static void snapshot(stwTest *t, long *out) {
    for (int i = 0; i < STW_GS; i++) out[i] = atomic_load(&t->count[i]);
}

static void stwMain(void *a) {
    stwTest *t = a;
    static stwG gs[STW_GS];
    for (int i = 0; i < STW_GS; i++) {
        gs[i] = (stwG){ t, i };
        rtGo(stwBusy, &gs[i]);
    }
    /* let every busy G run (and be preempted, queued, resumed) for a while */
    int64_t limit = rtNanotime() + 3 * SEC;
    bool allRan;
    do {
        rtSleep(20 * RT_MS);
        snapshot(t, t->beforeStop);
        allRan = true;
        for (int i = 0; i < STW_GS; i++) if (t->beforeStop[i] == 0) allRan = false;
    } while (!allRan && rtNanotime() < limit);
    int64_t t0 = rtNanotime();
    rtStopTheWorld();
    t->stopTook = rtNanotime() - t0;
    snapshot(t, t->atStop);
    int64_t until = rtNanotime() + 50 * RT_MS;   /* no parking while stopped */
    while (rtNanotime() < until) {}
    snapshot(t, t->afterWait);
    rtStartTheWorld();
    limit = rtNanotime() + 3 * SEC;
    do {
        rtSleep(10 * RT_MS);
        snapshot(t, t->afterStart);
        t->movedAgain = true;
        for (int i = 0; i < STW_GS; i++)
            if (t->afterStart[i] <= t->afterWait[i]) t->movedAgain = false;
    } while (!t->movedAgain && rtNanotime() < limit);
    atomic_store(&t->stop, 1);
    limit = rtNanotime() + 10 * SEC;
    while (atomic_load(&t->done) < STW_GS && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

Test(sched, stop_the_world_freezes_every_other_coroutine_until_start_the_world,
     .timeout = 60) {
    static stwTest t;
    memset(&t, 0, sizeof t);
    rtTestRun(4, stwMain, &t);
    cr_log_info("stop the world took %.3f ms", t.stopTook / 1e6);
    for (int i = 0; i < STW_GS; i++)
        cr_assert_gt(t.beforeStop[i], 0, "busy G %d never ran in the 3 s before the stop", i);
    for (int i = 0; i < STW_GS; i++)
        cr_assert_eq(t.afterWait[i], t.atStop[i],
                     "busy G %d ran while the world was stopped: %ld -> %ld", i, t.atStop[i],
                     t.afterWait[i]);
    cr_assert(t.movedAgain, "not every busy G ran again within 3 s of rtStartTheWorld");
    cr_assert_lt(t.stopTook, 1 * SEC, "rtStopTheWorld took %.1f ms", t.stopTook / 1e6);
    cr_assert_eq(atomic_load(&t.done), STW_GS);
}

/* The same promise for the very first G, which runs from the start of the
 * runtime: sysmon must not treat its first look at a P as an old one. */
static void firstSpins(void *a) {
    int64_t *after = a;
    int64_t t0 = rtNanotime();
    while (!rtPreemptRequested() && rtNanotime() - t0 < 2 * SEC) {}
    *after = rtNanotime() - t0;
}

Test(sched, the_first_coroutine_is_not_asked_to_yield_before_it_has_run_10ms,
     .timeout = 60) {
    int64_t after = 0;
    rtTestRun(1, firstSpins, &after);
    cr_log_info("the first G got a preemption request after %.3f ms", after / 1e6);
    cr_assert_geq(after, 9900 * RT_US, "the first G was asked to yield after only %.3f ms",
                  after / 1e6);
    cr_assert_leq(after, 100 * RT_MS, "requested only after %.1f ms", after / 1e6);
}
