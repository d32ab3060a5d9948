/* main.c — roost-server: arguments, config, runtime start, listeners, exit.
 *
 *   roost-server [/path/to/redis.conf] [--name value ...]
 *
 * Like redis-server: an optional config file, then overrides. The process
 * blocks SIGTERM and SIGINT before any runtime thread exists (every thread
 * inherits the mask) and reads them from a signalfd registered with the
 * netpoller, so a signal is just another G waking up. Shutdown stops the
 * listeners, stops the runtime, and exits 0.
 */
#include "server/server.h"
#include "storage/hash.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <unistd.h>

serverState server;
static sigset_t stopSignals;
static rtFd *_Atomic signalFd;     /* the signalfd, read by signalMain */
static _Atomic int exitCode;

static void usage(void) {
    fprintf(stderr,
            "Usage: ./roost-server [/path/to/redis.conf] [options] [-]\n"
            "       ./roost-server - (read config from stdin)\n"
            "       ./roost-server -v or --version\n"
            "       ./roost-server -h or --help\n\n"
            "Examples:\n"
            "       ./roost-server (run the server with default config)\n"
            "       ./roost-server /etc/redis/6379.conf\n"
            "       ./roost-server --port 7777\n"
            "       ./roost-server /etc/myredis.conf --loglevel verbose\n");
    exit(1);
}

static void configWarning(const char *msg) { serverLog(LL_WARNING, "%s", msg); }

static void loadConfig(int argc, char **argv) {
    char *err = NULL;
    int j = 1;
    configDefaults();
    configSetWarningHandler(configWarning);
    if (argc >= 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
        printf("Redis server v=%s sha=00000000:0 malloc=jemalloc bits=64 build=roost-%s\n",
               REDIS_VERSION, ROOST_VERSION);
        exit(0);
    }
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) usage();
    if (argc >= 2 && strncmp(argv[1], "--", 2) != 0) {
        if (!strcmp(argv[1], "-")) {
            char *text = NULL;
            size_t cap = 0, len = 0;
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
                if (len + n + 1 > cap) { cap = (len + n + 1) * 2; text = realloc(text, cap); }
                memcpy(text + len, buf, n);
                len += n;
            }
            if (!text) text = calloc(1, 1);
            text[len] = '\0';
            if (configLoadString(text, "stdin", &err) != CONFIG_OK) goto fatal;
            free(text);
        } else {
            if (!realpath(argv[1], server.configfile))
                snprintf(server.configfile, sizeof server.configfile, "%s", argv[1]);
            if (configLoadFile(argv[1], &err) != CONFIG_OK) goto fatal;
        }
        j = 2;
    }
    if (j < argc && configApplyArgs(argc - j, argv + j, &err) != CONFIG_OK) goto fatal;
    return;
fatal:
    fprintf(stderr, "%s\n", err ? err : "configuration error");
    exit(1);
}

static void serverInit(void) {
    server.startTimeMs = mstime();
    server.startMonoUs = rtNanotime() / 1000;
    unsigned char r[20];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        for (size_t i = 0; i < sizeof r; i++) r[i] = (unsigned char)rand();
    for (int i = 0; i < 20; i++) snprintf(server.runid + 2 * i, 3, "%02x", r[i]);
    server.lastSave = mstime() / 1000;
    server.statResetTimeMs = server.startTimeMs;
    ssize_t n = readlink("/proc/self/exe", server.executable, sizeof server.executable - 1);
    if (n > 0) server.executable[n] = '\0';
}

void serverShutdown(int code) {
    atomic_store(&exitCode, code);
    serverLog(LL_WARNING, "User requested shutdown...");
    if (cfg.pidfile && cfg.pidfile[0]) unlink(cfg.pidfile);
    listenersStop();
    rtFd *sig = atomic_exchange(&signalFd, NULL);
    if (sig) rtFdClose(sig);   /* ends signalMain's read if it is not the caller */
    serverLog(LL_WARNING, "%s is now ready to exit, bye bye...", "roost");
    rtShutdown();
}

static void signalMain(void *arg) {
    rtFd *fd = arg;
    struct signalfd_siginfo si;
    for (;;) {
        ssize_t n = rtFdRead(fd, &si, sizeof si);
        if (n == (ssize_t)sizeof si) break;
        if (n < 0 && n != RT_EWOKEN && n != -EINTR) return;
    }
    serverLog(LL_WARNING, "Received %s scheduling shutdown...",
              si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
    serverShutdown(0);
}

static void writePidfile(void) {
    if (!cfg.pidfile || !cfg.pidfile[0]) return;
    FILE *f = fopen(cfg.pidfile, "w");
    if (!f) return;
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

static void serverMain(void *arg) {
    (void)arg;
    commandsInit();
    int sfd = signalfd(-1, &stopSignals, SFD_NONBLOCK | SFD_CLOEXEC);
    int err = 0;
    signalFd = sfd >= 0 ? rtFdOpen(sfd, &err) : NULL;
    if (signalFd) rtGo(signalMain, signalFd);
    serverLog(LL_NOTICE, "Server initialized");
    char *lerr = NULL;
    if (listenersStart(&lerr) != 0) {
        serverLog(LL_WARNING, "%s", lerr);
        atomic_store(&exitCode, 1);
        rtShutdown();
        return;
    }
    writePidfile();
    cronStart();
    serverLog(LL_NOTICE, "Ready to accept connections tcp");
}

int main(int argc, char **argv) {
    loadConfig(argc, argv);
    serverLog(LL_WARNING, "oO0OoO0OoO0Oo roost is starting oO0OoO0OoO0Oo");
    serverLog(LL_WARNING, "roost version=%s (Redis %s compatible), bits=64, pid=%d, just started",
              ROOST_VERSION, REDIS_VERSION, (int)getpid());
    serverLog(LL_WARNING, "Configuration loaded");
    hashSeedInit(0);
    serverInit();
    int nprocs = configThreads();
    server.nprocs = nprocs;
    ksInit(cfg.databases, nprocs);
    notifyInit();   /* keyspace notifications: the expiry hook (notify.c) */
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, NULL);
    serverLog(LL_NOTICE, "Running with %d threads (Ps), %d shards per database", nprocs, ks.nshards);
    rtConfig rc = { .nprocs = nprocs, .stackSize = 0 };
    rtMain(&rc, serverMain, NULL);
    return atomic_load(&exitCode);
}
