/* networking.c — listeners, the acceptor Gs, and the client G's loop.
 *
 * One acceptor G per listening socket; one G per client running clientMain:
 *
 *   loop: drain the mailbox (MONITOR / pub/sub output other Gs left)
 *         read into the query buffer            (parks on EAGAIN)
 *         parse and execute every complete command (pipelining)
 *         write the whole output buffer once   (parks while the socket is full)
 *
 * So a batch of N pipelined commands costs one read and one write, and a
 * lone request costs one read, one write and a share of an epoll_wait: the
 * fd layer skips the read that would only say EAGAIN after a short read.
 *
 * Query buffer: qbuf[qpos, qlen) holds unparsed bytes. Arguments of the
 * command being executed point into it (NUL-terminated in place: the byte
 * after a bulk is the consumed '\r'). It grows to what the parser says a big
 * bulk needs and shrinks back when empty.
 *
 * Lifetime: a client is on the clients list from creation until freeClient,
 * which unlinks it under clientsLock before closing its fd, so CLIENT KILL
 * (which evicts the fd under clientsLock) never touches a closed rtFd.
 * Protocol errors get "-ERR Protocol error: ..." and the connection closes
 * after the reply, like Redis.
 */
#include "server/server.h"
#include "server/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define QBUF_INIT (16 * 1024)        /* Redis's PROTO_IOBUF_LEN */
#define QBUF_KEEP (32 * 1024)        /* shrink back to QBUF_INIT above this when empty */
#define OBUF_KEEP (64 * 1024)

rtLock clientsLock;
client *clientsHead;
_Atomic int connectedClients;
rtLock monitorsLock;
client *monitorsHead;
_Atomic int nmonitors;

typedef struct listener {
    rtFd *fd;
    bool isUnix;
    char addr[128];
} listener;

static listener listeners[17];
static int nlisteners;

/* ---- client lifecycle -------------------------------------------------------- */

static void formatAddr(const struct sockaddr_storage *ss, bool isUnix, const char *path,
                       char *out, size_t cap) {
    if (isUnix) {
        snprintf(out, cap, "%s:0", path ? path : "");
        return;
    }
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        port = ntohs(in->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        port = ntohs(in6->sin6_port);
    }
    snprintf(out, cap, "%s:%d", ip, port);
}

static client *createClient(rtFd *fd, bool isUnix, const struct sockaddr_storage *ss) {
    client *c = zcalloc(sizeof *c);
    c->id = atomic_fetch_add(&server.nextClientId, 1) + 1;
    c->fd = fd;
    c->resp = 2;
    c->multiLen = -1;
    c->authenticated = cfg.requirepass == NULL || cfg.requirepass[0] == '\0';
    c->ctime = mstime() / 1000;
    atomic_store(&c->lastInteraction, c->ctime);
    if (isUnix) c->flags |= CLIENT_UNIX_SOCKET;
    respParserInit(&c->parser);
    formatAddr(ss, isUnix, cfg.unixsocket, c->addr, sizeof c->addr);
    struct sockaddr_storage ls;
    socklen_t ll = sizeof ls;
    if (!isUnix && getsockname(rtFdSysfd(fd), (struct sockaddr *)&ls, &ll) == 0)
        formatAddr(&ls, false, NULL, c->laddr, sizeof c->laddr);
    else
        snprintf(c->laddr, sizeof c->laddr, "%s", c->addr);
    rtLockAcquire(&clientsLock);
    c->next = clientsHead;
    if (clientsHead) clientsHead->prev = c;
    clientsHead = c;
    rtLockRelease(&clientsLock);
    atomic_fetch_add(&connectedClients, 1);
    return c;
}

