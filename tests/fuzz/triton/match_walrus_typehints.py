# corpus: match statements, dataclasses and generics, PEP 604 unions, `from triton import jit`, module comprehensions
from __future__ import annotations

import dataclasses
import enum
from typing import Callable, ClassVar, Generic, TypeVar

import triton
import triton.language as tl
from triton import jit

T = TypeVar("T")
BLOCK_SIZE: int = 1024
SHAPES: list[tuple[int, int]] = [(1, 2), (3, 4)]
LOOKUP = {k: v for k, v in zip("abc", range(3))}
SQUARES = [x * x for x in range(10) if x % 2]


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


@dataclasses.dataclass(frozen=True)
class Config(Generic[T]):
    block: int = 128
    warps: int = 4
    registry: ClassVar[dict[str, "Config"]] = {}
    hook: Callable[[int], int] | None = None


def choose(mode: Mode | str, n: int) -> int:
    match mode:
        case Mode.FAST | "fast":
            return n
        case Mode.SLOW:
            return 2 * n
        case {"block": int(b), **rest} if b > 0:
            return b
        case [first, *others]:
            return first
        case _:
            raise ValueError(f"unknown mode {mode!r:>10}")


@jit
def scale_kernel(x_ptr, y_ptr, n, alpha, BLOCK: tl.constexpr):
    pid = tl.program_id(axis=0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(y_ptr + offs, x * alpha, mask=mask)


def launch(x, y, alpha=2.0):
    if (n := x.numel()) > 0:
        first, *rest = x.shape
        grid = (triton.cdiv(n, BLOCK_SIZE),)
        scale_kernel[grid](x, y, n, alpha, BLOCK=BLOCK_SIZE)
    return y
