# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Metadata algorithms on shapes and byte strides.

Nothing here knows about arrays: every function takes shapes, strides and
item sizes.  Each algorithm has a ``cdef ... noexcept nogil`` pointer core,
used by ``_copy`` and ``_array``, and a ``def`` entry point taking typed
memoryviews, used by the tests.
"""
from array_core._typedefs cimport (
    MAX_NDIM, FLAG_C_CONTIGUOUS, FLAG_F_CONTIGUOUS, wrap_mul, wrap_add,
)
from operator import index as _operator_index

from cpython.long cimport PyLong_CheckExact
from cpython.exc cimport PyErr_Occurred, PyErr_Clear
from cpython.tuple cimport PyTuple_GET_ITEM
from cpython.sequence cimport PySequence_Check

cdef extern from "Python.h":
    const Py_ssize_t PY_SSIZE_T_MAX
    const Py_ssize_t PY_SSIZE_T_MIN
    # Unchecked by Cython: store_dimension tests for the error itself.
    Py_ssize_t long_as_ssize_t "PyLong_AsSsize_t" (object) noexcept

import numpy as np


cdef Py_ssize_t shape_size(int nd, const Py_ssize_t* shape) noexcept nogil:
    """Number of elements of ``shape``.

    The product wraps as NumPy's does: only an itemsize-0 array may have
    lengths whose product overflows (creation refuses any other).
    """
    cdef Py_ssize_t n = 1
    cdef int i
    for i in range(nd):
        n = wrap_mul(n, shape[i])
    return n


cdef void fill_contiguous_strides(int nd, const Py_ssize_t* shape,
                                  Py_ssize_t itemsize, bint fortran,
                                  Py_ssize_t* strides) noexcept nogil:
    """C (row-major) or F (column-major) byte strides for ``shape``.

    As NumPy does, a zero-length axis does not zero the strides of the others:
    the running product treats it as length 1.  Products wrap (checked
    shapes never reach that).
    """
    cdef Py_ssize_t step = itemsize
    cdef int i
    if fortran:
        for i in range(nd):
            strides[i] = step
            step = wrap_mul(step, shape[i] if shape[i] else 1)
    else:
        for i in range(nd - 1, -1, -1):
            strides[i] = step
            step = wrap_mul(step, shape[i] if shape[i] else 1)


cdef int contiguity_flags(int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides,
                          Py_ssize_t itemsize) noexcept nogil:
    """FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS under NumPy's relaxed rules.

    Length-1 axes are ignored; an empty array is both C and F contiguous.
    (NumPy's ``_UpdateContiguousFlags``.)
    """
    cdef int i
    cdef int flags = FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS
    cdef Py_ssize_t expected = itemsize
    for i in range(nd):
        if shape[i] == 0:
            return FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS
    for i in range(nd - 1, -1, -1):
        if shape[i] != 1:
            if strides[i] != expected:
                flags &= ~FLAG_C_CONTIGUOUS
                break
            expected = wrap_mul(expected, shape[i])
    expected = itemsize
    for i in range(nd):
        if shape[i] != 1:
            if strides[i] != expected:
                flags &= ~FLAG_F_CONTIGUOUS
                break
            expected = wrap_mul(expected, shape[i])
    return flags


cdef int nocopy_reshape_strides(int nd, const Py_ssize_t* shape,
                                const Py_ssize_t* strides, Py_ssize_t itemsize,
                                int new_nd, const Py_ssize_t* newshape,
                                bint fortran,
                                Py_ssize_t* newstrides) noexcept nogil:
    """Strides that view (shape, strides) as ``newshape``, if any exist.

    Returns 1 and fills ``newstrides`` when a view is possible, else 0.  The
    element counts must already agree.  Follows NumPy's
    ``_attempt_nocopy_reshape``: length-1 axes are dropped from the old layout,
    then groups of old and new axes with equal products are matched and each
    old group must be mergeable (stride[i] == stride[i+1] * shape[i+1] in C
    order, the mirror in F order).
    """
    cdef Py_ssize_t olddims[MAX_NDIM]
    cdef Py_ssize_t oldstrides[MAX_NDIM]
    cdef int oldnd = 0
    cdef int oi, oj, ni, nj, ok, nk, i
    cdef Py_ssize_t np_, op, last_stride
    for i in range(nd):
        if shape[i] != 1:
            olddims[oldnd] = shape[i]
            oldstrides[oldnd] = strides[i]
            oldnd += 1
    if shape_size(nd, shape) == 0:
        # Any layout of an empty array is a valid view of it.
        fill_contiguous_strides(new_nd, newshape, itemsize, fortran, newstrides)
        return 1
    oi = 0
    oj = 1
    ni = 0
    nj = 1
    while ni < new_nd and oi < oldnd:
        np_ = newshape[ni]
        op = olddims[oi]
        while np_ != op:
            # Only an itemsize-0 array's wrapped sizes can fail to meet.
            if np_ < op:
                if nj >= new_nd:
                    return 0
                np_ = wrap_mul(np_, newshape[nj])
                nj += 1
            else:
                if oj >= oldnd:
                    return 0
                op = wrap_mul(op, olddims[oj])
                oj += 1
        # The old axes oi..oj-1 must be one strided run.
        for ok in range(oi, oj - 1):
            if fortran:
                if oldstrides[ok + 1] != wrap_mul(olddims[ok], oldstrides[ok]):
                    return 0
            else:
                if oldstrides[ok] != wrap_mul(olddims[ok + 1], oldstrides[ok + 1]):
                    return 0
        if fortran:
            newstrides[ni] = oldstrides[oi]
            for nk in range(ni + 1, nj):
                newstrides[nk] = wrap_mul(newstrides[nk - 1], newshape[nk - 1])
        else:
            newstrides[nj - 1] = oldstrides[oj - 1]
            for nk in range(nj - 1, ni, -1):
                newstrides[nk - 1] = wrap_mul(newstrides[nk], newshape[nk])
        ni = nj
        nj += 1
        oi = oj
        oj += 1
    # Trailing length-1 axes of the new shape take the last stride seen.
    if ni >= 1:
        last_stride = newstrides[ni - 1]
    else:
        last_stride = itemsize
    if fortran and ni >= 1:
        last_stride = wrap_mul(last_stride, newshape[ni - 1])
    for nk in range(ni, new_nd):
        newstrides[nk] = last_stride
    return 1


cdef void byte_extent(int nd, const Py_ssize_t* shape, const Py_ssize_t* strides,
                      Py_ssize_t itemsize, Py_ssize_t* low,
                      Py_ssize_t* high) noexcept nogil:
    """Byte range [low, high) touched, relative to the data pointer.

    An empty array touches nothing: low == high == 0.  The sums wrap: only
    an array whose strides reach outside the address space overflows them.
    """
    cdef Py_ssize_t lo = 0, hi = itemsize
    cdef int i
    for i in range(nd):
        if shape[i] == 0:
            low[0] = 0
            high[0] = 0
            return
        if strides[i] < 0:
            lo = wrap_add(lo, wrap_mul(strides[i], shape[i] - 1))
        else:
            hi = wrap_add(hi, wrap_mul(strides[i], shape[i] - 1))
    low[0] = lo
    high[0] = hi


cdef int coalesce_axes(int nd, Py_ssize_t* shape, Py_ssize_t* strides_a,
                       Py_ssize_t* strides_b) noexcept nogil:
    """Merge neighbouring axes that are one strided run in both layouts.

    Works in place on C-ordered loops (last axis fastest), drops length-1
    axes, and returns the new number of axes.  ``strides_b`` may be NULL.
    A zero-size shape is returned unchanged.
    """
    cdef int i, out = 0
    if shape_size(nd, shape) == 0:
        return nd
    for i in range(nd):
        if shape[i] == 1:
            continue
        if (out > 0
                and strides_a[out - 1] == wrap_mul(strides_a[i], shape[i])
                and (strides_b == NULL
                     or strides_b[out - 1] == wrap_mul(strides_b[i], shape[i]))):
            shape[out - 1] = wrap_mul(shape[out - 1], shape[i])
            strides_a[out - 1] = strides_a[i]
            if strides_b != NULL:
                strides_b[out - 1] = strides_b[i]
        else:
            shape[out] = shape[i]
            strides_a[out] = strides_a[i]
            if strides_b != NULL:
                strides_b[out] = strides_b[i]
            out += 1
    return out


cdef Py_ssize_t dimension_from_scalar(object item) except? -1:
    """One axis length, as NumPy's ``dimension_from_scalar`` converts it."""
    # NumPy refuses bools outright, before trying __index__.
    if isinstance(item, (bool, np.bool_)):
        raise TypeError("an integer is required")
    value = _operator_index(item)
    if not PY_SSIZE_T_MIN <= value <= PY_SSIZE_T_MAX:
        raise ValueError("Maximum allowed dimension exceeded")
    return value


cdef inline int store_dimension(object item, Py_ssize_t* out) except -1:
    """``out[0]`` = one axis length, as NumPy's ``PyArray_IntpFromIndexSequence``."""
    cdef Py_ssize_t value
    if not PyLong_CheckExact(item):
        out[0] = dimension_from_scalar(item)
        return 0
    # Exact ints convert directly; no try block (it costs on every call).
    value = long_as_ssize_t(item)
    if value == -1 and PyErr_Occurred() != NULL:
        PyErr_Clear()  # the OverflowError of an int beyond Py_ssize_t
        raise ValueError("Maximum allowed dimension exceeded") from None
    out[0] = value
    return 0


cdef int convert_shape(object obj, Py_ssize_t* out) except -1:
    """Fill ``out`` from an integer or a sequence of integers; return its length.

    NumPy's ``PyArray_IntpConverter``: anything that is not a sequence (or
    cannot be read as one) is tried as a single integer, and a failure there
    says a sequence or an integer was expected.
    """
    cdef Py_ssize_t nd, i
    cdef object items = None
    if type(obj) is tuple:
        items = obj
    elif PyLong_CheckExact(obj):
        store_dimension(obj, out)
        return 1
    elif obj is None:
        raise TypeError("Use () not None as shape arguments")
    elif PySequence_Check(obj):
        try:
            items = obj if isinstance(obj, (tuple, list)) else list(obj)
        except Exception:
            items = None
    if items is None:
        try:
            out[0] = dimension_from_scalar(obj)
        except TypeError:
            raise TypeError(f"expected a sequence of integers or a single "
                            f"integer, got '{repr(obj)[:100]}'") from None
        return 1
    nd = len(items)
    if nd > MAX_NDIM:
        raise ValueError(
            f"maximum supported dimension for an ndarray is currently "
            f"{MAX_NDIM}, found {nd}")
    if type(items) is tuple:
        # The common case (every reshape(a, b, ...) call): no item lookups.
        for i in range(nd):
            store_dimension(<object>PyTuple_GET_ITEM(items, i), out + i)
    else:
        for i in range(nd):
            store_dimension(items[i], out + i)
    return <int>nd


cdef int fix_unknown_axis(int nd, Py_ssize_t* shape,
                          Py_ssize_t size) except -1:
    """Resolve the one negative (unknown) entry of ``shape`` against ``size``.

    NumPy's ``_fix_unknown_dimension``: any negative entry is the unknown
    axis, a second one is an error, and every size mismatch gets NumPy's
    message printing the shape as given.
    """
    cdef int i, unknown = -1
    cdef Py_ssize_t known = 1, d
    for i in range(nd):
        d = shape[i]
        if d < 0:
            if unknown >= 0:
                raise ValueError("can only specify one unknown dimension")
            unknown = i
        elif d and known > PY_SSIZE_T_MAX // d:
            _raise_bad_reshape(size, nd, shape)
        else:
            known *= d
    if unknown >= 0:
        if known == 0 or size % known != 0:
            _raise_bad_reshape(size, nd, shape)
        shape[unknown] = size // known
    elif known != size:
        _raise_bad_reshape(size, nd, shape)
    return 0


cdef int resolve_newshape(object newshape, Py_ssize_t size,
                          Py_ssize_t* out) except -1:
    """Fill ``out`` from a reshape argument; return its number of axes.

    ``convert_shape`` then ``fix_unknown_axis``.
    """
    cdef int nd = convert_shape(newshape, out)
    fix_unknown_axis(nd, out, size)
    return nd


cdef _raise_bad_reshape(Py_ssize_t size, int nd, const Py_ssize_t* shape):
    # NumPy's convert_shape_to_string: leading unknowns are dropped, later
    # ones print as "newaxis".
    cdef int i = 0
    while i < nd and shape[i] < 0:
        i += 1
    if i == nd:
        text = "()"
    else:
        parts = [str(shape[i])]
        for k in range(i + 1, nd):
            parts.append("newaxis" if shape[k] < 0 else str(shape[k]))
        text = "(" + ",".join(parts) + ("," if nd == 1 else "") + ")"
    raise ValueError(f"cannot reshape array of size {size} into shape {text}")


# ---------------------------------------------------------------- entry points

def c_strides(const Py_ssize_t[::1] shape, Py_ssize_t itemsize):
    """C-order strides of ``shape`` as a tuple."""
    cdef Py_ssize_t out[MAX_NDIM]
    fill_contiguous_strides(<int>shape.shape[0], &shape[0] if shape.shape[0] else NULL,
                            itemsize, False, out)
    return tuple([out[i] for i in range(shape.shape[0])])


def f_strides(const Py_ssize_t[::1] shape, Py_ssize_t itemsize):
    """F-order strides of ``shape`` as a tuple."""
    cdef Py_ssize_t out[MAX_NDIM]
    fill_contiguous_strides(<int>shape.shape[0], &shape[0] if shape.shape[0] else NULL,
                            itemsize, True, out)
    return tuple([out[i] for i in range(shape.shape[0])])


cdef const Py_ssize_t* _ptr(const Py_ssize_t[::1] v) noexcept:
    return &v[0] if v.shape[0] else NULL


def _check_same_length(shape, strides):
    if shape.shape[0] != strides.shape[0]:
        raise ValueError("shape and strides must have the same length")
    if shape.shape[0] > MAX_NDIM:
        raise ValueError(f"at most {MAX_NDIM} dimensions are supported")


def is_c_contiguous(const Py_ssize_t[::1] shape, const Py_ssize_t[::1] strides,
                    Py_ssize_t itemsize):
    """True when the layout is C contiguous under NumPy's relaxed rules."""
    _check_same_length(shape, strides)
    return bool(contiguity_flags(<int>shape.shape[0], _ptr(shape), _ptr(strides),
                                 itemsize) & FLAG_C_CONTIGUOUS)


def is_f_contiguous(const Py_ssize_t[::1] shape, const Py_ssize_t[::1] strides,
                    Py_ssize_t itemsize):
    """True when the layout is F contiguous under NumPy's relaxed rules."""
    _check_same_length(shape, strides)
    return bool(contiguity_flags(<int>shape.shape[0], _ptr(shape), _ptr(strides),
                                 itemsize) & FLAG_F_CONTIGUOUS)


def attempt_nocopy_reshape(const Py_ssize_t[::1] shape,
                           const Py_ssize_t[::1] strides,
                           const Py_ssize_t[::1] newshape, str order,
                           Py_ssize_t itemsize=8):
    """Strides viewing (shape, strides) as ``newshape`` in ``order``, or None.

    ``order`` is 'C' or 'F'.  The sizes must agree (ValueError otherwise).
    """
    cdef Py_ssize_t out[MAX_NDIM]
    cdef int new_nd = <int>newshape.shape[0]
    _check_same_length(shape, strides)
    if new_nd > MAX_NDIM:
        raise ValueError(f"at most {MAX_NDIM} dimensions are supported")
    if order not in ("C", "F"):
        raise ValueError("order must be 'C' or 'F'")
    if (shape_size(<int>shape.shape[0], _ptr(shape))
            != shape_size(new_nd, _ptr(newshape))):
        raise ValueError("total size of new array must be unchanged")
    if not nocopy_reshape_strides(<int>shape.shape[0], _ptr(shape), _ptr(strides),
                                  itemsize, new_nd, _ptr(newshape),
                                  order == "F", out):
        return None
    return tuple([out[i] for i in range(new_nd)])


def extent(const Py_ssize_t[::1] shape, const Py_ssize_t[::1] strides,
           Py_ssize_t itemsize):
    """(low, high) byte offsets touched, relative to the data pointer."""
    cdef Py_ssize_t lo, hi
    _check_same_length(shape, strides)
    byte_extent(<int>shape.shape[0], _ptr(shape), _ptr(strides), itemsize, &lo, &hi)
    return lo, hi


def coalesce(const Py_ssize_t[::1] shape, const Py_ssize_t[::1] strides_a,
             strides_b=None):
    """(shape, strides_a, strides_b) with mergeable axes merged."""
    cdef Py_ssize_t s[MAX_NDIM]
    cdef Py_ssize_t a[MAX_NDIM]
    cdef Py_ssize_t b[MAX_NDIM]
    cdef int nd = <int>shape.shape[0], i, out
    cdef const Py_ssize_t[::1] sb
    _check_same_length(shape, strides_a)
    if strides_b is not None:
        sb = np.ascontiguousarray(strides_b, dtype=np.intp)
        _check_same_length(shape, sb)
    for i in range(nd):
        s[i] = shape[i]
        a[i] = strides_a[i]
        b[i] = sb[i] if strides_b is not None else 0
    out = coalesce_axes(nd, s, a, b if strides_b is not None else NULL)
    return (tuple([s[i] for i in range(out)]), tuple([a[i] for i in range(out)]),
            tuple([b[i] for i in range(out)]) if strides_b is not None else None)


def fix_unknown_dimension(newshape, Py_ssize_t size):
    """Resolve a reshape argument (with at most one -1) against ``size``."""
    cdef Py_ssize_t out[MAX_NDIM]
    cdef int nd = resolve_newshape(newshape, size, out)
    return tuple([out[i] for i in range(nd)])
