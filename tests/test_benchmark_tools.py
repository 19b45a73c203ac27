"""The benchmark tooling: the grid's inputs, ratios.py, headline.py and
compare_builds.py (the decision on a regression, on synthetic numbers)."""

import importlib.util
import json
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
headline = load("headline")
compare_builds = load("compare_builds")


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


def test_tracked_ratios_are_listed_as_recorded():
    data = {
        "result_columns": ["result", "params"],
        "results": {
            "bench_ratios.HeadlineRatios.track_ratio": [
                [0.5, None, 1.5],
                [["'x.T (3x3)'", "'x[mask]'", "'a.copy()'"]],
            ],
            "bench.Copy.time_copy": [[1.0, 2.0], [["'numpy'", "'array_core'"]]],
        },
    }
    names = {"bench_ratios.HeadlineRatios.track_ratio": ["case"]}
    rows = ratios.tracked_ratio_rows(
        data, names, {"bench_ratios.HeadlineRatios.track_ratio"})
    assert [(r[0], r[2]) for r in rows] == [
        (math.inf, "case=x[mask]"), (1.5, "case=a.copy()"), (0.5, "case=x.T (3x3)")]
    assert all(r[3] is None and r[4] is None for r in rows)


def test_ratios_reads_the_units_from_benchmarks_json(tmp_path):
    (tmp_path / "benchmarks.json").write_text(json.dumps({
        "bench_ratios.HeadlineRatios.track_ratio": {"unit": "ratio",
                                                    "param_names": ["case"]},
        "bench.Copy.time_copy": {"unit": "seconds", "param_names": ["lib"]},
        "version": 2,
    }))
    assert ratios.tracked_ratios(tmp_path) == {
        "bench_ratios.HeadlineRatios.track_ratio"}
    assert ratios.param_names(tmp_path)["bench.Copy.time_copy"] == ["lib"]


def test_the_tracked_ratios_are_the_headline_cases(monkeypatch):
    # bench_ratios imports benchmarks.headline, as asv imports the suite.
    monkeypatch.syspath_prepend(str(BENCHMARKS.parent))
    from benchmarks import bench_ratios

    names = [case.name for case in headline.headline_cases()]
    assert bench_ratios.HeadlineRatios.params == [names]
    assert bench_ratios.HeadlineRatios.unit == "ratio"
    assert len(set(names)) == len(names)  # case_named needs unique names


def test_measure_ratio_is_array_core_time_over_numpy_time():
    # A statement that sleeps only for array_core: its ratio is far above 1.
    def build(lib):
        return {"time": __import__("time"), "lib": lib, "array_core": array_core}

    slow = headline.Case("sleep", "lib is array_core and time.sleep(0.002)",
                         1.0, build, 1)
    assert headline.measure_ratio(slow, rounds=1, repeats=1) > 10
    assert headline.case_named("x.T (3x3)").statement == "x.T"


def test_cases_run_on_one_thread_unless_they_set_a_count():
    # headline.py, bench_ratios and compare_builds all measure through
    # measure_ratio: the one-thread targets hold whatever the default count.
    seen = []

    def build(lib):
        return {"seen": seen, "ac": array_core}

    plain = headline.Case("count", "seen.append(ac.get_num_threads())", 1.0, build, 1)
    two = headline.Case("two", "with ac.threads(2): seen.append(ac.get_num_threads())",
                        1.0, build, 1)
    before = array_core.get_num_threads()
    with array_core.threads(2):
        headline.measure_ratio(plain, rounds=1, repeats=1)
        assert set(seen) == {1}
        seen.clear()
        headline.measure_ratio(two, rounds=1, repeats=1)
        assert set(seen) == {2}
        assert array_core.get_num_threads() == 2
    assert array_core.get_num_threads() == before


@pytest.mark.parametrize(("current", "base", "look"), [
    (1.0, 1.0, "ok"),
    (1.25, 1.0, "ok"),  # the threshold itself passes
    (1.26, 1.0, "flagged"),
    (0.5, 1.0, "ok"),  # faster
    (1.0, None, "skipped"),  # the base cannot run the case
    (None, 1.0, "ERROR"),  # this build cannot run its own case
    (None, None, "ERROR"),
])
def test_first_look(current, base, look):
    assert compare_builds.first_look(current, base) == look


