#!/usr/bin/env bash
# The harness's overhead, measured as issue 7 asks (figures from one run):
#   1. JOBS_FAST (200) jobs of a tool that exits at once, at the default -j: must take < 5 s;
#   2. JOBS_SLEEP (40) jobs sleeping SLEEP (0.5) s, at -j 2 and at -j 1: the -j 2 time must be
#      <= RATIO (0.55) x the -j 1 time.
# The tool is the fake tool (tests/fake_tool, built by `make build/fake_tool`). Prints the figures;
# exit 1 when a bound is missed. tests/e2e/bench_overhead.sh runs it smaller (CI budget).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
FAKE=${FAKE_TOOL:-$(cd "$(dirname "$VLIFT")" && pwd)/fake_tool}
JOBS_FAST=${JOBS_FAST:-200}
JOBS_SLEEP=${JOBS_SLEEP:-40}
SLEEP=${SLEEP:-0.5}
FAST_LIMIT=${FAST_LIMIT:-5}
RATIO=${RATIO:-0.55}
[ -x "$FAKE" ] || make --no-print-directory "$(dirname "$VLIFT")/fake_tool" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vlift-overhead.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "# kernel" >"$tmp/k.py"
# suite FILE REPS ACTIONS...: one operator with REPS repetitions of the fake tool doing ACTIONS
suite() {
    local file=$1 reps=$2
    shift 2
    cat >"$file" <<YAML
suite: overhead
defaults: {reps: $reps}
tools: [{name: fake, command: "$FAKE $*"}]
operators:
  - {name: op, category: x, source: k.py, sizes: {N: 1}, tensors: {y: {shape: [N], role: output}}, launches: [{kernel: k, grid: [1]}]}
YAML
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
holds() { awk "BEGIN { exit !($1) }"; }   # holds "EXPR": a numeric comparison

suite "$tmp/fast.yaml" "$JOBS_FAST" result VERIFIED
t0=$(now)
"$VLIFT" bench "$tmp/fast.yaml" -o "$tmp/fast" --quiet
t1=$(now)
fast=$(elapsed "$t0" "$t1")
rows=$(($(wc -l <"$tmp/fast/results.csv") - 1))

suite "$tmp/sleep.yaml" "$JOBS_SLEEP" sleep "$SLEEP" result VERIFIED
t0=$(now)
"$VLIFT" bench "$tmp/sleep.yaml" -o "$tmp/j1" -j 1 --quiet
t1=$(now)
"$VLIFT" bench "$tmp/sleep.yaml" -o "$tmp/j2" -j 2 --quiet
t2=$(now)
j1=$(elapsed "$t0" "$t1")
j2=$(elapsed "$t1" "$t2")
ratio=$(awk -v a="$j2" -v b="$j1" 'BEGIN { printf "%.3f", a / b }')

status=0
printf '%d jobs of a tool that exits at once (-j %s): %.2f s, %d rows (bound: < %s s)\n' "$JOBS_FAST" \
    "$(getconf _NPROCESSORS_ONLN)" "$fast" "$rows" "$FAST_LIMIT"
[ "$rows" -eq "$JOBS_FAST" ] && holds "$fast < $FAST_LIMIT" || { echo "FAIL: fast jobs"; status=1; }
printf '%d jobs sleeping %s s: -j 1 %.2f s, -j 2 %.2f s, ratio %.3f (bound: <= %s)\n' "$JOBS_SLEEP" "$SLEEP" "$j1" "$j2" \
    "$ratio" "$RATIO"
holds "$ratio <= $RATIO" || { echo "FAIL: parallel speed-up"; status=1; }
exit $status
