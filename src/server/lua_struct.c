/* lua_struct.c — the `struct` library of Redis 7.0 scripts (contract:
 * lua_libs.h): binary packing of Lua numbers and strings, behaving as the
 * library Redis ships does on amd64, byte for byte and error for error.
 *
 *   struct.pack(fmt, v1, v2, ...)  -> the packed string
 *   struct.unpack(fmt, s [, i])    -> v1, v2, ..., position after the last
 *                                     byte read (i: 1-based start, default 1)
 *   struct.size(fmt)               -> the length pack(fmt, ...) gives
 *
 * Format: options read left to right; a space is ignored.
 *   <  >       little / big endian from here on (default little, amd64's);
 *              '=' is not an option in this library
 *   !n         maximum alignment n, a power of 2 ('!' alone: 8); default 1
 *   x          pack: a zero byte; unpack: skip a byte. Takes no value
 *   b B        signed / unsigned char (1 byte)
 *   h H        short (2)          l L   long (8)       T   size_t (8)
 *   i[n] I[n]  signed / unsigned integer of n bytes, 0 <= n <= 32 (default 4)
 *   f d        float (4), double (8)
 *   s          zero-terminated string
 *   c[n]       n bytes of a string (default 1). c0: pack takes the whole
 *              string; unpack takes the length from the value unpacked just
 *              before it, which it replaces in the results
 *
 * Alignment: with maximum alignment a, an item of size sz >= 1 other than
 * c and s starts after (m - pos % m) % m zero bytes, m = min(sz, a), pos
 * counted from the start of the packed string (in unpack, of s, not of i).
 * The formula is computed with the mask m-1, so for sizes that are not a
 * power of 2 (i3, i5..i7) it gives odd padding; Redis does, and so do we.
 *
 * Integers: Lua numbers are doubles. pack converts one as Redis's amd64
 * build does (cvttsd2si): a negative number through int64, any other
 * through uint64, out-of-range values and NaN as that hardware gives them
 * (dblToInt64 / dblToUint64 below); it writes the low 8 bytes of the result
 * and zero bytes past the 8th for i9..i32. unpack gathers the bytes into a
 * 64-bit word (past 8 bytes the first ones shift out); for a signed option
 * it sets every bit from (8n-1) mod 64 up when any of them is set (sign
 * extension for n <= 8; the x86 shift count for larger n), then converts
 * to double.
 *
 * Errors are Redis's, quirks included: "string too short" in pack names the
 * argument after the short string; unpack refuses offset 0, yet a negative
 * offset is taken as a huge unsigned one ("data string too short", or given
 * back as is by an empty format); struct.size ignores unknown letters.
 * pack reads its values through luaL_Buffer after pushing a nil, as Redis
 * does, so a missing value reads as nil ("number expected, got nil").
 * Known deviation: none.
 */
#include "server/lua_libs.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#define STRUCT_MAXINTSIZE 32 /* largest n of i[n] / I[n] */
#define STRUCT_MAXALIGN 8    /* the alignment '!' sets without a number */
#define STRUCT_TWO63 9223372036854775808.0

typedef struct structHeader {
    int big;      /* 1: big endian, 0: little endian */
    size_t align; /* maximum alignment, a power of 2 */
} structHeader;

/* ---- amd64 conversions of doubles ------------------------------------------ */

/* dblToInt64: C's (int64_t)d where it is defined; elsewhere (out of range,
 * NaN) INT64_MIN, the "integer indefinite" cvttsd2si gives. */
static int64_t dblToInt64(double d) {
    if (d >= -STRUCT_TWO63 && d < STRUCT_TWO63) return (int64_t)d;
    return INT64_MIN;
}

/* dblToUint64: (uint64_t)d as gcc compiles it for amd64: values below 2^63
 * (and NaN) through cvttsd2si, others as cvttsd2si(d - 2^63) ^ 2^63. */
static uint64_t dblToUint64(double d) {
    if (d >= STRUCT_TWO63) return (uint64_t)dblToInt64(d - STRUCT_TWO63) ^ (UINT64_C(1) << 63);
    return (uint64_t)dblToInt64(d);
}

/* ---- format parsing ------------------------------------------------------------ */

/* readCount: the decimal number at *fmt, which it skips, or df when *fmt is
 * not a digit. Raises "integral size overflow" past INT_MAX. */
static int readCount(lua_State *L, const char **fmt, int df) {
    if (!isdigit((unsigned char)**fmt)) return df;
    int a = 0;
    do {
        int digit = *(*fmt)++ - '0';
        if (a > INT_MAX / 10 || a * 10 > INT_MAX - digit) luaL_error(L, "integral size overflow");
        a = a * 10 + digit;
    } while (isdigit((unsigned char)**fmt));
    return a;
}

/* optionSize: the bytes option opt takes (reading its count from *fmt for
 * c, i, I); 0 for s, c0 and the control options. */
