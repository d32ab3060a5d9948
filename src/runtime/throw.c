/* throw.c — fatal runtime errors, time, per-M randomness, G lists.
 *
 * rtThrow is the runtime's "broken invariant" tier: it prints the message and
 * a backtrace to stderr and aborts. It never returns and is never compiled
 * out; client and system errors never come here.
 */
#include "runtime.h"

#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

_Noreturn void rtThrow(const char *msg) {
    char buf[256];
    int n = snprintf(buf, sizeof buf, "fatal error: %s\n", msg);
    if (write(2, buf, (size_t)n) < 0) { /* nothing more to do */ }
    void *frames[64];
    int nf = backtrace(frames, 64);
    backtrace_symbols_fd(frames, nf, 2);
    abort();
}

int64_t rtNanotime(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t rtNanotimeRaw(void) { return rtNanotime(); }

uint64_t rtFastrand(void) {
    rtM *m = mcur();
    uint64_t x = m ? m->rand : (uint64_t)rtNanotime() | 1;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    if (m) m->rand = x;
    return x;
}

void gListPush(gList *l, struct rtG *g) {
    g->schedlink = NULL;
    if (l->tail) l->tail->schedlink = g; else l->head = g;
    l->tail = g;
    l->n++;
}

struct rtG *gListPop(gList *l) {
    struct rtG *g = l->head;
    if (!g) return NULL;
    l->head = g->schedlink;
    if (!l->head) l->tail = NULL;
    g->schedlink = NULL;
    l->n--;
    return g;
}

const char *rtStrerror(int err) {
    switch (err) {
    case RT_ECLOSING: return "use of closed network connection";
    case RT_ETIMEOUT: return "i/o timeout";
    case RT_EWOKEN:   return "woken";
    case RT_ENOTPOLL: return "not pollable";
    default:          return err < 0 ? strerror(-err) : "success";
    }
}
