#!/usr/bin/env bash
# The mutants suite guards the verifier's soundness: every operator of suites/mutants.yaml is a
# deliberately wrong kernel that keeps the correct operator's formula, so `vlift verify` must never
# answer VERIFIED. Here: the suite parses and its bugs show when run; every mutant is verified
# (two at a time, a short proof limit) and nearly all must come back REFUTED; and a fast subset
# (mutants whose proof ends within seconds, measured with scripts/mutants.sh, which runs all of
# them and writes results/mutants-verify.csv) is verified by the proof alone, without the test
# before it. Any VERIFIED fails the test; so does too few REFUTED, so that a verifier that
# refuses everything (or a broken run) does not pass unnoticed.
. "$(dirname "$0")/lib.inc"
SUITE=suites/mutants.yaml

# the manifest and every mutant kernel parse: `run` reaches the kernels (exit 1 = the bug shows)
expect_exit 1 "$VLIFT" run "$SUITE" relu_mask_le --size n=37
expect_contains "out-of-bounds masked load of 'x'"
expect_exit 1 "$VLIFT" run "$SUITE" prod_out_offset
expect_contains "write conflict"
for f in suites/mutants/*.py; do
    "$VLIFT" parse "$f" >/dev/null 2>&1 || fail "$f does not parse"
    grep -q '# MUTANT (' "$f" || fail "$f has no '# MUTANT (class)' comment on its changed line"
done
n_ops=$(grep -c '^  - name: ' "$SUITE")
[ "$n_ops" -ge 45 ] || fail "only $n_ops mutants in $SUITE"

# verify_statuses LIMIT OPTION... -- OP...: "OP STATUS" per mutant into $results, two at a time,
# each with a proof limit of LIMIT seconds (and an outer kill 20 s later)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export VLIFT SUITE
verify_statuses() {
    limit=$1; shift
    opts=""
    while [ "$1" != "--" ]; do opts="$opts $1"; shift; done
    shift
    # shellcheck disable=SC2016
    printf '%s\n' "$@" | xargs -P 2 -I{} sh -c '
        out=$(timeout -k 2 $(($1 + 20)) "$VLIFT" verify "$SUITE" "$2" --json --timeout-verify "$1" $3 2>&1 | grep "^{" | tail -n 1)
        status=$(printf "%s" "$out" | sed -n "s/.*\"status\": \"\([A-Z_]*\)\".*/\1/p")
        echo "$2 ${status:-NONE}"' _ "$limit" {} "$opts" >"$results"
    while read -r op status; do
        [ "$status" = VERIFIED ] && fail "SOUNDNESS: mutant $op was VERIFIED${opts:+ with$opts} (see suites/mutants.yaml)"
    done <"$results"
    refuted=$(grep -c ' REFUTED$' "$results")
}

# every mutant, with the test before the proof (milliseconds each when it finds the bug) and a
# short proof limit for any it does not: none VERIFIED, and nearly all REFUTED with a concrete
# counterexample (measured: 81 of 81, each by the test)
# shellcheck disable=SC2046
verify_statuses 3 -- $(sed -n 's/^  - name: \([A-Za-z0-9_]*\)$/\1/p' "$SUITE")
[ "$refuted" -ge $((n_ops - 6)) ] || fail "only $refuted of $n_ops mutants REFUTED; not refuted: $(grep -v ' REFUTED$' "$results" | tr '\n' ' ')"

# the proof alone (--no-testing) on a fast subset: each finishes in a few seconds today
# (REFUTED or UNSUPPORTED). This guards the prover itself, which the test before it would hide.
fast="relu_mask_le sum_mask_le softmax_mask_le layer_norm_mask_le amax_row_mask_le
rms_norm_stride_y addmm_bias_stride sum_no_other mean_no_other vector_norm_no_other amax_no_other
rms_norm_eps_outside sum_axis0 var_mean_axis0 softmax_inner_no_guard addmm_pid_swap addmm_k_floordiv
max_init_zero gelu_const_sqrt2pi gelu_tanh_const_sqrt"
for op in $fast; do
    grep -q "^  - name: $op\$" "$SUITE" || fail "fast-subset mutant $op is not in $SUITE"
done
# shellcheck disable=SC2086
verify_statuses 20 --no-testing -- $fast
[ "$refuted" -ge 5 ] || fail "only $refuted of the fast mutants REFUTED by the proof alone; statuses: $(tr '\n' ' ' <"$results")"
finish
