"""memory_report, check_pins, track_allocations and explain(array): what keeps
array_core buffers alive, on made-up cases with known answers."""
import gc
import sys
import threading
import warnings
import weakref

import numpy as np
import pytest

import array_core as ac
from array_core import _buffer, _control, _memory

MB = 1 << 20


@pytest.fixture(autouse=True)
def tracking_left_off():
    yield
    assert _memory._tracking_depth == 0, "allocation tracking was left on"


def here():
    """The caller's ``file:line`` as the report writes it."""
    frame = sys._getframe(1)
    return f"{_control._short_path(frame.f_code.co_filename)}:{frame.f_lineno}"


def only(report):
    assert len(report) == 1, report
    return report[0]


def test_a_40_byte_view_pins_a_1_mb_buffer():
    x = ac.zeros(MB, dtype=np.uint8)
    y = x[100:140]
    del x
    r = only(ac.memory_report(y))
    assert (r.nbytes, r.reachable_bytes, r.used_bytes) == (MB, 40, 40)
    assert r.unreachable_bytes == MB - 40
    assert r.pinned and r.bases == 1 and r.exports == 0
    [h] = r.holders
    assert (h.kind, h.shape, h.dtype, h.nbytes, h.span) == (
        "view", (40,), np.dtype(np.uint8), 40, (100, 140))
    assert h.held_by == ("'y' in test_a_40_byte_view_pins_a_1_mb_buffer()",)
    assert r.allocated_at is None
    assert r.address == ac.memory_report(y)[0].address
    text = str(ac.memory_report(y))
    assert "PINNED: a 40-byte view keeps a 1,048,576-byte (1.0 MB) buffer alive" in text
    assert "(+ 1 array alive only as the base of views)" in text


def test_the_owner_held_too_is_not_pinned():
    x = ac.zeros(MB, dtype=np.uint8)
    y = x[:40]
    r = only(ac.memory_report(y))
    assert r.reachable_bytes == MB and not r.pinned and r.bases == 0
    assert sorted(h.kind for h in r.holders) == ["owner", "view"]


def test_numpy_made_memory_counts_as_array_cores():
    # arange is NumPy's: its result's memory is wrapped, and is array_core's.
    tail = ac.arange(125_000)[-5:]
    r = only(ac.memory_report(tail))
    assert (r.nbytes, r.reachable_bytes, r.pinned) == (1_000_000, 40, True)
    assert r.holders[0].span == (999_960, 1_000_000)


def test_overlapping_and_reversed_views():
    x = ac.zeros(1000, dtype=np.uint8)
    a, b, c = x[0:100], x[50:200], x[500:600]
    d = x[999:989:-1]           # bytes 990..999, read backwards
    e = x[520:530]              # inside c
    del x
    r = only(ac.memory_report(a))
    spans = sorted(h.span for h in r.holders)
    assert spans == [(0, 100), (50, 200), (500, 600), (520, 530), (990, 1000)]
    assert r.reachable_bytes == 200 + 100 + 10
    assert r.used_bytes == min(100 + 150 + 100 + 10 + 10, 310)
    assert r.bases == 1 and not r.pinned
    del b, c, d, e


def test_a_strided_view_spans_more_than_it_uses():
    x = ac.zeros(1000)
    z = x[::100]                # 10 elements, 80 bytes, over 7208 bytes
    del x
    r = only(ac.memory_report(z))
    assert (r.reachable_bytes, r.used_bytes) == (900 * 8 + 8, 80)
    assert r.pinned            # pinned by what it uses: .copy() frees 7.9 kB


def test_lazy_copies_stay_lazy_copies_after_many_sharers_died():
    # The holder forgets dead sharers every 16 lazy copies, but never which
    # array the memory came from.
    x = ac.zeros(100)
    for _ in range(40):
        x.copy(lazy=True)       # each dies at once
    kept = [x.copy(lazy=True) for _ in range(3)]
    del x
    for _ in range(40):
        kept[0].copy(lazy=True)
    r = only(ac.memory_report(kept[1]))
    assert [h.kind for h in r.holders] == ["lazy copy"] * 3


