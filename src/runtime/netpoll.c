/* netpoll.c — pollDescs: the per-fd wait state between Gs and the poller.
 *
 * This is Go's netpoll.go (see docs/runtime-brief.md §1, §4, §5). The
 * backend (netpoll_epoll.c) implements the five functions listed in
 * runtime.h; this file holds everything that does not depend on epoll.
 *
 * rg / wg are binary semaphores, one per direction, with values
 *   pdNil   no notification, nobody waiting
 *   pdReady an I/O notification is pending (a token for the next waiter)
 *   pdWait  a G is about to park (set by netpollblock, before the switch)
 *   G*      that G is parked (set by netpollblockcommit, on g0)
 * Transitions (brief §1 table):
 *   pdNil  → pdWait   netpollblock       pdReady → pdNil  netpollblock (consume)
 *   pdWait → G        commit on g0       pdWait  → pdReady/pdNil  unblock (commit then fails)
 *   G      → pdReady/pdNil, G readied    pdNil   → pdReady  I/O with nobody waiting
 * Timeouts and close never leave a pdReady token: waiters check the info
 * word before parking instead.
 *
 * The Dekker pair: a waiter stores pdWait and then loads info; closers and
 * deadline code store info (publishInfo) and then load/CAS rg/wg. All of
 * these are seq_cst, so one side always sees the other.
 *
 * pollDescs live in never-freed blocks (the pollcache); an epoll event may
 * name a pd long after its fd was closed. Events carry (index, fdseq); a
 * free bumps fdseq, so stale events are dropped (netpoll_epoll.c) and stale
 * EPOLLERR cannot poison a reused pd (setEventErr compares fdseq). Timer
 * callbacks carry rseq/wseq, checked under pd->lock.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PD_PER_BLOCK 64
#define PD_MAX_BLOCKS 16384

static rtMutex pollcacheLock;
static pollDesc *pollcacheFirst;                 /* free list; under pollcacheLock */
static pollDesc *pdBlocks[PD_MAX_BLOCKS];        /* written once before pdNBlocks */
static _Atomic uint32_t pdNBlocks;
static _Atomic uint32_t netpollWaiters;          /* Gs committed to the poller (a hint) */

void timerModifyFn(rtTimer *t, int64_t when, rtTimerFn f, void *arg, uint64_t seq);

void netpollGenericInit(void) {}

pollDesc *pollDescByIndex(uint32_t index) {
    uint32_t b = index / PD_PER_BLOCK;
    if (b >= atomic_load_explicit(&pdNBlocks, memory_order_acquire)) return NULL;
    return &pdBlocks[b][index % PD_PER_BLOCK];
}

