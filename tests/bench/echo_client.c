/* echo_client.c — load generator for the echo benchmarks.
 *
 *   echo_client PORT CONNS ROUNDTRIPS MSGSIZE [THREADS]
 *
 * Opens CONNS connections to 127.0.0.1:PORT, split over THREADS threads
 * (default 1), each thread driving its share with its own level-triggered
 * epoll set. Every connection does ROUNDTRIPS round trips one after another:
 * write a MSGSIZE-byte message, read MSGSIZE bytes back, check they are the
 * bytes sent (each message has its own pattern, so a stale or misrouted
 * reply fails), then send the next. Connections are made before the clock
 * starts. The last line of output is
 *
 *   <total> round trips in <seconds> s: <rate> round trips/s
 *
 * Exits 1 on a connection error, a wrong byte, or no progress for 10 s (a
 * stalled server), saying which.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STALL_MS   10000
#define MAX_EVENTS 256

typedef struct conn {
    int fd;
    int id;                      /* global connection number (pattern seed) */
    long round;                  /* round trips completed */
    size_t wpos, rpos;           /* bytes of this message written / read back */
    uint8_t *wbuf, *rbuf;        /* MSGSIZE each */
    int wantOut;                 /* EPOLLOUT is armed (short write pending) */
} conn;

typedef struct worker {
    pthread_t th;
    int first, nconns;           /* its connections: ids first..first+nconns-1 */
    conn *conns;
    int epfd;
    long done;                   /* round trips completed by this worker */
    int failed;
} worker;

static int port, nconns, nthreads;
static long roundtrips;
static size_t msgsize;
static pthread_barrier_t startLine;

static _Noreturn void fail(const char *what, int id) {
    fprintf(stderr, "echo_client: conn %d: %s%s%s\n", id, what,
            errno ? ": " : "", errno ? strerror(errno) : "");
    exit(1);
}

static void fillMessage(conn *c) {
    uint8_t seed = (uint8_t)(c->id * 131 + c->round * 7);
    for (size_t j = 0; j < msgsize; j++) c->wbuf[j] = (uint8_t)(seed + j * 13);
    c->wpos = c->rpos = 0;
}

static void arm(worker *w, conn *c, int out) {
    struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c };
    c->wantOut = out;
    if (epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) fail("epoll_ctl", c->id);
}

/* sendMore writes what is left of the message; arms EPOLLOUT if the socket
 * is full, disarms it once everything is out. */
static void sendMore(worker *w, conn *c) {
    while (c->wpos < msgsize) {
        ssize_t n = write(c->fd, c->wbuf + c->wpos, msgsize - c->wpos);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) fail("write", c->id);
            if (!c->wantOut) arm(w, c, 1);
            return;
        }
        c->wpos += (size_t)n;
    }
    if (c->wantOut) arm(w, c, 0);
}

/* recvMore reads at most the rest of the reply; returns 1 when the round
 * trip is complete and verified. */
static int recvMore(conn *c) {
    ssize_t n = read(c->fd, c->rbuf + c->rpos, msgsize - c->rpos);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return 0;
        fail("read", c->id);
    }
    if (n == 0) { errno = 0; fail("server closed the connection", c->id); }
    c->rpos += (size_t)n;
    if (c->rpos < msgsize) return 0;
    if (c->wpos < msgsize || memcmp(c->rbuf, c->wbuf, msgsize) != 0) {
        errno = 0;
        fail("reply differs from the request", c->id);
    }
    return 1;
}

static void connOpen(worker *w, conn *c, int id) {
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(c, 0, sizeof *c);
    c->id = id;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) fail("socket", id);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) fail("connect", id);
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    c->wbuf = malloc(msgsize);
    c->rbuf = malloc(msgsize);
    if (!c->wbuf || !c->rbuf) { errno = ENOMEM; fail("malloc", id); }
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
    if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) fail("epoll_ctl", id);
}

static void *workerRun(void *arg) {
    worker *w = arg;
    long target = (long)w->nconns * roundtrips;
    struct epoll_event evs[MAX_EVENTS];

    for (int i = 0; i < w->nconns; i++) connOpen(w, &w->conns[i], w->first + i);
    pthread_barrier_wait(&startLine);
    for (int i = 0; i < w->nconns && roundtrips > 0; i++) {
        fillMessage(&w->conns[i]);
        sendMore(w, &w->conns[i]);
    }
    while (w->done < target) {
        int n = epoll_wait(w->epfd, evs, MAX_EVENTS, STALL_MS);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { perror("echo_client: epoll_wait"); exit(1); }
        if (n == 0) {
            fprintf(stderr, "echo_client: stalled: no reply for %d s (%ld of %ld round trips "
                    "done by this thread)\n", STALL_MS / 1000, w->done, target);
            exit(1);
        }
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if ((evs[i].events & EPOLLOUT) && c->wpos < msgsize) sendMore(w, c);
            if (!(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || !recvMore(c)) continue;
            w->done++;
            if (++c->round < roundtrips) {
                fillMessage(c);
                sendMore(w, c);
            }
        }
    }
    for (int i = 0; i < w->nconns; i++) close(w->conns[i].fd);
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: echo_client PORT CONNS ROUNDTRIPS MSGSIZE [THREADS]\n");
        return 2;
    }
    port = atoi(argv[1]);
    nconns = atoi(argv[2]);
    roundtrips = atol(argv[3]);
    msgsize = (size_t)atol(argv[4]);
    nthreads = argc == 6 ? atoi(argv[5]) : 1;
    if (nconns < 1 || roundtrips < 0 || msgsize < 1 || nthreads < 1) {
        fprintf(stderr, "echo_client: CONNS, MSGSIZE and THREADS must be >= 1\n");
        return 2;
    }
    if (nthreads > nconns) nthreads = nconns;
    signal(SIGPIPE, SIG_IGN);

    worker *ws = calloc((size_t)nthreads, sizeof *ws);
    conn *conns = calloc((size_t)nconns, sizeof *conns);
    if (!ws || !conns) { perror("echo_client: calloc"); return 1; }
    pthread_barrier_init(&startLine, NULL, (unsigned)nthreads + 1);
    for (int t = 0, first = 0; t < nthreads; t++) {
        worker *w = &ws[t];
        w->first = first;
        w->nconns = nconns / nthreads + (t < nconns % nthreads);
        w->conns = conns + first;
        first += w->nconns;
        w->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (w->epfd < 0) { perror("echo_client: epoll_create1"); return 1; }
        if (pthread_create(&w->th, NULL, workerRun, w) != 0) {
            fprintf(stderr, "echo_client: pthread_create failed\n");
            return 1;
        }
    }
    pthread_barrier_wait(&startLine);
    double t0 = now();
    long total = 0;
    for (int t = 0; t < nthreads; t++) {
        pthread_join(ws[t].th, NULL);
        total += ws[t].done;
    }
    double secs = now() - t0;
    printf("%ld round trips in %.3f s: %.0f round trips/s\n", total, secs,
           secs > 0 ? total / secs : 0.0);
    return 0;
}
