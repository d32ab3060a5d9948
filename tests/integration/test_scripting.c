/* test_scripting.c — Lua scripting: EVAL EVALSHA EVAL_RO EVALSHA_RO and
 * SCRIPT LOAD EXISTS FLUSH KILL HELP. numkeys and arity errors, KEYS and
 * ARGV, the conversion of Lua values to RESP2 and RESP3 replies (numbers
 * truncated, tables cut at the first nil, {ok=} {err=} {double=} {map=}
 * {set=} {big_number=} {verbatim_string=}, booleans before and after
 * redis.setresp(3)), the conversion of Redis replies to Lua values in both
 * protocols, compile and run-time errors with their exact wording (the
 * "script: <sha>, on @user_script:<line>." suffix), redis.call and
 * redis.pcall errors, commands refused inside scripts (and BLMPOP/BZMPOP,
 * which answer at once), SELECT inside a script, scripts in MULTI, under
 * WATCH and seen by MONITOR, read-only scripts and the shebang flags, the
 * sandbox (globals, read-only library tables, what is absent, loadstring
 * refusing bytecode), math.random's one sequence per server start, cjson,
 * bit, struct and cmsgpack basics, the redis.* helpers, the INFO counts of
 * cached scripts, and redis-cli running scripts (EVAL and --eval).
 *
 * BUSY, SCRIPT KILL and SHUTDOWN NOSAVE during a long script are in
 * test_scripting_busy.c; scripts run by many clients at once in
 * test_scripting_concurrent.c; FUNCTION and FCALL in test_functions.c.
 *
 * Written against redis-server 7.0.15 (ROOST_ORACLE=redis) before roost
 * implemented it; every expectation is what Redis answered.
 *
 * Scripts are sent as one argument each (EXPECT_EVAL formats "EVAL %s 0"),
 * so they are plain C strings of Lua. The error suffix names the script's
 * SHA-1, which runError computes with sha1sum. Every test uses keys of its
 * own (a prefix per test) on the shared server; tests that flush the script
 * cache or need a fresh Lua state start a server of their own.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>

static srv *s;                  /* defaults */

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "-ERR value is not an integer or out of range"
#define NOSCRIPT "-NOSCRIPT No matching script. Please use EVAL."
#define NOT_ALLOWED "-ERR This Redis command is not allowed from script"
#define RO_WRITE "-ERR Write commands are not allowed from read-only scripts."
#define RO_FLAG "-ERR Can not execute a script with write flag using *_ro command."
#define READONLY_TABLE "Attempt to modify a readonly table"
#define LLONG_MIN_TEXT ":-9223372036854775808"

/* ---- helpers ---------------------------------------------------------------------- */

/* EXPECT_EVAL sends EVAL <script> 0 (the script as one argument) and
 * compares the reply; EXPECT_EVAL3 does the same on a raw (RESP3) client. */
#define EXPECT_EVAL(c, script, want) EXPECTF((c), (want), "EVAL %s 0", (script))
#define EXPECT_EVAL_MATCH(c, script, glob)                                     \
    expectEvalMatch(__FILE__, __LINE__, (c), (script), (glob))
#define EXPECT_EVAL3(r, script, want) EXPECT_RAWF((r), (want), "EVAL %s 0", (script))

/* EXPECT_EVAL_ERR: EVAL of script fails at run time with msg on `line`. */
#define EXPECT_EVAL_ERR(c, script, msg, line)                                  \
    EXPECT_EVAL((c), (script), runError((script), (msg), (line)))

static void expectEvalMatch(const char *file, int line, redisContext *c, const char *script,
                            const char *glob) {
    const char *got = cliCallf(c, "EVAL %s 0", script);
    if (!globMatch(glob, got))
        harnessFail(file, line, "EVAL %s 0\n      expected: %s\n      got:      %s", script, glob, got);
}

/* runError is the reply to a script that fails at run time: the message,
 * then " script: <sha1 of the body>, on @user_script:<line>." */
static const char *runError(const char *script, const char *msg, int line) {
    return tfmt("%s script: %s, on @user_script:%d.", msg, sha1Hex(script), line);
}

/* ---- arguments ---------------------------------------------------------------------- */

TEST(eval_checks_numkeys_and_its_arity) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "EVAL \"return 1\" x", NOT_INT);
    EXPECT(c, "EVAL \"return 1\" 1.5", NOT_INT);
    EXPECT(c, "EVAL \"return 1\" 99999999999999999999", NOT_INT);
    EXPECT(c, "EVAL \"return 1\" -1", "-ERR Number of keys can't be negative");
    EXPECT(c, "EVAL \"return 1\" 1", "-ERR Number of keys can't be greater than number of args");
    EXPECT(c, "EVAL \"return 1\" 2 a", "-ERR Number of keys can't be greater than number of args");
    EXPECT(c, "EVAL \"return 1\"", "-ERR wrong number of arguments for 'eval' command");
    EXPECT(c, "EVAL", "-ERR wrong number of arguments for 'eval' command");
    EXPECT(c, "EVAL_RO \"return 1\"", "-ERR wrong number of arguments for 'eval_ro' command");
    EXPECT(c, "EVAL_RO \"return 1\" x", NOT_INT);
    EXPECT(c, "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
           "-ERR wrong number of arguments for 'evalsha' command");
    EXPECT(c, "EVALSHA_RO e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
           "-ERR wrong number of arguments for 'evalsha_ro' command");
    EXPECT(c, "EVAL \"return 1\" 0", ":1");
    EXPECT(c, "EVAL_RO \"return 1\" 0", ":1");
}

TEST(keys_and_argv_reach_the_script_as_given) {
    redisContext *c = cliConnect(s);
    EXPECTF(c, "[\"k1\", \"k2\", \"a1\", \"a2\", :2, :2]", "EVAL %s 2 k1 k2 a1 a2",
            "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}");
    EXPECTF(c, "[:0, :3, \"x\"]", "EVAL %s 0 x y z", "return {#KEYS, #ARGV, ARGV[1]}");
    EXPECTF(c, "[:3, :0]", "EVAL %s 3 a b c", "return {#KEYS, #ARGV}");
    /* arguments are binary safe both ways */
    const char *argv[] = { "EVAL", "return {string.len(ARGV[1]), ARGV[1]}", "0", "a\0b\r\n" };
    size_t lens[] = { 4, strlen(argv[1]), 1, 5 };
    EXPECTV(c, 4, argv, lens, "[:5, \"a\\x00b\\r\\n\"]");
    /* KEYS are what the script touches */
    EXPECTF(c, "\"v\"", "EVAL %s 1 ka:k v", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])");
    EXPECT(c, "GET ka:k", "\"v\"");
}

/* ---- Lua values to RESP2 --------------------------------------------------------------- */

TEST(lua_numbers_become_integers_truncated_toward_zero) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return 3.99", ":3");
    EXPECT_EVAL(c, "return -3.99", ":-3");
    EXPECT_EVAL(c, "return -0.5", ":0");
    EXPECT_EVAL(c, "return 9007199254740993", ":9007199254740992");
    /* out of range and not-a-number: C's conversion gives LLONG_MIN on x86-64 */
    EXPECT_EVAL(c, "return 1e20", LLONG_MIN_TEXT);
    EXPECT_EVAL(c, "return 0/0", LLONG_MIN_TEXT);
    EXPECT_EVAL(c, "return 1/0", LLONG_MIN_TEXT);
    /* a numeric string stays a string */
    EXPECT_EVAL(c, "return '3.5'", "\"3.5\"");
}

TEST(lua_strings_booleans_and_nil_convert_to_resp2) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return 'hello'", "\"hello\"");
    EXPECT_EVAL(c, "return ''", "\"\"");
    EXPECT_EVAL(c, "return 'a\\r\\nb\\0c'", "\"a\\r\\nb\\x00c\"");
    EXPECT_EVAL(c, "return true", ":1");
    EXPECT_EVAL(c, "return false", "(nil)");
    EXPECT_EVAL(c, "return nil", "(nil)");
    EXPECT_EVAL(c, "return", "(nil)");
    EXPECT_EVAL(c, "local x = 1", "(nil)");
    EXPECT_EVAL(c, "return function() end", "(nil)");
}

TEST(lua_arrays_stop_at_the_first_nil_and_keep_their_nesting) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return {1, 2, 3, 'x', {4, 5}, nil, 6}", "[:1, :2, :3, \"x\", [:4, :5]]");
    EXPECT_EVAL(c, "return {1, 2, {3, nil, 4}, 5}", "[:1, :2, [:3], :5]");
    EXPECT_EVAL(c, "return {true, false, 1}", "[:1, (nil), :1]");
    EXPECT_EVAL(c, "return {1, function() end, 3}", "[:1, (nil), :3]");
    EXPECT_EVAL(c, "return {}", "[]");
    EXPECT_EVAL(c, "return {a = 1}", "[]");                  /* only the array part */
    EXPECT_EVAL(c, "return {1, 2, a = 3}", "[:1, :2]");
    EXPECT_EVAL(c, "return {nil, 2}", "[]");
    EXPECT_EVAL(c, "return {{{{'deep'}}}}", "[[[[\"deep\"]]]]");
    EXPECT_EVAL(c, "return {1.9, -1.9, '1.9'}", "[:1, :-1, \"1.9\"]");
}

TEST(ok_and_err_tables_become_status_and_error_replies) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return {ok = 'fine'}", "+fine");
    EXPECT_EVAL(c, "return {err = 'bad thing'}", "-bad thing");
    EXPECT_EVAL(c, "return {err = 'single'}", "-single");
    EXPECT_EVAL(c, "return {err = ''}", "-");
    EXPECT_EVAL(c, "return {err = '-ERR x'}", "--ERR x");
    EXPECT_EVAL(c, "return {ok = 'a', err = 'b'}", "-b");          /* err wins */
    EXPECT_EVAL(c, "return {err = 3}", "[]");                    /* not a string: a table */
    EXPECT_EVAL(c, "return {ok = 3}", "[]");
    EXPECT_EVAL(c, "return {err = {}}", "[]");
    /* CR and LF inside status and error texts become spaces */
    EXPECT_EVAL(c, "return {err = 'a\\r\\nb'}", "-a  b");
    EXPECT_EVAL(c, "return {ok = 'a\\r\\nb'}", "+a  b");
    /* an error table inside an array is an error element */
    EXPECT_EVAL(c, "return {1, {err = 'E inner'}, {ok = 'fine'}}", "[:1, -E inner, +fine]");
}

