# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""NumPy's view functions on array_core arrays: every result is a view.

The function forms of the view methods (``reshape``, ``ravel``,
``transpose``, ``swapaxes``, ``squeeze``, ``moveaxis``, ``expand_dims``),
``diagonal``, ``real``/``imag``, ``flip``/``fliplr``/``flipud``/``rot90``,
``atleast_1d``/``2d``/``3d``, ``matrix_transpose``/``permute_dims``, the
``split`` family and ``unstack``; also ``copy`` and the memory-overlap
tests.  Each is registered for ``__array_function__``, so ``np.split(x, 3)``
of an array_core ``x`` runs here.

A view is made from the source's metadata with ``make_view`` (NumPy's base
rule is built in); NumPy's own Python code is followed step for step where
its order of checks decides which error a bad argument gets.  A NumPy (or
other array-like) input is wrapped without copying, and a view of it gets
the input as base, as NumPy's view would.
"""
from cpython.exc cimport PyErr_Occurred, PyErr_Clear
from cpython.long cimport PyLong_AsLongLong, PyLong_CheckExact
from libc.string cimport memset

from array_core._typedefs cimport (
    MAX_NDIM, FLAG_OWNDATA, FLAG_WRITEABLE, FLAG_WARN_ON_WRITE, ORDER_C,
    wrap_mul, wrap_add,
)
from array_core._buffer cimport Buffer
from array_core._layout cimport shape_size, fill_contiguous_strides
from array_core._array cimport (
    ndarray, as_array, make_view, new_array, data_of, offset_pointer,
    normalize_axis, parse_order, parse_copy, c_int_argument, reversed_axes_view,
    reshape_array, numpy_base_for_views, copy_of, is_fortran_only, base_for_view,
    allocate_array_buffer, snapshot_layout, to_numpy_arg, COPY_IF_NEEDED,
)
from array_core._array import _install_methods, _ArrayInterfaceProxy

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from array_core._registry import implements

# array_core.asarray, found on first use (its module is a sibling family).
cdef inline object with_input_base(object result, ndarray arr, object a):
    """``result`` of a view function applied to ``arr = as_array(a)``, with
    NumPy's base: when ``arr`` is the zero-copy array made here for a NumPy
    input, a view of it gets the input (collapsed to its owner), as NumPy's
    view of the input would, not the intermediate array."""
    if arr is a:
        return result
    return numpy_base_for_views(result, arr)


cdef object with_input_bases(list results, ndarray arr, object a):
    """``with_input_base`` for each of several views of ``arr``."""
    cdef Py_ssize_t i
    if arr is not a:
        for i in range(len(results)):
            numpy_base_for_views(results[i], arr)
    return results


cdef ndarray read_only(ndarray v):
    v.flags_ &= ~FLAG_WRITEABLE
    return v


# ------------------------------------------------------------ view methods as functions

cdef object _NO_SHAPE = object()


@implements(np.reshape)
def reshape(a, /, shape=_NO_SHAPE, order="C", *, copy=None):
    """A view of ``a`` with a new shape when the strides allow, else a copy.

    ``a.reshape(shape, order=order, copy=copy)``; ``copy=False`` raises
    when a view is impossible.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6)
    >>> y = array_core.reshape(x, (2, -1))
    >>> y.shape, y.base is x
    ((2, 3), True)
    """
    if shape is _NO_SHAPE:
        raise TypeError("reshape() missing 1 required positional argument: 'shape'")
    cdef ndarray arr = as_array(a)
    cdef int c_order = parse_order(order, "C")
    cdef int copy_mode = parse_copy(copy)
    if shape is None:
        result = make_view(arr, data_of(arr), arr.nd, arr.dims, arr.strides_)
    else:
        result = reshape_array(arr, shape, c_order, copy_mode)
    return with_input_base(result, arr, a)


@implements(np.ravel)
def ravel(a, order="C"):
    """``a.ravel(order)``: a 1-d view when the layout allows, else a copy.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.ravel(x).base is x.base, array_core.ravel(x.T).base is None
    (True, True)
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(arr.ravel(order), arr, a)


