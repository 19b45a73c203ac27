"""The ndarray class and the primitives the function modules build on.

Modules above ``_array`` (the NumPy-function families) cimport these: new
arrays and views (``new_array``, ``make_view``), the copy choke point
(``allocate_copy`` then ``copy_elements``, or ``copy_array``), the lazy-copy
write protocol (``prepare_write``, ``begin_write``/``end_write``) and the
NumPy interop (``as_numpy`` for reads, ``as_numpy_for_write`` for writes,
``from_numpy_result`` for results).
"""
from cpython.ref cimport PyObject
from libc.stdint cimport uintptr_t
from libc.string cimport memcpy

from array_core._buffer cimport Buffer
from array_core._numpy_abi cimport ac_numpy_descr
from array_core._typedefs cimport (
    FLAG_C_CONTIGUOUS,
    FLAG_F_CONTIGUOUS,
    FLAG_OWNDATA,
    ORDER_C,
    ORDER_F,
    ORDER_K,
)


cdef class ndarray:
    cdef Buffer buffer          # the memory this array views
    cdef Py_ssize_t offset      # first element, in bytes from buffer.ptr
    cdef int nd
    cdef Py_ssize_t* dims       # nd lengths, then nd byte strides (one block)
    cdef Py_ssize_t* strides_
    cdef Py_ssize_t small_dims[8]  # storage for dims/strides_ when nd <= 4
    cdef object dtype_          # a numpy.dtype
    cdef Py_ssize_t itemsize_
    cdef Py_ssize_t alignment   # the dtype's, for the ALIGNED flag
    cdef object base_           # NumPy's base rule; None for an owner
    cdef int flags_
    cdef object shape_cache     # tuples built on first use
    cdef object strides_cache
    cdef object __weakref__

    cdef int set_writeable(self, bint value) except -1
    cdef bint base_allows_writes(self) except -1


# Copy categories, as the copy policy and audit see them (COPY_CATEGORIES).
cdef enum:
    COPY_EXPLICIT = 0           # the user asked for a copy
    COPY_IMPLICIT = 1           # a view was possible in general, not here
    COPY_ADVANCED_INDEX = 2     # fancy indexing always copies
    COPY_LAZY_MATERIALISE = 3   # a lazy copy being written to

# copy= modes, as NumPy's PyArray_CopyConverter reads them (parse_copy).
cdef enum:
    COPY_NEVER = 0
    COPY_ALWAYS = 1
    COPY_IF_NEEDED = 2

# Copies and scatters at least this large release the GIL.
cdef enum:
    NOGIL_BYTES = 1 << 16


# ------------------------------------------------------------ arguments
cdef object resolve_dtype(object dtype)
cdef str type_name(object obj)
cdef int parse_order(object order, str default) except -1
cdef str parse_casting(object casting)
cdef int parse_copy(object copy) except -1
cdef object convert_dtype(object dtype)
cdef int refuse_object_dtype(object dtype) except -1
cdef int check_device(object device) except -1
cdef int check_like(object like) except -1
cdef int python_int_as_int(object value) except? -1
cdef Py_ssize_t normalize_axis(Py_ssize_t axis, int nd, object prefix) except -1
cdef int axis_as_int(object value, str message) except? -1
cdef int convert_multi_axis(object axis, int nd, bint* flags) except -1
cdef tuple shape_tuple(int nd, const Py_ssize_t* values)
cdef int check_new_shape(int nd, const Py_ssize_t* shape,
                         Py_ssize_t itemsize) except -1
cdef str numpy_shape_text(int nd, const Py_ssize_t* shape)
cdef int raise_broadcast_error(int vnd, const Py_ssize_t* vshape, int nd,
                               const Py_ssize_t* shape) except -1

# ------------------------------------------------------------ arrays and views
cdef ndarray new_array(Buffer buf, char* data, int nd, const Py_ssize_t* shape,
                       const Py_ssize_t* strides, object dtype, object base,
                       int own_flags)
