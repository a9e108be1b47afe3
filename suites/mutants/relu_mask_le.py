# MUTANT of suites/flaggems/relu.py (mask-off-by-one): one-tile mask `offsets <= num_tasks`: writes out[n] when n is not a multiple of the tile.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# relu: out = max(x, 0).  FlagGems v2.2 style (our own code): the operator is the scalar function
# relu_forward under @pointwise_dynamic; the kernel that runs is the one the decorator generates.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def relu_forward(x):
    return tl.where(x > 0, x, 0)


@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def relu_backward(x, dy):
    return tl.where(x > 0, dy, 0)


# ---- What pointwise_dynamic's code generator emits for relu_forward
# on contiguous tensors viewed as rank 1: a flat task space of num_tasks elements cut into tiles
# of tile_size, addressed by pointer arithmetic with a `< num_tasks` mask (loads without other=:
# masked-off lanes are never stored). One tile per program, or a grid-stride loop over tiles.


@triton.jit
def _tile_program_id(axis: tl.constexpr):
    # the code generator's program-id helper: 64-bit, so tile_id * tile_size cannot overflow
    return tl.program_id(axis).to(tl.int64)


@libentry()
@triton.jit
def relu_forward_kernel_rank_1(
    in0_ptr,
    out0_ptr,
    num_tasks,
    tiles_per_cta,
    tile_size: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = _tile_program_id(0)
    if one_tile_per_cta:  # the host launched one program per tile
        offsets = pid * tile_size + tl.arange(0, tile_size)
        mask = offsets <= num_tasks  # MUTANT (mask-off-by-one): one-tile mask `offsets <= num_tasks`: writes out[n] when n is not a multiple of the tile
        in0 = tl.load(in0_ptr + offsets, mask=mask)
        out0 = relu_forward(in0)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < num_tasks
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            out0 = relu_forward(in0)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


def _rank1_launch_config(num_tasks, tile_size=512, max_ctas=65536):
    # one program per tile while the tiles fit in the grid, else a grid-stride loop
    num_tiles = triton.cdiv(num_tasks, tile_size)
    num_ctas = max(1, min(num_tiles, max_ctas))
    tiles_per_cta = triton.cdiv(num_tiles, num_ctas)
    return num_ctas, tiles_per_cta, tiles_per_cta == 1


def _launch_relu_forward(in0):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        relu_forward_kernel_rank_1[(num_ctas,)](
            in0, out, n, tiles_per_cta, tile_size=512, one_tile_per_cta=one_tile
        )
    return out.view(shape)


class Relu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, A):
        logger.debug("GEMS RELU FORWARD")
        out = relu_forward(A)
        ctx.save_for_backward(A)
        return out

    @staticmethod
    def backward(ctx, out_grad):
        logger.debug("GEMS RELU BACKWARD")
        (inp,) = ctx.saved_tensors
        return relu_backward(inp, out_grad)


def relu(A):
    return Relu.apply(A)


def relu_(A):
    logger.debug("GEMS RELU_")
    return relu_forward(A, out0=A)
