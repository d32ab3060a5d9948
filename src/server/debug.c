/* debug.c — DEBUG: the subset of Redis 7.0's DEBUG that tests and tools use.
 *
 *   DEBUG SLEEP <seconds>             stop for that long (decimals allowed)
 *   DEBUG SET-ACTIVE-EXPIRE <0|1>     pause / resume the active expire cycle
 *   DEBUG OBJECT <key>                low-level facts about a key's value
 *   DEBUG LOG <message>               write the message to the server log
 *   DEBUG ERROR <string>              reply with <string> as an error
 *   DEBUG PROTOCOL <type>             reply with a sample of a RESP type
 *   DEBUG HELP
 * Other subcommands answer like an unknown one. DEBUG is refused unless
 * enable-debug-command is "yes", or "local" and the client is local, with
 * Redis's error text (commands.c does not check CMD_PROTECTED, so the
 * handler does).
 *
 * DEBUG SLEEP. In Redis it blocks the whole server, and tests rely on that
 * to make a command slow (SLOWLOG, latency) or to let time pass with the
 * server frozen. A handler must not park, so roost sleeps the thread with
 * nanosleep: the client's P is blocked for the duration, exactly like Redis
 * with `threads 1`; with more threads the other Ps keep serving (and steal
 * the blocked P's runnable Gs). A stop-the-world waits for the sleep to end.
 *
 * DEBUG OBJECT takes a key at argv[2] but DEBUG has no key positions in
 * the command table (Redis declares none), so it is CMD_LOCK_SELF and locks
 * that key's shard itself around the lookup. Its fields: the block address,
 * refcount (roost values are never shared; a small integer shows Redis's
 * shared-object refcount so tests written for Redis read the same),
 * encoding, serializedlength (the RDB length of a string value, without
 * LZF compression; an estimate from the memory size for other types),
 * lru and lru_seconds_idle from the key's 24-bit LRU clock.
 */
#include "server/server_cmds.h"
#include "storage/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#define LRU_CLOCK_MAX ((1u << 24) - 1)
#define OBJ_SHARED_INTEGERS 10000
#define OBJ_SHARED_REFCOUNT 2147483647

static const char *encodingName(int enc) {
    switch (enc) {
    case ENC_RAW: return "raw";
    case ENC_INT: return "int";
    case ENC_HT: return "hashtable";
    case ENC_ZIPMAP: return "zipmap";
    case ENC_LINKEDLIST: return "linkedlist";
    case ENC_ZIPLIST: return "ziplist";
    case ENC_INTSET: return "intset";
    case ENC_SKIPLIST: return "skiplist";
    case ENC_EMBSTR: return "embstr";
    case ENC_QUICKLIST: return "quicklist";
    case ENC_STREAM: return "stream";
    case ENC_LISTPACK: return "listpack";
    }
    return "unknown";
}

/* rdbLenBytes: bytes of an RDB length prefix. */
static size_t rdbLenBytes(uint64_t len) {
    if (len < (1 << 6)) return 1;
    if (len < (1 << 14)) return 2;
    if (len <= UINT32_MAX) return 5;
    return 9;
}

/* rdbStringLen: what rdbSaveRawString writes for s, without compression:
 * small integers as 2/3/5 bytes, everything else length-prefixed. */
static size_t rdbStringLen(const char *s, size_t len) {
    long long v;
    if (len <= 11 && str2ll(s, len, &v)) {
        if (v >= -(1 << 7) && v <= (1 << 7) - 1) return 2;
        if (v >= -(1 << 15) && v <= (1 << 15) - 1) return 3;
        if (v >= -(1LL << 31) && v <= (1LL << 31) - 1) return 5;
    }
    return rdbLenBytes(len) + len;
}

static bool sharedInteger(const kvobj *o) {
    if (kvEnc(o) != ENC_INT) return false;
    if (cfg.maxmemory && (cfg.maxmemory_policy & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU))) return false;
    int64_t v = kvInt(o);
    return v >= 0 && v < OBJ_SHARED_INTEGERS;
}

