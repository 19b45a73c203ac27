"""Copy control across a Dask task graph: `dask_copy_control`.

Dask's threaded scheduler needs nothing: it runs each task in a copy of the
caller's context (``dask.threaded.ContextAwareThreadPoolExecutor``, dask
2026.3 and later), so the caller's `copy_policy` governs the tasks and its
open `copy_audit` logs, which take a lock to append, record their copies.
Worker processes (``distributed``) share no context with the client:
`dask_copy_control` carries the caller's policy and audit to them in the
graph, as a Dask annotation of every task submitted inside it, and a
worker plugin applies them around each task (see ``_dask_worker``).

Nothing here imports Dask until ``dask_copy_control`` is entered.
"""
from __future__ import annotations

import uuid
from typing import Any

from array_core import _control

__all__ = ["dask_copy_control"]


class dask_copy_control:
    """Carry the copy policy and the open copy audits to Dask's workers.

    Inside the block, tasks submitted to the ``distributed`` cluster of
    ``client`` (``x.compute()``, ``client.compute``, ``client.submit``)
    run under the `copy_policy` of the context that entered it, and the
    copies they make are recorded, each with the key of its task
    (``record.task``), in the `copy_audit` logs open there: on exit, the
    records are fetched from the workers and appended to those logs.  A
    `CopyError` raised in a task reaches the client (as the task's
    exception) and names the task.  Enter it inside the policy and audit
    blocks it carries.

    The threaded scheduler needs no such block: its worker threads run in
    a copy of the caller's context.

    Parameters
    ----------
    client : distributed.Client, optional
        The client whose workers run the tasks (default: the current one,
        ``distributed.get_client()``).  A worker plugin is registered on
        its workers on entry (once per worker).

    Returns
    -------
    dask_copy_control
        The context manager.

    See Also
    --------
    CopyControlExecutor : The same for Dask's multiprocessing scheduler
        and for pools you supply.
    copy_policy, copy_audit

    Examples
    --------
    With a cluster (``distributed.LocalCluster``; not run here):

    >>> with array_core.copy_audit() as log:  # doctest: +SKIP
    ...     with array_core.dask_copy_control(client):
    ...         y.compute()
    >>> {r.task for r in log}  # doctest: +SKIP
    {('regroup-...', 0, 0), ('regroup-...', 1, 0)}

    With nothing to carry (the policy "allow", no audit open) the block
    does nothing, and needs neither a client nor Dask's import:

    >>> import array_core
    >>> with array_core.dask_copy_control() as control:
    ...     pass
    >>> control
    dask_copy_control(None)
    """

    def __init__(self, client: Any = None) -> None:
        self._client = client
        self._entries: list[tuple[Any, str | None, Any]] = []

    def __enter__(self) -> dask_copy_control:
        policy = _control._policy.get()
        audit = bool(_control._audits.get())
        if policy.mode == "allow" and not audit:
            self._entries.append((None, None, None))
            return self
        import dask.base
        import distributed

        from array_core import _dask_worker

        client = self._client
        if client is None:
            try:
                client = distributed.get_client()
            except ValueError:
                raise ValueError(
                    "dask_copy_control needs a distributed Client: none was "
                    "given and none is current (Dask's threaded scheduler "
                    "needs no block; for its multiprocessing scheduler or a "
                    "pool of your own, use CopyControlExecutor)") from None
        client.register_plugin(_dask_worker.CopyControlPlugin(),
                               name=_dask_worker.PLUGIN_NAME)
        control_id = uuid.uuid4().hex
        annotate = dask.base.annotate(**{_dask_worker.ANNOTATION: (
            control_id, policy.mode, tuple(sorted(policy.allow)), audit)})
        annotate.__enter__()
        self._entries.append((client, control_id, annotate))
        return self

    def __exit__(self, *exc_info: object) -> None:
        client, control_id, annotate = self._entries.pop()
        if control_id is None:
            return  # nothing was carried: Dask need not be importable
        from array_core import _dask_worker

        annotate.__exit__(None, None, None)
        # A worker that cannot answer (it died) has lost its records; the
        # others' still come back, and an error of the block is not hidden.
        found = client.run(_dask_worker.collect, control_id, on_error="ignore")
        for log in _control._audits.get():
            for records in found.values():
                for record in records:
                    log._append(record)

    def __repr__(self) -> str:
        return f"dask_copy_control({self._client!r})"
