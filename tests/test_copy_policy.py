"""copy_policy: implicit copies warn or raise; explicit copies never do."""
import asyncio
import sys
import threading
import warnings

import numpy as np
import pytest

import array_core as ac
from array_core import _control


@pytest.fixture(autouse=True)
def no_leftover_policy():
    yield
    leftover = ac.get_copy_policy()
    ac.set_copy_policy("allow")
    assert leftover == "allow"
    assert _control._listeners == 0, "the copy hook was left installed"


def square(dtype=np.float64):
    return ac.asarray(np.arange(9, dtype=dtype).reshape(3, 3))


# Each makes an implicit copy of square(): NumPy copies there too (checked below).
# One line each, so the warning's line is the lambda's first line.
IMPLICIT = {
    "reshape": lambda x: x.T.reshape(9),
    "reshape-F": lambda x: x.reshape(9, order="F"),
    "reshape-A": lambda x: x[:, :2].reshape(6, order="A"),
    "module-reshape": lambda x: ac.reshape(x.T, (9,)),
    "ravel": lambda x: x.T.ravel(),
    "ravel-strided": lambda x: x[::2].ravel(),
    "ravel-K": lambda x: x[:, ::2].ravel("K"),
    "module-ravel": lambda x: ac.ravel(x.T),
    "asarray-order": lambda x: ac.asarray(x.T, order="C"),
    "asarray-dtype": lambda x: ac.asarray(x, dtype=np.float32),
    "array-copy-None": lambda x: ac.array(x, dtype=np.int16, copy=None),
    "ascontiguousarray": lambda x: ac.ascontiguousarray(x.T),
    "asfortranarray": lambda x: ac.asfortranarray(x),
    "astype-dtype": lambda x: x.astype(np.float32, copy=False),
    "astype-order": lambda x: x.T.astype(np.float64, order="C", copy=False),
}
OPERATION = {
    "reshape": "reshape", "reshape-F": "reshape", "reshape-A": "reshape",
    "module-reshape": "reshape", "ravel": "ravel", "ravel-strided": "ravel",
    "ravel-K": "ravel", "module-ravel": "ravel", "asarray-order": "asarray",
    "asarray-dtype": "asarray", "array-copy-None": "array",
    "ascontiguousarray": "ascontiguousarray", "asfortranarray": "asfortranarray",
    "astype-dtype": "astype", "astype-order": "astype",
}
EXPLICIT = {
    "copy": lambda x: x.T.copy(),
    "module-copy": lambda x: ac.copy(x.T),
    "flatten": lambda x: x.T.flatten(),
    "reshape-copy-True": lambda x: x.reshape(9, copy=True),
    "asarray-copy-True": lambda x: ac.asarray(x, copy=True),
    "array": lambda x: ac.array(x.T),
    "astype": lambda x: x.astype(np.float32),
}
VIEWS = {
    "reshape": lambda x: x.reshape(9),
    "reshape-F-of-T": lambda x: x.T.reshape(9, order="F"),
    "ravel-F-of-T": lambda x: x.T.ravel("F"),
    "ravel-K-of-T": lambda x: x.T.ravel("K"),
    "asarray": lambda x: ac.asarray(x),
    "ascontiguousarray": lambda x: ac.ascontiguousarray(x),
    "asfortranarray-of-T": lambda x: ac.asfortranarray(x.T),
    "astype-same": lambda x: x.astype(np.float64, copy=False),
    "slice": lambda x: x[1:, ::2],
}


def numpy_twin(op):
    """``op`` run on NumPy: the same expression through ``np``."""
    ns = dict(op.__globals__, ac=np)
    return type(op)(op.__code__, ns)


@pytest.mark.parametrize("name", sorted(IMPLICIT))
def test_implicit_cases_copy_in_numpy_too(name):
    x = np.arange(9.0).reshape(3, 3)
    assert not np.shares_memory(numpy_twin(IMPLICIT[name])(x), x)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_cases_are_views_in_numpy_too(name):
    x = np.arange(9.0).reshape(3, 3)
    assert np.shares_memory(numpy_twin(VIEWS[name])(x), x)


