/* quicklist.c — a linked list of listpacks (design and contracts in
 * quicklist.h).
 *
 * Banners: limits / nodes and compression / the compression walk / linking /
 * lists / ends / iteration / inserting and replacing / ranges / conversion
 * and accessors.
 *
 * Compression protocol. A node is "open" while code reads or writes its
 * listpack: qlNodeOpen() decompresses an LZF node in place, keeps the LZF
 * blob in `saved` and sets `recompress`. Every change to a node's listpack
 * calls qlNodeDirty(), which drops `saved`. Whoever opened a node either
 * changes it (qlNodeChanged) or leaves it (qlNodeClose); both end in
 * qlCompress(ql, node), which decides from the node's position whether it
 * should be compressed, and then puts the saved blob back if there is one
 * (a read-only visit costs one decompression, no compression) or
 * compresses afresh. qlCompress
 * also re-establishes the depth invariant at both ends, which is what a
 * structural change (nodes added or freed) needs: the `compress` nodes at
 * each end are made raw, and the two nodes just inside each window are
 * compressed. No single change moves a node more than two places inwards
 * (a split insert adds at most two nodes); deletes of any size only move
 * nodes outwards, into the windows, which the decompressing walk covers.
 *
 * Redis recompresses a node after every visit; keeping the blob instead
 * cut the time the fuzz test spends compressing by more than 3x, for one
 * pointer per node, which fits in the node's jemalloc size class anyway
 * (40 -> 48 bytes).
 */
#include "storage/quicklist.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/lzf.h"
#include "storage/zmalloc.h"

#define QL_MIN_COMPRESS_BYTES 48    /* smaller nodes are not worth compressing */
#define QL_MIN_COMPRESS_IMPROVE 8   /* compression must save more than this */

/* bytes per node for fill -1..-5 */
static const size_t qlSizeLimits[] = {4096, 8192, 16384, 32768, 65536};

__attribute__((noreturn, cold)) static void qlPanic(const char *what) {
    fprintf(stderr, "quicklist: %s\n", what);
    fflush(stderr);
    abort();
}

/* ---- limits ----------------------------------------------------------------------------- */

void quicklistNodeLimit(int fill, size_t *sz, unsigned *count) {
    *sz = SIZE_MAX;
    *count = UINT_MAX;
    if (fill >= 0) {
        *count = fill == 0 ? 1 : (unsigned)fill;
    } else {
        size_t i = (size_t)(-(long)fill) - 1;
        size_t n = sizeof qlSizeLimits / sizeof qlSizeLimits[0];
        *sz = qlSizeLimits[i < n ? i : n - 1];
    }
}

bool quicklistNodeExceedsLimit(int fill, size_t new_sz, unsigned long new_count) {
    size_t sz;
    unsigned count;
    quicklistNodeLimit(fill, &sz, &count);
    if (sz != SIZE_MAX) return new_sz > sz;
    return new_sz > QL_SIZE_SAFETY_LIMIT || new_count > count;
}

/* qlAllowInsert: may node n take one more entry of esz bytes? */
static bool qlAllowInsert(const quicklist *ql, const quicklistNode *n, size_t esz) {
    return !quicklistNodeExceedsLimit(ql->fill, n->sz + esz, (unsigned long)n->count + 1);
}

/* qlAllowMerge: would a and b fit in one node? */
static bool qlAllowMerge(const quicklist *ql, const quicklistNode *a, const quicklistNode *b) {
    return !quicklistNodeExceedsLimit(ql->fill, a->sz + b->sz - LP_EMPTY_SIZE,
                                      (unsigned long)a->count + b->count);
}

/* ---- nodes and compression ------------------------------------------------------------ */

static quicklistNode *qlNodeNew(unsigned char *lp) {
    quicklistNode *n = zcalloc(sizeof *n);
    n->entry = lp;
    n->sz = lpBytes(lp);
    n->count = (uint32_t)lpLength(lp);
    n->encoding = QL_NODE_RAW;
    return n;
}

