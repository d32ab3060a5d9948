/* t_set.c — the set type: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
 * SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
 * SDIFFSTORE SSCAN.
 *
 * Replies, error texts and the order of checks are Redis 7.0's (checked
 * against redis-server 7.0.15), in RESP2 and RESP3: SMEMBERS, SINTER, SUNION,
 * SDIFF and SPOP with a count answer a set (~ in RESP3), SRANDMEMBER with a
 * count and SMISMEMBER an array, SISMEMBER an integer (not a boolean).
 * Observable orderings of checks: SPOP and SRANDMEMBER parse the count before
 * the lookup; SINTERCARD parses numkeys and LIMIT before it looks at any key;
 * the multi-key commands check the type of every key, even after a missing
 * one; SMOVE answers 0 for a missing source before it looks at the
 * destination's type; SSCAN parses the cursor, then looks the key up (a
 * missing key answers an empty scan whatever the options), then the options.
 *
 * Encodings follow Redis 7.2, not 7.0 (7.0 has no listpack sets):
 *
 *   intset     every member a canonical int64 decimal, at most
 *              set-max-intset-entries members (capped at 2^30 like Redis);
 *   listpack   at most set-max-listpack-entries members, each at most
 *              set-max-listpack-value bytes;
 *   hashtable  a dict of DICT_SET entries (dict.h), one block per member.
 *
 * A set moves up that ladder and never down, with Redis 7.2's rules: adding
 * a non-integer to an intset makes a listpack when the intset's members (by
 * their decimal width), their count plus one and the new member all fit,
 * else a hashtable; an intset that outgrows set-max-intset-entries becomes a
 * hashtable directly; a listpack that would outgrow either limit becomes a
 * hashtable. A new set starts as an intset when its first member is an
 * integer and as a listpack otherwise. Results stored by SINTERSTORE,
 * SUNIONSTORE and SDIFFSTORE, and the survivors SPOP keeps when it takes
 * most of a hashtable, are built from an empty intset by the same rules, so
 * their encoding depends only on their contents (an all-integer result of
 * at most 512 members is an intset, as in both 7.0 and 7.2). Roost does not
 * use 7.2's size hints that create a hashtable up front for a long SADD: the
 * hint only pre-sizes the hashtable when the conversion happens.
 *
 * Reading and writing members. A member is passed around as an selem: bytes,
 * or an int64 when it came from an intset or an integer listpack entry, so
 * moving integers between intsets never formats them. Listpack entries are
 * written by lpAppend, which stores canonical decimals as integers exactly as
 * Redis does. Replies are written straight from the structures.
 *
 * Random members. SRANDMEMBER with a positive count and SPOP with a count
 * take distinct members, uniformly: on an intset or a listpack by a partial
 * Fisher-Yates shuffle of the positions (so the reply order is random too),
 * on a hashtable with dictSample then a shuffle. A negative SRANDMEMBER count
 * draws with repetition. SPOP on an intset or listpack rebuilds the value
 * without the popped members in one pass; on a hashtable it unlinks the
 * sampled entries, or, when it takes most of the set (survivors * 5 <=
 * count, Redis's threshold), samples the survivors into a fresh set and
 * answers the rest of the old table. Like Redis, a huge negative count
 * builds the whole reply in memory (SRANDMEMBER s -9223372036854775807
 * exhausts memory on Redis too).
 *
 * SINTER sorts the sets by size and probes the smallest one's members in the
 * others; SDIFF picks between probing the first set (sorted by decreasing
 * size) and subtracting every set from a copy, by Redis's cost estimate;
 * SUNION and SDIFF build a temporary set and answer it, so an all-integer
 * result comes back in ascending order, as from Redis.
 *
 * Concurrency: call() locks the shards of every key position before a
 * handler runs (SINTER & co. declare 1..-1, the *STORE forms include the
 * destination, SMOVE both keys, SINTERCARD a getkeys function that names
 * argv[2 .. 2+numkeys)), so every command here is atomic with any number of
 * threads. Handlers never park; value pointers of keys are used only under
 * those locks, and never after the key they belong to was replaced.
 */
#include "server/server.h"
#include "storage/dict.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/zmalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- members ------------------------------------------------------------------ */

/* selem: one member, as bytes or (s == NULL) as the integer v. */
typedef struct selem {
    const char *s;
    size_t len;
    int64_t v;
} selem;

#define ELEM_BUF 24   /* an int64 in decimal, with room to spare */

static inline selem elemOfArg(client *c, int i) {
    return (selem){ .s = c->argv[i], .len = c->argvlen[i] };
}

/* elemStr: the member's bytes (formatted into buf when it is an integer). */
static inline const char *elemStr(const selem *e, char *buf, size_t *len) {
    if (e->s) {
        *len = e->len;
        return e->s;
    }
    *len = (size_t)ll2str(buf, e->v);
    return buf;
}

/* elemLen: the member's length as a string (what set-max-listpack-value
 * limits). */
static inline size_t elemLen(const selem *e) {
    char buf[ELEM_BUF];
    return e->s ? e->len : (size_t)ll2str(buf, e->v);
}

/* elemInt: whether the member can live in an intset, and its value. */
static inline bool elemInt(const selem *e, int64_t *v) {
    if (!e->s) {
        *v = e->v;
        return true;
    }
    long long x;
    if (!str2ll(e->s, e->len, &x)) return false;
    *v = x;
    return true;
}

static inline void replyElem(client *c, const selem *e) {
    if (e->s) addReplyBulk(c, e->s, e->len);
    else addReplyBulkLongLong(c, e->v);
}

static inline void elemFromLp(const unsigned char *p, selem *e) {
    lpValue v;
    lpGet(p, &v);
    if (v.sval) {
        e->s = (const char *)v.sval;
        e->len = v.slen;
    } else {
        e->s = NULL;
        e->v = v.lval;
    }
}

static inline uint64_t rnd64(void) { return ksRandom(); }
static inline size_t randBelow(size_t n) { return (size_t)(ksRandom() % n); }

/* ---- set values ------------------------------------------------------------------ */

