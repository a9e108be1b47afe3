# The CLI contract: --help everywhere, exit 2 on bad usage, clear messages.
. "$(dirname "$0")/lib.inc"
for cmd in parse run spec check-suite bench report compare merge; do
    expect_exit 0 "$VLIFT" "$cmd" --help
    expect_contains "usage: vlift $cmd"
done
expect_exit 0 "$VLIFT" --help
expect_exit 2 "$VLIFT"
expect_exit 2 "$VLIFT" frobnicate
expect_contains "unknown command 'frobnicate'"
expect_exit 2 "$VLIFT" parse
expect_exit 2 "$VLIFT" run tests/kernels/softmax.yaml
expect_exit 2 "$VLIFT" run tests/kernels/softmax.yaml softmax --size N
expect_contains "--size takes NAME=VALUE"
expect_exit 2 "$VLIFT" run tests/kernels/softmax.yaml softmax --size Q=3
expect_contains "has no size 'Q'"
expect_exit 2 "$VLIFT" run tests/kernels/softmax.yaml nosuchop
expect_contains "has no operator 'nosuchop'"
expect_exit 2 "$VLIFT" run tests/kernels/softmax.yaml softmax --variant nosuch
expect_contains "has no variant 'nosuch'"
expect_exit 2 "$VLIFT" run /nonexistent.yaml softmax
expect_exit 2 "$VLIFT" parse /nonexistent.py
expect_contains "/nonexistent.py"
finish
