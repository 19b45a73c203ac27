# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Assignment into arrays: ``ndarray.__setitem__``'s code.

``x[key] = value`` writes in place, with NumPy's broadcasting, casting,
messages and order of checks: a basic key writes the strided region it
selects (``assign_strided``), a full integer key one element
(``assign_scalar``), an advanced key scatters through ``_index``'s plan
(``advanced_setitem``).  No view or copy of the target is made, and a bad
value writes nothing.  The write goes through the lazy-copy protocol
(``begin_write``/``end_write``): a lazy copy's memory is materialised, once,
before it is written.

The class's ``__setitem__`` calls ``assign_item`` through a function
pointer this module installs at import (imports go one way: this module
cimports ``_array``, never the reverse).
"""
from cpython.buffer cimport PyBUF_STRIDES, PyObject_GetBuffer, PyBuffer_Release
from libc.string cimport memcpy
from libc.stdlib cimport malloc, free
from libc.stdint cimport uintptr_t

from array_core._typedefs cimport MAX_NDIM, FLAG_WRITEABLE, FLAG_WARN_ON_WRITE
from array_core._buffer cimport Buffer
from array_core._layout cimport shape_size, byte_extent, fill_contiguous_strides
from array_core._copy cimport copy_strided
from array_core._index cimport (
    plan_basic_index, INDEX_VIEW, INDEX_SCALAR, INDEX_VIEW_COPY, INDEX_ADVANCED,
    AdvancedPlan, plan_advanced_index, release_plan, run_scatter,
    materialise_offsets, FANCY_INDEX,
)
from array_core._array cimport (
    ndarray, NOGIL_BYTES, data_of, offset_pointer, snapshot_layout,
    begin_write, end_write, read_pin, read_pins, as_numpy, as_numpy_for_write,
    numpy_nested, numpy_shape_text, raise_broadcast_error,
    is_structured, is_field_key, field_view,
    install_assign_item, warn_before_write,
)

import warnings

import numpy as np

# One 0-d NumPy array per dtype, where NumPy converts a scalar value.
cdef dict _scalar_scratch = {}
cdef object _ComplexWarning = np.exceptions.ComplexWarning
cdef object _float64 = np.dtype(np.float64)


cdef int assign_item(ndarray self, object key, object value) except -1:
    """``self[key] = value``, in place (``ndarray.__setitem__``).

    Basic keys write the region they select, full integer keys one element,
    advanced keys scatter; the value is broadcast and cast as NumPy does,
    and checked before anything is written.  Structured arrays go through
    NumPy's field-wise copy on a writable view.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t layout_shape[MAX_NDIM]
    cdef Py_ssize_t layout_strides[MAX_NDIM]
    cdef Py_ssize_t offset = 0
    cdef int out_nd = 0
    cdef int kind, nd
    cdef Buffer written
    if not self.flags_ & FLAG_WRITEABLE:
        raise ValueError("assignment destination is read-only")
    if self.flags_ & FLAG_WARN_ON_WRITE:
        warn_before_write(self)
    if is_structured(self.dtype_):
        if is_field_key(key):
            field_view(self, key)[...] = value
            return 0
        # A structured item may have holes (padding, or the other fields
        # of a multi-field view) that NumPy's field-wise copy leaves alone.
        as_numpy_for_write(self)[numpy_nested(key)] = numpy_nested(value)
        return 0
    # Held from here to the end: the key's and the value's Python code
    # (or another thread) cannot share or move the memory being written.
    written = begin_write(self)
    kind = INDEX_SCALAR
    try:
        # Planned on a copy of the metadata: the key's __index__ may
        # reshape.
        nd = snapshot_layout(self, layout_shape, layout_strides)
        kind = plan_basic_index(key, nd, layout_shape, layout_strides,
                                &offset, &out_nd, shape, strides)
        if kind == INDEX_SCALAR:
            assign_scalar(self, data_of(self) + offset, value)
        elif kind == INDEX_VIEW or kind == INDEX_VIEW_COPY:
            assign_strided(self, offset_pointer(data_of(self), offset), out_nd,
                           shape, strides, value)
        else:
            advanced_setitem(self, key, value)
    except RuntimeWarning as warning:
        # A cast warning raised as an error: where NumPy casts while it
        # copies (array values; a NumPy scalar into one element), it has
        # written the cast values by then.  Write them too, then raise.
        if kind != INDEX_SCALAR and casts_while_writing(
                kind, out_nd, shape_size(out_nd, shape), value, warning):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with np.errstate(all="ignore"):
                    if kind == INDEX_ADVANCED:
                        advanced_setitem(self, key, value)
                    else:
                        assign_strided(self, data_of(self) + offset, out_nd,
                                       shape, strides, value)
        raise
    finally:
        end_write(written)
    return 0


