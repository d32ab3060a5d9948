/* script.c — running a script: the runner G, the script client, redis.call,
 * busy-reply-threshold, SCRIPT KILL / FUNCTION KILL.
 *
 * The runner. Lua code runs on one long-lived G with an 8 MiB stack
 * (rtGoStack; pages are touched only as deep as Lua goes), because Lua's
 * parser and nested C calls recurse deeper than a client G's stack allows.
 * The exclusive owner (gate.c) posts one job and parks on the job's waiter;
 * the runner runs it and wakes the owner. There is never more than one job:
 * only the exclusive owner posts.
 *
 * The script client. redis.call runs commands through call() as a client
 * of its own (like Redis's "lua" client): CLIENT_SCRIPT | CLIENT_EXCLUSIVE,
 * so call() skips the gate (the owner holds it), locks the command's shards
 * as usual, keeps the script's frozen clock (Redis 7: keys do not expire
 * while a script runs), and collects the keys it makes ready; the run hands
 * those to the caller, whose call() serves the blocked clients once the
 * script is over. Its replies land in its output buffer and are converted
 * to Lua values (script_resp.c). It starts each run in the caller's db;
 * SELECT inside a script does not leak out (Redis 7).
 *
 * Busy and kill. A count hook runs every 100,000 Lua instructions. Past
 * busy-reply-threshold it logs "Slow script detected", marks the gate busy
 * (others now get -BUSY instead of waiting) and from then on yields at
 * every hook so the clients on this P get their answers; before that it
 * yields only when sysmon asks. A kill request (SCRIPT KILL / FUNCTION
 * KILL from another client, allowed while busy) makes the hook raise
 * "Script killed by user with SCRIPT KILL..." and re-arm itself on every
 * line, so pcall cannot swallow it. A script that has run a write command
 * cannot be killed (-UNKILLABLE), as in Redis.
 */
#include "server/script.h"
#include "server/config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <strings.h>

#define RUNNER_STACK (8u << 20)
#define HOOK_INSNS 100000

#define BUSY_EVAL "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
#define BUSY_FUNCTION "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."

rtLock scriptsLock;
scriptRun *scriptCur;

const scriptFlagName scriptFlagNames[] = {
    { SCRIPT_FLAG_NO_WRITES, "no-writes" },   { SCRIPT_FLAG_ALLOW_OOM, "allow-oom" },
    { SCRIPT_FLAG_ALLOW_STALE, "allow-stale" }, { SCRIPT_FLAG_NO_CLUSTER, "no-cluster" },
    { SCRIPT_FLAG_ALLOW_CROSS_SLOT, "allow-cross-slot-keys" }, { 0, NULL },
};

/* ---- the runner ---------------------------------------------------------------------- */

typedef struct job {
    void (*fn)(void *);
    void *arg;
    rtWaiter done;              /* the owner waits here */
} job;

static rtLock runnerLock;
static rtG *runner;             /* under runnerLock */
static job *pending;            /* under runnerLock */
static rtWaiter *runnerIdle;    /* under runnerLock: the runner's wait, when parked */

static void unlockRunner(void *arg) {
    (void)arg;
    rtLockRelease(&runnerLock);
}

static void runnerMain(void *arg) {
    (void)arg;
    for (;;) {
        rtLockAcquire(&runnerLock);
        while (!pending) {
            rtWaiter w;
            rtWaiterInit(&w);
            runnerIdle = &w;
            rtWaiterPark(&w, 0, unlockRunner, NULL);
            rtLockAcquire(&runnerLock);
        }
        job *j = pending;
        pending = NULL;
        rtLockRelease(&runnerLock);
        j->fn(j->arg);
        rtWaiterWake(&j->done);   /* j lives on the owner's stack: not touched after */
    }
}

void scriptOnBigStack(void (*fn)(void *), void *arg) {
    job j = { fn, arg, { 0 } };
    rtWaiterInit(&j.done);
    rtLockAcquire(&runnerLock);
    if (!runner) runner = rtGoStack(runnerMain, NULL, RUNNER_STACK);
    pending = &j;
    rtWaiter *idle = runnerIdle;
    runnerIdle = NULL;
    rtLockRelease(&runnerLock);
    if (idle) rtWaiterWake(idle);
    rtWaiterPark(&j.done, 0, NULL, NULL);
}

