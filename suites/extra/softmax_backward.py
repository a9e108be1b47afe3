# softmax backward: dx = y * (dy - sum_k y_k * dy_k) along the softmax dim, where y is the
# forward output. FlagGems style (ops/softmax.py, backward half; our own code):
#   softmax_backward_kernel_inner      softmax over the last dim: one row per program; the
#                                      whole row in one tile, or a first loop accumulating
#                                      y*dy per lane and a second loop writing dx
#   softmax_backward_kernel_non_inner  softmax over a middle dim of an M x N x K tensor:
#                                      [TILE_N, TILE_K] tiles, grid (M, cdiv(K, TILE_K))
import logging

import torch
import triton
import triton.language as tl

from .. import runtime
from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.heuristics({"ONE_TILE_PER_CTA": lambda args: args["TILE_N"] >= args["N"]})
@triton.jit
def softmax_backward_kernel_inner(
    out_ptr,
    out_grad_ptr,
    in_grad_ptr,
    M,
    N,
    TILE_N: tl.constexpr,
    ONE_TILE_PER_CTA: tl.constexpr,
):
    pid_m = tle.program_id(0)
    row_start = pid_m * N
    if ONE_TILE_PER_CTA:
        n_offsets = tl.arange(0, TILE_N)
        mask = n_offsets < N
        y = tl.load(out_ptr + row_start + n_offsets, mask=mask, other=0.0).to(tl.float32)
        dy = tl.load(out_grad_ptr + row_start + n_offsets, mask=mask, other=0.0).to(tl.float32)
        dot = tl.sum(y * dy, 0)
        dx = y * (dy - dot)
        tl.store(in_grad_ptr + row_start + n_offsets, dx, mask=mask)
    else:
        acc = tl.zeros([TILE_N], dtype=tl.float32)
        for start_n in range(0, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            mask = n_offsets < N
            y = tl.load(out_ptr + row_start + n_offsets, mask=mask, other=0.0).to(tl.float32)
            dy = tl.load(out_grad_ptr + row_start + n_offsets, mask=mask, other=0.0).to(tl.float32)
            acc += y * dy
        dot = tl.sum(acc, 0)
        for start_n in range(0, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            mask = n_offsets < N
            y = tl.load(out_ptr + row_start + n_offsets, mask=mask, other=0.0).to(tl.float32)
            dy = tl.load(out_grad_ptr + row_start + n_offsets, mask=mask, other=0.0).to(tl.float32)
            dx = y * (dy - dot)
            tl.store(in_grad_ptr + row_start + n_offsets, dx, mask=mask)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("softmax_non_inner"), key=["N", "K"])
@triton.heuristics({"ONE_TILE_PER_CTA": lambda args: args["TILE_N"] >= args["N"]})
@triton.jit
def softmax_backward_kernel_non_inner(
    out_ptr,
    out_grad_ptr,
    in_grad_ptr,
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
    base = pid_m * N * K
    if ONE_TILE_PER_CTA:
        n_offsets = tl.arange(0, TILE_N)
        offsets = base + n_offsets[:, None] * K + k_offsets[None, :]
        mask = (n_offsets[:, None] < N) & (k_offsets[None, :] < K)
        y = tl.load(out_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
        dy = tl.load(out_grad_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
        dot = tl.sum(y * dy, axis=0)
        dx = y * (dy - dot[None, :])
        tl.store(in_grad_ptr + offsets, dx, mask=mask)
    else:
        acc = tl.zeros([TILE_N, TILE_K], dtype=tl.float32)
        for start_n in range(0, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            offsets = base + n_offsets[:, None] * K + k_offsets[None, :]
            mask = (n_offsets[:, None] < N) & (k_offsets[None, :] < K)
            y = tl.load(out_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
            dy = tl.load(out_grad_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
            acc += y * dy
        dot = tl.sum(acc, axis=0)
        for start_n in range(0, N, TILE_N):
            n_offsets = start_n + tl.arange(0, TILE_N)
            offsets = base + n_offsets[:, None] * K + k_offsets[None, :]
            mask = (n_offsets[:, None] < N) & (k_offsets[None, :] < K)
            y = tl.load(out_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
            dy = tl.load(out_grad_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
            dx = y * (dy - dot[None, :])
            tl.store(in_grad_ptr + offsets, dx, mask=mask)


def softmax_backward(grad_output, output, dim, input_dtype):
    logger.debug("GEMS SOFTMAX VJP")
    assert dim >= -output.ndim and dim < output.ndim, "Invalid dim"
    dim = dim % output.ndim
    M = 1
    N = output.shape[dim]
    for i in range(dim):
        M *= output.shape[i]
    K = output.numel() // M // N

    grad_output = grad_output.contiguous()
    output = output.contiguous()
    in_grad = torch.empty_like(output, dtype=input_dtype)

    with torch_device_fn.device(in_grad.device):
        if K > 1:
            grid = lambda meta: (M, triton.cdiv(K, meta["TILE_K"]), 1)
            softmax_backward_kernel_non_inner[grid](output, grad_output, in_grad, M, N, K)
        else:
            TILE_N = min(triton.next_power_of_2(N), 8192)
            softmax_backward_kernel_inner[(M, 1, 1)](output, grad_output, in_grad, M, N, TILE_N=TILE_N)
    return in_grad
