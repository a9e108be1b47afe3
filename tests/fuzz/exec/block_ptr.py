import triton
import triton.language as tl
@triton.jit
def k(x, y, N, B: tl.constexpr = 2):
    p = tl.make_block_ptr(x, shape=(N,), strides=(1,), offsets=(0,), block_shape=(B,), order=(0,))
    q = tl.make_block_ptr(y, shape=(N,), strides=(1,), offsets=(0,), block_shape=(B,), order=(0,))
    for _ in range(2):
        v = tl.load(p, boundary_check=(0,))
        w = tl.where(v > 0, v, -v).to(tl.float16).to(tl.float32)
        tl.store(q, tl.sqrt(w) * tl.rsqrt(w + 1), boundary_check=(0,))
        p = tl.advance(p, (B,))
        q = tl.advance(q, (B,))
