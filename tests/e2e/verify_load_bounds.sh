#!/bin/sh
# vlift verify, load bounds of 2-D tensors (src/verify/postcond.c, layout_split_offset): a row
# sum whose K loop loads unmasked tiles is VERIFIED when K is a multiple of the tile (the bound
# is proved per dimension, with the divisibility precondition as a factorization of K), and
# must NOT be verified without that precondition (the last row's last tile reads past the
# storage: the per-dimension parts fail and so does the whole goal). A copy that reads a 2-D
# tensor through flat offsets (no per-dimension split holds: the column index exceeds N) is
# still VERIFIED through the whole-goal fallback.
. "$(dirname "$0")/lib.inc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/k"
cat > "$dir/k/rowsum.py" <<'PY'
import triton
import triton.language as tl


@triton.jit
def rowsum_kernel(X, Y, M, K, BLOCK_K: tl.constexpr):
    pid = tl.program_id(0)
    acc = tl.zeros([BLOCK_K], dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        cols = k * BLOCK_K + tl.arange(0, BLOCK_K)
        acc += tl.load(X + pid * K + cols)
    tl.store(Y + pid, tl.sum(acc, axis=0))


@triton.jit
def flat_copy_kernel(X, Y, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(Y + offs, tl.load(X + offs, mask=mask), mask=mask)
PY
cat > "$dir/suite.yaml" <<'YAML'
suite: load_bounds_test
source_root: k
operators:
  - name: rowsum
    category: reduction
    source: rowsum.py
    sizes: {M: 3, K: 8}
    tensors:
      x: {shape: [M, K], role: input}
      y: {shape: [M], role: output}
    expected: "y[i] = sum(k in 0..K: x[i,k])"
    check_sizes: {M: [1, 3], K: [4, 8]}
    variants:
      - name: even
        constexprs: {BLOCK_K: 4}
        preconditions: ["K % BLOCK_K == 0"]
        launches:
          - kernel: rowsum_kernel
            grid: [M]
            args: {X: x, Y: y}
  - name: rowsum_unguarded
    category: reduction
    source: rowsum.py
    sizes: {M: 3, K: 8}
    tensors:
      x: {shape: [M, K], role: input}
      y: {shape: [M], role: output}
    expected: "y[i] = sum(k in 0..K: x[i,k])"
    check_sizes: {M: [1, 3], K: [4, 8]}
    variants:
      - name: any_k
        constexprs: {BLOCK_K: 4}
        launches:
          - kernel: rowsum_kernel
            grid: [M]
            args: {X: x, Y: y}
  - name: flat_copy
    category: elementwise
    source: rowsum.py
    sizes: {M: 3, N: 5}
    tensors:
      x: {shape: [M, N], role: input}
      y: {shape: [M, N], role: output}
    expected: "y[i,j] = x[i,j]"
    check_sizes: {M: [1, 3], N: [1, 5]}
    variants:
      - name: flat
        constexprs: {BLOCK: 4}
        launches:
          - kernel: flat_copy_kernel
            grid: ["cdiv(M * N, BLOCK)"]
            args: {X: x, Y: y, n: "M * N"}
YAML

expect_exit 0 "$VLIFT" verify "$dir/suite.yaml" rowsum --json
expect_contains '"status": "VERIFIED"'
expect_contains '"blocks": "symbolic"'

"$VLIFT" verify "$dir/suite.yaml" rowsum_unguarded --json > "$dir/out" 2>&1
out=$(cat "$dir/out")
case "$out" in
    *'"status": "VERIFIED"'*) fail "an unmasked K loop without K % BLOCK_K == 0 was VERIFIED: $out" ;;
    *'"status": "REFUTED"'*'out-of-bounds load'*|*'load-bounds'*) ;;
    *) fail "the unguarded row sum did not fail on its load bounds: $out" ;;
esac
[ -n "${VERBOSE:-}" ] && echo "$out"

expect_exit 0 "$VLIFT" verify "$dir/suite.yaml" flat_copy --json
expect_contains '"status": "VERIFIED"'
finish
