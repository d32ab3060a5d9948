/* test_scripting_concurrent.c — scripts as applications use them, run by
 * 16 client threads at once against a server with 4 threads (roost; Redis
 * has one): each script must run atomically, so the invariants below hold
 * only if no two scripts interleave.
 *
 *  - a token-bucket rate limiter (tokens and the last refill time in a
 *    hash, refilled by the time each caller passes): the requests allowed
 *    never exceed the capacity plus the refill over the run;
 *  - a lock acquired with SET NX PX and released by a compare-and-delete
 *    script: holders increment a counter with a plain GET then SET from the
 *    client, so the counter equals the acquisitions only if the lock was
 *    never held twice; releases with a wrong token never delete;
 *  - a reliable job queue: producers LPUSH unique ids, workers move a job
 *    to a processing list (recording its state in a hash) with one script
 *    and finish it with another (LREM, SADD done): every job ends in done
 *    exactly once, none is lost or doubled, both lists end empty.
 *
 * Written against redis-server 7.0.15 (ROOST_ORACLE=redis) before roost
 * implemented scripting; every expectation holds for both.
 *
 * Each test starts its own server. The scripts are loaded with SCRIPT LOAD
 * and run with EVALSHA, as client libraries do. Worker threads report the
 * first unexpected reply through crewFail; the test then fails with it.
 */
#include "harness.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 16

/* ---- the crew: threads with a connection each ------------------------------------------ */

typedef struct crew {
    int port;
    char sha[3][41];               /* the scripts loaded for this test */
    pthread_mutex_t lock;          /* guards error */
    char error[512];               /* the first failure of any thread */
    void *state;                   /* the test's shared counters */
} crew;

typedef struct member {
    crew *k;
    int id;                        /* 0 .. THREADS-1 */
} member;