/* ---- the script client --------------------------------------------------------------- */

static client *sc;              /* the exclusive owner's */
static char *numBuf;            /* redis.call's formatted numbers */
static size_t numCap;

static client *scriptClient(void) {
    if (sc) return sc;
    sc = zcalloc(sizeof *sc);
    sc->resp = 2;
    sc->authenticated = true;
    sc->flags = CLIENT_SCRIPT | CLIENT_EXCLUSIVE;
    sc->multiLen = -1;
    sc->lockedDb = -1;
    snprintf(sc->addr, sizeof sc->addr, "lua");
    snprintf(sc->laddr, sizeof sc->laddr, "lua");
    return sc;
}

/* ---- a run ---------------------------------------------------------------------------- */

bool scriptOom(void) {
    return cfg.maxmemory && cfg.maxmemory_policy == MAXMEMORY_NO_EVICTION &&
           zmallocUsedMemory() > cfg.maxmemory;
}

static void killedError(lua_State *L) {
    luaPushError(L, "Script killed by user with SCRIPT KILL...", 41);
    lua_error(L);
}

static void lineHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    killedError(L);
}

/* countHook: every HOOK_INSNS instructions of the running script */
static void countHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    scriptRun *r = scriptCur;
    if (!r) return;
    int64_t elapsedMs = (rtNanotime() - r->startNs) / 1000000;
    if (!r->busy && elapsedMs >= cfg.busy_reply_threshold) {
        r->busy = true;
        serverLog(LL_WARNING, "Slow script detected: still in execution after %lld milliseconds. "
                  "You can try killing the script using the %s command. Script name is: %s.",
                  (long long)elapsedMs, r->isEval ? "SCRIPT KILL" : "FUNCTION KILL", r->name);
        gateMarkBusy(r->isEval ? BUSY_EVAL : BUSY_FUNCTION);
    }
    if (r->busy) rtYield();        /* let this P's clients get their -BUSY */
    else rtMaybeYield();
    if (atomic_load(&r->killed)) {
        serverLog(LL_WARNING, "Lua script killed by user with SCRIPT KILL.");
        lua_sethook(L, lineHook, LUA_MASKLINE, 0);
        killedError(L);
    }
}

void scriptRunBegin(scriptRun *r, client *caller, lua_State *L, const char *name, bool isEval,
                    int flags, bool ro) {
    memset(r, 0, sizeof *r);
    scriptClient();
    r->caller = caller;
    r->L = L;
    r->name = name;
    r->isEval = isEval;
    r->flags = flags;
    r->readOnly = ro || (!(flags & SCRIPT_FLAG_EVAL_COMPAT) && (flags & SCRIPT_FLAG_NO_WRITES));
    r->oomAtStart = serverOutOfMemory();
    r->resp = 2;
    int64_t us = ustime();
    r->startMs = us / 1000;
    r->startNs = rtNanotime();
    sc->db = caller->db;
    sc->nowus = us;
    sc->nowms = r->startMs;
    rtLockAcquire(&scriptsLock);
    scriptCur = r;
    rtLockRelease(&scriptsLock);
    lua_sethook(L, countHook, LUA_MASKCOUNT, HOOK_INSNS);
}

void scriptRunEnd(scriptRun *r) {
    lua_sethook(r->L, NULL, 0, 0);
    rtLockAcquire(&scriptsLock);
    scriptCur = NULL;
    rtLockRelease(&scriptsLock);
    blockingMoveReady(sc, r->caller);   /* served when the script is over */
    sc->olen = 0;
    if (sc->ocap > 64 * 1024) {
        zfree(sc->obuf);
        sc->obuf = NULL;
        sc->ocap = 0;
    }
}

/* ---- redis.call ------------------------------------------------------------------------ */

/* callFail: an error of redis.call itself: raised by call, returned by pcall */
static int callFail(lua_State *L, bool raise, const char *msg) {
    luaPushError(L, msg, strlen(msg));
    return raise ? lua_error(L) : 1;
}

