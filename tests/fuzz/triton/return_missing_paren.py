# error: 9:28
import triton
import triton.language as tl


@triton.jit
def combine(a, b):
    # a keyword where an operand should be
    return tl.where(a > b, if, b)
