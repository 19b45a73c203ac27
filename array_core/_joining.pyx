# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Joining arrays: ``concatenate`` and the stacking functions built on it.

NumPy's ``PyArray_ConcatenateArrays`` and ``numpy/_core/shape_base.py``.  The
result is a new array made at the copy choke point (an explicit copy: joining
always makes a new array), laid out in the stride order the inputs agree on,
and filled piece by piece by the strided copy kernel.
"""
from cpython.sequence cimport PySequence_Check
from libc.string cimport memmove, memset

from array_core._typedefs cimport MAX_NDIM, FLAG_C_CONTIGUOUS, FLAG_WRITEABLE, ORDER_C
from array_core._array cimport (
    ndarray, allocate_copy, copy_elements, make_view, from_numpy, resolve_dtype,
    normalize_axis, axis_as_int, convert_dtype, parse_casting, data_of,
    snapshot_layout, begin_write, end_write, begin_read, end_read,
    COPY_EXPLICIT,
)
from array_core._buffer cimport Buffer
from array_core._copy cimport copy_strided
from array_core._layout cimport contiguity_flags, shape_size

import numpy as np

from array_core._registry import implements

# Copies at least this large release the GIL (as _array's).
cdef Py_ssize_t NOGIL_BYTES = 1 << 16
cdef object _empty = np.empty
cdef object _np_concatenate = np.concatenate
cdef str _SAME_KIND = "same_kind"
cdef dict _REASONS = {
    name: f"{name} always makes a new array"
    for name in ("concatenate", "stack", "hstack", "vstack", "dstack",
                 "column_stack")}


cdef ndarray as_source(object a):
    """``a`` as an array_core array to read from, without copying an array.

    A NumPy array is viewed (its base is the array); anything else goes
    through NumPy's conversion, whose new memory the result owns.
    """
    if isinstance(a, ndarray):
        return <ndarray>a
    if not isinstance(a, np.ndarray):
        a = np.asarray(a)
        resolve_dtype(a.dtype)
        if a.flags.owndata and a.base is None:
            return from_numpy(a, None, True)
        return from_numpy(a, a.base, False)
    resolve_dtype(a.dtype)
    return from_numpy(a, a, False)


cdef object as_target(object out):
    """``out=`` as an array_core array to write into (NumPy's TypeError)."""
    if isinstance(out, ndarray):
        return out
    if isinstance(out, np.ndarray):
        resolve_dtype(out.dtype)
        return from_numpy(out, out, False)
    raise TypeError("'out' must be an array")


cdef void multi_sorted_stride_perm(list pieces, int nd, int* perm) noexcept:
    """The axes, outermost first, in the stride order the pieces agree on.

    NumPy's ``PyArray_CreateMultiSortedStridePerm``: a stable insertion sort
    by |stride|, largest first, where only pieces with neither axis of
    length 1 take part and, when they disagree, C order wins.
    """
    cdef int i0, i1, ipos, ax0, ax1, k
    cdef bint ambiguous, swap
    cdef Py_ssize_t s0, s1
    cdef ndarray p
    for i0 in range(nd):
        perm[i0] = i0
    for i0 in range(1, nd):
        ipos = i0
        ax0 = perm[i0]
        for i1 in range(i0 - 1, -1, -1):
            ambiguous = True
            swap = False
            ax1 = perm[i1]
            for k in range(len(pieces)):
                p = <ndarray>pieces[k]
                if p.dims[ax0] != 1 and p.dims[ax1] != 1:
                    s0 = p.strides_[ax0] if p.strides_[ax0] >= 0 else -p.strides_[ax0]
                    s1 = p.strides_[ax1] if p.strides_[ax1] >= 0 else -p.strides_[ax1]
                    if s0 <= s1:
                        swap = False
                    elif ambiguous:
                        swap = True
                    ambiguous = False
            if not ambiguous:
                if swap:
                    ipos = i1
                else:
                    break
        if ipos != i0:
            for i1 in range(i0, ipos, -1):
                perm[i1] = perm[i1 - 1]
            perm[ipos] = ax0


cdef str join_casting(object casting):
    """``casting=`` of concatenate: NumPy's converter without 'same_value'."""
    if casting == "same_value" or (
            isinstance(casting, str) and casting not in _CASTINGS):
        raise ValueError(f"casting must be one of 'no', 'equiv', 'safe', "
                         f"'same_kind', 'unsafe' (got {casting!r})")
    return parse_casting(casting)


cdef frozenset _CASTINGS = frozenset(["no", "equiv", "safe", "same_kind", "unsafe"])


cdef object last_native = None


cdef bint native(object dtype) except -1:
    """Whether NumPy's promotion keeps ``dtype`` as it is (byte order)."""
    global last_native
    if dtype.isnative:
        last_native = dtype
        return True
    return False


cdef object result_dtype(list pieces, object dtype, object out, str casting):
    """The joined dtype, and NumPy's casting check of every piece to it.

    All pieces of one dtype with no ``dtype=``/``out=`` asked: that dtype.
    Otherwise NumPy decides (promotion, flexible sizes, casting errors) on
    empty stand-ins with the pieces' dtypes.
    """
    cdef ndarray first = <ndarray>pieces[0]
    cdef ndarray p
    cdef object d = first.dtype_
    cdef bint same = True
    for p in pieces:
        if p.dtype_ is not d:
            same = False
            break
    if same and dtype is None and out is None and (d is last_native or native(d)):
        return d
    stand_ins = [_empty(0, (<ndarray>p).dtype_) for p in pieces]
    if out is not None:
        target = _empty(0, (<ndarray>out).dtype_)
        _np_concatenate(stand_ins, out=target, casting=casting)
        return (<ndarray>out).dtype_
    return resolve_dtype(_np_concatenate(stand_ins, dtype=dtype,
                                         casting=casting).dtype)


cdef int copy_piece(ndarray dst, char* dst_data, const Py_ssize_t* dst_strides,
                    ndarray src) except -1:
    """Copy ``src`` into ``dst``'s memory at ``dst_data`` (src's shape,
    ``dst_strides``), with the kernel when the dtypes match."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef int nd, status
    cdef Buffer read
    cdef char* src_data
    if dst.dtype_ is not src.dtype_ and dst.dtype_ != src.dtype_:
        copy_elements(make_view(dst, dst_data, src.nd, src.dims, dst_strides), src)
        return 0
    nd = snapshot_layout(src, shape, src_strides)
    if shape_size(nd, shape) * src.itemsize_ < NOGIL_BYTES:
        if (contiguity_flags(nd, shape, src_strides, src.itemsize_)
                & contiguity_flags(nd, shape, dst_strides, src.itemsize_)
                & FLAG_C_CONTIGUOUS):
            # A small C-ordered piece into a C-ordered run: no kernel plan.
            memmove(dst_data, data_of(src), shape_size(nd, shape) * src.itemsize_)
            return 0
        status = copy_strided(dst_data, dst_strides, data_of(src), src_strides,
                              nd, shape, src.itemsize_)
    else:
        read = begin_read(src.buffer)
        src_data = data_of(src)
        try:
            with nogil:
                status = copy_strided(dst_data, dst_strides, src_data,
                                      src_strides, nd, shape, src.itemsize_)
        finally:
            end_read(read)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return 0


cdef list convert_pieces(object arrays):
    cdef list pieces = []
    if type(arrays) is list or type(arrays) is tuple:
        items = arrays
    elif PySequence_Check(arrays):
        items = list(arrays)
    else:
        raise TypeError("The first input argument needs to be a sequence")
    for a in items:
        pieces.append(a if type(a) is ndarray else as_source(a))
    if not pieces:
        raise ValueError("need at least one array to concatenate")
    return pieces


cdef object join(object arrays, object axis, object out, object dtype,
                 object casting, str operation):
    """``concatenate``, recorded as ``operation`` when it makes a new array."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t rshape[MAX_NDIM]
    cdef Py_ssize_t rstrides[MAX_NDIM]
    cdef int perm[MAX_NDIM]
    cdef int nd, i, k, ax = 0
    cdef bint flat = axis is None
    cdef ndarray first, p, result
    cdef Py_ssize_t step, offset, total, itemsize
    cdef char* base_ptr
    cdef list pieces
    cdef Buffer written = None
    if type(axis) is int and -MAX_NDIM <= <long>axis <= MAX_NDIM:
        ax = axis
    elif not flat:
        ax = axis_as_int(axis, "an integer is required for the axis")
    if dtype is not None:
        dtype = convert_dtype(dtype)
    if casting is not _SAME_KIND:
        casting = join_casting(casting)
    if out is not None and dtype is not None:
        raise TypeError("concatenate() only takes `out` or `dtype` as an "
                        "argument, but both were provided.")
    pieces = convert_pieces(arrays)
    first = <ndarray>pieces[0]
    if flat:
        nd = 1
        total = 0
        for p in pieces:
            total += shape_size(p.nd, p.dims)
        shape[0] = total
    else:
        nd = first.nd
        if nd == 0:
            raise ValueError("zero-dimensional arrays cannot be concatenated")
        ax = normalize_axis(ax, nd, None)
        for i in range(nd):
            shape[i] = first.dims[i]
        for k in range(1, len(pieces)):
            p = <ndarray>pieces[k]
            if p.nd != nd:
                raise ValueError(
                    f"all the input arrays must have same number of dimensions, "
                    f"but the array at index 0 has {nd} dimension(s) and the "
                    f"array at index {k} has {p.nd} dimension(s)")
            for i in range(nd):
                if i == ax:
                    shape[i] += p.dims[i]
                elif p.dims[i] != shape[i]:
                    raise ValueError(
                        f"all the input array dimensions except for the "
                        f"concatenation axis must match exactly, but along "
                        f"dimension {i}, the array at index 0 has size "
                        f"{shape[i]} and the array at index {k} has size "
                        f"{p.dims[i]}")
    given_out = out
    if out is not None:
        out = as_target(out)
        result = <ndarray>out
        if flat:
            if result.nd != 1 or result.dims[0] != shape[0]:
                raise ValueError("Output array is the wrong size")
        else:
            same_shape = result.nd == nd
            for i in range(nd if same_shape else 0):
                if result.dims[i] != shape[i]:
                    same_shape = False
            if not same_shape:
                raise ValueError("Output array is the wrong shape")
        if not result.flags_ & FLAG_WRITEABLE:
            raise ValueError("output array is read-only")
    dtype = result_dtype(pieces, dtype, out, casting)
    if out is None:
        # (the first piece's itemsize is read in C, when it is the dtype's)
        itemsize = first.itemsize_ if dtype is first.dtype_ else dtype.itemsize
        if flat:
            strides[0] = itemsize
        else:
            multi_sorted_stride_perm(pieces, nd, perm)
            step = itemsize
            for i in range(nd - 1, -1, -1):
                strides[perm[i]] = step
                step *= shape[perm[i]]
        if shape_size(nd, shape) == 0:
            memset(strides, 0, nd * sizeof(Py_ssize_t))
        result = allocate_copy(first, nd, shape, ORDER_C, dtype, operation,
                               COPY_EXPLICIT, _REASONS[operation], strides)
    else:
        written = begin_write(result)
    try:
        # The copy hook and NumPy's dtype code ran Python: the pieces (and
        # out) may have been reshaped meanwhile, so they are checked again,
        # and the result's layout is used from a snapshot.
        if snapshot_layout(result, rshape, rstrides) != nd:
            raise ValueError("Output array is the wrong shape")
        for i in range(nd):
            if rshape[i] != shape[i]:
                raise ValueError("Output array is the wrong shape")
        offset = 0
        for p in pieces:
            if flat:
                if shape_size(p.nd, p.dims) > shape[0] - offset:
                    raise ValueError("Output array is the wrong size")
                # The piece's elements in C order, in a run of the result.
                step = rstrides[0]
                for i in range(p.nd - 1, -1, -1):
                    strides[i] = step
                    step *= p.dims[i]
                copy_piece(result, data_of(result) + offset * rstrides[0],
                           strides, p)
                offset += shape_size(p.nd, p.dims)
            else:
                if p.nd != nd or offset + p.dims[ax] > rshape[ax]:
                    raise ValueError("an input array changed shape while "
                                     "it was being concatenated")
                for i in range(nd):
                    if i != ax and p.dims[i] != rshape[i]:
                        raise ValueError("an input array changed shape while "
                                         "it was being concatenated")
                base_ptr = data_of(result) + offset * rstrides[ax]
                copy_piece(result, base_ptr, rstrides, p)
                offset += p.dims[ax]
    finally:
        if written is not None:
            end_write(written)
    return result if given_out is None else given_out


@implements(np.concatenate)
def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join a sequence of arrays along an existing axis, into a new array.

    The result never shares memory with the inputs: each new array is an
    *explicit* copy, which `copy_audit` records as ``concatenate`` (and the
    copy policy never refuses).  It is laid out in the stride order the
    inputs agree on (F-ordered inputs give an F-ordered result, as in NumPy),
    C order when they disagree.

    Parameters
    ----------
    arrays : sequence of array_like
        The arrays, of the same shape except along ``axis``.
    axis : int or None, optional
        The axis to join along (0 by default); None joins the arrays
        flattened in C order.
    out : ndarray, optional
        An array of the result's shape to write into instead of a new one.
    dtype : data-type, optional
        The result's dtype; not together with ``out``.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from the inputs' dtypes are allowed ('same_kind' by
        default).

    Returns
    -------
    ndarray
        The joined array (``out`` when given).

    Raises
    ------
    ValueError
        If ``arrays`` is empty or holds a 0-d array, if the arrays' numbers
        of dimensions differ, if their shapes differ except along ``axis``,
        or if ``out`` has the wrong shape.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds.
    TypeError
        If both ``out`` and ``dtype`` are given, if ``out`` is not an array,
        or if an input cannot be cast under ``casting``.

    See Also
    --------
    stack : Join along a new axis.
    hstack, vstack, dstack, column_stack

    Examples
    --------
    >>> import array_core
    >>> a = array_core.arange(4).reshape(2, 2)
    >>> array_core.concatenate([a, a.T], axis=1)
    array([[0, 1, 0, 2],
           [2, 3, 1, 3]])
    >>> array_core.concatenate([a, a], axis=None)
    array([0, 1, 2, 3, 0, 1, 2, 3])
    >>> f = array_core.asfortranarray(a)
    >>> array_core.concatenate([f, f]).strides  # the inputs' F order is kept
    (8, 32)
    >>> with array_core.copy_audit() as log:
    ...     c = array_core.concatenate([a, a])
    >>> array_core.shares_memory(c, a), [(r.operation, r.nbytes) for r in log]
    (False, [('concatenate', 64)])
    >>> out = array_core.zeros((4, 2))
    >>> array_core.concatenate([a, a], out=out) is out
    True
    """
    return join(arrays, axis, out, dtype, casting, "concatenate")


cdef list sequence_items(object tup):
    """NumPy's ``_arrays_for_stack_dispatcher`` check: a real sequence."""
    if not hasattr(tup, "__getitem__"):
        raise TypeError('arrays to stack must be passed as a "sequence" type '
                        'such as list or tuple.')
    return list(tup)


cdef ndarray at_least(object a, int ndim):
    """``atleast_1d``/``2d``/``3d`` of one input, as views (NumPy's axes)."""
    cdef ndarray x = as_source(a)
    if x.nd >= ndim:
        return x
    if ndim == 1:
        return x.reshape(1)
    if ndim == 2:
        return x.reshape(1, 1) if x.nd == 0 else x[None, :]
    if x.nd == 0:
        return x.reshape(1, 1, 1)
    if x.nd == 1:
        return x[None, :, None]
    return x[:, :, None]


@implements(np.stack)
def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays of the same shape along a new axis, into a new array.

    ``stack(arrays, axis)`` concatenates ``a[..., None, ...]`` views of the
    inputs (the new axis at ``axis``); the result is a new array, an
    *explicit* copy that `copy_audit` records as ``stack``.

    Parameters
    ----------
    arrays : sequence of array_like
        The arrays, all of one shape.
    axis : int, optional
        Where the new axis goes in the result (0 by default; -1 is last).
    out : ndarray, optional
        An array of the result's shape to write into instead.
    dtype : data-type, optional
        The result's dtype; not together with ``out``.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from the inputs' dtypes are allowed ('same_kind' by
        default).

    Returns
    -------
    ndarray
        The stacked array, with one more axis than the inputs.

    Raises
    ------
    ValueError
        If ``arrays`` is empty, or if the arrays' shapes differ.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds for the result.
    TypeError
        If ``arrays`` is not a sequence (a generator, say), or if an input
        cannot be cast under ``casting``.

    See Also
    --------
    concatenate, unstack : The inverse: views of the slices along an axis.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> array_core.stack([x, x * 10])
    array([[ 0,  1,  2],
           [ 0, 10, 20]])
    >>> s = array_core.stack([x, x], axis=1)
    >>> s.shape, array_core.shares_memory(s, x)
    ((3, 2), False)
    """
    cdef ndarray p
    pieces = [as_source(a) for a in sequence_items(arrays)]
    if not pieces:
        raise ValueError("need at least one array to stack")
    shape = (<ndarray>pieces[0]).shape
    for p in pieces:
        if p.shape != shape:
            raise ValueError("all input arrays must have the same shape")
    ax = normalize_axis(axis_as_int(axis, "an integer is required for the axis"),
                        len(shape) + 1, None)
    key = (slice(None),) * ax + (None,)
    return join([p[key] for p in pieces], ax, out, dtype, casting, "stack")


@implements(np.hstack)
def hstack(tup, *, dtype=None, casting="same_kind"):
    """Join arrays horizontally (column-wise), into a new array.

    1-d inputs are joined along axis 0, others along axis 1 (0-d inputs are
    made 1-d first).  The result is an *explicit* copy, recorded by
    `copy_audit` as ``hstack``, even for a single input.

    Parameters
    ----------
    tup : sequence of array_like
        The arrays, of the same shape except along the joined axis.
    dtype : data-type, optional
        The result's dtype.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from the inputs' dtypes are allowed ('same_kind' by
        default).

    Returns
    -------
    ndarray
        The joined array.

    Raises
    ------
    ValueError
        If no array is given, if the arrays' numbers of dimensions differ,
        or if their shapes differ except along the joined axis.
    TypeError
        If ``tup`` is not a sequence (a generator, say), or if an array
        cannot be cast to the result's dtype under ``casting``.

    See Also
    --------
    vstack, dstack, concatenate

    Examples
    --------
    >>> import array_core
    >>> array_core.hstack([array_core.arange(2), array_core.arange(3)])
    array([0, 1, 0, 1, 2])
    >>> a = array_core.arange(4).reshape(2, 2)
    >>> array_core.hstack([a, a])
    array([[0, 1, 0, 1],
           [2, 3, 2, 3]])
    """
    pieces = [at_least(a, 1) for a in sequence_items(tup)]
    ax = 0 if pieces and (<ndarray>pieces[0]).nd == 1 else 1
    return join(pieces, ax, None, dtype, casting, "hstack")


@implements(np.vstack)
def vstack(tup, *, dtype=None, casting="same_kind"):
    """Join arrays vertically (row-wise), into a new array.

    Inputs of fewer than 2 dimensions become rows (``atleast_2d`` views),
    then all are joined along axis 0.  The result is an *explicit* copy,
    recorded by `copy_audit` as ``vstack``.

    Parameters
    ----------
    tup : sequence of array_like
        The arrays, of the same shape except along axis 0.
    dtype : data-type, optional
        The result's dtype.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from the inputs' dtypes are allowed ('same_kind' by
        default).

    Returns
    -------
    ndarray
        The joined array, at least 2-d.

    Raises
    ------
    ValueError
        If no array is given, if the arrays' numbers of dimensions differ,
        or if their shapes differ except along the joined axis.
    TypeError
        If ``tup`` is not a sequence (a generator, say), or if an array
        cannot be cast to the result's dtype under ``casting``.

    See Also
    --------
    hstack, dstack, concatenate, stack

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> array_core.vstack([x, x])
    array([[0, 1, 2],
           [0, 1, 2]])
    >>> with array_core.copy_audit() as log:
    ...     v = array_core.vstack([x])
    >>> v.shape, [(r.operation, r.category) for r in log]
    ((1, 3), [('vstack', 'explicit')])
    """
    pieces = [at_least(a, 2) for a in sequence_items(tup)]
    return join(pieces, 0, None, dtype, casting, "vstack")


@implements(np.dstack)
def dstack(tup):
    """Join arrays depth-wise, along a third axis, into a new array.

    Each input is made at least 3-d first (as `atleast_3d` views: a 1-d
    array of ``N`` becomes ``(1, N, 1)``, a 2-d one ``(M, N, 1)``), then all
    are joined along axis 2.  The result is an *explicit* copy, recorded by
    `copy_audit` as ``dstack``.

    Parameters
    ----------
    tup : sequence of array_like
        The arrays, of the same shape except along axis 2 (after
        ``atleast_3d``).

    Returns
    -------
    ndarray
        The joined array, at least 3-d.

    Raises
    ------
    ValueError
        If no array is given, or if the shapes differ except along axis 2.
    TypeError
        If ``tup`` is not a sequence (a generator, say).

    See Also
    --------
    hstack, vstack, concatenate, stack

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(2)
    >>> array_core.dstack([x, x * 10])
    array([[[ 0,  0],
            [ 1, 10]]])
    >>> a = array_core.arange(4).reshape(2, 2)
    >>> array_core.dstack([a, a]).shape
    (2, 2, 2)
    """
    pieces = [at_least(a, 3) for a in sequence_items(tup)]
    return join(pieces, 2, None, None, "same_kind", "dstack")


@implements(np.column_stack)
def column_stack(tup):
    """Join 1-d arrays as the columns of a 2-d array, into a new array.

    1-d (and 0-d) inputs become columns, 2-d ones are used as they are; all
    are joined along axis 1.  The result is an *explicit* copy, recorded by
    `copy_audit` as ``column_stack``.

    Parameters
    ----------
    tup : sequence of array_like
        The arrays, with the same number of rows.

    Returns
    -------
    ndarray
        The 2-d result.

    Raises
    ------
    ValueError
        If no array is given, or if the arrays' lengths (numbers of rows)
        differ.
    TypeError
        If ``tup`` is not a sequence (a generator, say).

    See Also
    --------
    hstack, stack, concatenate

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> array_core.column_stack([x, x * 10])
    array([[ 0,  0],
           [ 1, 10],
           [ 2, 20]])
    """
    cdef ndarray x
    pieces = []
    for a in sequence_items(tup):
        x = as_source(a)
        if x.nd < 2:
            x = x.reshape(1, -1).T
        pieces.append(x)
    return join(pieces, 1, None, None, "same_kind", "column_stack")
