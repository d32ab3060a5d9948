/* object.c — kvobj construction, copying and freeing; raw strings; number
 * formatting. Layout and invariants: object.h. */
#include "storage/object.h"
#include "storage/zmalloc.h"

#include <limits.h>
#include <stdlib.h>

static const kvTypeOps *typeOps[16];

void kvRegisterType(int type, const kvTypeOps *ops) { typeOps[type] = ops; }

/* ---- raw strings ------------------------------------------------------- */

rstr *rstrNew(const char *p, size_t len, size_t cap) {
    if (cap < len) cap = len;
    size_t sz = zmallocUsable(sizeof(rstr) + cap + 1);
    rstr *s = zmalloc(sz);
    s->len = len;
    s->cap = sz - sizeof(rstr) - 1;
    if (p && len) memcpy(s->buf, p, len);
    s->buf[len] = '\0';
    return s;
}

rstr *rstrGrow(rstr *s, size_t need) {
    if (s->cap >= need) return s;
    size_t cap = need < 1024 * 1024 ? need * 2 : need + 1024 * 1024;   /* sds's greedy growth */
    size_t sz = zmallocUsable(sizeof(rstr) + cap + 1);
    s = zrealloc(s, sz);
    s->cap = sz - sizeof(rstr) - 1;
    return s;
}

void rstrFree(rstr *s) { zfree(s); }

/* ---- kvobj ---------------------------------------------------------------- */

static size_t kvHeaderSize(size_t klen, int64_t expire) {
    return KV_HDR + (expire >= 0 ? 12 : 0) + (klen >= 255 ? 4 : 0) + klen;
}

kvobj *kvNew(const char *key, size_t klen, int type, int enc, size_t vsize, int64_t expire) {
    size_t hs = kvHeaderSize(klen, expire);
    kvobj *o = zmalloc(hs + vsize);
    o->next = NULL;
    o->tenc = (uint8_t)(type | (enc << 4));
    o->flags = (expire >= 0 ? KV_EXPIRE : 0) | (klen >= 255 ? KV_LONGKEY : 0);
    kvSetLru(o, 0);
    unsigned char *p = o->data;
    if (expire >= 0) {
        memcpy(p, &expire, 8);
        memset(p + 8, 0, 4);
        p += 12;
    }
    if (klen >= 255) {
        uint32_t l = (uint32_t)klen;
        memcpy(p, &l, 4);
        p += 4;
        o->klen8 = 255;
    } else {
        o->klen8 = (uint8_t)klen;
    }
    memcpy(p, key, klen);
    return o;
}

kvobj *kvNewInt(const char *key, size_t klen, int64_t v, int64_t expire) {
    kvobj *o = kvNew(key, klen, OBJ_STRING, ENC_INT, 8, expire);
    kvSetInt(o, v);
    return o;
}

kvobj *kvNewEmbstr(const char *key, size_t klen, const char *val, size_t vlen, int64_t expire) {
    kvobj *o = kvNew(key, klen, OBJ_STRING, ENC_EMBSTR, 1 + vlen, expire);
    unsigned char *v = kvVal(o);
    v[0] = (uint8_t)vlen;
    memcpy(v + 1, val, vlen);
    return o;
}

kvobj *kvNewPtr(const char *key, size_t klen, int type, int enc, void *ptr, int64_t expire) {
    kvobj *o = kvNew(key, klen, type, enc, sizeof(void *), expire);
    kvSetPtr(o, ptr);
    return o;
}

kvobj *kvNewRaw(const char *key, size_t klen, rstr *s, int64_t expire) {
    return kvNewPtr(key, klen, OBJ_STRING, ENC_RAW, s, expire);
}

kvobj *kvNewString(const char *key, size_t klen, const char *val, size_t vlen, int64_t expire) {
    long long v;
    if (vlen <= 20 && str2ll(val, vlen, &v))
        return kvNewInt(key, klen, v, expire);
    if (vlen <= EMBSTR_MAX)
        return kvNewEmbstr(key, klen, val, vlen, expire);
    return kvNewRaw(key, klen, rstrNew(val, vlen, vlen), expire);
}

