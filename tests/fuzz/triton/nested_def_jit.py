# error: 8:5
import triton
import triton.language as tl


@triton.jit
def kernel(x_ptr, n):
    def helper(v):
        return v + 1
    tl.store(x_ptr, helper(n))
