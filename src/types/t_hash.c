/* t_hash.c — the hash type: HSET HSETNX HGET HMGET HMSET HDEL HLEN HSTRLEN
 * HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
 *
 * Behaviour, replies and error texts are Redis 7.0's (checked against
 * redis-server 7.0.15) in RESP2 and RESP3: HGETALL answers a map in RESP3,
 * HRANDFIELD ... WITHVALUES an array of [field, value] pairs in RESP3 and a
 * flat array in RESP2, HKEYS/HVALS/HSCAN plain arrays in both.
 *
 * Encodings (OBJECT ENCODING), the value pointer of the kvobj:
 *
 *   ENC_LISTPACK  unsigned char *lp: field, value, field, value, ... in one
 *                 listpack (listpack.h), byte for byte what Redis builds, so
 *                 RDB can write it as it is. Lookups are linear scans over
 *                 the fields (lpFindKey skips the values).
 *   ENC_HT        dict * of kind DICT_HASH (dict.h): one block per field
 *                 holding the field and, up to 512 bytes, the value.
 *
 * Conversion listpack → hashtable happens exactly where Redis 7.0 does it,
 * and never back (HDEL does not shrink a hashtable into a listpack):
 *  - before HSET/HMSET/HSETNX write anything, if any of their field or value
 *    arguments is longer than hash-max-listpack-value, or if the listpack
 *    could grow past its 1 GiB safety cap (HSETNX only checks when the field
 *    is new);
 *  - when a write of one field (HINCRBY, HINCRBYFLOAT too) brings a field or
 *    value longer than hash-max-listpack-value (checked on the value's
 *    string form, so HINCRBY's "1234567" counts 7 bytes);
 *  - after adding a field, if the hash has more than
 *    hash-max-listpack-entries fields (so with 0 every hash is a hashtable).
 *
 * A hash never exists empty: a key is created only when a field is about to
 * be written (no empty hash is left behind by a command that fails), and
 * HDEL deletes the key with its last field, as Redis does.
 *
 * Values are kept as Redis keeps them: a listpack stores a canonical decimal
 * int64 as an integer entry, and every value reads back as the exact bytes
 * written. HINCRBY parses with string2ll's rules ("hash value is not an
 * integer"), HINCRBYFLOAT with string2ld's (strtold over the whole string,
 * no leading space, no NaN) and formats like INCRBYFLOAT (longdouble2str,
 * human-friendly).
 *
 * HRANDFIELD follows Redis's semantics for each count: none → one field (a
 * bulk, nil for a missing key); 0 → []; positive → distinct fields, the
 * whole hash when count >= size; negative → |count| independent picks, with
 * repeats. Listpacks index their pairs once (an array of pointers) and pick
 * from it — uniform picks, or a partial Fisher-Yates shuffle for distinct
 * ones; hashtables use dictRandom / dictSample (fair over chains).
 *
 * HSCAN on a listpack returns every pair at once with cursor 0; on a
 * hashtable it walks dictScan's reverse-binary cursor, stopping, as Redis,
 * once it has visited COUNT elements — a field and its value count as two,
 * MATCH filters after the visit — or COUNT*10 buckets. Options are parsed
 * only when the key exists (a missing key answers the empty scan whatever
 * follows, as in Redis).
 *
 * Concurrency: every handler runs with its key's shard locked by call() and
 * never parks. The kvobj never moves here (the value is a pointer), so a
 * looked-up kvobj stays valid for the whole handler; listpack writes may
 * move the listpack and the new pointer is stored back with kvSetPtr at
 * once.
 */
#include "server/server.h"
#include "storage/dict.h"
#include "storage/listpack.h"
#include "storage/zmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- values read from either encoding ---------------------------------------- */

/* hstr: a field or value. Either bytes (p, len: inside the structure, valid
 * until the hash is modified) or, for a listpack integer entry, p == NULL
 * and the number in ll. */
typedef struct hstr {
    const char *p;
    size_t len;
    long long ll;
} hstr;

static inline void hstrFromLp(hstr *s, const lpValue *v) {
    s->p = (const char *)v->sval;
    s->len = v->slen;
    s->ll = v->lval;
}

/* hstrBytes: the bytes of s, formatting an integer into buf (>= 24 bytes). */
static inline const char *hstrBytes(const hstr *s, char *buf, size_t *len) {
    if (s->p) {
        *len = s->len;
        return s->p;
    }
    *len = (size_t)ll2str(buf, s->ll);
    return buf;
}

