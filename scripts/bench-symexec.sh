#!/usr/bin/env bash
# A micro-benchmark of the interpreter: symbolic-execution time of every operator variant of
# the suites given (default: the softmax test kernels), median of REPS runs, written to
# results/<run-id>/symexec.csv with a gnuplot bar chart in plots/. (`make bench` runs the lifting
# benchmark, scripts/bench.sh; this script is what it used to run.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
REPS=${REPS:-11}
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(tests/kernels/softmax.yaml)
run_id=$(date -u +%Y%m%dT%H%M%SZ)
out="results/$run_id"
mkdir -p "$out" plots
csv="$out/symexec.csv"
echo "suite,op,variant,bindings,reps,t_symexec_ms_median,t_symexec_ms_min,t_symexec_ms_max,terms" >"$csv"

for suite in "${suites[@]}"; do
    # operator names: top-level "- name:" entries under operators
    ops=$(awk '/^operators:/{on=1;next} on && /^  - name:/{print $3}' "$suite")
    for op in $ops; do
        variants=$("$VLIFT" spec "$suite" "$op" 2>/dev/null | sed -n 's/^# [^/]*\/\([^ ]*\) at .*/\1/p' | sort -u)
        for v in $variants; do
            times=()
            line=""
            for _ in $(seq "$REPS"); do
                line=$("$VLIFT" spec "$suite" "$op" --variant "$v" --time | head -1)
                times+=("$(echo "$line" | sed -n 's/.*symbolic execution \([0-9.]*\) ms.*/\1/p')")
            done
            sorted=$(printf '%s\n' "${times[@]}" | sort -g)
            median=$(echo "$sorted" | sed -n "$(( (REPS + 1) / 2 ))p")
            min=$(echo "$sorted" | head -1)
            max=$(echo "$sorted" | tail -1)
            bindings=$(echo "$line" | sed -n 's/^# [^ ]* at \(.*\): [0-9]* output elements.*/\1/p')
            terms=$(echo "$line" | sed -n 's/.* \([0-9]*\) terms.*/\1/p')
            printf '%s,%s,%s,"%s",%s,%s,%s,%s,%s\n' "$(basename "$suite" .yaml)" "$op" "$v" "$bindings" "$REPS" \
                "$median" "$min" "$max" "$terms" >>"$csv"
            echo "$op/$v ($bindings): median ${median} ms over $REPS runs, $terms terms"
        done
    done
done

if command -v gnuplot >/dev/null 2>&1; then
    plot="plots/symexec_$run_id"
    gnuplot <<GP
set datafile separator ","
set terminal pngcairo size 900,500
set output "$plot.png"
set title "Symbolic execution time per operator variant (median of $REPS)"
set ylabel "milliseconds"
set style data histograms
set style fill solid 0.7
set boxwidth 0.8
set xtics rotate by -30
set key off
set yrange [0:*]
set termoption noenhanced
plot "$csv" using 6:xtic(stringcolumn(2)."/".stringcolumn(3)) every ::1
set terminal svg size 900,500 noenhanced
set output "$plot.svg"
replot
GP
    echo "plot: $plot.png $plot.svg"
fi
echo "results: $csv"
