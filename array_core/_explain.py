"""``explain``: say, step by step, which operations view and which copy, and why.

An expression string is parsed with ``ast`` and evaluated one operation at a
time (attribute access such as ``.T``, method calls, subscripts, module
functions such as ``array_core.reshape``, arithmetic).  Each operation runs
inside a `copy_audit`; its result is classified against its input array:

* VIEW  -- a new array on the input's memory;
* COPY  -- new memory filled from the input, with the category and the reason
  in words from the strides (and the order that would have given a view);
* SAME  -- the input itself is returned;
* NEW   -- a new array computed from the input (arithmetic, creation);
* VALUE -- not an array (a scalar, a tuple, ...);
* ERROR -- the operation raised.

A callable is run under a `copy_audit` instead, and its copies are reported
with their reasons and lines.
"""
from __future__ import annotations

import argparse
import ast
import builtins
import dataclasses
import operator as _op
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from array_core import _array
from array_core._control import CopyRecord, _short_path, copy_audit

__all__ = ["Explanation", "ExplainStep", "explain", "main_explain"]

_ARRAY = _array.ndarray
# Names an expression may use for the libraries: ``array_core`` and ``ac`` for
# array_core, ``np`` for NumPy itself (NumPy's functions and methods then run
# on array_core arrays through ``__array_function__``, as users write them).
_MODULE_NAMES = ("array_core", "ac", "np")
_POSITIONAL_NAMES = ("x", "y", "z", "w", "u", "v")


@dataclasses.dataclass
class ExplainStep:
    """One traced operation."""

    text: str                     # the expression (or statement) evaluated
    kind: str                     # VIEW, COPY, SAME, NEW, VALUE or ERROR
    input_label: str | None       # what it was applied to
    result: Any = None
    copies: list[CopyRecord] = dataclasses.field(default_factory=list)
    error: str | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.category for r in self.copies))

    @property
    def nbytes(self) -> int:
        return sum(r.nbytes for r in self.copies)


class Explanation(str):
    """The report text, with the traced steps in ``steps`` and the final
    value in ``result``."""

    steps: list[ExplainStep]
    result: Any

    def __new__(cls, text: str, steps: list[ExplainStep], result: Any) -> Explanation:
        self = super().__new__(cls, text)
        self.steps = steps
        self.result = result
        return self

    def __repr__(self) -> str:
        return str(self)


# ------------------------------------------------------------ describing arrays


def _flag_words(a: Any) -> str:
    f = a.flags
    words = [name for name in ("C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA")
             if f[name]]
    if not f["WRITEABLE"]:
        words.append("READONLY")
    return " ".join(words) or "non-contiguous"


def describe_array(a: Any) -> str:
    """``shape (2, 3)  strides (24, 8)  float64  C_CONTIGUOUS`` for an array."""
    if isinstance(a, (_ARRAY, np.ndarray)):
        kind = "" if isinstance(a, _ARRAY) else "numpy "
        return (f"{kind}shape {a.shape}  strides {a.strides}  {a.dtype}  "
                f"{_flag_words(a)}")
    text = repr(a)
    return text if len(text) <= 60 else text[:57] + "..."


def _shares_memory(a: Any, b: Any) -> bool:
    try:
        return bool(np.shares_memory(np.asarray(a), np.asarray(b)))
    except Exception:
        return False


def _classify(result: Any, source: Any, copies: list[CopyRecord]) -> str:
    if copies:
        return "COPY"
    if not isinstance(result, (_ARRAY, np.ndarray)):
        return "VALUE"
    if source is None:
        return "NEW"
    if result is source:
        return "SAME"
    if isinstance(source, (_ARRAY, np.ndarray)) and _shares_memory(result, source):
        return "VIEW"
    return "NEW"


# ------------------------------------------------------------ the tracer


class _StepFailed(Exception):
    """An operation raised; the step that records it is already in the list."""


