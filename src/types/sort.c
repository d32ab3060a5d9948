/* sort.c — SORT and SORT_RO over lists, sets and sorted sets.
 *
 *   SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 *        [ALPHA] [STORE destination]            (SORT_RO: the same, no STORE)
 *
 * Behaviour, replies and error texts are Redis 7.0's (checked against
 * redis-server 7.0.15), in RESP2 and RESP3:
 *  - the options are parsed first (a syntax error or a bad LIMIT number wins
 *    over WRONGTYPE), then the key is looked up; a missing key sorts as an
 *    empty list;
 *  - BY without '*' ("nosort" by convention) means no sorting, even if
 *    another BY with '*' follows (Redis never clears the flag): lists and
 *    sorted sets come out in their own order (DESC reverses it, LIMIT takes
 *    the range directly); a set is then sorted ALPHA anyway when STORE is
 *    given, so that what is stored does not depend on the set's layout;
 *  - numeric sorting parses each element (or BY value) with strtod over the
 *    whole C string, as Redis does ("" is 0, leading blanks and hex are
 *    accepted, NaN and overflow are not: "One or more scores can't be
 *    converted into double"); equal scores are ordered by the elements'
 *    bytes; a missing BY key scores 0. (Redis 7.0 does not clear errno
 *    before strtod, so after one overflow its later numeric SORTs fail
 *    until some system call resets errno; roost clears it: no such echo);
 *  - ALPHA compares bytes (memcmp, then length). Redis uses strcoll when not
 *    storing; under the C / C.UTF-8 collation the servers run with this is
 *    the same order except for strings with NUL bytes, which strcoll cuts
 *    short. With ALPHA and BY, elements whose BY key is missing sort first;
 *  - ties that Redis leaves to qsort keep the elements' original order
 *    (glibc's qsort is a stable merge sort for these sizes);
 *  - patterns: "#" is the element itself; otherwise the first '*' is
 *    replaced by the element, and "->field" after it (with at least one
 *    byte of field name) reads a hash field instead of a string. A pattern
 *    without '*' finds nothing (GET answers nil). Like Redis, the pattern
 *    is searched as a C string (up to a NUL byte) but copied whole;
 *  - LIMIT is clamped to the vector's size the way 7.0 does, so any pair of
 *    integers works; STORE writes a list (replacing any value and its TTL)
 *    with missing GET values as empty strings, or deletes the destination
 *    when there is nothing to store, and answers the number of elements.
 *
 * Sorted sets: like Redis (7.0 and 7.2 alike), SORT converts a listpack
 * sorted set to the skiplist encoding before reading it ("Destructively
 * convert encoded sorted sets"), even SORT_RO; OBJECT ENCODING shows it.
 * The converted value is a `zset *` (skiplist.h), the representation the
 * sorted-set family uses for ENC_SKIPLIST. Sets are read by encoding:
 * intset, listpack (7.2's small sets) or a DICT_SET dict; hashes (for
 * "->field") as a field/value listpack or a DICT_HASH dict.
 *
 * Locking. BY and GET patterns name keys that are not arguments, so SORT
 * and SORT_RO are CMD_LOCK_SELF and lock for themselves once the options are
 * parsed (before any key is read):
 *  - when some pattern will be looked up (BY with '*', or a GET pattern
 *    with '*'), every shard of the client's db, in ascending order, for the
 *    whole command — the simplest way to be atomic over keys that are only
 *    known while sorting;
 *  - otherwise only the shards of the sorted key and of the STORE
 *    destination, ascending (one lock when they share a shard).
 * Nothing parks while they are held (no rtMaybeYield: a huge SORT with
 * patterns holds the db, as Redis's single thread would). EXEC and scripts
 * that already hold every shard will need these lock calls to become
 * no-ops (sortLock/sortUnlock below are the only places that lock).
 *
 * Elements, and BY values kept for ALPHA comparisons, are copied into one
 * arena before sorting, so nothing points into a structure that lookups
 * (lazy expiry) or STORE (which may replace the sorted key itself) change.
 */
