"""The thread pool and the thread count (_threads, _thread_control).

The pool is tested through its own test task (``_cover``: every item run
exactly once whatever the thread count, the first failure in range order,
nested calls serial); the thread count through the public API, the
environment (in subprocesses: it is read at import), and threadpoolctl.
The copies that use the pool are tested in test_parallel_copy.py.
"""
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import array_core
from array_core import _threads

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def _restore_thread_count():
    before = array_core.get_num_threads()
    yield
    array_core.set_num_threads(before)


def run_python(code, **env):
    """``code``'s stdout and stderr, run with this tree's array_core and ``env``."""
    environ = {k: v for k, v in os.environ.items()
               if k not in ("ARRAY_CORE_NUM_THREADS", "OMP_NUM_THREADS")}
    environ.update(env)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip(), done.stderr


# ------------------------------------------------------------ the pool

@given(n=st.integers(0, 5000), threads=st.integers(1, 5))
def test_every_item_runs_once(n, threads):
    hits = np.zeros(n, np.int32)
    nested = np.zeros(n, np.int32)
    assert _threads._cover(hits, nested, threads) == 0
    np.testing.assert_array_equal(hits, np.ones(n, np.int32))


@pytest.mark.parametrize("threads", [2, 3, 4])
def test_a_call_inside_a_task_runs_serially(threads):
    # Inside any task of a parallel run (a pool thread or the caller's own
    # chunks), threads_for says 1 even for a huge call.
    hits = np.zeros(1000, np.int32)
    nested = np.zeros(1000, np.int32)
    _threads._cover(hits, nested, threads)
    np.testing.assert_array_equal(nested, np.ones(1000, np.int32))


@given(n=st.integers(1, 3000), threads=st.integers(1, 4), data=st.data())
def test_the_first_failure_in_range_order_is_returned(n, threads, data):
    fail_at = data.draw(st.integers(0, n - 1))
    hits = np.zeros(n, np.int32)
    assert (_threads._cover(hits, np.zeros(n, np.int32), threads, fail_at)
            == fail_at % 1000 + 1)
    # Each chunk stops at its own failure; every other item ran once.
    assert hits[fail_at] == 1
    assert hits.max() <= 1


def test_the_pool_grows_to_the_threads_asked_for():
    hits = np.zeros(100, np.int32)
    _threads._cover(hits, np.zeros(100, np.int32), 3)
    assert _threads._pool_size() >= 2 if _threads.HAVE_THREADS else True


