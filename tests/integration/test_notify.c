/* test_notify.c — keyspace notifications (notify-keyspace-events): which
 * events each command sends, on which channels, with which class letters,
 * and the "expired" events of lazy and active expiry.
 *
 * One subscriber listens with PSUBSCRIBE __key*__:* plus a marker channel;
 * `events` runs a command on another connection, publishes the marker from
 * that same connection (one publisher's messages arrive in order), and
 * returns what the subscriber saw before the marker, as
 * "channel=message" items joined by spaces, e.g.
 *     "__keyspace@0__:k=set __keyevent@0__:set=k".
 *
 * Every expectation is checked against redis-server 7.0.15 with
 * ROOST_ORACLE=redis.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv *s;

typedef struct watcher {
    raw *sub;             /* psubscribed to __key*__:* and to "nmark" */
    redisContext *c;      /* runs the commands and publishes the marker */
} watcher;

static watcher watch(srv *x, const char *flags) {
    watcher w = { rawConnect(x), cliConnect(x) };
    EXPECT(w.c, tfmt("CONFIG SET notify-keyspace-events %s", flags), "+OK");
    EXPECT_RAW(w.sub, "PSUBSCRIBE __key*__:*", "[\"psubscribe\", \"__key*__:*\", :1]");
    EXPECT_RAW(w.sub, "SUBSCRIBE nmark", "[\"subscribe\", \"nmark\", :2]");
    return w;
}

/* item turns a pmessage's canonical text into "channel=message". */
static const char *item(const char *t) {
    char ch[512], msg[512];
    if (sscanf(t, "[\"pmessage\", \"__key*__:*\", \"%511[^\"]\", \"%511[^\"]\"]", ch, msg) == 2)
        return tfmt("%s=%s", ch, msg);
    return tfmt("(unexpected %s)", t);
}

/* drain collects events up to the marker. */
static const char *drain(watcher *w) {
    const char *out = "";
    for (int n = 0; n < 100; n++) {
        const char *t = rawReadReply(w->sub);
        if (!strcmp(t, "[\"message\", \"nmark\", \"m\"]")) return out;
        if (t[0] == '(') return tfmt("%s (%s)", out, t);
        out = out[0] ? tfmt("%s %s", out, item(t)) : item(t);
    }
    return tfmt("%s (too many)", out);
}

/* events runs cmdline on w->c and returns the events it caused. */
static const char *events(watcher *w, const char *cmdline) {
    cliCall(w->c, cmdline);
    cliCall(w->c, "PUBLISH nmark m");
    return drain(w);
}

#define EV(w, cmd, want) CHECK_STR(events(&(w), (cmd)), (want))
#define KS(k, e) "__keyspace@0__:" k "=" e " __keyevent@0__:" e "=" k

/* ---- flags ------------------------------------------------------------------------------------- */

TEST(notify_keyspace_events_flags_round_trip) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG SET notify-keyspace-events KEA", "+OK");
    EXPECT(c, "CONFIG GET notify-keyspace-events", "[\"notify-keyspace-events\", \"AKE\"]");
    EXPECT(c, "CONFIG SET notify-keyspace-events Kg$lnm", "+OK");
    EXPECT(c, "CONFIG GET notify-keyspace-events", "[\"notify-keyspace-events\", \"g$lnKm\"]");
    EXPECT(c, "CONFIG SET notify-keyspace-events Q",
           "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
           "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    EXPECT(c, "CONFIG SET notify-keyspace-events \"\"", "+OK");
    EXPECT(c, "CONFIG GET notify-keyspace-events", "[\"notify-keyspace-events\", \"\"]");
}

TEST(nothing_is_sent_by_default_or_without_K_or_E) {
    watcher w = watch(s, "\"\"");
    EV(w, "SET d:k v", "");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events A", "+OK");   /* classes, no channel type */
    EV(w, "SET d:k v", "");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events K", "+OK");   /* channel type, no class */
    EV(w, "SET d:k v", "");
}

TEST(K_sends_keyspace_channels_only_and_E_keyevent_channels_only) {
    watcher w = watch(s, "K$");
    EV(w, "SET ke:k v", "__keyspace@0__:ke:k=set");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events E$", "+OK");
    EV(w, "SET ke:k v", "__keyevent@0__:set=ke:k");
    EXPECT(w.c, "SELECT 3", "+OK");
    EV(w, "SET ke:k v", "__keyevent@3__:set=ke:k");
    EXPECT(w.c, "SELECT 0", "+OK");
}

