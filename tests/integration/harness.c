/* harness.c — the integration-test harness (see harness.h for the API).
 *
 * Sections, in order: owned memory, strings and escapes, the test registry
 * and runner, signals and clean-up, failures and globs, command-line
 * splitting, servers, hiredis clients, raw clients and the RESP2/RESP3
 * reader, expectations, external programs.
 *
 * Ownership. Everything a test obtains (connections, reply texts, runCmd
 * output, tfmt strings) goes on the owned list of the current scope: the
 * running test, or the global scope outside tests. The runner releases the
 * test scope when the test ends, including when REQUIRE longjmps out of it;
 * the global scope is released at exit. Tests therefore never free anything.
 *
 * Why a test that times out ends the program instead of moving on: the
 * alarm may interrupt the test anywhere, inside malloc or stdio included,
 * and nothing is safe to resume after a longjmp out of a signal handler.
 * The handler only uses async-signal-safe calls: write, kill, _exit.
 *
 * Processes. Every server and every runCmd shell is forked with
 * PR_SET_PDEATHSIG=SIGKILL, in a process group of its own, and with every
 * inherited descriptor above stderr closed (a test's sockets must not stay
 * open in a server: closing them must reach the peer). SIGTERM goes to the
 * server process; SIGKILL goes to its whole group, so a wrapper script's
 * children die too. Crash, interrupt and exit paths SIGKILL what still runs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IO_TIMEOUT_MS      10000   /* client connect, send and read */
#define START_TIMEOUT_MS   10000   /* server start until it answers PING */
#define STOP_TIMEOUT_MS    5000    /* SIGTERM until SIGKILL */
#define DEFAULT_TEST_SECS  60      /* per-test alarm */
#define PORT_ATTEMPTS      5       /* srvStart retries on "address in use" */
#define MAX_REPLY_DEPTH    64      /* nested aggregates in one RESP reply */
#define NIL_ARRAY_MARK     (-0x4e494c)  /* redisReply.integer of a *-1 nil */

/* ---- owned memory ------------------------------------------------------------ */

typedef struct owned {
    void *p;                     /* the object */
    void (*release)(void *);     /* how to free it */
    struct owned *next;
} owned;

static owned *ownedTest;         /* released when the running test ends */
static owned *ownedGlobal;       /* released at exit */
static bool inTest;              /* a test body is running */

static void *own(void *p, void (*release)(void *)) {
    owned *o = malloc(sizeof(*o));
    owned **list = inTest ? &ownedTest : &ownedGlobal;
    if (!o) abort();
    o->p = p;
    o->release = release;
    o->next = *list;
    *list = o;
    return p;
}

/* disown releases p now, if some scope owns it; returns whether it did. */
static bool disown(void *p) {
    owned **lists[2] = { &ownedTest, &ownedGlobal };
    for (int i = 0; i < 2; i++) {
        for (owned **pp = lists[i]; *pp; pp = &(*pp)->next) {
            if ((*pp)->p == p) {
                owned *o = *pp;
                *pp = o->next;
                o->release(o->p);
                free(o);
                return true;
            }
        }
    }
    return false;
}

static void releaseAll(owned **list) {
    while (*list) {
        owned *o = *list;
        *list = o->next;
        o->release(o->p);
        free(o);
    }
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "harness: out of memory\n");
        abort();
    }
    return p;
}

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "harness: out of memory\n");
        abort();
    }
    return p;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* ---- strings and escapes ------------------------------------------------------ */

typedef struct sbuf {
    char *s;                     /* NUL-terminated, or NULL when empty */
    size_t len, cap;
} sbuf;