static void freeClient(client *c) {
    pubsubFreeClient(c);   /* pub/sub: off every registry before the fd closes (pubsub.c) */
    rtLockAcquire(&clientsLock);
    if (c->prev) c->prev->next = c->next; else clientsHead = c->next;
    if (c->next) c->next->prev = c->prev;
    rtLockRelease(&clientsLock);
    if (c->flags & CLIENT_MONITOR) {
        rtLockAcquire(&monitorsLock);
        if (c->mprev) c->mprev->mnext = c->mnext; else monitorsHead = c->mnext;
        if (c->mnext) c->mnext->mprev = c->mprev;
        atomic_fetch_sub(&nmonitors, 1);
        rtLockRelease(&monitorsLock);
    }
    atomic_fetch_sub(&connectedClients, 1);
    multiFreeClient(c);
    rtFdClose(c->fd);
    respParserFree(&c->parser);
    zfree(c->qbuf);
    zfree(c->obuf);
    zfree(c->argv);
    zfree(c->argvlen);
    zfree(c->arghash);
    zfree(c->mbox);
    zfree(c->ready);             /* its keys were freed after serving */
    zfree(c);
}

void killClient(client *c) {
    atomic_store(&c->killFlag, 1);
    rtFdEvict(c->fd);
}

size_t clientMailbox(client *c, const char *p, size_t len) {
    rtLockAcquire(&c->mboxLock);
    if (c->mboxLen + len > c->mboxCap) {
        size_t cap = c->mboxCap ? c->mboxCap : 1024;
        while (cap < c->mboxLen + len) cap *= 2;
        c->mbox = zrealloc(c->mbox, cap);
        c->mboxCap = cap;
    }
    memcpy(c->mbox + c->mboxLen, p, len);
    c->mboxLen += len;
    size_t total = c->mboxLen;
    rtLockRelease(&c->mboxLock);
    if (!atomic_exchange(&c->mboxPending, 1)) rtFdWakeReader(c->fd);
    return total;
}

static void drainMailbox(client *c) {
    if (!atomic_load_explicit(&c->mboxPending, memory_order_relaxed)) return;
    atomic_store(&c->mboxPending, 0);
    rtLockAcquire(&c->mboxLock);
    if (c->mboxLen) {
        uint32_t saved = c->flags;
        c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP);   /* pushes are not replies */
        addReplyProto(c, c->mbox, c->mboxLen);
        c->flags = saved;
        c->mboxLen = 0;
    }
    rtLockRelease(&c->mboxLock);
}

void clientSetName(client *c, const char *name, size_t len) {
    rtLockAcquire(&clientsLock);
    if (len >= sizeof c->name) len = sizeof c->name - 1;
    memcpy(c->name, name, len);
    c->name[len] = '\0';
    rtLockRelease(&clientsLock);
}

/* ---- command input -------------------------------------------------------------- */

void clientArgvReserve(client *c, int n) {
    if (n <= c->argvcap) return;
    int cap = c->argvcap ? c->argvcap : 8;
    while (cap < n) cap *= 2;
    c->argv = zrealloc(c->argv, sizeof(*c->argv) * (size_t)cap);
    c->argvlen = zrealloc(c->argvlen, sizeof(*c->argvlen) * (size_t)cap);
    c->arghash = zrealloc(c->arghash, sizeof(*c->arghash) * (size_t)cap);
    c->argvcap = cap;
}

/* setupArgv points argv at the parsed command, NUL-terminating each arg. */
static void setupArgv(client *c, char *base) {
    respParser *p = &c->parser;
    if (p->argc > c->argvcap) clientArgvReserve(c, p->argc);
    c->argc = p->argc;
    for (int i = 0; i < p->argc; i++) {
        char *a = (char *)respArgPtr(p, base, i);
        c->argv[i] = a;
        c->argvlen[i] = p->argv[i].len;
        if (!p->isInline) a[p->argv[i].len] = '\0';   /* the consumed '\r' */
    }
    if (p->isInline) {
        /* inline args sit back to back in inlineBuf: copy them out with NULs */
        size_t total = 0;
        for (int i = 0; i < p->argc; i++) total += p->argv[i].len + 1;
        if (total > c->qcap - c->qlen) {   /* rare: telnet users; use the tail of qbuf */
            c->qbuf = zrealloc(c->qbuf, c->qlen + total);
            c->qcap = zmallocSize(c->qbuf);
        }
        char *dst = c->qbuf + c->qlen;
        for (int i = 0; i < p->argc; i++) {
            memcpy(dst, respArgPtr(p, base, i), p->argv[i].len);
            dst[p->argv[i].len] = '\0';
            c->argv[i] = dst;
            dst += p->argv[i].len + 1;
        }
    }
}

