"""take, put, compress, where, nonzero and friends, differential against NumPy."""
import numpy as np
import pytest
from _indexing_helpers import indices_scribbled
from _strategies import (
    all_layouts_small,
    assert_same_array,
    layouts,
    same_outcome,
)
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac


def index_cases(n):
    return [[0], [n - 1, 0, -1], [[0, -n]], [n], [-n - 1], [], 0, -1]


def check_new(a, n, sources):
    """``a`` matches ``n`` and is a new array, apart from ``sources``."""
    assert_same_array(a, n)
    assert a.base is None
    for s in sources:
        assert not ac.shares_memory(a, s)


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_take(layout, mode):
    _, n, _, a = layout.build()
    for axis in [None, *range(-n.ndim - 1, n.ndim + 1)]:
        length = n.size if axis is None else (
            n.shape[axis] if -n.ndim <= axis < n.ndim else 1)
        for idx in index_cases(max(length, 1)):
            got = same_outcome(
                lambda idx=idx, axis=axis: np.take(n, idx, axis=axis, mode=mode),
                lambda idx=idx, axis=axis: ac.take(a, idx, axis=axis, mode=mode))
            if got is None:
                continue
            nr, ar = got
            if isinstance(nr, np.ndarray):
                check_new(ar, nr, [a])
                assert_same_array(a.take(idx, axis, None, mode), nr)
            else:
                assert type(ar) is type(nr) and ar == nr


@given(layout=layouts(max_dims=3), data=st.data())
def test_take_hypothesis(layout, data):
    _, n, _, a = layout.build(via=data.draw(st.sampled_from(["array", "asarray"])))
    axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim, max(n.ndim - 1, 0))))
    idx = np.asarray(data.draw(st.lists(st.integers(-6, 6), max_size=4)), dtype=np.intp)
    got = same_outcome(lambda: np.take(n, idx, axis=axis),
                       lambda: ac.take(a, ac.asarray(idx), axis=axis))
    if got is not None:
        check_new(got[1], got[0], [a])


@pytest.mark.parametrize("call", [
    lambda m, x: m.take(x, [1.5]),
    lambda m, x: m.take(x, np.array([1.5])),
    lambda m, x: m.take(x, [1], mode="x"),
    lambda m, x: m.take(x, [1], mode="R"),
    lambda m, x: m.take(x, [1], mode=1),
    lambda m, x: m.take(x, [0], axis=0, out=m.empty(2)),
    lambda m, x: m.take(x[:0], [0], axis=0),
    lambda m, x: m.take(x, [[True]]),
    lambda m, x: m.compress([1, 0, 1, 1], x[0]),
    lambda m, x: m.compress([[1]], x),
    lambda m, x: m.compress([0, 1], x, axis=0),
    lambda m, x: m.compress([0, 1, 1, 0], x[0], axis=None),
    lambda m, x: m.extract(x > 2, x),
    lambda m, x: m.extract([True] * 7, x),
    lambda m, x: m.nonzero(x[0, 0]),
    lambda m, x: m.where(x > 2, x),
    lambda m, x: m.where(x > 2, x[0], -1.5),
    lambda m, x: m.where(x > 2, 1, np.int8(2)),
    lambda m, x: m.where(x > 2, x[:, :2], 0),
    lambda m, x: m.argwhere(x[0, 0]),
    lambda m, x: m.flatnonzero(x.T),
])
def test_selection_calls(call):
    x = np.arange(6.0).reshape(2, 3)
    a = ac.asarray(x.copy())
    got = same_outcome(lambda: call(np, x), lambda: call(ac, a))
    if got is None:
        return
    n, r = got
    if isinstance(n, tuple):
        assert len(r) == len(n)
        for ri, ni in zip(r, n, strict=True):
            assert_same_array(ri, ni)
    elif isinstance(n, np.ndarray):
        assert_same_array(r, n)
    else:
        assert r == n


def test_nonzero_results_are_views_of_one_index_array():
    x = np.array([[0, 1, 2], [3, 0, 5]])
    a = ac.asarray(x)
    for n, r in [(np.nonzero(x), ac.nonzero(a)), (x.nonzero(), a.nonzero()),
                 (np.where(x), ac.where(a))]:
        for ni, ri in zip(n, r, strict=True):
            assert_same_array(ri, ni)
            assert ri.base is r[0].base and ri.base.shape == ni.base.shape
    n, r = np.argwhere(x), ac.argwhere(a)
    assert_same_array(r, n)
    assert r.base.shape == n.base.shape
    assert_same_array(ac.flatnonzero(a), np.flatnonzero(x))
    assert_same_array(ac.argwhere(ac.asarray(7)), np.argwhere(7))