static void debugObject(client *c) {
    uint64_t h = hashBytes(c->argv[2], c->argvlen[2]);
    c->arghash[2] = h;
    shard *s = ksShard(c->db, h);
    char line[256];
    cmdShardLock(NULL, s);
    kvobj **l = dbFindLink(s, h, c->argv[2], c->argvlen[2], c->nowms, false);
    if (l) {
        kvobj *o = *l;
        size_t serialized;
        if (kvType(o) == OBJ_STRING) {
            char buf[24];
            size_t len;
            const char *p = kvStr(o, buf, &len);
            serialized = rdbStringLen(p, len);
        } else {
            serialized = kvMemUsage(o);
        }
        uint32_t lru = kvLru(o);
        uint32_t clock = atomic_load_explicit(&ks.lruclock, memory_order_relaxed);
        uint64_t idle = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
        snprintf(line, sizeof line,
                 "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u lru_seconds_idle:%llu",
                 (void *)o, sharedInteger(o) ? OBJ_SHARED_REFCOUNT : 1, encodingName(kvEnc(o)), serialized,
                 lru, (unsigned long long)idle);
    }
    cmdShardUnlock(NULL, s);
    if (!l) addReplyError(c, "no such key");
    else addReplyStatus(c, line);
}

static void debugSleep(client *c) {
    char buf[64];
    size_t n = c->argvlen[2] < sizeof buf - 1 ? c->argvlen[2] : sizeof buf - 1;
    memcpy(buf, c->argv[2], n);
    buf[n] = '\0';
    double secs = strtod(buf, NULL);
    long long us = (long long)(secs * 1000000);
    if (us > 0) {
        struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
        while (nanosleep(&ts, &ts) != 0) {}
    }
    addReplyOK(c);
}

