"""The ndarray methods of _methods.pyx, differential against NumPy.

Compute methods (reductions, cumulative sums, rounding, clipping, sorting,
searching), the methods that write (sort, partition, byteswap, setfield),
the dtype setter, and the rest of NumPy's method surface.  Each is checked
for results, layout, errors and messages against NumPy, for ``out=`` being
written in place, and for lazy copies: reads never materialise one, a write
materialises it exactly once.
"""
import copy
import ctypes
import io
import pickle

import numpy as np
import pytest
from _strategies import (
    DTYPES,
    Layout,
    all_layouts_small,
    assert_same_array,
    assert_same_error,
    layouts,
    outcome,
    same_outcome,
)
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

# ------------------------------------------------------------ coverage

# Public names of numpy.ndarray that array_core.ndarray lacks, and why.  The
# "pending" ones are planned (DESIGN.md) and not built yet.
MISSING = {
    "__dlpack__": "pending: DLPack, memory outside the process (DESIGN)",
    "__dlpack_device__": "pending: DLPack, memory outside the process (DESIGN)",
    # NumPy reads __array_struct__ before __array_interface__, and its struct
    # cannot carry datetime units, titles or aligned structs: array_core
    # exports through the buffer protocol and __array_interface__ only.
    "__array_struct__": "refused: it would lose dtype details in np.asarray",
    # array_core pickles through __reduce__ (a NumPy copy, _from_pickle);
    # setting an existing array's memory from a pickle is not supported.
    "__setstate__": "refused: arrays are unpickled by __reduce__",
}


def test_every_public_name_of_numpy_ndarray_exists_or_has_a_reason():
    missing = sorted(name for name in dir(np.ndarray)
                     if not hasattr(ac.ndarray, name) and name not in MISSING)
    assert missing == []


def test_names_refused_on_purpose_are_still_missing():
    # A reason that no longer holds is removed from MISSING.
    stale = sorted(name for name in MISSING if hasattr(ac.ndarray, name))
    assert stale == []
    assert all(hasattr(np.ndarray, name) for name in MISSING)


# ------------------------------------------------------------ helpers

def assert_same_result(a, n):
    """``a`` (array_core's result) is ``n`` (NumPy's) translated."""
    if isinstance(n, np.ndarray):
        assert_same_array(a, n)
    elif isinstance(n, tuple):
        assert type(a) is tuple and len(a) == len(n)
        for x, y in zip(a, n, strict=True):
            assert_same_result(x, y)
    else:
        assert type(a) is type(n), (type(a), type(n))
        np.testing.assert_array_equal(a, n, strict=True)


def check_method(layout, name, args=(), kwargs=None):
    kwargs = kwargs or {}
    _, n, _, a = layout.build()
    results = same_outcome(lambda: getattr(n, name)(*args, **kwargs),
                           lambda: getattr(a, name)(*args, **kwargs))
    if results is not None:
        assert_same_result(results[1], results[0])


