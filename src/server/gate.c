/* gate.c — the exclusive gate (DESIGN.md §4): how a script gets the whole
 * keyspace to itself without taking every shard lock.
 *
 * Every command that runs through call() enters the gate in shared mode:
 * one atomic increment of its P's slot (a cache line of its own, written by
 * the commands of that P only, so no line is shared on the hot path) and
 * one load of `raised`. A script (CMD_EXCLUSIVE: EVAL, FCALL, SCRIPT LOAD,
 * FUNCTION LOAD ..., or an EXEC that queued one) enters in exclusive mode:
 * it becomes the owner, raises the gate, and waits until every slot drains.
 * From then on no other command runs until it leaves; its own commands
 * (the script client's, or EXEC's queued ones) run through call() with
 * CLIENT_EXCLUSIVE, which skips the gate and takes the shard locks as
 * usual, so the background lockers (blocked clients leaving their queues,
 * disconnects unwatching keys) stay safe. Background work that changes the
 * keyspace (active expiry, rehashing) enters with gateTryShared and skips
 * its turn while the gate is raised.
 *
 * The pair "increment my slot, then load raised" (entrant) against "store
 * raised, then load every slot" (owner) is a Dekker pair: all four accesses
 * are seq_cst, so at least one side sees the other and a command never runs
 * beside an owner.
 *
 * Waiting. An entrant that finds the gate raised backs out of its slot and
 * parks on the gate's wait list (an rtWaiter each, on the waiter's stack,
 * linked under gateLock); the owner leaving wakes them all and they try
 * again. A slot may stay held across a park: commands that yield in the
 * middle (KEYS, SCAN and INFO walks, cmdWalkYield) keep their shared
 * entry, so slots are counters and the owner's drain waits by yielding and
 * sleeping, never by spinning its thread for long.
 *
 * Busy. Once a script has run longer than busy-reply-threshold its engine
 * calls gateMarkBusy: waiters are woken, and from then on every command
 * that is not CMD_ALLOW_BUSY is refused (-BUSY, the message the owner gave)
 * instead of waiting, as in Redis; CMD_ALLOW_BUSY ones (SCRIPT KILL,
 * FUNCTION KILL, SHUTDOWN, AUTH, MULTI ...) run beside the script without
 * entering (GATE_NONE).
 *
 * Deviation from DESIGN.md §4: only scripts (and transactions holding one)
 * take the gate. FLUSHALL, FLUSHDB and SWAPDB keep locking every shard as
 * they did before the gate existed: they are short, they never park, and
 * they need no BUSY handling, so the gate would only add a drain to them.
 *
 * Locks: gateLock guards owner, the wait list and busyMsg; it is a leaf
 * (nothing else is taken under it) and never held across a park.
 */
#include "server/server.h"

typedef struct gateWaiter {
    rtWaiter w;                      /* on the waiting G's stack */
    struct gateWaiter *next;         /* under gateLock */
} gateWaiter;

gateSlot gateSlots[HSTAT_SLOTS];     /* gateSlot: server.h (the inline hot path) */
_Atomic int gateRaised;              /* an owner holds or is taking the gate (seq_cst) */
_Atomic int gateBusy;                /* the owner ran past busy-reply-threshold */
static rtLock gateLock;
static client *owner;                /* under gateLock; NULL = none */
static gateWaiter *waiters;          /* under gateLock */
static const char *busyMsg;          /* under gateLock: the -BUSY reply */

static int slotCount(void) {
    int n = rtNumProcs();
    return n < 1 ? 1 : n > HSTAT_SLOTS ? HSTAT_SLOTS : n;
}

static void unlockGate(void *arg) {
    (void)arg;
    rtLockRelease(&gateLock);
}

/* waitLocked parks until the owner leaves or turns busy. gateLock held on
 * entry, released on return. */
static void waitLocked(void) {
    gateWaiter gw;
    rtWaiterInit(&gw.w);
    gw.next = waiters;
    waiters = &gw;
    rtWaiterPark(&gw.w, 0, unlockGate, NULL);
}

/* wakeAllLocked wakes every waiter (gateLock held). Each node is read
 * before its wake: the woken G may return and reuse its stack at once. */
