# vlift lift on softmax: synthesis lifts the one-tile kernel to the max-subtracted formula,
# checked exactly against its spec, and the online kernel (rescaled normaliser, reverse sweep) to
# the same formula, checked numerically; simplification then prints the textbook softmax for both.
# (Verification is left out here: tests/e2e/lift_verify.sh covers it.)
. "$(dirname "$0")/lib.inc"
m=tests/kernels/softmax.yaml
nv="--stages symexec,synth,simplify,check"
nvs="--stages symexec,synth,check"
stable='y[i,j] = exp(x[i,j] - max(k in 0..N: x[i,k])) / sum(k in 0..N: exp(x[i,k] - max('
expect_exit 0 "$VLIFT" lift $m softmax --variant one_tile $nvs
expect_contains "softmax/one_tile: LIFTED"
expect_contains "  $stable"
expect_contains "check exact"
expect_contains "unseen size points"
expect_contains "matches expected: equivalent"
expect_contains "softmax: LIFTED (1 variant)"

expect_exit 0 "$VLIFT" lift $m softmax --variant online $nvs
expect_contains "softmax/online: LIFTED"
expect_contains "  $stable"
expect_contains "check numeric"
expect_contains "1 bottom-up"
expect_contains "matches expected: equivalent"

# With simplification (the default), both kernels print the textbook formula.
textbook='y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))'
for v in one_tile online; do
    expect_exit 0 "$VLIFT" lift $m softmax --variant $v $nv
    expect_contains "  $textbook"
    expect_contains "simplify: "
    expect_contains "matches expected: yes"
done

# All variants at once, as JSON: the operator's status is its worst variant's.
expect_exit 0 "$VLIFT" lift $m softmax --json $nv
expect_contains '"status": "LIFTED"'
expect_contains '"matches_expected": "yes"'
expect_contains "\"formula\": \"$textbook\""
expect_contains '"message": "one_tile: exact check; online: numeric check; one_tile_fixed: exact check"'
finish
