"""The worker side of `array_core.dask_copy_control` (imports distributed).

Imported only by ``dask_copy_control`` in the client and, through the
plugin it registers, in each worker process.  A task submitted inside a
``dask_copy_control`` block carries the annotation ``array_core-copy-control``
(Dask's annotations active at ``compute`` reach every task of the graph, and
the worker keeps them with the task): ``(control id, policy mode, allowed
categories, audit wanted)``.  While the plugin is set up the copy hook is
installed in the worker and asks, for the task running in the calling
thread, which policy governs and which log records; the records keep the
task's key and wait in the worker until the client collects them, or
until they have been idle for ``IDLE_TIMEOUT`` (the client died).
"""
from __future__ import annotations

import threading
import time
from typing import Any

from dask.context import thread_state  # the one distributed sets per task
from distributed import WorkerPlugin, get_worker
from tornado.ioloop import PeriodicCallback

from array_core import _control

ANNOTATION = "array_core-copy-control"
PLUGIN_NAME = "array_core-copy-control"

# A control's records wait in the worker only from its tasks' copies to the
# end of the client's block, which collects them.  A control left idle this
# long (seconds: no task of it has copied) belongs to a client that died, or
# to a task still running after its block ended: it is dropped.  Distributed
# gives worker plugins no event when a client leaves, and asking the
# scheduler would need array_core installed there.
IDLE_TIMEOUT = 600.0
PRUNE_INTERVAL = 60.0


class _Control:
    """The policy and log the client asked for, and when a task last used them."""

    __slots__ = ("policy", "logs", "last_used")

    def __init__(self, policy: _control._Policy,
                 logs: tuple[_control.CopyLog, ...]) -> None:
        self.policy = policy
        self.logs = logs
        self.last_used = time.monotonic()


_lock = threading.Lock()
_controls: dict[str, _Control] = {}   # by the id of the client's block
_workers_set_up = 0   # workers of this process with the plugin set up


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
            control = _Control(_control._make_policy(mode, allow),
                               (log,) if audit else ())
            _controls[control_id] = control
        else:
            control.last_used = time.monotonic()
        return control.policy, control.logs


def _close(control: _Control) -> list[_control.CopyRecord]:
    records: list[_control.CopyRecord] = []
    for log in control.logs:
        with log._lock:   # no append may land after the records are taken
            log.closed = True
            records.extend(log.records)
    return records


def collect(control_id: str) -> list[_control.CopyRecord]:
    """The records made in this worker for ``control_id``, which ends there
    (run by the client with ``Client.run``)."""
    with _lock:
        control = _controls.pop(control_id, None)
    return [] if control is None else _close(control)


def prune_idle(max_idle: float | None = None) -> int:
    """Drop the controls idle for more than ``max_idle`` seconds (default
    ``IDLE_TIMEOUT``); return how many were dropped."""
    limit = time.monotonic() - (IDLE_TIMEOUT if max_idle is None else max_idle)
    with _lock:
        idle = [cid for cid, c in _controls.items() if c.last_used < limit]
        dropped = [_controls.pop(cid) for cid in idle]
    for control in dropped:
        _close(control)
    return len(dropped)


def _prune_periodically() -> None:
    prune_idle()


class CopyControlPlugin(WorkerPlugin):
    """Applies the client's copy policy and audit around each annotated task,
    and drops the records of controls left idle (see ``IDLE_TIMEOUT``)."""

    name = PLUGIN_NAME
    # Registered once per cluster: registering again would tear the hooks
    # down and set them up again while other blocks' tasks run.
    idempotent = True

    def setup(self, worker: Any) -> None:
        global _workers_set_up
        pc = PeriodicCallback(_prune_periodically, PRUNE_INTERVAL * 1000)
        worker.periodic_callbacks[PLUGIN_NAME] = pc
        pc.start()
        with _lock:
            # Workers may share a process (processes=False): the hooks are
            # the process's, installed by the first and removed by the last.
            _workers_set_up += 1
            if _workers_set_up > 1:
                return
            _control._current_task = _running_task
            _control._task_control = _control_of
        _control._acquire_listener()   # the hook must run to ask

    def teardown(self, worker: Any) -> None:
        global _workers_set_up
        pc = worker.periodic_callbacks.pop(PLUGIN_NAME, None)
        if pc is None:
            return    # not set up on this worker
        pc.stop()
        with _lock:
            _workers_set_up -= 1
            if _workers_set_up > 0:
                return
            _control._task_control = None
            _control._current_task = None
        _control._release_listener()
