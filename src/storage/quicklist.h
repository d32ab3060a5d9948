/* quicklist.h — Redis's quicklist: a doubly linked list of listpack nodes,
 * optionally LZF-compressing the nodes away from both ends.
 *
 *   head                                                         tail
 *    |                                                             |
 *   [lp: a b c] <-> [LZF(lp: d e f g)] <-> [LZF(lp: h i)] <-> [lp: j k]
 *   '- depth 1 -'   '------- compressed inner nodes ----'   '- depth 1 -'
 *
 * Lists are what it is for (LPUSH/RPOP at either end in O(1), LINDEX and
 * LINSERT by walking nodes, then entries). Like Redis, roost keeps small
 * lists as a single plain listpack and converts (see "For t_list" below).
 *
 * Node size: `fill` is list-max-listpack-size.
 *   fill > 0     at most fill entries per node (and, as in Redis 7.2, a node
 *                with more than one entry stays within 8 KiB);
 *   fill = 0     one entry per node;
 *   fill -1..-5  at most 4, 8, 16, 32, 64 KiB of listpack per node
 *                (smaller values are clamped to -5, larger than 32767 to it).
 * A single entry that is larger than the limit gets a node of its own: a
 * node always holds at least one entry and never zero (empty nodes are
 * freed at once), so `len` nodes hold `count` >= `len` entries.
 *
 * Compression: `compress` is list-compress-depth. 0 = never. d > 0 = the d
 * nodes at each end stay raw (pushes and pops touch only those), every
 * inner node is stored LZF-compressed (lzf.h) if that saves more than 8
 * bytes and the node has at least 48 bytes (Redis's MIN_COMPRESS_BYTES and
 * MIN_COMPRESS_IMPROVE). A node found incompressible is flagged and not
 * retried until it changes. A compressed node is decompressed in place when
 * something reads or writes it; when it is left, its old LZF bytes are put
 * back if it did not change, else it is compressed again. Between
 * calls (no iterator open) this holds: the d nodes at each end are raw,
 * every other node is LZF unless flagged incompressible.
 *
 * Node layout of a compressed entry (what RDB writes as an LZF string):
 *   qlLzf { size_t clen; unsigned char data[clen]; } and node->sz is the
 *   uncompressed listpack size. Redis saves compressed nodes as they are
 *   (rdbSaveLzfBlob(data, clen, sz)); quicklistNodeLzf exposes that.
 *
 * No PLAIN nodes. Redis 7 can hold one huge element (>= its 1 GiB
 * quicklist-packed-threshold) in a "plain" node that is not a listpack.
 * roost never creates them: an element of any size sits in a listpack node
 * of its own (listpacks go to 4 GiB; proto-max-bulk-len caps elements at
 * 512 MiB by default). An RDB loader meeting a PLAIN container (type 1 in
 * QUICKLIST_2) wraps the element into a one-entry listpack and appends it
 * with quicklistAppendListpack.
 *
 * Ownership and threads: a quicklist belongs to one list value, guarded by
 * its shard's lock; no internal locking. All memory is zmalloc'd.
 *
 * Iterators are caller-allocated (stack) structs; while one is open, the
 * list may be changed only through it (quicklistDelEntry; the insert and
 * replace calls end its use). Entry pointers and string values handed out
 * by an iterator stay valid until its next call.
 *
 * For t_list (Redis 7.2's listpack <-> quicklist conversion):
 *  - start a list as a plain listpack while
 *    !quicklistNodeExceedsLimit(fill, lpBytes(lp) + added bytes, count + added)
 *    (lpEntrySize gives exact byte counts);
 *  - when it would exceed, quicklistCreate(fill, depth) +
 *    quicklistAppendListpack(ql, lp) (the listpack becomes the first node);
 *  - when a quicklist shrinks to one node below half the limits
 *    (quicklistNodeLimit, halved), quicklistToListpack(ql) takes its
 *    listpack back out and frees the quicklist.
 */
#ifndef ROOST_QUICKLIST_H
#define ROOST_QUICKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/listpack.h"