class _Tracer:
    """Evaluates an ``ast`` tree one array operation at a time."""

    def __init__(self, source: str, namespace: dict[str, Any],
                 labels: dict[int, str]) -> None:
        self.source = source
        self.namespace = namespace
        self.labels = labels           # id(array) -> the name or text it came from
        self.steps: list[ExplainStep] = []

    def text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ast.unparse(node)

    def label(self, value: Any, fallback: str) -> str:
        return self.labels.get(id(value), fallback)

    # -- statements

    def run(self, tree: ast.Module) -> Any:
        result = None
        for stmt in tree.body:
            if isinstance(stmt, ast.Expr):
                result = self.eval(stmt.value)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                value = self.eval(stmt.value)
                self.assign(stmt.targets[0], value, stmt)
                result = value
            else:
                raise ValueError(f"explain cannot trace the statement "
                                 f"{self.text(stmt)!r}; use expressions and "
                                 f"'name = expression' assignments")
        return result

    def assign(self, target: ast.expr, value: Any, stmt: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            self.namespace[target.id] = value
            if isinstance(value, (_ARRAY, np.ndarray)):
                self.labels[id(value)] = target.id
            return
        if isinstance(target, ast.Attribute):
            obj = self.eval(target.value)
            self.step(self.text(stmt), obj, target.value,
                      lambda: setattr(obj, target.attr, value), in_place=True)
            return
        if isinstance(target, ast.Subscript):
            obj = self.eval(target.value)
            key = self.eval(target.slice)
            self.step(self.text(stmt), obj, target.value,
                      lambda: obj.__setitem__(key, value), in_place=True)
            return
        raise ValueError(f"explain cannot trace the assignment {self.text(stmt)!r}")

    # -- one operation

    def step(self, text: str, source: Any, source_node: ast.AST | None,
             operation: Callable[[], Any], in_place: bool = False) -> Any:
        """Run ``operation`` under an audit and record what it did."""
        input_label = None
        if source is not None and source_node is not None:
            input_label = self.label(source, self.text(source_node))
        with copy_audit() as log:
            try:
                result = operation()
            except Exception as exc:
                self.steps.append(ExplainStep(text, "ERROR", input_label,
                                              error=f"{type(exc).__name__}: {exc}",
                                              copies=list(log)))
                raise _StepFailed from exc
        copies = list(log)
        if in_place:
            kind = "COPY" if copies else "IN PLACE"
            result = source
        else:
            kind = _classify(result, source, copies)
        self.steps.append(ExplainStep(text, kind, input_label, result, copies))
        if isinstance(result, (_ARRAY, np.ndarray)) and id(result) not in self.labels:
            self.labels[id(result)] = text
        return result

    # -- expressions

    def eval(self, node: ast.AST) -> Any:
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return self.eval_generic(node)
        return method(node)

    def eval_generic(self, node: ast.AST) -> Any:
        if not isinstance(node, ast.expr):
            raise TypeError(f"cannot evaluate {type(node).__name__}")
        code = compile(ast.Expression(body=node), "<explain>", "eval")
        return eval(code, {"__builtins__": builtins}, self.namespace)

    def eval_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def eval_Name(self, node: ast.Name) -> Any:
        try:
            return self.namespace[node.id]
        except KeyError:
            pass
        try:
            return getattr(builtins, node.id)
        except AttributeError:
            raise NameError(f"name {node.id!r} is not defined (give it as a "
                            f"keyword argument of explain)") from None

    def eval_Tuple(self, node: ast.Tuple) -> Any:
        return tuple(self.eval(e) for e in node.elts)

    def eval_List(self, node: ast.List) -> Any:
        return [self.eval(e) for e in node.elts]

    def eval_Slice(self, node: ast.Slice) -> Any:
        return slice(*(None if n is None else self.eval(n)
                       for n in (node.lower, node.upper, node.step)))

    def eval_Attribute(self, node: ast.Attribute) -> Any:
        obj = self.eval(node.value)
        if isinstance(obj, (_ARRAY, np.ndarray)):
            return self.step(self.text(node), obj, node.value,
                             lambda: getattr(obj, node.attr))
        return getattr(obj, node.attr)

    def eval_Subscript(self, node: ast.Subscript) -> Any:
        obj = self.eval(node.value)
        key = self.eval(node.slice)
        if isinstance(obj, (_ARRAY, np.ndarray)):
            return self.step(self.text(node), obj, node.value, lambda: obj[key])
        return obj[key]

    def eval_Call(self, node: ast.Call) -> Any:
        receiver: Any = None
        receiver_node: ast.AST | None = None
        if isinstance(node.func, ast.Attribute):
            receiver = self.eval(node.func.value)
            if isinstance(receiver, (_ARRAY, np.ndarray)):
                receiver_node = node.func.value
                func = getattr(receiver, node.func.attr)
            else:
                func = getattr(receiver, node.func.attr)
                receiver = None
        else:
            func = self.eval(node.func)
        args: list[Any] = []
        arg_nodes: list[ast.AST] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                args.extend(self.eval(a.value))
            else:
                args.append(self.eval(a))
                arg_nodes.append(a)
        kwargs: dict[str, Any] = {}
        for k in node.keywords:
            if k.arg is None:
                kwargs.update(self.eval(k.value))
            else:
                kwargs[k.arg] = self.eval(k.value)
        if receiver is None:
            # A module function: its input is its first array argument.
            for a, n in zip(args, arg_nodes, strict=False):
                if isinstance(a, (_ARRAY, np.ndarray)):
                    receiver, receiver_node = a, n
                    break
        if receiver is None and not any(isinstance(a, (_ARRAY, np.ndarray))
                                        for a in args):
            # Creation (arange, zeros, ...): a step only if it makes an array.
            result = func(*args, **kwargs)
            if isinstance(result, (_ARRAY, np.ndarray)):
                self.steps.append(ExplainStep(self.text(node), "NEW", None, result))
                self.labels.setdefault(id(result), self.text(node))
            return result
        return self.step(self.text(node), receiver, receiver_node,
                         lambda: func(*args, **kwargs))

    def _operator(self, node: ast.AST, operands: list[ast.AST],
                  compute: Callable[..., Any]) -> Any:
        values = [self.eval(n) for n in operands]
        arrays = [(v, n) for v, n in zip(values, operands, strict=True)
                  if isinstance(v, (_ARRAY, np.ndarray))]
        if not arrays:
            return compute(*values)
        source, source_node = arrays[0]
        return self.step(self.text(node), source, source_node,
                         lambda: compute(*values))

    def eval_BinOp(self, node: ast.BinOp) -> Any:
        op = _BINARY[type(node.op)]
        return self._operator(node, [node.left, node.right], op)

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        op = _UNARY[type(node.op)]
        return self._operator(node, [node.operand], op)

    def eval_Compare(self, node: ast.Compare) -> Any:
        if len(node.ops) != 1:
            return self.eval_generic(node)
        op = _COMPARE[type(node.ops[0])]
        return self._operator(node, [node.left, node.comparators[0]], op)


_BINARY = {ast.Add: _op.add, ast.Sub: _op.sub, ast.Mult: _op.mul,
           ast.Div: _op.truediv, ast.FloorDiv: _op.floordiv, ast.Mod: _op.mod,
           ast.Pow: _op.pow, ast.MatMult: _op.matmul, ast.BitAnd: _op.and_,
           ast.BitOr: _op.or_, ast.BitXor: _op.xor, ast.LShift: _op.lshift,
           ast.RShift: _op.rshift}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: _op.neg, ast.UAdd: _op.pos, ast.Invert: _op.invert, ast.Not: _op.not_}
