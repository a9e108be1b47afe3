# corpus: CRLF line endings throughout
import triton
import triton.language as tl

BLOCK = 256


class Holder:
    """Windows line endings.

    Multi-line docstring."""

    value = [1,
             2]


@triton.jit
def relu_kernel(x_ptr, y_ptr, n, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0)
    y = tl.where(x > 0, x, 0.0)
    tl.store(y_ptr + offs,
             y,
             mask=mask)
