/* command_cmd.c — COMMAND: the command table as clients see it.
 *
 *   COMMAND                       every command's info
 *   COMMAND COUNT                 number of top-level commands
 *   COMMAND INFO [name ...]       info of the named commands (all if none)
 *   COMMAND DOCS [name ...]       docs of the named commands (all if none)
 *   COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]
 *   COMMAND GETKEYS cmd arg...    the key arguments of a full command line
 *   COMMAND GETKEYSANDFLAGS ...   the same with each key's access flags
 *
 * Reply shapes are Redis 7.0's in RESP2 and RESP3 (flags and categories
 * are sets of simple strings, tips a set of bulk strings, key specs a set of
 * maps, subcommands an array — an empty set when there are none), because
 * clients parse them: redis-cli 7 builds its help and its argument hints
 * from COMMAND DOCS, so the DOCS shape (name, type, key_spec_index, token,
 * since, flags, arguments per argument, in that order) is load-bearing.
 *
 * What the command table cannot say yet, and how it is derived meanwhile
 * (roost differences):
 *  - ACL categories: the table's `acl` words plus Redis's implicit ones
 *    (write, read, admin+dangerous, pubsub, fast or slow, blocking), printed
 *    in Redis's category order;
 *  - command tips: none (cmdDef has no field for them);
 *  - key specs: one "index"/"range" spec from firstkey/lastkey/keystep, and
 *    an "unknown" spec for commands whose keys a getkeys function finds.
 *    Their flags come from the command flags: readonly gives RO+access,
 *    write gives RW+update, anything else RO. Redis's per-key flags (OW, RM,
 *    insert, delete, ...) need a key-spec field in cmdDef.
 *  - history, doc_flags and deprecated_since are not in the table either.
 */
#include "server/server_cmds.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- names ---------------------------------------------------------------------------- */

/* Redis's ACL categories, in the order COMMAND INFO lists them. */
static const char *aclCategories[] = {
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
    "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
    "connection", "transaction", "scripting", NULL };
enum { CAT_READ = 1, CAT_WRITE = 2, CAT_PUBSUB = 12, CAT_ADMIN = 13, CAT_FAST = 14, CAT_SLOW = 15,
       CAT_BLOCKING = 16, CAT_DANGEROUS = 17, CAT_SCRIPTING = 20 };

static int categoryIndex(const char *s, size_t len) {
    for (int i = 0; aclCategories[i]; i++)
        if (strlen(aclCategories[i]) == len && !strncasecmp(aclCategories[i], s, len)) return i;
    return -1;
}

/* commandCategories: bit i set = category i, explicit and implicit. */
static uint32_t commandCategories(const cmdDef *cmd) {
    uint32_t cats = 0;
    const char *p = cmd->acl ? cmd->acl : "";
    while (*p) {
        while (*p == ' ' || *p == '@') p++;
        const char *w = p;
        while (*p && *p != ' ') p++;
        int i = categoryIndex(w, (size_t)(p - w));
        if (i >= 0) cats |= 1u << i;
    }
    uint64_t f = cmd->flags;
    if (f & CMD_WRITE) cats |= 1u << CAT_WRITE;
    if ((f & CMD_READONLY) && !(cats & (1u << CAT_SCRIPTING))) cats |= 1u << CAT_READ;
    if (f & CMD_ADMIN) cats |= (1u << CAT_ADMIN) | (1u << CAT_DANGEROUS);
    if (f & CMD_PUBSUB) cats |= 1u << CAT_PUBSUB;
    if (f & CMD_FAST) cats |= 1u << CAT_FAST;
    if (f & CMD_BLOCKING) cats |= 1u << CAT_BLOCKING;
    if (!(cats & (1u << CAT_FAST))) cats |= 1u << CAT_SLOW;
    return cats;
}

/* Command flags as COMMAND INFO names them, in Redis's order; protected and
 * may_replicate are hidden there too. movablekeys is computed. */
#define CMD_MOVABLE_KEYS_SHOWN (1ull << 63)
static const struct { uint64_t bit; const char *name; } flagNames[] = {
    { CMD_WRITE, "write" }, { CMD_READONLY, "readonly" }, { CMD_DENYOOM, "denyoom" },
    { CMD_ADMIN, "admin" }, { CMD_PUBSUB, "pubsub" }, { CMD_NOSCRIPT, "noscript" },
    { CMD_BLOCKING, "blocking" }, { CMD_LOADING, "loading" }, { CMD_STALE, "stale" },
    { CMD_SKIP_MONITOR, "skip_monitor" }, { CMD_SKIP_SLOWLOG, "skip_slowlog" },
    { CMD_FAST, "fast" }, { CMD_NO_AUTH, "no_auth" }, { CMD_NO_MANDATORY_KEYS, "no_mandatory_keys" },
    { CMD_NO_MULTI, "no_multi" }, { CMD_MOVABLE_KEYS_SHOWN, "movablekeys" },
    { CMD_ALLOW_BUSY, "allow_busy" }, { 0, NULL } };

