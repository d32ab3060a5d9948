/* function.c — Redis 7 functions: FUNCTION LOAD DELETE FLUSH LIST DUMP
 * RESTORE STATS KILL HELP, FCALL and FCALL_RO.
 *
 * A library is Lua code that starts with "#!lua name=<lib>" and registers
 * functions with redis.register_function while it loads. Libraries live in
 * one Lua state of their own (not EVAL's), created on first use and
 * replaced by FUNCTION FLUSH. A function is a callback kept in that state's
 * registry (luaL_ref) plus its name, flags and description.
 *
 * Loading. While a library's code runs, the sandbox's globals read through
 * a tiny table instead of the real ones (luaSetEnvIndex): `redis` with only
 * register_function, log, LOG_* and REDIS_VERSION[_NUM]; anything else is
 * a "nonexistent global variable". The code gets 500 ms (a count hook).
 * Afterwards the globals read through the full set again, so the callbacks
 * the library registered (which keep the sandbox as their environment) see
 * string, math, redis.call ... when FCALL runs them. A load that fails
 * leaves nothing behind: its callbacks are unreferenced and an old library
 * it would have replaced stays.
 *
 * Registry of libraries: an array (library order is Redis's dict order
 * there, which changes between starts; here it is load order) and an index
 * of function names, case-insensitive as in Redis (library names are
 * case-sensitive), rebuilt when libraries change (loads are rare, FCALL is
 * not). Both change only under the exclusive gate and under scriptsLock,
 * so FUNCTION LIST / STATS / DUMP and INFO may read them from any client.
 *
 * DUMP / RESTORE use Redis's payload: per library the opcode 245 and the
 * code as an RDB string, then the RDB version and a CRC-64 (rdbenc.h), so
 * payloads move between roost and Redis. (Redis compresses long code with
 * liblzf and roost with its own LZF compressor: both read either's bytes,
 * but a dump of a long library is not byte-identical to Redis's.)
 */
#include "server/script.h"
#include "persist/rdbenc.h"

#include <ctype.h>
#include <strings.h>

#define LOAD_TIMEOUT_MS 500
#define BAD_NAME "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"

typedef struct fnLib fnLib;

typedef struct fnInfo {
    char *name;
    int ref;                    /* the callback, in the functions state's registry */
    int flags;                  /* SCRIPT_FLAG_* */
    char *desc;                 /* NULL: none */
    fnLib *lib;
} fnInfo;

struct fnLib {
    char *name;
    char *code;
    size_t codeLen;
    fnInfo *fns;
    int nfns, cap;
};

static lua_State *fnL;          /* the exclusive owner's */
static fnLib **libs;            /* under scriptsLock (written by the owner) */
static int nlibs, libsCap;
static fnInfo **index_;         /* open-addressed by lowercase name; under scriptsLock */
static size_t indexCap;
static long long nfunctions;

/* ---- names and the index ----------------------------------------------------------------- */

static bool validName(const char *s, size_t len) {
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_') return false;
    return true;
}

static uint64_t nameHash(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211ULL;
    return h;
}

/* findFunction: the function called name (any case) or NULL */
static fnInfo *findFunction(const char *name, size_t len) {
    if (!indexCap) return NULL;
    for (size_t i = nameHash(name, len) & (indexCap - 1);; i = (i + 1) & (indexCap - 1)) {
        fnInfo *f = index_[i];
        if (!f) return NULL;
        if (strlen(f->name) == len && !strncasecmp(f->name, name, len)) return f;
    }
}

/* reindexLocked rebuilds the name index (scriptsLock held) */
static void reindexLocked(void) {
    nfunctions = 0;
    for (int i = 0; i < nlibs; i++) nfunctions += libs[i]->nfns;
    size_t cap = 16;
    while (cap < (size_t)nfunctions * 2) cap *= 2;
    zfree(index_);
    index_ = zcalloc(sizeof(fnInfo *) * cap);
    indexCap = cap;
    for (int i = 0; i < nlibs; i++) {
        for (int k = 0; k < libs[i]->nfns; k++) {
            fnInfo *f = &libs[i]->fns[k];
            size_t j = nameHash(f->name, strlen(f->name)) & (cap - 1);
            while (index_[j]) j = (j + 1) & (cap - 1);
            index_[j] = f;
        }
    }
}

