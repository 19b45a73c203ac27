# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""NumPy's view functions on array_core arrays: every result is a view.

The function forms of the view methods (``reshape``, ``ravel``,
``transpose``, ``swapaxes``, ``squeeze``, ``moveaxis``, ``expand_dims``),
``diagonal``, ``real``/``imag``, ``flip``/``fliplr``/``flipud``/``rot90``,
``atleast_1d``/``2d``/``3d``, ``matrix_transpose``/``permute_dims``, the
``split`` family and ``unstack``; also ``copy`` and the memory-overlap
tests.  Each is registered for ``__array_function__``, so ``np.split(x, 3)``
of an array_core ``x`` runs here.

A view is made from the source's metadata with ``make_view`` (NumPy's base
rule is built in); NumPy's own Python code is followed step for step where
its order of checks decides which error a bad argument gets.  A NumPy (or
other array-like) input is wrapped without copying, and a view of it gets
the input as base, as NumPy's view would.
"""
from cpython.exc cimport PyErr_Occurred, PyErr_Clear
from cpython.long cimport PyLong_AsLongLong, PyLong_CheckExact
from libc.string cimport memset

from array_core._typedefs cimport (
    MAX_NDIM, FLAG_OWNDATA, FLAG_WRITEABLE, FLAG_WARN_ON_WRITE, ORDER_C,
    wrap_mul, wrap_add,
)
from array_core._buffer cimport Buffer
from array_core._layout cimport shape_size, fill_contiguous_strides
from array_core._array cimport (
    ndarray, as_array, make_view, new_array, data_of, offset_pointer,
    normalize_axis, parse_order, parse_copy, c_int_argument, reversed_axes_view,
    reshape_array, numpy_base_for_views, copy_of, is_fortran_only, base_for_view,
    allocate_array_buffer, snapshot_layout, to_numpy_arg, COPY_IF_NEEDED,
)
from array_core._array import _install_methods, _ArrayInterfaceProxy

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from array_core._registry import implements

# array_core.asarray, found on first use (its module is a sibling family).
cdef inline object with_input_base(object result, ndarray arr, object a):
    """``result`` of a view function applied to ``arr = as_array(a)``, with
    NumPy's base: when ``arr`` is the zero-copy array made here for a NumPy
    input, a view of it gets the input (collapsed to its owner), as NumPy's
    view of the input would, not the intermediate array."""
    if arr is a:
        return result
    return numpy_base_for_views(result, arr)


cdef object with_input_bases(list results, ndarray arr, object a):
    """``with_input_base`` for each of several views of ``arr``."""
    cdef Py_ssize_t i
    if arr is not a:
        for i in range(len(results)):
            numpy_base_for_views(results[i], arr)
    return results


cdef ndarray read_only(ndarray v):
    v.flags_ &= ~FLAG_WRITEABLE
    return v


# ------------------------------------------------------------ view methods as functions

cdef object _NO_SHAPE = object()


@implements(np.reshape)
def reshape(a, /, shape=_NO_SHAPE, order="C", *, copy=None):
    """Give an array a new shape: a view when the strides allow, else a copy.

    The elements are read from ``a`` in ``order`` and placed into the new
    shape in that same order.  When the existing strides can express the
    new shape the result is a view, whose ``base`` is the array owning the
    memory (NumPy's rule: a view of a view points at the owner, not at the
    intermediate view).  Otherwise the elements are copied into new memory:
    an implicit copy, recorded by :class:`array_core.copy_audit` as
    ``reshape`` and subject to :class:`array_core.copy_policy`.  As in
    NumPy, that result is a view of the new copy (laid out as ``a``), so
    its ``base`` is not None: ``shares_memory`` tells a copy from a view.

    Parameters
    ----------
    a : array_like
        The array to reshape.  A NumPy array is wrapped without copying, and
        a view of it has it (or its owner) as ``base``.
    shape : int or tuple of ints
        The new shape, with as many elements as ``a``.  One length may be
        -1: it is inferred from the others.  ``None`` gives a view of the
        same shape.
    order : {'C', 'F', 'A'}, optional
        Read and place the elements with the last index changing fastest
        ('C', the default) or the first ('F'); 'A' means 'F' when ``a`` is
        Fortran contiguous and not C contiguous, else 'C'.
    copy : bool, optional
        True always copies; False never does, and raises when a view is
        impossible; None (the default) copies only when it must.

    Returns
    -------
    ndarray
        A view of ``a`` when possible, else a view of a new copy.

    Raises
    ------
    ValueError
        If ``shape`` does not hold as many elements as ``a``, if it has more
        than one -1, if ``order`` is not 'C', 'F' or 'A', or if ``copy`` is
        False and no view has the new shape.
    TypeError
        If ``shape`` is missing, or is neither an integer nor a sequence of
        integers.

    See Also
    --------
    ndarray.reshape : The same, as a method.
    ravel : A 1-d view or copy.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6)
    >>> y = ac.reshape(x, (2, -1))
    >>> y
    array([[0, 1, 2],
           [3, 4, 5]])
    >>> y.base is x, ac.shares_memory(x, y)
    (True, True)

    The transpose cannot be read in C order without a copy:

    >>> z = ac.reshape(y.T, 6)
    >>> z, ac.shares_memory(y, z)
    (array([0, 3, 1, 4, 2, 5]), False)
    >>> ac.reshape(y.T, 6, copy=False)
    Traceback (most recent call last):
        ...
    ValueError: Unable to avoid creating a copy while reshaping.
    """
    if shape is _NO_SHAPE:
        raise TypeError("reshape() missing 1 required positional argument: 'shape'")
    cdef ndarray arr = as_array(a)
    cdef int c_order = parse_order(order, "C")
    cdef int copy_mode = parse_copy(copy)
    if shape is None:
        result = make_view(arr, data_of(arr), arr.nd, arr.dims, arr.strides_)
    else:
        result = reshape_array(arr, shape, c_order, copy_mode)
    return with_input_base(result, arr, a)


@implements(np.ravel)
def ravel(a, order="C"):
    """Return the elements of an array as a 1-d array: a view when possible.

    The result is a view when the elements, read in ``order``, form a single
    strided run in memory (for example any C-contiguous array in C order);
    its ``base`` is then the array owning the memory.  Otherwise the
    elements are copied: an implicit copy, recorded by
    :class:`array_core.copy_audit` as ``ravel``.  Use ``flatten`` for a copy
    in every case.

    Parameters
    ----------
    a : array_like
        The array to flatten.
    order : {'C', 'F', 'A', 'K'}, optional
        The order in which the elements are read: 'C' (the default) with
        the last index changing fastest, 'F' with the first, 'A' as 'F'
        for a Fortran-only array and as 'C' otherwise, 'K' in the order
        they lie in memory.

    Returns
    -------
    ndarray
        A 1-d array of ``a.size`` elements: a view or a copy, as above.

    Raises
    ------
    ValueError
        If ``order`` is not one of 'C', 'F', 'A' or 'K'.

    See Also
    --------
    ndarray.ravel : The same, as a method.
    ndarray.flatten : Always a copy.
    reshape : Any new shape.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(2, 3)
    >>> ac.ravel(x)
    array([0, 1, 2, 3, 4, 5])
    >>> ac.ravel(x).base is x.base
    True

    The transpose, read in C order, is no single strided run: a copy.

    >>> r = ac.ravel(x.T)
    >>> r, r.base is None
    (array([0, 3, 1, 4, 2, 5]), True)
    >>> ac.shares_memory(ac.ravel(x.T, order="F"), x)
    True
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(arr.ravel(order), arr, a)


