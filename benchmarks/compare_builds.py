"""Compare two builds of array_core on the headline ratios, in one run.

``python benchmarks/compare_builds.py BASE [--base-name NAME]`` measures
every headline case of this tree's ``headline.py`` (its case table, whatever
the other build's tree holds) twice: with this tree's array_core, and with the
one importable from the directory ``BASE`` (a ``pip install --target`` of
another commit, or a source tree built in place).  Each build runs in a worker
process of its own (two array_core builds cannot share one interpreter) that
measures array_core / NumPy as ``headline.py`` does, both libraries
interleaved, so each ratio is free of the machine's speed; the two workers take
turns, case by case, so both see the same machine.

A case whose ratio grew by more than ``THRESHOLD`` (current / base > 1.25) is
flagged, then measured ``CONFIRM_PASSES`` more times in each build, each
time in fresh worker processes; the best (lowest) ratio each build reached
decides.  The exit status is 1 when a
flagged case is confirmed, or when this build cannot run a case; a case the
base build cannot run (an API it lacks yet) is skipped.  With ``--targets``,
this build's first ratios are also held to their headline targets as
``headline.py`` holds its own (a ratio twice its target fails): CI runs this
against the parent commit that way (.ci/run), instead of measuring this build
a third time with ``headline.py``.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

# A ratio this many times its base's is flagged, and fails when confirmed.
THRESHOLD = 1.25
# Rounds of interleaved timings behind one ratio, as in headline.py.
ROUNDS = 5
# Measurements of each build behind the confirmation of a flagged case.  Each
# measurement builds its inputs afresh, and where they land in memory moves a
# ratio: ascontiguousarray(a.T) of 1000^2 measured 0.22-0.53 in one process,
# so the best of five passes, not a median of three, is compared.  Each pass
# starts both workers afresh: a process keeps its own bias on small cases
# (x.astype(np.float32) of 3x3 measured 0.57-0.73 in one worker, 0.84-1.12
# in others of the same build).
CONFIRM_PASSES = 5


def change(current, base):
    """current / base: how many times its base's a ratio is (None if unknown)."""
    if current is None or base is None:
        return None
    return current / base


def is_flagged(current, base, threshold=THRESHOLD):
    """Whether the first measurements make a case a suspect regression."""
    grown = change(current, base)
    return grown is not None and grown > threshold


def confirmed_change(currents, bases):
    """The change that confirmation measured: the best ratio of each build."""
    if not currents or not bases or None in currents or None in bases:
        return None
    return min(currents) / min(bases)


def first_look(current, base, threshold=THRESHOLD):
    """What the first ratios say: "ok", "flagged", "skipped" or "ERROR".

    ``current`` and ``base`` are None when that build could not run the case:
    this build must run its own case table; the base may lack an API.
    """
    if current is None:
        return "ERROR"
    if base is None:
        return "skipped"
    return "flagged" if is_flagged(current, base, threshold) else "ok"


def verdict(current, base, confirmation=None, threshold=THRESHOLD):
    """The final word on a case: a flagged one is "WORSE" or "noise".

    ``confirmation`` is the change measured again for a flagged case; a
    flagged case without one (a build failed when measured again) is an ERROR.
    """
    look = first_look(current, base, threshold)
    if look != "flagged":
        return look
    if confirmation is None:
        return "ERROR"
    return "WORSE" if confirmation > threshold else "noise"


def failing(verdicts):
    """The cases whose verdict fails the comparison."""
    return [case for case, said in verdicts.items()
            if said in ("WORSE", "ERROR", "OFF TARGET")]


def package_files(directory):
    """Relative path -> bytes of array_core's modules (.py, .so) under ``directory``."""
    package = pathlib.Path(directory) / "array_core"
    return {path.relative_to(package).as_posix(): path.read_bytes()
            for pattern in ("**/*.py", "**/*.so") for path in package.glob(pattern)
            if "__pycache__" not in path.parts}


