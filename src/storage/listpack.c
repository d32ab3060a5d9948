/* listpack.c — Redis 7's listpack (format and contracts in listpack.h).
 *
 * Banners, in order: encoding constants and byte helpers / encoding values /
 * walking / reading / writing / whole listpacks / finding and pairs / sizes /
 * validation.
 *
 * Every write goes through one primitive, lpSplice(): replace the bytes of
 * at most one entry (or of nothing) at a position by one encoded entry (or
 * by nothing). Growing reallocs before the memmove, shrinking after it, so
 * the block never holds fewer bytes than are in use. A block may be larger
 * than lpBytes() (lpNew's capacity, or jemalloc's size class): growth only
 * reallocs when the usable size runs out.
 *
 * Walking trusts the listpack (see "Trust" in listpack.h) but checks that
 * each step lands inside the block, so a bug elsewhere aborts with a
 * message instead of reading foreign memory. lpValidate has its own
 * bounds-checked walk and is the only code that reads untrusted bytes.
 */
#include "storage/listpack.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/zmalloc.h"

/* ---- encoding constants and byte helpers ---------------------------------------- */

#define LP_ENC_7BIT_UINT   0x00    /* 0xxxxxxx */
#define LP_ENC_6BIT_STR    0x80    /* 10xxxxxx */
#define LP_ENC_13BIT_INT   0xC0    /* 110xxxxx */
#define LP_ENC_12BIT_STR   0xE0    /* 1110xxxx */
#define LP_ENC_32BIT_STR   0xF0
#define LP_ENC_16BIT_INT   0xF1
#define LP_ENC_24BIT_INT   0xF2
#define LP_ENC_32BIT_INT   0xF3
#define LP_ENC_64BIT_INT   0xF4

__attribute__((noreturn, cold)) static void lpPanic(const char *what) {
    fprintf(stderr, "listpack: %s\n", what);
    fflush(stderr);
    abort();
}

static inline uint32_t lpRd32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void lpWr32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline unsigned lpNumEle(const unsigned char *lp) { return lp[4] | (unsigned)lp[5] << 8; }

static inline void lpSetNumEle(unsigned char *lp, unsigned long n) {
    if (n > LP_NUMELE_UNKNOWN) n = LP_NUMELE_UNKNOWN;
    lp[4] = (unsigned char)n;
    lp[5] = (unsigned char)(n >> 8);
}

static inline void lpSetTotal(unsigned char *lp, size_t n) { lpWr32(lp, (uint32_t)n); }

size_t lpBytes(const unsigned char *lp) { return lpRd32(lp); }

/* lpBacklenSize: bytes of the backlen for an entry of length l (Redis's
 * thresholds, quirk at 16383 included). */
static inline unsigned lpBacklenSize(uint64_t l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
}

/* lpBacklenWrite: highest 7 bits first with no flag; every later byte has
 * the 0x80 "more to the left" flag; the last byte holds the lowest 7. */
static void lpBacklenWrite(unsigned char *buf, uint64_t l) {
    unsigned n = lpBacklenSize(l);
    for (unsigned i = 0; i < n; i++) {
        unsigned char b = (unsigned char)((l >> (7 * (n - 1 - i))) & 127);
        buf[i] = i ? (unsigned char)(b | 128) : b;
    }
}

/* lpBacklenRead decodes the backlen whose last byte is at p, reading
 * leftwards but never below lo. */
static uint64_t lpBacklenRead(const unsigned char *p, const unsigned char *lo) {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7, p--) {
        if (p < lo || shift > 28) lpPanic("corrupt backlen");
        v |= (uint64_t)(p[0] & 127) << shift;
        if (!(p[0] & 128)) return v;
    }
}

/* lpHeaderBytes: how many bytes of an entry must be readable to know its
 * length; 0 for the end byte and the invalid 0xF5..0xFE. */
