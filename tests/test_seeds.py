"""The seed documents' examples with ``np`` replaced by ``array_core``.

Examples that need integer-array or boolean indexing live with the advanced
indexing tests.
"""
import pytest

import array_core as np  # the seeds' spelling, on purpose

# ----------------------------------------- "Controlling copy behavior in NumPy"

def test_slicing_creates_a_view():
    arr = np.array([1, 2, 3, 4, 5])
    slice_arr = arr[1:4]
    slice_arr[0] = 100
    assert repr(arr) == "array([  1, 100,   3,   4,   5])"
    assert slice_arr.base is arr


def test_copy_of_a_slice_is_independent():
    arr = np.array([1, 2, 3, 4, 5])
    copy_arr = arr[1:4].copy()
    copy_arr[0] = 100
    assert repr(arr) == "array([1, 2, 3, 4, 5])"
    assert repr(copy_arr) == "array([100,   3,   4])"
    assert copy_arr.base is None


def test_np_copy_creates_an_independent_array():
    arr = np.array([1, 2, 3])
    c = np.copy(arr)
    c[0] = 9
    assert repr(arr) == "array([1, 2, 3])"
    assert c.base is None and c.flags.owndata
    assert not np.shares_memory(arr, c)


def test_view_method_shares_data():
    arr = np.array([5, 6, 7])
    view_arr = arr.view()
    view_arr[0] = 0
    assert repr(arr) == "array([0, 6, 7])"
    assert view_arr.base is arr
    assert view_arr is not arr


def test_copy_method_does_not_share():
    arr = np.array([5, 6, 7])
    copy_arr = arr.copy()
    copy_arr[0] = 0
    assert repr(arr) == "array([5, 6, 7])"


def test_transpose_is_a_view_reshape_of_it_copies():
    arr = np.arange(6).reshape(2, 3).copy()
    t = arr.T
    assert t.base is arr and np.shares_memory(t, arr)
    assert not t.flags.c_contiguous and t.flags.f_contiguous
    flat = t.reshape(6)
    assert not np.shares_memory(flat, arr)
    assert repr(flat) == "array([0, 3, 1, 4, 2, 5])"


def test_readonly_original_refuses_writes_through_a_view():
    arr = np.array([1, 2, 3])
    arr.flags.writeable = False
    view = arr[1:]
    with pytest.raises(ValueError, match="^assignment destination is read-only$"):
        view[0] = 5


# ------------------------------------------------------ "Copies and views"

def test_basic_indexing_creates_views():
    x = np.arange(10)
    assert repr(x) == "array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"
    y = x[1:3]  # creates a view
    assert repr(y) == "array([1, 2])"
    x[1:3] = [10, 11]
    assert repr(x) == "array([ 0, 10, 11,  3,  4,  5,  6,  7,  8,  9])"
    assert repr(y) == "array([10, 11])"


def test_shape_assignment_refuses_to_copy():
    x = np.ones((2, 3))
    y = x.T  # makes the array non-contiguous
    assert repr(y) == ("array([[1., 1.],\n"
                       "       [1., 1.],\n"
                       "       [1., 1.]])")
    z = y.view()
    with pytest.raises(AttributeError) as excinfo:
        z.shape = 6
    assert str(excinfo.value) == (
        "Incompatible shape for in-place modification. Use `.reshape()` to make "
        "a copy with the desired shape.")
    assert z.shape == (3, 2)


def test_ravel_flatten_reshape_minus_one():
    x = np.zeros((2, 3), dtype=int)
    x[...] = np.arange(6).reshape(2, 3)
    r = x.ravel()
    assert r.base is x and np.shares_memory(r, x)
    f = x.flatten()
    assert f.base is None and not np.shares_memory(f, x)
    m = x.reshape(-1)
    assert m.base is x
    t = x.T
    assert not np.shares_memory(t.ravel(), t)  # not contiguous: ravel copies
    assert repr(t.ravel()) == "array([0, 3, 1, 4, 2, 5])"


def test_base_tells_view_from_copy():
    x = np.arange(9)
    assert repr(x) == "array([0, 1, 2, 3, 4, 5, 6, 7, 8])"
    y = x.reshape(3, 3)
    assert repr(y) == ("array([[0, 1, 2],\n"
                       "       [3, 4, 5],\n"
                       "       [6, 7, 8]])")
    assert repr(y.base) == "array([0, 1, 2, 3, 4, 5, 6, 7, 8])"  # .reshape() is a view
    assert y.base is x
