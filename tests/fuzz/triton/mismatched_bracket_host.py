# error: 12:39
import logging

import triton
import triton.language as tl

logger = logging.getLogger(__name__)


def launch(x):
    logger.info("launching")
    grid = (triton.cdiv(x.numel(), 128]
    return grid


@triton.jit
def kernel(x_ptr):
    tl.store(x_ptr, 0)
