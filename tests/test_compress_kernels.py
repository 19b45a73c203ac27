"""Boolean-mask reads (``x[mask]``) through the AVX2 count and compress
kernels and through the scalar loops: NumPy's result, bit for bit.

The kernels take 32 mask positions at a time and store whole groups of
items past the last one kept, so the lengths around multiples of 32, masks
whose True bytes are not 1, strided sources and results of every size near
their end are what these cases walk through.
"""
import re
import threading

import numpy as np
import pytest
from _strategies import assert_same_array
from hypothesis import given, settings
from hypothesis import strategies as st

import array_core as ac
from array_core import _index, _threads

DTYPES = [np.dtype(t) for t in ("f8", "i8", "c8", "f4", "i4", "u1", "i2", "c16", "S3")]


@pytest.fixture(params=[True, False], ids=["simd", "scalar"])
def simd(request):
    old = _index._configure_compress(simd=request.param)
    yield request.param
    _index._configure_compress(**old)


def values(n, dtype, seed=0):
    raw = np.random.default_rng(seed).integers(0, 256, n * dtype.itemsize,
                                               dtype=np.uint8)
    out = raw.view(dtype)
    if dtype.kind in "fc":
        out = np.where(np.isnan(out), 0, out).astype(dtype)
    return out


def bits(a):
    return np.ascontiguousarray(np.asarray(a)).tobytes()


def masks(n, rng):
    """Masks of length n: none, all, one at each edge, random densities."""
    yield np.zeros(n, bool)
    yield np.ones(n, bool)
    if n:
        first = np.zeros(n, bool)
        first[0] = True
        yield first
        last = np.zeros(n, bool)
        last[-1] = True
        yield last
    for density in (0.1, 0.5, 0.9):
        yield rng.random(n) < density


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_every_length_near_the_kernel_groups(simd, dtype):
    rng = np.random.default_rng(1)
    for n in list(range(0, 70)) + [95, 96, 97, 127, 128, 129, 1000, 4099]:
        source = values(n, dtype, seed=n)
        a = ac.array(source)
        for mask in masks(n, rng):
            result = a[mask]
            expected = source[mask]
            assert_same_array(result, expected)
            assert bits(result) == bits(expected), (n, mask.sum())


@pytest.mark.parametrize("dtype", [np.dtype("f8"), np.dtype("f4")], ids=str)
def test_true_bytes_other_than_one(simd, dtype):
    rng = np.random.default_rng(2)
    source = values(1000, dtype)
    raw = rng.integers(0, 4, 1000, dtype=np.uint8) * 85   # 0, 85, 170, 255
    mask = raw.view(bool)
    expected = source[mask]
    assert len(expected) == np.count_nonzero(raw)
    for m in (mask, ac.asarray(mask)):
        assert bits(ac.array(source)[m]) == bits(expected)


@pytest.mark.parametrize("dtype", [np.dtype("f8"), np.dtype("f4")], ids=str)
def test_strided_and_reversed_sources(simd, dtype):
    rng = np.random.default_rng(3)
    base = values(3000, dtype)
    a = ac.array(base)
    mask = rng.random(1000) < 0.5
    for key in (slice(None, None, 3), slice(None, -3001, -3), slice(1000, 2000)):
        assert bits(a[key][mask]) == bits(base[key][mask])
    # A strided mask, and a 2-d mask over a 2-d source.
    wide = rng.random(2000) < 0.5
    assert bits(a[1000:3000][wide][::2]) == bits(base[1000:3000][wide][::2])
    assert bits(a[:2000][wide[::-1]]) == bits(base[:2000][wide[::-1]])
    grid = base[:2400].reshape(40, 60)
    grid_mask = rng.random((40, 60)) < 0.3
    assert_same_array(ac.array(grid)[grid_mask], grid[grid_mask])


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_blocks_on_several_threads(simd, threads):
    before = _threads._configure(min_bytes=4096)
    try:
        rng = np.random.default_rng(4)
        for dtype in (np.dtype("f8"), np.dtype("f4")):
            source = values(3 * 65536 + 77, dtype)
            a = ac.array(source)
            with ac.threads(threads):
                for mask in masks(len(source), rng):
                    assert bits(a[mask]) == bits(source[mask])
    finally:
        _threads._configure(**before)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 600), density=st.floats(0, 1), seed=st.integers(0, 2**32 - 1),
       itemsize=st.sampled_from([4, 8]), simd_on=st.booleans())
def test_any_mask(n, density, seed, itemsize, simd_on):
    old = _index._configure_compress(simd=simd_on)
    try:
        rng = np.random.default_rng(seed)
        source = rng.random(n).astype(f"f{itemsize}")
        mask = rng.random(n) < density
        assert bits(ac.array(source)[mask]) == bits(source[mask])
    finally:
        _index._configure_compress(**old)


