"""explain: each step of an expression, view or copy, and why."""
import subprocess
import sys

import numpy as np
import pytest

import array_core as ac
from array_core import _control
from array_core._explain import main_explain


@pytest.fixture(autouse=True)
def no_leftover_listener():
    yield
    assert _control._listeners == 0, "the copy hook was left installed"


def kinds(report):
    return [(s.text, s.kind) for s in report.steps]


def test_transpose_then_reshape():
    x = ac.asarray(np.ones((2, 3)))
    report = ac.explain("x.T.reshape(6)", x=x)
    assert kinds(report) == [("x.T", "VIEW"), ("x.T.reshape(6)", "COPY")]
    view, copy = report.steps
    assert view.result.shape == (3, 2) and view.result.strides == (8, 24)
    assert copy.categories == ("implicit",) and copy.nbytes == 48
    assert copy.input_label == "x.T"
    text = str(report)
    assert "VIEW" in text and "COPY (implicit) of x.T, 48 bytes" in text
    assert "why: axes 0 and 1 cannot merge: stride 8 is not 24 * 2" in text
    assert "order='F' would have given a view" in text
    assert "shape (3, 2)  strides (8, 24)  float64  F_CONTIGUOUS" in text
    assert "shares memory with x: no" in text
    np.testing.assert_array_equal(np.asarray(report.result),
                                  np.ones((2, 3)).T.reshape(6))


def test_positional_array_binds_to_x():
    report = ac.explain("x.T.reshape(6)", ac.zeros((2, 3)))
    assert [s.kind for s in report.steps] == ["VIEW", "COPY"]


def test_seed_basic_indexing_is_a_view():
    report = ac.explain("y = x[1:3]", x=ac.arange(10))
    assert kinds(report) == [("x[1:3]", "VIEW")]
    assert ac.shares_memory(report.result, report.steps[0].result)


def test_seed_shape_assignment_error():
    report = ac.explain("y = x.T; z = y.view(); z.shape = 6",
                        x=ac.ones((2, 3)))
    assert [s.kind for s in report.steps] == ["VIEW", "VIEW", "ERROR"]
    assert report.steps[1].input_label == "y"
    assert report.steps[2].error == (
        "AttributeError: Incompatible shape for in-place modification. Use "
        "`.reshape()` to make a copy with the desired shape.")
    assert "stopped at step 3" in report


def test_seed_reshape_ravel_flatten():
    x = ac.arange(9)
    report = ac.explain("y = x.reshape(3, 3); y.ravel(); y.flatten(); y.T.ravel()",
                        x=x)
    assert [s.kind for s in report.steps] == ["VIEW", "VIEW", "COPY", "VIEW", "COPY"]
    assert report.steps[2].categories == ("explicit",)
    assert report.steps[4].categories == ("implicit",)
    assert "flatten always copies" in report
    assert "order='F' (or 'K') would have given a view" in report


def test_module_functions_and_aliases():
    report = ac.explain("ac.reshape(x.T, 6); ac.ascontiguousarray(x); "
                        "array_core.asfortranarray(x)", x=ac.zeros((2, 3)))
    assert [s.kind for s in report.steps] == ["VIEW", "COPY", "SAME", "COPY"]
    assert report.steps[1].input_label == "x.T"
    assert report.steps[2].text == "ac.ascontiguousarray(x)"


def test_np_is_numpy_with_array_core_arrays_flowing_through():
    x = ac.asarray(np.arange(6.0).reshape(2, 3))
    report = ac.explain("np.transpose(x); m = np.mean(x, axis=0); np.sum(x); "
                        "np.add.reduce(m); np.linalg.norm(x); np.sort(x.T)", x=x)
    # np.sort copies through array_core's choke point: a COPY, with its reason.
    assert [s.kind for s in report.steps] == [
        "VIEW", "NEW", "VALUE", "VALUE", "VALUE", "VIEW", "COPY"]
    assert report.steps[-1].categories == ("explicit",)
    assert "sort always makes a new array" in report
    assert type(report.result) is ac.ndarray
    assert report.result.tolist() == np.sort(np.asarray(x).T).tolist()
    assert "a view of x" in report


def test_cli_errors_are_one_line_with_status_2(capsys):
    for expression, words in [
        ("for i in x: pass", "ValueError: explain cannot trace the statement"),
        ("np.no_such_function(x)", "AttributeError: module 'numpy' has no"),
        ("x(1)", "TypeError: 'array_core._array.ndarray' object is not"),
        ("x.reshape(7)", "step 1 (x.reshape(7)) raised ValueError: cannot "
                         "reshape array of size 6 into shape (7,)"),
        ("np.concatenate([x, x], axis=3)", "AxisError: axis 3 is out of"),
    ]:
        assert main_explain([expression]) == 2, expression
        captured = capsys.readouterr()
        assert captured.err.count("\n") == 1, captured.err
        assert captured.err.startswith("explain: ") and words in captured.err, (
            captured.err)
        assert "Traceback" not in captured.out + captured.err


