# The harness's command line: --help, usage errors (exit 2), malformed manifests reported as
# file:line:col, filters, dry runs, combining manifests, the progress display.
. "$(dirname "$0")/bench_lib.inc"
for cmd in bench report compare merge; do
    expect_exit 0 "$VLIFT" $cmd --help
    expect_contains "usage: vlift $cmd"
done
expect_exit 0 "$VLIFT" --help
expect_contains "bench SUITE.yaml"
expect_exit 2 "$VLIFT" bench
expect_contains "expected at least one SUITE.yaml"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --frobnicate
expect_contains "unknown option '--frobnicate'"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml -j 0
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml -j
expect_contains "-j needs a value"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --limit synth=-3
expect_contains "limit 'synth' must be a positive number"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --limit sinth=3
expect_contains "unknown limit 'sinth'"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --shard 2/2
expect_contains "--shard takes i/n"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --reps 0
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --ops nosuchop --dry-run
expect_contains "--ops: no operator 'nosuchop'"
expect_exit 2 "$VLIFT" bench tests/kernels/softmax.yaml --tools vlift/nosuch --dry-run
expect_contains "--tools: no tool 'vlift/nosuch'"
expect_exit 2 "$VLIFT" bench /nonexistent.yaml
expect_contains "/nonexistent.yaml"

# malformed YAML and bad harness keys: file:line:col, exit 2, nothing written
printf 'suite: x\noperators: [\n  {name: a\n' >"$tmp/syntax.yaml"
expect_exit 2 "$VLIFT" bench "$tmp/syntax.yaml" -o "$tmp/never"
case "$out" in "$tmp/syntax.yaml:"[0-9]*:[0-9]*": "*) ;; *) fail "no file:line:col in: $out";; esac
[ ! -e "$tmp/never" ] || fail "a results directory was created for a bad manifest"
DEFAULTS="{limits: {synth: 10, walll: 5}}" fake_suite "$tmp/bad.yaml" demo <<'EOF2'
a|x|result VERIFIED
EOF2
expect_exit 2 "$VLIFT" bench "$tmp/bad.yaml"
expect_contains "$tmp/bad.yaml:3:32: unknown key 'walll' in 'limits' of 'defaults' of suite"
expect_contains "did you mean 'wall'?"
TOOLS="  - {name: t, command: \"x {kernal_file}\"}" fake_suite "$tmp/bad2.yaml" demo <<'EOF2'
a|x|result VERIFIED
EOF2
expect_exit 2 "$VLIFT" bench "$tmp/bad2.yaml"
expect_contains "$tmp/bad2.yaml:4:27: key 'command' in tool 't': unknown placeholder '{kernal_file}'"
expect_exit 2 "$VLIFT" bench tests/manifests/example.yaml
expect_contains "tests/manifests/example.yaml:6:12: unknown key 'timeout'"

# the job list: tools x configs x ops x reps, ordered; filters; limits resolved per job
TOOLS="  - {name: fake, command: \"$FAKE result VERIFIED\", config: [c1, c2]}
  - {name: alt, command: \"$FAKE result LIFTED\", reps: 2}" fake_suite "$tmp/a/s.yaml" alpha <<'EOF2'
mm|matmul|
add|elementwise||reps: 3
EOF2
fake_suite "$tmp/b/s.yaml" beta <<'EOF2'
mm|matmul|result VERIFIED
EOF2
expect_exit 0 "$VLIFT" bench "$tmp/a/s.yaml" "$tmp/b/s.yaml" --dry-run
expect_eq "job list" "$out" "0 alpha__add__alt__default__1
1 alpha__add__alt__default__2
2 alpha__add__alt__default__3
3 alpha__add__fake__c1__1
4 alpha__add__fake__c1__2
5 alpha__add__fake__c1__3
6 alpha__add__fake__c2__1
7 alpha__add__fake__c2__2
8 alpha__add__fake__c2__3
9 alpha__mm__alt__default__1
10 alpha__mm__alt__default__2
11 alpha__mm__fake__c1__1
12 alpha__mm__fake__c2__1
13 beta__mm__fake__default__1"
expect_exit 0 "$VLIFT" bench "$tmp/a/s.yaml" "$tmp/b/s.yaml" --dry-run --ops beta/mm,add --tools fake/c2,fake/default --reps 1
expect_eq "filtered" "$out" "0 alpha__add__fake__c2__1
1 beta__mm__fake__default__1"
expect_exit 2 "$VLIFT" bench "$tmp/b/s.yaml" "$tmp/b/s.yaml" --dry-run
expect_contains "operator 'mm' of suite 'beta' is defined in both"

# combining two manifests in one run
expect_exit 0 "$VLIFT" bench "$tmp/a/s.yaml" "$tmp/b/s.yaml" -o "$tmp/both" --reps 1 -j 2
expect_eq "rows of a combined run" "$(csv_rows "$tmp/both/results.csv")" 7
expect_contains "[7/7] "

# the progress line on a terminal (when `script` can give us one)
if command -v script >/dev/null 2>&1; then
    script -qec "$VLIFT bench $tmp/b/s.yaml -o $tmp/tty" /dev/null >"$tmp/tty.out" 2>&1
    grep -q "\[1/1\] verified 1, lifted 0, failed 0, elapsed 00:00, ETA 00:00" "$tmp/tty.out" || fail "no progress line on a terminal: $(cat "$tmp/tty.out")"
fi
finish
