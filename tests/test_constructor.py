"""The ndarray constructor: ``ndarray(shape, dtype, buffer, offset, strides, order)``.

As in NumPy the array is made by ``__new__`` and ``__init__`` is object's:
an array can never be seen uninitialised, and calling ``__init__`` again
changes nothing.  Results are compared with NumPy's constructor on the same
arguments: values, shape, strides, flags, base, and errors with messages.
"""
import copy
import pickle
import warnings

import numpy as np
import pytest
from _strategies import FLAG_NAMES, same_outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac


def _numpy_and_ours(make):
    """A buffer for each side: ``make(np)`` and ``make(ac)`` for array
    factories, the same object for anything else (bytes, memoryview, ...)."""
    return make(np), make(ac)


BUFFERS = {
    "none": lambda m: None,
    "bytes": lambda m: b"abcdefghijklmnopqrstuvwx",
    "empty-bytes": lambda m: b"",
    "bytearray": lambda m: bytearray(range(24)),
    "memoryview": lambda m: memoryview(bytearray(range(24))),
    "memoryview-ro": lambda m: memoryview(bytearray(range(24))).toreadonly(),
    "array": lambda m: m.arange(24, dtype=np.uint8),
    "view": lambda m: m.arange(30, dtype=np.uint8)[3:27],
    "view-of-view": lambda m: m.arange(30, dtype=np.uint8)[1:][2:26],
    "reversed": lambda m: m.arange(24, dtype=np.uint8)[::-1],
    "strided": lambda m: m.arange(48, dtype=np.uint8)[::2],
    "2d-F": lambda m: m.asfortranarray(m.arange(24, dtype=np.uint8).reshape(4, 6)),
    "2d-C-view": lambda m: m.arange(48, dtype=np.uint8).reshape(4, 12)[1:3],
}

CALLS = [
    ((3,), np.uint8, {}),
    ((3,), np.uint8, {"offset": 1}),
    ((3,), np.uint8, {"offset": 21}),
    ((3,), np.uint8, {"offset": 22}),
    ((0,), np.uint8, {"offset": 24}),
    ((0,), np.uint8, {"offset": 25}),
    ((2, 3), np.int16, {}),
    ((2, 3), np.int16, {"order": "F"}),
    ((2, 3), np.int16, {"order": "A"}),
    ((2, 3), np.int16, {"order": "K"}),
    ((2, 3), np.int16, {"order": "x"}),
    ((2, 3), np.int16, {"order": 5}),
    ((2, 3), np.int16, {"offset": 1}),
    ((3, 4), np.int16, {}),
    ((3, 4), np.int32, {}),
    ((0, 3), np.int16, {}),
    ((), np.float64, {}),
    ((), np.float64, {"offset": 16}),
    (-1, np.uint8, {}),
    ((-1,), np.int16, {"offset": 3}),
    ((-1,), np.int16, {"offset": 25}),
    ((-1,), np.int16, {"offset": 100}),
    ((-1, 2), np.int16, {}),
    ((-2,), np.int16, {}),
    ((2,), np.uint8, {"strides": (3,)}),
    ((2,), np.uint8, {"strides": 5}),
    ((2,), np.uint8, {"strides": (30,)}),
    ((2,), np.uint8, {"strides": (-1,)}),
    ((2,), np.uint8, {"strides": (-1,), "offset": 1}),
    ((2,), np.uint8, {"strides": (0,)}),
    ((2,), np.uint8, {"strides": (1, 2)}),
    ((2,), np.uint8, {"strides": None}),
    ((2, 2), np.int16, {"strides": (2, 4)}),
    ((2, 2), np.int16, {"strides": (2, 4), "order": "F"}),
    ((2, 2), np.int16, {"strides": (-4, 2), "offset": 4}),
    ((0,), np.int16, {"strides": (100,)}),
    ((0, 2), np.int16, {"strides": (100, -7), "offset": 3}),
    ((-1,), np.int16, {"strides": (0,)}),
    ((-1,), np.int16, {"strides": (4,)}),
    ((2,), np.int16, {"offset": 1.5}),
    ((2,), np.int16, {"offset": "1"}),
    ((2,), np.int16, {"offset": np.int64(2)}),
    ((2,), np.int16, {"offset": True}),
    ((2,), np.int16, {"offset": 2**63}),
    ((2,), np.int16, {"strides": "a"}),
    ((2,), np.int16, {"strides": (2.0,)}),
    ((2,), "foo", {}),
    ((2,), None, {}),
    (None, np.int16, {}),
    ((2.5,), np.int16, {}),
    ((1,) * 65, np.int16, {}),
    ((2,), np.int16, {"foo": 1}),
]


