# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Selecting and placing elements: take, put, compress, where, nonzero, ...

NumPy's ``item_selection.c`` and ``numpy/_core/fromnumeric.py``.  Results
that hold elements of an input (``take``, ``compress``, ``extract``,
3-argument ``where``) are new arrays made at the copy choke point (explicit
copies: these functions always make a new array) and filled by NumPy's
selection loops writing into them.  NumPy reads the inputs through read-only
views, so a lazy copy is never materialised by reading it; the in-place
functions (``put``, ``place``, ``putmask``, ``copyto``) write through a
writable view, which materialises a lazy copy once.  Index results
(``nonzero``, ``argwhere``, ``flatnonzero``) are computed by NumPy and
adopted as they are (no element of the input is copied).
"""
from libc.stdint cimport uintptr_t
from libc.string cimport memcpy

from array_core._prefetch cimport AC_PREFETCH, PREFETCH_SPAN, item_address
from array_core._typedefs cimport (
    MAX_NDIM, FLAG_C_CONTIGUOUS, FLAG_WRITEABLE, ORDER_C, mul_overflows,
)
from array_core._array cimport (
    ndarray, allocate_copy, copy_elements, make_view, from_numpy,
    normalize_axis, axis_as_int, parse_casting, data_of, snapshot_layout,
    begin_write, end_write, begin_read, end_read, as_numpy, as_numpy_for_write,
    copies_heard, COPY_EXPLICIT,
)
from array_core._buffer cimport Buffer
from array_core._copy cimport copy_strided
from array_core._layout cimport contiguity_flags, shape_size

import operator

import numpy as np

from array_core._joining cimport as_source
from array_core._array import _install_methods
from array_core._registry import implements

cdef Py_ssize_t NOGIL_BYTES = 1 << 16
cdef object _empty = np.empty
cdef object _np_ndarray = np.ndarray
cdef object _intp = np.dtype(np.intp)
cdef object _np_ndarray_new = np.ndarray
cdef object _bool = np.dtype(np.bool_)
cdef bytes _ONE_BYTE = b"\0"


cdef object stand_in_of(tuple shape):
    """A read-only bool array of ``shape`` on one byte (all strides 0): what
    NumPy's own checks of an index or count argument are run on."""
    return _np_ndarray_new(shape, _bool, _ONE_BYTE, 0, (0,) * len(shape))


cdef inline object numpy_arg(object x):
    """An array_core array as a read-only NumPy view; anything else as is."""
    return as_numpy(<ndarray>x) if isinstance(x, ndarray) else x


cdef object adopt(object x):
    """A NumPy result made fresh (an owner, or a view of one) as array_core:
    the owner is wrapped without copying and the view kept as a view of it."""
    if type(x) is not _np_ndarray:
        return x
    owner = x
    while owner.base is not None:
        owner = owner.base
    return view_like(from_numpy(owner, None, True), owner, x)


cdef ndarray view_like(ndarray wrapped, object owner, object x):
    """``x`` (a view of the NumPy array ``owner``) as a view of ``wrapped``."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t delta
    cdef int i
    if x is owner:
        return wrapped
    delta = (x.__array_interface__["data"][0]
             - owner.__array_interface__["data"][0])
    for i in range(x.ndim):
        shape[i] = x.shape[i]
        strides[i] = x.strides[i]
    return make_view(wrapped, <char*><uintptr_t>(<uintptr_t>data_of(wrapped) + delta),
                     x.ndim, shape, strides)


cdef object writable_target(object a, str message):
    """``a`` as the NumPy array an in-place function writes through."""
    if isinstance(a, ndarray):
        return as_numpy_for_write(<ndarray>a)
    if isinstance(a, _np_ndarray):
        return a
    raise TypeError(message.format(type(a)))


# ------------------------------------------------------------ take

cdef bint means_raise(object mode) except -1:
    """Whether ``mode`` (already accepted by NumPy) is NumPy's RAISE."""
    if isinstance(mode, str):
        return mode == "raise"
    return operator.index(mode) == 2


