#!/bin/sh
# vlift verify on a running argmax (a tiled loop keeping the best value and its index): the kernel
# that keeps the FIRST index of the maximum is VERIFIED against argmax (first extremal index);
# the same kernel keeping the LAST index (>= instead of >) must not be, nor one whose index is
# off by one (the pattern applies, the post-condition must fail).
. "$(dirname "$0")/lib.inc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/k"
cat > "$dir/k/argmax.py" <<'PY'
import triton
import triton.language as tl


@triton.jit
def argmax_kernel(inp, out_index, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    rows = pid * BLOCK_M + tl.arange(0, BLOCK_M)
    best_value = tl.full([BLOCK_M], value=-float("inf"), dtype=tl.float32)
    best_index = tl.zeros([BLOCK_M], dtype=tl.int64)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)
        mask = rows[:, None] < M and cols[None, :] < N
        tile = tl.load(inp + rows[:, None] * N + cols[None, :], mask=mask, other=-float("inf"))
        tile_value, tile_index = tl.max(tile, axis=1, return_indices=True)
        better = tile_value CMP best_value
        best_value = tl.where(better, tile_value, best_value)
        best_index = tl.where(better, start + tile_index, best_index)
    tl.store(out_index + rows, best_index, mask=rows < M)
PY
cat > "$dir/suite.yaml" <<'YAML'
suite: argmax_test
source_root: k
operators:
  - name: argmax
    category: reduction
    source: argmax.py
    sizes: {M: 3, N: 9}
    tensors:
      x: {shape: [M, N], role: input}
      idx: {shape: [M], role: output, dtype: int64}
    expected: "idx[i] = argmax(k in 0..N: x[i,k])"
    check_sizes: {M: [1, 3], N: [1, 5, 9]}
    variants:
      - name: tiled
        constexprs: {BLOCK_M: 2, BLOCK_N: 4}
        launches:
          - kernel: argmax_kernel
            grid: ["cdiv(M, BLOCK_M)"]
            args: {inp: x, out_index: idx}
YAML
sed 's/ CMP / > /' "$dir/k/argmax.py" > "$dir/k/first.py" && mv "$dir/k/first.py" "$dir/k/argmax.py.first"
sed 's/ CMP / >= /' "$dir/k/argmax.py" > "$dir/k/argmax.py.last"
sed 's/ CMP / > /; s/start + tile_index/start + tile_index + 1/' "$dir/k/argmax.py" > "$dir/k/argmax.py.off"

cp "$dir/k/argmax.py.first" "$dir/k/argmax.py"
expect_exit 0 "$VLIFT" verify "$dir/suite.yaml" argmax --json
expect_contains '"status": "VERIFIED"'
expect_contains '"blocks": "symbolic"'

cp "$dir/k/argmax.py.last" "$dir/k/argmax.py"
"$VLIFT" verify "$dir/suite.yaml" argmax --json > "$dir/out" 2>&1
out=$(cat "$dir/out")
case "$out" in
    *'"status": "VERIFIED"'*) fail "the last-index argmax was VERIFIED against a first-index formula: $out" ;;
    *'"status": "'*) ;;
    *) fail "no status for the last-index argmax: $out" ;;
esac
[ -n "${VERBOSE:-}" ] && echo "$out"

cp "$dir/k/argmax.py.off" "$dir/k/argmax.py"
"$VLIFT" verify "$dir/suite.yaml" argmax --json > "$dir/out" 2>&1
out=$(cat "$dir/out")
case "$out" in
    *'"status": "REFUTED"'*|*'"status": "UNKNOWN"'*) ;;
    *) fail "the off-by-one argmax index was not refuted: $out" ;;
esac
[ -n "${VERBOSE:-}" ] && echo "$out"
finish