@implements(np.transpose)
def transpose(a, axes=None):
    """Permute the axes of an array: a view.

    With no ``axes`` the order of the axes is reversed.  No element moves:
    the result is a view with the shape and strides permuted, whose
    ``base`` is the array owning the memory.  ``permute_dims`` (the Array
    API name) is this same function.

    Parameters
    ----------
    a : array_like
        The array to transpose.
    axes : tuple or list of ints, optional
        A permutation of ``range(a.ndim)``: axis ``i`` of the result is axis
        ``axes[i]`` of ``a``.  Negative axes count from the end.  By default
        the axes are reversed.

    Returns
    -------
    ndarray
        A view of ``a`` with its axes permuted.

    Raises
    ------
    ValueError
        If ``axes`` does not have one entry per axis of ``a`` ("axes don't
        match array"), or names an axis twice.
    numpy.exceptions.AxisError
        If an entry of ``axes`` is out of range for ``a.ndim``.
    TypeError
        If an entry of ``axes`` is not an integer.

    See Also
    --------
    ndarray.transpose : The same, as a method.
    ndarray.T : The reversed-axes view, as a property.
    moveaxis : Move some axes, keeping the others in order.
    swapaxes : Interchange two axes.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.ones((2, 3, 4))
    >>> ac.transpose(x).shape, ac.transpose(x, (1, 0, 2)).shape
    ((4, 3, 2), (3, 2, 4))
    >>> ac.transpose(x).base is x, ac.transpose(x).strides
    (True, (8, 32, 96))
    >>> ac.permute_dims(x, (2, 0, 1)).shape
    (4, 2, 3)
    """
    cdef ndarray arr = as_array(a)
    if axes is None:
        return with_input_base(reversed_axes_view(arr), arr, a)
    return with_input_base(arr.transpose(axes), arr, a)


# The Array API name of transpose: in NumPy the same function.
permute_dims = transpose


@implements(np.matrix_transpose)
def matrix_transpose(x, /):
    """Transpose the matrices of a stack: a view with the last two axes swapped.

    The same as ``x.mT`` and ``swapaxes(x, -1, -2)``; the view's ``base`` is
    the array owning the memory.

    Parameters
    ----------
    x : array_like
        An array of at least two axes: a matrix, or a stack of them.

    Returns
    -------
    ndarray
        A view of ``x`` of shape ``(..., N, M)`` for ``x`` of shape
        ``(..., M, N)``.

    Raises
    ------
    ValueError
        If ``x`` has fewer than two axes.

    See Also
    --------
    ndarray.mT : The same, as a property.
    transpose : Any permutation of the axes.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.ones((5, 2, 3))
    >>> t = ac.matrix_transpose(x)
    >>> t.shape, t.base is x
    ((5, 3, 2), True)
    >>> ac.matrix_transpose(ac.ones(3))
    Traceback (most recent call last):
        ...
    ValueError: Input array must be at least 2-dimensional, but it is 1
    """
    cdef ndarray arr = as_array(x)
    if arr.nd < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, "
                         f"but it is {arr.nd}")
    return with_input_base(arr.swapaxes(-1, -2), arr, x)


@implements(np.swapaxes)
def swapaxes(a, axis1, axis2):
    """Interchange two axes of an array: a view.

    Parameters
    ----------
    a : array_like
        The input array.
    axis1 : int
        The first axis.  Negative axes count from the end.
    axis2 : int
        The second axis.

    Returns
    -------
    ndarray
        A view of ``a`` with the lengths and strides of the two axes
        exchanged; its ``base`` is the array owning the memory.

    Raises
    ------
    numpy.exceptions.AxisError
        If either axis is out of range for ``a.ndim``.
    TypeError
        If either axis is not an integer.

    See Also
    --------
    ndarray.swapaxes : The same, as a method.
    moveaxis, transpose

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(1, 2, 3)
    >>> s = ac.swapaxes(x, 0, 2)
    >>> s.shape, s.strides, s.base is x.base
    ((3, 2, 1), (8, 24, 48), True)
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(arr.swapaxes(axis1, axis2), arr, a)


@implements(np.squeeze)
def squeeze(a, axis=None):
    """Remove axes of length one: a view, or the array itself.

    Parameters
    ----------
    a : array_like
        The input array.
    axis : None or int or tuple of ints, optional
        The axes to remove, each of which must have length one.  By default
        every length-one axis is removed.

    Returns
    -------
    ndarray
        A view of ``a`` without those axes, whose ``base`` is the array owning
        the memory; ``a`` itself when ``a`` is an array_core array and no
        axis is removed (as NumPy returns its input).

    Raises
    ------
    ValueError
        If an axis in ``axis`` does not have length one, or is named twice.
    numpy.exceptions.AxisError
        If an axis in ``axis`` is out of range for ``a.ndim``.
    TypeError
        If an axis is not an integer.

    See Also
    --------
    ndarray.squeeze : The same, as a method.
    expand_dims : The inverse: insert length-one axes.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.zeros((1, 3, 1))
    >>> ac.squeeze(x).shape, ac.squeeze(x, axis=0).shape
    ((3,), (3, 1))
    >>> ac.squeeze(x).base is x
    True
    >>> ac.squeeze(x, axis=1)
    Traceback (most recent call last):
        ...
    ValueError: cannot select an axis to squeeze out which has size not equal to one
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(arr.squeeze(axis), arr, a)


