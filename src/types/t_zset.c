/* t_zset.c — the sorted-set type: the value layer (two encodings and the
 * operations both share) and the single-key commands ZADD ZINCRBY ZREM ZCARD
 * ZCOUNT ZLEXCOUNT ZSCORE ZMSCORE ZRANK ZREVRANK ZRANGE ZRANGESTORE ZREVRANGE
 * ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREMRANGEBYRANK
 * ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX. The commands over several
 * keys (ZMPOP, ZUNION ZINTER ZDIFF and their STORE forms, ZINTERCARD) and the
 * sampling / scanning ones (ZRANDMEMBER ZSCAN) are in t_zset_ops.c; the two
 * files share the declarations of t_zset.h. The command table is here.
 *
 * Behaviour, replies and error texts are Redis 7.0's (checked against
 * redis-server 7.0.15), in RESP2 and RESP3: WITHSCORES replies are a flat
 * member, score, ... array in RESP2 and an array of [member, double] pairs in
 * RESP3; ZSCORE and ZINCRBY answer a double (a bulk string in RESP2).
 * Scores print as Redis 7.0 prints them: "%.17g", inf and -inf.
 *
 * Encodings (OBJECT ENCODING), as Redis 7.0:
 *  - "listpack": one listpack of member, score, member, score, ... ordered
 *    by score then member (memcmp order, shorter first). A score is stored
 *    as an integer entry when it is whole and within +-2^62 (Redis's
 *    double2ll: so -0 is stored as 0), otherwise as its "%.17g" text
 *    ("1.1000000000000001", "inf"), so a DUMP of the same history is byte
 *    for byte Redis's.
 *  - "skiplist": storage/skiplist.h's zset (dict + skiplist over one block
 *    per member).
 *  A new key starts as a listpack unless zset-max-listpack-entries is 0 or
 *  its first member is longer than zset-max-listpack-value; it converts to a
 *  skiplist when an insert would pass either limit (or the 1 GiB listpack
 *  safety cap). It never converts back, except that the STORE commands
 *  choose their destination's encoding from the result: a listpack when it
 *  has at most zset-max-listpack-entries members, none longer than
 *  zset-max-listpack-value (what Redis's zsetConvertToListpackIfNeeded and
 *  ZRANGESTORE's incremental adds both end with).
 *
 * Check order, where observable, is Redis's: ZADD parses its options, then
 * checks the element count (syntax error), the NX/XX and GT/LT/NX
 * conflicts, the INCR pair count, every score, and only then the key's type;
 * range commands parse their options and bounds before the lookup; the
 * multi-key commands check numkeys, then look up every key (WRONGTYPE) and
 * only then parse WEIGHTS / AGGREGATE / WITHSCORES / LIMIT.
 *
 * Results that are not a walk of one zset (ZUNION/ZINTER/ZDIFF and their
 * STORE forms, ZRANGESTORE) are gathered in a zvec (t_zset.h): member bytes
 * referenced where they lie, sorted once, then replied or built into the
 * destination in one pass. Rejected: Redis's way of building a skiplist
 * zset as the accumulator and converting it afterwards, which allocates a
 * node per member only to sort them, and a copy of each member besides.
 *
 * Concurrency: every handler runs with its keys' shard locks held by call()
 * and never parks. Values are modified in place (the kvobj keeps its
 * address; kvSetPtr/kvSetEnc update the pointer and encoding byte); a key
 * is created with dbAdd or replaced with setKey, and deleted (deleteKey)
 * when its last member goes, as Redis does.
 *
 * Blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) come with a later issue: every
 * place a zset key comes into being goes through zsetKeyCreated, the one
 * spot where a "key became ready" hook for their waiters will be called.
 */
#include "types/t_zset.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== scores stored in listpacks =========================================== */

/* scoreToInt: Redis 7.0's double2ll: whole scores within +-LLONG_MAX/2 are
 * stored as integer entries (exactly representable there). */
static bool scoreToInt(double d, long long *v) {
    if (!(d >= (double)(-LLONG_MAX / 2) && d <= (double)(LLONG_MAX / 2))) return false;
    long long ll = (long long)d;
    if ((double)ll != d) return false;
    *v = ll;
    return true;
}

double zlScore(const unsigned char *sp) {
    lpValue v;
    lpGet(sp, &v);
    if (!v.sval) return (double)v.lval;
    char buf[128];                     /* Redis reads at most 127 bytes (zzlStrtod) */
    size_t n = v.slen < sizeof buf - 1 ? v.slen : sizeof buf - 1;
    memcpy(buf, v.sval, n);
    buf[n] = '\0';
    return strtod(buf, NULL);
}

/* zlCmpMember orders the member entry ep against m (Redis's member order). */
static int zlCmpMember(const unsigned char *ep, const char *m, size_t len) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t el;
    const char *e = zlMember(ep, &el, buf);
    return zslLexCmp(e, el, m, len);
}

/* zlInsertAt inserts the pair (m, score) before the member entry ep, or at
 * the end if ep is NULL. Returns the (possibly moved) listpack. */
static unsigned char *zlInsertAt(unsigned char *lp, unsigned char *ep, const char *m,
                                 size_t len, double score) {
    long long ll;
    bool isInt = scoreToInt(score, &ll);
    char sbuf[32];
    int slen = isInt ? 0 : double2str(sbuf, sizeof sbuf, score);
    if (!ep) {
        lp = lpAppend(lp, m, len);
        return isInt ? lpAppendInt(lp, ll) : lpAppend(lp, sbuf, (size_t)slen);
    }
    unsigned char *np;
    lp = lpInsert(lp, ep, LP_BEFORE, m, len, &np);
    return isInt ? lpInsertInt(lp, np, LP_AFTER, ll, NULL)
                 : lpInsert(lp, np, LP_AFTER, sbuf, (size_t)slen, NULL);
}

/* zlInsert adds the pair (m, score) at its place; m must be absent. Adding
 * after the last pair (rising scores) is checked first: O(1). */
static unsigned char *zlInsert(unsigned char *lp, const char *m, size_t len, double score) {
    unsigned char *sp = lpLast(lp), *ep;
    if (sp) {
        ep = lpPrev(lp, sp);
        double s = zlScore(sp);
        if (s < score || (s == score && zlCmpMember(ep, m, len) < 0))
            return zlInsertAt(lp, NULL, m, len, score);
    }
    for (ep = lpFirst(lp); ep; ep = lpNext(lp, sp)) {
        sp = lpNext(lp, ep);
        double s = zlScore(sp);
        if (s > score || (s == score && zlCmpMember(ep, m, len) > 0))
            return zlInsertAt(lp, ep, m, len, score);
    }
    return zlInsertAt(lp, NULL, m, len, score);
}

unsigned char *zlFind(unsigned char *lp, const char *m, size_t len, double *score) {
    unsigned char *ep = lpFirst(lp);
    if (!ep) return NULL;
    ep = lpFind(lp, ep, m, len, 1);
    if (ep && score) *score = zlScore(lpNext(lp, ep));
    return ep;
}

/* ---- walking pairs: ep is a member entry, its score follows ---------------- */

unsigned char *zlNextPair(unsigned char *lp, unsigned char *ep) {
    return lpNext(lp, lpNext(lp, ep));
}

unsigned char *zlPrevPair(unsigned char *lp, unsigned char *ep) {
    unsigned char *sp = lpPrev(lp, ep);
    return sp ? lpPrev(lp, sp) : NULL;
}

unsigned char *zlLastPair(unsigned char *lp) {
    unsigned char *sp = lpLast(lp);
    return sp ? lpPrev(lp, sp) : NULL;
}

/* First / last pair whose score is in r (its member entry), or NULL. A
 * linear walk: listpacks are small. */
static unsigned char *zlFirstInRange(unsigned char *lp, const zrangespec *r) {
    for (unsigned char *ep = lpFirst(lp); ep; ep = zlNextPair(lp, ep)) {
        double s = zlScore(lpNext(lp, ep));
        if (zslValueGteMin(s, r)) return zslValueLteMax(s, r) ? ep : NULL;
    }
    return NULL;
}

static unsigned char *zlLastInRange(unsigned char *lp, const zrangespec *r) {
    for (unsigned char *ep = zlLastPair(lp); ep; ep = zlPrevPair(lp, ep)) {
        double s = zlScore(lpNext(lp, ep));
        if (zslValueLteMax(s, r)) return zslValueGteMin(s, r) ? ep : NULL;
    }
    return NULL;
}

static bool zlLexGteMin(const unsigned char *ep, const zlexrangespec *r) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const char *m = zlMember(ep, &len, buf);
    return zslLexGteMin(m, len, r);
}