static uint64_t shownFlags(const cmdDef *cmd) {
    return cmd->flags | (cmd->getkeys ? CMD_MOVABLE_KEYS_SHOWN : 0);
}

static const char *argTypeName(cmdArgType t) {
    switch (t) {
    case ARG_STRING: return "string";
    case ARG_INTEGER: return "integer";
    case ARG_DOUBLE: return "double";
    case ARG_KEY: return "key";
    case ARG_PATTERN: return "pattern";
    case ARG_UNIX_TIME: return "unix-time";
    case ARG_PURE_TOKEN: return "pure-token";
    case ARG_ONEOF: return "oneof";
    case ARG_BLOCK: return "block";
    }
    return "string";
}

/* lookupByFullName: "get", "config|get" (any case); NULL if unknown. */
static cmdDef *lookupByFullName(const char *name, size_t len) {
    const char *bar = memchr(name, '|', len);
    if (!bar) return lookupCommand(name, len);
    cmdDef *base = lookupCommand(name, (size_t)(bar - name));
    if (!base) return NULL;
    const char *sub = bar + 1;
    size_t sublen = len - (size_t)(sub - name);
    if (memchr(sub, '|', sublen)) return NULL;
    return lookupSubcommand(base, sub, sublen);
}

/* pub/sub: the shard channels of SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH sit at
 * key positions (call() locks their shards) but are "not_key" for COMMAND,
 * as in Redis: GETKEYS finds none. */
static bool notKey(const cmdDef *cmd) { return (cmd->flags & CMD_PUBSUB) != 0; }
static bool hasKeys(const cmdDef *cmd) { return (cmd->getkeys || cmd->firstkey > 0) && !notKey(cmd); }

/* ---- key specs ----------------------------------------------------------------------------- */

static int keySpecFlags(const cmdDef *cmd, const char **out) {
    if (notKey(cmd)) { out[0] = "not_key"; return 1; }   /* pub/sub shard channels */
    if (cmd->flags & CMD_WRITE) { out[0] = "RW"; out[1] = "update"; return 2; }
    if (cmd->flags & CMD_READONLY) { out[0] = "RO"; out[1] = "access"; return 2; }
    out[0] = "RO";
    return 1;
}

static void replyStatusSet(client *c, const char **v, int n) {
    addReplySetLen(c, n);
    for (int i = 0; i < n; i++) addReplyStatus(c, v[i]);
}

static void replyKeySpec(client *c, const cmdDef *cmd, bool unknown) {
    const char *fl[4];
    int nfl = keySpecFlags(cmd, fl);
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "flags");
    replyStatusSet(c, fl, nfl);
    addReplyBulkCString(c, "begin_search");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    addReplyBulkCString(c, unknown ? "unknown" : "index");
    addReplyBulkCString(c, "spec");
    if (unknown) {
        addReplyMapLen(c, 0);
    } else {
        addReplyMapLen(c, 1);
        addReplyBulkCString(c, "index");
        addReplyLongLong(c, cmd->firstkey);
    }
    addReplyBulkCString(c, "find_keys");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    addReplyBulkCString(c, unknown ? "unknown" : "range");
    addReplyBulkCString(c, "spec");
    if (unknown) {
        addReplyMapLen(c, 0);
    } else {
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "lastkey");
        addReplyLongLong(c, cmd->lastkey < 0 ? cmd->lastkey : cmd->lastkey - cmd->firstkey);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, cmd->keystep > 0 ? cmd->keystep : 1);
        addReplyBulkCString(c, "limit");
        addReplyLongLong(c, 0);
    }
}

static void replyKeySpecs(client *c, const cmdDef *cmd) {
    bool range = cmd->firstkey > 0, unknown = cmd->getkeys != NULL;
    addReplySetLen(c, (long)range + (long)unknown);
    if (range) replyKeySpec(c, cmd, false);
    if (unknown) replyKeySpec(c, cmd, true);
}

/* ---- COMMAND INFO ----------------------------------------------------------------------------- */