_COMPARE = {ast.Eq: _op.eq, ast.NotEq: _op.ne, ast.Lt: _op.lt, ast.LtE: _op.le,
            ast.Gt: _op.gt, ast.GtE: _op.ge, ast.Is: _op.is_,
            ast.IsNot: _op.is_not}


# ------------------------------------------------------------ the report


_KIND_WORDS = {
    "VIEW": "a view of {src}: same memory, new shape/strides",
    "SAME": "{src} itself: no new array",
    "NEW": "a new array computed from {src}",
    "VALUE": "not an array",
    "IN PLACE": "written in place into {src}: no view or copy",
}


def _format_step(i: int, step: ExplainStep) -> list[str]:
    src = step.input_label or "the arguments"
    if step.kind == "COPY":
        head = (f"COPY ({', '.join(step.categories)}) of {src}, "
                f"{step.nbytes} bytes")
    elif step.kind == "ERROR":
        head = "ERROR"
    else:
        head = f"{step.kind}: {_KIND_WORDS[step.kind].format(src=src)}"
    lines = [f"{i}. {step.text}", f"     {head}"]
    if step.kind == "ERROR":
        lines.append(f"     raised {step.error}")
    elif step.kind not in ("IN PLACE",):
        lines.append(f"     {describe_array(step.result)}")
    for r in step.copies:
        if len(step.copies) > 1 or r.operation not in step.text:
            lines.append(f"     {r.operation} copied {r.nbytes} bytes from shape "
                         f"{r.shape} strides {r.strides}")
        first, *rest = r.reason.split("; ")
        lines.append(f"     why: {first}")
        lines.extend(f"          {part}" for part in rest)
    return lines


