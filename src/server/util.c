/* util.c — clocks, argument parsing and number formatting shared by the
 * command handlers. Number formats follow Redis 7.0 exactly (scores and
 * INCRBYFLOAT results are compared byte for byte by clients and tests). */
#include "server/server.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

int64_t ustime(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t mstime(void) { return ustime() / 1000; }

bool argEq(client *c, int i, const char *s) {
    size_t n = strlen(s);
    return c->argvlen[i] == n && strncasecmp(c->argv[i], s, n) == 0;
}

bool getLongLongFromArg(client *c, int i, long long *v) {
    return str2ll(c->argv[i], c->argvlen[i], v);
}

bool getLongLongFromArgOrReply(client *c, int i, long long *v, const char *msg) {
    if (getLongLongFromArg(c, i, v)) return true;
    addReplyError(c, msg ? msg : "value is not an integer or out of range");
    return false;
}

bool getPositiveLongFromArgOrReply(client *c, int i, long *v, const char *msg) {
    long long ll;
    if (!getLongLongFromArg(c, i, &ll) || ll < 0 || ll > LONG_MAX) {
        addReplyError(c, msg ? msg : "value is out of range, must be positive");
        return false;
    }
    *v = (long)ll;
    return true;
}

/* getDoubleFromArg: Redis's string2d: strtod over the whole string, no
 * leading space, not NaN. */
bool getDoubleFromArg(client *c, int i, double *v) {
    char buf[MAX_LONG_DOUBLE_CHARS + 1];
    size_t n = c->argvlen[i];
    if (n == 0 || n > MAX_LONG_DOUBLE_CHARS) return false;
    memcpy(buf, c->argv[i], n);
    buf[n] = '\0';
    if (isspace((unsigned char)buf[0])) return false;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if ((size_t)(end - buf) != n || (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL || d == 0)) ||
        isnan(d))
        return false;
    *v = d;
    return true;
}

/* str2ld: Redis's string2ld. strtold must consume every byte (an embedded
 * NUL ends the number early and is refused); a leading space, NaN and
 * overflow are refused, underflow to a denormal is not. noinline: the 5 KB
 * buffer must not join a caller's frame on a 64 KB coroutine stack. */
__attribute__((noinline)) bool str2ld(const char *p, size_t len, long double *out) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    if (len == 0 || len >= sizeof buf) return false;
    memcpy(buf, p, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long double v = strtold(buf, &end);
    if (isspace((unsigned char)buf[0]) || (size_t)(end - buf) != len ||
        (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0)) || isnan(v))
        return false;
    *out = v;
    return true;
}

bool getLongDoubleFromArgOrReply(client *c, int i, long double *v, const char *msg) {
    if (str2ld(c->argv[i], c->argvlen[i], v)) return true;
    addReplyError(c, msg ? msg : "value is not a valid float");
    return false;
}

/* double2str: Redis 7.0 replies doubles with "%.17g" (inf as "inf"). */
int double2str(char *buf, size_t cap, double d) {
    if (isinf(d)) return snprintf(buf, cap, "%s", d > 0 ? "inf" : "-inf");
    return snprintf(buf, cap, "%.17g", d);
}

/* longdouble2str: Redis's ld2string. humanfriendly (INCRBYFLOAT): "%.17Lf"
 * with trailing zeros and a trailing dot removed; otherwise "%.17Lg". */
int longdouble2str(char *buf, size_t cap, long double d, bool humanfriendly) {
    if (isinf(d)) return snprintf(buf, cap, "%s", d > 0 ? "inf" : "-inf");
    int n;
    if (humanfriendly) {
        n = snprintf(buf, cap, "%.17Lf", d);
        if (n < 0 || (size_t)n >= cap) return -1;
        if (strchr(buf, '.')) {
            char *p = buf + n - 1;
            while (*p == '0') { p--; n--; }
            if (*p == '.') n--;
            buf[n] = '\0';
        }
        if (n == 2 && buf[0] == '-' && buf[1] == '0') { buf[0] = '0'; buf[1] = '\0'; n = 1; }
    } else {
        n = snprintf(buf, cap, "%.17Lg", d);
    }
    return n;
}

/* getScanCursorOrReply: a SCAN-family cursor, parsed like Redis's
 * parseScanCursorOrReply (strtoul: no leading space, the whole argument,
 * no overflow; "-1" wraps as in C). Replies "invalid cursor" on failure. */
bool getScanCursorOrReply(client *c, int i, unsigned long long *cursor) {
    char small[64];
    size_t n = c->argvlen[i];
    char *buf = n < sizeof small ? small : zmalloc(n + 1);
    memcpy(buf, c->argv[i], n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    bool ok = !isspace((unsigned char)buf[0]) && *end == '\0' && errno != ERANGE;
    if (buf != small) zfree(buf);
    if (!ok) {
        addReplyError(c, "invalid cursor");
        return false;
    }
    *cursor = v;
    return true;
}
