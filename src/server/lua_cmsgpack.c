/* lua_cmsgpack.c — the `cmsgpack` library of Redis 7.0 scripts (contract:
 * lua_libs.h): MessagePack encoding and decoding of Lua values, behaving as
 * the lua-cmsgpack 0.4.0 Redis ships does on amd64, byte for byte and error
 * for error.
 *
 *   cmsgpack.pack(v1, ...)          -> the encodings of v1, ... concatenated
 *   cmsgpack.unpack(s)              -> every value encoded in s
 *   cmsgpack.unpack_one(s [, off])  -> next offset, one value
 *   cmsgpack.unpack_limit(s, n [, off]) -> next offset, at most n values
 * The offsets are 0-based; "next offset" is -1 once s is used up.
 * Fields: _NAME "cmsgpack", _VERSION "lua-cmsgpack 0.4.0", _DESCRIPTION as
 * Redis has them; _COPYRIGHT is ours (Redis's names the author of the C
 * library it ships, whose code this is not).
 *
 * Encoding (pack):
 *   nil, functions, userdata, threads  c0         true / false  c3 / c2
 *   number equal to its int64 truncation (and finite): the shortest of
 *     positive fixint 00-7f, uint8/16/32/64 cc-cf, negative fixint e0-ff,
 *     int8/16/32/64 d0-d3 (so -0.0 packs as 00)
 *   other number: float32 ca if (float)d == d (infinities included), else
 *     float64 cb (NaN, 0.1, 1e300, 2^64 - 2048...)
 *   string: fixstr a0-bf (< 32 bytes), str8 d9, str16 da, str32 db; the bin
 *     types are never written
 *   table whose keys are exactly the integers 1..n: array (fixarray 90-9f,
 *     array16 dc, array32 dd) of t[1..n]; any other table: map (fixmap
 *     80-8f, map16 de, map32 df) in lua_next order, key before value. Both
 *     servers use Lua 5.1.5's tables, so the order is Redis's, except among
 *     keys hashed by address (tables, functions), which no two runs share.
 *   Nesting: a table met at depth 16 (the arguments are depth 0) packs as
 *   nil, so cyclic tables end in c0.
 * Decoding (unpack*): every type above, bin/ext/c1 being "Bad data format in
 * input." and a truncated value "Missing bytes in input."; uint64 and int64
 * become doubles through int64 (uint64 ff..ff is -1); maps are built in
 * input order with rawset ("table index is nil/NaN" as Lua raises them).
 *
 * Stack discipline (it decides Redis's limits and their messages, which we
 * keep): the decoder pushes a table plus the pending key per nesting level
 * and calls luaL_checkstack where lua-cmsgpack does, so nesting stops near
 * 4000 levels ("stack overflow (in function mp_decode_to_lua_array)" or
 * "... (too many return values at once; ...)") and C recursion with it:
 * 4000 levels took under 256 KiB of C stack at -O2, under 1.25 MiB with
 * ASan (measured with ulimit -s). pack refuses more than 4000 arguments and pushes
 * each argument's encoding before concatenating them. The check messages
 * name lua-cmsgpack's C functions because those are the strings scripts see
 * from Redis.
 *
 * Memory: pack encodes into one growable buffer per library instance (the
 * userdata upvalue of pack, freed by its __gc), reset for each argument, so
 * an error raised halfway leaks nothing; buffers above MP_BUF_KEEP are
 * given back after each call. No Lua code runs while a value encodes (raw
 * table access only); a __gc run by the allocation between two arguments
 * that calls pack itself only resets the buffer, already copied out.
 * Known deviation: _COPYRIGHT (above).
 */
#include "server/lua_libs.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#define MP_MAX_NESTING 16           /* tables at this depth pack as nil */
#define MP_BUF_KEEP (64 * 1024)     /* pack keeps a buffer this big for reuse */
#define MP_BUF_META "roost.cmsgpack.buffer"
#define MP_TWO63 9223372036854775808.0
#define MP_TWO31 2147483648.0

/* ---- the encoding buffer ------------------------------------------------------ */

typedef struct mpBuf {
    unsigned char *b; /* cap bytes from the state's allocator, or NULL */
    size_t len;       /* bytes of the encoding in progress */
    size_t cap;
} mpBuf;