cdef int check_bounds(object indices, int ax, tuple stand_shape) except -1:
    """NumPy's checks of a take's indices (C-contiguous intp) along an axis
    of ``stand_shape[ax]`` items, the other stand-in axes 0 or 1 (empty or
    not): the first index out of bounds, in order, is the error."""
    cdef Py_ssize_t length = stand_shape[ax], count = indices.size, i, v
    cdef Py_ssize_t first = -1
    cdef const Py_ssize_t[::1] values
    outer_empty = 0 in stand_shape[:ax]
    inner_empty = 0 in stand_shape[ax + 1:]
    if length == 0 and count and not outer_empty and not inner_empty:
        raise IndexError("cannot do a non-empty take from an empty axes.")
    if outer_empty or count == 0:
        return 0
    values = indices.reshape(-1)
    with nogil:
        for i in range(count):
            v = values[i]
            if v < -length or v >= length:
                first = i
                break
    if first >= 0:
        raise IndexError(f"index {values[first]} is out of bounds for axis {ax} "
                         f"with size {length}")
    return 0


cdef enum:
    # Rows asked for ahead: 32 measured fastest for 16-byte rows of a 64 MB
    # array (8: no gain; 64, 128: less).
    PREFETCH_DISTANCE = 32
    NATIVE_TAKE_BYTES = 1 << 16


cdef Py_ssize_t gather_rows(char* dst, const char* src, Py_ssize_t outer,
                            Py_ssize_t length, Py_ssize_t chunk,
                            const Py_ssize_t* idx, Py_ssize_t count) noexcept nogil:
    """``take`` of C-ordered memory: for each of ``outer`` blocks of
    ``length`` chunks of ``chunk`` bytes, the chunks at ``idx`` in turn.

    The indices are checked again as they are read (another thread may
    write them meanwhile): returns the position of one out of bounds, else -1.
    """
    cdef Py_ssize_t o, i, v
    cdef const char* block
    for o in range(outer):
        block = src + o * length * chunk
        for i in range(count):
            if i + PREFETCH_DISTANCE < count:
                # Random rows miss every cache: ask now for the row needed
                # PREFETCH_DISTANCE steps later (NumPy's take does not).
                AC_PREFETCH(item_address(block, idx[i + PREFETCH_DISTANCE], chunk))
            v = idx[i]
            if v < 0:
                v += length
            if v < 0 or v >= length:
                return i
            # Fixed sizes compile to single moves (a call to memcpy per row
            # made small rows up to 2.8x slower than NumPy's take).
            if chunk == 8:
                memcpy(dst, block + v * 8, 8)
            elif chunk == 16:
                memcpy(dst, block + v * 16, 16)
            elif chunk == 4:
                memcpy(dst, block + v * 4, 4)
            elif chunk == 32:
                memcpy(dst, block + v * 32, 32)
            elif chunk == 1:
                dst[0] = block[v]
            elif chunk == 2:
                memcpy(dst, block + v * 2, 2)
            else:
                memcpy(dst, block + v * chunk, chunk)
            dst += chunk
    return -1


cdef bint take_natively(ndarray a, ndarray result, object indices, int ax,
                        bint flat) except -1:
    """The take of C-contiguous ``a`` by checked native intp ``indices``,
    into ``result``: False (nothing done) when ``a``'s layout is another, or
    changed (another thread) since ``result`` was made for it."""
    cdef const Py_ssize_t[::1] values = indices.reshape(-1)
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd = snapshot_layout(a, shape, strides)
    cdef Py_ssize_t outer, length, chunk, count, bad
    cdef Buffer read
    cdef const char* src
    cdef char* dst = data_of(result)
    if not (contiguity_flags(nd, shape, strides, a.itemsize_) & FLAG_C_CONTIGUOUS):
        return False
    count = values.shape[0]
    row_geometry(nd, shape, a.itemsize_, ax, flat, &outer, &length, &chunk)
    if outer * count * chunk != shape_size(result.nd, result.dims) * result.itemsize_:
        return False  # ``a`` was reshaped meanwhile: the result does not fit
    if length * chunk <= PREFETCH_SPAN:
        return False  # rows in the caches: NumPy's loop is as fast or faster
    read = begin_read(a.buffer)
    src = data_of(a)
    try:
        with nogil:
            bad = gather_rows(dst, src, outer, length, chunk, &values[0], count)
    finally:
        end_read(read)
    if bad >= 0:
        raise IndexError(f"index {values[bad]} is out of bounds for axis "
                         f"{0 if flat else ax} with size {length}")
    return True


