"""NumPy functions on array_core arrays: ``__array_function__`` (NEP 18).

NumPy is the oracle: each function runs on a NumPy array and on an
array_core array holding the same data in the same layout, and the results
must agree (type aside: array_core in, array_core out).  Unregistered
functions run NumPy's own code on read-only views, so reads never
materialise a lazy copy; ``out=`` and the in-place functions write, once.
"""
import warnings

import numpy as np
import pytest
from _strategies import all_layouts_small, assert_same_error, layouts, same_outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac
from array_core._dispatch import WRITTEN_ARGUMENTS, array_function
from array_core._registry import IMPLEMENTATIONS

LAYOUTS = all_layouts_small()
LAYOUT_IDS = [f"{lay.base_shape}-{lay.axes}-{lay.dtype}" for lay in LAYOUTS]


def as_numpy(x):
    """A result tree with array_core arrays as NumPy arrays (for comparing)."""
    if isinstance(x, ac.ndarray):
        return np.asarray(x)
    if isinstance(x, (list, tuple)):
        return [as_numpy(item) for item in x]
    return x


def assert_same_result(got, expected):
    """``got`` (from array_core inputs) is ``expected`` (from NumPy's), typed."""
    if type(expected) is np.ndarray:
        assert type(got) is ac.ndarray, type(got)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(np.asarray(got), expected, strict=True)
    elif isinstance(expected, (list, tuple)):
        assert type(got) is type(expected), (type(got), type(expected))
        assert len(got) == len(expected)
        for g, e in zip(got, expected, strict=True):
            assert_same_result(g, e)
    else:
        assert type(got) is type(expected), (type(got), type(expected))
        if isinstance(expected, (float, complex, np.inexact)) and expected != expected:
            assert got != got
        else:
            assert got == expected


def lazy_materialisations(log):
    return [r for r in log if r.category == "lazy-materialise"]


# Delegated (NumPy's code on read-only views), one argument.
READS = {
    "sum": np.sum, "mean": np.mean, "std": np.std, "var": np.var,
    "median": np.median, "sort": np.sort, "argsort": np.argsort,
    "cumsum": np.cumsum, "unique": np.unique, "diff": lambda x: np.diff(x, axis=-1)
    if x.ndim else np.diff(np.atleast_1d(x)), "amax": lambda x: np.max(x)
    if x.size else np.max(x, initial=-1.0), "nonzero": np.count_nonzero,
    "isnan": lambda x: np.any(np.isnan(x)), "around": np.round,
    "ptp": lambda x: np.ptp(x) if x.size else 0.0, "trim_zeros": lambda x:
    np.trim_zeros(np.ravel(x)), "argwhere": np.argwhere,
    "allclose": lambda x: np.allclose(x, x), "percentile": lambda x:
    np.percentile(x, 50) if x.size else 0.0, "histogram": lambda x:
    np.histogram(x, bins=3, range=(0, 10)), "meshgrid": lambda x:
    np.meshgrid(np.ravel(x), np.ravel(x)[:2]), "tensordot": lambda x:
    np.tensordot(x, x, axes=x.ndim), "linalg_norm": np.linalg.norm,
}


@pytest.mark.parametrize("name", sorted(READS))
@pytest.mark.parametrize("layout", LAYOUTS, ids=LAYOUT_IDS)
def test_delegated_functions_match_numpy_and_keep_the_type(name, layout):
    func = READS[name]
    n0, n, a0, a = layout.build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mean of empty, ...
        outcome = same_outcome(lambda: func(n), lambda: func(a))
    if outcome is not None:
        assert_same_result(*outcome[::-1])


@given(layouts(max_dims=3), st.sampled_from(["cumsum", "sort", "sum", "around"]))
def test_delegated_functions_on_any_layout(layout, name):
    n0, n, a0, a = layout.build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow in sums
        outcome = same_outcome(lambda: READS[name](n), lambda: READS[name](a))
    if outcome is not None:
        assert_same_result(*outcome[::-1])


def test_scalars_stay_numpy_scalars():
    a = ac.arange(6.0).reshape(2, 3)
    assert type(np.sum(a)) is np.float64
    assert type(np.mean(a, axis=0)) is ac.ndarray
    assert type(np.argmax(a)) is np.intp
    assert type(np.allclose(a, a)) is bool