/* mpResize: gives buf cap bytes (0: frees them); raises on allocation failure. */
static void mpResize(lua_State *L, mpBuf *buf, size_t cap) {
    void *ud;
    lua_Alloc alloc = lua_getallocf(L, &ud);
    void *nb = alloc(ud, buf->b, buf->cap, cap);
    if (nb == NULL && cap > 0) luaL_error(L, "not enough memory");
    buf->b = nb;
    buf->cap = cap;
    if (buf->len > cap) buf->len = cap;
}

static void mpAppend(lua_State *L, mpBuf *buf, const void *p, size_t n) {
    if (buf->cap - buf->len < n) {
        size_t cap = buf->cap ? buf->cap : 64;
        while (cap - buf->len < n) {
            if (cap > SIZE_MAX / 2) luaL_error(L, "not enough memory");
            cap *= 2;
        }
        mpResize(L, buf, cap);
    }
    memcpy(buf->b + buf->len, p, n);
    buf->len += n;
}

static int mpBufGc(lua_State *L) {
    mpBuf *buf = lua_touserdata(L, 1);
    mpResize(L, buf, 0);
    return 0;
}

/* ---- encoding ------------------------------------------------------------------ */

/* mpPutTagged: appends tag, then the low nbytes bytes of v big-endian. */
static void mpPutTagged(lua_State *L, mpBuf *buf, unsigned tag, uint64_t v, int nbytes) {
    unsigned char out[9];
    out[0] = (unsigned char)tag;
    for (int i = 0; i < nbytes; i++) out[1 + i] = (unsigned char)(v >> (8 * (nbytes - 1 - i)));
    mpAppend(L, buf, out, (size_t)nbytes + 1);
}

/* mpPutLength: the header of an array, map or string of n items/bytes:
 * fix | n up to fixMax, else the first of tag8 (0: none), tag16, tag32 that
 * holds n (tag32 keeps n's low 32 bits, as lua-cmsgpack does). */
static void mpPutLength(lua_State *L, mpBuf *buf, size_t n, unsigned fix, size_t fixMax,
                        unsigned tag8, unsigned tag16, unsigned tag32) {
    if (n <= fixMax) mpPutTagged(L, buf, fix | (unsigned)n, 0, 0);
    else if (tag8 && n <= 0xff) mpPutTagged(L, buf, tag8, n, 1);
    else if (n <= 0xffff) mpPutTagged(L, buf, tag16, n, 2);
    else mpPutTagged(L, buf, tag32, n, 4);
}

static void mpEncodeInt(lua_State *L, mpBuf *buf, int64_t n) {
    if (n >= 0) {
        if (n <= 127) mpPutTagged(L, buf, (unsigned)n, 0, 0);
        else if (n <= 0xff) mpPutTagged(L, buf, 0xcc, (uint64_t)n, 1);
        else if (n <= 0xffff) mpPutTagged(L, buf, 0xcd, (uint64_t)n, 2);
        else if (n <= 0xffffffffLL) mpPutTagged(L, buf, 0xce, (uint64_t)n, 4);
        else mpPutTagged(L, buf, 0xcf, (uint64_t)n, 8);
    } else {
        if (n >= -32) mpPutTagged(L, buf, (unsigned)(n & 0xff), 0, 0);
        else if (n >= -128) mpPutTagged(L, buf, 0xd0, (uint64_t)n, 1);
        else if (n >= -32768) mpPutTagged(L, buf, 0xd1, (uint64_t)n, 2);
        else if (n >= -2147483648LL) mpPutTagged(L, buf, 0xd2, (uint64_t)n, 4);
        else mpPutTagged(L, buf, 0xd3, (uint64_t)n, 8);
    }
}

/* mpEncodeNumber: an integer when d equals its int64 truncation as amd64
 * computes it (out of range and NaN give INT64_MIN, so only -2^63 of those
 * matches), else float32 when exact, else float64. */
static void mpEncodeNumber(lua_State *L, mpBuf *buf, double d) {
    if (!isinf(d) && d >= -MP_TWO63 && d < MP_TWO63 && (double)(int64_t)d == d) {
        mpEncodeInt(L, buf, (int64_t)d);
    } else if (isinf(d) || (fabs(d) <= FLT_MAX && (double)(float)d == d)) {
        float f = (float)d;
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        mpPutTagged(L, buf, 0xca, bits, 4);
    } else {
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        mpPutTagged(L, buf, 0xcb, bits, 8);
    }
}

/* mpTableIsArray: 1 when the keys of the table on top are exactly 1..n
 * (n >= 0, each key a number whose int truncation equals it). */
