/* test_info.c — INFO: which sections each argument selects and in what
 * order, every section's field names in Redis 7.0's order (exporters key on
 * them), the keyspace line, commandstats and errorstats after some commands,
 * the statistics counters and CONFIG RESETSTAT.
 *
 * Checked against redis-server 7.0.15 with ROOST_ORACLE=redis. roost adds
 * roost_version and roost_threads after Redis's fields in the server
 * section; the field-name checks allow fields after Redis's last one.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv *s;

/* sectionGlob builds the canonical-text glob of one INFO section: its
 * title, then each field of the space-separated list in order, each with
 * any value, then anything (roost's additions). */
static const char *sectionGlob(const char *title, const char *fields) {
    size_t cap = strlen(title) + 4 * strlen(fields) + 64;
    char *g = calloc(1, cap);
    snprintf(g, cap, "\"# %s\\r\\n", title);
    const char *p = fields;
    while (*p) {
        size_t n = strcspn(p, " ");
        strncat(g, p, n);
        strcat(g, ":*\\r\\n");
        p += n;
        while (*p == ' ') p++;
    }
    strcat(g, "*\"");
    const char *res = tfmt("%s", g);
    free(g);
    return res;
}

/* infoField: the value of `name:` in an INFO reply (canonical text), as a
 * number; -1 when absent. */
static long long infoField(const char *info, const char *name) {
    const char *p = strstr(info, tfmt("%s:", name));
    if (!p || (p != info && p[-1] != 'n' && p[-1] != '"')) return -1;
    return atoll(p + strlen(name) + 1);
}

/* sectionTitles: the "# Title" lines of an INFO reply, space-separated. */
static const char *sectionTitles(const char *info) {
    char buf[512] = "";
    for (const char *p = info; (p = strstr(p, "# ")) != NULL; p += 2) {
        if (p != info + 1 && strncmp(p - 2, "\\n", 2) != 0) continue;
        size_t n = strcspn(p + 2, "\\");
        if (buf[0]) strcat(buf, " ");
        strncat(buf, p + 2, n);
    }
    return tfmt("%s", buf);
}

/* ---- sections ------------------------------------------------------------------------ */

TEST(info_without_arguments_prints_the_default_sections) {
    redisContext *c = cliConnect(s);
    const char *want = "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace";
    CHECK_STR(sectionTitles(cliCall(c, "INFO")), want);
    CHECK_STR(sectionTitles(cliCall(c, "INFO default")), want);
    CHECK_STR(sectionTitles(cliCall(c, "INFO DEFAULT commandstats")),
              "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats "
              "Cluster Keyspace");
}

TEST(info_all_and_everything_add_commandstats_and_latencystats) {
    redisContext *c = cliConnect(s);
    const char *want = "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats "
                       "Errorstats Latencystats Cluster Keyspace";
    CHECK_STR(sectionTitles(cliCall(c, "INFO all")), want);
    CHECK_STR(sectionTitles(cliCall(c, "INFO everything")), want);
}

TEST(info_prints_chosen_sections_in_its_own_order) {
    redisContext *c = cliConnect(s);
    EXPECT_MATCH(c, "INFO keyspace CPU",
                 "\"# CPU\\r\\nused_cpu_sys:*\\r\\nused_cpu_user:*\\r\\nused_cpu_sys_children:*\\r\\n"
                 "used_cpu_user_children:*\\r\\nused_cpu_sys_main_thread:*\\r\\n"
                 "used_cpu_user_main_thread:*\\r\\n\\r\\n# Keyspace\\r\\n*\"");
    EXPECT(c, "INFO cluster", "\"# Cluster\\r\\ncluster_enabled:0\\r\\n\"");
    EXPECT(c, "INFO modules", "\"# Modules\\r\\n\"");
    EXPECT(c, "INFO nosuchsection", "\"\"");
    EXPECT(c, "INFO nosuchsection cluster", "\"# Cluster\\r\\ncluster_enabled:0\\r\\n\"");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW(r, "INFO cluster", "=txt:# Cluster\\r\\ncluster_enabled:0\\r\\n");
}

