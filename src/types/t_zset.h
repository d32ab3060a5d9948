/* t_zset.h — what t_zset.c and t_zset_ops.c share: the sorted-set value
 * layer over both encodings, result vectors, and the handlers the command
 * table in t_zset.c names. Not part of any other module's interface.
 *
 * A zset value is a kvobj of type OBJ_ZSET whose pointer is a listpack
 * (ENC_LISTPACK: member, score, ... ordered by score then member) or a
 * storage/skiplist.h zset (ENC_SKIPLIST). Everything here runs under the
 * shard lock of the key it touches and never parks.
 */
#ifndef ROOST_T_ZSET_H
#define ROOST_T_ZSET_H

#include "server/server.h"
#include "storage/dict.h"
#include "storage/hash.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/skiplist.h"
#include "storage/zmalloc.h"

/* ---- listpack pairs: ep is a member entry, the score entry follows ---------- */

/* zlMember: the member bytes of entry ep (an integer entry is formatted into
 * buf, LP_INTBUF_SIZE bytes). */
static inline const char *zlMember(const unsigned char *ep, size_t *len, unsigned char *buf) {
    return (const char *)lpGetStr(ep, len, buf);
}
/* zlScore: the score held by the score entry sp. */
double zlScore(const unsigned char *sp);
/* zlFind: the member entry of m, or NULL; *score (if not NULL) its score. */
unsigned char *zlFind(unsigned char *lp, const char *m, size_t len, double *score);
unsigned char *zlNextPair(unsigned char *lp, unsigned char *ep);   /* NULL after the last */
unsigned char *zlPrevPair(unsigned char *lp, unsigned char *ep);   /* NULL before the first */
unsigned char *zlLastPair(unsigned char *lp);                      /* NULL if empty */

/* ---- the value, either encoding ---------------------------------------------- */

/* ZADD's input flags and zsAdd's result flags (Redis's ZADD_IN_* / OUT_*) */
enum { ZA_NX = 1, ZA_XX = 2, ZA_GT = 4, ZA_LT = 8, ZA_INCR = 16 };
enum { ZA_OUT_ADDED = 1, ZA_OUT_UPDATED = 2, ZA_OUT_NOP = 4, ZA_OUT_NAN = 8 };

unsigned long zsLength(const kvobj *o);
/* zsAdd sets m's score under the ZA_* flags, converting a listpack to a
 * skiplist when it would outgrow zset-max-listpack-*; returns ZA_OUT_* and
 * the resulting score in *newscore (unless NOP or NAN). */
int zsAdd(kvobj *o, double score, const char *m, size_t len, int flags, double *newscore);

/* zsetKeyCreated: a zset key came into being (the future blocking hook). */
void zsetKeyCreated(client *c, int ki);
/* zmpopParse: ZMPOP/BZMPOP arguments from argv[base] (numkeys); replies
 * the error and returns false. */
bool zmpopParse(client *c, int base, long long *numkeys, bool *max, long long *count);
/* zsetNotify: WATCH / keyspace notification for a change of argv[ki]. */
void zsetNotify(client *c, int ki, const char *event);
/* zsetDeleteIfEmpty deletes argv[ki] (o) if it has no member left. */
bool zsetDeleteIfEmpty(client *c, int ki, kvobj *o);

/* zsetPopGeneric: ZPOPMIN/ZPOPMAX/ZMPOP. Pops up to count (-1: one, with
 * the unnested RESP3 shape) members from the first existing of the nkeys
 * keys from argv[firstKey]; nested = pairs as arrays, emitKey = reply
 * [key, pairs], nilWhenEmpty = null array (not []) when every key is
 * missing. */
void zsetPopGeneric(client *c, int firstKey, int nkeys, bool max, long long count, bool nested,
                    bool emitKey, bool nilWhenEmpty);

/* ---- result vectors ------------------------------------------------------------
 * Members are referenced where they lie (a listpack's string entry, a
 * skiplist node, a set's dict entry), which is safe while the command runs
 * and before the destination is replaced; "transient" bytes (integers
 * formatted into a stack buffer) are copied into the vector's arena. */

typedef struct zent {
    const char *m;          /* member bytes */
    size_t len;
    double score;
    uint64_t h;             /* member hash (union accumulator only) */
} zent;

typedef struct zchunk {
    struct zchunk *next;
    size_t used, cap;
    char data[];
} zchunk;

typedef struct zvec {
    zent *v;                /* entries */
    size_t n, cap;
    size_t maxlen, totlen;  /* longest member, sum of member lengths */
    zchunk *arena;          /* copies of transient members */
    uint32_t *slots;        /* union accumulator: index+1 into v, 0 = empty */
    size_t nslots;          /* power of two */
} zvec;

const char *zvecIntern(zvec *v, const char *m, size_t len);
zent *zvecPush(zvec *v, const char *m, size_t len, double score, bool transient);
void zvecFree(zvec *v);
/* zvecSort orders the entries by score, then member. */
void zvecSort(zvec *v);
/* zvecReply sends the entries as a range reply (WITHSCORES shapes). */
void zvecReply(client *c, const zvec *v, bool withscores);
/* zsetStoreResult makes argv[ki] hold the sorted entries (listpack or
 * skiplist, chosen like Redis), or deletes it when there are none, and
 * replies the count. */
void zsetStoreResult(client *c, int ki, const zvec *v, const char *event);

/* ---- t_zset_ops.c ---------------------------------------------------------------- */

void zunionCommand(client *c);
void zinterCommand(client *c);
void zdiffCommand(client *c);
void zunionstoreCommand(client *c);
void zinterstoreCommand(client *c);
void zdiffstoreCommand(client *c);
void zintercardCommand(client *c);
void zmpopCommand(client *c);
void zrandmemberCommand(client *c);
void zscanCommand(client *c);
/* key positions of "cmd numkeys key..." and "cmd dst numkeys key..." */
int zsetNumkeysGetKeys(client *c, int argc, int *keyidx, int max);
int zsetStoreNumkeysGetKeys(client *c, int argc, int *keyidx, int max);
int bzmpopGetKeys(client *c, int argc, int *keyidx, int max);

#endif
