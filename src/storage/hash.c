/* hash.c — see hash.h. The mixing step multiplies two 64-bit words to a
 * 128-bit product and folds it (hi ^ lo): every input bit reaches every
 * output bit after two rounds. Reads are unaligned-safe (memcpy). */
#include "storage/hash.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#define K0 0xa0761d6478bd642full
#define K1 0xe7037ed1a0b428dbull
#define K2 0x8ebc6af09c88c6e3ull

static uint64_t seed = 0x2d358dccaa6c78a5ull;

void hashSeedInit(uint64_t fixed) {
    if (fixed) { seed = fixed; return; }
    uint64_t s;
    if (getrandom(&s, sizeof s, 0) == (ssize_t)sizeof s) seed = s;
}

static inline uint64_t fold(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint64_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static inline uint64_t hashCore(const uint8_t *p, size_t n, uint64_t s) {
    uint64_t a = 0, b = 0;
    size_t len = n;
    if (n <= 16) {
        if (n >= 8) { a = rd64(p); b = rd64(p + n - 8); }
        else if (n >= 4) { a = rd32(p); b = rd32(p + n - 4); }
        else if (n > 0) { a = ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1]; }
    } else {
        while (n > 16) {
            s = fold(rd64(p) ^ K1, rd64(p + 8) ^ s);
            p += 16;
            n -= 16;
        }
        a = rd64(p + n - 16);
        b = rd64(p + n - 8);
    }
    return fold(K1 ^ len, fold(a ^ K1, b ^ s));
}

uint64_t hashBytes(const void *p, size_t n) {
    return hashCore(p, n, seed ^ K0);
}

uint64_t hashBytesNocase(const void *p, size_t n) {
    uint8_t buf[64];
    const uint8_t *s = p;
    if (n > sizeof buf) n = sizeof buf;   /* command names are short */
    for (size_t i = 0; i < n; i++) buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
    return hashCore(buf, n, seed ^ K2);
}
