# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Arrays shaped like others: ``empty_like`` and friends, ``require``, and
``ndarray.tobytes`` (an array's elements as bytes in a given order).

NumPy's ``PyArray_NewLikeArrayWithShape`` (``*_like``: a new array, so no
copy is recorded) and ``numpy/_core/_asarray.py`` (``require``: a copy only
where the input does not meet the requirements, hence an implicit copy that
the copy policy sees).
"""
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING
from libc.string cimport memset

from array_core._typedefs cimport (
    MAX_NDIM, FLAG_C_CONTIGUOUS, FLAG_F_CONTIGUOUS, FLAG_OWNDATA,
    FLAG_WRITEABLE, FLAG_ALIGNED, ORDER_C, ORDER_F, ORDER_A, ORDER_K,
)
from array_core._array cimport (
    ndarray, copy_array, new_array, allocate_array_buffer, resolve_dtype,
    convert_dtype, parse_order, data_of, snapshot_layout, as_numpy_for_write,
    as_numpy, is_fortran_only, begin_read, end_read, sorted_stride_perm,
    cast_copy_order, COPY_IMPLICIT,
)
from array_core._buffer cimport Buffer
from array_core._copy cimport copy_strided
from array_core._layout cimport shape_size, fill_contiguous_strides, convert_shape

import numpy as np

from array_core._joining cimport as_source
from array_core._array import _install_methods
from array_core._registry import implements

cdef Py_ssize_t NOGIL_BYTES = 1 << 16


cdef ndarray new_like(object prototype, object dtype, object order,
                      object shape, object device):
    """An uninitialised array like ``prototype`` (NumPy's argument order)."""
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int perm[MAX_NDIM]
    cdef ndarray proto = as_source(prototype)
    cdef int nd, c_order, i
    cdef Py_ssize_t step, nbytes
    cdef Buffer buf
    dtype = convert_dtype(dtype)
    c_order = parse_order(order, "K")
    if shape is not None:
        nd = convert_shape(shape, dims)
    else:
        nd = proto.nd
        for i in range(nd):
            dims[i] = proto.dims[i]
    if device is not None and not (type(device) is str and device == "cpu"):
        raise ValueError(f'Device not understood. Only "cpu" is allowed, '
                         f'but received: {device}')
    dtype = resolve_dtype(proto.dtype_ if dtype is None else dtype)
    if c_order == ORDER_A:
        c_order = ORDER_F if is_fortran_only(proto) else ORDER_C
    elif c_order == ORDER_K:
        if nd != proto.nd or nd <= 1 or proto.flags_ & FLAG_C_CONTIGUOUS:
            c_order = ORDER_C
        elif proto.flags_ & FLAG_F_CONTIGUOUS:
            c_order = ORDER_F
    nbytes = shape_size(nd, dims) * dtype.itemsize
    if nbytes == 0:
        memset(strides, 0, nd * sizeof(Py_ssize_t))
    elif c_order == ORDER_K:
        sorted_stride_perm(nd, proto.strides_, perm)
        step = dtype.itemsize
        for i in range(nd - 1, -1, -1):
            strides[perm[i]] = step
            step *= dims[perm[i]]
    else:
        fill_contiguous_strides(nd, dims, dtype.itemsize, c_order == ORDER_F,
                                strides)
    buf = allocate_array_buffer(nd, dims, dtype, nbytes)
    return new_array(buf, buf.ptr, nd, dims, strides, dtype, None,
                     FLAG_OWNDATA | FLAG_WRITEABLE)


@implements(np.empty_like)
def empty_like(prototype, /, dtype=None, order="K", subok=True, shape=None, *,
               device=None):
    """Return a new uninitialised array with the shape, dtype and layout of another.

    The result is a new array that owns its memory and shares nothing with
    ``prototype``: a creation, not a copy, so `copy_audit` records nothing
    and the copy policy never refuses it.

    Parameters
    ----------
    prototype : array_like
        The array whose shape, dtype and layout to use (positional only).

    dtype : data-type, optional
        The element type; by default that of ``prototype``.
    order : {'K', 'A', 'C', 'F'}, optional
        The layout: 'K' (the default) follows ``prototype``'s stride order,
        'A' is F if ``prototype`` is F-contiguous and C otherwise, 'C' and
        'F' are those orders.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    shape : int or sequence of int, optional
        The result's shape instead of ``prototype``'s (with 'K', the stride
        order is kept when the number of dimensions is the same).
    device : str, optional
        Only "cpu" (or None) is accepted.

    Returns
    -------
    ndarray
        A new uninitialised array.

    Raises
    ------
    ValueError
        If ``order`` is not one of the four, if ``device`` is not "cpu" or
        None, if a length in ``shape`` is negative, or if ``prototype`` is a
        ragged nested sequence.
    TypeError
        If ``dtype`` is not understood or is the object dtype.

    See Also
    --------
    zeros_like, ones_like, full_like, empty

    Notes
    -----
    A negative length in ``shape`` is refused with the message "negative
    buffer size" (NumPy's is "negative dimensions are not allowed").

    Examples
    --------
    >>> import array_core
    >>> x = array_core.zeros((2, 3)).T
    >>> e = array_core.empty_like(x)
    >>> e.shape, e.strides  # x's F order is kept
    ((3, 2), (8, 24))
    >>> array_core.shares_memory(e, x), e.base is None
    (False, True)
    >>> array_core.empty_like(x, order="C").strides
    (16, 8)
    """
    return new_like(prototype, dtype, order, shape, device)


@implements(np.zeros_like)
def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Return a new array of zeros with the shape, dtype and layout of another.

    A creation, not a copy: `copy_audit` records nothing.

    Parameters
    ----------
    a : array_like
        The array whose shape, dtype and layout to use.

    dtype : data-type, optional
        The element type; by default that of ``a``.
    order : {'K', 'A', 'C', 'F'}, optional
        The layout: 'K' (the default) follows ``a``'s stride order,
        'A' is F if ``a`` is F-contiguous and C otherwise, 'C' and
        'F' are those orders.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    shape : int or sequence of int, optional
        The result's shape instead of ``a``'s (with 'K', the stride
        order is kept when the number of dimensions is the same).
    device : str, optional
        Only "cpu" (or None) is accepted.

    Returns
    -------
    ndarray
        A new array of zeros.

    Raises
    ------
    ValueError
        If ``order`` is not one of the four, if ``device`` is not "cpu" or
        None, if a length in ``shape`` is negative, or if ``a`` is a
        ragged nested sequence.
    TypeError
        If ``dtype`` is not understood or is the object dtype.

    See Also
    --------
    empty_like, ones_like, full_like, zeros

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.zeros_like(x)
    array([[0, 0, 0],
           [0, 0, 0]])
    >>> array_core.zeros_like(x.T).strides, array_core.zeros_like(x, dtype="f4").dtype
    ((8, 24), dtype('float32'))
    >>> with array_core.copy_audit() as log:
    ...     z = array_core.zeros_like(x)
    >>> len(log)
    0
    """
    cdef ndarray result = new_like(a, dtype, order, shape, device)
    memset(result.buffer.ptr, 0, result.buffer.nbytes)
    return result


@implements(np.ones_like)
def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Return a new array of ones with the shape, dtype and layout of another.

    A creation, not a copy: `copy_audit` records nothing.

    Parameters
    ----------
    a : array_like
        The array whose shape, dtype and layout to use.

    dtype : data-type, optional
        The element type; by default that of ``a``.
    order : {'K', 'A', 'C', 'F'}, optional
        The layout: 'K' (the default) follows ``a``'s stride order,
        'A' is F if ``a`` is F-contiguous and C otherwise, 'C' and
        'F' are those orders.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    shape : int or sequence of int, optional
        The result's shape instead of ``a``'s (with 'K', the stride
        order is kept when the number of dimensions is the same).
    device : str, optional
        Only "cpu" (or None) is accepted.

    Returns
    -------
    ndarray
        A new array of ones.

    Raises
    ------
    ValueError
        If ``order`` is not one of the four, if ``device`` is not "cpu" or
        None, if a length in ``shape`` is negative, or if ``a`` is a
        ragged nested sequence.
    TypeError
        If ``dtype`` is not understood or is the object dtype.

    See Also
    --------
    empty_like, zeros_like, full_like, ones

    Examples
    --------
    >>> import array_core
    >>> array_core.ones_like(array_core.arange(3))
    array([1, 1, 1])
    >>> array_core.ones_like(array_core.arange(3), dtype="f4")
    array([1., 1., 1.], dtype=float32)
    """
    cdef ndarray result = new_like(a, dtype, order, shape, device)
    np.copyto(as_numpy_for_write(result), 1, casting="unsafe")
    return result


@implements(np.full_like)
def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *,
              device=None):
    """Return a new array of one value with the shape, dtype and layout of another.

    A creation, not a copy: `copy_audit` records nothing.  ``fill_value`` is
    cast to the result's dtype unsafely (2.7 becomes 2 in an int array).

    Parameters
    ----------
    a : array_like
        The array whose shape, dtype and layout to use.
    fill_value : scalar or array_like
        The value, broadcast to the result's shape.

    dtype : data-type, optional
        The element type; by default that of ``a``.
    order : {'K', 'A', 'C', 'F'}, optional
        The layout: 'K' (the default) follows ``a``'s stride order,
        'A' is F if ``a`` is F-contiguous and C otherwise, 'C' and
        'F' are those orders.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    shape : int or sequence of int, optional
        The result's shape instead of ``a``'s (with 'K', the stride
        order is kept when the number of dimensions is the same).
    device : str, optional
        Only "cpu" (or None) is accepted.

    Returns
    -------
    ndarray
        A new array of ``fill_value``.

    Raises
    ------
    ValueError
        If ``order`` is not one of the four, if ``device`` is not "cpu" or
        None, if a length in ``shape`` is negative, if ``a`` is a ragged
        nested sequence, or if ``fill_value`` does not broadcast to the
        result's shape or cannot be converted to its dtype.
    TypeError
        If ``dtype`` is not understood or is the object dtype.

    See Also
    --------
    empty_like, zeros_like, ones_like, full

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> array_core.full_like(x, 2.7)
    array([2, 2, 2])
    >>> array_core.full_like(x, 2.7, dtype="f8")
    array([2.7, 2.7, 2.7])
    >>> array_core.full_like(array_core.zeros((2, 3)), [1, 2, 3])
    array([[1., 2., 3.],
           [1., 2., 3.]])
    """
    cdef ndarray result = new_like(a, dtype, order, shape, device)
    if isinstance(fill_value, ndarray):
        fill_value = as_numpy(<ndarray>fill_value)
    np.copyto(as_numpy_for_write(result), fill_value, casting="unsafe")
    return result


