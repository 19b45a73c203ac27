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
from posix.time cimport clock_gettime, timespec, CLOCK_MONOTONIC

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
    #define array_core_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
    #else
    #define array_core_poison(p, n) ((void)(p), (void)(n))
    #define array_core_unpoison(p, n) ((void)(p), (void)(n))
    #endif
    """
    void array_core_poison(void* start, size_t nbytes) noexcept nogil
    void array_core_unpoison(void* start, size_t nbytes) noexcept nogil


# Freed large blocks kept for reuse.  From HUGE_ALIGNED_BLOCK on glibc unmaps
# a freed block (its heap keeps no more free), and the next one is a fresh
# map whose pages the kernel zeroes on first touch: 14 of the 31 ms of an
# ascontiguousarray(a.T) of 4096^2 float64 on two threads, as much on one
# (zeroing is bound by memory, not cores).  As jemalloc keeps freed pages for
# a decay time, the cache keeps a few such blocks (at most ``cache_limit``
# bytes) for ``cache_decay`` seconds, so a loop that makes the same large
# arrays reuses resident pages.  A block waits poisoned (sanitizer build), so
# a read through a stale pointer is still reported.  Only touched with the
# GIL held (allocate_buffer and Buffer.__dealloc__ hold it).
cdef enum:
    CACHE_SLOTS = 8
# The smallest block cached: HUGE_ALIGNED_BLOCK bytes of data, a page's padding.
cdef Py_ssize_t CACHED_BLOCK_MIN = HUGE_ALIGNED_BLOCK + PAGE + LARGE_PAGE_OFFSET + 1


cdef struct CachedBlock:
    void* allocation
    Py_ssize_t size      # bytes malloc'd
    double freed_at      # monotonic seconds


cdef CachedBlock cached_blocks[CACHE_SLOTS]
cdef int n_cached = 0
cdef Py_ssize_t cached_bytes = 0
cdef Py_ssize_t cache_limit = 0          # set at import (default_cache_limit)
cdef double cache_decay = 2.0
cdef unsigned int allocations_while_cached = 0


cdef double monotonic_seconds() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return ts.tv_sec + ts.tv_nsec * 1e-9


cdef void drop_cached(int i) noexcept:
    """Free cached block ``i`` (the last one takes its slot)."""
    global n_cached, cached_bytes
    cdef CachedBlock block = cached_blocks[i]
    n_cached -= 1
    cached_bytes -= block.size
    cached_blocks[i] = cached_blocks[n_cached]
    array_core_unpoison(block.allocation, block.size)
    PyMem_RawFree(block.allocation)


cdef void expire_cached(double now) noexcept:
    """Free the blocks cached for ``cache_decay`` seconds or more."""
    cdef int i
    for i in range(n_cached - 1, -1, -1):
        if now - cached_blocks[i].freed_at >= cache_decay:
            drop_cached(i)


cdef void drop_oldest() noexcept:
    cdef int i, oldest = 0
    for i in range(1, n_cached):
        if cached_blocks[i].freed_at < cached_blocks[oldest].freed_at:
            oldest = i
    drop_cached(oldest)


cdef void shrink_cache(Py_ssize_t room) noexcept:
    """Free the oldest blocks until ``room`` more bytes fit in a free slot."""
    while n_cached and (n_cached == CACHE_SLOTS or cached_bytes + room > cache_limit):
        drop_oldest()


cdef bint keep_block(void* allocation, Py_ssize_t size) noexcept:
    """Cache a freed block; False when it does not fit (free it then)."""
    global n_cached, cached_bytes
    cdef double now
    if size > cache_limit:
        return False
    now = monotonic_seconds()
    expire_cached(now)
    shrink_cache(size)
    cached_blocks[n_cached].allocation = allocation
    cached_blocks[n_cached].size = size
    cached_blocks[n_cached].freed_at = now
    n_cached += 1
    cached_bytes += size
    array_core_poison(allocation, size)
    return True


cdef uintptr_t place_block(uintptr_t raw, Py_ssize_t size, Py_ssize_t nbytes) noexcept:
    """Where ``nbytes`` (and a byte after them) start in the block at
    ``raw``: 16 bytes into a huge page, else into a page; 0 if they do not
    fit."""
    cdef uintptr_t end = raw + <uintptr_t>size, start
    start = ((raw + HUGE_PAGE - 1) & ~(<uintptr_t>(HUGE_PAGE - 1))) + LARGE_PAGE_OFFSET
    if start + <uintptr_t>nbytes + 1 <= end:
        return start
    start = ((raw + PAGE - 1) & ~(<uintptr_t>(PAGE - 1))) + LARGE_PAGE_OFFSET
    if start + <uintptr_t>nbytes + 1 <= end:
        return start
    return 0


cdef int take_block(Py_ssize_t nbytes, Buffer buf) noexcept:
    """Give ``buf`` the smallest cached block that holds ``nbytes`` and is
    not much larger than a fresh one would be; 0 when none does."""
    global n_cached, cached_bytes
    cdef Py_ssize_t fresh = nbytes + HUGE_PAGE + LARGE_PAGE_OFFSET + 1
    cdef int i, best = -1
    expire_cached(monotonic_seconds())
    for i in range(n_cached):
        if (cached_blocks[i].size <= fresh + fresh // 4
                and place_block(<uintptr_t>cached_blocks[i].allocation,
                                cached_blocks[i].size, nbytes)
                and (best < 0 or cached_blocks[i].size < cached_blocks[best].size)):
            best = i
    if best < 0:
        return 0
    buf.allocation = cached_blocks[best].allocation
    buf.allocation_size = cached_blocks[best].size
    n_cached -= 1
    cached_bytes -= buf.allocation_size
    cached_blocks[best] = cached_blocks[n_cached]
    array_core_unpoison(buf.allocation, buf.allocation_size)
    return 1


def default_cache_limit():
    """``ARRAY_CORE_BLOCK_CACHE`` (bytes; 0 keeps no block), else a
    sixteenth of the machine's memory, at most 1 GiB."""
    import os
    import warnings
    setting = os.environ.get("ARRAY_CORE_BLOCK_CACHE", "").strip()
    if setting:
        try:
            value = int(setting)
            if value >= 0:
                return value
        except ValueError:
            pass
        warnings.warn(f"ARRAY_CORE_BLOCK_CACHE={setting!r} is not a number of "
                      "bytes; using the default", RuntimeWarning, stacklevel=2)
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = 16 << 30
    return min(1 << 30, memory // 16)


def _configure_block_cache(limit=None, decay=None):
    """Test hook: set the cache's byte limit and decay (seconds); returns
    the old settings as keyword arguments.  A lower limit frees at once."""
    global cache_limit, cache_decay
    old = {"limit": cache_limit, "decay": cache_decay}
    if limit is not None:
        if limit < 0:
            raise ValueError("the block cache's limit must be at least 0")
        cache_limit = limit
        while n_cached and cached_bytes > cache_limit:
            drop_oldest()
    if decay is not None:
        cache_decay = decay
    return old


def _cached_blocks():
    """(blocks, bytes) in the cache now (for tests)."""
    return n_cached, cached_bytes


cache_limit = default_cache_limit()


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
            if not (self.allocation_size >= CACHED_BLOCK_MIN
                    and keep_block(self.allocation, self.allocation_size)):
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
    2 MiB huge page that is advised for transparent huge pages.  From
    HUGE_ALIGNED_BLOCK on a cached block that fits is reused.
    """
    cdef Buffer buf = Buffer.__new__(Buffer)
    cdef Py_ssize_t pad = ALIGNMENT
    cdef uintptr_t raw, start
    if nbytes < 0:
        raise ValueError("negative buffer size")
    if nbytes > PY_SSIZE_T_MAX - HUGE_PAGE - LARGE_PAGE_OFFSET - 1:
        raise MemoryError(f"Unable to allocate {nbytes} bytes for an array")
    global allocations_while_cached
    if n_cached:
        # Blocks expire on time even while only small arrays are made.
        allocations_while_cached += 1
        if allocations_while_cached % 256 == 0:
            expire_cached(monotonic_seconds())
    if nbytes >= HUGE_ALIGNED_BLOCK and n_cached and take_block(nbytes, buf):
        raw = <uintptr_t>buf.allocation
        start = place_block(raw, buf.allocation_size, nbytes)
        array_core_advise_hugepages(<void*>(start - LARGE_PAGE_OFFSET),
                                    nbytes + LARGE_PAGE_OFFSET)
        array_core_poison(buf.allocation, start - raw)
        array_core_poison(<void*>(start + nbytes),
                          raw + buf.allocation_size - start - nbytes)
        return owned_buffer(buf, <char*>start, nbytes)
    if nbytes >= LARGE_BLOCK:
        pad = PAGE + LARGE_PAGE_OFFSET
    # Allocate at least one byte so an empty array still has a valid pointer.
    buf.allocation = raw_malloc(nbytes + pad + 1)
    if (nbytes >= HUGE_ALIGNED_BLOCK and buf.allocation != NULL
            and <uintptr_t>buf.allocation & (PAGE - 1) == MAPPED_PAGE_OFFSET):
        # A fresh map: unmapping it untouched costs no page fault.
        PyMem_RawFree(buf.allocation)
        pad = HUGE_PAGE + LARGE_PAGE_OFFSET
        buf.allocation = raw_malloc(nbytes + pad + 1)
    if buf.allocation == NULL:
        raise MemoryError(f"Unable to allocate {nbytes} bytes for an array")
    buf.allocation_size = nbytes + pad + 1
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
    return owned_buffer(buf, <char*>start, nbytes)


cdef void* raw_malloc(size_t size) noexcept:
    """malloc, and once more after freeing the cached blocks if it fails."""
    cdef void* p = PyMem_RawMalloc(size)
    if p == NULL and n_cached:
        while n_cached:
            drop_cached(n_cached - 1)
        p = PyMem_RawMalloc(size)
    return p


cdef Buffer owned_buffer(Buffer buf, char* start, Py_ssize_t nbytes):
    """``buf``, given its allocation, as the owner of ``nbytes`` at ``start``."""
    buf.ptr = start
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
