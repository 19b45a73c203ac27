# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Typed cast loops: small casts between NumPy's plain C-conversion types.

``cast_strided`` casts any layout into any layout for the eleven native
types NumPy converts with a plain C cast (bool, the signed and unsigned
integers, float32, float64), one typed loop per pair (``_cast_kernels.h``),
the pair dispatched once per call.  It is NumPy's ``PyArray_AssignArray``
for those pairs, without its per-call setup (casting-implementation lookup,
descriptor resolution, iterator preparation), which dominates small casts.
A loop stops at the first value whose NumPy cast would raise a
floating-point flag or is undefined in C; the caller then has NumPy do the
cast, so warnings, ``np.errstate`` and results stay NumPy's.
"""
from cpython.object cimport PyObject_TypeCheck, PyTypeObject
from libc.stdint cimport uintptr_t
from array_core._typedefs cimport MAX_NDIM
from array_core._layout cimport coalesce_axes, shape_size
from array_core._numpy_abi cimport ac_numpy_descr
from array_core._odometer cimport odometer_next

import numpy as np

cdef object _dtype_type = np.dtype


cdef extern from "_cast_kernels.h" nogil:
    enum:
        AC_CAST_BOOL
        AC_CAST_INT8
        AC_CAST_INT16
        AC_CAST_INT32
        AC_CAST_INT64
        AC_CAST_UINT8
        AC_CAST_FLOAT32
        AC_CAST_FLOAT64
    ctypedef int (*ac_cast_loop)(char* dst, Py_ssize_t dst_stride,
                                 const char* src, Py_ssize_t src_stride,
                                 Py_ssize_t n) noexcept nogil
    ac_cast_loop array_core_cast_loop(int source_code, int target_code)

cdef extern from "numpy/ndarraytypes.h":
    bint PyArray_ISNBO(char byteorder) noexcept nogil
    enum:
        NPY_BOOL
        NPY_BYTE
        NPY_UBYTE
        NPY_SHORT
        NPY_USHORT
        NPY_INT
        NPY_UINT
        NPY_LONG
        NPY_ULONG
        NPY_LONGLONG
        NPY_ULONGLONG
        NPY_FLOAT
        NPY_DOUBLE


cdef int cast_code(object dtype) noexcept:
    """The type code of ``dtype`` in ``_cast_kernels.h``, or -1 when no typed
    loop casts it (byte-swapped, or a type past NumPy's float64: long
    double, complex, half, datetimes, strings, user types)."""
    cdef ac_numpy_descr* d = <ac_numpy_descr*><void*>dtype
    cdef int num
    if not PyObject_TypeCheck(dtype, <PyTypeObject*>_dtype_type):
        return -1
    num = d.type_num   # (at the same place in NumPy 1 and 2)
    if num > NPY_DOUBLE or not PyArray_ISNBO(d.byteorder):
        return -1
    if num == NPY_BOOL:
        return AC_CAST_BOOL
    if num == NPY_FLOAT:
        return AC_CAST_FLOAT32
    if num == NPY_DOUBLE:
        return AC_CAST_FLOAT64
    if num == NPY_BYTE or num == NPY_UBYTE:
        return integer_code(1, num == NPY_UBYTE)
    if num == NPY_SHORT or num == NPY_USHORT:
        return integer_code(sizeof(short), num == NPY_USHORT)
    if num == NPY_INT or num == NPY_UINT:
        return integer_code(sizeof(int), num == NPY_UINT)
    if num == NPY_LONG or num == NPY_ULONG:
        return integer_code(sizeof(long), num == NPY_ULONG)
    return integer_code(sizeof(long long), num == NPY_ULONGLONG)


cdef inline int integer_code(size_t size, bint unsigned) noexcept:
    """The code of the integer type of ``size`` bytes, signed or not."""
    cdef int code = (AC_CAST_INT8 if size == 1 else AC_CAST_INT16 if size == 2
                     else AC_CAST_INT32 if size == 4 else AC_CAST_INT64)
    return code + (AC_CAST_UINT8 - AC_CAST_INT8 if unsigned else 0)


cdef int cast_strided(char* dst, const Py_ssize_t* dst_strides,
                      const char* src, const Py_ssize_t* src_strides,
                      int nd, const Py_ssize_t* shape,
                      int source_code, int target_code) noexcept nogil:
    """Cast ``src`` (type ``source_code``) into ``dst`` (``target_code``),
    both of ``shape``, strides in bytes, no overlap: 0 when done, 1 when a
    value must be left to NumPy (``dst`` is then partly written)."""
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t dst_steps[MAX_NDIM]
    cdef Py_ssize_t src_steps[MAX_NDIM]
    cdef Py_ssize_t index[MAX_NDIM]
    cdef ac_cast_loop loop = array_core_cast_loop(source_code, target_code)
    cdef int i, n
    if shape_size(nd, shape) == 0:
        return 0
    # Loops in the destination's order (a 'K' or 'F' copy of an F-ordered
    # source reverses the axes), then neighbouring axes merged.
    n = nd
    if nd > 1 and abs_(dst_strides[0]) < abs_(dst_strides[nd - 1]):
        for i in range(nd):
            dims[i] = shape[nd - 1 - i]
            dst_steps[i] = dst_strides[nd - 1 - i]
            src_steps[i] = src_strides[nd - 1 - i]
    else:
        for i in range(nd):
            dims[i] = shape[i]
            dst_steps[i] = dst_strides[i]
            src_steps[i] = src_strides[i]
    n = coalesce_axes(n, dims, dst_steps, src_steps)
    if n == 0:
        return loop(dst, 0, src, 0, 1)
    for i in range(n - 1):
        index[i] = 0
    while True:
        if loop(dst, dst_steps[n - 1], src, src_steps[n - 1], dims[n - 1]):
            return 1
        if not odometer_next(n - 1, dims, index, dst_steps, &dst, src_steps,
                             <char**>&src):
            return 0


cdef inline Py_ssize_t abs_(Py_ssize_t x) noexcept nogil:
    return -x if x < 0 else x


def cast_into(dst, src):
    """Cast ``src`` into ``dst`` (NumPy arrays of one shape) with the typed
    loops: True when done, False when NumPy must do this cast (no loop for
    the pair, or a value left to NumPy).

    Test entry point: both arrays are used through their data pointers and
    byte strides; ``dst`` must be writeable and must not overlap ``src``.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef int nd, k, status, source_code, target_code
    cdef uintptr_t dptr, sptr
    dst = np.asarray(dst)
    src = np.asarray(src)
    if dst.shape != src.shape:
        raise ValueError(f"shapes differ: {dst.shape} and {src.shape}")
    if not dst.flags.writeable:
        raise ValueError("assignment destination is read-only")
    if np.may_share_memory(dst, src):
        raise ValueError("dst and src overlap")
    source_code = cast_code(src.dtype)
    target_code = cast_code(dst.dtype)
    if source_code < 0 or target_code < 0:
        return False
    nd = dst.ndim
    for k in range(nd):
        shape[k] = dst.shape[k]
        dst_strides[k] = dst.strides[k]
        src_strides[k] = src.strides[k]
    dptr = dst.__array_interface__["data"][0]
    sptr = src.__array_interface__["data"][0]
    with nogil:
        status = cast_strided(<char*>dptr, dst_strides, <const char*>sptr,
                              src_strides, nd, shape, source_code, target_code)
    return status == 0
