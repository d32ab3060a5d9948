/* t_string.c — the string type: GET SET SETNX SETEX PSETEX MGET MSET MSETNX
 * GETSET GETDEL GETEX APPEND STRLEN INCR DECR INCRBY DECRBY INCRBYFLOAT
 * GETRANGE SUBSTR SETRANGE LCS.
 *
 * Behaviour, replies and error texts are Redis 7.0's (checked against
 * redis-server 7.0.15), in RESP2 and RESP3. Where the order of checks is
 * observable it follows Redis: SET validates its options, then the expire
 * time, then (with GET) the old value's type; GETEX answers nil for a missing
 * key before it looks at the expire argument; GETRANGE parses its indexes
 * before the lookup; SETRANGE rejects a negative offset before the lookup;
 * LCS checks the key types before it parses its options.
 *
 * Encodings (OBJECT ENCODING) are Redis's:
 *   - a value written as given (SET and friends, GETSET, MSET, APPEND to a
 *     missing key) is encoded like tryObjectEncoding: "int" for a canonical
 *     int64 decimal, "embstr" up to 44 bytes, "raw" beyond (kvNewString);
 *   - APPEND to an existing key and SETRANGE always leave "raw" (an rstr
 *     with sds-like greedy spare room, so repeated APPENDs are amortised);
 *   - INCR/DECR/INCRBY/DECRBY leave "int";
 *   - INCRBYFLOAT leaves the formatted number as "embstr" ("raw" if longer
 *     than 44 bytes), never "int", exactly as Redis does.
 *
 * In-place updates. A kvobj is one block (object.h), so changing a value's
 * size means a new block and dbReplaceAt. When the size does not change the
 * block is updated in place, which makes the benchmark's hot path (SET of a
 * same-sized value over an existing key, INCR of an int) allocation-free:
 * int over int, embstr over an embstr of the same length, raw over a raw
 * buffer of exactly the size class a fresh one would get, as long as the
 * key keeps (or keeps not having) an expire slot. Nothing can observe the
 * difference: every kvobj pointer dies with the shard lock.
 *
 * Expire times are unix milliseconds computed at the command's clock
 * (c->nowms). A relative EX/PX is checked for overflow the way Redis does
 * (its wrapped sum turns negative and is refused as an invalid expire time).
 * A value replaced by INCR*, APPEND or SETRANGE keeps its TTL; SET, GETSET,
 * MSET and friends clear it (SET ... KEEPTTL keeps it).
 *
 * INCRBYFLOAT parses with strtold like Redis's string2ld (so "inf" parses and
 * is then refused as producing Infinity, and a denormal such as 1e-4950 is
 * accepted), adds in long double and formats with "%.17Lf" minus trailing
 * zeros (longdouble2str).
 *
 * LCS is the textbook dynamic programme over a (|a|+1) x (|b|+1) table of
 * uint32, walked back from the end to produce the string or the IDX ranges;
 * the ranges and their order are Redis's. LEN alone needs only the length,
 * so it keeps two rows instead of the table; the transient-memory limit
 * (proto-max-bulk-len) is still checked against the full table's size so
 * the same inputs are refused as in Redis.
 *
 * Concurrency: every handler runs with its keys' shard locks held by call()
 * (MSET/MSETNX/MGET declare every key position, LCS its two keys) and never
 * parks. Links returned by lookups are used before the next table operation
 * on the same shard, one key at a time.
 */
#include "server/server.h"
#include "storage/zmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

/* ---- shared helpers --------------------------------------------------------- */

/* findLink: the live entry of key argv[i] (lazy expiry applied), without
 * touching the LRU clock or the hit/miss statistics. */
static kvobj **findLink(client *c, int i) {
    return dbFindLink(cShard(c, i), c->arghash[i], c->argv[i], c->argvlen[i], c->nowms, false);
}

static void countLookup(bool hit) {
    hotStatAdd(hit ? HSTAT_HITS : HSTAT_MISSES, 1);
}

static size_t strLength(const kvobj *o) {
    switch (kvEnc(o)) {
    case ENC_INT: {
        char buf[24];
        return (size_t)ll2str(buf, kvInt(o));
    }
    case ENC_EMBSTR: return kvVal(o)[0];
    default: return ((const rstr *)kvPtr(o))->len;
    }
}

static void keyWritten(client *c, int i, const char *event) {
    signalModifiedKey(c, c->db, c->argv[i], c->argvlen[i]);
    notifyKeyspaceEvent(c, NOTIFY_STRING, event, c->argv[i], c->argvlen[i], c->db);
}

/* linkNew puts the new entry n for key argv[i] where link points, or adds
 * it when the key was missing (link NULL). */
static void linkNew(client *c, int i, kvobj **link, kvobj *n) {
    shard *s = cShard(c, i);
    dbTouch(n);
    if (link) dbReplaceAt(s, link, n, true);
    else {
        dbAdd(s, c->arghash[i], n);
        notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[i], c->argvlen[i], c->db);
    }
}

/* rstrCapFor: the capacity a raw string that just grew to `need` bytes gets
 * (sds's greedy rule: double below 1 MB, +1 MB above). */
static size_t rstrCapFor(size_t need) {
    return need < 1024 * 1024 ? need * 2 : need + 1024 * 1024;
}

