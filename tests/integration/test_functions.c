/* test_functions.c — Redis 7 functions: FUNCTION LOAD DELETE FLUSH LIST
 * DUMP RESTORE STATS KILL HELP, FCALL and FCALL_RO. The library shebang
 * ("#!lua name=...") and its errors, redis.register_function in both forms
 * (name, callback) and {function_name=, callback=, flags=, description=}
 * with every misuse Redis names, the tiny environment a library runs in
 * while it loads (no redis.call, no string or math, a 500 ms timeout),
 * library and function name collisions (function names are
 * case-insensitive, library names are not), REPLACE, FCALL and FCALL_RO
 * with the no-writes flag, errors naming the function and line, the
 * run-time sandbox, FUNCTION LIST in RESP2 and RESP3 with LIBRARYNAME and
 * WITHCODE, DUMP payloads byte for byte and RESTORE to a second server with
 * the FLUSH / APPEND / REPLACE policies and a corrupted payload, FUNCTION
 * STATS and KILL when nothing runs, the INFO counts of functions and
 * libraries, and a library loaded with redis-cli -x.
 *
 * FUNCTION KILL and FUNCTION STATS during a long function are in
 * test_scripting_busy.c.
 *
 * Written against redis-server 7.0.15 (ROOST_ORACLE=redis) before roost
 * implemented it; every expectation is what Redis answered.
 *
 * Redis lists libraries and functions in dict order, which changes from
 * one server start to the next (the hash seed is random), so exact FUNCTION
 * LIST replies use libraries of one function, and larger listings are
 * compared as sorted "library:function" names (libraryFunctions). Each test
 * loads libraries and functions of its own names on the shared server;
 * tests that flush, count or restore start servers of their own.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static srv *s;                  /* defaults */

#define REG_ERR "-ERR Error registering functions: ERR "
#define BAD_NAME "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
#define NOT_FOUND "-ERR Function not found"
#define RO_WRITE "-ERR Write commands are not allowed from read-only scripts."
#define RO_FLAG "-ERR Can not execute a script with write flag using *_ro command."
#define BAD_PAYLOAD "-ERR DUMP payload version or checksum are wrong"

/* ---- helpers ---------------------------------------------------------------------- */

/* EXPECT_LOAD sends FUNCTION LOAD with the library code as one argument. */
#define EXPECT_LOAD(c, code, want) EXPECTF((c), (want), "FUNCTION LOAD %s", (code))
#define EXPECT_LOAD_REPLACE(c, code, want) EXPECTF((c), (want), "FUNCTION LOAD REPLACE %s", (code))

/* lib builds a library named `name` whose body is `body`. */
static const char *lib(const char *name, const char *body) {
    return tfmt("#!lua name=%s\n%s", name, body);
}

/* field returns the value after `key` in a RESP2 flat key/value array. */
static const redisReply *field(const redisReply *kv, const char *key) {
    for (size_t i = 0; kv && kv->type == REDIS_REPLY_ARRAY && i + 1 < kv->elements; i += 2)
        if (kv->element[i]->type == REDIS_REPLY_STRING && !strcmp(kv->element[i]->str, key))
            return kv->element[i + 1];
    return NULL;
}

static int cmpStr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* libraryFunctions answers FUNCTION LIST [LIBRARYNAME pattern] (every
 * library when pattern is NULL) as the sorted list of "library:function"
 * names joined by spaces ("" when there is none), or "(bad reply: ...)"
 * when the reply does not have FUNCTION LIST's shape. */
static const char *libraryFunctions(redisContext *c, const char *pattern) {
    redisReply *r = pattern ? redisCommand(c, "FUNCTION LIST LIBRARYNAME %s", pattern)
                            : redisCommand(c, "FUNCTION LIST");
    const char *names[256];
    size_t n = 0;
    const char *bad = NULL;
    if (!r || r->type != REDIS_REPLY_ARRAY) bad = tfmt("(bad reply: %s)", replyText(r));
    for (size_t i = 0; !bad && i < r->elements; i++) {
        const redisReply *libName = field(r->element[i], "library_name");
        const redisReply *fns = field(r->element[i], "functions");
        if (!libName || !fns || fns->type != REDIS_REPLY_ARRAY) bad = "(bad reply: library)";
        for (size_t j = 0; !bad && j < fns->elements && n < 256; j++) {
            const redisReply *fn = field(fns->element[j], "name");
            if (!fn) bad = "(bad reply: function)";
            else names[n++] = tfmt("%s:%s", libName->str, fn->str);
        }
    }
    if (r) freeReplyObject(r);
    if (bad) return bad;
    qsort(names, n, sizeof *names, cmpStr);
    const char *out = "";
    for (size_t i = 0; i < n; i++) out = tfmt("%s%s%s", out, i ? " " : "", names[i]);
    return out;
}

/* payload is a FUNCTION DUMP reply, bytes as they came. */
typedef struct payload {
    char bytes[16384];
    size_t len;
} payload;

static void functionDump(redisContext *c, payload *p) {
    redisReply *r = redisCommand(c, "FUNCTION DUMP");
    REQUIRE(r && r->type == REDIS_REPLY_STRING && r->len <= sizeof p->bytes, "FUNCTION DUMP: %s",
            replyText(r));
    memcpy(p->bytes, r->str, r->len);
    p->len = r->len;
    freeReplyObject(r);
}

/* functionRestore sends FUNCTION RESTORE <payload> [policy]. */
static const char *functionRestore(redisContext *c, const payload *p, const char *policy) {
    const char *argv[] = { "FUNCTION", "RESTORE", p->bytes, policy };
    size_t lens[] = { 8, 7, p->len, policy ? strlen(policy) : 0 };
    return cliCallArgv(c, policy ? 4 : 3, argv, lens);
}

#define EXPECT_RESTORE(c, p, policy, want) CHECK_STR(functionRestore((c), (p), (policy)), (want))

/* ---- FUNCTION LOAD and FCALL ---------------------------------------------------------------- */

TEST(function_load_answers_the_library_name_and_fcall_runs_its_functions) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD(c, lib("basic", "redis.register_function('basic_set', function(keys, args)\n"
                                "  return redis.call('SET', keys[1], args[1])\nend)\n"
                                "redis.register_function('basic_get', function(keys)\n"
                                "  return redis.call('GET', keys[1])\nend)\n"
                                "redis.register_function('basic_echo', function(keys, args)\n"
                                "  return {keys, args}\nend)"),
                "\"basic\"");
    EXPECT(c, "FCALL basic_set 1 basic:k hello", "+OK");
    EXPECT(c, "FCALL basic_get 1 basic:k", "\"hello\"");
    EXPECT(c, "GET basic:k", "\"hello\"");
    EXPECT(c, "FCALL basic_echo 2 k1 k2 a1", "[[\"k1\", \"k2\"], [\"a1\"]]");
    EXPECT(c, "FCALL basic_echo 0", "[[], []]");
    EXPECT(c, "FCALL BASIC_GET 1 basic:k", "\"hello\"");        /* names are case-insensitive */
    EXPECT(c, "FCALL Basic_Get 1 basic:k", "\"hello\"");
}

