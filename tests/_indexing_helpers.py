"""Shared builders for the indexing tests: arrays on many layouts, keys."""

import contextlib
import threading

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_core as ac

DTYPES = [
    np.dtype(t)
    for t in (
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    )
]


def filled(shape, dtype):
    """Distinct-ish values 0, 1, 2, ... in ``dtype`` (alternating for bool)."""
    size = int(np.prod(shape, dtype=np.int64))
    values = np.arange(size) % (2 if dtype.kind == "b" else 97)
    return values.astype(dtype).reshape(shape).copy()  # owns its data


# Layout transforms applied identically to a NumPy array and its twin.
LAYOUTS = {
    "c": lambda a: a,
    "transposed": lambda a: a.T,
    "reversed": lambda a: a[(slice(None, None, -1),) * a.ndim + (Ellipsis,)],
    "stepped": lambda a: a[(slice(None, None, 2),) * a.ndim + (Ellipsis,)],
    "transposed-reversed": lambda a: a.T[
        (slice(None, None, -1),) * a.ndim + (Ellipsis,)
    ],
}


@st.composite
def array_pairs(draw, max_dims=4, dtypes=DTYPES):
    """(numpy array, array_core twin with the same layout, both roots)."""
    shape = draw(
        hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=5)
    )
    dtype = draw(st.sampled_from(dtypes))
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    np_root = filled(shape, dtype)
    ac_root = ac.array(np_root)
    return LAYOUTS[layout](np_root), LAYOUTS[layout](ac_root), np_root, ac_root


def index_array(draw, length, shape):
    """An intp index array of ``shape`` valid (negatives too) for ``length``."""
    if length == 0:
        return (
            np.zeros(shape, dtype=np.intp)[..., :0] if shape else np.zeros(0, np.intp)
        )
    values = draw(hnp.arrays(np.intp, shape, elements=st.integers(-length, length - 1)))
    return values


@st.composite
def mixed_keys(draw, shape):
    """Keys mixing ints, slices, integer arrays, lists, masks, None and ``...``.

    Index arrays share one broadcastable shape (sometimes with length-1 axes)
    so that most keys are valid; placement of the advanced indices varies.
    """
    nd = len(shape)
    broadcast = draw(st.sampled_from([(), (1,), (2,), (3,), (2, 1), (1, 2), (2, 3)]))
    entries = []
    axis = 0
    n_consumed = draw(st.integers(0, nd))
    while axis < n_consumed:
        length = shape[axis]
        kind = draw(
            st.sampled_from(
                ["int", "slice", "array", "list", "mask", "none"]
                if length
                else ["slice", "mask", "none", "emptyarray"]
            )
        )
        if kind == "int":
            entries.append(draw(st.integers(-length, length - 1)))
        elif kind == "slice":
            entries.append(
                slice(
                    draw(st.none() | st.integers(-6, 6)),
                    draw(st.none() | st.integers(-6, 6)),
                    draw(st.sampled_from([None, 1, 2, -1, -2])),
                )
            )
        elif kind in ("array", "list"):
            sub = tuple(n if draw(st.booleans()) else 1 for n in broadcast)
            arr = index_array(draw, length, sub)
            entries.append(arr.tolist() if kind == "list" and arr.ndim else arr)
        elif kind == "emptyarray":
            entries.append(np.zeros(0, np.intp))
        elif kind == "mask":
            entries.append(draw(hnp.arrays(np.bool_, (length,))))
        else:
            entries.append(None)
            continue
        axis += 1
    if draw(st.booleans()):
        entries.insert(draw(st.integers(0, len(entries))), Ellipsis)
    if draw(st.booleans()) and entries:
        entries.insert(draw(st.integers(0, len(entries))), None)
    return tuple(entries)


def outcome(func, arg):
    """The result of ``func(arg)`` or the exception it raised."""
    try:
        return func(arg)
    except Exception as exc:  # noqa: BLE001 - compared against NumPy
        return exc


def assert_same_error(ac_out, np_out):
    assert isinstance(ac_out, Exception), f"NumPy raised {np_out!r}, array_core did not"
    assert type(ac_out) is type(np_out), (ac_out, np_out)
    assert str(ac_out) == str(np_out)


def strides_ignoring_short_axes(shape, strides):
    return tuple(s for n, s in zip(shape, strides, strict=True) if n > 1)


