# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""How long one dependent read takes from a block of memory of a given size.

``_machine.effective_cache_bytes`` asks this when sysfs names a last-level
cache far larger than this machine's CPUs could claim (a virtual machine's
slice of a large host): whether a block twice the L2 still reads at cache
speed decides which cache the copy thresholds scale with.
"""
from libc.stdint cimport uint64_t

import time

import numpy as np

cdef enum:
    LINE = 64  # bytes: one link per cache line, so every read misses anew
    SLOT = LINE // sizeof(Py_ssize_t)

# Where each chase ends: a volatile store, so that no compiler drops the
# chase as unused (GCC dropped a plain static's store, and the chase).
cdef extern from *:
    """
    static volatile Py_ssize_t array_core_chase_end;
    """
    Py_ssize_t chase_end "array_core_chase_end"


cdef void link_cycle(Py_ssize_t* slots, Py_ssize_t* order, Py_ssize_t lines,
                     uint64_t state) noexcept nogil:
    """Link the lines of ``slots`` into one random cycle (Sattolo's
    algorithm on ``order``, then one sequential pass of stores): every line
    is read once per lap, in an order no hardware prefetcher follows."""
    cdef Py_ssize_t i, j, swap
    for i in range(lines):
        order[i] = i
    for i in range(lines - 1, 0, -1):
        state ^= state << 13  # xorshift64: any fixed seed gives a fine order
        state ^= state >> 7
        state ^= state << 17
        j = <Py_ssize_t>(state % <uint64_t>i)
        swap = order[i]
        order[i] = order[j]
        order[j] = swap
    for i in range(lines):
        slots[i * SLOT] = order[i] * SLOT


cdef Py_ssize_t chase(const Py_ssize_t* slots, Py_ssize_t start,
                      Py_ssize_t steps) noexcept nogil:
    """Follow ``steps`` links from ``start``: each read's address is the
    previous read's value, so the reads cannot overlap."""
    cdef Py_ssize_t _step, at = start
    for _step in range(steps):
        at = slots[at]
    return at


def read_latency_ns(Py_ssize_t nbytes, Py_ssize_t steps=4096,
                    Py_ssize_t rounds=3):
    """Nanoseconds per dependent read, best of ``rounds``, over a random
    cycle through the cache lines of a block of ``nbytes`` (at least two
    lines); the cycle is laid once, which brings the block into whatever
    cache holds it, then followed for ``steps`` reads a round.

    >>> read_latency_ns(1 << 16) > 0
    True
    >>> read_latency_ns(64)
    Traceback (most recent call last):
    ...
    ValueError: need at least two cache lines, one step and one round
    """
    cdef Py_ssize_t lines = nbytes // LINE, at = 0, _round
    cdef Py_ssize_t[::1] slots, order
    cdef long long started
    global chase_end
    if lines < 2 or steps < 1 or rounds < 1:
        raise ValueError("need at least two cache lines, one step and one round")
    # NumPy's memory: from 4 MiB it is advised for huge pages, so the far
    # block's reads measure the caches, not page walks.
    slots = np.empty(lines * SLOT, dtype=np.intp)
    order = np.empty(lines, dtype=np.intp)
    with nogil:
        link_cycle(&slots[0], &order[0], lines, 0x9E3779B97F4A7C15)
    best = float("inf")
    for _round in range(rounds):
        started = time.perf_counter_ns()
        with nogil:
            at = chase(&slots[0], at, steps)
        best = min(best, (time.perf_counter_ns() - started) / steps)
        chase_end = at
    return best
