"""The grid: every public operation x layout x dtype x size, with its NumPy twin.

Each class is parameterised over ``lib`` (NumPy and array_core run the same
expression on the same layout in one asv run, so ``benchmarks/ratios.py``
reads off array_core / NumPy), ``layout`` (C, F, transposed, negative step,
strided), ``dtype`` (uint8 to complex128) and ``size`` (a few elements, 256
KiB, 256 MiB).  Operations are grouped by what they must do:

- ``Views``: always a view, whatever the layout: metadata work only.
- ``Copies``: always a new array: the copy kernel, at memory speed or better.
- ``ViewsOrCopies``: a view when the layout allows, else a copy (``ravel``,
  ``reshape``, ``ascontiguousarray``, ...), as in NumPy.
- ``Memory``: ``peakmem_`` of the same operations: a view adds nothing to the
  process's peak memory, a copy adds one output.

A full (non ``--quick``) run of the grid takes long; pick classes with
``asv run -b``.  Small operations are timed 100 calls per sample (see
``GRID_CALLS``), so compare them per call with care: headline.py times the
headline small operations interleaved in one process.
"""

import tracemalloc

import numpy as np

from .common import (
    DTYPES,
    GRID_CALLS,
    LAYOUTS,
    LIBS,
    SIZES,
    grid_shape,
    laid_out,
    module,
)


class Grid:
    """Shared parameters; ``setup`` builds the input ``self.a`` for one cell."""

    params = [LIBS, LAYOUTS, DTYPES, SIZES]
    param_names = ["lib", "layout", "dtype", "size"]
    # NumPy's transposed uint8 copy of 256 MiB takes seconds: few samples, and
    # room for them.
    number = 1
    repeat = (1, 5, 20.0)
    timeout = 300
    # Whether the operations read the input's values (then its pages are
    # written in setup, so no page fault is timed).
    reads_values = True

    def setup(self, lib, layout, dtype, size):
        self.xp = module(lib)
        self.calls = GRID_CALLS[size]
        self.a = laid_out(grid_shape(size, dtype), layout, lib, dtype,
                          touched=self.reads_values)


