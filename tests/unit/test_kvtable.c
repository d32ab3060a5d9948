/* test_kvtable.c — the keyspace hash table and kvobj layout against a
 * trivially correct model (an array of keys with presence flags). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "storage/db.h"
#include "storage/hash.h"
#include "storage/kvtable.h"
#include "storage/object.h"
#include "storage/zmalloc.h"

#define NKEYS 20000

static void keyName(int i, char *buf, size_t *len) { *len = (size_t)snprintf(buf, 32, "key:%d", i); }

static uint64_t rnd64(void) {
    static uint64_t x = 88172645463325252ull;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    return x;
}

Test(kvtable, random_operations_agree_with_a_model) {
    hashSeedInit(12345);
    kvtable t;
    kvtInit(&t);
    bool *present = calloc(NKEYS, 1);
    size_t count = 0;
    for (int step = 0; step < 400000; step++) {
        int i = (int)(rnd64() % NKEYS);
        char k[32];
        size_t kl;
        keyName(i, k, &kl);
        uint64_t h = hashBytes(k, kl);
        int op = (int)(rnd64() % 3);
        kvobj **link = kvtFindLink(&t, h, k, kl);
        cr_assert_eq(link != NULL, present[i], "step %d key %d presence", step, i);
        if (op == 0 && !link) {
            kvtAdd(&t, h, kvNewInt(k, kl, i, -1));
            present[i] = true;
            count++;
        } else if (op == 1 && link) {
            kvobj *o = kvtUnlink(&t, link);
            cr_assert_eq(kvInt(o), i);
            kvFree(o);
            kvtAfterDelete(&t);
            present[i] = false;
            count--;
        } else if (op == 2 && link) {
            cr_assert_eq(kvKeyLen(*link), kl);
            cr_assert(memcmp(kvKey(*link), k, kl) == 0);
            kvobj *old = *link;
            kvtReplace(link, kvNewInt(k, kl, i, -1));
            kvFree(old);
        }
        cr_assert_eq(kvtSize(&t), count, "step %d size", step);
    }
    kvtClear(&t, kvFree);
    free(present);
}

typedef struct scanSeen { int *seen; } scanSeen;

static void scanCb(void *arg, kvobj *o) {
    scanSeen *s = arg;
    s->seen[kvInt(o)]++;
}

Test(kvtable, scan_returns_every_key_present_throughout_while_the_table_grows_and_shrinks) {
    hashSeedInit(777);
    kvtable t;
    kvtInit(&t);
    for (int i = 0; i < 1000; i++) {
        char k[32]; size_t kl; keyName(i, k, &kl);
        kvtAdd(&t, hashBytes(k, kl), kvNewInt(k, kl, i, -1));
    }
    int *seen = calloc(NKEYS, sizeof(int));
    scanSeen s = { seen };
    uint64_t cur = 0;
    int calls = 0, next = 1000;
    do {
        cur = kvtScan(&t, cur, scanCb, &s);
        calls++;
        /* grow a lot during the first half, then delete the added keys */
        if (calls < 200) {
            for (int k = 0; k < 50; k++, next++) {
                char key[32]; size_t kl; keyName(next, key, &kl);
                kvtAdd(&t, hashBytes(key, kl), kvNewInt(key, kl, next, -1));
            }
        } else if (next > 1000) {
            for (int k = 0; k < 100 && next > 1000; k++) {
                next--;
                char key[32]; size_t kl; keyName(next, key, &kl);
                kvobj **l = kvtFindLink(&t, hashBytes(key, kl), key, kl);
                cr_assert_not_null(l);
                kvFree(kvtUnlink(&t, l));
                kvtAfterDelete(&t);
            }
        }
    } while (cur != 0);
    for (int i = 0; i < 1000; i++) cr_assert_geq(seen[i], 1, "key %d never returned by SCAN", i);
    kvtClear(&t, kvFree);
    free(seen);
}

Test(object, string_encodings_follow_redis_thresholds) {
    kvobj *o = kvNewString("k", 1, "12345", 5, -1);
    cr_assert_eq(kvEnc(o), ENC_INT);
    kvFree(o);
    o = kvNewString("k", 1, "012", 3, -1);          /* leading zero: not canonical */
    cr_assert_eq(kvEnc(o), ENC_EMBSTR);
    kvFree(o);
    char v[64];
    memset(v, 'x', sizeof v);
    o = kvNewString("k", 1, v, 44, -1);
    cr_assert_eq(kvEnc(o), ENC_EMBSTR);
    kvFree(o);
    o = kvNewString("k", 1, v, 45, -1);
    cr_assert_eq(kvEnc(o), ENC_RAW);
    char buf[24];
    size_t len;
    const char *p = kvStr(o, buf, &len);
    cr_assert_eq(len, 45);
    cr_assert(memcmp(p, v, 45) == 0);
    kvFree(o);
}

Test(object, a_short_key_and_value_fit_one_32_byte_block) {
    kvobj *o = kvNewString("key:000001", 10, "xxx", 3, -1);
    cr_assert_leq(zmallocSize(o), 32);
    kvFree(o);
}

Test(object, long_keys_and_expires_round_trip) {
    char key[300];
    memset(key, 'k', sizeof key);
    kvobj *o = kvNewString(key, sizeof key, "v", 1, 1234567);
    cr_assert_eq(kvKeyLen(o), sizeof key);
    cr_assert(memcmp(kvKey(o), key, sizeof key) == 0);
    cr_assert_eq(kvExpire(o), 1234567);
    kvobj *n = kvWithExpire(o, -1);
    cr_assert_eq(kvExpire(n), -1);
    cr_assert_eq(kvKeyLen(n), sizeof key);
    char buf[24];
    size_t len;
    cr_assert(memcmp(kvStr(n, buf, &len), "v", 1) == 0 && len == 1);
    kvFree(n);
}

Test(db, expire_vector_tracks_keys_through_replace_and_delete) {
    hashSeedInit(99);
    ksInit(1, 1);
    shard *s = ksShardAt(0, 0);
    for (int i = 0; i < 100; i++) {
        char k[32]; size_t kl; keyName(i, k, &kl);
        dbAdd(s, hashBytes(k, kl), kvNewInt(k, kl, i, i % 2 ? 1000 : -1));
    }
    cr_assert_eq(s->nexp, 50);
    for (int i = 0; i < 100; i += 4) {   /* give every 4th key an expire (half had one) */
        char k[32]; size_t kl; keyName(i, k, &kl);
        kvobj **l = dbFindLink(s, hashBytes(k, kl), k, kl, 0, true);
        dbSetExpireAt(s, l, 5);
    }
    cr_assert_eq(s->nexp, 75);
    for (uint32_t j = 0; j < s->nexp; j++) cr_assert_eq(kvExpireIdx(s->exp[j]), j);
    int sampled;
    int deleted = 0;
    for (int round = 0; round < 200 && s->nexp > 50; round++)
        deleted += dbActiveExpireShard(s, 100, 20, &sampled);   /* now=100: the "5" keys expired */
    cr_assert_eq(deleted, 25);
    cr_assert_eq(kvtSize(&s->table), 75);
    for (uint32_t j = 0; j < s->nexp; j++) cr_assert_eq(kvExpireIdx(s->exp[j]), j);
}