TEST(redis_error_reply_and_status_reply_build_the_tables) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return redis.status_reply('STAT')", "+STAT");
    EXPECT_EVAL(c, "return redis.status_reply('')", "+");
    EXPECT_EVAL(c, "return redis.status_reply('a\\r\\nb')", "+a  b");
    /* the first word is taken as the error code; a single word gets ERR */
    EXPECT_EVAL(c, "return redis.error_reply('FOO bar')", "-FOO bar");
    EXPECT_EVAL(c, "return redis.error_reply('two words')", "-two words");
    EXPECT_EVAL(c, "return redis.error_reply('bar')", "-ERR bar");
    EXPECT_EVAL(c, "return redis.error_reply('-dash')", "-ERR dash");
    EXPECT_EVAL(c, "return redis.error_reply('-dash code')", "-dash code");
    EXPECT_EVAL(c, "return redis.error_reply('-ERR x')", "-ERR x");
    EXPECT_EVAL(c, "return redis.error_reply('x\\n')", "-ERR x");
    EXPECT_EVAL(c, "return redis.error_reply('')", "-ERR ");
    EXPECT_EVAL(c, "return redis.error_reply('MY err').err", "\"MY err\"");
    EXPECT_EVAL(c, "return redis.status_reply('S').ok", "\"S\"");
    /* bad arguments are returned as an error table, not raised */
    EXPECT_EVAL(c, "return redis.error_reply()", "-ERR wrong number or type of arguments");
    EXPECT_EVAL(c, "return redis.error_reply(1)", "-ERR wrong number or type of arguments");
    EXPECT_EVAL(c, "return redis.error_reply({})", "-ERR wrong number or type of arguments");
    EXPECT_EVAL(c, "return redis.error_reply('a', 'b')", "-ERR wrong number or type of arguments");
    EXPECT_EVAL(c, "return redis.status_reply()", "-ERR wrong number or type of arguments");
    EXPECT_EVAL(c, "return redis.status_reply(5)", "-ERR wrong number or type of arguments");
}

TEST(resp3_typed_tables_degrade_for_a_resp2_client) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return {double = 3.14}", "\"3.1400000000000001\"");
    EXPECT_EVAL(c, "return {double = 0.1}", "\"0.10000000000000001\"");
    EXPECT_EVAL(c, "return {double = 1}", "\"1\"");
    EXPECT_EVAL(c, "return {double = 1/0}", "\"inf\"");
    EXPECT_EVAL(c, "return {double = -1/0}", "\"-inf\"");
    EXPECT_EVAL(c, "return {map = {a = 1}}", "[\"a\", :1]");
    EXPECT_EVAL(c, "return {map = {a = {1, 2}}}", "[\"a\", [:1, :2]]");
    EXPECT_EVAL(c, "return {map = {[1] = 'x'}}", "[:1, \"x\"]");
    EXPECT_EVAL(c, "return {map = {}}", "[]");
    EXPECT_EVAL(c, "return {set = {a = true}}", "[\"a\"]");
    EXPECT_EVAL(c, "return {set = {}}", "[]");
    EXPECT_EVAL(c, "return {big_number = '123456789012345678901234567890'}",
                "\"123456789012345678901234567890\"");
    EXPECT_EVAL(c, "return {big_number = 'abc'}", "\"abc\"");         /* not checked */
    EXPECT_EVAL(c, "return {verbatim_string = {format = 'txt', string = 'hello'}}", "\"hello\"");
    /* malformed typed tables are plain (empty) arrays */
    EXPECT_EVAL(c, "return {double = 'x'}", "[]");
    EXPECT_EVAL(c, "return {big_number = 123}", "[]");
    EXPECT_EVAL(c, "return {verbatim_string = 'x'}", "[]");
    EXPECT_EVAL(c, "return {verbatim_string = {format = 'txt'}}", "[]");
}

/* ---- Lua values to RESP3 --------------------------------------------------------------- */

TEST(a_resp3_client_gets_typed_replies_from_typed_tables) {
    raw *r = rawConnectResp3(s);
    EXPECT_EVAL3(r, "return {double = 3.14}", ",3.1400000000000001");
    EXPECT_EVAL3(r, "return {double = 1}", ",1");
    EXPECT_EVAL3(r, "return {double = 1/0}", ",inf");
    EXPECT_EVAL3(r, "return {double = -1/0}", ",-inf");
    EXPECT_EVAL3(r, "return {map = {a = 1}}", "{\"a\": :1}");
    EXPECT_EVAL3(r, "return {map = {a = {1, 2}}}", "{\"a\": [:1, :2]}");
    EXPECT_EVAL3(r, "return {map = {[1] = 'x'}}", "{:1: \"x\"}");
    EXPECT_EVAL3(r, "return {map = {}}", "{}");
    EXPECT_EVAL3(r, "return {set = {a = true}}", "~[\"a\"]");
    EXPECT_EVAL3(r, "return {set = {}}", "~[]");
    EXPECT_EVAL3(r, "return {big_number = '123456789012345678901234567890'}",
                 "(123456789012345678901234567890");
    EXPECT_EVAL3(r, "return {verbatim_string = {format = 'txt', string = 'hello'}}", "=txt:hello");
    EXPECT_EVAL3(r, "return {1, {double = 2.5}, {map = {k = {set = {z = true}}}}}",
                 "[:1, ,2.5, {\"k\": ~[\"z\"]}]");
    EXPECT_EVAL3(r, "return {double = 'x'}", "[]");
    EXPECT_EVAL3(r, "return {big_number = 123}", "[]");
    /* the other conversions are the same as for RESP2 */
    EXPECT_EVAL3(r, "return 3.99", ":3");
    EXPECT_EVAL3(r, "return 'hello'", "\"hello\"");
    EXPECT_EVAL3(r, "return nil", "(nil)");
    EXPECT_EVAL3(r, "return {1, 2, {3, nil, 4}, 5}", "[:1, :2, [:3], :5]");
    EXPECT_EVAL3(r, "return {ok = 'fine'}", "+fine");
    EXPECT_EVAL3(r, "return {err = 'bad thing'}", "-bad thing");
}

TEST(booleans_are_integers_until_the_script_calls_setresp_3) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnectResp3(s);
    /* without setresp(3): true is 1 and false is nil for both protocols */
    EXPECT_EVAL3(r, "return true", ":1");
    EXPECT_EVAL3(r, "return false", "(nil)");
    EXPECT_EVAL3(r, "return {true, false, 1}", "[:1, (nil), :1]");
    /* after it: RESP3 booleans, which a RESP2 client reads as 1 and 0 */
    EXPECT_EVAL3(r, "redis.setresp(3) return true", "#t");
    EXPECT_EVAL3(r, "redis.setresp(3) return false", "#f");
    EXPECT_EVAL3(r, "redis.setresp(3) return {true, false, nil}", "[#t, #f]");
    EXPECT_EVAL3(r, "redis.setresp(3) return nil", "(nil)");
    EXPECT_EVAL3(r, "redis.setresp(3) redis.setresp(2) return true", ":1");
    EXPECT_EVAL(c, "redis.setresp(3) return true", ":1");
    EXPECT_EVAL(c, "redis.setresp(3) return false", ":0");
    EXPECT_EVAL(c, "redis.setresp(3) return {true, false}", "[:1, :0]");
    /* the protocol chosen is the script's own: the next script starts at 2 */
    EXPECT_EVAL3(r, "return true", ":1");
}

/* ---- Redis replies to Lua -------------------------------------------------------------- */

TEST(redis_replies_become_lua_values_in_resp2_mode) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "HSET r2:h f v", ":1");
    EXPECT(c, "SADD r2:s m", ":1");
    EXPECT(c, "ZADD r2:z 1.5 m", ":1");
    EXPECT(c, "SET r2:str hello", "+OK");
    EXPECT_EVAL(c, "local r = redis.call('GET', 'r2:none') return type(r) .. ':' .. tostring(r)",
                "\"boolean:false\"");
    EXPECT_EVAL(c, "local r = redis.call('GET', 'r2:str') return type(r) .. ':' .. r", "\"string:hello\"");
    EXPECT_EVAL(c, "local r = redis.call('SET', 'r2:x', '1') return {type(r), r.ok}", "[\"table\", \"OK\"]");
    EXPECT_EVAL(c, "local r = redis.call('INCR', 'r2:x') return {type(r), r}", "[\"number\", :2]");
    EXPECT_EVAL(c, "local r = redis.call('HGETALL', 'r2:h') return {type(r), #r, r[1], r[2]}",
                "[\"table\", :2, \"f\", \"v\"]");
    EXPECT_EVAL(c, "local r = redis.call('SMEMBERS', 'r2:s') return {type(r), #r, r[1]}",
                "[\"table\", :1, \"m\"]");
    EXPECT_EVAL(c, "local r = redis.call('ZSCORE', 'r2:z', 'm') return {type(r), r}",
                "[\"string\", \"1.5\"]");
    EXPECT_EVAL(c, "local r = redis.call('LRANGE', 'r2:none', 0, -1) return {type(r), #r}",
                "[\"table\", :0]");
    EXPECT_EVAL(c, "local r = redis.call('INFO', 'keyspace') return type(r)", "\"string\"");
    EXPECT_EVAL(c, "local r = redis.pcall('INCR', 'r2:str') return {type(r), r.err}",
                "[\"table\", \"ERR value is not an integer or out of range\"]");
    /* values pass through unchanged */
    EXPECT_EVAL(c, "return redis.call('HGETALL', 'r2:h')", "[\"f\", \"v\"]");
    EXPECT_EVAL(c, "return redis.call('GET', 'r2:none')", "(nil)");
}

