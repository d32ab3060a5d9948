/* hooks.c — the syscall table every runtime syscall goes through.
 *
 * rtSys starts as a copy of rtSysDefault, the real syscalls. Tests swap
 * entries to inject EINTR, EAGAIN, ECONNABORTED, EMFILE, ECONNRESET or short
 * writes (Go's internal/poll hook variables and socktest.Switch). Entries
 * return -errno instead of setting errno, so neither a hook nor its caller
 * touches thread-local state that a migrating G could misread. Swap entries
 * only while no G is inside the runtime's fd layer (before rtMain, or from
 * the test's G before it starts the I/O under test).
 */
#include "runtime.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)

static int sysSocket(int d, int t, int p) { RET(socket(d, t, p)); }
static int sysBind(int fd, const struct sockaddr *a, socklen_t l) { RET(bind(fd, a, l)); }
static int sysListen(int fd, int b) { RET(listen(fd, b)); }
static int sysConnect(int fd, const struct sockaddr *a, socklen_t l) { RET(connect(fd, a, l)); }
static int sysAccept4(int fd, struct sockaddr *a, socklen_t *l, int f) { RET(accept4(fd, a, l, f)); }
static ssize_t sysRead(int fd, void *b, size_t n) { RET(read(fd, b, n)); }
static ssize_t sysWrite(int fd, const void *b, size_t n) { RET(write(fd, b, n)); }
static ssize_t sysWritev(int fd, const struct iovec *v, int c) { RET(writev(fd, v, c)); }
static int sysClose(int fd) { RET(close(fd)); }
static int sysEpollCtl(int e, int op, int fd, struct epoll_event *ev) { RET(epoll_ctl(e, op, fd, ev)); }
static int sysEpollWait(int e, struct epoll_event *ev, int m, int t) { RET(epoll_wait(e, ev, m, t)); }
static int sysEventfd(unsigned int v, int f) { RET(eventfd(v, f)); }

#define SYSCALLS_REAL {                                                        \
    .socket = sysSocket, .bind = sysBind, .listen = sysListen,                \
    .connect = sysConnect, .accept4 = sysAccept4, .read = sysRead,            \
    .write = sysWrite, .writev = sysWritev, .close = sysClose,                \
    .epoll_ctl = sysEpollCtl, .epoll_wait = sysEpollWait, .eventfd = sysEventfd, \
}

const rtSyscalls rtSysDefault = SYSCALLS_REAL;
rtSyscalls rtSys = SYSCALLS_REAL;
