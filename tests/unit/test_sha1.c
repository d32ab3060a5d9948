/* test_sha1.c — SHA-1 against FIPS 180 test vectors and digests printed by
 * `sha1sum`, Python's hashlib and redis-server 7.0.15's SCRIPT LOAD; and
 * streaming (any split of the input gives the same digest). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "server/sha1.h"
#include "storage/zmalloc.h"

static void expectHex(const char *msg, size_t len, const char *want) {
    char got[41];
    sha1Hex(msg, len, got);
    cr_expect_str_eq(got, want, "SHA-1 of %zu bytes", len);
}

Test(sha1, fips_vectors) {
    expectHex("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expectHex("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    expectHex(two, strlen(two), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

Test(sha1, a_million_a) {
    char *m = zmalloc(1000000);
    memset(m, 'a', 1000000);
    expectHex(m, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    zfree(m);
}

Test(sha1, script_bodies_as_redis_names_them) {
    /* redis-cli SCRIPT LOAD "return 1" against redis-server 7.0.15 */
    expectHex("return 1", 8, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    const char *s = "return redis.call('get',KEYS[1])";
    expectHex(s, strlen(s), "fd758d1589d044dd850a6f05d52f2eefd27f033f");
}

Test(sha1, every_split_of_the_input_gives_the_same_digest) {
    unsigned char buf[768];
    for (int i = 0; i < 768; i++) buf[i] = (unsigned char)i;   /* bytes 0..255, three times */
    for (size_t cut = 0; cut <= sizeof buf; cut += 7) {
        sha1Ctx x;
        unsigned char d[20];
        char hex[41];
        sha1Init(&x);
        sha1Update(&x, buf, cut);
        for (size_t i = cut; i < sizeof buf; i += 13)
            sha1Update(&x, buf + i, sizeof buf - i < 13 ? sizeof buf - i : 13);
        sha1Final(&x, d);
        for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
        cr_expect_str_eq(hex, "ac2a264c8ec1f4232a40854e8239bc3a697ab1d2", "cut at %zu", cut);
    }
}
