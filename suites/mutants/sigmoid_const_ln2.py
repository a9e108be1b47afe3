# MUTANT of suites/flaggems/sigmoid.py (wrong-constant): ln 2 instead of log2(e) before exp2.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# sigmoid: out = 1 / (1 + exp(-x)), computed with exp2: exp(-x) = exp2(-x * log2(e)).  FlagGems
# v2.2 style (our own code).
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, "INT_TO_FLOAT")])
@triton.jit
def sigmoid_forward(x):
    log2e: tl.constexpr = 0.6931471805599453  # MUTANT (wrong-constant): ln 2 instead of log2(e) before exp2
    return 1 / (1 + tl.exp2(-x.to(tl.float32) * log2e))


@pointwise_dynamic(promotion_methods=[(0, "INT_TO_FLOAT")])
@triton.jit
def sigmoid_backward(y, dy):
    y_f32 = y.to(tl.float32)
    return dy.to(tl.float32) * y_f32 * (1.0 - y_f32)


# ---- What pointwise_dynamic's code generator emits on Triton 3 for sigmoid_forward
# on tensors viewed as rank 1: the same tiling as the pointer form, but every tile is addressed
# through a block pointer (explicit shape and stride) and bounds are enforced by
# boundary_check=(0,) on the loads and the store. One tile per program, or a grid-stride loop.


@triton.jit
def _tile_program_id(axis: tl.constexpr):
    # the code generator's program-id helper: 64-bit, so tile_id * tile_size cannot overflow
    return tl.program_id(axis).to(tl.int64)


@libentry()
@triton.jit
def sigmoid_forward_kernel_rank_1(
    in0_ptr,
    in0_stride0,
    out0_ptr,
    out0_stride0,
    s0,
    tiles_per_cta,
    tile_size: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = _tile_program_id(0)
    if one_tile_per_cta:  # the host launched one program per tile
        tile_id = pid
        offset0 = tile_id * tile_size
        in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size,), order=(0,))
        in0 = tl.load(in0_bptr, boundary_check=(0,))
        out0 = sigmoid_forward(in0)
        out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size,), order=(0,))
        # a store through a block pointer does not cast: cast to the output's element type
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offset0 = tile_id * tile_size
            in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size,), order=(0,))
            in0 = tl.load(in0_bptr, boundary_check=(0,))
            out0 = sigmoid_forward(in0)
            out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size,), order=(0,))
            # a store through a block pointer does not cast: cast to the output's element type
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))


def _rank1_launch_config(num_tasks, tile_size=512, max_ctas=65536):
    # one program per tile while the tiles fit in the grid, else a grid-stride loop
    num_tiles = triton.cdiv(num_tasks, tile_size)
    num_ctas = max(1, min(num_tiles, max_ctas))
    tiles_per_cta = triton.cdiv(num_tiles, num_ctas)
    return num_ctas, tiles_per_cta, tiles_per_cta == 1


def _launch_sigmoid_forward(in0):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        sigmoid_forward_kernel_rank_1[(num_ctas,)](
            in0,
            in0.stride(0),
            out,
            out.stride(0),
            n,
            tiles_per_cta,
            tile_size=512,
            one_tile_per_cta=one_tile,
        )
    return out.view(shape)


class Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, A):
        logger.debug("GEMS SIGMOID FORWARD")
        out = sigmoid_forward(A)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, out_grad):
        logger.debug("GEMS SIGMOID BACKWARD")
        (out,) = ctx.saved_tensors
        return sigmoid_backward(out, out_grad)


def sigmoid(A):
    return Sigmoid.apply(A)
