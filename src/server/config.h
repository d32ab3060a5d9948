/* config.h — roost's configuration: one typed table of options drives
 * redis.conf parsing, command-line overrides, CONFIG GET / SET / REWRITE and
 * the defaults.
 *
 * The values live in one global struct, `cfg`, that the rest of the server
 * reads directly (cfg.maxmemory, cfg.hz, ...). Every field below carries the
 * directive it belongs to and whether CONFIG SET may change it at run time
 * ("runtime") or only the config file and the command line ("start-up").
 *
 * This module produces plain C data and knows nothing of clients or
 * replies: the CONFIG command formats what these functions return. Error
 * strings meant for a client (configSet, configRewrite) are complete Redis
 * error lines, code included ("ERR Unknown option ..."), without the leading
 * '-' or the CRLF; the reply layer must send them as they are rather than
 * prefixing another "ERR".
 *
 * Concurrency: nothing here takes a lock. Loading happens before the runtime
 * starts; configSet() and configRewrite() must run while no other thread
 * reads cfg (with the world stopped, see rt.h rtStopTheWorld), because a
 * set frees the old string of a string option and changes multi-word
 * options in place. Readers on the hot path read plain fields.
 *
 * Files: config.c (the table, types, CONFIG GET/SET), config_file.c
 * (redis.conf and command-line loading, CONFIG REWRITE), config_int.h (what
 * those two share). glob.h provides the pattern matcher CONFIG GET uses.
 *
 * Behaviour follows Redis 7.0 (names, aliases, defaults, bounds, error
 * texts, CONFIG GET formatting and CONFIG REWRITE layout), checked against
 * redis-server 7.0.15. Where roost deliberately differs it says so below or
 * in config.c's header. Directives of Redis 7.0 that roost does not
 * implement (cluster-*, tls-*, replicaof, user, rename-command, ...) are
 * accepted in a config file with a warning naming them, refused by CONFIG
 * SET, and absent from CONFIG GET.
 */
#ifndef ROOST_CONFIG_H
#define ROOST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#ifndef ROOST_VERSION
#define ROOST_VERSION "0.1.0"
#endif

#define CONFIG_OK 0
#define CONFIG_ERR -1

/* ---- value vocabularies (shared with the modules that act on them) ------ */

/* loglevel */
#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3

/* maxmemory-policy: the low byte holds flags the eviction code tests. */
#define MAXMEMORY_FLAG_LRU (1 << 0)
#define MAXMEMORY_FLAG_LFU (1 << 1)
#define MAXMEMORY_FLAG_ALLKEYS (1 << 2)
#define MAXMEMORY_VOLATILE_LRU ((0 << 8) | MAXMEMORY_FLAG_LRU)
#define MAXMEMORY_VOLATILE_LFU ((1 << 8) | MAXMEMORY_FLAG_LFU)
#define MAXMEMORY_VOLATILE_TTL (2 << 8)
#define MAXMEMORY_VOLATILE_RANDOM (3 << 8)
#define MAXMEMORY_ALLKEYS_LRU ((4 << 8) | MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_ALLKEYS)
#define MAXMEMORY_ALLKEYS_LFU ((5 << 8) | MAXMEMORY_FLAG_LFU | MAXMEMORY_FLAG_ALLKEYS)
#define MAXMEMORY_ALLKEYS_RANDOM ((6 << 8) | MAXMEMORY_FLAG_ALLKEYS)
#define MAXMEMORY_NO_EVICTION (7 << 8)

/* appendfsync */
#define AOF_FSYNC_NO 0
#define AOF_FSYNC_ALWAYS 1
#define AOF_FSYNC_EVERYSEC 2

/* enable-protected-configs, enable-debug-command, enable-module-command */
#define PROTECTED_ACTION_ALLOWED_NO 0
#define PROTECTED_ACTION_ALLOWED_YES 1
#define PROTECTED_ACTION_ALLOWED_LOCAL 2   /* only from loopback/unix clients */

/* supervised */
#define SUPERVISED_NONE 0
#define SUPERVISED_AUTODETECT 1
#define SUPERVISED_SYSTEMD 2
#define SUPERVISED_UPSTART 3

/* sanitize-dump-payload */
#define SANITIZE_DUMP_NO 0
#define SANITIZE_DUMP_YES 1
#define SANITIZE_DUMP_CLIENTS 2

/* repl-diskless-load */
#define REPL_DISKLESS_LOAD_DISABLED 0
#define REPL_DISKLESS_LOAD_WHEN_DB_EMPTY 1
#define REPL_DISKLESS_LOAD_SWAPDB 2

