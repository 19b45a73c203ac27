"""Writes the API reference's lists of names from ``__all__`` as the build starts.

``reference/array_core.rst`` lists every name of ``array_core.__all__``, in
sections by the module that defines it, and ``reference/stride_tricks.rst``
those of ``array_core.lib.stride_tricks.__all__``; autosummary then writes a
page for each name from its docstring.  Both lists are generated (git ignores
them), so a new public name cannot be left out of the reference.
"""
import importlib
import inspect
import re
import shutil
from pathlib import Path

# The reference's sections, in order: a title and the modules whose names it
# lists.  A module missing here gets a section of its own, titled by its
# docstring's first line, after these.
SECTIONS = [
    ("The array", ["array_core._array", "array_core._flatiter"]),
    ("Creating arrays", ["array_core._creation", "array_core._like"]),
    ("Views: shape, axes, splits and memory",
     ["array_core._view_functions"]),
    ("Broadcasting", ["array_core._stride_tricks", "array_core.lib.stride_tricks"]),
    ("Joining arrays", ["array_core._joining"]),
    ("Repeating elements", ["array_core._repeating"]),
    ("Selecting and placing elements", ["array_core._selection"]),
    ("Seeing and controlling copies",
     ["array_core._control", "array_core._explain", "array_core"]),
]
GENERATED = Path(__file__).resolve().parent.parent / "reference"


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def autosummary(module, names):
    lines = [f".. currentmodule:: {module}", "",
             ".. autosummary::", "   :toctree: generated", "   :nosignatures:", ""]
    lines += [f"   {name}" for name in names]
    return "\n".join(lines) + "\n"


def foreign_entries(module, names):
    """Entries for names that are another library's objects, re-exported:
    their docstrings are not array_core's to render."""
    out = [f".. currentmodule:: {module}", ""]
    for name in names:
        obj = getattr(importlib.import_module(module), name)
        owner = obj.__module__
        try:
            signature = str(inspect.signature(obj))
        except (TypeError, ValueError):
            signature = "(...)"
        library = {"numpy": "NumPy"}.get(owner.split(".")[0], owner.split(".")[0])
        out += [f".. function:: {name}{signature}", "",
                f"   ``{owner}.{name}`` itself, re-exported unchanged: its",
                f"   documentation is {library}'s.", ""]
    return "\n".join(out)


def reference_page(module, title, intro):
    """The reference page of ``module``'s ``__all__``, as rst."""
    mod = importlib.import_module(module)
    top = importlib.import_module("array_core")
    by_module, foreign, elsewhere = {}, [], []
    for name in sorted(mod.__all__, key=str.lower):
        obj = getattr(mod, name)
        if module != "array_core" and getattr(top, name, None) is obj:
            elsewhere.append(name)  # documented once, under array_core
            continue
        owner = getattr(obj, "__module__", None) or module
        if owner.split(".")[0] != "array_core":
            foreign.append(name)
        else:
            by_module.setdefault(owner, []).append(name)
    parts = [".. This file is written by docs/_ext/public_api.py: do not edit it.\n",
             heading(title, "="), intro + "\n"]
    known = [m for _, modules in SECTIONS for m in modules]
    sections = [(t, ms) for t, ms in SECTIONS if any(m in by_module for m in ms)]
    for owner in sorted(set(by_module) - set(known)):
        summary = inspect.getdoc(importlib.import_module(owner)).splitlines()[0]
        sections.append((summary.rstrip("."), [owner]))
    for section_title, modules in sections:
        names = [n for m in modules for n in by_module.get(m, [])]
        if len(sections) > 1:
            parts.append(heading(section_title, "-"))
        parts.append(autosummary(module, names))
    if foreign:
        parts.append(heading("Re-exported from NumPy", "-"))
        parts.append(foreign_entries(module, foreign))
    if elsewhere:
        parts.append(heading("Also in ``array_core``", "-"))
        parts.append("These are the same objects as ``array_core``'s:\n")
        parts += [f"- :obj:`array_core.{name}`" for name in elsewhere]
        parts.append("")
    return "\n".join(parts)


def undocumented_members():
    """{class's full name: its public members without a docstring}, for the
    class template, over the classes of the reference."""
    found = {}
    for module in ("array_core", "array_core.lib.stride_tricks"):
        mod = importlib.import_module(module)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isclass(obj):
                found[f"{module}.{name}"] = sorted(
                    member for member, value in vars(obj).items()
                    if not member.startswith("_")
                    and not (getattr(value, "__doc__", None) or "").strip())
    return found


def classes_listing_attributes():
    """The full names of the reference's classes whose docstring has a
    numpydoc Attributes section of its own."""
    section = re.compile(r"^\s*Attributes\n\s*-+\s*$", re.MULTILINE)
    return sorted(
        f"{module}.{name}"
        for module in ("array_core", "array_core.lib.stride_tricks")
        for name, obj in vars(importlib.import_module(module)).items()
        if name in importlib.import_module(module).__all__
        and inspect.isclass(obj) and section.search(obj.__doc__ or ""))


def write_reference(app, config):
    config.autosummary_context = {
        **config.autosummary_context,
        "undocumented": undocumented_members(),
        "lists_attributes": classes_listing_attributes(),
    }
    # autosummary writes a page per name under generated/ and never removes
    # one: a name gone from __all__ would leave a page outside every toctree.
    shutil.rmtree(GENERATED / "generated", ignore_errors=True)
    pages = {
        "array_core.rst": reference_page(
            "array_core", "array_core",
            ".. automodule:: array_core\n   :no-members:\n\n"
            "Every public name of ``array_core`` (its ``__all__``)."),
        "stride_tricks.rst": reference_page(
            "array_core.lib.stride_tricks", "array_core.lib.stride_tricks",
            ".. automodule:: array_core.lib.stride_tricks\n   :no-members:\n"),
    }
    for filename, text in pages.items():
        path = GENERATED / filename
        # Written only when changed, so an incremental build stays incremental.
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("config-inited", write_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
