# check-suite: passes correct operators, fails a wrong formula and a buggy kernel with a readable
# diff (the first differing element, both values, and how many differ), positions formula syntax
# errors in the manifest, and exits 1 when anything fails.
. "$(dirname "$0")/lib.inc"
m=tests/kernels/check_suite_bad.yaml
expect_exit 0 "$VLIFT" check-suite $m --op good
expect_contains "ok    good/default"
expect_contains "1 operators (1 passed, 0 failed)"

expect_exit 1 "$VLIFT" check-suite $m --op wrong_formula
expect_contains "FAIL  wrong_formula/default"
expect_contains "kernel gives"
expect_contains "formula gives"
expect_contains "elements of y differ"

expect_exit 1 "$VLIFT" check-suite $m --op buggy_kernel
expect_contains "FAIL  buggy_kernel/default"
expect_contains "at M=3, N=5: y[0]: kernel gives"

line=$(grep -n 'sum(k in 0..N x' $m | cut -d: -f1)
expect_exit 1 "$VLIFT" check-suite $m --op formula_syntax_error
expect_contains "$m:$line:"

expect_exit 1 "$VLIFT" check-suite $m --op missing_output_equation
expect_contains "no equation for output 'y'"

expect_exit 1 "$VLIFT" check-suite $m --op no_formula
expect_contains "no expected formula"

# The whole manifest: one pass, five failures, a summary line, exit 1.
expect_exit 1 "$VLIFT" check-suite $m
expect_contains "6 operators (1 passed, 5 failed), 6 variants: 1 passed, 5 failed"
expect_exit 2 "$VLIFT" check-suite $m --op nosuch
expect_exit 2 "$VLIFT" check-suite
# The test kernels used elsewhere pass.
expect_exit 0 "$VLIFT" check-suite tests/kernels/softmax.yaml
finish
