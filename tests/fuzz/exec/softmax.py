# Softmax along the last dimension, in the style of FlagGems v2.2's inner kernel: one row per
# program; either the whole row in one tile, or an online (running max / rescaled normaliser)
# loop with the -inf guard followed by a reverse-order second sweep.
import logging

import torch
import triton
import triton.language as tl

from flag_gems.utils import libentry
from flag_gems.utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.heuristics({"ONE_TILE_PER_CTA": lambda args: args["TILE_N"] >= args["N"]})
@triton.jit
def softmax_kernel_inner(output_ptr, input_ptr, M, N, TILE_N: tl.constexpr, ONE_TILE_PER_CTA: tl.constexpr):
    pid_m = tle.program_id(0)
    if ONE_TILE_PER_CTA:
        n_offsets = tl.arange(0, TILE_N)
        offset = pid_m * N + n_offsets
        mask = n_offsets < N
        inp = tl.load(input_ptr + offset, mask=mask, other=-float("inf")).to(output_ptr.dtype.element_ty)
        m = tl.max(inp, 0)
        e = tl.exp(inp - m)
        z = tl.sum(e, 0)
        out = e / z
        tl.store(output_ptr + offset, out, mask=mask)
    else:
        m = tl.full([TILE_N], value=float("-inf"), dtype=tl.float32)
        z = tl.full([TILE_N], value=0.0, dtype=tl.float32)
        num_full_tiles = N // TILE_N
        for i in range(0, num_full_tiles):
            n_offsets = i * TILE_N + tl.arange(0, TILE_N)
            inp = tl.load(input_ptr + pid_m * N + n_offsets).to(tl.float32)
            m_new = tl.maximum(m, inp)
            all_neg_inf = m_new == float("-inf")
            z = tl.where(all_neg_inf, z, z * tl.exp(m - m_new) + tl.exp(inp - m_new))
            m = m_new
        if num_full_tiles * TILE_N < N:
            n_offsets = num_full_tiles * TILE_N + tl.arange(0, TILE_N)
            mask = n_offsets < N
            inp = tl.load(input_ptr + pid_m * N + n_offsets, mask=mask, other=-float("inf")).to(tl.float32)
            m_new = tl.maximum(m, inp)
            all_neg_inf = m_new == float("-inf")
            z = tl.where(all_neg_inf, z, z * tl.exp(m - m_new) + tl.exp(inp - m_new))
            m = m_new
        m_reduced = tl.max(m, 0)
        z = tl.sum(z * tl.exp(m - m_reduced), 0)
        m = m_reduced
        # second sweep, in reverse: the partial tile first
        previous_multiple = (N - 1) // TILE_N * TILE_N
        for start_n in range(0, N, TILE_N):
            n_offsets = (previous_multiple - start_n) + tl.arange(0, TILE_N)
            mask = n_offsets < N
            inp = tl.load(input_ptr + pid_m * N + n_offsets, mask=mask, other=-float("inf")).to(tl.float32)
            o = tl.exp(inp - m) / z
            tl.store(output_ptr + pid_m * N + n_offsets, o, mask=mask)


class Softmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, dim, dtype):
        logger.debug(f"GEMS SOFTMAX {x.shape=} {dim=}")
        M, N = x.shape
        out = torch.empty_like(x)
        TILE_N = min(triton.next_power_of_2(N), 1024)
        softmax_kernel_inner[(M,)](out, x, M, N, TILE_N=TILE_N, ONE_TILE_PER_CTA=TILE_N >= N)
        return out