# Values are staged here when a scalar is converted through NumPy.
cdef enum:
    SCALAR_STAGE_BYTES = 64


cdef bint casts_while_writing(int kind, int out_nd, Py_ssize_t size,
                              object value, object warning) except -1:
    """Whether NumPy has written the values of a failed assignment whose
    cast warned (see ``__setitem__``): an array value of one or more axes;
    a 0-d array into a one-element basic region; a NumPy scalar into a 0-d
    one."""
    if isinstance(warning, _ComplexWarning) or kind == INDEX_ADVANCED:
        return (not isinstance(warning, _ComplexWarning)
                and isinstance(value, (ndarray, np.ndarray)) and value.ndim > 0)
    if isinstance(value, (ndarray, np.ndarray)):
        return value.ndim > 0 or size == 1
    return isinstance(value, np.generic) and out_nd == 0


cdef object numpy_layout(object arr, char** ptr, int* nd, Py_ssize_t* shape,
                         Py_ssize_t* strides):
    """Pointer, shape and strides of a NumPy array (read through its buffer)."""
    cdef Py_buffer view
    cdef int i
    try:
        PyObject_GetBuffer(arr, &view, PyBUF_STRIDES)
    except (BufferError, ValueError, TypeError):
        interface = arr.__array_interface__
        ptr[0] = <char*><uintptr_t>interface["data"][0]
        nd[0] = arr.ndim
        for i in range(nd[0]):
            shape[i] = arr.shape[i]
            strides[i] = arr.strides[i]
        return arr
    ptr[0] = <char*>view.buf
    nd[0] = view.ndim
    for i in range(view.ndim):
        shape[i] = view.shape[i]
        strides[i] = view.strides[i]
    PyBuffer_Release(&view)
    return arr