@implements(np.moveaxis)
def moveaxis(a, source, destination):
    """Move axes of an array to new positions: a view.

    The other axes keep their relative order.  Like ``transpose``, this only
    permutes the shape and strides; the view's ``base`` is the array owning
    the memory.

    Parameters
    ----------
    a : array_like
        The input array.
    source : int or sequence of ints
        The axes to move.  Negative axes count from the end.
    destination : int or sequence of ints
        Where each of the ``source`` axes goes, in the same order.

    Returns
    -------
    ndarray
        A view of ``a`` with the axes moved.

    Raises
    ------
    ValueError
        If ``source`` and ``destination`` have different lengths, or one of
        them names an axis twice.
    numpy.exceptions.AxisError
        If an axis is out of range for ``a.ndim``.
    TypeError
        If ``source`` or ``destination`` is neither an integer nor a sequence
        of integers.

    See Also
    --------
    transpose : Any permutation of the axes.
    swapaxes : Interchange two axes.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.zeros((2, 3, 4))
    >>> ac.moveaxis(x, 0, -1).shape, ac.moveaxis(x, -1, 0).shape
    ((3, 4, 2), (4, 2, 3))
    >>> ac.moveaxis(x, [0, 1], [-1, -2]).shape
    (4, 3, 2)
    >>> ac.moveaxis(x, 0, -1).base is x
    True
    """
    cdef ndarray arr = as_array(a)
    source = normalize_axis_tuple(source, arr.nd, "source")
    destination = normalize_axis_tuple(destination, arr.nd, "destination")
    if len(source) != len(destination):
        raise ValueError("`source` and `destination` arguments must have "
                         "the same number of elements")
    order = [n for n in range(arr.nd) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return with_input_base(arr.transpose(order), arr, a)


@implements(np.expand_dims)
def expand_dims(a, axis):
    """Insert axes of length one: a view.

    As NumPy's ``expand_dims``, this is ``reshape`` to the expanded shape,
    which the strides always allow: the result is a view whose ``base`` is
    the array owning the memory, with the strides reshape gives.

    Parameters
    ----------
    a : array_like
        The input array.
    axis : int or tuple of ints
        The positions, in the result, of the new axes.  Negative positions
        count from the end of the result.

    Returns
    -------
    ndarray
        A view of ``a`` with ``a.ndim + len(axis)`` axes.

    Raises
    ------
    numpy.exceptions.AxisError
        If a position is out of range for the result's number of axes.
    ValueError
        If a position is given twice.
    TypeError
        If a position is not an integer.

    See Also
    --------
    squeeze : The inverse: remove length-one axes.
    reshape : Any new shape.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(3)
    >>> y = ac.expand_dims(x, (0, 2))
    >>> y.shape, y.strides, y.base is x
    ((1, 3, 1), (24, 8, 8), True)
    >>> ac.expand_dims(x, -1).shape
    (3, 1)
    """
    cdef ndarray arr = as_array(a)
    cdef int out_nd, i
    if not isinstance(axis, (tuple, list)):
        axis = (axis,)
    out_nd = len(axis) + arr.nd
    axes = normalize_axis_tuple(axis, out_nd)
    # As NumPy, the shape is read only now (as a tuple: the axes' __index__
    # may have reshaped the array), and a shape with too few axes stops.
    lengths = iter(arr.shape)
    shape = []
    for i in range(out_nd):
        shape.append(1 if i in axes else next(lengths))
    return with_input_base(reshape_array(arr, shape, ORDER_C, COPY_IF_NEEDED),
                           arr, a)


@implements(np.copy)
def copy(a, order="K", subok=False, *, lazy=False):
    """Return a copy of an array, with memory of its own.

    Unlike ``asarray``, this always copies: the result owns its memory
    (``base`` is None) and shares none with ``a``.  The copy is explicit:
    :class:`array_core.copy_policy` never refuses it.  With ``lazy=True``
    the copy shares ``a``'s memory until ``a`` or the copy is first written
    (copy-on-write), and behaves as an eager copy in every other way.

    Parameters
    ----------
    a : array_like
        The data to copy.
    order : {'C', 'F', 'A', 'K'}, optional
        The layout of the copy: C order, Fortran order, 'A' for Fortran
        order when ``a`` is Fortran-only and C order otherwise, or 'K' (the
        default, as ``numpy.copy``) to keep the order of ``a``'s axes in
        memory.
    subok : bool, optional
        Accepted for NumPy's signature; the result is always an array_core
        ``ndarray``.
    lazy : bool, optional
        Defer the copy until either side is first written.  Keyword only;
        array_core's addition, NumPy has no such argument.

    Returns
    -------
    ndarray
        A new array owning its memory.

    Raises
    ------
    ValueError
        If ``order`` is not one of 'C', 'F', 'A' or 'K'.
    TypeError
        If ``order`` is not a string.

    See Also
    --------
    ndarray.copy : The method form (C order by default).

    Notes
    -----
    ``lazy`` is not part of NumPy.  ``subok=True`` keeps NumPy subclasses
    in NumPy; here it changes nothing.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(2, 3).T
    >>> c = ac.copy(x)
    >>> c.base is None, ac.shares_memory(c, x)
    (True, False)
    >>> c.strides, ac.copy(x, order="C").strides
    ((8, 24), (16, 8))

    A lazy copy shares nothing, as far as anyone can tell, and copies on the
    first write:

    >>> lz = ac.copy(x, lazy=True)
    >>> ac.shares_memory(lz, x)
    False
    >>> lz[0, 0] = 99
    >>> int(x[0, 0]), int(lz[0, 0])
    (0, 99)
    """
    # NumPy's copy is array(a, order=order, copy=True): the order is
    # checked before ``a`` is converted.
    cdef int c_order = parse_order(order, "K")
    return copy_of(as_array(a), c_order, lazy)


# ------------------------------------------------------------ memory overlap

cdef Buffer logical_buffer(Buffer buf):
    """The array_core Buffer whose memory ``buf`` views when it borrows an
    export of an array_core array (through NumPy), else ``buf``."""
    cdef Buffer found = buf
    owner = buf.exporter
    for _ in range(16):
        if owner is None or found.lazy_linked:
            break
        if isinstance(owner, ndarray):
            found = (<ndarray>owner).buffer
            owner = found.exporter
        elif type(owner) is np.ndarray:
            owner = owner.base
        elif type(owner) is memoryview:
            try:
                owner = owner.obj
            except ValueError:   # released
                break
        elif type(owner) is _ArrayInterfaceProxy:
            owner = owner.array
        else:
            break
    return found


cdef bint lazily_apart(object a, object b):
    """True when ``a`` and ``b`` only seem to share memory: they view two
    Buffers sharing one holder (a lazy copy and its source, or two lazy
    copies), not yet written.  A lazy copy's memory is logically its own."""
    cdef Buffer ba, bb
    if not (isinstance(a, ndarray) and isinstance(b, ndarray)):
        return False
    ba = (<ndarray>a).buffer
    bb = (<ndarray>b).buffer
    if not ba.lazy_linked and ba.exporter is not None:
        ba = logical_buffer(ba)
    if not bb.lazy_linked and bb.exporter is not None:
        bb = logical_buffer(bb)
    # Only sharers of one holder overlap lazily; an array wrapping an export
    # of a sharer counts as that sharer.
    return (ba is not bb and ba.lazy_source is not None
            and ba.lazy_source is bb.lazy_source)


@implements(np.shares_memory)
def shares_memory(a, b, /, max_work=None):
    """Tell whether two arrays have an element of memory in common (exact).

    Unlike ``may_share_memory``, this solves the overlap problem exactly,
    which can take long for arrays with unusual strides: ``max_work``
    bounds the effort.  A lazy copy and its source share no memory until
    one of them is written, as for an eager copy.

    Parameters
    ----------
    a, b : array_like
        The arrays (array_core or NumPy arrays, or anything ``asarray``
        takes) to compare.
    max_work : int, optional
        The largest number of candidate solutions to try.  None (the
        default) solves the problem exactly whatever it costs; 0 only
        compares the memory bounds, as ``may_share_memory``.

    Returns
    -------
    bool
        True when some byte of memory is used by both.

    Raises
    ------
    numpy.exceptions.TooHardError
        If the problem needs more work than ``max_work``.
    ValueError
        If ``max_work`` is negative (other than -1 and -2, NumPy's special
        values).

    See Also
    --------
    may_share_memory : A fast test of the memory bounds only.
    ndarray.base : The array that owns a view's memory.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6)
    >>> ac.shares_memory(x, x[1:]), ac.shares_memory(x, x.copy())
    (True, False)

    Interleaved views use the same memory range but no common element:

    >>> ac.shares_memory(x[::2], x[1::2]), ac.may_share_memory(x[::2], x[1::2])
    (False, True)
    >>> ac.shares_memory(x, x.copy(lazy=True))
    False
    """
    if lazily_apart(a, b):
        return False
    return np.shares_memory(to_numpy_arg(a), to_numpy_arg(b), max_work=max_work)


@implements(np.may_share_memory)
def may_share_memory(a, b, /, max_work=None):
    """Tell whether the memory ranges of two arrays overlap (a fast bound).

    Only the lowest and highest byte each array can touch are compared, so
    True may be wrong (the elements may interleave), but False is always
    right.  A lazy copy and its source are apart, as for an eager copy.

    Parameters
    ----------
    a, b : array_like
        The arrays to compare.
    max_work : int, optional
        The effort to spend, as for ``shares_memory``.  None (the default)
        compares the bounds only.

    Returns
    -------
    bool
        True when the memory ranges of ``a`` and ``b`` overlap.

    Raises
    ------
    numpy.exceptions.TooHardError
        If ``max_work`` asks for an exact answer that needs more work than
        it allows.
    ValueError
        If ``max_work`` is an invalid negative value.

    See Also
    --------
    shares_memory : The exact test.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6)
    >>> ac.may_share_memory(x[::2], x[1::2]), ac.shares_memory(x[::2], x[1::2])
    (True, False)
    >>> ac.may_share_memory(x[:3], x[3:])
    False
    """
    if lazily_apart(a, b):
        return False
    return np.may_share_memory(to_numpy_arg(a), to_numpy_arg(b),
                               max_work=max_work)


# ------------------------------------------------------------ diagonal

cdef inline int int_argument(object value) except? -1:
    """``c_int_argument`` (NumPy's "i" arguments), without Python work for
    a small exact int."""
    cdef long long v
    if PyLong_CheckExact(value):
        v = PyLong_AsLongLong(value)
        if -2147483648 <= v <= 2147483647 and not (v == -1 and PyErr_Occurred()):
            return <int>v
        PyErr_Clear()
    return c_int_argument(value)


cdef ndarray diagonal_view(ndarray a, object offset, object axis1, object axis2):
    """NumPy's ``PyArray_Diagonal``: a read-only view of a diagonal."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t old_strides[MAX_NDIM]
    cdef Py_ssize_t off = int_argument(offset)
    cdef int i1 = int_argument(axis1)
    cdef int i2 = int_argument(axis2)
    cdef Py_ssize_t dim1, dim2, size, step
    cdef int nd = snapshot_layout(a, dims, old_strides), i, k = 0
    cdef char* data = data_of(a)
    if nd < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    i1 = normalize_axis(i1, nd, "axis1")
    i2 = normalize_axis(i2, nd, "axis2")
    if i1 == i2:
        raise ValueError("axis1 and axis2 cannot be the same")
    dim1 = dims[i1]
    dim2 = dims[i2]
    if off >= 0:
        step = old_strides[i2]
        dim2 -= off
    else:
        off = -off
        step = old_strides[i1]
        dim1 -= off
    size = dim2 if dim2 < dim1 else dim1
    if size < 0:
        size = 0
    else:
        data = offset_pointer(data, wrap_mul(off, step))
    for i in range(nd):
        if i != i1 and i != i2:
            shape[k] = dims[i]
            strides[k] = old_strides[i]
            k += 1
    shape[k] = size
    strides[k] = wrap_add(old_strides[i1], old_strides[i2])
    return read_only(make_view(a, data, nd - 1, shape, strides))


@implements(np.diagonal)
def diagonal(a, offset=0, axis1=0, axis2=1):
    """Return a diagonal of an array: a read-only view.

    For a 2-d array, the elements ``a[i, i + offset]``.  For more axes, the
    diagonals of the 2-d sub-arrays over ``axis1`` and ``axis2``: those two
    axes are removed and the diagonal becomes the last axis.  As in NumPy
    2.x, the result is a view (its ``base`` is the array owning the memory,
    its strides step along the diagonal) that cannot be written; make a copy
    to get a writable diagonal.

    Parameters
    ----------
    a : array_like
        An array of at least two axes.
    offset : int, optional
        The diagonal's distance from the main one: above it when positive,
        below when negative.  Default 0.
    axis1 : int, optional
        The axis of the sub-arrays' rows.  Default 0.
    axis2 : int, optional
        The axis of the sub-arrays' columns.  Default 1.

    Returns
    -------
    ndarray
        A read-only view of ``a`` holding the diagonals (empty when
        ``offset`` is beyond the array).

    Raises
    ------
    ValueError
        If ``a`` has fewer than two axes, or ``axis1`` and ``axis2`` name the
        same axis.
    numpy.exceptions.AxisError
        If ``axis1`` or ``axis2`` is out of range for ``a.ndim``.
    TypeError
        If ``offset``, ``axis1`` or ``axis2`` is not an integer.

    See Also
    --------
    ndarray.diagonal : The same, as a method.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(12).reshape(3, 4)
    >>> d = ac.diagonal(x, 1)
    >>> d, d.strides, d.base is x.base
    (array([ 1,  6, 11]), (40,), True)
    >>> d.flags.writeable
    False
    >>> d[0] = 5
    Traceback (most recent call last):
        ...
    ValueError: assignment destination is read-only
    >>> ac.diagonal(x).copy().flags.writeable
    True
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(diagonal_view(arr, offset, axis1, axis2), arr, a)


def _diagonal_method(ndarray self, offset, axis1, axis2):
    return diagonal_view(self, offset, axis1, axis2)


# ------------------------------------------------------------ real and imag

cdef dict _part_dtypes = {}


cdef object part_dtype(object dtype):
    """The float dtype of a complex dtype's parts (same byte order)."""
    found = _part_dtypes.get(dtype)
    if found is None:
        found = np.empty(0, dtype).real.dtype
        _part_dtypes[dtype] = found
    return found


cdef ndarray complex_part(ndarray a, Py_ssize_t part):
    """A view of the real (0) or imaginary (1) parts of complex ``a``."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd = snapshot_layout(a, shape, strides)
    dtype = part_dtype(a.dtype_)
    cdef Py_ssize_t size = dtype.itemsize
    return new_array(a.buffer, data_of(a) + part * size, nd, shape, strides,
                     dtype, base_for_view(a),
                     a.flags_ & (FLAG_WRITEABLE | FLAG_WARN_ON_WRITE))


def _real(ndarray self):
    if self.dtype_.kind == "c":
        return complex_part(self, 0)
    return self


def _imag(ndarray self):
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd
    cdef bint fortran
    cdef Buffer buf
    if self.dtype_.kind == "c":
        return complex_part(self, 1)
    # NumPy: read-only zeros of the same dtype, F order for an F array.
    nd = snapshot_layout(self, shape, strides)
    fortran = is_fortran_only(self)
    if shape_size(nd, shape) == 0:
        memset(strides, 0, nd * sizeof(Py_ssize_t))   # NumPy's, when empty
    else:
        fill_contiguous_strides(nd, shape, self.itemsize_, fortran, strides)
    buf = allocate_array_buffer(nd, shape, self.dtype_,
                                shape_size(nd, shape) * self.itemsize_)
    memset(buf.ptr, 0, buf.nbytes)
    return new_array(buf, buf.ptr, nd, shape, strides, self.dtype_, None,
                     FLAG_OWNDATA)


cdef int set_part(ndarray target, object value) except -1:
    # NumPy converts the value to an array first, then casts it in (a
    # complex value becomes a float with a ComplexWarning).
    target[...] = np.asarray(to_numpy_arg(value))
    return 0


def _set_real(ndarray self, value):
    set_part(complex_part(self, 0) if self.dtype_.kind == "c" else self, value)


def _set_imag(ndarray self, value):
    if self.dtype_.kind != "c":
        raise TypeError("array does not have imaginary part to set")
    set_part(complex_part(self, 1), value)


cdef object part_of(object val, bint real_part):
    """NumPy's ``real``/``imag``: ``val.real`` where ``val`` has it (a Python
    or NumPy scalar gives a scalar), else that of ``asarray(val)``."""
    cdef ndarray arr
    if not isinstance(val, (ndarray, np.ndarray)):
        try:
            return val.real if real_part else val.imag
        except AttributeError:
            pass
    arr = as_array(val)
    return with_input_base(arr.real if real_part else arr.imag, arr, val)


@implements(np.real)
def real(val):
    """Return the real part of the elements.

    For a complex array, a view of the real parts: it has the float dtype of
    the same size, keeps ``val``'s strides (so they step over the
    imaginary parts), is writable when ``val`` is, and its ``base`` is the
    array owning the memory.  For any other array, ``val`` itself.  A
    Python or NumPy scalar gives its ``real`` attribute.

    Parameters
    ----------
    val : array_like
        The input array.

    Returns
    -------
    ndarray or scalar
        A view of the real parts, or ``val`` when it is not complex.

    See Also
    --------
    imag : The imaginary part.
    ndarray.real : The same, as a property (which can be assigned).

    Examples
    --------
    >>> import array_core as ac
    >>> z = ac.asarray([1 + 2j, 3 - 4j])
    >>> r = ac.real(z)
    >>> r, r.strides, r.base is z
    (array([1., 3.]), (16,), True)
    >>> r[0] = 10
    >>> z
    array([10.+2.j,  3.-4.j])
    >>> x = ac.arange(3.0)
    >>> ac.real(x) is x
    True
    """
    return part_of(val, True)


@implements(np.imag)
def imag(val):
    """Return the imaginary part of the elements.

    For a complex array, a view of the imaginary parts (as ``real``: the
    float dtype of the same size, the same strides, writable when ``val``
    is, ``base`` the array owning the memory).  For any other array, NumPy's
    answer: a new read-only array of zeros of the same dtype and shape,
    sharing no memory with ``val``.  A Python or NumPy scalar gives its
    ``imag`` attribute.

    Parameters
    ----------
    val : array_like
        The input array.

    Returns
    -------
    ndarray or scalar
        A view of the imaginary parts, or read-only zeros.

    See Also
    --------
    real : The real part.
    ndarray.imag : The same, as a property (which can be assigned for a
        complex array).

    Examples
    --------
    >>> import array_core as ac
    >>> z = ac.asarray([1 + 2j, 3 - 4j])
    >>> i = ac.imag(z)
    >>> i, i.base is z, ac.shares_memory(i, z)
    (array([ 2., -4.]), True, True)

    Of a real array, zeros that cannot be written:

    >>> zeros = ac.imag(ac.arange(3.0))
    >>> zeros, zeros.flags.writeable, zeros.base is None
    (array([0., 0., 0.]), False, True)
    """
    return part_of(val, False)


# ------------------------------------------------------------ flips

cdef ndarray flipped(ndarray a, const bint* axes):
    """``a[::-1]`` along each axis in ``axes``: NumPy's slice rule, so an
    empty axis keeps its stride (the slice is then taken with step 1)."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd = snapshot_layout(a, shape, strides), i
    cdef char* data = data_of(a)
    for i in range(nd):
        if axes[i] and shape[i] > 0:
            data = offset_pointer(data, wrap_mul(shape[i] - 1, strides[i]))
            strides[i] = -strides[i]
    return make_view(a, data, nd, shape, strides)


