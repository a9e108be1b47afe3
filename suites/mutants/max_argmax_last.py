# MUTANT of suites/flaggems/max.py (argmax-last): `>=` across tiles: ties keep the later tile's index instead of the first.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# max: full reduction (two stages, masked lanes read as -inf) and max along one dimension with
# values and indices. The dim kernel sees the input as M x N x K (N reduced), loops over N in
# BLOCK_N tiles, takes each tile's row maxima with their indices and keeps a running best that
# only a strictly larger tile maximum replaces (so the first maximum's index wins).
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
def max_kernel_1(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(inp + offs, mask=offs < M, other=-float("inf"))
    block_max = tl.max(vals)
    tl.store(mid + pid, block_max)


@libentry()
@triton.jit
def max_kernel_2(mid, out, mid_size, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    partials = tl.load(mid + offs, mask=offs < mid_size, other=-float("inf"))
    tl.store(out, tl.max(partials))


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("max"), key=["M", "N"])
@triton.jit
def max_kernel(inp, out_value, out_index, M, N, K, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid_m = tle.program_id(0)
    pid_k = tle.program_id(1)
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)

    dtype = inp.type.element_ty
    acc_type = tl.float32 if dtype is tl.bfloat16 else dtype
    best_value = tl.full([BLOCK_M], value=-float("inf"), dtype=acc_type)
    best_index = tl.zeros([BLOCK_M], dtype=tl.int64)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)
        # element (row, col, pid_k) of the contiguous M x N x K input
        offsets = rows[:, None] * N * K + cols[None, :] * K + pid_k
        mask = rows[:, None] < M and cols[None, :] < N
        tile = tl.load(inp + offsets, mask=mask, other=-float("inf"))
        tile_value, tile_index = tl.max(tile, axis=1, return_indices=True)
        better = tile_value >= best_value  # MUTANT (argmax-last): `>=` across tiles: ties keep the later tile's index instead of the first
        best_value = tl.where(better, tile_value, best_value)
        best_index = tl.where(better, start + tile_index, best_index)
    row_mask = rows < M
    out_offsets = rows * K + pid_k
    tl.store(out_value + out_offsets, best_value, mask=row_mask)
    tl.store(out_index + out_offsets, best_index, mask=row_mask)


def max(inp):
    logger.debug("GEMS MAX")
    n = inp.numel()
    block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
    mid_size = triton.cdiv(n, block_size)
    block_mid = triton.next_power_of_2(mid_size)

    mid = torch.empty((mid_size,), dtype=inp.dtype, device=inp.device)
    out = torch.empty([], dtype=inp.dtype, device=inp.device)
    with torch_device_fn.device(inp.device):
        max_kernel_1[(mid_size, 1, 1)](inp, mid, n, block_size)
        max_kernel_2[(1, 1, 1)](mid, out, mid_size, block_mid)
    return out


MaxOut = namedtuple("max", ["values", "indices"])


def max_dim(inp, dim=None, keepdim=False):
    logger.debug(f"GEMS MAX DIM (dim={dim})")
    assert dim >= -inp.ndim and dim < inp.ndim, "Invalid dim"
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
        max_kernel[grid](inp, out_value, out_index, M, N, K)
    return MaxOut(values=out_value, indices=out_index)
