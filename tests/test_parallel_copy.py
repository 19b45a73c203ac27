"""Copies on several threads: bit-identical to NumPy for 1, 2 and 3 threads.

The kernel's tests (test_copy_kernel.py) run here again with the parallel
threshold at one byte, so that small arrays of every layout and path are cut
among threads; the public copies are checked above the real threshold; and
the pool is seen not to oversubscribe (in fresh processes, whose pool size
says whether a call used it).
"""
import threading
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib.stride_tricks import as_strided
from test_copy_kernel import CONFIGS, as_bytes, check_copy, random_array, strided_pairs
from test_threads import run_python

import array_core
from array_core import _copy, _threads

THREAD_COUNTS = [1, 2, 3]


@contextmanager
def cutting_every_copy():
    """Cut every copy among the threads, however small."""
    before = array_core.get_num_threads()
    old = _threads._configure(min_bytes=1)
    try:
        yield
    finally:
        _threads._configure(**old)
        array_core.set_num_threads(before)


@pytest.fixture
def every_copy_parallel():
    with cutting_every_copy():
        yield


@given(strided_pairs(), st.sampled_from(sorted(CONFIGS)),
       st.sampled_from(THREAD_COUNTS))
def test_any_layout_on_any_thread_count(pair, config_name, threads):
    dst, src = pair
    old = _copy._configure(**CONFIGS[config_name])
    try:
        with cutting_every_copy(), array_core.threads(threads):
            check_copy(dst, src)
    finally:
        _copy._configure(**old)


@pytest.mark.parametrize("threads", THREAD_COUNTS)
@pytest.mark.parametrize("config_name", sorted(CONFIGS))
@pytest.mark.parametrize("shape, axes", [
    ((97, 131), (1, 0)), ((5, 7, 300), (2, 0, 1)), ((40, 3, 50), (2, 1, 0)),
    ((2, 3, 4, 5, 6), (4, 2, 0, 3, 1)), ((1000,), (0,)), ((3, 999), (1, 0)),
])
@pytest.mark.parametrize("itemsize", [1, 2, 4, 8, 12, 16])
def test_relayouts(every_copy_parallel, threads, config_name, shape, axes, itemsize):
    old = _copy._configure(**CONFIGS[config_name])
    try:
        with array_core.threads(threads):
            a = random_array(shape, itemsize)
            check_copy(np.empty(a.transpose(axes).shape, a.dtype), a.transpose(axes))
            check_copy(np.empty(a[..., ::-2].shape, a.dtype), a[..., ::-2])
            dst = np.empty((2,) + a.shape, a.dtype)[1, ..., ::-1]
            check_copy(dst, a)
    finally:
        _copy._configure(**old)


@pytest.mark.parametrize("threads", THREAD_COUNTS)
def test_overlapping_operands(every_copy_parallel, threads):
    base = random_array((70, 70), 8)
    expected = base.copy()
    np.copyto(expected[3:60, 2:65], expected[5:62, 1:64].copy())
    with array_core.threads(threads):
        _copy.copy_into(base[3:60, 2:65], base[5:62, 1:64])
    np.testing.assert_array_equal(as_bytes(base), as_bytes(expected))


@pytest.mark.parametrize("threads", [2, 3])
def test_a_destination_whose_items_overlap_is_written_serially(every_copy_parallel,
                                                                threads):
    # Stride tricks can make a writeable view whose items share bytes: which
    # write lands last must not depend on the threads.
    src = random_array((64, 64), 8)
    results = []
    for n in (1, threads):
        mem = np.zeros(200, np.float64)
        dst = as_strided(mem, shape=(64, 64), strides=(16, 8))
        with array_core.threads(n):
            _copy.copy_into(dst, src)
        results.append(mem)
    np.testing.assert_array_equal(results[0].view(np.uint64),
                                  results[1].view(np.uint64))


