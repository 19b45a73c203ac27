# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Array creation: ``empty``, ``zeros``, ``ones``, ``full``, ``arange``,
``asarray``, ``array``, ``ascontiguousarray``, ``asfortranarray`` and
``frombuffer`` (NumPy's ``numpy/_core/multiarray`` and ``numeric``
functions of those names).

Each checks its arguments in NumPy's order, with NumPy's messages, then
composes ``_array``'s primitives: ``new_empty`` (a new uninitialised owner)
and ``convert_array`` (NumPy's ``asarray`` rules: the input itself, a view,
or a copy through the copy choke point).  The ``ndarray`` constructor and
unpickling stay in ``_array``, beside the class they build.
"""
from libc.string cimport memset

from array_core._typedefs cimport MAX_NDIM, ORDER_C, ORDER_F
from array_core._layout cimport convert_shape
from array_core._array cimport (
    ndarray, COPY_IF_NEEDED, new_empty, from_numpy, convert_array,
    as_numpy_for_write, convert_dtype, parse_order, parse_copy, check_device,
    check_like, python_int_as_int, check_new_shape,
)

import numpy as np


cdef int check_creation_args(object shape, object dtype, object order,
                             object device, object like) except -1:
    """NumPy's argument checks of empty/zeros, in its order, before creation.

    Only needed when ``device`` or ``like`` is given: the ndarray
    constructor checks shape, dtype and order in this same order itself.
    """
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef int nd = convert_shape(shape, dims)
    dtype = convert_dtype(dtype)
    cdef int c_order = parse_order(order, "C")
    check_device(device)
    check_like(like)
    if c_order != ORDER_C and c_order != ORDER_F:
        raise ValueError("only 'C' or 'F' order is permitted")
    # The shape is checked before a dtype array_core refuses.
    check_new_shape(nd, dims, 1 if dtype is None else dtype.itemsize)
    return 0


cdef inline bint needs_creation_checks(object dtype, object device, object like):
    """True when NumPy's argument order must be checked before the
    constructor runs: device/like given, or a dtype it would refuse first."""
    if device is not None or like is not None:
        return True
    if dtype is None or dtype is float or dtype is int:
        return False
    try:
        return convert_dtype(dtype).hasobject
    except Exception:  # noqa -- reported in NumPy's order by the checks
        return True


def empty(shape, dtype=None, order="C", *, device=None, like=None):
    """A new uninitialised array of ``shape`` and ``dtype`` (float64 by default).

    ``device`` must be "cpu" or None; ``like`` is accepted as NumPy accepts it.

    Examples
    --------
    >>> import array_core
    >>> array_core.empty((2, 3)).strides
    (24, 8)

    A subarray dtype adds its axes to the shape, as in NumPy.
    """
    if needs_creation_checks(dtype, device, like):
        check_creation_args(shape, dtype, order, device, like)
    return new_empty(shape, dtype, order)


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    """A new array of zeros.

    Examples
    --------
    >>> import array_core
    >>> array_core.zeros(3, dtype="i2").tolist()
    [0, 0, 0]
    """
    if needs_creation_checks(dtype, device, like):
        check_creation_args(shape, dtype, order, device, like)
    cdef ndarray a = new_empty(shape, dtype, order)
    memset(a.buffer.ptr, 0, a.buffer.nbytes)
    return a


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    """A new array of ones.

    Examples
    --------
    >>> import array_core
    >>> array_core.ones((1, 2)).tolist()
    [[1.0, 1.0]]
    """
    # NumPy's ones is Python: like= first, then empty(shape, dtype, order).
    check_like(like)
    if needs_creation_checks(dtype, device, None):
        check_creation_args(shape, dtype, order, device, None)
    cdef ndarray a = new_empty(shape, dtype, order)
    np.copyto(as_numpy_for_write(a), 1, casting="unsafe")
    return a


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """A new array with every element ``fill_value``.

    Examples
    --------
    >>> import array_core
    >>> array_core.full(2, 7).tolist()
    [7, 7]
    """
    check_like(like)
    if dtype is None:
        fill_value = np.asarray(fill_value)
        dtype = fill_value.dtype
    if needs_creation_checks(dtype, device, None):
        check_creation_args(shape, dtype, order, device, None)
    cdef ndarray a = new_empty(shape, dtype, order)
    np.copyto(as_numpy_for_write(a), fill_value, casting="unsafe")
    return a


cdef object numpy_like(object like):
    """``like=`` as passed on to NumPy: array_core's own arrays mean NumPy's."""
    return None if isinstance(like, ndarray) else like


def arange(*args, **kwargs):
    """Evenly spaced values in a half-open interval (NumPy's ``arange``).

    ``arange([start,] stop[, step,], dtype=None, *, device=None, like=None)``
    with NumPy's rules for positional and keyword arguments.

    Examples
    --------
    >>> import array_core
    >>> array_core.arange(stop=3).tolist(), array_core.arange(1, 7, 2).tolist()
    ([0, 1, 2], [1, 3, 5])
    """
    if "like" in kwargs:
        kwargs["like"] = numpy_like(kwargs["like"])
    result = np.arange(*args, **kwargs)
    if not isinstance(result, np.ndarray):
        return asarray(result)
    return from_numpy(result, None, True)


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """Convert ``a`` to an array_core array, copying only when needed.

    An array_core array that already matches is returned as is; a NumPy array
    or buffer is viewed without copying; ``copy=False`` raises ValueError when
    a copy cannot be avoided.  ``device`` must be "cpu" or None; ``like`` is
    accepted as NumPy accepts it and changes nothing.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> array_core.asarray(x) is x
    True
    >>> array_core.asarray([1, 2], device="cpu").tolist()
    [1, 2]
    """
    # NumPy's argument order: dtype, order, device, copy, like.
    dtype = convert_dtype(dtype)
    cdef int c_order = parse_order(order, "K")
    check_device(device)
    cdef int copy_mode = parse_copy(copy)
    check_like(like)
    return convert_array(a, dtype, c_order, order, copy_mode, copy, 0, MAX_NDIM,
                         "asarray")


cdef object _NDMAX_UNSET = object()


def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0,
          ndmax=_NDMAX_UNSET, like=None):
    """Create an array; by default always a copy (NumPy's ``array``).

    ``ndmin`` prepends length-1 axes; ``ndmax`` (NumPy 2.4) is the most
    axes the discovery of a nested sequence or buffer may find (by default
    NPY_MAXDIMS; deeper nesting needs ``dtype=object`` in NumPy, which
    array_core does not hold); it does not apply to arrays.
    ``subok`` and ``like`` are accepted as NumPy accepts them.

    Examples
    --------
    >>> import array_core
    >>> array_core.array([1, 2, 3], ndmin=3).shape
    (1, 1, 3)
    >>> array_core.array(array_core.arange(3), ndmin=3).strides
    (24, 24, 8)
    """
    # NumPy's argument order: dtype, copy, order, subok, ndmin, ndmax, like,
    # then the ranges of ndmax and ndmin.
    dtype = convert_dtype(dtype)
    cdef int copy_mode = parse_copy(copy)
    cdef int c_order = parse_order(order, "K")
    if subok is not False:
        bool(subok)
    cdef int c_ndmin = python_int_as_int(ndmin) if ndmin is not 0 else 0
    cdef int c_ndmax = (MAX_NDIM if ndmax is _NDMAX_UNSET
                        else python_int_as_int(ndmax))
    check_like(like)
    if not 0 <= c_ndmax <= MAX_NDIM:
        raise ValueError(f"ndmax must be in the range [0, NPY_MAXDIMS "
                         f"({MAX_NDIM})] ")
    if c_ndmin > c_ndmax:
        raise ValueError(f"ndmin must be <= ndmax ({c_ndmax})")
    return convert_array(object, dtype, c_order, order, copy_mode, copy, c_ndmin,
                         c_ndmax, "array")


def ascontiguousarray(a, dtype=None, *, like=None):
    """A C-contiguous array (ndim >= 1), copying only when needed.

    Examples
    --------
    >>> import array_core
    >>> array_core.ascontiguousarray(5).strides
    (8,)
    """
    dtype = convert_dtype(dtype)
    check_like(like)
    return convert_array(a, dtype, ORDER_C, "C", COPY_IF_NEEDED, None, 1, MAX_NDIM,
                         "ascontiguousarray")


def asfortranarray(a, dtype=None, *, like=None):
    """An F-contiguous array (ndim >= 1), copying only when needed.

    Examples
    --------
    >>> import array_core
    >>> array_core.asfortranarray(array_core.ones((2, 3))).strides
    (8, 16)
    """
    dtype = convert_dtype(dtype)
    check_like(like)
    return convert_array(a, dtype, ORDER_F, "F", COPY_IF_NEEDED, None, 1, MAX_NDIM,
                         "asfortranarray")


def frombuffer(buffer, dtype=None, count=-1, offset=0, *, like=None):
    """A 1-d array viewing ``buffer``'s memory (read-only if it is).

    NumPy checks the arguments and the buffer, with its messages.

    Examples
    --------
    >>> import array_core
    >>> array_core.frombuffer(b"\\x01\\x02", dtype="u1").tolist()
    [1, 2]
    """
    n = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset,
                      like=numpy_like(like))
    return from_numpy(n, buffer, False)