/* oom-score-adj ("yes" is a synonym of "relative") */
#define OOM_SCORE_ADJ_NO 0
#define OOM_SCORE_RELATIVE 1
#define OOM_SCORE_ADJ_ABSOLUTE 2
#define CONFIG_OOM_MASTER 0
#define CONFIG_OOM_REPLICA 1
#define CONFIG_OOM_BGCHILD 2
#define CONFIG_OOM_COUNT 3

/* acl-pubsub-default */
#define ACL_PUBSUB_RESETCHANNELS 0
#define ACL_PUBSUB_ALLCHANNELS 1

/* shutdown-on-sigint / shutdown-on-sigterm: a set of flags, 0 = "default" */
#define SHUTDOWN_NOFLAGS 0
#define SHUTDOWN_SAVE 1
#define SHUTDOWN_NOSAVE 2
#define SHUTDOWN_NOW 4
#define SHUTDOWN_FORCE 8

/* notify-keyspace-events: one bit per class letter. NOTIFY_ALL ('A') is
 * g$lshzxetd: neither key-miss 'm' nor new-key 'n' is part of it. */
#define NOTIFY_KEYSPACE (1 << 0)   /* K */
#define NOTIFY_KEYEVENT (1 << 1)   /* E */
#define NOTIFY_GENERIC (1 << 2)    /* g */
#define NOTIFY_STRING (1 << 3)     /* $ */
#define NOTIFY_LIST (1 << 4)       /* l */
#define NOTIFY_SET (1 << 5)        /* s */
#define NOTIFY_HASH (1 << 6)       /* h */
#define NOTIFY_ZSET (1 << 7)       /* z */
#define NOTIFY_EXPIRED (1 << 8)    /* x */
#define NOTIFY_EVICTED (1 << 9)    /* e */
#define NOTIFY_STREAM (1 << 10)    /* t */
#define NOTIFY_KEY_MISS (1 << 11)  /* m */
#define NOTIFY_LOADED (1 << 12)    /* modules only, no letter */
#define NOTIFY_MODULE (1 << 13)    /* d */
#define NOTIFY_NEW (1 << 14)       /* n */
#define NOTIFY_ALL (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | \
                    NOTIFY_HASH | NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | \
                    NOTIFY_STREAM | NOTIFY_MODULE)

/* client-output-buffer-limit classes */
#define OBUF_CLASS_NORMAL 0
#define OBUF_CLASS_REPLICA 1   /* "slave" / "replica" */
#define OBUF_CLASS_PUBSUB 2
#define OBUF_CLASS_COUNT 3

#define CONFIG_BINDADDR_MAX 16
#define CONFIG_MIN_HZ 1
#define CONFIG_MAX_HZ 500

typedef struct clientBufferLimit {
    unsigned long long hard_limit_bytes;   /* 0 = no hard limit */
    unsigned long long soft_limit_bytes;   /* 0 = no soft limit */
    long soft_limit_seconds;               /* how long soft may be exceeded */
} clientBufferLimit;

typedef struct saveParam {
    long seconds;   /* save if at least `changes` writes in `seconds` */
    int changes;
} saveParam;

/* ---- the values ----------------------------------------------------------- */

/* Strings are never NULL: "" means unset. All fields are owned by this
 * module; the server only reads them. */
struct serverConfig {
    /* network */
    char *bind[CONFIG_BINDADDR_MAX];     /* bind: runtime (apply re-binds); a
                                            leading '-' marks an optional
                                            address; default "* -::*" */
    int bind_count;                      /* number of entries in bind[] */
    int port;                            /* port: runtime */
    char *unixsocket;                    /* unixsocket: start-up */
    unsigned int unixsocketperm;         /* unixsocketperm (octal): start-up */
    int tcp_backlog;                     /* tcp-backlog: start-up */
    int tcp_keepalive;                   /* tcp-keepalive (s): runtime */
    int timeout;                         /* timeout (s idle, 0 off): runtime */
    bool protected_mode;                 /* protected-mode: runtime */
    unsigned int maxclients;             /* maxclients: runtime */
    int threads;                         /* threads (roost): number of Ps, 0 =
                                            online CPUs capped at 8 (see
                                            configThreads): start-up */
    int io_threads;                      /* io-threads: start-up, no effect */
    bool io_threads_do_reads;            /* io-threads-do-reads: no effect */

