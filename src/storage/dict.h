/* dict.h — the hash table of aggregate values: set members, hash fields and
 * values, sorted-set members. (The keyspace has its own table, kvtable.c;
 * this one follows the same ideas.)
 *
 * A dict is intrusive and chained: every element is ONE allocation, an
 * "entry", that starts with the chain link and holds its key bytes inline;
 * the table owns only the bucket arrays (8 bytes a slot). Each dict has one
 * entry kind, fixed at creation, which decides the entry layout:
 *
 * DICT_SET — a set member:
 *
 *   offset  size  field
 *   0       8     next      hash-chain link
 *   8       1     len8      member length if < 255; 255 = a 64-bit length follows
 *   9       [8]   len64     if len8 == 255 (unaligned)
 *   9|17    len   member    the bytes, no terminator
 *
 *   "abc" = 8 + 1 + 3 = 12 bytes → one 16-byte jemalloc block.
 *
 * DICT_HASH — a field and its value:
 *
 *   0       8     next
 *   8       1     flen8     field length if < 255; 255 = flen64 follows
 *   9       1     vlen8     value length if < 255; 255 = vlen64 follows
 *   10      [8]   flen64    if flen8 == 255
 *   ..      [8]   vlen64    if vlen8 == 255
 *   ..      flen  field
 *   ..            value     vlen <= DICT_HVAL_INLINE_MAX: the vlen bytes, inline
 *                           larger: an 8-byte pointer to a block of vlen bytes
 *
 *   "field:1" / "value:1" = 10 + 7 + 7 = 24 bytes → one 32-byte block.
 *   Large values live apart so that replacing one never copies the field or
 *   relinks the entry, and so the entry a lookup walks stays small.
 *
 * DICT_ZSET — a sorted-set member; the entry IS its skiplist node
 * (skiplist.h), so a member is one block holding member, score and levels:
 *
 *   -16*h   16*h  levels    level i at node - 16*(i+1): {forward 8, span 8}
 *   0       8     next      hash-chain link        <- the entry/node pointer
 *   8       8     score     double
 *   16      8     backward  previous node in score order (NULL for the first)
 *   24      1     height    h, the node's number of levels (1..32)
 *   25      1     len8      member length if < 255; 255 = len64 follows
 *   26      [8]   len64
 *   26|34   len   member
 *
 *   "abc" with one level = 16 + 26 + 3 = 45 bytes → one 48-byte block. The
 *   levels sit below the node pointer so that both they and the member are
 *   at fixed offsets; the block starts at node - 16*height. The dict only
 *   reads next, height and the member here; skiplist.c owns the rest and
 *   allocates these entries itself (dictLink puts them in the table).
 *
 *   Rejected: Redis's pairing of a dict entry {key, value, next} pointing at
 *   a separate skiplist node {member pointer, score, backward, levels} and a
 *   separate member string — three blocks, 32+48+8 = 88 bytes for "abc",
 *   against 48 here. A back pointer from entry to node is not needed once
 *   they are the same block.
 *
 * Table: sizes are powers of two (at least 4). Grow when an insert finds
 * used >= size (load factor 1) to the next power of two above used; shrink
 * when a delete leaves fewer than 1/8 of the slots used, to the smallest
 * power of two >= used. With dictSetResizeAllowed(false) (while a fork
 * shares pages) tables only grow past load 5 and never shrink, as in Redis.
 *
 * Rehashing is incremental: t[0] drains into t[1] one bucket per step (up
 * to 10 empty buckets visited), a step taken by every find, insert, delete
 * and random pick, so no operation pauses for O(n). New entries go to t[1]
 * while rehashing. Hashes are not stored; rehashing recomputes them.
 *
 * SCAN uses the reverse-binary cursor (see kvtable.c): the cursor's bits are
 * incremented from the top, so buckets visited before a resize map to
 * buckets the cursor will not visit again. Every element present for the
 * whole scan is returned at least once; some may come twice.
 *
 * Iteration: a safe iterator pauses rehashing while it lives, so entries do
 * not move; the caller may delete the entry just returned (or add entries,
 * which may or may not be returned). An unsafe iterator permits no call on
 * the dict at all, lookups included (they take rehash steps), and panics on
 * release if the table's shape changed. Pointers to
 * entries stay valid across rehashing (entries never move) except a hash
 * entry whose value is replaced with dictHashSet, which may reallocate it.
 *
 * Random picks are fair: pick a bucket uniformly (over both tables while
 * rehashing) and a slot k uniformly in [0, C), where C bounds the chain
 * lengths (tracked as chainMax, capped at DICT_FAIR_CHAIN); the pick is the
 * k-th entry of that chain, or a retry if the chain is shorter. Every entry
 * in a chain of at most C entries has the same chance; longer chains (below
 * one in a million at load 1) are slightly under-sampled. Expected probes:
 * C / load.
 *
 * Errors: misuse (wrong kind, unsafe iterator on a changing dict) panics
 * with a message; allocation failure aborts in zmalloc.
 *
 * Not thread-safe: the owning key's shard lock serialises every call,
 * readers included (lookups take rehash steps).
 */
