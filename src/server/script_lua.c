/* script_lua.c — the Lua states scripts run in: libraries, the sandbox, and
 * the parts of the redis.* API that need no server.
 *
 * A state holds what Redis 7.0's does and nothing more: the base library
 * without dofile, loadfile, print, getfenv, setfenv and newproxy; table,
 * string, math (with Redis's rand48-based math.random: the same sequence
 * after every start of the server), cjson and bit (Debian's
 * modules), struct and cmsgpack (lua_struct.c, lua_cmsgpack.c), and the
 * `redis` table. No os, io, package, require or debug.
 *
 * The sandbox (Redis 7.0's read-only tables, done with stock Lua 5.1):
 *
 *      script code ──env──▶ proxy P  (empty; metatable: __index = G,
 *                                     __newindex = "Attempt to modify a
 *                                     readonly table", __metatable = decoy)
 *      LUA_GLOBALSINDEX ──▶ G        (the real globals; metatable: __index
 *                                     raises "Script attempted to access
 *                                     nonexistent global variable 'x'")
 *
 * G._G is P, and every library table in G is a proxy of the same kind over
 * the real one (the string metatable's __index too), so neither globals nor
 * library functions can be changed. Scripts get P as their environment
 * (lua_setfenv after loading; load and loadstring do the same for what they
 * compile), while C code keeps using G directly (EVAL refills KEYS and ARGV
 * there). The wrapped
 * base functions see through proxies where Redis's tables would simply be
 * read (next, pairs, ipairs, rawget) and refuse them where they would be
 * written (rawset, setmetatable, table.insert/remove/sort/setn), with
 * Redis's message. load and loadstring refuse precompiled chunks: Redis's
 * Lua parses them as text, so they fail with "unexpected symbol near
 * 'char(27)'", which we reproduce by parsing the same first byte as text.
 *
 * Memory: states allocate through luaAlloc, which counts bytes per state
 * (INFO used_memory_lua / used_memory_vm_*); it is not counted in
 * used_memory, as in Redis.
 */
#include "server/script.h"
#include "server/lua_libs.h"
#include "server/sha1.h"
#include "server/config.h"

#include <lua-bitop.h>
#include <lua-cjson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RO_MAP "roost.readonly"     /* registry: proxy -> real table (weak keys) */
#define RO_MSG "Attempt to modify a readonly table"

/* ---- allocator --------------------------------------------------------------------- */

typedef struct luaMem { _Atomic size_t bytes; } luaMem;

/* luaAlloc: one writer per state (the runner, for the exclusive owner),
 * so the count is a plain relaxed store; INFO reads it from anywhere */
static void *luaAlloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    luaMem *m = ud;
    size_t was = atomic_load_explicit(&m->bytes, memory_order_relaxed);
    if (nsize == 0) {
        free(ptr);
        atomic_store_explicit(&m->bytes, was - osize, memory_order_relaxed);
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p) atomic_store_explicit(&m->bytes, was + nsize - (ptr ? osize : 0), memory_order_relaxed);
    return p;
}

size_t luaEngineMemory(lua_State *L) {
    if (!L) return 0;
    void *ud;
    lua_getallocf(L, &ud);
    return atomic_load_explicit(&((luaMem *)ud)->bytes, memory_order_relaxed);
}

/* ---- rand48 (math.random as Redis seeds it) ------------------------------------------ */

/* The classic 48-bit linear congruential generator: x = a*x + c mod 2^48,
 * a = 0x5DEECE66D, c = 0xB; seeding puts the seed in the high 32 bits
 * above 0x330E. One state per process (only one script runs at a time),
 * starting from rand48's unseeded state and never reseeded behind the
 * scripts' back: Redis 7.0 gives the same sequence after every start, and
 * it runs on across EVALs, FCALLs and SCRIPT FLUSH. */
static uint64_t rand48State = 0x1234ABCD330EULL;

static void rand48Seed(int32_t seed) {
    rand48State = ((uint64_t)(uint32_t)seed << 16) | 0x330E;
}

static int32_t rand48Next(void) {
    rand48State = (rand48State * 0x5DEECE66DULL + 0xB) & ((1ULL << 48) - 1);
    return (int32_t)(rand48State >> 17);
}