/* setv: a set value apart from its key: the encoding and the structure. A
 * command loads it from the kvobj, works on it (the pointer may move and the
 * encoding change) and stores it back with setStore. */
typedef struct setv {
    int enc;      /* ENC_INTSET, ENC_LISTPACK or ENC_HT */
    void *ptr;    /* intset *, listpack bytes, dict * */
} setv;

static inline setv setOf(const kvobj *o) { return (setv){ kvEnc(o), kvPtr(o) }; }

static inline void setStore(kvobj *o, const setv *s) {
    kvSetEnc(o, s->enc);
    kvSetPtr(o, s->ptr);
}

static size_t intsetMaxEntries(void) {
    size_t m = cfg.set_max_intset_entries;
    return m > (1u << 30) ? (1u << 30) : m;
}

static size_t setvSize(const setv *s) {
    switch (s->enc) {
    case ENC_INTSET: return intsetLen(s->ptr);
    case ENC_LISTPACK: return lpLength(s->ptr);
    default: return dictSize(s->ptr);
    }
}

static void setFreeValue(void *ptr, int enc) {
    switch (enc) {
    case ENC_INTSET: intsetFree(ptr); break;
    case ENC_LISTPACK: lpFree(ptr); break;
    default: dictRelease(ptr); break;
    }
}

static void *setDupValue(const void *ptr, int enc) {
    switch (enc) {
    case ENC_INTSET: return intsetDup(ptr);
    case ENC_LISTPACK: return lpDup(ptr);
    default: return dictDup(ptr);
    }
}

static size_t setValueUsage(const void *ptr, int enc) {
    if (enc == ENC_HT) return dictMemUsage(ptr, 0);
    return zmallocSize(ptr);
}

static const kvTypeOps setTypeOps = { setFreeValue, setDupValue, setValueUsage };

__attribute__((constructor)) static void setRegisterType(void) {
    kvRegisterType(OBJ_SET, &setTypeOps);
}

/* setvEmpty: an empty set ready for `first` (NULL: for anything, which
 * starts as an intset and converts as members arrive). */
static setv setvEmpty(const selem *first) {
    int64_t v;
    if (!first || elemInt(first, &v)) return (setv){ ENC_INTSET, intsetNew() };
    return (setv){ ENC_LISTPACK, lpNew(0) };
}

static unsigned char *lpFindElem(unsigned char *lp, const selem *e) {
    unsigned char *p = lpFirst(lp);
    if (!p) return NULL;
    return e->s ? lpFind(lp, p, e->s, e->len, 0) : lpFindInt(lp, p, e->v, 0);
}

static bool setvHas(const setv *s, const selem *e) {
    switch (s->enc) {
    case ENC_INTSET: {
        int64_t v;
        return elemInt(e, &v) && intsetFind(s->ptr, v);
    }
    case ENC_LISTPACK:
        return lpFindElem(s->ptr, e) != NULL;
    default: {
        char buf[ELEM_BUF];
        size_t len;
        const char *p = elemStr(e, buf, &len);
        return dictFind(s->ptr, p, len) != NULL;
    }
    }
}

/* ---- iteration ------------------------------------------------------------------- */

typedef struct setIter {
    const setv *s;
    uint32_t pos;          /* intset: next position */
    unsigned char *p;      /* listpack: next entry */
    dictIter di;           /* hashtable: a safe iterator */
} setIter;

static void setIterInit(setIter *it, const setv *s) {
    it->s = s;
    it->pos = 0;
    it->p = NULL;
    if (s->enc == ENC_LISTPACK) it->p = lpFirst(s->ptr);
    else if (s->enc == ENC_HT) dictIterInit(&it->di, s->ptr, true);
}

/* setIterNext: the next member; its bytes stay valid until the set changes. */
static bool setIterNext(setIter *it, selem *e) {
    switch (it->s->enc) {
    case ENC_INTSET:
        if (!intsetGet(it->s->ptr, it->pos, &e->v)) return false;
        it->pos++;
        e->s = NULL;
        return true;
    case ENC_LISTPACK:
        if (!it->p) return false;
        elemFromLp(it->p, e);
        it->p = lpNext(it->s->ptr, it->p);
        return true;
    default: {
        dictEntry *de = dictIterNext(&it->di);
        if (!de) return false;
        e->s = dictSetMember(de, &e->len);
        return true;
    }
    }
}

static void setIterRelease(setIter *it) {
    if (it->s->enc == ENC_HT) dictIterRelease(&it->di);
}

/* ---- conversions ----------------------------------------------------------------- */

/* setvToDict converts s to a hashtable sized for max(hint, size) members. */
static void setvToDict(setv *s, size_t hint) {
    size_t n = setvSize(s);
    dict *d = dictCreate(DICT_SET);
    if (hint < n + 1) hint = n + 1;
    dictExpand(d, hint);
    setIter it;
    selem e;
    setIterInit(&it, s);
    while (setIterNext(&it, &e)) {
        char buf[ELEM_BUF];
        size_t len;
        const char *p = elemStr(&e, buf, &len);
        dictSetAdd(d, p, len);
    }
    setIterRelease(&it);
    setFreeValue(s->ptr, s->enc);
    s->enc = ENC_HT;
    s->ptr = d;
}

/* intsetFitsListpack: Redis 7.2's test for turning an intset into a listpack
 * when a string of addlen bytes arrives: the count after the add, the new
 * member and the widest integer (its decimal form) all within the limits. */
static bool intsetFitsListpack(const intset *is, size_t addlen) {
    uint32_t n = intsetLen(is);
    if (n >= cfg.set_max_listpack_entries || addlen > cfg.set_max_listpack_value) return false;
    if (n == 0) return true;
    char buf[ELEM_BUF];
    size_t w1 = (size_t)ll2str(buf, intsetMin(is)), w2 = (size_t)ll2str(buf, intsetMax(is));
    size_t w = w1 > w2 ? w1 : w2;
    if (w > cfg.set_max_listpack_value) return false;
    size_t e1 = lpEntrySizeInt(intsetMin(is)), e2 = lpEntrySizeInt(intsetMax(is));
    return lpSafeToAdd(NULL, (e1 > e2 ? e1 : e2) * n + addlen + 9);
}