static void replyCommandInfo(client *c, const cmdDef *cmd) {
    addReplyArrayLen(c, 10);
    addReplyBulkCString(c, cmd->fullname);
    addReplyLongLong(c, cmd->arity);
    uint64_t f = shownFlags(cmd);
    size_t h = addReplyDeferredLen(c);
    long n = 0;
    for (int i = 0; flagNames[i].name; i++)
        if (f & flagNames[i].bit) { addReplyStatus(c, flagNames[i].name); n++; }
    setDeferredSetLen(c, h, n);
    addReplyLongLong(c, cmd->firstkey);
    addReplyLongLong(c, cmd->lastkey);
    addReplyLongLong(c, cmd->firstkey > 0 ? (cmd->keystep > 0 ? cmd->keystep : 1) : cmd->keystep);
    uint32_t cats = commandCategories(cmd);
    addReplySetLen(c, __builtin_popcount(cats));
    for (int i = 0; aclCategories[i]; i++) {
        if (!(cats & (1u << i))) continue;
        char buf[32];
        snprintf(buf, sizeof buf, "@%s", aclCategories[i]);
        addReplyStatus(c, buf);
    }
    addReplySetLen(c, 0);   /* tips */
    replyKeySpecs(c, cmd);
    if (cmd->subcmds) {
        long ns = 0;
        for (cmdDef *s = cmd->subcmds; s->name; s++) ns++;
        addReplyArrayLen(c, ns);
        for (cmdDef *s = cmd->subcmds; s->name; s++) replyCommandInfo(c, s);
    } else {
        addReplySetLen(c, 0);
    }
}

void commandCommand(client *c) {
    int n = commandCount();
    addReplyArrayLen(c, n);
    for (int i = 0; i < n; i++) replyCommandInfo(c, commandByIndex(i));
}

static void commandInfoCommand(client *c) {
    if (c->argc == 2) {
        commandCommand(c);
        return;
    }
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        cmdDef *cmd = lookupByFullName(c->argv[i], c->argvlen[i]);
        if (cmd) replyCommandInfo(c, cmd);
        else addReplyNull(c);
    }
}

static void commandCountCommand(client *c) { addReplyLongLong(c, commandCount()); }

/* ---- COMMAND DOCS ------------------------------------------------------------------------------ */

static bool present(const char *s) { return s && s[0]; }

static void replyArgs(client *c, const cmdArg *args, int *keyIndex);

static void replyArg(client *c, const cmdArg *a, int *keyIndex) {
    long n = 2;   /* name, type */
    bool isKey = a->type == ARG_KEY;
    if (isKey) n++;
    if (a->token) n++;
    if (present(a->since)) n++;
    if (a->flags) n++;
    if (a->sub) n++;
    addReplyMapLen(c, n);
    addReplyBulkCString(c, "name");
    addReplyBulkCString(c, a->name);
    addReplyBulkCString(c, "type");
    addReplyBulkCString(c, argTypeName(a->type));
    if (isKey) {
        addReplyBulkCString(c, "key_spec_index");
        addReplyLongLong(c, *keyIndex);
    }
    if (a->token) {
        addReplyBulkCString(c, "token");
        addReplyBulkCString(c, a->token);
    }
    if (present(a->since)) {
        addReplyBulkCString(c, "since");
        addReplyBulkCString(c, a->since);
    }
    if (a->flags) {
        const char *fl[3];
        int nf = 0;
        if (a->flags & ARGF_OPTIONAL) fl[nf++] = "optional";
        if (a->flags & ARGF_MULTIPLE) fl[nf++] = "multiple";
        if (a->flags & ARGF_MULTIPLE_TOKEN) fl[nf++] = "multiple_token";
        addReplyBulkCString(c, "flags");
        replyStatusSet(c, fl, nf);
    }
    if (a->sub) {
        addReplyBulkCString(c, "arguments");
        replyArgs(c, a->sub, keyIndex);
    }
}

static void replyArgs(client *c, const cmdArg *args, int *keyIndex) {
    long n = 0;
    while (args[n].name) n++;
    addReplyArrayLen(c, n);
    for (long i = 0; i < n; i++) replyArg(c, &args[i], keyIndex);
}

