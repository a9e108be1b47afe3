# corpus: every string form, backslash continuations, semicolons; the MSG line uses a PEP 701 (Python 3.12) f-string
"""Module docstring with 'quotes' and "double quotes" and a {brace}.

It spans several lines, and has a \
continued line and an escaped triple quote: \"\"\".
"""
import os, sys; import triton
import triton.language as tl
from triton.language.extra import libdevice

HELP = '''usage: ...
    --block N   block size
'''
RAW = r"C:\path\to\file" + R'\d+\.\d+'
BYTES = b"\x00\x01" + rb"\n" + Br"raw"
UNICODE = u"caf\u00e9 \N{BULLET} \x41\101"
TOTAL = 1 + \
    2 + \
    3
WIDTH = 10; PRECISION = 3  # two constants on one line
MSG = f"{'nested' + "quotes"!r:>{WIDTH}.{PRECISION}} {{literal}} {sys.argv[0]=}" if False else ""
EMPTY = ''
IMPLICIT = ("abc"
            'def'
            """ghi""")


def report(name, value):
    print(f"""{name}: {value:{'<' if value else '>'}{WIDTH}}
    second line {value!s}""", file=sys.stderr)
    print("%s=%d" % (name, value)); print('done')


@triton.jit
def erf_kernel(x_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    """Computes erf elementwise.

    The docstring mentions tl.load(x) and {braces} and 'quotes'.
    """
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + \
        tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements; x = tl.load(x_ptr + offsets, mask=mask, other=0.0)
    y = libdevice.erf(x.to(tl.float32))
    tl.store(out_ptr + offsets, y, mask=mask)