/* intsetToListpack converts an intset to a listpack of the same integers (in
 * ascending order), with room for `extra` more bytes. */
static void intsetToListpack(setv *s, size_t extra) {
    intset *is = s->ptr;
    uint32_t n = intsetLen(is);
    size_t cap = LP_EMPTY_SIZE + extra;
    if (n) {
        size_t e1 = lpEntrySizeInt(intsetMin(is)), e2 = lpEntrySizeInt(intsetMax(is));
        cap += (e1 > e2 ? e1 : e2) * n;
    }
    unsigned char *lp = lpNew(cap);
    int64_t v;
    for (uint32_t i = 0; intsetGet(is, i, &v); i++) lp = lpAppendInt(lp, v);
    intsetFree(is);
    s->enc = ENC_LISTPACK;
    s->ptr = lp;
}

/* ---- add / remove ------------------------------------------------------------------- */

/* setvAdd adds e, converting the encoding when e does not fit (see the header
 * comment); hint is the size the set is expected to reach, used to size a
 * hashtable made by a conversion. True if e was new. */
static bool setvAdd(setv *s, const selem *e, size_t hint) {
    if (s->enc == ENC_INTSET) {
        int64_t v;
        if (elemInt(e, &v)) {
            bool added;
            s->ptr = intsetAdd(s->ptr, v, &added);
            if (added && intsetLen(s->ptr) > intsetMaxEntries()) setvToDict(s, hint);
            return added;
        }
        /* a string is never in an intset: the set changes encoding, e is new */
        if (intsetFitsListpack(s->ptr, e->len)) intsetToListpack(s, lpEntrySize(e->s, e->len));
        else setvToDict(s, hint);
    } else if (s->enc == ENC_LISTPACK) {
        unsigned char *lp = s->ptr;
        if (lpFindElem(lp, e)) return false;
        size_t add = e->s ? lpEntrySize(e->s, e->len) : lpEntrySizeInt(e->v);
        if (lpLength(lp) >= cfg.set_max_listpack_entries ||
            elemLen(e) > cfg.set_max_listpack_value || !lpSafeToAdd(lp, add))
            setvToDict(s, hint);
    }
    if (s->enc == ENC_LISTPACK) {
        s->ptr = e->s ? lpAppend(s->ptr, e->s, e->len) : lpAppendInt(s->ptr, e->v);
        return true;
    }
    char buf[ELEM_BUF];
    size_t len;
    const char *p = elemStr(e, buf, &len);
    return dictSetAdd(s->ptr, p, len);
}

static bool setvRemove(setv *s, const selem *e) {
    switch (s->enc) {
    case ENC_INTSET: {
        int64_t v;
        bool removed;
        if (!elemInt(e, &v)) return false;
        s->ptr = intsetRemove(s->ptr, v, &removed);
        return removed;
    }
    case ENC_LISTPACK: {
        unsigned char *p = lpFindElem(s->ptr, e);
        if (!p) return false;
        s->ptr = lpDelete(s->ptr, &p);
        return true;
    }
    default: {
        char buf[ELEM_BUF];
        size_t len;
        const char *p = elemStr(e, buf, &len);
        return dictDelete(s->ptr, p, len);
    }
    }
}

/* ---- keyspace helpers -------------------------------------------------------------- */

static void notifySet(client *c, const char *event, int i) {
    notifyKeyspaceEvent(c, NOTIFY_SET, event, c->argv[i], c->argvlen[i], c->db);
}

static void notifyDel(client *c, int i) {
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[i], c->argvlen[i], c->db);
}

static void touched(client *c, int i) { signalModifiedKey(c, c->db, c->argv[i], c->argvlen[i]); }

/* storeNew makes key argv[i] a new set holding s (replacing whatever is
 * there, TTL included). */
static void storeNew(client *c, int i, setv *s) {
    if (s->enc == ENC_LISTPACK) s->ptr = lpShrinkToFit(s->ptr);
    setKey(c, i, kvNewPtr(c->argv[i], c->argvlen[i], OBJ_SET, s->enc, s->ptr, -1));
}

/* afterShrink: key argv[i] lost members; delete it if it is now empty. */
static void afterShrink(client *c, int i, const setv *s) {
    if (setvSize(s) == 0) {
        deleteKey(c, i);
        notifyDel(c, i);
    } else {
        touched(c, i);
    }
}

/* replyMembers answers every member of s, as a set (RESP3 ~) or an array. */
static void replyMembers(client *c, const setv *s, bool asSet) {
    size_t n = setvSize(s);
    if (asSet) addReplySetLen(c, (long)n);
    else addReplyArrayLen(c, (long)n);
    setIter it;
    selem e;
    setIterInit(&it, s);
    while (setIterNext(&it, &e)) replyElem(c, &e);
    setIterRelease(&it);
}

/* ---- SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS ---------------------------------- */

static void saddCommand(client *c) {
    kvobj *o = lookupWrite(c, 1);
    if (o && !checkType(c, o, OBJ_SET)) return;
    size_t nargs = (size_t)c->argc - 2;
    long added = 0;
    if (!o) {
        selem first = elemOfArg(c, 2);
        setv s = setvEmpty(&first);
        for (int j = 2; j < c->argc; j++) {
            selem e = elemOfArg(c, j);
            if (setvAdd(&s, &e, nargs)) added++;
        }
        storeNew(c, 1, &s);
    } else {
        setv s = setOf(o);
        size_t hint = setvSize(&s) + nargs;
        for (int j = 2; j < c->argc; j++) {
            selem e = elemOfArg(c, j);
            if (setvAdd(&s, &e, hint)) added++;
        }
        setStore(o, &s);
        if (added) touched(c, 1);
    }
    if (added) notifySet(c, "sadd", 1);
    addReplyLongLong(c, added);
}

static void sremCommand(client *c) {
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    setv s = setOf(o);
    long removed = 0;
    for (int j = 2; j < c->argc; j++) {
        selem e = elemOfArg(c, j);
        if (setvRemove(&s, &e)) {
            removed++;
            if (setvSize(&s) == 0) break;
        }
    }
    setStore(o, &s);
    if (removed) {
        notifySet(c, "srem", 1);
        afterShrink(c, 1, &s);
    }
    addReplyLongLong(c, removed);
}

