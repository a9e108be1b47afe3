# vlift parse through the CLI: every file of the good corpus parses (exit 0, at least one
# kernel), every file of the bad corpus fails with exit 2 at the position its first line states.
. "$(dirname "$0")/lib.inc"
for f in tests/corpus/good/*.py; do
    expect_exit 0 "$VLIFT" parse "$f"
    expect_contains "def "
done
for f in tests/corpus/bad/*.py; do
    want=$(head -1 "$f" | sed -n 's/^# error: *\([0-9]*:[0-9]*\).*/\1/p')
    [ -n "$want" ] || { fail "$f has no '# error: LINE:COL' line"; continue; }
    expect_exit 2 "$VLIFT" parse "$f"
    expect_contains "$f:$want: "
done
# A real kernel file: aliases, constants and the decorator stack are reported.
expect_exit 0 "$VLIFT" parse tests/kernels/softmax.py
expect_contains "import tl = triton.language"
expect_contains "@triton.heuristics(...)"
finish