static void replyCommandDocs(client *c, const cmdDef *cmd) {
    long n = 0;
    n += present(cmd->summary) + present(cmd->since) + present(cmd->group) + present(cmd->complexity);
    if (cmd->args && cmd->args[0].name) n++;
    if (cmd->subcmds) n++;
    addReplyMapLen(c, n);
    if (present(cmd->summary)) { addReplyBulkCString(c, "summary"); addReplyBulkCString(c, cmd->summary); }
    if (present(cmd->since)) { addReplyBulkCString(c, "since"); addReplyBulkCString(c, cmd->since); }
    if (present(cmd->group)) { addReplyBulkCString(c, "group"); addReplyBulkCString(c, cmd->group); }
    if (present(cmd->complexity)) {
        addReplyBulkCString(c, "complexity");
        addReplyBulkCString(c, cmd->complexity);
    }
    if (cmd->args && cmd->args[0].name) {
        /* Key arguments point at the one derived key spec (see the header). */
        int keyIndex = 0;
        addReplyBulkCString(c, "arguments");
        replyArgs(c, cmd->args, &keyIndex);
    }
    if (cmd->subcmds) {
        long ns = 0;
        for (cmdDef *s = cmd->subcmds; s->name; s++) ns++;
        addReplyBulkCString(c, "subcommands");
        addReplyMapLen(c, ns);
        for (cmdDef *s = cmd->subcmds; s->name; s++) {
            addReplyBulkCString(c, s->fullname);
            replyCommandDocs(c, s);
        }
    }
}

static void commandDocsCommand(client *c) {
    if (c->argc == 2) {
        int n = commandCount();
        addReplyMapLen(c, n);
        for (int i = 0; i < n; i++) {
            cmdDef *cmd = commandByIndex(i);
            addReplyBulkCString(c, cmd->fullname);
            replyCommandDocs(c, cmd);
        }
        return;
    }
    size_t h = addReplyDeferredLen(c);
    long found = 0;
    for (int i = 2; i < c->argc; i++) {
        cmdDef *cmd = lookupByFullName(c->argv[i], c->argvlen[i]);
        if (!cmd) continue;
        addReplyBulkCString(c, cmd->fullname);
        replyCommandDocs(c, cmd);
        found++;
    }
    setDeferredMapLen(c, h, found);
}

/* ---- COMMAND LIST ------------------------------------------------------------------------------ */

enum { FILTER_NONE, FILTER_MODULE, FILTER_ACLCAT, FILTER_PATTERN };

static bool listMatches(client *c, const cmdDef *cmd, int kind) {
    switch (kind) {
    case FILTER_MODULE:
        return false;   /* roost has no modules */
    case FILTER_ACLCAT: {
        int cat = categoryIndex(c->argv[4], c->argvlen[4]);
        return cat >= 0 && (commandCategories(cmd) & (1u << cat));
    }
    case FILTER_PATTERN:
        return globMatch(c->argv[4], c->argvlen[4], cmd->fullname, strlen(cmd->fullname), true);
    }
    return true;
}

static void commandListCommand(client *c) {
    int kind = FILTER_NONE;
    if (c->argc == 5 && argEq(c, 2, "filterby")) {
        if (argEq(c, 3, "module")) kind = FILTER_MODULE;
        else if (argEq(c, 3, "aclcat")) kind = FILTER_ACLCAT;
        else if (argEq(c, 3, "pattern")) kind = FILTER_PATTERN;
        else {
            addReplyErrorSyntax(c);
            return;
        }
    } else if (c->argc != 2) {
        addReplyErrorSyntax(c);
        return;
    }
    size_t h = addReplyDeferredLen(c);
    long n = 0;
    for (int i = 0; i < commandCount(); i++) {
        cmdDef *cmd = commandByIndex(i);
        if (listMatches(c, cmd, kind)) { addReplyBulkCString(c, cmd->fullname); n++; }
        if (!cmd->subcmds) continue;
        for (cmdDef *s = cmd->subcmds; s->name; s++)
            if (listMatches(c, s, kind)) { addReplyBulkCString(c, s->fullname); n++; }
    }
    setDeferredArrayLen(c, h, n);
}

/* ---- COMMAND GETKEYS / GETKEYSANDFLAGS ----------------------------------------------------------- */

#define GETKEYS_MAX 1024

/* commandKeys fills idx with the key positions of the command line
 * argv[0..argc) of cmd (positions relative to that line). */
