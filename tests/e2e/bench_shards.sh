# Sharding and merging: the shards of a run partition its job list; running them (by hand, with
# scripts/parallel-shards.sh through GNU parallel and through xargs) and merging gives the same
# rows as the unsharded run. Merge refuses conflicting rows and an output that has results.
. "$(dirname "$0")/bench_lib.inc"
TOOLS="  - {name: fake, command: \"$FAKE --script {kernel_file} --op {op}\", config: [a, b]}
  - {name: other, command: \"$FAKE result LIFTED\"}" fake_suite "$tmp/s.yaml" demo <<'EOF2'
add|elementwise|result VERIFIED
mul|elementwise|result LIFTED
sum|reduction|result REFUTED
max|reduction|crash SEGV
softmax|normalization|stage synth 5|limits: {synth: 0.2}
cumsum|scan|exit 2
mm|matmul|result UNSUPPORTED
EOF2
opts=(--reps 2 --grace 0.1)
# same_rows A B: the rows agree on every column but run_id, t_total and peak_rss_kb
same_rows() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
def load(p):
    rows = {}
    for r in csv.DictReader(open(p, newline="")):
        key = (r["suite"], r["op"], r["tool"], r["config"], r["rep"])
        assert key not in rows, ("duplicate", key)
        if r["status"] == "TIMEOUT": r["t_synth"] = "~"   # measured, so it varies a little
        rows[key] = {k: v for k, v in r.items() if k not in ("run_id", "t_total", "peak_rss_kb")}
    return rows
a, b = load(sys.argv[1]), load(sys.argv[2])
assert a.keys() == b.keys(), (sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys()))
for k in a:
    assert a[k] == b[k], (k, a[k], b[k])
PY
}

expect_exit 0 "$VLIFT" bench "$tmp/s.yaml" -o "$tmp/full" -j 2 -q "${opts[@]}"
expect_eq "rows" "$(csv_rows "$tmp/full/results.csv")" 42

# the shards partition the ordered job list: job k in shard k mod n
"$VLIFT" bench "$tmp/s.yaml" --dry-run "${opts[@]}" >"$tmp/all.txt"
: >"$tmp/union.txt"
for i in 0 1 2; do
    "$VLIFT" bench "$tmp/s.yaml" --dry-run --shard $i/3 "${opts[@]}" >"$tmp/shard$i.txt"
    awk -v i=$i '$1 % 3 != i { bad = 1 } END { exit bad }' "$tmp/shard$i.txt" || fail "shard $i holds a job of another shard"
    cat "$tmp/shard$i.txt" >>"$tmp/union.txt"
done
expect_eq "union of the shards" "$(sort -n "$tmp/union.txt")" "$(cat "$tmp/all.txt")"

# by hand: three shards with one run id, merged
for i in 0 1 2; do
    expect_exit 0 "$VLIFT" bench "$tmp/s.yaml" --shard $i/3 -o "$tmp/hand/$i" --run-id R -j 2 -q "${opts[@]}"
done
expect_exit 0 "$VLIFT" merge "$tmp/hand/0" "$tmp/hand/1" "$tmp/hand/2" -o "$tmp/merged"
expect_contains "merged 3 inputs: 42 jobs"
same_rows "$tmp/full/results.csv" "$tmp/merged/results.csv" || fail "merged shards differ from the unsharded run"
expect_eq "merged run ids" "$(cut -d, -f1 "$tmp/merged/results.csv" | sort -u | tr '\n' ' ')" "R run_id "
[ "$(ls "$tmp/merged/logs" | wc -l)" -eq 42 ] || fail "merged logs"
grep -q "sources:" "$tmp/merged/meta.yaml" && grep -q '      run_id: "R"' "$tmp/merged/meta.yaml" || fail "merged meta.yaml"
# rows come out in job order
expect_eq "merged order" "$(cut -d, -f2-7 "$tmp/merged/results.csv" | tail -n +2 | head -3 | tr '\n' ' ')" \
    "demo,add,elementwise,fake,a,1 demo,add,elementwise,fake,a,2 demo,add,elementwise,fake,b,1 "

# scripts/parallel-shards.sh, with GNU parallel when present and with the xargs fallback
if parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    expect_exit 0 env VLIFT="$VLIFT" bash scripts/parallel-shards.sh 3 "$tmp/gnu" "$tmp/s.yaml" -- "${opts[@]}"
    expect_contains "with GNU parallel"
    same_rows "$tmp/full/results.csv" "$tmp/gnu/results.csv" || fail "GNU parallel shards differ"
else
    echo "note: GNU parallel not installed; only the xargs fallback is tested"
fi
expect_exit 0 env VLIFT="$VLIFT" VLIFT_NO_GNU_PARALLEL=1 bash scripts/parallel-shards.sh 2 "$tmp/xargs" "$tmp/s.yaml" -- "${opts[@]}"
expect_contains "with xargs -P"
same_rows "$tmp/full/results.csv" "$tmp/xargs/results.csv" || fail "xargs shards differ"
expect_exit 2 env VLIFT="$VLIFT" bash scripts/parallel-shards.sh 2 "$tmp/xargs" "$tmp/s.yaml"
expect_contains "exists"

# merge: the same rows twice are fine; different rows for one job are an error
expect_exit 0 "$VLIFT" merge "$tmp/hand/0" "$tmp/hand/0" -o "$tmp/twice"
expect_eq "rows merged twice" "$(csv_rows "$tmp/twice/results.csv")" "$(csv_rows "$tmp/hand/0/results.csv")"
expect_exit 2 "$VLIFT" merge "$tmp/hand/0" "$tmp/full" -o "$tmp/conflict"
expect_contains "has different results in two inputs"
[ ! -e "$tmp/conflict/results.csv" ] || fail "a conflicting merge wrote results"
expect_exit 2 "$VLIFT" merge "$tmp/hand/0" -o "$tmp/merged"
expect_contains "already holds results"
expect_exit 2 "$VLIFT" merge "$tmp/nonexistent" -o "$tmp/m2"
expect_exit 2 "$VLIFT" merge "$tmp/hand/0"
expect_exit 0 "$VLIFT" merge "$tmp/hand/1" "$tmp/hand/2" -o "$tmp/renamed" --run-id NEW
expect_eq "renamed run id" "$(cut -d, -f1 "$tmp/renamed/results.csv" | sort -u | tr '\n' ' ')" "NEW run_id "
finish
