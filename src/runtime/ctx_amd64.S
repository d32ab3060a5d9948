/* ctx_amd64.S — the context switch for x86-64 System V.
 *
 * A context is a stack pointer. Switched-out state lives on the context's own
 * stack, in this frame (lowest address first):
 *
 *   sp+0   mxcsr (4 bytes) | x87 control word (2 bytes) | pad
 *   sp+8   r15
 *   sp+16  r14
 *   sp+24  r13
 *   sp+32  r12
 *   sp+40  rbx
 *   sp+48  rbp
 *   sp+56  return address
 *
 * These are exactly the registers the ABI says a callee must preserve, plus
 * the control bits of MXCSR and the x87 control word (rounding, FTZ/DAZ,
 * exception masks), so a coroutine's fesetround never leaks into another.
 * Everything else is caller-saved and the C caller has already spilled it.
 * No signal mask is switched: that would cost a syscall per switch (ucontext).
 */

    .text

/* void rtCtxSwap(void **from, void *to)
 * Save callee-saved state on the current stack, store SP in *from, load SP
 * from `to`, restore its state and return into it. */
    .globl  rtCtxSwap
    .type   rtCtxSwap, @function
    .p2align 4
rtCtxSwap:
    pushq   %rbp                    /* callee-saved registers ... */
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp                /* room for the FP control words */
    stmxcsr (%rsp)                  /* save MXCSR */
    fnstcw  4(%rsp)                 /* save the x87 control word */
    movq    %rsp, (%rdi)            /* *from = SP: this context is now saved */
    movq    %rsi, %rsp              /* switch to the other stack */
    ldmxcsr (%rsp)                  /* restore its MXCSR */
    fldcw   4(%rsp)                 /* restore its x87 control word */
    addq    $8, %rsp
    popq    %r15                    /* ... and its callee-saved registers */
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret                             /* resume where it called rtCtxSwap */
    .size   rtCtxSwap, .-rtCtxSwap

/* void *rtCtxMake(void *stackHi, void (*entry)(void *), void *arg)
 * Build a switched-out frame at the top of a fresh stack whose "return
 * address" is rtCtxTrampoline, with r12 = arg and r13 = entry. Returns the
 * context (its SP). The frame sits 16-byte aligned so that the trampoline
 * reaches its call with RSP % 16 == 0, as the ABI requires. */
    .globl  rtCtxMake
    .type   rtCtxMake, @function
    .p2align 4
rtCtxMake:
    movq    %rdi, %rax              /* rax = top of stack */
    andq    $-16, %rax              /* align down to 16 */
    subq    $80, %rax               /* 64-byte frame + 16 bytes of zeroes above */
    movq    $0, 72(%rax)            /* zero slot: end of the frame chain */
    movq    $0, 64(%rax)
    leaq    rtCtxTrampoline(%rip), %rcx
    movq    %rcx, 56(%rax)          /* return address = trampoline */
    movq    $0, 48(%rax)            /* rbp = 0: backtraces stop here */
    movq    $0, 40(%rax)            /* rbx */
    movq    %rdx, 32(%rax)          /* r12 = arg */
    movq    %rsi, 24(%rax)          /* r13 = entry */
    movq    $0, 16(%rax)            /* r14 */
    movq    $0, 8(%rax)             /* r15 */
    movl    $0x1F80, (%rax)         /* MXCSR: default, all exceptions masked */
    movl    $0x037F, 4(%rax)        /* x87 CW: default, 64-bit precision */
    ret
    .size   rtCtxMake, .-rtCtxMake

/* rtCtxTrampoline: first code a new context runs; calls entry(arg).
 * entry never returns (a G ends by switching away for good). */
    .type   rtCtxTrampoline, @function
    .p2align 4
rtCtxTrampoline:
    movq    %r12, %rdi              /* first argument = arg */
    callq   *%r13                   /* entry(arg) */
    ud2                             /* entry returned: impossible */
    .size   rtCtxTrampoline, .-rtCtxTrampoline

    .section .note.GNU-stack,"",@progbits
