"""Signatures of compiled functions and methods, as a reader should see them.

autodoc and numpydoc take a signature from ``inspect.signature``, which on
array_core's compiled objects can mislead in three ways, fixed here:

- a method that takes ``*args, **kwargs`` and parses them itself (NumPy's
  methods it hands on) states its real signature at the top of its docstring,
  in Argument Clinic form (``all($self, /, axis=None)`` then ``--``), after
  the one Cython embeds; the last such line is the signature, and those lines
  are not part of the text;
- a default that is a private "not given" sentinel shows as
  ``<object object at 0x...>``: it reads ``<no value>``, as in NumPy's pages;
- a few signatures have optional leading arguments, which Python's syntax
  cannot express (``arange([start,] stop[, step,] ...)``): ``BRACKETED``
  holds them, in NumPy's notation.
"""
import inspect
import re

BRACKETED = {
    "array_core.arange":
        "([start,] stop[, step,] dtype=None, *, device=None, like=None)",
    "array_core.ndarray.view": "([dtype][, type])",
}
CLINIC_LINE = re.compile(r"^\s*(?P<name>\w+)\((?P<args>.*)\)\s*$")
CLINIC_END = re.compile(r"^\s*--\s*$")
SENTINEL = re.compile(r"<object object(?: at 0x[0-9a-fA-F]+)?>")
# numpydoc's handler runs at the default priority (500): these run first.
PRIORITY = 400


def clinic_signatures(doc, name):
    """The Argument Clinic signatures of ``name`` heading ``doc``, and the
    number of lines they take."""
    lines = doc.splitlines()
    found, i = [], 0
    while i + 1 < len(lines):
        match = CLINIC_LINE.match(lines[i])
        if not (match and match["name"] == name and CLINIC_END.match(lines[i + 1])):
            break
        found.append(match["args"])
        i += 2
        while i < len(lines) and not lines[i].strip():
            i += 1
    return found, i


def python_args(clinic):
    """``$self, /, axis=None`` -> ``(axis=None)``: what a caller writes."""
    args = re.sub(r"^\$(self|module|type)(,\s*|$)", "", clinic)
    args = re.sub(r"^/(,\s*|$)", "", args)
    return f"({args})"


def process_signature(app, what, name, obj, options, signature, return_annotation):
    if name in BRACKETED:
        return BRACKETED[name], ""
    short_name = name.rsplit(".", 1)[-1]
    found, _ = clinic_signatures(getattr(obj, "__doc__", None) or "", short_name)
    if found:
        return python_args(found[-1]), ""
    if what in ("function", "method", "class"):
        try:
            text = str(inspect.signature(obj))
        except (TypeError, ValueError):
            return None
        if SENTINEL.search(text):
            text = SENTINEL.sub("<no value>", text)
            return re.sub(r"\s*->.*$", "", text), ""
    return None


def process_docstring(app, what, name, obj, options, lines):
    """Drop the Argument Clinic lines that autodoc left at the top."""
    short_name = name.rsplit(".", 1)[-1]
    _, skip = clinic_signatures("\n".join(lines), short_name)
    if not skip and lines and CLINIC_END.match(lines[0]):
        skip = 1  # autodoc took the line above it as the signature
        while skip < len(lines) and not lines[skip].strip():
            skip += 1
    del lines[:skip]


def setup(app):
    app.connect("autodoc-process-signature", process_signature, priority=PRIORITY)
    app.connect("autodoc-process-docstring", process_docstring, priority=PRIORITY)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
