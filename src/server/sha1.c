/* sha1.c — SHA-1 as FIPS 180-4 §6.1 specifies it (contract: sha1.h).
 *
 * Each 64-byte block is read as sixteen big-endian words, expanded to
 * eighty with W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]), and mixed
 * into the five state words in four rounds of twenty steps (Ch, Parity,
 * Maj, Parity, with their constants). Padding: 0x80, zeros up to 56 mod 64,
 * then the bit length as a big-endian 64-bit number.
 */
#include "server/sha1.h"

#include <string.h>

static inline uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void compress(uint32_t h[5], const unsigned char *b) {
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)b[4 * t] << 24 | (uint32_t)b[4 * t + 1] << 16 |
               (uint32_t)b[4 * t + 2] << 8 | (uint32_t)b[4 * t + 3];
    for (int t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) { f = (bb & c) | (~bb & d); k = 0x5A827999u; }
        else if (t < 40) { f = bb ^ c ^ d; k = 0x6ED9EBA1u; }
        else if (t < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8F1BBCDCu; }
        else { f = bb ^ c ^ d; k = 0xCA62C1D6u; }
        uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(bb, 30);
        bb = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void sha1Init(sha1Ctx *x) {
    x->h[0] = 0x67452301u;
    x->h[1] = 0xEFCDAB89u;
    x->h[2] = 0x98BADCFEu;
    x->h[3] = 0x10325476u;
    x->h[4] = 0xC3D2E1F0u;
    x->bytes = 0;
    x->used = 0;
}

void sha1Update(sha1Ctx *x, const void *p, size_t len) {
    const unsigned char *s = p;
    x->bytes += len;
    if (x->used) {
        size_t take = 64 - x->used < len ? 64 - x->used : len;
        memcpy(x->block + x->used, s, take);
        x->used += take;
        s += take;
        len -= take;
        if (x->used < 64) return;
        compress(x->h, x->block);
        x->used = 0;
    }
    for (; len >= 64; s += 64, len -= 64) compress(x->h, s);
    memcpy(x->block, s, len);
    x->used = len;
}

void sha1Final(sha1Ctx *x, unsigned char digest[20]) {
    uint64_t bits = x->bytes * 8;
    x->block[x->used++] = 0x80;
    if (x->used > 56) {
        memset(x->block + x->used, 0, 64 - x->used);
        compress(x->h, x->block);
        x->used = 0;
    }
    memset(x->block + x->used, 0, 56 - x->used);
    for (int i = 0; i < 8; i++) x->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    compress(x->h, x->block);
    for (int i = 0; i < 20; i++) digest[i] = (unsigned char)(x->h[i / 4] >> (24 - 8 * (i % 4)));
}

void sha1Hex(const void *p, size_t len, char out[41]) {
    static const char hex[] = "0123456789abcdef";
    sha1Ctx x;
    unsigned char d[20];
    sha1Init(&x);
    sha1Update(&x, p, len);
    sha1Final(&x, d);
    for (int i = 0; i < 20; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[40] = '\0';
}
