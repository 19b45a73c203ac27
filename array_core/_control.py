"""Copy control: the copy policy and the copy audit.

Both listen at the copy choke point of ``_array.pyx``: ``allocate_copy`` calls
a hook before it allocates.  The hook is installed only while some non-"allow"
policy or some audit exists anywhere in the process, so when neither is in use
a copy costs one C pointer test and a view costs nothing.

The policy lives in a ``contextvars.ContextVar`` (threads and asyncio tasks
each see their own); so does the stack of open audits.
"""
from __future__ import annotations

import contextvars
import itertools
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from types import FrameType
from typing import NamedTuple

import numpy as np

from array_core import _array
from array_core._layout import attempt_nocopy_reshape

__all__ = [
    "CallSite",
    "CopyError",
    "CopyLog",
    "CopyRecord",
    "CopyWarning",
    "copy_audit",
    "copy_policy",
    "describe_copy",
    "get_copy_policy",
    "lazy_copies",
    "set_copy_policy",
]

POLICY_MODES = ("allow", "warn", "raise")
# Copies a policy may refuse; explicit copies and lazy materialisation (a
# deferred explicit copy) never are.
REFUSABLE_CATEGORIES = ("implicit", "advanced-index")
_ORDER_NAMES = ("C", "F", "A", "K")  # indexed by the ORDER_* constants
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# NumPy's Python layer, which a NumPy function given an array_core array runs
# before array_core copies (its own test suite excepted: that is a caller).
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__)) + os.sep


class CopyError(ValueError):
    """The error raised when ``copy_policy("raise")`` refuses a copy.

    Raised before anything is allocated, by an operation that would have to
    make an *implicit* copy (one made where a view was possible in general,
    but not for these strides: ``reshape``, ``ravel``, ``asarray`` with a
    new layout, ...) or an advanced-index copy.  The message says which
    operation, how many bytes, and why, in words from the strides.  It is a
    `ValueError`, the error NumPy raises for ``copy=False`` when a copy is
    needed.

    See Also
    --------
    copy_policy, set_copy_policy, CopyWarning

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(6.0).reshape(2, 3)
    >>> try:
    ...     with array_core.copy_policy("raise"):
    ...         x.T.ravel()
    ... except array_core.CopyError as error:
    ...     message = str(error)
    >>> what, why = message.split("): ", 1)
    >>> print(what + ")")
    ravel would copy 48 bytes (implicit copy refused by copy_policy('raise'))
    >>> for part in why.split("; "):
    ...     print(part)
    not C-contiguous: axis 1 has stride 24 where C order needs 8
    order='F' (or 'K') would have given a view
    >>> issubclass(array_core.CopyError, ValueError)
    True
    """

    __module__ = "array_core"


class CopyWarning(UserWarning):
    """The warning emitted when ``copy_policy("warn")`` reports a copy.

    Emitted, then the copy goes ahead, for the copies ``copy_policy("raise")``
    would refuse (see `CopyError`).  It points at the caller's line outside
    array_core and NumPy, so the standard `warnings` filters can single out
    a module; a ``"error"`` filter turns it into an exception.  It is a
    `UserWarning`.

    See Also
    --------
    copy_policy, CopyError

    Examples
    --------
    >>> import warnings
    >>> import array_core
    >>> x = array_core.arange(9.0).reshape(3, 3)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     with array_core.copy_policy("warn"):
    ...         y = x.T.reshape(9)
    >>> caught[0].category is array_core.CopyWarning
    True
    >>> print(str(caught[0].message).split("): ")[0] + ")")
    reshape would copy 72 bytes (implicit copy reported by copy_policy('warn'))
    """

    __module__ = "array_core"


# ------------------------------------------------------------ hook installation

_listeners_lock = threading.RLock()
_listeners = 0  # live non-"allow" policies + open audits, process-wide


def _acquire_listener() -> None:
    global _listeners
    with _listeners_lock:
        _listeners += 1
        if _listeners == 1:
            _array._set_copy_hook(_copy_hook)


def _release_listener() -> None:
    global _listeners
    with _listeners_lock:
        _listeners -= 1
        if _listeners == 0:
            _array._set_copy_hook(None)


# ------------------------------------------------------------ the policy


