/* criterion.h — a small stand-in for Criterion, used only by TSan builds.
 *
 * Criterion 2.4 cannot start under ThreadSanitizer ("Could not initialize
 * inheritable arena", Snaipe/Criterion#274), so `make test SANITIZE=thread`
 * compiles the same test files against this header and shim_main.c. It
 * covers what our suites use: Test(suite, name, .timeout = s), TestSuite(suite,
 * .init, .fini), the cr_assert
 * and cr_expect families, cr_log_info, cr_skip_test. Each test runs in its own
 * forked process, as with Criterion, and the runner prints Criterion's
 * "Synthesis" line, which tests/run parses.
 */
#ifndef ROOST_CRITERION_SHIM_H
#define ROOST_CRITERION_SHIM_H

#pragma GCC diagnostic ignored "-Wformat-zero-length"   /* cr_assert(x) has no message */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct crTestOpts {
    double timeout;
    void (*init)(void);
    void (*fini)(void);
    const char *description;
    bool disabled;
} crTestOpts;

typedef struct crTest {
    const char *suite, *name;
    void (*fn)(void);
    crTestOpts opts;
    struct crTest *next;
} crTest;

typedef struct crSuite {
    const char *name;
    crTestOpts opts;
    struct crSuite *next;
} crSuite;

void crRegister(crTest *t);
void crRegisterSuite(crSuite *s);
void crFail(const char *file, int line, bool fatal, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void crSkip(const char *fmt, ...) __attribute__((noreturn));

#define Test(suite, name, ...)                                                 \
    static void suite##_##name##_fn(void);                                     \
    static crTest suite##_##name##_test = { #suite, #name, suite##_##name##_fn, \
                                            { __VA_ARGS__ }, NULL };           \
    __attribute__((constructor)) static void suite##_##name##_reg(void) {      \
        crRegister(&suite##_##name##_test);                                    \
    }                                                                          \
    static void suite##_##name##_fn(void)

#define TestSuite(suite, ...)                                                  \
    static crSuite suite##_suite_opts = { #suite, { __VA_ARGS__ }, NULL };     \
    __attribute__((constructor)) static void suite##_suite_reg(void) {         \
        crRegisterSuite(&suite##_suite_opts);                                  \
    }

#define CR_MSG_(fatal, ...) crFail(__FILE__, __LINE__, fatal, "" __VA_ARGS__)
#define CR_CHECK_(fatal, cond, ...)                                            \
    do { if (!(cond)) CR_MSG_(fatal, __VA_ARGS__); } while (0)

#define cr_assert(cond, ...) CR_CHECK_(true, (cond), __VA_ARGS__)
#define cr_expect(cond, ...) CR_CHECK_(false, (cond), __VA_ARGS__)
#define cr_assert_not(cond, ...) CR_CHECK_(true, !(cond), __VA_ARGS__)
#define cr_expect_not(cond, ...) CR_CHECK_(false, !(cond), __VA_ARGS__)
#define cr_assert_fail(...) CR_MSG_(true, __VA_ARGS__)
#define cr_expect_fail(...) CR_MSG_(false, __VA_ARGS__)
#define cr_assert_eq(a, b, ...) CR_CHECK_(true, (a) == (b), __VA_ARGS__)
#define cr_expect_eq(a, b, ...) CR_CHECK_(false, (a) == (b), __VA_ARGS__)
#define cr_assert_neq(a, b, ...) CR_CHECK_(true, (a) != (b), __VA_ARGS__)
#define cr_expect_neq(a, b, ...) CR_CHECK_(false, (a) != (b), __VA_ARGS__)
#define cr_assert_lt(a, b, ...) CR_CHECK_(true, (a) < (b), __VA_ARGS__)
#define cr_expect_lt(a, b, ...) CR_CHECK_(false, (a) < (b), __VA_ARGS__)
#define cr_assert_leq(a, b, ...) CR_CHECK_(true, (a) <= (b), __VA_ARGS__)
#define cr_expect_leq(a, b, ...) CR_CHECK_(false, (a) <= (b), __VA_ARGS__)
#define cr_assert_gt(a, b, ...) CR_CHECK_(true, (a) > (b), __VA_ARGS__)
#define cr_expect_gt(a, b, ...) CR_CHECK_(false, (a) > (b), __VA_ARGS__)
#define cr_assert_geq(a, b, ...) CR_CHECK_(true, (a) >= (b), __VA_ARGS__)
#define cr_expect_geq(a, b, ...) CR_CHECK_(false, (a) >= (b), __VA_ARGS__)
#define cr_assert_null(p, ...) CR_CHECK_(true, (p) == NULL, __VA_ARGS__)
#define cr_expect_null(p, ...) CR_CHECK_(false, (p) == NULL, __VA_ARGS__)
#define cr_assert_not_null(p, ...) CR_CHECK_(true, (p) != NULL, __VA_ARGS__)
#define cr_expect_not_null(p, ...) CR_CHECK_(false, (p) != NULL, __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) CR_CHECK_(true, strcmp((a), (b)) == 0, __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...) CR_CHECK_(false, strcmp((a), (b)) == 0, __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...) CR_CHECK_(true, strcmp((a), (b)) != 0, __VA_ARGS__)
#define cr_expect_str_neq(a, b, ...) CR_CHECK_(false, strcmp((a), (b)) != 0, __VA_ARGS__)
#define cr_assert_str_empty(a, ...) CR_CHECK_(true, (a)[0] == '\0', __VA_ARGS__)
#define cr_expect_str_empty(a, ...) CR_CHECK_(false, (a)[0] == '\0', __VA_ARGS__)
#define cr_assert_str_not_empty(a, ...) CR_CHECK_(true, (a)[0] != '\0', __VA_ARGS__)
#define cr_expect_str_not_empty(a, ...) CR_CHECK_(false, (a)[0] != '\0', __VA_ARGS__)
#define cr_log_info(...) (fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))
#define cr_skip_test(...) crSkip("" __VA_ARGS__)

#endif
