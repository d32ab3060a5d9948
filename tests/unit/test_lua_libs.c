/* test_lua_libs.c — the struct and cmsgpack script libraries (lua_struct.c,
 * lua_cmsgpack.c) against redis-server 7.0.15, byte for byte and error for
 * error.
 *
 * Each case below is a Lua expression and the text redis-server 7.0.15
 * returned for
 *     EVAL "<SHOW> return S(pcall(function() return <expr> end))" 0
 * with SHOW the Lua text below squeezed onto one line. We run the same chunk,
 * named "@user_script" as Redis names scripts, so error positions read
 * "user_script:1:" in both. SHOW renders a result as text: a string as 'text'
 * when it is printable ASCII without ' or \, else as x'<hex bytes>'; a
 * number with %.17g; a table as {k=v,...} sorted; a failure as "error: " and
 * the message. The one value that differs from Redis on purpose is
 * cmsgpack._COPYRIGHT (see lua_cmsgpack.c), checked on its own.
 *
 * Then properties: random byte strings and formats never crash the decoders
 * (each call returns or raises one of the libraries' errors), random values
 * survive a pack/unpack round trip (as they do in Redis), and the openers
 * keep their luaopen_* contract. Random tests print their seed on failure;
 * ROOST_SEED=<n> replays one. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "server/lua_libs.h"
#include "test_rng.h"

typedef struct luaCase {
    const char *expr; /* a Lua expression list, evaluated inside pcall */
    const char *want; /* what Redis returned for it, through SHOW */
} luaCase;

/* SHOW defines the global S(ok, ...) that renders pcall's results. */
static const char *SHOW =
    "local function ser(v)\n"
    "  local t = type(v)\n"
    "  if t == 'string' then\n"
    "    for i = 1, #v do\n"
    "      local b = v:byte(i)\n"
    "      if b < 32 or b > 126 or b == 39 or b == 92 then\n"
    "        return \"x'\" .. v:gsub('.', function(c) return string.format('%02x', c:byte()) end)"
    " .. \"'\"\n"
    "      end\n"
    "    end\n"
    "    return \"'\" .. v .. \"'\"\n"
    "  elseif t == 'number' then return string.format('%.17g', v)\n"
    "  elseif t == 'table' then\n"
    "    local parts = {}\n"
    "    for k, x in pairs(v) do parts[#parts + 1] = ser(k) .. '=' .. ser(x) end\n"
    "    table.sort(parts)\n"
    "    return '{' .. table.concat(parts, ',') .. '}'\n"
    "  else return tostring(v) end\n"
    "end\n"
    "function S(ok, ...)\n"
    "  if not ok then return 'error: ' .. tostring((...)) end\n"
    "  local out = {}\n"
    "  for i = 1, select('#', ...) do out[i] = ser((select(i, ...))) end\n"
    "  return table.concat(out, ', ')\n"
    "end\n";

/* newScriptState: a state with Lua's libraries, struct, cmsgpack and S. */
static lua_State *newScriptState(void) {
    lua_State *L = luaL_newstate();
    cr_assert_not_null(L);
    luaL_openlibs(L);
    lua_pushcfunction(L, luaopenStruct);
    lua_call(L, 0, 0);
    lua_pushcfunction(L, luaopenCmsgpack);
    lua_call(L, 0, 0);
    cr_assert_eq(luaL_dostring(L, SHOW), 0, "SHOW: %s", lua_tostring(L, -1));
    return L;
}

/* evalShow: S(pcall(function() return expr end)) as a malloc'd string. */
static char *evalShow(lua_State *L, const char *expr) {
    const char *fmt = "return S(pcall(function() return %s end))";
    size_t n = strlen(fmt) + strlen(expr);
    char *chunk = malloc(n);
    snprintf(chunk, n, fmt, expr);
    int rc = luaL_loadbuffer(L, chunk, strlen(chunk), "@user_script");
    if (rc == 0) rc = lua_pcall(L, 0, 1, 0);
    free(chunk);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    cr_assert_eq(rc, 0, "%s: %s", expr, s ? s : "(no message)");
    cr_assert_not_null(s, "%s: S returned no string", expr);
    char *out = malloc(len + 1);
    memcpy(out, s, len + 1);
    lua_settop(L, 0);
    return out;
}

static void checkCases(const luaCase *cases, size_t n) {
    lua_State *L = newScriptState();
    for (size_t i = 0; i < n; i++) {
        char *got = evalShow(L, cases[i].expr);
        cr_expect_str_eq(got, cases[i].want, "%s\n  got:  %s\n  want: %s", cases[i].expr, got,
                         cases[i].want);
        free(got);
    }
    lua_close(L);
}

#define CHECK_CASES(cases) checkCases(cases, sizeof(cases) / sizeof((cases)[0]))

/* ==== cases: expected values as redis-server 7.0.15 returned them ========== */

/* !n alignment (odd sizes included) and x padding */
static const luaCase structAlignment[] = {
    {"struct.pack('!4bi', 1, 2)",
     "x'0100000002000000'"},
    {"struct.pack('!bd', 1, 2)",
     "x'01000000000000000000000000000040'"},
    {"struct.pack('!2bd', 1, 2)",
     "x'01000000000000000040'"},
    {"struct.pack('!16 b d', 1, 2)",
     "x'01000000000000000000000000000040'"},
    {"struct.pack('!1 b d', 1, 2)",
     "x'010000000000000040'"},
    {"struct.pack('>!4 b h b i b l', 1, 2, 3, 4, 5, 6)",
     "x'010000020300000000000004050000000000000000000006'"},
    {"struct.pack('<!2 b h b i b l', 1, 2, 3, 4, 5, 6)",
     "x'0100020003000400000005000600000000000000'"},
    {"struct.pack('!8 b T b L b d b f', 1, 2, 3, 4, 5, 6, 7, 8)",
     "x'010000000000000002000000000000000300000000000000040000000000000005000000000000000000"
     "0000000018400700000000000041'"},
    {"struct.pack('!4 b x i', 1, 2)",
     "x'0100000002000000'"},
    {"struct.pack('!4 b s i', 1, 'ab', 2)",
     "x'0161620002000000'"},
    {"struct.pack('!4 b c1 i', 1, 'a', 2)",
     "x'0161000002000000'"},
    {"struct.pack('!4 b i3 i', 1, 2, 3)",
     "x'010000020000000003000000'"},
    {"struct.pack('!4 bbb i3', 1, 2, 3, 4)",
     "x'010203040000'"},
    {"struct.pack('!8 b i6', 1, 2)",
     "x'010000000000020000000000'"},
    {"struct.pack('!8 bbb i5', 1, 2, 3, 4)",
     "x'010203000000000400000000'"},
    {"struct.pack('!8 b i12', 1, 2)",
     "x'0100000000000000020000000000000000000000'"},
    {"struct.pack('!4 b !2 h', 1, 2)",
     "x'01000200'"},
    {"struct.pack('x')",
     "x'00'"},
    {"struct.pack('xbx', 7)",
     "x'000700'"},
    {"struct.unpack('!4bi', '\\1\\0\\0\\0\\2\\0\\0\\0')",
     "1, 2, 9"},
    {"struct.unpack('!8 bbb i7', string.rep('\\1', 20))",
     "1, 1, 1, 282578800148737, 15"},
    {"struct.unpack('!8 bbbbbb i7', string.rep('\\1', 20))",
     "1, 1, 1, 1, 1, 1, 282578800148737, 14"},
    {"struct.unpack('!4 b i', '\\1\\0\\0\\0\\2\\0\\0\\0\\3\\0\\0\\0', 2)",
     "0, 2, 9"},
    {"struct.unpack('!4 i', '\\1\\0\\0\\0\\2\\0\\0\\0\\3\\0\\0\\0', 2)",
     "2, 9"},
    {"struct.unpack('!8 d', string.rep('\\0', 16), 9)",
     "0, 17"},
    {"struct.unpack('!4 s i', 'ab\\0\\0\\1\\0\\0\\0')",
     "'ab', 1, 9"},
    {"struct.unpack('!4 c3 i', 'abc\\0\\1\\0\\0\\0')",
     "'abc', 1, 9"},
    {"struct.unpack('xb', '\\1\\2')",
     "2, 3"},
};

