"""What pins memory: the live array_core buffers, what holds each, and how
much of it is still reachable.

A view keeps its whole buffer alive (NumPy's design, and array_core's): a
40-byte slice of an 800 MB array keeps the 800 MB.  ``memory_report()``
finds the live buffers through the garbage collector (array_core's Buffers
are tracked by it; nothing is recorded per array or per allocation), then
the arrays on each: those that something holds (a name, a container, a
memoryview or NumPy view exported from it, a running function's local)
are its *holders*; an array alive only as the ``base`` of views is not one.
The bytes reachable through the holders are the union of their byte spans
(first to last byte each can read; an upper bound for strided views).

Where each buffer was allocated is known only for buffers allocated while
`track_allocations` is on: it records the caller's file and line (outside
array_core and NumPy) for each, keyed by the block's address, until the
block is freed.  Off (the default) it costs one pointer test per
allocation and one dictionary-size test per free.
"""
from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import warnings
from collections.abc import Iterable
from types import FrameType
from typing import Any

import numpy as np

from array_core import _array, _buffer, _pins
from array_core._control import _is_library_frame, _short_path

__all__ = [
    "AllocationTracking", "BufferRecord", "HolderRecord", "MemoryReport",
    "PinWarning", "check_pins", "memory_report", "pin_explanation",
    "track_allocations",
]

# A buffer is *pinned* when its holders use at most this fraction of it.
PINNED_FRACTION = 0.1
# Objects whose referents the scan lists at a time.
_CHUNK = 4096


class PinWarning(UserWarning):
    """The warning `check_pins` emits for each buffer a small view pins.

    A `UserWarning` (shown by default): the standard `warnings` filters
    can silence it or turn it into an error.

    See Also
    --------
    check_pins, memory_report

    Examples
    --------
    >>> import warnings
    >>> import array_core
    >>> tail = array_core.arange(1_000_000)[-5:]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     pinned = array_core.check_pins(tail, min_bytes=1_000_000)
    >>> caught[0].category is array_core.PinWarning
    True
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    a 40-byte view keeps an 8,000,000-byte (8.0 MB) buffer alive...
    """


# ------------------------------------------------------------ records


@dataclasses.dataclass(frozen=True)
class HolderRecord:
    """One live array that holds a buffer (no reference to the array)."""

    kind: str                       # "owner", "view" or "lazy copy"
    shape: tuple[int, ...]
    dtype: np.dtype[Any]
    nbytes: int                     # the array's own bytes
    span: tuple[int, int]           # bytes [first, stop) of the buffer it reaches
    held_by: tuple[str, ...]        # what refers to it, in words

    @property
    def span_bytes(self) -> int:
        return self.span[1] - self.span[0]

    def describe(self) -> str:
        shape = "(" + ", ".join(str(n) for n in self.shape) + (
            ",)" if len(self.shape) == 1 else ")")
        held = f" held by {', '.join(self.held_by)}" if self.held_by else ""
        return f"{self.kind} {shape} {self.dtype}, {_bytes(self.nbytes)}{held}"


@dataclasses.dataclass(frozen=True)
class BufferRecord:
    """One live array_core buffer: its size, holders, exports and origin."""

    address: int                    # its first byte
    nbytes: int                     # its size (what it keeps allocated)
    reachable_bytes: int            # union of the holders' spans (upper bound)
    used_bytes: int                 # the holders' own bytes (sum, at most the above)
    holders: tuple[HolderRecord, ...]
    bases: int                      # arrays alive only as the base of views
    readonly_exports: int           # live read-only exports held outside
    writable_exports: int           # live writable exports (and writes)
    reads: int                      # array_core's reads in progress
    lazily_shared: bool             # lazy copies share it
    allocated_at: str | None        # "file.py:12" when tracking was on

    @property
    def exports(self) -> int:
        """All live exports: read-only, writable, and reads in progress."""
        return self.readonly_exports + self.writable_exports + self.reads

    @property
    def reachable_fraction(self) -> float:
        return self.reachable_bytes / self.nbytes if self.nbytes else 1.0

    @property
    def unreachable_bytes(self) -> int:
        """Bytes kept allocated that no holder can reach."""
        return self.nbytes - self.reachable_bytes

    @property
    def pinned(self) -> bool:
        """Whether holders using at most a tenth of it keep it alive."""
        return _is_pinned(self, PINNED_FRACTION)

    def advice(self) -> str:
        """One sentence: what pins this buffer and what would release it."""
        site = f", allocated at {self.allocated_at}" if self.allocated_at else ""
        kinds = {h.kind for h in self.holders}
        noun = "view" if kinds == {"view"} else (
            "lazy copy" if kinds == {"lazy copy"} else "array")
        if len(self.holders) == 1:
            n = self.holders[0].nbytes
            who = f"{_article(n)} {n:,}-byte {noun}"
            fix = "its .copy() would release it"
        else:
            who = (f"{len(self.holders)} {noun}s using "
                   f"{self.used_bytes:,} bytes")
            fix = "a .copy() of each would release it"
        article = _article(self.nbytes)
        verb = "keeps" if len(self.holders) == 1 else "keep"
        return (f"{who} {verb} {article} {self.nbytes:,}-byte "
                f"({_bytes(self.nbytes)}) buffer alive{site}; {fix}")


