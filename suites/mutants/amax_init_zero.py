# MUTANT of suites/flaggems/amax.py (wrong-init): running max starts at 0 instead of -inf: wrong for all-negative rows.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# amax: maximum over one or more dimensions. Full reduction in two stages (masked lanes -inf);
# dim reduction over rows of an M x N view (reduced dimensions moved last by the host) with a
# [BLOCK_M, BLOCK_N] running elementwise maximum over the N loop, reduced across columns at the
# end. Written for vlift's suite after the FlagGems v2.2 algorithm.
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
def amax_kernel_1(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(inp + offs, mask=offs < M, other=-float("inf"))
    tl.store(mid + pid, tl.max(vals))


@libentry()
@triton.jit
def amax_kernel_2(mid, out, mid_size, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    partials = tl.load(mid + offs, mask=offs < mid_size, other=-float("inf"))
    tl.store(out, tl.max(partials))


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("amax"), key=["M", "N"])
@triton.jit
def amax_kernel(inp, out, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid = tle.program_id(0)
    rows = pid * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    inp = inp + rows * N
    out = out + rows
    row_mask = rows < M

    running = tl.full([BLOCK_M, BLOCK_N], value=0.0, dtype=tl.float32)  # MUTANT (wrong-init): running max starts at 0 instead of -inf: wrong for all-negative rows
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        a = tl.load(inp + cols, mask, other=-float("inf"))
        running = tl.maximum(running, a)
    row_max = tl.max(running, axis=1)[:, None]
    tl.store(out, row_max, row_mask)


def amax(inp, dim=None, keepdim=False):
    logger.debug(f"GEMS AMAX (dim={dim}, keepdim={keepdim})")
    if dim is None or len(dim) == 0:
        n = inp.numel()
        block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
        mid_size = triton.cdiv(n, block_size)
        block_mid = triton.next_power_of_2(mid_size)
        dtype = inp.dtype
        mid = torch.empty((mid_size,), dtype=dtype, device=inp.device)
        if not keepdim:
            out = torch.empty([], dtype=dtype, device=inp.device)
        else:
            out = torch.empty([1] * inp.ndim, dtype=dtype, device=inp.device)
        with torch_device_fn.device(inp.device):
            amax_kernel_1[(mid_size, 1, 1)](inp, mid, n, block_size)
            amax_kernel_2[(1, 1, 1)](mid, out, mid_size, block_mid)
        return out

    if isinstance(dim, int):
        dim = [dim]
    assert all(-inp.ndim <= d < inp.ndim for d in dim), "Invalid dim"
    dtype = inp.dtype
    shape = list(inp.shape)
    dims = [d % inp.ndim for d in dim]
    inp = dim_compress(inp, dims)
    N = 1
    for d in dims:
        N *= shape[d]
        shape[d] = 1
    M = inp.numel() // N

    out = torch.empty(shape, dtype=dtype, device=inp.device)
    grid = lambda meta: (triton.cdiv(M, meta["BLOCK_M"]),)
    with torch_device_fn.device(inp.device):
        amax_kernel[grid](inp, out, M, N)
    if not keepdim:
        out = out.squeeze(dim=dims)
    return out