/* error messages, luaL_Buffer quirks, the 8000-slot result limit */
static const luaCase structErrors[] = {
    {"struct.pack('>q', 1)",
     "error: user_script:1: bad argument #1 to 'pack' (invalid format option 'q')"},
    {"struct.pack('=i', 1)",
     "error: user_script:1: bad argument #1 to 'pack' (invalid format option '=')"},
    {"struct.pack('\\233')",
     "error: user_script:1: bad argument #1 to 'pack' (invalid format option '\xe9""')"},
    {"struct.pack(12, 1)",
     "error: user_script:1: bad argument #1 to 'pack' (invalid format option '1')"},
    {"struct.pack(nil, 1)",
     "error: user_script:1: bad argument #1 to 'pack' (string expected, got nil)"},
    {"struct.pack('!3i', 1)",
     "error: user_script:1: alignment 3 is not a power of 2"},
    {"struct.pack('!0i', 1)",
     "error: user_script:1: alignment 0 is not a power of 2"},
    {"struct.pack('!2147483648 b d', 1, 2)",
     "error: user_script:1: integral size overflow"},
    {"struct.pack('!2147483647 b d', 1, 2)",
     "error: user_script:1: alignment 2147483647 is not a power of 2"},
    {"struct.pack('i33', 1)",
     "error: user_script:1: integral size 33 is larger than limit of 32"},
    {"struct.pack('i99999999999', 1)",
     "error: user_script:1: integral size overflow"},
    {"struct.pack('b')",
     "error: user_script:1: bad argument #2 to 'pack' (number expected, got nil)"},
    {"struct.pack('f')",
     "error: user_script:1: bad argument #2 to 'pack' (number expected, got nil)"},
    {"struct.pack('b', 'x')",
     "error: user_script:1: bad argument #2 to 'pack' (number expected, got string)"},
    {"struct.pack('d', {})",
     "error: user_script:1: bad argument #2 to 'pack' (number expected, got table)"},
    {"struct.pack('s')",
     "error: user_script:1: bad argument #2 to 'pack' (string expected, got nil)"},
    {"struct.pack('s', {})",
     "error: user_script:1: bad argument #2 to 'pack' (string expected, got table)"},
    {"struct.pack('c10', 'abc')",
     "error: user_script:1: bad argument #3 to 'pack' (string too short)"},
    {"struct.pack('bc10', 1, 'abc')",
     "error: user_script:1: bad argument #4 to 'pack' (string too short)"},
    {"struct.pack('c2147483647', 'a')",
     "error: user_script:1: bad argument #3 to 'pack' (string too short)"},
    {"struct.pack('b\\0b', 1, 2)",
     "x'01'"},
    {"struct.pack('')",
     "''"},
    {"struct.pack('b', 1, 2, 3)",
     "x'01'"},
    {"struct.pack('c8192b', string.rep('1', 8192), 2):sub(8190)",
     "x'31313102'"},
    {"#struct.pack('c8192b', string.rep('1', 8192))",
     "error: user_script:1: bad argument #3 to 'pack' (number expected, got nil)"},
    {"struct.unpack('b')",
     "error: user_script:1: bad argument #2 to 'unpack' (string expected, got no value)"},
    {"struct.unpack()",
     "error: user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"},
    {"struct.unpack('b', '1', 'x')",
     "error: user_script:1: bad argument #3 to 'unpack' (number expected, got string)"},
    {"struct.unpack('\\233', '')",
     "error: user_script:1: bad argument #1 to 'unpack' (invalid format option '\xe9""')"},
    {"struct.unpack('i', 'abc')",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('x', '')",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('s', 'abc')",
     "error: user_script:1: unfinished string in data"},
    {"struct.unpack('s', '')",
     "error: user_script:1: unfinished string in data"},
    {"struct.unpack('c0', 'abc')",
     "error: user_script:1: format 'c0' needs a previous size"},
    {"struct.unpack('c2147483647', 'a')",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"select('#', struct.unpack(string.rep('b', 7997), string.rep('a', 7997)))",
     "7998"},
    {"struct.unpack(string.rep('b', 7998), string.rep('a', 7998))",
     "error: user_script:1: stack overflow (too many results)"},
    {"struct.unpack(string.rep('b', 7997) .. 'x', string.rep('a', 7998))",
     "error: user_script:1: stack overflow (too many results)"},
    {"struct.unpack(string.rep('b', 7997) .. 'x', string.rep('a', 7997))",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"select('#', struct.unpack(string.rep('b', 7996) .. 'c0', string.rep('\\2', 7998)))",
     "7997"},
};

/* f and d, both byte orders, NaN and infinities */
static const luaCase structFloats[] = {
    {"struct.pack('d', 1.5)",
     "x'000000000000f83f'"},
    {"struct.pack('>d', 1.5)",
     "x'3ff8000000000000'"},
    {"struct.pack('>d', 2^53 + 1)",
     "x'4340000000000000'"},
    {"struct.pack('<d', 0/0)",
     "x'000000000000f8ff'"},
    {"struct.pack('<d', -0.0)",
     "x'0000000000000080'"},
    {"struct.pack('>d', -1/0)",
     "x'fff0000000000000'"},
    {"struct.pack('>f', 1.5)",
     "x'3fc00000'"},
    {"struct.pack('<f', 0.1)",
     "x'cdcccc3d'"},
    {"struct.pack('<f', 1e300)",
     "x'0000807f'"},
    {"struct.pack('<f', -1e-50)",
     "x'00000080'"},
    {"struct.pack('f', '2.5')",
     "x'00002040'"},
    {"struct.unpack('>f', '\\63\\192\\0\\0')",
     "1.5, 5"},
    {"struct.unpack('<f', '\\205\\204\\204\\61')",
     "0.10000000149011612, 5"},
    {"struct.unpack('>d', '\\127\\240\\0\\0\\0\\0\\0\\0')",
     "inf, 9"},
    {"struct.unpack('>d', '\\255\\248\\0\\0\\0\\0\\0\\0')",
     "-nan, 9"},
    {"struct.unpack('<d', '\\0\\0\\0\\0\\0\\0\\240\\63')",
     "1, 9"},
    {"struct.unpack('>f', '\\0\\0\\0\\1')",
     "1.4012984643248171e-45, 5"},
    {"struct.unpack('<fd', struct.pack('<fd', 0.25, 1e300))",
     "0.25, 1.0000000000000001e+300, 13"},
};