cdef void row_geometry(int nd, const Py_ssize_t* shape, Py_ssize_t itemsize,
                       int ax, bint flat, Py_ssize_t* outer, Py_ssize_t* length,
                       Py_ssize_t* chunk) noexcept:
    """A take along ``ax`` (or of the ravel) of C-ordered memory: ``outer``
    blocks of ``length`` chunks of ``chunk`` bytes."""
    if flat:
        outer[0], length[0], chunk[0] = 1, shape_size(nd, shape), itemsize
    else:
        outer[0] = shape_size(ax, shape)
        length[0] = shape[ax]
        chunk[0] = shape_size(nd - ax - 1, shape + ax + 1) * itemsize


cdef bint takes_natively(ndarray a, Py_ssize_t count, int ax, bint flat) noexcept:
    """Whether ``take_natively`` will take ``count`` indices from ``a`` as it
    is now (C-contiguous, beyond the caches, plain bytes, a large result)."""
    cdef Py_ssize_t chunk, length, outer, nbytes
    if a.dtype_.hasobject or not (contiguity_flags(a.nd, a.dims, a.strides_,
                                                   a.itemsize_) & FLAG_C_CONTIGUOUS):
        return False
    # (A C-contiguous array's bytes fit in an intp: so do length * chunk.)
    row_geometry(a.nd, a.dims, a.itemsize_, ax, flat, &outer, &length, &chunk)
    if length == 0 or length * chunk <= PREFETCH_SPAN:
        return False
    if mul_overflows(outer, chunk, &nbytes) or mul_overflows(nbytes, count, &nbytes):
        return False  # (no such result can be made)
    return nbytes >= NATIVE_TAKE_BYTES


