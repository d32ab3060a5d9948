/* skiplist.h — the sorted-set skiplist, and the zset that pairs it with a
 * dict (the "skiplist" encoding of a sorted set).
 *
 * Semantics are Redis's zskiplist: elements ordered by score, ties broken by
 * the member's bytes (memcmp, then the shorter first); a backward pointer on
 * every node; and on every level a span, the number of level-0 steps the
 * level's forward pointer jumps, so a descent sums spans into a rank in
 * O(log n). Node heights are 1 + one per pair of zero bits, p = 1/4, at most
 * ZSL_MAXLEVEL (32). The height comes from the member's hash (high bits,
 * independent of the dict's bucket bits) rather than a random generator:
 * no generator state, reproducible under a fixed hash seed, unpredictable
 * to clients under the random one.
 *
 * A node is a DICT_ZSET dict entry (layout drawn byte by byte in dict.h):
 * levels below the node pointer, then {next, score, backward, height,
 * member}. One block per member; the dict chains it through `next` and the
 * skiplist through its levels and `backward`. The header is a pseudo-node
 * of which only the levels exist (allocated for the tallest node so far,
 * not for 32 levels: a block of 16*hcap bytes with the header pointer one
 * past its end); the first node's backward is NULL, never the header.
 *
 *   header          n1 (h=2)       n2 (h=1)       n3 (h=3)
 *   L2 [span 3] --------------------------------> L2 [0] -> NULL
 *   L1 [span 1] --> L1 [span 2] ----------------> L1 [0] -> NULL
 *   L0 [span 1] --> L0 [1] ------> L0 [1] ------> L0 [0] -> NULL
 *                   back NULL      back n1        back n2, tail
 *
 * (a span on a NULL forward counts the nodes after its owner: 0 at the
 * tail, the length on the header of an empty level).
 *
 * Ranks in this API are 0-based (ZRANK's), -1 when absent. Score ranges
 * take -inf/+inf as ordinary doubles; NaN scores are a caller bug (panic).
 * Lex ranges assume equal scores, as Redis's do: they walk the list in its
 * order comparing members only.
 *
 * Updating a score keeps the node (its address, height and dict link):
 * when the new score leaves it between its neighbours the update is O(1)
 * in place, otherwise it is unlinked and relinked in O(log n).
 *
 * Range deletions hand each unlinked node to a callback (the zset's removes
 * it from the dict and frees it); with no callback the node is freed.
 *
 * Not thread-safe; the owning key's shard lock serialises access.
 */
#ifndef ROOST_SKIPLIST_H
#define ROOST_SKIPLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/dict.h"

#define ZSL_MAXLEVEL 32

typedef struct zslNode zslNode;

typedef struct zslLevel {
    zslNode *forward;       /* next node on this level, NULL at the end */
    uint64_t span;          /* level-0 steps to forward (to the end if NULL) */
} zslLevel;

struct zslNode {
    zslNode *next;          /* dict chain link (DICT_ZSET entry) */
    double score;
    zslNode *backward;      /* previous node on level 0; NULL for the first */
    uint8_t height;         /* levels, stored just below this struct */
    unsigned char member[]; /* length-prefixed member (dictReadPrefixed) */
};

typedef struct zskiplist {
    zslNode *header;        /* pseudo-node: only its levels exist */
    zslNode *tail;          /* last node, NULL when empty */
    uint64_t length;        /* nodes */
    int level;              /* levels in use, >= 1 */
    int hcap;               /* levels allocated below header */
    void *hblock;           /* start of the header's block: header points past its end,
                               so LeakSanitizer needs this pointer to see the block */
} zskiplist;

/* score range: [min, max] with either end exclusive */
typedef struct zrangespec {
    double min, max;
    bool minex, maxex;
} zrangespec;

/* lex bound: inf < 0 is "-", inf > 0 is "+", else s[0..len) inclusive or
 * exclusive */
typedef struct zlexbound {
    const char *s;
    size_t len;
    int inf;
    bool ex;
} zlexbound;

typedef struct zlexrangespec {
    zlexbound min, max;
} zlexrangespec;

typedef void zslNodeFn(void *arg, zslNode *x);

/* ---- nodes ---------------------------------------------------------------- */

static inline zslLevel *zslLevelOf(const zslNode *x, int i) { return (zslLevel *)x - 1 - i; }
static inline double zslNodeScore(const zslNode *x) { return x->score; }
static inline const char *zslNodeMember(const zslNode *x, size_t *len) {
    return dictReadPrefixed(x->member, len);
}
static inline zslNode *zslFirst(const zskiplist *zsl) { return zslLevelOf(zsl->header, 0)->forward; }
static inline zslNode *zslLast(const zskiplist *zsl) { return zsl->tail; }
static inline zslNode *zslNext(const zslNode *x) { return zslLevelOf(x, 0)->forward; }
static inline zslNode *zslPrev(const zslNode *x) { return x->backward; }
/* zslNodeBytes: the node's allocated size. */
size_t zslNodeBytes(const zslNode *x);
void zslFreeNode(zslNode *x);
/* zslLevelForHash: the height a member with this hash gets. */
int zslLevelForHash(uint64_t h);

/* ---- the list ------------------------------------------------------------- */

void zslInit(zskiplist *zsl);
/* zslDestroy frees the header, and every node if freeNodes. */
void zslDestroy(zskiplist *zsl, bool freeNodes);
zskiplist *zslCreate(void);
void zslFree(zskiplist *zsl);          /* frees nodes too */