    /* security */
    char *requirepass;                   /* requirepass: runtime, sensitive */
    char *masterauth;                    /* masterauth: no effect, sensitive */
    char *masteruser;                    /* masteruser: no effect, sensitive */
    int enable_protected_configs;        /* PROTECTED_ACTION_*: start-up */
    int enable_debug_command;            /* PROTECTED_ACTION_*: start-up;
                                            Redis's default "no" is kept, so
                                            test harnesses must pass
                                            --enable-debug-command yes|local */
    int enable_module_command;           /* PROTECTED_ACTION_*: start-up */
    long long acllog_max_len;            /* acllog-max-len: runtime */
    int acl_pubsub_default;              /* ACL_PUBSUB_*: runtime */

    /* general */
    int databases;                       /* databases: start-up */
    int hz;                              /* hz: runtime, clamped to 1..500 */
    bool dynamic_hz;                     /* dynamic-hz: runtime */
    int loglevel;                        /* LL_*: runtime */
    char *logfile;                       /* logfile ("" = stdout): start-up */
    bool daemonize;                      /* daemonize: start-up; stored only,
                                            roost stays in the foreground */
    int supervised;                      /* SUPERVISED_*: stored only */
    char *pidfile;                       /* pidfile: start-up */
    bool always_show_logo;               /* always-show-logo: start-up */
    bool set_proc_title;                 /* set-proc-title: start-up */
    char *proc_title_template;           /* proc-title-template: runtime */
    bool crash_log_enabled;              /* crash-log-enabled: runtime */
    bool crash_memcheck_enabled;         /* crash-memcheck-enabled: runtime */
    bool disable_thp;                    /* disable-thp: start-up */
    bool jemalloc_bg_thread;             /* jemalloc-bg-thread: runtime */
    int shutdown_timeout;                /* shutdown-timeout (s): runtime */
    int shutdown_on_sigint;              /* SHUTDOWN_* flags: runtime */
    int shutdown_on_sigterm;             /* SHUTDOWN_* flags: runtime */
    int oom_score_adj;                   /* OOM_SCORE_*: runtime */
    int oom_score_adj_values[CONFIG_OOM_COUNT]; /* oom-score-adj-values */
    bool latency_tracking;               /* latency-tracking: runtime */
    double *latency_tracking_info_percentiles; /* ...-info-percentiles */
    int latency_tracking_info_percentiles_len;  /* entries in the above */
    char *ignore_warnings;               /* ignore-warnings: runtime */

    /* snapshotting */
    saveParam *save_params;              /* save: runtime; NULL if none */
    int save_params_len;                 /* number of save rules */
    bool stop_writes_on_bgsave_error;    /* runtime */
    bool rdbcompression;                 /* runtime */
    bool rdbchecksum;                    /* start-up */
    int sanitize_dump_payload;           /* SANITIZE_DUMP_*: runtime */
    char *dbfilename;                    /* dbfilename: runtime, protected */
    bool rdb_del_sync_files;             /* runtime */
    bool rdb_save_incremental_fsync;     /* runtime */
    /* dir has no field: it is the process's working directory (chdir on
     * set, getcwd on get), as in Redis. Runtime, protected. */

    /* append only file */
    bool appendonly;                     /* appendonly: runtime (apply) */
    char *appendfilename;                /* start-up */
    char *appenddirname;                 /* start-up */
    int appendfsync;                     /* AOF_FSYNC_*: runtime */
    bool no_appendfsync_on_rewrite;      /* runtime */
    int auto_aof_rewrite_percentage;     /* runtime */
    long long auto_aof_rewrite_min_size; /* bytes: runtime */
    bool aof_load_truncated;             /* runtime */
    bool aof_use_rdb_preamble;           /* runtime */
    bool aof_timestamp_enabled;          /* runtime */
    bool aof_rewrite_incremental_fsync;  /* runtime */
    bool aof_disable_auto_gc;            /* runtime */

    /* memory and eviction */
    unsigned long long maxmemory;        /* bytes, 0 = no limit: runtime */
    int maxmemory_policy;                /* MAXMEMORY_*: runtime */
    int maxmemory_samples;               /* runtime */
    int maxmemory_eviction_tenacity;     /* 0..100: runtime */
    long long maxmemory_clients;         /* bytes, or -N for N% of maxmemory,
                                            0 = off: runtime */
    bool replica_ignore_maxmemory;       /* runtime, no effect */
    int active_expire_effort;            /* 1..10: runtime */
    int lfu_log_factor;                  /* runtime */
    int lfu_decay_time;                  /* minutes: runtime */
    bool lazyfree_lazy_eviction;         /* runtime */
    bool lazyfree_lazy_expire;           /* runtime */
    bool lazyfree_lazy_server_del;       /* runtime */
    bool lazyfree_lazy_user_del;         /* runtime */
    bool lazyfree_lazy_user_flush;       /* runtime */
    bool replica_lazy_flush;             /* runtime, no effect */
    bool activedefrag;                   /* runtime; accepted, no effect */
    size_t active_defrag_ignore_bytes;   /* runtime, no effect */
    int active_defrag_threshold_lower;   /* runtime, no effect */
    int active_defrag_threshold_upper;   /* runtime, no effect */
    int active_defrag_cycle_min;         /* runtime, no effect */
    int active_defrag_cycle_max;         /* runtime, no effect */
    long long active_defrag_max_scan_fields; /* runtime, no effect */
    bool activerehashing;                /* runtime */