static int mathRandom(lua_State *L) {
    lua_Number r = (lua_Number)(rand48Next() % INT32_MAX) / (lua_Number)INT32_MAX;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, r);
        break;
    case 1: {
        int u = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= u, 1, "interval is empty");
        lua_pushnumber(L, floor(r * u) + 1);
        break;
    }
    case 2: {
        int l = luaL_checkint(L, 1);
        int u = luaL_checkint(L, 2);
        luaL_argcheck(L, l <= u, 2, "interval is empty");
        lua_pushnumber(L, floor(r * (u - l + 1)) + l);
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int mathRandomseed(lua_State *L) {
    rand48Seed(luaL_checkint(L, 1));
    return 0;
}

/* ---- bit.tohex ----------------------------------------------------------------------- */

/* bitArg: a Lua number as LuaBitOp reads it: the low 32 bits of the
 * integer nearest to it (adding 2^52 + 2^51 puts that integer in the
 * mantissa's low bits) */
static uint32_t bitArg(lua_State *L, int idx) {
    double d = luaL_checknumber(L, idx) + 6755399441055744.0;
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return (uint32_t)bits;
}

/* bitTohex replaces the module's tohex, which overflows on a digit count
 * of -2^31 (Redis patched its copy; Debian's module is not) */
static int bitTohex(lua_State *L) {
    uint32_t b = bitArg(L, 1);
    int32_t n = lua_isnone(L, 2) ? 8 : (int32_t)bitArg(L, 2);
    const char *digits = "0123456789abcdef";
    char buf[8];
    if (n == INT32_MIN) n = INT32_MIN + 1;
    if (n < 0) {
        n = -n;
        digits = "0123456789ABCDEF";
    }
    if (n > 8) n = 8;
    for (int i = n; --i >= 0;) {
        buf[i] = digits[b & 15];
        b >>= 4;
    }
    lua_pushlstring(L, buf, (size_t)n);
    return 1;
}

/* ---- read-only proxies ---------------------------------------------------------------- */

static int roNewindex(lua_State *L) { return luaL_error(L, RO_MSG); }

/* roRaise: Redis's VM raises this from C functions, without a position */
static int roRaise(lua_State *L) {
    lua_pushstring(L, RO_MSG);
    return lua_error(L);
}

/* isProxy: is the value at idx a read-only proxy? */
static bool isProxy(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TTABLE) return false;
    lua_getfield(L, LUA_REGISTRYINDEX, RO_MAP);
    lua_pushvalue(L, idx > 0 ? idx : idx - 1);
    lua_rawget(L, -2);
    bool r = !lua_isnil(L, -1);
    lua_pop(L, 2);
    return r;
}

/* unproxy replaces a proxy at idx (> 0) by the table behind it */
static void unproxy(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TTABLE) return;
    lua_getfield(L, LUA_REGISTRYINDEX, RO_MAP);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    if (!lua_isnil(L, -1)) lua_replace(L, idx);
    else lua_pop(L, 1);
    lua_pop(L, 1);
}

void luaMakeReadonly(lua_State *L) {
    int real = lua_gettop(L);
    lua_newtable(L);                         /* the proxy */
    lua_newtable(L);                         /* its metatable */
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, roNewindex);
    lua_setfield(L, -2, "__newindex");
    lua_newtable(L);                         /* what getmetatable shows */
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_getfield(L, LUA_REGISTRYINDEX, RO_MAP);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, real);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_replace(L, real);
}

/* wrapped base functions: call the original (upvalue 1) after looking
 * through a proxy in argument 1, or refuse to write one */
