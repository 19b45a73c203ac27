"""Pickle protocol 5: contiguous arrays, lazy copies and memmaps travel out of
band without a copy and load back zero-copy; everything else as NumPy."""
import gc
import pickle
import tracemalloc

import numpy as np
import pytest

import array_core as ac

MB = 1 << 20


def round_trip(a, protocol=5):
    buffers = []
    data = pickle.dumps(a, protocol=protocol, buffer_callback=buffers.append)
    return pickle.loads(data, buffers=buffers), data, buffers


@pytest.mark.parametrize("dtype", ["u1", "<i4", ">f8", "c8", "?", "M8[s]",
                                   [("a", "<i2"), ("b", "f4")]])
@pytest.mark.parametrize("make", [
    lambda x: x, lambda x: x.T, lambda x: x[::2], lambda x: x[1:2],
    lambda x: x[0, 0, ...], lambda x: x[:0], lambda x: x.reshape(2, 3, 2)[:, ::-1],
])
@pytest.mark.parametrize("writeable", [True, False])
def test_round_trips_match_numpy(dtype, make, writeable):
    n = make(np.arange(12).astype(dtype).reshape(3, 4))
    a = make(ac.asarray(np.arange(12).astype(dtype).reshape(3, 4)))
    if not writeable:
        n.flags.writeable = False
        a.flags.writeable = False
    contiguous = n.flags.c_contiguous or n.flags.f_contiguous
    for in_band in (False, True):
        if in_band:
            la = pickle.loads(pickle.dumps(a, protocol=5))
            ln = pickle.loads(pickle.dumps(n, protocol=5))
        else:
            la, data, bufs = round_trip(a)
            ln, ndata, nbufs = round_trip(n)
            # NumPy pickles a non-contiguous array's bytes in band; array_core
            # sends the memory it spans out of band.
            assert len(bufs) == (len(nbufs) if contiguous else 1)
        assert type(la) is ac.ndarray
        assert la.shape == ln.shape
        np.testing.assert_array_equal(np.asarray(la), ln)
        # NumPy's in-band load of a non-contiguous array is in native byte
        # order; its out-of-band loads, and array_core's, keep the dtype.
        assert la.dtype == (ln.dtype if contiguous else a.dtype)
        if contiguous:
            assert la.strides == ln.strides
            assert la.flags.writeable == ln.flags.writeable
            assert la.flags.c_contiguous == ln.flags.c_contiguous
            assert la.flags.f_contiguous == ln.flags.f_contiguous
        else:
            # NumPy's in-band copy is C-ordered and writeable; the view
            # arrives with its strides and its read-only flag.
            assert la.strides == a.strides
            assert la.flags.writeable == writeable
        if not in_band and nbufs:
            assert np.shares_memory(la, a) == np.shares_memory(ln, n)


def out_of_band(a):
    """The round trip, after checking that none of ``a``'s bytes is in the
    pickle stream (each element's bytes are distinct: see ``distinct``)."""
    buffers = []
    data = pickle.dumps(a, protocol=5, buffer_callback=buffers.append)
    assert len(buffers) == 1 and len(data) < 400
    raw = np.asarray(a).tobytes()
    for i in range(0, min(len(raw), 1024) - 7, 8):
        assert raw[i:i + 8] not in data
    return pickle.loads(data, buffers=buffers), buffers


def distinct(shape, dtype="<u8"):
    """Elements whose bytes are unlike anything a small pickle holds."""
    n = int(np.prod(shape))
    values = (np.arange(n, dtype="<u8") * 0x0101010101010101 + 0x8F7E6D5C4B3A2918)
    return values.view(dtype).reshape(shape)


@pytest.mark.parametrize("make, sent", [
    (lambda x: x[:, ::2], "span"),
    (lambda x: x[::-1, 1::2], "span"),
    (lambda x: x.T[::2], "span"),
    (lambda x: x[1:3, 2:5], "span"),
    (lambda x: x[:, ::3], "copy"),
    (lambda x: x[::4, ::5], "copy"),
    (lambda x: x[:, 3], "copy"),
])
@pytest.mark.parametrize("writeable", [True, False])
def test_non_contiguous_views_travel_out_of_band(make, sent, writeable):
    n = make(distinct((8, 6)))
    a = make(ac.asarray(distinct((8, 6))))
    assert not (a.flags.c_contiguous or a.flags.f_contiguous)
    a.flags.writeable = writeable
    with ac.copy_audit() as log:
        b, buffers = out_of_band(a)
    assert type(b) is ac.ndarray
    assert (b.shape, b.dtype) == (n.shape, n.dtype)
    np.testing.assert_array_equal(np.asarray(b), n)
    assert b.flags.writeable == writeable
    assert b.flags.c_contiguous == (sent == "copy")
    size = memoryview(buffers[0]).nbytes
    if sent == "span":
        # The smallest span of the base's memory the view covers, no copy.
        assert b.strides == a.strides and len(log) == 0
        assert a.nbytes < size <= 2 * a.nbytes
        assert np.shares_memory(b, a)  # loaded in this process: aliases it
    else:
        assert b.strides == n.copy().strides and size == a.nbytes
        [record] = log
        assert (record.operation, record.category, record.nbytes) == (
            "pickle", "explicit", a.nbytes)
        assert "more than 2 times its size" in record.reason
        assert not np.shares_memory(b, a)
    if writeable:
        b[0] = 0   # aliases what it was given, as a contiguous array's load


