"""copy_audit: every copy recorded with its category, reason, bytes and caller."""
import asyncio
import gc
import itertools
import sys
import threading

import numpy as np
import pytest

import array_core as ac
from array_core import _control


def listeners_after_collection():
    """The live listeners, once garbage cycles holding policies are gone (a
    CopyError raised in a Dask task is kept in one until the collector runs:
    Dask keeps the exception with its traceback)."""
    if _control._listeners:
        gc.collect()
    return _control._listeners


@pytest.fixture(autouse=True)
def no_leftover_listener():
    assert listeners_after_collection() == 0, "an earlier test left a policy open"
    yield
    assert listeners_after_collection() == 0, "the copy hook was left installed"


def here():
    """The caller's line number."""
    return sys._getframe(1).f_lineno


def square(dtype=np.float64):
    return ac.asarray(np.arange(9, dtype=dtype).reshape(3, 3))


def test_record_fields():
    x = square()
    with ac.copy_audit() as log:
        y = x.T.reshape(9); line = here()  # noqa: E702
    assert len(log) == 1
    r = log[0]
    assert (r.operation, r.category, r.nbytes) == ("reshape", "implicit", 72)
    assert (r.shape, r.strides, r.dtype) == ((3, 3), (8, 24), np.dtype(np.float64))
    assert (r.filename, r.lineno) == (__file__, line)
    assert r.function == "test_record_fields"
    assert r.location == f"{__file__}:{line}"
    assert r.reason == ("axes 0 and 1 cannot merge: stride 8 is not 24 * 3; "
                        "order='F' would have given a view")
    assert y.nbytes == r.nbytes


def test_categories_and_bytes():
    x = square()
    with ac.copy_audit() as log:
        x.copy()
        x.flatten()
        ac.copy(x[:, :2])
        x.astype(np.float32)
        x.astype(np.int16, copy=False)
        ac.ascontiguousarray(x.T)
        ac.array(x)
    got = [(r.operation, r.category, r.nbytes) for r in log]
    assert got == [
        ("copy", "explicit", 72),
        ("flatten", "explicit", 72),
        ("copy", "explicit", 48),
        ("astype", "explicit", 36),
        ("astype", "implicit", 18),
        ("ascontiguousarray", "implicit", 72),
        ("array", "explicit", 72),
    ]
    assert log.total_bytes == sum(n for _, _, n in got)
    assert log.by_category() == {"explicit": 300, "implicit": 90}


def test_views_are_not_recorded():
    x = square()
    with ac.copy_audit() as log:
        _ = x.T
        x.reshape(9)
        _ = x[1:, ::2]
        x.T.ravel("K")
        ac.asarray(x)
        x.astype(np.float64, copy=False)
        x.view(np.int64)
    assert len(log) == 0
    assert log.total_bytes == 0
    assert str(log) == "copy audit: 0 copies, 0 bytes"


def test_caller_line_through_module_functions():
    x = square()
    with ac.copy_audit() as log:
        ac.reshape(x.T, 9); first = here()  # noqa: E702
        ac.ravel(x.T); second = here()  # noqa: E702
    assert [r.lineno for r in log] == [first, second]
    assert {r.filename for r in log} == {__file__}


def test_nested_audits_each_see_their_copies():
    x = square()
    with ac.copy_audit() as outer:
        x.copy()
        with ac.copy_audit() as inner:
            x.T.reshape(9)
            with ac.copy_audit() as innermost:
                pass
        x.flatten()
    assert [r.operation for r in outer] == ["copy", "reshape", "flatten"]
    assert [r.operation for r in inner] == ["reshape"]
    assert len(innermost) == 0
    assert inner[0] is outer[1]


def test_closed_audit_records_nothing():
    x = square()
    with ac.copy_audit() as log:
        x.copy()
    x.copy()
    assert len(log) == 1
    assert log.closed


def test_summary_ranks_call_sites_by_bytes():
    small = square()
    big = ac.asarray(np.zeros((10, 10)))
    with ac.copy_audit() as log:
        for _ in range(3):
            small.T.reshape(9); small_line = here()  # noqa: E702
        big.copy(); big_line = here()  # noqa: E702
        small.ravel("F"); ravel_line = here()  # noqa: E702
    summary = log.summary()
    assert [(s.lineno, s.copies, s.nbytes) for s in summary] == [
        (big_line, 1, 800), (small_line, 3, 216), (ravel_line, 1, 72)]
    assert summary[1].operations == ("reshape",)
    assert summary[0].function == "test_summary_ranks_call_sites_by_bytes"
    assert log.total_bytes == 800 + 216 + 72


