# instance_norm: for every (batch, channel) pair, normalise the L = H*W values of that channel:
#   y = (x - mean) * rstd * w[c] + b[c],  rstd = 1/sqrt(var + eps);  mean and rstd are outputs.
# FlagGems style (ops/instancenorm.py; our own code). The input is viewed as M = B*C rows of
# N = L values and the host picks one of three kernels:
#   persistent            N fits one tile: one row per program, no loop
#   persistent_multiline  small N: TILE_M rows per program in a [TILE_M, TILE_N] tile
#   loop                  large N: per-lane Welford over tiles (full tiles unmasked, the last one
#                         masked), lanes merged with the parallel-variance formula, then a
#                         second sweep in reverse order (the partial tile first)
import logging
import math

import torch
import triton
import triton.language as tl

from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@triton.jit
def prev_multiple_of(a, b):
    # the largest multiple of b that is < a
    return tl.cdiv(a, b) * b - b


@libentry()
@triton.jit(do_not_specialize=["eps"])
def instance_norm_persistent_kernel(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,  # pointer to the mean
    out_rstd_ptr,  # pointer to the 1/std
    M,  # M = B * C
    N,
    C,
    eps,
    TILE_N: tl.constexpr,
    HAS_WEIGHT_BIAS: tl.constexpr,
):
    pid = tle.program_id(0)
    n_offsets = tl.arange(0, TILE_N)
    mask = n_offsets < N

    x = tl.load(in_ptr + pid * N + n_offsets, mask, other=0.0).to(tl.float32)
    m = tl.sum(x) / N
    d = tl.where(mask, x - m, 0.0)
    var = tl.sum(d * d) / N
    rstd = tl.math.rsqrt(var + eps)

    tl.store(out_mean_ptr + pid, m)
    tl.store(out_rstd_ptr + pid, rstd)

    if HAS_WEIGHT_BIAS:
        c = pid % C
        w = tl.load(weight_ptr + c)
        b = tl.load(bias_ptr + c)
        out = (x - m) * rstd * w + b
    else:
        out = (x - m) * rstd
    tl.store(out_ptr + pid * N + n_offsets, out, mask=mask)


@libentry()
@triton.jit(do_not_specialize=["eps"])
def instance_norm_persistent_kernel_multiline(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,
    out_rstd_ptr,
    M,
    N,
    C,
    eps,
    TILE_M: tl.constexpr,
    TILE_N: tl.constexpr,
    HAS_WEIGHT_BIAS: tl.constexpr,
):
    pid = tle.program_id(0)
    m_offsets = pid * TILE_M + tl.arange(0, TILE_M)
    m_mask = m_offsets < M
    n_offsets = tl.arange(0, TILE_N)[None, :]
    n_mask = n_offsets < N
    mask = m_mask[:, None] & n_mask

    x = tl.load(in_ptr + m_offsets[:, None] * N + n_offsets, mask, other=0.0).to(tl.float32)
    m = tl.sum(x, axis=1) / N
    d = tl.where(mask, x - m[:, None], 0.0)
    var = tl.sum(d * d, axis=1) / N
    rstd = tl.math.rsqrt(var + eps)

    tl.store(out_mean_ptr + m_offsets, m, mask=m_mask)
    tl.store(out_rstd_ptr + m_offsets, rstd, mask=m_mask)

    if HAS_WEIGHT_BIAS:
        c_offsets = m_offsets % C
        w = tl.load(weight_ptr + c_offsets, mask=m_mask)[:, None]
        b = tl.load(bias_ptr + c_offsets, mask=m_mask)[:, None]
        out = (x - m[:, None]) * rstd[:, None] * w + b
    else:
        out = (x - m[:, None]) * rstd[:, None]
    tl.store(out_ptr + m_offsets[:, None] * N + n_offsets, out, mask=mask)


