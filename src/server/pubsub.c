/* pubsub.c — SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE
 * SUNSUBSCRIBE PUBLISH SPUBLISH PUBSUB, and the registries PUBLISH walks
 * (DESIGN.md §5). Replies, pushes and errors are Redis 7.0's.
 *
 * Registries. Three kinds of subscription, each with a registry mapping a
 * name to the clients subscribed to it:
 *   channels        striped: PS_STRIPES tables, each under its own rtLock,
 *                   picked by the channel name's hash, so PUBLISHes to
 *                   different channels rarely meet on a lock;
 *   shard channels  (SSUBSCRIBE / SPUBLISH) striped the same way;
 *   patterns        one table under one lock; PUBLISH walks every pattern,
 *                   and skips the lock when there are none (npatterns).
 * The tables are a small chained hash table of names (psTable below); an
 * entry of a registry holds the array of its subscribers, and disappears
 * with its last subscriber. These locks are NOT shard locks: a command that
 * publishes (PUBLISH, or any write that raises a keyspace notification)
 * holds its shard locks while it takes them.
 *
 * Lock order (never take one to the left while holding one to its right):
 *
 *     shard locks  →  a registry lock  →  clientsLock  →  a client's mboxLock
 *
 * At most one registry lock is held at a time. clientsLock is taken under
 * a registry lock only to describe a client being killed for its output.
 *
 * Per client. c->pubsub (allocated at the first subscription, freed by
 * freeClient) holds the names the client is subscribed to, one psTable per
 * kind. Only the client's own G reads or writes it, except softSinceMs and
 * limitHit, which publishers touch under a registry lock. The counts
 * c->nsub / npsub / nssub are atomics for CLIENT LIST and INFO; the
 * CLIENT_PUBSUB flag (set while any count is non-zero) is the client's own.
 *
 * Delivery. PUBLISH formats the message once (the first byte, '*' for a
 * RESP2 array or '>' for a RESP3 push, is patched per subscriber) and, under
 * the registry lock, appends it to each subscriber's mailbox with
 * clientMailbox (networking.c), which wakes the subscriber's G; only that G
 * ever writes its socket. No allocation per subscriber beyond the mailbox's
 * own growth. The publisher's own copy (a client subscribed to the channel
 * it publishes to, or notified of its own write) goes straight into its
 * output buffer so it precedes the command's reply, as in Redis. Messages
 * of one publisher reach every subscriber in publishing order: the
 * publisher's G appends them one after another.
 *
 * Lifetime. freeClient calls pubsubFreeClient first: it removes the client
 * from every registry (under each registry's lock) before the fd is closed
 * and the client freed. A publisher holds the registry lock while it
 * appends, so it never sees a freed client, and may killClient it (the fd
 * is still open).
 *
 * Output limit (client-output-buffer-limit pubsub <hard> <soft> <secs>):
 * after each append the publisher adds the mailbox length to the bytes of
 * the subscriber's write in flight (c->unsentOut) and compares with the
 * limits as Redis does: at or over the hard limit the client is killed at
 * once; over the soft limit for more than <secs> seconds it is killed too
 * (the clock starts at the first append found over it and stops at the
 * first found under it). A killed client gets no more messages. The kernel's
 * socket buffers, as in Redis, are not counted.
 *
 * The limit counts the mailbox and the write in flight, not replies the
 * subscriber is building for its own commands (a RESP3 subscriber running
 * a huge KEYS is not judged by the pubsub class); the mailbox buffer keeps
 * its largest size until the client goes (networking.c owns it).
 *
 * Not done: SUBSCRIBE inside MULTI / scripts (no MULTI yet), ACL channel
 * permissions (one user, all channels), cluster slots for the shard
 * commands (standalone: they behave as Redis 7.0 standalone does, a second
 * set of channels). SSUBSCRIBE / SPUBLISH declare their channels as keys
 * (COMMAND INFO / GETKEYS match Redis), so call() locks those shards; that is
 * harmless and follows the lock order above.
 */
#include "server/server.h"
#include "storage/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reading another client's resp (written plainly by its own G, by HELLO):
 * a word-sized racy read, marked benign for ThreadSanitizer as
 * server_cmds.h's RACY_READS does. */
#if defined(__SANITIZE_THREAD__)
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
#define RACY_BEGIN() AnnotateIgnoreReadsBegin(__FILE__, __LINE__)
#define RACY_END() AnnotateIgnoreReadsEnd(__FILE__, __LINE__)
#else
#define RACY_BEGIN() ((void)0)
#define RACY_END() ((void)0)
#endif

