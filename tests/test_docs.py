"""The documentation's pages: their examples hold, and their sources fit.

The examples of the pages ``docs/**/*.rst`` run as doctests here, in every
test run (the checked build's too), rather than in Sphinx's doctest builder,
which would run them only where the site is built.  The docstrings the API
reference renders have their examples run by ``test_docstrings`` (every name
of ``__all__`` and ``lib.stride_tricks``), ``test_methods`` (``ndarray``'s
members) and ``test_view_functions`` (``flatiter``'s); the README, whose
sections the pages include, by ``test_package``.  CI builds the site itself,
with warnings as errors (``.ci/run``).
"""
import doctest
import re
import sys
from pathlib import Path

import pytest

import array_core
from array_core.lib import stride_tricks

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
OPTIONS = doctest.ELLIPSIS
# The pages of the repository: not the build's, nor the reference lists and
# pages that docs/_ext and autosummary write at each build.
PAGES = sorted(
    path for path in DOCS.rglob("*.rst")
    if not {"_build", "_templates", "generated"} & set(path.parts)
    and not path.read_text(encoding="utf-8").startswith(".. This file is written"))


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
