"""Views: T, mT, transpose, swapaxes, moveaxis, squeeze, expand_dims, view().

Every operation runs on the same layout in NumPy and in array_core; results
must agree in values, dtype, shape, strides, flags, sharing and ``base``, and
errors must agree in type and message.
"""
import gc
from functools import partial

import numpy as np
import pytest
from _strategies import (
    DTYPES,
    Layout,
    all_layouts_small,
    assert_same_array,
    assert_same_base,
    assert_same_error,
    assert_same_sharing,
    layouts,
    same_outcome,
)
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

VIA = st.sampled_from(["array", "asarray"])


def check_view_op(layout, via, op):
    """Run ``op`` on both sides of ``layout``; compare everything."""
    n0, n, a0, a = layout.build(via)
    result = same_outcome(lambda: op(n, np), lambda: op(a, ac))
    if result is None:
        return None
    rn, ra = result
    assert (ra is a) == (rn is n)
    if rn is n:
        return rn, ra
    assert_same_array(ra, rn)
    assert_same_sharing(ra, a, rn, n)
    assert_same_base(ra, (a0, a), rn, (n0, n))
    return rn, ra


@given(layouts(), VIA)
def test_T(layout, via):
    check_view_op(layout, via, lambda x, m: x.T)


@given(layouts(), VIA)
def test_mT(layout, via):
    check_view_op(layout, via, lambda x, m: x.mT)


@given(layouts(), VIA, st.data())
def test_transpose_axes(layout, via, data):
    nd = len(layout.base_shape)
    axes = data.draw(st.one_of(
        st.permutations(range(nd)).map(tuple),
        st.lists(st.integers(-nd - 1, nd), max_size=nd + 1).map(tuple)))
    style = data.draw(st.sampled_from(["tuple", "list", "args", "none", "empty"]))
    if style == "tuple":
        op = lambda x, m: x.transpose(axes)  # noqa: E731
    elif style == "list":
        op = lambda x, m: x.transpose(list(axes))  # noqa: E731
    elif style == "args":
        op = lambda x, m: x.transpose(*axes)  # noqa: E731
    elif style == "none":
        op = lambda x, m: x.transpose(None)  # noqa: E731
    else:
        op = lambda x, m: x.transpose()  # noqa: E731
    check_view_op(layout, via, op)
    check_view_op(layout, via, lambda x, m: m.transpose(x, axes))


@pytest.mark.parametrize("shape,axes", [
    ((2, 3), (0,)), ((2, 3), (0, 0)), ((2, 3), (0, -2)), ((2, 3), (0, 2)),
    ((2, 3), (0, -3)), ((2, 3), (0, 1, 2)), ((), (0,)), ((4,), (1,)),
    ((2, 3), (0.0, 1)), ((2, 3), ("a", 1)), ((2, 3, 4), (1, 1, 0)),
    ((2, 3), (np.int64(1), np.int8(0))), ((2, 3), (True, False)),
])
def test_transpose_errors(shape, axes):
    layout = Layout(shape, np.dtype("float64"), tuple(range(len(shape))),
                    (slice(None),) * len(shape))
    check_view_op(layout, "array", lambda x, m: x.transpose(axes))
    check_view_op(layout, "array", lambda x, m: x.transpose(*axes))


@given(layouts(), VIA, st.data())
def test_swapaxes(layout, via, data):
    nd = len(layout.base_shape)
    a1 = data.draw(st.integers(-nd - 1, nd))
    a2 = data.draw(st.integers(-nd - 1, nd))
    check_view_op(layout, via, lambda x, m: x.swapaxes(a1, a2))
    check_view_op(layout, via, lambda x, m: m.swapaxes(x, a1, a2))


@given(layouts(), VIA, st.data())
def test_moveaxis(layout, via, data):
    nd = len(layout.base_shape)
    axis = st.integers(-nd - 1, nd)
    source = data.draw(st.one_of(axis, st.lists(axis, max_size=3)))
    destination = data.draw(st.one_of(axis, st.lists(axis, max_size=3)))
    check_view_op(layout, via, lambda x, m: m.moveaxis(x, source, destination))