cdef object selection(ndarray a, object indices, object axis, object mode,
                      str operation):
    """``take(a, indices, axis, mode=mode)`` into a new array (the choke point).

    NumPy checks everything first on a stand-in for ``a`` whose only
    non-unit axis is the one taken along (its messages, its order of
    checks); the real take then runs with the indices known to be in
    bounds, into the new array.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef int nd, ax = 0, i, k, index_nd
    cdef ndarray result
    if a.nd == 0 and axis is not None:
        a = a.reshape(1)  # NumPy takes from a 0-d array as from its ravel
    nd = a.nd
    if axis is None:
        stand_shape = (shape_size(a.nd, a.dims),)
    else:
        ax = normalize_axis(axis_as_int(axis, "an integer is required for the axis"),
                            nd, None)
        # Empty outer or inner axes stay empty: NumPy checks no index then,
        # or refuses a take from an empty axis only for a non-empty result.
        stand_shape = ((0 if shape_size(ax, a.dims) == 0 else 1,) * ax
                       + (a.dims[ax],)
                       + (0 if shape_size(nd - ax - 1, a.dims + ax + 1) == 0
                          else 1,) * (nd - ax - 1))
    native = (type(indices) is _np_ndarray and indices.dtype is _intp
              and indices.ndim and indices.flags.c_contiguous
              and type(mode) is str and mode == "raise")
    # A large native take checks its indices as it gathers them (a pass
    # of their own was 8% of 1M random rows' time), unless a copy hook would
    # hear of a copy that an IndexError stops.
    checked_in_gather = (native and not copies_heard()
                         and takes_natively(a, indices.size, ax, axis is None))
    if native:
        # Native intp indices: checked here, in NumPy's order and words.
        if not checked_in_gather:
            check_bounds(indices, ax, stand_shape)
        index_shape = indices.shape
    else:
        stand_in = stand_in_of(stand_shape).take(indices, axis, None, mode)
        if type(stand_in) is not _np_ndarray:
            # A 0-d result: NumPy gives a scalar.
            return as_numpy(a).take(indices, axis, None, mode)
        index_shape = stand_in.shape if axis is None else stand_in.shape[
            ax:stand_in.ndim - (nd - ax - 1)]
    if axis is None:
        k = len(index_shape)
        for i in range(k):
            shape[i] = index_shape[i]
    else:
        index_nd = len(index_shape)
        k = 0
        for i in range(ax):
            shape[k] = a.dims[i]
            k += 1
        for i in range(index_nd):
            shape[k] = index_shape[i]
            k += 1
        for i in range(ax + 1, nd):
            shape[k] = a.dims[i]
            k += 1
    result = allocate_copy(a, k, shape, ORDER_C, a.dtype_, operation,
                           COPY_EXPLICIT, _REASONS[operation])
    # Large takes of plain bytes (no object references to count) are
    # gathered here, with prefetching; below NATIVE_TAKE_BYTES NumPy's loop
    # is as fast.
    if (native and shape_size(k, shape) * a.itemsize_ >= NATIVE_TAKE_BYTES
            and not a.dtype_.hasobject
            and take_natively(a, result, indices, ax, axis is None)):
        return result
    if checked_in_gather:
        check_bounds(indices, ax, stand_shape)  # ``a`` changed: NumPy's take
    # In bounds now: 'wrap' leaves the indices as they are and lets NumPy
    # write straight into the result ('raise' would stage it).
    as_numpy(a).take(indices, axis, as_numpy_for_write(result),
                     "wrap" if means_raise(mode) else mode)
    return result


cdef dict _REASONS = {
    name: f"{name} always makes a new array"
    for name in ("take", "compress", "extract", "where")}


@implements(np.take)
def take(a, indices, axis=None, out=None, mode="raise"):
    """Take elements of an array at the given indices, along an axis.

    ``take(a, indices, axis=1)`` is ``a[:, indices]`` with the indices as an
    array: the result is always a new array (an *explicit* copy, which
    `copy_audit` records as ``take`` and the copy policy never refuses),
    never a view of ``a``.

    Parameters
    ----------
    a : array_like
        The source array.
    indices : array_like of int
        The indices of the elements (or, along ``axis``, the slices) to
        take; negative indices count from the end.
    axis : int, optional
        The axis to take along; by default ``a`` is flattened (C order).
    out : ndarray, optional
        An array of the result's shape and a dtype the result can be cast
        to safely, written into instead of a new array.
    mode : {'raise', 'wrap', 'clip'}, optional
        What an out-of-bounds index does: raise an IndexError (the
        default), wrap around, or clip to the first or last element.

    Returns
    -------
    ndarray
        A new array of shape ``a.shape[:axis] + indices.shape +
        a.shape[axis + 1:]`` (``out`` when given; a NumPy scalar when
        ``indices`` is a scalar and ``axis`` is None).

    Raises
    ------
    IndexError
        If an index is out of bounds with ``mode='raise'``, or if a
        non-empty take is asked from an empty axis.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds.
    ValueError
        If ``mode`` is not one of the three, or if ``out`` has the wrong
        shape.
    TypeError
        If the result cannot be cast safely to ``out``'s dtype.

    See Also
    --------
    put : The inverse: write at indices.
    compress, extract, ndarray.take

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.take(x, [0, 5])
    array([0, 5])
    >>> t = array_core.take(x, [0, 2], axis=1)
    >>> t
    array([[0, 2],
           [3, 5]])
    >>> array_core.shares_memory(t, x)
    False
    >>> array_core.take(x, [4, 7], mode="wrap")
    array([4, 1])
    >>> with array_core.copy_audit() as log:
    ...     t = array_core.take(x, [1], axis=0)
    >>> [(r.operation, r.category, r.nbytes) for r in log]
    [('take', 'explicit', 24)]
    """
    cdef ndarray src = as_source(a)
    if out is not None:
        as_numpy(src).take(numpy_arg(indices), axis,
                           writable_target(out, "'out' must be an array"), mode)
        return out
    return selection(src, numpy_arg(indices), axis, mode, "take")


@implements(np.compress)
def compress(condition, a, axis=None, out=None):
    """Return the slices of an array along an axis where a condition is true.

    ``compress(condition, a, axis)`` is `take` at the indices where the 1-d
    ``condition`` is true: a new array (an *explicit* copy, recorded by
    `copy_audit` as ``compress``).  A ``condition`` shorter than the axis
    selects among its first elements only.

    Parameters
    ----------
    condition : 1-d array_like of bool
        Which slices to keep.
    a : array_like
        The source array.
    axis : int, optional
        The axis to select along; by default ``a`` is flattened.
    out : ndarray, optional
        An array of the result's shape to write into instead.

    Returns
    -------
    ndarray
        A new array (``out`` when given).

    Raises
    ------
    ValueError
        If ``condition`` is not 1-d.
    IndexError
        If ``condition`` is true at a position past the end of the axis.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds.

    See Also
    --------
    extract : The same on a flattened array, for a condition of any shape.
    take, where

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.compress([False, True], x, axis=0)
    array([[3, 4, 5]])
    >>> array_core.compress([True, False, True], x, axis=1)
    array([[0, 2],
           [3, 5]])
    >>> array_core.compress([True, False, True], x)
    array([0, 2])
    """
    cdef ndarray src = as_source(a)
    cond = np.asarray(numpy_arg(condition))
    if cond.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    indices = cond.nonzero()[0]
    if out is not None:
        as_numpy(src).take(indices, axis,
                           writable_target(out, "'out' must be an array"), "raise")
        return out
    return selection(src, indices, axis, "raise", "compress")


@implements(np.extract)
def extract(condition, arr):
    """Return the elements of an array where a condition is true, as a 1-d array.

    Both are flattened in C order; ``extract(c, arr)`` equals
    ``arr.ravel()[c.ravel() != 0]``.  The result is a new array (an
    *explicit* copy, recorded by `copy_audit` as ``extract``).

    Parameters
    ----------
    condition : array_like
        Which elements to keep (non-zero or True); of ``arr``'s size, or
        shorter (then only the first elements are considered).
    arr : array_like
        The source array.

    Returns
    -------
    ndarray
        A new 1-d array.

    Raises
    ------
    IndexError
        If ``condition`` is true at a position past the end of ``arr``.

    See Also
    --------
    compress, place : The inverse: write where a condition is true.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.extract(x % 2 == 0, x)
    array([0, 2, 4])
    >>> with array_core.copy_audit() as log:
    ...     e = array_core.extract(x > 3, x)
    >>> [(r.operation, r.category, r.nbytes) for r in log]
    [('extract', 'explicit', 16)]
    """
    cdef ndarray src = as_source(arr)
    indices = np.ravel(numpy_arg(condition)).nonzero()[0]
    return selection(src, indices, None, "raise", "extract")


# ------------------------------------------------------------ indices

@implements(np.nonzero)
def nonzero(a):
    """Return the indices of the non-zero elements, one array per axis.

    ``a[nonzero(a)]`` gives the non-zero elements.  As in NumPy, the arrays
    are views of one array of shape ``(N, a.ndim)`` that NumPy computed;
    array_core wraps it without copying, so `copy_audit` records nothing.

    Parameters
    ----------
    a : array_like
        The input array (at least 1-d).

    Returns
    -------
    tuple of ndarray
        One array of int64 indices per axis of ``a``, in C order of the
        elements.

    Raises
    ------
    ValueError
        If ``a`` is 0-d.

    See Also
    --------
    flatnonzero, argwhere, where, ndarray.nonzero

    Examples
    --------
    >>> import array_core
    >>> a = array_core.asarray([[0, 1], [2, 0]])
    >>> rows, cols = array_core.nonzero(a)
    >>> rows, cols
    (array([0, 1]), array([1, 0]))
    >>> a[rows, cols]
    array([1, 2])
    >>> rows.base is cols.base
    True
    """
    cdef ndarray src = as_source(a)
    result = np.nonzero(as_numpy(src))
    if not result:
        return ()
    owner = result[0]
    while owner.base is not None:
        owner = owner.base
    wrapped = from_numpy(owner, None, True)
    views = []
    for r in result:
        views.append(view_like(wrapped, owner, r))
    return tuple(views)


@implements(np.argwhere)
def argwhere(a):
    """Return the indices of the non-zero elements, one row per element.

    The transpose of ``nonzero(a)`` as one array: ``argwhere(a)[i]`` is the
    index of the ``i``-th non-zero element.  NumPy computes it; array_core
    wraps the result without copying.

    Parameters
    ----------
    a : array_like
        The input array (a 0-d input gives shape ``(1, 0)`` or ``(0, 0)``).

    Returns
    -------
    ndarray
        An int64 array of shape ``(N, a.ndim)``.

    See Also
    --------
    nonzero, flatnonzero

    Examples
    --------
    >>> import array_core
    >>> array_core.argwhere(array_core.asarray([[0, 1], [2, 0]]))
    array([[0, 1],
           [1, 0]])
    >>> array_core.argwhere(array_core.arange(4) > 1)
    array([[2],
           [3]])
    """
    return adopt(np.argwhere(as_numpy(as_source(a))))


@implements(np.flatnonzero)
def flatnonzero(a):
    """Return the indices of the non-zero elements of the flattened array.

    NumPy computes them; array_core wraps the result without copying.

    Parameters
    ----------
    a : array_like
        The input array.

    Returns
    -------
    ndarray
        A 1-d int64 array of indices into ``a.ravel()``.

    See Also
    --------
    nonzero, argwhere

    Examples
    --------
    >>> import array_core
    >>> a = array_core.asarray([[0, 1], [2, 0]])
    >>> i = array_core.flatnonzero(a)
    >>> i
    array([1, 2])
    >>> a.ravel()[i]
    array([1, 2])
    """
    return adopt(np.flatnonzero(as_numpy(as_source(a))))


cdef object _NO_VALUE = object()


@implements(np.where)
def where(condition, x=_NO_VALUE, y=_NO_VALUE, /):
    """Return elements of ``x`` where a condition is true and of ``y`` elsewhere.

    With ``condition`` alone, ``where(condition)`` is ``nonzero(condition)``.
    With all three, the arguments are broadcast together and the result is a
    new array of their common shape and promoted dtype (an *explicit* copy,
    which `copy_audit` records as ``where``), never a view of ``x`` or ``y``.

    Parameters
    ----------
    condition : array_like of bool
        Where to take from ``x`` (true) or ``y`` (false).
    x, y : array_like, optional
        The values to choose from; both or neither.

    Returns
    -------
    ndarray or tuple of ndarray
        The chosen values, or the indices of ``nonzero(condition)``.

    Raises
    ------
    ValueError
        If only one of ``x`` and ``y`` is given, or if the three do not
        broadcast together.

    See Also
    --------
    nonzero, putmask, copyto

    Notes
    -----
    The 3-argument form is computed by NumPy, then copied once into an
    array_core array at the copy choke point.  Both are positional-only, as
    in NumPy.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.where(x > 2, x, -x)
    array([[ 0, -1, -2],
           [ 3,  4,  5]])
    >>> array_core.where(x > 3)
    (array([1, 1]), array([1, 2]))
    >>> with array_core.copy_audit() as log:
    ...     y = array_core.where(x > 2, x, 0)
    >>> [(r.operation, r.category, r.nbytes) for r in log]
    [('where', 'explicit', 48)]
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef ndarray computed, result
    cdef int i
    if x is _NO_VALUE and y is _NO_VALUE:
        return nonzero(condition)
    if x is _NO_VALUE or y is _NO_VALUE:
        raise ValueError("either both or neither of x and y should be given")
    r = np.where(numpy_arg(condition), numpy_arg(x), numpy_arg(y))
    computed = from_numpy(r, None, True)
    for i in range(r.ndim):
        shape[i] = r.shape[i]
        strides[i] = r.strides[i]
    result = allocate_copy(computed, computed.nd, shape, ORDER_C, computed.dtype_,
                           "where", COPY_EXPLICIT, _REASONS["where"], strides)
    copy_elements(result, computed)
    return result