static void afterCommand(client *c) {
    if (c->flags & CLIENT_REPLY_SKIP) c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
        c->flags |= CLIENT_REPLY_SKIP;
    }
}

/* processInput runs every complete command in the query buffer. Returns
 * false when the client must be closed right away. */
static bool processInput(client *c) {
    respLimits lim = { cfg.proto_max_bulk_len, INT_MAX, c->authenticated };
    while (c->qpos < c->qlen && !(c->flags & CLIENT_CLOSE_AFTER_REPLY)) {
        const char *err;
        lim.authenticated = c->authenticated;
        char *base = c->qbuf + c->qpos;
        int r = respParse(&c->parser, base, c->qlen - c->qpos, &lim, &err);
        if (r == RESP_NEED_MORE) break;
        if (r == RESP_ERROR) {
            addReplyErrorFormat(c, "%s", err);
            serverLog(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s",
                      err, (unsigned long long)c->id, c->addr);
            c->flags |= CLIENT_CLOSE_AFTER_REPLY;
            return true;
        }
        if (r == RESP_OK) {
            setupArgv(c, base);
            processCommand(c);
            afterCommand(c);
        }
        c->qpos += c->parser.pos;
        respParserReset(&c->parser);
        if (c->bwait && !blockedWait(c)) return false;
    }
    if (c->qpos == c->qlen) c->qpos = c->qlen = 0;
    return true;
}

/* makeRoom compacts the query buffer and grows it to hold what the parser
 * needs (a big bulk arrives in one buffer). False: over the query buffer
 * limit. */
static bool makeRoom(client *c) {
    if (c->qpos > 0 && (c->qlen == c->qcap || c->qpos >= c->qcap / 2)) {
        memmove(c->qbuf, c->qbuf + c->qpos, c->qlen - c->qpos);
        c->qlen -= c->qpos;
        c->qpos = 0;
    }
    size_t pending = c->qlen - c->qpos;
    size_t need = c->qpos + (c->parser.need > pending ? c->parser.need : pending) + 1;
    /* As in Redis, the limit bounds the bytes not yet parsed into arguments
     * (Redis moves complete arguments out of its query buffer into argv):
     * a long command arriving slowly is not an overflow, a huge bulk is. */
    size_t parsed = c->parser.pos < pending ? c->parser.pos : pending;
    if (pending - parsed > cfg.client_query_buffer_limit) return false;
    if (need < c->qlen + 1024) need = c->qlen + 1024;   /* always read a useful amount */
    if (need > c->qcap) {
        size_t cap = c->qcap ? c->qcap : QBUF_INIT;
        while (cap < need) cap *= 2;
        c->qbuf = zrealloc(c->qbuf, cap);
        c->qcap = zmallocSize(c->qbuf);
    } else if (c->qlen == 0 && c->qcap > QBUF_KEEP) {
        zfree(c->qbuf);
        c->qbuf = zmalloc(QBUF_INIT);
        c->qcap = zmallocSize(c->qbuf);
    }
    if (c->qcap - c->qlen > c->qpeak) c->qpeak = c->qcap - c->qlen;
    return true;
}

/* flush writes the output buffer; false if the connection failed. */
static bool flush(client *c) {
    if (c->olen == 0) return true;
    atomic_store_explicit(&c->unsentOut, c->olen, memory_order_relaxed);   /* pub/sub output limit */
    ssize_t n = rtFdWrite(c->fd, c->obuf, c->olen);
    atomic_store_explicit(&c->unsentOut, 0, memory_order_relaxed);
    if (n < 0) return false;
    hotStatAdd(HSTAT_NET_OUT, (uint64_t)n);
    atomic_store_explicit(&c->totNetOut, atomic_load_explicit(&c->totNetOut, memory_order_relaxed) + (uint64_t)n, memory_order_relaxed);
    c->olen = 0;
    if (c->ocap > OBUF_KEEP) {
        zfree(c->obuf);
        c->obuf = NULL;
        c->ocap = 0;
    }
    return true;
}