static int seeThrough(lua_State *L) {
    unproxy(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int refuseProxy(lua_State *L) {
    if (isProxy(L, 1)) return roRaise(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* wrapField replaces t[name] (t at the top) by wrapper(original) */
static void wrapField(lua_State *L, const char *name, lua_CFunction wrapper) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
}

/* pairs must hand out the wrapped next so the loop sees through too */
static int sandboxPairs(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    unproxy(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));   /* the wrapped next */
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* ---- globals ---------------------------------------------------------------------------- */

/* globalsIndex: G's __index: reading a missing global from script code
 * raises; C code (the engine's own lookups) gets nil */
static int globalsIndex(lua_State *L) {
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && strcmp(ar.what, "C") != 0) {
        const char *n = lua_tostring(L, 2);
        return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                          n ? n : "?");
    }
    return 0;
}

/* ---- load / loadstring ------------------------------------------------------------------ */

/* loadChunk compiles (buf, len) as the script's code with the sandbox as
 * its environment. Pushes the function, or nil and the message. */
static int loadChunk(lua_State *L, const char *buf, size_t len, const char *chunkname) {
    int rc;
    if (len > 0 && buf[0] == LUA_SIGNATURE[0])   /* bytecode: parse it as text, as Redis does */
        rc = luaL_loadbuffer(L, " \033", 2, chunkname);
    else
        rc = luaL_loadbuffer(L, buf, len, chunkname);
    if (rc != 0) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    lua_getfield(L, LUA_GLOBALSINDEX, "_G");   /* the proxy */
    lua_setfenv(L, -2);
    return 1;
}

static int sandboxLoadstring(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, s);
    return loadChunk(L, s, len, name);
}

/* load(func [, chunkname]): the pieces are gathered first, then compiled
 * like loadstring */
static int sandboxLoad(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const char *name = luaL_optstring(L, 2, "=(load)");
    luaL_Buffer b;
    lua_settop(L, 2);
    luaL_buffinit(L, &b);
    for (;;) {
        lua_pushvalue(L, 1);
        lua_call(L, 0, 1);
        if (lua_isnil(L, -1)) { lua_pop(L, 1); break; }
        if (!lua_isstring(L, -1)) {
            lua_pushnil(L);
            lua_pushstring(L, "reader function must return a string");
            return 2;
        }
        if (lua_objlen(L, -1) == 0) { lua_pop(L, 1); break; }
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    return loadChunk(L, s, len, name);
}

/* ---- redis.* without the server ----------------------------------------------------------- */

void luaPushError(lua_State *L, const char *msg, size_t len) {
    const char *code = "ERR", *text = msg;
    size_t codelen = 3, textlen = len;
    if (len > 0 && msg[0] == '-') {
        const char *sp = memchr(msg, ' ', len);
        if (sp) {
            code = msg + 1;
            codelen = (size_t)(sp - msg - 1);
            text = sp + 1;
            textlen = len - (size_t)(sp - msg) - 1;
        } else {
            text = msg + 1;
            textlen = len - 1;
        }
    }
    while (textlen > 0 && (text[textlen - 1] == '\r' || text[textlen - 1] == '\n')) textlen--;
    lua_newtable(L);
    lua_pushlstring(L, code, codelen);
    lua_pushliteral(L, " ");
    lua_pushlstring(L, text, textlen);
    lua_concat(L, 3);
    lua_setfield(L, -2, "err");
}

/* raiseError: Redis's luaPushError + luaError: raise {err = msg} */
static int raiseError(lua_State *L, const char *msg) {
    luaPushError(L, msg, strlen(msg));
    return lua_error(L);
}

static int statusOrError(lua_State *L, const char *field) {
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
        luaPushError(L, "wrong number or type of arguments", 33);
        return 1;
    }
    if (field[0] == 'e') {
        size_t len;
        const char *m = lua_tolstring(L, 1, &len);
        if (len > 0 && m[0] == '-') {
            luaPushError(L, m, len);
        } else {
            lua_pushliteral(L, "-");
            lua_pushvalue(L, 1);
            lua_concat(L, 2);
            m = lua_tolstring(L, -1, &len);
            luaPushError(L, m, len);
        }
        return 1;
    }
    lua_newtable(L);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, field);
    return 1;
}

static int redisErrorReply(lua_State *L) { return statusOrError(L, "err"); }
static int redisStatusReply(lua_State *L) { return statusOrError(L, "ok"); }