def _summary_line(steps: list[ExplainStep]) -> str:
    views = sum(s.kind == "VIEW" for s in steps)
    copies = [r for s in steps for r in s.copies]
    nbytes = sum(r.nbytes for r in copies)
    return (f"{len(steps)} step{'s' * (len(steps) != 1)}: {views} "
            f"view{'s' * (views != 1)}, {len(copies)} "
            f"cop{'y' if len(copies) == 1 else 'ies'} ({nbytes} bytes)")


def _explain_source(source: str, arrays: Sequence[Any],
                    named: dict[str, Any]) -> Explanation:
    import array_core

    tree = ast.parse(source.strip(), mode="exec")
    source = source.strip()
    namespace: dict[str, Any] = {"array_core": array_core, "ac": array_core,
                                 "np": np}
    if arrays:
        free = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                and n.id not in _MODULE_NAMES and n.id not in named]
        free = list(dict.fromkeys(free))
        candidates = [n for n in free if n in _POSITIONAL_NAMES] or free
        if len(arrays) > len(candidates):
            raise TypeError(f"explain got {len(arrays)} arrays but the expression "
                            f"names only {candidates}")
        named = {**dict(zip(candidates, arrays, strict=False)), **named}
    # NumPy inputs are viewed (zero-copy) as array_core arrays, so every
    # operation is array_core's and every copy is seen by the audit.
    named = {k: array_core.asarray(v) if isinstance(v, np.ndarray) else v
             for k, v in named.items()}
    namespace.update(named)
    labels = {id(v): k for k, v in named.items()
              if isinstance(v, (_ARRAY, np.ndarray))}
    tracer = _Tracer(source, namespace, labels)
    result = None
    failed = False
    try:
        result = tracer.run(tree)
    except _StepFailed:
        failed = True
    lines = [f"explain: {source}"]
    for name, value in named.items():
        lines.append(f"  {name}: {describe_array(value)}")
    lines.append("")
    for i, step in enumerate(tracer.steps, 1):
        lines.extend(_format_step(i, step))
    if not tracer.steps:
        lines.append("(no array operation)")
    lines.append("")
    if failed:
        lines.append(f"stopped at step {len(tracer.steps)}: "
                     f"{tracer.steps[-1].error}")
    else:
        lines.append(f"result: {describe_array(result)}")
        inputs = [(k, v) for k, v in named.items()
                  if isinstance(v, (_ARRAY, np.ndarray))]
        if isinstance(result, (_ARRAY, np.ndarray)):
            for k, v in inputs:
                lines.append(f"  shares memory with {k}: "
                             f"{'yes' if _shares_memory(result, v) else 'no'}")
    lines.append(_summary_line(tracer.steps))
    return Explanation("\n".join(lines), tracer.steps, result)


