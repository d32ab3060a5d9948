/* eval.c — EVAL EVALSHA EVAL_RO EVALSHA_RO and SCRIPT: the script cache.
 *
 * Every script EVAL or SCRIPT LOAD sees is compiled once, as a function
 * stored in the EVAL Lua state's registry under "f_<sha1 of the body>",
 * and cached until SCRIPT FLUSH (which also starts a new Lua state), as in
 * Redis 7.0. The cache table maps the 40 lowercase hex digits to the
 * script's shebang flags and body size; it is open-addressed and only
 * grows. It is changed by the exclusive owner alone (these commands are
 * CMD_EXCLUSIVE, except SCRIPT EXISTS and SCRIPT KILL), under scriptsLock
 * so SCRIPT EXISTS and INFO can read it from any client.
 *
 * A shebang ("#!lua flags=no-writes,allow-oom") opts out of the Redis 6
 * compatibility rules: declared flags decide whether the script may write
 * (EVAL_RO refuses one that may), and whether it may start when used memory
 * is over maxmemory. The shebang line is cut before compiling but its line
 * feed is kept, so error lines count from the user's first line.
 *
 * Runs: the handler (on the caller's G, inside the exclusive gate) checks
 * numkeys and hands the rest to the runner G (script.c): lookup or
 * compile, KEYS/ARGV, the call under luaErrorHandler, the reply.
 */
#include "server/script.h"
#include "server/sha1.h"

#include <ctype.h>
#include <strings.h>

#define GC_PERIOD 50                 /* a Lua GC step every this many runs */

typedef struct evalScript {
    char sha[41];                    /* "" = free slot */
    int flags;                       /* SCRIPT_FLAG_* */
    size_t bodyLen;
} evalScript;

static lua_State *evalL;             /* exclusive owner's */
static evalScript *cache;            /* under scriptsLock (written by the owner) */
static size_t cacheCap, cacheUsed;   /* under scriptsLock */
static size_t cacheBytes;            /* bodies; under scriptsLock */
static int gcCount;

/* ---- the cache -------------------------------------------------------------------- */

