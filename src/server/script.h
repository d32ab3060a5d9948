/* script.h — the scripting engine's insides, shared by its four files:
 *
 *   script.c      the run: the big-stack runner G, the script client,
 *                 redis.call / redis.pcall, busy-reply-threshold, SCRIPT KILL
 *                 and FUNCTION KILL, the running script's description
 *   script_lua.c  Lua states: libraries, the sandbox (read-only globals and
 *                 library tables), the redis.* API that needs no server,
 *                 conversions between Lua values and RESP
 *   eval.c        EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT, the script cache
 *   function.c    FUNCTION and FCALL FCALL_RO, libraries
 *
 * Model (DESIGN.md §5): every command that touches a Lua state is
 * CMD_EXCLUSIVE, so it runs inside the exclusive gate (gate.c) and only one
 * runs at a time in the whole server: one Lua state for EVAL and one for
 * functions suffice, as in Redis, and a script sees no other command
 * interleaved. The Lua code itself runs on one long-lived runner G with a
 * big stack (Lua's parser and C calls recurse deeper than a client G's
 * 64 KiB allows): the exclusive owner hands it a job and waits.
 *
 * Who may touch what: the Lua states, the script client and `scriptCur`'s
 * fields other than `killed` belong to the exclusive owner (and the runner
 * while it works for it). scriptsLock guards what other clients read while
 * a script runs or between scripts: the script cache's and the function
 * registry's shape (SCRIPT EXISTS, FUNCTION LIST/STATS/DUMP, INFO) and the
 * `scriptCur` pointer (SCRIPT KILL, FUNCTION STATS, which run beside a busy
 * script).
 */
#ifndef ROOST_SCRIPT_H
#define ROOST_SCRIPT_H

#include "server/server.h"

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/* script flags: the shebang's flags= (EVAL) and register_function's flags */
#define SCRIPT_FLAG_NO_WRITES        (1 << 0)
#define SCRIPT_FLAG_ALLOW_OOM        (1 << 1)
#define SCRIPT_FLAG_ALLOW_STALE      (1 << 2)
#define SCRIPT_FLAG_NO_CLUSTER       (1 << 3)
#define SCRIPT_FLAG_ALLOW_CROSS_SLOT (1 << 4)
#define SCRIPT_FLAG_EVAL_COMPAT      (1 << 5)   /* EVAL without a shebang: Redis 6 rules */

typedef struct scriptFlagName { int flag; const char *name; } scriptFlagName;
extern const scriptFlagName scriptFlagNames[];   /* NULL-name terminated */
int scriptFlagByName(const char *name, size_t len);   /* SCRIPT_FLAG_*, 0 if unknown */
/* scriptShebangWord: the next space-separated word of a shebang line
 * [*p, end) into (*w, *n), moving *p past it; false at the end */
bool scriptShebangWord(const char **p, const char *end, const char **w, size_t *n);

/* One run of a script or function. */
typedef struct scriptRun {
    client *caller;           /* the client that sent EVAL / FCALL */
    lua_State *L;
    const char *name;         /* the sha (EVAL) or the function name */
    bool isEval;
    int flags;                /* SCRIPT_FLAG_* */
    bool readOnly;            /* *_RO, or no-writes: write commands refused */
    bool oomAtStart;          /* used memory was over maxmemory at the start */
    _Atomic bool wrote;       /* a write command ran: SCRIPT KILL refuses (read by others) */
    bool busy;                /* past busy-reply-threshold */
    _Atomic int killed;       /* SCRIPT KILL / FUNCTION KILL asked; any thread */
    int64_t startMs;          /* wall clock at the start: the script's frozen time */
    int64_t startNs;          /* monotonic, for busy-reply-threshold */
    int resp;                 /* redis.setresp: the protocol of redis.call replies */
    int hookTicks;            /* count-hook calls so far */
} scriptRun;

extern rtLock scriptsLock;
extern scriptRun *scriptCur;  /* the running script or NULL; written under scriptsLock */

/* ---- script.c ------------------------------------------------------------------ */

/* scriptOnBigStack runs fn(arg) on the runner G and returns when it is
 * done. Only the exclusive owner calls it (one job at a time). May park. */
void scriptOnBigStack(void (*fn)(void *), void *arg);
/* scriptRunBegin / scriptRunEnd bracket the call of a script's Lua
 * function: they publish the run (SCRIPT KILL, FUNCTION STATS), prepare
 * the script client (caller's db, frozen clock, RESP2) and arm the count
 * hook that watches busy-reply-threshold and kill requests. */
void scriptRunBegin(scriptRun *r, client *caller, lua_State *L, const char *name, bool isEval,
                    int flags, bool ro);