def _explain_callable(fn: Callable[..., Any], arrays: Sequence[Any],
                      named: dict[str, Any]) -> Explanation:
    name = getattr(fn, "__qualname__", repr(fn))
    lines = [f"explain: {name}(...)"]
    for i, a in enumerate(arrays):
        lines.append(f"  argument {i}: {describe_array(a)}")
    for k, a in named.items():
        lines.append(f"  {k}: {describe_array(a)}")
    lines.append("")
    with copy_audit() as log:
        result = fn(*arrays, **named)
    steps = [ExplainStep(f"{r.operation} at {_short_path(r.filename)}:{r.lineno}",
                         "COPY", None, None, [r]) for r in log]
    for i, r in enumerate(log, 1):
        lines.append(f"{i}. {r.operation} at {_short_path(r.filename)}:{r.lineno} "
                     f"(in {r.function})")
        lines.append(f"     -> COPY ({r.category}), {r.nbytes} bytes, source shape "
                     f"{r.shape} strides {r.strides} {r.dtype}")
        lines.append(f"     why: {r.reason}")
    if not len(log):
        lines.append("no copies were made")
    lines.append("")
    lines.append(f"result: {describe_array(result)}")
    if isinstance(result, (_ARRAY, np.ndarray)):
        inputs: list[tuple[int | str, Any]] = [*enumerate(arrays), *named.items()]
        for label, v in inputs:
            if isinstance(v, (_ARRAY, np.ndarray)):
                if result is v:
                    how = "is the argument itself"
                elif _shares_memory(result, v):
                    how = "a view of it (shares memory)"
                else:
                    how = "does not share memory"
                lines.append(f"  vs argument {label}: {how}")
    lines.append(f"{len(log)} cop{'y' if len(log) == 1 else 'ies'}, "
                 f"{log.total_bytes} bytes")
    return Explanation("\n".join(lines), steps, result)


def explain(fn: Callable[..., Any] | str, *arrays: Any, **named: Any) -> Explanation:
    """Report, step by step, which operations make views and which copy, and why.

    A string is parsed and evaluated one array operation at a time
    (attribute, subscript, call), each under a `copy_audit`: every step is
    classified VIEW (new metadata on the same memory), COPY (with the copy's
    category, bytes and the reason in words from the strides), SAME (the
    input itself), NEW (a new array that is not a copy, such as ``zeros``)
    or VALUE (not an array), and the report ends with whether the result
    shares memory with each input.  A callable is run once under a
    `copy_audit` instead, and the report lists the copies it made.  The
    same report is printed by ``python -m array_core explain EXPRESSION``.

    Parameters
    ----------
    fn : str or callable
        An expression (or ``;``-separated statements ``name = expression``)
        using array_core operations or NumPy's: ``array_core`` and ``ac``
        stand for array_core, ``np`` for NumPy (its functions and methods
        take array_core arrays).  Or a callable, which is run on ``arrays``
        and ``named``.
    *arrays : array_like
        The arrays: for a string, bound to its free names in order of
        appearance (``x``, ``y``, ``z``, ``w``, ``u``, ``v`` first); for a
        callable, its positional arguments.
    **named : object
        Arrays (or other values) bound by name for a string, keyword
        arguments for a callable.  NumPy arrays are viewed as array_core
        arrays first (without copying).

    Returns
    -------
    Explanation
        The report, a `str` (print it); its ``steps`` attribute holds the
        traced steps (each with ``text``, ``kind``, ``copies``, ``nbytes``
        and ``result``) and its ``result`` attribute the final value.

    Raises
    ------
    TypeError
        If ``fn`` is neither a string nor a callable, or if more arrays are
        given than the expression has free names.
    SyntaxError
        If the string is not valid Python.

    See Also
    --------
    copy_audit, copy_policy

    Notes
    -----
    An operation that raises does not raise out of `explain`: the report
    stops at that step, whose kind is ERROR.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.zeros((2, 3))
    >>> report = array_core.explain("x.T.reshape(6)", x=x)
    >>> print(report)
    explain: x.T.reshape(6)
      x: shape (2, 3)  strides (24, 8)  float64  C_CONTIGUOUS OWNDATA
    <BLANKLINE>
    1. x.T
         VIEW: a view of x: same memory, new shape/strides
         shape (3, 2)  strides (8, 24)  float64  F_CONTIGUOUS
    2. x.T.reshape(6)
         COPY (implicit) of x.T, 48 bytes
         shape (6,)  strides (8,)  float64  C_CONTIGUOUS F_CONTIGUOUS
         why: axes 0 and 1 cannot merge: stride 8 is not 24 * 2
              order='F' would have given a view
    <BLANKLINE>
    result: shape (6,)  strides (8,)  float64  C_CONTIGUOUS F_CONTIGUOUS
      shares memory with x: no
    2 steps: 1 view, 1 copy (48 bytes)
    >>> [step.kind for step in report.steps], report.steps[1].nbytes
    (['VIEW', 'COPY'], 48)

    A callable is run under an audit:

    >>> def transpose_copy(a):
    ...     return a.T.copy()
    >>> report = array_core.explain(transpose_copy, x)
    >>> [(r.operation, r.category) for r in report.steps[0].copies]
    [('copy', 'explicit')]
    """
    if isinstance(fn, str):
        return _explain_source(fn, arrays, named)
    if callable(fn):
        return _explain_callable(fn, arrays, named)
    raise TypeError(f"explain needs an expression string or a callable, "
                    f"not {type(fn).__name__}")


