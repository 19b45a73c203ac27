"""array_core.memmap against numpy.memmap: modes, offsets, dtypes, orders,
growth, flush, views and copies, a safe close(), lazy copies of maps, and a
sparse file larger than memory."""
import gc
import mmap
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import pytest

import array_core as ac

GRANULE = mmap.ALLOCATIONGRANULARITY
MODES = ["r", "r+", "w+", "c"]
ALIASES = {"readonly": "r", "readwrite": "r+", "write": "w+", "copyonwrite": "c"}


def make_file(path, nbytes, seed=0):
    data = np.random.default_rng(seed).integers(0, 256, nbytes, dtype=np.uint8)
    path.write_bytes(data.tobytes())
    return data.tobytes()


def open_both(tmp_path, mode, nbytes, **kwargs):
    """The same file twice (one for each library), opened in ``mode``."""
    ours, theirs = tmp_path / "ours.bin", tmp_path / "theirs.bin"
    if nbytes is not None:
        make_file(ours, nbytes)
        make_file(theirs, nbytes)
    a = ac.memmap(ours, mode=mode, **kwargs)
    n = np.memmap(theirs, mode=mode, **kwargs)
    return a, n, ours, theirs


def assert_like(a, n):
    assert type(a) is ac.memmap
    assert a.shape == n.shape and a.dtype == n.dtype and a.strides == n.strides
    for flag in ("c_contiguous", "f_contiguous", "writeable", "owndata",
                 "aligned"):
        assert getattr(a.flags, flag) == getattr(n.flags, flag), flag
    assert (a.offset, a.mode) == (n.offset, n.mode)
    assert type(a.base) is mmap.mmap and type(n.base) is mmap.mmap
    assert len(a.base) == len(n.base)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(n))


CASES = [
    (mode, dtype, offset, order, shape)
    for mode in MODES
    for dtype in ["u1", "<i2", ">f8", "c16", [("a", "<i4"), ("b", "u1")]]
    for offset in [0, 3, 8, GRANULE - 1, GRANULE, GRANULE + 5, 3 * GRANULE + 17]
    for order in "CF"
    for shape in [None, 6, (2, 3), (3, 1, 2)]
    if not (mode == "w+" and shape is None)
]


@pytest.mark.parametrize(("mode", "dtype", "offset", "order", "shape"), CASES)
def test_memmap_matches_numpy(tmp_path, mode, dtype, offset, order, shape):
    itemsize = np.dtype(dtype).itemsize
    size = 4 * GRANULE + 64
    size -= (size - offset) % itemsize  # whole items after the offset
    kwargs = dict(dtype=dtype, offset=offset, order=order, shape=shape)
    a, n, ours, theirs = open_both(tmp_path, mode, size, **kwargs)
    assert_like(a, n)
    assert ours.stat().st_size == theirs.stat().st_size
    if mode != "r":
        value = np.zeros((), dtype)
        a.reshape(-1)[-1:] = value
        n.reshape(-1)[-1:] = value
        a[...] = a  # a write of every item
        a.flush()
        n.flush()
    np.testing.assert_array_equal(np.asarray(a), np.asarray(n))
    del a, n  # unmapped at once: no array is in a reference cycle
    assert ours.read_bytes() == theirs.read_bytes()


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_mode_aliases(tmp_path, alias):
    a, n, _, _ = open_both(tmp_path, alias, 64, shape=(8,), dtype="i8")
    assert a.mode == n.mode == ALIASES[alias]
    assert_like(a, n)


@pytest.mark.parametrize(("mode", "shape"), [("r+", (3, 5)), ("w+", (3, 5)),
                                             ("r+", 100), ("w+", 1),
                                             ("r+", (0,)), ("w+", (0, 4))])
@pytest.mark.parametrize("offset", [0, 7, GRANULE + 1])
def test_growth_matches_numpy(tmp_path, mode, shape, offset):
    a, n, ours, theirs = open_both(tmp_path, mode, 10, dtype="<i4", shape=shape,
                                   offset=offset)
    assert_like(a, n)
    assert ours.stat().st_size == theirs.stat().st_size
    del a, n
    assert ours.read_bytes() == theirs.read_bytes()


