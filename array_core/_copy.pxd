# Pointer core of the strided copy, cimported by _index and _array.

cdef int copy_strided(char* dst, const Py_ssize_t* dst_strides,
                      const char* src, const Py_ssize_t* src_strides,
                      int nd, const Py_ssize_t* shape,
                      Py_ssize_t itemsize) noexcept nogil
cdef void copy_block(char* dst, const Py_ssize_t* dst_strides,
                     const char* src, const Py_ssize_t* src_strides,
                     int nd, const Py_ssize_t* shape,
                     Py_ssize_t itemsize) noexcept nogil
cdef void copy_contiguous(char* dst, const char* src,
                          Py_ssize_t nbytes) noexcept nogil
