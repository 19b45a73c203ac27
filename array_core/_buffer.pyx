# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Buffer: one block of memory that arrays view.

A Buffer either owns memory it allocated (aligned, freed exactly once
when the last array using it goes away) or borrows memory from another object:
a PEP 3118 exporter whose buffer it holds for its lifetime, or an object that
keeps a raw pointer valid (a NumPy array via ``__array_interface__``).
"""
cimport cython
from cpython.buffer cimport (
    PyObject_GetBuffer, PyBuffer_Release, PyBUF_WRITABLE,
    PyBUF_ANY_CONTIGUOUS,
)
from cpython.mem cimport PyMem_RawMalloc, PyMem_RawFree
from libc.stdint cimport uintptr_t
from cpython.pyport cimport PY_SSIZE_T_MAX
from libc.string cimport memset

# 16: where glibc puts NumPy's large arrays; equal page offsets copy fastest both ways.
cdef Py_ssize_t ALIGNMENT = 64
cdef Py_ssize_t LARGE_BLOCK = 1 << 20
cdef Py_ssize_t PAGE = 4096
cdef Py_ssize_t LARGE_PAGE_OFFSET = 16
# Blocks this big ask for transparent huge pages, as NumPy does from 4 MiB on:
# without them a fresh 256 MiB copy spends most of its time in page faults.
cdef Py_ssize_t HUGE_BLOCK = 1 << 22
cdef Py_ssize_t HUGE_PAGE = 1 << 21
# From 32 MiB (glibc's largest mmap threshold) a block that glibc maps afresh
# is asked again, padded to start on a huge page: huge pages then cover it from
# byte 0.  Below it a padded request may cross the threshold that NumPy's stays
# under, and fault in new pages on every copy where NumPy reuses its heap
# (measured: 1.5x on 32 MB).  A block glibc serves from the free top of its
# heap is kept, as NumPy's would be: its pages are resident already (a fresh
# map for 2 x 16 MiB in np.concatenate's place measured 1.2x NumPy's time).
cdef Py_ssize_t HUGE_ALIGNED_BLOCK = 1 << 25
# Where glibc's malloc puts a block it maps afresh: two words into a page.
cdef uintptr_t MAPPED_PAGE_OFFSET = 2 * sizeof(size_t)

cdef extern from *:
    """
    #if defined(__linux__)
    #include <sys/mman.h>
    #endif
    static void array_core_advise_hugepages(void *start, size_t nbytes) {
    #if defined(__linux__) && defined(MADV_HUGEPAGE)
        (void)madvise(start, nbytes, MADV_HUGEPAGE);
    #else
        (void)start; (void)nbytes;
    #endif
    }
    """
    void array_core_advise_hugepages(void* start, size_t nbytes) noexcept nogil

# In the sanitizer build (setup.py: ARRAY_CORE_SANITIZE) the alignment padding
# around an array's bytes is poisoned, so that ASan reports a read or write
# past either end of the data, not only past the end of the whole allocation.
cdef extern from *:
    """
    #if defined(__SANITIZE_ADDRESS__)
    #include <sanitizer/asan_interface.h>
    #define array_core_poison(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
    #else
    #define array_core_poison(p, n) ((void)(p), (void)(n))
    #endif
    """
    void array_core_poison(void* start, size_t nbytes) noexcept nogil


# Allocation tracking (array_core.track_allocations): while ``site_hook`` is
# set, each block allocated records where (the hook's answer, keyed by the
# block's address, which a lazy copy's holder and a materialised copy keep);
# the entry goes when the block is freed.  Off, it costs one test of
# ``site_hook`` per allocation and one of ``allocation_sites`` per free.
cdef object site_hook = None
cdef dict allocation_sites = {}


def _set_site_hook(hook):
    """Install (or, with None, remove) the allocation-site hook: called with
    no arguments for each block allocated, its result is kept for the block."""
    global site_hook
    site_hook = hook


cdef inline uintptr_t site_key(Buffer buf) noexcept:
    """The key of ``buf``'s memory in ``allocation_sites``: the block it
    allocated, else the first byte of the memory it wraps."""
    if buf.allocation != NULL:
        return <uintptr_t>buf.allocation
    return <uintptr_t>buf.ptr


def _allocation_site(Buffer buf):
    """Where ``buf``'s memory was allocated (or wrapped) while tracking, or
    None."""
    if not allocation_sites:
        return None
    return allocation_sites.get(site_key(buf))


def _tracked_allocations():
    """How many live blocks have a recorded allocation site (for tests)."""
    return len(allocation_sites)


@cython.freelist(16)
cdef class Buffer:
    """A block of memory: owned (allocated here) or borrowed from an exporter.

    Attributes are C-level; Python sees ``nbytes``, ``readonly``, ``address``
    and ``exporter`` for tests and diagnostics.
    """

    def __dealloc__(self):
        if self.holds_view:
            PyBuffer_Release(&self.view)
            self.holds_view = False
        if allocation_sites and (
                self.allocation != NULL or (
                    type(self.keeper) is not Buffer
                    and (self.exporter is not None or self.keeper is not None))):
            # Only the Buffer that allocated or wraps the memory: a Buffer
            # whose keeper is a Buffer uses memory that one keeps, and one
            # emptied by a move (a materialised lazy copy) holds none.
            allocation_sites.pop(site_key(self), None)
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
    """A new writeable Buffer of ``nbytes`` (uninitialised).

    Small blocks are 64-byte aligned; blocks of LARGE_BLOCK bytes or more
    start LARGE_PAGE_OFFSET bytes into a page, and from HUGE_BLOCK on into a
    2 MiB huge page that is advised for transparent huge pages.
    """
    cdef Buffer buf = Buffer.__new__(Buffer)
    cdef Py_ssize_t pad = ALIGNMENT
    cdef uintptr_t raw, start
    if nbytes < 0:
        raise ValueError("negative buffer size")
    if nbytes > PY_SSIZE_T_MAX - HUGE_PAGE - LARGE_PAGE_OFFSET - 1:
        raise MemoryError(f"Unable to allocate {nbytes} bytes for an array")
    if nbytes >= LARGE_BLOCK:
        pad = PAGE + LARGE_PAGE_OFFSET
    # Allocate at least one byte so an empty array still has a valid pointer.
    buf.allocation = PyMem_RawMalloc(nbytes + pad + 1)
    if (nbytes >= HUGE_ALIGNED_BLOCK and buf.allocation != NULL
            and <uintptr_t>buf.allocation & (PAGE - 1) == MAPPED_PAGE_OFFSET):
        # A fresh map: unmapping it untouched costs no page fault.
        PyMem_RawFree(buf.allocation)
        pad = HUGE_PAGE + LARGE_PAGE_OFFSET
        buf.allocation = PyMem_RawMalloc(nbytes + pad + 1)
    if buf.allocation == NULL:
        raise MemoryError(f"Unable to allocate {nbytes} bytes for an array")
    raw = <uintptr_t>buf.allocation
    if pad == HUGE_PAGE + LARGE_PAGE_OFFSET:
        # Start on a huge-page boundary so huge pages cover the block from byte 0.
        start = ((raw + HUGE_PAGE - 1) & ~(<uintptr_t>(HUGE_PAGE - 1)))
        array_core_advise_hugepages(<void*>start, nbytes + LARGE_PAGE_OFFSET)
        start += LARGE_PAGE_OFFSET
    elif nbytes >= LARGE_BLOCK:
        start = ((raw + PAGE - 1) & ~(<uintptr_t>(PAGE - 1)))
        if nbytes >= HUGE_BLOCK:
            array_core_advise_hugepages(<void*>start, nbytes + LARGE_PAGE_OFFSET)
        start += LARGE_PAGE_OFFSET
    else:
        start = (raw + ALIGNMENT - 1) & ~(<uintptr_t>(ALIGNMENT - 1))
    array_core_poison(buf.allocation, start - raw)
    array_core_poison(<void*>(start + nbytes), raw + nbytes + pad + 1 - start - nbytes)
    buf.ptr = <char*>start
    buf.nbytes = nbytes
    buf.readonly = False
    buf.exporter = None
    buf.private = True
    if site_hook is not None:
        record_site(buf)
    return buf


cdef int record_site(Buffer buf) except -1:
    """Keep where ``buf`` was allocated or wrapped (tracking is on)."""
    hook = site_hook
    if hook is not None:
        allocation_sites[site_key(buf)] = hook()
    return 0


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
    if site_hook is not None:
        record_site(buf)  # memory NumPy made for array_core, say
    return buf