TEST(function_load_requires_a_lua_shebang_with_a_valid_library_name) {
    redisContext *c = cliConnect(s);
    const char *body = "redis.register_function('sh_f', function() return 1 end)";
    EXPECT_LOAD(c, body, "-ERR Missing library metadata");
    EXPECT_LOAD(c, tfmt("#!lua\n%s", body), "-ERR Library name was not given");
    EXPECT_LOAD(c, tfmt("#!js name=sh\n%s", body), "-ERR Engine 'js' not found");
    EXPECT_LOAD(c, tfmt("#!lua name=sh foo=bar\n%s", body), "-ERR Invalid metadata value given: foo=bar");
    EXPECT_LOAD(c, tfmt("#!lua name=sh flags=no-writes\n%s", body),
                "-ERR Invalid metadata value given: flags=no-writes");
    EXPECT_LOAD(c, tfmt("#!lua name=bad-name!\n%s", body), "-ERR " BAD_NAME);
    EXPECT_LOAD(c, tfmt("#!lua name=\n%s", body), "-ERR " BAD_NAME);
    EXPECT(c, "FUNCTION LOAD", "-ERR wrong number of arguments for 'function|load' command");
    EXPECT(c, "FUNCTION LOAD REPLACE", "-ERR Missing library metadata");
    EXPECT(c, "FUNCTION LOAD BADOPT x", "-ERR Unknown option given: BADOPT");
    EXPECT(c, "FUNCTION LOAD a b c", "-ERR Unknown option given: a");
    EXPECT(c, "FCALL sh_f 0", NOT_FOUND);                     /* nothing was loaded */
}

TEST(a_library_must_register_a_function_and_may_not_call_redis_while_loading) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD(c, lib("ld", ""), "-ERR No functions registered");
    EXPECT_LOAD(c, lib("ld", "return 1"), "-ERR No functions registered");
    EXPECT_LOAD(c, lib("ld", "local a ="), "-ERR Error compiling function: user_function:2: "
                                          "unexpected symbol near '<eof>'");
    EXPECT_LOAD(c, lib("ld", "redis.call('SET', 'ld:k', 'v')"),
                REG_ERR "user_function:2: Script attempted to access nonexistent global variable 'call'");
    EXPECT_LOAD(c, lib("ld", "redis.pcall('SET', 'ld:k', 'v')"),
                REG_ERR "user_function:2: Script attempted to access nonexistent global variable 'pcall'");
    EXPECT_LOAD(c, lib("ld", "redis.setresp(3)"),
                REG_ERR "user_function:2: Script attempted to access nonexistent global variable 'setresp'");
    EXPECT_LOAD(c, lib("ld", "x = 5"), REG_ERR "user_function:2: Attempt to modify a readonly table");
    EXPECT_LOAD(c, lib("ld", "redis.log = nil\nredis.register_function('ld_f', function() end)"),
                REG_ERR "user_function:2: Attempt to modify a readonly table");
    /* a function registered before a failure is not kept */
    EXPECT_LOAD(c, lib("ld", "local ok = 1\nredis.register_function('ld_f', function() return ok end)\n"
                             "error('late')"),
                REG_ERR "user_function:4: Script attempted to access nonexistent global variable 'error'");
    EXPECT(c, "FCALL ld_f 0", NOT_FOUND);
    EXPECT(c, "FUNCTION LIST LIBRARYNAME ld", "[]");
    EXPECT(c, "EXISTS ld:k", ":0");
}

TEST(a_loading_library_sees_only_register_function_log_and_the_version) {
    redisContext *c = cliConnect(s);
    static const char *present[] = {
        "redis", "redis.log", "redis.LOG_WARNING", "redis.REDIS_VERSION", "redis.REDIS_VERSION_NUM",
        "redis.register_function",
    };
    static const char *absent[][2] = {
        { "redis.sha1hex", "sha1hex" }, { "redis.error_reply", "error_reply" },
        { "redis.status_reply", "status_reply" }, { "redis.set_repl", "set_repl" },
        { "redis.REPL_ALL", "REPL_ALL" }, { "redis.acl_check_cmd", "acl_check_cmd" },
        { "tostring", "tostring" }, { "type", "type" }, { "pcall", "pcall" },
        { "string", "string" }, { "math", "math" }, { "table", "table" }, { "cjson", "cjson" },
        { "bit", "bit" }, { "struct", "struct" }, { "cmsgpack", "cmsgpack" }, { "_G", "_G" },
        { "KEYS", "KEYS" }, { "ARGV", "ARGV" }, { "loadstring", "loadstring" },
    };
    const char *reg = "\nredis.register_function('env_f', function() return 1 end)";
    for (size_t i = 0; i < sizeof present / sizeof *present; i++) {
        EXPECT_LOAD(c, lib("env", tfmt("local x = %s%s", present[i], reg)), "\"env\"");
        EXPECT(c, "FUNCTION DELETE env", "+OK");
    }
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        EXPECT_LOAD(c, lib("env", tfmt("local x = %s%s", absent[i][0], reg)),
                    tfmt(REG_ERR "user_function:2: Script attempted to access nonexistent global "
                         "variable '%s'", absent[i][1]));
    /* redis.log works while loading */
    REQUIRE(EXPECT_LOAD(c, lib("envlog", "redis.log(redis.LOG_WARNING, 'loading envlog')\n"
                                         "redis.register_function('envlog_f', function() return 1 end)"),
                        "\"envlog\""));
    CHECK(WAIT_FOR(srvLogContains(s, "loading envlog"), 2000), "the log has no line from the load");
}

TEST(a_library_that_loads_forever_times_out_after_half_a_second) {
    redisContext *c = cliConnect(s);
    long long t0 = harnessNowMs();
    EXPECT_LOAD(c, lib("forever", "local i = 0 while true do i = i + 1 end"),
                REG_ERR "FUNCTION LOAD timeout");
    long long ms = harnessNowMs() - t0;
    CHECK(ms >= 400 && ms < 3000, "the load ran %lld ms", ms);
    EXPECT(c, "FUNCTION LIST LIBRARYNAME forever", "[]");
    EXPECT(c, "PING", "+PONG");
}