/* ---- a small chained hash table of names ------------------------------------------- */

typedef struct psEntry {
    struct psEntry *next;     /* bucket chain */
    uint64_t hash;            /* hashBytes(name) */
    client **subs;            /* registry entries: the subscribers (client tables: unused) */
    int nsubs, capsubs;
    size_t len;
    char name[];              /* len bytes, then a NUL */
} psEntry;

typedef struct psTable {
    psEntry **b;              /* buckets, NULL while empty */
    size_t mask;              /* buckets - 1 */
    size_t used;              /* entries */
} psTable;

/* bucket index: the low bits pick the stripe, so skip them */
static size_t bucketOf(const psTable *t, uint64_t h) { return (size_t)(h >> 8) & t->mask; }

static psEntry *tabFind(const psTable *t, uint64_t h, const char *name, size_t len) {
    if (!t->b) return NULL;
    for (psEntry *e = t->b[bucketOf(t, h)]; e; e = e->next)
        if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0) return e;
    return NULL;
}

static void tabGrow(psTable *t) {
    size_t n = t->b ? (t->mask + 1) * 2 : 8;
    psTable nt = { zcalloc(sizeof(psEntry *) * n), n - 1, t->used };
    for (size_t i = 0; t->b && i <= t->mask; i++) {
        for (psEntry *e = t->b[i], *next; e; e = next) {
            next = e->next;
            size_t j = bucketOf(&nt, e->hash);
            e->next = nt.b[j];
            nt.b[j] = e;
        }
    }
    zfree(t->b);
    *t = nt;
}

/* tabAdd links a new entry for name (which must be absent) and returns it. */
static psEntry *tabAdd(psTable *t, uint64_t h, const char *name, size_t len) {
    if (!t->b || t->used > t->mask) tabGrow(t);
    psEntry *e = zcalloc(sizeof *e + len + 1);
    e->hash = h;
    e->len = len;
    memcpy(e->name, name, len);
    size_t j = bucketOf(t, h);
    e->next = t->b[j];
    t->b[j] = e;
    t->used++;
    return e;
}

/* tabDelete unlinks and frees e. The table never shrinks except when it
 * empties (a registry that had many channels keeps its buckets). */
static void tabDelete(psTable *t, psEntry *e) {
    psEntry **l = &t->b[bucketOf(t, e->hash)];
    while (*l != e) l = &(*l)->next;
    *l = e->next;
    zfree(e->subs);
    zfree(e);
    if (--t->used == 0) {
        zfree(t->b);
        t->b = NULL;
        t->mask = 0;
    }
}

/* tabAny returns some entry, or NULL when the table is empty. */
static psEntry *tabAny(const psTable *t) {
    for (size_t i = 0; t->b && i <= t->mask; i++)
        if (t->b[i]) return t->b[i];
    return NULL;
}

/* ---- registries ---------------------------------------------------------------------- */

enum { PS_CHANNEL, PS_PATTERN, PS_SHARD, PS_KINDS };
#define PS_STRIPES 16

typedef struct psRegistry {
    rtLock lock;              /* guards t and every entry's subscriber array */
    psTable t;
} __attribute__((aligned(64))) psRegistry;

static psRegistry channelReg[PS_STRIPES], shardReg[PS_STRIPES], patternReg;
static _Atomic long long regCount[PS_KINDS];   /* entries per kind (INFO, NUMPAT) */

static psRegistry *registryOf(int kind, uint64_t h) {
    if (kind == PS_PATTERN) return &patternReg;
    return kind == PS_CHANNEL ? &channelReg[h & (PS_STRIPES - 1)] : &shardReg[h & (PS_STRIPES - 1)];
}

static void regAdd(int kind, uint64_t h, const char *name, size_t len, client *c) {
    psRegistry *r = registryOf(kind, h);
    rtLockAcquire(&r->lock);
    psEntry *e = tabFind(&r->t, h, name, len);
    if (!e) {
        e = tabAdd(&r->t, h, name, len);
        atomic_fetch_add(&regCount[kind], 1);
    }
    if (e->nsubs == e->capsubs) {
        e->capsubs = e->capsubs ? e->capsubs * 2 : 4;
        e->subs = zrealloc(e->subs, sizeof(client *) * (size_t)e->capsubs);
    }
    e->subs[e->nsubs++] = c;
    rtLockRelease(&r->lock);
}

