# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""The ``ndarray`` methods that compute, and the rest of NumPy's method surface.

Compute is NumPy's: each method calls the very function NumPy's own method
runs (a ufunc reduction, the Python function of ``numpy._core._methods`` that
NumPy forwards to, or NumPy's C method), with the caller's arguments as they
were given, so argument parsing, results, warnings and messages are NumPy's.
The array itself goes in as a read-only NumPy view (``as_numpy``: reading
never materialises a lazy copy), and so does every array_core array among the
arguments; an ``out=`` array becomes a writable view (``as_numpy_for_write``,
made once, before the inputs are read) and comes back as itself.  The
methods that write (``sort``, ``partition``, in-place ``byteswap``) write
through one writable view of the array.

``byteswap`` copies through the copy choke point; ``getfield`` is a native
view.  The functions here are installed into ``ndarray``'s methods with
``_install_methods`` when array_core is imported.
"""
import operator
from types import GenericAlias

import numpy as np
from numpy._core import _internal as _np_internal
from numpy._core import _methods as _np_methods

from libc.limits cimport INT_MAX, INT_MIN
from libc.stdint cimport uintptr_t

from array_core._typedefs cimport (
    FLAG_WARN_ON_WRITE,
    FLAG_WRITEABLE,
    MAX_NDIM,
    ORDER_A,
    ORDER_C,
    ORDER_K,
)
from array_core._array cimport (
    COPY_EXPLICIT,
    as_numpy,
    as_numpy_for_write,
    convert_dtype,
    copy_array,
    data_of,
    dtype_view,
    flat_copy,
    from_numpy,
    from_numpy_result,
    ndarray,
    numpy_nested,
    offset_pointer,
    prepare_write,
    snapshot_layout,
    type_name,
)
from array_core._array import _install_methods
from array_core._registry import implements

# What NumPy's methods run, looked up once.
cdef object _NoValue = np._NoValue
cdef object _umr_sum = np.add.reduce
cdef object _umr_prod = np.multiply.reduce
cdef object _umr_maximum = np.maximum.reduce
cdef object _umr_minimum = np.minimum.reduce
cdef object _np_ndarray = np.ndarray
cdef object _float64 = np.dtype(np.float64)
# A NumPy array to run NumPy's argument checks of methods that do not read
# the array (``to_device``, ``__array_namespace__``).
cdef object _probe = np.empty(0)


# ------------------------------------------------------------ arguments

cdef object numpy_output(object out, list written):
    """``out`` with array_core arrays as writable NumPy views.

    Each (view, array) pair is added to ``written``, so that a result that is
    the view comes back as the array (a tuple, as a ufunc's ``out``, too).
    """
    if isinstance(out, ndarray):
        view = as_numpy_for_write(<ndarray>out)
        written.append((view, out))
        return view
    if type(out) is _np_ndarray:
        written.append((out, out))  # NumPy returns it: so do we
    elif type(out) is tuple:
        return tuple([numpy_output(o, written) for o in <tuple>out])
    return out


cdef tuple numpy_inputs(tuple args, Py_ssize_t skip):
    """``args`` with array_core arrays (in lists and tuples too) as read-only
    NumPy views, except the one at ``skip`` (an output, converted already)."""
    cdef list converted = None
    cdef Py_ssize_t i, n = len(args)
    for i in range(n):
        if i == skip:
            continue
        item = args[i]
        new = numpy_nested(item)
        if new is not item:
            if converted is None:
                converted = list(args)
            converted[i] = new
    return args if converted is None else tuple(converted)


cdef object wrap_result(object result, ndarray self, object view, list written):
    """A NumPy result as array_core: the view of self as self, an ``out``
    view as the ``out`` array; scalars stay NumPy scalars."""
    if type(result) is _np_ndarray:
        if result is view:
            return self
        if written is not None:
            for pair in written:
                if result is (<tuple>pair)[0]:
                    return (<tuple>pair)[1]
        return from_numpy_result(result)
    if type(result) is tuple:
        return tuple([wrap_result(r, self, view, written) for r in <tuple>result])
    return result


cdef object forward(object function, ndarray self, tuple args, dict kwargs,
                    Py_ssize_t out_index):
    """``function(view of self, *args, **kwargs)``, NumPy's way (see above).

    ``out_index`` is where ``out`` sits among ``function``'s positional
    parameters after the array (-1: it has none).
    """
    cdef list written = None
    if not args and not kwargs:
        view = as_numpy(self)
        return wrap_result(function(view), self, view, None)
    # Outputs first: a lazy copy written through ``out`` materialises before
    # any input is exported for reading.
    if 0 <= out_index < len(args):
        written = []
        args = (args[:out_index] + (numpy_output(args[out_index], written),)
                + args[out_index + 1:])
    if kwargs:
        if out_index >= 0 and "out" in kwargs:
            if written is None:
                written = []
            kwargs = dict(kwargs)
            kwargs["out"] = numpy_output(kwargs["out"], written)
        for key, value in kwargs.items():
            if key != "out" or out_index < 0:
                new = numpy_nested(value)
                if new is not value:
                    kwargs[key] = new
    args = numpy_inputs(args, out_index if written is not None else -1)
    view = as_numpy(self)
    return wrap_result(function(view, *args, **kwargs), self, view, written)


cdef object write_in_place(object function, ndarray self, tuple args,
                           dict kwargs):
    """``function(writable view of self, *args, **kwargs)``: NumPy's in-place
    methods.  A read-only array gives a read-only view: NumPy refuses it."""
    args = numpy_inputs(args, -1)
    if kwargs:
        for key, value in kwargs.items():
            new = numpy_nested(value)
            if new is not value:
                kwargs[key] = new
    function(as_numpy_for_write(self), *args, **kwargs)
    return None


# ------------------------------------------------------------ reductions

cdef bint axis_only(tuple args, dict kwargs, Py_ssize_t most) except -1:
    """Whether a reduction method was given at most ``axis`` and (for
    ``most`` 2) ``dtype``, so that it can call NumPy's reduction directly."""
    if len(args) > most:
        return False
    if kwargs:
        for key in kwargs:
            if key != "axis" and (most < 2 or key != "dtype"):
                return False
            if key == "axis" and args:
                return False  # given twice: NumPy's error
            if key == "dtype" and len(args) > 1:
                return False
    return True


cdef object reduce_fast(object reduction, ndarray self, tuple args, dict kwargs):
    """``reduction(view, axis[, dtype])`` from a method's arguments: NumPy's
    ``_methods`` functions do only that when nothing else is given."""
    axis = args[0] if args else kwargs.get("axis") if kwargs else None
    if len(args) > 1:
        dtype = args[1]
    else:
        dtype = kwargs.get("dtype") if kwargs else None
    return wrap_result(reduction(as_numpy(self), axis, dtype), self, None, None)


def _sum(ndarray self, tuple args, dict kwargs):
    # NumPy's _sum(a, axis, dtype) is umr_sum(a, axis, dtype, ...): skip its
    # Python frame.
    if axis_only(args, kwargs, 2):
        return reduce_fast(_umr_sum, self, args, kwargs)
    return forward(_np_methods._sum, self, args, kwargs, 2)


def _prod(ndarray self, tuple args, dict kwargs):
    if axis_only(args, kwargs, 2):
        return reduce_fast(_umr_prod, self, args, kwargs)
    return forward(_np_methods._prod, self, args, kwargs, 2)


def _max(ndarray self, tuple args, dict kwargs):
    if axis_only(args, kwargs, 1):
        return reduce_fast(_umr_maximum, self, args, kwargs)
    return forward(_np_methods._amax, self, args, kwargs, 1)


def _min(ndarray self, tuple args, dict kwargs):
    if axis_only(args, kwargs, 1):
        return reduce_fast(_umr_minimum, self, args, kwargs)
    return forward(_np_methods._amin, self, args, kwargs, 1)


@implements(np.sum)
def sum(a, axis=None, dtype=None, out=None, keepdims=_NoValue, initial=_NoValue,
        where=_NoValue):
    """``numpy.sum`` of an array_core array: NumPy's own rule for an array
    type of its own, ``a.sum(...)`` with the arguments given (NumPy's Python
    layer is skipped; the reduction is NumPy's).

    Examples
    --------
    >>> import numpy, array_core
    >>> x = array_core.arange(6).reshape(2, 3)
    >>> numpy.sum(x), numpy.sum(x, axis=0)
    (np.int64(15), array([3, 5, 7]))
    """
    # Only what was given: with axis and dtype alone, _sum's own fast path
    # calls NumPy's reduction directly.
    cdef dict kwargs = {"axis": axis, "dtype": dtype}
    if out is not None:
        kwargs["out"] = out
    if keepdims is not _NoValue:
        kwargs["keepdims"] = keepdims
    if initial is not _NoValue:
        kwargs["initial"] = initial
    if where is not _NoValue:
        kwargs["where"] = where
    return _sum(<ndarray?>a, (), kwargs)


def _mean(ndarray self, tuple args, dict kwargs):
    return forward(_np_methods._mean, self, args, kwargs, 2)


def _std(ndarray self, tuple args, dict kwargs):
    return forward(_np_methods._std, self, args, kwargs, 2)


def _var(ndarray self, tuple args, dict kwargs):
    return forward(_np_methods._var, self, args, kwargs, 2)


def _any(ndarray self, tuple args, dict kwargs):
    return forward(_np_methods._any, self, args, kwargs, 2)


def _all(ndarray self, tuple args, dict kwargs):
    return forward(_np_methods._all, self, args, kwargs, 2)


def _clip(ndarray self, tuple args, dict kwargs):
    return forward(_np_methods._clip, self, args, kwargs, 2)


# NumPy's C methods, by name: the position of ``out`` after the array.
cdef dict _C_METHODS = {
    "argmin": 1, "argmax": 1, "cumsum": 2, "cumprod": 2,
    "dot": 1, "conj": 0, "conjugate": 0, "trace": 4, "choose": 1,
    "argsort": -1, "argpartition": -1, "searchsorted": -1, "tofile": -1,
}


def _c_method(str name):
    """The method ``name`` of ``ndarray``: NumPy's C method on a view."""
    cdef object function = getattr(np.ndarray, name)
    cdef Py_ssize_t out_index = _C_METHODS[name]

    def method(ndarray self, tuple args, dict kwargs):
        return forward(function, self, args, kwargs, out_index)
    method.__name__ = name
    method.__qualname__ = name
    return method


def _round(ndarray self, tuple args, dict kwargs):
    # NumPy's PyArray_Round copies an integer array (decimals >= 0, no out)
    # in 'K' order: the copy goes through the choke point (a 0-d array gives
    # NumPy's scalar).  Other argument forms are left to NumPy's parser.
    decimals = 0
    if args and len(args) == 1 and not kwargs:
        decimals = args[0]
    elif kwargs and len(kwargs) == 1 and not args:
        decimals = kwargs.get("decimals")
    elif args or kwargs:
        decimals = None
    if (type(decimals) is int and 0 <= decimals <= INT_MAX
            and self.ndim != 0 and self.dtype.kind in "iu"):
        return copy_array(self, ORDER_K, None, "round", COPY_EXPLICIT,
                          "round of integers with decimals >= 0 copies")
    return forward(_np_ndarray.round, self, args, kwargs, 1)


def _sort(ndarray self, tuple args, dict kwargs):
    return write_in_place(_np_ndarray.sort, self, args, kwargs)


@implements(np.sort)
def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``numpy.sort``: a sorted copy of ``a`` (an array_core array).

    As NumPy does: a copy in ``a``'s own layout ('K', or flattened for
    ``axis=None``), then an in-place sort of it; the copy goes through the
    choke point, recorded as ``sort``.

    Examples
    --------
    >>> import numpy, array_core
    >>> x = array_core.asarray([[3, 1, 2], [0, 5, 4]])
    >>> numpy.sort(x).tolist(), numpy.sort(x, axis=None).tolist()
    ([[1, 2, 3], [0, 4, 5]], [0, 1, 2, 3, 4, 5])
    """
    cdef ndarray result
    if axis is None:
        result = flat_copy(<ndarray?>a, ORDER_C, "sort", COPY_EXPLICIT,
                           "sort always makes a new array")
        axis = -1
    else:
        result = copy_array(<ndarray?>a, ORDER_K, None, "sort", COPY_EXPLICIT,
                            "sort always makes a new array")
    view = as_numpy_for_write(result)
    if kind is None and order is None and stable is None:
        view.sort(axis)  # (NumPy parses keywords slowly)
    else:
        view.sort(axis=axis, kind=kind, order=order, stable=stable)
    return result


def _partition(ndarray self, tuple args, dict kwargs):
    return write_in_place(_np_ndarray.partition, self, args, kwargs)


# ------------------------------------------------------------ memory

def _byteswap(ndarray self, inplace):
    """NumPy's PyArray_Byteswap: in place, or on an order-'A' copy."""
    cdef ndarray result
    if inplace:
        as_numpy_for_write(self).byteswap(True)
        return self
    result = copy_array(self, ORDER_A, None, "byteswap", COPY_EXPLICIT,
                        "byteswap(inplace=False) always copies")
    as_numpy_for_write(result).byteswap(True)
    return result


cdef Py_ssize_t c_int_offset(object offset) except? -1:
    """``offset`` as NumPy's argument parser reads a C int."""
    value = operator.index(offset)
    if value > INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if value < INT_MIN:
        raise OverflowError("signed integer is less than minimum")
    return value


cdef ndarray field_of(ndarray self, object dtype, object offset):
    """NumPy's PyArray_GetField: ``self``'s items read as ``dtype`` from byte
    ``offset`` on (a view; writeable when self is)."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef int nd
    cdef Py_ssize_t start
    dtype = convert_dtype(dtype)
    if dtype is None:
        dtype = _float64  # NumPy's PyArray_DescrConverter(None)
    start = c_int_offset(offset)
    if self.dtype.hasobject or dtype.hasobject:
        raise TypeError("Cannot get/set field of an object array")
    if dtype.itemsize > self.itemsize:
        raise ValueError("new type is larger than original type")
    if start < 0:
        raise ValueError("offset is negative")
    if start > self.itemsize - dtype.itemsize:
        raise ValueError("new type plus offset is larger than original type")
    nd = snapshot_layout(self, shape, strides)
    return dtype_view(self, offset_pointer(data_of(self), start), nd, shape,
                      strides, dtype)


def _getfield(ndarray self, dtype, offset):
    return field_of(self, dtype, offset)


def _setfield(ndarray self, val, dtype, offset):
    if not self.flags.writeable:
        raise ValueError("assignment destination is read-only")
    field_of(self, dtype, offset)[...] = val


def _ctypes(ndarray self):
    # A raw pointer, writable as the array is: a writable one ends lazy
    # sharing for good (``__array_interface__`` would be read-only while the
    # memory is lazily shared), a read-only one keeps the memory in place.
    if self.flags_ & FLAG_WRITEABLE and not self.flags_ & FLAG_WARN_ON_WRITE:
        prepare_write(self)
        self.buffer.private = False
        return _np_internal._ctypes(self, <uintptr_t>data_of(self))
    return _np_internal._ctypes(self, self.__array_interface__["data"][0])


# ------------------------------------------------------------ pickling

def _dump(ndarray self, tuple args, dict kwargs):
    return _np_methods._dump(self, *args, **kwargs)


def _dumps(ndarray self, tuple args, dict kwargs):
    return _np_methods._dumps(self, *args, **kwargs)


# ------------------------------------------------------------ protocols

def _to_device(device, stream):
    _probe.to_device(device, stream=stream)


def _array_namespace(api_version):
    return _probe.__array_namespace__(api_version=api_version)


def _array_wrap(ndarray self, array):
    # NumPy's base-class rule for another array type: ``array`` viewed as
    # that type (its base is ``array``).
    if not isinstance(array, _np_ndarray):
        raise TypeError(f"__array_wrap__() argument 1 must be numpy.ndarray, "
                        f"not {type_name(array)}")
    return from_numpy(array, array, False)


def _class_getitem(cls, item):
    cdef Py_ssize_t nargs = len(item) if type(item) is tuple else 1
    if nargs == 0 or nargs > 2:
        raise TypeError(f"Too {'many' if nargs > 2 else 'few'} arguments for "
                        f"{cls.__module__}.{cls.__qualname__}")
    return GenericAlias(cls, item)


_install_methods(
    sum=_sum, prod=_prod, max=_max, min=_min, mean=_mean, std=_std, var=_var,
    any=_any, all=_all, clip=_clip, round=_round, sort=_sort, partition=_partition,
    byteswap=_byteswap, getfield=_getfield, setfield=_setfield,
    ctypes=_ctypes, dump=_dump, dumps=_dumps, to_device=_to_device,
    __array_namespace__=_array_namespace, __array_wrap__=_array_wrap,
    __class_getitem__=_class_getitem,
    **{name: _c_method(name) for name in _C_METHODS},
)