@given(layouts(max_side=2), VIA, st.data())
def test_squeeze(layout, via, data):
    nd = len(layout.base_shape)
    axis = st.integers(-nd - 1, nd)
    choice = data.draw(st.one_of(st.none(), axis, st.lists(axis, max_size=3).map(
        tuple)))
    check_view_op(layout, via, lambda x, m: x.squeeze(choice))
    check_view_op(layout, via, lambda x, m: m.squeeze(x, choice))
    check_view_op(layout, via, lambda x, m: x.squeeze())


def test_squeeze_returns_self_when_nothing_to_squeeze():
    for shape in [(2, 3), (), (0, 2)]:
        x = ac.zeros(shape)
        assert x.squeeze() is x
        assert np.zeros(shape).squeeze() is not None
    x = ac.zeros((2, 1))
    assert x.squeeze(()) is x


def test_squeeze_error_message():
    assert_same_error(lambda: np.zeros((2, 1)).squeeze(0),
                      lambda: ac.zeros((2, 1)).squeeze(0))


@given(layouts(max_dims=4), VIA, st.data())
def test_expand_dims(layout, via, data):
    nd = len(layout.base_shape)
    axis = st.integers(-nd - 3, nd + 2)
    choice = data.draw(st.one_of(axis, st.lists(axis, max_size=3).map(tuple),
                                 st.lists(axis, max_size=2)))
    check_view_op(layout, via, lambda x, m: m.expand_dims(x, choice))


@given(layouts(), VIA)
def test_view_no_dtype(layout, via):
    _, res = check_view_op(layout, via, lambda x, m: x.view()) or (None, None)
    assert res is not None


VIEW_DTYPES = DTYPES + [np.dtype(t) for t in ("V1", "V3", "V16", "S4", "U1")]


@given(layouts(max_side=4), VIA, st.sampled_from(VIEW_DTYPES))
def test_view_dtype(layout, via, dtype):
    check_view_op(layout, via, lambda x, m: x.view(dtype))


@pytest.mark.parametrize("layout", all_layouts_small(), ids=str)
@pytest.mark.parametrize("dtype", ["int8", "int16", "complex128", "V3", "V", "S",
                                   "float32", np.float64, "i2,i2"])
def test_view_dtype_small_layouts(layout, dtype):
    check_view_op(layout, "array", lambda x, m: x.view(dtype))


def test_view_dtype_messages():
    f8 = np.dtype("float64")
    cases = [
        (Layout((), f8, (), ()), "int32"),                       # 0-d
        (Layout((2, 3), f8, (1, 0), (slice(None),) * 2), "int32"),  # last axis strided
        (Layout((4,), np.dtype("V3"), (0,), (slice(None),)), "int16"),  # smaller
        (Layout((3,), np.dtype("int8"), (0,), (slice(None),)), "int16"),  # larger
    ]
    for layout, dtype in cases:
        n0, n, a0, a = layout.build()
        assert_same_error(partial(n.view, dtype), partial(a.view, dtype))


def test_view_type_argument():
    x = ac.arange(4)
    assert_same_error(lambda: np.arange(4).view(np.int64, np.int64),
                      lambda: x.view(np.int64, np.int64))


# ------------------------------------------------------------------ base rules

def test_base_collapses_to_owner():
    x = ac.arange(10)
    assert x.base is None and x.flags.owndata
    y = x[1:][1:]
    assert y.base is x
    assert x.T.T.base is x
    assert x.reshape(2, 5).T[1:].view().base is x


def test_base_of_borrowing_array_stops_collapse():
    n = np.arange(10)
    a = ac.asarray(n)
    assert a.base is n and not a.flags.owndata
    # NumPy stops collapsing at a base of another type: the borrowing array.
    assert a[1:][1:].base is a
    raw = bytes(10)
    nb = np.frombuffer(raw, np.uint8)
    assert nb[1:][1:].base is nb