TEST(info_sections_carry_redis_field_names_in_redis_order) {
    redisContext *c = cliConnect(s);
    EXPECT_MATCH(c, "INFO server", sectionGlob("Server",
        "redis_version redis_git_sha1 redis_git_dirty redis_build_id redis_mode os arch_bits "
        "monotonic_clock multiplexing_api atomicvar_api gcc_version process_id process_supervised run_id "
        "tcp_port server_time_usec uptime_in_seconds uptime_in_days hz configured_hz lru_clock executable "
        "config_file io_threads_active"));
    EXPECT_MATCH(c, "INFO clients", sectionGlob("Clients",
        "connected_clients cluster_connections maxclients client_recent_max_input_buffer "
        "client_recent_max_output_buffer blocked_clients tracking_clients clients_in_timeout_table"));
    EXPECT_MATCH(c, "INFO memory", sectionGlob("Memory",
        "used_memory used_memory_human used_memory_rss used_memory_rss_human used_memory_peak "
        "used_memory_peak_human used_memory_peak_perc used_memory_overhead used_memory_startup "
        "used_memory_dataset used_memory_dataset_perc allocator_allocated allocator_active "
        "allocator_resident total_system_memory total_system_memory_human used_memory_lua "
        "used_memory_vm_eval used_memory_lua_human used_memory_scripts_eval number_of_cached_scripts "
        "number_of_functions number_of_libraries used_memory_vm_functions used_memory_vm_total "
        "used_memory_vm_total_human used_memory_functions used_memory_scripts used_memory_scripts_human "
        "maxmemory maxmemory_human maxmemory_policy allocator_frag_ratio allocator_frag_bytes "
        "allocator_rss_ratio allocator_rss_bytes rss_overhead_ratio rss_overhead_bytes "
        "mem_fragmentation_ratio mem_fragmentation_bytes mem_not_counted_for_evict "
        "mem_replication_backlog mem_total_replication_buffers mem_clients_slaves mem_clients_normal "
        "mem_cluster_links mem_aof_buffer mem_allocator active_defrag_running lazyfree_pending_objects "
        "lazyfreed_objects"));
    EXPECT_MATCH(c, "INFO persistence", sectionGlob("Persistence",
        "loading async_loading current_cow_peak current_cow_size current_cow_size_age current_fork_perc "
        "current_save_keys_processed current_save_keys_total rdb_changes_since_last_save "
        "rdb_bgsave_in_progress rdb_last_save_time rdb_last_bgsave_status rdb_last_bgsave_time_sec "
        "rdb_current_bgsave_time_sec rdb_saves rdb_last_cow_size rdb_last_load_keys_expired "
        "rdb_last_load_keys_loaded aof_enabled aof_rewrite_in_progress aof_rewrite_scheduled "
        "aof_last_rewrite_time_sec aof_current_rewrite_time_sec aof_last_bgrewrite_status aof_rewrites "
        "aof_rewrites_consecutive_failures aof_last_write_status aof_last_cow_size "
        "module_fork_in_progress module_fork_last_cow_size"));
    EXPECT_MATCH(c, "INFO stats", sectionGlob("Stats",
        "total_connections_received total_commands_processed instantaneous_ops_per_sec "
        "total_net_input_bytes total_net_output_bytes total_net_repl_input_bytes "
        "total_net_repl_output_bytes instantaneous_input_kbps instantaneous_output_kbps "
        "instantaneous_input_repl_kbps instantaneous_output_repl_kbps rejected_connections sync_full "
        "sync_partial_ok sync_partial_err expired_keys expired_stale_perc expired_time_cap_reached_count "
        "expire_cycle_cpu_milliseconds evicted_keys evicted_clients total_eviction_exceeded_time "
        "current_eviction_exceeded_time keyspace_hits keyspace_misses pubsub_channels pubsub_patterns "
        "pubsubshard_channels latest_fork_usec total_forks migrate_cached_sockets "
        "slave_expires_tracked_keys active_defrag_hits active_defrag_misses active_defrag_key_hits "
        "active_defrag_key_misses total_active_defrag_time current_active_defrag_time "
        "tracking_total_keys tracking_total_items tracking_total_prefixes unexpected_error_replies "
        "total_error_replies dump_payload_sanitizations total_reads_processed total_writes_processed "
        "io_threaded_reads_processed io_threaded_writes_processed reply_buffer_shrinks "
        "reply_buffer_expands"));
    EXPECT_MATCH(c, "INFO replication", sectionGlob("Replication",
        "role connected_slaves master_failover_state master_replid master_replid2 master_repl_offset "
        "second_repl_offset repl_backlog_active repl_backlog_size repl_backlog_first_byte_offset "
        "repl_backlog_histlen"));
    EXPECT_MATCH(c, "INFO cpu", sectionGlob("CPU",
        "used_cpu_sys used_cpu_user used_cpu_sys_children used_cpu_user_children "
        "used_cpu_sys_main_thread used_cpu_user_main_thread"));
}

