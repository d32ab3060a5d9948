/* bench_runtime.c — micro-benchmarks of the runtime, and an echo server on it.
 *
 *   bench_runtime                        run every micro-benchmark, one line each
 *   bench_runtime yield|park1|park2|park-thread   run one of them
 *   bench_runtime echo-server PORT NPROCS          echo server until killed
 *
 * rtMain may be called once per process, and each benchmark wants its own
 * number of Ps, so with no argument the program forks one child per
 * benchmark (before any runtime exists) and waits for it. Each child arms a
 * 120 s alarm: a runtime that deadlocks shows up as "killed by signal 14"
 * instead of a hung benchmark.
 *
 * What is measured (wall time from rtNanotime, CPU time of the whole process
 * from CLOCK_PROCESS_CPUTIME_ID, which includes sysmon and idle Ms spinning):
 *
 *   yield        Two Gs on 1 P each call rtYield N times. One rtYield is: save
 *                the G's context, switch to g0 (the M's scheduler stack),
 *                requeue the G, pick the next one, switch into it. So the
 *                "per rtYield" figure is two stack switches plus one pass of
 *                the scheduler loop; "per switch" is simply half of it (the
 *                scheduler's work is split evenly between the two switches,
 *                it is not the cost of a bare register swap).
 *   park1        Two Gs on 1 P ping-pong through binary semaphores built on
 *                rtPark/rtReady: A parks (its commit publishes its rtG*), B
 *                readies A and parks itself, A readies B and parks, ... One
 *                cycle = one park -> rtReady -> resume.
 *   park2        The same with 2 Ps. Where each G runs is up to the
 *                scheduler (rtReady queues on the readier's P, an idle P may
 *                steal), so the line also reports how many handoffs crossed
 *                Ps and how many parks were avoided because the token was
 *                already posted when the waiter's commit ran.
 *   park-thread  1 P; one G parks, a plain pthread (not part of the runtime)
 *                spins until the G is parked, then calls rtReady. Every cycle
 *                is a real park followed by a wake-up from a foreign thread,
 *                so it includes waking the M if it went to sleep. The
 *                runtime's CPU figure excludes the spinning pthread.
 *
 * The echo server is one G per connection: rtFdRead, then rtFdWrite of what
 * was read. It prints nothing; the client lives in echo_client.c.
 */
#include "runtime/rt.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define YIELD_N       10000000L  /* rtYield calls per G (2 Gs) */
#define PARK_N        1000000L   /* park->ready->resume cycles, both Gs together */
#define PARK_THREAD_N 1000000L   /* cycles with a foreign-thread waker */
#define WARMUP_DIV    20         /* warm-up run = N / WARMUP_DIV */
#define CHILD_TIMEOUT 120        /* seconds before a benchmark child is killed */

/* ---- helpers -------------------------------------------------------------- */

