# MUTANT of suites/flaggems/vector_norm.py (missing-other): l2_norm_kernel: masked load without other=, padding lanes squared into the sum.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# vector_norm: ||x||_ord over one or more dimensions, or over all elements.
# Row kernels (rows of an M x N view, [BLOCK_M, BLOCK_N] accumulator looped over N):
#   ord = 2    l2_norm_kernel       sqrt(sum x^2)
#   ord = inf  max_norm_kernel      max |x|
#   ord = -inf min_norm_kernel      min |x|
#   ord = 0    l0_norm_kernel       number of non-zeros
#   other ord  v_norm_kernel        (sum |x|^ord)^(1/ord)
# Full reductions: the same orders in two stages (per-block partials into `mid`, one program
# combines them), plus ord = 1. Written for vlift's suite after the FlagGems v2.2 algorithm.
import logging
import math

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import dim_compress, libentry, tl_extra_shim
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)
pow = tl_extra_shim.pow


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("vector_norm"), key=["M", "N"])
@triton.jit
def l2_norm_kernel(X, Out, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tle.program_id(0).to(tl.int64) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Out = Out + rows
    row_mask = rows < M

    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        a = tl.load(X + cols, mask).to(tl.float32)  # MUTANT (missing-other): l2_norm_kernel: masked load without other=, padding lanes squared into the sum
        acc += a * a
    sq_sum = tl.sum(acc, axis=1)
    norm = tl.sqrt(sq_sum)[:, None]
    tl.store(Out, norm, row_mask)


@libentry()
@triton.jit
def l2_norm_kernel_1(X, Mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0).to(tl.int64)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    X = X + offs
    Mid = Mid + pid
    mask = offs < M
    x = tl.load(X, mask=mask, other=0.0).to(tl.float32)
    tl.store(Mid, tl.sum(x * x))


@libentry()
@triton.jit
def l2_norm_kernel_2(Mid, Out, MID_SIZE, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    Mid = Mid + offs
    mask = offs < MID_SIZE
    partials = tl.load(Mid, mask=mask, other=0.0).to(tl.float32)
    norm = tl.sqrt(tl.sum(partials))
    tl.store(Out, norm)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("vector_norm"), key=["M", "N"])
@triton.jit
def max_norm_kernel(X, Out, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tle.program_id(0).to(tl.int64) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Out = Out + rows
    row_mask = rows < M

    # |x| >= 0, so zeros are a neutral start and a neutral fill for masked lanes.
    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        a = tl.load(X + cols, mask, other=0.0).to(tl.float32)
        acc = tl.maximum(tl.abs(a), acc)
    largest = tl.max(acc, axis=1)
    tl.store(Out, largest[:, None], row_mask)


@libentry()
@triton.jit
def max_norm_kernel_1(X, Mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0).to(tl.int64)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    X = X + offs
    Mid = Mid + pid
    mask = offs < M
    x = tl.load(X, mask=mask, other=0.0).to(tl.float32)
    tl.store(Mid, tl.max(tl.abs(x)))


@libentry()
@triton.jit
def max_norm_kernel_2(Mid, Out, MID_SIZE, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    Mid = Mid + offs
    mask = offs < MID_SIZE
    partials = tl.load(Mid, mask=mask, other=0.0).to(tl.float32)
    tl.store(Out, tl.max(partials))


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("vector_norm"), key=["M", "N"])
@triton.jit
def min_norm_kernel(X, Out, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tle.program_id(0).to(tl.int64) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Out = Out + rows
    row_mask = rows < M

    acc = tl.full([BLOCK_M, BLOCK_N], value=float("inf"), dtype=tl.float32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        a = tl.load(X + cols, mask, other=float("inf")).to(tl.float32)
        acc = tl.minimum(tl.abs(a), acc)
    smallest = tl.min(acc, axis=1)
    tl.store(Out, smallest[:, None], row_mask)


@libentry()
@triton.jit
def min_norm_kernel_1(X, Mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0).to(tl.int64)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    X = X + offs
    Mid = Mid + pid
    mask = offs < M
    x = tl.load(X, mask=mask, other=float("inf")).to(tl.float32)
    tl.store(Mid, tl.min(tl.abs(x)))


@libentry()
@triton.jit
def min_norm_kernel_2(Mid, Out, MID_SIZE, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    Mid = Mid + offs
    mask = offs < MID_SIZE
    partials = tl.load(Mid, mask=mask, other=float("inf")).to(tl.float32)
    tl.store(Out, tl.min(partials))


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("vector_norm"), key=["M", "N"])
@triton.jit
def l0_norm_kernel(X, Out, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tle.program_id(0).to(tl.int64) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Out = Out + rows
    row_mask = rows < M

    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        a = tl.load(X + cols, mask, other=0).to(tl.float32)
        acc += tl.where(a != 0, 1, 0)
    nonzeros = tl.sum(acc, axis=1)
    tl.store(Out, nonzeros[:, None], row_mask)


@libentry()
@triton.jit
def l0_norm_kernel_1(X, Mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0).to(tl.int64)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    X = X + offs
    Mid = Mid + pid
    mask = offs < M
    x = tl.load(X, mask=mask, other=0.0).to(tl.float32)
    nonzero = (x != 0).to(tl.float32)
    tl.store(Mid, tl.sum(nonzero))


@libentry()
@triton.jit
def l0_norm_kernel_2(Mid, Out, MID_SIZE, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    Mid = Mid + offs
    mask = offs < MID_SIZE
    partials = tl.load(Mid, mask=mask, other=0.0).to(tl.float32)
    tl.store(Out, tl.sum(partials))


@libentry()
@triton.jit
def l1_norm_kernel_1(X, Mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0).to(tl.int64)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    X = X + offs
    Mid = Mid + pid
    mask = offs < M
    x = tl.load(X, mask=mask, other=0.0).to(tl.float32)
    tl.store(Mid, tl.sum(tl.abs(x)))


@libentry()
@triton.jit
def l1_norm_kernel_2(Mid, Out, MID_SIZE, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    Mid = Mid + offs
    mask = offs < MID_SIZE
    partials = tl.load(Mid, mask=mask, other=0.0).to(tl.float32)
    tl.store(Out, tl.sum(partials))


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("vector_norm"), key=["M", "N"])
@triton.jit
def v_norm_kernel(X, Out, M, N, ord, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tle.program_id(0).to(tl.int64) * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    X = X + rows * N
    Out = Out + rows
    row_mask = rows < M

    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for start in range(0, N, BLOCK_N):
        cols = start + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask
        a = tl.load(X + cols, mask, other=0.0).to(tl.float32)
        acc += pow(tl.abs(a), ord)
    powered = tl.sum(acc, axis=1)
    norm = pow(powered, 1 / ord)[:, None]
    tl.store(Out, norm, row_mask)


@libentry()
@triton.jit
def v_norm_kernel_1(X, Mid, M, ord, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0).to(tl.int64)
    offs = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    X = X + offs
    Mid = Mid + pid
    mask = offs < M
    x = tl.load(X, mask=mask, other=0.0).to(tl.float32)
    tl.store(Mid, tl.sum(pow(tl.abs(x), ord)))


@libentry()
@triton.jit
def v_norm_kernel_2(Mid, Out, MID_SIZE, ord, BLOCK_MID: tl.constexpr):
    offs = tl.arange(0, BLOCK_MID)
    Mid = Mid + offs
    mask = offs < MID_SIZE
    partials = tl.load(Mid, mask=mask, other=0.0).to(tl.float32)
    norm = pow(tl.sum(partials), 1 / ord)
    tl.store(Out, norm)


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    logger.debug(f"GEMS VECTOR NORM (ord={ord}, dim={dim}, keepdim={keepdim})")
    if dtype is not None:
        dtype = torch.dtype(dtype)
    else:
        dtype = x.dtype
    if dtype not in [torch.float16, torch.float32, torch.bfloat16]:
        raise NotImplementedError(f"vector_norm not implemented for {dtype}")

    with torch_device_fn.device(x.device):
        if (not dim) or len(dim) == x.ndim:
            dim = list(range(x.ndim))
            shape = [1] * x.ndim
            x = dim_compress(x, dim)
            n = x.numel()
            block_size = triton.next_power_of_2(math.ceil(math.sqrt(n)))
            mid_size = triton.cdiv(n, block_size)
            block_mid = triton.next_power_of_2(mid_size)

            mid = torch.empty([mid_size], dtype=dtype, device=x.device)
            out = torch.empty(shape, dtype=dtype, device=x.device)
            if ord == 2:
                l2_norm_kernel_1[(mid_size,)](x, mid, n, block_size)
                l2_norm_kernel_2[(1,)](mid, out, mid_size, block_mid)
            elif ord == float("inf"):
                max_norm_kernel_1[(mid_size,)](x, mid, n, block_size)
                max_norm_kernel_2[(1,)](mid, out, mid_size, block_mid)
            elif ord == -float("inf"):
                min_norm_kernel_1[(mid_size,)](x, mid, n, block_size)
                min_norm_kernel_2[(1,)](mid, out, mid_size, block_mid)
            elif ord == 0:
                l0_norm_kernel_1[(mid_size,)](x, mid, n, block_size)
                l0_norm_kernel_2[(1,)](mid, out, mid_size, block_mid)
            elif ord == 1:
                l1_norm_kernel_1[(mid_size,)](x, mid, n, block_size)
                l1_norm_kernel_2[(1,)](mid, out, mid_size, block_mid)
            else:
                v_norm_kernel_1[(mid_size,)](x, mid, n, ord, block_size)
                v_norm_kernel_2[(1,)](mid, out, mid_size, ord, block_mid)
        else:
            shape = list(x.shape)
            dim = [d % x.ndim for d in dim]
            x = dim_compress(x, dim)
            N = 1
            for d in dim:
                N *= shape[d]
                shape[d] = 1
            M = x.numel() // N
            out = torch.empty(shape, dtype=dtype, device=x.device)
            grid = lambda META: (triton.cdiv(M, META["BLOCK_M"]),)
            if ord == 2:
                l2_norm_kernel[grid](x, out, M, N)
            elif ord == float("inf"):
                max_norm_kernel[grid](x, out, M, N)
            elif ord == -float("inf"):
                min_norm_kernel[grid](x, out, M, N)
            elif ord == 0:
                l0_norm_kernel[grid](x, out, M, N)
            else:
                v_norm_kernel[grid](x, out, M, N, ord)
    if not keepdim:
        out = out.squeeze(dim=dim)
    return out
