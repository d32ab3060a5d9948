/* info.c — INFO [section ...], with Redis 7.0's sections and field names so
 * dashboards and exporters read roost like Redis; plus the error statistics
 * (INFO errorstats) and CONFIG RESETSTAT's reset.
 *
 * Sections, in the order INFO prints them: server clients memory
 * persistence stats replication cpu modules commandstats errorstats
 * latencystats cluster keyspace. No argument (or "default") means all but
 * commandstats and latencystats; "all" and "everything" mean all of them;
 * unknown names are ignored, as in Redis. The reply is a bulk string
 * (verbatim "txt" in RESP3): sections are "# Name\r\n" followed by
 * "field:value\r\n" lines, separated by an empty line.
 *
 * Where the figures come from:
 *  - memory: zmalloc (exact used_memory), jemalloc's stats through
 *    zmallocGetInfo, RSS from /proc; the peak is the highest used_memory
 *    INFO or MEMORY have seen (there is no cron hook for it yet);
 *    used_memory_startup is taken the first time the figures are asked for
 *    while the keyspace is still empty (0 otherwise);
 *  - the keyspace: one pass over every shard, each locked on its own
 *    (INFO is CMD_LOCK_SELF and yields between shards like KEYS does);
 *    avg_ttl is estimated from up to 16 volatile keys per shard;
 *  - clients: one walk of the clients list under clientsLock (buffer sizes
 *    read as benign races, see RACY_READS in server_cmds.h);
 *  - cpu: getrusage for the process and its children; the *_main_thread
 *    fields (roost has no main thread) report the thread that runs INFO;
 *  - counters: `server` (main.c, networking.c, commands.c), per-command
 *    statistics from commandStats(), error counts from errorStatsIncr().
 * Fields of subsystems roost does not have (replication, AOF rewrite, Lua,
 * cluster, tracking, defrag) carry the values an idle Redis shows.
 * roost adds two fields at the end of the server section: roost_version
 * and roost_threads (the number of Ps).
 */
#include "server/server_cmds.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#include <jemalloc/jemalloc.h>
#endif

/* ---- a growing text buffer ------------------------------------------------------------ */

typedef struct textBuf {
    char *p;
    size_t len, cap;
} textBuf;

static void tbReserve(textBuf *b, size_t more) {
    if (b->len + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1) cap *= 2;
    b->p = zrealloc(b->p, cap);
    b->cap = cap;
}

