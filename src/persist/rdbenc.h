/* rdbenc.h — the pieces of Redis's RDB encoding that DUMP-style payloads
 * use (FUNCTION DUMP / RESTORE today; the RDB writer and loader later).
 *
 * Length encoding (the top two bits of the first byte):
 *   00LLLLLL                    6-bit length
 *   01LLLLLL LLLLLLLL           14-bit length, big-endian
 *   10000000 + 4 bytes          32-bit length, big-endian
 *   10000001 + 8 bytes          64-bit length, big-endian
 *   11EEEEEE                    a special encoding E follows (not a length):
 *                               0,1,2 = 8/16/32-bit little-endian integer
 *                               stored as a string; 3 = LZF-compressed string
 * String: a length and the bytes, or the special forms: strings of more
 * than 20 bytes are stored LZF-compressed (C3, compressed length, original
 * length, data) when that saves at least 4 bytes, as Redis does.
 * A payload ends with the RDB version (2 bytes, little-endian) and the
 * CRC-64 (crc64.h) of everything before it (8 bytes, little-endian).
 */
#ifndef ROOST_RDBENC_H
#define ROOST_RDBENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RDB_VERSION 10                 /* what Redis 7.0 writes */
#define RDB_OPCODE_FUNCTION_PRE_GA 246
#define RDB_OPCODE_FUNCTION2 245

/* a growing byte buffer (zmalloc) */
typedef struct rdbBuf {
    unsigned char *p;
    size_t len, cap;
} rdbBuf;

void rdbBufPut(rdbBuf *b, const void *p, size_t n);
void rdbBufFree(rdbBuf *b);
void rdbPutLen(rdbBuf *b, uint64_t len);
void rdbPutString(rdbBuf *b, const char *s, size_t len);
/* rdbPutTrailer appends the version and the CRC-64 of everything so far */
void rdbPutTrailer(rdbBuf *b);

/* rdbCheckTrailer: does p[0..len) end with a version we read (<= ours)
 * and the right CRC-64? */
bool rdbCheckTrailer(const unsigned char *p, size_t len);

/* rdbGetString reads a string at *p (< end), advancing *p. Returns a
 * zmalloc'd copy (NUL-terminated, length in *outlen) or NULL on malformed
 * input. */
char *rdbGetString(const unsigned char **p, const unsigned char *end, size_t *outlen);

#endif
