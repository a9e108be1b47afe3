# error: 10:9
import triton
import triton.language as tl


@triton.autotune(configs=[triton.Config({"B": 64})], key=["n"])
@triton.jit
def kernel(x_ptr, n, B: tl.constexpr):
    pid = tl.program_id(0)
    f = lambda v: v * 2
    tl.store(x_ptr + pid, f(1.0))