# ------------------------------------------------------------------ writeable

def make_readonly_pair():
    n0 = np.arange(12.0).reshape(3, 4).copy()
    a0 = ac.array(n0)
    n0.flags.writeable = False
    a0.flags.writeable = False
    return n0, a0


@pytest.mark.parametrize("op", [
    lambda x: x[1:], lambda x: x.T, lambda x: x.view(), lambda x: x.reshape(-1),
    lambda x: x[:, None].squeeze(), lambda x: x.swapaxes(0, 1),
    lambda x: x.view(np.int32),
    lambda x: x.ravel(), lambda x: x[None, ..., None].squeeze(0),
])
def test_views_of_readonly_arrays_are_readonly(op):
    n0, a0 = make_readonly_pair()
    rn, ra = op(n0), op(a0)
    assert ra.flags.writeable == rn.flags.writeable is False
    assert_same_error(lambda: rn.__setitem__(0, 1), lambda: ra.__setitem__(0, 1))
    assert_same_error(lambda: setattr(rn.flags, "writeable", True),
                      lambda: setattr(ra.flags, "writeable", True))
    # Once the owner is writeable again, the view may be made writeable.
    n0.flags.writeable = True
    a0.flags.writeable = True
    rn.flags.writeable = True
    ra.flags.writeable = True
    assert ra.flags.writeable and rn.flags.writeable


def test_readonly_view_of_writeable_owner_can_be_made_writeable():
    n0 = np.arange(6)
    a0 = ac.arange(6)
    rn, ra = n0[2:], a0[2:]
    rn.flags.writeable = False
    ra.flags.writeable = False
    vn, va = rn[1:], ra[1:]
    assert not va.flags.writeable and not vn.flags.writeable
    vn.flags.writeable = True
    va.flags.writeable = True
    va[0] = 100
    assert a0[3] == 100


def test_owner_flag_round_trip():
    x = ac.zeros(3)
    x.flags.writeable = False
    assert_same_error(lambda: np.zeros(3, ).__setitem__(0, 1) if False else
                      _readonly_numpy().__setitem__(0, 1),
                      lambda: x.__setitem__(0, 1))
    x.flags.writeable = True
    x[0] = 1
    assert x[0] == 1


def _readonly_numpy():
    n = np.zeros(3)
    n.flags.writeable = False
    return n


def test_asarray_of_readonly_numpy_view_follows_numpy_chain():
    # NumPy's _IsWriteable walks the base chain: a read-only view of a
    # writeable owner may be made writeable again.
    owner = np.arange(5.0)
    view = owner[1:]
    view.flags.writeable = False
    a = ac.asarray(view)
    assert not a.flags.writeable
    twin = view.view()
    twin.flags.writeable = True
    a.flags.writeable = True
    a[0] = -1.0
    assert owner[1] == -1.0
    frozen = np.arange(5.0)
    frozen.flags.writeable = False
    b = ac.asarray(frozen[1:])
    assert_same_error(lambda: setattr(frozen[1:].view().flags, "writeable", True),
                      lambda: setattr(b.flags, "writeable", True))


# ------------------------------------------------------------------ flags object

FLAG_ATTRIBUTES = ["aligned", "behaved", "c_contiguous", "carray", "contiguous",
                   "f_contiguous", "farray", "fnc", "forc", "fortran", "num",
                   "owndata", "writeable", "writebackifcopy"]
FLAG_KEYS = ["C_CONTIGUOUS", "C", "CONTIGUOUS", "F_CONTIGUOUS", "F", "FORTRAN",
             "OWNDATA", "O", "WRITEABLE", "W", "ALIGNED", "A", "WRITEBACKIFCOPY",
             "X", "FNC", "FORC", "BEHAVED", "B", "CARRAY", "CA", "FARRAY", "FA"]


