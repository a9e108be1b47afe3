# clamp: y = min(max(x, lo), hi), FlagGems style (ops/clamp.py; our own code). The scalar
# functions take the bounds either as tensors or as Python scalars (is_tensor=[True, False,
# False]); the kernel below is pointwise_dynamic's rank-1 pointer form for the scalar-bounds
# function, with the bounds passed as plain kernel arguments.
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import pointwise_dynamic
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@pointwise_dynamic(promotion_methods=[(0, 1, 2, "DEFAULT")])
@triton.jit
def clamp_func_tensor(x, mini, maxi):
    return tl.minimum(maxi, tl.maximum(mini, x.to(tl.float32)))


@pointwise_dynamic(is_tensor=[True, False, False], promotion_methods=[(0, 1, 2, "DEFAULT")])
@triton.jit
def clamp_func(x, mini, maxi):
    return tl.minimum(maxi, tl.maximum(mini, x.to(tl.float32)))


@pointwise_dynamic(is_tensor=[True, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def clamp_func_min(x, mini):
    return tl.maximum(mini, x.to(tl.float32))


@pointwise_dynamic(is_tensor=[True, False], promotion_methods=[(0, 1, "DEFAULT")])
@triton.jit
def clamp_func_max(x, maxi):
    return tl.minimum(maxi, x.to(tl.float32))


# pointwise_dynamic's kernel for clamp_func: one tensor operand, two scalar operands.
@libentry()
@triton.jit(do_not_specialize=["val0", "val1"])
def clamp_func_rank_1(
    in0_ptr,
    val0,
    val1,
    out0_ptr,
    n_elements,
    tiles_per_cta,
    tile_size: tl.constexpr,
    one_tile_per_cta: tl.constexpr,
):
    pid = tle.program_id(0)
    num_ctas = tle.num_programs(0)
    if one_tile_per_cta:
        offsets = pid * tile_size + tl.arange(0, tile_size)
        mask = offsets < n_elements
        in0 = tl.load(in0_ptr + offsets, mask=mask)
        out0 = clamp_func(in0, val0, val1)
        tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)
    else:
        for j in range(0, tiles_per_cta):
            tile_id = pid + j * num_ctas
            offsets = tile_id * tile_size + tl.arange(0, tile_size)
            mask = offsets < n_elements
            in0 = tl.load(in0_ptr + offsets, mask=mask)
            out0 = clamp_func(in0, val0, val1)
            tl.store(out0_ptr + offsets, out0.to(out0_ptr.dtype.element_ty), mask=mask)


def clamp(A, mini=None, maxi=None):
    logger.debug("GEMS CLAMP")
    if mini is None and maxi is None:
        raise ValueError("At least one of mini or maxi must not be None")
    elif mini is None:
        return clamp_func_max(A, maxi)
    elif maxi is None:
        return clamp_func_min(A, mini)
    return clamp_func(A, mini, maxi)


def clamp_tensor(A, mini=None, maxi=None):
    logger.debug("GEMS CLAMP TENSOR")
    if mini is None:
        mini = torch.finfo(A.dtype).min
    if maxi is None:
        maxi = torch.finfo(A.dtype).max
    return clamp_func_tensor(A, mini, maxi)
