/* shim_main.c — the runner for criterion.h's stand-in (TSan builds): forks
 * each registered test, enforces .timeout (default 120 s), and prints
 * Criterion's summary line "Synthesis: Tested: N | Passing: P | Failing: F
 * | Crashing: C". A test fails when an assertion fails (exit 1) and crashes
 * when it dies from a signal or times out. Options: a test name filter as
 * argv[1] (substring of "suite::name"); Criterion's --jobs/--ascii accepted
 * and ignored. */
#include "criterion/criterion.h"

#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

static crTest *tests;
static crSuite *suites;

void crRegisterSuite(crSuite *s) {
    s->next = suites;
    suites = s;
}

/* suiteOpts: a test inherits its suite's init/fini/timeout unless it has its own. */
static void applySuite(crTest *t) {
    for (crSuite *s = suites; s; s = s->next) {
        if (strcmp(s->name, t->suite) != 0) continue;
        if (!t->opts.init) t->opts.init = s->opts.init;
        if (!t->opts.fini) t->opts.fini = s->opts.fini;
        if (t->opts.timeout <= 0) t->opts.timeout = s->opts.timeout;
    }
}
static bool expectFailed;

void crRegister(crTest *t) {
    crTest **pp = &tests;
    while (*pp) pp = &(*pp)->next;   /* keep file order */
    *pp = t;
}

void crFail(const char *file, int line, bool fatal, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "[----] %s:%d: Assertion Failed\n[----]   ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    if (fatal) _exit(1);
    expectFailed = true;
}

void crSkip(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    _exit(77);
}

static int runOne(crTest *t) {
    pid_t pid = fork();
    if (pid == 0) {
        if (t->opts.init) t->opts.init();
        t->fn();
        if (t->opts.fini) t->opts.fini();
        fflush(NULL);
        _exit(expectFailed ? 1 : 0);
    }
    /* sanitizers slow code 5-15x: scale the test's own limit */
    int timeout = 5 * (t->opts.timeout > 0 ? (int)t->opts.timeout : 60);
    int status = 0;
    for (int waited = 0;; waited++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (waited >= timeout * 10) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fprintf(stderr, "[----] %s::%s: timed out\n", t->suite, t->name);
            return 2;
        }
        usleep(100000);
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "[----] %s::%s: killed by signal %d\n", t->suite, t->name, WTERMSIG(status));
        return 2;
    }
    int code = WEXITSTATUS(status);
    return code == 77 ? 3 : code ? 1 : 0;
}

int main(int argc, char **argv) {
    const char *filter = NULL;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--", 2) != 0) filter = argv[i];
    int tested = 0, passing = 0, failing = 0, crashing = 0;
    for (crTest *t = tests; t; t = t->next) {
        char full[256];
        snprintf(full, sizeof full, "%s::%s", t->suite, t->name);
        if (t->opts.disabled || (filter && !strstr(full, filter))) continue;
        applySuite(t);
        int r = runOne(t);
        if (r == 3) { fprintf(stderr, "[SKIP] %s\n", full); continue; }
        tested++;
        if (r == 0) passing++;
        else if (r == 1) { failing++; fprintf(stderr, "[FAIL] %s\n", full); }
        else { failing++; crashing++; fprintf(stderr, "[FAIL] %s: CRASH!\n", full); }
    }
    fprintf(stderr, "[====] Synthesis: Tested: %d | Passing: %d | Failing: %d | Crashing: %d \n",
            tested, passing, failing, crashing);
    return failing ? 1 : 0;
}
