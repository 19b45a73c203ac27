"""Other libraries given array_core arrays (each skipped when not installed).

They read array_core arrays through NumPy's protocols (``__array__``, the
buffer protocol, ``__array_function__``): values must be NumPy's, and the
inputs untouched.
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
