# Interrupted runs: the driver killed with SIGKILL, stopped with SIGTERM and SIGINT, then
# `--resume`: every job ends up with exactly one row, and jobs finished before the interruption
# do not run again. Also: a torn last CSV row, two drivers on one directory, a new run into a
# directory that has results.
. "$(dirname "$0")/bench_lib.inc"
ops=""
for i in $(seq -w 1 12); do ops="$ops
op$i|x|touch $tmp/ran.op$i sleep 0.25 result VERIFIED"; done
echo "$ops" | fake_suite "$tmp/s.yaml" demo

# wait_rows CSV N: until CSV has at least N data rows (5 s at most)
wait_rows() {
    for _ in $(seq 100); do
        [ -f "$1" ] && [ "$(($(wc -l <"$1") - 1))" -ge "$2" ] && return 0
        sleep 0.05
    done
    return 1
}
# check_complete DIR: 12 rows, 12 distinct jobs, no job ran twice if it had a row before
check_complete() {
    expect_eq "$1 rows" "$(csv_rows "$1/results.csv")" 12
    expect_eq "$1 distinct jobs" "$(csv_keys "$1/results.csv" | sort -u | wc -l)" 12
    tail -c1 "$1/results.csv" | od -c | grep -q '\\n' || fail "$1/results.csv does not end with a newline"
}

# --- SIGKILL: the lock stays behind (stale), rows stay whole; --resume DIR completes the run
"$VLIFT" bench "$tmp/s.yaml" -o "$tmp/kill" -j 2 -q &
pid=$!
wait_rows "$tmp/kill/results.csv" 3 || fail "no rows appeared"
kill -KILL $pid
wait $pid 2>/dev/null
before=$(csv_keys "$tmp/kill/results.csv")
n_before=$(echo "$before" | wc -l)
[ "$n_before" -ge 3 ] && [ "$n_before" -lt 12 ] || fail "SIGKILL came too late or too early ($n_before rows)"
[ -e "$tmp/kill/.lock" ] || fail "SIGKILL should leave the lock"
sleep 0.3   # the killed driver's children die with it (PR_SET_PDEATHSIG)
for f in $tmp/ran.op*; do echo "$f" >>"$tmp/ran_before"; done
rm -f $tmp/ran.op*
expect_exit 0 "$VLIFT" bench --resume "$tmp/kill" -j 2
expect_contains "taking over the stale lock"
expect_contains "already done"
check_complete "$tmp/kill"
# the jobs with a row before the kill did not run again
for key in $before; do
    op=$(echo "$key" | cut -d/ -f2)
    [ ! -e "$tmp/ran.$op" ] || fail "$op ran again after --resume"
done
grep -q 'resumed: \["' "$tmp/kill/meta.yaml" || fail "meta.yaml does not record the resume"
grep -q 'state: "complete"' "$tmp/kill/meta.yaml" || fail "meta.yaml state"

# --- SIGTERM and SIGINT: stop cleanly (143 / 130), no lock, no partial rows; then resume
for sig in TERM INT; do
    d=$tmp/sig$sig
    "$VLIFT" bench "$tmp/s.yaml" -o "$d" -j 2 -q 2>"$tmp/err$sig" &
    pid=$!
    wait_rows "$d/results.csv" 2 || fail "no rows appeared ($sig)"
    kill -$sig $pid
    wait $pid
    rc=$?
    want=$([ $sig = TERM ] && echo 143 || echo 130)
    expect_eq "exit status after SIG$sig" "$rc" "$want"
    grep -q "complete it with: vlift bench --resume" "$tmp/err$sig" || fail "no resume hint after SIG$sig"
    [ ! -e "$d/.lock" ] || fail "lock left after SIG$sig"
    grep -q 'state: "interrupted"' "$d/meta.yaml" || fail "meta.yaml state after SIG$sig"
    n=$(csv_rows "$d/results.csv")
    [ "$n" -lt 12 ] || fail "SIG$sig did not stop the run"
    expect_eq "distinct after SIG$sig" "$(csv_keys "$d/results.csv" | sort -u | wc -l)" "$n"
    # resume with the manifest given again and -o DIR --resume
    expect_exit 0 "$VLIFT" bench "$tmp/s.yaml" -o "$d" --resume -j 4 -q
    check_complete "$d"
done

# --- a torn last row: dropped, the file rewritten without it, that job runs again
d=$tmp/torn
expect_exit 0 "$VLIFT" bench "$tmp/s.yaml" -o "$d" -j 4 -q
size=$(stat -c %s "$d/results.csv")
last=$(tail -n 1 "$d/results.csv" | cut -d, -f3)
truncate -s $((size - 7)) "$d/results.csv"
expect_exit 0 "$VLIFT" bench --resume "$d" -j 2
expect_contains "dropped a torn last row"
expect_contains "1 jobs"
check_complete "$d"
csv_keys "$d/results.csv" | grep -q "/$last/" || fail "the torn job $last was not run again"
# and a resume of a complete run runs nothing
expect_exit 0 "$VLIFT" bench --resume "$d"
expect_contains "0 jobs"
check_complete "$d"

# --- two drivers on one directory: the second is refused
"$VLIFT" bench "$tmp/s.yaml" -o "$tmp/busy" -j 1 -q &
pid=$!
for _ in $(seq 100); do [ -e "$tmp/busy/.lock" ] && break; sleep 0.02; done
expect_exit 2 "$VLIFT" bench "$tmp/s.yaml" -o "$tmp/busy" --resume -q
expect_contains "in use by another vlift bench (pid $pid"
kill -TERM $pid
wait $pid 2>/dev/null

# --- a new run into a directory with results, without --resume: refused
expect_exit 2 "$VLIFT" bench "$tmp/s.yaml" -o "$tmp/torn" -q
expect_contains "already holds results; use --resume"
# --resume of a directory without meta.yaml and without manifests
mkdir -p "$tmp/empty"
expect_exit 2 "$VLIFT" bench --resume "$tmp/empty"
expect_contains "nothing to resume"
finish