static quicklistNode *qlNodeNewWith(const void *s, size_t len) {
    return qlNodeNew(lpAppend(lpNew(0), s, len));
}

static void qlNodeFree(quicklistNode *n) {
    zfree(n->entry);
    zfree(n->saved);
    zfree(n);
}

/* qlNodeCompress: raw -> LZF if it pays; false (node unchanged) if not. */
static bool qlNodeCompress(quicklistNode *n) {
    if (n->sz < QL_MIN_COMPRESS_BYTES) return false;
    qlLzf *z = zmalloc(sizeof *z + n->sz);
    /* success needs clen + MIN_COMPRESS_IMPROVE < sz: cap the output there */
    size_t clen = lzfCompress(n->entry, n->sz, z->data, n->sz - QL_MIN_COMPRESS_IMPROVE - 1);
    if (clen == 0) {
        zfree(z);
        return false;
    }
    z = zrealloc(z, sizeof *z + clen);
    z->clen = clen;
    lpFree(n->entry);
    n->entry = (unsigned char *)z;
    n->encoding = QL_NODE_LZF;
    return true;
}

/* qlNodeDecompress: LZF -> raw; returns the LZF blob, which the caller
 * frees or keeps. */
static qlLzf *qlNodeDecompress(quicklistNode *n) {
    qlLzf *z = (qlLzf *)n->entry;
    unsigned char *lp = zmalloc(n->sz);
    if (lzfDecompress(z->data, z->clen, lp, n->sz) != n->sz) qlPanic("corrupt compressed node");
    n->entry = lp;
    n->encoding = QL_NODE_RAW;
    return z;
}

/* qlNodeDirty: n's listpack changed: its saved blob is stale and it may
 * compress now even if it did not before. */
static void qlNodeDirty(quicklistNode *n) {
    zfree(n->saved);
    n->saved = NULL;
    n->incompressible = 0;
}

/* qlNodeRaw: the node belongs in a raw window. */
static void qlNodeRaw(quicklistNode *n) {
    if (n->encoding == QL_NODE_LZF) zfree(qlNodeDecompress(n));
    zfree(n->saved);
    n->saved = NULL;
    n->recompress = 0;
}

/* qlNodeInner: the node belongs compressed: put back the blob it was
 * opened from if it did not change, else compress it unless that is known
 * not to pay. */
static void qlNodeInner(quicklistNode *n) {
    n->recompress = 0;
    if (n->saved) {
        lpFree(n->entry);
        n->entry = (unsigned char *)n->saved;
        n->saved = NULL;
        n->encoding = QL_NODE_LZF;
    } else if (n->encoding == QL_NODE_RAW && !n->incompressible && !qlNodeCompress(n)) {
        n->incompressible = 1;
    }
}

/* ---- the compression walk ------------------------------------------------------------- */

/* qlCompress makes the `compress` nodes at each end raw, compresses the
 * first two nodes inside each window, and puts `node` (may be NULL) in the
 * state its position asks for. Two, because one change can push a node two
 * places inwards: a split insert adds the second half and a node for an
 * element that fits in neither half. Nodes already LZF or flagged
 * incompressible cost nothing here. O(compress). */
static void qlCompress(quicklist *ql, quicklistNode *node) {
    if (ql->compress == 0) {
        if (node) qlNodeRaw(node);
        return;
    }
    quicklistNode *f = ql->head, *r = ql->tail;
    bool inWindow = false;
    for (unsigned i = 0; i < ql->compress && f; i++) {
        qlNodeRaw(f);
        qlNodeRaw(r);
        inWindow |= f == node || r == node;
        f = f->next;
        r = r->prev;
    }
    if (ql->len <= 2 * (unsigned long)ql->compress) return;   /* every node is in a window */
    qlNodeInner(f);
    qlNodeInner(r);
    if (ql->len > 2 * (unsigned long)ql->compress + 1) {       /* f->next is inner too */
        qlNodeInner(f->next);
        qlNodeInner(r->prev);
    }
    if (node && !inWindow) qlNodeInner(node);
}

/* qlNodeOpen: make n's listpack readable and writable, keeping the LZF
 * blob in case it is left unchanged. */