static int mpTableIsArray(lua_State *L) {
    int count = 0, max = 0;
    luaL_checkstack(L, 2, "in function table_is_an_array");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_Number n = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
        if (n <= 0 || n >= MP_TWO31 || (double)(int)n != n) {
            lua_pop(L, 1);
            return 0;
        }
        if (n > max) max = (int)n;
        count++;
    }
    return max == count;
}

static void mpEncodeValue(lua_State *L, mpBuf *buf, int level);

static void mpEncodeArray(lua_State *L, mpBuf *buf, int level) {
    size_t len = lua_objlen(L, -1);
    mpPutLength(L, buf, len, 0x90, 15, 0, 0xdc, 0xdd);
    luaL_checkstack(L, 1, "in function mp_encode_lua_table_as_array");
    for (size_t i = 1; i <= len; i++) {
        lua_rawgeti(L, -1, (int)i);
        mpEncodeValue(L, buf, level + 1);
    }
}

static void mpEncodeMap(lua_State *L, mpBuf *buf, int level) {
    size_t len = 0;
    luaL_checkstack(L, 3, "in function mp_encode_lua_table_as_map");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        len++;
    }
    mpPutLength(L, buf, len, 0x80, 15, 0, 0xde, 0xdf);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        mpEncodeValue(L, buf, level + 1); /* the key's copy */
        mpEncodeValue(L, buf, level + 1); /* the value */
    }
}

/* mpEncodeValue: appends the encoding of the value on top (at nesting
 * depth level) and pops it. */
static void mpEncodeValue(lua_State *L, mpBuf *buf, int level) {
    int t = lua_type(L, -1);
    if (t == LUA_TTABLE && level == MP_MAX_NESTING) t = LUA_TNIL;
    switch (t) {
    case LUA_TBOOLEAN: mpPutTagged(L, buf, lua_toboolean(L, -1) ? 0xc3 : 0xc2, 0, 0); break;
    case LUA_TNUMBER: mpEncodeNumber(L, buf, lua_tonumber(L, -1)); break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        mpPutLength(L, buf, len, 0xa0, 31, 0xd9, 0xda, 0xdb);
        mpAppend(L, buf, s, len);
        break;
    }
    case LUA_TTABLE:
        if (mpTableIsArray(L)) mpEncodeArray(L, buf, level);
        else mpEncodeMap(L, buf, level);
        break;
    default: mpPutTagged(L, buf, 0xc0, 0, 0); break;
    }
    lua_pop(L, 1);
}

/* cmsgpack.pack(...): each argument's encoding, concatenated. */
static int mpPack(lua_State *L) {
    int nargs = lua_gettop(L);
    if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
    if (!lua_checkstack(L, nargs))
        return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
    mpBuf *buf = lua_touserdata(L, lua_upvalueindex(1));
    if (buf->cap > MP_BUF_KEEP) mpResize(L, buf, 0); /* left by a call that raised */
    for (int i = 1; i <= nargs; i++) {
        luaL_checkstack(L, 1, "in function mp_check");
        lua_pushvalue(L, i);
        buf->len = 0;
        mpEncodeValue(L, buf, 0);
        lua_pushlstring(L, (const char *)buf->b, buf->len);
    }
    if (buf->cap > MP_BUF_KEEP) mpResize(L, buf, 0);
    lua_concat(L, nargs);
    return 1;
}

/* ---- decoding ------------------------------------------------------------------ */

enum { MP_OK, MP_EOF, MP_BADFMT };

typedef struct mpCur {
    const unsigned char *p; /* next byte to decode */
    size_t left;            /* bytes from p to the end of the input */
    int err;                /* MP_OK, or why decoding stopped */
} mpCur;

/* mpNeed: 1 when n bytes are left, else records MP_EOF and returns 0. */
static int mpNeed(mpCur *c, size_t n) {
    if (c->left >= n) return 1;
    c->err = MP_EOF;
    return 0;
}

static void mpSkip(mpCur *c, size_t n) {
    c->p += n;
    c->left -= n;
}