#include "server/server.h"
#include "storage/dict.h"
#include "storage/hash.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/quicklist.h"
#include "storage/skiplist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

/* from t_list.c */
unsigned long listLength(kvobj *o);
kvobj *listNewFromQuicklist(const char *key, size_t klen, quicklist *ql);

/* ---- arena ------------------------------------------------------------------------ */

typedef struct arena {
    char *buf;
    size_t len, cap;
} arena;

/* arenaAdd appends n bytes (p may point into the arena itself) and
 * returns their offset. */
static size_t arenaAdd(arena *a, const void *p, size_t n) {
    if (a->len + n > a->cap) {
        const char *cp = p;
        bool inside = a->buf && cp >= a->buf && cp < a->buf + a->len;
        size_t poff = inside ? (size_t)(cp - a->buf) : 0;
        size_t cap = a->cap ? a->cap : 256;
        while (cap < a->len + n) cap *= 2;
        a->buf = zrealloc(a->buf, cap);
        a->cap = cap;
        if (inside) p = a->buf + poff;
    }
    size_t off = a->len;
    if (n) memcpy(a->buf + off, p, n);
    a->len += n;
    return off;
}

/* ---- the sort vector ------------------------------------------------------------- */

typedef struct sortItem {
    size_t off, len;          /* the element, in the arena */
    size_t cmpoff, cmplen;    /* ALPHA + BY: the BY value, in the arena */
    double score;             /* numeric sort: the score */
    size_t idx;               /* original position: ties keep it */
    bool hasCmp;              /* the BY key existed */
} sortItem;

typedef struct sortVec {
    sortItem *v;
    size_t n, cap;
    arena a;
} sortVec;

static void vecAdd(sortVec *sv, const void *p, size_t len) {
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = zrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sortItem *it = &sv->v[sv->n];
    memset(it, 0, sizeof *it);
    it->off = arenaAdd(&sv->a, p, len);
    it->len = len;
    it->idx = sv->n++;
}

static void vecAddInt(sortVec *sv, long long v) {
    char buf[24];
    vecAdd(sv, buf, (size_t)ll2str(buf, v));
}

static void vecAddLp(sortVec *sv, const unsigned char *p) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *s = lpGetStr(p, &len, buf);
    vecAdd(sv, s, len);
}

/* ---- parsed command ---------------------------------------------------------------- */

typedef struct sortCtx {
    client *c;
    bool desc, alpha, dontsort, store;
    int byIdx;                /* argv index of the BY pattern, 0 = none */
    int storeIdx;             /* argv index of the STORE key, 0 = none */
    int *getIdx;              /* argv indexes of the GET patterns */
    int nget;
    long long limitStart, limitCount;
    char *keybuf;             /* scratch for substituted key names */
    size_t keycap;
    char numbuf[LP_INTBUF_SIZE];   /* an integer value formatted for a reply */
} sortCtx;

/* cstrlen: the length of the C string at the start of argv[i] (patterns
 * are searched up to a NUL byte, as Redis does). */
static size_t cstrlen(const char *p, size_t n) {
    const char *z = memchr(p, '\0', n);
    return z ? (size_t)(z - p) : n;
}

static bool patternHasStar(client *c, int i) {
    return memchr(c->argv[i], '*', cstrlen(c->argv[i], c->argvlen[i])) != NULL;
}

/* ---- pattern lookups --------------------------------------------------------------- */

/* lookupByPattern: the value that pattern argv[pi] names for the element
 * elem, as bytes (*out, *outlen) valid until the next lookup or keyspace
 * change; false when there is none. */