TEST(register_function_by_position_checks_its_arguments) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD(c, lib("pos", "redis.register_function('pos_f')"),
                REG_ERR "calling redis.register_function with a single argument is only applicable to "
                        "Lua table (representing named arguments).");
    EXPECT_LOAD(c, lib("pos", "redis.register_function('pos_f', 1)"),
                REG_ERR "second argument to redis.register_function must be a function");
    EXPECT_LOAD(c, lib("pos", "redis.register_function()"),
                REG_ERR "wrong number of arguments to redis.register_function");
    EXPECT_LOAD(c, lib("pos", "redis.register_function('pos_f', function() end, 3)"),
                REG_ERR "wrong number of arguments to redis.register_function");
    EXPECT_LOAD(c, lib("pos", "redis.register_function({function_name = 'pos_f', callback = function() end}, 2)"),
                REG_ERR "first argument to redis.register_function must be a string");
    /* function names follow the library-name rule, and say so */
    EXPECT_LOAD(c, lib("pos", "redis.register_function('bad name', function() end)"), REG_ERR BAD_NAME);
    EXPECT_LOAD(c, lib("pos", "redis.register_function('', function() end)"), REG_ERR BAD_NAME);
    EXPECT_LOAD(c, lib("pos", "redis.register_function('pos-f', function() end)"), REG_ERR BAD_NAME);
    EXPECT_LOAD(c, lib("pos", "redis.register_function('pos_f', function() end)\n"
                              "redis.register_function('pos_f', function() end)"),
                REG_ERR "Function already exists in the library");
    /* a number is a name */
    EXPECT_LOAD(c, lib("pos", "redis.register_function(12345, function() return 'numbered' end)"), "\"pos\"");
    EXPECT(c, "FCALL 12345 0", "\"numbered\"");
}

TEST(register_function_with_named_arguments_checks_them) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f', callback = function() end, other = 5}"),
                REG_ERR "unknown argument given to redis.register_function");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f'}"),
                REG_ERR "redis.register_function must get a callback argument");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{callback = function() end}"),
                REG_ERR "redis.register_function must get a function name argument");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{}"),
                REG_ERR "redis.register_function must get a function name argument");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f', callback = 1}"),
                REG_ERR "callback argument given to redis.register_function must be a function");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f', callback = function() end, "
                              "flags = 'no-writes'}"),
                REG_ERR "flags argument to redis.register_function must be a table representing function flags");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f', callback = function() end, "
                              "flags = {'bad-flag'}}"),
                REG_ERR "unknown flag given");
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f', callback = function() end, "
                              "flags = {1}}"),
                REG_ERR "unknown flag given");
    /* what Redis accepts: a number as name or description, empty and repeated flags */
    EXPECT_LOAD(c, lib("nam", "redis.register_function{function_name = 'nam_f', callback = function() return 1 end, "
                              "description = 5, flags = {}}\n"
                              "redis.register_function{function_name = 678, callback = function() return 2 end, "
                              "flags = {'no-writes', 'no-writes'}}"),
                "\"nam\"");
    EXPECT(c, "FCALL nam_f 0", ":1");
    EXPECT(c, "FCALL_RO 678 0", ":2");
    CHECK_STR(libraryFunctions(c, "nam"), "nam:678 nam:nam_f");
}

TEST(libraries_and_functions_collide_by_name_and_replace_swaps_a_library) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD(c, lib("col", "redis.register_function('col_f', function() return 1 end)"), "\"col\"");
    EXPECT_LOAD(c, lib("col", "redis.register_function('col_g', function() return 2 end)"),
                "-ERR Library 'col' already exists");
    /* a function name taken by another library, in any case */
    EXPECT_LOAD(c, lib("col2", "redis.register_function('col_f', function() end)"),
                "-ERR Function col_f already exists");
    EXPECT_LOAD(c, lib("col2", "redis.register_function('COL_F', function() end)"),
                "-ERR Function COL_F already exists");
    EXPECT_LOAD_REPLACE(c, lib("col2", "redis.register_function('col_f', function() end)"),
                        "-ERR Function col_f already exists");
    /* library names are case-sensitive */
    EXPECT_LOAD(c, lib("COL", "redis.register_function('col_upper', function() return 'upper' end)"), "\"COL\"");
    EXPECT(c, "FCALL col_upper 0", "\"upper\"");
    EXPECT(c, "FCALL col_f 0", ":1");
    /* REPLACE swaps the whole library: the old function goes */
    EXPECT_LOAD_REPLACE(c, lib("col", "redis.register_function('col_g', function() return 20 end)"), "\"col\"");
    EXPECT(c, "FCALL col_g 0", ":20");
    EXPECT(c, "FCALL col_f 0", NOT_FOUND);
    EXPECTF(c, "\"col\"", "FUNCTION LOAD replace %s",
            lib("col", "redis.register_function('col_f', function() return 10 end)"));
    EXPECT(c, "FCALL col_f 0", ":10");
    EXPECT(c, "FCALL col_g 0", NOT_FOUND);
    /* a failed REPLACE keeps the old library */
    EXPECT_LOAD_REPLACE(c, lib("col", "error('x')"),
                        REG_ERR "user_function:2: Script attempted to access nonexistent global variable 'error'");
    EXPECT(c, "FCALL col_f 0", ":10");
    CHECK_STR(libraryFunctions(c, "col*"), "COL:col_upper col:col_f");
}

/* ---- FCALL and FCALL_RO ---------------------------------------------------------------------- */

static const char *rwLib =
    "#!lua name=rw\n"
    "redis.register_function('rw_w', function(k, a) return redis.call('SET', k[1], a[1]) end)\n"
    "redis.register_function{function_name = 'rw_r', callback = function(k) return redis.call('GET', k[1]) end, "
    "flags = {'no-writes'}, description = 'reads a key'}\n"
    "redis.register_function{function_name = 'rw_sneaky', callback = function(k) return redis.call('SET', k[1], 'x') end, "
    "flags = {'no-writes'}}\n"
    "redis.register_function{function_name = 'rw_psneaky', callback = function(k) return redis.pcall('SET', k[1], 'x') end, "
    "flags = {'no-writes'}}";

TEST(fcall_checks_numkeys_and_the_function_name) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, rwLib, "\"rw\"");
    EXPECT(c, "FCALL rw_w x", "-ERR Bad number of keys provided");
    EXPECT(c, "FCALL rw_w -1", "-ERR Number of keys can't be negative");
    EXPECT(c, "FCALL rw_w 5 a", "-ERR Number of keys can't be greater than number of args");
    EXPECT(c, "FCALL rw_w", "-ERR wrong number of arguments for 'fcall' command");
    EXPECT(c, "FCALL", "-ERR wrong number of arguments for 'fcall' command");
    EXPECT(c, "FCALL_RO rw_r", "-ERR wrong number of arguments for 'fcall_ro' command");
    EXPECT(c, "FCALL nosuchfn 0", NOT_FOUND);
    EXPECT(c, "FCALL_RO nosuchfn 0", NOT_FOUND);
}

