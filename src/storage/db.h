/* db.h — the sharded keyspace: databases, shards, lookups, expiry.
 *
 * Each logical database (SELECT 0..databases-1) is split into S shards
 * (S = a power of two >= 4 x threads, at least 4, at most 64: call() keeps
 * lock sets as 64-bit masks) by the top bits of the key's
 * hash. A shard owns its hash table, the vector of its keys that have an
 * expire, and a lock. A command locks the shards of all its keys in
 * ascending (db, shard) order, runs, unlocks (the server's call() does the
 * locking; everything in this header except the ks* walkers expects the
 * shard's lock to be held). Nothing parks while a shard lock is held.
 *
 * Expiry: a key with an expire keeps the unix-ms time in its kvobj and its
 * index in the shard's `exp` vector, so the active cycle samples volatile
 * keys in O(1) and removal is a swap with the last slot. A key is expired
 * when now > expire (Redis's rule); lookups delete expired keys on access
 * (lazy expiry) and the active cycle deletes them in the background.
 *
 * Links: dbFindLink returns the link to an entry; it stays valid until the
 * next table operation other than dbReplaceAt/dbUnlinkAt/dbDeleteAt on the
 * same shard.
 */
#ifndef ROOST_DB_H
#define ROOST_DB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime/rt.h"
#include "storage/kvtable.h"
#include "storage/object.h"

typedef struct shard {
    rtLock lock;             /* guards everything below */
    kvtable table;           /* key → kvobj */
    kvobj **exp;             /* keys with an expire; kvobj holds its index */
    uint32_t nexp, capexp;
    uint32_t expCursor;      /* where the active expire cycle resumes in exp */
    struct keyreg *watchers; /* server: WATCHed keys of this shard (keyreg.h) */
    struct keyreg *waiters;  /* server: clients blocked on keys of this shard */
} __attribute__((aligned(64))) shard;

/* deletion notices (keyspace events, WATCH) are delivered to the server
 * through this hook; may be NULL. Called with the shard lock held. */
typedef void (*ksDeleteHook)(int db, const char *key, size_t klen, int why);
enum { KS_DEL_EXPIRED = 1, KS_DEL_EVICTED = 2 };

typedef struct keyspace {
    int ndb;                 /* databases */
    int shardBits;           /* log2 of shards per db */
    int nshards;             /* shards per db */
    shard *shards;           /* ndb * nshards, db-major */
    _Atomic uint32_t lruclock;   /* seconds, 24 bits; the server ticks it */
    _Atomic uint64_t expiredKeys;  /* stat: keys deleted by expiry */
    _Atomic uint64_t expiredStalePerc; /* unused */
    ksDeleteHook onDelete;
} keyspace;

extern keyspace ks;

void ksInit(int ndb, int nprocs);

static inline int ksShardIndex(uint64_t h) { return (int)(h >> (64 - ks.shardBits)); }
static inline shard *ksShardAt(int db, int idx) { return &ks.shards[db * ks.nshards + idx]; }
static inline shard *ksShard(int db, uint64_t h) { return ksShardAt(db, ksShardIndex(h)); }
static inline int ksDbOf(const shard *s) { return (int)((s - ks.shards) / ks.nshards); }

/* ---- under the shard lock -------------------------------------------------- */

/* dbFindLink: the live entry for key or NULL; an expired entry is deleted
 * (lazy expiry) unless noexpire. */
kvobj **dbFindLink(shard *s, uint64_t h, const char *key, size_t klen, int64_t nowms, bool noexpire);
static inline kvobj *dbFind(shard *s, uint64_t h, const char *key, size_t klen, int64_t nowms) {
    kvobj **l = dbFindLink(s, h, key, klen, nowms, false);
    return l ? *l : NULL;
}
/* dbAdd links a new entry (the key must be absent). */
void dbAdd(shard *s, uint64_t h, kvobj *o);
/* dbReplaceAt puts n (same key) in place of *link's entry; frees the old
 * block, and its value too if freeOldValue. */
void dbReplaceAt(shard *s, kvobj **link, kvobj *n, bool freeOldValue);
/* dbUnlinkAt removes the entry and hands it to the caller. */
kvobj *dbUnlinkAt(shard *s, kvobj **link);
/* dbDeleteAt removes and frees the entry. */
void dbDeleteAt(shard *s, kvobj **link);
/* dbSetExpireAt gives the entry at link an expire (ms) or removes it (-1);
 * returns the (possibly moved) entry. */
kvobj *dbSetExpireAt(shard *s, kvobj **link, int64_t when);
/* dbTouch records an access for LRU. */
static inline void dbTouch(kvobj *o) { kvSetLru(o, atomic_load_explicit(&ks.lruclock, memory_order_relaxed)); }
static inline bool kvIsExpired(const kvobj *o, int64_t nowms) {
    int64_t e = kvExpire(o);
    return e >= 0 && nowms > e;
}
/* dbClearShard frees every key of the shard. */
void dbClearShard(shard *s);
/* dbSwapShards exchanges the contents of two shards (SWAPDB); both locked. */
void dbSwapShards(shard *a, shard *b);

/* dbActiveExpireShard samples up to `samples` volatile keys and deletes the
 * expired ones; returns how many it deleted (*sampled = how many it looked
 * at). */
int dbActiveExpireShard(shard *s, int64_t nowms, int samples, int *sampled);

/* ---- walkers (take the locks themselves) ---------------------------------- */

uint64_t ksDbSize(int db);
uint64_t ksDbExpires(int db);
uint64_t ksRandom(void);   /* xorshift for sampling; any thread */

#endif
