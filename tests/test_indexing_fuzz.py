"""Differential fuzz of ``x[key]`` and ``x[key] = value`` against NumPy.

Keys mix basic and advanced entries of every kind NumPy accepts or refuses
(ints in and out of bounds, NumPy integer scalars, ``__index__`` objects,
slices with huge bounds, ``None``, ``...``, integer arrays of several dtypes
and layouts, nested lists, boolean lists, arrays and scalars, empty arrays),
on arrays of every layout and dtype.  Each case compares the value, shape,
strides, flags, NumPy's base rule, ``shares_memory`` and, on error, the
exception type and message; an assignment compares the whole root after it
(so a target NumPy leaves untouched must stay untouched).

The default run is quick.  A measuring campaign::

    AC_FUZZ_EXAMPLES=3000 AC_FUZZ_REPORT=1 python -m pytest -q -s \
        tests/test_indexing_fuzz.py

records mismatches by class instead of failing and prints the inputs run
per target and the mismatches at the end (``HYPOTHESIS_PROFILE=thorough``
also raises the example count).
"""

import collections
import operator
import os
import warnings

import numpy as np
import pytest
from _indexing_helpers import DTYPES, IndexLike, filled, outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_core as ac

REPORT = bool(os.environ.get("AC_FUZZ_REPORT"))
EXAMPLES = int(os.environ.get("AC_FUZZ_EXAMPLES", "0")) or None
RUNS = collections.Counter()
MISMATCHES = collections.Counter()
EXAMPLES_SEEN = {}


