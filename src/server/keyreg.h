/* keyreg.h — per-shard registries of clients interested in a key.
 *
 * Two things hang clients on keys: WATCH (a write to the key makes the
 * watchers' EXEC fail) and the blocking commands (a push to the key serves
 * the first waiter). Both live in the key's shard, next to the key, so the
 * shard lock that guards the key guards its registry too (DESIGN.md §4–5).
 *
 * A keyreg maps a key (bytes + its 64-bit hash) to a FIFO list of nodes,
 * each naming an owner. Nodes are appended at the tail, so walking an entry
 * from its head visits owners in registration order: the first client
 * blocked on a key is served first.
 *
 * Invariants:
 *  - every call is made with the owning shard's lock held;
 *  - an entry exists exactly while its node list is non-empty (the last
 *    regRemove frees it); the table shrinks back to nothing when empty;
 *  - a node stays valid until regRemove; only the node's owner removes it.
 */
#ifndef ROOST_KEYREG_H
#define ROOST_KEYREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct regEntry regEntry;

typedef struct regNode {
    struct regNode *prev, *next;
    regEntry *entry;
    void *owner;
    uint32_t tag;              /* the owner's use (WATCH: expired when watched) */
} regNode;

struct regEntry {
    regEntry *chain;           /* bucket chain */
    uint64_t hash;
    regNode *head, *tail;
    size_t klen;
    char key[];
};

typedef struct keyreg {
    regEntry **buckets;
    size_t size;               /* power of two */
    size_t used;               /* entries */
} keyreg;

/* regAdd appends a node for owner under key (creating *r on first use). */
regNode *regAdd(keyreg **r, uint64_t h, const char *key, size_t klen, void *owner);
/* regRemove unlinks n and frees it (and its entry when it was the last;
 * *r itself when the registry became empty). */
void regRemove(keyreg **r, regNode *n);
/* regFind: the entry for key, or NULL. r may be NULL. */
regEntry *regFind(keyreg *r, uint64_t h, const char *key, size_t klen);
/* regForEach calls fn for every entry; fn must not add or remove nodes. */
void regForEach(keyreg *r, void (*fn)(regEntry *e, void *arg), void *arg);

#endif