# method, args, kwargs: reads that return a new array or a scalar
READS = [
    ("sum", (), {}), ("sum", (0,), {}), ("sum", (), {"axis": -1, "keepdims": True}),
    ("sum", (None, np.float32), {}), ("sum", (), {"initial": 2}),
    ("prod", (), {}), ("prod", (-1,), {"dtype": np.int64}),
    ("mean", (), {}), ("mean", (0,), {}), ("mean", (), {"keepdims": True}),
    ("std", (), {}), ("std", (), {"ddof": 1, "axis": 0}),
    ("var", (-1,), {}), ("var", (), {"correction": 1}),
    ("min", (), {}), ("max", (0,), {}), ("max", (), {"initial": 3}),
    ("min", (), {"axis": (0, -1)}),
    # the axis-only fast paths, and their edges (NumPy's own errors)
    ("sum", (), {"axis": 0, "dtype": np.float32}), ("sum", (-1, None), {}),
    ("sum", (0,), {"dtype": np.int8}), ("sum", (0,), {"axis": 0}),
    ("sum", (0, None), {"dtype": None}), ("sum", (7,), {}),
    ("prod", (), {"axis": (0,)}), ("max", (), {"axis": -1}), ("min", (0,), {}),
    ("max", (0,), {"axis": 0}), ("min", (None, None), {}),
    ("max", (), {"dtype": np.float32}),
    ("argmin", (), {}), ("argmax", (-1,), {}), ("argmax", (0,), {"keepdims": True}),
    ("any", (), {}), ("all", (0,), {}), ("any", (), {"keepdims": True}),
    ("any", (0, None), {}),  # NumPy forwards its second positional as dtype
    ("cumsum", (), {}), ("cumsum", (0,), {}), ("cumprod", (-1, np.float64), {}),
    ("round", (), {}), ("round", (1,), {}), ("round", (-1,), {}),
    ("clip", (1, 3), {}), ("clip", (), {"max": 2}), ("clip", (), {}),
    ("conj", (), {}), ("conjugate", (), {}),
    ("trace", (), {}), ("trace", (1, -1, 0), {}),
    ("argsort", (), {}), ("argsort", (0,), {"stable": True}),
    ("argpartition", (0,), {}), ("argpartition", (1, 0), {}),
    ("searchsorted", (3,), {}), ("searchsorted", ([1, 4],), {"side": "right"}),
    ("dot", (2.0,), {}),
    ("sum", (), {"bogus": 1}), ("argmax", (), {"bogus": 1}),
    ("sum", (5,), {}), ("round", ("x",), {}), ("clip", (), {"out": [1]}),
]


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
@pytest.mark.parametrize(("name", "args", "kwargs"), READS,
                         ids=[f"{m}{a}{k}" for m, a, k in READS])
def test_read_methods_match_numpy(layout, name, args, kwargs):
    check_method(layout, name, args, kwargs)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", ["sum", "prod", "mean", "std", "var", "min",
                                  "max", "argmin", "argmax", "any", "all",
                                  "cumsum", "cumprod", "round", "conj", "trace",
                                  "argsort", "clip"])
def test_read_methods_over_dtypes(dtype, name):
    layout = Layout((3, 4), dtype, (1, 0), (slice(None, None, -1), slice(None)))
    check_method(layout, name, (1, 2) if name == "clip" else ())


@given(layouts(max_dims=3),
       st.sampled_from(READS[:40]))
def test_read_methods_on_any_layout(layout, call):
    check_method(layout, *call)


def test_conj_of_a_real_array_is_the_array_itself():
    a = ac.arange(3.0)
    assert a.conj() is a and a.conjugate() is a
    c = ac.array([1 + 2j])
    assert c.conj() is not c and c.conj()[0] == 1 - 2j


def test_dot_and_choose_read_array_core_arguments():
    n = np.arange(6.0).reshape(2, 3)
    a = ac.array(n)
    assert_same_array(a.dot(a.T), n.dot(n.T))
    idx = ac.array([0, 1, 0])
    choices = [ac.arange(3), ac.arange(3) + 10]
    assert_same_array(idx.choose(choices),
                      np.array([0, 1, 0]).choose([np.arange(3), np.arange(3) + 10]))
    assert_same_array(a.clip(ac.zeros(3) + 1, ac.full(3, 4.0)),
                      n.clip(np.zeros(3) + 1, np.full(3, 4.0)))
    assert_same_array(ac.arange(5).searchsorted(ac.array([1, 3])),
                      np.arange(5).searchsorted([1, 3]))
    assert a.sum(where=ac.array([True, False, True])) == n.sum(
        where=[True, False, True])


# ------------------------------------------------------------ out=