TEST(after_setresp_3_redis_replies_carry_their_resp3_types) {
    redisContext *c = cliConnect(s);
    raw *r = rawConnectResp3(s);
    EXPECT(c, "HSET r3:h f v", ":1");
    EXPECT(c, "SADD r3:s m", ":1");
    EXPECT(c, "ZADD r3:z 1.5 m", ":1");
    EXPECT(c, "SET r3:str hello", "+OK");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('GET', 'r3:none') "
                   "return type(r) .. ':' .. tostring(r)", "\"nil:nil\"");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('HGETALL', 'r3:h') "
                   "return {type(r), type(r.map), r.map.f}", "[\"table\", \"table\", \"v\"]");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('SMEMBERS', 'r3:s') "
                   "return {type(r.set), tostring(r.set.m)}", "[\"table\", \"true\"]");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('ZSCORE', 'r3:z', 'm') "
                   "return {type(r.double), tostring(r.double)}", "[\"number\", \"1.5\"]");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('ZSCORE', 'r3:z', 'none') "
                   "return type(r)", "\"nil\"");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('SET', 'r3:x', '1') return r.ok", "\"OK\"");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('SISMEMBER', 'r3:s', 'm') "
                   "return {type(r), r}", "[\"number\", :1]");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.pcall('INCR', 'r3:str') return r.err",
                "\"ERR value is not an integer or out of range\"");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('INFO', 'keyspace') "
                   "return {type(r), r.verbatim_string.format, type(r.verbatim_string.string)}",
                "[\"table\", \"txt\", \"string\"]");
    EXPECT_EVAL(c, "redis.setresp(3) local r = redis.call('HGETALL', 'r3:none') "
                   "return {type(r.map), tostring(next(r.map))}", "[\"table\", \"nil\"]");
    /* returned as they are: typed for a RESP3 client, flattened for RESP2 */
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('HGETALL', 'r3:h')", "{\"f\": \"v\"}");
    EXPECT_EVAL3(r, "return redis.call('HGETALL', 'r3:h')", "[\"f\", \"v\"]");
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('SMEMBERS', 'r3:s')", "~[\"m\"]");
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('ZSCORE', 'r3:z', 'm')", ",1.5");
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('ZRANGE', 'r3:z', 0, -1, 'WITHSCORES')",
                 "[[\"m\", ,1.5]]");
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('HGETALL', 'r3:none')", "{}");
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('SMEMBERS', 'r3:none')", "~[]");
    EXPECT_EVAL3(r, "redis.setresp(3) return redis.call('GET', 'r3:none')", "(nil)");
    EXPECT_EVAL(c, "redis.setresp(3) return redis.call('HGETALL', 'r3:h')", "[\"f\", \"v\"]");
    EXPECT_EVAL(c, "redis.setresp(3) return redis.call('ZSCORE', 'r3:z', 'm')", "\"1.5\"");
}

TEST(lua_numbers_passed_to_redis_call_become_strings) {
    redisContext *c = cliConnect(s);
    const char *set = "redis.call('SET', 'ln:n', ARGV[1] + 0) return redis.call('GET', 'ln:n')";
    EXPECTF(c, "\"100\"", "EVAL %s 0 100", set);
    EXPECTF(c, "\"3.7000000000000002\"", "EVAL %s 0 3.7", set);
    EXPECTF(c, "\"0.10000000000000001\"", "EVAL %s 0 0.1", set);
    EXPECTF(c, "\"-0.5\"", "EVAL %s 0 -0.5", set);
    EXPECTF(c, "\"1e+20\"", "EVAL %s 0 1e20", set);
    EXPECT_EVAL(c, "return redis.call('SET', 'ln:m', 3.7)", "+OK");
    EXPECT(c, "GET ln:m", "\"3.7000000000000002\"");
}

TEST(redis_setresp_checks_its_argument) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return redis.setresp(3)", "(nil)");
    EXPECT_EVAL(c, "return redis.setresp(2)", "(nil)");
    EXPECT_EVAL(c, "return redis.setresp('3')", "(nil)");
    EXPECT_EVAL_ERR(c, "return redis.setresp(4)", "-ERR RESP version must be 2 or 3.", 1);
    EXPECT_EVAL_ERR(c, "return redis.setresp('x')", "-ERR RESP version must be 2 or 3.", 1);
    EXPECT_EVAL_ERR(c, "return redis.setresp()", "-ERR redis.setresp() requires one argument.", 1);
    EXPECT_EVAL_ERR(c, "return redis.setresp(3, 4)", "-ERR redis.setresp() requires one argument.", 1);
}

/* ---- compile and run-time errors ----------------------------------------------------------- */

TEST(compile_errors_name_the_line_and_the_script_is_not_cached) {
    redisContext *c = cliConnect(s);
    const char *bad = "return {1, 2";
    EXPECT_EVAL(c, bad, "-ERR Error compiling script (new function): user_script:1: '}' expected near '<eof>'");
    EXPECT_EVAL(c, "x = ", "-ERR Error compiling script (new function): user_script:1: "
                           "unexpected symbol near '<eof>'");
    EXPECT_EVAL(c, "return 1\n\nlocal = 2", "-ERR Error compiling script (new function): user_script:3: "
                                           "'<eof>' expected near 'local'");
    EXPECT_EVAL(c, "return 'open", "-ERR Error compiling script (new function): user_script:1: "
                                   "unfinished string near '<eof>'");
    EXPECTF(c, "[:0]", "SCRIPT EXISTS %s", sha1Hex(bad));
    EXPECTF(c, NOSCRIPT, "EVALSHA %s 0", sha1Hex(bad));
    EXPECTF(c, "-ERR Error compiling script (new function): user_script:1: '}' expected near '<eof>'",
            "SCRIPT LOAD %s", bad);
    EXPECTF(c, "[:0]", "SCRIPT EXISTS %s", sha1Hex(bad));
}

TEST(run_time_errors_carry_the_script_sha_and_line_and_the_script_stays_cached) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL_ERR(c, "return rt_x", "-ERR user_script:1: Script attempted to access nonexistent "
                                      "global variable 'rt_x'", 1);
    EXPECT_EVAL_ERR(c, "local a = nil return a.b", "-ERR user_script:1: attempt to index local 'a' "
                                                  "(a nil value)", 1);
    EXPECT_EVAL_ERR(c, "\n\nerror('line3')", "-ERR user_script:3: line3", 3);
    EXPECT_EVAL_ERR(c, "local t = {}\nreturn t.x.y", "-ERR user_script:2: attempt to index field 'x' "
                                                   "(a nil value)", 2);
    EXPECT_EVAL_ERR(c, "return 1 + {}", "-ERR user_script:1: attempt to perform arithmetic on a "
                                       "table value", 1);
    const char *failing = "error('rt cached')";
    EXPECT_EVAL_ERR(c, failing, "-ERR user_script:1: rt cached", 1);
    EXPECTF(c, "[:1]", "SCRIPT EXISTS %s", sha1Hex(failing));
    EXPECTF(c, runError(failing, "-ERR user_script:1: rt cached", 1), "EVALSHA %s 0", sha1Hex(failing));
    /* the connection is fine afterwards */
    EXPECT(c, "PING", "+PONG");
}

TEST(error_takes_a_string_with_or_without_position_and_an_err_table) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL_ERR(c, "error('boom')", "-ERR user_script:1: boom", 1);
    EXPECT_EVAL_ERR(c, "error('boom', 0)", "-ERR boom", 1);
    EXPECT_EVAL_ERR(c, "error('two words', 0)", "-ERR two words", 1);
    EXPECT_EVAL_ERR(c, "error('-X y', 0)", "-ERR -X y", 1);
    EXPECT_EVAL_ERR(c, "error('a\\nb', 0)", "-ERR a b", 1);
    EXPECT_EVAL_ERR(c, "error(42)", "-ERR user_script:1: 42", 1);
    EXPECT_EVAL_ERR(c, "error()", "-ERR nil", 1);
    EXPECT_EVAL_ERR(c, "error(nil)", "-ERR nil", 1);
    /* a table with err: its text is the reply, code included */
    EXPECT_EVAL_ERR(c, "error({err = 'MYERR custom'})", "-MYERR custom", 1);
    EXPECT_EVAL_ERR(c, "error({err = 'lowercase custom'})", "-lowercase custom", 1);
    EXPECT_EVAL_ERR(c, "error({err = 'single'})", "-single", 1);
    EXPECT_EVAL_ERR(c, "error({err = 'x\\ny'})", "-x y", 1);
    EXPECT_EVAL_ERR(c, "error(redis.error_reply('CODE made by error_reply'))",
                    "-CODE made by error_reply", 1);
}

TEST(redis_call_errors_end_the_script_with_the_command_error) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET rc:str hello", "+OK");
    EXPECT_EVAL_ERR(c, "return redis.call('NOSUCH')", "-ERR Unknown Redis command called from script", 1);
    EXPECT_EVAL_ERR(c, "return redis.call(1)", "-ERR Unknown Redis command called from script", 1);
    EXPECT_EVAL_ERR(c, "return redis.call('GET')",
                    "-ERR Wrong number of args calling Redis command from script", 1);
    EXPECT_EVAL_ERR(c, "return redis.call('GET', 'a', 'b')",
                    "-ERR Wrong number of args calling Redis command from script", 1);
    EXPECT_EVAL_ERR(c, "return redis.call('INCR', 'rc:str')", NOT_INT, 1);
    EXPECT_EVAL_ERR(c, "return redis.call('LPUSH', 'rc:str', 'x')", WRONGTYPE, 1);
    EXPECT_EVAL_ERR(c, "return redis.call('SELECT', 99)", "-ERR DB index is out of range", 1);
    EXPECT_EVAL_ERR(c, "return redis.call('GET', {})",
                    "-ERR Lua redis lib command arguments must be strings or integers", 1);
    EXPECT_EVAL_ERR(c, "return redis.call('GET', nil)",
                    "-ERR Lua redis lib command arguments must be strings or integers", 1);
    EXPECT_EVAL_ERR(c, "return redis.call('GET', true)",
                    "-ERR Lua redis lib command arguments must be strings or integers", 1);
    EXPECT_EVAL_ERR(c, "return redis.call()",
                    "-ERR Please specify at least one argument for this redis lib call", 1);
    EXPECT_EVAL_ERR(c, "redis.call('SET', 'rc:a', '1')\nredis.call('INCR', 'rc:str')\nreturn 1", NOT_INT, 2);
    EXPECT(c, "GET rc:a", "\"1\"");                  /* what ran before the error stays */
}