static void qlNodeOpen(quicklistNode *n) {
    if (n->encoding == QL_NODE_LZF) {
        n->saved = qlNodeDecompress(n);
        n->recompress = 1;
    }
}

/* qlNodeClose: done with an open node that did not change. */
static void qlNodeClose(quicklist *ql, quicklistNode *n) {
    if (n->recompress) qlCompress(ql, n);
}

/* qlNodeChanged: n's listpack was changed (count is the caller's); an end
 * node that stayed raw needs no walk, anything else gets its position
 * checked. */
static void qlNodeChanged(quicklist *ql, quicklistNode *n) {
    n->sz = lpBytes(n->entry);
    qlNodeDirty(n);
    if (!ql->compress) n->recompress = 0;
    else if (n->recompress || (n != ql->head && n != ql->tail)) qlCompress(ql, n);
}

/* ---- linking ----------------------------------------------------------------------------- */

/* qlLinkAfter links n after at (at == NULL: as the new head). */
static void qlLinkAfter(quicklist *ql, quicklistNode *at, quicklistNode *n) {
    n->prev = at;
    n->next = at ? at->next : ql->head;
    if (n->next) n->next->prev = n;
    else ql->tail = n;
    if (at) at->next = n;
    else ql->head = n;
    ql->len++;
}

static void qlLinkBefore(quicklist *ql, quicklistNode *at, quicklistNode *n) {
    qlLinkAfter(ql, at ? at->prev : ql->tail, n);
}

/* qlUnlinkFree unlinks and frees n; the caller fixes ql->count and runs
 * the compression walk. */
static void qlUnlinkFree(quicklist *ql, quicklistNode *n) {
    if (n->prev) n->prev->next = n->next;
    else ql->head = n->next;
    if (n->next) n->next->prev = n->prev;
    else ql->tail = n->prev;
    ql->len--;
    qlNodeFree(n);
}

/* qlMerge appends b's entries to a and frees b; both are opened. */
static void qlMerge(quicklist *ql, quicklistNode *a, quicklistNode *b) {
    qlNodeOpen(a);
    qlNodeOpen(b);
    a->entry = lpMerge(a->entry, b->entry);
    b->entry = NULL;
    a->count += b->count;
    a->sz = lpBytes(a->entry);
    qlNodeDirty(a);
    a->recompress = 1;
    qlUnlinkFree(ql, b);
}

/* ---- lists ---------------------------------------------------------------------------- */

quicklist *quicklistCreate(int fill, int compress) {
    quicklist *ql = zcalloc(sizeof *ql);
    ql->fill = fill > QL_FILL_MAX ? QL_FILL_MAX : fill < -5 ? -5 : fill;
    ql->compress = compress < 0 ? 0 : compress > QL_COMPRESS_MAX ? QL_COMPRESS_MAX : (unsigned)compress;
    return ql;
}

void quicklistRelease(quicklist *ql) {
    quicklistNode *n = ql->head;
    while (n) {
        quicklistNode *next = n->next;
        qlNodeFree(n);
        n = next;
    }
    zfree(ql);
}

quicklist *quicklistDup(const quicklist *ql) {
    quicklist *c = quicklistCreate(ql->fill, (int)ql->compress);
    for (const quicklistNode *n = ql->head; n; n = n->next) {
        quicklistNode *d = zcalloc(sizeof *d);
        *d = *n;
        d->recompress = 0;
        d->saved = NULL;
        d->entry = n->encoding == QL_NODE_LZF
                       ? zmemdup(n->entry, sizeof(qlLzf) + ((const qlLzf *)n->entry)->clen)
                       : lpDup(n->entry);
        qlLinkAfter(c, c->tail, d);
    }
    c->count = ql->count;
    return c;
}

size_t quicklistAllocSize(const quicklist *ql) {
    size_t total = sizeof *ql;
    for (const quicklistNode *n = ql->head; n; n = n->next)
        total += sizeof *n + (n->encoding == QL_NODE_LZF
                                  ? sizeof(qlLzf) + ((const qlLzf *)n->entry)->clen
                                  : n->sz);
    return total;
}