static bool lookupByPattern(sortCtx *x, int pi, const char *elem, size_t elen, const char **out,
                            size_t *outlen) {
    client *c = x->c;
    const char *pat = c->argv[pi];
    size_t plen = c->argvlen[pi], clen = cstrlen(pat, plen);
    if (clen == 1 && pat[0] == '#') {
        *out = elem;
        *outlen = elen;
        return true;
    }
    const char *star = memchr(pat, '*', clen);
    if (!star) return false;
    const char *field = NULL;
    size_t flen = 0;
    for (const char *f = star + 1; f + 2 < pat + clen; f++) {
        if (f[0] == '-' && f[1] == '>') {
            field = f + 2;
            flen = plen - (size_t)(field - pat);
            break;
        }
    }
    size_t prefix = (size_t)(star - pat);
    size_t postfix = plen - prefix - 1 - (field ? flen + 2 : 0);
    size_t klen = prefix + elen + postfix;
    if (klen > x->keycap) {
        x->keycap = klen < 256 ? 256 : klen;
        x->keybuf = zrealloc(x->keybuf, x->keycap);
    }
    memcpy(x->keybuf, pat, prefix);
    memcpy(x->keybuf + prefix, elem, elen);
    memcpy(x->keybuf + prefix + elen, star + 1, postfix);

    uint64_t h = hashBytes(x->keybuf, klen);
    kvobj **l = dbFindLink(ksShard(c->db, h), h, x->keybuf, klen, c->nowms, false);
    if (!x->store) hotStatAdd(l ? HSTAT_HITS : HSTAT_MISSES, 1);
    if (!l) {
        notifyKeyspaceEvent(c, NOTIFY_KEY_MISS, "keymiss", x->keybuf, klen, c->db);
        return false;
    }
    kvobj *o = *l;
    dbTouch(o);
    if (!field) {
        if (kvType(o) != OBJ_STRING) return false;
        *out = kvStr(o, x->numbuf, outlen);
        return true;
    }
    if (kvType(o) != OBJ_HASH) return false;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *k = lpFindKey(lp, field, flen);
        if (!k) return false;
        *out = (const char *)lpGetStr(lpNext(lp, k), outlen, (unsigned char *)x->numbuf);
        return true;
    }
    *out = dictHashGet(kvPtr(o), field, flen, outlen);
    return *out != NULL;
}

/* ---- loading the elements -------------------------------------------------------------- */

/* zsetToSkiplist: Redis converts a listpack sorted set before sorting it. */
static void zsetToSkiplist(kvobj *o) {
    if (kvEnc(o) != ENC_LISTPACK) return;
    unsigned char *lp = kvPtr(o), *p = lpFirst(lp);
    zset *zs = zsetCreate();
    lpValue k, v;
    while (lpNextPair(lp, &p, &k, &v)) {
        unsigned char buf[LP_INTBUF_SIZE];
        size_t mlen;
        const unsigned char *m = lpValueStr(&k, &mlen, buf);
        double score = 0;
        lpValueDouble(&v, &score);
        zsetInsert(zs, score, (const char *)m, mlen);
    }
    lpFree(lp);
    kvSetPtr(o, zs);
    kvSetEnc(o, ENC_SKIPLIST);
}

static unsigned long setSize(kvobj *o) {
    switch (kvEnc(o)) {
    case ENC_INTSET: return intsetLen(kvPtr(o));
    case ENC_LISTPACK: return lpLength(kvPtr(o));
    default: return dictSize((dict *)kvPtr(o));
    }
}

static void loadSet(sortVec *sv, kvobj *o) {
    switch (kvEnc(o)) {
    case ENC_INTSET: {
        intset *is = kvPtr(o);
        int64_t v;
        for (uint32_t i = 0; intsetGet(is, i, &v); i++) vecAddInt(sv, v);
        break;
    }
    case ENC_LISTPACK: {
        unsigned char *lp = kvPtr(o);
        for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) vecAddLp(sv, p);
        break;
    }
    default: {
        dictIter it;
        dictEntry *e;
        dictIterInit(&it, kvPtr(o), false);
        while ((e = dictIterNext(&it))) {
            size_t len;
            const char *m = dictSetMember(e, &len);
            vecAdd(sv, m, len);
        }
        dictIterRelease(&it);
        break;
    }
    }
}