/* shaSlot: the digits are uniformly random already; mix 8 of them */
static size_t shaSlot(const char *sha, size_t cap) {
    uint64_t h;
    memcpy(&h, sha, sizeof h);
    return (size_t)((h * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

/* lowerSha copies a 40-character sha argument in lowercase (A-F only
 * matter: anything else is not in the cache anyway) */
static void lowerSha(char out[41], const char *in, size_t n) {
    for (size_t i = 0; i < 40; i++) {
        char ch = i < n ? in[i] : 0;
        out[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
    }
    out[40] = '\0';
}

/* cacheFind: the entry of sha (40 lowercase hex digits) or NULL */
static evalScript *cacheFind(const char *sha) {
    if (!cacheCap) return NULL;
    for (size_t i = shaSlot(sha, cacheCap);; i = (i + 1) & (cacheCap - 1)) {
        if (!cache[i].sha[0]) return NULL;
        if (!memcmp(cache[i].sha, sha, 40)) return &cache[i];
    }
}

static evalScript *cacheInsertLocked(const char *sha) {
    if ((cacheUsed + 1) * 2 > cacheCap) {
        size_t cap = cacheCap ? cacheCap * 2 : 64;
        evalScript *t = zcalloc(sizeof *t * cap);
        for (size_t i = 0; i < cacheCap; i++) {
            if (!cache[i].sha[0]) continue;
            size_t j = shaSlot(cache[i].sha, cap);
            while (t[j].sha[0]) j = (j + 1) & (cap - 1);
            t[j] = cache[i];
        }
        zfree(cache);
        cache = t;
        cacheCap = cap;
    }
    size_t i = shaSlot(sha, cacheCap);
    while (cache[i].sha[0]) i = (i + 1) & (cacheCap - 1);
    memcpy(cache[i].sha, sha, 40);
    cache[i].sha[40] = '\0';
    cacheUsed++;
    return &cache[i];
}

void evalInfoLocked(scriptInfo *si) {
    si->cachedScripts = (long long)cacheUsed;
    si->scriptsEval = cacheBytes + cacheCap * sizeof(evalScript);
    si->vmEval = luaEngineMemory(evalL);
}

static lua_State *evalState(void) {
    if (!evalL) {
        lua_State *L = luaEngineNew(false);
        rtLockAcquire(&scriptsLock);
        evalL = L;
        rtLockRelease(&scriptsLock);
    }
    return evalL;
}

/* ---- shebang ----------------------------------------------------------------------- */

/* parseFlagList: "no-writes,allow-oom" → flags; false and the bad one in err */
static bool parseFlagList(const char *p, size_t len, int *flags, char *err, size_t errcap) {
    while (len > 0) {
        const char *comma = memchr(p, ',', len);
        size_t n = comma ? (size_t)(comma - p) : len;
        int flag = scriptFlagByName(p, n);
        if (!flag) {
            snprintf(err, errcap, "Unexpected flag in script shebang: %.*s", (int)n, p);
            return false;
        }
        *flags |= flag;
        p += n + (comma ? 1 : 0);
        len -= n + (comma ? 1 : 0);
    }
    return true;
}

/* parseShebang: a body starting with "#!" has a first line "#!lua
 * [flags=a,b]". Sets the flags and the length of that line (its '\n' is
 * kept); false and the error in err. */
static bool parseShebang(const char *body, size_t len, int *flags, size_t *skip, char *err,
                         size_t errcap) {
    *flags = SCRIPT_FLAG_EVAL_COMPAT;
    *skip = 0;
    if (len < 2 || body[0] != '#' || body[1] != '!') return true;
    const char *nl = memchr(body, '\n', len);
    if (!nl) {
        snprintf(err, errcap, "Invalid script shebang");
        return false;
    }
    *skip = (size_t)(nl - body);
    *flags = 0;
    const char *p = body, *w;
    size_t n;
    for (int part = 0; scriptShebangWord(&p, nl, &w, &n); part++) {
        if (part == 0) {
            if (n != 5 || memcmp(w, "#!lua", 5) != 0) {
                snprintf(err, errcap, "Unexpected engine in script shebang: %.*s", (int)n, w);
                return false;
            }
        } else if (n >= 6 && !memcmp(w, "flags=", 6)) {
            if (!parseFlagList(w + 6, n - 6, flags, err, errcap)) return false;
        } else {
            snprintf(err, errcap, "Unknown lua shebang option: %.*s", (int)n, w);
            return false;
        }
    }
    return true;
}

/* ---- compiling ----------------------------------------------------------------------- */

static void funcName(char out[43], const char *sha) {
    out[0] = 'f';
    out[1] = '_';
    memcpy(out + 2, sha, 40);
    out[42] = '\0';
}

/* compileScript compiles body into the cache under sha. NULL after
 * replying the error to c. Runs on the runner. */
static evalScript *compileScript(client *c, const char *body, size_t len, const char *sha) {
    char err[256];
    int flags;
    size_t skip;
    if (!parseShebang(body, len, &flags, &skip, err, sizeof err)) {
        addReplyError(c, err);
        return NULL;
    }
    lua_State *L = evalState();
    if (luaL_loadbuffer(L, body + skip, len - skip, "@user_script") != 0) {
        size_t mlen;
        const char *m = lua_tolstring(L, -1, &mlen);
        char *msg = zmalloc(mlen + 64);
        int n = snprintf(msg, mlen + 64, "Error compiling script (new function): %s", m);
        luaReplyErrorLong(c, msg, (size_t)n);
        zfree(msg);
        lua_pop(L, 1);
        return NULL;
    }
    lua_getfield(L, LUA_GLOBALSINDEX, "_G");    /* the sandbox is its environment */
    lua_setfenv(L, -2);
    char name[43];
    funcName(name, sha);
    lua_setfield(L, LUA_REGISTRYINDEX, name);
    rtLockAcquire(&scriptsLock);
    evalScript *s = cacheInsertLocked(sha);
    s->flags = flags;
    s->bodyLen = len;
    cacheBytes += len;
    rtLockRelease(&scriptsLock);
    return s;
}

/* ---- running ------------------------------------------------------------------------- */

typedef struct evalJob {
    client *c;
    bool bySha, ro;
    long long numkeys;
} evalJob;

/* findScript: the sha and cache entry of the script EVAL/EVALSHA names,
 * compiling a new EVAL body; NULL after replying */
static evalScript *findScript(evalJob *j, char sha[41]) {
    client *c = j->c;
    if (j->bySha) {
        size_t n = c->argvlen[1];
        lowerSha(sha, c->argv[1], n);
        evalScript *s = n == 40 ? cacheFind(sha) : NULL;
        if (!s) addReplyError(c, "-NOSCRIPT No matching script. Please use EVAL.");
        return s;
    }
    sha1Hex(c->argv[1], c->argvlen[1], sha);
    evalScript *s = cacheFind(sha);
    return s ? s : compileScript(c, c->argv[1], c->argvlen[1], sha);
}

static void evalRun(void *arg) {
    evalJob *j = arg;
    client *c = j->c;
    char sha[41];
    evalScript *s = findScript(j, sha);
    if (!s || scriptRefusesToStart(c, s->flags, j->ro)) return;
    lua_State *L = evalL;
    int nk = (int)j->numkeys;
    /* KEYS and ARGV are refilled in place: no script can keep a reference
     * across runs (it has nowhere to store one), so no garbage per run */
    lua_getfield(L, LUA_GLOBALSINDEX, "KEYS");
    luaFillArgTable(L, c->argv + 3, c->argvlen + 3, nk);
    lua_getfield(L, LUA_GLOBALSINDEX, "ARGV");
    luaFillArgTable(L, c->argv + 3 + nk, c->argvlen + 3 + nk, c->argc - 3 - nk);
    lua_pop(L, 2);
    lua_pushcfunction(L, luaErrorHandler);
    char name[43];
    funcName(name, sha);
    lua_getfield(L, LUA_REGISTRYINDEX, name);
    scriptRun r;
    scriptRunBegin(&r, c, L, sha, true, s->flags, j->ro);
    int rc = lua_pcall(L, 0, 1, -2);
    scriptRunEnd(&r);
    if (rc) luaReplyRunError(c, L, sha);
    else luaReplyValue(c, L, r.resp);
    lua_pop(L, 1);                            /* the error handler */
    if (++gcCount >= GC_PERIOD) {
        lua_gc(L, LUA_GCSTEP, GC_PERIOD);
        gcCount = 0;
    }
}

static void evalGeneric(client *c, bool bySha, bool ro) {
    evalJob j = { c, bySha, ro, 0 };
    if (!scriptNumkeysOrReply(c, &j.numkeys, NULL)) return;
    scriptOnBigStack(evalRun, &j);
}

static void evalCommand(client *c) { evalGeneric(c, false, false); }
static void evalRoCommand(client *c) { evalGeneric(c, false, true); }
static void evalShaCommand(client *c) { evalGeneric(c, true, false); }
static void evalShaRoCommand(client *c) { evalGeneric(c, true, true); }

/* ---- SCRIPT -------------------------------------------------------------------------- */

static void loadRun(void *arg) {
    client *c = arg;
    char sha[41];
    sha1Hex(c->argv[2], c->argvlen[2], sha);
    if (cacheFind(sha) || compileScript(c, c->argv[2], c->argvlen[2], sha)) addReplyBulk(c, sha, 40);
}

static void scriptLoadCommand(client *c) { scriptOnBigStack(loadRun, c); }

static void scriptExistsCommand(client *c) {
    addReplyArrayLen(c, c->argc - 2);
    rtLockAcquire(&scriptsLock);
    for (int i = 2; i < c->argc; i++) {
        char sha[41];
        size_t n = c->argvlen[i];
        lowerSha(sha, c->argv[i], n);
        addReplyLongLong(c, n == 40 && cacheFind(sha) ? 1 : 0);
    }
    rtLockRelease(&scriptsLock);
}

static void flushRun(void *arg) {
    (void)arg;
    rtLockAcquire(&scriptsLock);
    lua_State *old = evalL;
    evalL = NULL;
    zfree(cache);
    cache = NULL;
    cacheCap = cacheUsed = cacheBytes = 0;
    rtLockRelease(&scriptsLock);
    luaEngineFree(old);
    gcCount = 0;
}

static void scriptFlushCommand(client *c) {
    if (c->argc > 3 || (c->argc == 3 && !argEq(c, 2, "sync") && !argEq(c, 2, "async"))) {
        addReplyError(c, "SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    scriptOnBigStack(flushRun, NULL);
    addReplyOK(c);
}

static void scriptKillCommand(client *c) { scriptKillCommandGeneric(c, true); }

static void scriptDebugCommand(client *c) {
    if (argEq(c, 2, "no")) {
        addReplyOK(c);
    } else if (argEq(c, 2, "yes") || argEq(c, 2, "sync")) {
        addReplyError(c, "roost does not implement the Lua debugger (SCRIPT DEBUG YES|SYNC)");
    } else {
        addReplyError(c, "Use SCRIPT DEBUG YES/SYNC/NO");
    }
}

static void scriptHelpCommand(client *c) {
    static const char *help[] = {
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        NULL,
    };
    addReplyHelp(c, help);
}

/* ---- the table ------------------------------------------------------------------------- */

static const cmdArg evalArgs[] = SCRIPT_CALL_ARGS("script");
static const cmdArg evalShaArgs[] = SCRIPT_CALL_ARGS("sha1");
static const cmdArg sha1sArg[] = { { "sha1", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, { 0 } };
static const cmdArg scriptArg[] = { { "script", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg flushModes[] = {
    { "async", ARG_PURE_TOKEN, "ASYNC", 0, NULL, NULL },
    { "sync", ARG_PURE_TOKEN, "SYNC", 0, NULL, NULL },
    { 0 }
};
const cmdArg scriptFlushArgs[] = {
    { "flush-type", ARG_ONEOF, NULL, ARGF_OPTIONAL, flushModes, "6.2.0" }, { 0 }
};
static const cmdArg debugModes[] = {
    { "yes", ARG_PURE_TOKEN, "YES", 0, NULL, NULL },
    { "sync", ARG_PURE_TOKEN, "SYNC", 0, NULL, NULL },
    { "no", ARG_PURE_TOKEN, "NO", 0, NULL, NULL },
    { 0 }
};
static const cmdArg debugArgs[] = { { "mode", ARG_ONEOF, NULL, 0, debugModes, NULL }, { 0 } };

#define EVAL_FLAGS (CMD_NOSCRIPT | CMD_STALE | CMD_SKIP_MONITOR | CMD_NO_MANDATORY_KEYS | \
                    CMD_EXCLUSIVE | CMD_LOCK_SELF)

static cmdDef scriptSubcommands[] = {
    { .name = "debug", .proc = scriptDebugCommand, .arity = 3, .flags = CMD_NOSCRIPT,
      .acl = "slow scripting", .group = "scripting", .since = "3.2.0",
      .summary = "Sets the debug mode of server-side Lua scripts.", .complexity = "O(1)",
      .args = debugArgs },
    { .name = "exists", .proc = scriptExistsCommand, .arity = -3, .flags = CMD_NOSCRIPT,
      .acl = "slow scripting", .group = "scripting", .since = "2.6.0",
      .summary = "Determines whether server-side Lua scripts exist in the script cache.",
      .complexity = "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
      .args = sha1sArg },
    { .name = "flush", .proc = scriptFlushCommand, .arity = -2, .flags = CMD_NOSCRIPT | CMD_EXCLUSIVE,
      .acl = "slow scripting", .group = "scripting", .since = "2.6.0",
      .summary = "Removes all server-side Lua scripts from the script cache.",
      .complexity = "O(N) with N being the number of scripts in cache", .args = scriptFlushArgs },
    { .name = "help", .proc = scriptHelpCommand, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
      .acl = "slow scripting", .group = "scripting", .since = "5.0.0",
      .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)" },
    { .name = "kill", .proc = scriptKillCommand, .arity = 2, .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY,
      .acl = "slow scripting", .group = "scripting", .since = "2.6.0",
      .summary = "Terminates a server-side Lua script during execution.", .complexity = "O(1)" },
    { .name = "load", .proc = scriptLoadCommand, .arity = 3,
      .flags = CMD_NOSCRIPT | CMD_STALE | CMD_EXCLUSIVE,
      .acl = "slow scripting", .group = "scripting", .since = "2.6.0",
      .summary = "Loads a server-side Lua script to the script cache.",
      .complexity = "O(N) with N being the length in bytes of the script body.", .args = scriptArg },
    { 0 }
};

cmdDef scriptCommands[] = {
    { .name = "eval", .proc = evalCommand, .arity = -3, .flags = EVAL_FLAGS,
      .getkeys = scriptGetKeys, .acl = "slow scripting", .group = "scripting", .since = "2.6.0",
      .summary = "Executes a server-side Lua script.", .complexity = "Depends on the script that is executed.",
      .args = evalArgs },
    { .name = "eval_ro", .proc = evalRoCommand, .arity = -3, .flags = EVAL_FLAGS | CMD_READONLY,
      .getkeys = scriptGetKeys, .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Executes a read-only server-side Lua script.",
      .complexity = "Depends on the script that is executed.", .args = evalArgs },
    { .name = "evalsha", .proc = evalShaCommand, .arity = -3, .flags = EVAL_FLAGS,
      .getkeys = scriptGetKeys, .acl = "slow scripting", .group = "scripting", .since = "2.6.0",
      .summary = "Executes a server-side Lua script by SHA1 digest.",
      .complexity = "Depends on the script that is executed.", .args = evalShaArgs },
    { .name = "evalsha_ro", .proc = evalShaRoCommand, .arity = -3, .flags = EVAL_FLAGS | CMD_READONLY,
      .getkeys = scriptGetKeys, .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Executes a read-only server-side Lua script by SHA1 digest.",
      .complexity = "Depends on the script that is executed.", .args = evalShaArgs },
    { .name = "script", .arity = -2, .acl = "", .group = "scripting", .since = "2.6.0",
      .summary = "A container for Lua scripts management commands.", .complexity = "Depends on subcommand.",
      .subcmds = scriptSubcommands },
    { 0 }
};
