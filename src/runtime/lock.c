/* lock.c — futex mutexes and notes, the runtime's only thread blocking.
 *
 * rtMutex (Drepper's "futexes are tricky", mutex 2): key 0 = unlocked,
 * 1 = locked, 2 = locked and someone may sleep in futex_wait. Lock spins a
 * little before sleeping; unlock wakes one sleeper only when the key was 2.
 * These locks guard short critical sections only; they are never held across
 * a context switch, so blocking the thread here never blocks a coroutine that
 * could release the lock.
 *
 * rtNote (Go's note): key 0 = armed, 1 = woken. noteSleep blocks the thread
 * until noteWakeup has been called since the last noteClear. One sleeper and
 * one waker per arming. Used to park idle Ms, sysmon, and stop-the-world.
 *
 * Every operation on the key is a C11 atomic, so ThreadSanitizer sees the
 * happens-before edges (the futex syscall itself carries none).
 */
#include "runtime.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void futexWait(_Atomic uint32_t *addr, uint32_t val, const struct timespec *ts) {
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_PRIVATE, val, ts, NULL, 0);
}

static void futexWake(_Atomic uint32_t *addr, int n) {
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

static inline void cpuRelax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

void mutexLock(rtMutex *l) {
    uint32_t c = 0;
    if (RT_LIKELY(atomic_compare_exchange_strong_explicit(&l->key, &c, 1,
            memory_order_acquire, memory_order_relaxed)))
        return;
    for (int i = 0; i < 100; i++) {            /* brief spin: holders are short */
        cpuRelax();
        c = 0;
        if (atomic_load_explicit(&l->key, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&l->key, &c, 1,
                memory_order_acquire, memory_order_relaxed))
            return;
    }
    c = atomic_exchange_explicit(&l->key, 2, memory_order_acquire);
    while (c != 0) {
        futexWait(&l->key, 2, NULL);
        c = atomic_exchange_explicit(&l->key, 2, memory_order_acquire);
    }
}

void mutexUnlock(rtMutex *l) {
    uint32_t old = atomic_exchange_explicit(&l->key, 0, memory_order_release);
    rtAssert(old != 0, "runtime: unlock of unlocked mutex");
    if (old == 2)
        futexWake(&l->key, 1);
}

void noteClear(rtNote *n) {
    atomic_store_explicit(&n->key, 0, memory_order_relaxed);
}

void noteWakeup(rtNote *n) {
    uint32_t old = atomic_exchange_explicit(&n->key, 1, memory_order_release);
    rtAssert(old == 0, "runtime: double wakeup of note");
    futexWake(&n->key, 1);
}

void noteSleep(rtNote *n) {
    while (atomic_load_explicit(&n->key, memory_order_acquire) == 0)
        futexWait(&n->key, 0, NULL);
}

bool noteSleepFor(rtNote *n, int64_t ns) {
    int64_t deadline = rtNanotime() + ns;
    while (atomic_load_explicit(&n->key, memory_order_acquire) == 0) {
        int64_t left = deadline - rtNanotime();
        if (left <= 0)
            return false;
        struct timespec ts = { left / 1000000000, left % 1000000000 };
        futexWait(&n->key, 0, &ts);
    }
    return true;
}

/* the public face of rtMutex (rt.h): same layout, same code */
_Static_assert(sizeof(rtLock) == sizeof(rtMutex), "rtLock and rtMutex differ");
void rtLockAcquire(rtLock *l) { mutexLock((rtMutex *)l); }
void rtLockRelease(rtLock *l) { mutexUnlock((rtMutex *)l); }

bool rtLockTryAcquire(rtLock *l) {
    rtMutex *m = (rtMutex *)l;
    for (int i = 0; i < 100; i++) {            /* the same brief spin as mutexLock */
        uint32_t c = 0;
        if (atomic_load_explicit(&m->key, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&m->key, &c, 1,
                memory_order_acquire, memory_order_relaxed))
            return true;
        cpuRelax();
    }
    return false;
}