/* blockedWait: the client's blocked command waits (blocking.c has the
 * protocol). Output so far goes out first; then the G reads its socket with
 * the block's timeout as deadline, buffering (not running) what arrives, so
 * a disconnect or CLIENT KILL ends the wait at once; a serving writer or
 * CLIENT UNBLOCK wakes the read (RT_EWOKEN). False: the connection is gone
 * (the wait is cleaned up either way). A RETRY may block again: loop. */
bool blockedWait(client *c) {
    while (c->bwait) {
        bool gone = !flush(c);
        rtFdSetDeadline(c->fd, blockingDeadlineNs(c), 'r');
        while (!gone && !blockingEnded(c)) {
            if (atomic_load(&c->killFlag) || !makeRoom(c)) {
                gone = true;
                break;
            }
            ssize_t n = rtFdRead(c->fd, c->qbuf + c->qlen, c->qcap - c->qlen);
            if (n == RT_EWOKEN) continue;
            if (n == RT_ETIMEOUT) {
                if (blockingCancel(c, 0)) break;
                rtFdSetDeadline(c->fd, 0, 'r');   /* a server is serving us: wait */
                continue;
            }
            if (n <= 0) {
                gone = true;
                break;
            }
            c->qlen += (size_t)n;
            hotStatAdd(HSTAT_NET_IN, (uint64_t)n);
            atomic_store_explicit(&c->totNetIn, atomic_load_explicit(&c->totNetIn, memory_order_relaxed) + (uint64_t)n, memory_order_relaxed);
        }
        if (gone && !blockingCancel(c, 3))
            while (!blockingEnded(c)) rtYield();   /* the claimer is nearly done */
        rtFdSetDeadline(c->fd, 0, 'r');
        blockingFinish(c, gone);
        if (gone) return false;
    }
    return true;
}

/* idleTimeoutApplies: does `timeout` close c when idle? Not MONITOR
 * clients nor pub/sub subscribers, as in Redis. */
static bool idleTimeoutApplies(const client *c) {
    return cfg.timeout > 0 && !(c->flags & (CLIENT_MONITOR | CLIENT_PUBSUB));
}

static void clientMain(void *arg) {
    client *c = arg;
    bool armed = false;               /* a read deadline is set on c->fd */
    for (;;) {
        drainMailbox(c);
        if (!flush(c)) break;
        if ((c->flags & CLIENT_CLOSE_AFTER_REPLY) || atomic_load(&c->killFlag)) break;
        if (!makeRoom(c)) {
            serverLog(LL_WARNING, "Closing client that reached max query buffer length: id=%llu addr=%s",
                      (unsigned long long)c->id, c->addr);
            break;
        }
        /* The idle deadline is re-armed before every read (O(1) in the
         * timer heap) and cleared once it stops applying (MONITOR, CONFIG
         * SET timeout 0): a deadline armed earlier must not fire then. */
        if (idleTimeoutApplies(c)) {
            rtFdSetDeadline(c->fd, rtNanotime() + (int64_t)cfg.timeout * 1000000000LL, 'r');
            armed = true;
        } else if (armed) {
            rtFdSetDeadline(c->fd, 0, 'r');
            armed = false;
        }
        ssize_t n = rtFdRead(c->fd, c->qbuf + c->qlen, c->qcap - c->qlen);
        if (n == RT_EWOKEN) continue;
        /* A deadline armed under an older `timeout` (since set to 0, or
         * raised) does not close the client: the loop re-arms or clears it. */
        if (n == RT_ETIMEOUT &&
            (!idleTimeoutApplies(c) ||
             mstime() / 1000 - atomic_load(&c->lastInteraction) < cfg.timeout))
            continue;
        if (n <= 0) {
            if (n == RT_ETIMEOUT) serverLog(LL_VERBOSE, "Closing idle client");
            break;
        }
        c->qlen += (size_t)n;
        hotStatAdd(HSTAT_NET_IN, (uint64_t)n);
        atomic_store_explicit(&c->totNetIn, atomic_load_explicit(&c->totNetIn, memory_order_relaxed) + (uint64_t)n, memory_order_relaxed);
        atomic_store_explicit(&c->lastInteraction, mstime() / 1000, memory_order_relaxed);
        if (!processInput(c)) break;
    }
    freeClient(c);
}

