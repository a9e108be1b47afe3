# Fault injection for the harness, beyond bench_resume.sh (driver killed / stopped, torn row, two
# drivers) and bench_statuses.sh (flood, orphans, crashes by the tool itself):
#   - a worker (the tool process) killed with SIGKILL from outside in each stage: one CRASH row
#     naming that stage and the signal, the other jobs unaffected;
#   - a full disk while writing results, as a file-size limit (ulimit -f): the driver is not
#     killed by SIGXFSZ, stops starting jobs, says which file and why, leaves no torn row; a
#     --resume afterwards completes the run with every job exactly once;
#   - the driver killed (SIGKILL) while its workers are inside a stage: the workers die with it,
#     and --resume reruns exactly the jobs without a row;
#   - a last row torn inside a quoted field (a formula with a comma and quotes);
#   - two drivers started at the same moment on one new directory: exactly one runs;
#   - tools that flood stdout, stderr or the stage-event pipe without end: a wall TIMEOUT, capped
#     logs, and a driver whose memory stays small.
. "$(dirname "$0")/bench_lib.inc"

# --- SIGKILL of the worker in each stage
stages="symexec synth verify simplify check"
ops=""
for s in $stages; do ops="$ops
kill_$s|x|stage symexec 0.01 start $s pidfile $tmp/pid.$s sleep 30 result VERIFIED|limits: {wall: 60}"; done
ops="$ops
bystander|x|sleep 0.2 result VERIFIED"
echo "$ops" | fake_suite "$tmp/k/s.yaml" demo
"$VLIFT" bench "$tmp/k/s.yaml" -o "$tmp/k/out" -j 6 -q &
driver=$!
for s in $stages; do
    for _ in $(seq 200); do [ -s "$tmp/pid.$s" ] && break; sleep 0.05; done
    if [ -s "$tmp/pid.$s" ]; then kill -KILL "$(cat "$tmp/pid.$s")"; else fail "the $s worker never started"; fi
done
wait $driver
rc=$?
expect_eq "driver exit after worker kills" "$rc" 0
csv=$tmp/k/out/results.csv
expect_eq "rows" "$(csv_rows "$csv")" 6
expect_eq "distinct jobs" "$(csv_keys "$csv" | sort -u | wc -l)" 6
for s in $stages; do
    expect_eq "kill_$s status/stage" "$(csv_field "$csv" kill_$s status)/$(csv_field "$csv" kill_$s stage)" "CRASH/$s"
    case "$(csv_field "$csv" kill_$s message)" in
        *"signal 9 (SIGKILL)"*) ;;
        *) fail "kill_$s message: $(csv_field "$csv" kill_$s message)" ;;
    esac
done
expect_eq "bystander" "$(csv_field "$csv" bystander status)" VERIFIED
[ ! -e "$tmp/k/out/.lock" ] || fail "lock left behind after worker kills"