static fnLib *findLibrary(const char *name) {
    for (int i = 0; i < nlibs; i++)
        if (!strcmp(libs[i]->name, name)) return libs[i];
    return NULL;
}

static void freeLibrary(fnLib *l) {
    if (!l) return;
    for (int k = 0; k < l->nfns; k++) {
        if (fnL) luaL_unref(fnL, LUA_REGISTRYINDEX, l->fns[k].ref);
        zfree(l->fns[k].name);
        zfree(l->fns[k].desc);
    }
    zfree(l->fns);
    zfree(l->name);
    zfree(l->code);
    zfree(l);
}

/* linkLocked / unlinkLocked add or drop a library (scriptsLock held; the
 * caller reindexes) */
static void linkLocked(fnLib *l) {
    if (nlibs == libsCap) {
        libsCap = libsCap ? libsCap * 2 : 8;
        libs = zrealloc(libs, sizeof(fnLib *) * (size_t)libsCap);
    }
    libs[nlibs++] = l;
}

static void unlinkLocked(fnLib *l) {
    for (int i = 0; i < nlibs; i++) {
        if (libs[i] != l) continue;
        memmove(libs + i, libs + i + 1, sizeof(fnLib *) * (size_t)(nlibs - i - 1));
        nlibs--;
        return;
    }
}

void functionInfoLocked(scriptInfo *si) {
    si->nfunctions = nfunctions;
    si->libraries = nlibs;
    si->vmFunctions = luaEngineMemory(fnL);
    size_t n = indexCap * sizeof(fnInfo *) + (size_t)libsCap * sizeof(fnLib *);
    for (int i = 0; i < nlibs; i++)
        n += sizeof(fnLib) + libs[i]->codeLen + (size_t)libs[i]->cap * sizeof(fnInfo);
    si->functions = n;
}

/* ---- the Lua state and the loading environment --------------------------------------------- */

static fnLib *loading;          /* the library being loaded (runner only) */
static int64_t loadDeadlineNs;

static int registerFunction(lua_State *L);

/* pushLoadGlobals builds what a loading library sees */
static void pushLoadGlobals(lua_State *L) {
    lua_newtable(L);                           /* globals */
    lua_newtable(L);                           /* redis */
    lua_pushcfunction(L, registerFunction);
    lua_setfield(L, -2, "register_function");
    luaPushRedisLog(L);
    lua_setfield(L, -2, "log");
    luaSetRedisVersion(L);
    luaPushMissingGlobalMeta(L);
    lua_setmetatable(L, -2);
    luaMakeReadonly(L);
    lua_setfield(L, -2, "redis");
    luaPushMissingGlobalMeta(L);
    lua_setmetatable(L, -2);
}

static lua_State *fnState(void) {
    if (!fnL) {
        lua_State *L = luaEngineNew(true);
        pushLoadGlobals(L);
        lua_setfield(L, LUA_REGISTRYINDEX, "roost.fn.load");
        rtLockAcquire(&scriptsLock);
        fnL = L;
        rtLockRelease(&scriptsLock);
    }
    return fnL;
}

/* ---- redis.register_function ------------------------------------------------------------------ */

static int regFail(lua_State *L, const char *msg) {
    luaPushError(L, msg, strlen(msg));
    return lua_error(L);
}

/* flagsFromTable: the array of flag names at idx; false on an unknown one */
static bool flagsFromTable(lua_State *L, int idx, int *flags) {
    for (int i = 1;; i++) {
        lua_rawgeti(L, idx, i);
        if (lua_isnil(L, -1)) { lua_pop(L, 1); return true; }
        size_t len = 0;
        const char *n = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        int flag = n ? scriptFlagByName(n, len) : 0;
        lua_pop(L, 1);
        if (!flag) return false;
        *flags |= flag;
    }
}

/* namedArgs reads {function_name=, callback=, flags=, description=} at
 * index 1 into positions 2 (name), 3 (callback), 4 (description) and
 * *flags; returns an error message or NULL */
