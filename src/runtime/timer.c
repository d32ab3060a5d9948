/* timer.c — per-P 4-ary timer heaps with lazy modification (Go 1.23 timers).
 *
 * Each P owns an rtTimers: a 4-ary min-heap of {timer, when} pairs under
 * ts->mu (parent (i-1)/4, children 4i+1..4i+4). The heap keeps its own copy
 * of `when`, so sifting needs no per-timer lock. A timer is in at most one
 * heap (t->ts, under t->mu).
 *
 * Lazy modification: rtTimerReset of a timer already in a heap only stores
 * the new time in t->when and sets t->modified; the heap copy is left alone.
 *  - moved later: the stale copy is earlier, so the heap wakes early, sees
 *    `modified` at the head, copies the real time and sifts it down. A
 *    deadline pushed back on every command therefore costs O(1).
 *  - moved earlier: the heap copy is too late, so ts->minWhenModified
 *    remembers the earliest such time; once the clock passes it, adjust()
 *    repairs every modified entry and re-heapifies (O(n), rare).
 * ts->minWhenHeap mirrors heap[0].when. The wake time of a heap is
 * min(minWhenHeap, minWhenModified), read lock-free by findRunnable, sysmon
 * and stealers.
 *
 * Whoever makes a timer the earliest of its heap, or moves one earlier,
 * calls wakeNetPoller(when) after dropping the locks, so a poller blocked
 * with a later timeout recomputes it.
 *
 * rtTimerStop removes the timer from its heap at once (O(log n)), so after
 * it returns no heap refers to the timer. A firing already under way (the
 * callback runs with no lock held) is not stopped: callbacks check seq.
 *
 * Lock order: ts->mu before t->mu. Callbacks run with neither held.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

#define tlock(t) mutexLock((rtMutex *)&(t)->mu)
#define tunlock(t) mutexUnlock((rtMutex *)&(t)->mu)

void timersInit(rtTimers *ts, rtP *p) {
    memset(ts, 0, sizeof *ts);
    ts->p = p;
}

int64_t timersWakeTime(rtTimers *ts) {
    int64_t next = atomic_load(&ts->minWhenModified);
    int64_t when = atomic_load(&ts->minWhenHeap);
    if (when == 0 || (next != 0 && next < when))
        when = next;
    return when;
}

/* ---- heap primitives (ts->mu held) ---------------------------------------- */

static void heapSet(rtTimers *ts, int i, timerWhen tw) {
    ts->heap[i] = tw;
    tw.t->idx = i;
}

static void siftUp(rtTimers *ts, int i) {
    timerWhen tw = ts->heap[i];
    while (i > 0) {
        int parent = (i - 1) / 4;
        if (tw.when >= ts->heap[parent].when) break;
        heapSet(ts, i, ts->heap[parent]);
        i = parent;
    }
    heapSet(ts, i, tw);
}

static void siftDown(rtTimers *ts, int i) {
    int n = ts->len;
    timerWhen tw = ts->heap[i];
    for (;;) {
        int c = 4 * i + 1;
        if (c >= n) break;
        int best = c;
        for (int k = c + 1; k < c + 4 && k < n; k++)
            if (ts->heap[k].when < ts->heap[best].when) best = k;
        if (ts->heap[best].when >= tw.when) break;
        heapSet(ts, i, ts->heap[best]);
        i = best;
    }
    heapSet(ts, i, tw);
}

static void heapPush(rtTimers *ts, rtTimer *t, int64_t when) {
    if (ts->len == ts->cap) {
        int cap = ts->cap ? ts->cap * 2 : 64;
        timerWhen *h = realloc(ts->heap, (size_t)cap * sizeof *h);
        if (!h) rtThrow("runtime: out of memory growing a timer heap");
        ts->heap = h;
        ts->cap = cap;
    }
    ts->heap[ts->len] = (timerWhen){ t, when };
    t->idx = ts->len;
    ts->len++;
    siftUp(ts, ts->len - 1);
}

static void heapRemove(rtTimers *ts, int i) {
    rtTimer *t = ts->heap[i].t;
    int last = --ts->len;
    if (i != last) {
        heapSet(ts, i, ts->heap[last]);
        siftDown(ts, i);
        siftUp(ts, i);
    }
    t->idx = -1;
}

static void updateMinWhenHeap(rtTimers *ts) {
    atomic_store(&ts->minWhenHeap, ts->len ? ts->heap[0].when : 0);
}

/* adjust copies the real time of every modified timer into the heap and
 * re-heapifies. Called when the clock has passed minWhenModified. */
