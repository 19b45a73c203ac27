"""Test configuration: no stale compiled module; one hypothesis profile.

The tests refuse to run on a compiled module of the source tree whose
sources changed since it was built (setup.py records what each build
compiled): its tests would test old code.

Hypothesis runs a modest, deadline-free profile; HYPOTHESIS_PROFILE=thorough
runs many more examples (for local bug hunts).
"""
import gc
import hashlib
import importlib.machinery
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
REBUILD = "python3 -m pip install -e ."


def _digest(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def stale_compiled_modules(root=ROOT):
    """Why each compiled module in ``root``'s package is stale, if it is."""
    package = root / "array_core"
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    try:
        record = json.loads(
            (root / "build" / "array_core-fingerprints.json").read_text("utf-8"))
    except (OSError, ValueError):
        record = {}
    problems = []
    for source in sorted(package.glob("*.pyx")):
        name = f"array_core.{source.stem}"
        compiled = package / (source.stem + suffix)
        entry = record.get(name)
        if not compiled.exists():
            problems.append(f"{name} is not built")
        elif (not isinstance(entry, dict) or not isinstance(entry.get("sources"), dict)
              or entry.get("compiled_sha256") != _digest(compiled)):
            problems.append(f"{compiled.name} was not built by this tree's setup.py")
        else:
            changed = [path for path, digest in entry["sources"].items()
                       if not (root / path).exists() or _digest(root / path) != digest]
            if changed:
                problems.append(f"{name} is older than {', '.join(changed)}")
    return problems


def pytest_sessionstart(session):
    import array_core

    if Path(array_core.__file__).resolve().parent != ROOT / "array_core":
        return  # an installed array_core, not this tree's build
    problems = stale_compiled_modules()
    if problems:
        raise pytest.UsageError(
            "the compiled modules are stale, so the tests would test old code:\n  "
            + "\n  ".join(problems) + f"\nRebuild them with: {REBUILD}")

settings.register_profile(
    "array_core",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("array_core"),
                          max_examples=600)
# CI's checked (debug + sanitized) build ran the suite in 410 s here against
# the release build's 235 s, Hypothesis most of both (the release run took 99 s
# at 20 examples; PYTHONMALLOC=malloc sends each of Hypothesis's allocations
# through AddressSanitizer): half the examples keep that run inside CI's time,
# and each run draws new ones.
settings.register_profile("checked", parent=settings.get_profile("array_core"),
                          max_examples=30)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "array_core"))


def pytest_collection_finish(session):
    # The collected tests and everything imported for them live to the end of
    # the run: moved out of the collector's generations, they are not walked
    # again by every gc.collect() a test makes (with ~14,000 tests each full
    # collection otherwise costs half a second).
    gc.freeze()
