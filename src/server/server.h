/* server.h — what every file of src/server and src/types shares: the client,
 * the command table entry, the reply API, the server-wide state.
 *
 * Threads and ownership (DESIGN.md §3):
 *  - one G per client runs clientMain (networking.c): read → parse every
 *    complete command → call() each → one write per batch. Only the client's
 *    own G touches its buffers, its argv and its reply; other Gs reach a
 *    client only through the clients list under clientsLock (CLIENT LIST,
 *    CLIENT KILL) and then only the fields marked "shared".
 *  - a command handler runs with the shard locks of its keys held (call()
 *    takes them from the command table's key positions) and must not park.
 *  - `server` fields marked "atomic" are statistics updated from any thread.
 */
#ifndef ROOST_SERVER_H
#define ROOST_SERVER_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/rt.h"
#include "server/config.h"
#include "server/resp.h"
#include "storage/db.h"
#include "storage/object.h"
#include "storage/zmalloc.h"

#define REDIS_VERSION "7.0.15"        /* the Redis version roost answers as (ROOST_VERSION: config.h) */

#define MAX_LONG_DOUBLE_CHARS (5 * 1024)

/* ---- commands ------------------------------------------------------------ */

struct client;
typedef void cmdProc(struct client *c);

/* command flags (Redis's, as COMMAND INFO prints them) */
#define CMD_WRITE        (1ull << 0)
#define CMD_READONLY     (1ull << 1)
#define CMD_DENYOOM      (1ull << 2)
#define CMD_ADMIN        (1ull << 3)
#define CMD_PUBSUB       (1ull << 4)
#define CMD_NOSCRIPT     (1ull << 5)
#define CMD_BLOCKING     (1ull << 6)
#define CMD_LOADING      (1ull << 7)
#define CMD_STALE        (1ull << 8)
#define CMD_SKIP_MONITOR (1ull << 9)
#define CMD_SKIP_SLOWLOG (1ull << 10)
#define CMD_FAST         (1ull << 11)
#define CMD_NO_AUTH      (1ull << 12)
#define CMD_MAY_REPLICATE (1ull << 13)
#define CMD_NO_MULTI     (1ull << 14)
#define CMD_ALLOW_BUSY   (1ull << 15)
#define CMD_NO_MANDATORY_KEYS (1ull << 16)
#define CMD_PROTECTED    (1ull << 17)
/* roost-internal flags (not shown by COMMAND) */
#define CMD_LOCK_ALL     (1ull << 40)  /* lock every shard of every db (FLUSHALL, SWAPDB) */
#define CMD_LOCK_DB      (1ull << 41)  /* lock every shard of the client's db (FLUSHDB) */
#define CMD_LOCK_SELF    (1ull << 42)  /* the handler locks what it needs (KEYS, SCAN, ...) */
#define CMD_EXCLUSIVE    (1ull << 43)  /* runs alone: the exclusive gate (scripts; gate.c) */

/* one argument of a command, for COMMAND DOCS (redis-cli builds its hints
 * from these) */
typedef enum { ARG_STRING, ARG_INTEGER, ARG_DOUBLE, ARG_KEY, ARG_PATTERN, ARG_UNIX_TIME,
               ARG_PURE_TOKEN, ARG_ONEOF, ARG_BLOCK } cmdArgType;
#define ARGF_OPTIONAL  1
#define ARGF_MULTIPLE  2
#define ARGF_MULTIPLE_TOKEN 4
typedef struct cmdArg {
    const char *name;
    cmdArgType type;
    const char *token;        /* e.g. "EX", or NULL */
    int flags;                /* ARGF_* */
    const struct cmdArg *sub; /* ONEOF / BLOCK children, NULL-name terminated */
    const char *since;        /* version the argument appeared, or NULL */
} cmdArg;

/* A getkeys function stores the argv positions of the command's keys in
 * keyidx (room for max) and returns how many. call() gives max >= argc, so
 * every key fits; with less room (COMMAND GETKEYS) a function returns none
 * rather than a partial list. Nothing for a malformed command: its handler
 * replies the error before it touches a key. */
typedef int cmdGetKeysProc(struct client *c, int argc, int *keyidx, int max);

