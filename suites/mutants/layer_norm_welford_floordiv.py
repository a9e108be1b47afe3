# MUTANT of suites/flaggems/layer_norm.py (cdiv-to-floordiv): Welford loop with N // TILE_N steps: the partial last tile never enters the statistics.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# layer_norm (forward) for the vlift FlagGems suite: a re-implementation, in our own words, of the
# algorithm of FlagGems v2.2 (src/flag_gems/ops/layernorm.py).
#
# The host views the input as M rows of N normalised elements and picks one of three kernels:
#   * N <= 128:   layer_norm_persistent_kernel_multiline, TILE_M rows per program in one
#                 [TILE_M, TILE_N] tile;
#   * N <= 4096:  layer_norm_persistent_kernel, one row per program, the whole row in one tile;
#   * otherwise:  layer_norm_loop_kernel, one row per program: a first sweep accumulates a
#                 per-lane Welford mean / sum of squared deviations / count (the last, partial
#                 step masked), the lanes are merged with the parallel-variance formula, and a
#                 second sweep in reverse order (the masked last tile first) normalises.
# All three write y = (x - mean) * rstd * w + b and the per-row mean and rstd; w and b may be None
# (a constexpr branch on the pointer).
import logging
import math

import torch
import triton
import triton.language as tl

from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


def persistent_configs():
    return [triton.Config({}, num_warps=w) for w in (1, 2, 4, 8)]


def loop_configs():
    return [
        triton.Config({"TILE_N": tn}, num_warps=w, num_stages=s)
        for tn in (1024, 2048, 4096)
        for w in (4, 8, 16)
        for s in (1, 2)
    ]


@triton.jit
def prev_multiple_of(a, b):
    # start of the last (possibly partial) tile of length b covering [0, a)
    return tl.cdiv(a, b) * b - b


@libentry()
@triton.autotune(configs=persistent_configs(), key=["M", "N"])
@triton.jit(do_not_specialize=["eps"])
def layer_norm_persistent_kernel(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,
    out_rstd_ptr,
    M,
    N,
    eps,
    TILE_N: tl.constexpr,
):
    # one row per program, the whole row in one tile
    pid = tle.program_id(0)

    n_offsets = tl.arange(0, TILE_N)
    mask = n_offsets < N

    x = tl.load(in_ptr + pid * N + n_offsets, mask, other=0.0).to(tl.float32)
    m = tl.sum(x) / N
    d = x - m
    # padding lanes hold 0 - m: keep them out of the variance
    sq = tl.where(mask, d * d, 0)
    var = tl.sum(sq) / N
    rstd = tl.math.rsqrt(var + eps)

    tl.store(out_mean_ptr + pid, m)
    tl.store(out_rstd_ptr + pid, rstd)

    if weight_ptr is None:
        w = 1
    else:
        w = tl.load(weight_ptr + n_offsets, mask=mask)
    if bias_ptr is None:
        b = 0
    else:
        b = tl.load(bias_ptr + n_offsets, mask=mask)
    out = (x - m) * rstd * w + b

    tl.store(out_ptr + pid * N + n_offsets, out.to(out_ptr.dtype.element_ty), mask=mask)


@libentry()
@triton.autotune(configs=persistent_configs(), key=["M", "N"])
@triton.jit(do_not_specialize=["eps"])
def layer_norm_persistent_kernel_multiline(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,
    out_rstd_ptr,
    M,
    N,
    eps,
    TILE_M: tl.constexpr,
    TILE_N: tl.constexpr,
):
    # TILE_M short rows per program, held in one [TILE_M, TILE_N] tile
    pid = tle.program_id(0)
    m_offsets = pid * TILE_M + tl.arange(0, TILE_M)
    m_mask = m_offsets < M

    n_offsets = tl.arange(0, TILE_N)[None, :]
    n_mask = n_offsets < N
    mask = m_mask[:, None] & n_mask

    x = tl.load(in_ptr + m_offsets[:, None] * N + n_offsets, mask, other=0.0).to(tl.float32)
    m = tl.sum(x, axis=1) / N
    d = x - m[:, None]
    sq = tl.where(mask, d * d, 0)
    var = tl.sum(sq, axis=1) / N
    rstd = tl.math.rsqrt(var + eps)

    tl.store(out_mean_ptr + m_offsets, m, mask=m_mask)
    tl.store(out_rstd_ptr + m_offsets, rstd, mask=m_mask)

    if weight_ptr is None:
        w = 1
    else:
        w = tl.load(weight_ptr + n_offsets, mask=n_mask)
    if bias_ptr is None:
        b = 0
    else:
        b = tl.load(bias_ptr + n_offsets, mask=n_mask)
    out = (x - m[:, None]) * rstd[:, None] * w + b

    tl.store(out_ptr + m_offsets[:, None] * N + n_offsets, out.to(out_ptr.dtype.element_ty), mask=mask)


