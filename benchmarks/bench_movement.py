"""Data movement (concatenate, take, repeat, copyto, ...), each with its NumPy twin.

Small inputs time the per-call cost; large ones (16 MiB pieces, 1M rows) the
copy kernels, where array_core must be at NumPy's speed or better.
"""
import numpy as np

from .common import CALLS, LIBS, filled, for_lib, module

SMALL = {lib: for_lib(filled((10,)), lib) for lib in LIBS}
SMALL_2D = {lib: for_lib(filled((3, 3)), lib) for lib in LIBS}
SMALL_INDEX = [0, 2]

PIECE = (1 << 24) // 8  # float64 elements in 16 MiB
ROWS = 1_000_000


class SmallMovement:
    """Per-call cost on small arrays."""

    params = [LIBS]
    param_names = ["lib"]

    def time_concatenate(self, lib):
        m, x = module(lib), SMALL[lib]
        for _ in CALLS:
            m.concatenate([x, x])

    def time_stack(self, lib):
        m, x = module(lib), SMALL[lib]
        for _ in CALLS:
            m.stack([x, x])

    def time_take(self, lib):
        m, x = module(lib), SMALL[lib]
        for _ in CALLS:
            m.take(x, SMALL_INDEX)

    def time_repeat(self, lib):
        m, x = module(lib), SMALL[lib]
        for _ in CALLS:
            m.repeat(x, 2)

    def time_copyto(self, lib):
        m, x = module(lib), SMALL_2D[lib]
        y = m.empty_like(x)
        for _ in CALLS:
            m.copyto(y, x)

    def time_zeros_like(self, lib):
        m, x = module(lib), SMALL_2D[lib]
        for _ in CALLS:
            m.zeros_like(x)


class LargeMovement:
    """The copy kernels on large inputs (16 MiB pieces, 1M rows)."""

    params = [LIBS]
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        self.m = module(lib)
        self.piece = for_lib(filled((PIECE,)), lib)
        self.rows = for_lib(filled((ROWS, 4)), lib)
        rng = np.random.default_rng(0)
        self.indices = rng.integers(0, ROWS, ROWS)
        self.target = self.m.empty_like(self.rows)
        self.source_t = for_lib(filled((4, ROWS)), lib).T

    def time_concatenate_16MiB(self, lib):
        self.m.concatenate([self.piece, self.piece])

    def time_take_1M_rows(self, lib):
        self.m.take(self.rows, self.indices, axis=0)

    def time_repeat_2(self, lib):
        self.m.repeat(self.piece, 2)

    def time_copyto(self, lib):
        self.m.copyto(self.target, self.rows)

    def time_copyto_transposed(self, lib):
        self.m.copyto(self.target, self.source_t)

    def peakmem_concatenate_16MiB(self, lib):
        self.m.concatenate([self.piece, self.piece])
