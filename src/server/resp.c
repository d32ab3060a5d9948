/* resp.c — the RESP request parser (contract, states and the Redis 7.0
 * behaviours it keeps: resp.h).
 *
 * Layout: helpers (numbers, line ends, argv) / multibulk / inline / API.
 *
 * Hot path. A complete small multibulk command in the buffer goes through
 * respParse → parseCount → parseBulks, and every "*<n>\r\n" and "$<n>\r\n"
 * line is read by fastLen(): one or two digits without a loop, otherwise
 * one pass over the digits; no search, no call.
 * Only odd lines (a sign, a leading zero, more than 18 digits, a missing
 * '\r', a partial line) take the slow path, which finds the line end exactly
 * as Redis does (first '\r', hidden by an earlier NUL) and converts with
 * Redis's string2ll() rules. Both paths agree on every input: fastLen()
 * accepts only lines made of digits then '\r', for which the first '\r' is
 * that one and string2ll() gives the same value.
 *
 * Resumability. Everything before p->pos is parsed and never looked at
 * again. Inside an unfinished line, p->scan remembers how far the search for
 * the line end got, so a 64 KB line fed one byte at a time costs 64 KB of
 * scanning, not 2 GB. The fast path re-reads at most 20 bytes per call.
 *
 * Inline splitting follows Redis's sdssplitargs() (Redis 7.0), rewritten:
 *   - words are separated by blanks (' ', \t, \n, \v, \f, \r) — but an
 *     unquoted word ends only at ' ', \t, \n or \r, so "a\vb" is one word;
 *   - "double quotes" take \xHH (two hex digits), \n \r \t \b \a, and a
 *     backslash before any other byte means that byte ("\q" is q, "\x4g" is
 *     x4g);
 *   - 'single quotes' take only \' ; other backslashes are literal;
 *   - a quote may open in the middle of a word (a"b c" is one word: ab c);
 *   - a closing quote must be followed by a blank or the end of the line,
 *     and a quote that never closes is an error: both are "unbalanced
 *     quotes".
 * The line cannot contain a NUL (it would hide the '\n'), so the end of the
 * line plays the role of sdssplitargs' terminating NUL.
 */
#include "server/resp.h"

#include <stdint.h>
#include <string.h>

#include "storage/zmalloc.h"

#define RESP_ARGV_KEEP 1024       /* argv entries kept across commands */
#define RESP_INLINE_KEEP 4096     /* inlineBuf bytes kept across commands */
#define RESP_ARGV_MIN 16          /* smallest argv allocation */
#define RESP_LONG_STR_SIZE 21     /* string2ll() rejects strings this long */
#define RESP_FAST_DIGITS 18       /* 18 digits cannot overflow a long long */

/* Offsets are size_t and "pos + bulkLen + 2" must not wrap for any bulk
 * length a long long limit allows. */
_Static_assert(sizeof(size_t) >= 8, "resp.c assumes a 64-bit size_t");

/* Internal result of a step: keep going with the next state. */
#define RESP_CONTINUE (-1)

/* The texts Redis 7.0 sends after "-ERR ". */
static const char errTooBigInline[] = "Protocol error: too big inline request";
static const char errUnbalanced[] = "Protocol error: unbalanced quotes in request";
static const char errTooBigMbulk[] = "Protocol error: too big mbulk count string";
static const char errInvalidMbulk[] = "Protocol error: invalid multibulk length";
static const char errUnauthMbulk[] = "Protocol error: unauthenticated multibulk length";
static const char errTooBigBulk[] = "Protocol error: too big bulk count string";
static const char errInvalidBulk[] = "Protocol error: invalid bulk length";
static const char errUnauthBulk[] = "Protocol error: unauthenticated bulk length";
static const char errExpectedPrefix[] = "Protocol error: expected '$', got '";

/* Results of findLineEnd(). */
enum { LINE_FOUND, LINE_MORE, LINE_TOOBIG };

/* ---- helpers --------------------------------------------------------------- */

