# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Indexing plans and the gather/scatter kernels.

A basic key (integers, slices, ``...``, ``None`` and tuples of these) becomes
a byte offset plus a new shape and strides: a view.  A key holding arrays,
lists or booleans is advanced: ``plan_advanced_index`` normalises it once
into an ``AdvancedPlan`` (NumPy's ``prepare_index`` + ``mapiter_fill_info``):
the result is ``outer + broadcast index shape + inner`` axes, where the
index axes stay in place when the advanced indices are adjacent and go first
otherwise.  ``run_gather`` / ``run_scatter`` then copy elements between the
indexed array and a result (or value) buffer.  Every index is checked before
a kernel runs, so a bad index never leaves a half-written target.

This module knows nothing of ``ndarray``: it takes shapes, strides and
pointers.  Messages follow NumPy's word for word.
"""
from cpython.slice cimport PySlice_Check
from cpython.long cimport PyLong_CheckExact
from cpython.tuple cimport PyTuple_Check, PyTuple_GET_SIZE, PyTuple_GET_ITEM
from cpython.list cimport PyList_GET_SIZE, PyList_GET_ITEM
from cpython.buffer cimport (
    PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE, PyBUF_RECORDS_RO,
)
from cpython.number cimport PyNumber_Index
from cpython.ref cimport PyObject
from cpython.pycapsule cimport PyCapsule_GetPointer
from libc.string cimport memcpy, memmove, memset
from libc.stdlib cimport malloc, free
from libc.stdint cimport uintptr_t
from array_core._prefetch cimport (
    AC_PREFETCH, AC_PREFETCH_WRITE, PREFETCH_SPAN, item_address,
)
from array_core._typedefs cimport (
    MAX_NDIM, unaligned_u8, unaligned_u16, unaligned_u32, unaligned_u64,
    unaligned_item16, wrap_add, wrap_mul,
)
from array_core._layout cimport coalesce_axes
from array_core._copy cimport copy_block
from array_core._odometer cimport odometer_next
from array_core._threads cimport parallel_range, threads_for
from array_core._numpy_abi cimport ac_numpy_array, ac_numpy_descr

import numpy as np

cdef extern from "_compress_kernels.h" nogil:
    bint array_core_compress_has_avx2() noexcept
    Py_ssize_t array_core_count_nonzero_avx2(const char* mask, Py_ssize_t n) noexcept
    Py_ssize_t array_core_compress8_avx2(char* dst, const char* src, const char* mask,
                                         Py_ssize_t n, Py_ssize_t room,
                                         Py_ssize_t* kept) noexcept
    Py_ssize_t array_core_compress4_avx2(char* dst, const char* src, const char* mask,
                                         Py_ssize_t n, Py_ssize_t room,
                                         Py_ssize_t* kept) noexcept

# Checked once at import (which also fills the kernels' lane tables).
cdef bint CPU_COMPRESS_AVX2 = array_core_compress_has_avx2()
cdef bint HAVE_COMPRESS_AVX2 = CPU_COMPRESS_AVX2


def _configure_compress(simd=None):
    """Test hook: ``simd=False`` keeps mask counts and compresses on the
    scalar loops (``True``: the AVX2 kernels where the CPU has them); returns the old
    setting as keyword arguments.  Not thread-safe."""
    global HAVE_COMPRESS_AVX2
    old = {"simd": bool(HAVE_COMPRESS_AVX2)}
    if simd is not None:
        HAVE_COMPRESS_AVX2 = bool(simd) and CPU_COMPRESS_AVX2
    return old


cdef extern from "Python.h":
    int PySlice_Unpack(object slice, Py_ssize_t* start, Py_ssize_t* stop,
                       Py_ssize_t* step) except -1
    Py_ssize_t PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t* start,
                                     Py_ssize_t* stop,
                                     Py_ssize_t step) noexcept nogil

INVALID_INDEX_MESSAGE = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
    "and integer or boolean arrays are valid indices")
NON_INTEGER_ARRAY_MESSAGE = (
    "arrays used as indices must be of integer (or boolean) type")

# What one entry of a key is.
cdef enum:
    ENTRY_INTEGER = 0
    ENTRY_SLICE = 1
    ENTRY_NEWAXIS = 2
    ENTRY_ELLIPSIS = 3
    ENTRY_ADVANCED = 4   # basic planner: hand the key to the advanced planner
    ENTRY_ARRAY = 5      # an integer index array (or a parsed list)
    ENTRY_MASK = 6       # a boolean array of ndim >= 1
    ENTRY_BOOL0D = 7     # True/False or a 0-d boolean: a new axis of 1 or 0
    ENTRY_SCALAR_ARRAY = 8  # a 0-d integer array: an integer that forces a copy

cdef object _intp = np.dtype(np.intp)
cdef object _bool_scalar = np.bool_
cdef object _ndarray = np.ndarray
# Types that count as arrays for the messages (NumPy's PyArray_Check); the
# array module registers its own class here.
cdef tuple _array_types = (np.ndarray,)
# The registered class itself, for exact-type tests that skip isinstance
# (which looks up ``__class__`` on every miss).
cdef object _registered_type = np.ndarray
cdef Py_ssize_t ZERO_INDEX[1]
ZERO_INDEX[0] = 0


cdef array_probe_t registered_probe = NULL


def register_array_type(cls, probe_capsule=None):
    """Make ``cls`` instances count as arrays (not array-likes) in keys.

    ``probe_capsule`` may hold an ``array_probe_t`` that reads such an array
    in place (pointer, ndim, shape) when it is an intp or bool index.
    """
    global _array_types, registered_probe, _registered_type
    _array_types = (np.ndarray, cls)
    _registered_type = cls
    if probe_capsule is not None:
        registered_probe = <array_probe_t>PyCapsule_GetPointer(probe_capsule, NULL)


cdef str numpy_shape(tuple shape):
    """A shape as NumPy's messages print it: ``(2,3)``, ``(2,)``, ``()``."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ",".join([str(n) for n in shape]) + ")"


# ------------------------------------------------------------------ basic keys

cdef int fast_probe(object item) except -1:
    """PROBE_INTP / PROBE_BOOL when ``item`` is an index array read in place."""
    cdef const char* ptr
    cdef int nd
    cdef Py_ssize_t shape[MAX_NDIM]
    if type(item) is _ndarray:
        return probe_index_array(item, &ptr, &nd, shape)
    if registered_probe != NULL:
        return registered_probe(item, &ptr, &nd, shape)
    return PROBE_NONE


OVERFLOW_MESSAGE = "Python int too large to convert to C long"


cdef int raise_integer_overflow(object item) except -1:
    """NumPy's error for an integer index beyond intp: an integer that fits
    uint64 becomes a uint64 array whose conversion overflows; any other
    (an object array) is not a valid index."""
    if 0 < item < 2**64:
        raise OverflowError(OVERFLOW_MESSAGE)
    raise IndexError(INVALID_INDEX_MESSAGE)


cdef int scalar_array_value(object arr, Py_ssize_t* value) except -1:
    """The intp value of a 0-d integer array (OverflowError beyond intp)."""
    cdef bint fits = True
    try:
        value[0] = int(arr)
    except OverflowError:
        fits = False
    if not fits:   # (raised outside the handler: no context, as NumPy's)
        raise OverflowError(OVERFLOW_MESSAGE)
    return 0


cdef object integer_or_none(object item):
    """``operator.index(item)``, or None when that raises anything: NumPy
    clears the error and converts the object as an array instead."""
    try:
        return PyNumber_Index(item)
    except Exception:   # noqa: BLE001 - NumPy's PyErr_Clear
        return None


cdef inline bint is_array_type(object item) noexcept:
    """Whether ``item`` is exactly a NumPy or the registered array (an
    array type, not a bool): the common case, without isinstance."""
    return type(item) is _ndarray or type(item) is _registered_type


cdef int classify_other(object item, int nd, Py_ssize_t* value) except -1:
    """Kind of an entry that is not an int, slice, None or Ellipsis."""
    if type(item) is list:
        return ENTRY_ADVANCED
    if not is_array_type(item) and isinstance(item, (bool, _bool_scalar)):
        return ENTRY_ADVANCED
    if is_array_type(item) or isinstance(item, _array_types):
        if fast_probe(item) != PROBE_NONE:
            return ENTRY_ADVANCED
        if item.ndim == 0 and item.dtype.kind in "iu":
            scalar_array_value(item, value)
            return ENTRY_SCALAR_ARRAY
        return ENTRY_ADVANCED
    if isinstance(item, (list, tuple)):
        return ENTRY_ADVANCED
    # NumPy tries __index__ (not on a 0-d array), then the object as an
    # array: a 0-d integer one (__array__, uint64 beyond intp) is an integer.
    index = integer_or_none(item) if nd != 0 else None
    if index is not None:
        value[0] = long_as_ssize(index)
        if value[0] != -1 or PyErr_Occurred() == NULL:
            return ENTRY_INTEGER
        PyErr_Clear()
    arr = np.asarray(item)
    if arr.ndim == 0 and arr.dtype.kind in "iu":
        scalar_array_value(arr, value)
        return ENTRY_SCALAR_ARRAY if index is None else ENTRY_INTEGER
    return ENTRY_ADVANCED   # the advanced planner converts it or raises


cdef extern from "Python.h":
    # The non-raising spelling: -1 with an error set means "not an intp".
    Py_ssize_t long_as_ssize "PyLong_AsSsize_t"(object item) noexcept
    PyObject* PyErr_Occurred() noexcept
    void PyErr_Clear() noexcept


cdef inline int classify_entry(object item, int nd, Py_ssize_t* value) except -1:
    """Kind of one key entry on an ``nd``-d array; integers are returned
    through ``value``."""
    if PyLong_CheckExact(item):
        # Converted without a try block, which costs on every call.
        value[0] = long_as_ssize(item)
        if value[0] == -1 and PyErr_Occurred() != NULL:
            PyErr_Clear()  # the OverflowError of an int beyond Py_ssize_t
            raise_integer_overflow(item)
        return ENTRY_INTEGER
    if PySlice_Check(item):
        return ENTRY_SLICE
    if item is None:
        return ENTRY_NEWAXIS
    if item is Ellipsis:
        return ENTRY_ELLIPSIS
    return classify_other(item, nd, value)


cdef object out_of_bounds(Py_ssize_t value, int axis, Py_ssize_t length):
    return IndexError(f"index {value} is out of bounds for axis {axis} "
                      f"with size {length}")


cdef int raise_out_of_bounds(Py_ssize_t value, int axis,
                             Py_ssize_t length) except -1:
    raise out_of_bounds(value, axis, length)


cdef int raise_too_many(int nd, Py_ssize_t n) except -1:
    raise IndexError(f"too many indices for array: array is {nd}-dimensional, "
                     f"but {n} were indexed")


cdef inline bint full_integer_offset(object key, bint is_tuple, int nd,
                                     const Py_ssize_t* shape,
                                     const Py_ssize_t* strides,
                                     Py_ssize_t* offset) noexcept:
    """The fast path of ``x[i, j, ...]`` with exact, in-bounds ints for every
    axis: the element's offset, or False to take the general path (which
    raises any error)."""
    cdef Py_ssize_t value, total = 0
    cdef int i
    cdef object item
    for i in range(nd):
        item = <object>PyTuple_GET_ITEM(key, i) if is_tuple else key
        if not PyLong_CheckExact(item):
            return False
        value = long_as_ssize(item)
        if value == -1 and PyErr_Occurred() != NULL:
            PyErr_Clear()
            return False
        if value < 0:
            value += shape[i]
        if value < 0 or value >= shape[i]:
            return False
        # Wraps: an empty array's other axes may have any strides.
        total = wrap_add(total, wrap_mul(value, strides[i]))
    offset[0] = total
    return True


cdef int plan_basic_index(object key, int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides, Py_ssize_t* offset,
                          int* out_nd, Py_ssize_t* out_shape,
                          Py_ssize_t* out_strides) except -1:
    """Plan ``key`` on the (shape, strides) layout.

    Returns INDEX_VIEW with ``offset`` (bytes from the data pointer) and the
    view's ``out_nd``/``out_shape``/``out_strides`` (INDEX_VIEW_COPY when a
    0-d integer array makes NumPy copy that view); INDEX_SCALAR with the
    element's ``offset``; or INDEX_ADVANCED, leaving the outputs unspecified
    (the advanced planner then raises any error the key holds).
    Raises NumPy's IndexError/ValueError/TypeError for bad basic keys.
    """
    cdef Py_ssize_t n_items, i, value = 0, start, stop, step, length
    cdef int kinds[MAX_NDIM * 2]
    cdef Py_ssize_t values[MAX_NDIM * 2]
    cdef int consumed = 0, n_new = 0, ellipsis_at = -1, axis, out, _k
    cdef int n_integers = 0
    cdef bint scalar_array = False
    cdef object item
    cdef bint is_tuple = PyTuple_Check(key)
    if is_tuple:
        n_items = PyTuple_GET_SIZE(key)
        if n_items > MAX_NDIM * 2:
            raise IndexError("too many indices for array")
    else:
        n_items = 1
    if n_items == nd and nd > 0 and full_integer_offset(key, is_tuple, nd, shape,
                                                        strides, offset):
        out_nd[0] = 0
        return INDEX_SCALAR
    for i in range(n_items):
        item = <object>PyTuple_GET_ITEM(key, i) if is_tuple else key
        kinds[i] = classify_entry(item, nd, &value)
        values[i] = value
        if kinds[i] == ENTRY_SCALAR_ARRAY:
            scalar_array = True
            kinds[i] = ENTRY_INTEGER
        if kinds[i] == ENTRY_ADVANCED:
            return INDEX_ADVANCED
        elif kinds[i] == ENTRY_ELLIPSIS:
            if ellipsis_at >= 0:
                raise IndexError("an index can only have a single ellipsis ('...')")
            ellipsis_at = <int>i
        elif kinds[i] == ENTRY_NEWAXIS:
            n_new += 1
        else:
            consumed += 1
            if kinds[i] == ENTRY_INTEGER:
                n_integers += 1
    if consumed > nd:
        raise_too_many(nd, consumed)
    if nd - n_integers + n_new > MAX_NDIM:
        raise IndexError(f"number of dimensions must be within [0, {MAX_NDIM}], "
                         f"indexing result would have {nd - n_integers + n_new}")
    offset[0] = 0
    axis = 0
    out = 0
    for i in range(n_items):
        if kinds[i] == ENTRY_INTEGER:
            value = values[i]
            if value < -shape[axis] or value >= shape[axis]:
                raise_out_of_bounds(value, axis, shape[axis])
            if value < 0:
                value += shape[axis]
            # Offsets and strides wrap as NumPy's do (an empty array may have
            # any strides; a huge step leaves one element whose stride shows).
            offset[0] = wrap_add(offset[0], wrap_mul(value, strides[axis]))
            axis += 1
        elif kinds[i] == ENTRY_SLICE:
            PySlice_Unpack(<object>PyTuple_GET_ITEM(key, i) if is_tuple else key,
                           &start, &stop, &step)
            length = PySlice_AdjustIndices(shape[axis], &start, &stop, step)
            if length <= 0:
                # As NumPy: an empty slice keeps the axis's own stride.
                length = 0
                start = 0
                step = 1
            offset[0] = wrap_add(offset[0], wrap_mul(start, strides[axis]))
            out_shape[out] = length
            out_strides[out] = wrap_mul(strides[axis], step)
            out += 1
            axis += 1
        elif kinds[i] == ENTRY_NEWAXIS:
            out_shape[out] = 1
            out_strides[out] = 0
            out += 1
        else:  # the ellipsis stands for every axis the key does not name
            for _k in range(nd - consumed):
                out_shape[out] = shape[axis]
                out_strides[out] = strides[axis]
                out += 1
                axis += 1
    while axis < nd:
        out_shape[out] = shape[axis]
        out_strides[out] = strides[axis]
        out += 1
        axis += 1
    out_nd[0] = out
    if n_integers == nd and n_new == 0 and ellipsis_at < 0:
        return INDEX_SCALAR
    return INDEX_VIEW_COPY if scalar_array else INDEX_VIEW


# --------------------------------------------------------------- advanced keys

cdef int parse_int_list(list items, Py_ssize_t* out) except -1:
    """Read a flat list of exact Python ints into ``out``; 0 if it is not one."""
    cdef Py_ssize_t i, n = PyList_GET_SIZE(items)
    cdef PyObject* obj
    for i in range(n):
        obj = PyList_GET_ITEM(items, i)
        if not PyLong_CheckExact(<object>obj):
            return 0
        out[i] = long_as_ssize(<object>obj)
        if out[i] == -1 and PyErr_Occurred() != NULL:
            PyErr_Clear()  # beyond Py_ssize_t: not a list of intp indices
            return 0
    return 1


cdef object as_index_array(object item):
    """``item`` as a NumPy array, converted the way NumPy's ``prepare_index`` does."""
    cdef bint is_array = isinstance(item, _array_types)
    arr = item if type(item) is _ndarray else np.asarray(item)
    if not is_array and arr.size == 0:
        # An empty list would be float64: NumPy casts empty array-likes to intp.
        arr = arr.astype(_intp)
    kind = arr.dtype.kind
    if kind in "iub":
        return arr
    raise IndexError(NON_INTEGER_ARRAY_MESSAGE if is_array else INVALID_INDEX_MESSAGE)


cdef const char* buffer_pointer(object arr) except NULL:
    """Data pointer of a C-contiguous NumPy array (kept alive by the caller)."""
    cdef Py_buffer view
    cdef const char* p
    PyObject_GetBuffer(arr, &view, PyBUF_SIMPLE)
    p = <const char*>view.buf
    PyBuffer_Release(&view)
    if p == NULL:
        p = <const char*>ZERO_INDEX
    return p


cdef inline Py_ssize_t first_bad_index(const Py_ssize_t* idx, Py_ssize_t n,
                                       Py_ssize_t length) noexcept nogil:
    """Position of the first index outside [-length, length), or -1."""
    cdef Py_ssize_t i, v, acc = 0
    for i in range(n):
        # v is in [-length, length) iff v + length and length - 1 - v are both
        # >= 0; computed wrapping (unsigned, no -fwrapv needed), out-of-range
        # values come out negative.  Adds and ors only, so the common
        # all-valid pass vectorises on baseline x86-64.
        v = idx[i]
        acc |= (wrap_add(v, length)
                | <Py_ssize_t>(<size_t>(length - 1) - <size_t>v))
    if acc >= 0:
        return -1
    for i in range(n):
        if idx[i] < -length or idx[i] >= length:
            return i
    return -1


cdef struct bounds_task:
    const Py_ssize_t* idx
    Py_ssize_t n
    Py_ssize_t length
    Py_ssize_t* first_bad     # per block: its first bad position, or -1


cdef enum:
    BOUNDS_BLOCK = 1 << 16    # indices per block of a parallel bounds check
    # From this many indices a read may check them in its gather (see
    # plan_advanced_index): below it the separate pass is a few microseconds.
    GATHER_CHECKS_FROM = 4096


cdef int bounds_block_task(void* ctx, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef bounds_task* t = <bounds_task*>ctx
    cdef Py_ssize_t b, first, bad
    for b in range(start, stop):
        first = b * BOUNDS_BLOCK
        bad = first_bad_index(t.idx + first, min(BOUNDS_BLOCK, t.n - first), t.length)
        t.first_bad[b] = first + bad if bad >= 0 else -1
    return 0


cdef Py_ssize_t first_bad_position(const Py_ssize_t* idx, Py_ssize_t n,
                                   Py_ssize_t length) noexcept nogil:
    """``first_bad_index``, on several threads for many indices (it is a
    serial tenth of a large scatter's time on two threads)."""
    cdef bounds_task t
    cdef Py_ssize_t nblocks, b, bad = -1
    cdef int threads = threads_for(n * <Py_ssize_t>sizeof(Py_ssize_t)) \
        if n > 2 * BOUNDS_BLOCK else 1
    if threads < 2:
        return first_bad_index(idx, n, length)
    nblocks = (n + BOUNDS_BLOCK - 1) // BOUNDS_BLOCK
    t.first_bad = <Py_ssize_t*>malloc(nblocks * sizeof(Py_ssize_t))
    if t.first_bad == NULL:
        return first_bad_index(idx, n, length)
    t.idx = idx
    t.n = n
    t.length = length
    parallel_range(bounds_block_task, &t, nblocks, threads)
    for b in range(nblocks):
        if t.first_bad[b] >= 0:
            bad = t.first_bad[b]
            break
    free(t.first_bad)
    return bad


# The order in which NumPy meets the indices of an index array when it
# checks their bounds (mapping.c).  While it gathers through its outer
# iterator: C order beside a subspace, else memory order (nditer's
# KEEPORDER, axes by decreasing |stride|; an allocated result keeps it from
# flipping negative strides).  In PyArray_MapIterCheckIndices (assignments,
# several index arrays, empty results): an intp array that is 1-d or
# contiguous in its own order, any other through an nditer that flips
# negative strides.
cdef enum:
    CHECK_ITER_C = 0
    CHECK_ITER_KEEP = 1
    CHECK_INDICES = 2


cdef Py_ssize_t subspace_size(int n, const Py_ssize_t* shape) noexcept:
    cdef Py_ssize_t size = 1
    cdef int k
    for k in range(n):
        size *= shape[k]
    return size


cdef Py_ssize_t numpy_order_bad_index(object arr, Py_ssize_t length, int order,
                                      Py_ssize_t found) except? -1:
    """The out-of-bounds index NumPy reports first for the index array
    ``arr`` (``found`` is the first one in C order)."""
    arr = np.asarray(arr)
    if order == CHECK_ITER_C or arr.flags.c_contiguous:
        return found
    flip = False
    if order == CHECK_INDICES:
        dtype = arr.dtype
        intp_like = (dtype.kind == "i" and dtype.itemsize == sizeof(Py_ssize_t)
                     and dtype.isnative and arr.flags.aligned)
        if arr.ndim <= 1 and intp_like:
            return found
        flip = not (intp_like and arr.flags.f_contiguous)
    if arr.flags.f_contiguous:
        view = arr.T
    else:
        view = arr
        if flip:
            view = view[tuple([slice(None, None, -1) if st < 0 else slice(None)
                               for st in view.strides])]
        axes = sorted(range(view.ndim), key=lambda k: (
            -abs(view.strides[k]) if view.shape[k] != 1 else 0))
        view = view.transpose(axes)
    flat = np.ascontiguousarray(view, dtype=_intp).ravel()
    bad = np.flatnonzero((flat < -length) | (flat >= length))
    return flat[bad[0]] if len(bad) else found


cdef inline Py_ssize_t count_true(const char* mask, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i, c = 0
    if HAVE_COMPRESS_AVX2:
        return array_core_count_nonzero_avx2(mask, n)
    for i in range(n):
        c += mask[i] != 0
    return c


cdef enum:
    # Mask positions per block of a parallel count and compress.
    COMPRESS_BLOCK = 1 << 16


cdef struct mask_count_task:
    const char* mask
    Py_ssize_t n
    Py_ssize_t* counts


cdef int count_blocks_task(void* ctx, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef mask_count_task* t = <mask_count_task*>ctx
    cdef Py_ssize_t b, first
    for b in range(start, stop):
        first = b * COMPRESS_BLOCK
        t.counts[b] = count_true(t.mask + first, min(COMPRESS_BLOCK, t.n - first))
    return 0


cdef Py_ssize_t count_mask(const char* mask, Py_ssize_t n,
                           Py_ssize_t** block_counts) noexcept nogil:
    """The Trues of ``mask``.  A long one is counted per COMPRESS_BLOCK on
    several threads, and the counts are kept in ``block_counts[0]`` (twice
    the blocks, malloc'd) for the compress, which need not count again."""
    cdef mask_count_task t
    cdef Py_ssize_t nblocks, b, total = 0
    cdef int threads = threads_for(n) if n > 2 * COMPRESS_BLOCK else 1
    if threads < 2:
        return count_true(mask, n)
    nblocks = (n + COMPRESS_BLOCK - 1) // COMPRESS_BLOCK
    t.counts = <Py_ssize_t*>malloc(2 * nblocks * sizeof(Py_ssize_t))
    if t.counts == NULL:
        return count_true(mask, n)
    t.mask = mask
    t.n = n
    parallel_range(count_blocks_task, &t, nblocks, threads)
    for b in range(nblocks):
        total += t.counts[b]
    block_counts[0] = t.counts
    return total


cdef void accumulate_offsets(Py_ssize_t* offsets, int bnd, const Py_ssize_t* bshape,
                             const Py_ssize_t* idx, const Py_ssize_t* elem_strides,
                             Py_ssize_t length, Py_ssize_t stride) noexcept nogil:
    """offsets[flat b] += wrapped(idx at b) * stride over the broadcast shape.

    The sums wrap: beside an empty axis the others may have any strides.
    """
    cdef Py_ssize_t counter[MAX_NDIM]
    cdef Py_ssize_t n, j, v, inner_stride, at = 0
    cdef int i, inner = bnd - 1
    if bnd == 0:
        v = idx[0]
        offsets[0] = wrap_add(offsets[0], wrap_mul(v + length if v < 0 else v, stride))
        return
    for i in range(inner):
        counter[i] = 0
    n = bshape[inner]
    inner_stride = elem_strides[inner]
    while True:
        for j in range(n):
            v = idx[at + j * inner_stride]
            offsets[j] = wrap_add(offsets[j],
                                  wrap_mul(v + length if v < 0 else v, stride))
        offsets += n
        if not odometer_next(inner, bshape, counter, elem_strides, &at, NULL, NULL):
            return


cdef Py_ssize_t mask_offsets(Py_ssize_t* offsets, const char* mask, int k,
                             const Py_ssize_t* shape,
                             const Py_ssize_t* strides) noexcept nogil:
    """Byte offsets of the True positions of a C-contiguous k-d mask, in C order."""
    cdef Py_ssize_t counter[MAX_NDIM]
    cdef Py_ssize_t j, n, base = 0, out = 0, inner_stride
    cdef int i, inner = k - 1
    for i in range(k):
        counter[i] = 0
        if shape[i] == 0:
            return 0
    n = shape[inner]
    inner_stride = strides[inner]
    while True:
        for j in range(n):
            if mask[j]:
                offsets[out] = wrap_add(base, wrap_mul(j, inner_stride))
                out += 1
        mask += n
        if not odometer_next(inner, shape, counter, strides, &base, NULL, NULL):
            return out


# The struct layouts read below are NumPy 2's ABI: other majors take the slow path.
cdef bint _numpy_2 = int(np.__version__.split(".")[0]) == 2
cdef Py_ssize_t NPY_C_CONTIGUOUS = 0x1


cdef int probe_index_array(object item, const char** ptr, int* nd,
                           Py_ssize_t* shape) except -1:
    """Can ``item`` be read in place as an index?  PROBE_INTP / PROBE_BOOL
    with its data pointer and shape, or PROBE_NONE (convert it through NumPy).

    NumPy arrays are read through their (stable) struct fields, other arrays
    through the buffer protocol: no Python object is made.
    """
    cdef ac_numpy_array* a
    cdef ac_numpy_descr* d
    cdef Py_buffer view
    cdef int kind = PROBE_NONE, k
    cdef Py_ssize_t expected
    cdef bytes fmt
    if type(item) is _ndarray:
        if not _numpy_2:
            return PROBE_NONE
        a = <ac_numpy_array*><PyObject*>item
        d = <ac_numpy_descr*>a.descr
        if a.nd == 0 or not (a.flags & NPY_C_CONTIGUOUS) or d.byteorder == c'>':
            return PROBE_NONE
        if d.kind == c'b' and d.elsize == 1:
            kind = PROBE_BOOL
        elif d.kind == c'i' and d.elsize == sizeof(Py_ssize_t):
            kind = PROBE_INTP
        else:
            return PROBE_NONE
        ptr[0] = <const char*>a.data if a.data != NULL else <const char*>ZERO_INDEX
        nd[0] = a.nd
        for k in range(a.nd):
            shape[k] = a.dimensions[k]
        return kind
    if registered_probe != NULL:
        return registered_probe(item, ptr, nd, shape)
    try:   # an array type registered without a probe: its buffer
        PyObject_GetBuffer(item, &view, PyBUF_RECORDS_RO)
    except (BufferError, TypeError, ValueError):
        return PROBE_NONE
    try:
        if view.ndim == 0 or view.format == NULL:
            return PROBE_NONE
        fmt = view.format
        if fmt == b"?" and view.itemsize == 1:
            kind = PROBE_BOOL
        elif fmt in (b"l", b"q", b"n", b"@l", b"=l") \
                and view.itemsize == sizeof(Py_ssize_t):
            kind = PROBE_INTP
        else:
            return PROBE_NONE
        expected = view.itemsize
        for k in range(view.ndim - 1, -1, -1):
            if view.shape[k] != 1 and view.strides[k] != expected:
                return PROBE_NONE
            expected *= view.shape[k]
        ptr[0] = <const char*>view.buf if view.buf != NULL else <const char*>ZERO_INDEX
        nd[0] = view.ndim
        for k in range(view.ndim):
            shape[k] = view.shape[k]
        return kind
    finally:
        PyBuffer_Release(&view)


cdef object plan_advanced_index(object key, int nd, const Py_ssize_t* shape,
                                const Py_ssize_t* strides, AdvancedPlan* plan,
                                bint for_write=False, bint check_in_gather=False):
    """Normalise an advanced ``key`` on the (shape, strides) layout into ``plan``.

    ``for_write`` says the plan is for an assignment, whose bounds check
    NumPy runs in another order than a read's.  ``check_in_gather`` lets a
    read leave the bounds of a long lone 1-d index array (no basic axes
    beside it) to the gather: the plan then says ``bounds_unchecked``, and
    the caller, if ``run_gather`` returns 2, raises
    ``unchecked_bounds_error``'s exception, before any copy hook learns of a
    copy (a caller with a hook asks for that error first).

    Returns a list that keeps the index arrays alive while the plan is used;
    call ``release_plan`` afterwards (also on error).  Raises NumPy's errors
    for entry types, too many indices, result dimensions, boolean shapes and
    integer bounds; the index arrays' broadcast error and first out-of-bounds
    index are returned as exceptions in items 0 and 1 (None when fine): the
    caller raises them in NumPy's order, and must before running a kernel.
    """
    cdef Py_ssize_t n_items, i, value = 0, start, stop, step, length, n, bad
    cdef Py_ssize_t subspace
    cdef int kinds[MAX_NDIM * 2]
    cdef Py_ssize_t values[MAX_NDIM * 2]
    cdef int entry_nd[MAX_NDIM * 2]
    cdef int part_entry[MAX_NDIM * 2]
    cdef int part_axis[MAX_NDIM * 2]
    cdef Py_ssize_t bshape[MAX_NDIM]
    cdef Py_ssize_t mshape[MAX_NDIM]
    cdef Py_ssize_t mstrides[MAX_NDIM]
    cdef Py_ssize_t direct_shape[MAX_NDIM]
    cdef Py_ssize_t basic_shape[MAX_NDIM]
    cdef Py_ssize_t basic_strides[MAX_NDIM]
    cdef int used = 0, new_nd = 0, fancy_nd = 0, ellipsis_at = -1, n_ellipsis = 0
    cdef int axis, k, _k, bnd, consec_status, consec_at, n_basic, kind, probe
    cdef int parsed_at = -1, direct_at = -1, direct_nd = 0, n_part = 0, mk, e
    cdef const char* direct_ptr = NULL
    cdef bint is_tuple = PyTuple_Check(key)
    cdef bint any_fancy = False
    cdef const char* mask
    cdef Py_ssize_t* bool_shape
    cdef object item
    cdef list arrays = None   # per entry: the index object (converted unless direct)
    plan.base_offset = 0
    plan.mode = FANCY_INDEX
    plan.index = NULL
    plan.bounds_unchecked = False
    plan.offsets = NULL
    plan.list_buffer = NULL
    plan.block_counts = NULL
    plan.mask = NULL
    plan.is_mask = False
    plan.first_axis = -1
    plan.fancy_size = 0
    if is_tuple:
        n_items = PyTuple_GET_SIZE(key)
        if n_items > MAX_NDIM * 2:
            raise IndexError("too many indices for array")
    else:
        n_items = 1

    # 1. Classify every entry (NumPy's prepare_index loop).
    for i in range(n_items):
        item = <object>PyTuple_GET_ITEM(key, i) if is_tuple else key
        if PyLong_CheckExact(item) or PySlice_Check(item) or item is None \
                or item is Ellipsis:
            kind = classify_entry(item, nd, &value)
        elif type(item) is list and parsed_at == -1 and PyList_GET_SIZE(item) > 0 \
                and parse_int_list(<list>item,
                                   list_storage(plan, PyList_GET_SIZE(item))):
            kind = ENTRY_ARRAY
            parsed_at = <int>i
            value = PyList_GET_SIZE(item)
            entry_nd[i] = 1
        elif not is_array_type(item) and isinstance(item, (bool, _bool_scalar)):
            kind = ENTRY_BOOL0D
            value = 1 if item else 0
        else:
            if type(item) is list and parsed_at == -1:
                parsed_at = -2   # tried once; further lists go through NumPy
            kind = ENTRY_ADVANCED
            if direct_at < 0 and (is_array_type(item)
                                  or isinstance(item, _array_types)):
                # An intp or bool C-contiguous array is read in place.
                probe = probe_index_array(item, &direct_ptr, &direct_nd, direct_shape)
                if probe != PROBE_NONE:   # (the caller's key keeps it alive)
                    kind = ENTRY_ARRAY if probe == PROBE_INTP else ENTRY_MASK
                    direct_at = <int>i
                    entry_nd[i] = direct_nd
            elif (nd != 0 and not isinstance(item, _array_types)
                    and not isinstance(item, (list, tuple))):
                # NumPy tries __index__ first, clearing any error it raises.
                index = integer_or_none(item)
                if index is not None:
                    value = long_as_ssize(index)
                    if value != -1 or PyErr_Occurred() == NULL:
                        kind = ENTRY_INTEGER
                    else:
                        PyErr_Clear()   # beyond intp: converted as an array
            if kind == ENTRY_ADVANCED:
                if arrays is None:
                    arrays = [None] * n_items
                arr = as_index_array(item)
                if arr.dtype.kind == "b":
                    if arr.ndim == 0:
                        kind = ENTRY_BOOL0D
                        value = 1 if arr else 0
                    else:
                        kind = ENTRY_MASK
                        arrays[i] = arr
                        entry_nd[i] = arr.ndim
                elif arr.ndim == 0:
                    kind = ENTRY_INTEGER
                    scalar_array_value(arr, &value)
                else:
                    kind = ENTRY_ARRAY
                    arrays[i] = arr
                    entry_nd[i] = arr.ndim
        kinds[i] = kind
        values[i] = value
        if kind == ENTRY_ELLIPSIS:
            if ellipsis_at >= 0:
                raise IndexError("an index can only have a single ellipsis ('...')")
            ellipsis_at = <int>i
        elif kind == ENTRY_NEWAXIS:
            new_nd += 1
        elif kind == ENTRY_SLICE:
            used += 1
            new_nd += 1
        elif kind == ENTRY_INTEGER:
            used += 1
        elif kind == ENTRY_ARRAY:
            any_fancy = True
            used += 1
            fancy_nd = entry_nd[i] if entry_nd[i] > fancy_nd else fancy_nd
        elif kind == ENTRY_MASK:
            any_fancy = True
            used += entry_nd[i]
            fancy_nd = 1 if fancy_nd < 1 else fancy_nd
        else:  # ENTRY_BOOL0D
            any_fancy = True
            fancy_nd = 1 if fancy_nd < 1 else fancy_nd
    if used > nd:
        raise_too_many(nd, used)
    n_ellipsis = nd - used
    new_nd += n_ellipsis
    if new_nd + fancy_nd > MAX_NDIM:
        raise IndexError(f"number of dimensions must be within [0, {MAX_NDIM}], "
                         f"indexing result would have {new_nd + fancy_nd}")

    # 2. Boolean arrays must match the axes they index.
    axis = 0
    plan.single_mask = n_items == 1 and kinds[0] == ENTRY_BOOL0D and nd == 0
    for i in range(n_items):
        if kinds[i] == ENTRY_MASK:
            # Each mask consumes its own ndim axes, in key order; the shape of
            # the one read in place stays in direct_shape for step 4.
            if i == direct_at:
                bool_shape = direct_shape
            else:
                mshape_t = arrays[i].shape
                for k in range(entry_nd[i]):
                    mshape[k] = mshape_t[k]
                bool_shape = mshape
            for k in range(entry_nd[i]):
                # As NumPy: a boolean axis of length 0 is not checked.
                if bool_shape[k] != shape[axis + k] and bool_shape[k] > 0:
                    raise IndexError(
                        f"boolean index did not match indexed array along axis "
                        f"{axis + k}; size of axis is {shape[axis + k]} but size "
                        f"of corresponding boolean axis is {bool_shape[k]}")
            if n_items == 1 and entry_nd[i] == nd:
                # NumPy's "single boolean array": one mask of the array's shape.
                plan.single_mask = True
                for k in range(nd):
                    if bool_shape[k] != shape[k]:
                        plan.single_mask = False
            axis += entry_nd[i]
        elif kinds[i] == ENTRY_ELLIPSIS:
            axis += n_ellipsis
        elif kinds[i] != ENTRY_NEWAXIS and kinds[i] != ENTRY_BOOL0D:
            axis += 1

    # 3. Walk the key: integer bounds (in order), slices, placement.
    axis = 0
    n_basic = 0
    consec_status = -1   # NumPy's: -1 none yet, 0 in a run, 1 run ended, 2 split
    consec_at = 0
    for i in range(n_items):
        kind = kinds[i]
        if kind == ENTRY_ARRAY or kind == ENTRY_MASK or kind == ENTRY_BOOL0D \
                or (kind == ENTRY_INTEGER and any_fancy):
            if consec_status == -1:
                consec_at = n_basic
                consec_status = 0
            elif consec_status == 1:
                consec_status = 2
        elif consec_status == 0:
            consec_status = 1
        if kind == ENTRY_INTEGER:
            value = values[i]
            if value < -shape[axis] or value >= shape[axis]:
                raise_out_of_bounds(value, axis, shape[axis])
            if value < 0:
                value += shape[axis]
            plan.base_offset = wrap_add(plan.base_offset,
                                        wrap_mul(value, strides[axis]))
            axis += 1
        elif kind == ENTRY_SLICE:
            PySlice_Unpack(<object>PyTuple_GET_ITEM(key, i) if is_tuple else key,
                           &start, &stop, &step)
            length = PySlice_AdjustIndices(shape[axis], &start, &stop, step)
            if length <= 0:
                length = 0
                start = 0
                step = 1
            plan.base_offset = wrap_add(plan.base_offset,
                                        wrap_mul(start, strides[axis]))
            basic_shape[n_basic] = length
            basic_strides[n_basic] = wrap_mul(strides[axis], step)
            n_basic += 1
            axis += 1
        elif kind == ENTRY_NEWAXIS:
            basic_shape[n_basic] = 1
            basic_strides[n_basic] = 0
            n_basic += 1
        elif kind == ENTRY_ELLIPSIS:
            for _k in range(n_ellipsis):
                basic_shape[n_basic] = shape[axis]
                basic_strides[n_basic] = strides[axis]
                n_basic += 1
                axis += 1
        else:   # an advanced entry
            if plan.first_axis < 0:
                plan.first_axis = axis
            part_entry[n_part] = <int>i
            part_axis[n_part] = axis if kind != ENTRY_BOOL0D else -1
            n_part += 1
            if kind == ENTRY_ARRAY:
                axis += 1
            elif kind == ENTRY_MASK:
                plan.is_mask = True
                axis += entry_nd[i]
    for _k in range(nd - axis):  # the implicit trailing ellipsis
        basic_shape[n_basic] = shape[axis]
        basic_strides[n_basic] = strides[axis]
        n_basic += 1
        axis += 1
    if consec_status == 2:
        consec_at = 0
    if plan.first_axis < 0 or plan.first_axis > nd:
        plan.first_axis = 0

    # 4. The index arrays: one fast case each for a lone mask and a lone array.
    # Broadcast and bounds errors are returned, not raised (keep[0], keep[1]):
    # an assignment reports a bad value first, as NumPy does.
    keep = [None, None]
    e = part_entry[0] if n_part == 1 else -1
    if e >= 0 and kinds[e] == ENTRY_MASK:
        axis = part_axis[0]
        mk = entry_nd[e]
        if e == direct_at:
            mask = direct_ptr
        else:
            mask_arr = np.ascontiguousarray(arrays[e])
            keep.append(mask_arr)
            mask = (buffer_pointer(mask_arr) if mask_arr.size
                    else <const char*>ZERO_INDEX)
            for k in range(mk):
                direct_shape[k] = mask_arr.shape[k]
        n = 1
        for k in range(mk):
            n *= direct_shape[k]
            mshape[k] = shape[axis + k]
            mstrides[k] = strides[axis + k]
        bnd = 1
        bshape[0] = count_mask(mask, n, &plan.block_counts)
        plan.fancy_size = bshape[0]
        k = coalesce_axes(mk, mshape, mstrides, NULL) if n else 0
        if n == 0 or k <= 1:
            plan.mode = FANCY_COMPRESS
            plan.mask = mask
            plan.mask_len = n
            plan.mask_stride = mstrides[0] if k == 1 else 0
        else:
            for k in range(mk):
                mshape[k] = shape[axis + k]
                mstrides[k] = strides[axis + k]
            plan.mode = FANCY_OFFSETS
            plan.offsets = <Py_ssize_t*>malloc(max(plan.fancy_size, 1)
                                               * sizeof(Py_ssize_t))
            if plan.offsets == NULL:
                raise MemoryError()
            mask_offsets(plan.offsets, mask, mk, mshape, mstrides)
    elif e >= 0 and kinds[e] == ENTRY_ARRAY:
        axis = part_axis[0]
        plan.mode = FANCY_INDEX
        plan.axis_len = shape[axis]
        plan.axis_stride = strides[axis]
        if e == parsed_at:
            bnd = 1
            bshape[0] = values[parsed_at]
            plan.index = (plan.list_buffer if plan.list_buffer != NULL
                          else &plan.small_list[0])
        elif e == direct_at:
            bnd = direct_nd
            for k in range(bnd):
                bshape[k] = direct_shape[k]
            plan.index = <const Py_ssize_t*>direct_ptr
        else:
            arr = np.ascontiguousarray(arrays[e], dtype=_intp)
            keep.append(arr)
            bnd = arr.ndim
            arr_shape = arr.shape
            for k in range(bnd):
                bshape[k] = arr_shape[k]
            plan.index = <const Py_ssize_t*>buffer_pointer(arr) if arr.size \
                else ZERO_INDEX
        plan.fancy_size = 1
        for k in range(bnd):
            plan.fancy_size *= bshape[k]
        if (check_in_gather and not for_write and bnd == 1 and n_basic == 0
                and plan.fancy_size > GATHER_CHECKS_FROM):
            plan.bounds_unchecked = True
        elif plan.fancy_size > 0:
            bad = first_bad_position(plan.index, plan.fancy_size, plan.axis_len)
            if bad >= 0:
                value = plan.index[bad]
                if arrays is not None and arrays[e] is not None:
                    # NumPy reports the first bad index in its checking order:
                    # an assignment, or a read with an empty result, checks
                    # the indices before it moves anything.
                    subspace = subspace_size(n_basic, basic_shape)
                    value = numpy_order_bad_index(
                        arrays[e], plan.axis_len,
                        CHECK_INDICES if for_write or subspace == 0
                        else CHECK_ITER_C if n_basic and not (plan.fancy_size == 1)
                        and subspace != 1
                        else CHECK_ITER_KEEP, value)
                keep[1] = out_of_bounds(value, axis, plan.axis_len)
    else:
        participants = []
        for k in range(n_part):
            e = part_entry[k]
            if e == direct_at:
                arr = <object>PyTuple_GET_ITEM(key, e) if is_tuple else key
            else:
                arr = arrays[e] if arrays is not None else None
            participants.append((arr, part_axis[k], e))
        bnd = broadcast_participants(participants, kinds, values, parsed_at, shape,
                                     strides, plan, keep, bshape)
    plan.fancy_nd = bnd

    # 5. The result layout: outer + index axes + inner (NumPy's placement).
    plan.n_outer = consec_at
    plan.n_inner = n_basic - consec_at
    plan.result_nd = n_basic + bnd
    for k in range(consec_at):
        plan.outer_shape[k] = basic_shape[k]
        plan.outer_strides[k] = basic_strides[k]
        plan.result_shape[k] = basic_shape[k]
    for k in range(bnd):
        plan.result_shape[consec_at + k] = bshape[k]
    for k in range(consec_at, n_basic):
        plan.inner_shape[k - consec_at] = basic_shape[k]
        plan.inner_strides[k - consec_at] = basic_strides[k]
        plan.result_shape[bnd + k] = basic_shape[k]

    # 6. NumPy's layout of the result (see LAYOUT_*).
    has_subspace = n_ellipsis > 0 or ellipsis_at >= 0
    for i in range(n_items):
        if kinds[i] <= ENTRY_ELLIPSIS:   # integer, slice, None, ...
            has_subspace = True
    n = 1
    for k in range(n_basic):
        n *= basic_shape[k]
    plan.layout = LAYOUT_ITER
    for k in range(bnd):
        plan.fancy_order[k] = bnd - 1 - k
    if has_subspace and n != 1:
        plan.layout = LAYOUT_SUBSPACE
    elif bnd > 1:
        if (not has_subspace and n_items == 1 and arrays is not None
                and arrays[0] is not None and is_trivial_intp(arrays[0])):
            # array_subscript's one-index fast path: C or F order.
            if arrays[0].flags.f_contiguous and not arrays[0].flags.c_contiguous:
                plan.layout = LAYOUT_FORTRAN
        else:
            iteration_order(key, is_tuple, arrays, kinds, entry_nd, n_items,
                            bnd, plan)

    # 7. NumPy's limits on the number of index arrays (masks count one per
    # axis), met when it builds its iterator: after the value's conversion.
    n = 0
    for i in range(n_items):
        if kinds[i] == ENTRY_ARRAY or kinds[i] == ENTRY_BOOL0D:
            n += 1
        elif kinds[i] == ENTRY_MASK:
            n += entry_nd[i]
    if n > MAX_NDIM - 1:
        if n > MAX_NDIM:
            keep[0] = IndexError(
                f"too many advanced (array) indices. This probably means you are "
                f"indexing with too many booleans. (more than {MAX_NDIM} found)")
        elif plan.layout != LAYOUT_SUBSPACE and keep[0] is None:
            keep[0] = IndexError(
                f"when no subspace is given, the number of index arrays cannot be "
                f"above {MAX_NDIM - 1}, but {n} index arrays found")
        if keep[0] is not None:
            plan.fancy_size = 0   # (nothing may run on this plan)
    return keep


cdef bint is_trivial_intp(object arr):
    """NumPy's test for its one-index fast path (PyArray_TRIVIALLY_ITERABLE
    and an aligned native intp dtype)."""
    flags = arr.flags
    return ((flags.c_contiguous or flags.f_contiguous) and flags.aligned
            and arr.dtype.kind == "i" and arr.dtype.itemsize == sizeof(Py_ssize_t)
            and arr.dtype.isnative)


cdef int iteration_order(object key, bint is_tuple, list arrays, const int* kinds,
                         const int* entry_nd, Py_ssize_t n_items, int bnd,
                         AdvancedPlan* plan) except -1:
    """The index axes in the order NumPy's nditer iterates the index arrays
    (``npyiter_find_best_axis_ordering``): a stable insertion sort from the
    fastest axis, an axis moving inwards only when every index array with a
    stride on both axes has the larger one on the faster axis.  Only integer
    index arrays of two or more axes have a say (masks and lists of ints are
    1-d: one stride each).
    """
    cdef Py_ssize_t table[MAX_NDIM][MAX_NDIM]
    cdef int n_ops = 0, i0, i1, j0, j1, ipos, op, k, off, nd_i
    cdef Py_ssize_t s0, s1, i
    cdef bint ambiguous, swap
    for i in range(n_items):
        if kinds[i] != ENTRY_ARRAY or entry_nd[i] < 2 or n_ops == MAX_NDIM:
            continue
        if arrays is not None and arrays[i] is not None:
            item = arrays[i]
        else:   # an array read in place
            item = <object>PyTuple_GET_ITEM(key, i) if is_tuple else key
        shape_t = item.shape
        strides_t = item.strides
        nd_i = len(shape_t)
        off = bnd - nd_i
        for k in range(bnd):
            table[n_ops][k] = 0
        for k in range(nd_i):
            if shape_t[k] != 1:
                table[n_ops][off + k] = strides_t[k]
        n_ops += 1
    if n_ops == 0:
        return 0
    for i0 in range(1, bnd):
        ipos = i0
        j0 = plan.fancy_order[i0]
        for i1 in range(i0 - 1, -1, -1):
            j1 = plan.fancy_order[i1]
            ambiguous = True
            swap = False
            for op in range(n_ops):
                s0 = table[op][j0]
                s1 = table[op][j1]
                if s0 != 0 and s1 != 0:
                    if (s1 if s1 >= 0 else -s1) <= (s0 if s0 >= 0 else -s0):
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
                plan.fancy_order[i1] = plan.fancy_order[i1 - 1]
            plan.fancy_order[ipos] = j0
    return 0


cdef int scratch_layout(const AdvancedPlan* plan, Py_ssize_t itemsize,
                        Py_ssize_t* shape, Py_ssize_t* strides) noexcept:
    """Shape and strides of NumPy's scratch array for an advanced result:
    axes ``index axes + outer + inner`` (the result is this array when
    ``plan.n_outer`` is 0, else a transposed view of it).  A fresh empty
    array has all-zero strides, as NumPy's.  Returns the number of axes.
    """
    cdef int nf = plan.fancy_nd, nb = plan.n_outer + plan.n_inner
    cdef int nd = nf + nb, k, i, j, p
    cdef Py_ssize_t step, size = 1, s, t
    cdef Py_ssize_t bstrides[MAX_NDIM]
    cdef int perm[MAX_NDIM]
    for k in range(nf):
        shape[k] = plan.result_shape[plan.n_outer + k]
    for k in range(plan.n_outer):
        shape[nf + k] = plan.outer_shape[k]
        bstrides[k] = plan.outer_strides[k]
    for k in range(plan.n_inner):
        shape[nf + plan.n_outer + k] = plan.inner_shape[k]
        bstrides[plan.n_outer + k] = plan.inner_strides[k]
    for k in range(nd):
        size *= shape[k]
    if size == 0:
        for k in range(nd):
            strides[k] = 0
        return nd
    if plan.layout == LAYOUT_SUBSPACE:
        # Basic axes by decreasing |stride| (stable), the last one innermost.
        for i in range(nb):
            p = i
            s = bstrides[p] if bstrides[p] >= 0 else -bstrides[p]
            j = i - 1
            while j >= 0:
                t = bstrides[perm[j]] if bstrides[perm[j]] >= 0 else -bstrides[perm[j]]
                if t >= s:
                    break
                perm[j + 1] = perm[j]
                j -= 1
            perm[j + 1] = p
        step = itemsize
        for i in range(nb - 1, -1, -1):
            strides[nf + perm[i]] = step
            step *= shape[nf + perm[i]]
        for k in range(nf - 1, -1, -1):
            strides[k] = step
            step *= shape[k]
        return nd
    step = itemsize
    if plan.layout == LAYOUT_FORTRAN:
        for k in range(nf):
            strides[k] = step
            step *= shape[k]
    else:
        for i in range(nf):
            k = plan.fancy_order[i]
            strides[k] = step
            step *= shape[k]
    for k in range(nf, nd):
        strides[k] = itemsize
    return nd


cdef Py_ssize_t* list_storage(AdvancedPlan* plan, Py_ssize_t n) except NULL:
    """Room for ``n`` parsed list indices: in the plan, or malloc'd."""
    if n <= SMALL_LIST:
        return plan.small_list
    plan.list_buffer = <Py_ssize_t*>malloc(n * sizeof(Py_ssize_t))
    if plan.list_buffer == NULL:
        raise MemoryError()
    return plan.list_buffer


cdef int broadcast_participants(list participants, const int* kinds,
                                const Py_ssize_t* values, int parsed_at,
                                const Py_ssize_t* shape, const Py_ssize_t* strides,
                                AdvancedPlan* plan, list keep,
                                Py_ssize_t* bshape) except -1:
    """Several index arrays: broadcast them, check bounds, precompute offsets.

    Masks become one index array per axis (their nonzero positions), a 0-d
    boolean an axis of length 1 or 0 that selects nothing.  Returns the
    number of broadcast axes (their lengths are written to ``bshape``).
    """
    cdef Py_ssize_t elem_strides[MAX_NDIM]
    cdef Py_ssize_t length, size, bad, step, n
    cdef const Py_ssize_t* idx
    cdef int bnd, k, off, axis, i
    cdef list index_arrays = []   # (intp array or None, axis or -1, shape)
    for arr, axis, i in participants:
        if kinds[i] == ENTRY_MASK:
            for k, nz in enumerate(np.nonzero(np.asarray(arr))):
                a = np.ascontiguousarray(nz, dtype=_intp)
                index_arrays.append((a, axis + k, a.shape, None))
        elif kinds[i] == ENTRY_BOOL0D:
            index_arrays.append((None, -1, (1,) if values[i] else (0,), None))
        elif i == parsed_at:
            index_arrays.append((None, axis, (values[i],), None))
        else:
            a = np.ascontiguousarray(arr, dtype=_intp)
            index_arrays.append((a, axis, a.shape, arr))
    result = []
    for _, _, s, _ in index_arrays:
        if len(s) > len(result):
            result = [1] * (len(s) - len(result)) + result
        off = len(result) - len(s)
        for k in range(len(s)):   # (wraparound is off: no negative indices)
            if result[off + k] == 1:
                result[off + k] = s[k]
            elif s[k] != 1 and s[k] != result[off + k]:
                keep[0] = IndexError(
                    "shape mismatch: indexing arrays could not be broadcast "
                    "together with shapes "
                    + "".join([numpy_shape(t[2]) + " " for t in index_arrays]))
                plan.fancy_size = 0
                return 0
    bnd = len(result)
    size = 1
    for k in range(bnd):
        bshape[k] = result[k]
        size *= bshape[k]
    plan.fancy_size = size
    plan.mode = FANCY_OFFSETS
    plan.offsets = <Py_ssize_t*>malloc(max(size, 1) * sizeof(Py_ssize_t))
    if plan.offsets == NULL:
        raise MemoryError()
    memset(plan.offsets, 0, max(size, 1) * sizeof(Py_ssize_t))
    if size == 0:
        return bnd
    for arr, axis, s, original in index_arrays:
        if axis < 0:
            continue   # a 0-d boolean selects no axis
        if arr is None:
            idx = plan.list_buffer if plan.list_buffer != NULL else &plan.small_list[0]
        else:
            keep.append(arr)
            idx = <const Py_ssize_t*>buffer_pointer(arr) if arr.size else ZERO_INDEX
        length = shape[axis]
        n = 1
        for k in range(len(s)):
            n *= s[k]
        bad = first_bad_position(idx, n, length)
        if bad >= 0 and keep[1] is None:
            keep[1] = out_of_bounds(
                idx[bad] if original is None else
                numpy_order_bad_index(original, length, CHECK_INDICES, idx[bad]),
                axis, length)
        # Element strides of this array broadcast to the result shape.
        off = bnd - len(s)
        step = 1
        for k in range(bnd - 1, -1, -1):
            if k < off or s[k - off] == 1:
                elem_strides[k] = 0
            else:
                elem_strides[k] = step
            if k >= off:
                step *= s[k - off]
        accumulate_offsets(plan.offsets, bnd, bshape, idx, elem_strides, length,
                           strides[axis])
    return bnd


cdef object unchecked_bounds_error(object key, int nd, const Py_ssize_t* shape,
                                   const Py_ssize_t* strides,
                                   const AdvancedPlan* plan):
    """The IndexError that ``plan`` (bounds_unchecked, made from ``key`` on
    this layout) would have returned, or None when its indices are all in
    bounds now (another thread changed them meanwhile)."""
    cdef AdvancedPlan checked
    if first_bad_position(plan.index, plan.fancy_size, plan.axis_len) < 0:
        return None
    # Planning again with the check gives NumPy's error, index for index.
    checked.offsets = NULL
    checked.list_buffer = NULL
    checked.block_counts = NULL
    try:
        return plan_advanced_index(key, nd, shape, strides, &checked)[1]
    finally:
        release_plan(&checked)


cdef void release_plan(AdvancedPlan* plan) noexcept:
    """Free what ``plan_advanced_index`` allocated (safe to call twice)."""
    if plan.block_counts != NULL:
        free(plan.block_counts)
        plan.block_counts = NULL
    if plan.offsets != NULL:
        free(plan.offsets)
        plan.offsets = NULL
    if plan.list_buffer != NULL:
        free(plan.list_buffer)
        plan.list_buffer = NULL


cdef int materialise_offsets(AdvancedPlan* plan) except -1:
    """Turn a FANCY_INDEX plan into precomputed byte offsets, so that the
    index memory is read in full before an assignment that overwrites it
    (``x[x] = ...``: NumPy reads every index first, too)."""
    cdef Py_ssize_t b, n = plan.fancy_size
    cdef Py_ssize_t* offsets
    if plan.mode != FANCY_INDEX:
        return 0
    offsets = <Py_ssize_t*>malloc((n if n > 0 else 1) * sizeof(Py_ssize_t))
    if offsets == NULL:
        raise MemoryError()
    for b in range(n):
        offsets[b] = wrap_mul(wrapped(plan.index[b], plan.axis_len), plan.axis_stride)
    plan.offsets = offsets
    plan.mode = FANCY_OFFSETS
    return 0


# ------------------------------------------------------------------ kernels
# The element loops are specialised by item size through a fused type (the
# 16-byte case is a struct of two words); other sizes use memcpy.  The types
# are _typedefs' unaligned ones: array data need not be aligned.

ctypedef fused item_t:
    unaligned_u8
    unaligned_u16
    unaligned_u32
    unaligned_u64
    unaligned_item16


cdef inline Py_ssize_t wrapped(Py_ssize_t v, Py_ssize_t length) noexcept nogil:
    return v + length if v < 0 else v


cdef inline Py_ssize_t in_bounds(Py_ssize_t v, Py_ssize_t length) noexcept nogil:
    """``wrapped(v)``, kept inside the axis even if the (already validated)
    index array is changed by another thread while the GIL is released."""
    v = v + length if v < 0 else v
    return v if <size_t>v < <size_t>length else 0


cdef inline Py_ssize_t in_bounds_noted(Py_ssize_t v, Py_ssize_t length,
                                       bint* outside) noexcept nogil:
    """``in_bounds(v)``, setting ``outside`` when ``v`` was not in
    [-length, length): for gathers that check the bounds as they read."""
    v = wrapped(v, length)
    outside[0] |= <size_t>v >= <size_t>length
    return v if <size_t>v < <size_t>length else 0


cdef inline void copy_item(char* dst, const char* src,
                           Py_ssize_t itemsize) noexcept nogil:
    if itemsize == 8:
        (<unaligned_u64*>dst)[0] = (<const unaligned_u64*>src)[0]
    elif itemsize == 4:
        (<unaligned_u32*>dst)[0] = (<const unaligned_u32*>src)[0]
    elif itemsize == 1:
        dst[0] = src[0]
    elif itemsize == 2:
        (<unaligned_u16*>dst)[0] = (<const unaligned_u16*>src)[0]
    else:
        memcpy(dst, src, itemsize)


# Gather (NumPy's mapiter_trivial_get / take), one item per index position.

cdef bint gather_index_items(item_t* dst, const char* src, const Py_ssize_t* idx,
                             Py_ssize_t n, Py_ssize_t length,
                             Py_ssize_t stride) noexcept nogil:
    """dst[i] = src[in_bounds(idx[i]) * stride].  True when an index was
    outside [-length, length) (item 0 read in its place): a plan that left
    the bounds to the gather raises then (fused, the check costs no pass of
    its own: that pass was 8% of 1M random reads from 80 MB)."""
    # 32 items ahead: measured faster than 16 for 1M of 10M float64 (0.57-0.70
    # of NumPy against 0.70-0.80), as for take's rows.
    cdef Py_ssize_t i, done = 0, ahead = 32
    cdef bint outside = False
    if n > 4096 and length * (stride if stride > 0 else -stride) > PREFETCH_SPAN:
        # Random gathers beyond the caches are latency bound: prefetch ahead.
        for i in range(n - ahead):
            AC_PREFETCH(item_address(src, idx[i + ahead], stride))
            dst[i] = (<const item_t*>(src + in_bounds_noted(idx[i], length, &outside)
                                      * stride))[0]
        done = n - ahead
    for i in range(done, n):
        dst[i] = (<const item_t*>(src + in_bounds_noted(idx[i], length, &outside)
                                  * stride))[0]
    return outside


cdef void gather_offset_items(item_t* dst, const char* src, const Py_ssize_t* offsets,
                              Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        dst[i] = (<const item_t*>(src + offsets[i]))[0]


cdef void compress_items(item_t* dst, const char* src, Py_ssize_t stride,
                         const char* mask, Py_ssize_t n,
                         Py_ssize_t count) noexcept nogil:
    """Branch-free compress of the items whose mask byte is set.

    Every item is stored and the output position advances only on True, so
    ``n`` must stop at the last True; the position is also capped below
    ``count`` (the Trues counted earlier), so a mask changed meanwhile by
    another thread cannot write past the result.
    """
    cdef Py_ssize_t i = 0, k, j = 0, end, last = count - 1
    while i < n:
        end = i + 4096 if i + 4096 < n else n
        if j + (end - i) <= count:
            # Even an all-True block stays in bounds: the plain loop.
            for k in range(i, end):
                dst[j] = (<const item_t*>(src + k * stride))[0]
                j += mask[k] != 0
        else:
            for k in range(i, end):
                dst[j] = (<const item_t*>(src + k * stride))[0]
                j += mask[k] != 0
                j = j if j < last else last
        i = end


# Scatter (NumPy's mapiter_trivial_set), last write wins for repeated indices.

cdef void scatter_index_items(char* dst, Py_ssize_t stride, const Py_ssize_t* idx,
                              Py_ssize_t n, Py_ssize_t length, const item_t* value,
                              Py_ssize_t value_stride) noexcept nogil:
    cdef Py_ssize_t i, ahead = 32
    cdef const char* v = <const char*>value
    if n > 4096 and length * (stride if stride > 0 else -stride) > PREFETCH_SPAN:
        # As for gathers: random writes are latency bound, so prefetch.
        for i in range(n - ahead):
            AC_PREFETCH_WRITE(dst + in_bounds(idx[i + ahead], length) * stride)
            (<item_t*>(dst + in_bounds(idx[i], length) * stride))[0] = \
                (<const item_t*>(v + i * value_stride))[0]
        for i in range(n - ahead, n):
            (<item_t*>(dst + in_bounds(idx[i], length) * stride))[0] = \
                (<const item_t*>(v + i * value_stride))[0]
    else:
        for i in range(n):
            (<item_t*>(dst + in_bounds(idx[i], length) * stride))[0] = \
                (<const item_t*>(v + i * value_stride))[0]


cdef inline uintptr_t window_target(char* dst, Py_ssize_t stride, Py_ssize_t v,
                                    Py_ssize_t length, Py_ssize_t lo, Py_ssize_t hi,
                                    uintptr_t sink) noexcept nogil:
    """The address of index ``v``'s item if it lies in [lo, hi), else ``sink``:
    selected by a mask, not a branch (compilers branched on the ternary)."""
    cdef Py_ssize_t w = in_bounds(v, length)
    cdef bint inside = <size_t>(w - lo) < <size_t>(hi - lo)
    cdef uintptr_t keep = <uintptr_t>0 - <uintptr_t>inside
    return ((<uintptr_t>dst + <uintptr_t>(w * stride)) & keep) | (sink & ~keep)


cdef void scatter_window_items(char* dst, Py_ssize_t stride, const Py_ssize_t* idx,
                               Py_ssize_t n, Py_ssize_t length, const item_t* value,
                               Py_ssize_t value_stride, Py_ssize_t lo,
                               Py_ssize_t hi) noexcept nogil:
    """``scatter_index_items`` storing only into axis positions [lo, hi).

    The other stores go to a local sink, chosen without a branch: random
    positions would mispredict a branch every other time.
    """
    cdef Py_ssize_t i, ahead = 32
    cdef const char* v = <const char*>value
    cdef item_t sink[1]
    cdef uintptr_t sink_at = <uintptr_t>&sink[0]
    for i in range(n - ahead):
        AC_PREFETCH_WRITE(<char*>window_target(dst, stride, idx[i + ahead], length,
                                               lo, hi, sink_at))
        (<item_t*>window_target(dst, stride, idx[i], length, lo, hi, sink_at))[0] = \
            (<const item_t*>(v + i * value_stride))[0]
    for i in range(n - ahead if n > ahead else 0, n):
        (<item_t*>window_target(dst, stride, idx[i], length, lo, hi, sink_at))[0] = \
            (<const item_t*>(v + i * value_stride))[0]


cdef void scatter_offset_items(char* dst, const Py_ssize_t* offsets, Py_ssize_t n,
                               const item_t* value,
                               Py_ssize_t value_stride) noexcept nogil:
    cdef Py_ssize_t i
    cdef const char* v = <const char*>value
    for i in range(n):
        (<item_t*>(dst + offsets[i]))[0] = (<const item_t*>(v + i * value_stride))[0]


cdef void expand_items(char* dst, Py_ssize_t stride, const char* mask, Py_ssize_t n,
                       const item_t* value, Py_ssize_t value_stride,
                       Py_ssize_t count) noexcept nogil:
    """Write consecutive values to the positions whose mask byte is set
    (at most ``count`` of them: the Trues counted when planning).

    As NumPy's boolean assignment, each run of consecutive Trues is one copy:
    contiguous runs are moved with ``memmove`` (their values read before they
    are written), so a value overlapping the target gives NumPy's result.
    """
    cdef Py_ssize_t i = 0, end, k, run
    cdef const char* v = <const char*>value
    while i < n and count > 0:
        if not mask[i]:
            i += 1
            continue
        end = i + 1
        while end < n and mask[end]:
            end += 1
        run = end - i if end - i < count else count
        if stride == sizeof(item_t) and value_stride == sizeof(item_t):
            memmove(dst + i * stride, v, run * sizeof(item_t))
        else:
            for k in range(run):
                (<item_t*>(dst + (i + k) * stride))[0] = \
                    (<const item_t*>(v + k * value_stride))[0]
        v += run * value_stride
        count -= run
        i = end


cdef inline Py_ssize_t last_true(const char* mask, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i = n - 1
    while i >= 0 and mask[i] == 0:
        i -= 1
    return i


cdef bint gather_positions(const AdvancedPlan* plan, char* dst, const char* src,
                           Py_ssize_t itemsize, Py_ssize_t start,
                           Py_ssize_t stop) noexcept nogil:
    """Gather index positions [start, stop) (FANCY_INDEX / FANCY_OFFSETS)
    into their places in the contiguous ``dst``.  True when an index was out
    of bounds (see gather_index_items)."""
    cdef Py_ssize_t n = stop - start, i
    cdef bint outside = False
    cdef Py_ssize_t length = plan.axis_len, stride = plan.axis_stride
    cdef const Py_ssize_t* idx = plan.index
    cdef const Py_ssize_t* offsets = plan.offsets
    if n <= 0:
        return False
    dst += start * itemsize
    # (Only the mode's own pointer is set: the other may be NULL.)
    if plan.mode == FANCY_INDEX:
        idx += start
    else:
        offsets += start
    if plan.mode == FANCY_INDEX:
        if itemsize == 8:
            return gather_index_items(<unaligned_u64*>dst, src, idx, n, length, stride)
        elif itemsize == 4:
            return gather_index_items(<unaligned_u32*>dst, src, idx, n, length, stride)
        elif itemsize == 1:
            return gather_index_items(<unaligned_u8*>dst, src, idx, n, length, stride)
        elif itemsize == 2:
            return gather_index_items(<unaligned_u16*>dst, src, idx, n, length, stride)
        elif itemsize == 16:
            return gather_index_items(<unaligned_item16*>dst, src, idx, n, length,
                                      stride)
        for i in range(n):
            memcpy(dst + i * itemsize,
                   src + in_bounds_noted(idx[i], length, &outside) * stride, itemsize)
        return outside
    else:
        if itemsize == 8:
            gather_offset_items(<unaligned_u64*>dst, src, offsets, n)
        elif itemsize == 4:
            gather_offset_items(<unaligned_u32*>dst, src, offsets, n)
        elif itemsize == 1:
            gather_offset_items(<unaligned_u8*>dst, src, offsets, n)
        elif itemsize == 2:
            gather_offset_items(<unaligned_u16*>dst, src, offsets, n)
        elif itemsize == 16:
            gather_offset_items(<unaligned_item16*>dst, src, offsets, n)
        else:
            for i in range(n):
                memcpy(dst + i * itemsize, src + offsets[i], itemsize)
    return False


cdef void compress_block(const AdvancedPlan* plan, char* dst, const char* src,
                         Py_ssize_t itemsize, Py_ssize_t start, Py_ssize_t n,
                         Py_ssize_t count) noexcept nogil:
    """Compress mask positions [start, start + n), holding ``count`` Trues
    (counted before), into ``dst`` (their first result item)."""
    compress_mask_items(dst, src + start * plan.mask_stride, plan.mask_stride,
                        plan.mask + start, n, count, itemsize)


cdef void compress_mask_items(char* dst, const char* src, Py_ssize_t step,
                              const char* mask, Py_ssize_t n, Py_ssize_t count,
                              Py_ssize_t itemsize) noexcept nogil:
    """The items ``src[i * step]`` whose ``mask[i]`` is nonzero, for
    ``i < n``, into consecutive items of ``dst``: at most ``count`` of them
    (the Trues counted before), so a mask changed meanwhile cannot write
    past the result."""
    cdef Py_ssize_t i, j, done, kept
    if count <= 0 or n <= 0:
        return
    n = last_true(mask, n) + 1
    if HAVE_COMPRESS_AVX2 and step == itemsize and (itemsize == 8 or itemsize == 4):
        # Whole groups of 32 positions packed by lane permutes, then the rest.
        if itemsize == 8:
            done = array_core_compress8_avx2(dst, src, mask, n, count, &kept)
        else:
            done = array_core_compress4_avx2(dst, src, mask, n, count, &kept)
        count -= kept
        if count <= 0:
            return
        dst += kept * itemsize
        src += done * step
        mask += done
        n -= done
    if itemsize == 8:
        compress_items(<unaligned_u64*>dst, src, step, mask, n, count)
    elif itemsize == 4:
        compress_items(<unaligned_u32*>dst, src, step, mask, n, count)
    elif itemsize == 1:
        compress_items(<unaligned_u8*>dst, src, step, mask, n, count)
    elif itemsize == 2:
        compress_items(<unaligned_u16*>dst, src, step, mask, n, count)
    elif itemsize == 16:
        compress_items(<unaligned_item16*>dst, src, step, mask, n, count)
    else:
        j = 0
        for i in range(n):
            if mask[i] and j < count:
                memcpy(dst + j * itemsize, src + i * step, itemsize)
                j += 1


cdef Py_ssize_t count_mask_bytes(const char* mask, Py_ssize_t n) noexcept nogil:
    """The nonzero bytes of ``mask[0, n)``, on the calling thread."""
    return count_true(mask, n)


# Several threads for large gathers and masks (the pool of _threads).  Each
# part writes outputs no other part writes, and the parts' results do not
# depend on where the range is cut: bit-identical for every thread count.

cdef struct element_task:
    const AdvancedPlan* plan
    char* dst               # the result
    const char* src         # the array
    Py_ssize_t itemsize
    Py_ssize_t* counts      # masks: Trues per block, then each block's start


cdef int threads_for_items(Py_ssize_t n, Py_ssize_t itemsize) noexcept nogil:
    """Threads for moving ``n`` items at random positions: the items and
    their indices count as bytes moved."""
    return threads_for(n * (itemsize + <Py_ssize_t>sizeof(Py_ssize_t)))


# A gathered item and its index count this many times their bytes toward the
# parallel threshold, so two threads take gathers from 32K items: random
# gathers (source four times the result, beyond the caches) ran 1.15-1.29 of
# one thread's time on two at 16K items, 0.97-1.10 at 24K, 0.75-0.81 at 32K
# and 0.67-0.69 at 64K (ParallelGatherThreshold in
# benchmarks/bench_threads.py, with the L2 prefetch of _prefetch.pxd; the L1
# prefetch had made one thread slower, and two paid from 16K).
cdef Py_ssize_t GATHER_WEIGHT = 4


cdef int gather_task(void* ctx, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef element_task* t = <element_task*>ctx
    return 1 if gather_positions(t.plan, t.dst, t.src, t.itemsize, start, stop) else 0


cdef int compress_task(void* ctx, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef element_task* t = <element_task*>ctx
    cdef Py_ssize_t b, first, nblocks = (t.plan.mask_len + COMPRESS_BLOCK - 1) \
        // COMPRESS_BLOCK
    for b in range(start, stop):
        first = b * COMPRESS_BLOCK
        compress_block(t.plan, t.dst + t.counts[nblocks + b] * t.itemsize, t.src,
                       t.itemsize, first, min(COMPRESS_BLOCK, t.plan.mask_len - first),
                       t.counts[b])
    return 0


cdef bint compress_parallel(const AdvancedPlan* plan, char* dst, const char* src,
                            Py_ssize_t itemsize, int threads) noexcept nogil:
    """The mask's compress on ``threads`` threads: each block (its Trues
    counted by the plan, on several threads) compressed at its start, the
    prefix sum of the counts.  False (nothing written) when the plan kept no
    counts: the serial path then.  A block writes at most the Trues counted
    in it, into its own part of ``dst``, even if another thread changes the
    mask meanwhile."""
    cdef element_task t
    cdef Py_ssize_t nblocks = (plan.mask_len + COMPRESS_BLOCK - 1) // COMPRESS_BLOCK
    cdef Py_ssize_t b, total = 0
    if plan.block_counts == NULL:
        return False
    t.plan = plan
    t.dst = dst
    t.src = src
    t.itemsize = itemsize
    t.counts = plan.block_counts
    for b in range(nblocks):
        t.counts[nblocks + b] = total
        total += t.counts[b]
    parallel_range(compress_task, &t, nblocks, threads)
    return True


cdef bint gather_elements(const AdvancedPlan* plan, char* dst, const char* src,
                          Py_ssize_t itemsize) noexcept nogil:
    """Gather one item per index position into the contiguous ``dst``.  True
    when an index was out of bounds (see gather_index_items)."""
    cdef element_task t
    cdef int threads
    if plan.mode == FANCY_COMPRESS:
        threads = threads_for(plan.mask_len * (itemsize + 1))
        if (threads > 1 and plan.mask_len > COMPRESS_BLOCK
                and compress_parallel(plan, dst, src, itemsize, threads)):
            return False
        compress_block(plan, dst, src, itemsize, 0, plan.mask_len, plan.fancy_size)
        return False
    threads = threads_for(plan.fancy_size * GATHER_WEIGHT
                          * (itemsize + <Py_ssize_t>sizeof(Py_ssize_t)))
    if threads > 1:
        t.plan = plan
        t.dst = dst
        t.src = src
        t.itemsize = itemsize
        return parallel_range(gather_task, &t, plan.fancy_size, threads) != 0
    return gather_positions(plan, dst, src, itemsize, 0, plan.fancy_size)


cdef struct scatter_task:
    char* dst
    const char* value
    const Py_ssize_t* idx
    Py_ssize_t n
    Py_ssize_t length
    Py_ssize_t stride
    Py_ssize_t value_stride
    Py_ssize_t itemsize
    Py_ssize_t windows


cdef int scatter_window_task(void* ctx, Py_ssize_t start,
                             Py_ssize_t stop) noexcept nogil:
    """Windows [start, stop) of the destination axis, each one's stores."""
    cdef scatter_task* t = <scatter_task*>ctx
    cdef Py_ssize_t w, lo, hi, part = t.length // t.windows, rest = t.length % t.windows
    for w in range(start, stop):
        lo = w * part + (w if w < rest else rest)
        hi = lo + part + (1 if w < rest else 0)
        if t.itemsize == 8:
            scatter_window_items(t.dst, t.stride, t.idx, t.n, t.length,
                                 <const unaligned_u64*>t.value, t.value_stride, lo, hi)
        elif t.itemsize == 4:
            scatter_window_items(t.dst, t.stride, t.idx, t.n, t.length,
                                 <const unaligned_u32*>t.value, t.value_stride, lo, hi)
        elif t.itemsize == 1:
            scatter_window_items(t.dst, t.stride, t.idx, t.n, t.length,
                                 <const unaligned_u8*>t.value, t.value_stride, lo, hi)
        elif t.itemsize == 2:
            scatter_window_items(t.dst, t.stride, t.idx, t.n, t.length,
                                 <const unaligned_u16*>t.value, t.value_stride, lo, hi)
        else:
            scatter_window_items(t.dst, t.stride, t.idx, t.n, t.length,
                                 <const unaligned_item16*>t.value, t.value_stride,
                                 lo, hi)
    return 0


# A scatter takes several threads only into an axis spanning more bytes than
# this: within the caches its stores do not wait on memory, and more threads
# that each read every index only add reads.  (_configure_scatter lowers it.)
cdef Py_ssize_t SCATTER_WINDOWS_MIN_SPAN = PREFETCH_SPAN


def _configure_scatter(windows_min_span=None):
    """Test hook: the axis span from which scatters take several threads;
    returns the old setting as keyword arguments."""
    global SCATTER_WINDOWS_MIN_SPAN
    old = {"windows_min_span": SCATTER_WINDOWS_MIN_SPAN}
    if windows_min_span is not None:
        SCATTER_WINDOWS_MIN_SPAN = windows_min_span
    return old


cdef bint scatter_windows(const AdvancedPlan* plan, char* dst, const char* value,
                          Py_ssize_t value_stride, Py_ssize_t itemsize) noexcept nogil:
    """A large random scatter on several threads, each storing into its own
    window of the destination axis (reading every index, so each position's
    writes keep their order: the last still wins, for any thread count).
    False when it stays on one thread: a destination the caches hold gains
    nothing from more threads that each read every index."""
    cdef scatter_task t
    cdef Py_ssize_t stride = plan.axis_stride
    cdef int threads
    if (plan.fancy_size <= 4096 or plan.axis_len < 2
            or plan.axis_len * (stride if stride > 0 else -stride)
            <= SCATTER_WINDOWS_MIN_SPAN
            or not (itemsize == 1 or itemsize == 2 or itemsize == 4 or itemsize == 8
                    or itemsize == 16)):
        return False
    threads = threads_for_items(plan.fancy_size, itemsize)
    if threads < 2:
        return False
    t.dst = dst
    t.value = value
    t.idx = plan.index
    t.n = plan.fancy_size
    t.length = plan.axis_len
    t.stride = stride
    t.value_stride = value_stride
    t.itemsize = itemsize
    t.windows = threads if threads < plan.axis_len else plan.axis_len
    parallel_range(scatter_window_task, &t, t.windows, threads)
    return True


cdef void scatter_elements(const AdvancedPlan* plan, char* dst, const char* value,
                           Py_ssize_t value_stride, Py_ssize_t itemsize) noexcept nogil:
    """Scatter one item per index position from ``value`` (fixed stride).

    Several threads for large random scatters (``scatter_windows``): 1M
    random indices into 10M float64 measured 0.6 of the serial time on two
    threads; a window check with a branch had measured 1.4-3.3x NumPy's.
    """
    cdef Py_ssize_t n = plan.fancy_size, i
    cdef Py_ssize_t length = plan.axis_len, stride = plan.axis_stride
    cdef Py_ssize_t step = plan.mask_stride, count = plan.fancy_size
    cdef Py_ssize_t mask_len = plan.mask_len, vs = value_stride
    cdef const Py_ssize_t* idx = plan.index
    cdef const Py_ssize_t* offsets = plan.offsets
    cdef const char* mask = plan.mask
    cdef int mode = plan.mode
    if mode == FANCY_INDEX:
        if scatter_windows(plan, dst, value, value_stride, itemsize):
            return
        if itemsize == 8:
            scatter_index_items(dst, stride, idx, n, length,
                                <const unaligned_u64*>value, vs)
        elif itemsize == 4:
            scatter_index_items(dst, stride, idx, n, length,
                                <const unaligned_u32*>value, vs)
        elif itemsize == 1:
            scatter_index_items(dst, stride, idx, n, length,
                                <const unaligned_u8*>value, vs)
        elif itemsize == 2:
            scatter_index_items(dst, stride, idx, n, length,
                                <const unaligned_u16*>value, vs)
        elif itemsize == 16:
            scatter_index_items(dst, stride, idx, n, length,
                                <const unaligned_item16*>value, vs)
        else:
            for i in range(n):
                memcpy(dst + in_bounds(plan.index[i], plan.axis_len) * plan.axis_stride,
                       value + i * value_stride, itemsize)
    elif mode == FANCY_OFFSETS:
        if itemsize == 8:
            scatter_offset_items(dst, offsets, n, <const unaligned_u64*>value, vs)
        elif itemsize == 4:
            scatter_offset_items(dst, offsets, n, <const unaligned_u32*>value, vs)
        elif itemsize == 1:
            scatter_offset_items(dst, offsets, n, <const unaligned_u8*>value, vs)
        elif itemsize == 2:
            scatter_offset_items(dst, offsets, n, <const unaligned_u16*>value, vs)
        elif itemsize == 16:
            scatter_offset_items(dst, offsets, n, <const unaligned_item16*>value, vs)
        else:
            for i in range(n):
                memcpy(dst + plan.offsets[i], value + i * value_stride, itemsize)
    else:
        if itemsize == 8:
            expand_items(dst, step, mask, mask_len,
                         <const unaligned_u64*>value, vs, count)
        elif itemsize == 4:
            expand_items(dst, step, mask, mask_len,
                         <const unaligned_u32*>value, vs, count)
        elif itemsize == 1:
            expand_items(dst, step, mask, mask_len,
                         <const unaligned_u8*>value, vs, count)
        elif itemsize == 2:
            expand_items(dst, step, mask, mask_len,
                         <const unaligned_u16*>value, vs, count)
        elif itemsize == 16:
            expand_items(dst, step, mask, mask_len,
                         <const unaligned_item16*>value, vs, count)
        else:
            n = plan.fancy_size
            for i in range(plan.mask_len):
                if plan.mask[i] and n > 0:
                    memmove(dst + i * plan.mask_stride, value, itemsize)
                    value += value_stride
                    n -= 1


cdef inline Py_ssize_t position_offset(const AdvancedPlan* plan,
                                       Py_ssize_t b) noexcept nogil:
    """Byte offset of broadcast index position ``b`` (FANCY_INDEX/OFFSETS)."""
    if plan.mode == FANCY_INDEX:
        return in_bounds(plan.index[b], plan.axis_len) * plan.axis_stride
    return plan.offsets[b]


cdef void move_blocks(const AdvancedPlan* plan, char* array, char* other,
                      Py_ssize_t other_bstride, int n_inner,
                      const Py_ssize_t* inner_shape, const Py_ssize_t* array_strides,
                      const Py_ssize_t* other_strides, Py_ssize_t itemsize,
                      bint scatter) noexcept nogil:
    """Copy the inner block of every index position, array <-> other."""
    cdef Py_ssize_t b, i, left = plan.fancy_size
    cdef char* a
    if plan.mode == FANCY_COMPRESS:
        for i in range(plan.mask_len):
            if plan.mask[i] and left > 0:
                left -= 1
                a = array + i * plan.mask_stride
                if scatter:
                    copy_block(a, array_strides, other, other_strides, n_inner,
                               inner_shape, itemsize)
                else:
                    copy_block(other, other_strides, a, array_strides, n_inner,
                               inner_shape, itemsize)
                other += other_bstride
        return
    for b in range(plan.fancy_size):
        a = array + position_offset(plan, b)
        if scatter:
            copy_block(a, array_strides, other, other_strides, n_inner, inner_shape,
                       itemsize)
        else:
            copy_block(other, other_strides, a, array_strides, n_inner, inner_shape,
                       itemsize)
        other += other_bstride


cdef int run_fancy(const AdvancedPlan* plan, char* array, char* other,
                   const Py_ssize_t* other_strides, Py_ssize_t itemsize,
                   bint scatter) noexcept nogil:
    """The loop shared by gather and scatter: outer odometer x index positions
    x inner block.  ``other_strides`` cover the result axes.  Returns 1 when
    the other side is not one strided run over the index axes, 2 when the
    gather met an index out of bounds (see gather_index_items)."""
    cdef Py_ssize_t counter[MAX_NDIM]
    cdef Py_ssize_t ishape[MAX_NDIM]
    cdef Py_ssize_t istr_array[MAX_NDIM]
    cdef Py_ssize_t istr_other[MAX_NDIM]
    cdef Py_ssize_t bstride = 0, running = 0, n
    cdef const Py_ssize_t* ostr = other_strides
    cdef const Py_ssize_t* bstr = other_strides + plan.n_outer
    cdef int k, ni, no = plan.n_outer
    cdef bint have = False, outside = False
    if plan.fancy_size == 0:
        return 0
    for k in range(plan.result_nd):
        if plan.result_shape[k] == 0:
            return 0
    # The index axes of the other side must collapse to one stride.
    for k in range(plan.fancy_nd - 1, -1, -1):
        n = plan.result_shape[no + k]
        if n == 1:
            continue
        if not have:
            bstride = bstr[k]
            have = True
        elif bstr[k] != running:
            return 1
        running = bstr[k] * n
    for k in range(plan.n_inner):
        ishape[k] = plan.inner_shape[k]
        istr_array[k] = plan.inner_strides[k]
        istr_other[k] = other_strides[no + plan.fancy_nd + k]
    ni = coalesce_axes(plan.n_inner, ishape, istr_array, istr_other)
    array += plan.base_offset
    for k in range(no):
        counter[k] = 0
    while True:
        if ni == 0:
            if scatter:
                scatter_elements(plan, array, other, bstride, itemsize)
            elif bstride == itemsize or plan.fancy_size == 1:
                outside |= gather_elements(plan, other, array, itemsize)
            else:
                move_blocks(plan, array, other, bstride, 0, ishape, istr_array,
                            istr_other, itemsize, False)
        else:
            move_blocks(plan, array, other, bstride, ni, ishape, istr_array,
                        istr_other, itemsize, scatter)
        if not odometer_next(no, plan.outer_shape, counter, plan.outer_strides,
                             &array, ostr, &other):
            # (Every item is written, as in-bounds ones, even then.)
            return 2 if outside else 0


cdef int run_gather(const AdvancedPlan* plan, char* dst,
                    const Py_ssize_t* dst_strides, const char* src,
                    Py_ssize_t itemsize) noexcept nogil:
    """Fill the result ``dst`` (strides over the result axes) from the array
    at ``src``; NumPy's ``mapiter_get``: the plan's indices are validated,
    or checked here (bounds_unchecked).

    Returns 1 (writing nothing) when the result's index axes are not one
    strided run in C order: gather into a C-ordered stage and copy it then.
    Returns 2 (every item written, item 0 in a bad index's place) when an
    index was out of bounds: see ``unchecked_bounds_error``.
    """
    return run_fancy(plan, <char*>src, dst, dst_strides, itemsize, False)


cdef int run_scatter(const AdvancedPlan* plan, char* dst, const char* value,
                     const Py_ssize_t* value_strides,
                     Py_ssize_t itemsize) noexcept nogil:
    """Write ``value`` (strides over the result axes, zero where broadcast)
    into the array at ``dst``; NumPy's ``mapiter_set``, last write wins.

    ``value`` must not overlap ``dst``.  Returns 1 (writing nothing) when the
    value is not one strided run over the index axes: make it contiguous.
    """
    return run_fancy(plan, dst, <char*>value, value_strides, itemsize, True)


# ------------------------------------------------------------ test entry points

def plan_index(key, shape, strides):
    """Test entry point: ("view", offset, shape, strides), ("scalar", offset)
    or ("advanced",) for ``key`` on a (shape, strides) layout."""
    cdef Py_ssize_t sh[MAX_NDIM]
    cdef Py_ssize_t st[MAX_NDIM]
    cdef Py_ssize_t osh[MAX_NDIM]
    cdef Py_ssize_t ost[MAX_NDIM]
    cdef Py_ssize_t offset = 0
    cdef int nd = len(shape), out_nd = 0, kind, i
    for i in range(nd):
        sh[i] = shape[i]
        st[i] = strides[i]
    kind = plan_basic_index(key, nd, sh, st, &offset, &out_nd, osh, ost)
    if kind == INDEX_ADVANCED:
        return ("advanced",)
    if kind == INDEX_SCALAR:
        return ("scalar", offset)
    return ("view" if kind == INDEX_VIEW else "copy", offset,
            tuple([osh[i] for i in range(out_nd)]),
            tuple([ost[i] for i in range(out_nd)]))


def plan_advanced(key, shape, strides):
    """Test entry point: the result shape, outer/inner axis counts and mode of
    the advanced plan of ``key`` on a (shape, strides) layout."""
    cdef Py_ssize_t sh[MAX_NDIM]
    cdef Py_ssize_t st[MAX_NDIM]
    cdef AdvancedPlan plan
    cdef int nd = len(shape), i
    for i in range(nd):
        sh[i] = shape[i]
        st[i] = strides[i]
    plan.offsets = NULL
    plan.list_buffer = NULL
    plan.block_counts = NULL
    try:
        keep = plan_advanced_index(key, nd, sh, st, &plan)
        for error in keep[:2]:
            if error is not None:
                raise error
        return (tuple([plan.result_shape[i] for i in range(plan.result_nd)]),
                plan.n_outer, plan.n_inner,
                ("index", "offsets", "compress")[plan.mode])
    finally:
        release_plan(&plan)