void scriptRunEnd(scriptRun *r);
/* the redis.call / redis.pcall implementation (lua_CFunction bodies) */
int scriptLuaCall(lua_State *L);
int scriptLuaPcall(lua_State *L);
int scriptLuaAclCheckCmd(lua_State *L);
/* EVAL and FCALL: "<cmd> <script|function> numkeys key... arg...": the key
 * positions; numkeys checked with Redis's errors (notInt: the message for
 * a non-integer); a script with flags (shebang or function) that may not
 * start now (OOM, or a writer under *_RO): replies and returns true */
int scriptGetKeys(client *c, int argc, int *keyidx, int max);
bool scriptNumkeysOrReply(client *c, long long *numkeys, const char *notInt);
bool scriptRefusesToStart(client *c, int flags, bool ro);
/* COMMAND DOCS: "<first> numkeys [key ...] [arg ...]" and FLUSH [ASYNC|SYNC] */
#define SCRIPT_CALL_ARGS(first)                                                \
    { { first, ARG_STRING, NULL, 0, NULL, NULL },                              \
      { "numkeys", ARG_INTEGER, NULL, 0, NULL, NULL },                         \
      { "key", ARG_KEY, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL },     \
      { "arg", ARG_STRING, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL },  \
      { 0 } }
extern const cmdArg scriptFlushArgs[];
/* scriptKillCommandGeneric: SCRIPT KILL (isEval) and FUNCTION KILL */
void scriptKillCommandGeneric(client *c, bool isEval);

/* ---- script_lua.c ----------------------------------------------------------------- */

/* luaEngineNew makes a sandboxed state: base, table, string, math, cjson,
 * bit, struct, cmsgpack; the redis table; Redis's deterministic
 * math.random; read-only globals and libraries. forFunctions: the state of
 * the function engine (no KEYS/ARGV globals). */
lua_State *luaEngineNew(bool forFunctions);
void luaEngineFree(lua_State *L);
size_t luaEngineMemory(lua_State *L);
/* luaMakeReadonly turns the table at the top of the stack into a
 * read-only proxy (replacing it on the stack). */
void luaMakeReadonly(lua_State *L);
/* luaSetEnvIndex pops a table and makes it what scripts' globals read
 * through (the functions engine swaps in a tiny table while a library
 * loads, then back to LUA_GLOBALSINDEX) */
void luaSetEnvIndex(lua_State *L);
/* luaPushMissingGlobalMeta pushes a metatable whose __index raises "Script
 * attempted to access nonexistent global variable" for script code */
void luaPushMissingGlobalMeta(lua_State *L);
/* the pieces of the redis table a loading library gets */
void luaPushRedisLog(lua_State *L);
void luaSetRedisVersion(lua_State *L);   /* LOG_* and REDIS_VERSION[_NUM] into the table at the top */
/* luaPushArgTable pushes a 1-based array of argv[from .. from+n) strings */
void luaPushArgTable(lua_State *L, const char **argv, const size_t *lens, int n);
/* luaFillArgTable refills the table at the top with the n strings (and
 * clears what follows them): EVAL reuses its KEYS and ARGV tables */
void luaFillArgTable(lua_State *L, const char **argv, const size_t *lens, int n);
/* luaPushError pushes {err = msg} with Redis's rules: "-CODE text" keeps
 * CODE, anything else gets "ERR " in front; trailing CR/LF trimmed. */
void luaPushError(lua_State *L, const char *msg, size_t len);
/* luaPushReply converts one RESP2/RESP3 reply (a command's output) into a
 * Lua value, as Redis's scripts see it. */
void luaPushReply(lua_State *L, const char *p, size_t len);
/* luaReplyValue sends the Lua value at the top of the stack (popped) to c
 * as a RESP reply; scriptResp is the run's redis.setresp. */
void luaReplyValue(client *c, lua_State *L, int scriptResp);
/* luaReplyRunError: the script raised (error object at the top, popped):
 * reply "-<msg> script: <name>, on <source>:<line>." as Redis does. */
void luaReplyRunError(client *c, lua_State *L, const char *name);
/* luaErrorHandler is the message handler scripts run under (it adds the
 * source and line to the error object); lua_pcall's errfunc. */
int luaErrorHandler(lua_State *L);
/* luaReplyErrorLong: an error reply of any length (addReplyErrorFormat
 * truncates at 512 bytes); msg may start with "-CODE". */
void luaReplyErrorLong(client *c, const char *msg, size_t len);

/* ---- eval.c / function.c ------------------------------------------------------------ */

/* their parts of INFO memory (scriptsLock held) */
void evalInfoLocked(scriptInfo *si);
void functionInfoLocked(scriptInfo *si);

#endif