TEST(classes_filter_events) {
    watcher w = watch(s, "Kg");
    EV(w, "SET cl:s v", "");
    EV(w, "EXPIRE cl:s 100", "__keyspace@0__:cl:s=expire");
    EV(w, "LPUSH cl:l a", "");
    EV(w, "DEL cl:s cl:l", "__keyspace@0__:cl:s=del __keyspace@0__:cl:l=del");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events Kl", "+OK");
    EV(w, "LPUSH cl:l a", "__keyspace@0__:cl:l=lpush");
    EV(w, "HSET cl:h f v", "");
    EV(w, "LPOP cl:l", "__keyspace@0__:cl:l=lpop");   /* the "del" is class g */
    EXPECT(w.c, "CONFIG SET notify-keyspace-events Khsz", "+OK");
    EV(w, "HSET cl:h f v", "__keyspace@0__:cl:h=hset");
    EV(w, "SADD cl:set a", "__keyspace@0__:cl:set=sadd");
    EV(w, "ZADD cl:z 1 a", "__keyspace@0__:cl:z=zadd");
    EV(w, "SET cl:s v", "");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events KA", "+OK");   /* A: not n, not m */
    EV(w, "SET cl:new v", "__keyspace@0__:cl:new=set");
    EV(w, "GET cl:missing", "");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events Kn", "+OK");
    EV(w, "SET cl:new2 v", "__keyspace@0__:cl:new2=new");
    EV(w, "SET cl:new2 v", "");
    EXPECT(w.c, "CONFIG SET notify-keyspace-events Km", "+OK");
    EV(w, "GET cl:missing", "__keyspace@0__:cl:missing=keymiss");
    EV(w, "EXISTS cl:missing", "__keyspace@0__:cl:missing=keymiss");
    EV(w, "DEL cl:missing", "");   /* writes do not count misses */
    EV(w, "OBJECT ENCODING cl:missing", "");
    EXPECT(w.c, "FLUSHALL", "+OK");
}

/* ---- strings and generic ------------------------------------------------------------------------ */

TEST(string_commands_send_redis_events) {
    watcher w = watch(s, "KEA");
    EV(w, "SET s:k v", KS("s:k", "set"));
    EV(w, "SET s:k v EX 100", KS("s:k", "set") " " KS("s:k", "expire"));
    EV(w, "SET s:k v NX", "");
    EV(w, "SET s:k v GET", KS("s:k", "set"));
    EV(w, "SETNX s:k v", "");
    EV(w, "SETEX s:k 100 v", KS("s:k", "set") " " KS("s:k", "expire"));
    EV(w, "PSETEX s:k 100000 v", KS("s:k", "set") " " KS("s:k", "expire"));
    EV(w, "MSET s:a 1 s:b 2", KS("s:a", "set") " " KS("s:b", "set"));
    EV(w, "MSETNX s:a 1 s:c 3", "");
    EV(w, "APPEND s:k xx", KS("s:k", "append"));
    EV(w, "SETRANGE s:k 1 zz", KS("s:k", "setrange"));
    EV(w, "SETRANGE s:k 1 \"\"", "");
    EV(w, "INCR s:n", KS("s:n", "incrby"));
    EV(w, "INCRBY s:n 5", KS("s:n", "incrby"));
    EV(w, "DECR s:n", KS("s:n", "incrby"));   /* Redis 7.0 calls both incrby */
    EV(w, "DECRBY s:n 2", KS("s:n", "incrby"));
    EV(w, "INCRBYFLOAT s:n 1.5", KS("s:n", "incrbyfloat"));
    EV(w, "INCR s:k", "");   /* error: nothing changed */
    EV(w, "GETSET s:a z", KS("s:a", "set"));
    EV(w, "GETEX s:a EX 100", KS("s:a", "expire"));
    EV(w, "GETEX s:a PERSIST", KS("s:a", "persist"));
    EV(w, "GETEX s:a", "");
    EV(w, "GETDEL s:a", KS("s:a", "del"));
    EV(w, "GETDEL s:a", "");
    EV(w, "GET s:k", "");
}