static const char *namedArgs(lua_State *L, int *flags) {
    lua_settop(L, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        if (!strcmp(k, "function_name")) lua_replace(L, 2);
        else if (!strcmp(k, "callback")) lua_replace(L, 3);
        else if (!strcmp(k, "description")) lua_replace(L, 4);
        else if (!strcmp(k, "flags")) {
            if (!lua_istable(L, -1))
                return "flags argument to redis.register_function must be a table representing function flags";
            if (!flagsFromTable(L, lua_gettop(L), flags)) return "unknown flag given";
            lua_pop(L, 1);
        } else {
            return "unknown argument given to redis.register_function";
        }
    }
    if (lua_isnil(L, 2)) return "redis.register_function must get a function name argument";
    if (lua_isnil(L, 3)) return "redis.register_function must get a callback argument";
    if (!lua_isfunction(L, 3)) return "callback argument given to redis.register_function must be a function";
    return NULL;
}

static const char *positionalArgs(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 1) return "calling redis.register_function with a single argument is only applicable to "
                          "Lua table (representing named arguments).";
    if (argc != 2) return "wrong number of arguments to redis.register_function";
    if (!lua_isstring(L, 1)) return "first argument to redis.register_function must be a string";
    if (!lua_isfunction(L, 2)) return "second argument to redis.register_function must be a function";
    lua_pushnil(L);                            /* no description: name 1, callback 2, desc 3 */
    lua_insert(L, 1);                          /* shift to name 2, callback 3, desc 4 */
    lua_pushnil(L);
    lua_insert(L, 4);
    lua_settop(L, 4);
    return NULL;
}

static int registerFunction(lua_State *L) {
    if (!loading) return regFail(L, "redis.register_function can only be called on FUNCTION LOAD command");
    int flags = 0;
    const char *err;
    if (lua_gettop(L) == 1 && lua_istable(L, 1)) err = namedArgs(L, &flags);
    else if (lua_gettop(L) >= 1 && lua_istable(L, 1))
        err = lua_gettop(L) == 2 ? "first argument to redis.register_function must be a string"
                                 : "wrong number of arguments to redis.register_function";
    else err = positionalArgs(L);
    if (err) return regFail(L, err);
    size_t len;
    const char *name = lua_tolstring(L, 2, &len);
    if (!name || !validName(name, len)) return regFail(L, BAD_NAME);
    for (int k = 0; k < loading->nfns; k++)
        if (!strcasecmp(loading->fns[k].name, name)) return regFail(L, "Function already exists in the library");
    if (loading->nfns == loading->cap) {
        loading->cap = loading->cap ? loading->cap * 2 : 4;
        loading->fns = zrealloc(loading->fns, sizeof(fnInfo) * (size_t)loading->cap);
    }
    fnInfo *f = &loading->fns[loading->nfns++];
    f->name = zstrdup(name);
    f->flags = flags;
    f->desc = lua_isstring(L, 4) ? zstrdup(lua_tostring(L, 4)) : NULL;
    f->lib = loading;
    lua_pushvalue(L, 3);
    f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* ---- compiling a library ------------------------------------------------------------------------ */

typedef struct libMeta {
    char name[128];
    size_t skip;                /* the shebang line's length (its '\n' is kept) */
} libMeta;

/* parseMeta reads "#!<engine> name=<lib>"; an error into err */
static bool parseMeta(const char *code, size_t len, libMeta *m, char *err, size_t errcap) {
    if (len < 2 || code[0] != '#' || code[1] != '!') return snprintf(err, errcap, "Missing library metadata"), false;
    const char *nl = memchr(code, '\n', len);
    if (!nl) return snprintf(err, errcap, "Invalid library metadata"), false;
    m->skip = (size_t)(nl - code);
    const char *p = code + 2, *engine = NULL, *w;
    size_t englen = 0, n;
    bool named = false;
    for (int part = 0; scriptShebangWord(&p, nl, &w, &n); part++) {
        if (part == 0) {
            engine = w;
            englen = n;
        } else if (n >= 5 && !strncasecmp(w, "name=", 5)) {
            if (named) return snprintf(err, errcap, "Invalid metadata value, name argument was given multiple times"), false;
            snprintf(m->name, sizeof m->name, "%.*s", (int)(n - 5 < 127 ? n - 5 : 127), w + 5);
            if (n - 5 > 127) m->name[0] = '-';     /* too long to be kept: invalid anyway */
            named = true;
        } else {
            return snprintf(err, errcap, "Invalid metadata value given: %.*s", (int)n, w), false;
        }
    }
    if (!named) return snprintf(err, errcap, "Library name was not given"), false;
    if (!validName(m->name, strlen(m->name))) return snprintf(err, errcap, BAD_NAME), false;
    if (!engine || englen != 3 || strncasecmp(engine, "lua", 3))
        return snprintf(err, errcap, "Engine '%.*s' not found", (int)(engine ? englen : 0), engine ? engine : ""), false;
    return true;
}

static void loadHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    if (rtNanotime() < loadDeadlineNs) return;
    luaPushError(L, "FUNCTION LOAD timeout", 21);
    lua_error(L);
}