/* ---- ends ----------------------------------------------------------------------------- */

void quicklistPush(quicklist *ql, int where, const void *s, size_t len) {
    quicklistNode *n = where == QL_HEAD ? ql->head : ql->tail;
    ql->count++;
    if (n && qlAllowInsert(ql, n, lpEntrySize(s, len))) {
        qlNodeOpen(n);
        n->entry = where == QL_HEAD ? lpPrepend(n->entry, s, len) : lpAppend(n->entry, s, len);
        n->count++;
        qlNodeChanged(ql, n);
        return;
    }
    quicklistNode *m = qlNodeNewWith(s, len);
    if (where == QL_HEAD) qlLinkAfter(ql, NULL, m);
    else qlLinkAfter(ql, ql->tail, m);
    qlCompress(ql, NULL);
}

void quicklistPushHead(quicklist *ql, const void *s, size_t len) { quicklistPush(ql, QL_HEAD, s, len); }

void quicklistPushTail(quicklist *ql, const void *s, size_t len) { quicklistPush(ql, QL_TAIL, s, len); }

/* qlDeleteEntry deletes *p from open node n; *p becomes the next entry (or
 * NULL). Returns true if that emptied and freed the node. */
static bool qlDeleteEntry(quicklist *ql, quicklistNode *n, unsigned char **p) {
    n->entry = lpDelete(n->entry, p);
    n->count--;
    ql->count--;
    if (n->count == 0) {
        qlUnlinkFree(ql, n);
        qlCompress(ql, NULL);
        return true;
    }
    return false;
}

bool quicklistPopWith(quicklist *ql, int where, void (*fn)(void *ud, const lpValue *v), void *ud) {
    quicklistNode *n = where == QL_HEAD ? ql->head : ql->tail;
    if (!n) return false;
    qlNodeOpen(n);
    unsigned char *p = where == QL_HEAD ? lpFirst(n->entry) : lpLast(n->entry);
    lpValue v;
    lpGet(p, &v);
    if (fn) fn(ud, &v);
    if (!qlDeleteEntry(ql, n, &p)) qlNodeChanged(ql, n);
    return true;
}

typedef struct qlPopped {
    unsigned char **data;
    size_t *len;
    int64_t *lval;
} qlPopped;

static void qlPopSave(void *ud, const lpValue *v) {
    qlPopped *o = ud;
    if (v->sval) {
        *o->data = zmemdup(v->sval, v->slen);
        *o->len = v->slen;
    } else {
        *o->data = NULL;
        *o->lval = v->lval;
    }
}

bool quicklistPop(quicklist *ql, int where, unsigned char **data, size_t *len, int64_t *lval) {
    qlPopped o = {data, len, lval};
    return quicklistPopWith(ql, where, qlPopSave, &o);
}

/* ---- iteration ------------------------------------------------------------------------ */

void quicklistIterInit(quicklistIter *it, quicklist *ql, int dir) {
    it->ql = ql;
    it->dir = dir;
    it->node = dir == QL_HEAD ? ql->head : ql->tail;
    it->p = NULL;
    it->pending = NULL;
    it->offset = 0;
    if (it->node) qlNodeOpen(it->node);
}

/* qlLocate finds the node holding element index (0 <= index < count) and
 * the index within it, walking from the nearer end. */
static quicklistNode *qlLocate(const quicklist *ql, unsigned long index, unsigned long *off) {
    quicklistNode *n;
    if (index < ql->count / 2) {
        for (n = ql->head; index >= n->count; n = n->next) index -= n->count;
        *off = index;
    } else {
        unsigned long back = ql->count - 1 - index;   /* index counted from the tail */
        for (n = ql->tail; back >= n->count; n = n->prev) back -= n->count;
        *off = n->count - 1 - back;
    }
    return n;
}

