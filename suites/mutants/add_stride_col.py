# MUTANT of suites/flaggems/add.py (wrong-stride): one-tile pointer kernel: x's column offset uses x's row stride (x is column-major).
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# add: out = x + alpha * y (torch.add with a scalar alpha), with broadcasting.  FlagGems v2.2 style
# (our own code): the operator is the scalar function add_func under @pointwise_dynamic, alpha a
# non-tensor argument. For operands of different shapes the host broadcasts them to the output's
# shape (torch's expand: stride 0 along a broadcast dimension) and the generator emits a rank-2
# kernel over the output's (s0, s1) task space with every operand's strides as arguments.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic

logger = logging.getLogger(__name__)


@pointwise_dynamic(is_tensor=[True, True, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def add_func(x, y, alpha):
    return x + y * alpha


@pointwise_dynamic(is_tensor=[True, False, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def add_func_tensor_scalar(x, y, alpha):
    return x + y * alpha


@pointwise_dynamic(is_tensor=[False, True, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def add_func_scalar_tensor(x, y, alpha):
    return x + y * alpha


# ---- What pointwise_dynamic's code generator emits for add_func on rank-2 operands: 2-D tiles of
# tile_size0 x tile_size1 over the output's task space, tile ids split row-major into
# (tile_id0, tile_id1), one tile per program or a grid-stride loop over tiles. Every operand is
# addressed through its own strides, so a broadcast operand (stride 0) and a transposed one need
# no copy. Pointer form: 2-D offsets and a 2-D mask, loads without other=. Block-pointer form
# (Triton 3): one block pointer per operand, boundary_check=(0, 1).


@triton.jit
def _tile_program_id(axis: tl.constexpr):
    # the code generator's program-id helper: 64-bit, so tile_id * tile_size cannot overflow
    return tl.program_id(axis).to(tl.int64)


@libentry()
@triton.jit
def add_func_kernel_rank_2(
    in0_ptr,
    in1_ptr,
    val0,
    out0_ptr,
    in0_stride0,
    in0_stride1,
    in1_stride0,
    in1_stride1,
    out0_stride0,
    out0_stride1,
    s0,
    s1,
    tiles_per_cta,
    tile_size0: tl.constexpr,
    tile_size1: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = _tile_program_id(0)
    # tiles are numbered row-major over the (s0, s1) task space
    num_tiles1 = tl.cdiv(s1, tile_size1)
    if one_tile_per_cta:  # the host launched one program per tile
        tile_id = pid
        tile_id0 = tile_id // num_tiles1
        tile_id1 = tile_id % num_tiles1
        offsets0 = tile_id0 * tile_size0 + tl.arange(0, tile_size0)
        offsets1 = tile_id1 * tile_size1 + tl.arange(0, tile_size1)
        mask = (offsets0 < s0)[:, None] & (offsets1 < s1)[None, :]
        in0 = tl.load(in0_ptr + offsets0[:, None] * in0_stride0 + offsets1[None, :] * in0_stride0, mask=mask)  # MUTANT (wrong-stride): one-tile pointer kernel: x's column offset uses x's row stride (x is column-major)
        in1 = tl.load(in1_ptr + offsets0[:, None] * in1_stride0 + offsets1[None, :] * in1_stride1, mask=mask)
        out0 = add_func(in0, in1, val0)
        out0_offsets = offsets0[:, None] * out0_stride0 + offsets1[None, :] * out0_stride1
        tl.store(out0_ptr + out0_offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            tile_id0 = tile_id // num_tiles1
            tile_id1 = tile_id % num_tiles1
            offsets0 = tile_id0 * tile_size0 + tl.arange(0, tile_size0)
            offsets1 = tile_id1 * tile_size1 + tl.arange(0, tile_size1)
            mask = (offsets0 < s0)[:, None] & (offsets1 < s1)[None, :]
            in0 = tl.load(in0_ptr + offsets0[:, None] * in0_stride0 + offsets1[None, :] * in0_stride1, mask=mask)
            in1 = tl.load(in1_ptr + offsets0[:, None] * in1_stride0 + offsets1[None, :] * in1_stride1, mask=mask)
            out0 = add_func(in0, in1, val0)
            out0_offsets = offsets0[:, None] * out0_stride0 + offsets1[None, :] * out0_stride1
            tl.store(out0_ptr + out0_offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


@libentry()
@triton.jit
def add_func_kernel_rank_2_block_ptr(
    in0_ptr,
    in1_ptr,
    val0,
    out0_ptr,
    in0_stride0,
    in0_stride1,
    in1_stride0,
    in1_stride1,
    out0_stride0,
    out0_stride1,
    s0,
    s1,
    tiles_per_cta,
    tile_size0: tl.constexpr,
    tile_size1: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = _tile_program_id(0)
    # tiles are numbered row-major over the (s0, s1) task space
    num_tiles1 = tl.cdiv(s1, tile_size1)
    if one_tile_per_cta:  # the host launched one program per tile
        tile_id = pid
        offset0 = (tile_id // num_tiles1) * tile_size0
        offset1 = (tile_id % num_tiles1) * tile_size1
        in0_bptr = tl.make_block_ptr(
            in0_ptr, (s0, s1), (in0_stride0, in0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        in0 = tl.load(in0_bptr, boundary_check=(0, 1))
        in1_bptr = tl.make_block_ptr(
            in1_ptr, (s0, s1), (in1_stride0, in1_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        in1 = tl.load(in1_bptr, boundary_check=(0, 1))
        out0 = add_func(in0, in1, val0)
        out0_bptr = tl.make_block_ptr(
            out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0, 1))
    else:  # grid-stride loop: program pid takes tiles pid, pid + num_ctas, ...
        num_ctas = tl.num_programs(0)
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offset0 = (tile_id // num_tiles1) * tile_size0
            offset1 = (tile_id % num_tiles1) * tile_size1
            in0_bptr = tl.make_block_ptr(
                in0_ptr, (s0, s1), (in0_stride0, in0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            in0 = tl.load(in0_bptr, boundary_check=(0, 1))
            in1_bptr = tl.make_block_ptr(
                in1_ptr, (s0, s1), (in1_stride0, in1_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            in1 = tl.load(in1_bptr, boundary_check=(0, 1))
            out0 = add_func(in0, in1, val0)
            out0_bptr = tl.make_block_ptr(
                out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0, 1))


def _rank2_launch_config(shape, tile_sizes=(4, 128), max_ctas=65536):
    num_tiles = triton.cdiv(shape[0], tile_sizes[0]) * triton.cdiv(shape[1], tile_sizes[1])
    num_ctas = max(1, min(num_tiles, max_ctas))
    tiles_per_cta = triton.cdiv(num_tiles, num_ctas)
    return num_ctas, tiles_per_cta, tiles_per_cta == 1


def _launch_add_func_rank_2(A, B, alpha, use_block_ptr=False):
    # the launch pointwise_dynamic performs for two rank-2 operands that broadcast together
    shape = torch.broadcast_shapes(A.shape, B.shape)
    in0 = A.expand(shape)
    in1 = B.expand(shape)  # a broadcast dimension gets stride 0
    out = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
    tile_sizes = (4, 128)
    num_ctas, tiles_per_cta, one_tile = _rank2_launch_config(shape, tile_sizes)
    kernel = add_func_kernel_rank_2_block_ptr if use_block_ptr else add_func_kernel_rank_2
    with torch.cuda.device(out.device):
        kernel[(num_ctas,)](
            in0,
            in1,
            alpha,
            out,
            *in0.stride(),
            *in1.stride(),
            *out.stride(),
            *shape,
            tiles_per_cta,
            tile_size0=tile_sizes[0],
            tile_size1=tile_sizes[1],
            one_tile_per_cta=one_tile,
        )
    return out


def add(A, B, *, alpha=1):
    logger.debug("GEMS ADD")
    if isinstance(A, torch.Tensor) and isinstance(B, torch.Tensor):
        return add_func(A, B, alpha)
    elif isinstance(A, torch.Tensor):
        return add_func_tensor_scalar(A, B, alpha)
    elif isinstance(B, torch.Tensor):
        return add_func_scalar_tensor(A, B, alpha)
    else:
        return torch.tensor(A + B * alpha)