@pytest.mark.parametrize(("name", "args", "shape", "dtype"), [
    ("sum", (0,), (3,), "f8"), ("mean", (1,), (2,), "f8"), ("std", (1,), (2,), "f8"),
    ("var", (None,), (), "f8"), ("max", (0,), (3,), "f8"), ("min", (1,), (2,), "f8"),
    ("prod", (0,), (3,), "f8"), ("any", (0,), (3,), "?"), ("all", (1,), (2,), "?"),
    ("argmax", (0,), (3,), "i8"), ("argmin", (1,), (2,), "i8"),
    ("cumsum", (0,), (2, 3), "f8"), ("cumprod", (1,), (2, 3), "f8"),
    ("round", (1,), (2, 3), "f8"), ("clip", (1, 4), (2, 3), "f8"),
    ("trace", (0, 0, 1), (), "f8"),
])
@pytest.mark.parametrize("kind", ["keyword", "positional", "tuple"])
def test_out_is_written_in_place_and_returned(name, args, shape, dtype, kind):
    out_index = {"sum": 2, "mean": 2, "std": 2, "var": 2, "max": 1, "min": 1,
                 "prod": 2, "any": 2, "all": 2, "argmax": 1, "argmin": 1,
                 "cumsum": 2, "cumprod": 2, "round": 1, "clip": 2, "trace": 4}[name]
    n = np.arange(1.0, 7.0).reshape(2, 3)
    a = ac.array(n)
    n_out, a_out = np.zeros(shape, dtype), ac.zeros(shape, dtype)

    def call(x, out):
        if kind == "tuple":
            out = (out,)
        if kind == "positional":
            full = list(args) + [None] * (out_index - len(args))
            full.insert(out_index, out)
            return getattr(x, name)(*full[:max(out_index + 1, len(args))])
        return getattr(x, name)(*args, out=out)

    results = same_outcome(lambda: call(n, n_out), lambda: call(a, a_out))
    if results is None:
        return
    assert results[0] is n_out
    assert results[1] is a_out
    assert_same_array(a_out, n_out)


def test_numpy_out_is_written_and_returned():
    a = ac.arange(6.0).reshape(2, 3)
    out = np.zeros(3)
    assert a.sum(0, out=out) is out
    assert out.tolist() == [3.0, 5.0, 7.0]


def test_read_only_out_gives_numpys_error():
    out, n_out = ac.zeros(3), np.zeros(3)
    out.flags.writeable = n_out.flags.writeable = False
    assert_same_error(lambda: np.ones((2, 3)).sum(0, out=n_out),
                      lambda: ac.ones((2, 3)).sum(0, out=out))


def test_out_may_be_the_array_itself():
    n = np.arange(1.0, 7.0)
    a = ac.array(n)
    assert a.cumsum(out=a) is a
    n.cumsum(out=n)
    assert_same_array(a, n)


# ------------------------------------------------------------ lazy copies

def lazy_pair():
    x = ac.arange(24.0).reshape(4, 6)
    return x, x.copy(lazy=True)


def materialisations(log):
    return sum(r.category == "lazy-materialise" for r in log)


@pytest.mark.parametrize(("name", "args"), [
    (name, args) for name, args, kwargs in READS[:-4] if not kwargs])
def test_reading_methods_never_materialise_a_lazy_copy(name, args, tmp_path):
    x, y = lazy_pair()
    with ac.copy_audit() as log:
        for side in (x, y):
            try:
                getattr(side, name)(*args)
            except (ValueError, TypeError):
                pass
        x.tofile(tmp_path / "x.bin")
        pickle.dumps(y)
        y.dumps()
        y.getfield(np.int32, 4)
        y.ravel().searchsorted(ac.array([1.0]), sorter=ac.arange(24))
        x.clip(y, y)
        y.dot(x.T)
    assert len(log) == 0


@pytest.mark.parametrize("write", [
    lambda x: x.sort(),
    lambda x: x.partition(2),
    lambda x: x.byteswap(True),
    lambda x: x.setfield(3, np.int32, 0),
    lambda x: x[0].cumsum(out=x[1]),
    lambda x: x.sum(0, out=x[0]),
    lambda x: x.round(out=x),
    lambda x: x.clip(2, 3, out=x),
])
@pytest.mark.parametrize("side", ["source", "copy"])
def test_writing_methods_materialise_exactly_once(write, side):
    x, y = lazy_pair()
    before = x.tolist()  # np.array(x) would be a writable export: a write
    writer = x if side == "source" else y
    with ac.copy_audit() as log:
        write(writer)
        write(writer)
    assert materialisations(log) == 1
    other = y if side == "source" else x
    assert other.tolist() == before


