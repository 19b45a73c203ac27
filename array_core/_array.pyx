# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""The ndarray: a Buffer plus metadata, routing every operation to a view or a copy.

A view is a new ndarray on the same Buffer with other (data, shape, strides).
A copy is a new Buffer made by ``allocate_copy`` -- the one choke point every
copy of the project goes through -- and filled by the strided copy kernel (or
by NumPy's casting loops when the dtype changes).

This module holds the class and the primitives the family modules build on
(``_array.pxd`` lists them): argument parsing, views, the choke point, lazy
copies, NumPy interop, conversion (``convert_array``), the constructor and
indexing.  The families import it, never the reverse: the creation
functions are in ``_creation``, and ``ndarray.__setitem__``'s code is in
``_setitem``, which installs it here at import (``install_assign_item``).
"""
cimport cython
from cpython.buffer cimport PyBUF_WRITABLE, PyBUF_FORMAT, PyBUF_ND, PyBUF_STRIDES
from cpython.buffer cimport PyBUF_C_CONTIGUOUS, PyBUF_F_CONTIGUOUS, PyBUF_ANY_CONTIGUOUS
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.long cimport PyLong_FromSsize_t
from cpython.ref cimport Py_INCREF, Py_DECREF, PyObject
from cpython.object cimport PyTypeObject
from cpython.type cimport PyType_CheckExact
from cpython.dict cimport PyDict_GetItem
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_New
from libc.string cimport memcpy, memset
from libc.stdlib cimport malloc, free
from libc.stdint cimport uintptr_t

cdef extern from "Python.h":
    Py_ssize_t Py_REFCNT(object o)
    const Py_ssize_t PY_SSIZE_T_MAX
    const Py_ssize_t PY_SSIZE_T_MIN_VALUE "PY_SSIZE_T_MIN"

# NumPy's C API, for as_numpy's views (numpy.get_include() in setup.py).
cdef extern from "numpy/arrayobject.h":
    ctypedef struct PyArray_Descr:
        pass
    ctypedef struct PyArrayObject:
        pass
    PyTypeObject PyArray_Type
    object PyArray_NewFromDescr(PyTypeObject* subtype, PyArray_Descr* descr,
                                int nd, Py_ssize_t* dims, Py_ssize_t* strides,
                                void* data, int flags, PyObject* obj)
    int PyArray_SetBaseObject(PyArrayObject* arr, PyObject* base) except -1
    int PyArray_CopyInto(PyArrayObject* dst, PyArrayObject* src) except -1
    int PyArray_DescrConverter(object obj, PyArray_Descr** out) except 0
    ctypedef enum NPY_CASTING:
        NPY_NO_CASTING
        NPY_EQUIV_CASTING
        NPY_SAFE_CASTING
        NPY_SAME_KIND_CASTING
        NPY_UNSAFE_CASTING
    bint PyArray_CanCastTypeTo(PyArray_Descr* source, PyArray_Descr* target,
                               NPY_CASTING casting)
    bint PyDataType_HASSUBARRAY(PyArray_Descr* descr)
    bint PyDataType_REFCHK(PyArray_Descr* descr)
    bint PyArray_Check(object obj)
    bint PyArray_DescrCheck(object obj)
    int PyArray_NDIM(PyArrayObject* arr)
    Py_ssize_t* PyArray_DIMS(PyArrayObject* arr)
    Py_ssize_t* PyArray_STRIDES(PyArrayObject* arr)
    char* PyArray_BYTES(PyArrayObject* arr)
    bint PyArray_ISWRITEABLE(PyArrayObject* arr)
    PyArray_Descr* PyArray_DESCR(PyArrayObject* arr)
    PyObject* PyArray_BASE(PyArrayObject* arr)
    int _import_array() except -1
    enum:
        NPY_ARRAY_WRITEABLE

_import_array()

from array_core._typedefs cimport (
    MAX_NDIM, FLAG_C_CONTIGUOUS, FLAG_F_CONTIGUOUS, FLAG_OWNDATA,
    FLAG_WRITEABLE, FLAG_ALIGNED, FLAG_WARN_ON_WRITE, ORDER_C, ORDER_F, ORDER_A,
    ORDER_K,
    mul_overflows, wrap_mul, wrap_add,
)
from array_core._buffer cimport (
    Buffer, allocate_buffer, borrow_buffer, wrap_pointer,
)
from array_core._layout cimport (
    fill_contiguous_strides, contiguity_flags, nocopy_reshape_strides,
    shape_size, byte_extent, convert_shape, fix_unknown_axis,
)
from array_core._copy cimport copy_contiguous, copy_strided
from array_core._cast cimport cast_code, cast_strided
from array_core._index cimport (
    plan_basic_index, INDEX_VIEW, INDEX_SCALAR, INDEX_VIEW_COPY,
    AdvancedPlan, plan_advanced_index, release_plan, run_gather, scratch_layout,
    unchecked_bounds_error,
    PROBE_NONE, PROBE_INTP, PROBE_BOOL, count_mask_bytes, compress_mask_items,
    probe_index_array,
)
from array_core._index import register_array_type
from array_core._dtypes import (
    Unrepresentable, struct_format_candidates, creation_dtype, needs_creation_dtype,
)

import builtins
import operator
import warnings
import weakref

import numpy as np
from numpy.exceptions import AxisError
# NumPy's MemoryError for an array that cannot be allocated (it formats the
# message from the shape and dtype); NumPy's own tests catch it by this name.
from numpy._core._exceptions import _ArrayMemoryError

# Looked up once: attribute access on the numpy module costs per call.
cdef object _CopyMode = np._CopyMode
cdef object _dtype_type = np.dtype

# NumPy's flag bits, for flagsobj.num.
cdef enum:
    NPY_C_CONTIGUOUS = 0x1
    NPY_F_CONTIGUOUS = 0x2
    NPY_OWNDATA = 0x4
    NPY_ALIGNED = 0x100
    NPY_WRITEABLE = 0x400

# Copy categories (_array.pxd), as the copy policy and audit see them.
COPY_CATEGORIES = ("explicit", "implicit", "advanced-index", "lazy-materialise")
# (A lazy copy is reported as "lazy", with no bytes: see lazy_copy.)

# A buffer export's block: this many header slots, then shape and strides.
cdef enum:
    EXPORT_HEADER = 2

_ASARRAY_COPY_MESSAGE = (
    "Unable to avoid copy while creating an array as requested.\n"
    "If using `np.array(obj, copy=False)` replace it with `np.asarray(obj)` "
    "to allow a copy when needed (no behavior change in NumPy 1.x).\n"
    "For more details, see "
    "https://numpy.org/devdocs/numpy_2_0_migration_guide.html"
    "#adapting-to-changes-in-the-copy-keyword.")


# ------------------------------------------------------------------ helpers

cdef object _float64 = np.dtype(np.float64)


cdef object resolve_dtype(object dtype):
    """A numpy.dtype for ``dtype``, refusing dtypes that hold references."""
    if dtype is None:
        return _float64
    if not isinstance(dtype, _dtype_type):
        dtype = _dtype_type(dtype)
    if dtype.hasobject:
        raise TypeError(
            f"array_core does not support {dtype!r}: arrays of Python object "
            f"references cannot be viewed or copied as raw memory")
    return dtype


cdef str type_name(object obj):
    """The C-level ``tp_name`` NumPy prints for the type of ``obj``."""
    t = type(obj)
    module = t.__module__
    if module is None or module == "builtins":
        return t.__qualname__
    return f"{module}.{t.__qualname__}"


cdef int parse_order(object order, str default) except -1:
    """ORDER_* for an order argument: NumPy's ``PyArray_OrderConverter``.

    None means ``default``; otherwise one letter of C/F/A/K in either case
    (str or bytes), with NumPy's TypeError and ValueError messages.
    """
    cdef object text = order
    if order is None:
        text = default
    elif type(order) is str:
        pass
    elif isinstance(order, bytes):
        text = order.decode("ascii", "replace")
    elif not isinstance(order, str):
        raise TypeError(f"order must be str, not {type_name(order)}")
    # The one-letter orders almost every call uses come first.
    if text == "C":
        return ORDER_C
    if text == "F":
        return ORDER_F
    if text == "K":
        return ORDER_K
    if text == "A":
        return ORDER_A
    if len(text) == 1:
        first = text.upper()
        if first == "C":
            return ORDER_C
        if first == "F":
            return ORDER_F
        if first == "A":
            return ORDER_A
        if first == "K":
            return ORDER_K
    raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")


_CASTINGS = frozenset(["no", "equiv", "safe", "same_kind", "unsafe", "same_value"])
# The rules as NumPy's C API takes them (same_value is checked elsewhere).
cdef dict _CASTING_RULES = {
    "no": NPY_NO_CASTING, "equiv": NPY_EQUIV_CASTING, "safe": NPY_SAFE_CASTING,
    "same_kind": NPY_SAME_KIND_CASTING, "unsafe": NPY_UNSAFE_CASTING,
}


cdef str parse_casting(object casting):
    """A casting rule name: NumPy's ``PyArray_CastingConverter``."""
    text = casting
    if isinstance(casting, bytes):
        text = casting.decode("ascii", "replace")
    elif not isinstance(casting, str):
        raise TypeError(f"casting must be str, not {type_name(casting)}")
    if text not in _CASTINGS:
        raise ValueError(f"casting must be one of 'no', 'equiv', 'safe', "
                         f"'same_kind', 'unsafe', 'same_value' (got {casting!r})")
    return text


cdef int parse_copy(object copy) except -1:
    """COPY_* for a ``copy=`` argument (None, a truth value or np._CopyMode)."""
    if copy is None:
        return COPY_IF_NEEDED
    if copy is True:
        return COPY_ALWAYS
    if copy is False:
        return COPY_NEVER
    if isinstance(copy, _CopyMode):
        return <int>int(copy.value)
    if isinstance(copy, str):
        raise ValueError("strings are not allowed for 'copy' keyword. "
                         "Use True/False/None instead.")
    return COPY_ALWAYS if copy else COPY_NEVER


# The scalar types whose dtype NumPy keeps as one object (np.float32, int,
# ...): what the converter returns for them, every time.
cdef dict _scalar_type_dtypes = {
    kind: np.dtype(kind)
    for kind in {*np.sctypeDict.values(), bool, int, float, complex}
    if np.dtype(kind) is np.dtype(kind)
}


cdef object convert_dtype(object dtype):
    """``dtype`` as a numpy.dtype (None: None), NumPy's messages, no refusal.

    Argument parsing converts the dtype first; refusing a dtype array_core
    cannot hold (``refuse_object_dtype``) waits until every argument has
    passed NumPy's checks, so a bad later argument is reported as NumPy does.
    """
    cdef PyArray_Descr* descr
    cdef PyObject* known
    if dtype is None or PyArray_DescrCheck(dtype):
        return dtype
    if PyType_CheckExact(dtype):
        # A scalar type's dtype is one fixed object: a lookup, not the
        # converter (a fifth of a 3x3 ``astype(np.float32)``).  Classes of
        # ``type`` itself hash and compare by identity: no other key matches.
        known = PyDict_GetItem(_scalar_type_dtypes, dtype)
        if known != NULL:
            return <object>known
    # ``numpy.dtype(dtype)`` without the Python call: the same converter.
    PyArray_DescrConverter(dtype, &descr)
    result = <object><PyObject*>descr
    Py_DECREF(result)  # the converter's reference (``result`` holds one)
    return result


cdef bint equivalent_dtypes(object a, object b) except -1:
    """``a == b`` for two numpy.dtypes, at no cost for the plain C types."""
    cdef int code_a, code_b
    if a is b:
        return True
    code_a = cast_code(a)
    code_b = cast_code(b)
    if code_a >= 0 and code_b >= 0:
        return code_a == code_b  # ('l' and 'q', or metadata, are equivalent)
    return a == b


cdef int refuse_object_dtype(object dtype) except -1:
    if dtype is not None and cast_code(dtype) < 0 and dtype.hasobject:
        resolve_dtype(dtype)
    return 0


cdef int check_device(object device) except -1:
    """NumPy's ``PyArray_DeviceConverterOptional``: only "cpu" (or None)."""
    if device is not None and not (type(device) is str and device == "cpu"):
        raise ValueError(f'Device not understood. Only "cpu" is allowed, '
                         f'but received: {device}')
    return 0


cdef int check_like(object like) except -1:
    """``like=``: None, an array_core array or an ``__array_function__`` type.

    array_core makes its own arrays whatever ``like`` is; NumPy's TypeError
    for an object that does not implement the protocol.
    """
    if (like is not None and not isinstance(like, ndarray)
            and not hasattr(type(like), "__array_function__")):
        raise TypeError("The `like` argument must be an array-like that "
                        "implements the `__array_function__` protocol.")
    return 0


cdef int python_int_as_int(object value) except? -1:
    """NumPy's ``PyArray_PythonPyIntFromInt`` (ndmin=, ndmax=)."""
    if isinstance(value, float):
        raise TypeError("integer argument expected, got float")
    result = operator.index(value)
    if not -9223372036854775808 <= result <= 9223372036854775807:
        raise OverflowError("Python int too large to convert to C long")
    if not -2147483648 <= result <= 2147483647:
        raise OverflowError("Python int too large to convert to C int")
    return result


cdef int c_int_argument(object value) except? -1:
    """An ``"i"`` argument of ``PyArg_ParseTuple`` (swapaxes), its messages."""
    result = operator.index(value)
    if not -9223372036854775808 <= result <= 9223372036854775807:
        raise OverflowError("Python int too large to convert to C long")
    if result > 2147483647:
        raise OverflowError("signed integer is greater than maximum")
    if result < -2147483648:
        raise OverflowError("signed integer is less than minimum")
    return result


cdef inline void fill_allocation_strides(
        int nd, const Py_ssize_t* shape, Py_ssize_t itemsize, bint fortran,
        Py_ssize_t* strides) noexcept:
    """Strides of a fresh allocation: contiguous, or all zero when empty (NumPy)."""
    if shape_size(nd, shape) == 0:
        memset(strides, 0, nd * sizeof(Py_ssize_t))
    else:
        fill_contiguous_strides(nd, shape, itemsize, fortran, strides)


cdef Py_ssize_t normalize_axis(Py_ssize_t axis, int nd, object prefix) except -1:
    """``axis`` in [0, nd): NumPy's ``check_and_adjust_axis_msg``."""
    if axis < -nd or axis >= nd:
        raise AxisError(axis, nd, prefix)
    return axis + nd if axis < 0 else axis


cdef int axis_as_int(object value, str message) except? -1:
    """NumPy's ``PyArray_PyIntAsInt_ErrMsg``: bools refused, C int range."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(message)
    result = operator.index(value)
    if not -9223372036854775808 <= result <= 9223372036854775807:
        raise OverflowError("Python int too large to convert to C long")
    if not -2147483648 <= result <= 2147483647:
        raise ValueError("integer won't fit into a C int")
    return result


cdef int convert_multi_axis(object axis, int nd, bint* flags) except -1:
    """Mark the axes named by ``axis`` (an int or a tuple of ints) in ``flags``.

    NumPy's ``PyArray_ConvertMultiAxis``, including its messages and its
    leniency for 0-d arrays (axis 0 or -1 name nothing).
    """
    cdef int i, ax
    for i in range(nd):
        flags[i] = False
    if isinstance(axis, tuple):
        for item in axis:
            ax = axis_as_int(item, "integers are required for the axis tuple "
                                   "elements")
            ax = normalize_axis(ax, nd, None)
            if flags[ax]:
                raise ValueError("duplicate value in 'axis'")
            flags[ax] = True
        return 0
    ax = axis_as_int(axis, "an integer is required for the axis")
    if nd == 0 and (ax == 0 or ax == -1):
        return 0
    flags[normalize_axis(ax, nd, None)] = True
    return 0


cdef tuple shape_tuple(int nd, const Py_ssize_t* values):
    # The values are read before anything is allocated: an allocation may run
    # the garbage collector, and with it Python code that reshapes the array.
    cdef Py_ssize_t copied[MAX_NDIM]
    cdef tuple t
    cdef int i
    cdef object item
    memcpy(copied, values, nd * sizeof(Py_ssize_t))
    t = PyTuple_New(nd)
    for i in range(nd):
        item = PyLong_FromSsize_t(copied[i])
        Py_INCREF(item)
        PyTuple_SET_ITEM(t, i, item)
    return t


cdef int reserve_dims(ndarray a, int nd) except -1:
    """Point ``a.dims``/``a.strides_`` at room for ``nd`` axes.

    Up to four axes live inside the object, so small arrays never malloc.
    Previous contents are not kept.
    """
    if nd > MAX_NDIM:
        raise ValueError(
            f"maximum supported dimension for an ndarray is currently "
            f"{MAX_NDIM}, found {nd}")
    if a.dims != NULL and a.dims != a.small_dims:
        PyMem_Free(a.dims)
    if nd <= 4:
        a.dims = a.small_dims
    else:
        a.dims = <Py_ssize_t*>PyMem_Malloc(2 * nd * sizeof(Py_ssize_t))
        if a.dims == NULL:
            a.nd = 0
            raise MemoryError()
    a.strides_ = a.dims + nd
    a.nd = nd
    return 0


cdef inline ndarray new_metadata(int nd):
    """An empty ndarray shell with room for ``nd`` lengths and strides."""
    cdef ndarray a = ndarray.__new__(ndarray)
    if nd <= 4:
        # The common case, inline: the metadata lives inside the object.
        a.dims = a.small_dims
        a.strides_ = a.small_dims + nd
        a.nd = nd
    else:
        reserve_dims(a, nd)
    return a


cdef ndarray new_subclass_metadata(type cls, int nd):
    """``new_metadata`` for an instance of ``cls``, a Python subclass of
    ndarray (``memmap``): the views of such an array keep its type."""
    cdef ndarray a = <ndarray>new_instance(cls, ())
    reserve_dims(a, nd)
    return a


cdef inline bint is_aligned(ndarray a) noexcept:
    """True when every element sits on its dtype's alignment (NumPy's rule)."""
    cdef int i
    cdef uintptr_t bits = <uintptr_t>data_of(a)
    if shape_size(a.nd, a.dims) == 0:
        return True
    for i in range(a.nd):
        if a.dims[i] > 1:
            bits |= <uintptr_t>a.strides_[i]
    # NumPy's alignments are powers of two.
    return a.alignment <= 1 or (bits & <uintptr_t>(a.alignment - 1)) == 0


cdef inline void update_layout_flags(ndarray a) noexcept:
    """Recompute the contiguity and alignment flags from the metadata."""
    cdef int flags = a.flags_ & (FLAG_OWNDATA | FLAG_WRITEABLE | FLAG_WARN_ON_WRITE)
    flags |= contiguity_flags(a.nd, a.dims, a.strides_, a.itemsize_)
    if is_aligned(a):
        flags |= FLAG_ALIGNED
    a.flags_ = flags


# The sizes of the dtype seen last: reading them from a numpy.dtype is a
# Python attribute lookup, and copies of one dtype come in runs.
cdef object sizes_of_dtype = None
cdef Py_ssize_t itemsize_of_dtype = 0
cdef Py_ssize_t alignment_of_dtype = 0


cdef int remember_dtype_sizes(object dtype) except -1:
    global sizes_of_dtype, itemsize_of_dtype, alignment_of_dtype
    itemsize_of_dtype = dtype.itemsize
    alignment_of_dtype = dtype.alignment
    sizes_of_dtype = dtype
    return 0


cdef ndarray new_array(Buffer buf, char* data, int nd, const Py_ssize_t* shape,
                       const Py_ssize_t* strides, object dtype, object base,
                       int own_flags):
    """An ndarray over ``buf`` with the given metadata.

    ``own_flags`` holds FLAG_OWNDATA and FLAG_WRITEABLE as wanted; the other
    flags are computed.
    """
    cdef ndarray a
    cdef int i
    if (base is None or type(base) is ndarray
            or not isinstance(base, ndarray)):
        a = new_metadata(nd)
    else:
        a = new_subclass_metadata(type(base), nd)  # a view of a memmap, say
    a.buffer = buf
    a.offset = offset_in(data, buf)
    a.dtype_ = dtype
    if dtype is not sizes_of_dtype:
        remember_dtype_sizes(dtype)
    a.itemsize_ = itemsize_of_dtype
    a.alignment = alignment_of_dtype
    a.base_ = base
    for i in range(nd):
        a.dims[i] = shape[i]
        a.strides_[i] = strides[i]
    a.flags_ = own_flags
    if buf.readonly:
        a.flags_ &= ~FLAG_WRITEABLE
    update_layout_flags(a)
    return a


cdef ndarray make_view(ndarray src, char* data, int nd, const Py_ssize_t* shape,
                       const Py_ssize_t* strides):
    """A view of ``src``'s buffer with new metadata (same dtype)."""
    return make_view_with_flags(src, data, nd, shape, strides, -1)


cdef ndarray make_view_with_flags(ndarray src, char* data, int nd,
                                  const Py_ssize_t* shape,
                                  const Py_ssize_t* strides, int layout_flags):
    """``make_view``, given the contiguity/alignment flags when the caller
    knows them already (-1: compute them)."""
    cdef ndarray a
    cdef int i
    if type(src) is ndarray:
        a = new_metadata(nd)
    else:
        a = new_subclass_metadata(type(src), nd)  # views keep the subclass
    a.buffer = src.buffer
    a.offset = offset_in(data, src.buffer)
    a.dtype_ = src.dtype_
    a.itemsize_ = src.itemsize_
    a.alignment = src.alignment
    a.base_ = base_for_view(src)
    for i in range(nd):
        a.dims[i] = shape[i]
        a.strides_[i] = strides[i]
    a.flags_ = src.flags_ & (FLAG_WRITEABLE | FLAG_WARN_ON_WRITE)
    if layout_flags < 0:
        update_layout_flags(a)
    else:
        a.flags_ |= layout_flags
    return a


cdef ndarray plain_view(ndarray src):
    """A view of ``src`` (an instance of a subclass) as a plain ndarray,
    its base by NumPy's collapse for a view of another type."""
    cdef ndarray a = new_metadata(src.nd)
    cdef int i
    a.buffer = src.buffer
    a.offset = src.offset
    a.dtype_ = src.dtype_
    a.itemsize_ = src.itemsize_
    a.alignment = src.alignment
    a.base_ = collapsed_base(src, ndarray)
    for i in range(src.nd):
        a.dims[i] = src.dims[i]
        a.strides_[i] = src.strides_[i]
    a.flags_ = src.flags_ & ~FLAG_OWNDATA
    return a


cdef ndarray reversed_axes_view(ndarray src):
    """``src.T``: a view with the axes in reverse order."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int i, n = src.nd
    for i in range(n):
        shape[i] = src.dims[n - 1 - i]
        strides[i] = src.strides_[n - 1 - i]
    # Reversing the axes swaps C and F contiguity; alignment is unchanged.
    return make_view_with_flags(
        src, data_of(src), n, shape, strides,
        (src.flags_ & FLAG_ALIGNED)
        | (FLAG_F_CONTIGUOUS if src.flags_ & FLAG_C_CONTIGUOUS else 0)
        | (FLAG_C_CONTIGUOUS if src.flags_ & FLAG_F_CONTIGUOUS else 0))


cdef ndarray from_numpy(object arr, object base, bint owned):
    """Wrap a NumPy array without copying.

    ``owned`` marks memory NumPy just made for us (the result owns its data
    and has no base); otherwise ``base`` becomes the result's base.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t lo, hi
    cdef uintptr_t address
    cdef int nd, i
    cdef bint readonly
    cdef object dtype
    cdef Buffer buf
    cdef PyArrayObject* p = NULL
    if PyArray_Check(arr):
        p = <PyArrayObject*>arr
        nd = PyArray_NDIM(p)
        if nd:  # (a 0-d array's dims and strides may be NULL)
            memcpy(shape, PyArray_DIMS(p), nd * sizeof(Py_ssize_t))
            memcpy(strides, PyArray_STRIDES(p), nd * sizeof(Py_ssize_t))
        address = <uintptr_t>PyArray_BYTES(p)
        readonly = not PyArray_ISWRITEABLE(p)
        dtype = resolve_dtype(<object><PyObject*>PyArray_DESCR(p))
    else:
        nd = arr.ndim
        dtype = resolve_dtype(arr.dtype)
        interface = arr.__array_interface__
        address, readonly = interface["data"]
        np_shape = arr.shape
        np_strides = arr.strides
        for i in range(nd):
            shape[i] = np_shape[i]
            strides[i] = np_strides[i]
    byte_extent(nd, shape, strides, dtype.itemsize, &lo, &hi)
    buf = wrap_pointer(arr, address + lo, hi - lo, readonly)
    # Memory NumPy made for us is reachable only through the result (not
    # when it views other memory: pickle's out-of-band buffers, say).
    buf.private = owned and (PyArray_BASE(p) == NULL if PyArray_Check(arr)
                             else arr.base is None)
    return new_array(buf, <char*>address, nd, shape, strides, dtype,
                     None if owned else base,
                     (FLAG_OWNDATA if owned else 0) | FLAG_WRITEABLE)


# ------------------------------------------------------------ the copy choke point

# The copy-control layer (policy, audit) installs a hook here; while none is
# installed, a copy costs one C-level test.
cdef object copy_hook = None


def _set_copy_hook(hook):
    """Install (or, with None, remove) the callable told about every copy.

    It is called as ``hook(operation, category, reason, source, nbytes)``
    before the buffer is allocated, and may raise to refuse the copy.
    ``reason`` is a short text, or while a hook is installed possibly a tuple
    ``(text, *details)`` (reshape: new shape, order; ravel: order; astype and
    asarray-like conversions: dtype, order).
    """
    global copy_hook
    copy_hook = hook


cdef bint copies_heard() noexcept:
    """Whether a hook hears of copies now: a kernel that checks its input as
    it copies must then check before ``allocate_copy`` instead, so that the
    hook is not told of a copy that an error stops."""
    return copy_hook is not None


# Methods whose code lives in a family module above _array (imports go one
# way): each family installs its functions here when array_core is imported,
# and the class's methods call them by name (``family_methods["sum"]``).
cdef dict family_methods = {}


def _install_methods(**functions):
    """Install family-module functions that ``ndarray`` methods forward to."""
    family_methods.update(functions)


# ``ndarray.__setitem__``'s code, which _setitem installs at import.
cdef assign_item_function assign_item = NULL


cdef int install_assign_item(assign_item_function function) except -1:
    """Install ``function`` as the code of ``ndarray.__setitem__``."""
    global assign_item
    assign_item = function
    return 0


# ``ndarray.__array_function__``'s code, which _dispatch installs at import:
# a C call, not a lookup in family_methods, on every NumPy function call.
cdef array_function_function run_array_function = NULL


cdef int install_array_function(array_function_function function) except -1:
    """Install ``function`` as the code of ``ndarray.__array_function__``."""
    global run_array_function
    run_array_function = function
    return 0


