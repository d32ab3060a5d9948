/* rdbenc.c — RDB lengths, strings and the payload trailer (see rdbenc.h).
 * Readers are safe on untrusted input: every read is bounds-checked and a
 * decompressed string must come out exactly as long as it says. */
#include "persist/rdbenc.h"
#include "storage/crc64.h"
#include "storage/lzf.h"
#include "storage/object.h"
#include "storage/zmalloc.h"

#include <string.h>

#define RDB_ENC_INT8 0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF 3
#define RDB_MAX_STRING (512ull << 20)   /* proto-max-bulk-len's default: no bigger string */

void rdbBufPut(rdbBuf *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) cap *= 2;
        b->p = zrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void rdbBufFree(rdbBuf *b) {
    zfree(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void rdbPutLen(rdbBuf *b, uint64_t len) {
    unsigned char h[9];
    if (len < (1 << 6)) {
        h[0] = (unsigned char)len;
        rdbBufPut(b, h, 1);
    } else if (len < (1 << 14)) {
        h[0] = (unsigned char)(0x40 | (len >> 8));
        h[1] = (unsigned char)len;
        rdbBufPut(b, h, 2);
    } else if (len <= UINT32_MAX) {
        h[0] = 0x80;
        for (int i = 0; i < 4; i++) h[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        rdbBufPut(b, h, 5);
    } else {
        h[0] = 0x81;
        for (int i = 0; i < 8; i++) h[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        rdbBufPut(b, h, 9);
    }
}

/* putLzf stores s compressed if that saves at least 4 bytes */
static bool putLzf(rdbBuf *b, const char *s, size_t len) {
    if (len <= 4) return false;
    unsigned char *out = zmalloc(len - 4);
    size_t n = lzfCompress(s, len, out, len - 4);
    if (n) {
        unsigned char h = 0xC0 | RDB_ENC_LZF;
        rdbBufPut(b, &h, 1);
        rdbPutLen(b, n);
        rdbPutLen(b, len);
        rdbBufPut(b, out, n);
    }
    zfree(out);
    return n != 0;
}

void rdbPutString(rdbBuf *b, const char *s, size_t len) {
    if (len > 20 && putLzf(b, s, len)) return;
    rdbPutLen(b, len);
    rdbBufPut(b, s, len);
}

void rdbPutTrailer(rdbBuf *b) {
    unsigned char t[10];
    t[0] = RDB_VERSION & 0xff;
    t[1] = (RDB_VERSION >> 8) & 0xff;
    rdbBufPut(b, t, 2);
    uint64_t crc = crc64(0, b->p, b->len);
    for (int i = 0; i < 8; i++) t[i] = (unsigned char)(crc >> (8 * i));
    rdbBufPut(b, t, 8);
}

bool rdbCheckTrailer(const unsigned char *p, size_t len) {
    if (len < 10) return false;
    const unsigned char *t = p + len - 10;
    unsigned version = t[0] | (unsigned)t[1] << 8;
    if (version > RDB_VERSION) return false;
    uint64_t crc = 0;
    for (int i = 0; i < 8; i++) crc |= (uint64_t)t[2 + i] << (8 * i);
    return crc64(0, p, len - 8) == crc;
}

/* getLen reads a length or a special encoding (*special set) */
static bool getLen(const unsigned char **p, const unsigned char *end, uint64_t *v, bool *special) {
    if (*p >= end) return false;
    unsigned char h = *(*p)++;
    *special = false;
    switch (h >> 6) {
    case 0: *v = h & 0x3f; return true;
    case 1:
        if (*p >= end) return false;
        *v = (uint64_t)(h & 0x3f) << 8 | *(*p)++;
        return true;
    case 3: *special = true; *v = h & 0x3f; return true;
    }
    int n = h == 0x80 ? 4 : h == 0x81 ? 8 : 0;
    if (!n || end - *p < n) return false;
    *v = 0;
    for (int i = 0; i < n; i++) *v = *v << 8 | *(*p)++;
    return true;
}

static char *getIntString(const unsigned char **p, const unsigned char *end, int enc, size_t *outlen) {
    int n = enc == RDB_ENC_INT8 ? 1 : enc == RDB_ENC_INT16 ? 2 : 4;
    if (end - *p < n) return NULL;
    uint32_t u = 0;
    for (int i = 0; i < n; i++) u |= (uint32_t)(*p)[i] << (8 * i);
    *p += n;
    long long v = n == 1 ? (int8_t)u : n == 2 ? (int16_t)u : (int32_t)u;
    char *s = zmalloc(24);
    *outlen = (size_t)ll2str(s, v);
    return s;
}

static char *getLzfString(const unsigned char **p, const unsigned char *end, size_t *outlen) {
    uint64_t clen, len;
    bool sp;
    if (!getLen(p, end, &clen, &sp) || sp || !getLen(p, end, &len, &sp) || sp) return NULL;
    if (clen > (uint64_t)(end - *p) || len == 0 || len > RDB_MAX_STRING) return NULL;
    char *s = zmalloc(len + 1);
    if (lzfDecompress(*p, clen, s, len) != len) {
        zfree(s);
        return NULL;
    }
    *p += clen;
    s[len] = '\0';
    *outlen = len;
    return s;
}

char *rdbGetString(const unsigned char **p, const unsigned char *end, size_t *outlen) {
    uint64_t len;
    bool special;
    if (!getLen(p, end, &len, &special)) return NULL;
    if (special) {
        if (len <= RDB_ENC_INT32) return getIntString(p, end, (int)len, outlen);
        return len == RDB_ENC_LZF ? getLzfString(p, end, outlen) : NULL;
    }
    if (len > (uint64_t)(end - *p)) return NULL;
    char *s = zmalloc(len + 1);
    memcpy(s, *p, len);
    s[len] = '\0';
    *p += len;
    *outlen = len;
    return s;
}
