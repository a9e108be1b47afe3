# Launch sequences: intermediate buffers, guarded steps and a recursive host call give the
# hand-computed results; the unspecified lanes of the cumsum kernel never reach the output.
. "$(dirname "$0")/lib.inc"
for expected in tests/kernels/expected_sequences/*.txt; do
    op=$(basename "$expected" .txt)
    actual=$("$VLIFT" run tests/kernels/launch_sequences.yaml "$op" 2>&1)
    diff -u "$expected" <(printf '%s\n' "$actual") || fail "$op differs from the hand-computed result"
done
# Explicit values must match the size.
expect_exit 2 "$VLIFT" run tests/kernels/launch_sequences.yaml cumsum --size n=37
expect_contains "lists 10 values for 37 elements"
# Two levels of recursion (n=37, BLOCK=4: 10 parts, then 3, then 1): y is the prefix sum of x.
expect_exit 0 "$VLIFT" spec tests/kernels/launch_sequences.yaml cumsum_random --size n=37
expect_contains "y[36] = "
echo "$out" | grep -q undef && fail "an unspecified value reached the cumsum output"
expect_exit 0 "$VLIFT" run tests/kernels/launch_sequences.yaml cumsum_random --size n=37
expect_contains "5 launches"
# Symbolically, every output element is a sum of a prefix of x (no undef terms).
"$VLIFT" spec tests/kernels/launch_sequences.yaml cumsum 2>&1 | grep -q undef && fail "an unspecified value reached the cumsum output"
expect_exit 0 "$VLIFT" spec tests/kernels/launch_sequences.yaml sum_full
expect_contains "out = "
finish
