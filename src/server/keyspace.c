/* keyspace.c — the keyspace as command handlers see it.
 *
 * Handlers name keys by argv index; call() has hashed every key position
 * into c->arghash and locked the shards. These helpers add what Redis's
 * lookupKey* add: lazy expiry at the command's clock (c->nowms), LRU
 * touch on reads, keyspace hit/miss statistics, WRONGTYPE replies.
 */
#include "server/server.h"
#include "storage/hash.h"

hotStats hotstats[HSTAT_SLOTS];

uint64_t hotStatGet(int which) {
    uint64_t sum = 0;
    for (int p = 0; p < HSTAT_SLOTS; p++)
        sum += atomic_load_explicit(&hotstats[p].v[which], memory_order_relaxed);
    return sum;
}

void hotStatReset(int which) {
    for (int p = 0; p < HSTAT_SLOTS; p++)
        atomic_store_explicit(&hotstats[p].v[which], 0, memory_order_relaxed);
}

uint64_t keyHash(client *c, int i) { return c->arghash[i]; }

shard *cShard(client *c, int i) { return ksShard(c->db, c->arghash[i]); }

static kvobj **findLink(client *c, int i) {
    return dbFindLink(cShard(c, i), c->arghash[i], c->argv[i], c->argvlen[i], c->nowms, false);
}

kvobj **lookupLinkRead(client *c, int i) {
    kvobj **l = findLink(c, i);
    if (l) {
        dbTouch(*l);
        hotStatAdd(HSTAT_HITS, 1);
    } else {
        hotStatAdd(HSTAT_MISSES, 1);
        notifyKeyspaceEvent(c, NOTIFY_KEY_MISS, "keymiss", c->argv[i], c->argvlen[i], c->db);   /* notify.c */
    }
    return l;
}

kvobj **lookupLinkWrite(client *c, int i) {
    kvobj **l = findLink(c, i);
    if (l) dbTouch(*l);
    return l;
}

kvobj *lookupRead(client *c, int i) {
    kvobj **l = lookupLinkRead(c, i);
    return l ? *l : NULL;
}

kvobj *lookupWrite(client *c, int i) {
    kvobj **l = lookupLinkWrite(c, i);
    return l ? *l : NULL;
}

kvobj *lookupReadOrReplyNull(client *c, int i) {
    kvobj *o = lookupRead(c, i);
    if (!o) addReplyNull(c);
    return o;
}

bool checkType(client *c, const kvobj *o, int type) {
    if (kvType(o) == type) return true;
    addReplyErrorWrongType(c);
    return false;
}

void setKey(client *c, int i, kvobj *o) {
    shard *s = cShard(c, i);
    kvobj **l = dbFindLink(s, c->arghash[i], c->argv[i], c->argvlen[i], c->nowms, true);
    dbTouch(o);
    if (l) dbReplaceAt(s, l, o, true);
    else {
        dbAdd(s, c->arghash[i], o);
        notifyKeyspaceEvent(c, NOTIFY_NEW, "new", c->argv[i], c->argvlen[i], c->db);   /* notify.c */
    }
    signalModifiedKey(c, c->db, c->argv[i], c->argvlen[i]);
    if (kvType(o) == OBJ_LIST || kvType(o) == OBJ_ZSET)
        signalKeyAsReady(c, c->db, c->argv[i], c->argvlen[i]);
}

bool deleteKey(client *c, int i) {
    shard *s = cShard(c, i);
    kvobj **l = findLink(c, i);
    if (!l) return false;
    dbDeleteAt(s, l);
    kvtAfterDelete(&s->table);
    signalModifiedKey(c, c->db, c->argv[i], c->argvlen[i]);
    return true;
}

/* keyspaceOnDelete: storage deleted a key by itself (expiry), its shard
 * locked: WATCH sees a modification (and, with pub/sub, an event). */
void keyspaceOnDelete(int db, const char *key, size_t klen, int why) {
    watchKeyDeleted(db, key, klen);
    notifyKeyDeleted(db, key, klen, why);
}

/* notifyKeyspaceEvent lives in notify.c (keyspace notifications). */