/* loadList adds n elements from index `from`, towards the tail or (desc)
 * towards the head. */
static void loadList(sortVec *sv, kvobj *o, long from, long n, bool desc) {
    if (n <= 0) return;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        for (unsigned char *p = lpSeek(lp, from); p && n-- > 0;
             p = desc ? lpPrev(lp, p) : lpNext(lp, p))
            vecAddLp(sv, p);
        return;
    }
    quicklistIter it;
    quicklistEntry e;
    if (quicklistIterInitAt(&it, kvPtr(o), desc ? QL_TAIL : QL_HEAD, from)) {
        while (n-- > 0 && quicklistNext(&it, &e)) {
            if (e.v.sval) vecAdd(sv, e.v.sval, e.v.slen);
            else vecAddInt(sv, e.v.lval);
        }
    }
    quicklistIterDone(&it);
}

/* loadZset adds n members from rank `from` (0-based, counted from the top
 * when desc), in score order or (desc) reversed. */
static void loadZset(sortVec *sv, kvobj *o, long from, long n, bool desc) {
    zset *zs = kvPtr(o);
    if (n <= 0) return;
    uint64_t len = zsetLen(zs);
    zslNode *x = zslByRank(&zs->zsl, desc ? len - 1 - (uint64_t)from : (uint64_t)from);
    for (; x && n-- > 0; x = desc ? zslPrev(x) : zslNext(x)) {
        size_t mlen;
        const char *m = zslNodeMember(x, &mlen);
        vecAdd(sv, m, mlen);
    }
}

/* ---- comparing ----------------------------------------------------------------------- */

typedef struct sortCmpCtx {
    const char *base;
    bool desc, alpha, bypattern;
} sortCmpCtx;

static int bytesCmp(const char *a, size_t alen, const char *b, size_t blen) {
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r) return r;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int sortCompare(const void *pa, const void *pb, void *arg) {
    const sortItem *a = pa, *b = pb;
    const sortCmpCtx *x = arg;
    int cmp;
    if (!x->alpha) {
        if (a->score > b->score) cmp = 1;
        else if (a->score < b->score) cmp = -1;
        else cmp = bytesCmp(x->base + a->off, a->len, x->base + b->off, b->len);
    } else if (x->bypattern) {
        if (!a->hasCmp || !b->hasCmp) cmp = a->hasCmp == b->hasCmp ? 0 : !a->hasCmp ? -1 : 1;
        else cmp = bytesCmp(x->base + a->cmpoff, a->cmplen, x->base + b->cmpoff, b->cmplen);
    } else {
        cmp = bytesCmp(x->base + a->off, a->len, x->base + b->off, b->len);
    }
    if (x->desc) cmp = -cmp;
    if (cmp == 0) cmp = a->idx < b->idx ? -1 : a->idx > b->idx ? 1 : 0;
    return cmp;
}

/* parseScore: Redis's strtod over the C string; false on junk, overflow or
 * NaN. */
static bool parseScore(const char *s, size_t len, double *out) {
    char small[128];
    char *buf = len < sizeof small ? small : zmalloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    bool ok = end[0] == '\0' && errno != ERANGE && !isnan(d);
    if (buf != small) zfree(buf);
    *out = d;
    return ok;
}

/* ---- locking --------------------------------------------------------------------------- */

/* The shards a SORT holds: every shard of the db, or the one or two of the
 * sorted key and the STORE destination (a < b, or b == -1). */
typedef struct sortLocks {
    int db;
    bool all;
    int a, b;
} sortLocks;

/* sortLock takes the shards in ascending order (the order call() and every
 * CMD_LOCK_SELF command use); sortUnlock releases them in reverse. These
 * two are the only places SORT locks. */
