# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Repeating elements: ``repeat``, ``tile``, ``resize`` (and ``ndarray.resize``).

NumPy's ``PyArray_Repeat``, ``numpy/lib/_shape_base_impl.py`` (``tile``) and
``numpy/_core/fromnumeric.py`` (``resize``).  Each result is a new array made
at the copy choke point (an explicit copy) and filled by the strided copy
kernel: a repetition is a source axis of stride 0, so ``repeat`` by a scalar
and ``tile`` are each one kernel call.
"""
from libc.string cimport memcpy, memset

from array_core._typedefs cimport (
    MAX_NDIM, FLAG_OWNDATA, FLAG_WRITEABLE, FLAG_ALIGNED, FLAG_C_CONTIGUOUS,
    ORDER_C, ORDER_K,
)
from array_core._array cimport (
    ndarray, allocate_copy, copy_array, copy_elements, make_view, new_array,
    allocate_array_buffer,
    normalize_axis, axis_as_int, data_of, snapshot_layout, begin_read, end_read,
    reserve_dims, COPY_EXPLICIT,
)
from array_core._buffer cimport Buffer
from array_core._copy cimport copy_contiguous, copy_strided
from array_core._layout cimport (
    shape_size, fill_contiguous_strides, contiguity_flags, convert_shape,
)

from operator import index as operator_index

import numpy as np

from array_core._joining cimport as_source
from array_core._selection cimport stand_in_of

from array_core._array import _install_methods
from array_core._creation import array as array_with_ndmin
from array_core._registry import implements
from array_core._selection import take

cdef Py_ssize_t NOGIL_BYTES = 1 << 16
cdef object _intp = np.dtype(np.intp)
cdef object _C_LONG_MAX = 2**63 - 1


cdef int run_copy(char* dst, const Py_ssize_t* dst_strides, ndarray src,
                  Py_ssize_t src_offset, const Py_ssize_t* src_strides, int nd,
                  const Py_ssize_t* shape) except -1:
    """The kernel's copy from ``src``'s memory (at ``src_offset`` bytes from
    its first element) into fresh memory at ``dst``; GIL released when big."""
    cdef int status
    cdef Buffer read
    cdef char* src_data
    if shape_size(nd, shape) * src.itemsize_ < NOGIL_BYTES:
        status = copy_strided(dst, dst_strides, data_of(src) + src_offset,
                              src_strides, nd, shape, src.itemsize_)
    else:
        read = begin_read(src.buffer)
        src_data = data_of(src) + src_offset
        try:
            with nogil:
                status = copy_strided(dst, dst_strides, src_data, src_strides,
                                      nd, shape, src.itemsize_)
        finally:
            end_read(read)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return 0


cdef void repeat_elements(char* dst, const char* src, Py_ssize_t n,
                          Py_ssize_t itemsize, Py_ssize_t count) noexcept nogil:
    """Each of ``n`` contiguous elements at ``src`` ``count`` times at ``dst``.

    NumPy's repeat also copies by element size: a fixed-size memcpy is one
    load and ``count`` stores, where the strided kernel would run an inner
    loop of ``count`` for every element.
    """
    cdef Py_ssize_t i, _
    cdef const char* p
    if itemsize == 8:
        for i in range(n):
            p = src + i * 8
            for _ in range(count):
                memcpy(dst, p, 8)
                dst += 8
    elif itemsize == 4:
        for i in range(n):
            p = src + i * 4
            for _ in range(count):
                memcpy(dst, p, 4)
                dst += 4
    elif itemsize == 16:
        for i in range(n):
            p = src + i * 16
            for _ in range(count):
                memcpy(dst, p, 16)
                dst += 16
    elif itemsize == 1:
        for i in range(n):
            memset(dst, src[i], count)
            dst += count
    else:
        for i in range(n):
            p = src + i * itemsize
            for _ in range(count):
                memcpy(dst, p, itemsize)
                dst += itemsize


cdef int repeat_dense(char* dst, ndarray src, Py_ssize_t n,
                      Py_ssize_t count) except -1:
    """``repeat_elements`` from ``src``'s memory; GIL released when big."""
    cdef Buffer read
    cdef const char* src_data
    cdef Py_ssize_t itemsize = src.itemsize_
    if n * count * itemsize < NOGIL_BYTES:
        repeat_elements(dst, data_of(src), n, itemsize, count)
        return 0
    read = begin_read(src.buffer)
    src_data = data_of(src)
    try:
        with nogil:
            repeat_elements(dst, src_data, n, itemsize, count)
    finally:
        end_read(read)
    return 0