static inline void replyHstr(client *c, const hstr *s) {
    if (s->p) addReplyBulk(c, s->p, s->len);
    else addReplyBulkLongLong(c, s->ll);
}

static inline unsigned char *hLp(const kvobj *o) { return kvPtr(o); }
static inline dict *hDict(const kvobj *o) { return kvPtr(o); }

/* ---- the type's hooks (object.c calls them) ------------------------------------- */

static void hashFreeValue(void *ptr, int enc) {
    if (enc == ENC_LISTPACK) lpFree(ptr);
    else dictRelease(ptr);
}

static void *hashDupValue(const void *ptr, int enc) {
    if (enc == ENC_LISTPACK) return lpDup(ptr);
    return dictDup(ptr);
}

/* MEMORY USAGE: exact for listpacks and small tables; big tables are
 * estimated from a sample of entries, as Redis does. */
static size_t hashUsage(const void *ptr, int enc) {
    if (enc == ENC_LISTPACK) return zmallocSize(ptr);
    const dict *d = ptr;
    return dictMemUsage(d, dictSize(d) <= 1024 ? 0 : 64);
}

static const kvTypeOps hashOps = { .free = hashFreeValue, .dup = hashDupValue, .usage = hashUsage };

__attribute__((constructor)) static void hashRegisterType(void) {
    kvRegisterType(OBJ_HASH, &hashOps);
}

/* ---- the hash operations ------------------------------------------------------------ */

static unsigned long hashLength(const kvobj *o) {
    if (kvEnc(o) == ENC_LISTPACK) return lpLength(hLp(o)) / 2;
    return dictSize(hDict(o));
}

/* hashGet: the value of field f, or false if the hash has no such field. */
static bool hashGet(const kvobj *o, const char *f, size_t flen, hstr *v) {
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = hLp(o);
        unsigned char *p = lpFindKey(lp, f, flen);
        if (!p) return false;
        lpValue lv;
        lpGet(lpNext(lp, p), &lv);
        hstrFromLp(v, &lv);
        return true;
    }
    const char *s = dictHashGet(hDict(o), f, flen, &v->len);
    v->p = s;
    return s != NULL;
}

static bool hashExists(const kvobj *o, const char *f, size_t flen) {
    if (kvEnc(o) == ENC_LISTPACK) return lpFindKey(hLp(o), f, flen) != NULL;
    return dictContains(hDict(o), f, flen);
}

static __attribute__((noreturn)) void hashCorrupt(const char *what) {
    serverLog(LL_WARNING, "hash: %s", what);
    abort();
}

/* hashConvert turns a listpack hash into a hashtable. */
static void hashConvert(kvobj *o) {
    unsigned char *lp = hLp(o);
    dict *d = dictCreate(DICT_HASH);
    dictExpand(d, lpLength(lp) / 2);
    unsigned char *p = lpFirst(lp);
    lpValue k, v;
    while (lpNextPair(lp, &p, &k, &v)) {
        unsigned char kb[LP_INTBUF_SIZE], vb[LP_INTBUF_SIZE];
        size_t kl, vl;
        const unsigned char *fs = lpValueStr(&k, &kl, kb);
        const unsigned char *vs = lpValueStr(&v, &vl, vb);
        if (dictHashSet(d, fs, kl, vs, vl, DICT_HSET_NX) != 1)
            hashCorrupt("listpack holds a field twice");
    }
    lpFree(lp);
    kvSetPtr(o, d);
    kvSetEnc(o, ENC_HT);
}

/* hashTryConversion: Redis's hashTypeTryConversion over argv[first..last]:
 * convert before writing if an argument is too long for a listpack, or if
 * the listpack could pass its safety cap. */
static void hashTryConversion(client *c, kvobj *o, int first, int last) {
    if (kvEnc(o) != ENC_LISTPACK) return;
    size_t sum = 0;
    for (int i = first; i <= last; i++) {
        if (c->argvlen[i] > cfg.hash_max_listpack_value) {
            hashConvert(o);
            return;
        }
        sum += c->argvlen[i];
    }
    if (!lpSafeToAdd(hLp(o), sum)) hashConvert(o);
}

