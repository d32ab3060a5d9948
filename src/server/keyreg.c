/* keyreg.c — per-shard key → FIFO of owners (contract and invariants:
 * keyreg.h). A small chained table that doubles at load 1 and is freed when
 * its last entry goes: registries are empty nearly always, so the common
 * cost is one NULL test in the shard. */
#include "server/keyreg.h"
#include "storage/zmalloc.h"

#include <string.h>

static regEntry **bucketOf(keyreg *r, uint64_t h) { return &r->buckets[h & (r->size - 1)]; }

static void grow(keyreg *r) {
    size_t nsize = r->size * 2;
    regEntry **nb = zcalloc(nsize * sizeof *nb);
    for (size_t i = 0; i < r->size; i++) {
        regEntry *e = r->buckets[i];
        while (e) {
            regEntry *next = e->chain;
            regEntry **b = &nb[e->hash & (nsize - 1)];
            e->chain = *b;
            *b = e;
            e = next;
        }
    }
    zfree(r->buckets);
    r->buckets = nb;
    r->size = nsize;
}

regEntry *regFind(keyreg *r, uint64_t h, const char *key, size_t klen) {
    if (!r) return NULL;
    for (regEntry *e = *bucketOf(r, h); e; e = e->chain)
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) return e;
    return NULL;
}

regNode *regAdd(keyreg **rp, uint64_t h, const char *key, size_t klen, void *owner) {
    if (!*rp) {
        keyreg *r = zcalloc(sizeof *r);
        r->size = 8;
        r->buckets = zcalloc(r->size * sizeof *r->buckets);
        *rp = r;
    }
    keyreg *r = *rp;
    regEntry *e = regFind(r, h, key, klen);
    if (!e) {
        if (r->used >= r->size) grow(r);
        e = zmalloc(sizeof *e + klen);
        e->hash = h;
        e->head = e->tail = NULL;
        e->klen = klen;
        memcpy(e->key, key, klen);
        regEntry **b = bucketOf(r, h);
        e->chain = *b;
        *b = e;
        r->used++;
    }
    regNode *n = zmalloc(sizeof *n);
    n->entry = e;
    n->owner = owner;
    n->tag = 0;
    n->next = NULL;
    n->prev = e->tail;
    if (e->tail) e->tail->next = n; else e->head = n;
    e->tail = n;
    return n;
}

void regRemove(keyreg **rp, regNode *n) {
    keyreg *r = *rp;
    regEntry *e = n->entry;
    if (n->prev) n->prev->next = n->next; else e->head = n->next;
    if (n->next) n->next->prev = n->prev; else e->tail = n->prev;
    zfree(n);
    if (e->head) return;
    regEntry **b = bucketOf(r, e->hash);
    while (*b != e) b = &(*b)->chain;
    *b = e->chain;
    zfree(e);
    if (--r->used == 0) {
        zfree(r->buckets);
        zfree(r);
        *rp = NULL;
    }
}

void regForEach(keyreg *r, void (*fn)(regEntry *e, void *arg), void *arg) {
    if (!r) return;
    for (size_t i = 0; i < r->size; i++)
        for (regEntry *e = r->buckets[i]; e; e = e->chain) fn(e, arg);
}
