# MUTANT of suites/flaggems/group_norm.py (missing-div-n): variance not divided by the group's element count.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# group_norm (forward) for the vlift FlagGems suite: a re-implementation, in our own words, of the
# algorithm of FlagGems v2.2 (src/flag_gems/ops/groupnorm.py).
#
# The input is viewed as N x C x HW with C = num_groups * group_size. One program per (n, g): the
# group's group_size x HW elements are contiguous and fit one [BLOCK_GROUP_SIZE, BLOCK_HW_SIZE]
# tile (no loop). Mean, variance of the masked deviations, rsqrt, then the per-channel affine.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.jit(do_not_specialize=["eps"])
def group_norm_kernel(
    X,
    Y,
    W,
    B,
    Mean,
    Rstd,
    group_size,
    C,
    HW,
    num_groups,
    eps,
    BLOCK_GROUP_SIZE: tl.constexpr,
    BLOCK_HW_SIZE: tl.constexpr,
):
    pid = tle.program_id(0)
    group = pid % num_groups
    num_elements = group_size * HW

    ch_offsets = tl.arange(0, BLOCK_GROUP_SIZE)
    hw_offsets = tl.arange(0, BLOCK_HW_SIZE)

    # channels of this group, for the weight and the bias
    wb_offsets = group * group_size + ch_offsets
    wb_mask = ch_offsets < group_size

    # program pid = n * num_groups + g starts at element pid * group_size * HW
    xy_offsets = pid * num_elements + ch_offsets[:, None] * HW + hw_offsets[None, :]
    xy_mask = ch_offsets[:, None] < group_size and hw_offsets[None, :] < HW

    X_val = tl.load(X + xy_offsets, mask=xy_mask, other=0.0).to(tl.float32)
    mean = tl.sum(X_val) / num_elements
    # padding lanes hold 0 - mean: zero them before squaring
    x = tl.where(xy_mask, X_val - mean, 0.0)
    var = tl.sum(x * x)  # MUTANT (missing-div-n): variance not divided by the group's element count
    rstd = tl.math.rsqrt(var + eps)
    x_hat = x * rstd

    if W is None:
        weight = 1
    else:
        weight = tl.load(W + wb_offsets, mask=wb_mask, other=0.0)[:, None]
    if B is None:
        bias = 0
    else:
        bias = tl.load(B + wb_offsets, mask=wb_mask, other=0.0)[:, None]
    Y_val = x_hat * weight + bias

    tl.store(Y + xy_offsets, Y_val, mask=xy_mask)
    tl.store(Mean + pid, mean)
    tl.store(Rstd + pid, rstd)


class GroupNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, N, C, HxW, group, weight=None, bias=None, eps=1e-5):
        logger.debug("GEMS GROUPNORM FORWARD")
        group_size = C // group
        x = x.contiguous()
        weight = None if weight is None else weight.contiguous()
        bias = None if bias is None else bias.contiguous()
        y = torch.empty_like(x)
        mean = torch.empty((N, group), dtype=x.dtype, device=x.device)
        rstd = torch.empty((N, group), dtype=x.dtype, device=x.device)
        grid = (N * group,)

        with torch.cuda.device(x.device):
            group_norm_kernel[grid](
                x,
                y,
                weight,
                bias,
                mean,
                rstd,
                group_size,
                C,
                HxW,
                group,
                eps,
                BLOCK_GROUP_SIZE=triton.next_power_of_2(group_size),
                BLOCK_HW_SIZE=triton.next_power_of_2(HxW),
            )
        ctx.save_for_backward(x, weight, bias, mean, rstd)
        ctx.num_groups = group
        return y, mean, rstd

    @staticmethod
    def backward(ctx, y_grad, mean_grad, rstd_grad):
        raise NotImplementedError("group_norm backward is not part of this suite")


def group_norm(x, weight, bias, N, C, HxW, group, eps=1e-5):
    return GroupNorm.apply(x, N, C, HxW, group, weight, bias, eps)