def _check_same(n, a, n_buffer, a_buffer):
    assert type(a) is ac.ndarray
    assert a.dtype == n.dtype and a.shape == n.shape
    assert a.strides == n.strides, (a.strides, n.strides)
    for name in FLAG_NAMES:
        assert getattr(a.flags, name) == getattr(n.flags, name), name
    if n_buffer is not None:
        np.testing.assert_array_equal(np.asarray(a), n)
    if n.base is None:
        assert a.base is None
    elif n.base is n_buffer:
        assert a.base is a_buffer
    elif isinstance(n_buffer, np.ndarray):
        # A collapse to the owner of a view used as buffer.
        owner = n_buffer
        a_owner = a_buffer
        while owner is not n.base:
            owner, a_owner = owner.base, a_owner.base
        assert a.base is a_owner
    else:
        # NumPy's base is the object under a memoryview.
        assert n.base is n_buffer.obj and a.base is a_buffer.obj


@pytest.mark.parametrize("buffer", sorted(BUFFERS))
@pytest.mark.parametrize(("shape", "dtype", "kwargs"), CALLS)
def test_constructor_matches_numpy(buffer, shape, dtype, kwargs):
    n_buffer, a_buffer = _numpy_and_ours(BUFFERS[buffer])
    if buffer in ("bytes", "empty-bytes") or buffer.startswith("memoryview"):
        a_buffer = n_buffer  # one object: its identity is compared as base
    def ours():
        return ac.ndarray(shape, dtype, a_buffer, **kwargs)

    try:
        n = np.ndarray(shape, dtype, n_buffer, **kwargs)
    except Exception:  # noqa: BLE001 -- compared below
        n = None
    if n is not None and n.size and buffer == "empty-bytes":
        # NumPy reads outside a 0-byte buffer given strides; we refuse.
        with pytest.raises(ValueError, match="strides is incompatible"):
            ours()
        return
    result = same_outcome(
        lambda: np.ndarray(shape, dtype, n_buffer, **kwargs), ours)
    if result is not None:
        _check_same(*result, n_buffer, a_buffer)


@pytest.mark.parametrize("offset", [-1, -24])
def test_negative_offset_is_refused(offset):
    # NumPy reads before the buffer here; array_core refuses.
    with pytest.raises(ValueError, match="offset must be non-negative and no "
                                         r"greater than buffer length \(24\)"):
        ac.ndarray((3,), np.uint8, bytes(24), offset)
    # An empty array reads nothing: NumPy's result.
    assert ac.ndarray((0,), np.uint8, bytes(24), offset).size == 0


def test_strides_on_an_empty_buffer_are_refused():
    # NumPy reads the size the shape needs from a 0-byte buffer; we refuse.
    with pytest.raises(ValueError, match="strides is incompatible"):
        ac.ndarray((2,), np.int16, b"", 0, (1,))
    assert ac.ndarray((0,), np.int16, b"", 0, (1,)).size == 0


@pytest.mark.parametrize("call", [
    lambda m: m.ndarray(),
    lambda m: m.ndarray.__new__(m.ndarray),
    lambda m: m.ndarray(dtype=float),
    lambda m: m.ndarray((2,), float, None, 0, None, "C", 7),
    lambda m: m.ndarray((2,), foo=1),
    lambda m: m.ndarray((2,), shape=(2,)),
    lambda m: m.ndarray((2,), float, dtype=float),
    lambda m: m.ndarray(shape=(2,), dtype="u1", buffer=b"ab", offset=0,
                        strides=None, order=None, x=1),
    lambda m: m.ndarray(**{"shape": (2,), "dtype": "u1", "buffer": b"ab",
                           "offset": 0, "strides": None, "order": None,
                           "x": 1}),
])
def test_constructor_argument_errors_match_numpy(call):
    same_outcome(lambda: call(np), lambda: call(ac))