class MemoryReport(list[BufferRecord]):
    """The live buffers, largest first: a list of `BufferRecord`; printed,
    a table."""

    min_bytes: int = 0

    @property
    def total_bytes(self) -> int:
        return sum(r.nbytes for r in self)

    @property
    def pinned(self) -> list[BufferRecord]:
        """The buffers small views pin (see `BufferRecord.pinned`)."""
        return [r for r in self if r.pinned]

    def __str__(self) -> str:
        count = len(self)
        lines = [f"memory report: {count} buffer{'' if count == 1 else 's'}, "
                 f"{_bytes(self.total_bytes)}"
                 + (f" (buffers of {self.min_bytes:,} bytes or more)"
                    if self.min_bytes else "")]
        if not count:
            return lines[0]
        rows = [("#", "size", "reachable", "used", "exports", "allocated at")]
        for i, r in enumerate(self, 1):
            rows.append((str(i), _bytes(r.nbytes),
                         f"{_bytes(r.reachable_bytes)} "
                         f"({_percent(r.reachable_fraction)})",
                         _bytes(r.used_bytes), str(r.exports),
                         r.allocated_at or "-"))
        widths = [max(len(row[k]) for row in rows) for k in range(6)]
        for i, row in enumerate(rows):
            cells = [row[k].rjust(widths[k]) for k in range(5)] + [row[5]]
            lines.append("  " + "  ".join(cells).rstrip())
            if i == 0:
                continue
            record = self[i - 1]
            pad = "  " + " " * (widths[0] + 2)
            for holder in record.holders:
                lines.append(f"{pad}{holder.describe()}")
            if record.bases:
                lines.append(f"{pad}(+ {record.bases} array"
                             f"{'' if record.bases == 1 else 's'} alive only as "
                             f"the base of views)")
            if record.lazily_shared:
                lines.append(f"{pad}(shared by lazy copies)")
            if not record.holders:
                lines.append(f"{pad}no holder found (held by something the "
                             f"garbage collector cannot see into)")
            if record.pinned:
                lines.append(f"{pad}PINNED: {record.advice()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<MemoryReport: {len(self)} buffers, {self.total_bytes} bytes>"


def _is_pinned(record: BufferRecord, fraction: float) -> bool:
    return (bool(record.holders) and record.nbytes > 0
            and record.used_bytes <= fraction * record.nbytes)


def _article(n: int) -> str:
    """"a" or "an" before ``n`` read aloud (an 8..., an 11..., an 18...)."""
    lead = f"{n:,}".split(",")[0]
    return "an" if lead[0] == "8" or lead in ("11", "18") else "a"


def _bytes(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)):
        if n < scale * 1000 or unit == "TB":
            return f"{n / scale:.1f} {unit}"
    raise AssertionError("unreachable")


def _percent(fraction: float) -> str:
    if fraction == 0 or fraction >= 0.01:
        return f"{fraction:.0%}"
    return f"{fraction * 100:.2g}%" if fraction * 100 >= 0.01 else "<0.01%"


# ------------------------------------------------------------ tracking

_tracking_lock = threading.Lock()
_tracking_depth = 0


def _site() -> str | None:
    """The caller's ``file:line`` outside array_core and NumPy (the hook)."""
    try:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and _is_library_frame(frame.f_code.co_filename):
            frame = frame.f_back
        if frame is None:
            return None
        return f"{_short_path(frame.f_code.co_filename)}:{frame.f_lineno}"
    except Exception:  # never fail an allocation for its bookkeeping
        return None


