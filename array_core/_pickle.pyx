# cython: language_level=3
"""Pickling: protocol 5 hands an array's memory out as a PickleBuffer.

NumPy's ``array_reduce_ex_picklebuffer``: with protocol 5 a C- or
F-contiguous array is reduced to a ``pickle.PickleBuffer`` of its own
memory (of its C-contiguous transpose when it is F-contiguous only, as
NumPy's) plus dtype, shape and order, so a pickler with a ``buffer_callback``
sends the data out of band and ``pickle.loads(..., buffers=...)`` builds the
array on the buffers it is given, both without a copy.  A non-contiguous
view is reduced to the span of memory it covers, as bytes, with the offset
and strides that read it there (it arrives with its strides, a view of the
span), when the span is at most ``SPAN_FACTOR`` times its own bytes; a
view spread wider is copied C-contiguous first, through the copy choke
point (an explicit "pickle" copy in the audit), and sent the same way.
Other protocols take NumPy's regular reduce of the array's memory (its
bytes in band, and NumPy's load).

The export is array_core's buffer export: a writeable array is exported
writable (the loaded array aliases the buffer it is given, as NumPy's
does); a lazy copy is exported read-only, which neither materialises it
nor lets it move, and records that it was writeable.  Such a read-only
buffer loads as

- a lazy copy of the array pickled, when it is that array's own export
  (``pickle.loads`` in the same process, out of band): no copy at all;
- a lazy copy of the ``bytes`` it arrives as (in band, or a ``bytes``
  buffer given to ``loads``): nothing can write bytes, so the first write
  to the loaded array copies, once;
- otherwise one copy (the buffer's owner could write it unseen).

A memmap pickles like any array (its map's memory out of band) and loads
as an ordinary ``ndarray``, not as a map of the file.
"""
from cpython.buffer cimport Py_buffer

from array_core._array cimport (
    ndarray, as_numpy, from_numpy, check_new_shape, copy_of, copy_array,
    data_of, dtype_view, shape_tuple, COPY_EXPLICIT, COPY_IMPLICIT,
)
from array_core._layout cimport byte_extent, shape_size
from array_core._typedefs cimport (
    FLAG_C_CONTIGUOUS, FLAG_F_CONTIGUOUS, FLAG_WRITEABLE, MAX_NDIM, ORDER_A,
    ORDER_C,
)

import pickle
import weakref

import numpy as np

from array_core import _array as _array_module

_BYTES = np.dtype(np.uint8)
_OUTSIDE = ("corrupt pickle of an array_core view: its strides reach outside "
            "the memory it came with")

cdef extern from "Python.h":
    const Py_buffer* PyPickleBuffer_GetBuffer(object picklebuf) except NULL


# A non-contiguous view sends the span of memory it covers when that span
# is at most this many times its own bytes: sending twice the bytes costs
# less than a copy (a read and a write of them) plus sending them once.
cdef enum:
    SPAN_FACTOR = 2


cdef object export_contiguous(ndarray target):
    """A PickleBuffer of C-contiguous ``target``'s memory."""
    if (target.buffer.lazy_linked and target.buffer.lazy_source is not None
            and target.buffer.lazy_source.shared_memory):
        # A lazy copy of a file's map (or of read-only memory) would move on
        # a pinned export: read it through a reader's view, which never
        # moves it (a write meanwhile leaves this snapshot to the pickle).
        view = as_numpy(target)
        _reader_sources[id(view)] = target
        weakref.finalize(view, _reader_sources.pop, id(view), None)
        return pickle.PickleBuffer(view)
    return pickle.PickleBuffer(target)


cdef object reduce_strided(ndarray a):
    """Protocol 5 for a non-contiguous ``a``: its span of memory as bytes out
    of band, with the offset and strides that read ``a`` from it; or, when
    the span is much larger than ``a``, a C-contiguous copy of ``a`` (through
    the copy choke point, so audited) sent the same way."""
    cdef Py_ssize_t low, high, span, one = 1
    cdef Py_ssize_t nbytes = shape_size(a.nd, a.dims) * a.itemsize_
    cdef ndarray source = a
    cdef ndarray span_view
    byte_extent(a.nd, a.dims, a.strides_, a.itemsize_, &low, &high)
    span = high - low
    if span > SPAN_FACTOR * nbytes:
        source = copy_array(a, ORDER_C, None, "pickle", COPY_EXPLICIT,
                            "a non-contiguous view pickles as a C-contiguous "
                            "copy: the memory it spans is more than "
                            f"{SPAN_FACTOR} times its size")
        if not a.flags_ & FLAG_WRITEABLE:
            source.set_writeable(False)  # arrives read-only, as the view
        low, span = 0, nbytes
    # The span as bytes: any dtype travels, and the view's read-only flag
    # (and a lazy copy's read-only export) carries over.
    span_view = dtype_view(source, data_of(source) + low, 1, &span, &one,
                           _BYTES)
    return (_from_pickle_span,
            (export_contiguous(span_view), a.dtype_, a.shape, source.strides,
             -low, bool(a.flags_ & FLAG_WRITEABLE)))


