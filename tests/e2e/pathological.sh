# Pathological kernels, formulas and manifests, generated here at run time: each ends with a
# clear file:line:col message (or succeeds) within bounded memory, never with a stack overflow,
# a runaway loop or an exhausted machine.
#   - expressions nested 10^5 deep (brackets, unary minus, binary chains, calls, subscripts,
#     conditional expressions) in a kernel, in a manifest expression and in a formula;
#   - a huge constant loop and an endless while loop (interpreter memory/step limits);
#   - huge blocks (a 2^30-lane arange; a 2^24-lane block re-created in a loop);
#   - recursion between jitted functions (call depth limit);
#   - manifests of 10^5 operators, in block style and on one flow-style line (linear time
#     and memory), and one expression of 10^5 operators.
. "$(dirname "$0")/lib.inc"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vlift-patho.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# bounded MAX_MB CMD...: runs CMD (at most 300 s) with its output in $out and its exit status in
# $rc; fails when its peak resident memory exceeds MAX_MB MiB.
bounded() {
    local max_mb=$1; shift
    local res
    res=$(python3 - "$tmp/out.txt" "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[1], "wb") as f:
    try:
        rc = subprocess.run(sys.argv[2:], stdout=f, stderr=subprocess.STDOUT, timeout=300).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
)
    rc=${res% *}
    local mb=${res#* }
    out=$(head -c 2000 "$tmp/out.txt")
    [ "$mb" -le "$max_mb" ] || fail "'$*' used $mb MiB (bound $max_mb MiB)"
    [ "$rc" != timeout ] || fail "'$*' did not finish in 300 s"
}
expect_rc() { [ "$rc" = "$1" ] || fail "$2: exit $rc, expected $1; output: $(echo "$out" | head -3)"; }

# --- deep nesting in a kernel: the parser's depth limit, at the position where it is reached
python3 - "$tmp" <<'PY'
import sys
d, n = sys.argv[1], 100000
head = "import triton\n@triton.jit\ndef k(x, y, N):\n    a = "
cases = {
    "paren": "(" * n + "1" + ")" * n, "unary": "-" * n + "1", "chain": "1 + " * n + "1",
    "power": "2 ** " * n + "1", "call": "f(" * n + ")" * n, "subscript": "x" + "[0]" * n,
    "ifexp": "1 if x else " * n + "2", "not": "not " * n + "x", "list": "[" * n + "]" * n,
}
for name, expr in cases.items():
    open(f"{d}/deep_{name}.py", "w").write(head + expr + "\n")
# 2000 nested blocks
open(f"{d}/deep_blocks.py", "w").write("import triton\n@triton.jit\ndef k(x, y, N):\n" +
    "".join("    " * (i + 1) + "if x:\n" for i in range(2000)) + "    " * 2001 + "pass\n")
PY
for f in "$tmp"/deep_*.py; do
    bounded 512 "$VLIFT" parse "$f"
    expect_rc 2 "$f"
    case "$out" in
        "$f:"[0-9]*:[0-9]*": expression nested too deeply"*|"$f:"[0-9]*:[0-9]*": too many levels of indentation"*) ;;
        *) fail "$(basename "$f"): $out" ;;
    esac
done

# --- kernels that run away, and a suite to run them
cat >"$tmp/k.py" <<'PY'
import triton
import triton.language as tl

@triton.jit
def const_loop(x, y, N):
    acc = 0
    for i in range(1000000000000):
        acc += i
    tl.store(y, acc)

@triton.jit
def endless(x, y, N):
    i = 0
    while i >= 0:
        i += 1

@triton.jit
def huge_arange(x, y, N):
    a = tl.arange(0, 1 << 30)
    tl.store(y + a, a, mask=a < N)

@triton.jit
def big_blocks(x, y, N):
    acc = tl.zeros([1 << 12, 1 << 12], dtype=tl.float32)
    for i in range(100):
        acc += 1.0
    tl.store(y, tl.sum(tl.sum(acc, 1), 0))

@triton.jit
def ping(n):
    return pong(n + 1)

@triton.jit
def pong(n):
    return ping(n + 1)

@triton.jit
def mutual(x, y, N):
    tl.store(y, ping(0))