TEST(info_server_and_replication_values_look_like_redis) {
    redisContext *c = cliConnect(s);
    EXPECT_MATCH(c, "INFO server",
                 tfmt("\"# Server\\r\\nredis_version:7.0.15\\r\\nredis_git_sha1:00000000\\r\\n*"
                      "redis_mode:standalone\\r\\n*arch_bits:64\\r\\nmonotonic_clock:*"
                      "multiplexing_api:epoll\\r\\n*process_supervised:no\\r\\nrun_id:*\\r\\ntcp_port:%d\\r\\n"
                      "*hz:10\\r\\nconfigured_hz:10\\r\\n*config_file:*server.conf\\r\\n*", srvPort(s)));
    const char *info = cliCall(c, "INFO server");
    const char *rid = strstr(info, "run_id:");
    CHECK(rid && strcspn(rid + 7, "\\") == 40, "run_id: %s", info);
    EXPECT_MATCH(c, "INFO replication",
                 "\"# Replication\\r\\nrole:master\\r\\nconnected_slaves:0\\r\\n"
                 "master_failover_state:no-failover\\r\\nmaster_replid:*\\r\\n"
                 "master_replid2:0000000000000000000000000000000000000000\\r\\nmaster_repl_offset:0\\r\\n"
                 "second_repl_offset:-1\\r\\nrepl_backlog_active:0\\r\\nrepl_backlog_size:1048576\\r\\n"
                 "repl_backlog_first_byte_offset:0\\r\\nrepl_backlog_histlen:0\\r\\n\"");
    EXPECT_MATCH(c, "INFO memory", "*\\r\\nmaxmemory:0\\r\\nmaxmemory_human:0B\\r\\nmaxmemory_policy:noeviction\\r\\n*");
    EXPECT(c, "CONFIG SET maxmemory 3mb maxmemory-policy volatile-lru", "+OK");
    EXPECT_MATCH(c, "INFO memory",
                 "*\\r\\nmaxmemory:3145728\\r\\nmaxmemory_human:3.00M\\r\\nmaxmemory_policy:volatile-lru\\r\\n*");
    EXPECT(c, "CONFIG SET maxmemory 0 maxmemory-policy noeviction", "+OK");
}

/* ---- keyspace ---------------------------------------------------------------------------- */

TEST(info_keyspace_counts_keys_and_expires_per_database) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SELECT 11", "+OK");
    EXPECT(c, "SET ks:a 1", "+OK");
    EXPECT(c, "SET ks:b 2 EX 100", "+OK");
    EXPECT(c, "SET ks:c 3", "+OK");
    const char *info = cliCall(c, "INFO keyspace");
    CHECK(globMatch("\"# Keyspace\\r\\n*db11:keys=3,expires=1,avg_ttl=*\\r\\n*", info), "%s", info);
    const char *ttl = strstr(info, "db11:keys=3,expires=1,avg_ttl=");
    long long avg = ttl ? atoll(ttl + strlen("db11:keys=3,expires=1,avg_ttl=")) : -1;
    /* Redis estimates avg_ttl in its expire cycle (0 until it has run) */
    CHECK(avg == 0 || (avg > 90000 && avg <= 100000), "avg_ttl %lld", avg);
    EXPECT(c, "DEL ks:a ks:b ks:c", ":3");
    CHECK(strstr(cliCall(c, "INFO keyspace"), "db11:") == NULL, "empty databases are not listed");
}

/* ---- statistics ------------------------------------------------------------------------------ */

TEST(commandstats_count_calls_rejections_and_failures) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG RESETSTAT", "+OK");
    EXPECT(c, "SET cs:k 1", "+OK");
    EXPECT(c, "SET cs:k 2", "+OK");
    EXPECT(c, "GET cs:k", "\"2\"");
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "CLIENT SETNAME \"a b\"",
           "-ERR Client names cannot contain spaces, newlines or special characters.");
    const char *info = cliCall(c, "INFO commandstats");
    CHECK(globMatch("\"# Commandstats\\r\\n*", info), "%s", info);
    CHECK(globMatch("*\\ncmdstat_set:calls=2,usec=*,usec_per_call=*,rejected_calls=0,failed_calls=0\\r\\n*", info),
          "%s", info);
    CHECK(globMatch("*\\ncmdstat_get:calls=1,usec=*,usec_per_call=*,rejected_calls=1,failed_calls=0\\r\\n*", info),
          "%s", info);
    CHECK(globMatch("*\\ncmdstat_client|setname:calls=1,usec=*,usec_per_call=*,rejected_calls=0,"
                    "failed_calls=1\\r\\n*", info), "%s", info);
    CHECK(globMatch("*\\ncmdstat_config|resetstat:calls=1,usec=*,rejected_calls=0,failed_calls=0\\r\\n*", info),
          "%s", info);
    CHECK(strstr(info, "cmdstat_ping:") == NULL, "reset commands still listed: %s", info);
    EXPECT(c, "CLIENT", "-ERR wrong number of arguments for 'client' command");
    EXPECT_MATCH(c, "INFO commandstats",
                 "*\\ncmdstat_client:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\\r\\n*");
}