def test_copy_false_error_and_same():
    x = ac.zeros((2, 3))
    report = ac.explain("x.astype(float, copy=False); x.T.reshape(6, copy=False)",
                        x=x)
    assert [s.kind for s in report.steps] == ["SAME", "VIEW", "ERROR"]
    assert "Unable to avoid creating a copy while reshaping." in report.steps[2].error


def test_arithmetic_and_creation_are_new_arrays():
    report = ac.explain("(x + 1).T; ac.zeros(3)", x=ac.zeros((2, 3)))
    assert [s.kind for s in report.steps] == ["NEW", "VIEW", "NEW"]


def test_setitem_is_in_place():
    x = ac.zeros(5)
    report = ac.explain("x[1:3] = 7", x=x)
    assert [s.kind for s in report.steps] == ["IN PLACE"]
    assert x.tolist() == [0, 7, 7, 0, 0]


def test_values_and_scalars():
    report = ac.explain("x.shape; x[0, 1]", x=ac.zeros((2, 3)))
    assert [s.kind for s in report.steps] == ["VALUE", "VALUE"]


def test_seed_advanced_indexing_copies():
    x = ac.arange(9).reshape(3, 3)
    report = ac.explain("x[[1, 2]]", x=x)
    assert [s.kind for s in report.steps] == ["COPY"]
    assert report.steps[0].categories == ("advanced-index",)
    assert report.result.base is None


def test_callable():
    x = ac.asarray(np.arange(9.0).reshape(3, 3))

    def f(a):
        b = a.T
        return b.reshape(9)

    report = ac.explain(f, x)
    (step,) = report.steps
    (record,) = step.copies
    assert record.operation == "reshape"
    assert record.lineno == f.__code__.co_firstlineno + 2
    text = str(report)
    assert "explain: test_callable.<locals>.f(...)" in text
    assert "why: axes 0 and 1 cannot merge: stride 8 is not 24 * 3" in text
    assert "vs argument 0: does not share memory" in text
    assert "1 copy, 72 bytes" in text


def test_callable_without_copies():
    report = ac.explain(lambda a: a.T, ac.zeros((2, 3)))
    assert report.steps == []
    assert "no copies were made" in report
    assert "a view of it (shares memory)" in report


def test_bad_arguments():
    with pytest.raises(TypeError, match="expression string or a callable"):
        ac.explain(42)
    with pytest.raises(NameError, match="'y' is not defined"):
        ac.explain("y.T", x=ac.zeros(3))
    with pytest.raises(TypeError, match="got 2 arrays"):
        ac.explain("x.T", ac.zeros(3), ac.zeros(3))
    with pytest.raises(ValueError, match="cannot trace the statement"):
        ac.explain("for i in x: pass", x=ac.zeros(3))


def test_policy_of_the_caller_does_not_hide_copies():
    with ac.copy_policy("allow"):
        report = ac.explain("x.T.reshape(6)", x=ac.zeros((2, 3)))
    assert report.steps[1].kind == "COPY"


def test_cli_in_process(capsys):
    assert main_explain(["x.T.reshape(6)", "--shape", "2,3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("explain: x.T.reshape(6)\n")
    assert "x: shape (2, 3)  strides (24, 8)  float64" in out
    assert "COPY (implicit)" in out
    assert "stride 8 is not 24 * 2" in out


def test_cli_dtype_and_order(capsys):
    assert main_explain(["x.T.reshape(6)", "--shape", "2,3", "--dtype", "int32",
                         "--order", "F"]) == 0
    out = capsys.readouterr().out
    assert "x: shape (2, 3)  strides (4, 8)  int32  F_CONTIGUOUS" in out
    assert "COPY" not in out
    assert "2 steps: 2 views, 0 copies (0 bytes)" in out


def test_cli_named_shapes(capsys):
    assert main_explain(["ac.reshape(a, 6); b.T", "--shape", "a=3,2",
                         "--shape", "4"]) == 0
    out = capsys.readouterr().out
    assert "a: shape (3, 2)" in out and "b: shape (4,)" in out


def test_cli_bad_expression(capsys):
    assert main_explain(["x.T.reshape(("]) == 2
    assert "cannot parse" in capsys.readouterr().err


def test_python_dash_m():
    done = subprocess.run(
        [sys.executable, "-m", "array_core", "explain", "x.T.reshape(6)",
         "--shape", "2,3"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "COPY (implicit) of x.T, 48 bytes" in done.stdout
    assert "order='F' would have given a view" in done.stdout


def test_numpy_inputs_are_viewed_as_array_core():
    a = np.ones((2, 3))
    report = ac.explain("x.T.reshape(6)", x=a)
    assert [s.kind for s in report.steps] == ["VIEW", "COPY"]
    assert isinstance(report.result, ac.ndarray)
    assert "shares memory with x: no" in report
