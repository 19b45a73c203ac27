cdef class Buffer:
    cdef char* ptr          # first byte of the memory
    cdef Py_ssize_t nbytes
    cdef bint readonly
    cdef void* allocation   # what we malloc'd (None when borrowing)
    cdef Py_ssize_t allocation_size  # its bytes (moves with it)
    cdef object exporter    # the object whose memory we borrow, or None
    cdef Py_buffer view     # held while borrowing through PEP 3118
    cdef bint holds_view
    # Lazy copy-on-write bookkeeping (see "lazy copies" in _array.pyx).
    cdef bint private              # only array_core can reach this memory
    cdef Py_ssize_t writable_exports  # live writable exports and writes in progress
    cdef Py_ssize_t pinned_exports    # live read-only exports held outside array_core
    cdef Py_ssize_t readers        # array_core's own reads in progress
    cdef object keeper             # keeps ptr valid when allocation is NULL
    cdef list retired              # memory left behind by a move, kept for readers
    cdef bint lazy_linked          # lazy_source is set
    cdef Buffer lazy_source        # the memory holder this Buffer shares lazily
    cdef list lazy_copies          # in a holder: weak references to its sharers
    # Memory others see or nobody may write (a file's map, read-only memory):
    # a lazy copy of it never adopts it, and moves on its first write or
    # read-only export (owner: memmap).
    cdef bint shared_memory
    cdef object __weakref__

cdef Buffer allocate_buffer(Py_ssize_t nbytes)
cdef Buffer borrow_buffer(object exporter)
cdef Buffer wrap_pointer(object owner, Py_ssize_t address, Py_ssize_t nbytes,
                         bint readonly)