def same_package(a, b):
    """Whether the array_core under ``a`` and under ``b`` are the same files."""
    return package_files(a) == package_files(b)


class WorkerError(Exception):
    """A worker that did not start with its build, or died."""


class Worker:
    """A process that measures ratios with the array_core found first at ``path``."""

    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.start()

    def start(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.path), env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "compare_builds.py"), "--worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        hello = self.receive()
        found = pathlib.Path(hello["array_core"]).resolve()
        if not found.is_relative_to(pathlib.Path(self.path).resolve()):
            self.close()
            raise WorkerError(f"{self.name}: array_core was imported from {found}, "
                              f"not from under {self.path}")
        self.location = found.parent

    def restart(self):
        """A fresh worker process, with a heap of its own."""
        self.close()
        self.start()

    def receive(self):
        line = self.process.stdout.readline()
        if not line:
            raise WorkerError(f"{self.name}: the worker process died "
                              f"(exit status {self.process.wait()})")
        return json.loads(line)

    def measure(self, case, rounds=ROUNDS):
        """The ratio of ``case`` in this build, or (None, why) when it failed."""
        self.process.stdin.write(json.dumps({"case": case, "rounds": rounds}) + "\n")
        self.process.stdin.flush()
        reply = self.receive()
        return reply.get("ratio"), reply.get("error")

    def close(self):
        self.process.stdin.close()  # the worker's loop ends
        self.process.wait()
        self.process.stdout.close()


