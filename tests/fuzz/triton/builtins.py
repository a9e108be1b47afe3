# One small kernel per group of Triton built-ins, each run on fixed inputs by
# tests/e2e/builtins.sh and compared with hand-computed results (tests/kernels/expected/).
import triton
import triton.language as tl
from triton.language.extra import libdevice
from flag_gems.utils import tl_extra_shim
from flag_gems.utils import triton_lang_extension as tle

SCALE: tl.constexpr = 10
LOG2E = 1.4426950408889634


@triton.jit
def grid_ids(out, BLOCK: tl.constexpr):
    # out[pid*BLOCK + k] = 100*pid + 10*num_programs + k
    pid = tle.program_id(0)
    k = tl.arange(0, BLOCK)
    tl.store(out + pid * BLOCK + k, pid * 100 + tl.num_programs(0) * SCALE + k)


@triton.jit
def fill(out, BLOCK: tl.constexpr):
    a = tl.full((BLOCK,), 2.5, tl.float32)
    b = tl.zeros([BLOCK], dtype=tl.float32)
    c = tl.zeros_like(a) + 1.0
    tl.store(out + tl.arange(0, BLOCK), a + b + c)


@triton.jit
def masked_copy(x, y, N, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    v = tl.load(x + offs, mask=offs < N, other=-1.0)
    tl.store(y + offs, v)


@triton.jit
def masked_store(x, y, N, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    mask = offs < N
    v = tl.load(x + offs, mask=mask)
    tl.store(y + offs, v * 2, mask=mask)


@triton.jit
def block_ptrs(x, y, R, C, BLOCK: tl.constexpr):
    # x is R x C; y is 3 x 4: row 0 = block at (1, 1), row 1 = advanced by (-1, -1),
    # row 2 = block at (2, 2) with zero padding past the edges.
    src = tl.make_block_ptr(x, shape=(R, C), strides=(C, 1), offsets=(1, 1), block_shape=(BLOCK, BLOCK), order=(1, 0))
    a = tl.load(src, boundary_check=(0, 1))
    src = tl.advance(src, (-1, -1))
    b = tl.load(src, boundary_check=(0, 1))
    edge = tl.make_block_ptr(x, shape=(R, C), strides=(C, 1), offsets=(2, 2), block_shape=(BLOCK, BLOCK), order=(1, 0))
    c = tl.load(edge, boundary_check=(0, 1), padding_option="zero")
    dst = tl.make_block_ptr(y, shape=(3, 4), strides=(4, 1), offsets=(0, 0), block_shape=(1, 4), order=(1, 0))
    tl.store(dst, tl.reshape(a, (1, 4)))
    tl.store(tl.advance(dst, (1, 0)), tl.reshape(b, (1, 4)))
    tl.store(tl.advance(dst, (2, 0)), tl.reshape(c, (1, 4)), boundary_check=(0, 1))


@triton.jit
def select_ops(x, y, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    v = tl.load(x + offs)
    tl.store(y + offs, tl.where(v > 0, v, 0))
    tl.store(y + BLOCK + offs, tl.maximum(v, 0.0))
    tl.store(y + 2 * BLOCK + offs, tl.minimum(v, 1.0))
    tl.store(y + 3 * BLOCK + offs, tl.clamp(v, -1.0, 1.0))


@triton.jit
def reductions(x, y, idx, R: tl.constexpr, C: tl.constexpr):
    r = tl.arange(0, R)
    c = tl.arange(0, C)
    v = tl.load(x + r[:, None] * C + c[None, :])          # [[1, 5, 2], [7, 3, 7]] padded to 4 cols
    s = tl.sum(v, axis=1)                                  # [8, 17]
    m0 = tl.max(v, axis=0)                                 # [7, 5, 7, 0]
    mv, mi = tl.max(v, axis=1, return_indices=True)        # [5, 7], [1, 0]
    mn = tl.min(v, 1)                                      # [0, 0] with the zero pad
    am = tl.argmin(v, axis=0)                              # [0, 1, 0, 0]
    total = tl.sum(v)                                      # 25
    kept = tl.sum(v, axis=1, keep_dims=True)               # [[8], [17]]
    tl.store(y + r, s)
    tl.store(y + 2 + c, m0)
    tl.store(y + 6 + r, mv)
    tl.store(y + 8 + r, mn)
    tl.store(y + 10, total)
    tl.store(y + 11 + r[:, None], kept)
    tl.store(idx + r, mi)
    tl.store(idx + 2 + c, am)
    tl.store(idx + 6 + r, tl.argmax(v, axis=1, tie_break_left=False))   # [1, 2]


@triton.jit
def mul_combine(a, b):
    return a * b


@triton.jit
def welford_combine(mean_a, count_a, m2_a, mean_b, count_b, m2_b):
    count = count_a + count_b
    delta = mean_b - mean_a
    frac = tl.where(count == 0, 0.0, count_b / tl.maximum(count, 1.0))
    mean = mean_a + delta * frac
    m2 = m2_a + m2_b + delta * delta * count_a * frac
    return mean, count, m2


@triton.jit
def combine_reduce(x, y, BLOCK: tl.constexpr):
    v = tl.load(x + tl.arange(0, BLOCK))                   # [1, 2, 3, 4]
    p = tl.reduce(v, 0, mul_combine)                       # 24
    ones = tl.full((BLOCK,), 1.0, tl.float32)
    mean, count, m2 = tl.reduce((v, ones, tl.zeros((BLOCK,), tl.float32)), axis=0, combine_fn=welford_combine)
    tl.store(y, p)
    tl.store(y + 1, mean)                                  # 2.5
    tl.store(y + 2, count)                                 # 4
    tl.store(y + 3, m2)                                    # 5


@triton.jit
def scans(x, y, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    v = tl.load(x + offs)                                  # [1, 2, 3, 4]
    tl.store(y + offs, tl.cumsum(v, axis=0))               # [1, 3, 6, 10]
    tl.store(y + BLOCK + offs, tl.cumsum(v, 0, reverse=True))   # [10, 9, 7, 4]
    tl.store(y + 2 * BLOCK + offs, tl.cumprod(v, 0))       # [1, 2, 6, 24]
    m = tl.reshape(v, (2, 2))                              # [[1, 2], [3, 4]]
    tl.store(y + 3 * BLOCK + offs, tl.reshape(tl.cumsum(m, axis=1), (BLOCK,)))   # [1, 3, 3, 7]


@triton.jit
def matmul_dot(a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    rm = tl.arange(0, M)
    rn = tl.arange(0, N)
    rk = tl.arange(0, K)
    x = tl.load(a + rm[:, None] * K + rk[None, :])
    w = tl.load(b + rk[:, None] * N + rn[None, :])
    acc = tl.zeros((M, N), dtype=tl.float32)
    acc += tl.dot(x, w)
    acc = tl.dot(x, w, acc)                                # 2 * A @ B
    tl.store(c + rm[:, None] * N + rn[None, :], acc)


@triton.jit
def math_fns(x, y):
    # x = [0, 1, 2, 3, 4, 8, -3]
    zero = tl.load(x)
    one = tl.load(x + 1)
    two = tl.load(x + 2)
    three = tl.load(x + 3)
    four = tl.load(x + 4)
    eight = tl.load(x + 5)
    minus3 = tl.load(x + 6)
    tl.store(y + 0, tl.exp(zero))                          # 1
    tl.store(y + 1, tl.exp2(three))                        # 8
    tl.store(y + 2, tl.log(one))                           # 0
    tl.store(y + 3, tl.log2(eight))                        # 3
    tl.store(y + 4, tl.sqrt(four))                         # 2
    tl.store(y + 5, tl.math.rsqrt(four))                   # 0.5
    tl.store(y + 6, tl.abs(minus3))                        # 3
    tl.store(y + 7, tl.sigmoid(zero))                      # 0.5
    tl.store(y + 8, libdevice.erf(zero))                   # 0
    tl.store(y + 9, tl_extra_shim.tanh(zero))              # 0
    tl.store(y + 10, tl_extra_shim.pow(two, three))        # 8
    tl.store(y + 11, tl.fdiv(one, four))                   # 0.25
    tl.store(y + 12, tl.math.div_rn(three, two))           # 1.5
    tl.store(y + 13, tl.math.exp2(one * LOG2E))            # e
    tl.store(y + 14, -minus3 + 1)                          # 4


@triton.jit
def int_ops(x, y, N, BLOCK: tl.constexpr):
    v = tl.load(x + tl.arange(0, BLOCK))                   # [-7, 7, -2.7, 2.7] as float
    i = v.to(tl.int32)                                     # [-7, 7, -2, 2]
    tl.store(y + tl.arange(0, BLOCK), i)
    tl.store(y + BLOCK + tl.arange(0, BLOCK), i // 2)      # C: [-3, 3, -1, 1]
    tl.store(y + 2 * BLOCK + tl.arange(0, BLOCK), i % 2)   # C: [-1, 1, 0, 0]
    py_div = -7 // 2                                        # Python: -4
    py_mod = -7 % 2                                         # Python: 1
    tl.store(y + 3 * BLOCK, py_div)
    tl.store(y + 3 * BLOCK + 1, py_mod)
    tl.store(y + 3 * BLOCK + 2, tl.cdiv(N, BLOCK))         # cdiv(10, 4) = 3
    tl.store(y + 3 * BLOCK + 3, triton.cdiv(N, 3))         # 4


@triton.jit
def add_one(v):
    return v + 1.0


@triton.jit
def scale_and_shift(v, s, t: tl.constexpr = 0.5):
    return add_one(v) * s + t


@triton.jit
def control_flow(x, y, w, N, BLOCK: tl.constexpr, USE_W: tl.constexpr):
    # y[k] = sum over tiles (runtime-bounded loop) plus static loop plus optional weight
    acc = tl.zeros((BLOCK,), tl.float32)
    for start in range(0, N, BLOCK):                       # runtime bound
        offs = start + tl.arange(0, BLOCK)
        acc += tl.load(x + offs, mask=offs < N and offs >= 0, other=0.0)
    for k in tl.static_range(2):
        acc = acc + k                                      # +0 +1
    for j in tl.range(0, 2, 1, num_stages=2):
        acc = acc + 0
    if w is None:
        acc = acc * 1
    else:
        acc = acc * tl.load(w + tl.arange(0, BLOCK))
    if USE_W:
        acc = scale_and_shift(acc, 2.0)
    else:
        acc = scale_and_shift(acc, 1.0, t=0.0)
    i = 0
    while i < 2:
        i += 1
    acc = acc + i                                          # +2
    tl.store(y + tl.arange(0, BLOCK), acc)


@triton.jit
def oob_load(x, y, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(y + offs, tl.load(x + offs))                  # x has fewer than BLOCK elements


@triton.jit
def racy_store(y):
    pid = tl.program_id(0)
    tl.store(y, pid * 1.0)                                 # every program writes y[0]


@triton.jit
def uses_atomics(y):
    tl.atomic_add(y, 1.0)