TEST(redis_pcall_returns_the_error_as_a_table_and_the_script_goes_on) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET pc:str hello", "+OK");
    EXPECT_EVAL(c, "local r = redis.pcall('INCR', 'pc:str') return {type(r), r.err}",
                "[\"table\", \"ERR value is not an integer or out of range\"]");
    EXPECT_EVAL(c, "return redis.pcall('NOSUCH').err", "\"ERR Unknown Redis command called from script\"");
    EXPECT_EVAL(c, "return redis.pcall('GET').err", "\"ERR Wrong number of args calling Redis command from script\"");
    EXPECT_EVAL(c, "return redis.pcall('LPUSH', 'pc:str', 'x').err",
                "\"WRONGTYPE Operation against a key holding the wrong kind of value\"");
    /* returned as it is, the table is an error reply without the script suffix */
    EXPECT_EVAL(c, "return redis.pcall('INCR', 'pc:str')", NOT_INT);
    EXPECT_EVAL(c, "return redis.pcall('GET', {})", "-ERR Lua redis lib command arguments must be strings or integers");
    EXPECT_EVAL(c, "return redis.pcall()", "-ERR Please specify at least one argument for this redis lib call");
    EXPECT_EVAL(c, "local e = redis.pcall('INCR', 'pc:str') e.err = 'MY ' .. e.err return e",
                "-MY ERR value is not an integer or out of range");
    EXPECT_EVAL(c, "redis.pcall('INCR', 'pc:str') return redis.pcall('SET', 'pc:after', '1')", "+OK");
    EXPECT(c, "GET pc:after", "\"1\"");
}

TEST(lua_pcall_catches_redis_call_errors_as_strings) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET lp:str hello", "+OK");
    EXPECT_EVAL(c, "local ok, e = pcall(redis.call, 'NOSUCH') return {tostring(ok), type(e), e}",
                "[\"false\", \"string\", \"ERR Unknown Redis command called from script\"]");
    EXPECT_EVAL(c, "local ok, e = pcall(function() redis.call('INCR', 'lp:str') end) return {type(e), e}",
                "[\"string\", \"ERR value is not an integer or out of range\"]");
    EXPECT_EVAL(c, "local ok, e = pcall(error, {err = 'X y'}) return {type(e), e}", "[\"string\", \"X y\"]");
    EXPECT_EVAL(c, "local ok, e = pcall(error, 'x') return {tostring(ok), e}", "[\"false\", \"x\"]");
    EXPECT_EVAL(c, "local ok, e = pcall(function() error('x') end) return e", "\"user_script:1: x\"");
    EXPECT_EVAL(c, "local ok, e = pcall(function() lp_y = 1 end) return e",
                "\"user_script:1: " READONLY_TABLE "\"");
    /* raised again it is an ordinary string error */
    EXPECT_EVAL_ERR(c, "local ok, e = pcall(function() redis.call('INCR', 'lp:str') end) error(e)",
                    "-ERR user_script:1: ERR value is not an integer or out of range", 1);
}

/* ---- EVALSHA, read-only scripts, refused commands ---------------------------------------------- */

TEST(evalsha_runs_cached_scripts_and_answers_noscript_otherwise) {
    redisContext *c = cliConnect(s);
    const char *script = "return {'es', KEYS[1], ARGV[1]}";
    const char *sha = sha1Hex(script);
    EXPECTF(c, tfmt("\"%s\"", sha), "SCRIPT LOAD %s", script);
    EXPECTF(c, "[\"es\", \"k\", \"a\"]", "EVALSHA %s 1 k a", sha);
    char upper[41];
    for (int i = 0; i < 41; i++) upper[i] = (char)(sha[i] >= 'a' && sha[i] <= 'f' ? sha[i] - 32 : sha[i]);
    EXPECTF(c, "[\"es\", \"k\", \"a\"]", "EVALSHA %s 1 k a", upper);
    EXPECTF(c, "[\"es\", \"k\", \"a\"]", "EVALSHA_RO %s 1 k a", sha);
    EXPECTF(c, NOT_INT, "EVALSHA %s x", sha);
    EXPECTF(c, "-ERR Number of keys can't be greater than number of args", "EVALSHA %s 1", sha);
    EXPECT(c, "EVALSHA ffffffffffffffffffffffffffffffffffffffff 0", NOSCRIPT);
    EXPECT(c, "EVALSHA_RO ffffffffffffffffffffffffffffffffffffffff 0", NOSCRIPT);
    EXPECT(c, "EVALSHA abc 0", NOSCRIPT);
    EXPECTF(c, NOSCRIPT, "EVALSHA %sx 0", sha);
    /* EVAL caches what it runs */
    const char *evaled = "return 'cached by eval'";
    EXPECT_EVAL(c, evaled, "\"cached by eval\"");
    EXPECTF(c, "\"cached by eval\"", "EVALSHA %s 0", sha1Hex(evaled));
}

TEST(eval_ro_and_no_writes_scripts_refuse_write_commands) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET ro:k v", "+OK");
    EXPECTF(c, runError("return redis.call('SET', 'ro:k', 'w')", RO_WRITE, 1), "EVAL_RO %s 0",
            "return redis.call('SET', 'ro:k', 'w')");
    EXPECTF(c, RO_WRITE, "EVAL_RO %s 0", "return redis.pcall('SET', 'ro:k', 'w')");
    EXPECTF(c, "\"v\"", "EVAL_RO %s 0", "return redis.call('GET', 'ro:k')");
    const char *sha = sha1Hex("return redis.call('SET', 'ro:k', 'w')");
    EXPECTF(c, runError("return redis.call('SET', 'ro:k', 'w')", RO_WRITE, 1), "EVALSHA_RO %s 0", sha);
    EXPECT(c, "GET ro:k", "\"v\"");
    /* a no-writes shebang makes EVAL read-only too */
    const char *nw = "#!lua flags=no-writes\nreturn redis.call('SET', 'ro:k', 'w')";
    EXPECT_EVAL_ERR(c, nw, RO_WRITE, 2);
    EXPECT_EVAL(c, "#!lua flags=no-writes\nreturn redis.pcall('SET', 'ro:k', 'w')", RO_WRITE);
    EXPECT_EVAL(c, "#!lua flags=no-writes\nreturn redis.call('GET', 'ro:k')", "\"v\"");
    /* EVAL_RO of a script with a shebang but without no-writes is refused up front */
    EXPECTF(c, RO_FLAG, "EVAL_RO %s 0", "#!lua\nreturn 1");
    EXPECTF(c, ":1", "EVAL_RO %s 0", "#!lua flags=no-writes\nreturn 1");
    EXPECT(c, "GET ro:k", "\"v\"");
}

TEST(commands_refused_inside_scripts_end_them_with_not_allowed) {
    redisContext *c = cliConnect(s);
    static const char *refused[] = {
        "'EVAL', 'return 1', 0", "'EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 0",
        "'SCRIPT', 'LOAD', 'return 1'", "'FUNCTION', 'LIST'", "'FCALL', 'f', 0",
        "'SUBSCRIBE', 'ch'", "'PSUBSCRIBE', 'ch'", "'MONITOR'", "'MULTI'", "'EXEC'",
        "'WATCH', 'k'", "'BLPOP', 'k', 0", "'BRPOP', 'k', 0", "'BRPOPLPUSH', 'a', 'b', 0",
        "'BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 0", "'BZPOPMIN', 'z', 0", "'BZPOPMAX', 'z', 0",
        "'CLIENT', 'ID'", "'CONFIG', 'GET', 'port'", "'SHUTDOWN'",
        "'AUTH', 'x'", "'HELLO'", "'DEBUG', 'SLEEP', 0",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        const char *script = tfmt("return redis.call(%s)", refused[i]);
        EXPECT_EVAL_ERR(c, script, NOT_ALLOWED, 1);
        EXPECT_EVAL(c, tfmt("return redis.pcall(%s)", refused[i]), NOT_ALLOWED);
    }
    /* WAIT (replication), SAVE (persistence) and XREAD (streams) are not in
     * roost yet: a script meets them as unknown commands */
    static const char *later[] = { "'WAIT', 0, 0", "'SAVE'" };
    for (size_t i = 0; i < sizeof later / sizeof *later; i++) {
        if (srvIsOracle()) EXPECT_EVAL_ERR(c, tfmt("return redis.call(%s)", later[i]), NOT_ALLOWED, 1);
        else EXPECT_EVAL_ERR(c, tfmt("return redis.call(%s)", later[i]),
                             "-ERR Unknown Redis command called from script", 1);
    }
    EXPECT_EVAL_ERR(c, "return redis.call('XREAD', 'BLOCK', 0, 'STREAMS', 'x', '$')",
                    srvIsOracle() ? "-ERR XREAD command is not allowed with BLOCK option from scripts"
                                  : "-ERR Unknown Redis command called from script", 1);
    /* others are fine */
    EXPECT_EVAL(c, "return redis.call('PING')", "+PONG");
    EXPECT_EVAL(c, "return redis.call('PUBLISH', 'nobody', 'm')", ":0");
    EXPECT_EVAL(c, "return redis.call('ECHO', 'e')", "\"e\"");
}

