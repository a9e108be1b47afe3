# MUTANT of suites/flaggems/var_mean.py (missing-div-n): variance divided by N instead of N - correction.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# var_mean: variance (with Bessel-style `correction`) and mean.
# Dim path: rows of an M x N view; every lane of a [BLOCK_M, BLOCK_N] tile keeps its own Welford
# state (mean, count, M2) over the N loop, counting only unmasked elements (count += mask); the
# lanes of a row are then merged by tl.reduce over the (mean, count, M2) tuple with a jitted
# combiner. Full path: per-block (mean, count, M2) from sums into three buffers, then one
# program merges the blocks with the same combiner. var = M2 / (N - correction).
# Written for vlift's suite after the FlagGems v2.2 algorithm.
import logging

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import dim_compress, libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@triton.jit
def welford_func(mean_x, count_x, M_x, mean_y, count_y, M_y):
    # Merge two partial states through their sums: sum = mean*count, and
    # M2 = sum of squares - count*mean^2 for each part and for the union.
    count = count_x + count_y
    safe_count = tl.maximum(count, 1)
    sum_x = mean_x * count_x
    sum_y = mean_y * count_y
    mean = (sum_x + sum_y) / safe_count
    M = M_x + sum_x * mean_x + M_y + sum_y * mean_y - count * mean * mean
    return mean, count, M


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("var_mean"), key=["M", "N"])
@triton.jit(do_not_specialize=["correction"])
def var_mean_welford_kernel(
    X,
    Var,
    Mean,
    M,
    N,
    correction,
    BLOCK_M: tl.constexpr,
    BLOCK_N: tl.constexpr,
):
    rows = tle.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Var = Var + rows
    Mean = Mean + rows
    row_mask = rows < M

    lane_mean = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    lane_m2 = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    lane_count = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.int32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask

        x = tl.load(X + cols, mask, other=0.0).to(tl.float32)

        # a masked lane keeps its count, mean and M2 (its x is 0 and the update is multiplied out)
        count = lane_count + mask
        divisor = tl.maximum(count, 1)
        new_mean = (lane_mean * lane_count + x) / divisor
        lane_m2 += (x - new_mean) * (x - lane_mean) * mask
        lane_mean = new_mean
        lane_count = count

    mean, _, m2 = tl.reduce((lane_mean, lane_count, lane_m2), axis=1, combine_fn=welford_func)
    var = m2 / N  # MUTANT (missing-div-n): variance divided by N instead of N - correction
    tl.store(Mean, mean[:, None], row_mask)
    tl.store(Var, var[:, None], row_mask)


@libentry()
@triton.jit
def var_mean_kernel_1(X, Acc, Average, Count, N, BLOCK_N: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK_N + tl.arange(0, BLOCK_N)
    mask = offs < N

    x = tl.load(X + offs, mask, other=0.0).to(tl.float32)

    count = tl.sum(mask.to(tl.float32))
    average = tl.fdiv(tl.sum(x), count)
    acc = tl.sum(x * x) - count * average * average

    tl.store(Average + pid, average)
    tl.store(Acc + pid, acc)
    tl.store(Count + pid, count)


@libentry()
@triton.heuristics(runtime.get_heuristic_config("var_mean"))
@triton.jit(do_not_specialize=["correction"])
def var_mean_kernel_2(Acc, Average, Count, Var, Mean, N, correction, BLOCK_NUM, BLOCK_N: tl.constexpr):
    offs = tl.arange(0, BLOCK_N)
    mask = offs < BLOCK_NUM
    acc = tl.load(Acc + offs, mask, other=0.0).to(tl.float32)
    average = tl.load(Average + offs, mask, other=0.0).to(tl.float32)
    count = tl.load(Count + offs, mask, other=0.0).to(tl.float32)

    mean, _, m2 = tl.reduce((average, count, acc), axis=0, combine_fn=welford_func)

    var = m2 / (N - correction)
    tl.store(Mean, mean)
    tl.store(Var, var)


def var_mean(x, dim=None, *, correction=None, keepdim=False):
    logger.debug(f"GEMS VAR MEAN (dim={dim}, correction={correction}, keepdim={keepdim})")
    if correction is None:
        correction = 1.0

    if dim is None or len(dim) == x.ndim:
        dim = list(range(x.ndim))
        shape = [1] * x.ndim
        N = x.numel()
        var = torch.empty(shape, dtype=x.dtype, device=x.device)
        mean = torch.empty(shape, dtype=x.dtype, device=x.device)
        BLOCK_N = 1024
        BLOCK_NUM = triton.cdiv(N, BLOCK_N)
        acc = torch.empty([BLOCK_NUM], dtype=x.dtype, device=x.device)
        average = torch.empty([BLOCK_NUM], dtype=x.dtype, device=x.device)
        count = torch.empty([BLOCK_NUM], dtype=x.dtype, device=x.device)

        with torch_device_fn.device(x.device):
            var_mean_kernel_1[(BLOCK_NUM,)](x, acc, average, count, N, BLOCK_N=BLOCK_N)
            var_mean_kernel_2[(1,)](acc, average, count, var, mean, N, correction, BLOCK_NUM)
    else:
        shape = list(x.shape)
        dims = [d % x.ndim for d in dim]
        x = dim_compress(x, dims)
        N = 1
        for d in dims:
            N *= shape[d]
            shape[d] = 1
        M = x.numel() // N
        var = torch.empty(shape, dtype=x.dtype, device=x.device)
        mean = torch.empty(shape, dtype=x.dtype, device=x.device)

        grid = lambda META: (triton.cdiv(M, META["BLOCK_M"]),)
        with torch_device_fn.device(x.device):
            var_mean_welford_kernel[grid](x, var, mean, M, N, correction)

    if not keepdim:
        var = var.squeeze(dim=dim)
        mean = mean.squeeze(dim=dim)
    return var, mean