/* mpReadBE: the n-byte big-endian unsigned number at p. */
static uint64_t mpReadBE(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

static void mpDecodeValue(lua_State *L, mpCur *c);

/* mpDecodeArray: pushes a table of the next len values, keys 1..len. */
static void mpDecodeArray(lua_State *L, mpCur *c, size_t len) {
    lua_newtable(L);
    luaL_checkstack(L, 1, "in function mp_decode_to_lua_array");
    for (size_t i = 1; i <= len; i++) {
        lua_pushnumber(L, (lua_Number)i);
        mpDecodeValue(L, c);
        if (c->err) return;
        lua_rawset(L, -3);
    }
}

/* mpDecodeMap: pushes a table of the next len key/value pairs. */
static void mpDecodeMap(lua_State *L, mpCur *c, size_t len) {
    lua_newtable(L);
    for (; len > 0; len--) {
        mpDecodeValue(L, c);
        if (c->err) return;
        mpDecodeValue(L, c);
        if (c->err) return;
        lua_rawset(L, -3);
    }
}

/* mpDecodeSized: the value of tag byte tag whose header is hdr bytes
 * (tag included) and whose length field is the width bytes after the tag:
 * str8/16/32, array16/32, map16/32. */
static void mpDecodeSized(lua_State *L, mpCur *c, unsigned tag, int width) {
    if (!mpNeed(c, 1 + (size_t)width)) return;
    size_t n = (size_t)mpReadBE(c->p + 1, width);
    size_t hdr = 1 + (size_t)width;
    if (tag == 0xd9 || tag == 0xda || tag == 0xdb) {
        if (!mpNeed(c, hdr + n)) return;
        lua_pushlstring(L, (const char *)c->p + hdr, n);
        mpSkip(c, hdr + n);
        return;
    }
    mpSkip(c, hdr);
    if (tag == 0xdc || tag == 0xdd) mpDecodeArray(L, c, n);
    else mpDecodeMap(L, c, n);
}

/* mpDecodeNumeric: uint8-64 (cc-cf), int8-64 (d0-d3), float32/64 (ca, cb). */
static void mpDecodeNumeric(lua_State *L, mpCur *c, unsigned tag) {
    int width = tag == 0xca ? 4 : tag == 0xcb ? 8 : 1 << (tag & 3);
    if (!mpNeed(c, 1 + (size_t)width)) return;
    uint64_t v = mpReadBE(c->p + 1, width);
    mpSkip(c, 1 + (size_t)width);
    if (tag == 0xca) {
        uint32_t bits = (uint32_t)v;
        float f;
        memcpy(&f, &bits, sizeof f);
        lua_pushnumber(L, f);
    } else if (tag == 0xcb) {
        double d;
        memcpy(&d, &v, sizeof d);
        lua_pushnumber(L, d);
    } else {
        if (tag >= 0xd0 && width < 8 && (v >> (8 * width - 1)) & 1) v |= ~UINT64_C(0) << (8 * width);
        lua_pushnumber(L, (lua_Number)(int64_t)v); /* uint64 too, as Redis */
    }
}

/* mpDecodeTagged: the types named by their first byte alone (c0-df). */
static void mpDecodeTagged(lua_State *L, mpCur *c, unsigned tag) {
    switch (tag) {
    case 0xc0: lua_pushnil(L); mpSkip(c, 1); return;
    case 0xc2: case 0xc3: lua_pushboolean(L, tag == 0xc3); mpSkip(c, 1); return;
    case 0xca: case 0xcb:
    case 0xcc: case 0xcd: case 0xce: case 0xcf:
    case 0xd0: case 0xd1: case 0xd2: case 0xd3:
        mpDecodeNumeric(L, c, tag);
        return;
    case 0xd9: mpDecodeSized(L, c, tag, 1); return;
    case 0xda: case 0xdc: case 0xde: mpDecodeSized(L, c, tag, 2); return;
    case 0xdb: case 0xdd: case 0xdf: mpDecodeSized(L, c, tag, 4); return;
    default: c->err = MP_BADFMT; return; /* c1, bin c4-c6, ext c7-c9 d4-d8 */
    }
}

/* mpDecodeValue: pushes the next value of c and skips it, or sets c->err
 * (pushing nothing meaningful: the caller raises the error). */
static void mpDecodeValue(lua_State *L, mpCur *c) {
    if (!mpNeed(c, 1)) return;
    luaL_checkstack(L, 1, "too many return values at once; "
                          "use unpack_one or unpack_limit instead.");
    unsigned tag = c->p[0];
    if (tag <= 0x7f || tag >= 0xe0) {
        lua_pushnumber(L, (signed char)tag); /* fixints: 00-7f and e0-ff */
        mpSkip(c, 1);
    } else if (tag >= 0xa0 && tag <= 0xbf) {
        size_t len = tag & 0x1f;
        if (!mpNeed(c, 1 + len)) return;
        lua_pushlstring(L, (const char *)c->p + 1, len);
        mpSkip(c, 1 + len);
    } else if (tag >= 0x80 && tag <= 0x9f) {
        mpSkip(c, 1);
        if (tag >= 0x90) mpDecodeArray(L, c, tag & 0xf);
        else mpDecodeMap(L, c, tag & 0xf);
    } else {
        mpDecodeTagged(L, c, tag);
    }
}

/* mpLow32: what C's %d prints for a 64-bit value passed where an int is
 * read (lua-cmsgpack's messages do that with offsets and lengths). */
static int mpLow32(uint64_t v) {
    return (int)(uint32_t)v;
}

/* mpUnpackFull: decodes from argument 1 at offset: every value when limit
 * and offset are both 0 (returns them), else at most limit values (returns
 * the next offset, -1 at the end, then them). */
static int mpUnpackFull(lua_State *L, lua_Integer limit, lua_Integer offset) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int all = limit == 0 && offset == 0;
    if (offset < 0 || limit < 0)
        return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                          mpLow32((uint64_t)offset), mpLow32(len));
    if ((size_t)offset > len)
        return luaL_error(L, "Start offset %d greater than input length %d.",
                          mpLow32((uint64_t)offset), mpLow32(len));
    if (all) limit = INT_MAX;
    mpCur c = {(const unsigned char *)s + offset, len - (size_t)offset, MP_OK};
    int cnt;
    for (cnt = 0; c.left > 0 && cnt < limit; cnt++) {
        mpDecodeValue(L, &c);
        if (c.err == MP_EOF) return luaL_error(L, "Missing bytes in input.");
        if (c.err == MP_BADFMT) return luaL_error(L, "Bad data format in input.");
    }
    if (all) return cnt;
    luaL_checkstack(L, 1, "in function mp_unpack_full");
    lua_pushinteger(L, c.left == 0 ? -1 : mpLow32(len - c.left));
    lua_insert(L, 2);
    return cnt + 1;
}

