# vlift bench with the fake tool as an external tool: every status, the stage a timeout names,
# crashes, a memory blow-up, a flood of output, a tool that ignores SIGTERM, a child that
# outlives its tool, an output rule with regexes, a missing tool, and the built-in tool with the
# lifter as it stands. Also checks the columns, the logs and the meta.yaml of the run.
. "$(dirname "$0")/bench_lib.inc"
marker=$tmp/orphan_marker
fake_suite "$tmp/s.yaml" demo <<EOF2
verified|reduction|stage symexec 0.05 stage synth 0.1 result VERIFIED "y[i] = x[i]"
lifted|reduction|result LIFTED
refuted|scan|result REFUTED exit 1
wrong|scan|result WRONG
unsupported|scan|out "{\\"status\\": \\"UNSUPPORTED\\", \\"message\\": \\"atomic_cas at k.py:3\\"}"
synth_timeout|scan|stage symexec 0.05 stage synth 30 result VERIFIED|limits: {synth: 0.4}
wall_timeout|scan|sleep 30|limits: {wall: 0.6}
reentered|scan|stage verify 0.5 stage verify 0.5 stage verify 0.5 result VERIFIED|limits: {verify: 0.8}
deaf|scan|ignore-term start verify sleep 30|limits: {wall: 0.4}
segv|scan|err "about to crash" crash SEGV
abort|scan|start synth crash ABRT
oom|scan|alloc 4000|limits: {memory_mb: 128}
flood|scan|flood 40
orphan|scan|orphan 1 $marker result VERIFIED
garbage|scan|garbage
fails|scan|err "first line" err "bad input: no such kernel" exit 2
silent|scan|exit 3
EOF2
expect_exit 0 "$VLIFT" bench "$tmp/s.yaml" -o "$tmp/out" -j 4 --grace 0.3
expect_contains "17 jobs done"
csv=$tmp/out/results.csv
expect_eq "rows" "$(csv_rows "$csv")" 17
st() { csv_field "$csv" "$1" status; }
expect_eq verified "$(st verified)" VERIFIED
expect_eq lifted "$(st lifted)" LIFTED
expect_eq refuted "$(st refuted)" REFUTED
expect_eq wrong "$(st wrong)" WRONG
expect_eq unsupported "$(st unsupported)" UNSUPPORTED
expect_eq "unsupported message" "$(csv_field "$csv" unsupported message)" "atomic_cas at k.py:3"
expect_eq synth_timeout "$(st synth_timeout)/$(csv_field "$csv" synth_timeout stage)" TIMEOUT/synth
expect_eq wall_timeout "$(st wall_timeout)/$(csv_field "$csv" wall_timeout stage)" TIMEOUT/wall
# a stage entered three times (as once per variant): its limit bounds the total, not each entry
expect_eq reentered "$(st reentered)/$(csv_field "$csv" reentered stage)" TIMEOUT/verify
expect_eq deaf "$(st deaf)/$(csv_field "$csv" deaf stage)" TIMEOUT/wall
expect_eq segv "$(st segv)" CRASH
expect_eq abort "$(st abort)/$(csv_field "$csv" abort stage)" CRASH/synth
expect_eq oom "$(st oom)" OUT_OF_MEMORY
expect_eq flood "$(st flood)" ERROR
expect_eq orphan "$(st orphan)" VERIFIED
expect_eq garbage "$(st garbage)" ERROR
expect_eq fails "$(st fails)" ERROR
expect_eq silent "$(st silent)" ERROR
case "$(csv_field "$csv" segv message)" in *"signal 11 (SIGSEGV)"*"about to crash"*) ;; *) fail "segv message: $(csv_field "$csv" segv message)";; esac
expect_eq "fails message" "$(csv_field "$csv" fails message)" "bad input: no such kernel"
expect_eq "silent message" "$(csv_field "$csv" silent message)" "exit status 3 without a result"
case "$(csv_field "$csv" synth_timeout message)" in *"synth exceeded its limit of 0.4 s"*) ;; *) fail "timeout message";; esac
case "$(csv_field "$csv" oom message)" in *"memory limit of 128 MiB"*) ;; *) fail "oom message: $(csv_field "$csv" oom message)";; esac

