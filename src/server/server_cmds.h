/* server_cmds.h — what the files of the server / introspection family share
 * (server_cmds.c, info.c, client_cmd.c, command_cmd.c, config_cmd.c,
 * debug.c, slowlog.c). Nothing outside the family includes it: the rest of
 * the server sees these commands only through serverCommands[].
 *
 * Each container command (CLIENT, COMMAND, CONFIG, MEMORY, SLOWLOG) keeps
 * its subcommand table in the file that implements it; server_cmds.c links
 * them into serverCommands[] by name.
 */
#ifndef ROOST_SERVER_CMDS_H
#define ROOST_SERVER_CMDS_H

#include "server/server.h"

/* Reading another client's owner-only fields (db, buffer sizes, flags, the
 * last command) for CLIENT LIST and INFO. They are single aligned words the
 * owning G stores plainly, so a reader may see a value a moment old but
 * never a torn one; RACY_READS_BEGIN/END mark such a block as a benign race
 * for ThreadSanitizer (which would otherwise stop the server). Keep the
 * block to plain loads copied into locals. */
#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#if defined(__SANITIZE_THREAD__)
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
#define RACY_READS_BEGIN() AnnotateIgnoreReadsBegin(__FILE__, __LINE__)
#define RACY_READS_END() AnnotateIgnoreReadsEnd(__FILE__, __LINE__)
#else
#define RACY_READS_BEGIN() ((void)0)
#define RACY_READS_END() ((void)0)
#endif

/* subcommand tables, NULL-name terminated */
extern cmdDef clientSubcommands[];
extern cmdDef commandSubcommands[];
extern cmdDef configSubcommands[];
extern cmdDef slowlogSubcommands[];

/* top-level handlers living outside server_cmds.c */
void infoCommand(client *c);
void commandCommand(client *c);     /* bare COMMAND: every command's info */
void debugCommand(client *c);

/* info.c: the INFO text of one or more sections (section names as INFO
 * takes them: "default", "all", "server", ...); zmalloc'd, *len set. Used by
 * INFO and by MEMORY STATS / DOCTOR for the memory figures. */
char *infoGenerate(int nsect, const char **sect, size_t *len);

/* info.c: the memory figures INFO memory and MEMORY STATS report. */
typedef struct memFigures {
    size_t used, peak, startup, rss, overhead, dataset, clientsNormal;
    size_t allocated, active, resident;
    unsigned long long keys;
} memFigures;
void infoMemFigures(memFigures *m);
/* info.c: one database's key count and hash-table overhead (MEMORY STATS);
 * locks each shard in turn, yields between shards. */
void infoDbOverhead(int db, uint64_t *keys, size_t *mainBytes, size_t *expiresBytes);

/* info.c: per-error-code counters for INFO errorstats. errorStatsIncr takes
 * an error line as addReplyError gets it ("-WRONGTYPE ..." or a bare message,
 * which counts as "ERR"). */
void errorStatsIncr(const char *msg);
void errorStatsReset(void);

/* info.c: CONFIG RESETSTAT's work: every counter INFO stats shows, the
 * command statistics and the error statistics. */
void resetServerStats(void);

/* client_cmd.c: is c connected over a unix socket or from loopback? */
bool clientIsLocal(const client *c);

/* Replies shared by the family's containers. Redis 7.0 ends every subcommand
 * help with "HELP" / "    Prints this help." and names the container as the
 * user typed it (argv[0]); reply.c's versions differ (see the family's
 * notes), so the family uses these. */

/* Convert a memory amount to Redis's "human" form: 1.50K, 2.00M, 0B. */
void bytesToHuman(char *buf, size_t cap, unsigned long long n);

#endif
