# MUTANT of suites/flaggems/div.py (swapped-operands): one-tile path computes y / x.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# div (true division): out = x / y.  FlagGems v2.2 style (our own code): the plain form uses `/`;
# the rounding variant divides with libdevice's div_rn (IEEE round-to-nearest division, the same
# real quotient).
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import tl_extra_shim

logger = logging.getLogger(__name__)

div_rn = tl_extra_shim.div_rn


@pointwise_dynamic(promotion_methods=[(0, 1, "INT_TO_FLOAT")])
@triton.jit
def true_div_func(x, y):
    return x / y


@pointwise_dynamic(promotion_methods=[(0, 1, "INT_TO_FLOAT")])
@triton.jit
def true_div_func_rn(x, y):
    return div_rn(x.to(tl.float32), y.to(tl.float32))


# ---- What pointwise_dynamic's code generator emits for true_div_func / true_div_func_rn
# on contiguous tensors viewed as rank 1: a flat task space of num_tasks elements cut into tiles
# of tile_size, addressed by pointer arithmetic with a `< num_tasks` mask (loads without other=:
# masked-off lanes are never stored). One tile per program, or a grid-stride loop over tiles.


@triton.jit
def _tile_program_id(axis: tl.constexpr):
    # the code generator's program-id helper: 64-bit, so tile_id * tile_size cannot overflow
    return tl.program_id(axis).to(tl.int64)


@libentry()
@triton.jit
def true_div_func_kernel_rank_1(
    in0_ptr,
    in1_ptr,
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
        out0 = true_div_func(in1, in0)  # MUTANT (swapped-operands): one-tile path computes y / x
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < num_tasks
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            in1 = tl.load(in1_ptr + offsets, mask=mask)
            out0 = true_div_func(in0, in1)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


@libentry()
@triton.jit
def true_div_func_rn_kernel_rank_1(
    in0_ptr,
    in1_ptr,
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
        out0 = true_div_func_rn(in0, in1)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < num_tasks
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            in1 = tl.load(in1_ptr + offsets, mask=mask)
            out0 = true_div_func_rn(in0, in1)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


def _rank1_launch_config(num_tasks, tile_size=512, max_ctas=65536):
    # one program per tile while the tiles fit in the grid, else a grid-stride loop
    num_tiles = triton.cdiv(num_tasks, tile_size)
    num_ctas = max(1, min(num_tiles, max_ctas))
    tiles_per_cta = triton.cdiv(num_tiles, num_ctas)
    return num_ctas, tiles_per_cta, tiles_per_cta == 1


def _launch_true_div_func(in0, in1):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    in1 = in1.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        true_div_func_kernel_rank_1[(num_ctas,)](
            in0, in1, out, n, tiles_per_cta, tile_size=512, one_tile_per_cta=one_tile
        )
    return out.view(shape)


def _launch_true_div_func_rn(in0, in1):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    in1 = in1.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        true_div_func_rn_kernel_rank_1[(num_ctas,)](
            in0, in1, out, n, tiles_per_cta, tile_size=512, one_tile_per_cta=one_tile
        )
    return out.view(shape)


def true_divide(A, B):
    logger.debug("GEMS TRUE_DIVIDE")
    if isinstance(A, torch.Tensor) and isinstance(B, torch.Tensor):
        return true_div_func(A, B)
    elif isinstance(A, torch.Tensor):
        return true_div_func(A, torch.tensor(B, device=A.device))
    elif isinstance(B, torch.Tensor):
        return true_div_func(torch.tensor(A, device=B.device), B)
    else:
        return torch.tensor(A / B)


def div_mode(A, B, rounding_mode=None):
    if rounding_mode is None:
        return true_divide(A, B)
    logger.debug(f"GEMS DIV rounding_mode={rounding_mode}")
    return true_div_func_rn(A, B)
