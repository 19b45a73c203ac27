"""Buffer: aligned allocation, borrowing exporters, and memory lifetime."""
import array
import ctypes
import gc
import weakref

import numpy as np
import pytest
from _strategies import assert_same_array, assert_same_error

import array_core as ac
from array_core import _buffer


@pytest.mark.parametrize("nbytes", [0, 1, 7, 63, 64, 65, 1000, 4096])
def test_small_allocation_is_64_byte_aligned(nbytes):
    buf = _buffer.allocate(nbytes)
    assert buf.address % 64 == 0
    assert buf.nbytes == nbytes
    assert buf.owns_memory and buf.exporter is None and not buf.readonly


@pytest.mark.parametrize("nbytes", [(1 << 20) + 3, 5 << 20])
def test_large_allocation_sits_16_bytes_into_a_page(nbytes):
    # Where glibc puts NumPy's large arrays: copies between the two then run
    # at equal page offsets, glibc memcpy's fast case.
    buf = _buffer.allocate(nbytes)
    assert buf.address % 4096 == 16
    assert buf.nbytes == nbytes
    assert buf.owns_memory and buf.exporter is None and not buf.readonly


def test_allocation_zeroed_on_request():
    buf = _buffer.allocate(4096, zero=True)
    assert ctypes.string_at(buf.address, 4096) == bytes(4096)
    assert repr(buf) == "<Buffer owned nbytes=4096 readonly=False>"


def test_negative_allocation_refused():
    with pytest.raises(ValueError, match="negative buffer size"):
        _buffer.allocate(-1)


@pytest.mark.parametrize("dtype", ["float64", "int32", "complex128", "uint8"])
def test_new_arrays_are_aligned(dtype):
    for shape in [(), (0,), (3,), (5, 7), (2, 3, 4)]:
        x = ac.empty(shape, dtype)
        assert x.__array_interface__["data"][0] % 64 == 0
        assert x.flags.aligned


def test_borrow_readonly_bytes():
    raw = bytes(range(32))
    buf = _buffer.borrow(raw)
    assert buf.readonly and buf.exporter is raw and not buf.owns_memory
    assert buf.nbytes == 32
    assert repr(buf) == "<Buffer borrowed nbytes=32 readonly=True>"


def test_borrow_writeable_bytearray():
    raw = bytearray(16)
    buf = _buffer.borrow(raw)
    assert not buf.readonly and buf.exporter is raw
    # Held buffer: the bytearray cannot be resized while borrowed.
    with pytest.raises(BufferError):
        raw.extend(b"x")
    del buf
    gc.collect()
    raw.extend(b"x")


def test_borrow_refuses_non_contiguous_exporter():
    strided = memoryview(bytes(range(16)))[::2]
    with pytest.raises(BufferError):
        _buffer.borrow(strided)


@pytest.mark.parametrize("dtype,count,offset", [
    (np.uint8, -1, 0), (np.uint8, 5, 3), (np.int32, -1, 0), (np.int32, 2, 4),
    (np.float64, -1, 8), (np.complex64, 1, 8), (np.int16, 3, 1), (np.float64, 2, 3)])
def test_frombuffer_bytes_matches_numpy(dtype, count, offset):
    raw = bytes(range(32))
    n = np.frombuffer(raw, dtype, count=count, offset=offset)
    a = ac.frombuffer(raw, dtype, count=count, offset=offset)
    assert_same_array(a, n)
    assert a.base is raw and n.base is raw
    assert not a.flags.writeable


@pytest.mark.parametrize("dtype,count,offset", [
    (np.int32, -1, 1), (np.int32, 9, 0), (np.uint8, -1, 33), (np.uint8, 2, -1)])
def test_frombuffer_errors_match_numpy(dtype, count, offset):
    raw = bytes(range(32))
    assert_same_error(lambda: np.frombuffer(raw, dtype, count=count, offset=offset),
                      lambda: ac.frombuffer(raw, dtype, count=count, offset=offset))