def test_printed_log_is_a_table():
    x = square()
    with ac.copy_audit() as log:
        x.T.reshape(9)
        x.copy()
    text = str(log)
    lines = text.splitlines()
    assert lines[0] == "copy audit: 2 copies, 144 bytes"
    assert lines[1].split() == ["#", "operation", "category", "bytes", "source",
                                "caller"]
    assert "reshape" in lines[2] and "implicit" in lines[2] and "72" in lines[2]
    assert "(3, 3) (8, 24) float64" in lines[2]
    assert "test_copy_audit.py" in lines[2]
    assert lines[3].strip().startswith("why: axes 0 and 1 cannot merge")
    assert "by call site (most bytes first):" in lines
    assert "2 copies" in repr(log)


def test_audits_are_per_thread():
    x = square()
    done = threading.Event()

    def other():
        x.copy()
        done.set()

    with ac.copy_audit() as log:
        t = threading.Thread(target=other)
        t.start()
        done.wait()
        t.join()
        x.flatten()
    assert [r.operation for r in log] == ["flatten"]


def test_audits_in_concurrent_tasks():
    x = square()

    async def audited(op):
        with ac.copy_audit() as log:
            await asyncio.sleep(0)
            op()
            await asyncio.sleep(0)
        return [r.operation for r in log]

    async def both():
        return await asyncio.gather(audited(x.copy), audited(x.flatten))

    assert asyncio.run(both()) == [["copy"], ["flatten"]]


def test_audit_and_warn_policy_together():
    x = square()
    with ac.copy_audit() as log, ac.copy_policy("warn"):
        with pytest.warns(ac.CopyWarning):
            x.T.reshape(9)
    assert [r.category for r in log] == ["implicit"]


def test_audit_survives_an_exception():
    with pytest.raises(KeyError):
        with ac.copy_audit() as log:
            square().copy()
            raise KeyError
    assert len(log) == 1


# ------------------------------------------------------------ reasons


def test_reshape_reason_in_f_order():
    with ac.copy_audit() as log:
        square().reshape(9, order="F")
    assert log[0].reason == ("axes 0 and 1 cannot merge in F order: stride 8 is "
                             "not 24 * 3; order='C' would have given a view")


def test_reshape_reason_without_alternative():
    x = ac.asarray(np.zeros((4, 6)))[::2, ::2]           # (2, 3), strides (96, 16)
    with ac.copy_audit() as log:
        x.reshape(6)
    assert log[0].reason == "axes 0 and 1 cannot merge: stride 96 is not 16 * 3"


def test_reshape_reason_skips_length_one_axes():
    x = ac.asarray(np.zeros((2, 1, 3)))[:, :, ::-1]       # strides (24, 24, -8)
    with ac.copy_audit() as log:
        x.reshape(6)
    assert log[0].reason.startswith(
        "axes 0 and 2 cannot merge: stride 24 is not -8 * 3")


def test_ravel_reasons():
    x = square()
    with ac.copy_audit() as log:
        x.T.ravel()
        ac.asarray(np.arange(10.0))[::2].ravel()
        x[:, ::2].ravel("K")
    assert log[0].reason == ("not C-contiguous: axis 1 has stride 24 where C order "
                             "needs 8; order='F' (or 'K') would have given a view")
    assert log[1].reason == ("not C-contiguous: axis 0 has stride 16 where C order "
                             "needs 8; reshape(-1, order='C') would have given a "
                             "view")
    assert log[2].reason == ("the elements are not one strided run in memory "
                             "order: axis 1 has stride 16 where 8 is needed")


def test_conversion_reasons():
    x = square()
    with ac.copy_audit() as log:
        ac.asarray(x.T, dtype=np.float32, order="C")
        ac.asfortranarray(x)
        x.astype(np.int8, copy=False)
    assert log[0].reason == ("the dtype changes from float64 to float32, so every "
                             "element is converted; not C-contiguous: axis 1 has "
                             "stride 24 where C order needs 8")
    assert log[1].reason == ("not F-contiguous: axis 0 has stride 24 where F order "
                             "needs 8")
    assert log[2].reason.startswith("the dtype changes from float64 to int8")


