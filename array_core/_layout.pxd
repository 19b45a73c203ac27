# Pointer cores of the metadata algorithms, cimported by _copy and _array.

cdef void fill_contiguous_strides(int nd, const Py_ssize_t* shape,
                                  Py_ssize_t itemsize, bint fortran,
                                  Py_ssize_t* strides) noexcept nogil
cdef int contiguity_flags(int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides,
                          Py_ssize_t itemsize) noexcept nogil
cdef int nocopy_reshape_strides(int nd, const Py_ssize_t* shape,
                                const Py_ssize_t* strides, Py_ssize_t itemsize,
                                int new_nd, const Py_ssize_t* newshape,
                                bint fortran,
                                Py_ssize_t* newstrides) noexcept nogil
cdef Py_ssize_t shape_size(int nd, const Py_ssize_t* shape) noexcept nogil
cdef void byte_extent(int nd, const Py_ssize_t* shape, const Py_ssize_t* strides,
                      Py_ssize_t itemsize, Py_ssize_t* low,
                      Py_ssize_t* high) noexcept nogil
cdef int coalesce_axes(int nd, Py_ssize_t* shape, Py_ssize_t* strides_a,
                       Py_ssize_t* strides_b) noexcept nogil
cdef int convert_shape(object obj, Py_ssize_t* out) except -1
cdef int fix_unknown_axis(int nd, Py_ssize_t* shape, Py_ssize_t size) except -1
cdef int resolve_newshape(object newshape, Py_ssize_t size,
                          Py_ssize_t* out) except -1
