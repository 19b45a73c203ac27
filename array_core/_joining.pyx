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

from array_core._typedefs cimport MAX_NDIM, FLAG_WRITEABLE, ORDER_C
from array_core._array cimport (
    ndarray, allocate_copy, copy_elements, make_view, from_numpy, resolve_dtype,
    normalize_axis, axis_as_int, convert_dtype, parse_casting, data_of,
    snapshot_layout, begin_write, end_write, begin_read, end_read,
    COPY_EXPLICIT,
)
from array_core._buffer cimport Buffer
from array_core._copy cimport copy_strided
from array_core._layout cimport shape_size

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


cdef inline bint same_dense_run(int nd, const Py_ssize_t* shape,
                                const Py_ssize_t* src_strides,
                                const Py_ssize_t* dst_strides,
                                Py_ssize_t itemsize) noexcept:
    """Whether both layouts are the C-ordered dense run of ``shape``."""
    cdef Py_ssize_t expected = itemsize
    cdef int i
    for i in range(nd - 1, -1, -1):
        if shape[i] != 1:
            if src_strides[i] != expected or dst_strides[i] != expected:
                return False
            expected *= shape[i]
    return True


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
        if same_dense_run(nd, shape, src_strides, dst_strides, src.itemsize_):
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

    ``axis=None`` joins the arrays flattened (C order).  The result is laid
    out in the stride order the inputs share (C order when they disagree),
    as NumPy's; ``out`` receives it instead when given.  Each new array is
    an explicit copy, recorded by ``copy_audit`` as ``concatenate``.

    Parameters
    ----------
    arrays : sequence of array_like
        Arrays of the same shape except along ``axis``.
    axis : int or None, optional
        The axis to join along (default 0).
    out : ndarray, optional
        The array to write the result into (its shape must be right).
    dtype : dtype, optional
        The result's dtype (not together with ``out``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from the inputs' dtypes are allowed.

    Returns
    -------
    ndarray
        The joined array (``out`` when given).

    Examples
    --------
    >>> import array_core
    >>> a = array_core.arange(4).reshape(2, 2)
    >>> array_core.concatenate([a, a]).tolist()
    [[0, 1], [2, 3], [0, 1], [2, 3]]
    >>> array_core.concatenate([a, a], axis=None).tolist()
    [0, 1, 2, 3, 0, 1, 2, 3]
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
    """Join arrays of one shape along a new axis, into a new array.

    Parameters
    ----------
    arrays : sequence of array_like
        Arrays of the same shape.
    axis : int, optional
        Where the new axis goes in the result (default 0).
    out : ndarray, optional
        The array to write the result into.
    dtype : dtype, optional
        The result's dtype (not together with ``out``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts from the inputs' dtypes are allowed.

    Returns
    -------
    ndarray
        The stacked array, one more axis than the inputs.

    Examples
    --------
    >>> import array_core
    >>> a = array_core.arange(3)
    >>> array_core.stack([a, a], axis=1).tolist()
    [[0, 0], [1, 1], [2, 2]]
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
    """Join arrays column-wise: along axis 1, or axis 0 for 1-d inputs.

    Examples
    --------
    >>> import array_core
    >>> array_core.hstack([array_core.arange(2), array_core.arange(3)]).tolist()
    [0, 1, 0, 1, 2]
    """
    pieces = [at_least(a, 1) for a in sequence_items(tup)]
    ax = 0 if pieces and (<ndarray>pieces[0]).nd == 1 else 1
    return join(pieces, ax, None, dtype, casting, "hstack")


@implements(np.vstack)
def vstack(tup, *, dtype=None, casting="same_kind"):
    """Join arrays row-wise (1-d inputs become rows), along axis 0.

    Examples
    --------
    >>> import array_core
    >>> array_core.vstack([array_core.arange(2), array_core.arange(2)]).tolist()
    [[0, 1], [0, 1]]
    """
    pieces = [at_least(a, 2) for a in sequence_items(tup)]
    return join(pieces, 0, None, dtype, casting, "vstack")


@implements(np.dstack)
def dstack(tup):
    """Join arrays depth-wise, along a third axis (``atleast_3d`` first).

    Examples
    --------
    >>> import array_core
    >>> array_core.dstack([array_core.arange(2), array_core.arange(2)]).shape
    (1, 2, 2)
    """
    pieces = [at_least(a, 3) for a in sequence_items(tup)]
    return join(pieces, 2, None, None, "same_kind", "dstack")


@implements(np.column_stack)
def column_stack(tup):
    """Join 1-d arrays as columns (and 2-d arrays as they are) along axis 1.

    Examples
    --------
    >>> import array_core
    >>> array_core.column_stack([array_core.arange(2), array_core.arange(2)]).tolist()
    [[0, 0], [1, 1]]
    """
    cdef ndarray x
    pieces = []
    for a in sequence_items(tup):
        x = as_source(a)
        if x.nd < 2:
            x = x.reshape(1, -1).T
        pieces.append(x)
    return join(pieces, 1, None, None, "same_kind", "column_stack")
