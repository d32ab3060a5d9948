/* resp.h — the RESP request parser: bytes in, a command's argv out.
 *
 * Pure: no I/O, no client, no globals. The client loop owns the query buffer
 * and a respParser; it calls respParse() with a pointer to the first byte of
 * the command being parsed and the number of bytes it holds, and gets back
 * one of:
 *
 *   RESP_OK         a complete command: p->argc arguments, p->pos bytes
 *                   consumed. Read the arguments (respArgPtr), then call
 *                   respParserReset() and parse the next command at
 *                   buf + p->pos.
 *   RESP_EMPTY      p->pos bytes consumed that hold no command (an empty or
 *                   blank inline line, "*0\r\n", "*-1\r\n", any "*<n<=0>").
 *                   Reset and go on, as Redis does (no reply).
 *   RESP_NEED_MORE  the bytes so far are a valid prefix. p->need is the total
 *                   number of bytes, counted from buf[0], that must be
 *                   available before another call can make any progress, so
 *                   the caller can size its buffer for a big bulk at once.
 *   RESP_ERROR      malformed input: *err is Redis's exact error text (without
 *                   the "-ERR " prefix, already safe to send: no CR or LF).
 *                   The server replies "-ERR <text>" and closes. Further calls
 *                   return the same error until reset.
 *
 * Calling contract (the file's invariants):
 *   - Between calls for one command the caller keeps the bytes already
 *     offered unchanged and in order, starting at buf[0]; it may move or
 *     realloc the buffer (argv therefore holds offsets, never pointers) and
 *     may only ever offer more bytes, never fewer.
 *   - The parser never rescans what it has already parsed: a bulk is looked
 *     at once, a line's end is searched for from where the last call stopped,
 *     so a command arriving in any number of pieces costs O(its length) in
 *     total. The outcome does not depend on how the bytes were split.
 *   - Nothing is allocated per argument. argv grows by doubling as arguments
 *     arrive (the first allocation is capped at RESP_ARGV_INITIAL entries, so
 *     "*2147483647\r\n" costs 16 KB, not 32 GB); an inline command's unquoted
 *     arguments are copied once into p->inlineBuf.
 *
 * Where arguments live: for a multibulk command argv[i].off is relative to
 * buf[0]; for an inline command (p->isInline) it is relative to p->inlineBuf,
 * because quoting and escapes ("a\x00b") make arguments that are not a
 * substring of the input. respArgPtr() hides the difference.
 *
 * Parser states (p->state) and their legal transitions, per command:
 *
 *   START ──'*'──▶ COUNT ──n>0──▶ BULKLEN ◀──▶ BULK ──last bulk──▶ OK
 *     │              └──n<=0──▶ EMPTY
 *     └──other──▶ INLINE ──line──▶ OK, or EMPTY when the line has no words
 *   START, INLINE, COUNT, BULKLEN ──malformed input──▶ ERROR
 *   respParserReset(): any state ──▶ START
 *
 *   START    nothing looked at yet (len may be 0).
 *   INLINE   searching for the '\n' that ends the line.
 *   COUNT    searching for the '\r' that ends "*<count>".
 *   BULKLEN  searching for the '\r' that ends "$<len>" at p->pos.
 *   BULK     waiting for <len> bytes plus two at p->pos.
 *   OK       p->argc/argv/pos hold the command; calling again repeats it.
 *   EMPTY    p->pos holds the bytes consumed; calling again repeats it.
 *   ERROR    p->errText holds the error; calling again repeats it.
 *
 * Redis 7.0 semantics reproduced on purpose (checked against redis-server
 * 7.0.15; see tests/unit/test_resp.c for each case):
 *   - A line ends at its first '\r' for "*" and "$" lines, and Redis skips
 *     the byte after the '\r' without checking that it is '\n'; a bulk is
 *     followed by two bytes that are skipped unchecked ("$4\r\nPINGxy" is
 *     PING). An inline line ends at its first '\n', and one '\r' before it
 *     is dropped.
 *   - Redis searches line ends with strchr(), so a NUL byte before the end
 *     of a line hides the end: the line never completes and the client
 *     waits until the 64 KB line limit turns it into a "too big" error.
 *   - Numbers follow Redis's string2ll(): optional '-', no '+', no leading
 *     zeros, no spaces, at most 20 characters. A count <= 0 is an empty
 *     command; a count above maxMultibulk (Redis 7.0: INT_MAX; 6.x had
 *     1024*1024) or a bulk length < 0 or above maxBulkLen is an error.
 *   - Unauthenticated clients: a count > 10 or a bulk length > 16384 is an
 *     error (checked after the general validity checks, as Redis does).
 *     Inline commands have no such limit.
 *   - Inline words are split like sdssplitargs(): see resp.c.
 *   - Line limit, made independent of how the bytes arrive: a line ("*",
 *     "$" or inline) whose end is not within its first RESP_LINE_MAX + 1
 *     bytes is a "too big" error. Redis errors when more than 64 KB of the
 *     line is buffered without its end, which is the same rule whenever the
 *     bytes arrive in pieces. Only a line of 64–80 KB that lands in a
 *     single read differs: Redis may then accept such an inline line (or
 *     call such a "*"/"$" line invalid rather than too big); roost always
 *     reports it too big, whatever the reads.
 */
