/* script_resp.c — conversions between RESP and Lua values, as Redis 7.0's
 * scripts see them.
 *
 * RESP → Lua (a command's reply inside redis.call; the script client
 * speaks RESP2 unless the script called redis.setresp(3)):
 *
 *     integer        number            null bulk / array (RESP2)  false
 *     bulk string    string            null (RESP3)               nil
 *     array / push   table 1..n        status    {ok = s}
 *     error          {err = s}         map       {map = {k = v ...}}
 *     set            {set = {m = true}}  double  {double = n}
 *     boolean        true / false      big number {big_number = s}
 *     verbatim       {verbatim_string = {format = f, string = s}}
 *     attribute      skipped (the value after it is converted)
 *
 * Lua → RESP (the script's return value; tables are read raw, first
 * match wins in this order):
 *
 *     string → bulk; number → integer (truncated; out of range → INT64_MIN,
 *     as x86 truncation gives Redis); true → :1 (RESP3 script: boolean);
 *     false → null (RESP3 script: boolean #f); nil and other types → null;
 *     {err = s} → error "-s"; {ok = s} → status; {double = n} → double;
 *     {big_number = s}; {map = t}; {set = t}; {verbatim_string = {format,
 *     string}}; otherwise the array t[1..n] up to the first nil.
 *
 * Null, map, set, double, boolean and verbatim take the caller's protocol
 * (RESP2 fallbacks in reply.c). Depth is bounded by Lua's stack
 * (lua_checkstack fails past LUAI_MAXCSTACK): "reached lua stack limit".
 */
#include "server/script.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

/* ---- RESP → Lua ----------------------------------------------------------------------- */

typedef struct respIn {
    const char *p, *end;
} respIn;

/* readLine returns the header's text (after the type byte) and moves past
 * its CRLF. The input is a reply roost itself produced: well formed. */
static const char *readLine(respIn *in, size_t *len) {
    const char *start = in->p + 1;
    const char *cr = memchr(start, '\r', (size_t)(in->end - start));
    if (!cr) cr = in->end;
    *len = (size_t)(cr - start);
    in->p = cr + 2 <= in->end ? cr + 2 : in->end;
    return start;
}

/* lineInt: the decimal integer of a header roost wrote (well formed) */
static long long lineInt(const char *s, size_t len) {
    size_t i = 0;
    bool neg = len > 0 && s[0] == '-';
    unsigned long long v = 0;
    for (i = neg ? 1 : 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (unsigned)(s[i] - '0');
    return neg ? -(long long)v : (long long)v;
}

static void pushBulkBody(lua_State *L, respIn *in, long long n) {
    if (n > in->end - in->p) n = in->end - in->p;
    lua_pushlstring(L, in->p, (size_t)n);
    in->p += n + 2;
}

static void pushOne(lua_State *L, respIn *in);

/* pushWrapped pushes {field = <value at the top>} */
static void pushWrapped(lua_State *L, const char *field) {
    lua_newtable(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, field);
}

static void pushAggregate(lua_State *L, respIn *in, char type, long long n) {
    if (type == '*' || type == '>') {
        lua_createtable(L, n > 0 && n < INT_MAX ? (int)n : 0, 0);
        for (long long i = 0; i < n; i++) {
            pushOne(L, in);
            lua_rawseti(L, -2, (int)(i + 1));
        }
        return;
    }
    lua_newtable(L);
    for (long long i = 0; i < n; i++) {
        pushOne(L, in);
        if (type == '%') pushOne(L, in);
        else lua_pushboolean(L, 1);
        lua_settable(L, -3);
    }
    pushWrapped(L, type == '%' ? "map" : "set");
}

static void pushVerbatim(lua_State *L, respIn *in, long long n) {
    pushBulkBody(L, in, n);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    lua_newtable(L);
    lua_pushlstring(L, s, len >= 3 ? 3 : len);
    lua_setfield(L, -2, "format");
    lua_pushlstring(L, len > 4 ? s + 4 : "", len > 4 ? len - 4 : 0);
    lua_setfield(L, -2, "string");
    lua_remove(L, -2);
    pushWrapped(L, "verbatim_string");
}

static void pushOne(lua_State *L, respIn *in) {
    if (!lua_checkstack(L, 8) || in->p >= in->end) {
        lua_pushnil(L);
        in->p = in->end;
        return;
    }
    char type = *in->p;
    size_t len;
    const char *s = readLine(in, &len);
    switch (type) {
    case '+': lua_pushlstring(L, s, len); pushWrapped(L, "ok"); break;
    case '-': lua_pushlstring(L, s, len); pushWrapped(L, "err"); break;
    case ':': lua_pushnumber(L, (lua_Number)lineInt(s, len)); break;
    case '_': lua_pushnil(L); break;
    case '#': lua_pushboolean(L, len > 0 && s[0] == 't'); break;
    case ',': lua_pushlstring(L, s, len);
              lua_pushnumber(L, strtod(lua_tostring(L, -1), NULL));
              lua_remove(L, -2);
              pushWrapped(L, "double"); break;
    case '(': lua_pushlstring(L, s, len); pushWrapped(L, "big_number"); break;
    case '$': case '!': {
        long long n = lineInt(s, len);
        if (n < 0) { lua_pushboolean(L, 0); break; }
        pushBulkBody(L, in, n);
        if (type == '!') pushWrapped(L, "err");
        break;
    }
    case '=': pushVerbatim(L, in, lineInt(s, len)); break;
    case '|':                                 /* attribute: dropped */
        pushAggregate(L, in, '%', lineInt(s, len));
        lua_pop(L, 1);
        pushOne(L, in);
        break;
    default: {
        long long n = lineInt(s, len);
        if (n < 0) lua_pushboolean(L, 0);    /* *-1 */
        else pushAggregate(L, in, type, n);
    }
    }
}

void luaPushReply(lua_State *L, const char *p, size_t len) {
    respIn in = { p, p + len };
    pushOne(L, &in);
}

/* ---- Lua → RESP ------------------------------------------------------------------------ */

static void replyValue(client *c, lua_State *L, int resp);

static long long luaToLongLong(lua_Number d) {
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return LLONG_MIN;
    return (long long)d;
}

/* rawFieldAt pushes t[name] (t at index t), without metamethods */
static int rawFieldAt(lua_State *L, int t, const char *name) {
    lua_pushstring(L, name);
    lua_rawget(L, t);
    return lua_type(L, -1);
}

/* The shapes of a table reply: each gets the field's value at the top of
 * the stack (its table just below) and returns false to fall through. */
typedef bool replyShape(client *c, lua_State *L, int resp);

static bool replyErr(client *c, lua_State *L, int resp) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    char *buf = zmalloc(len + 2);
    buf[0] = '-';
    memcpy(buf + 1, s, len);
    luaReplyErrorLong(c, buf, len + 1);
    zfree(buf);
    return true;
}

