# error: 5:13
import triton
import triton.language as tl

TOTAL = 1 + \ # a comment after a continuation is not allowed
    2


@triton.jit
def kernel(x_ptr):
    tl.store(x_ptr, TOTAL)
