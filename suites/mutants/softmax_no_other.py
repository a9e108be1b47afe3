# MUTANT of suites/flaggems/softmax.py (missing-other): non-inner one tile: masked load without other=-inf, padding lanes enter max and sum.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# softmax for the vlift FlagGems suite: a re-implementation, in our own words, of the algorithm of
# FlagGems v2.2 (src/flag_gems/ops/softmax.py).
#
# The host views the input as M x N x K, N being the reduced dimension:
#   * K == 1  -> softmax_kernel_inner, one program per row, grid (M,). Either the whole row is one
#                tile (ONE_TILE_PER_CTA) or the row is swept twice: an online pass keeping a
#                per-lane running max m and a per-lane normaliser z rescaled whenever m grows
#                (loop A over the tiles before the last one, unmasked; loop B over the last tile,
#                masked with other=-inf), a lane merge, then a reverse-order second sweep that
#                starts with the (masked) last tile and stores exp(x - m) / z.
#   * K > 1   -> softmax_kernel_non_inner, grid (M, cdiv(K, TILE_K)), 2-D tiles [TILE_N, TILE_K]
#                reduced along axis 0; the same two paths (one tile, or online loop).
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)

MAX_TILE_N_INNER = 8192
MAX_TILE_N_NON_INNER = 1024


def heur_tile_k(args):
    # enough columns per program to keep the loads coalesced, but not so many that there are
    # too few programs to fill the device
    k = args["K"]
    tile_k = 1
    upper = min(triton.next_power_of_2(k), 32)
    while tile_k < upper and triton.cdiv(k, tile_k * 2) * args["M"] >= 128:
        tile_k *= 2
    return max(tile_k, min(triton.next_power_of_2(k), 4))