/* runLoad runs the compiled chunk at the top with the loading globals;
 * false with the error message pushed */
static bool runLoad(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, "roost.fn.load");
    luaSetEnvIndex(L);
    lua_pushcfunction(L, luaErrorHandler);
    lua_insert(L, -2);
    loadDeadlineNs = rtNanotime() + (int64_t)LOAD_TIMEOUT_MS * 1000000;
    lua_sethook(L, loadHook, LUA_MASKCOUNT, 100000);
    int rc = lua_pcall(L, 0, 0, -2);
    lua_sethook(L, NULL, 0, 0);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    luaSetEnvIndex(L);
    lua_remove(L, rc ? -2 : -1);               /* the handler */
    return rc == 0;
}

/* compileLibrary builds a library from code (not linked). NULL with a
 * zmalloc'd message in *err. Runs on the runner. */
static fnLib *compileLibrary(const char *code, size_t len, const libMeta *m, char **err) {
    lua_State *L = fnState();
    fnLib *l = zcalloc(sizeof *l);
    l->name = zstrdup(m->name);
    l->code = zmemdup(code, len);
    l->codeLen = len;
    char buf[512];
    if (luaL_loadbuffer(L, code + m->skip, len - m->skip, "@user_function") != 0) {
        snprintf(buf, sizeof buf, "Error compiling function: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        goto fail;
    }
    lua_getfield(L, LUA_GLOBALSINDEX, "_G");
    lua_setfenv(L, -2);
    loading = l;
    bool ok = runLoad(L);
    loading = NULL;
    if (!ok) {
        lua_getfield(L, -1, "err");
        snprintf(buf, sizeof buf, "Error registering functions: %s",
                 lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_pop(L, 2);
        goto fail;
    }
    if (l->nfns == 0) {
        snprintf(buf, sizeof buf, "No functions registered");
        goto fail;
    }
    return l;
fail:
    *err = zstrdup(buf);
    freeLibrary(l);
    return NULL;
}

/* collision: a function of l whose name another library (not `except`)
 * already has; NULL if none */
static const char *collision(fnLib *l, fnLib *except) {
    for (int k = 0; k < l->nfns; k++) {
        fnInfo *f = findFunction(l->fns[k].name, strlen(l->fns[k].name));
        if (f && f->lib != except) return l->fns[k].name;
    }
    return NULL;
}

/* ---- FUNCTION LOAD ---------------------------------------------------------------------------- */

typedef struct loadJob {
    client *c;
    const char *code;
    size_t len;
    bool replace;
} loadJob;

static void loadRun(void *arg) {
    loadJob *j = arg;
    char err[512];
    libMeta m;
    if (!parseMeta(j->code, j->len, &m, err, sizeof err)) {
        addReplyError(j->c, err);
        return;
    }
    fnLib *old = findLibrary(m.name);
    if (old && !j->replace) {
        addReplyErrorFormat(j->c, "Library '%s' already exists", m.name);
        return;
    }
    char *e = NULL;
    fnLib *l = compileLibrary(j->code, j->len, &m, &e);
    const char *dup = l ? collision(l, old) : NULL;
    if (!l || dup) {
        if (dup) addReplyErrorFormat(j->c, "Function %s already exists", dup);
        else luaReplyErrorLong(j->c, e, strlen(e));
        zfree(e);
        freeLibrary(l);
        return;
    }
    rtLockAcquire(&scriptsLock);
    if (old) unlinkLocked(old);
    linkLocked(l);
    reindexLocked();
    rtLockRelease(&scriptsLock);
    freeLibrary(old);
    addReplyBulkCString(j->c, l->name);
}

static void functionLoadCommand(client *c) {
    loadJob j = { c, NULL, 0, false };
    int i = 2;
    for (; i < c->argc - 1; i++) {
        if (!argEq(c, i, "replace")) {
            addReplyErrorFormat(c, "Unknown option given: %s", c->argv[i]);
            return;
        }
        j.replace = true;
    }
    j.code = c->argv[i];
    j.len = c->argvlen[i];
    scriptOnBigStack(loadRun, &j);
}

/* ---- FCALL ------------------------------------------------------------------------------------- */

typedef struct fcallJob {
    client *c;
    fnInfo *f;
    int numkeys;
    bool ro;
} fcallJob;

static void fcallRun(void *arg) {
    fcallJob *j = arg;
    client *c = j->c;
    lua_State *L = fnL;
    lua_pushcfunction(L, luaErrorHandler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, j->f->ref);
    luaPushArgTable(L, c->argv + 3, c->argvlen + 3, j->numkeys);
    luaPushArgTable(L, c->argv + 3 + j->numkeys, c->argvlen + 3 + j->numkeys, c->argc - 3 - j->numkeys);
    scriptRun r;
    scriptRunBegin(&r, c, L, j->f->name, false, j->f->flags, j->ro);
    int rc = lua_pcall(L, 2, 1, -4);
    scriptRunEnd(&r);
    if (rc) luaReplyRunError(c, L, j->f->name);
    else luaReplyValue(c, L, r.resp);
    lua_pop(L, 1);
}

static void fcallGeneric(client *c, bool ro) {
    long long numkeys;
    if (!scriptNumkeysOrReply(c, &numkeys, "Bad number of keys provided")) return;
    fnInfo *f = findFunction(c->argv[1], c->argvlen[1]);
    if (!f) {
        addReplyError(c, "Function not found");
        return;
    }
    if (scriptRefusesToStart(c, f->flags, ro)) return;
    fcallJob j = { c, f, (int)numkeys, ro };
    scriptOnBigStack(fcallRun, &j);
}

static void fcallCommand(client *c) { fcallGeneric(c, false); }
static void fcallRoCommand(client *c) { fcallGeneric(c, true); }

/* ---- DELETE, FLUSH --------------------------------------------------------------------------- */

static void deleteRun(void *arg) {
    client *c = arg;
    fnLib *l = findLibrary(c->argv[2]);
    if (!l) {
        addReplyError(c, "Library not found");
        return;
    }
    rtLockAcquire(&scriptsLock);
    unlinkLocked(l);
    reindexLocked();
    rtLockRelease(&scriptsLock);
    freeLibrary(l);
    addReplyOK(c);
}

static void functionDeleteCommand(client *c) { scriptOnBigStack(deleteRun, c); }

/* flushAll drops every library and the Lua state (runner) */
static void flushAll(void *arg) {
    (void)arg;
    rtLockAcquire(&scriptsLock);
    fnLib **old = libs;
    int n = nlibs;
    libs = NULL;
    nlibs = libsCap = 0;
    reindexLocked();
    lua_State *L = fnL;
    fnL = NULL;
    rtLockRelease(&scriptsLock);
    for (int i = 0; i < n; i++) freeLibrary(old[i]);   /* fnL is NULL: no unref needed */
    zfree(old);
    luaEngineFree(L);
}

static void functionFlushCommand(client *c) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    if (c->argc == 3 && !argEq(c, 2, "sync") && !argEq(c, 2, "async")) {
        addReplyError(c, "FUNCTION FLUSH only supports SYNC|ASYNC option");
        return;
    }
    scriptOnBigStack(flushAll, NULL);
    addReplyOK(c);
}

/* ---- LIST, STATS ------------------------------------------------------------------------------ */

static void replyFunction(client *c, const fnInfo *f) {
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "name");
    addReplyBulkCString(c, f->name);
    addReplyBulkCString(c, "description");
    if (f->desc) addReplyBulkCString(c, f->desc);
    else addReplyNull(c);
    addReplyBulkCString(c, "flags");
    long n = 0;
    for (const scriptFlagName *fl = scriptFlagNames; fl->name; fl++) n += (f->flags & fl->flag) != 0;
    addReplySetLen(c, n);
    for (const scriptFlagName *fl = scriptFlagNames; fl->name; fl++)
        if (f->flags & fl->flag) addReplyStatus(c, fl->name);
}

