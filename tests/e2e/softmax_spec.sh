# Symbolic execution of softmax: the one-tile path gives the max-subtracted textbook terms, and
# the online path folds its -inf guard away when the row fits one partial tile.
. "$(dirname "$0")/lib.inc"
expect_exit 0 "$VLIFT" spec tests/kernels/softmax.yaml softmax --size M=1 --size N=3 --variant one_tile
expect_contains "%1 = max(x[0,2], max(x[0,0], x[0,1]))"
expect_contains "y[0,0] = %2 / %5"
one_tile=$out
expect_exit 0 "$VLIFT" spec tests/kernels/softmax.yaml softmax --size M=1 --size N=3 --variant online
[ "$(echo "$out" | tail -n +2)" = "$(echo "$one_tile" | tail -n +2)" ] || fail "online spec at N=3 differs from the one-tile spec"
# Several tiles: the rescaled normaliser appears, and every row element is an output.
expect_exit 0 "$VLIFT" spec tests/kernels/softmax.yaml softmax --size M=2 --size N=6 --variant online
expect_contains "exp(max(x[0,0], x[0,4]) - %"
expect_contains "y[1,5] = "
# Concrete runs of both paths agree.
expect_exit 0 "$VLIFT" run tests/kernels/softmax.yaml softmax --size M=3 --size N=37
expect_contains "agrees with softmax/one_tile: max relative difference"
# A violated precondition is a manifest-positioned error.
expect_exit 2 "$VLIFT" run tests/kernels/softmax.yaml softmax --variant one_tile_fixed --size N=9
expect_contains "tests/kernels/softmax.yaml:$(grep -n 'TILE_N >= N' tests/kernels/softmax.yaml | tail -1 | cut -d: -f1):"
expect_contains "precondition 'TILE_N >= N' of variant 'one_tile_fixed' does not hold (M=4, N=9, TILE_N=8"
finish