class _Policy:
    """One policy setting; a non-"allow" one keeps the hook installed while alive.

    Policy objects are shared by every context that inherited them (asyncio
    tasks copy their parent's context), so the hook stays installed until
    the last context holding a refusing policy lets go of it.
    """

    __slots__ = ("mode", "allow", "_listening")

    def __init__(self, mode: str, allow: frozenset[str]) -> None:
        self.mode = mode
        self.allow = allow
        self._listening = False
        if mode != "allow":
            _acquire_listener()
            self._listening = True

    def __del__(self) -> None:
        if self._listening:
            self._listening = False
            try:
                _release_listener()
            except Exception:  # interpreter shutdown: modules may be gone
                pass


_ALLOW = _Policy("allow", frozenset())
_policy: contextvars.ContextVar[_Policy] = contextvars.ContextVar(
    "array_core_copy_policy", default=_ALLOW)


def _make_policy(mode: str, allow: Iterable[str]) -> _Policy:
    if mode not in POLICY_MODES:
        raise ValueError(f"copy policy must be one of 'allow', 'warn' or 'raise' "
                         f"(got {mode!r})")
    if isinstance(allow, str):
        allow = (allow,)
    allowed = frozenset(allow)
    unknown = allowed.difference(_array.COPY_CATEGORIES)
    if unknown:
        raise ValueError(f"unknown copy categories {sorted(unknown)}; the "
                         f"categories are {', '.join(_array.COPY_CATEGORIES)}")
    if mode == "allow" and not allowed:
        return _ALLOW
    return _Policy(mode, allowed)


def set_copy_policy(mode: str, allow: Iterable[str] = ()) -> str:
    """Set the copy policy of the current context and return the previous mode.

    The setting lasts until changed again, in the current context only
    (each thread and asyncio task has its own, inherited by tasks started
    from it).  Prefer the `copy_policy` context manager, which restores the
    previous policy at the end of its block.

    Parameters
    ----------
    mode : {"allow", "warn", "raise"}
        What an implicit copy (one made where a view was possible in general
        but not for these strides) or an advanced-index copy does: nothing
        (the default policy), emit a `CopyWarning`, or raise a `CopyError`
        before allocating.  Explicit copies (``copy()``, ``flatten()``,
        ``copy=True``, ``array()``, ``concatenate``, ``take``, ...) and the
        materialisation of a lazy copy are never refused.
    allow : str or iterable of str, optional
        Copy categories exempt from the policy: "implicit" or
        "advanced-index" (e.g. ``allow="advanced-index"`` to refuse only
        implicit copies).

    Returns
    -------
    str
        The mode that was in force before.

    Raises
    ------
    ValueError
        If ``mode`` is not one of the three, or if ``allow`` names a category
        other than "explicit", "implicit", "advanced-index" and
        "lazy-materialise".

    See Also
    --------
    copy_policy, get_copy_policy

    Examples
    --------
    >>> import array_core
    >>> array_core.set_copy_policy("raise")
    'allow'
    >>> array_core.get_copy_policy()
    'raise'
    >>> array_core.set_copy_policy("allow")
    'raise'
    >>> array_core.set_copy_policy("strict")
    Traceback (most recent call last):
        ...
    ValueError: copy policy must be one of 'allow', 'warn' or 'raise' (got 'strict')
    """
    previous = _policy.get().mode
    _policy.set(_make_policy(mode, allow))
    return previous


def get_copy_policy() -> str:
    """Return the copy policy mode of the current context.

    Returns
    -------
    str
        "allow" (the default), "warn" or "raise".

    See Also
    --------
    set_copy_policy, copy_policy

    Examples
    --------
    >>> import array_core
    >>> array_core.get_copy_policy()
    'allow'
    >>> with array_core.copy_policy("warn"):
    ...     array_core.get_copy_policy()
    'warn'
    """
    return _policy.get().mode


