"""Interop: buffer protocol, __array__, __array_interface__, ufuncs, sharing."""
import ctypes
from functools import partial

import numpy as np
import pytest
from _strategies import (
    DTYPES,
    assert_same_array,
    assert_same_error,
    layouts,
    same_outcome,
    significant_strides,
)
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

VIA = st.sampled_from(["array", "asarray"])

# PEP 3118 request flags (Include/pybuffer.h).
PyBUF_SIMPLE = 0
PyBUF_WRITABLE = 0x0001
PyBUF_FORMAT = 0x0004
PyBUF_ND = 0x0008
PyBUF_STRIDES = 0x0010 | PyBUF_ND
PyBUF_C_CONTIGUOUS = 0x0020 | PyBUF_STRIDES
PyBUF_F_CONTIGUOUS = 0x0040 | PyBUF_STRIDES
PyBUF_ANY_CONTIGUOUS = 0x0080 | PyBUF_STRIDES
PyBUF_FULL_RO = PyBUF_STRIDES | PyBUF_FORMAT | 0x0100


class Py_buffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object),
                ("len", ctypes.c_ssize_t), ("itemsize", ctypes.c_ssize_t),
                ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p),
                ("strides", ctypes.c_void_p), ("suboffsets", ctypes.c_void_p),
                ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(Py_buffer), ctypes.c_int]
_release = ctypes.pythonapi.PyBuffer_Release
_release.argtypes = [ctypes.POINTER(Py_buffer)]
_release.restype = None


def request_buffer(obj, flags):
    """PyObject_GetBuffer(obj, flags) as a tuple of its fields, or raise."""
    view = Py_buffer()
    _get_buffer(obj, ctypes.byref(view), flags)
    try:
        def read(address):
            if not address:
                return None
            return tuple(ctypes.cast(address, ctypes.POINTER(ctypes.c_ssize_t))[i]
                         for i in range(view.ndim))
        return (bool(view.readonly), view.ndim, view.format, view.len, view.itemsize,
                read(view.shape), read(view.strides), bool(view.suboffsets))
    finally:
        _release(ctypes.byref(view))


REQUESTS = [PyBUF_SIMPLE, PyBUF_WRITABLE, PyBUF_ND, PyBUF_STRIDES,
            PyBUF_C_CONTIGUOUS, PyBUF_F_CONTIGUOUS, PyBUF_ANY_CONTIGUOUS,
            PyBUF_FULL_RO, PyBUF_FULL_RO | PyBUF_WRITABLE,
            PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE, PyBUF_ND | PyBUF_WRITABLE]


@given(layouts(), VIA, st.booleans())
def test_buffer_export_matches_numpy(layout, via, readonly):
    n0, n, a0, a = layout.build(via)
    if readonly:
        n.flags.writeable = False
        a.flags.writeable = False
    mn, ma = memoryview(n), memoryview(a)
    assert (ma.shape, ma.strides, ma.format, ma.readonly, ma.itemsize, ma.ndim,
            ma.nbytes, ma.c_contiguous, ma.f_contiguous, ma.contiguous) == (
        mn.shape, mn.strides, mn.format, mn.readonly, mn.itemsize, mn.ndim,
        mn.nbytes, mn.c_contiguous, mn.f_contiguous, mn.contiguous)
    assert ma.tobytes() == mn.tobytes()
    assert ma.obj is a
    for flags in REQUESTS:
        result = same_outcome(partial(request_buffer, n, flags),
                              partial(request_buffer, a, flags))
        if result is not None:
            assert result[0] == result[1]


def test_readonly_buffer_refuses_writable_requests():
    raw = bytes(range(8))
    a = ac.frombuffer(raw, np.uint8)
    n = np.frombuffer(raw, np.uint8)
    assert memoryview(a).readonly
    assert_same_error(lambda: request_buffer(n, PyBUF_WRITABLE),
                      lambda: request_buffer(a, PyBUF_WRITABLE))
    assert_same_error(lambda: ctypes.c_char.from_buffer(n),
                      lambda: ctypes.c_char.from_buffer(a))


def test_datetime_dtype_has_no_buffer_format():
    n = np.zeros(3, "M8[s]")
    a = ac.asarray(n)
    assert_same_error(lambda: memoryview(n), lambda: memoryview(a))
    assert_same_array(ac.asarray(np.asarray(a)), n, flags=False)
    assert np.asarray(a).dtype == n.dtype


