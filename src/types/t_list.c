/* t_list.c — the list type: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE
 * LINDEX LSET LINSERT LREM LTRIM LPOS RPOPLPUSH LMOVE LMPOP (and the table
 * entries of SORT / SORT_RO, whose handlers live in sort.c).
 *
 * Replies and error texts are Redis 7.0's (checked against redis-server
 * 7.0.15) in RESP2 and RESP3, including the order of the checks: LPOP/RPOP
 * parse their count before the lookup and answer a missing key with a null
 * (no count) or a null array (with a count, even 0); LPOS and LMPOP parse
 * every option before they look at a key; LMOVE parses both directions
 * first, then checks the source, then the destination type.
 *
 * Encodings follow Redis 7.2, as the issue asks (Redis 7.0 always uses a
 * quicklist, so OBJECT ENCODING of a list differs from the 7.0 oracle and
 * the tests that look at it are roost-specific):
 *
 *   "listpack"   one listpack (listpack.h) while the list stays within
 *                list-max-listpack-size (entries when positive, 4..64 KiB
 *                of listpack when negative; quicklistNodeExceedsLimit
 *                decides, so a list converts exactly when a quicklist
 *                node of the same fill would split);
 *   "quicklist"  a quicklist (quicklist.h) of listpack nodes, honouring
 *                list-compress-depth.
 *
 *   Growing: before elements are added (push, LINSERT, LSET, LMOVE's
 *   destination) the listpack's size plus the added strings' lengths and
 *   its count plus the added count are checked against the limit, like
 *   7.2's listTypeTryConversionAppend (the raw string lengths, not the
 *   encoded entry sizes; LINSERT converts before it looks for the pivot).
 *   Shrinking: after elements are removed (pops, LREM, LTRIM, LSET, LMOVE's
 *   source) a quicklist of one node converts back when that node is within
 *   HALF of both limits, so a list at the boundary does not flap. SORT ...
 *   STORE builds a quicklist and converts it when it fits the full limit
 *   (7.2's LIST_CONV_AUTO; listNewFromQuicklist below).
 *   The fill and compress depth of an existing quicklist are the ones in
 *   force when it was created; CONFIG SET affects new conversions only, as
 *   in Redis.
 *
 * Keys are created through listAddKey only, and elements are added to an
 * existing list from pushGeneric/lmoveGeneric/linsert; listAddKey is where
 * the blocking-commands issue hooks "key became ready" (Redis signals
 * ready keys when a list key is created, dbAdd's signalKeyAsReady).
 *
 * Concurrency: every handler runs with the shard locks of its keys held by
 * call() and never parks. LMPOP's keys come from lmpopGetKeys (numkeys).
 * The kvobj pointers held across table operations stay valid because
 * entries never move in a shard table (only links do); a listpack's own
 * pointer moves on every write and is stored back with kvSetPtr at once.
 */
#include "server/server.h"
#include "storage/hash.h"
#include "storage/listpack.h"
#include "storage/quicklist.h"

#include <limits.h>
#include <stdio.h>
#include <strings.h>

#define LIST_HEAD 0
#define LIST_TAIL 1

/* ---- value hooks ---------------------------------------------------------------- */

static void listFreeValue(void *ptr, int enc) {
    if (enc == ENC_LISTPACK) lpFree(ptr);
    else quicklistRelease(ptr);
}

static void *listDupValue(const void *ptr, int enc) {
    if (enc == ENC_LISTPACK) return lpDup(ptr);
    return quicklistDup(ptr);
}

static size_t listUsage(const void *ptr, int enc) {
    if (enc == ENC_LISTPACK) return zmallocSize(ptr);
    return quicklistAllocSize(ptr);
}

static const kvTypeOps listOps = { listFreeValue, listDupValue, listUsage };

__attribute__((constructor)) static void listRegisterType(void) {
    kvRegisterType(OBJ_LIST, &listOps);
}

/* ---- the list API (also used by sort.c) ------------------------------------------ */

unsigned long listLength(kvobj *o) {
    if (kvEnc(o) == ENC_LISTPACK) return lpLength(kvPtr(o));
    return quicklistCount(kvPtr(o));
}

/* listConvertForGrowth: about to add `count` elements whose strings total
 * `bytes`: a listpack that would pass the limit becomes a quicklist. */
static void listConvertForGrowth(kvobj *o, size_t bytes, unsigned long count) {
    if (kvEnc(o) != ENC_LISTPACK) return;
    unsigned char *lp = kvPtr(o);
    if (!quicklistNodeExceedsLimit(cfg.list_max_listpack_size, lpBytes(lp) + bytes,
                                   lpLength(lp) + count))
        return;
    quicklist *ql = quicklistCreate(cfg.list_max_listpack_size, cfg.list_compress_depth);
    if (lpLength(lp)) quicklistAppendListpack(ql, lp);
    else lpFree(lp);
    kvSetPtr(o, ql);
    kvSetEnc(o, ENC_QUICKLIST);
}

/* listConvertIfSmall: a quicklist of one node within the limits (half of
 * them when shrinking) becomes a listpack. */
static void listConvertIfSmall(kvobj *o, bool shrinking) {
    if (kvEnc(o) != ENC_QUICKLIST) return;
    quicklist *ql = kvPtr(o);
    if (ql->len != 1) return;
    size_t szLimit;
    unsigned countLimit;
    quicklistNodeLimit(cfg.list_max_listpack_size, &szLimit, &countLimit);
    if (shrinking) {
        szLimit /= 2;
        countLimit /= 2;
    }
    if (ql->head->sz > szLimit || ql->count > countLimit) return;
    unsigned char *lp = quicklistToListpack(ql);
    kvSetPtr(o, lp);
    kvSetEnc(o, ENC_LISTPACK);
}