static int fail(respParser *p, const char *text) {
    p->state = RESP_ST_ERROR;
    p->errText = text;
    return RESP_ERROR;
}

/* failExpected: "expected '$', got 'c'". Redis maps CR and LF in error texts
 * to spaces; c is never NUL (a NUL would have hidden the line's end). */
static int failExpected(respParser *p, char c) {
    size_t n = sizeof errExpectedPrefix - 1;
    memcpy(p->errBuf, errExpectedPrefix, n);
    p->errBuf[n] = (c == '\r' || c == '\n') ? ' ' : c;
    p->errBuf[n + 1] = '\'';
    p->errBuf[n + 2] = '\0';
    return fail(p, p->errBuf);
}

/* strToLL: Redis's string2ll() rules. Accepts [-]digits with no leading zero
 * (except "0" itself; "-0" is rejected), no '+', no blanks, fewer than 21
 * characters, within long long. Returns true and sets *v on success. */
static bool strToLL(const char *s, size_t n, long long *v) {
    if (n == 0 || n >= RESP_LONG_STR_SIZE) return false;
    if (n == 1 && s[0] == '0') {
        *v = 0;
        return true;
    }
    size_t i = 0;
    bool neg = s[0] == '-';
    if (neg && ++i == n) return false;
    if (s[i] < '1' || s[i] > '9') return false;
    unsigned long long u = (unsigned long long)(s[i++] - '0');
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9 || u > (ULLONG_MAX - d) / 10) return false;
        u = u * 10 + d;
    }
    if (neg) {
        if (u > (unsigned long long)LLONG_MAX + 1) return false;
        *v = u == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)u;
    } else {
        if (u > (unsigned long long)LLONG_MAX) return false;
        *v = (long long)u;
    }
    return true;
}

/* fastLen: the common case of a "*" or "$" line whose number starts at
 * buf[i]: 1–18 digits without a leading zero (or exactly "0"), then '\r',
 * then one more byte present. Sets *v and *next (the byte after the line)
 * and returns true; false means "ask the slow path", never "invalid". */
static inline bool fastLen(const char *buf, size_t len, size_t i,
                           long long *v, size_t *next) {
    /* One or two digits, the usual case, without the loop. */
    if (len - i >= 4) {
        unsigned d0 = (unsigned)(unsigned char)buf[i] - '0';
        unsigned d1 = (unsigned)(unsigned char)buf[i + 1] - '0';
        if (d0 - 1 < 9 && buf[i + 1] == '\r') {
            *v = d0;
            *next = i + 3;
            return true;
        }
        if (d0 - 1 < 9 && d1 <= 9 && buf[i + 2] == '\r') {
            *v = d0 * 10 + d1;
            *next = i + 4;
            return true;
        }
    }
    size_t max = len - i > RESP_FAST_DIGITS ? i + RESP_FAST_DIGITS : len;
    unsigned long long u = 0;
    size_t j = i;
    unsigned d;
    while (j < max && (d = (unsigned)(unsigned char)buf[j] - '0') <= 9) {
        u = u * 10 + d;
        j++;
    }
    if (j == i || j + 1 >= len || buf[j] != '\r') return false;
    if (buf[i] == '0' && j != i + 1) return false;
    *v = (long long)u;
    *next = j + 2;
    return true;
}

/* findLineEnd: find the byte `eol` ('\r' or '\n') ending the line that starts
 * at `start`, searching only from where the last call stopped (p->scan). As
 * with Redis's strchr(), a NUL before the end hides it for good. The end must
 * lie within the line's first RESP_LINE_MAX + 1 bytes.
 * Returns LINE_FOUND with *at = offset of the end byte; LINE_MORE with
 * p->need set; LINE_TOOBIG when that many bytes hold no visible end. */
