/* rt_test.h — shared helpers for the runtime's Criterion suites.
 *
 * Criterion runs every test in its own forked process, so each test may call
 * rtMain once. Test bodies run as Gs, on runtime threads and coroutine
 * stacks, where Criterion's fatal asserts (which longjmp) are not safe:
 * inside the runtime use RT_CHECK, which prints the failure and aborts the
 * test process (Criterion reports it as a crash, i.e. a failure), or
 * cr_expect, which only records the failure.
 */
#ifndef ROOST_RT_TEST_H
#define ROOST_RT_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "runtime/rt.h"

#define RT_CHECK(cond, ...) do {                                              \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__,  \
                    #cond);                                                   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

typedef struct rtTestMain { void (*fn)(void *); void *arg; } rtTestMain;

static void rtTestTrampoline(void *a) {
    rtTestMain *t = a;
    t->fn(t->arg);
    rtShutdown();
}

/* rtTestRun runs fn(arg) as the first G of a runtime with nprocs Ps and
 * returns when fn has returned (the runtime is shut down then). */
static inline void rtTestRun(int nprocs, void (*fn)(void *), void *arg) {
    rtTestMain t = { fn, arg };
    rtConfig cfg = { .nprocs = nprocs, .stackSize = 0 };
    cr_assert_eq(rtMain(&cfg, rtTestTrampoline, &t), 0);
}

#define RT_MS (1000000LL)
#define RT_US (1000LL)

#endif
