"""The debug switch of the build; the extensions are declared in pyproject.toml.

This file exists only because pyproject.toml cannot read the environment.
``ARRAY_CORE_DEBUG=1 pip install -e .`` compiles every extension with Cython's
boundscheck, wraparound and initializedcheck on, and CI runs the tests against
that build.  A ``# cython:`` header overrides the directives a build passes to
Cython, so the debug build compiles copies of the sources (build/debug-src/)
whose headers switch the checks on; line numbers stay the same.
"""

import os
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

DEBUG = os.environ.get("ARRAY_CORE_DEBUG", "0") not in ("", "0")
DEBUG_CHECKS = ("boundscheck", "wraparound", "initializedcheck")
DEBUG_SOURCES = Path("build", "debug-src")
# Exists while the last build was a debug one: the next build must not reuse it.
DEBUG_MARKER = Path("build", "array_core-debug-build")

_CHECK_OFF = re.compile(rf"\b({'|'.join(DEBUG_CHECKS)})\s*=\s*False\b")


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


class build_ext_with_debug_switch(build_ext):
    """setuptools' build_ext, honouring ARRAY_CORE_DEBUG."""

    def run(self):
        if DEBUG:
            packages = {ext.name.rpartition(".")[0] for ext in self.extensions}
            for package in sorted(packages):
                write_debug_sources(package.replace(".", "/"))
            for ext in self.extensions:
                ext.sources = [str(DEBUG_SOURCES / src) for src in ext.sources]
        # Switching between debug and release must rebuild every module.
        self.force = self.force or DEBUG or DEBUG_MARKER.exists()
        super().run()
        if DEBUG:
            DEBUG_MARKER.touch()
        else:
            DEBUG_MARKER.unlink(missing_ok=True)


setup(cmdclass={"build_ext": build_ext_with_debug_switch})