/* b B h H l L T i[n] I[n]: pack conversions and unpack sign extension, n up to 32 */
static const luaCase structIntegers[] = {
    {"struct.pack('b', -1)",
     "x'ff'"},
    {"struct.pack('B', 255)",
     "x'ff'"},
    {"struct.pack('b', -129)",
     "x'7f'"},
    {"struct.pack('B', 256)",
     "x'00'"},
    {"struct.pack('<h', -2)",
     "x'feff'"},
    {"struct.pack('>h', -2)",
     "x'fffe'"},
    {"struct.pack('<H', 65535)",
     "x'ffff'"},
    {"struct.pack('>H', -1)",
     "x'ffff'"},
    {"struct.pack('h', 70000)",
     "x'7011'"},
    {"struct.pack('<l', -2)",
     "x'feffffffffffffff'"},
    {"struct.pack('>L', 2^63 + 2^11)",
     "x'8000000000000800'"},
    {"struct.pack('<T', 1)",
     "x'0100000000000000'"},
    {"struct.pack('>T', 2^40)",
     "x'0000010000000000'"},
    {"struct.pack('i', 1)",
     "x'01000000'"},
    {"struct.pack('>i', -2)",
     "x'fffffffe'"},
    {"struct.pack('>I2', 258)",
     "x'0102'"},
    {"struct.pack('<I3', 2^24 + 7)",
     "x'070000'"},
    {"struct.pack('>i7', -2)",
     "x'fffffffffffffe'"},
    {"struct.pack('<i8', -2^63)",
     "x'0000000000000080'"},
    {"struct.pack('i0', 5)",
     "''"},
    {"struct.pack('<i9', -1)",
     "x'ffffffffffffffff00'"},
    {"struct.pack('>i12', 1)",
     "x'000000000000000000000001'"},
    {"struct.pack('>i32', -2)",
     "x'000000000000000000000000000000000000000000000000fffffffffffffffe'"},
    {"struct.pack('i', '0x10')",
     "x'10000000'"},
    {"struct.pack('b', '12')",
     "x'0c'"},
    {"struct.pack('<i8', 2.7)",
     "x'0200000000000000'"},
    {"struct.pack('<i8', -2.7)",
     "x'feffffffffffffff'"},
    {"struct.pack('<I8', -1)",
     "x'ffffffffffffffff'"},
    {"struct.pack('<I8', 2^63)",
     "x'0000000000000080'"},
    {"struct.pack('<I8', 2^64)",
     "x'0000000000000000'"},
    {"struct.pack('<i8', 2^64 - 2^11)",
     "x'00f8ffffffffffff'"},
    {"struct.pack('<i4', 2^40 + 5)",
     "x'05000000'"},
    {"struct.pack('<i9', 1e30)",
     "x'000000000000000000'"},
    {"struct.pack('<i8', 0/0)",
     "x'0000000000000080'"},
    {"struct.pack('<i8', 1/0)",
     "x'0000000000000000'"},
    {"struct.pack('<i8', -1/0)",
     "x'0000000000000080'"},
    {"struct.pack('<i8', -2^70)",
     "x'0000000000000080'"},
    {"struct.pack('>I12', 2^64 - 1)",
     "x'000000000000000000000000'"},
    {"struct.unpack('b', '\\255')",
     "-1, 2"},
    {"struct.unpack('B', '\\255')",
     "255, 2"},
    {"struct.unpack('>h', '\\255\\254')",
     "-2, 3"},
    {"struct.unpack('>H', '\\255\\254')",
     "65534, 3"},
    {"struct.unpack('<h', '\\255\\127')",
     "32767, 3"},
    {"struct.unpack('<l', '\\255\\255\\255\\255\\255\\255\\255\\127')",
     "9.2233720368547758e+18, 9"},
    {"struct.unpack('<L', '\\255\\255\\255\\255\\255\\255\\255\\255')",
     "1.8446744073709552e+19, 9"},
    {"struct.unpack('>l', '\\128\\0\\0\\0\\0\\0\\0\\0')",
     "-9.2233720368547758e+18, 9"},
    {"struct.unpack('<T', '\\1\\0\\0\\0\\0\\0\\0\\0')",
     "1, 9"},
    {"struct.unpack('i', '\\254\\255\\255\\255')",
     "-2, 5"},
    {"struct.unpack('I', '\\254\\255\\255\\255')",
     "4294967294, 5"},
    {"struct.unpack('<i4', '\\1\\2\\3\\4\\5', 2)",
     "84148994, 6"},
    {"struct.unpack('>i3', '\\128\\0\\0')",
     "-8388608, 4"},
    {"struct.unpack('<i7', '\\0\\0\\0\\0\\0\\0\\128')",
     "-36028797018963968, 8"},
    {"struct.unpack('>I8', '\\128\\0\\0\\0\\0\\0\\0\\1')",
     "9.2233720368547758e+18, 9"},
    {"struct.unpack('>i0', '')",
     "0, 1"},
    {"struct.unpack('<i9', '\\255\\255\\255\\255\\255\\255\\255\\255\\255')",
     "-1, 10"},
    {"struct.unpack('<I9', '\\255\\255\\255\\255\\255\\255\\255\\255\\255')",
     "1.8446744073709552e+19, 10"},
    {"struct.unpack('<i9', '\\128\\0\\0\\0\\0\\0\\0\\0\\0')",
     "-128, 10"},
    {"struct.unpack('<i9', '\\0\\1\\0\\0\\0\\0\\0\\0\\0')",
     "-128, 10"},
    {"struct.unpack('<I9', '\\0\\0\\0\\0\\0\\0\\0\\0\\1')",
     "0, 10"},
    {"struct.unpack('<i10', '\\0\\128\\0\\0\\0\\0\\0\\0\\0\\0')",
     "-32768, 11"},
    {"struct.unpack('<i16', '\\0\\0\\0\\0\\0\\0\\0\\64\\0\\0\\0\\0\\0\\0\\0\\0')",
     "4.6116860184273879e+18, 17"},
    {"struct.unpack('<i16', '\\0\\0\\0\\0\\0\\0\\0\\128\\0\\0\\0\\0\\0\\0\\0\\0')",
     "-9.2233720368547758e+18, 17"},
    {"struct.unpack('>i32', string.rep('\\255', 32))",
     "-1, 33"},
    {"struct.unpack('>I32', string.rep('\\255', 32))",
     "1.8446744073709552e+19, 33"},
    {"struct.unpack('<bBhHlLTiI', struct.pack('<bBhHlLTiI', -1, 2, -3, 4, -5, 6, 7, -8, 9))",
     "-1, 2, -3, 4, -5, 6, 7, -8, 9, 39"},
    {"struct.unpack('>bBhHlLTiI', struct.pack('>bBhHlLTiI', -1, 2, -3, 4, -5, 6, 7, -8, 9))",
     "-1, 2, -3, 4, -5, 6, 7, -8, 9, 39"},
};

