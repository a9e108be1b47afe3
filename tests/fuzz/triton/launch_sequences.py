# Multi-launch operators: a two-stage full reduction (partial sums into an intermediate
# buffer, then one program reduces them) and FlagGems-style scan-then-fan cumsum, whose host
# code scans the per-block sums recursively with the same two kernels.
import math

import torch
import triton
import triton.language as tl

from flag_gems.utils import libentry
from flag_gems.utils import triton_lang_extension as tle


@libentry()
@triton.jit
def sum_kernel_1(inp, mid, M, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    inp_ptrs = inp + offset
    mask = offset < M
    inp_val = tl.load(inp_ptrs, mask=mask, other=0.0).to(tl.float32)
    sum_val = tl.sum(inp_val)
    tl.store(mid + pid, sum_val)


@libentry()
@triton.jit
def sum_kernel_2(mid, out, mid_size, BLOCK_MID: tl.constexpr):
    offset = tl.arange(0, BLOCK_MID)
    mask = offset < mid_size
    mid_val = tl.load(mid + offset, mask=mask, other=0.0).to(tl.float32)
    sum_val = tl.sum(mid_val)
    tl.store(out, sum_val)


@triton.jit(do_not_specialize=["n_elements", "part_num"])
def scan_part_sum_kernel(inp, out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements
    inp_vals = tl.load(inp + offset, mask=mask)   # no other=: masked lanes are unspecified
    if tl.constexpr(inp_vals.dtype.is_int64()):
        inp_vals = inp_vals
    else:
        inp_vals = inp_vals.to(tl.float32)
    result = tl.cumsum(inp_vals, axis=0)
    part_sum_via_sum = tl.sum(inp_vals)           # includes them: only the last block's is wrong,
    tl.store(out + offset, result, mask=mask)     # and the last block's sum is never used
    partial_sum_ptrs = partial_sum + pid
    tl.store(partial_sum_ptrs, part_sum_via_sum)


@triton.jit(do_not_specialize=["n_elements", "part_num"])
def add_base_sum_kernel(out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tle.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements
    out_vals = tl.load(out + offset, mask=mask)
    if pid > 0:
        sum_vals = tl.load(partial_sum + pid - 1)
        final_vals = out_vals + sum_vals
        tl.store(out + offset, final_vals.to(out_vals.dtype), mask=mask)


def scan_then_fan_col(inp, out, n_ele, dtype):
    BLOCK_SIZE = 1024
    if n_ele <= 1024 * 4:
        BLOCK_SIZE = triton.next_power_of_2(n_ele)
    part_num = math.ceil(n_ele / BLOCK_SIZE)
    partial_sum = torch.empty(part_num, dtype=dtype, device=inp.device)
    grid = (part_num,)
    scan_part_sum_kernel[grid](inp, out, partial_sum, n_ele, part_num, BLOCK_SIZE)
    if part_num >= 2:
        scan_then_fan_col(partial_sum, partial_sum, part_num, dtype)
        add_base_sum_kernel[grid](out, partial_sum, n_ele, part_num, BLOCK_SIZE)