typedef struct cmdDef {
    const char *name;         /* lowercase; subcommands: "get" under "config" */
    cmdProc *proc;
    int arity;                /* Redis's: >0 exact, <0 at least -arity */
    uint64_t flags;           /* CMD_* */
    int firstkey, lastkey, keystep;   /* key positions (lastkey -1 = last arg) */
    cmdGetKeysProc *getkeys;  /* for commands whose keys the positions cannot say */
    const char *acl;          /* ACL categories, space-separated, without '@' */
    const char *group;        /* COMMAND DOCS: "string", "generic", "server", ... */
    const char *since;
    const char *summary;
    const char *complexity;
    const cmdArg *args;       /* NULL-name terminated, or NULL */
    struct cmdDef *subcmds;   /* NULL-name terminated, or NULL */
    /* filled at start-up */
    int id;                   /* index into the per-P statistics */
    struct cmdDef *parent;
    char fullname[48];        /* "config|get" */
} cmdDef;

/* command families register their tables here (commands.c lists them) */
extern cmdDef stringCommands[], keyCommands[], serverCommands[], connCommands[];
extern cmdDef listCommands[], hashCommands[], setCommands[], zsetCommands[];
extern cmdDef pubsubCommands[];   /* pub/sub (pubsub.c) */
extern cmdDef scriptCommands[], functionCommands[];   /* scripting (eval.c, function.c) */

void commandsInit(void);
cmdDef *lookupCommand(const char *name, size_t len);
cmdDef *lookupSubcommand(cmdDef *parent, const char *name, size_t len);
int commandCount(void);
cmdDef *commandByIndex(int i);   /* top-level commands, in table order */

/* per-command statistics (INFO commandstats), summed over Ps */
typedef struct cmdStats { uint64_t calls, usec, rejected, failed; } cmdStats;
void commandStats(const cmdDef *cmd, cmdStats *out);
void commandStatsReset(void);

/* ---- clients ------------------------------------------------------------- */

#define CLIENT_CLOSE_AFTER_REPLY (1u << 0)
#define CLIENT_MONITOR           (1u << 1)
#define CLIENT_REPLY_OFF         (1u << 2)
#define CLIENT_REPLY_SKIP_NEXT   (1u << 3)
#define CLIENT_REPLY_SKIP        (1u << 4)
#define CLIENT_NO_EVICT          (1u << 5)
#define CLIENT_UNIX_SOCKET       (1u << 6)
#define CLIENT_KILLED            (1u << 7)
#define CLIENT_PROTECTED_DENIED  (1u << 8)
#define CLIENT_MULTI             (1u << 9)   /* between MULTI and EXEC/DISCARD */
#define CLIENT_DIRTY_EXEC        (1u << 10)  /* a command was rejected while queueing */
#define CLIENT_IN_EXEC           (1u << 11)  /* EXEC holds the locks: call() takes none */
#define CLIENT_ALL_LOCKED        (1u << 12)  /* ... and they are every shard of every db */
#define CLIENT_PUBSUB            (1u << 13)   /* pub/sub: subscribed to something (pubsub.c) */
#define CLIENT_EXCLUSIVE         (1u << 14)   /* inside an exclusive section (gate.c): call()
                                                 skips the gate and defers serving ready keys */
#define CLIENT_SCRIPT            (1u << 15)   /* the script engine's own client (script.c) */