# times: the timed-out stage ran about its limit; a tool deaf to SIGTERM dies by SIGKILL after the grace period
python3 - "$csv" <<'PY' || fail "times"
import csv, sys
rows = {r["op"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
def t(op, col): return float(rows[op][col])
assert 0.35 <= t("synth_timeout", "t_synth") <= 1.5, rows["synth_timeout"]
assert 0.6 <= t("wall_timeout", "t_total") <= 2.0, rows["wall_timeout"]
assert 0.75 <= t("reentered", "t_verify") <= 1.4, rows["reentered"]   # 0.8 s over two entries
assert 0.65 <= t("deaf", "t_total") <= 2.0, rows["deaf"]          # 0.4 s limit + 0.3 s grace
assert rows["verified"]["t_synth"] == "0.0200"                    # the tool's own JSON times win
assert rows["verified"]["formula"] == "y[i] = x[i]" and rows["verified"]["blocks"] == "symbolic"
assert rows["verified"]["candidates"] == "12" and rows["verified"]["matches_expected"] == "yes"
assert int(rows["oom"]["peak_rss_kb"]) > 100000
for r in rows.values():
    assert r["run_id"] == "out" and r["suite"] == "demo" and r["tool"] == "fake" and r["config"] == "default" and r["rep"] == "1"
    assert float(r["t_total"]) >= 0
PY

# logs: the flood is capped with a note; exit details at the end
[ "$(stat -c %s "$tmp/out/logs/demo__flood__fake__default__1.log")" -lt 9000000 ] || fail "flood log not capped"
grep -q "log truncated" "$tmp/out/logs/demo__flood__fake__default__1.log" || fail "no truncation note"
grep -q "killed by signal 11 (SIGSEGV)" "$tmp/out/logs/demo__segv__fake__default__1.log" || fail "segv log"
grep -q "^# wall .* cpu .* peak rss" "$tmp/out/logs/demo__verified__fake__default__1.log" || fail "log footer"
grep -q "^# command: .*fake_tool --script .*verified.py --op verified" "$tmp/out/logs/demo__verified__fake__default__1.log" || fail "log command"
[ ! -e "$tmp/out/.lock" ] || fail "lock left behind"
[ ! -e "$tmp/out/work" ] || fail "work directory left behind"

# meta.yaml: versions, host, hashes
for key in 'run_id: "out"' 'state: "complete"' 'git_revision:' 'z3:' 'libyaml: "0.' 'gnuplot:' 'cores:' 'memory_mb:' \
           'sha256: "' 'args: [' 'end_time: "'; do
    grep -qF "$key" "$tmp/out/meta.yaml" || fail "meta.yaml lacks $key"
done
grep -q "$(sha256sum "$tmp/s.yaml" | cut -c1-64)" "$tmp/out/meta.yaml" || fail "manifest hash"
grep -q "$(sha256sum "$tmp/k/oom.py" | cut -c1-64)" "$tmp/out/meta.yaml" || fail "kernel hash"

# the child that outlived its tool was killed with the process group
sleep 1.3
[ ! -e "$marker" ] || fail "an orphan of the tool survived its job"

# an output rule with regexes; a tool that does not exist; per-tool config labels
TOOLS="  - name: rx
    command: \"$FAKE out 'log: starting' out 'RESULT: ok' out 'FORMULA: y[i] = x[i]' out 'NOTE: fine'\"
    output: {status_regex: '^RESULT: (\\w+)', status_map: {ok: VERIFIED}, formula_regex: '^FORMULA: (.*)\$', message_regex: '^NOTE: (.*)\$'}
  - {name: ghost, command: \"no-such-tool-anywhere {op}\", config: [a, b]}" fake_suite "$tmp/r/s.yaml" rules <<'EOF2'
one|x|
EOF2
expect_exit 0 "$VLIFT" bench "$tmp/r/s.yaml" -o "$tmp/r/out" -j 2
expect_eq "rows" "$(csv_rows "$tmp/r/out/results.csv")" 3
python3 - "$tmp/r/out/results.csv" <<'PY' || fail "regex rule / NOT_RUN"
import csv, sys
rows = {(r["tool"], r["config"]): r for r in csv.DictReader(open(sys.argv[1], newline=""))}
r = rows[("rx", "default")]
assert (r["status"], r["formula"], r["message"], r["matches_expected"]) == ("VERIFIED", "y[i] = x[i]", "fine", "yes"), r
for c in "ab":
    g = rows[("ghost", c)]
    assert g["status"] == "NOT_RUN" and "command 'no-such-tool-anywhere' not found" in g["message"], g
PY

# the built-in tool with the lifter as it stands
expect_exit 0 "$VLIFT" bench tests/kernels/verify_cases.yaml --ops scale -o "$tmp/builtin" -q
# The built-in tool is vlift lift itself: the kernel is lifted and verified, and the row carries
# the formula, the blocks column, the SMT queries and the stage times from its JSON.
[ "$(csv_field "$tmp/builtin/results.csv" scale status)" = VERIFIED ] || fail "builtin status: $(csv_field "$tmp/builtin/results.csv" scale status)"
[ "$(csv_field "$tmp/builtin/results.csv" scale blocks)" = symbolic ] || fail "builtin blocks"
case "$(csv_field "$tmp/builtin/results.csv" scale formula)" in *"y[i] = "*) ;; *) fail "builtin formula";; esac
case "$(csv_field "$tmp/builtin/results.csv" scale smt_queries)" in ""|0) fail "builtin smt_queries";; esac
grep -q "lift tests/kernels/verify_cases.yaml scale --config full --json" "$tmp/builtin/logs/test-verify__scale__vlift__full__1.log" ||
    fail "builtin command line"
finish