TEST(blmpop_and_bzmpop_inside_a_script_answer_at_once_without_blocking) {
    redisContext *c = cliConnect(s);
    long long t0 = harnessNowMs();
    EXPECT_EVAL(c, "return redis.call('BLMPOP', 0, 1, 'bm:none', 'LEFT')", "(nil)");
    EXPECT_EVAL(c, "return redis.call('BZMPOP', 0, 1, 'bm:none', 'MIN')", "(nil)");
    EXPECT_EVAL(c, "return redis.call('BLMPOP', 5, 1, 'bm:none', 'LEFT')", "(nil)");
    EXPECT_EVAL(c, "local r = redis.call('BLMPOP', 0, 1, 'bm:none', 'LEFT') return type(r) .. ':' .. tostring(r)",
                "\"boolean:false\"");
    CHECK(harnessNowMs() - t0 < 1000, "the pops waited %lld ms", harnessNowMs() - t0);
    EXPECT(c, "RPUSH bm:l a b c", ":3");
    EXPECT(c, "ZADD bm:z 1 a 2 b", ":2");
    EXPECT_EVAL(c, "return redis.call('BLMPOP', 0, 1, 'bm:l', 'LEFT', 'COUNT', 2)", "[\"bm:l\", [\"a\", \"b\"]]");
    EXPECT_EVAL(c, "return redis.call('BZMPOP', 0, 1, 'bm:z', 'MAX')", "[\"bm:z\", [[\"b\", \"2\"]]]");
    EXPECT(c, "LRANGE bm:l 0 -1", "[\"c\"]");
}

TEST(blocked_clients_are_served_after_the_script_not_inside_it) {
    redisContext *c = cliConnect(s);
    raw *w = rawConnect(s);
    REQUIRE(rawCmdLine(w, "BLPOP bs:l 0"));
    REQUIRE(WAIT_FOR(cliInfoInt(c, "clients", "blocked_clients") == 1, 5000));
    /* the script pushes and pops again before the waiter can see the element */
    EXPECT_EVAL(c, "redis.call('LPUSH', 'bs:l', 'a') return redis.call('LPOP', 'bs:l')", "\"a\"");
    CHECK(cliInfoInt(c, "clients", "blocked_clients") == 1, "the waiter was served");
    /* two scripts in one transaction push the same key: the waiter gets the
     * head once both ran */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "EVAL \"return redis.call('RPUSH', 'bs:l', 'x')\" 0", "+QUEUED");
    EXPECT(c, "EVAL \"return redis.call('LPUSH', 'bs:l', 'y')\" 0", "+QUEUED");
    EXPECT(c, "EXEC", "[:1, :2]");
    EXPECT_REPLY(w, "[\"bs:l\", \"y\"]");
    EXPECT(c, "LRANGE bs:l 0 -1", "[\"x\"]");
    CHECK(cliInfoInt(c, "clients", "blocked_clients") == 0);
}

TEST(select_inside_a_script_does_not_change_the_callers_database) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "redis.call('SELECT', 1) redis.call('SET', 'sel:k', 'in1') return redis.call('GET', 'sel:k')",
                "\"in1\"");
    EXPECT(c, "GET sel:k", "(nil)");
    EXPECT(c, "SELECT 1", "+OK");
    EXPECT(c, "GET sel:k", "\"in1\"");
    EXPECT_EVAL(c, "return redis.call('GET', 'sel:k')", "\"in1\"");   /* scripts start in the caller's db */
    EXPECT(c, "DEL sel:k", ":1");
    EXPECT(c, "SELECT 0", "+OK");
}

TEST(scripts_in_a_transaction_answer_inside_exec) {
    redisContext *c = cliConnect(s);
    const char *fails = "error('in multi')";
    EXPECT(c, "MULTI", "+OK");
    EXPECTF(c, "+QUEUED", "EVAL %s 0", "return redis.call('INCR', 'tx:n')");
    EXPECTF(c, "+QUEUED", "EVAL %s 0", "return {err = 'X inner'}");
    EXPECTF(c, "+QUEUED", "EVAL %s 0", fails);
    EXPECT(c, "EXEC", tfmt("[:1, -X inner, %s]", runError(fails, "-ERR user_script:1: in multi", 1)));
    EXPECT(c, "MULTI", "+OK");
    EXPECTF(c, "+QUEUED", "EVAL %s 0", "return redis.call('INCR', 'tx:n')");
    EXPECTF(c, "-ERR wrong number of arguments for 'eval' command", "EVAL %s", "return 1");
    EXPECT(c, "EXEC", "-EXECABORT Transaction discarded because of previous errors.");
    EXPECT(c, "GET tx:n", "\"1\"");
}

TEST(a_script_writing_a_watched_key_aborts_the_watchers_transaction) {
    redisContext *c = cliConnect(s), *o = cliConnect(s);
    EXPECT(c, "WATCH wt:k", "+OK");
    EXPECT_EVAL(o, "return redis.call('GET', 'wt:k')", "(nil)");        /* a read does not */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "[+PONG]");
    EXPECT(c, "WATCH wt:k", "+OK");
    EXPECT_EVAL(o, "return redis.call('SET', 'wt:k', 'x')", "+OK");
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "PING", "+QUEUED");
    EXPECT(c, "EXEC", "(nil-array)");
}

TEST(monitor_shows_the_script_and_then_the_commands_it_calls_as_lua) {
    raw *m = rawConnect(s);
    redisContext *c = cliConnect(s);
    EXPECT_RAW(m, "MONITOR", "+OK");
    const char *script = "redis.call('SET', KEYS[1], ARGV[1]) return redis.pcall('INCR', KEYS[1])";
    REQUIRE(EXPECTF(c, "-ERR value is not an integer or out of range", "EVAL %s 1 mon:k v", script));
    EXPECT_REPLY_MATCH(m, tfmt("+*.* [0 127.0.0.1:*] \"EVAL\" \"%s\" \"1\" \"mon:k\" \"v\"", script));
    EXPECT_REPLY_MATCH(m, "+*.* [0 lua] \"SET\" \"mon:k\" \"v\"");
    EXPECT_REPLY_MATCH(m, "+*.* [0 lua] \"INCR\" \"mon:k\"");
}

/* ---- the redis.* helpers ------------------------------------------------------------------ */

TEST(redis_log_writes_to_the_server_log_and_checks_its_arguments) {
    redisContext *c = cliConnect(s);
    REQUIRE(EXPECT_EVAL(c, "return redis.log(redis.LOG_WARNING, 'hello from a script')", "(nil)"));
    REQUIRE(EXPECT_EVAL(c, "return redis.log(redis.LOG_WARNING, 'parts', 'joined', 3)", "(nil)"));
    EXPECT_EVAL(c, "return redis.log(redis.LOG_DEBUG, {})", "(nil)");
    CHECK(WAIT_FOR(srvLogContains(s, "hello from a script"), 2000), "the log has no line from the script");
    CHECK(WAIT_FOR(srvLogContains(s, "parts joined 3"), 2000), "the log has no joined line");
    EXPECT_EVAL(c, "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
                "[:0, :1, :2, :3]");
    EXPECT_EVAL_ERR(c, "return redis.log(redis.LOG_WARNING)",
                    "-ERR redis.log() requires two arguments or more.", 1);
    EXPECT_EVAL_ERR(c, "return redis.log()", "-ERR redis.log() requires two arguments or more.", 1);
    EXPECT_EVAL_ERR(c, "return redis.log(99, 'x')", "-ERR Invalid debug level.", 1);
    EXPECT_EVAL_ERR(c, "return redis.log(-1, 'x')", "-ERR Invalid debug level.", 1);
    EXPECT_EVAL_ERR(c, "return redis.log('x', 'y')", "-ERR First argument must be a number (log level).", 1);
}

TEST(redis_set_repl_and_the_other_helpers_check_their_arguments) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
                "[:0, :1, :2, :2, :3]");
    EXPECT_EVAL(c, "return redis.set_repl(redis.REPL_ALL)", "(nil)");
    EXPECT_EVAL(c, "return redis.set_repl(redis.REPL_NONE)", "(nil)");
    EXPECT_EVAL(c, "return redis.set_repl('x')", "(nil)");             /* read as 0 */
    EXPECT_EVAL_ERR(c, "return redis.set_repl()", "-ERR redis.set_repl() requires two arguments.", 1);
    EXPECT_EVAL_ERR(c, "return redis.set_repl(1, 2)", "-ERR redis.set_repl() requires two arguments.", 1);
    EXPECT_EVAL_ERR(c, "return redis.set_repl(99)",
                    "-ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.", 1);
    EXPECT_EVAL(c, "return redis.replicate_commands()", ":1");
    EXPECT_EVAL(c, "return redis.breakpoint()", "(nil)");
    EXPECT_EVAL(c, "return redis.debug('x')", "(nil)");
    EXPECT_EVAL(c, "return redis.acl_check_cmd('GET', 'x')", ":1");
    EXPECT_EVAL_ERR(c, "return redis.acl_check_cmd('NOSUCH')",
                    "-ERR Invalid command passed to redis.acl_check_cmd()", 1);
    EXPECT_EVAL_ERR(c, "return redis.acl_check_cmd()",
                    "-ERR Please specify at least one argument for this redis lib call", 1);
}

TEST(redis_version_and_sha1hex) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return redis.REDIS_VERSION", "\"7.0.15\"");
    EXPECT_EVAL(c, "return redis.REDIS_VERSION_NUM", ":458767");
    EXPECT_EVAL(c, "return redis.sha1hex('')", "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"");
    EXPECT_EVAL(c, "return redis.sha1hex('return 1')", "\"e0e1f9fabfc9d4800c877a703b823ac0578ff8db\"");
    EXPECT_EVAL(c, "return redis.sha1hex(123)", "\"40bd001563085fc35165329ea1ff5c5ecbdbbeef\"");
    /* what is not a string hashes as the empty string */
    EXPECT_EVAL(c, "return redis.sha1hex({})", "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"");
    EXPECT_EVAL(c, "return redis.sha1hex(nil)", "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"");
    EXPECT_EVAL_ERR(c, "return redis.sha1hex()", "-ERR wrong number of arguments", 1);
    EXPECT_EVAL_ERR(c, "return redis.sha1hex(1, 2)", "-ERR wrong number of arguments", 1);
    EXPECTF(c, tfmt("\"%s\"", sha1Hex("return 1")), "SCRIPT LOAD %s", "return 1");
}

TEST(the_redis_table_and_the_globals_hold_exactly_what_redis_exposes) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t",
                "[\"LOG_DEBUG\", \"LOG_NOTICE\", \"LOG_VERBOSE\", \"LOG_WARNING\", \"REDIS_VERSION\", "
                "\"REDIS_VERSION_NUM\", \"REPL_ALL\", \"REPL_AOF\", \"REPL_NONE\", \"REPL_REPLICA\", "
                "\"REPL_SLAVE\", \"acl_check_cmd\", \"breakpoint\", \"call\", \"debug\", \"error_reply\", "
                "\"log\", \"pcall\", \"replicate_commands\", \"set_repl\", \"setresp\", \"sha1hex\", "
                "\"status_reply\"]");
    EXPECT_EVAL(c, "local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t",
                "[\"ARGV\", \"KEYS\", \"_G\", \"_VERSION\", \"__redis__err__handler\", \"assert\", \"bit\", "
                "\"cjson\", \"cmsgpack\", \"collectgarbage\", \"coroutine\", \"error\", \"gcinfo\", "
                "\"getmetatable\", \"ipairs\", \"load\", \"loadstring\", \"math\", \"next\", \"pairs\", "
                "\"pcall\", \"rawequal\", \"rawget\", \"rawset\", \"redis\", \"select\", \"setmetatable\", "
                "\"string\", \"struct\", \"table\", \"tonumber\", \"tostring\", \"type\", \"unpack\", "
                "\"xpcall\"]");
    EXPECT_EVAL(c, "return _VERSION", "\"Lua 5.1\"");
}

