#!/usr/bin/env bash
# `make paper`: the paper's full evaluation. Runs every tool of suites/flaggems.yaml (vlift full,
# its four ablations, the three re-implemented baselines) on the 33 FlagGems operators, 3
# repetitions, then `vlift report --paper`, and collects into results/paper/:
#   results.csv, meta.yaml        the run (results/paper/run/ holds logs as well)
#   main.md/.tex                  operator x tool status and median time
#   success.md/.tex               counts per tool and category
#   published.md/.tex             the published 28/33 and 13/33 beside ours
#   ablation.md/.tex              each ablation against full: successes lost, time added
#   baselines.md/.tex             each baseline against full
#   stages.md/.tex, summary.csv   per-stage times
#   plots/                        the figures (PNG and SVG)
# Each table file starts with the exact commands (report, and the bench run it read). Then
# scripts/check-paper-tables.py recomputes the tables from results.csv and fails on a mismatch.
#
# Limits (per job; the machine has 2 cores): synth 10 s, verify 15 s, symexec/simplify/check 30 s,
# wall 60 s, 2048 MiB. They are part of the results: a TIMEOUT row names its stage. verify 15 s
# keeps 3 repetitions under 30 minutes: the six operators not yet proved spend the whole verify
# limit in each of the five verifying configurations (at 30 s the run took about an hour).
# Override with PAPER_LIMITS="--limit verify=60 ..." and PAPER_REPS=1, PAPER_JOBS=N.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
out=results/paper
reps=${PAPER_REPS:-3}
jobs=${PAPER_JOBS:-2}
limits=${PAPER_LIMITS:-"--limit synth=10 --limit verify=15 --limit symexec=30 --limit simplify=30 --limit check=30 --limit wall=60 --limit memory_mb=2048"}
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
# shellcheck disable=SC2086
"$VLIFT" bench suites/flaggems.yaml -o "$out/run" --reps "$reps" -j "$jobs" -q $limits "$@"
"$VLIFT" report "$out/run" --paper --plots-dir "$out/plots"
cp "$out/run/results.csv" "$out/run/meta.yaml" "$out/"
cp "$out/run/tables/"* "$out/"
# the limits, in every table's notes (they decide many TIMEOUT rows)
note="Limits of this run (per job, wall clock): ${limits//--limit /}; $reps repetition(s), -j $jobs. An operator whose proof needs more than the verify limit ends TIMEOUT (stage verify): mm and bmm need minutes (see the README's limitations)."
for f in "$out"/*.md; do printf '\n%s\n' "$note" >>"$f"; done
for f in "$out"/*.tex; do printf '%% %s\n' "$note" >>"$f"; done
python3 scripts/check-paper-tables.py "$out/run/results.csv" "$out"
end=$(date +%s)
echo "paper: $((end - start)) s wall; tables in $out/, figures in $out/plots/"