/* hashSet sets field f to v; true if the field was added, false if an
 * existing one was updated. v must not point into the hash. */
static bool hashSet(kvobj *o, const char *f, size_t flen, const char *v, size_t vlen) {
    if (kvEnc(o) == ENC_LISTPACK &&
        (flen > cfg.hash_max_listpack_value || vlen > cfg.hash_max_listpack_value))
        hashConvert(o);
    if (kvEnc(o) == ENC_HT) return dictHashSet(hDict(o), f, flen, v, vlen, 0) == 1;

    unsigned char *lp = hLp(o);
    unsigned char *p = lpFindKey(lp, f, flen);
    if (p) {
        p = lpNext(lp, p);
        kvSetPtr(o, lpReplace(lp, &p, v, vlen));
        return false;
    }
    lp = lpAppend(lp, f, flen);
    lp = lpAppend(lp, v, vlen);
    kvSetPtr(o, lp);
    if (lpLength(lp) / 2 > cfg.hash_max_listpack_entries) hashConvert(o);
    return true;
}

static bool hashDelete(kvobj *o, const char *f, size_t flen) {
    if (kvEnc(o) == ENC_HT) return dictDelete(hDict(o), f, flen);
    unsigned char *lp = hLp(o);
    unsigned char *p = lpFindKey(lp, f, flen);
    if (!p) return false;
    kvSetPtr(o, lpDeleteRangeAt(lp, &p, 2));
    return true;
}

/* ---- iteration ---------------------------------------------------------------------- */

/* hashIter walks the pairs in storage order. No modification of the hash
 * while it runs (the dict iterator is an unsafe one). */
typedef struct hashIter {
    int enc;
    unsigned char *lp, *p;
    dictIter di;
} hashIter;

static void hashIterInit(hashIter *it, const kvobj *o) {
    it->enc = kvEnc(o);
    if (it->enc == ENC_LISTPACK) {
        it->lp = hLp(o);
        it->p = lpFirst(it->lp);
    } else {
        dictIterInit(&it->di, hDict(o), false);
    }
}

static bool hashIterNext(hashIter *it, hstr *f, hstr *v) {
    if (it->enc == ENC_LISTPACK) {
        lpValue k, lv;
        if (!lpNextPair(it->lp, &it->p, &k, &lv)) return false;
        hstrFromLp(f, &k);
        hstrFromLp(v, &lv);
        return true;
    }
    dictEntry *e = dictIterNext(&it->di);
    if (!e) return false;
    f->p = dictHashField(e, &f->len);
    v->p = dictHashValue(e, &v->len);
    return true;
}

static void hashIterRelease(hashIter *it) {
    if (it->enc == ENC_HT) dictIterRelease(&it->di);
}

/* ---- keys ----------------------------------------------------------------------------- */

/* lookupHashWrite: the hash at argv[1] for a write, NULL if missing; false
 * (and WRONGTYPE replied) if the key holds another type. */
static bool lookupHashWrite(client *c, kvobj **out) {
    kvobj *o = lookupWrite(c, 1);
    if (o && !checkType(c, o, OBJ_HASH)) return false;
    *out = o;
    return true;
}

/* hashCreate adds an empty listpack hash at argv[1] (the caller writes a
 * field into it at once), its listpack sized for `capacity` bytes. */
static kvobj *hashCreate(client *c, size_t capacity) {
    kvobj *o = kvNewPtr(c->argv[1], c->argvlen[1], OBJ_HASH, ENC_LISTPACK, lpNew(capacity), -1);
    dbTouch(o);
    dbAdd(cShard(c, 1), keyHash(c, 1), o);
    notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[1], c->argvlen[1], c->db);
    return o;
}

static void keyWritten(client *c, const char *event) {
    signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    notifyKeyspaceEvent(c, NOTIFY_HASH, event, c->argv[1], c->argvlen[1], c->db);
}

/* ---- HSET HMSET HSETNX -------------------------------------------------------------- */

/* newHashCapacity: the listpack bytes argv[2..] would fill in a new hash if
 * it stays a listpack (0 if it would not: let conversion decide). */
static size_t newHashCapacity(client *c) {
    if ((size_t)(c->argc - 2) / 2 > cfg.hash_max_listpack_entries) return 0;
    size_t need = LP_EMPTY_SIZE;
    for (int i = 2; i < c->argc; i++) {
        if (c->argvlen[i] > cfg.hash_max_listpack_value) return 0;
        need += lpEntrySize(c->argv[i], c->argvlen[i]);
    }
    return need;
}