@libentry()
@triton.jit(do_not_specialize=["eps"])
def instance_norm_loop_kernel(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,
    out_rstd_ptr,
    M,
    N,
    C,
    eps,
    TILE_N: tl.constexpr,
    HAS_WEIGHT_BIAS: tl.constexpr,
):
    pid = tle.program_id(0)

    # per-lane Welford statistics
    m = tl.zeros((TILE_N,), dtype=tl.float32)
    s = tl.zeros((TILE_N,), dtype=tl.float32)
    cnt = tl.zeros((TILE_N,), dtype=tl.int32)
    num_steps = tl.cdiv(N, TILE_N)
    for step in range(0, num_steps - 1, 1):
        start_n = step * TILE_N
        n_offsets = start_n + tl.arange(0, TILE_N)
        x = tl.load(in_ptr + pid * N + n_offsets).to(tl.float32)
        new_m = m + (x - m) / (step + 1)
        new_s = s + (x - new_m) * (x - m)
        cnt += 1
        m = new_m
        s = new_s

    # the last (possibly partial) tile
    for step in range(num_steps - 1, num_steps, 1):
        start_n = step * TILE_N
        n_offsets = start_n + tl.arange(0, TILE_N)
        mask = n_offsets < N
        x = tl.load(in_ptr + pid * N + n_offsets, mask=mask, other=0.0).to(tl.float32)
        new_m = tl.where(mask, m + (x - m) / (step + 1), m)
        new_s = tl.where(mask, s + (x - new_m) * (x - m), s)
        cnt += mask.to(tl.int32)
        m = new_m
        s = new_s

    # merge the lanes
    final_m = tl.sum(m * cnt) / N
    var = tl.sum(s + cnt * (m - final_m) * (m - final_m)) / N
    rstd = tl.math.rsqrt(var + eps)
    m = final_m
    tl.store(out_mean_ptr + pid, m)
    tl.store(out_rstd_ptr + pid, rstd)

    if HAS_WEIGHT_BIAS:
        c = pid % C
        w = tl.load(weight_ptr + c)
        b = tl.load(bias_ptr + c)
    else:
        w = 1
        b = 0

    # second sweep, in reverse: the partial tile first
    prev_multiple = prev_multiple_of(N, TILE_N)
    for start_n in range(0, TILE_N, TILE_N):
        n_offsets = (prev_multiple - start_n) + tl.arange(0, TILE_N)
        mask = n_offsets < N
        x = tl.load(in_ptr + pid * N + n_offsets, mask=mask, other=0.0, eviction_policy="evict_first").to(tl.float32)
        out = w * (x - m) * rstd + b
        tl.store(out_ptr + pid * N + n_offsets, out, mask=mask)

    for start_n in range(TILE_N, N, TILE_N):
        n_offsets = (prev_multiple - start_n) + tl.arange(0, TILE_N)
        x = tl.load(in_ptr + pid * N + n_offsets, eviction_policy="evict_first").to(tl.float32)
        out = w * (x - m) * rstd + b
        tl.store(out_ptr + pid * N + n_offsets, out)


def instance_norm(input, weight=None, bias=None, running_mean=None, running_var=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05, cudnn_enable=False):
    logger.debug("GEMS INSTANCE NORM")
    assert use_input_stats, "only the use_input_stats path is implemented"
    B, C = input.shape[:2]
    M = B * C
    N = math.prod(input.shape[2:])
    x = input.contiguous()
    y = torch.empty_like(x)
    mean = torch.empty(M, dtype=torch.float32, device=x.device)
    rstd = torch.empty(M, dtype=torch.float32, device=x.device)
    has_weight_bias = weight is not None
    with torch_device_fn.device(x.device):
        if N <= 128:
            TILE_N = triton.next_power_of_2(N)
            TILE_M = triton.cdiv(1024, TILE_N)
            grid = (triton.cdiv(M, TILE_M), 1, 1)
            instance_norm_persistent_kernel_multiline[grid](
                x, y, weight, bias, mean, rstd, M, N, C, eps, TILE_M, TILE_N, has_weight_bias
            )
        elif N <= 4096:
            TILE_N = triton.next_power_of_2(N)
            instance_norm_persistent_kernel[(M, 1, 1)](
                x, y, weight, bias, mean, rstd, M, N, C, eps, TILE_N, has_weight_bias
            )
        else:
            TILE_N = 1024
            instance_norm_loop_kernel[(M, 1, 1)](
                x, y, weight, bias, mean, rstd, M, N, C, eps, TILE_N, has_weight_bias
            )
    return y, mean.view(B, C), rstd.view(B, C)
