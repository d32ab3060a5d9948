/* test_client.c — CLIENT: ID, GETNAME / SETNAME, INFO and LIST (the line
 * field for field, filters, order), KILL in both forms with every filter,
 * REPLY ON / OFF / SKIP, NO-EVICT and HELP.
 *
 * Checked against redis-server 7.0.15 with ROOST_ORACLE=redis. roost-only
 * behaviour is tested only when the server is roost: CLIENT KILL MAXAGE
 * (Redis 7.4's filter; 7.0 answers a syntax error).
 *
 * Tests that count killed clients start a server of their own, so that the
 * closing connections of earlier tests cannot be counted.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv *s;

/* field returns the value of `name=` in a CLIENT LIST / INFO line (the
 * canonical text of the reply), or "" when absent. */
static const char *field(const char *line, const char *name) {
    const char *p = line;
    size_t n = strlen(name);
    while ((p = strstr(p, name)) != NULL) {
        if ((p == line || p[-1] == ' ' || p[-1] == '"') && p[n] == '=') {
            const char *v = p + n + 1;
            size_t len = strcspn(v, " \\\"");
            return tfmt("%.*s", (int)len, v);
        }
        p += n;
    }
    return "";
}

static long long clientId(redisContext *c) {
    const char *r = cliCall(c, "CLIENT ID");
    return r[0] == ':' ? atoll(r + 1) : -1;
}

static long long rawClientId(raw *r) {
    const char *t = rawCall(r, "CLIENT ID");
    return t[0] == ':' ? atoll(t + 1) : -1;
}

/* ---- ID, names ---------------------------------------------------------------------- */

TEST(client_id_is_unique_and_matches_client_info) {
    redisContext *a = cliConnect(s), *b = cliConnect(s);
    long long ia = clientId(a), ib = clientId(b);
    CHECK(ia > 0 && ib > ia, "ids %lld %lld", ia, ib);
    CHECK_STR(field(cliCall(a, "CLIENT INFO"), "id"), tfmt("%lld", ia));
    EXPECT(a, "CLIENT ID x", "-ERR wrong number of arguments for 'client|id' command");
}

TEST(client_setname_and_getname_round_trip) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CLIENT GETNAME", "(nil)");
    EXPECT(c, "CLIENT SETNAME worker-1", "+OK");
    EXPECT(c, "CLIENT GETNAME", "\"worker-1\"");
    EXPECT_MATCH(c, "CLIENT INFO", "\"id=* name=worker-1 age=*");
    EXPECT(c, "CLIENT SETNAME \"a b\"",
           "-ERR Client names cannot contain spaces, newlines or special characters.");
    EXPECT(c, "CLIENT SETNAME \"a\\nb\"",
           "-ERR Client names cannot contain spaces, newlines or special characters.");
    EXPECT(c, "CLIENT GETNAME", "\"worker-1\"");
    EXPECT(c, "CLIENT SETNAME \"\"", "+OK");
    EXPECT(c, "CLIENT GETNAME", "(nil)");
    EXPECT(c, "CLIENT SETNAME", "-ERR wrong number of arguments for 'client|setname' command");
    EXPECT(c, "CLIENT GETNAME x", "-ERR wrong number of arguments for 'client|getname' command");
}

/* ---- INFO, LIST ------------------------------------------------------------------------ */

TEST(client_info_is_redis_line_field_for_field) {
    redisContext *c = cliConnect(s);
    EXPECT_MATCH(c, "CLIENT INFO",
                 "\"id=* addr=127.0.0.1:* laddr=127.0.0.1:* fd=* name= age=* idle=0 flags=N db=0 "
                 "sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=* argv-mem=10 multi-mem=0 rbs=* rbp=* "
                 "obl=0 oll=0 omem=0 tot-mem=* events=r cmd=client|info user=default redir=-1 resp=2\\n\"");
    EXPECT(c, "SELECT 5", "+OK");
    EXPECT_MATCH(c, "CLIENT INFO", "\"id=* flags=N db=5 sub=0 *");
    EXPECT(c, "CLIENT INFO x", "-ERR wrong number of arguments for 'client|info' command");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW_MATCH(r, "CLIENT INFO", "=txt:id=* cmd=client|info user=default redir=-1 resp=3\\n");
}

