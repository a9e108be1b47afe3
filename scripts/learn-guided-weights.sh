#!/usr/bin/env bash
# Learns the production weights of the guided-style baseline (`vlift lift --config guided`) and
# writes suites/guided_weights.tsv (or -o FILE).
#
# Training data: the formulas vlift lifts (configuration no-simplify, stages symexec and synth:
# the lifted form, in the productions the bottom-up search enumerates) for every operator of
# the training suites — by default suites/extra.yaml, suites/flaggems_paths.yaml and the test
# kernels tests/kernels/{builtins,synth_cases,softmax,verify_cases}.yaml, never the FlagGems-33
# suite the paper evaluates. `vlift guided-weights` counts each formula's productions; the file
# keeps the counts per (suite, operator), and at lift time the suite under test and any
# operator of the same name are left out (synth/guided.h).
#
#   scripts/learn-guided-weights.sh [-o FILE] [--timeout-synth S] [SUITE.yaml...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
out=suites/guided_weights.tsv
timeout_synth=20
suites=()
while [ $# -gt 0 ]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        --timeout-synth) timeout_synth=$2; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) suites+=("$1"); shift ;;
    esac
done
[ ${#suites[@]} -gt 0 ] || suites=(suites/extra.yaml suites/flaggems_paths.yaml tests/kernels/builtins.yaml
                                    tests/kernels/synth_cases.yaml tests/kernels/softmax.yaml tests/kernels/verify_cases.yaml)
[ -x "$VLIFT" ] || { echo "learn-guided-weights: $VLIFT not built (run make)" >&2; exit 2; }
lifted=$(mktemp)
trap 'rm -f "$lifted"' EXIT
for suite in "${suites[@]}"; do
    name=$(sed -n 's/^suite: *//p' "$suite" | head -1)
    ops=$(awk '/^operators:/{on=1;next} on && /^  - name:/{print $3}' "$suite")
    for op in $ops; do
        json=$("$VLIFT" lift "$suite" "$op" --json --config no-simplify --stages symexec,synth \
               --timeout-synth "$timeout_synth" 2>/dev/null | tail -1 || true)
        formula=$(printf '%s' "$json" | sed -nE 's/.*"formula": "(([^"\\]|\\.)*)".*/\1/p')
        status=$(printf '%s' "$json" | sed -nE 's/.*"status": "([A-Z_]*)".*/\1/p')
        if [ -n "$formula" ]; then
            printf '%s\t%s\t%s\n' "$name" "$op" "$formula" >>"$lifted"
        fi
        echo "learn-guided-weights: $name/$op: ${status:-no result}" >&2
    done
done
{
    echo "# Production weights of the guided-style baseline, learned by scripts/learn-guided-weights.sh"
    echo "# from the formulas lifted in: ${suites[*]}"
    echo "# (never suites/flaggems.yaml). Regenerate: scripts/learn-guided-weights.sh"
    "$VLIFT" guided-weights "$lifted"
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "learn-guided-weights: $(grep -vc '^#' "$out") counts from $(grep -v '^#' "$out" | cut -f1,2 | sort -u | wc -l) formulas in $out"