#ifndef ROOST_DICT_H
#define ROOST_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DICT_SET = 0, DICT_HASH = 1, DICT_ZSET = 2 };

#define DICT_HVAL_INLINE_MAX 512  /* longer hash values are stored by pointer */
#define DICT_FAIR_CHAIN 8         /* cap of the chain bound used by dictRandom */
#define DICT_MIN_EXP 2            /* smallest table: 4 buckets */

/* DICT_ZSET entry offsets (checked by skiplist.c against its node struct) */
#define DICT_ZNODE_HEIGHT_OFF 24
#define DICT_ZNODE_KEY_OFF 25
#define DICT_ZNODE_LEVEL_BYTES 16

/* Length prefixes used by every entry kind: one byte below 255, else 255
 * followed by 8 unaligned bytes. */
static inline size_t dictLenPrefixSize(size_t len) { return len < 255 ? 1 : 9; }

static inline const char *dictReadPrefixed(const unsigned char *p, size_t *len) {
    if (p[0] < 255) {
        *len = p[0];
        return (const char *)p + 1;
    }
    uint64_t l;
    __builtin_memcpy(&l, p + 1, 8);
    *len = (size_t)l;
    return (const char *)p + 9;
}

static inline unsigned char *dictWritePrefixed(unsigned char *p, const void *s, size_t len) {
    if (len < 255) {
        *p++ = (unsigned char)len;
    } else {
        uint64_t l = len;
        *p++ = 255;
        __builtin_memcpy(p, &l, 8);
        p += 8;
    }
    __builtin_memcpy(p, s, len);
    return p + len;
}

typedef struct dictEntry {
    struct dictEntry *next;       /* hash-chain link; the kind's layout follows */
} dictEntry;

typedef struct dict {
    dictEntry **t[2];             /* bucket arrays; t[1] only while rehashing */
    uint64_t used[2];             /* entries in each table */
    int64_t rehashidx;            /* next t[0] bucket to move; -1 = not rehashing */
    int8_t exp[2];                /* log2 of each table's size; -1 = no table */
    uint8_t kind;                 /* DICT_SET / DICT_HASH / DICT_ZSET */
    uint8_t chainMax[2];          /* upper bound on every chain's length, per table */
    uint16_t pauseRehash;         /* safe iterators and scans running: no moves */
} dict;

typedef struct dictIter {
    dict *d;
    dictEntry *next;              /* next entry to return, saved ahead (safe deletes) */
    int64_t index;                /* current bucket; -1 before the first call */
    int table;                    /* 0 or 1 */
    bool safe;                    /* pauses rehashing while running */
    bool running;                 /* first Next done, not yet released */
    uint64_t fingerprint;         /* unsafe: the table shape at the first Next */
} dictIter;

/* ---- tables -------------------------------------------------------------- */

dict *dictCreate(int kind);
/* dictRelease frees every entry (and large hash values), the buckets and d. */
void dictRelease(dict *d);
/* dictClear frees every entry and the buckets; d stays usable and empty. */
void dictClear(dict *d);
static inline size_t dictSize(const dict *d) { return d->used[0] + d->used[1]; }
/* dictBuckets: bucket slots allocated (both tables). */
size_t dictBuckets(const dict *d);
static inline bool dictIsRehashing(const dict *d) { return d->rehashidx >= 0; }
/* dictExpand sizes an empty (or small, not rehashing) table for n entries
 * ahead of bulk inserts. Returns false if nothing was done. */
