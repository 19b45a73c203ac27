"""Dask over files larger than memory: Dask's defensive copy is lazy.

``da.from_array(x)`` calls ``x.copy()``; a copy of an array_core memmap
opened in mode 'r' is lazy by default (nothing in the process can write the
map), so it costs nothing and computing reads the file chunk by chunk.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import array_core as ac

da = pytest.importorskip("dask.array")

GiB = 1 << 30


def rss_anon():
    """This process's private resident memory, in bytes (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    pytest.skip("no RssAnon in /proc/self/status")


def sparse_file(path, nbytes):
    with open(path, "wb") as f:
        f.truncate(nbytes)      # a hole: no disk is written
    return path


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.bin"
    np.arange(64 * 48, dtype="<f8").tofile(path)
    return path


def test_a_copy_of_a_read_only_map_is_lazy_and_looks_eager(small_file):
    m = ac.memmap(small_file, dtype="<f8", mode="r", shape=(64, 48))
    n = np.memmap(small_file, dtype="<f8", mode="r", shape=(64, 48))
    with ac.copy_audit() as log:
        c = m.copy()
        cn = n.copy()
    assert [(r.operation, r.category, r.nbytes) for r in log] == [("copy", "lazy", 0)]
    assert ac._array._shares_lazily(c)
    # NumPy's observable semantics of a copy (the oracle: numpy.memmap.copy).
    assert c.base is None and cn.base is None
    assert c.flags.owndata == cn.flags.owndata is True
    assert c.flags.writeable == cn.flags.writeable is True
    assert np.shares_memory(c, m) == np.shares_memory(cn, n) is False
    assert ac.shares_memory(c, m) is False
    assert c.strides == cn.strides and type(c) is ac.ndarray
    assert c.tolist() == cn.tolist()   # (an export to NumPy would materialise)
    # The first write copies, once; the map is unchanged.
    with ac.copy_audit() as log:
        c[0, 0] = -1.0
        c[1, 1] = -2.0
        cn[0, 0] = -1.0
    assert [(r.category, r.nbytes) for r in log] == [("lazy-materialise", 64 * 48 * 8)]
    assert m[0, 0] == 0.0 and c[0, 0] == -1.0 and not ac._array._shares_lazily(c)


def test_copies_of_writable_memory_stay_eager_unless_asked(small_file):
    m = ac.memmap(small_file, dtype="<f8", mode="r+", shape=(64, 48))
    x = ac.arange(10.0)
    with ac.copy_audit() as log:
        m.copy(), x.copy(), ac.copy(x)
    assert [r.category for r in log] == ["explicit"] * 3
    with ac.copy_audit() as log, ac.lazy_copies():
        a, b, c = m.copy(), x.copy(), ac.copy(x)
        x[0] = 5.0   # the copies do not see it
    assert [r.category for r in log] == ["lazy"] * 3 + ["lazy-materialise"]
    assert b[0] == 0.0 and c[0] == 0.0 and x[0] == 5.0
    assert a.base is None and a.flags.owndata and not np.shares_memory(a, m)
    del m, a


def test_lazy_copies_scope_is_per_context():
    import threading

    seen = []

    def other():
        with ac.copy_audit() as log:
            ac.arange(4).copy()
        seen.extend(r.category for r in log)

    with ac.lazy_copies():
        t = threading.Thread(target=other)   # a new thread: its own context
        t.start()
        t.join()
    assert seen == ["explicit"]
    with ac.copy_audit() as log:
        ac.arange(4).copy()
    assert [r.category for r in log] == ["explicit"]