/* debugProtocol: the samples Redis's DEBUG PROTOCOL sends. */
static void debugProtocol(client *c) {
    const char *name = c->argv[2];
    if (!strcasecmp(name, "string")) {
        addReplyBulkCString(c, "Hello World");
    } else if (!strcasecmp(name, "integer")) {
        addReplyLongLong(c, 12345);
    } else if (!strcasecmp(name, "double")) {
        addReplyDouble(c, 3.141);
    } else if (!strcasecmp(name, "bignum")) {
        static const char big[] = "1234567999999999999999999999999999999";
        if (c->resp == 2) {
            addReplyBulkCString(c, big);
        } else {
            addReplyProto(c, "(", 1);
            addReplyProto(c, big, sizeof big - 1);
            addReplyProto(c, "\r\n", 2);
        }
    } else if (!strcasecmp(name, "null")) {
        addReplyNull(c);
    } else if (!strcasecmp(name, "array")) {
        addReplyArrayLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (!strcasecmp(name, "set")) {
        addReplySetLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (!strcasecmp(name, "map")) {
        addReplyMapLen(c, 3);
        for (int j = 0; j < 3; j++) {
            addReplyLongLong(c, j);
            addReplyBool(c, j == 1);
        }
    } else if (!strcasecmp(name, "attrib")) {
        if (c->resp >= 3) {
            static const char attr[] = "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n";
            addReplyProto(c, attr, sizeof attr - 1);
        }
        addReplyBulkCString(c, "Some real reply following the attribute");
    } else if (!strcasecmp(name, "push")) {
        if (c->resp < 3) {
            addReplyError(c, "RESP2 is not supported by this command");
            return;
        }
        addReplyPushLen(c, 2);
        addReplyBulkCString(c, "server-cpu-usage");
        addReplyLongLong(c, 42);
        addReplyBulkCString(c, "Some real reply following the push reply");
    } else if (!strcasecmp(name, "true")) {
        addReplyBool(c, true);
    } else if (!strcasecmp(name, "false")) {
        addReplyBool(c, false);
    } else if (!strcasecmp(name, "verbatim")) {
        static const char v[] = "This is a verbatim\nstring";
        addReplyVerbatim(c, v, sizeof v - 1, "txt");
    } else {
        addReplyError(c, "Wrong protocol type name. Please use one of the following: "
                         "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
}

static void debugError(client *c) {
    size_t n = c->argvlen[2];
    char *line = zmalloc(n + 2);
    line[0] = '-';
    memcpy(line + 1, c->argv[2], n);
    line[n + 1] = '\0';
    for (size_t i = 1; i <= n; i++)
        if (line[i] == '\r' || line[i] == '\n' || line[i] == '\0') line[i] = ' ';
    addReplyError(c, line);
    zfree(line);
}

static void debugHelp(client *c) {
    /* Redis 7.0's text: the whole list, including what roost does not do. */
    static const char *help[] = {
        "AOF-FLUSH-SLEEP <microsec>",
        "    Server will sleep before flushing the AOF, this is used for testing.",
        "ASSERT",
        "    Crash by assertion failed.",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
        "CRASH-AND-RECOVER [<milliseconds>]",
        "    Hard crash and restart after a <milliseconds> delay (default 0).",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
        "LEAK <string>",
        "    Create a memory leak of the input string.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "HTSTATS <dbid>",
        "    Return hash table statistics of the specified Redis database.",
        "HTSTATS-KEY <key>",
        "    Like HTSTATS but for the hash table stored at <key>'s value.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "REPLICATE <string>",
        "    Replicates the provided string to replicas, allowing data divergence.",
        "MALLCTL <key> [<val>]",
        "    Get or set a malloc tuning integer.",
        "MALLCTL-STR <key> [<val>]",
        "    Get or set a malloc tuning string.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "DROP-CLUSTER-PACKET-FILTER <packet-type>",
        "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
        "OOM",
        "    Crash the server simulating an out-of-memory error.",
        "PANIC",
        "    Crash the server simulating a panic.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "RESTART [<milliseconds>]",
        "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
        "SDSLEN <key>",
        "    Show low level SDS string info representing `key` and value.",
        "SEGFAULT",
        "    Crash the server with sigsegv.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
        "STRUCTSIZE",
        "    Return the size of different Redis core C structures.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
        "CLIENT-EVICTION",
        "    Show low level client eviction pools info (maxmemory-clients).",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
        "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
        "    In case NEVER is provided the last observed peak will never be reset",
        "    In case RESET is provided the peak reset time will be restored to the default value",
        "REPLYBUFFER RESIZING <0|1>",
        "    Enable or disable the reply buffer resize cron job",
        "CLUSTERLINK KILL <to|from|all> <node-id>",
        "    Kills the link based on the direction to/from (both) with the provided node.",
        NULL };
    addReplyHelp(c, help);
}

static bool debugAllowed(client *c) {
    int mode = cfg.enable_debug_command;
    if (mode == PROTECTED_ACTION_ALLOWED_YES) return true;
    if (mode == PROTECTED_ACTION_ALLOWED_LOCAL && clientIsLocal(c)) return true;
    addReplyError(c, "DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                     "you can run it from a local connection, otherwise you need to set this option in "
                     "the configuration file, and then restart the server.");
    return false;
}

void debugCommand(client *c) {
    if (!debugAllowed(c)) return;
    if (c->argc == 2 && argEq(c, 1, "help")) debugHelp(c);
    else if (c->argc == 3 && argEq(c, 1, "sleep")) debugSleep(c);
    else if (c->argc == 3 && argEq(c, 1, "set-active-expire")) {
        atomic_store(&server.activeExpireEnabled, atoi(c->argv[2]));
        addReplyOK(c);
    } else if (c->argc == 3 && argEq(c, 1, "object")) debugObject(c);
    else if (c->argc == 3 && argEq(c, 1, "log")) {
        serverLog(LL_WARNING, "DEBUG LOG: %s", c->argv[2]);
        addReplyOK(c);
    } else if (c->argc == 3 && argEq(c, 1, "error")) debugError(c);
    else if (c->argc == 3 && argEq(c, 1, "protocol")) debugProtocol(c);
    else addReplySubcommandSyntaxError(c);
}
