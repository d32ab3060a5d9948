/* hash.h — the keyspace hash function.
 *
 * A 64-bit keyed hash (multiply-fold mixing, 16 bytes per round) with a
 * per-process random seed, so clients cannot pick colliding keys ahead of
 * time. Shards use the top bits of a key's hash and hash tables the low
 * bits, so the two choices are independent.
 */
#ifndef ROOST_HASH_H
#define ROOST_HASH_H

#include <stddef.h>
#include <stdint.h>

/* hashSeedInit seeds from the kernel's random source (or a fixed seed for
 * reproducible tests when `fixed` is nonzero). Call once before use. */
void hashSeedInit(uint64_t fixed);
uint64_t hashBytes(const void *p, size_t n);
/* hashBytesNocase: the same for ASCII case-insensitive keys (command names). */
uint64_t hashBytesNocase(const void *p, size_t n);

#endif