def test_frombuffer_readonly_refuses_writes():
    raw = bytes(8)
    a = ac.frombuffer(raw, np.uint8)
    assert_same_error(lambda: np.frombuffer(raw, np.uint8).__setitem__(0, 1),
                      lambda: a.__setitem__(0, 1))
    assert_same_error(lambda: setattr(np.frombuffer(raw, np.uint8).flags,
                                      "writeable", True),
                      lambda: setattr(a.flags, "writeable", True))
    assert raw == bytes(8)


def test_frombuffer_writeable_exporter():
    raw = bytearray(range(8))
    a = ac.frombuffer(raw, np.uint8)
    assert a.flags.writeable and a.base is raw
    a[2:4] = 99
    assert raw[2:4] == b"cc"


def test_frombuffer_array_module_exporter():
    raw = array.array("i", range(6))
    a = ac.frombuffer(raw, np.int32)
    n = np.frombuffer(raw, np.int32)
    assert_same_array(a, n)
    a[0] = 42
    assert raw[0] == 42


def test_view_outlives_its_base():
    x = ac.arange(100, dtype=np.int64)
    ref = weakref.ref(x)
    v = x[10:20:3]
    assert v.base is x
    del x
    gc.collect()
    # The view keeps its base (and so the memory) alive.
    assert ref() is not None
    np.testing.assert_array_equal(np.asarray(v), [10, 13, 16, 19])


def test_view_of_view_outlives_everything():
    x = ac.arange(24, dtype=np.float32).reshape(2, 3, 4)
    v = x.T[1:, ::-1]
    w = v.reshape(-1) if v.flags.c_contiguous else v[0]
    expected = np.arange(24, dtype=np.float32).reshape(2, 3, 4).T[1:, ::-1][0]
    del x, v
    gc.collect()
    np.testing.assert_array_equal(np.asarray(w), expected)


def test_numpy_export_outlives_array_core_arrays():
    x = ac.arange(12, dtype=np.int16).reshape(3, 4)
    v = x[:, 1:3]
    e = np.asarray(v)
    assert e.__array_interface__["data"][0] == v.__array_interface__["data"][0]
    del x, v
    gc.collect()
    expected = np.arange(12, dtype=np.int16).reshape(3, 4)[:, 1:3]
    np.testing.assert_array_equal(e, expected)
    e[0, 0] = -5
    np.testing.assert_array_equal(e[0], [-5, 2])


def test_view_of_borrowed_numpy_array_outlives_the_numpy_name():
    n = np.arange(10.0)
    a = ac.asarray(n)
    assert a.base is n
    v = a[::-3]
    del n, a
    gc.collect()
    np.testing.assert_array_equal(np.asarray(v), [9.0, 6.0, 3.0, 0.0])


def test_frombuffer_view_outlives_bytes_name():
    a = ac.frombuffer(bytes(range(10)), np.uint8)[3:6]
    gc.collect()
    np.testing.assert_array_equal(np.asarray(a), [3, 4, 5])


def test_memoryview_of_array_core_keeps_memory_alive():
    x = ac.arange(6, dtype=np.int32)
    m = memoryview(x[1:])
    del x
    gc.collect()
    assert m.tolist() == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("make", [
    lambda: np.arange(4.0), lambda: ac.arange(4.0),
    lambda: np.arange(6.0).reshape(2, 3).T,
])
def test_borrow_readonly_arrays(make):
    # NumPy and array_core refuse writable requests with ValueError, not
    # BufferError: borrowing must still fall back to a read-only view.
    arr = make()
    arr.flags.writeable = False
    buf = _buffer.borrow(arr)
    assert buf.readonly and buf.exporter is arr and buf.nbytes == arr.nbytes
    arr.flags.writeable = True
    assert not _buffer.borrow(arr).readonly


def test_borrow_refuses_non_contiguous_array():
    strided = np.arange(6.0).reshape(2, 3)[:, ::2]
    with pytest.raises(ValueError, match="ndarray is not contiguous"):
        _buffer.borrow(strided)
