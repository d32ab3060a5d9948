/* intset.c — sorted integer set in one block (layout and invariants:
 * intset.h).
 *
 * Every access to the header or to an element goes through the four little
 * helpers below (rdLe32/wrLe32, getAt/setAt), which memcpy and byte-swap on a
 * big-endian host; the compiler turns them into single loads and stores on
 * the little-endian machines we run on.
 *
 * Upgrade: a value that does not fit the current encoding is smaller than
 * every element or larger than every element, so after widening the
 * existing elements in place (back to front, so no element is overwritten
 * before it is read) it goes at one end, without a search.
 */
#include "storage/intset.h"
#include "storage/zmalloc.h"

#include <string.h>

#define HDR ((size_t)sizeof(intset))

/* ---- byte order -------------------------------------------------------- */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LE16(x) __builtin_bswap16(x)
#define LE32(x) __builtin_bswap32(x)
#define LE64(x) __builtin_bswap64(x)
#else
#define LE16(x) (x)
#define LE32(x) (x)
#define LE64(x) (x)
#endif

static inline uint32_t rdLe32(const void *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return LE32(v);
}

static inline void wrLe32(void *p, uint32_t v) {
    v = LE32(v);
    memcpy(p, &v, 4);
}

/* getEnc reads element pos of contents c under encoding enc. */
static inline int64_t getEnc(const int8_t *c, uint32_t pos, uint32_t enc) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v;
        memcpy(&v, c + (size_t)pos * 8, 8);
        return (int64_t)LE64(v);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v;
        memcpy(&v, c + (size_t)pos * 4, 4);
        return (int32_t)LE32(v);
    } else {
        uint16_t v;
        memcpy(&v, c + (size_t)pos * 2, 2);
        return (int16_t)LE16(v);
    }
}

static inline void setEnc(int8_t *c, uint32_t pos, uint32_t enc, int64_t x) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v = LE64((uint64_t)x);
        memcpy(c + (size_t)pos * 8, &v, 8);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v = LE32((uint32_t)(int32_t)x);
        memcpy(c + (size_t)pos * 4, &v, 4);
    } else {
        uint16_t v = LE16((uint16_t)(int16_t)x);
        memcpy(c + (size_t)pos * 2, &v, 2);
    }
}

/* ---- accessors ---------------------------------------------------------- */

uint32_t intsetLen(const intset *is) { return rdLe32(&is->length); }
uint32_t intsetEncoding(const intset *is) { return rdLe32(&is->encoding); }

size_t intsetBlobLen(const intset *is) {
    return HDR + (size_t)intsetLen(is) * intsetEncoding(is);
}

static inline int64_t getAt(const intset *is, uint32_t pos) {
    return getEnc(is->contents, pos, intsetEncoding(is));
}

static inline void setLen(intset *is, uint32_t n) { wrLe32(&is->length, n); }

