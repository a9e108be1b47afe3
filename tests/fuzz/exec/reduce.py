import triton
import triton.language as tl
@triton.jit
def helper(a, b):
    return tl.maximum(a, b) + tl.exp(a - b)
@triton.jit
def k(x, y, N, B: tl.constexpr = 4):
    pid = tl.program_id(0)
    acc = tl.zeros([B], dtype=tl.float32)
    for i in range(0, N, B):
        o = i + tl.arange(0, B)
        v = tl.load(x + o, mask=o < N, other=0.0)
        acc += helper(v, 1.0)
    s = tl.sum(acc, axis=0)
    c = tl.cumsum(acc, 0)
    m = tl.argmax(acc, 0)
    if pid == 0:
        tl.store(y + tl.arange(0, B), c / s + m, mask=tl.arange(0, B) < N)
    else:
        while pid > 5:
            pid -= 1
