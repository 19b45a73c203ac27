"""repeat, tile, resize (function and method), differential against NumPy."""
import numpy as np
import pytest
from _strategies import all_layouts_small, assert_same_array, layouts, same_outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
def test_repeat(layout):
    _, n, _, a = layout.build()
    for axis in [None, *range(-n.ndim - 1, n.ndim + 1)]:
        length = n.size if axis is None else (
            n.shape[axis] if -n.ndim <= axis < n.ndim else 1)
        for reps in [0, 2, [3], list(range(length)), [1, 2], -1, [-1] * length, 1.5]:
            got = same_outcome(
                lambda reps=reps, axis=axis: np.repeat(n, reps, axis=axis),
                lambda reps=reps, axis=axis: ac.repeat(a, reps, axis=axis))
            if got is not None:
                assert_same_array(got[1], got[0])
                assert got[1].base is None and not ac.shares_memory(got[1], a)
                assert_same_array(a.repeat(reps, axis), got[0])


@given(layout=layouts(max_dims=3), data=st.data())
def test_tile_and_resize(layout, data):
    _, n, _, a = layout.build(via=data.draw(st.sampled_from(["array", "asarray"])))
    reps = data.draw(st.one_of(st.integers(0, 3),
                               st.lists(st.integers(0, 3), max_size=4).map(tuple)))
    got = same_outcome(lambda: np.tile(n, reps), lambda: ac.tile(a, reps))
    if got is not None:
        assert_same_array(got[1], got[0], flags=got[0].size > 0)
        assert (got[1].base is None) == (got[0].base is None)
        if got[0].size:
            assert not ac.shares_memory(got[1], a)
    shape = data.draw(st.one_of(st.integers(0, 7),
                                st.lists(st.integers(-1, 4), max_size=3).map(tuple)))
    got = same_outcome(lambda: np.resize(n, shape), lambda: ac.resize(a, shape))
    if got is not None:
        assert_same_array(got[1], got[0])
        assert (got[1].base is None) == (got[0].base is None)


def test_repeat_and_tile_audit():
    a = ac.arange(4.0).reshape(2, 2).T
    with ac.copy_audit() as log:
        ac.repeat(a, 2)
        ac.tile(a, 2)
        ac.resize(a, 6)
    assert [(r.operation, r.category, r.nbytes) for r in log] == [
        ("repeat", "explicit", 64), ("tile", "explicit", 64),
        ("resize", "explicit", 64)]
    assert all(r.filename == __file__ for r in log)
    snapshot = ac.arange(1000.0).copy(lazy=True)
    with ac.copy_audit() as log:
        ac.repeat(snapshot, [2] * 1000)
        ac.tile(snapshot, 2)
        ac.resize(snapshot, 3000)
    assert "lazy-materialise" not in [r.category for r in log]


def method_case(shape, *args, **kwargs):
    n = np.arange(int(np.prod(shape)), dtype=np.int16).reshape(shape).copy()
    a = ac.array(n)
    a_result = ac.ndarray.resize(a, *args, **kwargs)
    n_result = n.resize(*args, **kwargs)
    assert a_result is n_result is None
    assert_same_array(a, n)
    return a


@pytest.mark.parametrize("args", [(6,), ((2, 3),), (2, 3), (0,), ((2, 0),), (),
                                  (None,), (4,), ((1, 4, 1),), (1, 1, 1, 1, 1, 2)])
def test_resize_method(args):
    method_case((4,), *args)
    method_case((2, 2), *args, refcheck=False)


def test_resize_method_refusals():
    a = ac.arange(4)
    view = a[1:]
    with pytest.raises(ValueError, match="referenced"):
        a.resize(6)
    with pytest.raises(ValueError, match="does not own its data"):
        view.resize(2)
    a.resize(6, refcheck=False)  # the view keeps the old memory alive
    assert view.tolist() == [1, 2, 3] and a.tolist() == [0, 1, 2, 3, 0, 0]
    t = ac.arange(6).reshape(2, 3).T.copy(order="F")
    with pytest.raises(ValueError, match="single-segment"):
        t.resize(7, refcheck=False)
    b = ac.arange(4)
    exported = memoryview(b)
    with pytest.raises(ValueError, match="exported buffers"):
        b.resize(8, refcheck=False)
    exported.release()
    with pytest.raises(ValueError, match="negative dimensions not allowed"):
        b.resize(-1)
    with pytest.raises(TypeError, match="expected a sequence of integers"):
        b.resize(2.5)
    lazy = ac.arange(4.0)
    snapshot = lazy.copy(lazy=True)
    lazy.resize(2)
    assert snapshot.tolist() == [0.0, 1.0, 2.0, 3.0] and lazy.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("call", [
    lambda m, x: m.repeat(x, 2**62),
    lambda m, x: m.repeat(x, 2**63),
    lambda m, x: m.repeat(x, [2**62] * 3),
    lambda m, x: m.repeat(x, 2**61, axis=0),
    lambda m, x: m.tile(x, 2**62),
])
def test_huge_counts_fail_as_numpy(call):
    x = np.arange(3)
    same_outcome(lambda: call(np, x), lambda: call(ac, ac.asarray(x)))


@pytest.mark.parametrize("shape", [(2, 0), (0,), (3,), (2, 3), ()])
@pytest.mark.parametrize("reps", [(1, 1, 0), (1, 0), (2, 1, 1), (1, 1, 1), (1,),
                                  (1, 2, 1, 1)])
def test_tile_prepends_axes_as_ndmin_does(shape, reps):
    """NumPy's tile prepends axes with array(A, ndmin=d), whose strides (all
    zero for an empty array) differ from a reshape's."""
    n = np.zeros(shape, bool)
    for source in (n, n.tolist()):
        want = np.tile(source, reps)
        got = ac.tile(ac.asarray(n) if source is n else source, reps)
        assert (got.shape, got.strides) == (want.shape, want.strides)