def assert_same_getitem(ac_out, np_out, ac_root, np_root):
    """array_core's result matches NumPy's: value, kind, layout, base."""
    if isinstance(np_out, Exception):
        assert_same_error(ac_out, np_out)
        return
    assert not isinstance(ac_out, Exception), f"{ac_out!r}; NumPy gave {np_out!r}"
    if isinstance(np_out, np.generic):
        assert type(ac_out) is type(np_out)
        assert ac_out.tobytes() == np_out.tobytes()
        return
    assert isinstance(ac_out, ac.ndarray)
    assert ac_out.shape == np_out.shape
    assert ac_out.dtype == np_out.dtype
    assert np.array_equal(np.asarray(ac_out), np_out)
    # Views collapse their base to the owning root (NumPy's rule).
    assert_same_layout(ac_out, np_out, ac_root, np_root)


def assert_same_layout(ac_out, np_out, ac_root, np_root):
    """Strides, flags and NumPy's base rule: a view's base is the root; a
    copy owns its data, or is a view of a fresh scratch array (NumPy's
    transposed advanced results)."""
    np_view = np_out.base is np_root
    assert (ac_out.base is ac_root) == np_view
    assert ac.shares_memory(ac_out, ac_root) == np.shares_memory(np_out, np_root)
    assert ac_out.strides == np_out.strides, (ac_out.strides, np_out.strides)
    for flag in ("c_contiguous", "f_contiguous", "owndata", "writeable"):
        assert getattr(ac_out.flags, flag) == getattr(np_out.flags, flag), flag
    if not np_view:
        assert (ac_out.base is None) == (np_out.base is None)
        if np_out.base is not None:
            # A view of a fresh scratch array holding exactly the result.
            assert np_out.base.base is None and np_out.base.flags.owndata
            assert ac_out.base.base is None and ac_out.base.flags.owndata
            assert ac_out.base.shape == np_out.base.shape
            assert ac_out.base.strides == np_out.base.strides
            assert not ac.shares_memory(ac_out.base, ac_root)


# Six axes, reversed and stepped, with a length-1 axis among them: the
# odometers of the gather, scatter, mask-offset and index-offset kernels
# carry through several outer axes.
def many_axes_pair():
    """(np_root, np_view, ac_root, ac_view) of shape (3, 1, 2, 2, 3, 3)."""
    np_root = filled((3, 1, 4, 2, 5, 3), np.dtype("int32"))
    ac_root = ac.array(np_root)
    steps = (slice(None, None, -1), slice(None), slice(None, None, 2), slice(None),
             slice(None, None, -2), slice(None))
    return np_root, np_root[steps], ac_root, ac_root[steps]


_reversed = np.array([2, 0, 1])[::-1]  # a negative-stride index array
MANY_AXES_KEYS = [
    (..., [2, 0, 1, 2]),  # one index on the last axis: five outer axes
    (slice(None), 0, [1, 0], ...),  # outer axis, index axes, three inner axes
    (slice(None, None, -1), slice(None), [[1], [0]], slice(None), [0, 2, 1]),
    (..., [True, False, True]),  # a mask under five outer axes
    (..., np.array([[True, False], [False, True]]), slice(None), slice(None)),
    (np.ones((3, 1, 2), bool), ...),  # a 3-d mask over strided axes
    (np.array([[[1, 0, 1]], [[0, 0, 1]], [[1, 1, 0]]], bool)[:, :, :2], ...),
    # Broadcast 3-d index arrays (zero and negative strides), separated
    # by a slice, so their axes go first.
    (np.array([2, 0])[:, None, None], 0, np.array([1, 0])[None, :, None],
     slice(None), _reversed[None, None, :]),
    (slice(0, 0), ..., [1, 2]),  # an empty outer axis
    (slice(None), slice(None), [], ...),  # no index positions
]


class IndexLike:
    """An ``__index__`` object (``value`` may be an exception to raise)."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value

    def __repr__(self):
        return f"IndexLike({self.value!r})"


@contextlib.contextmanager
def indices_scribbled(indices):
    """While the block runs, another thread keeps writing values up to
    +-2**62 into random places of the NumPy array ``indices``, and zeros
    over them again."""
    stop = threading.Event()

    def scribble():
        rng = np.random.default_rng(3)
        while not stop.is_set():
            indices[rng.integers(0, indices.size, 64)] = rng.integers(
                -2**62, 2**62, 64)
            indices[:] = 0

    writer = threading.Thread(target=scribble)
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join()