@given(layouts(), VIA)
def test_numpy_asarray_is_zero_copy(layout, via):
    n0, n, a0, a = layout.build(via)
    e = np.asarray(a)
    assert type(e) is np.ndarray
    assert e.dtype == n.dtype and e.shape == n.shape
    # NumPy reads array_core through the buffer protocol, which exports
    # contiguous strides freshly computed, exactly as NumPy's own export does.
    assert e.strides == np.asarray(memoryview(n)).strides
    assert e.__array_interface__["data"][0] == a.__array_interface__["data"][0]
    assert e.flags.writeable == a.flags.writeable
    np.testing.assert_array_equal(e, n, strict=True)
    if n.size and n.flags.writeable:
        # The same memory both ways: a write through NumPy shows in array_core.
        flat_index = (0,) * n.ndim
        e[flat_index] = e[flat_index] if n.dtype.kind == "b" else 0
        assert a[flat_index] == e[flat_index]
    b = ac.asarray(e)
    assert b.base is e and ac.shares_memory(b, a) == (n.size > 0)


@given(layouts(max_side=3), VIA, st.sampled_from([None] + DTYPES[::3]),
       st.sampled_from([None, True, False]))
def test_dunder_array(layout, via, dtype, copy):
    n0, n, a0, a = layout.build(via)
    with np.errstate(all="ignore"):
        result = same_outcome(lambda: n.__array__(dtype, copy=copy),
                              lambda: a.__array__(dtype, copy=copy))
    if result is None:
        return
    rn, ra = result
    assert type(ra) is np.ndarray
    assert ra.dtype == rn.dtype and ra.shape == rn.shape
    np.testing.assert_array_equal(ra, rn, strict=True)
    assert np.shares_memory(ra, np.asarray(a)) == np.shares_memory(rn, n)
    if rn.size:
        assert significant_strides(ra.shape, ra.strides) == significant_strides(
            rn.shape, rn.strides)
    assert ra.flags.writeable == rn.flags.writeable or rn is n


def test_dunder_array_copy_false_message():
    n, a = np.arange(3), ac.arange(3)
    assert_same_error(lambda: n.__array__(np.float32, copy=False),
                      lambda: a.__array__(np.float32, copy=False))
    assert_same_error(lambda: np.asarray(n, np.float32, copy=False),
                      lambda: np.asarray(a, np.float32, copy=False))


@given(layouts(), VIA, st.booleans())
def test_array_interface(layout, via, readonly):
    n0, n, a0, a = layout.build(via)
    if readonly:
        n.flags.writeable = False
        a.flags.writeable = False
    ia, inn = a.__array_interface__, n.__array_interface__
    for key in ("shape", "typestr", "descr", "strides", "version"):
        assert ia[key] == inn[key], key
    assert ia["data"][1] == inn["data"][1]
    if n.size:
        assert ia["data"][0] == np.asarray(a).__array_interface__["data"][0]


# ------------------------------------------------------------------ ufuncs

BINARY = [lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y,
          lambda x, y: x / y, lambda x, y: x // y, lambda x, y: x % y,
          lambda x, y: x ** y, lambda x, y: x > y, lambda x, y: x <= y,
          lambda x, y: x == y, lambda x, y: x != y, lambda x, y: y - x,
          lambda x, y: divmod(x, y), lambda x, y: np.add(x, y),
          lambda x, y: np.maximum(x, y)]


@given(layouts(max_side=3, dtypes=[np.dtype(t) for t in
                                   ("int16", "int64", "uint8", "float32", "float64")]),
       VIA, st.sampled_from(BINARY), st.sampled_from([1, 2.5, 3]))
def test_operators_return_array_core(layout, via, op, other):
    n0, n, a0, a = layout.build(via)
    with np.errstate(all="ignore"):
        result = same_outcome(lambda: op(n, other), lambda: op(a, other))
    if result is None:
        return
    rn, ra = result
    pairs = zip(rn, ra, strict=True) if isinstance(rn, tuple) else [(rn, ra)]
    for vn, va in pairs:
        if isinstance(vn, np.ndarray):
            assert type(va) is ac.ndarray
            assert va.base is None and va.flags.owndata
            np.testing.assert_array_equal(np.asarray(va), vn, strict=True)
        else:
            assert type(va) is type(vn) and (va == vn or vn != vn)


