# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Whether the cache beyond the L2 serves copies: streaming against plain.

``_machine.effective_cache_bytes`` asks this when sysfs names a last-level
cache far larger than this machine's CPUs could claim (a virtual machine's
slice of a large host): whether a copy of a block four times the L2 runs
faster with stores around the cache (``_stream_copy.h``'s streaming copy,
which the copy kernels use past their thresholds) than with a plain
``memcpy`` between blocks the caches keep decides which cache the copy
thresholds scale with.  It times the very choice those thresholds make.
"""
from libc.string cimport memcpy

import time

import numpy as np

cdef extern from "_stream_copy.h" nogil:
    void array_core_stream_fence()
    void array_core_copy_stream(char* dst, const char* src, size_t n)


cdef long long best_copy_ns(char* dst, const char* src, Py_ssize_t nbytes,
                            bint stream, Py_ssize_t rounds):
    """The best of ``rounds`` timed copies of ``nbytes`` from ``src`` to ``dst``."""
    cdef long long best = -1, started, took
    cdef Py_ssize_t _round
    for _round in range(rounds):
        started = time.perf_counter_ns()
        with nogil:
            if stream:
                array_core_copy_stream(dst, src, <size_t>nbytes)
                array_core_stream_fence()
            else:
                memcpy(dst, src, <size_t>nbytes)
        took = time.perf_counter_ns() - started
        if best < 0 or took < best:
            best = took
    return best


def stream_over_plain_copy(Py_ssize_t nbytes, Py_ssize_t rounds=3):
    """The time of a streaming copy of ``nbytes`` over a plain ``memcpy``'s,
    each the best of ``rounds``, between the same two blocks.

    The plain copies run first, after one untimed copy, so they see what a
    loop of copies sees: both blocks as cached as the caches allow.  Below 1,
    the level beyond the caches that ``nbytes`` overflows serves copies no
    better than memory does.  Both blocks are NumPy's (advised for huge pages
    from 4 MiB), written before the first copy.

    >>> stream_over_plain_copy(1 << 16) > 0
    True
    >>> stream_over_plain_copy(0)
    Traceback (most recent call last):
    ...
    ValueError: need at least one byte and one round
    """
    cdef char[::1] src, dst
    if nbytes < 1 or rounds < 1:
        raise ValueError("need at least one byte and one round")
    src = np.ones(nbytes, dtype=np.int8)
    dst = np.ones(nbytes, dtype=np.int8)
    best_copy_ns(&dst[0], &src[0], nbytes, False, 1)
    plain = best_copy_ns(&dst[0], &src[0], nbytes, False, rounds)
    stream = best_copy_ns(&dst[0], &src[0], nbytes, True, rounds)
    return stream / max(plain, 1)
