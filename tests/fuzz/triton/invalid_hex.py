# error: 5:10
import triton
import triton.language as tl

MASK = 0xG0


@triton.jit
def kernel(x_ptr):
    tl.store(x_ptr, MASK)
