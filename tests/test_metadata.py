"""Metadata setters and flags: ``.strides =``, ``setflags``, ``del flags.x``,
and their safety against live buffer exports, reentrant keys and threads.

Setters are compared with NumPy (warnings, messages, resulting strides and
flags); the safety tests would crash, or share memory they must not, before
the export bookkeeping and the metadata snapshots.
"""
import itertools
import threading
import time
import warnings

import numpy as np
import pytest
from _strategies import FLAG_NAMES, same_outcome

import array_core as ac

STRIDES_WARNING = ("Setting the strides on a NumPy array has been deprecated in "
                   "NumPy 2.4.\nAs an alternative, you can create a new view using "
                   "np.lib.stride_tricks.as_strided.")


def _recorded(func):
    """``func()``'s outcome and the (category, message) of its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", func())
        except Exception as exc:  # noqa: BLE001 -- compared against NumPy's
            result = ("raise", type(exc), str(exc))
    return result, [(w.category, str(w.message)) for w in caught]


def _assert_same_array_state(a, n):
    assert a.shape == n.shape and a.strides == n.strides
    for name in FLAG_NAMES:
        assert getattr(a.flags, name) == getattr(n.flags, name), name
    np.testing.assert_array_equal(np.asarray(a), n)


# ------------------------------------------------------------ strides setter

LAYOUTS = {
    "3x4": lambda m: m.arange(12, dtype=np.int32).reshape(3, 4),
    "tail": lambda m: m.arange(12, dtype=np.int32)[4:].reshape(2, 4),
    "every-other": lambda m: m.arange(12, dtype=np.int32)[::2],
    "reversed": lambda m: m.arange(12, dtype=np.int32)[::-1],
    "middle": lambda m: m.arange(10)[2:5],
    "empty": lambda m: m.arange(12, dtype=np.int32)[:0],
    "empty-2d": lambda m: m.arange(12.0).reshape(3, 4)[:, :0],
    # An empty array whose data pointer lies past its memory: NumPy refuses.
    "empty-past-the-end": lambda m: m.arange(3.0)[:0].reshape(3, 3, 0)[::-1],
    "0-d": lambda m: m.arange(3.0)[1:2].reshape(()),
    "5-d": lambda m: m.arange(32, dtype=np.int8).reshape(2, 2, 2, 2, 2),
}
STRIDES = [(4, 12), (16, 4), (100, 4), (0, 0), (-16, 4), (-8, 4), (-12, 4),
           (-17, 4), (16, 2), (16.0, 4), (4,), (8,), (-4,), (-8,), (16,), (-16,),
           (-24,), (), [], None, "ab", 8, (2**63, 1), (1,) * 5, (16, 8, 4, 2, 1),
           (-16, 8, 4, 2, 1), (0, 0, 0, 0, 1), np.array([4, 4])]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("strides", range(len(STRIDES)))
def test_strides_setter_matches_numpy(layout, strides):
    value = STRIDES[strides]
    n, a = LAYOUTS[layout](np), LAYOUTS[layout](ac)

    def assign(x):
        x.strides = value

    n_result, n_warnings = _recorded(lambda: assign(n))
    a_result, a_warnings = _recorded(lambda: assign(a))
    assert a_result == n_result
    assert a_warnings == n_warnings == [(DeprecationWarning, STRIDES_WARNING)]
    _assert_same_array_state(a, n)


def test_strides_setter_warning_can_be_an_error():
    a = ac.arange(6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecationWarning, match="Setting the strides"):
            a.strides = (8,)
    assert a.strides == (8,)


def test_strides_delete_and_view_chains():
    a = ac.arange(10)
    with pytest.raises(AttributeError, match="Cannot delete array strides"):
        del a.strides
    with pytest.warns(DeprecationWarning):
        # NumPy's test_set_stridesattr, on array_core's constructor.
        r = ac.ndarray([4], dtype=a.dtype, buffer=a, offset=4 * a.itemsize)
        r.strides = -a.itemsize
        assert r.tolist() == [4, 3, 2, 1]
        r = ac.ndarray([4], dtype=a.dtype, buffer=a, offset=2 * a.itemsize)
        with pytest.raises(ValueError, match="not compatible with available"):
            r.strides = -a.itemsize
    v = a[2:5]
    with pytest.warns(DeprecationWarning):
        v.strides = (16,)
    # The view still reads the owner's memory, never past it.
    assert v.tolist() == [2, 4, 6] and v.base is a


def test_strides_of_a_lazy_copy_stay_in_its_memory():
    x = ac.arange(12)
    lazy = x[2:6].copy(lazy=True)
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError):
        lazy.strides = (16,)
    with pytest.warns(DeprecationWarning):
        lazy.strides = (0,)
    lazy[...] = 7  # materialises: the copy was made of its own 4 elements
    assert lazy.tolist() == [7] * 4 and x.tolist() == list(range(12))


# ------------------------------------------------------------ setflags


class _Truthless:
    def __bool__(self):
        raise RuntimeError("no truth value")


def _flag_cases():
    def misaligned(m):
        raw = m.frombuffer(b"abcdefghi", np.uint8) if m is np else ac.frombuffer(
            b"abcdefghi", np.uint8)
        return raw[1:].view(np.int16)

    def readonly_root_view(m):
        x = m.arange(4.0)
        v = x[1:]
        x.setflags(write=False)
        return v

    def frozen_view_of_writeable(m):
        v = m.arange(4.0)[1:]
        v.setflags(write=False)
        return v

    return {
        "owner": lambda m: m.arange(6.0),
        "view": lambda m: m.arange(6.0)[1:],
        "bytes": lambda m: m.frombuffer(b"abcdefgh", np.uint8),
        "misaligned": misaligned,
        "readonly-root-view": readonly_root_view,
        "frozen-view": frozen_view_of_writeable,
    }


SETFLAGS_CALLS = [
    ((), {}), ((False,), {}), ((True,), {}), ((), {"write": False}),
    ((), {"write": True}), ((), {"align": False}), ((), {"align": True}),
    ((), {"uic": False}), ((), {"uic": True}), ((1, 1, 1), {}), ((1, 1, 0), {}),
    ((0, 0, 0), {}), ((1, 1, 0, 1), {}), ((), {"foo": 1}), ((1,), {"write": 1}),
    ((), {"write": "a"}), ((), {"write": []}), ((), {"write": np.array([1, 2])}),
    ((), {"write": None, "align": None, "uic": None}),
    ((), {"write": True, "align": True}), ((), {"write": True, "align": False}),
    ((), {"write": False, "align": False, "uic": _Truthless()}),
    ((), {"write": _Truthless(), "align": False}),
    ((), {"write": False, "align": False, "uic": True}),
]


@pytest.mark.parametrize("case", sorted(_flag_cases()))
@pytest.mark.parametrize("call", range(len(SETFLAGS_CALLS)))
def test_setflags_matches_numpy(case, call):
    args, kwargs = SETFLAGS_CALLS[call]
    make = _flag_cases()[case]
    n, a = make(np), make(ac)
    n_result, n_warnings = _recorded(lambda: n.setflags(*args, **kwargs))
    a_result, a_warnings = _recorded(lambda: a.setflags(*args, **kwargs))
    assert a_result == n_result and a_warnings == n_warnings
    for name in FLAG_NAMES:
        assert getattr(a.flags, name) == getattr(n.flags, name), name


@pytest.mark.parametrize(("name", "value"), list(itertools.product(
    ["writeable", "aligned", "writebackifcopy", "W", "A", "X", "C", "O"],
    [True, False, 0, 1])))
def test_flag_setters_match_numpy(name, value):
    for case, make in _flag_cases().items():
        n, a = make(np), make(ac)
        if len(name) == 1:
            same_outcome(lambda: n.flags.__setitem__(name, value),  # noqa: B023
                         lambda: a.flags.__setitem__(name, value))  # noqa: B023
        else:
            same_outcome(lambda: setattr(n.flags, name, value),  # noqa: B023
                         lambda: setattr(a.flags, name, value))  # noqa: B023
        for flag in FLAG_NAMES:
            assert getattr(a.flags, flag) == getattr(n.flags, flag), (case, flag)


@pytest.mark.parametrize("name", ["writeable", "aligned", "writebackifcopy"])
def test_deleting_a_settable_flag_raises_attribute_error(name):
    n, a = np.arange(3), ac.arange(3)
    same_outcome(lambda: delattr(n.flags, name), lambda: delattr(a.flags, name))
    with pytest.raises(AttributeError,
                       match=f"^Cannot delete flags {name} attribute$"):
        delattr(a.flags, name)
    assert a.flags.writeable and a.flags.aligned


@pytest.mark.parametrize("key", ["W", "A", "X", "WRITEABLE", "C", "FOO", "O"])
def test_deleting_flag_items_matches_numpy(key):
    n, a = np.arange(3), ac.arange(3)
    same_outcome(lambda: n.flags.__delitem__(key), lambda: a.flags.__delitem__(key))


@pytest.mark.parametrize("name", ["c_contiguous", "owndata", "num", "fnc",
                                  "farray", "behaved"])
def test_read_only_flags_cannot_be_set_or_deleted(name):
    a = ac.arange(3)
    for action in (lambda: delattr(a.flags, name),  # noqa: B023
                   lambda: setattr(a.flags, name, True)):  # noqa: B023
        with pytest.raises(AttributeError, match="is not writable"):
            action()


def test_setflags_keeps_the_base():
    # NumPy drops the base on uic=False (and may free the memory under the
    # array); array_core keeps it.
    x = ac.arange(4.0)
    v = x[1:]
    v.setflags(uic=False)
    assert v.base is x


# ------------------------------------------------------------ exports and .shape


def test_shape_change_under_a_live_export():
    # __releasebuffer__ read the export's flag at an index taken from the
    # array's new ndim: past the export's block (ASan: heap overflow).
    for new_shape in [(2, 3, 4, 1, 1), (24,), (1,) * 10 + (24,)]:
        x = ac.zeros(24)
        m = memoryview(x)
        x.shape = new_shape
        assert m.shape == (24,)
        m[0] = 5.0
        m.release()
        assert x.reshape(-1)[0] == 5.0


def test_export_count_is_exact_after_shape_changes():
    # A read-only export released after `.shape =` read a stride as its
    # "writable" mark and took one off the count: a lazy copy then shared
    # memory with a live writable memoryview.
    x = ac.arange(24.0).reshape(2, 12)
    writable = memoryview(x)
    x.flags.writeable = False
    readonly = memoryview(x)
    x.flags.writeable = True
    x.shape = (24,)
    readonly.release()
    lazy = x.copy(lazy=True)
    writable[0, 0] = -1.0
    assert lazy[0] == 0.0 and x[0] == -1.0
    writable.release()
    # With no export left, lazy copies are lazy again (count back to zero).
    lazy = x.copy(lazy=True)
    x[1] = -2.0
    assert lazy[1] == 1.0


def test_export_count_survives_many_exports_and_reshapes():
    x = ac.arange(16.0)
    views = []
    shapes = itertools.cycle([(16,), (4, 4), (2, 2, 2, 2), (1, 2, 2, 2, 2, 1)])
    for k in range(12):
        if k % 3 == 0:
            x.flags.writeable = False
        views.append(memoryview(x))
        x.flags.writeable = True
        x.shape = next(shapes)
    for k, view in enumerate(views):
        view.release()
        if k < len(views) - 1:
            alive = [v for v in views[k + 1:] if not v.readonly]
            if alive:
                lazy = x.copy(lazy=True)
                alive[0].cast("B")[0] ^= 0xFF   # a write the copy must not see
                assert not np.array_equal(np.asarray(lazy), np.asarray(x))
    lazy = x.copy(lazy=True)
    assert ac.shares_memory(lazy, x) is False


# ------------------------------------------------------------ reentrant metadata


class _Reshaping:
    """An index whose __index__ reshapes the array being indexed."""

    def __init__(self, array, shape, value=0):
        self.array, self.shape, self.value = array, shape, value

    def __index__(self):
        self.array.shape = self.shape
        return self.value


@pytest.mark.parametrize("shape", [(2, 3, 1, 1, 1, 2), (12,), (1, 1, 1, 1, 1, 1, 12)])
def test_key_that_reshapes_the_array(shape):
    # The key is planned on the metadata as it was when indexing began.
    for trial in range(3):
        x = ac.arange(12).reshape(3, 4, 1, 1, 1)
        key = (slice(_Reshaping(x, shape), None), 1, 0, 0, 0)
        if trial == 0:
            assert x[key].tolist() == [1, 5, 9]
        elif trial == 1:
            x[key] = -1
            assert sorted(x.reshape(-1).tolist())[:3] == [-1, -1, -1]
        else:
            assert x[_Reshaping(x, shape, 2), 3, 0, 0, 0] == 11


def test_view_with_a_dtype_that_reshapes_the_array():
    x = ac.zeros((2, 4), np.int32)

    class Sneaky:
        @property
        def dtype(self):
            x.shape = (1, 1, 1, 1, 2, 4)
            return np.dtype(np.int64)

    v = x.view(Sneaky())
    # NumPy converts the dtype first, then views the array as it is then.
    n = np.zeros((2, 4), np.int32)

    class NumPySneaky:
        @property
        def dtype(self):
            n.shape = (1, 1, 1, 1, 2, 4)
            return np.dtype(np.int64)

    assert v.shape == n.view(NumPySneaky()).shape == (1, 1, 1, 1, 2, 2)
    assert v.dtype == np.int64


# ------------------------------------------------------------ threads


def test_shape_toggling_during_gil_released_copies():
    # A big copy releases the GIL while it reads the array's shape and
    # strides; another thread toggled .shape between two >4-axis shapes,
    # freeing the block being read (a segfault 3 runs in 20).
    # Just big enough to release the GIL, so that many copies start.
    x = ac.arange(2 ** 6 * 160, dtype=np.float64)
    shapes = [(4, 2, 2, 2, 2, 160), (2, 2, 2, 2, 2, 2, 160), (160, 2, 2, 2, 2, 4)]
    x.shape = shapes[0]
    x = x[:, :, :, :, :, :]   # a view of its own (no other user of the owner)
    expected = np.arange(x.size, dtype=np.float64)
    stop = threading.Event()
    errors = []

    def toggle():
        k = 0
        while not stop.is_set():
            k += 1
            try:
                x.shape = shapes[k % 3]
            except Exception as exc:  # noqa: BLE001 -- reported below
                errors.append(exc)
                return

    def copy():
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            c = x.copy()
            assert c.shape in shapes
            assert np.array_equal(np.asarray(c).reshape(-1), expected)
            t = x.T.copy()   # a strided copy of the same memory
            assert t.size == x.size

    toggler = threading.Thread(target=toggle)
    toggler.start()
    try:
        copy()
    finally:
        stop.set()
        toggler.join()
    assert not errors


def test_copy_hook_that_reshapes_the_source():
    # The copy hook runs Python between shaping the copy and filling it: a
    # reshape there is an error, never a copy with mismatched metadata.
    from array_core import _array

    x = ac.arange(24.0).reshape(2, 3, 4, 1, 1)

    def hook(operation, category, reason, source, nbytes):
        if source is x:
            x.shape = (1, 1, 1, 1, 1, 24)

    _array._set_copy_hook(hook)
    try:
        with pytest.raises(ValueError, match="could not broadcast"):
            x.copy()
        x.shape = (2, 3, 4, 1, 1)
        # An advanced index plans on the metadata as it was.
        assert x[[1], 2, 3, 0, 0].tolist() == [23.0]
    finally:
        _array._set_copy_hook(None)
    assert x.copy().shape == (1, 1, 1, 1, 1, 24)