TEST(client_list_shows_every_client_oldest_first) {
    redisContext *a = cliConnect(s);
    redisContext *b = cliConnect(s);
    raw *idle = rawConnect(s);           /* connected, never sent a command */
    EXPECT(b, "CLIENT SETNAME bee", "+OK");
    EXPECT(b, "PING", "+PONG");
    long long ia = clientId(a), ib = clientId(b);
    EXPECT(b, "PING", "+PONG");
    const char *list = cliCall(a, "CLIENT LIST");
    const char *la = strstr(list, tfmt("id=%lld ", ia));
    const char *lb = strstr(list, tfmt("id=%lld ", ib));
    CHECK(la && lb && la < lb, "order in: %s", list);
    CHECK(lb && globMatch("id=* name=bee * cmd=ping user=default *", lb), "%s", lb ? lb : list);
    CHECK(la && globMatch("id=* name= * argv-mem=10 * cmd=client|list *", la), "%s", la ? la : list);
    CHECK(globMatch("\"id=*\\nid=*\\n\"", list), "%s", list);
    /* a client that has not sent anything yet */
    EXPECT_MATCH(a, "CLIENT LIST", "*name= age=* idle=* flags=N db=0 * cmd=NULL user=default redir=-1 resp=2\\n*");
    rawClose(idle);
}

TEST(client_list_filters_by_type_and_id) {
    redisContext *a = cliConnect(s), *b = cliConnect(s);
    long long ia = clientId(a), ib = clientId(b);
    /* ID keeps the order of the arguments and skips unknown ids */
    const char *two = cliCall(a, tfmt("CLIENT LIST ID %lld 999999 %lld", ib, ia));
    CHECK(globMatch(tfmt("\"id=%lld *\\nid=%lld *\\n\"", ib, ia), two), "%s", two);
    EXPECT_MATCH(a, tfmt("CLIENT LIST ID %lld", ia), tfmt("\"id=%lld addr=*\\n\"", ia));
    EXPECT(a, "CLIENT LIST ID 0", "\"\"");
    EXPECT(a, "CLIENT LIST ID 999999", "\"\"");
    EXPECT(a, "CLIENT LIST ID 1 x", "-ERR Invalid client ID");
    EXPECT_MATCH(a, "CLIENT LIST TYPE normal", tfmt("*id=%lld *", ia));
    EXPECT_MATCH(a, "CLIENT LIST TYPE NORMAL", tfmt("*id=%lld *", ib));
    EXPECT(a, "CLIENT LIST TYPE pubsub", "\"\"");
    EXPECT(a, "CLIENT LIST TYPE master", "\"\"");
    EXPECT(a, "CLIENT LIST TYPE replica", "\"\"");
    EXPECT(a, "CLIENT LIST TYPE slave", "\"\"");
    EXPECT(a, "CLIENT LIST TYPE foo", "-ERR Unknown client type 'foo'");
    EXPECT(a, "CLIENT LIST TYPE", "-ERR syntax error");
    EXPECT(a, "CLIENT LIST ID", "-ERR syntax error");
    EXPECT(a, "CLIENT LIST foo", "-ERR syntax error");
    EXPECT(a, tfmt("CLIENT LIST TYPE normal ID %lld", ia), "-ERR syntax error");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*}");
    EXPECT_RAW_MATCH(r, tfmt("CLIENT LIST ID %lld", ia), tfmt("=txt:id=%lld *\\n", ia));
}

TEST(client_list_shows_flags_of_monitor_and_no_evict_clients) {
    redisContext *c = cliConnect(s);
    raw *m = rawConnect(s);
    long long im = rawClientId(m);
    EXPECT_RAW(m, "MONITOR", "+OK");
    EXPECT_MATCH(c, tfmt("CLIENT LIST ID %lld", im), "\"id=* flags=O db=0 * cmd=monitor *");
    EXPECT(c, "CLIENT NO-EVICT on", "+OK");
    EXPECT_MATCH(c, "CLIENT INFO", "\"id=* flags=e db=0 *");
    EXPECT(c, "CLIENT NO-EVICT OFF", "+OK");
    EXPECT_MATCH(c, "CLIENT INFO", "\"id=* flags=N db=0 *");
    EXPECT(c, "CLIENT NO-EVICT maybe", "-ERR syntax error");
    EXPECT(c, "CLIENT NO-EVICT", "-ERR wrong number of arguments for 'client|no-evict' command");
}

/* ---- KILL ----------------------------------------------------------------------------------- */