typedef struct client {
    uint64_t id;              /* CLIENT ID; constant */
    rtFd *fd;                 /* the connection; owned by the client's G */
    rtG *g;
    int db;                   /* selected database */
    int resp;                 /* 2 or 3 */
    bool authenticated;
    uint32_t flags;           /* CLIENT_*; the client's G writes, others read racily */
    _Atomic uint32_t killFlag;/* shared: set by CLIENT KILL before evicting */
    /* query buffer: unparsed bytes are qbuf[qpos, qlen) */
    char *qbuf;
    size_t qlen, qcap, qpos;
    size_t qpeak;
    respParser parser;
    /* the command being executed: args point into qbuf (or argbuf for inline) */
    int argc;
    const char **argv;
    size_t *argvlen;
    int argvcap;
    cmdDef *cmd, *lastcmd;
    uint32_t nerrors;         /* error replies sent (failed_calls accounting) */
    uint64_t *arghash;        /* arghash[i]: hash of argv[i] when i is a key position */
    int64_t nowms;            /* wall clock (unix ms) for this command */
    int64_t nowus;
    /* reply: one flat buffer, written out once per batch */
    char *obuf;
    size_t olen, ocap;
    /* identity and bookkeeping; shared fields are read under clientsLock */
    char name[64];            /* shared; empty = no name */
    char addr[64];            /* shared; "ip:port" or "path:0" */
    char laddr[64];           /* shared */
    int64_t ctime;            /* creation, unix s */
    _Atomic int64_t lastInteraction; /* shared; unix s */
    _Atomic uint64_t totNetIn, totNetOut, totCmds; /* shared; atomic */
    char libName[64], libVer[32];
    /* mailbox: other Gs append replies here (MONITOR, pub/sub) and wake
     * the client's G, which moves them to its own output */
    rtLock mboxLock;
    char *mbox;               /* under mboxLock */
    size_t mboxLen, mboxCap;  /* under mboxLock */
    _Atomic int mboxPending;
    /* transactions (multi.c): the queue, the watched keys, and the flag
     * any thread sets (under the key's shard lock) when one is written */
    struct multiState *mstate;
    int multiLen;             /* queued commands; -1 outside MULTI (CLIENT LIST) */
    struct watchedKey *watched;
    int nwatched, watchedCap;
    _Atomic uint32_t casDirty;
    /* blocking (blocking.c): the wait in progress, set and cleared by the
     * client's G under clientsLock; and the keys this command made ready */
    struct bwait *bwait;
    struct readyKey *ready;
    int nready, readyCap;
    int lockedDb;             /* call(): the shards it holds, for serving */
    uint64_t lockedMask;
    struct client *prev, *next;  /* clients list; under clientsLock */
    struct client *mprev, *mnext; /* monitors list; under monitorsLock */
    /* pub/sub (pubsub.c) */
    struct pubsubClient *pubsub;  /* this client's subscriptions; owned by its G, NULL if never subscribed */
    _Atomic int nsub, npsub, nssub; /* shared: channels, patterns, shard channels subscribed */
    _Atomic size_t unsentOut;     /* shared: bytes of the write in flight (output buffer limit) */
    int gateSlot;                 /* gate.c: the slot a shared entry holds; owned by the client's G */
} client;

extern rtLock clientsLock;
extern client *clientsHead;
extern _Atomic int connectedClients;

void clientSetName(client *c, const char *name, size_t len);
/* clientArgvReserve: room for n arguments in argv, argvlen and arghash */
void clientArgvReserve(client *c, int n);
/* clientInfoString writes CLIENT LIST / CLIENT INFO's line for c into buf. */
size_t clientInfoString(client *c, char *buf, size_t cap);
/* killClient marks c killed and wakes its G (which closes). clientsLock held. */
void killClient(client *c);
/* clientMailbox appends bytes to c's mailbox and wakes its G. Any thread;
 * the caller keeps c alive (holds the list lock c was found under). */
size_t clientMailbox(client *c, const char *p, size_t len);   /* returns the mailbox length after */
void monitorFeed(client *c);   /* call(): send the command to MONITOR clients */
extern rtLock monitorsLock;
extern client *monitorsHead;
extern _Atomic int nmonitors;
/* slowlog.c */
void slowlogMaybeAdd(client *c, cmdDef *cmd, int64_t durUs);

/* ---- reply API (reply.c) ------------------------------------------------ */

void addReplyProto(client *c, const char *s, size_t len);
void addReplyStatus(client *c, const char *s);
void addReplyOK(client *c);
/* addReplyError: "-ERR <msg>" unless msg starts with a code already
 * (e.g. "-WRONGTYPE ..."). No "\r\n" in msg. */
