"""Inputs for the benchmarks: the same values, laid out the same, for both libraries.

Every input starts as one NumPy array filled with values (so its pages are
touched and no page fault is timed).  NumPy uses it as is; array_core gets its
own copy with ``array_core.array`` (owned, aligned memory, as an array_core user
has).  Layouts other than C and F are views made by each library itself, so
both benchmark the same strides.
"""

import numpy as np

import array_core

LIBS = ["numpy", "array_core"]
LAYOUTS = ["C", "F", "transposed", "negative-step", "strided"]

SMALL_SHAPE = (3, 3)

# Sub-microsecond operations are timed CALLS at a time: asv's own cost per
# call (300-600 ns here, varying by 100s of ns) would otherwise be most of what
# it measures.  The loop costs the same for both libraries.
CALLS = range(100)
# 16 MiB of float64: far bigger than L2, so large copies run at memory speed.
LARGE_SHAPE = (2048, 1024)


def module(lib):
    """The module that ``lib`` names: ``numpy`` or ``array_core``."""
    return {"numpy": np, "array_core": array_core}[lib]


def filled(shape, order="C", dtype=np.float64):
    """A NumPy array of ``shape`` holding 0, 1, 2, ... in C order of its index."""
    values = np.arange(np.prod(shape, dtype=np.intp), dtype=dtype).reshape(shape)
    return np.asarray(values, order=order)


def for_lib(values, lib):
    """``values`` (a NumPy array) as an array of ``lib`` that owns its memory."""
    return values if lib == "numpy" else array_core.array(values)


def laid_out(shape, layout, lib, dtype=np.float64):
    """An array of ``shape`` for ``lib`` whose elements are laid out as ``layout``.

    'C' and 'F' own contiguous memory; 'transposed' is ``.T`` of a C array;
    'negative-step' is ``[::-1, ::-1]`` of one (every stride negative);
    'strided' takes every other column of one twice as wide.
    """
    rows, cols = shape
    if layout == "C":
        return for_lib(filled(shape, "C", dtype), lib)
    if layout == "F":
        return for_lib(filled(shape, "F", dtype), lib)
    if layout == "transposed":
        return for_lib(filled((cols, rows), "C", dtype), lib).T
    if layout == "negative-step":
        return for_lib(filled(shape, "C", dtype), lib)[::-1, ::-1]
    if layout == "strided":
        return for_lib(filled((rows, 2 * cols), "C", dtype), lib)[:, ::2]
    raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