static size_t optionSize(lua_State *L, int opt, const char **fmt) {
    switch (opt) {
    case 'b': case 'B': case 'x': return 1;
    case 'h': case 'H': return 2;
    case 'f': return 4;
    case 'l': case 'L': case 'T': case 'd': return 8;
    case 'c': return (size_t)readCount(L, fmt, 1);
    case 'i': case 'I': {
        int n = readCount(L, fmt, 4);
        if (n > STRUCT_MAXINTSIZE)
            luaL_error(L, "integral size %d is larger than limit of %d", n, STRUCT_MAXINTSIZE);
        return (size_t)n;
    }
    default: return 0;
    }
}

/* alignPadding: zero bytes to put before an item of option opt and size
 * bytes at offset pos (see the header comment for the formula). */
static size_t alignPadding(size_t pos, const structHeader *h, int opt, size_t size) {
    if (size == 0 || opt == 'c') return 0;
    if (size > h->align) size = h->align;
    return (size - (pos & (size - 1))) & (size - 1);
}

/* controlOption: applies a space, '<', '>' or '!n' to h; any other option
 * is "invalid format option" (an error on argument 1). */
static void controlOption(lua_State *L, int opt, const char **fmt, structHeader *h) {
    switch (opt) {
    case ' ': return;
    case '<': h->big = 0; return;
    case '>': h->big = 1; return;
    case '!': {
        int a = readCount(L, fmt, STRUCT_MAXALIGN);
        if (a <= 0 || (a & (a - 1)) != 0) luaL_error(L, "alignment %d is not a power of 2", a);
        h->align = (size_t)a;
        return;
    }
    default:
        luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
    }
}

/* nextOption: reads the option at *fmt (and its count) into *opt and *size
 * and returns the zero bytes that go before that item at offset pos. */
static size_t nextOption(lua_State *L, const char **fmt, const structHeader *h, size_t pos,
                         int *opt, size_t *size) {
    *opt = (unsigned char)*(*fmt)++;
    *size = optionSize(L, *opt, fmt);
    return alignPadding(pos, h, *opt, *size);
}

static int isIntegerOption(int opt) {
    return opt != '\0' && strchr("bBhHlLTiI", opt) != NULL;
}

/* ---- pack ---------------------------------------------------------------------- */

/* packUint: appends size bytes holding v in the given byte order; bytes
 * past the 8th are zero. */
static void packUint(luaL_Buffer *b, uint64_t v, size_t size, int big) {
    char out[STRUCT_MAXINTSIZE];
    for (size_t i = 0; i < size; i++)
        out[big ? size - 1 - i : i] = i < 8 ? (char)(v >> (8 * i)) : 0;
    luaL_addlstring(b, out, size);
}

/* packString: appends option c[size] or s from argument *arg (advancing
 * it); returns the bytes appended. */
static size_t packString(lua_State *L, luaL_Buffer *b, int opt, size_t size, int *arg) {
    size_t len;
    const char *s = luaL_checklstring(L, (*arg)++, &len);
    if (size == 0) size = len;
    /* as in Redis, the error names the argument after the string */
    luaL_argcheck(L, len >= size, *arg, "string too short");
    luaL_addlstring(b, s, size);
    if (opt == 's') {
        luaL_addchar(b, '\0');
        size++;
    }
    return size;
}

/* packItem: appends the item of option opt (size bytes, from optionSize)
 * reading its value from argument *arg; returns the bytes appended. */
static size_t packItem(lua_State *L, luaL_Buffer *b, int opt, size_t size, int *arg,
                       structHeader *h, const char **fmt) {
    if (isIntegerOption(opt)) {
        lua_Number n = luaL_checknumber(L, (*arg)++);
        packUint(b, n < 0 ? (uint64_t)dblToInt64(n) : dblToUint64(n), size, h->big);
        return size;
    }
    switch (opt) {
    case 'x':
        luaL_addchar(b, '\0');
        return size;
    case 'f': {
        float f = (float)luaL_checknumber(L, (*arg)++);
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        packUint(b, bits, size, h->big);
        return size;
    }
    case 'd': {
        double d = luaL_checknumber(L, (*arg)++);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        packUint(b, bits, size, h->big);
        return size;
    }
    case 'c': case 's':
        return packString(L, b, opt, size, arg);
    default:
        controlOption(L, opt, fmt, h);
        return size;
    }
}