static void adjust(rtTimers *ts) {
    atomic_store(&ts->minWhenModified, 0);
    bool changed = false;
    for (int i = 0; i < ts->len; i++) {
        rtTimer *t = ts->heap[i].t;
        tlock(t);
        if (t->modified) {
            ts->heap[i].when = t->when;
            t->modified = 0;
            changed = true;
        }
        tunlock(t);
    }
    if (changed)
        for (int i = (ts->len - 2) / 4; i >= 0; i--)
            siftDown(ts, i);
    updateMinWhenHeap(ts);
}

/* ---- public API ------------------------------------------------------------- */

void rtTimerInit(rtTimer *t, rtTimerFn f, void *arg) {
    memset(t, 0, sizeof *t);
    t->f = f;
    t->arg = arg;
    t->idx = -1;
}

static void atomicMin(_Atomic int64_t *x, int64_t v) {
    int64_t old = atomic_load(x);
    while ((old == 0 || v < old) && !atomic_compare_exchange_weak(x, &old, v)) {}
}

void rtTimerReset(rtTimer *t, int64_t when, uint64_t seq) {
    if (when <= 0) when = 1;   /* 0 means "none" in the heap's bookkeeping */
    tlock(t);
    t->seq = seq;
    rtTimers *ts = t->ts;
    if (ts) {
        int64_t old = t->when;
        t->when = when;
        t->modified = 1;
        if (when < old) atomicMin(&ts->minWhenModified, when);
        tunlock(t);
        if (when < old) wakeNetPoller(when);
        return;
    }
    t->when = when;
    tunlock(t);

    rtM *m = mcur();
    rtAssert(m && m->p, "runtime: timer armed without a P");
    ts = &m->p->timers;
    mutexLock(&ts->mu);
    tlock(t);
    bool first = false;
    if (!t->ts) {
        t->modified = 0;
        heapPush(ts, t, t->when);
        t->ts = ts;
        first = ts->heap[0].t == t;
        updateMinWhenHeap(ts);
    }
    tunlock(t);
    mutexUnlock(&ts->mu);
    if (first) wakeNetPoller(when);
}

bool rtTimerStop(rtTimer *t) {
    for (;;) {
        tlock(t);
        rtTimers *ts = t->ts;
        tunlock(t);
        if (!ts) return false;
        mutexLock(&ts->mu);
        tlock(t);
        if (t->ts == ts) {
            heapRemove(ts, t->idx);
            t->ts = NULL;
            t->modified = 0;
            updateMinWhenHeap(ts);
            tunlock(t);
            mutexUnlock(&ts->mu);
            return true;
        }
        tunlock(t);
        mutexUnlock(&ts->mu);
    }
}

/* timersCheck runs every timer of ts whose time has come. now == 0 reads the
 * clock only if needed. Returns the clock used; *next = next wake time. */
int64_t timersCheck(rtTimers *ts, int64_t now, int64_t *next) {
    int64_t wake = timersWakeTime(ts);
    if (wake == 0) { *next = 0; return now; }
    if (now == 0) now = rtNanotime();
    if (now < wake) { *next = wake; return now; }

    mutexLock(&ts->mu);
    int64_t mwm = atomic_load(&ts->minWhenModified);
    if (mwm != 0 && now >= mwm) adjust(ts);
    while (ts->len > 0) {
        timerWhen *h = &ts->heap[0];
        rtTimer *t = h->t;
        tlock(t);
        if (t->modified) {         /* stale copy at the head: repair, look again */
            h->when = t->when;
            t->modified = 0;
            tunlock(t);
            siftDown(ts, 0);
            continue;
        }
        if (t->when > now) { tunlock(t); break; }
        heapRemove(ts, 0);
        t->ts = NULL;
        rtTimerFn f = t->f;
        void *arg = t->arg;
        uint64_t seq = t->seq;
        int64_t delay = now - t->when;
        updateMinWhenHeap(ts);
        tunlock(t);
        mutexUnlock(&ts->mu);
        f(arg, seq, delay);
        atomic_fetch_add_explicit(&ts->p->nTimersRun, 1, memory_order_relaxed);
        mutexLock(&ts->mu);
    }
    updateMinWhenHeap(ts);
    mutexUnlock(&ts->mu);
    *next = timersWakeTime(ts);
    return now;
}

/* timerModifyFn re-arms t with a new callback (pollDesc: read vs combined). */
void timerModifyFn(rtTimer *t, int64_t when, rtTimerFn f, void *arg, uint64_t seq) {
    tlock(t);
    t->f = f;
    t->arg = arg;
    tunlock(t);
    rtTimerReset(t, when, seq);
}
