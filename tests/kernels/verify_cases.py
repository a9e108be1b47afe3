# Kernels for the verification tests of `vlift lift`: what the proof must accept, and kernels that
# agree with a simple formula at every size synthesis samples but not at larger ones.
import triton
import triton.language as tl


@triton.jit
def scale_rows(x_ptr, y_ptr, n_elements, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(y_ptr + offs, 3.0 * x, mask=mask)


@triton.jit
def bump_when_large(x_ptr, y_ptr, n_elements, BLOCK: tl.constexpr):
    # Adds 1 only when the tensor has at least 40 elements: every size synthesis samples (up to
    # 17 per symbol) sees y = x; the proof finds the difference.
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    x = tl.load(x_ptr + offs, mask=mask)
    bump = tl.where(n_elements >= 40, 1.0, 0.0)
    tl.store(y_ptr + offs, x + bump, mask=mask)


@triton.jit
def last_block_off(x_ptr, y_ptr, n_elements, BLOCK: tl.constexpr):
    # Forgets the elements past 32 * BLOCK: an off-by-a-lot bound that small sizes never reach.
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.where(offs < 32 * BLOCK, x, 0.0)
    tl.store(y_ptr + offs, y, mask=mask)


@triton.jit
def divide_by_zero(x_ptr, y_ptr, n_elements, BLOCK: tl.constexpr):
    # Infinite outputs: the cross-check must see two equal infinities as equal.
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(y_ptr + offs, x / 0.0, mask=mask)