/* kvValueSize: bytes of o's value part. */
static size_t kvValueSize(const kvobj *o) {
    switch (kvEnc(o)) {
    case ENC_INT: return kvType(o) == OBJ_STRING ? 8 : sizeof(void *);
    case ENC_EMBSTR: return 1 + kvVal(o)[0];
    default: return sizeof(void *);
    }
}

static kvobj *kvCopyBlock(const kvobj *o, const char *key, size_t klen, int64_t expire) {
    size_t vs = kvValueSize(o);
    kvobj *n = kvNew(key, klen, kvType(o), kvEnc(o), vs, expire);
    memcpy(kvVal(n), kvVal(o), vs);
    kvSetLru(n, kvLru(o));
    return n;
}

kvobj *kvWithExpire(kvobj *o, int64_t expire) {
    kvobj *n = kvCopyBlock(o, kvKey(o), kvKeyLen(o), expire);
    kvFreeBlock(o);
    return n;
}

kvobj *kvRekey(kvobj *o, const char *key, size_t klen) {
    kvobj *n = kvCopyBlock(o, key, klen, kvExpire(o));
    kvFreeBlock(o);
    return n;
}

void kvFreeBlock(kvobj *o) { zfree(o); }

void kvFree(kvobj *o) {
    int enc = kvEnc(o);
    if (kvType(o) == OBJ_STRING) {
        if (enc == ENC_RAW) rstrFree(kvPtr(o));
    } else if (typeOps[kvType(o)]) {
        typeOps[kvType(o)]->free(kvPtr(o), enc);
    }
    zfree(o);
}

kvobj *kvDup(const kvobj *o, const char *key, size_t klen, int64_t expire) {
    kvobj *n = kvCopyBlock(o, key, klen, expire);
    if (kvType(o) == OBJ_STRING) {
        if (kvEnc(o) == ENC_RAW) {
            rstr *s = kvPtr(o);
            kvSetPtr(n, rstrNew(s->buf, s->len, s->len));
        }
    } else if (typeOps[kvType(o)]) {
        kvSetPtr(n, typeOps[kvType(o)]->dup(kvPtr(o), kvEnc(o)));
    }
    return n;
}

size_t kvMemUsage(const kvobj *o) {
    size_t n = zmallocSize(o);
    if (kvType(o) == OBJ_STRING) {
        if (kvEnc(o) == ENC_RAW) n += zmallocSize(kvPtr(o));
    } else if (typeOps[kvType(o)]) {
        n += typeOps[kvType(o)]->usage(kvPtr(o), kvEnc(o));
    }
    return n;
}

const char *kvStr(const kvobj *o, char *buf, size_t *len) {
    switch (kvEnc(o)) {
    case ENC_INT:
        *len = (size_t)ll2str(buf, kvInt(o));
        return buf;
    case ENC_EMBSTR: {
        const unsigned char *v = kvVal(o);
        *len = v[0];
        return (const char *)v + 1;
    }
    default: {
        rstr *s = kvPtr(o);
        *len = s->len;
        return s->buf;
    }
    }
}

/* ---- numbers ----------------------------------------------------------------- */

int ll2str(char *buf, long long v) {
    char tmp[21];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    int len = 0;
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

/* str2ll accepts exactly what Redis's string2ll accepts: an optional '-',
 * no leading zeros (except "0" itself), no spaces or '+', within long long. */
bool str2ll(const char *s, size_t len, long long *out) {
    const char *p = s;
    size_t plen = 0;
    bool neg = false;
    unsigned long long v;
    if (len == 0 || len > 20) return false;
    if (len == 1 && p[0] == '0') { *out = 0; return true; }
    if (p[0] == '-') {
        neg = true;
        p++; plen++;
        if (plen == len) return false;
    }
    if (p[0] >= '1' && p[0] <= '9') {
        v = (unsigned long long)(p[0] - '0');
        p++; plen++;
    } else {
        return false;
    }
    while (plen < len && p[0] >= '0' && p[0] <= '9') {
        if (v > ULLONG_MAX / 10) return false;
        v *= 10;
        unsigned long long d = (unsigned long long)(p[0] - '0');
        if (v > ULLONG_MAX - d) return false;
        v += d;
        p++; plen++;
    }
    if (plen < len) return false;
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1) return false;
        *out = (long long)(0ULL - v);
    } else {
        if (v > (unsigned long long)LLONG_MAX) return false;
        *out = (long long)v;
    }
    return true;
}