cdef void sorted_stride_perm(int nd, const Py_ssize_t* strides,
                             int* perm) noexcept:
    """Axes sorted by |stride|, largest first, ties in axis order.

    NumPy's ``PyArray_CreateSortedStridePerm`` (the 'K' order of copies).
    """
    cdef int i, j, p
    cdef Py_ssize_t s
    for i in range(nd):
        perm[i] = i
    for i in range(1, nd):
        p = perm[i]
        s = strides[p] if strides[p] >= 0 else -strides[p]
        j = i - 1
        while j >= 0 and (strides[perm[j]] if strides[perm[j]] >= 0
                          else -strides[perm[j]]) < s:
            perm[j + 1] = perm[j]
            j -= 1
        perm[j + 1] = p


cdef void iteration_order_k(int nd, const Py_ssize_t* shape,
                            const Py_ssize_t* strides, int* perm) noexcept:
    """The axes in the order NumPy's iterator visits them for order 'K'.

    Outermost first.  NumPy's ``npyiter_find_best_axis_ordering`` for one
    operand (what ``flatten('K')`` and ``ravel('K')`` read with): starting
    from C order, a stable insertion sort by |stride| in which an axis of
    stride 0 (or of length 1, which the iterator gives stride 0) compares
    with nothing, so it is passed over and keeps its place.  Negative
    strides are not flipped (``NPY_ITER_DONT_NEGATE_STRIDES``).
    """
    cdef int inner[MAX_NDIM]
    cdef int i0, i1, ipos, moving
    cdef Py_ssize_t s0, s1
    # The iterator works innermost axis first.
    for i0 in range(nd):
        inner[i0] = nd - 1 - i0
    for i0 in range(1, nd):
        moving = inner[i0]
        s0 = 0 if shape[moving] == 1 else strides[moving]
        if s0 < 0:
            s0 = -s0
        ipos = i0
        if s0 != 0:
            for i1 in range(i0 - 1, -1, -1):
                s1 = 0 if shape[inner[i1]] == 1 else strides[inner[i1]]
                if s1 < 0:
                    s1 = -s1
                if s1 == 0:
                    continue  # nothing to compare: keep looking further out
                if s1 <= s0:
                    break
                ipos = i1
        if ipos != i0:
            for i1 in range(i0, ipos, -1):
                inner[i1] = inner[i1 - 1]
            inner[ipos] = moving
    for i0 in range(nd):
        perm[i0] = inner[nd - 1 - i0]


cdef void fill_copy_strides(ndarray src, int nd, const Py_ssize_t* shape,
                            int order, Py_ssize_t itemsize,
                            const Py_ssize_t* src_strides,
                            Py_ssize_t* strides) noexcept:
    """Strides of a new copy of ``src`` in ``order`` (C, F or K).

    NumPy's ``PyArray_NewLikeArray``: 'K' keeps ``src``'s stride order, and
    a fresh empty allocation has all-zero strides.
    """
    cdef int perm[MAX_NDIM]
    cdef Py_ssize_t step
    cdef Py_ssize_t nbytes = shape_size(nd, shape) * itemsize
    cdef int i
    if order == ORDER_K:
        if nd <= 1 or src.flags_ & FLAG_C_CONTIGUOUS:
            order = ORDER_C
        elif src.flags_ & FLAG_F_CONTIGUOUS:
            order = ORDER_F
    if order == ORDER_K:
        sorted_stride_perm(nd, src_strides, perm)
        step = itemsize
        for i in range(nd - 1, -1, -1):
            strides[perm[i]] = step
            step *= shape[perm[i]] if shape[perm[i]] else 1
    else:
        fill_contiguous_strides(nd, shape, itemsize, order == ORDER_F, strides)
    if nbytes == 0:
        # NumPy gives every fresh empty allocation all-zero strides.
        memset(strides, 0, nd * sizeof(Py_ssize_t))


cdef Buffer allocate_array_buffer(int nd, const Py_ssize_t* shape, object dtype,
                                  Py_ssize_t nbytes):
    """``allocate_buffer(nbytes)`` for an array of ``shape`` and ``dtype``,
    failing as NumPy does: ``_ArrayMemoryError`` ("Unable to allocate 8.00 EiB
    for an array with shape (...) and data type ...")."""
    try:
        return allocate_buffer(nbytes)
    except MemoryError:
        raise _ArrayMemoryError(shape_tuple(nd, shape), dtype) from None


cdef ndarray allocate_copy(ndarray src, int nd, const Py_ssize_t* shape,
                           int order, object dtype, str operation,
                           int category, object reason,
                           const Py_ssize_t* given_strides=NULL):
    """The one place where a buffer for a copy of ``src`` is made.

    Tells the copy hook (policy, audit) first, then allocates an owned,
    writeable, uninitialised array of ``shape`` and ``dtype`` laid out in
    ``order`` (ORDER_K follows ``src``'s stride order; ``nd`` must then be
    ``src.nd``), or with ``given_strides`` (a dense layout of ``shape``, as
    an advanced index result has).  The caller fills it.
    """
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef Py_ssize_t copied_shape[MAX_NDIM]
    cdef Py_ssize_t itemsize
    cdef Py_ssize_t nbytes
    cdef Buffer buf
    if dtype is src.dtype_:
        itemsize = src.itemsize_
    else:
        # (A cast's target is most often the last dtype an array was made
        # of: its size is known without the attribute lookup.)
        if dtype is not sizes_of_dtype:
            remember_dtype_sizes(dtype)
        itemsize = itemsize_of_dtype
    check_new_shape(nd, shape, itemsize)
    nbytes = shape_size(nd, shape) * itemsize
    if copy_hook is not None:
        # ``shape`` may be src's own: keep it, and src's stride order, as
        # they are now (the hook runs Python, which may let a reshaping
        # thread in).
        memcpy(copied_shape, shape, nd * sizeof(Py_ssize_t))
        memcpy(src_strides, src.strides_, src.nd * sizeof(Py_ssize_t))
        copy_hook(operation, COPY_CATEGORIES[category], reason, src, nbytes)
        shape = copied_shape
        if given_strides == NULL:
            fill_copy_strides(src, nd, shape, order, itemsize, src_strides, strides)
    elif given_strides == NULL:
        fill_copy_strides(src, nd, shape, order, itemsize, src.strides_, strides)
    if given_strides == NULL:
        given_strides = strides
    buf = allocate_array_buffer(nd, shape, dtype, nbytes)
    return new_array(buf, buf.ptr, nd, shape, given_strides, dtype, None,
                     FLAG_OWNDATA | FLAG_WRITEABLE)


cdef int copy_elements(ndarray dst, ndarray src) except -1:
    """Copy ``src`` into ``dst`` (same shape), casting when dtypes differ."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef int status, nd, i
    cdef Py_ssize_t nbytes, itemsize
    cdef char* dst_data
    cdef char* src_data
    cdef Buffer read
    cdef int source_code = cast_code(src.dtype_)
    cdef int target_code = cast_code(dst.dtype_)
    if (source_code != target_code if source_code >= 0 and target_code >= 0
            else not equivalent_dtypes(dst.dtype_, src.dtype_)):
        return cast_elements(dst, src, source_code, target_code)
    # A copy hook (Python) ran since dst was shaped after src: src may
    # have been reshaped meanwhile.
    nd = src.nd
    if nd != dst.nd:
        raise_broadcast_error(nd, src.dims, dst.nd, dst.dims)
    for i in range(nd):
        if src.dims[i] != dst.dims[i]:
            raise_broadcast_error(nd, src.dims, dst.nd, dst.dims)
    itemsize = src.itemsize_
    nbytes = shape_size(nd, src.dims) * itemsize
    if nbytes < NOGIL_BYTES and src.flags_ & dst.flags_ & (FLAG_C_CONTIGUOUS
                                                           | FLAG_F_CONTIGUOUS):
        # Both hold their elements in the same order, one block each: the
        # kernel's planning would cost a small copy more than its bytes.
        if nbytes > 0:
            memcpy(data_of(dst), data_of(src), nbytes)
        status = 0
    elif nbytes < NOGIL_BYTES:
        status = copy_strided(data_of(dst), dst.strides_, data_of(src),
                              src.strides_, nd, src.dims, itemsize)
    else:
        # The kernel works on copies of the metadata, taken with the GIL
        # held: another thread may assign src.shape while it is released.
        snapshot_layout(src, shape, src_strides)
        memcpy(dst_strides, dst.strides_, nd * sizeof(Py_ssize_t))
        dst_data = data_of(dst)
        # Another thread may move src (a lazy copy written) meanwhile: its
        # memory stays valid until end_read.  dst is new, seen by no one.
        read = begin_read(src.buffer)
        src_data = data_of(src)   # (with the GIL: src may move meanwhile)
        try:
            with nogil:
                status = copy_strided(dst_data, dst_strides, src_data,
                                      src_strides, nd, shape, itemsize)
        finally:
            end_read(read)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return 0


cdef int cast_elements(ndarray dst, ndarray src, int source_code,
                       int target_code) except -1:
    """Copy ``src`` into ``dst`` (a new array of src's shape), casting; the
    codes are the dtypes' ``cast_code``.

    A small cast between the plain C-conversion types runs the typed loops
    of ``_cast`` in place; any other cast, or one with a value the loops
    leave to NumPy, is NumPy's ``np.copyto(dst, src, casting="unsafe")``
    (its ``PyArray_AssignArray``, called directly on zero-copy views).
    """
    cdef int i, nd = src.nd
    if (source_code >= 0 and target_code >= 0 and nd == dst.nd
            and dst.buffer is not src.buffer
            and shape_size(nd, src.dims) * max(src.itemsize_, dst.itemsize_)
            < NOGIL_BYTES):
        for i in range(nd):
            # (A copy hook may have reshaped src: NumPy then reports it.)
            if src.dims[i] != dst.dims[i]:
                break
        else:
            # With the GIL held, src cannot move or change shape meanwhile.
            if cast_strided(data_of(dst), dst.strides_, data_of(src), src.strides_,
                            nd, src.dims, source_code, target_code) == 0:
                return 0
    target = as_numpy_for_write(dst)
    source = as_numpy(src)
    PyArray_CopyInto(<PyArrayObject*>target, <PyArrayObject*>source)
    return 0


cdef ndarray copy_array(ndarray src, int order, object dtype, str operation,
                        int category, object reason):
    """A filled copy of ``src`` in ``order`` (C, F or K; A is resolved here)."""
    cdef ndarray dst
    if order == ORDER_A:
        order = ORDER_F if is_fortran_only(src) else ORDER_C
    dst = allocate_copy(src, src.nd, src.dims, order,
                        src.dtype_ if dtype is None else dtype,
                        operation, category, reason)
    copy_elements(dst, src)
    return dst


# ------------------------------------------------------------ lazy copies
#
# ``x.copy(lazy=True)`` moves x's memory into a *holder* (a Buffer no array
# uses) and points both x's Buffer and the copy's new Buffer into it: they
# *share* the holder (``lazy_source``), which lists its sharers weakly
# (``lazy_copies``).  Before any write through a sharer (setitem, fill, ufunc
# out=, a writable export) ``prepare_write`` ends its sharing: one side moves
# to new memory, through the choke point, and the other keeps the holder.
# Arrays keep offsets into their Buffer, so views follow a move.
#
# What may not move: memory that something outside array_core points at.
# - A writable export (or a write in progress) counts in ``writable_exports``:
#   the Buffer stops sharing first and shares nothing while it lives.
# - A read-only export the caller holds counts in ``pinned_exports``: that
#   Buffer never moves, so a write to it moves the other sharers instead; and
#   when another sharer is exported already, this one moves at export time
#   (two exported sharers could not be told apart by a later write).
# - array_core's own reads (NumPy views for repr and ufunc inputs, GIL-free
#   kernels) count in ``readers``: they never move anything, and what a move
#   leaves behind is kept (``retired``) until they end, so no memory a reader
#   uses is ever freed under it.
#   (Known limit: a sharer with a read-only export, made writeable again and
#   written while another thread's kernel reads a sibling, keeps the memory:
#   that one read may see the write.)
# Views cost nothing extra; a write costs one test of ``lazy_linked``.

cdef object _uint8 = np.dtype(np.uint8)

cdef enum:
    EXPORT_READER = 0     # array_core's own read (see as_numpy)
    EXPORT_PINNED = 1     # read-only, held outside array_core
    EXPORT_WRITABLE = 2


cdef Buffer begin_write(ndarray a):
    """Prepare ``a``'s memory for a write and hold it in place until
    ``end_write``: no lazy copy can share it meanwhile, whatever Python code
    (``__index__``, value conversion, another thread) runs in between."""
    cdef Buffer buf = a.buffer
    if buf.lazy_linked:
        end_lazy_sharing(buf)
    buf.writable_exports += 1
    return buf


@cython.final
@cython.freelist(8)
cdef class _ReadPin:
    """Keeps a Buffer's memory valid while a NumPy view made for one of
    array_core's own reads lives (the view's base holds it)."""

    cdef Buffer buffer
    cdef ndarray array      # the array read, when the pin backs a NumPy view
    cdef uintptr_t start    # that view's first element, as it was exported

    def __cinit__(self, Buffer buffer):
        self.buffer = begin_read(buffer)

    def __dealloc__(self):
        if self.buffer is not None:
            end_read(self.buffer)


@cython.final
@cython.freelist(8)
cdef class _WritePin:
    """Counts a writable NumPy view made for one of array_core's own writes
    (``as_numpy_for_write``) as a writable export while it lives (the view's
    base holds it): no lazy copy shares the memory meanwhile."""

    cdef Buffer buffer      # set after begin_write, so __dealloc__ ends it
    cdef ndarray array      # the array written
    cdef uintptr_t start    # that view's first element, as it was exported

    def __dealloc__(self):
        if self.buffer is not None:
            end_write(self.buffer)


@cython.final
cdef class _ExportPin:
    """Counts a read-only export held outside array_core (an interface
    export, which NumPy keeps as its base) while it lives."""

    cdef Buffer buffer

    def __cinit__(self, Buffer buffer):
        pin_for_export(buffer)
        self.buffer = buffer

    def __dealloc__(self):
        if self.buffer is not None:
            self.buffer.pinned_exports -= 1


cdef list live_sharers(Buffer buf):
    """The other Buffers sharing ``buf``'s holder (strong references)."""
    cdef Buffer holder = buf.lazy_source
    cdef list others = []
    cdef Buffer other
    for ref in holder.lazy_copies:
        other = ref()
        if other is not None and other is not buf and other.lazy_source is holder:
            others.append(other)
    return others


cdef inline void unlink(Buffer buf) noexcept:
    """``buf`` stops sharing; it keeps its holder's memory (``keeper``)."""
    buf.lazy_source = None
    buf.lazy_linked = False


cdef int end_lazy_sharing(Buffer buf) except -1:
    """Give ``buf`` memory no other Buffer reads, before it is written.

    The side to move is the one nothing outside array_core points at; when
    both sides are free, the smaller (writing the source of a small lazy
    slice copies the slice, not the source).  The copy hook may run Python
    code that shares ``buf`` anew, hence the loop.
    """
    cdef Buffer other, holder
    cdef list others
    cdef Py_ssize_t other_bytes
    cdef bint others_pinned
    while buf.lazy_source is not None:
        holder = buf.lazy_source
        others = live_sharers(buf)
        if not others:
            if holder.shared_memory and not buf.shared_memory:
                # A file's map or read-only memory: the copy may not keep it.
                materialise(buf, "the first write to lazily shared memory")
            else:
                holder.lazy_copies = None
                unlink(buf)
            break
        if holder.shared_memory:
            # The map never moves: the copies do (the map is pinned).
            if not buf.shared_memory:
                materialise(buf, "the first write to lazily shared memory")
            else:
                for other in others:
                    if other.lazy_source is holder:
                        materialise(other, "the first write to lazily shared memory")
            continue
        other_bytes = 0
        others_pinned = False
        for other in others:
            other_bytes += other.nbytes
            others_pinned = others_pinned or other.pinned_exports > 0
        if not buf.pinned_exports and (others_pinned or buf.nbytes <= other_bytes):
            materialise(buf, "the first write to lazily shared memory")
        else:
            for other in others:
                if other.lazy_source is holder:
                    materialise(other, "the first write to lazily shared memory")
    return 0


cdef int pin_for_export(Buffer buf) except -1:
    """Count a read-only export held outside array_core (``buf`` will not
    move while it lives); a sharer exported already makes ``buf`` move now."""
    cdef Buffer other
    if (buf.lazy_linked and not buf.shared_memory
            and buf.lazy_source.shared_memory):
        # A copy of a file's map moves first: a pinned Buffer never moves,
        # and the map cannot.
        materialise(buf, "a read-only export of a lazy copy of a file's map "
                         "or of read-only memory")
    elif buf.lazy_linked and not buf.pinned_exports:
        for other in live_sharers(buf):
            if other.pinned_exports or other.readers:
                materialise(buf, "a read-only export of lazily shared memory "
                                 "another array exports too")
                break
    buf.pinned_exports += 1
    return 0


cdef int materialise(Buffer lazy, str reason) except -1:
    """Move a sharer to memory of its own, with the bytes it reads."""
    cdef Py_ssize_t nbytes = lazy.nbytes, one = 1
    cdef ndarray source = new_array(lazy, lazy.ptr, 1, &nbytes, &one, _uint8,
                                    None, 0)
    cdef ndarray target = allocate_copy(source, 1, &nbytes, ORDER_C, _uint8,
                                        "lazy copy", COPY_LAZY_MATERIALISE, reason)
    cdef Buffer fresh = target.buffer
    if lazy.lazy_source is None:
        return 0  # the copy hook's Python code ended the sharing meanwhile
    copy_contiguous(fresh.ptr, lazy.ptr, nbytes)
    if lazy.readers:
        # Readers in progress keep reading the old memory: keep it for them.
        if lazy.retired is None:
            lazy.retired = []
        lazy.retired.append(lazy.keeper)
    lazy.ptr = fresh.ptr
    lazy.allocation = fresh.allocation
    lazy.allocation_size = fresh.allocation_size
    fresh.allocation = NULL  # now freed by ``lazy``
    lazy.keeper = None
    lazy.exporter = None
    unlink(lazy)
    return 0


cdef Buffer holder_of(Buffer buf):
    """The holder ``buf`` shares, made on first use from ``buf``'s memory."""
    cdef Buffer holder = buf.lazy_source
    if holder is not None:
        return holder
    holder = Buffer.__new__(Buffer)
    holder.ptr = buf.ptr
    holder.nbytes = buf.nbytes
    holder.shared_memory = buf.shared_memory or buf.readonly
    if buf.allocation != NULL:
        holder.allocation = buf.allocation
        holder.allocation_size = buf.allocation_size
        buf.allocation = NULL
    else:
        holder.keeper = buf.keeper if buf.keeper is not None else buf.exporter
    buf.keeper = holder
    buf.lazy_source = holder
    buf.lazy_linked = True
    holder.lazy_copies = [weakref.ref(buf)]
    return holder


cdef object lazy_copy(ndarray src, int order):
    """``src.copy(order, lazy=True)`` sharing memory, or None to copy now.

    Lazy only when the result can look exactly like an eager copy (its
    strides would be ``src``'s) and every write to the memory can be seen:
    the memory is array_core's own and nothing can write it unseen.
    """
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t lo, hi
    cdef int i
    cdef Buffer lazy, holder
    cdef Buffer buf = src.buffer
    if (not buf.private or buf.writable_exports
            or shape_size(src.nd, src.dims) == 0):
        return None
    if order == ORDER_A:
        order = ORDER_F if is_fortran_only(src) else ORDER_C
    fill_copy_strides(src, src.nd, src.dims, order, src.itemsize_, src.strides_,
                      strides)
    for i in range(src.nd):
        if strides[i] != src.strides_[i]:
            return None
    byte_extent(src.nd, src.dims, src.strides_, src.itemsize_, &lo, &hi)
    holder = holder_of(buf)
    lazy = Buffer.__new__(Buffer)
    lazy.ptr = data_of(src) + lo
    lazy.nbytes = hi - lo
    lazy.private = True
    lazy.keeper = holder
    lazy.lazy_source = holder
    lazy.lazy_linked = True
    if len(holder.lazy_copies) >= 16:
        # Dead sharers go; the first stays, dead or alive: it names the
        # array the memory came from (the pin report's "owner").
        holder.lazy_copies = [r for i, r in enumerate(holder.lazy_copies)
                              if i == 0 or r() is not None]
    holder.lazy_copies.append(weakref.ref(lazy))
    result = new_array(lazy, data_of(src), src.nd, src.dims, src.strides_,
                       src.dtype_, None, FLAG_OWNDATA | FLAG_WRITEABLE)
    if copy_hook is not None:
        # Recorded by an audit with no bytes: none are allocated until a
        # write (then "lazy-materialise"); never refused (an explicit copy).
        copy_hook("copy", "lazy", "a lazy copy shares the memory until either "
                  "side is first written", src, 0)
    return result


cdef ndarray flat_copy(ndarray src, int order, str operation, int category,
                       object reason):
    """A 1-d copy of ``src``'s elements read in ``order`` (C, F, A or K)."""
    cdef Py_ssize_t size = shape_size(src.nd, src.dims)
    cdef Py_ssize_t perm_shape[MAX_NDIM]
    cdef Py_ssize_t perm_strides[MAX_NDIM]
    cdef Py_ssize_t flat_strides[MAX_NDIM]
    cdef int perm[MAX_NDIM]
    cdef int i, status
    cdef ndarray dst
    if order == ORDER_A:
        order = ORDER_F if is_fortran_only(src) else ORDER_C
    dst = allocate_copy(src, 1, &size, ORDER_C, src.dtype_, operation, category,
                        reason)
    # Read the source in the requested order: permute its axes so that the
    # order becomes C, then copy into the destination seen with that shape.
    if order == ORDER_F:
        for i in range(src.nd):
            perm[i] = src.nd - 1 - i
    elif order == ORDER_K:
        # The iterator's order, not the stride sort of a copy's layout: the
        # two differ where an axis has stride 0 (NumPy's PyArray_CopyAsFlat).
        iteration_order_k(src.nd, src.dims, src.strides_, perm)
    else:
        for i in range(src.nd):
            perm[i] = i
    for i in range(src.nd):
        perm_shape[i] = src.dims[perm[i]]
        perm_strides[i] = src.strides_[perm[i]]
    fill_contiguous_strides(src.nd, perm_shape, src.itemsize_, False, flat_strides)
    status = copy_strided(data_of(dst), flat_strides, data_of(src), perm_strides,
                          src.nd, perm_shape, src.itemsize_)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
    return dst


# ------------------------------------------------------------ NumPy interop

# dtype -> its PEP 3118 format (bytes); or why it has none (str, NumPy's
# ValueError message); or None when NumPy would not read any format we can
# write back as the dtype itself (then NumPy gets __array_interface__).
cdef dict _buffer_formats = {}


cdef object buffer_format(object dtype):
    """The PEP 3118 format array_core exports ``dtype`` with (see above)."""
    try:
        return _buffer_formats[dtype]
    except KeyError:
        pass
    if dtype.names is None:
        try:
            candidates = [memoryview(np.empty(0, dtype)).format.encode("utf-8")]
        except (ValueError, TypeError, BufferError) as exc:
            candidates = str(exc)
    else:
        try:
            candidates = [c.encode("utf-8") for c in struct_format_candidates(dtype)]
        except Unrepresentable as exc:
            candidates = str(exc)
    result = candidates if type(candidates) is str else None
    if result is None:
        for fmt in candidates:
            if format_reads_back(dtype, fmt):
                result = fmt
                break
    _buffer_formats[dtype] = result
    return result


# id(probe array) -> the candidate format it exports while being probed.
cdef dict _probe_formats = {}


cdef bint format_reads_back(object dtype, bytes fmt) except -1:
    """True when NumPy reads an export of ``dtype`` with ``fmt`` as ``dtype``.

    Unstructured voids ('V3' exports as '3x') come back as empty structs,
    packed structs spelt with native alignment as wider ones.
    """
    cdef Py_ssize_t zero = 0, step = dtype.itemsize
    cdef Buffer buf = allocate_buffer(0)
    cdef ndarray probe = new_array(buf, buf.ptr, 1, &zero, &step, dtype, None,
                                   FLAG_OWNDATA | FLAG_WRITEABLE)
    # Only the probe exports with the candidate: another thread exporting
    # the dtype meanwhile never sees it.
    _probe_formats[id(probe)] = fmt
    try:
        return np.asarray(memoryview(probe)).dtype == dtype
    except Exception:  # any failure of NumPy's parser: not this format
        return False
    finally:
        _probe_formats.pop(id(probe), None)


cdef inline bint exports_buffer(object dtype) except -1:
    return type(buffer_format(dtype)) is bytes


# While set, exports made for array_core's own reads are read-only and do not
# count as writable exports (so reading a lazy copy never materialises it).
cdef bint exporting_for_read = False
# While set, an export is writable as if the consumer had asked for
# PyBUF_WRITABLE (``memoryview()`` cannot ask).  ``__getbuffer__`` reads and
# clears both flags on entry: Python code it runs (the copy hook) may let
# another thread export meanwhile.
cdef bint exporting_for_write = False


cdef object writable_memoryview(ndarray a):
    """``memoryview(a)``, writable when ``a`` is (a lazy copy materialises)."""
    global exporting_for_write
    exporting_for_write = True
    try:
        return memoryview(a)
    finally:
        exporting_for_write = False


def _shares_lazily(ndarray a):
    """Whether ``a``'s memory is lazily shared now (for tests: NumPy then
    sees it read-only unless it asks to write)."""
    return shares_lazily(a.buffer)


cdef bint shares_lazily(Buffer buf) except -1:
    """Whether ``buf``'s memory is lazily shared with a live array now (a
    sharing whose other side died ends here)."""
    if not buf.lazy_linked:
        return False
    if live_sharers(buf):
        return True
    if buf.lazy_source.shared_memory and not buf.shared_memory:
        return True  # a lazy copy of a file's map or read-only memory
    end_lazy_sharing(buf)  # nothing to move: only unlinks
    return False


cdef object exact_dtype(object arr, object dtype):
    """``arr`` viewed with ``dtype`` itself when NumPy's reading lost detail.

    A PEP 3118 format carries no aligned-struct flag, titles or metadata.
    """
    if arr.dtype is not dtype and (dtype.names is not None
                                   or dtype.metadata is not None):
        return arr.view(dtype)
    return arr


