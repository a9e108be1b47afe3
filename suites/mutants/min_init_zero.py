# MUTANT of suites/flaggems/min.py (wrong-init): best value starts at 0 instead of +inf: wrong for all-positive rows.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# min: the mirror image of max — masked lanes read as +inf, a strictly smaller tile minimum
# replaces the running best. Full reduction in two stages; dim reduction over the middle axis of
# an M x N x K view with values and indices.
# Written for vlift's suite after the FlagGems v2.2 algorithm.
import logging
import math
from collections import namedtuple

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.jit
def min_kernel_1(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(inp + offs, mask=offs < M, other=float("inf"))
    tl.store(mid + pid, tl.min(vals))


@libentry()
@triton.jit
def min_kernel_2(mid, out, mid_size, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    partials = tl.load(mid + offs, mask=offs < mid_size, other=float("inf"))
    smallest = tl.min(partials)
    tl.store(out, smallest)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("min"), key=["M", "N"])
@triton.jit
def min_kernel(inp, out_value, out_index, M, N, K, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid_m = tle.program_id(0)
    pid_k = tle.program_id(1)
    m_offset = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)

    dtype = inp.dtype.element_ty
    acc_type = tl.float32 if dtype is tl.bfloat16 else dtype
    result_value = tl.full([BLOCK_M], value=0.0, dtype=acc_type)  # MUTANT (wrong-init): best value starts at 0 instead of +inf: wrong for all-positive rows
    result_index = tl.zeros([BLOCK_M], dtype=tl.int64)
    for i in range(0, N, BLOCK_N):
        n_offset = i + tl.arange(0, BLOCK_N)
        offset = m_offset[:, None] * N * K + n_offset[None, :] * K + pid_k
        mask = m_offset[:, None] < M and n_offset[None, :] < N
        inp_vals = tl.load(inp + offset, mask=mask, other=float("inf"))
        tile_min, tile_argmin = tl.min(inp_vals, axis=1, return_indices=True)
        smaller = tile_min < result_value
        result_value = tl.where(smaller, tile_min, result_value)
        result_index = tl.where(smaller, i + tile_argmin, result_index)
    out_offset = m_offset * K + pid_k
    keep = m_offset < M
    tl.store(out_value + out_offset, result_value, mask=keep)
    tl.store(out_index + out_offset, result_index, mask=keep)


def min(inp):
    logger.debug("GEMS MIN")
    n = inp.numel()
    block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
    mid_size = triton.cdiv(n, block_size)
    block_mid = triton.next_power_of_2(mid_size)

    mid = torch.empty((mid_size,), dtype=inp.dtype, device=inp.device)
    out = torch.empty([], dtype=inp.dtype, device=inp.device)
    with torch_device_fn.device(inp.device):
        min_kernel_1[(mid_size, 1, 1)](inp, mid, n, block_size)
        min_kernel_2[(1, 1, 1)](mid, out, mid_size, block_mid)
    return out


MinOut = namedtuple("min", ["values", "indices"])


def min_dim(inp, dim=None, keepdim=False):
    logger.debug(f"GEMS MIN DIM (dim={dim})")
    assert -inp.ndim <= dim < inp.ndim, "Invalid dim"
    shape = inp.shape
    dim = dim % inp.ndim
    N = shape[dim]
    M = math.prod(shape[:dim])
    K = inp.numel() // M // N

    inp = inp.contiguous()
    out_shape = list(shape)
    out_shape[dim] = 1
    out_value = torch.empty(out_shape, dtype=inp.dtype, device=inp.device)
    out_index = torch.empty(out_shape, dtype=torch.int64, device=inp.device)
    if not keepdim:
        out_value = torch.squeeze(out_value, dim)
        out_index = torch.squeeze(out_index, dim)

    grid = lambda meta: (triton.cdiv(M, meta["BLOCK_M"]), K)
    with torch_device_fn.device(inp.device):
        min_kernel[grid](inp, out_value, out_index, M, N, K)
    return MinOut(values=out_value, indices=out_index)