_REQUIREMENTS = {
    "C": "C", "C_CONTIGUOUS": "C", "CONTIGUOUS": "C",
    "F": "F", "F_CONTIGUOUS": "F", "FORTRAN": "F",
    "A": "A", "ALIGNED": "A",
    "W": "W", "WRITEABLE": "W",
    "O": "O", "OWNDATA": "O",
    "E": "E", "ENSUREARRAY": "E",
}

cdef dict _FLAG_OF = {"C": FLAG_C_CONTIGUOUS, "F": FLAG_F_CONTIGUOUS,
                      "A": FLAG_ALIGNED, "W": FLAG_WRITEABLE, "O": FLAG_OWNDATA}
cdef dict _UNMET = {
    "C": "not C-contiguous, as requirements asked",
    "F": "not F-contiguous, as requirements asked",
    "A": "not aligned, as requirements asked",
    "W": "not writeable, as requirements asked",
    "O": "does not own its data, as requirements asked",
}


@implements(np.require)
def require(a, dtype=None, requirements=None, *, like=None):
    """Return an array of a dtype and flags asked for, copying only when it must.

    An array that already meets them is returned as it is.  Otherwise a copy
    is made, and it is *implicit*: `copy_audit` records it as ``require``
    with the requirement that was not met, and ``copy_policy("raise")``
    refuses it.

    Parameters
    ----------
    a : array_like
        The input.
    dtype : data-type, optional
        The element type; by default that of ``a``.
    requirements : str or sequence of str, optional
        Flags the result must have, each by its name or first letter (any
        case): 'C_CONTIGUOUS' ('C', 'CONTIGUOUS'), 'F_CONTIGUOUS' ('F',
        'FORTRAN'), 'ALIGNED' ('A'), 'WRITEABLE' ('W'), 'OWNDATA' ('O') and
        'ENSUREARRAY' ('E', always met).
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        ``a`` itself, a view of it, or a copy meeting the requirements.

    Raises
    ------
    ValueError
        If both C and F contiguity are required.
    KeyError
        If a requirement is not one of the names above.
    TypeError
        If ``dtype`` is not understood or is the object dtype.
    array_core.CopyError
        Under ``copy_policy("raise")``, if a copy is needed.

    See Also
    --------
    asarray, ascontiguousarray, asfortranarray

    Examples
    --------
    >>> import array_core
    >>> x = array_core.zeros((2, 3)).T  # F-contiguous
    >>> array_core.require(x, requirements="F") is x
    True
    >>> with array_core.copy_audit() as log:
    ...     c = array_core.require(x, requirements=["C", "W"])
    >>> c.flags.c_contiguous, array_core.shares_memory(c, x)
    (True, False)
    >>> print(log[0].category, log[0].reason)
    implicit not C-contiguous, as requirements asked
    >>> b = array_core.broadcast_to(array_core.arange(3), (2, 3))  # read-only
    >>> array_core.require(b, requirements="W").flags.writeable
    True
    """
    cdef ndarray arr
    cdef int c_order = ORDER_A
    if requirements is None:
        return converted(as_source(a), convert_dtype(dtype), ORDER_K)
    wanted = {_REQUIREMENTS[x.upper()] for x in requirements}
    wanted.discard("E")
    if "C" in wanted and "F" in wanted:
        raise ValueError('Cannot specify both "C" and "F" order')
    if "C" in wanted:
        c_order = ORDER_C
        wanted.discard("C")
    elif "F" in wanted:
        c_order = ORDER_F
        wanted.discard("F")
    arr = converted(as_source(a), convert_dtype(dtype), c_order)
    for flag in wanted:
        if not arr.flags_ & <int>_FLAG_OF[flag]:
            return copy_array(arr, c_order, None, "require", COPY_IMPLICIT,
                              _UNMET[flag])
    return arr