static void hsetGeneric(client *c, bool hmset) {
    if (c->argc % 2 == 1) {
        addReplyErrorArity(c);
        return;
    }
    kvobj *o;
    if (!lookupHashWrite(c, &o)) return;
    bool fresh = !o;
    if (fresh) o = hashCreate(c, newHashCapacity(c));
    hashTryConversion(c, o, 2, c->argc - 1);
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2)
        created += hashSet(o, c->argv[i], c->argvlen[i], c->argv[i + 1], c->argvlen[i + 1]);
    if (fresh && kvEnc(o) == ENC_LISTPACK) kvSetPtr(o, lpShrinkToFit(hLp(o)));
    if (hmset) addReplyOK(c);
    else addReplyLongLong(c, created);
    keyWritten(c, "hset");
}

static void hsetCommand(client *c) { hsetGeneric(c, false); }
static void hmsetCommand(client *c) { hsetGeneric(c, true); }

static void hsetnxCommand(client *c) {
    kvobj *o;
    if (!lookupHashWrite(c, &o)) return;
    if (o && hashExists(o, c->argv[2], c->argvlen[2])) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!o) o = hashCreate(c, 0);
    hashTryConversion(c, o, 2, 3);
    hashSet(o, c->argv[2], c->argvlen[2], c->argv[3], c->argvlen[3]);
    addReplyLongLong(c, 1);
    keyWritten(c, "hset");
}

/* ---- HGET HMGET HLEN HSTRLEN HEXISTS ------------------------------------------------- */

/* lookupHashRead: the hash at argv[1] or NULL; false (WRONGTYPE replied)
 * for another type. */
static bool lookupHashRead(client *c, kvobj **out) {
    kvobj *o = lookupRead(c, 1);
    if (o && !checkType(c, o, OBJ_HASH)) return false;
    *out = o;
    return true;
}

static void hgetCommand(client *c) {
    kvobj *o;
    hstr v;
    if (!lookupHashRead(c, &o)) return;
    if (o && hashGet(o, c->argv[2], c->argvlen[2], &v)) replyHstr(c, &v);
    else addReplyNull(c);
}

static void hmgetCommand(client *c) {
    kvobj *o;
    if (!lookupHashRead(c, &o)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        hstr v;
        if (o && hashGet(o, c->argv[i], c->argvlen[i], &v)) replyHstr(c, &v);
        else addReplyNull(c);
    }
}

static void hlenCommand(client *c) {
    kvobj *o;
    if (!lookupHashRead(c, &o)) return;
    addReplyLongLong(c, o ? (long long)hashLength(o) : 0);
}

static void hstrlenCommand(client *c) {
    kvobj *o;
    hstr v;
    if (!lookupHashRead(c, &o)) return;
    size_t len = 0;
    if (o && hashGet(o, c->argv[2], c->argvlen[2], &v)) {
        char buf[24];
        hstrBytes(&v, buf, &len);
    }
    addReplyLongLong(c, (long long)len);
}

static void hexistsCommand(client *c) {
    kvobj *o;
    if (!lookupHashRead(c, &o)) return;
    addReplyLongLong(c, o && hashExists(o, c->argv[2], c->argvlen[2]));
}

/* ---- HDEL ------------------------------------------------------------------------------ */

