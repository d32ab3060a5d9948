/* listpack.h — Redis 7's listpack: a list of strings and integers in one
 * contiguous allocation.
 *
 * Small hashes, sorted sets and lists are stored as listpacks (DESIGN.md §4),
 * and RDB files carry them as they are, so the bytes are exactly Redis's:
 * a listpack built here by the same sequence of operations is byte for byte
 * the listpack Redis builds, and any listpack Redis wrote can be read here.
 * This file knows nothing of the server: it needs only zmalloc.
 *
 * Layout (all multi-byte numbers little endian; no alignment anywhere):
 *
 *   offset  size  field
 *   0       4     total bytes    the whole listpack, header and end byte too
 *   4       2     num elements   65535 means "unknown, count them"
 *   6       ...   entries
 *   total-1 1     end byte       0xFF
 *
 *   An empty listpack is 7 bytes: 07 00 00 00 00 00 FF.
 *
 * An entry is <encoding+data><backlen>. The first byte says how the value
 * is stored ("data" is the string's bytes, or nothing for integers):
 *
 *   first byte  then            value                          entry (no backlen)
 *   0xxxxxxx                    uint 0..127 in the 7 bits       1
 *   10LLLLLL    L bytes         string, length 0..63            1 + L
 *   110hhhhh    llllllll        int -4096..4095: 13-bit two's   2
 *                               complement, h = high 5 bits
 *   1110LLLL    LLLLLLLL, data  string, length 64..4095 (12     2 + L
 *                               bits, high 4 bits first)
 *   11110000    4-byte len, data string, length >= 4096         5 + L
 *   11110001    2 bytes         int16                           3
 *   11110010    3 bytes         int24                           4
 *   11110011    4 bytes         int32                           5
 *   11110100    8 bytes         int64                           9
 *   11111111                    the end byte, not an entry
 *   (0xF5..0xFE are invalid)
 *
 * backlen is the entry's length without the backlen (the last column), in
 * 1..5 bytes read right to left: the byte just before the next entry holds
 * the lowest 7 bits, and its high bit says "one more byte to the left".
 * Sizes follow Redis exactly, including its boundary quirk:
 *
 *   length <= 127 : 1 byte  | < 16383 : 2 | < 2097151 : 3 | < 268435455 : 4 | else 5
 *
 * (16383 itself takes 3 bytes.) Example: RPUSH l a 1 -5 300 makes
 *
 *   12 00 00 00  04 00  81 61 02  01 01  DF FB 02  C1 2C 02  FF
 *   total=18     count  "a"       1      -5        300       end
 *
 * Which encoding a value gets (the one Redis picks, so the bytes match):
 *  - a string that is a canonical decimal int64 (what Redis's string2ll
 *    accepts: optional '-', no leading zeros, no '+', no spaces, "-0" is not
 *    one, at most 20 chars) is stored as an integer in the smallest of
 *    7-bit uint, 13, 16, 24, 32, 64 bits that holds it;
 *  - any other string by its length: < 64, < 4096, else the 32-bit form.
 * Reading an integer entry back as a string gives exactly the original bytes.
 *
 * The count field: every insert adds one and every delete subtracts one
 * while it is known; at 65535 it becomes unknown and stays so until
 * lpLength() counts the entries and finds fewer than 65535 (it then writes
 * the count back, which is why lpLength takes a non-const listpack).
 *
 * Ownership and pointers. A listpack is one zmalloc block, handed around as
 * `unsigned char *lp`. Every function that changes it may move it and
 * returns the new pointer; the old one is dead. Entry pointers (`p`) point
 * into the block, so they die with any change except through the `newp` /
 * `*p` out-parameters the writers update. Out-of-memory aborts (zmalloc),
 * so nothing here returns NULL for lack of memory.
 *
 * Trust. All functions except lpValidate assume a well-formed listpack (one
 * this file built, or one lpValidate accepted with deep=true). Walking off
 * the end of one is a broken invariant: lpNext/lpPrev check the bounds of
 * each entry they step over and abort with "listpack: ..." rather than read
 * outside the block. lpValidate is the only door for untrusted bytes (RDB,
 * RESTORE): it never reads outside [lp, lp+size) whatever the bytes are.
 *
 * Size limits are the caller's business: hashes and sets convert to other
 * encodings by *-max-listpack-entries/value, lists by list-max-listpack-size.
 * The hard limits here are the 32-bit total (4 GiB) and, like Redis, a
 * safety cap of LP_MAX_SAFE_SIZE (1 GiB) that lpSafeToAdd reports; writing
 * past 4 GiB aborts. lpEntrySize/lpEntrySizeInt tell a caller exactly how
 * many bytes an insert would add, for those decisions.
 *
 * Costs: seeking by index and finding are O(n); inserting or deleting is
 * O(bytes after the point) for the memmove plus a realloc. Listpacks are
 * meant to stay small (a few KiB); quicklist.h chains them for long lists.
 *
 * Threads: none of its own. A listpack belongs to one value, guarded by its
 * shard's lock like the key that holds it.
 */