/* rawFits: can the raw buffer s take a len-byte value in place and use
 * exactly the memory a fresh buffer for it would? */
static bool rawFits(const rstr *s, size_t len) {
    return s->cap >= len && s->cap == zmallocUsable(sizeof(rstr) + len + 1) - sizeof(rstr) - 1;
}

/* storeString makes key argv[ki] hold the string v (encoded like Redis's
 * tryObjectEncoding) with `expire` (unix ms, -1 for none), replacing
 * whatever *link holds (link NULL: the key is missing). The existing block
 * is reused when the new value has the same encoding and size. Signals the
 * modification; the caller sends the keyspace event. */
static void storeString(client *c, int ki, kvobj **link, const char *v, size_t vlen,
                        int64_t expire) {
    long long ll = 0;
    bool isInt = vlen <= 20 && str2ll(v, vlen, &ll);
    if (link) {
        kvobj *o = *link;
        if (kvType(o) == OBJ_STRING && kvHasExpire(o) == (expire >= 0)) {
            int enc = kvEnc(o);
            bool done = false;
            if (isInt) {
                if (enc == ENC_INT) { kvSetInt(o, ll); done = true; }
            } else if (vlen <= EMBSTR_MAX) {
                unsigned char *p = kvVal(o);
                if (enc == ENC_EMBSTR && p[0] == vlen) { memcpy(p + 1, v, vlen); done = true; }
            } else if (enc == ENC_RAW) {
                rstr *s = kvPtr(o);
                if (rawFits(s, vlen)) {
                    memcpy(s->buf, v, vlen);
                    s->len = vlen;
                    s->buf[vlen] = '\0';
                    done = true;
                }
            }
            if (done) {
                if (expire >= 0) kvSetExpireInPlace(o, expire);
                dbTouch(o);
                signalModifiedKey(c, c->db, c->argv[ki], c->argvlen[ki]);
                return;
            }
        }
    }
    kvobj *n;
    if (isInt) n = kvNewInt(c->argv[ki], c->argvlen[ki], ll, expire);
    else n = kvNewString(c->argv[ki], c->argvlen[ki], v, vlen, expire);
    linkNew(c, ki, link, n);
    signalModifiedKey(c, c->db, c->argv[ki], c->argvlen[ki]);
}

/* checkStringLength: would a string of size+append bytes exceed
 * proto-max-bulk-len (or overflow)? Replies the error if so. */
static bool checkStringLength(client *c, long long size, long long append) {
    uint64_t total = (uint64_t)size + (uint64_t)append;
    if (total > (uint64_t)cfg.proto_max_bulk_len || total < (uint64_t)size ||
        total < (uint64_t)append) {
        addReplyError(c, "string exceeds maximum allowed size (proto-max-bulk-len)");
        return false;
    }
    return true;
}

/* ---- expire options (SET, GETEX, SETEX, PSETEX) ------------------------------- */

#define OPT_NX      (1 << 0)
#define OPT_XX      (1 << 1)
#define OPT_GET     (1 << 2)
#define OPT_KEEPTTL (1 << 3)
#define OPT_PERSIST (1 << 4)
#define OPT_EX      (1 << 5)
#define OPT_PX      (1 << 6)
#define OPT_EXAT    (1 << 7)
#define OPT_PXAT    (1 << 8)
#define OPT_TIMES   (OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT)

enum { FOR_SET, FOR_GETEX };

/* One option: the flag it sets, the flags it cannot be combined with (a
 * repeat of itself is allowed, the last value wins), which command takes
 * it, and whether a value follows. */
static const struct setOption {
    const char *name;
    int flag, excludes, command;
    bool hasValue;
} setOptions[] = {
    { "nx", OPT_NX, OPT_XX, FOR_SET, false },
    { "xx", OPT_XX, OPT_NX, FOR_SET, false },
    { "get", OPT_GET, 0, FOR_SET, false },
    { "keepttl", OPT_KEEPTTL, OPT_PERSIST | OPT_TIMES, FOR_SET, false },
    { "persist", OPT_PERSIST, OPT_KEEPTTL | OPT_TIMES, FOR_GETEX, false },
    { "ex", OPT_EX, OPT_KEEPTTL | OPT_PERSIST | (OPT_TIMES & ~OPT_EX), -1, true },
    { "px", OPT_PX, OPT_KEEPTTL | OPT_PERSIST | (OPT_TIMES & ~OPT_PX), -1, true },
    { "exat", OPT_EXAT, OPT_KEEPTTL | OPT_PERSIST | (OPT_TIMES & ~OPT_EXAT), -1, true },
    { "pxat", OPT_PXAT, OPT_KEEPTTL | OPT_PERSIST | (OPT_TIMES & ~OPT_PXAT), -1, true },
};

/* parseSetOptions reads the options from argv[first] on into *flags and the
 * index of the expire value into *expArg (0 if none). Replies "syntax error"
 * and returns false on an unknown, misplaced or conflicting option. */
