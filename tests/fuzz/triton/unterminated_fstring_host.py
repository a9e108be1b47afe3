# error: 12:18
import logging

import triton
import triton.language as tl

logger = logging.getLogger(__name__)


def launch(x):
    n = x.numel()
    logger.info(f"launching {n} elements)
    return n


@triton.jit
def kernel(x_ptr):
    tl.store(x_ptr, 0)
