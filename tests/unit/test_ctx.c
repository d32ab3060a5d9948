/* test_ctx.c — the context switch (ctx.c, ctx_<arch>.S, stack.c).
 *
 * What a switch must preserve for the coroutine that is switched out:
 *   - every callee-saved register of the ABI (rbx, rbp, r12-r15 on amd64;
 *     x19-x28 and d8-d15 on arm64), checked with a hand-written assembly
 *     routine that loads known values, calls rtYield and reads them back;
 *   - the FP control state (MXCSR control bits and the x87 control word on
 *     amd64), per coroutine: three coroutines with three different rounding /
 *     flush-to-zero / precision settings interleave and each sees its own;
 *   - the ABI stack alignment, so that printf("%f") and aligned SSE loads
 *     work on a coroutine stack.
 * And a coroutine that overflows its stack hits the guard page and the
 * process dies with "coroutine stack overflow" instead of scribbling over
 * the neighbouring memory.
 *
 * Checks inside coroutines use RT_CHECK (abort); checks in the test body
 * (after rtTestRun returned, or in a parent process) use cr_assert.
 */
#include "rt_test.h"

#include <errno.h>
#include <fenv.h>
#include <float.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <xmmintrin.h>
#include <emmintrin.h>
#endif

/* ---- callee-saved registers --------------------------------------------- */

/* rtTestRegsAcrossYield(in, out): load in[] into the callee-saved registers,
 * call rtYield(), store the registers into out[]. It saves and restores the
 * caller's values itself, so it is an ordinary C function to its callers. */
#if defined(__x86_64__)
#define NREGS 6 /* rbx rbp r12 r13 r14 r15 */
static const char *const regNames[NREGS] = { "rbx", "rbp", "r12", "r13", "r14", "r15" };
__asm__(
    "    .text\n"
    "    .globl  rtTestRegsAcrossYield\n"
    "    .type   rtTestRegsAcrossYield, @function\n"
    "    .p2align 4\n"
    "rtTestRegsAcrossYield:\n"          /* rdi = in, rsi = out; rsp % 16 == 8 */
    "    pushq   %rbp\n"
    "    pushq   %rbx\n"
    "    pushq   %r12\n"
    "    pushq   %r13\n"
    "    pushq   %r14\n"
    "    pushq   %r15\n"
    "    pushq   %rsi\n"                /* 7 pushes: rsp % 16 == 0 for the call */
    "    movq    0(%rdi), %rbx\n"
    "    movq    8(%rdi), %rbp\n"
    "    movq    16(%rdi), %r12\n"
    "    movq    24(%rdi), %r13\n"
    "    movq    32(%rdi), %r14\n"
    "    movq    40(%rdi), %r15\n"
    "    call    rtYield@PLT\n"
    "    popq    %rsi\n"
    "    movq    %rbx, 0(%rsi)\n"
    "    movq    %rbp, 8(%rsi)\n"
    "    movq    %r12, 16(%rsi)\n"
    "    movq    %r13, 24(%rsi)\n"
    "    movq    %r14, 32(%rsi)\n"
    "    movq    %r15, 40(%rsi)\n"
    "    popq    %r15\n"
    "    popq    %r14\n"
    "    popq    %r13\n"
    "    popq    %r12\n"
    "    popq    %rbx\n"
    "    popq    %rbp\n"
    "    ret\n"
    "    .size   rtTestRegsAcrossYield, .-rtTestRegsAcrossYield\n");
#elif defined(__aarch64__)
#define NREGS 18 /* x19-x28, d8-d15 */
static const char *const regNames[NREGS] = {
    "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
    "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15" };
