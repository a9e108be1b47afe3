# vlift lift's clean failures: an operator outside the grammar (UNSUPPORTED with the reason, or
# TIMEOUT within its limit), outputs that depend on unspecified values or are never written, a
# construct the interpreter does not model, a variant that runs nowhere, and bad usage.
. "$(dirname "$0")/lib.inc"
m=tests/kernels/synth_cases.yaml
expect_exit 1 "$VLIFT" lift $m truncate --max-size 4
expect_contains "truncate/tiles: UNSUPPORTED (stage synth)"
expect_contains "no formula in the grammar matches the spec of y (bottom-up candidates up to size 4)"

start=$(date +%s)
expect_exit 1 "$VLIFT" lift $m cubic_gather --timeout-synth 0.3 --json
expect_contains '"status": "TIMEOUT"'
expect_contains '"stage": "synth"'
expect_contains "synthesis time limit (0.3 s) reached while lifting y"
[ $(( $(date +%s) - start )) -le 5 ] || fail "the time limit was not kept"

expect_exit 1 "$VLIFT" lift $m unmasked_sum --json
expect_contains '"status": "UNSUPPORTED"'
expect_contains "output y at N=3 depends on an unspecified value (a masked-off lane loaded without other="

expect_exit 1 "$VLIFT" lift $m half_store
expect_contains "half_store/tiles: ERROR (stage synth)"
expect_contains "output y[1] is never written at N=3"

expect_exit 1 "$VLIFT" lift $m never_runs
expect_contains "never_runs/huge_only: ERROR (stage symexec)"
expect_contains "runs at none of the candidate sizes"

expect_exit 1 "$VLIFT" lift tests/kernels/builtins.yaml uses_atomics --json
expect_contains '"status": "UNSUPPORTED"'
expect_contains "UNSUPPORTED: "
expect_contains "builtins.py:"

# Only symbolic execution: nothing lifted, nothing failed.
expect_exit 0 "$VLIFT" lift $m row_sum --stages symexec
expect_contains "row_sum/tiles: NOT_RUN (stage synth)"
expect_contains "7 size points (M=3, N=3;"

# Bad usage and bad input: exit 2 (with --json, still one JSON object).
expect_exit 2 "$VLIFT" lift $m no_such_op --json
expect_contains '"status": "ERROR"'
expect_contains "has no operator 'no_such_op'"
expect_exit 2 "$VLIFT" lift $m row_sum --variant nope
expect_contains "has no variant 'nope'"
expect_exit 2 "$VLIFT" lift $m row_sum --config fastest
expect_contains "unknown configuration 'fastest'"
expect_exit 2 "$VLIFT" lift $m row_sum --stages synth,check
expect_contains "--stages takes symexec,synth[,verify][,simplify][,check]"
expect_exit 2 "$VLIFT" lift $m row_sum --timeout-synth soon
expect_exit 2 "$VLIFT" lift $m row_sum --max-size 0
expect_exit 2 "$VLIFT" lift $m
expect_exit 2 "$VLIFT" lift tests/manifests/does-not-exist.yaml row_sum
expect_exit 0 "$VLIFT" lift --help
expect_contains "usage: vlift lift SUITE.yaml OP"
finish