/* ---- SCRIPT ------------------------------------------------------------------------------- */

TEST(script_load_caches_without_running_and_exists_answers_per_sha) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SCRIPT LOAD \"return 1\"", "\"e0e1f9fabfc9d4800c877a703b823ac0578ff8db\"");
    const char *noRun = "redis.call('SET', 'sl:ran', '1') return 2";
    EXPECTF(c, tfmt("\"%s\"", sha1Hex(noRun)), "SCRIPT LOAD %s", noRun);
    EXPECT(c, "EXISTS sl:ran", ":0");
    EXPECTF(c, tfmt("\"%s\"", sha1Hex(noRun)), "SCRIPT LOAD %s", noRun);     /* twice is fine */
    EXPECT(c, "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db E0E1F9FABFC9D4800C877A703B823AC0578FF8DB "
              "ffffffffffffffffffffffffffffffffffffffff abc", "[:1, :1, :0, :0]");
    EXPECT(c, "SCRIPT EXISTS", "-ERR wrong number of arguments for 'script|exists' command");
    EXPECT(c, "SCRIPT LOAD", "-ERR wrong number of arguments for 'script|load' command");
    EXPECT(c, "SCRIPT LOAD a b", "-ERR wrong number of arguments for 'script|load' command");
    EXPECT(c, "SCRIPT LOAD \"return {\"", "-ERR Error compiling script (new function): user_script:1: "
                                          "unexpected symbol near '<eof>'");
}

TEST(script_flush_empties_the_cache_and_takes_sync_or_async) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    const char *modes[] = { "", " SYNC", " ASYNC", " sync", " async" };
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        EXPECT(c, "SCRIPT LOAD \"return 1\"", "\"e0e1f9fabfc9d4800c877a703b823ac0578ff8db\"");
        EXPECT(c, "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "[:1]");
        EXPECT(c, tfmt("SCRIPT FLUSH%s", modes[i]), "+OK");
        EXPECT(c, "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "[:0]");
        EXPECT(c, "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0", NOSCRIPT);
    }
    EXPECT(c, "SCRIPT FLUSH x", "-ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    EXPECT(c, "SCRIPT FLUSH SYNC ASYNC", "-ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    EXPECT(c, "EVAL \"return 5\" 0", ":5");                 /* scripting works after a flush */
}

TEST(script_kill_help_and_unknown_subcommands) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SCRIPT KILL", "-NOTBUSY No scripts in execution right now.");
    EXPECT(c, "SCRIPT KILL x", "-ERR wrong number of arguments for 'script|kill' command");
    EXPECT(c, "SCRIPT NOSUCH", "-ERR unknown subcommand 'NOSUCH'. Try SCRIPT HELP.");
    EXPECT(c, "SCRIPT", "-ERR wrong number of arguments for 'script' command");
    EXPECT(c, "SCRIPT help x", "-ERR wrong number of arguments for 'script|help' command");
    EXPECT(c, "SCRIPT HELP",
           "[+SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, "
           "+DEBUG (YES|SYNC|NO), +    Set the debug mode for subsequent scripts executed., "
           "+EXISTS <sha1> [<sha1> ...], "
           "+    Return information about the existence of the scripts in the script cache., "
           "+FLUSH [ASYNC|SYNC], +    Flush the Lua scripts cache. Very dangerous on replicas., "
           "+    When called without the optional mode argument, the behavior is determined by the, "
           "+    lazyfree-lazy-user-flush configuration directive. Valid modes are:, "
           "+    * ASYNC: Asynchronously flush the scripts cache., "
           "+    * SYNC: Synchronously flush the scripts cache., "
           "+KILL, +    Kill the currently executing Lua script., "
           "+LOAD <script>, +    Load a script into the scripts cache without executing it., "
           "+HELP, +    Prints this help.]");
}

TEST(the_shebang_takes_flags_and_refuses_other_options_and_engines) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "#!lua\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua\n", "(nil)");
    EXPECT_EVAL(c, "#!lua flags=no-writes,allow-oom\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua flags=allow-oom\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua flags=no-cluster\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua flags=allow-cross-slot-keys\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua flags=allow-stale\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua flags=\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua  flags=no-writes\nreturn 1", ":1");
    EXPECT_EVAL(c, "#!lua flags=bad-flag\nreturn 1", "-ERR Unexpected flag in script shebang: bad-flag");
    EXPECT_EVAL(c, "#!lua flags=no-writes,bad\nreturn 1", "-ERR Unexpected flag in script shebang: bad");
    EXPECT_EVAL(c, "#!lua name=x\nreturn 1", "-ERR Unknown lua shebang option: name=x");
    EXPECT_EVAL(c, "#!lua x=y\nreturn 1", "-ERR Unknown lua shebang option: x=y");
    EXPECT_EVAL(c, "#!js\nreturn 1", "-ERR Unexpected engine in script shebang: #!js");
    EXPECT_EVAL(c, "#!LUA\nreturn 1", "-ERR Unexpected engine in script shebang: #!LUA");
    EXPECT_EVAL(c, "#!luax\nreturn 1", "-ERR Unexpected engine in script shebang: #!luax");
    EXPECT_EVAL(c, "#! lua\nreturn 1", "-ERR Unexpected engine in script shebang: #!");
    EXPECT_EVAL(c, "#!lua", "-ERR Invalid script shebang");
    EXPECTF(c, "-ERR Unexpected flag in script shebang: bad", "SCRIPT LOAD %s", "#!lua flags=bad\nreturn 1");
    EXPECTF(c, "[:0]", "SCRIPT EXISTS %s", sha1Hex("#!lua flags=bad-flag\nreturn 1"));
    /* the shebang is line 1 of the script */
    EXPECT_EVAL_ERR(c, "#!lua\nerror('x')", "-ERR user_script:2: x", 2);
    EXPECT_EVAL(c, "#!lua\nreturn redis.call('SET', 'sb:k', 'v')", "+OK");
}

/* ---- out of memory --------------------------------------------------------------- */

#define OOM "-OOM command not allowed when used memory > 'maxmemory'."

TEST(over_maxmemory_scripts_may_read_and_only_flagged_ones_may_write) {
    srv *sv = srvStart(NULL);                 /* maxmemory 1 with noeviction: always out */
    redisContext *c = cliConnect(sv);
    EXPECT(c, "SET k v", "+OK");
    EXPECTF(c, "\"oomlib\"", "FUNCTION LOAD %s",
            "#!lua name=oomlib\n"
            "redis.register_function('w', function(k) return redis.call('SET', k[1], 'x') end)\n"
            "redis.register_function{function_name='ao', callback=function(k) return redis.call('SET', k[1], 'x') end, "
            "flags={'allow-oom'}}\n"
            "redis.register_function{function_name='r', callback=function(k) return redis.call('GET', k[1]) end, "
            "flags={'no-writes'}}");
    EXPECT(c, "CONFIG SET maxmemory-policy noeviction", "+OK");
    EXPECT(c, "CONFIG SET maxmemory 1", "+OK");
    EXPECT(c, "SET x y", OOM);
    EXPECT(c, "GET k", "\"v\"");
    EXPECT(c, "DEL nokey", ":0");
    /* a script without shebang runs; its first write that may grow memory fails */
    EXPECT_EVAL_ERR(c, "return redis.call('SET','x','y')", OOM, 1);
    EXPECT_EVAL(c, "return redis.pcall('SET','x','y')", OOM);
    EXPECT_EVAL(c, "return redis.call('GET','k')", "\"v\"");
    /* ... unless it already wrote: it must not stop half way */
    EXPECT_EVAL(c, "redis.call('DEL','zz') return redis.call('SET','x','y')", "+OK");
    /* with a shebang: refused up front unless no-writes or allow-oom */
    EXPECTF(c, OOM, "EVAL %s 0", "#!lua\nreturn redis.call('GET','k')");
    EXPECTF(c, "\"v\"", "EVAL %s 0", "#!lua flags=no-writes\nreturn redis.call('GET','k')");
    EXPECTF(c, "+OK", "EVAL %s 0", "#!lua flags=allow-oom\nreturn redis.call('SET','x','y')");
    EXPECT(c, "FCALL w 1 x", OOM);
    EXPECT(c, "FCALL ao 1 x", "+OK");
    EXPECT(c, "FCALL r 1 k", "\"v\"");
    EXPECT(c, "FCALL_RO r 1 k", "\"v\"");
    /* inside MULTI nothing may be queued */
    EXPECT(c, "MULTI", "+OK");
    EXPECT(c, "GET k", OOM);
    EXPECT(c, "EXEC", "-EXECABORT Transaction discarded because of previous errors.");
    EXPECT(c, "CONFIG SET maxmemory 0", "+OK");
    EXPECT(c, "SET x z", "+OK");
}

