# MUTANT of suites/flaggems/mv.py (wrong-axis): tl.sum over axis 0 instead of 1; 4 x 4 blocks.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# mv: out = A @ v for A of N x M and v of length M.
#
# FlagGems v2.2 style (our own code): each program owns BLOCK_N rows of A and sweeps the M columns
# in chunks of BLOCK_M, accumulating the elementwise products a * v into a BLOCK_N x BLOCK_M
# fp32 accumulator (no tl.dot); one tl.sum along axis 1 at the end gives the BLOCK_N results.
# All strides are explicit arguments.
import logging

import torch
import triton
import triton.language as tl

from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.autotune(
    configs=[
        triton.Config({"BLOCK_M": m, "BLOCK_N": n}, num_stages=s, num_warps=w)
        for m in [32, 64, 128]
        for n in [1, 2, 4, 8]
        for s in [3, 4]
        for w in [4, 8]
    ],
    key=["M", "N"],
)
@triton.jit
def mv_kernel(
    A,
    B,
    C,
    N,
    M,
    stride_an,
    stride_am,
    stride_bm,
    stride_cn,
    BLOCK_N: tl.constexpr,
    BLOCK_M: tl.constexpr,
):
    pid = tle.program_id(0)
    offset_n = pid * BLOCK_N + tl.arange(0, BLOCK_N)[:, None]
    offset_m = tl.arange(0, BLOCK_M)[None, :]
    n_mask = offset_n < N
    A_ptrs = A + offset_n * stride_an + offset_m * stride_am
    B_ptrs = B + offset_m * stride_bm
    acc = tl.zeros((BLOCK_N, BLOCK_M), dtype=tl.float32)
    for m in range(0, M, BLOCK_M):
        m_mask = m + offset_m < M
        a = tl.load(A_ptrs + m * stride_am, mask=n_mask & m_mask, other=0.0).to(tl.float32)
        b = tl.load(B_ptrs + m * stride_bm, mask=m_mask, other=0.0).to(tl.float32)
        acc += a * b
    acc = tl.sum(acc, axis=0)  # MUTANT (wrong-axis): tl.sum over axis 0 instead of 1; 4 x 4 blocks
    C_ptrs = C + offset_n * stride_cn
    tl.store(C_ptrs, acc[:, None], mask=n_mask)


def mv(inp, vec):
    logger.debug("GEMS MV")
    assert inp.shape[1] == vec.shape[0], "incompatible dimensions"
    N, M = inp.shape
    out = torch.empty((N,), device=inp.device, dtype=inp.dtype)
    grid = lambda META: (triton.cdiv(N, META["BLOCK_N"]),)
    with torch_device_fn.device(inp.device):
        mv_kernel[grid](
            inp,
            vec,
            out,
            N,
            M,
            inp.stride(0),
            inp.stride(1),
            vec.stride(0),
            out.stride(0),
        )
    return out