cdef ndarray make_view(ndarray src, char* data, int nd, const Py_ssize_t* shape,
                       const Py_ssize_t* strides)
cdef ndarray make_view_with_flags(ndarray src, char* data, int nd,
                                  const Py_ssize_t* shape,
                                  const Py_ssize_t* strides, int layout_flags)
cdef ndarray from_numpy(object arr, object base, bint owned)
cdef int reserve_dims(ndarray a, int nd) except -1
cdef ndarray new_empty(object shape, object dtype, object order)

# ------------------------------------------------------------ conversion
cdef object numpy_nested(object obj)
cdef object convert_array(object obj, object dtype, int c_order, object order,
                          int copy_mode, object copy, int ndmin, int ndmax,
                          str operation)
cdef ndarray as_array(object a)

# ------------------------------------------------------------ structured dtypes
cdef bint is_field_key(object key) except -1
cdef ndarray field_view(ndarray a, object key)

# ------------------------------------------------------------ the copy choke point
cdef void sorted_stride_perm(int nd, const Py_ssize_t* strides,
                             int* perm) noexcept
cdef Buffer allocate_array_buffer(int nd, const Py_ssize_t* shape, object dtype,
                                  Py_ssize_t nbytes)
cdef ndarray allocate_copy(ndarray src, int nd, const Py_ssize_t* shape,
                           int order, object dtype, str operation,
                           int category, object reason,
                           const Py_ssize_t* given_strides=*)
cdef bint copies_heard() noexcept
cdef int copy_elements(ndarray dst, ndarray src) except -1
cdef ndarray copy_array(ndarray src, int order, object dtype, str operation,
                        int category, object reason)
cdef ndarray flat_copy(ndarray src, int order, str operation, int category,
                       object reason)

# ------------------------------------------------------------ lazy copies
cdef Buffer begin_write(ndarray a)
cdef int end_lazy_sharing(Buffer buf) except -1
cdef object read_pin(Buffer buf)
cdef object read_pins(object key)
cdef int pin_for_export(Buffer buf) except -1

# ------------------------------------------------------------ NumPy interop
cdef object as_numpy(ndarray a)
cdef object as_numpy_for_write(ndarray a)
cdef object scalar_at(ndarray a, const char* p)
cdef object to_numpy_arg(object x)
cdef object from_numpy_result(object x)
cdef ndarray dtype_view(ndarray src, char* data, int nd, const Py_ssize_t* shape,
                        const Py_ssize_t* strides, object dtype)

# ------------------------------------------------------------ family hooks
# ``ndarray.__setitem__`` runs the function _setitem installs here at import.
ctypedef int (*assign_item_function)(ndarray a, object key,
                                     object value) except -1
cdef int install_assign_item(assign_item_function function) except -1
# ``ndarray.__array_function__`` runs the function _dispatch installs here.
ctypedef object (*array_function_function)(object func, object types,
                                           object args, object kwargs)
cdef int install_array_function(array_function_function function) except -1


# The binary operators, in the order of _operators' tables.
cdef enum:
    OP_ADD = 0
    OP_SUB
    OP_MUL
    OP_TRUEDIV
    OP_FLOORDIV
    OP_MOD
    OP_DIVMOD
    OP_POW
    OP_MATMUL
    OP_AND
    OP_OR
    OP_XOR
    OP_LSHIFT
    OP_RSHIFT

# The operators and ``ndarray.__array_ufunc__`` run what _operators installs.
ctypedef object (*binary_operator_function)(ndarray self, object other, int op,
                                            bint reflected)
ctypedef object (*inplace_operator_function)(ndarray self, object other, int op)
ctypedef object (*array_ufunc_function)(object ufunc, str method, tuple inputs,
                                        dict kwargs)
cdef int install_operators(binary_operator_function binary,
                           inplace_operator_function inplace,
                           array_ufunc_function array_ufunc) except -1


# ------------------------------------------------------------ inline primitives

