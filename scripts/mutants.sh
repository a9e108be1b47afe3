#!/usr/bin/env bash
# Runs `vlift verify` on every mutant of suites/mutants.yaml (deliberately wrong kernels that keep
# the correct operator's formula) and writes a CSV: op, bug class, verify status, time, message
# excerpt, and with --lift the lift status, its formula and whether it matches the expected one.
# Exit status 1 when any mutant is VERIFIED: that is a soundness bug in the verifier.
#
#   scripts/mutants.sh [-j JOBS] [-t VERIFY_TIMEOUT] [-o CSV] [--lift] [OP...]
#
# Defaults: -j 2, -t 120 s per mutant, -o results/mutants-verify.csv, every operator of the suite.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
SUITE=${MUTANTS_SUITE:-suites/mutants.yaml}

# --one OP TIMEOUT LIFT: one mutant, one CSV row on stdout (the worker xargs runs).
if [ "${1:-}" = "--one" ]; then
    op=$2; t=$3; lift=$4
    class=$(sed -n "s/^  # $op: \([a-z0-9-]*\)\..*/\1/p" "$SUITE" | head -n 1)
    start=$(date +%s.%N)
    out=$(nice -n 10 timeout -k 5 $((t + 30)) "$VLIFT" verify "$SUITE" "$op" --json --timeout-verify "$t" 2>&1)
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    json=$(printf '%s\n' "$out" | grep '^{' | tail -n 1)
    status=$(printf '%s' "$json" | sed -n 's/.*"status": "\([A-Z_]*\)".*/\1/p')
    msg=$(printf '%s' "$json" | sed -n 's/.*"message": "\(.*\)"}$/\1/p')
    if [ -z "$status" ]; then
        # no JSON object: killed by the outer timeout (124/137) or crashed
        if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then status=TIMEOUT; else status=CRASH; fi
        msg="exit $rc: $(printf '%s' "$out" | tail -n 1)"
    fi
    msg=$(printf '%s' "$msg" | tr '\n"' " '" | cut -c1-240)
    row="$op,$class,$status,$secs,\"$msg\""
    if [ "$lift" = 1 ]; then
        lj=$(nice -n 10 timeout -k 5 200 "$VLIFT" lift "$SUITE" "$op" --json --timeout-synth 60 2>/dev/null | grep '^{' | tail -n 1)
        ls=$(printf '%s' "$lj" | sed -n 's/.*"status": "\([A-Z_]*\)".*/\1/p')
        lf=$(printf '%s' "$lj" | sed -n 's/.*"formula": "\([^"]*\)".*/\1/p' | cut -c1-200)
        lm=$(printf '%s' "$lj" | sed -n 's/.*"matches_expected": "\([a-z]*\)".*/\1/p')
        row="$row,${ls:-TIMEOUT},\"$lf\",$lm"
    fi
    printf '%s\n' "$row"
    exit 0
fi

jobs=2; t=120; csv=results/mutants-verify.csv; lift=0; ops=()
while [ $# -gt 0 ]; do
    case "$1" in
        -j) jobs=$2; shift 2 ;;
        -t) t=$2; shift 2 ;;
        -o) csv=$2; shift 2 ;;
        --lift) lift=1; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        -*) echo "mutants.sh: unknown option $1" >&2; exit 2 ;;
        *) ops+=("$1"); shift ;;
    esac
done
[ -x "$VLIFT" ] || { echo "mutants.sh: $VLIFT not built (run make)" >&2; exit 2; }
if [ ${#ops[@]} -eq 0 ]; then
    mapfile -t ops < <(sed -n 's/^  - name: \([A-Za-z0-9_]*\)$/\1/p' "$SUITE")
fi
mkdir -p "$(dirname "$csv")"
header="op,bug_class,verify_status,seconds,message"
[ "$lift" = 1 ] && header="$header,lift_status,lift_formula,lift_matches_expected"
tmp=$(mktemp)
printf '%s\n' "${ops[@]}" | xargs -P "$jobs" -I{} bash "$0" --one {} "$t" "$lift" >"$tmp"
# keep the suite's order
{ echo "$header"; for op in "${ops[@]}"; do grep "^$op," "$tmp"; done; } >"$csv"
rm -f "$tmp"
echo "wrote $csv: ${#ops[@]} mutants"
cut -d, -f3 "$csv" | tail -n +2 | sort | uniq -c
if grep -q '^[^,]*,[^,]*,VERIFIED,' "$csv"; then
    echo "SOUNDNESS BUG: these mutants were VERIFIED:"; grep '^[^,]*,[^,]*,VERIFIED,' "$csv" | cut -d, -f1
    exit 1
fi
exit 0
