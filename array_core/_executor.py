"""Copy control across a pool of workers: `CopyControlExecutor`.

A pool's workers (processes, or threads that do not inherit the submitting
context) run each call in a context of their own, where the caller's
`copy_policy` and `copy_audit` do not reach.  `CopyControlExecutor` wraps
such a pool: ``submit`` reads the policy and the open audits of the context
that submits (Dask's local schedulers submit from the thread that called
``compute``), ships the policy's settings with the call, runs the call
under them in the worker, and returns the worker's copy records with the
call's result, to be appended to the caller's logs before the future
completes.  Nothing here imports Dask.
"""
from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

from array_core import _control

__all__ = ["CopyControlExecutor"]

# Where an exception raised by a call carries the worker's records back
# (an exception's __dict__ is pickled with it).
_RECORDS_ATTRIBUTE = "_array_core_copy_records"


def _is_dask_batch(fn: Callable[..., Any], args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> bool:
    """True for the call Dask's local schedulers submit: ``dask.local.
    batch_execute_tasks`` of a list of argument tuples, each task's key first."""
    return (getattr(fn, "__module__", None) == "dask.local"
            and getattr(fn, "__name__", None) == "batch_execute_tasks"
            and len(args) == 1 and not kwargs and isinstance(args[0], list))


def _call(fn: Callable[..., Any], args: tuple[Any, ...],
          kwargs: dict[str, Any]) -> Any:
    if not _is_dask_batch(fn, args, kwargs):
        return fn(*args, **kwargs)
    # One task at a time, so that each copy knows its task's key.
    results = []
    for task_args in args[0]:
        token = _control._task_key.set(task_args[0])
        try:
            results.extend(fn([task_args]))
        finally:
            _control._task_key.reset(token)
    return results


def _run_controlled(mode: str, allow: tuple[str, ...], audit: bool,
                    fn: Callable[..., Any], args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> tuple[Any, list[Any]]:
    """In the worker: ``fn(*args, **kwargs)`` under the policy ``mode``
    (``allow`` exempt) and, if ``audit``, a log whose records come back."""
    return contextvars.copy_context().run(
        _run_in_context, mode, allow, audit, fn, args, kwargs)


def _run_in_context(mode: str, allow: tuple[str, ...], audit: bool,
                    fn: Callable[..., Any], args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> tuple[Any, list[Any]]:
    _control._policy.set(_control._make_policy(mode, allow))
    log = _control.CopyLog()
    if audit:
        _control._audits.set((log,))
        _control._acquire_listener()
    try:
        result = _call(fn, args, kwargs)
    except BaseException as exc:
        setattr(exc, _RECORDS_ATTRIBUTE, log.records)
        raise
    finally:
        log.closed = True
        if audit:
            _control._release_listener()
        _control._policy.set(_control._ALLOW)  # the hook may go now
    return result, log.records


class CopyControlExecutor(Executor):
    """A pool whose workers run under the submitting context's copy control.

    Wraps a `concurrent.futures.Executor` (a ``ProcessPoolExecutor``, or a
    ``ThreadPoolExecutor``, whose threads do not inherit the caller's
    context).  Each ``submit`` reads the `copy_policy` and the open
    `copy_audit` logs of the context that calls it, runs the call in the
    worker under that policy, and appends the copies the worker made to
    those logs before the future completes.  Given to Dask's local
    schedulers (``dask.config.set(pool=...)``, ``compute(pool=...)`` or
    ``compute(scheduler=...)``), which submit from the thread that called
    ``compute``, it makes a policy or audit opened around ``compute``
    govern the tasks: each record names its task (``record.task``, the
    task's key), and a `CopyError` raised in a task names it too.

    With nothing to carry (the policy "allow", no audit open) a call is
    submitted as it is.  Arguments and results cross to the workers as the
    pool sends them (pickled, for processes).  Shutting it down shuts the
    pool down.

    Parameters
    ----------
    pool : concurrent.futures.Executor
        The pool that runs the calls.

    See Also
    --------
    dask_copy_control : The same for ``distributed``'s workers.
    copy_policy, copy_audit

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> import array_core
    >>> def regroup(x):
    ...     return x.T.reshape(-1)       # an implicit copy
    >>> x = array_core.arange(6.0).reshape(2, 3)
    >>> with array_core.CopyControlExecutor(ThreadPoolExecutor(2)) as pool:
    ...     with array_core.copy_audit() as log:
    ...         pool.submit(regroup, x).result()
    array([0., 3., 1., 4., 2., 5.])
    >>> [(r.operation, r.category, r.nbytes) for r in log]
    [('reshape', 'implicit', 48)]

    With Dask's multiprocessing scheduler (not run here):

    >>> import dask  # doctest: +SKIP
    >>> from concurrent.futures import ProcessPoolExecutor
    >>> pool = array_core.CopyControlExecutor(ProcessPoolExecutor(2))
    >>> with array_core.copy_audit() as log:  # doctest: +SKIP
    ...     y.compute(scheduler="processes", pool=pool)
    >>> {r.task for r in log}  # doctest: +SKIP
    {('regroup-...', 0, 0), ('regroup-...', 1, 0)}
    """

    def __init__(self, pool: Executor) -> None:
        if not callable(getattr(pool, "submit", None)):
            raise TypeError(f"CopyControlExecutor wraps a concurrent.futures."
                            f"Executor (got {type(pool).__name__})")
        self.pool = pool

    @property
    def _max_workers(self) -> int | None:
        # Dask's local schedulers size their batches by the pool's workers.
        return getattr(self.pool, "_max_workers", None)

    def submit(self, fn: Callable[..., Any], /, *args: Any,
               **kwargs: Any) -> Future[Any]:
        policy = _control._policy.get()
        logs = _control._audits.get()
        if policy.mode == "allow" and not logs:
            return self.pool.submit(fn, *args, **kwargs)
        inner = self.pool.submit(_run_controlled, policy.mode,
                                 tuple(sorted(policy.allow)), bool(logs),
                                 fn, args, kwargs)
        del policy
        outer: Future[Any] = Future()

        def deliver(done: Future[Any]) -> None:
            if done.cancelled():
                outer.cancel()
                outer.set_running_or_notify_cancel()
                return
            exc = done.exception()
            if exc is not None:
                records = exc.__dict__.pop(_RECORDS_ATTRIBUTE, ())
            else:
                result, records = done.result()
            # Before the future completes: compute() returns after every
            # record of its tasks is in the caller's logs.
            for log in logs:
                for record in records:
                    log._append(record)
            if not outer.set_running_or_notify_cancel():
                return  # cancelled by its holder meanwhile
            if exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_result(result)

        inner.add_done_callback(deliver)
        return outer

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any],
            timeout: float | None = None, chunksize: int = 1) -> Iterator[Any]:
        """``Executor.map`` through `submit`: every call runs under the
        copy policy and audits of the context that called ``map``.

        Examples
        --------
        >>> from concurrent.futures import ThreadPoolExecutor
        >>> import array_core
        >>> with array_core.CopyControlExecutor(ThreadPoolExecutor(2)) as pool:
        ...     list(pool.map(abs, [-1, 2]))
        [1, 2]
        """
        return super().map(fn, *iterables, timeout=timeout, chunksize=chunksize)

    def shutdown(self, wait: bool = True, *,
                 cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __repr__(self) -> str:
        return f"CopyControlExecutor({self.pool!r})"