/* listNewFromQuicklist: a list value for key built from scratch as a
 * quicklist (SORT ... STORE), in the encoding 7.2 gives it: a listpack when
 * the list is one node within the full limits (LIST_CONV_AUTO). Takes ql. */
kvobj *listNewFromQuicklist(const char *key, size_t klen, quicklist *ql) {
    kvobj *o = kvNewPtr(key, klen, OBJ_LIST, ENC_QUICKLIST, ql, -1);
    listConvertIfSmall(o, false);
    return o;
}

/* listPushRaw adds s at the head or tail of the list (no conversion). */
static void listPushRaw(kvobj *o, int where, const void *s, size_t len) {
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        lp = where == LIST_HEAD ? lpPrepend(lp, s, len) : lpAppend(lp, s, len);
        kvSetPtr(o, lp);
    } else {
        quicklistPush(kvPtr(o), where == LIST_HEAD ? QL_HEAD : QL_TAIL, s, len);
    }
}

/* listAddKey links a new list value o under key argv[i] (the key is known
 * to be absent: the caller's lookup found nothing). The one place a list
 * key comes into being from a list command: blocked clients will be
 * signalled from here. */
static void listAddKey(client *c, int i, kvobj *o) {
    dbTouch(o);
    dbAdd(cShard(c, i), keyHash(c, i), o);
    signalKeyAsReady(c, c->db, c->argv[i], c->argvlen[i]);
    notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[i], c->argvlen[i], c->db);
}

static kvobj *listNewKey(client *c, int i) {
    kvobj *o = kvNewPtr(c->argv[i], c->argvlen[i], OBJ_LIST, ENC_LISTPACK, lpNew(0), -1);
    listAddKey(c, i, o);
    return o;
}

/* listElementsRemoved: after elements left key argv[i]: delete the key if
 * the list is empty, otherwise consider converting back to a listpack. */
static void listElementsRemoved(client *c, int i, kvobj *o, const char *event) {
    notifyKeyspaceEvent(c, NOTIFY_LIST, event, c->argv[i], c->argvlen[i], c->db);
    if (listLength(o) == 0) {
        deleteKey(c, i);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[i], c->argvlen[i], c->db);
    } else {
        listConvertIfSmall(o, true);
        signalModifiedKey(c, c->db, c->argv[i], c->argvlen[i]);
    }
}

static void replyValue(client *c, const lpValue *v) {
    if (v->sval) addReplyBulk(c, (const char *)v->sval, v->slen);
    else addReplyBulkLongLong(c, v->lval);
}

/* replyRange replies n elements starting at index from (0 <= from < len),
 * walking towards the tail, or towards the head when reverse. */
static void replyRange(client *c, kvobj *o, long from, long n, bool reverse) {
    addReplyArrayLen(c, n);
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *p = lpSeek(lp, from);
        lpValue v;
        while (n-- > 0 && p) {
            lpGet(p, &v);
            replyValue(c, &v);
            p = reverse ? lpPrev(lp, p) : lpNext(lp, p);
        }
    } else {
        quicklistIter it;
        quicklistEntry e;
        quicklistIterInitAt(&it, kvPtr(o), reverse ? QL_TAIL : QL_HEAD, from);
        while (n-- > 0 && quicklistNext(&it, &e)) replyValue(c, &e.v);
        quicklistIterDone(&it);
    }
}

static void replyPopped(void *ud, const lpValue *v) { replyValue(ud, v); }

/* listDelRange deletes count elements from index start (negative: from the
 * tail). */
static void listDelRange(kvobj *o, long start, unsigned long count) {
    if (count == 0) return;
    if (kvEnc(o) == ENC_LISTPACK) kvSetPtr(o, lpDeleteRange(kvPtr(o), start, count));
    else quicklistDelRange(kvPtr(o), start, count);
}

/* normalizeRange turns LRANGE-style start/end into a [start, end] within
 * [0, len); false when the range is empty. */
static bool normalizeRange(long len, long long *start, long long *end) {
    if (*start < 0) *start += len;
    if (*end < 0) *end += len;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= len) return false;
    if (*end >= len) *end = len - 1;
    return true;
}

/* A popped element, copied out of the list before it changes. */
typedef struct popped {
    char small[64];
    char *buf;            /* small, or a zmalloc'd copy */
    size_t len;
    bool isInt;           /* came from an integer entry */
} popped;

static void poppedSet(popped *pv, const lpValue *v) {
    if (v->sval) {
        pv->isInt = false;
        pv->len = v->slen;
        pv->buf = v->slen <= sizeof pv->small ? pv->small : zmalloc(v->slen);
        memcpy(pv->buf, v->sval, v->slen);
    } else {
        pv->isInt = true;
        pv->buf = pv->small;
        pv->len = (size_t)ll2str(pv->small, v->lval);
    }
}

static void poppedFree(popped *pv) {
    if (pv->buf != pv->small) zfree(pv->buf);
}

static void poppedSave(void *ud, const lpValue *v) { poppedSet(ud, v); }

/* listPopOne removes the head or tail element into pv; false if empty. */
static bool listPopOne(kvobj *o, int where, popped *pv) {
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *p = where == LIST_HEAD ? lpFirst(lp) : lpLast(lp);
        if (!p) return false;
        lpValue v;
        lpGet(p, &v);
        poppedSet(pv, &v);
        kvSetPtr(o, lpDelete(lp, &p));
        return true;
    }
    return quicklistPopWith(kvPtr(o), where == LIST_HEAD ? QL_HEAD : QL_TAIL, poppedSave, pv);
}

static bool getWhere(client *c, int i, int *where) {
    if (argEq(c, i, "right")) *where = LIST_TAIL;
    else if (argEq(c, i, "left")) *where = LIST_HEAD;
    else {
        addReplyErrorSyntax(c);
        return false;
    }
    return true;
}

