"""Copy policy and audit across Dask's schedulers: threads and processes."""
import threading

import numpy as np
import pytest

import array_core as ac

da = pytest.importorskip("dask.array")


def transposed_reshape(block):
    return block.T.reshape(2, 6)    # an implicit copy in every task


def blocks(n=64, lib=ac):
    """An n-block array whose map_blocks task copies implicitly."""
    x = da.from_array(lib.arange(n * 12.0).reshape(n * 3, 4), chunks=(3, 4))
    return x.map_blocks(transposed_reshape, chunks=(2, 6), dtype=float)


def test_threaded_workers_run_in_the_callers_context():
    # dask 2026.8 runs threaded tasks through ContextAwareThreadPoolExecutor:
    # each task in a copy of the submitting context.
    from dask import threaded

    assert issubclass(threaded.ContextAwareThreadPoolExecutor,
                      threaded.ThreadPoolExecutor)
    idents = set()

    def note(block):
        idents.add(threading.get_ident())
        return transposed_reshape(block)

    x = da.from_array(ac.arange(2048 * 12.0).reshape(2048 * 3, 4), chunks=(3, 4))
    y = x.map_blocks(note, chunks=(2, 6), dtype=float)
    with ac.copy_audit() as log:
        result = y.compute(scheduler="threads", num_workers=4)
    assert type(result) is ac.ndarray
    reshapes = [r for r in log if r.operation == "reshape"]
    # One thread-safe log: every task's copy, appended from worker threads.
    assert len(reshapes) == 2048
    assert all(r.category == "implicit" and r.nbytes == 96 for r in reshapes)
    assert len(idents - {threading.get_ident()}) >= 1


def test_threaded_policy_governs_the_tasks():
    with ac.copy_policy("raise"):
        with pytest.raises(ac.CopyError, match="reshape would copy 96 bytes"):
            blocks().compute(scheduler="threads")
    result = blocks().compute(scheduler="threads")
    expected = blocks(lib=np).compute(scheduler="threads")
    assert type(result) is ac.ndarray and type(expected) is np.ndarray
    assert result.tolist() == expected.tolist()


def test_threaded_audit_and_policy_stay_per_context():
    # Two callers at once, each with its own policy and audit.
    results = {}

    def run(name, mode):
        with ac.copy_policy(mode), ac.copy_audit() as log:
            try:
                blocks(16).compute(scheduler="threads")
                copies = [r for r in log if r.operation == "reshape"]
                results[name] = ("ok", len(copies))
            except ac.CopyError:
                results[name] = ("refused", None)

    threads = [threading.Thread(target=run, args=("a", "allow")),
               threading.Thread(target=run, args=("b", "raise"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"a": ("ok", 16), "b": ("refused", None)}


def test_user_supplied_pools():
    # Dask uses a user's pool as it is: a plain ThreadPoolExecutor's threads
    # run in their own contexts (Python 3.11), Dask's context-aware one
    # carries the caller's (the README says which to pass).
    from concurrent.futures import ThreadPoolExecutor

    import dask
    from dask.threaded import ContextAwareThreadPoolExecutor

    counts = {}
    for name, kind in [("plain", ThreadPoolExecutor),
                       ("context-aware", ContextAwareThreadPoolExecutor)]:
        with kind(2) as pool, dask.config.set(pool=pool):
            pool.submit(int).result()   # warm threads, made before the audit
            with ac.copy_audit() as log:
                blocks(8).compute(scheduler="threads")
        counts[name] = len([r for r in log if r.operation == "reshape"])
    assert counts == {"plain": 0, "context-aware": 8}


distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=2,
                                       processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_distributed_audit_records_come_back_with_task_keys(client):
    y = blocks(16)
    with ac.copy_audit() as log:
        with ac.dask_copy_control(client):
            result = y.compute()
    assert type(result) is ac.ndarray and result.shape == (16 * 2, 6)
    reshapes = [r for r in log if r.operation == "reshape"]
    assert len(reshapes) == 16
    keys = {r.task for r in reshapes}
    assert len(keys) == 16 and all(k[0] == y.name for k in keys)
    assert all(r.category == "implicit" and r.nbytes == 96 for r in reshapes)
    # Without the block the workers' copies are not the client's business.
    with ac.copy_audit() as log:
        y.compute()
    assert not [r for r in log if r.operation == "reshape"]


def test_distributed_copy_error_names_the_task(client):
    y = blocks(4)
    with ac.copy_policy("raise"), ac.dask_copy_control(client):
        with pytest.raises(ac.CopyError) as info:
            y.compute()
    message = str(info.value)
    assert "reshape would copy 96 bytes" in message
    assert f"in Dask task ('{y.name}'," in message
    # The block ended: the same graph computes again.
    assert blocks(4).compute().shape == (8, 6)


def test_distributed_policy_allow_categories_and_warn(client):
    y = blocks(2)
    with ac.copy_policy("raise", allow="implicit"), ac.copy_audit() as log:
        with ac.dask_copy_control(client):
            y.compute()
    assert len([r for r in log if r.operation == "reshape"]) == 2
