"""Extreme sizes, steps, offsets and alignments, against NumPy.

Huge slice steps and starts, empty arrays whose other axes are huge, shapes
whose byte size overflows, allocations that cannot succeed and data at odd
addresses: NumPy's values, exception types and messages, and (in CI's
sanitizer build, where signed overflow and misaligned loads are fatal) no
undefined behaviour on the way.  Nothing here allocates much memory: an
impossible allocation fails at once.
"""
import numpy as np
import pytest
from numpy._core._exceptions import _ArrayMemoryError

import array_core as ac

TOO_BIG = ("array is too big; `arr.size * arr.dtype.itemsize` is larger than "
           "the maximum possible size.")


def outcome(lib, expr):
    """What ``expr`` gives with ``L`` bound to ``lib``: its error, or the
    result's shape, strides, dtype and values."""
    try:
        r = eval(expr, {"L": lib, "np": np})
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        return ("raise", type(e), str(e))
    if isinstance(r, np.ndarray | ac.ndarray):
        try:
            values = np.asarray(r).tolist() if r.size < 100 else None
        except (ValueError, MemoryError):
            values = "not convertible"  # NumPy refuses some legal itemsize-0 arrays
        return ("array", r.shape, r.strides, r.dtype, values, r.flags.c_contiguous,
                r.flags.f_contiguous)
    return ("value", r)


def check(expr):
    assert outcome(ac, expr) == outcome(np, expr), expr


# ------------------------------------------------------- huge steps and starts

@pytest.mark.parametrize("expr", [
    "L.arange(5.)[::2**62]",               # stride 8 * 2**62 wraps to 0 in NumPy
    "L.arange(5.)[::2**63-1]",
    "L.arange(5.)[::-2**62]",
    "L.arange(5.)[3::-(2**63-1)]",
    "L.arange(5.)[::-(2**63)]",
    "L.arange(5.)[2**63-1::-1]",
    "L.arange(5.)[-2**63::2**62]",
    "L.arange(5.)[2**100::-1]",
    "L.arange(5.)[-2**100:2**100:2**100]",
    "L.arange(5, dtype=np.complex128)[::2**60]",
    "L.arange(5, dtype=np.complex128)[::2**59]",
    "L.arange(5, dtype=np.uint8)[::2**62]",
    "L.arange(12.).reshape(3, 4)[::2**62, ::2**61]",
    "L.arange(12.).reshape(3, 4)[::-2**62, 1::2**61]",
    "L.arange(12.).reshape(3, 4)[1:2:2**62, ::-2**62]",
    "L.arange(12.).reshape(3, 4)[::2**62, None, ::-2**62]",
    "L.arange(12.).reshape(3, 4)[::2**62][0]",
    "L.arange(12.).reshape(3, 4)[::2**62].copy()",
    "L.arange(12.).reshape(3, 4)[::2**62, ::2**62].T.copy()",
    "L.arange(12.).reshape(3, 4)[[0, 2], ::2**62]",
    "L.arange(24.).reshape(2, 3, 4)[[1], ::2**62, [0]]",
    "L.arange(5.)[::2**62].flatten()",
    "L.arange(5.)[::2**62][None, :, None].reshape(1)",
    "L.arange(10.).reshape(2, 5)[:, ::2**62].reshape(2, 1, 1)",
    "L.arange(10.).reshape(2, 5)[:, ::2**62].T.reshape(2, order='F')",
    "L.arange(10.).reshape(5, 2)[::2**62].reshape(2)",
    "L.arange(10.).reshape(5, 2)[::2**62].copy(order='K')",
    "L.arange(10.).reshape(5, 2)[::-2**62].view(np.uint8)",
    "L.arange(10.).reshape(5, 2)[::2**62].T.view(np.uint8)",
    "L.ascontiguousarray(L.arange(10.).reshape(5, 2)[::2**62, ::-2**62])",
    "L.asfortranarray(L.arange(10.).reshape(5, 2)[::2**62, ::-2**62])",
    "L.moveaxis(L.arange(10.).reshape(5, 2)[::2**62, None], 0, -1)",
    "L.squeeze(L.arange(10.).reshape(5, 2)[::2**62])",
    "L.shares_memory(L.arange(5.)[::2**62], L.arange(5.))",
])
def test_huge_steps_and_starts(expr):
    check(expr)


def test_assignment_through_huge_steps():
    for lib in (np, ac):
        x = lib.zeros((3, 4))
        x[::2**62, ::-2**61] = 7
        x[1:, ::2**63 - 1] = lib.arange(2.)[:, None]
        x[2, -2**62:] = 5
        if lib is np:
            expected = x
    assert np.asarray(x).tolist() == expected.tolist()


# Empty arrays whose other axes have huge strides (as_strided accepts any
# strides for an empty array): offsets past the address space wrap, as NumPy's.
def empty_with_huge_strides(lib):
    n = np.lib.stride_tricks.as_strided(np.empty(0), (3, 0, 2), (2**62, 8, 2**61))
    return n if lib is np else ac.asarray(n)


