/* cron.c — the server's periodic work, one G ticking `hz` times a second:
 *  - the LRU clock (seconds, 24 bits) that OBJECT IDLETIME and eviction read;
 *  - the active expire cycle: per shard, sample keys with an expire and
 *    delete the expired ones, repeating while more than 10% of a sample was
 *    expired, within a time budget of 25% of the tick (Redis's slow cycle);
 *    effort (active-expire-effort 1..10) scales samples and budget;
 *  - incremental rehashing of idle tables (activerehashing): 1 ms of work
 *    per tick, so a table that stops being written still finishes;
 *  - the instantaneous ops/sec and network samples INFO reports.
 * Each shard is locked only while it is worked on and the G yields between
 * shards, so clients on the same P are never held up for long. Both walks
 * enter the exclusive gate (gate.c) per shard and stop for this tick while
 * a script runs, so a script never sees a key vanish under it.
 */
#include "server/server.h"

#define KEYS_PER_LOOP 20
#define STATS_SAMPLES 16

typedef struct instSample {
    int64_t lastTimeMs;
    uint64_t lastValue;
    _Atomic uint64_t samples[STATS_SAMPLES]; /* read by INFO on other threads */
    int idx;
} instSample;

static instSample instOps, instNetIn, instNetOut;

static void trackInstantaneous(instSample *s, uint64_t now, int64_t nowms) {
    if (s->lastTimeMs) {
        int64_t dt = nowms - s->lastTimeMs;
        uint64_t ops = now - s->lastValue;
        s->samples[s->idx] = dt > 0 ? ops * 1000 / (uint64_t)dt : 0;
        s->idx = (s->idx + 1) % STATS_SAMPLES;
    }
    s->lastTimeMs = nowms;
    s->lastValue = now;
}

static uint64_t instAvg(const instSample *s) {
    uint64_t sum = 0;
    for (int i = 0; i < STATS_SAMPLES; i++) sum += s->samples[i];
    return sum / STATS_SAMPLES;
}

uint64_t cronInstantaneousOps(void) { return instAvg(&instOps); }
uint64_t cronInstantaneousNetIn(void) { return instAvg(&instNetIn); }
uint64_t cronInstantaneousNetOut(void) { return instAvg(&instNetOut); }

static void activeExpireCycle(int64_t budgetUs) {
    int effort = cfg.active_expire_effort > 0 ? cfg.active_expire_effort - 1 : 0;
    int perLoop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort;
    int64_t start = ustime();
    for (int db = 0; db < ks.ndb; db++) {
        for (int i = 0; i < ks.nshards; i++) {
            shard *s = ksShardAt(db, i);
            for (;;) {
                int sampled = 0, expired, slot;
                if (!gateTryShared(&slot)) return;   /* a script runs: not now */
                rtLockAcquire(&s->lock);
                expired = s->nexp ? dbActiveExpireShard(s, mstime(), perLoop, &sampled) : 0;
                rtLockRelease(&s->lock);
                gateLeaveShared(slot);
                if (sampled == 0 || expired * 10 <= sampled) break;
                if (ustime() - start > budgetUs) return;
            }
            rtMaybeYield();
        }
    }
}

static void rehashIdleTables(int64_t budgetUs) {
    int64_t start = ustime();
    for (int db = 0; db < ks.ndb; db++) {
        for (int i = 0; i < ks.nshards; i++) {
            shard *s = ksShardAt(db, i);
            int slot;
            if (!gateTryShared(&slot)) return;
            rtLockAcquire(&s->lock);
            if (s->table.rehashidx >= 0) kvtRehash(&s->table, 100);
            rtLockRelease(&s->lock);
            gateLeaveShared(slot);
            if (ustime() - start > budgetUs) return;
        }
    }
}

static void cronMain(void *arg) {
    (void)arg;
    for (;;) {
        int hz = cfg.hz > 0 ? cfg.hz : 10;
        int64_t tickUs = 1000000 / hz;
        rtSleep(tickUs * 1000);
        int64_t nowms = mstime();
        atomic_store_explicit(&ks.lruclock, (uint32_t)((nowms / 1000) & 0xFFFFFF), memory_order_relaxed);
        if (atomic_load(&server.activeExpireEnabled)) {
            int effort = cfg.active_expire_effort > 0 ? cfg.active_expire_effort - 1 : 0;
            activeExpireCycle(tickUs * (25 + 2 * effort) / 100);
        }
        if (cfg.activerehashing) rehashIdleTables(1000);
        trackInstantaneous(&instOps, hotStatGet(HSTAT_COMMANDS), nowms);
        trackInstantaneous(&instNetIn, hotStatGet(HSTAT_NET_IN), nowms);
        trackInstantaneous(&instNetOut, hotStatGet(HSTAT_NET_OUT), nowms);
    }
}

void cronStart(void) {
    atomic_store(&server.activeExpireEnabled, 1);
    atomic_store_explicit(&ks.lruclock, (uint32_t)((mstime() / 1000) & 0xFFFFFF), memory_order_relaxed);
    rtGo(cronMain, NULL);
}