@implements(np.transpose)
def transpose(a, axes=None):
    """``a.transpose(axes)``: a view with the axes permuted (reversed by default).

    Examples
    --------
    >>> import array_core
    >>> x = array_core.ones((2, 3, 4))
    >>> array_core.transpose(x).shape, array_core.transpose(x, (1, 0, 2)).shape
    ((4, 3, 2), (3, 2, 4))
    """
    cdef ndarray arr = as_array(a)
    if axes is None:
        return with_input_base(reversed_axes_view(arr), arr, a)
    return with_input_base(arr.transpose(axes), arr, a)


# The Array API name of transpose: in NumPy the same function.
permute_dims = transpose


@implements(np.matrix_transpose)
def matrix_transpose(x, /):
    """A view with the last two axes swapped (``x.mT``).

    Examples
    --------
    >>> import array_core
    >>> array_core.matrix_transpose(array_core.ones((5, 2, 3))).shape
    (5, 3, 2)
    """
    cdef ndarray arr = as_array(x)
    if arr.nd < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, "
                         f"but it is {arr.nd}")
    return with_input_base(arr.swapaxes(-1, -2), arr, x)


@implements(np.swapaxes)
def swapaxes(a, axis1, axis2):
    """``a.swapaxes(axis1, axis2)``: a view with two axes interchanged.

    Examples
    --------
    >>> import array_core
    >>> array_core.swapaxes(array_core.ones((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(arr.swapaxes(axis1, axis2), arr, a)


@implements(np.squeeze)
def squeeze(a, axis=None):
    """``a.squeeze(axis)``: a view without the length-1 axes.

    Examples
    --------
    >>> import array_core
    >>> array_core.squeeze(array_core.ones((1, 3, 1))).shape
    (3,)
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(arr.squeeze(axis), arr, a)