TEST(client_kill_by_address_closes_that_connection) {
    redisContext *a = cliConnect(s);
    raw *b = rawConnect(s);
    long long ib = rawClientId(b);
    const char *addr = field(cliCall(a, tfmt("CLIENT LIST ID %lld", ib)), "addr");
    REQUIRE(addr[0], "no addr for client %lld", ib);
    EXPECT(a, tfmt("CLIENT KILL %s", addr), "+OK");
    CHECK(rawExpectClosed(b, 2000), "the killed client is still connected");
    EXPECT(a, tfmt("CLIENT KILL %s", addr), "-ERR No such client");
    EXPECT(a, "CLIENT KILL 1.2.3.4:5", "-ERR No such client");
    EXPECT(a, "PING", "+PONG");
}

TEST(client_kill_with_filters_counts_what_it_killed) {
    redisContext *a = cliConnect(s);
    raw *b = rawConnect(s);
    long long ib = rawClientId(b);
    EXPECT(a, tfmt("CLIENT KILL ID %lld", ib), ":1");
    CHECK(rawExpectClosed(b, 2000), "the killed client is still connected");
    EXPECT(a, tfmt("CLIENT KILL ID %lld", ib), ":0");
    raw *d = rawConnect(s);
    long long id = rawClientId(d);
    const char *addr = field(cliCall(a, tfmt("CLIENT LIST ID %lld", id)), "addr");
    EXPECT(a, tfmt("CLIENT KILL ADDR %s TYPE normal USER default", addr), ":1");
    CHECK(rawExpectClosed(d, 2000), "the killed client is still connected");
    EXPECT(a, "CLIENT KILL ADDR 1.2.3.4:5", ":0");
    EXPECT(a, "CLIENT KILL TYPE master", ":0");
    EXPECT(a, "CLIENT KILL TYPE pubsub", ":0");
    EXPECT(a, "CLIENT KILL ID 0", "-ERR client-id should be greater than 0");
    EXPECT(a, "CLIENT KILL ID x", "-ERR client-id should be greater than 0");
    EXPECT(a, "CLIENT KILL TYPE foo", "-ERR Unknown client type 'foo'");
    EXPECT(a, "CLIENT KILL USER nobody", "-ERR No such user 'nobody'");
    EXPECT(a, "CLIENT KILL SKIPME maybe", "-ERR syntax error");
    EXPECT(a, "CLIENT KILL foo bar", "-ERR syntax error");
    EXPECT(a, "CLIENT KILL ID 1 TYPE", "-ERR syntax error");
    EXPECT(a, "CLIENT KILL", "-ERR wrong number of arguments for 'client|kill' command");
    if (srvIsOracle()) EXPECT(a, "CLIENT KILL MAXAGE 1", "-ERR syntax error");   /* 7.4+ */
    EXPECT(a, "PING", "+PONG");
}

TEST(client_kill_skips_the_caller_unless_skipme_no) {
    srv *t = srvStart(NULL);
    redisContext *a = cliConnect(t);
    raw *b = rawConnect(t), *d = rawConnect(t);
    EXPECT_RAW(b, "PING", "+PONG");
    EXPECT_RAW(d, "PING", "+PONG");
    const char *laddr = field(cliCall(a, "CLIENT INFO"), "laddr");
    EXPECT(a, tfmt("CLIENT KILL LADDR %s", laddr), ":2");
    CHECK(rawExpectClosed(b, 2000) && rawExpectClosed(d, 2000), "the others are still connected");
    EXPECT(a, "CLIENT KILL USER default", ":0");
    EXPECT(a, "PING", "+PONG");
    raw *self = rawConnect(t);
    EXPECT_RAW(self, "CLIENT KILL USER default SKIPME no", ":2");   /* a and itself */
    CHECK(rawExpectClosed(self, 2000), "the caller is still connected after its reply");
    const char *got = cliCall(a, "PING");
    CHECK(!strcmp(got, "(closed)") || !strncmp(got, "(io error", 9), "a answered %s", got);
}

TEST(client_kill_of_its_own_address_replies_then_closes) {
    redisContext *a = cliConnect(s);
    raw *self = rawConnect(s);
    long long id = rawClientId(self);
    const char *addr = field(cliCall(a, tfmt("CLIENT LIST ID %lld", id)), "addr");
    EXPECT_RAW(self, tfmt("CLIENT KILL %s", addr), "+OK");
    CHECK(rawExpectClosed(self, 2000), "still connected");
    EXPECT(a, tfmt("CLIENT LIST ID %lld", id), "\"\"");
}