static void tbPrintf(textBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tbPrintf(textBuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    tbReserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* ---- error statistics ---------------------------------------------------------------------- */

#define ERRSTAT_MAX 128       /* distinct codes kept, as Redis */
#define ERRSTAT_CODE 64

typedef struct errStat {
    char code[ERRSTAT_CODE];
    uint64_t count;
} errStat;

static rtLock errLock;
static errStat errStats[ERRSTAT_MAX];   /* under errLock */
static int nErrStats;                   /* under errLock */

void errorStatsIncr(const char *msg) {
    char code[ERRSTAT_CODE];
    size_t n = 0;
    if (msg[0] == '-') {
        for (const char *p = msg + 1; *p && *p != ' ' && n < sizeof code - 1; p++) code[n++] = *p;
    }
    if (n == 0) { memcpy(code, "ERR", 3); n = 3; }
    code[n] = '\0';
    rtLockAcquire(&errLock);
    int i;
    for (i = 0; i < nErrStats; i++)
        if (!strcmp(errStats[i].code, code)) break;
    if (i == nErrStats && nErrStats < ERRSTAT_MAX) {
        memcpy(errStats[i].code, code, n + 1);
        errStats[i].count = 0;
        nErrStats++;
    }
    if (i < nErrStats) errStats[i].count++;
    rtLockRelease(&errLock);
}

void errorStatsReset(void) {
    rtLockAcquire(&errLock);
    nErrStats = 0;
    rtLockRelease(&errLock);
}

static int errStatCmp(const void *a, const void *b) {
    return strcmp(((const errStat *)a)->code, ((const errStat *)b)->code);
}

/* ---- walks ----------------------------------------------------------------------------------- */

typedef struct clientFigures {
    int n;
    size_t maxIn, maxOut, mem;
} clientFigures;

static void walkClients(clientFigures *f) {
    memset(f, 0, sizeof *f);
    rtLockAcquire(&clientsLock);
    for (client *c = clientsHead; c; c = c->next) {
        RACY_READS_BEGIN();
        size_t qcap = LD(c->qcap), ocap = LD(c->ocap), argvcap = (size_t)LD(c->argvcap);
        RACY_READS_END();
        f->n++;
        if (qcap > f->maxIn) f->maxIn = qcap;
        if (ocap > f->maxOut) f->maxOut = ocap;
        f->mem += qcap + ocap + argvcap * 24;
    }
    rtLockRelease(&clientsLock);
}

typedef struct dbFigures {
    uint64_t keys, expires;
    size_t overhead;
    int64_t ttlSum;       /* ms, over ttlSamples sampled volatile keys */
    uint64_t ttlSamples;
} dbFigures;

#define TTL_SAMPLES_PER_SHARD 16

static void walkDb(int db, dbFigures *f, int64_t nowms) {
    memset(f, 0, sizeof *f);
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(db, i);
        cmdShardLock(NULL, s);
        f->keys += kvtSize(&s->table);
        f->expires += s->nexp;
        f->overhead += (size_t)(s->table.size[0] + s->table.size[1]) * sizeof(kvobj *) +
                       (size_t)s->capexp * sizeof(kvobj *);
        uint32_t step = s->nexp > TTL_SAMPLES_PER_SHARD ? s->nexp / TTL_SAMPLES_PER_SHARD : 1;
        for (uint32_t j = 0; j < s->nexp; j += step) {
            int64_t ttl = kvExpire(s->exp[j]) - nowms;
            if (ttl > 0) { f->ttlSum += ttl; f->ttlSamples++; }
        }
        cmdShardUnlock(NULL, s);
        cmdWalkYield(NULL);
    }
}

void infoDbOverhead(int db, uint64_t *keys, size_t *mainBytes, size_t *expiresBytes) {
    *keys = 0;
    *mainBytes = *expiresBytes = 0;
    for (int i = 0; i < ks.nshards; i++) {
        shard *s = ksShardAt(db, i);
        cmdShardLock(NULL, s);
        *keys += kvtSize(&s->table);
        *mainBytes += (size_t)(s->table.size[0] + s->table.size[1]) * sizeof(kvobj *);
        *expiresBytes += (size_t)s->capexp * sizeof(kvobj *);
        cmdShardUnlock(NULL, s);
        cmdWalkYield(NULL);
    }
}

/* ---- memory ---------------------------------------------------------------------------------- */

static _Atomic size_t memPeak;
static _Atomic size_t memStartup;
static _Atomic int memStartupTaken;

void infoMemFigures(memFigures *m) {
    memset(m, 0, sizeof *m);
    m->used = zmallocUsedMemory();
    size_t peak = atomic_load(&memPeak);
    while (m->used > peak && !atomic_compare_exchange_weak(&memPeak, &peak, m->used)) {}
    m->peak = m->used > peak ? m->used : peak;
    m->rss = zmallocRss();
    zmallocInfo zi;
    zmallocGetInfo(&zi);
    m->allocated = zi.allocated;
    m->active = zi.active;
    m->resident = zi.resident;
    clientFigures cf;
    walkClients(&cf);
    m->clientsNormal = cf.mem;
    size_t dbOverhead = 0;
    int64_t nowms = mstime();
    for (int db = 0; db < ks.ndb; db++) {
        dbFigures f;
        walkDb(db, &f, nowms);
        m->keys += f.keys;
        dbOverhead += f.overhead;
    }
    if (!atomic_load(&memStartupTaken) && m->keys == 0) {
        atomic_store(&memStartup, m->used > cf.mem ? m->used - cf.mem : 0);
        atomic_store(&memStartupTaken, 1);
    }
    m->startup = atomic_load(&memStartup);
    m->overhead = m->startup + m->clientsNormal + dbOverhead;
    m->dataset = m->used > m->overhead ? m->used - m->overhead : 0;
}

static const char *allocatorName(void) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return "libc";
#else
#define STR2(x) #x
#define STR(x) STR2(x)
    return "jemalloc-" STR(JEMALLOC_VERSION_MAJOR) "." STR(JEMALLOC_VERSION_MINOR) "." STR(
        JEMALLOC_VERSION_BUGFIX);
#endif
}

