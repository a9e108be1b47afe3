# gelu_and_mul: out = gelu(x) * y (GeGLU gating), exact (erf) and tanh-approximated forms.
#
# FlagGems style (fused/gelu_and_mul.py, our own code): one scalar function per approximation
# under @pointwise_dynamic, libdevice functions taken through tl_extra_shim. The generated
# kernels below are the Triton 3 form of pointwise_dynamic's output: rank-1 block pointers with
# boundary_check, one tile per program or a grid-stride loop over tiles.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import tl_extra_shim
from ..utils import triton_lang_extension as tle

erf = tl_extra_shim.erf
pow = tl_extra_shim.pow
tanh = tl_extra_shim.tanh

logger = logging.getLogger(__name__)

SQRT_HALF = 0.7071067811865476
SQRT_TWO_OVER_PI = 0.7978845608028654
GELU_CUBIC = 0.044715


@pointwise_dynamic(promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def gelu_none_and_mul_kernel(x, y):
    x_f32 = x.to(tl.float32)
    cdf = 0.5 * (1.0 + erf(x_f32 * SQRT_HALF))
    return x_f32 * cdf * y


@pointwise_dynamic(promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def gelu_tanh_and_mul_kernel(x, y):
    x_f32 = x.to(tl.float32)
    inner = SQRT_TWO_OVER_PI * x_f32 * (1.0 + GELU_CUBIC * pow(x_f32, 2.0))
    cdf = 0.5 * (1.0 + tanh(inner))
    return x_f32 * cdf * y


# The kernels pointwise_dynamic generates (Triton 3, block pointers) for contiguous rank-1 views.
@libentry()
@triton.jit
def gelu_none_and_mul_kernel_rank_1(
    in0_ptr,
    in1_ptr,
    out0_ptr,
    in0_stride0,
    in1_stride0,
    out0_stride0,
    s0,
    num_tasks,
    tiles_per_cta,
    tile_size0: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    if one_tile_per_cta:
        offset0 = pid * tile_size0
        in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size0,), order=(0,))
        in0 = tl.load(in0_bptr, boundary_check=(0,))
        in1_bptr = tl.make_block_ptr(in1_ptr, (s0,), (in1_stride0,), (offset0,), (tile_size0,), order=(0,))
        in1 = tl.load(in1_bptr, boundary_check=(0,))
        out0 = gelu_none_and_mul_kernel(in0, in1)
        out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size0,), order=(0,))
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offset0 = tile_id * tile_size0
            in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size0,), order=(0,))
            in0 = tl.load(in0_bptr, boundary_check=(0,))
            in1_bptr = tl.make_block_ptr(in1_ptr, (s0,), (in1_stride0,), (offset0,), (tile_size0,), order=(0,))
            in1 = tl.load(in1_bptr, boundary_check=(0,))
            out0 = gelu_none_and_mul_kernel(in0, in1)
            out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size0,), order=(0,))
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))


@libentry()
@triton.jit
def gelu_tanh_and_mul_kernel_rank_1(
    in0_ptr,
    in1_ptr,
    out0_ptr,
    in0_stride0,
    in1_stride0,
    out0_stride0,
    s0,
    num_tasks,
    tiles_per_cta,
    tile_size0: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    if one_tile_per_cta:
        offset0 = pid * tile_size0
        in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size0,), order=(0,))
        in0 = tl.load(in0_bptr, boundary_check=(0,))
        in1_bptr = tl.make_block_ptr(in1_ptr, (s0,), (in1_stride0,), (offset0,), (tile_size0,), order=(0,))
        in1 = tl.load(in1_bptr, boundary_check=(0,))
        out0 = gelu_tanh_and_mul_kernel(in0, in1)
        out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size0,), order=(0,))
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offset0 = tile_id * tile_size0
            in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size0,), order=(0,))
            in0 = tl.load(in0_bptr, boundary_check=(0,))
            in1_bptr = tl.make_block_ptr(in1_ptr, (s0,), (in1_stride0,), (offset0,), (tile_size0,), order=(0,))
            in1 = tl.load(in1_bptr, boundary_check=(0,))
            out0 = gelu_tanh_and_mul_kernel(in0, in1)
            out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size0,), order=(0,))
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))


class GeluAndMul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y, approximate="none"):
        logger.debug(f"GEMS GELU AND MUL FORWARD {approximate=}")
        ctx.save_for_backward(x, y)
        ctx.approximate = approximate
        if approximate == "none":
            return gelu_none_and_mul_kernel(x, y)
        elif approximate == "tanh":
            return gelu_tanh_and_mul_kernel(x, y)
        raise ValueError(f"Invalid approximate value: {approximate}")


def gelu_and_mul(x, y, approximate="none"):
    return GeluAndMul.apply(x, y, approximate)
