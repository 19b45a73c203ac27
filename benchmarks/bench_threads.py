"""Large copies on one and two threads, with their NumPy twins.

``threads`` sets array_core's thread count for the run (NumPy copies on one
thread whatever it says: its rows are the same expression, for the ratio).
``ParallelThreshold`` and ``ParallelGatherThreshold`` are how the parallel
thresholds were chosen (PARALLEL_MIN_BYTES in _threads.pyx, the weights of
tiled copies and gathers in _copy.pyx and _index.pyx): the sizes at which two
threads start to beat one.  The ``track_`` classes
report ratios measured in one process, interleaved: the transposed copy into
a pre-touched output over a memcpy of the same bytes, and a fresh output's
cost (its page faults) over a pre-touched one's.
"""
import time

import numpy as np

import array_core

LIBS = ["numpy", "array_core"]
THREADS = [1, 2]


def make_input(lib, shape):
    """A C-ordered float64 input of ``shape`` (pages written), for ``lib``."""
    a = np.random.default_rng(0).random(shape)
    return (a, np) if lib == "numpy" else (array_core.asarray(a), array_core)


class _Threaded:
    """Sets array_core's thread count in setup, restores it in teardown."""

    def set_threads(self, threads):
        self.before = array_core.get_num_threads()
        array_core.set_num_threads(threads)

    def teardown(self, *params):
        array_core.set_num_threads(self.before)


class LargeCopies(_Threaded):
    """The 2-thread targets of issue 14, at 1 and 2 threads."""

    params = [LIBS, THREADS, ["T-4096", "transpose201-256", "contiguous-256MiB",
                              "strided-8192"]]
    param_names = ["lib", "threads", "case"]
    timeout = 300

    def setup(self, lib, threads, case):
        self.set_threads(threads)
        shapes = {"T-4096": (4096, 4096), "transpose201-256": (256, 256, 256),
                  "contiguous-256MiB": (1 << 25,), "strided-8192": (8192, 8192)}
        self.a, self.xp = make_input(lib, shapes[case])

    def time_copy(self, lib, threads, case):
        if case == "T-4096":
            self.xp.ascontiguousarray(self.a.T)
        elif case == "transpose201-256":
            self.a.transpose(2, 0, 1).copy()
        elif case == "contiguous-256MiB":
            self.a.copy()
        else:
            self.a[::2, ::3].copy()


class ParallelThreshold(_Threaded):
    """Copies into pre-touched outputs around the parallel threshold.

    Run with the threshold at one byte (every size cut in two), so that the
    1- and 2-thread rows show where the second thread starts to pay.
    """

    params = [["contiguous", "transposed"], ["256KiB", "1MiB", "2MiB", "4MiB",
                                             "16MiB"], THREADS]
    param_names = ["kind", "size", "threads"]

    def setup(self, kind, size, threads):
        from array_core import _threads
        self.set_threads(threads)
        self.old = _threads._configure(min_bytes=1)
        side = int(((int(size[:-3]) << (10 if size.endswith("KiB") else 20)) // 8)
                   ** 0.5)
        a, _ = make_input("array_core", (side, side))
        self.src = a.T if kind == "transposed" else a
        self.dst = array_core.ones((side, side))

    def teardown(self, kind, size, threads):
        from array_core import _threads
        _threads._configure(**self.old)
        super().teardown()

    def time_copyto(self, kind, size, threads):
        array_core.copyto(self.dst, self.src)


class ParallelGatherThreshold(_Threaded):
    """Random gathers around their parallel threshold (GATHER_WEIGHT in
    _index.pyx), run as ParallelThreshold is: the threshold at one byte, the
    source four times the result and at least 32 MiB (beyond the caches)."""

    params = [["16K", "32K", "64K", "256K", "1M"], THREADS]
    param_names = ["items", "threads"]

    def setup(self, items, threads):
        from array_core import _threads
        self.set_threads(threads)
        self.old = _threads._configure(min_bytes=1)
        n = int(items[:-1]) << (10 if items.endswith("K") else 20)
        rng = np.random.default_rng(0)
        self.src = array_core.asarray(rng.random(max(4 * n, 1 << 22)))
        self.idx = array_core.asarray(rng.integers(0, self.src.shape[0], n))

    def teardown(self, items, threads):
        from array_core import _threads
        _threads._configure(**self.old)
        super().teardown()

    def time_gather(self, items, threads):
        self.src[self.idx]


def best_interleaved(first, second, rounds=7):
    """The best times of two callables, run alternately."""
    best_a = best_b = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        first()
        best_a = min(best_a, time.perf_counter() - start)
        start = time.perf_counter()
        second()
        best_b = min(best_b, time.perf_counter() - start)
    return best_a, best_b


class TransposeRatios(_Threaded):
    """Ratios of ``copyto(out, a.T)`` (4096 x 4096 float64, ``out``
    pre-touched): over a memcpy of the same 128 MiB (issue 14's
    single-thread bar is 1.5), and a fresh output's ``ascontiguousarray(a.T)``
    over it (what the fresh output's page faults cost)."""

    params = [LIBS, THREADS]
    param_names = ["lib", "threads"]
    unit = "ratio"
    timeout = 120

    def setup(self, lib, threads):
        self.set_threads(threads)
        self.a, self.xp = make_input(lib, (4096, 4096))
        self.out = self.xp.ones((4096, 4096))
        self.flat_src = np.ones(4096 * 4096)
        self.flat_dst = np.ones(4096 * 4096)

    def copy_into(self):
        self.xp.copyto(self.out, self.a.T)

    def track_transposed_into_over_memcpy(self, lib, threads):
        t, m = best_interleaved(self.copy_into,
                                lambda: np.copyto(self.flat_dst, self.flat_src))
        return t / m

    def track_fresh_over_pretouched(self, lib, threads):
        fresh, into = best_interleaved(lambda: self.xp.ascontiguousarray(self.a.T),
                                       self.copy_into)
        return fresh / into
