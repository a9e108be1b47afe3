# MUTANT of suites/flaggems/sub.py (swapped-operands): one-tile path calls sub_func(y, x, alpha).
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# sub: out = x - alpha * y (torch.sub with a scalar alpha).  FlagGems v2.2 style (our own code):
# alpha is a non-tensor argument of the scalar function, passed to the kernel as a scalar.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic

logger = logging.getLogger(__name__)


@pointwise_dynamic(is_tensor=[True, True, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def sub_func(x, y, alpha):
    return x - y * alpha


@pointwise_dynamic(is_tensor=[True, False, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def sub_func_tensor_scalar(x, y, alpha):
    return x - y * alpha


# ---- What pointwise_dynamic's code generator emits for sub_func
# on contiguous tensors viewed as rank 1: a flat task space of num_tasks elements cut into tiles
# of tile_size, addressed by pointer arithmetic with a `< num_tasks` mask (loads without other=:
# masked-off lanes are never stored). One tile per program, or a grid-stride loop over tiles.


@triton.jit
def _tile_program_id(axis: tl.constexpr):
    # the code generator's program-id helper: 64-bit, so tile_id * tile_size cannot overflow
    return tl.program_id(axis).to(tl.int64)


@libentry()
@triton.jit
def sub_func_kernel_rank_1(
    in0_ptr,
    in1_ptr,
    val0,
    out0_ptr,
    num_tasks,
    tiles_per_cta,
    tile_size: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = _tile_program_id(0)
    if one_tile_per_cta:  # the host launched one program per tile
        offsets = pid * tile_size + tl.arange(0, tile_size)
        mask = offsets < num_tasks
        in0 = tl.load(in0_ptr + offsets, mask=mask)
        in1 = tl.load(in1_ptr + offsets, mask=mask)
        out0 = sub_func(in1, in0, val0)  # MUTANT (swapped-operands): one-tile path calls sub_func(y, x, alpha)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < num_tasks
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            in1 = tl.load(in1_ptr + offsets, mask=mask)
            out0 = sub_func(in0, in1, val0)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


def _rank1_launch_config(num_tasks, tile_size=512, max_ctas=65536):
    # one program per tile while the tiles fit in the grid, else a grid-stride loop
    num_tiles = triton.cdiv(num_tasks, tile_size)
    num_ctas = max(1, min(num_tiles, max_ctas))
    tiles_per_cta = triton.cdiv(num_tiles, num_ctas)
    return num_ctas, tiles_per_cta, tiles_per_cta == 1


def _launch_sub_func(in0, in1, val0):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    in1 = in1.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        sub_func_kernel_rank_1[(num_ctas,)](
            in0, in1, val0, out, n, tiles_per_cta, tile_size=512, one_tile_per_cta=one_tile
        )
    return out.view(shape)


def sub(A, B, *, alpha=1):
    logger.debug("GEMS SUB")
    if isinstance(A, torch.Tensor) and isinstance(B, torch.Tensor):
        return sub_func(A, B, alpha)
    elif isinstance(A, torch.Tensor):
        return sub_func_tensor_scalar(A, B, alpha)
    else:
        return torch.tensor(A - B * alpha)