static void replyLibrary(client *c, const fnLib *l, bool withCode) {
    addReplyMapLen(c, withCode ? 4 : 3);
    addReplyBulkCString(c, "library_name");
    addReplyBulkCString(c, l->name);
    addReplyBulkCString(c, "engine");
    addReplyBulkCString(c, "LUA");
    addReplyBulkCString(c, "functions");
    addReplyArrayLen(c, l->nfns);
    for (int k = 0; k < l->nfns; k++) replyFunction(c, &l->fns[k]);
    if (withCode) {
        addReplyBulkCString(c, "library_code");
        addReplyBulk(c, l->code, l->codeLen);
    }
}

static void functionListCommand(client *c) {
    bool withCode = false;
    const char *pattern = NULL;
    size_t plen = 0;
    for (int i = 2; i < c->argc; i++) {
        if (argEq(c, i, "withcode") && !withCode) {
            withCode = true;
        } else if (argEq(c, i, "libraryname") && !pattern) {
            if (i + 1 >= c->argc) {
                addReplyError(c, "library name argument was not given");
                return;
            }
            pattern = c->argv[++i];
            plen = c->argvlen[i];
        } else {
            addReplyErrorFormat(c, "Unknown argument %s", c->argv[i]);
            return;
        }
    }
    rtLockAcquire(&scriptsLock);
    size_t h = addReplyDeferredLen(c);
    long n = 0;
    for (int i = 0; i < nlibs; i++) {
        if (pattern && !globMatch(pattern, plen, libs[i]->name, strlen(libs[i]->name), true)) continue;
        replyLibrary(c, libs[i], withCode);
        n++;
    }
    rtLockRelease(&scriptsLock);
    setDeferredArrayLen(c, h, n);
}

