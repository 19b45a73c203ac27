from array_core._buffer cimport Buffer


cdef class ndarray:
    cdef Buffer buffer          # the memory this array views
    cdef Py_ssize_t offset      # first element, in bytes from buffer.ptr
    cdef int nd
    cdef Py_ssize_t* dims       # nd lengths, then nd byte strides (one block)
    cdef Py_ssize_t* strides_
    cdef Py_ssize_t small_dims[8]  # storage for dims/strides_ when nd <= 4
    cdef object dtype_          # a numpy.dtype
    cdef Py_ssize_t itemsize_
    cdef Py_ssize_t alignment   # the dtype's, for the ALIGNED flag
    cdef object base_           # NumPy's base rule; None for an owner
    cdef int flags_
    cdef object shape_cache     # tuples built on first use
    cdef object strides_cache
    cdef object __weakref__

    cdef int set_writeable(self, bint value) except -1
    cdef bint base_allows_writes(self) except -1