static int commandKeys(client *c, cmdDef *cmd, int argc, int *idx, int max) {
    if (cmd->getkeys) {
        /* getkeys reads argv through a client: lend it one that sees only
         * the inner command line. */
        client *inner = zcalloc(sizeof *inner);
        inner->argc = argc;
        inner->argv = c->argv + 2;
        inner->argvlen = c->argvlen + 2;
        inner->db = c->db;
        inner->resp = c->resp;
        inner->cmd = cmd;
        inner->nowms = c->nowms;
        inner->nowus = c->nowus;
        int n = cmd->getkeys(inner, argc, idx, max);
        zfree(inner);
        return n < 0 ? 0 : n;
    }
    int last = cmd->lastkey < 0 ? argc + cmd->lastkey : cmd->lastkey;
    if (last >= argc) last = argc - 1;
    int step = cmd->keystep > 0 ? cmd->keystep : 1;
    int n = 0;
    for (int i = cmd->firstkey; i <= last && n < max; i += step) idx[n++] = i;
    return n;
}

static void getkeysGeneric(client *c, bool withFlags) {
    cmdDef *cmd = lookupCommand(c->argv[2], c->argvlen[2]);
    int argc = c->argc - 2;
    if (cmd && cmd->subcmds && argc >= 2) cmd = lookupSubcommand(cmd, c->argv[3], c->argvlen[3]);
    if (!cmd) {
        addReplyError(c, "Invalid command specified");
        return;
    }
    if (!hasKeys(cmd)) {
        addReplyError(c, "The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        addReplyError(c, "Invalid number of arguments specified for command");
        return;
    }
    int *idx = zmalloc(sizeof(int) * GETKEYS_MAX);
    int n = commandKeys(c, cmd, argc, idx, GETKEYS_MAX);
    if (n == 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS) addReplyArrayLen(c, 0);
        else addReplyError(c, "Invalid arguments specified for command");
        zfree(idx);
        return;
    }
    const char *fl[4];
    int nfl = keySpecFlags(cmd, fl);
    addReplyArrayLen(c, n);
    for (int k = 0; k < n; k++) {
        int i = idx[k] + 2;
        if (withFlags) {
            addReplyArrayLen(c, 2);
            addReplyBulk(c, c->argv[i], c->argvlen[i]);
            replyStatusSet(c, fl, nfl);
        } else {
            addReplyBulk(c, c->argv[i], c->argvlen[i]);
        }
    }
    zfree(idx);
}

static void commandGetkeysCommand(client *c) { getkeysGeneric(c, false); }
static void commandGetkeysandflagsCommand(client *c) { getkeysGeneric(c, true); }

static void commandHelpCommand(client *c) {
    static const char *help[] = {
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        NULL };
    addReplyHelp(c, help);
}

/* ---- the table --------------------------------------------------------------------------------- */

#define A_END { 0 }
static const cmdArg nameArgs[] = {
    { "command-name", ARG_STRING, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg filterArgs[] = {
    { "module-name", ARG_STRING, "MODULE", 0, NULL, NULL },
    { "category", ARG_STRING, "ACLCAT", 0, NULL, NULL },
    { "pattern", ARG_PATTERN, "PATTERN", 0, NULL, NULL }, A_END };
static const cmdArg listArgs[] = {
    { "filterby", ARG_ONEOF, "FILTERBY", ARGF_OPTIONAL, filterArgs, NULL }, A_END };

#define SUB(nm, fn, ar, sin, sum, cx, ag)                                                       \
    { .name = nm, .proc = fn, .arity = ar, .flags = CMD_LOADING | CMD_STALE, .acl = "connection", \
      .group = "server", .since = sin, .summary = sum, .complexity = cx, .args = ag }

cmdDef commandSubcommands[] = {
    SUB("count", commandCountCommand, 2, "2.8.13", "Returns a count of commands.", "O(1)", NULL),
    SUB("docs", commandDocsCommand, -2, "7.0.0", "Returns documentary information about one, "
        "multiple or all commands.", "O(N) where N is the number of commands to look up", nameArgs),
    SUB("getkeys", commandGetkeysCommand, -4, "2.8.13", "Extracts the key names from an arbitrary command.",
        "O(N) where N is the number of arguments to the command", NULL),
    SUB("getkeysandflags", commandGetkeysandflagsCommand, -4, "7.0.0",
        "Extracts the key names and access flags for an arbitrary command.",
        "O(N) where N is the number of arguments to the command", NULL),
    SUB("help", commandHelpCommand, 2, "5.0.0", "Returns helpful text about the different subcommands.",
        "O(1)", NULL),
    SUB("info", commandInfoCommand, -2, "2.8.13", "Returns information about one, multiple or all commands.",
        "O(N) where N is the number of commands to look up", nameArgs),
    SUB("list", commandListCommand, -2, "7.0.0", "Returns a list of command names.",
        "O(N) where N is the total number of Redis commands", listArgs),
    { 0 }
};