static void replyRunning(client *c, const scriptRun *r) {
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "name");
    addReplyBulkCString(c, r->name);
    addReplyBulkCString(c, "command");
    addReplyArrayLen(c, r->caller->argc);
    for (int i = 0; i < r->caller->argc; i++) addReplyBulk(c, r->caller->argv[i], r->caller->argvlen[i]);
    addReplyBulkCString(c, "duration_ms");
    addReplyLongLong(c, (rtNanotime() - r->startNs) / 1000000);
}

static void functionStatsCommand(client *c) {
    rtLockAcquire(&scriptsLock);
    scriptRun *r = scriptCur;
    if (r && r->isEval) {
        rtLockRelease(&scriptsLock);
        addReplyError(c, "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        return;
    }
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "running_script");
    if (r) replyRunning(c, r);
    else addReplyNull(c);
    addReplyBulkCString(c, "engines");
    addReplyMapLen(c, 1);
    addReplyBulkCString(c, "LUA");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "libraries_count");
    addReplyLongLong(c, nlibs);
    addReplyBulkCString(c, "functions_count");
    addReplyLongLong(c, nfunctions);
    rtLockRelease(&scriptsLock);
}

static void functionKillCommand(client *c) { scriptKillCommandGeneric(c, false); }

/* ---- DUMP, RESTORE ----------------------------------------------------------------------------- */

static void functionDumpCommand(client *c) {
    rdbBuf b = { 0 };
    rtLockAcquire(&scriptsLock);
    for (int i = 0; i < nlibs; i++) {
        unsigned char op = RDB_OPCODE_FUNCTION2;
        rdbBufPut(&b, &op, 1);
        rdbPutString(&b, libs[i]->code, libs[i]->codeLen);
    }
    rtLockRelease(&scriptsLock);
    rdbPutTrailer(&b);
    addReplyBulk(c, (const char *)b.p, b.len);
    rdbBufFree(&b);
}

enum { RESTORE_APPEND, RESTORE_REPLACE, RESTORE_FLUSH };

typedef struct restoreJob {
    client *c;
    int policy;
} restoreJob;

/* parsePayload compiles every library of the payload into *out (none
 * linked). NULL or the error (zmalloc'd). */