# Above the real threshold (a megabyte per thread), through the public API.
@pytest.mark.parametrize("threads", THREAD_COUNTS)
@pytest.mark.parametrize("dtype", ["u1", "i2", "f4", "f8", "c16", "V12"])
def test_large_public_copies(threads, dtype):
    n = 2 << 20  # bytes, twice the threshold for two threads
    itemsize = np.dtype(dtype).itemsize
    side = int((4 * n // itemsize) ** 0.5)
    a_np = random_array((side, side + 3), itemsize, seed=threads)
    cube = random_array((40, 50, n // (40 * 50 * itemsize) + 7), itemsize)
    a = array_core.asarray(a_np)
    c = array_core.asarray(cube)
    with array_core.threads(threads):
        cases = [
            (array_core.ascontiguousarray(a.T), np.ascontiguousarray(a_np.T)),
            (array_core.asfortranarray(a), np.asfortranarray(a_np)),
            (a.copy(), a_np.copy()),
            (a[::2, ::-3].copy(), a_np[::2, ::-3].copy()),
            (c.transpose(2, 0, 1).copy(), cube.transpose(2, 0, 1).copy()),
            (c.transpose(1, 2, 0).copy(), cube.transpose(1, 2, 0).copy()),
            (c[:, ::-1].copy(order="F"), cube[:, ::-1].copy(order="F")),
            (a.astype(dtype), a_np.astype(dtype)),
            (a.T.reshape(-1), a_np.T.reshape(-1)),
        ]
    for got, want in cases:
        got = np.asarray(got)
        assert got.strides == want.strides
        np.testing.assert_array_equal(as_bytes(got), as_bytes(want))


def test_large_streaming_gather_on_threads():
    a_np = random_array((2048, 2048 * 3), 8)  # 96 MiB: the gather streams
    a = array_core.asarray(a_np)
    expected = a_np[:, ::3].copy()
    for threads in THREAD_COUNTS:
        with array_core.threads(threads):
            got = np.asarray(a[:, ::3].copy())
        np.testing.assert_array_equal(got.view(np.uint64), expected.view(np.uint64))


def test_copies_from_many_python_threads_at_once():
    a_np = random_array((1024, 1024), 8)  # 8 MiB
    a = array_core.asarray(a_np)
    expected = np.ascontiguousarray(a_np.T)
    failures = []

    def work():
        for _ in range(5):
            got = np.asarray(array_core.ascontiguousarray(a.T))
            if not np.array_equal(got.view(np.uint64), expected.view(np.uint64)):
                failures.append(got)

    workers = [threading.Thread(target=work) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not failures


def pool_size_after(code, **env):
    """The pool size in a fresh process after ``code`` (array_core imported,
    ``big`` an 8 MiB float64 array of array_core)."""
    program = ("import numpy as np, threading, array_core\n"
               "from array_core import _threads\n"
               "big = array_core.asarray(np.ones((1024, 1024)))\n"
               f"{code}\n"
               "print(_threads._pool_size())\n")
    out, _ = run_python(program, **env)
    return int(out.split()[-1])


@pytest.mark.skipif(not _threads.HAVE_THREADS, reason="a serial build")
def test_no_oversubscription_from_many_python_threads():
    # Eight Python threads copying at once on a count of 2: the pool holds
    # one thread (each call's caller is the other), never one per caller.
    code = ("array_core.set_num_threads(2)\n"
            "def work():\n"
            "    for _ in range(20): big.T.copy()\n"
            "ts = [threading.Thread(target=work) for _ in range(8)]\n"
            "[t.start() for t in ts]; [t.join() for t in ts]")
    assert pool_size_after(code) == 1


@pytest.mark.skipif(not _threads.HAVE_THREADS, reason="a serial build")
@pytest.mark.parametrize("code, env", [
    ("with array_core.threads(1): big.T.copy()", {}),
    ("big.T.copy()", {"OMP_NUM_THREADS": "1"}),
    ("big.T.copy()", {"ARRAY_CORE_NUM_THREADS": "1"}),
    ("import threadpoolctl\nwith threadpoolctl.threadpool_limits(1): big.T.copy()", {}),
    ("big[:50].T.copy()", {"ARRAY_CORE_NUM_THREADS": "2"}),  # 400 KB: below it
])
def test_under_a_limit_a_copy_runs_serially(code, env):
    if "threadpoolctl" in code:
        pytest.importorskip("threadpoolctl", minversion="3.5")
    assert pool_size_after(code, **env) == 0


@pytest.mark.skipif(not _threads.HAVE_THREADS, reason="a serial build")
def test_a_large_copy_uses_the_pool():
    # The observation the tests above rely on, seen positive once.
    assert pool_size_after("big.T.copy()", ARRAY_CORE_NUM_THREADS="2") == 1
