/* intset.h — a sorted set of integers in one flat block, byte-compatible with
 * Redis's intset (the "intset" encoding of small all-integer sets, and the
 * payload of RDB_TYPE_SET_INTSET = 11).
 *
 * Layout (every multi-byte field little-endian, whatever the host):
 *
 *   offset  size            field
 *   0       4               encoding   bytes per element: 2, 4 or 8 (int16/int32/int64)
 *   4       4               length     number of elements
 *   8       length*encoding contents   the elements, strictly ascending, two's complement
 *
 * So SADD s 1 2 300000 is the 20 bytes (encoding 4: 300000 needs 32 bits)
 *   04 00 00 00  03 00 00 00  01 00 00 00  02 00 00 00  e0 93 04 00
 *
 * Invariants:
 *  - the encoding is wide enough for every element; it only ever grows
 *    ("upgrade", on adding a value that needs more bits) and never shrinks
 *    when the wide values are removed again — as in Redis, so a DUMP of the
 *    same history is byte-identical;
 *  - elements are unique and strictly ascending;
 *  - the block is exactly intsetBlobLen() bytes (every add/remove reallocates
 *    to size; jemalloc keeps that in place within a size class).
 *
 * An intset pointer may move on every modification: the modifying functions
 * return the (possibly new) pointer and the caller stores it back. Elements
 * are read with memcpy, so a blob need not be aligned. Search is binary,
 * O(log n); add and remove are O(n) (memmove), which is why sets convert to
 * a hash table beyond set-max-intset-entries.
 *
 * Untrusted bytes (RDB, RESTORE) go through intsetValidate / intsetFromBlob
 * before any other function sees them; nothing here checks its input again.
 *
 * Not thread-safe; the owner (a key under its shard lock) serialises access.
 */
#ifndef ROOST_INTSET_H
#define ROOST_INTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INTSET_ENC_INT16 2
#define INTSET_ENC_INT32 4
#define INTSET_ENC_INT64 8

typedef struct intset {
    uint32_t encoding;   /* little-endian: bytes per element (2, 4, 8) */
    uint32_t length;     /* little-endian: number of elements */
    int8_t contents[];   /* length * encoding bytes, ascending, little-endian */
} intset;

/* intsetNew: an empty set of encoding int16 (8 bytes). */
intset *intsetNew(void);
void intsetFree(intset *is);
intset *intsetDup(const intset *is);

/* intsetAdd inserts v, upgrading the encoding when v needs more bits. Sets
 * *added (if non-NULL) to whether v was new. Returns the set (may move). */
intset *intsetAdd(intset *is, int64_t v, bool *added);

/* intsetRemove deletes v if present; *removed (if non-NULL) says whether it
 * was. Returns the set (may move). The encoding is kept. */
intset *intsetRemove(intset *is, int64_t v, bool *removed);

/* intsetRemoveAt deletes the element at pos (< length). Returns the set. */
intset *intsetRemoveAt(intset *is, uint32_t pos);

/* intsetSearch: true if v is present, with *pos (if non-NULL) its index;
 * false otherwise, with *pos the index where v would be inserted. */
bool intsetSearch(const intset *is, int64_t v, uint32_t *pos);
bool intsetFind(const intset *is, int64_t v);

/* intsetGet stores the element at pos in *v; false if pos >= length. */
bool intsetGet(const intset *is, uint32_t pos, int64_t *v);

/* intsetRandom returns a uniformly chosen element; the set must not be
 * empty. rnd returns uniformly random 64-bit values. */
int64_t intsetRandom(const intset *is, uint64_t (*rnd)(void));

/* Smallest / largest element; the set must not be empty. */
int64_t intsetMin(const intset *is);
int64_t intsetMax(const intset *is);

uint32_t intsetLen(const intset *is);
uint32_t intsetEncoding(const intset *is);
/* intsetBlobLen: bytes of the serialised form (= the allocation's size). */
size_t intsetBlobLen(const intset *is);

/* intsetValueEncoding: the narrowest encoding that holds v. */
uint32_t intsetValueEncoding(int64_t v);

/* intsetValidate checks that p[0..size) is a well-formed, non-empty intset:
 * header readable, encoding 2/4/8, size == 8 + length*encoding and, when
 * deep, elements strictly ascending (Redis's intsetValidateIntegrity). Never
 * reads outside p[0..size). */
bool intsetValidate(const void *p, size_t size, bool deep);

/* intsetFromBlob: a fresh intset copied from untrusted bytes after a deep
 * validation, or NULL if they are not a valid intset. */
intset *intsetFromBlob(const void *p, size_t size);

#endif