# --- a full disk while appending rows: long formulas make the rows outgrow a 4 KiB file-size
# limit that meta.yaml fits in
long=$(printf 'x[i] + %.0s' $(seq 40))
ops=""
for i in $(seq -w 1 12); do ops="$ops
op$i|x|touch $tmp/ran.op$i sleep 0.05 result VERIFIED \"y[i] = ${long}x[i]\""; done
echo "$ops" | fake_suite "$tmp/d/s.yaml" demo
out=$( (ulimit -f 4; exec "$VLIFT" bench "$tmp/d/s.yaml" -o "$tmp/d/out" -j 2 -q) 2>&1)
rc=$?
expect_eq "exit with a full disk" "$rc" 2
expect_contains "cannot append to $tmp/d/out/results.csv: File too large"
expect_contains "vlift bench --resume $tmp/d/out"
csv=$tmp/d/out/results.csv
n=$(csv_rows "$csv")
[ "$n" -ge 1 ] && [ "$n" -lt 12 ] || fail "full disk: $n rows recorded (the limit did not bite mid-run)"
tail -c1 "$csv" | od -c | grep -q '\\n' || fail "full disk left a torn row"
python3 - "$csv" <<'PY' || fail "a recorded row is not whole"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert all(r["status"] == "VERIFIED" and r["formula"].endswith("x[i]") for r in rows), rows
PY
grep -q 'state: "interrupted"' "$tmp/d/out/meta.yaml" || fail "meta.yaml state after a full disk"
[ ! -e "$tmp/d/out/.lock" ] || fail "lock left behind after a full disk"
# room again: the resume completes the run, each job once, and reruns only jobs without a row
before=$(csv_keys "$csv")
expect_exit 0 "$VLIFT" bench --resume "$tmp/d/out" -j 2 -q
expect_eq "rows after resume" "$(csv_rows "$csv")" 12
expect_eq "distinct jobs after resume" "$(csv_keys "$csv" | sort -u | wc -l)" 12
for key in $before; do
    op=$(echo "$key" | cut -d/ -f2)
    expect_eq "$op ran once" "$(wc -l <"$tmp/ran.$op")" 1
done

# --- the driver killed while workers are inside a stage: no worker survives it
ops=""
for i in 1 2 3 4; do ops="$ops
fast$i|x|touch $tmp/w/ran.fast$i result VERIFIED"; done
for i in 1 2; do ops="$ops
slow$i|x|touch $tmp/w/ran.slow$i start verify pidfile $tmp/w/pid.slow$i sleep 30 result VERIFIED"; done
mkdir -p "$tmp/w"
echo "$ops" | fake_suite "$tmp/w/s.yaml" demo
"$VLIFT" bench "$tmp/w/s.yaml" -o "$tmp/w/out" -j 2 -q &
driver=$!
for i in 1 2; do
    for _ in $(seq 200); do [ -s "$tmp/w/pid.slow$i" ] && break; sleep 0.05; done
done
[ -s "$tmp/w/pid.slow1" ] && [ -s "$tmp/w/pid.slow2" ] || fail "the slow workers never started"
kill -KILL $driver
wait $driver 2>/dev/null
for i in 1 2; do
    w=$(cat "$tmp/w/pid.slow$i" 2>/dev/null)
    for _ in $(seq 100); do kill -0 "$w" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$w" 2>/dev/null; then fail "worker slow$i (pid $w) outlived the killed driver"; kill -KILL "$w"; fi
done
before=$(csv_keys "$tmp/w/out/results.csv")
rm -f "$tmp"/w/ran.* "$tmp"/w/pid.*
# the slow jobs now finish quickly: their kernels are edited before the resume
for i in 1 2; do echo "# fake slow$i: touch $tmp/w/ran.slow$i result VERIFIED" >"$tmp/w/k/slow$i.py"; done
expect_exit 0 "$VLIFT" bench --resume "$tmp/w/out" -j 2 -q
expect_eq "rows after resume" "$(csv_rows "$tmp/w/out/results.csv")" 6
expect_eq "distinct after resume" "$(csv_keys "$tmp/w/out/results.csv" | sort -u | wc -l)" 6
for key in $before; do
    op=$(echo "$key" | cut -d/ -f2)
    [ ! -e "$tmp/w/ran.$op" ] || fail "$op had a row but ran again"
done
for i in 1 2; do [ -e "$tmp/w/ran.slow$i" ] || fail "slow$i (killed mid-stage) did not run again"; done