def test_from_array_of_a_read_only_map_copies_nothing(small_file):
    m = ac.memmap(small_file, dtype="<f8", mode="r", shape=(64, 48))
    n = np.memmap(small_file, dtype="<f8", mode="r", shape=(64, 48))
    with ac.copy_audit() as log:
        x = da.from_array(m, chunks=(16, 48))
        made = list(log)
        total = x[::2].T.sum(axis=1).compute(scheduler="sync")
    expected = da.from_array(n, chunks=(16, 48))[::2].T.sum(axis=1).compute(
        scheduler="sync")
    np.testing.assert_array_equal(total, expected)
    assert type(total) is ac.ndarray
    # Dask's own copy (from_array) is lazy: no byte is copied by it.
    dask_copy = [r for r in made if r.function == "from_array"]
    assert [(r.operation, r.category, r.nbytes) for r in dask_copy] == [
        ("copy", "lazy", 0)]
    assert not [r for r in log if r.category == "lazy-materialise"]
    assert all(r.nbytes < 64 * 48 * 8 // 4 for r in log)


def test_a_reduction_over_a_file_larger_than_memory(tmp_path, monkeypatch):
    import array_core._dask

    def no_hashing(data):
        raise AssertionError("the token read the file's bytes")

    # The plain call: Dask's copy of the map is named by the map's file.
    monkeypatch.setattr(array_core._dask, "_hash", no_hashing)
    total_memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    nbytes = (total_memory // GiB + 8) * GiB   # larger than this machine's RAM
    path = sparse_file(tmp_path / "huge.bin", nbytes)
    cols = 1024
    rows = nbytes // (8 * cols)
    chunk_rows = 1 << 15                       # 256 MiB chunks
    before = rss_anon()
    with ac.copy_audit() as log:
        m = ac.memmap(path, dtype="<f8", mode="r", shape=(rows, cols))
        x = da.from_array(m, chunks=(chunk_rows, cols))
        # Every 8192nd row: a few pages per chunk, so that the test reads
        # little of the file (the kernel reads around each page touched),
        # but every chunk of the file goes through the graph.
        result = x[::8192, :64].T.sum(axis=1).compute(scheduler="threads")
    assert x.numblocks == (rows // chunk_rows, 1)
    assert type(result) is ac.ndarray and result.shape == (64,)
    assert not result.any()
    assert log.total_bytes < 64 << 20
    assert not [r for r in log if r.category == "lazy-materialise"]
    # Private memory stayed bounded by a few chunks (the file is >RAM).
    assert rss_anon() - before < 4 * 256 << 20
    del x, m


_SIMULATION = textwrap.dedent("""
    import resource, sys
    import numpy as np
    import array_core as ac
    import dask.array as da

    lib, path, nbytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    kind = ac.memmap if lib == "array_core" else np.memmap
    m = kind(path, dtype="<f8", mode="r")
    with open("/proc/self/status") as f:
        vm = [int(l.split()[1]) * 1024 for l in f if l.startswith("VmSize:")][0]
    # Room for the map (made already) and a few chunks, not for a copy.
    resource.setrlimit(resource.RLIMIT_AS, (vm + nbytes // 4, resource.RLIM_INFINITY))
    try:
        x = da.from_array(m, chunks=1 << 20)
        total = x[::2].sum().compute(scheduler="sync")
    except MemoryError:
        print("MemoryError")
    else:
        print("ok", float(total))
""")


@pytest.mark.parametrize("lib", ["array_core", "numpy"])
def test_larger_than_memory_simulation(tmp_path, lib):
    nbytes = 256 << 20
    path = sparse_file(tmp_path / "sim.bin", nbytes)
    out = subprocess.run([sys.executable, "-c", _SIMULATION, lib, str(path),
                          str(nbytes)], capture_output=True, text=True,
                         timeout=120, cwd=os.path.dirname(os.path.dirname(
                             os.path.abspath(ac.__file__))))
    assert out.returncode == 0, out.stderr
    if lib == "array_core":
        assert out.stdout.split() == ["ok", "0.0"]   # the lazy path fits
    else:
        assert out.stdout.split() == ["MemoryError"]  # Dask's eager copy cannot


def test_lazy_map_source_names_the_file_a_lazy_copy_reads(small_file):
    from array_core._memmap import _lazy_map_source

    m = ac.memmap(small_file, dtype="<f8", mode="r", shape=(64, 48))
    c = m.copy()
    root, start = _lazy_map_source(c[2:, 8:])
    assert root is m and start == 2 * 48 * 8 + 8 * 8
    assert _lazy_map_source(c)[1] == 0
    with ac.copy_audit() as log:
        _lazy_map_source(c)
    assert len(log) == 0 and ac._array._shares_lazily(c)
    assert _lazy_map_source(ac.arange(3.0).copy(lazy=True)) is None
    assert _lazy_map_source(m) == (m, 0) and _lazy_map_source(m[1:])[1] == 48 * 8
    c[0, 0] = 1.0                              # materialised: its own memory now
    assert _lazy_map_source(c) is None
    w = ac.memmap(small_file, dtype="<f8", mode="r+", shape=(64, 48))
    assert _lazy_map_source(w.copy(lazy=True)) is None   # writable: not named by file
    del w