TEST(info_memory_counts_the_cached_scripts) {
    srv *sv = srvStart(NULL);
    redisContext *c = cliConnect(sv);
    EXPECT(c, "SCRIPT FLUSH", "+OK");
    CHECK(cliInfoInt(c, "memory", "number_of_cached_scripts") == 0);
    CHECK(cliInfoInt(c, "memory", "used_memory_scripts_eval") >= 0, "no used_memory_scripts_eval");
    EXPECT(c, "EVAL \"return 2\" 0", ":2");
    EXPECT(c, "EVAL \"return 2\" 0", ":2");                 /* the same script once */
    EXPECT(c, "EVAL \"return 3\" 0", ":3");
    EXPECT(c, "SCRIPT LOAD \"return 4\"", "\"ff408129b095e878eae274cc5f315244f0b5360f\"");
    EXPECT_EVAL_MATCH(c, "error('cached anyway')", "-ERR user_script:1: cached anyway script: *");
    EXPECT(c, "EVAL \"return {\" 0", "-ERR Error compiling script (new function): user_script:1: "
                                    "unexpected symbol near '<eof>'");
    EXPECT_EVAL(c, "#!lua flags=bad\nreturn 1", "-ERR Unexpected flag in script shebang: bad");
    CHECK(cliInfoInt(c, "memory", "number_of_cached_scripts") == 4, "number_of_cached_scripts is %lld",
          cliInfoInt(c, "memory", "number_of_cached_scripts"));
    EXPECT(c, "SCRIPT FLUSH", "+OK");
    CHECK(cliInfoInt(c, "memory", "number_of_cached_scripts") == 0, "number_of_cached_scripts is %lld",
          cliInfoInt(c, "memory", "number_of_cached_scripts"));
}

/* ---- the sandbox -------------------------------------------------------------------------- */

TEST(globals_can_be_neither_read_when_missing_nor_created) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL_ERR(c, "return sb_x", "-ERR user_script:1: Script attempted to access nonexistent "
                                      "global variable 'sb_x'", 1);
    EXPECT_EVAL_ERR(c, "return _G.sb_y", "-ERR user_script:1: Script attempted to access nonexistent "
                                         "global variable 'sb_y'", 1);
    EXPECT_EVAL_ERR(c, "sb_x = 1", "-ERR user_script:1: " READONLY_TABLE, 1);
    EXPECT_EVAL_ERR(c, "_G.sb_x = 1", "-ERR user_script:1: " READONLY_TABLE, 1);
    EXPECT_EVAL_ERR(c, "local f = function() end\nsb_x = 2", "-ERR user_script:2: " READONLY_TABLE, 2);
    EXPECT_EVAL_ERR(c, "rawset(_G, 'sb_x', 1)", "-ERR " READONLY_TABLE, 1);
    EXPECT_EVAL_ERR(c, "setmetatable(_G, nil)", "-ERR " READONLY_TABLE, 1);
    EXPECT_EVAL(c, "return rawget(_G, 'sb_x')", "(nil)");
    EXPECT_EVAL(c, "return getmetatable(_G)", "[]");
    /* locals are fine, and nothing leaks into the next script */
    EXPECT_EVAL(c, "local sb_z = 5 return sb_z", ":5");
    EXPECT_EVAL_ERR(c, "return sb_z", "-ERR user_script:1: Script attempted to access nonexistent "
                                      "global variable 'sb_z'", 1);
}

TEST(library_tables_are_read_only) {
    redisContext *c = cliConnect(s);
    static const char *writes[] = {
        "string.foo = 1", "local t = string t.upper = nil", "redis.call = nil", "redis.foo = 1",
        "cjson.encode = nil", "math.random = nil", "table.insert = nil", "bit.band = nil",
        "struct.pack = nil", "cmsgpack.pack = nil", "coroutine.x = 1",
    };
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
        EXPECT_EVAL_ERR(c, writes[i], "-ERR user_script:1: " READONLY_TABLE, 1);
    EXPECT_EVAL(c, "return string.upper('still there')", "\"STILL THERE\"");
}

/* deepReply: the bytes of the reply to a script returning a table nested
 * 100,000 deep (hiredis and rawReadReply stop long before): how many
 * one-element arrays open it, and how it ends. */
static const char *deepReply(srv *sv) {
    raw *r = rawConnect(sv);
    REQUIRE(rawCmd(r, 3, "EVAL", "local t = {} for i=1,100000 do t = {t} end return t", "0"));
    static char buf[65536];
    size_t len = 0;
    long long deadline = harnessNowMs() + 10000;
    while (len < sizeof buf - 1 && harnessNowMs() < deadline &&
           !(len > 2 && buf[len - 2] == '\r' && buf[len - 1] == '\n' && memchr(buf, '-', len))) {
        struct pollfd pfd = { rawFd(r), POLLIN, 0 };
        if (poll(&pfd, 1, 100) <= 0) continue;
        ssize_t n = read(rawFd(r), buf + len, sizeof buf - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    int levels = 0;
    const char *p = buf;
    while (!strncmp(p, "*1\r\n", 4)) { levels++; p += 4; }
    size_t tail = strcspn(p, "\r");
    return tfmt("%d levels, then %.*s", levels, (int)tail, p);
}

TEST(hostile_scripts_get_errors_and_the_server_lives_on) {
    redisContext *c = cliConnect(s);
    /* the parser's nesting limit */
    char *deep = malloc(20010);
    REQUIRE(deep);
    memcpy(deep, "return ", 7);
    memset(deep + 7, '(', 5000);
    deep[5007] = '1';
    memset(deep + 5008, ')', 5000);
    deep[10008] = '\0';
    EXPECTF(c, "-ERR Error compiling script (new function): user_script:1: chunk has too many syntax levels",
            "EVAL %s 0", deep);
    free(deep);
    /* C and Lua recursion, metamethod loops */
    EXPECT_EVAL(c, "local function f() return pcall(f) end return f()", ":1");
    EXPECT_EVAL_ERR(c, "local function f(n) if n == 0 then return 0 end return 1 + f(n-1) end return f(100000)",
                    "-ERR user_script:1: stack overflow", 1);
    EXPECT_EVAL_ERR(c, "return tostring(setmetatable({}, {__index = function(t,k) return t[k] end}).x)",
                    "-ERR user_script:1: C stack overflow", 1);
    /* nesting limits of the reply and of cjson */
    CHECK_STR(deepReply(s), "7995 levels, then -ERR reached lua stack limit");
    EXPECT_EVAL_ERR(c, "local t = {} for i=1,100000 do t = {t} end return cjson.encode(t)",
                    "-ERR user_script:1: Cannot serialise, excessive nesting (1001)", 1);
    EXPECT_EVAL_ERR(c, "return cjson.decode(string.rep('[', 100000))",
                    "-ERR user_script:1: Found too many nested data structures (1001) at character 1001", 1);
    EXPECT_EVAL_ERR(c, "return string.format('%5000s', 'x'):len()",
                    "-ERR user_script:1: invalid format (width or precision too long)", 1);
    /* big values and coroutines that call Redis */
    EXPECT_EVAL(c, "local s = string.rep('x', 1024*1024) local t = {} for i=1,10 do t[i] = s end "
                   "return #table.concat(t)", ":10485760");
    EXPECT_EVAL(c, "local co = coroutine.create(function() redis.call('set','hs:co','1') coroutine.yield(1) "
                   "return redis.call('get','hs:co') end) local a,b = coroutine.resume(co) "
                   "local c,d = coroutine.resume(co) return {tostring(a),b,tostring(c),d}",
                "[\"true\", :1, \"true\", \"1\"]");
    EXPECT(c, "PING", "+PONG");
}

TEST(os_io_require_and_the_other_unsafe_globals_are_absent) {
    redisContext *c = cliConnect(s);
    static const char *absent[] = {
        "os", "io", "require", "loadfile", "dofile", "print", "debug", "setfenv", "getfenv",
        "newproxy", "module", "package",
    };
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        EXPECT_EVAL_ERR(c, tfmt("return type(%s)", absent[i]),
                        tfmt("-ERR user_script:1: Script attempted to access nonexistent global variable '%s'",
                             absent[i]), 1);
    EXPECT_EVAL(c, "return {type(loadstring), type(load), type(coroutine), type(xpcall), type(unpack), "
                   "type(collectgarbage), type(gcinfo), type(string.dump)}",
                "[\"function\", \"function\", \"table\", \"function\", \"function\", \"function\", "
                "\"function\", \"function\"]");
}

TEST(loadstring_compiles_source_but_refuses_bytecode) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return loadstring('return 7')()", ":7");
    EXPECT_EVAL(c, "local f, e = loadstring('x x') return {tostring(f), e}",
                "[\"nil\", \"[string \\\"x x\\\"]:1: '=' expected near 'x'\"]");
    EXPECT_EVAL(c, "local f, e = loadstring(string.dump(function() return 1 end)) return {tostring(f), e}",
                "[\"nil\", \"[string \\\"\\x1bLuaQ\\\"]:1: unexpected symbol near 'char(27)'\"]");
    EXPECT_EVAL(c, "local d = string.dump(function() return 1 end) local done = false "
                   "local f, e = load(function() if done then return nil end done = true return d end) "
                   "return {tostring(f), e}",
                "[\"nil\", \"(load):1: unexpected symbol near 'char(27)'\"]");
}

/* ---- the libraries -------------------------------------------------------------------------- */

TEST(math_random_follows_one_sequence_from_server_start_and_randomseed_resets_it) {
    srv *sv = srvStart(NULL);                        /* a fresh Lua state */
    redisContext *c = cliConnect(sv);
    EXPECT_EVAL(c, "return {tostring(math.random()), tostring(math.random()), tostring(math.random())}",
                "[\"0.39646477363839\", \"0.84048536971234\", \"0.35333609737146\"]");
    /* the next script goes on with the sequence rather than starting it again */
    EXPECT_EVAL(c, "return {math.random(100), math.random(100), math.random(100), math.random(100), "
                   "math.random(100)}", "[:45, :32, :89, :2, :59]");
    EXPECT_EVAL(c, "return {math.random(1, 6), math.random(1, 6), math.random(1, 6), math.random(1, 6), "
                   "math.random(1, 6), math.random(1, 6)}", "[:1, :3, :5, :1, :6, :1]");
    const char *seeded = "math.randomseed(42) return {math.random(1000), math.random(1000), math.random(1000)}";
    EXPECT_EVAL(c, seeded, "[:745, :343, :112]");
    EXPECT_EVAL(c, "return math.random(1000)", ":423");
    EXPECT_EVAL(c, seeded, "[:745, :343, :112]");
    EXPECT_EVAL_ERR(c, "return math.random(0)",
                    "-ERR user_script:1: bad argument #1 to 'random' (interval is empty)", 1);
    EXPECT_EVAL_ERR(c, "return math.random(2, 1)",
                    "-ERR user_script:1: bad argument #2 to 'random' (interval is empty)", 1);
    EXPECT_EVAL_ERR(c, "return math.random(1, 2, 3)", "-ERR user_script:1: wrong number of arguments", 1);
}

TEST(cjson_encodes_and_decodes) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return cjson.encode({1, 2, 3})", "\"[1,2,3]\"");
    EXPECT_EVAL(c, "return cjson.encode({a = 1})", "\"{\\\"a\\\":1}\"");
    EXPECT_EVAL(c, "return cjson.encode({a = {b = {1, 'x', true, false}}})",
                "\"{\\\"a\\\":{\\\"b\\\":[1,\\\"x\\\",true,false]}}\"");
    EXPECT_EVAL(c, "return cjson.encode('he\"llo')", "\"\\\"he\\\\\\\"llo\\\"\"");
    EXPECT_EVAL(c, "return cjson.encode(cjson.null)", "\"null\"");
    EXPECT_EVAL(c, "return cjson.encode({})", "\"{}\"");
    EXPECT_EVAL(c, "return cjson.encode(1.5)", "\"1.5\"");
    EXPECT_EVAL(c, "return cjson.encode(0.1)", "\"0.1\"");
    EXPECT_EVAL(c, "return cjson.encode(1e100)", "\"1e+100\"");
    EXPECT_EVAL(c, "return cjson.encode(12345678901234)", "\"12345678901234\"");
    EXPECT_EVAL(c, "return cjson.encode({[1] = 1, [3] = 3})", "\"[1,null,3]\"");
    EXPECT_EVAL_ERR(c, "return cjson.encode({[1] = 1, [2] = 2, [20] = 3})",
                    "-ERR user_script:1: Cannot serialise table: excessively sparse array", 1);
    EXPECT_EVAL_ERR(c, "return cjson.encode(function() end)",
                    "-ERR user_script:1: Cannot serialise function: type not supported", 1);
    EXPECT_EVAL(c, "return cjson.decode('[1,2,3]')", "[:1, :2, :3]");
    EXPECT_EVAL(c, "local t = cjson.decode('{\"a\":[1,2,{\"b\":\"c\"}],\"n\":null}') "
                   "return {t.a[1], t.a[3].b, tostring(t.n == cjson.null), type(t.n)}",
                "[:1, \"c\", \"true\", \"userdata\"]");
    EXPECT_EVAL(c, "return cjson.encode(cjson.decode('{\"x\":[true,false,null,1.25,\"s\"]}'))",
                "\"{\\\"x\\\":[true,false,null,1.25,\\\"s\\\"]}\"");
    EXPECT_EVAL(c, "return tostring(cjson.decode('3.75'))", "\"3.75\"");
    EXPECT_EVAL_ERR(c, "return cjson.decode('{')",
                    "-ERR user_script:1: Expected object key string but found T_END at character 2", 1);
    EXPECT_EVAL_ERR(c, "return cjson.decode('[1,2')",
                    "-ERR user_script:1: Expected comma or array end but found T_END at character 5", 1);
    EXPECT_EVAL_ERR(c, "return cjson.decode()",
                    "-ERR user_script:1: bad argument #1 to 'decode' (expected 1 argument)", 1);
}