static bool zlLexLteMax(const unsigned char *ep, const zlexrangespec *r) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const char *m = zlMember(ep, &len, buf);
    return zslLexLteMax(m, len, r);
}

static unsigned char *zlFirstInLexRange(unsigned char *lp, const zlexrangespec *r) {
    for (unsigned char *ep = lpFirst(lp); ep; ep = zlNextPair(lp, ep))
        if (zlLexGteMin(ep, r)) return zlLexLteMax(ep, r) ? ep : NULL;
    return NULL;
}

static unsigned char *zlLastInLexRange(unsigned char *lp, const zlexrangespec *r) {
    for (unsigned char *ep = zlLastPair(lp); ep; ep = zlPrevPair(lp, ep))
        if (zlLexLteMax(ep, r)) return zlLexGteMin(ep, r) ? ep : NULL;
    return NULL;
}

/* ==== the value: either encoding ============================================ */

unsigned long zsLength(const kvobj *o) {
    return kvEnc(o) == ENC_LISTPACK ? lpLength(kvPtr(o)) / 2 : (unsigned long)zsetLen(kvPtr(o));
}

static bool zsScore(kvobj *o, const char *m, size_t len, double *score) {
    if (kvEnc(o) == ENC_LISTPACK) return zlFind(kvPtr(o), m, len, score) != NULL;
    return zsetScore(kvPtr(o), m, len, score);
}

/* zsRank: 0-based rank of m (from the top if rev), -1 if absent. */
static long long zsRank(kvobj *o, const char *m, size_t len, bool rev) {
    if (kvEnc(o) == ENC_SKIPLIST) return zsetRank(kvPtr(o), m, len, rev);
    unsigned char *lp = kvPtr(o);
    unsigned char *target = zlFind(lp, m, len, NULL);
    if (!target) return -1;
    long long rank = 0;
    for (unsigned char *ep = lpFirst(lp); ep != target; ep = zlNextPair(lp, ep)) rank++;
    return rev ? (long long)zsLength(o) - 1 - rank : rank;
}

/* zsConvertToSkiplist turns a listpack value into a skiplist in place. */
static void zsConvertToSkiplist(kvobj *o) {
    unsigned char *lp = kvPtr(o);
    zset *zs = zsetCreate();
    unsigned long n = lpLength(lp) / 2;
    if (n) dictExpand(zs->dict, n);
    unsigned char buf[LP_INTBUF_SIZE];
    /* from the back, so every insert lands at the head: short descents */
    for (unsigned char *ep = zlLastPair(lp); ep; ep = zlPrevPair(lp, ep)) {
        size_t len;
        const char *m = zlMember(ep, &len, buf);
        zsetInsert(zs, zlScore(lpNext(lp, ep)), m, len);
    }
    lpFree(lp);
    kvSetPtr(o, zs);
    kvSetEnc(o, ENC_SKIPLIST);
}

/* zsAddExisting applies the ZADD flags to a member already present with
 * score cur; returns the ZA_OUT_* result and the score to set in *score. */
static int zsAddExisting(double cur, double *score, int flags) {
    if (flags & ZA_NX) return ZA_OUT_NOP;
    if (flags & ZA_INCR) {
        *score += cur;
        if (isnan(*score)) return ZA_OUT_NAN;
    }
    if (((flags & ZA_LT) && *score >= cur) || ((flags & ZA_GT) && *score <= cur)) return ZA_OUT_NOP;
    return *score != cur ? ZA_OUT_UPDATED : 0;
}

int zsAdd(kvobj *o, double score, const char *m, size_t len, int flags, double *newscore) {
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        double cur;
        unsigned char *ep = zlFind(lp, m, len, &cur);
        if (ep) {
            int out = zsAddExisting(cur, &score, flags);
            if (out & (ZA_OUT_NOP | ZA_OUT_NAN)) return out;
            *newscore = score;
            if (out & ZA_OUT_UPDATED) {
                lp = lpDeleteRangeAt(lp, &ep, 2);
                kvSetPtr(o, zlInsert(lp, m, len, score));
            }
            return out;
        }
        if (flags & ZA_XX) return ZA_OUT_NOP;
        if (lpLength(lp) / 2 + 1 <= cfg.zset_max_listpack_entries &&
            len <= cfg.zset_max_listpack_value && lpSafeToAdd(lp, len)) {
            kvSetPtr(o, zlInsert(lp, m, len, score));
            *newscore = score;
            return ZA_OUT_ADDED;
        }
        zsConvertToSkiplist(o);
    }
    zset *zs = kvPtr(o);
    uint64_t h = dictHashKey(m, len);
    zslNode *x = (zslNode *)dictFindHashed(zs->dict, h, m, len);
    if (x) {
        int out = zsAddExisting(x->score, &score, flags);
        if (out & (ZA_OUT_NOP | ZA_OUT_NAN)) return out;
        *newscore = score;
        if (out & ZA_OUT_UPDATED) zsetUpdateScore(zs, x, score);
        return out;
    }
    if (flags & ZA_XX) return ZA_OUT_NOP;
    x = zslInsertHashed(&zs->zsl, score, m, len, h);
    dictLink(zs->dict, h, (dictEntry *)x);
    *newscore = score;
    return ZA_OUT_ADDED;
}

static bool zsDelete(kvobj *o, const char *m, size_t len) {
    if (kvEnc(o) == ENC_SKIPLIST) return zsetDelete(kvPtr(o), m, len);
    unsigned char *lp = kvPtr(o);
    unsigned char *ep = zlFind(lp, m, len, NULL);
    if (!ep) return false;
    kvSetPtr(o, lpDeleteRangeAt(lp, &ep, 2));
    return true;
}

/* ---- keys ------------------------------------------------------------------ */

void zsetKeyCreated(client *c, int ki) {
    /* BZPOPMIN/BZPOPMAX/BZMPOP waiters (Redis signals the key as ready
     * when it is added) */
    signalKeyAsReady(c, c->db, c->argv[ki], c->argvlen[ki]);
}

/* zsCreateKey adds key argv[ki] (absent) holding an empty zset, encoded for
 * a first member of firstLen bytes. */
static kvobj *zsCreateKey(client *c, int ki, size_t firstLen) {
    bool sl = cfg.zset_max_listpack_entries == 0 || firstLen > cfg.zset_max_listpack_value;
    void *ptr = sl ? (void *)zsetCreate() : (void *)lpNew(0);
    kvobj *o = kvNewPtr(c->argv[ki], c->argvlen[ki], OBJ_ZSET, sl ? ENC_SKIPLIST : ENC_LISTPACK,
                        ptr, -1);
    dbTouch(o);
    dbAdd(cShard(c, ki), keyHash(c, ki), o);
    notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[ki], c->argvlen[ki], c->db);
    zsetKeyCreated(c, ki);
    return o;
}

void zsetNotify(client *c, int ki, const char *event) {
    signalModifiedKey(c, c->db, c->argv[ki], c->argvlen[ki]);
    notifyKeyspaceEvent(c, NOTIFY_ZSET, event, c->argv[ki], c->argvlen[ki], c->db);
}

bool zsetDeleteIfEmpty(client *c, int ki, kvobj *o) {
    if (zsLength(o) != 0) return false;
    deleteKey(c, ki);
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[ki], c->argvlen[ki], c->db);
    return true;
}

/* ---- type hooks (object.c: kvFree, kvDup, MEMORY USAGE) --------------------- */

static void zsetValueFree(void *ptr, int enc) {
    if (enc == ENC_LISTPACK) lpFree(ptr);
    else zsetFree(ptr);
}

static void *zsetValueDup(const void *ptr, int enc) {
    if (enc == ENC_LISTPACK) return lpDup(ptr);
    return zsetDup(ptr);
}

static size_t zsetValueUsage(const void *ptr, int enc) {
    if (enc == ENC_LISTPACK) return zmallocSize(ptr);
    return zsetMemUsage(ptr, 5);        /* Redis's default MEMORY USAGE sampling */
}

__attribute__((constructor)) static void zsetRegisterType(void) {
    static const kvTypeOps ops = { zsetValueFree, zsetValueDup, zsetValueUsage };
    kvRegisterType(OBJ_ZSET, &ops);
}

/* ==== result vectors ========================================================= */

#define ZCHUNK_SIZE 4096

const char *zvecIntern(zvec *v, const char *m, size_t len) {
    zchunk *k = v->arena;
    if (!k || k->cap - k->used < len) {
        size_t cap = len > ZCHUNK_SIZE ? len : ZCHUNK_SIZE;
        k = zmalloc(sizeof(zchunk) + cap);
        k->next = v->arena;
        k->used = 0;
        k->cap = cap;
        v->arena = k;
    }
    char *p = k->data + k->used;
    memcpy(p, m, len);
    k->used += len;
    return p;
}