@implements(np.flip)
def flip(m, axis=None):
    """Reverse the order of the elements along some axes: a view.

    ``flip(m, 0)`` is ``m[::-1]``, ``flip(m, 1)`` is ``m[:, ::-1]``: the
    view starts at the last element along each flipped axis and steps
    back, with the stride negated; its ``base`` is the array owning the
    memory.

    Parameters
    ----------
    m : array_like
        The input array.
    axis : None or int or tuple of ints, optional
        The axes to reverse.  By default every axis is.  Negative axes count
        from the end.

    Returns
    -------
    ndarray or scalar
        A view of ``m`` with the order reversed along ``axis``; for a 0-d
        ``m``, its element as a NumPy scalar (as NumPy gives it).

    Raises
    ------
    numpy.exceptions.AxisError
        If an axis is out of range for ``m.ndim``.
    ValueError
        If an axis is named twice.
    TypeError
        If ``axis`` is neither None, an integer, nor a sequence of integers.

    See Also
    --------
    fliplr : Reverse axis 1.
    flipud : Reverse axis 0.
    rot90 : Rotate in a plane.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(2, 3)
    >>> ac.flip(x, 1)
    array([[2, 1, 0],
           [5, 4, 3]])
    >>> f = ac.flip(x)
    >>> f.strides, f.base is x.base
    ((-24, -8), True)
    """
    cdef bint axes[MAX_NDIM]
    cdef int i
    cdef ndarray arr = as_array(m)
    memset(axes, 0, sizeof(axes))
    if axis is None:
        for i in range(arr.nd):
            axes[i] = True
    else:
        for i in normalize_axis_tuple(axis, arr.nd):
            axes[i] = True
    if arr.nd == 0:
        return arr[()]     # NumPy indexes with (): a scalar
    return with_input_base(flipped(arr, axes), arr, m)