static void sortLock(sortLocks *l) {
    if (l->all) {
        for (int i = 0; i < ks.nshards; i++) cmdShardLock(NULL, ksShardAt(l->db, i));
        return;
    }
    cmdShardLock(NULL, ksShardAt(l->db, l->a));
    if (l->b >= 0) cmdShardLock(NULL, ksShardAt(l->db, l->b));
}

static void sortUnlock(sortLocks *l) {
    if (l->all) {
        for (int i = ks.nshards - 1; i >= 0; i--) cmdShardUnlock(NULL, ksShardAt(l->db, i));
        return;
    }
    if (l->b >= 0) cmdShardUnlock(NULL, ksShardAt(l->db, l->b));
    cmdShardUnlock(NULL, ksShardAt(l->db, l->a));
}

static sortLocks sortLocksFor(sortCtx *x, bool all) {
    client *c = x->c;
    sortLocks l = { .db = c->db, .all = all, .a = ksShardIndex(c->arghash[1]), .b = -1 };
    if (x->storeIdx) {
        int b = ksShardIndex(c->arghash[x->storeIdx]);
        if (b < l.a) {
            l.b = l.a;
            l.a = b;
        } else if (b > l.a) {
            l.b = b;
        }
    }
    return l;
}

/* ---- parsing ---------------------------------------------------------------------------- */

static bool sortParse(sortCtx *x, bool readonly) {
    client *c = x->c;
    for (int j = 2; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (argEq(c, j, "asc")) {
            x->desc = false;
        } else if (argEq(c, j, "desc")) {
            x->desc = true;
        } else if (argEq(c, j, "alpha")) {
            x->alpha = true;
        } else if (argEq(c, j, "limit") && left >= 2) {
            if (!getLongLongFromArgOrReply(c, j + 1, &x->limitStart, NULL) ||
                !getLongLongFromArgOrReply(c, j + 2, &x->limitCount, NULL))
                return false;
            j += 2;
        } else if (argEq(c, j, "store") && left >= 1 && !readonly) {
            x->storeIdx = ++j;
        } else if (argEq(c, j, "by") && left >= 1) {
            x->byIdx = ++j;
            if (!patternHasStar(c, j)) x->dontsort = true;   /* sticky, as in Redis */
        } else if (argEq(c, j, "get") && left >= 1) {
            x->getIdx[x->nget++] = ++j;
        } else {
            addReplyErrorSyntax(c);
            return false;
        }
    }
    x->store = x->storeIdx != 0;
    return true;
}

/* ---- the command ------------------------------------------------------------------------- */