cdef object as_numpy(ndarray a):
    """A read-only NumPy array viewing ``a``'s memory, for reading it.

    Made directly with NumPy's C API (no buffer export): the NumPy view's
    base is a ``_ReadPin`` that keeps ``a`` and its memory valid while the
    view lives, and never counts as a writable export, so reading a lazy
    copy through it never materialises it.  The dtype is ``a``'s own.
    """
    cdef object descr = a.dtype_
    cdef _ReadPin pin
    cdef char* data
    if PyDataType_HASSUBARRAY(<PyArray_Descr*>descr):
        return as_numpy_exported(a)  # NumPy would expand the dtype's axes
    pin = _ReadPin.__new__(_ReadPin, a.buffer)
    pin.array = a
    data = data_of(a)  # after begin_read: the memory cannot move now
    pin.start = <uintptr_t>data
    Py_INCREF(descr)  # PyArray_NewFromDescr steals it
    arr = PyArray_NewFromDescr(&PyArray_Type, <PyArray_Descr*>descr, a.nd,
                               a.dims, a.strides_, data, 0, NULL)
    Py_INCREF(pin)  # PyArray_SetBaseObject steals it
    PyArray_SetBaseObject(<PyArrayObject*>arr, <PyObject*>pin)
    return arr


cdef object as_numpy_exported(ndarray a):
    """``as_numpy`` through a read-only export (buffer protocol or
    ``__array_interface__``)."""
    global exporting_for_read
    if not exports_buffer(a.dtype_):
        return exact_dtype(np.asarray(_ArrayInterfaceProxy(
            a, array_interface(a, True, True), _ReadPin(a.buffer))), a.dtype_)
    exporting_for_read = True
    try:
        view = memoryview(a)
    finally:
        exporting_for_read = False
    return exact_dtype(np.asarray(view), a.dtype_)


_WARN_ON_WRITE_MESSAGE = (
    "Numpy has detected that you (may be) writing to an array with\n"
    "overlapping memory from np.broadcast_arrays. If this is intentional\n"
    "set the WRITEABLE flag True or make a copy immediately before writing.")


cdef int warn_before_write(ndarray a) except -1:
    """NumPy's ``array_might_be_written``: the first write to a view from
    ``broadcast_arrays`` (or a view of one) warns, once."""
    warnings.warn(_WARN_ON_WRITE_MESSAGE, DeprecationWarning, stacklevel=1)
    a.flags_ &= ~FLAG_WARN_ON_WRITE
    return 0


cdef object warn_on_write_export(ndarray a):
    """A writeable NumPy view of a broadcast_arrays view ``a``: NumPy warns
    on its first write, as it would for its own array."""
    a.flags_ &= ~FLAG_WARN_ON_WRITE
    try:
        view = as_numpy_for_write(a)
    finally:
        a.flags_ |= FLAG_WARN_ON_WRITE
    if view.flags.writeable:
        view.flags._warn_on_write = True
    return view


cdef object as_numpy_for_write(ndarray a):
    """A NumPy array viewing ``a``'s memory, writeable when ``a`` is.

    Made directly with NumPy's C API, as ``as_numpy``'s views: its base is a
    ``_WritePin``, which ends any lazy sharing first and counts as a writable
    export while the view lives.  A read-only ``a`` is only read through it:
    its lazy sharing goes on.
    """
    cdef object descr = a.dtype_
    cdef _WritePin pin
    cdef char* data
    if a.flags_ & FLAG_WARN_ON_WRITE and a.flags_ & FLAG_WRITEABLE:
        warn_before_write(a)
    if (not a.flags_ & FLAG_WRITEABLE
            or PyDataType_HASSUBARRAY(<PyArray_Descr*>descr)):
        return as_numpy_for_write_exported(a)
    pin = _WritePin.__new__(_WritePin)
    pin.buffer = begin_write(a)
    pin.array = a
    data = data_of(a)  # after begin_write: the memory cannot move now
    pin.start = <uintptr_t>data
    Py_INCREF(descr)  # PyArray_NewFromDescr steals it
    arr = PyArray_NewFromDescr(&PyArray_Type, <PyArray_Descr*>descr, a.nd,
                               a.dims, a.strides_, data, NPY_ARRAY_WRITEABLE, NULL)
    Py_INCREF(pin)  # PyArray_SetBaseObject steals it
    PyArray_SetBaseObject(<PyArrayObject*>arr, <PyObject*>pin)
    return arr


cdef object as_numpy_for_write_exported(ndarray a):
    """``as_numpy_for_write`` through an export (buffer protocol or
    ``__array_interface__``): for read-only arrays and subarray dtypes."""
    if not exports_buffer(a.dtype_):
        if a.flags_ & FLAG_WRITEABLE:
            prepare_write(a)
            a.buffer.private = False  # an interface export cannot be tracked
            return exact_dtype(np.asarray(_ArrayInterfaceProxy(
                a, array_interface(a, False, True))), a.dtype_)
        # Held by the caller: ``a``'s memory may not move while it lives.
        pin = _ExportPin(a.buffer)
        return exact_dtype(np.asarray(_ArrayInterfaceProxy(
            a, array_interface(a, True, True), pin)), a.dtype_)
    return exact_dtype(np.asarray(writable_memoryview(a)), a.dtype_)


cdef dict _interface_descrs = {}


cdef object interface_descr(object dtype):
    """The ``descr`` of ``__array_interface__``: NumPy's list where it serves.

    Where NumPy reads the list back as another dtype (or has none: fields
    out of order) and cannot take the buffer protocol either, the dtype
    itself, which NumPy's interface reader also accepts.
    """
    try:
        return _interface_descrs[dtype]
    except KeyError:
        pass
    try:
        descr = dtype.descr
        if not exports_buffer(dtype) and np.dtype(descr) != dtype:
            descr = dtype
    except (ValueError, TypeError):
        descr = dtype
    _interface_descrs[dtype] = descr
    return descr


cdef dict array_interface(ndarray a, bint readonly, bint exact=False):
    """``a.__array_interface__``, with the read-only bit given.

    ``exact`` puts the dtype itself in ``descr`` (for array_core's own
    NumPy views, which must keep every detail of it).
    """
    return {
        "shape": a.shape,
        "typestr": a.dtype_.str,
        "descr": a.dtype_ if exact else interface_descr(a.dtype_),
        "data": (<uintptr_t>data_of(a), readonly),
        "strides": None if a.flags_ & FLAG_C_CONTIGUOUS else a.strides,
        "version": 3,
    }


# One 0-d NumPy array per dtype to turn an element into a NumPy scalar.
cdef dict _scalar_scratch = {}


cdef object scalar_at(ndarray a, const char* p):
    """The element at ``p`` as a NumPy scalar of ``a``'s dtype."""
    cdef object entry = _scalar_scratch.get(a.dtype_)
    cdef uintptr_t address
    if entry is None:
        scratch = np.empty((), a.dtype_)
        entry = (scratch, scratch.__array_interface__["data"][0])
        _scalar_scratch[a.dtype_] = entry
    address = entry[1]
    # Holding the GIL from memcpy to the NumPy call keeps this thread-safe.
    memcpy(<void*>address, p, a.itemsize_)
    return entry[0][()]


cdef object to_numpy_arg(object x):
    return as_numpy(<ndarray>x) if isinstance(x, ndarray) else x


cdef object from_numpy_result(object x):
    """A NumPy result as array_core: a view of an input's memory as a view
    of that input; an object array (which array_core cannot hold) as it is."""
    if type(x) is np.ndarray:
        if PyDataType_REFCHK(PyArray_DESCR(<PyArrayObject*>x)):
            return x
        if PyArray_BASE(<PyArrayObject*>x) != NULL:
            return view_of_input(x)
        return from_numpy(x, None, True)
    if isinstance(x, tuple):
        return tuple([from_numpy_result(r) for r in x])
    return x


cdef object view_of_input(object x):
    """A NumPy result that views one of the inputs array_core exported for
    reading or writing, as a view of that input (it follows the input's
    memory as every view does); a view of other memory (a NumPy input, a
    temporary) borrows it, with NumPy's base."""
    cdef _ReadPin pin
    cdef _WritePin written
    owner = x.base
    while type(owner) is np.ndarray and owner.base is not None:
        owner = owner.base
    if type(owner) is _ReadPin and (<_ReadPin>owner).array is not None:
        pin = <_ReadPin>owner
        if x.base is owner:
            return pin.array  # the very view as_numpy made: the input itself
        return numpy_view_of(x, pin.array, <Py_ssize_t>pin.start)
    if type(owner) is _WritePin:
        written = <_WritePin>owner
        if x.base is owner:
            return written.array
        return numpy_view_of(x, written.array, <Py_ssize_t>written.start)
    if type(owner) is memoryview and isinstance(owner.obj, ndarray):
        source = <ndarray>owner.obj
        start = np.asarray(owner).__array_interface__["data"][0]
    elif type(owner) is _ArrayInterfaceProxy:
        source = <ndarray>owner.array
        start = owner.__array_interface__["data"][0]
    else:
        return from_numpy(x, x.base, False)
    return numpy_view_of(x, <ndarray>source, start)


cdef ndarray numpy_view_of(object x, ndarray source, Py_ssize_t start):
    """``x`` (a NumPy view of ``source``'s memory once exported at ``start``)
    as an array_core view of ``source``, read-only if ``x`` is."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef PyArrayObject* p = <PyArrayObject*>x
    cdef int nd = PyArray_NDIM(p)
    cdef Py_ssize_t delta = <Py_ssize_t>(<uintptr_t>PyArray_BYTES(p) - <uintptr_t>start)
    cdef object dtype = resolve_dtype(<object><PyObject*>PyArray_DESCR(p))
    if nd:  # (a 0-d array's dims and strides may be NULL)
        memcpy(shape, PyArray_DIMS(p), nd * sizeof(Py_ssize_t))
        memcpy(strides, PyArray_STRIDES(p), nd * sizeof(Py_ssize_t))
    return new_array(source.buffer, offset_pointer(data_of(source), delta), nd,
                     shape, strides, dtype, base_for_view(source),
                     FLAG_WRITEABLE if PyArray_ISWRITEABLE(p) and source.flags_ &
                     FLAG_WRITEABLE else 0)


class _ArrayInterfaceProxy:
    """Hands NumPy an ``__array_interface__`` while keeping the array (and,
    for a read-only export, its memory: ``pin``) alive."""

    __slots__ = ("__array_interface__", "array", "pin")

    def __init__(self, array, interface, pin=None):
        self.array = array
        self.__array_interface__ = interface
        self.pin = pin


# ------------------------------------------------------------ nested sequences

cdef object numpy_nested(object obj):
    """``obj`` with each array_core array in nested lists and tuples a NumPy view.

    NumPy's sequence coercion reads a NumPy array inside a list exactly,
    but any other 0-d array-like through the dtype's setitem (long double
    by float(), datetimes and structs not at all): give it NumPy arrays.
    """
    cdef object t = type(obj)
    cdef list items
    cdef Py_ssize_t i, n
    if t is ndarray:
        return as_numpy(<ndarray>obj)
    if t is not list and t is not tuple:
        return obj
    items = None
    n = len(obj)
    for i in range(n):
        item = obj[i]
        t = type(item)
        if t is ndarray or t is list or t is tuple:
            converted = numpy_nested(item)
            if converted is not item:
                if items is None:
                    items = list(obj)
                items[i] = converted
    if items is None:
        return obj
    return items if type(obj) is list else tuple(items)


# ------------------------------------------------------------ operators
#
# The arithmetic operators and the ufunc protocol live in _operators, which
# installs them here at import: C calls, as the operators are hot.

cdef binary_operator_function run_binary_operator = NULL
cdef inplace_operator_function run_inplace_operator = NULL
cdef array_ufunc_function run_array_ufunc = NULL


cdef int install_operators(binary_operator_function binary,
                           inplace_operator_function inplace,
                           array_ufunc_function array_ufunc) except -1:
    """Install _operators' code of the operators and ``__array_ufunc__``."""
    global run_binary_operator, run_inplace_operator, run_array_ufunc
    run_binary_operator = binary
    run_inplace_operator = inplace
    run_array_ufunc = array_ufunc
    return 0


cdef int operators_missing() except -1:
    raise ImportError("array_core._operators was not imported")


cdef inline object binary_operator(ndarray self, object other, int op,
                                   bint reflected):
    if run_binary_operator == NULL:
        operators_missing()
    return run_binary_operator(self, other, op, reflected)


cdef inline object inplace_operator(ndarray self, object other, int op):
    if run_inplace_operator == NULL:
        operators_missing()
    return run_inplace_operator(self, other, op)


cdef inline object run_ufunc(object ufunc, str method, tuple inputs,
                             dict kwargs):
    if run_array_ufunc == NULL:
        operators_missing()
    return run_array_ufunc(ufunc, method, inputs, kwargs)


cdef bint foreign_ufunc_override(object other):
    """True when ``other`` (not a NumPy or array_core array or scalar)
    brings an ``__array_ufunc__`` of its own (a Dask array): a comparison
    then goes through the ufunc, so that the override sees this array as
    it is (not as a NumPy view), as the arithmetic operators do."""
    cdef object t = type(other)
    if t is float or t is int or t is bool or other is None:
        return False
    if isinstance(other, (ndarray, np.ndarray, np.generic)):
        return False
    return getattr(t, "__array_ufunc__", None) is not None


cdef object comparison_operand(object other):
    """``other`` for a comparison: NumPy compares with anything (None too)."""
    if isinstance(other, ndarray):
        return as_numpy(<ndarray>other)
    return other


# ------------------------------------------------------------ flexible dtypes

cdef object expand_subarray(object dtype, int* nd, Py_ssize_t* dims,
                            bint constructor):
    """The base of subarray ``dtype``; its axes are appended to ``dims``."""
    cdef int i
    base, sub = creation_dtype(dtype, constructor)
    if nd[0] + len(sub) > MAX_NDIM:
        raise ValueError(f"number of dimensions must be within [0, {MAX_NDIM}]")
    for i in range(len(sub)):
        dims[nd[0] + i] = sub[i]
    nd[0] += len(sub)
    return base


cdef dict _adapted_dtypes = {}


cdef object adapt_dtype(object src_dtype, object dtype):
    """``dtype`` for a cast from ``src_dtype``: an unsized string or void gets
    the size NumPy's cast gives it ('S' from int64 is 'S21', 'V' is the
    source's item size)."""
    if (cast_code(dtype) >= 0 or dtype.itemsize != 0 or dtype.kind not in "SUV"
            or dtype.names is not None):
        return dtype
    key = (src_dtype, dtype)
    try:
        return _adapted_dtypes[key]
    except KeyError:
        pass
    adapted = np.empty(0, src_dtype).astype(dtype).dtype
    _adapted_dtypes[key] = adapted
    return adapted


cdef ndarray cast_to_subarray(ndarray src, object dtype, int order, str operation,
                              int category, object reason):
    """A copy of ``src`` cast to subarray ``dtype``: its axes follow src's,
    each element repeated over them, the whole laid out C (F for 'F', and
    for 'K'/'A' from an F-only source), as NumPy's astype."""
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef int nd = src.nd, i
    for i in range(nd):
        dims[i] = src.dims[i]
    base = expand_subarray(dtype, &nd, dims, False)
    if order == ORDER_A or order == ORDER_K:
        order = ORDER_F if is_fortran_only(src) else ORDER_C
    result = allocate_copy(src, nd, dims, order, base, operation, category, reason)
    source = as_numpy(src)[(Ellipsis,) + (None,) * (nd - src.nd)]
    np.copyto(as_numpy_for_write(result), source, casting="unsafe")
    return result


# Marks an argument left out (``view(None)`` differs from ``view()``).
cdef object _OMITTED = object()


# ------------------------------------------------------------ dtype views

cdef ndarray dtype_view(ndarray src, char* data, int nd, const Py_ssize_t* shape,
                        const Py_ssize_t* strides, object dtype):
    """A view of ``src``'s buffer at ``data`` read as ``dtype``.

    A subarray dtype adds its axes after the given ones, C-contiguous over
    its base dtype (NumPy's ``_update_descr_and_dimensions``).
    """
    cdef Py_ssize_t full_shape[MAX_NDIM]
    cdef Py_ssize_t full_strides[MAX_NDIM]
    cdef Py_ssize_t step
    cdef int extra = 0, i
    cdef ndarray v
    sub = ()
    if dtype.subdtype is not None:
        dtype, sub = dtype.subdtype
        extra = len(sub)
        if nd + extra > MAX_NDIM:
            raise ValueError(f"maximum supported dimension for an ndarray is "
                             f"currently {MAX_NDIM}, found {nd + extra}")
    for i in range(nd):
        full_shape[i] = shape[i]
        full_strides[i] = strides[i]
    step = dtype.itemsize
    for i in range(extra - 1, -1, -1):
        full_shape[nd + i] = sub[i]
        full_strides[nd + i] = step
        step *= full_shape[nd + i]
    v = make_view(src, data, nd + extra, full_shape, full_strides)
    v.dtype_ = dtype
    v.itemsize_ = dtype.itemsize
    v.alignment = dtype.alignment
    update_layout_flags(v)
    return v


cdef object record_scalar(ndarray a, char* p):
    """``a[i]`` of a structured array: NumPy's void scalar viewing the item,
    so that ``a[i]['x'] = v`` writes into ``a`` (read-only if ``a`` is)."""
    item = make_view(a, p, 0, NULL, NULL)
    if a.flags_ & FLAG_WRITEABLE:
        return as_numpy_for_write(item)[()]
    return as_numpy(item)[()]


cdef object _numpy_ndarray = np.ndarray


cdef inline bint maybe_field_key(object key) noexcept:
    """A cheap first test for ``is_field_key``: names, lists, name arrays."""
    cdef object t = type(key)
    if t is str or t is list:
        return True
    if t is int or t is slice or t is tuple or key is None or key is Ellipsis:
        return False
    return isinstance(key, (str, list, _numpy_ndarray, ndarray))


cdef bint is_field_key(object key) except -1:
    """NumPy's _get_field_view test: a name, or a non-empty list of names."""
    if isinstance(key, str):
        return True
    if isinstance(key, tuple) or not isinstance(key, (list, np.ndarray, ndarray)):
        return False
    try:
        if len(key) == 0:
            return False
        return all([isinstance(item, str) for item in key])
    except TypeError:
        return False


cdef ndarray field_view(ndarray a, object key):
    """``a[name]`` or ``a[[names]]`` of a structured array: a view.

    A multi-field view keeps the other fields' offsets and the item size
    (NumPy 2.x).
    """
    if isinstance(key, str):
        fields = a.dtype_.fields
        entry = fields.get(key)
        if entry is None:
            raise ValueError(f"no field of name {key}")
        return dtype_view(a, data_of(a) + <Py_ssize_t>entry[1], a.nd, a.dims,
                          a.strides_, entry[0])
    # NumPy's dtype subscript builds the subset view dtype (its messages too).
    subset = a.dtype_[list(key)]
    return dtype_view(a, data_of(a), a.nd, a.dims, a.strides_, subset)


# ------------------------------------------------------------------ flags

@cython.final
@cython.freelist(8)
@cython.no_gc
cdef class flagsobj:
    """The memory layout flags of an array: ``a.flags``.

    A live view of the array's flags, as NumPy's ``a.flags``: read them as
    attributes (``a.flags.writeable``) or as items, by NumPy's names or
    their one-letter abbreviations (``a.flags['WRITEABLE']``,
    ``a.flags['W']``).  Only ``writeable``, ``aligned`` and
    ``writebackifcopy`` can be set, with NumPy's rules (see
    :meth:`ndarray.setflags`): ``writeable`` can be set to True only while
    the array's memory may be written (it owns it, or its base is
    writeable).

    Attributes
    ----------
    c_contiguous : bool
        The elements lie in one block in C order (``contiguous``, the
        ``'C'`` item, is the same).
    f_contiguous : bool
        The elements lie in one block in Fortran order (also ``fortran``).
    owndata : bool
        The array owns its memory: False for a view.
    writeable : bool
        The elements can be written.  Can be set.
    aligned : bool
        Every element is aligned for its dtype.  Can be set.
    writebackifcopy : bool
        Always False: array_core makes no write-back copies.
    forc : bool
        C or Fortran contiguous.
    fnc : bool
        Fortran contiguous and not C contiguous.
    behaved : bool
        Aligned and writeable.
    carray : bool
        Behaved and C contiguous.
    farray : bool
        NumPy's ``FARRAY`` flag, computed as NumPy computes it.
    num : int
        The flags as NumPy's integer bit mask.

    Raises
    ------
    KeyError
        On reading an item by an unknown name ("Unknown flag"), or setting
        or deleting one other than WRITEABLE, ALIGNED and WRITEBACKIFCOPY.
    ValueError
        On setting ``writeable`` to True where the memory may not be
        written, ``aligned`` to True for unaligned elements, or
        ``writebackifcopy`` to True.
    AttributeError
        On setting another attribute, or deleting a flag attribute.

    See Also
    --------
    ndarray.flags : Gives this object.
    ndarray.setflags : Sets several flags at once.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(2, 3)
    >>> x.flags
      C_CONTIGUOUS : True
      F_CONTIGUOUS : False
      OWNDATA : False
      WRITEABLE : True
      ALIGNED : True
      WRITEBACKIFCOPY : False
    <BLANKLINE>
    >>> x.flags.owndata, x.flags["C"], x.T.flags.f_contiguous
    (False, True, True)

    A view of a writeable array can be made read-only, and back:

    >>> v = x[:, 1]
    >>> v.flags.writeable = False
    >>> v.flags["WRITEABLE"]
    False
    >>> v.flags.writeable = True
    >>> x.flags["OWNDATA"] = True
    Traceback (most recent call last):
        ...
    KeyError: 'Unknown flag'
    """
    cdef ndarray array

    @property
    def c_contiguous(self):
        return bool(self.array.flags_ & FLAG_C_CONTIGUOUS)

    @property
    def f_contiguous(self):
        return bool(self.array.flags_ & FLAG_F_CONTIGUOUS)

    @property
    def contiguous(self):
        return bool(self.array.flags_ & FLAG_C_CONTIGUOUS)

    @property
    def fortran(self):
        return bool(self.array.flags_ & FLAG_F_CONTIGUOUS)

    @property
    def owndata(self):
        return bool(self.array.flags_ & FLAG_OWNDATA)

    @property
    def aligned(self):
        return bool(self.array.flags_ & FLAG_ALIGNED)

    @property
    def writebackifcopy(self):
        return False

    @property
    def forc(self):
        return bool(self.array.flags_ & (FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS))

    @property
    def fnc(self):
        return bool(self.array.flags_ & FLAG_F_CONTIGUOUS
                    and not self.array.flags_ & FLAG_C_CONTIGUOUS)

    @property
    def behaved(self):
        return bool(self.array.flags_ & FLAG_ALIGNED
                    and self.array.flags_ & FLAG_WRITEABLE)

    @property
    def carray(self):
        return bool(self.array.flags_ & FLAG_ALIGNED
                    and self.array.flags_ & FLAG_WRITEABLE
                    and self.array.flags_ & FLAG_C_CONTIGUOUS)

    @property
    def farray(self):
        # NumPy's arrayflags_farray_get tests "any of ALIGNED, WRITEABLE,
        # F_CONTIGUOUS" (not all), and not C contiguous; we mirror it.
        return bool(self.array.flags_ & (FLAG_ALIGNED | FLAG_WRITEABLE
                                         | FLAG_F_CONTIGUOUS)
                    and not self.array.flags_ & FLAG_C_CONTIGUOUS)

    @property
    def num(self):
        """The flags as NumPy's integer bit mask."""
        cdef int f = self.array.flags_
        return ((NPY_C_CONTIGUOUS if f & FLAG_C_CONTIGUOUS else 0)
                | (NPY_F_CONTIGUOUS if f & FLAG_F_CONTIGUOUS else 0)
                | (NPY_OWNDATA if f & FLAG_OWNDATA else 0)
                | (NPY_ALIGNED if f & FLAG_ALIGNED else 0)
                | (NPY_WRITEABLE if f & FLAG_WRITEABLE else 0))

    @property
    def writeable(self):
        if self.array.flags_ & FLAG_WARN_ON_WRITE:
            warnings.warn("future versions will not create a writeable array "
                          "from broadcast_array. Set the writable flag "
                          "explicitly to avoid this warning.", FutureWarning,
                          stacklevel=1)
        return bool(self.array.flags_ & FLAG_WRITEABLE)

    @property
    def _writeable_no_warn(self):
        return bool(self.array.flags_ & FLAG_WRITEABLE)

    # As NumPy's, the setters are ``setflags`` with one flag given.
    @writeable.setter
    def writeable(self, value):
        apply_setflags(self.array, bool(value), None, None)

    @writeable.deleter
    def writeable(self):
        raise AttributeError("Cannot delete flags writeable attribute")

    @aligned.setter
    def aligned(self, value):
        apply_setflags(self.array, None, bool(value), None)

    @aligned.deleter
    def aligned(self):
        raise AttributeError("Cannot delete flags aligned attribute")

    @writebackifcopy.setter
    def writebackifcopy(self, value):
        apply_setflags(self.array, None, None, bool(value))

    @writebackifcopy.deleter
    def writebackifcopy(self):
        raise AttributeError("Cannot delete flags writebackifcopy attribute")

    _KEYS = {
        "C_CONTIGUOUS": "c_contiguous", "C": "c_contiguous",
        "CONTIGUOUS": "c_contiguous",
        "F_CONTIGUOUS": "f_contiguous", "F": "f_contiguous",
        "FORTRAN": "f_contiguous",
        "OWNDATA": "owndata", "O": "owndata",
        "WRITEABLE": "writeable", "W": "writeable",
        "ALIGNED": "aligned", "A": "aligned",
        "WRITEBACKIFCOPY": "writebackifcopy", "X": "writebackifcopy",
        "FNC": "fnc", "FORC": "forc", "BEHAVED": "behaved", "B": "behaved",
        "CARRAY": "carray", "CA": "carray", "FARRAY": "farray", "FA": "farray",
    }
    # NumPy's arrayflags_setitem accepts only these.
    _SETTABLE = ("writeable", "aligned", "writebackifcopy")

    @staticmethod
    def _flag_name(key):
        if isinstance(key, bytes):
            key = key.decode("ascii", "replace")
        return flagsobj._KEYS.get(key) if isinstance(key, str) else None

    def __getitem__(self, key):
        name = flagsobj._flag_name(key)
        if name is None:
            raise KeyError("Unknown flag")
        return getattr(self, name)

    def __setitem__(self, key, value):
        name = flagsobj._flag_name(key)
        if name not in flagsobj._SETTABLE:
            raise KeyError("Unknown flag")
        setattr(self, name, value)

    def __delitem__(self, key):
        name = flagsobj._flag_name(key)
        if name not in flagsobj._SETTABLE:
            raise KeyError("Unknown flag")
        delattr(self, name)

    def __eq__(self, other):
        if not isinstance(other, flagsobj):
            return NotImplemented
        return self.array.flags_ == (<flagsobj>other).array.flags_

    def __repr__(self):
        return "\n".join([
            f"  C_CONTIGUOUS : {self.c_contiguous}",
            f"  F_CONTIGUOUS : {self.f_contiguous}",
            f"  OWNDATA : {self.owndata}",
            f"  WRITEABLE : {self._writeable_no_warn}"
            + ("  (with WARN_ON_WRITE=True)"
               if self.array.flags_ & FLAG_WARN_ON_WRITE else ""),
            f"  ALIGNED : {self.aligned}",
            f"  WRITEBACKIFCOPY : {self.writebackifcopy}",
        ]) + "\n"


