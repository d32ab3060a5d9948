/* object.h — kvobj: one allocation per key holding key, value and metadata.
 *
 * Memory per key is a first-class goal (DESIGN.md §4), so a key is a single
 * jemalloc block, chained into its shard's hash table through `next`:
 *
 *   offset  size  field
 *   0       8     next       hash-chain link (kvtable)
 *   8       1     tenc       type (low 4 bits) | encoding (high 4 bits)
 *   9       1     flags      KV_EXPIRE, KV_LONGKEY
 *   10      3     lru        24-bit LRU clock (seconds) or LFU (16-bit minutes | 8-bit counter)
 *   13      1     klen8      key length if < 255; 255 = a 4-byte length follows
 *   14      12    [expire]   if KV_EXPIRE: int64 unix ms, uint32 index in the shard's expire vector
 *   ..      4     [klen32]   if KV_LONGKEY
 *   ..      klen  key bytes  (not NUL-terminated)
 *   ..            value      by encoding:
 *                              ENC_INT     int64 (8 bytes)
 *                              ENC_EMBSTR  uint8 length (<= 44) + bytes
 *                              otherwise   a pointer (rstr* for ENC_RAW, the type's structure else)
 *
 * A "key:000001" / "xxx" pair is 14 + 10 + 4 = 28 bytes: one 32-byte jemalloc
 * block, plus its share of the bucket array. Multi-byte fields are unaligned
 * and read with memcpy.
 *
 * Invariants:
 *  - a kvobj lives in exactly one shard table while reachable; changing its
 *    size (adding an expire, growing an embedded value) reallocates it, so
 *    the caller relinks it (db.c does) and nobody keeps kvobj pointers across
 *    a shard unlock;
 *  - strings use Redis's encodings and thresholds: "int" for a canonical
 *    decimal that fits in int64 (<= 20 chars), "embstr" up to 44 bytes,
 *    "raw" beyond, or after APPEND/SETRANGE;
 *  - type and encoding numbers are Redis's (OBJECT ENCODING, RDB).
 */
#ifndef ROOST_OBJECT_H
#define ROOST_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { OBJ_STRING = 0, OBJ_LIST = 1, OBJ_SET = 2, OBJ_ZSET = 3, OBJ_HASH = 4, OBJ_STREAM = 6 };

enum {
    ENC_RAW = 0, ENC_INT = 1, ENC_HT = 2, ENC_ZIPMAP = 3, ENC_LINKEDLIST = 4,
    ENC_ZIPLIST = 5, ENC_INTSET = 6, ENC_SKIPLIST = 7, ENC_EMBSTR = 8,
    ENC_QUICKLIST = 9, ENC_STREAM = 10, ENC_LISTPACK = 11,
};

#define KV_EXPIRE  0x01
#define KV_LONGKEY 0x02

#define EMBSTR_MAX 44     /* Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT */

typedef struct kvobj {
    struct kvobj *next;
    uint8_t tenc;
    uint8_t flags;
    uint8_t lru[3];
    uint8_t klen8;
    unsigned char data[];
} kvobj;

#define KV_HDR 14         /* offsetof(kvobj, data) */
_Static_assert(__builtin_offsetof(kvobj, data) == KV_HDR, "kvobj header layout");

/* rstr: a raw string value (ENC_RAW), with room to grow for APPEND. */
typedef struct rstr {
    size_t len;
    size_t cap;
    char buf[];
} rstr;

rstr *rstrNew(const char *p, size_t len, size_t cap);
rstr *rstrGrow(rstr *s, size_t need);    /* cap >= need; may move */
void rstrFree(rstr *s);

static inline int kvType(const kvobj *o) { return o->tenc & 15; }
static inline int kvEnc(const kvobj *o) { return o->tenc >> 4; }
static inline bool kvHasExpire(const kvobj *o) { return o->flags & KV_EXPIRE; }
static inline void kvSetEnc(kvobj *o, int enc) { o->tenc = (uint8_t)((o->tenc & 15) | (enc << 4)); }

static inline size_t kvKeyLen(const kvobj *o) {
    if (!(o->flags & KV_LONGKEY)) return o->klen8;
    uint32_t l;
    memcpy(&l, o->data + ((o->flags & KV_EXPIRE) ? 12 : 0), 4);
    return l;
}

static inline const char *kvKey(const kvobj *o) {
    return (const char *)o->data + ((o->flags & KV_EXPIRE) ? 12 : 0) +
           ((o->flags & KV_LONGKEY) ? 4 : 0);
}

