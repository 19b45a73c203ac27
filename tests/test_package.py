"""The package as a user meets it: exports, type stubs, the tour, the CI script."""

import ast
import doctest
import importlib
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import array_core
from array_core import __main__ as tour

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(array_core.__file__).parent
# Every .pyx of the package: each must have a complete .pyi stub.
COMPILED_MODULES = sorted(path.stem for path in PACKAGE.glob("*.pyx"))


def stub_names(module_name):
    """Top-level names a ``.pyi`` stub declares (functions, classes, constants)."""
    tree = ast.parse((PACKAGE / f"{module_name}.pyi").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_all_lists_exactly_the_public_names():
    public = {
        name
        for name, value in vars(array_core).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert sorted(array_core.__all__) == sorted(public)
    assert len(set(array_core.__all__)) == len(array_core.__all__)


def test_every_exported_name_is_in_its_stub():
    for name in array_core.__all__:
        module = getattr(array_core, name).__module__
        if module in {f"array_core.{m}" for m in COMPILED_MODULES}:
            assert name in stub_names(module.rpartition(".")[2]), (module, name)


def test_every_compiled_module_has_a_complete_stub():
    for module_name in COMPILED_MODULES:
        module = importlib.import_module(f"array_core.{module_name}")
        public = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and getattr(value, "__module__", module.__name__) == module.__name__
            and not inspect.ismodule(value)
        }
        missing = public - stub_names(module_name)
        assert not missing, f"array_core/{module_name}.pyi lacks {sorted(missing)}"


# The core's layers, lowest first (DESIGN: families -> _array -> _index ->
# _cast -> _copy -> _layout -> _buffer; the thread pool, _threads, below them
# all), and the leaves every layer may use (declarations, the machine's caches).
CORE_LAYERS = ["_threads", "_buffer", "_layout", "_copy", "_cast", "_index", "_array"]
SHARED_MODULES = {"_typedefs", "_odometer", "_dtypes", "_numpy_abi", "_prefetch",
                  "_machine"}
_IMPORT = re.compile(
    r"^\s*(?:from\s+array_core\.(\w+)\s+c?import"
    r"|from\s+array_core\s+c?import\s+\(?\s*([\w ,]+)"
    r"|c?import\s+array_core\.(\w+))", re.MULTILINE)


def array_core_imports(path):
    """The array_core modules a source file imports or cimports."""
    names = set()
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        if match[2]:
            names.update(n.strip() for n in match[2].split(",") if n.strip())
        else:
            names.add(match[1] or match[3])
    return names


def test_core_imports_go_one_way():
    # A family module (creation, setitem, ...) may import any core layer; a
    # layer only those below it, never a family (they hook in at import).
    for rank, name in enumerate(CORE_LAYERS):
        below = set(CORE_LAYERS[:rank]) | SHARED_MODULES | {name}
        for suffix in (".pyx", ".pxd"):
            path = PACKAGE / f"{name}{suffix}"
            if path.exists():
                assert array_core_imports(path) <= below, (
                    path.name, sorted(array_core_imports(path) - below))


def test_import_checker_sees_every_import_form(tmp_path):
    source = tmp_path / "m.pyx"
    source.write_text("from array_core._array cimport (\n    ndarray,\n)\n"
                      "from array_core import _setitem  # noqa\n"
                      "    import array_core._creation\n"
                      "cimport array_core._copy\n", encoding="utf-8")
    assert array_core_imports(source) == {"_array", "_setitem", "_creation", "_copy"}


def test_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()


def test_tour_runs_and_exits_0():
    result = subprocess.run(
        [sys.executable, "-m", "array_core"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "VIEW" in result.stdout and "COPY" in result.stdout
    assert result.stderr == ""


def test_tour_fits_80_columns():
    result = subprocess.run(
        [sys.executable, "-m", "array_core"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    wide = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert not wide


def test_tour_subcommand_is_the_default():
    result = subprocess.run(
        [sys.executable, "-m", "array_core", "tour"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    default = subprocess.run(
        [sys.executable, "-m", "array_core"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.stdout == default.stdout


def test_tour_agrees_with_numpy():
    # `asarray(n)` of a NumPy array is n itself in NumPy, a view of it here.
    cross_library = {"array_core.asarray(n)"}
    ours = list(tour.tour_steps(array_core))
    oracle = list(tour.tour_steps(np))
    assert [code for code, _ in ours] == [code for code, _ in oracle]
    for (code, lines), (_, expected) in zip(ours, oracle, strict=True):
        if code in cross_library:
            continue
        assert lines == expected


def test_tour_says_why_each_copy_was_made():
    lines = [line for _, step in tour.tour_steps(array_core, explain=True)
             for line in step]
    reshape = lines.index(next(line for line in lines
                               if line.strip().startswith("y.reshape(6) ")))
    assert "COPY" in lines[reshape]
    assert "why: axes 0 and 1 cannot merge" in lines[reshape + 1]
    advanced = next(i for i, line in enumerate(lines)
                    if line.strip().startswith("x[[1, 2]] "))
    assert "why: advanced index" in lines[advanced + 1]


def readme_command(bullet):
    """The command in the code block under the README bullet naming ``bullet``."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if bullet in line)
    fence = next(i for i in range(start, len(lines)) if lines[i].strip() == "```sh")
    return lines[fence + 1].strip()


def test_ci_runs_the_quick_start_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for bullet in ("take the tour", "run the tests"):
        command = readme_command(bullet)
        assert command.startswith("python3 -m pip install -e ")
        assert command in ci, f".ci/run does not run the README's {command!r}"


DASK_SECTION = "## Scale out with Dask"


def readme_without_dask_section(text):
    """The README without its "Scale out with Dask" section (up to the next
    ``## `` heading): its examples need the optional ``dask`` extra."""
    start = text.index(DASK_SECTION)
    end = text.index("\n## ", start + len(DASK_SECTION))
    return text[:start] + text[end + 1:]


def test_readme_examples_hold():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    have_dask = all(importlib.util.find_spec(name) is not None
                    for name in ("dask", "distributed"))
    if not have_dask:
        text = readme_without_dask_section(text)
    test = doctest.DocTestParser().get_doctest(
        text, {}, "README.md", str(ROOT / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS, verbose=False)
    runner.run(test)
    failures, tried = runner.failures, runner.tries
    assert tried > 20
    assert failures == 0


def test_readme_dask_section_is_cut_alone():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    cut = readme_without_dask_section(text)
    assert DASK_SECTION not in cut and "### array_core chunks" not in cut
    assert "import dask" not in cut
    assert "## Where array_core differs from NumPy" in cut
    assert len(text) - len(cut) < len(text) // 4


SANITIZED = os.environ.get("ARRAY_CORE_SANITIZE", "0") not in ("", "0")


def test_build_honours_the_sanitizer_switch():
    """``ARRAY_CORE_SANITIZE=1`` (set for its tests too by CI's sanitizer job)
    builds every extension with ASan and UBSan, signed overflow included
    (no -fwrapv); any other build has neither."""
    sanitized = SANITIZED
    for name in COMPILED_MODULES:
        binary = Path(importlib.import_module(f"array_core.{name}").__file__)
        symbols = binary.read_bytes()
        assert (b"__asan_init" in symbols) == sanitized, binary
        assert (b"__ubsan_handle_" in symbols) == sanitized, binary
    layout = Path(importlib.import_module("array_core._layout").__file__)
    # Under -fwrapv a signed product cannot overflow: UBSan would not check it.
    assert (b"__ubsan_handle_mul_overflow" in layout.read_bytes()) == sanitized


@pytest.mark.skipif(not SANITIZED, reason="only the sanitizer build poisons padding")
def test_sanitizer_build_reports_a_read_past_an_arrays_bytes():
    # The 3 bytes sit in a larger, aligned allocation: ASan sees a read past
    # them only because the padding around an array's bytes is poisoned.
    # (ctypes copies with memcpy, which ASan checks; a 1-byte read it does not.)
    code = ("import ctypes, array_core as ac; a = ac.zeros(3, 'u1'); "
            "ctypes.string_at(a.__array_interface__['data'][0] + 1, 4)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode != 0
    assert "AddressSanitizer: use-after-poison" in done.stderr, done.stderr[-2000:]


def test_ci_fails_on_a_compiler_warning_from_array_cores_code(tmp_path):
    record = tmp_path / "warnings.txt"
    header = "/usr/include/python3.11/object.h:142:18: warning: a [-Warray-bounds]"
    record.write_text(f"{header}  [in Py_SIZE]\n"
                      "array_core/_a.c:9:3: warning: b [-Wx]  [in __Pyx_Compare]\n")
    check = [sys.executable, str(ROOT / ".ci" / "compiler-warnings"), str(record)]
    assert subprocess.run(check, capture_output=True).returncode == 0
    with record.open("a") as f:
        f.write("array_core/_a.c:7:1: warning: c [-Wx]  [in __pyx_f_10array_core_f]\n")
    result = subprocess.run(check, capture_output=True, text=True)
    assert result.returncode == 1 and "__pyx_f_10array_core_f" in result.stdout