static bool parseSetOptions(client *c, int first, int command, int *flags, int *expArg) {
    *flags = 0;
    *expArg = 0;
    for (int j = first; j < c->argc; j++) {
        const struct setOption *opt = NULL;
        for (size_t k = 0; k < sizeof setOptions / sizeof setOptions[0]; k++) {
            if (argEq(c, j, setOptions[k].name)) { opt = &setOptions[k]; break; }
        }
        if (!opt || (opt->command >= 0 && opt->command != command) || (*flags & opt->excludes) ||
            (opt->hasValue && j + 1 >= c->argc)) {
            addReplyErrorSyntax(c);
            return false;
        }
        *flags |= opt->flag;
        if (opt->hasValue) *expArg = ++j;
    }
    return true;
}

static void replyInvalidExpire(client *c) {
    addReplyErrorFormat(c, "invalid expire time in '%s' command", c->cmd->fullname);
}

/* expireFromArg turns argv[i], in the unit and base the flags say (EX/EXAT
 * seconds, PX/PXAT milliseconds; EX/PX relative to now), into unix ms. */
static bool expireFromArg(client *c, int i, int flags, int64_t *when) {
    long long v;
    if (!getLongLongFromArgOrReply(c, i, &v, NULL)) return false;
    bool seconds = flags & (OPT_EX | OPT_EXAT);
    if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
        replyInvalidExpire(c);
        return false;
    }
    if (seconds) v *= 1000;
    if (flags & (OPT_EX | OPT_PX)) {
        if (v > LLONG_MAX - c->nowms) {
            replyInvalidExpire(c);
            return false;
        }
        v += c->nowms;
    }
    *when = v;
    return true;
}

/* ---- GET, SET and their variants ---------------------------------------------- */

static void getCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (kvType(o) != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    addReplyKvString(c, o);
}

/* setGeneric: SET's body. flags are OPT_*; `when` is the expire (unix ms)
 * when a time option was given. okReply/abortReply override +OK and the
 * null sent when NX/XX stop the write (SETNX's :1 and :0). */
static void setGeneric(client *c, int flags, int64_t when, const char *okReply,
                       const char *abortReply) {
    kvobj **link = findLink(c, 1);
    if (flags & OPT_GET) {
        /* reads like GET first: counted, and refused for another type */
        countLookup(link != NULL);
        if (!link) {
            notifyKeyspaceEvent(c, NOTIFY_KEY_MISS, "keymiss", c->argv[1], c->argvlen[1], c->db);
            addReplyNull(c);
        } else if (kvType(*link) != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        } else {
            dbTouch(*link);
            addReplyKvString(c, *link);
        }
    }
    if (((flags & OPT_NX) && link) || ((flags & OPT_XX) && !link)) {
        if (flags & OPT_GET) return;
        if (abortReply) addReplyProto(c, abortReply, strlen(abortReply));
        else addReplyNull(c);
        return;
    }
    int64_t expire = -1;
    if (flags & OPT_TIMES) expire = when;
    else if ((flags & OPT_KEEPTTL) && link) expire = kvExpire(*link);
    storeString(c, 1, link, c->argv[2], c->argvlen[2], expire);
    notifyKeyspaceEvent(c, NOTIFY_STRING, "set", c->argv[1], c->argvlen[1], c->db);
    if (flags & OPT_TIMES)
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "expire", c->argv[1], c->argvlen[1], c->db);
    if (flags & OPT_GET) return;
    if (okReply) addReplyProto(c, okReply, strlen(okReply));
    else addReplyOK(c);
}

static void setCommand(client *c) {
    if (c->argc == 3) {                     /* the hot path: plain SET */
        storeString(c, 1, findLink(c, 1), c->argv[2], c->argvlen[2], -1);
        notifyKeyspaceEvent(c, NOTIFY_STRING, "set", c->argv[1], c->argvlen[1], c->db);
        addReplyOK(c);
        return;
    }
    int flags, expArg;
    int64_t when = -1;
    if (!parseSetOptions(c, 3, FOR_SET, &flags, &expArg)) return;
    if (expArg && !expireFromArg(c, expArg, flags, &when)) return;
    setGeneric(c, flags, when, NULL, NULL);
}

static void setnxCommand(client *c) { setGeneric(c, OPT_NX, -1, ":1\r\n", ":0\r\n"); }

/* SETEX key seconds value / PSETEX key milliseconds value */
static void setexGeneric(client *c, int unitFlag) {
    int64_t when;
    if (!expireFromArg(c, 2, unitFlag, &when)) return;
    storeString(c, 1, findLink(c, 1), c->argv[3], c->argvlen[3], when);
    notifyKeyspaceEvent(c, NOTIFY_STRING, "set", c->argv[1], c->argvlen[1], c->db);
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "expire", c->argv[1], c->argvlen[1], c->db);
    addReplyOK(c);
}

static void setexCommand(client *c) { setexGeneric(c, OPT_EX); }
static void psetexCommand(client *c) { setexGeneric(c, OPT_PX); }