static void sortRun(sortCtx *x) {
    client *c = x->c;
    kvobj *o = x->store ? lookupWrite(c, 1) : lookupRead(c, 1);
    if (!o && x->store) notifyKeyspaceEvent(c, NOTIFY_KEY_MISS, "keymiss", c->argv[1], c->argvlen[1], c->db);
    if (o && kvType(o) != OBJ_LIST && kvType(o) != OBJ_SET && kvType(o) != OBJ_ZSET) {
        addReplyErrorWrongType(c);
        return;
    }
    int type = o ? kvType(o) : OBJ_LIST;
    if (x->dontsort && type == OBJ_SET && x->store) {
        /* what is stored must not depend on the set's layout */
        x->dontsort = false;
        x->alpha = true;
        x->byIdx = 0;
    }
    if (type == OBJ_ZSET) zsetToSkiplist(o);

    long long vlen = !o ? 0 : type == OBJ_LIST ? (long long)listLength(o)
                            : type == OBJ_SET ? (long long)setSize(o)
                                              : (long long)zsetLen(kvPtr(o));
    /* LIMIT, clamped to the vector as Redis 7.0 does */
    long long start = x->limitStart < 0 ? 0 : x->limitStart;
    if (start > vlen) start = vlen;
    long long count = x->limitCount < -1 ? -1 : x->limitCount;
    if (count > vlen) count = vlen;
    long long end = count < 0 ? vlen - 1 : start + count - 1;
    if (start >= vlen) {
        start = vlen - 1;
        end = vlen - 2;
    }
    if (end >= vlen) end = vlen - 1;

    sortVec sv = { 0 };
    if (o && type == OBJ_LIST && x->dontsort) {
        if (end >= start) {
            loadList(&sv, o, (long)(x->desc ? vlen - start - 1 : start), (long)(end - start + 1),
                     x->desc);
            end -= start;
            start = 0;
        }
    } else if (o && type == OBJ_ZSET && x->dontsort) {
        loadZset(&sv, o, (long)start, (long)(end - start + 1), x->desc);
        end -= start;
        start = 0;
    } else if (o && type == OBJ_LIST) {
        loadList(&sv, o, 0, (long)vlen, false);
    } else if (o && type == OBJ_SET) {
        loadSet(&sv, o);
    } else if (o) {
        loadZset(&sv, o, 0, (long)vlen, false);
    }

    bool badScore = false;
    if (!x->dontsort) {
        for (size_t j = 0; j < sv.n; j++) {
            sortItem *it = &sv.v[j];
            const char *val;
            size_t vl;
            if (x->byIdx) {
                if (!lookupByPattern(x, x->byIdx, sv.a.buf + it->off, it->len, &val, &vl))
                    continue;
            } else {
                val = sv.a.buf + it->off;
                vl = it->len;
            }
            if (!x->alpha) {
                if (!parseScore(val, vl, &it->score)) badScore = true;
            } else if (x->byIdx) {
                size_t off = arenaAdd(&sv.a, val, vl);   /* may move the arena */
                it = &sv.v[j];
                it->cmpoff = off;
                it->cmplen = vl;
                it->hasCmp = true;
            }
        }
        sortCmpCtx cx = { sv.a.buf, x->desc, x->alpha, x->byIdx != 0 };
        if (sv.n > 1) qsort_r(sv.v, sv.n, sizeof *sv.v, sortCompare, &cx);
    }

    long long outlen = (x->nget ? x->nget : 1) * (end - start + 1);
    if (badScore) {
        addReplyError(c, "One or more scores can't be converted into double");
    } else if (!x->store) {
        addReplyArrayLen(c, (long)outlen);
        for (long long j = start; j <= end; j++) {
            sortItem *it = &sv.v[j];
            const char *elem = sv.a.buf + it->off;
            if (!x->nget) addReplyBulk(c, elem, it->len);
            for (int g = 0; g < x->nget; g++) {
                const char *val;
                size_t vl;
                if (lookupByPattern(x, x->getIdx[g], elem, it->len, &val, &vl))
                    addReplyBulk(c, val, vl);
                else
                    addReplyNull(c);
            }
        }
    } else {
        quicklist *ql = quicklistCreate(cfg.list_max_listpack_size, cfg.list_compress_depth);
        for (long long j = start; j <= end; j++) {
            sortItem *it = &sv.v[j];
            const char *elem = sv.a.buf + it->off;
            if (!x->nget) quicklistPushTail(ql, elem, it->len);
            for (int g = 0; g < x->nget; g++) {
                const char *val;
                size_t vl;
                if (lookupByPattern(x, x->getIdx[g], elem, it->len, &val, &vl))
                    quicklistPushTail(ql, val, vl);
                else
                    quicklistPushTail(ql, "", 0);
            }
        }
        int si = x->storeIdx;
        if (outlen > 0) {
            setKey(c, si, listNewFromQuicklist(c->argv[si], c->argvlen[si], ql));
            notifyKeyspaceEvent(c, NOTIFY_LIST, "sortstore", c->argv[si], c->argvlen[si], c->db);
        } else {
            quicklistRelease(ql);
            if (deleteKey(c, si))
                notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[si], c->argvlen[si], c->db);
        }
        addReplyLongLong(c, outlen);
    }
    zfree(sv.v);
    zfree(sv.a.buf);
}