/* zslInsert links a new node for (score, m); that pair must be absent.
 * Hashed: h = dictHashKey(m, len) already known. O(log n). */
zslNode *zslInsert(zskiplist *zsl, double score, const char *m, size_t len);
zslNode *zslInsertHashed(zskiplist *zsl, double score, const char *m, size_t len, uint64_t h);
/* zslDeleteNode unlinks x (not freed). O(log n). */
void zslDeleteNode(zskiplist *zsl, zslNode *x);
/* zslDelete unlinks the node for (score, m) and returns it, NULL if absent. */
zslNode *zslDelete(zskiplist *zsl, double score, const char *m, size_t len);
/* zslUpdateScore moves x to newscore: O(1) if it stays between its
 * neighbours, else unlink + relink. x keeps its address. */
void zslUpdateScore(zskiplist *zsl, zslNode *x, double newscore);

/* zslRank: 0-based rank of (score, m), -1 if absent. O(log n). */
int64_t zslRank(const zskiplist *zsl, double score, const char *m, size_t len);
/* zslByRank: the node at 0-based rank, NULL if out of range. O(log n). */
zslNode *zslByRank(const zskiplist *zsl, uint64_t rank);

/* zslIsInRange: a quick O(1) test, false when no element can be in r (the
 * range is empty, or outside the first..last scores); true does not promise
 * an element (one may fall in a gap). */
bool zslIsInRange(const zskiplist *zsl, const zrangespec *r);
zslNode *zslFirstInRange(const zskiplist *zsl, const zrangespec *r);
zslNode *zslLastInRange(const zskiplist *zsl, const zrangespec *r);
bool zslIsInLexRange(const zskiplist *zsl, const zlexrangespec *r);
zslNode *zslFirstInLexRange(const zskiplist *zsl, const zlexrangespec *r);
zslNode *zslLastInLexRange(const zskiplist *zsl, const zlexrangespec *r);

/* Range deletions: unlink every node in range, pass each to fn (or free it
 * if fn is NULL), return how many. Ranks are 0-based, inclusive. */
uint64_t zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r, zslNodeFn *fn, void *arg);
uint64_t zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r, zslNodeFn *fn, void *arg);
uint64_t zslDeleteRangeByRank(zskiplist *zsl, uint64_t start, uint64_t end, zslNodeFn *fn, void *arg);

/* ---- range specs (shared with the listpack encoding) ---------------------- */

bool zslValueGteMin(double v, const zrangespec *r);
bool zslValueLteMax(double v, const zrangespec *r);
bool zslLexGteMin(const char *m, size_t len, const zlexrangespec *r);
bool zslLexLteMax(const char *m, size_t len, const zlexrangespec *r);
/* zslLexCmp: Redis's member order (memcmp, then the shorter first). */
int zslLexCmp(const char *a, size_t alen, const char *b, size_t blen);

/* zslParseScoreBound parses "1.5", "(1.5", "-inf", "+inf" ... like Redis's
 * ZRANGEBYSCORE (strtod over the whole argument, NaN rejected). */
bool zslParseScoreBound(const char *s, size_t len, double *v, bool *ex);
bool zslParseScoreRange(const char *min, size_t minlen, const char *max, size_t maxlen,
                        zrangespec *r);
/* zslParseLexRange parses "[a" / "(a" / "-" / "+" bounds; the spec points
 * into the arguments, which must outlive it. */
bool zslParseLexBound(const char *s, size_t len, zlexbound *b);
bool zslParseLexRange(const char *min, size_t minlen, const char *max, size_t maxlen,
                      zlexrangespec *r);

/* ---- zset: dict (member -> node, O(1) score) + skiplist (order) ----------- */

typedef struct zset {
    dict *dict;             /* DICT_ZSET: member -> its node */
    zskiplist zsl;          /* the same nodes in (score, member) order */
} zset;

zset *zsetCreate(void);
void zsetFree(zset *zs);
zset *zsetDup(const zset *zs);
static inline uint64_t zsetLen(const zset *zs) { return zs->zsl.length; }
/* zsetFind: the member's node (score, rank, iteration from it), or NULL. */
zslNode *zsetFind(zset *zs, const char *m, size_t len);
bool zsetScore(zset *zs, const char *m, size_t len, double *score);
/* zsetAdd sets m's score: 1 if added, 0 if it existed (score updated). */
int zsetAdd(zset *zs, double score, const char *m, size_t len);
/* zsetInsert adds m, which must be absent (bulk loads); returns its node. */
zslNode *zsetInsert(zset *zs, double score, const char *m, size_t len);
void zsetUpdateScore(zset *zs, zslNode *x, double score);
bool zsetDelete(zset *zs, const char *m, size_t len);
/* zsetDeleteNode removes x from both structures and frees it. */
void zsetDeleteNode(zset *zs, zslNode *x);
/* zsetRank: 0-based rank of m (from the top if reverse), -1 if absent. */
int64_t zsetRank(zset *zs, const char *m, size_t len, bool reverse);
uint64_t zsetDeleteRangeByScore(zset *zs, const zrangespec *r);
uint64_t zsetDeleteRangeByLex(zset *zs, const zlexrangespec *r);
uint64_t zsetDeleteRangeByRank(zset *zs, uint64_t start, uint64_t end);
/* zsetMemUsage: bytes of the struct, dict, header and nodes (samples as in
 * dictMemUsage). */
size_t zsetMemUsage(const zset *zs, size_t samples);

#endif