@pytest.mark.parametrize("key", [
    np.s_[2], np.s_[-1], np.s_[1:], np.s_[::-1], np.s_[2, :, 1], np.s_[..., 1],
    np.s_[2:, :, ::-1], np.s_[[2, 1]], np.s_[[2], :, [1]], np.s_[2, [], 1],
])
def test_indexing_empty_arrays_with_huge_strides(key):
    n = empty_with_huge_strides(np)[key]
    a = empty_with_huge_strides(ac)[key]
    assert (a.shape, a.size) == (n.shape, n.size)
    if isinstance(key, tuple) and any(isinstance(k, list) for k in key) or \
            isinstance(key, list):
        return  # a copy: its strides are the result layout's
    assert a.strides == n.strides


# ------------------------------------------------------------ too big


@pytest.mark.parametrize("expr", [
    "L.empty((0, 2**62))",
    "L.empty((2**62, 0))",
    "L.empty((0, 2**61, 4), np.uint8)",
    "L.empty((0, 3, 2**62), np.uint8)",
    "L.empty((0, 3, 2**61), np.uint8, order='F')",
    "L.empty((0, 2**62), np.int16)",
    "L.empty((0, 2**62 - 1), np.int16)",
    "L.empty((0, 2**63 - 1), np.uint8)",
    "L.empty((2**40, 2**40), np.uint8)",
    "L.empty((2**62, 4, 0), 'S0')",        # an unsized string is made 1 byte
    "L.empty((2, 2**62), 'S0')",
    "L.empty((0, 2**62), 'U0')",
    "L.empty((0, 2**61), 'U0')",
    "L.empty((2**62, 4, -1))",             # the overflow is seen first
    "L.empty((-1, 2**62, 4))",
    "L.empty((0, 2**62), 'V0')",           # itemsize 0: any shape passes
    "L.zeros((0, 2**62))",
    "L.ones((0, 2**62), np.int8)",
    "L.full((0, 2**62), 3)",
    "L.ndarray((0, 2**62))",
    "L.ndarray((0, 2**60))",
])
def test_creation_refuses_overflowing_shapes(expr):
    check(expr)


@pytest.mark.parametrize("expr", [
    "L.zeros((0, 2)).reshape(0, 2**62, 4)",
    "L.zeros((0, 2)).reshape(0, 2**61, 4)",
    "L.zeros((0, 2), np.uint8).reshape(0, 2**61, 4)",
    "L.zeros((0, 2), np.uint8).reshape(0, 2**60, 4)",
    "L.zeros((0, 2)).reshape(2**62, 0)",
    "L.zeros((0, 2)).reshape(2**62, 0, copy=True)",
    "L.zeros((0, 2)).reshape(0, 2**62, 4, copy=False)",
    "L.zeros((0, 2)).reshape((0, 2**62, 4), order='F')",
    "L.zeros((0, 2)).T.reshape(0, 2**62, 4)",
    "L.zeros((0, 2))[:, ::-1].reshape(2**62, 4, 0)",
    "L.zeros(0).reshape(2**63 - 1, 0)",
    "L.zeros((0, 2)).reshape(-1, 2**62, 4)",     # the size error comes first
    "L.zeros((0, 2)).reshape(0, 2**59, 4)",
    "L.zeros((0, 2)).reshape(0, 2**59, 4, order='F')",
    "L.reshape(L.zeros((0, 2)), (2**61, 0, 2))",
])
def test_reshape_refuses_overflowing_shapes(expr):
    check(expr)


@pytest.mark.parametrize("shape", [(0, 2**62, 4), (2**61, 0), (0, 2**60, 8)])
def test_shape_assignment_refuses_overflowing_shapes(shape):
    results = []
    for lib in (np, ac):
        a = lib.zeros((0, 2))
        with pytest.raises(ValueError) as info:
            a.shape = shape
        results.append((str(info.value), a.shape, a.strides))
    assert results[0] == results[1]
    assert results[0][0] == TOO_BIG


def oversized(lib):
    """An empty array NumPy's view(dtype) lets through: 2**61 * 16 bytes."""
    return lib.zeros((2**61, 0), np.uint8).view("V16")


@pytest.mark.parametrize("op", [
    lambda a: a.copy(), lambda a: a.copy(order="F"), lambda a: a.T.copy(),
    lambda a: a.reshape(2**61, 0, 1), lambda a: a.reshape(0), lambda a: a.ravel(),
    lambda a: a.flatten(), lambda a: a.astype("V8"), lambda a: a[[0, 1]],
])
def test_copies_of_an_oversized_empty_array(op):
    n = oversized(np)
    a = oversized(ac)
    assert (a.shape, a.strides) == (n.shape, n.strides)
    try:
        expected = op(n)
    except ValueError as e:
        assert str(e) == TOO_BIG
        with pytest.raises(ValueError) as info:
            op(a)
        assert str(info.value) == TOO_BIG
    else:
        got = op(a)
        assert (got.shape, got.strides, got.dtype) == (
            expected.shape, expected.strides, expected.dtype)


