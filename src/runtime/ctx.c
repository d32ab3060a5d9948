/* ctx.c — switching between contexts, with sanitizer annotations.
 *
 * Every switch in the runtime goes through ctxSwitch: from a G to its M's
 * scheduler context (g0) or back. The raw register swap is rtCtxSwap in
 * ctx_<arch>.S; this file adds what the tools need to follow a stack change:
 *
 *  - ASan: __sanitizer_start_switch_fiber(&save, bottom, size) just before
 *    the swap names the stack we go to; __sanitizer_finish_switch_fiber(save)
 *    right after we are resumed. A context that will never resume (a G that
 *    exited) passes NULL so its fake stack is freed. A new context starts with
 *    ctxStarted(), which finishes the switch that started it.
 *  - TSan: each G runs as a fiber; __tsan_switch_to_fiber just before the
 *    swap. Fibers belong to stacks (stack.c), not to Gs: TSan caps live
 *    fibers like threads (about 8k) and creating one is slow, so a fiber is
 *    made with a stack and pooled with it. Flags 0: the switch synchronises the two fibers,
 *    which is true, since the switch hands the CPU over.
 *
 * Invariant: ctxSwitch is called with `from` being the running context and
 * returns only when someone switches back to `from` (possibly on another M).
 */
#include "runtime.h"

#include <pthread.h>

#ifdef RT_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef RT_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
void __tsan_destroy_fiber(void *fiber);
#endif

void ctxSwitch(rtCtx *from, rtCtx *to, bool dying) {
#ifdef RT_ASAN
    __sanitizer_start_switch_fiber(dying ? NULL : &from->asanFake, to->stackLo, to->stackSize);
#endif
#ifdef RT_TSAN
    __tsan_switch_to_fiber(to->tsanFiber, 0);
#endif
    rtCtxSwap(&from->sp, to->sp);
#ifdef RT_ASAN
    __sanitizer_finish_switch_fiber(from->asanFake, NULL, NULL);
#endif
    (void)dying;
}

/* ctxExit: the last switch of a G that ended. Not instrumented by TSan, and
 * neither is its caller (gMain): a frame entered and never left would stay
 * on the fiber's shadow stack, which moves on to the next G with the stack. */
_Noreturn RT_NO_TSAN void ctxExit(rtCtx *from, rtCtx *to) {
#ifdef RT_ASAN
    __sanitizer_start_switch_fiber(NULL, to->stackLo, to->stackSize);
#endif
#ifdef RT_TSAN
    __tsan_switch_to_fiber(to->tsanFiber, 0);
#endif
    rtCtxSwap(&from->sp, to->sp);
    rtThrow("runtime: dead G resumed");
}

void ctxStarted(void) {
#ifdef RT_ASAN
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
}

void ctxInitThread(rtCtx *c) {
    pthread_attr_t attr;
    c->stackLo = NULL;
    c->stackSize = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &c->stackLo, &c->stackSize);
        pthread_attr_destroy(&attr);
    }
    c->asanFake = NULL;
#ifdef RT_TSAN
    c->tsanFiber = __tsan_get_current_fiber();
#else
    c->tsanFiber = NULL;
#endif
}

void *ctxFiberNew(void) {
#ifdef RT_TSAN
    return __tsan_create_fiber(0);
#else
    return NULL;
#endif
}

void ctxFiberFree(void *fiber) {
#ifdef RT_TSAN
    if (fiber) __tsan_destroy_fiber(fiber);
#else
    (void)fiber;
#endif
}
