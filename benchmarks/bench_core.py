"""Per-operation cost of views, copies and metadata, each with its NumPy twin.

Every class takes a ``lib`` parameter, so one run times NumPy and array_core on
the same inputs and the ratio array_core / numpy is read off one result.
"""

from .common import (
    CALLS,
    LIBS,
    SMALL_SHAPE,
    filled,
    for_lib,
)

# The inputs of the per-call benchmarks are built on import, not in `setup`:
# asv times a single call per sample when a benchmark has a setup hook
# (asv#966), and a 100 ns operation would drown in the timer's own cost.
SMALL = {lib: for_lib(filled(SMALL_SHAPE), lib) for lib in LIBS}
SMALL_FLAT = {lib: for_lib(filled((SMALL_SHAPE[0] * SMALL_SHAPE[1],)), lib)
              for lib in LIBS}


class SmallViews:
    """Operations that return a view of a 3x3 array: pure metadata work."""

    params = [LIBS]
    param_names = ["lib"]

    def time_T(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.T

    def time_view(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.view()

    def time_reshape_3_3(self, lib):
        x = SMALL_FLAT[lib]
        for _ in CALLS:
            x.reshape(3, 3)

    def time_reshape_minus_1(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.reshape(-1)

    def time_ravel(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.ravel()


class SmallCopy:
    """``copy()`` of a 3x3 array: allocation and call overhead, not bandwidth."""

    params = [LIBS]
    param_names = ["lib"]

    def time_copy(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.copy()


class Metadata:
    """Reading attributes that describe the layout."""

    params = [LIBS]
    param_names = ["lib"]

    def time_shape(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.shape

    def time_flags_c_contiguous(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.flags.c_contiguous