bool dictExpand(dict *d, size_t n);
/* dictRehash does up to n bucket moves; true while more remain. */
bool dictRehash(dict *d, int n);
/* dictSetResizeAllowed: global; false while a child process shares pages. */
void dictSetResizeAllowed(bool allowed);
/* dictDup deep-copies a DICT_SET or DICT_HASH dict (DICT_ZSET: zsetDup). */
dict *dictDup(const dict *d);
/* dictMemUsage: bytes used by d, its buckets and entries; samples > 0
 * estimates from that many entries (MEMORY USAGE ... SAMPLES), 0 = exact. */
size_t dictMemUsage(const dict *d, size_t samples);
/* dictEntryBytes: allocated bytes of one entry (and its large value). */
size_t dictEntryBytes(const dict *d, const dictEntry *e);

/* ---- any kind, by key ---------------------------------------------------- */

uint64_t dictHashKey(const void *key, size_t len);
dictEntry *dictFind(dict *d, const void *key, size_t len);
/* dictFindHashed: the same with h = dictHashKey(key, len) already known. */
dictEntry *dictFindHashed(dict *d, uint64_t h, const void *key, size_t len);
static inline bool dictContains(dict *d, const void *key, size_t len) {
    return dictFind(d, key, len) != NULL;
}
/* dictDelete unlinks and frees the entry for key; false if absent. For
 * DICT_ZSET use the zset API (the node is also in a skiplist). */
bool dictDelete(dict *d, const void *key, size_t len);
/* dictUnlink unlinks the entry for key and returns it (NULL if absent);
 * the caller frees it with dictFreeEntry. */
dictEntry *dictUnlink(dict *d, const void *key, size_t len);
/* dictUnlinkEntry unlinks e itself (found by its key); false if e is not in
 * d. Does not free it. */
bool dictUnlinkEntry(dict *d, dictEntry *e);
void dictFreeEntry(const dict *d, dictEntry *e);
/* dictLink adds an entry built by the caller (skiplist nodes); its key must
 * not be present. h = dictHashKey of its key. */
void dictLink(dict *d, uint64_t h, dictEntry *e);
/* dictEntryKey: the key bytes of e (member, field) and their length. */
const char *dictEntryKey(const dict *d, const dictEntry *e, size_t *len);

/* ---- DICT_SET ------------------------------------------------------------ */

/* dictSetAdd adds member m; true if it was new, false if already there. */
bool dictSetAdd(dict *d, const void *m, size_t len);
const char *dictSetMember(const dictEntry *e, size_t *len);

/* ---- DICT_HASH ----------------------------------------------------------- */

#define DICT_HSET_NX 1            /* only add: leave an existing field alone */
#define DICT_HSET_XX 2            /* only update an existing field */

/* dictHashSet sets field f to value v. Returns 1 if the field was added, 0 if
 * an existing field was updated, -1 if the NX/XX flag prevented the write.
 * Replacing a value may reallocate that one entry, so v must not point into
 * d (copy a value read with dictHashGet before writing it back). */
int dictHashSet(dict *d, const void *f, size_t flen, const void *v, size_t vlen, int flags);
/* dictHashGet returns the value of f (NULL if absent) and its length. The
 * pointer is valid until the next modification of d. */
const char *dictHashGet(dict *d, const void *f, size_t flen, size_t *vlen);
const char *dictHashField(const dictEntry *e, size_t *len);
const char *dictHashValue(const dictEntry *e, size_t *len);

/* ---- random -------------------------------------------------------------- */

/* dictRandom returns a uniformly chosen entry (see the fairness note above),
 * NULL if d is empty. rnd returns uniformly random 64-bit values. */
dictEntry *dictRandom(dict *d, uint64_t (*rnd)(void));
/* dictSample stores min(n, size) distinct entries in out, a uniformly random
 * subset, in no particular order; returns how many. O(n) expected when n is
 * small next to the size, O(size) otherwise. */
size_t dictSample(dict *d, dictEntry **out, size_t n, uint64_t (*rnd)(void));

/* ---- scan and iteration -------------------------------------------------- */

/* dictScan calls fn for every entry of the bucket(s) at cursor v and returns
 * the next cursor (0 = done; start with 0). fn may delete the entry it is
 * given, nothing else. */
typedef void dictScanFn(void *arg, dictEntry *e);
uint64_t dictScan(dict *d, uint64_t v, dictScanFn *fn, void *arg);

void dictIterInit(dictIter *it, dict *d, bool safe);
/* dictIterNext returns the next entry, NULL at the end. */
dictEntry *dictIterNext(dictIter *it);
/* dictIterRelease ends the iteration (also after a NULL from Next). */
void dictIterRelease(dictIter *it);

#endif
