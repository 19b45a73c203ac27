# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""The arithmetic operators and ``__array_ufunc__`` of array_core arrays.

NumPy computes: an operator runs NumPy's own operator on zero-copy
read-only NumPy views of the operands, an in-place operator on a writable
view of the array written (a lazy copy materialises first, through the copy
choke point), and a ufunc on NumPy views of its arguments, with ``out=``
arrays as writable views.  NumPy results come back as array_core arrays.
Operands that bring an ``__array_ufunc__`` of their own are left to NumPy's
deferral rules (a Dask collection, met first, registers array_core as a
Dask chunk type: see ``_dask``).  ``ndarray``'s operator methods call this
code through the C functions installed at import (``install_operators``).
"""
from array_core._typedefs cimport FLAG_WRITEABLE
from array_core._array cimport (
    ndarray, as_numpy, as_numpy_for_write, from_numpy_result, numpy_nested,
    install_operators, OP_MATMUL,
)

import numpy as np

from array_core._dask import meets_dask


cdef tuple _FORWARD = (
    np.ndarray.__add__,
    np.ndarray.__sub__,
    np.ndarray.__mul__,
    np.ndarray.__truediv__,
    np.ndarray.__floordiv__,
    np.ndarray.__mod__,
    np.ndarray.__divmod__,
    np.ndarray.__pow__,
    np.ndarray.__matmul__,
    np.ndarray.__and__,
    np.ndarray.__or__,
    np.ndarray.__xor__,
    np.ndarray.__lshift__,
    np.ndarray.__rshift__,
)


cdef tuple _REFLECTED = (
    np.ndarray.__radd__,
    np.ndarray.__rsub__,
    np.ndarray.__rmul__,
    np.ndarray.__rtruediv__,
    np.ndarray.__rfloordiv__,
    np.ndarray.__rmod__,
    np.ndarray.__rdivmod__,
    np.ndarray.__rpow__,
    np.ndarray.__rmatmul__,
    np.ndarray.__rand__,
    np.ndarray.__ror__,
    np.ndarray.__rxor__,
    np.ndarray.__rlshift__,
    np.ndarray.__rrshift__,
)


cdef tuple _INPLACE = (
    np.ndarray.__iadd__,
    np.ndarray.__isub__,
    np.ndarray.__imul__,
    np.ndarray.__itruediv__,
    np.ndarray.__ifloordiv__,
    np.ndarray.__imod__,
    None,
    np.ndarray.__ipow__,
    np.ndarray.__imatmul__,
    np.ndarray.__iand__,
    np.ndarray.__ior__,
    np.ndarray.__ixor__,
    np.ndarray.__ilshift__,
    np.ndarray.__irshift__,
)


# Their ufuncs, for operands with an __array_ufunc__ of their own.
cdef tuple _UFUNCS = (
    np.add,
    np.subtract,
    np.multiply,
    np.true_divide,
    np.floor_divide,
    np.remainder,
    np.divmod,
    np.power,
    np.matmul,
    np.bitwise_and,
    np.bitwise_or,
    np.bitwise_xor,
    np.left_shift,
    np.right_shift,
)


# Operands NumPy takes as they are: no conversion, no object arrays.
cdef tuple _PLAIN_OPERANDS = (int, float, complex, str, bytes, np.generic, np.ndarray)


cdef object numpy_operand(object other):
    """``other`` as an arithmetic operator of NumPy should get it.

    array_core arrays become read-only NumPy views.  An object NumPy could
    only hold in an object array (which array_core cannot) gives
    NotImplemented, so that Python's protocol tries the other operand's
    reflected method.  Objects with ``__array_ufunc__`` or
    ``__array_priority__`` go to NumPy untouched: NumPy's deferral rules
    (``binop_should_defer``) decide for them.
    """
    if isinstance(other, ndarray):
        return as_numpy(<ndarray>other)
    if isinstance(other, _PLAIN_OPERANDS):
        return other
    t = type(other)
    if hasattr(t, "__array_ufunc__") or hasattr(t, "__array_priority__"):
        return other
    converted = np.asarray(numpy_nested(other))
    if converted.dtype.hasobject:
        return NotImplemented
    return converted


cdef object binary_operator(ndarray self, object other, int op, bint reflected):
    """``self <op> other`` (or ``other <op> self``) by NumPy's operator."""
    if has_foreign_override(other):
        # The override must see array_core arrays: the ufunc, called on self,
        # dispatches to it (our __array_ufunc__ gives way).
        ufunc = (<tuple>_UFUNCS)[op]
        return ufunc(other, self) if reflected else ufunc(self, other)
    operand = numpy_operand(other)
    if operand is NotImplemented:
        return NotImplemented
    method = (<tuple>(_REFLECTED if reflected else _FORWARD))[op]
    return from_numpy_result(method(as_numpy(self), operand))