# ------------------------------------------------------------ in place

@implements(np.put)
def put(a, ind, v, mode="raise"):
    """Write values into an array at the given flat indices, in place.

    ``put(a, ind, v)`` is ``a.flat[ind] = v``: ``ind`` indexes ``a`` as if it
    were flattened in C order, and ``v`` is repeated when shorter than
    ``ind``.  The writes go through ``a``'s memory, so they show in every
    view of it (a lazy copy is made real first, once); nothing is copied.

    Parameters
    ----------
    a : ndarray
        The array to write into (array_core's or NumPy's).
    ind : array_like of int
        Flat indices; negative ones count from the end.
    v : array_like
        The values, cast to ``a``'s dtype.
    mode : {'raise', 'wrap', 'clip'}, optional
        What an out-of-bounds index does: raise an IndexError (the
        default), wrap around, or clip to the first or last element.

    Returns
    -------
    None

    Raises
    ------
    IndexError
        If an index is out of bounds with ``mode='raise'``, or if ``a`` is
        empty and ``ind`` is not.
    TypeError
        If ``a`` is not an array (a list, say).
    ValueError
        If ``a`` is read-only, or ``mode`` is not one of the three.

    See Also
    --------
    take, putmask, place, ndarray.put

    Examples
    --------
    >>> import array_core
    >>> a = array_core.arange(5)
    >>> v = a[1:4]
    >>> array_core.put(v, [0, -1], [10, 20])
    >>> v, a
    (array([10,  2, 20]), array([ 0, 10,  2, 20,  4]))
    >>> array_core.put(a, [0, 9], -1, mode="clip")
    >>> a
    array([-1, 10,  2, 20, -1])
    """
    target = writable_target(a, "argument 1 must be numpy.ndarray, not {}")
    np.put(target, numpy_arg(ind), numpy_arg(v), mode)


