#!/usr/bin/env bash
# `make bench`: the lifting benchmark with the lifter as it stands. Runs `vlift bench` on the
# FlagGems suite, suites/flaggems.yaml, into results/<UTC time>/, then `vlift report` on it:
# tables in results/<run>/tables/, figures in results/<run>/plots/ and plots/.
# Arguments go to vlift bench (e.g. -j 4, --reps 3, --limit wall=60, or other manifests with
# SUITES="a.yaml b.yaml"). Only the full pipeline runs by default (TOOLS=vlift/full): the
# manifest also lists the ablations and baselines, which `make paper` runs (TOOLS=all here runs
# them too). The interpreter's micro-benchmark is scripts/bench-symexec.sh.
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
tools=${TOOLS:-vlift/full}
tool_args=()
if [ "$tools" != all ]; then tool_args=(--tools "$tools"); fi
"$VLIFT" bench "${suites[@]}" -o "$run" "${tool_args[@]}" "$@"
"$VLIFT" report "$run"
echo "bench: results in $run/results.csv, tables in $run/tables/, figures in $run/plots/ and plots/"