    /* client limits */
    long long proto_max_bulk_len;        /* bytes: runtime */
    size_t client_query_buffer_limit;    /* bytes: runtime */
    clientBufferLimit client_obuf_limits[OBUF_CLASS_COUNT]; /* runtime */
    size_t tracking_table_max_keys;      /* runtime */

    /* slow log, latency monitor, scripts */
    long long slowlog_log_slower_than;   /* usec, -1 off, 0 all: runtime */
    long long slowlog_max_len;           /* runtime */
    long long latency_monitor_threshold; /* ms, 0 off: runtime */
    long long busy_reply_threshold;      /* ms (alias lua-time-limit) */

    /* keyspace notifications */
    int notify_keyspace_events;          /* NOTIFY_* bits: runtime */

    /* compact encodings (all runtime) */
    size_t hash_max_listpack_entries;
    size_t hash_max_listpack_value;
    int list_max_listpack_size;          /* >0 entries, -1..-5 = 4..64 KiB */
    int list_compress_depth;
    size_t set_max_intset_entries;
    size_t set_max_listpack_entries;     /* Redis 7.2 name and default */
    size_t set_max_listpack_value;       /* Redis 7.2 name and default */
    size_t zset_max_listpack_entries;
    size_t zset_max_listpack_value;
    size_t hll_sparse_max_bytes;
    size_t stream_node_max_bytes;
    long long stream_node_max_entries;

    /* replication: stored and shown, no effect (roost has no replication) */
    bool replica_read_only;
    bool replica_serve_stale_data;
    int replica_priority;
    bool replica_announced;
    char *replica_announce_ip;
    int replica_announce_port;
    int min_replicas_to_write;
    int min_replicas_max_lag;
    long long repl_backlog_size;
    long long repl_backlog_ttl;
    int repl_timeout;
    int repl_ping_replica_period;
    bool repl_diskless_sync;
    int repl_diskless_sync_delay;
    int repl_diskless_sync_max_replicas;
    int repl_diskless_load;              /* REPL_DISKLESS_LOAD_* */
    bool repl_disable_tcp_nodelay;
};

extern struct serverConfig cfg;

/* ---- lifecycle and loading ---------------------------------------------- */

/* configDefaults: set every option to its default, freeing what the
 * previous values owned. Call once before loading; calling it again resets
 * (tests do). Also forgets the "a save line was already read" state that
 * makes the first `save` directive of a load replace the default rules and
 * later ones add to them. */
void configDefaults(void);

/* configFree: release everything cfg owns (strings, arrays). cfg is left
 * unusable until the next configDefaults(). */
void configFree(void);

/* configLoadFile: read a redis.conf-style file into cfg. One directive per
 * line, arguments split as Redis splits them (double quotes with \n \r \t
 * \b \a \xHH escapes, single quotes, # comments), names case-insensitive,
 * `include PATH` (glob patterns allowed; an include matching nothing is
 * skipped). Directives Redis knows but roost does not implement are
 * reported through the warning handler and skipped. On error returns
 * CONFIG_ERR with *err set to the text to print on stderr before exiting,
 * formatted like Redis's:
 *
 *   \n*** FATAL CONFIG FILE ERROR (roost 0.1.0) ***\n
 *   Reading the configuration file, at line 2\n
 *   >>> 'foo bar'\n
 *   Bad directive or wrong number of arguments\n
 *
 * Free *err with zfree. Values applied before the failing line stay set. */
int configLoadFile(const char *path, char **err);

/* configLoadString: the same, from a string; `origin` names it in warnings
 * (e.g. "stdin"). */
int configLoadString(const char *text, const char *origin, char **err);

/* configApplyArgs: apply redis-server style overrides, i.e. everything after
 * the config file path: "--port 6380 --save 60 100 --bind 127.0.0.1 ::1".
 * Each --name opens a directive and the following words (until the next
 * --name) are its arguments; a lone "--save" means save "". Errors as for
 * configLoadFile, with "Reading the command line, at option N" and the
 * directive shown as Redis shows it ('port "x"'). */
