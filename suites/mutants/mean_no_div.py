# MUTANT of suites/flaggems/mean.py (missing-div-n): row sum not divided by N.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# mean: as sum, divided by the element count — by n in the second stage of the full reduction,
# by N in the row kernel. Written for vlift's suite after the FlagGems v2.2 algorithm.
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
def mean_kernel_1(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(inp + offs, mask=offs < M, other=0.0)
    partial = tl.sum(vals, axis=0)
    tl.store(mid + pid, partial)


@libentry()
@triton.jit
def mean_kernel_2(mid, out, M, MID_SIZE, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    partials = tl.load(mid + offs, mask=offs < MID_SIZE, other=0.0)
    # The division by the total count happens once, on the final sum.
    result = tl.sum(partials, axis=0) / M
    tl.store(out, result)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("mean"), key=["M", "N"])
@triton.jit
def mean_dim_kernel(X, Mean, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tle.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Mean = Mean + rows
    row_mask = rows < M

    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        tile = tl.load(X + cols, mask, other=0.0).to(tl.float32)
        acc += tile
    row_mean = tl.sum(acc, axis=1)  # MUTANT (missing-div-n): row sum not divided by N
    row_mean = row_mean[:, None]
    tl.store(Mean, row_mean, row_mask)


def mean(inp, *, dtype=None):
    logger.debug("GEMS MEAN")
    n = inp.numel()
    if dtype is None:
        dtype = inp.dtype
    block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
    mid_size = triton.cdiv(n, block_size)
    block_mid = triton.next_power_of_2(mid_size)

    # Partial sums are kept in fp32 whatever the input type.
    mid = torch.empty((mid_size,), dtype=torch.float32, device=inp.device)
    out = torch.empty([], dtype=dtype, device=inp.device)

    with torch_device_fn.device(inp.device):
        mean_kernel_1[(mid_size, 1, 1)](inp, mid, n, block_size)
        mean_kernel_2[(1, 1, 1)](mid, out, n, mid_size, block_mid)
    return out


def mean_dim(x, dim, keepdim=False, *, dtype=None):
    logger.debug(f"GEMS MEAN DIM (dim={dim}, keepdim={keepdim})")
    if dtype is None:
        dtype = x.dtype
    if dim is None:
        out = mean(x, dtype=dtype)
        if not keepdim:
            out = out.reshape([1] * x.ndim)
        return out

    shape = list(x.shape)
    dims = [d % x.ndim for d in dim]
    x = dim_compress(x, dims)
    N = 1
    for d in dims:
        N *= shape[d]
        shape[d] = 1
    M = x.numel() // N
    out = torch.empty(shape, dtype=dtype, device=x.device)
    grid = lambda META: (triton.cdiv(M, META["BLOCK_M"]),)

    with torch_device_fn.device(x.device):
        mean_dim_kernel[grid](x, out, M, N)
    if not keepdim:
        out = out.squeeze(dims)
    return out
