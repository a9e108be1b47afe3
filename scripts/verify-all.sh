#!/usr/bin/env bash
# Runs `vlift verify` on every operator of a suite (default: the FlagGems-33) and writes a CSV
# with one row per operator: op, status, blocks, patterns, vcs, smt_queries, t_verify (seconds),
# t_smt, message. Usage: scripts/verify-all.sh [SUITE.yaml] [OUT.csv] [-j N] [extra vlift verify options]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:-$root/suites/flaggems.yaml}
out=${2:-$root/results/verify-all.csv}
shift $(( $# >= 2 ? 2 : $# ))
jobs=2
if [ "${1:-}" = "-j" ]; then jobs=$2; shift 2; fi
vlift=${VLIFT:-$root/build/vlift}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
ops=$(grep -E '^  - name: ' "$suite" | sed -E 's/^  - name: *//')
i=0
for op in $ops; do
    i=$((i + 1))
    printf '%03d %s\n' "$i" "$op"
done | xargs -P "$jobs" -n 2 sh -c '
    n=$1; op=$2
    timeout 600 "$0" verify "'"$suite"'" "$op" --json '"$*"' > "'"$tmp"'/$n.json" 2>/dev/null
    rc=$?
    if [ ! -s "'"$tmp"'/$n.json" ]; then
        printf "{\"op\": \"%s\", \"status\": \"TIMEOUT\", \"blocks\": \"\", \"patterns\": \"\", \"vcs\": 0, \"smt_queries\": 0, \"t_verify\": 600, \"t_smt\": 0, \"message\": \"no result (exit %s)\"}\n" "$op" "$rc" > "'"$tmp"'/$n.json"
    fi
' "$vlift"
{
    echo "op,status,blocks,patterns,vcs,smt_queries,t_verify,t_smt,message"
    for f in "$tmp"/*.json; do
        python3 - "$f" <<'PY'
import json, sys, csv
o = json.load(open(sys.argv[1]))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow([o["op"], o["status"], o["blocks"], o["patterns"], o["vcs"], o["smt_queries"], o["t_verify"], o["t_smt"], o["message"]])
PY
    done
} > "$out"
rm -rf "$tmp"
verified=$(grep -c ',VERIFIED,' "$out")
total=$(($(wc -l < "$out") - 1))
median=$(tail -n +2 "$out" | python3 -c '
import csv, sys, statistics
rows = list(csv.reader(sys.stdin))
t = sorted(float(r[6]) for r in rows)
print("%.2f %.2f" % (statistics.median(t), max(t)) if t else "0 0")')
echo "verified $verified/$total; median ${median% *} s, worst ${median#* } s; $out"