static void sbGrow(sbuf *b, size_t more) {
    if (b->len + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + more + 1) cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

static void sbCat(sbuf *b, const void *p, size_t n) {
    sbGrow(b, n);
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sbPuts(sbuf *b, const char *s) { sbCat(b, s, strlen(s)); }

static void sbVprintf(sbuf *b, const char *fmt, va_list ap) {
    if (!fmt) return;
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) return;
    sbGrow(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

static void sbPrintf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sbPrintf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sbVprintf(b, fmt, ap);
    va_end(ap);
}

/* sbDone hands the buffer's string to the current scope and returns it. */
static const char *sbDone(sbuf *b) {
    if (!b->s) sbCat(b, "", 0);
    return own(b->s, free);
}

/* sbEscape appends p[0..n) with the canonical C escapes (no quotes). */
static void sbEscape(sbuf *b, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        size_t run = 0;
        while (i + run < n && (unsigned char)p[i + run] >= 0x20 &&
               (unsigned char)p[i + run] <= 0x7e && p[i + run] != '"' &&
               p[i + run] != '\\')
            run++;
        if (run > 0) {                   /* plain bytes go in one copy */
            sbCat(b, p + i, run);
            i += run - 1;
            continue;
        }
        switch (ch) {
        case '\r': sbCat(b, "\\r", 2); break;
        case '\n': sbCat(b, "\\n", 2); break;
        case '\t': sbCat(b, "\\t", 2); break;
        case '"':  sbCat(b, "\\\"", 2); break;
        case '\\': sbCat(b, "\\\\", 2); break;
        default:  sbPrintf(b, "\\x%02x", ch);
        }
    }
}

static void sbQuote(sbuf *b, const char *p, size_t n) {
    sbCat(b, "\"", 1);
    sbEscape(b, p, n);
    sbCat(b, "\"", 1);
}

const char *tfmt(const char *fmt, ...) {
    sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbVprintf(&b, fmt, ap);
    va_end(ap);
    return sbDone(&b);
}

/* ---- the test registry and runner --------------------------------------------- */

typedef struct test {
    const char *name;            /* identifier: words joined by '_' */
    void (*fn)(void);
    const char *file;
    int line;
} test;

static test *tests;              /* registered, sorted by (file, line) in main */
static int ntests, capTests;

static const test *volatile current;  /* running test, or NULL */
static bool curFailed, curSkipped;
static int curTimeout;           /* seconds of the running test's alarm */
static jmp_buf testJmp;          /* REQUIRE and SKIP land here */

/* Counters read by the signal handlers (only ever written by the main
 * program, and read only after it was interrupted). */
static volatile int nPassed, nFailed, nSelected, nDone;
static int setupFailures;        /* failures recorded outside any test */

void harnessRegister(const char *name, void (*fn)(void), const char *file,
                     int line) {
    if (ntests == capTests) {
        capTests = capTests ? capTests * 2 : 32;
        tests = xrealloc(tests, sizeof(*tests) * (size_t)capTests);
    }
    tests[ntests++] = (test){ name, fn, file, line };
}

static int testCmp(const void *a, const void *b) {
    const test *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

/* sentence copies a test name with '_' turned into ' ' into buf. */
static const char *sentence(const char *name, char *buf, size_t size) {
    size_t i = 0;
    for (; name[i] && i + 1 < size; i++) buf[i] = name[i] == '_' ? ' ' : name[i];
    buf[i] = '\0';
    return buf;
}

long long harnessNowMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void harnessSleepMs(int ms) {
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

static void sleepUs(long us) {
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

void harnessSetTimeout(int seconds) {
    curTimeout = seconds;
    alarm((unsigned)seconds);
}

static int defaultTimeout(void) {
    const char *e = getenv("ROOST_TEST_TIMEOUT");
    int n = e ? atoi(e) : 0;
    return n > 0 ? n : DEFAULT_TEST_SECS;
}

/* selected: does test t match the command-line pattern (NULL: all)? */
static bool selected(const test *t, const char *pattern) {
    char spaced[256];
    if (!pattern) return true;
    sentence(t->name, spaced, sizeof(spaced));
    if (strpbrk(pattern, "*?"))
        return globMatch(pattern, t->name) || globMatch(pattern, spaced);
    return strstr(t->name, pattern) || strstr(spaced, pattern);
}

static void stopTestServers(void);

/* runOne runs one test body under its alarm; the setjmp lives here so no
 * caller local is live across the longjmp. */
static void runOne(const test *t) {
    current = t;
    curFailed = curSkipped = false;
    inTest = true;
    harnessSetTimeout(defaultTimeout());
    if (setjmp(testJmp) == 0) t->fn();
    releaseAll(&ownedTest);            /* clients first: servers see them go */
    stopTestServers();                 /* failures still count for t */
    alarm(0);
    inTest = false;
    current = NULL;
}

static bool stopAllServers(void);
static void removeServerDirs(bool keep);
static const char *serverBinary(void);

int harnessMain(int argc, char **argv) {
    const char *pattern = argc > 1 ? argv[1] : NULL;
    char name[256];

    qsort(tests, (size_t)ntests, sizeof(*tests), testCmp);
    if (pattern && strcmp(pattern, "--list") == 0) {
        for (int i = 0; i < ntests; i++)
            printf("%s\n", sentence(tests[i].name, name, sizeof(name)));
        return 0;
    }
    printf("# server: %s%s\n", serverBinary() ? serverBinary() : "(none)",
           srvIsOracle() ? " (ROOST_ORACLE=redis)" : "");
    if (setupFailures) {
        printf("FAIL set-up (see above)\n");
        nFailed++;
    }
    for (int i = 0; i < ntests; i++)
        if (selected(&tests[i], pattern)) nSelected++;
    if (nSelected == 0) {
        printf("FAIL no test matches \"%s\"\n", pattern ? pattern : "");
        nFailed++;
    }
    for (int i = 0; i < ntests; i++) {
        const test *t = &tests[i];
        if (!selected(t, pattern)) continue;
        fflush(stdout);
        long long t0 = harnessNowMs();
        runOne(t);
        long long ms = harnessNowMs() - t0;
        sentence(t->name, name, sizeof(name));
        if (curFailed) {
            printf("FAIL %s (%lld ms)\n", name, ms);
            nFailed++;
        } else if (curSkipped) {
            printf("SKIP %s\n", name);
        } else {
            printf("PASS %s (%lld ms)\n", name, ms);
            nPassed++;
        }
        nDone++;
    }
    if (!stopAllServers()) {
        printf("FAIL every server stopped cleanly\n");
        nFailed++;
    }
    removeServerDirs(nFailed > 0);
    printf("%d passed, %d failed\n", nPassed, nFailed);
    fflush(stdout);
    return nFailed ? 1 : 0;
}

/* ---- signals and clean-up ------------------------------------------------------ */

static srv *servers;                  /* every server started, newest first */
static volatile pid_t cmdPgid;        /* process group of a running runCmd */

static void writeStr(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0 && errno != EINTR) return;
        if (w > 0) { s += w; n -= (size_t)w; }
    }
}

static void writeInt(long v) {
    char buf[24], *p = buf + sizeof(buf);
    bool neg = v < 0;
    unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
    *--p = '\0';
    do { *--p = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) *--p = '-';
    writeStr(p);
}

/* killEverything SIGKILLs every live server and runCmd group. It is
 * async-signal-safe and leaves the pids for a later waitpid. */
static void killEverything(void) {
    for (srv *s = servers; s; s = s->next)
        if (s->pid > 0) kill(-s->pid, SIGKILL);
    if (cmdPgid > 0) kill(-cmdPgid, SIGKILL);
}

/* writeVerdict prints the running test's FAIL line ("(why)", or "(why N s)"
 * when secs >= 0) and the summary, counting the tests that will not run as
 * failed. */
static void writeVerdict(const char *why, long secs) {
    char name[256];
    long notRun = nSelected - nDone - (current ? 1 : 0);
    if (current) {
        writeStr("FAIL ");
        writeStr(sentence(current->name, name, sizeof(name)));
        writeStr(" (");
        writeStr(why);
        if (secs >= 0) {
            writeStr(" ");
            writeInt(secs);
            writeStr(" s");
        }
        writeStr(")\n");
    }
    if (notRun > 0) {
        writeInt(notRun);
        writeStr(" tests not run (counted as failed)\n");
    }
    writeInt(nPassed);
    writeStr(" passed, ");
    writeInt(nFailed + (current ? 1 : 0) + (notRun > 0 ? notRun : 0));
    writeStr(" failed\n");
}

static void onAlarm(int sig) {
    (void)sig;
    killEverything();
    writeStr("  test timed out; servers killed, server dirs kept in /tmp\n");
    writeVerdict("timed out after", curTimeout);
    _exit(1);
}

static void onFatal(int sig) {
    killEverything();
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
        sig == SIGABRT) {
        writeStr("  test program crashed (signal ");
        writeInt(sig);
        writeStr(")\n");
        writeVerdict("crashed", -1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void onExit(void) {
    killEverything();
    releaseAll(&ownedGlobal);
}

__attribute__((constructor)) static void harnessInit(void) {
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                                 SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = onFatal;
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
        sigaction(fatal[i], &sa, NULL);
    sa.sa_handler = onAlarm;
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    atexit(onExit);
}

/* ---- failures and globs ---------------------------------------------------------- */

static void vfail(const char *file, int line, const char *fmt, va_list ap) {
    const char *base = strrchr(file, '/');
    printf("  %s:%d: ", base ? base + 1 : file, line);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    if (inTest) curFailed = true;
    else setupFailures++;
}

void harnessFail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(file, line, fmt, ap);
    va_end(ap);
}

void harnessCheckFailed(const char *file, int line, const char *what,
                        const char *fmt, ...) {
    sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbPrintf(&b, "%s failed:", what);
    if (strcmp(fmt, " ") == 0) b.s[--b.len] = '\0';
    sbVprintf(&b, fmt, ap);
    va_end(ap);
    while (b.len && b.s[b.len - 1] == ' ') b.s[--b.len] = '\0';
    harnessFail(file, line, "%s", b.s);
    free(b.s);
}

void harnessAbortTest(void) {
    if (inTest) longjmp(testJmp, 1);
    printf("  set-up failed outside a test; stopping\n");
    stopAllServers();
    printf("%d passed, %d failed\n", nPassed, nFailed + 1);
    fflush(stdout);
    exit(1);
}

void harnessSkip(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    (void)file;
    (void)line;
    printf("  skipped: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!inTest) harnessAbortTest();
    curSkipped = true;
    longjmp(testJmp, 1);
}

bool checkStr(const char *file, int line, const char *what, const char *got,
              const char *want) {
    if (got && want ? strcmp(got, want) == 0 : got == want) return true;
    harnessFail(file, line, "CHECK_STR(%s) failed\n      expected: %s\n"
                "      got:      %s", what, want ? want : "(NULL)",
                got ? got : "(NULL)");
    return false;
}

/* globMatch: iterative matcher with one backtrack point (the last '*'),
 * which is enough because '*' is the only variable-length token. There is
 * no escape character: canonical texts are full of backslashes. */
bool globMatch(const char *pattern, const char *text) {
    const char *p = pattern, *t = text, *star = NULL, *resume = NULL;
    while (*t) {
        if (*p == '*') {
            star = ++p;
            resume = t;
        } else if (*p && (*p == '?' || *p == *t)) {
            p++;
            t++;
        } else if (star) {
            p = star;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*') p++;
    return *p == '\0';
}

/* ---- command-line splitting ----------------------------------------------------- */

typedef struct args {
    int argc;
    char **argv;
    size_t *lens;
} args;

static void argsFree(args *a) {
    for (int i = 0; i < a->argc; i++) free(a->argv[i]);
    free(a->argv);
    free(a->lens);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* splitArgs splits a command line like redis-cli: words separated by blanks;
 * "double quotes" with \n \r \t \a \b \" \\ \xHH, or 'single quotes' with
 * only \' make one (possibly empty) word. Returns false on an unterminated
 * quote, a quote not followed by a blank, or no word at all (a command with
 * no arguments gets no reply, and would only time out). */
#define BAD_LINE_TEXT "(bad command line: empty, or unbalanced quotes)"
static bool splitArgs(const char *line, args *a) {
    const char *p = line;
    int cap = 0;
    memset(a, 0, sizeof(*a));
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) {
            if (a->argc > 0) return true;
            argsFree(a);
            return false;
        }
        sbuf w = {0};
        sbCat(&w, "", 0);
        char q = (*p == '"' || *p == '\'') ? *p++ : 0;
        for (;;) {
            if (!q && (!*p || *p == ' ' || *p == '\t')) break;
            if (q && !*p) goto bad;
            if (q && *p == q) {
                p++;
                if (*p && *p != ' ' && *p != '\t') goto bad;
                break;
            }
            char ch = *p++;
            if (q == '"' && ch == '\\' && *p) {
                ch = *p++;
                switch (ch) {
                case 'n': ch = '\n'; break;
                case 'r': ch = '\r'; break;
                case 't': ch = '\t'; break;
                case 'a': ch = '\a'; break;
                case 'b': ch = '\b'; break;
                case 'x':
                    if (hexval(p[0]) >= 0 && hexval(p[1]) >= 0) {
                        ch = (char)(hexval(p[0]) * 16 + hexval(p[1]));
                        p += 2;
                    }
                    break;
                default: break;
                }
            } else if (q == '\'' && ch == '\\' && *p == '\'') {
                ch = *p++;
            }
            sbCat(&w, &ch, 1);
        }
        if (a->argc == cap) {
            cap = cap ? cap * 2 : 8;
            a->argv = xrealloc(a->argv, sizeof(char *) * (size_t)cap);
            a->lens = xrealloc(a->lens, sizeof(size_t) * (size_t)cap);
        }
        a->argv[a->argc] = w.s;
        a->lens[a->argc++] = w.len;
        continue;
    bad:
        free(w.s);
        argsFree(a);
        memset(a, 0, sizeof(*a));
        return false;
    }
}

/* showArgv renders an argument vector for failure messages: plain words as
 * they are, anything else quoted with the canonical escapes. */
static const char *showArgv(int argc, const char **argv, const size_t *lens) {
    sbuf b = {0};
    for (int i = 0; i < argc; i++) {
        size_t n = lens ? lens[i] : strlen(argv[i]);
        bool plain = n > 0;
        for (size_t j = 0; j < n && plain; j++) {
            unsigned char ch = (unsigned char)argv[i][j];
            plain = ch > 0x20 && ch <= 0x7e && ch != '"' && ch != '\'' &&
                    ch != '\\';
        }
        if (i) sbCat(&b, " ", 1);
        if (plain) sbCat(&b, argv[i], n);
        else sbQuote(&b, argv[i], n);
    }
    return sbDone(&b);
}

/* ---- servers ---------------------------------------------------------------------- */

bool srvIsOracle(void) {
    const char *e = getenv("ROOST_ORACLE");
    return e && strcmp(e, "redis") == 0;
}

static bool isFile(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* findRoot looks for the repository root (the directory holding
 * tests/integration/harness.h) above `start`; writes it to root. */
static bool findRoot(const char *start, char *root) {
    char dir[PATH_MAX], probe[PATH_MAX + 64];
    if (!realpath(start, dir)) return false;
    for (;;) {
        snprintf(probe, sizeof(probe), "%s/tests/integration/harness.h", dir);
        if (isFile(probe)) {
            strcpy(root, dir);
            return true;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) return false;
        *slash = '\0';
    }
}

/* serverBinary resolves, once, the absolute path of the server to start:
 * the oracle, $ROOST_SERVER (relative to the working directory, else to the
 * repository root) or src/roost-server under the repository root. Returns
 * NULL (after saying why) when it is not an executable file. Symbolic links
 * are not resolved: /usr/bin/redis-server links to redis-check-rdb, which
 * picks its personality from argv[0]. */
static const char *serverBinary(void) {
    static char path[PATH_MAX];
    static bool resolved, ok;
    char root[PATH_MAX], exe[PATH_MAX], cwd[PATH_MAX], cand[2 * PATH_MAX];
    const char *want;
    if (resolved) return ok ? path : NULL;
    resolved = true;
    if (srvIsOracle())
        want = getenv("ROOST_REDIS_SERVER") ? getenv("ROOST_REDIS_SERVER")
                                            : "/usr/bin/redis-server";
    else
        want = getenv("ROOST_SERVER") ? getenv("ROOST_SERVER")
                                      : "src/roost-server";
    bool haveRoot = findRoot(".", root);
    if (!haveRoot) {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n > 0) {
            exe[n] = '\0';
            *strrchr(exe, '/') = '\0';
            haveRoot = findRoot(exe, root);
        }
    }
    if (want[0] == '/' || !getcwd(cwd, sizeof(cwd)))
        snprintf(cand, sizeof(cand), "%s", want);
    else
        snprintf(cand, sizeof(cand), "%s/%s", cwd, want);
    if (want[0] != '/' && !isFile(cand) && haveRoot)
        snprintf(cand, sizeof(cand), "%s/%s", root, want);
    if (isFile(cand) && access(cand, X_OK) == 0 && strlen(cand) < sizeof(path)) {
        strcpy(path, cand);
        ok = true;
        return path;
    }
    printf("  harness: server binary \"%s\" not found or not executable "
           "(build it, or set ROOST_SERVER, or ROOST_ORACLE=redis)\n", want);
    return NULL;
}

/* mix64 is splitmix64's finaliser: nearby inputs give unrelated outputs. */
static uint64_t mix64(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* pickPort probes random ports below Linux's ephemeral range (32768+), so a
 * test's own outgoing connections never sit on the port we hand out. The
 * sequence is seeded from pid and nanoseconds, so test programs started
 * together probe different ports. A probe can still race with another
 * program; waitReady's ownership check and launch's retry cover that. */
static int pickPort(void) {
    static uint64_t state;
    if (!state) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        state = mix64(((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^
                      ((uint64_t)ts.tv_sec << 20));
    }
    for (int i = 0; i < 1000; i++) {
        state += 0x9e3779b97f4a7c15ULL;
        int port = 20000 + (int)(mix64(state) % 12000);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET,
                                  .sin_port = htons((uint16_t)port) };
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0) return -1;
        int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
        close(fd);
        if (rc == 0) return port;
    }
    return -1;
}

/* expandConfig appends `text` with {dir} and {port} replaced. */
static void expandConfig(sbuf *b, const srv *s, const char *text) {
    for (const char *p = text; *p; p++) {
        if (strncmp(p, "{dir}", 5) == 0) {
            sbPuts(b, s->dir);
            p += 4;
        } else if (strncmp(p, "{port}", 6) == 0) {
            sbPrintf(b, "%d", s->port);
            p += 5;
        } else {
            sbCat(b, p, 1);
        }
    }
}

static bool writeConfig(const srv *s) {
    sbuf b = {0};
    sbPrintf(&b, "port %d\nbind 127.0.0.1\ndir %s\n", s->port, s->dir);
    if (srvIsOracle()) sbPuts(&b, "save \"\"\nappendonly no\n");
    if (s->extra) {
        expandConfig(&b, s, s->extra);
        sbPuts(&b, "\n");
    }
    FILE *f = fopen(s->conf, "w");
    bool ok = f && fwrite(b.s, 1, b.len, f) == b.len;
    if (f && fclose(f) != 0) ok = false;
    free(b.s);
    return ok;
}

/* readFile returns the malloc'd contents of path from offset `from` (NUL
 * terminated; *n gets the length), or NULL. */
static char *readFile(const char *path, long from, size_t *n) {
    FILE *f = fopen(path, "rb");
    sbuf b = {0};
    char chunk[65536];
    size_t got;
    if (!f) return NULL;
    if (from > 0) fseek(f, from, SEEK_SET);
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) sbCat(&b, chunk, got);
    fclose(f);
    if (!b.s) sbCat(&b, "", 0);
    if (n) *n = b.len;
    return b.s;
}

static long fileSize(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* printLogTail prints the last `lines` lines the current process logged. */
static void printLogTail(const srv *s, int lines) {
    size_t n;
    char *text = readFile(s->log, s->logStart, &n);
    if (!text) return;
    size_t i = n;
    while (i > 0 && text[i - 1] == '\n') i--;
    for (int seen = 0; i > 0; i--)
        if (text[i - 1] == '\n' && ++seen == lines) break;
    printf("  ---- %s (last %d lines) ----\n", s->log, lines);
    for (char *line = strtok(text + i, "\n"); line; line = strtok(NULL, "\n"))
        printf("  | %s\n", line);
    free(text);
}

static void closeInheritedFds(void) {
    if (close_range(3, ~0U, 0) == 0) return;
    for (int fd = 3; fd < 4096; fd++) close(fd);
}

/* childSetup is the common start of every forked child: die with the
 * harness, reset what the harness changed, drop inherited descriptors. */
static void childSetup(pid_t parent) {
    sigset_t none;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    alarm(0);
    closeInheritedFds();
}

/* spawn starts the server process with stdout+stderr appended to the log. */
static bool spawn(srv *s, const char *bin) {
    pid_t parent = getpid();
    s->logStart = fileSize(s->log);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("  harness: fork: %s\n", strerror(errno));
        return false;
    }
    if (pid == 0) {
        int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int null = open("/dev/null", O_RDONLY);
        if (log < 0 || null < 0 || chdir(s->dir) != 0) _exit(127);
        dup2(null, STDIN_FILENO);
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        setpgid(0, 0);
        childSetup(parent);
        execl(bin, bin, s->conf, (char *)NULL);
        dprintf(STDERR_FILENO, "harness: exec %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    s->pid = pid;
    return true;
}

/* pingOnce connects and sends PING; 1 = answered (anything but -LOADING),
 * 0 = not yet. */
static int pingOnce(int port) {
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port) };
    static const char ping[] = "*1\r\n$4\r\nPING\r\n";
    char buf[64];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int ok = 0;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0) return 0;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        send(fd, ping, sizeof(ping) - 1, MSG_NOSIGNAL) == sizeof(ping) - 1) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (poll(&pfd, 1, 1000) == 1) {
            ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
            if (n > 0) {
                buf[n] = '\0';
                ok = strncmp(buf, "-LOADING", 8) != 0;
            }
        }
    }
    close(fd);
    return ok;
}

/* listenerInode returns the inode of the TCP socket listening on `port`
 * (IPv4 or IPv6, any address), 0 when there is none, or -1 when /proc/net
 * cannot be read. */
static long listenerInode(int port) {
    static const char *tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
    bool readable = false;
    char line[512];
    for (int t = 0; t < 2; t++) {
        FILE *f = fopen(tables[t], "r");
        if (!f) continue;
        readable = true;
        while (fgets(line, sizeof(line), f)) {
            unsigned lport, state;
            unsigned long inode;
            char *colon = strchr(line, ':');           /* after "sl" */
            char *local = colon ? strchr(colon + 1, ':') : NULL;
            if (!local || sscanf(local + 1, "%x %*s %x %*s %*s %*s %*s %*s %lu",
                                 &lport, &state, &inode) != 3)
                continue;
            if ((int)lport == port && state == 0x0A) {  /* TCP_LISTEN */
                fclose(f);
                return (long)inode;
            }
        }
        fclose(f);
    }
    return readable ? 0 : -1;
}

/* holdsInode: does process pid have socket `inode` open? */
static bool holdsInode(pid_t pid, long inode) {
    char path[64], link[64], want[48], fdPath[384];
    struct dirent *e;
    bool found = false;
    snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
    snprintf(want, sizeof(want), "socket:[%ld]", inode);
    DIR *d = opendir(path);
    if (!d) return false;
    while (!found && (e = readdir(d)) != NULL) {
        snprintf(fdPath, sizeof(fdPath), "%s/%s", path, e->d_name);
        ssize_t n = readlink(fdPath, link, sizeof(link) - 1);
        if (n > 0) {
            link[n] = '\0';
            found = strcmp(link, want) == 0;
        }
    }
    closedir(d);
    return found;
}

/* groupOfPid returns the process group of pid from /proc/pid/stat, or -1. */
static pid_t groupOfPid(pid_t pid) {
    char path[64], buf[512];
    int pgrp = -1;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *end = strrchr(buf, ')');      /* the command name may hold spaces */
    if (!end || sscanf(end + 1, " %*c %*d %d", &pgrp) != 1) return -1;
    return pgrp;
}

/* ownsPort: is the server listening on its port ours, i.e. held by the
 * process we started or one in its process group? A PING answer alone does
 * not prove it: if another program took the port first, our server fails to
 * bind, and the answer came from the other program's server. */
static bool ownsPort(const srv *s) {
    long inode = listenerInode(s->port);
    if (inode < 0) return true;           /* no /proc: cannot tell, trust it */
    if (inode == 0) return false;
    if (holdsInode(s->pid, inode)) return true;
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool found = false;
    if (!d) return true;
    while (!found && (e = readdir(d)) != NULL) {
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid > 0 && pid != s->pid && groupOfPid(pid) == s->pid)
            found = holdsInode(pid, inode);
    }
    closedir(d);
    return found;
}