def test_named_tuples_and_lists_keep_their_type():
    a = ac.asarray(np.arange(9.0).reshape(3, 3) + np.eye(3))
    svd = np.linalg.svd(a)
    assert type(svd) is type(np.linalg.svd(np.eye(2)))
    assert all(type(x) is ac.ndarray for x in svd)
    np.testing.assert_allclose(np.asarray(svd.S), np.linalg.svd(np.asarray(a)).S)
    unique = np.unique_counts(ac.asarray([3, 1, 3]))
    assert type(unique).__name__ == "UniqueCountsResult"
    assert unique.counts.tolist() == [1, 2]


def test_a_result_in_an_input_s_memory_is_a_view_of_it():
    x = ac.arange(8.0)
    x[:2] = 0
    n = np.asarray(x).copy()
    t = np.trim_zeros(x)          # NumPy returns a slice of its input
    expected = np.trim_zeros(n)
    assert type(t) is ac.ndarray and ac.shares_memory(t, x)
    assert t.base is x and expected.base is n
    assert t.strides == expected.strides and t.shape == expected.shape
    assert not t.flags.writeable    # NumPy read it through a read-only view
    x[5] = 50.0                     # the view follows its input
    assert t[3] == 50.0


def test_an_input_returned_by_numpy_comes_back_as_itself():
    a = ac.arange(3.0)
    n = np.arange(2.0)
    assert np.atleast_1d(a) is a
    first, second = np.atleast_1d(n, a)
    assert second is a
    assert type(first) is ac.ndarray and first.base is n


class Foreign:
    """Another library's array: its override must win over array_core's."""

    def __array_function__(self, func, types, args, kwargs):
        return ("foreign", func.__name__)


def test_unknown_types_give_not_implemented():
    a = ac.ones(3)
    assert a.__array_function__(np.sum, (ac.ndarray, Foreign), (a,), {}) is (
        NotImplemented)
    assert array_function(np.sum, (Foreign,), (a,), {}) is NotImplemented
    assert np.concatenate([a, Foreign()]) == ("foreign", "concatenate")
    assert np.sum(a) == 3.0


def test_numpy_subclasses_are_accepted():
    a = ac.ones(3)
    m = np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0])
    assert a.__array_function__(np.sum, (ac.ndarray, np.ma.MaskedArray), (a,), {}
                                ) == 3.0
    assert float(np.ma.sum(m)) == 4.0


def test_registered_implementations_are_called_with_numpy_s_arguments():
    calls = []

    def fake(*args, **kwargs):
        calls.append((args, kwargs))
        return "registered"

    saved = IMPLEMENTATIONS.get(np.resize)
    IMPLEMENTATIONS[np.resize] = fake
    try:
        a = ac.ones(3)
        assert np.resize(a, new_shape=(2,)) == "registered"
        assert calls == [((a,), {"new_shape": (2,)})]
    finally:
        if saved is None:
            del IMPLEMENTATIONS[np.resize]
        else:
            IMPLEMENTATIONS[np.resize] = saved


# ------------------------------------------------------------------ out=

def test_out_keyword_and_positional_write_in_place():
    a = ac.arange(6.0).reshape(2, 3)
    n = np.asarray(a).copy()
    o = ac.zeros(3)
    assert np.sum(a, axis=0, out=o) is o
    np.testing.assert_array_equal(np.asarray(o), np.sum(n, axis=0))
    o2 = ac.zeros(3)
    assert np.cumsum(a[0], 0, None, o2) is o2     # out given by position
    assert o2.tolist() == [0.0, 1.0, 3.0]
    numpy_out = np.zeros(3)
    assert np.mean(a, axis=0, out=numpy_out) is numpy_out
    o3 = ac.zeros((2, 3))
    assert np.clip(a, 1, 4, out=o3) is o3
    assert o3.tolist() == np.clip(n, 1, 4).tolist()


def test_read_only_out_raises_numpy_s_error():
    a = ac.arange(3.0)
    o = ac.zeros(3)
    o.flags.writeable = False
    n_out = np.zeros(3)
    n_out.flags.writeable = False
    assert_same_error(lambda: np.cumsum(np.arange(3.0), out=n_out),
                      lambda: np.cumsum(a, out=o))