/* ---- LPUSH RPUSH LPUSHX RPUSHX ------------------------------------------------------ */

static void pushGeneric(client *c, int where, bool xx) {
    kvobj *o = lookupWrite(c, 1);
    if (o && !checkType(c, o, OBJ_LIST)) return;
    if (!o) {
        if (xx) {
            addReplyLongLong(c, 0);
            return;
        }
        o = listNewKey(c, 1);
    }
    size_t bytes = 0;
    for (int j = 2; j < c->argc; j++) bytes += c->argvlen[j];
    listConvertForGrowth(o, bytes, (unsigned long)(c->argc - 2));
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        for (int j = 2; j < c->argc; j++)
            lp = where == LIST_HEAD ? lpPrepend(lp, c->argv[j], c->argvlen[j])
                                    : lpAppend(lp, c->argv[j], c->argvlen[j]);
        kvSetPtr(o, lp);
        addReplyLongLong(c, (long long)lpLength(lp));
    } else {
        quicklist *ql = kvPtr(o);
        int qw = where == LIST_HEAD ? QL_HEAD : QL_TAIL;
        for (int j = 2; j < c->argc; j++) quicklistPush(ql, qw, c->argv[j], c->argvlen[j]);
        addReplyLongLong(c, (long long)quicklistCount(ql));
    }
    signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    notifyKeyspaceEvent(c, NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", c->argv[1],
                        c->argvlen[1], c->db);
}

static void lpushCommand(client *c) { pushGeneric(c, LIST_HEAD, false); }
static void rpushCommand(client *c) { pushGeneric(c, LIST_TAIL, false); }
static void lpushxCommand(client *c) { pushGeneric(c, LIST_HEAD, true); }
static void rpushxCommand(client *c) { pushGeneric(c, LIST_TAIL, true); }

/* ---- LPOP RPOP LMPOP ------------------------------------------------------------------ */

/* popRangeReply replies up to count elements from the `where` end (in pop
 * order) and removes them. */
static void popRangeReply(client *c, int i, kvobj *o, int where, long count) {
    long len = (long)listLength(o);
    long n = count < len ? count : len;
    if (where == LIST_HEAD) {
        replyRange(c, o, 0, n, false);
        listDelRange(o, 0, (unsigned long)n);
    } else {
        replyRange(c, o, len - 1, n, true);
        listDelRange(o, -n, (unsigned long)n);
    }
    listElementsRemoved(c, i, o, where == LIST_HEAD ? "lpop" : "rpop");
}

static void popGeneric(client *c, int where) {
    bool hascount = c->argc == 3;
    long count = 0;
    if (c->argc > 3) {
        addReplyErrorArity(c);
        return;
    }
    if (hascount && !getPositiveLongFromArgOrReply(c, 2, &count, NULL)) return;
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        if (hascount) addReplyNullArray(c);
        else addReplyNull(c);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    if (hascount && count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!hascount) {
        if (kvEnc(o) == ENC_LISTPACK) {
            unsigned char *lp = kvPtr(o);
            unsigned char *p = where == LIST_HEAD ? lpFirst(lp) : lpLast(lp);
            lpValue v;
            lpGet(p, &v);
            replyValue(c, &v);
            kvSetPtr(o, lpDelete(lp, &p));
        } else {
            quicklistPopWith(kvPtr(o), where == LIST_HEAD ? QL_HEAD : QL_TAIL, replyPopped, c);
        }
        listElementsRemoved(c, 1, o, where == LIST_HEAD ? "lpop" : "rpop");
        return;
    }
    popRangeReply(c, 1, o, where, count);
}

static void lpopCommand(client *c) { popGeneric(c, LIST_HEAD); }
static void rpopCommand(client *c) { popGeneric(c, LIST_TAIL); }

/* mpopKeys: the keys of "... numkeys key [key ...] ..." with numkeys at
 * argv[base]. Nothing when numkeys is not a positive integer that fits the
 * arguments (the command then replies an error without touching a key), or
 * when the caller's buffer cannot take every key (call() always has room). */
static int mpopKeys(client *c, int argc, int base, int *keyidx, int max) {
    long long n;
    if (argc < base + 2 || !str2ll(c->argv[base], c->argvlen[base], &n) || n < 1 ||
        n > argc - base - 1 || n > max)
        return 0;
    for (int k = 0; k < n; k++) keyidx[k] = base + 1 + k;
    return (int)n;
}

/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT n] */
static int lmpopGetKeys(client *c, int argc, int *keyidx, int max) {
    return mpopKeys(c, argc, 1, keyidx, max);
}

static bool lmpopParse(client *c, int base, long long *numkeys, int *where, long long *count) {
    if (!getLongLongFromArg(c, base, numkeys) || *numkeys < 1) {
        addReplyError(c, "numkeys should be greater than 0");
        return false;
    }
    if (*numkeys > c->argc - base - 2) {      /* no room for LEFT|RIGHT */
        addReplyErrorSyntax(c);
        return false;
    }
    int whereIdx = base + 1 + (int)*numkeys;
    if (!getWhere(c, whereIdx, where)) return false;
    *count = -1;
    for (int j = whereIdx + 1; j < c->argc; j++) {
        if (*count == -1 && argEq(c, j, "count") && j + 1 < c->argc) {
            j++;
            if (!getLongLongFromArg(c, j, count) || *count < 1) {
                addReplyError(c, "count should be greater than 0");
                return false;
            }
        } else {
            addReplyErrorSyntax(c);
            return false;
        }
    }
    if (*count == -1) *count = 1;
    return true;
}