/* describeStatus renders a wait status as a phrase. */
static const char *describeStatus(int status, char *buf, size_t size) {
    if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d (%s)%s", WTERMSIG(status),
                 strsignal(WTERMSIG(status)),
                 WCOREDUMP(status) ? ", core dumped" : "");
    else
        snprintf(buf, size, "wait status 0x%x", status);
    return buf;
}

/* waitExit waits up to ms for the server to exit; returns true and sets
 * *status when it did. Polls with a short, growing sleep. */
static bool waitExit(pid_t pid, int ms, int *status) {
    long long deadline = harnessNowMs() + ms;
    long us = 200;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) return true;
        if (r < 0 && errno != EINTR) {
            *status = 0;
            return true;           /* not our child any more: nothing to wait */
        }
        if (harnessNowMs() >= deadline) return false;
        sleepUs(us);
        if (us < 2000) us *= 2;
    }
}

/* waitReady waits until the server answers PING from the port it owns.
 * Returns 1 when it does, 0 when it exited first (*status says how), -1
 * when it did not answer within START_TIMEOUT_MS (it is killed then). The
 * process is reaped in both failure cases. */
static int waitReady(srv *s, int *status) {
    long long deadline = harnessNowMs() + START_TIMEOUT_MS;
    long us = 200;
    for (;;) {
        if (waitpid(s->pid, status, WNOHANG) == s->pid) {
            s->pid = 0;
            return 0;
        }
        if (pingOnce(s->port) && ownsPort(s)) return 1;
        if (harnessNowMs() >= deadline) break;
        sleepUs(us);
        if (us < 2000) us *= 2;
    }
    printf("  harness: server on port %d did not answer PING within %d ms\n",
           s->port, START_TIMEOUT_MS);
    kill(-s->pid, SIGKILL);
    waitExit(s->pid, STOP_TIMEOUT_MS, status);
    s->pid = 0;
    return -1;
}