TEST(new_events_come_first_for_keys_that_come_into_being) {
    watcher w = watch(s, "KEAn");
    EV(w, "SET n:k v", KS("n:k", "new") " " KS("n:k", "set"));
    EV(w, "SET n:k v2", KS("n:k", "set"));
    EV(w, "RPUSH n:l a", KS("n:l", "new") " " KS("n:l", "rpush"));
    EV(w, "HSET n:h f v", KS("n:h", "new") " " KS("n:h", "hset"));
    EV(w, "SADD n:s a", KS("n:s", "new") " " KS("n:s", "sadd"));
    EV(w, "ZADD n:z 1 a", KS("n:z", "new") " " KS("n:z", "zadd"));
    EV(w, "RENAME n:k n:k2", KS("n:k2", "new") " " KS("n:k", "rename_from") " " KS("n:k2", "rename_to"));
    EV(w, "COPY n:k2 n:k3", KS("n:k3", "new") " " KS("n:k3", "copy_to"));
    EV(w, "MOVE n:k3 1", "__keyspace@1__:n:k3=new __keyevent@1__:new=n:k3 " KS("n:k3", "move_from")
                         " __keyspace@1__:n:k3=move_to __keyevent@1__:move_to=n:k3");
    EXPECT(w.c, "FLUSHALL", "+OK");
}

TEST(generic_commands_send_redis_events) {
    watcher w = watch(s, "KEA");
    EV(w, "SET g:k v", KS("g:k", "set"));
    EV(w, "SET g:o v", KS("g:o", "set"));
    EV(w, "EXPIRE g:k 100", KS("g:k", "expire"));
    EV(w, "PEXPIRE g:k 100000", KS("g:k", "expire"));
    EV(w, "EXPIREAT g:k 99999999999", KS("g:k", "expire"));
    EV(w, "EXPIRE g:k 100 NX", "");
    EV(w, "PERSIST g:k", KS("g:k", "persist"));
    EV(w, "PERSIST g:k", "");
    EV(w, "EXPIRE g:nothing 10", "");
    EV(w, "RENAME g:k g:r", KS("g:k", "rename_from") " " KS("g:r", "rename_to"));
    EV(w, "RENAMENX g:r g:o", "");
    EV(w, "COPY g:r g:o", "");
    EV(w, "COPY g:r g:o REPLACE", KS("g:o", "copy_to"));
    EV(w, "MOVE g:o 2", KS("g:o", "move_from") " __keyspace@2__:g:o=move_to __keyevent@2__:move_to=g:o");
    EV(w, "DEL g:r g:nothing", KS("g:r", "del"));
    EV(w, "EXPIRE g:o 0", "");
    EV(w, "SET g:e v", KS("g:e", "set"));
    EV(w, "EXPIRE g:e 0", KS("g:e", "del"));   /* a past time deletes: "del", not "expired" */
    EV(w, "TOUCH g:e", "");
    EXPECT(w.c, "FLUSHALL", "+OK");
}

/* ---- aggregates ------------------------------------------------------------------------------- */

TEST(list_commands_send_redis_events) {
    watcher w = watch(s, "KEA");
    EV(w, "LPUSH l:l a b c", KS("l:l", "lpush"));
    EV(w, "RPUSH l:l d", KS("l:l", "rpush"));
    EV(w, "LPUSHX l:l x", KS("l:l", "lpush"));
    EV(w, "RPUSHX l:l y", KS("l:l", "rpush"));
    EV(w, "LPUSHX l:none x", "");
    EV(w, "LINSERT l:l BEFORE a q", KS("l:l", "linsert"));
    EV(w, "LINSERT l:l BEFORE nothere q", "");
    EV(w, "LSET l:l 0 z", KS("l:l", "lset"));
    EV(w, "LREM l:l 1 z", KS("l:l", "lrem"));
    EV(w, "LREM l:l 1 nothere", "");
    EV(w, "LTRIM l:l 0 2", KS("l:l", "ltrim"));
    EV(w, "LPOP l:l", KS("l:l", "lpop"));
    EV(w, "RPOP l:l 5", KS("l:l", "rpop") " " KS("l:l", "del"));
    EV(w, "RPUSH l:a a b", KS("l:a", "rpush"));
    EV(w, "LMOVE l:a l:b LEFT RIGHT", KS("l:b", "rpush") " " KS("l:a", "lpop"));
    EV(w, "RPOPLPUSH l:a l:b", KS("l:b", "lpush") " " KS("l:a", "rpop") " " KS("l:a", "del"));
    EV(w, "LMPOP 1 l:b LEFT COUNT 10", KS("l:b", "lpop") " " KS("l:b", "del"));
    EV(w, "RPUSH l:t a", KS("l:t", "rpush"));
    EV(w, "LTRIM l:t 1 0", KS("l:t", "ltrim") " " KS("l:t", "del"));
    EV(w, "RPUSH l:so 3 1 2", KS("l:so", "rpush"));
    EV(w, "SORT l:so STORE l:dst", KS("l:dst", "sortstore"));
    EV(w, "SORT l:none STORE l:dst", KS("l:dst", "del"));
    EXPECT(w.c, "FLUSHALL", "+OK");
}