/* unpack's start position and the next position it returns */
static const luaCase structPositions[] = {
    {"struct.unpack('b', 'abcd', 4)",
     "100, 5"},
    {"struct.unpack('b', '1', 1.9)",
     "49, 2"},
    {"struct.unpack('i', '\\1\\0\\0\\0\\2\\0\\0\\0', 5)",
     "2, 9"},
    {"struct.unpack('', '')",
     "1"},
    {"struct.unpack('', 'abc', 100)",
     "100"},
    {"struct.unpack('', 'abc', -5)",
     "-5"},
    {"struct.unpack('', '', 3)",
     "3"},
    {"struct.unpack('', 'abc', '0x10')",
     "16"},
    {"struct.unpack('b', 1)",
     "49, 2"},
    {"struct.unpack('b', 'abc', -5)",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('i', 'abcd', 0)",
     "error: user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)"},
    {"struct.unpack('i', 'abcd', 5)",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('x', 'a', 2)",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('!8 d', string.rep('\\0', 16), 10)",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
};

/* struct.size */
static const luaCase structSizes[] = {
    {"struct.size('')",
     "0"},
    {"struct.size('bd')",
     "9"},
    {"struct.size('!bd')",
     "16"},
    {"struct.size('!8bT')",
     "16"},
    {"struct.size('lLhHT')",
     "28"},
    {"struct.size('i0 I9 i32')",
     "41"},
    {"struct.size('!8 bbbbb i12')",
     "20"},
    {"struct.size('!8 bb i7')",
     "13"},
    {"struct.size('!4 b i !2 b i')",
     "14"},
    {"struct.size('c')",
     "1"},
    {"struct.size('c5i')",
     "9"},
    {"struct.size('!4c5i')",
     "12"},
    {"struct.size('x!')",
     "1"},
    {"struct.size('q')",
     "0"},
    {"struct.size('Z')",
     "0"},
    {"struct.size('s')",
     "error: user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)"},
    {"struct.size('c0')",
     "error: user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)"},
    {"struct.size('i99')",
     "error: user_script:1: integral size 99 is larger than limit of 32"},
    {"struct.size('#')",
     "error: user_script:1: bad argument #1 to 'size' (invalid format option '#')"},
    {"struct.size('\\233')",
     "error: user_script:1: bad argument #1 to 'size' (invalid format option '\xe9""')"},
    {"struct.size()",
     "error: user_script:1: bad argument #1 to 'size' (string expected, got no value)"},
};

/* s, c[n], and c0 taking its length from the previous result */
static const luaCase structStrings[] = {
    {"struct.pack('s', 'abc')",
     "x'61626300'"},
    {"struct.pack('s', 'a\\0b')",
     "x'61006200'"},
    {"struct.pack('s', '')",
     "x'00'"},
    {"struct.pack('s', 12)",
     "x'313200'"},
    {"struct.pack('c', 'abc')",
     "'a'"},
    {"struct.pack('c2c', 'abc', 'x')",
     "'abx'"},
    {"struct.pack('c0', 'abc')",
     "'abc'"},
    {"struct.pack('c0', '')",
     "''"},
    {"struct.pack('c3', 'abc')",
     "'abc'"},
    {"struct.unpack('s', 'abc\\0de')",
     "'abc', 5"},
    {"struct.unpack('s', '\\0')",
     "'', 2"},
    {"struct.unpack('s s', 'a\\0b\\0')",
     "'a', 'b', 5"},
    {"struct.unpack('c', 'abc')",
     "'a', 2"},
    {"struct.unpack('c2 c', 'abc')",
     "'ab', 'c', 4"},
    {"struct.unpack('c0', 'abc', 1)",
     "error: user_script:1: format 'c0' needs a previous size"},
    {"struct.unpack('bc0', '\\2abc')",
     "'ab', 4"},
    {"struct.unpack('bc0', '\\0')",
     "'', 2"},
    {"struct.unpack('bbc0', '\\1\\0')",
     "1, '', 3"},
    {"struct.unpack('bxc0', '\\1\\0a')",
     "'a', 4"},
    {"struct.unpack('b c0', '\\1a')",
     "'a', 3"},
    {"struct.unpack('b!4c0', '\\1\\0a')",
     "x'00', 3"},
    {"struct.unpack('sc0', '2\\0abc')",
     "'ab', 5"},
    {"struct.unpack('dc0', '\\0\\0\\0\\0\\0\\0\\248\\63ab')",
     "'a', 10"},
    {"struct.unpack('dc0', '\\0\\0\\0\\0\\0\\0\\240\\127a')",
     "'', 9"},
    {"struct.unpack('ic0', '\\0\\0\\0\\0a')",
     "'', 5"},
    {"struct.unpack('bc0', '\\255abc')",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('dc0', '\\0\\0\\0\\0\\0\\0\\248\\127a')",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
    {"struct.unpack('bc0', '\\3ab')",
     "error: user_script:1: bad argument #2 to 'unpack' (data string too short)"},
};

/* decoding nests until Lua's stack limit, about 4000 levels */
static const luaCase mpDeepNesting[] = {
    {"(function() local n, v = 0, cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1') while "
     "type(v) == 'table' do n = n + 1 v = v[1] end return n, v end)()",
     "3999, 1"},
    {"cmsgpack.unpack(string.rep('\\145', 4000) .. '\\1')",
     "error: user_script:1: stack overflow (in function mp_decode_to_lua_array)"},
    {"cmsgpack.unpack(string.rep('\\145', 100000) .. '\\1')",
     "error: user_script:1: stack overflow (in function mp_decode_to_lua_array)"},
    {"cmsgpack.unpack(string.rep('\\129\\1', 4000) .. '\\1')",
     "error: user_script:1: stack overflow (too many return values at once; use unpack_one o"
     "r unpack_limit instead.)"},
    {"cmsgpack.unpack(string.rep('\\129', 100000) .. '\\1')",
     "error: user_script:1: stack overflow (too many return values at once; use unpack_one o"
     "r unpack_limit instead.)"},
    {"cmsgpack.unpack('\\1\\1\\1' .. string.rep('\\145', 3998) .. '\\1')",
     "error: user_script:1: stack overflow (too many return values at once; use unpack_one o"
     "r unpack_limit instead.)"},
    {"cmsgpack.unpack('\\1\\1\\1' .. string.rep('\\145', 3998))",
     "error: user_script:1: Missing bytes in input."},
    {"#{cmsgpack.unpack('\\1\\1' .. string.rep('\\145', 3998) .. '\\1')}",
     "3"},
    {"cmsgpack.unpack_one(string.rep('\\145', 4000) .. '\\1')",
     "error: user_script:1: stack overflow (in function mp_decode_to_lua_array)"},
};

/* metadata fields and the order pairs() walks the tables */
static const luaCase libFields[] = {
    {"cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._DESCRIPTION",
     "'cmsgpack', 'lua-cmsgpack 0.4.0', 'MessagePack C implementation for Lua'"},
    {"(function() local k = {} for n in pairs(cmsgpack) do k[#k+1]=n end return table.concat"
     "(k, ' ') end)()",
     "'_DESCRIPTION pack _NAME unpack _COPYRIGHT _VERSION unpack_one unpack_limit'"},
    {"(function() local k = {} for n in pairs(struct) do k[#k+1]=n end return table.concat(k"
     ", ' ') end)()",
     "'pack size unpack'"},
};

/* other numbers: float32 when exact, else float64 */
static const luaCase mpPackFloats[] = {
    {"cmsgpack.pack(0.5, 1.5, -1.5)",
     "x'ca3f000000ca3fc00000cabfc00000'"},
    {"cmsgpack.pack(0.1)",
     "x'cb3fb999999999999a'"},
    {"cmsgpack.pack(1e300)",
     "x'cb7e37e43c8800759c'"},
    {"cmsgpack.pack(2^63)",
     "x'ca5f000000'"},
    {"cmsgpack.pack(2^64)",
     "x'ca5f800000'"},
    {"cmsgpack.pack(-2^64)",
     "x'cadf800000'"},
    {"cmsgpack.pack(2^100, -2^100)",
     "x'ca71800000caf1800000'"},
    {"cmsgpack.pack(1/0, -1/0)",
     "x'ca7f800000caff800000'"},
    {"cmsgpack.pack(0/0)",
     "x'cbfff8000000000000'"},
    {"cmsgpack.pack(3.4028234663852886e38)",
     "x'ca7f7fffff'"},
    {"cmsgpack.pack(1e-45, 2^-149)",
     "x'cb3696d601ad376ab9ca00000001'"},
    {"cmsgpack.pack(2^32 + 0.5)",
     "x'cb41f0000000080000'"},
    {"cmsgpack.pack(123456789.25)",
     "x'cb419d6f3455000000'"},
    {"cmsgpack.pack(1e15 + 0.5)",
     "x'cb430c6bf526340004'"},
    {"cmsgpack.pack(2^64 - 2^11)",
     "x'cb43efffffffffffff'"},
};

/* integral numbers take the shortest integer type */
static const luaCase mpPackIntegers[] = {
    {"cmsgpack.pack(0, 1, 127)",
     "x'00017f'"},
    {"cmsgpack.pack(128, 255)",
     "x'cc80ccff'"},
    {"cmsgpack.pack(256, 65535)",
     "x'cd0100cdffff'"},
    {"cmsgpack.pack(65536, 4294967295)",
     "x'ce00010000ceffffffff'"},
    {"cmsgpack.pack(4294967296, 2^53)",
     "x'cf0000000100000000cf0020000000000000'"},
    {"cmsgpack.pack(2^63 - 2^10)",
     "x'cf7ffffffffffffc00'"},
    {"cmsgpack.pack(-1, -32)",
     "x'ffe0'"},
    {"cmsgpack.pack(-33, -128)",
     "x'd0dfd080'"},
    {"cmsgpack.pack(-129, -32768)",
     "x'd1ff7fd18000'"},
    {"cmsgpack.pack(-32769, -2147483648)",
     "x'd2ffff7fffd280000000'"},
    {"cmsgpack.pack(-2147483649, -2^53)",
     "x'd3ffffffff7fffffffd3ffe0000000000000'"},
    {"cmsgpack.pack(-2^63)",
     "x'd38000000000000000'"},
    {"cmsgpack.pack(-0.0)",
     "x'00'"},
    {"cmsgpack.pack('12')",
     "x'a23132'"},
};

/* argument and result count limits; stack checks while packing */
static const luaCase mpStackLimits[] = {
    {"cmsgpack.pack()",
     "error: user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)"},
    {"#cmsgpack.pack(unpack({}, 1, 4000))",
     "4000"},
    {"#cmsgpack.pack(unpack({}, 1, 4001))",
     "error: user_script:1: bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)"},
    {"(function() local t = {} for i = 1, 4000 do t[i] = {1} end return #cmsgpack.pack(unpac"
     "k(t)) end)()",
     "error: user_script:1: stack overflow (in function table_is_an_array)"},
    {"(function() local t = {} for i = 1, 4000 do t[i] = {a=1} end return #cmsgpack.pack(unp"
     "ack(t)) end)()",
     "error: user_script:1: stack overflow (in function mp_encode_lua_table_as_map)"},
    {"(function() local t = {} for i = 1, 3999 do t[i] = {{a=1}} end return #cmsgpack.pack(u"
     "npack(t)) end)()",
     "error: user_script:1: stack overflow (in function mp_encode_lua_table_as_map)"},
    {"(function() local t = {} for i = 1, 3999 do t[i] = {{1}} end return #cmsgpack.pack(unp"
     "ack(t)) end)()",
     "error: user_script:1: stack overflow (in function table_is_an_array)"},
    {"(function() local t = {} for i = 1, 3996 do t[i] = {{{{{{1}}}}}} end return #cmsgpack."
     "pack(unpack(t)) end)()",
     "27972"},
    {"(function() local t = {} for i = 1, 3997 do t[i] = {{{{{{1}}}}}} end return #cmsgpack."
     "pack(unpack(t)) end)()",
     "error: user_script:1: stack overflow (in function table_is_an_array)"},
    {"(function() local t = {} for i = 1, 3996 do t[i] = 1 end t[3996] = {[{a=1}]={[{a=1}]=1"
     "}} return #cmsgpack.pack(unpack(t)) end)()",
     "4006"},
    {"(function() local t = {} for i = 1, 3997 do t[i] = 1 end t[3997] = {[{a=1}]={[{a=1}]=1"
     "}} return #cmsgpack.pack(unpack(t)) end)()",
     "error: user_script:1: stack overflow (in function table_is_an_array)"},
    {"select('#', cmsgpack.unpack(string.rep('\\1', 7999)))",
     "7999"},
    {"cmsgpack.unpack(string.rep('\\1', 8000))",
     "error: user_script:1: stack overflow (too many return values at once; use unpack_one o"
     "r unpack_limit instead.)"},
    {"select('#', cmsgpack.unpack_limit(string.rep('\\1', 7998), 7998))",
     "7999"},
    {"cmsgpack.unpack_limit(string.rep('\\1', 7999), 7999)",
     "error: user_script:1: stack overflow (in function mp_unpack_full)"},
    {"(function() local t = {} for i = 1, 4000 do t[i] = {1} end local ok = pcall(cmsgpack.p"
     "ack, unpack(t)) return ok, #cmsgpack.pack(string.rep('y', 100000)), cmsgpack.pack(1, 2"
     ") end)()",
     "false, 100005, x'0102'"},
};

/* unpack_one and unpack_limit: offsets, limits and their errors */
static const luaCase mpOffsets[] = {
    {"cmsgpack.unpack_one('\\1\\2\\3')",
     "1, 1"},
    {"cmsgpack.unpack_one('\\1\\2\\3', 1)",
     "2, 2"},
    {"cmsgpack.unpack_one('\\1\\2\\3', 2)",
     "-1, 3"},
    {"cmsgpack.unpack_one('\\1\\2\\3', 3)",
     "-1"},
    {"cmsgpack.unpack_one('\\145\\1\\161a', 0)",
     "2, {1=1}"},
    {"cmsgpack.unpack_one('\\145\\1\\161a', 2)",
     "-1, 'a'"},
    {"cmsgpack.unpack_one('')",
     "-1"},
    {"cmsgpack.unpack_one('', 0)",
     "-1"},
    {"cmsgpack.unpack_one('\\1', 1.7)",
     "-1"},
    {"cmsgpack.unpack_one('\\1', '0')",
     "-1, 1"},
    {"cmsgpack.unpack_one('\\1', nil)",
     "-1, 1"},
    {"cmsgpack.unpack_one('\\1\\2', 0, 'ignored')",
     "1, 1"},
    {"cmsgpack.unpack_one('\\1\\2\\3', 4)",
     "error: user_script:1: Start offset 4 greater than input length 3."},
    {"cmsgpack.unpack_one('\\1\\2\\3', -1)",
     "error: user_script:1: Invalid request to unpack with offset of -1 and limit of 3."},
    {"cmsgpack.unpack_one('\\1', 'x')",
     "error: user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)"},
    {"cmsgpack.unpack_one()",
     "error: user_script:1: bad argument #1 to 'unpack_one' (string expected, got no value)"},
    {"cmsgpack.unpack_one('\\193')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack_one('\\1\\204', 1)",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 2)",
     "2, 1, 2"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 2, 1)",
     "-1, 2, 3"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 5)",
     "-1, 1, 2, 3"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 1, 1, 7)",
     "2, 2"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 0)",
     "1, 2, 3"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 0, 0)",
     "1, 2, 3"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 0, 1)",
     "1"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 0, 3)",
     "-1"},
    {"cmsgpack.unpack_limit('', 1)",
     "-1"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 2^32 + 1)",
     "-1, 1, 2, 3"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', -1)",
     "error: user_script:1: Invalid request to unpack with offset of 0 and limit of 3."},
    {"cmsgpack.unpack_limit('\\1\\2\\3', -1, 2)",
     "error: user_script:1: Invalid request to unpack with offset of 2 and limit of 3."},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 1, -2)",
     "error: user_script:1: Invalid request to unpack with offset of -2 and limit of 3."},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 1, 4)",
     "error: user_script:1: Start offset 4 greater than input length 3."},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 1, 2^31)",
     "error: user_script:1: Start offset -2147483648 greater than input length 3."},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 1, 2^32 + 1)",
     "error: user_script:1: Start offset 1 greater than input length 3."},
    {"cmsgpack.unpack_limit('\\1\\2\\3')",
     "error: user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value)"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 'a')",
     "error: user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string)"},
    {"cmsgpack.unpack_limit('\\1\\2\\3', 1, 'a')",
     "error: user_script:1: bad argument #3 to 'unpack_limit' (number expected, got string)"},
    {"cmsgpack.unpack_limit('\\1\\2\\205\\0', 3)",
     "error: user_script:1: Missing bytes in input."},
    {"(function() local s, out, off = cmsgpack.pack(1, 'two', {3}), {}, 0 while off >= 0 do "
     "local v off, v = cmsgpack.unpack_one(s, off) out[#out + 1] = v end return out end)()",
     "{1=1,2='two',3={1=3}}"},
};