cdef ndarray converted(ndarray a, object dtype, int c_order):
    """``array(a, dtype, order, copy=None)``, the copy recorded as ``require``."""
    if dtype is not None and dtype is not a.dtype_:
        if dtype == a.dtype_:
            a = a.view(dtype)
        else:
            resolve_dtype(dtype)
            return copy_array(a, cast_copy_order(a, c_order), dtype, "require",
                              COPY_IMPLICIT,
                              "the dtype differs from the one asked for")
    if c_order == ORDER_C and not a.flags_ & FLAG_C_CONTIGUOUS:
        return copy_array(a, ORDER_C, None, "require", COPY_IMPLICIT,
                          _UNMET["C"])
    if c_order == ORDER_F and not a.flags_ & FLAG_F_CONTIGUOUS:
        return copy_array(a, ORDER_F, None, "require", COPY_IMPLICIT,
                          _UNMET["F"])
    return a


def array_bytes(ndarray a, order="C"):
    """``a.tobytes(order)``: the elements' bytes, read in ``order``."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t perm_shape[MAX_NDIM]
    cdef Py_ssize_t perm_strides[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef int c_order = parse_order(order, "C")
    cdef int nd = snapshot_layout(a, shape, strides), i, status
    cdef int perm[MAX_NDIM]
    cdef Py_ssize_t nbytes = shape_size(nd, shape) * a.itemsize_
    cdef Buffer read
    cdef char* dst
    cdef char* src
    if c_order == ORDER_A:
        c_order = ORDER_F if is_fortran_only(a) else ORDER_C
    elif c_order == ORDER_K:
        c_order = ORDER_C  # NumPy's tobytes reads 'K' as C
    for i in range(nd):
        perm[i] = nd - 1 - i if c_order == ORDER_F else i
    for i in range(nd):
        perm_shape[i] = shape[perm[i]]
        perm_strides[i] = strides[perm[i]]
    fill_contiguous_strides(nd, perm_shape, a.itemsize_, False, dst_strides)
    result = PyBytes_FromStringAndSize(NULL, nbytes)
    if nbytes == 0:
        return result
    dst = PyBytes_AS_STRING(result)
    read = begin_read(a.buffer)
    try:
        src = data_of(a)
        if nbytes < NOGIL_BYTES:
            status = copy_strided(dst, dst_strides, src, perm_strides, nd,
                                  perm_shape, a.itemsize_)
        else:
            with nogil:
                status = copy_strided(dst, dst_strides, src, perm_strides, nd,
                                      perm_shape, a.itemsize_)
    finally:
        end_read(read)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return result


_install_methods(tobytes=array_bytes)