TEST(fcall_ro_runs_only_no_writes_functions_and_those_cannot_write) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, rwLib, "\"rw\"");
    EXPECT(c, "FCALL rw_w 1 rw:k v", "+OK");
    EXPECT(c, "FCALL rw_r 1 rw:k", "\"v\"");
    EXPECT(c, "FCALL_RO rw_r 1 rw:k", "\"v\"");
    EXPECT(c, "FCALL_RO rw_w 1 rw:k w", RO_FLAG);
    EXPECT(c, "FCALL rw_sneaky 1 rw:k", RO_WRITE " script: rw_sneaky, on @user_function:4.");
    EXPECT(c, "FCALL_RO rw_sneaky 1 rw:k", RO_WRITE " script: rw_sneaky, on @user_function:4.");
    EXPECT(c, "FCALL rw_psneaky 1 rw:k", RO_WRITE);
    EXPECT(c, "GET rw:k", "\"v\"");
}

TEST(function_errors_name_the_function_and_the_line) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, lib("errs", "redis.register_function('errs_boom', function() error('oops') end)\n"
                                       "redis.register_function('errs_global', function() return x end)\n"
                                       "redis.register_function('errs_keys', function() return KEYS end)\n"
                                       "redis.register_function('errs_reg', function()\n"
                                       "  redis.register_function('zz', function() end)\nend)\n"
                                       "redis.register_function('errs_call', function()\n"
                                       "  return redis.call('NOSUCH')\nend)\n"
                                       "redis.register_function('errs_pcall', function() return redis.pcall('NOSUCH') end)\n"
                                       "redis.register_function('errs_table', function() error({err = 'MINE custom'}) end)"),
                        "\"errs\"");
    EXPECT(c, "FCALL errs_boom 0", "-ERR user_function:2: oops script: errs_boom, on @user_function:2.");
    EXPECT(c, "FCALL errs_global 0", "-ERR user_function:3: Script attempted to access nonexistent global "
                                     "variable 'x' script: errs_global, on @user_function:3.");
    EXPECT(c, "FCALL errs_keys 0", "-ERR user_function:4: Script attempted to access nonexistent global "
                                   "variable 'KEYS' script: errs_keys, on @user_function:4.");
    EXPECT(c, "FCALL errs_reg 0", "-ERR user_function:6: attempt to call field 'register_function' "
                                  "(a nil value) script: errs_reg, on @user_function:6.");
    EXPECT(c, "FCALL errs_call 0", "-ERR Unknown Redis command called from script script: errs_call, "
                                   "on @user_function:9.");
    EXPECT(c, "FCALL errs_pcall 0", "-ERR Unknown Redis command called from script");
    EXPECT(c, "FCALL errs_table 0", "-MINE custom script: errs_table, on @user_function:12.");
}

TEST(functions_run_in_the_script_sandbox_and_keep_their_upvalues) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, lib("sand",
        "redis.register_function('sand_globals', function()\n"
        "  local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t\nend)\n"
        "redis.register_function('sand_redis', function()\n"
        "  local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t\nend)\n"
        "redis.register_function('sand_set', function() sand_x = 1 end)\n"
        "redis.register_function('sand_lib', function() string.x = 1 end)\n"
        "local n = 0\n"
        "redis.register_function('sand_count', function() n = n + 1 return n end)\n"
        "redis.register_function('sand_libs', function() return {math.floor(2.5), redis.REDIS_VERSION, "
        "cjson.encode({1}), redis.sha1hex('x'), bit.band(6, 3)} end)"),
        "\"sand\"");
    EXPECT(c, "FCALL sand_globals 0",
           "[\"_G\", \"_VERSION\", \"assert\", \"bit\", \"cjson\", \"cmsgpack\", \"collectgarbage\", "
           "\"coroutine\", \"error\", \"gcinfo\", \"getmetatable\", \"ipairs\", \"load\", \"loadstring\", "
           "\"math\", \"next\", \"pairs\", \"pcall\", \"rawequal\", \"rawget\", \"rawset\", \"redis\", "
           "\"select\", \"setmetatable\", \"string\", \"struct\", \"table\", \"tonumber\", \"tostring\", "
           "\"type\", \"unpack\", \"xpcall\"]");
    EXPECT(c, "FCALL sand_redis 0",
           "[\"LOG_DEBUG\", \"LOG_NOTICE\", \"LOG_VERBOSE\", \"LOG_WARNING\", \"REDIS_VERSION\", "
           "\"REDIS_VERSION_NUM\", \"REPL_ALL\", \"REPL_AOF\", \"REPL_NONE\", \"REPL_REPLICA\", \"REPL_SLAVE\", "
           "\"acl_check_cmd\", \"call\", \"error_reply\", \"log\", \"pcall\", \"set_repl\", \"setresp\", "
           "\"sha1hex\", \"status_reply\"]");
    EXPECT(c, "FCALL sand_set 0", "-ERR user_function:8: Attempt to modify a readonly table script: sand_set, "
                                  "on @user_function:8.");
    EXPECT(c, "FCALL sand_lib 0", "-ERR user_function:9: Attempt to modify a readonly table script: sand_lib, "
                                  "on @user_function:9.");
    EXPECT(c, "FCALL sand_count 0", ":1");
    EXPECT(c, "FCALL sand_count 0", ":2");                /* the library's state lives on */
    EXPECT(c, "FCALL sand_libs 0", "[:2, \"7.0.15\", \"[1]\", \"11f6ad8ec52a2984abaafd7c3b516503785c2072\", :2]");
}

TEST(functions_convert_replies_as_scripts_do_in_both_protocols) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnectResp3(s);
    EXPECT_LOAD_REPLACE(c, lib("conv",
        "redis.register_function('conv_h', function(k) redis.setresp(3) return redis.call('HGETALL', k[1]) end)\n"
        "redis.register_function('conv_d', function() return {double = 1.5} end)\n"
        "redis.register_function('conv_t', function() redis.setresp(3) return true end)"),
        "\"conv\"");
    EXPECT(c, "HSET conv:h f v", ":1");
    EXPECT(c, "FCALL conv_h 1 conv:h", "[\"f\", \"v\"]");
    EXPECT_RAW(r, "FCALL conv_h 1 conv:h", "{\"f\": \"v\"}");
    EXPECT_RAW(r, "FCALL conv_h 1 conv:none", "{}");
    EXPECT(c, "FCALL conv_d 0", "\"1.5\"");
    EXPECT_RAW(r, "FCALL conv_d 0", ",1.5");
    EXPECT(c, "FCALL conv_t 0", ":1");
    EXPECT_RAW(r, "FCALL conv_t 0", "#t");
}