__asm__(
    "    .text\n"
    "    .globl  rtTestRegsAcrossYield\n"
    "    .type   rtTestRegsAcrossYield, %function\n"
    "    .p2align 4\n"
    "rtTestRegsAcrossYield:\n"          /* x0 = in, x1 = out */
    "    stp     x29, x30, [sp, #-176]!\n"
    "    mov     x29, sp\n"
    "    stp     x19, x20, [sp, #16]\n"
    "    stp     x21, x22, [sp, #32]\n"
    "    stp     x23, x24, [sp, #48]\n"
    "    stp     x25, x26, [sp, #64]\n"
    "    stp     x27, x28, [sp, #80]\n"
    "    stp     d8, d9, [sp, #96]\n"
    "    stp     d10, d11, [sp, #112]\n"
    "    stp     d12, d13, [sp, #128]\n"
    "    stp     d14, d15, [sp, #144]\n"
    "    str     x1, [sp, #160]\n"
    "    ldp     x19, x20, [x0, #0]\n"
    "    ldp     x21, x22, [x0, #16]\n"
    "    ldp     x23, x24, [x0, #32]\n"
    "    ldp     x25, x26, [x0, #48]\n"
    "    ldp     x27, x28, [x0, #64]\n"
    "    ldp     d8, d9, [x0, #80]\n"
    "    ldp     d10, d11, [x0, #96]\n"
    "    ldp     d12, d13, [x0, #112]\n"
    "    ldp     d14, d15, [x0, #128]\n"
    "    bl      rtYield\n"
    "    ldr     x1, [sp, #160]\n"
    "    stp     x19, x20, [x1, #0]\n"
    "    stp     x21, x22, [x1, #16]\n"
    "    stp     x23, x24, [x1, #32]\n"
    "    stp     x25, x26, [x1, #48]\n"
    "    stp     x27, x28, [x1, #64]\n"
    "    stp     d8, d9, [x1, #80]\n"
    "    stp     d10, d11, [x1, #96]\n"
    "    stp     d12, d13, [x1, #112]\n"
    "    stp     d14, d15, [x1, #128]\n"
    "    ldp     x19, x20, [sp, #16]\n"
    "    ldp     x21, x22, [sp, #32]\n"
    "    ldp     x23, x24, [sp, #48]\n"
    "    ldp     x25, x26, [sp, #64]\n"
    "    ldp     x27, x28, [sp, #80]\n"
    "    ldp     d8, d9, [sp, #96]\n"
    "    ldp     d10, d11, [sp, #112]\n"
    "    ldp     d12, d13, [sp, #128]\n"
    "    ldp     d14, d15, [sp, #144]\n"
    "    ldp     x29, x30, [sp], #176\n"
    "    ret\n"
    "    .size   rtTestRegsAcrossYield, .-rtTestRegsAcrossYield\n");
#endif

#ifdef NREGS
void rtTestRegsAcrossYield(const uint64_t *in, uint64_t *out);

#define REG_GS 4          /* coroutines doing the register round trip */
#define REG_ROUNDS 2000   /* yields per coroutine */

typedef struct regTest {
    _Atomic int done;         /* coroutines finished (register Gs + the worker) */
    _Atomic int stop;         /* tells the worker to finish */
    _Atomic long checked;     /* register round trips verified */
    _Atomic long work;        /* worker iterations, to show it ran in between */
} regTest;

