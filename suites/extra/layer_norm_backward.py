# layer_norm backward, given the forward's saved mean and rstd per row:
#   x_hat = (x - mean) * rstd,  g = dy * w
#   dx = rstd * (g - (sum_k g_k + x_hat * sum_k g_k x_hat_k) / N)
#   dw = sum over rows of dy * x_hat,  db = sum over rows of dy
# FlagGems style (ops/layernorm.py, backward half; our own code): two kernels launched one
# after the other. layer_norm_backward_kernel takes BLOCK_ROW_SIZE rows per program and loops
# twice over column tiles (first the two row sums, then dx); weight_bias_backward_kernel takes
# BLOCK_COL_SIZE columns per program and loops over row tiles.
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
@triton.autotune(configs=runtime.get_tuned_config("layer_norm_backward"), key=["M", "N"])
@triton.jit
def layer_norm_backward_kernel(
    dY,
    X,
    W,
    Mean,
    Rstd,
    dX,
    M,
    N,
    BLOCK_ROW_SIZE: tl.constexpr,
    BLOCK_COL_SIZE: tl.constexpr,
):
    rows = tle.program_id(0) * BLOCK_ROW_SIZE + tl.arange(0, BLOCK_ROW_SIZE)[:, None]
    row_mask = rows < M
    dY += rows * N
    X += rows * N
    dX += rows * N
    Mean += rows
    Rstd += rows

    mean = tl.load(Mean, mask=row_mask, other=0.0).to(tl.float32)
    rstd = tl.load(Rstd, mask=row_mask, other=0.0).to(tl.float32)

    sum_g = tl.zeros([BLOCK_ROW_SIZE, BLOCK_COL_SIZE], dtype=tl.float32)
    sum_g_xhat = tl.zeros([BLOCK_ROW_SIZE, BLOCK_COL_SIZE], dtype=tl.float32)
    for off in range(0, N, BLOCK_COL_SIZE):
        cols = off + tl.arange(0, BLOCK_COL_SIZE)
        col_mask = cols[None, :] < N
        mask = row_mask and col_mask
        dy = tl.load(dY + cols[None, :], mask, other=0.0).to(tl.float32)
        x = tl.load(X + cols[None, :], mask, other=0.0).to(tl.float32)
        x = tl.where(mask, x - mean, 0.0)
        x_hat = x * rstd
        w = tl.load(W + cols, mask=cols < N, other=0.0).to(tl.float32)
        g = dy * w
        sum_g += g
        sum_g_xhat += g * x_hat
    c2 = tl.sum(sum_g, axis=1)[:, None]
    c1 = tl.sum(sum_g_xhat, axis=1)[:, None]

    for off in range(0, N, BLOCK_COL_SIZE):
        cols = off + tl.arange(0, BLOCK_COL_SIZE)
        col_mask = cols[None, :] < N
        mask = row_mask and col_mask
        dy = tl.load(dY + cols[None, :], mask, other=0.0).to(tl.float32)
        x = tl.load(X + cols[None, :], mask, other=0.0).to(tl.float32)
        w = tl.load(W + cols, mask=cols < N, other=0.0).to(tl.float32)
        x = tl.where(mask, x - mean, 0.0)
        x_hat = x * rstd
        g = dy * w
        dx = rstd * (g - (c2 + x_hat * c1) / N)
        tl.store(dX + cols[None, :], dx.to(dX.dtype.element_ty), mask=mask)


@libentry()
@triton.autotune(configs=runtime.get_tuned_config("weight_bias_backward"), key=["N"])
@triton.jit
def weight_bias_backward_kernel(
    dY,
    X,
    Mean,
    Rstd,
    dW,
    dB,
    M,
    N,
    BLOCK_ROW_SIZE: tl.constexpr,
    BLOCK_COL_SIZE: tl.constexpr,
):
    cols = tle.program_id(0) * BLOCK_COL_SIZE + tl.arange(0, BLOCK_COL_SIZE)[None, :]
    col_mask = cols < N
    dY += cols
    X += cols
    acc_dw = tl.zeros([BLOCK_ROW_SIZE, BLOCK_COL_SIZE], dtype=tl.float32)
    acc_db = tl.zeros([BLOCK_ROW_SIZE, BLOCK_COL_SIZE], dtype=tl.float32)
    for off in range(0, M, BLOCK_ROW_SIZE):
        rows = off + tl.arange(0, BLOCK_ROW_SIZE)[:, None]
        row_mask = rows < M
        mask = row_mask and col_mask
        dy = tl.load(dY + rows * N, mask, other=0.0).to(tl.float32)
        x = tl.load(X + rows * N, mask, other=0.0).to(tl.float32)
        mean = tl.load(Mean + rows, mask=row_mask, other=0.0).to(tl.float32)
        rstd = tl.load(Rstd + rows, mask=row_mask, other=0.0).to(tl.float32)
        x_hat = tl.where(mask, (x - mean) * rstd, 0.0)
        acc_dw += dy * x_hat
        acc_db += dy
    dw = tl.sum(acc_dw, axis=0)[None, :]
    db = tl.sum(acc_db, axis=0)[None, :]
    tl.store(dW + cols, dw, mask=col_mask)
    tl.store(dB + cols, db, mask=col_mask)


def layer_norm_backward(out_grad, x, mean, rstd, weight, normalized_shape):
    logger.debug("GEMS LAYERNORM BACKWARD")
    N = 1
    for s in normalized_shape:
        N *= s
    M = x.numel() // N
    out_grad = out_grad.contiguous()
    x = x.contiguous()
    weight = weight.contiguous()
    in_grad = torch.empty_like(x)
    weight_grad = torch.empty_like(weight)
    bias_grad = torch.empty_like(weight)
    with torch_device_fn.device(x.device):
        grid = lambda meta: (triton.cdiv(M, meta["BLOCK_ROW_SIZE"]), 1, 1)
        layer_norm_backward_kernel[grid](out_grad, x, weight, mean, rstd, in_grad, M, N)
        grid = lambda meta: (triton.cdiv(N, meta["BLOCK_COL_SIZE"]), 1, 1)
        weight_bias_backward_kernel[grid](out_grad, x, mean, rstd, weight_grad, bias_grad, M, N)
    return in_grad, weight_grad, bias_grad