def test_keywords_and_defaults():
    a = ac.ndarray(shape=(2, 2), dtype="i4", order="F")
    n = np.ndarray(shape=(2, 2), dtype="i4", order="F")
    assert a.strides == n.strides and a.flags.owndata and a.base is None
    assert ac.ndarray(3).dtype == np.float64


def test_buffer_lifetime_and_writes():
    data = bytearray(8)
    a = ac.ndarray((2,), np.int32, data)
    a[1] = 7
    assert data[4] == 7 and a.flags.writeable
    # The buffer is held while the array lives (NumPy does not hold it).
    with pytest.raises(BufferError):
        data.extend(b"x")
    del a
    data.extend(b"x")
    ro = ac.ndarray((2,), np.int32, bytes(8))
    assert not ro.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        ro[0] = 1
    with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
        ro.flags.writeable = True


def test_array_core_buffer_is_a_view_that_follows_lazy_copies():
    x = ac.arange(12, dtype=np.int64)
    lazy = x.copy(lazy=True)
    v = ac.ndarray((2,), np.int64, x, 16)
    assert v.base is x and ac.shares_memory(v, x)
    v[0] = 100
    assert x[2] == 100 and lazy[2] == 2
    # A read-only view as buffer: NumPy's base collapses to the (writeable)
    # owner, so the result may be made writeable again.
    for m, root in ((np, np.arange(12)), (ac, x)):
        ro = root.view()
        ro.flags.writeable = False
        r = m.ndarray((2,), np.int64, ro)
        assert not r.flags.writeable and r.base is root
        r.setflags(write=True)
        assert r.flags.writeable
    ro = ac.arange(3)
    ro.flags.writeable = False
    r = ac.ndarray((2,), ro.dtype, ro)
    with pytest.raises(ValueError, match="cannot set WRITEABLE flag"):
        r.setflags(write=True)


# ------------------------------------------------------------ never uninitialised


class NoSuperInit(ac.ndarray):
    """A subclass whose __init__ does not call ndarray's (NumPy allows it)."""

    def __init__(self, *args, **kwargs):
        pass


class NumpyNoSuperInit(np.ndarray):
    def __init__(self, *args, **kwargs):
        pass


def _operations():
    """Every kind of use of an array: none may crash."""
    return [
        repr, str, len, list, bool, lambda x: x[()], lambda x: x[0],
        lambda x: x[...], lambda x: x[[0]], lambda x: x[x > 0],
        lambda x: x.__setitem__(0, 1), lambda x: x.__setitem__(..., 2),
        lambda x: x.copy(), copy.copy, copy.deepcopy,
        lambda x: bytes(memoryview(x)), lambda x: np.asarray(x), lambda x: x + 1,
        lambda x: np.add(x, 1, out=x), lambda x: x.__array_interface__["shape"],
        lambda x: pickle.loads(pickle.dumps(x)), lambda x: x.flags.writeable,
        lambda x: setattr(x, "shape", (1, 3)), lambda x: x.reshape(3, 1),
        lambda x: x.T, lambda x: x.ravel(), lambda x: x.flatten(),
        lambda x: x.view(np.uint8), lambda x: x.astype(np.int8), lambda x: x.tolist(),
        lambda x: x.base, lambda x: x.strides, lambda x: x.fill(0),
        lambda x: x.setflags(write=False), lambda x: ac.shares_memory(x, x),
    ]


@pytest.mark.parametrize("op", range(len(_operations())))
def test_subclass_without_super_init_is_a_valid_array(op):
    a = NoSuperInit((3,), np.int64)
    n = NumpyNoSuperInit((3,), np.int64)
    a[...] = n[...] = [1, 2, 3]
    assert type(a) is NoSuperInit and a.shape == (3,)
    func = _operations()[op]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = same_outcome(lambda: func(n), lambda: func(a))
    if result is not None and isinstance(result[0], np.ndarray):
        np.testing.assert_array_equal(np.asarray(result[1]), result[0])


