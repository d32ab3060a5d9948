/* sha1.h — SHA-1 (FIPS 180-4), for the script cache: EVALSHA names a
 * script by the SHA-1 of its body, printed as 40 lowercase hex digits
 * (redis.sha1hex, SCRIPT LOAD). Not for security.
 *
 * Streaming use: sha1Init, any number of sha1Update, sha1Final. The context
 * holds at most one partial 64-byte block; nothing is allocated.
 */
#ifndef ROOST_SHA1_H
#define ROOST_SHA1_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha1Ctx {
    uint32_t h[5];
    uint64_t bytes;               /* message length so far */
    unsigned char block[64];
    size_t used;                  /* bytes waiting in block */
} sha1Ctx;

void sha1Init(sha1Ctx *x);
void sha1Update(sha1Ctx *x, const void *p, size_t len);
void sha1Final(sha1Ctx *x, unsigned char digest[20]);

/* sha1Hex writes the 40 hex digits of SHA-1(p) and a NUL into out. */
void sha1Hex(const void *p, size_t len, char out[41]);

#endif