static void hdelCommand(client *c) {
    kvobj *o;
    if (!lookupHashWrite(c, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    long long deleted = 0;
    bool removed = false;
    for (int i = 2; i < c->argc; i++) {
        if (!hashDelete(o, c->argv[i], c->argvlen[i])) continue;
        deleted++;
        if (hashLength(o) == 0) {
            deleteKey(c, 1);
            removed = true;
            break;
        }
    }
    if (deleted) {
        keyWritten(c, "hdel");
        if (removed)
            notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
    }
    addReplyLongLong(c, deleted);
}

/* ---- HKEYS HVALS HGETALL --------------------------------------------------------------- */

enum { WANT_FIELDS = 1, WANT_VALUES = 2 };

static void hgetallGeneric(client *c, int want) {
    kvobj *o;
    if (!lookupHashRead(c, &o)) return;
    long n = o ? (long)hashLength(o) : 0;
    if (want == (WANT_FIELDS | WANT_VALUES)) addReplyMapLen(c, n);
    else addReplyArrayLen(c, n);
    if (!o) return;
    hashIter it;
    hstr f, v;
    hashIterInit(&it, o);
    while (hashIterNext(&it, &f, &v)) {
        if (want & WANT_FIELDS) replyHstr(c, &f);
        if (want & WANT_VALUES) replyHstr(c, &v);
    }
    hashIterRelease(&it);
}

static void hkeysCommand(client *c) { hgetallGeneric(c, WANT_FIELDS); }
static void hvalsCommand(client *c) { hgetallGeneric(c, WANT_VALUES); }
static void hgetallCommand(client *c) { hgetallGeneric(c, WANT_FIELDS | WANT_VALUES); }

/* ---- HINCRBY HINCRBYFLOAT ---------------------------------------------------------------- */

static void hincrbyCommand(client *c) {
    long long incr, value = 0;
    if (!getLongLongFromArgOrReply(c, 3, &incr, NULL)) return;
    kvobj *o;
    if (!lookupHashWrite(c, &o)) return;
    hstr v;
    if (o && hashGet(o, c->argv[2], c->argvlen[2], &v)) {
        if (v.p) {
            if (!str2ll(v.p, v.len, &value)) {
                addReplyError(c, "hash value is not an integer");
                return;
            }
        } else {
            value = v.ll;
        }
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        addReplyError(c, "increment or decrement would overflow");
        return;
    }
    value += incr;
    char buf[24];
    int n = ll2str(buf, value);
    if (!o) o = hashCreate(c, 0);
    hashSet(o, c->argv[2], c->argvlen[2], buf, (size_t)n);
    addReplyLongLong(c, value);
    keyWritten(c, "hincrby");
}

static void hincrbyfloatCommand(client *c) {
    long double incr, value = 0;
    if (!str2ld(c->argv[3], c->argvlen[3], &incr)) {
        addReplyErrorNotFloat(c);
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        addReplyError(c, "value is NaN or Infinity");
        return;
    }
    kvobj *o;
    if (!lookupHashWrite(c, &o)) return;
    hstr v;
    if (o && hashGet(o, c->argv[2], c->argvlen[2], &v)) {
        if (v.p) {
            if (!str2ld(v.p, v.len, &value)) {
                addReplyError(c, "hash value is not a float");
                return;
            }
        } else {
            value = (long double)v.ll;
        }
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "increment would produce NaN or Infinity");
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int n = longdouble2str(buf, sizeof buf, value, true);
    if (n < 0) n = 0;                  /* cannot happen: 5 KiB hold any long double */
    if (!o) o = hashCreate(c, 0);
    hashSet(o, c->argv[2], c->argvlen[2], buf, (size_t)n);
    addReplyBulk(c, buf, (size_t)n);
    keyWritten(c, "hincrbyfloat");
}

/* ---- HRANDFIELD ------------------------------------------------------------------------ */

/* replyPair: one field (and its value) of an HRANDFIELD reply: RESP3 nests
 * each pair in an array, RESP2 flattens them. */
static void replyPair(client *c, const hstr *f, const hstr *v, bool withvalues) {
    if (withvalues && c->resp > 2) addReplyArrayLen(c, 2);
    replyHstr(c, f);
    if (withvalues) replyHstr(c, v);
}

static void replyLpPair(client *c, unsigned char *lp, unsigned char *kp, bool withvalues) {
    lpValue k, v;
    hstr f, hv;
    lpGet(kp, &k);
    hstrFromLp(&f, &k);
    if (withvalues) {
        lpGet(lpNext(lp, kp), &v);
        hstrFromLp(&hv, &v);
    }
    replyPair(c, &f, &hv, withvalues);
}

static void replyDictPair(client *c, const dictEntry *e, bool withvalues) {
    hstr f, v;
    f.p = dictHashField(e, &f.len);
    if (withvalues) v.p = dictHashValue(e, &v.len);
    replyPair(c, &f, &v, withvalues);
}

/* hrandfieldWithCount: distinct fields for count >= 0, independent picks
 * (repeats allowed) for a negative count. */
static void hrandfieldWithCount(client *c, long long l, bool withvalues) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_HASH)) return;
    unsigned long size = hashLength(o);
    bool uniq = l >= 0;
    unsigned long long count = uniq ? (unsigned long long)l : (unsigned long long)-l;
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    unsigned long long replyLen = uniq && count > size ? size : count;
    addReplyArrayLen(c, (long)(withvalues && c->resp == 2 ? replyLen * 2 : replyLen));

    if (uniq && count >= size) {               /* the whole hash */
        hashIter it;
        hstr f, v;
        hashIterInit(&it, o);
        while (hashIterNext(&it, &f, &v)) replyPair(c, &f, &v, withvalues);
        hashIterRelease(&it);
        return;
    }

    if (kvEnc(o) == ENC_LISTPACK) {
        /* index the pairs once, then pick from the index */
        unsigned char *lp = hLp(o);
        unsigned char **keys = zmalloc(sizeof(unsigned char *) * size);
        unsigned long n = 0;
        for (unsigned char *p = lpFirst(lp); p && n < size; p = lpNext(lp, lpNext(lp, p)))
            keys[n++] = p;
        if (n != size) hashCorrupt("listpack pair count mismatch");
        if (!uniq) {
            while (count--) replyLpPair(c, lp, keys[ksRandom() % n], withvalues);
        } else {
            for (unsigned long i = 0; i < count; i++) {    /* partial Fisher-Yates */
                unsigned long j = i + (unsigned long)(ksRandom() % (n - i));
                unsigned char *t = keys[i];
                keys[i] = keys[j];
                keys[j] = t;
                replyLpPair(c, lp, keys[i], withvalues);
            }
        }
        zfree(keys);
        return;
    }

    dict *d = hDict(o);
    if (!uniq) {
        while (count--) replyDictPair(c, dictRandom(d, ksRandom), withvalues);
        return;
    }
    dictEntry **picks = zmalloc(sizeof(dictEntry *) * count);
    size_t got = dictSample(d, picks, count, ksRandom);
    if (got != count) hashCorrupt("dictSample returned too few entries");
    for (size_t i = 0; i < got; i++) replyDictPair(c, picks[i], withvalues);
    zfree(picks);
}

