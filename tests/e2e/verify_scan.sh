# vlift verify on recursive launch sequences (scan-then-fan cumsum, proved by induction over the
# recursion) and the faults it must not verify: a fan-out adding the wrong block's total, an
# exclusive-scan formula for an inclusive scan, a recursion that does not shrink, a call of
# another variant, and an in-place launch whose programs read what other programs write.
. "$(dirname "$0")/lib.inc"
M=tests/kernels/scan_faults.yaml
expect_exit 0 "$VLIFT" verify $M cumsum --variant correct --fixed-blocks --json
expect_contains '"status": "VERIFIED"'
expect_exit 0 "$VLIFT" verify tests/kernels/launch_sequences.yaml cumsum_random --fixed-blocks --formula "y[i] = sum(k in 0..i+1: x[k])"
expect_contains "VERIFIED"
expect_exit 0 "$VLIFT" verify suites/flaggems.yaml cumsum --variant host_heuristic --json
expect_contains '"status": "VERIFIED", "blocks": "symbolic"'
# the fan-out adds the scanned total up to and with its own block: the test before the proof
# finds it, and so does the proof alone (a satisfiable post VC, replayed)
expect_exit 1 "$VLIFT" verify $M cumsum --variant own_block_total
expect_contains "REFUTED"
expect_contains "testing before the proof"
expect_exit 1 "$VLIFT" verify $M cumsum --variant own_block_total --no-testing
expect_contains "REFUTED"
expect_contains "failed VC: post"
# the correct kernels against the exclusive prefix sum
expect_exit 1 "$VLIFT" verify $M cumsum --variant correct --fixed-blocks --formula "y[i] = sum(k in 0..i: x[k])"
expect_contains "REFUTED"
expect_exit 1 "$VLIFT" verify $M cumsum --variant correct --fixed-blocks --formula "y[i] = sum(k in 0..i: x[k])" --no-testing
expect_contains "failed VC: post"
expect_contains "kernel gives"
# blocks of one element: the recursive call is on the same size (no induction measure)
expect_exit 1 "$VLIFT" verify $M cumsum --variant no_progress --no-replay --no-testing
expect_contains "call-measure"
expect_exit 1 "$VLIFT" verify $M cumsum --variant calls_other
expect_contains "UNSUPPORTED"
expect_contains "call of another variant ('correct')"
# in place, program pid reads an element program pid + 1 writes
expect_exit 1 "$VLIFT" verify $M shift --no-replay --no-testing
expect_contains "read-write"
expect_exit 1 "$VLIFT" verify $M shift
expect_contains "REFUTED"
finish
