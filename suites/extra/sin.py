# sin: y = sin(x), FlagGems style (ops/sin.py; our own code). The scalar function computes in
# fp32; the kernel below is pointwise_dynamic's rank-1 pointer form for contiguous inputs.
import logging

import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, "INT_TO_FLOAT")])
@triton.jit
def sin_func(x):
    return tl.sin(x.to(tl.float32))


@libentry()
@triton.jit
def sin_func_rank_1(in0_ptr, out0_ptr, n_elements, tiles_per_cta, tile_size: tl.constexpr, one_tile_per_cta: tl.constexpr):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    if one_tile_per_cta:
        offsets = pid * tile_size + tl.arange(0, tile_size)
        mask = offsets < n_elements
        in0 = tl.load(in0_ptr + offsets, mask=mask)
        out0 = sin_func(in0)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < n_elements
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            out0 = sin_func(in0)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


def sin(A):
    logger.debug("GEMS SIN")
    return sin_func(A)


def sin_(A):
    logger.debug("GEMS SIN_")
    sin_func(A, out0=A)
    return A
