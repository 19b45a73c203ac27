"""``python -m array_core``: the command line.

``python -m array_core`` (or ``... tour``) walks through NumPy's "Copies and
views" examples with ``np`` replaced by ``array_core``: each line shows whether
the result shares memory with its source, its ``base``, shape, strides and
flags.  ``python -m array_core explain "x.T.reshape(6)" --shape 2,3`` prints,
step by step, which operations make views and which copy, and why.
"""

import argparse
import os
import sys
import textwrap
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

import numpy

import array_core
from array_core._explain import add_explain_arguments, run_explain

# The tour fits an 80-column terminal: a longer expression gets a line of
# its own, and reasons wrap.
WIDTH = 80
CODE_WIDTH = 38
HEADER = (f"  {'expression':<{CODE_WIDTH}} {'is':<4}  {'base':<8} {'shape':<7} "
          f"{'strides':<9} flags")

LEGEND = """\
is: VIEW shares memory with its source, COPY has memory of its own, SAME is
    the source itself.
base: the source, the source's own base (views of views share one base),
    None (owns its memory), or (copy) for a new array the result views.
flags: C = C-contiguous, F = F-contiguous, O = owns its data, W = writeable.
why: for a copy, the reason array_core.explain gives (from the strides)."""


class Look:
    """Evaluate ``code`` and describe its result against the array ``source``."""

    def __init__(self, code: str, source: str = "x",
                 raises: type[Exception] | None = None) -> None:
        self.code = code
        self.source = source
        self.raises = raises

    def lines(self, namespace: dict[str, Any], explain: bool = False) -> list[str]:
        with array_core.copy_audit() as log:
            try:
                result = eval(self.code, namespace)
            except Exception as error:
                if self.raises is None or not isinstance(error, self.raises):
                    raise
                return row(self.code, describe_error(error))
        source = namespace[self.source]
        lines = row(self.code, describe(result, source, self.source))
        if explain:
            # The copy audit's reason, as `explain` gives it, for every copy.
            for record in log:
                lines += wrapped(f"why: {record.reason}", "    ", "         ")
        return lines


class Do:
    """Execute the statement ``code``, then show the value of ``show``, if any."""

    def __init__(self, code: str, show: str | None = None,
                 raises: type[Exception] | None = None) -> None:
        self.code = code
        self.show = show
        self.raises = raises

    def lines(self, namespace: dict[str, Any], explain: bool = False) -> list[str]:
        try:
            exec(self.code, namespace)
        except Exception as error:
            if self.raises is None or not isinstance(error, self.raises):
                raise
            return [f"  >>> {self.code}", *wrapped(describe_error(error), "  ")]
        if self.show is None:
            return [f"  >>> {self.code}"]
        value = repr(eval(self.show, namespace)).replace("\n", "\n  ")
        return [f"  >>> {self.code}", f"  >>> {self.show}", f"  {value}"]


# (title, setup statements, steps): the seed examples, in the order they teach.
TOUR: list[tuple[str, list[str], list[Look | Do]]] = [
    ("Basic indexing makes views", ["x = array_core.arange(10)"], [
        Look("x[1:3]"),
        Look("x[::2]"),
        Look("x[::-1]"),
        Look("x[1:][1:]"),
        Do("y = x[1:3]; x[1:3] = [10, 11]", show="y"),
    ]),
    ("Advanced indexing makes copies", ["x = array_core.arange(9).reshape(3, 3)"], [
        Look("x[[1, 2]]"),
        Look("x[[2, 1]]"),
        Do("x[[1, 2]] = [[10, 11, 12], [13, 14, 15]]", show="x"),
    ]),
    ("reshape makes a view when the strides allow, else a copy", [
        "x = array_core.arange(9)",
        "y = array_core.ones((2, 3)).T",
    ], [
        Look("x.reshape(3, 3)"),
        Look("y.reshape(6)", source="y"),
        Look("y.reshape(6, copy=False)", source="y", raises=ValueError),
        Do("z = y.view(); z.shape = 6", raises=AttributeError),
    ]),
    ("ravel and reshape(-1) view where they can; flatten always copies", [
        "x = array_core.arange(6).reshape(2, 3)",
    ], [
        Look("x.ravel()"),
        Look("x.reshape(-1)"),
        Look("x.flatten()"),
        Look("x.T.ravel()"),
        Look("x.T.ravel(order='K')"),
        Look("x.T.reshape(-1)"),
    ]),
    ("view() and copy(order)", ["x = array_core.arange(6).reshape(2, 3)"], [
        Look("x.view()"),
        Look("x.copy()"),
        Look("x.copy(order='F')"),
        Look("x.T.copy()"),
        Look("array_core.copy(x.T)"),
    ]),
    ("asarray copies only when it must", [
        "x = array_core.arange(6).reshape(2, 3)",
        "n = numpy.arange(6)",
    ], [
        Look("array_core.asarray(x)"),
        Look("array_core.asarray(x, copy=False)"),
        Look("array_core.asarray(x.T, order='C')"),
        Look("array_core.asarray(x.T, order='C', copy=False)", raises=ValueError),
        Look("array_core.asarray(n)", source="n"),
        Look("array_core.array(x)"),
    ]),
]


