# Kernels for tests/e2e/check_suite.sh: a correct row sum, and the same kernel with an
# off-by-one mask (it drops the last element of each row).
import triton
import triton.language as tl


@triton.jit
def row_sum(x, y, N, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    v = tl.load(x + row * N + offs, mask=offs < N, other=0.0)
    tl.store(y + row, tl.sum(v, axis=0))


@triton.jit
def row_sum_off_by_one(x, y, N, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    v = tl.load(x + row * N + offs, mask=offs < N - 1, other=0.0)
    tl.store(y + row, tl.sum(v, axis=0))
