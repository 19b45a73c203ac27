"""Sphinx configuration of array_core's documentation.

Build it from the repository root (see the README's "Documentation"):
``python3 -m sphinx -W --keep-going -b html docs docs/_build/html``.
Everything renders offline: no intersphinx, no theme asset from a CDN.
"""
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
# The array_core of this tree (its compiled modules built in place), and the
# local extension that lists the public names.
sys.path.insert(0, str(DOCS.parent))
sys.path.insert(0, str(DOCS / "_ext"))

import array_core  # noqa: E402

project = "array_core"
author = "the array_core developers"
copyright = f"2026, {author}"
release = version = array_core.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",  # the pages include sections of README.md
    "public_api",
    "signatures",
]
# An included README section may hold subsections ("### Type checking"):
# MyST nests them under the page's own section, and says their level starts
# below H1, which is intended here.
suppress_warnings = ["myst.header"]
templates_path = ["_templates"]
exclude_patterns = ["_build"]
root_doc = "index"

# numpydoc's `name` in a docstring: a link when it names an object, else
# emphasis (a parameter, say).
default_role = "autolink"
autosummary_generate = True
autosummary_ignore_module_all = False
autodoc_typehints = "none"  # the signatures say enough; the stubs hold the types
numpydoc_show_class_members = False  # the class template lists them
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = f"array_core {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    # The search field beside the four section links wrapped onto a second
    # header row at 1280 pixels: a search button fits.
    "navbar_persistent": ["search-button"],
    # Previous/next links at each page's foot: on the reference pages their
    # long names were cut off, and the sidebars already lead everywhere.
    "show_prev_next": False,
}
# The pages outside the reference have no subpages: no empty left sidebar.
html_sidebars = {page: [] for page in ("index", "tour", "copy-control", "numpy")}
html_show_sourcelink = False