/* regRemove: O(subscribers of the name); the order of the others changes. */
static void regRemove(int kind, uint64_t h, const char *name, size_t len, client *c) {
    psRegistry *r = registryOf(kind, h);
    rtLockAcquire(&r->lock);
    psEntry *e = tabFind(&r->t, h, name, len);
    if (!e) {   /* broken invariant: the client's table and the registry disagree */
        serverLog(LL_WARNING, "pubsub: a subscription missing from its registry");
        abort();
    }
    for (int i = 0; i < e->nsubs; i++) {
        if (e->subs[i] == c) {
            e->subs[i] = e->subs[--e->nsubs];
            break;
        }
    }
    if (e->nsubs == 0) {
        tabDelete(&r->t, e);
        atomic_fetch_sub(&regCount[kind], 1);
    }
    rtLockRelease(&r->lock);
}

long long pubsubNumChannels(void) { return atomic_load(&regCount[PS_CHANNEL]); }
long long pubsubNumPatterns(void) { return atomic_load(&regCount[PS_PATTERN]); }
long long pubsubNumShardChannels(void) { return atomic_load(&regCount[PS_SHARD]); }

/* ---- per client ------------------------------------------------------------------------ */

typedef struct pubsubClient {
    psTable names[PS_KINDS];  /* what the client is subscribed to; its own G only */
    _Atomic int64_t softSince;/* unix s when the soft output limit was found exceeded; 0 none */
    _Atomic int limitHit;     /* killed for its output (logged once) */
} pubsubClient;

static const char *const subWord[PS_KINDS] = { "subscribe", "psubscribe", "ssubscribe" };
static const char *const unsubWord[PS_KINDS] = { "unsubscribe", "punsubscribe", "sunsubscribe" };

static _Atomic int *countOf(client *c, int kind) {
    return kind == PS_CHANNEL ? &c->nsub : kind == PS_PATTERN ? &c->npsub : &c->nssub;
}

/* replyCount: the number a (un)subscribe reply carries: channels plus
 * patterns for those two kinds, shard channels for the shard kind. */
static long long replyCount(client *c, int kind) {
    if (kind == PS_SHARD) return atomic_load_explicit(&c->nssub, memory_order_relaxed);
    return atomic_load_explicit(&c->nsub, memory_order_relaxed) +
           atomic_load_explicit(&c->npsub, memory_order_relaxed);
}

static void updatePubsubFlag(client *c) {
    if (c->nsub + c->npsub + c->nssub > 0) c->flags |= CLIENT_PUBSUB;
    else c->flags &= ~CLIENT_PUBSUB;
}

static void replySubscription(client *c, const char *word, const char *name, size_t len, int kind) {
    addReplyPushLen(c, 3);
    addReplyBulkCString(c, word);
    if (name) addReplyBulk(c, name, len);
    else addReplyNull(c);
    addReplyLongLong(c, replyCount(c, kind));
}

static void subscribe(client *c, int kind, const char *name, size_t len) {
    if (!c->pubsub) c->pubsub = zcalloc(sizeof(pubsubClient));
    psTable *mine = &c->pubsub->names[kind];
    uint64_t h = hashBytes(name, len);
    if (!tabFind(mine, h, name, len)) {
        tabAdd(mine, h, name, len);
        regAdd(kind, h, name, len, c);
        atomic_fetch_add(countOf(c, kind), 1);
    }
    c->flags |= CLIENT_PUBSUB;
    replySubscription(c, subWord[kind], name, len, kind);
}

/* unsubscribeEntry drops one of c's subscriptions (e is in c's table). */
static void unsubscribeEntry(client *c, int kind, psEntry *e, bool notify) {
    regRemove(kind, e->hash, e->name, e->len, c);
    atomic_fetch_sub(countOf(c, kind), 1);
    if (notify) {
        addReplyPushLen(c, 3);
        addReplyBulkCString(c, unsubWord[kind]);
        addReplyBulk(c, e->name, e->len);
        addReplyLongLong(c, replyCount(c, kind));
    }
    tabDelete(&c->pubsub->names[kind], e);
}

static void unsubscribe(client *c, int kind, const char *name, size_t len) {
    psEntry *e = c->pubsub ? tabFind(&c->pubsub->names[kind], hashBytes(name, len), name, len) : NULL;
    if (e) unsubscribeEntry(c, kind, e, true);
    else replySubscription(c, unsubWord[kind], name, len, kind);
}

