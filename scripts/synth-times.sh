#!/usr/bin/env bash
# Synthesis times per operator, top-down search on and off side by side: runs
# `vlift lift SUITE OP --json` for every operator of the suites given (default
# suites/flaggems.yaml) in the configurations full and no-topdown, and writes one CSV row per
# (operator, configuration) — status, stage, t_symexec, t_synth, t_check, candidates,
# size_lifted, matches_expected — to results/synth-times-<run-id>.csv (or -o FILE). Prints, per
# configuration, how many operators were LIFTED and the median and worst synthesis time.
# (The benchmark harness, `vlift bench`, records the same columns with its own limits.)
#
#   scripts/synth-times.sh [-o FILE.csv] [--timeout-synth S] [--configs full,no-topdown] [SUITE.yaml...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
out=""
timeout_synth=60
configs="full,no-topdown"
suites=()
while [ $# -gt 0 ]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        --timeout-synth) timeout_synth=$2; shift 2 ;;
        --configs) configs=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) suites+=("$1"); shift ;;
    esac
done
[ ${#suites[@]} -gt 0 ] || suites=(suites/flaggems.yaml)
[ -x "$VLIFT" ] || { echo "synth-times: $VLIFT not built (run make)" >&2; exit 2; }
if [ -z "$out" ]; then
    mkdir -p results
    out="results/synth-times-$(date -u +%Y%m%dT%H%M%SZ).csv"
fi

# field NAME JSON: a number or string member of a flat JSON object
field() {
    local v
    v=$(printf '%s' "$2" | sed -nE "s/.*\"$1\": (\"([^\"\\\\]|\\\\.)*\"|[-0-9.eE+]+).*/\1/p")
    v=${v#\"}; v=${v%\"}
    printf '%s' "$v"
}

echo "suite,op,config,status,stage,t_symexec,t_synth,t_check,candidates,size_lifted,matches_expected" >"$out"
IFS=, read -r -a config_list <<<"$configs"
for suite in "${suites[@]}"; do
    name=$(sed -n 's/^suite: *//p' "$suite" | head -1)
    ops=$(awk '/^operators:/{on=1;next} on && /^  - name:/{print $3}' "$suite")
    for op in $ops; do
        for config in "${config_list[@]}"; do
            json=$("$VLIFT" lift "$suite" "$op" --json --config "$config" --timeout-synth "$timeout_synth" 2>/dev/null | tail -1 || true)
            if [ -z "$json" ]; then
                echo "$name,$op,$config,CRASH,,,,,,," >>"$out"
                continue
            fi
            printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$name" "$op" "$config" "$(field status "$json")" "$(field stage "$json")" \
                "$(field t_symexec "$json")" "$(field t_synth "$json")" "$(field t_check "$json")" "$(field candidates "$json")" \
                "$(field size_lifted "$json")" "$(field matches_expected "$json")" >>"$out"
        done
        echo "$op: $(grep "^[^,]*,$op," "$out" | cut -d, -f3,4,7 | tr '\n' ' ')"
    done
done

echo "wrote $out"
for config in "${config_list[@]}"; do
    rows=$(awk -F, -v c="$config" 'NR > 1 && $3 == c' "$out")
    total=$(printf '%s\n' "$rows" | grep -c . || true)
    lifted=$(printf '%s\n' "$rows" | awk -F, '$4 == "LIFTED"' | grep -c . || true)
    times=$(printf '%s\n' "$rows" | awk -F, '$7 != "" {print $7}' | sort -g)
    n=$(printf '%s\n' "$times" | grep -c . || true)
    median=$(printf '%s\n' "$times" | awk -v n="$n" 'NR == int((n + 1) / 2) {print}')
    worst=$(printf '%s\n' "$times" | tail -1)
    printf '%-12s %d/%d LIFTED, synthesis time median %s s, worst %s s\n' "$config" "$lifted" "$total" "${median:-?}" "${worst:-?}"
done
