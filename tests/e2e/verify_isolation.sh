#!/bin/sh
# vlift verify's hard time bound (src/verify/isolate.c): a prover that ignores its time limit
# (as z3 4.8 sometimes ignores Z3_interrupt) is killed shortly after the limit and the variant
# is TIMEOUT with the reason; a prover that crashes is an ERROR naming the signal. Both through
# the fault hook VLIFT_FAULT_PROVER; without it the same run is VERIFIED.
. "$(dirname "$0")/lib.inc"
expect_exit 0 "$VLIFT" verify suites/flaggems.yaml relu --timeout-verify 300
expect_contains "VERIFIED"
start=$(date +%s)
out=$(VLIFT_FAULT_PROVER=hang "$VLIFT" verify suites/flaggems.yaml relu --timeout-verify 1 --json 2>&1)
rc=$?
took=$(( $(date +%s) - start ))
[ "$rc" -eq 1 ] || fail "hang: exit $rc, expected 1: $out"
expect_contains '"status": "TIMEOUT"'
expect_contains "did not stop at its time limit"
[ "$took" -lt 30 ] || fail "hang: the killed prover took $took s to report"
out=$(VLIFT_FAULT_PROVER=crash "$VLIFT" verify suites/flaggems.yaml relu --timeout-verify 5 2>&1)
rc=$?
[ "$rc" -ne 0 ] || fail "crash: exit 0: $out"
expect_contains "died with signal 6"
# no prover process is left behind
sleep 0.2
pgrep -f "build/vlift verify suites/flaggems.yaml relu" >/dev/null && fail "a prover process outlived vlift verify"
finish