cdef inline char* data_of(ndarray a) noexcept nogil:
    """The first element of ``a``.

    Arrays keep an offset into their Buffer, not a pointer: a lazy copy's
    Buffer moves to new memory when it materialises, and every view of it
    must follow.  The sum is taken on addresses: an empty view's offset
    may lie anywhere (its other axes may have any strides).
    """
    return <char*>(<uintptr_t>a.buffer.ptr + <uintptr_t>a.offset)


cdef inline char* offset_pointer(char* data, Py_ssize_t offset) noexcept nogil:
    """``data + offset`` on addresses: a basic index's offset wraps as NumPy's
    does, and an empty result's may point anywhere (it is never read)."""
    return <char*>(<uintptr_t>data + <uintptr_t>offset)


cdef inline Py_ssize_t offset_in(char* data, Buffer buf) noexcept nogil:
    """``data - buf.ptr``, on addresses (see ``offset_pointer``)."""
    return <Py_ssize_t>(<uintptr_t>data - <uintptr_t>buf.ptr)


cdef inline int snapshot_layout(ndarray a, Py_ssize_t* shape,
                                Py_ssize_t* strides) noexcept:
    """Copy ``a``'s shape and strides (MAX_NDIM slots each); return its nd.

    Code that runs Python (``__index__``, NumPy conversions, the copy hook:
    any of them may let another thread in) or releases the GIL works on such
    a copy: a ``.shape``/``.strides`` assignment may rewrite the array's own
    metadata, or free its block, meanwhile.
    """
    cdef int nd = a.nd
    memcpy(shape, a.dims, nd * sizeof(Py_ssize_t))
    memcpy(strides, a.strides_, nd * sizeof(Py_ssize_t))
    return nd


cdef inline bint is_fortran_only(ndarray a) noexcept:
    # NumPy's PyArray_ISFORTRAN: F contiguous and not also C contiguous.
    return (a.flags_ & FLAG_F_CONTIGUOUS) and not (a.flags_ & FLAG_C_CONTIGUOUS)


cdef inline object base_for_view(ndarray src):
    """The base a view of ``src`` gets: NumPy's collapsing rule (a view has
    ``src``'s type, and the collapse stops at a base of another type)."""
    if (src.flags_ & FLAG_OWNDATA or src.base_ is None
            or type(src.base_) is not type(src)):
        return src
    return src.base_


cdef inline int cast_copy_order(ndarray a, int order) noexcept:
    """The layout of NumPy's copy in ``PyArray_FromArray`` (a conversion to
    another dtype) for the order asked: C when asked; F when asked, or for an
    ``a`` that is F-contiguous only; else K."""
    if order == ORDER_C:
        return ORDER_C
    if order == ORDER_F or is_fortran_only(a):
        return ORDER_F
    return ORDER_K


cdef inline bint is_structured(object dtype) except -1:
    """True for a dtype with fields (a numpy.dtype; only void ones have any)."""
    if (<ac_numpy_descr*><PyObject*>dtype).kind != c'V':
        return False
    return dtype.names is not None


cdef inline int prepare_write(ndarray a) except -1:
    """End any lazy sharing of ``a``'s memory before it is written."""
    if a.buffer.lazy_linked:
        end_lazy_sharing(a.buffer)
    return 0


cdef inline void end_write(Buffer buf) noexcept:
    buf.writable_exports -= 1


cdef inline Buffer begin_read(Buffer buf):
    """Keep ``buf``'s current memory valid for a read until ``end_read``."""
    buf.readers += 1
    return buf


cdef inline void end_read(Buffer buf) noexcept:
    buf.readers -= 1
    if buf.readers == 0 and buf.retired is not None:
        buf.retired = None


# ------------------------------------------------------------ view functions
# (owner: views) what _view_functions, _stride_tricks and _flatiter build on.

cdef int c_int_argument(object value) except? -1
cdef ndarray reversed_axes_view(ndarray src)
cdef object reshape_array(ndarray self, object newshape_arg, int order, int copy)
cdef object numpy_base_for_views(object result, ndarray a)
cdef object copy_of(ndarray src, int order, bint lazy)
cdef int warn_before_write(ndarray a) except -1
