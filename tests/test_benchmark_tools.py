"""The benchmark tooling a user runs by hand: the grid's inputs and ratios.py."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

import array_core

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name):
    """benchmarks/<name>.py as a module (benchmarks/ is not an installed package)."""
    spec = importlib.util.spec_from_file_location(
        f"benchmarks.{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


common = load("common")
ratios = load("ratios")


@pytest.mark.parametrize("size", ["256KiB", "256MiB"])
@pytest.mark.parametrize("dtype", common.DTYPES)
def test_grid_shapes_hold_the_size_in_bytes(size, dtype):
    rows, cols = common.grid_shape(size, dtype)
    assert rows * cols * np.dtype(dtype).itemsize == common.SIZE_BYTES[size]
    assert rows in (cols, 2 * cols)


@pytest.mark.parametrize("layout", common.LAYOUTS)
def test_laid_out_gives_both_libraries_the_same_strides_and_values(layout):
    ours = common.laid_out((4, 6), layout, "array_core", np.int16)
    theirs = common.laid_out((4, 6), layout, "numpy", np.int16)
    assert isinstance(ours, array_core.ndarray)
    assert ours.shape == theirs.shape == (4, 6)
    assert ours.strides == theirs.strides
    np.testing.assert_array_equal(np.asarray(ours), theirs)


def test_laid_out_rejects_an_unknown_layout():
    with pytest.raises(ValueError, match="unknown layout 'diagonal'"):
        common.laid_out((2, 2), "diagonal", "numpy")


def test_ratio_rows_pair_twins_and_sort_worst_first():
    data = {
        "result_columns": ["result", "params"],
        "results": {
            "bench.Copy.time_copy": [
                [1.0, 2.0, 4.0, 1.0],
                [["'numpy'", "'array_core'"], ["'C'", "'F'"]],
            ],
            # A failed array_core run: no ratio, listed first.
            "bench.Copy.time_view": [[1.0, None], [["'numpy'", "'array_core'"]]],
            # No lib parameter: not a twin pair.
            "bench.Other.time_it": [[3.0], [["'x'"]]],
        },
    }
    names = {"bench.Copy.time_copy": ["lib", "layout"]}
    rows = ratios.ratio_rows(data, names)
    assert [(r[1], r[2]) for r in rows] == [
        ("bench.Copy.time_view", ""),
        ("bench.Copy.time_copy", "layout=C"),
        ("bench.Copy.time_copy", "layout=F"),
    ]
    assert math.isinf(rows[0][0])
    assert rows[1][0] == 4.0  # 4.0 / 1.0
    assert rows[2][0] == 0.5  # 1.0 / 2.0


def test_format_value_by_benchmark_kind():
    assert ratios.format_value(None) == "failed"
    assert ratios.format_value(2.5e-6, "b.C.time_x") == "2.5us"
    assert ratios.format_value(3 * 2**20, "b.C.peakmem_x") == "3.0MiB"
    assert ratios.format_value(1234.0, "b.C.track_x") == "1234"


def test_ratios_without_results_says_how_to_save_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ratios, "results_dir", lambda: tmp_path)
    assert ratios.main([]) == 1
    message = capsys.readouterr().err
    assert "no asv results" in message and "--set-commit-hash" in message