@pytest.mark.parametrize("dtype", ["u1", ">f8", "c16", "M8[s]",
                                   [("a", "<i2"), ("b", "f4")]])
def test_non_contiguous_views_of_any_dtype(dtype):
    dtype = np.dtype(dtype)
    raw = distinct((6 * 8 * dtype.itemsize // 8 + 1,)).tobytes()
    n = np.frombuffer(raw[:6 * 8 * dtype.itemsize], dtype).reshape(6, 8)
    for make in (lambda x: x[1::2, ::-1], lambda x: x.T[::-2]):
        a = make(ac.asarray(n.copy()))
        b, _ = out_of_band(a)
        assert type(b) is ac.ndarray and b.dtype == dtype
        assert b.strides == a.strides
        assert np.asarray(b).tobytes() == make(n).tobytes()


def test_views_of_lazy_copies_expose_no_writable_memory(tmp_path):
    x = ac.array(distinct((8, 6)))   # array_core's memory: lazy copies share it
    c = x.copy(lazy=True)
    assert ac._array._shares_lazily(c)
    view = c[:, ::2]
    b, buffers = out_of_band(view)
    assert memoryview(buffers[0]).readonly  # c's memory is x's: never writable
    assert ac._array._shares_lazily(c)       # the export did not copy it
    assert b.flags.writeable                 # the view's flag, as a lazy copy
    b[0, 0] = 1
    assert x[0, 0] == c[0, 0] == distinct((8, 6))[0, 0]
    # A lazy copy of a read-only map, through a view wider than twice its
    # bytes (copied first) and one within (its span, read without moving).
    path = tmp_path / "v.bin"
    distinct((8, 6)).tofile(path)
    m = ac.memmap(path, dtype="<u8", mode="r", shape=(8, 6))
    lazy = m.copy()
    for v in (lazy[:, ::2], lazy[:, ::4]):
        with ac.copy_audit() as log:
            b, buffers = out_of_band(v)
        assert memoryview(buffers[0]).readonly or len(log) == 1
        assert b.flags.writeable and b.base is not None
        b[...] = 0
        np.testing.assert_array_equal(np.asarray(m), distinct((8, 6)))
    del b, buffers
    gc.collect()
    m.close()


def test_corrupt_span_pickles_are_refused():
    from array_core._pickle import _from_pickle_span

    span = bytes(64)
    with pytest.raises(ValueError, match="reach outside the memory"):
        _from_pickle_span(span, np.dtype("f8"), (4,), (16,), 16, False)
    with pytest.raises(ValueError, match="reach outside the memory"):
        _from_pickle_span(span, np.dtype("f8"), (2,), (-8,), 0, False)
    with pytest.raises(ValueError, match="corrupt pickle"):
        _from_pickle_span(span, np.dtype("f8"), (2,), (8, 8), 0, False)
    # Strides whose products wrap around the address space.
    with pytest.raises(ValueError, match="reach outside the memory"):
        _from_pickle_span(span, np.dtype("f8"), (5,), (1 << 62,), 0, False)
    with pytest.raises(ValueError, match="reach outside the memory"):
        _from_pickle_span(span, np.dtype("u1"), (3, 3), (1 << 62, -(1 << 62)),
                          0, False)
    with pytest.raises(ValueError, match="reach outside the memory"):
        _from_pickle_span(span, np.dtype("f8"), (1,), (8,), -8, False)
    with pytest.raises(ValueError, match="negative dimensions"):
        _from_pickle_span(span, np.dtype("f8"), (-1,), (8,), 0, False)
    with pytest.raises(ValueError, match="array is too big"):
        _from_pickle_span(span, np.dtype("f8"), (1 << 62, 4), (0, 0), 0, False)
    # Zero strides reach one item, however long the axes.
    wide = _from_pickle_span(span, np.dtype("f8"), (1 << 20, 3), (0, 8), 0, False)
    assert wide.shape == (1 << 20, 3) and wide.strides == (0, 8)
    empty = _from_pickle_span(span, np.dtype("f8"), (0, 3), (1 << 40, 8), 0, False)
    assert empty.shape == (0, 3)
    ok = _from_pickle_span(span, np.dtype("f8"), (2,), (-8,), 8, False)
    assert ok.strides == (-8,) and not ok.flags.writeable


def test_broadcast_views_send_one_row():
    # Zero strides: the span is one row, whatever the broadcast shape.
    row = ac.asarray(distinct((6,)))
    wide = ac.broadcast_to(row, (1000, 6))
    b, buffers = out_of_band(wide)
    assert memoryview(buffers[0]).nbytes == row.nbytes
    assert b.strides == (0, 8) and not b.flags.writeable
    np.testing.assert_array_equal(np.asarray(b), np.broadcast_to(distinct((6,)),
                                                                 (1000, 6)))


@pytest.mark.parametrize("protocol", [2, 3, 4])
def test_older_protocols(protocol):
    a = ac.arange(6.0).reshape(2, 3).T
    b = pickle.loads(pickle.dumps(a, protocol=protocol))
    assert type(b) is ac.ndarray and b.strides == a.strides
    np.testing.assert_array_equal(b, a)


def test_out_of_band_is_zero_copy():
    a = ac.ones(8 * MB // 8)
    tracemalloc.start()
    try:
        b, data, buffers = round_trip(a)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(data) < 1000 and len(buffers) == 1
    assert peak < MB // 4, peak
    assert np.shares_memory(b, a) and b.flags.writeable
    b[0] = 5  # aliases the buffer, as NumPy's
    assert a[0] == 5


def test_in_band_makes_one_copy_as_numpy():
    a = ac.ones(8 * MB // 8)
    tracemalloc.start()
    try:
        data = pickle.dumps(a, protocol=5)
        b = pickle.loads(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The pickle itself and the loaded array (which lives on the pickle's
    # bytearray): nothing more.
    assert peak < 2 * 8 * MB + MB, peak
    assert b.flags.writeable and not np.shares_memory(a, b)
    np.testing.assert_array_equal(b, a)


def test_lazy_copy_pickles_without_materialising():
    x = ac.arange(MB // 8 * 8, dtype="f8")
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        tracemalloc.start()
        try:
            b, data, buffers = round_trip(c)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert not [r for r in log if r.category != "lazy"] and peak < MB // 4
    assert ac._array._shares_lazily(c)
    # In the same process the loaded array is a lazy copy of c: writeable,
    # its own array, sharing until written.
    assert b.flags.writeable and b.base is None
    assert type(b) is ac.ndarray
    assert ac._array._shares_lazily(b)
    del buffers
    with ac.copy_audit() as log:
        b[0] = -1
    assert len(log) == 1 and log[0].category == "lazy-materialise"
    assert c[0] == 0 and x[0] == 0 and b[0] == -1
    x[1] = -2
    assert c[1] == 1 and b[1] == 1


def test_lazy_copy_in_band_loads_lazily_on_the_pickle_bytes():
    x = ac.arange(1000.0)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        data = pickle.dumps(c, protocol=5)
        b = pickle.loads(data)
    assert [r.category for r in log] == ["lazy"]  # the load: lazy, no bytes
    assert ac._array._shares_lazily(c)
    assert b.flags.writeable and ac._array._shares_lazily(b)
    with ac.copy_audit() as log:
        b[0] = 7
    assert len(log) == 1
    assert b[0] == 7 and c[0] == 0
    del data
    gc.collect()
    np.testing.assert_array_equal(b[1:], np.arange(1.0, 1000.0))


def test_lazy_copy_loaded_from_foreign_read_only_memory_copies_once():
    c = ac.arange(10.0).copy(lazy=True)
    buffers = []
    data = pickle.dumps(c, protocol=5, buffer_callback=buffers.append)
    foreign = bytearray(buffers[0].raw())  # the owner may write it later
    with ac.copy_audit() as log:
        b = pickle.loads(data, buffers=[memoryview(foreign).toreadonly()])
    assert len(log) == 1 and log[0].operation == "unpickle"
    foreign[:8] = bytes(8)
    assert b[0] == 0 and b.flags.writeable
    b[1] = 5
    assert c[1] == 1


@pytest.mark.parametrize("mode", ["r", "r+", "c"])
def test_memmap_pickles_out_of_band_as_an_ordinary_array(tmp_path, mode):
    path = tmp_path / "p.bin"
    np.arange(MB // 8, dtype="<f8").tofile(path)
    m = ac.memmap(path, dtype="<f8", mode=mode, shape=(MB // 64, 8))
    tracemalloc.start()
    try:
        b, data, buffers = round_trip(m)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(buffers) == 1 and len(data) < 1000 and peak < MB // 4
    assert type(b) is ac.ndarray
    assert np.shares_memory(b, m)  # in this process: the map's memory
    assert b.flags.writeable == (mode != "r")
    np.testing.assert_array_equal(b, m)
    # In band (another process would see this): an ordinary array.
    b2 = pickle.loads(pickle.dumps(m[1:], protocol=5))
    assert type(b2) is ac.ndarray and not np.shares_memory(b2, m)
    np.testing.assert_array_equal(b2, m[1:])
    del b, buffers
    gc.collect()
    m.close()  # nothing the pickling made reaches the map any more
    np.testing.assert_array_equal(b2[:2], np.arange(16.0).reshape(2, 8) + 8)


def test_memmap_close_after_pickling(tmp_path):
    path = tmp_path / "q.bin"
    np.arange(16, dtype="<i4").tofile(path)
    m = ac.memmap(path, dtype="<i4", mode="r+")
    data = pickle.dumps(m, protocol=5)
    buffers = []
    data2 = pickle.dumps(m, protocol=5, buffer_callback=buffers.append)
    with pytest.raises(BufferError):
        m.close()  # the PickleBuffer held in ``buffers`` exports the map
    del buffers
    gc.collect()
    m.close()
    assert pickle.loads(data).tolist() == list(range(16))
    assert data2


def test_lazy_copy_of_a_memmap_pickles_without_materialising(tmp_path):
    path = tmp_path / "l.bin"
    np.arange(MB // 8, dtype="<f8").tofile(path)
    m = ac.memmap(path, dtype="<f8", mode="r")
    c = m.copy(lazy=True)
    with ac.copy_audit() as log:
        b, data, buffers = round_trip(c)
        b2 = pickle.loads(pickle.dumps(c, protocol=5))
    assert {r.category for r in log} <= {"lazy"} and log.total_bytes == 0
    assert ac._array._shares_lazily(c)
    assert len(buffers) == 1 and len(data) < 1000
    np.testing.assert_array_equal(b, m)
    np.testing.assert_array_equal(b2, m)
    assert b2.flags.writeable
    b2[0] = 5
    assert c[0] == 0 and m[0] == 0


def test_f_contiguous_exports_its_c_contiguous_transpose_as_numpy():
    # NumPy's PickleBuffer of an F-only array views its transpose: a
    # consumer's memoryview is C-contiguous (distributed joins small frames
    # with bytes.join, which needs that).
    n = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    a = ac.asfortranarray(ac.arange(12.0).reshape(3, 4))
    for array in (n, a):
        frames = []
        data = pickle.dumps(array, protocol=5, buffer_callback=frames.append)
        (view,) = [memoryview(f) for f in frames]
        assert view.c_contiguous and view.shape == (4, 3)
        b = pickle.loads(data, buffers=frames)
        assert b.flags.f_contiguous and not b.flags.c_contiguous
        np.testing.assert_array_equal(np.asarray(b), n)
        assert b"".join([view]) == n.T.tobytes()
        assert np.shares_memory(b, array)


def test_lazy_f_contiguous_copy_pickles_without_materialising():
    x = ac.asfortranarray(ac.arange(64.0).reshape(8, 8))
    c = x.copy(order="F", lazy=True)
    assert c.flags.f_contiguous and not c.flags.c_contiguous
    with ac.copy_audit() as log:
        b, data, buffers = round_trip(c)
    assert [r.category for r in log] == ["lazy"]  # the load: lazy, no bytes
    assert ac._array._shares_lazily(c) and ac._array._shares_lazily(b)
    assert b.flags.f_contiguous and b.flags.writeable and b.base is None
    del buffers
    with ac.copy_audit() as log:
        b[0, 1] = -1
    assert len(log) == 1 and log[0].category == "lazy-materialise"
    assert c[0, 1] == 1 and x[0, 1] == 1 and b[0, 1] == -1
    assert b.flags.f_contiguous


@pytest.mark.parametrize("mode", ["r", "r+", "c"])
def test_non_contiguous_memmap_views_arrive_as_arrays(tmp_path, mode):
    path = tmp_path / "n.bin"
    distinct((8, 6)).tofile(path)
    m = ac.memmap(path, dtype="<u8", mode=mode, shape=(8, 6))
    for v in (m[:, ::2], m[::-1, 1::3], m.copy()[:, ::2]):
        b, buffers = out_of_band(v)
        b2 = pickle.loads(pickle.dumps(v, protocol=5))
        for arrived in (b, b2):
            assert type(arrived) is ac.ndarray
            assert arrived.strides == v.strides or arrived.flags.c_contiguous
            np.testing.assert_array_equal(np.asarray(arrived), np.asarray(v))
        assert b.flags.writeable == v.flags.writeable
    del v, b, b2, buffers
    gc.collect()
    m.close()