static double safeRatio(size_t a, size_t b) { return b ? (double)a / (double)b : 0; }

/* ---- statistics reset ------------------------------------------------------------------------ */

void resetServerStats(void) {
    atomic_store(&server.statConnections, 0);
    atomic_store(&server.statRejectedConn, 0);
    hotStatReset(HSTAT_COMMANDS);
    hotStatReset(HSTAT_NET_IN);
    hotStatReset(HSTAT_NET_OUT);
    hotStatReset(HSTAT_HITS);
    hotStatReset(HSTAT_MISSES);
    atomic_store(&server.statExpiredKeys, 0);
    atomic_store(&server.statUnexpectedErrors, 0);
    hotStatReset(HSTAT_ERRORS);
    atomic_store(&server.statNetReadCalls, 0);
    atomic_store(&ks.expiredKeys, 0);
    atomic_store(&memPeak, 0);
    commandStatsReset();
    errorStatsReset();
}

/* ---- the sections ------------------------------------------------------------------------------- */

enum { S_SERVER, S_CLIENTS, S_MEMORY, S_PERSISTENCE, S_STATS, S_REPLICATION, S_CPU, S_MODULES,
       S_COMMANDSTATS, S_ERRORSTATS, S_LATENCYSTATS, S_CLUSTER, S_KEYSPACE, S_COUNT };

static const struct { const char *name, *title; bool byDefault; } sections[S_COUNT] = {
    { "server", "Server", true }, { "clients", "Clients", true }, { "memory", "Memory", true },
    { "persistence", "Persistence", true }, { "stats", "Stats", true },
    { "replication", "Replication", true }, { "cpu", "CPU", true }, { "modules", "Modules", true },
    { "commandstats", "Commandstats", false }, { "errorstats", "Errorstats", true },
    { "latencystats", "Latencystats", false }, { "cluster", "Cluster", true },
    { "keyspace", "Keyspace", true } };

static const char *buildId(void) {
    static char id[17];
    if (!id[0]) {
        const char *s = ROOST_VERSION " " __DATE__ " " __TIME__;
        uint64_t h = 1469598103934665603ull;
        for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
        snprintf(id, sizeof id, "%016llx", (unsigned long long)h);
    }
    return id;
}

static char replid[41];
static pthread_once_t replidOnce = PTHREAD_ONCE_INIT;

static void replidInit(void) {
    unsigned char r[20];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        for (size_t i = 0; i < sizeof r; i++) r[i] = (unsigned char)(rand() ^ (int)i);
    for (int i = 0; i < 20; i++) snprintf(replid + 2 * i, 3, "%02x", r[i]);
}

