# skip_rms_norm: h = x + r (the residual/skip connection), then y = h / sqrt(mean(h^2) + eps) * w;
# the updated residual h is stored too, for the next layer. FlagGems style
# (fused/skip_rms_norm.py; our own code): one row per program, the whole row in one block (no
# loop), explicit row/column strides for every operand, loads with other=0, the normalised value
# cast back to the output type before the weight multiply.
import logging
import math

import torch
import triton
import triton.language as tl

from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.jit(do_not_specialize=["eps"])
def skip_rms_norm_kernel(
    Y,  # pointer to the output
    H,  # pointer to the updated residual (x + r)
    X,  # pointer to the input
    R,  # pointer to the residual
    W,  # pointer to the weights
    y_stride_r,
    y_stride_c,
    h_stride_r,
    h_stride_c,
    x_stride_r,
    x_stride_c,
    r_stride_r,
    r_stride_c,
    N,  # number of columns in X
    eps,  # epsilon to avoid division by zero
    BLOCK_SIZE: tl.constexpr,
):
    pid = tle.program_id(0)
    Y += pid * y_stride_r
    H += pid * h_stride_r
    X += pid * x_stride_r
    R += pid * r_stride_r

    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < N
    x = tl.load(X + cols * x_stride_c, mask, other=0.0).to(tl.float32)
    r = tl.load(R + cols * r_stride_c, mask, other=0.0).to(tl.float32)

    x += r
    tl.store(H + cols * h_stride_c, x, mask=mask)

    var = tl.sum(x * x, axis=0) / N
    rrms = 1 / tl.sqrt(var + eps)

    w = tl.load(W + cols, mask=mask, other=0.0)
    y = (x * rrms).to(Y.dtype.element_ty) * w
    tl.store(Y + cols * y_stride_c, y, mask=mask)


class SkipRmsNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, residual, normalized_shape, weight, eps=1e-5):
        logger.debug("GEMS SKIP RMSNORM FORWARD")
        dim = x.ndim - len(normalized_shape)
        M = math.prod(x.shape[:dim])
        N = 1
        for s in normalized_shape:
            N *= s
        BLOCK_SIZE = triton.next_power_of_2(N)
        x = x.contiguous()
        residual = residual.contiguous()
        weight = weight.contiguous()
        y = torch.empty_like(x)
        h = torch.empty_like(x)

        with torch_device_fn.device(x.device):
            skip_rms_norm_kernel[M,](
                y, h, x, residual, weight, N, 1, N, 1, N, 1, N, 1, N, eps, BLOCK_SIZE
            )
        return y, h


def skip_rms_norm(x, residual, normalized_shape, weight, eps=1e-5):
    return SkipRmsNorm.apply(x, residual, normalized_shape, weight, eps)