@implements(np.moveaxis)
def moveaxis(a, source, destination):
    """A view with axes moved from ``source`` to ``destination``.

    Examples
    --------
    >>> import array_core
    >>> array_core.moveaxis(array_core.ones((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    cdef ndarray arr = as_array(a)
    source = normalize_axis_tuple(source, arr.nd, "source")
    destination = normalize_axis_tuple(destination, arr.nd, "destination")
    if len(source) != len(destination):
        raise ValueError("`source` and `destination` arguments must have "
                         "the same number of elements")
    order = [n for n in range(arr.nd) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return with_input_base(arr.transpose(order), arr, a)


@implements(np.expand_dims)
def expand_dims(a, axis):
    """A view with length-1 axes inserted at ``axis``.

    As NumPy's ``expand_dims``, this is ``a.reshape`` to the expanded shape,
    so the strides are the ones reshape gives.

    Examples
    --------
    >>> import array_core
    >>> array_core.expand_dims(array_core.ones(3), (0, 2)).shape
    (1, 3, 1)
    """
    cdef ndarray arr = as_array(a)
    cdef int out_nd, i
    if not isinstance(axis, (tuple, list)):
        axis = (axis,)
    out_nd = len(axis) + arr.nd
    axes = normalize_axis_tuple(axis, out_nd)
    # As NumPy, the shape is read only now (as a tuple: the axes' __index__
    # may have reshaped the array), and a shape with too few axes stops.
    lengths = iter(arr.shape)
    shape = []
    for i in range(out_nd):
        shape.append(1 if i in axes else next(lengths))
    return with_input_base(reshape_array(arr, shape, ORDER_C, COPY_IF_NEEDED),
                           arr, a)


@implements(np.copy)
def copy(a, order="K", subok=False, *, lazy=False):
    """A copy of ``a`` ('K' order by default, as ``numpy.copy``).

    ``lazy=True`` defers the copy until ``a`` or the copy is first written.
    ``subok`` is accepted as NumPy accepts it.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3).T
    >>> array_core.copy(x).strides, array_core.copy(x, order="C").strides
    ((8, 24), (16, 8))
    """
    # NumPy's copy is array(a, order=order, copy=True): the order is
    # checked before ``a`` is converted.
    cdef int c_order = parse_order(order, "K")
    return copy_of(as_array(a), c_order, lazy)


# ------------------------------------------------------------ memory overlap

cdef Buffer logical_buffer(Buffer buf):
    """The array_core Buffer whose memory ``buf`` views when it borrows an
    export of an array_core array (through NumPy), else ``buf``."""
    cdef Buffer found = buf
    owner = buf.exporter
    for _ in range(16):
        if owner is None or found.lazy_linked:
            break
        if isinstance(owner, ndarray):
            found = (<ndarray>owner).buffer
            owner = found.exporter
        elif type(owner) is np.ndarray:
            owner = owner.base
        elif type(owner) is memoryview:
            try:
                owner = owner.obj
            except ValueError:   # released
                break
        elif type(owner) is _ArrayInterfaceProxy:
            owner = owner.array
        else:
            break
    return found


cdef bint lazily_apart(object a, object b):
    """True when ``a`` and ``b`` only seem to share memory: they view two
    Buffers sharing one holder (a lazy copy and its source, or two lazy
    copies), not yet written.  A lazy copy's memory is logically its own."""
    cdef Buffer ba, bb
    if not (isinstance(a, ndarray) and isinstance(b, ndarray)):
        return False
    ba = (<ndarray>a).buffer
    bb = (<ndarray>b).buffer
    if not ba.lazy_linked and ba.exporter is not None:
        ba = logical_buffer(ba)
    if not bb.lazy_linked and bb.exporter is not None:
        bb = logical_buffer(bb)
    # Only sharers of one holder overlap lazily; an array wrapping an export
    # of a sharer counts as that sharer.
    return (ba is not bb and ba.lazy_source is not None
            and ba.lazy_source is bb.lazy_source)


@implements(np.shares_memory)
def shares_memory(a, b, /, max_work=None):
    """True when ``a`` and ``b`` have an element in common (exact).

    A lazy copy and its source share none until one is written.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(4)
    >>> array_core.shares_memory(x, x[1:]), array_core.shares_memory(x, x.copy())
    (True, False)
    """
    if lazily_apart(a, b):
        return False
    return np.shares_memory(to_numpy_arg(a), to_numpy_arg(b), max_work=max_work)


@implements(np.may_share_memory)
def may_share_memory(a, b, /, max_work=None):
    """True when the memory bounds of ``a`` and ``b`` overlap.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(4)
    >>> array_core.may_share_memory(x[::2], x[1::2])
    True
    """
    if lazily_apart(a, b):
        return False
    return np.may_share_memory(to_numpy_arg(a), to_numpy_arg(b),
                               max_work=max_work)


# ------------------------------------------------------------ diagonal

cdef inline int int_argument(object value) except? -1:
    """``c_int_argument`` (NumPy's "i" arguments), without Python work for
    a small exact int."""
    cdef long long v
    if PyLong_CheckExact(value):
        v = PyLong_AsLongLong(value)
        if -2147483648 <= v <= 2147483647 and not (v == -1 and PyErr_Occurred()):
            return <int>v
        PyErr_Clear()
    return c_int_argument(value)


