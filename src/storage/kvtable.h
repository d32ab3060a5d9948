/* kvtable.h — the keyspace hash table (design and invariants: kvtable.c). */
#ifndef ROOST_KVTABLE_H
#define ROOST_KVTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "storage/object.h"

typedef struct kvtable {
    kvobj **t[2];          /* bucket arrays; t[1] only while rehashing */
    uint64_t size[2];      /* slots (powers of two, 0 = none) */
    uint64_t used[2];      /* entries in each */
    long rehashidx;        /* next t[0] bucket to move; -1 = not rehashing */
    bool noResize;         /* hold resizes (e.g. while a fork shares pages) */
    int linkTable;         /* table of the entry kvtFindLink last returned */
} kvtable;

void kvtInit(kvtable *d);
/* kvtFindLink returns the link (bucket slot or previous entry's next) that
 * points at the entry for key, or NULL. Takes one rehash step. */
kvobj **kvtFindLink(kvtable *d, uint64_t h, const char *key, size_t klen);
kvobj *kvtFind(kvtable *d, uint64_t h, const char *key, size_t klen);
/* kvtAdd links o (its key must not be present). */
void kvtAdd(kvtable *d, uint64_t h, kvobj *o);
/* kvtReplace puts n where *link's entry was (same key). */
void kvtReplace(kvobj **link, kvobj *n);
/* kvtUnlink removes *link's entry (from the kvtFindLink just before) and
 * returns it; call kvtAfterDelete once the caller is done deleting (it may
 * shrink the table). */
kvobj *kvtUnlink(kvtable *d, kvobj **link);
void kvtAfterDelete(kvtable *d);
void kvtMaybeShrink(kvtable *d);
uint64_t kvtSize(const kvtable *d);
/* kvtRehash does up to n bucket moves; true while more remain. */
bool kvtRehash(kvtable *d, int n);
/* kvtClear frees every entry with freefn and the buckets. */
void kvtClear(kvtable *d, void (*freefn)(kvobj *));
/* kvtScan calls fn for every entry of the bucket(s) at cursor v and returns
 * the next cursor (0 = done). fn must not add or delete entries. */
uint64_t kvtScan(kvtable *d, uint64_t v, void (*fn)(void *, kvobj *), void *arg);
kvobj *kvtRandom(kvtable *d, uint64_t (*rnd)(void));
void kvtForEach(kvtable *d, void (*fn)(void *, kvobj *), void *arg);

#endif
