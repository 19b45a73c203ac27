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
    """Return a new array of the given shape and dtype, without initialising it.

    The elements hold whatever the new memory held: set them before reading
    them. The array owns its memory; nothing is copied, so `copy_audit`
    records nothing.

    Parameters
    ----------
    shape : int or sequence of int
        The shape of the new array.
    dtype : data-type, optional
        The element type; float64 by default.  A subarray dtype adds its
        axes to the shape, as in NumPy.
    order : {'C', 'F'}, optional
        Lay the array out in C (row-major, the default) or Fortran
        (column-major) order.
    device : str, optional
        Only "cpu" (or None) is accepted.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A new array that owns its memory.

    Raises
    ------
    ValueError
        If a length in ``shape`` is negative, if ``order`` is not 'C' or
        'F', or if ``device`` is not "cpu" or None.
    TypeError
        If ``shape`` is not an integer or a sequence of integers, or if
        ``dtype`` is not understood or is the object dtype (which
        array_core does not hold).

    See Also
    --------
    zeros, ones, full, empty_like

    Examples
    --------
    >>> import array_core
    >>> a = array_core.empty((2, 3))
    >>> a.shape, a.dtype, a.strides
    ((2, 3), dtype('float64'), (24, 8))
    >>> array_core.empty((2, 3), dtype="i4", order="F").strides
    (4, 8)
    >>> a.base is None and a.flags.owndata
    True
    """
    if needs_creation_checks(dtype, device, like):
        check_creation_args(shape, dtype, order, device, like)
    return new_empty(shape, dtype, order)


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    """Return a new array of the given shape and dtype, filled with zeros.

    Parameters
    ----------
    shape : int or sequence of int
        The shape of the new array.
    dtype : data-type, optional
        The element type; float64 by default.
    order : {'C', 'F'}, optional
        Lay the array out in C (row-major, the default) or Fortran
        (column-major) order.
    device : str, optional
        Only "cpu" (or None) is accepted.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A new array of zeros that owns its memory (a creation, not a copy:
        `copy_audit` records nothing).

    Raises
    ------
    ValueError
        If a length in ``shape`` is negative, if ``order`` is not 'C' or
        'F', or if ``device`` is not "cpu" or None.
    TypeError
        If ``shape`` is not an integer or a sequence of integers, or if
        ``dtype`` is not understood or is the object dtype (which
        array_core does not hold).

    See Also
    --------
    empty, ones, full, zeros_like

    Examples
    --------
    >>> import array_core
    >>> array_core.zeros(3)
    array([0., 0., 0.])
    >>> array_core.zeros((2, 3), dtype="i2", order="F").strides
    (2, 4)
    """
    if needs_creation_checks(dtype, device, like):
        check_creation_args(shape, dtype, order, device, like)
    cdef ndarray a = new_empty(shape, dtype, order)
    memset(a.buffer.ptr, 0, a.buffer.nbytes)
    return a


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    """Return a new array of the given shape and dtype, filled with ones.

    Parameters
    ----------
    shape : int or sequence of int
        The shape of the new array.
    dtype : data-type, optional
        The element type; float64 by default.
    order : {'C', 'F'}, optional
        Lay the array out in C (row-major, the default) or Fortran
        (column-major) order.
    device : str, optional
        Only "cpu" (or None) is accepted.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A new array of ones that owns its memory.

    Raises
    ------
    ValueError
        If a length in ``shape`` is negative, if ``order`` is not 'C' or
        'F', or if ``device`` is not "cpu" or None.
    TypeError
        If ``shape`` is not an integer or a sequence of integers, or if
        ``dtype`` is not understood or is the object dtype (which
        array_core does not hold).

    See Also
    --------
    empty, zeros, full, ones_like

    Examples
    --------
    >>> import array_core
    >>> array_core.ones((2, 2))
    array([[1., 1.],
           [1., 1.]])
    >>> array_core.ones(2, dtype="i1")
    array([1, 1], dtype=int8)
    """
    # NumPy's ones is Python: like= first, then empty(shape, dtype, order).
    check_like(like)
    if needs_creation_checks(dtype, device, None):
        check_creation_args(shape, dtype, order, device, None)
    cdef ndarray a = new_empty(shape, dtype, order)
    np.copyto(as_numpy_for_write(a), 1, casting="unsafe")
    return a


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """Return a new array of the given shape with every element ``fill_value``.

    Parameters
    ----------
    shape : int or sequence of int
        The shape of the new array.
    fill_value : scalar or array_like
        The value to fill with; an array is broadcast to ``shape``.
    dtype : data-type, optional
        The element type; by default that of ``fill_value`` taken as an
        array (``full(2, 7)`` is int64).  The value is cast to it unsafely.
    order : {'C', 'F'}, optional
        Lay the array out in C (row-major, the default) or Fortran
        (column-major) order.
    device : str, optional
        Only "cpu" (or None) is accepted.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A new array that owns its memory.

    Raises
    ------
    ValueError
        If a length in ``shape`` is negative, if ``order`` is not 'C' or
        'F', if ``device`` is not "cpu" or None, if ``fill_value`` does not
        broadcast to ``shape``, or if it cannot be converted to ``dtype``
        (``full(2, "x", dtype=int)``).
    TypeError
        If ``shape`` is not an integer or a sequence of integers, or if
        ``dtype`` is not understood or is the object dtype.

    See Also
    --------
    empty, zeros, ones, full_like

    Examples
    --------
    >>> import array_core
    >>> array_core.full(3, 7)
    array([7, 7, 7])
    >>> array_core.full((2, 2), 0.5)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    >>> array_core.full((2, 3), [1, 2, 3], dtype="f4")
    array([[1., 2., 3.],
           [1., 2., 3.]], dtype=float32)
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
    """Return evenly spaced values in the half-open interval ``[start, stop)``.

    Called as ``arange(stop)``, ``arange(start, stop)`` or
    ``arange(start, stop, step)``, with ``dtype``, ``device`` and ``like`` as
    keywords, under NumPy's rules for positional and keyword arguments.  The
    values are computed by NumPy and the result is wrapped without a copy.

    Parameters
    ----------
    start : int or float, optional
        The first value (0 by default).
    stop : int or float
        The end of the interval, not included (except where rounding of a
        float ``step`` makes it so).
    step : int or float, optional
        The spacing between values (1 by default).
    dtype : data-type, optional
        The element type; by default inferred from the other arguments.
    device : str, optional
        Only "cpu" (or None) is accepted.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A new 1-d array that owns its memory, of
        ``ceil((stop - start) / step)`` elements.

    Raises
    ------
    TypeError
        If ``stop`` is not given (``arange()`` or ``arange(start=1)``).
    ZeroDivisionError
        If ``step`` is 0.
    ValueError
        If the result would have more elements than an array can hold.

    See Also
    --------
    zeros, full

    Examples
    --------
    >>> import array_core
    >>> array_core.arange(4)
    array([0, 1, 2, 3])
    >>> array_core.arange(1, 7, 2)
    array([1, 3, 5])
    >>> array_core.arange(0.0, 1.0, 0.25)
    array([0.  , 0.25, 0.5 , 0.75])
    >>> array_core.arange(3, dtype="f4").flags.owndata
    True
    """
    if "like" in kwargs:
        kwargs["like"] = numpy_like(kwargs["like"])
    result = np.arange(*args, **kwargs)
    if not isinstance(result, np.ndarray):
        return asarray(result)
    return from_numpy(result, None, True)


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """Convert the input to an array, copying only when it must.

    An array_core array that already has the dtype and order asked for is
    returned as it is; a NumPy array or any object exporting a buffer is
    wrapped without copying (the result's ``base`` is the input).  A copy is
    made only to change the dtype or the layout, and it is an *implicit*
    copy: `copy_audit` records it as ``asarray`` with the reason, and
    ``copy_policy("raise")`` refuses it.  Nested sequences and scalars are
    converted into a new array (a creation, not recorded).

    Parameters
    ----------
    a : array_like
        The input: an array, a buffer, a scalar, or nested sequences.
    dtype : data-type, optional
        The element type; by default that of ``a``.
    order : {'K', 'A', 'C', 'F'}, optional
        The layout asked for: 'C' or 'F' contiguous, 'A' (F if ``a`` is
        F-contiguous, else C) or 'K' (keep the layout, the default).
    device : str, optional
        Only "cpu" (or None) is accepted.
    copy : bool, optional
        True always copies (an explicit copy); False never does, and
        raises when a copy is needed; None (the default) copies only when
        needed.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        ``a`` itself, a view of its memory, or a new array.

    Raises
    ------
    ValueError
        If ``copy=False`` and a copy cannot be avoided (a conversion from a
        list, a dtype change, a layout ``order`` asks for), if ``a`` is a
        ragged nested sequence, or if ``order`` or ``device`` is not one of
        the values above.
    TypeError
        If ``dtype`` is not understood or is the object dtype.
    array_core.CopyError
        Under ``copy_policy("raise")``, if a copy is needed.

    See Also
    --------
    array : Copies by default.
    ascontiguousarray, asfortranarray, require

    Notes
    -----
    Where NumPy returns a NumPy input itself, array_core returns its
    zero-copy array of it, whose ``base`` is the input.

    Examples
    --------
    >>> import array_core
    >>> import numpy as np
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.asarray(x) is x
    True
    >>> n = np.arange(3.0)
    >>> a = array_core.asarray(n)
    >>> a.base is n, array_core.shares_memory(a, n)
    (True, True)

    A copy is made only when the dtype or the layout must change; the audit
    says why:

    >>> with array_core.copy_audit() as log:
    ...     y = array_core.asarray(x, dtype="f8")
    >>> print(log[0].operation, log[0].category, log[0].nbytes)
    asarray implicit 48
    >>> print(log[0].reason)
    the dtype changes from int64 to float64, so every element is converted
    >>> array_core.asarray(x.T, order="C", copy=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: Unable to avoid copy while creating an array as requested.
    ...
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
    """Create an array; by default always a copy.

    With the default ``copy=True`` the result is a new array even when
    ``object`` is already an array: an *explicit* copy, which `copy_audit` records as
    ``array`` and the copy policy never refuses.  ``copy=None`` behaves as
    `asarray` (copies only when needed), ``copy=False`` never copies.

    Parameters
    ----------
    object : array_like
        The input: an array, a buffer, a scalar, or nested sequences.
    dtype : data-type, optional
        The element type; by default that of the input.
    copy : bool or None, optional
        True (the default) always copies; None copies only when needed;
        False never copies and raises when a copy is needed.
    order : {'K', 'A', 'C', 'F'}, optional
        The layout of a copy: 'K' (keep the input's, the default), 'A',
        'C' or 'F'.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    ndmin : int, optional
        The least number of axes of the result: length-1 axes are
        prepended as needed (on a view of the copy).
    ndmax : int, optional
        The most axes that discovering the shape of nested sequences may
        find (NPY_MAXDIMS, 64, by default); deeper nesting is refused.  It
        does not apply to arrays (new in NumPy 2.4).
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A new array (or, with ``copy=None`` or False, possibly the input or
        a view of it).

    Raises
    ------
    ValueError
        If ``copy=False`` and a copy cannot be avoided, if the input is a
        ragged nested sequence or nested deeper than ``ndmax``, if
        ``ndmax`` is not in ``[0, 64]``, or if ``ndmin`` is larger than
        ``ndmax``.
    TypeError
        If ``dtype`` is not understood or is the object dtype.

    See Also
    --------
    asarray : Copies only when needed.
    copy

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> y = array_core.array(x)
    >>> array_core.shares_memory(x, y), y.base is None
    (False, True)
    >>> array_core.array(x, copy=None) is x
    True
    >>> array_core.array([[1, 2], [3, 4]], dtype="f4")
    array([[1., 2.],
           [3., 4.]], dtype=float32)

    ``ndmin`` prepends axes, on a view of the copy:

    >>> z = array_core.array(x, ndmin=3)
    >>> z.shape, z.strides
    ((1, 1, 3), (24, 24, 8))
    >>> with array_core.copy_audit() as log:
    ...     w = array_core.array(x)
    >>> [(r.operation, r.category) for r in log]
    [('array', 'explicit')]
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
    """Return a C-contiguous array (at least 1-d), copying only when needed.

    An array that is already C-contiguous with the dtype asked for is
    returned as it is (a 0-d array becomes a 1-d view).  Otherwise the copy
    is *implicit*: `copy_audit` records it as ``ascontiguousarray`` with the
    stride that breaks contiguity, and ``copy_policy("raise")`` refuses it.

    Parameters
    ----------
    a : array_like
        The input.
    dtype : data-type, optional
        The element type; by default that of ``a``.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        ``a``, a view of it, or a C-contiguous copy, with ``ndim >= 1``.

    Raises
    ------
    TypeError
        If ``dtype`` is not understood or is the object dtype.
    ValueError
        If ``a`` is a ragged nested sequence.
    array_core.CopyError
        Under ``copy_policy("raise")``, if a copy is needed.

    See Also
    --------
    asfortranarray, asarray, require

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.ascontiguousarray(x) is x
    True
    >>> with array_core.copy_audit() as log:
    ...     y = array_core.ascontiguousarray(x.T)
    >>> y.strides, array_core.shares_memory(x, y)
    ((16, 8), False)
    >>> print(log[0].reason)
    not C-contiguous: axis 1 has stride 24 where C order needs 8
    >>> array_core.ascontiguousarray(5).shape
    (1,)
    """
    dtype = convert_dtype(dtype)
    check_like(like)
    return convert_array(a, dtype, ORDER_C, "C", COPY_IF_NEEDED, None, 1, MAX_NDIM,
                         "ascontiguousarray")


def asfortranarray(a, dtype=None, *, like=None):
    """Return an F-contiguous array (at least 1-d), copying only when needed.

    An array that is already F-contiguous with the dtype asked for is
    returned as it is.  Otherwise the copy is *implicit*: `copy_audit`
    records it as ``asfortranarray``, and ``copy_policy("raise")`` refuses
    it.

    Parameters
    ----------
    a : array_like
        The input.
    dtype : data-type, optional
        The element type; by default that of ``a``.
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        ``a``, a view of it, or an F-contiguous copy, with ``ndim >= 1``.

    Raises
    ------
    TypeError
        If ``dtype`` is not understood or is the object dtype.
    ValueError
        If ``a`` is a ragged nested sequence.
    array_core.CopyError
        Under ``copy_policy("raise")``, if a copy is needed.

    See Also
    --------
    ascontiguousarray, asarray, require

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> f = array_core.asfortranarray(x)
    >>> f.strides, array_core.shares_memory(x, f)
    ((8, 16), False)
    >>> t = x.T  # F-contiguous already: no copy
    >>> array_core.asfortranarray(t) is t
    True
    """
    dtype = convert_dtype(dtype)
    check_like(like)
    return convert_array(a, dtype, ORDER_F, "F", COPY_IF_NEEDED, None, 1, MAX_NDIM,
                         "asfortranarray")


def frombuffer(buffer, dtype=None, count=-1, offset=0, *, like=None):
    r"""Interpret a buffer as a 1-d array, without copying it.

    The result views the buffer's memory (its ``base`` is the buffer): writes
    through it change the buffer, and it is read-only when the buffer is
    (``bytes``).  The buffer's export is held for the array's lifetime.

    Parameters
    ----------
    buffer : buffer_like
        An object exposing the buffer protocol (``bytes``, ``bytearray``,
        ``memoryview``, an array, ...).
    dtype : data-type, optional
        The element type; float64 by default.
    count : int, optional
        The number of elements to read; -1 (the default) reads to the end.
    offset : int, optional
        Where to start reading, in bytes (0 by default).
    like : object, optional
        Accepted as NumPy accepts it; array_core never dispatches on it.

    Returns
    -------
    ndarray
        A 1-d view of the buffer's memory.

    Raises
    ------
    ValueError
        If the buffer's length after ``offset`` is not a multiple of the
        item size (with ``count=-1``), if it holds fewer than ``count``
        elements, or if ``offset`` is negative or past the end.
    TypeError
        If ``buffer`` does not expose the buffer protocol.

    See Also
    --------
    asarray

    Examples
    --------
    >>> import array_core
    >>> array_core.frombuffer(b"\x01\x02\x03", dtype="u1")
    array([1, 2, 3], dtype=uint8)
    >>> data = bytearray(b"\x01\x02\x03\x04")
    >>> a = array_core.frombuffer(data, dtype="u1", count=2, offset=1)
    >>> a[0] = 9
    >>> data, a.base is data
    (bytearray(b'\x01\t\x03\x04'), True)
    >>> array_core.frombuffer(b"\x01\x02", dtype="u1").flags.writeable
    False
    """
    n = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset,
                      like=numpy_like(like))
    return from_numpy(n, buffer, False)