/* portTaken: did the server just fail because its port was in use? */
static bool portTaken(const srv *s) {
    char *text = readFile(s->log, s->logStart, NULL);
    bool taken = text && strstr(text, "ddress already in use");
    free(text);
    return taken;
}

/* launch writes the config and starts the server on s->port; when
 * `mayMove`, a server that exits because its port was taken (another
 * program bound it after pickPort probed it) is retried on other ports. */
static bool launch(srv *s, bool mayMove) {
    const char *bin = serverBinary();
    char why[128];
    int status = 0;
    if (!bin) return false;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
        if (mayMove && (s->port = pickPort()) < 0) {
            printf("  harness: no free port\n");
            return false;
        }
        if (!writeConfig(s)) {
            printf("  harness: cannot write %s: %s\n", s->conf, strerror(errno));
            return false;
        }
        if (!spawn(s, bin)) return false;
        int rc = waitReady(s, &status);
        if (rc == 1) return true;
        if (rc == 0 && mayMove && portTaken(s)) {
            printf("  harness: port %d was taken meanwhile; trying another\n",
                   s->port);
            continue;
        }
        if (rc == 0)
            printf("  harness: server on port %d %s during start-up\n", s->port,
                   describeStatus(status, why, sizeof(why)));
        printLogTail(s, 30);
        return false;
    }
    printf("  harness: every port tried was taken\n");
    return false;
}

srv *srvStartAt(const char *file, int line, const char *extraConfigLines) {
    if (!serverBinary()) {
        harnessFail(file, line, "srvStart: no server binary");
        return NULL;
    }
    srv *s = calloc(1, sizeof(*s));
    if (!s) abort();
    strcpy(s->dir, "/tmp/roost-test-XXXXXX");
    if (!mkdtemp(s->dir)) {
        harnessFail(file, line, "srvStart: mkdtemp: %s", strerror(errno));
        free(s);
        return NULL;
    }
    snprintf(s->conf, sizeof(s->conf), "%s/server.conf", s->dir);
    snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
    s->extra = extraConfigLines ? xstrdup(extraConfigLines) : NULL;
    s->perTest = inTest;
    s->next = servers;
    servers = s;               /* linked first: the handlers must see its pid */
    if (!launch(s, true)) {
        harnessFail(file, line, "srvStart: the server did not start (dir %s "
                    "kept)", s->dir);
        return NULL;
    }
    return s;
}