@given(layout=layouts(max_dims=3), data=st.data())
def test_where_and_compress_hypothesis(layout, data):
    _, n, _, a = layout.build()
    mask_n = (np.arange(n.size).reshape(n.shape) % 3) == 1
    mask_a = ac.asarray(mask_n)
    y = data.draw(st.sampled_from([0, -1.5, np.float32(2), True]))
    got = same_outcome(lambda: np.where(mask_n, n, y), lambda: ac.where(mask_a, a, y))
    if got is not None:
        check_new(got[1], got[0], [a])
    if n.ndim:
        cond = list(mask_n.reshape(-1)[: n.shape[0] + 1])
        got = same_outcome(lambda: np.compress(cond, n, axis=0),
                           lambda: ac.compress(cond, a, axis=0))
        if got is not None:
            check_new(got[1], got[0], [a])
            assert_same_array(a.compress(cond, 0), got[0])
    got = same_outcome(lambda: np.extract(mask_n, n), lambda: ac.extract(mask_a, a))
    if got is not None:
        check_new(got[1], got[0], [a])


IN_PLACE = [
    ("put", lambda m, t: m.put(t, [0, -1], [7, 8])),
    ("put", lambda m, t: m.put(t, [0, 9], 7, mode="clip")),
    ("put", lambda m, t: m.put(t, [9], 7)),
    ("place", lambda m, t: m.place(t, t > 2, [7, 8])),
    ("putmask", lambda m, t: m.putmask(t, t > 2, -t)),
    ("copyto", lambda m, t: m.copyto(t, 5)),
    ("copyto", lambda m, t: m.copyto(t, np.arange(3.0))),
    ("copyto", lambda m, t: m.copyto(t, np.arange(3.0), where=[True, False, True])),
    ("copyto", lambda m, t: m.copyto(t, np.arange(2.0))),
    ("copyto", lambda m, t: m.copyto(t, t[None, None, ::-1])),
    ("copyto", lambda m, t: m.copyto(t, t.T)),
    ("copyto", lambda m, t: m.copyto(t, t[None, :1, :2])),
    ("copyto", lambda m, t: m.copyto(t, t[:, None])),
    ("copyto", lambda m, t: m.copyto(t[0], t[:1])),
    ("copyto", lambda m, t: m.copyto(t, np.arange(3), casting="no")),
    ("copyto", lambda m, t: m.copyto(t, 1j)),
    ("copyto", lambda m, t: m.copyto(t, 300)),
]


@pytest.mark.parametrize("dtype", ["float64", "int8"])
@pytest.mark.parametrize("readonly", [False, True])
@pytest.mark.parametrize("name,call", IN_PLACE)
def test_in_place(name, call, dtype, readonly):
    n = np.arange(6).astype(dtype).reshape(2, 3)
    a = ac.asarray(n.copy())
    if readonly:
        n.flags.writeable = False
        a.flags.writeable = False
    same_outcome(lambda: call(np, n), lambda: call(ac, a))
    np.testing.assert_array_equal(np.asarray(a), n)
    if name == "put" and not readonly:
        a.put([1], [42])
        assert a.tolist()[0][1] == 42


@pytest.mark.parametrize("name", ["put", "place", "putmask", "copyto"])
def test_in_place_refuses_non_arrays(name):
    args = {"put": ([0], 1), "place": ([True], [1]), "putmask": ([True], 1),
            "copyto": (1,)}[name]
    same_outcome(lambda: getattr(np, name)([1], *args),
                 lambda: getattr(ac, name)([1], *args))


@given(layout=layouts(max_dims=3), data=st.data())
def test_copyto_kernel_path(layout, data):
    # The kernel path: same dtype, no mask; the source broadcasts or overlaps.
    n0, n, a0, a = layout.build()
    if n.flags.writeable is False:
        return
    src_kind = data.draw(st.sampled_from(["reversed", "row", "self"]))
    if src_kind == "reversed" and n.ndim:
        ns, as_ = n[::-1], a[::-1]
    elif src_kind == "row" and n.ndim:
        ns, as_ = n[..., :1], a[..., :1]
    else:
        ns, as_ = n, a
    same_outcome(lambda: np.copyto(n, ns), lambda: ac.copyto(a, as_))
    np.testing.assert_array_equal(np.asarray(a0), n0)


def test_audit_policy_and_lazy_copies():
    big = ac.arange(10_000.0)
    snapshot = big.copy(lazy=True)
    with ac.copy_audit() as log:
        ac.take(snapshot, [0, 1])
        snapshot.take([3])
        ac.compress([True], snapshot)
        ac.extract(snapshot > 5, snapshot)
        ac.where(snapshot > 5, snapshot, 0)
        ac.nonzero(snapshot)
        ac.argwhere(snapshot)
        ac.flatnonzero(snapshot)
    assert [(r.operation, r.category) for r in log] == [
        ("take", "explicit"), ("take", "explicit"), ("compress", "explicit"),
        ("extract", "explicit"), ("where", "explicit")]
    assert all(r.filename == __file__ for r in log)
    with ac.copy_policy("raise"):
        ac.take(big, [0])
    for write in (lambda s: ac.put(s, [0], 1), lambda s: ac.copyto(s, 2.0),
                  lambda s: ac.copyto(s, s[::-1]), lambda s: ac.place(s, s > 1, 0),
                  lambda s: ac.putmask(s, s > 1, 0)):
        snap = big.copy(lazy=True)
        with ac.copy_audit() as log:
            write(snap)
        assert [r.category for r in log] == ["lazy-materialise"]
        assert float(big[5]) == 5.0


