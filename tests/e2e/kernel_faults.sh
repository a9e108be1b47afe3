# Kernel bugs and unmodelled constructs are reported with the kernel's file and line.
. "$(dirname "$0")/lib.inc"
line_of() { grep -n "$1" tests/kernels/builtins.py | head -1 | cut -d: -f1; }

expect_exit 1 "$VLIFT" run tests/kernels/builtins.yaml oob_load
expect_contains "tests/kernels/builtins.py:$(line_of 'tl.store(y + offs, tl.load(x + offs))'):"
expect_contains "out-of-bounds load of 'x': element offset 3 is outside [0, 3)"

expect_exit 1 "$VLIFT" run tests/kernels/builtins.yaml racy_store
expect_contains "write conflict: programs 0 and 1 store different values to y[0]"

expect_exit 1 "$VLIFT" run tests/kernels/builtins.yaml uses_atomics
expect_contains "UNSUPPORTED: triton.language.atomic_add at tests/kernels/builtins.py:$(line_of 'tl.atomic_add')"

# The same faults in the symbolic domain.
expect_exit 1 "$VLIFT" spec tests/kernels/builtins.yaml oob_load
expect_contains "out-of-bounds load"
finish
