#!/usr/bin/env python3
# corpus: global/nonlocal/del, star expressions, `import triton as tr`, for-else/while-else in host code, constexpr defaults
import functools as ft
import triton as tr
import triton.language as tl
from triton.language import core as tlc

_cache = {}
counter = 0
DEFAULT_DTYPES = (*[1, 2], *(3, 4))
MERGED = {**{"a": 1}, "b": 2}
OPS = [abs, *map(str, range(3))]
SHIFTS = 1 << 4, 0xFF >> 2, 0o17 & 0b1010, ~0, 2 ** -1, 7 // 2, -7 % 3


def bump(*args, **kwargs):
    global counter
    counter += 1
    def inner():
        nonlocal args
        args = ()
        return args
    del kwargs
    return inner


@ft.lru_cache(maxsize=None)
def cached(n):
    return n


@tr.jit
def clamp_kernel(x_ptr, y_ptr, lo, hi, n, BLOCK: tl.constexpr = 1024, USE_MIN: tl.constexpr = True):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = (offs < n) & (offs >= 0)
    x = tl.load(x_ptr + offs, mask=mask, other=0.0)
    if USE_MIN:
        y = tl.minimum(tl.maximum(x, lo), hi)
    elif not USE_MIN and lo is not None:
        y = tl.maximum(x, lo)
    else:
        y = x
    i = 0
    while i < 3:
        i += 1
        if i == 2:
            continue
    assert BLOCK > 0, "BLOCK must be positive"
    tl.static_assert(BLOCK % 2 == 0)
    tl.store(y_ptr + offs, y, mask=mask)


@tr.jit
def _helper(a, b):
    return a if a > b else b, a * b


lambda_table = {name: (lambda v, n=name: (n, v)) for name in ("x", "y")}
with open(__file__) as fh, open(__file__) as fh2:
    _ = fh.read(1), fh2.read(1)
for _i in range(2):
    pass
else:
    pass
while False:
    break
else:
    pass