def serve():
    """The worker: a JSON request per line on stdin, a JSON reply per line."""
    sys.path.insert(0, str(HERE))
    import headline  # and with it the array_core that PYTHONPATH finds first

    print(json.dumps({"array_core": headline.array_core.__file__}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            case = headline.case_named(request["case"])
            reply = {"ratio": headline.measure_ratio(case, rounds=request["rounds"])}
        except Exception as error:  # reported, not fatal: the base may lack an API
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)
    return 0


def in_turns(workers, case, turn, rounds=ROUNDS):
    """(ratio, error) of ``case`` from each worker, in their order; which one
    goes first changes with ``turn``."""
    order = range(len(workers)) if turn % 2 == 0 else range(len(workers))[::-1]
    measured = {i: workers[i].measure(case, rounds) for i in order}
    return [measured[i] for i in range(len(workers))]


def headline_module():
    """This tree's headline.py (imported here, not in a worker)."""
    if str(HERE) not in sys.path:  # (called once a case: the path stays short)
        sys.path.insert(0, str(HERE))
    import headline

    return headline


def case_names():
    """This tree's headline cases, by name."""
    return [case.name for case in headline_module().headline_cases()]


def target_look(case, ratio):
    """headline.py's word on this build's ratio of ``case`` (a name)."""
    headline = headline_module()
    return headline.target_verdict(headline.case_named(case), ratio)


def shown(value, width=7):
    return f"{'-':>{width}}" if value is None else f"{value:{width}.2f}"


def compare(current, base, cases, threshold=THRESHOLD, targets=False):
    """Measure, confirm, print; the verdict of every case.

    With ``targets``, a case whose first ratio in this build is twice its
    headline target is "OFF TARGET", whatever its change.
    """
    workers = [current, base]
    print(f"array_core / NumPy per case; change = current / base; flagged above "
          f"{threshold:.2f}x\n  current: {current.location}\n  base:    "
          f"{base.location} ({base.name})\n")
    print(f"{'case':<40} {'base':>7} {'current':>7} {'change':>7}  first look"
          + ("  target" if targets else ""))
    first = {}
    off_target = []
    for turn, case in enumerate(cases):
        (ours, our_error), (theirs, their_error) = in_turns(workers, case, turn)
        first[case] = (ours, theirs)
        look = first_look(ours, theirs, threshold)
        if targets and ours is not None:
            on_target = target_look(case, ours)
            look = f"{look:<10}  {on_target}"
            if on_target == "FAIL":
                off_target.append(case)
        print(f"{case:<40} {shown(theirs)} {shown(ours)} "
              f"{shown(change(ours, theirs))}  {look}", flush=True)
        for worker, error in zip(workers, (our_error, their_error), strict=True):
            if error:
                print(f"    {worker.name}: {error}")
    suspects = [case for case in cases if is_flagged(*first[case], threshold)]
    confirmations = {}
    if suspects:
        print(f"\nMeasuring the {len(suspects)} flagged case(s) again, "
              f"{CONFIRM_PASSES} times in each build (the best of each):")
    for case in suspects:
        again = []
        for turn in range(CONFIRM_PASSES):
            for worker in workers:
                worker.restart()
            again.append(in_turns(workers, case, turn + 1))
        ours = [pair[0][0] for pair in again]
        theirs = [pair[1][0] for pair in again]
        confirmations[case] = confirmed_change(ours, theirs)
        print(f"{case:<40} {shown(best_or_none(theirs))} "
              f"{shown(best_or_none(ours))} {shown(confirmations[case])}  "
              f"{verdict(*first[case], confirmations[case], threshold)}", flush=True)
    verdicts = {case: verdict(*first[case], confirmations.get(case), threshold)
                for case in cases}
    verdicts.update((case, "OFF TARGET") for case in off_target
                    if verdicts[case] != "ERROR")
    return verdicts


def targets_alone(path, cases):
    """This build's ratios against their targets, with no base to compare:
    the exit status of ``headline.py``, measured in a worker of this build."""
    print("\nthis build's ratios against their headline targets:")
    worker = Worker("current", path)
    try:
        verdicts = {}
        for case in cases:
            ratio, error = worker.measure(case)
            verdicts[case] = "ERROR" if ratio is None else target_look(case, ratio)
            print(f"{case:<40} {shown(ratio)}  {verdicts[case]}"
                  + (f"  ({error})" if error else ""), flush=True)
    finally:
        worker.close()
    bad = [case for case, said in verdicts.items() if said != "ok"]
    print(f"\n{len(cases)} cases: {len(bad)} failing")
    return 1 if bad else 0


def best_or_none(values):
    return None if None in values else min(values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?",
                        help="directory that holds the other build's array_core")
    parser.add_argument("--base-name", default="base", help="what to call it")
    parser.add_argument("--current", default=str(ROOT),
                        help="directory that holds this build's array_core "
                             "(default: this tree)")
    parser.add_argument("-b", "--bench", metavar="REGEX",
                        help="only the cases whose name matches (re.search)")
    parser.add_argument("--even-if-identical", action="store_true",
                        help="measure even when both builds are the same files")
    parser.add_argument("--targets", action="store_true",
                        help="also fail when this build's ratio is twice its "
                             "headline target (headline.py's rule)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return serve()
    if args.base is None:
        parser.error("the base build's directory is required")
    cases = [c for c in case_names() if not args.bench or re.search(args.bench, c)]
    if not args.even_if_identical and same_package(args.current, args.base):
        print(f"{args.base_name}: its array_core is this one, file for file: "
              f"nothing to compare")
        return targets_alone(args.current, cases) if args.targets else 0
    started = time.monotonic()
    current = Worker("current", args.current)  # a WorkerError here fails
    try:
        base = Worker(args.base_name, args.base)
    except WorkerError as error:
        current.close()
        print(f"{error}: the base build does not import, nothing to compare")
        return targets_alone(args.current, cases) if args.targets else 0
    try:
        verdicts = compare(current, base, cases, targets=args.targets)
    finally:
        current.close()
        base.close()
    bad = failing(verdicts)
    skipped = [case for case, said in verdicts.items() if said == "skipped"]
    print(f"\n{len(cases)} cases in {time.monotonic() - started:.0f}s: "
          f"{len(bad)} failing, {len(skipped)} skipped (the base cannot run them)")
    for case in bad:
        print(f"  {verdicts[case]}: {case}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