@pytest.mark.parametrize("layout", all_layouts_small(), ids=str)
@pytest.mark.parametrize("readonly", [False, True])
def test_flags_object_matches_numpy(layout, readonly):
    n0, n, a0, a = layout.build()
    if readonly:
        n.flags.writeable = False
        a.flags.writeable = False
    for name in FLAG_ATTRIBUTES:
        assert getattr(a.flags, name) == getattr(n.flags, name), name
    for key in FLAG_KEYS:
        assert a.flags[key] == n.flags[key], key
    for key in ["c", "c_contiguous", "num", "UPDATEIFCOPY", 0]:
        assert_same_error(partial(n.flags.__getitem__, key),
                          partial(a.flags.__getitem__, key))
    assert repr(a.flags) == repr(n.flags)
    assert str(a.flags) == str(n.flags)
    assert (a.flags == a.flags) and (n.flags == n.flags)


def test_flags_setitem_matches_numpy():
    n, a = np.zeros((2, 3)), ac.zeros((2, 3))
    for key in ["W", "WRITEABLE"]:
        n.flags[key] = False
        a.flags[key] = False
        assert a.flags.writeable == n.flags.writeable is False
        n.flags[key] = True
        a.flags[key] = True
        assert a.flags.writeable == n.flags.writeable is True
    for key, value in [("C", True), ("c", True), ("X", True),
                       ("WRITEBACKIFCOPY", True), ("OWNDATA", False)]:
        assert_same_error(partial(n.flags.__setitem__, key, value),
                          partial(a.flags.__setitem__, key, value))
    for name in ["c_contiguous", "owndata", "f_contiguous"]:
        with pytest.raises(AttributeError):
            setattr(n.flags, name, True)
        with pytest.raises(AttributeError):
            setattr(a.flags, name, True)
    assert_same_error(lambda: setattr(n.flags, "writebackifcopy", True),
                      lambda: setattr(a.flags, "writebackifcopy", True))


def test_flags_object_tracks_the_array():
    x = ac.zeros(4)
    f = x.flags
    x.flags.writeable = False
    assert f.writeable is False
    del x
    gc.collect()
    assert f.owndata is True


def test_view_type_keyword():
    x = ac.arange(4)
    assert type(x.view(ac.ndarray)) is ac.ndarray
    assert x.view(type=ac.ndarray).base is x
    with pytest.raises(TypeError):
        x.view(np.ndarray)
    assert_same_error(lambda: np.arange(4).view(type=int),
                      lambda: x.view(type=int))


# ------------------------------------------------- NumPy inputs: NumPy's base

def _owner_of(n):
    """NumPy's base for a view of ``n``: ``n`` collapsed to its owner."""
    while not n.flags.owndata and type(n.base) is np.ndarray:
        n = n.base
    return n


VIEW_FUNCTIONS = {
    "ravel": lambda m, x: m.ravel(x),
    "ravel_F": lambda m, x: m.ravel(x, order="F"),
    "transpose": lambda m, x: m.transpose(x),
    "transpose_axes": lambda m, x: m.transpose(x, tuple(range(x.ndim))[::-1]),
    "reshape": lambda m, x: m.reshape(x, (-1,)),
    "reshape_same": lambda m, x: m.reshape(x, x.shape),
    "swapaxes": lambda m, x: m.swapaxes(x, 0, -1),
    "squeeze": lambda m, x: m.squeeze(x),
    "moveaxis": lambda m, x: m.moveaxis(x, 0, -1),
    "expand_dims": lambda m, x: m.expand_dims(x, 0),
}


def _numpy_inputs():
    owner = np.arange(24.0).reshape(2, 3, 4)       # a view of arange's array
    fresh = np.ones((2, 1, 3))                     # an owner
    frozen = np.ones((3, 1))
    frozen.flags.writeable = False
    return [fresh, owner, owner[:, 1:], owner.T, fresh[:, :, ::-1],
            np.ones((1, 1, 4)), frozen, np.ones(4)[::2][None]]