static pollDesc *pollcacheAlloc(void) {
    mutexLock(&pollcacheLock);
    if (!pollcacheFirst) {
        uint32_t b = atomic_load(&pdNBlocks);
        if (b == PD_MAX_BLOCKS) rtThrow("runtime: too many pollDescs");
        pollDesc *blk = mmap(NULL, PD_PER_BLOCK * sizeof(pollDesc), PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (blk == MAP_FAILED) rtThrow("runtime: out of memory for pollDescs");
        for (int i = PD_PER_BLOCK - 1; i >= 0; i--) {
            blk[i].index = b * PD_PER_BLOCK + (uint32_t)i;
            blk[i].link = pollcacheFirst;
            pollcacheFirst = &blk[i];
        }
        pdBlocks[b] = blk;
        atomic_store_explicit(&pdNBlocks, b + 1, memory_order_release);
    }
    pollDesc *pd = pollcacheFirst;
    pollcacheFirst = pd->link;
    mutexUnlock(&pollcacheLock);
    return pd;
}

static void pollcacheFree(pollDesc *pd) {
    mutexLock(&pollcacheLock);
    uint32_t seq = (atomic_load(&pd->fdseq) + 1) & pollFDSeqMask;
    atomic_store(&pd->fdseq, seq ? seq : 1);
    pd->link = pollcacheFirst;
    pollcacheFirst = pd;
    mutexUnlock(&pollcacheLock);
}

/* publishInfo rebuilds the atomic info word from the fields under pd->lock,
 * keeping eventErr. Call with pd->lock held, before any netpollunblock. */
static void publishInfo(pollDesc *pd) {
    uint32_t info = 0;
    if (pd->closing) info |= pollClosing;
    if (pd->rd < 0) info |= pollExpiredReadDeadline;
    if (pd->wd < 0) info |= pollExpiredWriteDeadline;
    info |= (atomic_load(&pd->fdseq) & pollFDSeqMask) << pollFDSeqShift;
    uint32_t x = atomic_load(&pd->info);
    while (!atomic_compare_exchange_weak(&pd->info, &x, (x & pollEventErr) | info)) {}
}

void setEventErr(pollDesc *pd, bool b, uint32_t seq) {
    uint32_t x = atomic_load(&pd->info);
    for (;;) {
        if (((x >> pollFDSeqShift) & pollFDSeqMask) != (seq & pollFDSeqMask)) return;
        if (((x & pollEventErr) != 0) == b) return;
        if (atomic_compare_exchange_weak(&pd->info, &x, x ^ pollEventErr)) return;
    }
}

int netpollcheckerr(pollDesc *pd, int mode) {
    uint32_t info = atomic_load(&pd->info);
    if (info & pollClosing) return pollErrClosing;
    if ((mode == 'r' && (info & pollExpiredReadDeadline)) ||
        (mode == 'w' && (info & pollExpiredWriteDeadline)))
        return pollErrTimeout;
    if (mode == 'r' && (info & pollEventErr)) return pollErrNotPollable;
    return pollNoError;
}

bool netpollAnyWaiters(void) { return atomic_load(&netpollWaiters) > 0; }

void netpollAdjustWaiters(int delta) {
    if (delta != 0) atomic_fetch_add(&netpollWaiters, (uint32_t)delta);
}

pollDesc *pollOpen(int fd, int *err) {
    pollDesc *pd = pollcacheAlloc();
    mutexLock(&pd->lock);
    uintptr_t rg = atomic_load(&pd->rg), wg = atomic_load(&pd->wg);
    if (rg > pdReady || wg > pdReady)
        rtThrow("runtime: blocked read or write on free polldesc");
    pd->fd = fd;
    if (atomic_load(&pd->fdseq) == 0) atomic_store(&pd->fdseq, 1);
    pd->closing = false;
    atomic_store(&pd->info, 0);
    pd->rseq++;
    pd->wseq++;
    atomic_store(&pd->rg, pdNil);
    atomic_store(&pd->wg, pdNil);
    atomic_store(&pd->wakeReq, 0);
    atomic_store(&pd->hup, 0);
    pd->rd = pd->wd = 0;
    pd->rrun = pd->wrun = false;
    publishInfo(pd);
    mutexUnlock(&pd->lock);
    int e = netpollOpen(fd, pd);
    if (e != 0) {
        pollcacheFree(pd);
        if (err) *err = e;
        return NULL;
    }
    return pd;
}

void pollClose(pollDesc *pd) {
    if (!pd->closing) rtThrow("runtime: close polldesc w/o unblock");
    if (atomic_load(&pd->wg) > pdReady) rtThrow("runtime: blocked write on closing polldesc");
    if (atomic_load(&pd->rg) > pdReady) rtThrow("runtime: blocked read on closing polldesc");
    netpollClose(pd->fd);
    pollcacheFree(pd);
}

/* ---- blocking and unblocking ------------------------------------------------ */

static _Atomic uintptr_t *gppOf(pollDesc *pd, int mode) {
    return mode == 'w' ? &pd->wg : &pd->rg;
}

static bool netpollblockcommit(rtG *g, void *arg) {
    _Atomic uintptr_t *gpp = arg;
    uintptr_t w = pdWait;
    bool ok = atomic_compare_exchange_strong(gpp, &w, (uintptr_t)g);
    if (ok) atomic_fetch_add(&netpollWaiters, 1);
    return ok;
}

/* netpollblock returns true if I/O is ready, false on timeout or close.
 * waitio: wait only for completed I/O, ignore errors. May park. */
static bool netpollblock(pollDesc *pd, int mode, bool waitio) {
    _Atomic uintptr_t *gpp = gppOf(pd, mode);
    for (;;) {
        uintptr_t v = pdReady;
        if (atomic_compare_exchange_strong(gpp, &v, pdNil)) return true;
        v = pdNil;
        if (atomic_compare_exchange_strong(gpp, &v, pdWait)) break;
        v = atomic_load(gpp);
        if (v != pdReady && v != pdNil) rtThrow("runtime: double wait");
    }
    /* the seq_cst store of pdWait above pairs with publishInfo's store */
    if (waitio || netpollcheckerr(pd, mode) == pollNoError)
        rtPark(netpollblockcommit, (void *)gpp);
    uintptr_t old = atomic_exchange(gpp, pdNil);
    if (old > pdWait) rtThrow("runtime: corrupted polldesc");
    return old == pdReady;
}

/* netpollunblock moves gpp out of pdWait/G; returns the G to ready, if any.
 * ioready: leave a pdReady token; otherwise (timeout, close) leave pdNil. */
static rtG *netpollunblock(pollDesc *pd, int mode, bool ioready, int *delta) {
    _Atomic uintptr_t *gpp = gppOf(pd, mode);
    for (;;) {
        uintptr_t old = atomic_load(gpp);
        if (old == pdReady) return NULL;
        if (old == pdNil && !ioready) return NULL;
        uintptr_t nv = ioready ? pdReady : pdNil;
        if (atomic_compare_exchange_strong(gpp, &old, nv)) {
            if (old == pdWait) old = pdNil;
            else if (old != pdNil) (*delta)--;
            return (rtG *)old;
        }
    }
}

int netpollready(gList *l, pollDesc *pd, int mode) {
    int delta = 0;
    rtG *rg = NULL, *wg = NULL;
    if (mode == 'r' || mode == 'r' + 'w') rg = netpollunblock(pd, 'r', true, &delta);
    if (mode == 'w' || mode == 'r' + 'w') wg = netpollunblock(pd, 'w', true, &delta);
    if (rg) gListPush(l, rg);
    if (wg) gListPush(l, wg);
    return delta;
}

int pollReset(pollDesc *pd, int mode) {
    int err = netpollcheckerr(pd, mode);
    if (err != pollNoError) return err;
    atomic_store(gppOf(pd, mode), pdNil);
    return pollNoError;
}

int pollWait(pollDesc *pd, int mode) {
    int err = netpollcheckerr(pd, mode);
    if (err != pollNoError) return err;
    while (!netpollblock(pd, mode, false)) {
        err = netpollcheckerr(pd, mode);
        if (err != pollNoError) return err;
        /* a timeout fired and was reset before we ran: wait again */
    }
    return pollNoError;
}

static void readyPair(rtG *rg, rtG *wg, int delta) {
    if (rg) rtReady(rg);
    if (wg) rtReady(wg);
    netpollAdjustWaiters(delta);
}

void pollWakeReader(pollDesc *pd) {
    atomic_store(&pd->wakeReq, 1);
    int delta = 0;
    rtG *g = netpollunblock(pd, 'r', true, &delta);
    readyPair(g, NULL, delta);
}

/* ---- deadlines ---------------------------------------------------------------- */

static void netpolldeadlineimpl(pollDesc *pd, uint64_t seq, bool rd, bool wr) {
    mutexLock(&pd->lock);
    uint64_t cur = rd ? pd->rseq : pd->wseq;
    if (seq != cur) {           /* the descriptor was reused or the timer reset */
        mutexUnlock(&pd->lock);
        return;
    }
    int delta = 0;
    rtG *rg = NULL, *wg = NULL;
    if (rd) {
        if (pd->rd <= 0 || !pd->rrun) rtThrow("runtime: inconsistent read deadline");
        pd->rd = -1;
        publishInfo(pd);
        rg = netpollunblock(pd, 'r', false, &delta);
    }
    if (wr) {
        if (pd->wd <= 0 || (!pd->wrun && !rd)) rtThrow("runtime: inconsistent write deadline");
        pd->wd = -1;
        publishInfo(pd);
        wg = netpollunblock(pd, 'w', false, &delta);
    }
    mutexUnlock(&pd->lock);
    readyPair(rg, wg, delta);
}

static void netpollDeadline(void *arg, uint64_t seq, int64_t d) { netpolldeadlineimpl(arg, seq, true, true); }
static void netpollReadDeadline(void *arg, uint64_t seq, int64_t d) { netpolldeadlineimpl(arg, seq, true, false); }
static void netpollWriteDeadline(void *arg, uint64_t seq, int64_t d) { netpolldeadlineimpl(arg, seq, false, true); }

/* pollSetDeadline: d = 0 none, > 0 absolute monotonic ns, < 0 expired. */
void pollSetDeadline(pollDesc *pd, int64_t d, int mode) {
    mutexLock(&pd->lock);
    if (pd->closing) {
        mutexUnlock(&pd->lock);
        return;
    }
    int64_t rd0 = pd->rd, wd0 = pd->wd;
    bool combo0 = rd0 > 0 && rd0 == wd0;
    if (mode == 'r' || mode == 'r' + 'w') pd->rd = d;
    if (mode == 'w' || mode == 'r' + 'w') pd->wd = d;
    publishInfo(pd);
    bool combo = pd->rd > 0 && pd->rd == pd->wd;
    rtTimerFn rtf = combo ? netpollDeadline : netpollReadDeadline;
    if (!pd->rrun) {
        if (pd->rd > 0) {
            timerModifyFn(&pd->rt, pd->rd, rtf, pd, pd->rseq);
            pd->rrun = true;
        }
    } else if (pd->rd != rd0 || combo != combo0) {
        pd->rseq++;                 /* invalidate a firing in flight */
        if (pd->rd > 0) {
            timerModifyFn(&pd->rt, pd->rd, rtf, pd, pd->rseq);
        } else {
            rtTimerStop(&pd->rt);
            pd->rrun = false;
        }
    }
    if (!pd->wrun) {
        if (pd->wd > 0 && !combo) {
            timerModifyFn(&pd->wt, pd->wd, netpollWriteDeadline, pd, pd->wseq);
            pd->wrun = true;
        }
    } else if (pd->wd != wd0 || combo != combo0) {
        pd->wseq++;
        if (pd->wd > 0 && !combo) {
            timerModifyFn(&pd->wt, pd->wd, netpollWriteDeadline, pd, pd->wseq);
        } else {
            rtTimerStop(&pd->wt);
            pd->wrun = false;
        }
    }
    int delta = 0;
    rtG *rg = NULL, *wg = NULL;
    if (pd->rd < 0) rg = netpollunblock(pd, 'r', false, &delta);
    if (pd->wd < 0) wg = netpollunblock(pd, 'w', false, &delta);
    mutexUnlock(&pd->lock);
    readyPair(rg, wg, delta);
}

/* pollUnblock (Go's evict): mark closing, kill the deadline timers, and
 * wake both waiters with the closing error. Idempotent. */
void pollUnblock(pollDesc *pd) {
    mutexLock(&pd->lock);
    if (pd->closing) {
        mutexUnlock(&pd->lock);
        return;
    }
    pd->closing = true;
    pd->rseq++;
    pd->wseq++;
    publishInfo(pd);
    int delta = 0;
    rtG *rg = netpollunblock(pd, 'r', false, &delta);
    rtG *wg = netpollunblock(pd, 'w', false, &delta);
    if (pd->rrun) { rtTimerStop(&pd->rt); pd->rrun = false; }
    if (pd->wrun) { rtTimerStop(&pd->wt); pd->wrun = false; }
    mutexUnlock(&pd->lock);
    readyPair(rg, wg, delta);
}