@pytest.mark.parametrize("dtype", ["u1", "i2", "f8", "c16", "V24"])
@pytest.mark.parametrize(("shape", "axis"), [
    ((70_000,), None), ((70_000,), 0), ((9_000, 3), 0), ((3, 9_000), 1),
    ((5, 3_000, 2), 1), ((3, 9_000), None), ((2, 3, 4), 1)])
def test_large_takes_match_numpy(dtype, shape, axis):
    # Results of 64 KiB and more, from sources in the caches (NumPy's loop)
    # and not C-ordered: the same values and errors.
    rng = np.random.default_rng(7)
    n = np.arange(np.prod(shape)).astype(dtype).reshape(shape)
    a = ac.array(n)
    length = n.size if axis is None else n.shape[axis]
    indices = rng.integers(-length, length, 40_000)
    got = np.take(a, indices, axis=axis)
    assert type(got) is ac.ndarray
    np.testing.assert_array_equal(got, np.take(n, indices, axis=axis))
    assert got.flags.c_contiguous and got.flags.owndata
    for view in (a[::-1], a.T):     # not C-ordered: NumPy's loop
        flat = indices % view.size
        np.testing.assert_array_equal(np.take(view, flat),
                                      np.take(np.asarray(view), flat))
    bad = indices.copy()
    bad[30_000] = length
    with pytest.raises(IndexError) as ours:
        np.take(a, bad, axis=axis)
    with pytest.raises(IndexError) as theirs:
        np.take(n, bad, axis=axis)
    assert str(ours.value) == str(theirs.value)


# Takes of 64 KiB or more from C-ordered sources whose axis spans more than
# this (array_core._prefetch.PREFETCH_SPAN) use array_core's own gather.
SPAN = 1 << 25


@pytest.mark.parametrize("row_bytes", [1, 2, 4, 8, 16, 24, 32])
@pytest.mark.parametrize("axis", [0, None])
def test_takes_from_sources_beyond_the_caches_match_numpy(row_bytes, axis):
    rows = SPAN // row_bytes + 1
    n = np.empty((rows, row_bytes), dtype=np.uint8)
    n[...] = np.arange(rows, dtype=np.uint64)[:, None] % 251
    a = ac.array(n)
    length = rows if axis == 0 else n.size
    indices = np.random.default_rng(5).integers(-length, length, 70_000)
    got = np.take(a, indices, axis=axis)
    assert type(got) is ac.ndarray and got.flags.c_contiguous
    np.testing.assert_array_equal(got, np.take(n, indices, axis=axis))
    bad = indices.copy()
    bad[50_000] = -length - 1
    with pytest.raises(IndexError) as ours:
        np.take(a, bad, axis=axis)
    with pytest.raises(IndexError) as theirs:
        np.take(n, bad, axis=axis)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("axis", [0, 1, None])
def test_native_takes_name_numpys_first_bad_index(axis):
    # Checked as the rows are gathered: the first bad index in index order,
    # whichever other bad ones follow, for outer blocks too (axis=1).
    n = np.arange(float(2 * (SPAN // 8 + 1))).reshape(2, -1)
    if axis == 0:
        n = n.reshape(-1, 2)
    a = ac.array(n)
    length = n.size if axis is None else n.shape[axis]
    rng = np.random.default_rng(8)
    indices = rng.integers(-length, length, 20_000)
    for places, values in (([0], [length]), ([19_999], [-length - 1]),
                           ([7, 3], [2**62, -(2**62)]),
                           ([500, 9], [length, length + 1])):
        bad = indices.copy()
        bad[places] = values
        with pytest.raises(IndexError) as ours:
            np.take(a, bad, axis=axis)
        with pytest.raises(IndexError) as theirs:
            np.take(n, bad, axis=axis)
        assert str(ours.value) == str(theirs.value)


def test_a_native_take_stopped_by_an_index_is_no_copy_to_policy_or_audit():
    a = ac.arange(float(SPAN // 8 + 1))
    bad = np.zeros(20_000, dtype=np.intp)
    bad[-1] = a.size
    with ac.copy_audit() as log:
        with pytest.raises(IndexError, match=f"^index {a.size} is out of bounds"):
            np.take(a, bad)
        assert np.take(a, bad[:-1]).shape == (bad.size - 1,)
    assert len(log) == 1 and log[0].operation == "take"


def test_large_take_while_another_thread_writes_the_indices():
    # The gather runs without the GIL: indices made out of bounds meanwhile
    # give an IndexError (or the old result), never a read out of bounds.
    a = ac.arange(float(SPAN // 8 + 1))   # past the span of native gathers
    indices = np.zeros(40_000, dtype=np.intp)
    with indices_scribbled(indices):
        for _ in range(300):
            try:
                got = np.take(a, indices)
            except IndexError:
                continue
            assert got.shape == (40_000,)