@pytest.mark.parametrize("name", sorted(IMPLICIT))
def test_implicit_copy_raises_under_raise(name):
    x = square()
    with ac.copy_policy("raise"):
        with pytest.raises(ac.CopyError, match=OPERATION[name]) as info:
            IMPLICIT[name](x)
    assert isinstance(info.value, ValueError)
    assert "implicit copy refused by copy_policy('raise')" in str(info.value)


@pytest.mark.parametrize("name", sorted(IMPLICIT))
def test_implicit_copy_warns_at_the_callers_line(name):
    op = IMPLICIT[name]
    x = square()
    with ac.copy_policy("warn"):
        with pytest.warns(ac.CopyWarning, match=OPERATION[name]) as record:
            y = op(x)
    assert len(record) == 1
    assert record[0].filename == __file__
    assert record[0].lineno == op.__code__.co_firstlineno
    # The copy was made (and is right) despite the warning.
    expected = numpy_twin(op)(np.arange(9.0).reshape(3, 3))
    np.testing.assert_array_equal(np.asarray(y), expected)


def test_warning_points_at_an_inline_call():
    x = square()
    with ac.copy_policy("warn"), pytest.warns(ac.CopyWarning) as record:
        x.T.reshape(9); line = sys._getframe().f_lineno  # noqa: E702
    assert (record[0].filename, record[0].lineno) == (__file__, line)


@pytest.mark.parametrize("name", sorted(IMPLICIT))
def test_implicit_copy_silent_under_allow(name):
    x = square()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with ac.copy_policy("allow"):
            IMPLICIT[name](x)
        IMPLICIT[name](x)


@pytest.mark.parametrize("mode", ["warn", "raise"])
@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_explicit_copies_are_never_refused(mode, name):
    x = square()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with ac.copy_policy(mode):
            y = EXPLICIT[name](x)
    assert not ac.shares_memory(x, y)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_views_pass_under_raise(name):
    x = square()
    with ac.copy_policy("raise"):
        y = VIEWS[name](x)
    assert ac.shares_memory(x, y)


def test_raise_refuses_before_the_copy_is_made():
    x = square()
    with ac.copy_audit() as log, ac.copy_policy("raise"):
        with pytest.raises(ac.CopyError):
            x.T.reshape(9)
    assert len(log) == 0


def test_copy_false_still_raises_numpys_error():
    x = square()
    with ac.copy_policy("raise"):
        with pytest.raises(ValueError, match="Unable to avoid creating a copy"):
            x.T.reshape(9, copy=False)


def test_error_message_says_why():
    with ac.copy_policy("raise"), pytest.raises(ac.CopyError) as info:
        square().T.reshape(9)
    assert str(info.value) == (
        "reshape would copy 72 bytes (implicit copy refused by "
        "copy_policy('raise')): axes 0 and 1 cannot merge: stride 8 is not "
        "24 * 3; order='F' would have given a view")


def test_advanced_indexing_raises_unless_allowed():
    x = square()
    with ac.copy_policy("raise"):
        with pytest.raises(ac.CopyError, match="getitem"):
            x[[1, 2]]
    with ac.copy_policy("raise", allow=("advanced-index",)):
        y = x[[1, 2]]
        with pytest.raises(ac.CopyError):
            x.T.reshape(9)
    assert y.shape == (2, 3)


def test_advanced_indexing_warns():
    x = square()
    with ac.copy_policy("warn"), pytest.warns(ac.CopyWarning) as record:
        x[[1, 2]]; line = sys._getframe().f_lineno  # noqa: E702
    assert (record[0].filename, record[0].lineno) == (__file__, line)