class AllocationTracking:
    """What `track_allocations` returns: on until `stop` or the end of its
    ``with`` block."""

    def __init__(self) -> None:
        global _tracking_depth
        with _tracking_lock:
            _tracking_depth += 1
            if _tracking_depth == 1:
                _buffer._set_site_hook(_site)
        self.active = True

    def stop(self) -> None:
        """Stop this tracking (others started and not stopped go on)."""
        global _tracking_depth
        with _tracking_lock:
            if not self.active:
                return
            self.active = False
            _tracking_depth -= 1
            if _tracking_depth == 0:
                _buffer._set_site_hook(None)

    def __enter__(self) -> AllocationTracking:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<AllocationTracking {'on' if self.active else 'stopped'}>"


def track_allocations() -> AllocationTracking:
    """Record where each array_core buffer is allocated, from now on.

    While tracking is on, every buffer array_core allocates (an array, a
    copy, a lazy copy's materialisation) records the file and line of the
    caller outside array_core and NumPy; `memory_report`, `check_pins` and
    `explain` on an array show it.  Tracking is process-wide, as
    `tracemalloc`'s: buffers other threads allocate meanwhile are tracked
    too.  It stays on until the returned object's ``stop()``, or the end of
    the ``with`` block it is used in; calls nest (tracking ends when the
    last one stops).  A buffer's record goes when the buffer is freed.

    Returns
    -------
    AllocationTracking
        A context manager; ``stop()`` ends this tracking, ``active`` says
        whether it is on.

    See Also
    --------
    memory_report

    Notes
    -----
    Off (the default), tracking costs one pointer test per allocation and
    one dictionary-size test per free; on, about a microsecond per
    allocation (the caller's frame is found as `copy_audit` finds it).

    Examples
    --------
    >>> import array_core
    >>> with array_core.track_allocations():
    ...     big = array_core.zeros(1_000_000)
    >>> [record] = array_core.memory_report(big)
    >>> record.allocated_at  # doctest: +ELLIPSIS
    '<doctest ...>:2'
    >>> later = array_core.zeros(10)     # not tracked
    >>> print(array_core.memory_report(later)[0].allocated_at)
    None
    """
    return AllocationTracking()


# ------------------------------------------------------------ the scan


def _label_referrer(referrer: Any, obj: Any) -> str | None:
    """``referrer`` (which refers to ``obj``) in words, or None to skip it."""
    name = type(referrer).__name__
    if isinstance(referrer, dict):
        for key, value in referrer.items():
            if value is obj and isinstance(key, str):
                return repr(key)
        return "a dict"
    if name in ("_ReadPin", "_WritePin", "_ExportPin", "_ArrayInterfaceProxy"):
        return "a NumPy view"
    if name in ("list", "tuple", "set", "frozenset", "deque"):
        return f"a {name}"
    if name == "cell":
        return "a closure"
    if name in ("frame", "generator", "coroutine", "async_generator"):
        return f"a {name}"
    if name == "flatiter":
        return "a flat iterator"
    return f"a {name}"


def _label_exports(exports: list[tuple[int, Any]], words: dict[int, list[str]],
                   local_words: dict[int, list[str]]) -> None:
    """Name the memoryviews exported from holders: by what refers to each;
    one nothing the collector tracks refers to is (almost always) the base
    of a NumPy array (``np.asarray`` of an array_core array)."""
    managed = [mb for _, mb in exports]
    views = [v for v in gc.get_referrers(*managed)
             if type(v) is memoryview]
    view_of: dict[int, list[memoryview]] = {}
    for v in views:
        for mb in gc.get_referents(v):
            view_of.setdefault(id(mb), []).append(v)
    outer: dict[int, list[str]] = {}
    own = {id(views), id(managed), id(exports)}
    own.update(id(group) for group in view_of.values())
    if views:
        for referrer in gc.get_referrers(*views):
            if id(referrer) in own:
                continue
            for target in gc.get_referents(referrer):
                if type(target) is memoryview and any(target is v for v in views):
                    label = _label_referrer(referrer, target)
                    if label:
                        outer.setdefault(id(target), []).append(label)
    for holder, mb in exports:
        for v in view_of.get(id(mb), []):
            said = outer.get(id(v), []) + local_words.get(id(v), [])
            if said:
                label = f"a memoryview ({', '.join(dict.fromkeys(said))})"
            else:
                label = "a NumPy view (through a memoryview)"
            words.setdefault(holder, []).append(label)