class copy_policy:
    """Context manager setting the copy policy inside its block.

    On entry it sets the policy of the current context (each thread and
    asyncio task has its own); on exit it restores the one before, even when
    the block raises.  The arguments are checked when the object is made.
    Blocks nest, and one object may be entered again.  While no policy other
    than "allow" (and no `copy_audit`) is in use anywhere, a copy costs one
    pointer test and a view nothing.

    Parameters
    ----------
    mode : {"allow", "warn", "raise"}
        What an implicit or advanced-index copy does inside the block:
        nothing, emit a `CopyWarning`, or raise a `CopyError` before
        allocating (see `set_copy_policy`).  Explicit copies are never
        refused.
    allow : str or iterable of str, optional
        Copy categories exempt from the policy, e.g. "advanced-index".

    Attributes
    ----------
    mode : str
        The mode the block sets.

    Raises
    ------
    ValueError
        If ``mode`` is not one of the three, or if ``allow`` names an
        unknown category.

    See Also
    --------
    set_copy_policy, get_copy_policy, copy_audit

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(9).reshape(3, 3)
    >>> with array_core.copy_policy("raise"):
    ...     y = x.T.reshape(9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    array_core.CopyError: reshape would copy 72 bytes (implicit copy refused ...
    >>> with array_core.copy_policy("raise"):
    ...     y = x.T.copy()         # explicit: always allowed
    ...     z = x.T.reshape(9, order="F")  # a view: nothing to refuse
    >>> with array_core.copy_policy("raise", allow="advanced-index"):
    ...     rows = x[[0, 2]]       # advanced indexing let through
    >>> rows.shape
    (2, 3)
    """

    def __init__(self, mode: str, allow: Iterable[str] = ()) -> None:
        allow = (allow,) if isinstance(allow, str) else tuple(allow)
        self._policy_args = (mode, allow)
        _make_policy(mode, allow)  # validate now, at the with statement
        self._tokens: list[contextvars.Token[_Policy]] = []

    @property
    def mode(self) -> str:
        return self._policy_args[0]

    def __enter__(self) -> copy_policy:
        self._tokens.append(_policy.set(_make_policy(*self._policy_args)))
        return self

    def __exit__(self, *exc_info: object) -> None:
        _policy.reset(self._tokens.pop())

    def __repr__(self) -> str:
        mode, allow = self._policy_args
        return f"copy_policy({mode!r}, allow={tuple(allow)!r})"


# ------------------------------------------------------------ the audit


class CopyRecord:
    """One copy seen by an audit.

    ``reason`` (in words, from the source's strides) is worked out on first
    access, so recording a copy stays cheap.
    """

    __slots__ = ("operation", "category", "nbytes", "shape", "strides", "dtype",
                 "filename", "lineno", "function", "task", "_detail", "_reason")

    def __init__(self, operation: str, category: str, detail: object, nbytes: int,
                 shape: tuple[int, ...], strides: tuple[int, ...], dtype: np.dtype,
                 filename: str, lineno: int, function: str,
                 reason: str | None = None, task: object = None) -> None:
        self.operation = operation  # "reshape", "ravel", "copy", "getitem", ...
        self.category = category    # "explicit", "implicit", "advanced-index", ...
        self.nbytes = nbytes        # bytes allocated for the copy
        self.shape = shape          # the source's shape, strides and dtype
        self.strides = strides
        self.dtype = dtype
        self.filename = filename    # the caller outside array_core
        self.lineno = lineno
        self.function = function
        self.task = task            # the Dask task's key, when one ran the copy
        self._detail = detail       # what the call site passed as reason
        self._reason = reason

    @property
    def reason(self) -> str:
        """Why the copy was made, in words from the strides."""
        if self._reason is None:
            self._reason = describe_copy(self.operation, self.category,
                                         self._detail, self.shape, self.strides,
                                         self.dtype)
        return self._reason

    @property
    def location(self) -> str:
        return f"{self.filename}:{self.lineno}"

    def __repr__(self) -> str:
        return (f"CopyRecord({self.operation!r}, {self.category!r}, "
                f"nbytes={self.nbytes}, shape={self.shape}, strides={self.strides}, "
                f"dtype={self.dtype}, at {self.location}: {self.reason!r})")


class CallSite(NamedTuple):
    """Copies made from one line of code, as ranked by `CopyLog.summary`."""

    filename: str
    lineno: int
    function: str
    copies: int
    nbytes: int
    operations: tuple[str, ...]


