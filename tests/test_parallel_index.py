"""Gathers, masks and scatters on several threads: NumPy's results, bit for
bit, at 1, 2 and 3 threads.

The parallel thresholds are lowered (``_threads._configure``, and
``_index._configure_scatter`` for the span from which scatters cut the axis
into windows) so that arrays of a few hundred kilobytes take the parallel
paths; masks are compressed in blocks of 65536 positions, and bounds are
checked in blocks of as many indices, so those tests use longer arrays.
"""
import numpy as np
import pytest
from _strategies import assert_same_array, assert_same_error
from hypothesis import given, settings
from hypothesis import strategies as st

import array_core as ac
from array_core import _index, _threads

THREADS = [1, 2, 3]
ITEM_DTYPES = [np.dtype(t) for t in ("u1", "i2", "f4", "f8", "c16", "S12")]


@pytest.fixture(autouse=True)
def _parallel_from_a_few_kilobytes():
    before = _threads._configure(min_bytes=4096)
    scatter = _index._configure_scatter(windows_min_span=1)
    count = ac.get_num_threads()
    yield
    _threads._configure(**before)
    _index._configure_scatter(**scatter)
    ac.set_num_threads(count)


def data(n, dtype, seed=0):
    raw = np.random.default_rng(seed).integers(0, 256, n * dtype.itemsize,
                                               dtype=np.uint8)
    values = raw.view(dtype)
    if dtype.kind in "fc":   # any bits, but no NaN (NaN != NaN in comparisons)
        values = np.where(np.isnan(values), 0, values).astype(dtype)
    return values


def bits(a):
    return np.ascontiguousarray(np.asarray(a)).tobytes()


@pytest.mark.parametrize("dtype", ITEM_DTYPES)
@pytest.mark.parametrize("threads", THREADS)
def test_gather_as_numpy(dtype, threads):
    n = data(50_000, dtype)
    idx = np.random.default_rng(1).integers(-50_000, 50_000, 120_000)
    a = ac.array(n)
    with ac.threads(threads):
        for key in (idx, ac.array(idx), idx[::-2]):
            result = a[key]
            expected = n[np.asarray(key)]
            assert_same_array(result, expected)
            assert bits(result) == bits(expected)


@pytest.mark.parametrize("threads", THREADS)
def test_gather_of_rows_and_pairs_as_numpy(threads):
    n = data(300_000, np.dtype("f8")).reshape(600, 500)
    rng = np.random.default_rng(2)
    i = rng.integers(-600, 600, 90_000)
    j = rng.integers(-500, 500, 90_000)
    a = ac.array(n)
    with ac.threads(threads):
        assert bits(a[i, j]) == bits(n[i, j])            # offsets
        assert bits(a[:, j[:1000]]) == bits(n[:, j[:1000]])
        assert bits(a[i[:3000]]) == bits(n[i[:3000]])
        assert bits(a.T[j, i]) == bits(n.T[j, i])


@pytest.mark.parametrize("dtype", ITEM_DTYPES)
@pytest.mark.parametrize("threads", THREADS)
def test_scatter_keeps_the_last_of_repeated_indices(dtype, threads):
    rng = np.random.default_rng(3)
    n = data(40_000, dtype, seed=4)
    idx = rng.integers(-40_000, 40_000, 150_000)   # many repeats
    values = data(150_000, dtype, seed=5)
    a = ac.array(n)
    with ac.threads(threads):
        a[idx] = values
        n[idx] = values
        assert bits(a) == bits(n)
        a[ac.array(idx[::3])] = ac.array(values[:50_000])
        n[idx[::3]] = values[:50_000]
        assert bits(a) == bits(n)
        a[idx] = values[7]   # one value for all (a zero stride)
        n[idx] = values[7]
        assert bits(a) == bits(n)


@pytest.mark.parametrize("threads", THREADS)
def test_scatter_into_a_strided_axis(threads):
    rng = np.random.default_rng(6)
    n = np.zeros((3, 200_000))
    idx = rng.integers(0, 100_000, 300_000)
    values = rng.random(300_000)
    a = ac.array(n)
    with ac.threads(threads):
        a[1, ::-2][idx] = values
        n[1, ::-2][idx] = values
        assert bits(a) == bits(n)