static void lmpopCommand(client *c) {
    long long numkeys, count;
    int where;
    if (!lmpopParse(c, 1, &numkeys, &where, &count)) return;
    int whereIdx = 2 + (int)numkeys;
    for (int j = 2; j < whereIdx; j++) {
        kvobj *o = lookupWrite(c, j);
        if (!o) continue;
        if (!checkType(c, o, OBJ_LIST)) return;
        if (listLength(o) == 0) continue;
        addReplyArrayLen(c, 2);
        addReplyBulk(c, c->argv[j], c->argvlen[j]);
        popRangeReply(c, j, o, where, (long)count);
        return;
    }
    addReplyNullArray(c);
}

/* ---- BLPOP BRPOP BLMPOP BRPOPLPUSH BLMOVE ------------------------------------------------ */

static void lmoveAt(client *c, int si, int di, int from, int to);

/* listServe pops for a blocking command from argv[ki] (a non-empty list):
 * BLPOP/BRPOP reply [key, element], BLMPOP [key, [elements]], BLMOVE the
 * element, moved to argv[dsti]. Used at once by the commands and by
 * blocking.c for a waiter (the keys' shards locked either way). */
void listServe(client *c, const blockSpec *sp, int ki, int dsti, kvobj *o) {
    switch (sp->op) {
    case BOP_POP: {
        popped pv;
        listPopOne(o, sp->where, &pv);
        addReplyArrayLen(c, 2);
        addReplyBulk(c, c->argv[ki], c->argvlen[ki]);
        addReplyBulk(c, pv.buf, pv.len);
        poppedFree(&pv);
        listElementsRemoved(c, ki, o, sp->where == LIST_HEAD ? "lpop" : "rpop");
        break;
    }
    case BOP_MPOP:
        addReplyArrayLen(c, 2);
        addReplyBulk(c, c->argv[ki], c->argvlen[ki]);
        popRangeReply(c, ki, o, sp->where, sp->count < 0 ? 1 : sp->count);
        break;
    default:
        lmoveAt(c, ki, dsti, sp->where, sp->whereto);
        break;
    }
}

static void bpopGeneric(client *c, int where) {
    blockSpec sp = { .op = BOP_POP, .type = OBJ_LIST, .where = where, .count = -1,
                     .firstkey = 1, .nkeys = c->argc - 2 };
    blockingPop(c, &sp, c->argc - 1);
}

static void blpopCommand(client *c) { bpopGeneric(c, LIST_HEAD); }
static void brpopCommand(client *c) { bpopGeneric(c, LIST_TAIL); }

static void blmoveGeneric(client *c, int from, int to, int timeouti) {
    blockSpec sp = { .op = BOP_MOVE, .type = OBJ_LIST, .where = from, .whereto = to,
                     .count = -1, .firstkey = 1, .nkeys = 1, .dsti = 2 };
    blockingPop(c, &sp, timeouti);
}

static void brpoplpushCommand(client *c) { blmoveGeneric(c, LIST_TAIL, LIST_HEAD, 3); }

static void blmoveCommand(client *c) {
    int from, to;
    if (!getWhere(c, 3, &from) || !getWhere(c, 4, &to)) return;
    blmoveGeneric(c, from, to, 5);
}

/* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT n] */
static int blmpopGetKeys(client *c, int argc, int *keyidx, int max) {
    return mpopKeys(c, argc, 2, keyidx, max);
}

static void blmpopCommand(client *c) {
    long long numkeys, count;
    int where;
    if (!lmpopParse(c, 2, &numkeys, &where, &count)) return;
    blockSpec sp = { .op = BOP_MPOP, .type = OBJ_LIST, .where = where, .count = count,
                     .firstkey = 3, .nkeys = (int)numkeys };
    blockingPop(c, &sp, 1);
}

/* ---- LLEN LINDEX LRANGE ------------------------------------------------------------- */

static void llenCommand(client *c) {
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    addReplyLongLong(c, (long long)listLength(o));
}

static void lindexCommand(client *c) {
    kvobj *o = lookupReadOrReplyNull(c, 1);
    if (!o || !checkType(c, o, OBJ_LIST)) return;
    long long index;
    if (!getLongLongFromArgOrReply(c, 2, &index, NULL)) return;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *p = lpSeek(kvPtr(o), (long)index);
        if (!p) {
            addReplyNull(c);
            return;
        }
        lpValue v;
        lpGet(p, &v);
        replyValue(c, &v);
    } else {
        quicklistIter it;
        quicklistEntry e;
        if (quicklistIterInitAt(&it, kvPtr(o), QL_HEAD, (long)index) && quicklistNext(&it, &e))
            replyValue(c, &e.v);
        else
            addReplyNull(c);
        quicklistIterDone(&it);
    }
}

static void lrangeCommand(client *c) {
    long long start, end;
    if (!getLongLongFromArgOrReply(c, 2, &start, NULL) ||
        !getLongLongFromArgOrReply(c, 3, &end, NULL))
        return;
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    if (!normalizeRange((long)listLength(o), &start, &end)) {
        addReplyArrayLen(c, 0);
        return;
    }
    replyRange(c, o, (long)start, (long)(end - start + 1), false);
}

/* ---- LSET LINSERT LREM LTRIM ---------------------------------------------------------- */

static void lsetCommand(client *c) {
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyError(c, "no such key");
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    long long index;
    if (!getLongLongFromArgOrReply(c, 2, &index, NULL)) return;
    listConvertForGrowth(o, c->argvlen[3], 1);
    bool replaced;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *p = lpSeek(lp, (long)index);
        replaced = p != NULL;
        if (replaced) kvSetPtr(o, lpReplace(lp, &p, c->argv[3], c->argvlen[3]));
    } else {
        replaced = quicklistReplaceAtIndex(kvPtr(o), (long)index, c->argv[3], c->argvlen[3]);
    }
    if (!replaced) {
        addReplyError(c, "index out of range");
        return;
    }
    addReplyOK(c);
    signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    notifyKeyspaceEvent(c, NOTIFY_LIST, "lset", c->argv[1], c->argvlen[1], c->db);
    listConvertIfSmall(o, true);
}

