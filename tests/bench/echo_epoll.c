/* echo_epoll.c — the baseline: a single-threaded epoll echo server.
 *
 *   echo_epoll PORT        listens on 127.0.0.1:PORT until killed
 *
 * Written the way Redis's ae loop serves a client, which is the tightest
 * request/response shape for one thread: level-triggered epoll, one read(2)
 * per readiness event, the bytes written straight back with one write(2).
 * Per round trip that is one read, one write and a share of one epoll_wait;
 * no read is spent discovering EAGAIN, because level triggering reports any
 * bytes left behind on the next epoll_wait. Only a short write (the socket
 * buffer is full) changes the interest to EPOLLOUT until the rest is out;
 * reading stops meanwhile, which is the back-pressure an echo needs.
 *
 * Rejected: edge-triggered epoll, which must read until EAGAIN (an extra
 * read per round trip) unless it trusts short reads — the same trick the
 * runtime uses, and no faster than level triggering here.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define ECHO_BUF   16384
#define MAX_EVENTS 256

typedef struct conn {
    int fd;
    size_t off, len;             /* unsent bytes are buf[off..len) while len > 0 */
    char buf[ECHO_BUF];
} conn;

static int epfd;

static void connClose(conn *c) {
    close(c->fd);                /* also removes it from the epoll set */
    free(c);
}

static void setInterest(conn *c, uint32_t events) {
    struct epoll_event ev = { .events = events, .data.ptr = c };
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        perror("echo_epoll: epoll_ctl MOD");
        exit(1);
    }
}

/* connFlush writes the pending bytes. Returns 0 when all are out, 1 if the
 * socket is full again, -1 on error. */
static int connFlush(conn *c) {
    while (c->off < c->len) {
        ssize_t w = write(c->fd, c->buf + c->off, c->len - c->off);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN ? 1 : -1;
        }
        c->off += (size_t)w;
    }
    c->off = c->len = 0;
    return 0;
}

static void connReadable(conn *c) {
    ssize_t n = read(c->fd, c->buf, sizeof c->buf);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        connClose(c);
        return;
    }
    c->off = 0;
    c->len = (size_t)n;
    int rc = connFlush(c);
    if (rc < 0) connClose(c);
    else if (rc > 0) setInterest(c, EPOLLOUT);
}

static void connWritable(conn *c) {
    int rc = connFlush(c);
    if (rc < 0) connClose(c);
    else if (rc == 0) setInterest(c, EPOLLIN);
}

static void acceptAll(int lfd) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN) perror("echo_epoll: accept4");
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn *c = malloc(sizeof *c);
        if (!c) { close(fd); continue; }
        c->fd = fd;
        c->off = c->len = 0;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            perror("echo_epoll: epoll_ctl ADD");
            connClose(c);
        }
    }
}

static int listenOn(int port) {
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("echo_epoll: socket"); exit(1); }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1024) < 0) {
        fprintf(stderr, "echo_epoll: listen 127.0.0.1:%d: %s\n", port, strerror(errno));
        exit(1);
    }
    return fd;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_epoll PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int lfd = listenOn(atoi(argv[1]));
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) { perror("echo_epoll: epoll_create1"); return 1; }
    struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev) < 0) { perror("echo_epoll: epoll_ctl"); return 1; }

    struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(epfd, evs, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("echo_epoll: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (!c) acceptAll(lfd);
            else if (c->len > 0) connWritable(c);   /* waiting for EPOLLOUT */
            else connReadable(c);                   /* EPOLLIN, HUP or ERR: read says which */
        }
    }
}