def heur_tile_n_non_inner(args):
    return min(triton.next_power_of_2(args["N"]), max(1, MAX_TILE_N_NON_INNER // args["TILE_K"]))


def heur_tile_n_inner(args):
    return min(triton.next_power_of_2(args["N"]), MAX_TILE_N_INNER)


def heur_one_tile_per_cta(args):
    return args["TILE_N"] >= args["N"]


def heur_num_warps_non_inner(args):
    tile_size = args["TILE_N"] * args["TILE_K"]
    return 4 if tile_size < 2048 else (8 if tile_size < 8192 else 16)


def heur_num_warps_inner(args):
    return 4 if args["TILE_N"] < 2048 else (8 if args["TILE_N"] < 8192 else 16)


@triton.jit
def prev_multiple_of(a, b):
    # start of the last (possibly partial) tile of length b covering [0, a)
    return tl.cdiv(a, b) * b - b


@libentry()
@triton.heuristics(
    {
        "TILE_K": heur_tile_k,
        "TILE_N": heur_tile_n_non_inner,
        "ONE_TILE_PER_CTA": heur_one_tile_per_cta,
        "num_warps": heur_num_warps_non_inner,
    }
)
@triton.jit
def softmax_kernel_non_inner(
    output_ptr,
    input_ptr,
    M,
    N,
    K,
    TILE_N: tl.constexpr,
    TILE_K: tl.constexpr,
    ONE_TILE_PER_CTA: tl.constexpr,
):
    pid_m = tle.program_id(0)
    pid_k = tle.program_id(1)
    k_offsets = pid_k * TILE_K + tl.arange(0, TILE_K)

    if ONE_TILE_PER_CTA:
        n_offsets = tl.arange(0, TILE_N)
        offsets = pid_m * N * K + n_offsets[:, None] * K + k_offsets[None, :]
        mask = (n_offsets[:, None] < N) & (k_offsets[None, :] < K)
        inp = tl.load(input_ptr + offsets, mask=mask).to(tl.float32)  # MUTANT (missing-other): non-inner one tile: masked load without other=-inf, padding lanes enter max and sum
        col_max = tl.max(inp, 0)
        e = tl.exp(inp - col_max[None, :])
        z = tl.sum(e, 0)
        out = e / z[None, :]
        tl.store(output_ptr + offsets, out.to(output_ptr.dtype.element_ty), mask=mask)
    else:
        # online pass: per-lane running max and rescaled normaliser
        m = tl.full([TILE_N, TILE_K], value=float("-inf"), dtype=tl.float32)
        z = tl.full([TILE_N, TILE_K], value=0.0, dtype=tl.float32)
        for start_n in range(0, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            offsets = pid_m * N * K + n_offsets[:, None] * K + k_offsets[None, :]
            mask = (n_offsets[:, None] < N) & (k_offsets[None, :] < K)
            inp = tl.load(input_ptr + offsets, mask=mask, other=-float("inf")).to(tl.float32)
            m_new = tl.maximum(m, inp)
            # a lane that has only seen -inf so far keeps z = 0 (exp(-inf - -inf) is undefined)
            all_neg_inf = m_new == float("-inf")
            z = tl.where(all_neg_inf, z, z * tl.exp(m - m_new) + tl.exp(inp - m_new))
            m = m_new

        # merge the TILE_N lanes of every column
        m_reduced = tl.max(m, 0)
        z = tl.sum(z * tl.exp(m - m_reduced[None, :]), 0)
        m = m_reduced

        for start_n in range(0, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            offsets = pid_m * N * K + n_offsets[:, None] * K + k_offsets[None, :]
            mask = (n_offsets[:, None] < N) & (k_offsets[None, :] < K)
            inp = tl.load(input_ptr + offsets, mask=mask, other=-float("inf")).to(tl.float32)
            o = tl.exp(inp - m[None, :]) / z[None, :]
            tl.store(output_ptr + offsets, o.to(output_ptr.dtype.element_ty), mask=mask)


@libentry()
@triton.heuristics(
    {
        "TILE_N": heur_tile_n_inner,
        "ONE_TILE_PER_CTA": heur_one_tile_per_cta,
        "num_warps": heur_num_warps_inner,
    }
)
@triton.jit
def softmax_kernel_inner(
    output_ptr,
    input_ptr,
    M,
    N,
    TILE_N: tl.constexpr,
    ONE_TILE_PER_CTA: tl.constexpr,
):
    pid_m = tle.program_id(0)
    if ONE_TILE_PER_CTA:
        n_offsets = tl.arange(0, TILE_N)
        offsets = pid_m * N + n_offsets
        mask = n_offsets < N
        inp = tl.load(input_ptr + offsets, mask=mask, other=-float("inf")).to(tl.float32)
        row_max = tl.max(inp, 0)
        e = tl.exp(inp - row_max)
        z = tl.sum(e, 0)
        out = e / z
        tl.store(output_ptr + offsets, out.to(output_ptr.dtype.element_ty), mask=mask)
    else:
        m = tl.full([TILE_N], value=float("-inf"), dtype=tl.float32)
        z = tl.full([TILE_N], value=0.0, dtype=tl.float32)
        input_ptr += pid_m * N
        output_ptr += pid_m * N

        last_tile_start = prev_multiple_of(N, TILE_N)
        # loop A: every tile but the last is full, so no mask is needed
        for start_n in range(0, last_tile_start, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            inp = tl.load(input_ptr + n_offsets).to(tl.float32)
            m_new = tl.maximum(m, inp)
            all_neg_inf = m_new == float("-inf")
            z = tl.where(all_neg_inf, z, z * tl.exp(m - m_new) + tl.exp(inp - m_new))
            m = m_new
        # loop B: the last tile (one iteration), masked; padding lanes read -inf
        for start_n in range(last_tile_start, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            mask = n_offsets < N
            inp = tl.load(input_ptr + n_offsets, mask=mask, other=-float("inf")).to(tl.float32)
            m_new = tl.maximum(m, inp)
            all_neg_inf = m_new == float("-inf")
            z = tl.where(all_neg_inf, z, z * tl.exp(m - m_new) + tl.exp(inp - m_new))
            m = m_new

        # merge the lanes: rescale every lane's normaliser to the row maximum
        m_reduced = tl.max(m, 0)
        z = tl.sum(z * tl.exp(m - m_reduced), 0)
        m = m_reduced

        # second sweep in reverse order, so that the tile read last by the first sweep (still in
        # cache) is read first: the masked last tile, then the full tiles from right to left
        last_tile_start = prev_multiple_of(N, TILE_N)
        for start_n in range(0, TILE_N, TILE_N):
            n_offsets = (last_tile_start - start_n) + tl.arange(0, TILE_N)
            mask = n_offsets < N
            inp = tl.load(
                input_ptr + n_offsets,
                mask=mask,
                other=-float("inf"),
                eviction_policy="evict_first",
            ).to(tl.float32)
            o = tl.exp(inp - m) / z
            tl.store(output_ptr + n_offsets, o.to(output_ptr.dtype.element_ty), mask=mask)
        for start_n in range(TILE_N, N, TILE_N):
            n_offsets = (last_tile_start - start_n) + tl.arange(0, TILE_N)
            inp = tl.load(input_ptr + n_offsets, eviction_policy="evict_first").to(tl.float32)
            o = tl.exp(inp - m) / z
            tl.store(output_ptr + n_offsets, o.to(output_ptr.dtype.element_ty))


class Softmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, dim, dtype):
        logger.debug("GEMS SOFTMAX")
        assert dim >= -x.ndim and dim < x.ndim, f"invalid dim {dim} for a tensor of rank {x.ndim}"
        dim = dim % x.ndim
        M = 1
        N = x.shape[dim]
        for d in range(dim):
            M *= x.shape[d]
        inp = x.contiguous()
        if dtype is None:
            dtype = x.dtype
        out = torch.empty_like(inp, dtype=dtype)
        K = inp.numel() // M // N if M * N > 0 else 0

        with torch.cuda.device(inp.device):
            if K > 1:
                grid = lambda meta: (M, triton.cdiv(K, meta["TILE_K"]), 1)
                softmax_kernel_non_inner[grid](out, inp, M, N, K)
            else:
                grid = (M, 1, 1)
                softmax_kernel_inner[grid](out, inp, M, N)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, out_grad):
        logger.debug("GEMS SOFTMAX VJP")
        (out,) = ctx.saved_tensors
        dot = (out * out_grad).sum(dim=ctx.dim, keepdim=True)
        in_grad = out * (out_grad - dot)
        return in_grad, None, None


def softmax(x, dim=-1, dtype=None):
    return Softmax.apply(x, dim, dtype)