@pytest.mark.parametrize(("confirmation", "said"), [
    (1.30, "WORSE"),
    (1.25, "noise"),
    (0.98, "noise"),
    (None, "ERROR"),  # flagged, and a build failed when measured again
])
def test_a_flagged_case_fails_only_when_confirmed(confirmation, said):
    assert compare_builds.verdict(1.6, 1.0, confirmation) == said


def test_confirmation_does_not_rescue_or_condemn_an_unflagged_case():
    assert compare_builds.verdict(1.1, 1.0, 3.0) == "ok"
    assert compare_builds.verdict(1.0, None, 3.0) == "skipped"


def test_confirmed_change_is_the_ratio_of_the_best_ratios():
    # Slow passes in either build do not move the best ratio of each.
    assert compare_builds.confirmed_change([1.3, 9.0, 1.4], [1.0, 2.0, 1.5]) == 1.3
    assert compare_builds.confirmed_change([1.3, None, 1.3], [1.0, 1.0, 1.0]) is None
    assert compare_builds.confirmed_change([], [1.0]) is None


def test_failing_names_the_worse_and_the_errors():
    verdicts = {"a": "ok", "b": "WORSE", "c": "noise", "d": "skipped", "e": "ERROR"}
    assert compare_builds.failing(verdicts) == ["b", "e"]


def test_same_package_compares_modules_not_caches(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name / "array_core" / "lib" / "__pycache__").mkdir(parents=True)
        (tmp_path / name / "array_core" / "__init__.py").write_text("x = 1\n")
        (tmp_path / name / "array_core" / "lib" / "_m.so").write_bytes(b"\0elf")
    (tmp_path / "b" / "array_core" / "lib" / "__pycache__" / "c.pyc").write_bytes(b"")
    assert compare_builds.same_package(tmp_path / "a", tmp_path / "b")
    (tmp_path / "b" / "array_core" / "lib" / "_m.so").write_bytes(b"\0elf2")
    assert not compare_builds.same_package(tmp_path / "a", tmp_path / "b")
    (tmp_path / "b" / "array_core" / "lib" / "_m.so").write_bytes(b"\0elf")
    (tmp_path / "b" / "array_core" / "_new.so").write_bytes(b"")
    assert not compare_builds.same_package(tmp_path / "a", tmp_path / "b")


def test_a_worker_measures_with_the_build_it_was_given_and_reports_failures():
    worker = compare_builds.Worker("current", compare_builds.ROOT)
    try:
        assert worker.location == Path(array_core.__file__).resolve().parent
        ratio, error = worker.measure("x.shape (3x3)", rounds=1)
        assert ratio > 0 and error is None
        ratio, error = worker.measure("no such case", rounds=1)
        assert ratio is None and error == "KeyError: 'no such case'"
    finally:
        worker.close()


def test_a_restarted_worker_is_a_new_process_with_the_same_build():
    worker = compare_builds.Worker("current", compare_builds.ROOT)
    try:
        first = worker.process.pid
        worker.restart()
        assert worker.process.pid != first
        assert worker.location == Path(array_core.__file__).resolve().parent
        ratio, error = worker.measure("x.shape (3x3)", rounds=1)
        assert ratio > 0 and error is None
    finally:
        worker.close()


class RestartingWorker:
    """Measures ``ratios`` in turn, each restart counted."""

    def __init__(self, name, ratios):
        self.name, self.location, self.ratios = name, name, list(ratios)
        self.restarts = 0

    def measure(self, case, rounds):
        return self.ratios.pop(0), None

    def restart(self):
        self.restarts += 1


def test_confirmation_measures_each_pass_in_fresh_workers(capsys):
    passes = compare_builds.CONFIRM_PASSES
    # Flagged at first (2.0 against 1.0), then the base's fresh processes
    # show its bias was the first worker's: no regression confirmed.
    current = RestartingWorker("current", [2.0] + [1.1] * passes)
    base = RestartingWorker("base", [1.0] + [1.0] * passes)
    verdicts = compare_builds.compare(current, base, ["x.T (3x3)"])
    assert current.restarts == base.restarts == passes
    assert verdicts == {"x.T (3x3)": "noise"}
    current = RestartingWorker("current", [2.0] + [1.6] * passes)
    base = RestartingWorker("base", [1.0] + [1.0] * passes)
    assert compare_builds.compare(current, base, ["x.T (3x3)"]) == {
        "x.T (3x3)": "WORSE"}
    capsys.readouterr()


def test_a_worker_refuses_a_directory_without_array_core(tmp_path):
    with pytest.raises(compare_builds.WorkerError, match="not from under"):
        compare_builds.Worker("base", tmp_path)


