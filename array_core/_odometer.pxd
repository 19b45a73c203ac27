# The odometer of the strided loops, cimported by _copy and _index.
#
# A kernel runs its inner loop (a run, a tile, a block) once per position of
# the outer axes; odometer_next steps those axes in C order and moves up to
# two positions with them.  Inline only: no module goes with this file.

ctypedef char* byte_pointer

# What the odometer moves: pointers into arrays (byte strides), or offsets
# (in whatever unit the strides are given).  Kernels whose loop body keeps
# few values live use pointers, so the moved positions stay in registers.
ctypedef fused position_t:
    byte_pointer
    Py_ssize_t


cdef inline bint odometer_next(int n, const Py_ssize_t* shape, Py_ssize_t* index,
                               const Py_ssize_t* strides_a, position_t* a,
                               const Py_ssize_t* strides_b,
                               position_t* b) noexcept nogil:
    """Step ``index`` to the next position of ``shape`` (n axes, the last
    fastest), moving ``a`` by ``strides_a`` and ``b`` by ``strides_b``;
    False when the last position has been passed.

    ``strides_b`` and ``b`` are NULL when one position is tracked.  ``index``
    starts at zeros and, like ``a`` and ``b``, is back at its start when this
    returns False; with n == 0 there is one position.  NumPy's
    ``NPY_RAW_ITER_TWO_NEXT``.
    """
    cdef int i = n - 1
    while i >= 0:
        index[i] += 1
        a[0] += strides_a[i]
        if b != NULL:  # known at compile time once inlined: &local or NULL
            b[0] += strides_b[i]
        if index[i] < shape[i]:
            return True
        # This axis wraps: back to its start, carry into the next one out.
        a[0] -= strides_a[i] * shape[i]
        if b != NULL:
            b[0] -= strides_b[i] * shape[i]
        index[i] = 0
        i -= 1
    return False
