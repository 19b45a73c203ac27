# The odometer of the strided loops, cimported by _copy and _index.
#
# A kernel runs its inner loop (a run, a tile, a block) once per position of
# the outer axes; this steps those axes in C order and moves up to two byte
# (or element) offsets with them.  Inline only: no module goes with this file.


cdef inline bint odometer_next(int n, const Py_ssize_t* shape, Py_ssize_t* index,
                               const Py_ssize_t* strides_a, Py_ssize_t* offset_a,
                               const Py_ssize_t* strides_b,
                               Py_ssize_t* offset_b) noexcept nogil:
    """Step ``index`` to the next position of ``shape`` (n axes, the last
    fastest), moving ``offset_a`` by ``strides_a`` and ``offset_b`` by
    ``strides_b``; False when the last position has been passed.

    ``strides_b`` and ``offset_b`` are NULL when one offset is tracked.
    ``index`` starts at zeros and, like the offsets, is back at its start
    when this returns False; with n == 0 there is one position.  NumPy's
    ``NPY_RAW_ITER_TWO_NEXT``.
    """
    cdef int i = n - 1
    while i >= 0:
        index[i] += 1
        offset_a[0] += strides_a[i]
        if strides_b != NULL:
            offset_b[0] += strides_b[i]
        if index[i] < shape[i]:
            return True
        # This axis wraps: back to its start, carry into the next one out.
        offset_a[0] -= strides_a[i] * shape[i]
        if strides_b != NULL:
            offset_b[0] -= strides_b[i] * shape[i]
        index[i] = 0
        i -= 1
    return False