static void scardCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    setv s = setOf(o);
    addReplyLongLong(c, (long long)setvSize(&s));
}

static void sismemberCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    setv s = setOf(o);
    selem e = elemOfArg(c, 2);
    addReplyLongLong(c, setvHas(&s, &e));
}

static void smismemberCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (o && !checkType(c, o, OBJ_SET)) return;
    setv s = o ? setOf(o) : (setv){ 0, NULL };
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        selem e = elemOfArg(c, j);
        addReplyLongLong(c, o && setvHas(&s, &e));
    }
}

static void smembersCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplySetLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    setv s = setOf(o);
    replyMembers(c, &s, true);
}

/* ---- random members ------------------------------------------------------------------ */

/* A compact set (intset or listpack) opened for random access: positions
 * 0..n-1 in pos[] (shuffled in place), and each listpack entry's address. */
typedef struct compactView {
    size_t n;
    uint32_t *pos;
    unsigned char **ent;   /* listpack only, else NULL */
    void *mem;             /* the one allocation behind pos and ent */
} compactView;

static void viewOpen(compactView *v, const setv *s, bool positions) {
    v->n = setvSize(s);
    size_t bytes = (positions ? v->n * sizeof(uint32_t) : 0) +
                   (s->enc == ENC_LISTPACK ? v->n * sizeof(unsigned char *) : 0);
    v->mem = bytes ? zmalloc(bytes) : NULL;
    v->ent = NULL;
    v->pos = NULL;
    char *m = v->mem;
    if (s->enc == ENC_LISTPACK) {
        v->ent = (unsigned char **)m;
        m += v->n * sizeof(unsigned char *);
        size_t i = 0;
        for (unsigned char *p = lpFirst(s->ptr); p; p = lpNext(s->ptr, p)) v->ent[i++] = p;
    }
    if (positions) {
        v->pos = (uint32_t *)m;
        for (size_t i = 0; i < v->n; i++) v->pos[i] = (uint32_t)i;
    }
}

static void viewClose(compactView *v) { zfree(v->mem); }

static void viewElem(const compactView *v, const setv *s, size_t i, selem *e) {
    if (v->ent) {
        elemFromLp(v->ent[i], e);
    } else {
        e->s = NULL;
        intsetGet(s->ptr, (uint32_t)i, &e->v);
    }
}

/* viewPick moves k distinct positions, uniformly chosen and in random order,
 * to pos[0..k) (a partial Fisher-Yates shuffle). */
static void viewPick(compactView *v, size_t k) {
    for (size_t i = 0; i < k; i++) {
        size_t j = i + randBelow(v->n - i);
        uint32_t t = v->pos[i];
        v->pos[i] = v->pos[j];
        v->pos[j] = t;
    }
}