def test_many_python_threads_at_once():
    # One call at a time has the pool; the others run serially on their own
    # threads, and all of them finish with every item run once.
    results = []
    errors = []

    def work():
        try:
            for _ in range(50):
                hits = np.zeros(4000, np.int32)
                nested = np.zeros(4000, np.int32)
                status = _threads._cover(hits, nested, 2)
                results.append(status == 0 and bool((hits == 1).all()))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    workers = [threading.Thread(target=work) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    assert len(results) == 400 and all(results)


def test_a_forked_child_starts_a_pool_of_its_own():
    if not hasattr(os, "fork"):
        pytest.skip("no fork")
    hits = np.zeros(1000, np.int32)
    _threads._cover(hits, np.zeros(1000, np.int32), 2)  # the parent's pool runs
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            h = np.zeros(1000, np.int32)
            ok = (_threads._cover(h, np.zeros(1000, np.int32), 2) == 0
                  and bool((h == 1).all()))
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        answer = f.read()
    os.waitpid(pid, 0)
    assert answer == b"1"


# ------------------------------------------------------------ the API

def test_set_and_get():
    array_core.set_num_threads(3)
    assert array_core.get_num_threads() == 3
    array_core.set_num_threads(np.int64(1))
    assert array_core.get_num_threads() == 1


def test_counts_past_the_maximum_mean_the_maximum():
    array_core.set_num_threads(10 ** 6)
    assert array_core.get_num_threads() == _threads.MAX_THREADS == 256


@pytest.mark.parametrize("bad, error, message", [
    (0, ValueError, r"the number of threads must be at least 1 \(got 0\)"),
    (-2, ValueError, r"at least 1 \(got -2\)"),
    (2.0, TypeError, "must be an integer, not float"),
    ("2", TypeError, "must be an integer, not str"),
    (None, TypeError, "must be an integer, not NoneType"),
    (True, TypeError, "must be an integer, not bool"),
])
def test_bad_counts(bad, error, message):
    array_core.set_num_threads(2)
    with pytest.raises(error, match=message):
        array_core.set_num_threads(bad)
    assert array_core.get_num_threads() == 2
    with pytest.raises(error, match=message), array_core.threads(bad):
        pass  # pragma: no cover - never entered
    assert array_core.get_num_threads() == 2


def test_the_context_manager_restores_the_count():
    array_core.set_num_threads(2)
    with array_core.threads(1):
        assert array_core.get_num_threads() == 1
        with array_core.threads(3):
            assert array_core.get_num_threads() == 3
        assert array_core.get_num_threads() == 1
    assert array_core.get_num_threads() == 2


def test_the_context_manager_restores_the_count_on_error():
    array_core.set_num_threads(2)
    with pytest.raises(KeyError), array_core.threads(1):
        assert array_core.get_num_threads() == 1
        raise KeyError("boom")
    assert array_core.get_num_threads() == 2


def test_the_default_is_the_cpus_this_process_may_use():
    out, _ = run_python("import array_core; print(array_core.get_num_threads())")
    assert int(out) == _threads.default_num_threads()
    if hasattr(os, "sched_getaffinity"):
        assert _threads.default_num_threads() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("env, expected", [
    ({"ARRAY_CORE_NUM_THREADS": "3"}, 3),
    ({"OMP_NUM_THREADS": "1"}, 1),
    ({"OMP_NUM_THREADS": "3,2"}, 3),  # OpenMP's nesting list: the first level
    ({"ARRAY_CORE_NUM_THREADS": "2", "OMP_NUM_THREADS": "1"}, 2),
    ({"ARRAY_CORE_NUM_THREADS": " 4 "}, 4),
])
def test_the_environment_sets_the_count_at_import(env, expected):
    out, err = run_python("import array_core; print(array_core.get_num_threads())",
                          **env)
    assert int(out) == expected
    assert "Warning" not in err


@pytest.mark.parametrize("env", [
    {"ARRAY_CORE_NUM_THREADS": "0"},
    {"ARRAY_CORE_NUM_THREADS": "two"},
    {"OMP_NUM_THREADS": "-1"},
    {"ARRAY_CORE_NUM_THREADS": "3,2"},  # a list only for OMP_NUM_THREADS
])
def test_bad_environment_values_are_ignored_with_a_warning(env):
    out, err = run_python("import array_core; print(array_core.get_num_threads())",
                          **env)
    assert int(out) == _threads.default_num_threads()
    (name, value), = env.items()
    assert f"RuntimeWarning: {name}={value!r} is not a positive integer; ignored" in err


def test_num_threads_from_environment_reads_the_mapping_given():
    assert _threads.num_threads_from_environment({}) is None
    # Empty means unset, without a warning (the test run makes one an error).
    assert _threads.num_threads_from_environment(
        {"ARRAY_CORE_NUM_THREADS": " ", "OMP_NUM_THREADS": ""}) is None
    assert _threads.num_threads_from_environment({"OMP_NUM_THREADS": "2"}) == 2
    with pytest.warns(RuntimeWarning, match="OMP_NUM_THREADS='2.5'"):
        assert _threads.num_threads_from_environment({"OMP_NUM_THREADS": "2.5"}) is None


# ------------------------------------------------------------ threadpoolctl

def test_threadpoolctl_lists_the_pool():
    threadpoolctl = pytest.importorskip("threadpoolctl", minversion="3.5")
    array_core.set_num_threads(2)
    ours = [info for info in threadpoolctl.threadpool_info()
            if info["internal_api"] == "array_core"]
    assert len(ours) == 1
    assert ours[0]["user_api"] == "array_core"
    assert ours[0]["num_threads"] == 2
    assert ours[0]["filepath"] == os.path.realpath(_threads.__file__)
    assert ours[0]["version"] == array_core.__version__


@pytest.mark.parametrize("user_api", [None, "array_core"])
def test_threadpool_limits_limits_the_pool(user_api):
    threadpoolctl = pytest.importorskip("threadpoolctl", minversion="3.5")
    array_core.set_num_threads(2)
    with threadpoolctl.threadpool_limits(1, user_api=user_api):
        assert array_core.get_num_threads() == 1
    assert array_core.get_num_threads() == 2


def test_threadpool_limits_of_other_apis_leave_the_pool_alone():
    threadpoolctl = pytest.importorskip("threadpoolctl", minversion="3.5")
    array_core.set_num_threads(2)
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        assert array_core.get_num_threads() == 2


def test_threadpoolctl_imported_first_or_later_finds_the_pool():
    pytest.importorskip("threadpoolctl", minversion="3.5")
    code = ("import {}, {}, threadpoolctl; print(sum(i['internal_api'] == "
            "'array_core' for i in threadpoolctl.threadpool_info()))")
    for order in (("threadpoolctl", "array_core"), ("array_core", "threadpoolctl")):
        out, _ = run_python(code.format(*order))
        assert out == "1"
