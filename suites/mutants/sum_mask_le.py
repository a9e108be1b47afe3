# MUTANT of suites/flaggems/sum.py (mask-off-by-one): column mask `cols <= N`: adds x[i, N] (the next row's first element) when N % BLOCK_N != 0.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# sum: full reduction (two launches: per-block partial sums into `mid`, then one program adds
# them) and reduction along dimensions (rows of an M x N view, tile accumulator looped over N).
# Written for vlift's suite after the FlagGems v2.2 algorithm; not FlagGems code.
import logging
import math

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import dim_compress, libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.jit
def sum_kernel_1(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    # Half-precision inputs accumulate in fp32; other dtypes in their own type.
    if tl.constexpr(inp.dtype.element_ty == tl.float16) or tl.constexpr(
        inp.dtype.element_ty == tl.bfloat16
    ):
        acc_ty = tl.float32
    else:
        acc_ty = inp.dtype.element_ty
    pid = tle.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    in_range = offs < M
    vals = tl.load(inp + offs, mask=in_range, other=0).to(acc_ty)
    block_sum = tl.sum(vals)
    tl.store(mid + pid, block_sum)


@libentry()
@triton.jit
def sum_kernel_2(mid, out, mid_size, BLOCK_MID: tl.constexpr):
    if tl.constexpr(mid.dtype.element_ty == tl.float16) or tl.constexpr(
        mid.dtype.element_ty == tl.bfloat16
    ):
        acc_ty = tl.float32
    else:
        acc_ty = mid.dtype.element_ty
    offs = tl.arange(0, BLOCK_MID)
    partials = tl.load(mid + offs, mask=offs < mid_size, other=0).to(acc_ty)
    total = tl.sum(partials)
    tl.store(out, total)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("sum"), key=["M", "N"])
@triton.jit
def sum_kernel(inp, out, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    if tl.constexpr(inp.dtype.element_ty == tl.float16) or tl.constexpr(
        inp.dtype.element_ty == tl.bfloat16
    ):
        acc_ty = tl.float32
    else:
        acc_ty = inp.dtype.element_ty

    # BLOCK_M rows per program, as a column vector so that it broadcasts against the columns.
    rows = tle.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    inp = inp + rows * N
    out = out + rows
    row_mask = rows < M

    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=acc_ty)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols <= N  # MUTANT (mask-off-by-one): column mask `cols <= N`: adds x[i, N] (the next row's first element) when N % BLOCK_N != 0
        mask = row_mask and col_mask
        tile = tl.load(inp + cols, mask, other=0).to(acc_ty)
        acc += tile
    row_sum = tl.sum(acc, axis=1)[:, None]
    tl.store(out, row_sum, row_mask)


def sum(inp, *, dtype=None):
    logger.debug("GEMS SUM")
    n = inp.numel()
    if dtype is None:
        dtype = inp.dtype
        if dtype is torch.bool:
            inp = inp.to(torch.int64)
            dtype = torch.int64
    # Block of about sqrt(n) elements: the second stage then also sees about sqrt(n) values.
    block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
    mid_size = triton.cdiv(n, block_size)
    block_mid = triton.next_power_of_2(mid_size)

    mid = torch.empty((mid_size,), dtype=dtype, device=inp.device)
    out = torch.empty([], dtype=dtype, device=inp.device)

    with torch_device_fn.device(inp.device):
        sum_kernel_1[(mid_size, 1, 1)](inp, mid, n, block_size)
        sum_kernel_2[(1, 1, 1)](mid, out, mid_size, block_mid)
    return out


def sum_dim(inp, dim=None, keepdim=False, *, dtype=None):
    logger.debug(f"GEMS SUM DIM (dim={dim}, keepdim={keepdim})")
    if dtype is None:
        dtype = inp.dtype
        if dtype is torch.bool:
            dtype = torch.int64

    if dim is None or dim == []:
        result = sum(inp, dtype=dtype)
        if keepdim:
            result = result.reshape([1] * inp.ndim)
        return result

    shape = list(inp.shape)
    dims = [d % inp.ndim for d in dim]
    # Move the reduced dimensions last and make them contiguous: the kernel sees M x N rows.
    inp = dim_compress(inp, dims)
    N = 1
    for d in dims:
        N *= shape[d]
        shape[d] = 1
    M = inp.numel() // N

    out = torch.empty(shape, dtype=dtype, device=inp.device)
    grid = lambda meta: (triton.cdiv(M, meta["BLOCK_M"]),)
    with torch_device_fn.device(inp.device):
        sum_kernel[grid](inp, out, M, N)
    if not keepdim:
        out = out.squeeze(dim=dims)
    return out
