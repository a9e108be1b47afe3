# Soundness: every VERIFIED result passes the numeric cross-check. Operators are lifted (with
# verification), and each printed VERIFIED formula is checked again, independently of the lift,
# by check-suite against the kernel run concretely at check-suite's sizes with another seed.
. "$(dirname "$0")/lib.inc"
verified=0
for case in "tests/kernels/verify_cases.yaml scale" "tests/kernels/synth_cases.yaml row_sum" \
            "suites/flaggems.yaml relu" "suites/flaggems.yaml sigmoid" "suites/flaggems.yaml sum" \
            "suites/flaggems.yaml rms_norm" "suites/flaggems.yaml prod"; do
    set -- $case
    json=$("$VLIFT" lift "$1" "$2" --json --timeout-verify 120 2>/dev/null)
    status=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    [ "$status" = VERIFIED ] || continue
    verified=$((verified + 1))
    formula=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["formula"])')
    expect_exit 0 "$VLIFT" check-suite "$1" --op "$2" --formula "$formula" --seed 977
done
[ "$verified" -ge 5 ] || fail "only $verified of 7 operators VERIFIED"
# and the check is not vacuous: a formula off by a little fails it
expect_exit 1 "$VLIFT" check-suite tests/kernels/verify_cases.yaml --op scale --formula "y[i] = x[i] * 3.0001"
expect_exit 2 "$VLIFT" check-suite tests/kernels/verify_cases.yaml --formula "y[i] = x[i]"
# equal infinities agree (a replayed "counterexample" once read "kernel gives inf, formula gives inf")
expect_exit 0 "$VLIFT" check-suite tests/kernels/verify_cases.yaml --op inf_out
expect_exit 1 "$VLIFT" check-suite tests/kernels/verify_cases.yaml --op inf_out --formula "y[i] = -x[i] / 0"
finish
