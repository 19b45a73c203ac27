# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Broadcasting views and arbitrary strided views (NumPy's stride tricks).

``broadcast_to`` and ``broadcast_arrays`` give stride-0 views, with NumPy
2.x's flags: ``broadcast_to`` is read-only; ``broadcast_arrays`` gives
writeable views that warn on their first write (NumPy's WARN_ON_WRITE).
``strided_view`` is the core of ``array_core.lib.stride_tricks.as_strided``:
unlike NumPy's, it refuses a view that reaches outside the array's memory.
"""
from array_core._typedefs cimport (
    MAX_NDIM, FLAG_WRITEABLE, FLAG_WARN_ON_WRITE, mul_overflows,
)
from array_core._buffer cimport Buffer
from array_core._layout cimport convert_shape, byte_extent, shape_size
from array_core._array cimport (
    ndarray, as_array, make_view, data_of, snapshot_layout, numpy_base_for_views,
    check_new_shape, offset_in,
)

import numpy as np

from array_core._registry import implements

cdef inline object with_input_base(object result, ndarray arr, object a):
    # See _view_functions.with_input_base.
    if arr is a:
        return result
    return numpy_base_for_views(result, arr)


cdef str nditer_shape(int nd, const Py_ssize_t* shape):
    """A shape as NumPy's iterator prints it: ``(2,3)``, ``(3,)``, ``()``."""
    if nd == 1:
        return f"({shape[0]},)"
    return "(" + ",".join([str(shape[i]) for i in range(nd)]) + ")"


cdef ndarray broadcast_view(ndarray arr, int nd, const Py_ssize_t* shape):
    """``arr`` broadcast to ``shape`` (NumPy's ``nditer`` view): an axis
    that is new or has length 1 in ``arr`` gets stride 0."""
    cdef Py_ssize_t in_shape[MAX_NDIM]
    cdef Py_ssize_t in_strides[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int in_nd = snapshot_layout(arr, in_shape, in_strides), i, k
    cdef Py_ssize_t size
    if in_nd > nd:
        raise ValueError("input operand has more dimensions than allowed by "
                         "the axis remapping")
    for i in range(nd):
        k = i - (nd - in_nd)
        if k < 0 or in_shape[k] == 1:
            strides[i] = 0
        elif in_shape[k] == shape[i]:
            strides[i] = in_strides[k]
        else:
            raise ValueError(
                f"operands could not be broadcast together with remapped "
                f"shapes [original->remapped]: {nditer_shape(in_nd, in_shape)}  "
                f"and requested shape {nditer_shape(nd, shape)}")
    # NumPy's iterator refuses an element count past intp; the view then
    # refuses a byte size past it.
    size = 1
    for i in range(nd):
        if mul_overflows(size, shape[i], &size):
            raise ValueError("iterator is too large")
    check_new_shape(nd, shape, arr.itemsize_)
    return make_view(arr, data_of(arr), nd, shape, strides)


cdef ndarray broadcast_to_impl(ndarray arr, object shape, bint readonly):
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef int nd
    cdef ndarray v
    shape = tuple(shape) if np.iterable(shape) else (shape,)
    if not shape and arr.nd:
        raise ValueError("cannot broadcast a non-scalar to a scalar array")
    if any(size < 0 for size in shape):
        raise ValueError("all elements of broadcast shape must be non-negative")
    nd = convert_shape(shape, dims)
    v = broadcast_view(arr, nd, dims)
    if readonly:
        v.flags_ &= ~FLAG_WRITEABLE
    elif v.flags_ & FLAG_WRITEABLE:
        # NumPy 2.x: writeable for now, with a DeprecationWarning on the
        # first write.
        v.flags_ |= FLAG_WARN_ON_WRITE
    return v


@implements(np.broadcast_to)
def broadcast_to(array, shape, subok=False):
    """Return a read-only view of an array broadcast to a shape.

    Nothing is copied: an axis that is new, or has length 1 in ``array``,
    gets stride 0, so the view repeats elements of the input's memory.  The
    view is read-only, as in NumPy 2.x, and its ``base`` is the input.

    Parameters
    ----------
    array : array_like
        The array to broadcast.
    shape : int or sequence of int
        The shape to broadcast to; ``array``'s shape must broadcast to it
        (same or length-1 lengths, aligned from the right).
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).

    Returns
    -------
    ndarray
        A read-only view of ``array``'s memory, of ``shape``.

    Raises
    ------
    ValueError
        If ``array``'s shape does not broadcast to ``shape``, or if a
        length in ``shape`` is negative.
    TypeError
        If ``shape`` holds something other than integers.

    See Also
    --------
    broadcast_arrays, broadcast_shapes, tile : Repeat by copying.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> y = array_core.broadcast_to(x, (2, 3))
    >>> y
    array([[0, 1, 2],
           [0, 1, 2]])
    >>> y.strides, y.base is x, y.flags.writeable
    ((0, 8), True, False)
    >>> y[0, 0] = 5
    Traceback (most recent call last):
        ...
    ValueError: assignment destination is read-only
    """
    cdef ndarray arr = as_array(array)
    return with_input_base(broadcast_to_impl(arr, shape, True), arr, array)


cdef tuple broadcast_shape(list arrays):
    """The shape ``arrays`` broadcast to (NumPy's ``PyArray_Broadcast``,
    its message naming the first two arguments that disagree)."""
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef int source[MAX_NDIM]
    cdef int nd = 0, i, j, k
    cdef ndarray a
    cdef Py_ssize_t length
    for a in arrays:
        if a.nd > nd:
            nd = a.nd
    for i in range(nd):
        dims[i] = 1
        source[i] = 0
        for j in range(len(arrays)):
            a = arrays[j]
            k = i + a.nd - nd
            if k < 0:
                continue
            length = a.dims[k]
            if length == 1:
                continue
            if dims[i] == 1:
                dims[i] = length
                source[i] = j
            elif dims[i] != length:
                raise ValueError(
                    f"shape mismatch: objects cannot be broadcast to a single "
                    f"shape.  Mismatch is between arg {source[i]} with shape "
                    f"{arrays[source[i]].shape} and arg {j} with shape "
                    f"{a.shape}.")
    return tuple([dims[i] for i in range(nd)])


@implements(np.broadcast_arrays)
def broadcast_arrays(*args, subok=False):
    """Broadcast arrays against each other, as views.

    Nothing is copied.  An input that already has the common shape is
    returned as it is; the others become stride-0 views of their memory.
    Those views are writeable, as in NumPy 2.x, but reading their
    ``flags.writeable`` gives a FutureWarning and their first write gives a
    DeprecationWarning: a write to one element would show at every position
    that repeats it.  Set ``flags.writeable`` explicitly (or copy) first.

    Parameters
    ----------
    *args : array_like
        The arrays to broadcast.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).

    Returns
    -------
    tuple of ndarray
        One array per input, all of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together (the message names the
        first two arguments that disagree).

    See Also
    --------
    broadcast_to, broadcast_shapes

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> m = array_core.ones((2, 1))
    >>> a, b = array_core.broadcast_arrays(x, m)
    >>> a.shape, a.strides, b.strides
    ((2, 3), (0, 8), (8, 0))
    >>> a.base is x, array_core.shares_memory(a, x)
    (True, True)
    >>> full = array_core.zeros((2, 3))
    >>> array_core.broadcast_arrays(full, x)[0] is full
    True
    """
    cdef list arrays = [as_array(a) for a in args]
    cdef ndarray arr
    cdef Py_ssize_t i
    shape = broadcast_shape(arrays)
    results = []
    for i in range(len(arrays)):
        arr = arrays[i]
        if arr.shape == shape:
            results.append(arr)
        else:
            results.append(with_input_base(broadcast_to_impl(arr, shape, False),
                                           arr, args[i]))
    return tuple(results)


def strided_view(x, shape, strides, bint writeable):
    """The core of ``as_strided``: a view of ``x`` with the given shape and
    strides (``None``: ``x``'s own), refused when it would reach outside
    ``x``'s memory."""
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t steps[MAX_NDIM]
    cdef Py_ssize_t low, high, start
    cdef ndarray arr = as_array(x)
    cdef int nd, nd_strides, i
    cdef ndarray v
    cdef Buffer buf = arr.buffer
    nd = convert_shape(arr.shape if shape is None else tuple(shape), dims)
    if strides is None:
        if shape is not None and nd != arr.nd:
            raise ValueError("mismatch in length of strides and shape")
        nd_strides = arr.nd
        for i in range(arr.nd):
            steps[i] = arr.strides_[i]
    else:
        nd_strides = convert_shape(tuple(strides), steps)
    if nd_strides != nd:
        raise ValueError("mismatch in length of strides and shape")
    for i in range(nd):
        if dims[i] < 0:
            raise ValueError("negative dimensions are not allowed")
    check_new_shape(nd, dims, arr.itemsize_)
    if shape_size(nd, dims) != 0:
        byte_extent(nd, dims, steps, arr.itemsize_, &low, &high)
        start = offset_in(data_of(arr), buf)
        if start + low < 0 or start + high > buf.nbytes:
            raise ValueError(
                "as_strided: the view would reach outside the array's memory "
                "(array_core refuses views NumPy would let read or write out "
                "of bounds)")
    v = make_view(arr, data_of(arr), nd, dims, steps)
    if not writeable:
        v.flags_ &= ~FLAG_WRITEABLE
    return with_input_base(v, arr, x)
