# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""C-level facts for the pin report (``array_core.memory_report``).

Nothing here runs unless a report is asked for: these functions read the
fields of Buffers and arrays found through the garbage collector, and keep
no reference to any of them.
"""
from libc.stdint cimport uintptr_t

from array_core._buffer cimport Buffer
from array_core._layout cimport byte_extent
from array_core._array cimport ndarray, data_of


cdef Buffer block_of(Buffer buf):
    """The Buffer standing for the memory ``buf`` uses, or None when that
    memory is not array_core's own: the Buffer that allocated it, or, for
    memory NumPy made for array_core (a wrapped result), the Buffer wrapping
    it; a lazy copy leads to the holder of the memory it shares (or
    shared)."""
    cdef int hops = 0
    cdef bint private = False
    while buf.allocation == NULL:
        private = private or buf.private
        keeper = buf.keeper
        if type(keeper) is not Buffer or hops > 64:
            if private or buf.lazy_copies is not None:
                return buf
            return None
        buf = <Buffer>keeper
        hops += 1
    return buf


def memory_block(Buffer buf):
    """``block_of(buf)`` for Python: the owning Buffer, or None."""
    return block_of(buf)


def arrays_among(list objects):
    """The array_core arrays in ``objects`` (each once, in order)."""
    cdef list found = []
    cdef set seen = set()
    for obj in objects:
        if isinstance(obj, ndarray) and id(obj) not in seen:
            seen.add(id(obj))
            found.append(obj)
    return found


def buffers_among(list objects):
    """The Buffers in ``objects`` that stand for their memory (`block_of`)."""
    cdef list found = []
    for obj in objects:
        if type(obj) is Buffer and block_of(<Buffer>obj) is obj:
            found.append(obj)
    return found


def array_facts(ndarray a):
    """``(block, first, stop, buffer, kind)`` for ``a``: the Buffer standing
    for its memory (None when not array_core's own), the byte span
    ``[first, stop)`` it can reach from that block's first byte, its own
    Buffer, and its kind: "view" (it has a base), "owner", or "lazy copy"
    (an owner sharing memory it did not start with)."""
    cdef Py_ssize_t lo = 0, hi = 0, start
    cdef Buffer block = block_of(a.buffer)
    cdef str kind = "view" if a.base_ is not None else "owner"
    if block is None:
        return None, 0, 0, a.buffer, kind
    if kind == "owner" and block is not a.buffer:
        # The first sharer listed by a holder is the array it was made from.
        first_ref = block.lazy_copies[0] if block.lazy_copies else None
        if first_ref is None or first_ref() is not a.buffer:
            kind = "lazy copy"
    byte_extent(a.nd, a.dims, a.strides_, a.itemsize_, &lo, &hi)
    if hi <= lo:
        return block, 0, 0, a.buffer, kind
    start = <Py_ssize_t>(<uintptr_t>data_of(a) - <uintptr_t>block.ptr)
    return block, start + lo, start + hi, a.buffer, kind


def array_base(ndarray a):
    """``a``'s base as stored (an array, an exporter, or None)."""
    return a.base_


def buffer_facts(Buffer buf):
    """``(nbytes, pinned, writable, readers, lazy)`` of ``buf``: its size,
    its live read-only exports held outside array_core, its writable
    exports (and writes in progress), array_core's reads in progress, and
    whether it shares memory lazily now."""
    return (buf.nbytes, buf.pinned_exports, buf.writable_exports, buf.readers,
            bool(buf.lazy_linked))


cdef extern from "Python.h":
    int PyObject_GC_IsTracked(object obj)


cdef inline bint untracked_container(object obj) noexcept:
    """A dict or tuple the collector does not track (CPython untracks those
    holding only untracked objects, such as arrays and strings)."""
    return (type(obj) is dict or type(obj) is tuple) and not PyObject_GC_IsTracked(obj)


def untracked_among(list objects):
    """The untracked dicts and tuples among ``objects`` (see below)."""
    return [obj for obj in objects if untracked_container(obj)]


def arrays_in_untracked(list objects):
    """``(array, container, key)`` for the arrays held by the untracked
    dicts and tuples among ``objects``, and by those they hold in turn: the
    collector's referents and referrers never show them."""
    cdef list found = []
    cdef list pending = [obj for obj in objects if untracked_container(obj)]
    cdef list later
    cdef set seen = set()
    while pending:
        later = []
        for container in pending:
            if id(container) in seen:
                continue
            seen.add(id(container))
            if type(container) is dict:
                try:
                    items = list((<dict>container).items())
                except RuntimeError:  # changed by another thread meanwhile
                    continue
                for key, value in items:
                    if isinstance(value, ndarray):
                        found.append((value, container, key))
                    elif untracked_container(value):
                        later.append(value)
            else:
                for value in <tuple>container:
                    if isinstance(value, ndarray):
                        found.append((value, container, None))
                    elif untracked_container(value):
                        later.append(value)
        pending = later
    return found