# --- a last row torn inside a quoted field
mkdir -p "$tmp/q"
fake_suite "$tmp/q/s.yaml" demo <<EOF2
a|x|result VERIFIED "y[i] = max(x[i], 0)"
b|x|result LIFTED "y[i] = where(x[i] > 0, x[i], 0)"
EOF2
expect_exit 0 "$VLIFT" bench "$tmp/q/s.yaml" -o "$tmp/q/out" -j 1 -q
csv=$tmp/q/out/results.csv
grep -q '"y\[i\] = ' "$csv" || fail "the formulas were expected to be quoted: $(tail -n 1 "$csv")"
# cut the file just after the comma inside the last row's quoted formula
cut_at=$(python3 -c 'import sys; t = open(sys.argv[1], "rb").read(); print(t.rindex(b"x[i], ") + 5)' "$csv")
truncate -s "$cut_at" "$csv"
expect_exit 0 "$VLIFT" bench --resume "$tmp/q/out" -q
expect_contains "dropped a torn last row"
expect_eq "rows after a torn quoted field" "$(csv_rows "$csv")" 2
expect_eq "distinct after a torn quoted field" "$(csv_keys "$csv" | sort -u | wc -l)" 2
expect_eq "a's formula" "$(csv_field "$csv" a formula)" "y[i] = max(x[i], 0)"
expect_eq "b's formula" "$(csv_field "$csv" b formula)" "y[i] = where(x[i] > 0, x[i], 0)"

# --- two drivers started together on one new directory: one runs, the other is refused
"$VLIFT" bench "$tmp/q/s.yaml" -o "$tmp/q/race" -j 1 -q >"$tmp/q/race1" 2>&1 &
p1=$!
"$VLIFT" bench "$tmp/q/s.yaml" -o "$tmp/q/race" -j 1 -q >"$tmp/q/race2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
case "$r1/$r2" in
    0/2|2/0) ;;
    *) fail "racing drivers exited $r1 and $r2: $(cat "$tmp/q/race1" "$tmp/q/race2")" ;;
esac
grep -q "in use by another vlift bench\|already holds results" "$tmp/q/race1" "$tmp/q/race2" ||
    fail "the refused driver did not say why: $(cat "$tmp/q/race1" "$tmp/q/race2")"
expect_eq "rows after the race" "$(csv_rows "$tmp/q/race/results.csv")" 2
expect_eq "distinct after the race" "$(csv_keys "$tmp/q/race/results.csv" | sort -u | wc -l)" 2

# --- endless floods on every channel the driver reads
mkdir -p "$tmp/f"
TOOLS="  - {name: out, command: \"yes {op}\"}
  - {name: err, command: \"sh -c 'yes {op} >&2'\"}
  - {name: events, command: \"sh -c 'yes start synth >&3'\"}" DEFAULTS="{limits: {wall: 1.5}}" \
    fake_suite "$tmp/f/s.yaml" demo <<'EOF2'
one|x|
EOF2
peak_kb=$(python3 - "$VLIFT" "$tmp/f/s.yaml" "$tmp/f/out" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "bench", sys.argv[2], "-o", sys.argv[3], "-j", "3", "-q"], timeout=120)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
csv=$tmp/f/out/results.csv
expect_eq "flood rows" "$(csv_rows "$csv")" 3
python3 - "$csv" <<'PY' || fail "flood statuses"
import csv, sys
rows = {r["tool"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
for tool in ("out", "err", "events"):
    assert rows[tool]["status"] == "TIMEOUT" and "wall-time limit of 1.5 s exceeded" in rows[tool]["message"], rows[tool]
PY
for log in "$tmp"/f/out/logs/*.log; do
    [ "$(stat -c %s "$log")" -lt 9000000 ] || fail "$(basename "$log") not capped"
done
[ "$peak_kb" -lt 262144 ] || fail "the driver reading floods peaked at $peak_kb KiB"

# a limit too small even for meta.yaml: refused with the reason, no lock or work directory left
out=$( (ulimit -f 1; exec "$VLIFT" bench "$tmp/d/s.yaml" -o "$tmp/d/tiny" -q) 2>&1)
rc=$?
expect_eq "exit with no room for meta.yaml" "$rc" 2
expect_contains "meta.yaml: File too large"
[ ! -e "$tmp/d/tiny/.lock" ] && [ ! -e "$tmp/d/tiny/work" ] || fail "tiny: lock or work directory left behind"
finish
