"""The extensions and the build switches of array_core.

Every ``array_core/*.pyx`` is one extension module.  (They are declared here,
not in pyproject.toml, whose ``ext-modules`` table setuptools still calls
experimental, with a warning on every install.)

Rebuilds are incremental by content, not by time: each module's fingerprint
hashes the project files it depends on (its .pyx, the .pxd files it cimports,
transitively, and the C headers), the build switches, the compiler flags,
this file, and the versions of Python, Cython and NumPy.  A module whose
fingerprint and compiled file match the last build's record
(``build/array_core-fingerprints.json``) is not rebuilt: pip's build
isolation gives every install fresh copies of Cython's own .pxd files, which
made Cython's time-based check rebuild everything on every ``pip install -e``.
The rest compile in parallel, one job per core.  ``tests/conftest.py`` refuses
to test a compiled module that is older than its sources.

``ARRAY_CORE_DEBUG=1 pip install -e .`` compiles every extension with Cython's
boundscheck, wraparound and initializedcheck on, and CI runs the tests against
that build.  A ``# cython:`` header overrides the directives a build passes to
Cython, so the debug build compiles copies of the sources (build/debug-src/)
whose headers switch the checks on; line numbers stay the same.

``ARRAY_CORE_SANITIZE=1`` compiles and links every extension with
AddressSanitizer and UndefinedBehaviorSanitizer (any report is fatal) and
with ``-fno-wrapv``: CPython's CFLAGS carry ``-fwrapv``, under which signed
overflow is defined and UBSan cannot see it, and the code must not rely on
it.  It optimises at ``-O1``, as AddressSanitizer recommends (the
instrumented ``-O3`` build doubled the compile time).  The interpreter is not
sanitized, so the runtimes are preloaded; CI's sanitizer job shows how
(``.ci/run``).  The two switches combine.

A release build compiles without debugging information (``-g0`` after
CPython's ``-g``), which makes it about a third faster to build; the debug
and sanitizer builds keep it, for their stack traces.

``ARRAY_CORE_THREADS=0`` builds the serial fallback of the thread pool
(``_threads_pool.h``), as a platform without POSIX threads gets: every
large copy then runs on the calling thread.  The pool is array_core's own,
not OpenMP, so no build needs an OpenMP-capable compiler (the reasons are
in ``_threads.pyx``).

Every build writes the compiler's warnings to
``build/array_core-compiler-warnings.txt``; CI fails on one from the
project's own code (``.ci/compiler-warnings``).
"""

import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

PACKAGE = "array_core"


def _switch(name):
    return os.environ.get(name, "0") not in ("", "0")


DEBUG = _switch("ARRAY_CORE_DEBUG")
SANITIZE = _switch("ARRAY_CORE_SANITIZE")
THREADS = os.environ.get("ARRAY_CORE_THREADS", "1") not in ("", "0")
DEBUG_CHECKS = ("boundscheck", "wraparound", "initializedcheck")
DEBUG_SOURCES = Path("build", "debug-src")
RELEASE_COMPILE_ARGS = ["-g0"]  # after sysconfig's -g, so it wins
# Where the compiler takes it (GCC on x86-64): memsets of a known size up to
# 256 bytes as vector stores, not `rep stosq`.  Cython's freelist zeroes every
# new ndarray (192 bytes) with one, and the instruction's start-up cost was a
# tenth of a small view's time on AMD Zen 4: x.view() of 3x3 took 43 ns with
# this against 51 (NumPy: 54), x[1:3] 81 against 89 (NumPy: 87).
MEMSET_ARGS = ["-mmemset-strategy=vector_loop:256:noalign,libcall:-1:noalign"]
SANITIZE_COMPILE_ARGS = [
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
    "-g",
    "-fno-wrapv",  # after sysconfig's -fwrapv, so it wins
    # AddressSanitizer's recommended level, after sysconfig's -O3: the
    # instrumented -O3 build took 97 CPU-seconds for _array.c alone, -O1 54.
    "-O1",
]
SANITIZE_LINK_ARGS = ["-fsanitize=address,undefined"]
FINGERPRINTS_FILE = Path("build", "array_core-fingerprints.json")
# The compiler's warnings in the last build, one per line (CI reads them).
WARNINGS_FILE = Path("build", "array_core-compiler-warnings.txt")
# Records of the builds before fingerprints; a fingerprint replaces them.
_OLD_RECORDS = (Path("build", "array_core-build-kind"),
                Path("build", "array_core-debug-build"))

