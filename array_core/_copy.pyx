# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""The strided copy kernel: copy any layout into any layout.

``copy_strided`` plans a copy once (drop length-1 axes, order the loops by
the destination strides, merge axes contiguous in both layouts) and then runs
one of: a single ``memcpy``, rows of ``memcpy``, or an n-d loop whose inner
loop is specialised by item size.  It is NumPy's ``PyArray_AssignArray`` /
``raw_array_assign_array`` with the same aliasing rule: when source and
destination overlap, the source is first staged into a temporary buffer.
"""
from libc.string cimport memcpy, memmove
from libc.stdlib cimport malloc, free
from libc.stdint cimport uintptr_t
from array_core._typedefs cimport MAX_NDIM
from array_core._layout cimport coalesce_axes, byte_extent, shape_size

import numpy as np


cdef inline void copy_run(char* dst, Py_ssize_t dst_stride,
                          const char* src, Py_ssize_t src_stride,
                          Py_ssize_t n, Py_ssize_t itemsize) noexcept nogil:
    """Copy ``n`` items along one axis; the item size is dispatched once."""
    cdef Py_ssize_t i
    if dst_stride == itemsize and src_stride == itemsize:
        memcpy(dst, src, n * itemsize)
    elif itemsize == 8:
        for i in range(n):
            (<long long*>dst)[0] = (<const long long*>src)[0]
            dst += dst_stride
            src += src_stride
    elif itemsize == 4:
        for i in range(n):
            (<int*>dst)[0] = (<const int*>src)[0]
            dst += dst_stride
            src += src_stride
    elif itemsize == 2:
        for i in range(n):
            (<short*>dst)[0] = (<const short*>src)[0]
            dst += dst_stride
            src += src_stride
    elif itemsize == 1:
        for i in range(n):
            dst[0] = src[0]
            dst += dst_stride
            src += src_stride
    elif itemsize == 16:
        for i in range(n):
            memcpy(dst, src, 16)
            dst += dst_stride
            src += src_stride
    else:
        for i in range(n):
            memcpy(dst, src, itemsize)
            dst += dst_stride
            src += src_stride


cdef void sort_axes_by_destination(int nd, Py_ssize_t* shape, Py_ssize_t* dst_strides,
                                   Py_ssize_t* src_strides) noexcept nogil:
    """Order axes so the destination's smallest |stride| is innermost.

    Insertion sort: nd is small.  Ties keep the source order.
    """
    cdef int i, j
    cdef Py_ssize_t s, a, b
    for i in range(1, nd):
        s = shape[i]
        a = dst_strides[i]
        b = src_strides[i]
        j = i - 1
        while j >= 0 and abs_(dst_strides[j]) < abs_(a):
            shape[j + 1] = shape[j]
            dst_strides[j + 1] = dst_strides[j]
            src_strides[j + 1] = src_strides[j]
            j -= 1
        shape[j + 1] = s
        dst_strides[j + 1] = a
        src_strides[j + 1] = b


cdef inline Py_ssize_t abs_(Py_ssize_t x) noexcept nogil:
    return -x if x < 0 else x


cdef void copy_loops(char* dst, const Py_ssize_t* dst_strides,
                     const char* src, const Py_ssize_t* src_strides,
                     int nd, const Py_ssize_t* shape,
                     Py_ssize_t itemsize) noexcept nogil:
    """The n-d loop (an odometer over the outer axes) of a planned copy."""
    cdef Py_ssize_t counter[MAX_NDIM]
    cdef int i, inner = nd - 1
    if nd == 0:
        memcpy(dst, src, itemsize)
        return
    for i in range(nd):
        counter[i] = 0
    while True:
        copy_run(dst, dst_strides[inner], src, src_strides[inner],
                 shape[inner], itemsize)
        i = inner - 1
        while i >= 0:
            counter[i] += 1
            dst += dst_strides[i]
            src += src_strides[i]
            if counter[i] < shape[i]:
                break
            dst -= dst_strides[i] * shape[i]
            src -= src_strides[i] * shape[i]
            counter[i] = 0
            i -= 1
        if i < 0:
            return


cdef int copy_strided(char* dst, const Py_ssize_t* dst_strides,
                      const char* src, const Py_ssize_t* src_strides,
                      int nd, const Py_ssize_t* shape,
                      Py_ssize_t itemsize) noexcept nogil:
    """Copy the (shape, src_strides) array at ``src`` into ``dst``.

    Pointers are the first element of each array; strides are in bytes and may
    be negative or zero in the source (zero in the destination only when the
    source is constant along that axis, as in a broadcast assignment).  Safe
    when the two overlap.  Returns 0, or -1 when the staging buffer could not
    be allocated (no exception is set: the caller raises MemoryError).
    """
    cdef Py_ssize_t sh[MAX_NDIM]
    cdef Py_ssize_t ds[MAX_NDIM]
    cdef Py_ssize_t ss[MAX_NDIM]
    cdef Py_ssize_t dlo, dhi, slo, shi, n, i
    cdef Py_ssize_t tmp_strides[MAX_NDIM]
    cdef char* staging
    cdef int k, m
    if shape_size(nd, shape) == 0:
        return 0
    byte_extent(nd, shape, dst_strides, itemsize, &dlo, &dhi)
    byte_extent(nd, shape, src_strides, itemsize, &slo, &shi)
    if (<uintptr_t>dst + dlo < <uintptr_t>src + shi
            and <uintptr_t>src + slo < <uintptr_t>dst + dhi):
        if dst == src:
            for k in range(nd):
                if dst_strides[k] != src_strides[k] and shape[k] > 1:
                    break
            else:
                return 0  # the same elements in the same places
        # Overlap: stage the source contiguously, then copy from the stage.
        n = shape_size(nd, shape)
        staging = <char*>malloc(n * itemsize)
        if staging == NULL:
            return -1
        m = 0
        for k in range(nd - 1, -1, -1):
            tmp_strides[k] = itemsize if k == nd - 1 else tmp_strides[k + 1] * shape[k + 1]
        copy_strided(staging, tmp_strides, src, src_strides, nd, shape, itemsize)
        copy_strided(dst, dst_strides, staging, tmp_strides, nd, shape, itemsize)
        free(staging)
        return 0
    for k in range(nd):
        sh[k] = shape[k]
        ds[k] = dst_strides[k]
        ss[k] = src_strides[k]
    sort_axes_by_destination(nd, sh, ds, ss)
    m = coalesce_axes(nd, sh, ds, ss)
    copy_loops(dst, ds, src, ss, m, sh, itemsize)
    return 0


def copy_into(dst, src):
    """Copy ``src`` into ``dst`` (NumPy arrays of one shape and item size).

    Test entry point: both arrays are used through their buffer pointers and
    byte strides; ``dst`` must be writeable.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef int nd, k, status
    cdef uintptr_t dptr, sptr
    cdef Py_ssize_t itemsize
    dst = np.asarray(dst)
    src = np.asarray(src)
    if dst.shape != src.shape:
        raise ValueError(f"shapes differ: {dst.shape} and {src.shape}")
    if dst.itemsize != src.itemsize:
        raise ValueError("item sizes differ")
    if not dst.flags.writeable:
        raise ValueError("assignment destination is read-only")
    nd = dst.ndim
    for k in range(nd):
        shape[k] = dst.shape[k]
        dst_strides[k] = dst.strides[k]
        src_strides[k] = src.strides[k]
    dptr = dst.__array_interface__["data"][0]
    sptr = src.__array_interface__["data"][0]
    itemsize = dst.itemsize
    with nogil:
        status = copy_strided(<char*>dptr, dst_strides, <const char*>sptr,
                              src_strides, nd, shape, itemsize)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
