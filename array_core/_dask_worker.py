"""The worker side of `array_core.dask_copy_control` (imports distributed).

Imported only by ``dask_copy_control`` in the client and, through the
plugin it registers, in each worker process.  A task submitted inside a
``dask_copy_control`` block carries the annotation ``array_core-copy-control``
(Dask's annotations active at ``compute`` reach every task of the graph, and
the worker keeps them with the task): ``(control id, policy mode, allowed
categories, audit wanted)``.  While the plugin is set up the copy hook is
installed in the worker and asks, for the task running in the calling
thread, which policy governs and which log records; the records keep the
task's key and wait in the worker until the client collects them.
"""
from __future__ import annotations

import threading
from typing import Any

from dask.context import thread_state  # the one distributed sets per task
from distributed import WorkerPlugin, get_worker

from array_core import _control

ANNOTATION = "array_core-copy-control"
PLUGIN_NAME = "array_core-copy-control"

_lock = threading.Lock()
# control id -> (the policy, the log) the client asked for
_controls: dict[str, tuple[_control._Policy, tuple[_control.CopyLog, ...]]] = {}
_set_up = False


def _running_task() -> object:
    """The key of the Dask task running in this thread, or None."""
    return getattr(thread_state, "key", None)


def _control_of(key: object) -> tuple[_control._Policy,
                                      tuple[_control.CopyLog, ...]] | None:
    """The policy and logs the client asked for around task ``key``."""
    try:
        ts = get_worker().state.tasks.get(key)  # type: ignore[call-overload]
    except ValueError:  # not in a worker
        return None
    annotations = getattr(ts, "annotations", None) if ts is not None else None
    spec = annotations.get(ANNOTATION) if annotations else None
    if spec is None:
        return None
    control_id, mode, allow, audit = spec
    with _lock:
        control = _controls.get(control_id)
        if control is None:
            log = _control.CopyLog()
            control = (_control._make_policy(mode, allow), (log,) if audit else ())
            _controls[control_id] = control
    return control


def collect(control_id: str) -> list[_control.CopyRecord]:
    """The records made in this worker for ``control_id``, which ends there
    (run by the client with ``Client.run``)."""
    with _lock:
        control = _controls.pop(control_id, None)
    if control is None:
        return []
    policy, logs = control
    del policy
    records: list[_control.CopyRecord] = []
    for log in logs:
        log.closed = True
        records.extend(log.records)
    return records


class CopyControlPlugin(WorkerPlugin):
    """Applies the client's copy policy and audit around each annotated task."""

    name = PLUGIN_NAME

    def setup(self, worker: Any) -> None:
        global _set_up
        with _lock:
            if _set_up:
                return
            _set_up = True
        _control._current_task = _running_task
        _control._task_control = _control_of
        _control._acquire_listener()   # the hook must run to ask

    def teardown(self, worker: Any) -> None:
        global _set_up
        with _lock:
            if not _set_up:
                return
            _set_up = False
        _control._task_control = None
        _control._current_task = None
        _control._release_listener()
