"""Other libraries given array_core arrays (each skipped when not installed).

They read array_core arrays through NumPy's protocols (``__array__``, the
buffer protocol, ``__array_function__``): values must be NumPy's, the inputs
untouched, what they keep a zero-copy read-only view, and a lazy copy read
by them never materialised.  CI installs them for this file alone
(``.ci/run``).
"""
import numpy as np
import pytest

import array_core as ac


def sample():
    n = np.arange(12.0).reshape(3, 4)
    return n, ac.array(n)


def test_pandas_series_and_dataframe():
    pd = pytest.importorskip("pandas")
    n, a = sample()
    frame = pd.DataFrame(a)
    np.testing.assert_array_equal(frame.to_numpy(), n)
    series = pd.Series(a[0])
    np.testing.assert_array_equal(series.to_numpy(), n[0])
    assert float(series.sum()) == float(n[0].sum())
    np.testing.assert_array_equal(np.asarray(a), n)


def test_scipy_ndimage_and_linalg():
    pytest.importorskip("scipy")
    from scipy import linalg, ndimage

    n, a = sample()
    np.testing.assert_allclose(np.asarray(ndimage.gaussian_filter(a, 1.0)),
                               ndimage.gaussian_filter(n, 1.0))
    square = ac.asarray(n[:, :3] + 10 * np.eye(3))
    np.testing.assert_allclose(np.asarray(linalg.inv(square)),
                               linalg.inv(np.asarray(square)))
    np.testing.assert_array_equal(np.asarray(a), n)


def test_xarray_data_array():
    xr = pytest.importorskip("xarray")
    n, a = sample()
    da = xr.DataArray(a, dims=("y", "x"))
    np.testing.assert_array_equal(np.asarray(da.sum("x")), n.sum(axis=1))
    np.testing.assert_array_equal(np.asarray(a), n)


def lazy_sample():
    x = ac.arange(12.0).reshape(3, 4)
    return x, x.copy(lazy=True)


def materialisations(log):
    return [r for r in log if r.category == "lazy-materialise"]


def test_pandas_reads_a_lazy_copy_without_copying_it():
    pd = pytest.importorskip("pandas")
    x, snapshot = lazy_sample()
    with ac.copy_audit() as log:
        series = pd.Series(snapshot[0], copy=False)
        frame = pd.DataFrame(snapshot)
        assert float(series.sum()) == 6.0
        assert frame.mean().tolist() == [4.0, 5.0, 6.0, 7.0]
    assert not materialisations(log)
    kept = series.to_numpy()
    assert np.shares_memory(kept, snapshot) and not kept.flags.writeable
    x[0, 0] = -1.0                     # the source's write copies, once
    assert series.iloc[0] == 0.0 and snapshot[0, 0] == 0.0


def test_scipy_reads_a_lazy_copy_without_copying_it():
    pytest.importorskip("scipy")
    from scipy import linalg, ndimage

    x, snapshot = lazy_sample()
    with ac.copy_audit() as log:
        smoothed = ndimage.gaussian_filter(snapshot, 1.0)
        norm = linalg.norm(snapshot)
    assert not materialisations(log)
    np.testing.assert_allclose(np.asarray(smoothed),
                               ndimage.gaussian_filter(np.arange(12.0).reshape(3, 4),
                                                       1.0))
    assert norm == pytest.approx(np.linalg.norm(np.arange(12.0)))


def test_xarray_keeps_array_core_and_reads_a_lazy_copy_without_copying_it():
    xr = pytest.importorskip("xarray")
    x, snapshot = lazy_sample()
    with ac.copy_audit() as log:
        da = xr.DataArray(snapshot, dims=("y", "x"))
        total = da.sum("x")
        window = da.isel(x=slice(1, 3))
    assert not materialisations(log)
    assert isinstance(da.data, ac.ndarray) and isinstance(total.data, ac.ndarray)
    assert isinstance(window.data, ac.ndarray) and window.data.base is snapshot
    np.testing.assert_array_equal(np.asarray(total), [6.0, 22.0, 38.0])