/* ---- accepting ------------------------------------------------------------------- */

static const char *protectedModeMsg =
    "-DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from "
    "the loopback interface. If you want to connect from external computers to Redis you may "
    "adopt one of the following solutions: 1) Just disable protected mode sending the command "
    "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the "
    "same host the server is running, however MAKE SURE Redis is not publicly accessible from "
    "internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively "
    "you can just disable the protected mode by editing the Redis configuration file, and setting "
    "the protected mode option to 'no', and then restarting the server. 3) If you started the "
    "server manually just for testing, restart it with the '--protected-mode no' option. 4) Set "
    "up an authentication password for the default user. NOTE: You only need to do one of the "
    "above things in order for the server to start accepting connections from the outside.\r\n";

static bool isLoopback(const struct sockaddr_storage *ss) {
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    if (ss->ss_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
    return false;
}

/* rejectConnection sends a one-line error and closes (best effort). */
static void rejectConnection(rtFd *fd, const char *msg) {
    rtFdWrite(fd, msg, strlen(msg));
    rtFdClose(fd);
}

static void setupTcp(int s) {
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (cfg.tcp_keepalive > 0) {
        int idle = cfg.tcp_keepalive, intvl = cfg.tcp_keepalive / 3, cnt = 3;
        if (intvl == 0) intvl = 1;
        setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
        setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
        setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
        setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
    }
}

static void handleNewConnection(void *arg) {
    client *c = arg;
    c->g = rtSelf();
    clientMain(c);
}

static void acceptMain(void *arg) {
    listener *l = arg;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int err = 0;
        rtFd *fd = rtFdAccept(l->fd, (struct sockaddr *)&ss, &sl, &err);
        if (!fd) {
            if (err == RT_ECLOSING) return;
            serverLog(LL_WARNING, "Accepting client connection: %s", rtStrerror(err));
            continue;
        }
        atomic_fetch_add_explicit(&server.statConnections, 1, memory_order_relaxed);
        if ((unsigned)atomic_load(&connectedClients) >= cfg.maxclients) {
            atomic_fetch_add_explicit(&server.statRejectedConn, 1, memory_order_relaxed);
            rejectConnection(fd, "-ERR max number of clients reached\r\n");
            continue;
        }
        if (!l->isUnix && cfg.protected_mode && (!cfg.requirepass || !cfg.requirepass[0]) &&
            !isLoopback(&ss)) {
            atomic_fetch_add_explicit(&server.statRejectedConn, 1, memory_order_relaxed);
            rejectConnection(fd, protectedModeMsg);
            continue;
        }
        if (!l->isUnix) setupTcp(rtFdSysfd(fd));
        client *c = createClient(fd, l->isUnix, &ss);
        serverLog(LL_VERBOSE, "Accepted %s", c->addr);
        rtGo(handleNewConnection, c);
    }
}

static int somaxconn(void) {
    FILE *f = fopen("/proc/sys/net/core/somaxconn", "r");
    int v = 0;
    if (f) {
        if (fscanf(f, "%d", &v) != 1) v = 0;
        fclose(f);
    }
    return v;
}