zent *zvecPush(zvec *v, const char *m, size_t len, double score, bool transient) {
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->v = zrealloc(v->v, v->cap * sizeof(zent));
    }
    zent *e = &v->v[v->n++];
    e->m = transient ? zvecIntern(v, m, len) : m;
    e->len = len;
    e->score = score;
    e->h = 0;
    if (len > v->maxlen) v->maxlen = len;
    v->totlen += len;
    return e;
}

void zvecFree(zvec *v) {
    zfree(v->v);
    zfree(v->slots);
    while (v->arena) {
        zchunk *k = v->arena;
        v->arena = k->next;
        zfree(k);
    }
    memset(v, 0, sizeof *v);
}

static int zentCmp(const void *a, const void *b) {
    const zent *x = a, *y = b;
    if (x->score < y->score) return -1;
    if (x->score > y->score) return 1;
    return zslLexCmp(x->m, x->len, y->m, y->len);
}

void zvecSort(zvec *v) {
    if (v->n > 1) qsort(v->v, v->n, sizeof(zent), zentCmp);
}

static void zvecReverse(zvec *v) {
    for (size_t i = 0, j = v->n ? v->n - 1 : 0; i < j; i++, j--) {
        zent t = v->v[i];
        v->v[i] = v->v[j];
        v->v[j] = t;
    }
}

void zvecReply(client *c, const zvec *v, bool withscores) {
    addReplyArrayLen(c, (long)(withscores && c->resp == 2 ? v->n * 2 : v->n));
    for (size_t i = 0; i < v->n; i++) {
        if (withscores && c->resp > 2) addReplyArrayLen(c, 2);
        addReplyBulk(c, v->v[i].m, v->v[i].len);
        if (withscores) addReplyDouble(c, v->v[i].score);
    }
}

/* zvecValue builds a zset value from the sorted entries of v, encoded the
 * way Redis's STORE commands end up: listpack when small enough. */
static void *zvecValue(const zvec *v, int *enc) {
    if (v->n <= cfg.zset_max_listpack_entries && v->maxlen <= cfg.zset_max_listpack_value &&
        lpSafeToAdd(NULL, v->totlen)) {
        size_t bytes = LP_EMPTY_SIZE;
        for (size_t i = 0; i < v->n; i++) {
            long long ll;
            bytes += lpEntrySize(v->v[i].m, v->v[i].len);
            bytes += scoreToInt(v->v[i].score, &ll) ? lpEntrySizeInt(ll) : 26;
        }
        unsigned char *lp = lpNew(bytes);
        for (size_t i = 0; i < v->n; i++)
            lp = zlInsertAt(lp, NULL, v->v[i].m, v->v[i].len, v->v[i].score);
        *enc = ENC_LISTPACK;
        return lpShrinkToFit(lp);
    }
    zset *zs = zsetCreate();
    dictExpand(zs->dict, v->n);
    for (size_t i = v->n; i-- > 0;) zsetInsert(zs, v->v[i].score, v->v[i].m, v->v[i].len);
    *enc = ENC_SKIPLIST;
    return zs;
}

void zsetStoreResult(client *c, int ki, const zvec *v, const char *event) {
    if (v->n == 0) {
        addReplyLongLong(c, 0);
        if (deleteKey(c, ki))
            notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[ki], c->argvlen[ki], c->db);
        return;
    }
    int enc;
    void *val = zvecValue(v, &enc);
    setKey(c, ki, kvNewPtr(c->argv[ki], c->argvlen[ki], OBJ_ZSET, enc, val, -1));
    zsetKeyCreated(c, ki);
    notifyKeyspaceEvent(c, NOTIFY_ZSET, event, c->argv[ki], c->argvlen[ki], c->db);
    addReplyLongLong(c, (long long)v->n);
}

/* ==== range results: to the client or into a vector (ZRANGESTORE) ============ */

typedef struct zres {
    client *c;
    zvec *store;            /* ZRANGESTORE: collect here instead of replying */
    bool withscores;        /* reply (or collect) the scores too */
    bool deferred;          /* the length is only known at the end */
    size_t handle;          /* deferred length slot */
    long n;                 /* elements emitted */
} zres;

/* zresBegin starts the reply: len elements, or len <= 0 when not known
 * (Redis defers an empty length too; the bytes are the same). */
static void zresBegin(zres *r, long len) {
    r->n = 0;
    if (r->store) return;
    if (len > 0) {
        r->deferred = false;
        addReplyArrayLen(r->c, r->withscores && r->c->resp == 2 ? len * 2 : len);
    } else {
        r->deferred = true;
        r->handle = addReplyDeferredLen(r->c);
    }
}

static void zresEmit(zres *r, const char *m, size_t len, double score, bool transient) {
    r->n++;
    if (r->store) {
        zvecPush(r->store, m, len, score, transient);
        return;
    }
    client *c = r->c;
    if (r->withscores && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyBulk(c, m, len);
    if (r->withscores) addReplyDouble(c, score);
}

/* zresEmitEntry emits the pair whose member entry is ep. */
static void zresEmitEntry(zres *r, unsigned char *lp, unsigned char *ep) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const char *m = zlMember(ep, &len, buf);
    double score = r->withscores ? zlScore(lpNext(lp, ep)) : 0;
    zresEmit(r, m, len, score, m == (const char *)buf);
}

static void zresEmitNode(zres *r, const zslNode *x) {
    size_t len;
    const char *m = zslNodeMember(x, &len);
    zresEmit(r, m, len, x->score, false);
}

static void zresEnd(zres *r) {
    if (r->store || !r->deferred) return;
    setDeferredArrayLen(r->c, r->handle, r->withscores && r->c->resp == 2 ? r->n * 2 : r->n);
}

/* ==== ZADD ZINCRBY ZREM ======================================================== */

static void zaddGeneric(client *c, int flags) {
    int si = 2;
    bool ch = false;
    for (; si < c->argc; si++) {
        if (argEq(c, si, "nx")) flags |= ZA_NX;
        else if (argEq(c, si, "xx")) flags |= ZA_XX;
        else if (argEq(c, si, "ch")) ch = true;
        else if (argEq(c, si, "incr")) flags |= ZA_INCR;
        else if (argEq(c, si, "gt")) flags |= ZA_GT;
        else if (argEq(c, si, "lt")) flags |= ZA_LT;
        else break;
    }
    int elements = c->argc - si;
    if (elements == 0 || elements % 2) {
        addReplyErrorSyntax(c);
        return;
    }
    elements /= 2;
    if ((flags & ZA_NX) && (flags & ZA_XX)) {
        addReplyError(c, "XX and NX options at the same time are not compatible");
        return;
    }
    if (!!(flags & ZA_GT) + !!(flags & ZA_LT) + !!(flags & ZA_NX) > 1) {
        addReplyError(c, "GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    bool incr = flags & ZA_INCR;
    if (incr && elements > 1) {
        addReplyError(c, "INCR option supports a single increment-element pair");
        return;
    }
    double small[16];
    double *scores = elements <= 16 ? small : zmalloc(sizeof(double) * (size_t)elements);
    int added = 0, updated = 0, processed = 0;
    double score = 0;
    kvobj *o;
    for (int j = 0; j < elements; j++) {
        if (!getDoubleFromArg(c, si + 2 * j, &scores[j])) {
            addReplyErrorNotFloat(c);
            goto cleanup;
        }
    }
    o = lookupWrite(c, 1);
    if (o && !checkType(c, o, OBJ_ZSET)) goto cleanup;
    if (!o) {
        if (flags & ZA_XX) goto reply;
        o = zsCreateKey(c, 1, c->argvlen[si + 1]);
    }
    for (int j = 0; j < elements; j++) {
        int mi = si + 1 + 2 * j;
        double ns = scores[j];
        int out = zsAdd(o, scores[j], c->argv[mi], c->argvlen[mi], flags, &ns);
        if (out & ZA_OUT_NAN) {
            addReplyError(c, "resulting score is not a number (NaN)");
            goto cleanup;
        }
        if (out & ZA_OUT_ADDED) added++;
        if (out & ZA_OUT_UPDATED) updated++;
        if (!(out & ZA_OUT_NOP)) processed++;
        score = ns;
    }
reply:
    if (incr) {
        if (processed) addReplyDouble(c, score);
        else addReplyNull(c);
    } else {
        addReplyLongLong(c, ch ? added + updated : added);
    }
cleanup:
    if (scores != small) zfree(scores);
    if (added || updated) zsetNotify(c, 1, incr ? "zincr" : "zadd");
}

static void zaddCommand(client *c) { zaddGeneric(c, 0); }
static void zincrbyCommand(client *c) { zaddGeneric(c, ZA_INCR); }

static void zremCommand(client *c) {
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_ZSET)) return;
    long long deleted = 0;
    bool removed = false;
    for (int j = 2; j < c->argc; j++) {
        if (zsDelete(o, c->argv[j], c->argvlen[j])) deleted++;
        if (zsLength(o) == 0) {
            deleteKey(c, 1);
            removed = true;
            break;
        }
    }
    if (deleted) {
        zsetNotify(c, 1, "zrem");
        if (removed) notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
    }
    addReplyLongLong(c, deleted);
}