static int64_t cpuNow(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void cpuRelax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static _Noreturn void die(const char *msg) {
    fprintf(stderr, "bench_runtime: %s\n", msg);
    abort();
}

/* ---- a binary semaphore on rtPark/rtReady ---------------------------------
 *
 * state: SEM_NIL (no token, nobody waiting), SEM_TOKEN (posted, not yet
 * taken) or the waiting G. One waiter and one poster at a time, and at most
 * one post per wait (the ping-pong guarantees it).
 *   semWait: take a token if there is one; otherwise park, and the commit
 *            (on g0, after the G is off its stack) publishes the G, unless a
 *            token arrived in between, in which case it refuses the park.
 *   semPost: NIL -> TOKEN, or G -> NIL and rtReady(G).
 * Counters belong to the waiter (its commit runs for it, before it resumes). */
#define SEM_NIL   ((uintptr_t)0)
#define SEM_TOKEN ((uintptr_t)1)

typedef struct benchSem {
    _Atomic uintptr_t state;     /* SEM_NIL, SEM_TOKEN or the parked rtG* */
    long waits;                  /* semWait calls; owned by the waiter */
    long fast;                   /* token taken without calling rtPark */
    long refused;                /* rtPark called but the commit refused */
} benchSem;

static bool semCommit(rtG *g, void *arg) {
    benchSem *s = arg;
    uintptr_t old = SEM_NIL;
    if (atomic_compare_exchange_strong(&s->state, &old, (uintptr_t)g))
        return true;
    if (old != SEM_TOKEN) die("semaphore: two waiters");
    atomic_store(&s->state, SEM_NIL);
    s->refused++;
    return false;
}

static void semWait(benchSem *s) {
    uintptr_t tok = SEM_TOKEN;
    s->waits++;
    if (atomic_compare_exchange_strong(&s->state, &tok, SEM_NIL)) {
        s->fast++;
        return;
    }
    rtPark(semCommit, s);
}

static void semPost(benchSem *s) {
    uintptr_t old = atomic_load(&s->state);
    for (;;) {
        if (old == SEM_TOKEN) die("semaphore: double post");
        uintptr_t next = old == SEM_NIL ? SEM_TOKEN : SEM_NIL;
        if (atomic_compare_exchange_weak(&s->state, &old, next)) break;
    }
    if (old != SEM_NIL) rtReady((rtG *)old);
}

/* Real parks among a semaphore's waits. */
static long semParks(const benchSem *s) { return s->waits - s->fast - s->refused; }

/* ---- measurement window --------------------------------------------------- */

typedef struct benchClock {
    int64_t wall, cpu;           /* at start, then elapsed after benchStop */
    rtStats st;                  /* at start, then the deltas that matter */
} benchClock;

static void benchStart(benchClock *c) {
    rtGetStats(&c->st);
    c->cpu = cpuNow(CLOCK_PROCESS_CPUTIME_ID);
    c->wall = rtNanotime();
}

static void benchStop(benchClock *c) {
    int64_t wall = rtNanotime(), cpu = cpuNow(CLOCK_PROCESS_CPUTIME_ID);
    rtStats now;
    rtGetStats(&now);
    c->wall = wall - c->wall;
    c->cpu = cpu - c->cpu;
    c->st.switches = now.switches - c->st.switches;
    c->st.steals = now.steals - c->st.steals;
    c->st.netpolls = now.netpolls - c->st.netpolls;
    c->st.netpollBreaks = now.netpollBreaks - c->st.netpollBreaks;
}

/* ---- yield: two Gs, 1 P ---------------------------------------------------- */

typedef struct yieldRun {
    long n;                      /* rtYield calls per G */
    _Atomic int left;            /* Gs still yielding */
    benchSem done;               /* posted by the last G to finish */
} yieldRun;

static void yielder(void *arg) {
    yieldRun *r = arg;
    for (long i = 0; i < r->n; i++) rtYield();
    if (atomic_fetch_sub(&r->left, 1) == 1) semPost(&r->done);
}

/* runYields runs two yielders for n yields each while the caller stays
 * parked (so only the two of them rotate on the run queue). */
static void runYields(long n) {
    yieldRun r = { .n = n, .left = 2 };
    rtGo(yielder, &r);
    rtGo(yielder, &r);
    semWait(&r.done);
}

static void benchYield(void *unused) {
    benchClock c;
    runYields(YIELD_N / WARMUP_DIV);
    benchStart(&c);
    runYields(YIELD_N);
    benchStop(&c);
    double yields = 2.0 * YIELD_N;
    printf("yield        1 P, 2 Gs, %ld rtYield each: %.1f ns per rtYield "
           "(G->g0->G), %.1f ns per switch (half); cpu %.1f ns per rtYield; "
           "rtStats switches %" PRIu64 " (expect ~%.0f)\n",
           YIELD_N, c.wall / yields, c.wall / yields / 2, c.cpu / yields,
           c.st.switches, yields);
}

/* ---- park ping-pong: two Gs ------------------------------------------------ */

typedef struct pingPong {
    long n;                      /* semWait calls per G */
    benchSem sem[2];             /* sem[i] is waited on by G i */
    _Atomic int poster[2];       /* P id of the last G to post sem[i] */
    long crossP[2];              /* G i resumed on another P than the poster's; owned by G i */
    _Atomic int left;            /* Gs still running */
    benchSem done;               /* posted by the last G to finish */
} pingPong;

static void pingPongWait(pingPong *pp, int me) {
    semWait(&pp->sem[me]);
    if (atomic_load_explicit(&pp->poster[me], memory_order_relaxed) != rtProcId())
        pp->crossP[me]++;
}

static void pingPongPost(pingPong *pp, int peer) {
    atomic_store_explicit(&pp->poster[peer], rtProcId(), memory_order_relaxed);
    semPost(&pp->sem[peer]);
}

static void pingPongExit(pingPong *pp) {
    if (atomic_fetch_sub(&pp->left, 1) == 1) semPost(&pp->done);
}

/* G 0: wait, then post the peer. */
static void pinger(void *arg) {
    pingPong *pp = arg;
    for (long i = 0; i < pp->n; i++) {
        pingPongWait(pp, 0);
        pingPongPost(pp, 1);
    }
    pingPongExit(pp);
}

/* G 1: post the peer, then wait. */
static void ponger(void *arg) {
    pingPong *pp = arg;
    for (long i = 0; i < pp->n; i++) {
        pingPongPost(pp, 0);
        pingPongWait(pp, 1);
    }
    pingPongExit(pp);
}

static void runPingPong(pingPong *pp, long cycles) {
    memset(pp, 0, sizeof *pp);
    pp->n = cycles / 2;
    pp->left = 2;
    rtGo(pinger, pp);
    rtGo(ponger, pp);
    semWait(&pp->done);
}

static void benchPark(void *unused) {
    static pingPong pp;          /* shared by Gs that may run on other Ms */
    benchClock c;
    int np = rtNumProcs();
    runPingPong(&pp, PARK_N / WARMUP_DIV);
    benchStart(&c);
    runPingPong(&pp, PARK_N);
    benchStop(&c);
    long waits = pp.sem[0].waits + pp.sem[1].waits;
    long parks = semParks(&pp.sem[0]) + semParks(&pp.sem[1]);
    long early = pp.sem[0].fast + pp.sem[1].fast + pp.sem[0].refused + pp.sem[1].refused;
    long cross = pp.crossP[0] + pp.crossP[1];
    printf("park%d        %d P%s, 2 Gs, %ld cycles: %.1f ns per park->ready->resume; "
           "cpu %.1f ns per cycle; %ld real parks, %ld token already posted, "
           "%ld resumed on another P than the readier's; steals %" PRIu64 "\n",
           np, np, np > 1 ? "s" : "", waits, (double)c.wall / waits,
           (double)c.cpu / waits, parks, early, cross, c.st.steals);
}

/* ---- park-thread: a G readied by a plain pthread --------------------------- */

typedef struct threadPong {
    long n;                      /* cycles */
    benchSem sem;                /* waited on by the G, posted by the pthread */
    int64_t threadCpu;           /* CPU ns used by the pthread; set before it exits */
    benchSem done;               /* the G posts it when it has done n waits */
} threadPong;

/* The pthread waits until the G is really parked (its commit published it),
 * then readies it: no cycle can take the token fast path. */
static void *threadWaker(void *arg) {
    threadPong *tp = arg;
    int64_t cpu0 = cpuNow(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < tp->n; i++) {
        while (atomic_load_explicit(&tp->sem.state, memory_order_acquire) <= SEM_TOKEN)
            cpuRelax();
        semPost(&tp->sem);
    }
    tp->threadCpu = cpuNow(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    return NULL;
}

static void threadParker(void *arg) {
    threadPong *tp = arg;
    for (long i = 0; i < tp->n; i++) semWait(&tp->sem);
    semPost(&tp->done);
}

static void runThreadPong(threadPong *tp, long n, benchClock *c) {
    pthread_t th;
    memset(tp, 0, sizeof *tp);
    tp->n = n;
    if (c) benchStart(c);
    rtGo(threadParker, tp);
    if (pthread_create(&th, NULL, threadWaker, tp) != 0) die("pthread_create failed");
    semWait(&tp->done);
    if (c) benchStop(c);
    pthread_join(th, NULL);
}

static void benchParkThread(void *unused) {
    static threadPong tp;
    benchClock c;
    runThreadPong(&tp, PARK_THREAD_N / WARMUP_DIV, NULL);
    runThreadPong(&tp, PARK_THREAD_N, &c);
    long parks = semParks(&tp.sem);
    printf("park-thread  1 P, 1 G + 1 pthread calling rtReady, %ld cycles: "
           "%.1f ns per park->ready->resume; runtime cpu %.1f ns per cycle "
           "(process cpu minus the spinning pthread); %ld real parks; "
           "netpoll breaks %" PRIu64 ", netpolls %" PRIu64 "\n",
           tp.n, (double)c.wall / tp.n, (double)(c.cpu - tp.threadCpu) / tp.n,
           parks, c.st.netpollBreaks, c.st.netpolls);
}

/* ---- echo server ---------------------------------------------------------- */

#define ECHO_BUF 16384

typedef struct echoOpts { int port; int rc; } echoOpts;

static void echoConn(void *arg) {
    rtFd *fd = arg;
    char buf[ECHO_BUF];
    int one = 1;
    setsockopt(rtFdSysfd(fd), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (;;) {
        ssize_t n = rtFdRead(fd, buf, sizeof buf);
        if (n <= 0) break;
        if (rtFdWrite(fd, buf, (size_t)n) < 0) break;
    }
    rtFdClose(fd);
}

static void echoAccept(void *arg) {
    echoOpts *o = arg;
    int err = 0;
    rtFd *ln = rtListenTCP("127.0.0.1", o->port, 1024, &err);
    if (!ln) {
        fprintf(stderr, "bench_runtime: listen 127.0.0.1:%d: %s\n", o->port, rtStrerror(err));
        o->rc = 1;
        rtShutdown();
        return;
    }
    for (;;) {
        rtFd *c = rtFdAccept(ln, NULL, NULL, &err);
        if (c) {
            rtGo(echoConn, c);
            continue;
        }
        fprintf(stderr, "bench_runtime: accept: %s\n", rtStrerror(err));
        if (err == RT_ECLOSING) break;
        rtSleep(10 * 1000000LL);
    }
    o->rc = 1;
    rtShutdown();
}

static int echoServerMain(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: bench_runtime echo-server PORT NPROCS\n");
        return 2;
    }
    echoOpts o = { .port = atoi(argv[2]), .rc = 0 };
    rtConfig cfg = { .nprocs = atoi(argv[3]), .stackSize = 0 };
    signal(SIGPIPE, SIG_IGN);
    if (rtMain(&cfg, echoAccept, &o) != 0) return 1;
    return o.rc;
}

/* ---- driver ---------------------------------------------------------------- */

typedef struct benchDef {
    const char *name;
    int nprocs;
    void (*fn)(void *);
} benchDef;

static const benchDef benches[] = {
    { "yield", 1, benchYield },
    { "park1", 1, benchPark },
    { "park2", 2, benchPark },
    { "park-thread", 1, benchParkThread },
};
#define NBENCH ((int)(sizeof benches / sizeof benches[0]))

static void benchTrampoline(void *arg) {
    const benchDef *b = arg;
    b->fn(NULL);
    fflush(stdout);
    rtShutdown();
}

static int runOne(const benchDef *b) {
    rtConfig cfg = { .nprocs = b->nprocs, .stackSize = 0 };
    alarm(CHILD_TIMEOUT);
    int rc = rtMain(&cfg, benchTrampoline, (void *)b);
    fflush(stdout);
    if (rc != 0) fprintf(stderr, "bench_runtime: %s: rtMain returned %d\n", b->name, rc);
    return rc != 0;
}

/* runForked runs b in a child process and reports how the child ended. */
static int runForked(const benchDef *b) {
    int status;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) { perror("bench_runtime: fork"); return 1; }
    if (pid == 0) _exit(runOne(b));
    if (waitpid(pid, &status, 0) < 0) { perror("bench_runtime: waitpid"); return 1; }
    if (WIFSIGNALED(status)) {
        printf("%-12s FAILED: killed by signal %d%s\n", b->name, WTERMSIG(status),
               WTERMSIG(status) == SIGALRM ? " (timeout: no result after 120 s)" : "");
        return 1;
    }
    if (WEXITSTATUS(status) != 0) {
        printf("%-12s FAILED: exit status %d\n", b->name, WEXITSTATUS(status));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "echo-server") == 0) return echoServerMain(argc, argv);
    if (argc == 2) {
        for (int i = 0; i < NBENCH; i++)
            if (strcmp(argv[1], benches[i].name) == 0) return runOne(&benches[i]);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: bench_runtime [yield|park1|park2|park-thread]\n"
                        "       bench_runtime echo-server PORT NPROCS\n");
        return 2;
    }
    int failed = 0;
    for (int i = 0; i < NBENCH; i++) failed += runForked(&benches[i]);
    return failed != 0;
}