class CopyLog:
    """The copies recorded by one `copy_audit` block, in the order made.

    Iterating gives `CopyRecord` objects; ``len(log)`` counts them;
    ``str(log)`` is a readable table.
    """

    def __init__(self) -> None:
        self.records: list[CopyRecord] = []
        self.closed = False
        # Worker threads (Dask's threaded scheduler copies the caller's
        # context, and so its open audits, into them) append concurrently.
        self._lock = threading.Lock()

    def _append(self, record: CopyRecord) -> None:
        with self._lock:
            if not self.closed:
                self.records.append(record)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[CopyRecord]:
        return iter(self.records)

    def __getitem__(self, index: int) -> CopyRecord:
        return self.records[index]

    @property
    def total_bytes(self) -> int:
        """Bytes copied in all."""
        return sum(r.nbytes for r in self.records)

    def by_category(self) -> dict[str, int]:
        """Bytes copied per category."""
        out: dict[str, int] = {}
        for r in self.records:
            out[r.category] = out.get(r.category, 0) + r.nbytes
        return out

    def summary(self) -> list[CallSite]:
        """Call sites ranked by bytes copied (then by number of copies)."""
        sites: dict[tuple[str, int], list[CopyRecord]] = {}
        for r in self.records:
            sites.setdefault((r.filename, r.lineno), []).append(r)
        ranked = [
            CallSite(fn, line, rs[0].function, len(rs), sum(r.nbytes for r in rs),
                     tuple(dict.fromkeys(r.operation for r in rs)))
            for (fn, line), rs in sites.items()
        ]
        ranked.sort(key=lambda s: (-s.nbytes, -s.copies))
        return ranked

    def format(self) -> str:
        """The log as a table, then the call sites ranked by bytes."""
        n = len(self.records)
        lines = [f"copy audit: {n} cop{'y' if n == 1 else 'ies'}, "
                 f"{self.total_bytes} bytes"]
        if not n:
            return lines[0]
        rows = [("#", "operation", "category", "bytes", "source", "caller")]
        for i, r in enumerate(self.records, 1):
            rows.append((str(i), r.operation, r.category, str(r.nbytes),
                         f"{r.shape} {r.strides} {r.dtype}",
                         f"{_short_path(r.filename)}:{r.lineno}"))
        widths = [max(len(row[k]) for row in rows) for k in range(6)]
        for j, row in enumerate(rows):
            cells = [row[0].rjust(widths[0]), row[1].ljust(widths[1]),
                     row[2].ljust(widths[2]), row[3].rjust(widths[3]),
                     row[4].ljust(widths[4]), row[5]]
            lines.append("  " + "  ".join(cells).rstrip())
            if j:
                lines.append("  " + " " * (widths[0] + 2) + "why: "
                             + self.records[j - 1].reason)
        lines.append("by call site (most bytes first):")
        for s in self.summary():
            lines.append(f"  {_short_path(s.filename)}:{s.lineno} ({s.function})  "
                         f"{s.copies} cop{'y' if s.copies == 1 else 'ies'}  "
                         f"{s.nbytes} bytes  {', '.join(s.operations)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return f"<CopyLog: {len(self.records)} copies, {self.total_bytes} bytes>"


_audits: contextvars.ContextVar[tuple[CopyLog, ...]] = contextvars.ContextVar(
    "array_core_copy_audits", default=())


class copy_audit:
    """Context manager recording every copy made inside its block.

    ``with copy_audit() as log:`` gives a ``CopyLog``, filled as copies are
    made: every array_core copy (explicit, implicit, advanced-index, lazy --
    a lazy copy, recorded with 0 bytes since it allocates none -- and
    lazy-materialise, the real copy behind a lazy one), never a view.  A
    ``CopyLog`` supports ``len(log)``, iteration and ``log[i]``, giving
    ``CopyRecord`` objects with ``operation``, ``category``, ``nbytes``,
    ``reason`` (in words, from the strides), the source's ``shape``,
    ``strides`` and ``dtype``, and the caller's ``filename``, ``lineno`` and
    ``function`` outside array_core and NumPy (and ``task``, the Dask task's
    key, for copies made in a worker under `dask_copy_control`).  ``log.total_bytes``,
    ``log.by_category()`` (bytes per category) and ``log.summary()`` (call
    sites ranked by bytes) sum it up; ``print(log)`` shows a table.

    Audits nest (each open audit records the copies made inside it) and
    belong to the context that opened them: copies made in other threads
    are not recorded, those in asyncio tasks started inside the block are.
    Creations (``zeros``, ``empty_like``, ...) and in-place writes (``put``,
    ``copyto``) are not copies.

    See Also
    --------
    copy_policy : Refuse or report copies instead.
    explain : The views and copies of one expression, step by step.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(9.0).reshape(3, 3)
    >>> with array_core.copy_audit() as log:
    ...     y = x.T.reshape(9)   # must copy: implicit
    ...     z = x.copy()         # explicit
    ...     v = x[::2]           # a view: not recorded
    >>> [(r.operation, r.category, r.nbytes) for r in log]
    [('reshape', 'implicit', 72), ('copy', 'explicit', 72)]
    >>> log.total_bytes, log.by_category()
    (144, {'implicit': 72, 'explicit': 72})
    >>> for part in log[0].reason.split("; "):
    ...     print(part)
    axes 0 and 1 cannot merge: stride 8 is not 24 * 3
    order='F' would have given a view
    >>> log[0].shape, log[0].strides
    ((3, 3), (8, 24))
    """

    def __init__(self) -> None:
        self._entries: list[tuple[CopyLog, contextvars.Token[tuple[CopyLog, ...]]]] = []

    def __enter__(self) -> CopyLog:
        log = CopyLog()
        token = _audits.set(_audits.get() + (log,))
        self._entries.append((log, token))
        _acquire_listener()
        return log

    def __exit__(self, *exc_info: object) -> None:
        log, token = self._entries.pop()
        log.closed = True
        _audits.reset(token)
        _release_listener()


# ------------------------------------------------------------ lazy scopes

_lazy_scope: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "array_core_lazy_copies", default=False)
_lazy_scopes = 0  # open lazy_copies blocks, process-wide
_lazy_scopes_lock = threading.Lock()