/* ==== ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ====================================== */

/* zsLookupRead: the zset at argv[ki] or NULL if missing; false (WRONGTYPE
 * replied) when the key holds another type. */
static bool zsLookupRead(client *c, int ki, kvobj **o) {
    *o = lookupRead(c, ki);
    return !*o || checkType(c, *o, OBJ_ZSET);
}

static void zcardCommand(client *c) {
    kvobj *o;
    if (zsLookupRead(c, 1, &o)) addReplyLongLong(c, o ? (long long)zsLength(o) : 0);
}

static void zscoreCommand(client *c) {
    kvobj *o;
    if (!zsLookupRead(c, 1, &o)) return;
    double score;
    if (o && zsScore(o, c->argv[2], c->argvlen[2], &score)) addReplyDouble(c, score);
    else addReplyNull(c);
}

static void zmscoreCommand(client *c) {
    kvobj *o;
    if (!zsLookupRead(c, 1, &o)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        double score;
        if (o && zsScore(o, c->argv[j], c->argvlen[j], &score)) addReplyDouble(c, score);
        else addReplyNull(c);
    }
}

static void zrankGeneric(client *c, bool rev) {
    kvobj *o;
    if (!zsLookupRead(c, 1, &o)) return;
    long long rank = o ? zsRank(o, c->argv[2], c->argvlen[2], rev) : -1;
    if (rank >= 0) addReplyLongLong(c, rank);
    else addReplyNull(c);
}

static void zrankCommand(client *c) { zrankGeneric(c, false); }
static void zrevrankCommand(client *c) { zrankGeneric(c, true); }

/* ==== ZCOUNT ZLEXCOUNT ========================================================== */

static bool parseScoreRangeOrReply(client *c, int mini, int maxi, zrangespec *r) {
    if (zslParseScoreRange(c->argv[mini], c->argvlen[mini], c->argv[maxi], c->argvlen[maxi], r))
        return true;
    addReplyError(c, "min or max is not a float");
    return false;
}

static bool parseLexRangeOrReply(client *c, int mini, int maxi, zlexrangespec *r) {
    if (zslParseLexRange(c->argv[mini], c->argvlen[mini], c->argv[maxi], c->argvlen[maxi], r))
        return true;
    addReplyError(c, "min or max not valid string range item");
    return false;
}

/* zslCountBetween: members from x to y inclusive (both in the list, x <= y). */
static unsigned long zslCountBetween(const zskiplist *zsl, const zslNode *x, const zslNode *y) {
    size_t xl, yl;
    const char *xm = zslNodeMember(x, &xl), *ym = zslNodeMember(y, &yl);
    return (unsigned long)(zslRank(zsl, y->score, ym, yl) - zslRank(zsl, x->score, xm, xl) + 1);
}

static void zcountCommand(client *c) {
    zrangespec r;
    kvobj *o;
    if (!parseScoreRangeOrReply(c, 2, 3, &r) || !zsLookupRead(c, 1, &o)) return;
    unsigned long count = 0;
    if (o && kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        for (unsigned char *ep = zlFirstInRange(lp, &r); ep; ep = zlNextPair(lp, ep)) {
            if (!zslValueLteMax(zlScore(lpNext(lp, ep)), &r)) break;
            count++;
        }
    } else if (o) {
        zset *zs = kvPtr(o);
        zslNode *x = zslFirstInRange(&zs->zsl, &r);
        if (x) count = zslCountBetween(&zs->zsl, x, zslLastInRange(&zs->zsl, &r));
    }
    addReplyLongLong(c, (long long)count);
}

static void zlexcountCommand(client *c) {
    zlexrangespec r;
    kvobj *o;
    if (!parseLexRangeOrReply(c, 2, 3, &r) || !zsLookupRead(c, 1, &o)) return;
    unsigned long count = 0;
    if (o && kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        for (unsigned char *ep = zlFirstInLexRange(lp, &r); ep; ep = zlNextPair(lp, ep)) {
            if (!zlLexLteMax(ep, &r)) break;
            count++;
        }
    } else if (o) {
        zset *zs = kvPtr(o);
        zslNode *x = zslFirstInLexRange(&zs->zsl, &r);
        if (x) count = zslCountBetween(&zs->zsl, x, zslLastInLexRange(&zs->zsl, &r));
    }
    addReplyLongLong(c, (long long)count);
}

/* ==== ZRANGE and its family ======================================================= */

enum { ZR_AUTO, ZR_RANK, ZR_SCORE, ZR_LEX };
enum { ZD_AUTO, ZD_FORWARD, ZD_REVERSE };

/* zrangeRank emits the members of ranks start..end (negative from the end). */
static void zrangeRank(zres *r, kvobj *o, long long start, long long end, bool rev) {
    long long llen = (long long)zsLength(o);
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        zresBegin(r, 0);
        zresEnd(r);
        return;
    }
    if (end >= llen) end = llen - 1;
    long long n = end - start + 1;
    zresBegin(r, (long)n);
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *ep = lpSeek(lp, rev ? -2 - 2 * start : 2 * start);
        for (; n-- > 0 && ep; ep = rev ? zlPrevPair(lp, ep) : zlNextPair(lp, ep))
            zresEmitEntry(r, lp, ep);
    } else {
        zset *zs = kvPtr(o);
        zslNode *x = zslByRank(&zs->zsl, (uint64_t)(rev ? llen - 1 - start : start));
        for (; n-- > 0 && x; x = rev ? zslPrev(x) : zslNext(x)) zresEmitNode(r, x);
    }
    zresEnd(r);
}

/* zrangeScore emits the members whose scores are in rs, skipping `offset`
 * and stopping after `limit` (negative: no limit). A negative offset skips
 * everything, as Redis's countdown loop does. */
static void zrangeScore(zres *r, kvobj *o, const zrangespec *rs, long long offset,
                        long long limit, bool rev) {
    zresBegin(r, -1);
    if (offset < 0 || (offset > 0 && (unsigned long long)offset >= zsLength(o))) {
        zresEnd(r);
        return;
    }
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *ep = rev ? zlLastInRange(lp, rs) : zlFirstInRange(lp, rs);
        for (; ep && offset > 0; offset--) ep = rev ? zlPrevPair(lp, ep) : zlNextPair(lp, ep);
        for (; ep && limit != 0; limit--) {
            double s = zlScore(lpNext(lp, ep));
            if (rev ? !zslValueGteMin(s, rs) : !zslValueLteMax(s, rs)) break;
            unsigned char buf[LP_INTBUF_SIZE];
            size_t len;
            const char *m = zlMember(ep, &len, buf);
            zresEmit(r, m, len, s, m == (const char *)buf);
            ep = rev ? zlPrevPair(lp, ep) : zlNextPair(lp, ep);
        }
    } else {
        zset *zs = kvPtr(o);
        zslNode *x = rev ? zslLastInRange(&zs->zsl, rs) : zslFirstInRange(&zs->zsl, rs);
        for (; x && offset > 0; offset--) x = rev ? zslPrev(x) : zslNext(x);
        for (; x && limit != 0; limit--) {
            if (rev ? !zslValueGteMin(x->score, rs) : !zslValueLteMax(x->score, rs)) break;
            zresEmitNode(r, x);
            x = rev ? zslPrev(x) : zslNext(x);
        }
    }
    zresEnd(r);
}

