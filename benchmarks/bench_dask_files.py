"""Dask over a file-backed array: from_array(memmap) -> slice -> T -> reduce.

The file is sparse (made with ``truncate``: no disk is written) and 4 GiB.
``da.from_array`` copies its input (``x.copy()``): NumPy's twin copies the
whole file into private memory there; array_core's copy of a map opened in
mode 'r' is lazy, so the pipeline reads the file chunk by chunk.  ``peakmem_``
shows the difference (the map's pages are counted in both as they are read).
``FileLargerThanMemory`` runs the same pipeline on a sparse file larger than
this machine's memory, for array_core alone: NumPy's twin would copy the
file into memory it does not have.
Dask is imported in ``setup``: the benchmarks are skipped without it.
"""
import os
import tempfile
import threading
import time

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


GiB = 1 << 30
# Larger than this machine's memory (here 24 GiB: a 32 GiB file).
HUGE_FILE_BYTES = (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                   // GiB + 8) * GiB
if os.environ.get("ARRAY_CORE_BENCH_SMOKE"):
    HUGE_FILE_BYTES = 1 << 26
POLL_SECONDS = 0.01            # a chunk lives far longer than this


def rss_anon():
    """This process's private resident memory in bytes (Linux), or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class FileLargerThanMemory:
    """``FileBackedPipeline`` on a sparse file larger than memory, array_core
    only: the wall time of the plain pipeline (``from_array`` to result) and
    the peak of the private memory (``RssAnon``, sampled every 10 ms) it
    added.  Both come from one run, in ``setup_cache``: a run reads half of
    the file, minutes on this machine, and nothing in it varies per sample.
    The file is made and removed inside that run.
    """

    params = ["array_core"]    # NumPy's twin cannot run: see the docstring
    param_names = ["lib"]
    timeout = 1800

    def setup_cache(self):
        try:
            import dask.array as da
        except ImportError:
            return {}
        if rss_anon() is None:
            return {}
        directory = tempfile.mkdtemp(prefix="bench_dask_huge")
        path = os.path.join(directory, "sparse.f8")
        peak = [rss_anon()]
        done = threading.Event()

        def sample():
            while not done.wait(POLL_SECONDS):
                peak[0] = max(peak[0], rss_anon())

        try:
            with open(path, "wb") as f:
                f.truncate(HUGE_FILE_BYTES)
            sampler = threading.Thread(target=sample, daemon=True)
            before = peak[0]
            sampler.start()
            start = time.perf_counter()
            m = module("array_core").memmap(
                path, dtype="<f8", mode="r",
                shape=(HUGE_FILE_BYTES // (8 * COLS), COLS))
            x = da.from_array(m, chunks=(CHUNK_ROWS, COLS))
            x[::2].T.sum(axis=1).compute(scheduler="threads")
            seconds = time.perf_counter() - start
            done.set()
            sampler.join()
            del x, m
        finally:
            done.set()
            os.remove(path)
            os.rmdir(directory)
        return {"seconds": seconds, "peak_private_bytes": peak[0] - before,
                "file_bytes": HUGE_FILE_BYTES}

    def setup(self, result, lib):
        # (An empty result, not None: asv passes no cache result at all
        # when setup_cache returned None.)
        if not result:
            raise NotImplementedError("needs dask and /proc/self/status")

    def track_pipeline_seconds(self, result, lib):
        return result["seconds"]

    track_pipeline_seconds.unit = "seconds"

    def track_peak_private_memory(self, result, lib):
        return result["peak_private_bytes"]

    track_peak_private_memory.unit = "bytes"
