"""Inputs for the benchmarks: the same values, laid out the same, for both libraries.

Every input starts as one NumPy array filled with values (so its pages are
touched and no page fault is timed).  NumPy uses it as is; array_core gets its
own copy with ``array_core.array`` (owned, aligned memory, as an array_core user
has).  Layouts other than C and F are views made by each library itself, so
both benchmark the same strides.
"""

import os

import numpy as np

import array_core

LIBS = ["numpy", "array_core"]
LAYOUTS = ["C", "F", "transposed", "negative-step", "strided"]

SMALL_SHAPE = (3, 3)

# Sub-microsecond operations are timed CALLS at a time: asv's own cost per
# call (300-600 ns here, varying by 100s of ns) would otherwise be most of what
# it measures.  The loop costs the same for both libraries.
CALLS = range(100)
# The grid of bench_grid: every dtype, and three sizes in bytes of the array
# (whatever its dtype): a few elements, where the cost is per call; 256 KiB,
# which fits in L2; 256 MiB, far past every cache, where memory speed rules.
DTYPES = ["uint8", "int16", "float32", "float64", "complex128"]
SIZES = ["small", "256KiB", "256MiB"]
SMALL_GRID_SHAPE = (4, 4)
SIZE_BYTES = {"256KiB": 1 << 18, "256MiB": 1 << 28}
if os.environ.get("ARRAY_CORE_BENCH_SMOKE"):
    # CI's run of every benchmark once (asv --quick --dry-run, .ci/run) checks
    # that each runs, not its speed: its 256 MiB cells hold 4 MiB (still far
    # past L2), which spares CI most of that run's six minutes, and the grid
    # keeps the smallest and the largest item (1 and 16 bytes, the ends of
    # the kernels' item sizes, every layout and size still), which spares
    # 80 of its last 190 seconds.
    SIZE_BYTES["256MiB"] = 1 << 22
    DTYPES = ["uint8", "complex128"]
# Calls timed per sample: enough that asv's own cost per call does not swamp
# a sub-microsecond operation, one where an operation takes milliseconds.
GRID_CALLS = {"small": range(100), "256KiB": range(10), "256MiB": range(1)}


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


def grid_shape(size, dtype):
    """The 2-d shape (rows, cols) of a grid input of ``size`` and ``dtype``.

    Sizes are powers of two, so rows and cols are too, with rows = cols or
    2 * cols: 256 MiB is 16384 x 16384 uint8 and 4096 x 4096 complex128.
    """
    if size == "small":
        return SMALL_GRID_SHAPE
    count = SIZE_BYTES[size] // np.dtype(dtype).itemsize
    cols = 1 << ((count.bit_length() - 1) // 2)
    return (count // cols, cols)


def laid_out(shape, layout, lib, dtype=np.float64, touched=True):
    """An array of ``shape`` for ``lib`` whose elements are laid out as ``layout``.

    'C' and 'F' own contiguous memory; 'transposed' is ``.T`` of a C array;
    'negative-step' is ``[::-1, ::-1]`` of one (every stride negative);
    'strided' takes every other column of one twice as wide.  The memory is
    made by ``lib`` itself, so array_core inputs own array_core buffers.
    ``touched`` writes every element (so no page fault is timed); untouched
    memory is what ``peakmem_`` wants: it adds nothing to the process's peak.
    """
    rows, cols = shape
    base_shape, order, view = {
        "C": ((rows, cols), "C", lambda a: a),
        "F": ((rows, cols), "F", lambda a: a),
        "transposed": ((cols, rows), "C", lambda a: a.T),
        "negative-step": ((rows, cols), "C", lambda a: a[::-1, ::-1]),
        "strided": ((rows, 2 * cols), "C", lambda a: a[:, ::2]),
    }.get(layout, (None, None, None))
    if base_shape is None:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    base = module(lib).empty(base_shape, dtype=dtype, order=order)
    if touched:
        # One row of values, broadcast: no temporary as big as the input.
        base[...] = (np.arange(base_shape[1]) % 127).astype(dtype)
    return view(base)