static void infoServer(textBuf *b) {
    struct utsname u;
    uname(&u);
    int64_t nowus = ustime();
    int64_t uptime = (nowus / 1000 - server.startTimeMs) / 1000;
    tbPrintf(b,
             "redis_version:%s\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:%s\r\n"
             "redis_mode:standalone\r\nos:%s %s %s\r\narch_bits:%d\r\n"
             "monotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\n"
             "atomicvar_api:c11-builtin\r\ngcc_version:%d.%d.%d\r\nprocess_id:%d\r\n"
             "process_supervised:no\r\nrun_id:%s\r\ntcp_port:%d\r\nserver_time_usec:%lld\r\n"
             "uptime_in_seconds:%lld\r\nuptime_in_days:%lld\r\nhz:%d\r\nconfigured_hz:%d\r\n"
             "lru_clock:%u\r\nexecutable:%s\r\nconfig_file:%s\r\nio_threads_active:0\r\n"
             "roost_version:%s\r\nroost_threads:%d\r\n",
             REDIS_VERSION, buildId(), u.sysname, u.release, u.machine, (int)sizeof(long) * 8,
#ifdef __GNUC__
             __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
#else
             0, 0, 0,
#endif
             (int)getpid(), server.runid, cfg.port, (long long)nowus, (long long)uptime,
             (long long)(uptime / 86400), cfg.hz, cfg.hz,
             (unsigned)atomic_load_explicit(&ks.lruclock, memory_order_relaxed), server.executable,
             server.configfile, ROOST_VERSION, rtNumProcs());
}

static void infoClients(textBuf *b, const clientFigures *cf) {
    tbPrintf(b,
             "connected_clients:%d\r\ncluster_connections:0\r\nmaxclients:%u\r\n"
             "client_recent_max_input_buffer:%zu\r\nclient_recent_max_output_buffer:%zu\r\n"
             "blocked_clients:%d\r\ntracking_clients:0\r\nclients_in_timeout_table:0\r\n",
             atomic_load(&connectedClients), cfg.maxclients, cf->maxIn, cf->maxOut,
             atomic_load(&blockedClients));
}

static void infoMemory(textBuf *b) {
    memFigures m;
    infoMemFigures(&m);
    char hUsed[32], hRss[32], hPeak[32], hSys[32], hMax[32];
    bytesToHuman(hUsed, sizeof hUsed, m.used);
    bytesToHuman(hRss, sizeof hRss, m.rss);
    bytesToHuman(hPeak, sizeof hPeak, m.peak);
    unsigned long long sysmem = (unsigned long long)sysconf(_SC_PHYS_PAGES) * (unsigned long long)sysconf(_SC_PAGESIZE);
    bytesToHuman(hSys, sizeof hSys, sysmem);
    bytesToHuman(hMax, sizeof hMax, cfg.maxmemory);
    size_t net = m.used > m.startup ? m.used - m.startup : 0;
    const char *policy = configEnumName("maxmemory-policy", cfg.maxmemory_policy);
    tbPrintf(b,
             "used_memory:%zu\r\nused_memory_human:%s\r\nused_memory_rss:%zu\r\n"
             "used_memory_rss_human:%s\r\nused_memory_peak:%zu\r\nused_memory_peak_human:%s\r\n"
             "used_memory_peak_perc:%.2f%%\r\nused_memory_overhead:%zu\r\nused_memory_startup:%zu\r\n"
             "used_memory_dataset:%zu\r\nused_memory_dataset_perc:%.2f%%\r\n"
             "allocator_allocated:%zu\r\nallocator_active:%zu\r\nallocator_resident:%zu\r\n"
             "total_system_memory:%llu\r\ntotal_system_memory_human:%s\r\n",
             m.used, hUsed, m.rss, hRss, m.peak, hPeak, m.peak ? m.used * 100.0 / (double)m.peak : 0,
             m.overhead, m.startup, m.dataset, net ? m.dataset * 100.0 / (double)net : 0, m.allocated,
             m.active, m.resident, sysmem, hSys);
    scriptInfo si;
    scriptGetInfo(&si);
    char hLua[32], hVm[32], hScripts[32];
    bytesToHuman(hLua, sizeof hLua, si.vmEval);
    bytesToHuman(hVm, sizeof hVm, si.vmEval + si.vmFunctions);
    bytesToHuman(hScripts, sizeof hScripts, si.scriptsEval + si.functions);
    tbPrintf(b,
             "used_memory_lua:%zu\r\nused_memory_vm_eval:%zu\r\nused_memory_lua_human:%s\r\n"
             "used_memory_scripts_eval:%zu\r\nnumber_of_cached_scripts:%lld\r\nnumber_of_functions:%lld\r\n"
             "number_of_libraries:%lld\r\nused_memory_vm_functions:%zu\r\nused_memory_vm_total:%zu\r\n"
             "used_memory_vm_total_human:%s\r\nused_memory_functions:%zu\r\nused_memory_scripts:%zu\r\n"
             "used_memory_scripts_human:%s\r\n",
             si.vmEval, si.vmEval, hLua, si.scriptsEval, si.cachedScripts, si.nfunctions, si.libraries,
             si.vmFunctions, si.vmEval + si.vmFunctions, hVm, si.functions, si.scriptsEval + si.functions,
             hScripts);
    tbPrintf(b,
             "maxmemory:%llu\r\nmaxmemory_human:%s\r\nmaxmemory_policy:%s\r\n"
             "allocator_frag_ratio:%.2f\r\nallocator_frag_bytes:%lld\r\n"
             "allocator_rss_ratio:%.2f\r\nallocator_rss_bytes:%lld\r\n"
             "rss_overhead_ratio:%.2f\r\nrss_overhead_bytes:%lld\r\n"
             "mem_fragmentation_ratio:%.2f\r\nmem_fragmentation_bytes:%lld\r\n"
             "mem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\n"
             "mem_total_replication_buffers:0\r\nmem_clients_slaves:0\r\nmem_clients_normal:%zu\r\n"
             "mem_cluster_links:0\r\nmem_aof_buffer:0\r\nmem_allocator:%s\r\n"
             "active_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n",
             cfg.maxmemory, hMax, policy ? policy : "noeviction", safeRatio(m.active, m.allocated),
             (long long)m.active - (long long)m.allocated, safeRatio(m.resident, m.active),
             (long long)m.resident - (long long)m.active, safeRatio(m.rss, m.resident),
             (long long)m.rss - (long long)m.resident, safeRatio(m.rss, m.used),
             (long long)m.rss - (long long)m.used, m.clientsNormal, allocatorName());
}