_CHECK_OFF = re.compile(rf"\b({'|'.join(DEBUG_CHECKS)})\s*=\s*False\b")


def compiler_accepts(flags):
    """Whether the build's C compiler compiles a small file with ``flags``
    (warnings as errors: Clang only warns of some flags it ignores)."""
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "probe.c")
        source.write_text("int probe(void) { return 0; }\n", encoding="utf-8")
        try:
            done = subprocess.run([*cc, *flags, "-Werror", "-c", str(source),
                                   "-o", str(Path(tmp, "probe.o"))],
                                  capture_output=True, check=False)
        except OSError:
            return False
    return done.returncode == 0


def build_kind(debug=DEBUG, sanitize=SANITIZE):
    """The name of a build of these switches ("release", "debug+sanitize", ...)."""
    parts = [name for name, on in (("debug", debug), ("sanitize", sanitize)) if on]
    return "+".join(parts) or "release"


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
    """Copy ``package``'s Cython sources, checks on, under build/debug-src/.

    A file whose content would not change is left alone.
    """
    target = DEBUG_SOURCES / package
    target.mkdir(parents=True, exist_ok=True)
    (target / "__init__.py").write_text("")  # marks the package root for cimports
    for path in sorted([*Path(package).glob("*.pyx"), *Path(package).glob("*.pxd")]):
        text = with_checks_on(path.read_text(encoding="utf-8"))
        copy = target / path.name
        if not copy.exists() or copy.read_text(encoding="utf-8") != text:
            copy.write_text(text, encoding="utf-8")


def file_digest(path):
    """The SHA-256 of a file's bytes, in hex."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_fingerprints():
    try:
        return json.loads(FINGERPRINTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class build_ext_with_switches(build_ext):
    """setuptools' build_ext: the switches, content fingerprints, parallel jobs."""

    def run(self):
        import numpy
        release = not SANITIZE and not DEBUG
        memset_args = MEMSET_ARGS if release and compiler_accepts(MEMSET_ARGS) else []
        for ext in self.extensions:
            ext.include_dirs = [*ext.include_dirs, numpy.get_include()]
            ext.define_macros = [*ext.define_macros,
                                 ("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")]
            if not THREADS:
                ext.define_macros.append(("ARRAY_CORE_NO_THREADS", "1"))
            if release:
                ext.extra_compile_args = [*ext.extra_compile_args,
                                          *RELEASE_COMPILE_ARGS, *memset_args]
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
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1
        self._record = read_fingerprints()
        self._fingerprints = {ext.name: self.fingerprint(ext)
                              for ext in self.extensions}
        self._current = {ext.name for ext in self.extensions
                         if not self.force and self.is_current(ext)}
        stale = [ext for ext in self.extensions if ext.name not in self._current]
        if stale:
            # Cython in worker processes first (the compiler is not
            # thread-safe), then the C compiler in parallel threads.
            from Cython.Build import cythonize
            generated = cythonize(stale, nthreads=self.parallel, force=True,
                                  quiet=not self.verbose)
            for ext, new in zip(stale, generated, strict=True):
                ext.sources = new.sources
        with recording_compiler_warnings() as warnings:
            super().run()
        WARNINGS_FILE.parent.mkdir(exist_ok=True)
        WARNINGS_FILE.write_text("".join(f"{line}\n" for line in warnings),
                                 encoding="utf-8")
        self.write_fingerprints()

    def fingerprint(self, ext):
        """A hash of everything that decides what this module compiles to."""
        import numpy
        from Cython import __version__ as cython_version
        from Cython.Build.Dependencies import create_dependency_tree

        root = Path.cwd().resolve()
        files = set()
        for source in ext.sources:
            for dep in create_dependency_tree().all_dependencies(source):
                path = Path(dep).resolve()
                if not path.is_relative_to(root):
                    continue  # Cython's and NumPy's: their versions stand for them
                path = path.relative_to(root)
                if path.is_relative_to(DEBUG_SOURCES):
                    # A debug copy follows from its original and the switches.
                    path = path.relative_to(DEBUG_SOURCES)
                files.add(path.as_posix())
        files.update(path.as_posix() for path in Path(PACKAGE).glob("*.h"))
        files.add("setup.py")
        digest = hashlib.sha256()
        config = {
            "kind": build_kind(),
            "python": sys.implementation.cache_tag,
            "platform": self.plat_name,
            "cython": cython_version,
            "numpy": numpy.__version__,
            "macros": ext.define_macros,
            "compile_args": ext.extra_compile_args,
            "link_args": ext.extra_link_args,
            "cflags": os.environ.get("CFLAGS", ""),
            "cc": os.environ.get("CC", ""),
        }
        digest.update(json.dumps(config, sort_keys=True).encode())
        sources = {name: file_digest(name) for name in sorted(files)}
        for name, source_digest in sources.items():
            digest.update(f"{name}\0{source_digest}\0".encode())
        # The per-file digests let tests/conftest.py find a stale module
        # without Cython.
        return {"sha256": digest.hexdigest(), "sources": sources}

    def inplace_path(self, ext):
        """Where the compiled module lives in the source tree."""
        build_py = self.get_finalized_command("build_py")
        package, _, _ = self.get_ext_fullname(ext.name).rpartition(".")
        return Path(build_py.get_package_dir(package),
                    Path(self.get_ext_filename(ext.name)).name)

    def is_current(self, ext):
        """Whether the last build of this module, in place, is still right."""
        record = self._record.get(ext.name)
        compiled = self.inplace_path(ext)
        return (record is not None
                and record["sha256"] == self._fingerprints[ext.name]["sha256"]
                and compiled.exists()
                and record["compiled_sha256"] == file_digest(compiled))

    def build_extension(self, ext):
        if ext.name in self._current:
            # The compiled module in the source tree is this build's output.
            target = Path(self.get_ext_fullpath(ext.name))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.inplace_path(ext), target)
            return
        super().build_extension(ext)

    def write_fingerprints(self):
        record = read_fingerprints()  # another build's entries stay
        for ext in self.extensions:
            compiled = Path(self.get_ext_fullpath(ext.name))
            if compiled.exists():
                record[ext.name] = {**self._fingerprints[ext.name],
                                    "compiled_sha256": file_digest(compiled)}
        FINGERPRINTS_FILE.parent.mkdir(exist_ok=True)
        FINGERPRINTS_FILE.write_text(json.dumps(record, indent=1, sort_keys=True),
                                     encoding="utf-8")
        for old in _OLD_RECORDS:
            old.unlink(missing_ok=True)


