"""What mypy says of user code: the stubs' result types and the mypy plugin.

mypy runs on a script written here (from outside the repository, as a user
runs it) and each ``reveal_type`` must name the type the call returns at
runtime.  Skipped where mypy is not installed: CI's types step installs it
and runs this file.
"""

import subprocess
import sys

import numpy as np
import pytest

import array_core

pytest.importorskip("mypy")

# (expression, the type mypy must reveal, the type it has at runtime)
STUB_CASES = [
    ("a", "array_core._array.ndarray"),
    ("a[0:2]", "array_core._array.ndarray"),
    ("a[0:2] + 1", "array_core._array.ndarray"),
    ("a[..., None]", "array_core._array.ndarray"),
    ("a[[0, 1]]", "array_core._array.ndarray"),
    ("a.T @ a", "array_core._array.ndarray"),
    ("-a", "array_core._array.ndarray"),
    ("a == 1", "array_core._array.ndarray"),
    ("a.sum(axis=0, keepdims=True)", "array_core._array.ndarray"),
    ("a.cumsum()", "array_core._array.ndarray"),
    ("a.max(axis=0, out=out)", "array_core._array.ndarray"),
    ("a.reshape(3, 2)", "array_core._array.ndarray"),
    ("a.copy(lazy=True)", "array_core._array.ndarray"),
    ("a.flat[1:3]", "array_core._array.ndarray"),
    ("array_core.concatenate([a, a])", "array_core._array.ndarray"),
    ("array_core.concatenate([a, a], out=n43)",
     "numpy.ndarray[tuple[int, int], numpy.dtype[numpy.float64]]"),
    ("array_core.where(a > 1)", "tuple[array_core._array.ndarray, ...]"),
    ("array_core.where(a > 1, a, 0)", "array_core._array.ndarray"),
    ("array_core.take(a, [0, 1])", "array_core._array.ndarray"),
    ("array_core.split(a, 2)", "list[array_core._array.ndarray]"),
    ("array_core.atleast_2d(a)", "array_core._array.ndarray"),
    ("array_core.atleast_2d(a, a)", "tuple[array_core._array.ndarray, ...]"),
    ("array_core.real(a)", "array_core._array.ndarray"),
]
# NumPy's functions and ufuncs on array_core arrays, with the plugin.
PLUGIN_CASES = [
    ("np.sqrt(a)", "array_core._array.ndarray"),
    ("np.add(a, 1)", "array_core._array.ndarray | Any"),  # (NumPy's stub: "| Any")
    ("np.concatenate([a, a])", "array_core._array.ndarray"),
    ("np.concatenate((a, n6.reshape(2, 3)))", "array_core._array.ndarray"),
    ("np.linalg.inv(a[:, :2])", "array_core._array.ndarray"),
    ("np.zeros_like(a)", "array_core._array.ndarray"),
    ("np.split(a, 2)", "list[array_core._array.ndarray]"),
    # As at runtime: no dispatch on the data (NEP 35), or a NumPy out=.
    ("np.asarray(a)", "numpy.ndarray[tuple[Any, ...], numpy.dtype[Any]]"),
    ("np.sqrt(a, out=n43[:2])", "numpy.ndarray[tuple[Any, ...], numpy.dtype[Any]]"),
]
SETUP = """\
import numpy as np
import array_core

a = array_core.arange(6.0).reshape(2, 3)
n6 = np.arange(6.0)
n43 = np.zeros((4, 3))
out = array_core.zeros(3)
"""


def runtime_type(expression):
    namespace = {"np": np, "array_core": array_core}
    exec(SETUP, namespace)
    return type(eval(expression, namespace))


def revealed_types(tmp_path, cases, plugin):
    script = tmp_path / "user_script.py"
    script.write_text(SETUP + "".join(
        f"reveal_type({expression})\n" for expression, _ in cases))
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\n"
                      + ("plugins = array_core.mypy_plugin\n" if plugin else ""))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config),
         "--cache-dir", str(tmp_path / "cache"), "--no-error-summary",
         script.name],
        capture_output=True, text=True, cwd=tmp_path, timeout=600)
    notes = [line.split('Revealed type is "', 1)[1].rstrip('"')
             for line in result.stdout.splitlines()
             if line.startswith(script.name) and "Revealed type" in line]
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not errors, "\n".join(errors)
    assert len(notes) == len(cases), result.stdout + result.stderr
    return notes


@pytest.mark.parametrize("plugin", [False, True], ids=["stubs", "plugin"])
def test_revealed_types_are_the_runtime_types(tmp_path, plugin):
    cases = STUB_CASES + (PLUGIN_CASES if plugin else [])
    revealed = revealed_types(tmp_path, cases, plugin)
    for (expression, expected), said in zip(cases, revealed, strict=True):
        assert said == expected, expression
        actual = runtime_type(expression)
        if expected.startswith("array_core._array.ndarray"):
            assert actual is array_core.ndarray, expression
        elif expected.startswith("numpy.ndarray"):
            assert actual is np.ndarray, expression
        else:
            assert actual in (list, tuple), expression


def test_without_the_plugin_numpy_functions_say_numpy(tmp_path):
    # The plugin is what changes these (so the test above can fail).
    (revealed,) = revealed_types(tmp_path, [("np.sqrt(a)", "")], plugin=False)
    assert revealed.startswith("numpy.ndarray")


def test_plugin_module_documents_its_configuration():
    import array_core.mypy_plugin as plugin

    assert 'plugins = ["array_core.mypy_plugin"]' in plugin.__doc__
    assert plugin.plugin("2.0") is plugin.ArrayCorePlugin
