/* Unit tests of the cross-check's size points: every size symbol takes 1, its default d and
 * 2d+3 (or its check_sizes), the others stay at their defaults, plus all-smallest and
 * all-largest points, without duplicates. */
#include "check/crosscheck.h"
#include "test.h"

static bool has_point(const size_point *pts, int n, int64_t m, int64_t k) {
    for (int i = 0; i < n; i++)
        if (pts[i].sizes[0].value == m && pts[i].sizes[1].value == k) return true;
    return false;
}

TEST(size_points_default_rule) {
    plan_size sizes[2] = {{"M", 3, 1, 1}, {"N", 37, 1, 1}};
    plan_op op = {0};
    op.sizes = sizes;
    op.n_sizes = 2;
    size_point pts[64];
    int n = crosscheck_size_points(&op, pts, 64);
    /* defaults; M in {1, 3, 9}; N in {1, 37, 77}; (1,1); (9,77) */
    CHECK(n == 7);
    CHECK(has_point(pts, n, 3, 37));
    CHECK(has_point(pts, n, 1, 37) && has_point(pts, n, 9, 37));
    CHECK(has_point(pts, n, 3, 1) && has_point(pts, n, 3, 77));
    CHECK(has_point(pts, n, 1, 1) && has_point(pts, n, 9, 77));
    char buf[64];
    size_point_format(&pts[0], buf, sizeof buf);
    CHECK_STR(buf, "M=3, N=37");
}

TEST(size_points_from_check_sizes) {
    plan_size sizes[2] = {{"M", 2, 1, 1}, {"N", 5, 1, 1}};
    int64_t n_values[] = {1, 4, 16};
    plan_check_size cs = {"N", n_values, 3, 1, 1};
    plan_op op = {0};
    op.sizes = sizes;
    op.n_sizes = 2;
    op.check_sizes = &cs;
    op.n_check_sizes = 1;
    size_point pts[64];
    int n = crosscheck_size_points(&op, pts, 64);
    CHECK(has_point(pts, n, 2, 4) && has_point(pts, n, 2, 16) && has_point(pts, n, 2, 1));
    CHECK(!has_point(pts, n, 2, 13));       /* 2d+3 is not used when check_sizes are given */
    CHECK(has_point(pts, n, 1, 1) && has_point(pts, n, 7, 16));
    /* A small output array keeps the first points only. */
    CHECK(crosscheck_size_points(&op, pts, 2) == 2);
}

/* What counts as concrete evidence against a formula: differing or unwritten elements and kernel
 * faults; not a kernel the interpreter cannot run, nor a formula it cannot evaluate. */
TEST(crosscheck_refutes_only_on_evidence) {
    crosscheck_result r = {0};
    r.ok = true;
    CHECK(!crosscheck_refutes(&r));
    r.ok = false;                       /* e.g. "the kernel failed: ... UNSUPPORTED" */
    CHECK(!crosscheck_refutes(&r));
    r.mismatches = 3;
    CHECK(crosscheck_refutes(&r));
    r.mismatches = 0;
    r.kernel_fault = true;              /* out of bounds, write conflict */
    CHECK(crosscheck_refutes(&r));
}