TEST(fcall_inside_a_transaction_answers_in_exec) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, lib("txf", "redis.register_function('txf_incr', function(k) return redis.call('INCR', k[1]) end)"),
                        "\"txf\"");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "FCALL txf_incr 1 txf:n", "+QUEUED");
    EXPECT(c, "FCALL txf_incr 1 txf:n", "+QUEUED");
    EXPECT(c, "FCALL nosuchfn 0", "+QUEUED");
    EXPECT(c, "EXEC", "[:1, :2, " NOT_FOUND "]");
}

TEST(math_random_in_functions_continues_the_sequence_of_eval) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    EXPECT_LOAD(c, lib("rnd", "redis.register_function('rnd', function() return tostring(math.random()) end)"),
                "\"rnd\"");
    EXPECT(c, "EVAL \"return tostring(math.random())\" 0", "\"0.39646477363839\"");
    EXPECT(c, "FCALL rnd 0", "\"0.84048536971234\"");
    EXPECT(c, "SCRIPT FLUSH", "+OK");                        /* a new Lua state, the same sequence */
    EXPECT(c, "EVAL \"return tostring(math.random())\" 0", "\"0.35333609737146\"");
}

/* ---- FUNCTION LIST ------------------------------------------------------------------------------ */

static const char *listLib =
    "#!lua name=lst\n"
    "redis.register_function{function_name = 'lst_f', callback = function() return 1 end, "
    "flags = {'no-writes'}, description = 'the only one'}";

TEST(function_list_describes_a_library_in_resp2_and_resp3) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnectResp3(s);
    EXPECT_LOAD_REPLACE(c, listLib, "\"lst\"");
    const char *fn2 = "[\"name\", \"lst_f\", \"description\", \"the only one\", \"flags\", [+no-writes]]";
    const char *fn3 = "{\"name\": \"lst_f\", \"description\": \"the only one\", \"flags\": ~[+no-writes]}";
    EXPECT(c, "FUNCTION LIST LIBRARYNAME lst",
           tfmt("[[\"library_name\", \"lst\", \"engine\", \"LUA\", \"functions\", [%s]]]", fn2));
    EXPECT_RAW(r, "FUNCTION LIST LIBRARYNAME lst",
               tfmt("[{\"library_name\": \"lst\", \"engine\": \"LUA\", \"functions\": [%s]}]", fn3));
    const char *code = "\"#!lua name=lst\\nredis.register_function{function_name = 'lst_f', callback = "
                       "function() return 1 end, flags = {'no-writes'}, description = 'the only one'}\"";
    EXPECT(c, "FUNCTION LIST LIBRARYNAME lst WITHCODE",
           tfmt("[[\"library_name\", \"lst\", \"engine\", \"LUA\", \"functions\", [%s], \"library_code\", %s]]",
                fn2, code));
    EXPECT(c, "FUNCTION LIST withcode libraryname lst",
           tfmt("[[\"library_name\", \"lst\", \"engine\", \"LUA\", \"functions\", [%s], \"library_code\", %s]]",
                fn2, code));
    EXPECT_RAW(r, "FUNCTION LIST WITHCODE LIBRARYNAME lst",
               tfmt("[{\"library_name\": \"lst\", \"engine\": \"LUA\", \"functions\": [%s], \"library_code\": %s}]",
                    fn3, code));
}

TEST(function_list_shows_no_description_as_nil_and_every_flag_in_order) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnectResp3(s);
    EXPECT_LOAD_REPLACE(c, lib("flg", "redis.register_function{function_name = 'flg_f', callback = function() end, "
                                      "flags = {'allow-oom', 'no-writes', 'allow-stale', 'no-cluster', "
                                      "'allow-cross-slot-keys'}}"),
                        "\"flg\"");
    EXPECT(c, "FUNCTION LIST LIBRARYNAME flg",
           "[[\"library_name\", \"flg\", \"engine\", \"LUA\", \"functions\", [[\"name\", \"flg_f\", \"description\", "
           "(nil), \"flags\", [+no-writes, +allow-oom, +allow-stale, +no-cluster, +allow-cross-slot-keys]]]]]");
    EXPECT_RAW(r, "FUNCTION LIST LIBRARYNAME flg",
               "[{\"library_name\": \"flg\", \"engine\": \"LUA\", \"functions\": [{\"name\": \"flg_f\", "
               "\"description\": (nil), \"flags\": ~[+no-writes, +allow-oom, +allow-stale, +no-cluster, "
               "+allow-cross-slot-keys]}]}]");
    EXPECT_LOAD_REPLACE(c, lib("noflg", "redis.register_function('noflg_f', function() end)"), "\"noflg\"");
    EXPECT(c, "FUNCTION LIST LIBRARYNAME noflg",
           "[[\"library_name\", \"noflg\", \"engine\", \"LUA\", \"functions\", [[\"name\", \"noflg_f\", "
           "\"description\", (nil), \"flags\", []]]]]");
    EXPECT_RAW(r, "FUNCTION LIST LIBRARYNAME noflg",
               "[{\"library_name\": \"noflg\", \"engine\": \"LUA\", \"functions\": [{\"name\": \"noflg_f\", "
               "\"description\": (nil), \"flags\": ~[]}]}]");
}

TEST(function_list_filters_libraries_by_a_case_insensitive_pattern) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, lib("pat_a", "redis.register_function('pat_a1', function() end)\n"
                                        "redis.register_function('pat_a2', function() end)"), "\"pat_a\"");
    EXPECT_LOAD_REPLACE(c, lib("pat_b", "redis.register_function('pat_b1', function() end)"), "\"pat_b\"");
    EXPECT_LOAD_REPLACE(c, lib("pattern_c", "redis.register_function('pat_c1', function() end)"), "\"pattern_c\"");
    CHECK_STR(libraryFunctions(c, "pat_*"), "pat_a:pat_a1 pat_a:pat_a2 pat_b:pat_b1");
    CHECK_STR(libraryFunctions(c, "pat*"),
              "pat_a:pat_a1 pat_a:pat_a2 pat_b:pat_b1 pattern_c:pat_c1");
    CHECK_STR(libraryFunctions(c, "PAT_?"), "pat_a:pat_a1 pat_a:pat_a2 pat_b:pat_b1");
    CHECK_STR(libraryFunctions(c, "pat_b"), "pat_b:pat_b1");
    EXPECT(c, "FUNCTION LIST LIBRARYNAME nomatch*", "[]");
    EXPECT(c, "FUNCTION LIST LIBRARYNAME", "-ERR library name argument was not given");
    EXPECT(c, "FUNCTION LIST WITHCODE WITHCODE", "-ERR Unknown argument WITHCODE");
    EXPECT(c, "FUNCTION LIST LIBRARYNAME a LIBRARYNAME b", "-ERR Unknown argument LIBRARYNAME");
    EXPECT(c, "FUNCTION LIST BAD", "-ERR Unknown argument BAD");
}

