# silu_and_mul: out = silu(x) * y, the gate of a SwiGLU feed-forward block.
#
# Written in the style of FlagGems' fused/silu_and_mul.py (our own code): the operator is a
# scalar @triton.jit function under @pointwise_dynamic, and the kernel that actually runs is the
# one pointwise_dynamic generates for it. The generated rank-1 kernel is written out below by
# hand in the shape the generator emits for contiguous inputs: int64 program id, one tile per
# program or a grid-stride loop over tiles, `mask = offsets < n`, loads without `other=`.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def silu_and_mul_kernel(x, y):
    x_f32 = x.to(tl.float32)
    gate = tl.fdiv(x_f32, 1.0 + tl.exp(-x_f32))
    return gate * y


@pointwise_dynamic(promotion_methods=[(0, 1, 2, "DEFAULT"), (0, 1, 2, "DEFAULT")], num_outputs=2)
@triton.jit
def silu_and_mul_grad_kernel(x, y, dgrad):
    x_f32 = x.to(tl.float32)
    sig = 1.0 / (1.0 + tl.exp(-x_f32))
    silu = x_f32 * sig
    dx = dgrad * y * sig * (1.0 + x_f32 * (1.0 - sig))
    dy = dgrad * silu
    return dx, dy


# What pointwise_dynamic emits for silu_and_mul_kernel on contiguous rank-1 views.
@libentry()
@triton.jit
def silu_and_mul_kernel_rank_1(
    in0_ptr,
    in1_ptr,
    out0_ptr,
    n_elements,
    tiles_per_cta,
    tile_size: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    if one_tile_per_cta:
        offsets = pid * tile_size + tl.arange(0, tile_size)
        mask = offsets < n_elements
        in0 = tl.load(in0_ptr + offsets, mask=mask)
        in1 = tl.load(in1_ptr + offsets, mask=mask)
        out0 = silu_and_mul_kernel(in0, in1)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < n_elements
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            in1 = tl.load(in1_ptr + offsets, mask=mask)
            out0 = silu_and_mul_kernel(in0, in1)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


class SiluAndMul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        logger.debug("GEMS SILU AND MUL FORWARD")
        ctx.save_for_backward(x, y)
        return silu_and_mul_kernel(x, y)

    @staticmethod
    def backward(ctx, grad_out):
        logger.debug("GEMS SILU AND MUL BACKWARD")
        x, y = ctx.saved_tensors
        dx, dy = silu_and_mul_grad_kernel(x, y, grad_out)
        return dx, dy


def silu_and_mul(x, y):
    return SiluAndMul.apply(x, y)


def silu_and_mul_out(x, y, out):
    logger.debug(f"GEMS SILU AND MUL OUT {x.shape=} {out.shape=}")
    silu_and_mul_kernel(x, y, out0=out)
    return out
