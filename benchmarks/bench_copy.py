"""Copy-kernel benchmarks: transposed relayouts, contiguous and strided copies.

Every class takes a ``lib`` parameter, so each array_core benchmark runs next
to its NumPy twin (the same expression with ``np`` replaced by
``array_core``) and one asv run gives the ratio; ``benchmarks/ratios.py``
prints them.  Inputs are built in ``setup`` and written once, so their pages
are touched before timing; array_core inputs borrow the NumPy input's memory.
"""
import time

import numpy as np

import array_core

LIBS = ["numpy", "array_core"]


def make_input(lib, shape, dtype):
    """A C-ordered input of ``shape`` (pages written), for ``lib``."""
    size = int(np.prod(shape))
    a = (np.arange(size) % 251).astype(dtype).reshape(shape)
    return (a, np) if lib == "numpy" else (array_core.asarray(a), array_core)


class TransposedCopy:
    """``ascontiguousarray(a.T)``: NumPy walks it without cache blocking."""

    params = [LIBS, ["float64-4096", "float32-4096", "int16-4096", "uint8-4096",
                     "complex128-4096", "float64-1000"]]
    param_names = ["lib", "case"]
    timeout = 120

    def setup(self, lib, case):
        dtype, n = case.split("-")
        self.a, self.xp = make_input(lib, (int(n), int(n)), dtype)

    def time_ascontiguousarray_T(self, lib, case):
        self.xp.ascontiguousarray(self.a.T)


class LargeTransposedCopy:
    """8192 x 8192 float64 (512 MiB): past every cache and the TLB reach."""

    params = [LIBS]
    param_names = ["lib"]
    number = 1
    repeat = (1, 3, 10.0)
    timeout = 300

    def setup(self, lib):
        self.a, self.xp = make_input(lib, (8192, 8192), "float64")

    def time_ascontiguousarray_T(self, lib):
        self.xp.ascontiguousarray(self.a.T)


class NdRelayout:
    """``a.transpose(2, 0, 1).copy()`` of a 256**3 array: a 2-d core after merging."""

    params = [LIBS, ["float64", "float32"]]
    param_names = ["lib", "dtype"]
    timeout = 120

    def setup(self, lib, dtype):
        self.a, self.xp = make_input(lib, (256, 256, 256), dtype)

    def time_transpose_201_copy(self, lib, dtype):
        self.a.transpose(2, 0, 1).copy()


class FortranAndRavel:
    """Transposed reads: ``copy(order='F')``, ``a.T.ravel()``, ``a.T.reshape(-1)``."""

    params = [LIBS]
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        self.a, self.xp = make_input(lib, (4096, 4096), "float64")

    def time_copy_order_F(self, lib):
        self.a.copy(order="F")

    def time_T_ravel(self, lib):
        self.a.T.ravel()

    def time_T_reshape(self, lib):
        self.a.T.reshape(-1)


class ContiguousCopy:
    """``a.copy()`` of a contiguous array: memcpy speed is the bar."""

    params = [LIBS, ["1MiB", "16MiB", "256MiB"]]
    param_names = ["lib", "size"]
    timeout = 120

    def setup(self, lib, size):
        nbytes = int(size[:-3]) << 20
        self.a, self.xp = make_input(lib, (nbytes // 8,), "float64")

    def time_copy(self, lib, size):
        self.a.copy()


class StridedSliceCopy:
    """Copies of simple strided slices of an 8192 x 8192 float64 array."""

    params = [LIBS]
    param_names = ["lib"]
    number = 1
    repeat = (1, 5, 10.0)
    timeout = 300

    def setup(self, lib):
        self.a, self.xp = make_input(lib, (8192, 8192), "float64")

    def time_every_2nd_row_3rd_column(self, lib):
        self.a[::2, ::3].copy()

    def time_every_2nd_column(self, lib):
        self.a[:, ::2].copy()


class TransposeOverMemcpy:
    """Time of ``ascontiguousarray(a.T)`` (4096 x 4096 float64) over a memcpy.

    The memcpy moves the same 128 MiB between two pre-touched NumPy buffers;
    both are the best of several interleaved runs in one process.
    """

    params = [LIBS]
    param_names = ["lib"]
    unit = "ratio"
    timeout = 120

    def setup(self, lib):
        self.a, self.xp = make_input(lib, (4096, 4096), "float64")
        self.flat_src = np.ones(4096 * 4096)
        self.flat_dst = np.ones(4096 * 4096)

    def track_transposed_over_memcpy(self, lib):
        best_t = best_m = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            self.xp.ascontiguousarray(self.a.T)
            best_t = min(best_t, time.perf_counter() - start)
            start = time.perf_counter()
            np.copyto(self.flat_dst, self.flat_src)
            best_m = min(best_m, time.perf_counter() - start)
        return best_t / best_m