@contextlib.contextmanager
def recording_compiler_warnings():
    """Collect the C compiler's warning lines while the build runs.

    distutils runs the compiler with ``subprocess.check_call`` (whichever
    setuptools names the method that calls it), so that is where its stderr
    can be read; it is passed on unchanged.
    """
    check_call = subprocess.check_call
    warnings = []
    lock = threading.Lock()

    def check_call_recording(cmd, **kwargs):
        result = subprocess.run(cmd, stderr=subprocess.PIPE, **kwargs)
        # Passed on as the bytes it was; read whatever the locale made of it.
        text = result.stderr.decode("utf-8", "replace")
        sys.stderr.flush()
        if hasattr(sys.stderr, "buffer"):
            sys.stderr.buffer.write(result.stderr)
        else:
            sys.stderr.write(text)
        sys.stderr.flush()
        found = []
        function = ""  # the innermost function GCC names before a warning
        for line in text.splitlines():
            named = re.search(r"In function [‘'](\w+)", line)
            if named:
                function = named.group(1)
            elif ": warning: " in line:
                found.append(f"{line}  [in {function or '?'}]")
                function = ""
        with lock:
            warnings.extend(found)
        if result.returncode:
            raise subprocess.CalledProcessError(result.returncode, cmd)
        return 0

    subprocess.check_call = check_call_recording
    try:
        yield warnings
    finally:
        subprocess.check_call = check_call


def extensions():
    """One extension module per Cython source of the package."""
    return [Extension(f"{PACKAGE}.{source.stem}", [source.as_posix()],
                      include_dirs=[PACKAGE])
            for source in sorted(Path(PACKAGE).glob("*.pyx"))]


setup(ext_modules=extensions(), cmdclass={"build_ext": build_ext_with_switches})
