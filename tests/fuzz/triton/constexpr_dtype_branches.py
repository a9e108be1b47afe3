# corpus: string constexpr annotation, numeric literal forms as constants, tl_extra_shim/libdevice calls, eviction_policy
import torch
import triton
import triton.language as tl
from triton.language.extra import libdevice
from flag_gems.utils import tl_extra_shim
from flag_gems.utils import triton_lang_extension as tle

div_rn = tl_extra_shim.div_rn
_pow = tl_extra_shim.pow
INV_SQRT2: tl.constexpr = 0.7071067811865476
NEG_BIG = -1.0e30
HEX_MASK = 0xFFFF_FFFF
BIG = 1_000_000
SMALL = .5e-3
COMPLEX = 1.5j


@triton.jit(do_not_specialize=["eps", "alpha"])
def rms_norm_kernel(
    Y,  # pointer to the output
    X,  # pointer to the input
    W,  # pointer to the weights
    y_stride_r,
    y_stride_c,
    x_stride_r,  # how much to increase the pointer when moving by 1 row
    x_stride_c,  # how much to increase the pointer when moving by 1 col
    N,  # number of columns in X
    eps,  # epsilon to avoid division by zero
    alpha=1.0,
    BLOCK_SIZE: "tl.constexpr" = 1024,
):
    if tl.constexpr(X.dtype.element_ty == tl.float16):
        cdtype = tl.float32
    elif tl.constexpr(X.dtype.element_ty == tl.bfloat16):
        cdtype = tl.float32
    else:
        cdtype = X.dtype.element_ty
    pid = tle.program_id(0)
    Y += pid * y_stride_r
    X += pid * x_stride_r

    mask = tl.arange(0, BLOCK_SIZE) < N
    cols = tl.arange(0, BLOCK_SIZE)
    x = tl.load(X + cols * x_stride_c, mask, other=0.0).to(cdtype)

    var = tl.sum(x * x / N, axis=0)
    rrms = 1 / tl.sqrt(var + eps)

    w = tl.load(W + tl.arange(0, BLOCK_SIZE), mask=mask, other=0.0)
    y = (x * rrms).to(Y.dtype.element_ty) * w * alpha
    y = div_rn(y, 1.0) + _pow(y, 2.0) * 0 + libdevice.erf(y * INV_SQRT2) * 0
    tl.store(Y + cols * y_stride_c, y, mask=mask, eviction_policy="evict_first")


def rms_norm(x, normalized_shape, weight, eps=1e-5):
    dim = x.ndim - len(normalized_shape)
    M = min(1, *x.shape[:dim]) if dim else 1
    N = x.shape[-1]
    y = torch.empty_like(x)
    rms_norm_kernel[M,](y, x, weight, N, 1, N, 1, N, eps, BLOCK_SIZE=triton.next_power_of_2(N))
    return y