def test_a_mask_changed_meanwhile_writes_only_into_the_result(simd):
    # Another thread flips the mask while x[mask] compresses it: the values
    # are then unspecified, but the result has the length counted when
    # planning and nothing is written outside it (the sanitizer build checks).
    before = _threads._configure(min_bytes=4096)
    try:
        x = ac.arange(400_000, dtype=np.float64)
        shared = np.zeros(400_000, bool)
        mask = ac.asarray(shared)
        stop = threading.Event()

        def flip():
            rng = np.random.default_rng(5)
            while not stop.is_set():
                shared[rng.integers(0, len(shared), 1000)] ^= True
                shared[: 1 + rng.integers(0, len(shared))] = rng.random() < 0.5

        flipper = threading.Thread(target=flip)
        flipper.start()
        try:
            for _ in range(200):
                with ac.threads(2):
                    result = x[mask]
                assert result.ndim == 1 and result.dtype == np.float64
        finally:
            stop.set()
            flipper.join()
    finally:
        _threads._configure(**before)


def test_the_hook_reports_and_restores():
    old = _index._configure_compress()
    assert set(old) == {"simd"}
    _index._configure_compress(simd=False)
    assert _index._configure_compress() == {"simd": False}
    _index._configure_compress(**old)
    assert _index._configure_compress() == old


# Small 1-d arrays with a 1-d boolean key of their length (array_core's or
# NumPy's) skip the general plan (array_core._array.small_mask_getitem);
# others take it.
SMALL_MASK_MAX = 4096


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("n", [0, 1, 10, 31, 32, 33, 100, SMALL_MASK_MAX,
                               SMALL_MASK_MAX + 1])
def test_small_masks_as_numpy(simd, dtype, n):
    rng = np.random.default_rng(n)
    base = values(3 * n + 1, dtype, seed=n)
    a = ac.array(base)
    # Contiguous, strided, reversed and offset sources of n items.
    for part in (slice(0, n), slice(0, 3 * n, 3), slice(3 * n, 0, -3),
                 slice(n, 2 * n)):
        source, view = base[part], a[part]
        assert len(source) == n
        for mask in masks(n, rng):
            expected = source[mask]
            for key in (ac.array(mask), mask):   # array_core's and NumPy's keys
                result = view[key]
                assert_same_array(result, expected)
                assert result.strides == expected.strides   # (0,) when empty
                assert bits(result) == bits(expected)
                assert result.base is None and result.flags.owndata


def test_small_mask_keys_the_fast_path_does_not_take():
    x = np.arange(12.0)
    a = ac.array(x)
    mask = x % 3 == 0
    for key in (ac.array(mask)[::-1], ac.array(np.repeat(mask, 2))[::2],
                ac.array(mask.astype(np.uint8)).view(bool), ac.array(mask[:6]),
                mask[::-1], np.repeat(mask, 2)[::2], mask[:6], mask.astype(np.int8),
                list(mask), mask.reshape(3, 4)[0], (mask,)):
        n_key = np.asarray(key) if isinstance(key, ac.ndarray) else key
        try:
            expected = x[n_key]
        except IndexError as error:
            with pytest.raises(IndexError, match=re.escape(str(error))):
                a[key]
        else:
            assert bits(a[key]) == bits(expected)
    assert bits(ac.array(x.reshape(3, 4))[ac.array(mask.reshape(3, 4))]) == \
        bits(x.reshape(3, 4)[mask.reshape(3, 4)])


@pytest.mark.parametrize("n", [10, SMALL_MASK_MAX + 1])
def test_small_and_planned_masks_are_recorded_alike(n):
    x = ac.arange(float(n))
    key = ac.array(np.arange(n) % 3 == 0)
    with ac.copy_audit() as log:
        y = x[key]
    assert len(log) == 1
    record = log[0]
    assert (record.operation, record.category) == ("getitem", "advanced-index")
    assert record.reason.startswith("boolean mask on axis 0: ")
    assert record.nbytes == y.nbytes == 8 * len(range(0, n, 3))
    with ac.copy_policy("raise"), pytest.raises(ac.CopyError, match="boolean mask"):
        x[key]
    with ac.copy_policy("raise", allow=["advanced-index"]):
        assert x[key].shape == y.shape


def test_a_small_mask_of_a_lazy_copy_does_not_materialise_it():
    x = ac.arange(10.0)
    lazy = x.copy()
    key = ac.array(np.arange(10) % 2 == 0)
    with ac.copy_audit() as log:
        assert bits(lazy[key]) == bits(np.arange(0.0, 10.0, 2))
    assert [r.category for r in log] == ["advanced-index"]