static void getsetCommand(client *c) {
    kvobj **link = lookupLinkRead(c, 1);
    if (link) {
        if (kvType(*link) != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        addReplyKvString(c, *link);
    } else {
        addReplyNull(c);
    }
    storeString(c, 1, link, c->argv[2], c->argvlen[2], -1);
    notifyKeyspaceEvent(c, NOTIFY_STRING, "set", c->argv[1], c->argvlen[1], c->db);
}

static void getdelCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (kvType(o) != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    addReplyKvString(c, o);
    deleteKey(c, 1);
    notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
}

static void getexCommand(client *c) {
    int flags, expArg;
    int64_t when = -1;
    if (!parseSetOptions(c, 2, FOR_GETEX, &flags, &expArg)) return;
    kvobj **link = lookupLinkRead(c, 1);
    if (!link) {
        addReplyNull(c);
        return;
    }
    if (kvType(*link) != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    if (expArg && !expireFromArg(c, expArg, flags, &when)) return;
    addReplyKvString(c, *link);
    if ((flags & (OPT_EXAT | OPT_PXAT)) && when <= c->nowms) {
        deleteKey(c, 1);       /* an absolute time already past: the key goes now */
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
    } else if (expArg) {
        dbSetExpireAt(cShard(c, 1), link, when);
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "expire", c->argv[1], c->argvlen[1], c->db);
    } else if ((flags & OPT_PERSIST) && kvHasExpire(*link)) {
        dbSetExpireAt(cShard(c, 1), link, -1);
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "persist", c->argv[1], c->argvlen[1], c->db);
    }
}

/* ---- multi-key: MGET MSET MSETNX ------------------------------------------------- */

static void mgetCommand(client *c) {
    addReplyArrayLen(c, c->argc - 1);
    for (int i = 1; i < c->argc; i++) {
        kvobj *o = lookupRead(c, i);
        if (o && kvType(o) == OBJ_STRING) addReplyKvString(c, o);
        else addReplyNull(c);
    }
}

static void msetPairs(client *c) {
    for (int i = 1; i < c->argc; i += 2) {
        storeString(c, i, findLink(c, i), c->argv[i + 1], c->argvlen[i + 1], -1);
        notifyKeyspaceEvent(c, NOTIFY_STRING, "set", c->argv[i], c->argvlen[i], c->db);
    }
}

static void msetCommand(client *c) {
    if (c->argc % 2 == 0) {
        addReplyErrorArity(c);
        return;
    }
    msetPairs(c);
    addReplyOK(c);
}

static void msetnxCommand(client *c) {
    if (c->argc % 2 == 0) {
        addReplyErrorArity(c);
        return;
    }
    for (int i = 1; i < c->argc; i += 2) {
        if (findLink(c, i)) {
            addReplyLongLong(c, 0);
            return;
        }
    }
    msetPairs(c);
    addReplyLongLong(c, 1);
}

/* ---- APPEND STRLEN ---------------------------------------------------------------- */