def test_a_lazy_copy_and_its_source():
    x = ac.zeros(1000)
    c = x.copy(lazy=True)
    r = only(ac.memory_report(x))
    assert r.lazily_shared and r.nbytes == 8000 and not r.pinned
    assert sorted((h.kind, h.span) for h in r.holders) == [
        ("lazy copy", (0, 8000)), ("owner", (0, 8000))]
    assert ac.memory_report(c)[0].address == r.address
    s = x[10:20].copy(lazy=True)
    del x, c
    r = only(ac.memory_report(s))
    [h] = r.holders
    assert (h.kind, h.span, r.nbytes, r.pinned) == ("lazy copy", (80, 160), 8000, True)
    text = str(ac.explain(s))
    assert ("this 80-byte lazy copy keeps an 8,000-byte (8.0 kB) buffer alive;\n"
            "  `.copy()` would release it") in text
    s[0] = 1.0                  # no other sharer: s keeps the memory
    r = only(ac.memory_report(s))
    assert (r.nbytes, r.reachable_bytes, r.pinned, r.lazily_shared) == (
        8000, 80, True, False)
    s = s.copy()                # what explain advised
    r = only(ac.memory_report(s))
    assert (r.nbytes, r.reachable_bytes, r.pinned) == (80, 80, False)


def test_an_exported_memoryview():
    x = ac.zeros(MB, dtype=np.uint8)
    m = memoryview(x[:40])
    del x
    r = only(ac.memory_report(min_bytes=MB))
    [h] = [h for h in r.holders if h.span == (0, 40)]
    assert h.held_by == ("a memoryview ('m' in test_an_exported_memoryview())",)
    assert r.writable_exports == 1 and r.exports == 1 and r.pinned
    assert str(r.exports) in str(ac.memory_report(min_bytes=MB))
    m.release()
    del m
    assert ac.memory_report(min_bytes=MB) == []


def test_a_numpy_view_from_asarray():
    x = ac.zeros(MB, dtype=np.uint8)
    n = np.asarray(x[8:48])
    del x
    r = only(ac.memory_report(min_bytes=MB))
    [h] = r.holders
    assert h.span == (8, 48) and h.held_by == ("a NumPy view (through a memoryview)",)
    assert r.exports == 1 and r.pinned
    assert np.shares_memory(n, n) and n.size == 40
    del n
    assert ac.memory_report(min_bytes=MB) == []


def test_a_numpy_view_from_array_protocol():
    x = ac.zeros(MB, dtype=np.uint8)
    n = x[:40].__array__()      # as_numpy_for_write: base is a write pin
    del x
    r = only(ac.memory_report(min_bytes=MB))
    assert r.holders[0].held_by == ("a NumPy view",)
    assert r.writable_exports == 1
    del n
    assert ac.memory_report(min_bytes=MB) == []


def test_held_by_names_and_containers():
    x = ac.zeros(MB, dtype=np.uint8)
    box = {"kept": x[:8]}       # a dict of arrays only: the gc does not track it
    pair = (x[16:24], 1)        # nor a tuple of such
    items = [x[8:16]]
    del x
    r = only(ac.memory_report(min_bytes=MB))
    said = sorted(h.held_by for h in r.holders)
    assert said == [("'kept'",), ("a list",), ("a tuple",)]
    gc.collect()                # untracks the tuple too: still found
    assert not gc.is_tracked(box) and not gc.is_tracked(pair)
    r = only(ac.memory_report(min_bytes=MB))
    assert sorted(h.held_by for h in r.holders) == said
    del box, pair, items


def test_freed_buffers_disappear_and_the_report_holds_nothing():
    x = ac.zeros(3_333_333, dtype=np.uint8)
    ref = weakref.ref(x)
    before = ac.memory_report(min_bytes=3_333_333)
    assert [r.nbytes for r in before] == [3_333_333]
    text = str(before)
    del x
    assert ref() is None        # neither the report nor the scan keeps x
    assert ac.memory_report(min_bytes=3_333_333) == []
    assert "3.3 MB" in text


def test_borrowed_memory_is_its_owners():
    a = np.zeros(MB)
    b = ac.asarray(a)
    assert ac.memory_report(b) == []
    assert "not array_core's own" in str(ac.explain(b))


def test_min_bytes_and_ordering():
    big, small = ac.zeros(3 * MB, dtype=np.uint8), ac.zeros(2 * MB, dtype=np.uint8)
    report = ac.memory_report(big, small)
    assert [r.nbytes for r in report] == [3 * MB, 2 * MB]
    assert report.total_bytes == 5 * MB
    report = ac.memory_report(big, small, min_bytes=3 * MB)
    assert [r.nbytes for r in report] == [3 * MB]
    assert report.pinned == [] and report.min_bytes == 3 * MB


def test_arguments():
    with pytest.raises(TypeError, match="memory_report.. takes array_core arrays"):
        ac.memory_report(np.zeros(3))
    with pytest.raises(TypeError, match="check_pins.. takes array_core arrays"):
        ac.check_pins([1])
    with pytest.raises(TypeError, match="explain of an array takes no other"):
        ac.explain(ac.zeros(3), ac.zeros(3))


