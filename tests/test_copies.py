"""Copies and conversions: copy, astype, asarray, array, creation, elements."""
import os
import random
from functools import partial

import numpy as np
import pytest
from _strategies import (
    DTYPES,
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
ORDERS = st.sampled_from(["C", "F", "A", "K", None])


def compare(layout, via, op, identity_ok=True):
    """Run ``op`` on both sides; compare result, sharing, identity and base."""
    n0, n, a0, a = layout.build(via)
    result = same_outcome(lambda: op(n, np), lambda: op(a, ac))
    if result is None:
        return None
    rn, ra = result
    assert (ra is a) == (rn is n), "returned-self differs"
    if rn is n:
        return rn, ra
    assert_same_array(ra, rn)
    assert_same_sharing(ra, a, rn, n)
    assert_same_base(ra, (a0, a), rn, (n0, n))
    return rn, ra


# ------------------------------------------------------------------ copy

@given(layouts(), VIA, ORDERS)
def test_method_copy(layout, via, order):
    _, ra = compare(layout, via, lambda x, m: x.copy(order) if order else x.copy())
    assert ra.base is None and ra.flags.owndata


@given(layouts(), VIA, ORDERS)
def test_function_copy_defaults_to_k(layout, via, order):
    _, ra = compare(layout, via,
                    lambda x, m: m.copy(x, order) if order else m.copy(x))
    assert ra.base is None


# Contiguous sources whose length-1 axes carry any stride (NumPy's flags ignore
# them): a small copy of one block order into the same order is one memcpy.
ODD_STRIDED = [((1, 6), (0, 1)), ((6, 1), (1, 0)), ((6, 1), (1, 7)),
               ((1, 6), (-3, 1)), ((2, 1, 3), (3, 5, 1)), ((1, 1), (9, -2)),
               ((1,), (0,)), ((0, 3), (3, 1)), ((3, 0), (1, 5)), ((), ())]


@pytest.mark.parametrize(("shape", "items"), ODD_STRIDED, ids=str)
@pytest.mark.parametrize("dtype", ["u1", "f8", "c16", "V3"])
@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_small_copies_of_contiguous_sources_with_any_length_1_strides(
        shape, items, dtype, order):
    itemsize = np.dtype(dtype).itemsize
    strides = tuple(item * itemsize for item in items)
    n_base = np.arange(24 * itemsize, dtype=np.uint8).view(dtype)
    offset = 12 * itemsize  # room for the negative strides
    n = np.lib.stride_tricks.as_strided(n_base[12:], shape, strides)
    a_base = ac.asarray(n_base.copy())
    a = ac.lib.stride_tricks.as_strided(a_base[12:], shape, strides)
    assert (a.flags.c_contiguous, a.flags.f_contiguous) == (
        n.flags.c_contiguous, n.flags.f_contiguous)
    assert offset == n.__array_interface__["data"][0] - n_base.ctypes.data
    for copy in (lambda x: x.copy(order), lambda x: x.astype(x.dtype, order)):
        ra, rn = copy(a), copy(n)
        assert_same_array(ra, rn)
        assert ra.tobytes() == rn.tobytes()
        assert not ac.shares_memory(ra, a_base)


def test_copy_bad_order():
    assert_same_error(lambda: np.arange(3).copy("Q"), lambda: ac.arange(3).copy("Q"))
    assert_same_error(lambda: np.copy(np.arange(3), 1),
                      lambda: ac.copy(ac.arange(3), 1))


# ------------------------------------------------------------------ astype

CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


@given(layouts(max_side=4), VIA, st.sampled_from(DTYPES), ORDERS,
       st.sampled_from(CASTINGS), st.booleans())
def test_astype(layout, via, dtype, order, casting, copy):
    kwargs = {"casting": casting, "copy": copy}
    if order is not None:
        kwargs["order"] = order
    with np.errstate(all="ignore"):
        compare(layout, via, lambda x, m: x.astype(dtype, **kwargs))


def test_astype_copy_false_returns_self():
    for x in [ac.arange(6.0), ac.arange(6.0).reshape(2, 3).T, ac.zeros((2, 0))]:
        assert x.astype(x.dtype, copy=False) is x
        assert x.astype(x.dtype.newbyteorder("="), copy=False) is x
    x = ac.arange(6.0).reshape(2, 3).T
    n = np.arange(6.0).reshape(2, 3).T
    for order in ["C", "F", "A", "K"]:
        assert (x.astype(x.dtype, order=order, copy=False) is x) == (
            n.astype(n.dtype, order=order, copy=False) is n)
    s = ac.arange(12.0).reshape(3, 4)[:, ::2]
    sn = np.arange(12.0).reshape(3, 4)[:, ::2]
    assert (s.astype(s.dtype, order="A", copy=False) is s) == (
        sn.astype(sn.dtype, order="A", copy=False) is sn)


@pytest.mark.parametrize("src,dst,casting", [
    ("float64", "int64", "safe"), ("int64", "float16", "safe"), ("float64", "int8", 1),
    ("float64", "float32", "no"), ("int8", ">i8", "equiv"),
    ("complex64", "float64", "same_kind"),
    ("float64", "int64", "bogus"),
])
@pytest.mark.parametrize("shape", [(3,), ()])
def test_astype_casting_errors(src, dst, casting, shape):
    n = np.zeros(shape, src)
    a = ac.zeros(shape, src)
    assert_same_error(lambda: n.astype(dst, casting=casting),
                      lambda: a.astype(dst, casting=casting))


def test_astype_object_dtype_refused():
    with pytest.raises(TypeError):
        ac.arange(3).astype(object)


# ------------------------------------------------------------------ asarray / array

@given(layouts(), VIA, st.sampled_from([None] + DTYPES[::3]), ORDERS,
       st.sampled_from([None, True, False]))
def test_asarray_of_array_core(layout, via, dtype, order, copy):
    compare(layout, via, lambda x, m: m.asarray(x, dtype=dtype, order=order, copy=copy))


@given(layouts(), st.sampled_from([None] + DTYPES[::3]), ORDERS,
       st.sampled_from([None, True, False]))
def test_asarray_of_numpy(layout, dtype, order, copy):
    n = layout.numpy()
    result = same_outcome(lambda: np.asarray(n, dtype=dtype, order=order, copy=copy),
                          lambda: ac.asarray(n, dtype=dtype, order=order, copy=copy))
    if result is None:
        return
    rn, ra = result
    assert_same_array(ra, rn, flags=False)
    assert ra.flags.c_contiguous == rn.flags.c_contiguous
    assert ra.flags.f_contiguous == rn.flags.f_contiguous
    assert np.shares_memory(np.asarray(ra), n) == np.shares_memory(rn, n)
    if rn is n:
        # Zero copy: array_core borrows NumPy's memory, with it as base.
        assert ra.base is n and not ra.flags.owndata


@given(layouts(), VIA, st.sampled_from([None] + DTYPES[::4]), ORDERS,
       st.sampled_from([None, True, False]), st.integers(0, 4))
def test_array(layout, via, dtype, order, copy, ndmin):
    compare(layout, via, lambda x, m: m.array(x, dtype=dtype, order=order, copy=copy,
                                              ndmin=ndmin))


def test_asarray_same_object_and_message():
    x = ac.arange(6.0)
    assert ac.asarray(x) is x
    assert ac.asarray(x, dtype=np.float64, order="C", copy=False) is x
    assert ac.asarray(x, copy=None) is x
    t = ac.arange(6.0).reshape(2, 3).T
    assert_same_error(lambda: np.asarray(np.arange(6.0).reshape(2, 3).T, order="C",
                                         copy=False),
                      lambda: ac.asarray(t, order="C", copy=False))
    assert_same_error(lambda: np.asarray(np.arange(3), dtype=np.float32, copy=False),
                      lambda: ac.asarray(ac.arange(3), dtype=np.float32, copy=False))
    assert_same_error(lambda: np.asarray([1, 2], copy=False),
                      lambda: ac.asarray([1, 2], copy=False))


def test_asarray_of_numpy_is_zero_copy():
    n = np.arange(10.0)
    a = ac.asarray(n)
    assert a.base is n and not a.flags.owndata
    a[3] = -1
    assert n[3] == -1
    assert np.shares_memory(np.asarray(a), n)


@pytest.mark.parametrize("obj", [
    [1, 2, 3], [[1.5, 2], [3, 4]], 5, 2.5, (1j, 2), [], [[]], [True, False],
    np.float32(3), range(4), b"ab", [[1, 2], [3]], "text",
])
@pytest.mark.parametrize("dtype", [None, "float32", "int8"])
def test_asarray_of_python_objects(obj, dtype):
    result = same_outcome(lambda: np.asarray(obj, dtype=dtype),
                          lambda: ac.asarray(obj, dtype=dtype))
    if result is not None:
        assert_same_array(result[1], result[0])


def test_object_dtype_is_type_error():
    for make in [lambda: ac.empty(3, object), lambda: ac.zeros(3, "O"),
                 lambda: ac.asarray([1, None]), lambda: ac.array(np.array([1, "a"],
                                                                         dtype=object))]:
        with pytest.raises(TypeError, match="object"):
            make()


@pytest.mark.parametrize("layout", all_layouts_small(), ids=str)
@pytest.mark.parametrize("func", ["ascontiguousarray", "asfortranarray"])
@pytest.mark.parametrize("dtype", [None, "float32", "float64"])
def test_ascontiguous_asfortran(layout, func, dtype):
    compare(layout, "array", lambda x, m: getattr(m, func)(x, dtype=dtype))
    compare(layout, "asarray", lambda x, m: getattr(m, func)(x, dtype=dtype))


@given(layouts(), VIA, st.sampled_from(["ascontiguousarray", "asfortranarray"]))
def test_ascontiguous_asfortran_layouts(layout, via, func):
    compare(layout, via, lambda x, m: getattr(m, func)(x))


def test_ascontiguousarray_of_0d_is_1d():
    for func in ["ascontiguousarray", "asfortranarray"]:
        rn = getattr(np, func)(np.array(3.0))
        ra = getattr(ac, func)(ac.array(3.0))
        assert_same_array(ra, rn)
        assert ra.shape == (1,)


# ------------------------------------------------------------------ creation

@pytest.mark.parametrize("shape", [3, (2, 3), (), (0,), (2, 0, 3), [4], np.int64(2),
                                   (1, 1, 1)])
@pytest.mark.parametrize("dtype", [None, "int8", "complex64", "bool", "float16"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_creation_functions(shape, dtype, order):
    kw = {} if dtype is None else {"dtype": dtype}
    for name in ["zeros", "ones", "empty"]:
        rn = getattr(np, name)(shape, order=order, **kw)
        ra = getattr(ac, name)(shape, order=order, **kw)
        if name == "empty":
            rn[...] = 0
            ra.fill(0)
        assert_same_array(ra, rn)
        assert ra.base is None and ra.flags.owndata and ra.strides == rn.strides
    rn = np.full(shape, 7, order=order, **kw)
    ra = ac.full(shape, 7, order=order, **kw)
    assert_same_array(ra, rn)
    assert ra.strides == rn.strides


@pytest.mark.parametrize("args,kwargs", [
    ((-1,), {}), (((2, -1),), {}), ((2**63,), {}), (((2**40, 2**40, 2**40),), {}),
    ((1.5,), {}), (((True,),), {}), ((3,), {"order": "K"}), ((3,), {"order": "A"}),
    ((3,), {"order": "Z"}), ((3,), {"dtype": "nonsense"}), ((None,), {}),
    (((1,) * 65,), {}),
])
def test_creation_errors(args, kwargs):
    for name in ["zeros", "ones", "empty"]:
        assert_same_error(partial(getattr(np, name), *args, **kwargs),
                          partial(getattr(ac, name), *args, **kwargs))


def test_full_dtype_inference():
    for value in [7, 7.5, 1j, True, np.float32(2)]:
        assert_same_array(ac.full((2, 2), value), np.full((2, 2), value))
    assert_same_array(ac.full(3, [1, 2, 3]), np.full(3, [1, 2, 3]))


@pytest.mark.parametrize("args,kwargs", [
    ((5,), {}), ((1, 7, 2), {}), ((0.5, 3),  {}), ((5,), {"dtype": "int8"}),
    ((10, 0, -3), {}), ((0,), {}), ((3,), {"dtype": "float32"}),
])
def test_arange(args, kwargs):
    ra, rn = ac.arange(*args, **kwargs), np.arange(*args, **kwargs)
    assert_same_array(ra, rn)
    assert ra.base is None and ra.flags.owndata


# ------------------------------------------------------------------ elements

@given(layouts(max_side=3), VIA)
def test_elements_and_text(layout, via):
    n0, n, a0, a = layout.build(via)
    assert a.tolist() == n.tolist()
    assert repr(a) == repr(n)
    assert str(a) == str(n)
    lengths = same_outcome(lambda: len(n), lambda: len(a))
    assert lengths is None or lengths[0] == lengths[1]
    if n.ndim:
        rows_n = list(n)
        rows_a = list(a)
        assert len(rows_a) == len(rows_n)
        for rn, ra in zip(rows_n, rows_a, strict=True):
            if isinstance(rn, np.ndarray):
                assert_same_array(ra, rn)
                assert_same_base(ra, (a0, a), rn, (n0, n))
            else:
                assert type(ra) is type(rn) and (ra == rn or rn != rn)
    else:
        assert_same_error(lambda: iter(n), lambda: iter(a))
        assert_same_error(lambda: len(n), lambda: len(a))
    if n.size:
        assert a.item(0) == n.item(0)
        assert a.item(n.size - 1) == n.item(n.size - 1)
    if n.size == 1:
        assert a.item() == n.item()
    else:
        assert_same_error(lambda: n.item(), lambda: a.item())
    assert_same_error(lambda: n.item(n.size), lambda: a.item(a.size))


@given(layouts(max_side=3), VIA, st.sampled_from([0, 1, 2.5, True, -1]))
def test_fill(layout, via, value):
    n0, n, a0, a = layout.build(via)
    with np.errstate(all="ignore"):
        result = same_outcome(lambda: n.fill(value), lambda: a.fill(value))
    if result is not None:
        assert result == (None, None)
        np.testing.assert_array_equal(np.asarray(a0), n0, strict=True)


def test_fill_readonly():
    n, a = np.zeros(3), ac.zeros(3)
    n.flags.writeable = False
    a.flags.writeable = False
    assert_same_error(lambda: n.fill(1), lambda: a.fill(1))


@pytest.mark.parametrize("dtype", DTYPES)
def test_repr_per_dtype(dtype):
    n = np.arange(7).astype(dtype).reshape(7, 1)[::2]
    a = ac.asarray(n.copy())
    assert repr(a) == repr(n) and str(a) == str(n)
    assert repr(a[0, 0]) == repr(n[0, 0])
    assert repr(ac.empty((0, 3), dtype)) == repr(np.empty((0, 3), dtype))


@given(layouts(), VIA)
def test_copy_module_protocols(layout, via):
    import copy as copy_module
    import pickle
    n0, n, a0, a = layout.build(via)
    for func in (copy_module.copy, copy_module.deepcopy):
        rn, ra = func(n), func(a)
        assert_same_array(ra, rn)
        assert ra.base is None and not ac.shares_memory(ra, a)
    rn, ra = pickle.loads(pickle.dumps(n)), pickle.loads(pickle.dumps(a))
    assert type(ra) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(ra), rn, strict=True)
    assert ra.flags.c_contiguous == rn.flags.c_contiguous
    assert ra.flags.f_contiguous == rn.flags.f_contiguous
    assert ra.flags.owndata and ra.base is None


@pytest.mark.parametrize("value", [[1, 2], [], [[1]], [3.5], [0], [True]])
def test_scalar_conversions(value):
    n, a = np.array(value), ac.array(value)
    for func in (bool, int, float, complex, lambda x: format(x, ""),
                 lambda x: [1, 2, 3][x]):
        result = same_outcome(partial(func, n), partial(func, a))
        if result is not None:
            assert result[0] == result[1]


def test_ndarray_constructor():
    for shape, order in [((2, 3), "C"), ((2, 3), "F"), (4, "C"), ((), "C")]:
        a = ac.ndarray(shape, np.int16, order=order)
        n = np.ndarray(shape, np.int16, order=order)
        assert a.shape == n.shape and a.strides == n.strides and a.dtype == n.dtype
        assert a.flags.owndata and a.base is None


@pytest.mark.parametrize("make", [
    lambda: [1, 2], lambda: 5, lambda: (1.5, 2.5), lambda: [[1], [2]],
    lambda: bytearray(b"abcd"), lambda: memoryview(bytearray(8)),
    lambda: memoryview(b"abcdefgh").cast("B", (2, 4)),
])
@pytest.mark.parametrize("ndmin", [0, 1, 3])
@pytest.mark.parametrize("func", ["array", "asarray"])
def test_conversion_of_foreign_objects_base(make, ndmin, func):
    obj = make()
    kwargs = {"ndmin": ndmin} if func == "array" else {}
    if func == "asarray" and ndmin:
        return
    rn = getattr(np, func)(obj, **kwargs)
    ra = getattr(ac, func)(obj, **kwargs)
    assert_same_array(ra, rn, flags=False)
    assert ra.flags.owndata == rn.flags.owndata
    assert ra.flags.writeable == rn.flags.writeable
    # NumPy's base: None for an owner, else an intermediate array or the
    # memoryview NumPy made -- never the Python object itself.
    assert type(ra.base) is (ac.ndarray if type(rn.base) is np.ndarray
                             else type(rn.base))
    if rn.base is not None and type(rn.base) is np.ndarray:
        assert ra.base.flags.owndata == rn.base.flags.owndata


# -------------------------------- length-1 layouts: exact strides, any state

def _length1_pairs(rng):
    """(NumPy, array_core) twins of a 0/1-d or length-1-axis layout, the
    strides of the length-1 axes included (stride 0, negative, huge)."""
    dtype = rng.choice(["f8", "i4", "u1", "c16", ">i2"])
    nd = rng.choice([0, 1, 1, 1, 2, 3])
    shape = tuple(rng.choice([1, 1, 1, 2]) for _ in range(nd))
    itemsize = np.dtype(dtype).itemsize
    strides = tuple(rng.choice([0, itemsize, -itemsize, 3 * itemsize, 16 * itemsize])
                    if d == 1 else rng.choice([itemsize, -2 * itemsize])
                    for d in shape)
    raw = np.arange(64).astype(dtype)
    start = 32 * itemsize
    n = np.lib.stride_tricks.as_strided(raw[32:], shape, strides)
    buffer = bytearray(raw.tobytes())
    a = ac.ndarray(shape, dtype=dtype, buffer=buffer, offset=start, strides=strides)
    kind = rng.random()
    if kind < 0.25:
        n, a = n.copy(), a.copy(lazy=True)
    elif kind < 0.4:
        n = a = n.copy()                            # a NumPy input
    if rng.random() < 0.2:
        n.flags.writeable = False
        a.flags.writeable = False
    return n, a


LENGTH1_CONVERSIONS = [
    lambda m, x: m.asfortranarray(x),
    lambda m, x: m.ascontiguousarray(x),
    lambda m, x: m.asarray(x),
    lambda m, x: m.asarray(x, order="F"),
    lambda m, x: m.asarray(x, order="C"),
    lambda m, x: m.array(x, order="F", copy=None),
    lambda m, x: m.array(x, order="F"),
    lambda m, x: m.array(x, ndmin=3, copy=None),
    lambda m, x: m.asfortranarray(x, dtype="c16"),
    lambda m, x: m.ascontiguousarray(x, dtype="c16"),
]


def test_length1_conversions_match_numpy_exactly_in_one_long_run():
    # issue 9: asfortranarray of a length-1 array was reported to give a
    # stride-0 view where NumPy gives the item size.  Many mixed conversions
    # (array_core, lazy and NumPy inputs; kept results feeding later calls)
    # run in one process, compared with the exact strides, length-1 axes
    # included, and the identity, owner and writeable flags.  (An oracle
    # made with np.asarray(a) would not do: NumPy's array interface and
    # buffer export, which array_core follows, give a C-contiguous array's
    # length-1 axes contiguous strides.)
    rng = random.Random(int(os.environ.get("AC_LENGTH1_SEED", "9")))
    kept = []
    for _ in range(int(os.environ.get("AC_LENGTH1_RUNS", "3000"))):
        fresh = not kept or rng.random() < 0.7
        n, a = _length1_pairs(rng) if fresh else rng.choice(kept)
        convert = rng.choice(LENGTH1_CONVERSIONS)
        rn, ra = convert(np, n), convert(ac, a)
        assert ra.shape == rn.shape and ra.strides == rn.strides, (
            n.shape, n.strides, rn.strides, ra.strides)
        assert ra.dtype == rn.dtype
        if isinstance(a, ac.ndarray):
            assert (ra is a) == (rn is n)
            assert ra.flags.owndata == rn.flags.owndata
        elif rn is not n:
            assert ra.flags.owndata == rn.flags.owndata
            assert (ra.base is n) == (rn.base is n)
        for name in ("c_contiguous", "f_contiguous", "writeable", "aligned"):
            assert getattr(ra.flags, name) == getattr(rn.flags, name), name
        np.testing.assert_array_equal(np.asarray(ra), rn, strict=True)
        if isinstance(a, ac.ndarray) and rng.random() < 0.3:
            # (A pair is kept only when its ownership matches: array_core's
            # result for a NumPy input is its zero-copy array, not the input.)
            kept.append((rn, ra))
            del kept[:-50]


def test_length1_export_strides_are_numpys():
    n = np.lib.stride_tricks.as_strided(np.zeros(4), (1,), (0,))
    a = ac.ndarray((1,), dtype="f8", buffer=bytearray(32), strides=(0,), offset=8)
    assert ac.asfortranarray(a) is a and np.asfortranarray(n) is n
    assert ac.asfortranarray(a).strides == np.asfortranarray(n).strides == (0,)
    assert memoryview(a).strides == memoryview(n).strides
    assert a.__array_interface__["strides"] == n.__array_interface__["strides"]