static int findLineEnd(respParser *p, const char *buf, size_t len,
                       size_t start, int eol, size_t *at) {
    size_t limit = start + RESP_LINE_MAX + 1;
    size_t end = len < limit ? len : limit;
    if (!p->lineDead) {
        size_t from = p->scan > start ? p->scan : start;
        if (from < end) {
            const char *e = memchr(buf + from, eol, end - from);
            size_t stop = e ? (size_t)(e - buf) : end;
            if (memchr(buf + from, '\0', stop - from) != NULL) {
                p->lineDead = true;
            } else if (e) {
                p->scan = stop;
                *at = stop;
                return LINE_FOUND;
            } else {
                p->scan = end;
            }
        }
    }
    if (len >= limit) return LINE_TOOBIG;
    p->need = p->lineDead ? limit : len + 1;
    return LINE_MORE;
}

/* argvResize: make room for exactly cap entries (cap >= p->argc). */
static void argvResize(respParser *p, int cap) {
    p->argv = zrealloc(p->argv, (size_t)cap * sizeof *p->argv);
    p->argvCap = cap;
}

/* argvGrow: room for one more entry, doubling, but never beyond `most`
 * entries in all (the arguments the command can still have). */
static void argvGrow(respParser *p, long long most) {
    long long cap = p->argvCap < RESP_ARGV_MIN ? RESP_ARGV_MIN : 2LL * p->argvCap;
    if (cap > most) cap = most;
    if (cap > INT_MAX) cap = INT_MAX;
    argvResize(p, (int)cap);
}

static inline void argvPush(respParser *p, size_t off, size_t len, long long most) {
    if (p->argc == p->argvCap) argvGrow(p, most);
    p->argv[p->argc].off = off;
    p->argv[p->argc].len = len;
    p->argc++;
}

/* ---- multibulk ------------------------------------------------------------- */

/* parseCount: the "*<n>\r?" line at buf[0] (buf[0] == '*'). Returns
 * RESP_CONTINUE in state BULKLEN, RESP_EMPTY for n <= 0, RESP_NEED_MORE or
 * RESP_ERROR. Validity first, then the unauthenticated limit, as Redis. */
static int parseCount(respParser *p, const char *buf, size_t len, const respLimits *lim) {
    long long n;
    size_t next;
    if (!fastLen(buf, len, 1, &n, &next)) {
        size_t at;
        int r = findLineEnd(p, buf, len, 0, '\r', &at);
        if (r == LINE_TOOBIG) return fail(p, errTooBigMbulk);
        if (r == LINE_MORE) return RESP_NEED_MORE;
        if (at + 1 >= len) {                  /* the byte after '\r' */
            p->need = at + 2;
            return RESP_NEED_MORE;
        }
        if (!strToLL(buf + 1, at - 1, &n)) return fail(p, errInvalidMbulk);
        next = at + 2;
    }
    if (n > INT_MAX || n > lim->maxMultibulk) return fail(p, errInvalidMbulk);
    if (n > RESP_UNAUTH_MAX_MULTIBULK && !lim->authenticated)
        return fail(p, errUnauthMbulk);
    p->pos = next;
    if (n <= 0) {
        p->state = RESP_ST_EMPTY;
        return RESP_EMPTY;
    }
    p->remaining = (int)n;
    int want = n < RESP_ARGV_INITIAL ? (int)n : RESP_ARGV_INITIAL;
    if (p->argvCap < want) argvResize(p, want < RESP_ARGV_MIN ? RESP_ARGV_MIN : want);
    p->state = RESP_ST_BULKLEN;
    return RESP_CONTINUE;
}

/* slowBulkLen: the "$<n>\r?" line at buf[start] when fastLen() declined.
 * Returns RESP_CONTINUE with *n and *next set, RESP_NEED_MORE or RESP_ERROR
 * (limits are the caller's). Redis checks the '$' only once the line is
 * complete, and the number only after the '$'. */
static int slowBulkLen(respParser *p, const char *buf, size_t len, size_t start,
                       long long *n, size_t *next) {
    size_t at;
    int r = findLineEnd(p, buf, len, start, '\r', &at);
    if (r == LINE_TOOBIG) return fail(p, errTooBigBulk);
    if (r == LINE_MORE) return RESP_NEED_MORE;
    if (at + 1 >= len) {
        p->need = at + 2;
        return RESP_NEED_MORE;
    }
    if (buf[start] != '$') return failExpected(p, buf[start]);
    if (!strToLL(buf + start + 1, at - start - 1, n) || *n < 0)
        return fail(p, errInvalidBulk);
    *next = at + 2;
    return RESP_CONTINUE;
}