#ifndef ROOST_LISTPACK_H
#define ROOST_LISTPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LP_HDR_SIZE 6                  /* total bytes + num elements */
#define LP_EMPTY_SIZE 7                /* header + end byte */
#define LP_EOF 0xFF                    /* the end byte */
#define LP_NUMELE_UNKNOWN 65535        /* count field value: count by walking */
#define LP_INTBUF_SIZE 21              /* "-9223372036854775808" plus NUL */
#define LP_MAX_SAFE_SIZE (1u << 30)    /* lpSafeToAdd's cap (Redis's) */

/* where an insert goes relative to the entry p */
enum { LP_BEFORE = 0, LP_AFTER = 1, LP_REPLACE = 2 };

/* lpValue: one entry's value. Exactly one of the two forms is meaningful. */
typedef struct lpValue {
    const unsigned char *sval;  /* string bytes (inside the listpack), or NULL for an integer */
    size_t slen;                /* string length (when sval != NULL) */
    int64_t lval;               /* integer value (when sval == NULL) */
} lpValue;

/* ---- whole listpacks ------------------------------------------------------------ */

/* lpNew returns an empty listpack (7 bytes) in a block of at least capacity
 * bytes, so a caller who knows the final size avoids reallocs. */
unsigned char *lpNew(size_t capacity);

/* lpFree frees lp (NULL is fine). */
void lpFree(unsigned char *lp);

/* lpDup returns a copy of lp, sized exactly. */
unsigned char *lpDup(const unsigned char *lp);

/* lpShrinkToFit gives back the spare capacity lpNew reserved. */
unsigned char *lpShrinkToFit(unsigned char *lp);

/* lpBytes: total bytes (header field). O(1). */
size_t lpBytes(const unsigned char *lp);

/* lpLength: number of entries. O(1) unless the count field is unknown, in
 * which case it walks, and caches the count if it is below 65535. */
unsigned long lpLength(unsigned char *lp);

/* ---- moving around ----------------------------------------------------------------
 * Entry pointers: p points at an entry's first byte. All return NULL past
 * either end. */

unsigned char *lpFirst(unsigned char *lp);
unsigned char *lpLast(unsigned char *lp);
unsigned char *lpNext(unsigned char *lp, unsigned char *p);
unsigned char *lpPrev(unsigned char *lp, unsigned char *p);

/* lpSeek returns the entry at index (0 is the first, -1 the last), or NULL
 * if out of range. Walks from whichever end is nearer when the count is
 * known. */
unsigned char *lpSeek(unsigned char *lp, long index);

/* ---- reading entries ---------------------------------------------------------- */

/* lpGet decodes the entry at p into v. */
void lpGet(const unsigned char *p, lpValue *v);

/* lpGetStr returns the entry's value as bytes: a pointer into the listpack
 * for strings, or buf (LP_INTBUF_SIZE bytes, NUL-terminated) holding the
 * integer formatted in decimal. */
const unsigned char *lpGetStr(const unsigned char *p, size_t *len, unsigned char *buf);

/* lpGetInt: true, with *v set, if the entry is an integer or a string that
 * is a canonical decimal int64 (Redis's string2ll rules). */
bool lpGetInt(const unsigned char *p, int64_t *v);

/* lpValueStr: lpGetStr for a decoded value. */
const unsigned char *lpValueStr(const lpValue *v, size_t *len, unsigned char *buf);

/* lpValueDouble: true, with *d set, if v is an integer or a string strtod
 * reads completely (not NaN). For sorted-set scores, which Redis stores as
 * integers when whole and as their shortest decimal string otherwise. */
bool lpValueDouble(const lpValue *v, double *d);

/* lpEq: whether the entry at p equals the string s[0..len) (an integer
 * entry equals its decimal form). */
bool lpEq(const unsigned char *p, const void *s, size_t len);

/* lpStringToInt64: Redis's lpStringToInt64 / string2ll: true if s[0..len)
 * is a canonical decimal int64 (and so would be stored as an integer). */
bool lpStringToInt64(const void *s, size_t len, int64_t *v);

/* ---- writing ----------------------------------------------------------------------
 * Each returns the (possibly moved) listpack. s may point anywhere, even
 * into lp itself (it is copied first then). */

/* lpInsert inserts s before or after the entry p (LP_BEFORE/LP_AFTER) or
 * replaces it (LP_REPLACE). If newp is not NULL it receives the new entry.
 * p must be an entry of lp (not the end byte). */
