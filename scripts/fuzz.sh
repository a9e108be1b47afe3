#!/usr/bin/env bash
# Runs each libFuzzer target of a fuzz build for a fixed time, one after the other, gently:
# niced, one worker process (-fork=1: a crash, timeout or OOM is recorded and fuzzing goes on
# for the whole time), an RSS limit and a per-input timeout, so a run cannot exhaust the machine.
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS TARGET...
# The corpus grows in BUILD_DIR/corpus/<target>/ (seeded from the directories tests/fuzz/seed-dirs.sh names); crashes,
# timeouts and OOMs are written to BUILD_DIR/crashes/<target>/. A target that finds one stops
# The script exits 1 when any target left an artifact; each target's log is BUILD_DIR/logs/<target>.log.
set -u
build=$1; seconds=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0
for t in "$@"; do
    corpus="$build/corpus/$t"; crashes="$build/crashes/$t"; log="$build/logs/$t.log"
    mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
    echo "fuzz: $t for ${seconds}s"
    nice -n 15 "$build/fuzz_$t" -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
        -ignore_ooms=1 -rss_limit_mb=2048 -timeout=10 -max_len=8192 -print_final_stats=1 -artifact_prefix="$crashes/" \
        "$corpus" $(sh tests/fuzz/seed-dirs.sh "$t") >"$log" 2>&1
    rc=$?
    # fork mode's progress lines: "#<runs>: cov: ... exec/s: ... oom/timeout/crash: a/b/c ..."
    grep -E '^#[0-9]+: cov' "$log" | tail -n 1 | sed "s/^/fuzz: $t: /"
    artifacts=$(find "$crashes" -type f | wc -l)
    if [ $rc -ne 0 ] || [ "$artifacts" -gt 0 ]; then
        echo "fuzz: $t: $artifacts artifact(s) in $crashes/ (exit $rc); see $log"
        grep -E '^==[0-9]+==ERROR|SUMMARY|runtime error' "$log" | sort | uniq -c | head -n 10
        status=1
    fi
done
exit $status