/* sanitizerReport returns a malloc'd excerpt of the first sanitizer report
 * in the log since the current process started, or NULL. */
static char *sanitizerReport(const srv *s) {
    static const char *marks[] = { "ERROR: AddressSanitizer", "ThreadSanitizer",
                                   "LeakSanitizer", ": runtime error: " };
    size_t n;
    char *text = readFile(s->log, s->logStart, &n), *hit = NULL;
    if (!text) return NULL;
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        char *p = strstr(text, marks[i]);
        if (p && (!hit || p < hit)) hit = p;
    }
    if (!hit) {
        free(text);
        return NULL;
    }
    while (hit > text && hit[-1] != '\n') hit--;
    char *end = hit;
    for (int lines = 0; *end && lines < 40; end++)
        if (*end == '\n') lines++;
    *end = '\0';
    char *excerpt = xstrdup(hit);
    free(text);
    return excerpt;
}

/* stopProcess is srvStop without the bookkeeping of which test failed:
 * returns true when the stop was clean, printing why otherwise. */
static bool stopProcess(srv *s) {
    int status;
    char why[160];
    bool clean;
    if (s->pid <= 0) return true;
    kill(s->pid, SIGTERM);
    if (waitExit(s->pid, STOP_TIMEOUT_MS, &status)) {
        clean = (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
        describeStatus(status, why, sizeof(why));
    } else {
        kill(-s->pid, SIGKILL);
        waitExit(s->pid, STOP_TIMEOUT_MS, &status);
        clean = false;
        snprintf(why, sizeof(why), "did not exit within %d ms of SIGTERM "
                 "and was killed", STOP_TIMEOUT_MS);
    }
    kill(-s->pid, SIGKILL);              /* what it left behind in its group */
    s->pid = 0;
    char *report = sanitizerReport(s);
    if (!clean) {
        printf("  harness: server on port %d %s\n", s->port, why);
        if (!report) printLogTail(s, 30);
    }
    if (report) {
        printf("  harness: sanitizer report in %s:\n", s->log);
        for (char *line = strtok(report, "\n"); line; line = strtok(NULL, "\n"))
            printf("  | %s\n", line);
        free(report);
        clean = false;
    }
    return clean;
}

bool srvStopAt(const char *file, int line, srv *s) {
    if (!s) return true;
    if (stopProcess(s)) return true;
    harnessFail(file, line, "srvStop: server on port %d did not stop cleanly",
                s->port);
    return false;
}

bool srvRestartAt(const char *file, int line, srv *s) {
    if (!s) {
        harnessFail(file, line, "srvRestart: no server (srvStart failed)");
        harnessAbortTest();
    }
    bool ok = srvStopAt(file, line, s);
    if (!launch(s, false)) {
        harnessFail(file, line, "srvRestart: the server did not start again "
                    "on port %d", s->port);
        return false;
    }
    return ok;
}

int srvPortAt(const char *file, int line, srv *s) {
    if (!s) {
        harnessFail(file, line, "srvPort: no server (srvStart failed)");
        harnessAbortTest();
    }
    return s->port;
}

void srvKill(srv *s, int sig) {
    int status;
    if (!s || s->pid <= 0) return;
    kill(s->pid, sig);
    if (!waitExit(s->pid, STOP_TIMEOUT_MS, &status)) {
        kill(-s->pid, SIGKILL);
        waitExit(s->pid, STOP_TIMEOUT_MS, &status);
    }
    kill(-s->pid, SIGKILL);              /* what it left behind in its group */
    s->pid = 0;
}

pid_t srvPid(srv *s) { return s ? s->pid : 0; }

bool srvLogContains(srv *s, const char *needle) {
    size_t n;
    if (!s) return false;
    char *text = readFile(s->log, 0, &n);
    bool found = text && memmem(text, n, needle, strlen(needle)) != NULL;
    free(text);
    return found;
}

/* stopTestServers stops, and judges, the servers the ending test started. */
static void stopTestServers(void) {
    for (srv *s = servers; s; s = s->next)
        if (s->perTest && s->pid > 0 && !stopProcess(s))
            harnessFail(current->file, current->line, "a server this test "
                        "started (port %d) did not stop cleanly", s->port);
}

static bool stopAllServers(void) {
    bool ok = true;
    for (srv *s = servers; s; s = s->next)
        if (!stopProcess(s)) ok = false;
    return ok;
}

static int removeEntry(const char *path, const struct stat *st, int flag,
                       struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP) rmdir(path);
    else unlink(path);
    return 0;
}

static void removeServerDirs(bool failed) {
    const char *keepEnv = getenv("ROOST_KEEP_DIRS");
    bool keep = failed || (keepEnv && strcmp(keepEnv, "1") == 0);
    for (srv *s = servers; s; s = s->next) {
        if (keep) printf("# kept %s\n", s->dir);
        else nftw(s->dir, removeEntry, 16, FTW_DEPTH | FTW_PHYS);
    }
}

/* ---- hiredis clients ---------------------------------------------------------------- */

/* Hiredis 0.14 gives "$-1" and "*-1" the same REDIS_REPLY_NIL. Its reader
 * calls createNil with the task being read, whose type says which one it
 * was, so a wrapper marks the nil of an array in the otherwise unused
 * `integer` field. */
static redisReplyObjectFunctions *hiredisFns;
static redisReplyObjectFunctions markedFns;

static void *createNilMarked(const redisReadTask *task) {
    redisReply *r = hiredisFns->createNil(task);
    if (r && task->type == REDIS_REPLY_ARRAY) r->integer = NIL_ARRAY_MARK;
    return r;
}

static void markNilArrays(redisContext *c) {
    if (!c->reader || !c->reader->fn) return;
    if (!hiredisFns) {
        hiredisFns = c->reader->fn;
        markedFns = *hiredisFns;
        markedFns.createNil = createNilMarked;
    }
    if (c->reader->fn == hiredisFns) c->reader->fn = &markedFns;
}

static void releaseContext(void *p) { redisFree(p); }