static void hrandfieldCommand(client *c) {
    if (c->argc >= 3) {
        long long l;
        if (!getLongLongFromArgOrReply(c, 2, &l, NULL)) return;
        if (l < -LONG_MAX || l > LONG_MAX) {
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld",
                                -LONG_MAX, LONG_MAX);
            return;
        }
        bool withvalues = false;
        if (c->argc > 4 || (c->argc == 4 && !argEq(c, 3, "withvalues"))) {
            addReplyErrorSyntax(c);
            return;
        }
        if (c->argc == 4) {
            withvalues = true;
            if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
                addReplyError(c, "value is out of range");
                return;
            }
        }
        hrandfieldWithCount(c, l, withvalues);
        return;
    }
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (!checkType(c, o, OBJ_HASH)) return;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = hLp(o);
        unsigned char *p = lpSeek(lp, (long)(ksRandom() % hashLength(o)) * 2);
        lpValue k;
        hstr f;
        lpGet(p, &k);
        hstrFromLp(&f, &k);
        replyHstr(c, &f);
    } else {
        size_t len;
        const char *f = dictHashField(dictRandom(hDict(o), ksRandom), &len);
        addReplyBulk(c, f, len);
    }
}

/* ---- HSCAN ------------------------------------------------------------------------------ */

typedef struct hscanCtx {
    const char *pat;
    size_t plen;
    bool usePat;
    dictEntry **out;                   /* matching entries of this call */
    size_t n, cap;
    unsigned long long seen;           /* elements visited: 2 per pair, as Redis counts */
    dictEntry *small[64];
} hscanCtx;

static void hscanCollect(void *arg, dictEntry *e) {
    hscanCtx *sc = arg;
    sc->seen += 2;
    if (sc->usePat) {
        size_t flen;
        const char *f = dictHashField(e, &flen);
        if (!globMatch(sc->pat, sc->plen, f, flen, false)) return;
    }
    if (sc->n == sc->cap) {
        size_t cap = sc->cap * 2;
        if (sc->out == sc->small) {
            sc->out = zmalloc(sizeof(dictEntry *) * cap);
            memcpy(sc->out, sc->small, sizeof sc->small);
        } else {
            sc->out = zrealloc(sc->out, sizeof(dictEntry *) * cap);
        }
        sc->cap = cap;
    }
    sc->out[sc->n++] = e;
}