SHAPES = [(12,), (2, 3), (3, 4), (2, 3, 4), (4, 1, 3), (2, 2, 2, 2)]


def layouts(shape):
    """Views of a C array of ``shape``: transposes, steps, reversals."""
    contiguous = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    yield contiguous
    yield contiguous.T
    base = np.arange(int(np.prod(shape)) * 4, dtype=np.int32)
    full = base.reshape(shape[:-1] + (shape[-1] * 4,))
    for step in (1, 2):
        for reverse in (False, True):
            a = full[..., : shape[-1] * step : step]
            if reverse:
                a = a[::-1]
            yield a
            yield a.T
            if a.ndim > 2:
                yield a.transpose(1, 0, *range(2, a.ndim))


def factorisations(size):
    out = {(size,)}
    for a in range(2, size):
        if size % a == 0:
            out.add((a, size // a))
    return sorted(out)


@pytest.mark.parametrize("shape", SHAPES)
def test_reshape_reason_agrees_with_numpy(shape):
    """The audit sees a copy exactly when NumPy copies, and the other order is
    named as giving a view exactly when NumPy's reshape in it is a view."""
    for a, newshape, order in itertools.product(
            layouts(shape), factorisations(int(np.prod(shape))), "CF"):
        x = ac.asarray(a)
        with ac.copy_audit() as log:
            x.reshape(newshape, order=order)
        numpy_copies = not np.shares_memory(a.reshape(newshape, order=order), a)
        assert (len(log) == 1) == numpy_copies, (a.shape, a.strides, newshape)
        if numpy_copies:
            other = "F" if order == "C" else "C"
            other_views = np.shares_memory(a.reshape(newshape, order=other), a)
            claim = f"order={other!r} would have given a view" in log[0].reason
            assert claim == other_views, (a.shape, a.strides, newshape, log[0].reason)
            assert log[0].reason.startswith("axes ")


def test_advanced_index_record():
    x = square()
    with ac.copy_audit() as log:
        x[[1, 2]]; line = here()  # noqa: E702
    (r,) = log
    assert (r.operation, r.category, r.nbytes) == ("getitem", "advanced-index", 48)
    assert (r.filename, r.lineno) == (__file__, line)
    assert "advanced" in r.reason


@pytest.mark.parametrize("shape", SHAPES)
def test_ravel_reason_agrees_with_numpy(shape):
    """An implicit ravel copy is seen exactly when NumPy copies; every view
    the reason promises is a view in NumPy."""
    for a, order in itertools.product(layouts(shape), "CFAK"):
        x = ac.asarray(a)
        with ac.copy_audit() as log:
            x.ravel(order)
        numpy_copies = not np.shares_memory(a.ravel(order), a)
        assert (len(log) == 1) == numpy_copies, (a.shape, a.strides, order)
        if not numpy_copies:
            continue
        assert log[0].category == "implicit"
        reason = log[0].reason
        for other in "CF":
            if f"reshape(-1, order={other!r}) would have given a view" in reason:
                assert np.shares_memory(a.reshape(-1, order=other), a)
            if f"order={other!r} (or 'K') would have given a view" in reason:
                assert np.shares_memory(a.ravel(other), a)
                assert np.shares_memory(a.ravel("K"), a)


@pytest.mark.parametrize("shape", SHAPES)
def test_conversions_are_audited_exactly_when_numpy_copies(shape):
    conversions = {
        "ascontiguousarray": lambda m, a: m.ascontiguousarray(a),
        "asfortranarray": lambda m, a: m.asfortranarray(a),
        "asarray": lambda m, a: m.asarray(a, order="C"),
        "astype": lambda m, a: a.astype(np.int32, order="F", copy=False),
    }
    for a in layouts(shape):
        x = ac.asarray(a)
        for name, convert in conversions.items():
            with ac.copy_audit() as log:
                convert(ac, x)
            numpy_copies = not np.shares_memory(convert(np, a), a)
            assert (len(log) == 1) == numpy_copies, (name, a.shape, a.strides)
            if numpy_copies:
                assert (log[0].operation, log[0].category) == (name, "implicit")
                assert log[0].reason.startswith("not ")
