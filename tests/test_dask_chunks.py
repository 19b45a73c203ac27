"""array_core arrays as Dask chunks, against the same Dask code on NumPy.

Every operation runs twice, on ``da.from_array`` of an array_core array and
of the equal NumPy array: the values and dtypes must agree, the array_core
graph's ``_meta`` and chunks are array_core arrays, and its computed result
is an array_core array wherever NumPy's is a NumPy array (a NumPy scalar
where NumPy's is one).  Also: the chunk type is registered without the user
(``array_core._dask``), chunks are views of the array in the graph, Dask's
token of an array or a memmap, and ``da.store``.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

import array_core as ac

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
from dask.base import tokenize  # noqa: E402

N = np.arange(48.0).reshape(6, 8) - 20.5


def pair(chunks=(3, 4)):
    return (da.from_array(ac.array(N), chunks=chunks),
            da.from_array(N.copy(), chunks=chunks))


def check_same(ours, theirs, meta=True):
    """Compute both graphs: equal values and dtypes, array_core types."""
    if isinstance(ours, da.Array):
        # A 0-d result's meta is NumPy's: NumPy's (and array_core's) full
        # reductions give NumPy scalars, which Dask wraps in np.array.
        if meta and ours.ndim:
            assert isinstance(ours._meta, ac.ndarray), type(ours._meta)
        assert ours.dtype == theirs.dtype
        assert ours.chunks == theirs.chunks
        pairs = list(zip(ours.to_delayed().ravel()[:3],
                         theirs.to_delayed().ravel()[:3], strict=True))
        for block, twin in dask.compute(*pairs, scheduler="sync"):
            if type(twin) is np.ndarray:
                assert type(block) is ac.ndarray, type(block)
            else:
                assert type(block) is type(twin)
    got = ours.compute() if hasattr(ours, "compute") else ours
    want = theirs.compute() if hasattr(theirs, "compute") else theirs
    if type(want) is np.ndarray:
        assert type(got) is ac.ndarray, type(got)
    else:
        assert type(got) is type(want), (type(got), type(want))
    assert got.dtype == want.dtype
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12)


def plus_one(block):
    return block + 1


def neighbours(block):
    return block[1:-1, 1:-1] * 0 + block[:-2, 1:-1] + block[2:, 1:-1]


OPERATIONS = {
    "basic slice": lambda x: x[1:5, ::3],
    "integer and slice": lambda x: x[2, 1:7],
    "fancy rows": lambda x: x[[0, 5, 2]],
    "fancy columns": lambda x: x[:, [7, 0, 3, 3]],
    "boolean mask": lambda x: x[x > 3],
    "T": lambda x: x.T,
    "transpose": lambda x: da.transpose(x, (1, 0)),
    "reshape merge": lambda x: x.reshape(48),
    "reshape split": lambda x: x.reshape(6, 2, 4),
    "rechunk": lambda x: x.rechunk((2, 8)),
    "concatenate": lambda x: da.concatenate([x, x[:2]], axis=0),
    "stack": lambda x: da.stack([x, x * 2], axis=1),
    "sum": lambda x: x.sum(),
    "sum axis": lambda x: x.sum(axis=0),
    "mean": lambda x: x.mean(),
    "mean axis": lambda x: x.mean(axis=1),
    "max": lambda x: x.max(),
    "max axis": lambda x: x.max(axis=0),
    "std": lambda x: x.std(),
    "std axis": lambda x: x.std(axis=1),
    "arithmetic": lambda x: (x * 2 - 1) / 3 + x ** 2,
    "comparison": lambda x: x >= 0,
    "ufunc": lambda x: np.sin(x) + np.abs(x),
    "map_blocks": lambda x: x.map_blocks(plus_one),
    "map_overlap": lambda x: x.map_overlap(neighbours, depth=1,
                                           boundary="reflect"),
    "where": lambda x: da.where(x > 0, x, -x),
    "matmul": lambda x: x @ x.T,
    "blocks": lambda x: x.blocks[1, 0],
    "blocks fancy": lambda x: x.blocks[:, [1, 0]],
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_operation_keeps_array_core_chunks(name):
    ours, theirs = pair()
    operation = OPERATIONS[name]
    # Dask's boolean-mask indexing builds its Array with no meta (a NumPy
    # one, whatever the chunks: dask/array/slicing.py); the chunks and the
    # result are still array_core arrays.
    check_same(operation(ours), operation(theirs), meta=name != "boolean mask")


def test_from_array_meta_and_chunks():
    ours, theirs = pair()
    assert isinstance(ours._meta, ac.ndarray)
    assert ours._meta.shape == (0, 0) and ours._meta.dtype == N.dtype
    check_same(ours, theirs)


def test_chunks_are_views_of_the_array_in_the_graph():
    # from_array gives Dask its own copy (x.copy()); every chunk it reads
    # is a zero-copy view of that array.
    x = da.from_array(ac.array(N), chunks=(3, 4))
    sources = [v for v in dict(x.dask).values() if isinstance(v, ac.ndarray)]
    if not sources:  # the array sits in a task of its own
        sources = [v for task in dict(x.dask).values()
                   for v in getattr(task, "args", ())
                   if isinstance(v, ac.ndarray)]
    (source,) = sources
    for block in dask.compute(*x.to_delayed().ravel(), scheduler="sync"):
        assert type(block) is ac.ndarray
        assert np.shares_memory(block, source)
        assert block.base is not None


def test_mixed_operators_both_orders():
    n = np.abs(N) + 1
    a = ac.array(n)
    y = da.from_array(n.copy(), chunks=(3, 4))
    for op in ("__add__", "__sub__", "__mul__", "__truediv__",
               "__floordiv__", "__mod__", "__pow__", "__lt__", "__eq__"):
        reflected = op.replace("__", "__r", 1) if op not in (
            "__lt__", "__eq__") else None
        for left, right, nl, nr in ((y, a, y, n), (a, y, n, y)):
            got = getattr(left, op)(right)
            if got is NotImplemented and reflected:
                got = getattr(right, reflected)(left)
            assert isinstance(got, da.Array), (op, type(got))
            want = getattr(nl, op)(nr)
            if want is NotImplemented:
                want = getattr(nr, reflected)(nl)
            # (The meta comes from the NumPy chunks' side: Dask's.)
            check_same(got, want, meta=False)
    check_same(y @ a.T, y @ n.T, meta=False)
    check_same(a @ y.T, n @ y.T, meta=False)
    check_same(np.subtract(y, a), np.subtract(y, n), meta=False)
    # Mixed chunks (the NumPy side's stay NumPy's); joined: array_core's.
    joined = np.concatenate([y, a])
    assert isinstance(joined, da.Array)
    got = joined.compute()
    assert type(got) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(got), np.concatenate([n, n]))


def run_fresh(code):
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_registration_needs_nothing_from_the_user():
    # array_core imported first: its import imports no Dask; the first
    # operator meeting a Dask array registers the chunk type.
    out = run_fresh(
        "import sys, numpy as np, array_core as ac\n"
        "print('dask' in sys.modules)\n"
        "import dask.array as da\n"
        "from dask.array.chunk_types import is_valid_chunk_type as ok\n"
        "print(ok(ac.ndarray))\n"
        "d = da.ones(4, chunks=2) - ac.arange(4.0)\n"
        "print(ok(ac.ndarray), type(d).__name__, type(d.compute()).__name__,"
        " d.compute().tolist())\n")
    assert out.split() == ["False", "False", "True", "Array", "ndarray",
                           "[1.0,", "0.0,", "-1.0,", "-2.0]"]
    # dask.array imported first: registered at array_core's import.
    out = run_fresh(
        "import dask.array as da, array_core as ac\n"
        "from dask.array.chunk_types import is_valid_chunk_type as ok\n"
        "print(ok(ac.ndarray), ok(ac.memmap))\n")
    assert out.split() == ["True", "True"]
    # The first NumPy function given both registers too.
    out = run_fresh(
        "import numpy as np, array_core as ac, dask.array as da\n"
        "r = np.concatenate([da.ones(2, chunks=1), ac.zeros(2)])\n"
        "print(type(r).__name__, type(r.compute()).__name__)\n")
    assert out.split() == ["Array", "ndarray"]


# ------------------------------------------------------------ tokens

def test_token_deterministic_and_content_sensitive():
    a = ac.array(N)
    assert tokenize(a) == tokenize(a)
    assert tokenize(a) == tokenize(ac.array(N))
    assert tokenize(a) == tokenize(a.copy(lazy=True))
    b = a.copy()
    b[0, 0] += 1
    assert tokenize(a) != tokenize(b)
    assert tokenize(a) != tokenize(a.astype(np.float32))
    assert tokenize(a) != tokenize(a.reshape(8, 6))
    assert tokenize(a) != tokenize(N)  # never a NumPy array's key
    # Views: strided and transposed layouts.
    assert tokenize(a[::2, 1::3]) == tokenize(ac.array(N)[::2, 1::3])
    assert tokenize(a[::2]) != tokenize(a[1::2])
    assert tokenize(a.T) != tokenize(a)
    assert tokenize(ac.array(5.0)) == tokenize(ac.array(5.0))
    assert tokenize(ac.array(5.0)) != tokenize(ac.array(6.0))
    assert tokenize(ac.zeros((0, 3))) != tokenize(ac.zeros((3, 0)))
    # The same bytes in memory order, other values: a square array and its
    # transpose, C and F order (Dask's NumPy tokens give each pair one key).
    square = ac.arange(9.0).reshape(3, 3)
    assert tokenize(square) != tokenize(square.T)
    assert tokenize(ac.asfortranarray(square)) != tokenize(
        ac.ascontiguousarray(square.T))
    np.testing.assert_array_equal(
        (da.from_array(square, chunks=3) + da.from_array(square.T, chunks=3)
         ).compute(), np.asarray(square) + np.asarray(square).T)
    # Structured dtypes of one size: told apart by their fields.
    ij = np.dtype([("i", "<i4"), ("j", "<f4")])
    ji = np.dtype([("j", "<i4"), ("i", "<f4")])
    raw = np.zeros(4, "<i8")
    assert tokenize(ac.array(raw.view(ij))) != tokenize(ac.array(raw.view(ji)))
    assert tokenize(ac.array(raw.view(ij))) == tokenize(ac.array(raw.view(ij)))
    assert tokenize(ac.array(raw.view(ij))[0, ...]) != tokenize(
        ac.array(raw.view(ji))[0, ...])


def test_token_never_pickles_nor_materialises(monkeypatch):
    import dask.tokenize

    def refuse(*args, **kwargs):
        raise AssertionError("Dask pickled the array to tokenize it")

    monkeypatch.setattr(dask.tokenize, "_normalize_pickle", refuse)
    a = ac.arange(1000)
    snapshot = a.copy(lazy=True)
    with ac.copy_audit() as log:
        tokenize(snapshot)
        tokenize(a, a[::3], a.reshape(10, 100).T)
        da.from_array(snapshot, chunks=100)
    assert [r for r in log if "materialise" in str(r)] == []
    assert tokenize(snapshot) == tokenize(a)


def test_memmap_token_from_the_file(tmp_path):
    path = tmp_path / "data.bin"
    N.tofile(path)
    m = ac.memmap(path, dtype=np.float64, mode="r", shape=(6, 8))
    token = m.__dask_tokenize__()
    assert token[0] == "array_core.memmap"
    assert tokenize(m) == tokenize(ac.memmap(path, dtype=np.float64,
                                             mode="r", shape=(6, 8)))
    # Views: their place in the file, shape and strides.
    assert tokenize(m[1:3]) == tokenize(ac.memmap(
        path, dtype=np.float64, mode="r", offset=8 * 8, shape=(2, 8)))
    assert tokenize(m[1:3]) != tokenize(m[2:4])
    assert tokenize(m[:, ::2]) != tokenize(m[:, 1::2])
    assert tokenize(m) != tokenize(ac.memmap(path, dtype=np.float64,
                                             mode="r+", shape=(6, 8)))
    assert tokenize(m) != tokenize(ac.memmap(path, dtype=np.int64, mode="r",
                                             shape=(6, 8)))
    # A file written since (its mtime moves) gets another token.
    before = tokenize(m)
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert tokenize(m) != before
    # A copy-on-write map may differ from its file: named by its bytes.
    c = ac.memmap(path, dtype=np.float64, mode="c", shape=(6, 8))
    first = tokenize(c)
    c[0, 0] = 99.0
    assert tokenize(c) != first


def test_memmap_token_reads_nothing(tmp_path, monkeypatch):
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        f.truncate(1 << 30)  # sparse: no disk written
    m = ac.memmap(path, dtype=np.uint8, mode="r")
    from array_core import _dask

    def no_hash(data):
        raise AssertionError("the map's bytes were hashed")

    monkeypatch.setattr(_dask, "_hash", no_hash)
    assert tokenize(m) == tokenize(m)
    assert tokenize(m[10:]) != tokenize(m)
    del m


# ------------------------------------------------------------ store

def test_store_into_an_array_core_array():
    ours, theirs = pair()
    target = ac.zeros(N.shape)
    twin = np.zeros(N.shape)
    da.store(ours * 2, target, lock=False)
    da.store(theirs * 2, twin, lock=False)
    assert type(target) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(target), twin)


def test_store_into_an_array_core_memmap(tmp_path):
    ours, theirs = pair()
    path = tmp_path / "out.bin"
    m = ac.memmap(path, dtype=np.float64, mode="w+", shape=N.shape)
    da.store(ours + 1, m)
    m.flush()
    np.testing.assert_array_equal(np.fromfile(path).reshape(N.shape), N + 1)
    np.testing.assert_array_equal(np.asarray(m), N + 1)
    assert type(m) is ac.memmap


@pytest.mark.parametrize("mode", ["r", "r+", "c"])
def test_from_array_of_a_memmap(tmp_path, mode):
    path = tmp_path / "source.bin"
    N.tofile(path)
    m = ac.memmap(path, dtype=np.float64, mode=mode, shape=N.shape)
    twin = np.memmap(path, dtype=np.float64, mode=mode, shape=N.shape)
    ours = da.from_array(m, chunks=(3, 4))
    theirs = da.from_array(twin, chunks=(3, 4))
    for name in ("basic slice", "T", "sum axis", "map_overlap", "matmul"):
        check_same(OPERATIONS[name](ours), OPERATIONS[name](theirs))