def test_check_pins_warns_at_the_callers_line():
    x = ac.zeros(2 * MB, dtype=np.uint8)
    y = x[:40]
    assert ac.check_pins(y) == []          # x still holds it all
    del x
    message = "a 40-byte view keeps a 2,097,152-byte"
    with pytest.warns(ac.PinWarning, match=message) as w:
        [r] = ac.check_pins(y)
    assert w[0].filename == __file__
    assert r.pinned
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ac.check_pins(y, min_bytes=4 * MB) == []
        assert ac.check_pins(y, max_fraction=0.0) == []


def test_explain_an_array():
    x = ac.zeros(MB, dtype=np.uint8)
    y = x[:40]
    text = str(ac.explain(y))
    assert "not pinned: its holders use 1,048,576 bytes of it" in text
    del x
    report = ac.explain(y)
    assert report.steps == [] and report.result is None
    assert ("this 40-byte view keeps a 1,048,576-byte (1.0 MB) buffer alive;\n"
            "  `.copy()` would release it") in report


# ------------------------------------------------------------ tracking


def test_tracking_records_the_callers_line_and_only_while_on():
    with ac.track_allocations() as tracking:
        assert tracking.active
        x = ac.zeros(MB, dtype=np.uint8); line = here()     # noqa: E702
        y = ac.arange(10.0); wrapped = here()               # noqa: E702
    assert not tracking.active
    z = ac.zeros(MB, dtype=np.uint8)
    assert only(ac.memory_report(x)).allocated_at == line
    assert only(ac.memory_report(y)).allocated_at == wrapped
    assert only(ac.memory_report(z)).allocated_at is None
    assert _buffer._tracked_allocations() >= 2
    assert f"allocated at {line}" in str(ac.explain(x[:4]))


def test_tracking_as_a_function_nests_and_stops():
    outer = ac.track_allocations()
    inner = ac.track_allocations()
    inner.stop()
    a = ac.zeros(10); line = here()                         # noqa: E702
    outer.stop()
    outer.stop()                # twice: no effect
    b = ac.zeros(10)
    assert only(ac.memory_report(a)).allocated_at == line
    assert only(ac.memory_report(b)).allocated_at is None
    assert repr(outer) == "<AllocationTracking stopped>"


def test_tracking_follows_a_lazy_copy_and_its_materialisation():
    with ac.track_allocations():
        x = ac.zeros(1000); made = here()                   # noqa: E702
        s = x[:10].copy(lazy=True)
    assert only(ac.memory_report(s)).allocated_at == made
    with ac.track_allocations():
        s[0] = 1.0; moved = here()  # s, the smaller, moves   # noqa: E702
    assert only(ac.memory_report(s)).allocated_at == moved
    assert only(ac.memory_report(x)).allocated_at == made


def test_tracking_follows_a_lazy_copy_of_numpy_made_memory():
    with ac.track_allocations():
        x = ac.arange(1000.0); made = here()                # noqa: E702
        s = x[:10].copy(lazy=True)
    del x
    r = only(ac.memory_report(s))
    assert (r.allocated_at, r.nbytes, r.pinned) == (made, 8000, True)


def test_freed_buffers_leave_the_site_table():
    gc.collect()
    with ac.track_allocations():
        start = _buffer._tracked_allocations()
        xs = [ac.zeros(100) for _ in range(50)]
        assert _buffer._tracked_allocations() >= start + 50
        del xs
        assert _buffer._tracked_allocations() <= start


def test_tracking_from_another_thread():
    """Tracking is process-wide: a buffer another thread allocates records
    that thread's line; threads starting and stopping it meanwhile neither
    crash nor leave it on."""
    results = {}
    errors = []
    lines = {}

    def allocate():
        try:
            for _ in range(200):
                a = ac.zeros(64); lines["worker"] = here()  # noqa: E702
                results.setdefault("worker", []).append(a)
                if len(results["worker"]) > 20:
                    results["worker"].pop(0)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def toggle():
        try:
            for _ in range(200):
                with ac.track_allocations():
                    ac.zeros(8)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    with ac.track_allocations():
        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        togglers = [threading.Thread(target=toggle) for _ in range(3)]
        for t in togglers:
            t.start()
        mine = [ac.zeros(64) for _ in range(200)]
        for t in togglers:
            t.join()
    assert not errors
    assert only(ac.memory_report(results["worker"][-1])).allocated_at == lines["worker"]
    assert all(r.allocated_at and r.allocated_at.startswith(
        _control._short_path(__file__)) for r in ac.memory_report(*mine[-5:]))
    assert _memory._tracking_depth == 0
    assert _buffer._tracked_allocations() >= 0


def test_no_bookkeeping_when_off():
    gc.collect()
    count = _buffer._tracked_allocations()
    xs = [ac.zeros(10).copy() for _ in range(100)]
    assert _buffer._tracked_allocations() == count
    del xs