/* strings (fixstr, str8/16/32: never bin), booleans, nil and other types */
static const luaCase mpPackScalars[] = {
    {"cmsgpack.pack('')",
     "x'a0'"},
    {"cmsgpack.pack('a')",
     "x'a161'"},
    {"cmsgpack.pack('abc\\0')",
     "x'a461626300'"},
    {"cmsgpack.pack(string.rep('x', 31)):sub(1, 2)",
     "x'bf78'"},
    {"#cmsgpack.pack(string.rep('x', 31))",
     "32"},
    {"cmsgpack.pack(string.rep('x', 32)):sub(1, 3)",
     "x'd92078'"},
    {"#cmsgpack.pack(string.rep('x', 32))",
     "34"},
    {"cmsgpack.pack(string.rep('x', 40)):sub(1, 3)",
     "x'd92878'"},
    {"cmsgpack.pack(string.rep('x', 255)):sub(1, 3)",
     "x'd9ff78'"},
    {"cmsgpack.pack(string.rep('x', 256)):sub(1, 4)",
     "x'da010078'"},
    {"cmsgpack.pack(string.rep('x', 65535)):sub(1, 4)",
     "x'daffff78'"},
    {"#cmsgpack.pack(string.rep('x', 65535))",
     "65538"},
    {"cmsgpack.pack(string.rep('x', 65536)):sub(1, 6)",
     "x'db0001000078'"},
    {"#cmsgpack.pack(string.rep('x', 65536))",
     "65541"},
    {"cmsgpack.pack(true, false, nil)",
     "x'c3c2c0'"},
    {"cmsgpack.pack(nil)",
     "x'c0'"},
    {"cmsgpack.pack(function() end, coroutine.create(function() end), string.len)",
     "x'c0c0c0'"},
    {"cmsgpack.pack(1, 'a', true)",
     "x'01a161c3'"},
};

/* arrays vs maps, lua_next order, nesting limit 16, cycles */
static const luaCase mpPackTables[] = {
    {"cmsgpack.pack({})",
     "x'90'"},
    {"cmsgpack.pack({1, 2, 3})",
     "x'93010203'"},
    {"cmsgpack.pack({'a', {}, {true}})",
     "x'93a1619091c3'"},
    {"cmsgpack.pack({1, nil, 3})",
     "x'8201010303'"},
    {"cmsgpack.pack({[1]=1, [2]=2, [4]=4})",
     "x'83010102020404'"},
    {"cmsgpack.pack({a=1})",
     "x'81a16101'"},
    {"cmsgpack.pack({a=1, b=2, c=3})",
     "x'83a16101a16303a16202'"},
    {"cmsgpack.pack({[1.5]=1})",
     "x'81ca3fc0000001'"},
    {"cmsgpack.pack({[0]=1})",
     "x'810001'"},
    {"cmsgpack.pack({[-1]=1})",
     "x'81ff01'"},
    {"cmsgpack.pack({[true]=1})",
     "x'81c301'"},
    {"cmsgpack.pack({[2^40]=1})",
     "x'81cf000001000000000001'"},
    {"cmsgpack.pack({[2^31]=1})",
     "x'81ce8000000001'"},
    {"cmsgpack.pack({[2]=1})",
     "x'810201'"},
    {"cmsgpack.pack({[1]='a', [2]='b', x=1})",
     "x'8301a16102a162a17801'"},
    {"cmsgpack.pack({f=string.len})",
     "x'81a166c0'"},
    {"cmsgpack.pack({[string.len]=1})",
     "x'81c001'"},
    {"cmsgpack.pack({x={y={z={}}}})",
     "x'81a17881a17981a17a90'"},
    {"cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15})",
     "x'9f0102030405060708090a0b0c0d0e0f'"},
    {"cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16})",
     "x'dc00100102030405060708090a0b0c0d0e0f10'"},
    {"(function() local t = {} for i = 1, 65535 do t[i] = i % 2 end return cmsgpack.pack(t):"
     "sub(1, 4) end)()",
     "x'dcffff01'"},
    {"(function() local t = {} for i = 1, 65536 do t[i] = i % 2 end return cmsgpack.pack(t):"
     "sub(1, 6) end)()",
     "x'dd0001000001'"},
    {"(function() local t = {} for i = 1, 15 do t['k' .. i] = i end return #cmsgpack.pack(t)"
     ", cmsgpack.pack(t):sub(1, 1) end)()",
     "67, x'8f'"},
    {"(function() local t = {} for i = 1, 16 do t['k' .. i] = i end return #cmsgpack.pack(t)"
     ", cmsgpack.pack(t):sub(1, 3) end)()",
     "74, x'de0010'"},
    {"(function() local t = {} for i = 1, 65536 do t['k' .. i] = 1 end return cmsgpack.pack("
     "t):sub(1, 5) end)()",
     "x'df00010000'"},
    {"cmsgpack.pack(setmetatable({}, {__index=function() return 1 end}))",
     "x'90'"},
    {"cmsgpack.pack(setmetatable({1, 2}, {__len=function() return 5 end}))",
     "x'920102'"},
    {"(function() local t = {1} for i = 1, 14 do t = {t} end return cmsgpack.pack(t) end)()",
     "x'91919191919191919191919191919101'"},
    {"(function() local t = {1} for i = 1, 15 do t = {t} end return cmsgpack.pack(t) end)()",
     "x'9191919191919191919191919191919101'"},
    {"(function() local t = {1} for i = 1, 16 do t = {t} end return cmsgpack.pack(t) end)()",
     "x'91919191919191919191919191919191c0'"},
    {"(function() local t = 1 for i = 1, 16 do t = {a=t} end return cmsgpack.pack(t) end)()",
     "x'81a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a161"
     "81a16181a16101'"},
    {"(function() local t = 1 for i = 1, 17 do t = {a=t} end return cmsgpack.pack(t) end)()",
     "x'81a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a161"
     "81a16181a161c0'"},
    {"(function() local t = {} for i = 1, 15 do t = {[t]=1} end return cmsgpack.pack(t) end)()",
     "x'81818181818181818181818181818190010101010101010101010101010101'"},
    {"(function() local t = {} for i = 1, 16 do t = {[t]=1} end return cmsgpack.pack(t) end)()",
     "x'81818181818181818181818181818181c001010101010101010101010101010101'"},
    {"(function() local t = {} t[1] = t return cmsgpack.pack(t) end)()",
     "x'91919191919191919191919191919191c0'"},
    {"(function() local t = {} t.x = t return cmsgpack.pack(t) end)()",
     "x'81a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a178"
     "81a17881a178c0'"},
    {"(function() local t = {} t[1] = t return cmsgpack.pack(1, t, 2) end)()",
     "x'0191919191919191919191919191919191c002'"},
};