static void wakeAllLocked(void) {
    gateWaiter *w = waiters;
    waiters = NULL;
    while (w) {
        gateWaiter *next = w->next;
        rtWaiterWake(&w->w);
        w = next;
    }
}

bool gateRefusesSlow(client *c, const cmdDef *cmd) {
    if (cmd && (cmd->flags & CMD_ALLOW_BUSY)) return false;
    rtLockAcquire(&gateLock);
    bool r = atomic_load(&gateBusy) && owner != NULL && owner != c;
    rtLockRelease(&gateLock);
    return r;
}

const char *gateBusyMessage(void) {
    rtLockAcquire(&gateLock);
    const char *m = busyMsg ? busyMsg : "-BUSY Redis is busy running a script.";
    rtLockRelease(&gateLock);
    return m;
}

/* enterShared: the common case (one increment and one load) is inlined
 * in server.h's gateEnter; this is the loop behind it. */
static int enterShared(client *c, const cmdDef *cmd) {
    int i = procSlot();
    for (;;) {
        atomic_fetch_add(&gateSlots[i].n, 1);
        if (!atomic_load(&gateRaised)) {
            c->gateSlot = i;
            return GATE_SHARED;
        }
        atomic_fetch_sub(&gateSlots[i].n, 1);
        rtLockAcquire(&gateLock);
        if (!owner) {                /* it left meanwhile */
            rtLockRelease(&gateLock);
        } else if (atomic_load(&gateBusy)) {
            rtLockRelease(&gateLock);
            return (cmd->flags & CMD_ALLOW_BUSY) ? GATE_NONE : GATE_REFUSED;
        } else {
            waitLocked();
        }
        i = procSlot();             /* we may have moved to another P */
    }
}

/* drainSlots waits until no shared entry is held on any P. */
static void drainSlots(void) {
    int n = slotCount();
    int64_t pause = 20000;           /* ns: after a few yields, sleep doubling to 1 ms */
    for (int round = 0;; round++) {
        bool clear = true;
        for (int i = 0; i < n && clear; i++)
            if (atomic_load(&gateSlots[i].n) != 0) clear = false;
        if (clear) return;
        if (round < 64) {
            rtYield();
        } else {
            rtSleep(pause);
            if (pause < 1000000) pause *= 2;
        }
    }
}

static int enterExclusive(client *c, const cmdDef *cmd) {
    rtLockAcquire(&gateLock);
    while (owner) {
        if (atomic_load(&gateBusy)) {
            rtLockRelease(&gateLock);
            return (cmd->flags & CMD_ALLOW_BUSY) ? GATE_NONE : GATE_REFUSED;
        }
        waitLocked();
        rtLockAcquire(&gateLock);
    }
    owner = c;
    atomic_store(&gateRaised, 1);
    rtLockRelease(&gateLock);
    drainSlots();
    return GATE_EXCLUSIVE;
}

int gateEnterSlow(client *c, const cmdDef *cmd, bool exclusive) {
    return exclusive ? enterExclusive(c, cmd) : enterShared(c, cmd);
}

void gateLeaveSlow(client *c, int mode) {
    if (mode == GATE_SHARED) {
        atomic_fetch_sub(&gateSlots[c->gateSlot].n, 1);
    } else if (mode == GATE_EXCLUSIVE) {
        rtLockAcquire(&gateLock);
        owner = NULL;
        busyMsg = NULL;
        atomic_store(&gateBusy, 0);
        atomic_store(&gateRaised, 0);
        wakeAllLocked();
        rtLockRelease(&gateLock);
    }
}

bool gateTryShared(int *slot) {
    int i = procSlot();
    atomic_fetch_add(&gateSlots[i].n, 1);
    if (!atomic_load(&gateRaised)) {
        *slot = i;
        return true;
    }
    atomic_fetch_sub(&gateSlots[i].n, 1);
    return false;
}

void gateLeaveShared(int slot) { atomic_fetch_sub(&gateSlots[slot].n, 1); }

void gateMarkBusy(const char *msg) {
    rtLockAcquire(&gateLock);
    busyMsg = msg;
    atomic_store(&gateBusy, 1);
    wakeAllLocked();
    rtLockRelease(&gateLock);
}

bool gateIsBusy(void) { return atomic_load_explicit(&gateBusy, memory_order_relaxed) != 0; }
