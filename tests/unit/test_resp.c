/* test_resp.c — the RESP request parser (resp.c).
 *
 * Spec (every expected outcome was checked against redis-server 7.0.15 with
 * raw bytes on a socket, except where a test says it is roost's own rule):
 *   - multibulk commands, pipelines, binary-safe bulks, empty bulks;
 *   - what Redis does not check: the two bytes after a bulk, the byte after
 *     the '\r' of a length line;
 *   - what counts as an invalid count or bulk length, and each error text;
 *   - the unauthenticated limits, proto-max-bulk-len, the 64 KB line limits,
 *     and a NUL hiding a line's end;
 *   - inline commands: line endings, blanks, quoting and escapes like
 *     sdssplitargs, unbalanced quotes;
 *   - `need`, resumability without rescanning, argv growth, no leaks;
 *   - the outcome of a stream of commands does not depend on how it is cut
 *     into reads, and the parser holds no pointer into the buffer.
 *
 * Outcomes are compared as strings, e.g. "OK pos=22 [SET][k][v]",
 * "MORE need=15 pos=8 argc=1", "EMPTY pos=4", "ERR Protocol error: ...".
 * Argument bytes outside printable ASCII (and '[', ']', '\\') print as \xHH.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/resp.h"
#include "storage/zmalloc.h"

static const respLimits authLim = RESP_LIMITS_DEFAULT;
static const respLimits unauthLim = {RESP_DEFAULT_MAX_BULK_LEN, RESP_DEFAULT_MAX_MULTIBULK, false};

/* ---- a growable string ------------------------------------------------------ */

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sbAppend(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        cr_assert(b->s != NULL);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sbPrintf(sbuf *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sbAppend(b, tmp, (size_t)n);
}

static void sbArg(sbuf *b, const char *s, size_t n) {
    sbAppend(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '[' && c != ']' && c != '\\') sbAppend(b, (char *)&c, 1);
        else sbPrintf(b, "\\x%02x", c);
    }
    sbAppend(b, "]", 1);
}

static void sbArgs(sbuf *b, const respParser *p, const char *buf) {
    for (int i = 0; i < p->argc; i++) sbArg(b, respArgPtr(p, buf, i), p->argv[i].len);
}

/* ---- one call -------------------------------------------------------------- */

static sbuf out1;

/* describe: the outcome of one respParse() call as a string. */
static const char *describe(const respParser *p, const char *buf, int r, const char *err) {
    out1.len = 0;
    sbAppend(&out1, "", 0);
    switch (r) {
    case RESP_OK:
        sbPrintf(&out1, "OK pos=%zu ", p->pos);
        sbArgs(&out1, p, buf);
        break;
    case RESP_EMPTY: sbPrintf(&out1, "EMPTY pos=%zu", p->pos); break;
    case RESP_NEED_MORE:
        sbPrintf(&out1, "MORE need=%zu pos=%zu argc=%d", p->need, p->pos, p->argc);
        break;
    case RESP_ERROR: sbPrintf(&out1, "ERR %s", err); break;
    default: cr_assert_fail("respParse returned %d", r);
    }
    return out1.s;
}

/* parseOnce: parse n bytes with a fresh parser in one call. */
static const char *parseOnce(const char *in, size_t n, const respLimits *lim) {
    respParser p;
    respParserInit(&p);
    const char *err = NULL;
    char *copy = malloc(n ? n : 1);            /* exact size: ASan sees overreads */
    memcpy(copy, in, n);
    int r = respParse(&p, copy, n, lim, &err);
    if (r == RESP_NEED_MORE) cr_assert_gt(p.need, n, "need %zu <= len %zu", p.need, n);
    if (r == RESP_OK) cr_assert_leq(p.pos, n);
    const char *d = describe(&p, copy, r, err);
    respParserFree(&p);
    free(copy);
    return d;
}

