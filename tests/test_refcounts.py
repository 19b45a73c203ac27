"""array_core holds no reference it does not release, on error paths too.

Reference counts are read with ``sys.getrefcount`` before and after a call;
a leaked reference keeps an array (and its memory) alive for ever, which
LeakSanitizer in CI's sanitizer build reports only by chance.
"""
import gc
import sys

import numpy as np
import pytest

import array_core as ac


def _call(call):
    try:
        call()
    except Exception:  # noqa: BLE001 - the error paths are what is checked
        pass


def references_kept(call, *objects, repeat=3):
    """How many more references each of ``objects`` has after ``repeat``
    calls of ``call`` (each may raise)."""
    gc.collect()
    before = [sys.getrefcount(o) for o in objects]
    for _ in range(repeat):
        _call(call)
    gc.collect()
    after = [sys.getrefcount(o) for o in objects]
    return [n - b for n, b in zip(after, before, strict=True)]


@pytest.mark.parametrize("method, args", [
    ("reduce", (5,)), ("accumulate", (5,)), ("reduceat", ([0, 9], 1)),
    ("__call__", (ac.zeros(2),)), ("outer", ([1.0, 2.0], "x")),
])
def test_ufunc_override_errors_release_their_arguments(method, args):
    # Called directly: NumPy's reduce/accumulate/reduceat keep a tuple of
    # the inputs when an override raises (numpy#31677), array_core must not.
    a = ac.array(np.arange(12.0).reshape(3, 4))
    kept = references_kept(lambda: a.__array_ufunc__(np.add, method, a, *args), a)
    assert kept == [0]


def test_setitem_and_creation_errors_release_their_arguments():
    a = ac.zeros((2, 3))
    v = ac.ones(4)
    key = ac.array([0, 5])
    assert references_kept(lambda: a.__setitem__(key, 1.0), a, key) == [0, 0]
    assert references_kept(lambda: a.__setitem__(slice(None), v), a, v) == [0, 0]
    assert references_kept(lambda: a.__setitem__((0, 0), "x"), a) == [0]
    assert references_kept(lambda: ac.asarray(a.T, order="C", copy=False),
                           a) == [0]
    assert references_kept(lambda: ac.array(a, ndmin=99), a) == [0]
