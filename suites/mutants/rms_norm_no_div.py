# MUTANT of suites/flaggems/rms_norm.py (missing-div-n): sum of squares not divided by N.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# rms_norm (forward) for the vlift FlagGems suite: a re-implementation, in our own words, of the
# algorithm of FlagGems v2.2 (src/flag_gems/ops/rms_norm.py).
#
# One program per row; the whole row is one block (no loop). Rows and columns are addressed
# through explicit strides, so any 2-D view with rows of N elements works. The normalised value
# is cast to the output type before the weight multiply.
import logging
import math

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.jit(do_not_specialize=["eps"])
def rms_norm_kernel(
    out_ptr,
    in_ptr,
    w_ptr,
    y_stride_r,
    y_stride_c,
    x_stride_r,
    x_stride_c,
    N,
    eps,
    BLOCK_SIZE: tl.constexpr,
):
    pid = tle.program_id(0)
    out_ptr += pid * y_stride_r
    in_ptr += pid * x_stride_r

    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < N
    x = tl.load(in_ptr + cols * x_stride_c, mask, other=0.0).to(tl.float32)

    mean_sq = tl.sum(x * x, axis=0)  # MUTANT (missing-div-n): sum of squares not divided by N
    rrms = 1 / tl.sqrt(mean_sq + eps)

    w = tl.load(w_ptr + cols, mask=mask, other=0.0)
    y = (x * rrms).to(out_ptr.dtype.element_ty) * w
    tl.store(out_ptr + cols * y_stride_c, y, mask=mask)


class RmsNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, eps=1e-5):
        logger.debug("GEMS RMS_NORM FORWARD")
        dim = x.ndim - len(normalized_shape)
        M = math.prod(x.shape[:dim])
        N = math.prod(normalized_shape)

        BLOCK_SIZE = triton.next_power_of_2(N)
        x2d = x.reshape(M, N) if x.is_contiguous() else x.contiguous().view(M, N)
        weight = weight.contiguous()
        y = torch.empty_like(x2d)

        with torch.cuda.device(x.device):
            rms_norm_kernel[(M,)](
                y, x2d, weight, y.stride(0), y.stride(1), x2d.stride(0), x2d.stride(1), N, eps, BLOCK_SIZE
            )
        ctx.save_for_backward(x2d, weight)
        ctx.eps = eps
        return y.view(x.shape)

    @staticmethod
    def backward(ctx, dy):
        raise NotImplementedError("rms_norm backward is not part of this suite")


def rms_norm(x, normalized_shape, weight, eps=1e-5):
    return RmsNorm.apply(x, normalized_shape, weight, eps)