static inline unsigned char *kvVal(const kvobj *o) {
    return (unsigned char *)kvKey(o) + kvKeyLen(o);
}

static inline int64_t kvExpire(const kvobj *o) {
    if (!(o->flags & KV_EXPIRE)) return -1;
    int64_t e;
    memcpy(&e, o->data, 8);
    return e;
}

static inline uint32_t kvExpireIdx(const kvobj *o) {
    uint32_t i;
    memcpy(&i, o->data + 8, 4);
    return i;
}

static inline void kvSetExpireIdx(kvobj *o, uint32_t i) { memcpy(o->data + 8, &i, 4); }
static inline void kvSetExpireInPlace(kvobj *o, int64_t e) { memcpy(o->data, &e, 8); }

static inline void *kvPtr(const kvobj *o) {
    void *p;
    memcpy(&p, kvVal(o), sizeof p);
    return p;
}

static inline void kvSetPtr(kvobj *o, void *p) { memcpy(kvVal(o), &p, sizeof p); }

static inline int64_t kvInt(const kvobj *o) {
    int64_t v;
    memcpy(&v, kvVal(o), 8);
    return v;
}

static inline void kvSetInt(kvobj *o, int64_t v) { memcpy(kvVal(o), &v, 8); }

static inline uint32_t kvLru(const kvobj *o) {
    return (uint32_t)o->lru[0] | ((uint32_t)o->lru[1] << 8) | ((uint32_t)o->lru[2] << 16);
}

static inline void kvSetLru(kvobj *o, uint32_t v) {
    o->lru[0] = (uint8_t)v;
    o->lru[1] = (uint8_t)(v >> 8);
    o->lru[2] = (uint8_t)(v >> 16);
}

/* ---- construction ------------------------------------------------------- */

/* kvNew allocates a kvobj for key with room for a value of vsize bytes and
 * an expire slot if expire >= 0. The value bytes are left for the caller. */
kvobj *kvNew(const char *key, size_t klen, int type, int enc, size_t vsize, int64_t expire);

/* String constructors choose the encoding like Redis's tryObjectEncoding. */
kvobj *kvNewString(const char *key, size_t klen, const char *val, size_t vlen, int64_t expire);
kvobj *kvNewInt(const char *key, size_t klen, int64_t v, int64_t expire);
kvobj *kvNewEmbstr(const char *key, size_t klen, const char *val, size_t vlen, int64_t expire);
kvobj *kvNewRaw(const char *key, size_t klen, rstr *s, int64_t expire);
kvobj *kvNewPtr(const char *key, size_t klen, int type, int enc, void *ptr, int64_t expire);

/* kvWithExpire returns a copy of o with (expire >= 0) or without (-1) an
 * expire slot, and frees o's block (not its value). The caller relinks. */
kvobj *kvWithExpire(kvobj *o, int64_t expire);

/* kvRetarget returns a copy of o's value under a new key (RENAME, COPY's
 * deep copy is separate); frees o's block but not its value. */
kvobj *kvRekey(kvobj *o, const char *key, size_t klen);

/* kvFree frees o and its value. kvFreeBlock frees only the block. */
void kvFree(kvobj *o);
void kvFreeBlock(kvobj *o);

/* kvDup deep-copies o's value under key (COPY, MOVE). */
kvobj *kvDup(const kvobj *o, const char *key, size_t klen, int64_t expire);

/* kvMemUsage estimates the bytes o uses (MEMORY USAGE). */
size_t kvMemUsage(const kvobj *o);

/* ---- string values ------------------------------------------------------ */

/* kvStr returns the string value of an OBJ_STRING (formatting an int into
 * buf, which must hold 21 bytes). */
const char *kvStr(const kvobj *o, char *buf, size_t *len);

/* a type's hooks for values stored by pointer: free, deep copy, size */
typedef struct kvTypeOps {
    void (*free)(void *ptr, int enc);
    void *(*dup)(const void *ptr, int enc);
    size_t (*usage)(const void *ptr, int enc);
} kvTypeOps;
void kvRegisterType(int type, const kvTypeOps *ops);

/* number formatting shared by every layer */
int ll2str(char *buf, long long v);                   /* returns length; buf >= 21 */
bool str2ll(const char *s, size_t len, long long *v); /* strict: Redis's string2ll */

#endif
