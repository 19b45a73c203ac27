"""The documentation's examples hold, and the site's sources fit together.

The API reference renders the docstrings of every public name
(``array_core.__all__``, ``array_core.lib.stride_tricks``), whose examples
``test_docstrings`` runs, and of the members of its classes (``ndarray``'s
methods and attributes, ...), whose examples run here, as do those of the
pages ``docs/**/*.rst``.  They run in every test run (the checked build's
too), rather than in Sphinx's doctest builder, which would run them only
where the docs are built.  The README, whose sections the pages include, is
doctested by ``test_package``.  CI builds the site itself, with warnings as
errors (``.ci/run``).
"""
import doctest
import inspect
import re
import sys
from pathlib import Path

import pytest

import array_core
from array_core.lib import stride_tricks

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
OPTIONS = doctest.ELLIPSIS


def _own(obj):
    """Whether ``obj`` is array_core's (not NumPy's, re-exported)."""
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "array_core"


def _class_members():
    """{name: object} for the public members of the reference's classes."""
    found = {}
    for module, prefix in ((array_core, ""), (stride_tricks, "lib.stride_tricks.")):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and _own(obj):
                for member, value in vars(obj).items():
                    if not member.startswith("_"):
                        found[f"{prefix}{name}.{member}"] = value
    return found


DOCUMENTED = _class_members()
WITH_EXAMPLES = sorted(name for name, obj in DOCUMENTED.items()
                       if ">>>" in (getattr(obj, "__doc__", None) or ""))
PAGES = sorted(path for path in DOCS.rglob("*.rst")
               if "_build" not in path.parts and "generated" not in path.parts)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_member_examples_hold(name):
    test = doctest.DocTestParser().get_doctest(
        DOCUMENTED[name].__doc__, {}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    runner.run(test, out=sys.stdout.write)
    assert runner.failures == 0


def test_the_examples_are_found():
    """That the collection above finds the members' examples at all (not a
    coverage target)."""
    assert len(WITH_EXAMPLES) > 50


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_hold(page):
    failures, _ = doctest.testfile(str(page), module_relative=False,
                                   optionflags=OPTIONS, verbose=False)
    assert failures == 0


def _include_markers():
    """(page, option, text) for each README marker a page's include names."""
    marker = re.compile(r"^\s+:(start-after|end-before): (.+)$")
    for page in PAGES:
        for line in page.read_text(encoding="utf-8").splitlines():
            if match := marker.match(line):
                yield page.relative_to(DOCS), match[1], match[2]


def test_pages_include_sections_the_readme_has():
    """Each section a page includes is found in the README exactly once (a
    renamed heading would make the page include the wrong text, or fail)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    markers = list(_include_markers())
    assert len(markers) > 6
    for page, option, text in markers:
        assert readme.count(text) == 1, (page, option, text)


def test_the_reference_lists_every_public_name():
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import public_api
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    for module in (array_core, stride_tricks):
        page = public_api.reference_page(module.__name__, module.__name__, "")
        listed = set(re.findall(r"^(?:   |\.\. function:: |- :obj:`array_core\.)(\w+)",
                                page, re.MULTILINE))
        assert set(module.__all__) <= listed, set(module.__all__) - listed


def test_ci_builds_the_site_with_the_readme_command():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Documentation")
    fence = next(i for i in range(start, len(lines)) if lines[i].strip() == "```sh")
    command = lines[fence + 1].strip()
    assert "sphinx -W" in command and "docs/_build/html" in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci, f".ci/run does not run the README's {command!r}"