static void linsertCommand(client *c) {
    int where;
    if (argEq(c, 2, "after")) where = LIST_TAIL;
    else if (argEq(c, 2, "before")) where = LIST_HEAD;
    else {
        addReplyErrorSyntax(c);
        return;
    }
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    /* converted before the pivot is known, as Redis does */
    listConvertForGrowth(o, c->argvlen[4], 1);
    const char *pivot = c->argv[3], *elem = c->argv[4];
    size_t plen = c->argvlen[3], elen = c->argvlen[4];
    bool inserted = false;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *p = lpFirst(lp);
        if (p) p = lpFind(lp, p, pivot, plen, 0);
        if (p) {
            kvSetPtr(o, lpInsert(lp, p, where == LIST_TAIL ? LP_AFTER : LP_BEFORE, elem, elen,
                                 NULL));
            inserted = true;
        }
    } else {
        quicklistIter it;
        quicklistEntry e;
        quicklistIterInit(&it, kvPtr(o), QL_HEAD);
        while (quicklistNext(&it, &e)) {
            if (lpEq(e.p, pivot, plen)) {
                if (where == LIST_TAIL) quicklistInsertAfter(&it, &e, elem, elen);
                else quicklistInsertBefore(&it, &e, elem, elen);
                inserted = true;
                break;
            }
        }
        quicklistIterDone(&it);
    }
    if (!inserted) {
        addReplyLongLong(c, -1);
        return;
    }
    signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    notifyKeyspaceEvent(c, NOTIFY_LIST, "linsert", c->argv[1], c->argvlen[1], c->db);
    addReplyLongLong(c, (long long)listLength(o));
}

static void lremCommand(client *c) {
    long long toremove;
    if (!getLongLongFromArgOrReply(c, 2, &toremove, NULL)) return;
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    const char *elem = c->argv[3];
    size_t elen = c->argvlen[3];
    bool fromTail = toremove < 0;
    unsigned long long limit = fromTail ? 0ull - (unsigned long long)toremove
                                        : (unsigned long long)toremove;
    unsigned long long removed = 0;
    if (kvEnc(o) == ENC_LISTPACK) {
        unsigned char *lp = kvPtr(o);
        unsigned char *p = fromTail ? lpLast(lp) : lpFirst(lp);
        while (p) {
            if (!lpEq(p, elem, elen)) {
                p = fromTail ? lpPrev(lp, p) : lpNext(lp, p);
                continue;
            }
            lp = lpDelete(lp, &p);      /* p: the entry after the deleted one */
            removed++;
            if (limit && removed == limit) break;
            if (fromTail) p = p ? lpPrev(lp, p) : lpLast(lp);
        }
        kvSetPtr(o, lp);
    } else {
        quicklistIter it;
        quicklistEntry e;
        quicklistIterInit(&it, kvPtr(o), fromTail ? QL_TAIL : QL_HEAD);
        while (quicklistNext(&it, &e)) {
            if (!lpEq(e.p, elem, elen)) continue;
            quicklistDelEntry(&it, &e);
            removed++;
            if (limit && removed == limit) break;
        }
        quicklistIterDone(&it);
    }
    if (removed) {
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
        notifyKeyspaceEvent(c, NOTIFY_LIST, "lrem", c->argv[1], c->argvlen[1], c->db);
    }
    if (listLength(o) == 0) {
        deleteKey(c, 1);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
    } else if (removed) {
        listConvertIfSmall(o, true);
    }
    addReplyLongLong(c, (long long)removed);
}

