# error: 8:9
import triton
import triton.language as tl


@triton.jit
def kernel(x_ptr):
    x = 0755
    tl.store(x_ptr, x)
