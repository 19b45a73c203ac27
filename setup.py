"""The build switches; the extensions are declared in pyproject.toml.

This file exists only because pyproject.toml cannot read the environment.

``ARRAY_CORE_DEBUG=1 pip install -e .`` compiles every extension with Cython's
boundscheck, wraparound and initializedcheck on, and CI runs the tests against
that build.  A ``# cython:`` header overrides the directives a build passes to
Cython, so the debug build compiles copies of the sources (build/debug-src/)
whose headers switch the checks on; line numbers stay the same.

``ARRAY_CORE_SANITIZE=1`` compiles and links every extension with
AddressSanitizer and UndefinedBehaviorSanitizer (any report is fatal) and
with ``-fno-wrapv``: CPython's CFLAGS carry ``-fwrapv``, under which signed
overflow is defined and UBSan cannot see it, and the code must not rely on
it.  The interpreter is not sanitized, so the runtimes are preloaded; CI's
sanitizer job shows how (``.ci/run``).  The two switches combine.

Each build records its kind (``build/array_core-build-kind``); a build of
another kind than the last one recompiles every module.
"""

import os
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext


def _switch(name):
    return os.environ.get(name, "0") not in ("", "0")


DEBUG = _switch("ARRAY_CORE_DEBUG")
SANITIZE = _switch("ARRAY_CORE_SANITIZE")
DEBUG_CHECKS = ("boundscheck", "wraparound", "initializedcheck")
DEBUG_SOURCES = Path("build", "debug-src")
SANITIZE_COMPILE_ARGS = [
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
    "-g",
    "-fno-wrapv",  # after sysconfig's -fwrapv, so it wins
]
SANITIZE_LINK_ARGS = ["-fsanitize=address,undefined"]
# The kind of the last build ("release", "debug", "sanitize", "debug+sanitize").
BUILD_KIND_FILE = Path("build", "array_core-build-kind")
# Where builds before BUILD_KIND_FILE marked a debug build.
_OLD_DEBUG_MARKER = Path("build", "array_core-debug-build")

_CHECK_OFF = re.compile(rf"\b({'|'.join(DEBUG_CHECKS)})\s*=\s*False\b")


def build_kind(debug=DEBUG, sanitize=SANITIZE):
    """The name a build of these switches records."""
    parts = [name for name, on in (("debug", debug), ("sanitize", sanitize)) if on]
    return "+".join(parts) or "release"


def last_build_kind():
    """The kind the last build recorded ("release" for a tree never built)."""
    if BUILD_KIND_FILE.exists():
        return BUILD_KIND_FILE.read_text(encoding="utf-8").strip()
    return "debug" if _OLD_DEBUG_MARKER.exists() else "release"


def with_checks_on(source):
    """``source`` with the debug checks set to True in its ``# cython:`` header."""
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            break  # the header is the leading block of comment lines
        if re.match(r"#\s*cython\s*:", line):
            lines[i] = _CHECK_OFF.sub(r"\1=True", line)
    return "".join(lines)


def write_debug_sources(package):
    """Copy ``package``'s Cython sources, checks on, under build/debug-src/."""
    target = DEBUG_SOURCES / package
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    (target / "__init__.py").write_text("")  # marks the package root for cimports
    for path in sorted([*Path(package).glob("*.pyx"), *Path(package).glob("*.pxd")]):
        text = path.read_text(encoding="utf-8")
        (target / path.name).write_text(with_checks_on(text), encoding="utf-8")


class build_ext_with_switches(build_ext):
    """setuptools' build_ext, honouring ARRAY_CORE_DEBUG and ARRAY_CORE_SANITIZE."""

    def run(self):
        kind = build_kind()
        # _array.pyx makes its NumPy views with NumPy's C API.
        import numpy
        for ext in self.extensions:
            ext.include_dirs = [*ext.include_dirs, numpy.get_include()]
            ext.define_macros = [*ext.define_macros,
                                 ("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")]
        if DEBUG:
            packages = {ext.name.rpartition(".")[0] for ext in self.extensions}
            for package in sorted(packages):
                write_debug_sources(package.replace(".", "/"))
            for ext in self.extensions:
                ext.sources = [str(DEBUG_SOURCES / src) for src in ext.sources]
        if SANITIZE:
            for ext in self.extensions:
                ext.extra_compile_args = [*ext.extra_compile_args,
                                          *SANITIZE_COMPILE_ARGS]
                ext.extra_link_args = [*ext.extra_link_args, *SANITIZE_LINK_ARGS]
        # Switching between kinds of build must rebuild every module.
        self.force = self.force or DEBUG or last_build_kind() != kind
        super().run()
        BUILD_KIND_FILE.parent.mkdir(exist_ok=True)
        BUILD_KIND_FILE.write_text(kind + "\n", encoding="utf-8")
        _OLD_DEBUG_MARKER.unlink(missing_ok=True)


setup(cmdclass={"build_ext": build_ext_with_switches})
