"""Dask over a file-backed array: from_array(memmap) -> slice -> T -> reduce.

The file is sparse (made with ``truncate``: no disk is written) and 4 GiB.
``da.from_array`` copies its input (``x.copy()``): NumPy's twin copies the
whole file into private memory there; array_core's copy of a map opened in
mode 'r' is lazy, so the pipeline reads the file chunk by chunk.  ``peakmem_``
shows the difference (the map's pages are counted in both as they are read).
Dask is imported in ``setup``: the benchmarks are skipped without it.
"""
import os
import tempfile

from benchmarks.common import LIBS, module

FILE_BYTES = 4 << 30
if os.environ.get("ARRAY_CORE_BENCH_SMOKE"):
    FILE_BYTES = 1 << 26       # CI's smoke run checks that it runs
COLS = 1 << 10                 # float64: 8 KiB rows
CHUNK_ROWS = 1 << 14           # 128 MiB chunks


class FileBackedPipeline:
    """``from_array(memmap(path, mode='r'))[::2].T.sum(axis=1)``, computed."""

    params = LIBS
    param_names = ["lib"]
    timeout = 600
    number = 1
    repeat = 3

    def setup(self, lib):
        try:
            import dask.array
        except ImportError:
            raise NotImplementedError("dask is not installed") from None
        self.da = dask.array
        self.dir = tempfile.mkdtemp(prefix="bench_dask_files")
        self.path = os.path.join(self.dir, "sparse.f8")
        with open(self.path, "wb") as f:
            f.truncate(FILE_BYTES)
        self.lib = lib

    def teardown(self, lib):
        # asv tears down after a setup that skipped too (no dask): no file.
        if getattr(self, "path", None) is not None:
            os.remove(self.path)
            os.rmdir(self.dir)

    def _run(self):
        rows = FILE_BYTES // (8 * COLS)
        m = module(self.lib).memmap(self.path, dtype="<f8", mode="r",
                                    shape=(rows, COLS))
        x = self.da.from_array(m, chunks=(CHUNK_ROWS, COLS))
        return x[::2].T.sum(axis=1).compute(scheduler="threads")

    def time_pipeline(self, lib):
        self._run()

    def peakmem_pipeline(self, lib):
        self._run()