TEST(bit_operations) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.lshift(1, 10), "
                   "bit.rshift(-1, 28), bit.arshift(-16, 2), bit.bnot(0), bit.tobit(2^32 + 1), "
                   "bit.rol(1, 33), bit.bswap(0x12345678)}",
                "[:15, :7, :6, :1024, :15, :-4, :-1, :1, :2, :2018915346]");
    EXPECT_EVAL(c, "return {bit.tohex(255), bit.tohex(-1), bit.tohex(255, 4), bit.tohex(255, -4)}",
                "[\"000000ff\", \"ffffffff\", \"00ff\", \"00FF\"]");
    /* the width that overflowed in CVE-2024-31449 is clamped */
    EXPECT_EVAL(c, "return bit.tohex(65535, -2147483648)", "\"0000FFFF\"");
}

TEST(struct_and_cmsgpack_round_trip) {
    redisContext *c = cliConnect(s);
    EXPECT_EVAL(c, "return struct.pack('>I2', 258)", "\"\\x01\\x02\"");
    EXPECT_EVAL(c, "local s = struct.pack('<i4 b s', -2, 7, 'hi') return {#s, struct.unpack('<i4 b s', s)}",
                "[:8, :-2, :7, \"hi\", :9]");
    EXPECT_EVAL(c, "return struct.size('>i4 h b')", ":7");
    EXPECT_EVAL_ERR(c, "return struct.pack('y', 1)",
                    "-ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'y')", 1);
    EXPECT_EVAL(c, "return {cmsgpack.pack({1, 2, 3}), cmsgpack.pack({a = 1}), cmsgpack.pack('abc'), "
                   "cmsgpack.pack(1.5)}",
                "[\"\\x93\\x01\\x02\\x03\", \"\\x81\\xa1a\\x01\", \"\\xa3abc\", \"\\xca?\\xc0\\x00\\x00\"]");
    EXPECT_EVAL(c, "return cmsgpack.unpack(cmsgpack.pack({1, 'two', {3}}))", "[:1, \"two\", [:3]]");
    EXPECT_EVAL(c, "local t = cmsgpack.unpack(cmsgpack.pack({a = {b = 'c'}, n = 5})) return {t.a.b, t.n}",
                "[\"c\", :5]");
    EXPECT_EVAL(c, "return {cmsgpack.unpack(cmsgpack.pack(1, 'x', true))}", "[:1, \"x\", :1]");
    EXPECT_EVAL_ERR(c, "return cmsgpack.unpack(string.char(0xc1))", "-ERR user_script:1: Bad data format in input.", 1);
}

/* ---- redis-cli ------------------------------------------------------------------------------ */

/* scriptFile writes body to a new /tmp/roost-script-*.lua and returns its
 * path (test lifetime); the caller unlinks it. */
static const char *scriptFile(const char *body) {
    char path[] = "/tmp/roost-script-XXXXXX.lua";
    int fd = mkstemps(path, 4);
    REQUIRE(fd >= 0, "mkstemps failed");
    bool written = write(fd, body, strlen(body)) == (ssize_t)strlen(body);
    close(fd);
    REQUIRE(written, "could not write %s", path);
    return tfmt("%s", path);
}

TEST(redis_cli_prints_script_replies_like_any_other) {
    int port = srvPort(s);
    char *out = NULL;
    CHECK(runCmd(&out, "redis-cli -p %d EVAL \"return {1,'two',{3}}\" 0", port) == 0);
    CHECK_STR(out, "1\ntwo\n3\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw EVAL \"return {1,'two',{3,nil,4},false}\" 0", port) == 0);
    CHECK_STR(out, "1) (integer) 1\n2) \"two\"\n3) 1) (integer) 3\n4) (nil)\n");
    CHECK(runCmd(&out, "redis-cli -p %d EVAL \"return {err='MY fail'}\" 0", port) == 0);
    CHECK_STR(out, "MY fail\n\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw EVAL \"return redis.status_reply('FINE')\" 0", port) == 0);
    CHECK_STR(out, "FINE\n");
    CHECK(runCmd(&out, "redis-cli -3 -p %d --no-raw EVAL \"redis.setresp(3) return {map={a=1}}\" 0", port) == 0);
    CHECK_STR(out, "1# \"a\" => (integer) 1\n");
    CHECK(runCmd(&out, "redis-cli -3 -p %d --no-raw EVAL \"return {double=2.5}\" 0", port) == 0);
    CHECK_STR(out, "(double) 2.5\n");
}

TEST(redis_cli_eval_runs_a_script_file_with_keys_and_args) {
    int port = srvPort(s);
    const char *body = "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}\n";
    const char *path = scriptFile(body);
    char *out = NULL;
    CHECK(runCmd(&out, "redis-cli -p %d --eval %s k1 k2 , a1 a2", port, path) == 0);
    CHECK_STR(out, "k1\nk2\na1\na2\n2\n2\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw --eval %s k1 k2 , a1 a2", port, path) == 0);
    CHECK_STR(out, "1) \"k1\"\n2) \"k2\"\n3) \"a1\"\n4) \"a2\"\n5) (integer) 2\n6) (integer) 2\n");
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw --eval %s k1 , a1", port, path) == 0);
    CHECK_STR(out, "1) \"k1\"\n");                         /* KEYS[2] is nil: the table ends */
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw --eval %s", port, path) == 0);
    CHECK_STR(out, "(empty array)\n");
    unlink(path);
    CHECK(runCmd(&out, "redis-cli -p %d --eval %s", port, path) == 1);
    CHECK_STR(out, tfmt("Can't open file '%s': No such file or directory\n", path));
}

TEST(redis_cli_eval_shows_a_script_error) {
    int port = srvPort(s);
    const char *body = "return redis.call('NOSUCH')";
    const char *path = scriptFile(body);
    char *out = NULL;
    CHECK(runCmd(&out, "redis-cli -p %d --eval %s", port, path) == 0);
    CHECK_STR(out, tfmt("ERR Unknown Redis command called from script script: %s, on @user_script:1.\n\n",
                        sha1Hex(body)));
    CHECK(runCmd(&out, "redis-cli -p %d --no-raw --eval %s", port, path) == 0);
    CHECK_STR(out, tfmt("(error) ERR Unknown Redis command called from script script: %s, on @user_script:1.\n",
                        sha1Hex(body)));
    unlink(path);
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
