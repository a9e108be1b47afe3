# vlift compare: exit 1 on a regression (a worse status, any WRONG, a slower median beyond the
# threshold, a missing operator), 0 without, 2 on bad input; success rates side by side. Also
# checks the committed reference run and scripts/nightly.sh against it.
. "$(dirname "$0")/bench_lib.inc"
mk() {   # mk NAME < suite lines: a run of the fake tool named NAME
    fake_suite "$tmp/$1/s.yaml" demo
    "$VLIFT" bench "$tmp/$1/s.yaml" -o "$tmp/$1/run" -j 4 -q --grace 0.1 || fail "bench $1"
}
mk old <<'EOF2'
stays|x|result VERIFIED
degrades|x|result VERIFIED
to_lifted|x|result VERIFIED
slower|x|sleep 0.8 result LIFTED
fast_noise|x|result LIFTED
improves|x|crash SEGV
gone|x|result VERIFIED
EOF2
mk new <<'EOF2'
stays|x|result VERIFIED
degrades|x|stage synth 5|limits: {synth: 0.1}
to_lifted|x|result LIFTED
slower|x|sleep 2 result LIFTED
fast_noise|x|sleep 0.2 result LIFTED
improves|x|result VERIFIED
added|x|result LIFTED
EOF2
# (--min-time 0.5: the 0.2 s of fast_noise stays below it even on a loaded machine)
expect_exit 1 "$VLIFT" compare "$tmp/old/run" "$tmp/new/run" --min-time 0.5
expect_contains "demo/degrades fake/default: status VERIFIED -> TIMEOUT (synth)"
expect_contains "demo/to_lifted fake/default: status VERIFIED -> LIFTED"
expect_contains "demo/slower fake/default: time 0.8"
expect_contains "demo/gone fake/default: missing from the new run (was VERIFIED)"
expect_contains "demo/improves fake/default: status CRASH -> VERIFIED"
expect_contains "demo/added fake/default: new (LIFTED)"
expect_contains "4 regressions, 1 improvement, 1 new"
expect_contains "fake/default                 4 + 2 of 7 (86%)       2 + 4 of 7 (86%)"
case "$out" in *fast_noise*) fail "a change below --min-time was reported";; esac
case "$out" in *"demo/stays"*) fail "an unchanged operator was reported";; esac
# a larger threshold forgives the slower operator; a smaller min-time reports the noise
expect_exit 1 "$VLIFT" compare "$tmp/old/run" "$tmp/new/run" --time-threshold 100 --min-time 0.5
expect_contains "3 regressions"
expect_exit 1 "$VLIFT" compare "$tmp/old/run" "$tmp/new/run" --min-time 0 --time-threshold 1.5
expect_contains "demo/fast_noise"
# the same run: no regression; a CSV file works as well as its directory
expect_exit 0 "$VLIFT" compare "$tmp/old/run" "$tmp/old/run/results.csv"
expect_contains "0 regressions"
# WRONG is always a regression, even from a failure
mk w1 <<'EOF2'
a|x|crash SEGV
EOF2
mk w2 <<'EOF2'
a|x|result WRONG
EOF2
expect_exit 1 "$VLIFT" compare "$tmp/w1/run" "$tmp/w2/run"
expect_contains "status CRASH -> WRONG"
# bad input
expect_exit 2 "$VLIFT" compare "$tmp/old/run"
expect_exit 2 "$VLIFT" compare "$tmp/old/run" "$tmp/nonexistent"
expect_exit 2 "$VLIFT" compare "$tmp/old/run" "$tmp/new/run" --time-threshold 0.5
expect_exit 2 "$VLIFT" compare "$tmp/old/run" "$tmp/new/run" --min-time abc
expect_exit 2 "$VLIFT" compare a b c

# the committed reference run is a valid run (the full FlagGems suite: too long to rerun here)
[ -s results/reference/results.csv ] && [ -s results/reference/meta.yaml ] || fail "no committed reference run"
expect_exit 0 "$VLIFT" compare results/reference results/reference
# the nightly script against a small reference made here: same jobs, no regression; timings are
# not judged (COMPARE_ARGS) because this machine's load is not under the test's control
"$VLIFT" bench tests/kernels/softmax.yaml -o "$tmp/ref" -q --tools vlift/full >/dev/null 2>&1 || fail "reference bench"
expect_exit 0 env VLIFT="$VLIFT" REFERENCE="$tmp/ref" NIGHTLY_DIR="$tmp/nightly" COMPARE_ARGS="--time-threshold 1000" \
    bash scripts/nightly.sh --tools vlift/full
expect_contains "0 regressions"
[ -s "$tmp/nightly/results.csv" ] && [ -s "$tmp/nightly/tables/main.md" ] || fail "nightly run or report missing"
finish
