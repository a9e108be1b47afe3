# corpus: tl.constexpr dtype branches, autotune with a comprehension, async def/async with/async for, walrus, tensor masks joined with `and`
import asyncio
import logging
from typing import Optional, Sequence

import torch
import triton
import triton.language as tl

from ..utils import dim_compress, libentry
from ..utils import triton_lang_extension as tle


@libentry()
@triton.jit
def sum_kernel_1(
    inp,
    mid,
    M,
    BLOCK_SIZE: tl.constexpr,
):
    if tl.constexpr(inp.dtype.element_ty == tl.float16) or tl.constexpr(
        inp.dtype.element_ty == tl.bfloat16
    ):
        cdtype = tl.float32
    else:
        cdtype = inp.dtype.element_ty

    pid = tle.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    inp_ptrs = inp + offset
    mask = offset < M

    inp_val = tl.load(inp_ptrs, mask=mask, other=0).to(cdtype)
    sum_val = tl.sum(inp_val)
    mid_ptr = mid + pid
    tl.store(mid_ptr, sum_val)


@libentry()
@triton.autotune(configs=[triton.Config({"BLOCK_M": m, "BLOCK_N": 1024}, num_warps=4) for m in [1, 2, 4, 8]], key=["M", "N"])
@triton.jit
def sum_kernel(
    inp,
    out,
    M,
    N,
    BLOCK_M: tl.constexpr,
    BLOCK_N: tl.constexpr,
):
    if tl.constexpr(inp.dtype.element_ty == tl.float16) or tl.constexpr(
        inp.dtype.element_ty == tl.bfloat16
    ):
        cdtype = tl.float32
    else:
        cdtype = inp.dtype.element_ty

    # Map the program id to the row of inp it should compute.
    pid = tle.program_id(0)
    rows = pid * BLOCK_M + tl.arange(0, BLOCK_M)[:, None]
    inp = inp + rows * N
    out = out + rows
    row_mask = rows < M

    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=cdtype)
    for off in tl.range(0, N, BLOCK_N, num_stages=2):
        cols = off + tl.arange(0, BLOCK_N)[None, :]
        col_mask = cols < N
        mask = row_mask and col_mask

        a = tl.load(inp + cols, mask, other=0).to(cdtype)
        acc += a
    out_val = tl.sum(acc, axis=1)[:, None]
    tl.store(out, out_val, row_mask)


async def warmup(shapes: Sequence[tuple[int, ...]], *, device: Optional[str] = None) -> None:
    async with asyncio.timeout(10):
        for shape in shapes:
            await asyncio.sleep(0)
            x = torch.randn(*shape, device=device)
            _ = [v async for v in _agen(x)]


async def _agen(x):
    yield x


def sum_dim(inp, dim=None, keepdim=False, *, dtype=None):
    logging.debug("GEMS SUM DIM")
    if (n := inp.numel()) == 0:
        return torch.zeros((), dtype=dtype)
    shape = list(inp.shape)
    dim = [d % inp.ndim for d in dim]
    inp = dim_compress(inp, dim)
    N = 1
    for i in dim:
        N *= shape[i]
        shape[i] = 1
    M = inp.numel() // N
    out = torch.empty(shape, dtype=dtype, device=inp.device)
    grid = lambda meta: (triton.cdiv(M, meta["BLOCK_M"]),)
    sum_kernel[grid](inp, out, M, N)
    return out if keepdim else out.squeeze(dim=dim)
