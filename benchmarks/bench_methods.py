"""ndarray compute methods (``a.sum()``, ``a.mean()``, ``a.sort()``, ...).

array_core runs NumPy's own code on a read-only NumPy view, so the ratio
array_core / numpy is the cost of the method path and of that view: on a
small array it is per call, on a large one it must vanish (issue 10: at
most 1.3x small, 1.02x large).
"""

import numpy as np

from .common import CALLS, LIBS, SMALL_SHAPE, filled, for_lib

# Built on import, not in `setup` (see bench_core: asv#966).
SMALL = {lib: for_lib(filled(SMALL_SHAPE), lib) for lib in LIBS}
# 16 MiB of float64: past the caches, so the reduction is memory-bound.
LARGE_SHAPE = (2048, 1024)


class SmallMethods:
    """Methods of a 3x3 float64 array: the per-call overhead."""

    params = [LIBS]
    param_names = ["lib"]

    def time_sum(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.sum()

    def time_sum_axis(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.sum(axis=0)

    def time_mean(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.mean()

    def time_max(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.max()

    def time_argmax(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.argmax()

    def time_any(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.any()


class LargeMethods:
    """Methods of a 16 MiB float64 array: the method path must cost nothing."""

    params = [LIBS]
    param_names = ["lib"]

    def setup(self, lib):
        self.x = for_lib(filled(LARGE_SHAPE), lib)
        self.out = for_lib(np.zeros(LARGE_SHAPE[1]), lib)

    def time_sum(self, lib):
        self.x.sum()

    def time_mean(self, lib):
        self.x.mean()

    def time_std(self, lib):
        self.x.std()

    def time_sum_axis_out(self, lib):
        self.x.sum(axis=0, out=self.out)


class SortInPlace:
    """``a.sort()`` writes through one writable view of the array."""

    params = [LIBS]
    param_names = ["lib"]

    def setup(self, lib):
        rng = np.random.default_rng(0)
        self.values = rng.random(1 << 16)
        self.x = for_lib(self.values.copy(), lib)

    def time_sort(self, lib):
        self.x[...] = self.values
        self.x.sort()
