# vlift lift on FlagGems-33 operators with the hard parts: Welford layer_norm (three outputs that
# refer to each other), cumsum's scan-then-fan launch sequence, the swizzled matmul.
# Synthesis and simplification only: verification of the suite is measured by
# scripts/verify-all.sh and the benchmark, and tested in lift_verify.sh.
. "$(dirname "$0")/lib.inc"
s=suites/flaggems.yaml
nv="--stages symexec,synth,simplify,check"
expect_exit 0 "$VLIFT" lift $s layer_norm --variant welford_loop $nv
expect_contains "layer_norm/welford_loop: LIFTED"
expect_contains "mean[i] = sum(k in 0..N: x[i,k]) / N"
expect_contains "rstd[i] = 1 / sqrt(eps + sum(k in 0..N: (x[i,k] - mean[i]) ^ 2) / N)"
expect_contains "* (x[i,j] - mean[i])"
expect_contains "matches expected: yes"

expect_exit 0 "$VLIFT" lift $s cumsum --json $nv
expect_contains '"status": "LIFTED"'
expect_contains '"formula": "y[i] = sum(k in 0..i+1: x[k])"'
expect_contains '"matches_expected": "yes"'

expect_exit 0 "$VLIFT" lift $s mm --json $nv
expect_contains '"formula": "C[i,j] = sum(k in 0..K: A[i,k] * B[k,j])"'
expect_contains '"matches_expected": "yes"'
expect_contains 'masked_k: exact check; even_k: exact check'
finish
