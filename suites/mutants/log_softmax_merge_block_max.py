# MUTANT of suites/flaggems/log_softmax.py (wrong-row-max): lane merge rescales every row to the block's largest row max, the output subtracts the row's own.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# log_softmax for the vlift FlagGems suite: a re-implementation, in our own words, of the algorithm
# of FlagGems v2.2 (src/flag_gems/ops/log_softmax.py).
#
# The host views the input as M x N x K (N reduced). Program (pid_m, pid_k) owns BLOCK_M rows of
# column pid_k and walks N in [BLOCK_M, BLOCK_N] tiles twice: an online pass keeps, per lane, the
# running max and the normaliser rescaled to it (a lane that has seen only -inf keeps 0); the
# lanes are merged per row; the second pass stores x - max - log(normaliser).
import logging

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


def log_softmax_configs():
    return [
        triton.Config({"BLOCK_M": bm, "BLOCK_N": bn}, num_warps=w)
        for bm in (1, 4, 16)
        for bn in (256, 1024)
        for w in (4, 8)
    ]


@libentry()
@triton.autotune(configs=log_softmax_configs(), key=["M", "N"])
@triton.jit
def log_softmax_kernel(
    output_ptr,
    input_ptr,
    M,
    N,
    K,
    BLOCK_M: tl.constexpr,
    BLOCK_N: tl.constexpr,
):
    pid_m = tle.program_id(0)
    pid_k = tle.program_id(1)
    m_offsets = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)

    run_max = tl.full([BLOCK_M, BLOCK_N], float("-inf"), tl.float32)
    run_sum = tl.zeros([BLOCK_M, BLOCK_N], tl.float32)
    for start_n in range(0, N, BLOCK_N):
        n_offsets = start_n + tl.arange(0, BLOCK_N)
        offsets = m_offsets[:, None] * N * K + n_offsets[None, :] * K + pid_k
        mask = m_offsets[:, None] < M and n_offsets[None, :] < N
        inp = tl.load(input_ptr + offsets, mask=mask, other=-float("inf")).to(tl.float32)
        new_max = tl.maximum(inp, run_max)
        # lanes that have only seen -inf (padding) keep a zero normaliser
        all_neg_inf = new_max == float("-inf")
        run_sum = tl.where(
            all_neg_inf,
            run_sum,
            run_sum * tl.exp(run_max - new_max) + tl.exp(inp - new_max),
        )
        run_max = new_max

    # merge the lanes of each row
    row_max = tl.max(run_max, 1)
    run_sum = run_sum * tl.exp(run_max - tl.max(row_max, 0))  # MUTANT (wrong-row-max): lane merge rescales every row to the block's largest row max, the output subtracts the row's own
    row_sum = tl.sum(run_sum, 1)
    log_z = tl.log(row_sum)

    for start_n in range(0, N, BLOCK_N):
        n_offsets = start_n + tl.arange(0, BLOCK_N)
        offsets = m_offsets[:, None] * N * K + n_offsets[None, :] * K + pid_k
        mask = m_offsets[:, None] < M and n_offsets[None, :] < N
        inp = tl.load(input_ptr + offsets, mask=mask, other=-float("inf")).to(tl.float32)
        out = inp - row_max[:, None] - log_z[:, None]
        tl.store(output_ptr + offsets, out.to(output_ptr.dtype.element_ty), mask=mask)


class LogSoftmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, dim, dtype):
        logger.debug("GEMS LOG_SOFTMAX")
        assert dim >= -x.ndim and dim < x.ndim, "Invalid dim"
        dim = dim % x.ndim
        M = 1
        N = x.shape[dim]
        for d in range(dim):
            M *= x.shape[d]
        inp = x.contiguous()
        if dtype is None:
            dtype = x.dtype
        out = torch.empty_like(inp, dtype=dtype)
        K = inp.numel() // M // N

        grid = lambda meta: (triton.cdiv(M, meta["BLOCK_M"]), K)
        with torch.cuda.device(inp.device):
            log_softmax_kernel[grid](out, inp, M, N, K)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, out_grad):
        logger.debug("GEMS LOG_SOFTMAX VJP")
        (out,) = ctx.saved_tensors
        in_grad = out_grad - torch.exp(out) * out_grad.sum(dim=ctx.dim, keepdim=True)
        return in_grad, None, None


def log_softmax(x, dim=-1, dtype=None):
    return LogSoftmax.apply(x, dim, dtype)