static void infoPersistence(textBuf *b) {
    tbPrintf(b,
             "loading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\ncurrent_cow_size:0\r\n"
             "current_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\ncurrent_save_keys_processed:0\r\n"
             "current_save_keys_total:0\r\nrdb_changes_since_last_save:0\r\n"
             "rdb_bgsave_in_progress:0\r\nrdb_last_save_time:%lld\r\nrdb_last_bgsave_status:ok\r\n"
             "rdb_last_bgsave_time_sec:-1\r\nrdb_current_bgsave_time_sec:-1\r\nrdb_saves:0\r\n"
             "rdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:0\r\n"
             "aof_enabled:%d\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n"
             "aof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\n"
             "aof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\naof_rewrites_consecutive_failures:0\r\n"
             "aof_last_write_status:ok\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\n"
             "module_fork_last_cow_size:0\r\n",
             (long long)atomic_load(&server.lastSave), cfg.appendonly ? 1 : 0);
}

static void infoStats(textBuf *b) {
    tbPrintf(b,
             "total_connections_received:%llu\r\ntotal_commands_processed:%llu\r\n"
             "instantaneous_ops_per_sec:%llu\r\ntotal_net_input_bytes:%llu\r\n"
             "total_net_output_bytes:%llu\r\ntotal_net_repl_input_bytes:0\r\n"
             "total_net_repl_output_bytes:0\r\ninstantaneous_input_kbps:%.2f\r\n"
             "instantaneous_output_kbps:%.2f\r\ninstantaneous_input_repl_kbps:0.00\r\n"
             "instantaneous_output_repl_kbps:0.00\r\nrejected_connections:%llu\r\n"
             "sync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\nexpired_keys:%llu\r\n"
             "expired_stale_perc:0.00\r\nexpired_time_cap_reached_count:0\r\n"
             "expire_cycle_cpu_milliseconds:0\r\nevicted_keys:0\r\nevicted_clients:0\r\n"
             "total_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\n"
             "keyspace_hits:%llu\r\nkeyspace_misses:%llu\r\npubsub_channels:%lld\r\n"
             "pubsub_patterns:%lld\r\npubsubshard_channels:%lld\r\nlatest_fork_usec:0\r\ntotal_forks:0\r\n"
             "migrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\n"
             "active_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\n"
             "total_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\n"
             "tracking_total_keys:0\r\ntracking_total_items:0\r\ntracking_total_prefixes:0\r\n"
             "unexpected_error_replies:%llu\r\ntotal_error_replies:%llu\r\n"
             "dump_payload_sanitizations:0\r\ntotal_reads_processed:%llu\r\n"
             "total_writes_processed:0\r\nio_threaded_reads_processed:0\r\n"
             "io_threaded_writes_processed:0\r\nreply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\n",
             (unsigned long long)atomic_load(&server.statConnections),
             (unsigned long long)hotStatGet(HSTAT_COMMANDS),
             (unsigned long long)cronInstantaneousOps(),
             (unsigned long long)hotStatGet(HSTAT_NET_IN),
             (unsigned long long)hotStatGet(HSTAT_NET_OUT),
             (double)cronInstantaneousNetIn() / 1024, (double)cronInstantaneousNetOut() / 1024,
             (unsigned long long)atomic_load(&server.statRejectedConn),
             (unsigned long long)(atomic_load(&server.statExpiredKeys) + atomic_load(&ks.expiredKeys)),
             (unsigned long long)hotStatGet(HSTAT_HITS),
             (unsigned long long)hotStatGet(HSTAT_MISSES),
             pubsubNumChannels(), pubsubNumPatterns(), pubsubNumShardChannels(),   /* pubsub.c */
             (unsigned long long)atomic_load(&server.statUnexpectedErrors),
             (unsigned long long)hotStatGet(HSTAT_ERRORS),
             (unsigned long long)atomic_load(&server.statNetReadCalls));
}