static void replyCursor(client *c, unsigned long long cursor) {
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%llu", cursor);
    addReplyArrayLen(c, 2);
    addReplyBulk(c, buf, (size_t)n);
}

static void hscanCommand(client *c) {
    unsigned long long cursor;
    if (!getScanCursorOrReply(c, 2, &cursor)) return;
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        replyCursor(c, 0);
        addReplyArrayLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_HASH)) return;
    hscanCtx sc = { .out = NULL };
    long long count = 10;
    for (int i = 3; i < c->argc; i += 2) {
        bool more = c->argc - i >= 2;
        if (more && argEq(c, i, "count")) {
            if (!getLongLongFromArgOrReply(c, i + 1, &count, NULL)) return;
            if (count < 1) {
                addReplyErrorSyntax(c);
                return;
            }
        } else if (more && argEq(c, i, "match")) {
            sc.pat = c->argv[i + 1];
            sc.plen = c->argvlen[i + 1];
            sc.usePat = !(sc.plen == 1 && sc.pat[0] == '*');
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }

    if (kvEnc(o) == ENC_LISTPACK) {
        replyCursor(c, 0);
        size_t handle = addReplyDeferredLen(c);
        long n = 0;
        unsigned char *lp = hLp(o), *p = lpFirst(lp);
        lpValue k, v;
        while (lpNextPair(lp, &p, &k, &v)) {
            hstr f, hv;
            hstrFromLp(&f, &k);
            hstrFromLp(&hv, &v);
            if (sc.usePat) {
                char buf[24];
                size_t flen;
                const char *fs = hstrBytes(&f, buf, &flen);
                if (!globMatch(sc.pat, sc.plen, fs, flen, false)) continue;
            }
            replyHstr(c, &f);
            replyHstr(c, &hv);
            n += 2;
        }
        setDeferredArrayLen(c, handle, n);
        return;
    }

    sc.out = sc.small;
    sc.cap = sizeof sc.small / sizeof sc.small[0];
    dict *d = hDict(o);
    unsigned long long maxIters = (unsigned long long)count * 10;
    do {
        cursor = dictScan(d, cursor, hscanCollect, &sc);
    } while (cursor && maxIters-- && sc.seen < (unsigned long long)count);
    replyCursor(c, cursor);
    addReplyArrayLen(c, (long)sc.n * 2);
    for (size_t i = 0; i < sc.n; i++) {
        size_t len;
        const char *s = dictHashField(sc.out[i], &len);
        addReplyBulk(c, s, len);
        s = dictHashValue(sc.out[i], &len);
        addReplyBulk(c, s, len);
    }
    if (sc.out != sc.small) zfree(sc.out);
}

/* ---- the command table ------------------------------------------------------------------ */