static void appendCommand(client *c) {
    kvobj **link = lookupLinkWrite(c, 1);
    const char *add = c->argv[2];
    size_t addlen = c->argvlen[2];
    size_t total;
    if (!link) {
        storeString(c, 1, NULL, add, addlen, -1);
        total = addlen;
    } else {
        kvobj *o = *link;
        if (kvType(o) != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        size_t oldlen = strLength(o);
        if (!checkStringLength(c, (long long)oldlen, (long long)addlen)) return;
        total = oldlen + addlen;
        if (kvEnc(o) == ENC_RAW) {
            rstr *s = kvPtr(o);
            if (s->cap < total) s = rstrGrow(s, total);
            memcpy(s->buf + oldlen, add, addlen);
            s->len = total;
            s->buf[total] = '\0';
            kvSetPtr(o, s);
        } else {
            /* int or embstr: the value becomes a raw string with room to grow */
            char buf[24];
            size_t len;
            const char *p = kvStr(o, buf, &len);
            rstr *s = rstrNew(p, len, rstrCapFor(total));
            memcpy(s->buf + len, add, addlen);
            s->len = total;
            s->buf[total] = '\0';
            linkNew(c, 1, link, kvNewRaw(c->argv[1], c->argvlen[1], s, kvExpire(o)));
        }
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    }
    notifyKeyspaceEvent(c, NOTIFY_STRING, "append", c->argv[1], c->argvlen[1], c->db);
    addReplyLongLong(c, (long long)total);
}

static void strlenCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (kvType(o) != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    addReplyLongLong(c, (long long)strLength(o));
}

/* ---- INCR DECR INCRBY DECRBY INCRBYFLOAT ------------------------------------------ */

/* valueToLongLong: the integer a string value holds (strict, like
 * string2ll), false if it holds none. */
static bool valueToLongLong(const kvobj *o, long long *v) {
    if (kvEnc(o) == ENC_INT) {
        *v = kvInt(o);
        return true;
    }
    char buf[24];
    size_t len;
    const char *p = kvStr(o, buf, &len);
    return str2ll(p, len, v);
}

static void incrDecr(client *c, long long incr) {
    kvobj **link = lookupLinkWrite(c, 1);
    long long v = 0;
    if (link) {
        if (kvType(*link) != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        if (!valueToLongLong(*link, &v)) {
            addReplyErrorNotInt(c);
            return;
        }
    }
    if ((incr < 0 && v < 0 && incr < LLONG_MIN - v) ||
        (incr > 0 && v > 0 && incr > LLONG_MAX - v)) {
        addReplyError(c, "increment or decrement would overflow");
        return;
    }
    v += incr;
    if (link && kvEnc(*link) == ENC_INT) {
        kvSetInt(*link, v);
    } else {
        int64_t expire = link ? kvExpire(*link) : -1;
        linkNew(c, 1, link, kvNewInt(c->argv[1], c->argvlen[1], v, expire));
    }
    keyWritten(c, 1, "incrby");
    addReplyLongLong(c, v);
}

static void incrCommand(client *c) { incrDecr(c, 1); }
static void decrCommand(client *c) { incrDecr(c, -1); }

static void incrbyCommand(client *c) {
    long long incr;
    if (!getLongLongFromArgOrReply(c, 2, &incr, NULL)) return;
    incrDecr(c, incr);
}

static void decrbyCommand(client *c) {
    long long decr;
    if (!getLongLongFromArgOrReply(c, 2, &decr, NULL)) return;
    if (decr == LLONG_MIN) {              /* -decr does not exist */
        addReplyError(c, "decrement would overflow");
        return;
    }
    incrDecr(c, -decr);
}

static bool valueToLongDouble(const kvobj *o, long double *v) {
    if (kvEnc(o) == ENC_INT) {
        *v = (long double)kvInt(o);
        return true;
    }
    char buf[24];
    size_t len;
    const char *p = kvStr(o, buf, &len);
    return str2ld(p, len, v);
}

static void incrbyfloatCommand(client *c) {
    kvobj **link = lookupLinkWrite(c, 1);
    long double v = 0, incr;
    if (link && kvType(*link) != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    if ((link && !valueToLongDouble(*link, &v)) ||
        !str2ld(c->argv[2], c->argvlen[2], &incr)) {
        addReplyErrorNotFloat(c);
        return;
    }
    v += incr;
    if (isnan(v) || isinf(v)) {
        addReplyError(c, "increment would produce NaN or Infinity");
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int n = longdouble2str(buf, sizeof buf, v, true);
    if (n < 0) n = 0;                     /* cannot happen: 5 KB hold any long double */
    size_t len = (size_t)n;
    int64_t expire = link ? kvExpire(*link) : -1;
    kvobj *o;
    if (len <= EMBSTR_MAX) o = kvNewEmbstr(c->argv[1], c->argvlen[1], buf, len, expire);
    else o = kvNewRaw(c->argv[1], c->argvlen[1], rstrNew(buf, len, len), expire);
    linkNew(c, 1, link, o);
    keyWritten(c, 1, "incrbyfloat");
    addReplyBulk(c, buf, len);
}

/* ---- GETRANGE SETRANGE -------------------------------------------------------------- */

static void getrangeCommand(client *c) {
    long long start, end;
    if (!getLongLongFromArgOrReply(c, 2, &start, NULL) ||
        !getLongLongFromArgOrReply(c, 3, &end, NULL))
        return;
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyBulk(c, "", 0);
        return;
    }
    if (kvType(o) != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    char buf[24];
    size_t len;
    const char *p = kvStr(o, buf, &len);
    long long n = (long long)len;
    if (start < 0 && end < 0 && start > end) {
        addReplyBulk(c, "", 0);
        return;
    }
    if (start < 0) start += n;
    if (end < 0) end += n;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= n) end = n - 1;
    if (n == 0 || start > end) addReplyBulk(c, "", 0);
    else addReplyBulk(c, p + start, (size_t)(end - start + 1));
}

static void setrangeCommand(client *c) {
    long long offset;
    if (!getLongLongFromArgOrReply(c, 2, &offset, NULL)) return;
    if (offset < 0) {
        addReplyError(c, "offset is out of range");
        return;
    }
    const char *v = c->argv[3];
    size_t vlen = c->argvlen[3];
    kvobj **link = lookupLinkWrite(c, 1);
    size_t newlen;
    if (!link) {
        if (vlen == 0) {                 /* nothing to write: no key either */
            addReplyLongLong(c, 0);
            return;
        }
        if (!checkStringLength(c, offset, (long long)vlen)) return;
        newlen = (size_t)offset + vlen;
        rstr *s = rstrNew(NULL, 0, newlen);
        memset(s->buf, 0, (size_t)offset);
        memcpy(s->buf + offset, v, vlen);
        s->len = newlen;
        s->buf[newlen] = '\0';
        linkNew(c, 1, NULL, kvNewRaw(c->argv[1], c->argvlen[1], s, -1));
    } else {
        kvobj *o = *link;
        if (kvType(o) != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        size_t oldlen = strLength(o);
        if (vlen == 0) {
            addReplyLongLong(c, (long long)oldlen);
            return;
        }
        if (!checkStringLength(c, offset, (long long)vlen)) return;
        size_t end = (size_t)offset + vlen;
        newlen = end > oldlen ? end : oldlen;
        rstr *s;
        if (kvEnc(o) == ENC_RAW) {
            s = kvPtr(o);
            if (s->cap < newlen) s = rstrGrow(s, newlen);
            kvSetPtr(o, s);
        } else {
            char buf[24];
            size_t len;
            const char *p = kvStr(o, buf, &len);
            s = rstrNew(p, len, newlen > len ? rstrCapFor(newlen) : len);
            linkNew(c, 1, link, kvNewRaw(c->argv[1], c->argvlen[1], s, kvExpire(o)));
        }
        if ((size_t)offset > oldlen) memset(s->buf + oldlen, 0, (size_t)offset - oldlen);
        memcpy(s->buf + offset, v, vlen);
        s->len = newlen;
        s->buf[newlen] = '\0';
    }
    keyWritten(c, 1, "setrange");
    addReplyLongLong(c, (long long)newlen);
}

/* ---- LCS ----------------------------------------------------------------------------- */

/* lcsLength: the LCS length of a and b, keeping two rows of the table. */
static uint32_t lcsLength(const char *a, uint32_t alen, const char *b, uint32_t blen) {
    uint32_t *prev = zcalloc(sizeof(uint32_t) * ((size_t)blen + 1));
    uint32_t *cur = zcalloc(sizeof(uint32_t) * ((size_t)blen + 1));
    for (uint32_t i = 1; i <= alen; i++) {
        cur[0] = 0;
        for (uint32_t j = 1; j <= blen; j++) {
            if (a[i - 1] == b[j - 1]) cur[j] = prev[j - 1] + 1;
            else cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    uint32_t n = prev[blen];
    zfree(prev);
    zfree(cur);
    return n;
}

/* lcsTable: T[i*(blen+1)+j] = LCS length of a[0,i) and b[0,j). */
static uint32_t *lcsTable(const char *a, uint32_t alen, const char *b, uint32_t blen) {
    size_t w = (size_t)blen + 1;
    uint32_t *t = zmalloc(sizeof(uint32_t) * ((size_t)alen + 1) * w);
    for (size_t j = 0; j < w; j++) t[j] = 0;
    for (uint32_t i = 1; i <= alen; i++) {
        uint32_t *row = t + (size_t)i * w, *up = row - w;
        row[0] = 0;
        for (uint32_t j = 1; j <= blen; j++) {
            if (a[i - 1] == b[j - 1]) row[j] = up[j - 1] + 1;
            else row[j] = up[j] > row[j - 1] ? up[j] : row[j - 1];
        }
    }
    return t;
}

/* lcsEmitRange adds one IDX match: [[astart, aend], [bstart, bend], len?]. */
static void lcsEmitRange(client *c, uint32_t as, uint32_t ae, uint32_t bs, uint32_t be,
                         bool withLen) {
    addReplyArrayLen(c, withLen ? 3 : 2);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, as);
    addReplyLongLong(c, ae);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, bs);
    addReplyLongLong(c, be);
    if (withLen) addReplyLongLong(c, (long long)(ae - as + 1));
}

/* lcsWalk walks the table back from (alen, blen): along a diagonal on equal
 * bytes, else towards the larger neighbour (up on a strict win, left on a
 * tie). It fills out[] with the LCS (if out) and, if idx, emits every
 * maximal diagonal run of at least minLen bytes, last run first, returning
 * how many it emitted. */
static long lcsWalk(client *c, const char *a, uint32_t alen, const char *b, uint32_t blen,
                    const uint32_t *t, char *out, bool idx, long long minLen, bool withLen) {
    size_t w = (size_t)blen + 1;
    uint32_t i = alen, j = blen, k = t[(size_t)alen * w + blen];
    bool inRun = false;
    uint32_t as = 0, ae = 0, bs = 0, be = 0;
    long emitted = 0;
    while (i > 0 && j > 0) {
        bool closeRun = false;
        if (a[i - 1] == b[j - 1]) {
            if (out) out[k - 1] = a[i - 1];
            k--;
            if (!inRun) {
                inRun = true;
                as = ae = i - 1;
                bs = be = j - 1;
            } else {
                as--;                      /* a diagonal step extends the run */
                bs--;
            }
            i--;
            j--;
            if (as == 0 || bs == 0) closeRun = true;
        } else {
            if (t[(size_t)(i - 1) * w + j] > t[(size_t)i * w + j - 1]) i--;
            else j--;
            closeRun = inRun;
        }
        if (closeRun) {
            if (idx && (minLen == 0 || (long long)(ae - as + 1) >= minLen)) {
                lcsEmitRange(c, as, ae, bs, be, withLen);
                emitted++;
            }
            inRun = false;
        }
    }
    return emitted;
}

static void lcsCommand(client *c) {
    kvobj *oa = lookupRead(c, 1);
    kvobj *ob = lookupRead(c, 2);
    if ((oa && kvType(oa) != OBJ_STRING) || (ob && kvType(ob) != OBJ_STRING)) {
        addReplyError(c, "The specified keys must contain string values");
        return;
    }
    bool getLen = false, getIdx = false, withLen = false;
    long long minLen = 0;
    for (int j = 3; j < c->argc; j++) {
        if (argEq(c, j, "idx")) {
            getIdx = true;
        } else if (argEq(c, j, "len")) {
            getLen = true;
        } else if (argEq(c, j, "withmatchlen")) {
            withLen = true;
        } else if (argEq(c, j, "minmatchlen") && j + 1 < c->argc) {
            if (!getLongLongFromArgOrReply(c, j + 1, &minLen, NULL)) return;
            if (minLen < 0) minLen = 0;
            j++;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (getIdx && getLen) {
        addReplyError(c, "If you want both the length and indexes, please just use IDX.");
        return;
    }
    char bufa[24], bufb[24];
    size_t la = 0, lb = 0;
    const char *a = oa ? kvStr(oa, bufa, &la) : "";
    const char *b = ob ? kvStr(ob, bufb, &lb) : "";
    if (la >= UINT32_MAX - 1 || lb >= UINT32_MAX - 1) {
        addReplyError(c, "String too long for LCS");
        return;
    }
    uint32_t alen = (uint32_t)la, blen = (uint32_t)lb;
    unsigned long long cells = (unsigned long long)(alen + 1) * (blen + 1);
    if (cells * sizeof(uint32_t) > (unsigned long long)cfg.proto_max_bulk_len) {
        addReplyError(c, "Insufficient memory, transient memory for LCS exceeds "
                         "proto-max-bulk-len");
        return;
    }
    if (getLen) {
        addReplyLongLong(c, lcsLength(a, alen, b, blen));
        return;
    }
    uint32_t *t = lcsTable(a, alen, b, blen);
    uint32_t n = t[(size_t)alen * ((size_t)blen + 1) + blen];
    if (getIdx) {
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "matches");
        size_t handle = addReplyDeferredLen(c);
        long emitted = lcsWalk(c, a, alen, b, blen, t, NULL, true, minLen, withLen);
        addReplyBulkCString(c, "len");
        addReplyLongLong(c, n);
        setDeferredArrayLen(c, handle, emitted);
    } else {
        char *out = zmalloc(n + 1);
        lcsWalk(c, a, alen, b, blen, t, out, false, 0, false);
        addReplyBulk(c, out, n);
        zfree(out);
    }
    zfree(t);
}

/* ---- the command table ------------------------------------------------------------- */

static const cmdArg keyArg[] = { { "key", ARG_KEY, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg keyValueArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg setCondition[] = {
    { "nx", ARG_PURE_TOKEN, "NX", 0, NULL, NULL },
    { "xx", ARG_PURE_TOKEN, "XX", 0, NULL, NULL }, { 0 } };
static const cmdArg setExpiration[] = {
    { "seconds", ARG_INTEGER, "EX", 0, NULL, "2.6.12" },
    { "milliseconds", ARG_INTEGER, "PX", 0, NULL, "2.6.12" },
    { "unix-time-seconds", ARG_UNIX_TIME, "EXAT", 0, NULL, "6.2.0" },
    { "unix-time-milliseconds", ARG_UNIX_TIME, "PXAT", 0, NULL, "6.2.0" },
    { "keepttl", ARG_PURE_TOKEN, "KEEPTTL", 0, NULL, "6.0.0" }, { 0 } };
static const cmdArg setArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL },
    { "condition", ARG_ONEOF, NULL, ARGF_OPTIONAL, setCondition, "2.6.12" },
    { "get", ARG_PURE_TOKEN, "GET", ARGF_OPTIONAL, NULL, "6.2.0" },
    { "expiration", ARG_ONEOF, NULL, ARGF_OPTIONAL, setExpiration, NULL }, { 0 } };
static const cmdArg setexArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "seconds", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg psetexArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "milliseconds", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg getexExpiration[] = {
    { "seconds", ARG_INTEGER, "EX", 0, NULL, NULL },
    { "milliseconds", ARG_INTEGER, "PX", 0, NULL, NULL },
    { "unix-time-seconds", ARG_UNIX_TIME, "EXAT", 0, NULL, NULL },
    { "unix-time-milliseconds", ARG_UNIX_TIME, "PXAT", 0, NULL, NULL },
    { "persist", ARG_PURE_TOKEN, "PERSIST", 0, NULL, NULL }, { 0 } };
static const cmdArg getexArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "expiration", ARG_ONEOF, NULL, ARGF_OPTIONAL, getexExpiration, NULL }, { 0 } };
static const cmdArg mgetArgs[] = { { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg msetArgs[] = {
    { "key_value", ARG_BLOCK, NULL, ARGF_MULTIPLE, keyValueArgs, NULL }, { 0 } };
static const cmdArg incrbyArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "increment", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg decrbyArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "decrement", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg incrbyfloatArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "increment", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg getrangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "start", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "end", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg setrangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "offset", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg lcsArgs[] = {
    { "key1", ARG_KEY, NULL, 0, NULL, NULL },
    { "key2", ARG_KEY, NULL, 0, NULL, NULL },
    { "len", ARG_PURE_TOKEN, "LEN", ARGF_OPTIONAL, NULL, NULL },
    { "idx", ARG_PURE_TOKEN, "IDX", ARGF_OPTIONAL, NULL, NULL },
    { "len", ARG_INTEGER, "MINMATCHLEN", ARGF_OPTIONAL, NULL, NULL },
    { "withmatchlen", ARG_PURE_TOKEN, "WITHMATCHLEN", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

/* the usual shape: one key at argv[1] */
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "string"
#define RANGE_COMPLEXITY \
    "O(N), N being the length of the returned substring (so O(1) for short ranges)."

cmdDef stringCommands[] = {
    { .name = "get", .proc = getCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "read string fast", .since = "1.0.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Returns the string value stored at a key." },
    { .name = "set", .proc = setCommand, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM, KEY1,
      .acl = "write string slow", .since = "1.0.0", .complexity = "O(1)", .args = setArgs,
      .summary = "Stores a string at a key, with optional conditions and time to live." },
    { .name = "setnx", .proc = setnxCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "1.0.0", .complexity = "O(1)", .args = keyValueArgs,
      .summary = "Stores a string at a key only when the key does not exist yet." },
    { .name = "setex", .proc = setexCommand, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM, KEY1,
      .acl = "write string slow", .since = "2.0.0", .complexity = "O(1)", .args = setexArgs,
      .summary = "Stores a string at a key with a time to live in seconds." },
    { .name = "psetex", .proc = psetexCommand, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM, KEY1,
      .acl = "write string slow", .since = "2.6.0", .complexity = "O(1)", .args = psetexArgs,
      .summary = "Stores a string at a key with a time to live in milliseconds." },
    { .name = "mget", .proc = mgetCommand, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
      .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "string", .acl = "read string fast",
      .since = "1.0.0", .complexity = "O(N), N being the number of keys requested.",
      .args = mgetArgs, .summary = "Returns the string values of several keys at once." },
    { .name = "mset", .proc = msetCommand, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
      .firstkey = 1, .lastkey = -1, .keystep = 2, .group = "string", .acl = "write string slow",
      .since = "1.0.1", .complexity = "O(N), N being the number of keys written.",
      .args = msetArgs, .summary = "Stores several key-value pairs atomically." },
    { .name = "msetnx", .proc = msetnxCommand, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
      .firstkey = 1, .lastkey = -1, .keystep = 2, .group = "string", .acl = "write string slow",
      .since = "1.0.1", .complexity = "O(N), N being the number of keys written.",
      .args = msetArgs,
      .summary = "Stores several key-value pairs atomically, only if none of the keys exists." },
    { .name = "getset", .proc = getsetCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "1.0.0", .complexity = "O(1)", .args = keyValueArgs,
      .summary = "Stores a new string at a key and returns the previous one." },
    { .name = "getdel", .proc = getdelCommand, .arity = 2, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write string fast", .since = "6.2.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Returns the string value of a key and deletes the key." },
    { .name = "getex", .proc = getexCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write string fast", .since = "6.2.0", .complexity = "O(1)", .args = getexArgs,
      .summary = "Returns the string value of a key and changes or removes its time to live." },
    { .name = "append", .proc = appendCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "2.0.0", .args = keyValueArgs,
      .complexity = "O(1) amortised: the buffer grows geometrically, so a short append costs "
                    "constant time on average whatever the current length.",
      .summary = "Adds a string to the end of a key's value, creating the key if needed." },
    { .name = "strlen", .proc = strlenCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "read string fast", .since = "2.2.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Returns the length in bytes of a key's string value." },
    { .name = "incr", .proc = incrCommand, .arity = 2,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "1.0.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Adds one to the integer stored at a key (missing keys count as 0)." },
    { .name = "decr", .proc = decrCommand, .arity = 2,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "1.0.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Subtracts one from the integer stored at a key (missing keys count as 0)." },
    { .name = "incrby", .proc = incrbyCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "1.0.0", .complexity = "O(1)", .args = incrbyArgs,
      .summary = "Adds an integer to the integer stored at a key (missing keys count as 0)." },
    { .name = "decrby", .proc = decrbyCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "1.0.0", .complexity = "O(1)", .args = decrbyArgs,
      .summary = "Subtracts an integer from the integer stored at a key (missing keys count "
                 "as 0)." },
    { .name = "incrbyfloat", .proc = incrbyfloatCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write string fast",
      .since = "2.6.0", .complexity = "O(1)", .args = incrbyfloatArgs,
      .summary = "Adds a floating-point number to the number stored at a key (missing keys "
                 "count as 0)." },
    { .name = "getrange", .proc = getrangeCommand, .arity = 4, .flags = CMD_READONLY, KEY1,
      .acl = "read string slow", .since = "2.4.0", .complexity = RANGE_COMPLEXITY,
      .args = getrangeArgs, .summary = "Returns the bytes of a key's value between two offsets." },
    { .name = "substr", .proc = getrangeCommand, .arity = 4, .flags = CMD_READONLY, KEY1,
      .acl = "read string slow", .since = "1.0.0", .complexity = RANGE_COMPLEXITY,
      .args = getrangeArgs,
      .summary = "Returns the bytes of a key's value between two offsets (old name of "
                 "GETRANGE)." },
    { .name = "setrange", .proc = setrangeCommand, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
      KEY1, .acl = "write string slow", .since = "2.2.0", .args = setrangeArgs,
      .complexity = "O(M), M being the length of the written value, plus zero-filling when the "
                    "string grows; O(1) for short values.",
      .summary = "Overwrites part of a key's value from an offset on, padding with zero bytes." },
    { .name = "lcs", .proc = lcsCommand, .arity = -3, .flags = CMD_READONLY, .firstkey = 1,
      .lastkey = 2, .keystep = 1, .group = "string", .acl = "read string slow", .since = "7.0.0",
      .complexity = "O(N*M), N and M being the lengths of the two values.",
      .args = lcsArgs,
      .summary = "Finds the longest common subsequence of the values of two keys." },
    { 0 }
};