static void infoReplication(textBuf *b) {
    pthread_once(&replidOnce, replidInit);
    tbPrintf(b,
             "role:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\n"
             "master_replid:%s\r\nmaster_replid2:0000000000000000000000000000000000000000\r\n"
             "master_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\n"
             "repl_backlog_size:%lld\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n",
             replid, cfg.repl_backlog_size);
}

static double tv2s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1000000.0; }

static void infoCpu(textBuf *b) {
    struct rusage self, children, thread;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    getrusage(RUSAGE_THREAD, &thread);
    tbPrintf(b,
             "used_cpu_sys:%f\r\nused_cpu_user:%f\r\nused_cpu_sys_children:%f\r\n"
             "used_cpu_user_children:%f\r\nused_cpu_sys_main_thread:%f\r\n"
             "used_cpu_user_main_thread:%f\r\n",
             tv2s(self.ru_stime), tv2s(self.ru_utime), tv2s(children.ru_stime), tv2s(children.ru_utime),
             tv2s(thread.ru_stime), tv2s(thread.ru_utime));
}

static void commandStatLine(textBuf *b, const cmdDef *cmd) {
    cmdStats st;
    commandStats(cmd, &st);
    if (!st.calls && !st.failed && !st.rejected) return;
    tbPrintf(b, "cmdstat_%s:calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,failed_calls=%llu\r\n",
             cmd->fullname, (unsigned long long)st.calls, (unsigned long long)st.usec,
             st.calls ? (double)st.usec / (double)st.calls : 0, (unsigned long long)st.rejected,
             (unsigned long long)st.failed);
}

static void infoCommandstats(textBuf *b) {
    for (int i = 0; i < commandCount(); i++) {
        cmdDef *cmd = commandByIndex(i);
        commandStatLine(b, cmd);
        if (cmd->subcmds)
            for (cmdDef *s = cmd->subcmds; s->name; s++) commandStatLine(b, s);
    }
}

