"""The indexing examples of the seed documents (/work/shared/seeds/), run with
``np`` replaced by ``array_core``: basic indexing views, advanced indexing
copies (``base is None``), in-place assignment through either kind."""

import re

import numpy
import pytest

import array_core as np


def test_slicing_creates_a_view():
    x = np.arange(10)
    assert x.tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    y = x[1:3]  # creates a view
    assert y.tolist() == [1, 2]
    x[1:3] = [10, 11]
    assert x.tolist() == [0, 10, 11, 3, 4, 5, 6, 7, 8, 9]
    assert y.tolist() == [10, 11]
    assert y.base is x


def test_advanced_indexing_creates_a_copy():
    x = np.arange(9).reshape(3, 3)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    y = x[[1, 2]]
    assert y.tolist() == [[3, 4, 5], [6, 7, 8]]
    assert y.base is None


def test_assignment_through_an_advanced_index_is_in_place():
    x = np.arange(9).reshape(3, 3)
    y = x[[1, 2]]
    data_before = x.__array_interface__["data"][0]
    x[[1, 2]] = [[10, 11, 12], [13, 14, 15]]
    assert x.tolist() == [[0, 1, 2], [10, 11, 12], [13, 14, 15]]
    assert y.tolist() == [[3, 4, 5], [6, 7, 8]]
    assert x.__array_interface__["data"][0] == data_before


def test_base_tells_view_from_copy():
    x = np.arange(9)
    assert x.tolist() == list(range(9))
    y = x.reshape(3, 3)
    assert y.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert y.base is x  # .reshape() creates a view
    z = y[[2, 1]]
    assert z.tolist() == [[6, 7, 8], [3, 4, 5]]
    assert z.base is None  # advanced indexing creates a copy


def test_fancy_indexing_copy_is_independent():
    arr = np.array([10, 20, 30, 40, 50])
    fancy = arr[[1, 3]]
    fancy[0] = 999
    assert arr.tolist() == [10, 20, 30, 40, 50]
    # To change the original, assign directly.
    arr[[1, 3]] = [999, 888]
    assert arr.tolist() == [10, 999, 30, 888, 50]


def test_modifying_a_slice_changes_the_original():
    arr = np.array([1, 2, 3, 4, 5])
    slice_arr = arr[1:4]
    slice_arr[0] = 100
    assert arr.tolist() == [1, 100, 3, 4, 5]
    arr = np.array([1, 2, 3, 4, 5])
    copy_arr = arr[1:4].copy()
    copy_arr[0] = 100
    assert arr.tolist() == [1, 2, 3, 4, 5]


def test_view_and_copy_of_a_whole_array():
    arr = np.array([5, 6, 7])
    view_arr = arr.view()
    view_arr[0] = 0
    assert arr.tolist() == [0, 6, 7]
    arr = np.array([5, 6, 7])
    copy_arr = arr.copy()
    copy_arr[0] = 0
    assert arr.tolist() == [5, 6, 7]
    assert not np.shares_memory(arr, np.copy(arr))


def test_transposed_view_cannot_take_a_flat_shape():
    x = np.ones((2, 3))
    y = x.T  # makes the array non-contiguous
    assert y.tolist() == [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]
    z = y.view()
    with pytest.raises(
        AttributeError,
        match=re.escape(
            "Incompatible shape for in-place modification. Use `.reshape()` "
            "to make a copy with the desired shape."
        ),
    ):
        z.shape = 6


def test_ravel_and_flatten():
    x = np.arange(6).reshape(2, 3)
    assert np.shares_memory(x.ravel(), x)
    assert not np.shares_memory(x.flatten(), x)
    assert x.reshape(-1).base is x.base  # views of views share the owner


@pytest.mark.parametrize("key", [[1, 2], [2, 1], (slice(1, 3),), (slice(None), [0, 2])])
def test_seed_results_match_numpy(key):
    a = np.arange(9).reshape(3, 3)
    n = numpy.arange(9).reshape(3, 3)
    assert a[key].tolist() == n[key].tolist()
    assert np.shares_memory(a[key], a) == numpy.shares_memory(n[key], n)
