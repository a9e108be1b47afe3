# Stub kernel for the manifest loader's tests: only its existence matters.
import triton
import triton.language as tl


@triton.jit
def softmax_kernel_inner(output_ptr, input_ptr, M, N, TILE_N: tl.constexpr, ONE_TILE_PER_CTA: tl.constexpr):
    pid = tl.program_id(0)
    offs = tl.arange(0, TILE_N)
    x = tl.load(input_ptr + pid * N + offs, mask=offs < N, other=-float("inf"))
    e = tl.exp(x - tl.max(x, axis=0))
    tl.store(output_ptr + pid * N + offs, e / tl.sum(e, axis=0), mask=offs < N)