static void shuffleEntries(dictEntry **a, size_t n) {
    for (size_t i = n; i > 1; i--) {
        size_t j = randBelow(i);
        dictEntry *t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static void replyEntry(client *c, const dictEntry *de) {
    size_t len;
    const char *m = dictSetMember(de, &len);
    addReplyBulk(c, m, len);
}

/* setvRandom: one uniformly chosen member of a non-empty set. */
static void setvRandom(const setv *s, selem *e) {
    switch (s->enc) {
    case ENC_INTSET:
        e->s = NULL;
        e->v = intsetRandom(s->ptr, rnd64);
        break;
    case ENC_LISTPACK:
        elemFromLp(lpSeek(s->ptr, (long)randBelow(lpLength(s->ptr))), e);
        break;
    default:
        e->s = dictSetMember(dictRandom(s->ptr, rnd64), &e->len);
        break;
    }
}

static void srandmemberWithCount(client *c) {
    long long l;
    if (!getLongLongFromArg(c, 2, &l)) {
        addReplyErrorNotInt(c);
        return;
    }
    if (l == LLONG_MIN) {
        addReplyError(c, "value is out of range, value must between -9223372036854775807 and "
                         "9223372036854775807");
        return;
    }
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    bool uniq = l >= 0;
    unsigned long long count = uniq ? (unsigned long long)l : (unsigned long long)-l;
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    setv s = setOf(o);
    size_t size = setvSize(&s);

    if (!uniq) {                                   /* with repetitions */
        addReplyArrayLen(c, (long)count);
        if (s.enc == ENC_LISTPACK) {
            compactView v;
            viewOpen(&v, &s, false);
            for (unsigned long long i = 0; i < count; i++) {
                selem e;
                elemFromLp(v.ent[randBelow(v.n)], &e);
                replyElem(c, &e);
            }
            viewClose(&v);
        } else {
            for (unsigned long long i = 0; i < count; i++) {
                selem e;
                setvRandom(&s, &e);
                replyElem(c, &e);
            }
        }
        return;
    }
    if (count >= size) {                           /* the whole set */
        replyMembers(c, &s, false);
        return;
    }
    addReplyArrayLen(c, (long)count);
    if (s.enc == ENC_HT) {
        dictEntry **pick = zmalloc(sizeof(dictEntry *) * count);
        size_t got = dictSample(s.ptr, pick, count, rnd64);
        shuffleEntries(pick, got);
        for (size_t i = 0; i < got; i++) replyEntry(c, pick[i]);
        zfree(pick);
        return;
    }
    compactView v;
    viewOpen(&v, &s, true);
    viewPick(&v, count);
    for (size_t i = 0; i < count; i++) {
        selem e;
        viewElem(&v, &s, v.pos[i], &e);
        replyElem(c, &e);
    }
    viewClose(&v);
}

static void srandmemberCommand(client *c) {
    if (c->argc == 3) {
        srandmemberWithCount(c);
        return;
    }
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    kvobj *o = lookupReadOrReplyNull(c, 1);
    if (!o || !checkType(c, o, OBJ_SET)) return;
    setv s = setOf(o);
    selem e;
    setvRandom(&s, &e);
    replyElem(c, &e);
}

/* spopCompact pops count (< size) random members of an intset or listpack:
 * replies them, then rebuilds the value from the survivors in one pass. */
static void spopCompact(client *c, setv *s, size_t count) {
    compactView v;
    viewOpen(&v, s, true);
    viewPick(&v, count);
    addReplySetLen(c, (long)count);
    uint8_t *popped = zcalloc(v.n);
    for (size_t i = 0; i < count; i++) {
        selem e;
        viewElem(&v, s, v.pos[i], &e);
        replyElem(c, &e);
        popped[v.pos[i]] = 1;
    }
    if (s->enc == ENC_INTSET) {
        intset *is = intsetNew();
        for (size_t i = 0; i < v.n; i++) {
            int64_t x;
            if (popped[i]) continue;
            intsetGet(s->ptr, (uint32_t)i, &x);
            is = intsetAdd(is, x, NULL);
        }
        intsetFree(s->ptr);
        s->ptr = is;
    } else {
        unsigned char *lp = lpNew(lpBytes(s->ptr));
        for (size_t i = 0; i < v.n; i++) {
            lpValue lv;
            if (popped[i]) continue;
            lpGet(v.ent[i], &lv);
            lp = lpAppendValue(lp, &lv);
        }
        lpFree(s->ptr);
        s->ptr = lpShrinkToFit(lp);
    }
    zfree(popped);
    viewClose(&v);
}

/* spopDict pops count (< size) random members of a hashtable. */
static void spopDict(client *c, setv *s, size_t count) {
    dict *d = s->ptr;
    size_t remaining = dictSize(d) - count;
    if (remaining * 5 > count) {                   /* take the sample out */
        dictEntry **pick = zmalloc(sizeof(dictEntry *) * count);
        size_t got = dictSample(d, pick, count, rnd64);
        shuffleEntries(pick, got);
        addReplySetLen(c, (long)got);
        for (size_t i = 0; i < got; i++) {
            replyEntry(c, pick[i]);
            dictUnlinkEntry(d, pick[i]);
            dictFreeEntry(d, pick[i]);
        }
        zfree(pick);
        return;
    }
    /* most of it goes: move the survivors to a new set, answer the rest */
    dictEntry **keep = zmalloc(sizeof(dictEntry *) * (remaining ? remaining : 1));
    size_t got = dictSample(d, keep, remaining, rnd64);
    setv ns = setvEmpty(NULL);
    for (size_t i = 0; i < got; i++) {
        selem e = { 0 };
        e.s = dictSetMember(keep[i], &e.len);
        setvAdd(&ns, &e, remaining);
        dictUnlinkEntry(d, keep[i]);
        dictFreeEntry(d, keep[i]);
    }
    zfree(keep);
    setv old = *s;
    replyMembers(c, &old, true);
    dictRelease(d);
    if (ns.enc == ENC_LISTPACK) ns.ptr = lpShrinkToFit(ns.ptr);
    *s = ns;
}

static void spopWithCount(client *c) {
    long count;
    if (!getPositiveLongFromArgOrReply(c, 2, &count, NULL)) return;
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplySetLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    if (count == 0) {
        addReplySetLen(c, 0);
        return;
    }
    setv s = setOf(o);
    size_t size = setvSize(&s);
    notifySet(c, "spop", 1);
    if ((size_t)count >= size) {                   /* everything: the key goes */
        replyMembers(c, &s, true);
        deleteKey(c, 1);
        notifyDel(c, 1);
        return;
    }
    if (s.enc == ENC_HT) spopDict(c, &s, (size_t)count);
    else spopCompact(c, &s, (size_t)count);
    setStore(o, &s);
    touched(c, 1);
}

static void spopCommand(client *c) {
    if (c->argc == 3) {
        spopWithCount(c);
        return;
    }
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    setv s = setOf(o);
    switch (s.enc) {
    case ENC_INTSET: {
        uint32_t pos = (uint32_t)randBelow(intsetLen(s.ptr));
        int64_t v;
        intsetGet(s.ptr, pos, &v);
        addReplyBulkLongLong(c, v);
        s.ptr = intsetRemoveAt(s.ptr, pos);
        break;
    }
    case ENC_LISTPACK: {
        unsigned char *p = lpSeek(s.ptr, (long)randBelow(lpLength(s.ptr)));
        selem e;
        elemFromLp(p, &e);
        replyElem(c, &e);
        s.ptr = lpDelete(s.ptr, &p);
        break;
    }
    default: {
        dictEntry *de = dictRandom(s.ptr, rnd64);
        replyEntry(c, de);
        dictUnlinkEntry(s.ptr, de);
        dictFreeEntry(s.ptr, de);
        break;
    }
    }
    setStore(o, &s);
    notifySet(c, "spop", 1);
    afterShrink(c, 1, &s);
}

/* ---- SMOVE ----------------------------------------------------------------------------- */

static void smoveCommand(client *c) {
    kvobj *src = lookupWrite(c, 1);
    kvobj *dst = lookupWrite(c, 2);
    if (!src) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, src, OBJ_SET) || (dst && !checkType(c, dst, OBJ_SET))) return;
    selem e = elemOfArg(c, 3);
    setv ss = setOf(src);
    if (src == dst) {
        addReplyLongLong(c, setvHas(&ss, &e));
        return;
    }
    if (!setvRemove(&ss, &e)) {
        addReplyLongLong(c, 0);
        return;
    }
    setStore(src, &ss);
    notifySet(c, "srem", 1);
    afterShrink(c, 1, &ss);   /* src's "del" before dst's events, as in Redis */
    bool added;
    if (!dst) {
        setv ds = setvEmpty(&e);
        added = setvAdd(&ds, &e, 1);
        storeNew(c, 2, &ds);
    } else {
        setv ds = setOf(dst);
        added = setvAdd(&ds, &e, setvSize(&ds) + 1);
        setStore(dst, &ds);
        if (added) touched(c, 2);
    }
    if (added) notifySet(c, "sadd", 2);
    addReplyLongLong(c, 1);
}

/* ---- SINTER SINTERCARD SINTERSTORE --------------------------------------------------- */

/* setRef: one operand of a multi-key command (v.ptr NULL: missing key). */
typedef struct setRef {
    setv v;
    size_t size;
} setRef;

#define REFS_ON_STACK 8