def test_read_only_array_as_input_and_out_of_its_own_lazy_copy():
    x, y = lazy_pair()
    x.flags.writeable = False
    with ac.copy_audit() as log:
        x.sum(0, out=y[0])
    assert materialisations(log) == 1
    assert y[0].tolist() == np.arange(24.0).reshape(4, 6).sum(0).tolist()


# ------------------------------------------------------------ sorting in place

SORTS = [
    ("sort", (), {}), ("sort", (0,), {}), ("sort", (), {"kind": "stable"}),
    ("sort", (None,), {}), ("sort", (), {"kind": "bogus"}), ("sort", (5,), {}),
    ("partition", (1,), {}), ("partition", (0, 0), {}), ("partition", (10,), {}),
]


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
@pytest.mark.parametrize(("name", "args", "kwargs"), SORTS,
                         ids=[f"{m}{a}{k}" for m, a, k in SORTS])
def test_sorting_in_place_matches_numpy(layout, name, args, kwargs):
    n0, n, a0, a = layout.build()
    results = same_outcome(lambda: getattr(n, name)(*args, **kwargs),
                           lambda: getattr(a, name)(*args, **kwargs))
    if results is not None:
        assert results[1] is None
    assert_same_array(a, n)
    assert_same_array(a0, n0)


@given(layouts(max_dims=3), st.sampled_from(SORTS))
def test_sorting_any_layout(layout, call):
    name, args, kwargs = call
    n0, n, a0, a = layout.build()
    same_outcome(lambda: getattr(n, name)(*args, **kwargs),
                 lambda: getattr(a, name)(*args, **kwargs))
    assert_same_array(a0, n0)


def test_sorting_a_read_only_array_gives_numpys_message():
    n, a = np.arange(3), ac.arange(3)
    n.flags.writeable = a.flags.writeable = False
    for name, args in [("sort", ()), ("partition", (1,))]:
        assert_same_error(lambda: getattr(n, name)(*args),  # noqa: B023
                          lambda: getattr(a, name)(*args))  # noqa: B023


def test_sort_by_field_of_a_structured_array():
    dt = np.dtype([("x", "i4"), ("y", "f8")])
    n = np.array([(3, 1.0), (1, 2.0), (2, 0.5)], dt)
    a = ac.array(n)
    n.sort(order="y")
    a.sort(order="y")
    assert a.tolist() == n.tolist()


# ------------------------------------------------------------ byteswap

@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
def test_byteswap_copies_through_the_choke_point_in_numpys_layout(layout):
    _, n, _, a = layout.build()
    with ac.copy_audit() as log:
        got = a.byteswap()
    assert_same_array(got, n.byteswap())
    assert got.base is None and not ac.shares_memory(got, a)
    assert [(r.operation, r.category) for r in log] == [("byteswap", "explicit")]
    with ac.copy_policy("raise"):
        a.byteswap()  # explicit: never refused


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
@pytest.mark.parametrize("args", [(), (0,), (3,), (-1,), (1.5,)])
def test_round_of_integers_copies_through_the_choke_point(layout, args):
    layout = Layout(layout.base_shape, np.dtype("int16"), layout.axes,
                    layout.slices)
    _, n, _, a = layout.build()
    with ac.copy_audit() as log:
        results = same_outcome(lambda: n.round(*args), lambda: a.round(*args))
    if results is None:
        return
    assert_same_result(results[1], results[0])
    assert not ac.shares_memory(results[1], a)
    if args in [(), (0,), (3,)] and a.ndim:  # a 0-d array gives a scalar
        assert [(r.operation, r.category) for r in log] == [("round", "explicit")]