static void infoErrorstats(textBuf *b) {
    errStat copy[ERRSTAT_MAX];
    rtLockAcquire(&errLock);
    int n = nErrStats;
    memcpy(copy, errStats, sizeof(errStat) * (size_t)n);
    rtLockRelease(&errLock);
    qsort(copy, (size_t)n, sizeof copy[0], errStatCmp);
    for (int i = 0; i < n; i++)
        tbPrintf(b, "errorstat_%s:count=%llu\r\n", copy[i].code, (unsigned long long)copy[i].count);
}

static void infoKeyspace(textBuf *b) {
    int64_t nowms = mstime();
    for (int db = 0; db < ks.ndb; db++) {
        dbFigures f;
        walkDb(db, &f, nowms);
        if (!f.keys) continue;
        tbPrintf(b, "db%d:keys=%llu,expires=%llu,avg_ttl=%lld\r\n", db, (unsigned long long)f.keys,
                 (unsigned long long)f.expires,
                 f.ttlSamples ? (long long)(f.ttlSum / (int64_t)f.ttlSamples) : 0);
    }
}

/* ---- INFO --------------------------------------------------------------------------------------- */

static bool selectSections(int nsect, const char **sect, bool *want) {
    bool any = false;
    memset(want, 0, sizeof(bool) * S_COUNT);
    if (nsect == 0) {
        for (int i = 0; i < S_COUNT; i++) want[i] = sections[i].byDefault;
        return true;
    }
    for (int a = 0; a < nsect; a++) {
        const char *s = sect[a];
        if (!strcasecmp(s, "default")) {
            for (int i = 0; i < S_COUNT; i++) want[i] |= sections[i].byDefault;
        } else if (!strcasecmp(s, "all") || !strcasecmp(s, "everything")) {
            for (int i = 0; i < S_COUNT; i++) want[i] = true;
        } else {
            for (int i = 0; i < S_COUNT; i++)
                if (!strcasecmp(s, sections[i].name)) want[i] = true;
        }
    }
    for (int i = 0; i < S_COUNT; i++) any |= want[i];
    return any;
}

char *infoGenerate(int nsect, const char **sect, size_t *len) {
    bool want[S_COUNT];
    textBuf b = { NULL, 0, 0 };
    tbReserve(&b, 0);
    b.p[0] = '\0';
    if (!selectSections(nsect, sect, want)) {
        *len = 0;
        return b.p;
    }
    clientFigures cf;
    if (want[S_CLIENTS]) walkClients(&cf);
    int printed = 0;
    for (int i = 0; i < S_COUNT; i++) {
        if (!want[i]) continue;
        if (printed++) tbPrintf(&b, "\r\n");
        tbPrintf(&b, "# %s\r\n", sections[i].title);
        switch (i) {
        case S_SERVER: infoServer(&b); break;
        case S_CLIENTS: infoClients(&b, &cf); break;
        case S_MEMORY: infoMemory(&b); break;
        case S_PERSISTENCE: infoPersistence(&b); break;
        case S_STATS: infoStats(&b); break;
        case S_REPLICATION: infoReplication(&b); break;
        case S_CPU: infoCpu(&b); break;
        case S_COMMANDSTATS: infoCommandstats(&b); break;
        case S_ERRORSTATS: infoErrorstats(&b); break;
        case S_CLUSTER: tbPrintf(&b, "cluster_enabled:0\r\n"); break;
        case S_KEYSPACE: infoKeyspace(&b); break;
        default: break;   /* modules, latencystats: nothing to report */
        }
    }
    *len = b.len;
    return b.p;
}

void infoCommand(client *c) {
    size_t len;
    char *text = infoGenerate(c->argc - 1, (const char **)c->argv + 1, &len);
    addReplyVerbatim(c, text, len, "txt");
    zfree(text);
}
