"""Dask over many small chunks: array_core chunks against NumPy chunks.

The cost per chunk of a ``map_blocks`` pipeline (Dask's per-task overhead
plus each library's per-call cost on small arrays), built and computed on
the synchronous scheduler so that no thread pool is timed.  Target: array_core
at most 1.1x NumPy.  Skipped (NotImplementedError) without Dask.
"""

import numpy as np

from benchmarks.common import LIBS, module

# 400 chunks of 25 x 25 float64 (5 KB each).
SHAPE = (500, 500)
CHUNKS = (25, 25)


def _scale(block):
    return block * 2.0 + 1.0


def _clip(block):
    return np.where(block > 1000.0, 1000.0, block)


class MapBlocksPipeline:
    """``from_array`` -> two ``map_blocks`` -> an element-wise op -> ``sum``."""

    params = LIBS
    param_names = ["lib"]
    timeout = 120

    def setup(self, lib):
        try:
            import dask.array as da
        except ImportError:
            raise NotImplementedError("Dask is not installed") from None
        self.da = da
        self.a = module(lib).asarray(np.arange(float(np.prod(SHAPE))).reshape(SHAPE))

    def _pipeline(self):
        x = self.da.from_array(self.a, chunks=CHUNKS)
        y = x.map_blocks(_scale).map_blocks(_clip) - x
        return y.sum(axis=0)

    def time_map_blocks(self, lib):
        self._pipeline().compute(scheduler="sync")