def test_identical_builds_are_not_measured(capsys):
    root = str(compare_builds.ROOT)
    assert compare_builds.main([root, "--base-name", "same", "--current", root]) == 0
    assert "nothing to compare" in capsys.readouterr().out


@pytest.mark.parametrize(("ratio", "said"), [(1.99, "ok"), (2.0, "OFF TARGET"),
                                             (5.0, "OFF TARGET")])
def test_targets_fail_this_builds_ratio_at_twice_its_target(ratio, said, capsys):
    # x.T's target is 1.0; the base is as slow, so nothing is flagged.
    assert headline.case_named("x.T (3x3)").target == 1.0
    current = RestartingWorker("current", [ratio])
    base = RestartingWorker("base", [ratio])
    assert compare_builds.compare(current, base, ["x.T (3x3)"]) == {"x.T (3x3)": "ok"}
    current = RestartingWorker("current", [ratio])
    base = RestartingWorker("base", [ratio])
    verdicts = compare_builds.compare(current, base, ["x.T (3x3)"], targets=True)
    assert verdicts == {"x.T (3x3)": said}
    assert compare_builds.failing(verdicts) == ([] if said == "ok" else ["x.T (3x3)"])
    capsys.readouterr()


def test_a_case_this_build_cannot_run_stays_an_error_with_targets(capsys):
    current = RestartingWorker("current", [None])
    base = RestartingWorker("base", [1.0])
    assert compare_builds.compare(current, base, ["x.T (3x3)"], targets=True) == {
        "x.T (3x3)": "ERROR"}
    capsys.readouterr()


@pytest.mark.parametrize(("look", "status"), [("ok", 0), ("FAIL", 1)])
def test_with_nothing_to_compare_targets_measure_this_build_alone(
        monkeypatch, capsys, look, status):
    seen = []

    def target_look(case, ratio):
        seen.append((case, ratio))
        return look

    monkeypatch.setattr(compare_builds, "target_look", target_look)
    root = str(compare_builds.ROOT)
    assert compare_builds.main([root, "--current", root, "--targets",
                                "-b", r"^x\.shape "]) == status
    out = capsys.readouterr().out
    assert "nothing to compare" in out and "against their headline targets" in out
    assert [case for case, _ in seen] == ["x.shape (3x3)"]
    assert seen[0][1] > 0


class RecordingWorker:
    def __init__(self, name, ratio, log):
        self.name, self.ratio, self.log = name, ratio, log

    def measure(self, case, rounds):
        self.log.append(self.name)
        return self.ratio, None


def test_the_builds_take_turns_going_first():
    log = []
    workers = [RecordingWorker("current", 1.0, log), RecordingWorker("base", 2.0, log)]
    for turn in range(3):
        assert compare_builds.in_turns(workers, "x.T (3x3)", turn) == [
            (1.0, None), (2.0, None)]
    assert log == ["current", "base", "base", "current", "current", "base"]


def test_a_base_that_does_not_import_is_skipped(tmp_path, capsys):
    (tmp_path / "array_core").mkdir()  # no module: the worker finds another
    assert compare_builds.main([str(tmp_path), "--base-name", "parent"]) == 0
    out = capsys.readouterr().out
    assert "the base build does not import, nothing to compare" in out


def test_headline_runs_print_ranges_and_judge_the_best(monkeypatch, capsys):
    cases = [headline.Case("fast thing", "x", 1.0, None, 1),
             headline.Case("slow thing", "x", 0.5, None, 1)]
    measured = {"fast thing": iter([0.9, 0.7, 0.8]),
                "slow thing": iter([1.2, 0.99, 1.5])}
    monkeypatch.setattr(headline, "headline_cases", lambda: cases)
    monkeypatch.setattr(headline, "measure_ratio",
                        lambda case: next(measured[case.name]))
    assert headline.main(["--runs", "3"]) == 0   # 0.99 is under 2 x 0.5
    out = capsys.readouterr().out
    assert "0.700-0.900" in out and "0.990-1.500" in out
    measured["slow thing"] = iter([1.0])
    assert headline.main(["slow"]) == 1          # one run, 2 x its target
    out = capsys.readouterr().out
    assert "fast thing" not in out and "FAIL" in out and "1.00" in out
    for bad in (["--runs", "0"], ["no such case"]):
        with pytest.raises(SystemExit) as stop:
            headline.main(bad)
        assert stop.value.code == 2