/* parseBulks: bulk lengths and bulks from p->pos until the command is
 * complete (RESP_OK) or the bytes run out (RESP_NEED_MORE). The two bytes
 * after a bulk are skipped unchecked, as Redis does. The loop keeps the
 * parser's fields in locals: stores to argv could otherwise alias them and
 * force a reload per argument. */
static int parseBulks(respParser *p, const char *buf, size_t len, const respLimits *lim) {
    size_t pos = p->pos;
    int argc = p->argc, remaining = p->remaining, r;
    long long bulkLen = p->bulkLen;
    if (p->state == RESP_ST_BULK) goto bulk;
    for (;;) {
        size_t next;
        if (!(pos < len && buf[pos] == '$' && fastLen(buf, len, pos + 1, &bulkLen, &next))) {
            long long n;                   /* not bulkLen: keep that in a register */
            r = slowBulkLen(p, buf, len, pos, &n, &next);
            if (r != RESP_CONTINUE) {
                if (r == RESP_NEED_MORE) p->state = RESP_ST_BULKLEN;
                break;
            }
            bulkLen = n;
        }
        if (bulkLen > lim->maxBulkLen) {
            r = fail(p, errInvalidBulk);
            break;
        }
        if (bulkLen > RESP_UNAUTH_MAX_BULK_LEN && !lim->authenticated) {
            r = fail(p, errUnauthBulk);
            break;
        }
        pos = next;
    bulk:;
        size_t end = pos + (size_t)bulkLen + 2;
        if (end > len) {
            p->state = RESP_ST_BULK;
            p->need = end;
            r = RESP_NEED_MORE;
            break;
        }
        if (argc == p->argvCap) {
            p->argc = argc;
            argvGrow(p, (long long)argc + remaining);
        }
        p->argv[argc].off = pos;
        p->argv[argc].len = (size_t)bulkLen;
        argc++;
        pos = end;
        if (--remaining == 0) {
            p->state = RESP_ST_OK;
            r = RESP_OK;
            break;
        }
    }
    p->pos = pos;
    p->argc = argc;
    p->remaining = remaining;
    p->bulkLen = bulkLen;
    return r;
}

/* ---- inline ---------------------------------------------------------------- */

/* isBlank: C-locale isspace(), what sdssplitargs skips between words. */
static inline bool isBlank(int c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline int hexVal(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* byteAt: s[i] as unsigned, 0 past the end (the line holds no NUL). */
static inline int byteAt(const char *s, size_t n, size_t i) {
    return i < n ? (unsigned char)s[i] : 0;
}

static char unescape(int c) {
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return (char)c;
    }
}

/* splitWord: copy the word starting at s[*ip] (not a blank) to out + *op,
 * unquoted and unescaped, and advance both. Returns false on unbalanced
 * quotes. Writes at most one byte per byte read. */
static bool splitWord(const char *s, size_t n, size_t *ip, char *out, size_t *op) {
    size_t i = *ip, o = *op;
    int quote = 0;                                 /* 0, '"' or '\'' */
    for (;;) {
        int c = byteAt(s, n, i), c1 = byteAt(s, n, i + 1);
        if (quote == 0) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0) {
                if (c) i++;
                break;
            }
            if (c == '"' || c == '\'') quote = c;
            else out[o++] = (char)c;
            i++;
            continue;
        }
        if (c == 0) return false;                  /* never closed */
        if (c == quote) {
            if (c1 && !isBlank(c1)) return false;  /* "a"b */
            i++;
            break;
        }
        if (c == '\\' && quote == '"' && c1 == 'x' &&
            hexVal(byteAt(s, n, i + 2)) >= 0 && hexVal(byteAt(s, n, i + 3)) >= 0) {
            out[o++] = (char)(hexVal(s[i + 2]) * 16 + hexVal(s[i + 3]));
            i += 4;
        } else if (c == '\\' && quote == '"' && c1) {
            out[o++] = unescape(c1);
            i += 2;
        } else if (c == '\\' && quote == '\'' && c1 == '\'') {
            out[o++] = '\'';
            i += 2;
        } else {
            out[o++] = (char)c;
            i++;
        }
    }
    *ip = i;
    *op = o;
    return true;
}

