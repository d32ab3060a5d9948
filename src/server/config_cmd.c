/* config_cmd.c — CONFIG GET / SET / RESETSTAT / REWRITE / HELP: the client
 * side of the config module (config.h), which owns the option table, the
 * values, the parsing, the error texts and the rewrite.
 *
 * Concurrency. config.h requires CONFIG SET to run while no other thread
 * reads cfg, because a set frees the old string of a string option and
 * changes multi-word options in place. So CONFIG SET stops the world around
 * configSetEx: every other P is then between Gs, and readers of cfg (which
 * never park in the middle of reading it) cannot be running. CONFIG GET and
 * CONFIG REWRITE only read cfg; since a set can only happen while every
 * other G is off its P, a reader that does not park never sees one half
 * done.
 *
 * Two clients' CONFIG SETs are serialised inside rtStopTheWorld (the
 * runtime's worldsema): the second one yields until the first has restarted
 * the world. CONFIG has no keys, so no shard lock is held when it yields;
 * this is the one place in the family where a handler parks.
 */
#include "server/server_cmds.h"

#include <stdio.h>

static void configGetCommand(client *c) {
    configPair *pairs = NULL;
    size_t n = configGet(c->argc - 2, (const char **)c->argv + 2, &pairs);
    addReplyMapLen(c, (long)n);
    for (size_t i = 0; i < n; i++) {
        addReplyBulkCString(c, pairs[i].name);
        addReplyBulkCString(c, pairs[i].value);
    }
    configPairsFree(pairs, n);
}

static void replyConfigError(client *c, char *err) {
    if (!err) {
        addReplyError(c, "CONFIG failed");
        return;
    }
    /* config.h's texts carry their code ("ERR ..."): send them as they are */
    char *line = zmalloc(strlen(err) + 2);
    line[0] = '-';
    strcpy(line + 1, err);
    for (char *p = line; *p; p++)
        if (*p == '\r' || *p == '\n') *p = ' ';
    addReplyError(c, line);
    zfree(line);
    zfree(err);
}

static void configSetCommand(client *c) {
    if ((c->argc - 2) % 2 != 0) {
        addReplyErrorSyntax(c);
        return;
    }
    int flags = clientIsLocal(c) ? CONFIG_SET_LOCAL : 0;
    char *err = NULL;
    rtStopTheWorld();   /* may yield first if another stop is under way */
    int rc = configSetEx(c->argc - 2, (const char **)c->argv + 2, flags, &err);
    rtStartTheWorld();
    if (rc == CONFIG_OK) addReplyOK(c);
    else replyConfigError(c, err);
}

static void configResetstatCommand(client *c) {
    resetServerStats();
    addReplyOK(c);
}

static void configRewriteCommand(client *c) {
    if (!server.configfile[0]) {
        addReplyError(c, "The server is running without a config file");
        return;
    }
    char *err = NULL;
    if (configRewrite(server.configfile, &err) != CONFIG_OK) {
        serverLog(LL_WARNING, "CONFIG REWRITE failed: %s", err ? err : "?");
        replyConfigError(c, err);
        return;
    }
    serverLog(LL_NOTICE, "CONFIG REWRITE executed with success.");
    addReplyOK(c);
}

static void configHelpCommand(client *c) {
    static const char *help[] = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        NULL };
    addReplyHelp(c, help);
}

#define A_END { 0 }
static const cmdArg getParam[] = { { "parameter", ARG_STRING, NULL, 0, NULL, NULL }, A_END };
static const cmdArg getArgs[] = { { "parameter", ARG_BLOCK, NULL, ARGF_MULTIPLE, getParam, NULL }, A_END };
static const cmdArg setPair[] = {
    { "parameter", ARG_STRING, NULL, 0, NULL, NULL },
    { "value", ARG_STRING, NULL, 0, NULL, NULL }, A_END };
static const cmdArg setArgs[] = {
    { "parameter_value", ARG_BLOCK, NULL, ARGF_MULTIPLE, setPair, NULL }, A_END };

#define CONFIG_ADMIN (CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

cmdDef configSubcommands[] = {
    { .name = "get", .proc = configGetCommand, .arity = -3, .flags = CONFIG_ADMIN, .acl = "",
      .group = "server", .since = "2.0.0", .summary = "Returns the effective values of configuration parameters.",
      .complexity = "O(N) when N is the number of configuration parameters provided", .args = getArgs },
    { .name = "help", .proc = configHelpCommand, .arity = 2, .flags = CMD_LOADING | CMD_STALE, .acl = "",
      .group = "server", .since = "5.0.0", .summary = "Returns helpful text about the different subcommands.",
      .complexity = "O(1)" },
    { .name = "resetstat", .proc = configResetstatCommand, .arity = 2, .flags = CONFIG_ADMIN, .acl = "",
      .group = "server", .since = "2.0.0", .summary = "Resets the server's statistics.", .complexity = "O(1)" },
    { .name = "rewrite", .proc = configRewriteCommand, .arity = 2, .flags = CONFIG_ADMIN, .acl = "",
      .group = "server", .since = "2.8.0",
      .summary = "Persists the effective configuration to file.", .complexity = "O(1)" },
    { .name = "set", .proc = configSetCommand, .arity = -4, .flags = CONFIG_ADMIN, .acl = "",
      .group = "server", .since = "2.0.0", .summary = "Sets configuration parameters in-flight.",
      .complexity = "O(N) when N is the number of configuration parameters provided", .args = setArgs },
    { 0 }
};