/* unsubscribeAll leaves every subscription of a kind; with notify, one
 * reply per name, or one with a null name when there was none. */
static void unsubscribeAll(client *c, int kind, bool notify) {
    psEntry *e;
    bool any = false;
    while (c->pubsub && (e = tabAny(&c->pubsub->names[kind]))) {
        unsubscribeEntry(c, kind, e, notify);
        any = true;
    }
    if (!any && notify) replySubscription(c, unsubWord[kind], NULL, 0, kind);
}

void pubsubResetClient(client *c) {
    for (int k = 0; k < PS_KINDS; k++) unsubscribeAll(c, k, false);
    updatePubsubFlag(c);
}

void pubsubFreeClient(client *c) {
    if (!c->pubsub) return;
    pubsubResetClient(c);
    zfree(c->pubsub);
    c->pubsub = NULL;
}

/* ---- delivery ---------------------------------------------------------------------------- */

/* A formatted message: "*3\r\n$7\r\nmessage\r\n$<n>\r\n<channel>\r\n$<m>\r\n<msg>\r\n"
 * (or the 4-element pmessage). Small ones live on the stack. */
typedef struct psMsg {
    char *p;
    size_t len;
    char small[512];
} psMsg;

static size_t putBulk(char *p, const char *s, size_t n) {
    size_t o = 0;
    p[o++] = '$';
    o += (size_t)ll2str(p + o, (long long)n);
    p[o++] = '\r';
    p[o++] = '\n';
    memcpy(p + o, s, n);
    o += n;
    p[o++] = '\r';
    p[o++] = '\n';
    return o;
}

/* msgFormat builds [kind, (pattern,) channel, message]; pat may be NULL. */
static void msgFormat(psMsg *m, const char *kind, const char *pat, size_t plen, const char *ch,
                      size_t chlen, const char *msg, size_t mlen) {
    size_t need = 4 + 3 * 25 + strlen(kind) + plen + chlen + mlen + (pat ? 25 : 0);
    m->p = need <= sizeof m->small ? m->small : zmalloc(need);
    size_t o = 0;
    m->p[o++] = '*';
    m->p[o++] = pat ? '4' : '3';
    m->p[o++] = '\r';
    m->p[o++] = '\n';
    o += putBulk(m->p + o, kind, strlen(kind));
    if (pat) o += putBulk(m->p + o, pat, plen);
    o += putBulk(m->p + o, ch, chlen);
    o += putBulk(m->p + o, msg, mlen);
    m->len = o;
}

static void msgFree(psMsg *m) {
    if (m->p != m->small) zfree(m->p);
}

/* checkOutputLimit: Redis's checkClientOutputBufferLimits for the pubsub
 * class, run by the publisher after appending `used` bytes' worth. Called
 * under the registry lock that keeps c alive. */
static void checkOutputLimit(client *c, size_t used) {
    const clientBufferLimit *l = &cfg.client_obuf_limits[OBUF_CLASS_PUBSUB];
    pubsubClient *ps = c->pubsub;
    bool hard = l->hard_limit_bytes && used >= l->hard_limit_bytes;
    bool soft = l->soft_limit_bytes && used >= l->soft_limit_bytes;
    if (soft) {
        int64_t now = mstime() / 1000, since = atomic_load(&ps->softSince);
        if (since == 0) {
            atomic_compare_exchange_strong(&ps->softSince, &since, now);
            soft = false;
        } else if (now - since <= l->soft_limit_seconds) {
            soft = false;
        }
    } else if (atomic_load_explicit(&ps->softSince, memory_order_relaxed)) {
        atomic_store(&ps->softSince, 0);
    }
    if (!(hard || soft) || atomic_exchange(&ps->limitHit, 1)) return;
    char info[1024];
    rtLockAcquire(&clientsLock);
    clientInfoString(c, info, sizeof info);
    rtLockRelease(&clientsLock);
    serverLog(LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
              info);
    killClient(c);
}

