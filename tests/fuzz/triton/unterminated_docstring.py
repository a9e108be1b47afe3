# error: 9:5
import triton
import triton.language as tl


@triton.jit
def kernel(x_ptr, n):
    pid = tl.program_id(0)
    """This docstring is never closed.
    x = tl.load(x_ptr + pid)
    tl.store(x_ptr + pid, x)