static int cmpRefAsc(const void *a, const void *b) {
    size_t x = ((const setRef *)a)->size, y = ((const setRef *)b)->size;
    return x < y ? -1 : x > y;
}

static int cmpRefDesc(const void *a, const void *b) { return cmpRefAsc(b, a); }

/* loadSets looks up argv[first .. first+n) into refs and counts the missing
 * keys. A key of another type answers WRONGTYPE and returns false. */
static bool loadSets(client *c, int first, int n, bool write, setRef *refs, int *missing) {
    *missing = 0;
    for (int j = 0; j < n; j++) {
        kvobj *o = write ? lookupWrite(c, first + j) : lookupRead(c, first + j);
        if (!o && write)   /* Redis reads the sources of a *STORE: a miss is notified */
            notifyKeyspaceEvent(c, NOTIFY_KEY_MISS, "keymiss", c->argv[first + j], c->argvlen[first + j], c->db);
        if (!o) {
            refs[j] = (setRef){ { 0, NULL }, 0 };
            (*missing)++;
            continue;
        }
        if (!checkType(c, o, OBJ_SET)) return false;
        refs[j].v = setOf(o);
        refs[j].size = setvSize(&refs[j].v);
    }
    return true;
}

/* storeResult makes argv[dst] the result set (deleting the key when the
 * result is empty or NULL) and answers its size. */
static void storeResult(client *c, int dst, setv *res, const char *event) {
    size_t n = res ? setvSize(res) : 0;
    if (n == 0) {
        if (res) setFreeValue(res->ptr, res->enc);
        if (deleteKey(c, dst)) notifyDel(c, dst);
        addReplyLongLong(c, 0);
        return;
    }
    storeNew(c, dst, res);
    notifySet(c, event, dst);
    addReplyLongLong(c, (long long)n);
}

/* sinterGeneric: SINTER (dst 0), SINTERSTORE (dst = argv index of the
 * destination) and SINTERCARD (cardOnly, stopping at limit if not 0) over
 * the n keys from argv[first]. */
static void sinterGeneric(client *c, int first, int n, int dst, bool cardOnly, long limit) {
    setRef small[REFS_ON_STACK];
    setRef *sets = n <= REFS_ON_STACK ? small : zmalloc(sizeof(setRef) * (size_t)n);
    int missing;
    if (!loadSets(c, first, n, dst != 0, sets, &missing)) goto out;
    if (missing) {
        if (dst) storeResult(c, dst, NULL, "sinterstore");
        else if (cardOnly) addReplyLongLong(c, 0);
        else addReplySetLen(c, 0);
        goto out;
    }
    qsort(sets, (size_t)n, sizeof(setRef), cmpRefAsc);

    setv res = { 0, NULL };
    size_t handle = 0;
    long card = 0;
    if (dst) res = setvEmpty(NULL);
    else if (!cardOnly) handle = addReplyDeferredLen(c);
    setIter it;
    selem e;
    setIterInit(&it, &sets[0].v);
    while (setIterNext(&it, &e)) {
        int j;
        for (j = 1; j < n; j++) {
            if (sets[j].v.ptr == sets[0].v.ptr) continue;
            if (!setvHas(&sets[j].v, &e)) break;
        }
        if (j < n) continue;
        if (dst) {
            setvAdd(&res, &e, sets[0].size);
        } else {
            card++;
            if (!cardOnly) replyElem(c, &e);
            else if (limit && card >= limit) break;
        }
    }
    setIterRelease(&it);

    if (dst) storeResult(c, dst, &res, "sinterstore");
    else if (cardOnly) addReplyLongLong(c, card);
    else setDeferredSetLen(c, handle, card);
out:
    if (sets != small) zfree(sets);
}

static void sinterCommand(client *c) { sinterGeneric(c, 1, c->argc - 1, 0, false, 0); }

static void sinterstoreCommand(client *c) { sinterGeneric(c, 2, c->argc - 2, 1, false, 0); }

static bool sintercardNumkeys(client *c, int argc, long long *n) {
    return argc >= 3 && getLongLongFromArg(c, 1, n) && *n >= 1 && *n <= argc - 2;
}

/* sintercardGetKeys: argv[2 .. 2+numkeys); none when numkeys is invalid (the
 * handler answers the error before touching any key). call() offers room
 * for every argument, so all keys fit; a smaller buffer (COMMAND GETKEYS)
 * that cannot take them all gets none rather than a partial list. */
static int sintercardGetKeys(client *c, int argc, int *idx, int max) {
    long long n;
    if (!sintercardNumkeys(c, argc, &n) || n > max) return 0;
    for (int i = 0; i < (int)n; i++) idx[i] = 2 + i;
    return (int)n;
}

