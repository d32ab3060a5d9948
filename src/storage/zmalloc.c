/* zmalloc.c — jemalloc with exact per-thread accounting (see zmalloc.h).
 *
 * Counters: each thread gets a zcounter on first use, linked into a global
 * list that is never freed (threads are few and long-lived: the runtime's Ms
 * and sysmon). The counter is a relaxed atomic so the summing reader is not
 * a data race. These functions are not inlined into callers, so a caller
 * running on a coroutine never caches this thread's counter address across
 * a park (HACKING.md, thread migration).
 */
#include "storage/zmalloc.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ZMALLOC_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(ZMALLOC_SANITIZER)
/* Sanitizer builds use libc malloc, which the sanitizers intercept, so every
 * heap block stays checked (Redis builds MALLOC=libc for the same reason). */
#include <malloc.h>
#define mallocx(n, f) ((f) ? calloc(1, (n)) : malloc(n))
#define MALLOCX_ZERO 1
#define sallocx(p, f) malloc_usable_size(p)
#define rallocx(p, n, f) realloc((p), (n))
#define dallocx(p, f) free(p)
#define sdallocx(p, n, f) free(p)
#define nallocx(n, f) (n)
#define mallctl(...) (-1)
#define ZMALLOC_LIBC 1
#else
#include <jemalloc/jemalloc.h>
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct zcounter {
    _Atomic long long used;      /* bytes this thread allocated minus freed */
    struct zcounter *next;       /* global list; written once under listLock */
} zcounter;

static _Thread_local zcounter *myCounter;
static zcounter *_Atomic counters;
static pthread_mutex_t listLock = PTHREAD_MUTEX_INITIALIZER;

static zcounter *counterGet(void) {
    zcounter *c = myCounter;
    if (__builtin_expect(c != NULL, 1)) return c;
    c = calloc(1, sizeof *c);
    if (!c) abort();
    pthread_mutex_lock(&listLock);
    c->next = atomic_load(&counters);
    atomic_store(&counters, c);
    pthread_mutex_unlock(&listLock);
    myCounter = c;
    return c;
}

static void account(long long delta) {
    zcounter *c = counterGet();
    atomic_store_explicit(&c->used, atomic_load_explicit(&c->used, memory_order_relaxed) + delta,
                          memory_order_relaxed);
}

__attribute__((noreturn, cold)) static void zoom(size_t size) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", size);
    fflush(stderr);
    abort();
}

void *zmalloc(size_t size) {
    if (size == 0) size = 1;
    void *p = mallocx(size, 0);
    if (!p) zoom(size);
    account((long long)sallocx(p, 0));
    return p;
}

void *zcalloc(size_t size) {
    if (size == 0) size = 1;
    void *p = mallocx(size, MALLOCX_ZERO);
    if (!p) zoom(size);
    account((long long)sallocx(p, 0));
    return p;
}

void *zrealloc(void *ptr, size_t size) {
    if (!ptr) return zmalloc(size);
    if (size == 0) size = 1;
    size_t old = sallocx(ptr, 0);
    void *p = rallocx(ptr, size, 0);
    if (!p) zoom(size);
    account((long long)sallocx(p, 0) - (long long)old);
    return p;
}

void zfree(void *ptr) {
    if (!ptr) return;
    account(-(long long)sallocx(ptr, 0));
    dallocx(ptr, 0);
}

void zfreeSized(void *ptr, size_t size) {
    if (!ptr) return;
    if (size == 0) size = 1;
#ifdef ZMALLOC_LIBC
    size = sallocx(ptr, 0);
#endif
    account(-(long long)nallocx(size, 0));
    sdallocx(ptr, size, 0);
}

char *zstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(zmalloc(n), s, n);
}

void *zmemdup(const void *p, size_t n) {
    return memcpy(zmalloc(n ? n : 1), p, n);
}

size_t zmallocSize(const void *ptr) { return sallocx((void *)ptr, 0); }
size_t zmallocUsable(size_t size) { return nallocx(size ? size : 1, 0); }

size_t zmallocUsedMemory(void) {
    long long sum = 0;
    for (zcounter *c = atomic_load(&counters); c; c = c->next)
        sum += atomic_load_explicit(&c->used, memory_order_relaxed);
    return sum < 0 ? 0 : (size_t)sum;
}

void zmallocGetInfo(zmallocInfo *info) {
    memset(info, 0, sizeof *info);
    uint64_t epoch = 1;
    size_t sz = sizeof epoch;
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    sz = sizeof(size_t);
    mallctl("stats.allocated", &info->allocated, &sz, NULL, 0);
    mallctl("stats.active", &info->active, &sz, NULL, 0);
    mallctl("stats.resident", &info->resident, &sz, NULL, 0);
    mallctl("stats.mapped", &info->mapped, &sz, NULL, 0);
    mallctl("stats.retained", &info->retained, &sz, NULL, 0);
}

size_t zmallocRss(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, rss = 0;
    int n = fscanf(f, "%lu %lu", &size, &rss);
    fclose(f);
    return n == 2 ? rss * (size_t)sysconf(_SC_PAGESIZE) : 0;
}