#define QL_HEAD 0                  /* push/pop at the head; iterate head -> tail */
#define QL_TAIL 1                  /* push/pop at the tail; iterate tail -> head */

#define QL_NODE_RAW 1              /* node->entry is a listpack (Redis's numbering) */
#define QL_NODE_LZF 2              /* node->entry is a qlLzf */

#define QL_FILL_MAX 32767          /* largest positive fill */
#define QL_COMPRESS_MAX 65535      /* largest compress depth */
#define QL_SIZE_SAFETY_LIMIT 8192  /* count-based fill: multi-entry nodes stay under this */

typedef struct qlLzf {
    size_t clen;                   /* compressed bytes in data */
    unsigned char data[];          /* LZF of the node's listpack */
} qlLzf;

typedef struct quicklistNode {
    struct quicklistNode *prev;    /* towards the head; NULL at the head */
    struct quicklistNode *next;    /* towards the tail; NULL at the tail */
    unsigned char *entry;          /* listpack (RAW) or qlLzf (LZF) */
    size_t sz;                     /* listpack bytes (uncompressed size when LZF) */
    uint32_t count;                /* entries in the listpack; >= 1 */
    uint8_t encoding;              /* QL_NODE_RAW or QL_NODE_LZF */
    uint8_t recompress;            /* decompressed for access: recheck when left */
    uint8_t incompressible;        /* compression failed; cleared when the node changes */
    qlLzf *saved;                  /* while open: the LZF it came from, put back if unchanged */
} quicklistNode;

typedef struct quicklist {
    quicklistNode *head;           /* first node, NULL when empty */
    quicklistNode *tail;           /* last node */
    unsigned long count;           /* entries in all nodes */
    unsigned long len;             /* nodes */
    int fill;                      /* list-max-listpack-size, clamped */
    unsigned compress;             /* list-compress-depth, 0 = off */
} quicklist;

/* quicklistEntry: one element, as an iterator returns it. */
typedef struct quicklistEntry {
    quicklistNode *node;           /* node holding it (raw while the iterator is here) */
    unsigned char *p;              /* the entry in node's listpack */
    lpValue v;                     /* its value; strings point into the listpack */
    long offset;                   /* index of the entry within its node */
} quicklistEntry;

typedef struct quicklistIter {
    quicklist *ql;                 /* the list; NULL once an insert/replace ended the walk */
    quicklistNode *node;           /* current node (raw while here), NULL when done */
    unsigned char *p;              /* last entry returned, NULL: none yet in node */
    unsigned char *pending;        /* entry the next call returns without moving */
    long offset;                   /* index of p within node */
    int dir;                       /* QL_HEAD: towards the tail; QL_TAIL: towards the head */
} quicklistIter;

/* ---- lists -------------------------------------------------------------------------- */

/* quicklistCreate: an empty list with fill and compress clamped into range. */
quicklist *quicklistCreate(int fill, int compress);

/* quicklistRelease frees the list and all its nodes. */
void quicklistRelease(quicklist *ql);

/* quicklistDup: a deep copy (compressed nodes are copied compressed). */
quicklist *quicklistDup(const quicklist *ql);

static inline unsigned long quicklistCount(const quicklist *ql) { return ql->count; }

/* quicklistAllocSize: bytes of all node entries plus the structs, for
 * MEMORY USAGE (compressed nodes count compressed). */
size_t quicklistAllocSize(const quicklist *ql);

/* ---- ends --------------------------------------------------------------------------- */

/* quicklistPush adds s at the head or tail (QL_HEAD / QL_TAIL). */
void quicklistPush(quicklist *ql, int where, const void *s, size_t len);
void quicklistPushHead(quicklist *ql, const void *s, size_t len);
void quicklistPushTail(quicklist *ql, const void *s, size_t len);

/* quicklistPopWith removes the head or tail element, first passing its
 * value to fn (strings valid only during the call). false if empty. */
bool quicklistPopWith(quicklist *ql, int where, void (*fn)(void *ud, const lpValue *v), void *ud);