unsigned char *lpInsert(unsigned char *lp, unsigned char *p, int where,
                        const void *s, size_t len, unsigned char **newp);
unsigned char *lpInsertInt(unsigned char *lp, unsigned char *p, int where,
                           int64_t v, unsigned char **newp);

unsigned char *lpAppend(unsigned char *lp, const void *s, size_t len);
unsigned char *lpAppendInt(unsigned char *lp, int64_t v);
unsigned char *lpPrepend(unsigned char *lp, const void *s, size_t len);
unsigned char *lpPrependInt(unsigned char *lp, int64_t v);

/* lpAppendValue appends a decoded value (e.g. one read from another
 * listpack; copying within the same one is fine too). */
unsigned char *lpAppendValue(unsigned char *lp, const lpValue *v);

/* lpReplace replaces the entry *p with s; *p is updated to the new entry. */
unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const void *s, size_t len);
unsigned char *lpReplaceInt(unsigned char *lp, unsigned char **p, int64_t v);

/* lpDelete deletes the entry *p; *p becomes the entry that followed it, or
 * NULL if it was the last. */
unsigned char *lpDelete(unsigned char *lp, unsigned char **p);

/* lpDeleteRange deletes count entries starting at index (negative counts
 * from the end); a range running past the end stops there. One memmove. */
unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long count);

/* lpDeleteRangeAt: the same starting at entry *p; *p becomes the entry
 * after the range, or NULL. */
unsigned char *lpDeleteRangeAt(unsigned char *lp, unsigned char **p, unsigned long count);

/* lpMerge returns one listpack holding a's entries then b's, reusing the
 * larger block. a and b are both consumed. The count is known if the sum is
 * below 65535. */
unsigned char *lpMerge(unsigned char *a, unsigned char *b);

/* ---- finding ------------------------------------------------------------------------- */

/* lpFind looks for s starting at the entry p and compares one entry, then
 * skips `skip` entries, and so on: skip=1 visits only keys of a field/value
 * listpack. Returns the matching entry or NULL. s is parsed as an integer
 * once, so integer entries compare without formatting. */
unsigned char *lpFind(unsigned char *lp, unsigned char *p, const void *s, size_t len,
                      unsigned skip);

/* lpFindInt: lpFind for the integer v (matches an integer entry equal to v,
 * or a string entry spelling it). */
unsigned char *lpFindInt(unsigned char *lp, unsigned char *p, int64_t v, unsigned skip);

/* ---- pairs: hash field/value, sorted-set member/score --------------------------------- */

/* lpFindKey: the key entry equal to s in a pair listpack, or NULL; its
 * value is lpNext(lp, key). */
unsigned char *lpFindKey(unsigned char *lp, const void *s, size_t len);

/* lpNextPair decodes the pair whose key is *p into k and v and moves *p to
 * the next pair's key (NULL after the last). Returns false, touching
 * nothing, if *p is NULL or has no value after it. Usage:
 *   for (p = lpFirst(lp); lpNextPair(lp, &p, &k, &v); ) ... */
bool lpNextPair(unsigned char *lp, unsigned char **p, lpValue *k, lpValue *v);

/* lpPrevPair walks backwards: *p is a pair's value entry (start at
 * lpLast(lp)); decodes the pair and moves *p to the previous pair's value. */
bool lpPrevPair(unsigned char *lp, unsigned char **p, lpValue *k, lpValue *v);

/* ---- sizes --------------------------------------------------------------------------- */

/* lpEntrySize: bytes (encoding, data and backlen) that s would add. */
size_t lpEntrySize(const void *s, size_t len);
size_t lpEntrySizeInt(int64_t v);

/* lpSafeToAdd: whether lp (NULL: an empty one) can grow by add bytes and
 * stay within LP_MAX_SAFE_SIZE. */
bool lpSafeToAdd(const unsigned char *lp, size_t add);

/* ---- untrusted bytes ----------------------------------------------------------------- */

/* lpEntryCheck: called by deep validation for each entry, in order, with
 * its index; returning false rejects the listpack (type-level checks such
 * as an even number of entries or valid scores belong there). */
typedef bool (*lpEntryCheck)(unsigned char *p, unsigned long index, void *ud);

/* lpValidate checks that lp[0..size) is a listpack: the header's total
 * equals size, the last byte is the end byte, and, if deep, that every
 * entry has a valid encoding, lies inside the block, has the backlen Redis
 * would write for it, that the entries end exactly at the end byte, and
 * that the count field (unless unknown) is right. check may be NULL.
 * Never reads outside lp[0..size), whatever the bytes. O(size) when deep. */
bool lpValidate(unsigned char *lp, size_t size, bool deep, lpEntryCheck check, void *ud);

#endif