def _frame_locals() -> list[tuple[str, Any]]:
    """(words, value) for the array_core arrays and memoryviews in the
    locals of the calling
    thread's running function frames outside array_core: the garbage
    collector does not see into running frames."""
    found: list[tuple[str, Any]] = []
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if (code.co_flags & 0x1                      # CO_OPTIMIZED: a function
                and not _is_library_frame(code.co_filename)):
            namespace = frame.f_locals
            for key, value in namespace.items():
                if isinstance(value, (_array.ndarray, memoryview)):
                    found.append((f"{key!r} in {code.co_name}()", value))
                elif isinstance(value, (dict, tuple)) and not gc.is_tracked(value):
                    found.append(("", value))   # its arrays: see _scan
            if type(namespace) is dict:
                # Before Python 3.13, reading f_locals leaves a snapshot in
                # the frame that would keep every local alive: drop it (the
                # next reader rebuilds it).  3.13's proxy keeps nothing.
                namespace.clear()
            del namespace
        frame = frame.f_back
    return found


def _scan(arrays: tuple[Any, ...], min_bytes: int) -> MemoryReport:
    # No collection during the scan: one would untrack tuples and dicts
    # the scan has seen tracked, hiding them from gc.get_referrers.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan_heap(arrays, min_bytes)
    finally:
        if enabled:
            gc.enable()


def _scan_heap(arrays: tuple[Any, ...], min_bytes: int) -> MemoryReport:
    objects = gc.get_objects()
    owners = _pins.buffers_among(objects)
    found: list[Any] = []
    local_words: dict[int, list[str]] = {}
    untracked: list[Any] = []
    for where, value in _frame_locals():
        if not where:
            untracked.append(value)
            continue
        if isinstance(value, _array.ndarray):
            found.append(value)
        local_words.setdefault(id(value), []).append(where)
    # The objects the tracked ones refer to, a chunk at a time (a flat list
    # of the whole heap's references would double the scan's memory).
    for start in range(0, len(objects), _CHUNK):
        referents = gc.get_referents(*objects[start:start + _CHUNK])
        found.extend(_pins.arrays_among(referents))
        untracked.extend(_pins.untracked_among(referents))
        del referents
    del objects
    for a, container, key in _pins.arrays_in_untracked(untracked):
        found.append(a)
        local_words.setdefault(id(a), []).append(
            repr(key) if isinstance(key, str) else f"a {type(container).__name__}")
    del untracked
    given = {id(a) for a in arrays}
    # Every holder once; below, arrays are referred to only by their index
    # here, so that the scan's own containers do not show as referrers.
    holders = _pins.arrays_among(found + list(arrays))
    del found
    holder_index = {id(a): i for i, a in enumerate(holders)}

    # Group the holders by the Buffer owning their memory.
    blocks: dict[int, Any] = {id(b): b for b in owners}
    del owners
    # (block id, first, stop, own Buffer, kind) of each holder
    facts: list[tuple[int, int, int, Any, str]] = []
    on_block: dict[int, list[int]] = {}
    bases: dict[int, set[int]] = {}
    for i, a in enumerate(holders):
        block, first, stop, own_buffer, kind = _pins.array_facts(a)
        facts.append((id(block), first, stop, own_buffer, kind))
        if block is None:
            continue
        blocks.setdefault(id(block), block)
        on_block.setdefault(id(block), []).append(i)
        base = _pins.array_base(a)
        if isinstance(base, _array.ndarray) and id(base) not in holder_index:
            bases.setdefault(id(block), set()).add(id(base))
    wanted: set[int] | None = None
    if arrays:
        wanted = {facts[holder_index[id(a)]][0] for a in arrays}
    selected = [key for key, block in blocks.items()
                if _pins.buffer_facts(block)[0] >= min_bytes
                and (wanted is None or key in wanted)]

    # What refers to each holder on a selected block, in words.
    chosen = [holders[i] for key in selected for i in on_block.get(key, [])]
    words: dict[int, list[str]] = {}
    if chosen:
        skip = {id(chosen), id(holders), id(arrays)}
        exports: list[tuple[int, Any]] = []    # (holder id, managed buffer)
        for referrer in gc.get_referrers(*chosen):
            if id(referrer) in skip:
                continue
            try:
                targets = gc.get_referents(referrer)
            except Exception:  # an object that cannot say: not labelled
                continue
            for target in targets:
                if id(target) in holder_index:
                    if type(referrer).__name__ == "managedbuffer":
                        exports.append((id(target), referrer))
                        continue
                    label = _label_referrer(referrer, target)
                    if label:
                        words.setdefault(id(target), []).append(label)
            del targets
        if exports:
            _label_exports(exports, words, local_words)
        del exports
    del chosen

    report = MemoryReport()
    report.min_bytes = min_bytes
    for key in selected:
        block = blocks[key]
        nbytes = _pins.buffer_facts(block)[0]
        records = []
        spans = []
        sharers = [block]
        for i in on_block.get(key, []):
            a = holders[i]
            _, first, stop, own_buffer, kind = facts[i]
            first, stop = max(first, 0), min(stop, nbytes)
            stop = max(stop, first)
            said = words.get(id(a), []) + local_words.get(id(a), [])
            if id(a) in given and not said:
                said = ["the array asked about"]
            records.append(HolderRecord(kind, a.shape, a.dtype, a.nbytes,
                                        (first, stop),
                                        tuple(dict.fromkeys(said))))
            spans.append((first, stop))
            if not any(b is own_buffer for b in sharers):
                sharers.append(own_buffer)
        reachable = _union(spans) if records else nbytes
        used = min(sum(h.nbytes for h in records), reachable) if records else nbytes
        pinned = writable = reads = 0
        lazy = False
        for b in sharers:
            _, p, w, r, is_lazy = _pins.buffer_facts(b)
            pinned += p
            writable += w
            reads += r
            lazy = lazy or is_lazy
        records.sort(key=lambda h: (-h.span_bytes, h.span))
        report.append(BufferRecord(
            block.address, nbytes, reachable, used, tuple(records),
            len(bases.get(key, ())), pinned, writable, reads, lazy,
            _buffer._allocation_site(block)))
    report.sort(key=lambda r: -r.nbytes)
    return report


