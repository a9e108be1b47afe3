#!/bin/sh
# vlift verify, constexprs whose value is a condition on the sizes (src/verify/verify.c,
# run_cases): EVEN = "n % BLOCK == 0" selects an unmasked or a masked path, as FlagGems' EVEN_K
# does. The proof runs once per value, with the condition (or its negation) as a hypothesis:
# the copy is VERIFIED, and both cases are counted. A wrong condition (n % 2 == 0 lets the
# unmasked path run when the last block is partial) must NOT verify: the case EVEN = True
# loads past the input.
. "$(dirname "$0")/lib.inc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/k"
cat > "$dir/k/copy.py" <<'PY'
import triton
import triton.language as tl


@triton.jit
def copy_kernel(X, Y, n, BLOCK: tl.constexpr, EVEN: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    if EVEN:
        tl.store(Y + offs, tl.load(X + offs))
    else:
        mask = offs < n
        tl.store(Y + offs, tl.load(X + offs, mask=mask), mask=mask)
PY
for cond in "n % BLOCK == 0" "n % 2 == 0"; do
    name=$( [ "$cond" = "n % BLOCK == 0" ] && echo right || echo wrong )
    cat > "$dir/$name.yaml" <<YAML
suite: constexpr_cases_test
source_root: k
operators:
  - name: copy
    category: elementwise
    source: copy.py
    sizes: {n: 12}
    tensors:
      x: {shape: [n], role: input}
      y: {shape: [n], role: output}
    expected: "y[i] = x[i]"
    check_sizes: {n: [4, 12]}
    variants:
      - name: heuristic
        constexprs: {BLOCK: 4, EVEN: "$cond"}
        launches:
          - kernel: copy_kernel
            grid: ["cdiv(n, BLOCK)"]
            args: {X: x, Y: y}
YAML
done
expect_exit 0 "$VLIFT" verify "$dir/right.yaml" copy --json --timeout-verify 60
expect_contains '"status": "VERIFIED"'
expect_contains '"blocks": "symbolic"'
vcs=$(echo "$out" | sed -n 's/.*"vcs": \([0-9]*\).*/\1/p')
[ "${vcs:-0}" -ge 6 ] || fail "both cases should count their VCs, got vcs=$vcs"
expect_exit 1 "$VLIFT" verify "$dir/wrong.yaml" copy --timeout-verify 60
expect_contains "when EVEN = True"
case "$out" in *VERIFIED*) fail "a wrong EVEN condition was verified: $out" ;; esac
finish
