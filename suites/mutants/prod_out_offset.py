# MUTANT of suites/flaggems/prod.py (write-conflict): output offset m + k instead of m * K + k: (m + 1, k) and (m, k + 1) collide when K > 1.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# prod: products through tl.reduce with a jitted multiply combiner; masked lanes read as 1.0.
# Full reduction in two stages (per-block products into `mid`, then one program multiplies them);
# dim reduction over the middle axis of an M x N x K view, the whole of N in one tile
# (BLOCK_N = next_pow2(N) by heuristic). Written for vlift's suite after the FlagGems v2.2
# algorithm.
import logging
import math

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@triton.jit
def reduce_mul(a, b):
    return a * b


@libentry()
@triton.jit
def prod_kernel_mid(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(inp + offs, mask=offs < M, other=1.0).to(tl.float32)
    block_prod = tl.reduce(vals, axis=0, combine_fn=reduce_mul)
    tl.store(mid + pid, block_prod.to(vals.dtype))


@libentry()
@triton.jit
def prod_kernel_result(mid, out, mid_size, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    partials = tl.load(mid + offs, mask=offs < mid_size, other=1.0).to(tl.float32)
    result = tl.reduce(partials, axis=0, combine_fn=reduce_mul)
    tl.store(out, result)


def heur_block_n(args):
    return triton.next_power_of_2(args["N"])


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("prod"), key=["M", "N"])
@triton.heuristics({"BLOCK_N": heur_block_n})
@triton.jit
def prod_kernel(inp, out, M, N, K, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid_m = tle.program_id(0)
    pid_k = tle.program_id(1)
    m_offset = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    n_offset = tl.arange(0, BLOCK_N)
    # rows of BLOCK_M, the whole reduced axis, at position pid_k of the trailing axis
    offset = m_offset[:, None] * N * K + n_offset[None, :] * K + pid_k
    mask = m_offset[:, None] < M and n_offset[None, :] < N
    tile = tl.load(inp + offset, mask=mask, other=1.0).to(tl.float32)
    row_prod = tl.reduce(tile, axis=1, combine_fn=reduce_mul)
    out_offset = m_offset + pid_k  # MUTANT (write-conflict): output offset m + k instead of m * K + k: (m + 1, k) and (m, k + 1) collide when K > 1
    tl.store(out + out_offset, row_prod, mask=m_offset < M)


def prod(inp, *, dtype=None):
    logger.debug("GEMS PROD")
    if dtype is None:
        dtype = inp.dtype
    n = inp.numel()
    block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
    mid_size = triton.cdiv(n, block_size)
    block_mid = triton.next_power_of_2(mid_size)

    mid = torch.empty((mid_size,), dtype=dtype, device=inp.device)
    out = torch.empty([], dtype=dtype, device=inp.device)
    with torch_device_fn.device(inp.device):
        prod_kernel_mid[(mid_size, 1, 1)](inp, mid, n, block_size)
        prod_kernel_result[(1, 1, 1)](mid, out, mid_size, block_mid)
    return out


def prod_dim(inp, dim=None, keepdim=False, *, dtype=None):
    logger.debug(f"GEMS PROD DIM (dim={dim}, keepdim={keepdim})")
    assert dim >= -inp.ndim and dim < inp.ndim, "Invalid dim"
    shape = list(inp.shape)
    dim = dim % inp.ndim
    N = shape[dim]
    M = math.prod(shape[:dim])
    K = inp.numel() // M // N
    inp = inp.contiguous()

    shape[dim] = 1
    if dtype is None:
        dtype = inp.dtype
    out = torch.empty(shape, dtype=dtype, device=inp.device)
    if not keepdim:
        out = torch.squeeze(out, dim)

    grid = lambda meta: (triton.cdiv(M, meta["BLOCK_M"]), K)
    with torch_device_fn.device(inp.device):
        prod_kernel[grid](inp, out, M, N, K)
    return out
