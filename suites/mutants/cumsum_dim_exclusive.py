# MUTANT of suites/flaggems/cumsum.py (exclusive-scan): middle-axis block scan made exclusive.
# One edit, marked `# MUTANT` on the changed line. Deliberately wrong: vlift verify must not verify it.
# cumsum: inclusive prefix sums by scan-then-fan.
#   1. scan_part_sum_kernel: each program scans its block with tl.cumsum and writes the block's
#      total to partial_sum[pid]. The load has no `other=`: masked lanes of the last block hold
#      whatever is in memory, which only reaches that block's total, and the last total is never
#      used (block pid adds the totals of blocks < pid).
#   2. the host scans partial_sum in place, recursively, with the same two kernels;
#   3. add_base_sum_kernel: every block pid > 0 adds the scanned total of block pid - 1.
# The 1-D form scans a flat vector; the A x B x C form scans the middle axis, one program per
# (a, block of b, c), with A x part_num x C partial sums.
# Written for vlift's suite after the FlagGems v2.2 algorithm.
import logging
import math

import torch
import triton
import triton.language as tl

from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils import triton_lang_extension as tle

logger = logging.getLogger(__name__)


@libentry()
@triton.jit(do_not_specialize=["n_elements", "part_num"])
def scan_part_sum_kernel(inp, out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements

    inp_vals = tl.load(inp + offset, mask=mask)
    # 64-bit types scan as they are; narrower ints in int32; other floats in fp32.
    if (
        tl.constexpr(inp_vals.dtype.is_int64())
        or tl.constexpr(inp_vals.dtype.is_uint64())
    ) or tl.constexpr(inp_vals.dtype.is_fp64()):
        inp_vals = inp_vals
    elif tl.constexpr(inp_vals.dtype.is_int()):
        inp_vals = inp_vals.to(tl.int32)
    else:
        inp_vals = inp_vals.to(tl.float32)
    result = tl.cumsum(inp_vals, axis=0)
    block_total = tl.sum(inp_vals)

    tl.store(out + offset, result, mask=mask)
    tl.store(partial_sum + pid, block_total)


@libentry()
@triton.jit(do_not_specialize=["n_elements", "part_num"])
def add_base_sum_kernel(out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements

    out_vals = tl.load(out + offset, mask=mask)
    if pid > 0:
        # partial_sum has been scanned: entry pid - 1 is the sum of all blocks before this one
        base = tl.load(partial_sum + pid - 1)
        shifted = out_vals + base
        tl.store(out + offset, shifted.to(out_vals.dtype), mask=mask)


@libentry()
@triton.jit(do_not_specialize=["part_num"])
def scan_part_sum_abc_kernel(inp, out, partial_sum, B, C, part_num, BLOCK_SIZE: tl.constexpr):
    pid_a = tle.program_id(0)
    pid_b = tle.program_id(1)
    pid_c = tle.program_id(2)

    b_idx = pid_b * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    offset = pid_a * B * C + b_idx * C + pid_c
    part_offset = pid_a * part_num * C + pid_b * C + pid_c

    mask = b_idx < B
    inp_vals = tl.load(inp + offset, mask=mask)
    if (
        tl.constexpr(inp_vals.dtype.is_int64())
        or tl.constexpr(inp_vals.dtype.is_uint64())
    ) or tl.constexpr(inp_vals.dtype.is_fp64()):
        inp_vals = inp_vals
    elif tl.constexpr(inp_vals.dtype.is_int()):
        inp_vals = inp_vals.to(tl.int32)
    else:
        inp_vals = inp_vals.to(tl.float32)
    result = tl.cumsum(inp_vals, axis=0) - inp_vals  # MUTANT (exclusive-scan): middle-axis block scan made exclusive
    block_total = tl.sum(inp_vals)

    tl.store(out + offset, result, mask=mask)
    tl.store(partial_sum + part_offset, block_total)


@libentry()
@triton.jit(do_not_specialize=["part_num"])
def add_base_sum_abc_kernel(out, partial_sum, B, C, part_num, BLOCK_SIZE: tl.constexpr):
    pid_a = tle.program_id(0)
    pid_b = tle.program_id(1)
    pid_c = tle.program_id(2)

    b_idx = pid_b * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    offset = pid_a * B * C + b_idx * C + pid_c
    prev_part_offset = pid_a * part_num * C + (pid_b - 1) * C + pid_c

    mask = b_idx < B
    out_vals = tl.load(out + offset, mask=mask)
    if pid_b > 0:
        base = tl.load(partial_sum + prev_part_offset)
        shifted = out_vals + base
        tl.store(out + offset, shifted.to(out_vals.dtype), mask=mask)


def scan_then_fan_col(inp, out, n_ele, dtype):
    # One block for up to 4 * 1024 elements; beyond that, blocks of 1024 and a recursive scan of
    # their totals.
    BLOCK_SIZE = 1024
    if n_ele <= 1024 * 4:
        BLOCK_SIZE = triton.next_power_of_2(n_ele)
    part_num = math.ceil(n_ele / BLOCK_SIZE)
    partial_sum = torch.empty(part_num, dtype=dtype, device=inp.device)

    grid = (part_num,)
    with torch_device_fn.device(inp.device):
        scan_part_sum_kernel[grid](inp, out, partial_sum, n_ele, part_num, BLOCK_SIZE)

    if part_num >= 2:
        scan_then_fan_col(partial_sum, partial_sum, part_num, dtype)
        with torch_device_fn.device(inp.device):
            add_base_sum_kernel[grid](out, partial_sum, n_ele, part_num, BLOCK_SIZE)


def scan_then_fan(inp, out, A, B, C, dtype):
    BLOCK_SIZE = 1024
    if B <= 1024 * 4:
        BLOCK_SIZE = triton.next_power_of_2(B)
    part_num = math.ceil(B / BLOCK_SIZE)
    partial_sum = torch.empty(A, part_num, C, dtype=dtype, device=inp.device)

    grid = (A, part_num, C)
    with torch_device_fn.device(inp.device):
        scan_part_sum_abc_kernel[grid](inp, out, partial_sum, B, C, part_num, BLOCK_SIZE)

    if part_num >= 2:
        scan_then_fan(partial_sum, partial_sum, A, part_num, C, dtype)
        with torch_device_fn.device(inp.device):
            add_base_sum_abc_kernel[grid](out, partial_sum, B, C, part_num, BLOCK_SIZE)


def cumsum(inp, dim=1, *, dtype=None):
    logger.debug(f"GEMS CUMSUM (dim={dim})")
    assert -inp.ndim <= dim < inp.ndim, "Invalid dim"
    shape = inp.shape
    dim = dim % inp.ndim
    M = 1
    N = shape[dim]
    for i in range(dim):
        M *= shape[i]
    inp = inp.contiguous()
    K = inp.numel() // M // N

    if dtype is None:
        dtype = inp.dtype
        if dtype is torch.bool:
            dtype = torch.int64
    out = torch.empty_like(inp, dtype=dtype)

    compute_dtype = out.dtype
    if inp.dtype in (torch.float16, torch.bfloat16):
        compute_dtype = torch.float32

    if M == 1 and K == 1:
        scan_then_fan_col(inp, out, N, compute_dtype)
    else:
        scan_then_fan(inp, out, M, N, K, compute_dtype)
    return out
