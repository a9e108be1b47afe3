# error: 4:12
import triton

PERM = 0o1289


@triton.jit
def kernel(x_ptr):
    pass