/* quicklistPop removes the head or tail element. A string comes back as a
 * zmalloc'd copy in *data, length *len (caller zfree's it); an integer as
 * *data = NULL and *lval. false if empty. */
bool quicklistPop(quicklist *ql, int where, unsigned char **data, size_t *len, int64_t *lval);

/* ---- iteration ---------------------------------------------------------------------- */

/* quicklistIterInit starts a walk from the head (dir QL_HEAD) or the tail
 * (QL_TAIL). */
void quicklistIterInit(quicklistIter *it, quicklist *ql, int dir);

/* quicklistIterInitAt starts a walk at index (negative from the tail) going
 * in dir; its first quicklistNext returns that element. false (and a
 * finished iterator) if the index is out of range. Walks nodes from the
 * nearer end. */
bool quicklistIterInitAt(quicklistIter *it, quicklist *ql, int dir, long index);

/* quicklistNext fills e with the next element; false at the end. */
bool quicklistNext(quicklistIter *it, quicklistEntry *e);

/* quicklistIterDone closes the iterator (recompresses the node it was on).
 * Always call it, also after an insert/replace or a false Next. */
void quicklistIterDone(quicklistIter *it);

/* quicklistDelEntry deletes e, the element the last quicklistNext returned;
 * the walk continues with the element after it in the iterator's
 * direction. */
void quicklistDelEntry(quicklistIter *it, quicklistEntry *e);

/* quicklistInsertBefore / quicklistInsertAfter insert s next to e (the
 * element the last quicklistNext returned). The iterator may only be
 * closed afterwards. Nodes that are full split; small neighbours merge. */
void quicklistInsertBefore(quicklistIter *it, quicklistEntry *e, const void *s, size_t len);
void quicklistInsertAfter(quicklistIter *it, quicklistEntry *e, const void *s, size_t len);

/* quicklistReplaceEntry replaces e with s; the iterator may only be closed
 * afterwards. */
void quicklistReplaceEntry(quicklistIter *it, quicklistEntry *e, const void *s, size_t len);

/* ---- by index ----------------------------------------------------------------------- */

/* quicklistReplaceAtIndex: LSET. false if index is out of range. */
bool quicklistReplaceAtIndex(quicklist *ql, long index, const void *s, size_t len);

/* quicklistDelRange deletes count elements from start (negative from the
 * tail), clipped to the list; returns how many went. Whole nodes are freed
 * without being decompressed. */
unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count);

/* ---- nodes, limits and conversion ------------------------------------------------------ */

/* quicklistNodeLimit: the byte and entry limits a fill value sets
 * (SIZE_MAX / UINT_MAX = no limit of that kind). */
void quicklistNodeLimit(int fill, size_t *sz, unsigned *count);

/* quicklistNodeExceedsLimit: whether a listpack of new_sz bytes and
 * new_count entries is too big for a node (or a listpack-encoded list). */
bool quicklistNodeExceedsLimit(int fill, size_t new_sz, unsigned long new_count);

/* quicklistAppendListpack adds lp (owned from now on, must be non-empty)
 * as a new tail node, as it is, whatever its size: for RDB loading and the
 * listpack -> quicklist conversion. */
void quicklistAppendListpack(quicklist *ql, unsigned char *lp);

/* quicklistToListpack: if the list has at most one node, frees the list
 * and returns that node's listpack (an empty one for an empty list);
 * otherwise returns NULL and leaves the list alone. */
unsigned char *quicklistToListpack(quicklist *ql);

/* quicklistNodeLzf: for a compressed node, sets *data to the LZF bytes and
 * returns their length (node->sz is the uncompressed length); 0 if raw. */
size_t quicklistNodeLzf(const quicklistNode *node, const unsigned char **data);

/* quicklistNodeListpack: the node's listpack if it is raw, NULL if it is
 * compressed (use quicklistNodeLzf then). For RDB saving and DEBUG. */
unsigned char *quicklistNodeListpack(const quicklistNode *node);

#endif