def test_new_without_shape_never_gives_an_uninitialised_array():
    with pytest.raises(TypeError, match=r"missing required argument 'shape'"):
        ac.ndarray.__new__(ac.ndarray)
    with pytest.raises(TypeError, match="missing required argument"):
        ac.ndarray.__new__(NoSuperInit)
    with pytest.raises(TypeError, match="is not safe"):
        object.__new__(ac.ndarray)
    a = ac.ndarray.__new__(NoSuperInit, (2,), np.uint8, b"ab")
    assert type(a) is NoSuperInit and a.tolist() == [97, 98] and a.base == b"ab"


def test_reinit_changes_nothing():
    x = ac.arange(1000.0)
    m = memoryview(x)
    n = np.arange(1000.0)
    for args, kwargs in [(((10,),), {}), ((), {}), ((1, 2, 3), {"a": 4})]:
        assert n.__init__(*args, **kwargs) is None
        assert x.__init__(*args, **kwargs) is None
    assert x.shape == (1000,) and m.shape == (1000,)
    assert m[999] == 999.0 and x[999] == 999.0
    x[999] = -1
    assert m[999] == -1


def test_subclass_super_init_with_arguments_fails_as_in_numpy():
    class CallsSuper(ac.ndarray):
        def __init__(self, shape):
            super().__init__(shape)

    class NumpyCallsSuper(np.ndarray):
        def __init__(self, shape):
            super().__init__(shape)

    same_outcome(lambda: NumpyCallsSuper((2,)), lambda: CallsSuper((2,)))


# ------------------------------------------------------------ differential fuzz


def _numpy_reads_outside(n, nbytes, offset):
    """True when NumPy's array reaches outside the ``nbytes`` of its buffer
    (NumPy allows it for a negative offset, or strides on a 0-byte buffer)."""
    if n.size == 0:
        return False
    low = sum(s * (d - 1) for s, d in zip(n.strides, n.shape, strict=True) if s < 0)
    high = n.itemsize + sum(s * (d - 1) for s, d in zip(n.strides, n.shape,
                                                        strict=True) if s > 0)
    return offset + low < 0 or offset + high > nbytes


@given(
    shape=st.lists(st.integers(-1, 4), min_size=0, max_size=3),
    dtype=st.sampled_from(["u1", "i2", ">i4", "f8", "c16"]),
    nbytes=st.sampled_from([0, 1, 7, 8, 24, 40, None]),
    offset=st.one_of(st.none(), st.integers(-3, 45)),
    strides=st.one_of(st.none(), st.lists(st.integers(-12, 12), min_size=0,
                                          max_size=3)),
    order=st.sampled_from([None, "C", "F", "A", "K"]),
    readonly=st.booleans(),
)
def test_constructor_fuzz_matches_numpy(shape, dtype, nbytes, offset, strides, order,
                                        readonly):
    kwargs = {"order": order}
    if offset is not None:
        kwargs["offset"] = offset
    if strides is not None:
        kwargs["strides"] = tuple(strides)
    buffer = None
    if nbytes is not None:
        buffer = bytes(range(nbytes)) if readonly else bytearray(range(nbytes))
    try:
        n = np.ndarray(tuple(shape), dtype, buffer, **kwargs)
    except Exception:  # noqa: BLE001 -- compared below
        n = None
    if n is not None and buffer is not None and _numpy_reads_outside(
            n, nbytes, offset or 0):
        with pytest.raises(ValueError):
            ac.ndarray(tuple(shape), dtype, buffer, **kwargs)
        return
    result = same_outcome(lambda: np.ndarray(tuple(shape), dtype, buffer, **kwargs),
                          lambda: ac.ndarray(tuple(shape), dtype, buffer, **kwargs))
    if result is not None:
        _check_same(*result, buffer, buffer)
