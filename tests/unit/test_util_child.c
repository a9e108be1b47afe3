/* Unit tests of util/child.c: a child's answer comes back whole; a child that overruns its
 * wall-clock or CPU limit is killed; one that dies or exits early is told apart and described;
 * the fault-injection variable makes the child hang or crash. */
#include "test.h"
#include "util/child.h"
#include "util/timing.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct answer { int value; char text[32]; } answer;

static void double_it(void *arg, void *out) {
    answer *a = out;
    a->value = 2 * *(int *)arg;
    strcpy(a->text, "done");
}
static void sleep_long(void *arg, void *out) { (void)arg; (void)out; sleep(30); }
static void spin_long(void *arg, void *out) {
    (void)arg; (void)out;
    for (volatile unsigned long i = 0;; i++) {}
}
static void exit_early(void *arg, void *out) { (void)arg; (void)out; _exit(7); }

TEST(util_child_answer_comes_back) {
    int x = 21, status;
    answer a;
    child_limits lim = {10, 0, NULL};
    CHECK(child_run(double_it, &x, &a, sizeof a, &lim, &status) == CHILD_ANSWERED);
    CHECK(a.value == 42);
    CHECK_STR(a.text, "done");
}

TEST(util_child_overrun_is_killed) {
    int status;
    answer a;
    double t0 = time_now();
    child_limits wall = {0.2, 0, NULL};
    CHECK(child_run(sleep_long, NULL, &a, sizeof a, &wall, &status) == CHILD_KILLED);
    /* CPU limit: spinning uses it up long before the generous wall-clock bound */
    child_limits cpu = {20, 0.2, NULL};
    CHECK(child_run(spin_long, NULL, &a, sizeof a, &cpu, &status) == CHILD_KILLED);
    CHECK(time_now() - t0 < 10);
}

TEST(util_child_early_end_is_described) {
    int status;
    answer a;
    char buf[100];
    child_limits lim = {10, 0, NULL};
    CHECK(child_run(exit_early, NULL, &a, sizeof a, &lim, &status) == CHILD_FAILED);
    child_describe_end(status, "an answer", buf, sizeof buf);
    CHECK_STR(buf, "exited (status 7) without an answer");
    /* fault injection: crash and hang */
    setenv("VLIFT_TEST_CHILD_FAULT", "crash", 1);
    child_limits faulty = {0.3, 0, "VLIFT_TEST_CHILD_FAULT"};
    int x = 1;
    CHECK(child_run(double_it, &x, &a, sizeof a, &faulty, &status) == CHILD_FAILED);
    child_describe_end(status, "an answer", buf, sizeof buf);
    CHECK_STR(buf, "died with signal 6");
    setenv("VLIFT_TEST_CHILD_FAULT", "hang", 1);
    CHECK(child_run(double_it, &x, &a, sizeof a, &faulty, &status) == CHILD_KILLED);
    unsetenv("VLIFT_TEST_CHILD_FAULT");
}
