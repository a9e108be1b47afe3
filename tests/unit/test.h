/* test: a minimal unit-test framework. Each TEST(name) is one test; CHECK records a failure
 * with its position and lets the test continue; REQUIRE stops the test. The runner (main.c)
 * runs every registered test and prints "unit: N passed, N failed". */
#ifndef VLIFT_TEST_H
#define VLIFT_TEST_H
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(int *failures);
void test_register(const char *name, const char *file, test_fn fn);

#define TEST(name)                                                              \
    static void test_##name(int *test_failures_);                               \
    __attribute__((constructor)) static void test_register_##name(void) {       \
        test_register(#name, __FILE__, test_##name);                            \
    }                                                                           \
    static void test_##name(int *test_failures_)

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            (*test_failures_)++;                                                \
        }                                                                       \
    } while (0)

#define REQUIRE(cond)                                                           \
    do {                                                                        \
        if (!(cond)) {                                                          \
            printf("    %s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond); \
            (*test_failures_)++;                                                \
            return;                                                             \
        }                                                                       \
    } while (0)

#define CHECK_STR(a, b)                                                         \
    do {                                                                        \
        const char *test_a_ = (a), *test_b_ = (b);                              \
        if (!test_a_ || !test_b_ || strcmp(test_a_, test_b_) != 0) {            \
            printf("    %s:%d: CHECK_STR failed:\n      got:      %s\n      expected: %s\n", \
                   __FILE__, __LINE__, test_a_ ? test_a_ : "(null)", test_b_ ? test_b_ : "(null)"); \
            (*test_failures_)++;                                                \
        }                                                                       \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                   \
    do {                                                                        \
        double test_x_ = (a), test_y_ = (b);                                    \
        if (!(test_x_ - test_y_ <= (tol) && test_y_ - test_x_ <= (tol))) {      \
            printf("    %s:%d: CHECK_NEAR failed: %.17g vs %.17g\n", __FILE__, __LINE__, test_x_, test_y_); \
            (*test_failures_)++;                                                \
        }                                                                       \
    } while (0)

#endif
