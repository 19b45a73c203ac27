"""Lazy copy-on-write against an eager copy of 256 MiB.

NumPy has no lazy copy: its twin is ``a.copy()``, the operation a lazy copy
replaces.  ``time_copy_then_write`` shows the deferred cost is paid once, on
the first write, and no more than an eager copy.
"""

from benchmarks.common import LIBS, module

# 256 MiB of float64.
SHAPE = (8192, 4096)


class LazyCopy:
    """``a.copy(lazy=True)`` (array_core) against ``a.copy()`` (NumPy)."""

    params = LIBS
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        # Made in place by each library (pages touched), so the input costs
        # 256 MiB once and peakmem shows what the copy itself adds.
        self.a = module(lib).ones(SHAPE)

    def _copy(self, lib):
        return self.a.copy() if lib == "numpy" else self.a.copy(lazy=True)

    def time_copy(self, lib):
        self._copy(lib)

    def peakmem_copy(self, lib):
        self._copy(lib)

    def time_copy_then_write(self, lib):
        b = self._copy(lib)
        b[0, 0] = -1.0