def flag_letters(flags: Any) -> str:
    """Flags as four letters, '-' for each one not set: e.g. ``CFOW``."""
    return "".join(letter if flags[name] else "-" for letter, name in (
        ("C", "C_CONTIGUOUS"), ("F", "F_CONTIGUOUS"),
        ("O", "OWNDATA"), ("W", "WRITEABLE")))


def base_name(result: Any, source: Any, source_name: str) -> str:
    """Name ``result.base`` by its relation to ``source``."""
    base = result.base
    if base is None:
        return "None"
    if base is source:
        return source_name
    if base is source.base:
        return f"{source_name}.base"
    if numpy.shares_memory(base, source):
        return "other"
    return "(copy)"


def describe(result: Any, source: Any, source_name: str) -> str:
    """VIEW/COPY/SAME, base, shape, strides and flags of ``result``."""
    if result is source:
        kind = "SAME"
    elif numpy.shares_memory(result, source):
        kind = "VIEW"
    else:
        kind = "COPY"
    return (f"{kind:<4}  {base_name(result, source, source_name):<8} "
            f"{result.shape!s:<7} {result.strides!s:<9} "
            f"{flag_letters(result.flags)}")


def describe_error(error: BaseException) -> str:
    """``Type: message`` of an exception, first line of the message only."""
    return f"raises {type(error).__name__}: {str(error).splitlines()[0]}"


def row(code: str, text: str) -> list[str]:
    """The table's lines for one expression: it, then what it gave."""
    if len(code) <= CODE_WIDTH and len(text) <= WIDTH - CODE_WIDTH - 3:
        return [f"  {code:<{CODE_WIDTH}} {text}"]
    if text.startswith("raises"):
        return [f"  {code}", *wrapped(text, "    ")]
    return [f"  {code}", f"  {'':<{CODE_WIDTH}} {text}"]  # a long expression


def wrapped(text: str, indent: str,
            subsequent_indent: str | None = None) -> list[str]:
    """``text`` wrapped to the tour's width, each line indented."""
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=subsequent_indent or indent + "  ",
                         break_on_hyphens=False)


def tour_steps(
    module: ModuleType = array_core, explain: bool = False
) -> Iterator[tuple[str | None, list[str]]]:
    """Run the tour with ``module`` standing for array_core: (code, lines) pairs.

    Titles and setup come with ``code`` None.  ``tour_steps(numpy)`` runs the
    same code on NumPy, the oracle the tests compare with.  With ``explain``,
    each copy is followed by the reason the copy audit gives for it.
    """
    for title, setup, steps in TOUR:
        namespace = {"array_core": module, "numpy": numpy}
        for statement in setup:
            exec(statement, namespace)
        yield None, ["", title, *[f"  {statement}" for statement in setup], HEADER]
        for step in steps:
            yield step.code, step.lines(namespace, explain)


def run_tour(args: argparse.Namespace) -> int:
    """Print the tour; return the exit status."""
    print(f"array_core {array_core.__version__}: which operations make views, "
          "and which copy.")
    print(LEGEND)
    for _, lines in tour_steps(explain=True):
        print("\n".join(lines))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``tour`` (the default) and ``explain``."""
    parser = argparse.ArgumentParser(
        prog="python -m array_core",
        description="See which array operations make views and which copy.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    tour = commands.add_parser(
        "tour", help="walk through the copy-versus-view examples (the default)")
    tour.set_defaults(run=run_tour)
    explain = commands.add_parser(
        "explain", help="say which steps of an expression view or copy, and why")
    add_explain_arguments(explain)
    explain.set_defaults(run=run_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in ``argv`` (the tour when none is); return status."""
    args = build_parser().parse_args(argv)
    status: int = getattr(args, "run", run_tour)(args)
    return status

if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours.  Point
        # stdout at devnull so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
