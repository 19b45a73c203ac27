# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Indexing plans: what a key selects, as offsets, shapes and strides.

A basic key (integers, slices, ``...``, ``None`` and tuples of these) becomes
a byte offset plus a new shape and strides: a view.  A key holding arrays,
lists or booleans is advanced and is handed to the gather/scatter path.
Messages follow NumPy's ``prepare_index`` word for word.
"""
from cpython.slice cimport PySlice_Check
from cpython.long cimport PyLong_Check
from cpython.tuple cimport PyTuple_Check, PyTuple_GET_SIZE
from array_core._typedefs cimport MAX_NDIM

from operator import index as _operator_index

import numpy as np

cdef extern from "Python.h":
    int PySlice_Unpack(object slice, Py_ssize_t* start, Py_ssize_t* stop,
                       Py_ssize_t* step) except -1
    Py_ssize_t PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t* start,
                                     Py_ssize_t* stop,
                                     Py_ssize_t step) noexcept nogil

INVALID_INDEX_MESSAGE = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
    "and integer or boolean arrays are valid indices")

# What one entry of a key is.
cdef enum:
    ENTRY_INTEGER = 0
    ENTRY_SLICE = 1
    ENTRY_NEWAXIS = 2
    ENTRY_ELLIPSIS = 3
    ENTRY_ADVANCED = 4


cdef inline int classify_entry(object item, Py_ssize_t* value) except -1:
    """Kind of one key entry; integers are returned through ``value``."""
    if PyLong_Check(item):
        if isinstance(item, bool):
            return ENTRY_ADVANCED
        value[0] = item
        return ENTRY_INTEGER
    if PySlice_Check(item):
        return ENTRY_SLICE
    if item is None:
        return ENTRY_NEWAXIS
    if item is Ellipsis:
        return ENTRY_ELLIPSIS
    if isinstance(item, (np.bool_, list)):
        return ENTRY_ADVANCED
    if hasattr(item, "__array_interface__") or hasattr(item, "__array__"):
        arr = np.asarray(item)
        if arr.ndim == 0 and arr.dtype.kind in "iu":
            value[0] = int(arr)
            return ENTRY_INTEGER
        return ENTRY_ADVANCED
    try:
        value[0] = _operator_index(item)
    except TypeError:
        raise IndexError(INVALID_INDEX_MESSAGE) from None
    return ENTRY_INTEGER


cdef int plan_basic_index(object key, int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides, Py_ssize_t* offset,
                          int* out_nd, Py_ssize_t* out_shape,
                          Py_ssize_t* out_strides) except -1:
    """Plan ``key`` on the (shape, strides) layout.

    Returns INDEX_VIEW with ``offset`` (bytes from the data pointer) and the
    view's ``out_nd``/``out_shape``/``out_strides``; INDEX_SCALAR with the
    element's ``offset``; or INDEX_ADVANCED, leaving the outputs unspecified.
    Raises NumPy's IndexError/ValueError for bad keys.
    """
    cdef Py_ssize_t n_items, i, value = 0, start, stop, step, length
    cdef int kinds[MAX_NDIM * 2 + 1]
    cdef Py_ssize_t values[MAX_NDIM * 2 + 1]
    cdef int consumed = 0, n_new = 0, ellipsis_at = -1, axis, out, k
    cdef int n_integers = 0
    cdef object items
    if PyTuple_Check(key):
        items = key
    else:
        items = (key,)
    n_items = PyTuple_GET_SIZE(items)
    if n_items > MAX_NDIM * 2:
        raise IndexError(f"too many indices for array: array is "
                         f"{nd}-dimensional, but {n_items} were indexed")
    for i in range(n_items):
        kinds[i] = classify_entry(items[i], &value)
        values[i] = value
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
        raise IndexError(f"too many indices for array: array is "
                         f"{nd}-dimensional, but {consumed} were indexed")
    if consumed + n_new - n_integers + (nd - consumed) > MAX_NDIM:
        raise IndexError(f"number of dimensions must be within [0, {MAX_NDIM}]")
    offset[0] = 0
    axis = 0
    out = 0
    for i in range(n_items):
        if kinds[i] == ENTRY_INTEGER:
            value = values[i]
            if value < -shape[axis] or value >= shape[axis]:
                raise IndexError(f"index {value} is out of bounds for axis "
                                 f"{axis} with size {shape[axis]}")
            if value < 0:
                value += shape[axis]
            offset[0] += value * strides[axis]
            axis += 1
        elif kinds[i] == ENTRY_SLICE:
            PySlice_Unpack(items[i], &start, &stop, &step)
            length = PySlice_AdjustIndices(shape[axis], &start, &stop, step)
            if length <= 0:
                # As NumPy: an empty slice keeps the axis's own stride.
                length = 0
                start = 0
                step = 1
            offset[0] += start * strides[axis]
            out_shape[out] = length
            out_strides[out] = strides[axis] * step
            out += 1
            axis += 1
        elif kinds[i] == ENTRY_NEWAXIS:
            out_shape[out] = 1
            out_strides[out] = 0
            out += 1
        else:  # the ellipsis stands for every axis the key does not name
            for k in range(nd - consumed):
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
    return INDEX_VIEW


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
    return ("view", offset, tuple([osh[i] for i in range(out_nd)]),
            tuple([ost[i] for i in range(out_nd)]))