#ifndef ROOST_RESP_H
#define ROOST_RESP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* Results of respParse(). */
enum { RESP_OK, RESP_NEED_MORE, RESP_ERROR, RESP_EMPTY };

/* Parser states; private to resp.c, listed here for the struct. */
enum {
    RESP_ST_START,
    RESP_ST_INLINE,
    RESP_ST_COUNT,
    RESP_ST_BULKLEN,
    RESP_ST_BULK,
    RESP_ST_OK,
    RESP_ST_EMPTY,
    RESP_ST_ERROR
};

#define RESP_LINE_MAX (64 * 1024)            /* Redis's PROTO_INLINE_MAX_SIZE */
#define RESP_ARGV_INITIAL 1024               /* first argv allocation, at most */
#define RESP_DEFAULT_MAX_BULK_LEN (512LL * 1024 * 1024) /* proto-max-bulk-len */
#define RESP_DEFAULT_MAX_MULTIBULK INT_MAX   /* Redis 7.0's limit */
#define RESP_UNAUTH_MAX_MULTIBULK 10         /* unauthenticated clients */
#define RESP_UNAUTH_MAX_BULK_LEN 16384       /* unauthenticated clients */

/* One argument: len bytes at base + off, base being the command's first
 * byte (multibulk) or p->inlineBuf (inline). */
typedef struct respArg {
    size_t off;                    /* offset of the first byte from base */
    size_t len;                    /* length in bytes */
} respArg;

/* Per-client limits, read on every call (they may change between calls). */
typedef struct respLimits {
    long long maxBulkLen;          /* proto-max-bulk-len; larger bulks are errors */
    long long maxMultibulk;        /* larger "*<n>" counts are errors */
    bool authenticated;            /* false: the unauthenticated limits apply too */
} respLimits;

#define RESP_LIMITS_DEFAULT \
    { RESP_DEFAULT_MAX_BULK_LEN, RESP_DEFAULT_MAX_MULTIBULK, true }

/* The parser. One per client, owned by the client's coroutine (no locks).
 * Fields above the line are results the caller reads; the rest is private. */
typedef struct respParser {
    int argc;                      /* arguments parsed so far; all of them on OK */
    int argvCap;                   /* entries allocated in argv */
    respArg *argv;                 /* argc entries; see "Where arguments live" */
    size_t pos;                    /* OK/EMPTY: bytes consumed; NEED_MORE: bytes
                                      fully parsed so far (the next element's start) */
    size_t need;                   /* NEED_MORE: bytes needed from buf[0]; > len */
    bool isInline;                 /* the command is inline: argv is into inlineBuf */
    char *inlineBuf;               /* inline arguments, unescaped, back to back */
    /* ---- private ---- */
    size_t inlineCap;              /* bytes allocated in inlineBuf */
    int state;                     /* RESP_ST_* */
    int remaining;                 /* COUNT..BULK: bulks still to parse */
    long long bulkLen;             /* BULK: length of the bulk at pos */
    size_t scan;                   /* line end search resumes here (absolute);
                                      meaningful only when >= the line's start */
    bool lineDead;                 /* a NUL precedes the current line's end */
    const char *errText;           /* ERROR: the error (static or errBuf) */
    char errBuf[48];               /* formatted "expected '$', got 'c'" */
} respParser;

/* respParserInit: an empty parser in state START. Allocates nothing. */
void respParserInit(respParser *p);

/* respParserFree: release argv and inlineBuf. The parser may be initialised
 * again afterwards. */
void respParserFree(respParser *p);

/* respParse: parse (or continue parsing) the command starting at buf[0],
 * with len bytes available. lim and err must not be NULL. Returns RESP_OK,
 * RESP_EMPTY, RESP_NEED_MORE or RESP_ERROR with the fields set as described
 * at the top of this file. O(new bytes) per call, plus O(argc) on the call
 * that completes an inline command. */
int respParse(respParser *p, const char *buf, size_t len,
              const respLimits *lim, const char **err);

/* respParserReset: forget the current command and get ready for the next
 * one. Keeps argv and inlineBuf for reuse unless a big command grew them past
 * what is worth keeping per client. */
void respParserReset(respParser *p);

/* respArgPtr: the first byte of argument i of a parsed command whose first
 * byte is at buf (the same buffer, possibly moved, that was parsed). */
static inline const char *respArgPtr(const respParser *p, const char *buf, int i) {
    return (p->isInline ? p->inlineBuf : buf) + p->argv[i].off;
}

#endif