@implements(np.place)
def place(arr, mask, vals):
    """Write values into an array where a mask is true, in place.

    The values are used in order, from the start again when they run out,
    one per true element of ``mask`` (in C order).  The writes go through
    ``arr``'s memory; nothing is copied.

    Parameters
    ----------
    arr : ndarray
        The array to write into.
    mask : array_like of bool
        Where to write; of ``arr``'s size.
    vals : 1-d array_like
        The values, cast to ``arr``'s dtype.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``arr`` is not an array.
    ValueError
        If ``mask`` and ``arr`` differ in size, if ``vals`` is empty while
        ``mask`` has a true element, or if ``arr`` is read-only.

    See Also
    --------
    putmask : Values matched by position instead of used in order.
    extract, put

    Examples
    --------
    >>> import array_core
    >>> a = array_core.arange(6)
    >>> array_core.place(a, a % 2 == 1, [-1, -2])
    >>> a
    array([ 0, -1,  2, -2,  4, -1])
    """
    if not isinstance(arr, (ndarray, _np_ndarray)):
        raise TypeError(f"place() argument 1 must be numpy.ndarray, "
                        f"not {type(arr).__name__}")
    np.place(writable_target(arr, ""), numpy_arg(mask), numpy_arg(vals))


@implements(np.putmask)
def putmask(a, /, mask, values):
    """Set ``a.flat[n] = values[n]`` wherever ``mask.flat[n]`` is true, in place.

    Unlike `place`, a value is matched to its element by position (repeated
    when ``values`` is shorter than ``a``), so the element at position ``n``
    gets ``values[n % len(values)]``.  The writes go through ``a``'s memory;
    nothing is copied.

    Parameters
    ----------
    a : ndarray
        The array to write into (positional only).
    mask : array_like of bool
        Where to write; of ``a``'s size.
    values : array_like
        The values, cast to ``a``'s dtype.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``a`` is not an array.
    ValueError
        If ``mask`` and ``a`` differ in size, or if ``a`` is read-only.

    See Also
    --------
    place, copyto, where

    Examples
    --------
    >>> import array_core
    >>> a = array_core.arange(6)
    >>> array_core.putmask(a, a > 2, [10, 20])
    >>> a
    array([ 0,  1,  2, 20, 10, 20])
    """
    target = writable_target(a, "putmask: first argument must be an array")
    np.putmask(target, numpy_arg(mask), numpy_arg(values))