class Views(Grid):
    """Operations that return a view for every layout: O(1) in the size."""

    reads_values = False

    def time_T(self, *params):
        a = self.a
        for _ in self.calls:
            a.T

    def time_transpose(self, *params):
        a = self.a
        for _ in self.calls:
            a.transpose(1, 0)

    def time_swapaxes(self, *params):
        a = self.a
        for _ in self.calls:
            a.swapaxes(0, 1)

    def time_moveaxis(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.moveaxis(a, 0, -1)

    def time_view(self, *params):
        a = self.a
        for _ in self.calls:
            a.view()

    def time_slice(self, *params):
        a = self.a
        for _ in self.calls:
            a[1:, ::2]

    def time_reversed(self, *params):
        a = self.a
        for _ in self.calls:
            a[::-1]

    def time_row(self, *params):
        a = self.a
        for _ in self.calls:
            a[1]

    def time_newaxis(self, *params):
        a = self.a
        for _ in self.calls:
            a[None]

    def time_expand_dims(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.expand_dims(a, 0)

    def time_squeeze(self, *params):
        a = self.a
        for _ in self.calls:
            a.squeeze()

    def time_reshape_split_rows(self, *params):
        a = self.a
        shape = (2, a.shape[0] // 2, a.shape[1])
        for _ in self.calls:
            a.reshape(shape)

    def time_asarray(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.asarray(a)

    def time_shape(self, *params):
        a = self.a
        for _ in self.calls:
            a.shape

    def time_strides(self, *params):
        a = self.a
        for _ in self.calls:
            a.strides

    def time_flags_c_contiguous(self, *params):
        a = self.a
        for _ in self.calls:
            a.flags.c_contiguous


class Copies(Grid):
    """Operations that always return a new array."""

    def setup(self, lib, layout, dtype, size):
        super().setup(lib, layout, dtype, size)
        xp, rows = self.xp, self.a.shape[0]
        # Every other row, by index and by mask: advanced indexing copies.
        self.rows = xp.asarray(np.arange(0, rows, 2))
        self.row_mask = xp.asarray(np.arange(rows) % 2 == 0)

    def time_copy(self, *params):
        a = self.a
        for _ in self.calls:
            a.copy()

    def time_copy_order_F(self, *params):
        a = self.a
        for _ in self.calls:
            a.copy(order="F")

    def time_copy_function(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.copy(a)

    def time_array(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.array(a)

    def time_flatten(self, *params):
        a = self.a
        for _ in self.calls:
            a.flatten()

    def time_astype_same_dtype(self, *params):
        a = self.a
        for _ in self.calls:
            a.astype(a.dtype)

    def time_index_rows(self, *params):
        a, rows = self.a, self.rows
        for _ in self.calls:
            a[rows]

    def time_mask_rows(self, *params):
        a, row_mask = self.a, self.row_mask
        for _ in self.calls:
            a[row_mask]


class Assign(Grid):
    """``out[...] = a``: a copy into an existing C-ordered array."""

    def setup(self, lib, layout, dtype, size):
        super().setup(lib, layout, dtype, size)
        self.out = self.xp.empty(self.a.shape, dtype=dtype)
        self.out[...] = 1  # pages written before timing

    def time_assign_into_C(self, *params):
        a, out = self.a, self.out
        for _ in self.calls:
            out[...] = a


class ViewsOrCopies(Grid):
    """A view when the layout allows (as in NumPy), else a copy."""

    def time_ravel(self, *params):
        a = self.a
        for _ in self.calls:
            a.ravel()

    def time_reshape_flat(self, *params):
        a = self.a
        for _ in self.calls:
            a.reshape(-1)

    def time_ascontiguousarray(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.ascontiguousarray(a)

    def time_asfortranarray(self, *params):
        a, xp = self.a, self.xp
        for _ in self.calls:
            xp.asfortranarray(a)


class Memory(Grid):
    """Peak memory: a view adds nothing, a copy adds one output.

    ``peakmem_`` is the peak RSS of the benchmark process.  The input's pages
    are never written, so it adds nothing to the peak (reading untouched
    memory maps the shared zero page); what rises above the baseline is what
    the operation allocates and writes.  At 256 MiB a copy adds 256 MiB.
    """

    # Peak RSS moves in pages and from a baseline of tens of MB: only the
    # largest size shows what an operation adds.  Bytes are bytes whatever
    # the dtype, so one dtype does (and spares CI NumPy's slow uint8
    # transposes, which the timing classes already run).
    params = [LIBS, LAYOUTS, ["float64"], ["256MiB"]]
    reads_values = False

    def peakmem_T(self, *params):
        self.a.T

    def peakmem_slice(self, *params):
        self.a[1:, ::2]

    def peakmem_reshape_split_rows(self, *params):
        self.a.reshape(2, self.a.shape[0] // 2, self.a.shape[1])

    def peakmem_copy(self, *params):
        self.a.copy()

    def peakmem_copy_order_F(self, *params):
        self.a.copy(order="F")

    def peakmem_flatten(self, *params):
        self.a.flatten()

    def peakmem_ravel(self, *params):
        self.a.ravel()

    def peakmem_ascontiguousarray(self, *params):
        self.xp.ascontiguousarray(self.a)

    def track_view_bytes_allocated(self, *params):
        return bytes_allocated(lambda: self.a[1:, ::2])

    def track_copy_bytes_allocated(self, *params):
        return bytes_allocated(self.a.copy)

    track_view_bytes_allocated.unit = "bytes"
    track_copy_bytes_allocated.unit = "bytes"


def bytes_allocated(operation):
    """Peak bytes allocated while ``operation()`` runs (its result included).

    tracemalloc sees NumPy's data allocations and array_core's buffers alike.
    """
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        operation()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
