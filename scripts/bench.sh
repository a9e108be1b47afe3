#!/usr/bin/env bash
# `make bench`: the lifting benchmark with the lifter as it stands. Runs `vlift bench` on the
# FlagGems suite, suites/flaggems.yaml, into results/<UTC time>/, then `vlift report` on it:
# tables in results/<run>/tables/, figures in results/<run>/plots/ and plots/.
# Arguments go to vlift bench (e.g. -j 4, --reps 3, --limit wall=60, or other manifests with
# SUITES="a.yaml b.yaml"). The interpreter's micro-benchmark is scripts/bench-symexec.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
if [ -n "${SUITES:-}" ]; then
    read -r -a suites <<<"$SUITES"
else
    suites=(suites/flaggems.yaml)
fi
run="results/$(date -u +%Y%m%dT%H%M%SZ)"
"$VLIFT" bench "${suites[@]}" -o "$run" "$@"
"$VLIFT" report "$run"
echo "bench: results in $run/results.csv, tables in $run/tables/, figures in $run/plots/ and plots/"