cdef object value_source(object value, ndarray target, int max_nd, char** ptr,
                         int* nd, Py_ssize_t* shape, Py_ssize_t* strides,
                         char* stage):
    """Where the elements of an assigned ``value`` are, in the target's dtype.

    Returns the object that owns that memory (keep it alive while copying).
    An array_core array of the same dtype is read in place; a scalar is
    converted into ``stage`` (SCALAR_STAGE_BYTES); anything else goes through
    NumPy's conversion (``max_nd`` >= 0 limits the axes of a non-array value,
    as NumPy's slice assignment does; -1 marks an advanced assignment).
    """
    cdef ndarray v
    cdef int i
    if isinstance(value, ndarray):
        v = <ndarray>value
        if v.dtype_ is target.dtype_ or v.dtype_ == target.dtype_:
            # Pinned before the pointer is read: valid even if another
            # thread moves v (a lazy copy written).
            pin = read_pin(v.buffer)
            ptr[0] = data_of(v)
            nd[0] = v.nd
            for i in range(v.nd):
                shape[i] = v.dims[i]
                strides[i] = v.strides_[i]
            return pin
    elif (type(value) is float or type(value) is int or type(value) is bool
          or type(value) is complex
          or (isinstance(value, np.generic)
              and (max_nd >= 0 or value.dtype == target.dtype_))) \
            and target.itemsize_ <= SCALAR_STAGE_BYTES:
        # (An advanced assignment casts a NumPy scalar of another dtype as
        # an array, unsafely: NumPy's PyArray_FromAny with FORCECAST; basic
        # ones pack it, PyArray_Pack, which refuses out-of-range values.)
        stage_scalar(target, value, stage)
        ptr[0] = stage
        nd[0] = 0
        return None
    try:
        converted = value_as_numpy(value, target.dtype_)
    except RuntimeWarning:
        # NumPy finds a sequence's axes before it casts the elements.
        if max_nd >= 0 and not isinstance(value, (np.ndarray, ndarray)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value_nd = np.ndim(value)
            if value_nd > max_nd:
                raise_too_many_value_axes(max_nd)
        raise
    if (max_nd >= 0 and converted.ndim > max_nd
            and not isinstance(value, (np.ndarray, ndarray))):
        raise_too_many_value_axes(max_nd)
    return numpy_layout(converted, ptr, nd, shape, strides)


cdef int raise_too_many_value_axes(int max_nd) except -1:
    raise ValueError(
        f"setting an array element with a sequence. The requested array "
        f"would exceed the maximum number of dimension of {max_nd}.")


cdef int stage_scalar(ndarray target, object value, char* stage) except -1:
    """Convert one value to the target's dtype and store it at ``stage``
    (NumPy's ``PyArray_Pack`` rules: the same conversions, warnings and
    errors; nothing is stored when the conversion fails)."""
    cdef object entry = _scalar_scratch.get(target.dtype_)
    cdef uintptr_t address
    if entry is None:
        scratch = np.empty((), target.dtype_)
        entry = (scratch, scratch.__array_interface__["data"][0])
        _scalar_scratch[target.dtype_] = entry
    entry[0][()] = value
    address = entry[1]
    memcpy(stage, <const void*>address, target.itemsize_)
    return 0


cdef int assign_scalar(ndarray target, char* p, object value) except -1:
    """``target[full integer index] = value``: one element, NumPy's rules."""
    if type(value) is float and target.dtype_ is _float64:
        (<double*>p)[0] = <double>value
        return 0
    if isinstance(value, ndarray):
        value = as_numpy(<ndarray>value)  # NumPy packs arrays, not objects
    try:
        stage_scalar(target, value, p)
    except RuntimeWarning as warning:
        # A floating-point cast warning turned error (overflow, invalid):
        # NumPy's PyArray_Pack has stored the cast value by then, so does
        # this for NumPy scalars and arrays (cast, then checked); Python
        # scalars are checked before they are stored, and ComplexWarning
        # comes before the cast.
        entry = _scalar_scratch.get(target.dtype_)
        if (entry is not None and not isinstance(warning, _ComplexWarning)
                and isinstance(value, (np.generic, np.ndarray))):
            memcpy(p, <const void*><uintptr_t>entry[1], target.itemsize_)
        raise
    return 0


cdef bint regions_overlap(const char* a, int a_nd, const Py_ssize_t* a_shape,
                          const Py_ssize_t* a_strides, const char* b, int b_nd,
                          const Py_ssize_t* b_shape, const Py_ssize_t* b_strides,
                          Py_ssize_t itemsize) noexcept:
    """True when the byte ranges of two strided regions intersect."""
    cdef Py_ssize_t alo, ahi, blo, bhi
    if shape_size(a_nd, a_shape) == 0 or shape_size(b_nd, b_shape) == 0:
        return False
    byte_extent(a_nd, a_shape, a_strides, itemsize, &alo, &ahi)
    byte_extent(b_nd, b_shape, b_strides, itemsize, &blo, &bhi)
    return (<uintptr_t>a + alo < <uintptr_t>b + bhi
            and <uintptr_t>b + blo < <uintptr_t>a + ahi)


cdef char* stage_contiguous(const char* src, int nd, const Py_ssize_t* shape,
                            const Py_ssize_t* src_strides, Py_ssize_t itemsize,
                            Py_ssize_t* out_strides) except NULL:
    """A malloc'd C-contiguous copy of a strided region (broadcast axes are
    expanded); the caller frees it.  Used for values, never for results."""
    cdef Py_ssize_t nbytes = shape_size(nd, shape) * itemsize
    cdef char* stage = <char*>malloc(nbytes if nbytes > 0 else 1)
    if stage == NULL:
        raise MemoryError()
    fill_contiguous_strides(nd, shape, itemsize, False, out_strides)
    if copy_strided(stage, out_strides, src, src_strides, nd, shape, itemsize) != 0:
        free(stage)
        raise MemoryError("could not allocate the staging buffer of a copy")
    return stage


cdef int advanced_setitem(ndarray self, object key, object value) except -1:
    """``self[key] = value`` for an advanced key, in place.

    Indices and the value's shape are checked before anything is written; a
    value that overlaps ``self`` is staged first (``x[idx] = x[idx2]``);
    repeated indices: the last write wins.
    """
    cdef AdvancedPlan plan
    cdef Py_ssize_t layout_shape[MAX_NDIM]
    cdef Py_ssize_t layout_strides[MAX_NDIM]
    cdef int nd
    cdef char stage[SCALAR_STAGE_BYTES]
    cdef Py_ssize_t vshape[MAX_NDIM]
    cdef Py_ssize_t vstrides[MAX_NDIM]
    cdef Py_ssize_t rstrides[MAX_NDIM]
    cdef Py_ssize_t cstrides[MAX_NDIM]
    cdef char* vptr
    cdef char* target
    cdef char* staged = NULL
    cdef char* expanded = NULL
    cdef int vnd = 0, i, k = 0, rnd, status
    cdef Py_ssize_t n
    cdef object keep, _source, _key_pins
    cdef bint release_gil
    plan.offsets = NULL
    plan.list_buffer = NULL
    plan.block_counts = NULL
    try:
        # The plan may point into array keys: their memory stays valid
        # even if another thread moves them (lazy copies written).
        _key_pins = read_pins(key)
        nd = snapshot_layout(self, layout_shape, layout_strides)
        keep = plan_advanced_index(key, nd, layout_shape, layout_strides, &plan,
                                   True)
        _source = value_source(value, self, -1, &vptr, &vnd, vshape, vstrides,
                               stage)   # (kept alive while copying)
        if keep[0] is not None:   # NumPy: value conversion, index broadcast,
            raise keep[0]         # value broadcast, then index bounds
        rnd = plan.result_nd
        if plan.single_mask:
            # NumPy's single-boolean-array assignment: a 0-d or 1-d value.
            if vnd > 1:
                raise TypeError(
                    f"NumPy boolean array indexing assignment requires a 0 or "
                    f"1-dimensional input, input has {vnd} dimensions")
            if vnd == 1 and vshape[0] != 1 and vshape[0] != plan.fancy_size:
                raise ValueError(
                    f"NumPy boolean array indexing assignment cannot assign "
                    f"{vshape[0]} input values to the {plan.fancy_size} output "
                    f"values where the mask is true")
        else:
            # NumPy reshapes a value with extra axes to its last ``rnd`` axes,
            # which works when the dropped axes are 1 or nothing is left.
            k = 0
            if vnd > rnd:
                k = vnd - rnd
                if (shape_size(k, vshape) != 1
                        and shape_size(rnd, vshape + k) != 0):
                    raise_value_shape_mismatch(vnd, vshape, rnd,
                                               plan.result_shape)
            for i in range(vnd - k):
                n = vshape[k + i]
                if n != 1 and n != plan.result_shape[rnd - (vnd - k) + i]:
                    raise_value_shape_mismatch(vnd, vshape, rnd, plan.result_shape)
        if keep[1] is not None:
            raise keep[1]
        if not plan.single_mask and vnd > 0 and regions_overlap(
                vptr, vnd, vshape, vstrides, data_of(self), self.nd, self.dims,
                self.strides_, self.itemsize_):
            # Read every value before writing any (NumPy stages overlaps too,
            # except for a single mask, whose values it reads as it writes).
            staged = stage_contiguous(vptr, vnd, vshape, vstrides, self.itemsize_,
                                      cstrides)
            vptr = staged
            for i in range(vnd):
                vstrides[i] = cstrides[i]
        if plan.mode == FANCY_INDEX and index_overlaps_target(&plan, self):
            materialise_offsets(&plan)   # x[x] = ...: read the indices first
        for i in range(rnd):
            rstrides[i] = 0
        if plan.single_mask:
            if vnd == 1 and vshape[0] != 1:
                rstrides[0] = vstrides[0]
        else:
            for i in range(vnd - k):
                if vshape[k + i] != 1:
                    rstrides[rnd - (vnd - k) + i] = vstrides[k + i]
        release_gil = plan.fancy_size * self.itemsize_ >= NOGIL_BYTES
        target = data_of(self)
        if release_gil:
            with nogil:
                status = run_scatter(&plan, target, vptr, rstrides, self.itemsize_)
        else:
            status = run_scatter(&plan, target, vptr, rstrides, self.itemsize_)
        if status == 1:
            # The value is not one run over the index axes: expand it first.
            expanded = stage_contiguous(vptr, rnd, plan.result_shape, rstrides,
                                        self.itemsize_, cstrides)
            run_scatter(&plan, target, expanded, cstrides, self.itemsize_)
    finally:
        release_plan(&plan)
        free(staged)
        free(expanded)
    return 0


cdef bint index_overlaps_target(const AdvancedPlan* plan, ndarray target) noexcept:
    """True when the plan's index array lies in the target's memory."""
    cdef Py_ssize_t lo, hi
    cdef uintptr_t start = <uintptr_t>plan.index
    cdef uintptr_t end = start + plan.fancy_size * sizeof(Py_ssize_t)
    if plan.fancy_size == 0 or shape_size(target.nd, target.dims) == 0:
        return False
    byte_extent(target.nd, target.dims, target.strides_, target.itemsize_, &lo, &hi)
    return (start < <uintptr_t>data_of(target) + hi
            and <uintptr_t>data_of(target) + lo < end)


cdef int raise_value_shape_mismatch(int vnd, const Py_ssize_t* vshape, int rnd,
                                    const Py_ssize_t* rshape) except -1:
    raise ValueError(
        f"shape mismatch: value array of shape {numpy_shape_text(vnd, vshape)} "
        f"could not be broadcast to indexing result of shape "
        f"{numpy_shape_text(rnd, rshape)}")


cdef object value_as_numpy(object value, object dtype):
    """``value`` as a NumPy array of ``dtype`` (NumPy's assignment casting)."""
    if isinstance(value, ndarray):
        v = as_numpy(<ndarray>value)
    elif isinstance(value, np.ndarray):
        v = value
    else:
        return np.asarray(value, dtype=dtype)
    if v.dtype != dtype:
        v = v.astype(dtype)
    return v


cdef int assign_strided(ndarray target, char* data, int nd, const Py_ssize_t* shape,
                        const Py_ssize_t* strides, object value) except -1:
    """Write ``value``, broadcast to ``shape``, into the (data, strides) region.

    Values are converted and their shape checked first, so a bad value writes
    nothing; overlapping sources are staged by the copy kernel.
    """
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef Py_ssize_t vshape[MAX_NDIM]
    cdef Py_ssize_t vstrides[MAX_NDIM]
    cdef char stage[SCALAR_STAGE_BYTES]
    cdef char* vptr
    cdef Py_ssize_t n
    cdef int vnd = 0, i, k, status
    cdef object _keep = value_source(value, target, nd, &vptr, &vnd, vshape,
                                     vstrides, stage)
    # NumPy drops leading length-1 axes of a value with too many axes.
    k = 0
    while vnd - k > nd and vshape[k] == 1:
        k += 1
    if vnd - k > nd:
        raise_broadcast_error(vnd - k, vshape + k, nd, shape)
    for i in range(nd):
        src_strides[i] = 0
    for i in range(vnd - k):
        n = vshape[k + i]
        if n == shape[nd - (vnd - k) + i]:
            src_strides[nd - (vnd - k) + i] = vstrides[k + i]
        elif n != 1:
            raise_broadcast_error(vnd - k, vshape + k, nd, shape)
    if shape_size(nd, shape) * target.itemsize_ >= NOGIL_BYTES:
        with nogil:
            status = copy_strided(data, strides, vptr, src_strides, nd, shape,
                                  target.itemsize_)
    else:
        status = copy_strided(data, strides, vptr, src_strides, nd, shape,
                              target.itemsize_)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return 0


install_assign_item(assign_item)