static void sortGeneric(client *c, bool readonly) {
    int getIdx[64], *gets = c->argc / 2 <= 64 ? getIdx : zmalloc(sizeof(int) * (size_t)c->argc);
    sortCtx x = { .c = c, .getIdx = gets, .limitCount = -1 };
    if (sortParse(&x, readonly)) {
        bool lookups = x.byIdx && !x.dontsort;
        for (int g = 0; g < x.nget && !lookups; g++) lookups = patternHasStar(c, x.getIdx[g]);
        c->arghash[1] = hashBytes(c->argv[1], c->argvlen[1]);
        if (x.storeIdx)
            c->arghash[x.storeIdx] = hashBytes(c->argv[x.storeIdx], c->argvlen[x.storeIdx]);
        sortLocks locks = sortLocksFor(&x, lookups);
        sortLock(&locks);
        sortRun(&x);
        if (c->nready) {          /* STORE made a list someone waits on */
            shard *a = ksShardAt(locks.db, locks.a);
            blockingServeLocked(c, a, locks.b >= 0 ? ksShardAt(locks.db, locks.b) : a);
        }
        sortUnlock(&locks);
    }
    if (gets != getIdx) zfree(gets);
    zfree(x.keybuf);
}

void sortCommand(client *c) { sortGeneric(c, false); }
void sortroCommand(client *c) { sortGeneric(c, true); }

/* sortGetKeys: the sorted key and the last STORE destination, found the
 * way Redis's sortGetKeys walks the options (LIMIT skips two arguments,
 * GET and BY one). Used by COMMAND GETKEYS; SORT locks for itself. */
int sortGetKeys(client *c, int argc, int *keyidx, int max) {
    static const struct { const char *name; int skip; } skips[] = {
        { "limit", 2 }, { "get", 1 }, { "by", 1 },
    };
    int n = 0, store = 0;
    if (max < 2) return 0;
    keyidx[n++] = 1;
    for (int i = 2; i < argc; i++) {
        for (size_t k = 0; k < sizeof skips / sizeof skips[0]; k++) {
            if (argEq(c, i, skips[k].name)) {
                i += skips[k].skip;
                break;
            } else if (argEq(c, i, "store") && i + 1 < argc) {
                store = i + 1;
                break;
            }
        }
    }
    if (store) keyidx[n++] = store;
    return n;
}

int sortroGetKeys(client *c, int argc, int *keyidx, int max) {
    (void)c;
    if (argc < 2 || max < 1) return 0;
    keyidx[0] = 1;
    return 1;
}

/* ---- COMMAND DOCS arguments -------------------------------------------------------------- */

static const cmdArg sortLimit[] = {
    { "offset", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg sortOrder[] = {
    { "asc", ARG_PURE_TOKEN, "ASC", 0, NULL, NULL },
    { "desc", ARG_PURE_TOKEN, "DESC", 0, NULL, NULL }, { 0 } };

const cmdArg sortArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "BY", ARGF_OPTIONAL, NULL, NULL },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, sortLimit, NULL },
    { "pattern", ARG_PATTERN, "GET", ARGF_OPTIONAL | ARGF_MULTIPLE | ARGF_MULTIPLE_TOKEN, NULL,
      NULL },
    { "order", ARG_ONEOF, NULL, ARGF_OPTIONAL, sortOrder, NULL },
    { "sorting", ARG_PURE_TOKEN, "ALPHA", ARGF_OPTIONAL, NULL, NULL },
    { "destination", ARG_KEY, "STORE", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

const cmdArg sortroArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "BY", ARGF_OPTIONAL, NULL, NULL },
    { "limit", ARG_BLOCK, "LIMIT", ARGF_OPTIONAL, sortLimit, NULL },
    { "pattern", ARG_PATTERN, "GET", ARGF_OPTIONAL | ARGF_MULTIPLE | ARGF_MULTIPLE_TOKEN, NULL,
      NULL },
    { "order", ARG_ONEOF, NULL, ARGF_OPTIONAL, sortOrder, NULL },
    { "sorting", ARG_PURE_TOKEN, "ALPHA", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