@libentry()
@triton.autotune(configs=loop_configs(), key=["M", "N"])
@triton.jit(do_not_specialize=["eps"])
def layer_norm_loop_kernel(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,
    out_rstd_ptr,
    M,
    N,
    eps,
    TILE_N: tl.constexpr,
):
    pid = tle.program_id(0)

    # per-lane Welford state: mean, sum of squared deviations from it, number of elements seen
    m = tl.zeros((TILE_N,), dtype=tl.float32)
    s = tl.zeros((TILE_N,), dtype=tl.float32)
    cnt = tl.zeros((TILE_N,), dtype=tl.int32)
    num_steps = N // TILE_N  # MUTANT (cdiv-to-floordiv): Welford loop with N // TILE_N steps: the partial last tile never enters the statistics
    # every step but the last covers a full tile: no mask
    for step in range(0, num_steps - 1, 1):
        start_n = step * TILE_N
        n_offsets = start_n + tl.arange(0, TILE_N)
        x = tl.load(in_ptr + pid * N + n_offsets).to(tl.float32)
        new_m = m + (x - m) / (step + 1)
        new_s = s + (x - new_m) * (x - m)
        cnt += 1
        m = new_m
        s = new_s

    # the last step: lanes past the end of the row keep their state
    for step in range(num_steps - 1, num_steps, 1):
        start_n = step * TILE_N
        n_offsets = start_n + tl.arange(0, TILE_N)
        mask = n_offsets < N
        x = tl.load(in_ptr + pid * N + n_offsets, mask=mask).to(tl.float32)
        new_m = tl.where(mask, m + (x - m) / (step + 1), m)
        new_s = tl.where(mask, s + (x - new_m) * (x - m), s)
        cnt += mask.to(tl.int32)
        m = new_m
        s = new_s

    # merge the lanes (parallel variance): the row mean is the count-weighted mean of the lane
    # means; the row's squared deviations are the lanes' own plus cnt * (lane mean - row mean)^2
    final_m = tl.sum(m * cnt) / N
    var = tl.sum(s + cnt * (m - final_m) * (m - final_m)) / N
    rstd = tl.math.rsqrt(var + eps)
    m = final_m
    tl.store(out_mean_ptr + pid, m)
    tl.store(out_rstd_ptr + pid, rstd)

    # second sweep in reverse order: the masked last tile first, then the full tiles
    last_tile_start = prev_multiple_of(N, TILE_N)
    for start_n in range(0, TILE_N, TILE_N):
        n_offsets = (last_tile_start - start_n) + tl.arange(0, TILE_N)
        mask = n_offsets < N
        x = tl.load(
            in_ptr + pid * N + n_offsets,
            mask=mask,
            other=0.0,
            eviction_policy="evict_first",
        ).to(tl.float32)
        if weight_ptr is None:
            w = 1
        else:
            w = tl.load(weight_ptr + n_offsets, mask=mask)
        if bias_ptr is None:
            b = 0
        else:
            b = tl.load(bias_ptr + n_offsets, mask=mask)
        out = w * (x - m) * rstd + b
        tl.store(out_ptr + pid * N + n_offsets, out.to(out_ptr.dtype.element_ty), mask=mask)

    for start_n in range(TILE_N, N, TILE_N):
        n_offsets = (last_tile_start - start_n) + tl.arange(0, TILE_N)
        x = tl.load(in_ptr + pid * N + n_offsets, eviction_policy="evict_first").to(tl.float32)
        if weight_ptr is None:
            w = 1
        else:
            w = tl.load(weight_ptr + n_offsets)
        if bias_ptr is None:
            b = 0
        else:
            b = tl.load(bias_ptr + n_offsets)
        out = w * (x - m) * rstd + b
        tl.store(out_ptr + pid * N + n_offsets, out.to(out_ptr.dtype.element_ty))


class LayerNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps=1e-5, cudnn_enable=True):
        logger.debug("GEMS LAYERNORM FORWARD")
        dim = x.ndim - len(normalized_shape)
        M = math.prod(x.shape[:dim])
        N = math.prod(normalized_shape)

        x = x.contiguous()
        weight = None if weight is None else weight.contiguous()
        bias = None if bias is None else bias.contiguous()
        y = torch.empty_like(x)
        # statistics are kept in fp32 whatever the input type
        mean = torch.empty(M, dtype=torch.float32, device=x.device)
        rstd = torch.empty(M, dtype=torch.float32, device=x.device)

        with torch.cuda.device(x.device):
            if N <= 128:
                TILE_N = triton.next_power_of_2(N)
                TILE_M = triton.cdiv(1024, TILE_N)
                grid = (triton.cdiv(M, TILE_M), 1, 1)
                layer_norm_persistent_kernel_multiline[grid](
                    x, y, weight, bias, mean, rstd, M, N, eps, TILE_M, TILE_N
                )
            elif N <= 4096:
                TILE_N = triton.next_power_of_2(N)
                grid = (M, 1, 1)
                layer_norm_persistent_kernel[grid](x, y, weight, bias, mean, rstd, M, N, eps, TILE_N)
            else:
                grid = (M, 1, 1)
                layer_norm_loop_kernel[grid](x, y, weight, bias, mean, rstd, M, N, eps)

        ctx.save_for_backward(x, weight, bias, mean, rstd)
        ctx.M, ctx.N = M, N
        return y, mean, rstd

    @staticmethod
    def backward(ctx, out_grad, mean_grad, rstd_grad):
        raise NotImplementedError(f"layer_norm backward is not part of this suite (M={ctx.M}, N={ctx.N})")


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    return LayerNorm.apply(x, normalized_shape, weight, bias, eps, cudnn_enable)
