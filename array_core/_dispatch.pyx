# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""NumPy's ``__array_function__`` protocol (NEP 18) for array_core arrays.

``ndarray.__array_function__`` forwards here.  A NumPy function given an
array_core array runs, in this order:

- ``NotImplemented`` when ``types`` holds a type that is neither
  array_core's nor NumPy's array, so that another library's override wins
  (the first Dask collection met registers array_core as a Dask chunk type,
  and the call is made again, for Dask: see ``_dask``);
- array_core's own implementation, where a family registered one
  (``_registry.implements``): its copies pass the choke point;
- else NumPy's own implementation (``func._implementation``) on zero-copy
  NumPy views of every array_core argument, nested in lists, tuples and
  keywords.  The views are read-only (a read never materialises a lazy
  copy) except where NumPy writes: ``out=`` and the argument an in-place
  function writes (``WRITTEN_ARGUMENTS``).

Every NumPy array in the result comes back as array_core: a view of an
input's memory as an array_core view of that input (NumPy's base rule), an
``out=`` array as itself.  Scalars stay NumPy scalars, as in NumPy.
"""
cimport cython

import inspect

import numpy as np
import numpy.lib.recfunctions as _recfunctions

from array_core._array cimport (
    ndarray, as_numpy, as_numpy_for_write, from_numpy, from_numpy_result,
    install_array_function,
)
from array_core._dask import any_meets_dask
from array_core._registry import IMPLEMENTATIONS

cdef dict implementations = IMPLEMENTATIONS
cdef type numpy_ndarray = np.ndarray
cdef tuple array_types = (ndarray, np.ndarray)

# NumPy functions that write into an argument that is not ``out=``: the
# function -> (position, keyword) of that argument, and for a function that
# writes only on request, (keyword, position, value) of the request.
WRITTEN_ARGUMENTS = {
    np.copyto: (0, "dst", None),
    np.put: (0, "a", None),
    np.place: (0, "arr", None),
    np.putmask: (0, "a", None),
    np.fill_diagonal: (0, "a", None),
    np.put_along_axis: (0, "arr", None),
    np.nan_to_num: (0, "x", ("copy", 1, False)),
    _recfunctions.recursive_fill_fields: (1, "output", None),
}


@cython.final
cdef class FunctionInfo:
    """What the fallback needs to know of one NumPy function (cached)."""

    cdef object implementation   # NumPy's code without the dispatch
    cdef Py_ssize_t out_position  # where ``out`` may come positionally, or -1
    cdef Py_ssize_t written_position  # the in-place argument, or -1
    cdef object written_keyword
    cdef object write_request    # (keyword, position, value) or None


cdef dict function_infos = {}


cdef FunctionInfo info_of(object func):
    cdef FunctionInfo info = function_infos.get(func)
    if info is not None:
        return info
    info = FunctionInfo.__new__(FunctionInfo)
    info.implementation = getattr(func, "_implementation", func)
    info.out_position = -1
    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    for i, parameter in enumerate(parameters):
        if parameter.name == "out":
            if parameter.kind in (parameter.POSITIONAL_ONLY,
                                  parameter.POSITIONAL_OR_KEYWORD):
                info.out_position = i
            break
    written = WRITTEN_ARGUMENTS.get(func)
    if written is None:
        info.written_position = -1
    else:
        info.written_position, info.written_keyword, info.write_request = written
    function_infos[func] = info
    return info


@cython.final
@cython.freelist(8)
cdef class Call:
    """One fallback call: the NumPy arrays it was given, and its outputs."""

    cdef list numpy_inputs   # NumPy arrays among the arguments, or None
    cdef dict outputs        # id(NumPy array written) -> what the caller gave


cdef object for_reading(object x, Call call):
    """``x`` with every array_core array in it as a read-only NumPy view."""
    cdef type t = type(x)
    cdef list items
    cdef Py_ssize_t i, n
    if t is ndarray or isinstance(x, ndarray):
        return as_numpy(<ndarray>x)
    if t is list or t is tuple:
        n = len(x)
        items = None
        for i in range(n):
            item = x[i]
            converted = for_reading(item, call)
            if converted is not item:
                if items is None:
                    items = list(x)
                items[i] = converted
        if items is None:
            return x
        return items if t is list else tuple(items)
    if t is numpy_ndarray:
        if call.numpy_inputs is None:
            call.numpy_inputs = []
        call.numpy_inputs.append(x)
    return x


cdef object for_writing(object x, Call call):
    """``x`` (an ``out=`` or in-place argument) as NumPy writes into it.

    An array_core array becomes a writable NumPy view (a read-only one stays
    read-only, so NumPy raises its own error); its result comes back as it.
    """
    if type(x) is tuple:
        return tuple([for_writing(item, call) for item in <tuple>x])
    if isinstance(x, ndarray):
        view = as_numpy_for_write(<ndarray>x)
    elif type(x) is numpy_ndarray:
        view = x
    else:
        return for_reading(x, call)
    if call.outputs is None:
        call.outputs = {}
    call.outputs[id(view)] = (view, x)
    return view


cdef object wrap(object x, Call call):
    """A NumPy result as array_core (see the module docstring)."""
    cdef type t = type(x)
    if t is numpy_ndarray:
        if call.outputs is not None:
            entry = call.outputs.get(id(x))
            if entry is not None and entry[0] is x:
                return entry[1]
        if x.base is None and call.numpy_inputs is not None:
            for given in call.numpy_inputs:
                if given is x:  # NumPy returned a NumPy input itself
                    return from_numpy(x, x, False)
        return from_numpy_result(x)
    if t is tuple or t is list:
        items = [wrap(item, call) for item in x]
        return items if t is list else tuple(items)
    if isinstance(x, tuple) and hasattr(t, "_fields"):  # a named tuple
        return t(*[wrap(item, call) for item in x])
    return x


cdef bint types_allowed(object types) except -1:
    for t in types:
        if t is not ndarray and t is not numpy_ndarray and not issubclass(
                t, array_types):
            return False
    return True


def array_function(func, types, args, kwargs):
    """``ndarray.__array_function__``: see the module docstring."""
    return dispatch(func, types, args, kwargs)


cdef object dispatch(object func, object types, object args, object kwargs):
    """``array_function``'s code, installed as the class's (a C call)."""
    cdef FunctionInfo info
    cdef Call call
    cdef Py_ssize_t position
    cdef list positional
    if not types_allowed(types):
        if any_meets_dask(types):
            # array_core is a Dask chunk type now: Dask takes the call.
            return func(*args, **kwargs)
        return NotImplemented
    implementation = implementations.get(func)
    if implementation is not None:
        if kwargs:
            return implementation(*args, **kwargs)
        return implementation(*args)  # (no empty keyword dict to parse)
    info = info_of(func)
    call = Call.__new__(Call)
    positional = None
    if info.written_position >= 0 and writes_argument(info, args, kwargs):
        position = info.written_position
        if position < len(args):
            positional = list(args)
            positional[position] = for_writing(args[position], call)
        elif info.written_keyword in kwargs:
            kwargs = dict(kwargs)
            kwargs[info.written_keyword] = for_writing(
                kwargs[info.written_keyword], call)
    position = info.out_position
    if 0 <= position < len(args):
        if positional is None:
            positional = list(args)
        positional[position] = for_writing(args[position], call)
    if positional is not None:
        for i in range(len(positional)):
            if call.outputs is None or id(positional[i]) not in call.outputs:
                positional[i] = for_reading(positional[i], call)
        args = tuple(positional)
    else:
        args = for_reading(args, call)
    if kwargs:
        converted = {}
        for key, value in kwargs.items():
            if key == "out" and value is not None:
                converted[key] = for_writing(value, call)
            elif call.outputs is not None and id(value) in call.outputs:
                converted[key] = value
            else:
                converted[key] = for_reading(value, call)
        return wrap(info.implementation(*args, **converted), call)
    return wrap(info.implementation(*args), call)


cdef bint writes_argument(FunctionInfo info, tuple args, dict kwargs) except -1:
    """True when this call of an in-place function writes its argument."""
    if info.write_request is None:
        return True
    keyword, position, value = info.write_request
    if keyword in kwargs:
        return kwargs[keyword] == value
    if position < len(args):
        return args[position] == value
    return False  # the default (nan_to_num's copy=True) writes nothing


install_array_function(dispatch)