static int redisSha1hex(lua_State *L) {
    if (lua_gettop(L) != 1) return raiseError(L, "wrong number of arguments");
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1Hex(s ? s : "", s ? len : 0, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int redisLog(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) return raiseError(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1)) return raiseError(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return raiseError(L, "Invalid debug level.");
    if (level < cfg.loglevel) return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int j = 2; j <= argc; j++) {
        size_t len;
        const char *s = lua_tolstring(L, j, &len);
        if (!s) continue;
        if (j != 2) luaL_addchar(&b, ' ');
        luaL_addlstring(&b, s, len);
    }
    luaL_pushresult(&b);
    serverLog(level, "%s", lua_tostring(L, -1));
    return 0;
}

static int redisSetresp(lua_State *L) {
    if (lua_gettop(L) != 1) return raiseError(L, "redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, 1);
    if (resp != 2 && resp != 3) return raiseError(L, "RESP version must be 2 or 3.");
    if (scriptCur) scriptCur->resp = resp;
    return 0;
}

#define REPL_NONE 0
#define REPL_AOF 1
#define REPL_REPLICA 2
#define REPL_ALL 3

static int redisSetRepl(lua_State *L) {
    /* sic: Redis 7.0 says "two" */
    if (lua_gettop(L) != 1) return raiseError(L, "redis.set_repl() requires two arguments.");
    int flags = (int)lua_tonumber(L, 1);
    if ((flags & ~REPL_ALL) != 0)
        return raiseError(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    return 0;   /* accepted: roost does not replicate */
}

static int redisReplicateCommands(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}

static int redisBreakpoint(lua_State *L) {
    lua_pushboolean(L, 0);
    return 1;
}

static int redisDebug(lua_State *L) { return 0; }

static void setIntField(lua_State *L, const char *name, int v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, name);
}

void luaPushRedisLog(lua_State *L) { lua_pushcfunction(L, redisLog); }

void luaSetRedisVersion(lua_State *L) {
    setIntField(L, "LOG_DEBUG", LL_DEBUG);
    setIntField(L, "LOG_VERBOSE", LL_VERBOSE);
    setIntField(L, "LOG_NOTICE", LL_NOTICE);
    setIntField(L, "LOG_WARNING", LL_WARNING);
    lua_pushstring(L, REDIS_VERSION);
    lua_setfield(L, -2, "REDIS_VERSION");
    int maj = 0, min = 0, pat = 0;
    sscanf(REDIS_VERSION, "%d.%d.%d", &maj, &min, &pat);
    setIntField(L, "REDIS_VERSION_NUM", (maj << 16) | (min << 8) | pat);
}

/* pushRedisTable builds the `redis` table (not yet read-only); functions
 * get neither the debugger's stubs nor replicate_commands, as in Redis */
static void pushRedisTable(lua_State *L, bool forFunctions) {
    static const luaL_Reg fns[] = {
        { "call", scriptLuaCall }, { "pcall", scriptLuaPcall },
        { "error_reply", redisErrorReply }, { "status_reply", redisStatusReply },
        { "sha1hex", redisSha1hex }, { "log", redisLog }, { "setresp", redisSetresp },
        { "set_repl", redisSetRepl }, { "acl_check_cmd", scriptLuaAclCheckCmd },
        { "replicate_commands", redisReplicateCommands },   /* from here: EVAL only */
        { "breakpoint", redisBreakpoint }, { "debug", redisDebug }, { NULL, NULL },
    };
    lua_newtable(L);
    for (const luaL_Reg *f = fns; f->name; f++) {
        if (forFunctions && f->func == redisReplicateCommands) break;
        lua_pushcfunction(L, f->func);
        lua_setfield(L, -2, f->name);
    }
    luaSetRedisVersion(L);
    setIntField(L, "REPL_NONE", REPL_NONE);
    setIntField(L, "REPL_AOF", REPL_AOF);
    setIntField(L, "REPL_SLAVE", REPL_REPLICA);
    setIntField(L, "REPL_REPLICA", REPL_REPLICA);
    setIntField(L, "REPL_ALL", REPL_ALL);
}

/* ---- the state ------------------------------------------------------------------------ */

/* redis.pcall's sibling: Lua's pcall, except that an error table {err=m}
 * reaches the caller as the string m, as in Redis 7.0 */
static int sandboxPcall(lua_State *L) {
    int argc = lua_gettop(L);
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
        lua_remove(L, 1);
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "err");
            if (lua_isstring(L, -1)) lua_replace(L, -2);
            else lua_pop(L, 1);
        }
        lua_pushboolean(L, 0);
        lua_insert(L, 1);
    }
    return lua_gettop(L);
}