def test_offset_at_a_granule_boundary_at_the_end(tmp_path):
    # NumPy maps one granule back when nothing would be mapped at all.
    a, n, _, _ = open_both(tmp_path, "r+", 2 * GRANULE, offset=2 * GRANULE,
                           shape=(0,))
    assert_like(a, n)


def message(call):
    try:
        call()
    except Exception as e:  # noqa: BLE001
        return type(e), str(e)
    return None


@pytest.mark.parametrize(("nbytes", "kwargs"), [
    (16, dict(mode="rw")),
    (16, dict(mode="w")),
    (None, dict(mode="w+")),
    (15, dict(dtype="i2")),
    (0, dict(mode="r")),
    (0, dict(mode="c")),
    (16, dict(offset=32)),
    (16, dict(mode="r", shape=100)),
    (16, dict(mode="c", shape=(4, 5))),
    (16, dict(mode="r", offset=-1)),
    (16, dict(shape=(-1, 2))),
    (16, dict(order="X", shape=4)),
])
def test_errors_match_numpy(tmp_path, nbytes, kwargs):
    for name in ("ours", "theirs"):
        if nbytes is not None:
            (tmp_path / name).write_bytes(b"\x01" * nbytes)
    ours = message(lambda: ac.memmap(tmp_path / "ours", **kwargs))
    theirs = message(lambda: np.memmap(tmp_path / "theirs", **kwargs))
    assert ours is not None
    assert ours == theirs


def test_missing_file(tmp_path):
    for mode in ("r", "r+", "c"):
        with pytest.raises(FileNotFoundError):
            ac.memmap(tmp_path / "missing", mode=mode)


def test_filename_forms(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(8))
    m = ac.memmap(str(path))
    assert m.filename == np.memmap(str(path)).filename == str(path)
    m = ac.memmap(path)
    assert m.filename == np.memmap(path).filename == path.resolve()
    assert isinstance(m.filename, pathlib.Path)
    with open(path, "r+b") as f:
        m = ac.memmap(f, dtype="u2")
        assert m.filename == os.path.abspath(f.name)
        assert m.shape == (4,)
    os.chdir(tmp_path)
    try:
        assert ac.memmap("f.bin").filename == str(path)
    finally:
        os.chdir("/")
    import tempfile
    with tempfile.TemporaryFile() as f:
        f.write(bytes(4))
        f.flush()
        assert ac.memmap(f).filename is np.memmap(f).filename is None


def test_views_are_memmaps_with_numpys_bases(tmp_path):
    path = tmp_path / "v.bin"
    path.write_bytes(bytes(range(24)))
    m = ac.memmap(path, shape=(4, 6))
    n = np.memmap(path, shape=(4, 6))
    views = [
        lambda x: x[1:], lambda x: x[1:][1:], lambda x: x[::2, ::-1],
        lambda x: x.T, lambda x: x.T[1:], lambda x: x[0], lambda x: x[None],
        lambda x: x.reshape(6, 4), lambda x: x.view("u2"), lambda x: x.view(),
        lambda x: x.ravel(), lambda x: x[..., 1], lambda x: x.swapaxes(0, 1),
        lambda x: x[1:].T[::2],
    ]
    for make in views:
        v, w = make(m), make(n)
        assert type(v) is ac.memmap and type(w) is np.memmap
        assert v.base is m
        assert w.base is n
        assert (v.filename, v.offset, v.mode) == (w.filename, w.offset, w.mode)
        assert v._mmap is m._mmap
        assert np.shares_memory(v, m)
        np.testing.assert_array_equal(np.asarray(v), np.asarray(w))
    v = m.view(ac.ndarray)
    assert type(v) is ac.ndarray and v.base is m
    assert type(v[1:]) is ac.ndarray
    assert type(m[1:].view(ac.ndarray).base) is ac.memmap


def test_copies_are_plain_arrays(tmp_path):
    path = tmp_path / "c.bin"
    path.write_bytes(bytes(range(24)))
    m = ac.memmap(path, shape=(4, 6))
    for c in (m.copy(), m + 1, m[[0, 2]], m[m > 3], m.flatten(), m.T.copy(),
              m.astype("f4"), np.add(m, 1), m.sum(axis=0), ac.copy(m),
              m.copy(lazy=True), m.T.reshape(24)):
        assert type(c) is ac.ndarray
        assert not np.shares_memory(c, m)
    assert m.copy().base is None