/* ---- DELETE, FLUSH, STATS, KILL, HELP ------------------------------------------------------------ */

TEST(function_delete_removes_a_library_and_frees_its_function_names) {
    redisContext *c = cliConnect(s);
    EXPECT_LOAD_REPLACE(c, lib("del", "redis.register_function('del_f', function() return 1 end)"), "\"del\"");
    EXPECT(c, "FUNCTION DELETE DEL", "-ERR Library not found");       /* library names keep their case */
    EXPECT(c, "FUNCTION DELETE del", "+OK");
    EXPECT(c, "FCALL del_f 0", NOT_FOUND);
    EXPECT(c, "FUNCTION LIST LIBRARYNAME del", "[]");
    EXPECT(c, "FUNCTION DELETE del", "-ERR Library not found");
    EXPECT(c, "FUNCTION DELETE", "-ERR wrong number of arguments for 'function|delete' command");
    EXPECT(c, "FUNCTION DELETE a b", "-ERR wrong number of arguments for 'function|delete' command");
    EXPECT_LOAD(c, lib("del2", "redis.register_function('del_f', function() return 2 end)"), "\"del2\"");
    EXPECT(c, "FCALL del_f 0", ":2");
    EXPECT(c, "FUNCTION DELETE del2", "+OK");
}

TEST(function_flush_removes_every_library_sync_or_async) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    const char *modes[] = { "", " SYNC", " ASYNC", " sync", " async" };
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        EXPECT_LOAD(c, lib("fl1", "redis.register_function('fl1_f', function() return 1 end)"), "\"fl1\"");
        EXPECT_LOAD(c, lib("fl2", "redis.register_function('fl2_f', function() return 2 end)"), "\"fl2\"");
        EXPECT(c, tfmt("FUNCTION FLUSH%s", modes[i]), "+OK");
        EXPECT(c, "FUNCTION LIST", "[]");
        EXPECT(c, "FCALL fl1_f 0", NOT_FOUND);
    }
    EXPECT(c, "FUNCTION FLUSH x", "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    EXPECT(c, "FUNCTION FLUSH SYNC ASYNC",
           "-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.");
}

TEST(function_stats_when_idle_counts_libraries_and_functions) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    raw *r = rawConnectResp3(sv);
    EXPECT(c, "FUNCTION STATS",
           "[\"running_script\", (nil), \"engines\", [\"LUA\", [\"libraries_count\", :0, \"functions_count\", :0]]]");
    EXPECT_RAW(r, "FUNCTION STATS",
               "{\"running_script\": (nil), \"engines\": {\"LUA\": {\"libraries_count\": :0, \"functions_count\": :0}}}");
    EXPECT_LOAD(c, lib("st1", "redis.register_function('st1_f', function() end)\n"
                              "redis.register_function('st1_g', function() end)"), "\"st1\"");
    EXPECT_LOAD(c, lib("st2", "redis.register_function('st2_f', function() end)"), "\"st2\"");
    EXPECT(c, "FUNCTION STATS",
           "[\"running_script\", (nil), \"engines\", [\"LUA\", [\"libraries_count\", :2, \"functions_count\", :3]]]");
    EXPECT(c, "FUNCTION DELETE st1", "+OK");
    EXPECT_RAW(r, "FUNCTION STATS",
               "{\"running_script\": (nil), \"engines\": {\"LUA\": {\"libraries_count\": :1, \"functions_count\": :1}}}");
    EXPECT(c, "FUNCTION STATS x", "-ERR wrong number of arguments for 'function|stats' command");
}

TEST(function_kill_when_idle_help_and_unknown_subcommands) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "FUNCTION KILL", "-NOTBUSY No scripts in execution right now.");
    EXPECT(c, "FUNCTION KILL x", "-ERR wrong number of arguments for 'function|kill' command");
    EXPECT(c, "FUNCTION NOSUCH", "-ERR unknown subcommand 'NOSUCH'. Try FUNCTION HELP.");
    EXPECT(c, "FUNCTION", "-ERR wrong number of arguments for 'function' command");
    EXPECT(c, "FUNCTION help x", "-ERR wrong number of arguments for 'function|help' command");
    EXPECT(c, "FUNCTION DUMP x", "-ERR wrong number of arguments for 'function|dump' command");
    EXPECT(c, "FUNCTION RESTORE", "-ERR wrong number of arguments for 'function|restore' command");
    EXPECT(c, "FUNCTION HELP",
           "[+FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, "
           "+LOAD [REPLACE] <FUNCTION CODE>, +    Create a new library with the given library name and code., "
           "+DELETE <LIBRARY NAME>, +    Delete the given library., "
           "+LIST [LIBRARYNAME PATTERN] [WITHCODE], +    Return general information on all the libraries:, "
           "+    * Library name, +    * The engine used to run the Library, +    * Library description, "
           "+    * Functions list, +    * Library code (if WITHCODE is given), "
           "+    It also possible to get only function that matches a pattern using LIBRARYNAME argument., "
           "+STATS, +    Return information about the current function running:, +    * Function name, "
           "+    * Command used to run the function, +    * Duration in MS that the function is running, "
           "+    If no function is running, return nil, +    In addition, returns a list of available engines., "
           "+KILL, +    Kill the current running function., +FLUSH [ASYNC|SYNC], +    Delete all the libraries., "
           "+    When called without the optional mode argument, the behavior is determined by the, "
           "+    lazyfree-lazy-user-flush configuration directive. Valid modes are:, "
           "+    * ASYNC: Asynchronously flush the libraries., +    * SYNC: Synchronously flush the libraries., "
           "+DUMP, +    Return a serialized payload representing the current libraries, can be restored using "
           "FUNCTION RESTORE command, +RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE], "
           "+    Restore the libraries represented by the given payload, it is possible to give a restore policy to, "
           "+    control how to handle existing libraries (default APPEND):, +    * FLUSH: delete all existing libraries., "
           "+    * APPEND: appends the restored libraries to the existing libraries. On collision, abort., "
           "+    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old, "
           "+      libraries with the new libraries (notice that even on this option there is a chance of failure, "
           "+      in case of functions name collision with another library)., +HELP, +    Prints this help.]");
}

