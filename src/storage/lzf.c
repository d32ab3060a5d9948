/* lzf.c — LZF-format compression (see lzf.h for the format).
 *
 * Compressor: one pass, greedy. A hash of the next three input bytes indexes
 * a table holding the last position (plus one; 0 = empty) where that hash
 * was seen; a candidate is used if it is at most 8192 bytes back and its
 * first three bytes really match, then extended as far as it goes (264 at
 * most). Every position inside a match is hashed too, which costs a little
 * speed and buys noticeably better ratios on the repetitive listpacks that
 * quicklists hold. The table is cleared per call (only the 2^hlog slots
 * this input size uses), so the output depends only on the input.
 */
#include "storage/lzf.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LZF_HLOG_MAX 13             /* hash table slots: up to 2^13 */
#define LZF_MAX_LIT 32              /* longest literal run per control byte */
#define LZF_MAX_OFF 8192            /* farthest back reference */
#define LZF_MAX_REF (7 + 255 + 2)   /* longest back reference */

static _Thread_local uint32_t lzfHtab[1u << LZF_HLOG_MAX];

static inline uint32_t lzfHash(const unsigned char *p, unsigned hlog) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - hlog);
}

/* lzfEmitLiterals writes in[0..n) as literal runs; false if out is full. */
static bool lzfEmitLiterals(unsigned char *out, size_t *op, size_t outcap,
                            const unsigned char *in, size_t n) {
    while (n) {
        size_t c = n < LZF_MAX_LIT ? n : LZF_MAX_LIT;
        if (*op + 1 + c > outcap) return false;
        out[(*op)++] = (unsigned char)(c - 1);
        memcpy(out + *op, in, c);
        *op += c;
        in += c;
        n -= c;
    }
    return true;
}

/* lzfEmitRef writes a back reference of len (3..264) bytes, dist (1..8192)
 * bytes back; false if out is full. */
static bool lzfEmitRef(unsigned char *out, size_t *op, size_t outcap, size_t len, size_t dist) {
    size_t l = len - 2, off = dist - 1;
    if (l < 7) {
        if (*op + 2 > outcap) return false;
        out[(*op)++] = (unsigned char)((l << 5) | (off >> 8));
    } else {
        if (*op + 3 > outcap) return false;
        out[(*op)++] = (unsigned char)((7 << 5) | (off >> 8));
        out[(*op)++] = (unsigned char)(l - 7);
    }
    out[(*op)++] = (unsigned char)(off & 0xff);
    return true;
}

size_t lzfCompress(const void *in_, size_t inlen, void *out_, size_t outcap) {
    const unsigned char *in = in_;
    unsigned char *out = out_;
    if (inlen == 0 || inlen >= UINT32_MAX) return 0;
    unsigned hlog = 8;
    while (hlog < LZF_HLOG_MAX && ((size_t)1 << hlog) < inlen) hlog++;
    memset(lzfHtab, 0, sizeof(uint32_t) << hlog);

    size_t ip = 0, op = 0, lit = 0;   /* lit: start of the pending literals */
    while (ip + 2 < inlen) {
        uint32_t h = lzfHash(in + ip, hlog);
        size_t ref = lzfHtab[h];
        lzfHtab[h] = (uint32_t)(ip + 1);
        if (ref-- == 0 || ip - ref > LZF_MAX_OFF || memcmp(in + ref, in + ip, 3) != 0) {
            ip++;
            continue;
        }
        size_t max = inlen - ip < LZF_MAX_REF ? inlen - ip : LZF_MAX_REF;
        size_t len = 3;
        while (len < max && in[ref + len] == in[ip + len]) len++;
        if (!lzfEmitLiterals(out, &op, outcap, in + lit, ip - lit)) return 0;
        if (!lzfEmitRef(out, &op, outcap, len, ip - ref)) return 0;
        for (size_t k = ip + 1; k < ip + len && k + 2 < inlen; k++)
            lzfHtab[lzfHash(in + k, hlog)] = (uint32_t)(k + 1);
        ip += len;
        lit = ip;
    }
    if (!lzfEmitLiterals(out, &op, outcap, in + lit, inlen - lit)) return 0;
    return op;
}

size_t lzfDecompress(const void *in_, size_t inlen, void *out_, size_t outcap) {
    const unsigned char *in = in_;
    unsigned char *out = out_;
    size_t ip = 0, op = 0;
    while (ip < inlen) {
        unsigned c = in[ip++];
        if (c < 32) {                           /* literal run of c+1 bytes */
            size_t n = (size_t)c + 1;
            if (n > inlen - ip || n > outcap - op) return 0;
            memcpy(out + op, in + ip, n);
            ip += n;
            op += n;
            continue;
        }
        size_t len = c >> 5;                    /* back reference */
        if (len == 7) {
            if (ip >= inlen) return 0;
            len += in[ip++];
        }
        len += 2;
        if (ip >= inlen) return 0;
        size_t dist = (((size_t)c & 0x1f) << 8) + in[ip++] + 1;
        if (dist > op || len > outcap - op) return 0;
        unsigned char *d = out + op, *s = d - dist;
        for (size_t i = 0; i < len; i++) d[i] = s[i];   /* may overlap: forwards */
        op += len;
    }
    return op;
}
