# Scan-then-fan cumsum with faults, for `vlift verify` tests: the fan-out adds the scanned
# total of the block itself (it should add that of the block before), and a host recursion
# whose block of one element never shrinks the problem. Written for vlift's tests.
import triton
import triton.language as tl


@triton.jit
def scan_part_sum_kernel(inp, out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements
    inp_vals = tl.load(inp + offset, mask=mask).to(tl.float32)
    result = tl.cumsum(inp_vals, axis=0)
    block_total = tl.sum(inp_vals)
    tl.store(out + offset, result, mask=mask)
    tl.store(partial_sum + pid, block_total)


@triton.jit
def add_base_sum_kernel(out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements
    out_vals = tl.load(out + offset, mask=mask)
    if pid > 0:
        base = tl.load(partial_sum + pid - 1)
        tl.store(out + offset, out_vals + base, mask=mask)


@triton.jit
def add_own_sum_kernel(out, partial_sum, n_elements, part_num, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offset < n_elements
    out_vals = tl.load(out + offset, mask=mask)
    if pid > 0:
        base = tl.load(partial_sum + pid)     # wrong: the scanned total up to and with this block
        tl.store(out + offset, out_vals + base, mask=mask)


@triton.jit
def shift_right_kernel(x, n_elements, BLOCK_SIZE: tl.constexpr):
    # in place x[i + 1] = x[i]: a program reads what the next one writes
    pid = tl.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    vals = tl.load(x + offset, mask=offset < n_elements - 1)
    tl.store(x + offset + 1, vals, mask=offset < n_elements - 1)


@triton.jit
def copy_kernel(x, y, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offset = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    tl.store(y + offset, tl.load(x + offset, mask=offset < n_elements), mask=offset < n_elements)