TEST(client_kill_maxage_kills_older_connections) {
    if (srvIsOracle()) SKIP("MAXAGE is Redis 7.4's; 7.0 answers a syntax error");
    srv *t = srvStart(NULL);
    raw *old = rawConnect(t);
    EXPECT_RAW(old, "PING", "+PONG");
    harnessSleepMs(2100);
    redisContext *a = cliConnect(t);
    EXPECT(a, "CLIENT KILL MAXAGE 1", ":1");
    CHECK(rawExpectClosed(old, 2000), "the old client is still connected");
    EXPECT(a, "CLIENT KILL MAXAGE 100", ":0");
    EXPECT(a, "CLIENT KILL MAXAGE x", "-ERR value is not an integer or out of range");
    EXPECT(a, "PING", "+PONG");
}

/* ---- REPLY -------------------------------------------------------------------------------------- */

TEST(client_reply_off_and_skip_silence_replies) {
    raw *r = rawConnect(s);
    CHECK(rawCmdLine(r, "CLIENT REPLY OFF"));
    CHECK(rawCmdLine(r, "SET reply:k 1"));
    CHECK(rawCmdLine(r, "GET reply:k"));
    CHECK(rawCmdLine(r, "NOSUCHCOMMAND"));
    EXPECT_RAW(r, "CLIENT REPLY ON", "+OK");
    EXPECT_RAW(r, "GET reply:k", "\"1\"");
    CHECK(rawCmdLine(r, "CLIENT REPLY SKIP"));
    CHECK(rawCmdLine(r, "SET reply:k 2"));
    EXPECT_RAW(r, "GET reply:k", "\"2\"");
    CHECK(rawCmdLine(r, "CLIENT REPLY OFF"));
    CHECK(rawCmdLine(r, "CLIENT REPLY SKIP"));   /* no effect while OFF */
    EXPECT_RAW(r, "CLIENT REPLY ON", "+OK");
    EXPECT_RAW(r, "PING", "+PONG");
    EXPECT_RAW(r, "CLIENT REPLY foo", "-ERR syntax error");
    EXPECT_RAW(r, "CLIENT REPLY", "-ERR wrong number of arguments for 'client|reply' command");
}

/* ---- errors and help -------------------------------------------------------------------------------- */

TEST(client_errors_and_help_match_redis) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CLIENT", "-ERR wrong number of arguments for 'client' command");
    EXPECT(c, "CLIENT foo", "-ERR unknown subcommand 'foo'. Try CLIENT HELP.");
    EXPECT(c, "client Foo bar", "-ERR unknown subcommand 'Foo'. Try CLIENT HELP.");
    EXPECT(c, "CLIENT HELP",
           "[+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, +CACHING (YES|NO), "
           "+    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes., +GETREDIR, "
           "+    Return the client ID we are redirecting to when tracking is enabled., +GETNAME, "
           "+    Return the name of the current connection., +ID, +    Return the ID of the current connection., "
           "+INFO, +    Return information about the current client connection., +KILL <ip:port>, "
           "+    Kill connection made from <ip:port>., +KILL <option> <value> [<option> <value> [...]], "
           "+    Kill connections. Options are:, +    * ADDR (<ip:port>|<unixsocket>:0), "
           "+      Kill connections made from the specified address, "
           "+    * LADDR (<ip:port>|<unixsocket>:0), +      Kill connections made to specified local address, "
           "+    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB), +      Kill connections by type., "
           "+    * USER <username>, +      Kill connections authenticated by <username>., "
           "+    * SKIPME (YES|NO), +      Skip killing current connection (default: yes)., "
           "+LIST [options ...], +    Return information about client connections. Options:, "
           "+    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB), +      Return clients of specified type., +UNPAUSE, "
           "+    Stop the current client pause, resuming traffic., +PAUSE <timeout> [WRITE|ALL], "
           "+    Suspend all, or just write, clients for <timeout> milliseconds., +REPLY (ON|OFF|SKIP), "
           "+    Control the replies sent to the current connection., +SETNAME <name>, "
           "+    Assign the name <name> to the current connection., +UNBLOCK <clientid> [TIMEOUT|ERROR], "
           "+    Unblock the specified blocked client., "
           "+TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]], "
           "+         [OPTIN] [OPTOUT] [NOLOOP], +    Control server assisted client side caching., "
           "+TRACKINGINFO, +    Report tracking status for the current connection., +NO-EVICT (ON|OFF), "
           "+    Protect current client connection from eviction., +HELP, +    Prints this help.]");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    return harnessMain(argc, argv);
}
