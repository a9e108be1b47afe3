# minimum: out = min(x, y) elementwise with broadcasting, FlagGems style (ops/minimum.py; our
# own code). The kernel below is pointwise_dynamic's rank-2 pointer form: the broadcast operand
# is a view with stride 0 along the broadcast dimension, so the kernel itself knows nothing of
# broadcasting.
import logging

import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def minimum_kernel(X, Y):
    if X.dtype == tl.bfloat16:
        X = X.to(tl.float32)
        Y = Y.to(tl.float32)
    return tl.minimum(X, Y)


@libentry()
@triton.jit
def minimum_kernel_rank_2(
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
        offsets0 = tile_id0 * tile_size0 + tl.arange(0, tile_size0)
        offsets1 = tile_id1 * tile_size1 + tl.arange(0, tile_size1)
        mask = (offsets0[:, None] < s0) & (offsets1[None, :] < s1)
        in0 = tl.load(in0_ptr + offsets0[:, None] * in0_stride0 + offsets1[None, :] * in0_stride1, mask=mask)
        in1 = tl.load(in1_ptr + offsets0[:, None] * in1_stride0 + offsets1[None, :] * in1_stride1, mask=mask)
        out0 = minimum_kernel(in0, in1)
        out0_ptrs = out0_ptr + offsets0[:, None] * out0_stride0 + offsets1[None, :] * out0_stride1
        tl.store(out0_ptrs, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            tile_id1 = tile_id % num_tiles1
            tile_id0 = tile_id // num_tiles1
            offsets0 = tile_id0 * tile_size0 + tl.arange(0, tile_size0)
            offsets1 = tile_id1 * tile_size1 + tl.arange(0, tile_size1)
            mask = (offsets0[:, None] < s0) & (offsets1[None, :] < s1)
            in0 = tl.load(in0_ptr + offsets0[:, None] * in0_stride0 + offsets1[None, :] * in0_stride1, mask=mask)
            in1 = tl.load(in1_ptr + offsets0[:, None] * in1_stride0 + offsets1[None, :] * in1_stride1, mask=mask)
            out0 = minimum_kernel(in0, in1)
            out0_ptrs = out0_ptr + offsets0[:, None] * out0_stride0 + offsets1[None, :] * out0_stride1
            tl.store(out0_ptrs, out0.to(out0_ptr.dtype.element_ty), mask=mask)


def minimum(X, Y):
    logger.debug("GEMS MINIMUM")
    assert X.is_cuda and Y.is_cuda
    return minimum_kernel(X, Y)
