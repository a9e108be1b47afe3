# error: 6:5
import triton
import triton.language as tl

x = 1
    y = 2


@triton.jit
def kernel(x_ptr):
    tl.store(x_ptr, x)
