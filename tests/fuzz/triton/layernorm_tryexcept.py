# corpus: nested try/except/finally around imports, global statements, do_not_specialize, pointer `is None` branches
import logging
import math

import torch
import triton
import triton.language as tl

try:
    from triton.language.extra.cuda.libdevice import rsqrt as _rsqrt
except ImportError:
    try:
        from triton.language.math import rsqrt as _rsqrt
    except ImportError:
        _rsqrt = None
finally:
    pass

from ..runtime import torch_device_fn
from ..utils import libentry
from ..utils.type_utils import get_accumulator_dtype

prev_value = None


def make_3d_for_bn(input: torch.Tensor) -> torch.Tensor:
    global prev_value
    if input.ndim == 2:
        input = input.unsqueeze(-1)
    prev_value = input
    return input


@libentry()
@triton.jit(do_not_specialize=["eps"])
def layer_norm_persistent_kernel(
    in_ptr,
    out_ptr,
    weight_ptr,
    bias_ptr,
    out_mean_ptr,  # pointer to the mean
    out_rstd_ptr,  # pointer to the 1/std
    M,
    N,
    eps,
    TILE_N: tl.constexpr,
):
    # using 1d tile makes code clean
    # Map the program id to the row of X and Y it should compute.
    pid = tl.program_id(0)

    n_offsets = tl.arange(0, TILE_N)
    mask = n_offsets < N

    x = tl.load(in_ptr + pid * N + n_offsets, mask, other=0.0).to(tl.float32)
    m = tl.sum(x) / N
    d = x - m  # deviation
    s = tl.where(mask, d * d, 0)
    sum_square = tl.sum(s)  # sum of square of deviation
    var = sum_square / N
    rstd = tl.math.rsqrt(var + eps)

    tl.store(out_mean_ptr + pid, m)
    tl.store(out_rstd_ptr + pid, rstd)

    if weight_ptr is None:
        w = 1
    else:
        w = tl.load(weight_ptr + n_offsets, mask=mask)
    if bias_ptr is None:
        b = 0
    else:
        b = tl.load(bias_ptr + n_offsets, mask=mask)
    out = (x - m) * rstd * w + b

    tl.store(out_ptr + pid * N + n_offsets, out, mask=mask)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    M = math.prod(input.shape[: -len(normalized_shape)])
    N = math.prod(normalized_shape)
    acc_type = get_accumulator_dtype(input.dtype)
    try:
        out = torch.empty_like(input)
        mean = torch.empty(M, dtype=acc_type, device=input.device)
        rstd = torch.empty(M, dtype=acc_type, device=input.device)
    except RuntimeError as e:
        raise ValueError(f"allocation failed: {e}") from e
    finally:
        logging.debug("done")
    with torch_device_fn.device(input.device):
        layer_norm_persistent_kernel[(M,)](
            input, out, weight, bias, mean, rstd, M, N, eps, TILE_N=triton.next_power_of_2(N)
        )
    return out, mean, rstd