# ------------------------------------------------------------ the command line


def _parse_shape(text: str) -> tuple[int, ...]:
    text = text.strip().strip("()")
    return tuple(int(part) for part in text.split(",") if part.strip())


def add_explain_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``explain`` subcommand's arguments (for ``python -m array_core``)."""
    parser.add_argument("expression",
                        help='e.g. "x.T.reshape(6)"; ac and array_core mean '
                             "array_core, np means NumPy")
    parser.add_argument("--shape", action="append", default=None,
                        metavar="[NAME=]N,M,...",
                        help="shape of the input arrays (default 2,3); "
                             "NAME=2,3 sets one array's shape; repeatable")
    parser.add_argument("--dtype", default="float64",
                        help="dtype of the input arrays (default float64)")
    parser.add_argument("--order", default="C", choices=("C", "F"),
                        help="memory order of the input arrays (default C)")


def run_explain(args: argparse.Namespace) -> int:
    """Build the input arrays the arguments describe and print the report."""
    import array_core

    try:
        tree = ast.parse(args.expression.strip(), mode="exec")
    except SyntaxError as exc:
        print(f"explain: cannot parse {args.expression!r}: {exc.msg}",
              file=sys.stderr)
        return 2
    assigned = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
                for t in n.targets if isinstance(t, ast.Name)}
    names = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
             and n.id not in _MODULE_NAMES and n.id not in assigned
             and not hasattr(builtins, n.id)]
    names = list(dict.fromkeys(names))
    default_shape: tuple[int, ...] = (2, 3)
    shapes: dict[str, tuple[int, ...]] = {}
    for spec in args.shape or ():
        if "=" in spec:
            name, _, dims = spec.partition("=")
            shapes[name.strip()] = _parse_shape(dims)
        else:
            default_shape = _parse_shape(spec)
    arrays = {}
    for name in names or ["x"]:
        shape = shapes.get(name, default_shape)
        a = array_core.empty(shape, dtype=args.dtype, order=args.order)
        a[...] = np.arange(int(np.prod(shape)), dtype=args.dtype).reshape(shape)
        arrays[name] = a
    try:
        report = explain(args.expression, **arrays)
    except Exception as exc:  # noqa: BLE001 -- any error is the user's to read
        print(f"explain: {_one_line(exc)}", file=sys.stderr)
        return 2
    print(report)
    failed = [step for step in report.steps if step.kind == "ERROR"]
    if failed:
        print(f"explain: step {len(report.steps)} ({failed[-1].text}) raised "
              f"{(failed[-1].error or '').splitlines()[0]}", file=sys.stderr)
        return 2
    return 0


def _one_line(exc: BaseException) -> str:
    """``TypeError: message``, the message's first line only."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def main_explain(argv: Sequence[str] | None = None) -> int:
    """``python -m array_core explain ...`` as a function."""
    parser = argparse.ArgumentParser(
        prog="python -m array_core explain",
        description="Explain, step by step, which operations of an expression "
                    "make views and which copy, and why.")
    add_explain_arguments(parser)
    return run_explain(parser.parse_args(argv))