# ------------------------------------------------------------ memory errors


@pytest.mark.parametrize("expr", [
    "L.empty(2**63 - 1, np.uint8)",
    "L.empty((2**62,), np.uint8)",
    "L.empty((2**31, 2**30), np.int16)",
    "L.empty((2**61, 2), np.uint8, order='F')",
    "L.zeros(2**62, np.uint8)",
    "L.ones(2**62, np.uint8)",
    "L.full(2**62, 3, np.uint8)",
    "L.ndarray((2**62,), np.int8)",
    "L.empty(2**58, np.complex128)",
])
def test_impossible_allocations_raise_numpys_memory_error(expr):
    n = outcome(np, expr)
    assert n[1] is _ArrayMemoryError
    assert outcome(ac, expr) == n


def huge_broadcast(lib, shape=(2**60, 4)):
    """A stride-0 view of 2**62 bytes (memory: one byte)."""
    n = np.broadcast_to(np.uint8(7), shape)
    return n if lib is np else ac.asarray(n)


@pytest.mark.parametrize("op", [
    lambda a: a.copy(), lambda a: a.flatten(), lambda a: a.T.ravel(),
    lambda a: a.astype(np.uint8, order="F"),
    lambda a: a[:, [0, 1]], lambda a: a[:, [True, True, False, True]],
    lambda a: a.T[[[0], [0]], :], lambda a: a[::2, None, [3]],
    lambda a: a.copy(lazy=True) if isinstance(a, ac.ndarray) else a.copy(),
])
def test_impossible_copies_raise_numpys_memory_error(op):
    with pytest.raises(_ArrayMemoryError) as expected:
        op(huge_broadcast(np))
    with pytest.raises(_ArrayMemoryError) as got:
        op(huge_broadcast(ac))
    assert str(got.value) == str(expected.value)
    assert type(got.value).__name__ == "MemoryError"  # as NumPy shows it


def test_memory_error_is_a_memory_error():
    with pytest.raises(MemoryError, match=r"^Unable to allocate 4.00 EiB for an "
                       r"array with shape \(4611686018427387904,\) and data "
                       r"type uint8$"):
        ac.empty(2**62, np.uint8)


# ------------------------------------------------------------ unaligned data


def unaligned(lib, dtype, shape, offset=1):
    """An array of ``dtype`` whose data sits ``offset`` bytes off alignment."""
    dtype = np.dtype(dtype)
    n = int(np.prod(shape))
    raw = np.arange(n * dtype.itemsize + offset, dtype=np.uint8)
    base = raw if lib is np else ac.asarray(raw)
    return base[offset:].view(dtype).reshape(shape)


UNALIGNED_DTYPES = ["int16", "float32", "float64", "complex128", "V3"]


@pytest.mark.parametrize("dtype", UNALIGNED_DTYPES)
@pytest.mark.parametrize("op", [
    lambda a: a.copy(), lambda a: a.T.copy(), lambda a: a[::2, ::-3].copy(),
    lambda a: a[:, ::3].copy(order="F"), lambda a: a[[3, 0, 1]],
    lambda a: a[:, [5, 1, 1, 0]], lambda a: a[a.view(np.uint8)[:, ::a.itemsize]
                                               % 3 == 0],
    lambda a: a.T.flatten(), lambda a: a.reshape(-1)[::-5],
])
def test_reads_of_unaligned_data(op, dtype):
    n = op(unaligned(np, dtype, (6, 7)))
    a = op(unaligned(ac, dtype, (6, 7)))
    assert a.shape == n.shape and a.dtype == n.dtype
    assert np.asarray(a).tobytes() == n.tobytes()


@pytest.mark.parametrize("dtype", UNALIGNED_DTYPES)
def test_writes_to_unaligned_data(dtype):
    results = []
    for lib in (np, ac):
        x = unaligned(lib, dtype, (6, 7))
        y = unaligned(lib, dtype, (6, 7), offset=3)
        x[::2] = y[1::2]
        x[:, [1, 3]] = y[:, :2]
        x[[5, 4]] = y[0]
        x[x.view(np.uint8)[:, ::x.itemsize] % 2 == 0] = y[0, 0]
        x.T[1:3] = y.T[4:6]
        results.append(np.asarray(x).tobytes())
    assert results[0] == results[1]


@pytest.mark.parametrize("expr", [
    "L.ndarray((0,), buffer=L.zeros(4)[1:], offset=2**63 - 1)",
    "L.ndarray((0,), buffer=L.zeros(4)[1:], offset=2**63 - 1, strides=(8,)).shape",
    "L.ndarray((0, 3), buffer=L.zeros(4)[1:], offset=2**62, strides=(2**62, 8))[:, 2]"
    ".shape",
    "L.ndarray((0, 2**62), buffer=L.zeros(4))",
    "L.ndarray((0, 2**62), 'u1', buffer=L.zeros(4))",
    "L.ndarray((2**62,), np.int8)",
    "L.ndarray((0, 2**62), np.int8)",
])
def test_constructor_extremes(expr):
    check(expr)