def _union(spans: Iterable[tuple[int, int]]) -> int:
    total = 0
    end = None
    for first, stop in sorted(spans):
        if end is None or first > end:
            total += stop - first
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total


# ------------------------------------------------------------ public API


def memory_report(*arrays: Any, min_bytes: int = 0) -> MemoryReport:
    """List the live array_core buffers, what holds each, and what is reachable.

    A view keeps its whole buffer alive: this says which buffers are alive,
    which live arrays hold them (their kind, shape, dtype, the byte span
    each can reach and what refers to each: a name, a container, a
    memoryview or a NumPy view exported from it), the bytes reachable
    through them, the live exports counted on the buffer, and where it was
    allocated when `track_allocations` was on.  A buffer that holders
    reaching a tenth of it or less keep alive is marked PINNED.

    Parameters
    ----------
    *arrays : ndarray
        Report only the buffers these arrays use (each array given counts
        as a holder).  None: every live buffer.
    min_bytes : int, optional
        Leave out buffers smaller than this.

    Returns
    -------
    MemoryReport
        A list of `BufferRecord` (``nbytes``, ``reachable_bytes``,
        ``holders``: `HolderRecord` each, ``bases``, ``readonly_exports``,
        ``writable_exports``, ``reads``, ``lazily_shared``,
        ``allocated_at``, ``pinned``), largest first; printed, a table.
        ``report.pinned`` lists the pinned buffers.

    See Also
    --------
    track_allocations, check_pins, explain

    Notes
    -----
    The report holds no reference to any array or buffer.  Buffers are
    found through the garbage collector (`gc.get_objects`), their holders
    among the objects it tracks and the locals of the calling thread's
    running functions; an array alive only as the ``base`` of views is
    counted in ``bases``, not as a holder.  ``reachable_bytes`` is the
    union of the holders' spans (first to last byte each can read): an
    upper bound for strided views, and the whole buffer when no holder is
    found (something the collector cannot see into holds it, such as a C
    extension or another thread's running function).  Only memory
    array_core allocated is listed: memory borrowed from NumPy or another
    exporter is its owner's.  A scan visits every object the collector
    tracks: use it to diagnose, not in a loop.  Objects moved out of the
    collector's view by `gc.freeze` (``gc.get_freeze_count()`` of them) are
    not seen, neither as buffers nor as holders, until `gc.unfreeze`.
    Before Python 3.13, reading a running function's locals leaves a
    snapshot dict in its frame, which would keep them alive: the scan
    empties it again, so a dict that ``locals()`` returned earlier in a
    calling function is emptied too.

    Examples
    --------
    >>> import array_core
    >>> x = array_core.arange(1_000_000)      # 8 MB
    >>> head = x[:5]
    >>> del x                                 # head still holds all 8 MB
    >>> [record] = array_core.memory_report(head)
    >>> record.nbytes, record.reachable_bytes, record.pinned
    (8000000, 40, True)
    >>> [(h.kind, h.shape, h.span) for h in record.holders]
    [('view', (5,), (0, 40))]
    >>> record.holders[0].held_by
    ("'head'",)
    >>> print(record.advice())  # doctest: +NORMALIZE_WHITESPACE
    a 40-byte view keeps an 8,000,000-byte (8.0 MB) buffer alive;
    its .copy() would release it
    """
    for a in arrays:
        if not isinstance(a, _array.ndarray):
            raise TypeError(f"memory_report() takes array_core arrays, "
                            f"not {type(a).__name__}")
    min_bytes = int(min_bytes)
    return _scan(arrays, min_bytes)