static inline unsigned lpHeaderBytes(unsigned b) {
    if (b < 0xE0) return 1;                          /* 7-bit, 6-bit str, 13-bit */
    if ((b & 0xF0) == LP_ENC_12BIT_STR) return 2;
    if (b == LP_ENC_32BIT_STR) return 5;
    if (b >= LP_ENC_16BIT_INT && b <= LP_ENC_64BIT_INT) return 1;
    return 0;
}

/* lpEncodedSize: an entry's length without its backlen, from its first
 * lpHeaderBytes() bytes; 0 if the first byte is not an entry. */
static uint64_t lpEncodedSize(const unsigned char *p) {
    unsigned b = p[0];
    if (b < 0x80) return 1;
    if ((b & 0xC0) == LP_ENC_6BIT_STR) return 1 + (b & 0x3F);
    if ((b & 0xE0) == LP_ENC_13BIT_INT) return 2;
    if ((b & 0xF0) == LP_ENC_12BIT_STR) return 2 + ((uint64_t)(b & 0x0F) << 8 | p[1]);
    switch (b) {
    case LP_ENC_32BIT_STR: return 5 + (uint64_t)lpRd32(p + 1);
    case LP_ENC_16BIT_INT: return 3;
    case LP_ENC_24BIT_INT: return 4;
    case LP_ENC_32BIT_INT: return 5;
    case LP_ENC_64BIT_INT: return 9;
    default: return 0;
    }
}

/* ---- encoding values ---------------------------------------------------------------- */

/* lpEnc: one entry ready to be written: hdr, then data, then a backlen. */
typedef struct lpEnc {
    unsigned char hdr[9];         /* encoding byte(s); for integers the whole entry */
    unsigned hdrlen;              /* bytes used in hdr */
    const unsigned char *data;    /* string bytes, NULL for integers */
    size_t datalen;               /* string length */
} lpEnc;

static void lpEncodeInt(lpEnc *e, int64_t v) {
    uint64_t u = (uint64_t)v;     /* two's complement; the low bits are kept */
    unsigned nbytes;
    e->data = NULL;
    e->datalen = 0;
    if (v >= 0 && v <= 127) {
        e->hdr[0] = (unsigned char)v;
        e->hdrlen = 1;
        return;
    }
    if (v >= -4096 && v <= 4095) {
        u &= 0x1FFF;
        e->hdr[0] = (unsigned char)(LP_ENC_13BIT_INT | (u >> 8));
        e->hdr[1] = (unsigned char)(u & 0xFF);
        e->hdrlen = 2;
        return;
    }
    if (v >= INT16_MIN && v <= INT16_MAX) {
        e->hdr[0] = LP_ENC_16BIT_INT, nbytes = 2;
    } else if (v >= -8388608 && v <= 8388607) {
        e->hdr[0] = LP_ENC_24BIT_INT, nbytes = 3;
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        e->hdr[0] = LP_ENC_32BIT_INT, nbytes = 4;
    } else {
        e->hdr[0] = LP_ENC_64BIT_INT, nbytes = 8;
    }
    for (unsigned i = 0; i < nbytes; i++) e->hdr[1 + i] = (unsigned char)(u >> (8 * i));
    e->hdrlen = 1 + nbytes;
}

/* lpEncodeString: as an integer if canonical, else by length class. */
static void lpEncodeString(lpEnc *e, const void *s, size_t len) {
    int64_t v;
    if (lpStringToInt64(s, len, &v)) {
        lpEncodeInt(e, v);
        return;
    }
    if (len > UINT32_MAX) lpPanic("string longer than 4 GiB");
    e->data = s;
    e->datalen = len;
    if (len < 64) {
        e->hdr[0] = (unsigned char)(LP_ENC_6BIT_STR | len);
        e->hdrlen = 1;
    } else if (len < 4096) {
        e->hdr[0] = (unsigned char)(LP_ENC_12BIT_STR | (len >> 8));
        e->hdr[1] = (unsigned char)(len & 0xFF);
        e->hdrlen = 2;
    } else {
        e->hdr[0] = LP_ENC_32BIT_STR;
        lpWr32(e->hdr + 1, (uint32_t)len);
        e->hdrlen = 5;
    }
}