static void openLib(lua_State *L, lua_CFunction open, const char *name) {
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 0);
}

static void openLibs(lua_State *L) {
    openLib(L, luaopen_base, "");
    openLib(L, luaopen_table, LUA_TABLIBNAME);
    openLib(L, luaopen_string, LUA_STRLIBNAME);
    openLib(L, luaopen_math, LUA_MATHLIBNAME);
    lua_pushcfunction(L, luaopen_cjson);
    lua_call(L, 0, 1);
    lua_setglobal(L, "cjson");
    openLib(L, luaopen_bit, "bit");
    lua_getglobal(L, "bit");
    lua_pushcfunction(L, bitTohex);
    lua_setfield(L, -2, "tohex");
    lua_pop(L, 1);
    openLib(L, luaopenStruct, "struct");
    openLib(L, luaopenCmsgpack, "cmsgpack");
    static const char *removed[] = { "dofile", "loadfile", "print", "getfenv", "setfenv",
                                     "newproxy", NULL };
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[i]);
    }
}

/* wrapBase puts the sandbox's versions of the base functions in place */
static void wrapBase(lua_State *L) {
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    wrapField(L, "next", seeThrough);
    wrapField(L, "ipairs", seeThrough);
    wrapField(L, "rawget", seeThrough);
    wrapField(L, "rawset", refuseProxy);
    wrapField(L, "setmetatable", refuseProxy);
    lua_getfield(L, -1, "next");
    lua_pushcclosure(L, sandboxPairs, 1);
    lua_setfield(L, -2, "pairs");
    lua_pushcfunction(L, sandboxPcall);
    lua_setfield(L, -2, "pcall");
    lua_pushcfunction(L, sandboxLoadstring);
    lua_setfield(L, -2, "loadstring");
    lua_pushcfunction(L, sandboxLoad);
    lua_setfield(L, -2, "load");
    lua_getfield(L, -1, "table");
    static const char *tableWrites[] = { "insert", "remove", "sort", "setn", NULL };
    for (int i = 0; tableWrites[i]; i++) wrapField(L, tableWrites[i], refuseProxy);
    lua_pop(L, 1);
    lua_getfield(L, -1, "math");
    lua_pushcfunction(L, mathRandom);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, mathRandomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 2);
}

/* protect makes every library read-only, G's misses raise, and _G the
 * proxy scripts see as their globals */
static void protect(lua_State *L) {
    static const char *libs[] = { "string", "table", "math", "coroutine", "cjson", "bit", "struct",
                                  "cmsgpack", "redis", NULL };
    for (int i = 0; libs[i]; i++) {
        lua_getglobal(L, libs[i]);
        luaMakeReadonly(L);
        if (i == 0) {                        /* ("x"):len() goes through the proxy too */
            lua_pushliteral(L, "");
            lua_getmetatable(L, -1);
            lua_pushvalue(L, -3);
            lua_setfield(L, -2, "__index");
            lua_pop(L, 2);
        }
        lua_setglobal(L, libs[i]);
    }
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    luaMakeReadonly(L);
    lua_setglobal(L, "_G");
    luaPushMissingGlobalMeta(L);
    lua_setmetatable(L, LUA_GLOBALSINDEX);
}

lua_State *luaEngineNew(bool forFunctions) {
    luaMem *mem = calloc(1, sizeof *mem);
    lua_State *L = lua_newstate(luaAlloc, mem);
    if (!L) {                                /* broken invariant: out of memory */
        serverLog(LL_WARNING, "scripting: cannot create a Lua state");
        abort();
    }
    lua_newtable(L);                         /* proxy -> real, weak keys */
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, RO_MAP);
    openLibs(L);
    pushRedisTable(L, forFunctions);
    lua_setglobal(L, "redis");
    wrapBase(L);
    if (!forFunctions) {
        lua_pushcfunction(L, luaErrorHandler);
        lua_setglobal(L, "__redis__err__handler");
        lua_newtable(L);
        lua_setglobal(L, "KEYS");
        lua_newtable(L);
        lua_setglobal(L, "ARGV");
    }
    protect(L);
    return L;
}

