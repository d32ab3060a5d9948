/* fuzz_resp.c — libFuzzer target for the RESP request parser (resp.c).
 *
 * Build and run (see tests/fuzz/corpus_resp/ for the seeds):
 *   clang -g -O1 -fsanitize=fuzzer,address -D__SANITIZE_ADDRESS__=1 -Isrc \
 *         tests/fuzz/fuzz_resp.c src/server/resp.c src/storage/zmalloc.c \
 *         -o /tmp/fuzz_resp
 * (clang < 15 does not define __SANITIZE_ADDRESS__, which zmalloc.c tests to
 * use libc malloc under ASan instead of jemalloc.)
 *   /tmp/fuzz_resp -max_len=4096 -max_total_time=300 /tmp/corpus tests/fuzz/corpus_resp
 *
 * Input: byte 0 holds flags, bytes 1–2 a cut position, the rest is what a
 * client sends.
 *   flags bit 0   the client is authenticated (else the tighter limits apply)
 *   flags bit 1   proto-max-bulk-len is byte 3 of the input instead of 512 MB
 *   flags bit 2   maxMultibulk is 3 instead of INT_MAX
 *   flags bit 3   insert 64 KB of one byte (byte 4) at the cut position, so
 *                 the line limits and NUL-hidden line ends get exercised
 *
 * Properties checked, beyond "no crash, no leak, no hang" (ASan, LSan and
 * libFuzzer's timeout):
 *   - the stream's outcome (every command's arguments, every empty command,
 *     the error, the final need) is the same fed whole, cut in two at the cut
 *     position, and — for short inputs — fed one byte at a time;
 *   - on NEED_MORE, need > the bytes offered, and a call with fewer bytes
 *     than the previous need changes nothing (need, pos, argc);
 *   - on OK, pos <= the bytes offered and every argument lies inside the
 *     command (multibulk) or inside inlineBuf (inline);
 *   - the query buffer is moved to a new allocation on every read and
 *     compacted after each, so a parser holding a pointer into it would be
 *     caught by ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/resp.h"
#include "storage/zmalloc.h"

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_resp: check failed at line %d: %s\n",    \
                    __LINE__, #cond);                                      \
            abort();                                                       \
        }                                                                  \
    } while (0)

#define BIG_RUN (64 * 1024)
#define ONE_BYTE_MAX 512        /* inputs up to this size are also fed bytewise */

typedef struct logBuf {
    unsigned char *s;
    size_t len, cap;
} logBuf;

static void logAppend(logBuf *b, const void *s, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->s = realloc(b->s, b->cap);
        CHECK(b->s != NULL);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
}

static void logNum(logBuf *b, char tag, size_t v) {
    logAppend(b, &tag, 1);
    logAppend(b, &v, sizeof v);
}

/* checkArgs: every argument of a parsed command lies where it should. */
static void checkArgs(const respParser *p, size_t avail) {
    CHECK(p->pos <= avail);
    CHECK(p->argc >= 1 && p->argc <= p->argvCap);
    for (int i = 0; i < p->argc; i++) {
        size_t end = p->argv[i].off + p->argv[i].len;
        CHECK(end >= p->argv[i].off);
        if (p->isInline) CHECK(end <= p->inlineCap);
        else CHECK(end <= p->pos);
    }
}

/* feed: parse `in` the way a client loop would, cut into reads of at most
 * `first` bytes for the first read and `step` bytes after (0: the rest).
 * Appends the outcome to *log. */
static void feed(const unsigned char *in, size_t n, const respLimits *lim,
                 size_t first, size_t step, logBuf *log) {
    respParser p;
    respParserInit(&p);
    char *qb = NULL;
    size_t qbLen = 0, fed = 0, lastNeed = 0, lastPos = 0;
    int lastArgc = 0, r = RESP_NEED_MORE;
    const char *err = NULL;
    while (fed < n && r != RESP_ERROR) {
        size_t c = fed == 0 ? first : step;
        if (c == 0 || c > n - fed) c = n - fed;
        char *nq = zmalloc(qbLen + c);
        if (qbLen) memcpy(nq, qb, qbLen);
        memcpy(nq + qbLen, in + fed, c);
        zfree(qb);
        qb = nq;
        qbLen += c;
        fed += c;
        size_t qbPos = 0;
        for (;;) {
            size_t avail = qbLen - qbPos;
            r = respParse(&p, qb + qbPos, avail, lim, &err);
            if (r == RESP_NEED_MORE) {
                CHECK(p.need > avail);
                if (lastNeed && avail < lastNeed) {
                    CHECK(p.need == lastNeed);
                    CHECK(p.pos == lastPos);
                    CHECK(p.argc == lastArgc);
                }
                lastNeed = p.need, lastPos = p.pos, lastArgc = p.argc;
                break;
            }
            lastNeed = 0;
            if (r == RESP_ERROR) {
                CHECK(err != NULL && strncmp(err, "Protocol error: ", 16) == 0);
                CHECK(strchr(err, '\r') == NULL && strchr(err, '\n') == NULL);
                logAppend(log, "E", 1);
                logAppend(log, err, strlen(err));
                break;
            }
            if (r == RESP_OK) {
                checkArgs(&p, avail);
                logNum(log, 'O', (size_t)p.argc);
                for (int i = 0; i < p.argc; i++) {
                    logNum(log, 'A', p.argv[i].len);
                    logAppend(log, respArgPtr(&p, qb + qbPos, i), p.argv[i].len);
                }
            } else {
                CHECK(r == RESP_EMPTY);
                CHECK(p.pos >= 1 && p.pos <= avail);
                logAppend(log, "Z", 1);
            }
            qbPos += p.pos;
            respParserReset(&p);
        }
        memmove(qb, qb + qbPos, qbLen - qbPos);
        qbLen -= qbPos;
    }
    if (r == RESP_NEED_MORE) logNum(log, 'M', qbLen ? p.need : 0);
    zfree(qb);
    respParserFree(&p);
}

static void compare(const logBuf *a, const logBuf *b) {
    CHECK(a->len == b->len);
    CHECK(a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 5) return 0;
    unsigned flags = data[0];
    size_t cut = (size_t)data[1] << 8 | data[2];
    respLimits lim = RESP_LIMITS_DEFAULT;
    lim.authenticated = flags & 1;
    if (flags & 2) lim.maxBulkLen = data[3];
    if (flags & 4) lim.maxMultibulk = 3;
    unsigned char runByte = data[4];
    data += 5;
    size -= 5;

    unsigned char *in;
    size_t n;
    if (flags & 8) {
        size_t at = size ? cut % (size + 1) : 0;
        n = size + BIG_RUN;
        in = malloc(n);
        memcpy(in, data, at);
        memset(in + at, runByte, BIG_RUN);
        memcpy(in + at + BIG_RUN, data + at, size - at);
    } else {
        n = size;
        in = malloc(n ? n : 1);
        memcpy(in, data, n);
    }
    if (n) cut = 1 + cut % n;

    logBuf whole = {0}, two = {0}, bytewise = {0};
    feed(in, n, &lim, 0, 0, &whole);
    feed(in, n, &lim, cut, 0, &two);
    compare(&whole, &two);
    if (n <= ONE_BYTE_MAX) {
        feed(in, n, &lim, 1, 1, &bytewise);
        compare(&whole, &bytewise);
    }
    free(whole.s);
    free(two.s);
    free(bytewise.s);
    free(in);
    return 0;
}