bool quicklistIterInitAt(quicklistIter *it, quicklist *ql, int dir, long index) {
    it->ql = ql;
    it->dir = dir;
    it->node = NULL;
    it->p = NULL;
    it->pending = NULL;
    it->offset = 0;
    if (index < 0) index += (long)ql->count;
    if (index < 0 || (unsigned long)index >= ql->count) return false;
    unsigned long off;
    it->node = qlLocate(ql, (unsigned long)index, &off);
    qlNodeOpen(it->node);
    it->pending = lpSeek(it->node->entry, (long)off);
    it->offset = (long)off;
    return true;
}

/* qlIterStep moves the iterator to the adjacent node in its direction. */
static void qlIterStep(quicklistIter *it) {
    quicklistNode *n = it->node;
    it->node = it->dir == QL_HEAD ? n->next : n->prev;
    it->p = NULL;
    qlNodeClose(it->ql, n);
    if (it->node) qlNodeOpen(it->node);
}

bool quicklistNext(quicklistIter *it, quicklistEntry *e) {
    if (!it->ql) return false;
    bool fwd = it->dir == QL_HEAD;
    unsigned char *p = NULL;
    while (it->node) {
        unsigned char *lp = it->node->entry;
        if (it->pending) {
            p = it->pending;
            it->pending = NULL;
        } else if (!it->p) {
            p = fwd ? lpFirst(lp) : lpLast(lp);
            it->offset = fwd ? 0 : (long)it->node->count - 1;
        } else {
            p = fwd ? lpNext(lp, it->p) : lpPrev(lp, it->p);
            it->offset += fwd ? 1 : -1;
        }
        if (p) break;
        qlIterStep(it);
    }
    if (!it->node) return false;
    it->p = p;
    e->node = it->node;
    e->p = p;
    e->offset = it->offset;
    lpGet(p, &e->v);
    return true;
}

void quicklistIterDone(quicklistIter *it) {
    if (it->ql && it->node) qlNodeClose(it->ql, it->node);
    it->node = NULL;
    it->ql = NULL;
}

/* After deleting, the iterator is left so that the next call's ordinary
 * step lands on the right entry: `pending` when one exists in this node,
 * otherwise positioned on the node's last (forward) or first (backward)
 * entry so that the step falls off into the adjacent node. */
void quicklistDelEntry(quicklistIter *it, quicklistEntry *e) {
    quicklist *ql = it->ql;
    quicklistNode *n = e->node;
    bool fwd = it->dir == QL_HEAD;
    unsigned char *p = e->p, *prev = fwd ? NULL : lpPrev(n->entry, p);
    size_t prevoff = prev ? (size_t)(prev - n->entry) : 0;
    quicklistNode *adjacent = fwd ? n->next : n->prev;
    it->p = NULL;
    it->pending = NULL;
    if (qlDeleteEntry(ql, n, &p)) {
        it->node = adjacent;
        if (adjacent) qlNodeOpen(adjacent);
        return;
    }
    n->sz = lpBytes(n->entry);
    qlNodeDirty(n);
    if (ql->compress) n->recompress = 1;       /* position is checked when left */
    if (fwd && p) {
        it->pending = p;
        it->offset = e->offset;
    } else if (fwd) {
        it->p = lpLast(n->entry);
        it->offset = (long)n->count - 1;
    } else if (prev) {
        it->pending = n->entry + prevoff;
        it->offset = e->offset - 1;
    } else {
        it->p = lpFirst(n->entry);
        it->offset = 0;
    }
}

/* ---- inserting and replacing ------------------------------------------------------------ */

/* qlNodeInsert inserts s at position k (0..count) of open node n. */
static void qlNodeInsert(quicklistNode *n, unsigned long k, const void *s, size_t len) {
    if (k == n->count) {
        n->entry = lpAppend(n->entry, s, len);
    } else {
        unsigned char *p = lpSeek(n->entry, (long)k);
        n->entry = lpInsert(n->entry, p, LP_BEFORE, s, len, NULL);
    }
    n->count++;
}

/* qlMergeRange merges adjacent nodes from lo to hi (inclusive) wherever
 * the pair fits in one node, left to right; returns the last node left of
 * the range (hi, or the node hi was merged into). */