@triton.jit
def copy(x, y, N):
    o = tl.arange(0, 4)
    tl.store(y + o, tl.load(x + o, mask=o < N), mask=o < N)
PY
{
    echo "suite: patho"
    echo "operators:"
    for k in const_loop endless huge_arange big_blocks mutual copy; do
        echo "  - {name: $k, category: x, source: k.py, sizes: {N: 4}, tensors: {x: {shape: [N], role: input}, y: {shape: [N], role: output}}, launches: [{kernel: $k, grid: [1]}]}"
    done
} >"$tmp/s.yaml"
line_of() { grep -n "$1" "$tmp/k.py" | head -1 | cut -d: -f1; }

bounded 2048 "$VLIFT" run "$tmp/s.yaml" const_loop
expect_rc 1 const_loop
expect_contains "$tmp/k.py:$(line_of 'for i in range(1000000000000)'):"
expect_contains "memory limit of 1024 MiB of one program instance exceeded"
bounded 2048 "$VLIFT" run "$tmp/s.yaml" endless
expect_rc 1 endless
expect_contains "memory limit of 1024 MiB of one program instance exceeded"
bounded 512 "$VLIFT" run "$tmp/s.yaml" huge_arange
expect_rc 1 huge_arange
expect_contains "$tmp/k.py:$(line_of 'a = tl.arange(0, 1 << 30)'):"
expect_contains "arange of 1073741824 lanes is too large"
bounded 2048 "$VLIFT" run "$tmp/s.yaml" big_blocks
expect_rc 1 big_blocks
expect_contains "memory limit of 1024 MiB of one program instance exceeded"
bounded 512 "$VLIFT" run "$tmp/s.yaml" mutual
expect_rc 1 mutual
expect_contains "call depth above 64 (recursive jitted functions?)"
# the same limits in the symbolic domain
bounded 2048 "$VLIFT" spec "$tmp/s.yaml" endless
expect_rc 1 "spec endless"
expect_contains "limit"
bounded 512 "$VLIFT" spec "$tmp/s.yaml" mutual
expect_rc 1 "spec mutual"
expect_contains "call depth above 64"

# --- manifests of 10^5 operators (block style; flow style on one line) load in linear time and
# memory: the last operator runs
python3 - "$tmp" <<'PY'
import sys
d, n = sys.argv[1], 100000
op = "{name: op%d, category: x, source: k.py, sizes: {N: 4}, tensors: {x: {shape: [N], role: input}, y: {shape: [N], role: output}}, launches: [{kernel: copy, grid: [1]}]}"
with open(f"{d}/block.yaml", "w") as f:
    f.write("suite: block\noperators:\n")
    for i in range(n): f.write("  - " + op % i + "\n")
with open(f"{d}/flow.yaml", "w") as f:
    f.write("suite: flow\noperators: [" + ", ".join(op % i for i in range(n)) + "]\n")
# one expression of 10^5 operators: a shape and an expected formula
with open(f"{d}/bigexpr.yaml", "w") as f:
    f.write("suite: bigexpr\noperators:\n")
    f.write("  - {name: e, category: x, source: k.py, sizes: {N: 4}, tensors: {x: {shape: [\"" + "+".join(["N"] * n) +
            "\"], role: input}, y: {shape: [N], role: output}}, launches: [{kernel: copy, grid: [1]}]}\n")
    f.write("  - {name: f, category: x, source: k.py, sizes: {N: 4}, tensors: {x: {shape: [N], role: input}, y: {shape: [N], role: output}}, " +
            "expected: \"y[i] = " + " + ".join(["x[i]"] * n) + "\", launches: [{kernel: copy, grid: [1]}]}\n")
PY
for m in block flow; do
    bounded 2048 "$VLIFT" run "$tmp/$m.yaml" op99999
    expect_rc 0 "$m manifest"
    expect_contains "op99999/default"
done
bounded 512 "$VLIFT" run "$tmp/bigexpr.yaml" e
expect_rc 2 "a 10^5-operator shape"
expect_contains "$tmp/bigexpr.yaml:3:"
expect_contains "expression nested too deeply"
bounded 512 "$VLIFT" check-suite "$tmp/bigexpr.yaml" --op f
expect_contains "$tmp/bigexpr.yaml:4:"
expect_contains "expression nested too deeply (more than 1000 levels)"
finish