@pytest.mark.parametrize("name", sorted(VIEW_FUNCTIONS))
@pytest.mark.parametrize("index", range(8))
def test_view_functions_of_numpy_input_have_numpy_base(name, index):
    # The base is not the zero-copy array_core array made for the input
    # (nobody can see it) but, as NumPy's, the input collapsed to its owner.
    n = _numpy_inputs()[index]
    func = VIEW_FUNCTIONS[name]
    rn = func(np, n)
    ra = func(ac, n)
    assert_same_array(ra, rn)
    assert ac.shares_memory(ra, n) == np.shares_memory(rn, n)
    if rn is n:
        return  # array_core returns its zero-copy array of n (see README)
    assert (ra.base is n) == (rn.base is n), (ra.base, rn.base)
    assert (ra.base is _owner_of(n)) == (rn.base is _owner_of(n))
    assert (ra.base is None) == (rn.base is None)


# ------------------------------------- Python callbacks reshaping mid-call


class _ReshapingIndex:
    """An axis whose ``__index__`` reshapes ``array`` before answering."""

    def __init__(self, array, value, shape):
        self.array, self.value, self.shape = array, value, shape

    def __index__(self):
        self.array.shape = self.shape
        return self.value


@pytest.mark.parametrize(("before", "after"), [
    ((1, 2), (1, 1, 1, 1, 1, 1, 2)),   # more axes: their flags were never set
    ((1, 1, 1, 1, 1, 1, 2), (2, 1)),   # fewer axes, a freed metadata block
    ((1, 3), (3, 1)),
])
def test_squeeze_axis_index_reshaping_reads_only_its_snapshot(before, after):
    # squeeze converts the axes against the metadata as they were when it
    # was called, and reads nothing else: the result is the squeeze of the
    # array as it was (NumPy would read flags it never set).
    a = ac.ones(before)
    expected = tuple(d for i, d in enumerate(before) if i != 0)
    r = a.squeeze(axis=(_ReshapingIndex(a, 0, after),))
    assert r.shape == expected
    assert a.shape == after
    assert np.asarray(r).tolist() == np.ones(expected).tolist()


@pytest.mark.parametrize(("before", "after"), [
    ((1, 1, 1, 1, 1, 2), (2,)),
    ((2, 1), (1, 1, 1, 1, 1, 2)),
    ((2, 3), (3, 2)),
])
def test_transpose_axes_index_reshaping_reads_metadata_after(before, after):
    # As NumPy's PyArray_Transpose: the axes are converted first, then the
    # array's metadata (as it is then) is read.
    n, a = np.ones(before), ac.ones(before)
    axes_n = [_ReshapingIndex(n, 0, after)] + list(range(1, len(before)))
    axes_a = [_ReshapingIndex(a, 0, after)] + list(range(1, len(before)))
    result = same_outcome(lambda: n.transpose(axes_n), lambda: a.transpose(axes_a))
    if result is not None:
        assert_same_array(result[1], result[0])


@pytest.mark.parametrize(("before", "after", "axes"), [
    ((2, 3), (6,), (0,)),              # fewer axes: NumPy's StopIteration
    ((6,), (2, 3), (0,)),
    ((2, 3), (3, 2), (1,)),
    ((1, 2), (1, 1, 1, 1, 1, 2), (0,)),
])
def test_expand_dims_axis_index_reshaping_reads_shape_after(before, after, axes):
    # As NumPy's expand_dims: the axes are normalized first, then the shape
    # (as it is then) is read; nothing is read from stale metadata.
    n, a = np.ones(before), ac.ones(before)
    result = same_outcome(
        lambda: np.expand_dims(n, tuple(_ReshapingIndex(n, v, after) for v in axes)),
        lambda: ac.expand_dims(a, tuple(_ReshapingIndex(a, v, after) for v in axes)))
    if result is not None:
        assert_same_array(result[1], result[0])