/* every type cmsgpack decodes */
static const luaCase mpUnpackTypes[] = {
    {"cmsgpack.unpack('\\0\\1\\127')",
     "0, 1, 127"},
    {"cmsgpack.unpack('\\224\\255')",
     "-32, -1"},
    {"cmsgpack.unpack('\\192\\194\\195')",
     "nil, false, true"},
    {"cmsgpack.unpack('\\204\\255\\205\\255\\255\\206\\255\\255\\255\\255')",
     "255, 65535, 4294967295"},
    {"cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')",
     "-1"},
    {"cmsgpack.unpack('\\207\\0\\32\\0\\0\\0\\0\\0\\1\\207\\0\\32\\0\\0\\0\\0\\0\\3')",
     "9007199254740992, 9007199254740996"},
    {"cmsgpack.unpack('\\207\\128\\0\\0\\0\\0\\0\\0\\0')",
     "-9.2233720368547758e+18"},
    {"cmsgpack.unpack('\\208\\255\\209\\255\\254\\210\\255\\255\\255\\254\\211\\255\\255\\25"
     "5\\255\\255\\255\\255\\254')",
     "-1, -2, -2, -2"},
    {"cmsgpack.unpack('\\208\\128\\209\\128\\0\\210\\128\\0\\0\\0\\211\\128\\0\\0\\0\\0\\0\\"
     "0\\0')",
     "-128, -32768, -2147483648, -9.2233720368547758e+18"},
    {"cmsgpack.unpack('\\202\\63\\192\\0\\0\\203\\63\\248\\0\\0\\0\\0\\0\\0')",
     "1.5, 1.5"},
    {"cmsgpack.unpack('\\202\\127\\192\\0\\0')",
     "nan"},
    {"cmsgpack.unpack('\\202\\255\\128\\0\\0')",
     "-inf"},
    {"cmsgpack.unpack('\\203\\0\\0\\0\\0\\0\\0\\0\\1')",
     "4.9406564584124654e-324"},
    {"cmsgpack.unpack('\\160\\161a')",
     "'', 'a'"},
    {"cmsgpack.unpack('\\191' .. string.rep('z', 31))",
     "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz'"},
    {"cmsgpack.unpack('\\217\\1a')",
     "'a'"},
    {"cmsgpack.unpack('\\217\\0')",
     "''"},
    {"cmsgpack.unpack('\\218\\0\\1a')",
     "'a'"},
    {"cmsgpack.unpack('\\219\\0\\0\\0\\1a')",
     "'a'"},
    {"cmsgpack.unpack('\\144\\145\\1\\146\\1\\2')",
     "{}, {1=1}, {1=1,2=2}"},
    {"cmsgpack.unpack('\\145\\145\\145\\192')",
     "{1={1={}}}"},
    {"cmsgpack.unpack('\\220\\0\\2\\1\\2')",
     "{1=1,2=2}"},
    {"cmsgpack.unpack('\\221\\0\\0\\0\\2\\1\\2')",
     "{1=1,2=2}"},
    {"cmsgpack.unpack('\\128\\129\\161a\\1')",
     "{}, {'a'=1}"},
    {"cmsgpack.unpack('\\130\\161a\\1\\161b\\2')",
     "{'a'=1,'b'=2}"},
    {"cmsgpack.unpack('\\130\\1\\2\\1\\3')",
     "{1=3}"},
    {"cmsgpack.unpack('\\129\\1\\192')",
     "{}"},
    {"cmsgpack.unpack('\\129\\145\\1\\2')",
     "{{1=1}=2}"},
    {"cmsgpack.unpack('\\222\\0\\1\\1\\2')",
     "{1=2}"},
    {"cmsgpack.unpack('\\223\\0\\0\\0\\1\\1\\2')",
     "{1=2}"},
    {"cmsgpack.unpack('')",
     ""},
    {"cmsgpack.unpack(12)",
     "49, 50"},
    {"cmsgpack.unpack('\\1', 'ignored', 3)",
     "1"},
    {"cmsgpack.unpack(cmsgpack.pack(1, -1, 0.5, 'x', {1, {a=2}}, true, nil))",
     "1, -1, 0.5, 'x', {1=1,2={'a'=2}}, true, nil"},
    {"cmsgpack.unpack(cmsgpack.pack(2^53, -2^63, 1e300, 0.1, 2^64, 1/0))",
     "9007199254740992, -9.2233720368547758e+18, 1.0000000000000001e+300, 0.1000000000000000"
     "1, 1.8446744073709552e+19, inf"},
    {"(function() local t = {} for i = 1, 20 do t[i] = i * 3 end local u = cmsgpack.unpack(c"
     "msgpack.pack(t)) return #u, u[20] end)()",
     "20, 60"},
    {"(function() local s = string.rep('q', 70000) return cmsgpack.unpack(cmsgpack.pack(s)) "
     "== s end)()",
     "true"},
};

/* bin/ext/c1, truncation, nil and NaN keys, bad arguments */
static const luaCase mpUnpackErrors[] = {
    {"cmsgpack.unpack('\\193')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\196\\1a')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\197\\0\\1a')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\198\\0\\0\\0\\1a')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\199\\1\\1a')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\200\\0\\1\\1a')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\201\\0\\0\\0\\1\\1a')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\212\\1\\1')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\213\\1\\1\\1')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\214\\1\\1\\1\\1\\1')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\215\\1\\1\\1\\1\\1\\1\\1\\1\\1')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\216\\1' .. string.rep('\\1', 16))",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\1\\2\\193\\3')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\146\\1\\193')",
     "error: user_script:1: Bad data format in input."},
    {"cmsgpack.unpack('\\204')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\205\\1')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\206\\1\\2\\3')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\207\\1\\2\\3\\4\\5\\6\\7')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\211\\1\\2\\3\\4\\5\\6\\7')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\202\\1\\2\\3')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\203\\1\\2\\3\\4\\5\\6\\7')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\162a')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\217')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\217\\2a')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\218\\0')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\218\\0\\2a')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\219\\0\\0\\0')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\219\\255\\255\\255\\255a')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\146\\1')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\220\\0')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\220\\255\\255')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\221\\255\\255\\255\\255')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\222\\0\\1\\1')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\223\\255\\255\\255\\255')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\129\\1')",
     "error: user_script:1: Missing bytes in input."},
    {"cmsgpack.unpack('\\129\\192\\1')",
     "error: table index is nil"},
    {"cmsgpack.unpack('\\129\\203\\127\\248\\0\\0\\0\\0\\0\\0\\1')",
     "error: table index is NaN"},
    {"cmsgpack.unpack('\\129\\202\\127\\192\\0\\0\\1')",
     "error: table index is NaN"},
    {"cmsgpack.unpack()",
     "error: user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"},
    {"cmsgpack.unpack({})",
     "error: user_script:1: bad argument #1 to 'unpack' (string expected, got table)"},
    {"cmsgpack.unpack(nil)",
     "error: user_script:1: bad argument #1 to 'unpack' (string expected, got nil)"},
};

/* ==== the cases, one test per area ================================================== */

