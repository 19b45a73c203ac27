"""The ``_layout`` algorithms on their own, against NumPy's answers."""
import itertools

import numpy as np
import pytest
from _strategies import layouts, same_outcome
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib.array_utils import byte_bounds
from numpy.lib.stride_tricks import as_strided

from array_core import _layout

intp = np.intp
shapes = st.lists(st.integers(0, 5), max_size=5).map(tuple)


def arr(values):
    return np.asarray(values, dtype=intp)


def strided_layouts():
    """(shape, strides, itemsize): any strides, including zero and odd ones."""
    return st.integers(0, 5).flatmap(lambda nd: st.tuples(
        st.lists(st.integers(0, 4), min_size=nd, max_size=nd).map(tuple),
        st.lists(st.integers(-64, 64), min_size=nd, max_size=nd).map(tuple),
        st.sampled_from([1, 2, 4, 8, 16])))


@given(shapes, st.sampled_from([1, 2, 4, 8, 16]))
def test_c_and_f_strides_match_numpy(shape, itemsize):
    # NumPy's _array_fill_strides, as a reshape view of a flat array shows it
    # (a fresh empty allocation instead gets all-zero strides).
    size = int(np.prod(shape))
    flat = np.empty(size + 1, f"V{itemsize}")[:size]
    assert _layout.c_strides(arr(shape), itemsize) == flat.reshape(shape).strides
    assert _layout.f_strides(arr(shape), itemsize) == flat.reshape(
        shape, order="F").strides


@given(strided_layouts())
def test_contiguity_matches_numpy_flags(layout):
    shape, strides, itemsize = layout
    n = as_strided(np.empty(1, f"V{itemsize}"), shape, strides)
    assert _layout.is_c_contiguous(arr(shape), arr(strides), itemsize) == \
        n.flags.c_contiguous
    assert _layout.is_f_contiguous(arr(shape), arr(strides), itemsize) == \
        n.flags.f_contiguous


@given(layouts())
def test_contiguity_of_reachable_layouts(layout):
    n = layout.numpy()
    args = arr(n.shape), arr(n.strides), n.itemsize
    assert _layout.is_c_contiguous(*args) == n.flags.c_contiguous
    assert _layout.is_f_contiguous(*args) == n.flags.f_contiguous


@pytest.mark.parametrize("shape,strides,c,f", [
    ((), (), True, True),
    ((0,), (-8,), True, True),
    ((3, 0, 2), (5, 7, 9), True, True),
    ((1, 1), (3, 99), True, True),
    ((3,), (0,), False, False),
    ((2, 3), (24, 8), True, False),
    ((2, 3), (8, 16), False, True),
    ((2, 1, 3), (24, 0, 8), True, False),
])
def test_contiguity_examples(shape, strides, c, f):
    assert _layout.is_c_contiguous(arr(shape), arr(strides), 8) is c
    assert _layout.is_f_contiguous(arr(shape), arr(strides), 8) is f