class lazy_copies:
    """Context manager in which explicit copies are lazy (copy-on-write).

    Inside the block (in this context: threads and asyncio tasks have their
    own, and Dask's threaded scheduler copies the caller's into its
    workers), ``a.copy()`` and ``array_core.copy(a)`` behave as
    ``a.copy(lazy=True)``: the copy shares ``a``'s memory until either side
    is first written, and is then copied once.  Nothing else tells it from
    an eager copy: it owns its memory (``base`` is None,
    ``flags.owndata``), is writeable, and shares no memory with ``a``
    (`shares_memory`).  A copy of memory nothing in the process can write
    (a `memmap` opened in mode ``'r'``) is lazy without this block.  Opt in
    for other memory: what a lazy copy cannot see is a write made behind
    array_core's back (through a NumPy array or a buffer of the memory that
    was exported writable before the copy, or by another process).

    Returns
    -------
    lazy_copies
        The context manager.

    See Also
    --------
    ndarray.copy : ``lazy=True`` asks for one lazy copy.
    copy_audit : Records lazy copies with category "lazy" and no bytes.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(4)
    >>> with array_core.copy_audit() as log, array_core.lazy_copies():
    ...     y = x.copy()
    >>> [(r.category, r.nbytes) for r in log]
    [('lazy', 0)]
    >>> y[0] = 9          # the first write copies, once
    >>> int(x[0]), int(y[0]), y.base is None
    (0, 9, True)
    """

    def __init__(self) -> None:
        self._tokens: list[contextvars.Token[bool]] = []

    def __enter__(self) -> lazy_copies:
        global _lazy_scopes
        with _lazy_scopes_lock:
            _lazy_scopes += 1
            if _lazy_scopes == 1:
                _array._set_lazy_scope_hook(_lazy_scope.get)
        self._tokens.append(_lazy_scope.set(True))
        return self

    def __exit__(self, *exc_info: object) -> None:
        global _lazy_scopes
        _lazy_scope.reset(self._tokens.pop())
        with _lazy_scopes_lock:
            _lazy_scopes -= 1
            if _lazy_scopes == 0:
                _array._set_lazy_scope_hook(None)


# ------------------------------------------------------------ the hook

# The key of the Dask task running in this context, set around each task
# by a CopyControlExecutor's worker (array_core._executor).
_task_key: contextvars.ContextVar[object] = contextvars.ContextVar(
    "array_core_task_key", default=None)
# Set by array_core._dask_worker in a distributed worker process: the running
# task's key (or None), and the policy and audit logs the client asked for
# around that task (or None: the worker's own context governs).
_current_task: Callable[[], object] | None = None
_TaskControl = Callable[[object], "tuple[_Policy, tuple[CopyLog, ...]] | None"]
_task_control: _TaskControl | None = None


def _is_library_frame(filename: str) -> bool:
    """True for code of array_core, or of NumPy outside its tests."""
    if filename.startswith(_PACKAGE_DIR):
        return True
    return (filename.startswith(_NUMPY_DIR)
            and f"{os.sep}tests{os.sep}" not in filename[len(_NUMPY_DIR) - 1:])