/* deliver hands m to sub (registry lock held). */
static void deliver(client *self, client *sub, psMsg *m) {
    RACY_BEGIN();
    int resp = __atomic_load_n(&sub->resp, __ATOMIC_RELAXED);
    RACY_END();
    m->p[0] = resp == 3 ? '>' : '*';
    if (sub == self) {          /* our own G: straight to the output, before the reply */
        uint32_t saved = self->flags;
        self->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP);   /* pushes are not replies */
        addReplyProto(self, m->p, m->len);
        self->flags = saved;
        return;
    }
    if (atomic_load_explicit(&sub->killFlag, memory_order_relaxed)) return;
    size_t queued = clientMailbox(sub, m->p, m->len);
    checkOutputLimit(sub, queued + atomic_load_explicit(&sub->unsentOut, memory_order_relaxed));
}

/* publishTo delivers to the subscribers of name in one striped registry. */
static long long publishTo(int kind, client *self, const char *ch, size_t chlen, const char *msg,
                           size_t mlen) {
    uint64_t h = hashBytes(ch, chlen);
    psRegistry *r = registryOf(kind, h);
    long long n = 0;
    rtLockAcquire(&r->lock);
    psEntry *e = tabFind(&r->t, h, ch, chlen);
    if (e) {
        psMsg m;
        msgFormat(&m, kind == PS_SHARD ? "smessage" : "message", NULL, 0, ch, chlen, msg, mlen);
        for (int i = 0; i < e->nsubs; i++) deliver(self, e->subs[i], &m);
        n = e->nsubs;
        msgFree(&m);
    }
    rtLockRelease(&r->lock);
    return n;
}

static long long publishPatterns(client *self, const char *ch, size_t chlen, const char *msg,
                                 size_t mlen) {
    if (atomic_load_explicit(&regCount[PS_PATTERN], memory_order_relaxed) == 0) return 0;
    long long n = 0;
    rtLockAcquire(&patternReg.lock);
    psTable *t = &patternReg.t;
    for (size_t i = 0; t->b && i <= t->mask; i++) {
        for (psEntry *e = t->b[i]; e; e = e->next) {
            if (!globMatch(e->name, e->len, ch, chlen, false)) continue;
            psMsg m;
            msgFormat(&m, "pmessage", e->name, e->len, ch, chlen, msg, mlen);
            for (int j = 0; j < e->nsubs; j++) deliver(self, e->subs[j], &m);
            n += e->nsubs;
            msgFree(&m);
        }
    }
    rtLockRelease(&patternReg.lock);
    return n;
}

long long pubsubPublish(client *self, const char *ch, size_t chlen, const char *msg, size_t mlen) {
    long long n = publishTo(PS_CHANNEL, self, ch, chlen, msg, mlen);
    return n + publishPatterns(self, ch, chlen, msg, mlen);
}

/* ---- subscribed mode ------------------------------------------------------------------------ */

bool pubsubAllowedInContext(client *c, cmdDef *cmd) {
    static const char *const allowed[] = { "ping", "subscribe", "ssubscribe", "unsubscribe",
                                           "sunsubscribe", "psubscribe", "punsubscribe", "quit",
                                           "reset", NULL };
    const char *name = cmd->parent ? cmd->parent->name : cmd->name;
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(name, allowed[i])) return true;
    addReplyErrorFormat(c, "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                           "QUIT / RESET are allowed in this context", cmd->fullname);
    return false;
}

void pubsubPingReply(client *c) {
    addReplyArrayLen(c, 2);
    addReplyBulk(c, "pong", 4);
    if (c->argc == 1) addReplyBulk(c, "", 0);
    else addReplyBulk(c, c->argv[1], c->argvlen[1]);
}

/* ---- commands ---------------------------------------------------------------------------------- */

static void subscribeGeneric(client *c, int kind) {
    for (int i = 1; i < c->argc; i++) subscribe(c, kind, c->argv[i], c->argvlen[i]);
}

static void unsubscribeGeneric(client *c, int kind) {
    if (c->argc == 1) unsubscribeAll(c, kind, true);
    else for (int i = 1; i < c->argc; i++) unsubscribe(c, kind, c->argv[i], c->argvlen[i]);
    updatePubsubFlag(c);
}

static void subscribeCommand(client *c) { subscribeGeneric(c, PS_CHANNEL); }
static void psubscribeCommand(client *c) { subscribeGeneric(c, PS_PATTERN); }
static void ssubscribeCommand(client *c) { subscribeGeneric(c, PS_SHARD); }
static void unsubscribeCommand(client *c) { unsubscribeGeneric(c, PS_CHANNEL); }
static void punsubscribeCommand(client *c) { unsubscribeGeneric(c, PS_PATTERN); }
static void sunsubscribeCommand(client *c) { unsubscribeGeneric(c, PS_SHARD); }