static char *parsePayload(client *c, fnLib ***out, int *nout) {
    const unsigned char *p = (const unsigned char *)c->argv[2];
    size_t len = c->argvlen[2];
    if (!rdbCheckTrailer(p, len)) return zstrdup("DUMP payload version or checksum are wrong");
    const unsigned char *end = p + len - 10;
    while (p < end) {
        if (*p++ != RDB_OPCODE_FUNCTION2) return zstrdup("given type is not a function");
        size_t clen;
        char *code = rdbGetString(&p, end, &clen);
        if (!code) return zstrdup("Failed loading library");
        char err[512], *e = NULL;
        libMeta m;
        fnLib *l = NULL;
        if (!parseMeta(code, clen, &m, err, sizeof err)) e = zstrdup(err);
        for (int i = 0; !e && i < *nout; i++)
            if (!strcmp((*out)[i]->name, m.name)) {
                snprintf(err, sizeof err, "Library '%s' already exists", m.name);
                e = zstrdup(err);
            }
        if (!e) l = compileLibrary(code, clen, &m, &e);
        zfree(code);
        if (!l) return e;
        *out = zrealloc(*out, sizeof(fnLib *) * (size_t)(*nout + 1));
        (*out)[(*nout)++] = l;
    }
    return NULL;
}

/* joinCheck: can the new libraries join the linked ones under policy?
 * NULL or the error (zmalloc'd) */
static char *joinCheck(fnLib **nl, int n, int policy) {
    char err[256];
    for (int i = 0; i < n && policy == RESTORE_APPEND; i++)
        if (findLibrary(nl[i]->name)) {
            snprintf(err, sizeof err, "Library %s already exists", nl[i]->name);
            return zstrdup(err);
        }
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < nl[i]->nfns; k++) {
            fnInfo *f = findFunction(nl[i]->fns[k].name, strlen(nl[i]->fns[k].name));
            if (f && !(policy == RESTORE_REPLACE && findLibrary(nl[i]->name) == f->lib)) {
                snprintf(err, sizeof err, "Function %s already exists", nl[i]->fns[k].name);
                return zstrdup(err);
            }
        }
    }
    return NULL;
}

static void restoreRun(void *arg) {
    restoreJob *j = arg;
    fnLib **nl = NULL;
    int n = 0;
    char *err = parsePayload(j->c, &nl, &n);
    if (!err && j->policy != RESTORE_FLUSH) err = joinCheck(nl, n, j->policy);
    if (err) {
        for (int i = 0; i < n; i++) freeLibrary(nl[i]);
        zfree(nl);
        addReplyError(j->c, err);
        zfree(err);
        return;
    }
    fnLib **dropped = zmalloc(sizeof(fnLib *) * (size_t)(nlibs + 1));
    int nd = 0;
    rtLockAcquire(&scriptsLock);
    if (j->policy == RESTORE_FLUSH) {
        while (nlibs) { dropped[nd++] = libs[0]; unlinkLocked(libs[0]); }
    }
    for (int i = 0; i < n; i++) {
        fnLib *old = findLibrary(nl[i]->name);
        if (old) { dropped[nd++] = old; unlinkLocked(old); }
        linkLocked(nl[i]);
    }
    reindexLocked();
    rtLockRelease(&scriptsLock);
    for (int i = 0; i < nd; i++) freeLibrary(dropped[i]);
    zfree(dropped);
    zfree(nl);
    addReplyOK(j->c);
}

