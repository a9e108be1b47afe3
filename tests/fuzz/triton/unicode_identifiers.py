# -*- coding: utf-8 -*-
# corpus: non-ASCII identifiers and strings in host code and kernel
import triton
import triton.language as tl

π = 3.141592653589793
größe = 128
ΔT = 1e-3
名前 = "カーネル"


def überprüfe(wert):
    return wert > 0 and "ok ✓" or "nein ✗"


@triton.jit
def rotate_kernel(x_ptr, y_ptr, n, θ, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    maske = offs < n
    x = tl.load(x_ptr + offs, mask=maske, other=0.0)
    y = tl.load(y_ptr + offs, mask=maske, other=0.0)
    cosθ = tl.cos(θ)
    sinθ = tl.sin(θ)
    tl.store(x_ptr + offs, x * cosθ - y * sinθ, mask=maske)
    tl.store(y_ptr + offs, x * sinθ + y * cosθ, mask=maske)
