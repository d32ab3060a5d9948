/* stack.c — coroutine stacks, the signal stack, and overflow detection.
 *
 * Layout of one stack mapping (low addresses first):
 *
 *   +-----------+-------------------------------------------+
 *   | guard     | usable stack (grows down from the top)    |
 *   | PROT_NONE | PROT_READ|PROT_WRITE                      |
 *   +-----------+-------------------------------------------+
 *   map         lo                                          lo+size
 *
 * A G that overflows its stack touches the guard page and takes SIGSEGV,
 * which runs on the M's sigaltstack (the faulting stack is unusable), sees
 * the address in the running G's guard page, prints "coroutine stack
 * overflow" and aborts. Any other SIGSEGV is re-raised with the default
 * action.
 *
 * Pools: a P keeps up to 16 freed stacks (no lock); beyond that they go to a
 * global pool of at most 256 (under stackPoolLock); beyond that they are
 * unmapped. Pages a pooled stack has touched stay resident; that is the price
 * of not paying mmap + page faults on every connection.
 *
 * Limits: each stack is two VMAs (guard + usable), so vm.max_map_count
 * (65530 by default) bounds live stacks at about 32k. Stacks are taken
 * lazily when a G first runs, so only Gs that have run and not exited hold
 * one.
 */
#include "runtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef RT_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define STACK_POOL_MAX 256

static size_t stackSize = 64 * 1024;
static size_t pageSize = 4096;
static rtMutex stackPoolLock;
static rtStack stackPool[STACK_POOL_MAX];  /* under stackPoolLock */
static int stackPoolN;                     /* under stackPoolLock */

size_t stackSizeDefault(void) { return stackSize; }

void stackInit(size_t size) {
    pageSize = (size_t)sysconf(_SC_PAGESIZE);
    if (size == 0) size = 64 * 1024;
    if (size < 16 * 1024) size = 16 * 1024;
    stackSize = (size + pageSize - 1) & ~(pageSize - 1);
}

static rtStack stackMap(size_t size) {
    size_t total = size + pageSize;
    char *map = mmap(NULL, total, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) {
        perror("roost: mmap of a coroutine stack");
        rtThrow("runtime: out of memory for stacks");
    }
    if (mprotect(map, pageSize, PROT_NONE) != 0)
        rtThrow("runtime: mprotect of a stack guard page failed");
    return (rtStack){ map + pageSize, size, ctxFiberNew() };
}

static void stackUnmap(rtStack s) {
    ctxFiberFree(s.fiber);
    munmap((char *)s.lo - pageSize, s.size + pageSize);
}

rtStack stackAlloc(rtP *p) {
    if (p && p->stackCacheN > 0)
        return p->stackCache[--p->stackCacheN];
    mutexLock(&stackPoolLock);
    if (stackPoolN > 0) {
        rtStack s = stackPool[--stackPoolN];
        mutexUnlock(&stackPoolLock);
        return s;
    }
    mutexUnlock(&stackPoolLock);
    return stackMap(stackSize);
}

rtStack stackAllocSized(size_t size) {
    return stackMap((size + pageSize - 1) & ~(pageSize - 1));
}

void stackFreeSized(rtStack s) { stackUnmap(s); }

void stackFree(rtP *p, rtStack s) {
#ifdef RT_ASAN
    /* frames of the dead G may have left redzones poisoned */
    ASAN_UNPOISON_MEMORY_REGION(s.lo, s.size);
#endif
    if (p && p->stackCacheN < (int)(sizeof p->stackCache / sizeof p->stackCache[0])) {
        p->stackCache[p->stackCacheN++] = s;
        return;
    }
    mutexLock(&stackPoolLock);
    if (stackPoolN < STACK_POOL_MAX) {
        stackPool[stackPoolN++] = s;
        mutexUnlock(&stackPoolLock);
        return;
    }
    mutexUnlock(&stackPoolLock);
    stackUnmap(s);
}

bool stackIsGuard(const void *addr) {
    rtM *m = mcur();
    if (!m || !m->curg || !m->curg->stack.lo) return false;
    const char *lo = m->curg->stack.lo;
    return (const char *)addr >= lo - pageSize && (const char *)addr < lo;
}

static void segvHandler(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    if (stackIsGuard(si->si_addr)) {
        static const char msg[] = "fatal error: coroutine stack overflow (hit the guard page)\n";
        if (write(2, msg, sizeof msg - 1) < 0) { /* dying anyway */ }
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    signal(sig, SIG_DFL);  /* not ours: let the default action report it */
    raise(sig);
}

/* stackInstallSignals sets the SIGSEGV/SIGBUS handler once per process. */
void stackInstallSignals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segvHandler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

/* stackAltInstall gives the calling thread (an M) its own signal stack. */
void stackAltInstall(rtM *m) {
    size_t sz = 64 * 1024;
    long min = sysconf(_SC_MINSIGSTKSZ);
    if (min > 0 && (size_t)min * 4 > sz) sz = (size_t)min * 4;
    void *mem = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) rtThrow("runtime: cannot map a signal stack");
    stack_t ss = { .ss_sp = mem, .ss_size = sz, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) != 0) rtThrow("runtime: sigaltstack failed");
    m->altstack = mem;
}
