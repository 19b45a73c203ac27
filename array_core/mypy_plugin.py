"""A mypy plugin: NumPy functions given array_core arrays return array_core arrays.

At runtime a NumPy function (or ufunc) given an array_core array returns
array_core arrays (``__array_function__`` and ``__array_ufunc__``), but
NumPy's stubs say ``numpy.ndarray``.  With this plugin, mypy says what
happens: where a call of a NumPy function or ufunc has an array_core array
among its arguments, ``numpy.ndarray`` in its result type becomes
``array_core.ndarray``.  Left alone, as at runtime: the creation functions
that do not dispatch on their data (``np.asarray``, ``np.zeros``, ... : NEP
35), and calls given a NumPy ``out=`` array (the result is that array).

Enable it in the mypy configuration of your project::

    [tool.mypy]
    plugins = ["array_core.mypy_plugin"]

Then ``reveal_type(np.sqrt(a))`` says ``array_core._array.ndarray``.
"""

from collections.abc import Callable

from mypy.nodes import Expression, ListExpr, SetExpr, TupleExpr
from mypy.plugin import FunctionContext, MethodContext, Plugin
from mypy.type_visitor import TypeTranslator
from mypy.types import (
    Instance,
    TupleType,
    Type,
    TypeAliasType,
    UnionType,
    get_proper_type,
)

ARRAY_CORE_ARRAY = "array_core._array.ndarray"
NUMPY_ARRAY = "numpy.ndarray"

# NumPy functions that make a NumPy array from their data without asking
# its type (NEP 35 keeps them from dispatching): their result stays NumPy's.
NOT_DISPATCHED = frozenset({
    "arange", "array", "asanyarray", "asarray", "asarray_chkfinite",
    "ascontiguousarray", "asfortranarray", "empty", "eye", "frombuffer",
    "fromfile", "fromfunction", "fromiter", "frompyfunc", "fromstring",
    "full", "genfromtxt", "identity", "indices", "loadtxt", "ones",
    "require", "tri", "zeros",
})
# The calls of a ufunc that return arrays.
UFUNC_METHODS = frozenset({"__call__", "reduce", "accumulate", "reduceat", "outer"})


def find_array_core(typ: Type) -> Instance | None:
    """array_core's array in ``typ`` (or in a list, tuple or union it holds)."""
    proper = get_proper_type(typ)
    if isinstance(proper, Instance):
        if proper.type.fullname == ARRAY_CORE_ARRAY:
            return proper
        items = proper.args
    elif isinstance(proper, TupleType | UnionType):
        items = tuple(proper.items)
    else:
        return None
    for item in items:
        found = find_array_core(item)
        if found is not None:
            return found
    return None


def is_numpy_array(typ: Type) -> bool:
    proper = get_proper_type(typ)
    return isinstance(proper, Instance) and proper.type.fullname == NUMPY_ARRAY


class _NumPyArrayToArrayCore(TypeTranslator):
    """Replaces every ``numpy.ndarray[...]`` in a type by ``target``."""

    def __init__(self, target: Instance) -> None:
        super().__init__()
        self.target = target

    def visit_instance(self, t: Instance) -> Type:
        if t.type.fullname == NUMPY_ARRAY:
            return self.target
        return super().visit_instance(t)

    def visit_type_alias_type(self, t: TypeAliasType) -> Type:
        # NumPy's stubs name results through aliases (NDArray[...]).
        return get_proper_type(t).accept(self)


def array_core_in(expr: Expression, ctx: FunctionContext | MethodContext,
                  ) -> Instance | None:
    """array_core's array among the values of ``expr``.

    A list or tuple display is looked into item by item: its own type was
    inferred in the context of NumPy's parameter type, which hides its items'.
    """
    if isinstance(expr, ListExpr | TupleExpr | SetExpr):
        for item in expr.items:
            found = array_core_in(item, ctx)
            if found is not None:
                return found
        return None
    return find_array_core(ctx.api.get_expression_type(expr))


def retype_result(ctx: FunctionContext | MethodContext) -> Type:
    """The call's result type, with array_core's array where NumPy's returns."""
    target = None
    for names, exprs, types in zip(ctx.arg_names, ctx.args, ctx.arg_types,
                                   strict=True):
        for name, expr, typ in zip(names, exprs, types, strict=True):
            if name == "out" and is_numpy_array(typ):
                return ctx.default_return_type  # the result is that array
            if target is None:
                target = find_array_core(typ) or array_core_in(expr, ctx)
    if target is None:
        return ctx.default_return_type
    return ctx.default_return_type.accept(_NumPyArrayToArrayCore(target))


class ArrayCorePlugin(Plugin):
    """Retypes the results of NumPy functions and ufuncs on array_core arrays."""

    def get_function_hook(
        self, fullname: str
    ) -> Callable[[FunctionContext], Type] | None:
        module, _, name = fullname.rpartition(".")
        if module.split(".")[0] == "numpy" and name not in NOT_DISPATCHED:
            return retype_result
        return None

    def get_method_hook(
        self, fullname: str
    ) -> Callable[[MethodContext], Type] | None:
        owner, _, name = fullname.rpartition(".")
        is_ufunc = "ufunc" in owner.rpartition(".")[2].lower()
        if owner.split(".")[0] == "numpy" and is_ufunc and name in UFUNC_METHODS:
            return retype_result
        return None


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point."""
    return ArrayCorePlugin

