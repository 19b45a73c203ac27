# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""array_core's thread pool and its thread count.

Large copies run on several threads: ``threads_for(work_bytes)`` says how
many a call of that size may use (1 below ``PARALLEL_MIN_BYTES`` per
thread, inside another call's task, or when the thread count is 1), and
``parallel_range(task, ctx, n, threads)`` runs ``task(ctx, start, stop)``
over the chunks of ``range(n)``, the caller's thread included.  The pool is
``_threads_pool.h``: POSIX threads of array_core's own rather than OpenMP,
so that ``threadpool_limits`` limits array_core without changing the
OpenMP setting of every other library in the process, concurrent callers
share one pool instead of each starting a team, and a forked child (Dask's
and multiprocessing's workers) starts afresh instead of hanging on the
parent's OpenMP state.  A kernel is bit-identical for any thread count when
its chunks write disjoint outputs that do not depend on the cut.

The thread count starts at ``ARRAY_CORE_NUM_THREADS``, else the first
number of ``OMP_NUM_THREADS`` (Dask's workers and batch schedulers set it),
else the CPUs this process may run on.
"""
import operator
import os
import warnings

cdef extern from "_threads_pool.h" nogil:
    ctypedef int (*ac_range_task)(void*, Py_ssize_t, Py_ssize_t) noexcept nogil
    enum: AC_MAX_THREADS
    int array_core_get_num_threads()
    void array_core_set_num_threads(int n)
    int ac_pool_has_threads()
    int ac_threads_for(Py_ssize_t parts)
    int ac_parallel_range(ac_range_task task, void* ctx, Py_ssize_t n,
                          int threads)
    int ac_pool_size()

# Bytes each thread must move before a call uses another one.  A parallel
# call costs ~13 us more than a serial one (waking a pool thread, measured
# with _cover).  Measured (ParallelThreshold in benchmarks/bench_threads.py,
# the threshold at one byte, copies into pre-touched outputs, two runs on
# the 2-core machine): two threads took 1.05-1.08 of one thread's time at
# 512 KiB contiguous, 0.87-1.32 at 1 MiB, 0.85-1.02 at 2 MiB, 0.71-0.75 at
# 4 MiB: a MiB each.  Kernels whose bytes cost more weigh them (tiled copies
# and random gathers: their thresholds are lower).
cdef Py_ssize_t PARALLEL_MIN_BYTES = 1 << 20

MAX_THREADS = AC_MAX_THREADS
HAVE_THREADS = bool(ac_pool_has_threads())


cdef int threads_for(Py_ssize_t work_bytes) noexcept nogil:
    """The threads a kernel moving ``work_bytes`` bytes may use (>= 1).

    A kernel whose byte costs more than a copy's (a random gather) may pass
    a multiple of its bytes.
    """
    return ac_threads_for(work_bytes // PARALLEL_MIN_BYTES)


cdef int parallel_range(range_task task, void* ctx, Py_ssize_t n,
                        int threads) noexcept nogil:
    """Run ``task(ctx, start, stop)`` over chunks covering ``range(n)``.

    On up to ``threads`` threads (from ``threads_for``), the caller's among
    them; serially when the pool is busy with another call or the caller is
    itself in a task.  ``ctx`` is read by all the chunks at once.  Returns
    0, or the nonzero status of the first failing chunk in range order.
    """
    return ac_parallel_range(<ac_range_task>task, ctx, n, threads)


def default_num_threads():
    """The CPUs this process may run on (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def num_threads_from_environment(environ=None):
    """The thread count the environment asks for, or None.

    ``ARRAY_CORE_NUM_THREADS``, else the first entry of ``OMP_NUM_THREADS``
    (OpenMP's list of nesting levels); a value that is not a positive
    integer is ignored with a ``RuntimeWarning``, as OpenMP ignores it.
    """
    environ = os.environ if environ is None else environ
    for name in ("ARRAY_CORE_NUM_THREADS", "OMP_NUM_THREADS"):
        text = environ.get(name, "").strip()
        if not text:
            continue
        first = text.split(",")[0].strip() if name == "OMP_NUM_THREADS" else text
        if first.isdigit() and int(first) >= 1:
            return int(first)
        warnings.warn(f"{name}={text!r} is not a positive integer; ignored",
                      RuntimeWarning, stacklevel=2)
    return None


def get_num_threads():
    """The number of threads array_core's large copies may use.

    Returns
    -------
    int
        At least 1.  Set by :func:`set_num_threads`, :func:`threads` or
        threadpoolctl; at import, ``ARRAY_CORE_NUM_THREADS``, else
        ``OMP_NUM_THREADS``, else the CPUs the process may run on.

    Examples
    --------
    >>> import array_core
    >>> array_core.get_num_threads() >= 1
    True
    """
    return array_core_get_num_threads()


def set_num_threads(n):
    """Set the number of threads array_core's large copies may use.

    Process-wide, as OpenMP's ``omp_set_num_threads`` and
    ``threadpoolctl.threadpool_limits``.  Copies below about a megabyte per
    thread run on one thread whatever the setting, and results are the same
    for every thread count.

    Parameters
    ----------
    n : int
        At least 1; 1 runs everything on the calling thread.  Values above
        ``MAX_THREADS`` (256) mean 256.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n`` is less than 1.

    Examples
    --------
    >>> import array_core
    >>> before = array_core.get_num_threads()
    >>> array_core.set_num_threads(1)
    >>> array_core.get_num_threads()
    1
    >>> array_core.set_num_threads(before)
    """
    if isinstance(n, bool):
        raise TypeError("the number of threads must be an integer, not bool")
    try:
        count = operator.index(n)
    except TypeError:
        raise TypeError("the number of threads must be an integer, "
                        f"not {type(n).__name__}") from None
    if count < 1:
        raise ValueError(f"the number of threads must be at least 1 (got {count})")
    array_core_set_num_threads(min(count, AC_MAX_THREADS))


def _configure(min_bytes=None):
    """Test hook: set PARALLEL_MIN_BYTES (bytes per thread, >= 1); return
    the previous settings as a dict.  Not thread-safe."""
    global PARALLEL_MIN_BYTES
    old = {"min_bytes": PARALLEL_MIN_BYTES}
    if min_bytes is not None:
        PARALLEL_MIN_BYTES = max(1, min_bytes)
    return old


def _pool_size():
    """Test hook: the pool's threads started so far (the caller not counted)."""
    return ac_pool_size()


cdef struct cover_task:
    int* hits       # hits[i] += 1 for each item run
    int* nested     # nested[i]: threads_for(a large call) inside the task
    Py_ssize_t fail_at


cdef int run_cover(void* ctx, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef cover_task* t = <cover_task*>ctx
    cdef Py_ssize_t i
    cdef int nested = threads_for(1 << 40)
    for i in range(start, stop):
        t.hits[i] += 1
        t.nested[i] = nested
        if i == t.fail_at:
            return <int>(i % 1000) + 1
    return 0


def _cover(int[::1] hits, int[::1] nested, int threads, Py_ssize_t fail_at=-1):
    """Test hook: ``parallel_range`` over ``len(hits)`` items on up to
    ``threads`` threads, each item adding 1 to ``hits`` and writing to
    ``nested`` what ``threads_for`` says inside a task; the task fails at
    item ``fail_at`` with status ``fail_at % 1000 + 1``.  Returns the status.
    """
    cdef cover_task t
    cdef int status
    if nested.shape[0] != hits.shape[0]:
        raise ValueError("hits and nested differ in length")
    t.hits = &hits[0] if hits.shape[0] else NULL
    t.nested = &nested[0] if nested.shape[0] else NULL
    t.fail_at = fail_at
    with nogil:
        status = parallel_range(run_cover, &t, hits.shape[0], threads)
    return status


cdef object _start = num_threads_from_environment()
array_core_set_num_threads(min(_start if _start is not None else default_num_threads(),
                               AC_MAX_THREADS))
