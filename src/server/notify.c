/* notify.c — keyspace notifications (notify-keyspace-events), as Redis 7.0
 * sends them.
 *
 * A command that changes a key calls notifyKeyspaceEvent(c, type, event,
 * key, klen, db) after the change (the call sites live in the src/types files and
 * keyspace.c). If `type` (a NOTIFY_* class bit) is enabled in
 * cfg.notify_keyspace_events, it publishes, through pubsub.c:
 *
 *     K: channel "__keyspace@<db>__:<key>"   message <event>
 *     E: channel "__keyevent@<db>__:<event>" message <key>
 *
 * (K first, as in Redis). With neither K nor E, or with the class off, it
 * costs one load and a test: the default "" sends nothing.
 *
 * Storage deletes expired keys itself (lazily in dbFindLink, or in the
 * active cycle) and reports each through ks.onDelete with the shard lock
 * held; keyspace.c's hook calls notifyKeyDeleted, which sends "expired"
 * (class x) with no client. "evicted" (class e) has the same path
 * (KS_DEL_EVICTED) for when roost grows eviction; nothing raises it yet.
 *
 * Locks: this runs with the command's shard locks (or the expiring shard's
 * lock) held, and takes only what pubsub.c takes (a registry lock, then
 * mailbox locks), never a shard lock — the order shard → registry →
 * mailbox of pubsub.c's header. Known difference: an event raised by lazy
 * expiry inside a command of a RESP3 client subscribed to it reaches that
 * client after the command's reply (the hook does not know the client);
 * Redis sends it before. A RESP3 client's own events are pushed where the
 * handler raises them, always before or after the whole reply: for SINTERSTORE
 * and ZRANGESTORE before it (Redis 7.0: after), and never inside an array
 * reply (Redis 7.0 pushes ZPOPMIN's and BZPOPMIN's event between the array
 * header and its elements, a bug 7.2 fixed).
 *
 * Audit: every event of the string, generic, list, hash, set, zset and SORT
 * commands roost implements was compared with Redis 7.0.15 command by
 * command (flags KEA, KEAnm and single classes); test_notify.c keeps them.
 */
#include "server/server.h"

#include <stdio.h>
#include <string.h>

/* publishOn formats "<prefix><db>__:<suffix>" and publishes msg on it. */
static void publishOn(client *c, const char *prefix, int db, const char *suffix, size_t slen,
                      const char *msg, size_t mlen) {
    char small[256];
    size_t plen = strlen(prefix);
    size_t need = plen + 24 + slen;
    char *ch = need <= sizeof small ? small : zmalloc(need);
    size_t o = plen;
    memcpy(ch, prefix, plen);
    o += (size_t)ll2str(ch + o, db);
    memcpy(ch + o, "__:", 3);
    o += 3;
    memcpy(ch + o, suffix, slen);
    o += slen;
    pubsubPublish(c, ch, o, msg, mlen);
    if (ch != small) zfree(ch);
}

void notifyKeyspaceEvent(client *c, int type, const char *event, const char *key, size_t klen, int db) {
    int flags = __atomic_load_n(&cfg.notify_keyspace_events, __ATOMIC_RELAXED);
    if (!(flags & type) || !(flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT))) return;
    size_t elen = strlen(event);
    if (flags & NOTIFY_KEYSPACE) publishOn(c, "__keyspace@", db, key, klen, event, elen);
    if (flags & NOTIFY_KEYEVENT) publishOn(c, "__keyevent@", db, event, elen, key, klen);
}

/* notifyKeyDeleted: storage deleted a key by itself (keyspace.c's
 * ks.onDelete hook; shard lock held, no client). */
void notifyKeyDeleted(int db, const char *key, size_t klen, int why) {
    if (why == KS_DEL_EXPIRED) notifyKeyspaceEvent(NULL, NOTIFY_EXPIRED, "expired", key, klen, db);
    else if (why == KS_DEL_EVICTED) notifyKeyspaceEvent(NULL, NOTIFY_EVICTED, "evicted", key, klen, db);
}