TEST(info_memory_counts_functions_and_libraries) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    CHECK(cliInfoInt(c, "memory", "number_of_functions") == 0);
    CHECK(cliInfoInt(c, "memory", "number_of_libraries") == 0);
    CHECK(cliInfoInt(c, "memory", "used_memory_functions") >= 0, "no used_memory_functions");
    CHECK(cliInfoInt(c, "memory", "used_memory_vm_functions") >= 0, "no used_memory_vm_functions");
    EXPECT_LOAD(c, lib("in1", "redis.register_function('in1_f', function() end)\n"
                              "redis.register_function('in1_g', function() end)"), "\"in1\"");
    EXPECT_LOAD(c, lib("in2", "redis.register_function('in2_f', function() end)"), "\"in2\"");
    EXPECT_LOAD(c, lib("in3", "return 1"), "-ERR No functions registered");
    CHECK(cliInfoInt(c, "memory", "number_of_functions") == 3, "number_of_functions is %lld",
          cliInfoInt(c, "memory", "number_of_functions"));
    CHECK(cliInfoInt(c, "memory", "number_of_libraries") == 2, "number_of_libraries is %lld",
          cliInfoInt(c, "memory", "number_of_libraries"));
    /* functions are not cached scripts */
    CHECK(cliInfoInt(c, "memory", "number_of_cached_scripts") == 0);
    EXPECT(c, "FUNCTION FLUSH", "+OK");
    CHECK(cliInfoInt(c, "memory", "number_of_functions") == 0);
    CHECK(cliInfoInt(c, "memory", "number_of_libraries") == 0);
}

/* ---- DUMP and RESTORE ---------------------------------------------------------------------------- */

/* Redis's own payloads for two libraries (captured from redis-server
 * 7.0.15): "dl" stored as a plain RDB string, "one" LZF-compressed. */
#define DL_CODE "#!lua name=dl\nredis.register_function('d1', function() return 'd1' end)"
#define ONE_CODE "#!lua name=one\nredis.register_function{function_name='solo', callback=function() return 1 end, " \
                 "flags={'no-writes'}, description='the only one'}"
static const char redisDlDump[] = "\xf5@G" DL_CODE "\n\x00\x91" "9\xef<\x02\xe9\xab\x96";
static const char redisOneDump[] =
    "\xf5\xc3@\x85@\x8f\x1f#!lua name=one\nredis.register_fu\x06nction{\xc0\x08\x00_`)\x10'solo', "
    "callback=\xc0\x1e\x1f() return 1 end, flags={'no-writ\x0c" "es'}, descrip@X\t='the only \x04\x02" "e'}"
    "\n\x00I;UXP\xd7Lg";

/* restoreBytes sends FUNCTION RESTORE of a byte string and answers the reply */
static const char *restoreBytes(redisContext *c, const char *bytes, size_t len) {
    payload p;
    memcpy(p.bytes, bytes, len);
    p.len = len;
    return functionRestore(c, &p, NULL);
}

TEST(function_dump_is_a_versioned_checksummed_rdb_payload) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    /* nothing: RDB version 10 and the CRC-64 */
    EXPECT(c, "FUNCTION DUMP", "\"\\n\\x00]\\x9b\\\\@\\x0f\\x7f\\xa2\\xda\"");
    EXPECT_LOAD(c, DL_CODE, "\"dl\"");
    if (srvIsOracle()) {
        /* one library: opcode 245, the code as an RDB string, version, CRC-64 */
        CHECK_STR(cliCall(c, "FUNCTION DUMP"), replyText(&(redisReply){ .type = REDIS_REPLY_STRING,
                  .str = (char *)redisDlDump, .len = sizeof redisDlDump - 1 }));
        EXPECT(c, "FUNCTION FLUSH", "+OK");
        EXPECT_LOAD(c, ONE_CODE, "\"one\"");
        CHECK_STR(cliCall(c, "FUNCTION DUMP"), replyText(&(redisReply){ .type = REDIS_REPLY_STRING,
                  .str = (char *)redisOneDump, .len = sizeof redisOneDump - 1 }));
        return;
    }
    /* roost compresses with an LZF compressor of its own: the same format,
     * other bytes. Its dump has the same frame and comes back whole ... */
    payload p;
    functionDump(c, &p);
    CHECK(p.len > 12 && (unsigned char)p.bytes[0] == 0xf5, "dump: %s", replyText(&(redisReply){
          .type = REDIS_REPLY_STRING, .str = p.bytes, .len = p.len }));
    CHECK(!memcmp(p.bytes + p.len - 10, "\n\x00", 2), "no RDB version 10 before the checksum");
    CHECK_STR(functionRestore(c, &p, "FLUSH"), "+OK");
    EXPECT(c, "FCALL d1 0", "\"d1\"");
    /* ... and Redis's own payloads, plain and compressed, restore on roost */
    EXPECT(c, "FUNCTION FLUSH", "+OK");
    CHECK_STR(restoreBytes(c, redisDlDump, sizeof redisDlDump - 1), "+OK");
    CHECK_STR(restoreBytes(c, redisOneDump, sizeof redisOneDump - 1), "+OK");
    EXPECT(c, "FCALL d1 0", "\"d1\"");
    EXPECT(c, "FCALL_RO solo 0", ":1");
    EXPECTF(c, tfmt("[[\"library_name\", \"one\", \"engine\", \"LUA\", \"functions\", [[\"name\", \"solo\", "
                    "\"description\", \"the only one\", \"flags\", [+no-writes]]], \"library_code\", \"%s\"]]",
                    "#!lua name=one\\nredis.register_function{function_name='solo', callback=function() return 1 end, "
                    "flags={'no-writes'}, description='the only one'}"),
            "FUNCTION LIST LIBRARYNAME one WITHCODE");
}

/* twoServers starts a source server with libraries la (fa answers a1) and
 * lb (fb answers b1), dumps them into *p, and starts an empty target. */
static void twoServers(redisContext **source, redisContext **target, payload *p) {
    *source = cliConnect(srvStart(NULL));
    *target = cliConnect(srvStart(NULL));
    EXPECT_LOAD(*source, lib("la", "redis.register_function('fa', function() return 'a1' end)"), "\"la\"");
    EXPECT_LOAD(*source, lib("lb", "redis.register_function('fb', function() return 'b1' end)"), "\"lb\"");
    functionDump(*source, p);
}