def test_array_with_array_operands():
    n = np.arange(12.0).reshape(3, 4)
    a = ac.asarray(n.copy())
    for op in BINARY[:-2]:
        with np.errstate(all="ignore"):
            rn, ra = op(n, n.T[:4, :3].T), op(a, a.T[:4, :3].T)
        rn = rn if isinstance(rn, tuple) else (rn,)
        ra = ra if isinstance(ra, tuple) else (ra,)
        for vn, va in zip(rn, ra, strict=True):
            np.testing.assert_array_equal(np.asarray(va), vn, strict=True)
    np.testing.assert_array_equal(np.asarray(a @ a.T), n @ n.T, strict=True)
    np.testing.assert_array_equal(np.asarray(-a), -n, strict=True)
    np.testing.assert_array_equal(np.asarray(abs(-a)), abs(-n), strict=True)


def test_inplace_operators_write_into_the_array():
    a = ac.arange(6).reshape(2, 3)
    before = a
    view = a[1]
    a += 1
    assert a is before
    np.testing.assert_array_equal(np.asarray(a), np.arange(1, 7).reshape(2, 3))
    np.testing.assert_array_equal(np.asarray(view), [4, 5, 6])
    a *= 2
    a -= 1
    a //= 3
    a %= 5
    a |= 8
    a ^= 1
    a &= 14
    a **= 1
    n = np.arange(6).reshape(2, 3)
    n += 1
    n *= 2
    n -= 1
    n //= 3
    n %= 5
    n |= 8
    n ^= 1
    n &= 14
    n **= 1
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    f = ac.arange(4.0)
    f /= 2
    np.testing.assert_array_equal(np.asarray(f), np.arange(4.0) / 2, strict=True)


def test_inplace_through_transpose_attribute():
    n = np.arange(6.0).reshape(2, 3)
    a = ac.arange(6.0).reshape(2, 3)

    def bump(x):
        x.T += 1

    with pytest.raises(AttributeError) as en:
        bump(n)
    with pytest.raises(AttributeError) as ea:
        bump(a)
    assert "attribute 'T'" in str(en.value) and "attribute 'T'" in str(ea.value)
    # The addition happened in place before the attribute store failed.
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    t = a.T
    t += 1
    np.testing.assert_array_equal(np.asarray(a), n + 1, strict=True)


def test_inplace_on_readonly_and_casting_errors():
    n, a = np.arange(3), ac.arange(3)
    n.flags.writeable = False
    a.flags.writeable = False

    def iadd(x):
        x += 1

    assert_same_error(lambda: iadd(n), lambda: iadd(a))
    i, j = np.arange(3), ac.arange(3)

    def itruediv(x):
        x /= 2

    assert_same_error(lambda: itruediv(i), lambda: itruediv(j))


def test_comparison_mask_indexes_back():
    a = ac.arange(10)
    mask = a > 5
    assert type(mask) is ac.ndarray and mask.dtype == np.bool_
    np.testing.assert_array_equal(np.asarray(mask), np.arange(10) > 5)


# ------------------------------------------------------------------ sharing

@given(layouts(max_side=4), VIA, st.data())
def test_shares_memory_matches_numpy(layout, via, data):
    n0, n, a0, a = layout.build(via)
    nd = n.ndim
    key = tuple(data.draw(st.sampled_from([slice(None), slice(None, None, 2),
                                          slice(1, None), slice(None, 1)]))
                for _ in range(nd))
    other_n, other_a = n0.reshape(-1)[::3], a0.reshape(-1)[::3]
    for x, y, xn, yn in [(a, a[key], n, n[key]), (a[key], other_a, n[key], other_n),
                         (a, a0, n, n0), (a, a.copy(), n, n.copy())]:
        assert ac.shares_memory(x, y) == np.shares_memory(xn, yn)
        assert ac.may_share_memory(x, y) == np.may_share_memory(xn, yn)
        assert ac.shares_memory(x, np.asarray(y)) == np.shares_memory(xn, yn)


def test_shares_memory_examples():
    x = ac.arange(10)
    assert ac.shares_memory(x[::2], x[1::2]) is False
    assert ac.may_share_memory(x[::2], x[1::2]) is True
    assert ac.shares_memory(x[:5], x[4:]) is True
    assert ac.shares_memory(x, ac.arange(10)) is False
    assert ac.shares_memory(x, [1, 2]) is False
