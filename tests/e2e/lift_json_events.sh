# vlift lift --json: one object with exactly the harness's keys (and patterns, vcs, t_smt);
# stage events on the file descriptor named by VLIFT_EVENT_FD; the ablation switches.
. "$(dirname "$0")/lib.inc"
m=tests/kernels/synth_cases.yaml
expect_exit 0 "$VLIFT" lift $m row_sum --json --stages symexec,synth,simplify,check
keys=$(echo "$out" | grep -o '"[a-z_]*": ' | tr -d '": ' | tr '\n' ' ')
[ "$keys" = "status stage blocks formula message t_symexec t_synth t_verify t_simplify t_check candidates smt_queries size_lifted size_simplified matches_expected patterns vcs t_smt " ] ||
    fail "unexpected JSON keys: $keys"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "more than one line of JSON"
expect_contains '"status": "LIFTED", "stage": "", "blocks": "", "formula": "y[i] = sum(k in 0..N: x[i,k])"'
expect_contains '"t_verify": 0.000000, "t_simplify": '
expect_contains '"smt_queries": 0, "size_lifted": 6, "size_simplified": 6, "matches_expected": "yes", "patterns": "", "vcs": 0, "t_smt": 0.000000}'

events=$(mktemp)
VLIFT_EVENT_FD=3 "$VLIFT" lift $m row_sum --json 3>"$events" >/dev/null
[ "$(cut -d' ' -f1,2 "$events" | tr '\n' ' ')" = "start symexec end symexec start synth end synth start verify end verify start simplify end simplify start check end check " ] ||
    fail "unexpected events: $(cat "$events")"
grep -Eq '^end synth [0-9]+\.[0-9]+$' "$events" || fail "end events carry no seconds: $(cat "$events")"
# A counterexample sends the variant back to symexec and synth: each entry's end event carries
# that entry's time, and the entries add up to the JSON's stage times.
VLIFT_EVENT_FD=3 "$VLIFT" lift tests/kernels/verify_cases.yaml bump_when_large --json --timeout-synth 1 3>"$events" >"$events.json"
[ "$(grep -c '^start synth' "$events")" -eq 2 ] || fail "expected two synth entries: $(cat "$events")"
python3 - "$events" "$events.json" <<'PY' || fail "stage entries do not add up: $(cat "$events")"
import json, sys
total = {}
for line in open(sys.argv[1]):
    w = line.split()
    if w[0] == "end": total[w[1]] = total.get(w[1], 0) + float(w[2])
row = json.loads(open(sys.argv[2]).read().splitlines()[-1])
for stage in ("symexec", "synth", "verify"):
    assert abs(total[stage] - row["t_" + stage]) < 1e-5, (stage, total[stage], row["t_" + stage])
PY
rm -f "$events.json"
# Stages not requested send no events.
VLIFT_EVENT_FD=3 "$VLIFT" lift $m row_sum --stages symexec,synth 3>"$events" >/dev/null
grep -q check "$events" && fail "a check event without the check stage"
rm -f "$events"

# Ablations: bottom-up only still lifts small operators; without pruning too.
expect_exit 0 "$VLIFT" lift $m fused_elementwise --config no-topdown --json
expect_contains '"formula": "z[i] = 1 + x[i] * y[i]"'
expect_exit 0 "$VLIFT" lift $m product --no-topdown --no-prune
expect_contains "z[i] = x[i] * y[i]"
expect_contains ", 0 pruned,"
expect_exit 0 "$VLIFT" lift $m row_sum --config no-simplify
expect_exit 0 "$VLIFT" lift $m row_sum --config no-patterns
finish