def test_byteswap_in_place_returns_the_array():
    n, a = np.arange(3, dtype="<i2"), ac.arange(3, dtype="<i2")
    assert a.byteswap(True) is a
    n.byteswap(True)
    assert_same_array(a, n)
    n.flags.writeable = a.flags.writeable = False
    assert_same_error(lambda: n.byteswap(True), lambda: a.byteswap(True))
    assert_same_array(a.byteswap(False), n.byteswap(False))


# ------------------------------------------------------------ fields

FIELDS = [
    (np.int32, 0), (np.int32, 4), ("i2", 6), (np.float64, 0), ("u1", 7),
    (np.int32, 5), (np.int32, -1), (np.int32, 8), (np.complex128, 0),
    (None, 0), ("(2,)i2", 4), ("(2,2)u1", 2), ("bogus", 0), (np.int32, 1.5),
]


@pytest.mark.parametrize("layout", all_layouts_small()[:9], ids=repr)
@pytest.mark.parametrize(("dtype", "offset"), FIELDS, ids=repr)
def test_getfield_is_a_view_as_numpy_makes_it(layout, dtype, offset):
    n0, n, a0, a = layout.build()
    results = same_outcome(lambda: n.getfield(dtype, offset),
                           lambda: a.getfield(dtype, offset))
    if results is None:
        return
    got, want = results[1], results[0]
    assert_same_array(got, want)
    assert ac.shares_memory(got, a) == np.shares_memory(want, n)
    assert (got.base is a0) == (want.base is n0)


@pytest.mark.parametrize(("dtype", "offset"), FIELDS, ids=repr)
def test_setfield_writes_the_field(dtype, offset):
    n = np.array(np.arange(6.0).reshape(2, 3))
    a = ac.array(n)
    same_outcome(lambda: n.setfield(7, dtype, offset),
                 lambda: a.setfield(7, dtype, offset))
    assert_same_array(a, n)


def test_setfield_of_a_read_only_array():
    n, a = np.zeros(3), ac.zeros(3)
    n.flags.writeable = a.flags.writeable = False
    assert_same_error(lambda: n.setfield(1, np.int32), lambda: a.setfield(1, np.int32))


def test_getfield_of_a_record_and_writes_through_it():
    dt = np.dtype([("x", "i4"), ("y", "f8")])
    n = np.zeros(3, dt)
    a = ac.array(n)
    a.getfield(np.float64, 4)[1] = 2.5
    n.getfield(np.float64, 4)[1] = 2.5
    assert a.tolist() == n.tolist()


# ------------------------------------------------------------ the dtype setter

DTYPE_SETS = [np.int32, np.int64, "u1", np.complex128, "f4", "(2,)i4", "V3",
              "bogus", None, object, "i16"]


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
@pytest.mark.parametrize("dtype", DTYPE_SETS, ids=repr)
def test_setting_dtype_rereads_the_memory_as_numpy(layout, dtype):
    _, n, _, a = layout.build()
    n, a = n.view(), a.view()

    def set_dtype(x):
        x.dtype = dtype

    same_outcome(lambda: set_dtype(n), lambda: set_dtype(a))
    assert_same_array(a, n)  # changed alike, or (refused) unchanged alike


def test_dtype_cannot_be_deleted():
    assert_same_error(lambda: delattr(np.zeros(2), "dtype"),
                      lambda: delattr(ac.zeros(2), "dtype"))


# ------------------------------------------------------------ protocols

def test_device_and_to_device():
    n, a = np.zeros(2), ac.zeros(2)
    assert a.device == n.device == "cpu"
    assert a.to_device("cpu") is a
    assert_same_error(lambda: n.to_device("gpu"), lambda: a.to_device("gpu"))
    assert_same_error(lambda: n.to_device("cpu", stream=1),
                      lambda: a.to_device("cpu", stream=1))