static void crewFail(crew *k, int id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void crewFail(crew *k, int id, const char *fmt, ...) {
    va_list ap;
    pthread_mutex_lock(&k->lock);
    if (!k->error[0]) {
        int n = snprintf(k->error, sizeof k->error, "thread %d: ", id);
        va_start(ap, fmt);
        vsnprintf(k->error + n, sizeof k->error - (size_t)n, fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&k->lock);
}

static bool crewFailed(crew *k) {
    pthread_mutex_lock(&k->lock);
    bool failed = k->error[0] != '\0';
    pthread_mutex_unlock(&k->lock);
    return failed;
}

static redisContext *crewConnect(crew *k, int id) {
    struct timeval tv = { 10, 0 };
    redisContext *c = redisConnectWithTimeout("127.0.0.1", k->port, tv);
    if (!c || c->err) {
        crewFail(k, id, "connect: %s", c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    return c;
}

/* crewCall runs one command (hiredis format) and returns its reply, or NULL
 * after recording the failure when the connection broke or the reply is an
 * error. The caller frees the reply. */
static redisReply *crewCall(crew *k, int id, redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    if (!r) {
        crewFail(k, id, "connection: %s", c->errstr);
        return NULL;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        crewFail(k, id, "error reply: %s", r->str);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}

/* crewRun starts THREADS threads running fn(&member) and joins them. */
static void crewRun(crew *k, void *(*fn)(void *)) {
    pthread_t th[THREADS];
    member m[THREADS];
    for (int i = 0; i < THREADS; i++) {
        m[i] = (member){ k, i };
        REQUIRE(pthread_create(&th[i], NULL, fn, &m[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
}

/* crewStart starts the test's server and loads `n` scripts into k->sha. */
static srv *crewStart(crew *k, redisContext **c, int n, const char *const *scripts) {
    harnessSetTimeout(90);
    srv *sv = srvStart(srvIsOracle() ? NULL : "threads 4");
    *c = cliConnect(sv);
    memset(k, 0, sizeof *k);
    k->port = srvPort(sv);
    pthread_mutex_init(&k->lock, NULL);
    for (int i = 0; i < n; i++) {
        const char *sha = cliCallf(*c, "SCRIPT LOAD %s", scripts[i]);
        REQUIRE(strlen(sha) == 42 && sha[0] == '"', "SCRIPT LOAD: %s", sha);
        memcpy(k->sha[i], sha + 1, 40);
    }
    return sv;
}

/* ---- a token bucket ----------------------------------------------------------------------- */

#define TB_BUCKETS   4
#define TB_CAPACITY  50
#define TB_RATE      100            /* tokens a second */
#define TB_EACH      1500           /* requests per thread */

static const char *tokenBucket =
    "local capacity = tonumber(ARGV[1])\n"
    "local rate = tonumber(ARGV[2])\n"
    "local now = tonumber(ARGV[3])\n"
    "local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')\n"
    "local tokens, ts = tonumber(b[1]), tonumber(b[2])\n"
    "if tokens == nil then tokens, ts = capacity, now end\n"
    "if now > ts then\n"
    "  tokens = math.min(capacity, tokens + (now - ts) * rate / 1000)\n"
    "  ts = now\n"
    "end\n"
    "local allowed = 0\n"
    "if tokens >= 1 then tokens = tokens - 1 allowed = 1 end\n"
    "redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', ts)\n"
    "return allowed\n";

typedef struct bucketCounts {
    long long allowed[TB_BUCKETS]; /* atomic */
    long long denied[TB_BUCKETS];  /* atomic */
} bucketCounts;

static void *tbWorker(void *arg) {
    member *m = arg;
    crew *k = m->k;
    bucketCounts *bc = k->state;
    redisContext *c = crewConnect(k, m->id);
    for (int i = 0; c && i < TB_EACH && !crewFailed(k); i++) {
        int b = (m->id + i) % TB_BUCKETS;
        redisReply *r = crewCall(k, m->id, c, "EVALSHA %s 1 tb:%d %d %d %lld", k->sha[0], b, TB_CAPACITY,
                                 TB_RATE, harnessNowMs());
        if (!r) break;
        if (r->type != REDIS_REPLY_INTEGER || (r->integer != 0 && r->integer != 1))
            crewFail(k, m->id, "the limiter answered %s", replyText(r));
        else
            __atomic_add_fetch(r->integer ? &bc->allowed[b] : &bc->denied[b], 1, __ATOMIC_RELAXED);
        freeReplyObject(r);
    }
    if (c) redisFree(c);
    return NULL;
}

TEST(a_token_bucket_rate_limiter_never_allows_more_than_capacity_plus_refill) {
    crew k;
    redisContext *c;
    crewStart(&k, &c, 1, &tokenBucket);
    bucketCounts bc = { { 0 }, { 0 } };
    k.state = &bc;
    long long t0 = harnessNowMs();
    crewRun(&k, tbWorker);
    long long ms = harnessNowMs() - t0;
    CHECK(k.error[0] == '\0', "%s", k.error);
    for (int b = 0; b < TB_BUCKETS; b++) {
        long long bound = TB_CAPACITY + TB_RATE * (ms + 1) / 1000;
        CHECK(bc.allowed[b] <= bound, "bucket %d allowed %lld of %lld in %lld ms (at most %lld)", b,
              bc.allowed[b], bc.allowed[b] + bc.denied[b], ms, bound);
        CHECK(bc.allowed[b] >= TB_CAPACITY, "bucket %d allowed only %lld", b, bc.allowed[b]);
        CHECK(bc.denied[b] > 0, "bucket %d never denied", b);
        CHECK(bc.allowed[b] + bc.denied[b] == THREADS * TB_EACH / TB_BUCKETS, "bucket %d answered %lld", b,
              bc.allowed[b] + bc.denied[b]);
        EXPECTF(c, ":2", "HLEN tb:%d", b);
    }
    printf("  %d requests in %lld ms; allowed per bucket %lld %lld %lld %lld (bound %lld)\n", THREADS * TB_EACH,
           ms, bc.allowed[0], bc.allowed[1], bc.allowed[2], bc.allowed[3], TB_CAPACITY + TB_RATE * (ms + 1) / 1000);
}

/* ---- a lock with safe release ----------------------------------------------------------------- */

#define LK_EACH 100                 /* acquisitions per thread */

static const char *safeRelease =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
    "  return redis.call('DEL', KEYS[1])\n"
    "else\n"
    "  return 0\n"
    "end\n";

typedef struct lockCounts {
    long long acquired;            /* atomic */
    long long contended;           /* SET NX that answered nil (atomic) */
    long long wrongReleases;       /* releases with a wrong token, all answered 0 (atomic) */
} lockCounts;

/* lkInteger runs a command that must answer the integer want. */
static bool lkInteger(crew *k, int id, redisContext *c, long long want, const char *what,
                      const char *fmt, const char *a, const char *b) {
    redisReply *r = crewCall(k, id, c, fmt, a, b);
    bool ok = r && r->type == REDIS_REPLY_INTEGER && r->integer == want;
    if (r && !ok) crewFail(k, id, "%s answered %s", what, replyText(r));
    if (r) freeReplyObject(r);
    return ok;
}

/* lkCritical is the work done under the lock: a non-atomic increment. */
static bool lkCritical(crew *k, int id, redisContext *c, const char *token) {
    redisReply *r = crewCall(k, id, c, "GET lk:lock");
    bool ok = r && r->type == REDIS_REPLY_STRING && !strcmp(r->str, token);
    if (r && !ok) crewFail(k, id, "the lock holds %s, not our token", replyText(r));
    if (r) freeReplyObject(r);
    if (!ok) return false;
    r = crewCall(k, id, c, "GET lk:counter");
    if (!r) return false;
    long long v = r->type == REDIS_REPLY_STRING ? atoll(r->str) : 0;
    freeReplyObject(r);
    r = crewCall(k, id, c, "SET lk:counter %lld", v + 1);
    if (r) freeReplyObject(r);
    return r != NULL;
}

static void *lkWorker(void *arg) {
    member *m = arg;
    crew *k = m->k;
    lockCounts *lc = k->state;
    redisContext *c = crewConnect(k, m->id);
    for (int i = 0; c && i < LK_EACH && !crewFailed(k);) {
        char token[64], wrong[64];
        snprintf(token, sizeof token, "t%d-%d", m->id, i);
        snprintf(wrong, sizeof wrong, "not-%d-%d", m->id, i);   /* never a holder's token */
        redisReply *r = crewCall(k, m->id, c, "SET lk:lock %s NX PX 10000", token);
        if (!r) break;
        bool got = r->type == REDIS_REPLY_STATUS;
        if (!got && r->type != REDIS_REPLY_NIL) crewFail(k, m->id, "SET NX answered %s", replyText(r));
        freeReplyObject(r);
        if (!got) {
            __atomic_add_fetch(&lc->contended, 1, __ATOMIC_RELAXED);
            /* a release with a token that is not the holder's never deletes */
            if (!lkInteger(k, m->id, c, 0, "a release with a wrong token", "EVALSHA %s 1 lk:lock %s",
                           k->sha[0], wrong))
                break;
            __atomic_add_fetch(&lc->wrongReleases, 1, __ATOMIC_RELAXED);
            sched_yield();
            continue;
        }
        __atomic_add_fetch(&lc->acquired, 1, __ATOMIC_RELAXED);
        if (!lkCritical(k, m->id, c, token)) break;
        if (i % 10 == 0) {
            if (!lkInteger(k, m->id, c, 0, "a release with a wrong token while holding",
                           "EVALSHA %s 1 lk:lock %s", k->sha[0], wrong))
                break;
            __atomic_add_fetch(&lc->wrongReleases, 1, __ATOMIC_RELAXED);
        }
        if (!lkInteger(k, m->id, c, 1, "the holder's release", "EVALSHA %s 1 lk:lock %s", k->sha[0], token))
            break;
        i++;
    }
    if (c) redisFree(c);
    return NULL;
}

TEST(a_lock_with_compare_and_delete_release_is_never_held_twice) {
    crew k;
    redisContext *c;
    crewStart(&k, &c, 1, &safeRelease);
    lockCounts lc = { 0, 0, 0 };
    k.state = &lc;
    long long t0 = harnessNowMs();
    crewRun(&k, lkWorker);
    long long ms = harnessNowMs() - t0;
    CHECK(k.error[0] == '\0', "%s", k.error);
    CHECK(lc.acquired == THREADS * LK_EACH, "acquired %lld times", lc.acquired);
    EXPECT(c, "GET lk:counter", tfmt("\"%d\"", THREADS * LK_EACH));
    EXPECT(c, "EXISTS lk:lock", ":0");
    printf("  %lld acquisitions in %lld ms; %lld contended SET NX, %lld wrong-token releases refused\n",
           lc.acquired, ms, lc.contended, lc.wrongReleases);
}

/* ---- a reliable queue ------------------------------------------------------------------------- */

#define RQ_PRODUCERS 4
#define RQ_JOBS      2500           /* per producer */

static const char *rqTake =
    "local job = redis.call('RPOP', KEYS[1])\n"
    "if not job then return false end\n"
    "redis.call('LPUSH', KEYS[2], job)\n"
    "redis.call('HSET', KEYS[3], job, 'processing:' .. ARGV[1])\n"
    "return job\n";

static const char *rqFinish =
    "local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])\n"
    "if removed ~= 1 then return redis.error_reply('NOTPROCESSING ' .. ARGV[1]) end\n"
    "redis.call('HSET', KEYS[2], ARGV[1], 'done')\n"
    "return redis.call('SADD', KEYS[3], ARGV[1])\n";

typedef struct queueCounts {
    int producersLeft;             /* atomic */
    long long finished;            /* atomic */
    long long idle;                /* takes that found the queue empty (atomic) */
} queueCounts;

static void rqProduce(member *m, redisContext *c) {
    for (int i = 0; i < RQ_JOBS; i++) redisAppendCommand(c, "LPUSH rq:queue job:%d:%d", m->id, i);
    for (int i = 0; i < RQ_JOBS; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK || !r || r->type != REDIS_REPLY_INTEGER) {
            crewFail(m->k, m->id, "LPUSH: %s", r ? replyText(r) : c->errstr);
            if (r) freeReplyObject(r);
            return;
        }
        freeReplyObject(r);
    }
}

/* rqWork takes and finishes jobs until the producers are done and the
 * queue is empty. */
static void rqWork(member *m, redisContext *c) {
    crew *k = m->k;
    queueCounts *qc = k->state;
    while (!crewFailed(k)) {
        bool producing = __atomic_load_n(&qc->producersLeft, __ATOMIC_SEQ_CST) > 0;
        redisReply *r = crewCall(k, m->id, c, "EVALSHA %s 3 rq:queue rq:processing rq:state w%d", k->sha[0], m->id);
        if (!r) return;
        if (r->type == REDIS_REPLY_NIL) {
            freeReplyObject(r);
            __atomic_add_fetch(&qc->idle, 1, __ATOMIC_RELAXED);
            if (!producing) return;             /* empty after the last push: done */
            sched_yield();
            continue;
        }
        if (r->type != REDIS_REPLY_STRING) {
            crewFail(k, m->id, "take answered %s", replyText(r));
            freeReplyObject(r);
            return;
        }
        redisReply *f = crewCall(k, m->id, c, "EVALSHA %s 3 rq:processing rq:state rq:done %s", k->sha[1], r->str);
        if (f && (f->type != REDIS_REPLY_INTEGER || f->integer != 1))
            crewFail(k, m->id, "finishing %s answered %s (done twice?)", r->str, replyText(f));
        else if (f)
            __atomic_add_fetch(&qc->finished, 1, __ATOMIC_RELAXED);
        freeReplyObject(r);
        if (!f) return;
        freeReplyObject(f);
    }
}

static void *rqMember(void *arg) {
    member *m = arg;
    queueCounts *qc = m->k->state;
    redisContext *c = crewConnect(m->k, m->id);
    if (m->id < RQ_PRODUCERS) {
        if (c) rqProduce(m, c);
        __atomic_sub_fetch(&qc->producersLeft, 1, __ATOMIC_SEQ_CST);
    } else if (c) {
        rqWork(m, c);
    }
    if (c) redisFree(c);
    return NULL;
}

TEST(a_reliable_queue_finishes_every_job_exactly_once) {
    crew k;
    redisContext *c;
    const char *scripts[] = { rqTake, rqFinish };
    crewStart(&k, &c, 2, scripts);
    queueCounts qc = { RQ_PRODUCERS, 0, 0 };
    k.state = &qc;
    long long t0 = harnessNowMs();
    crewRun(&k, rqMember);
    long long ms = harnessNowMs() - t0;
    int total = RQ_PRODUCERS * RQ_JOBS;
    CHECK(k.error[0] == '\0', "%s", k.error);
    CHECK(qc.finished == total, "finished %lld of %d", qc.finished, total);
    EXPECT(c, "LLEN rq:queue", ":0");
    EXPECT(c, "LLEN rq:processing", ":0");
    EXPECT(c, "SCARD rq:done", tfmt(":%d", total));
    EXPECT(c, "HLEN rq:state", tfmt(":%d", total));
    EXPECTF(c, tfmt(":%d", total), "EVAL %s 1 rq:state",
            "local n = 0 for _, v in ipairs(redis.call('HVALS', KEYS[1])) do if v == 'done' then n = n + 1 end end "
            "return n");
    /* every id produced is in done */
    EXPECTF(c, tfmt(":%d", total), "EVAL %s 1 rq:done %d %d",
            "local n = 0 for p = 0, ARGV[1] - 1 do for i = 0, ARGV[2] - 1 do "
            "n = n + redis.call('SISMEMBER', KEYS[1], 'job:' .. p .. ':' .. i) end end return n",
            RQ_PRODUCERS, RQ_JOBS);
    printf("  %d jobs through %d workers in %lld ms; %lld empty takes\n", total, THREADS - RQ_PRODUCERS, ms,
           qc.idle);
}

int main(int argc, char **argv) {
    return harnessMain(argc, argv);
}
