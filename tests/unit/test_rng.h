/* test_rng.h — the seeded random numbers of the unit suites' fuzz and
 * oracle tests (test_listpack, test_quicklist, test_lua_libs).
 *
 * rngInit takes the seed from $ROOST_SEED, or from the time and pid; the
 * suites print `seed` with every failure, so ROOST_SEED=<that> replays it.
 * rnd is xorshift64*. FUZZ_SCALE divides the fuzz steps under TSan, where
 * the Criterion stand-in runs about 8x slower and single-threaded code
 * gives TSan nothing to find. Each test binary includes this once.
 */
#ifndef ROOST_TEST_RNG_H
#define ROOST_TEST_RNG_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_THREAD__)
#define FUZZ_SCALE 8
#else
#define FUZZ_SCALE 1
#endif

static uint64_t seed, rngState;

static void rngInit(void) {
    const char *env = getenv("ROOST_SEED");
    seed = env && *env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
    rngState = seed * 2654435761u + 1;
}

static uint64_t rnd(void) {                 /* xorshift64* */
    rngState ^= rngState >> 12;
    rngState ^= rngState << 25;
    rngState ^= rngState >> 27;
    return rngState * 2685821657736338717ull;
}

#endif