/* zrangeLex: zrangeScore over a lexicographical range. */
static void zrangeLex(zres *r, kvobj *o, const zlexrangespec *rl, long long offset,
                      long long limit, bool rev) {
    zresBegin(r, -1);
    if (offset < 0) {
        zresEnd(r);
        return;
    }
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *ep = rev ? zlLastInLexRange(lp, rl) : zlFirstInLexRange(lp, rl);
        for (; ep && offset > 0; offset--) ep = rev ? zlPrevPair(lp, ep) : zlNextPair(lp, ep);
        for (; ep && limit != 0; limit--) {
            if (rev ? !zlLexGteMin(ep, rl) : !zlLexLteMax(ep, rl)) break;
            zresEmitEntry(r, lp, ep);
            ep = rev ? zlPrevPair(lp, ep) : zlNextPair(lp, ep);
        }
    } else {
        zset *zs = kvPtr(o);
        zslNode *x = rev ? zslLastInLexRange(&zs->zsl, rl) : zslFirstInLexRange(&zs->zsl, rl);
        for (; x && offset > 0; offset--) x = rev ? zslPrev(x) : zslNext(x);
        for (; x && limit != 0; limit--) {
            size_t len;
            const char *m = zslNodeMember(x, &len);
            if (rev ? !zslLexGteMin(m, len, rl) : !zslLexLteMax(m, len, rl)) break;
            zresEmitNode(r, x);
            x = rev ? zslPrev(x) : zslNext(x);
        }
    }
    zresEnd(r);
}

/* zrangeOptions parses the options after the bounds (argv[keyi+3] on):
 * WITHSCORES (not with store), LIMIT offset count, and for ZRANGE itself
 * REV, BYSCORE, BYLEX. Replies and returns false on a bad one. */
static bool zrangeOptions(client *c, int keyi, bool store, int *type, int *dir, bool *withscores,
                          long long *offset, long long *limit) {
    for (int j = keyi + 3; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (!store && argEq(c, j, "withscores")) {
            *withscores = true;
        } else if (argEq(c, j, "limit") && left >= 2) {
            if (!getLongLongFromArgOrReply(c, j + 1, offset, NULL) ||
                !getLongLongFromArgOrReply(c, j + 2, limit, NULL))
                return false;
            j += 2;
        } else if (*dir == ZD_AUTO && argEq(c, j, "rev")) {
            *dir = ZD_REVERSE;
        } else if (*type == ZR_AUTO && argEq(c, j, "bylex")) {
            *type = ZR_LEX;
        } else if (*type == ZR_AUTO && argEq(c, j, "byscore")) {
            *type = ZR_SCORE;
        } else {
            addReplyErrorSyntax(c);
            return false;
        }
    }
    if (*dir == ZD_AUTO) *dir = ZD_FORWARD;
    if (*type == ZR_AUTO) *type = ZR_RANK;
    if (*limit != -1 && *type == ZR_RANK) {
        addReplyError(c, "syntax error, LIMIT is only supported in combination with either "
                         "BYSCORE or BYLEX");
        return false;
    }
    if (*withscores && *type == ZR_LEX) {
        addReplyError(c, "syntax error, WITHSCORES not supported in combination with BYLEX");
        return false;
    }
    return true;
}

/* zrangeGeneric: every ZRANGE form. keyi is the source key; with store the
 * destination is argv[1] (ZRANGESTORE). type / dir are fixed by the legacy
 * commands and ZR_AUTO / ZD_AUTO for ZRANGE, whose options choose them. */
static void zrangeGeneric(client *c, int keyi, bool store, int type, int dir) {
    long long offset = 0, limit = -1, start = 0, end = 0;
    bool withscores = false;
    if (!zrangeOptions(c, keyi, store, &type, &dir, &withscores, &offset, &limit)) return;
    bool rev = dir == ZD_REVERSE;
    int mini = keyi + 1, maxi = keyi + 2;
    if (rev && type != ZR_RANK) {      /* reverse score / lex ranges name max first */
        mini = keyi + 2;
        maxi = keyi + 1;
    }
    zrangespec rs;
    zlexrangespec rl;
    if (type == ZR_RANK) {
        if (!getLongLongFromArgOrReply(c, mini, &start, NULL) ||
            !getLongLongFromArgOrReply(c, maxi, &end, NULL))
            return;
    } else if (type == ZR_SCORE) {
        if (!parseScoreRangeOrReply(c, mini, maxi, &rs)) return;
    } else if (!parseLexRangeOrReply(c, mini, maxi, &rl)) {
        return;
    }

    zvec vec = { 0 };
    zres r = { .c = c, .store = store ? &vec : NULL, .withscores = withscores || store };
    kvobj *o = lookupRead(c, keyi);
    if (o && !checkType(c, o, OBJ_ZSET)) return;
    if (!o) {
        if (store) zsetStoreResult(c, 1, &vec, "zrangestore");
        else addReplyArrayLen(c, 0);
        return;
    }
    if (type == ZR_RANK) zrangeRank(&r, o, start, end, rev);
    else if (type == ZR_SCORE) zrangeScore(&r, o, &rs, offset, limit, rev);
    else zrangeLex(&r, o, &rl, offset, limit, rev);
    if (store) {
        if (rev) zvecReverse(&vec);    /* a walk follows the list's order: sorted */
        zsetStoreResult(c, 1, &vec, "zrangestore");
        zvecFree(&vec);
    }
}

static void zrangeCommand(client *c) { zrangeGeneric(c, 1, false, ZR_AUTO, ZD_AUTO); }
static void zrangestoreCommand(client *c) { zrangeGeneric(c, 2, true, ZR_AUTO, ZD_AUTO); }
static void zrevrangeCommand(client *c) { zrangeGeneric(c, 1, false, ZR_RANK, ZD_REVERSE); }
static void zrangebyscoreCommand(client *c) { zrangeGeneric(c, 1, false, ZR_SCORE, ZD_FORWARD); }
static void zrevrangebyscoreCommand(client *c) { zrangeGeneric(c, 1, false, ZR_SCORE, ZD_REVERSE); }
static void zrangebylexCommand(client *c) { zrangeGeneric(c, 1, false, ZR_LEX, ZD_FORWARD); }
static void zrevrangebylexCommand(client *c) { zrangeGeneric(c, 1, false, ZR_LEX, ZD_REVERSE); }

/* ==== ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ============================== */

typedef bool zlKeepFn(unsigned char *lp, unsigned char *ep, const void *spec);

/* zlDeleteRun deletes the run of pairs that starts at ep (NULL: none) and
 * goes on while inRange holds, with one memmove; *deleted = pairs gone. */
static unsigned char *zlDeleteRun(unsigned char *lp, unsigned char *ep, zlKeepFn *inRange,
                                  const void *spec, unsigned long *deleted) {
    unsigned long n = 0;
    for (unsigned char *p = ep; p && inRange(lp, p, spec); p = zlNextPair(lp, p)) n++;
    *deleted = n;
    return n ? lpDeleteRangeAt(lp, &ep, 2 * n) : lp;
}

static bool zlScoreLteMax(unsigned char *lp, unsigned char *ep, const void *spec) {
    return zslValueLteMax(zlScore(lpNext(lp, ep)), spec);
}

static bool zlMemberLteMax(unsigned char *lp, unsigned char *ep, const void *spec) {
    (void)lp;
    return zlLexLteMax(ep, spec);
}

static void zremrangeGeneric(client *c, int type) {
    static const char *const events[] = { [ZR_RANK] = "zremrangebyrank",
                                          [ZR_SCORE] = "zremrangebyscore",
                                          [ZR_LEX] = "zremrangebylex" };
    long long start = 0, end = 0;
    zrangespec rs;
    zlexrangespec rl;
    if (type == ZR_RANK) {
        if (!getLongLongFromArgOrReply(c, 2, &start, NULL) ||
            !getLongLongFromArgOrReply(c, 3, &end, NULL))
            return;
    } else if (type == ZR_SCORE) {
        if (!parseScoreRangeOrReply(c, 2, 3, &rs)) return;
    } else if (!parseLexRangeOrReply(c, 2, 3, &rl)) {
        return;
    }
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_ZSET)) return;
    if (type == ZR_RANK) {
        long long llen = (long long)zsLength(o);
        if (start < 0) start += llen;
        if (end < 0) end += llen;
        if (start < 0) start = 0;
        if (start > end || start >= llen) {
            addReplyLongLong(c, 0);
            return;
        }
        if (end >= llen) end = llen - 1;
    }
    unsigned long deleted = 0;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        if (type == ZR_RANK) {
            deleted = (unsigned long)(end - start + 1);
            lp = lpDeleteRange(lp, (long)(2 * start), 2 * deleted);
        } else if (type == ZR_SCORE) {
            lp = zlDeleteRun(lp, zlFirstInRange(lp, &rs), zlScoreLteMax, &rs, &deleted);
        } else {
            lp = zlDeleteRun(lp, zlFirstInLexRange(lp, &rl), zlMemberLteMax, &rl, &deleted);
        }
        kvSetPtr(o, lp);
    } else {
        zset *zs = kvPtr(o);
        if (type == ZR_RANK) deleted = zsetDeleteRangeByRank(zs, (uint64_t)start, (uint64_t)end);
        else if (type == ZR_SCORE) deleted = zsetDeleteRangeByScore(zs, &rs);
        else deleted = zsetDeleteRangeByLex(zs, &rl);
    }
    if (deleted) {
        zsetNotify(c, 1, events[type]);
        zsetDeleteIfEmpty(c, 1, o);
    }
    addReplyLongLong(c, (long long)deleted);
}

