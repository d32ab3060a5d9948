/* ctx_arm64.S — the context switch for AArch64 (AAPCS64).
 *
 * A context is a stack pointer. Switched-out state lives on its own stack in
 * a 176-byte frame (lowest address first):
 *
 *   sp+0    x19 x20      sp+48   x25 x26      sp+96   d8  d9       sp+144 d14 d15
 *   sp+16   x21 x22      sp+64   x27 x28      sp+112  d10 d11      sp+160 fpcr
 *   sp+32   x23 x24      sp+80   x29 x30(lr)  sp+128  d12 d13
 *
 * x19-x29, lr, sp and the low halves of v8-v15 are callee-saved by the ABI;
 * FPCR holds the rounding mode and flush-to-zero bits. SP stays 16-aligned.
 */

    .text

/* void rtCtxSwap(void **from, void *to) */
    .globl  rtCtxSwap
    .type   rtCtxSwap, %function
    .p2align 4
rtCtxSwap:
    sub     sp, sp, #176            // frame for the saved state
    stp     x19, x20, [sp, #0]      // callee-saved general registers
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]     // frame pointer and return address
    stp     d8, d9, [sp, #96]       // callee-saved FP registers
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr                // FP control register
    str     x9, [sp, #160]
    mov     x9, sp
    str     x9, [x0]                // *from = sp
    mov     sp, x1                  // switch stacks
    ldr     x9, [sp, #160]
    msr     fpcr, x9                // restore its FPCR
    ldp     x19, x20, [sp, #0]      // restore its registers
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    add     sp, sp, #176
    ret                             // to x30 of the resumed context
    .size   rtCtxSwap, .-rtCtxSwap

/* void *rtCtxMake(void *stackHi, void (*entry)(void *), void *arg) */
    .globl  rtCtxMake
    .type   rtCtxMake, %function
    .p2align 4
rtCtxMake:
    and     x0, x0, #~15            // align the top down to 16
    sub     x0, x0, #192            // 176-byte frame + 16 zero bytes above
    stp     xzr, xzr, [x0, #176]    // end of the frame chain
    mov     x9, #0
    mov     x10, #0
1:  str     xzr, [x0, x10]          // zero the frame
    add     x10, x10, #8
    cmp     x10, #176
    b.lt    1b
    str     x2, [x0, #0]            // x19 = arg
    str     x1, [x0, #8]            // x20 = entry
    adr     x9, rtCtxTrampoline
    str     x9, [x0, #88]           // x30 = trampoline
    ret
    .size   rtCtxMake, .-rtCtxMake

/* rtCtxTrampoline: calls entry(arg); entry never returns. */
    .type   rtCtxTrampoline, %function
    .p2align 4
rtCtxTrampoline:
    mov     x0, x19                 // first argument = arg
    blr     x20                     // entry(arg)
    brk     #0                      // impossible
    .size   rtCtxTrampoline, .-rtCtxTrampoline

    .section .note.GNU-stack,"",%progbits