Test(lua_struct, integers) { CHECK_CASES(structIntegers); }
Test(lua_struct, floats) { CHECK_CASES(structFloats); }
Test(lua_struct, strings) { CHECK_CASES(structStrings); }
Test(lua_struct, alignment) { CHECK_CASES(structAlignment); }
Test(lua_struct, unpack_positions) { CHECK_CASES(structPositions); }
Test(lua_struct, sizes) { CHECK_CASES(structSizes); }
Test(lua_struct, errors) { CHECK_CASES(structErrors); }

Test(lua_cmsgpack, pack_integers) { CHECK_CASES(mpPackIntegers); }
Test(lua_cmsgpack, pack_floats) { CHECK_CASES(mpPackFloats); }
Test(lua_cmsgpack, pack_strings_and_scalars) { CHECK_CASES(mpPackScalars); }
Test(lua_cmsgpack, pack_tables) { CHECK_CASES(mpPackTables); }
Test(lua_cmsgpack, unpack_every_type) { CHECK_CASES(mpUnpackTypes); }
Test(lua_cmsgpack, unpack_errors) { CHECK_CASES(mpUnpackErrors); }
Test(lua_cmsgpack, unpack_one_and_unpack_limit) { CHECK_CASES(mpOffsets); }
Test(lua_cmsgpack, argument_and_result_limits) { CHECK_CASES(mpStackLimits); }

/* Decoding recurses once per nesting level until Lua's stack limit stops it
 * near 4000 levels. Under TSan these cases are skipped: Debian's liblua is
 * not instrumented, so TSan never sees Lua's setjmp, does not unwind its
 * shadow stack when an error longjmps out of 4000 frames, and each such
 * error costs it ~0.5 GB more than the last (and single-threaded code gives
 * it nothing to find). The normal and ASan builds run them. */
Test(lua_cmsgpack, decoding_nests_until_the_lua_stack_limit) {
#if defined(__SANITIZE_THREAD__)
    (void)mpDeepNesting;
    cr_skip_test("deep longjmps over uninstrumented Lua frames exhaust TSan");
#else
    CHECK_CASES(mpDeepNesting);
#endif
}
Test(lua_libs, fields_and_table_order) { CHECK_CASES(libFields); }

/* Redis's _COPYRIGHT names the author of the C library it ships; ours is
 * not that code, so the string is ours too. */
Test(lua_cmsgpack, copyright_field_is_ours) {
    lua_State *L = newScriptState();
    char *got = evalShow(L, "cmsgpack._COPYRIGHT");
    cr_expect_str_eq(got, "'Copyright (C) the roost authors'");
    free(got);
    lua_close(L);
}

/* ==== the openers ====================================================================== */

/* expectOpener: opener leaves one table on the stack, the same as the global
 * and package.loaded entry called name. */
static void expectOpener(lua_State *L, lua_CFunction opener, const char *name) {
    lua_settop(L, 0);
    cr_assert_eq(opener(L), 1, "%s", name);
    cr_assert_eq(lua_gettop(L), 1, "%s", name);
    cr_assert(lua_istable(L, 1), "%s", name);
    lua_getglobal(L, name);
    cr_assert(lua_rawequal(L, 1, -1), "global %s", name);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "loaded");
    lua_getfield(L, -1, name);
    cr_assert(lua_rawequal(L, 1, -1), "package.loaded.%s", name);
    lua_settop(L, 0);
}

Test(lua_libs, openers_register_their_global_and_return_it) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    expectOpener(L, luaopenStruct, "struct");
    expectOpener(L, luaopenCmsgpack, "cmsgpack");
    expectOpener(L, luaopenCmsgpack, "cmsgpack"); /* again: a fresh pack, same table */
    cr_assert_eq(luaL_dostring(L, "return cmsgpack.pack(1, 'a') == '\\1\\161a'"), 0);
    cr_assert(lua_toboolean(L, -1));
    lua_close(L);
}

/* Each state has its own pack buffer: interleaved use of two states. */
Test(lua_libs, two_states_pack_independently) {
    lua_State *a = newScriptState(), *b = newScriptState();
    for (int i = 0; i < 50; i++) {
        char *x = evalShow(a, "cmsgpack.pack(string.rep('a', 70000)):sub(1, 6)");
        char *y = evalShow(b, "cmsgpack.pack(300, 'b')");
        cr_assert_str_eq(x, "x'db0001117061'");
        cr_assert_str_eq(y, "x'cd012ca162'");
        free(x);
        free(y);
    }
    lua_close(a);
    lua_close(b);
}

/* ==== random input: never a crash ======================================================= */

static size_t rndN(size_t n) {
    return n ? (size_t)(rnd() % n) : 0;
}

typedef struct byteBuf {
    unsigned char b[512];
    size_t len;
} byteBuf;

static void putByte(byteBuf *o, unsigned v) {
    if (o->len < sizeof o->b) o->b[o->len++] = (unsigned char)v;
}

static void putRandomBytes(byteBuf *o, size_t n) {
    while (n-- > 0) putByte(o, (unsigned)rnd());
}

/* putBigEndian: v in width bytes, the way MessagePack writes lengths. */
static void putBigEndian(byteBuf *o, uint64_t v, int width) {
    for (int i = width - 1; i >= 0; i--) putByte(o, (unsigned)(v >> (8 * i)));
}

static void putRandomMsgpack(byteBuf *o, int depth);

static void putRandomChildren(byteBuf *o, size_t n, int depth) {
    if (depth >= 5 || o->len >= sizeof o->b) return; /* leave them missing: a truncated container */
    while (n-- > 0) putRandomMsgpack(o, depth + 1);
}

/* putRandomSized: a str/array/map with a length field of width bytes. */
static void putRandomSized(byteBuf *o, unsigned tag, int width, int depth) {
    size_t n = tag == 0xd9 || tag == 0xda || tag == 0xdb ? rndN(40) : rndN(4);
    putBigEndian(o, n, width);
    if (tag == 0xd9 || tag == 0xda || tag == 0xdb) putRandomBytes(o, n);
    else putRandomChildren(o, tag == 0xde || tag == 0xdf ? 2 * n : n, depth);
}

/* putRandomMsgpack: one value that is mostly well formed: a random tag
 * byte, biased to the ones with payloads, and a payload of the right shape. */
static void putRandomMsgpack(byteBuf *o, int depth) {
    static const unsigned char tags[] = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc7, 0xca, 0xcb, 0xcc,
                                         0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd9,
                                         0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf};
    unsigned pick = (unsigned)rndN(6);
    unsigned tag = pick == 0 ? (unsigned)rndN(256)
                 : pick == 1 ? 0x90 | (unsigned)rndN(16)
                 : pick == 2 ? 0x80 | (unsigned)rndN(16)
                 : pick == 3 ? 0xa0 | (unsigned)rndN(32)
                             : tags[rndN(sizeof tags)];
    putByte(o, tag);
    if (tag >= 0x90 && tag <= 0x9f) putRandomChildren(o, tag & 15, depth);
    else if (tag >= 0x80 && tag <= 0x8f) putRandomChildren(o, 2 * (tag & 15), depth);
    else if (tag >= 0xa0 && tag <= 0xbf) putRandomBytes(o, tag & 31);
    else if (tag >= 0xca && tag <= 0xd3) putRandomBytes(o, tag == 0xca ? 4 : tag == 0xcb ? 8
                                                           : (size_t)1 << (tag & 3));
    else if (tag == 0xd9) putRandomSized(o, tag, 1, depth);
    else if (tag == 0xda || tag == 0xdc || tag == 0xde) putRandomSized(o, tag, 2, depth);
    else if (tag == 0xdb || tag == 0xdd || tag == 0xdf) putRandomSized(o, tag, 4, depth);
}

/* randomMsgpackInput: pure noise, or 1-3 values then maybe cut or damaged. */
static void randomMsgpackInput(byteBuf *o) {
    o->len = 0;
    if (rndN(2) == 0) {
        putRandomBytes(o, rndN(48));
        return;
    }
    for (size_t n = 1 + rndN(3); n > 0; n--) putRandomMsgpack(o, 0);
    if (o->len > 0 && rndN(3) == 0) o->len = rndN(o->len + 1);
    if (o->len > 0 && rndN(5) == 0) o->b[rndN(o->len)] = (unsigned char)rnd();
}

/* expectCallOutcome: calls field fn of global table lib with the nargs values
 * on top of the stack; it must return, or raise a message containing one of
 * allowed (NULL-terminated). Leaves the stack empty; returns 1 if it raised. */
