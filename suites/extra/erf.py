# erf: y = erf(x), FlagGems style (ops/erf.py; our own code), libdevice erf through
# tl_extra_shim. The kernel below is pointwise_dynamic's rank-2 form, used when the input is a
# non-contiguous view (here: a transposed matrix): 2-D tiles, explicit strides, block pointers.
import logging

import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import tl_extra_shim
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, "INT_TO_FLOAT")])
@triton.jit
def erf_func(x):
    result = tl_extra_shim.erf(x.to(tl.float32))
    return result


@libentry()
@triton.jit
def erf_func_rank_2(
    in0_ptr,
    out0_ptr,
    in0_stride0,
    in0_stride1,
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
        offset0 = tile_id0 * tile_size0
        offset1 = tile_id1 * tile_size1
        in0_bptr = tl.make_block_ptr(
            in0_ptr, (s0, s1), (in0_stride0, in0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        in0 = tl.load(in0_bptr, boundary_check=(1, 0))
        out0 = erf_func(in0)
        out0_bptr = tl.make_block_ptr(
            out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
        )
        tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(1, 0))
    else:
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
            out0 = erf_func(in0)
            out0_bptr = tl.make_block_ptr(
                out0_ptr, (s0, s1), (out0_stride0, out0_stride1), (offset0, offset1), (tile_size0, tile_size1), order=(1, 0)
            )
            tl.store(out0_bptr, out0.to(out0_ptr.dtype.element_ty), boundary_check=(1, 0))


def erf(x):
    logger.debug("GEMS ERF")
    return erf_func(x)


def erf_(x):
    logger.debug("GEMS ERF_")
    return erf_func(x, out0=x)
