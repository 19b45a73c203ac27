"""reshape, .shape assignment, ravel, flatten: view exactly when NumPy views."""
import numpy as np
import pytest
from _strategies import (
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
ORDERS = ["C", "F", "A", "K", "c", "f", None, "X", "CF", "", 3]


def compare(layout, via, op):
    """Run ``op`` on both sides; compare result, sharing and base."""
    n0, n, a0, a = layout.build(via)
    result = same_outcome(lambda: op(n, np), lambda: op(a, ac))
    if result is None:
        return None
    rn, ra = result
    assert (ra is a) == (rn is n)
    assert_same_array(ra, rn)
    assert_same_sharing(ra, a, rn, n)
    assert_same_base(ra, (a0, a), rn, (n0, n))
    if rn.base is not None and rn.base is not n0:
        # NumPy's copying reshape returns a view of its intermediate copy.
        assert ra.base.flags.owndata == rn.base.flags.owndata
        assert (ra.base.base is None) == (rn.base.base is None)
    return rn, ra


def shape_candidates(size, nd):
    out = [(size,), (-1,), -1, size, (1, size), (size, 1), (1, -1, 1), (size + 1,),
           (-1, 0), (0,), (), (2, -1), (-1, 2), (-1, -1), (-3,), (2, 3, -1),
           (size, -1, 1)]
    for d in range(2, 5):
        if size % d == 0:
            out += [(d, -1), (-1, d), (d, size // d), (size // d, 1, d)]
    return out


@given(layouts(), VIA, st.data())
def test_reshape_matches_numpy(layout, via, data):
    n = layout.numpy()
    shape = data.draw(st.sampled_from(shape_candidates(n.size, n.ndim) + [n.shape]))
    order = data.draw(st.sampled_from(["C", "F", "A"]))
    copy = data.draw(st.sampled_from([None, True, False]))
    compare(layout, via, lambda x, m: x.reshape(shape, order=order, copy=copy))


@given(layouts(max_dims=3), VIA, st.data())
def test_reshape_argument_forms(layout, via, data):
    n = layout.numpy()
    shape = data.draw(st.sampled_from(shape_candidates(n.size, n.ndim) + [n.shape]))
    args = shape if isinstance(shape, tuple) else (shape,)
    compare(layout, via, lambda x, m: x.reshape(*args))
    compare(layout, via, lambda x, m: x.reshape(list(args)))
    compare(layout, via, lambda x, m: m.reshape(x, shape))
    compare(layout, via, lambda x, m: m.reshape(x, shape, order="F"))


@pytest.mark.parametrize("layout", all_layouts_small(), ids=str)
@pytest.mark.parametrize("order", ORDERS)
def test_reshape_orders(layout, order):
    size = int(np.prod(layout.numpy().shape))
    compare(layout, "array", lambda x, m: x.reshape(-1, order=order))
    compare(layout, "array", lambda x, m: x.reshape((size, 1), order=order))


@pytest.mark.parametrize("args,kwargs", [
    ((), {}), ((None,), {}), ((2, 3), {"order": "K"}), (((2, "x"),), {"order": "K"}),
    ((7,), {}), ((4, -1), {}), ((-1, -1), {}), ((2, -1, -1), {}),
    ((0, -1), {}), ((-1, 0), {}), ((2, 2, -1, 5), {}), ((-2, 3), {}),
    (((6,),), {"copy": "yes"}), (((6,),), {"order": 1}), (((6,),), {"order": b"F"}),
    (((6,),), {"order": b"Q"}), (((6,),), {"order": "FORTRAN"}), ((6,), {"copy": 0}),
    ((6,), {"copy": 1}), ((6,), {"copy": np.True_}),
    ((6,), {"copy": np._CopyMode.NEVER}),
    ((6,), {"copy": np._CopyMode.ALWAYS}), ((6,), {"copy": np._CopyMode.IF_NEEDED}),
    ((6,), {"copy": []}), ((6,), {"order": np.str_("F")}), ((None,), {"copy": False}),
    ((2, None), {}),
    ((6,), {"copy": False}), ((3, 2), {"copy": False}),
    ((3, 2), {"order": "F", "copy": False}),
    ((2.0, 3), {}), (("6",), {}), ((np.array([2, 3]),), {}), ((np.int16(6),), {}),
    ((-5, 3, -1), {}), ((5, -1, 7), {}), ((-1, 5, 7), {}),
])
def test_reshape_arguments_and_messages(args, kwargs):
    n = np.arange(6.0).reshape(2, 3).T.copy().T  # F-ordered, not C
    a = ac.asarray(n)
    result = same_outcome(lambda: n.reshape(*args, **kwargs),
                          lambda: a.reshape(*args, **kwargs))
    if result is not None:
        assert_same_array(result[1], result[0])


def test_reshape_copy_false_message():
    n = np.arange(6.0).reshape(2, 3).T
    a = ac.arange(6.0).reshape(2, 3).T
    assert_same_error(lambda: n.reshape(6, copy=False),
                      lambda: a.reshape(6, copy=False))
    assert_same_error(lambda: np.reshape(n, 6, copy=False),
                      lambda: ac.reshape(a, 6, copy=False))


@pytest.mark.parametrize("size,shape", [
    (6, (4,)), (6, (4, -1)), (6, (-1, 4)), (6, (-1, 4, -1)), (0, (-1, 0)),
    (0, (2, -1, 0)), (5, (-1, 2, 2)), (6, (-1, -1, 7)), (12, (-7, 5)), (6, (7, -1, -3)),
    (3, (1, 2, 3, 4)), (1, (2,)), (4, (-1, 0, 0))])
def test_size_mismatch_messages(size, shape):
    assert_same_error(lambda: np.empty(size).reshape(shape),
                      lambda: ac.empty(size).reshape(shape))


def test_same_shape_fast_path_keeps_strides():
    n = np.arange(24.0).reshape(2, 3, 4)[:, ::2, ::-1]
    a = ac.arange(24.0).reshape(2, 3, 4)[:, ::2, ::-1]
    for shape in [(2, 2, 4), [2, 2, 4], (np.int64(2), 2, 4)]:
        rn, ra = n.reshape(shape), a.reshape(shape)
        assert ra.strides == rn.strides and ra.base is a.base
    n1 = np.empty((1, 3, 1))[:, :, :]
    a1 = ac.asarray(np.empty((1, 3, 1)))[:, :, :]
    assert a1.reshape(1, 3, 1).strides == a1.strides
    assert n1.reshape(1, 3, 1).strides == n1.strides


# ------------------------------------------------------------------ .shape =

@given(layouts(max_side=4), VIA, st.data())
def test_shape_assignment_matches_numpy(layout, via, data):
    n0, n, a0, a = layout.build(via)
    shape = data.draw(st.sampled_from(shape_candidates(n.size, n.ndim) + [n.shape]))
    if n is n0:
        n, a = n.view(), a.view()
    before = (a.shape, a.strides)
    result = same_outcome(lambda: setattr(n, "shape", shape),
                          lambda: setattr(a, "shape", shape))
    if result is None:
        assert (a.shape, a.strides) == before  # unchanged after an error
    assert_same_array(a, n)


def test_shape_assignment_message_and_unchanged():
    n = np.ones((2, 3)).T.view()
    a = ac.ones((2, 3)).T.view()
    assert_same_error(lambda: setattr(n, "shape", 6), lambda: setattr(a, "shape", 6))
    assert a.shape == (3, 2) and a.strides == (8, 24)
    assert_same_error(lambda: setattr(n, "shape", (4,)),
                      lambda: setattr(a, "shape", (4,)))
    assert_same_error(lambda: delattr(n, "shape"), lambda: delattr(a, "shape"))
    assert a.shape == (3, 2)


def test_shape_assignment_in_place():
    a = ac.arange(12)
    v = a[::2]
    v.shape = (2, 3)
    assert v.strides == (48, 16) and v.base is a
    np.testing.assert_array_equal(np.asarray(v), np.arange(12)[::2].reshape(2, 3))
    v.shape = -1
    assert v.shape == (6,)


# ------------------------------------------------------------------ ravel / flatten

@given(layouts(), VIA, st.sampled_from(["C", "F", "A", "K", None]))
def test_ravel_matches_numpy(layout, via, order):
    compare(layout, via, lambda x, m: x.ravel(order))
    compare(layout, via, lambda x, m: m.ravel(x, order))


@given(layouts(), VIA, st.sampled_from(["C", "F", "A", "K"]))
def test_flatten_always_copies(layout, via, order):
    _, ra = compare(layout, via, lambda x, m: x.flatten(order))
    assert ra.base is None and ra.flags.owndata


@given(layouts(), VIA)
def test_reshape_minus_one(layout, via):
    compare(layout, via, lambda x, m: x.reshape(-1))


@pytest.mark.parametrize("order", ["X", "", 2, "KK"])
def test_ravel_flatten_bad_order(order):
    n, a = np.arange(4.0), ac.arange(4.0)
    assert_same_error(lambda: n.ravel(order), lambda: a.ravel(order))
    assert_same_error(lambda: n.flatten(order), lambda: a.flatten(order))


def test_ravel_k_examples():
    # NumPy's ravel('K'): a view when the strides, sorted, form one
    # contiguous run (length-1 axes ignored, negative strides never).
    cases = [
        Layout((2, 3, 4), np.dtype("f8"), (2, 0, 1), (slice(None),) * 3),
        Layout((2, 3, 4), np.dtype("f8"), (1, 2, 0), (slice(None),) * 3),
        Layout((4, 3), np.dtype("f8"), (1, 0), (slice(None, None, -1), slice(None))),
        Layout((1, 5, 1), np.dtype("i2"), (2, 0, 1), (slice(None),) * 3),
        Layout((3, 4), np.dtype("f8"), (0, 1), (slice(None), slice(None, None, 2))),
    ]
    for layout in cases:
        compare(layout, "array", lambda x, m: x.ravel("K"))


@pytest.mark.parametrize("shapes", [
    [(2, 1, 3, 1, 2), (12,), (2, 2, 3), (1, 2, 1, 2, 1, 3, 1), (3, 4),
     (12, 1, 1, 1, 1)],
    [(12,), (1, 1, 1, 1, 1, 1, 12), (2, 6), (1, 2, 3, 2, 1)],
])
def test_shape_assignment_across_inline_and_heap_metadata(shapes):
    # Arrays keep up to four axes inline and more on the heap: moving
    # between the two in place must keep everything consistent.
    n = np.arange(12.0).reshape(shapes[0])
    a = ac.arange(12.0).reshape(shapes[0])
    for shape in shapes[1:]:
        n.shape = shape
        a.shape = shape
        assert_same_array(a, n)
        assert a.base is not None and np.asarray(a).base is not None


def test_reshape_between_many_dimensions():
    n = np.arange(64.0).reshape((2,) * 6)[::-1, :, ::2]
    a = ac.arange(64.0).reshape((2,) * 6)[::-1, :, ::2]
    for shape in [(2, 2, 8), (4, 8), (2, 2, 2, 2, 2), (32,), (1, 2, 1, 2, 2, 2, 2, 1)]:
        for order in "CF":
            rn, ra = n.reshape(shape, order=order), a.reshape(shape, order=order)
            assert_same_array(ra, rn)
            assert ac.shares_memory(ra, a) == np.shares_memory(rn, n)