static quicklistNode *qlMergeRange(quicklist *ql, quicklistNode *lo, quicklistNode *hi) {
    quicklistNode *cur = lo;
    while (cur != hi) {
        quicklistNode *nx = cur->next;
        if (!qlAllowMerge(ql, cur, nx)) {
            cur = nx;
            continue;
        }
        qlMerge(ql, cur, nx);
        if (nx == hi) hi = cur;
    }
    return hi;
}

/* qlSplitInsert: n (open, full) gets s at a middle position k: n keeps
 * [0, k), a new node takes [k, count), s joins whichever half has room or
 * gets a node between them, then neighbours merge where they fit. */
static void qlSplitInsert(quicklist *ql, quicklistNode *n, unsigned long k, const void *s,
                          size_t len, size_t esz) {
    quicklistNode *right = qlNodeNew(lpDeleteRange(lpDup(n->entry), 0, k));
    n->entry = lpDeleteRange(n->entry, (long)k, n->count - k);
    n->count = (uint32_t)k;
    n->sz = lpBytes(n->entry);
    qlNodeDirty(n);
    qlLinkAfter(ql, n, right);
    if (qlAllowInsert(ql, n, esz)) {
        qlNodeInsert(n, k, s, len);
        n->sz = lpBytes(n->entry);
    } else if (qlAllowInsert(ql, right, esz)) {
        qlNodeInsert(right, 0, s, len);
        right->sz = lpBytes(right->entry);
    } else {
        qlLinkAfter(ql, n, qlNodeNewWith(s, len));
    }
    quicklistNode *lo = n->prev ? n->prev : n;
    quicklistNode *hi = qlMergeRange(ql, lo, right->next ? right->next : right);
    qlCompress(ql, NULL);
    for (quicklistNode *x = lo;; x = x->next) {
        qlCompress(ql, x);
        if (x == hi) break;
    }
}

/* qlInsertAt inserts s at position k (0..count) of node n (open or not)
 * and leaves every touched node in its compression state. */
static void qlInsertAt(quicklist *ql, quicklistNode *n, unsigned long k, const void *s, size_t len) {
    size_t esz = lpEntrySize(s, len);
    quicklistNode *side;
    ql->count++;
    qlNodeOpen(n);
    if (qlAllowInsert(ql, n, esz)) {
        qlNodeInsert(n, k, s, len);
        n->recompress = 1;
        qlNodeChanged(ql, n);
        return;
    }
    if (k == n->count && (side = n->next) && qlAllowInsert(ql, side, esz)) {
        qlNodeClose(ql, n);
        qlNodeOpen(side);
        qlNodeInsert(side, 0, s, len);
        side->recompress = 1;
        qlNodeChanged(ql, side);
        return;
    }
    if (k == 0 && (side = n->prev) && qlAllowInsert(ql, side, esz)) {
        qlNodeClose(ql, n);
        qlNodeOpen(side);
        qlNodeInsert(side, side->count, s, len);
        side->recompress = 1;
        qlNodeChanged(ql, side);
        return;
    }
    if (k == n->count || k == 0) {
        quicklistNode *m = qlNodeNewWith(s, len);
        if (k == 0) qlLinkBefore(ql, n, m);
        else qlLinkAfter(ql, n, m);
        n->recompress = 1;
        qlCompress(ql, n);
        qlCompress(ql, m);
        return;
    }
    qlSplitInsert(ql, n, k, s, len, esz);
}

/* qlIterEnd: an insert or replace consumed the iterator's node. */
static void qlIterEnd(quicklistIter *it) {
    it->node = NULL;
    it->ql = NULL;
}

void quicklistInsertBefore(quicklistIter *it, quicklistEntry *e, const void *s, size_t len) {
    qlInsertAt(it->ql, e->node, (unsigned long)e->offset, s, len);
    qlIterEnd(it);
}

void quicklistInsertAfter(quicklistIter *it, quicklistEntry *e, const void *s, size_t len) {
    qlInsertAt(it->ql, e->node, (unsigned long)e->offset + 1, s, len);
    qlIterEnd(it);
}