@pytest.mark.parametrize("dtype", ITEM_DTYPES)
@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("density", [0.0, 0.03, 0.5, 1.0])
def test_mask_as_numpy(dtype, threads, density):
    rng = np.random.default_rng(7)
    n = data(300_001, dtype)
    mask = rng.random(300_001) < density
    a = ac.array(n)
    with ac.threads(threads):
        for m in (mask, ac.array(mask)):
            result = a[m]
            expected = n[np.asarray(m)]
            assert_same_array(result, expected)
            assert bits(result) == bits(expected)
        assert bits(a[::-1][mask]) == bits(n[::-1][mask])


@pytest.mark.parametrize("threads", THREADS)
def test_mask_trues_only_at_block_edges(threads):
    n = np.arange(3 * 65536 + 5, dtype=np.float64)
    mask = np.zeros(n.shape, bool)
    mask[[0, 65535, 65536, 131071, 2 * 65536 + 4, -1]] = True
    with ac.threads(threads):
        assert bits(ac.array(n)[mask]) == bits(n[mask])


@settings(max_examples=30)
@given(size=st.integers(1, 200_000), count=st.integers(0, 200_000),
       threads=st.sampled_from(THREADS), seed=st.integers(0, 2**32 - 1),
       density=st.floats(0, 1))
def test_gather_scatter_mask_any_size(size, count, threads, seed, density):
    rng = np.random.default_rng(seed)
    n = rng.random(size)
    idx = rng.integers(-size, size, count)
    values = rng.random(count)
    mask = rng.random(size) < density
    a = ac.array(n)
    with ac.threads(threads):
        assert bits(a[idx]) == bits(n[idx])
        assert bits(a[mask]) == bits(n[mask])
        a[idx] = values
        n[idx] = values
        assert bits(a) == bits(n)


@pytest.mark.parametrize("threads", THREADS)
def test_out_of_bounds_as_numpy(threads):
    n = np.zeros(100_000)
    a = ac.array(n)
    idx = np.arange(200_000) - 50_000
    idx[150_000] = 100_000
    with ac.threads(threads):
        assert_same_error(lambda: n[idx], lambda: a[idx])
        assert_same_error(lambda: n.__setitem__(idx, 1.0),
                          lambda: a.__setitem__(idx, 1.0))
        assert bits(a) == bits(n)   # nothing written
        idx[150_000] = -100_001
        assert_same_error(lambda: n[idx], lambda: a[idx])


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("at", [0, 65535, 65536, 200_000, 399_999])
def test_the_first_bad_index_of_many_is_the_one_reported(threads, at):
    # Bounds are checked in blocks of 65536 indices, one block per task: the
    # first bad one is reported wherever the blocks are cut.
    n = np.zeros(1000)
    a = ac.array(n)
    idx = np.random.default_rng(9).integers(-1000, 1000, 400_000)
    idx[at] = 5000 + at
    idx[at + 1:][::9999] = -7777
    with ac.threads(threads):
        assert_same_error(lambda: n[idx], lambda: a[idx])
        assert_same_error(lambda: n.__setitem__(idx, 1.0),
                          lambda: a.__setitem__(idx, 1.0))
        assert not a.any()
        assert_same_error(lambda: n[:, None][idx, 0], lambda: a[:, None][idx, 0])


@pytest.mark.parametrize("dtype", ITEM_DTYPES)
@pytest.mark.parametrize("threads", THREADS)
def test_scatter_windows_of_an_odd_axis(dtype, threads):
    # Windows of unequal length (the axis does not divide by the thread
    # count); negative and repeated indices; a value read backwards.
    rng = np.random.default_rng(10)
    n = data(30_011, dtype, seed=11)
    idx = rng.integers(-30_011, 30_011, 200_000)
    idx[-50:] = [0, -30_011, 30_010, -1, 15_005] * 10
    values = data(200_000, dtype, seed=12)
    a = ac.array(n)
    with ac.threads(threads):
        a[idx] = values[::-1]
        n[idx] = values[::-1]
        assert bits(a) == bits(n)
        a[idx[:3]] = values[:3]       # below the parallel threshold
        n[idx[:3]] = values[:3]
        assert bits(a) == bits(n)


def test_results_do_not_depend_on_the_thread_count():
    rng = np.random.default_rng(8)
    x = ac.array(rng.random(1_000_000))
    idx = ac.array(rng.integers(0, 1_000_000, 400_000))
    mask = ac.array(rng.random(1_000_000) < 0.5)
    results = []
    for threads in THREADS:
        with ac.threads(threads):
            y = x.copy()
            y[idx] = ac.arange(400_000.0)
            results.append((bits(x[idx]), bits(x[mask]), bits(y)))
    assert results[0] == results[1] == results[2]