@implements(np.fliplr)
def fliplr(m):
    """Reverse the order of the columns (axis 1): a view.

    ``m[:, ::-1]``, for an array of at least two axes; the view's ``base``
    is the array owning the memory.

    Parameters
    ----------
    m : array_like
        An array of at least two axes.

    Returns
    -------
    ndarray
        A view of ``m`` with axis 1 reversed.

    Raises
    ------
    ValueError
        If ``m`` has fewer than two axes.

    See Also
    --------
    flip, flipud

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(4).reshape(2, 2)
    >>> ac.fliplr(x)
    array([[1, 0],
           [3, 2]])
    >>> ac.fliplr(x).base is x.base
    True
    """
    cdef bint axes[MAX_NDIM]
    cdef ndarray arr = as_array(m)
    if arr.nd < 2:
        raise ValueError("Input must be >= 2-d.")
    memset(axes, 0, sizeof(axes))
    axes[1] = True
    return with_input_base(flipped(arr, axes), arr, m)


@implements(np.flipud)
def flipud(m):
    """Reverse the order of the rows (axis 0): a view.

    ``m[::-1, ...]``, for an array of at least one axis; the view's ``base``
    is the array owning the memory.

    Parameters
    ----------
    m : array_like
        An array of at least one axis.

    Returns
    -------
    ndarray
        A view of ``m`` with axis 0 reversed.

    Raises
    ------
    ValueError
        If ``m`` is 0-d.

    See Also
    --------
    flip, fliplr

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(4).reshape(2, 2)
    >>> ac.flipud(x)
    array([[2, 3],
           [0, 1]])
    >>> ac.flipud(x).strides, ac.flipud(x).base is x.base
    ((-16, 8), True)
    """
    cdef bint axes[MAX_NDIM]
    cdef ndarray arr = as_array(m)
    if arr.nd < 1:
        raise ValueError("Input must be >= 1-d.")
    memset(axes, 0, sizeof(axes))
    axes[0] = True
    return with_input_base(flipped(arr, axes), arr, m)