cdef ndarray diagonal_view(ndarray a, object offset, object axis1, object axis2):
    """NumPy's ``PyArray_Diagonal``: a read-only view of a diagonal."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t dims[MAX_NDIM]
    cdef Py_ssize_t old_strides[MAX_NDIM]
    cdef Py_ssize_t off = int_argument(offset)
    cdef int i1 = int_argument(axis1)
    cdef int i2 = int_argument(axis2)
    cdef Py_ssize_t dim1, dim2, size, step
    cdef int nd = snapshot_layout(a, dims, old_strides), i, k = 0
    cdef char* data = data_of(a)
    if nd < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    i1 = normalize_axis(i1, nd, "axis1")
    i2 = normalize_axis(i2, nd, "axis2")
    if i1 == i2:
        raise ValueError("axis1 and axis2 cannot be the same")
    dim1 = dims[i1]
    dim2 = dims[i2]
    if off >= 0:
        step = old_strides[i2]
        dim2 -= off
    else:
        off = -off
        step = old_strides[i1]
        dim1 -= off
    size = dim2 if dim2 < dim1 else dim1
    if size < 0:
        size = 0
    else:
        data = offset_pointer(data, wrap_mul(off, step))
    for i in range(nd):
        if i != i1 and i != i2:
            shape[k] = dims[i]
            strides[k] = old_strides[i]
            k += 1
    shape[k] = size
    strides[k] = wrap_add(old_strides[i1], old_strides[i2])
    return read_only(make_view(a, data, nd - 1, shape, strides))


@implements(np.diagonal)
def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal of ``a`` over ``axis1`` and ``axis2``: a read-only view.

    As in NumPy 2.x, the view is read-only; ``offset`` moves the diagonal
    above (positive) or below (negative) the main one, and the diagonal
    becomes the last axis of the result.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(12).reshape(3, 4)
    >>> d = array_core.diagonal(x, 1)
    >>> d.tolist(), d.strides, d.flags.writeable, d.base is x.base
    ([1, 6, 11], (40,), False, True)
    """
    cdef ndarray arr = as_array(a)
    return with_input_base(diagonal_view(arr, offset, axis1, axis2), arr, a)


def _diagonal_method(ndarray self, offset, axis1, axis2):
    return diagonal_view(self, offset, axis1, axis2)


# ------------------------------------------------------------ real and imag

cdef dict _part_dtypes = {}


cdef object part_dtype(object dtype):
    """The float dtype of a complex dtype's parts (same byte order)."""
    found = _part_dtypes.get(dtype)
    if found is None:
        found = np.empty(0, dtype).real.dtype
        _part_dtypes[dtype] = found
    return found