#define LIT(s) s, sizeof(s) - 1
#define EXPECT(in, want) cr_expect_str_eq(parseOnce(LIT(in), &authLim), want, "input %s", #in)
#define EXPECT_UNAUTH(in, want) \
    cr_expect_str_eq(parseOnce(LIT(in), &unauthLim), want, "input %s", #in)

/* ---- a stream of commands, cut into reads ----------------------------------- */

/* The chunker returns the size of the next read (>= 1, <= left). */
typedef size_t (*chunkFn)(void *state, size_t left);

typedef struct streamResult {
    char *log;                                 /* one line per outcome */
    long calls;                                /* respParse calls */
} streamResult;

/* stream: feed `in` like a client loop would: append each read to a query
 * buffer (moved to a new allocation whenever it grows, and on every read
 * while it is small), parse every complete command, then compact what is
 * left to the front. Logs each OK/EMPTY/ERROR
 * and, at the end, "END" or "MORE need=N". Checks `need` on the way: a call
 * with fewer bytes than the last `need` must change nothing. */
#define MOVE_ALWAYS 4096

static streamResult stream(const char *in, size_t n, const respLimits *lim, chunkFn next, void *st) {
    respParser p;
    respParserInit(&p);
    sbuf log = {0};
    char *qb = NULL;
    size_t qbLen = 0, qbCap = 0, qbPos = 0, fed = 0, lastNeed = 0, lastPos = 0;
    int lastArgc = 0, r = RESP_NEED_MORE;
    long calls = 0;
    const char *err = NULL;
    while (fed < n && r != RESP_ERROR) {
        size_t c = next(st, n - fed);
        cr_assert(c >= 1 && c <= n - fed);
        if (qbLen + c > qbCap || qbLen + c <= MOVE_ALWAYS) {
            qbCap = qbLen + c > qbCap ? 2 * (qbLen + c) : qbCap;
            char *nq = zmalloc(qbCap);
            if (qbLen) memcpy(nq, qb, qbLen);
            zfree(qb);
            qb = nq;
        }
        memcpy(qb + qbLen, in + fed, c);
        qbLen += c;
        fed += c;
        for (;;) {
            size_t avail = qbLen - qbPos;
            r = respParse(&p, qb + qbPos, avail, lim, &err);
            calls++;
            if (r == RESP_NEED_MORE) {
                cr_assert_gt(p.need, avail);
                if (lastNeed && avail < lastNeed) {
                    cr_assert_eq(p.need, lastNeed, "need moved without reaching it");
                    cr_assert_eq(p.pos, lastPos);
                    cr_assert_eq(p.argc, lastArgc);
                }
                lastNeed = p.need, lastPos = p.pos, lastArgc = p.argc;
                break;
            }
            lastNeed = 0;
            if (r == RESP_ERROR) {
                sbPrintf(&log, "ERR %s\n", err);
                break;
            }
            if (r == RESP_OK) {
                sbAppend(&log, "OK ", 3);
                sbArgs(&log, &p, qb + qbPos);
                sbAppend(&log, "\n", 1);
            } else {
                sbAppend(&log, "EMPTY\n", 6);
            }
            cr_assert_leq(p.pos, avail);
            qbPos += p.pos;
            respParserReset(&p);
        }
        memmove(qb, qb + qbPos, qbLen - qbPos);
        qbLen -= qbPos;
        qbPos = 0;
    }
    if (r == RESP_NEED_MORE) {
        if (qbLen) sbPrintf(&log, "MORE need=%zu\n", p.need);
        else sbAppend(&log, "END\n", 4);
    }
    zfree(qb);
    respParserFree(&p);
    return (streamResult){log.s, calls};
}

static size_t chunkWhole(void *st, size_t left) { (void)st; return left; }

static size_t chunkFixed(void *st, size_t left) {
    size_t k = *(size_t *)st;
    return k < left ? k : left;
}

/* chunkSplit: first *st bytes (at least 1), then the rest. */
static size_t chunkSplit(void *st, size_t left) {
    size_t *k = st;
    size_t c = *k ? *k : left;
    *k = 0;
    return c < left ? c : left;
}

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    return *s = x;
}

/* chunkRandom: sizes 1..64 mostly, sometimes up to 4 KB. */
static size_t chunkRandom(void *st, size_t left) {
    uint64_t x = xorshift(st);
    size_t c = (x & 7) == 0 ? 1 + (size_t)(x >> 8) % 4096 : 1 + (size_t)(x >> 8) % 64;
    return c < left ? c : left;
}

/* ---- multibulk ---------------------------------------------------------------- */

Test(resp, a_multibulk_command_parses_into_its_arguments) {
    EXPECT("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", "OK pos=33 [SET][key][value]");
    EXPECT("*1\r\n$4\r\nPING\r\n", "OK pos=14 [PING]");
}

Test(resp, a_pipeline_yields_one_command_per_call_and_pos_is_where_the_next_starts) {
    static const char in[] = "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n";
    respParser p;
    respParserInit(&p);
    const char *err;
    cr_assert_eq(respParse(&p, in, sizeof in - 1, &authLim, &err), RESP_OK);
    cr_assert_str_eq(describe(&p, in, RESP_OK, NULL), "OK pos=14 [PING]");
    size_t at = p.pos;
    respParserReset(&p);
    cr_assert_eq(respParse(&p, in + at, sizeof in - 1 - at, &authLim, &err), RESP_OK);
    cr_assert_str_eq(describe(&p, in + at, RESP_OK, NULL), "OK pos=22 [ECHO][hi]");
    cr_assert_eq(at + p.pos, sizeof in - 1);
    respParserFree(&p);
}

Test(resp, a_bulk_may_hold_any_bytes_including_crlf_and_nul) {
    EXPECT("*2\r\n$3\r\nGET\r\n$8\r\na\r\nb\0c\r\n\r\n", "OK pos=27 [GET][a\\x0d\\x0ab\\x00c\\x0d\\x0a]");
}