/* splitInline: split the line s[0..n) into p->argv / p->inlineBuf. */
static bool splitInline(respParser *p, const char *s, size_t n) {
    size_t i = 0, o = 0;
    for (;;) {
        while (i < n && isBlank((unsigned char)s[i])) i++;
        if (i == n) return true;
        size_t start = o;
        if (!splitWord(s, n, &i, p->inlineBuf, &o)) return false;
        argvPush(p, start, o - start, INT_MAX);
    }
}

/* parseInline: the line at buf[0] up to its first '\n' (one '\r' before it
 * dropped). Returns RESP_OK, RESP_EMPTY (no words), RESP_NEED_MORE or
 * RESP_ERROR. */
static int parseInline(respParser *p, const char *buf, size_t len) {
    size_t at;
    int r = findLineEnd(p, buf, len, 0, '\n', &at);
    if (r == LINE_TOOBIG) return fail(p, errTooBigInline);
    if (r == LINE_MORE) return RESP_NEED_MORE;
    size_t n = at;
    if (n > 0 && buf[n - 1] == '\r') n--;
    if (n > p->inlineCap) {
        zfree(p->inlineBuf);
        p->inlineBuf = zmalloc(n);
        p->inlineCap = n;
    }
    if (!splitInline(p, buf, n)) return fail(p, errUnbalanced);
    p->pos = at + 1;
    p->state = p->argc ? RESP_ST_OK : RESP_ST_EMPTY;
    return p->argc ? RESP_OK : RESP_EMPTY;
}

/* ---- API ------------------------------------------------------------------- */

void respParserInit(respParser *p) {
    memset(p, 0, sizeof *p);
    p->state = RESP_ST_START;
}

void respParserFree(respParser *p) {
    zfree(p->argv);
    zfree(p->inlineBuf);
    respParserInit(p);
}

void respParserReset(respParser *p) {
    if (p->argvCap > RESP_ARGV_KEEP) {
        zfree(p->argv);
        p->argv = NULL;
        p->argvCap = 0;
    }
    if (p->inlineCap > RESP_INLINE_KEEP) {
        zfree(p->inlineBuf);
        p->inlineBuf = NULL;
        p->inlineCap = 0;
    }
    /* need, remaining, bulkLen and errText are always set before use. */
    p->argc = 0;
    p->pos = 0;
    p->isInline = false;
    p->state = RESP_ST_START;
    p->scan = 0;
    p->lineDead = false;
}

int respParse(respParser *p, const char *buf, size_t len,
              const respLimits *lim, const char **err) {
    int r = RESP_CONTINUE;
    if (p->state == RESP_ST_START) {
        if (len == 0) {
            p->need = 1;
            return RESP_NEED_MORE;
        }
        p->isInline = buf[0] != '*';
        p->state = p->isInline ? RESP_ST_INLINE : RESP_ST_COUNT;
    }
    switch (p->state) {
    case RESP_ST_COUNT:
        r = parseCount(p, buf, len, lim);
        if (r == RESP_CONTINUE) r = parseBulks(p, buf, len, lim);
        break;
    case RESP_ST_BULKLEN:
    case RESP_ST_BULK: r = parseBulks(p, buf, len, lim); break;
    case RESP_ST_INLINE: r = parseInline(p, buf, len); break;
    case RESP_ST_OK: r = RESP_OK; break;
    case RESP_ST_EMPTY: r = RESP_EMPTY; break;
    case RESP_ST_ERROR: r = RESP_ERROR; break;
    }
    if (r == RESP_ERROR) *err = p->errText;
    return r;
}