void addReplyError(client *c, const char *msg);
void addReplyErrorFormat(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void addReplyErrorArity(client *c);
void addReplyErrorSyntax(client *c);       /* "-ERR syntax error" */
void addReplyErrorWrongType(client *c);
void addReplyErrorNotInt(client *c);       /* "value is not an integer or out of range" */
void addReplyErrorNotFloat(client *c);     /* "value is not a valid float" */
void addReplyLongLong(client *c, long long v);
void addReplyBulk(client *c, const char *p, size_t len);
void addReplyBulkCString(client *c, const char *s);
void addReplyBulkLongLong(client *c, long long v);
void addReplyNull(client *c);              /* RESP2 $-1, RESP3 _ */
void addReplyNullArray(client *c);         /* RESP2 *-1, RESP3 _ */
void addReplyArrayLen(client *c, long len);
void addReplyMapLen(client *c, long len);  /* RESP2: array of 2*len */
void addReplySetLen(client *c, long len);  /* RESP2: array */
void addReplyPushLen(client *c, long len); /* RESP2: array */
void addReplyDouble(client *c, double d);
void addReplyBool(client *c, bool b);      /* RESP2: :1 / :0 */
void addReplyVerbatim(client *c, const char *p, size_t len, const char *ext);
void addReplyKvString(client *c, const kvobj *o);
void addReplyHelp(client *c, const char **lines);   /* subcommand HELP */
void errorStatsIncr(const char *msg);               /* info.c: INFO errorstats */
void addReplySubcommandSyntaxError(client *c);
/* deferred lengths: reserve, then fill once the count is known */
size_t addReplyDeferredLen(client *c);
void setDeferredArrayLen(client *c, size_t handle, long len);
void setDeferredMapLen(client *c, size_t handle, long len);
void setDeferredSetLen(client *c, size_t handle, long len);

/* ---- the keyspace from a command's point of view (keyspace.c) ------------- */

/* These use the client's db, clock and the key hashes call() computed; the
 * key is argv[i]. The shard lock is held by call(). */
shard *cShard(client *c, int i);
kvobj **lookupLinkRead(client *c, int i);    /* touches LRU, counts hits/misses */
kvobj **lookupLinkWrite(client *c, int i);
kvobj *lookupRead(client *c, int i);
kvobj *lookupWrite(client *c, int i);
/* lookupReadOrReply: NULL and a null reply when missing */
kvobj *lookupReadOrReplyNull(client *c, int i);
bool checkType(client *c, const kvobj *o, int type);  /* replies WRONGTYPE on mismatch */
/* setKeyAt: store o (already keyed argv[i]) replacing any value */
void setKey(client *c, int i, kvobj *o);
bool deleteKey(client *c, int i);
uint64_t keyHash(client *c, int i);
/* signalModifiedKey: WATCH and keyspace notifications hook (later issues) */
void signalModifiedKey(client *c, int db, const char *key, size_t klen);
void keyspaceOnDelete(int db, const char *key, size_t klen, int why);   /* ks.onDelete */
void notifyKeyspaceEvent(client *c, int type, const char *event, const char *key, size_t klen, int db);

/* ---- pub/sub and keyspace notifications (pubsub.c, notify.c) --------------- */

/* pubsubPublish delivers msg on channel to its subscribers and to matching
 * patterns; returns how many received it. `self` (may be NULL) is the
 * client running the command: its own copy goes straight to its output, so
 * it precedes the command's reply, as in Redis. Shard locks may be held. */
long long pubsubPublish(client *self, const char *ch, size_t chlen, const char *msg, size_t mlen);
bool pubsubAllowedInContext(client *c, cmdDef *cmd);  /* false after replying the RESP2 error */
void pubsubPingReply(client *c);                      /* PING in RESP2 subscribed mode */
void pubsubResetClient(client *c);                    /* RESET: leave everything silently */
void pubsubFreeClient(client *c);                     /* freeClient, before the fd closes */
long long pubsubNumChannels(void), pubsubNumPatterns(void), pubsubNumShardChannels(void);
void notifyKeyDeleted(int db, const char *key, size_t klen, int why);   /* ks.onDelete, via keyspace.c */

/* ---- server state --------------------------------------------------------- */

typedef struct serverState {
    int64_t startTimeMs;
    int64_t startMonoUs;
    char runid[41];
    char executable[1024];
    char configfile[1024];
    int nprocs;
    int port;                          /* bound TCP port */
    _Atomic uint64_t nextClientId;
    _Atomic uint64_t statConnections, statRejectedConn;   /* hot counters: hotStatAdd */
    _Atomic uint64_t statExpiredKeys, statUnexpectedErrors;
    _Atomic uint64_t statNetReadCalls;
    _Atomic int64_t lastSave;
    _Atomic int shutdownAsap;
    _Atomic int activeExpireEnabled;
    int64_t statResetTimeMs;
} serverState;

extern serverState server;

/* Hot statistics: counters bumped on every request live in per-P slots (one
 * cache line each), so threads never write a shared line on the hot path.
 * A slot is written only by the thread running that P; readers sum. */
enum { HSTAT_COMMANDS, HSTAT_NET_IN, HSTAT_NET_OUT, HSTAT_HITS, HSTAT_MISSES, HSTAT_ERRORS,
       HSTAT_COUNT };
#define HSTAT_SLOTS 64
typedef struct hotStats { _Atomic uint64_t v[HSTAT_COUNT]; } __attribute__((aligned(64))) hotStats;
extern hotStats hotstats[HSTAT_SLOTS];
/* procSlot: the per-P slot of the running P (0 outside a P) */
static inline int procSlot(void) {
    int p = rtProcId();
    return p < 0 ? 0 : p & (HSTAT_SLOTS - 1);
}
static inline void hotStatAdd(int which, uint64_t n) {
    _Atomic uint64_t *x = &hotstats[procSlot()].v[which];
    atomic_store_explicit(x, atomic_load_explicit(x, memory_order_relaxed) + n, memory_order_relaxed);
}
uint64_t hotStatGet(int which);
void hotStatReset(int which);

/* scriptGetInfo: the scripting figures of INFO memory (script.c) */
typedef struct scriptInfo {
    size_t vmEval, vmFunctions;       /* the two Lua states' bytes */
    size_t scriptsEval, functions;    /* the script cache's and the libraries' overhead */
    long long cachedScripts, nfunctions, libraries;
} scriptInfo;
void scriptGetInfo(scriptInfo *si);

/* serverOutOfMemory: maxmemory is set, used memory is over it and nothing
 * can be evicted (noeviction: roost evicts nothing yet, so other policies
 * let writes through rather than refuse them). Write commands that may grow
 * memory (CMD_DENYOOM) then get -OOM, as in Redis. */
bool serverOutOfMemory(void);

/* call() runs cmd for c with argv already set; processCommand checks first. */
void processCommand(client *c);
void call(client *c, cmdDef *cmd);
/* rejectCommand counts a command refused before it ran (and flags an open
 * transaction, so EXEC aborts). */
void rejectCommand(client *c, cmdDef *cmd);
/* cmdLockMask: the shards of c->db the command's keys live in (bit i =
 * shard i); fills c->arghash at the key positions. */
uint64_t cmdLockMask(client *c, cmdDef *cmd);
/* cmdLockDbMask / cmdUnlockDbMask take / release the shards of db in mask,
 * in ascending / descending order */
void cmdLockDbMask(int db, uint64_t mask);
void cmdUnlockDbMask(int db, uint64_t mask);

/* Shard locking for CMD_LOCK_SELF handlers and whatever they call (INFO's
 * walks...): these are no-ops while the running command already holds
 * every shard (EXEC, FLUSHALL, scripts: cmdSetAllLocked, per P). c may be
 * NULL. */
struct shard;
void cmdSetAllLocked(client *c, bool on);
void cmdShardLock(client *c, struct shard *s);
void cmdShardUnlock(client *c, struct shard *s);
void cmdWalkYield(client *c);        /* between shards, no lock held */

/* gate.c — the exclusive gate (DESIGN.md §4). call() enters every command
 * shared (one atomic increment of a per-P slot) unless the client is
 * already inside an exclusive section; CMD_EXCLUSIVE commands enter
 * exclusive and so run with no other command beside them. gateEnter may
 * park. GATE_REFUSED: a busy script holds the gate and cmd is not
 * CMD_ALLOW_BUSY (reply gateBusyMessage()); GATE_NONE: it may run beside the
 * busy script without entering. */
enum { GATE_NONE, GATE_SHARED, GATE_EXCLUSIVE, GATE_REFUSED };
int gateEnterSlow(client *c, const cmdDef *cmd, bool exclusive);
void gateLeaveSlow(client *c, int mode);
bool gateRefusesSlow(client *c, const cmdDef *cmd);
/* the hot path, inline: one atomic increment of this P's slot and a load */
typedef struct gateSlot {
    _Atomic long n;                  /* shared entries held on this P (seq_cst) */
} __attribute__((aligned(64))) gateSlot;
extern gateSlot gateSlots[];         /* HSTAT_SLOTS of them */
extern _Atomic int gateRaised, gateBusy;
static inline int gateEnter(client *c, const cmdDef *cmd, bool exclusive) {
    if (!exclusive) {
        int i = procSlot();
        atomic_fetch_add(&gateSlots[i].n, 1);
        if (!atomic_load(&gateRaised)) {
            c->gateSlot = i;
            return GATE_SHARED;
        }
        atomic_fetch_sub(&gateSlots[i].n, 1);
    }
    return gateEnterSlow(c, cmd, exclusive);
}
static inline void gateLeave(client *c, int mode) {
    if (mode == GATE_SHARED) atomic_fetch_sub_explicit(&gateSlots[c->gateSlot].n, 1, memory_order_release);
    else if (mode == GATE_EXCLUSIVE) gateLeaveSlow(c, mode);
}
/* processCommand's BUSY check */
static inline bool gateRefuses(client *c, const cmdDef *cmd) {
    return atomic_load_explicit(&gateBusy, memory_order_relaxed) && gateRefusesSlow(c, cmd);
}
const char *gateBusyMessage(void);                /* "-BUSY ..." */
/* background work that touches the keyspace outside commands (active
 * expiry, rehashing): false while an exclusive section runs */
bool gateTryShared(int *slot);
void gateLeaveShared(int slot);
/* the owner ran past busy-reply-threshold: refuse others with msg */
void gateMarkBusy(const char *msg);
bool gateIsBusy(void);

/* multi.c */
extern cmdDef multiCommands[];
/* multiQueue: inside MULTI, queue the command and reply +QUEUED; false
 * when the command runs now (not in MULTI, or EXEC/DISCARD/WATCH/...). */
bool multiQueue(client *c, cmdDef *cmd);
void multiFreeClient(client *c);     /* discard the queue, unwatch */
bool multiNeedsExclusive(client *c); /* EXEC: a queued command is CMD_EXCLUSIVE */
/* processCommand refusing EXEC itself (arity, auth) aborts the
 * transaction with "EXECABORT ... because of: <err>", as Redis does */
bool multiIsExec(const cmdDef *cmd);
void multiExecAbort(client *c, const char *err);
/* watchTouchDb: FLUSHDB/FLUSHALL/SWAPDB invalidate the watchers of every
 * key that exists in db (or in other, for SWAPDB; -1 = none). Every shard
 * of both dbs locked. */
void watchTouchDb(int db, int other);
/* watchKeyDeleted: expiry deleted a key (the shard lock held). */
void watchKeyDeleted(int db, const char *key, size_t klen);
extern _Atomic int watchedKeysCount;

/* blocking.c — BLPOP and friends (DESIGN.md §5). A blocking command's
 * handler serves at once from the first non-empty key; otherwise it calls
 * blockForKeys, which registers the client on each key (under call()'s
 * locks) and returns; the client's G then waits (networking.c) until a
 * writer serves it, the timeout passes, CLIENT UNBLOCK, or a disconnect. */
enum { BOP_POP, BOP_MPOP, BOP_MOVE, BOP_ZPOP, BOP_ZMPOP };
typedef struct blockSpec {
    int op;                  /* BOP_* */
    int type;                /* OBJ_LIST or OBJ_ZSET */
    int where, whereto;      /* list ends (LIST_HEAD/LIST_TAIL); zset: where = 1 for max */
    long count;              /* MPOP/ZMPOP count; -1 when none */
    int firstkey, nkeys;     /* argv positions of the keys */
    int dsti;                /* BOP_MOVE: argv position of the destination */
} blockSpec;
/* getBlockTimeout parses a timeout in seconds (Redis's rules and errors);
 * *deadlineMs = 0 means forever. */
bool getBlockTimeout(client *c, int i, int64_t *deadlineMs);
/* blockForKeys: every key was empty. Inside MULTI (or anywhere the client
 * cannot wait) it replies the timeout reply instead. */
void blockForKeys(client *c, const blockSpec *spec, int64_t deadlineMs);
/* blockingPop: a blocking command's body after its options: parse the
 * timeout at argv[timeouti], serve from the first non-empty key or block */
void blockingPop(client *c, const blockSpec *sp, int timeouti);
/* signalKeyAsReady: a list or zset key came into being (its shard locked);
 * clients blocked on it are served when the command ends. */
void signalKeyAsReady(client *c, int db, const char *key, size_t klen);
void blockingServeReady(client *c);  /* call(): serve before unlocking */
/* blockingServeCollected: an exclusive section ends (no locks held): lock
 * the shards of c's ready keys, db by db, and serve them */
void blockingServeCollected(client *c);
/* blockingMoveReady: hand from's ready keys to `to` (a script's to its caller) */
void blockingMoveReady(client *from, client *to);
/* blockingServeLocked: the same for a CMD_LOCK_SELF command holding just
 * shards a and b (MOVE, COPY, SORT STORE) */
struct shard;
void blockingServeLocked(client *c, struct shard *a, struct shard *b);
/* blockingScanDb: SWAPDB: signal every waited-on key of db that now holds a
 * list or zset (every shard locked). */
void blockingScanDb(client *c, int db);
/* blockedWait: the client's G waits for its blocked command to end and
 * appends the reply; false if the connection is gone. (networking.c) */
bool blockedWait(client *c);
/* the waiter's side, for blockedWait */
int64_t blockingDeadlineNs(client *c);   /* rtNanotime deadline, 0 = none */
bool blockingEnded(client *c);           /* served, retried or cancelled */
bool blockingCancel(client *c, int why); /* 0 timeout, 3 gone; false if being served */
void blockingFinish(client *c, bool gone);
/* blockingUnblock: CLIENT UNBLOCK; true if c was blocked (clientsLock held). */
bool blockingUnblock(client *c, bool error);
extern _Atomic int blockedClients;
/* the type files serve a waiter: argv[ki] is the non-empty key (locked),
 * argv[dsti] the destination (locked) */
void listServe(client *c, const blockSpec *sp, int ki, int dsti, kvobj *o);
void zsetServe(client *c, const blockSpec *sp, int ki, kvobj *o);

/* logging (log.c): levels LL_* from config.h */
void serverLog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* clocks */
int64_t ustime(void);
int64_t mstime(void);

/* cron.c */
void cronStart(void);
uint64_t cronInstantaneousOps(void);
uint64_t cronInstantaneousNetIn(void);
uint64_t cronInstantaneousNetOut(void);

/* main.c: stop serving and exit the process with `code` (SHUTDOWN, signals) */
void serverShutdown(int code);

/* networking.c */
int listenersStart(char **err);
void listenersStop(void);

/* glob matching (glob.c) */
#include "server/glob.h"

/* arg helpers (util.c) */
bool argEq(client *c, int i, const char *s);   /* case-insensitive compare */
bool getLongLongFromArg(client *c, int i, long long *v);          /* no reply */
bool getLongLongFromArgOrReply(client *c, int i, long long *v, const char *msg);
bool getDoubleFromArg(client *c, int i, double *v);
bool str2ld(const char *p, size_t len, long double *out);   /* Redis's string2ld */
bool getScanCursorOrReply(client *c, int i, unsigned long long *cursor);
bool getLongDoubleFromArgOrReply(client *c, int i, long double *v, const char *msg);
bool getPositiveLongFromArgOrReply(client *c, int i, long *v, const char *msg);
int double2str(char *buf, size_t cap, double d);       /* Redis's %.17g rules */
int longdouble2str(char *buf, size_t cap, long double d, bool humanfriendly);

#endif
