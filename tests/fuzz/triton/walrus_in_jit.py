# error: 8:11
import triton
import triton.language as tl


@triton.jit
def kernel(x_ptr, n):
    if (m := n * 2) > 4:
        tl.store(x_ptr, m)