/* struct.pack(fmt, ...): the values packed as fmt says. */
static int structPack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    structHeader h = {0, 1};
    int arg = 2;
    size_t total = 0;
    luaL_Buffer b;
    lua_pushnil(L); /* Redis's separator between the arguments and the buffer */
    luaL_buffinit(L, &b);
    while (*fmt != '\0') {
        int opt;
        size_t size, pad = nextOption(L, &fmt, &h, total, &opt, &size);
        total += pad;
        while (pad-- > 0) luaL_addchar(&b, '\0');
        total += packItem(L, &b, opt, size, &arg, &h, &fmt);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- unpack -------------------------------------------------------------------- */

/* readUint: size bytes at p in the given order as one 64-bit word (for
 * size > 8 the first bytes shift out). */
static uint64_t readUint(const char *p, size_t size, int big) {
    uint64_t v = 0;
    for (size_t i = 0; i < size; i++) v = v << 8 | (unsigned char)p[big ? i : size - 1 - i];
    return v;
}

/* readInteger: the integer option of size bytes at p as a Lua number. */
static lua_Number readInteger(const char *p, size_t size, int big, int issigned) {
    uint64_t v = readUint(p, size, big);
    if (!issigned) return (lua_Number)v;
    uint64_t mask = ~UINT64_C(0) << ((size * 8 - 1) & 63);
    if (v & mask) v |= mask;
    return (lua_Number)(int64_t)v;
}

/* unpackChars: pushes option c[size] at pos, replacing the previous result
 * by the string when size is 0; returns the bytes read. *n counts results. */
static size_t unpackChars(lua_State *L, const char *data, size_t ld, size_t pos, size_t size,
                          int *n) {
    if (size == 0) {
        if (*n == 0 || !lua_isnumber(L, -1)) luaL_error(L, "format 'c0' needs a previous size");
        size = (size_t)dblToUint64(lua_tonumber(L, -1));
        lua_pop(L, 1);
        (*n)--;
        luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
    }
    lua_pushlstring(L, data + pos, size);
    (*n)++;
    return size;
}

/* unpackItem: pushes the value of option opt at data[pos] (the caller has
 * checked that size bytes are there); returns the bytes read. */
static size_t unpackItem(lua_State *L, const char *data, size_t ld, size_t pos, int opt,
                         size_t size, int *n, structHeader *h, const char **fmt) {
    if (isIntegerOption(opt)) {
        lua_pushnumber(L, readInteger(data + pos, size, h->big, islower(opt)));
        (*n)++;
        return size;
    }
    switch (opt) {
    case 'x': return size;
    case 'f': {
        uint32_t bits = (uint32_t)readUint(data + pos, size, h->big);
        float f;
        memcpy(&f, &bits, sizeof f);
        lua_pushnumber(L, f);
        (*n)++;
        return size;
    }
    case 'd': {
        uint64_t bits = readUint(data + pos, size, h->big);
        double d;
        memcpy(&d, &bits, sizeof d);
        lua_pushnumber(L, d);
        (*n)++;
        return size;
    }
    case 'c': return unpackChars(L, data, ld, pos, size, n);
    case 's': {
        const char *end = memchr(data + pos, '\0', ld - pos);
        if (end == NULL) luaL_error(L, "unfinished string in data");
        lua_pushlstring(L, data + pos, (size_t)(end - (data + pos)));
        (*n)++;
        return (size_t)(end - (data + pos)) + 1;
    }
    default:
        controlOption(L, opt, fmt, h);
        return size;
    }
}

/* struct.unpack(fmt, s [, i]): the values fmt reads from s at i, then the
 * position after them. */
static int structUnpack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    size_t ld;
    const char *data = luaL_checklstring(L, 2, &ld);
    size_t pos = (size_t)luaL_optinteger(L, 3, 1); /* negative: huge, as in Redis */
    luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
    pos--;
    structHeader h = {0, 1};
    int n = 0;
    while (*fmt != '\0') {
        int opt;
        size_t size;
        pos += nextOption(L, &fmt, &h, pos, &opt, &size);
        luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
        luaL_checkstack(L, 2, "too many results");
        pos += unpackItem(L, data, ld, pos, opt, size, &n, &h, &fmt);
    }
    lua_pushinteger(L, (lua_Integer)(pos + 1));
    return n + 1;
}

/* ---- size ---------------------------------------------------------------------- */

/* struct.size(fmt): the bytes fmt packs to; s and c0 have no fixed size.
 * Like Redis's, it applies only non-alphanumeric control options, so an
 * unknown letter counts as 0 bytes instead of raising an error. */
static int structSize(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    structHeader h = {0, 1};
    size_t pos = 0;
    while (*fmt != '\0') {
        int opt;
        size_t size;
        pos += nextOption(L, &fmt, &h, pos, &opt, &size);
        if (opt == 's')
            luaL_argerror(L, 1, "option 's' has no fixed size");
        else if (opt == 'c' && size == 0)
            luaL_argerror(L, 1, "option 'c0' has no fixed size");
        if (!isalnum(opt)) controlOption(L, opt, &fmt, &h);
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos);
    return 1;
}

static const luaL_Reg structFuncs[] = {
    {"pack", structPack},
    {"unpack", structUnpack},
    {"size", structSize},
    {NULL, NULL},
};

int luaopenStruct(lua_State *L) {
    luaL_register(L, "struct", structFuncs);
    return 1;
}