uint32_t intsetValueEncoding(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
    if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

/* ---- construction ------------------------------------------------------ */

intset *intsetNew(void) {
    intset *is = zmalloc(HDR);
    wrLe32(&is->encoding, INTSET_ENC_INT16);
    wrLe32(&is->length, 0);
    return is;
}

void intsetFree(intset *is) {
    if (is) zfreeSized(is, intsetBlobLen(is));
}

intset *intsetDup(const intset *is) { return zmemdup(is, intsetBlobLen(is)); }

/* resize reallocates is to hold n elements of its current encoding. */
static intset *resize(intset *is, uint32_t n) {
    return zrealloc(is, HDR + (size_t)n * intsetEncoding(is));
}

/* ---- search ------------------------------------------------------------- */

bool intsetSearch(const intset *is, int64_t v, uint32_t *pos) {
    uint32_t n = intsetLen(is), enc = intsetEncoding(is);
    if (n == 0) {
        if (pos) *pos = 0;
        return false;
    }
    /* the common appends and prepends, and values too wide to be present */
    if (v > getEnc(is->contents, n - 1, enc)) {
        if (pos) *pos = n;
        return false;
    }
    if (v < getEnc(is->contents, 0, enc)) {
        if (pos) *pos = 0;
        return false;
    }
    uint32_t lo = 0, hi = n;           /* answer in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = getEnc(is->contents, mid, enc);
        if (cur == v) {
            if (pos) *pos = mid;
            return true;
        }
        if (cur < v) lo = mid + 1;
        else hi = mid;
    }
    if (pos) *pos = lo;
    return false;
}

bool intsetFind(const intset *is, int64_t v) {
    return intsetValueEncoding(v) <= intsetEncoding(is) && intsetSearch(is, v, NULL);
}

bool intsetGet(const intset *is, uint32_t pos, int64_t *v) {
    if (pos >= intsetLen(is)) return false;
    *v = getAt(is, pos);
    return true;
}

int64_t intsetRandom(const intset *is, uint64_t (*rnd)(void)) {
    return getAt(is, (uint32_t)(rnd() % intsetLen(is)));
}

int64_t intsetMin(const intset *is) { return getAt(is, 0); }
int64_t intsetMax(const intset *is) { return getAt(is, intsetLen(is) - 1); }

/* ---- modification ------------------------------------------------------ */

/* upgradeAndAdd widens is to v's encoding and puts v at the front (v < 0:
 * smaller than everything) or the back (larger than everything). */
static intset *upgradeAndAdd(intset *is, int64_t v) {
    uint32_t oldEnc = intsetEncoding(is), newEnc = intsetValueEncoding(v);
    uint32_t n = intsetLen(is);
    uint32_t front = v < 0 ? 1 : 0;
    is = zrealloc(is, HDR + (size_t)(n + 1) * newEnc);
    for (uint32_t i = n; i-- > 0;)      /* back to front: never read a clobbered slot */
        setEnc(is->contents, i + front, newEnc, getEnc(is->contents, i, oldEnc));
    wrLe32(&is->encoding, newEnc);
    setEnc(is->contents, front ? 0 : n, newEnc, v);
    setLen(is, n + 1);
    return is;
}

intset *intsetAdd(intset *is, int64_t v, bool *added) {
    if (intsetValueEncoding(v) > intsetEncoding(is)) {
        if (added) *added = true;
        return upgradeAndAdd(is, v);
    }
    uint32_t pos;
    if (intsetSearch(is, v, &pos)) {
        if (added) *added = false;
        return is;
    }
    uint32_t n = intsetLen(is), enc = intsetEncoding(is);
    is = resize(is, n + 1);
    if (pos < n)
        memmove(is->contents + (size_t)(pos + 1) * enc, is->contents + (size_t)pos * enc,
                (size_t)(n - pos) * enc);
    setEnc(is->contents, pos, enc, v);
    setLen(is, n + 1);
    if (added) *added = true;
    return is;
}

intset *intsetRemoveAt(intset *is, uint32_t pos) {
    uint32_t n = intsetLen(is), enc = intsetEncoding(is);
    if (pos + 1 < n)
        memmove(is->contents + (size_t)pos * enc, is->contents + (size_t)(pos + 1) * enc,
                (size_t)(n - pos - 1) * enc);
    setLen(is, n - 1);
    return resize(is, n - 1);
}

intset *intsetRemove(intset *is, int64_t v, bool *removed) {
    uint32_t pos;
    bool found = intsetValueEncoding(v) <= intsetEncoding(is) && intsetSearch(is, v, &pos);
    if (removed) *removed = found;
    return found ? intsetRemoveAt(is, pos) : is;
}

/* ---- untrusted input --------------------------------------------------- */

bool intsetValidate(const void *p, size_t size, bool deep) {
    if (size < HDR) return false;
    uint32_t enc = rdLe32(p), n = rdLe32((const char *)p + 4);
    if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64)
        return false;
    if (n == 0 || HDR + (size_t)n * enc != size) return false;   /* 64-bit size_t: no overflow */
    if (!deep) return true;
    const int8_t *c = (const int8_t *)p + HDR;
    int64_t prev = getEnc(c, 0, enc);
    for (uint32_t i = 1; i < n; i++) {
        int64_t cur = getEnc(c, i, enc);
        if (cur <= prev) return false;
        prev = cur;
    }
    return true;
}

intset *intsetFromBlob(const void *p, size_t size) {
    if (!intsetValidate(p, size, true)) return NULL;
    return zmemdup(p, size);
}