TEST(errorstats_count_error_replies_by_code) {
    if (!srvIsOracle())
        SKIP("needs LPUSH (a list type) for its WRONGTYPE case");
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG RESETSTAT", "+OK");
    EXPECT(c, "SET es:k v", "+OK");
    EXPECT(c, "LPUSH es:k x", "-WRONGTYPE Operation against a key holding the wrong kind of value");
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    EXPECT(c, "NOSUCHCOMMAND", "-ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ");
    EXPECT(c, "INFO errorstats", "\"# Errorstats\\r\\nerrorstat_ERR:count=2\\r\\nerrorstat_WRONGTYPE:count=1\\r\\n\"");
    EXPECT_MATCH(c, "INFO stats", "*\\r\\ntotal_error_replies:3\\r\\n*");
    EXPECT(c, "CONFIG RESETSTAT", "+OK");
    EXPECT(c, "INFO errorstats", "\"# Errorstats\\r\\n\"");
}

TEST(stats_count_commands_connections_hits_and_misses) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET st:k v", "+OK");
    EXPECT(c, "CONFIG RESETSTAT", "+OK");
    const char *info = cliCall(c, "INFO stats");
    CHECK(infoField(info, "total_commands_processed") == 1, "%s", info);
    CHECK(infoField(info, "total_connections_received") == 0, "%s", info);
    CHECK(infoField(info, "keyspace_hits") == 0 && infoField(info, "keyspace_misses") == 0, "%s", info);
    EXPECT(c, "GET st:k", "\"v\"");
    EXPECT(c, "GET st:nosuchkey", "(nil)");
    EXPECT(c, "GET st:nosuchkey", "(nil)");
    redisContext *d = cliConnect(s);
    EXPECT(d, "PING", "+PONG");
    info = cliCall(c, "INFO stats");
    CHECK(infoField(info, "keyspace_hits") == 1, "%s", info);
    CHECK(infoField(info, "keyspace_misses") == 2, "%s", info);
    CHECK(infoField(info, "total_connections_received") == 1, "%s", info);
    CHECK(infoField(info, "total_commands_processed") == 6, "%s", info);
    CHECK(infoField(info, "total_net_input_bytes") > 0 && infoField(info, "total_net_output_bytes") > 0, "%s",
          info);
    EXPECT(c, "GET", "-ERR wrong number of arguments for 'get' command");
    CHECK(infoField(cliCall(c, "INFO stats"), "total_error_replies") == 1, "%s", cliCall(c, "INFO stats"));
}

TEST(info_clients_and_memory_follow_what_happens) {
    redisContext *c = cliConnect(s);
    /* earlier tests' connections close asynchronously: wait for them */
    CHECK(WAIT_FOR(infoField(cliCall(c, "INFO clients"), "connected_clients") == 1, 2000),
          "%s", cliCall(c, "INFO clients"));
    long long before = 1;
    redisContext *d = cliConnect(s);
    EXPECT(d, "PING", "+PONG");
    CHECK(infoField(cliCall(c, "INFO clients"), "connected_clients") == before + 1);
    cliClose(d);
    CHECK(WAIT_FOR(infoField(cliCall(c, "INFO clients"), "connected_clients") == before, 2000));
    long long used = infoField(cliCall(c, "INFO memory"), "used_memory");
    char *big = malloc(1000001);
    memset(big, 'm', 1000000);
    big[1000000] = '\0';
    EXPECTF(c, "+OK", "SET mem:big %s", big);
    free(big);
    const char *mem = cliCall(c, "INFO memory");
    long long now = infoField(mem, "used_memory");
    CHECK(now >= used + 1000000, "used_memory %lld -> %lld", used, now);
    CHECK(infoField(mem, "used_memory_peak") >= now, "%s", mem);
    CHECK(infoField(mem, "used_memory_rss") > 0, "%s", mem);
    CHECK(globMatch("*\\r\\nused_memory_human:*.*M\\r\\n*", mem), "%s", mem);
    EXPECT(c, "DEL mem:big", ":1");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