/* qlEntryBytes: bytes of the entry p in lp, backlen included. */
static size_t qlEntryBytes(unsigned char *lp, unsigned char *p) {
    unsigned char *q = lpNext(lp, p);
    return (size_t)((q ? q : lp + lpBytes(lp) - 1) - p);
}

void quicklistReplaceEntry(quicklistIter *it, quicklistEntry *e, const void *s, size_t len) {
    quicklist *ql = it->ql;
    quicklistNode *n = e->node;
    unsigned char *p = e->p;
    qlIterEnd(it);
    size_t newsz = n->sz - qlEntryBytes(n->entry, p) + lpEntrySize(s, len);
    if (n->count == 1 || !quicklistNodeExceedsLimit(ql->fill, newsz, n->count)) {
        n->entry = lpReplace(n->entry, &p, s, len);
        n->recompress = 1;
        qlNodeChanged(ql, n);
        return;
    }
    /* too big for this node: take the old one out, insert where it was */
    n->entry = lpDelete(n->entry, &p);
    n->count--;
    ql->count--;
    n->sz = lpBytes(n->entry);
    qlNodeDirty(n);
    n->recompress = 1;                 /* changed: qlInsertAt rechecks it on every path */
    qlInsertAt(ql, n, (unsigned long)e->offset, s, len);
}

bool quicklistReplaceAtIndex(quicklist *ql, long index, const void *s, size_t len) {
    quicklistIter it;
    quicklistEntry e;
    bool found = quicklistIterInitAt(&it, ql, QL_HEAD, index) && quicklistNext(&it, &e);
    if (found) quicklistReplaceEntry(&it, &e, s, len);
    quicklistIterDone(&it);
    return found;
}

/* ---- ranges ----------------------------------------------------------------------------- */

unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count) {
    if (start < 0) start += (long)ql->count;
    if (start < 0 || (unsigned long)start >= ql->count || count == 0) return 0;
    unsigned long extent = ql->count - (unsigned long)start;
    if (count < extent) extent = count;
    unsigned long off, left = extent;
    quicklistNode *n = qlLocate(ql, (unsigned long)start, &off), *touched[2];
    int ntouched = 0;
    while (left) {
        quicklistNode *next = n->next;
        unsigned long del = n->count - off < left ? n->count - off : left;
        if (del == n->count) {
            qlUnlinkFree(ql, n);
        } else {
            qlNodeOpen(n);
            n->entry = lpDeleteRange(n->entry, (long)off, del);
            n->count -= (uint32_t)del;
            n->sz = lpBytes(n->entry);
            qlNodeDirty(n);
            touched[ntouched++] = n;
        }
        ql->count -= del;
        left -= del;
        off = 0;
        n = next;
    }
    qlCompress(ql, NULL);
    for (int i = 0; i < ntouched; i++) qlCompress(ql, touched[i]);
    return extent;
}

/* ---- conversion and accessors ----------------------------------------------------------- */

void quicklistAppendListpack(quicklist *ql, unsigned char *lp) {
    quicklistNode *n = qlNodeNew(lp);
    if (n->count == 0) qlPanic("appending an empty listpack");
    qlLinkAfter(ql, ql->tail, n);
    ql->count += n->count;
    qlCompress(ql, n);
}

unsigned char *quicklistToListpack(quicklist *ql) {
    if (ql->len > 1) return NULL;
    unsigned char *lp;
    if (ql->head) {
        qlNodeOpen(ql->head);
        lp = ql->head->entry;
        zfree(ql->head->saved);
        zfree(ql->head);
    } else {
        lp = lpNew(0);
    }
    zfree(ql);
    return lp;
}

size_t quicklistNodeLzf(const quicklistNode *node, const unsigned char **data) {
    if (node->encoding != QL_NODE_LZF) return 0;
    const qlLzf *z = (const qlLzf *)node->entry;
    *data = z->data;
    return z->clen;
}

unsigned char *quicklistNodeListpack(const quicklistNode *node) {
    return node->encoding == QL_NODE_RAW ? node->entry : NULL;
}
