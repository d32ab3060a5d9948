/* reply.c — building RESP2 / RESP3 replies into the client's output buffer.
 *
 * The buffer is one flat, growing block (c->obuf, c->olen); the client's G
 * writes it out once per batch of commands (networking.c), so a pipeline of
 * 16 GETs costs one write(2). Only the client's own G appends here.
 *
 * RESP3 types fall back to RESP2 the way Redis does: map → array of 2n,
 * set → array, null → $-1 (or *-1 for a null array), double → bulk string,
 * boolean → :1/:0, verbatim → bulk string, push → array.
 *
 * Deferred lengths (for replies whose count is known only at the end):
 * addReplyDeferredLen remembers the offset; setDeferred*Len inserts the
 * header there, moving what follows (a memmove of the elements written
 * since, once per deferred reply).
 */
#include "server/server.h"

#include <math.h>
#include <stdio.h>

#define OBUF_MIN 1024

static void obufReserve(client *c, size_t n) {
    if (c->olen + n <= c->ocap) return;
    size_t cap = c->ocap ? c->ocap : OBUF_MIN;
    while (cap < c->olen + n) cap *= 2;
    c->obuf = zrealloc(c->obuf, cap);
    c->ocap = zmallocSize(c->obuf);
}

static bool replySuppressed(client *c) {
    return (c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) != 0;
}

void addReplyProto(client *c, const char *s, size_t len) {
    if (replySuppressed(c)) return;
    obufReserve(c, len);
    memcpy(c->obuf + c->olen, s, len);
    c->olen += len;
}

/* addReplyPrefixed appends "<p><n>\r\n". */
static void addReplyPrefixed(client *c, char p, long long n) {
    if (replySuppressed(c)) return;
    obufReserve(c, 24);
    char *b = c->obuf + c->olen;
    b[0] = p;
    int l = ll2str(b + 1, n);
    b[1 + l] = '\r';
    b[2 + l] = '\n';
    c->olen += (size_t)l + 3;
}

void addReplyStatus(client *c, const char *s) {
    if (replySuppressed(c)) return;
    size_t n = strlen(s);
    obufReserve(c, n + 3);
    c->obuf[c->olen++] = '+';
    memcpy(c->obuf + c->olen, s, n);
    c->olen += n;
    c->obuf[c->olen++] = '\r';
    c->obuf[c->olen++] = '\n';
}

void addReplyOK(client *c) { addReplyProto(c, "+OK\r\n", 5); }

void addReplyError(client *c, const char *msg) {
    hotStatAdd(HSTAT_ERRORS, 1);
    errorStatsIncr(msg);
    c->nerrors++;
    if (replySuppressed(c)) return;
    size_t n = strlen(msg);
    if (msg[0] == '-') {
        addReplyProto(c, msg, n);
    } else {
        addReplyProto(c, "-ERR ", 5);
        addReplyProto(c, msg, n);
    }
    addReplyProto(c, "\r\n", 2);
}

void addReplyErrorFormat(client *c, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++)   /* an error is one line */
        if (*p == '\r' || *p == '\n') *p = ' ';
    addReplyError(c, buf);
}

void addReplyErrorArity(client *c) {
    addReplyErrorFormat(c, "wrong number of arguments for '%s' command", c->cmd->fullname);
}

void addReplyErrorSyntax(client *c) { addReplyError(c, "syntax error"); }

void addReplyErrorWrongType(client *c) {
    addReplyError(c, "-WRONGTYPE Operation against a key holding the wrong kind of value");
}

void addReplyErrorNotInt(client *c) { addReplyError(c, "value is not an integer or out of range"); }
void addReplyErrorNotFloat(client *c) { addReplyError(c, "value is not a valid float"); }

void addReplyLongLong(client *c, long long v) {
    if (v == 0) { addReplyProto(c, ":0\r\n", 4); return; }
    if (v == 1) { addReplyProto(c, ":1\r\n", 4); return; }
    addReplyPrefixed(c, ':', v);
}

void addReplyBulk(client *c, const char *p, size_t len) {
    if (replySuppressed(c)) return;
    obufReserve(c, len + 24);
    addReplyPrefixed(c, '$', (long long)len);
    memcpy(c->obuf + c->olen, p, len);
    c->olen += len;
    c->obuf[c->olen++] = '\r';
    c->obuf[c->olen++] = '\n';
}

void addReplyBulkCString(client *c, const char *s) {
    if (!s) addReplyNull(c);
    else addReplyBulk(c, s, strlen(s));
}

void addReplyBulkLongLong(client *c, long long v) {
    char buf[24];
    int n = ll2str(buf, v);
    addReplyBulk(c, buf, (size_t)n);
}

