# vlift run's self-checks: disagreeing variants and unwritten outputs exit 1 with a clear line;
# spec marks unwritten elements.
. "$(dirname "$0")/lib.inc"
m=tests/kernels/run_checks.yaml
expect_exit 1 "$VLIFT" run $m variants_disagree
expect_contains "FAIL: differs from variants_disagree/correct: max relative difference"
expect_exit 0 "$VLIFT" run $m variants_disagree --variant correct
expect_exit 1 "$VLIFT" run $m rows_missing
expect_contains "FAIL: 2 elements of y never written (first: y[1])"
expect_exit 1 "$VLIFT" spec $m rows_missing
expect_contains "y[2] = <never written>"
finish