cdef ndarray repeat_each(ndarray src, int ax, bint flat, Py_ssize_t count):
    """Every element (or slice along ``ax``) of ``src`` ``count`` times."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef Py_ssize_t out_shape[MAX_NDIM]
    cdef Py_ssize_t view_shape[MAX_NDIM]
    cdef Py_ssize_t view_dst[MAX_NDIM]
    cdef Py_ssize_t view_src[MAX_NDIM]
    cdef int nd = snapshot_layout(src, shape, src_strides), i, k, out_nd
    cdef ndarray result
    if nd >= MAX_NDIM:
        raise ValueError(f"repeat supports arrays of at most {MAX_NDIM - 1} "
                         f"dimensions")
    if flat:
        ax = nd - 1
        out_nd = 1
        out_shape[0] = shape_size(nd, shape) * count
    else:
        out_nd = nd
        for i in range(nd):
            out_shape[i] = shape[i] * count if i == ax else shape[i]
    result = allocate_copy(src, out_nd, out_shape, ORDER_C, src.dtype_, "repeat",
                           COPY_EXPLICIT, "repeat always makes a new array")
    if shape_size(out_nd, out_shape) == 0:
        return result
    if (flat or ax == nd - 1) and (contiguity_flags(
            nd, shape, src_strides, src.itemsize_) & FLAG_C_CONTIGUOUS):
        # Each element in turn, repeated (the common case).
        repeat_dense(data_of(result), src, shape_size(nd, shape), count)
        return result
    # The result seen with the repetitions as an axis of their own, right
    # after ``ax``; the source reads it with stride 0.
    k = 0
    for i in range(nd):
        view_shape[k] = shape[i]
        view_src[k] = src_strides[i]
        k += 1
        if i == ax:
            view_shape[k] = count
            view_src[k] = 0
            k += 1
    if nd == 0:
        view_shape[0] = count
        view_src[0] = 0
        k = 1
    fill_contiguous_strides(k, view_shape, src.itemsize_, False, view_dst)
    run_copy(data_of(result), view_dst, src, 0, view_src, k, view_shape)
    return result


@implements(np.repeat)
def repeat(a, repeats, axis=None):
    """Repeat each element of an array, into a new array.

    The result is always new, even with one repetition: an *explicit* copy,
    which `copy_audit` records as ``repeat``.

    Parameters
    ----------
    a : array_like
        The input array.
    repeats : int or array_like of int
        How many times to repeat each element: one count for all, or one
        per element along ``axis`` (broadcast to that length).
    axis : int, optional
        The axis to repeat along; by default ``a`` is flattened (C order)
        and the result is 1-d.

    Returns
    -------
    ndarray
        A new array, of ``a``'s shape except along ``axis``.

    Raises
    ------
    ValueError
        If a count is negative, or if ``repeats`` does not broadcast to
        the length of the axis.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds.

    See Also
    --------
    tile : Repeat the whole array.
    ndarray.repeat

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(4).reshape(2, 2)
    >>> array_core.repeat(x, 2)
    array([0, 0, 1, 1, 2, 2, 3, 3])
    >>> array_core.repeat(x, [1, 2], axis=0)
    array([[0, 1],
           [2, 3],
           [2, 3]])
    >>> with array_core.copy_audit() as log:
    ...     r = array_core.repeat(x, 1)
    >>> array_core.shares_memory(r, x), [(q.operation, q.category) for q in log]
    (False, [('repeat', 'explicit')])
    """
    cdef ndarray src = as_source(a)
    cdef int ax = 0
    cdef bint flat = axis is None
    if isinstance(repeats, ndarray):
        repeats = np.asarray(repeats)
    if src.nd == 0 and not flat:
        src = src.reshape(1)  # NumPy repeats a 0-d array as its ravel
    if not flat:
        ax = normalize_axis(axis_as_int(axis, "an integer is required for the axis"),
                            src.nd, None)
    length = shape_size(src.nd, src.dims) if flat else src.dims[ax]
    if type(repeats) is int and -_C_LONG_MAX <= repeats * length <= _C_LONG_MAX:
        if repeats < 0 and length:
            raise ValueError("negative dimensions are not allowed")
        return repeat_each(src, ax, flat, repeats)
    # NumPy checks the counts (conversion, broadcasting, signs) on a stand-in
    # whose only axis is the one repeated along.
    stand_in_of((length,)).repeat(repeats)
    counts = np.array(repeats, dtype=_intp).reshape(-1)
    if counts.size == 1:
        return repeat_each(src, ax, flat, counts[0])
    positions = np.repeat(np.arange(length), counts)
    result = take(src, positions, None if flat else ax)
    return result


@implements(np.tile)
def tile(A, reps):
    """Repeat a whole array the given number of times along each axis.

    When ``reps`` has more entries than ``A`` has axes, ``A`` gets leading
    length-1 axes; when fewer, ``reps`` gets leading 1s.  The result is new
    (an *explicit* copy, recorded by `copy_audit` as ``tile``), even when
    every count is 1.  As in NumPy, it is a reshaped view of the new memory,
    so its ``base`` is not None.

    Parameters
    ----------
    A : array_like
        The array to repeat.
    reps : int or sequence of int
        The number of repetitions along each axis.

    Returns
    -------
    ndarray
        The tiled array, with ``max(A.ndim, len(reps))`` axes.

    Raises
    ------
    ValueError
        If a count in ``reps`` is negative.
    TypeError
        If ``reps`` holds something other than integers.

    See Also
    --------
    repeat : Repeat each element.
    broadcast_to : Repeat without copying, as a read-only view.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(3)
    >>> array_core.tile(x, 2)
    array([0, 1, 2, 0, 1, 2])
    >>> array_core.tile(x, (2, 1))
    array([[0, 1, 2],
           [0, 1, 2]])
    >>> t = array_core.tile(x, 1)
    >>> array_core.shares_memory(t, x)
    False
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t owner_shape[2]
    cdef Py_ssize_t out_strides[MAX_NDIM]
    cdef Py_ssize_t view_shape[MAX_NDIM]
    cdef Py_ssize_t view_dst[MAX_NDIM]
    cdef Py_ssize_t view_src[MAX_NDIM]
    cdef ndarray c, owner
    cdef int nd, i, k
    cdef Py_ssize_t size, n, t, rows, step
    try:
        tup = tuple(reps)
    except TypeError:
        tup = (reps,)
    c = as_source(A)
    if all([r == 1 for r in tup]) and not isinstance(A, (ndarray, np.ndarray)):
        # NumPy: a view of the array it converted the input to.
        if c.nd < len(tup):
            c = array_with_ndmin(c, copy=None, ndmin=len(tup))
        return c.reshape(c.shape)
    if all([r == 1 for r in tup]):
        # NumPy's array(A, copy=True, ndmin=len(reps)): a view of the copy
        # when axes are prepended.
        c = copy_array(c, ORDER_K, None, "tile", COPY_EXPLICIT,
                       "tile always makes a new array")
        if c.nd < len(tup):
            # (ndmin's prepended axes, as NumPy's array(..., ndmin=d))
            return array_with_ndmin(c, copy=None, ndmin=len(tup))
        return c
    if c.nd < len(tup):
        c = array_with_ndmin(c, copy=None, ndmin=len(tup))
    elif c.nd > len(tup):
        tup = (1,) * (c.nd - len(tup)) + tup
    shape_out = tuple([s * r for s, r in zip(c.shape, tup)])
    if np.prod(shape_out, dtype=object) > _C_LONG_MAX:
        # Too many elements: NumPy's own error (its sizes wrap).
        np.tile(stand_in_of(c.shape), tup)
    nd = snapshot_layout(c, shape, strides)
    size = shape_size(nd, shape)
    if size == 0:
        return c.reshape(shape_out)
    # NumPy's tile returns a view of its last repetition, a 2-d array.
    n = size
    rows = size
    for i in range(nd):
        t = tup[i]
        if t != 1:
            rows *= t
            owner_shape[0] = rows // n
            owner_shape[1] = n
        n //= shape[i]
    owner = allocate_copy(c, 2, owner_shape, ORDER_C, c.dtype_, "tile",
                          COPY_EXPLICIT, "tile always makes a new array")
    # The result seen as (reps, length) pairs of axes, read with stride 0
    # along each repetition.
    step = c.itemsize_
    for i in range(nd - 1, -1, -1):
        out_strides[i] = step
        step *= shape[i] * <Py_ssize_t>tup[i]
    k = 0
    for i in range(nd):
        t = tup[i]
        if t != 1:
            if k >= MAX_NDIM:
                raise ValueError(f"tile supports at most {MAX_NDIM} repeated "
                                 f"and plain axes together")
            view_shape[k] = t
            view_dst[k] = out_strides[i] * shape[i]
            view_src[k] = 0
            k += 1
        if k >= MAX_NDIM:
            raise ValueError(f"tile supports at most {MAX_NDIM} repeated "
                             f"and plain axes together")
        view_shape[k] = shape[i]
        view_dst[k] = out_strides[i]
        view_src[k] = strides[i]
        k += 1
    run_copy(data_of(owner), view_dst, c, 0, view_src, k, view_shape)
    return owner.reshape(shape_out)


