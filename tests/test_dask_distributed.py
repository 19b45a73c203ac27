"""array_core arrays through Dask's distributed scheduler.

A two-worker ``LocalCluster`` of processes on the loopback interface
(started once for the module, closed after): scattered, gathered and
computed arrays arrive as array_core arrays, and they travel by pickle
protocol 5 with their memory as a frame of its own (out of band), never
copied into the pickle's bytes.
"""
import numpy as np
import pytest

import array_core as ac

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
from distributed.protocol import (  # noqa: E402
    deserialize,
    dumps,
    loads,
    serialize,
    to_serialize,
)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None)
    try:
        with distributed.Client(cluster) as c:
            yield c
    finally:
        cluster.close()


def frame_sizes(frames):
    return [memoryview(f).nbytes for f in frames]


def test_serialize_sends_the_memory_out_of_band():
    a = ac.arange(100_000.0).reshape(250, 400)
    header, frames = serialize(a)
    assert header["serializer"] == "pickle"
    sizes = frame_sizes(frames)
    # The pickle's own bytes are small; the data is the frame after them,
    # a view of the array's memory (no copy on the way out).
    assert sizes[0] < 1000 and a.nbytes in sizes[1:]
    data = next(f for f in frames[1:] if memoryview(f).nbytes == a.nbytes)
    assert np.shares_memory(np.frombuffer(data, np.uint8), a)
    b = deserialize(header, frames)
    assert type(b) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(b), np.asarray(a))
    # Fortran order too, and a memmap's view, which arrives as an array.
    f = ac.asfortranarray(a)
    header, frames = serialize(f)
    assert f.nbytes in frame_sizes(frames)
    g = deserialize(header, frames)
    assert type(g) is ac.ndarray and g.flags.f_contiguous
    # A non-contiguous view: the span of memory it covers (no copy), or a
    # C-contiguous copy when that span is more than twice its bytes.
    for view, sent, shares in ((a[:, ::2], 250 * 400 * 8 - 8, True),
                               (a[::2, 1::3], a[::2, 1::3].nbytes, False)):
        header, frames = serialize(view)
        sizes = frame_sizes(frames)
        assert sizes[0] < 1000 and sent in sizes[1:]
        data = next(f for f in frames[1:] if memoryview(f).nbytes == sent)
        assert np.shares_memory(np.frombuffer(data, np.uint8), a) == shares
        back = deserialize(header, frames)
        assert type(back) is ac.ndarray
        np.testing.assert_array_equal(np.asarray(back), np.asarray(view))


def test_messages_carry_the_data_as_a_frame():
    a = ac.arange(50_000, dtype=np.int32)
    frames = dumps({"x": to_serialize(a)})
    sizes = frame_sizes(frames)
    assert a.nbytes in sizes
    assert sum(sizes) < a.nbytes + 1000  # no second copy in the bytes
    assert all(a.tobytes()[:4096] not in bytes(f) for f in frames
               if memoryview(f).nbytes != a.nbytes)
    back = loads(frames)["x"]
    assert type(back) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(back), np.asarray(a))


def test_scatter_gather_keep_the_type(client):
    a = ac.arange(24.0).reshape(4, 6)
    [future] = client.scatter([a], broadcast=True)
    assert client.submit(type, future).result() is ac.ndarray
    back = client.gather(future)
    assert type(back) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(back), np.asarray(a))
    # A worker's result comes back typed.
    total = client.submit(lambda x: (x * 2)[1:], future).result()
    assert type(total) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(total), np.asarray(a * 2)[1:])


def test_graph_computed_on_workers(client):
    n = np.arange(4000.0).reshape(40, 100)
    x = da.from_array(ac.array(n), chunks=(10, 25))
    y = da.from_array(n, chunks=(10, 25))
    for ours, theirs in (
            ((x.T @ x)[::3], (y.T @ y)[::3]),
            (x.rechunk((40, 10)).mean(axis=0), y.rechunk((40, 10)).mean(axis=0)),
            (x.map_blocks(np.sqrt) - x, y.map_blocks(np.sqrt) - y)):
        got = client.compute(ours).result()
        assert type(got) is ac.ndarray
        np.testing.assert_allclose(np.asarray(got), theirs.compute())
    # Chunks as they sit on the workers.
    blocks = client.compute(list(x.to_delayed().ravel()))
    types = client.gather([client.submit(type, b) for b in blocks])
    assert set(types) == {ac.ndarray}
    assert type(client.compute(x.sum()).result()) is np.float64


def test_views_and_memmaps_travel_as_arrays(client, tmp_path):
    a = ac.arange(600.0).reshape(20, 30)
    path = tmp_path / "m.bin"
    np.arange(600.0).tofile(path)
    m = ac.memmap(path, dtype=np.float64, mode="r", shape=(20, 30))
    for x in (a[::2, 1::3], a.T, m, m[5:]):
        [future] = client.scatter([x])
        back = client.gather(future)
        assert type(back) is ac.ndarray
        np.testing.assert_array_equal(np.asarray(back), np.asarray(x))
        assert client.submit(lambda y: type(y).__name__, future).result() == "ndarray"