static void publishCommand(client *c) {
    addReplyLongLong(c, pubsubPublish(c, c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2]));
}

static void spublishCommand(client *c) {
    addReplyLongLong(c, publishTo(PS_SHARD, c, c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2]));
}

/* channelsGeneric: PUBSUB CHANNELS / SHARDCHANNELS [pattern], stripe by
 * stripe (each stripe's lock held while its names are copied out). */
static void channelsGeneric(client *c, psRegistry *stripes) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    const char *pat = c->argc == 3 ? c->argv[2] : NULL;
    size_t plen = c->argc == 3 ? c->argvlen[2] : 0;
    size_t handle = addReplyDeferredLen(c);
    long n = 0;
    for (int s = 0; s < PS_STRIPES; s++) {
        psRegistry *r = &stripes[s];
        rtLockAcquire(&r->lock);
        for (size_t i = 0; r->t.b && i <= r->t.mask; i++) {
            for (psEntry *e = r->t.b[i]; e; e = e->next) {
                if (pat && !globMatch(pat, plen, e->name, e->len, false)) continue;
                addReplyBulk(c, e->name, e->len);
                n++;
            }
        }
        rtLockRelease(&r->lock);
    }
    setDeferredArrayLen(c, handle, n);
}

static void numsubGeneric(client *c, int kind) {
    addReplyArrayLen(c, (long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        uint64_t h = hashBytes(c->argv[j], c->argvlen[j]);
        psRegistry *r = registryOf(kind, h);
        rtLockAcquire(&r->lock);
        psEntry *e = tabFind(&r->t, h, c->argv[j], c->argvlen[j]);
        long long n = e ? e->nsubs : 0;
        rtLockRelease(&r->lock);
        addReplyBulk(c, c->argv[j], c->argvlen[j]);
        addReplyLongLong(c, n);
    }
}

static void pubsubChannelsCommand(client *c) { channelsGeneric(c, channelReg); }
static void pubsubShardchannelsCommand(client *c) { channelsGeneric(c, shardReg); }
static void pubsubNumsubCommand(client *c) { numsubGeneric(c, PS_CHANNEL); }
static void pubsubShardnumsubCommand(client *c) { numsubGeneric(c, PS_SHARD); }
static void pubsubNumpatCommand(client *c) { addReplyLongLong(c, pubsubNumPatterns()); }

static void pubsubHelpCommand(client *c) {
    static const char *help[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        NULL };
    addReplyHelp(c, help);
}

/* ---- the table ----------------------------------------------------------------------------------- */

#define A_END { 0 }
static const cmdArg channelsArg[] = { { "channel", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg patternsArg[] = { { "pattern", ARG_PATTERN, NULL, ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg optChannelsArg[] = {
    { "channel", ARG_STRING, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg optPatternsArg[] = {
    { "pattern", ARG_PATTERN, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg shardsArg[] = { { "shardchannel", ARG_STRING, NULL, ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg optShardsArg[] = {
    { "shardchannel", ARG_STRING, NULL, ARGF_OPTIONAL | ARGF_MULTIPLE, NULL, NULL }, A_END };
static const cmdArg publishArgs[] = {
    { "channel", ARG_STRING, NULL, 0, NULL, NULL },
    { "message", ARG_STRING, NULL, 0, NULL, NULL }, A_END };
static const cmdArg spublishArgs[] = {
    { "shardchannel", ARG_STRING, NULL, 0, NULL, NULL },
    { "message", ARG_STRING, NULL, 0, NULL, NULL }, A_END };
static const cmdArg optPatternArg[] = { { "pattern", ARG_PATTERN, NULL, ARGF_OPTIONAL, NULL, NULL }, A_END };

#define PS_SUB_FLAGS (CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define PS_INFO_FLAGS (CMD_PUBSUB | CMD_LOADING | CMD_STALE)

static cmdDef pubsubSubcommands[] = {
    { .name = "channels", .proc = pubsubChannelsCommand, .arity = -2, .flags = PS_INFO_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.8.0",
      .summary = "Lists the channels that have subscribers, optionally those matching a pattern.",
      .complexity = "O(N) for N active channels, each matched against the pattern if one is given",
      .args = optPatternArg },
    { .name = "help", .proc = pubsubHelpCommand, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
      .acl = "slow", .group = "pubsub", .since = "6.2.0",
      .summary = "Explains the PUBSUB subcommands.", .complexity = "O(1)" },
    { .name = "numpat", .proc = pubsubNumpatCommand, .arity = 2, .flags = PS_INFO_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.8.0",
      .summary = "Counts the distinct patterns clients are subscribed to.", .complexity = "O(1)" },
    { .name = "numsub", .proc = pubsubNumsubCommand, .arity = -2, .flags = PS_INFO_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.8.0",
      .summary = "Counts the direct (non-pattern) subscribers of each given channel.",
      .complexity = "O(N) for N channels asked about", .args = optChannelsArg },
    { .name = "shardchannels", .proc = pubsubShardchannelsCommand, .arity = -2, .flags = PS_INFO_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "7.0.0",
      .summary = "Lists the shard channels that have subscribers, optionally those matching a pattern.",
      .complexity = "O(N) for N active shard channels, each matched against the pattern if one is given",
      .args = optPatternArg },
    { .name = "shardnumsub", .proc = pubsubShardnumsubCommand, .arity = -2, .flags = PS_INFO_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "7.0.0",
      .summary = "Counts the subscribers of each given shard channel.",
      .complexity = "O(N) for N shard channels asked about", .args = optShardsArg },
    { 0 }
};

cmdDef pubsubCommands[] = {
    { .name = "psubscribe", .proc = psubscribeCommand, .arity = -2, .flags = PS_SUB_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.0.0",
      .summary = "Subscribes the connection to channels matching glob-style patterns.",
      .complexity = "O(N) for N patterns", .args = patternsArg },
    { .name = "publish", .proc = publishCommand, .arity = 3,
      .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST, .acl = "pubsub fast",
      .group = "pubsub", .since = "2.0.0",
      .summary = "Sends a message to a channel's subscribers; replies how many received it.",
      .complexity = "O(N+M): N subscribers of the channel, M subscribed patterns (all are matched)",
      .args = publishArgs },
    { .name = "pubsub", .arity = -2, .acl = "slow", .group = "pubsub", .since = "2.8.0",
      .summary = "A container for the pub/sub introspection commands.",
      .complexity = "Depends on subcommand.", .subcmds = pubsubSubcommands },
    { .name = "punsubscribe", .proc = punsubscribeCommand, .arity = -1, .flags = PS_SUB_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.0.0",
      .summary = "Unsubscribes the connection from the given patterns, or from all of them.",
      .complexity = "O(N) for N patterns left", .args = optPatternsArg },
    { .name = "spublish", .proc = spublishCommand, .arity = 3,
      .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST, .firstkey = 1, .lastkey = 1,
      .keystep = 1, .acl = "pubsub fast", .group = "pubsub", .since = "7.0.0",
      .summary = "Sends a message to a shard channel's subscribers; replies how many received it.",
      .complexity = "O(N) for N subscribers of the shard channel", .args = spublishArgs },
    { .name = "ssubscribe", .proc = ssubscribeCommand, .arity = -2, .flags = PS_SUB_FLAGS,
      .firstkey = 1, .lastkey = -1, .keystep = 1, .acl = "pubsub slow", .group = "pubsub",
      .since = "7.0.0", .summary = "Subscribes the connection to shard channels.",
      .complexity = "O(N) for N shard channels", .args = shardsArg },
    { .name = "subscribe", .proc = subscribeCommand, .arity = -2, .flags = PS_SUB_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.0.0",
      .summary = "Subscribes the connection to channels.", .complexity = "O(N) for N channels",
      .args = channelsArg },
    { .name = "sunsubscribe", .proc = sunsubscribeCommand, .arity = -1, .flags = PS_SUB_FLAGS,
      .firstkey = 1, .lastkey = -1, .keystep = 1, .acl = "pubsub slow", .group = "pubsub",
      .since = "7.0.0", .summary = "Unsubscribes the connection from the given shard channels, or from all of them.",
      .complexity = "O(N) for N shard channels left", .args = optShardsArg },
    { .name = "unsubscribe", .proc = unsubscribeCommand, .arity = -1, .flags = PS_SUB_FLAGS,
      .acl = "pubsub slow", .group = "pubsub", .since = "2.0.0",
      .summary = "Unsubscribes the connection from the given channels, or from all of them.",
      .complexity = "O(N) for N channels left", .args = optChannelsArg },
    { 0 }
};