static void ltrimCommand(client *c) {
    long long start, end;
    if (!getLongLongFromArgOrReply(c, 2, &start, NULL) ||
        !getLongLongFromArgOrReply(c, 3, &end, NULL))
        return;
    kvobj *o = lookupWrite(c, 1);
    if (!o) {
        addReplyOK(c);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    long len = (long)listLength(o);
    long ltrim, rtrim;
    if (!normalizeRange(len, &start, &end)) {
        ltrim = len;
        rtrim = 0;
    } else {
        ltrim = (long)start;
        rtrim = len - (long)end - 1;
    }
    listDelRange(o, 0, (unsigned long)ltrim);
    listDelRange(o, -rtrim, (unsigned long)rtrim);
    notifyKeyspaceEvent(c, NOTIFY_LIST, "ltrim", c->argv[1], c->argvlen[1], c->db);
    if (listLength(o) == 0) {
        deleteKey(c, 1);
        notifyKeyspaceEvent(c, NOTIFY_GENERIC, "del", c->argv[1], c->argvlen[1], c->db);
    } else {
        listConvertIfSmall(o, true);
        signalModifiedKey(c, c->db, c->argv[1], c->argvlen[1]);
    }
    addReplyOK(c);
}

/* ---- LPOS ------------------------------------------------------------------------------ */

static void lposCommand(client *c) {
    long long rank = 1, count = -1, maxlen = 0;   /* count -1: no COUNT option */
    for (int j = 3; j < c->argc; j++) {
        bool more = j + 1 < c->argc;
        if (argEq(c, j, "rank") && more) {
            j++;
            if (!getLongLongFromArgOrReply(c, j, &rank, NULL)) return;
            if (rank == 0) {
                addReplyError(c, "RANK can't be zero: use 1 to start from the first match, 2 "
                                 "from the second ... or use negative to start from the end of "
                                 "the list");
                return;
            }
        } else if (argEq(c, j, "count") && more) {
            j++;
            if (!getLongLongFromArg(c, j, &count) || count < 0) {
                addReplyError(c, "COUNT can't be negative");
                return;
            }
        } else if (argEq(c, j, "maxlen") && more) {
            j++;
            if (!getLongLongFromArg(c, j, &maxlen) || maxlen < 0) {
                addReplyError(c, "MAXLEN can't be negative");
                return;
            }
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    /* Redis 7.0 negates the rank in a long; RANK -9223372036854775808 stays
     * negative there, so it searches from the tail, every match qualifies and
     * COUNT never stops it (7.2 refuses that rank). Same answers here. */
    bool fromTail = rank < 0, unlimited = rank == LLONG_MIN;
    if (unlimited) rank = 1;
    else if (fromTail) rank = -rank;
    kvobj *o = lookupRead(c, 1);
    if (!o) {
        if (count != -1) addReplyArrayLen(c, 0);
        else addReplyNull(c);
        return;
    }
    if (!checkType(c, o, OBJ_LIST)) return;
    const char *elem = c->argv[2];
    size_t elen = c->argvlen[2];
    size_t handle = count != -1 ? addReplyDeferredLen(c) : 0;
    long long llen = (long long)listLength(o), index = 0, matches = 0, found = -1, emitted = 0;
    bool lp = kvEnc(o) == ENC_LISTPACK;
    unsigned char *lpb = lp ? kvPtr(o) : NULL;
    unsigned char *p = lp ? (fromTail ? lpLast(lpb) : lpFirst(lpb)) : NULL;
    quicklistIter it;
    quicklistEntry e;
    if (!lp) quicklistIterInit(&it, kvPtr(o), fromTail ? QL_TAIL : QL_HEAD);
    while (maxlen == 0 || index < maxlen) {
        unsigned char *cur;
        if (lp) {
            if (!p) break;
            cur = p;
            p = fromTail ? lpPrev(lpb, p) : lpNext(lpb, p);
        } else {
            if (!quicklistNext(&it, &e)) break;
            cur = e.p;
        }
        if (lpEq(cur, elem, elen)) {
            matches++;
            if (matches >= rank) {
                long long at = fromTail ? llen - index - 1 : index;
                if (count == -1) {
                    found = at;
                    break;
                }
                addReplyLongLong(c, at);
                emitted++;
                if (count && !unlimited && matches - rank + 1 >= count) break;
            }
        }
        index++;
    }
    if (!lp) quicklistIterDone(&it);
    if (count != -1) setDeferredArrayLen(c, handle, (long)emitted);
    else if (found != -1) addReplyLongLong(c, found);
    else addReplyNull(c);
}

/* ---- RPOPLPUSH LMOVE ------------------------------------------------------------------------ */

static void lmoveAt(client *c, int si, int di, int from, int to) {
    kvobj *src = lookupWrite(c, si);
    if (!src) {
        addReplyNull(c);
        return;
    }
    if (!checkType(c, src, OBJ_LIST)) return;
    if (listLength(src) == 0) {       /* cannot happen: empty lists are deleted */
        addReplyNull(c);
        return;
    }
    kvobj *dst = lookupWrite(c, di);   /* the same block as src when the keys are equal */
    if (dst && !checkType(c, dst, OBJ_LIST)) return;
    bool srcQuicklist = kvEnc(src) == ENC_QUICKLIST;
    popped pv;
    listPopOne(src, from, &pv);
    if (!dst) dst = listNewKey(c, di);
    /* Redis counts the popped string's length, but not an integer's when
     * it came out of a quicklist (a shared integer object there) */
    listConvertForGrowth(dst, pv.isInt && srcQuicklist ? 0 : pv.len, 1);
    listPushRaw(dst, to, pv.buf, pv.len);
    signalModifiedKey(c, c->db, c->argv[di], c->argvlen[di]);
    notifyKeyspaceEvent(c, NOTIFY_LIST, to == LIST_HEAD ? "lpush" : "rpush", c->argv[di],
                        c->argvlen[di], c->db);
    addReplyBulk(c, pv.buf, pv.len);
    poppedFree(&pv);
    listElementsRemoved(c, si, src, from == LIST_HEAD ? "lpop" : "rpop");
}

static void lmoveGeneric(client *c, int from, int to) { lmoveAt(c, 1, 2, from, to); }

static void lmoveCommand(client *c) {
    int from, to;
    if (!getWhere(c, 3, &from) || !getWhere(c, 4, &to)) return;
    lmoveGeneric(c, from, to);
}

static void rpoplpushCommand(client *c) { lmoveGeneric(c, LIST_TAIL, LIST_HEAD); }

/* ---- the command table ------------------------------------------------------------------------ */

/* SORT and SORT_RO live in sort.c */
void sortCommand(client *c);
void sortroCommand(client *c);
int sortGetKeys(client *c, int argc, int *keyidx, int max);
int sortroGetKeys(client *c, int argc, int *keyidx, int max);
extern const cmdArg sortArgs[], sortroArgs[];

static const cmdArg keyArg[] = { { "key", ARG_KEY, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg pushArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "element", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg popArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, ARGF_OPTIONAL, NULL, "6.2.0" }, { 0 } };
static const cmdArg rangeArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "start", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "stop", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg lindexArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "index", ARG_INTEGER, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg lsetArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "index", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "element", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg beforeAfter[] = {
    { "before", ARG_PURE_TOKEN, "BEFORE", 0, NULL, NULL },
    { "after", ARG_PURE_TOKEN, "AFTER", 0, NULL, NULL }, { 0 } };
static const cmdArg linsertArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "where", ARG_ONEOF, NULL, 0, beforeAfter, NULL },
    { "pivot", ARG_STRING, NULL, 0, NULL, NULL },
    { "element", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg lremArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "count", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "element", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg lposArgs[] = {
    { "key", ARG_KEY, NULL, 0, NULL, NULL },
    { "element", ARG_STRING, NULL, 0, NULL, NULL },
    { "rank", ARG_INTEGER, "RANK", ARGF_OPTIONAL, NULL, NULL },
    { "num-matches", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL },
    { "len", ARG_INTEGER, "MAXLEN", ARGF_OPTIONAL, NULL, NULL }, { 0 } };
static const cmdArg twoKeys[] = {
    { "source", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination", ARG_KEY, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg leftRight[] = {
    { "left", ARG_PURE_TOKEN, "LEFT", 0, NULL, NULL },
    { "right", ARG_PURE_TOKEN, "RIGHT", 0, NULL, NULL }, { 0 } };
static const cmdArg lmoveArgs[] = {
    { "source", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "wherefrom", ARG_ONEOF, NULL, 0, leftRight, NULL },
    { "whereto", ARG_ONEOF, NULL, 0, leftRight, NULL }, { 0 } };
static const cmdArg lmpopArgs[] = {
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "where", ARG_ONEOF, NULL, 0, leftRight, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

static const cmdArg bpopArgs[] = {
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "timeout", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg brpoplpushArgs[] = {
    { "source", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "timeout", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg blmoveArgs[] = {
    { "source", ARG_KEY, NULL, 0, NULL, NULL },
    { "destination", ARG_KEY, NULL, 0, NULL, NULL },
    { "wherefrom", ARG_ONEOF, NULL, 0, leftRight, NULL },
    { "whereto", ARG_ONEOF, NULL, 0, leftRight, NULL },
    { "timeout", ARG_DOUBLE, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg blmpopArgs[] = {
    { "timeout", ARG_DOUBLE, NULL, 0, NULL, NULL },
    { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },
    { "key", ARG_KEY, NULL, ARGF_MULTIPLE, NULL, NULL },
    { "where", ARG_ONEOF, NULL, 0, leftRight, NULL },
    { "count", ARG_INTEGER, "COUNT", ARGF_OPTIONAL, NULL, NULL }, { 0 } };

#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "list"
#define KEY12 .firstkey = 1, .lastkey = 2, .keystep = 1, .group = "list"
#define PUSH_COMPLEXITY \
    "O(1) for each element added, so O(N) to add N elements when the command is called " \
    "with multiple arguments."

cmdDef listCommands[] = {
    { .name = "lpush", .proc = lpushCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write list fast",
      .since = "1.0.0", .complexity = PUSH_COMPLEXITY, .args = pushArgs,
      .summary = "Adds elements at the head of a list, creating the key if needed." },
    { .name = "rpush", .proc = rpushCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write list fast",
      .since = "1.0.0", .complexity = PUSH_COMPLEXITY, .args = pushArgs,
      .summary = "Adds elements at the tail of a list, creating the key if needed." },
    { .name = "lpushx", .proc = lpushxCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write list fast",
      .since = "2.2.0", .complexity = PUSH_COMPLEXITY, .args = pushArgs,
      .summary = "Adds elements at the head of a list, only when the list already exists." },
    { .name = "rpushx", .proc = rpushxCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, KEY1, .acl = "write list fast",
      .since = "2.2.0", .complexity = PUSH_COMPLEXITY, .args = pushArgs,
      .summary = "Adds elements at the tail of a list, only when the list already exists." },
    { .name = "lpop", .proc = lpopCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write list fast", .since = "1.0.0", .args = popArgs,
      .complexity = "O(N) where N is the number of elements returned",
      .summary = "Removes and returns the first elements of a list; the key goes when the "
                 "list is empty." },
    { .name = "rpop", .proc = rpopCommand, .arity = -2, .flags = CMD_WRITE | CMD_FAST, KEY1,
      .acl = "write list fast", .since = "1.0.0", .args = popArgs,
      .complexity = "O(N) where N is the number of elements returned",
      .summary = "Removes and returns the last elements of a list; the key goes when the "
                 "list is empty." },
    { .name = "lmpop", .proc = lmpopCommand, .arity = -4, .flags = CMD_WRITE,
      .getkeys = lmpopGetKeys, .group = "list", .acl = "write list slow", .since = "7.0.0",
      .args = lmpopArgs,
      .complexity = "O(N+M) where N is the number of keys given and M the number of "
                    "elements returned.",
      .summary = "Pops elements from the first non-empty list among several keys." },
    { .name = "llen", .proc = llenCommand, .arity = 2, .flags = CMD_READONLY | CMD_FAST, KEY1,
      .acl = "read list fast", .since = "1.0.0", .complexity = "O(1)", .args = keyArg,
      .summary = "Returns the number of elements of a list." },
    { .name = "lindex", .proc = lindexCommand, .arity = 3, .flags = CMD_READONLY, KEY1,
      .acl = "read list slow", .since = "1.0.0", .args = lindexArgs,
      .complexity = "O(N) where N is the number of elements walked to reach the index "
                    "(O(1) at either end).",
      .summary = "Returns the element of a list at an index (negative: from the tail)." },
    { .name = "lrange", .proc = lrangeCommand, .arity = 4, .flags = CMD_READONLY, KEY1,
      .acl = "read list slow", .since = "1.0.0", .args = rangeArgs,
      .complexity = "O(S+N) where S is the distance of start from the nearer end and N the "
                    "number of elements returned.",
      .summary = "Returns the elements of a list between two indexes, both included." },
    { .name = "lset", .proc = lsetCommand, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM, KEY1,
      .acl = "write list slow", .since = "1.0.0", .args = lsetArgs,
      .complexity = "O(N) where N is the number of elements walked to reach the index "
                    "(O(1) at either end).",
      .summary = "Replaces the element of a list at an index." },
    { .name = "linsert", .proc = linsertCommand, .arity = 5, .flags = CMD_WRITE | CMD_DENYOOM,
      KEY1, .acl = "write list slow", .since = "2.2.0", .args = linsertArgs,
      .complexity = "O(N) where N is the number of elements walked to find the pivot.",
      .summary = "Inserts an element before or after the first occurrence of a pivot." },
    { .name = "lrem", .proc = lremCommand, .arity = 4, .flags = CMD_WRITE, KEY1,
      .acl = "write list slow", .since = "1.0.0", .args = lremArgs,
      .complexity = "O(N+M) where N is the length of the list and M the number of elements "
                    "removed.",
      .summary = "Removes occurrences of an element: the first count from the head, from "
                 "the tail when count is negative, all when it is 0." },
    { .name = "ltrim", .proc = ltrimCommand, .arity = 4, .flags = CMD_WRITE, KEY1,
      .acl = "write list slow", .since = "1.0.0", .args = rangeArgs,
      .complexity = "O(N) where N is the number of elements removed.",
      .summary = "Keeps only the elements of a list between two indexes." },
    { .name = "lpos", .proc = lposCommand, .arity = -3, .flags = CMD_READONLY, KEY1,
      .acl = "read list slow", .since = "6.0.6", .args = lposArgs,
      .complexity = "O(N) where N is the number of elements scanned (all of them unless "
                    "MAXLEN or COUNT stop earlier).",
      .summary = "Returns the indexes of the elements equal to a value." },
    { .name = "rpoplpush", .proc = rpoplpushCommand, .arity = 3,
      .flags = CMD_WRITE | CMD_DENYOOM, KEY12, .acl = "write list slow", .since = "1.2.0",
      .complexity = "O(1)", .args = twoKeys,
      .summary = "Moves the last element of a list to the head of another (or the same) "
                 "list and returns it." },
    { .name = "lmove", .proc = lmoveCommand, .arity = 5, .flags = CMD_WRITE | CMD_DENYOOM,
      KEY12, .acl = "write list slow", .since = "6.2.0", .complexity = "O(1)",
      .args = lmoveArgs,
      .summary = "Moves an element from one end of a list to either end of another (or the "
                 "same) list and returns it." },
    { .name = "blpop", .proc = blpopCommand, .arity = -3, .flags = CMD_WRITE | CMD_BLOCKING | CMD_NOSCRIPT,
      .firstkey = 1, .lastkey = -2, .keystep = 1, .group = "list",
      .acl = "write list slow blocking", .since = "2.0.0", .args = bpopArgs,
      .complexity = "O(N) where N is the number of provided keys.",
      .summary = "Pops the first element of the first non-empty list, or waits for one to "
                 "be pushed." },
    { .name = "brpop", .proc = brpopCommand, .arity = -3, .flags = CMD_WRITE | CMD_BLOCKING | CMD_NOSCRIPT,
      .firstkey = 1, .lastkey = -2, .keystep = 1, .group = "list",
      .acl = "write list slow blocking", .since = "2.0.0", .args = bpopArgs,
      .complexity = "O(N) where N is the number of provided keys.",
      .summary = "Pops the last element of the first non-empty list, or waits for one to "
                 "be pushed." },
    { .name = "brpoplpush", .proc = brpoplpushCommand, .arity = 4,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_BLOCKING | CMD_NOSCRIPT, KEY12,
      .acl = "write list slow blocking", .since = "2.2.0", .args = brpoplpushArgs,
      .complexity = "O(1)",
      .summary = "Moves the last element of a list to the head of another, waiting for one "
                 "if the source is empty." },
    { .name = "blmove", .proc = blmoveCommand, .arity = 6,
      .flags = CMD_WRITE | CMD_DENYOOM | CMD_BLOCKING | CMD_NOSCRIPT, KEY12,
      .acl = "write list slow blocking", .since = "6.2.0", .args = blmoveArgs,
      .complexity = "O(1)",
      .summary = "Moves an element from one end of a list to either end of another, waiting "
                 "for one if the source is empty." },
    { .name = "blmpop", .proc = blmpopCommand, .arity = -5, .flags = CMD_WRITE | CMD_BLOCKING,
      .getkeys = blmpopGetKeys, .group = "list", .acl = "write list slow blocking",
      .since = "7.0.0", .args = blmpopArgs,
      .complexity = "O(N+M) where N is the number of keys given and M the number of "
                    "elements returned.",
      .summary = "Pops elements from the first non-empty list among several keys, or waits "
                 "for one to be pushed." },
    { .name = "sort", .proc = sortCommand, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM |
      CMD_LOCK_SELF, .firstkey = 1, .lastkey = 1, .keystep = 1, .getkeys = sortGetKeys,
      .group = "generic", .acl = "write set sortedset list slow dangerous", .since = "1.0.0",
      .args = sortArgs,
      .complexity = "O(N+M*log(M)) where N is the number of elements in the list, set or "
                    "sorted set and M the number of elements returned; O(N) without sorting.",
      .summary = "Sorts the elements of a list, set or sorted set, optionally by external "
                 "keys, and returns or stores them." },
    { .name = "sort_ro", .proc = sortroCommand, .arity = -2, .flags = CMD_READONLY |
      CMD_LOCK_SELF, .firstkey = 1, .lastkey = 1, .keystep = 1, .getkeys = sortroGetKeys,
      .group = "generic", .acl = "read set sortedset list slow dangerous", .since = "7.0.0",
      .args = sortroArgs,
      .complexity = "O(N+M*log(M)) where N is the number of elements in the list, set or "
                    "sorted set and M the number of elements returned; O(N) without sorting.",
      .summary = "Sorts the elements of a list, set or sorted set without storing (the "
                 "read-only SORT)." },
    { 0 }
};