static bool replyStatus(client *c, lua_State *L, int resp) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    char *buf = zmalloc(len + 1);
    for (size_t i = 0; i < len; i++) buf[i] = (s[i] == '\r' || s[i] == '\n') ? ' ' : s[i];
    buf[len] = '\0';
    addReplyStatus(c, buf);
    zfree(buf);
    return true;
}

static bool replyDouble(client *c, lua_State *L, int resp) {
    addReplyDouble(c, lua_tonumber(L, -1));
    return true;
}

static bool replyBigNumber(client *c, lua_State *L, int resp) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (c->resp == 2) {
        addReplyBulk(c, s, len);
        return true;
    }
    addReplyProto(c, "(", 1);
    addReplyProto(c, s, len);
    addReplyProto(c, "\r\n", 2);
    return true;
}

/* replyPairs: the table at the top; every pair (map) or key (set) */
static void replyPairs(client *c, lua_State *L, int resp, bool map) {
    long n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) { n++; lua_pop(L, 1); }
    if (map) addReplyMapLen(c, n);
    else addReplySetLen(c, n);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);                /* a copy of the key, for the reply */
        replyValue(c, L, resp);              /* the key (lua_next keeps the original) */
        if (map) replyValue(c, L, resp);     /* the value */
        else lua_pop(L, 1);
    }
}

static bool replyMap(client *c, lua_State *L, int resp) { replyPairs(c, L, resp, true); return true; }
static bool replySet(client *c, lua_State *L, int resp) { replyPairs(c, L, resp, false); return true; }

static bool replyVerbatim(client *c, lua_State *L, int resp) {
    int v = lua_gettop(L);
    if (rawFieldAt(L, v, "format") != LUA_TSTRING || rawFieldAt(L, v, "string") != LUA_TSTRING)
        return false;
    size_t len, flen;
    const char *f = lua_tolstring(L, -2, &flen);
    const char *s = lua_tolstring(L, -1, &len);
    char fmt[4] = "txt";
    memcpy(fmt, f, flen < 3 ? flen : 3);
    addReplyVerbatim(c, s, len, fmt);
    return true;
}

static const struct { const char *field; int type; replyShape *reply; } shapes[] = {
    { "err", LUA_TSTRING, replyErr },         { "ok", LUA_TSTRING, replyStatus },
    { "double", LUA_TNUMBER, replyDouble },   { "big_number", LUA_TSTRING, replyBigNumber },
    { "map", LUA_TTABLE, replyMap },          { "set", LUA_TTABLE, replySet },
    { "verbatim_string", LUA_TTABLE, replyVerbatim },
};

static void replyArray(client *c, lua_State *L, int resp) {
    long n = 0;
    for (;;) {
        lua_rawgeti(L, -1, (int)(n + 1));
        bool nil = lua_isnil(L, -1);
        lua_pop(L, 1);
        if (nil) break;
        n++;
    }
    addReplyArrayLen(c, n);
    for (long i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (int)i);
        replyValue(c, L, resp);
    }
}

/* replyTable: the table at the top (left there) */
static void replyTable(client *c, lua_State *L, int resp) {
    int t = lua_gettop(L);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        bool done = rawFieldAt(L, t, shapes[i].field) == shapes[i].type &&
                    shapes[i].reply(c, L, resp);
        lua_settop(L, t);
        if (done) return;
    }
    replyArray(c, L, resp);
}

/* replyValue: the value at the top, popped */
static void replyValue(client *c, lua_State *L, int resp) {
    if (!lua_checkstack(L, 4)) {
        addReplyError(c, "reached lua stack limit");
        lua_pop(L, 1);
        return;
    }
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        addReplyBulk(c, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (resp == 3) addReplyBool(c, lua_toboolean(L, -1));
        else if (lua_toboolean(L, -1)) addReplyLongLong(c, 1);
        else addReplyNull(c);
        break;
    case LUA_TNUMBER: addReplyLongLong(c, luaToLongLong(lua_tonumber(L, -1))); break;
    case LUA_TTABLE: replyTable(c, L, resp); break;
    default: addReplyNull(c);
    }
    lua_pop(L, 1);
}

void luaReplyValue(client *c, lua_State *L, int scriptResp) { replyValue(c, L, scriptResp); }