def _reduce_ex(ndarray a, protocol):
    """``a.__reduce_ex__(protocol)``."""
    if protocol >= 5 and a.itemsize_ > 0:
        if not a.flags_ & (FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS):
            return reduce_strided(a)
        # An F-only array exports its transpose, C-contiguous, as NumPy's
        # does: a consumer's memoryview of the buffer is then C-contiguous
        # (distributed joins small frames with bytes.join, which needs it).
        target = a if a.flags_ & FLAG_C_CONTIGUOUS else a.T
        try:
            exported = export_contiguous(<ndarray>target)
        except (BufferError, ValueError):
            pass  # a dtype the buffer protocol cannot carry
        else:
            order = "C" if a.flags_ & FLAG_C_CONTIGUOUS else "F"
            return (_from_pickle_buffer,
                    (exported, a.dtype_, a.shape, order,
                     bool(a.flags_ & FLAG_WRITEABLE)))
    # NumPy's regular reduce of the same memory (its bytes in band: one
    # copy, as NumPy's), loaded as NumPy loads it.
    return (_from_numpy_reduce, (as_numpy(a).__reduce__(),))


def _from_numpy_reduce(reduced):
    """Unpickle NumPy's regular reduce: the array NumPy builds, adopted."""
    function, arguments, state = reduced
    arr = function(*arguments)
    arr.__setstate__(state)
    return from_numpy(arr, None, True)


# The arrays behind the read-only NumPy views a pickle exports (a lazy copy
# of a map): a load in this process makes a lazy copy of the array itself.
cdef dict _reader_sources = {}


cdef object lazy_copy_of_source(object received, object dtype, tuple shape,
                                str order):
    """A lazy copy of the array a PickleBuffer exports, if ``received`` is
    such a buffer, exported by an array_core array that still has the layout
    pickled at the same address; else None."""
    cdef const Py_buffer* view
    cdef ndarray source
    if type(received) is not pickle.PickleBuffer:
        return None
    view = PyPickleBuffer_GetBuffer(received)
    owner = <object>view.obj
    if type(owner) is np.ndarray:
        owner = _reader_sources.get(id(owner))
    if not isinstance(owner, ndarray):
        return None
    source = <ndarray>owner
    # An F-ordered array was exported as its C-contiguous transpose.
    if (data_of(source) != <char*>view.buf or source.dtype_ != dtype
            or shape_tuple(source.nd, source.dims) != (
                shape if order == "C" else shape[::-1])
            or not source.flags_ & FLAG_C_CONTIGUOUS):
        return None
    if order != "C":
        source = <ndarray>source.T
    return copy_of(source, ORDER_A, True)  # (an eager copy if it cannot be lazy)


def _from_pickle_buffer(received, dtype, shape, order, writeable):
    """Unpickle protocol 5: the array over the buffer pickle hands back."""
    cdef ndarray a
    shape = tuple(shape)
    with memoryview(received) as m:
        readonly = m.readonly
    if readonly and writeable:
        result = lazy_copy_of_source(received, dtype, shape, order)
        if result is not None:
            return result
    a = _array_module.ndarray(shape, dtype=dtype, buffer=received, order=order)
    if not readonly or not writeable:
        return a  # writable: aliases the buffer, as NumPy's; else read-only
    if type(received) is bytes:
        # Nothing can write bytes: a lazy copy of them costs nothing.
        a.buffer.private = True
        return copy_of(a, ORDER_A, True)
    return copy_array(a, ORDER_A, None, "unpickle", COPY_IMPLICIT,
                      "a writeable array arrived in a read-only buffer")


def _from_pickle_span(received, dtype, shape, strides, offset, writeable):
    """Unpickle a non-contiguous view: ``shape`` and ``strides`` read from
    ``offset`` bytes into the span of memory pickle hands back (loaded as
    a byte array, by `_from_pickle_buffer`'s rules), checked to lie in it."""
    cdef Py_ssize_t dims[2 * MAX_NDIM]
    cdef Py_ssize_t low, high, start, step, n = 0
    cdef int nd, i
    cdef ndarray span, result
    dtype = np.dtype(dtype)
    shape, strides = tuple(shape), tuple(strides)
    nd = len(shape)
    if (nd > MAX_NDIM or len(strides) != nd or dtype.subdtype is not None
            or dtype.hasobject):
        raise ValueError("corrupt pickle of an array_core view")
    for i in range(nd):
        dims[i] = shape[i]
        dims[MAX_NDIM + i] = strides[i]
    check_new_shape(nd, dims, dtype.itemsize)
    with memoryview(received) as m:
        n = m.nbytes
    start = offset
    if start < 0 or start > n:
        raise ValueError(_OUTSIDE)
    if shape_size(nd, dims):
        # Each axis's reach on its own first, so that the sums cannot wrap.
        for i in range(nd):
            step = dims[MAX_NDIM + i]
            if dims[i] > 1 and (step > n or step < -n or (
                    step != 0 and dims[i] - 1 > n // (step if step > 0
                                                      else -step))):
                raise ValueError(_OUTSIDE)
        byte_extent(nd, dims, dims + MAX_NDIM, dtype.itemsize, &low, &high)
        if start + low < 0 or start + high > n:
            raise ValueError(_OUTSIDE)
    span = _from_pickle_buffer(received, _BYTES, (n,), "C", writeable)
    result = dtype_view(span, data_of(span) + start, nd, dims, dims + MAX_NDIM,
                        dtype)
    if not writeable:
        result.set_writeable(False)
    return result


_array_module._install_methods(__reduce_ex__=_reduce_ex)
