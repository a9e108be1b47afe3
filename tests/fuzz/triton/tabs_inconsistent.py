# error: 9:2
import triton
import triton.language as tl


@triton.jit
def kernel(x_ptr, n):
        x = tl.load(x_ptr)
	tl.store(x_ptr, x + n)