static void functionRestoreCommand(client *c) {
    restoreJob j = { c, RESTORE_APPEND };
    if (c->argc > 4) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    if (c->argc == 4) {
        if (argEq(c, 3, "flush")) j.policy = RESTORE_FLUSH;
        else if (argEq(c, 3, "replace")) j.policy = RESTORE_REPLACE;
        else if (!argEq(c, 3, "append")) {
            addReplyError(c, "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            return;
        }
    }
    scriptOnBigStack(restoreRun, &j);
}

static void functionHelpCommand(client *c) {
    static const char *help[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        NULL,
    };
    addReplyHelp(c, help);
}

/* ---- the table --------------------------------------------------------------------------------- */

static const cmdArg fcallArgs[] = SCRIPT_CALL_ARGS("function");
static const cmdArg loadArgs[] = {
    { "replace", ARG_PURE_TOKEN, "REPLACE", ARGF_OPTIONAL, NULL, NULL },
    { "function-code", ARG_STRING, NULL, 0, NULL, NULL },
    { 0 }
};
static const cmdArg libNameArg[] = { { "library-name", ARG_STRING, NULL, 0, NULL, NULL }, { 0 } };
static const cmdArg listArgs[] = {
    { "library-name-pattern", ARG_STRING, "LIBRARYNAME", ARGF_OPTIONAL, NULL, NULL },
    { "withcode", ARG_PURE_TOKEN, "WITHCODE", ARGF_OPTIONAL, NULL, NULL },
    { 0 }
};
static const cmdArg policies[] = {
    { "flush", ARG_PURE_TOKEN, "FLUSH", 0, NULL, NULL },
    { "append", ARG_PURE_TOKEN, "APPEND", 0, NULL, NULL },
    { "replace", ARG_PURE_TOKEN, "REPLACE", 0, NULL, NULL },
    { 0 }
};
static const cmdArg restoreArgs[] = {
    { "serialized-value", ARG_STRING, NULL, 0, NULL, NULL },
    { "policy", ARG_ONEOF, NULL, ARGF_OPTIONAL, policies, NULL },
    { 0 }
};

#define FN_EXCL (CMD_NOSCRIPT | CMD_EXCLUSIVE)

static cmdDef functionSubcommands[] = {
    { .name = "delete", .proc = functionDeleteCommand, .arity = 3, .flags = CMD_WRITE | FN_EXCL,
      .acl = "write slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Deletes a library and its functions.", .complexity = "O(1)", .args = libNameArg },
    { .name = "dump", .proc = functionDumpCommand, .arity = 2, .flags = CMD_NOSCRIPT,
      .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Dumps all libraries into a serialized binary payload.",
      .complexity = "O(N) where N is the number of functions" },
    { .name = "flush", .proc = functionFlushCommand, .arity = -2, .flags = CMD_WRITE | FN_EXCL,
      .acl = "write slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Deletes all libraries and functions.",
      .complexity = "O(N) where N is the number of functions deleted", .args = scriptFlushArgs },
    { .name = "help", .proc = functionHelpCommand, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
      .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)" },
    { .name = "kill", .proc = functionKillCommand, .arity = 2, .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY,
      .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Terminates a function during execution.", .complexity = "O(1)" },
    { .name = "list", .proc = functionListCommand, .arity = -2, .flags = CMD_NOSCRIPT,
      .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Returns information about all libraries.",
      .complexity = "O(N) where N is the number of functions", .args = listArgs },
    { .name = "load", .proc = functionLoadCommand, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | FN_EXCL,
      .acl = "write slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Creates a library.",
      .complexity = "O(1) (considering compilation time is redundant)", .args = loadArgs },
    { .name = "restore", .proc = functionRestoreCommand, .arity = -3,
      .flags = CMD_WRITE | CMD_DENYOOM | FN_EXCL, .acl = "write slow scripting", .group = "scripting",
      .since = "7.0.0", .summary = "Restores all libraries from a payload.",
      .complexity = "O(N) where N is the number of functions on the payload", .args = restoreArgs },
    { .name = "stats", .proc = functionStatsCommand, .arity = 2, .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY,
      .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Returns information about a function during execution.", .complexity = "O(1)" },
    { 0 }
};

#define FCALL_FLAGS (CMD_NOSCRIPT | CMD_STALE | CMD_SKIP_MONITOR | CMD_NO_MANDATORY_KEYS | \
                     CMD_EXCLUSIVE | CMD_LOCK_SELF)

cmdDef functionCommands[] = {
    { .name = "fcall", .proc = fcallCommand, .arity = -3, .flags = FCALL_FLAGS, .getkeys = scriptGetKeys,
      .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Invokes a function.", .complexity = "Depends on the function that is executed.",
      .args = fcallArgs },
    { .name = "fcall_ro", .proc = fcallRoCommand, .arity = -3, .flags = FCALL_FLAGS | CMD_READONLY,
      .getkeys = scriptGetKeys, .acl = "slow scripting", .group = "scripting", .since = "7.0.0",
      .summary = "Invokes a read-only function.", .complexity = "Depends on the function that is executed.",
      .args = fcallArgs },
    { .name = "function", .arity = -2, .acl = "", .group = "scripting", .since = "7.0.0",
      .summary = "A container for function commands.", .complexity = "Depends on subcommand.",
      .subcmds = functionSubcommands },
    { 0 }
};
