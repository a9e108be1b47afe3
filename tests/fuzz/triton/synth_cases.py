# Small kernels for the synthesis tests (tests/unit/test_synth_*.c, tests/e2e/lift_*.sh): each
# exercises one rule of the search, or one way for lifting to fail cleanly.
import triton
import triton.language as tl


@triton.jit
def row_sum(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    # y[i] = sum(k in 0..N: x[i,k]) over tiles of BLOCK with a masked last tile
    row = tl.program_id(0)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        acc += tl.load(x_ptr + row * N + offs, mask=offs < N, other=0.0)
    tl.store(y_ptr + row, tl.sum(acc, 0))


@triton.jit
def running_max(x_ptr, y_ptr, N):
    # y[i] = max(k in 0..i+1: x[k]), one program walking the row
    m = tl.load(x_ptr)
    tl.store(y_ptr, m)
    for i in range(1, N):
        m = tl.maximum(m, tl.load(x_ptr + i))
        tl.store(y_ptr + i, m)


@triton.jit
def reverse_affine(x_ptr, y_ptr, alpha, N, BLOCK: tl.constexpr):
    # y[i] = 2 * x[N - 1 - i] + alpha
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < N
    v = tl.load(x_ptr + (N - 1 - offs), mask=mask)
    tl.store(y_ptr + offs, 2.0 * v + alpha, mask=mask)


@triton.jit
def fused_elementwise(x_ptr, y_ptr, z_ptr, N, BLOCK: tl.constexpr):
    # z[i] = x[i] * y[i] + 1
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < N
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(z_ptr + offs, x * y + 1.0, mask=mask)


@triton.jit
def truncate(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    # y[i] = trunc(3 x[i]): rounding is not in the formula language
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < N
    v = tl.load(x_ptr + offs, mask=mask)
    tl.store(y_ptr + offs, (v * 3.0).to(tl.int32).to(tl.float32), mask=mask)


@triton.jit
def cubic_gather(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    # y[i] = x[(i*i*i + 1) % N] * x[i]: an index beyond the index grammar
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < N
    src = (offs * offs * offs + 1) % N
    a = tl.load(x_ptr + src, mask=mask)
    b = tl.load(x_ptr + offs, mask=mask)
    tl.store(y_ptr + offs, a * b, mask=mask)


@triton.jit
def unmasked_sum(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    # sums a whole tile loaded without other=: the padding lanes are unspecified
    offs = tl.arange(0, BLOCK)
    v = tl.load(x_ptr + offs, mask=offs < N)
    tl.store(y_ptr, tl.sum(v, 0))


@triton.jit
def half_store(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    # stores only the first half of y
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < N // 2
    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=mask), mask=mask)


@triton.jit
def product(x_ptr, y_ptr, z_ptr, N, BLOCK: tl.constexpr):
    # z[i] = x[i] * y[i]
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < N
    tl.store(z_ptr + offs, tl.load(x_ptr + offs, mask=mask) * tl.load(y_ptr + offs, mask=mask), mask=mask)