redisContext *cliConnectAt(const char *file, int line, srv *s) {
    struct timeval tv = { IO_TIMEOUT_MS / 1000, 0 };
    if (!s || s->pid <= 0) {
        harnessFail(file, line, "cliConnect: %s",
                    s ? "the server is not running" : "no server (srvStart failed)");
        harnessAbortTest();
    }
    redisContext *c = redisConnectWithTimeout("127.0.0.1", s->port, tv);
    if (!c || c->err) {
        harnessFail(file, line, "cliConnect: port %d: %s", s->port,
                    c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        harnessAbortTest();
    }
    redisSetTimeout(c, tv);
    markNilArrays(c);
    return own(c, releaseContext);
}

void cliClose(redisContext *c) {
    if (c && !disown(c)) redisFree(c);
}

static void canonHiredis(sbuf *b, const redisReply *r) {
    switch (r->type) {
    case REDIS_REPLY_STATUS:
        sbCat(b, "+", 1);
        sbCat(b, r->str, r->len);
        break;
    case REDIS_REPLY_ERROR:
        sbCat(b, "-", 1);
        sbCat(b, r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        sbPrintf(b, ":%lld", r->integer);
        break;
    case REDIS_REPLY_NIL:
        sbPuts(b, r->integer == NIL_ARRAY_MARK ? "(nil-array)" : "(nil)");
        break;
    case REDIS_REPLY_STRING:
        sbQuote(b, r->str, r->len);
        break;
    case REDIS_REPLY_ARRAY:
        sbCat(b, "[", 1);
        for (size_t i = 0; i < r->elements; i++) {
            if (i) sbCat(b, ", ", 2);
            canonHiredis(b, r->element[i]);
        }
        sbCat(b, "]", 1);
        break;
    default:
        sbPrintf(b, "(bad reply: hiredis type %d)", r->type);
    }
}

const char *replyText(const redisReply *r) {
    sbuf b = {0};
    if (!r) sbPuts(&b, "(no reply)");
    else canonHiredis(&b, r);
    return sbDone(&b);
}

/* contextFailure renders a failed hiredis call in the canonical channel. */
static const char *contextFailure(const redisContext *c) {
    if (!c) return "(no connection)";
    switch (c->err) {
    case REDIS_ERR_EOF:
        return "(closed)";
    case REDIS_ERR_PROTOCOL:
        return tfmt("(bad reply: %s)", c->errstr);
    case REDIS_ERR_IO:
        if (strstr(c->errstr, "temporarily unavailable") ||
            strstr(c->errstr, "timed out"))
            return "(timeout)";
        return tfmt("(io error: %s)", c->errstr);
    default:
        return tfmt("(io error: %s)", c->err ? c->errstr : "no reply");
    }
}

static const char *finishCall(redisContext *c, redisReply *r) {
    if (!r) return contextFailure(c);
    const char *text = replyText(r);
    freeReplyObject(r);
    return text;
}

const char *cliCallArgv(redisContext *c, int argc, const char **argv,
                        const size_t *lens) {
    if (!c) return "(no connection)";
    return finishCall(c, redisCommandArgv(c, argc, argv, lens));
}

const char *cliCall(redisContext *c, const char *cmdline) {
    args a;
    if (!splitArgs(cmdline, &a)) return BAD_LINE_TEXT;
    const char *text = cliCallArgv(c, a.argc, (const char **)a.argv, a.lens);
    argsFree(&a);
    return text;
}

static int cmpStrPtr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *replySorted(const redisReply *r) {
    if (!r || r->type != REDIS_REPLY_ARRAY) return tfmt("(not an array: %s)", replyText(r));
    char **v = malloc(sizeof(char *) * (r->elements + 1));
    size_t total = 1;
    for (size_t i = 0; i < r->elements; i++) {
        v[i] = r->element[i]->str ? r->element[i]->str : "(nil)";
        total += strlen(v[i]) + 1;
    }
    qsort(v, r->elements, sizeof(char *), cmpStrPtr);
    char *out = malloc(total);
    out[0] = '\0';
    for (size_t i = 0; i < r->elements; i++) {
        if (i) strcat(out, " ");
        strcat(out, v[i]);
    }
    const char *res = tfmt("%s", out);
    free(out);
    free(v);
    return res;
}

const char *cliCallSorted(redisContext *c, const char *cmdline) {
    if (!c) return "(no connection)";
    args a;
    if (!splitArgs(cmdline, &a)) return BAD_LINE_TEXT;
    redisReply *r = redisCommandArgv(c, a.argc, (const char **)a.argv, a.lens);
    argsFree(&a);
    const char *res = replySorted(r);
    if (r) freeReplyObject(r);
    return res;
}

long long cliInfoInt(redisContext *c, const char *section, const char *name) {
    redisReply *r = c ? redisCommand(c, "INFO %s", section) : NULL;
    long long v = -1;
    if (r && r->type == REDIS_REPLY_STRING) {
        size_t n = strlen(name);
        for (const char *p = r->str; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
            if (!strncmp(p, name, n) && p[n] == ':') {
                v = atoll(p + n + 1);
                break;
            }
    }
    if (r) freeReplyObject(r);
    return v;
}

static const char *cliCallv(redisContext *c, const char *fmt, va_list ap) {
    if (!c) return "(no connection)";
    return finishCall(c, redisvCommand(c, fmt, ap));
}

const char *cliCallf(redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const char *text = cliCallv(c, fmt, ap);
    va_end(ap);
    return text;
}

/* ---- raw clients -------------------------------------------------------------------- */

struct raw {
    int fd;                      /* non-blocking socket */
    char *buf;                   /* received, bytes [pos, len) not consumed */
    size_t pos, len, cap;
};

static void releaseRaw(void *p) {
    raw *r = p;
    close(r->fd);
    free(r->buf);
    free(r);
}

raw *rawAttach(int fd) {
    raw *r = calloc(1, sizeof(*r));
    if (!r) abort();
    r->fd = fd;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return own(r, releaseRaw);
}

raw *rawConnectAt(const char *file, int line, srv *s) {
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int one = 1;
    if (!s || s->pid <= 0) {
        harnessFail(file, line, "rawConnect: %s",
                    s ? "the server is not running" : "no server (srvStart failed)");
        harnessAbortTest();
    }
    sa.sin_port = htons((uint16_t)s->port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        harnessFail(file, line, "rawConnect: port %d: %s", s->port,
                    strerror(errno));
        if (fd >= 0) close(fd);
        harnessAbortTest();
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return rawAttach(fd);
}

raw *rawConnectResp3At(const char *file, int line, srv *s) {
    raw *r = rawConnectAt(file, line, s);
    const char *hello = rawCall(r, "HELLO 3");
    if (strncmp(hello, "{\"server\": ", 11) != 0) {
        harnessFail(file, line, "rawConnectResp3: HELLO 3 answered %s", hello);
        harnessAbortTest();
    }
    return r;
}

void rawClose(raw *r) {
    if (r && !disown(r)) releaseRaw(r);
}

int rawFd(raw *r) { return r ? r->fd : -1; }

bool rawSend(raw *r, const void *bytes, size_t n) {
    const char *p = bytes;
    long long deadline = harnessNowMs() + IO_TIMEOUT_MS;
    if (!r) return false;
    while (n > 0) {
        ssize_t w = send(r->fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
        long long left = deadline - harnessNowMs();
        struct pollfd pfd = { r->fd, POLLOUT, 0 };
        if (left <= 0 || poll(&pfd, 1, (int)left) == 0) return false;
    }
    return true;
}

bool rawCmdArgv(raw *r, int argc, const char **argv, const size_t *lens) {
    sbuf b = {0};
    sbPrintf(&b, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) {
        size_t n = lens ? lens[i] : strlen(argv[i]);
        sbPrintf(&b, "$%zu\r\n", n);
        sbCat(&b, argv[i], n);
        sbCat(&b, "\r\n", 2);
    }
    bool ok = rawSend(r, b.s, b.len);
    free(b.s);
    return ok;
}

bool rawCmd(raw *r, int argc, ...) {
    const char **argv = xmalloc(sizeof(char *) * (size_t)(argc > 0 ? argc : 1));
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++) argv[i] = va_arg(ap, const char *);
    va_end(ap);
    bool ok = rawCmdArgv(r, argc, argv, NULL);
    free(argv);
    return ok;
}

bool rawCmdLine(raw *r, const char *cmdline) {
    args a;
    if (!r || !splitArgs(cmdline, &a)) return false;
    bool ok = rawCmdArgv(r, a.argc, (const char **)a.argv, a.lens);
    argsFree(&a);
    return ok;
}

/* The RESP reader. parseValue parses one value starting at buf[*pos] of the
 * n bytes received so far and appends its canonical text to out:
 *   1  a whole value was parsed; *pos is just past it;
 *   0  more bytes are needed (*need, when nonzero, is how many bytes in all
 *      the buffer must hold before another attempt can get further);
 *  -1  malformed; err describes it.
 * The reader re-parses from the reply's first byte after each read, which is
 * simple and, with the *need hint for large bulks, cheap enough for tests. */
typedef struct parser {
    const char *buf;
    size_t n;
    size_t need;
    char err[128];
} parser;

/* parseLine finds the CRLF-terminated line at *pos (after the type byte):
 * sets *line and *len, and moves *pos past the CRLF. */
static int parseLine(parser *ps, size_t *pos, const char **line, size_t *len) {
    const char *start = ps->buf + *pos + 1;
    size_t avail = ps->n - *pos - 1;
    const char *crlf = avail >= 2 ? memmem(start, avail, "\r\n", 2) : NULL;
    if (!crlf) return 0;
    *line = start;
    *len = (size_t)(crlf - start);
    *pos += 1 + *len + 2;
    return 1;
}

static int parseCount(parser *ps, const char *line, size_t len, long long *v) {
    char tmp[32], *end;
    if (len == 0 || len >= sizeof(tmp)) goto bad;
    memcpy(tmp, line, len);
    tmp[len] = '\0';
    errno = 0;
    *v = strtoll(tmp, &end, 10);
    if (*end || errno || *v < -1) goto bad;
    return 1;
bad:
    snprintf(ps->err, sizeof(ps->err), "bad length \"%.*s\"",
             (int)(len < 40 ? len : 40), line);
    return -1;
}

static int parseValue(parser *ps, size_t *pos, sbuf *out, int depth);

/* parseElements parses count values, separated by ", " (or alternately
 * ": " and ", " for maps), between open and close. */
static int parseElements(parser *ps, size_t *pos, sbuf *out, int depth,
                         long long count, bool map, const char *open,
                         const char *close) {
    sbPuts(out, open);
    for (long long i = 0; i < count * (map ? 2 : 1); i++) {
        if (i) sbPuts(out, map && (i % 2) ? ": " : ", ");
        int rc = parseValue(ps, pos, out, depth + 1);
        if (rc != 1) return rc;
    }
    sbPuts(out, close);
    return 1;
}

static int parseValue(parser *ps, size_t *pos, sbuf *out, int depth) {
    const char *line;
    size_t len;
    long long count;
    int rc;
    if (depth > MAX_REPLY_DEPTH) {
        snprintf(ps->err, sizeof(ps->err), "nested deeper than %d", MAX_REPLY_DEPTH);
        return -1;
    }
    if (*pos >= ps->n) return 0;
    char type = ps->buf[*pos];
    if ((rc = parseLine(ps, pos, &line, &len)) != 1) return rc;
    switch (type) {
    case '+': case '-': case ':': case ',': case '(':
        sbCat(out, &type, 1);
        sbCat(out, line, len);
        return 1;
    case '_':
        sbPuts(out, "(nil)");
        return 1;
    case '#':
        if (len != 1 || (line[0] != 't' && line[0] != 'f')) break;
        sbCat(out, "#", 1);
        sbCat(out, line, 1);
        return 1;
    case '$': case '!': case '=':
        if (parseCount(ps, line, len, &count) < 0) return -1;
        if (count == -1 && type == '$') {
            sbPuts(out, "(nil)");
            return 1;
        }
        if (count < 0) break;
        if (ps->n - *pos < (size_t)count + 2) {
            ps->need = *pos + (size_t)count + 2;
            return 0;
        }
        if (memcmp(ps->buf + *pos + count, "\r\n", 2) != 0) {
            snprintf(ps->err, sizeof(ps->err), "%c%lld payload not followed "
                     "by CRLF", type, count);
            return -1;
        }
        if (type == '$') {
            sbQuote(out, ps->buf + *pos, (size_t)count);
        } else {
            sbCat(out, &type, 1);
            sbEscape(out, ps->buf + *pos, (size_t)count);
        }
        *pos += (size_t)count + 2;
        return 1;
    case '*': case '~': case '>': case '%': case '|':
        if (parseCount(ps, line, len, &count) < 0) return -1;
        if (count == -1 && type == '*') {
            sbPuts(out, "(nil-array)");
            return 1;
        }
        if (count < 0) break;
        if (type == '*') return parseElements(ps, pos, out, depth, count, false, "[", "]");
        if (type == '~') return parseElements(ps, pos, out, depth, count, false, "~[", "]");
        if (type == '>') return parseElements(ps, pos, out, depth, count, false, ">[", "]");
        if (type == '%') return parseElements(ps, pos, out, depth, count, true, "{", "}");
        rc = parseElements(ps, pos, out, depth, count, true, "|{", "} ");
        return rc == 1 ? parseValue(ps, pos, out, depth + 1) : rc;
    default:
        snprintf(ps->err, sizeof(ps->err), "unexpected type byte 0x%02x",
                 (unsigned char)type);
        return -1;
    }
    snprintf(ps->err, sizeof(ps->err), "bad %c line \"%.*s\"", type,
             (int)(len < 40 ? len : 40), line);
    return -1;
}

/* rawFill reads what the socket has, waiting up to `ms` for the first byte.
 * Returns the bytes read, 0 on EOF, -1 on error (errno), -2 on timeout. */
static ssize_t rawFill(raw *r, int ms) {
    long long deadline = harnessNowMs() + ms;
    if (r->pos == r->len) r->pos = r->len = 0;
    if (r->cap - r->len < 16384 && r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->len < 16384) {
        r->cap = r->cap ? r->cap * 2 : 65536;
        r->buf = xrealloc(r->buf, r->cap);
    }
    for (;;) {
        ssize_t got = recv(r->fd, r->buf + r->len, r->cap - r->len, 0);
        if (got > 0) {
            r->len += (size_t)got;
            return got;
        }
        if (got == 0) return 0;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        long long left = deadline - harnessNowMs();
        struct pollfd pfd = { r->fd, POLLIN, 0 };
        if (left <= 0) return -2;
        if (poll(&pfd, 1, (int)left) == 0) return -2;
    }
}

const char *rawReadReply(raw *r) {
    long long deadline = harnessNowMs() + IO_TIMEOUT_MS;
    size_t need = 0;
    if (!r) return "(no connection)";
    for (;;) {
        if (r->len - r->pos >= need) {
            parser ps = { r->buf + r->pos, r->len - r->pos, 0, "" };
            size_t pos = 0;
            sbuf out = {0};
            int rc = parseValue(&ps, &pos, &out, 0);
            if (rc == 1) {
                r->pos += pos;
                return sbDone(&out);
            }
            free(out.s);
            if (rc < 0) {
                r->pos = r->len;          /* the stream is lost; drop it */
                return tfmt("(bad reply: %s)", ps.err);
            }
            need = ps.need;
        }
        long long left = deadline - harnessNowMs();
        ssize_t got = left > 0 ? rawFill(r, (int)left) : -2;
        if (got == -2) return "(timeout)";
        if (got == 0) return "(closed)";
        if (got < 0) return tfmt("(io error: %s)", strerror(errno));
        /* Take everything already there before parsing again: a large
         * reply is then re-parsed once per pause, not once per segment. */
        while ((need == 0 || r->len - r->pos < need) && rawFill(r, 0) > 0) {}
    }
}

const char *rawCall(raw *r, const char *cmdline) {
    args a;
    if (!r) return "(no connection)";
    if (!splitArgs(cmdline, &a)) return BAD_LINE_TEXT;
    bool sent = rawCmdArgv(r, a.argc, (const char **)a.argv, a.lens);
    argsFree(&a);
    return sent ? rawReadReply(r) : "(send failed)";
}

static const char *rawCallv(raw *r, const char *fmt, va_list ap) {
    char *cmd = NULL;
    int n = redisvFormatCommand(&cmd, fmt, ap);
    if (n < 0) return "(bad format)";
    bool sent = rawSend(r, cmd, (size_t)n);
    redisFreeCommand(cmd);
    if (!sent) return r ? "(send failed)" : "(no connection)";
    return rawReadReply(r);
}

const char *rawCallf(raw *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const char *text = rawCallv(r, fmt, ap);
    va_end(ap);
    return text;
}

bool rawExpectClosed(raw *r, int timeoutMs) {
    long long deadline = harnessNowMs() + timeoutMs;
    if (!r || r->len > r->pos) return false;
    for (;;) {
        long long left = deadline - harnessNowMs();
        ssize_t got = rawFill(r, left > 0 ? (int)left : 0);
        if (got == 0) return true;
        if (got == -1) return errno == ECONNRESET || errno == EPIPE;
        if (got > 0) {
            r->pos = r->len;
            return false;
        }
        return false;                      /* timed out */
    }
}

/* ---- expectations --------------------------------------------------------------------- */

/* judge compares a canonical reply with the expectation and reports. */
static bool judge(const char *file, int line, const char *command,
                  const char *got, const char *want, bool glob) {
    bool ok = glob ? globMatch(want, got) : strcmp(want, got) == 0;
    if (!ok)
        harnessFail(file, line, "%s failed\n      command:  %s\n"
                    "      %s %s\n      got:      %s",
                    glob ? "EXPECT_MATCH" : "EXPECT", command,
                    glob ? "pattern: " : "expected:", want, got);
    return ok;
}

bool expectCli(const char *file, int line, redisContext *c,
               const char *cmdline, const char *want, bool glob) {
    return judge(file, line, cmdline, cliCall(c, cmdline), want, glob);
}

bool expectCliArgv(const char *file, int line, redisContext *c, int argc,
                   const char **argv, const size_t *lens, const char *want) {
    const char *got = cliCallArgv(c, argc, argv, lens);
    return judge(file, line, showArgv(argc, argv, lens), got, want, false);
}

/* formatShown renders what a hiredis format string sends, for messages. */
static const char *formatShown(const char *fmt, va_list ap) {
    char *cmd = NULL;
    redisReader *rd;
    void *reply = NULL;
    int n = redisvFormatCommand(&cmd, fmt, ap);
    if (n < 0) return fmt;
    const char *shown = fmt;
    if ((rd = redisReaderCreate()) != NULL) {
        redisReaderFeed(rd, cmd, (size_t)n);
        if (redisReaderGetReply(rd, &reply) == REDIS_OK && reply) {
            redisReply *r = reply;
            const char **argv = xmalloc(sizeof(char *) * (r->elements + 1));
            size_t *lens = xmalloc(sizeof(size_t) * (r->elements + 1));
            for (size_t i = 0; i < r->elements; i++) {
                argv[i] = r->element[i]->str;
                lens[i] = r->element[i]->len;
            }
            shown = showArgv((int)r->elements, argv, lens);
            free(argv);
            free(lens);
            freeReplyObject(r);
        }
        redisReaderFree(rd);
    }
    redisFreeCommand(cmd);
    return shown;
}

bool expectClif(const char *file, int line, redisContext *c,
                const char *want, const char *fmt, ...) {
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    const char *got = cliCallv(c, fmt, ap);
    const char *shown = formatShown(fmt, aq);
    va_end(aq);
    va_end(ap);
    return judge(file, line, shown, got, want, false);
}

bool expectRaw(const char *file, int line, raw *r, const char *cmdline,
               const char *want, bool glob) {
    return judge(file, line, cmdline, rawCall(r, cmdline), want, glob);
}

bool expectRawArgv(const char *file, int line, raw *r, int argc,
                   const char **argv, const size_t *lens, const char *want) {
    const char *got = rawCmdArgv(r, argc, argv, lens) ? rawReadReply(r)
                                                        : "(send failed)";
    return judge(file, line, showArgv(argc, argv, lens), got, want, false);
}

bool expectRawf(const char *file, int line, raw *r, const char *want,
                const char *fmt, ...) {
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    const char *got = rawCallv(r, fmt, ap);
    const char *shown = formatShown(fmt, aq);
    va_end(aq);
    va_end(ap);
    return judge(file, line, shown, got, want, false);
}

bool expectReply(const char *file, int line, raw *r, const char *want,
                 bool glob) {
    return judge(file, line, "(next reply)", rawReadReply(r), want, glob);
}

/* ---- external programs ------------------------------------------------------------------ */

static int cmdTimeoutMs = 60000;

int runCmdSetTimeout(int ms) {
    int old = cmdTimeoutMs;
    cmdTimeoutMs = ms;
    return old;
}

/* pumpCmd moves input into the child's stdin and its output into b until
 * the output pipe closes or the deadline passes; returns false on timeout. */
static bool pumpCmd(int outFd, int inFd, const char *input, sbuf *b,
                    long long deadline) {
    size_t inLeft = input ? strlen(input) : 0;
    char chunk[16384];
    for (;;) {
        struct pollfd pfd[2] = { { outFd, POLLIN, 0 }, { inFd, POLLOUT, 0 } };
        int nfds = inFd >= 0 ? 2 : 1;
        long long left = deadline - harnessNowMs();
        if (left <= 0) return false;
        int p = poll(pfd, (nfds_t)nfds, (int)left);
        if (p < 0 && errno == EINTR) continue;
        if (p <= 0) return false;
        if (inFd >= 0 && pfd[1].revents) {
            ssize_t w = inLeft ? write(inFd, input, inLeft) : 0;
            if (w > 0) {
                input += w;
                inLeft -= (size_t)w;
            }
            if (inLeft == 0 || (w < 0 && errno != EAGAIN && errno != EINTR)) {
                close(inFd);
                inFd = -1;
            }
        }
        if (pfd[0].revents) {
            ssize_t got = read(outFd, chunk, sizeof(chunk));
            if (got > 0) sbCat(b, chunk, (size_t)got);
            else if (got == 0 || errno != EINTR) break;
        }
    }
    if (inFd >= 0) close(inFd);
    return true;
}

static int runShell(const char *input, char **output, const char *cmd) {
    int out[2], in[2] = { -1, -1 };
    sbuf b = {0};
    int status = 0, rc;
    long long deadline = harnessNowMs() + cmdTimeoutMs;
    pid_t parent = getpid();
    if (output) *output = "(could not start)";
    if (pipe2(out, O_CLOEXEC) != 0) return -1;
    if (input && pipe2(in, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        setpgid(0, 0);
        dup2(input ? in[0] : null, STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        childSetup(parent);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    if (input) close(in[0]);
    if (pid < 0) {
        close(out[0]);
        if (input) close(in[1]);
        return -1;
    }
    setpgid(pid, pid);
    cmdPgid = pid;
    if (input) fcntl(in[1], F_SETFL, O_NONBLOCK);
    bool finished = pumpCmd(out[0], input ? in[1] : -1, input, &b, deadline);
    close(out[0]);
    if (finished) {
        long long left = deadline - harnessNowMs();
        finished = waitExit(pid, left > 0 ? (int)left : 0, &status);
    }
    if (!finished) {
        kill(-pid, SIGKILL);
        waitExit(pid, STOP_TIMEOUT_MS, &status);
        sbPrintf(&b, "\n(timed out after %d ms)", cmdTimeoutMs);
        rc = -1;
    } else if (WIFEXITED(status)) {
        rc = WEXITSTATUS(status);
    } else {
        rc = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    }
    kill(-pid, SIGKILL);              /* stragglers the shell left behind */
    cmdPgid = 0;
    const char *text = sbDone(&b);
    if (output) *output = (char *)text;
    return rc;
}

int runCmd(char **output, const char *fmt, ...) {
    sbuf cmd = {0};
    va_list ap;
    va_start(ap, fmt);
    sbVprintf(&cmd, fmt, ap);
    va_end(ap);
    int rc = runShell(NULL, output, cmd.s ? cmd.s : "");
    free(cmd.s);
    return rc;
}

int runCmdInput(const char *input, char **output, const char *fmt, ...) {
    sbuf cmd = {0};
    va_list ap;
    va_start(ap, fmt);
    sbVprintf(&cmd, fmt, ap);
    va_end(ap);
    int rc = runShell(input ? input : "", output, cmd.s ? cmd.s : "");
    free(cmd.s);
    return rc;
}

const char *sha1Hex(const char *text) {
    char *out = NULL;
    if (runCmdInput(text, &out, "sha1sum") != 0 || !out || strspn(out, "0123456789abcdef") != 40) {
        harnessFail(__FILE__, __LINE__, "sha1sum failed: %s", out ? out : "(no output)");
        return "(sha1sum failed)";
    }
    return tfmt("%.40s", out);
}

/* ---- concurrent writers -------------------------------------------------------- */

static void writerChild(int port, int w, int each, int (*append)(redisContext *, int, int),
                        bool wantInt) {
    redisContext *x = redisConnect("127.0.0.1", port);
    if (!x || x->err) _exit(2);
    long replies = 0;
    for (int i = 0; i < each; i++) replies += append(x, w, i);
    for (long i = 0; i < replies; i++) {
        redisReply *r;
        if (redisGetReply(x, (void **)&r) != REDIS_OK || r->type == REDIS_REPLY_ERROR ||
            (wantInt && r->type != REDIS_REPLY_INTEGER))
            _exit(3);
        freeReplyObject(r);
    }
    _exit(0);
}

void forkWriters(srv *s, int writers, int each, int (*append)(redisContext *x, int w, int i),
                 bool wantInt) {
    int port = srvPort(s);
    pid_t *pids = calloc((size_t)writers, sizeof *pids);
    REQUIRE(pids);
    for (int w = 0; w < writers; w++) {
        pids[w] = fork();
        REQUIRE(pids[w] >= 0);
        if (pids[w] == 0) writerChild(port, w, each, append, wantInt);
    }
    for (int w = 0; w < writers; w++) {
        int status = 0;
        waitpid(pids[w], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d status %d", w, status);
    }
    free(pids);
}