static void zremrangebyrankCommand(client *c) { zremrangeGeneric(c, ZR_RANK); }
static void zremrangebyscoreCommand(client *c) { zremrangeGeneric(c, ZR_SCORE); }
static void zremrangebylexCommand(client *c) { zremrangeGeneric(c, ZR_LEX); }

/* ==== ZPOPMIN ZPOPMAX (and ZMPOP's body) ================================================ */

/* zpopReplyHeader: the array headers before the n popped pairs. */
static void zpopReplyHeader(client *c, int ki, unsigned long n, bool nested, bool emitKey) {
    if (emitKey) {
        addReplyArrayLen(c, nested ? 2 : (long)(n * 2 + 1));
        addReplyBulk(c, c->argv[ki], c->argvlen[ki]);
        if (nested) addReplyArrayLen(c, (long)n);
    } else {
        addReplyArrayLen(c, nested ? (long)n : (long)(n * 2));
    }
}

static void zpopReplyPair(client *c, const char *m, size_t len, double score, bool nested) {
    if (nested) addReplyArrayLen(c, 2);
    addReplyBulk(c, m, len);
    addReplyDouble(c, score);
}

void zsetPopGeneric(client *c, int firstKey, int nkeys, bool max, long long count, bool nested,
                    bool emitKey, bool nilWhenEmpty) {
    kvobj *o = NULL;
    int ki = 0;
    for (int k = 0; k < nkeys && !o; k++) {
        ki = firstKey + k;
        o = lookupWrite(c, ki);
        if (o && !checkType(c, o, OBJ_ZSET)) return;
    }
    if (!o) {
        if (nilWhenEmpty) addReplyNullArray(c);
        else addReplyArrayLen(c, 0);
        return;
    }
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (count < 0) count = 1;
    unsigned long llen = zsLength(o);
    unsigned long n = (unsigned long long)count > llen ? llen : (unsigned long)count;
    zpopReplyHeader(c, ki, n, nested, emitKey);
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *ep = max ? zlLastPair(lp) : lpFirst(lp);
        for (unsigned long i = 0; i < n; i++, ep = max ? zlPrevPair(lp, ep) : zlNextPair(lp, ep)) {
            unsigned char buf[LP_INTBUF_SIZE];
            size_t len;
            const char *m = zlMember(ep, &len, buf);
            zpopReplyPair(c, m, len, zlScore(lpNext(lp, ep)), nested);
        }
        kvSetPtr(o, lpDeleteRange(lp, max ? -2 * (long)n : 0, 2 * n));
    } else {
        zset *zs = kvPtr(o);
        zslNode *x = max ? zslLast(&zs->zsl) : zslFirst(&zs->zsl);
        for (unsigned long i = 0; i < n; i++, x = max ? zslPrev(x) : zslNext(x)) {
            size_t len;
            const char *m = zslNodeMember(x, &len);
            zpopReplyPair(c, m, len, x->score, nested);
        }
        if (max) zsetDeleteRangeByRank(zs, llen - n, llen - 1);
        else zsetDeleteRangeByRank(zs, 0, n - 1);
    }
    zsetNotify(c, ki, max ? "zpopmax" : "zpopmin");
    zsetDeleteIfEmpty(c, ki, o);
}

static void zpopMinMax(client *c, bool max) {
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    long long count = -1;
    if (c->argc == 3) {
        long v;
        if (!getPositiveLongFromArgOrReply(c, 2, &v, NULL)) return;
        count = v;
    }
    /* RESP3 nests the pairs only when a count was given */
    zsetPopGeneric(c, 1, 1, max, count, c->resp > 2 && count != -1, false, false);
}

/* ---- BZPOPMIN BZPOPMAX BZMPOP ---------------------------------------------- */

/* zsetServe pops for a blocking command from argv[ki] (a non-empty zset,
 * its shard locked): BZPOPMIN/MAX reply [key, member, score], BZMPOP
 * [key, [[member, score] ...]]. At once, or for a waiter (blocking.c). */
void zsetServe(client *c, const blockSpec *sp, int ki, kvobj *o) {
    (void)o;
    if (sp->op == BOP_ZPOP) zsetPopGeneric(c, ki, 1, sp->where, -1, false, true, true);
    else zsetPopGeneric(c, ki, 1, sp->where, sp->count, true, true, true);
}

static void bzpopGeneric(client *c, bool max) {
    blockSpec sp = { .op = BOP_ZPOP, .type = OBJ_ZSET, .where = max, .count = -1,
                     .firstkey = 1, .nkeys = c->argc - 2 };
    blockingPop(c, &sp, c->argc - 1);
}

static void bzpopminCommand(client *c) { bzpopGeneric(c, false); }
static void bzpopmaxCommand(client *c) { bzpopGeneric(c, true); }

static void bzmpopCommand(client *c) {
    long long numkeys, count;
    bool max;
    if (!zmpopParse(c, 2, &numkeys, &max, &count)) return;
    blockSpec sp = { .op = BOP_ZMPOP, .type = OBJ_ZSET, .where = max, .count = (long)count,
                     .firstkey = 3, .nkeys = (int)numkeys };
    blockingPop(c, &sp, 1);
}

static void zpopminCommand(client *c) { zpopMinMax(c, false); }
static void zpopmaxCommand(client *c) { zpopMinMax(c, true); }

/* ==== command table ================================================================= */

static const cmdArg keyArg[] = { { "key", ARG_KEY, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keyMemberArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keyMembersArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg zaddCondition[] = {
    { "nx", ARG_PURE_TOKEN, "NX", 0, NULL, NULL },
    { "xx", ARG_PURE_TOKEN, "XX", 0, NULL, NULL }, { 0 } };
static const cmdArg zaddComparison[] = {
    { "gt", ARG_PURE_TOKEN, "GT", 0, NULL, NULL },
    { "lt", ARG_PURE_TOKEN, "LT", 0, NULL, NULL }, { 0 } };
static const cmdArg scoreMember[] = {
    { "score", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg zaddArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "condition", ARG_ONEOF, NULL, ARGF_OPTIONAL, zaddCondition, "3.0.2" },
    { "comparison", ARG_ONEOF, NULL, ARGF_OPTIONAL, zaddComparison, "6.2.0" },
    { "change", ARG_PURE_TOKEN, "CH", ARGF_OPTIONAL, NULL, "3.0.2" },
    { "increment", ARG_PURE_TOKEN, "INCR", ARGF_OPTIONAL, NULL, "3.0.2" },
    { "data", ARG_BLOCK, NULL, ARGF_MULTIPLE, scoreMember, NULL }, { 0 } };
static const cmdArg zincrbyArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "increment", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg scoreRangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "min", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "max", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg lexRangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "min", ARG_STRING, NULL, 0, NULL, NULL },
    { "max", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg rankRangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "start", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "stop", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg limitBlock[] = {
    { "offset", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg sortBy[] = {
    { "byscore", ARG_PURE_TOKEN, "BYSCORE", 0, NULL, NULL },
    { "bylex", ARG_PURE_TOKEN, "BYLEX", 0, NULL, NULL }, { 0 } };
static const cmdArg zrangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "start", ARG_STRING, NULL, 0, NULL, NULL },
    { "stop", ARG_STRING, NULL, 0, NULL, NULL },
    { "sortby", ARG_ONEOF, NULL, ARGF_OPTIONAL, sortBy, "6.2.0" },
    { "rev", ARG_PURE_TOKEN, "REV", ARGF_OPTIONAL, NULL, "6.2.0" },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, limitBlock, "6.2.0" },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zrangestoreArgs[] = {
    { "dst", ARG_KEY, NULL, 0, NULL, NULL },
    { "src", ARG_KEY, NULL, 0, NULL, NULL },
    { "min", ARG_STRING, NULL, 0, NULL, NULL },
    { "max", ARG_STRING, NULL, 0, NULL, NULL },
    { "sortby", ARG_ONEOF, NULL, ARGF_OPTIONAL, sortBy, NULL },
    { "rev", ARG_PURE_TOKEN, "REV", ARGF_OPTIONAL, NULL, NULL },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, limitBlock, NULL }, { 0 } };
static const cmdArg zrevrangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "start", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "stop", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zrangebyscoreArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "min", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "max", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, "2.0.0" },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, limitBlock, NULL }, { 0 } };
static const cmdArg zrevrangebyscoreArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "max", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "min", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, NULL },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, limitBlock, NULL }, { 0 } };
static const cmdArg zrangebylexArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "min", ARG_STRING, NULL, 0, NULL, NULL },
    { "max", ARG_STRING, NULL, 0, NULL, NULL },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, limitBlock, NULL }, { 0 } };