Test(resp, an_empty_bulk_is_an_empty_argument) {
    EXPECT("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "OK pos=20 [ECHO][]");
    EXPECT("*1\r\n$0\r\n\r\n", "OK pos=10 []");
}

Test(resp, the_two_bytes_after_a_bulk_are_skipped_unchecked_like_redis) {
    EXPECT("*1\r\n$4\r\nPINGxy", "OK pos=14 [PING]");
    EXPECT("*2\r\n$1\r\na\0\0$1\r\nb!!", "OK pos=18 [a][b]");
}

Test(resp, the_byte_after_the_cr_of_a_length_line_is_skipped_unchecked_like_redis) {
    EXPECT("*1\rX$4\rXPING\r\n", "OK pos=14 [PING]");
    EXPECT("*1\r\0$4\r\0PING\r\n", "OK pos=14 [PING]");
}

Test(resp, a_zero_or_negative_count_is_an_empty_command) {
    EXPECT("*0\r\n", "EMPTY pos=4");
    EXPECT("*-1\r\n", "EMPTY pos=5");
    EXPECT("*-5\r\nPING\r\n", "EMPTY pos=5");
    EXPECT("*-9223372036854775808\r\n", "EMPTY pos=23");
}

Test(resp, an_invalid_multibulk_count_is_an_error_once_its_line_is_complete) {
    const char *e = "ERR Protocol error: invalid multibulk length";
    EXPECT("*-0\r\n", e);
    EXPECT("*01\r\n", e);
    EXPECT("*00\r\n", e);
    EXPECT("*+1\r\n", e);
    EXPECT("* 1\r\n", e);
    EXPECT("*1 \r\n", e);
    EXPECT("*\r\n", e);
    EXPECT("*-\r\n", e);
    EXPECT("*abc\r\n", e);
    EXPECT("*1\n\r\n", e);
    EXPECT("*2147483648\r\n", e);
    EXPECT("*9223372036854775808\r\n", e);
    EXPECT("*99999999999999999999\r\n", e);
    EXPECT("*abc\r", "MORE need=6 pos=0 argc=0");
    EXPECT("*abc", "MORE need=5 pos=0 argc=0");
}

Test(resp, the_largest_count_is_int_max_in_redis_7_and_nothing_is_allocated_for_it_up_front) {
    respParser p;
    respParserInit(&p);
    const char *err;
    static const char in[] = "*2147483647\r\n";
    cr_assert_eq(respParse(&p, in, sizeof in - 1, &authLim, &err), RESP_NEED_MORE);
    cr_assert_eq(p.need, sizeof in);
    cr_assert_eq(p.argvCap, RESP_ARGV_INITIAL);
    respParserFree(&p);
}

Test(resp, a_count_above_max_multibulk_is_an_invalid_multibulk_length) {
    respLimits lim = authLim;
    lim.maxMultibulk = 1024 * 1024;
    cr_expect_str_eq(parseOnce(LIT("*1048576\r\n"), &lim), "MORE need=11 pos=10 argc=0");
    cr_expect_str_eq(parseOnce(LIT("*1048577\r\n"), &lim),
                     "ERR Protocol error: invalid multibulk length");
}

Test(resp, an_invalid_bulk_length_is_an_error_once_its_line_is_complete) {
    const char *e = "ERR Protocol error: invalid bulk length";
    EXPECT("*1\r\n$-1\r\n", e);
    EXPECT("*1\r\n$-0\r\n", e);
    EXPECT("*1\r\n$01\r\n", e);
    EXPECT("*1\r\n$+1\r\n", e);
    EXPECT("*1\r\n$ 1\r\n", e);
    EXPECT("*1\r\n$1 \r\n", e);
    EXPECT("*1\r\n$\r\n", e);
    EXPECT("*1\r\n$\xff\r\n", e);
    EXPECT("*1\r\n$99999999999999999999\r\n", e);
    EXPECT("*1\r\n$-99\r\n", e);
    EXPECT("*1\r\n$1x", "MORE need=8 pos=4 argc=0");
}

Test(resp, a_bulk_longer_than_proto_max_bulk_len_is_invalid) {
    EXPECT("*1\r\n$536870912\r\n", "MORE need=536870930 pos=16 argc=0");
    EXPECT("*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length");
    respLimits lim = authLim;
    lim.maxBulkLen = 3;
    cr_expect_str_eq(parseOnce(LIT("*1\r\n$3\r\nabc\r\n"), &lim), "OK pos=13 [abc]");
    cr_expect_str_eq(parseOnce(LIT("*1\r\n$4\r\n"), &lim), "ERR Protocol error: invalid bulk length");
}

Test(resp, a_bulk_length_of_19_digits_is_valid_when_the_limit_allows_it) {
    respLimits lim = authLim;
    lim.maxBulkLen = LLONG_MAX;
    cr_expect_str_eq(parseOnce(LIT("*1\r\n$1000000000000000000\r\n"), &lim),
                     "MORE need=1000000000000000028 pos=26 argc=0");
    cr_expect_str_eq(parseOnce(LIT("*1\r\n$9223372036854775807\r\n"), &lim),
                     "MORE need=9223372036854775835 pos=26 argc=0");
    cr_expect_str_eq(parseOnce(LIT("*1\r\n$9223372036854775808\r\n"), &lim),
                     "ERR Protocol error: invalid bulk length");
}

Test(resp, a_line_not_starting_with_dollar_is_an_error_only_once_complete) {
    EXPECT("*1\r\nfoo", "MORE need=8 pos=4 argc=0");
    EXPECT("*1\r\nfoo\r", "MORE need=9 pos=4 argc=0");
    EXPECT("*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'");
    EXPECT("*2\r\n$1\r\na\r\n:1\r\n", "ERR Protocol error: expected '$', got ':'");
    EXPECT("*1\r\n\xff\r\n", "ERR Protocol error: expected '$', got '\xff'");
}

Test(resp, the_expected_dollar_error_shows_cr_and_lf_as_spaces_like_redis) {
    EXPECT("*1\r\n\r\n", "ERR Protocol error: expected '$', got ' '");
    EXPECT("*1\r\n\n\r\n", "ERR Protocol error: expected '$', got ' '");
}

Test(resp, need_is_the_total_size_that_allows_progress) {
    EXPECT("", "MORE need=1 pos=0 argc=0");
    EXPECT("*", "MORE need=2 pos=0 argc=0");
    EXPECT("*1", "MORE need=3 pos=0 argc=0");
    EXPECT("*1\r", "MORE need=4 pos=0 argc=0");
    EXPECT("*1\r\n", "MORE need=5 pos=4 argc=0");
    EXPECT("*1\r\n$5\r", "MORE need=8 pos=4 argc=0");
    EXPECT("*1\r\n$5\r\n", "MORE need=15 pos=8 argc=0");
    EXPECT("*1\r\n$5\r\nhel", "MORE need=15 pos=8 argc=0");
    EXPECT("*1\r\n$5\r\nhello\r", "MORE need=15 pos=8 argc=0");
    EXPECT("*2\r\n$1\r\na\r\n$100000\r\n", "MORE need=100022 pos=20 argc=1");
}

/* ---- unauthenticated limits ------------------------------------------------------ */

Test(resp, unauthenticated_clients_get_at_most_10_arguments) {
    EXPECT_UNAUTH("*10\r\n", "MORE need=6 pos=5 argc=0");
    EXPECT_UNAUTH("*11\r\n", "ERR Protocol error: unauthenticated multibulk length");
    EXPECT_UNAUTH("*-11\r\n", "EMPTY pos=6");
    EXPECT_UNAUTH("*11x\r\n", "ERR Protocol error: invalid multibulk length");
    EXPECT_UNAUTH("*3000000000\r\n", "ERR Protocol error: invalid multibulk length");
}

Test(resp, unauthenticated_clients_get_bulks_of_at_most_16384_bytes) {
    EXPECT_UNAUTH("*1\r\n$16384\r\n", "MORE need=16398 pos=12 argc=0");
    EXPECT_UNAUTH("*1\r\n$16385\r\n", "ERR Protocol error: unauthenticated bulk length");
    EXPECT_UNAUTH("*2\r\n$16385\r\n", "ERR Protocol error: unauthenticated bulk length");
    EXPECT_UNAUTH("*1\r\n$16385x\r\n", "ERR Protocol error: invalid bulk length");
    EXPECT_UNAUTH("*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length");
    EXPECT_UNAUTH("*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length");
}

Test(resp, unauthenticated_inline_commands_have_no_word_limit) {
    EXPECT_UNAUTH("A A A A A A A A A A A A\r\n", "OK pos=25 [A][A][A][A][A][A][A][A][A][A][A][A]");
}

/* ---- the 64 KB line limit and NUL ---------------------------------------------- */

/* line: `prefix` then `fill` repeated up to `n` bytes in all, then `tail`. */
static char *line(const char *prefix, char fill, size_t n, const char *tail, size_t *outLen) {
    size_t pl = strlen(prefix), tl = strlen(tail);
    char *s = malloc(n + tl);
    memcpy(s, prefix, pl);
    memset(s + pl, fill, n - pl);
    memcpy(s + n, tail, tl);
    *outLen = n + tl;
    return s;
}

#define EXPECT_LINE(prefix, fill, n, tail, want)                                    \
    do {                                                                           \
        size_t len_;                                                               \
        char *s_ = line(prefix, fill, n, tail, &len_);                              \
        cr_expect_str_eq(parseOnce(s_, len_, &authLim), want, "%s %zu %s", prefix, \
                         (size_t)(n), #tail);                                     \
        free(s_);                                                                  \
    } while (0)

Test(resp, an_inline_line_may_be_64k_but_65537_bytes_without_newline_are_too_big) {
    EXPECT_LINE("A", 'A', 65536, "", "MORE need=65537 pos=0 argc=0");
    EXPECT_LINE("A", 'A', 65537, "", "ERR Protocol error: too big inline request");
    EXPECT_LINE("A", 'A', 70000, "\n", "ERR Protocol error: too big inline request");
    size_t n;
    char *s = line("ECHO ", 'A', 65536, "\n", &n);
    respParser p;
    respParserInit(&p);
    const char *err;
    cr_assert_eq(respParse(&p, s, n, &authLim, &err), RESP_OK);
    cr_assert_eq(p.argc, 2);
    cr_assert_eq(p.argv[1].len, 65531);
    cr_assert_eq(p.pos, 65537);
    respParserFree(&p);
    free(s);
}

Test(resp, a_count_line_without_cr_in_its_first_65537_bytes_is_too_big) {
    EXPECT_LINE("*", '1', 65536, "", "MORE need=65537 pos=0 argc=0");
    EXPECT_LINE("*", '1', 65537, "", "ERR Protocol error: too big mbulk count string");
    EXPECT_LINE("*", '1', 65536, "\r", "MORE need=65538 pos=0 argc=0");
    EXPECT_LINE("*", '1', 65536, "\r\n", "ERR Protocol error: invalid multibulk length");
}

Test(resp, a_bulk_length_line_is_limited_to_64k_from_its_own_start) {
    EXPECT_LINE("*1\r\n$", '1', 65540, "", "MORE need=65541 pos=4 argc=0");
    EXPECT_LINE("*1\r\n$", '1', 65541, "", "ERR Protocol error: too big bulk count string");
    EXPECT_LINE("*1\r\nx", 'x', 65541, "", "ERR Protocol error: too big bulk count string");
    EXPECT_LINE("*1\r\n$", '1', 65540, "\r\n", "ERR Protocol error: invalid bulk length");
}

Test(resp, a_nul_before_the_end_of_a_line_hides_the_end_until_the_line_is_too_big) {
    EXPECT("PING\0\n", "MORE need=65537 pos=0 argc=0");
    EXPECT("\0PING\r\n", "MORE need=65537 pos=0 argc=0");
    EXPECT("*1\0\r\n", "MORE need=65537 pos=0 argc=0");
    EXPECT("*1\r\n$4\0\r\nPING\r\n", "MORE need=65541 pos=4 argc=0");
    EXPECT_LINE("\0\n", 'A', 65536, "", "MORE need=65537 pos=0 argc=0");
    EXPECT_LINE("\0\n", 'A', 65537, "", "ERR Protocol error: too big inline request");
    EXPECT_LINE("*1\0\r\n", 'A', 65537, "", "ERR Protocol error: too big mbulk count string");
    EXPECT_LINE("*1\r\n$1\0\r\n", 'A', 65541, "", "ERR Protocol error: too big bulk count string");
}

/* ---- inline commands ---------------------------------------------------------- */

Test(resp, an_inline_command_is_split_on_spaces_and_tabs) {
    EXPECT("PING\r\n", "OK pos=6 [PING]");
    EXPECT("SET  key\tvalue\n", "OK pos=15 [SET][key][value]");
    EXPECT("  GET k  \r\n", "OK pos=11 [GET][k]");
}

Test(resp, an_inline_line_ends_at_newline_and_drops_one_cr_before_it) {
    EXPECT("PING\n", "OK pos=5 [PING]");
    EXPECT("PING\r\r\n", "OK pos=7 [PING]");
    EXPECT("PING\rX\r\n", "OK pos=8 [PING][X]");
    EXPECT("PING", "MORE need=5 pos=0 argc=0");
    EXPECT("PING\r", "MORE need=6 pos=0 argc=0");
    EXPECT("$4\r\n", "OK pos=4 [$4]");
}

Test(resp, a_blank_inline_line_is_an_empty_command) {
    EXPECT("\n", "EMPTY pos=1");
    EXPECT("\r\n", "EMPTY pos=2");
    EXPECT("\r\r\n", "EMPTY pos=3");
    EXPECT("   \t\v\f\r\n", "EMPTY pos=8");
    EXPECT("\nPING\n", "EMPTY pos=1");
}

Test(resp, vertical_tab_and_form_feed_separate_words_only_before_a_word_or_after_a_quote) {
    EXPECT("\vPING\r\n", "OK pos=7 [PING]");
    EXPECT("ECHO a\vb\r\n", "OK pos=10 [ECHO][a\\x0bb]");
    EXPECT("ECHO \"a\"\v\r\n", "OK pos=11 [ECHO][a]");
    EXPECT("ECHO \"x\"\f\n", "OK pos=10 [ECHO][x]");
}

Test(resp, bytes_above_127_are_ordinary_word_bytes) {
    EXPECT("ECHO \xff\r\n", "OK pos=8 [ECHO][\\xff]");
    EXPECT("ECHO \xa0x\r\n", "OK pos=9 [ECHO][\\xa0x]");
    EXPECT("ECHO \"\xa0\"\r\n", "OK pos=10 [ECHO][\\xa0]");
}

Test(resp, double_quotes_take_c_escapes_and_hex_bytes) {
    EXPECT("ECHO \"a\\x41\\n\" \r\n", "OK pos=17 [ECHO][aA\\x0a]");
    EXPECT("ECHO \"\\t\\b\\a\\r\\q\"\r\n", "OK pos=19 [ECHO][\\x09\\x08\\x07\\x0dq]");
    EXPECT("ECHO \"a\\\"b\"\r\n", "OK pos=13 [ECHO][a\"b]");
    EXPECT("ECHO \"a\\\\b\"\r\n", "OK pos=13 [ECHO][a\\x5cb]");
    EXPECT("ECHO \"\\xFf\\xc3\\xA9\"\r\n", "OK pos=21 [ECHO][\\xff\\xc3\\xa9]");
    EXPECT("ECHO \"\\x00\"\r\n", "OK pos=13 [ECHO][\\x00]");
    EXPECT("ECHO \"a b\"\r\n", "OK pos=12 [ECHO][a b]");
    EXPECT("ECHO \"a\rb\"\r\n", "OK pos=12 [ECHO][a\\x0db]");
}

Test(resp, an_incomplete_hex_escape_is_the_letter_x_and_what_follows) {
    EXPECT("ECHO \"\\x4\"\r\n", "OK pos=12 [ECHO][x4]");
    EXPECT("ECHO \"\\x4g\"\r\n", "OK pos=13 [ECHO][x4g]");
    EXPECT("ECHO \"\\x\"\r\n", "OK pos=11 [ECHO][x]");
}

Test(resp, single_quotes_take_only_escaped_single_quotes) {
    EXPECT("ECHO 'it\\'s'\r\n", "OK pos=14 [ECHO][it's]");
    EXPECT("ECHO 'a\\nb'\r\n", "OK pos=13 [ECHO][a\\x5cnb]");
    EXPECT("ECHO 'a\\\\b'\r\n", "OK pos=13 [ECHO][a\\x5c\\x5cb]");
    EXPECT("ECHO '\\x41'\r\n", "OK pos=13 [ECHO][\\x5cx41]");
    EXPECT("ECHO 'a\"b'\r\n", "OK pos=12 [ECHO][a\"b]");
}

Test(resp, empty_quotes_are_an_empty_argument) {
    EXPECT("ECHO \"\"\n", "OK pos=8 [ECHO][]");
    EXPECT("ECHO ''\n", "OK pos=8 [ECHO][]");
    EXPECT("'' \"\"\n", "OK pos=6 [][]");
}

Test(resp, a_quote_may_open_in_the_middle_of_a_word) {
    EXPECT("ECHO a\"b\"\r\n", "OK pos=11 [ECHO][ab]");
    EXPECT("ECHO a\"b c\"\r\n", "OK pos=13 [ECHO][ab c]");
    EXPECT("ECHO a'b'\r\n", "OK pos=11 [ECHO][ab]");
}

Test(resp, a_closing_quote_must_be_followed_by_a_blank_or_the_end) {
    const char *e = "ERR Protocol error: unbalanced quotes in request";
    EXPECT("ECHO \"a\"b\r\n", e);
    EXPECT("ECHO 'a'b\r\n", e);
    EXPECT("ECHO \"a\"\"b\"\r\n", e);
    EXPECT("ECHO a'b'c\r\n", e);
    EXPECT("ECHO \"a\" \"b\"\r\n", "OK pos=14 [ECHO][a][b]");
    EXPECT("ECHO 'a' \r\n", "OK pos=11 [ECHO][a]");
}

Test(resp, a_quote_that_never_closes_is_unbalanced) {
    const char *e = "ERR Protocol error: unbalanced quotes in request";
    EXPECT("ECHO \"abc\r\n", e);
    EXPECT("ECHO 'a\r\n", e);
    EXPECT("ECHO \"a\\\"\r\n", e);             /* the quote is escaped */
    EXPECT("ECHO \"a\\\r\n", e);               /* a backslash at the end */
    EXPECT("\"\n", e);
    EXPECT("ECHO \"abc", "MORE need=10 pos=0 argc=0");  /* no line yet: no verdict */
}

Test(resp, inline_arguments_live_in_the_parser_not_in_the_buffer) {
    respParser p;
    respParserInit(&p);
    const char *err;
    char in[] = "SET k \"v\\x00\"\r\n";
    cr_assert_eq(respParse(&p, in, sizeof in - 1, &authLim, &err), RESP_OK);
    cr_assert(p.isInline);
    memset(in, '#', sizeof in - 1);
    cr_assert_str_eq(describe(&p, in, RESP_OK, NULL), "OK pos=15 [SET][k][v\\x00]");
    respParserReset(&p);
    cr_assert_eq(respParse(&p, LIT("*1\r\n$1\r\nx\r\n"), &authLim, &err), RESP_OK);
    cr_assert(!p.isInline);
    respParserFree(&p);
}

/* ---- repeated calls, argv, memory ---------------------------------------------- */

Test(resp, calling_again_after_a_result_repeats_it) {
    respParser p;
    respParserInit(&p);
    const char *err = NULL;
    static const char ok[] = "*1\r\n$4\r\nPING\r\n*0\r\n";
    cr_assert_eq(respParse(&p, ok, sizeof ok - 1, &authLim, &err), RESP_OK);
    cr_assert_eq(respParse(&p, ok, sizeof ok - 1, &authLim, &err), RESP_OK);
    cr_assert_eq(p.pos, 14);
    cr_assert_eq(p.argc, 1);
    respParserReset(&p);
    cr_assert_eq(respParse(&p, ok + 14, 4, &authLim, &err), RESP_EMPTY);
    cr_assert_eq(respParse(&p, ok + 14, 4, &authLim, &err), RESP_EMPTY);
    cr_assert_eq(p.pos, 4);
    respParserReset(&p);
    cr_assert_eq(respParse(&p, LIT("*x\r\n"), &authLim, &err), RESP_ERROR);
    err = NULL;
    cr_assert_eq(respParse(&p, LIT("*x\r\n"), &authLim, &err), RESP_ERROR);
    cr_assert_str_eq(err, "Protocol error: invalid multibulk length");
    respParserFree(&p);
}

Test(resp, argv_grows_as_arguments_arrive_and_a_big_argv_is_released_on_reset) {
    respParser p;
    respParserInit(&p);
    const char *err;
    cr_assert_eq(respParse(&p, LIT("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"), &authLim, &err), RESP_OK);
    cr_assert_eq(p.argvCap, 16);
    respParserReset(&p);
    cr_assert_eq(p.argvCap, 16, "a small argv is kept");

    int n = 3000;
    sbuf in = {0};
    sbPrintf(&in, "*%d\r\n", n);
    int r = respParse(&p, in.s, in.len, &authLim, &err);
    cr_assert_eq(r, RESP_NEED_MORE);
    cr_assert_eq(p.argvCap, RESP_ARGV_INITIAL);
    for (int i = 0; i < n; i++) {
        sbPrintf(&in, "$%d\r\n%d\r\n", i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4, i);
        r = respParse(&p, in.s, in.len, &authLim, &err);
        cr_assert_eq(r, i == n - 1 ? RESP_OK : RESP_NEED_MORE);
        cr_assert_eq(p.argc, i + 1);
        int want = i < 1024 ? 1024 : i < 2048 ? 2048 : 3000;
        cr_assert_eq(p.argvCap, want, "arg %d: cap %d", i, p.argvCap);
    }
    cr_assert_eq(p.argv[2999].len, 4);
    cr_assert_eq(memcmp(in.s + p.argv[2999].off, "2999", 4), 0);
    respParserReset(&p);
    cr_assert_eq(p.argvCap, 0);
    cr_assert_null(p.argv);
    respParserFree(&p);
    free(in.s);
}

Test(resp, the_parser_frees_everything_it_allocated) {
    size_t before = zmallocUsedMemory();
    respParser p;
    respParserInit(&p);
    const char *err;
    size_t n;
    char *s = line("ECHO \"", 'q', 10000, "\"\n", &n);
    cr_assert_eq(respParse(&p, s, n, &authLim, &err), RESP_OK);
    free(s);
    respParserReset(&p);
    cr_assert_eq(respParse(&p, LIT("*2000\r\n$1\r\n"), &authLim, &err), RESP_NEED_MORE);
    respParserReset(&p);
    cr_assert_eq(respParse(&p, LIT("*2\r\n$1\r\na\r\n$1\r\nb\r\n"), &authLim, &err), RESP_OK);
    respParserFree(&p);
    cr_assert_eq(zmallocUsedMemory(), before);
}

/* ---- resumability ----------------------------------------------------------------- */

Test(resp, a_huge_multibulk_fed_in_pieces_is_parsed_once_with_one_call_per_piece, .timeout = 30) {
    enum { N = 100000, ELEM = 7, HDR = 9 };              /* "*100000\r\n", "$1\r\nx\r\n" */
    size_t len = HDR + (size_t)N * ELEM;
    char *in = malloc(len);
    memcpy(in, "*100000\r\n", HDR);
    for (size_t i = 0; i < N; i++) memcpy(in + HDR + i * ELEM, "$1\r\nx\r\n", ELEM);
    respParser p;
    respParserInit(&p);
    const char *err;
    long calls = 0;
    for (size_t avail = 1000;; avail += 1000) {
        if (avail > len) avail = len;
        int r = respParse(&p, in, avail, &authLim, &err);
        calls++;
        if (avail == len) {
            cr_assert_eq(r, RESP_OK);
            break;
        }
        cr_assert_eq(r, RESP_NEED_MORE);
        size_t done = (avail - HDR) / ELEM, rest = (avail - HDR) % ELEM;
        cr_assert_eq((size_t)p.argc, done);
        cr_assert_eq(p.pos, HDR + done * ELEM + (rest >= 4 ? 4 : 0), "avail %zu pos %zu", avail, p.pos);
    }
    cr_assert_eq(calls, (long)((len + 999) / 1000));
    cr_assert_eq(p.argc, N);
    cr_assert_eq(p.pos, len);
    respParserFree(&p);

    /* One byte at a time: 700,009 calls; rescanning would make this quadratic. */
    size_t one = 1;
    streamResult sr = stream(in, len, &authLim, chunkFixed, &one);
    cr_assert_eq(sr.calls, (long)len + 1);
    cr_assert_eq(strncmp(sr.log, "OK [x][x][x]", 12), 0);
    free(sr.log);
    free(in);
}

Test(resp, a_big_bulk_reports_its_full_size_at_once) {
    enum { BIG = 1000000 };
    enum { HDR = 14 };                                   /* "*1\r\n$1000000\r\n" */
    size_t len = HDR + BIG + 2;
    char *in = malloc(len);
    memcpy(in, "*1\r\n$1000000\r\n", HDR);
    memset(in + HDR, 'z', BIG);
    memcpy(in + HDR + BIG, "\r\n", 2);
    respParser p;
    respParserInit(&p);
    const char *err;
    cr_assert_eq(respParse(&p, in, HDR, &authLim, &err), RESP_NEED_MORE);
    cr_assert_eq(p.need, len);
    cr_assert_eq(respParse(&p, in, len - 1, &authLim, &err), RESP_NEED_MORE);
    cr_assert_eq(p.need, len);
    cr_assert_eq(respParse(&p, in, len, &authLim, &err), RESP_OK);
    cr_assert_eq(p.argv[0].off, HDR);
    cr_assert_eq(p.argv[0].len, BIG);
    respParserFree(&p);
    free(in);
}

Test(resp, a_64k_inline_line_fed_one_byte_at_a_time_completes, .timeout = 10) {
    size_t n;
    char *s = line("ECHO ", 'A', 65535, "\r\n", &n);
    size_t one = 1;
    streamResult sr = stream(s, n, &authLim, chunkFixed, &one);
    cr_assert_eq(sr.calls, (long)n + 1);
    cr_assert_eq(strncmp(sr.log, "OK [ECHO][AAAA", 14), 0);
    cr_assert_eq(strlen(sr.log), strlen("OK [ECHO][]\nEND\n") + 65530);
    free(sr.log);
    free(s);
}

/* ---- chunking independence ------------------------------------------------------- */

/* The pipeline: most shapes of command, a 40 KB bulk (above Redis's 32 KB
 * big-argument threshold), and an incomplete command at the end. */
static char *pipeline(size_t *outLen, size_t *bigAt) {
    static const char head[] =
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"
        "PING\r\n"
        "*0\r\n"
        "\r\n"
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
        "ECHO \"a\\x41\\n\" 'it\\'s' x\n"
        "*-1\r\n"
        "*1\r\n$4\r\nPINGxy"
        "   \t \n"
        "*2\r\n$3\r\nGET\r\n$12\r\nhas\r\nCRLF\0in\r\n"
        "*1\rX$3\rXabc\r\n"
        "*2\r\n$3\r\nBIG\r\n$40000\r\n";
    static const char tail[] = "\r\n*1\r\n$2\r\nhi";
    size_t hl = sizeof head - 1, tl = sizeof tail - 1;
    char *s = malloc(hl + 40000 + tl);
    memcpy(s, head, hl);
    for (size_t i = 0; i < 40000; i++) s[hl + i] = (char)('a' + i % 26);
    memcpy(s + hl + 40000, tail, tl);
    *outLen = hl + 40000 + tl;
    if (bigAt) *bigAt = hl;
    return s;
}

static const char *pipelineLogStart =
    "OK [SET][key][value]\n"
    "OK [PING]\n"
    "EMPTY\n"
    "EMPTY\n"
    "OK [ECHO][]\n"
    "OK [ECHO][aA\\x0a][it's][x]\n"
    "EMPTY\n"
    "OK [PING]\n"
    "EMPTY\n"
    "OK [GET][has\\x0d\\x0aCRLF\\x00in]\n"
    "OK [abc]\n"
    "OK [BIG][abcdefghijklmnopqrstuvwxyzabcd";

Test(resp, a_pipeline_parsed_whole_gives_the_expected_commands) {
    size_t n;
    char *in = pipeline(&n, NULL);
    streamResult sr = stream(in, n, &authLim, chunkWhole, NULL);
    cr_assert_eq(strncmp(sr.log, pipelineLogStart, strlen(pipelineLogStart)), 0, "%s", sr.log);
    const char *end = "]\nMORE need=12\n";
    cr_assert_str_eq(sr.log + strlen(sr.log) - strlen(end), end);
    free(sr.log);
    free(in);
}

/* Every byte outside the big bulk's body, every 97th inside it. */
Test(resp, a_pipeline_cut_in_two_at_every_byte_gives_the_same_commands, .timeout = 60) {
    size_t n, big;
    char *in = pipeline(&n, &big);
    streamResult whole = stream(in, n, &authLim, chunkWhole, NULL);
    for (size_t k = 1; k < n; k++) {
        if (k > big + 8 && k < big + 40000 - 8 && k % 97) continue;
        size_t cut = k;
        streamResult sr = stream(in, n, &authLim, chunkSplit, &cut);
        cr_assert_str_eq(sr.log, whole.log, "cut at %zu", k);
        free(sr.log);
    }
    free(whole.log);
    free(in);
}

Test(resp, a_pipeline_fed_one_byte_at_a_time_or_in_random_reads_gives_the_same_commands) {
    size_t n;
    char *in = pipeline(&n, NULL);
    streamResult whole = stream(in, n, &authLim, chunkWhole, NULL);
    size_t one = 1;
    streamResult sr = stream(in, n, &authLim, chunkFixed, &one);
    cr_assert_str_eq(sr.log, whole.log);
    free(sr.log);
    for (uint64_t seed = 1; seed <= 300; seed++) {
        uint64_t st = seed * 0x9E3779B97F4A7C15ULL;
        sr = stream(in, n, &authLim, chunkRandom, &st);
        cr_assert_str_eq(sr.log, whole.log, "seed %llu", (unsigned long long)seed);
        free(sr.log);
    }
    free(whole.log);
    free(in);
}

Test(resp, an_error_in_a_pipeline_stops_it_however_it_is_cut) {
    static const char in[] = "PING\r\n*1\r\n$3\r\nfoo\r\n*1\r\n$x\r\n*1\r\n$4\r\nPING\r\n";
    static const char want[] = "OK [PING]\nOK [foo]\nERR Protocol error: invalid bulk length\n";
    for (size_t k = 0; k < sizeof in - 1; k++) {
        size_t cut = k;
        streamResult sr = stream(in, sizeof in - 1, &authLim, k ? chunkSplit : chunkWhole, &cut);
        cr_assert_str_eq(sr.log, want, "cut at %zu", k);
        free(sr.log);
    }
}