/* cmsgpack.unpack(s): every value in s. */
static int mpUnpack(lua_State *L) {
    return mpUnpackFull(L, 0, 0);
}

/* cmsgpack.unpack_one(s [, offset]) */
static int mpUnpackOne(lua_State *L) {
    lua_Integer offset = luaL_optinteger(L, 2, 0);
    lua_settop(L, lua_gettop(L) > 0 ? 1 : 0);
    return mpUnpackFull(L, 1, offset);
}

/* cmsgpack.unpack_limit(s, limit [, offset]) */
static int mpUnpackLimit(lua_State *L) {
    lua_Integer limit = luaL_checkinteger(L, 2);
    lua_Integer offset = luaL_optinteger(L, 3, 0);
    lua_settop(L, lua_gettop(L) > 0 ? 1 : 0);
    return mpUnpackFull(L, limit, offset);
}

/* luaopenCmsgpack: registers an empty `cmsgpack` table, then sets its
 * fields one by one in the order Redis does, so that pairs(cmsgpack) walks
 * them in the same order as in Redis. */
int luaopenCmsgpack(lua_State *L) {
    static const luaL_Reg none[] = {{NULL, NULL}};
    static const luaL_Reg funcs[] = {
        {"unpack", mpUnpack},
        {"unpack_one", mpUnpackOne},
        {"unpack_limit", mpUnpackLimit},
    };
    static const char *const info[][2] = {
        {"_NAME", "cmsgpack"},
        {"_VERSION", "lua-cmsgpack 0.4.0"},
        {"_COPYRIGHT", "Copyright (C) the roost authors"},
        {"_DESCRIPTION", "MessagePack C implementation for Lua"},
    };
    luaL_register(L, "cmsgpack", none);
    mpBuf *buf = lua_newuserdata(L, sizeof *buf);
    memset(buf, 0, sizeof *buf);
    if (luaL_newmetatable(L, MP_BUF_META)) {
        lua_pushcfunction(L, mpBufGc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, mpPack, 1);
    lua_setfield(L, -2, "pack");
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        lua_pushcfunction(L, funcs[i].func);
        lua_setfield(L, -2, funcs[i].name);
    }
    for (size_t i = 0; i < sizeof info / sizeof info[0]; i++) {
        lua_pushstring(L, info[i][1]);
        lua_setfield(L, -2, info[i][0]);
    }
    return 1;
}