cdef ndarray complex_part(ndarray a, Py_ssize_t part):
    """A view of the real (0) or imaginary (1) parts of complex ``a``."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd = snapshot_layout(a, shape, strides)
    dtype = part_dtype(a.dtype_)
    cdef Py_ssize_t size = dtype.itemsize
    return new_array(a.buffer, data_of(a) + part * size, nd, shape, strides,
                     dtype, base_for_view(a),
                     a.flags_ & (FLAG_WRITEABLE | FLAG_WARN_ON_WRITE))


def _real(ndarray self):
    if self.dtype_.kind == "c":
        return complex_part(self, 0)
    return self


def _imag(ndarray self):
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd
    cdef bint fortran
    cdef Buffer buf
    if self.dtype_.kind == "c":
        return complex_part(self, 1)
    # NumPy: read-only zeros of the same dtype, F order for an F array.
    nd = snapshot_layout(self, shape, strides)
    fortran = is_fortran_only(self)
    if shape_size(nd, shape) == 0:
        memset(strides, 0, nd * sizeof(Py_ssize_t))   # NumPy's, when empty
    else:
        fill_contiguous_strides(nd, shape, self.itemsize_, fortran, strides)
    buf = allocate_array_buffer(nd, shape, self.dtype_,
                                shape_size(nd, shape) * self.itemsize_)
    memset(buf.ptr, 0, buf.nbytes)
    return new_array(buf, buf.ptr, nd, shape, strides, self.dtype_, None,
                     FLAG_OWNDATA)


cdef int set_part(ndarray target, object value) except -1:
    # NumPy converts the value to an array first, then casts it in (a
    # complex value becomes a float with a ComplexWarning).
    target[...] = np.asarray(to_numpy_arg(value))
    return 0


def _set_real(ndarray self, value):
    set_part(complex_part(self, 0) if self.dtype_.kind == "c" else self, value)


def _set_imag(ndarray self, value):
    if self.dtype_.kind != "c":
        raise TypeError("array does not have imaginary part to set")
    set_part(complex_part(self, 1), value)


cdef object part_of(object val, bint real_part):
    """NumPy's ``real``/``imag``: ``val.real`` where ``val`` has it (a Python
    or NumPy scalar gives a scalar), else that of ``asarray(val)``."""
    cdef ndarray arr
    if not isinstance(val, (ndarray, np.ndarray)):
        try:
            return val.real if real_part else val.imag
        except AttributeError:
            pass
    arr = as_array(val)
    return with_input_base(arr.real if real_part else arr.imag, arr, val)


@implements(np.real)
def real(val):
    """The real part of ``val``: a view for a complex array, else ``val``.

    Examples
    --------
    >>> import array_core
    >>> z = array_core.asarray([1 + 2j, 3 - 4j])
    >>> array_core.real(z).tolist(), array_core.real(z).strides
    ([1.0, 3.0], (16,))
    """
    return part_of(val, True)


@implements(np.imag)
def imag(val):
    """The imaginary part of ``val``: a view for a complex array, else
    read-only zeros.

    Examples
    --------
    >>> import array_core
    >>> z = array_core.asarray([1 + 2j, 3 - 4j])
    >>> array_core.imag(z).tolist(), array_core.imag(array_core.ones(2)).flags.writeable
    ([2.0, -4.0], False)
    """
    return part_of(val, False)


# ------------------------------------------------------------ flips

cdef ndarray flipped(ndarray a, const bint* axes):
    """``a[::-1]`` along each axis in ``axes``: NumPy's slice rule, so an
    empty axis keeps its stride (the slice is then taken with step 1)."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd = snapshot_layout(a, shape, strides), i
    cdef char* data = data_of(a)
    for i in range(nd):
        if axes[i] and shape[i] > 0:
            data = offset_pointer(data, wrap_mul(shape[i] - 1, strides[i]))
            strides[i] = -strides[i]
    return make_view(a, data, nd, shape, strides)


@implements(np.flip)
def flip(m, axis=None):
    """A view of ``m`` with the order of elements reversed along ``axis``
    (every axis by default).

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> array_core.flip(x, 1).tolist(), array_core.flip(x).strides
    ([[2, 1, 0], [5, 4, 3]], (-24, -8))
    """
    cdef bint axes[MAX_NDIM]
    cdef int i
    cdef ndarray arr = as_array(m)
    memset(axes, 0, sizeof(axes))
    if axis is None:
        for i in range(arr.nd):
            axes[i] = True
    else:
        for i in normalize_axis_tuple(axis, arr.nd):
            axes[i] = True
    if arr.nd == 0:
        return arr[()]     # NumPy indexes with (): a scalar
    return with_input_base(flipped(arr, axes), arr, m)


@implements(np.fliplr)
def fliplr(m):
    """A view of ``m`` with its columns (axis 1) reversed.

    Examples
    --------
    >>> import array_core
    >>> array_core.fliplr(array_core.arange(4).reshape(2, 2)).tolist()
    [[1, 0], [3, 2]]
    """
    cdef bint axes[MAX_NDIM]
    cdef ndarray arr = as_array(m)
    if arr.nd < 2:
        raise ValueError("Input must be >= 2-d.")
    memset(axes, 0, sizeof(axes))
    axes[1] = True
    return with_input_base(flipped(arr, axes), arr, m)


@implements(np.flipud)
def flipud(m):
    """A view of ``m`` with its rows (axis 0) reversed.

    Examples
    --------
    >>> import array_core
    >>> array_core.flipud(array_core.arange(4).reshape(2, 2)).tolist()
    [[2, 3], [0, 1]]
    """
    cdef bint axes[MAX_NDIM]
    cdef ndarray arr = as_array(m)
    if arr.nd < 1:
        raise ValueError("Input must be >= 1-d.")
    memset(axes, 0, sizeof(axes))
    axes[0] = True
    return with_input_base(flipped(arr, axes), arr, m)


