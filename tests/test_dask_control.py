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
    # carries the caller's, and CopyControlExecutor carries it into any pool.
    from concurrent.futures import ThreadPoolExecutor

    import dask
    from dask.threaded import ContextAwareThreadPoolExecutor

    counts = {}
    for name, make in [
            ("plain", ThreadPoolExecutor),
            ("context-aware", ContextAwareThreadPoolExecutor),
            ("wrapped", lambda n: ac.CopyControlExecutor(ThreadPoolExecutor(n)))]:
        with make(2) as pool, dask.config.set(pool=pool):
            pool.submit(int).result()   # warm threads, made before the audit
            with ac.copy_audit() as log:
                blocks(8).compute(scheduler="threads")
        counts[name] = len([r for r in log if r.operation == "reshape"])
    assert counts == {"plain": 0, "context-aware": 8, "wrapped": 8}


def copies_then_fails(x):
    x.T.reshape(-1)
    raise KeyError("after the copy")


def test_copy_control_executor_outside_dask():
    from concurrent.futures import ThreadPoolExecutor

    x = ac.arange(6.0).reshape(2, 3)
    with ac.CopyControlExecutor(ThreadPoolExecutor(1)) as pool:
        assert pool._max_workers == 1
        assert repr(pool).startswith("CopyControlExecutor(<concurrent.futures")
        # The policy seen in the worker thread is the submitting context's.
        assert pool.submit(ac.get_copy_policy).result() == "allow"
        with ac.copy_policy("warn"):
            assert pool.submit(ac.get_copy_policy).result() == "warn"
        with ac.copy_audit() as log:
            future = pool.submit(copies_then_fails, x)
            with pytest.raises(KeyError, match="after the copy"):
                future.result()
        # The records of a call that raised come back too, without a task.
        assert [(r.operation, r.nbytes, r.task) for r in log] == [
            ("reshape", 48, None)]
        assert not hasattr(future.exception(), "_array_core_copy_records")
        with ac.copy_policy("raise"):
            with pytest.raises(ac.CopyError, match=r"^reshape would copy 48 "
                               r"bytes \(implicit copy refused") as info:
                pool.submit(lambda: x.T.reshape(-1)).result()
        assert "Dask task" not in str(info.value)
        with ac.copy_policy("raise", allow="implicit"):
            assert pool.submit(lambda: x.T.reshape(-1)).result().shape == (6,)
    with pytest.raises(TypeError, match="wraps a concurrent.futures.Executor"
                                        r" \(got int\)"):
        ac.CopyControlExecutor(3)


@pytest.fixture(scope="module")
def process_pool():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: the test process has threads, which fork would copy half-way.
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    with ac.CopyControlExecutor(pool) as wrapped:
        yield wrapped


def reshape_keys(log):
    return sorted(r.task for r in log if r.operation == "reshape")


def test_process_pools_carry_policy_and_audit(process_pool):
    import dask

    y = blocks(8)
    expected = sorted((y.name, i, 0) for i in range(8))
    expected_values = blocks(8, lib=np).compute(scheduler="threads")
    ways = {
        "processes, pool=": dict(scheduler="processes", pool=process_pool),
        "threaded get, pool=": dict(pool=process_pool),
        "scheduler=executor": dict(scheduler=process_pool),
    }
    for name, how in ways.items():
        with ac.copy_audit() as log:
            result = y.compute(**how)
        assert type(result) is ac.ndarray, name
        np.testing.assert_array_equal(np.asarray(result), expected_values)
        assert reshape_keys(log) == expected, name
        assert all(r.category == "implicit" and r.nbytes == 96 and
                   r.function == "transposed_reshape"
                   for r in log if r.operation == "reshape"), name
    with dask.config.set(pool=process_pool):
        for scheduler in ("processes", None):
            with ac.copy_audit() as outer, ac.copy_audit() as inner:
                y.compute(scheduler=scheduler)
            assert reshape_keys(outer) == reshape_keys(inner) == expected
            with ac.copy_policy("raise"):
                with pytest.raises(ac.CopyError) as info:
                    y.compute(scheduler=scheduler)
            message = str(info.value)
            assert message.startswith("reshape would copy 96 bytes (implicit "
                                      "copy refused by copy_policy('raise'))")
            assert f"(in Dask task ('{y.name}', " in message


distributed = pytest.importorskip("distributed")


def test_dask_copy_control_without_a_client_says_what_to_use():
    with ac.copy_policy("raise"):
        with pytest.raises(ValueError, match=r"^dask_copy_control needs a "
                           r"distributed Client: none was given and none is "
                           r"current .*use CopyControlExecutor\)$"):
            with ac.dask_copy_control():
                pass


def test_workers_sharing_a_process_keep_the_hooks_until_the_last_goes():
    from array_core import _control

    # Workers in this process talk in-process (inproc://): no network.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        with ac.copy_audit() as log, ac.dask_copy_control(c):
            blocks(2).compute()
        with ac.dask_copy_control(c):   # registered again: nothing torn down
            pass
        assert _control._task_control is not None
        first, second = sorted(c.scheduler_info()["workers"])
        c.retire_workers([first])       # its plugin is torn down
        assert _control._task_control is not None
        with ac.copy_policy("raise"), ac.dask_copy_control(c):
            with pytest.raises(ac.CopyError, match="in Dask task"):
                blocks(2).compute()
    assert _control._task_control is None
    assert len([r for r in log if r.operation == "reshape"]) == 2


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


def controls_waiting(client):
    from array_core import _dask_worker

    return sum(client.run(lambda: len(_dask_worker._controls)).values())


def test_records_of_a_dead_client_are_dropped(client):
    import time

    from array_core import _dask_worker

    assert controls_waiting(client) == 0
    # A client that dies inside its block: its workers' records wait.
    dying = distributed.Client(client.cluster)
    block = ac.dask_copy_control(dying)
    with ac.copy_audit():
        block.__enter__()
        dying.compute(blocks(4)).result()
    dying.close()
    _, _, annotation = block._entries.pop()
    annotation.__exit__(None, None, None)   # this process's Dask settings
    assert controls_waiting(client) >= 1
    time.sleep(1.0)
    # A live block meanwhile: younger than the limit, kept.
    with ac.copy_audit() as log, ac.dask_copy_control(client):
        blocks(4).compute()
        dropped = sum(client.run(_dask_worker.prune_idle, 0.9).values())
    assert dropped >= 1 and controls_waiting(client) == 0
    assert len([r for r in log if r.operation == "reshape"]) == 4
    # The plugin prunes on its own, every PRUNE_INTERVAL seconds.
    intervals = client.run(lambda dask_worker: dask_worker.periodic_callbacks[
        _dask_worker.PLUGIN_NAME].callback_time)
    assert set(intervals.values()) == {_dask_worker.PRUNE_INTERVAL * 1000}
