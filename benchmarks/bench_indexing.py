"""Indexing: basic views, advanced gathers, boolean masks, assignment.

Every class takes a ``lib`` parameter so each benchmark runs with NumPy and
with array_core in the same run; the ratio of the two is the figure of merit.
"""

import numpy as np

from .common import CALLS, LIBS, filled, for_lib

# Per-call inputs are built on import, not in `setup` (asv times one call per
# sample when a benchmark has a setup hook, asv#966); large inputs use setup.
SQUARE = {lib: for_lib(filled((3, 3)), lib) for lib in LIBS}
TEN = {lib: for_lib(filled((10,)), lib) for lib in LIBS}
TEN_MASK = {lib: for_lib(np.arange(10) % 3 == 0, lib) for lib in LIBS}


class SmallBasicIndexing:
    """Per-operation overhead of views and scalars on a 3x3 array (100 calls)."""

    params = [LIBS]
    param_names = ["lib"]

    def time_slice(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[1:3]

    def time_integer(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[1]

    def time_scalar(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[1, 2]

    def time_step_and_slice(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[::2, 1:]

    def time_ellipsis_newaxis(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[..., None]


class SmallAdvancedIndexing:
    """Per-operation overhead of the seed's ``x[[1, 2]]`` and a small mask."""

    params = [LIBS]
    param_names = ["lib"]

    def time_list_of_rows(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[[1, 2]]

    def time_mask_10(self, lib):
        x, mask = TEN[lib], TEN_MASK[lib]
        for _ in CALLS:
            x[mask]

    def time_assign_list_of_rows(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x[[1, 2]] = 0.0


SQUARE_INT = {lib: for_lib(np.arange(9).reshape(3, 3), lib) for lib in LIBS}


class SmallCast:
    """``astype`` to another dtype on a 3x3 array (100 calls)."""

    params = [LIBS]
    param_names = ["lib"]

    def time_float64_to_float32(self, lib):
        x = SQUARE[lib]
        for _ in CALLS:
            x.astype(np.float32)

    def time_int64_to_float64(self, lib):
        x = SQUARE_INT[lib]
        for _ in CALLS:
            x.astype(np.float64)


class LargeGather:
    """1M random int64 indices into 10M float64 (latency bound)."""

    params = [LIBS]
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        rng = np.random.default_rng(0)
        self.x = for_lib(rng.random(10_000_000), lib)
        self.idx = for_lib(rng.integers(0, 10_000_000, 1_000_000), lib)

    def time_random_gather(self, lib):
        self.x[self.idx]

    def time_random_scatter(self, lib):
        self.x[self.idx] = 1.0


class LargeMovementThreads:
    """Random gather, scatter (of 1M values) and 50% mask on 10M float64, at 1
    and 2 threads (NumPy's twin is single-threaded whatever the setting)."""

    params = [LIBS, [1, 2]]
    param_names = ["lib", "threads"]
    timeout = 180

    def setup(self, lib, threads):
        import array_core
        rng = np.random.default_rng(0)
        self.x = for_lib(rng.random(10_000_000), lib)
        self.idx = for_lib(rng.integers(0, 10_000_000, 1_000_000), lib)
        self.v = for_lib(rng.random(1_000_000), lib)
        self.mask = for_lib(rng.random(10_000_000) < 0.5, lib)
        self.before = array_core.get_num_threads()
        array_core.set_num_threads(threads)

    def teardown(self, lib, threads):
        import array_core
        array_core.set_num_threads(self.before)

    def time_random_gather(self, lib, threads):
        self.x[self.idx]

    def time_random_scatter(self, lib, threads):
        self.x[self.idx] = self.v

    def time_random_mask(self, lib, threads):
        self.x[self.mask]


class LargeMask:
    """A random 50% boolean mask over 10M float64 (branch-miss bound in NumPy)."""

    params = [LIBS]
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        rng = np.random.default_rng(1)
        self.x = for_lib(rng.random(10_000_000), lib)
        self.mask = for_lib(rng.random(10_000_000) < 0.5, lib)

    def time_random_mask(self, lib):
        self.x[self.mask]


class GatherRows:
    """``X[rows]``: 1000 whole rows of a 10000x1000 float64 array (row memcpy)."""

    params = [LIBS]
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        rng = np.random.default_rng(2)
        self.x = for_lib(rng.random((10_000, 1_000)), lib)
        self.rows = for_lib(rng.integers(0, 10_000, 1_000), lib)

    def time_gather_rows(self, lib):
        self.x[self.rows]


class AssignByIndex:
    """``x[idx] = v`` with 100k random indices into 1M float64."""

    params = [LIBS]
    param_names = ["lib"]

    def setup(self, lib):
        rng = np.random.default_rng(3)
        self.x = for_lib(rng.random(1_000_000), lib)
        self.idx = for_lib(rng.integers(0, 1_000_000, 100_000), lib)
        self.v = for_lib(rng.random(100_000), lib)

    def time_assign_array(self, lib):
        self.x[self.idx] = self.v

    def time_assign_scalar(self, lib):
        self.x[self.idx] = 0.5
