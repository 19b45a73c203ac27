"""Print array_core / NumPy ratios from the latest asv results, worst first.

Usage: ``python benchmarks/ratios.py [--machine NAME] [--commit HASH]
[-b REGEX] [--top N]``.
The results directory is read from ``asv.conf.json`` beside this folder
(``results_dir``, asv's default ``results``).  Every benchmark with a ``lib``
parameter is paired with its NumPy twin of the same other parameters; a
ratio below 1 means array_core is faster (or, for ``track_`` benchmarks,
reports the smaller number).  The ``track_`` benchmarks whose unit is "ratio"
(``bench_ratios.py``: the headline ratios, measured in one process) are
ratios already and are listed as they are, marked "in-process".
"""
import argparse
import itertools
import json
import math
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_json_with_comments(path):
    """asv.conf.json may hold // comments, as asv allows."""
    text = path.read_text()
    text = re.sub(r'^\s*//.*$', "", text, flags=re.MULTILINE)
    return json.loads(text)


def results_dir():
    conf_path = ROOT / "asv.conf.json"
    conf = load_json_with_comments(conf_path) if conf_path.exists() else {}
    return (conf_path.parent / conf.get("results_dir", "results")).resolve()


def latest_result_file(directory, machine=None, commit=None):
    """The result file of the newest commit (by commit date, then file time)."""
    candidates = []
    for path in directory.glob("*/*.json"):
        if path.name == "machine.json" or (machine and path.parent.name != machine):
            continue
        data = json.loads(path.read_text())
        if "results" not in data or "commit_hash" not in data:
            continue
        if commit and not data["commit_hash"].startswith(commit):
            continue
        candidates.append(((data.get("date") or 0, path.stat().st_mtime), path, data))
    if not candidates:
        return None, None
    _, path, data = max(candidates, key=lambda c: c[0])
    return path, data


def benchmark_info(directory):
    """Benchmark name -> what asv's benchmarks.json says of it."""
    path = directory / "benchmarks.json"
    if not path.exists():
        return {}
    return {name: info for name, info in json.loads(path.read_text()).items()
            if isinstance(info, dict)}


def param_names(directory):
    """Benchmark name -> parameter names, from asv's benchmarks.json."""
    return {name: info.get("param_names", [])
            for name, info in benchmark_info(directory).items()}


def tracked_ratios(directory):
    """The benchmarks that record a ratio themselves (unit "ratio")."""
    return {name for name, info in benchmark_info(directory).items()
            if info.get("unit") == "ratio"}


def parameterised_results(data, names):
    """(benchmark, parameter names, parameter values, [(combination, value)])
    for every benchmark with results."""
    columns = data["result_columns"]
    for bench, row in data["results"].items():
        # asv leaves trailing fields out of a row when they are empty.
        fields = dict(zip(columns, row, strict=False))
        values, params = fields.get("result"), fields.get("params") or []
        if values is None:
            continue
        labels = names.get(bench) or [f"p{i}" for i in range(len(params))]
        yield bench, labels, params, list(zip(itertools.product(*params), values,
                                              strict=True))


def case_label(labels, combo, leave_out=None):
    """``name=value, ...`` of a parameter combination, axis ``leave_out`` left out."""
    return ", ".join(f"{labels[i]}={v.strip(chr(39))}"
                     for i, v in enumerate(combo) if i != leave_out)


def missing(value):
    """Whether asv recorded no number (a failed or skipped run)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def ratio_rows(data, names):
    """(ratio, benchmark, case, array_core value, numpy value) for every twin pair."""
    rows = []
    for bench, labels, params, results in parameterised_results(data, names):
        lib_axis = next((i for i, p in enumerate(params)
                         if "'numpy'" in p and "'array_core'" in p), None)
        if lib_axis is None:
            continue
        by_case = {}
        for combo, value in results:
            lib = combo[lib_axis].strip("'")
            by_case.setdefault(case_label(labels, combo, lib_axis), {})[lib] = value
        for case, libs in by_case.items():
            ours, theirs = libs.get("array_core"), libs.get("numpy")
            if missing(ours) or missing(theirs) or not theirs:
                rows.append((math.inf, bench, case, ours, theirs))
            else:
                rows.append((ours / theirs, bench, case, ours, theirs))
    rows.sort(key=lambda r: -r[0])
    return rows


def tracked_ratio_rows(data, names, tracked):
    """(ratio, benchmark, case, None, None) for every value of a ``tracked``
    benchmark: the value is the ratio, measured in one process."""
    rows = []
    for bench, labels, _, results in parameterised_results(data, names):
        if bench in tracked:
            rows.extend((math.inf if missing(value) else value, bench,
                         case_label(labels, combo), None, None)
                        for combo, value in results)
    rows.sort(key=lambda r: -r[0])
    return rows


def format_value(value, bench=""):
    """A result for the table: seconds, or bytes for peakmem_, or as tracked."""
    if value is None:
        return "failed"
    kind = bench.rsplit(".", 1)[-1]
    if kind.startswith("peakmem_"):
        return f"{value / 2**20:.1f}MiB"
    if kind.startswith("track_"):
        return f"{value:.4g}"
    if value < 1e-3:
        return f"{value * 1e6:.1f}us"
    if value < 1:
        return f"{value * 1e3:.2f}ms"
    return f"{value:.3f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machine", help="only results of this asv machine name")
    parser.add_argument("--commit", help="results of this commit (hash prefix)")
    parser.add_argument("-b", "--bench", metavar="REGEX",
                        help="only benchmarks whose name matches (re.search)")
    parser.add_argument("--top", type=int, metavar="N",
                        help="only the N worst ratios")
    args = parser.parse_args(argv)
    directory = results_dir()
    path, data = latest_result_file(directory, args.machine, args.commit)
    if data is None:
        # `asv run --python=same` keeps results only with a commit hash.
        print(f"no asv results under {directory}: asv saves them only with "
              f"--set-commit-hash, as in\n  asv run --python=same "
              f"--set-commit-hash $(git rev-parse HEAD) --quick", file=sys.stderr)
        return 1
    names, tracked = param_names(directory), tracked_ratios(directory)
    rows = sorted(ratio_rows(data, names)
                  + tracked_ratio_rows(data, names, tracked),
                  key=lambda r: -r[0])
    if args.bench:
        rows = [r for r in rows if re.search(args.bench, r[1])]
    rows = rows[:args.top] if args.top else rows
    print(f"{path.relative_to(directory)}  commit {data['commit_hash'][:10]}")
    print(f"{'ratio':>8}  {'array_core':>10}  {'numpy':>10}  benchmark")
    for ratio, bench, case, ours, theirs in rows:
        shown = "  n/a" if math.isinf(ratio) else f"{ratio:8.3f}"
        label = f"{bench} [{case}]" if case else bench
        if ours is None and theirs is None and bench in tracked:
            values = f"{'in-process':>22}"
        else:
            values = (f"{format_value(ours, bench):>10}  "
                      f"{format_value(theirs, bench):>10}")
        print(f"{shown:>8}  {values}  {label}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours.  Point
        # stdout at devnull so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
