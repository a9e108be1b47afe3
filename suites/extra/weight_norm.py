# weight_norm: w = g * v / ||v||, the norm taken over everything but dim. FlagGems style
# (ops/weightnorm.py; our own code). For dim = 0 (one norm per output row of v viewed as M x N)
# weight_norm_kernel_first does a block of rows per program: a first loop over column tiles
# accumulates v*v in a [BLOCK_ROW_SIZE, BLOCK_COL_SIZE] tile, the row norms
# sqrt(sum + eps) are stored, and a second loop writes v * (g / norm). For dim = last,
# weight_norm_kernel_last is the transposed arrangement (one norm per column).
import logging

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("weight_norm_kernel_first"), key=["M", "N"])
@triton.jit(do_not_specialize=["eps"])
def weight_norm_kernel_first(
    output,
    norm,
    v,
    g,
    M,
    N,
    eps,
    BLOCK_ROW_SIZE: tl.constexpr,
    BLOCK_COL_SIZE: tl.constexpr,
):
    row_ids = tle.program_id(0) * BLOCK_ROW_SIZE + tl.arange(0, BLOCK_ROW_SIZE)[:, None]
    row_mask = row_ids < M
    col_lanes = tl.arange(0, BLOCK_COL_SIZE)[None, :]

    acc = tl.zeros([BLOCK_ROW_SIZE, BLOCK_COL_SIZE], dtype=tl.float32)
    for col_start in range(0, N, BLOCK_COL_SIZE):
        cols = col_start + col_lanes
        mask = row_mask and cols < N
        v_tile = tl.load(v + row_ids * N + cols, mask=mask, other=0.0).to(tl.float32)
        acc += v_tile * v_tile
    row_norm = tl.sqrt(tl.sum(acc, axis=1) + eps)[:, None]
    tl.store(norm + row_ids, row_norm, mask=row_mask)

    g_rows = tl.load(g + row_ids, mask=row_mask, other=0.0).to(tl.float32)
    scale = g_rows / row_norm
    for col_start in range(0, N, BLOCK_COL_SIZE):
        cols = col_start + col_lanes
        mask = row_mask and cols < N
        v_tile = tl.load(v + row_ids * N + cols, mask=mask, other=0.0).to(tl.float32)
        tl.store(output + row_ids * N + cols, v_tile * scale, mask=mask)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("weight_norm_kernel_last"), key=["M", "N"])
@triton.jit(do_not_specialize=["eps"])
def weight_norm_kernel_last(
    output,
    norm,
    v,
    g,
    M,
    N,
    eps,
    BLOCK_ROW_SIZE: tl.constexpr,
    BLOCK_COL_SIZE: tl.constexpr,
):
    col_ids = tle.program_id(0) * BLOCK_COL_SIZE + tl.arange(0, BLOCK_COL_SIZE)[:, None]
    col_mask = col_ids < N
    row_lanes = tl.arange(0, BLOCK_ROW_SIZE)[None, :]

    acc = tl.zeros([BLOCK_COL_SIZE, BLOCK_ROW_SIZE], dtype=tl.float32)
    for row_start in range(0, M, BLOCK_ROW_SIZE):
        rows = row_start + row_lanes
        mask = rows < M and col_mask
        v_tile = tl.load(v + rows * N + col_ids, mask=mask, other=0.0).to(tl.float32)
        acc += v_tile * v_tile
    col_norm = tl.sqrt(tl.sum(acc, axis=1) + eps)[:, None]
    tl.store(norm + col_ids, col_norm, mask=col_mask)

    g_cols = tl.load(g + col_ids, mask=col_mask, other=0.0).to(tl.float32)
    scale = g_cols / col_norm
    for row_start in range(0, M, BLOCK_ROW_SIZE):
        rows = row_start + row_lanes
        mask = rows < M and col_mask
        v_tile = tl.load(v + rows * N + col_ids, mask=mask, other=0.0).to(tl.float32)
        tl.store(output + rows * N + col_ids, v_tile * scale, mask=mask)


def weight_norm_interface(v, g, dim=0):
    logger.debug("GEMS WEIGHT NORM INTERFACE")
    v = v.contiguous()
    output = torch.empty_like(v)
    if dim == 0:
        M = v.shape[0]
        N = v.numel() // M
        norm = torch.empty(M, dtype=torch.float32, device=v.device)
        grid = lambda META: (triton.cdiv(M, META["BLOCK_ROW_SIZE"]),)
        with torch_device_fn.device(v.device):
            weight_norm_kernel_first[grid](output, norm, v, g, M, N, eps=torch.finfo(torch.float32).tiny)
    elif dim == v.ndim - 1:
        N = v.shape[-1]
        M = v.numel() // N
        norm = torch.empty(N, dtype=torch.float32, device=v.device)
        grid = lambda META: (triton.cdiv(N, META["BLOCK_COL_SIZE"]),)
        with torch_device_fn.device(v.device):
            weight_norm_kernel_last[grid](output, norm, v, g, M, N, eps=torch.finfo(torch.float32).tiny)
    else:
        raise NotImplementedError(f"weight_norm over dim={dim}")
    return output, norm