int listenersStart(char **errOut) {
    static char err[256];
    int backlog = cfg.tcp_backlog;
    int max = somaxconn();
    if (max > 0 && max < backlog) {
        serverLog(LL_WARNING, "WARNING: The TCP backlog setting of %d cannot be enforced because "
                  "/proc/sys/net/core/somaxconn is set to the lower value of %d.", backlog, max);
        backlog = max;
    }
    if (cfg.port != 0) {
        for (int i = 0; i < cfg.bind_count && nlisteners < 16; i++) {
            const char *addr = cfg.bind[i];
            bool optional = addr[0] == '-';
            if (optional) addr++;
            int e = 0;
            rtFd *fd = rtListenTCP(addr, cfg.port, backlog, &e);
            if (!fd) {
                if (optional) continue;
                snprintf(err, sizeof err, "Could not create server TCP listening socket %s:%d: %s",
                         addr, cfg.port, rtStrerror(e));
                *errOut = err;
                return -1;
            }
            listener *l = &listeners[nlisteners++];
            l->fd = fd;
            snprintf(l->addr, sizeof l->addr, "%s:%d", addr, cfg.port);
        }
    }
    if (cfg.unixsocket && cfg.unixsocket[0]) {
        int e = 0;
        rtFd *fd = rtListenUnix(cfg.unixsocket, backlog, &e);
        if (!fd) {
            snprintf(err, sizeof err, "Failed opening Unix socket: %s", rtStrerror(e));
            *errOut = err;
            return -1;
        }
        if (cfg.unixsocketperm) chmod(cfg.unixsocket, (mode_t)cfg.unixsocketperm);
        listener *l = &listeners[nlisteners++];
        l->fd = fd;
        l->isUnix = true;
        snprintf(l->addr, sizeof l->addr, "%s", cfg.unixsocket);
    }
    if (nlisteners == 0) {
        *errOut = "Configured to not listen anywhere, exiting.";
        return -1;
    }
    for (int i = 0; i < nlisteners; i++) rtGo(acceptMain, &listeners[i]);
    return 0;
}

void listenersStop(void) {
    for (int i = 0; i < nlisteners; i++) {
        rtFdClose(listeners[i].fd);
        if (listeners[i].isUnix) unlink(listeners[i].addr);
    }
    nlisteners = 0;
}

/* ---- MONITOR ------------------------------------------------------------------------ */

/* catRepr appends s quoted like Redis's sdscatrepr. */
static size_t catRepr(char *out, size_t cap, const char *s, size_t len) {
    size_t o = 0;
#define PUT(ch) do { if (o < cap) out[o] = (ch); o++; } while (0)
    PUT('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '\\': case '"': PUT('\\'); PUT((char)ch); break;
        case '\n': PUT('\\'); PUT('n'); break;
        case '\r': PUT('\\'); PUT('r'); break;
        case '\t': PUT('\\'); PUT('t'); break;
        case '\a': PUT('\\'); PUT('a'); break;
        case '\b': PUT('\\'); PUT('b'); break;
        default:
            if (ch >= 32 && ch < 127) {
                PUT((char)ch);
            } else {
                char hex[5];
                snprintf(hex, sizeof hex, "\\x%02x", ch);
                for (int k = 0; k < 4; k++) PUT(hex[k]);
            }
        }
    }
    PUT('"');
#undef PUT
    return o;
}

void monitorFeed(client *c) {
    size_t cap = 128;
    for (int i = 0; i < c->argc; i++) cap += c->argvlen[i] * 4 + 3;
    char *line = zmalloc(cap);
    int64_t us = ustime();
    int n = snprintf(line, cap, "+%lld.%06lld [%d %s]", (long long)(us / 1000000),
                     (long long)(us % 1000000), c->db,
                     (c->flags & CLIENT_UNIX_SOCKET) ? "unix" : c->addr);
    size_t o = (size_t)n;
    /* passwords never reach a monitor: AUTH and HELLO show "(redacted)" */
    bool redact = c->cmd && (!strcmp(c->cmd->name, "auth") || !strcmp(c->cmd->name, "hello"));
    for (int i = 0; i < c->argc; i++) {
        line[o++] = ' ';
        if (redact && i > 0) o += catRepr(line + o, cap - o, "(redacted)", 10);
        else o += catRepr(line + o, cap - o, c->argv[i], c->argvlen[i]);
    }
    line[o++] = '\r';
    line[o++] = '\n';
    rtLockAcquire(&monitorsLock);
    for (client *m = monitorsHead; m; m = m->mnext)
        if (m != c) clientMailbox(m, line, o);
    rtLockRelease(&monitorsLock);
    zfree(line);
}
