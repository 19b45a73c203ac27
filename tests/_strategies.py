"""Shared strategies and differential checks: NumPy is the oracle.

A ``Layout`` is a recipe (base shape, dtype, transpose, per-axis slices) that
is applied to a NumPy array and to an array_core array built from the same
data, so both sides hold the same elements in the same strided layout.
"""
import dataclasses

import numpy as np
from hypothesis import strategies as st

import array_core as ac

DTYPES = [np.dtype(t) for t in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float16", "float32", "float64", "complex64", "complex128")]


def filled(shape, dtype):
    """A fresh C-contiguous NumPy array (an owner) of distinct-ish values."""
    n = int(np.prod(shape, dtype=np.int64))
    values = np.arange(1, n + 1)
    if dtype.kind == "b":
        values = values % 3 == 0
    elif dtype.kind in "iu":
        values = values % (1 << min(8 * dtype.itemsize - 1, 30))
    elif dtype.kind == "c":
        values = values + 0.5j * values
    return np.array(values.astype(dtype).reshape(shape), order="C", copy=True)


@dataclasses.dataclass(frozen=True)
class Layout:
    """How to reach a strided layout from a C array: transpose, then slice."""

    base_shape: tuple
    dtype: np.dtype
    axes: tuple
    slices: tuple
    readonly: bool = False

    def apply(self, x):
        """The same transpose and slices applied to ``x`` (NumPy or array_core)."""
        if self.axes != tuple(range(len(self.axes))):
            x = x.transpose(self.axes)
        if any(s != slice(None) for s in self.slices):
            x = x[self.slices]
        return x

    def build(self, via="array"):
        """(numpy_root, numpy_view, ac_root, ac_view) holding the same data.

        ``via='array'`` gives an owning array_core copy; ``via='asarray'`` a
        zero-copy array_core array whose base is the NumPy root.  A read-only
        layout has read-only roots on both sides.
        """
        n0 = filled(self.base_shape, self.dtype)
        if via == "array":
            a0 = ac.array(n0)
            a0.flags.writeable = not self.readonly
        else:
            n0.flags.writeable = not self.readonly
            a0 = ac.asarray(n0)
        n0.flags.writeable = not self.readonly
        return n0, self.apply(n0), a0, self.apply(a0)

    def numpy(self):
        """The layout on the NumPy side only."""
        n0 = filled(self.base_shape, self.dtype)
        n0.flags.writeable = not self.readonly
        return self.apply(n0)


@st.composite
def slices_for(draw, length):
    """A slice of an axis of ``length``: any start/stop, steps incl. negative."""
    step = draw(st.sampled_from([None, 1, 2, 3, -1, -2]))
    bound = st.one_of(st.none(), st.integers(-length - 1, length + 1))
    return slice(draw(bound), draw(bound), step)


@st.composite
def layouts(draw, max_dims=5, min_dims=0, dtypes=None, max_side=5):
    """Layouts reachable from a C array: C, F, negative strides, steps, empty axes."""
    dtype = draw(st.sampled_from(dtypes or DTYPES))
    nd = draw(st.integers(min_dims, max_dims))
    shape = tuple(draw(st.lists(st.integers(0, max_side), min_size=nd, max_size=nd)))
    if draw(st.booleans()):
        axes = tuple(range(nd))[::-1] if draw(st.booleans()) else tuple(
            draw(st.permutations(range(nd))))
    else:
        axes = tuple(range(nd))
    if draw(st.booleans()):
        slices = tuple(draw(slices_for(shape[ax])) for ax in axes)
    else:
        slices = (slice(None),) * nd
    return Layout(shape, dtype, axes, slices, draw(st.integers(0, 4)) == 0)


def all_layouts_small():
    """A handful of named layouts for exhaustive (non-hypothesis) tests."""
    f8 = np.dtype("float64")
    return [
        Layout((), f8, (), ()),
        Layout((5,), f8, (0,), (slice(None),)),
        Layout((5,), f8, (0,), (slice(None, None, -2),)),
        Layout((0,), f8, (0,), (slice(None),)),
        Layout((2, 3), f8, (0, 1), (slice(None), slice(None))),
        Layout((2, 3), f8, (1, 0), (slice(None), slice(None))),
        Layout((3, 4), f8, (0, 1), (slice(None), slice(None, None, 2))),
        Layout((3, 4), f8, (0, 1), (slice(None, None, -1), slice(1, 3))),
        Layout((1, 4, 1), f8, (2, 1, 0), (slice(None),) * 3),
        Layout((2, 0, 3), f8, (1, 0, 2), (slice(None),) * 3),
        Layout((2, 3, 4), f8, (0, 2, 1), (slice(None), slice(None, None, 2),
                                            slice(None))),
        Layout((2, 3, 4), np.dtype("int8"), (2, 1, 0), (slice(None),) * 3),
        Layout((4, 3, 2, 2), np.dtype("complex64"), (1, 0, 3, 2),
               (slice(1, None), slice(None, None, -1), slice(None), slice(None))),
    ]


# ------------------------------------------------------------------ checks

FLAG_NAMES = ("c_contiguous", "f_contiguous", "owndata", "writeable", "aligned")


def significant_strides(shape, strides):
    """Strides of the axes longer than 1 (the others carry no information)."""
    return tuple(s for d, s in zip(shape, strides, strict=True) if d > 1)


def assert_same_array(a, n, *, flags=True, strides=True):
    """``a`` (array_core) matches ``n`` (NumPy): type, dtype, shape, values, layout."""
    assert type(a) is ac.ndarray, type(a)
    assert a.dtype == n.dtype, (a.dtype, n.dtype)
    assert a.shape == n.shape, (a.shape, n.shape)
    assert a.ndim == n.ndim and a.size == n.size
    assert a.itemsize == n.itemsize and a.nbytes == n.nbytes
    got = np.asarray(a)
    assert got.dtype == n.dtype and got.shape == n.shape
    np.testing.assert_array_equal(got, n, strict=True)
    if strides:
        assert significant_strides(a.shape, a.strides) == significant_strides(
            n.shape, n.strides), (a.strides, n.strides, n.shape)
    if flags:
        for name in FLAG_NAMES:
            assert getattr(a.flags, name) == getattr(n.flags, name), (
                name, a.flags, n.flags)


def assert_same_sharing(a, a_src, n, n_src):
    """``a`` shares memory with ``a_src`` exactly when ``n`` does with ``n_src``."""
    assert ac.shares_memory(a, a_src) == np.shares_memory(n, n_src), (
        "view-or-copy differs")


def assert_same_base(a, a_roots, n, n_roots):
    """``a.base`` is the k-th of ``a_roots`` exactly when ``n.base`` is ``n_roots[k]``.

    ``None`` matches ``None``; a NumPy base that is none of the roots is
    matched against ``a.base`` being none of the array_core roots.
    """
    if n.base is None:
        assert a.base is None, a.base
        return
    for a_root, n_root in zip(a_roots, n_roots, strict=True):
        if n.base is n_root:
            assert a.base is a_root, (a.base, n.base)
            return
    assert a.base is not None
    assert all(a.base is not r for r in a_roots)


def outcome(func, *args, **kwargs):
    """('ok', result) or ('raise', type, message) for ``func(*args, **kwargs)``."""
    try:
        return ("ok", func(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 -- compared against NumPy's
        return ("raise", type(exc), str(exc))


def assert_same_error(np_call, ac_call):
    """Both calls raise, with the same exception type and message."""
    n = outcome(np_call)
    a = outcome(ac_call)
    assert n[0] == "raise", f"NumPy did not raise: {n}"
    assert a[0] == "raise", f"array_core did not raise, got {a[1]!r}"
    assert a[1] is n[1] and a[2] == n[2], (a[1:], n[1:])


def same_outcome(np_call, ac_call):
    """Run both; if NumPy raises, array_core must raise the same way.

    Returns (numpy_result, ac_result), or None when both raised.
    """
    n = outcome(np_call)
    a = outcome(ac_call)
    if n[0] == "raise":
        assert a[0] == "raise", f"NumPy raised {n[1:]}, array_core gave {a[1]!r}"
        assert a[1] is n[1] and a[2] == n[2], (a[1:], n[1:])
        return None
    assert a[0] == "ok", f"array_core raised {a[1:]}, NumPy gave a result"
    return n[1], a[1]