def fuzz_settings(default):
    """The repo profile, with AC_FUZZ_EXAMPLES overriding the count."""
    count = EXAMPLES or max(default, settings().max_examples // 2)
    return settings(max_examples=count, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", autouse=True)
def campaign_report():
    yield
    if REPORT:
        print("\nindexing fuzz: inputs run per target:", dict(RUNS))
        print("indexing fuzz: NumPy outcomes:", dict(OUTCOMES))
        print("indexing fuzz: mismatches by class:", dict(MISMATCHES) or "none")
        for name, example in EXAMPLES_SEEN.items():
            print(f"  first {name}: {example}")


OUTCOMES = collections.Counter()


def outcome_kind(np_out, np_root):
    if isinstance(np_out, Exception):
        return type(np_out).__name__
    if isinstance(np_out, np.generic):
        return "scalar"
    if np_out is None:
        return "assigned"
    return "view" if np_out.base is np_root else "copy"


def record(target, problems, example, kind=None):
    RUNS[target] += 1
    if kind is not None:
        OUTCOMES[f"{target}:{kind}"] += 1
    for problem in problems:
        MISMATCHES[f"{target}:{problem}"] += 1
        EXAMPLES_SEEN.setdefault(f"{target}:{problem}", example)
    if problems and not REPORT:
        pytest.fail(f"{target} differs from NumPy ({', '.join(problems)}): {example}")


class ArrayLike:
    def __init__(self, array):
        self.array = array

    def __array__(self, dtype=None, copy=None):
        return self.array

    def __repr__(self):
        return f"ArrayLike({self.array!r})"


INT_TYPES = [int, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
             np.uint32, np.uint64, np.intp]
ARRAY_INT_DTYPES = ["intp", "int8", "int32", "uint8", "uint64", ">i8"]


def array_layout(draw, arr):
    """``arr`` (a fresh NumPy array) in C, F, reversed or strided layout."""
    kind = draw(st.sampled_from(["c", "c", "f", "reversed", "strided"]))
    if kind == "f":
        return np.asfortranarray(arr)
    if kind == "reversed" and arr.ndim:
        return np.ascontiguousarray(arr[::-1])[::-1]
    if kind == "strided" and arr.ndim:
        wide = np.repeat(arr, 2, axis=-1)
        return wide[..., ::2]
    return arr


@st.composite
def integer_entry(draw, length):
    """An integer: in range, just outside, huge, of any NumPy integer type."""
    value = draw(st.one_of(
        st.integers(-length, max(length - 1, -length)),
        st.sampled_from([length, -length - 1, 2**63, -(2**63) - 1, 2**64]),
    ))
    kind = draw(st.sampled_from(INT_TYPES + ["index", "array0d", "arraylike"]))
    if kind == "index":
        return IndexLike(value)
    if kind == "array0d":
        return np.array(value) if -(2**63) <= value < 2**63 else value
    if kind == "arraylike":
        return ArrayLike(np.array(value)) if -(2**63) <= value < 2**63 else value
    if kind is int:
        return value
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return kind(value)
    except OverflowError:
        return value


@st.composite
def array_entry(draw, length, bshape):
    """An integer index array / list broadcastable to ``bshape``."""
    shape = tuple(n if draw(st.booleans()) else 1 for n in bshape)
    if draw(st.integers(0, 5)) == 0:
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    hi = max(length - 1, 0)
    lo = -length
    oob = draw(st.integers(0, 9)) == 0
    elements = st.integers(lo - 2, hi + 2) if oob else st.integers(lo, hi)
    if length == 0 and not oob:
        shape = shape[:-1] + (0,) if shape else (0,)
        elements = st.just(0)
    values = draw(hnp.arrays(np.int64, shape, elements=elements))
    form = draw(st.sampled_from(["array", "array", "list", "arraylike"]))
    if form == "list" and values.ndim:
        return values.tolist()
    dtype = np.dtype(draw(st.sampled_from(ARRAY_INT_DTYPES)))
    if dtype.kind == "u" and (values < 0).any():
        dtype = np.dtype("intp")
    if dtype.itemsize == 1 and (np.abs(values) > 100).any():
        dtype = np.dtype("intp")
    arr = array_layout(draw, values.astype(dtype))
    return ArrayLike(arr) if form == "arraylike" else arr


@st.composite
def mask_entry(draw, shape_left):
    """A boolean mask over the next axes (sometimes of a wrong length)."""
    k = draw(st.integers(1, max(1, min(2, len(shape_left)))))
    mshape = list(shape_left[:k]) or [draw(st.integers(0, 3))]
    if draw(st.integers(0, 9)) == 0:
        mshape[-1] += 1
    mask = draw(hnp.arrays(np.bool_, tuple(mshape)))
    form = draw(st.sampled_from(["array", "list", "arraylike"]))
    if form == "list":
        return mask.tolist(), len(mshape)
    if form == "arraylike":
        return ArrayLike(mask), len(mshape)
    return array_layout(draw, mask), len(mshape)


@st.composite
def fuzz_keys(draw, shape):
    nd = len(shape)
    bshape = draw(st.sampled_from([(1,), (2,), (3,), (2, 1), (1, 3), (2, 3), (0,)]))
    entries = []
    axis = 0
    target = draw(st.integers(0, nd + 1))   # sometimes one entry too many
    while axis < target:
        length = shape[axis] if axis < nd else 2
        kind = draw(st.sampled_from(["int", "slice", "slice", "array", "mask",
                                     "none", "bool", "empty", "bad"]))
        if kind == "int":
            entries.append(draw(integer_entry(length)))
        elif kind == "slice":
            bound = st.none() | st.integers(-7, 7) | st.sampled_from(
                [2**63, -(2**63), 2**64])
            step = st.sampled_from([None, 1, 2, 3, -1, -2, 2**63, np.int8(2)])
            entries.append(slice(draw(bound), draw(bound), draw(step)))
        elif kind == "array":
            entries.append(draw(array_entry(length, bshape)))
        elif kind == "mask":
            mask, k = draw(mask_entry(shape[axis:]))
            entries.append(mask)
            axis += k
            continue
        elif kind == "none":
            entries.append(None)
            continue
        elif kind == "bool":
            entries.append(draw(st.sampled_from([True, False, np.True_, np.False_])))
            continue
        elif kind == "empty":
            entries.append(draw(st.sampled_from(
                [[], np.array([], np.intp), np.zeros((0, 2), np.intp),
                 np.array([], bool)])))
        else:
            entries.append(draw(st.sampled_from(
                [1.0, "a", [1.0], np.array([1.5]), IndexLike(ValueError("bad")),
                 [[0, 1], [0]], ArrayLike(np.array(1.5)), (0, 1)])))
        axis += 1
    if draw(st.integers(0, 3)) == 0:
        entries.insert(draw(st.integers(0, len(entries))), Ellipsis)
    if len(entries) == 1 and draw(st.booleans()):
        return entries[0]
    return tuple(entries)


@st.composite
def fuzz_arrays(draw):
    """(numpy view, array_core twin, numpy root, array_core root)."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    dtype = draw(st.sampled_from(DTYPES))
    layout = draw(st.sampled_from(["c", "f", "reversed", "stepped", "transposed"]))
    src = shape[:-1] + (shape[-1] * 2,) if layout == "stepped" and shape else shape
    np_root = filled(src, dtype)
    if layout == "f":   # owning F-ordered roots on both sides
        np_root = np.array(np_root, order="F")
        ac_root = ac.array(np_root, order="F")
        return np_root, ac_root, np_root, ac_root
    ac_root = ac.array(np_root)

    def view(m, a):
        if layout == "reversed" and a.ndim:
            return a[::-1]
        if layout == "stepped" and a.ndim:
            return a[..., ::2]
        if layout == "transposed":
            return a.T
        return a

    return view(np, np_root), view(ac, ac_root), np_root, ac_root


def describe_error(exc):
    return (type(exc), str(exc))


def getitem_problems(ac_out, np_out, ac_root, np_root):
    """The classes in which ``ac_out`` differs from NumPy's ``np_out``."""
    if isinstance(np_out, Exception) or isinstance(ac_out, Exception):
        if not (isinstance(np_out, Exception) and isinstance(ac_out, Exception)):
            return ["raises" if isinstance(ac_out, Exception) else "no-error"]
        if type(ac_out) is not type(np_out):
            return ["exception-type"]
        return [] if str(ac_out) == str(np_out) else ["message"]
    if isinstance(np_out, np.generic):
        if type(ac_out) is not type(np_out):
            return ["scalar-type"]
        return [] if ac_out.tobytes() == np_out.tobytes() else ["value"]
    if not isinstance(ac_out, ac.ndarray):
        return ["result-type"]
    problems = []
    if ac_out.shape != np_out.shape or ac_out.dtype != np_out.dtype:
        return ["shape"]
    if np.asarray(ac_out).tobytes() != np_out.tobytes():
        problems.append("value")
    if ac_out.strides != np_out.strides:
        problems.append("strides")
    for flag in ("c_contiguous", "f_contiguous", "owndata", "writeable"):
        if getattr(ac_out.flags, flag) != getattr(np_out.flags, flag):
            problems.append("flags")
            break
    np_view = np_out.base is np_root
    if (ac_out.base is ac_root) != np_view or (
            (ac_out.base is None) != (np_out.base is None)):
        problems.append("base")
    elif not np_view and np_out.base is not None and (
            ac_out.base.strides != np_out.base.strides
            or ac_out.base.base is not None):
        problems.append("base")
    if ac.shares_memory(ac_out, ac_root) != np.shares_memory(np_out, np_root):
        problems.append("shares_memory")
    return problems


@fuzz_settings(100)
@given(st.data(), fuzz_arrays())
def test_getitem_fuzz(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(fuzz_keys(np_x.shape), label="key")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np_out = outcome(operator.itemgetter(key), np_x)
        ac_out = outcome(operator.itemgetter(key), ac_x)
    problems = getitem_problems(ac_out, np_out, ac_root, np_root)
    record("getitem", problems, (np_x.shape, np_x.dtype, np_x.strides,
                                 ac_x.strides, key,
                                 repr(np_out)[:200], repr(ac_out)[:200],
                                 getattr(np_out, "strides", None),
                                 getattr(ac_out, "strides", None)),
           outcome_kind(np_out, np_root))


@st.composite
def values_for(draw, np_x, key):
    """A value to assign: a scalar of any kind, or an array whose shape fits
    NumPy's result (or broadcasts to it, or not)."""
    try:
        shape = np_x[key].shape if not isinstance(np_x[key], np.generic) else ()
    except Exception:  # noqa: BLE001 - any shape will do for a bad key
        shape = (2,)
    kind = draw(st.sampled_from(["scalar", "npscalar", "array", "array",
                                 "broadcast", "list", "wrong"]))
    if kind == "scalar":
        return draw(st.sampled_from([0, 7, -1, 2**64, 1.5, float("nan"), 1 + 2j,
                                     True, "3", "x", None]))
    if kind == "npscalar":
        return draw(st.sampled_from([np.uint64(2**64 - 1), np.int8(-3),
                                     np.float64(2.5), np.float32("nan"),
                                     np.complex64(1 + 1j), np.bool_(True),
                                     np.float64(1e300)]))
    if kind == "wrong":
        return np.zeros(tuple(n + 1 for n in shape) or (3,), np_x.dtype)
    if kind == "broadcast":
        shape = tuple(1 if draw(st.booleans()) else n for n in shape)
        shape = shape[draw(st.integers(0, len(shape))):]
    values = filled(shape, np_x.dtype)[...] + np.zeros((), np_x.dtype)
    if kind == "list":
        return values.tolist()
    return array_layout(draw, np.asarray(values))


@fuzz_settings(100)
@given(st.data(), fuzz_arrays())
def test_setitem_fuzz(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(fuzz_keys(np_x.shape), label="key")
    value = data.draw(values_for(np_x, key), label="value")
    ac_value = ac.asarray(value) if (
        isinstance(value, np.ndarray) and data.draw(st.booleans())) else value
    before = np.asarray(ac_root).copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np_err = outcome(lambda x: x.__setitem__(key, value), np_x)
        ac_err = outcome(lambda x: x.__setitem__(key, ac_value), ac_x)
    problems = []
    if isinstance(np_err, Exception) or isinstance(ac_err, Exception):
        problems = getitem_problems(ac_err, np_err, None, None)
    ac_after = np.asarray(ac_root)
    if ac_after.tobytes() != np_root.tobytes():
        problems.append("touched" if isinstance(np_err, Exception)
                        and np.array_equal(before, np_root, equal_nan=True)
                        else "written")
    record("setitem", problems, (np_x.shape, np_x.dtype, np_x.strides, key,
                                 repr(value)[:100], repr(np_err), repr(ac_err)),
           outcome_kind(np_err, np_root))