TEST(function_restore_brings_a_dump_to_another_server) {
    redisContext *ca, *cb;
    payload p;
    twoServers(&ca, &cb, &p);
    EXPECT_RESTORE(cb, &p, NULL, "+OK");
    EXPECT(cb, "FCALL fa 0", "\"a1\"");
    EXPECT(cb, "FCALL fb 0", "\"b1\"");
    CHECK_STR(libraryFunctions(cb, NULL), "la:fa lb:fb");
    /* the code comes back as it was */
    EXPECT(cb, "FUNCTION LIST LIBRARYNAME la WITHCODE",
           "[[\"library_name\", \"la\", \"engine\", \"LUA\", \"functions\", [[\"name\", \"fa\", \"description\", "
           "(nil), \"flags\", []]], \"library_code\", \"#!lua name=la\\nredis.register_function('fa', "
           "function() return 'a1' end)\"]]");
    /* an empty dump restores nothing; with FLUSH it empties the server */
    EXPECT(ca, "FUNCTION FLUSH", "+OK");
    functionDump(ca, &p);
    EXPECT_RESTORE(cb, &p, NULL, "+OK");
    CHECK_STR(libraryFunctions(cb, NULL), "la:fa lb:fb");
    EXPECT_RESTORE(cb, &p, "FLUSH", "+OK");
    EXPECT(cb, "FUNCTION LIST", "[]");
}

TEST(function_restore_policies_append_replace_and_flush) {
    redisContext *ca, *cb;
    payload p;
    twoServers(&ca, &cb, &p);
    /* APPEND (the default) aborts on a library that exists, restoring nothing */
    EXPECT_LOAD(cb, lib("la", "redis.register_function('fa', function() return 'old' end)"), "\"la\"");
    EXPECT_RESTORE(cb, &p, NULL, "-ERR Library la already exists");
    EXPECT_RESTORE(cb, &p, "APPEND", "-ERR Library la already exists");
    EXPECT_RESTORE(cb, &p, "append", "-ERR Library la already exists");
    CHECK_STR(libraryFunctions(cb, NULL), "la:fa");
    EXPECT(cb, "FCALL fa 0", "\"old\"");
    /* REPLACE swaps the colliding library and adds the rest */
    EXPECT_RESTORE(cb, &p, "REPLACE", "+OK");
    EXPECT(cb, "FCALL fa 0", "\"a1\"");
    EXPECT(cb, "FCALL fb 0", "\"b1\"");
    /* FLUSH drops what was there */
    EXPECT_LOAD(cb, lib("lc", "redis.register_function('fc', function() return 'c1' end)"), "\"lc\"");
    EXPECT_RESTORE(cb, &p, "FLUSH", "+OK");
    CHECK_STR(libraryFunctions(cb, NULL), "la:fa lb:fb");
    /* APPEND without collision adds */
    EXPECT(cb, "FUNCTION DELETE la", "+OK");
    EXPECT(cb, "FUNCTION DELETE lb", "+OK");
    EXPECT_LOAD(cb, lib("lc", "redis.register_function('fc', function() return 'c1' end)"), "\"lc\"");
    EXPECT_RESTORE(cb, &p, "APPEND", "+OK");
    CHECK_STR(libraryFunctions(cb, NULL), "la:fa lb:fb lc:fc");
    EXPECT_RESTORE(cb, &p, "BAD", "-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
}

TEST(function_restore_replace_still_fails_on_a_function_of_another_library) {
    redisContext *ca, *cb;
    payload p;
    twoServers(&ca, &cb, &p);
    EXPECT_LOAD(cb, lib("other", "redis.register_function('fb', function() return 'other' end)"), "\"other\"");
    EXPECT_RESTORE(cb, &p, "REPLACE", "-ERR Function fb already exists");
    EXPECT_RESTORE(cb, &p, NULL, "-ERR Function fb already exists");
    CHECK_STR(libraryFunctions(cb, NULL), "other:fb");          /* nothing restored */
    EXPECT(cb, "FCALL fb 0", "\"other\"");
    EXPECT(cb, "FCALL fa 0", NOT_FOUND);
    EXPECT_RESTORE(cb, &p, "FLUSH", "+OK");
    CHECK_STR(libraryFunctions(cb, NULL), "la:fa lb:fb");
}

TEST(function_restore_refuses_a_corrupted_or_truncated_payload) {
    redisContext *ca, *cb;
    payload p, bad;
    twoServers(&ca, &cb, &p);
    bad = p;
    bad.bytes[10] ^= 0x20;                                   /* a flipped bit in the code */
    EXPECT_RESTORE(cb, &bad, NULL, BAD_PAYLOAD);
    bad = p;
    bad.bytes[bad.len - 1] ^= 1;                             /* in the checksum */
    EXPECT_RESTORE(cb, &bad, NULL, BAD_PAYLOAD);
    bad = p;
    bad.len -= 12;                                           /* no version and checksum */
    EXPECT_RESTORE(cb, &bad, "FLUSH", BAD_PAYLOAD);
    EXPECT(cb, "FUNCTION RESTORE x", BAD_PAYLOAD);
    EXPECT(cb, "FUNCTION RESTORE x FLUSH", BAD_PAYLOAD);
    EXPECT(cb, "FUNCTION RESTORE \"\"", BAD_PAYLOAD);
    EXPECT(cb, "FUNCTION RESTORE x BAD",
           "-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    EXPECT(cb, "FUNCTION LIST", "[]");
}

/* ---- redis-cli ------------------------------------------------------------------------------------ */

TEST(redis_cli_loads_a_library_file_with_dash_x) {
    int port = srvPort(s);
    const char *code = "#!lua name=clilib\n"
                       "redis.register_function('cli_hello', function(keys, args)\n"
                       "  return 'hello ' .. args[1]\n"
                       "end)\n";
    char *out = NULL;
    CHECK(runCmdInput(code, &out, "redis-cli -p %d -x FUNCTION LOAD REPLACE", port) == 0);
    CHECK_STR(out, "clilib\n");
    CHECK(runCmd(&out, "redis-cli -p %d FCALL cli_hello 0 world", port) == 0);
    CHECK_STR(out, "hello world\n");
    CHECK(runCmdInput(code, &out, "redis-cli -p %d -x FUNCTION LOAD", port) == 0);
    CHECK_STR(out, "ERR Library 'clilib' already exists\n\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw FUNCTION LIST LIBRARYNAME clilib", port) == 0);
    CHECK_STR(out, "1) 1) \"library_name\"\n   2) \"clilib\"\n   3) \"engine\"\n   4) \"LUA\"\n"
                   "   5) \"functions\"\n   6) 1) 1) \"name\"\n         2) \"cli_hello\"\n"
                   "         3) \"description\"\n         4) (nil)\n         5) \"flags\"\n"
                   "         6) (empty array)\n");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
