# MUTANT of suites/flaggems/gelu.py (wrong-constant): 1/sqrt(2) instead of sqrt(2/pi) = 0.79788456.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# gelu: the exact form out = 0.5 * x * (1 + erf(x / sqrt(2))) and the tanh approximation
# out = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).  FlagGems v2.2 style (our own
# code): erf, tanh and pow come from libdevice through tl_extra_shim; the host picks the scalar
# function from the `approximate` argument.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import tl_extra_shim

logger = logging.getLogger(__name__)

erf = tl_extra_shim.erf
tanh = tl_extra_shim.tanh
pow = tl_extra_shim.pow


@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def gelu_none(x):
    scale: tl.constexpr = 0.7071067811  # 1 / sqrt(2)
    out = 0.5 * x * (1 + erf(x * scale))
    return out


@pointwise_dynamic(promotion_methods=[(0, "DEFAULT")])
@triton.jit
def gelu_tanh(x):
    x_f32 = x.to(tl.float32)
    # 0.79788456 = sqrt(2 / pi); x * (1 + 0.044715 * x^2) = x + 0.044715 * x^3
    inner = x_f32 * 0.7071067811 * (1 + 0.044715 * pow(x_f32, 2))  # MUTANT (wrong-constant): 1/sqrt(2) instead of sqrt(2/pi) = 0.79788456
    out = 0.5 * x_f32 * (1 + tanh(inner))
    return out


# ---- What pointwise_dynamic's code generator emits on Triton 3 for gelu_none / gelu_tanh
# on tensors viewed as rank 1: the same tiling as the pointer form, but every tile is addressed
# through a block pointer (explicit shape and stride) and bounds are enforced by
# boundary_check=(0,) on the loads and the store. One tile per program, or a grid-stride loop.


@triton.jit
def _tile_program_id(axis: tl.constexpr):
    # the code generator's program-id helper: 64-bit, so tile_id * tile_size cannot overflow
    return tl.program_id(axis).to(tl.int64)


@libentry()
@triton.jit
def gelu_none_kernel_rank_1(
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
        out0 = gelu_none(in0)
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
            out0 = gelu_none(in0)
            out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size,), order=(0,))
            # a store through a block pointer does not cast: cast to the output's element type
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))


@libentry()
@triton.jit
def gelu_tanh_kernel_rank_1(
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
        out0 = gelu_tanh(in0)
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
            out0 = gelu_tanh(in0)
            out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size,), order=(0,))
            # a store through a block pointer does not cast: cast to the output's element type
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))


def _rank1_launch_config(num_tasks, tile_size=512, max_ctas=65536):
    # one program per tile while the tiles fit in the grid, else a grid-stride loop
    num_tiles = triton.cdiv(num_tasks, tile_size)
    num_ctas = max(1, min(num_tiles, max_ctas))
    tiles_per_cta = triton.cdiv(num_tiles, num_ctas)
    return num_ctas, tiles_per_cta, tiles_per_cta == 1


def _launch_gelu_none(in0):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        gelu_none_kernel_rank_1[(num_ctas,)](
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


def _launch_gelu_tanh(in0):
    # the launch pointwise_dynamic performs when every operand is contiguous and of one shape
    shape = in0.shape
    in0 = in0.contiguous().view(-1)
    out = torch.empty_like(in0)
    n = out.numel()
    num_ctas, tiles_per_cta, one_tile = _rank1_launch_config(n, 512)
    with torch.cuda.device(out.device):
        gelu_tanh_kernel_rank_1[(num_ctas,)](
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


class Gelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, A, approximate):
        logger.debug("GEMS GELU FORWARD")
        if approximate == "tanh":
            out = gelu_tanh(A)
        else:
            out = gelu_none(A)
        ctx.save_for_backward(A)
        ctx.approximate = approximate
        return out


def gelu(A, *, approximate="none"):
    return Gelu.apply(A, approximate)