cdef int broadcast_layout(ndarray src, ndarray dst, Py_ssize_t* strides) except -1:
    """``src``'s strides broadcast to ``dst``'s shape, NumPy's
    ``PyArray_AssignArray``: leading length-1 axes of ``src`` are dropped
    first.  Raises NumPy's error when the shapes do not broadcast."""
    cdef int i, skip = 0, k
    while src.nd - skip > dst.nd and src.dims[skip] == 1:
        skip += 1
    k = dst.nd - (src.nd - skip)
    for i in range(max(k, 0)):
        strides[i] = 0
    for i in range(skip, src.nd):
        if k < 0:
            break
        if src.dims[i] == dst.dims[k + i - skip]:
            strides[k + i - skip] = src.strides_[i] if src.dims[i] != 1 else 0
        elif src.dims[i] == 1:
            strides[k + i - skip] = 0
        else:
            k = -1
    if k < 0:
        raise ValueError(f"could not broadcast input array from shape "
                         f"{shape_text(src.shape[skip:])} into shape "
                         f"{shape_text(dst.shape)}")
    return 0


cdef str shape_text(tuple shape):
    """A shape as NumPy's messages print it: ``(2,3)``, ``(3,)``, ``()``."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ",".join([str(n) for n in shape]) + ")"


cdef int copy_into(ndarray dst, ndarray src) except -1:
    """The kernel's copy of ``src`` broadcast into ``dst`` (same dtype)."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef int nd, status
    cdef Buffer written, read
    cdef char* dst_data
    cdef char* src_data
    written = begin_write(dst)
    try:
        nd = snapshot_layout(dst, shape, dst_strides)
        broadcast_layout(src, dst, src_strides)
        read = begin_read(src.buffer)
        try:
            dst_data = data_of(dst)
            src_data = data_of(src)
            if shape_size(nd, shape) * dst.itemsize_ < NOGIL_BYTES:
                status = copy_strided(dst_data, dst_strides, src_data, src_strides,
                                      nd, shape, dst.itemsize_)
            else:
                with nogil:
                    status = copy_strided(dst_data, dst_strides, src_data,
                                          src_strides, nd, shape, dst.itemsize_)
        finally:
            end_read(read)
    finally:
        end_write(written)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return 0


