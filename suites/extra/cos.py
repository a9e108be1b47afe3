# cos: y = cos(x), FlagGems style (ops/cos.py; our own code). The kernel below is the Triton 3
# form of pointwise_dynamic's rank-1 output: block pointers with boundary_check.
import logging

import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, "INT_TO_FLOAT")])
@triton.jit
def cos_func(x):
    return tl.cos(x.to(tl.float32))


@libentry()
@triton.jit
def cos_func_rank_1(
    in0_ptr,
    out0_ptr,
    in0_stride0,
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
        out0 = cos_func(in0)
        out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size0,), order=(0,))
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offset0 = tile_id * tile_size0
            in0_bptr = tl.make_block_ptr(in0_ptr, (s0,), (in0_stride0,), (offset0,), (tile_size0,), order=(0,))
            in0 = tl.load(in0_bptr, boundary_check=(0,))
            out0 = cos_func(in0)
            out0_bptr = tl.make_block_ptr(out0_ptr, (s0,), (out0_stride0,), (offset0,), (tile_size0,), order=(0,))
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(0,))


def cos(A):
    logger.debug("GEMS COS")
    return cos_func(A)


def cos_(A):
    logger.debug("GEMS COS_")
    cos_func(A, out0=A)
    return A