TEST(hash_commands_send_redis_events) {
    watcher w = watch(s, "KEA");
    EV(w, "HSET h:h f v g w", KS("h:h", "hset"));
    EV(w, "HSET h:h f v", KS("h:h", "hset"));   /* sent even when nothing changed */
    EV(w, "HSETNX h:h f v", "");
    EV(w, "HSETNX h:h n v", KS("h:h", "hset"));
    EV(w, "HMSET h:h a b", KS("h:h", "hset"));
    EV(w, "HINCRBY h:h c 1", KS("h:h", "hincrby"));
    EV(w, "HINCRBYFLOAT h:h fl 1.5", KS("h:h", "hincrbyfloat"));
    EV(w, "HDEL h:h f nothere", KS("h:h", "hdel"));
    EV(w, "HDEL h:h nothere", "");
    EV(w, "HDEL h:h g n a c fl", KS("h:h", "hdel") " " KS("h:h", "del"));
    EXPECT(w.c, "FLUSHALL", "+OK");
}

TEST(set_commands_send_redis_events) {
    watcher w = watch(s, "KEA");
    EV(w, "SADD s:s a b c", KS("s:s", "sadd"));
    EV(w, "SADD s:s a", "");
    EV(w, "SREM s:s a", KS("s:s", "srem"));
    EV(w, "SREM s:s nothere", "");
    EV(w, "SPOP s:s", KS("s:s", "spop"));
    EV(w, "SPOP s:s 10", KS("s:s", "spop") " " KS("s:s", "del"));
    EV(w, "SADD s:1 a b c", KS("s:1", "sadd"));
    EV(w, "SADD s:2 b c d", KS("s:2", "sadd"));
    EV(w, "SMOVE s:1 s:2 a", KS("s:1", "srem") " " KS("s:2", "sadd"));
    EV(w, "SMOVE s:1 s:2 nothere", "");
    EV(w, "SMOVE s:1 s:2 b", KS("s:1", "srem"));   /* already in s:2 */
    EV(w, "SINTERSTORE s:d s:1 s:2", KS("s:d", "sinterstore"));
    EV(w, "SUNIONSTORE s:d s:1 s:2", KS("s:d", "sunionstore"));
    EV(w, "SDIFFSTORE s:d s:2 s:1", KS("s:d", "sdiffstore"));
    EV(w, "SDIFFSTORE s:d s:2 s:2", KS("s:d", "del"));
    EV(w, "SADD s:x x", KS("s:x", "sadd"));
    /* the source's "del" comes before the destination's events */
    EV(w, "SMOVE s:x s:y x", KS("s:x", "srem") " " KS("s:x", "del") " " KS("s:y", "sadd"));
    EXPECT(w.c, "FLUSHALL", "+OK");
}

TEST(zset_commands_send_redis_events) {
    watcher w = watch(s, "KEA");
    EV(w, "ZADD z:z 1 a 2 b", KS("z:z", "zadd"));
    EV(w, "ZADD z:z 1 a", "");
    EV(w, "ZADD z:z 3 a", KS("z:z", "zadd"));
    EV(w, "ZADD z:z INCR 1 a", KS("z:z", "zincr"));
    EV(w, "ZADD z:z XX 5 nothere", "");
    EV(w, "ZINCRBY z:z 1 b", KS("z:z", "zincr"));
    EV(w, "ZREM z:z nothere", "");
    EV(w, "ZREM z:z b", KS("z:z", "zrem"));
    EV(w, "ZADD z:z 1 a 2 b 3 c 4 d", KS("z:z", "zadd"));
    EV(w, "ZREMRANGEBYSCORE z:z 100 200", "");
    EV(w, "ZREMRANGEBYSCORE z:z 0 1", KS("z:z", "zremrangebyscore"));
    EV(w, "ZREMRANGEBYRANK z:z 0 0", KS("z:z", "zremrangebyrank"));
    EV(w, "ZADD z:l 0 a 0 b 0 c", KS("z:l", "zadd"));
    EV(w, "ZREMRANGEBYLEX z:l [a [b", KS("z:l", "zremrangebylex"));
    EV(w, "ZPOPMIN z:z", KS("z:z", "zpopmin"));
    EV(w, "ZPOPMAX z:z 5", KS("z:z", "zpopmax") " " KS("z:z", "del"));
    EV(w, "ZADD z:1 1 a 2 b", KS("z:1", "zadd"));
    EV(w, "ZADD z:2 2 b 3 c", KS("z:2", "zadd"));
    EV(w, "ZUNIONSTORE z:d 2 z:1 z:2", KS("z:d", "zunionstore"));
    EV(w, "ZINTERSTORE z:d 2 z:1 z:2", KS("z:d", "zinterstore"));
    EV(w, "ZDIFFSTORE z:d 2 z:1 z:2", KS("z:d", "zdiffstore"));
    EV(w, "ZDIFFSTORE z:d 2 z:1 z:1", KS("z:d", "del"));
    EV(w, "ZRANGESTORE z:d z:1 0 -1", KS("z:d", "zrangestore"));
    EV(w, "ZMPOP 1 z:2 MIN COUNT 5", KS("z:2", "zpopmin") " " KS("z:2", "del"));
    EV(w, "ZREMRANGEBYRANK z:l 0 -1", KS("z:l", "zremrangebyrank") " " KS("z:l", "del"));
    EXPECT(w.c, "FLUSHALL", "+OK");
}