static int expectCallOutcome(lua_State *L, const char *lib, const char *fn, int nargs,
                              const char *const *allowed) {
    lua_getglobal(L, lib);
    lua_getfield(L, -1, fn);
    lua_replace(L, -2);
    lua_insert(L, -(nargs + 1));
    int rc = lua_pcall(L, nargs, LUA_MULTRET, 0);
    if (rc != 0) {
        const char *msg = lua_tostring(L, -1);
        cr_assert_eq(rc, LUA_ERRRUN, "seed %" PRIu64 ": %s.%s: status %d (%s)", seed, lib, fn, rc,
                     msg ? msg : "?");
        int known = 0;
        for (const char *const *a = allowed; *a && !known; a++) known = strstr(msg, *a) != NULL;
        cr_assert(known, "seed %" PRIu64 ": %s.%s raised an unexpected error: %s", seed, lib, fn,
                  msg);
    }
    lua_settop(L, 0);
    return rc != 0;
}

static const char *const mpErrors[] = {
    "Bad data format in input.", "Missing bytes in input.", "table index is nil",
    "table index is NaN",        "Start offset ",          "Invalid request to unpack ",
    NULL,
};

Test(lua_cmsgpack, random_input_returns_or_raises_a_decoding_error) {
    rngInit();
    lua_State *L = newScriptState();
    byteBuf in;
    int rounds = 10000 / FUZZ_SCALE, raised = 0;
    for (int i = 0; i < rounds; i++) {
        randomMsgpackInput(&in);
        lua_pushlstring(L, (const char *)in.b, in.len);
        raised += expectCallOutcome(L, "cmsgpack", "unpack", 1, mpErrors);
        lua_pushlstring(L, (const char *)in.b, in.len);
        lua_pushinteger(L, (lua_Integer)rndN(in.len + 3) - 1);
        expectCallOutcome(L, "cmsgpack", "unpack_one", 2, mpErrors);
        lua_pushlstring(L, (const char *)in.b, in.len);
        lua_pushinteger(L, (lua_Integer)rndN(6) - 1);
        lua_pushinteger(L, (lua_Integer)rndN(in.len + 3) - 1);
        expectCallOutcome(L, "cmsgpack", "unpack_limit", 3, mpErrors);
    }
    /* both outcomes are common: the input is neither all noise nor all valid */
    cr_expect(raised > rounds / 20 && raised < rounds * 19 / 20, "seed %" PRIu64 ": %d of %d raised",
              seed, raised, rounds);
    lua_close(L);
}

/* randomFormat: 1-8 struct options, valid and not, some with counts. */
static void randomFormat(char *fmt, size_t cap) {
    static const char opts[] = "bBhHlLTiIfdsxc<>! =q\xe9";
    static const char *const counts[] = {"0", "1", "2", "3", "4", "7", "8", "9", "16",
                                         "32", "33", "2147483647", "2147483648"};
    size_t len = 0;
    for (size_t n = 1 + rndN(8); n > 0 && len + 12 < cap; n--) {
        fmt[len++] = opts[rndN(sizeof opts - 1)];
        if (rndN(3) == 0) len += (size_t)snprintf(fmt + len, cap - len, "%s",
                                                      counts[rndN(13)]);
    }
    fmt[len] = '\0';
}

/* pushRandomStructArg: a number (NaN and infinities included) or a string. */
static void pushRandomStructArg(lua_State *L) {
    static const double specials[] = {0.0, -1.0, 255.5, 1e300, -1e300, 9223372036854775808.0};
    switch (rndN(4)) {
    case 0: lua_pushnumber(L, (double)(int64_t)rnd() / (double)(1 + rndN(1000))); break;
    case 1: lua_pushnumber(L, specials[rndN(6)]); break;
    case 2: lua_pushlstring(L, "abcdefgh\0ijklmnop", rndN(18)); break;
    default: {
        uint64_t bits = rnd();
        double d;
        memcpy(&d, &bits, sizeof d);
        lua_pushnumber(L, d);
    }
    }
}

static const char *const structRaises[] = {
    "data string too short", "unfinished string in data", "needs a previous size",
    "invalid format option", "is not a power of 2",       "integral size",
    "offset must be 1 or greater", "string too short",    "number expected",
    "string expected",       "has no fixed size",         NULL,
};

Test(lua_struct, random_formats_and_data_return_or_raise_a_format_error) {
    rngInit();
    lua_State *L = newScriptState();
    char fmt[160];
    byteBuf data;
    int rounds = 10000 / FUZZ_SCALE, raised = 0;
    for (int i = 0; i < rounds; i++) {
        randomFormat(fmt, sizeof fmt);
        data.len = 0;
        putRandomBytes(&data, rndN(48));
        lua_pushstring(L, fmt);
        lua_pushlstring(L, (const char *)data.b, data.len);
        int nargs = 2;
        if (rndN(2)) {
            lua_pushinteger(L, (lua_Integer)rndN(52) - 3);
            nargs++;
        }
        raised += expectCallOutcome(L, "struct", "unpack", nargs, structRaises);
        lua_pushstring(L, fmt);
        size_t nvals = rndN(7);
        for (size_t v = 0; v < nvals; v++) pushRandomStructArg(L);
        expectCallOutcome(L, "struct", "pack", 1 + (int)nvals, structRaises);
        lua_pushstring(L, fmt);
        expectCallOutcome(L, "struct", "size", 1, structRaises);
    }
    cr_expect(raised > rounds / 20 && raised < rounds * 19 / 20, "seed %" PRIu64 ": %d of %d raised",
              seed, raised, rounds);
    lua_close(L);
}

/* ==== random values survive pack + unpack ============================================== */

/* Numbers come back exactly (float32 only when exact), strings byte for
 * byte, tables with the same keys and values; NaN is left out (not equal
 * to itself) and so are table keys (compared by identity). */
static const char *ROUND_TRIP =
    "local rounds = ...\n"
    "local function scalar()\n"
    "  local k = math.random(7)\n"
    "  if k == 1 then return math.random(-1000, 1000)\n"
    "  elseif k == 2 then return math.floor((math.random() - 0.5) * 2 ^ math.random(1, 64))\n"
    "  elseif k == 3 then return (math.random() - 0.5) * 10 ^ math.random(-40, 40)\n"
    "  elseif k == 4 then\n"
    "    local c = {}\n"
    "    for i = 1, math.random(0, 40) do c[i] = string.char(math.random(0, 255)) end\n"
    "    return table.concat(c)\n"
    "  elseif k == 5 then\n"
    "    return string.rep('s', math.random(20) == 1 and math.random(65530, 65540)\n"
    "                           or math.random(0, 300))\n"
    "  elseif k == 6 then return math.random(2) == 1\n"
    "  else return ({1/0, -1/0, 2^63, -2^63, 2^64, 0.1})[math.random(6)] end\n"
    "end\n"
    "local function gen(d)\n"
    "  local k = d < 4 and math.random(4) or 4\n"
    "  if k == 1 then\n"
    "    local t = {}\n"
    "    for i = 1, math.random(0, d == 0 and 17 or 4) do t[i] = gen(d + 1) end\n"
    "    return t\n"
    "  elseif k == 2 then\n"
    "    local t = {}\n"
    "    for i = 1, math.random(0, d == 0 and 17 or 4) do t[scalar()] = gen(d + 1) end\n"
    "    return t\n"
    "  end\n"
    "  return scalar()\n"
    "end\n"
    "local function eq(a, b)\n"
    "  if type(a) ~= type(b) then return false end\n"
    "  if type(a) ~= 'table' then return a == b end\n"
    "  for k, v in pairs(a) do if not eq(v, b[k]) then return false end end\n"
    "  for k in pairs(b) do if a[k] == nil then return false end end\n"
    "  return true\n"
    "end\n"
    "for i = 1, rounds do\n"
    "  local a, b = gen(0), gen(0)\n"
    "  local s = cmsgpack.pack(a, b)\n"
    "  local x, y, z = cmsgpack.unpack(s)\n"
    "  if not eq(a, x) or not eq(b, y) or z ~= nil then return i end\n"
    "  local off, one = cmsgpack.unpack_one(s)\n"
    "  if not eq(a, one) or select(2, cmsgpack.unpack_one(s, off)) == nil then return -i end\n"
    "end\n"
    "return 0\n";

Test(lua_cmsgpack, random_values_survive_a_round_trip) {
    rngInit();
    lua_State *L = newScriptState();
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushnumber(L, (double)(seed % 2147483647u));
    lua_call(L, 1, 0);
    lua_settop(L, 0);
    cr_assert_eq(luaL_loadstring(L, ROUND_TRIP), 0, "%s", lua_tostring(L, -1));
    lua_pushinteger(L, 2000 / FUZZ_SCALE);
    cr_assert_eq(lua_pcall(L, 1, 1, 0), 0, "seed %" PRIu64 ": %s", seed, lua_tostring(L, -1));
    cr_expect_eq(lua_tointeger(L, -1), 0, "seed %" PRIu64 ": round %ld differs", seed,
                 (long)lua_tointeger(L, -1));
    lua_close(L);
}