static void sintercardCommand(client *c) {
    long long numkeys;
    if (!getLongLongFromArg(c, 1, &numkeys) || numkeys < 1) {
        addReplyError(c, "numkeys should be greater than 0");
        return;
    }
    if (numkeys > c->argc - 2) {
        addReplyError(c, "Number of keys can't be greater than number of args");
        return;
    }
    long limit = 0;
    for (int j = 2 + (int)numkeys; j < c->argc; j++) {
        if (argEq(c, j, "limit") && j + 1 < c->argc) {
            j++;
            if (!getPositiveLongFromArgOrReply(c, j, &limit, "LIMIT can't be negative")) return;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    sinterGeneric(c, 2, (int)numkeys, 0, true, limit);
}

/* ---- SUNION SUNIONSTORE SDIFF SDIFFSTORE --------------------------------------------- */

enum { OP_UNION, OP_DIFF };

/* addAll adds every member of s to res. */
static void addAll(setv *res, const setv *s, size_t hint) {
    setIter it;
    selem e;
    setIterInit(&it, s);
    while (setIterNext(&it, &e)) setvAdd(res, &e, hint);
    setIterRelease(&it);
}

static void diffInto(setv *res, setRef *sets, int n) {
    for (int j = 1; j < n; j++)
        if (sets[j].v.ptr == sets[0].v.ptr) return;   /* A - A - ... is empty */
    /* Redis's estimate: probing the first set against each other costs
     * |first| per set, subtracting costs each set's size; probing gets an
     * advantage of two because it stops at the first set holding the member. */
    unsigned long long probe = 0, subtract = 0;
    for (int j = 0; j < n; j++) {
        if (!sets[j].v.ptr) continue;
        probe += sets[0].size;
        subtract += sets[j].size;
    }
    probe /= 2;
    if (probe <= subtract) {
        if (n > 1) qsort(sets + 1, (size_t)n - 1, sizeof(setRef), cmpRefDesc);
        setIter it;
        selem e;
        setIterInit(&it, &sets[0].v);
        while (setIterNext(&it, &e)) {
            int j;
            for (j = 1; j < n; j++)
                if (sets[j].v.ptr && setvHas(&sets[j].v, &e)) break;
            if (j == n) setvAdd(res, &e, sets[0].size);
        }
        setIterRelease(&it);
        return;
    }
    addAll(res, &sets[0].v, sets[0].size);
    for (int j = 1; j < n && setvSize(res) > 0; j++) {
        if (!sets[j].v.ptr) continue;
        setIter it;
        selem e;
        setIterInit(&it, &sets[j].v);
        while (setIterNext(&it, &e))
            if (setvRemove(res, &e) && setvSize(res) == 0) break;
        setIterRelease(&it);
    }
}

static void sunionDiffGeneric(client *c, int first, int n, int dst, int op) {
    setRef small[REFS_ON_STACK];
    setRef *sets = n <= REFS_ON_STACK ? small : zmalloc(sizeof(setRef) * (size_t)n);
    int missing;
    if (!loadSets(c, first, n, dst != 0, sets, &missing)) goto out;

    setv res = setvEmpty(NULL);
    if (op == OP_UNION) {
        size_t hint = 0;
        for (int j = 0; j < n; j++)
            if (sets[j].size > hint) hint = sets[j].size;
        for (int j = 0; j < n; j++)
            if (sets[j].v.ptr) addAll(&res, &sets[j].v, hint);
    } else if (sets[0].v.ptr) {
        diffInto(&res, sets, n);
    }

    if (dst) {
        storeResult(c, dst, &res, op == OP_UNION ? "sunionstore" : "sdiffstore");
    } else {
        replyMembers(c, &res, true);
        setFreeValue(res.ptr, res.enc);
    }
out:
    if (sets != small) zfree(sets);
}

static void sunionCommand(client *c) { sunionDiffGeneric(c, 1, c->argc - 1, 0, OP_UNION); }
static void sunionstoreCommand(client *c) { sunionDiffGeneric(c, 2, c->argc - 2, 1, OP_UNION); }
static void sdiffCommand(client *c) { sunionDiffGeneric(c, 1, c->argc - 1, 0, OP_DIFF); }
static void sdiffstoreCommand(client *c) { sunionDiffGeneric(c, 2, c->argc - 2, 1, OP_DIFF); }

/* ---- SSCAN ------------------------------------------------------------------------------ */

typedef struct scanVec {
    dictEntry **v;
    size_t n, cap;
} scanVec;

static void scanCollect(void *arg, dictEntry *e) {
    scanVec *sv = arg;
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = zrealloc(sv->v, sizeof(dictEntry *) * sv->cap);
    }
    sv->v[sv->n++] = e;
}

static void sscanCommand(client *c) {
    unsigned long long cursor;
    if (!getScanCursorOrReply(c, 2, &cursor)) return;
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyProto(c, "*2\r\n$1\r\n0\r\n*0\r\n", 15);
        return;
    }
    if (!checkType(c, o, OBJ_SET)) return;
    long long count = 10;
    const char *pat = NULL;
    size_t plen = 0;
    for (int i = 3; i < c->argc; i += 2) {
        int more = c->argc - i;
        if (argEq(c, i, "count") && more >= 2) {
            if (!getLongLongFromArgOrReply(c, i + 1, &count, NULL)) return;
            if (count < 1) {
                addReplyErrorSyntax(c);
                return;
            }
        } else if (argEq(c, i, "match") && more >= 2) {
            pat = c->argv[i + 1];
            plen = c->argvlen[i + 1];
            if (plen == 1 && pat[0] == '*') pat = NULL;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }

    setv s = setOf(o);
    if (s.enc != ENC_HT) {                          /* small: all of it at once */
        addReplyArrayLen(c, 2);
        addReplyBulk(c, "0", 1);
        size_t h = addReplyDeferredLen(c);
        long n = 0;
        setIter it;
        selem e;
        setIterInit(&it, &s);
        while (setIterNext(&it, &e)) {
            if (pat) {
                char buf[ELEM_BUF];
                size_t len;
                const char *p = elemStr(&e, buf, &len);
                if (!globMatch(pat, plen, p, len, false)) continue;
            }
            replyElem(c, &e);
            n++;
        }
        setIterRelease(&it);
        setDeferredArrayLen(c, h, n);
        return;
    }

    scanVec sv = { NULL, 0, 0 };
    unsigned long long maxIters = (unsigned long long)count > ULLONG_MAX / 10
                                      ? ULLONG_MAX : (unsigned long long)count * 10;
    do {
        cursor = dictScan(s.ptr, cursor, scanCollect, &sv);
    } while (cursor && maxIters-- && sv.n < (unsigned long long)count);
    size_t kept = 0;
    for (size_t i = 0; i < sv.n; i++) {
        size_t len;
        const char *m = dictSetMember(sv.v[i], &len);
        if (!pat || globMatch(pat, plen, m, len, false)) sv.v[kept++] = sv.v[i];
    }
    char buf[ELEM_BUF];
    int blen = snprintf(buf, sizeof buf, "%llu", cursor);
    addReplyArrayLen(c, 2);
    addReplyBulk(c, buf, (size_t)blen);
    addReplyArrayLen(c, (long)kept);
    for (size_t i = 0; i < kept; i++) replyEntry(c, sv.v[i]);
    zfree(sv.v);
}

/* ---- the command table ---------------------------------------------------------------- */

static const cmdArg keyArg[] = { { "key", ARG_KEY, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keyMembersArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg keyMemberArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg spopArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, ARGF_OPTIONAL, NULL, "3.2.0" }, { 0 } };
static const cmdArg srandmemberArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, ARGF_OPTIONAL, NULL, "2.6.0" }, { 0 } };
static const cmdArg smoveArgs[] = {
    { "source", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "member", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keysArgs[] = { { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg storeArgs[] = {
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg sintercardArgs[] = {
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "limit", ARG_INTEGER, "LIMIT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg sscanArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "cursor", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "MATCH", ARGF_OPTIONAL, NULL, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "set"
#define KEYS_ALL .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "set"

cmdDef setCommands[] = {
    { .name = "sadd", .proc = saddCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write set fast",
      .since = "1.0.0", .args = keyMembersArgs,
      .complexity = "O(1) per member added, so O(N) for N members.",
      .summary = "Adds members to a set, creating the key if needed; returns how many were new." },
    { .name = "srem", .proc = sremCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write set fast", .since = "1.0.0", .args = keyMembersArgs,
      .complexity = "O(N), N being the number of members named.",
      .summary = "Removes members from a set (deleting the key once empty); returns how many "
                 "were there." },
    { .name = "smembers", .proc = smembersCommand, .arity = 2, .flags = CMD_READONLY, KEY1,
      .acl = "read set slow", .since = "1.0.0", .args = keyArg,
      .complexity = "O(N), N being the size of the set.",
      .summary = "Returns every member of a set." },
    { .name = "sismember", .proc = sismemberCommand, .arity = 3,
      .flags = CMD_READONLY | CMD_FAST, KEY1, .acl = "read set fast", .since = "1.0.0",
      .args = keyMemberArgs, .complexity = "O(1)",
      .summary = "Tells whether a value is a member of a set (1) or not (0)." },
    { .name = "smismember", .proc = smismemberCommand, .arity = -3,
      .flags = CMD_READONLY | CMD_FAST, KEY1, .acl = "read set fast", .since = "6.2.0",
      .args = keyMembersArgs, .complexity = "O(N), N being the number of values tested.",
      .summary = "Tells, for each of several values, whether it is a member of a set." },
    { .name = "scard", .proc = scardCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "read set fast", .since = "1.0.0", .args = keyArg, .complexity = "O(1)",
      .summary = "Returns the number of members of a set (0 for a missing key)." },
    { .name = "spop", .proc = spopCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write set fast", .since = "1.0.0", .args = spopArgs,
      .complexity = "O(1) for one member; with a count, O(N) in the count (or in the set's size "
                    "when it takes most of it).",
      .summary = "Removes one or several random members from a set and returns them." },
    { .name = "srandmember", .proc = srandmemberCommand, .arity = -2, .flags = CMD_READONLY,
      KEY1, .acl = "read set slow", .since = "1.0.0", .args = srandmemberArgs,
      .complexity = "O(1) for one member; with a count, O(N) in its absolute value.",
      .summary = "Returns random members of a set without removing them: distinct ones for a "
                 "positive count, possibly repeated ones for a negative count." },
    { .name = "smove", .proc = smoveCommand, .arity = 4, .flags = CMD_WRITE | CMD_FAST,
      .firstkey = 1, .lastkey = 2, .keystep = 1, .group = "set", .acl = "write set fast",
      .since = "1.0.0", .args = smoveArgs, .complexity = "O(1)",
      .summary = "Moves a member from one set to another, atomically." },
    { .name = "sinter", .proc = sinterCommand, .arity = -2, .flags = CMD_READONLY, KEYS_ALL,
      .acl = "read set slow", .since = "1.0.0", .args = keysArgs,
      .complexity = "O(N*M) at worst, N being the size of the smallest set and M the number of "
                    "sets.",
      .summary = "Returns the members common to every given set." },
    { .name = "sintercard", .proc = sintercardCommand, .arity = -3, .flags = CMD_READONLY,
      .getkeys = sintercardGetKeys, .group = "set", .acl = "read set slow", .since = "7.0.0",
      .args = sintercardArgs,
      .complexity = "O(N*M) at worst, N being the size of the smallest set and M the number of "
                    "sets.",
      .summary = "Counts the members common to every given set, optionally stopping at a "
                 "limit." },
    { .name = "sinterstore", .proc = sinterstoreCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM, KEYS_ALL, .acl = "write set slow", .since = "1.0.0",
      .args = storeArgs,
      .complexity = "O(N*M) at worst, N being the size of the smallest set and M the number of "
                    "sets.",
      .summary = "Stores the intersection of sets at a destination key; returns its size." },
    { .name = "sunion", .proc = sunionCommand, .arity = -2, .flags = CMD_READONLY, KEYS_ALL,
      .acl = "read set slow", .since = "1.0.0", .args = keysArgs,
      .complexity = "O(N), N being the total number of members of the given sets.",
      .summary = "Returns the members found in any of the given sets." },
    { .name = "sunionstore", .proc = sunionstoreCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM, KEYS_ALL, .acl = "write set slow", .since = "1.0.0",
      .args = storeArgs,
      .complexity = "O(N), N being the total number of members of the given sets.",
      .summary = "Stores the union of sets at a destination key; returns its size." },
    { .name = "sdiff", .proc = sdiffCommand, .arity = -2, .flags = CMD_READONLY, KEYS_ALL,
      .acl = "read set slow", .since = "1.0.0", .args = keysArgs,
      .complexity = "O(N), N being the total number of members of the given sets.",
      .summary = "Returns the members of the first set that none of the other sets holds." },
    { .name = "sdiffstore", .proc = sdiffstoreCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM, KEYS_ALL, .acl = "write set slow", .since = "1.0.0",
      .args = storeArgs,
      .complexity = "O(N), N being the total number of members of the given sets.",
      .summary = "Stores the difference of the first set and the others at a destination key; "
                 "returns its size." },
    { .name = "sscan", .proc = sscanCommand, .arity = -3, .flags = CMD_READONLY, KEY1,
      .acl = "read set slow", .since = "2.8.0", .args = sscanArgs,
      .complexity = "O(1) per call; O(N) for a whole iteration, N being the size of the set.",
      .summary = "Walks the members of a set incrementally with a cursor." },
    { 0 }
};