/* argsToArgv points the script client's argv at the Lua arguments (numbers
 * are formatted with %.17g, as Redis 7.0 does). False: a bad type. */
static bool argsToArgv(lua_State *L, int argc) {
    clientArgvReserve(sc, argc);
    int nums = 0;
    for (int j = 1; j <= argc; j++) nums += lua_type(L, j) == LUA_TNUMBER;
    if ((size_t)nums * 32 > numCap) {
        numCap = (size_t)nums * 32;
        numBuf = zrealloc(numBuf, numCap);
    }
    char *nb = numBuf;
    for (int j = 1; j <= argc; j++) {
        int t = lua_type(L, j);
        if (t == LUA_TNUMBER) {
            int n = snprintf(nb, 32, "%.17g", (double)lua_tonumber(L, j));
            sc->argv[j - 1] = nb;
            sc->argvlen[j - 1] = (size_t)n;
            nb += 32;
        } else if (t == LUA_TSTRING) {
            sc->argv[j - 1] = lua_tolstring(L, j, &sc->argvlen[j - 1]);
        } else {
            return false;
        }
    }
    sc->argc = argc;
    return true;
}

/* The command names scripts pass are Lua strings, interned: the same
 * literal is the same pointer on every run. A small cache keyed by that
 * pointer (and checked against the bytes, since a freed string's address
 * may come back) skips the name table's hash. */
#define NAME_CACHE 64
static struct { const char *p; size_t len; char name[24]; cmdDef *cmd; } nameCache[NAME_CACHE];

static cmdDef *lookupName(const char *p, size_t len) {
    size_t i = ((uintptr_t)p >> 4) & (NAME_CACHE - 1);
    if (nameCache[i].p == p && nameCache[i].len == len && !memcmp(nameCache[i].name, p, len))
        return nameCache[i].cmd;
    cmdDef *cmd = lookupCommand(p, len);
    if (cmd && len < sizeof nameCache[i].name) {
        nameCache[i].p = p;
        nameCache[i].len = len;
        memcpy(nameCache[i].name, p, len);
        nameCache[i].cmd = cmd;
    }
    return cmd;
}

static cmdDef *lookupArgv(void) {
    cmdDef *cmd = lookupName(sc->argv[0], sc->argvlen[0]);
    if (cmd && cmd->subcmds && sc->argc >= 2)
        cmd = lookupSubcommand(cmd, sc->argv[1], sc->argvlen[1]);
    return cmd;
}

static bool arityOk(const cmdDef *cmd, int argc) {
    return (cmd->arity > 0 && cmd->arity == argc) || (cmd->arity < 0 && argc >= -cmd->arity);
}

/* checkCall: the checks Redis's scriptCall makes, in its order; NULL or
 * the error */
static const char *checkCall(scriptRun *r, cmdDef *cmd) {
    if (!cmd) return "Unknown Redis command called from script";
    if (!arityOk(cmd, sc->argc)) return "Wrong number of args calling Redis command from script";
    if (cmd->flags & CMD_NOSCRIPT) return "This Redis command is not allowed from script";
    if (r->readOnly && (cmd->flags & CMD_WRITE))
        return "Write commands are not allowed from read-only scripts.";
    if (!(r->flags & SCRIPT_FLAG_ALLOW_OOM) || (r->flags & SCRIPT_FLAG_EVAL_COMPAT)) {
        if ((cmd->flags & CMD_DENYOOM) && !r->wrote && r->oomAtStart)
            return "-OOM command not allowed when used memory > 'maxmemory'.";
    }
    return NULL;
}

static int genericCall(lua_State *L, bool raise) {
    scriptRun *r = scriptCur;
    int argc = lua_gettop(L);
    if (argc == 0) return callFail(L, raise, "Please specify at least one argument for this redis lib call");
    if (!argsToArgv(L, argc))
        return callFail(L, raise, "Lua redis lib command arguments must be strings or integers");
    cmdDef *cmd = lookupArgv();
    const char *err = checkCall(r, cmd);
    if (err) return callFail(L, raise, err);
    if (cmd->flags & CMD_WRITE) r->wrote = true;
    sc->resp = r->resp;
    sc->olen = 0;
    call(sc, cmd);
    if (!(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)) &&
        atomic_load_explicit(&nmonitors, memory_order_relaxed) > 0)
        monitorFeed(sc);
    luaPushReply(L, sc->obuf, sc->olen);
    bool failed = sc->olen > 0 && sc->obuf[0] == '-';
    sc->olen = 0;
    return failed && raise ? lua_error(L) : 1;
}

