# outer: out[i, j] = x[i] * y[j], FlagGems style (ops/outer.py; our own code). The forward pass
# is the pointwise mul of the broadcast views x[:, None] and y[None, :]; the kernel that runs is
# pointwise_dynamic's rank-2 block-pointer kernel for mul, with a stride of 0 along each
# operand's broadcast dimension. The backward pass uses mv.
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
def mul_func(x, y):
    return x * y


@libentry()
@triton.jit
def mul_func_rank_2(
    in0_ptr,
    in1_ptr,
    out0_ptr,
    in0_stride0,
    in0_stride1,
    in1_stride0,
    in1_stride1,
    out0_stride0,
    out0_stride1,
    s0,
    s1,
    num_tasks,
    tiles_per_cta,
    tile_size0: tl.constexpr,
    tile_size1: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    num_tiles1 = tl.cdiv(s1, tile_size1)
    if one_tile_per_cta:
        tile_id = pid
        tile_id1 = tile_id % num_tiles1
        tile_id0 = tile_id // num_tiles1
        offset0 = tile_id0 * tile_size0
        offset1 = tile_id1 * tile_size1
        in0_bptr = tl.make_block_ptr(
            in0_ptr, (s0, s1), (in0_stride0, in0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        in0 = tl.load(in0_bptr, boundary_check=(1, 0))
        in1_bptr = tl.make_block_ptr(
            in1_ptr, (s0, s1), (in1_stride0, in1_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        in1 = tl.load(in1_bptr, boundary_check=(1, 0))
        out0 = mul_func(in0, in1)
        out0_bptr = tl.make_block_ptr(
            out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(1, 0))
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            tile_id1 = tile_id % num_tiles1
            tile_id0 = tile_id // num_tiles1
            offset0 = tile_id0 * tile_size0
            offset1 = tile_id1 * tile_size1
            in0_bptr = tl.make_block_ptr(
                in0_ptr, (s0, s1), (in0_stride0, in0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            in0 = tl.load(in0_bptr, boundary_check=(1, 0))
            in1_bptr = tl.make_block_ptr(
                in1_ptr, (s0, s1), (in1_stride0, in1_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            in1 = tl.load(in1_bptr, boundary_check=(1, 0))
            out0 = mul_func(in0, in1)
            out0_bptr = tl.make_block_ptr(
                out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(1, 0))


class Outer(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp, weight):
        logger.debug("GEMS OUTER")
        assert inp.ndim == 1 and weight.ndim == 1, "Invalid input"
        out = mul_func(inp[:, None], weight[None, :])
        ctx.save_for_backward(inp, weight)
        return out

    @staticmethod
    def backward(ctx, out_grad):
        logger.debug("GEMS OUTER VJP")
        inp, weight = ctx.saved_tensors
        inp_grad = torch.mv(out_grad, weight)
        weight_grad = torch.mv(out_grad.t(), inp)
        return inp_grad, weight_grad


def outer(inp, weight):
    return Outer.apply(inp, weight)