void luaEngineFree(lua_State *L) {
    if (!L) return;
    void *ud;
    lua_getallocf(L, &ud);
    lua_close(L);
    free(ud);
}

void luaPushMissingGlobalMeta(lua_State *L) {
    lua_newtable(L);
    lua_pushcfunction(L, globalsIndex);
    lua_setfield(L, -2, "__index");
}

void luaSetEnvIndex(lua_State *L) {
    lua_getfield(L, LUA_GLOBALSINDEX, "_G");     /* the proxy scripts see */
    lua_getmetatable(L, -1);                     /* its real metatable */
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 3);
}

void luaPushArgTable(lua_State *L, const char **argv, const size_t *lens, int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, argv[i], lens[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

void luaFillArgTable(lua_State *L, const char **argv, const size_t *lens, int n) {
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, argv[i], lens[i]);
        lua_rawseti(L, -2, i + 1);
    }
    for (int i = n + 1;; i++) {              /* what a longer earlier run (or the script) left */
        lua_rawgeti(L, -1, i);
        bool more = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (!more) break;
        lua_pushnil(L);
        lua_rawseti(L, -2, i);
    }
}

/* ---- errors ---------------------------------------------------------------------------- */

/* luaErrorHandler: turn any error into {err = ..., source = ..., line = ...}:
 * a string (or other value) becomes "ERR <value>"; the position is that
 * of the function that raised, or of its caller when that is a C function
 * (error(), redis.call) */
int luaErrorHandler(lua_State *L) {
    lua_Debug ar;
    bool have = lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar);
    if (have && strcmp(ar.what, "C") == 0)
        have = lua_getstack(L, 2, &ar) && lua_getinfo(L, "Sl", &ar);
    if (!lua_istable(L, 1)) {
        lua_getglobal(L, "tostring");
        lua_pushvalue(L, 1);
        lua_call(L, 1, 1);
        lua_pushliteral(L, "ERR ");
        lua_insert(L, -2);
        lua_concat(L, 2);
        lua_newtable(L);
        lua_insert(L, -2);
        lua_setfield(L, -2, "err");
        lua_replace(L, 1);
    }
    if (have) {
        lua_pushstring(L, ar.source);
        lua_setfield(L, 1, "source");
        lua_pushnumber(L, ar.currentline);
        lua_setfield(L, 1, "line");
    }
    lua_settop(L, 1);
    return 1;
}

void luaReplyErrorLong(client *c, const char *msg, size_t len) {
    char *buf = zmalloc(len + 1);
    for (size_t i = 0; i < len; i++)   /* an error is one line */
        buf[i] = (msg[i] == '\r' || msg[i] == '\n') ? ' ' : msg[i];
    buf[len] = '\0';
    addReplyError(c, buf);
    zfree(buf);
}

void luaReplyRunError(client *c, lua_State *L, const char *name) {
    if (!lua_istable(L, -1)) {
        const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
        addReplyErrorFormat(c, "Error running script %s, %.100s", name, msg);
        lua_pop(L, 1);
        return;
    }
    lua_getfield(L, -1, "err");
    lua_getfield(L, -2, "source");
    lua_getfield(L, -3, "line");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '-');
    size_t len;
    const char *msg = lua_tolstring(L, -3, &len);
    if (msg) luaL_addlstring(&b, msg, len);
    if (lua_isstring(L, -2) && lua_isnumber(L, -1)) {
        char tail[128];
        snprintf(tail, sizeof tail, " script: %s, on ", name);
        luaL_addstring(&b, tail);
        luaL_addstring(&b, lua_tostring(L, -2));
        snprintf(tail, sizeof tail, ":%d.", (int)lua_tonumber(L, -1));
        luaL_addstring(&b, tail);
    }
    luaL_pushresult(&b);
    const char *out = lua_tolstring(L, -1, &len);
    luaReplyErrorLong(c, out, len);
    lua_pop(L, 5);
}