static const cmdArg zrevrangebylexArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "max", ARG_STRING, NULL, 0, NULL, NULL },
    { "min", ARG_STRING, NULL, 0, NULL, NULL },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, limitBlock, NULL }, { 0 } };
static const cmdArg zpopArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg aggregateOneof[] = {
    { "sum", ARG_PURE_TOKEN, "SUM", 0, NULL, NULL },
    { "min", ARG_PURE_TOKEN, "MIN", 0, NULL, NULL },
    { "max", ARG_PURE_TOKEN, "MAX", 0, NULL, NULL }, { 0 } };
static const cmdArg zcombineArgs[] = {          /* ZUNION ZINTER */
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "weight", ARG_INTEGER, "WEIGHTS", ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL },
    { "aggregate", ARG_ONEOF, "AGGREGATE", ARGF_OPTIONAL, aggregateOneof, NULL },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zcombinestoreArgs[] = {     /* ZUNIONSTORE ZINTERSTORE */
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "weight", ARG_INTEGER, "WEIGHTS", ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL },
    { "aggregate", ARG_ONEOF, "AGGREGATE", ARGF_OPTIONAL, aggregateOneof, NULL }, { 0 } };
static const cmdArg zdiffArgs[] = {
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zdiffstoreArgs[] = {
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg zintercardArgs[] = {
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "limit", ARG_INTEGER, "LIMIT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zmpopWhere[] = {
    { "min", ARG_PURE_TOKEN, "MIN", 0, NULL, NULL },
    { "max", ARG_PURE_TOKEN, "MAX", 0, NULL, NULL }, { 0 } };
static const cmdArg bzpopArgs[] = {
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "timeout", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg bzmpopArgs[] = {
    { "timeout", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "where", ARG_ONEOF, NULL, 0, zmpopWhere, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zmpopArgs[] = {
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "where", ARG_ONEOF, NULL, 0, zmpopWhere, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zrandOptions[] = {
    { "count", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "withscores", ARG_PURE_TOKEN, "WITHSCORES", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg zrandmemberArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "options", ARG_BLOCK, NULL, ARGF_OPTIONAL, zrandOptions, NULL }, { 0 } };
static const cmdArg zscanArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "cursor", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "MATCH", ARGF_OPTIONAL, NULL, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

/* The shape of most entries: one key at argv[1]. */
#define ZKEY1 .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "sorted-set"
/* numkeys commands: keys found by a getkeys function (call() locks them) */
#define ZNUMKEYS(fn) .getkeys = fn, .group = "sorted-set"
#define LOGN "O(log(N)), N being the number of members of the sorted set."
#define RANGE_COST "O(log(N)+M), N being the number of members of the sorted set and M the " \
                   "number of members returned."
#define REMRANGE_COST "O(log(N)+M), N being the number of members of the sorted set and M the " \
                      "number of members removed."
#define POP_COST "O(log(N)*M), N being the number of members of the sorted set and M the " \
                 "number of members popped."
#define COMBINE_COST "O(N)+O(M*log(M)), N being the sum of the sizes of the inputs and M the " \
                     "number of members of the result."

cmdDef zsetCommands[] = {
    { .name = "zadd", .proc = zaddCommand, .arity = -4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, ZKEY1, .acl = "write sortedset fast",
      .since = "1.2.0", .args = zaddArgs,
      .complexity = "O(log(N)) for each member given, N being the number of members of the "
                    "sorted set.",
      .summary = "Adds members with scores to a sorted set, or updates the scores of members "
                 "already in it." },
    { .name = "zincrby", .proc = zincrbyCommand, .arity = 4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, ZKEY1, .acl = "write sortedset fast",
      .since = "1.2.0", .complexity = LOGN, .args = zincrbyArgs,
      .summary = "Adds an increment to a member's score (a missing member starts at 0)." },
    { .name = "zrem", .proc = zremCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, ZKEY1,
      .acl = "write sortedset fast", .since = "1.2.0", .args = keyMembersArgs,
      .complexity = "O(M*log(N)), N being the number of members of the sorted set and M the "
                    "number of members named.",
      .summary = "Removes members from a sorted set, deleting the key when none is left." },
    { .name = "zcard", .proc = zcardCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, ZKEY1,
      .acl = "read sortedset fast", .since = "1.2.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Returns the number of members of a sorted set." },
    { .name = "zcount", .proc = zcountCommand, .arity = 4, .flags = CMD_READONLY | CMD_FAST, ZKEY1,
      .acl = "read sortedset fast", .since = "2.0.0", .complexity = LOGN, .args = scoreRangeArgs,
      .summary = "Counts the members of a sorted set whose scores lie in a range." },
    { .name = "zlexcount", .proc = zlexcountCommand, .arity = 4,
      .flags = CMD_READONLY | CMD_FAST, ZKEY1, .acl = "read sortedset fast", .since = "2.8.9",
      .complexity = LOGN, .args = lexRangeArgs,
      .summary = "Counts the members of a sorted set that lie in a lexicographical range." },
    { .name = "zscore", .proc = zscoreCommand, .arity = 3, .flags = CMD_READONLY | CMD_FAST, ZKEY1,
      .acl = "read sortedset fast", .since = "1.2.0", .complexity = "O(1)", .args = keyMemberArgs,
      .summary = "Returns the score of a member of a sorted set." },
    { .name = "zmscore", .proc = zmscoreCommand, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
      ZKEY1, .acl = "read sortedset fast", .since = "6.2.0",
      .complexity = "O(N), N being the number of members asked for.", .args = keyMembersArgs,
      .summary = "Returns the scores of several members of a sorted set." },
    { .name = "zrank", .proc = zrankCommand, .arity = 3, .flags = CMD_READONLY | CMD_FAST, ZKEY1,
      .acl = "read sortedset fast", .since = "2.0.0", .complexity = LOGN, .args = keyMemberArgs,
      .summary = "Returns a member's position in a sorted set, lowest score first." },
    { .name = "zrevrank", .proc = zrevrankCommand, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
      ZKEY1, .acl = "read sortedset fast", .since = "2.0.0", .complexity = LOGN,
      .args = keyMemberArgs,
      .summary = "Returns a member's position in a sorted set, highest score first." },
    { .name = "zrange", .proc = zrangeCommand, .arity = -4, .flags = CMD_READONLY, ZKEY1,
      .acl = "read sortedset slow", .since = "1.2.0", .complexity = RANGE_COST, .args = zrangeArgs,
      .summary = "Returns the members of a sorted set in a range of ranks, scores or "
                 "lexicographical values." },
    { .name = "zrangestore", .proc = zrangestoreCommand, .arity = -5,
      .flags = CMD_WRITE | CMD_DENYOOM, .firstkey = 1, .lastkey = 2, .keystep = 1,
      .group = "sorted-set", .acl = "write sortedset slow", .since = "6.2.0",
      .complexity = "O(log(N)+M), N being the number of members of the source and M the number "
                    "of members stored.",
      .args = zrangestoreArgs,
      .summary = "Stores a range of a sorted set's members in another key." },
    { .name = "zrevrange", .proc = zrevrangeCommand, .arity = -4, .flags = CMD_READONLY, ZKEY1,
      .acl = "read sortedset slow", .since = "1.2.0", .complexity = RANGE_COST,
      .args = zrevrangeArgs,
      .summary = "Returns the members of a sorted set in a range of ranks, highest score first." },
    { .name = "zrangebyscore", .proc = zrangebyscoreCommand, .arity = -4, .flags = CMD_READONLY,
      ZKEY1, .acl = "read sortedset slow", .since = "1.0.5", .complexity = RANGE_COST,
      .args = zrangebyscoreArgs,
      .summary = "Returns the members of a sorted set whose scores lie in a range." },
    { .name = "zrevrangebyscore", .proc = zrevrangebyscoreCommand, .arity = -4,
      .flags = CMD_READONLY, ZKEY1, .acl = "read sortedset slow", .since = "2.2.0",
      .complexity = RANGE_COST, .args = zrevrangebyscoreArgs,
      .summary = "Returns the members of a sorted set whose scores lie in a range, highest "
                 "score first." },
    { .name = "zrangebylex", .proc = zrangebylexCommand, .arity = -4, .flags = CMD_READONLY,
      ZKEY1, .acl = "read sortedset slow", .since = "2.8.9", .complexity = RANGE_COST,
      .args = zrangebylexArgs,
      .summary = "Returns the members of a sorted set that lie in a lexicographical range." },
    { .name = "zrevrangebylex", .proc = zrevrangebylexCommand, .arity = -4,
      .flags = CMD_READONLY, ZKEY1, .acl = "read sortedset slow", .since = "2.8.9",
      .complexity = RANGE_COST, .args = zrevrangebylexArgs,
      .summary = "Returns the members of a sorted set that lie in a lexicographical range, in "
                 "reverse order." },
    { .name = "zremrangebyrank", .proc = zremrangebyrankCommand, .arity = 4, .flags = CMD_WRITE,
      ZKEY1, .acl = "write sortedset slow", .since = "2.0.0", .complexity = REMRANGE_COST,
      .args = rankRangeArgs,
      .summary = "Removes the members of a sorted set in a range of ranks." },
    { .name = "zremrangebyscore", .proc = zremrangebyscoreCommand, .arity = 4, .flags = CMD_WRITE,
      ZKEY1, .acl = "write sortedset slow", .since = "1.2.0", .complexity = REMRANGE_COST,
      .args = scoreRangeArgs,
      .summary = "Removes the members of a sorted set whose scores lie in a range." },
    { .name = "zremrangebylex", .proc = zremrangebylexCommand, .arity = 4, .flags = CMD_WRITE,
      ZKEY1, .acl = "write sortedset slow", .since = "2.8.9", .complexity = REMRANGE_COST,
      .args = lexRangeArgs,
      .summary = "Removes the members of a sorted set that lie in a lexicographical range." },
    { .name = "zpopmin", .proc = zpopminCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
      ZKEY1, .acl = "write sortedset fast", .since = "5.0.0", .complexity = POP_COST,
      .args = zpopArgs,
      .summary = "Removes and returns the members with the lowest scores of a sorted set." },
    { .name = "zpopmax", .proc = zpopmaxCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
      ZKEY1, .acl = "write sortedset fast", .since = "5.0.0", .complexity = POP_COST,
      .args = zpopArgs,
      .summary = "Removes and returns the members with the highest scores of a sorted set." },
    { .name = "bzpopmin", .proc = bzpopminCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_FAST | CMD_BLOCKING | CMD_NOSCRIPT, .firstkey = 1, .lastkey = -2, .keystep = 1,
      .group = "sorted_set", .acl = "write sortedset fast blocking", .since = "5.0.0",
      .args = bzpopArgs, .complexity = "O(log(N)) with N being the number of elements in the "
      "sorted set.",
      .summary = "Pops the member with the lowest score from the first non-empty sorted set, "
                 "or waits for one to be added." },
    { .name = "bzpopmax", .proc = bzpopmaxCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_FAST | CMD_BLOCKING | CMD_NOSCRIPT, .firstkey = 1, .lastkey = -2, .keystep = 1,
      .group = "sorted_set", .acl = "write sortedset fast blocking", .since = "5.0.0",
      .args = bzpopArgs, .complexity = "O(log(N)) with N being the number of elements in the "
      "sorted set.",
      .summary = "Pops the member with the highest score from the first non-empty sorted "
                 "set, or waits for one to be added." },
    { .name = "bzmpop", .proc = bzmpopCommand, .arity = -5, .flags = CMD_WRITE | CMD_BLOCKING,
      .getkeys = bzmpopGetKeys, .group = "sorted_set", .acl = "write sortedset slow blocking",
      .since = "7.0.0", .args = bzmpopArgs,
      .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the "
                    "number of elements in the sorted set, and M being the number of elements "
                    "popped.",
      .summary = "Pops members from the first non-empty sorted set among several keys, or "
                 "waits for one to be added." },
    { .name = "zmpop", .proc = zmpopCommand, .arity = -4, .flags = CMD_WRITE,
      ZNUMKEYS(zsetNumkeysGetKeys), .acl = "write sortedset slow", .since = "7.0.0",
      .complexity = "O(K)+O(M*log(N)), K being the number of keys named, N the number of "
                    "members of the sorted set popped from and M the number popped.",
      .args = zmpopArgs,
      .summary = "Pops the members with the lowest or highest scores from the first non-empty "
                 "sorted set of several." },
    { .name = "zunion", .proc = zunionCommand, .arity = -3, .flags = CMD_READONLY,
      ZNUMKEYS(zsetNumkeysGetKeys), .acl = "read sortedset slow", .since = "6.2.0",
      .complexity = COMBINE_COST, .args = zcombineArgs,
      .summary = "Returns the union of sorted sets (and sets), combining scores." },
    { .name = "zinter", .proc = zinterCommand, .arity = -3, .flags = CMD_READONLY,
      ZNUMKEYS(zsetNumkeysGetKeys), .acl = "read sortedset slow", .since = "6.2.0",
      .complexity = "O(N*K)+O(M*log(M)), N being the size of the smallest input, K the number "
                    "of inputs and M the number of members of the result.",
      .args = zcombineArgs,
      .summary = "Returns the intersection of sorted sets (and sets), combining scores." },
    { .name = "zdiff", .proc = zdiffCommand, .arity = -3, .flags = CMD_READONLY,
      ZNUMKEYS(zsetNumkeysGetKeys), .acl = "read sortedset slow", .since = "6.2.0",
      .complexity = "O(N*K)+O(M*log(M)), N being the size of the first input, K the number of "
                    "inputs and M the number of members of the result.",
      .args = zdiffArgs,
      .summary = "Returns the members of the first sorted set that none of the others has." },
    { .name = "zunionstore", .proc = zunionstoreCommand, .arity = -4,
      .flags = CMD_WRITE | CMD_DENYOOM, .firstkey = 1, .lastkey = 1, .keystep = 1,
      ZNUMKEYS(zsetStoreNumkeysGetKeys), .acl = "write sortedset slow", .since = "2.0.0",
      .complexity = COMBINE_COST, .args = zcombinestoreArgs,
      .summary = "Stores the union of sorted sets (and sets) in a key, combining scores." },
    { .name = "zinterstore", .proc = zinterstoreCommand, .arity = -4,
      .flags = CMD_WRITE | CMD_DENYOOM, .firstkey = 1, .lastkey = 1, .keystep = 1,
      ZNUMKEYS(zsetStoreNumkeysGetKeys), .acl = "write sortedset slow", .since = "2.0.0",
      .complexity = "O(N*K)+O(M*log(M)), N being the size of the smallest input, K the number "
                    "of inputs and M the number of members of the result.",
      .args = zcombinestoreArgs,
      .summary = "Stores the intersection of sorted sets (and sets) in a key, combining "
                 "scores." },
    { .name = "zdiffstore", .proc = zdiffstoreCommand, .arity = -4,
      .flags = CMD_WRITE | CMD_DENYOOM, .firstkey = 1, .lastkey = 1, .keystep = 1,
      ZNUMKEYS(zsetStoreNumkeysGetKeys), .acl = "write sortedset slow", .since = "6.2.0",
      .complexity = "O(N*K)+O(M*log(M)), N being the size of the first input, K the number of "
                    "inputs and M the number of members of the result.",
      .args = zdiffstoreArgs,
      .summary = "Stores in a key the members of the first sorted set that none of the others "
                 "has." },
    { .name = "zintercard", .proc = zintercardCommand, .arity = -3, .flags = CMD_READONLY,
      ZNUMKEYS(zsetNumkeysGetKeys), .acl = "read sortedset slow", .since = "7.0.0",
      .complexity = "O(N*K), N being the size of the smallest input and K the number of inputs.",
      .args = zintercardArgs,
      .summary = "Counts the members of the intersection of sorted sets (and sets), optionally "
                 "stopping at a limit." },
    { .name = "zrandmember", .proc = zrandmemberCommand, .arity = -2, .flags = CMD_READONLY,
      ZKEY1, .acl = "read sortedset slow", .since = "6.2.0",
      .complexity = "O(N), N being the number of members returned.", .args = zrandmemberArgs,
      .summary = "Returns random members of a sorted set, distinct or with repeats." },
    { .name = "zscan", .proc = zscanCommand, .arity = -3, .flags = CMD_READONLY, ZKEY1,
      .acl = "read sortedset slow", .since = "2.8.0",
      .complexity = "O(1) a call; O(N) for a complete iteration, N being the number of members.",
      .args = zscanArgs,
      .summary = "Walks the members and scores of a sorted set a few at a time with a cursor." },
    { 0 }
};
