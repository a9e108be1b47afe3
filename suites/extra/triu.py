# triu: keep the upper triangle of a matrix (or of each matrix in a batch) on and above the
# `diagonal`-th diagonal, zero the rest. FlagGems style (ops/triu.py; our own code):
#   triu_kernel        2-D input: a block of rows per program, a loop over column blocks;
#   triu_batch_kernel  3-D input: a block of matrices per program along axis 0 of the grid and a
#                      block of the flattened M*N elements along axis 1; row and column are
#                      recovered with // and %.
# The masks are combined with Python `and`, as in the original.
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
@triton.autotune(configs=runtime.get_tuned_config("triu"), key=["M", "N"])
@triton.jit(do_not_specialize=["diagonal"])
def triu_kernel(X, Y, M, N, diagonal, M_BLOCK_SIZE: tl.constexpr, N_BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    rows = pid * M_BLOCK_SIZE + tl.arange(0, M_BLOCK_SIZE)[:, None]
    row_mask = rows < M
    X += rows * N
    Y += rows * N
    for col_start in range(0, N, N_BLOCK_SIZE):
        cols = col_start + tl.arange(0, N_BLOCK_SIZE)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        x = tl.load(X + cols, mask, other=0.0)
        keep = rows + diagonal <= cols
        y = tl.where(keep, x, 0.0)
        tl.store(Y + cols, y, mask=mask)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("triu_batch"), key=["batch", "MN", "N", "diagonal"])
@triton.jit(do_not_specialize=["diagonal"])
def triu_batch_kernel(
    X,
    Y,
    batch,
    MN,
    N,
    diagonal,
    BATCH_BLOCK_SIZE: tl.constexpr,
    MN_BLOCK_SIZE: tl.constexpr,
):
    batch_id = tle.program_id(0)
    mn_id = tle.program_id(1)
    mats = batch_id * BATCH_BLOCK_SIZE + tl.arange(0, BATCH_BLOCK_SIZE)[:, None]
    batch_mask = mats < batch
    X += mats * MN
    Y += mats * MN
    flat = mn_id * MN_BLOCK_SIZE + tl.arange(0, MN_BLOCK_SIZE)[None, :]
    mn_mask = flat < MN
    mask = batch_mask and mn_mask
    x = tl.load(X + flat, mask, other=0.0)
    row = flat // N
    col = flat % N
    y = tl.where(row + diagonal <= col, x, 0.0)
    tl.store(Y + flat, y, mask=mask)


def _check_batch_contiguous(tensor, allow_zero_stride=True):
    if tensor.is_contiguous():
        return True, tensor
    dims = tensor.dim()
    if dims >= 2:
        n = tensor.size(-1)
        stride_row, stride_col = tensor.stride(-2), tensor.stride(-1)
        if not (stride_col == 1 and stride_row == n):
            return False, tensor.contiguous()
    if allow_zero_stride and dims <= 3:
        return True, tensor
    expected_stride = tensor.size(-1) * tensor.size(-2)
    for i in range(dims - 3, -1, -1):
        if tensor.stride(i) != 0 and tensor.stride(i) != expected_stride:
            return False, tensor.contiguous()
        expected_stride *= tensor.size(i)
    return True, tensor


def triu(A, diagonal=0):
    logger.debug("GEMS TRIU")
    assert len(A.shape) > 1, "Input tensor must have at least 2 dimensions"
    can_use_directly, A_input = _check_batch_contiguous(A, allow_zero_stride=False)
    out = torch.empty(A.shape, dtype=A.dtype, device=A.device)
    M, N = A_input.shape[-2:]
    with torch_device_fn.device(A_input.device):
        if len(A_input.shape) == 2:
            grid = lambda meta: (triton.cdiv(M, meta["M_BLOCK_SIZE"]),)
            triu_kernel[grid](A_input, out, M, N, diagonal)
        else:
            batch = int(torch.numel(A_input) / M / N)
            B = A_input.view(batch, -1)
            grid = lambda meta: (
                triton.cdiv(batch, meta["BATCH_BLOCK_SIZE"]),
                triton.cdiv(M * N, meta["MN_BLOCK_SIZE"]),
            )
            triu_batch_kernel[grid](B, out, batch, M * N, N, diagonal)
            out = out.view(A.shape)
    return out
