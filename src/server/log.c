/* log.c — serverLog, in Redis's line format:
 *   "<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level char> <message>"
 * with level chars . - * # (debug, verbose, notice, warning). Lines below
 * the configured loglevel are dropped. Output goes to the logfile, or to
 * stdout when logfile is "" (Redis's default). Any thread; one write(2) per
 * line, so lines from different threads never interleave. */
#include "server/server.h"
#include "server/config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

void serverLog(int level, const char *fmt, ...) {
    if (level < cfg.loglevel) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char ts[64];
    size_t off = strftime(ts, sizeof ts, "%d %b %Y %H:%M:%S.", &tm);
    snprintf(ts + off, sizeof ts - off, "%03d", (int)(tv.tv_usec / 1000));
    char line[1200];
    int n = snprintf(line, sizeof line, "%d:M %s %c %s\n", (int)getpid(), ts,
                     ".-*#"[level < 0 ? 0 : level > 3 ? 3 : level], msg);
    if (n < 0) return;
    if ((size_t)n > sizeof line) n = sizeof line;
    int fd = 1;
    bool opened = false;
    if (cfg.logfile && cfg.logfile[0]) {
        fd = open(cfg.logfile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return;
        opened = true;
    }
    if (write(fd, line, (size_t)n) < 0) { /* nowhere to report it */ }
    if (opened) close(fd);
}
