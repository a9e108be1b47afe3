#!/usr/bin/env bash
# Replays every fuzz target's seed corpus (tests/fuzz/seed-dirs.sh TARGET) and regression inputs
# (tests/fuzz/regressions/<target>/: inputs that once crashed a target) through the target built
# with the normal compiler (fuzz_replay_<target>, next to $VLIFT). Any crash, sanitizer abort or
# hang fails the test; no libFuzzer or clang is needed.
. "$(dirname "$0")/lib.inc"
bin=$(dirname "$VLIFT")
for t in triton manifest formula exec; do
    replay="$bin/fuzz_replay_$t"
    if [ ! -x "$replay" ]; then fail "$replay not built"; continue; fi
    read -r -a dirs <<<"$(sh tests/fuzz/seed-dirs.sh "$t")"
    if [ -d "tests/fuzz/regressions/$t" ]; then dirs+=("tests/fuzz/regressions/$t"); fi
    expect_exit 0 timeout 300 "$replay" "${dirs[@]}"
    expect_contains "replay: "
done
finish