@implements(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    """Rotate an array by 90 degrees in a plane: a view.

    The rotation goes ``k`` times from the first axis of ``axes`` towards
    the second; it is made of ``flip`` and ``transpose``, so the result is
    a view (with negative strides where it runs backwards) whose ``base``
    is the array owning the memory.

    Parameters
    ----------
    m : array_like
        An array of at least two axes.
    k : int, optional
        The number of quarter turns (taken modulo 4; negative turns the
        other way).  Default 1.
    axes : sequence of two ints, optional
        The plane of the rotation.  Default ``(0, 1)``.

    Returns
    -------
    ndarray
        A rotated view of ``m``.

    Raises
    ------
    ValueError
        If ``axes`` does not have two entries, if they name the same axis
        (for a 1-d ``m``, the default axes do), or if one is out of range
        for ``m.ndim``.

    See Also
    --------
    flip, transpose

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(4).reshape(2, 2)
    >>> ac.rot90(x)
    array([[1, 3],
           [0, 2]])
    >>> ac.rot90(x, 2), ac.rot90(x, 2).strides
    (array([[3, 2],
           [1, 0]]), (-16, -8))
    >>> ac.rot90(x, -1).base is x.base
    True
    """
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    cdef ndarray arr = as_array(m)
    cdef int nd = arr.nd
    if axes[0] == axes[1] or np.absolute(axes[0] - axes[1]) == nd:
        raise ValueError("Axes must be different.")
    if (axes[0] >= nd or axes[0] < -nd
            or axes[1] >= nd or axes[1] < -nd):
        raise ValueError(f"Axes={axes} out of range for array of ndim={nd}.")
    k %= 4
    if k == 0:
        result = arr[:]
    elif k == 2:
        result = flip(flip(arr, axes[0]), axes[1])
    else:
        axes_list = list(range(nd))
        (axes_list[axes[0]], axes_list[axes[1]]) = (axes_list[axes[1]],
                                                    axes_list[axes[0]])
        if k == 1:
            result = flip(arr, axes[1]).transpose(axes_list)
        else:
            result = flip(arr.transpose(axes_list), axes[1])
    return with_input_base(result, arr, m)


# ------------------------------------------------------------ atleast_nd

cdef object at_least(ndarray arr, int ndim):
    """NumPy's ``atleast_{1,2,3}d`` of one array: ``arr`` itself or a view."""
    cdef Py_ssize_t shape[3]
    cdef Py_ssize_t strides[3]
    cdef int nd = arr.nd
    if nd >= ndim:
        return arr
    if nd == 0:
        # ``reshape(1)``, ``reshape(1, 1)``, ``reshape(1, 1, 1)``.
        return reshape_array(arr, (1,) * ndim, ORDER_C, COPY_IF_NEEDED)
    # ``x[None, :]``, ``x[None, :, None]`` and ``x[:, :, None]``: a new axis
    # gets stride 0, as NumPy's indexing gives it.
    if nd == 1 and ndim == 2:
        shape[0], shape[1] = 1, arr.dims[0]
        strides[0], strides[1] = 0, arr.strides_[0]
    elif nd == 1:
        shape[0], shape[1], shape[2] = 1, arr.dims[0], 1
        strides[0], strides[1], strides[2] = 0, arr.strides_[0], 0
    else:
        shape[0], shape[1], shape[2] = arr.dims[0], arr.dims[1], 1
        strides[0], strides[1], strides[2] = arr.strides_[0], arr.strides_[1], 0
    return make_view(arr, data_of(arr), ndim, shape, strides)


cdef object atleast(tuple arys, int ndim):
    cdef ndarray arr
    if len(arys) == 1:
        arr = as_array(arys[0])
        return with_input_base(at_least(arr, ndim), arr, arys[0])
    results = []
    for a in arys:
        arr = as_array(a)
        results.append(with_input_base(at_least(arr, ndim), arr, a))
    return tuple(results)


@implements(np.atleast_1d)
def atleast_1d(*arys):
    """View inputs as arrays of at least one axis.

    An input with one or more axes is returned as it is (an array_core
    array as the same object); a 0-d one becomes a view of shape ``(1,)``.
    Other inputs are converted with ``asarray`` first.

    Parameters
    ----------
    *arys : array_like
        One or more inputs.

    Returns
    -------
    ndarray or tuple of ndarray
        One array for one input, else a tuple of them, each with
        ``ndim >= 1``.

    See Also
    --------
    atleast_2d, atleast_3d

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.asarray(5.0)
    >>> ac.atleast_1d(x), ac.atleast_1d(x).base is x
    (array([5.]), True)
    >>> y = ac.arange(3)
    >>> ac.atleast_1d(y) is y
    True
    >>> [a.shape for a in ac.atleast_1d(1, [2, 3])]
    [(1,), (2,)]
    """
    return atleast(arys, 1)


@implements(np.atleast_2d)
def atleast_2d(*arys):
    """View inputs as arrays of at least two axes.

    An input with two or more axes is returned as it is; a 0-d one becomes a
    view of shape ``(1, 1)``, a 1-d one of length N a view of shape
    ``(1, N)`` (the new axis has stride 0, as NumPy's ``x[None, :]``).

    Parameters
    ----------
    *arys : array_like
        One or more inputs.

    Returns
    -------
    ndarray or tuple of ndarray
        One array for one input, else a tuple of them, each with
        ``ndim >= 2``.

    See Also
    --------
    atleast_1d, atleast_3d

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(3)
    >>> v = ac.atleast_2d(x)
    >>> v, v.strides, v.base is x
    (array([[0, 1, 2]]), (0, 8), True)
    >>> [a.shape for a in ac.atleast_2d(1, x)]
    [(1, 1), (1, 3)]
    """
    return atleast(arys, 2)


@implements(np.atleast_3d)
def atleast_3d(*arys):
    """View inputs as arrays of at least three axes.

    An input with three or more axes is returned as it is; a 0-d one
    becomes a view of shape ``(1, 1, 1)``, a 1-d one of length N one of
    shape ``(1, N, 1)``, a 2-d one of shape (M, N) one of shape
    ``(M, N, 1)``.  The new axes have stride 0, as NumPy's.

    Parameters
    ----------
    *arys : array_like
        One or more inputs.

    Returns
    -------
    ndarray or tuple of ndarray
        One array for one input, else a tuple of them, each with
        ``ndim >= 3``.

    See Also
    --------
    atleast_1d, atleast_2d

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(2, 3)
    >>> v = ac.atleast_3d(x)
    >>> v.shape, v.strides, v.base is x.base
    ((2, 3, 1), (24, 8, 0), True)
    >>> ac.atleast_3d(ac.arange(3)).shape
    (1, 3, 1)
    """
    return atleast(arys, 3)


# ------------------------------------------------------------ splitting

cdef list split_views(ndarray arr, object axis, list div_points, bint clipped):
    """The views ``arr[..., div_points[i]:div_points[i + 1], ...]`` along
    ``axis`` (NumPy's ``swapaxes``/slice/``swapaxes`` of ``array_split``);
    an empty piece starts at offset 0, as NumPy's indexing has it.

    The slice bounds run Python (``__index__``), so the views are made from
    a snapshot of the layout taken before.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int ax = int_argument(axis)
    cdef int nd = snapshot_layout(arr, shape, strides)
    cdef Py_ssize_t n, i, start, stop, pieces = len(div_points) - 1
    cdef char* data = data_of(arr)
    cdef list bounds = []
    cdef list result = []
    ax = <int>normalize_axis(ax, nd, "axis1")
    n = shape[ax]
    if clipped:
        # Section points: ascending ints within the axis already.
        for i in range(pieces):
            bounds.append((div_points[i], div_points[i + 1], 1))
    else:
        for i in range(pieces):
            bounds.append(slice(div_points[i], div_points[i + 1]).indices(n))
    for i in range(pieces):
        start, stop, _ = bounds[i]
        if stop <= start:
            start = stop = 0
        shape[ax] = stop - start
        result.append(make_view(arr, offset_pointer(data, wrap_mul(start, strides[ax])),
                                nd, shape, strides))
    return result


cdef list section_points(Py_ssize_t total, Py_ssize_t sections):
    """0, then the ends of ``sections`` pieces as even as possible (the
    first ``total % sections`` one longer)."""
    cdef Py_ssize_t each = total // sections, extras = total % sections
    cdef Py_ssize_t i, point = 0
    cdef list points = [0]
    for i in range(sections):
        point += each + 1 if i < extras else each
        points.append(point)
    return points


cdef object axis_length(object ary, object axis):
    """``ary.shape[axis]``, as NumPy's split reads it (its errors too),
    without building the shape tuple for an array_core array."""
    cdef ndarray arr
    cdef long long ax
    if isinstance(ary, ndarray) and PyLong_CheckExact(axis):
        arr = <ndarray>ary
        ax = PyLong_AsLongLong(axis)
        if ax == -1 and PyErr_Occurred():
            PyErr_Clear()
        elif -arr.nd <= ax < arr.nd:
            return arr.dims[ax + arr.nd if ax < 0 else ax]
    return ary.shape[axis]


cdef list array_split_impl(object ary, object indices_or_sections, object axis):
    cdef ndarray arr
    cdef Py_ssize_t sections
    cdef bint clipped = False
    try:
        total = axis_length(ary, axis)
    except AttributeError:
        total = len(ary)
    if PyLong_CheckExact(indices_or_sections):
        # The common case, without len()'s TypeError.
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        div_points = section_points(total, sections)
        clipped = True
    else:
        try:
            # A sequence of split points.
            sections = len(indices_or_sections) + 1
            div_points = [0] + list(indices_or_sections) + [total]
        except TypeError:
            sections = int(indices_or_sections)
            if sections <= 0:
                raise ValueError("number sections must be larger than 0.") from None
            div_points = section_points(total, sections)
            clipped = True
    arr = as_array(ary)
    return with_input_bases(split_views(arr, axis, div_points, clipped), arr, ary)


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    """Split an array into views, in pieces that need not be equal.

    As ``split``, but an integer ``indices_or_sections`` that does not
    divide the axis is allowed: of an axis of length L split into N pieces,
    the first ``L % N`` have length ``L // N + 1`` and the others
    ``L // N``.  Every piece is a view whose ``base`` is the array owning
    the memory (an empty piece is an empty view).

    Parameters
    ----------
    ary : array_like
        The array to split.
    indices_or_sections : int or sequence of ints
        A number N of pieces, or the sorted indices along ``axis`` where the
        pieces start (as slices: ``[2, 3]`` gives ``ary[:2]``, ``ary[2:3]``
        and ``ary[3:]``; an index past the end gives an empty piece).
    axis : int, optional
        The axis to split along.  Default 0.

    Returns
    -------
    list of ndarray
        The pieces, in order.

    Raises
    ------
    ValueError
        If a number of pieces is zero or negative.
    IndexError
        If ``axis`` is out of range for ``ary.ndim`` (NumPy's "tuple index
        out of range", also for a 0-d ``ary``).
    TypeError
        If an index is not an integer.

    See Also
    --------
    split : Equal pieces only.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(5)
    >>> parts = ac.array_split(x, 3)
    >>> parts
    [array([0, 1]), array([2, 3]), array([4])]
    >>> all(p.base is x for p in parts)
    True
    """
    return array_split_impl(ary, indices_or_sections, axis)


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    """Split an array into equal pieces, or at given indices: views.

    Every piece is a view whose ``base`` is the array owning the memory: a
    write through one shows in ``ary``.

    Parameters
    ----------
    ary : ndarray
        The array to split.  It needs a ``shape`` (a list is refused, as by
        NumPy).
    indices_or_sections : int or sequence of ints
        A number N of equal pieces (N must divide the length of ``axis``),
        or the sorted indices along ``axis`` where the pieces start (as
        slices: ``[2, 3]`` gives ``ary[:2]``, ``ary[2:3]`` and ``ary[3:]``;
        an index past the end gives an empty piece).
    axis : int, optional
        The axis to split along.  Default 0.

    Returns
    -------
    list of ndarray
        The pieces, in order.

    Raises
    ------
    ValueError
        If N does not divide the length of ``axis`` ("array split does not
        result in an equal division"), or N is negative.
    ZeroDivisionError
        If N is 0 (as in NumPy).
    IndexError
        If ``axis`` is out of range for ``ary.ndim``.
    AttributeError
        If ``ary`` has no ``shape``.

    See Also
    --------
    array_split : Pieces that need not be equal.
    hsplit, vsplit, dsplit : Along axis 1, 0 and 2.
    unstack : Every index along an axis.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6)
    >>> parts = ac.split(x, 3)
    >>> parts
    [array([0, 1]), array([2, 3]), array([4, 5])]
    >>> parts[1][0] = 20
    >>> x, parts[1].base is x
    (array([ 0,  1, 20,  3,  4,  5]), True)
    >>> ac.split(x, [1, 4])
    [array([0]), array([ 1, 20,  3]), array([4, 5])]
    >>> ac.split(x, 4)
    Traceback (most recent call last):
        ...
    ValueError: array split does not result in an equal division
    """
    if PyLong_CheckExact(indices_or_sections):
        if axis_length(ary, axis) % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        return array_split_impl(ary, indices_or_sections, axis)
    try:
        len(indices_or_sections)
    except TypeError:
        sections = indices_or_sections
        total = ary.shape[axis]
        if total % sections:
            raise ValueError(
                "array split does not result in an equal division") from None
    return array_split_impl(ary, indices_or_sections, axis)


cdef int ndim_of(object ary) except -1:
    return (<ndarray>ary).nd if isinstance(ary, ndarray) else np.ndim(ary)


@implements(np.hsplit)
def hsplit(ary, indices_or_sections):
    """Split an array horizontally (along its columns) into views.

    ``split(ary, indices_or_sections, axis=1)``, or ``axis=0`` for a 1-d
    array.  Every piece is a view whose ``base`` is the array owning the
    memory.

    Parameters
    ----------
    ary : ndarray
        An array of at least one axis.
    indices_or_sections : int or sequence of ints
        A number of equal pieces, or the indices where pieces start, as for
        ``split``.

    Returns
    -------
    list of ndarray
        The pieces, in order.

    Raises
    ------
    ValueError
        If ``ary`` is 0-d, or the number of pieces does not divide the axis
        (as for ``split``).
    AttributeError
        If ``ary`` has no ``ndim`` (a list is refused, as by NumPy).

    See Also
    --------
    split, vsplit, dsplit

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(8).reshape(2, 4)
    >>> left, right = ac.hsplit(x, 2)
    >>> left
    array([[0, 1],
           [4, 5]])
    >>> right.base is x.base
    True
    """
    if ndim_of(ary) == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    if ary.ndim > 1:
        return split(ary, indices_or_sections, 1)
    return split(ary, indices_or_sections, 0)


@implements(np.vsplit)
def vsplit(ary, indices_or_sections):
    """Split an array vertically (along its rows) into views.

    ``split(ary, indices_or_sections, axis=0)``, for an array of at least
    two axes.  Every piece is a view whose ``base`` is the array owning the
    memory.

    Parameters
    ----------
    ary : ndarray
        An array of at least two axes.
    indices_or_sections : int or sequence of ints
        A number of equal pieces, or the indices where pieces start, as for
        ``split``.

    Returns
    -------
    list of ndarray
        The pieces, in order.

    Raises
    ------
    ValueError
        If ``ary`` has fewer than two axes, or the number of pieces does not
        divide the axis (as for ``split``).

    See Also
    --------
    split, hsplit, dsplit

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(8).reshape(4, 2)
    >>> top, bottom = ac.vsplit(x, 2)
    >>> bottom
    array([[4, 5],
           [6, 7]])
    >>> bottom.base is x.base
    True
    """
    if ndim_of(ary) < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


@implements(np.dsplit)
def dsplit(ary, indices_or_sections):
    """Split an array along its third axis (depth) into views.

    ``split(ary, indices_or_sections, axis=2)``, for an array of at least
    three axes.  Every piece is a view whose ``base`` is the array owning
    the memory.

    Parameters
    ----------
    ary : ndarray
        An array of at least three axes.
    indices_or_sections : int or sequence of ints
        A number of equal pieces, or the indices where pieces start, as for
        ``split``.

    Returns
    -------
    list of ndarray
        The pieces, in order.

    Raises
    ------
    ValueError
        If ``ary`` has fewer than three axes, or the number of pieces does
        not divide the axis (as for ``split``).

    See Also
    --------
    split, hsplit, vsplit

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(8).reshape(1, 2, 4)
    >>> [p.shape for p in ac.dsplit(x, 2)]
    [(1, 2, 2), (1, 2, 2)]
    >>> ac.dsplit(x, [1])[1].base is x.base
    True
    """
    if ndim_of(ary) < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, 2)


@implements(np.unstack)
def unstack(x, /, *, axis=0):
    """Split an array into the sub-arrays at each index along an axis: views.

    ``unstack(x, axis=a)`` is ``(x[..., 0, ...], x[..., 1, ...], ...)``
    with the index at position ``a``: each piece is a view, one axis fewer,
    whose ``base`` is the array owning the memory.  Of a 1-d array, the
    pieces are its elements as NumPy scalars (as NumPy gives them).

    Parameters
    ----------
    x : array_like
        An array of at least one axis.
    axis : int, optional
        The axis to unstack along (keyword only).  Default 0.

    Returns
    -------
    tuple of ndarray
        ``x.shape[axis]`` pieces.

    Raises
    ------
    ValueError
        If ``x`` is 0-d, or ``axis`` is a sequence of more than one axis.
    numpy.exceptions.AxisError
        If ``axis`` is out of range for ``x.ndim``.
    TypeError
        If ``axis`` is not an integer.

    See Also
    --------
    split : Pieces of any length, which keep the axis.
    stack : The inverse: join arrays along a new axis.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(4).reshape(2, 2)
    >>> ac.unstack(x, axis=1)
    (array([0, 2]), array([1, 3]))
    >>> ac.unstack(x)[1].base is x.base
    True
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef ndarray arr = as_array(x)
    cdef int nd, ax, i, k
    cdef Py_ssize_t n, j, step
    if arr.nd == 0:
        raise ValueError("Input array must be at least 1-d.")
    # NumPy's moveaxis(x, axis, 0), then iteration over the first axis.
    source = normalize_axis_tuple(axis, arr.nd, "source")
    if len(source) != 1:
        raise ValueError("`source` and `destination` arguments must have "
                         "the same number of elements")
    ax = source[0]
    nd = snapshot_layout(arr, shape, strides)
    if ax >= nd:   # the axis' __index__ reshaped the array meanwhile
        raise ValueError("the array changed shape while its axis was read")
    n = shape[ax]
    step = strides[ax]
    k = 0
    for i in range(nd):
        if i != ax:
            shape[k] = shape[i]
            strides[k] = strides[i]
            k += 1
    results = []
    if nd == 1:
        # Iterating a 1-d array gives scalars.
        return tuple([arr[j] for j in range(n)])
    for j in range(n):
        results.append(make_view(arr, offset_pointer(data_of(arr), wrap_mul(j, step)),
                                 nd - 1, shape, strides))
    return tuple(with_input_bases(results, arr, x))


_install_methods(diagonal=_diagonal_method, real=_real, imag=_imag,
                 set_real=_set_real, set_imag=_set_imag)
