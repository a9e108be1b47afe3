#!/usr/bin/env bash
# Simplification per operator: runs `vlift simplify FORMULA --expected EXPECTED --json` on the
# lifted formula of every operator and writes one CSV row per operator — size before and after
# (AST nodes), iterations, e-nodes, stop reason, seconds, how the result is known equal
# (egraph / approximate) and whether it matches the expected formula — to
# results/simplify-times-<run-id>.csv (or -o FILE). Prints the total size reduction, how many
# match, and the median and worst simplification time.
#
# Formulas come from fixture files (default tests/simplify/lifted.txt: the lifted formulas of
# every suite operator with their expected formulas), or, with --lift SUITE.yaml..., from
# running `vlift lift SUITE OP --json` now (expected formulas read from the manifest).
#
#   scripts/simplify-times.sh [-o FILE.csv] [--only PREFIX] [FIXTURES.txt... | --lift SUITE.yaml...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
out=""
only=""
lift=0
inputs=()
while [ $# -gt 0 ]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --lift) lift=1; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) inputs+=("$1"); shift ;;
    esac
done
[ ${#inputs[@]} -gt 0 ] || inputs=(tests/simplify/lifted.txt)
[ -x "$VLIFT" ] || { echo "simplify-times: $VLIFT not built (run make)" >&2; exit 2; }
if [ -z "$out" ]; then
    mkdir -p results
    out="results/simplify-times-$(date -u +%Y%m%dT%H%M%SZ).csv"
fi

# field NAME JSON: a number or string member of a flat JSON object
field() {
    local v
    v=$(printf '%s' "$2" | sed -nE "s/.*\"$1\": (\"([^\"\\\\]|\\\\.)*\"|[-0-9.eE+a-z]+).*/\1/p")
    v=${v#\"}; v=${v%\"}
    printf '%s' "$v"
}

# expected_of SUITE OP: the operator's expected formula, equations joined with "; " (a
# newline inside parentheses only continues the equation)
expected_of() {
    awk -v op="$2" '
        function flush(line) { gsub(/^[ \t]+|[ \t]+$/, "", line); if (line == "" || line ~ /^#/) return;
            text = text (text == "" ? "" : (depth > 0 ? " " : "; ")) line
            depth += gsub(/\(/, "(", line) - gsub(/\)/, ")", line) }
        /^  - name:/ { inop = ($3 == op); next }
        inop && /^    expected:/ {
            v = $0; sub(/^    expected:[ \t]*/, "", v)
            if (v == "|" || v == ">") { block = 1; next }
            gsub(/^"|"$/, "", v); print v; exit }
        block && /^      / { flush($0); next }
        block { print text; block = 0; exit }
        END { if (block) print text }' "$1"
}

echo "op,size_before,size_after,iterations,enodes,stop,seconds,equality,matches_expected" >"$out"
declare -a times=()
n=0; matched=0; before=0; after=0

record() {   # record OP FORMULA EXPECTED
    local op=$1 formula=$2 expected=$3 json
    local args=(simplify "$formula" --json)
    [ -n "$expected" ] && args+=(--expected "$expected")
    json=$("$VLIFT" "${args[@]}" 2>/dev/null) || true
    [ -n "$json" ] || { echo "$op: vlift simplify failed" >&2; return; }
    local sb sa it en st sec eq ex
    sb=$(field size_before "$json"); sa=$(field size_after "$json"); it=$(field iterations "$json")
    en=$(field enodes "$json"); st=$(field stop "$json"); sec=$(field seconds "$json")
    eq=$(field equality "$json"); eq=${eq%%:*}; ex=$(field expected "$json")
    echo "$op,$sb,$sa,$it,$en,$st,$sec,$eq,$ex" >>"$out"
    times+=("$sec")
    n=$((n + 1)); before=$((before + sb)); after=$((after + sa))
    [ "$ex" = yes ] && matched=$((matched + 1))
    printf '%-40s %4s -> %-4s %-9s %8ss  %s\n' "$op" "$sb" "$sa" "$st" "$sec" "${ex:--}"
}

if [ "$lift" = 1 ]; then
    for suite in "${inputs[@]}"; do
        for op in $(sed -nE 's/^  - name: ([A-Za-z0-9_]+).*/\1/p' "$suite"); do
            [ -z "$only" ] || [[ "$op" == "$only"* ]] || continue
            json=$("$VLIFT" lift "$suite" "$op" --json 2>/dev/null) || true
            formula=$(field formula "$json")
            [ -n "$formula" ] || { echo "$op: not lifted ($(field status "$json"))" >&2; continue; }
            record "$(basename "$suite" .yaml)/$op" "$formula" "$(expected_of "$suite" "$op")"
        done
    done
else
    for file in "${inputs[@]}"; do
        op=""; formula=""; expected=""
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
                "op: "*) op=${line#op: }; formula=""; expected="" ;;
                "lifted: "*) formula=${line#lifted: } ;;
                "expected: "*) expected=${line#expected: } ;;
                "")
                    if [ -n "$op" ] && [ -n "$formula" ] && { [ -z "$only" ] || [[ "$op" == "$only"* ]]; }; then
                        record "$op" "$formula" "$expected"
                    fi
                    op="" ;;
            esac
        done < <(cat "$file"; echo)
    done
fi

[ "$n" -gt 0 ] || { echo "simplify-times: no formulas" >&2; exit 1; }
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
worst=$(printf '%s\n' "${times[@]}" | sort -g | tail -n 1)
echo "simplify-times: $n formulas, $matched match their expected formula; size $before -> $after" \
     "($(awk -v b="$before" -v a="$after" 'BEGIN { printf "%.1f", b ? 100 * (b - a) / b : 0 }')% smaller);" \
     "time median ${median}s, worst ${worst}s; $out"
