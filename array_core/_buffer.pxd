cdef class Buffer:
    cdef char* ptr          # first byte of the memory
    cdef Py_ssize_t nbytes
    cdef bint readonly
    cdef void* allocation   # what we malloc'd (None when borrowing)
    cdef object exporter    # the object whose memory we borrow, or None
    cdef Py_buffer view     # held while borrowing through PEP 3118
    cdef bint holds_view

cdef Buffer allocate_buffer(Py_ssize_t nbytes)
cdef Buffer borrow_buffer(object exporter)
cdef Buffer wrap_pointer(object owner, Py_ssize_t address, Py_ssize_t nbytes,
                         bint readonly)