static inline uint64_t lpEncLen(const lpEnc *e) { return e->hdrlen + e->datalen; }

bool lpStringToInt64(const void *s_, size_t len, int64_t *out) {
    const unsigned char *s = s_;
    size_t i = 0;
    bool neg = false;
    if (len == 0 || len > 20) return false;
    if (s[0] == '-') {
        if (len == 1) return false;
        neg = true;
        i = 1;
    }
    if (s[i] == '0') {                  /* only "0" itself may start with 0 */
        if (len != 1) return false;
        *out = 0;
        return true;
    }
    uint64_t v = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)s[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1) return false;
        *out = (int64_t)(0 - v);
    } else {
        if (v > (uint64_t)INT64_MAX) return false;
        *out = (int64_t)v;
    }
    return true;
}

/* lpFormatInt writes v in decimal plus a NUL into buf; returns the length. */
static size_t lpFormatInt(unsigned char *buf, int64_t v) {
    unsigned char tmp[20];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0, len = 0;
    do {
        tmp[n++] = (unsigned char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

/* ---- walking -------------------------------------------------------------------------- */

/* lpSkip returns the position after the entry p: the next entry or the end
 * byte. Aborts if the entry does not fit in the block. */
static unsigned char *lpSkip(unsigned char *lp, unsigned char *p) {
    uint64_t n = lpEncodedSize(p);
    if (n == 0) lpPanic("invalid entry encoding");
    n += lpBacklenSize(n);
    unsigned char *end = lp + lpBytes(lp) - 1;
    if (n > (uint64_t)(end - p)) lpPanic("entry runs past the end");
    return p + n;
}

/* lpEntryBytes: the entry's full length, backlen included (trusted). */
static inline uint64_t lpEntryBytes(const unsigned char *p) {
    uint64_t n = lpEncodedSize(p);
    return n + lpBacklenSize(n);
}

unsigned char *lpFirst(unsigned char *lp) {
    return lpBytes(lp) > LP_EMPTY_SIZE ? lp + LP_HDR_SIZE : NULL;
}

unsigned char *lpNext(unsigned char *lp, unsigned char *p) {
    unsigned char *q = lpSkip(lp, p);
    return q == lp + lpBytes(lp) - 1 ? NULL : q;
}

/* lpPrev also accepts the end byte's position (that is how lpLast works). */
unsigned char *lpPrev(unsigned char *lp, unsigned char *p) {
    unsigned char *first = lp + LP_HDR_SIZE;
    if (p <= first) return NULL;
    uint64_t l = lpBacklenRead(p - 1, first);
    uint64_t n = l + lpBacklenSize(l);
    if (n > (uint64_t)(p - first)) lpPanic("backlen points before the first entry");
    return p - n;
}

unsigned char *lpLast(unsigned char *lp) { return lpPrev(lp, lp + lpBytes(lp) - 1); }

unsigned long lpLength(unsigned char *lp) {
    unsigned n = lpNumEle(lp);
    if (n != LP_NUMELE_UNKNOWN) return n;
    unsigned long count = 0;
    unsigned char *end = lp + lpBytes(lp) - 1;
    for (unsigned char *p = lp + LP_HDR_SIZE; p != end; p = lpSkip(lp, p)) count++;
    if (count < LP_NUMELE_UNKNOWN) lpSetNumEle(lp, count);
    return count;
}

unsigned char *lpSeek(unsigned char *lp, long index) {
    unsigned n = lpNumEle(lp);
    bool known = n != LP_NUMELE_UNKNOWN;
    bool forward = index >= 0;
    unsigned long steps;
    if (known) {
        if (index < 0) index += (long)n;
        if (index < 0 || (unsigned long)index >= n) return NULL;
        forward = (unsigned long)index <= n / 2;
        steps = forward ? (unsigned long)index : n - 1 - (unsigned long)index;
    } else {
        steps = forward ? (unsigned long)index : (unsigned long)(-(index + 1));
    }
    unsigned char *p = forward ? lpFirst(lp) : lpLast(lp);
    while (p && steps--) p = forward ? lpNext(lp, p) : lpPrev(lp, p);
    return p;
}

/* ---- reading -------------------------------------------------------------------------- */

/* lpSignExtend: the bits-wide two's complement value u as an int64. */
static inline int64_t lpSignExtend(uint64_t u, unsigned bits) {
    uint64_t m = 1ULL << (bits - 1);
    return (int64_t)((u ^ m) - m);
}

static uint64_t lpRdLE(const unsigned char *p, unsigned n) {
    uint64_t u = 0;
    for (unsigned i = 0; i < n; i++) u |= (uint64_t)p[i] << (8 * i);
    return u;
}

void lpGet(const unsigned char *p, lpValue *v) {
    unsigned b = p[0];
    v->sval = NULL;
    v->slen = 0;
    v->lval = 0;
    if (b < 0x80) {
        v->lval = b;
    } else if ((b & 0xC0) == LP_ENC_6BIT_STR) {
        v->sval = p + 1;
        v->slen = b & 0x3F;
    } else if ((b & 0xE0) == LP_ENC_13BIT_INT) {
        v->lval = lpSignExtend((uint64_t)(b & 0x1F) << 8 | p[1], 13);
    } else if ((b & 0xF0) == LP_ENC_12BIT_STR) {
        v->sval = p + 2;
        v->slen = (size_t)(b & 0x0F) << 8 | p[1];
    } else {
        switch (b) {
        case LP_ENC_32BIT_STR: v->sval = p + 5; v->slen = lpRd32(p + 1); break;
        case LP_ENC_16BIT_INT: v->lval = lpSignExtend(lpRdLE(p + 1, 2), 16); break;
        case LP_ENC_24BIT_INT: v->lval = lpSignExtend(lpRdLE(p + 1, 3), 24); break;
        case LP_ENC_32BIT_INT: v->lval = lpSignExtend(lpRdLE(p + 1, 4), 32); break;
        case LP_ENC_64BIT_INT: v->lval = lpSignExtend(lpRdLE(p + 1, 8), 64); break;
        default: lpPanic("invalid entry encoding");
        }
    }
}

const unsigned char *lpValueStr(const lpValue *v, size_t *len, unsigned char *buf) {
    if (v->sval) {
        *len = v->slen;
        return v->sval;
    }
    *len = lpFormatInt(buf, v->lval);
    return buf;
}

const unsigned char *lpGetStr(const unsigned char *p, size_t *len, unsigned char *buf) {
    lpValue v;
    lpGet(p, &v);
    return lpValueStr(&v, len, buf);
}

bool lpGetInt(const unsigned char *p, int64_t *out) {
    lpValue v;
    lpGet(p, &v);
    if (v.sval) return lpStringToInt64(v.sval, v.slen, out);
    *out = v.lval;
    return true;
}

bool lpValueDouble(const lpValue *v, double *d) {
    if (!v->sval) {
        *d = (double)v->lval;
        return true;
    }
    char buf[128], *end;
    if (v->slen == 0 || v->slen >= sizeof buf) return false;
    memcpy(buf, v->sval, v->slen);
    buf[v->slen] = '\0';
    errno = 0;
    double x = strtod(buf, &end);
    if (end != buf + v->slen || isnan(x)) return false;
    *d = x;
    return true;
}

bool lpEq(const unsigned char *p, const void *s, size_t len) {
    lpValue v;
    lpGet(p, &v);
    if (v.sval) return v.slen == len && memcmp(v.sval, s, len) == 0;
    int64_t x;
    return lpStringToInt64(s, len, &x) && x == v.lval;
}

/* ---- writing -------------------------------------------------------------------------- */

/* lpSplice replaces `oldsz` bytes at p (one whole entry, or 0 bytes at an
 * entry or the end byte) by the entry e (or by nothing if e is NULL), and
 * fixes the header: total always, count by `delta` while it is known.
 * *newp receives the new entry (insert/replace) or the entry now at p
 * (delete; NULL if that is the end byte). */
static unsigned char *lpSplice(unsigned char *lp, unsigned char *p, uint64_t oldsz,
                               const lpEnc *e, long delta, unsigned char **newp) {
    size_t off = (size_t)(p - lp), oldtotal = lpBytes(lp);
    uint64_t enclen = e ? lpEncLen(e) : 0;
    uint64_t newsz = e ? enclen + lpBacklenSize(enclen) : 0;
    uint64_t newtotal = oldtotal - oldsz + newsz;
    if (newtotal > UINT32_MAX) lpPanic("listpack would exceed 4 GiB");
    if (newtotal > oldtotal && newtotal > zmallocSize(lp)) lp = zrealloc(lp, newtotal);
    p = lp + off;
    memmove(p + newsz, p + oldsz, oldtotal - off - oldsz);
    if (newtotal < oldtotal) {
        lp = zrealloc(lp, newtotal);
        p = lp + off;
    }
    if (e) {
        memcpy(p, e->hdr, e->hdrlen);
        if (e->datalen) memcpy(p + e->hdrlen, e->data, e->datalen);
        lpBacklenWrite(p + enclen, enclen);
    }
    lpSetTotal(lp, newtotal);
    unsigned n = lpNumEle(lp);
    if (delta && n != LP_NUMELE_UNKNOWN) lpSetNumEle(lp, (unsigned long)((long)n + delta));
    if (newp) *newp = (!e && off == newtotal - 1) ? NULL : p;
    return lp;
}

/* lpInsertEnc: lpInsert's body for an encoded value. s (e->data) must not
 * point into lp; the public wrappers see to that. */
static unsigned char *lpInsertEnc(unsigned char *lp, unsigned char *p, int where, const lpEnc *e,
                                  unsigned char **newp) {
    switch (where) {
    case LP_BEFORE: return lpSplice(lp, p, 0, e, 1, newp);
    case LP_AFTER: return lpSplice(lp, lpSkip(lp, p), 0, e, 1, newp);
    case LP_REPLACE: return lpSplice(lp, p, lpEntryBytes(p), e, 0, newp);
    default: lpPanic("bad insert position");
    }
}

/* lpInsertStr encodes s, copying it first if it lies inside lp. */
static unsigned char *lpInsertStr(unsigned char *lp, unsigned char *p, int where, const void *s,
                                  size_t len, unsigned char **newp) {
    lpEnc e;
    void *copy = NULL;
    lpEncodeString(&e, s, len);
    uintptr_t at = (uintptr_t)e.data, base = (uintptr_t)lp;
    if (e.datalen && at >= base && at < base + lpBytes(lp)) e.data = copy = zmemdup(e.data, len);
    lp = lpInsertEnc(lp, p, where, &e, newp);
    if (copy) zfree(copy);
    return lp;
}

static inline unsigned char *lpEndPos(unsigned char *lp) { return lp + lpBytes(lp) - 1; }

unsigned char *lpInsert(unsigned char *lp, unsigned char *p, int where, const void *s, size_t len,
                        unsigned char **newp) {
    return lpInsertStr(lp, p, where, s, len, newp);
}

unsigned char *lpInsertInt(unsigned char *lp, unsigned char *p, int where, int64_t v,
                           unsigned char **newp) {
    lpEnc e;
    lpEncodeInt(&e, v);
    return lpInsertEnc(lp, p, where, &e, newp);
}

unsigned char *lpAppend(unsigned char *lp, const void *s, size_t len) {
    return lpInsertStr(lp, lpEndPos(lp), LP_BEFORE, s, len, NULL);
}

unsigned char *lpAppendInt(unsigned char *lp, int64_t v) {
    return lpInsertInt(lp, lpEndPos(lp), LP_BEFORE, v, NULL);
}

unsigned char *lpPrepend(unsigned char *lp, const void *s, size_t len) {
    return lpInsertStr(lp, lp + LP_HDR_SIZE, LP_BEFORE, s, len, NULL);
}

unsigned char *lpPrependInt(unsigned char *lp, int64_t v) {
    return lpInsertInt(lp, lp + LP_HDR_SIZE, LP_BEFORE, v, NULL);
}

unsigned char *lpAppendValue(unsigned char *lp, const lpValue *v) {
    return v->sval ? lpAppend(lp, v->sval, v->slen) : lpAppendInt(lp, v->lval);
}

unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const void *s, size_t len) {
    return lpInsertStr(lp, *p, LP_REPLACE, s, len, p);
}

unsigned char *lpReplaceInt(unsigned char *lp, unsigned char **p, int64_t v) {
    return lpInsertInt(lp, *p, LP_REPLACE, v, p);
}

unsigned char *lpDelete(unsigned char *lp, unsigned char **p) {
    return lpSplice(lp, *p, lpEntryBytes(*p), NULL, -1, p);
}

unsigned char *lpDeleteRangeAt(unsigned char *lp, unsigned char **p, unsigned long count) {
    unsigned char *start = *p, *q = start, *end = lpEndPos(lp);
    unsigned long n = 0;
    while (n < count && q != end) {
        q = lpSkip(lp, q);
        n++;
    }
    size_t off = (size_t)(start - lp), total = lpBytes(lp), gone = (size_t)(q - start);
    memmove(start, q, total - (size_t)(q - lp));
    if (gone) lp = zrealloc(lp, total - gone);
    lpSetTotal(lp, total - gone);
    unsigned num = lpNumEle(lp);
    if (num != LP_NUMELE_UNKNOWN) lpSetNumEle(lp, num - n);
    *p = off == total - gone - 1 ? NULL : lp + off;
    return lp;
}

unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long count) {
    unsigned char *p = lpSeek(lp, index);
    if (!p || count == 0) return lp;
    return lpDeleteRangeAt(lp, &p, count);
}

unsigned char *lpMerge(unsigned char *a, unsigned char *b) {
    unsigned long count = lpLength(a) + lpLength(b);
    size_t ta = lpBytes(a), tb = lpBytes(b);
    uint64_t total = (uint64_t)ta + tb - LP_EMPTY_SIZE;
    if (total > UINT32_MAX) lpPanic("merged listpack would exceed 4 GiB");
    unsigned char *m;
    if (ta >= tb) {                    /* append b's entries (and end byte) to a */
        m = zrealloc(a, total);
        memcpy(m + ta - 1, b + LP_HDR_SIZE, tb - LP_HDR_SIZE);
        lpFree(b);
    } else {                           /* slide b's entries right, put a's in front */
        m = zrealloc(b, total);
        memmove(m + ta - 1, m + LP_HDR_SIZE, tb - LP_HDR_SIZE);
        memcpy(m + LP_HDR_SIZE, a + LP_HDR_SIZE, ta - LP_EMPTY_SIZE);
        lpFree(a);
    }
    lpSetTotal(m, total);
    lpSetNumEle(m, count);
    return m;
}

/* ---- whole listpacks ------------------------------------------------------------------ */

unsigned char *lpNew(size_t capacity) {
    unsigned char *lp = zmalloc(capacity > LP_EMPTY_SIZE ? capacity : LP_EMPTY_SIZE);
    lpSetTotal(lp, LP_EMPTY_SIZE);
    lpSetNumEle(lp, 0);
    lp[LP_HDR_SIZE] = LP_EOF;
    return lp;
}

void lpFree(unsigned char *lp) { zfree(lp); }

unsigned char *lpDup(const unsigned char *lp) { return zmemdup(lp, lpBytes(lp)); }

unsigned char *lpShrinkToFit(unsigned char *lp) {
    size_t n = lpBytes(lp);
    return zmallocSize(lp) > zmallocUsable(n) ? zrealloc(lp, n) : lp;
}

/* ---- finding and pairs ---------------------------------------------------------------- */

unsigned char *lpFind(unsigned char *lp, unsigned char *p, const void *s, size_t len,
                      unsigned skip) {
    int64_t sv;
    bool sint = lpStringToInt64(s, len, &sv);
    unsigned left = 0;                 /* entries still to skip */
    for (; p; p = lpNext(lp, p)) {
        if (left) {
            left--;
            continue;
        }
        lpValue v;
        lpGet(p, &v);
        if (v.sval ? v.slen == len && memcmp(v.sval, s, len) == 0 : sint && v.lval == sv)
            return p;
        left = skip;
    }
    return NULL;
}

unsigned char *lpFindInt(unsigned char *lp, unsigned char *p, int64_t v, unsigned skip) {
    unsigned char buf[LP_INTBUF_SIZE];
    return lpFind(lp, p, buf, lpFormatInt(buf, v), skip);
}

unsigned char *lpFindKey(unsigned char *lp, const void *s, size_t len) {
    unsigned char *p = lpFirst(lp);
    return p ? lpFind(lp, p, s, len, 1) : NULL;
}

bool lpNextPair(unsigned char *lp, unsigned char **p, lpValue *k, lpValue *v) {
    if (!*p) return false;
    unsigned char *vp = lpNext(lp, *p);
    if (!vp) return false;
    lpGet(*p, k);
    lpGet(vp, v);
    *p = lpNext(lp, vp);
    return true;
}

bool lpPrevPair(unsigned char *lp, unsigned char **p, lpValue *k, lpValue *v) {
    if (!*p) return false;
    unsigned char *kp = lpPrev(lp, *p);
    if (!kp) return false;
    lpGet(kp, k);
    lpGet(*p, v);
    *p = lpPrev(lp, kp);
    return true;
}

/* ---- sizes ---------------------------------------------------------------------------- */

size_t lpEntrySize(const void *s, size_t len) {
    lpEnc e;
    lpEncodeString(&e, s, len);
    return lpEncLen(&e) + lpBacklenSize(lpEncLen(&e));
}

size_t lpEntrySizeInt(int64_t v) {
    lpEnc e;
    lpEncodeInt(&e, v);
    return e.hdrlen + 1;           /* integer entries are at most 9 bytes: 1-byte backlen */
}

bool lpSafeToAdd(const unsigned char *lp, size_t add) {
    size_t len = lp ? lpBytes(lp) : 0;
    return len + add <= LP_MAX_SAFE_SIZE;
}

/* ---- validation ----------------------------------------------------------------------- */

bool lpValidate(unsigned char *lp, size_t size, bool deep, lpEntryCheck check, void *ud) {
    if (size < LP_EMPTY_SIZE || size > UINT32_MAX) return false;
    if (lpRd32(lp) != size || lp[size - 1] != LP_EOF) return false;
    if (!deep) return true;
    unsigned char *p = lp + LP_HDR_SIZE, *end = lp + size - 1;
    unsigned long count = 0;
    while (p < end) {
        size_t room = (size_t)(end - p);         /* bytes before the end byte */
        unsigned hb = lpHeaderBytes(p[0]);
        if (hb == 0 || hb > room) return false;
        uint64_t enclen = lpEncodedSize(p);
        unsigned bl = lpBacklenSize(enclen);
        if (enclen + bl > room) return false;
        unsigned char want[5];
        lpBacklenWrite(want, enclen);
        if (memcmp(p + enclen, want, bl) != 0) return false;
        if (check && !check(p, count, ud)) return false;
        count++;
        p += enclen + bl;
    }
    unsigned n = lpNumEle(lp);
    return n == LP_NUMELE_UNKNOWN || n == count;
}