cdef object inplace_operator(ndarray self, object other, int op):
    """``self <op>= other``: NumPy's in-place operator on a writable view.

    The view is made as for a ufunc's ``out=``: a lazy copy materialises
    first (through the copy choke point), and a read-only array gets NumPy's
    "output array is read-only".
    """
    if has_foreign_override(other):
        ufunc = (<tuple>_UFUNCS)[op]
        if op == OP_MATMUL:
            return ufunc(self, other, out=(self,), axes=[(-2, -1)] * 3)
        return ufunc(self, other, out=(self,))
    operand = numpy_operand(other)
    if operand is NotImplemented:
        return NotImplemented
    result = (<tuple>_INPLACE)[op](as_numpy_for_write(self), operand)
    if result is NotImplemented:
        return NotImplemented
    return self


# ------------------------------------------------------------ ufuncs

cdef object _own_array_ufunc = ndarray.__array_ufunc__
cdef object _numpy_array_ufunc = np.ndarray.__array_ufunc__


cdef bint has_foreign_override(object x):
    """True when ``x`` brings an ``__array_ufunc__`` other than ours or NumPy's."""
    cdef object t = type(x)
    if t is ndarray or t is np.ndarray or t is float or t is int:
        return False
    if isinstance(x, _PLAIN_OPERANDS) and not isinstance(x, np.ndarray):
        return False
    override = getattr(type(x), "__array_ufunc__", None)
    return (override is not None and override is not _own_array_ufunc
            and override is not _numpy_array_ufunc)


cdef object give_way(object ufunc, str method, tuple inputs, dict kwargs,
                     object other):
    """NotImplemented, for ``other``'s override; but the first Dask
    collection met registers array_core as a Dask chunk type, and the ufunc
    is called again, for Dask to take (see ``_dask``)."""
    if meets_dask(other):
        return getattr(ufunc, method)(*inputs, **kwargs)
    return NotImplemented


cdef object ufunc_argument(object x):
    """A ufunc argument with array_core arrays as read-only NumPy views."""
    if isinstance(x, ndarray):
        return as_numpy(<ndarray>x)
    return numpy_nested(x)


cdef object run_ufunc(object ufunc, str method, tuple inputs, dict kwargs):
    """``getattr(ufunc, method)(*inputs, **kwargs)`` on NumPy views, rewrapped.

    As NumPy's ndarray.__array_ufunc__, any other override makes this
    NotImplemented.  Every array_core array in any argument is converted
    (else NumPy would call us again for ever): outputs, and the first
    argument of ``at`` (which it writes), become writable views.
    """
    cdef dict outputs = {}
    cdef Py_ssize_t i
    if not kwargs and method == "__call__":
        # The common case (operators, plain calls): inputs only.
        for x in inputs:
            if has_foreign_override(x):
                return give_way(ufunc, method, inputs, kwargs, x)
        if len(inputs) == 1:
            return wrap_ufunc_result(ufunc(ufunc_argument(inputs[0])), outputs)
        if len(inputs) == 2:
            return wrap_ufunc_result(ufunc(ufunc_argument(inputs[0]),
                                           ufunc_argument(inputs[1])), outputs)
    out = kwargs.get("out")
    outs = () if out is None else out if type(out) is tuple else (out,)
    for x in inputs + outs:
        if has_foreign_override(x):
            return give_way(ufunc, method, inputs, kwargs, x)
    for key, value in kwargs.items():
        if key != "out" and has_foreign_override(value):
            return give_way(ufunc, method, inputs, kwargs, value)
    args = list(inputs)
    for i in range(len(args)):
        if i == 0 and method == "at" and isinstance(args[0], ndarray):
            # NumPy 2.4's at() writes even into a read-only array: refuse.
            if not (<ndarray>args[0]).flags_ & FLAG_WRITEABLE:
                raise ValueError("output array is read-only")
            args[0] = as_numpy_for_write(<ndarray>args[0])
        else:
            args[i] = ufunc_argument(args[i])
    for key, value in kwargs.items():
        if key != "out":
            kwargs[key] = ufunc_argument(value)
    if out is not None:
        converted = []
        for o in outs:
            if isinstance(o, ndarray):
                view = as_numpy_for_write(<ndarray>o)
                outputs[id(view)] = o
                converted.append(view)
            else:
                if o is not None:
                    outputs[id(o)] = o
                converted.append(o)
        kwargs["out"] = tuple(converted) if type(out) is tuple else converted[0]
    result = getattr(ufunc, method)(*args, **kwargs)
    return wrap_ufunc_result(result, outputs)


cdef object wrap_ufunc_result(object result, dict outputs):
    """A ufunc's result with NumPy arrays as array_core arrays.

    The NumPy view made for an ``out=`` array comes back as that array (a
    NumPy ``out=`` array as itself); NumPy scalars stay scalars.
    """
    if type(result) is tuple:
        return tuple([wrap_ufunc_result(r, outputs) for r in result])
    if type(result) is np.ndarray:
        if outputs:
            original = outputs.get(id(result))
            if original is not None:
                return original
        return from_numpy_result(result)
    return result


install_operators(binary_operator, inplace_operator, run_ufunc)