# ------------------------------------------------------------------ ndarray


# No reference cycles can pass through an array (its base is always older,
# its caches hold ints), so, like NumPy's, it is not tracked by the GC.
# Methods are plain method descriptors, as NumPy's are: CPython calls those
# through its specialised fast paths, while a bound CyFunction taking *args
# (reshape, transpose) even copies its argument tuple to drop self.  Their
# signatures go in the docstrings in Argument Clinic form, for inspect.
@cython.freelist(64)
@cython.no_gc
@cython.binding(False)
@cython.embedsignature(True)
@cython.embedsignature.format("clinic")
cdef class ndarray:
    """An N-dimensional array: a buffer of memory plus the metadata to read it.

    Arrays are usually made by :func:`array_core.array`,
    :func:`array_core.asarray`, :func:`array_core.zeros`,
    :func:`array_core.empty`, :func:`array_core.arange` and their kin.  The
    constructor is NumPy's low-level one: it makes an array with new,
    uninitialised memory of its own, or, given ``buffer``, an array that
    views that object's memory.  As in NumPy, the array is made by
    ``__new__``; ``__init__`` is ``object``'s, so calling it again changes
    nothing.

    Parameters
    ----------
    shape : int or tuple of ints
        The length of each axis.
    dtype : data-type, optional
        Anything ``numpy.dtype`` accepts.  Default float64.
    buffer : object exposing the buffer protocol, optional
        Memory to view instead of allocating: a ``bytes`` or ``bytearray``,
        a ``memoryview``, a NumPy array, or a contiguous array_core array.
        The array is writable when the buffer is, and has it as ``base``
        (for a memoryview, the object it views).
    offset : int, optional
        The position, in bytes, of the first element in ``buffer``.
        Default 0.
    strides : tuple of ints, optional
        The number of bytes to step along each axis.  By default the array
        is contiguous in ``order``.
    order : {'C', 'F'}, optional
        Without ``strides``, lay the elements out with the last index
        changing fastest ('C', the default) or the first ('F').

    Attributes
    ----------
    T : ndarray
        The transposed array: a view with the axes reversed.
    mT : ndarray
        The matrix transpose: a view with the last two axes swapped.
    base : ndarray or object or None
        The array (or other exporter) owning the memory of a view; None for
        an array that owns its memory.
    ctypes : object
        An object for passing the data pointer, shape and strides to ctypes.
    data : memoryview
        A memoryview of the elements.
    device : str
        Always ``"cpu"``.
    dtype : numpy.dtype
        The type of the elements.
    flags : flagsobj
        The memory layout flags: contiguity, ownership, writeability.
    flat : flatiter
        A flat iterator over the elements, in C order.
    imag : ndarray
        The imaginary parts of the elements.
    real : ndarray
        The real parts of the elements.
    itemsize : int
        The length of one element, in bytes.
    nbytes : int
        The number of bytes the elements take: ``size * itemsize``.
    ndim : int
        The number of axes.
    shape : tuple of ints
        The length of each axis.
    size : int
        The number of elements.
    strides : tuple of ints
        The number of bytes to step along each axis.

    Raises
    ------
    ValueError
        If a length in ``shape`` is negative, ``order`` is not a valid
        order, ``strides`` does not have one entry per axis or reaches
        outside ``buffer`` (or the new memory), ``offset`` is negative, or
        ``buffer`` is a non-contiguous array_core array.
    TypeError
        If ``buffer`` is too small for ``shape`` from ``offset`` or does not
        expose the buffer protocol, if ``dtype`` is not understood or is the
        object dtype, or if a length is not an integer.

    See Also
    --------
    array : An array from any array-like (copied by default).
    asarray : An array from any array-like, without a copy when possible.
    empty, zeros : New arrays of a given shape.

    Notes
    -----
    **A buffer plus metadata.**  An array refers to a block of memory (its
    buffer, shared by every view of it) and holds the metadata to read it:
    a starting position, the ``dtype``, the ``shape`` and the ``strides``
    (element ``a[i, j]`` starts ``i * strides[0] + j * strides[1]`` bytes
    after the first) and the ``flags``.  A *view* is a new array on the
    same buffer with other metadata, so writes through either are seen by
    both: basic indexing, ``reshape`` and ``ravel`` when the strides allow,
    ``T``, ``transpose``, ``swapaxes``, ``view``, ``diagonal``, ``real`` and
    ``imag`` of a complex array, and the view functions make views.
    Everything else copies, through one choke point that
    :class:`array_core.copy_audit` records and
    :class:`array_core.copy_policy` controls.  As in NumPy, a view's
    ``base`` is the array that owns the memory (a view of a view points at
    the owner), ``flags.owndata`` is False for a view, and
    :func:`array_core.shares_memory` tells whether two arrays overlap.

    **Lazy copies.**  ``a.copy(lazy=True)`` (or
    ``array_core.copy(a, lazy=True)``) returns a copy that shares ``a``'s
    memory until either of them is first written: that write copies the
    memory once, so the other array never sees it.  Until then nothing
    tells it from an eager copy: its ``base`` is None, it owns its data
    and it shares no memory with ``a``.

    **Differences from NumPy.**  There is no object dtype.  Subclasses are
    not made: every view is an ``array_core.ndarray``.  The constructor
    refuses a layout that would read outside ``buffer`` (NumPy accepts a
    negative ``offset`` and reads before the buffer's start).

    Examples
    --------
    >>> import array_core as ac
    >>> a = ac.ndarray((2, 3), dtype="i4")   # uninitialised memory
    >>> a.shape, a.strides, a.base is None, a.flags.owndata
    ((2, 3), (12, 4), True, True)
    >>> ac.ndarray((2, 3), dtype="i4", order="F").strides
    (4, 8)

    A view of another object's memory:

    >>> b = ac.ndarray((2,), dtype="u1", buffer=b"abcd", offset=1)
    >>> b, b.base, b.flags.writeable
    (array([98, 99], dtype=uint8), b'abcd', False)
    >>> buf = bytearray(b"abcdef")
    >>> c = ac.ndarray((3,), dtype="u1", buffer=buf, strides=(2,))
    >>> c
    array([ 97,  99, 101], dtype=uint8)
    >>> c[0] = 65
    >>> buf
    bytearray(b'Abcdef')

    Views share the memory; a lazy copy only seems to until it is written:

    >>> x = ac.arange(6)
    >>> v = x.reshape(2, 3)[:, 1]
    >>> v, v.base is x, ac.shares_memory(v, x)
    (array([1, 4]), True, True)
    >>> lz = x.copy(lazy=True)
    >>> lz.base is None, ac.shares_memory(lz, x)
    (True, False)
    >>> x[1] = 100
    >>> v, lz[1]
    (array([100,   4]), np.int64(1))
    """

    def __dealloc__(self):
        if self.dims != NULL and self.dims != self.small_dims:
            PyMem_Free(self.dims)
        self.dims = NULL

    # -------------------------------------------------------- metadata

    @property
    def shape(self):
        """Tuple of array dimensions; assigning reshapes in place (no copy).

        Assigning a new shape changes this array's metadata, never its memory
        (NumPy's rule): it works when a view of that shape exists (as
        ``reshape(..., copy=False)``) and otherwise raises AttributeError, as
        NumPy does; nothing is copied either way.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(6)
        >>> a.shape = (2, 3)
        >>> a.shape, a.base is None
        ((2, 3), True)
        >>> a.T.shape = (6,)
        Traceback (most recent call last):
            ...
        AttributeError: Incompatible shape for in-place modification. ...
        """
        if self.shape_cache is None:
            self.shape_cache = shape_tuple(self.nd, self.dims)
        return self.shape_cache

    @shape.setter
    def shape(self, value):
        # NumPy's array_shape_set: a C-order reshape that must not copy.  We
        # decide from the strides instead of making (and dropping) a copy.
        cdef Py_ssize_t newshape[MAX_NDIM]
        cdef Py_ssize_t newstrides[MAX_NDIM]
        cdef Py_ssize_t* block
        cdef int new_nd = convert_shape(value, newshape), i
        cdef int aligned = self.flags_ & FLAG_ALIGNED
        if new_nd == self.nd:
            for i in range(new_nd):
                if newshape[i] != self.dims[i]:
                    break
            else:
                return  # reshape's same-shape path: a view with these strides
        fix_unknown_axis(new_nd, newshape, shape_size(self.nd, self.dims))
        check_new_shape(new_nd, newshape, self.itemsize_)  # an empty one may be too big
        if self.flags_ & FLAG_C_CONTIGUOUS:
            fill_contiguous_strides(new_nd, newshape, self.itemsize_, False,
                                    newstrides)
        elif not nocopy_reshape_strides(self.nd, self.dims, self.strides_,
                                        self.itemsize_, new_nd, newshape, False,
                                        newstrides):
            raise AttributeError(
                "Incompatible shape for in-place modification. Use `.reshape()` "
                "to make a copy with the desired shape.")
        # Room for the new metadata is found before anything changes.
        if new_nd <= 4:
            block = self.small_dims
        else:
            block = <Py_ssize_t*>PyMem_Malloc(2 * new_nd * sizeof(Py_ssize_t))
            if block == NULL:
                raise MemoryError()
        if self.dims != NULL and self.dims != self.small_dims:
            PyMem_Free(self.dims)
        for i in range(new_nd):
            block[i] = newshape[i]
            block[new_nd + i] = newstrides[i]
        self.dims = block
        self.strides_ = block + new_nd
        self.nd = new_nd
        self.shape_cache = None
        self.strides_cache = None
        # NumPy updates only the contiguity flags here.
        update_layout_flags(self)
        self.flags_ = (self.flags_ & ~FLAG_ALIGNED) | aligned

    @shape.deleter
    def shape(self):
        raise AttributeError("Cannot delete array shape")

    @property
    def strides(self):
        """Tuple of bytes to step in each dimension.

        Element ``a[i, j]`` starts ``i * strides[0] + j * strides[1]`` bytes
        after the first.  Views have the strides of their layout: a transpose
        permutes them, a step multiplies them, ``[::-1]`` negates them, and an
        axis made by broadcasting has stride 0.

        Assigning is deprecated, as in NumPy 2.4 (a DeprecationWarning): the
        new strides must keep every element inside the array's memory, else a
        ValueError is raised (a TypeError for a value that is not a sequence
        of integers).

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.zeros((2, 3))
        >>> a.strides, a.T.strides, a[:, ::2].strides, a[::-1].strides
        ((24, 8), (8, 24), (24, 16), (-24, 8))
        """
        if self.strides_cache is None:
            self.strides_cache = shape_tuple(self.nd, self.strides_)
        return self.strides_cache

    @strides.setter
    def strides(self, value):
        # NumPy's array_strides_set, its warning and messages.  The memory is
        # the Buffer's: an array never reaches outside it.
        cdef Py_ssize_t newstrides[MAX_NDIM]
        cdef int n = -1, i
        cdef Py_ssize_t low, high
        warnings.warn(_STRIDES_DEPRECATION, DeprecationWarning, stacklevel=1)
        if value is not None:
            try:
                n = convert_shape(value, newstrides)
            except Exception:  # noqa: BLE001 - NumPy replaces any failure
                n = -1
        if n < 0:
            raise TypeError("invalid strides")
        if n != self.nd:
            raise ValueError(f"strides must be  same length as shape ({self.nd})")
        # (An empty array touches nothing, but NumPy still wants its data
        # pointer inside the memory, the end included.)
        byte_extent(self.nd, self.dims, newstrides, self.itemsize_, &low, &high)
        if (overflows_extent(self.nd, self.dims, newstrides, self.itemsize_)
                or self.offset + low < 0
                or self.offset + high > self.buffer.nbytes):
            raise ValueError("strides is not compatible with available memory")
        for i in range(n):
            self.strides_[i] = newstrides[i]
        self.strides_cache = None
        update_layout_flags(self)

    @strides.deleter
    def strides(self):
        raise AttributeError("Cannot delete array strides")

    @property
    def ndim(self):
        """Number of array dimensions.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros((2, 3))
        >>> a.ndim, a[0].ndim, a[0, 0].ndim
        (2, 1, 0)
        """
        return self.nd

    @property
    def size(self):
        """Number of elements.

        The product of ``shape`` (1 for a 0-d array); a view counts its own
        elements, not those of the memory it shares.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros((2, 3))
        >>> a.size, a[:, ::2].size, a[0, 0].size
        (6, 4, 1)
        """
        return shape_size(self.nd, self.dims)

    @property
    def itemsize(self):
        """Length of one element in bytes.

        Examples
        --------
        >>> import array_core
        >>> array_core.zeros(3).itemsize, array_core.zeros(3, dtype="i2").itemsize
        (8, 2)
        """
        return self.itemsize_

    @property
    def nbytes(self):
        """Total bytes consumed by the elements.

        ``size * itemsize``: a view counts only its own elements, so it may be
        less than the memory it shares with its base (the gaps of a strided
        view are not counted).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros(6)
        >>> a.nbytes, a[::2].nbytes
        (48, 24)
        """
        return shape_size(self.nd, self.dims) * self.itemsize_

    @property
    def dtype(self):
        """The numpy.dtype of the elements; assigning reinterprets in place.

        Assigning a dtype re-reads this array's memory in place, as
        ``view(dtype)`` would read it (a dtype of another size changes the last
        axis, which must be contiguous): no copy is made, and the array keeps
        its ``base``.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros(2, dtype="i4")
        >>> a.dtype
        dtype('int32')
        >>> a.dtype = "i2"
        >>> a.shape, a.dtype
        ((4,), dtype('int16'))
        """
        return self.dtype_

    @property
    def base(self):
        """The array (or exporter) whose memory this view uses; None if owner.

        As in NumPy, a view's base is collapsed to the array that owns the
        memory: a view of a view has the owner as base, not the intermediate
        view.  A copy (even a lazy one) owns its memory and has base None; an
        array made on a foreign buffer has that exporter as base.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(6)
        >>> v = a[1:].reshape(1, 5)[0]
        >>> v.base is a, a.copy().base, a.copy(lazy=True).base
        (True, None, None)
        """
        return self.base_

    @property
    def flags(self):
        """Memory layout flags (see :class:`flagsobj`).

        A live view of this array's flags, read and set as NumPy's
        ``ndarray.flags``: ``OWNDATA`` tells an owner from a view, and setting
        ``writeable`` follows NumPy's rules (see :meth:`setflags`).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(6).reshape(2, 3)
        >>> a.flags.owndata, a.flags.c_contiguous, a.T.flags.f_contiguous
        (False, True, True)
        >>> a.flags.writeable = False
        >>> a.flags.writeable
        False
        """
        cdef flagsobj f = flagsobj.__new__(flagsobj)
        f.array = self
        return f

    @property
    def data(self):
        """A memoryview of the array's elements.

        It has the array's shape, strides and item format, and is writable
        when the array is, as NumPy's: writing through it writes the array
        (and materialises a lazy copy first, so its source is left alone).
        A read-only array gives a read-only memoryview.

        Examples
        --------
        >>> import array_core as ac
        >>> x = ac.arange(3)
        >>> m = x.data
        >>> m.shape, m.readonly
        ((3,), False)
        >>> m[0] = 7
        >>> x
        array([7, 1, 2])
        >>> x.flags.writeable = False
        >>> x.data.readonly
        True
        """
        return writable_memoryview(self)

    def setflags(self, *args, **kwargs):
        """setflags($self, /, write=None, align=None, uic=None)
        --

        Set the WRITEABLE, ALIGNED and WRITEBACKIFCOPY flags (NumPy's rules).

        ``write=True`` needs memory that may be written (an owner, or a base
        chain that allows it); ``align=True`` needs aligned elements;
        ``uic`` (WRITEBACKIFCOPY) can only be cleared.  A flag left None is
        unchanged; a refused change leaves every flag as it was.

        Examples
        --------
        >>> import array_core
        >>> x = array_core.arange(3)
        >>> x.setflags(write=False)
        >>> x.flags.writeable
        False
        >>> x[1:].setflags(write=True)
        Traceback (most recent call last):
            ...
        ValueError: cannot set WRITEABLE flag to True of this array
        """
        values = bind_arguments("setflags", _SETFLAGS_PARAMETERS, 0, args, kwargs)
        check_keywords("setflags", _SETFLAGS_PARAMETERS, len(args), kwargs)
        write, align, uic = [None if v is _MISSING else v for v in values]
        apply_setflags(self, write, align, uic)

    cdef int set_writeable(self, bint value) except -1:
        return apply_setflags(self, value, None, None)

    cdef bint base_allows_writes(self) except -1:
        # NumPy's _IsWriteable: an owner may always write; a view may if any
        # array down its base chain is writeable, until an owner ends the
        # chain; foreign memory if the exporter allows.
        cdef ndarray base
        if self.flags_ & FLAG_OWNDATA or self.base_ is None:
            return True
        if isinstance(self.base_, ndarray):
            base = <ndarray>self.base_
            if base.flags_ & FLAG_WRITEABLE:
                return True
            if base.flags_ & FLAG_OWNDATA or base.base_ is None:
                return False
            return base.base_allows_writes()
        if isinstance(self.base_, np.ndarray):
            # The NumPy part of the chain, walked as NumPy walks it.
            chain = self.base_
            while isinstance(chain, np.ndarray):
                if chain.flags.writeable:
                    return True
                if chain.base is None or chain.flags.owndata:
                    return False
                chain = chain.base
            try:
                return not memoryview(chain).readonly
            except (TypeError, ValueError, BufferError):
                return False
        return not self.buffer.readonly

    # -------------------------------------------------------- views

    @property
    def T(self):
        """The transposed array (a view).

        The same as ``self.transpose()``: a view with the axes reversed, whose
        ``base`` is the array owning the memory.  No copy is made; a 0-d or 1-d
        array gives a new view of the same shape.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2, 3], [4, 5, 6]])
        >>> a.T
        array([[1, 4],
               [2, 5],
               [3, 6]])
        >>> a.T.base is a, a.T.flags.f_contiguous
        (True, True)
        """
        return reversed_axes_view(self)

    @property
    def mT(self):
        """The matrix transpose: the last two axes swapped (a view).

        ``swapaxes(-2, -1)``: a view whose ``base`` is the array owning the
        memory; an array with fewer than 2 axes raises NumPy's ValueError.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros((4, 2, 3))
        >>> a.mT.shape, a.mT.base is a
        ((4, 3, 2), True)
        >>> array_core.zeros(3).mT
        Traceback (most recent call last):
            ...
        ValueError: matrix transpose with ndim < 2 is undefined
        """
        if self.nd < 2:
            raise ValueError("matrix transpose with ndim < 2 is undefined")
        return self.swapaxes(-2, -1)

    def transpose(self, *axes):
        """Permute the axes: a view (the axes reversed by default).

        No element moves: the result has the shape and strides permuted, its
        ``base`` is the array owning the memory, and writes through it are seen
        by this array.

        Parameters
        ----------
        *axes : None, tuple of ints, or n ints
            No argument or None reverses the axes.  Otherwise a permutation of
            ``range(self.ndim)``, as one tuple or list or as separate integers:
            axis ``i`` of the result is axis ``axes[i]`` of this array.  Negative
            axes count from the end.

        Returns
        -------
        ndarray
            A view with the axes permuted.

        Raises
        ------
        ValueError
            If the axes do not number ``self.ndim`` ("axes don't match array"),
            or one is repeated.
        numpy.exceptions.AxisError
            If an axis is out of range.
        TypeError
            If an axis is not an integer.

        See Also
        --------
        ndarray.T : The reversed-axes view.
        array_core.transpose : The same, as a function.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.zeros((2, 3, 4))
        >>> a.transpose().shape, a.transpose(1, 0, 2).shape
        ((4, 3, 2), (3, 2, 4))
        >>> a.transpose((2, 0, 1)).shape
        (4, 2, 3)
        >>> t = a.transpose()
        >>> t.strides, t.base is a
        ((8, 32, 96), True)
        """
        cdef Py_ssize_t shape[MAX_NDIM]
        cdef Py_ssize_t strides[MAX_NDIM]
        cdef Py_ssize_t permutation[MAX_NDIM]
        cdef bint seen[MAX_NDIM]
        cdef int i, count, n
        cdef Py_ssize_t axis
        spec = axes if len(axes) > 1 else (axes[0] if axes else None)
        if spec is None:
            return reversed_axes_view(self)
        count = convert_shape(spec, permutation)
        # As NumPy's PyArray_Transpose, the metadata is read only now: the
        # conversion ran Python (``__index__``), which may have reshaped self.
        n = self.nd
        if count != n:
            raise ValueError("axes don't match array")
        for i in range(n):
            seen[i] = False
        for i in range(n):
            # NumPy's PyArray_Transpose keeps each axis in a C int.
            axis = normalize_axis(<int>permutation[i], n, None)
            if seen[axis]:
                raise ValueError("repeated axis in transpose")
            seen[axis] = True
            shape[i] = self.dims[axis]
            strides[i] = self.strides_[axis]
        return make_view(self, data_of(self), n, shape, strides)

    def swapaxes(self, axis1, axis2):
        """A view with ``axis1`` and ``axis2`` interchanged.

        No copy: the view's ``base`` is the array owning the memory, and a write
        through it is seen by this array.  Negative axes count from the end.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros((2, 3, 4))
        >>> s = a.swapaxes(0, -1)
        >>> s.shape, s.base is a
        ((4, 3, 2), True)
        """
        cdef Py_ssize_t shape[MAX_NDIM]
        cdef Py_ssize_t strides[MAX_NDIM]
        cdef int i
        # NumPy parses both ("ii") before checking either against ndim.
        cdef int i1 = c_int_argument(axis1)
        cdef int i2 = c_int_argument(axis2)
        cdef Py_ssize_t a1 = normalize_axis(i1, self.nd, "axis1")
        cdef Py_ssize_t a2 = normalize_axis(i2, self.nd, "axis2")
        for i in range(self.nd):
            shape[i] = self.dims[i]
            strides[i] = self.strides_[i]
        shape[a1], shape[a2] = self.dims[a2], self.dims[a1]
        strides[a1], strides[a2] = self.strides_[a2], self.strides_[a1]
        return make_view(self, data_of(self), self.nd, shape, strides)

    def squeeze(self, axis=None):
        """Remove length-1 axes (all, or those named): a view, or self.

        As NumPy's: a view whose ``base`` is the array owning the memory, or this
        array itself when no axis is removed.  Naming an axis whose length is
        not 1 raises ValueError.  No copy is made.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros((1, 3, 1))
        >>> a.squeeze().shape, a.squeeze(axis=0).shape, a.squeeze().base is a
        ((3,), (3, 1), True)
        >>> b = array_core.zeros(3)
        >>> b.squeeze() is b
        True
        """
        cdef Py_ssize_t dims[MAX_NDIM]
        cdef Py_ssize_t old_strides[MAX_NDIM]
        cdef Py_ssize_t shape[MAX_NDIM]
        cdef Py_ssize_t strides[MAX_NDIM]
        cdef bint drop[MAX_NDIM]
        cdef int i, out = 0
        cdef bint any_dropped = False
        # The axes are converted (``__index__``: Python, which may reshape
        # self) against a snapshot of the metadata, and only the snapshot and
        # the flags filled for its axes are read afterwards.
        cdef int nd = snapshot_layout(self, dims, old_strides)
        if axis is None:
            for i in range(nd):
                drop[i] = dims[i] == 1
        else:
            convert_multi_axis(axis, nd, drop)
            for i in range(nd):
                if drop[i] and dims[i] != 1:
                    raise ValueError("cannot select an axis to squeeze out "
                                     "which has size not equal to one")
        for i in range(nd):
            if drop[i]:
                any_dropped = True
            else:
                shape[out] = dims[i]
                strides[out] = old_strides[i]
                out += 1
        if not any_dropped:
            return self
        return make_view(self, data_of(self), out, shape, strides)

    @cython.embedsignature(False)
    def view(self, dtype=_OMITTED, type=_OMITTED, *extra):
        """view($self, /, *args, **kwargs)
--

Return a new array object on the same memory, optionally with another dtype.

        ``view([dtype][, type])``.  No element is copied: the view's ``base``
        is the array owning the memory, and writes through either are seen by
        both.  Without a dtype the view reads the memory as this array does;
        with one it reinterprets the bytes.  A dtype of another item size
        changes the length of the last axis, which must then be contiguous
        (NumPy's rule).  As in NumPy, ``view(None)`` means ``dtype(None)``,
        float64; omitting the dtype keeps it.

        Parameters
        ----------
        dtype : data-type, optional
            The dtype to read the memory as.  By default this array's.
        type : type, optional
            The array type of the result.  array_core views are always
            ``array_core.ndarray``, the only type accepted.

        Returns
        -------
        ndarray
            A view of this array's memory.

        Raises
        ------
        ValueError
            If the item size changes and the last axis is not contiguous, the
            array is 0-d, or the sizes do not divide as they must; if ``type``
            is not an array type, or is given twice.
        TypeError
            If ``dtype`` is not understood or holds object references, or
            ``type`` is an array type other than ``array_core.ndarray``.

        See Also
        --------
        astype : A copy with the elements converted to another dtype.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.arange(3, dtype="i4")
        >>> v = a.view()
        >>> v.base is a, v.flags.owndata, v is a
        (True, False, False)
        >>> b = a.view("u1")
        >>> b.shape, b.base is a
        ((12,), True)
        >>> b[4] = 7
        >>> a
        array([0, 7, 2], dtype=int32)
        """
        # Named parameters keep the call on the fast path (no keyword dict);
        # ``*extra`` only catches too many positionals, for NumPy's message.
        cdef ndarray v
        cdef Py_ssize_t oldsize, newsize, last, newdim
        if extra:
            raise TypeError(f"view() takes from 0 to 2 positional arguments but "
                            f"{2 + len(extra)} were given")
        if dtype is _OMITTED and type is _OMITTED:
            return make_view_with_flags(
                self, data_of(self), self.nd, self.dims, self.strides_,
                self.flags_ & (FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS | FLAG_ALIGNED))
        # NumPy's array_view: a dtype that is an array type means ``type``;
        # then the type is checked, then the dtype converted.
        if (dtype is not _OMITTED and isinstance(dtype, builtins.type)
                and issubclass(dtype, (np.ndarray, ndarray))):
            if type is not _OMITTED:
                raise ValueError("Cannot specify output type twice.")
            type, dtype = dtype, _OMITTED
        if type is not _OMITTED and not (
                isinstance(type, builtins.type)
                and issubclass(type, (np.ndarray, ndarray))):
            raise ValueError("Type must be a sub-type of ndarray type")
        if dtype is _OMITTED:
            dtype = None
        else:
            # dtype(None) is float64, as NumPy's descriptor converter has it.
            dtype = convert_dtype(dtype) if dtype is not None else _float64
        if type is not _OMITTED and type is not ndarray:
            raise TypeError("array_core views are always array_core.ndarray")
        if type is ndarray and builtins.type(self) is not ndarray:
            v = plain_view(self)  # m.view(ndarray) of a memmap m
        else:
            v = make_view(self, data_of(self), self.nd, self.dims, self.strides_)
        if dtype is None:
            return v
        if dtype.hasobject:
            # NumPy's refusal (array_core holds no references either way).
            raise TypeError("Cannot change data-type for array of references.")
        if dtype.subdtype is not None:
            # NumPy adds the subarray's axes to a view of the same item size.
            if dtype.itemsize != self.itemsize_:
                raise ValueError("Changing the dtype to a subarray type is only "
                                 "supported if the total itemsize is unchanged")
            v = v.view(np.dtype(f"V{dtype.itemsize}"))
            return dtype_view(v, data_of(v), v.nd, v.dims, v.strides_, dtype)
        oldsize = self.itemsize_
        if dtype.itemsize == 0 and dtype.kind == "V" and dtype.names is None:
            # NumPy: an unsized void means a void of the current item size.
            dtype = np.dtype(f"V{oldsize}")
        newsize = dtype.itemsize
        # From here on v's metadata is read, not self's: the dtype conversion
        # ran Python, which may have reshaped self.
        if newsize != oldsize:
            if v.nd == 0:
                raise ValueError("Changing the dtype of a 0d array is only "
                                 "supported if the itemsize is unchanged")
            last = v.nd - 1
            if (v.dims[last] != 1 and shape_size(v.nd, v.dims) != 0
                    and v.strides_[last] != oldsize):
                raise ValueError("To change to a dtype of a different size, "
                                 "the last axis must be contiguous")
            if newsize < oldsize:
                if newsize == 0 or oldsize % newsize != 0:
                    raise ValueError("When changing to a smaller dtype, its size "
                                     "must be a divisor of the size of original "
                                     "dtype")
                # Products wrap, as NumPy's: an empty array's other lengths
                # need not fit its new item size (NumPy's view lets that be).
                v.dims[last] = wrap_mul(v.dims[last], oldsize // newsize)
            else:
                newdim = wrap_mul(v.dims[last], oldsize)
                if newdim % newsize != 0:
                    raise ValueError("When changing to a larger dtype, its size "
                                     "must be a divisor of the total size in "
                                     "bytes of the last axis of the array.")
                v.dims[last] = newdim // newsize
            v.strides_[last] = newsize
        v.dtype_ = dtype
        v.itemsize_ = newsize
        v.alignment = dtype.alignment
        update_layout_flags(v)
        return v

    def reshape(self, *shape, order="C", copy=None):
        """Give the array a new shape: a view when the strides allow, else a copy.

        As :func:`array_core.reshape`: the elements are read in ``order`` and
        placed into the new shape in that order.  When the strides can express
        the new shape the result is a view whose ``base`` is the array owning the
        memory; otherwise an implicit copy is made (recorded by
        :class:`array_core.copy_audit` as ``reshape``), and the result is a view
        of that new copy, sharing no memory with this array.

        Parameters
        ----------
        *shape : int or tuple of ints
            The new shape, as one tuple or as separate integers; one length may
            be -1, inferred from the others.
        order : {'C', 'F', 'A'}, optional
            Read and place the elements with the last index changing fastest
            ('C', the default) or the first ('F'); 'A' means 'F' for a
            Fortran-only array and 'C' otherwise.
        copy : bool, optional
            True always copies; False never does, and raises when a view is
            impossible; None (the default) copies only when it must.

        Returns
        -------
        ndarray
            A view of this array when possible, else a view of a new copy.

        Raises
        ------
        ValueError
            If the new shape does not hold ``self.size`` elements or has more
            than one -1, if ``order`` is not 'C', 'F' or 'A', or if ``copy`` is
            False and no view has the new shape.
        TypeError
            If no shape is given, or it is not made of integers.

        See Also
        --------
        array_core.reshape : The same, as a function.
        ravel : A 1-d view or copy.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.arange(6)
        >>> b = a.reshape(2, 3)
        >>> b.base is a, b.reshape((3, -1)).base is a
        (True, True)
        >>> c = b.T.reshape(6)
        >>> c, ac.shares_memory(c, a)
        (array([0, 3, 1, 4, 2, 5]), False)
        >>> b.T.reshape(6, copy=False)
        Traceback (most recent call last):
            ...
        ValueError: Unable to avoid creating a copy while reshaping.
        """
        cdef int c_order = parse_order(order, "C")
        cdef int copy_mode = parse_copy(copy)
        cdef object newshape = shape
        if len(shape) == 1:
            newshape = shape[0]
            if newshape is None:
                return make_view(self, data_of(self), self.nd, self.dims, self.strides_)
        elif len(shape) == 0:
            raise TypeError("reshape() takes exactly 1 argument (0 given)")
        return reshape_array(self, newshape, c_order, copy_mode)

    def ravel(self, order="C"):
        """A 1-d view when the layout allows (NumPy's rules), else a copy.

        A view (``base``: the owner of the memory) when the elements, read in
        ``order`` ('C', 'F', 'A' or 'K'), are one strided run; otherwise an
        implicit copy through the copy choke point, recorded by
        :class:`array_core.copy_audit` as ``ravel``.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> a.ravel().base is a, a.T.ravel(order="F").base is a
        (True, True)
        >>> with array_core.copy_audit() as log:
        ...     r = a.T.ravel()
        >>> r, [(c.operation, c.category) for c in log]
        (array([1, 3, 2, 4]), [('ravel', 'implicit')])
        """
        cdef int c_order = parse_order(order, "C")
        cdef Py_ssize_t size = shape_size(self.nd, self.dims)
        cdef Py_ssize_t stride
        cdef int perm[MAX_NDIM]
        cdef int i
        if c_order == ORDER_K:
            if self.flags_ & FLAG_C_CONTIGUOUS:
                c_order = ORDER_C
            elif self.flags_ & FLAG_F_CONTIGUOUS:
                c_order = ORDER_F
        elif c_order == ORDER_A:
            c_order = ORDER_F if is_fortran_only(self) else ORDER_C
        if ((c_order == ORDER_C and self.flags_ & FLAG_C_CONTIGUOUS)
                or (c_order == ORDER_F and self.flags_ & FLAG_F_CONTIGUOUS)):
            # reshape(-1) of a contiguous array: one axis of item strides.
            stride = self.itemsize_
            return make_view_with_flags(
                self, data_of(self), 1, &size, &stride,
                FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS | (self.flags_ & FLAG_ALIGNED))
        if c_order == ORDER_K:
            sorted_stride_perm(self.nd, self.strides_, perm)
            stride = self.itemsize_
            for i in range(self.nd - 1, -1, -1):
                if self.dims[perm[i]] == 1:
                    continue
                if self.strides_[perm[i]] != stride:
                    break
                stride *= self.dims[perm[i]]
            else:
                stride = self.itemsize_
                return make_view(self, data_of(self), 1, &size, &stride)
        # Details for the copy audit's reason are built only while it listens.
        return flat_copy(self, c_order, "ravel", COPY_IMPLICIT,
                         "the elements are not one strided run in this order"
                         if copy_hook is None else
                         ("the elements are not one strided run in this order",
                          c_order))

    def flatten(self, order="C"):
        """A 1-d copy, always.

        Unlike :meth:`ravel`, even a contiguous array is copied: an explicit
        copy (laid out in ``order``) through the copy choke point, recorded by
        :class:`array_core.copy_audit` as ``flatten``.  The result owns its
        memory.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> with array_core.copy_audit() as log:
        ...     f = a.flatten(order="F")
        >>> f, f.base, [(c.operation, c.category) for c in log]
        (array([1, 3, 2, 4]), None, [('flatten', 'explicit')])
        """
        return flat_copy(self, parse_order(order, "C"), "flatten", COPY_EXPLICIT,
                         "flatten always copies")

    # -------------------------------------------------------- copies

    def copy(self, order="C", *, lazy=False):
        """Return a copy of the array, with memory of its own.

        The copy is explicit (never refused by :class:`array_core.copy_policy`)
        and owns its memory: ``base`` is None and it shares none with this
        array.  With ``lazy=True`` the copy shares this array's memory until
        either side is first written (copy-on-write); it behaves as an eager
        copy in every other way.

        Parameters
        ----------
        order : {'C', 'F', 'A', 'K'}, optional
            The layout of the copy: C order (the default), Fortran order, 'A'
            for Fortran order when this array is Fortran-only and C otherwise,
            or 'K' to keep the order of the axes in memory.
        lazy : bool, optional
            Defer the copy until either side is first written.  Keyword only;
            array_core's addition to NumPy's method.

        Returns
        -------
        ndarray
            A new array owning its memory.

        Raises
        ------
        ValueError
            If ``order`` is not one of 'C', 'F', 'A' or 'K'.

        See Also
        --------
        array_core.copy : The function form ('K' order by default).
        flatten : A 1-d copy.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.arange(6).reshape(2, 3)
        >>> c = a.T.copy()
        >>> c.base is None, ac.shares_memory(c, a), c.strides
        (True, False, (16, 8))
        >>> a.T.copy(order="K").strides
        (8, 24)
        >>> lz = a.copy(lazy=True)
        >>> lz[0, 0] = 9
        >>> int(a[0, 0]), int(lz[0, 0])
        (0, 9)
        """
        return copy_of(self, parse_order(order, "C"), lazy)

    def __copy__(self):
        # NumPy's array_copy_keeporder: the copy module keeps the layout.
        return copy_array(self, ORDER_K, None, "copy", COPY_EXPLICIT,
                          "copy.copy() always copies")

    def __deepcopy__(self, memo):
        return copy_array(self, ORDER_K, None, "copy", COPY_EXPLICIT,
                          "copy.deepcopy() always copies")

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        """Return the array cast to another dtype: a copy, unless ``copy=False``.

        NumPy's ``astype``: by default a new array (``base`` None) holding the
        elements converted to ``dtype``, an explicit copy.  With ``copy=False``
        this array itself is returned when its dtype is equivalent and its
        layout meets ``order``; otherwise the cast copy is made (an implicit
        one, recorded by :class:`array_core.copy_audit` as ``astype``).

        Parameters
        ----------
        dtype : data-type
            The dtype of the result.
        order : {'C', 'F', 'A', 'K'}, optional
            The layout of the result: C order, Fortran order, 'A' for Fortran
            order when this array is Fortran-only, or 'K' (the default) to keep
            the order of the axes in memory.
        casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe', 'same_value'}, optional
            The casts allowed, as in NumPy.  Default 'unsafe' (any cast).
        subok : bool, optional
            Accepted for NumPy's signature; the result is always an array_core
            ``ndarray``.
        copy : bool, optional
            False returns this array when no cast or relayout is needed.
            Default True.

        Returns
        -------
        ndarray
            The cast array: new, or this array (``copy=False`` only).

        Raises
        ------
        TypeError
            If the cast is not allowed under ``casting``, ``dtype`` is not
            understood, or ``dtype`` is the object dtype (not supported).
        ValueError
            If ``order`` or ``casting`` is not a valid value, or (with
            ``casting='same_value'``) a value changes in the cast.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.arange(3.0)
        >>> b = a.astype("i4")
        >>> b, b.base is None, ac.shares_memory(a, b)
        (array([0, 1, 2], dtype=int32), True, False)
        >>> a.astype(a.dtype, copy=False) is a, a.astype(a.dtype) is a
        (True, False)
        >>> a.astype("i4", casting="safe")
        Traceback (most recent call last):
            ...
        TypeError: Cannot cast array data from dtype('float64') to dtype('int32') ...
        """
        cdef int c_order, source_code, target_code
        cdef bint same_dtype, plain
        if dtype is not self.dtype_:  # self's own dtype is known to be valid
            dtype = adapt_dtype(
                self.dtype_, convert_dtype(dtype) if dtype is not None else _float64)
        c_order = parse_order(order, "K")
        if casting is not "unsafe":  # the default needs no parsing
            casting = parse_casting(casting)
        if subok is not True and subok is not False:
            python_int_as_int(subok)  # NumPy reads subok as a C int
        if copy is not True and copy is not False and isinstance(copy, _CopyMode):
            raise ValueError("_CopyMode enum is not allowed for astype function. "
                             "Use true/false instead.")
        # Both plain C types (the typed casts' own): known equal or not, any
        # cast allowed under 'unsafe', no subarray or object dtype.
        source_code = cast_code(self.dtype_)
        target_code = cast_code(dtype)
        plain = source_code >= 0 and target_code >= 0
        same_dtype = (source_code == target_code if plain
                      else equivalent_dtypes(dtype, self.dtype_))
        if (not copy and same_dtype
                and (c_order == ORDER_K or order_satisfied(self, c_order))):
            return self
        # Every rule lets a dtype cast to itself: skip NumPy's (costly) check.
        if (not same_dtype and not (plain and casting is "unsafe")
                and casting != "same_value"
                and not PyArray_CanCastTypeTo(<PyArray_Descr*>self.dtype_,
                                              <PyArray_Descr*>dtype,
                                              _CASTING_RULES[casting])):
            raise TypeError(
                f"Cannot cast {'scalar' if self.nd == 0 else 'array data'} from "
                f"{self.dtype_!r} to {dtype!r} according to the rule '{casting}'")
        if not same_dtype and not plain:
            # Refused only once NumPy's own checks have passed.
            refuse_object_dtype(dtype)
        category = COPY_EXPLICIT if copy else COPY_IMPLICIT
        # Details for the copy audit's reason are built only while it listens.
        reason = ("astype with copy=True always copies" if copy
                  else "the dtype or order differs" if copy_hook is None
                  else ("the dtype or order differs", dtype, c_order))
        if not plain and dtype.subdtype is not None:
            return cast_to_subarray(self, dtype, c_order, "astype", category, reason)
        if not same_dtype and casting is not "unsafe" and casting == "same_value":
            # NumPy checks every value while casting; let it, then take the
            # result through the choke point.
            checked = as_numpy(self).astype(dtype, casting="same_value")
            result = allocate_copy(self, self.nd, self.dims, c_order if c_order
                                   != ORDER_A else (ORDER_F if is_fortran_only(self)
                                                    else ORDER_C),
                                   dtype, "astype", category, reason)
            np.copyto(as_numpy_for_write(result), checked)
            return result
        return copy_array(self, c_order, dtype, "astype", category, reason)

    # -------------------------------------------------------- elements

    def fill(self, value):
        """Set every element to ``value``, in place.

        NumPy's ``ndarray.fill`` on one writable view of the array: a lazy copy
        (``x.copy(lazy=True)``) is materialised once, so its source is left
        alone, and a read-only array is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(3)
        >>> b = a.copy(lazy=True)
        >>> b.fill(7)
        >>> a, b
        (array([0, 1, 2]), array([7, 7, 7]))
        """
        as_numpy_for_write(self).fill(value)

    def tolist(self):
        """The elements as nested Python lists of Python scalars.

        A 0-d array gives one Python scalar.  Only reads: a lazy copy stays
        shared and nothing appears in :class:`array_core.copy_audit`.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> a.tolist(), a[0, 1].tolist(), type(a.tolist()[0][0])
        ([[1, 2], [3, 4]], 2, <class 'int'>)
        """
        return as_numpy(self).tolist()

    def item(self, *args):
        """One element as a Python scalar.

        NumPy's ``ndarray.item``: no argument for a one-element array, a flat
        index, or one index per axis.  Only reads (a lazy copy stays shared).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1.5, 2.5], [3.5, 4.5]])
        >>> a.item(1), a.item(1, 0), array_core.asarray([7]).item()
        (2.5, 3.5, 7)
        """
        return as_numpy(self).item(*args)

    def __len__(self):
        if self.nd == 0:
            raise TypeError("len() of unsized object")
        return self.dims[0]

    def __iter__(self):
        if self.nd == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.dims[0]))

    def __getitem__(self, key):
        cdef Py_ssize_t shape[MAX_NDIM]
        cdef Py_ssize_t strides[MAX_NDIM]
        cdef Py_ssize_t layout_shape[MAX_NDIM]
        cdef Py_ssize_t layout_strides[MAX_NDIM]
        cdef Py_ssize_t offset = 0
        cdef int out_nd = 0
        cdef int kind
        # Planned on a copy of the metadata: the key's __index__ may reshape.
        cdef int nd = snapshot_layout(self, layout_shape, layout_strides)
        if (is_structured(self.dtype_) and maybe_field_key(key)
                and is_field_key(key)):
            return field_view(self, key)
        kind = plan_basic_index(key, nd, layout_shape, layout_strides,
                                &offset, &out_nd, shape, strides)
        if kind == INDEX_VIEW:
            return make_view(self, offset_pointer(data_of(self), offset), out_nd,
                             shape, strides)
        if kind == INDEX_SCALAR:
            if is_structured(self.dtype_):
                return record_scalar(self, data_of(self) + offset)
            return element_scalar(self, data_of(self) + offset)
        if kind == INDEX_VIEW_COPY:
            return copy_array(make_view(self, offset_pointer(data_of(self), offset),
                                        out_nd, shape, strides),
                              ORDER_K, None, "getitem", COPY_ADVANCED_INDEX,
                              "a 0-d integer array in the key (NumPy copies)")
        return advanced_getitem(self, key)

    def __setitem__(self, key, value):
        # The assignment code lives in _setitem, which installs it at import.
        if assign_item == NULL:
            raise ImportError("array_core._setitem is not imported: import "
                              "array_core, which installs it")
        assign_item(self, key, value)

    # -------------------------------------------------------- protocols

    def __getbuffer__(self, Py_buffer* view, int flags):
        # NumPy's array_getbuffer: the same checks in the same order, the same
        # ValueError messages, and the same shape/strides/format rules.
        cdef Py_ssize_t* meta = NULL
        cdef Py_ssize_t* shape
        cdef Py_ssize_t step
        cdef object fmt
        cdef Buffer buf
        cdef int i
        global exporting_for_read, exporting_for_write
        cdef bint for_read = exporting_for_read
        cdef bint for_write = exporting_for_write or flags & PyBUF_WRITABLE
        exporting_for_read = exporting_for_write = False
        if ((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS
                and not self.flags_ & FLAG_C_CONTIGUOUS):
            raise ValueError("ndarray is not C-contiguous")
        if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS
                and not self.flags_ & FLAG_F_CONTIGUOUS):
            raise ValueError("ndarray is not Fortran contiguous")
        if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS
                and not self.flags_ & (FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS)):
            raise ValueError("ndarray is not contiguous")
        if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES
                and not self.flags_ & FLAG_C_CONTIGUOUS):
            raise ValueError("ndarray is not C-contiguous")
        if flags & PyBUF_WRITABLE and not self.flags_ & FLAG_WRITEABLE:
            raise ValueError("buffer source array is read-only")
        if flags & PyBUF_WRITABLE and self.flags_ & FLAG_WARN_ON_WRITE:
            warn_before_write(self)
        fmt = _probe_formats.get(id(self)) if _probe_formats else None
        if fmt is None:
            fmt = buffer_format(self.dtype_)
        if type(fmt) is str:
            raise ValueError(fmt)
        if fmt is None:
            # NumPy reads the buffer protocol before __array_interface__, and
            # would turn 'V3' ('3x') into an empty struct: refuse, so that
            # numpy.asarray(x) keeps the dtype.
            raise BufferError(f"array_core does not export dtype "
                              f"{self.dtype_!r} through the buffer protocol")
        # NumPy exports a warn-on-write array read-only unless asked; lazily
        # shared memory, too (numpy.asarray does not ask, and reading a lazy
        # copy must not materialise it).
        writable = (self.flags_ & FLAG_WRITEABLE and not for_read
                    and (for_write or not (self.flags_ & FLAG_WARN_ON_WRITE
                                           or shares_lazily(self.buffer))))
        # Slot 0 says how the export is counted, slot 1 holds (a reference
        # to) the Buffer it is counted on, then shape and strides, copied so
        # that a later `.shape =` cannot move them.
        meta = <Py_ssize_t*>PyMem_Malloc((2 * self.nd + 2) * sizeof(Py_ssize_t))
        if meta == NULL:
            raise MemoryError()
        buf = self.buffer
        try:
            if writable:
                # The consumer may write at any time: no lazy sharing from
                # here on.
                prepare_write(self)
                buf.writable_exports += 1
                meta[0] = EXPORT_WRITABLE
            elif for_read:
                begin_read(buf)
                meta[0] = EXPORT_READER
            else:
                pin_for_export(buf)  # (may move buf: data_of after this)
                meta[0] = EXPORT_PINNED
        except BaseException:
            PyMem_Free(meta)
            raise
        Py_INCREF(buf)
        meta[1] = <Py_ssize_t><PyObject*>buf
        meta += 2
        shape = meta
        if self.nd > 0:
            for i in range(self.nd):
                shape[i] = self.dims[i]
            # Contiguous arrays export freshly computed strides (plain
            # products), as NumPy does for consumers that expect them.
            step = self.itemsize_
            if (self.flags_ & FLAG_C_CONTIGUOUS and not (
                    (flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS
                    and self.flags_ & FLAG_F_CONTIGUOUS)):
                for i in range(self.nd - 1, -1, -1):
                    shape[self.nd + i] = step
                    step *= self.dims[i]
            elif self.flags_ & FLAG_F_CONTIGUOUS:
                for i in range(self.nd):
                    shape[self.nd + i] = step
                    step *= self.dims[i]
            else:
                for i in range(self.nd):
                    shape[self.nd + i] = self.strides_[i]
        view.buf = data_of(self)
        view.obj = self
        view.len = shape_size(self.nd, self.dims) * self.itemsize_
        view.readonly = not writable
        view.itemsize = self.itemsize_
        # The bytes object lives in the format cache for the whole process.
        view.format = (<char*><bytes>fmt if (flags & PyBUF_FORMAT) == PyBUF_FORMAT
                       else NULL)
        if (flags & PyBUF_ND) == PyBUF_ND:
            view.ndim = self.nd
            view.shape = shape if self.nd > 0 else NULL
        else:
            view.ndim = 0
            view.shape = NULL
        if (flags & PyBUF_STRIDES) == PyBUF_STRIDES and self.nd > 0:
            view.strides = shape + self.nd
        else:
            view.strides = NULL
        view.suboffsets = NULL
        view.internal = meta - 2

    def __releasebuffer__(self, Py_buffer* view):
        # Uncounted on the Buffer it was counted on, whatever self became.
        cdef Py_ssize_t* meta = <Py_ssize_t*>view.internal
        cdef PyObject* counted = <PyObject*>meta[1]
        cdef Buffer buf = <Buffer>counted
        if meta[0] == EXPORT_WRITABLE:
            buf.writable_exports -= 1
        elif meta[0] == EXPORT_PINNED:
            buf.pinned_exports -= 1
        else:
            end_read(buf)
        Py_DECREF(<object>counted)
        PyMem_Free(view.internal)

    @property
    def __array_interface__(self):
        # A raw pointer may be used for ever: a writable one ends lazy
        # sharing for good; a read-only one keeps the memory where it is.
        # A warn-on-write array's interface is read-only, as NumPy's; so is
        # lazily shared memory's, as its buffer export.
        cdef bint writable = (self.flags_ & FLAG_WRITEABLE
                              and not self.flags_ & FLAG_WARN_ON_WRITE
                              and not shares_lazily(self.buffer))
        if writable:
            prepare_write(self)
            self.buffer.private = False
        else:
            pin_for_export(self.buffer)
        return array_interface(self, not writable)

    def __array__(self, dtype=None, copy=None):
        # NumPy's array_getarray: a forced copy, or a cast, is a C-order
        # PyArray_CastToType; an equivalent dtype needs neither.
        cdef int copy_mode = parse_copy(copy)
        if dtype is not None:
            dtype = resolve_dtype(dtype)
        if copy_mode != COPY_ALWAYS and (dtype is None or dtype == self.dtype_):
            if self.flags_ & FLAG_WARN_ON_WRITE:
                return warn_on_write_export(self)
            return as_numpy_for_write(self)
        if copy_mode == COPY_NEVER:
            raise ValueError(_ASARRAY_COPY_MESSAGE)
        forced = copy_mode == COPY_ALWAYS
        return np.asarray(copy_array(
            self, ORDER_C, dtype, "__array__",
            COPY_EXPLICIT if forced else COPY_IMPLICIT,
            "NumPy asked for a copy" if forced else "NumPy asked for another dtype"))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # As NumPy's ndarray.__array_ufunc__: give way to any other override,
        # then run the ufunc on NumPy views (see run_ufunc).
        return run_ufunc(ufunc, method, inputs, kwargs)

    def __contains__(self, value):
        # NumPy's array_contains: (self == value).any().
        return as_numpy(self).__contains__(comparison_operand(value))

    def __repr__(self):
        return repr(as_numpy(self))

    def __str__(self):
        return str(as_numpy(self))

    def __format__(self, spec):
        return format(as_numpy(self), spec)

    def __reduce__(self):
        # NumPy pickles an F-only array in F order, anything else in C order.
        return (_from_pickle, (np.array(as_numpy(self), order="A"),))

    def __bool__(self):
        return bool(as_numpy(self))

    def __int__(self):
        return int(as_numpy(self))

    def __float__(self):
        return float(as_numpy(self))

    def __complex__(self):
        return complex(as_numpy(self))

    def __index__(self):
        return operator.index(as_numpy(self))

    # -------------------------------------------------------- arithmetic
    # NumPy's own operators run on zero-copy views (see numpy_operand), so
    # deferral, fast scalar powers, casting errors and messages are NumPy's;
    # an in-place operator writes through a writable view of self.

    def __add__(self, other):
        return binary_operator(self, other, OP_ADD, False)

    def __radd__(self, other):
        return binary_operator(self, other, OP_ADD, True)

    def __iadd__(self, other):
        return inplace_operator(self, other, OP_ADD)

    def __sub__(self, other):
        return binary_operator(self, other, OP_SUB, False)

    def __rsub__(self, other):
        return binary_operator(self, other, OP_SUB, True)

    def __isub__(self, other):
        return inplace_operator(self, other, OP_SUB)

    def __mul__(self, other):
        return binary_operator(self, other, OP_MUL, False)

    def __rmul__(self, other):
        return binary_operator(self, other, OP_MUL, True)

    def __imul__(self, other):
        return inplace_operator(self, other, OP_MUL)

    def __truediv__(self, other):
        return binary_operator(self, other, OP_TRUEDIV, False)

    def __rtruediv__(self, other):
        return binary_operator(self, other, OP_TRUEDIV, True)

    def __itruediv__(self, other):
        return inplace_operator(self, other, OP_TRUEDIV)

    def __floordiv__(self, other):
        return binary_operator(self, other, OP_FLOORDIV, False)

    def __rfloordiv__(self, other):
        return binary_operator(self, other, OP_FLOORDIV, True)

    def __ifloordiv__(self, other):
        return inplace_operator(self, other, OP_FLOORDIV)

    def __mod__(self, other):
        return binary_operator(self, other, OP_MOD, False)

    def __rmod__(self, other):
        return binary_operator(self, other, OP_MOD, True)

    def __imod__(self, other):
        return inplace_operator(self, other, OP_MOD)

    def __divmod__(self, other):
        return binary_operator(self, other, OP_DIVMOD, False)

    def __rdivmod__(self, other):
        return binary_operator(self, other, OP_DIVMOD, True)

    def __pow__(self, other, mod=None):
        if mod is not None:
            return NotImplemented  # NumPy has no modular power
        return binary_operator(self, other, OP_POW, False)

    def __rpow__(self, other, mod=None):
        if mod is not None:
            return NotImplemented
        return binary_operator(self, other, OP_POW, True)

    def __ipow__(self, other, mod=None):
        # NumPy's array_inplace_power ignores the modulo too.
        return inplace_operator(self, other, OP_POW)

    def __matmul__(self, other):
        return binary_operator(self, other, OP_MATMUL, False)

    def __rmatmul__(self, other):
        return binary_operator(self, other, OP_MATMUL, True)

    def __imatmul__(self, other):
        return inplace_operator(self, other, OP_MATMUL)

    def __and__(self, other):
        return binary_operator(self, other, OP_AND, False)

    def __rand__(self, other):
        return binary_operator(self, other, OP_AND, True)

    def __iand__(self, other):
        return inplace_operator(self, other, OP_AND)

    def __or__(self, other):
        return binary_operator(self, other, OP_OR, False)

    def __ror__(self, other):
        return binary_operator(self, other, OP_OR, True)

    def __ior__(self, other):
        return inplace_operator(self, other, OP_OR)

    def __xor__(self, other):
        return binary_operator(self, other, OP_XOR, False)

    def __rxor__(self, other):
        return binary_operator(self, other, OP_XOR, True)

    def __ixor__(self, other):
        return inplace_operator(self, other, OP_XOR)

    def __lshift__(self, other):
        return binary_operator(self, other, OP_LSHIFT, False)

    def __rlshift__(self, other):
        return binary_operator(self, other, OP_LSHIFT, True)

    def __ilshift__(self, other):
        return inplace_operator(self, other, OP_LSHIFT)

    def __rshift__(self, other):
        return binary_operator(self, other, OP_RSHIFT, False)

    def __rrshift__(self, other):
        return binary_operator(self, other, OP_RSHIFT, True)

    def __irshift__(self, other):
        return inplace_operator(self, other, OP_RSHIFT)

    def __neg__(self):
        return from_numpy_result(as_numpy(self).__neg__())

    def __pos__(self):
        return from_numpy_result(as_numpy(self).__pos__())

    def __abs__(self):
        return from_numpy_result(as_numpy(self).__abs__())

    def __invert__(self):
        return from_numpy_result(as_numpy(self).__invert__())

    def __lt__(self, other):
        if foreign_ufunc_override(other):
            return np.less(self, other)
        return from_numpy_result(
            as_numpy(self).__lt__(comparison_operand(other)))

    def __le__(self, other):
        if foreign_ufunc_override(other):
            return np.less_equal(self, other)
        return from_numpy_result(
            as_numpy(self).__le__(comparison_operand(other)))

    def __gt__(self, other):
        if foreign_ufunc_override(other):
            return np.greater(self, other)
        return from_numpy_result(
            as_numpy(self).__gt__(comparison_operand(other)))

    def __ge__(self, other):
        if foreign_ufunc_override(other):
            return np.greater_equal(self, other)
        return from_numpy_result(
            as_numpy(self).__ge__(comparison_operand(other)))

    def __eq__(self, other):
        if foreign_ufunc_override(other):
            return np.equal(self, other)
        return from_numpy_result(
            as_numpy(self).__eq__(comparison_operand(other)))

    def __ne__(self, other):
        if foreign_ufunc_override(other):
            return np.not_equal(self, other)
        return from_numpy_result(
            as_numpy(self).__ne__(comparison_operand(other)))

    __hash__ = None

    # ---------------------------------------------------- views (owner: views)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        """Return a diagonal: a read-only view.

        As :func:`array_core.diagonal`: the elements ``a[i, i + offset]`` of the
        2-d sub-arrays over ``axis1`` and ``axis2``, as the last axis of the
        result.  As in NumPy 2.x, the view (``base``: the array owning the
        memory) cannot be written; copy it to get a writable diagonal.

        Parameters
        ----------
        offset : int, optional
            The diagonal's distance from the main one: above when positive,
            below when negative.  Default 0.
        axis1 : int, optional
            The axis of the sub-arrays' rows.  Default 0.
        axis2 : int, optional
            The axis of the sub-arrays' columns.  Default 1.

        Returns
        -------
        ndarray
            A read-only view holding the diagonals.

        Raises
        ------
        ValueError
            If the array has fewer than two axes, or ``axis1`` and ``axis2`` are
            the same axis.
        numpy.exceptions.AxisError
            If ``axis1`` or ``axis2`` is out of range.
        TypeError
            If an argument is not an integer.

        See Also
        --------
        array_core.diagonal : The same, as a function.
        trace : The sum of a diagonal.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.arange(9).reshape(3, 3)
        >>> d = a.diagonal()
        >>> d, a.diagonal(-1), d.base is a.base, d.flags.writeable
        (array([0, 4, 8]), array([3, 7]), True, False)
        """
        return family_methods["diagonal"](self, offset, axis1, axis2)

    @property
    def real(self):
        """The real part: a view for a complex array, else the array itself.

        For a complex array, a view of the real parts (``base``: the owner of
        the memory; writeable when the array is); for any other array, this
        array itself, as NumPy.  No copy either way.  Assigning writes the real
        parts in place: a lazy copy is materialised once, a read-only array is
        refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> c = array_core.asarray([1 + 2j, 3 - 4j])
        >>> c.real, c.real.base is c, array_core.shares_memory(c.real, c)
        (array([1., 3.]), True, True)
        >>> c.real = 0
        >>> c
        array([0.+2.j, 0.-4.j])
        """
        return family_methods["real"](self)

    @real.setter
    def real(self, value):
        family_methods["set_real"](self, value)

    @property
    def imag(self):
        """The imaginary part: a view for a complex array, else read-only zeros.

        For a complex array, a view of the imaginary parts (``base``: the owner
        of the memory); for any other array, a new read-only array of zeros, as
        NumPy's (not a copy: nothing appears in :class:`array_core.copy_audit`).
        Assigning writes the imaginary parts in place (a lazy copy is
        materialised once, a read-only array is refused with NumPy's error); a
        real array raises NumPy's TypeError.

        Examples
        --------
        >>> import array_core
        >>> c = array_core.asarray([1 + 2j, 3 - 4j])
        >>> c.imag, c.imag.base is c
        (array([ 2., -4.]), True)
        >>> r = array_core.arange(2.0).imag
        >>> r, r.flags.writeable, r.base
        (array([0., 0.]), False, None)
        """
        return family_methods["imag"](self)

    @imag.setter
    def imag(self, value):
        family_methods["set_imag"](self, value)

    @property
    def flat(self):
        """A flat iterator over the array (NumPy's ``flatiter``).

        The iterator reads the elements in C order without copying; its
        ``base`` is this array.  Indexing it reads (or, when assigned, writes)
        elements by flat index.  Assigning ``a.flat = values`` writes every
        element in place, repeating ``values``: a lazy copy is materialised
        once, a read-only array is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> list(a.T.flat), a.flat.base is a
        ([np.int64(1), np.int64(3), np.int64(2), np.int64(4)], True)
        >>> a.flat = [0, 9]
        >>> a
        array([[0, 9],
               [0, 9]])
        """
        return family_methods["flat"](self)

    @flat.setter
    def flat(self, value):
        family_methods["set_flat"](self, value)

    # ------------------------------------------- data movement (owner: movement)

    def take(self, indices, axis=None, out=None, mode="raise"):
        """Take elements at ``indices`` along ``axis``, into a new array.

        ``array_core.take(self, indices, axis, out, mode)``: ``axis=None`` takes
        from the array flattened.  The new array is an explicit copy through the
        copy choke point, recorded by :class:`array_core.copy_audit` as ``take``;
        with ``out`` the values are written into ``out``, which is returned.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2, 3], [4, 5, 6]])
        >>> with array_core.copy_audit() as log:
        ...     t = a.take([2, 0], axis=1)
        >>> t, t.base, [(c.operation, c.category) for c in log]
        (array([[3, 1],
               [6, 4]]), None, [('take', 'explicit')])
        """
        return family_methods["take"](self, indices, axis, out, mode)

    def put(self, indices, values, mode="raise"):
        """Write ``values`` at the flat ``indices``, in place.

        ``array_core.put(self, indices, values, mode)``: NumPy's ``put`` on one
        writable view of the array.  A lazy copy is materialised once (its
        source is left alone); a read-only array is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros(4, dtype=int)
        >>> a.put([0, 2], [5, 6])
        >>> a
        array([5, 0, 6, 0])
        >>> a.flags.writeable = False
        >>> a.put(0, 1)
        Traceback (most recent call last):
            ...
        ValueError: put: output array is read-only
        """
        return family_methods["put"](self, indices, values, mode)

    def compress(self, condition, axis=None, out=None):
        """The slices along ``axis`` where ``condition`` is true (a copy).

        ``array_core.compress(condition, self, axis, out)``: ``axis=None`` selects
        from the array flattened.  The new array is an explicit copy through the
        copy choke point, recorded by :class:`array_core.copy_audit` as
        ``compress``; with ``out`` the values are written into ``out``.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4], [5, 6]])
        >>> with array_core.copy_audit() as log:
        ...     c = a.compress([True, False, True], axis=0)
        >>> c.tolist(), [(r.operation, r.category) for r in log]
        ([[1, 2], [5, 6]], [('compress', 'explicit')])
        """
        return family_methods["compress"](condition, self, axis, out)

    def repeat(self, repeats, axis=None):
        """Each element repeated ``repeats`` times along ``axis`` (a copy).

        ``array_core.repeat(self, repeats, axis)``: ``axis=None`` repeats the
        array flattened.  The result is always a new array, an explicit copy
        through the copy choke point, recorded by :class:`array_core.copy_audit`
        as ``repeat``.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> with array_core.copy_audit() as log:
        ...     r = a.repeat(2, axis=1)
        >>> r.tolist(), [(c.operation, c.category) for c in log]
        ([[1, 1, 2, 2], [3, 3, 4, 4]], [('repeat', 'explicit')])
        """
        return family_methods["repeat"](self, repeats, axis)

    def nonzero(self):
        """The indices of the non-zero elements, one array per axis.

        ``array_core.nonzero(self)``: as NumPy's, the index arrays are views of
        one new (N, ndim) array of indices computed by NumPy (their shared
        ``base``); it is not a copy of this array, so nothing appears in
        :class:`array_core.copy_audit`.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[0, 1], [2, 0]])
        >>> i, j = a.nonzero()
        >>> i, j, i.base is j.base, i.base.shape
        (array([0, 1]), array([1, 0]), True, (2, 2))
        """
        return family_methods["nonzero"](self)

    def resize(self, *new_shape, refcheck=True):
        """Change the shape and size of the array in place.

        NumPy's ``ndarray.resize``: the array's own memory is reallocated to the
        new size, the elements kept in C order and new elements set to zero.
        It works only on an array that owns its memory (not a view) and, with
        ``refcheck``, that nothing else refers to (no view, no other name), since
        those would go on pointing at the old memory.

        Parameters
        ----------
        *new_shape : int or tuple of ints
            The new shape, as one tuple or as separate integers.
        refcheck : bool, optional
            Refuse when another reference to the array exists.  Default True.

        Returns
        -------
        None

        Raises
        ------
        ValueError
            If the array does not own its memory, if ``refcheck`` is True and
            something else refers to it, or if a length is negative.

        See Also
        --------
        array_core.resize : A new array of the new shape, repeating the
            elements.
        reshape : A new shape of the same size, as a view when possible.

        Examples
        --------
        >>> import array_core as ac
        >>> a = ac.arange(4)
        >>> a.resize((2, 3))
        >>> a
        array([[0, 1, 2],
               [3, 0, 0]])
        >>> a[0].resize(2)
        Traceback (most recent call last):
            ...
        ValueError: cannot resize this array: it does not own its data
        """
        # The caller's reference and this call's are the two NumPy allows.
        return family_methods["resize"](self, new_shape, refcheck,
                                        Py_REFCNT(self) - 2)

    def tobytes(self, order="C"):
        """The elements' bytes, read in ``order`` ('C', 'F', 'A' or 'K').

        A new ``bytes`` object, not an array: nothing appears in
        :class:`array_core.copy_audit`, and a lazy copy stays shared.  'A' reads
        in F order only for an F-contiguous, not C-contiguous array; 'K' reads
        as 'C' does (NumPy's ``tobytes`` keeps no memory order).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]], dtype="u1")
        >>> list(a.tobytes()), list(a.tobytes("F")), list(a.T.tobytes("A"))
        ([1, 2, 3, 4], [1, 3, 2, 4], [1, 2, 3, 4])
        """
        return family_methods["tobytes"](self, order)

    # ------------------------------------ NumPy dispatch (owner: dispatch)

    def __array_function__(self, func, types, args, kwargs):
        # NEP 18: array_core's own function where registered, else NumPy's
        # on read-only NumPy views (array_core._dispatch).
        if run_array_function == NULL:
            raise ImportError("array_core._dispatch was not imported")
        return run_array_function(func, types, args, kwargs)

    # ------------------------- other ndarray methods (owner: methods)
    # The compute methods run NumPy's own method (or the Python function
    # NumPy forwards it to) on a read-only NumPy view, with NumPy's argument
    # parsing; ``out=`` arrays become writable views (see _methods.pyx).

    __array_priority__ = 0.0

    def sum(self, *args, **kwargs):
        """sum($self, /, axis=None, dtype=None, out=None, **kwargs)
        --

        Sum of the elements over the given axis (NumPy's ``ndarray.sum``).

        NumPy's own reduction runs on a read-only view of the array, so a
        lazy copy is never materialised by it; ``out`` (an array_core or
        NumPy array) is written in place and returned.

        Parameters
        ----------
        axis, dtype, out, keepdims, initial, where
            As :meth:`numpy.ndarray.sum`.

        Returns
        -------
        numpy scalar or ndarray
            A NumPy scalar for a full reduction, else an array_core array.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(6).reshape(2, 3)
        >>> a.sum(), a.sum(axis=0)
        (np.int64(15), array([3, 5, 7]))
        >>> out = array_core.zeros(2, dtype=int)
        >>> a.sum(axis=1, out=out) is out, out
        (True, array([ 3, 12]))
        """
        return family_methods["sum"](self, args, kwargs)

    def prod(self, *args, **kwargs):
        """prod($self, /, axis=None, dtype=None, out=None, **kwargs)
        --

        Product of the elements over the given axis.

        As :meth:`numpy.ndarray.prod` (``axis``, ``dtype``, ``out``, ``keepdims``,
        ``initial``, ``where``).  NumPy's own method runs on a read-only NumPy view
        of the array (reading never materialises a lazy copy); the result is new,
        computed by NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> a.prod(), a.prod(axis=0)
        (np.int64(24), array([3, 8]))
        """
        return family_methods["prod"](self, args, kwargs)

    def mean(self, *args, **kwargs):
        """mean($self, /, axis=None, dtype=None, out=None, **kwargs)
        --

        Arithmetic mean over the given axis (NumPy's ``ndarray.mean``).

        Parameters
        ----------
        axis, dtype, out, keepdims, where
            As :meth:`numpy.ndarray.mean`.

        Returns
        -------
        numpy scalar or ndarray

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(6.0).reshape(2, 3)
        >>> a.mean(), a.mean(axis=1)
        (np.float64(2.5), array([1., 4.]))
        """
        return family_methods["mean"](self, args, kwargs)

    def std(self, *args, **kwargs):
        """std($self, /, axis=None, dtype=None, out=None, ddof=0, **kwargs)
        --

        Standard deviation over the given axis.

        As :meth:`numpy.ndarray.std`: ``ddof`` is subtracted from the number of
        elements in the divisor.  NumPy's own method runs on a read-only NumPy view
        of the array (reading never materialises a lazy copy); the result is new,
        computed by NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([1.0, 2.0, 3.0, 4.0])
        >>> a.std(), a.std(ddof=1)
        (np.float64(1.118033988749895), np.float64(1.2909944487358056))
        """
        return family_methods["std"](self, args, kwargs)

    def var(self, *args, **kwargs):
        """var($self, /, axis=None, dtype=None, out=None, ddof=0, **kwargs)
        --

        Variance over the given axis.

        As :meth:`numpy.ndarray.var`: ``ddof`` is subtracted from the number of
        elements in the divisor.  NumPy's own method runs on a read-only NumPy view
        of the array (reading never materialises a lazy copy); the result is new,
        computed by NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1.0, 2.0], [3.0, 5.0]])
        >>> a.var(), a.var(axis=0, ddof=1)
        (np.float64(2.1875), array([2. , 4.5]))
        """
        return family_methods["var"](self, args, kwargs)

    def min(self, *args, **kwargs):
        """min($self, /, axis=None, out=None, **kwargs)
        --

        Minimum over the given axis.

        As :meth:`numpy.ndarray.min` (``axis``, ``out``, ``keepdims``, ``initial``,
        ``where``).  NumPy's own method runs on a read-only NumPy view of the array
        (reading never materialises a lazy copy); the result is new, computed by
        NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[3, 1], [2, 4]])
        >>> a.min(), a.min(axis=1), a.min(axis=0, keepdims=True)
        (np.int64(1), array([1, 2]), array([[2, 1]]))
        """
        return family_methods["min"](self, args, kwargs)

    def max(self, *args, **kwargs):
        """max($self, /, axis=None, out=None, **kwargs)
        --

        Maximum over the given axis.

        As :meth:`numpy.ndarray.max` (``axis``, ``out``, ``keepdims``, ``initial``,
        ``where``).  NumPy's own method runs on a read-only NumPy view of the array
        (reading never materialises a lazy copy); the result is new, computed by
        NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[3, 1], [2, 4]])
        >>> out = array_core.zeros(2, dtype=int)
        >>> a.max(), a.max(axis=0, out=out) is out, out
        (np.int64(4), True, array([3, 4]))
        """
        return family_methods["max"](self, args, kwargs)

    def argmin(self, *args, **kwargs):
        """argmin($self, /, axis=None, out=None, *, keepdims=False)
        --

        Indices of the minimum values along the given axis.

        As :meth:`numpy.ndarray.argmin`: without ``axis``, the flat index of the
        first minimum.  NumPy's own method runs on a read-only NumPy view of the
        array (reading never materialises a lazy copy); the result is new, computed
        by NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[3, 1], [0, 4]])
        >>> a.argmin(), a.argmin(axis=1)
        (np.int64(2), array([1, 0]))
        """
        return family_methods["argmin"](self, args, kwargs)

    def argmax(self, *args, **kwargs):
        """argmax($self, /, axis=None, out=None, *, keepdims=False)
        --

        Indices of the maximum values along the given axis.

        As :meth:`numpy.ndarray.argmax`: without ``axis``, the flat index of the
        first maximum.  NumPy's own method runs on a read-only NumPy view of the
        array (reading never materialises a lazy copy); the result is new, computed
        by NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[3, 1], [0, 4]])
        >>> a.argmax(), a.argmax(axis=0)
        (np.int64(3), array([0, 1]))
        """
        return family_methods["argmax"](self, args, kwargs)

    def any(self, *args, **kwargs):
        """any($self, /, axis=None, out=None, keepdims=False, *, where=True)
        --

        True if any element evaluates to True.

        As :meth:`numpy.ndarray.any`; with ``axis``, an array of booleans.  NumPy's
        own method runs on a read-only NumPy view of the array (reading never
        materialises a lazy copy); the result is new, computed by NumPy, not a copy
        of this array (nothing appears in :class:`array_core.copy_audit`).  An
        ``out`` array is written through a writable view and returned: a lazy copy
        is materialised once, a read-only one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[0, 0], [0, 5]])
        >>> a.any(), a.any(axis=0)
        (np.True_, array([False,  True]))
        """
        return family_methods["any"](self, args, kwargs)

    def all(self, *args, **kwargs):
        """all($self, /, axis=None, out=None, keepdims=False, *, where=True)
        --

        True if all elements evaluate to True.

        As :meth:`numpy.ndarray.all`; with ``axis``, an array of booleans.  NumPy's
        own method runs on a read-only NumPy view of the array (reading never
        materialises a lazy copy); the result is new, computed by NumPy, not a copy
        of this array (nothing appears in :class:`array_core.copy_audit`).  An
        ``out`` array is written through a writable view and returned: a lazy copy
        is materialised once, a read-only one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 0], [1, 5]])
        >>> a.all(), a.all(axis=0)
        (np.False_, array([ True, False]))
        """
        return family_methods["all"](self, args, kwargs)

    def cumsum(self, *args, **kwargs):
        """cumsum($self, /, axis=None, dtype=None, out=None)
        --

        Cumulative sum along the given axis.

        As :meth:`numpy.ndarray.cumsum`: without ``axis``, over the array flattened.
        NumPy's own method runs on a read-only NumPy view of the array (reading
        never materialises a lazy copy); the result is new, computed by NumPy, not a
        copy of this array (nothing appears in :class:`array_core.copy_audit`).  An
        ``out`` array is written through a writable view and returned: a lazy copy
        is materialised once, a read-only one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> with array_core.copy_audit() as log:
        ...     c = a.cumsum()
        >>> c, a.cumsum(axis=0).tolist(), len(log)
        (array([ 1,  3,  6, 10]), [[1, 2], [4, 6]], 0)
        """
        return family_methods["cumsum"](self, args, kwargs)

    def cumprod(self, *args, **kwargs):
        """cumprod($self, /, axis=None, dtype=None, out=None)
        --

        Cumulative product along the given axis.

        As :meth:`numpy.ndarray.cumprod`: without ``axis``, over the array
        flattened.  NumPy's own method runs on a read-only NumPy view of the array
        (reading never materialises a lazy copy); the result is new, computed by
        NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> a.cumprod(), a.cumprod(axis=1).tolist()
        (array([ 1,  2,  6, 24]), [[1, 2], [3, 12]])
        """
        return family_methods["cumprod"](self, args, kwargs)

    def round(self, *args, **kwargs):
        """round($self, /, decimals=0, out=None)
        --

        Each element rounded to the given number of decimals.

        As :meth:`numpy.ndarray.round` (half to even).  NumPy's own method runs on a
        read-only NumPy view of the array, and its result is new, computed by NumPy
        (not in :class:`array_core.copy_audit`).  One case is a copy, as in NumPy:
        an integer array (not 0-d) rounded to ``decimals >= 0`` without ``out`` is
        an explicit copy through the copy choke point, recorded as ``round``.  An
        ``out`` array is written through a writable view and returned (a lazy copy
        is materialised once, a read-only one is refused with NumPy's error).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([0.5, 1.5, 2.25])
        >>> a.round(), a.round(1)
        (array([0., 2., 2.]), array([0.5, 1.5, 2.2]))
        >>> with array_core.copy_audit() as log:
        ...     r = array_core.asarray([1, 2]).round()
        >>> r, [(c.operation, c.category) for c in log]
        (array([1, 2]), [('round', 'explicit')])
        """
        return family_methods["round"](self, args, kwargs)

    def clip(self, *args, **kwargs):
        """clip($self, /, min=None, max=None, out=None, **kwargs)
        --

        The values limited to ``[min, max]``.

        As :meth:`numpy.ndarray.clip`: either bound may be None; ``out=self`` clips
        in place.  NumPy's own method runs on a read-only NumPy view of the array
        (reading never materialises a lazy copy); the result is new, computed by
        NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([1, 5, 9])
        >>> a.clip(2, 6)
        array([2, 5, 6])
        >>> a.clip(max=4, out=a) is a, a
        (True, array([1, 4, 4]))
        """
        return family_methods["clip"](self, args, kwargs)

    def dot(self, *args, **kwargs):
        """dot($self, other, /, out=None)
        --

        Dot product with ``other``.

        As :meth:`numpy.ndarray.dot`: the inner product of 1-d arrays, the matrix
        product of 2-d ones.  NumPy's own method runs on a read-only NumPy view of
        the array (reading never materialises a lazy copy); the result is new,
        computed by NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> a.dot(a), a[0].dot(a[1])
        (array([[ 7, 10],
               [15, 22]]), np.int64(11))
        """
        return family_methods["dot"](self, args, kwargs)

    def conj(self, *args, **kwargs):
        """conj($self, /)
        --

        The complex conjugate (self itself when not complex).

        As :meth:`numpy.ndarray.conj`: for a complex array, a new array computed by
        NumPy from a read-only NumPy view of this one (not a copy: nothing appears
        in :class:`array_core.copy_audit`); for any other array, this array itself
        (no copy, no view).

        Examples
        --------
        >>> import array_core
        >>> c = array_core.asarray([1 + 2j, 3 - 4j])
        >>> c.conj(), c.conj().base
        (array([1.-2.j, 3.+4.j]), None)
        >>> r = array_core.arange(3.0)
        >>> r.conj() is r
        True
        """
        return family_methods["conj"](self, args, kwargs)

    def conjugate(self, *args, **kwargs):
        """conjugate($self, /)
        --

        The complex conjugate (self itself when not complex).

        As :meth:`numpy.ndarray.conjugate`: for a complex array, a new array
        computed by NumPy from a read-only NumPy view of this one (not a copy:
        nothing appears in :class:`array_core.copy_audit`); for any other array,
        this array itself (no copy, no view).

        Examples
        --------
        >>> import array_core
        >>> c = array_core.asarray([1 + 2j, 3 - 4j])
        >>> c.conjugate(), c.conjugate().base
        (array([1.-2.j, 3.+4.j]), None)
        >>> r = array_core.arange(3.0)
        >>> r.conjugate() is r
        True
        """
        return family_methods["conjugate"](self, args, kwargs)

    def trace(self, *args, **kwargs):
        """trace($self, /, offset=0, axis1=0, axis2=1, dtype=None, out=None)
        --

        Sum along a diagonal.

        As :meth:`numpy.ndarray.trace`: the sum of ``diagonal(offset, axis1,
        axis2)``.  NumPy's own method runs on a read-only NumPy view of the array
        (reading never materialises a lazy copy); the result is new, computed by
        NumPy, not a copy of this array (nothing appears in
        :class:`array_core.copy_audit`).  An ``out`` array is written through a
        writable view and returned: a lazy copy is materialised once, a read-only
        one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([[1, 2], [3, 4]])
        >>> a.trace(), a.trace(offset=1)
        (np.int64(5), np.int64(2))
        """
        return family_methods["trace"](self, args, kwargs)

    def choose(self, *args, **kwargs):
        """choose($self, /, choices, out=None, mode='raise')
        --

        An array built from ``choices`` by this array's index values.

        As :meth:`numpy.ndarray.choose`: each element picks the element at the same
        place of the choice it names (``mode`` 'raise', 'wrap' or 'clip').  NumPy's
        own method runs on a read-only NumPy view of the array (reading never
        materialises a lazy copy); the result is new, computed by NumPy, not a copy
        of this array (nothing appears in :class:`array_core.copy_audit`).  An
        ``out`` array is written through a writable view and returned: a lazy copy
        is materialised once, a read-only one is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> idx = array_core.asarray([0, 1, 0])
        >>> idx.choose([[1, 2, 3], [10, 20, 30]])
        array([ 1, 20,  3])
        """
        return family_methods["choose"](self, args, kwargs)

    def sort(self, *args, **kwargs):
        """sort($self, /, axis=-1, kind=None, order=None, *, stable=None)
        --

        Sort the array in place (NumPy's ``ndarray.sort``).

        NumPy sorts through one writable view of the array: a lazy copy is
        materialised once, a read-only array is refused with NumPy's error.

        Parameters
        ----------
        axis, kind, order, stable
            As :meth:`numpy.ndarray.sort`.

        Returns
        -------
        None

        Examples
        --------
        >>> import array_core
        >>> a = array_core.array([3, 1, 2])
        >>> a.sort()
        >>> a
        array([1, 2, 3])
        """
        return family_methods["sort"](self, args, kwargs)

    def argsort(self, *args, **kwargs):
        """argsort($self, /, axis=-1, kind=None, order=None, *, stable=None)
        --

        The indices that would sort the array.

        As :meth:`numpy.ndarray.argsort`; the array itself is not changed.  NumPy's
        own method runs on a read-only NumPy view of the array (reading never
        materialises a lazy copy); the result is new, computed by NumPy, not a copy
        of this array (nothing appears in :class:`array_core.copy_audit`).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([3, 1, 2])
        >>> a.argsort(), a
        (array([1, 2, 0]), array([3, 1, 2]))
        """
        return family_methods["argsort"](self, args, kwargs)

    def partition(self, *args, **kwargs):
        """partition($self, kth, /, axis=-1, kind='introselect', order=None)
        --

        Partially sort the array in place around the ``kth`` element(s).

        As :meth:`numpy.ndarray.partition`: afterwards the element at ``kth`` is in
        its sorted place, smaller ones before it, larger ones after.  NumPy
        partitions through one writable view of the array: a lazy copy is
        materialised once, a read-only array is refused with NumPy's error.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([3, 4, 1, 2])
        >>> b = a.copy(lazy=True)
        >>> b.partition(1)
        >>> b[1].item(), sorted(b[:2].tolist()), a
        (2, [1, 2], array([3, 4, 1, 2]))
        """
        return family_methods["partition"](self, args, kwargs)

    def argpartition(self, *args, **kwargs):
        """argpartition($self, kth, /, axis=-1, kind='introselect', order=None)
        --

        The indices that would partition the array.

        As :meth:`numpy.ndarray.argpartition`: the element at index ``kth`` of the
        result is in its sorted place; the array itself is not changed.  NumPy's own
        method runs on a read-only NumPy view of the array (reading never
        materialises a lazy copy); the result is new, computed by NumPy, not a copy
        of this array (nothing appears in :class:`array_core.copy_audit`).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([3, 4, 1, 2])
        >>> i = a.argpartition(1)
        >>> a[i[1]].item(), sorted(a[i[:2]].tolist())
        (2, [1, 2])
        """
        return family_methods["argpartition"](self, args, kwargs)

    def searchsorted(self, *args, **kwargs):
        """searchsorted($self, v, /, side='left', sorter=None)
        --

        Indices where ``v`` would be inserted to keep the order.

        As :meth:`numpy.ndarray.searchsorted`: the array must be sorted (or
        ``sorter`` sort it); ``side`` is 'left' or 'right'.  NumPy's own method runs
        on a read-only NumPy view of the array (reading never materialises a lazy
        copy); the result is new, computed by NumPy, not a copy of this array
        (nothing appears in :class:`array_core.copy_audit`).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.asarray([1, 2, 2, 3])
        >>> a.searchsorted(2), a.searchsorted(2, side="right"), a.searchsorted([0, 5])
        (np.int64(1), np.int64(3), array([0, 4]))
        """
        return family_methods["searchsorted"](self, args, kwargs)

    def byteswap(self, inplace=False):
        """Swap the bytes of each element: a copy, or in place.

        Parameters
        ----------
        inplace : bool
            Swap in place (and return self) instead of in a copy.  The copy
            is NumPy's ('A' order) and goes through the copy choke point.

        Returns
        -------
        ndarray

        Examples
        --------
        >>> import array_core
        >>> a = array_core.array([1, 256], dtype="<i2")
        >>> a.byteswap()
        array([256,   1], dtype=int16)
        >>> a.byteswap(inplace=True) is a
        True
        """
        return family_methods["byteswap"](self, inplace)

    def getfield(self, dtype, offset=0):
        """The field of ``dtype`` at byte ``offset`` of each element (a view).

        Parameters
        ----------
        dtype : dtype-like
            How to read the field; a subarray dtype adds its axes.
        offset : int
            Byte offset of the field in each element.

        Returns
        -------
        ndarray
            A view, writeable when the array is (NumPy's rule).

        Examples
        --------
        >>> import array_core
        >>> a = array_core.array([1 + 2j, 3 + 4j])
        >>> a.getfield("f8", 8)
        array([2., 4.])
        """
        return family_methods["getfield"](self, dtype, offset)

    def setfield(self, val, dtype, offset=0):
        """Write ``val`` into the field of ``dtype`` at byte ``offset``.

        Parameters
        ----------
        val : array_like
            The values, broadcast to the array's shape.
        dtype : dtype-like
        offset : int

        Returns
        -------
        None

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros(2, dtype=complex)
        >>> a.setfield(5.0, "f8", 8)
        >>> a
        array([0.+5.j, 0.+5.j])
        """
        family_methods["setfield"](self, val, dtype, offset)

    def tofile(self, *args, **kwargs):
        """tofile($self, fid, /, sep='', format='%s')
        --

        Write the elements to a file, as text or binary.

        As :meth:`numpy.ndarray.tofile`: ``fid`` is a path or an open file; the
        elements are written in C order, as raw bytes (``sep=''``) or as text
        separated by ``sep``.  Only reads: a lazy copy stays shared and nothing
        appears in :class:`array_core.copy_audit`.

        Examples
        --------
        >>> import os, tempfile, array_core
        >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
        >>> array_core.asarray([[1, 2], [3, 4]]).T.tofile(path, sep=",")
        >>> with open(path) as f:
        ...     f.read()
        '1,3,2,4'
        """
        return family_methods["tofile"](self, args, kwargs)

    def dump(self, *args, **kwargs):
        """dump($self, /, file)
        --

        Pickle the array to ``file`` (a path or an open file).

        As :meth:`numpy.ndarray.dump`: ``pickle.load`` gives back an
        ``array_core.ndarray`` that owns its memory (base None).

        Examples
        --------
        >>> import io, pickle, array_core
        >>> f = io.BytesIO()
        >>> array_core.arange(3).dump(f)
        >>> b = pickle.loads(f.getvalue())
        >>> b, type(b) is array_core.ndarray, b.base
        (array([0, 1, 2]), True, None)
        """
        return family_methods["dump"](self, args, kwargs)

    def dumps(self, *args, **kwargs):
        """dumps($self, /)
        --

        The pickle of the array, as bytes.

        As :meth:`numpy.ndarray.dumps`: ``pickle.loads`` gives back an
        ``array_core.ndarray`` that owns its memory (base None), even for a view.

        Examples
        --------
        >>> import pickle, array_core
        >>> a = array_core.arange(4)
        >>> b = pickle.loads(a[::2].dumps())
        >>> b, type(b) is array_core.ndarray, b.base
        (array([0, 2]), True, None)
        """
        return family_methods["dumps"](self, args, kwargs)

    @property
    def ctypes(self):
        """NumPy's ctypes interface object for this array's memory.

        As :attr:`numpy.ndarray.ctypes`: ``data`` is the address of the first
        element, ``shape`` and ``strides`` are ctypes arrays.  For a writable array
        the pointer allows writes, so a lazy copy is materialised first (and its
        memory is no longer lazily shared); a read-only array's memory is left as it
        is.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros((2, 3))
        >>> c = a.ctypes
        >>> c.data == a.__array_interface__["data"][0], c.shape[:], c.strides[:]
        (True, [2, 3], [24, 8])
        """
        return family_methods["ctypes"](self)

    @property
    def device(self):
        """The device the array lives on: always ``'cpu'``.

        The Python array API's ``device`` attribute, as NumPy's.

        Examples
        --------
        >>> import array_core
        >>> array_core.zeros(2).device
        'cpu'
        """
        return "cpu"

    def to_device(self, device, /, *, stream=None):
        """The array on ``device`` (only ``'cpu'``): self.

        The Python array API's ``to_device``, as NumPy's: the array itself is
        returned (no copy, no view); any other device raises NumPy's ValueError.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.zeros(2)
        >>> a.to_device("cpu") is a
        True
        >>> a.to_device("gpu")
        Traceback (most recent call last):
            ...
        ValueError: Unsupported device: gpu. Only 'cpu' is accepted.
        """
        family_methods["to_device"](device, stream)
        return self

    def __array_namespace__(self, *, api_version=None):
        """NumPy's namespace, whose functions take array_core arrays."""
        return family_methods["__array_namespace__"](api_version)

    def __array_wrap__(self, array, context=None, return_scalar=True, /):
        """``array`` (a NumPy array) as an array_core array, without copying."""
        return family_methods["__array_wrap__"](self, array)

    def __array_finalize__(self, obj, /):
        """Nothing to do: array_core arrays have no subclass state."""
        return None

    @classmethod
    def __class_getitem__(cls, item):
        """A generic alias, as ``numpy.ndarray[shape, dtype]``."""
        return family_methods["__class_getitem__"](cls, item)

    @dtype.setter
    def dtype(self, value):
        # NumPy's array_descr_set: the array is re-read as its view(dtype)
        # would read it (the last-axis rule), in place.
        cdef ndarray v
        cdef Py_ssize_t* block
        cdef int i
        try:
            newtype = np.dtype(value)
        except Exception:  # noqa: BLE001 - NumPy replaces any failure
            raise TypeError("invalid data-type for array") from None
        if newtype.hasobject:
            raise TypeError("Cannot change data-type for array of references.")
        v = self.view(newtype)
        if v.nd <= 4:
            block = self.small_dims
        else:
            block = <Py_ssize_t*>PyMem_Malloc(2 * v.nd * sizeof(Py_ssize_t))
            if block == NULL:
                raise MemoryError()
        if self.dims != NULL and self.dims != self.small_dims:
            PyMem_Free(self.dims)
        for i in range(v.nd):
            block[i] = v.dims[i]
            block[v.nd + i] = v.strides_[i]
        self.dims = block
        self.strides_ = block + v.nd
        self.nd = v.nd
        self.dtype_ = v.dtype_
        self.itemsize_ = v.itemsize_
        self.alignment = v.alignment
        self.shape_cache = None
        self.strides_cache = None
        update_layout_flags(self)

    @dtype.deleter
    def dtype(self):
        raise AttributeError("Cannot delete array dtype")

    # ------------------------------------------------- DLPack (owner: dlpack)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None,
                   copy=None):
        """Export the array as a DLPack capsule (NumPy's ``__dlpack__``).

        A versioned capsule (``dltensor_versioned``, DLPack 1.0, with the
        read-only flag) when ``max_version >= (1, 0)``, else a legacy
        ``dltensor`` one.  The capsule keeps the array's memory alive until
        the consumer calls the deleter (or the capsule dies unconsumed).
        See ``array_core.from_dlpack``.

        Examples
        --------
        >>> import numpy as np, array_core
        >>> a = array_core.arange(4.0)
        >>> a.__dlpack__(max_version=(1, 0))
        <capsule object "dltensor_versioned" at 0x...>
        >>> b = np.from_dlpack(a)         # calls a.__dlpack__
        >>> b[0] = 9.0
        >>> a
        array([9., 1., 2., 3.])
        """
        return family_methods["__dlpack__"](self, stream, max_version,
                                            dl_device, copy)

    def __dlpack_device__(self):
        """``(1, 0)``: the memory is on the CPU (DLPack's kDLCPU, device 0).

        Examples
        --------
        >>> import array_core
        >>> array_core.arange(3).__dlpack_device__()
        (1, 0)
        """
        return (1, 0)
    # ------------------------------------ pickle protocol 5 (owner: memmap)

    def __reduce_ex__(self, protocol):
        """Pickle support: with protocol 5 a contiguous array's memory is
        handed out as a ``pickle.PickleBuffer`` (out of band when the
        pickler has a ``buffer_callback``), with no copy; a lazy copy is not
        materialised, and a memmap unpickles as an ordinary array."""
        return family_methods["__reduce_ex__"](self, protocol)

    # ---------------------------------------------- Dask (owner: _dask.py)

    def __dask_tokenize__(self):
        """Dask's token of the array: deterministic, without pickling it.

        The same dtype, shape, memory order and bytes give the same token,
        other bytes another (read through a read-only view: a lazy copy is
        not materialised).  A memmap is named by its file instead (path,
        size, modification time, offset, mode, shape, strides and dtype),
        without reading it; a ``'c'`` map by its bytes.

        Returns
        -------
        tuple
            What ``dask.base.tokenize`` hashes.

        Examples
        --------
        >>> import array_core
        >>> a = array_core.arange(6)
        >>> a.__dask_tokenize__() == a.copy().__dask_tokenize__()
        True
        >>> a.__dask_tokenize__() == (a + 1).__dask_tokenize__()
        False
        """
        return family_methods["__dask_tokenize__"](self, as_numpy(self))


# ------------------------------------------------------------ operations

cdef bint order_satisfied(ndarray a, int order):
    """True when ``a``'s layout already meets an order request.

    'A' asks for either contiguity, 'K' for nothing.
    """
    if order == ORDER_C:
        return a.flags_ & FLAG_C_CONTIGUOUS
    if order == ORDER_F:
        return a.flags_ & FLAG_F_CONTIGUOUS
    if order == ORDER_A:
        return a.flags_ & (FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS)
    return True


cdef int check_new_shape(int nd, const Py_ssize_t* shape,
                         Py_ssize_t itemsize) except -1:
    """NumPy's checks of a new array's shape, in its order (the ones of
    ``PyArray_NewFromDescr``, which every NumPy array, view or copy, passes).

    Each length is non-negative, and the item size times the product of the
    non-zero lengths fits in a Py_ssize_t: an empty array too must have
    strides that do not overflow.  (An itemsize-0 dtype passes any shape.)
    """
    cdef int i
    cdef Py_ssize_t nbytes = itemsize
    for i in range(nd):
        if shape[i] == 0:
            continue
        if shape[i] < 0:
            raise ValueError("negative dimensions are not allowed")
        if mul_overflows(nbytes, shape[i], &nbytes):
            raise ValueError("array is too big; `arr.size * arr.dtype.itemsize` "
                             "is larger than the maximum possible size.")
    return 0


cdef inline Py_ssize_t creation_itemsize(object dtype):
    """The item size NumPy's creation checks a shape with: an unsized string
    dtype is made 1 byte (S) or 4 bytes (U) long."""
    cdef Py_ssize_t itemsize = dtype.itemsize
    if itemsize == 0:
        if dtype.kind == "S":
            return 1
        if dtype.kind == "U":
            return 4
    return itemsize


cdef object reshape_array(ndarray self, object newshape_arg, int order, int copy):
    """NumPy's ``_reshape_with_copy_arg``: a view when possible, else a copy.

    The checks run in NumPy's order: shape conversion, order 'K', the
    same-shape quick path (a plain view keeping the strides), then the
    unknown axis and the size.
    """
    cdef Py_ssize_t newshape[MAX_NDIM]
    cdef Py_ssize_t newstrides[MAX_NDIM]
    cdef int new_nd = convert_shape(newshape_arg, newshape), i
    cdef bint same
    cdef ndarray source = self
    if order == ORDER_K:
        raise ValueError("order 'K' is not permitted for reshaping")
    if order == ORDER_A:
        order = ORDER_F if is_fortran_only(self) else ORDER_C
    if copy != COPY_ALWAYS and new_nd == self.nd:
        same = True
        for i in range(new_nd):
            if newshape[i] != self.dims[i]:
                same = False
                break
        if same:
            return make_view(self, data_of(self), self.nd, self.dims, self.strides_)
    fix_unknown_axis(new_nd, newshape, shape_size(self.nd, self.dims))
    check_new_shape(new_nd, newshape, self.itemsize_)  # an empty one may be too big
    if copy == COPY_ALWAYS:
        source = copy_array(self, order, None, "reshape", COPY_EXPLICIT,
                            "copy=True always copies")
    elif not order_satisfied(self, order):
        if nocopy_reshape_strides(self.nd, self.dims, self.strides_, self.itemsize_,
                                  new_nd, newshape, order == ORDER_F, newstrides):
            return make_view(self, data_of(self), new_nd, newshape, newstrides)
        if copy == COPY_NEVER:
            raise ValueError("Unable to avoid creating a copy while reshaping.")
        source = copy_array(self, order, None, "reshape", COPY_IMPLICIT,
                            "the strides cannot be merged into the new shape"
                            if copy_hook is None else
                            ("the strides cannot be merged into the new shape",
                             shape_tuple(new_nd, newshape), order))
    fill_contiguous_strides(new_nd, newshape, source.itemsize_, order == ORDER_F,
                            newstrides)
    return make_view(source, data_of(source), new_nd, newshape, newstrides)


# ------------------------------------------------------------ indexing
# Plans come from _index (shapes, strides and pointers only); this module
# allocates results through the copy choke point and runs the kernels
# (assignment: _setitem).

# Reasons the copy audit sees, built once (no string per indexing call).
cdef tuple _INDEX_REASONS = tuple([f"advanced index on axis {k}"
                                   for k in range(MAX_NDIM + 1)])
cdef tuple _MASK_REASONS = tuple([f"boolean mask on axis {k}"
                                  for k in range(MAX_NDIM + 1)])


# NumPy's PyArray_Scalar (slot 60 of its C-API table, stable across NumPy 2.x)
# makes the scalar of a full integer index without a round trip through a
# 0-d array.  Falls back to ``scalar_at`` if the table cannot be read.
ctypedef PyObject* (*scalar_from_data_t)(void*, PyObject*, PyObject*)
cdef scalar_from_data_t numpy_scalar_from_data = NULL


cdef void load_numpy_scalar_api():
    global numpy_scalar_from_data
    cdef void** api
    if int(np.__version__.split(".")[0]) != 2:
        return  # the slot number is NumPy 2's ABI; another major may move it
    try:
        from numpy._core import _multiarray_umath
        capsule = _multiarray_umath._ARRAY_API
        api = <void**>PyCapsule_GetPointer(capsule, NULL)
        numpy_scalar_from_data = <scalar_from_data_t>api[60]
    except Exception:   # noqa: BLE001 - any failure keeps the slow path
        numpy_scalar_from_data = NULL


load_numpy_scalar_api()


cdef object element_scalar(ndarray a, const char* p):
    """The element at ``p`` as a NumPy scalar of ``a``'s dtype."""
    cdef PyObject* result
    cdef char kind
    if numpy_scalar_from_data == NULL:
        return scalar_at(a, p)
    kind = (<ac_numpy_descr*><PyObject*>a.dtype_).kind
    if kind == c'V' or kind == c'S' or kind == c'U':
        return scalar_at(a, p)   # flexible types: NumPy's own path
    result = numpy_scalar_from_data(<void*>p, <PyObject*>a.dtype_, NULL)
    if result == NULL:
        return scalar_at(a, p)   # (re-raises NumPy's error, if any)
    return steal_reference(result)


cdef inline object steal_reference(PyObject* obj):
    cdef object o = <object>obj
    Py_DECREF(o)
    return o


cdef str numpy_shape_text(int nd, const Py_ssize_t* shape):
    """A shape as NumPy's messages print it: ``(2,3)``, ``(2,)``, ``()``."""
    if nd == 1:
        return f"({shape[0]},)"
    return "(" + ",".join([str(shape[i]) for i in range(nd)]) + ")"


# A 1-d array and a 1-d boolean key of its length (array_core's or NumPy's,
# C-contiguous) up to this long skip the general plan (small_mask_getitem):
# x[mask] on 10 elements had cost NumPy's time, most of it classifying the
# key.  Longer ones keep the plan's parallel count and compress.
cdef Py_ssize_t SMALL_MASK_MAX = 4096


cdef object small_mask_getitem(ndarray self, object key):
    """``self[key]`` for a small 1-d array and a boolean key of its length
    (NumPy's "single boolean array"): the Trues counted, then the items
    compressed (the general path's kernel, on this thread), with the
    general path's copy record.  None, having done nothing, for any other
    key."""
    cdef Py_ssize_t layout_shape[MAX_NDIM]
    cdef Py_ssize_t layout_strides[MAX_NDIM]
    cdef Py_ssize_t key_shape[MAX_NDIM]
    cdef Py_ssize_t count, n, step, itemsize = self.itemsize_
    cdef const char* mask
    cdef int nd, key_nd
    cdef Buffer key_read = None
    cdef Buffer self_read = None
    cdef ndarray result
    # As in advanced_getitem: an array_core key is pinned before its
    # pointer is read (a NumPy key is kept alive by the caller).
    if type(key) is ndarray:
        key_read = begin_read((<ndarray>key).buffer)
    try:
        nd = snapshot_layout(self, layout_shape, layout_strides)
        n = layout_shape[0]
        if (nd != 1 or n > SMALL_MASK_MAX
                or probe_index_array(key, &mask, &key_nd, key_shape) != PROBE_BOOL
                or key_nd != 1 or key_shape[0] != n):
            return None
        count = count_mask_bytes(mask, n)
        step = itemsize if count else 0   # NumPy's empty result: stride 0
        result = allocate_copy(self, 1, &count, ORDER_C, self.dtype_, "getitem",
                               COPY_ADVANCED_INDEX, _MASK_REASONS[0], &step)
        # (As in advanced_getitem: no Python code runs from here to the kernel.)
        self_read = begin_read(self.buffer)
        compress_mask_items(data_of(result), data_of(self), layout_strides[0],
                            mask, n, count, itemsize)
    finally:
        if self_read is not None:
            end_read(self_read)
        if key_read is not None:
            end_read(key_read)
    return result


cdef object advanced_getitem(ndarray self, object key):
    """``self[key]`` for an advanced key: a new array laid out as NumPy's.

    NumPy fills a scratch array (index axes first, then the basic axes) and
    returns it, or a transposed view of it (base: the scratch array) when
    the index axes go after some basic axes.  One copy either way.
    """
    if self.nd == 1 and (type(key) is ndarray or type(key) is _numpy_ndarray):
        fast = small_mask_getitem(self, key)
        if fast is not None:
            return fast
    cdef AdvancedPlan plan
    cdef Py_ssize_t layout_shape[MAX_NDIM]
    cdef Py_ssize_t layout_strides[MAX_NDIM]
    cdef ndarray scratch, result
    cdef object keep
    cdef Py_ssize_t sshape[MAX_NDIM]
    cdef Py_ssize_t sstrides[MAX_NDIM]
    cdef Py_ssize_t rstrides[MAX_NDIM]
    cdef Py_ssize_t cstrides[MAX_NDIM]
    cdef Py_ssize_t nbytes
    cdef int layout_nd, nd, nf, no, k, status, gathered
    cdef char* dst
    cdef char* src
    cdef char* stage
    cdef Buffer key_read = None
    cdef Buffer self_read = None
    plan.offsets = NULL
    plan.list_buffer = NULL
    plan.block_counts = NULL
    try:
        # The plan may point into array keys: their memory stays valid
        # even if another thread moves them (lazy copies written).
        if type(key) is ndarray:
            key_read = begin_read((<ndarray>key).buffer)  # (no pin object)
        else:
            _key_pins = read_pins(key)  # (held until the return)
        layout_nd = snapshot_layout(self, layout_shape, layout_strides)
        keep = plan_advanced_index(key, layout_nd, layout_shape, layout_strides,
                                   &plan, False, True)
        if keep[0] is not None:
            raise keep[0]
        if keep[1] is not None:
            raise keep[1]
        if plan.bounds_unchecked and copy_hook is not None:
            # The hook (policy, audit) must not hear of a copy that an
            # IndexError stops: check before it, not in the gather.
            raise_unchecked_bounds(key, layout_nd, layout_shape, layout_strides,
                                   &plan)
        nd = scratch_layout(&plan, self.itemsize_, sshape, sstrides)
        scratch = allocate_copy(self, nd, sshape, ORDER_C, self.dtype_, "getitem",
                                COPY_ADVANCED_INDEX,
                                (_MASK_REASONS if plan.is_mask
                                 else _INDEX_REASONS)[min(plan.first_axis, MAX_NDIM)],
                                sstrides)
        no = plan.n_outer
        if no == 0:
            result = scratch
        else:
            nf = plan.fancy_nd
            for k in range(no):
                rstrides[k] = sstrides[nf + k]
            for k in range(nf):
                rstrides[no + k] = sstrides[k]
            for k in range(no + nf, nd):
                rstrides[k] = sstrides[k]
            result = make_view(scratch, data_of(scratch), nd, plan.result_shape,
                               rstrides)
        nbytes = shape_size(nd, sshape) * self.itemsize_
        # Self's memory stays valid for the whole read (pinned first, so
        # no Python code runs between reading the pointer and the kernel).
        self_read = begin_read(self.buffer)
        dst = data_of(result)
        src = data_of(self)
        if nbytes >= NOGIL_BYTES:
            with nogil:
                status = run_gather(&plan, dst, result.strides_, src, self.itemsize_)
        else:
            status = run_gather(&plan, dst, result.strides_, src, self.itemsize_)
        if status == 1:
            # Index axes not in C order (F-ordered index arrays): gather into
            # a C-ordered stage, then lay it out.
            fill_contiguous_strides(nd, plan.result_shape, self.itemsize_, False,
                                    cstrides)
            stage = <char*>malloc(nbytes if nbytes > 0 else 1)
            if stage == NULL:
                raise MemoryError()
            try:
                gathered = run_gather(&plan, stage, cstrides, src, self.itemsize_)
                if copy_strided(dst, result.strides_, stage, cstrides, nd,
                                plan.result_shape, self.itemsize_) != 0:
                    raise MemoryError("could not allocate the staging buffer of a copy")
                status = gathered
            finally:
                free(stage)
        if status == 2:
            # An index out of bounds (checked in the gather, or changed by
            # another thread since the plan's check): NumPy's IndexError;
            # the result stands if they are all in bounds again.
            raise_unchecked_bounds(key, layout_nd, layout_shape, layout_strides,
                                   &plan)
    finally:
        if self_read is not None:
            end_read(self_read)
        if key_read is not None:
            end_read(key_read)
        release_plan(&plan)
    return result


cdef int raise_unchecked_bounds(object key, int nd, const Py_ssize_t* shape,
                                const Py_ssize_t* strides,
                                const AdvancedPlan* plan) except -1:
    """Raise the IndexError for the first bad index of ``plan`` (planned from
    ``key`` on this layout), if one is out of bounds now."""
    error = unchecked_bounds_error(key, nd, shape, strides, plan)
    if error is not None:
        raise error
    return 0


cdef object read_pin(Buffer buf):
    """A read pin on ``buf``: its memory stays valid while the pin lives."""
    return _ReadPin(buf)


cdef object read_pins(object key):
    """Read pins on the memory of the array_core arrays in an index key,
    which the index kernels read in place (see probe_index_key)."""
    if type(key) is ndarray:
        return _ReadPin((<ndarray>key).buffer)
    if type(key) is tuple:
        return [_ReadPin((<ndarray>k).buffer) for k in key if type(k) is ndarray]
    return None


cdef int raise_broadcast_error(int vnd, const Py_ssize_t* vshape, int nd,
                               const Py_ssize_t* shape) except -1:
    raise ValueError(f"could not broadcast input array from shape "
                     f"{numpy_shape_text(vnd, vshape)} into shape "
                     f"{numpy_shape_text(nd, shape)}")


# ------------------------------------------------------------ module functions

cdef int probe_index_key(object item, const char** ptr, int* nd,
                         Py_ssize_t* shape) except -1:
    """_index's probe for array_core keys: an intp or bool C-contiguous array
    (ndim >= 1) is read in place, with no NumPy view made."""
    cdef ndarray a
    cdef ac_numpy_descr* d
    cdef int i, kind
    if type(item) is not ndarray:
        return PROBE_NONE
    a = <ndarray>item
    if a.nd == 0 or not (a.flags_ & FLAG_C_CONTIGUOUS):
        return PROBE_NONE
    d = <ac_numpy_descr*><PyObject*>a.dtype_
    if d.byteorder == c'>':
        return PROBE_NONE
    if d.kind == c'b' and a.itemsize_ == 1:
        kind = PROBE_BOOL
    elif d.kind == c'i' and a.itemsize_ == sizeof(Py_ssize_t):
        kind = PROBE_INTP
    else:
        return PROBE_NONE
    ptr[0] = data_of(a)
    nd[0] = a.nd
    for i in range(a.nd):
        shape[i] = a.dims[i]
    return kind


register_array_type(ndarray, PyCapsule_New(<void*>probe_index_key, NULL, NULL))


# ------------------------------------------------------------ the constructor
#
# As in NumPy, ``ndarray(...)`` is made by ``__new__`` and ``__init__`` is
# ``object``'s.  Cython gives a cdef class no ``__new__`` of its own, so the
# type's tp_new slot, which Python-level calls go through, is wrapped once at
# import: it lets Cython allocate, then runs ``construct_ndarray``.  The
# arrays this module makes for itself call Cython's tp_new function directly
# (``ndarray.__new__(ndarray)`` in ``new_metadata``) and so pay nothing.

cdef extern from *:
    """
    static newfunc array_core_plain_new = NULL;
    static PyObject *(*array_core_construct)(PyObject *, PyObject *,
                                             PyObject *) = NULL;

    static PyObject *array_core_checked_new(PyTypeObject *type, PyObject *args,
                                            PyObject *kwds) {
        PyObject *self, *done;
        self = array_core_plain_new(type, args, kwds);
        if (self == NULL) {
            return NULL;
        }
        done = array_core_construct(self, args, kwds != NULL ? kwds : Py_None);
        if (done == NULL) {
            Py_DECREF(self);
            return NULL;
        }
        Py_DECREF(done);
        return self;
    }

    static int array_core_install_new(PyObject *type_object, void *construct) {
        PyTypeObject *type = (PyTypeObject *)type_object;
        if (array_core_plain_new == NULL) {
            array_core_plain_new = type->tp_new;
        }
        array_core_construct =
            (PyObject *(*)(PyObject *, PyObject *, PyObject *))construct;
        type->tp_new = array_core_checked_new;
        /* Calls of the type must go through tp_new, not Cython's shortcut. */
        type->tp_vectorcall = NULL;
        PyType_Modified(type);
        return 0;
    }
    """
    int install_constructor "array_core_install_new"(
        object type_object, void* construct) except -1


cdef extern from *:
    """
    /* A bare instance of a subclass of ndarray (Cython's tp_new, not the
       constructor): the shell of a view of a memmap. */
    static PyObject *array_core_new_instance(PyObject *cls, PyObject *args) {
        return array_core_plain_new((PyTypeObject *)cls, args, NULL);
    }
    """
    object new_instance "array_core_new_instance"(object cls, object args)


cdef object _MISSING = object()
cdef str _STRIDES_DEPRECATION = (
    "Setting the strides on a NumPy array has been deprecated in NumPy 2.4.\n"
    "As an alternative, you can create a new view using "
    "np.lib.stride_tricks.as_strided.")


cdef int apply_setflags(ndarray a, object write, object align,
                        object uic) except -1:
    """NumPy's ``array_setflags``: ALIGNED, then WRITEBACKIFCOPY, then
    WRITEABLE; a refused WRITEBACKIFCOPY or WRITEABLE change restores the
    flags as they were (an error in a truth test does not, as in NumPy).

    NumPy also drops the base on ``uic=False``; array_core keeps it, since
    the memory may depend on it, but the write request that follows in the
    same call is judged as NumPy judges it, without a base: allowed for an
    owner or an array still writeable, else refused.
    """
    cdef int flagback = a.flags_
    cdef bint without_base = a.base_ is None
    if align is not None:
        if not align:
            a.flags_ &= ~FLAG_ALIGNED
        elif is_aligned(a):
            a.flags_ |= FLAG_ALIGNED
        else:
            raise ValueError("cannot set aligned flag of mis-aligned array to True")
    if uic is not None:
        if uic:
            a.flags_ = flagback
            raise ValueError("cannot set WRITEBACKIFCOPY flag to True")
        without_base = True
    if write is not None:
        a.flags_ &= ~FLAG_WARN_ON_WRITE
        if not write:
            a.flags_ &= ~FLAG_WRITEABLE
        elif without_base or a.flags_ & FLAG_OWNDATA:
            # (Memory that is read-only never had a WRITEABLE array.)
            if not a.flags_ & (FLAG_OWNDATA | FLAG_WRITEABLE):
                raise ValueError("Cannot make a non-writeable array writeable "
                                 "for arrays with a base that do not own their "
                                 "data.")
            a.flags_ |= FLAG_WRITEABLE
        elif a.base_allows_writes():
            a.flags_ |= FLAG_WRITEABLE
        else:
            a.flags_ = flagback
            raise ValueError("cannot set WRITEABLE flag to True of this array")
    return 0


cdef bint overflows_extent(int nd, const Py_ssize_t* shape,
                           const Py_ssize_t* strides, Py_ssize_t itemsize) noexcept:
    """True when the byte extent of a layout overflows Py_ssize_t."""
    cdef int i
    cdef Py_ssize_t reach, total = itemsize
    if shape_size(nd, shape) == 0:
        return False   # it touches nothing
    for i in range(nd):
        if shape[i] <= 1:
            continue
        reach = strides[i] if strides[i] >= 0 else -strides[i]
        if (strides[i] == PY_SSIZE_T_MIN_VALUE
                or reach > PY_SSIZE_T_MAX // (shape[i] - 1)):
            return True
        reach *= shape[i] - 1
        if total > PY_SSIZE_T_MAX - reach:
            return True
        total += reach
    return False
cdef tuple _NEW_PARAMETERS = ("shape", "dtype", "buffer", "offset", "strides",
                              "order")
cdef tuple _SETFLAGS_PARAMETERS = ("write", "align", "uic")


cdef list bind_arguments(str name, tuple parameters, int required, tuple args,
                         object kwargs):
    """The arguments of a call, in parameter order (``_MISSING`` if absent).

    CPython's ``PyArg_ParseTupleAndKeywords`` checks, with its messages, for
    too many arguments and a missing required one; ``check_keywords`` makes
    its remaining checks once the values are converted, as it does.
    """
    cdef Py_ssize_t nargs = len(args)
    cdef Py_ssize_t nkw = len(kwargs) if kwargs else 0
    cdef Py_ssize_t i, limit = len(parameters)
    cdef list values = []
    if nargs + nkw > limit:
        raise TypeError(f"{name}() takes at most {limit} "
                        f"{'keyword ' if nargs == 0 else ''}"
                        f"argument{'' if limit == 1 else 's'} ({nargs + nkw} given)")
    for i in range(limit):
        if i < nargs:
            values.append(args[i])
        elif nkw and parameters[i] in kwargs:
            values.append(kwargs[parameters[i]])
        elif i < required:
            raise TypeError(f"{name}() missing required argument "
                            f"'{parameters[i]}' (pos {i + 1})")
        else:
            values.append(_MISSING)
    return values


cdef int check_keywords(str name, tuple parameters, Py_ssize_t nargs,
                        object kwargs) except -1:
    """The keyword checks CPython's argument parser makes last."""
    cdef Py_ssize_t i
    if not kwargs:
        return 0
    for i in range(min(nargs, len(parameters))):
        if parameters[i] in kwargs:
            raise TypeError(f"argument for {name}() given by name "
                            f"('{parameters[i]}') and position ({i + 1})")
    for key in kwargs:
        if not isinstance(key, str):
            raise TypeError("keywords must be strings")
        if key not in parameters:
            raise TypeError(f"'{key}' is an invalid keyword argument for {name}()")
    return 0


cdef tuple strided_bounds(Py_ssize_t itemsize, int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides):
    """NumPy's ``offset_bounds_from_strides`` in exact integers: the byte
    range [low, high) the layout touches (empty for an empty array)."""
    cdef int i
    low = 0
    high = 0
    for i in range(nd):
        if shape[i] == 0:
            return (0, 0)
        reach = <object>strides[i] * (shape[i] - 1)
        if reach > 0:
            high += reach
        else:
            low += reach
    return (low, high + itemsize)


cdef bint strides_fit(Py_ssize_t itemsize, int nd, const Py_ssize_t* shape,
                      const Py_ssize_t* strides, object nbytes,
                      object offset) except -1:
    """NumPy's ``PyArray_CheckStrides``: the layout at ``offset`` stays in
    ``nbytes`` (0 meaning the size the shape needs, as NumPy reads it)."""
    cdef int i
    if nbytes == 0:
        nbytes = itemsize
        for i in range(nd):
            nbytes *= shape[i]
    low, high = strided_bounds(itemsize, nd, shape, strides)
    return not (high > nbytes - offset or low < -offset)


cdef object numpy_buffer_base(object exporter):
    """The base NumPy gives an array made on ``exporter``'s buffer: the object
    under a memoryview, with NumPy's collapse of views of NumPy arrays."""
    if type(exporter) is memoryview and exporter.obj is not None:
        exporter = exporter.obj
    while type(exporter) is np.ndarray and not exporter.flags.owndata:
        if type(exporter.base) is not np.ndarray:
            break
        exporter = exporter.base
    return exporter


cdef object collapsed_base(ndarray source, object result_type):
    """The base of a new array of ``result_type`` on ``source``'s memory:
    NumPy's ``PyArray_SetBaseObject`` collapse, which stops at an owner, an
    array without a base, or a base of another type."""
    while not (source.flags_ & FLAG_OWNDATA) and source.base_ is not None:
        if type(source.base_) is not result_type:
            break
        source = <ndarray>source.base_
    return source


cdef int init_array(ndarray self, Buffer buf, Py_ssize_t offset, int nd,
                    const Py_ssize_t* shape, const Py_ssize_t* strides,
                    object dtype, object base, int own_flags) except -1:
    """Give a fresh ndarray (from Cython's tp_new) its buffer and metadata."""
    cdef int i
    reserve_dims(self, nd)
    for i in range(nd):
        self.dims[i] = shape[i]
        self.strides_[i] = strides[i]
    self.buffer = buf
    self.offset = offset
    self.dtype_ = dtype
    self.itemsize_ = dtype.itemsize
    self.alignment = dtype.alignment
    self.base_ = base
    self.flags_ = own_flags
    if buf.readonly:
        self.flags_ &= ~FLAG_WRITEABLE
    update_layout_flags(self)
    return 0


cdef object construct_ndarray(object obj, object args, object kwargs):
    """``ndarray(shape, dtype=float, buffer=None, offset=0, strides=None,
    order=None)``: NumPy's ``array_new``, run on a fresh ndarray.

    The arguments are converted in order with NumPy's messages.  Without a
    buffer the array owns new, uninitialised memory (C order unless
    ``order='F'``; ``strides`` if given must fit that memory).  With one, it
    views ``buffer``'s memory from byte ``offset``, writeable when the buffer
    is, with NumPy's base (the buffer object, or for a memoryview the object
    it views, collapsed to the owner of NumPy arrays).  Beyond NumPy, a
    layout that would reach outside the buffer (a negative offset, or strides
    on an empty buffer) is refused, so an array never reads foreign memory.
    """
    cdef ndarray self = <ndarray>obj
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd, strides_nd = -1, c_order = ORDER_C
    cdef Py_ssize_t itemsize, offset = 0, size
    cdef Buffer buf = None
    cdef ndarray source = None
    cdef bint has_buffer = False
    cdef object exporter = None
    if kwargs is None:
        kwargs = {}
    values = bind_arguments("ndarray", _NEW_PARAMETERS, 1, args, kwargs)
    nd = convert_shape(values[0], dims)
    dtype = convert_dtype(None if values[1] is _MISSING else values[1])
    if dtype is None:
        dtype = _float64
    exporter = values[2]
    if exporter is not _MISSING and exporter is not None:
        has_buffer = True
        if isinstance(exporter, ndarray):
            # An array_core array is viewed directly (its lazy copies and
            # export counts stay exact), with its buffer export's checks.
            source = <ndarray>exporter
            if not source.flags_ & (FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS):
                raise ValueError("ndarray is not contiguous")
        else:
            buf = borrow_buffer(exporter)
    if values[3] is not _MISSING:
        value = operator.index(values[3])
        if not -PY_SSIZE_T_MAX - 1 <= value <= PY_SSIZE_T_MAX:
            raise OverflowError("int too big to convert")
        offset = value
    if values[4] is not _MISSING and values[4] is not None:
        strides_nd = convert_shape(values[4], strides)
    if values[5] is not _MISSING:
        c_order = parse_order(values[5], "C")
    check_keywords("ndarray", _NEW_PARAMETERS, len(args), kwargs)
    refuse_object_dtype(dtype)   # once NumPy's own checks have passed
    if dtype.subdtype is not None and not has_buffer and strides_nd < 0:
        dtype = expand_subarray(dtype, &nd, dims, True)
    buflen = 0
    if has_buffer:
        buflen = (shape_size(source.nd, source.dims) * source.itemsize_
                  if source is not None else buf.nbytes)
    itemsize = dtype.itemsize
    if strides_nd >= 0:
        if strides_nd != nd:
            raise ValueError("strides, if given, must be the same length as shape")
        if not strides_fit(itemsize, nd, dims, strides, buflen,
                           offset if has_buffer else 0):
            raise ValueError("strides is incompatible with shape of requested "
                             "array and size of buffer")
    if not has_buffer:
        check_new_shape(nd, dims, creation_itemsize(dtype))
        if strides_nd < 0 or shape_size(nd, dims) == 0:
            # NumPy gives fresh empty memory all-zero strides, even if asked.
            fill_allocation_strides(nd, dims, itemsize, c_order == ORDER_F,
                                    strides)
        buf = allocate_array_buffer(nd, dims, dtype, shape_size(nd, dims) * itemsize)
        init_array(self, buf, 0, nd, dims, strides, dtype, None,
                   FLAG_OWNDATA | FLAG_WRITEABLE)
        return None
    if nd == 1 and dims[0] == -1:
        if itemsize == 0:
            raise ValueError("cannot infer the length of an itemsize-0 dtype")
        # C division, as NumPy's: rounded towards zero.
        remaining = buflen - offset
        dims[0] = abs(remaining) // itemsize * (1 if remaining >= 0 else -1)
    elif strides_nd <= 0:
        # (NumPy holds no strides array for an empty tuple: checked too.)
        needed = offset
        extent = itemsize
        for i in range(nd):
            extent *= dims[i]
        if buflen < needed + extent:
            raise TypeError("buffer is too small for requested array")
    if dtype.subdtype is not None and strides_nd < 0:
        # NumPy's _update_descr_and_dimensions: the subarray's axes follow.
        dtype = expand_subarray(dtype, &nd, dims, True)
        itemsize = dtype.itemsize
    check_new_shape(nd, dims, itemsize)
    if strides_nd < 0:
        fill_contiguous_strides(nd, dims, itemsize, c_order == ORDER_F, strides)
    # Where NumPy would read outside the buffer, refuse (an empty array
    # reads nothing, wherever it points).
    size = shape_size(nd, dims)
    if size != 0:
        low, high = strided_bounds(itemsize, nd, dims, strides)
        if offset < 0:
            raise ValueError(f"offset must be non-negative and no greater than "
                             f"buffer length ({buflen})")
        if offset + low < 0 or offset + high > buflen:
            raise ValueError("strides is incompatible with shape of requested "
                             "array and size of buffer")
    if source is not None:
        # Wraps: an empty array's offset is not checked (it reads nothing).
        init_array(self, source.buffer, wrap_add(source.offset, offset), nd, dims,
                   strides, dtype, collapsed_base(source, type(self)),
                   source.flags_ & FLAG_WRITEABLE)
    else:
        init_array(self, buf, offset, nd, dims, strides, dtype,
                   numpy_buffer_base(exporter), FLAG_WRITEABLE)
    return None


install_constructor(ndarray, <void*>construct_ndarray)


cdef ndarray new_empty(object shape, object dtype, object order):
    """A new uninitialised owner, C or F order: ``empty``'s core.

    The dtype as NumPy's ``PyArray_Empty`` resolves it: an unsized string
    ('S', 'U') is one character long, a subarray dtype adds its axes (one
    of no elements is a 'V0' item).
    """
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    # NumPy converts the shape, then the dtype, then the order.
    cdef int nd = convert_shape(shape, dims)
    cdef int c_order
    cdef Buffer buf
    dtype = resolve_dtype(dtype)
    if needs_creation_dtype(dtype):
        dtype = expand_subarray(dtype, &nd, dims, False)
    c_order = parse_order(order, "C")
    if c_order not in (ORDER_C, ORDER_F):
        raise ValueError("only 'C' or 'F' order is permitted")
    check_new_shape(nd, dims, creation_itemsize(dtype))
    fill_allocation_strides(nd, dims, dtype.itemsize, c_order == ORDER_F, strides)
    buf = allocate_array_buffer(nd, dims, dtype, shape_size(nd, dims) * dtype.itemsize)
    return new_array(buf, buf.ptr, nd, dims, strides, dtype, None,
                     FLAG_OWNDATA | FLAG_WRITEABLE)


cdef ndarray wrap_foreign(object obj, object dtype, object order, object copy,
                          int ndmax):
    """An array_core array for a non-array_core object, via NumPy's rules.

    Memory NumPy had to make is owned by the result; memory NumPy borrowed
    from an exporter is viewed, with the base NumPy gave it (a memoryview for
    buffers, the exporter for array interfaces).
    """
    if isinstance(obj, np.ndarray):
        return from_numpy(obj, obj, False)
    obj = numpy_nested(obj)
    if ndmax != MAX_NDIM:
        n = np.array(obj, dtype=dtype, order=order, copy=copy, ndmax=ndmax)
    else:
        n = np.array(obj, dtype=dtype, order=order, copy=copy)
    resolve_dtype(n.dtype)
    if n.flags.owndata:
        result = from_numpy(n, None, True)
        if n.base is not None:
            # An __array_interface__ with a NULL data pointer (size 0): NumPy
            # allocates, and the array both owns its data and has the
            # exporter as base.
            (<ndarray>result).base_ = n.base
        return result
    return from_numpy(n, n.base, False)


cdef object prepend_axes(ndarray a, int ndmin, bint fortran):
    """A view of ``a`` with length-1 axes in front, up to ``ndmin`` axes.

    NumPy's ``_prepend_ones``: the new axes get the item size as stride
    when order 'F' was asked for, ``a`` is 0-d or F-only, and otherwise
    the extent of ``a``'s first axis (its length times its stride).
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int extra = ndmin - a.nd, i
    cdef Py_ssize_t stride
    if extra <= 0:
        return a
    if fortran or a.nd == 0 or is_fortran_only(a):
        stride = a.itemsize_
    else:
        stride = a.dims[0] * a.strides_[0]
    for i in range(extra):
        shape[i] = 1
        strides[i] = stride
    for i in range(a.nd):
        shape[extra + i] = a.dims[i]
        strides[extra + i] = a.strides_[i]
    return make_view(a, data_of(a), ndmin, shape, strides)


cdef object numpy_base_for_views(object result, ndarray a):
    """A view made here of a NumPy input, with the base NumPy gives it.

    ``a`` is the zero-copy array_core array just made for a NumPy input (its
    base that NumPy array); a view of it, which the caller never saw, gets,
    as NumPy's view of the input would, the input (collapsed to its owner,
    as NumPy's views are) as base, not the intermediate array.
    """
    cdef ndarray r
    if result is a or not isinstance(a.base_, np.ndarray) or a.flags_ & FLAG_OWNDATA:
        return result
    r = <ndarray>result
    if r.base_ is not a:
        return result
    base = a.base_
    while (type(base) is np.ndarray and not base.flags.owndata
           and type(base.base) is np.ndarray):
        base = base.base
    r.base_ = base
    return result


cdef object convert_array(object obj, object dtype, int c_order, object order,
                          int copy_mode, object copy, int ndmin, int ndmax,
                          str operation):
    """NumPy's ``_array_fromobject_generic``: the input itself, a view, or a copy.

    The arguments come parsed (``dtype`` converted, not yet refused), in
    NumPy's order, by the callers.  An array whose layout meets ``order``
    ('A' and 'K' ask nothing) is returned as is (or viewed, for an
    equivalent dtype) unless a copy is forced.  A copy with an equivalent
    dtype is laid out in ``order`` (as ``copy(order)``); a casting copy C for
    'C', F for 'F' or for an F-only input, and in the input's stride order
    ('K') otherwise.
    """
    cdef ndarray a
    cdef int copy_order
    cdef bint wrapped_here = False
    if not isinstance(obj, ndarray):
        if not isinstance(obj, np.ndarray):
            # ndmin is applied here, as a view of the converted array, so
            # that the base is NumPy's (the intermediate array).
            return prepend_axes(wrap_foreign(obj, dtype, order, copy, ndmax),
                                ndmin, c_order == ORDER_F)
        obj = from_numpy(obj, obj, False)
        wrapped_here = True
    a = <ndarray>obj
    if dtype is not None:
        dtype = adapt_dtype(a.dtype_, dtype)
    striding_ok = not (c_order == ORDER_C or c_order == ORDER_F) or order_satisfied(
        a, c_order)
    if copy_mode != COPY_ALWAYS and striding_ok:
        if dtype is None or dtype is a.dtype_:
            result = prepend_axes(a, ndmin, c_order == ORDER_F)
            return numpy_base_for_views(result, a) if wrapped_here else result
        if dtype == a.dtype_:
            result = prepend_axes(a.view(dtype), ndmin, c_order == ORDER_F)
            return numpy_base_for_views(result, a) if wrapped_here else result
    if dtype is not None and dtype != a.dtype_ and a.nd > ndmax:
        # Off NumPy's fast path (an equivalent dtype) ndmax applies to arrays.
        raise ValueError("object too deep for desired array")
    if copy_mode == COPY_NEVER:
        # NumPy words the refusal differently on its equivalent-dtype path.
        if dtype is not None and dtype == a.dtype_:
            raise ValueError("Unable to avoid copy while creating a new array.")
        raise ValueError(_ASARRAY_COPY_MESSAGE)
    refuse_object_dtype(dtype)
    if dtype is None or dtype == a.dtype_:
        # NumPy's fast path: PyArray_NewCopy(op, order) ('A' resolved there).
        copy_order = c_order
    else:
        copy_order = cast_copy_order(a, c_order)
    if dtype is not None and dtype.subdtype is not None:
        a = cast_to_subarray(
            a, dtype, c_order, operation,
            COPY_EXPLICIT if copy_mode == COPY_ALWAYS else COPY_IMPLICIT,
            "copy=True always copies" if copy_mode == COPY_ALWAYS
            else "the dtype differs")
    elif copy_mode == COPY_ALWAYS:
        a = copy_array(a, copy_order, dtype, operation, COPY_EXPLICIT,
                       "copy=True always copies")
    else:
        reason = ("the layout does not match the order asked for"
                  if not striding_ok else "the dtype differs")
        a = copy_array(a, copy_order, dtype, operation, COPY_IMPLICIT,
                       reason if copy_hook is None else (reason, dtype, c_order))
    return prepend_axes(a, ndmin, c_order == ORDER_F)


def _from_pickle(numpy_array):
    """Unpickle: adopt the NumPy array pickle just made (an owner, no base)."""
    return from_numpy(numpy_array, None, True)


cdef ndarray as_array(object a):
    """``a`` as an array_core array: itself, or ``asarray(a)``."""
    if isinstance(a, ndarray):
        return <ndarray>a
    return convert_array(a, None, ORDER_K, None, COPY_IF_NEEDED, None, 0, MAX_NDIM,
                         "asarray")


# Set while some ``array_core.lazy_copies()`` scope is open anywhere in the
# process: called to ask whether the caller's context is inside one.
cdef object lazy_scope_hook = None


def _set_lazy_scope_hook(hook):
    """Install (or, with None, remove) the callable asked, before an eager
    copy, whether explicit copies are lazy in the caller's context."""
    global lazy_scope_hook
    lazy_scope_hook = hook


cdef inline bint lazy_by_default(ndarray src) except -1:
    """Whether ``src.copy()`` is lazy without being asked: its memory is
    array_core's own and read-only (a file mapped in mode 'r': nothing in
    the process can write it, so a lazy copy is indistinguishable from an
    eager one but for time and memory), or a ``lazy_copies()`` scope is open
    in the caller's context."""
    cdef Buffer buf = src.buffer
    if buf.private and buf.readonly:
        return True
    return lazy_scope_hook is not None and bool(lazy_scope_hook())


cdef object copy_of(ndarray src, int order, bint lazy):
    """The copy() of both the method and the function."""
    if lazy or lazy_by_default(src):
        result = lazy_copy(src, order)
        if result is not None:
            return result
    return copy_array(src, order, None, "copy", COPY_EXPLICIT,
                      "copy() always copies")
