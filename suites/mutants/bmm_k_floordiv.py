# MUTANT of suites/flaggems/bmm.py (cdiv-to-floordiv): K loop bound K // TILE_K: the partial last K tile is skipped.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# bmm: O[b] = A[b] @ B[b] for A of batch x M x K and B of batch x K x N (contiguous).
#
# FlagGems v2.2 style (our own code): a 3-D grid (tiles along M, tiles along N, batch);
# tl.program_id(2) selects the batch and offsets the three base pointers. The 2-D tile grid is
# regrouped GROUP_M tile-rows at a time (grouped swizzle, as in mm). Heuristics decide per
# dimension whether it divides its tile size; a dimension that divides needs no mask, the others
# are masked (K in the loop, M and N on the loads and on the final store).
import logging

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import libentry, libtuner
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@libtuner(
    configs=runtime.get_triton_config("bmm"),
    key=["M", "N", "K"],
)
@triton.heuristics(
    {
        "DIVISIBLE_M": lambda args: args["M"] % args["TILE_M"] == 0,
        "DIVISIBLE_N": lambda args: args["N"] % args["TILE_N"] == 0,
        "DIVISIBLE_K": lambda args: args["K"] % args["TILE_K"] == 0,
    }
)
@triton.jit
def bmm_kernel(
    A,
    B,
    O,
    M,
    N,
    K,
    TILE_M: tl.constexpr,
    TILE_N: tl.constexpr,
    TILE_K: tl.constexpr,
    GROUP_M: tl.constexpr,
    DIVISIBLE_M: tl.constexpr,
    DIVISIBLE_N: tl.constexpr,
    DIVISIBLE_K: tl.constexpr,
):
    # the batch: move every base pointer to its matrix
    pid_b = tle.program_id(2)
    A += pid_b * M * K
    B += pid_b * K * N
    O += pid_b * M * N

    pidx = tle.program_id(0)
    pidy = tle.program_id(1)

    if GROUP_M == 1:
        pid_m, pid_n = pidx, pidy
    else:
        # grouped swizzle of the (gridx, gridy) tile grid: linearize, then walk GROUP_M
        # tile-rows down before moving one tile-column right; the last group may be narrower
        gridx = tle.num_programs(0)
        gridy = tle.num_programs(1)
        pid = pidx + pidy * gridx
        num_cta_per_group = gridy * GROUP_M
        group_id = pid // num_cta_per_group
        inner_group_id = pid % num_cta_per_group
        group_size = tl.where((group_id * GROUP_M + GROUP_M) > gridx, gridx % GROUP_M, GROUP_M)
        pid_m = group_id * GROUP_M + inner_group_id % group_size
        pid_n = inner_group_id // group_size

    offs_m = pid_m * TILE_M + tl.arange(0, TILE_M)
    offs_n = pid_n * TILE_N + tl.arange(0, TILE_N)
    offs_k = tl.arange(0, TILE_K)

    if not DIVISIBLE_M:
        mask_m = offs_m < M
    if not DIVISIBLE_N:
        mask_n = offs_n < N

    a_ptrs = A + offs_m[:, None] * K + offs_k[None, :]
    b_ptrs = B + offs_k[:, None] * N + offs_n[None, :]
    o_ptrs = O + offs_m[:, None] * N + offs_n[None, :]

    num_iters = K // TILE_K  # MUTANT (cdiv-to-floordiv): K loop bound K // TILE_K: the partial last K tile is skipped
    o = tl.zeros((TILE_M, TILE_N), dtype=tl.float32)
    for _ in range(num_iters):
        # a dimension that divides its tile needs no mask; a masked-off lane reads as 0, so the K
        # tail adds nothing to the dot product (rows >= M / columns >= N are dropped at the store)
        if DIVISIBLE_K:
            if DIVISIBLE_M:
                a = tl.load(a_ptrs)
            else:
                a = tl.load(a_ptrs, mask=mask_m[:, None], other=0.0)
            if DIVISIBLE_N:
                b = tl.load(b_ptrs)
            else:
                b = tl.load(b_ptrs, mask=mask_n[None, :], other=0.0)
        else:
            mask_k = offs_k < K
            if DIVISIBLE_M:
                mask_a = mask_k[None, :]
            else:
                mask_a = mask_m[:, None] & mask_k[None, :]
            if DIVISIBLE_N:
                mask_b = mask_k[:, None]
            else:
                mask_b = mask_k[:, None] & mask_n[None, :]
            a = tl.load(a_ptrs, mask=mask_a, other=0.0)
            b = tl.load(b_ptrs, mask=mask_b, other=0.0)

        offs_k += TILE_K
        a_ptrs += TILE_K
        b_ptrs += TILE_K * N

        o += tl.dot(a, b, allow_tf32=False)

    o = o.to(O.dtype.element_ty)
    if DIVISIBLE_M and DIVISIBLE_N:
        tl.store(o_ptrs, o)
    elif DIVISIBLE_M:
        tl.store(o_ptrs, o, mask=mask_n[None, :])
    elif DIVISIBLE_N:
        tl.store(o_ptrs, o, mask=mask_m[:, None])
    else:
        tl.store(o_ptrs, o, mask=mask_m[:, None] & mask_n[None, :])


def bmm(A, B):
    logger.debug("GEMS BMM")
    batch, M, K = A.shape
    _, _, N = B.shape
    A = A.contiguous()
    B = B.contiguous()
    out = torch.empty((batch, M, N), dtype=A.dtype, device=A.device)

    grid_fn = lambda meta: (
        triton.cdiv(meta["M"], meta["TILE_M"]),
        triton.cdiv(meta["N"], meta["TILE_N"]),
        batch,
    )
    with torch_device_fn.device(A.device):
        bmm_kernel[grid_fn](A, B, out, M, N, K)
    return out