int configApplyArgs(int argc, char **argv, char **err);

/* configSetWarningHandler: where load-time warnings go (unsupported or
 * no-effect directives). Default: one line on stderr. NULL restores it. */
void configSetWarningHandler(void (*fn)(const char *msg));

/* ---- CONFIG GET / SET / REWRITE -------------------------------------- */

typedef struct configPair {
    char *name;    /* as matched: the primary name, an alias, or for an exact
                      (non-glob) request the name as the client spelled it */
    char *value;   /* formatted as CONFIG GET prints it */
} configPair;

/* configGet: name/value pairs for every option matching any of the glob
 * patterns (case-insensitive, glob.h dialect), each name at most once, in
 * table order per pattern. A pattern without * ? [ is an exact lookup and
 * also finds hidden options. Aliases match as names of their own, as in
 * Redis. Returns the number of pairs; *out is a zmalloc'd array (NULL when
 * 0) to release with configPairsFree. */
size_t configGet(int npatterns, const char **patterns, configPair **out);
void configPairsFree(configPair *pairs, size_t n);

/* configGetValue: the CONFIG GET text of one option (name or alias), or
 * NULL if there is no such option. zmalloc'd; free with zfree. */
char *configGetValue(const char *name);

/* configSet: CONFIG SET name value [name value ...] (argc counts names and
 * values). All or nothing: every name is checked first (unknown, immutable,
 * protected, duplicate), then all values are set; if one fails to parse, or
 * an apply callback fails, every value set so far is restored (and the
 * callbacks re-run for the restored values) before returning CONFIG_ERR with
 * *err (zmalloc'd) set to Redis's text, e.g.
 *   ERR Unknown option or number of arguments for CONFIG SET - 'foo'
 *   ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value
 *   ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config
 * Each apply callback runs once per call, after all values are in place, and
 * only if one of its options actually changed. configSet treats the caller
 * as a remote client for enable-protected-configs "local"; configSetEx takes
 * CONFIG_SET_LOCAL for a loopback or unix-socket client. */
#define CONFIG_SET_LOCAL (1 << 0)
int configSet(int argc, const char **names_and_values, char **err);
int configSetEx(int argc, const char **names_and_values, int flags, char **err);

/* configSetApply: register fn as option `name`'s apply callback (replacing
 * any previous one), run after a successful CONFIG SET that changed it, never
 * during loading. fn returns 1 on success, 0 on failure with *err set to a
 * static message (e.g. "Unable to listen on this port. Check server logs.").
 * Several options may share one fn; it then runs once. Returns CONFIG_OK, or
 * CONFIG_ERR if there is no such option. */
int configSetApply(const char *name, int (*fn)(const char **err));

/* configRewrite: CONFIG REWRITE into `path`, like Redis: lines of the old
 * file are kept (trimmed), comments included; each option the rewrite
 * manages goes on the first line that set it (aliases count as the primary
 * name), its other lines are removed; options not in the file are appended
 * after a "# Generated by CONFIG REWRITE" line when they differ from the
 * default (save and dir always); runs of blank lines shrink to one. Lines of
 * directives roost does not implement, and include lines, are kept as they
 * are; lines that parse as nothing roost or Redis knows are kept commented
 * out as "# ??? <line>". The file is replaced atomically (temp file in the
 * same directory, fsync, rename). Returns CONFIG_OK, or CONFIG_ERR with *err
 * = "ERR Rewriting config file: <strerror>" (zmalloc'd). */
int configRewrite(const char *path, char **err);

/* ---- small helpers for the server ---------------------------------------- */

/* configIsSensitive: true for options whose values must not be logged
 * (requirepass, masterauth, masteruser), by name or alias. */
bool configIsSensitive(const char *name);

/* configThreads: the number of Ps to start: cfg.threads, or if that is 0 the
 * number of online CPUs, at most 8 (and at least 1). */
int configThreads(void);

/* configEnumName: the text of an enum option's value (e.g. for INFO:
 * configEnumName("maxmemory-policy", cfg.maxmemory_policy) -> "noeviction");
 * NULL if `name` is not an enum option or val is not one of its values. */
const char *configEnumName(const char *name, int val);

/* configMemToull: parse a memory value the way redis.conf does: digits and
 * an optional unit b, k (1000), kb (1024), m, mb, g, gb, case-insensitive.
 * Returns true and sets *out on success; false on a bad unit, a sign, or an
 * overflow. */
bool configMemToull(const char *s, unsigned long long *out);

#endif
