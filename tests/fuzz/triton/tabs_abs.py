# corpus: tab indentation in host code and kernel
import triton
import triton.language as tl


def host(x):
	if x:
		return [i
		        for i in range(x)]
	else:
		return None


@triton.jit
def abs_kernel(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
	pid = tl.program_id(0)
	offs = pid * BLOCK + tl.arange(0, BLOCK)
	mask = offs < n
	x = tl.load(x_ptr + offs, mask=mask)
	if BLOCK > 16:
		y = tl.abs(x)
	else:
		y = tl.where(x < 0, -x, x)
	tl.store(y_ptr + offs, y, mask=mask)