static uint64_t mix64(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

typedef struct regG { regTest *t; int id; } regG;

static void regRoundTrips(void *a) {
    regG *rg = a;
    uint64_t in[NREGS], out[NREGS];
    for (int round = 0; round < REG_ROUNDS; round++) {
        for (int r = 0; r < NREGS; r++) {
            in[r] = mix64(((uint64_t)rg->id << 48) ^ ((uint64_t)round << 8) ^ (uint64_t)r);
            out[r] = ~in[r];
        }
        rtTestRegsAcrossYield(in, out);
        for (int r = 0; r < NREGS; r++)
            RT_CHECK(out[r] == in[r], "G%d round %d: %s was %#llx before rtYield, %#llx after",
                     rg->id, round, regNames[r], (unsigned long long)in[r],
                     (unsigned long long)out[r]);
        atomic_fetch_add(&rg->t->checked, 1);
    }
    atomic_fetch_add(&rg->t->done, 1);
}

/* regWorker runs between the round trips and keeps many registers busy (an
 * integer hash and some floating point), yielding after each batch. */
static void regWorker(void *a) {
    regTest *t = a;
    volatile uint64_t sink = 0;
    volatile double fsink = 0;
    while (!atomic_load(&t->stop)) {
        uint64_t h1 = 1, h2 = 2, h3 = 3, h4 = 4, h5 = 5, h6 = 6, h7 = 7;
        double f = 1.0;
        for (int i = 0; i < 64; i++) {
            h1 = mix64(h1 + (uint64_t)i); h2 = mix64(h2 ^ h1); h3 = mix64(h3 + h2);
            h4 = mix64(h4 ^ h3); h5 = mix64(h5 + h4); h6 = mix64(h6 ^ h5); h7 = mix64(h7 + h6);
            f = f * 1.0000001 + (double)(h7 & 0xff);
        }
        sink = h1 ^ h2 ^ h3 ^ h4 ^ h5 ^ h6 ^ h7;
        fsink = f;
        atomic_fetch_add(&t->work, 1);
        rtYield();
    }
    (void)sink; (void)fsink;
    atomic_fetch_add(&t->done, 1);
}

static void regMain(void *a) {
    regTest *t = a;
    static regG gs[REG_GS];
    for (int i = 0; i < REG_GS; i++) {
        gs[i] = (regG){ t, i + 1 };
        rtGo(regRoundTrips, &gs[i]);
    }
    rtGo(regWorker, t);
    int64_t limit = rtNanotime() + 20000 * RT_MS;
    while (atomic_load(&t->done) < REG_GS && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
    atomic_store(&t->stop, 1);
    while (atomic_load(&t->done) < REG_GS + 1 && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

static void runRegTest(int nprocs) {
    regTest t = { 0 };
    rtTestRun(nprocs, regMain, &t);
    cr_assert_eq(atomic_load(&t.done), REG_GS + 1, "coroutines finished: %d of %d",
                 atomic_load(&t.done), REG_GS + 1);
    cr_assert_eq(atomic_load(&t.checked), (long)REG_GS * REG_ROUNDS);
    cr_assert_gt(atomic_load(&t.work), 0, "the clobbering worker never ran");
}
#endif /* NREGS */

Test(ctx, callee_saved_registers_survive_a_yield_with_one_P, .timeout = 60) {
#ifdef NREGS
    runRegTest(1);
#else
    cr_skip_test("no register test for this architecture");
#endif
}

Test(ctx, callee_saved_registers_survive_a_yield_that_may_migrate_between_Ms, .timeout = 60) {
#ifdef NREGS
    runRegTest(2);
#else
    cr_skip_test("no register test for this architecture");
#endif
}

/* ---- FP control state ---------------------------------------------------- */

#if defined(__x86_64__)
#define FP_GS 3
#define FP_ROUNDS 3000
#define MXCSR_CONTROL 0xFFC0u   /* everything but the six sticky exception flags */
#define MXCSR_FTZ 0x8000u
#define MXCSR_DAZ 0x0040u
#define X87_PC_MASK 0x0300u     /* precision control */
#define X87_PC_DOUBLE 0x0200u   /* 53-bit mantissa */

static uint16_t x87GetCW(void) {
    uint16_t cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static void x87SetCW(uint16_t cw) {
    __asm__ volatile("fldcw %0" : : "m"(cw));
}

/* What a coroutine's FP settings make arithmetic produce. Every operand is
 * volatile so nothing is folded at compile time. */
typedef struct fpResults {
    double third;        /* 1/3 rounded by MXCSR.RC */
    double negThird;     /* -1/3 */
    double tinyQuarter;  /* DBL_MIN/4: subnormal, or 0 with FTZ */
    double denormTimes;  /* subnormal * 1.0: the input is 0 with DAZ */
    long double x87Third;/* 1/3 in x87, rounded by CW.RC and CW.PC */
} fpResults;

static volatile double vOne = 1.0, vThree = 3.0, vMin = DBL_MIN, vFour = 4.0;
static volatile double vDenorm = DBL_MIN / 8.0;
static volatile long double vOneL = 1.0L, vThreeL = 3.0L;

static fpResults fpCompute(void) {
    fpResults r;
    r.third = vOne / vThree;
    r.negThird = -vOne / vThree;
    r.tinyQuarter = vMin / vFour;
    r.denormTimes = vDenorm * vOne;
    r.x87Third = vOneL / vThreeL;
    return r;
}

typedef struct fpG {
    int round;             /* FE_* rounding mode */
    uint32_t mxcsrExtra;   /* FTZ / DAZ bits to set */
    uint16_t pc;           /* x87 precision control */
    uint32_t mxcsr;        /* the control bits it expects to keep */
    uint16_t cw;           /* the x87 control word it expects to keep */
    fpResults ref;         /* results computed right after setting them */
    _Atomic int *done;
} fpG;

static void fpCoroutine(void *a) {
    fpG *g = a;
    RT_CHECK(fesetround(g->round) == 0, "fesetround(%d) failed", g->round);
    _mm_setcsr(_mm_getcsr() | g->mxcsrExtra);
    x87SetCW((uint16_t)((x87GetCW() & ~X87_PC_MASK) | g->pc));
    g->mxcsr = _mm_getcsr() & MXCSR_CONTROL;
    g->cw = x87GetCW();
    g->ref = fpCompute();
    for (int i = 0; i < FP_ROUNDS; i++) {
        rtYield();
        uint32_t mxcsr = _mm_getcsr() & MXCSR_CONTROL;
        uint16_t cw = x87GetCW();
        RT_CHECK(mxcsr == g->mxcsr, "round %d: MXCSR control bits %#x, expected %#x", i,
                 mxcsr, g->mxcsr);
        RT_CHECK(cw == g->cw, "round %d: x87 control word %#x, expected %#x", i, cw, g->cw);
        RT_CHECK(fegetround() == g->round, "round %d: fegetround() = %d, expected %d", i,
                 fegetround(), g->round);
        fpResults r = fpCompute();
        RT_CHECK(memcmp(&r.third, &g->ref.third, sizeof r.third) == 0 &&
                 memcmp(&r.negThird, &g->ref.negThird, sizeof r.negThird) == 0 &&
                 memcmp(&r.tinyQuarter, &g->ref.tinyQuarter, sizeof r.tinyQuarter) == 0 &&
                 memcmp(&r.denormTimes, &g->ref.denormTimes, sizeof r.denormTimes) == 0 &&
                 r.x87Third == g->ref.x87Third,
                 "round %d: arithmetic changed after a yield (1/3 = %a, was %a)", i,
                 r.third, g->ref.third);
    }
    atomic_fetch_add(g->done, 1);
}

typedef struct fpTest { fpG gs[FP_GS]; _Atomic int done; } fpTest;

static void fpMain(void *a) {
    fpTest *t = a;
    for (int i = 0; i < FP_GS; i++) {
        t->gs[i].done = &t->done;
        rtGo(fpCoroutine, &t->gs[i]);
    }
    int64_t limit = rtNanotime() + 20000 * RT_MS;
    while (atomic_load(&t->done) < FP_GS && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

static void runFpTest(int nprocs) {
    static fpTest t;
    memset(&t, 0, sizeof t);
    t.gs[0] = (fpG){ .round = FE_UPWARD, .mxcsrExtra = MXCSR_FTZ, .pc = X87_PC_DOUBLE };
    t.gs[1] = (fpG){ .round = FE_DOWNWARD, .mxcsrExtra = MXCSR_DAZ, .pc = 0x0300 };
    t.gs[2] = (fpG){ .round = FE_TOWARDZERO, .mxcsrExtra = 0, .pc = 0x0000 };
    rtTestRun(nprocs, fpMain, &t);
    cr_assert_eq(atomic_load(&t.done), FP_GS, "FP coroutines finished: %d of %d",
                 atomic_load(&t.done), FP_GS);
    /* The three settings really differ in effect, so a leak would be seen. */
    cr_assert_neq(memcmp(&t.gs[0].ref.third, &t.gs[1].ref.third, sizeof(double)), 0,
                  "upward and downward 1/3 should differ");
    cr_assert_neq(memcmp(&t.gs[0].ref.third, &t.gs[2].ref.third, sizeof(double)), 0,
                  "upward and toward-zero 1/3 should differ");
    cr_assert_neq(memcmp(&t.gs[1].ref.negThird, &t.gs[2].ref.negThird, sizeof(double)), 0,
                  "downward and toward-zero -1/3 should differ");
    cr_assert_eq(t.gs[0].ref.tinyQuarter, 0.0, "FTZ should flush DBL_MIN/4 to zero");
    cr_assert_neq(t.gs[2].ref.tinyQuarter, 0.0, "without FTZ DBL_MIN/4 is subnormal");
    cr_assert_eq(t.gs[1].ref.denormTimes, 0.0, "DAZ should read a subnormal input as zero");
    cr_assert_neq(t.gs[2].ref.denormTimes, 0.0, "without DAZ a subnormal input is kept");
    cr_assert_neq(t.gs[0].ref.x87Third, t.gs[1].ref.x87Third,
                  "53-bit and 64-bit x87 precision should differ");
}
#endif /* __x86_64__ */

Test(ctx, each_coroutine_keeps_its_own_MXCSR_and_x87_control_word_across_yields,
     .timeout = 60) {
#if defined(__x86_64__)
    runFpTest(1);
#else
    cr_skip_test("FP control word test is x86-64 only");
#endif
}

Test(ctx, FP_control_state_follows_the_coroutine_when_it_migrates_between_Ms,
     .timeout = 60) {
#if defined(__x86_64__)
    runFpTest(2);
#else
    cr_skip_test("FP control word test is x86-64 only");
#endif
}

/* ---- stack alignment: printf("%f") and SSE on a coroutine stack --------- */

#define FMT_GS 8

typedef struct fmtTest { _Atomic int done; _Atomic int misaligned; } fmtTest;

static volatile double vPi = 3.14159265358979323846, vAvogadro = 6.02214076e23,
                       vTenth = 0.1, vNeg = -2.5;

static volatile double vThird = 1.0 / 3.0;

#define FMT_EXPECTED "3.141593 0.3333333333 6.022141e+23 0.1 -2.50"
#define FMT_FORMAT "%f %.10f %e %g %+.2f"
#define FMT_ARGS vPi, vThird, vAvogadro, vTenth, vNeg

/* fmtv: a variadic function of our own. With doubles among the arguments its
 * prologue spills xmm0-7 with movaps, which faults on a misaligned stack. */
__attribute__((noinline)) static int fmtv(char *buf, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

/* alignedProbe returns the address of a 16-aligned local. The compiler
 * trusts the ABI's incoming alignment and does not realign the frame, so a
 * misaligned stack shows up as a misaligned address. */
__attribute__((noinline)) static uintptr_t alignedProbe(void) {
    _Alignas(16) volatile char probe[16];
    probe[0] = 1;
    return (uintptr_t)probe;
}

#if defined(__x86_64__)
/* sseSum adds doubles with aligned packed loads and stores (movapd) from
 * the stack. */
__attribute__((noinline)) static double sseSum(void) {
    _Alignas(16) double a[4] = { vPi, vTenth, vNeg, vThird };
    __asm__ volatile("" : : "r"(a) : "memory");   /* make the loads real */
    __m128d s = _mm_add_pd(_mm_load_pd(&a[0]), _mm_load_pd(&a[2]));
    _Alignas(16) double out[2];
    _mm_store_pd(out, s);
    __asm__ volatile("" : : "r"(out) : "memory");
    return out[0] + out[1];
}
#else
__attribute__((noinline)) static double sseSum(void) {
    return (vPi + vNeg) + (vTenth + vThird);
}
#endif

/* fmtCheck formats the same values four ways and compares exactly. */
__attribute__((noinline)) static void fmtCheck(int id, int round) {
    char buf[128];
    int n = snprintf(buf, sizeof buf, FMT_FORMAT, FMT_ARGS);
    RT_CHECK(n == (int)strlen(FMT_EXPECTED) && strcmp(buf, FMT_EXPECTED) == 0,
             "G%d round %d: snprintf gave \"%s\"", id, round, buf);
    memset(buf, 0, sizeof buf);
    fmtv(buf, sizeof buf, FMT_FORMAT, FMT_ARGS);
    RT_CHECK(strcmp(buf, FMT_EXPECTED) == 0, "G%d round %d: vsnprintf gave \"%s\"", id,
             round, buf);
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    RT_CHECK(f != NULL, "open_memstream failed");
    fprintf(f, FMT_FORMAT, FMT_ARGS);
    fclose(f);
    RT_CHECK(memlen == strlen(FMT_EXPECTED) && strcmp(mem, FMT_EXPECTED) == 0,
             "G%d round %d: fprintf gave \"%s\"", id, round, mem);
    free(mem);
    double s = sseSum();
    double expect = (vPi + vNeg) + (vTenth + vThird);
    RT_CHECK(memcmp(&s, &expect, sizeof s) == 0, "G%d: SSE sum %a, expected %a", id, s,
             expect);
    snprintf(buf, sizeof buf, "%.6f", s);
    RT_CHECK(strcmp(buf, "1.074926") == 0, "G%d: SSE sum printed as %s", id, buf);
}

typedef struct fmtG { fmtTest *t; int id; } fmtG;

static void fmtCoroutine(void *a) {
    fmtG *g = a;
    /* the entry frame itself: at a call, (sp + 8) % 16 == 0 on amd64, so the
     * frame address (sp after pushing rbp) is 16-aligned; on arm64 sp is. */
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (frame % 16 != 0) atomic_fetch_add(&g->t->misaligned, 1);
    RT_CHECK(frame % 16 == 0, "G%d: entry frame at %#lx is not 16-byte aligned", g->id,
             (unsigned long)frame);
    for (int round = 0; round < 200; round++) {
        uintptr_t p = alignedProbe();
        RT_CHECK(p % 16 == 0, "G%d round %d: 16-aligned local at %#lx", g->id, round,
                 (unsigned long)p);
        fmtCheck(g->id, round);
        rtYield();
    }
    atomic_fetch_add(&g->t->done, 1);
}

static void fmtMain(void *a) {
    fmtTest *t = a;
    static fmtG gs[FMT_GS];
    fmtCheck(0, 0);   /* the first G too */
    for (int i = 0; i < FMT_GS; i++) {
        gs[i] = (fmtG){ t, i + 1 };
        rtGo(fmtCoroutine, &gs[i]);
    }
    int64_t limit = rtNanotime() + 20000 * RT_MS;
    while (atomic_load(&t->done) < FMT_GS && rtNanotime() < limit)
        rtSleep(1 * RT_MS);
}

Test(ctx, a_coroutine_can_format_doubles_and_use_aligned_SSE_on_its_stack, .timeout = 60) {
    fmtTest t = { 0 };
    rtTestRun(2, fmtMain, &t);
    cr_assert_eq(atomic_load(&t.misaligned), 0);
    cr_assert_eq(atomic_load(&t.done), FMT_GS, "formatting coroutines finished: %d of %d",
                 atomic_load(&t.done), FMT_GS);
}

/* ---- stack overflow ------------------------------------------------------ */

static volatile int overflowLimit = 1 << 30;

/* overflowRecurse recurses without bound (the limit is never reached), each
 * frame holding a buffer written at its lowest address first, so the first
 * access below the stack lands in the guard page rather than skipping it. */
__attribute__((noinline)) static int overflowRecurse(int depth) {
    volatile char buf[512];
    buf[0] = (char)depth;
    buf[sizeof buf - 1] = (char)depth;
    if (depth >= overflowLimit) return buf[0];
    return overflowRecurse(depth + 1) + buf[sizeof buf - 1];
}

static void overflowG(void *a) {
    (void)a;
    int r = overflowRecurse(0);
    fprintf(stderr, "recursion returned %d without overflowing\n", r);
    rtShutdown();
}

static void overflowFirstG(void *a) {
    if (a) {               /* overflow in a spawned G while this one sleeps */
        rtGo(overflowG, NULL);
        rtSleep(20000 * RT_MS);
        fprintf(stderr, "the overflowing G did not kill the process\n");
        rtShutdown();
        return;
    }
    overflowG(NULL);
}

/* runOverflowChild forks a process whose coroutine overflows its stack and
 * returns its wait status; its stderr is captured into err. */
static int runOverflowChild(int nprocs, bool spawned, char *err, size_t errsz) {
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(pfd[0]);
        dup2(pfd[1], 2);
        close(pfd[1]);
        struct rlimit nocore = { 0, 0 };
        setrlimit(RLIMIT_CORE, &nocore);
        alarm(30);                       /* a hang becomes SIGALRM, not a pass */
        rtConfig cfg = { .nprocs = nprocs, .stackSize = 0 };
        int rc = rtMain(&cfg, overflowFirstG, spawned ? (void *)1 : NULL);
        fprintf(stderr, "rtMain returned %d\n", rc);
        _exit(0);
    }
    close(pfd[1]);
    size_t len = 0;
    for (;;) {
        ssize_t n = read(pfd[0], err + len, errsz - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
        if (len == errsz - 1) {          /* keep draining, drop the rest */
            char sink[4096];
            while (read(pfd[0], sink, sizeof sink) > 0) {}
            break;
        }
    }
    err[len] = '\0';
    close(pfd[0]);
    int status = 0;
    pid_t w;
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {}
    cr_assert_eq(w, pid, "waitpid: %s", strerror(errno));
    return status;
}

static void assertDiedOfOverflow(int status, const char *err) {
    const char *nl = strchr(err, '\n');
    cr_log_info("the child's stderr starts: %.*s", nl ? (int)(nl - err) : (int)strlen(err), err);
    cr_assert(WIFSIGNALED(status), "the child was not killed by a signal (exit status %d); "
              "stderr:\n%s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, err);
    int sig = WTERMSIG(status);
    cr_assert(sig == SIGSEGV || sig == SIGABRT, "the child died of signal %d (%s); stderr:\n%s",
              sig, strsignal(sig), err);
    /* ASan, when its own SEGV handler wins, says "stack-overflow". */
    cr_assert(strstr(err, "stack overflow") != NULL || strstr(err, "stack-overflow") != NULL,
              "stderr does not mention the stack overflow:\n%s", err);
}

Test(ctx, a_stack_overflow_in_the_first_coroutine_hits_the_guard_page, .timeout = 60) {
    static char err[65536];
    int status = runOverflowChild(1, false, err, sizeof err);
    assertDiedOfOverflow(status, err);
}

Test(ctx, a_stack_overflow_in_a_spawned_coroutine_hits_the_guard_page, .timeout = 60) {
    static char err[65536];
    int status = runOverflowChild(2, true, err, sizeof err);
    assertDiedOfOverflow(status, err);
}

/* ---- rtGoStack -------------------------------------------------------------------- */

/* bigFrames recurses `depth` times with 4 KiB frames (about depth * 4 KiB of
 * stack), so a default 64 KiB stack would overflow at depth 16. */
static __attribute__((noinline)) int bigFrames(int depth) {
    volatile char frame[4096];
    frame[0] = (char)depth;
    frame[4095] = (char)depth;
    if (depth == 0) return frame[0] + frame[4095];
    return bigFrames(depth - 1) + frame[0] - frame[4095];
}

typedef struct bigStackTest {
    _Atomic int done;
    int result;
    int yieldsSurvived;
} bigStackTest;

static void bigStackG(void *a) {
    bigStackTest *t = a;
    t->result = bigFrames(256);          /* about 1 MiB deep */
    for (int i = 0; i < 10; i++) {       /* and it parks and resumes like any G */
        rtYield();
        t->yieldsSurvived++;
    }
    t->result += bigFrames(256);
    atomic_store(&t->done, 1);
}

static void bigStackMain(void *a) {
    bigStackTest *t = a;
    for (int round = 0; round < 3; round++) {   /* exits unmap; new ones map again */
        atomic_store(&t->done, 0);
        t->yieldsSurvived = 0;
        rtGoStack(bigStackG, t, 2 * 1024 * 1024);
        while (!atomic_load(&t->done)) rtYield();
    }
}

Test(ctx, a_coroutine_made_with_rtGoStack_runs_on_a_stack_of_that_size, .timeout = 60) {
    bigStackTest t = { 0 };
    rtTestRun(2, bigStackMain, &t);
    cr_assert_eq(atomic_load(&t.done), 1);
    cr_assert_eq(t.result, 0);
    cr_assert_eq(t.yieldsSurvived, 10);
}
