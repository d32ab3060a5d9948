/* zmalloc.h — the allocator every module above the runtime uses.
 *
 * jemalloc underneath (mallocx/sdallocx), with used_memory kept exact: every
 * allocation adds its real usable size (nallocx) to a per-thread counter and
 * every free subtracts it; zmallocUsedMemory() sums the counters. A block
 * allocated on one thread and freed on another leaves one counter high and
 * the other low; only the sum means anything.
 *
 * Out of memory is not an error the caller handles: zmalloc logs
 * "zmalloc: Out of memory trying to allocate N bytes" and aborts, so there
 * are no NULL checks after these calls.
 *
 * Sized free: zfreeSized(p, n) when the caller knows the requested size n
 * (cheaper: no size lookup); zfree(p) otherwise.
 */
#ifndef ROOST_ZMALLOC_H
#define ROOST_ZMALLOC_H

#include <stddef.h>

void *zmalloc(size_t size);
void *zcalloc(size_t size);
void *zrealloc(void *ptr, size_t size);
void zfree(void *ptr);
void zfreeSized(void *ptr, size_t size);
char *zstrdup(const char *s);
void *zmemdup(const void *p, size_t n);

/* zmallocSize: usable size of an allocation (>= what was asked). */
size_t zmallocSize(const void *ptr);
/* zmallocUsable: the usable size an allocation of `size` would get. */
size_t zmallocUsable(size_t size);

/* zmallocUsedMemory: bytes allocated and not freed, all threads. */
size_t zmallocUsedMemory(void);

/* zmallocStats fills the figures INFO memory reports (bytes); 0 if jemalloc
 * cannot tell. */
typedef struct zmallocInfo {
    size_t allocated, active, resident, mapped, retained;
} zmallocInfo;
void zmallocGetInfo(zmallocInfo *info);

/* zmallocRss: resident set size of the process, from /proc/self/statm. */
size_t zmallocRss(void);

#endif
