/* test_rdbenc.c — CRC-64 (storage/crc64.c) and the RDB pieces of DUMP-style
 * payloads (persist/rdbenc.c):
 *   - crc64 gives the check value of CRC-64/Jones and Redis's checksum of
 *     an empty FUNCTION DUMP (captured from redis-server 7.0.15);
 *   - every length encoding (6, 14, 32 bits) and the LZF form round-trip,
 *     and strings are compressed only past 20 bytes and when it pays;
 *   - a payload Redis wrote (FUNCTION DUMP of a small library) parses, and
 *     its trailer checks; one flipped bit anywhere fails the check;
 *   - integer-encoded strings read as their decimal text;
 *   - 20,000 random and truncated inputs never crash the reader (it
 *     returns a string or NULL).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "persist/rdbenc.h"
#include "storage/crc64.h"
#include "storage/zmalloc.h"

Test(crc64, check_value_and_redis_empty_dump) {
    cr_expect_eq(crc64(0, "123456789", 9), 0xe9c6d914c4b8d9caULL);
    /* redis-server 7.0.15: FUNCTION DUMP with no library = "\n\0" + CRC */
    uint64_t want = 0;
    const unsigned char crc[8] = { 0x5d, 0x9b, 0x5c, 0x40, 0x0f, 0x7f, 0xa2, 0xda };
    for (int i = 0; i < 8; i++) want |= (uint64_t)crc[i] << (8 * i);
    cr_expect_eq(crc64(0, "\n\0", 2), want);
    /* streaming gives the same value */
    cr_expect_eq(crc64(crc64(0, "1234", 4), "56789", 5), 0xe9c6d914c4b8d9caULL);
}

static void roundTrip(const char *s, size_t len) {
    rdbBuf b = { 0 };
    rdbPutString(&b, s, len);
    const unsigned char *p = b.p;
    size_t got = 0;
    char *out = rdbGetString(&p, b.p + b.len, &got);
    cr_assert_not_null(out, "a string of %zu bytes did not read back", len);
    cr_expect_eq(got, len);
    cr_expect(memcmp(out, s, len) == 0, "a string of %zu bytes changed", len);
    cr_expect_eq(p, b.p + b.len, "the reader stopped short");
    zfree(out);
    rdbBufFree(&b);
}

Test(rdbenc, strings_of_every_length_encoding_round_trip) {
    static char buf[70000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(rand() & 0xff);   /* incompressible */
    size_t lens[] = { 0, 1, 20, 21, 63, 64, 100, 16383, 16384, 65000, sizeof buf };
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) roundTrip(buf, lens[i]);
    memset(buf, 'a', sizeof buf);                                             /* compressible */
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) roundTrip(buf, lens[i]);
}

Test(rdbenc, lengths_use_redis_headers) {
    rdbBuf b = { 0 };
    rdbPutLen(&b, 63);
    rdbPutLen(&b, 64);
    rdbPutLen(&b, 16384);
    const unsigned char want[] = { 0x3f, 0x40, 0x40, 0x80, 0x00, 0x00, 0x40, 0x00 };
    cr_assert_eq(b.len, sizeof want);
    cr_expect(memcmp(b.p, want, sizeof want) == 0);
    rdbBufFree(&b);
}

Test(rdbenc, only_strings_past_20_bytes_that_shrink_are_compressed) {
    char s[64];
    memset(s, 'x', sizeof s);
    rdbBuf b = { 0 };
    rdbPutString(&b, s, 20);
    cr_expect_eq(b.p[0], 20, "20 bytes are stored plain");
    b.len = 0;
    rdbPutString(&b, s, 64);
    cr_expect_eq(b.p[0], 0xc3, "64 repeated bytes are stored LZF-compressed");
    cr_expect_lt(b.len, 20);
    rdbBufFree(&b);
}

/* FUNCTION DUMP of "#!lua name=dl\n..." from redis-server 7.0.15 */
static const char redisDump[] =
    "\xf5@G#!lua name=dl\nredis.register_function('d1', function() return 'd1' end)"
    "\n\x00\x91" "9\xef<\x02\xe9\xab\x96";

Test(rdbenc, a_payload_redis_wrote_parses_and_checks) {
    size_t len = sizeof redisDump - 1;
    const unsigned char *p = (const unsigned char *)redisDump;
    cr_assert(rdbCheckTrailer(p, len));
    cr_assert_eq(p[0], RDB_OPCODE_FUNCTION2);
    p++;
    size_t clen;
    char *code = rdbGetString(&p, (const unsigned char *)redisDump + len - 10, &clen);
    cr_assert_not_null(code);
    cr_expect_str_eq(code, "#!lua name=dl\nredis.register_function('d1', function() return 'd1' end)");
    zfree(code);
    unsigned char bad[sizeof redisDump];
    for (size_t i = 0; i < len; i++) {
        memcpy(bad, redisDump, len);
        bad[i] ^= 0x10;
        cr_expect(!rdbCheckTrailer(bad, len), "a flipped bit at %zu went unnoticed", i);
    }
}

Test(rdbenc, our_trailer_is_version_10_and_the_crc) {
    rdbBuf b = { 0 };
    rdbPutTrailer(&b);
    const unsigned char want[] = { '\n', 0, 0x5d, 0x9b, 0x5c, 0x40, 0x0f, 0x7f, 0xa2, 0xda };
    cr_assert_eq(b.len, sizeof want);
    cr_expect(memcmp(b.p, want, sizeof want) == 0, "an empty dump differs from Redis's");
    rdbBufFree(&b);
}

Test(rdbenc, integer_encoded_strings_read_as_decimal) {
    const unsigned char in[] = { 0xc0, 0xfe, 0xc1, 0x39, 0x30, 0xc2, 0x00, 0x00, 0x00, 0x80 };
    const unsigned char *p = in, *end = in + sizeof in;
    const char *want[] = { "-2", "12345", "-2147483648" };
    for (int i = 0; i < 3; i++) {
        size_t n;
        char *s = rdbGetString(&p, end, &n);
        cr_assert_not_null(s);
        cr_expect_str_eq(s, want[i]);
        zfree(s);
    }
}

Test(rdbenc, random_and_truncated_input_never_crashes_the_reader) {
    unsigned char buf[64];
    srand(42);
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand() % (int)sizeof buf);
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)rand();
        if (round % 4 == 0 && len > 0) buf[0] = 0xc3;     /* aim at the LZF path */
        const unsigned char *p = buf;
        size_t n;
        char *s = rdbGetString(&p, buf + len, &n);
        if (s) {
            cr_assert_leq(p, buf + len);
            zfree(s);
        }
        (void)rdbCheckTrailer(buf, len);
    }
}