@implements(np.copyto)
def copyto(dst, src, casting="same_kind", where=True):
    """Copy values from one array into another, broadcasting, in place.

    ``src`` is broadcast to ``dst``'s shape and written into ``dst``'s memory
    where ``where`` is true.  Nothing new is allocated, so `copy_audit`
    records nothing: the elements move, but no array is made.

    Parameters
    ----------
    dst : ndarray
        The array to write into.
    src : array_like
        The values, broadcast to ``dst``'s shape.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from ``src``'s dtype to ``dst``'s are allowed
        ('same_kind' by default: float to int needs 'unsafe').
    where : array_like of bool, optional
        Where to write, broadcast to ``dst``'s shape; everywhere by
        default.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``dst`` is not an array, or if the cast is not allowed by
        ``casting``.
    ValueError
        If ``src`` or ``where`` does not broadcast to ``dst``'s shape, if
        ``dst`` is read-only, or if ``casting`` is not one of the above.

    See Also
    --------
    putmask, where

    Notes
    -----
    When no cast and no mask is needed, array_core's strided copy kernel
    does the work (releasing the GIL for large arrays).

    Examples
    --------
    >>> import array_core
    >>> a = array_core.zeros((2, 3))
    >>> array_core.copyto(a, array_core.arange(3.0))
    >>> a
    array([[0., 1., 2.],
           [0., 1., 2.]])
    >>> b = array_core.zeros(3, dtype=int)
    >>> array_core.copyto(b, [1.5, 2.5, 3.5], casting="unsafe")
    >>> b
    array([1, 2, 3])
    >>> array_core.copyto(b, [9, 9, 9], where=[True, False, True])
    >>> b
    array([9, 2, 9])
    """
    cdef ndarray d
    if not isinstance(dst, ndarray):
        if isinstance(dst, _np_ndarray):
            np.copyto(dst, numpy_arg(src), casting, numpy_arg(where))
            return
        raise TypeError(f"copyto() argument 1 must be a numpy.ndarray, "
                        f"not {type(dst).__name__}")
    d = <ndarray>dst
    if (where is True and isinstance(src, ndarray)
            and (<ndarray>src).dtype_ is d.dtype_ and d.flags_ & FLAG_WRITEABLE):
        parse_casting(casting)
        copy_into(d, <ndarray>src)
        return
    np.copyto(as_numpy_for_write(d), numpy_arg(src), casting, numpy_arg(where))


_install_methods(take=take, put=put, compress=compress, nonzero=nonzero)