# ------------------------------------------------------------------ in place

IN_PLACE = {
    "copyto": (lambda x: np.copyto(x, 7.0), None),
    "copyto_keywords": (lambda x: np.copyto(dst=x, src=7.0), None),
    "put": (lambda x: np.put(x, [0, 2], [8.0, 9.0]), None),
    "place": (lambda x: np.place(x, x > 2, [5.0]), None),
    "putmask": (lambda x: np.putmask(x, x > 2, -1.0), None),
    "fill_diagonal": (lambda x: np.fill_diagonal(x, 3.0), None),
    "put_along_axis": (lambda x: np.put_along_axis(
        x, np.array([[0], [1], [2]]), 4.0, axis=1), None),
    "nan_to_num": (lambda x: np.nan_to_num(x, copy=False), "self"),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_functions_write_through(name):
    func, returns = IN_PLACE[name]
    base = np.arange(9.0).reshape(3, 3)
    base[1, 1] = np.nan
    n = base.copy()
    a = ac.array(base)
    expected = func(n)
    got = func(a)
    if returns == "self":
        assert got is a and expected is n
    else:
        assert got is None and expected is None
    np.testing.assert_array_equal(np.asarray(a), n)


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_functions_on_read_only_arrays_raise_numpy_s_error(name):
    func = IN_PLACE[name][0]
    n = np.arange(9.0).reshape(3, 3)
    a = ac.array(n)
    n.flags.writeable = False
    a.flags.writeable = False
    assert_same_error(lambda: func(n), lambda: func(a))
    assert np.asarray(a).tolist() == n.tolist()


def test_nan_to_num_with_copy_reads_only():
    a = ac.asarray([1.0, np.nan])
    c = a.copy(lazy=True)
    with ac.copy_audit() as log:
        r = np.nan_to_num(c)
    assert not lazy_materialisations(log)
    assert r.tolist() == [1.0, 0.0] and np.isnan(c[1])


def test_the_written_table_names_numpy_functions():
    for func, (position, keyword, _request) in WRITTEN_ARGUMENTS.items():
        import inspect
        parameters = list(inspect.signature(func).parameters)
        assert parameters[position] == keyword, func


# ------------------------------------------------------------------ lazy copies

LAZY_READS = {
    "mean": np.mean, "std": np.std, "dot": lambda c: np.dot(c, c.T),
    "median": np.median, "sort": np.sort, "unique": np.unique,
    "linalg_norm": np.linalg.norm, "ufunc": lambda c: np.add(c, 1),
    "reduce": np.add.reduce, "where": lambda c: np.where(c > 2),
    "repr": repr, "tolist": lambda c: c.tolist(),
}


@pytest.mark.parametrize("name", sorted(LAZY_READS))
def test_reading_a_lazy_copy_through_numpy_never_materialises_it(name):
    x = ac.arange(12.0).reshape(3, 4)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        LAZY_READS[name](c)
        LAZY_READS[name](x)
    assert not lazy_materialisations(log), log
    x[0, 0] = -1.0                  # both sides still copy-on-write
    assert c[0, 0] == 0.0


def test_assert_array_equal_on_a_lazy_copy_does_not_materialise_it():
    x = ac.arange(4.0)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        np.testing.assert_array_equal(c, np.arange(4.0))
        np.testing.assert_allclose(x, np.arange(4.0))
    assert not lazy_materialisations(log)
    x[0] = 9.0
    assert c[0] == 0.0


def test_numpy_holding_both_sides_of_a_lazy_copy_at_once_copies_one():
    # Both NumPy arrays would point at one memory, and a later write to
    # either side must show in its own export only: the second export moves
    # its side first (README: lazy copies).
    x = ac.arange(4.0)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        np.testing.assert_array_equal(c, x)
    assert len(lazy_materialisations(log)) == 1
    x[0] = 9.0
    assert c[0] == 0.0


@pytest.mark.parametrize("write", [
    lambda c, x: np.copyto(c, 1.0),
    lambda c, x: np.put(c, [0], [5.0]),
    lambda c, x: np.sum(x, axis=0, out=c[0]),
    lambda c, x: np.add(x, 1, out=c),
    lambda c, x: np.cumsum(x, axis=1, out=c),
], ids=["copyto", "put", "out-view", "ufunc-out", "cumsum-out"])
def test_writing_a_lazy_copy_through_numpy_materialises_it_once(write):
    x = ac.arange(12.0).reshape(3, 4)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        write(c, x)
        write(c, x)
    records = lazy_materialisations(log)
    assert len(records) == 1
    assert records[0].filename == __file__
    assert x.tolist() == np.arange(12.0).reshape(3, 4).tolist()


# ------------------------------------------------------------------ copy control

@pytest.fixture
def registered_ravel():
    """np.ravel run by array_core's own ravel (which copies through the choke
    point), as the views family registers it."""
    saved = IMPLEMENTATIONS.get(np.ravel)
    IMPLEMENTATIONS[np.ravel] = ac.ravel
    yield
    if saved is None:
        del IMPLEMENTATIONS[np.ravel]
    else:
        IMPLEMENTATIONS[np.ravel] = saved


def test_copies_through_dispatch_are_audited_at_the_caller(registered_ravel):
    x = ac.ones((3, 4)).T
    with ac.copy_audit() as log:
        np.ravel(x); line = __import__("inspect").currentframe().f_lineno  # noqa: E702
    assert [(r.operation, r.category) for r in log] == [("ravel", "implicit")]
    assert (log[0].filename, log[0].lineno) == (__file__, line)


def test_copy_policy_sees_copies_through_dispatch(registered_ravel):
    x = ac.ones((3, 4)).T
    with ac.copy_policy("raise"), pytest.raises(ac.CopyError):
        np.ravel(x)
    with ac.copy_policy("warn"), pytest.warns(ac.CopyWarning) as record:
        np.ravel(x)
    assert record[0].filename == __file__
    with ac.copy_policy("raise"):
        np.ravel(x.T)  # a view: nothing to refuse


def test_audit_caller_skips_numpy_s_python_code():
    x = ac.arange(4.0)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        np.nan_to_num(c, copy=False)  # NumPy's Python code writes, after us
    assert [r.filename for r in lazy_materialisations(log)] == [__file__]


# ------------------------------------------------------------------ ufuncs

def test_ufunc_where_and_out_tuples():
    a = ac.arange(6.0)
    n = np.arange(6.0)
    o = ac.full(6, -1.0)
    r = np.add(a, 10, out=o, where=a > 2)
    assert r is o and o.tolist() == [-1, -1, -1, 13, 14, 15]
    q, m = ac.zeros(6), ac.zeros(6)
    r = np.divmod(a, 4, out=(q, m))
    assert r[0] is q and r[1] is m
    assert q.tolist() == (n // 4).tolist() and m.tolist() == (n % 4).tolist()
    r = np.add(a, 1, where=ac.asarray(n > 2), out=(o,))
    assert r is o


def test_ufunc_methods():
    a = ac.arange(6.0)
    n = np.arange(6.0)
    for got, expected in [
        (np.add.reduce(a), np.add.reduce(n)),
        (np.add.accumulate(a), np.add.accumulate(n)),
        (np.multiply.outer(a[:3], a[:2]), np.multiply.outer(n[:3], n[:2])),
        (np.add.reduceat(a, [0, 2, 4]), np.add.reduceat(n, [0, 2, 4])),
        (np.maximum.reduce(a.reshape(2, 3), axis=1, keepdims=True),
         np.maximum.reduce(n.reshape(2, 3), axis=1, keepdims=True)),
    ]:
        assert_same_result(got, expected)
    b = ac.zeros(4)
    np.add.at(b, ac.asarray([0, 0, 3]), 1.0)
    assert b.tolist() == [2.0, 0.0, 0.0, 1.0]
    o = ac.zeros(6)
    assert np.add.accumulate(a, out=o) is o
    c = b.copy(lazy=True)
    with ac.copy_audit() as log:
        np.add.at(c, [1], 5.0)
    assert len(lazy_materialisations(log)) == 1 and b[1] == 0.0


# ------------------------------------------------------------------ NumPy views

@pytest.mark.parametrize("layout", LAYOUTS, ids=LAYOUT_IDS)
def test_numpy_read_views_are_exact(layout):
    n0, n, a0, a = layout.build()
    assert repr(a) == repr(n)
    assert_same_result(np.add(a, 0), np.add(n, 0))
    assert_same_result(np.sum(a, axis=None, keepdims=True),
                       np.sum(n, axis=None, keepdims=True))
    if n.dtype.kind != "c":
        assert np.real(a) is a        # NumPy returns a real input itself


@pytest.mark.parametrize("dtype", [">i4", "<U3", "S2", "M8[s]", "m8[ms]",
                                   [("a", "<i2"), ("b", ">f8")], "V3", "c8"])
def test_numpy_read_views_keep_every_dtype(dtype):
    n = np.zeros(4, dtype)
    a = ac.array(n)
    assert np.atleast_1d(a) is a
    r = np.flip(a)                    # delegated today, or views' own
    assert r.dtype == n.dtype and np.flip(n).tobytes() == np.asarray(r).tobytes()


def test_object_results_stay_numpy_arrays():
    a = ac.arange(3.0)
    r = np.frompyfunc(lambda v: v * 2, 1, 1)(a)   # array_core holds no objects
    assert type(r) is np.ndarray and r.dtype == object
    assert r.tolist() == [0.0, 2.0, 4.0]


# np.sort is native: a copy through the choke point, then NumPy's in-place sort.
@pytest.mark.parametrize("kwargs", [
    {}, {"axis": None}, {"axis": 0}, {"axis": -2}, {"axis": 5},
    {"kind": "stable"}, {"stable": True}, {"kind": "nope"}, {"axis": 1.5},
], ids=repr)
@pytest.mark.parametrize("layout", LAYOUTS, ids=LAYOUT_IDS)
def test_np_sort_matches_numpy_values_layout_and_errors(layout, kwargs):
    n0, n, a0, a = layout.build()
    outcome = same_outcome(lambda: np.sort(n, **kwargs), lambda: np.sort(a, **kwargs))
    if outcome is None:
        return
    expected, got = outcome
    assert_same_result(got, expected)
    assert got.strides == expected.strides and got.flags.owndata
    assert not ac.shares_memory(got, a)


def test_np_sort_of_a_structured_array_by_field():
    n = np.array([(2, 1.0), (1, 3.0), (2, 0.5)], dtype=[("k", "i4"), ("v", "f8")])
    a = ac.asarray(n)
    expected = np.sort(n, order=["k", "v"])
    assert np.sort(a, order=["k", "v"]).tolist() == expected.tolist()


def test_np_sort_copies_explicitly_and_reads_a_lazy_copy_without_copying_it():
    x = ac.asarray([3.0, 1.0, 2.0])
    c = x.copy(lazy=True)
    with ac.copy_policy("raise"), ac.copy_audit() as log:
        result = np.sort(c)
    assert result.tolist() == [1.0, 2.0, 3.0] and c.tolist() == [3.0, 1.0, 2.0]
    assert [(r.operation, r.category) for r in log] == [("sort", "explicit")]


@pytest.mark.parametrize("kwargs", [
    {}, {"axis": 0}, {"axis": -1}, {"axis": (0, 1)}, {"axis": None},
    {"dtype": np.float32}, {"axis": 0, "keepdims": True}, {"initial": 5},
    {"where": False}, {"axis": 3}, {"dtype": "nope"},
], ids=repr)
@pytest.mark.parametrize("layout", LAYOUTS, ids=LAYOUT_IDS)
def test_np_sum_matches_numpy(layout, kwargs):
    n0, n, a0, a = layout.build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        outcome = same_outcome(lambda: np.sum(n, **kwargs), lambda: np.sum(a, **kwargs))
    if outcome is not None:
        assert_same_result(*outcome[::-1])


def test_np_sum_out_writes_the_array_core_out():
    a = ac.arange(6.0).reshape(2, 3)
    out = ac.zeros(3)
    assert np.sum(a, axis=0, out=out) is out
    assert out.tolist() == [3.0, 5.0, 7.0]
