"""NumPy functions called on array_core arrays (``__array_function__``),
each with its NumPy twin: the ratio is the cost of dispatch and of the
zero-copy NumPy view the delegated functions read through.
"""

import numpy as np

from .common import CALLS, LIBS, SMALL_SHAPE, filled, for_lib

# Built on import, not in `setup` (see bench_core: asv#966).
SMALL = {lib: for_lib(filled(SMALL_SHAPE), lib) for lib in LIBS}
SMALL_FLAT = {lib: for_lib(filled((SMALL_SHAPE[0] * SMALL_SHAPE[1],)), lib)
              for lib in LIBS}
SMALL_ROW = {lib: for_lib(filled((SMALL_SHAPE[1],)), lib) for lib in LIBS}


class SmallDispatch:
    """NumPy functions on a 3x3 array: per-call overhead."""

    params = [LIBS]
    param_names = ["lib"]

    def time_np_sum(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.sum(x)

    def time_np_mean(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.mean(x)

    def time_np_sort(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.sort(x)

    def time_np_reshape_3_3(self, lib):
        x = SMALL_FLAT[lib]
        for _ in CALLS:
            np.reshape(x, (3, 3))

    def time_np_transpose(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.transpose(x)

    def time_np_diagonal(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.diagonal(x)

    def time_np_split(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.split(x, 3)

    def time_np_concatenate(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            np.concatenate([x, x])

    def time_np_broadcast_to(self, lib):
        x = SMALL_ROW[lib]
        for _ in CALLS:
            np.broadcast_to(x, SMALL_SHAPE)


class LargeDispatch:
    """A delegated reduction of 32 MiB: the view must cost nothing here."""

    params = [LIBS]
    param_names = ["lib"]

    def setup(self, lib):
        self.x = for_lib(filled((1 << 22,)), lib)

    def time_np_sum(self, lib):
        np.sum(self.x)
