cdef class Buffer:
    cdef char* ptr          # first byte of the memory
    cdef Py_ssize_t nbytes
    cdef bint readonly
    cdef void* allocation   # what we malloc'd (None when borrowing)
    cdef object exporter    # the object whose memory we borrow, or None
    cdef Py_buffer view     # held while borrowing through PEP 3118
    cdef bint holds_view
    # Lazy copy-on-write bookkeeping (see "lazy copies" in _array.pyx).
    cdef bint private              # only array_core can reach this memory
    cdef Py_ssize_t writable_exports  # live writable buffer-protocol exports
    cdef bint lazy_linked          # lazy_source or lazy_copies is set
    cdef Buffer lazy_source        # a lazy copy: whose memory it reads until written
    cdef list lazy_copies          # weak references to lazy copies of this memory
    cdef object __weakref__

cdef Buffer allocate_buffer(Py_ssize_t nbytes)
cdef Buffer borrow_buffer(object exporter)
cdef Buffer wrap_pointer(object owner, Py_ssize_t address, Py_ssize_t nbytes,
                         bint readonly)