def factorisations(size, max_nd=4):
    """Some shapes with ``size`` elements, length-1 axes included."""
    out = [(size,), (size, 1), (1, size)]
    for d in range(2, size + 1):
        if size % d == 0:
            out += [(d, size // d), (size // d, 1, d), (1, d, size // d, 1)]
    if size == 0:
        out += [(0, 3), (2, 0), (1, 0, 1)]
    return [s for s in out if len(s) <= max_nd]


@given(layouts(max_side=4), st.data())
def test_attempt_nocopy_reshape_matches_numpy(layout, data):
    n = layout.numpy()
    newshape = data.draw(st.sampled_from(factorisations(n.size)))
    order = data.draw(st.sampled_from("CF"))
    got = _layout.attempt_nocopy_reshape(arr(n.shape), arr(n.strides),
                                         arr(newshape), order, n.itemsize)
    try:
        view = n.reshape(newshape, order=order, copy=False)
    except ValueError:
        assert got is None
        return
    assert got is not None
    assert len(got) == len(newshape)
    significant = [i for i, d in enumerate(newshape) if d > 1]
    if n.size:
        assert [got[i] for i in significant] == [view.strides[i] for i in significant]


@pytest.mark.parametrize("shape,strides,newshape,order,expected", [
    ((2, 3), (24, 8), (6,), "C", (8,)),
    ((2, 3), (8, 16), (6,), "C", None),
    ((2, 3), (8, 16), (6,), "F", (8,)),
    ((3, 2), (8, 24), (6,), "C", None),
    ((4,), (16,), (2, 2), "C", (32, 16)),
    ((4,), (16,), (2, 2), "F", (16, 32)),
    ((2, 1, 3), (24, 999, 8), (3, 2), "C", (16, 8)),
    ((6,), (-8,), (2, 3), "C", (-24, -8)),
    ((6,), (8,), (6, 1), "C", (8, 8)),
    ((6,), (8,), (6, 1), "F", (8, 48)),
])
def test_attempt_nocopy_reshape_examples(shape, strides, newshape, order, expected):
    assert _layout.attempt_nocopy_reshape(arr(shape), arr(strides), arr(newshape),
                                          order, 8) == expected


def test_attempt_nocopy_reshape_bad_arguments():
    with pytest.raises(ValueError, match="total size of new array must be unchanged"):
        _layout.attempt_nocopy_reshape(arr((2, 3)), arr((24, 8)), arr((5,)), "C")
    with pytest.raises(ValueError, match="order must be 'C' or 'F'"):
        _layout.attempt_nocopy_reshape(arr((6,)), arr((8,)), arr((6,)), "K")
    with pytest.raises(ValueError, match="same length"):
        _layout.attempt_nocopy_reshape(arr((6,)), arr(()), arr((6,)), "C")


@given(layouts())
def test_extent_matches_byte_bounds(layout):
    n = layout.numpy()
    lo, hi = _layout.extent(arr(n.shape), arr(n.strides), n.itemsize)
    if n.size == 0:
        assert (lo, hi) == (0, 0)
        return
    start = n.__array_interface__["data"][0]
    assert (start + lo, start + hi) == byte_bounds(n)


def element_offsets(shape, strides):
    """Byte offsets of the elements in C iteration order."""
    return [sum(i * s for i, s in zip(index, strides, strict=True))
            for index in itertools.product(*[range(d) for d in shape])]


@given(strided_layouts(), st.data())
def test_coalesce_keeps_the_element_order(layout, data):
    shape, strides_a, _ = layout
    strides_b = tuple(data.draw(st.lists(st.sampled_from([0, 8, -8, 24, 72]),
                                         min_size=len(shape), max_size=len(shape))))
    for b in (None, strides_b):
        s, a, bb = _layout.coalesce(arr(shape), arr(strides_a), b)
        if np.prod(shape) == 0:
            assert (s, a) == (shape, strides_a)
            continue
        assert 1 not in s
        assert element_offsets(s, a) == element_offsets(shape, strides_a)
        if b is None:
            assert bb is None
        else:
            assert element_offsets(s, bb) == element_offsets(shape, b)
        # Nothing mergeable is left.
        for i in range(len(s) - 1):
            assert not (a[i] == a[i + 1] * s[i + 1]
                        and (b is None or bb[i] == bb[i + 1] * s[i + 1]))


def test_coalesce_examples():
    assert _layout.coalesce(arr((2, 3, 4)), arr((96, 32, 8))) == ((24,), (8,), None)
    assert _layout.coalesce(arr((2, 3, 4)), arr((96, 32, 8)), (8, 16, 48)) == (
        (2, 3, 4), (96, 32, 8), (8, 16, 48))
    assert _layout.coalesce(arr((1, 5, 1)), arr((0, -8, 3))) == ((5,), (-8,), None)
    assert _layout.coalesce(arr(()), arr(())) == ((), (), None)


NEWSHAPES = [
    6, -1, (6,), (-1,), (2, 3), (2, -1), (-1, 3), [3, 2], (-1, 1, 6),
    (5,), (4, -1), (-1, -1), (-2, 3), (2, -5), (0, -1), (-1, 0), (7, -1),
    (1, -1, 4), (-1, 2, -1), (2, -1, -1), (0,), (), (3, 2, -7), (-1, 5, 2, 2),
    (2**62, 2**62), (2**62, 2**62, 3), (-1, 2**62, 4), (2**63,), 2**63,
    (-2**63,), (True, 3), (2, np.True_), np.array(6), np.array([2, 3]), range(2, 4),
    tuple(range(65)), (1,) * 64, (np.int64(2), np.uint8(3)), np.int32(6),
]


@pytest.mark.parametrize("size", [0, 1, 6, 12])
@pytest.mark.parametrize("newshape", NEWSHAPES, ids=repr)
def test_fix_unknown_dimension_matches_numpy(size, newshape):
    result = same_outcome(lambda: np.empty(size).reshape(newshape).shape,
                          lambda: _layout.fix_unknown_dimension(newshape, size))
    if result is not None:
        assert result[0] == result[1]


@pytest.mark.parametrize("newshape", [
    (2.0, 3), "6", (2, "3"), (None,), 1.5, True, np.True_, [[2, 3]], {6},
    iter([6]), object(), (2.5,) * 65, "x" * 300], ids=lambda v: repr(v)[:20])
def test_fix_unknown_dimension_type_errors(newshape):
    same_outcome(lambda: np.empty(6).reshape(newshape),
                 lambda: _layout.fix_unknown_dimension(newshape, 6))
