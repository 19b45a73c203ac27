# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Buffer: one block of memory that arrays view.

A Buffer either owns memory it allocated (64-byte aligned, freed exactly once
when the last array using it goes away) or borrows memory from another object:
a PEP 3118 exporter whose buffer it holds for its lifetime, or an object that
keeps a raw pointer valid (a NumPy array via ``__array_interface__``).
"""
from cpython.buffer cimport (
    PyObject_GetBuffer, PyBuffer_Release, PyBUF_WRITABLE,
    PyBUF_ANY_CONTIGUOUS,
)
from cpython.mem cimport PyMem_RawMalloc, PyMem_RawFree
from libc.stdint cimport uintptr_t
from libc.string cimport memset

# Large blocks start this many bytes into a 4096-byte page: NumPy's big
# allocations land at offset 16 of a page, and glibc's memcpy is slow when the
# destination sits a little further into its page than the source.
cdef Py_ssize_t ALIGNMENT = 64
cdef Py_ssize_t LARGE_BLOCK = 1 << 20
cdef Py_ssize_t PAGE = 4096
cdef Py_ssize_t LARGE_PAGE_OFFSET = 0


cdef class Buffer:
    """A block of memory: owned (allocated here) or borrowed from an exporter.

    Attributes are C-level; Python sees ``nbytes``, ``readonly``, ``address``
    and ``exporter`` for tests and diagnostics.
    """

    def __dealloc__(self):
        if self.holds_view:
            PyBuffer_Release(&self.view)
            self.holds_view = False
        if self.allocation != NULL:
            PyMem_RawFree(self.allocation)
            self.allocation = NULL

    @property
    def nbytes(self):
        return self.nbytes

    @property
    def readonly(self):
        return bool(self.readonly)

    @property
    def address(self):
        return <uintptr_t>self.ptr

    @property
    def exporter(self):
        return self.exporter

    @property
    def owns_memory(self):
        return self.allocation != NULL

    def __repr__(self):
        kind = "owned" if self.allocation != NULL else "borrowed"
        return (f"<Buffer {kind} nbytes={self.nbytes} "
                f"readonly={bool(self.readonly)}>")


cdef Buffer allocate_buffer(Py_ssize_t nbytes):
    """A new writeable, 64-byte-aligned Buffer of ``nbytes`` (uninitialised)."""
    cdef Buffer buf = Buffer.__new__(Buffer)
    cdef Py_ssize_t pad = ALIGNMENT
    cdef uintptr_t raw, start
    if nbytes < 0:
        raise ValueError("negative buffer size")
    if nbytes >= LARGE_BLOCK:
        pad = PAGE + LARGE_PAGE_OFFSET
    # Allocate at least one byte so an empty array still has a valid pointer.
    buf.allocation = PyMem_RawMalloc(nbytes + pad + 1)
    if buf.allocation == NULL:
        raise MemoryError(f"Unable to allocate {nbytes} bytes for an array")
    raw = <uintptr_t>buf.allocation
    if nbytes >= LARGE_BLOCK:
        start = ((raw + PAGE - 1) & ~(<uintptr_t>(PAGE - 1))) + LARGE_PAGE_OFFSET
    else:
        start = (raw + ALIGNMENT - 1) & ~(<uintptr_t>(ALIGNMENT - 1))
    buf.ptr = <char*>start
    buf.nbytes = nbytes
    buf.readonly = False
    buf.exporter = None
    return buf


def allocate(Py_ssize_t nbytes, bint zero=False):
    """Python entry point for tests: a new owned Buffer (zeroed if asked)."""
    cdef Buffer buf = allocate_buffer(nbytes)
    if zero:
        memset(buf.ptr, 0, nbytes)
    return buf


cdef Buffer borrow_buffer(object exporter):
    """Borrow a PEP 3118 exporter's contiguous memory, writeable if it allows.

    The exporter's buffer is held until the Buffer dies, so the memory stays
    valid however long views of it live.
    """
    cdef Buffer buf = Buffer.__new__(Buffer)
    try:
        PyObject_GetBuffer(exporter, &buf.view,
                           PyBUF_ANY_CONTIGUOUS | PyBUF_WRITABLE)
        buf.readonly = False
    except (BufferError, ValueError):
        # NumPy (and array_core) refuse a writable request with ValueError.
        PyObject_GetBuffer(exporter, &buf.view, PyBUF_ANY_CONTIGUOUS)
        buf.readonly = True
    buf.holds_view = True
    buf.ptr = <char*>buf.view.buf
    buf.nbytes = buf.view.len
    buf.exporter = exporter
    return buf


def borrow(object exporter):
    """Python entry point for tests: a Buffer borrowing ``exporter``'s memory."""
    return borrow_buffer(exporter)


cdef Buffer wrap_pointer(object owner, Py_ssize_t address, Py_ssize_t nbytes,
                         bint readonly):
    """A Buffer over memory that ``owner`` keeps valid while it is referenced."""
    cdef Buffer buf = Buffer.__new__(Buffer)
    buf.ptr = <char*><uintptr_t>address
    buf.nbytes = nbytes
    buf.readonly = readonly
    buf.exporter = owner
    return buf