def check_pins(*arrays: Any, min_bytes: int = 1 << 20,
               max_fraction: float = PINNED_FRACTION) -> list[BufferRecord]:
    """Warn (`PinWarning`) for each buffer that small views keep alive.

    A buffer of at least ``min_bytes`` is pinned when its holders reach
    ``max_fraction`` of it or less (see `memory_report`).  Run it where a
    program should hold no such buffer (after loading data, between
    phases, at the end of a test).

    Parameters
    ----------
    *arrays : ndarray
        Check only the buffers these arrays use.  None: every live buffer.
    min_bytes : int, optional
        Leave out smaller buffers (default 1 MiB).
    max_fraction : float, optional
        The largest reachable fraction that counts as pinned (default 0.1).

    Returns
    -------
    list of BufferRecord
        The pinned buffers, largest first (each also warned about).

    See Also
    --------
    memory_report, PinWarning

    Examples
    --------
    >>> import warnings
    >>> import array_core
    >>> rows = array_core.zeros((1000, 1000))
    >>> row = rows[3]               # 8 kB of an 8 MB buffer
    >>> del rows
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     [record] = array_core.check_pins(row)
    >>> record.reachable_bytes, record.unreachable_bytes
    (8000, 7992000)
    >>> row = row.copy()            # the 8 MB buffer is freed
    >>> array_core.check_pins(row)
    []
    """
    for a in arrays:
        if not isinstance(a, _array.ndarray):
            raise TypeError(f"check_pins() takes array_core arrays, "
                            f"not {type(a).__name__}")
    pinned = []
    for record in _scan(arrays, int(min_bytes)):
        if _is_pinned(record, max_fraction):
            pinned.append(record)
            warnings.warn(record.advice(), PinWarning, stacklevel=2)
    return pinned


def pin_explanation(a: Any) -> str:
    """``explain(a)`` for an array: what its buffer is, and whether ``a`` (a
    small view) is what keeps it alive."""
    record = _scan((a,), 0)
    shape = "(" + ", ".join(str(n) for n in a.shape) + (
        ",)" if a.ndim == 1 else ")")
    head = f"explain: shape {shape} {a.dtype}, {a.nbytes:,} bytes"
    if not record:
        return (f"{head}\n  its memory is not array_core's own (borrowed from "
                f"{type(a.base).__name__}): its owner keeps it alive")
    r = record[0]
    site = f", allocated at {r.allocated_at}" if r.allocated_at else ""
    lines = [head, f"  buffer: {r.nbytes:,} bytes ({_bytes(r.nbytes)}){site}"]
    fraction = _percent(r.reachable_fraction)
    lines.append(f"  live arrays holding it: {len(r.holders)}; reachable through "
                 f"them: {r.reachable_bytes:,} bytes ({fraction})")
    for h in r.holders:
        lines.append(f"    {h.describe()}")
    if r.bases:
        lines.append(f"    (+ {r.bases} array{'' if r.bases == 1 else 's'} alive "
                     f"only as the base of views)")
    if r.exports:
        lines.append(f"  live exports: {r.readonly_exports} read-only, "
                     f"{r.writable_exports} writable, {r.reads} reads in progress")
    if r.pinned:
        kind = "lazy copy" if a.base is None else "view"
        if len(r.holders) == 1:
            lines.append(f"  this {a.nbytes:,}-byte {kind} keeps "
                         f"{_article(r.nbytes)} {r.nbytes:,}-byte "
                         f"({_bytes(r.nbytes)}) buffer alive{site};")
            lines.append("  `.copy()` would release it")
        else:
            lines.append(f"  PINNED: {r.advice()}")
    else:
        lines.append(f"  not pinned: its holders use {r.used_bytes:,} bytes "
                     f"of it")
    return "\n".join(lines)
