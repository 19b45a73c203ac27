"""The view functions on small arrays, each with its NumPy twin.

``module(lib).<function>(x)``: NumPy's function on a NumPy array against
array_core's own (``array_core.<function>``) on an array_core array.  What
``np.<function>`` adds on an array_core array is ``__array_function__``'s
overhead, timed by the dispatch benchmarks.  Every result is a view, so
this is per-call overhead, not bandwidth.
"""

from .common import (
    CALLS,
    LIBS,
    SMALL_SHAPE,
    filled,
    for_lib,
    module,
)

# Built on import, not in `setup` (asv#966: see bench_core).
SMALL = {lib: for_lib(filled(SMALL_SHAPE), lib) for lib in LIBS}
SMALL_FLAT = {lib: for_lib(filled((SMALL_SHAPE[0] * SMALL_SHAPE[1],)), lib)
              for lib in LIBS}
ROW = {lib: for_lib(filled((SMALL_SHAPE[1],)), lib) for lib in LIBS}


class SmallViewFunctions:
    """View functions of a 3x3 (or 9-element) array."""

    params = [LIBS]
    param_names = ["lib"]

    def time_reshape_3_3(self, lib):
        f, x = module(lib).reshape, SMALL_FLAT[lib]
        for _ in CALLS:
            f(x, (3, 3))

    def time_transpose(self, lib):
        f, x = module(lib).transpose, SMALL[lib]
        for _ in CALLS:
            f(x)

    def time_diagonal(self, lib):
        f, x = module(lib).diagonal, SMALL[lib]
        for _ in CALLS:
            f(x)

    def time_split_3(self, lib):
        f, x = module(lib).split, SMALL_FLAT[lib]
        for _ in CALLS:
            f(x, 3)

    def time_broadcast_to(self, lib):
        f, x = module(lib).broadcast_to, ROW[lib]
        for _ in CALLS:
            f(x, (3, 3))

    def time_broadcast_arrays(self, lib):
        f, x, y = module(lib).broadcast_arrays, ROW[lib], SMALL[lib]
        for _ in CALLS:
            f(x, y)

    def time_flip(self, lib):
        f, x = module(lib).flip, SMALL[lib]
        for _ in CALLS:
            f(x)

    def time_atleast_3d(self, lib):
        f, x = module(lib).atleast_3d, SMALL[lib]
        for _ in CALLS:
            f(x)


class SmallViewMethods:
    """View methods and attributes of a 3x3 array."""

    params = [LIBS]
    param_names = ["lib"]

    def time_diagonal(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.diagonal()

    def time_real(self, lib):
        x = SMALL[lib]
        for _ in CALLS:
            x.real

    def time_flat_item(self, lib):
        flat = SMALL[lib].flat
        for _ in CALLS:
            flat[4]