@implements(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    """A view of ``m`` rotated by 90 degrees ``k`` times in the plane of
    ``axes`` (from the first axis towards the second).

    Examples
    --------
    >>> import array_core
    >>> array_core.rot90(array_core.arange(4).reshape(2, 2)).tolist()
    [[1, 3], [0, 2]]
    """
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    cdef ndarray arr = as_array(m)
    cdef int nd = arr.nd
    if axes[0] == axes[1] or np.absolute(axes[0] - axes[1]) == nd:
        raise ValueError("Axes must be different.")
    if (axes[0] >= nd or axes[0] < -nd
            or axes[1] >= nd or axes[1] < -nd):
        raise ValueError(f"Axes={axes} out of range for array of ndim={nd}.")
    k %= 4
    if k == 0:
        result = arr[:]
    elif k == 2:
        result = flip(flip(arr, axes[0]), axes[1])
    else:
        axes_list = list(range(nd))
        (axes_list[axes[0]], axes_list[axes[1]]) = (axes_list[axes[1]],
                                                    axes_list[axes[0]])
        if k == 1:
            result = flip(arr, axes[1]).transpose(axes_list)
        else:
            result = flip(arr.transpose(axes_list), axes[1])
    return with_input_base(result, arr, m)


# ------------------------------------------------------------ atleast_nd

cdef object at_least(ndarray arr, int ndim):
    """NumPy's ``atleast_{1,2,3}d`` of one array: ``arr`` itself or a view."""
    cdef Py_ssize_t shape[3]
    cdef Py_ssize_t strides[3]
    cdef int nd = arr.nd
    if nd >= ndim:
        return arr
    if nd == 0:
        # ``reshape(1)``, ``reshape(1, 1)``, ``reshape(1, 1, 1)``.
        return reshape_array(arr, (1,) * ndim, ORDER_C, COPY_IF_NEEDED)
    # ``x[None, :]``, ``x[None, :, None]`` and ``x[:, :, None]``: a new axis
    # gets stride 0, as NumPy's indexing gives it.
    if nd == 1 and ndim == 2:
        shape[0], shape[1] = 1, arr.dims[0]
        strides[0], strides[1] = 0, arr.strides_[0]
    elif nd == 1:
        shape[0], shape[1], shape[2] = 1, arr.dims[0], 1
        strides[0], strides[1], strides[2] = 0, arr.strides_[0], 0
    else:
        shape[0], shape[1], shape[2] = arr.dims[0], arr.dims[1], 1
        strides[0], strides[1], strides[2] = arr.strides_[0], arr.strides_[1], 0
    return make_view(arr, data_of(arr), ndim, shape, strides)


cdef object atleast(tuple arys, int ndim):
    cdef ndarray arr
    if len(arys) == 1:
        arr = as_array(arys[0])
        return with_input_base(at_least(arr, ndim), arr, arys[0])
    results = []
    for a in arys:
        arr = as_array(a)
        results.append(with_input_base(at_least(arr, ndim), arr, a))
    return tuple(results)


@implements(np.atleast_1d)
def atleast_1d(*arys):
    """Each input with at least one axis: itself, or a view.

    Examples
    --------
    >>> import array_core
    >>> array_core.atleast_1d(array_core.asarray(5.0)).shape
    (1,)
    >>> [a.shape for a in array_core.atleast_1d(1, [2, 3])]
    [(1,), (2,)]
    """
    return atleast(arys, 1)


@implements(np.atleast_2d)
def atleast_2d(*arys):
    """Each input with at least two axes: itself, or a view.

    Examples
    --------
    >>> import array_core
    >>> array_core.atleast_2d(array_core.arange(3)).shape
    (1, 3)
    """
    return atleast(arys, 2)


@implements(np.atleast_3d)
def atleast_3d(*arys):
    """Each input with at least three axes: itself, or a view.

    A 1-d array of length N becomes (1, N, 1), a 2-d (M, N) one (M, N, 1).

    Examples
    --------
    >>> import array_core
    >>> array_core.atleast_3d(array_core.arange(3)).shape
    (1, 3, 1)
    """
    return atleast(arys, 3)


# ------------------------------------------------------------ splitting

cdef list split_views(ndarray arr, object axis, list div_points, bint clipped):
    """The views ``arr[..., div_points[i]:div_points[i + 1], ...]`` along
    ``axis`` (NumPy's ``swapaxes``/slice/``swapaxes`` of ``array_split``);
    an empty piece starts at offset 0, as NumPy's indexing has it.

    The slice bounds run Python (``__index__``), so the views are made from
    a snapshot of the layout taken before.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int ax = int_argument(axis)
    cdef int nd = snapshot_layout(arr, shape, strides)
    cdef Py_ssize_t n, i, start, stop, pieces = len(div_points) - 1
    cdef char* data = data_of(arr)
    cdef list bounds = []
    cdef list result = []
    ax = <int>normalize_axis(ax, nd, "axis1")
    n = shape[ax]
    if clipped:
        # Section points: ascending ints within the axis already.
        for i in range(pieces):
            bounds.append((div_points[i], div_points[i + 1], 1))
    else:
        for i in range(pieces):
            bounds.append(slice(div_points[i], div_points[i + 1]).indices(n))
    for i in range(pieces):
        start, stop, _ = bounds[i]
        if stop <= start:
            start = stop = 0
        shape[ax] = stop - start
        result.append(make_view(arr, offset_pointer(data, wrap_mul(start, strides[ax])),
                                nd, shape, strides))
    return result


cdef list section_points(Py_ssize_t total, Py_ssize_t sections):
    """0, then the ends of ``sections`` pieces as even as possible (the
    first ``total % sections`` one longer)."""
    cdef Py_ssize_t each = total // sections, extras = total % sections
    cdef Py_ssize_t i, point = 0
    cdef list points = [0]
    for i in range(sections):
        point += each + 1 if i < extras else each
        points.append(point)
    return points


cdef object axis_length(object ary, object axis):
    """``ary.shape[axis]``, as NumPy's split reads it (its errors too),
    without building the shape tuple for an array_core array."""
    cdef ndarray arr
    cdef long long ax
    if isinstance(ary, ndarray) and PyLong_CheckExact(axis):
        arr = <ndarray>ary
        ax = PyLong_AsLongLong(axis)
        if ax == -1 and PyErr_Occurred():
            PyErr_Clear()
        elif -arr.nd <= ax < arr.nd:
            return arr.dims[ax + arr.nd if ax < 0 else ax]
    return ary.shape[axis]


cdef list array_split_impl(object ary, object indices_or_sections, object axis):
    cdef ndarray arr
    cdef Py_ssize_t sections
    cdef bint clipped = False
    try:
        total = axis_length(ary, axis)
    except AttributeError:
        total = len(ary)
    if PyLong_CheckExact(indices_or_sections):
        # The common case, without len()'s TypeError.
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        div_points = section_points(total, sections)
        clipped = True
    else:
        try:
            # A sequence of split points.
            sections = len(indices_or_sections) + 1
            div_points = [0] + list(indices_or_sections) + [total]
        except TypeError:
            sections = int(indices_or_sections)
            if sections <= 0:
                raise ValueError("number sections must be larger than 0.") from None
            div_points = section_points(total, sections)
            clipped = True
    arr = as_array(ary)
    return with_input_bases(split_views(arr, axis, div_points, clipped), arr, ary)


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    """Split ``ary`` into views along ``axis``, in sections that need not be
    equal (the first ``len % sections`` are one longer).

    Examples
    --------
    >>> import array_core
    >>> [p.tolist() for p in array_core.array_split(array_core.arange(5), 3)]
    [[0, 1], [2, 3], [4]]
    """
    return array_split_impl(ary, indices_or_sections, axis)


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    """Split ``ary`` into views along ``axis``: equal sections, or at the
    given indices.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6)
    >>> parts = array_core.split(x, 3)
    >>> [p.tolist() for p in parts], parts[1].base is x
    ([[0, 1], [2, 3], [4, 5]], True)
    >>> [p.tolist() for p in array_core.split(x, [1, 4])]
    [[0], [1, 2, 3], [4, 5]]
    """
    if PyLong_CheckExact(indices_or_sections):
        if axis_length(ary, axis) % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        return array_split_impl(ary, indices_or_sections, axis)
    try:
        len(indices_or_sections)
    except TypeError:
        sections = indices_or_sections
        total = ary.shape[axis]
        if total % sections:
            raise ValueError(
                "array split does not result in an equal division") from None
    return array_split_impl(ary, indices_or_sections, axis)


cdef int ndim_of(object ary) except -1:
    return (<ndarray>ary).nd if isinstance(ary, ndarray) else np.ndim(ary)


@implements(np.hsplit)
def hsplit(ary, indices_or_sections):
    """``split`` along axis 1 (axis 0 for 1-d input).

    Examples
    --------
    >>> import array_core
    >>> [p.shape for p in array_core.hsplit(array_core.ones((2, 4)), 2)]
    [(2, 2), (2, 2)]
    """
    if ndim_of(ary) == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    if ary.ndim > 1:
        return split(ary, indices_or_sections, 1)
    return split(ary, indices_or_sections, 0)


@implements(np.vsplit)
def vsplit(ary, indices_or_sections):
    """``split`` along axis 0, of an array of at least two axes.

    Examples
    --------
    >>> import array_core
    >>> [p.shape for p in array_core.vsplit(array_core.ones((4, 2)), 2)]
    [(2, 2), (2, 2)]
    """
    if ndim_of(ary) < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


@implements(np.dsplit)
def dsplit(ary, indices_or_sections):
    """``split`` along axis 2, of an array of at least three axes.

    Examples
    --------
    >>> import array_core
    >>> [p.shape for p in array_core.dsplit(array_core.ones((1, 2, 4)), 2)]
    [(1, 2, 2), (1, 2, 2)]
    """
    if ndim_of(ary) < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, 2)


@implements(np.unstack)
def unstack(x, /, *, axis=0):
    """The views ``x[i]`` along ``axis``, as a tuple.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(4).reshape(2, 2)
    >>> [p.tolist() for p in array_core.unstack(x, axis=1)]
    [[0, 2], [1, 3]]
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef ndarray arr = as_array(x)
    cdef int nd, ax, i, k
    cdef Py_ssize_t n, j, step
    if arr.nd == 0:
        raise ValueError("Input array must be at least 1-d.")
    # NumPy's moveaxis(x, axis, 0), then iteration over the first axis.
    source = normalize_axis_tuple(axis, arr.nd, "source")
    if len(source) != 1:
        raise ValueError("`source` and `destination` arguments must have "
                         "the same number of elements")
    ax = source[0]
    nd = snapshot_layout(arr, shape, strides)
    if ax >= nd:   # the axis' __index__ reshaped the array meanwhile
        raise ValueError("the array changed shape while its axis was read")
    n = shape[ax]
    step = strides[ax]
    k = 0
    for i in range(nd):
        if i != ax:
            shape[k] = shape[i]
            strides[k] = strides[i]
            k += 1
    results = []
    if nd == 1:
        # Iterating a 1-d array gives scalars.
        return tuple([arr[j] for j in range(n)])
    for j in range(n):
        results.append(make_view(arr, offset_pointer(data_of(arr), wrap_mul(j, step)),
                                 nd - 1, shape, strides))
    return tuple(with_input_bases(results, arr, x))


_install_methods(diagonal=_diagonal_method, real=_real, imag=_imag,
                 set_real=_set_real, set_imag=_set_imag)