int scriptLuaCall(lua_State *L) { return genericCall(L, true); }
int scriptLuaPcall(lua_State *L) { return genericCall(L, false); }

int scriptLuaAclCheckCmd(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 0) return callFail(L, true, "Please specify at least one argument for this redis lib call");
    if (!argsToArgv(L, argc))
        return callFail(L, true, "Lua redis lib command arguments must be strings or integers");
    cmdDef *cmd = lookupArgv();
    if (!cmd) return callFail(L, true, "Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, 1);   /* only the default user, who may run everything */
    return 1;
}

/* ---- what EVAL and FCALL share --------------------------------------------------------- */

int scriptFlagByName(const char *name, size_t len) {
    for (const scriptFlagName *f = scriptFlagNames; f->name; f++)
        if (strlen(f->name) == len && !memcmp(f->name, name, len)) return f->flag;
    return 0;
}

bool scriptShebangWord(const char **p, const char *end, const char **w, size_t *n) {
    while (*p < end && isspace((unsigned char)**p)) (*p)++;
    if (*p == end) return false;
    *w = *p;
    while (*p < end && !isspace((unsigned char)**p)) (*p)++;
    *n = (size_t)(*p - *w);
    return true;
}

int scriptGetKeys(client *c, int argc, int *keyidx, int max) {
    long long n;
    if (argc < 3 || !str2ll(c->argv[2], c->argvlen[2], &n) || n < 0 || n > argc - 3 || n > max)
        return 0;
    for (int k = 0; k < n; k++) keyidx[k] = 3 + k;
    return (int)n;
}

bool scriptNumkeysOrReply(client *c, long long *numkeys, const char *notInt) {
    if (!getLongLongFromArgOrReply(c, 2, numkeys, notInt)) return false;
    if (*numkeys > c->argc - 3) {
        addReplyError(c, "Number of keys can't be greater than number of args");
        return false;
    }
    if (*numkeys < 0) {
        addReplyError(c, "Number of keys can't be negative");
        return false;
    }
    return true;
}

bool scriptRefusesToStart(client *c, int flags, bool ro) {
    if (flags & (SCRIPT_FLAG_EVAL_COMPAT | SCRIPT_FLAG_NO_WRITES)) return false;
    if (!(flags & SCRIPT_FLAG_ALLOW_OOM) && serverOutOfMemory()) {
        addReplyError(c, "-OOM command not allowed when used memory > 'maxmemory'.");
        return true;
    }
    if (ro) {
        addReplyError(c, "Can not execute a script with write flag using *_ro command.");
        return true;
    }
    return false;
}

/* ---- SCRIPT KILL / FUNCTION KILL -------------------------------------------------------- */

void scriptKillCommandGeneric(client *c, bool isEval) {
    rtLockAcquire(&scriptsLock);
    scriptRun *r = scriptCur;
    const char *err = NULL;
    if (!r) err = "-NOTBUSY No scripts in execution right now.";
    else if (r->wrote)
        err = "-UNKILLABLE Sorry the script already executed write commands against the dataset. "
              "You can either wait the script termination or kill the server in a hard way using "
              "the SHUTDOWN NOSAVE command.";
    else if (isEval && !r->isEval) err = BUSY_FUNCTION;
    else if (!isEval && r->isEval) err = BUSY_EVAL;
    else atomic_store(&r->killed, 1);
    rtLockRelease(&scriptsLock);
    if (err) addReplyError(c, err);
    else addReplyOK(c);
}

/* ---- INFO ------------------------------------------------------------------------------ */

void scriptGetInfo(scriptInfo *si) {
    rtLockAcquire(&scriptsLock);
    evalInfoLocked(si);
    functionInfoLocked(si);
    rtLockRelease(&scriptsLock);
}