/* ---- expiry ------------------------------------------------------------------------------------ */

TEST(lazy_expiry_sends_expired_before_the_commands_own_events) {
    watcher w = watch(s, "KEA");
    EXPECT(w.c, "DEBUG SET-ACTIVE-EXPIRE 0", "+OK");
    EV(w, "SET x:lazy v PX 1", KS("x:lazy", "set") " " KS("x:lazy", "expire"));
    harnessSleepMs(5);   /* time passing, not synchronisation: the key must be due */
    EV(w, "GET x:lazy", KS("x:lazy", "expired"));
    EV(w, "SET x:lazy2 v PX 1", KS("x:lazy2", "set") " " KS("x:lazy2", "expire"));
    harnessSleepMs(5);
    EV(w, "LPUSH x:lazy2 a", KS("x:lazy2", "expired") " " KS("x:lazy2", "lpush"));
    EXPECT(w.c, "CONFIG SET notify-keyspace-events Ex", "+OK");
    EV(w, "SET x:lazy3 v PX 1", "");
    harnessSleepMs(5);
    EV(w, "EXISTS x:lazy3", "__keyevent@0__:expired=x:lazy3");
    EXPECT(w.c, "DEBUG SET-ACTIVE-EXPIRE 1", "+OK");
    EXPECT(w.c, "FLUSHALL", "+OK");
}

TEST(active_expiry_sends_expired_with_no_command) {
    watcher w = watch(s, "KEA");
    EXPECT(w.c, "SET x:active v PX 50", "+OK");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyspace@0__:x:active\", \"set\"]");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyevent@0__:set\", \"x:active\"]");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyspace@0__:x:active\", \"expire\"]");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyevent@0__:expire\", \"x:active\"]");
    /* nobody touches the key: the active cycle (hz 10) finds it */
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyspace@0__:x:active\", \"expired\"]");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyevent@0__:expired\", \"x:active\"]");
    EXPECT(w.c, "EXISTS x:active", ":0");
}

/* ---- delivery --------------------------------------------------------------------------------- */

TEST(a_resp3_client_sees_its_own_events_before_the_reply) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "CONFIG SET notify-keyspace-events KEA", "+OK");
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*");
    EXPECT_RAW(r, "SUBSCRIBE __keyspace@0__:own", ">[\"subscribe\", \"__keyspace@0__:own\", :1]");
    rawCmdLine(r, "SET own v");
    EXPECT_REPLY(r, ">[\"message\", \"__keyspace@0__:own\", \"set\"]");
    EXPECT_REPLY(r, "+OK");
    rawCmdLine(r, "DEL own");
    EXPECT_REPLY(r, ">[\"message\", \"__keyspace@0__:own\", \"del\"]");
    EXPECT_REPLY(r, ":1");
    EXPECT(c, "SET own v2", "+OK");
    EXPECT_REPLY(r, ">[\"message\", \"__keyspace@0__:own\", \"set\"]");
    EXPECT(c, "CONFIG SET notify-keyspace-events \"\"", "+OK");
}

TEST(keys_with_binary_bytes_are_published_as_is) {
    watcher w = watch(s, "KEA");
    const char *argv[] = { "SET", "bin\x01\xff", "v" };
    size_t lens[] = { 3, 5, 1 };
    EXPECTV(w.c, 3, argv, lens, "+OK");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyspace@0__:bin\\x01\\xff\", \"set\"]");
    EXPECT_REPLY(w.sub, "[\"pmessage\", \"__key*__:*\", \"__keyevent@0__:set\", \"bin\\x01\\xff\"]");
    EXPECT(w.c, "FLUSHALL", "+OK");
}

int main(int argc, char **argv) {
    s = srvStart("enable-debug-command yes");
    return harnessMain(argc, argv);
}