@implements(np.resize)
def resize(a, new_shape):
    """Return a new array of the given shape filled with the input's elements, cycled.

    The elements are read in C order and cycled until the new array is
    full; an empty input (or shape) gives zeros.  The result is a new array
    (an *explicit* copy, recorded by `copy_audit` as ``resize``), never a
    view of ``a``, and ``a`` itself is unchanged (see `ndarray.resize` to
    resize in place).

    Parameters
    ----------
    a : array_like
        The array to read the elements from.
    new_shape : int or sequence of int
        The shape of the result.

    Returns
    -------
    ndarray
        The new array, a reshaped view of its own new memory.

    Raises
    ------
    ValueError
        If a length in ``new_shape`` is negative.
    TypeError
        If ``new_shape`` is not an integer or a sequence of them.

    See Also
    --------
    tile, reshape, ndarray.resize

    Notes
    -----
    The copy recorded is of whole repetitions of ``a`` (``resize(arange(3),
    (2, 4))`` records 9 elements, 72 bytes), of which the result views the
    first 8.

    Examples
    --------
    >>> import array_core
    >>> array_core.resize(array_core.arange(3), (2, 4))
    array([[0, 1, 2, 0],
           [1, 2, 0, 1]])
    >>> array_core.resize(array_core.arange(3), 2)
    array([0, 1])
    >>> with array_core.copy_audit() as log:
    ...     r = array_core.resize(array_core.arange(3), (2, 4))
    >>> [(q.operation, q.category, q.nbytes) for q in log]
    [('resize', 'explicit', 72)]
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef Py_ssize_t total, size, done, chunk
    new_size = 1
    cdef ndarray src = as_source(a)
    cdef ndarray big
    cdef int nd
    cdef char* p
    if isinstance(new_shape, (int, np.integer)):
        new_shape = (new_shape,)
    for length in new_shape:
        new_size *= length
        if length < 0:
            raise ValueError("all elements of `new_shape` must be non-negative")
    nd = snapshot_layout(src, shape, strides)
    size = shape_size(nd, shape)
    if size == 0 or new_size == 0:
        return zeros_of(new_shape, src.dtype_)
    if new_size > _C_LONG_MAX - size:
        raise MemoryError()
    total = ((new_size + size - 1) // size) * size
    # NumPy's resize concatenates: the dtype comes out in native byte order.
    dtype = src.dtype_ if src.dtype_.isnative else np.concatenate(
        [np.empty(0, src.dtype_)]).dtype
    big = allocate_copy(src, 1, &total, ORDER_C, dtype, "resize",
                        COPY_EXPLICIT, "resize always makes a new array")
    fill_contiguous_strides(nd, shape, src.itemsize_, False, dst_strides)
    p = data_of(big)
    if dtype is not src.dtype_:
        copy_elements(make_view(big, p, nd, shape, dst_strides), src)
    else:
        run_copy(p, dst_strides, src, 0, strides, nd, shape)
    # Then the first copy doubled until the array is full.
    done = size * src.itemsize_
    total *= src.itemsize_
    with nogil:
        while done < total:
            chunk = done if done <= total - done else total - done
            copy_contiguous(p + done, p, chunk)
            done += chunk
    return big[:new_size].reshape(new_shape)


cdef ndarray zeros_of(object shape, object dtype):
    """A new C-ordered array of zeros (a creation: nothing is copied)."""
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd = convert_shape(shape, dims)
    cdef Py_ssize_t nbytes = shape_size(nd, dims) * dtype.itemsize
    cdef Buffer buf = allocate_array_buffer(nd, dims, dtype, nbytes)
    if nbytes:
        fill_contiguous_strides(nd, dims, dtype.itemsize, False, strides)
        memset(buf.ptr, 0, nbytes)
    else:
        memset(strides, 0, nd * sizeof(Py_ssize_t))
    return new_array(buf, buf.ptr, nd, dims, strides, dtype, None,
                     FLAG_OWNDATA | FLAG_WRITEABLE)


_REFERENCED = (
    "cannot resize an array that references or is referenced\n"
    "by another object in this way.\n"
    "Use the np.resize function to get a new resized copy or\n"
    " set refcheck=False to disable this check")


def resize_in_place(ndarray a, tuple args, refcheck, Py_ssize_t other_refs):
    """``a.resize(*args, refcheck=refcheck)``: NumPy's ``PyArray_Resize``.

    New memory comes from the copy choke point (recorded as ``resize``) and
    replaces ``a``'s; an array with live buffer exports is refused, since
    an export points at the memory being replaced.
    """
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t old_bytes, new_bytes, step
    cdef int nd, i
    cdef ndarray fresh
    cdef Buffer buf
    if not args or (len(args) == 1 and args[0] is None):
        return None
    new_shape = args[0] if len(args) == 1 else args
    if isinstance(new_shape, (int, np.integer)):
        new_shape = (new_shape,)
    try:
        lengths = [operator_index(n) for n in new_shape]
    except TypeError:
        raise TypeError(f"expected a sequence of integers or a single "
                        f"integer, got '{new_shape}'") from None
    nd = len(lengths)
    if nd > MAX_NDIM:
        raise ValueError(f"maximum supported dimension for an ndarray is "
                         f"currently {MAX_NDIM}, found {nd}")
    for i in range(nd):
        dims[i] = lengths[i]
        if dims[i] < 0:
            raise ValueError("negative dimensions not allowed")
    if not a.flags_ & FLAG_OWNDATA or a.base_ is not None:
        raise ValueError("cannot resize this array: it does not own its data")
    old_bytes = shape_size(a.nd, a.dims) * a.itemsize_
    new_bytes = shape_size(nd, dims) * a.itemsize_
    if old_bytes != new_bytes:
        if not a.flags_ & FLAG_C_CONTIGUOUS:
            raise ValueError("resize only works on single-segment arrays")
        if refcheck and other_refs > 0:
            raise ValueError(_REFERENCED)
        buf = a.buffer
        if buf.writable_exports or buf.pinned_exports or buf.readers:
            raise ValueError("cannot resize an array with exported buffers")
        fresh = allocate_copy(a, nd, dims, ORDER_C, a.dtype_, "resize",
                              COPY_EXPLICIT, "resize makes the array new memory")
        copy_contiguous(fresh.buffer.ptr, data_of(a),
                        old_bytes if old_bytes < new_bytes else new_bytes)
        if new_bytes > old_bytes:
            memset(fresh.buffer.ptr + old_bytes, 0, new_bytes - old_bytes)
        a.buffer = fresh.buffer
        a.offset = 0
    # C strides; an empty axis counts as length 1 (NumPy's fill_strides).
    step = a.itemsize_
    for i in range(nd - 1, -1, -1):
        strides[i] = step
        step *= dims[i] if dims[i] else 1
    if nd != a.nd:
        reserve_dims(a, nd)
    for i in range(nd):
        a.dims[i] = dims[i]
        a.strides_[i] = strides[i]
    a.flags_ = ((a.flags_ & (FLAG_OWNDATA | FLAG_WRITEABLE | FLAG_ALIGNED))
                | contiguity_flags(nd, dims, strides, a.itemsize_))
    a.shape_cache = None
    a.strides_cache = None
    return None


_install_methods(repeat=repeat, resize=resize_in_place)