def test_array_namespace_is_numpys():
    a = ac.zeros(2)
    assert a.__array_namespace__() is np
    assert a.__array_namespace__(api_version="2023.12") is np
    for bad in ("2011.1", 1):
        assert_same_error(
            lambda: np.zeros(2).__array_namespace__(api_version=bad),  # noqa: B023
            lambda: a.__array_namespace__(api_version=bad))  # noqa: B023


def test_array_wrap_and_finalize():
    a = ac.zeros(2)
    n = np.arange(3)
    wrapped = a.__array_wrap__(n)
    assert type(wrapped) is ac.ndarray and wrapped.base is n
    assert np.shares_memory(np.asarray(wrapped), n)
    assert a.__array_finalize__(None) is None
    with pytest.raises(TypeError, match="must be numpy.ndarray, not numpy.float64"):
        a.__array_wrap__(np.float64(1))


def test_class_getitem_and_priority():
    alias = ac.ndarray[int, np.dtype[np.float64]]
    assert alias.__origin__ is ac.ndarray
    assert ac.ndarray[int].__args__ == (int,)
    with pytest.raises(TypeError, match="Too many arguments for"):
        ac.ndarray[1, 2, 3]
    assert ac.zeros(1).__array_priority__ == np.zeros(1).__array_priority__ == 0.0


def test_ctypes_points_at_the_elements():
    a = ac.arange(6, dtype=np.int32).reshape(2, 3)[:, 1:]
    c = a.ctypes
    assert c.data == a.__array_interface__["data"][0]
    assert tuple(c.shape) == a.shape and tuple(c.strides) == a.strides
    p = c.data_as(ctypes.POINTER(ctypes.c_int32))
    assert p[0] == 1 and p[1] == 2
    # A writable pointer ends lazy sharing: writes through it stay private.
    x = ac.arange(4.0)
    y = x.copy(lazy=True)
    with ac.copy_audit() as log:
        ptr = y.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    ptr[0] = 9.0
    assert materialisations(log) == 1
    assert x[0] == 0.0 and y[0] == 9.0


def test_dump_dumps_and_tofile_round_trip(tmp_path):
    a = ac.arange(6.0).reshape(2, 3).T
    back = pickle.loads(a.dumps())
    assert type(back) is ac.ndarray and back.tolist() == a.tolist()
    path = tmp_path / "a.pickle"
    a.dump(path)
    with open(path, "rb") as f:
        assert pickle.load(f).tolist() == a.tolist()
    buf = io.BytesIO()
    a.dump(buf)
    assert pickle.loads(buf.getvalue()).tolist() == a.tolist()
    raw = tmp_path / "a.bin"
    a.tofile(raw)
    np.testing.assert_array_equal(np.fromfile(raw), np.asarray(a).ravel())
    text = tmp_path / "a.txt"
    a.tofile(text, sep=",", format="%.1f")
    assert text.read_text() == ",".join(f"{v:.1f}" for v in np.asarray(a).ravel())


def test_copy_module_and_format():
    a = ac.arange(3.0)
    assert copy.copy(a).tolist() == copy.deepcopy(a).tolist() == [0.0, 1.0, 2.0]
    assert f"{ac.array(2.5):.2f}" == "2.50"
    assert outcome(lambda: format(a, ".2f"))[0] == outcome(
        lambda: format(np.arange(3.0), ".2f"))[0]


# Every public method and property of ndarray has examples, run here.
_DOCUMENTED = sorted(n for n in dir(ac.ndarray) if not n.startswith("_"))


@pytest.mark.parametrize("name", _DOCUMENTED)
def test_method_examples_run(name):
    from _examples import run_examples

    # A property is found through the class dict (its descriptor holds the
    # docstring); a method through getattr.
    obj = ac.ndarray.__dict__.get(name)
    if obj is None or not getattr(obj, "__doc__", None):
        obj = getattr(ac.ndarray, name)
    run_examples(obj, name)


@pytest.mark.parametrize("cls", [ac.ndarray, ac.flagsobj], ids=lambda c: c.__name__)
def test_class_examples_run(cls):
    from _examples import run_examples

    run_examples(cls, cls.__name__)
