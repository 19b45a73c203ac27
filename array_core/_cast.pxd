# Pointer core of the typed casts, cimported by _array.

cdef int cast_code(object dtype) noexcept
cdef int cast_strided(char* dst, const Py_ssize_t* dst_strides,
                      const char* src, const Py_ssize_t* src_strides,
                      int nd, const Py_ssize_t* shape,
                      int source_code, int target_code) noexcept nogil
