# corpus: nested classes, decorators with complex arguments, multi-decorated host functions, argmax reduction kernel
import contextlib
import functools

import torch
import triton
import triton.language as tl

from flag_gems.utils import libentry
from flag_gems.utils import triton_lang_extension as tle


def register(*names, **options):
    def wrap(fn):
        return fn
    return wrap


class Outer:
    class Inner(torch.autograd.Function):
        @staticmethod
        @register("inner", priority=[1, 2, {"k": (3, 4)}])
        def forward(ctx, x):
            @functools.wraps(print)
            def local(*a):
                return a
            return x

        @property
        def name(self):
            return "inner"

    @classmethod
    @contextlib.contextmanager
    def ctx(cls):
        try:
            yield cls
        except (ValueError, TypeError) as err:
            raise RuntimeError("bad") from err
        else:
            pass
        finally:
            pass


@register(
    "outer",
    fn=lambda x: x + 1,
    table={i: [j for j in range(i)] for i in range(3)},
)
@libentry()
@triton.jit
def fill_kernel(out_ptr, value, n, BLOCK: tl.constexpr):
    pid = tle.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    tl.store(out_ptr + offs, tl.full([BLOCK], value, tl.float32), mask=offs < n)


@functools.lru_cache
def not_a_kernel(x):
    return x


@triton.jit
def argmax_kernel(inp, out_index, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid_m = tle.program_id(0)
    m_offset = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    max_values = tl.full([BLOCK_M], dtype=tl.float32, value=float("-inf"))
    argmax_values = tl.full([BLOCK_M], dtype=tl.int64, value=0)
    for start_n in range(0, N, BLOCK_N):
        n_offset = start_n + tl.arange(0, BLOCK_N)
        offset = m_offset[:, None] * N + n_offset[None, :]
        mask = m_offset[:, None] < M and n_offset[None, :] < N
        inp_vals = tl.load(inp + offset, mask=mask, other=-float("inf"))
        local_max, local_argmax = tl.max(inp_vals, 1, return_indices=True, return_indices_tie_break_left=True)
        update = local_max > max_values
        max_values = tl.where(update, local_max, max_values)
        argmax_values = tl.where(update, start_n + local_argmax, argmax_values)
    tl.store(out_index + m_offset, argmax_values, mask=m_offset < M)
