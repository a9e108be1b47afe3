# maximum: out = max(x, y) elementwise, FlagGems style (ops/maximum.py; our own code): bf16
# operands are widened first (a compile-time dtype test). Two generated kernels: the rank-1
# pointer form (contiguous operands, flattened) and the rank-2 block-pointer form with strides.
import logging

import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def maximum_kernel(X, Y):
    if X.dtype == tl.bfloat16:
        X = X.to(tl.float32)
        Y = Y.to(tl.float32)
    return tl.maximum(X, Y)


@libentry()
@triton.jit
def maximum_kernel_rank_1(in0_ptr, in1_ptr, out0_ptr, n_elements, tiles_per_cta, tile_size: tl.constexpr, one_tile_per_cta: tl.constexpr):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    if one_tile_per_cta:
        offsets = pid * tile_size + tl.arange(0, tile_size)
        mask = offsets < n_elements
        in0 = tl.load(in0_ptr + offsets, mask=mask)
        in1 = tl.load(in1_ptr + offsets, mask=mask)
        out0 = maximum_kernel(in0, in1)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < n_elements
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            in1 = tl.load(in1_ptr + offsets, mask=mask)
            out0 = maximum_kernel(in0, in1)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


@libentry()
@triton.jit
def maximum_kernel_rank_2(
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
        out0 = maximum_kernel(in0, in1)
        out0_bptr = tl.make_block_ptr(
            out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(1, 0))


def maximum(X, Y):
    logger.debug("GEMS MAXIMUM")
    assert X.is_cuda and Y.is_cuda
    return maximum_kernel(X, Y)