def _caller_frame() -> tuple[FrameType | None, int]:
    """The first frame outside array_core and NumPy (a NumPy function given
    an array_core array runs NumPy's Python code first), and its
    ``stacklevel`` from here."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and _is_library_frame(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return frame, level


def _copy_hook(operation: str, category: str, reason: object,
               source: _array.ndarray, nbytes: int) -> None:
    """Called by ``allocate_copy`` before every copy while installed."""
    policy = _policy.get()
    audits = _audits.get()
    task = _task_key.get()
    if task is None and _current_task is not None:
        task = _current_task()
    control = None
    if task is not None and _task_control is not None:
        control = _task_control(task)
        if control is not None:
            policy, task_audits = control
            audits = audits + task_audits
    refuse = (policy.mode != "allow" and category in REFUSABLE_CATEGORIES
              and category not in policy.allow)
    if not refuse and not audits:
        return
    shape, strides, dtype = source.shape, source.strides, source.dtype
    words = None
    frame, level = _caller_frame()
    if refuse:
        words = describe_copy(operation, category, reason, shape, strides, dtype)
        mode = policy.mode
        message = (f"{operation} would copy {nbytes} bytes ({category} copy "
                   f"refused by copy_policy({mode!r})): {words}")
        if task is not None:
            message += f" (in Dask task {task!r})"
        del policy, control  # no traceback may keep a refusing policy alive
        if mode == "raise":
            raise CopyError(message)
        # ``level`` counts from _caller_frame's caller (this function) outward.
        warnings.warn(message.replace("refused by", "reported by"), CopyWarning,
                      stacklevel=level)
    if frame is None:
        filename, lineno, function = "<unknown>", 0, "<unknown>"
    else:
        code = frame.f_code
        filename, lineno, function = code.co_filename, frame.f_lineno, code.co_name
    record = CopyRecord(operation, category, reason, nbytes, shape, strides, dtype,
                        filename, lineno, function, words, task)
    for log in audits:
        log._append(record)


# ------------------------------------------------------------ reasons in words


def describe_copy(operation: str, category: str, reason: object,
                  shape: tuple[int, ...], strides: tuple[int, ...],
                  dtype: np.dtype) -> str:
    """Why ``operation`` had to copy its source, in words from its strides.

    ``reason`` is what the call site in ``_array.pyx`` passed: a short text,
    or ``(text, *details)`` with the requested shape, dtype or order.
    ``shape``, ``strides`` and ``dtype`` are the source's.
    """
    text, details = (reason[0], reason[1:]) if isinstance(reason, tuple) else (
        str(reason), ())
    itemsize = dtype.itemsize
    try:
        if category == "implicit":
            if operation == "reshape" and len(details) == 2:
                newshape, order = details
                return reshape_reason(shape, strides, itemsize, newshape,
                                      _ORDER_NAMES[order])
            if operation == "ravel" and len(details) == 1:
                return ravel_reason(shape, strides, itemsize,
                                    _ORDER_NAMES[details[0]])
            if len(details) == 2:
                return conversion_reason(shape, strides, itemsize, dtype,
                                         details[0], _ORDER_NAMES[details[1]])
        if category == "advanced-index":
            return (f"{text}: advanced (integer-array or boolean) indexing "
                    f"gathers elements that no single stride can reach, so "
                    f"it always copies" if text else
                    "advanced (integer-array or boolean) indexing always copies")
    except Exception as exc:  # a reason must never break the copy itself
        return f"{text} (reason unavailable: {exc})"
    return text


def _merge_failure(axes: list[int], shape: tuple[int, ...],
                   strides: tuple[int, ...], order: str) -> str | None:
    """The first pair of adjacent axes (of ``axes``) that is not one strided run."""
    for a, b in itertools.pairwise(axes):
        if order == "C" and strides[a] != strides[b] * shape[b]:
            return (f"axes {a} and {b} cannot merge: stride {strides[a]} is not "
                    f"{strides[b]} * {shape[b]}")
        if order == "F" and strides[b] != strides[a] * shape[a]:
            return (f"axes {a} and {b} cannot merge in F order: stride "
                    f"{strides[b]} is not {strides[a]} * {shape[a]}")
    return None


def _nocopy_strides(shape: tuple[int, ...], strides: tuple[int, ...],
                    itemsize: int, newshape: tuple[int, ...],
                    order: str) -> tuple[int, ...] | None:
    intp = np.intp
    return attempt_nocopy_reshape(np.array(shape, intp), np.array(strides, intp),
                                  np.array(newshape, intp), order, itemsize)


def reshape_reason(shape: tuple[int, ...], strides: tuple[int, ...], itemsize: int,
                   newshape: tuple[int, ...], order: str) -> str:
    """Why viewing (shape, strides) as ``newshape`` in ``order`` is impossible.

    Follows NumPy's ``_attempt_nocopy_reshape``: length-1 axes are ignored, old
    and new axes are grouped by equal products, and each group of old axes
    must be one strided run.  Names the first pair of axes that is not, and
    the other order when it would have given a view.
    """
    shape, strides, newshape = tuple(shape), tuple(strides), tuple(newshape)
    axes = [i for i, n in enumerate(shape) if n != 1]
    words = None
    oi = ni = 0
    while words is None and oi < len(axes) and ni < len(newshape):
        group = [axes[oi]]
        new_group = [ni]
        old_product, new_product = shape[axes[oi]], newshape[ni]
        oi, ni = oi + 1, ni + 1
        while old_product != new_product:
            if new_product < old_product:
                new_product *= newshape[ni]
                new_group.append(ni)
                ni += 1
            else:
                old_product *= shape[axes[oi]]
                group.append(axes[oi])
                oi += 1
        words = _merge_failure(group, shape, strides, order)
    if words is None:
        words = (f"the strides {strides} cannot be read as shape {newshape} in "
                 f"{order} order")
    other = "F" if order == "C" else "C"
    if _nocopy_strides(shape, strides, itemsize, newshape, other) is not None:
        words += f"; order={other!r} would have given a view"
    return words


def _contiguity_break(shape: tuple[int, ...], strides: tuple[int, ...],
                      itemsize: int, order: str) -> str | None:
    """The first axis whose stride breaks ``order``-contiguity, in words."""
    axes = range(len(shape) - 1, -1, -1) if order == "C" else range(len(shape))
    expected = itemsize
    for axis in axes:
        if shape[axis] == 1:
            continue
        if strides[axis] != expected:
            return (f"not {order}-contiguous: axis {axis} has stride "
                    f"{strides[axis]} where {order} order needs {expected}")
        expected *= shape[axis]
    return None


def ravel_reason(shape: tuple[int, ...], strides: tuple[int, ...], itemsize: int,
                 order: str) -> str:
    """Why flattening (shape, strides) in ``order`` must copy."""
    shape, strides = tuple(shape), tuple(strides)
    if order == "K":
        perm = sorted(range(len(shape)), key=lambda i: -abs(strides[i]))
        expected = itemsize
        words = "the elements are not one strided run in memory order"
        for axis in reversed(perm):
            if shape[axis] == 1:
                continue
            if strides[axis] != expected:
                words = (f"the elements are not one strided run in memory order: "
                         f"axis {axis} has stride {strides[axis]} where "
                         f"{expected} is needed")
                break
            expected *= shape[axis]
        return words
    words = _contiguity_break(shape, strides, itemsize, order) or (
        f"the elements are not one strided run in {order} order")
    size = int(np.prod(shape, dtype=np.intp))
    if _nocopy_strides(shape, strides, itemsize, (size,), order) is not None:
        words += f"; reshape(-1, order={order!r}) would have given a view"
    else:
        for other in ("C", "F"):
            if other != order and _contiguity_break(shape, strides, itemsize,
                                                    other) is None:
                words += (f"; order={other!r} (or 'K') would have given a "
                          f"view")
    return words


def conversion_reason(shape: tuple[int, ...], strides: tuple[int, ...],
                      itemsize: int, src_dtype: np.dtype, dtype: np.dtype | None,
                      order: str) -> str:
    """Why an asarray-like conversion (or astype(copy=False)) must copy."""
    parts = []
    if dtype is not None and np.dtype(dtype) != src_dtype:
        parts.append(f"the dtype changes from {src_dtype} to {np.dtype(dtype)}, "
                     f"so every element is converted")
    if order in ("C", "F"):
        broken = _contiguity_break(tuple(shape), tuple(strides), itemsize, order)
        if broken:
            parts.append(broken)
    return "; ".join(parts) or "the layout does not match the order asked for"


def _short_path(filename: str) -> str:
    """``filename`` relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if rel.startswith("..") else rel