static const cmdArg keyArg[] = { { "key", ARG_KEY, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keyFieldArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "field", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keyFieldsArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "field", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg fieldValue[] = {
    { "field", ARG_STRING, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg hsetArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "field_value", ARG_BLOCK, NULL, ARGF_MULTIPLE, fieldValue, NULL }, { 0 } };
static const cmdArg hsetnxArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "field", ARG_STRING, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg hincrbyArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "field", ARG_STRING, NULL, 0, NULL, NULL },
    { "increment", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg hincrbyfloatArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "field", ARG_STRING, NULL, 0, NULL, NULL },
    { "increment", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg hrandfieldOptions[] = {
    { "count", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "withvalues", ARG_PURE_TOKEN, "WITHVALUES", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg hrandfieldArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "options", ARG_BLOCK, NULL, ARGF_OPTIONAL, hrandfieldOptions, NULL }, { 0 } };
static const cmdArg hscanArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "cursor", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "MATCH", ARGF_OPTIONAL, NULL, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

/* the usual shape: one key at argv[1] */
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "hash"
#define PER_FIELD "O(N), N being the number of fields named."
#define WHOLE_HASH "O(N), N being the number of fields in the hash."

cmdDef hashCommands[] = {
    { .name = "hset", .proc = hsetCommand, .arity = -4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write hash fast",
      .since = "2.0.0", .args = hsetArgs,
      .complexity = "O(1) per field/value pair written, so O(N) for N pairs.",
      .summary = "Sets one or more fields of a hash, creating the hash if needed; replies "
                 "how many fields were new." },
    { .name = "hsetnx", .proc = hsetnxCommand, .arity = 4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write hash fast",
      .since = "2.0.0", .complexity = "O(1)", .args = hsetnxArgs,
      .summary = "Sets a field of a hash only when the field is not there yet." },
    { .name = "hget", .proc = hgetCommand, .arity = 3, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "read hash fast", .since = "2.0.0", .complexity = "O(1)", .args = keyFieldArgs,
      .summary = "Returns the value of one field of a hash." },
    { .name = "hmget", .proc = hmgetCommand, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
      KEY1, .acl = "read hash fast", .since = "2.0.0", .complexity = PER_FIELD,
      .args = keyFieldsArgs,
      .summary = "Returns the values of several fields of a hash (nil for missing ones)." },
    { .name = "hmset", .proc = hmsetCommand, .arity = -4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write hash fast",
      .since = "2.0.0", .args = hsetArgs,
      .complexity = "O(1) per field/value pair written, so O(N) for N pairs.",
      .summary = "Sets several fields of a hash and replies OK (superseded by HSET)." },
    { .name = "hdel", .proc = hdelCommand, .arity = -3, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write hash fast", .since = "2.0.0", .complexity = PER_FIELD,
      .args = keyFieldsArgs,
      .summary = "Removes fields from a hash; the key goes away with its last field." },
    { .name = "hlen", .proc = hlenCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "read hash fast", .since = "2.0.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Returns how many fields a hash has." },
    { .name = "hstrlen", .proc = hstrlenCommand, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
      KEY1, .acl = "read hash fast", .since = "3.2.0", .complexity = "O(1)",
      .args = keyFieldArgs, .summary = "Returns the length in bytes of one field's value." },
    { .name = "hexists", .proc = hexistsCommand, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
      KEY1, .acl = "read hash fast", .since = "2.0.0", .complexity = "O(1)",
      .args = keyFieldArgs, .summary = "Tells whether a hash has a given field." },
    { .name = "hkeys", .proc = hkeysCommand, .arity = 2, .flags = CMD_READONLY, KEY1,
      .acl = "read hash slow", .since = "2.0.0", .complexity = WHOLE_HASH, .args = keyArg,
      .summary = "Returns every field name of a hash." },
    { .name = "hvals", .proc = hvalsCommand, .arity = 2, .flags = CMD_READONLY, KEY1,
      .acl = "read hash slow", .since = "2.0.0", .complexity = WHOLE_HASH, .args = keyArg,
      .summary = "Returns every value of a hash." },
    { .name = "hgetall", .proc = hgetallCommand, .arity = 2, .flags = CMD_READONLY, KEY1,
      .acl = "read hash slow", .since = "2.0.0", .complexity = WHOLE_HASH, .args = keyArg,
      .summary = "Returns every field and value of a hash (a map in RESP3)." },
    { .name = "hincrby", .proc = hincrbyCommand, .arity = 4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write hash fast",
      .since = "2.0.0", .complexity = "O(1)", .args = hincrbyArgs,
      .summary = "Adds an integer to the integer in a hash field (a missing field counts as "
                 "0)." },
    { .name = "hincrbyfloat", .proc = hincrbyfloatCommand, .arity = 4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write hash fast",
      .since = "2.6.0", .complexity = "O(1)", .args = hincrbyfloatArgs,
      .summary = "Adds a floating-point number to the number in a hash field (a missing field "
                 "counts as 0)." },
    { .name = "hrandfield", .proc = hrandfieldCommand, .arity = -2, .flags = CMD_READONLY,
      KEY1, .acl = "read hash slow", .since = "6.2.0", .args = hrandfieldArgs,
      .complexity = "O(N), N being the number of fields returned.",
      .summary = "Returns random fields of a hash: distinct ones for a positive count, "
                 "independent picks for a negative one." },
    { .name = "hscan", .proc = hscanCommand, .arity = -3, .flags = CMD_READONLY, KEY1,
      .acl = "read hash slow", .since = "2.8.0", .args = hscanArgs,
      .complexity = "O(1) per call; O(N) for a whole iteration.",
      .summary = "Walks the fields and values of a hash a few at a time with a cursor." },
    { 0 }
};
