# Key planning, cimported by _array.

cdef enum:
    INDEX_VIEW = 0      # basic key: the result is a view
    INDEX_SCALAR = 1    # an integer for every axis: the result is one element
    INDEX_ADVANCED = 2  # arrays, lists or booleans in the key: gather/scatter

cdef int plan_basic_index(object key, int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides, Py_ssize_t* offset,
                          int* out_nd, Py_ssize_t* out_shape,
                          Py_ssize_t* out_strides) except -1