def test_allow_escape_for_implicit():
    x = square()
    with ac.copy_policy("raise", allow=["implicit"]):
        x.T.reshape(9)
    with ac.copy_policy("raise", allow="implicit"):
        x.T.reshape(9)


def test_bad_mode_and_category():
    with pytest.raises(ValueError, match="copy policy must be one of"):
        ac.copy_policy("forbid")
    with pytest.raises(ValueError, match="copy policy must be one of"):
        ac.set_copy_policy("RAISE")
    with pytest.raises(ValueError, match="unknown copy categories"):
        ac.copy_policy("raise", allow=("fancy",))
    assert ac.get_copy_policy() == "allow"


def test_set_and_get():
    assert ac.get_copy_policy() == "allow"
    assert ac.set_copy_policy("warn") == "allow"
    try:
        assert ac.get_copy_policy() == "warn"
        assert _control._listeners == 1
        with ac.copy_policy("raise"):
            assert ac.get_copy_policy() == "raise"
            with ac.copy_policy("allow"):
                assert ac.get_copy_policy() == "allow"
                square().T.reshape(9)
            with pytest.raises(ac.CopyError):
                square().T.reshape(9)
        assert ac.get_copy_policy() == "warn"
    finally:
        assert ac.set_copy_policy("allow") == "warn"
    assert _control._listeners == 0


def test_set_inside_a_block_is_undone_by_the_block():
    with ac.copy_policy("raise"):
        ac.set_copy_policy("warn")
        assert ac.get_copy_policy() == "warn"
    assert ac.get_copy_policy() == "allow"
    assert _control._listeners == 0


def test_hook_installed_only_while_needed():
    assert _control._listeners == 0
    with ac.copy_policy("allow"):
        assert _control._listeners == 0
    with ac.copy_policy("raise"):
        assert _control._listeners == 1
        with ac.copy_policy("warn"):
            assert _control._listeners == 2
        assert _control._listeners == 1
    assert _control._listeners == 0


def test_policy_object_is_reusable():
    policy = ac.copy_policy("raise")
    for _ in range(2):
        with policy:
            with pytest.raises(ac.CopyError):
                square().T.reshape(9)
        square().T.reshape(9)


def test_threads_have_their_own_policy():
    x = square()
    inside = threading.Barrier(2)
    outcome = {}

    def strict():
        with ac.copy_policy("raise"):
            inside.wait()
            try:
                x.T.reshape(9)
                outcome["strict"] = "copied"
            except ac.CopyError:
                outcome["strict"] = "refused"
            inside.wait()

    t = threading.Thread(target=strict)
    t.start()
    inside.wait()                       # the other thread is under "raise" now
    assert ac.get_copy_policy() == "allow"
    x.T.reshape(9)                      # so this thread is not refused
    inside.wait()
    t.join()
    assert outcome == {"strict": "refused"}


def test_new_threads_start_with_allow():
    seen = []
    with ac.copy_policy("raise"):
        t = threading.Thread(target=lambda: seen.append(ac.get_copy_policy()))
        t.start()
        t.join()
    assert seen == ["allow"]


def test_asyncio_tasks_have_their_own_policy():
    x = square()

    async def strict():
        with ac.copy_policy("raise"):
            await asyncio.sleep(0)
            try:
                x.T.reshape(9)
                return "copied"
            except ac.CopyError:
                return "refused"
            finally:
                await asyncio.sleep(0)

    async def lax():
        await asyncio.sleep(0)
        x.T.reshape(9)
        await asyncio.sleep(0)
        return ac.get_copy_policy()

    async def both():
        return await asyncio.gather(strict(), lax(), strict())

    assert asyncio.run(both()) == ["refused", "allow", "refused"]


def test_tasks_inherit_the_policy_of_their_creator():
    async def child():
        return ac.get_copy_policy()

    async def parent():
        with ac.copy_policy("warn"):
            return await asyncio.create_task(child())

    assert asyncio.run(parent()) == "warn"
