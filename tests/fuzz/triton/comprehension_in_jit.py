# error: 9:15
import triton
import triton.language as tl


@triton.jit
def kernel(x_ptr, n):
    pid = tl.program_id(0)
    offs = [i for i in range(4)]
    tl.store(x_ptr + pid, offs[0])