void addReplyNull(client *c) {
    if (c->resp == 2) addReplyProto(c, "$-1\r\n", 5);
    else addReplyProto(c, "_\r\n", 3);
}

void addReplyNullArray(client *c) {
    if (c->resp == 2) addReplyProto(c, "*-1\r\n", 5);
    else addReplyProto(c, "_\r\n", 3);
}

void addReplyArrayLen(client *c, long len) { addReplyPrefixed(c, '*', len); }
void addReplyMapLen(client *c, long len) {
    if (c->resp == 2) addReplyPrefixed(c, '*', len * 2);
    else addReplyPrefixed(c, '%', len);
}
void addReplySetLen(client *c, long len) { addReplyPrefixed(c, c->resp == 2 ? '*' : '~', len); }
void addReplyPushLen(client *c, long len) { addReplyPrefixed(c, c->resp == 2 ? '*' : '>', len); }

void addReplyDouble(client *c, double d) {
    char buf[64];
    int n;
    if (isinf(d)) n = snprintf(buf, sizeof buf, "%s", d > 0 ? "inf" : "-inf");
    else n = double2str(buf, sizeof buf, d);
    if (c->resp == 2) {
        addReplyBulk(c, buf, (size_t)n);
    } else {
        addReplyProto(c, ",", 1);
        addReplyProto(c, buf, (size_t)n);
        addReplyProto(c, "\r\n", 2);
    }
}

void addReplyBool(client *c, bool b) {
    if (c->resp == 2) addReplyProto(c, b ? ":1\r\n" : ":0\r\n", 4);
    else addReplyProto(c, b ? "#t\r\n" : "#f\r\n", 4);
}

void addReplyVerbatim(client *c, const char *p, size_t len, const char *ext) {
    if (c->resp == 2) {
        addReplyBulk(c, p, len);
        return;
    }
    addReplyPrefixed(c, '=', (long long)len + 4);
    addReplyProto(c, ext, 3);
    addReplyProto(c, ":", 1);
    addReplyProto(c, p, len);
    addReplyProto(c, "\r\n", 2);
}

void addReplyKvString(client *c, const kvobj *o) {
    char buf[24];
    size_t len;
    const char *p = kvStr(o, buf, &len);
    addReplyBulk(c, p, len);
}

/* upperName copies the command name the user typed, upper-cased. */
static void upperName(char *dst, size_t cap, const char *src, size_t len) {
    size_t n = len < cap - 1 ? len : cap - 1;
    for (size_t k = 0; k < n; k++)
        dst[k] = (src[k] >= 'a' && src[k] <= 'z') ? (char)(src[k] - 32) : src[k];
    dst[n] = '\0';
}

void addReplyHelp(client *c, const char **lines) {
    char name[64], first[160];
    upperName(name, sizeof name, c->argv[0], c->argvlen[0]);
    snprintf(first, sizeof first, "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", name);
    long n = 0;
    while (lines[n]) n++;
    addReplyArrayLen(c, n + 3);
    addReplyStatus(c, first);
    for (long i = 0; i < n; i++) addReplyStatus(c, lines[i]);
    addReplyStatus(c, "HELP");
    addReplyStatus(c, "    Prints this help.");
}

void addReplySubcommandSyntaxError(client *c) {
    char name[64];
    upperName(name, sizeof name, c->argv[0], c->argvlen[0]);
    addReplyErrorFormat(c, "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
                        c->argc > 1 ? c->argv[1] : "", name);
}

/* ---- deferred lengths ------------------------------------------------------- */

size_t addReplyDeferredLen(client *c) {
    return replySuppressed(c) ? SIZE_MAX : c->olen;
}

static void setDeferred(client *c, size_t at, char p, long len) {
    if (at == SIZE_MAX || replySuppressed(c)) return;
    char hdr[24];
    hdr[0] = p;
    int l = ll2str(hdr + 1, len);
    hdr[1 + l] = '\r';
    hdr[2 + l] = '\n';
    size_t hl = (size_t)l + 3;
    obufReserve(c, hl);
    memmove(c->obuf + at + hl, c->obuf + at, c->olen - at);
    memcpy(c->obuf + at, hdr, hl);
    c->olen += hl;
}

void setDeferredArrayLen(client *c, size_t h, long len) { setDeferred(c, h, '*', len); }
void setDeferredMapLen(client *c, size_t h, long len) {
    if (c->resp == 2) setDeferred(c, h, '*', len * 2);
    else setDeferred(c, h, '%', len);
}
void setDeferredSetLen(client *c, size_t h, long len) { setDeferred(c, h, c->resp == 2 ? '*' : '~', len); }
