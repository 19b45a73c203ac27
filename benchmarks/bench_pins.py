"""What pin tracking costs: small-array creation, views and copies with
allocation tracking off (the default: one pointer test per allocation, one
dictionary-size test per free) and on, and a ``memory_report`` scan.

NumPy has no allocation tracking: its twins are the same operations, so the
off case shows array_core's cost per operation beside NumPy's, unchanged by
the pin report (compare with ``bench_core``'s small-array benchmarks).
"""

import array_core
from benchmarks.common import CALLS, LIBS, module


class SmallArrays:
    """``arange(9).copy()``, ``x[1:3]`` and ``zeros(9)``, 100 calls each."""

    params = [LIBS, ["off", "on"]]
    param_names = ["lib", "tracking"]

    def setup(self, lib, tracking):
        self.m = module(lib)
        self.x = self.m.arange(9)
        self.tracking = None
        if tracking == "on":
            if lib == "numpy":
                raise NotImplementedError  # NumPy has no allocation tracking
            self.tracking = array_core.track_allocations()

    def teardown(self, lib, tracking):
        if self.tracking is not None:
            self.tracking.stop()

    def time_copy(self, lib, tracking):
        x = self.x
        for _ in CALLS:
            x.copy()

    def time_slice(self, lib, tracking):
        x = self.x
        for _ in CALLS:
            x[1:3]

    def time_zeros(self, lib, tracking):
        zeros = self.m.zeros
        for _ in CALLS:
            zeros(9)


class Report:
    """One ``memory_report()`` of 1000 live arrays (NumPy has none: its twin
    is ``gc.get_objects()``, the scan's first step)."""

    params = LIBS
    param_names = ["lib"]

    def setup(self, lib):
        self.arrays = [module(lib).zeros(16) for _ in range(1000)]

    def time_report(self, lib):
        if lib == "numpy":
            import gc
            gc.get_objects()
        else:
            array_core.memory_report(min_bytes=1 << 20)
