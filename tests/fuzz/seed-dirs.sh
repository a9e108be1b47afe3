#!/bin/sh
# Prints the seed corpus directories of a fuzz target: its own tests/fuzz/<target>/ where it has
# one, and the inputs the project already keeps for other tests (the parser corpus, the
# hand-written kernels), read in place rather than copied. Used by scripts/fuzz.sh and
# tests/e2e/fuzz_replay.sh. Usage: tests/fuzz/seed-dirs.sh TARGET
case "$1" in
    triton) echo tests/corpus/good tests/corpus/bad tests/kernels ;;
    exec) echo tests/fuzz/exec tests/kernels ;;
    *) echo "tests/fuzz/$1" ;;
esac
