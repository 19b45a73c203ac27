"""The public API's docstrings: numpydoc sections, and Examples that run.

Every public name of ``array_core`` (its ``__all__``) and of
``array_core.lib.stride_tricks`` must have a numpydoc docstring with
``Parameters`` (when it takes any), ``Returns`` or ``Yields`` (functions)
and ``Examples``, whose examples all pass as doctests.
"""

import doctest
import inspect
import re

import pytest

import array_core
from array_core.lib import stride_tricks

PUBLIC = {f"array_core.{name}": getattr(array_core, name)
          for name in array_core.__all__}
PUBLIC.update({f"array_core.lib.stride_tricks.{name}": getattr(stride_tricks, name)
               for name in stride_tricks.__all__})

# A numpydoc section title: a line, then dashes of exactly its length.
_SECTION = re.compile(r"^ *(\S[^\n]*?)\n *(-+)$", re.MULTILINE)


def sections(doc):
    """The numpydoc section titles of ``doc``, in order.

    A title underlined with the wrong number of dashes is an error (Sphinx
    with numpydoc would not see the section).
    """
    titles = []
    for match in _SECTION.finditer(inspect.cleandoc(doc)):
        title, dashes = match.group(1), match.group(2)
        assert len(dashes) == len(title), (
            f"section {title!r} is underlined with {len(dashes)} dashes")
        titles.append(title)
    return titles


def takes_parameters(obj):
    """Whether calling ``obj`` (or constructing it, for a class) takes any
    argument; exception classes take only their message."""
    if inspect.isclass(obj):
        if issubclass(obj, BaseException) or "__init__" not in vars(obj):
            return False
        obj = obj.__init__
    try:
        parameters = inspect.signature(obj).parameters
    except ValueError:  # a builtin without a signature
        return True
    return any(name != "self" for name in parameters)


@pytest.mark.parametrize("qualified", sorted(PUBLIC))
def test_docstring_has_the_numpydoc_sections(qualified):
    obj = PUBLIC[qualified]
    doc = obj.__doc__
    assert doc and doc.strip(), f"{qualified} has no docstring"
    titles = sections(doc)
    assert len(titles) == len(set(titles)), titles
    assert "Examples" in titles, f"{qualified}: no Examples section"
    if takes_parameters(obj):
        assert "Parameters" in titles, f"{qualified}: no Parameters section"
    if not inspect.isclass(obj):
        assert "Returns" in titles or "Yields" in titles, (
            f"{qualified}: no Returns or Yields section")
    summary = inspect.cleandoc(doc).split("\n\n", 1)[0]
    assert "\n" not in summary, f"{qualified}: the summary is not one line"


@pytest.mark.parametrize("qualified", sorted(PUBLIC))
def test_documented_parameters_match_the_signature(qualified):
    """The names under ``Parameters`` are the callable's own parameters
    (``*args``-style callables document the arguments they unpack)."""
    obj = PUBLIC[qualified]
    if inspect.isclass(obj) and not takes_parameters(obj):
        return
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        signature = inspect.signature(target)
    except (ValueError, TypeError):
        pytest.skip("no signature to compare with")
    parameters = [name for name, p in signature.parameters.items()
                  if name != "self"]
    kinds = {p.kind for p in signature.parameters.values()}
    doc = inspect.cleandoc(obj.__doc__)
    block = re.search(r"^Parameters\n-+\n(.*?)(?:\n\n\S[^\n]*\n-+\n|\Z)", doc,
                      re.MULTILINE | re.DOTALL)
    if block is None:
        assert not parameters
        return
    documented = []
    for line in block.group(1).splitlines():
        if line and not line[0].isspace():
            for name in line.split(" : ")[0].split(","):
                documented.append(name.strip().lstrip("*"))
    if kinds <= {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}:
        return  # arange(*args, **kwargs): its arguments are NumPy's
    assert documented == [name for name in parameters if name in documented], (
        "documented out of order", documented, parameters)
    missing = [name for name in parameters
               if name not in documented
               and signature.parameters[name].kind
               not in (inspect.Parameter.VAR_POSITIONAL,
                       inspect.Parameter.VAR_KEYWORD)]
    assert not missing, f"{qualified}: undocumented parameters {missing}"
    unknown = set(documented) - set(parameters)
    assert not unknown, f"{qualified}: documents {sorted(unknown)}, not parameters"


@pytest.mark.parametrize("qualified", sorted(PUBLIC))
def test_docstring_examples_run(qualified):
    """The docstring's own examples (not its methods') pass as doctests."""
    obj = PUBLIC[qualified]
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = [t for t in finder.find(obj, qualified, globs={}) if t.examples]
    assert tests, f"{qualified}: no examples"
    for test in tests:
        runner.run(test)
    assert runner.failures == 0, f"{qualified}: {runner.failures} failing examples"


def test_a_failing_example_fails():
    """The runner above reports a wrong example (so the test can fail)."""
    def wrong():
        """
        >>> 1 + 1
        3
        """
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder(recurse=False).find(wrong, "wrong", globs={}):
        runner.run(test, out=lambda text: None)
    assert runner.failures == 1