def test_read_only_map_refuses_writes(tmp_path):
    path = tmp_path / "r.bin"
    path.write_bytes(bytes(8))
    m = ac.memmap(path, mode="r")
    n = np.memmap(path, mode="r")
    for target in (m, m[1:]):
        with pytest.raises(ValueError, match="assignment destination is read-only"):
            target[0] = 1
    with pytest.raises(ValueError) as ours:
        m.fill(1)
    with pytest.raises(ValueError) as theirs:
        n.fill(1)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="read-only"):
        m += 1
    assert path.read_bytes() == bytes(8)


READER = """
import sys, numpy as np
print(np.fromfile(sys.argv[1], dtype="<i4").tolist())
"""


def read_in_another_process(path):
    out = subprocess.run([sys.executable, "-c", READER, str(path)],
                         capture_output=True, text=True, check=True).stdout
    return eval(out)


def test_flushed_writes_are_seen_by_another_process(tmp_path):
    path = tmp_path / "f.bin"
    m = ac.memmap(path, dtype="<i4", mode="w+", shape=(2, 3))
    m[:] = [[1, 2, 3], [4, 5, 6]]
    m[1:].flush()  # a view flushes the whole map, as NumPy's
    assert read_in_another_process(path) == [1, 2, 3, 4, 5, 6]
    m[0, 0] = 7
    m.flush()
    assert read_in_another_process(path) == [7, 2, 3, 4, 5, 6]


def test_copy_on_write_never_touches_the_file(tmp_path):
    path = tmp_path / "c.bin"
    np.arange(6, dtype="<i4").tofile(path)
    before = path.read_bytes()
    m = ac.memmap(path, dtype="<i4", mode="c")
    assert m.flags.writeable
    m[:] = 9
    m[1:].flush()
    m.flush()
    assert np.asarray(m).tolist() == [9] * 6
    assert read_in_another_process(path) == list(range(6))
    del m
    gc.collect()
    assert path.read_bytes() == before


# ------------------------------------------------------------------ close/del


@pytest.fixture
def small_map(tmp_path):
    path = tmp_path / "s.bin"
    np.arange(8, dtype="<i8").tofile(path)
    return path


def test_close_unmaps_and_empties(small_map):
    m = ac.memmap(small_map, dtype="<i8")
    mm = m.base
    m.close()
    assert mm.closed
    assert m.shape == (0,) and m.size == 0
    assert np.asarray(m).tolist() == []
    m.close()  # again: nothing to do
    m.flush()  # nothing to do
    assert repr(m) == "memmap([], dtype=int64)"


@pytest.mark.parametrize("make", [
    lambda m: m[1:],
    lambda m: m.T,
    lambda m: m[1:][::2],
    lambda m: memoryview(m),
    lambda m: np.asarray(m),
    lambda m: np.asarray(m[2:]),
    lambda m: m.__array_interface__ and np.asarray(m[1:]),
    lambda m: memoryview(m.base),
    lambda m: np.frombuffer(m.base, dtype="u1"),
])
def test_close_refuses_while_something_reaches_the_memory(small_map, make):
    m = ac.memmap(small_map, dtype="<i8")
    held = make(m)
    with pytest.raises(BufferError, match="cannot close the memmap"):
        m.close()
    # Nothing changed: everything still reads the file.
    assert np.asarray(m).tolist() == list(range(8))
    assert not m.base.closed
    if isinstance(held, memoryview):
        held.release()
    del held
    gc.collect()
    m.close()
    assert m.base.closed


def test_close_on_a_view_refuses(small_map):
    m = ac.memmap(small_map, dtype="<i8")
    v = m[2:]
    with pytest.raises(BufferError, match="view"):
        v.close()
    assert v.tolist() == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("mode", ["r", "r+", "c"])
def test_close_materialises_lazy_copies(small_map, mode):
    m = ac.memmap(small_map, dtype="<i8", mode=mode)
    c = m.copy(lazy=True)
    c2 = m[2:5].copy(lazy=True)
    assert ac._array._shares_lazily(c)
    with ac.copy_audit() as log:
        m.close()
    assert [r.operation for r in log] == ["lazy copy", "lazy copy"]
    assert c.tolist() == list(range(8)) and c2.tolist() == [2, 3, 4]
    c[0] = 5
    assert c[0] == 5


def test_del_orders(small_map):
    # The map lives as long as anything reaches it, in any order.
    m = ac.memmap(small_map, dtype="<i8", mode="r+")
    mm = m.base
    v = m[2:]
    w = v[1:]
    del m
    gc.collect()
    assert v.tolist() == [2, 3, 4, 5, 6, 7] and w.tolist() == [3, 4, 5, 6, 7]
    w[0] = 30
    del v
    gc.collect()
    assert w[0] == 30 and not mm.closed
    e = memoryview(w)
    del w
    gc.collect()
    assert e[0] == 30
    with pytest.raises(BufferError):
        mm.close()  # still exported
    e.release()
    del e
    gc.collect()
    mm.close()  # nothing reaches it any more
    assert np.fromfile(small_map, dtype="<i8")[3] == 30


@pytest.mark.parametrize("mode", ["r", "r+", "c"])
def test_lazy_copy_outlives_its_map(small_map, mode):
    m = ac.memmap(small_map, dtype="<i8", mode=mode)
    mm = m.base
    c = m[1:].copy(lazy=True)
    del m
    gc.collect()
    with pytest.raises(BufferError):
        mm.close()  # the lazy copy still reads the map
    assert c.tolist() == list(range(1, 8))
    with ac.copy_audit() as log:
        c[0] = 100  # copies once; never writes the map
    assert len(log) == 1 and log[0].category == "lazy-materialise"
    assert c.tolist() == [100] + list(range(2, 8))
    del mm
    gc.collect()
    assert np.fromfile(small_map, dtype="<i8").tolist() == list(range(8))


@pytest.mark.parametrize("mode", ["r+", "w+", "c"])
def test_lazy_copy_of_a_writable_map(small_map, mode):
    m = ac.memmap(small_map, dtype="<i8", mode=mode, shape=8)
    c = m.copy(lazy=True)
    assert ac._array._shares_lazily(c) and c.flags.owndata and c.base is None
    with ac.copy_audit() as log:
        m[0] = 42  # the map stays where it is; the copy moves, once
        m[1] = 43
    assert len(log) == 1 and log[0].reason.startswith("the first write")
    assert type(m.base) is mmap.mmap and m[0] == 42
    assert c[0] == (0 if mode == "w+" else 0) and c[1] == (0 if mode == "w+" else 1)
    m.flush()


def test_lazy_copy_export_and_map_write(small_map):
    m = ac.memmap(small_map, dtype="<i8")
    c = m.copy(lazy=True)
    e = np.asarray(c)  # a read-only export of the copy: it moves first
    m[0] = -1
    assert e[0] == 0 and c[0] == 0
    c[1] = -2
    assert m[1] == 1


# ---------------------------------------------------------- larger than memory


def rss_anon_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    raise AssertionError("no RssAnon")


def test_sparse_file_larger_than_memory(tmp_path):
    size = 64 << 30
    path = tmp_path / "sparse.bin"
    with open(path, "wb") as f:
        f.truncate(size)
    assert os.stat(path).st_blocks * 512 < 1 << 20  # sparse
    before = rss_anon_kib()
    start = time.perf_counter()
    m = ac.memmap(path, dtype=np.uint8, mode="r")
    assert m.shape == (size,) and m.nbytes == size
    step = size // 64
    total = 0
    for i in range(64):
        v = m[i * step:i * step + 65536]  # a view: no copy
        assert type(v) is ac.memmap
        total += int(v[::4096].sum())
    tail = m[-1000:].reshape(10, 100).T[::3]
    total += int(tail.sum())
    c = m[5 * step:5 * step + 4096].copy(lazy=True)  # lazy: still no copy
    total += int(c.sum())
    elapsed = time.perf_counter() - start
    grown = rss_anon_kib() - before
    assert total == 0
    assert grown < 16 << 10, f"private memory grew by {grown} KiB"
    assert elapsed < 10
    del m, v, tail, c
    gc.collect()
