"""Differential fuzz of creation and shape functions: arguments, results, messages.

Every target is called on NumPy and on array_core with the same drawn
arguments (valid and invalid shapes, orders, dtypes, axes, copy flags,
ndmin/ndmax, and inputs of every kind: array_core/NumPy arrays of many
layouts, lists, ragged lists, tuples, scalars, bytes, memoryviews, objects
with ``__array__``/``__array_interface__``).  Either both raise the same
exception type with the same message, or both return arrays that agree in
values, dtype, shape, strides, flags, base rule and memory sharing.

The default run is quick (the repo's hypothesis profile).  A campaign:
``HYPOTHESIS_PROFILE=thorough`` or ``ARRAY_CORE_FUZZ_EXAMPLES=N``; with
``ARRAY_CORE_FUZZ_REPORT=path`` mismatches are counted by class into
``path`` (JSON) instead of failing the test.
"""
import collections
import json
import os

import numpy as np
import pytest
from _strategies import DTYPES, Layout, filled, layouts
from hypothesis import given, settings
from hypothesis import strategies as st

import array_core as ac

_EXAMPLES = os.environ.get("ARRAY_CORE_FUZZ_EXAMPLES")
_REPORT = os.environ.get("ARRAY_CORE_FUZZ_REPORT")
_runs = collections.Counter()
_mismatches = collections.defaultdict(collections.Counter)
_samples = collections.defaultdict(list)


def fuzz_settings(test):
    """The profile's settings, or ARRAY_CORE_FUZZ_EXAMPLES examples."""
    if _EXAMPLES:
        return settings(max_examples=int(_EXAMPLES))(test)
    return test


@pytest.fixture(scope="module", autouse=True)
def _write_report():
    yield
    if _REPORT:
        with open(_REPORT, "w") as f:
            json.dump({"runs": _runs, "mismatches": _mismatches,
                       "samples": _samples}, f, indent=1, default=str)


# ------------------------------------------------------------------ inputs

class WithArray:
    """An object with ``__array__`` (NumPy's protocol, copy= aware)."""

    def __init__(self, n):
        self.n = n

    def __array__(self, dtype=None, copy=None):
        if copy:
            return self.n.copy() if dtype is None else self.n.astype(dtype)
        return self.n if dtype is None else self.n.astype(dtype, copy=False)


class WithInterface:
    """An object exporting ``__array_interface__`` of a NumPy array."""

    def __init__(self, n):
        self.n = n
        self.__array_interface__ = n.__array_interface__


class Interface:
    """An object exporting a hand-written ``__array_interface__``."""

    def __init__(self, **interface):
        self.__array_interface__ = dict(version=3, **interface)


class ArrayReturning:
    """``__array__`` returning ``value`` (maybe not an array) or raising it."""

    def __init__(self, value):
        self.value = value

    def __array__(self, dtype=None, copy=None):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


class Sequence:
    """A sequence that is neither list nor tuple."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class Source:
    """An input drawn once and built afresh for each library.

    ``kind`` is 'layout' (the same strided layout on each side, array_core
    built natively), or 'foreign' (the very same object passed to both).
    """

    def __init__(self, kind, payload):
        self.kind = kind
        self.payload = payload

    def build(self, lib):
        if self.kind == "layout":
            layout, via = self.payload
            n0, n, a0, a = layout.build(via)
            return (n0, n) if lib is np else (a0, a)
        return None, self.payload()

    def __repr__(self):
        if self.kind == "layout":
            return f"Layout{self.payload}"
        return f"foreign({self.payload.label})"


class Foreign:
    def __init__(self, label, make):
        self.label = label
        self.make = make

    def __call__(self):
        return self.make()


def _foreign(label, make):
    return Source("foreign", Foreign(label, make))


_FOREIGN = [
    _foreign("[1, 2, 3]", lambda: [1, 2, 3]),
    _foreign("[[1, 2], [3, 4]]", lambda: [[1, 2], [3, 4]]),
    _foreign("[[1.5], [2]]", lambda: [[1.5], [2]]),
    _foreign("[]", lambda: []),
    _foreign("[[]]", lambda: [[]]),
    _foreign("ragged [[1, 2], [3]]", lambda: [[1, 2], [3]]),
    _foreign("ragged [1, [2]]", lambda: [1, [2]]),
    _foreign("ragged [[[1], [2]], [[3], [4, 5]]]", lambda: [[[1], [2]], [[3], [4, 5]]]),
    _foreign("ragged [[1], 2]", lambda: [[1], 2]),
    _foreign("(1, 2)", lambda: (1, 2)),
    _foreign("((1,), (2,))", lambda: ((1,), (2,))),
    _foreign("7", lambda: 7),
    _foreign("2.5", lambda: 2.5),
    _foreign("1+2j", lambda: 1 + 2j),
    _foreign("True", lambda: True),
    _foreign("2**70", lambda: 2 ** 70),
    _foreign("np.float32(1.5)", lambda: np.float32(1.5)),
    _foreign("np.int16(3)", lambda: np.int16(3)),
    _foreign("b'abc'", lambda: b"abc"),
    _foreign("'text'", lambda: "text"),
    _foreign("bytearray(b'ab')", lambda: bytearray(b"ab")),
    _foreign("memoryview(arange(6).reshape(2,3))",
             lambda: memoryview(np.arange(6).reshape(2, 3))),
    _foreign("memoryview(b'xyz')", lambda: memoryview(b"xyz")),
    _foreign("memoryview(arange(12.)[::3])", lambda: memoryview(np.arange(12.0)[::3])),
    _foreign("np.arange(6).reshape(2, 3)", lambda: np.arange(6).reshape(2, 3)),
    _foreign("np.arange(6.).reshape(2, 3).T", lambda: np.arange(6.0).reshape(2, 3).T),
    _foreign("np.zeros(0)", lambda: np.zeros(0)),
    _foreign("np.array(3.0)", lambda: np.array(3.0)),
    _foreign("broadcast (2,3) stride 0",
             lambda: np.broadcast_to(np.arange(3.0), (2, 3))),
    _foreign("__array__ (2, 2)", lambda: WithArray(np.arange(4.0).reshape(2, 2))),
    _foreign("__array_interface__ (3,)", lambda: WithInterface(np.arange(3))),
    _foreign("__array_interface__ F (2, 3)",
             lambda: WithInterface(np.asfortranarray(np.ones((2, 3), "i2")))),
    _foreign("[np.arange(2), np.arange(2)]", lambda: [np.arange(2), np.arange(2)]),
    _foreign("ragged [np.arange(2), np.arange(3)]",
             lambda: [np.arange(2), np.arange(3)]),
    _foreign("[[1, 2], np.zeros((2, 2))]", lambda: [[1, 2], np.zeros((2, 2))]),
    _foreign("[1, 'a']", lambda: [1, "a"]),
    _foreign("[b'x', b'yz']", lambda: [b"x", b"yz"]),
    _foreign("[memoryview(b'ab'), memoryview(b'cd')]",
             lambda: [memoryview(b"ab"), memoryview(b"cd")]),
    _foreign("Sequence([1, 2])", lambda: Sequence([1, 2])),
    _foreign("Sequence([[1], [2, 3]])", lambda: Sequence([[1], [2, 3]])),
    _foreign("interface NULL size 0", lambda: Interface(shape=(0,), typestr="<f8",
                                                        data=(0, False))),
    _foreign("interface NULL (0, 3) strided",
             lambda: Interface(shape=(0, 3), typestr="<i2", data=(0, True),
                               strides=(6, 2))),
    _foreign("interface NULL size 3", lambda: Interface(shape=(3,), typestr="<f8",
                                                        data=(0, False))),
    _foreign("interface no shape", lambda: Interface(typestr="<f8", data=(0, False))),
    _foreign("interface bad typestr", lambda: Interface(shape=(1,), typestr="zz",
                                                        data=(0, False))),
    _foreign("interface data None", lambda: Interface(shape=(1,), typestr="<f8",
                                                      data=None)),
    _foreign("__array__ -> list", lambda: ArrayReturning([1, 2])),
    _foreign("__array__ raises ValueError",
             lambda: ArrayReturning(ValueError("nope"))),
    _foreign("__array__ -> 0-d", lambda: ArrayReturning(np.array(1.5))),
    _foreign("range(4)", lambda: range(4)),
    _foreign("None", lambda: None),
    _foreign("object()", lambda: object()),
    _foreign("{1: 2}", lambda: {1: 2}),
]


@st.composite
def sources(draw, foreign=True):
    if foreign and draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(_FOREIGN))
    layout = draw(layouts(max_dims=4, max_side=4))
    return Source("layout", (layout, draw(st.sampled_from(["array", "asarray"]))))


@st.composite
def broadcast_sources(draw):
    """NumPy arrays with stride-0 axes, viewed by array_core."""
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=4)))
    strides_base = filled(shape, np.dtype("int64"))
    axes = tuple(draw(st.permutations(range(len(shape)))))
    zero = tuple(draw(st.lists(st.booleans(), min_size=len(shape),
                               max_size=len(shape))))
    flips = tuple(draw(st.lists(st.booleans(), min_size=len(shape),
                                max_size=len(shape))))
    lengths = tuple(draw(st.lists(st.integers(1, 3), min_size=len(shape),
                                  max_size=len(shape))))

    def make():
        x = strides_base.transpose(axes)
        x = x[tuple(slice(None, None, -1 if f else None) for f in flips)]
        sh = tuple(lengths[i] if zero[i] else x.shape[i] for i in range(x.ndim))
        st_ = tuple(0 if zero[i] else x.strides[i] for i in range(x.ndim))
        return np.lib.stride_tricks.as_strided(x, sh, st_, writeable=False)

    make.label = f"broadcast{(shape, axes, zero, flips, lengths)}"
    return Source("foreign", Foreign(make.label, make))


# ------------------------------------------------------------------ arguments

DTYPE_ARGS = [None, "f8", "i4", np.int16, "u1", bool, complex, float, int, "f4",
              "S3", "U2", "<i8", ">f4", "V8", "nope", 3, object, "O", [1], "i4,i4"]
ORDER_ARGS = ["C", "F", "A", "K", "c", "f", "a", "k", None, "X", "CF", "", 3,
              b"C", b"F", "KK"]
COPY_ARGS = [None, True, False, 0, 1, "yes", "", np._CopyMode.ALWAYS,
             np._CopyMode.IF_NEEDED, np._CopyMode.NEVER, [], [0], 2.0]
NDIM_ARGS = [0, 1, 2, 3, 5, -1, 32, 64, 65, 1.5, None, True, "2", np.int8(2), 2 ** 70]
AXIS_ARGS = [0, 1, 2, -1, -2, -3, 3, 4, -5, 64, 1.0, None, True, False, "0",
             np.int64(1), np.int32(-1), (0,), (0, 1), (1, 0), (0, 0), (-1, 1),
             (), [0], [0, 1], (0, 1.0), (True,), 2 ** 65, (2 ** 65,), [[0]],
             2 ** 40, -2 ** 40, (2 ** 40,), (0, 2 ** 32), 2 ** 32 + 1]
SHAPE_ARGS = [0, 1, 2, 3, 6, -1, -2, (), (0,), (6,), (-1,), (2, 3), (3, 2),
              (2, -1), (-1, 3), (-1, -1), (1, 6), (6, 1), (2, 3, 1), (0, -1),
              (-1, 0), [2, 3], (2.0, 3), 2.0, None, "3", (None,), (2, None),
              np.int64(6), (np.int32(2), 3), ((2,), 3), True, (True, 6),
              2 ** 63, (2 ** 63,), (-3,), [[6]], np.array(6), np.array([2, 3])]
FILL_ARGS = [0, 1.5, -1, 2 ** 70, "x", b"x", 1 + 2j, True, [1, 2, 3], [[1], [2]],
             None, np.float32(2), np.array([1, 2]), [1, [2]]]
NUMBER_ARGS = [0, 1, 2, 5, -3, 2.5, 0.5, -1.5, 1 + 1j, None, "3", True, np.int8(4),
               np.float32(1.5), 10 ** 20, float("nan"), float("inf"), 0.0]


# ------------------------------------------------------------------ comparison

def outcome(call):
    try:
        return "ok", call()
    except Exception as exc:  # noqa: BLE001 -- compared against NumPy's
        return "raise", exc


def classify(n_res, a_res, n_in, a_in, n_root, a_root):
    """The first way ``a_res`` differs from ``n_res``, or None."""
    if n_res[0] == "raise" and a_res[0] == "raise":
        ne, ae = n_res[1], a_res[1]
        if type(ne) is not type(ae):
            return "exception type"
        if str(ne) != str(ae):
            return "exception message"
        return None
    if n_res[0] == "raise":
        return "array_core returns, NumPy raises"
    if a_res[0] == "raise":
        if "array_core does not support" in str(a_res[1]):
            return "by design: object dtype"
        return "array_core raises, NumPy returns"
    n, a = n_res[1], a_res[1]
    if not isinstance(n, np.ndarray):
        if isinstance(a, ac.ndarray) or type(a) is not type(n):
            return "result type"
        return None if (n == a or (n != n and a != a)) else "value"
    if type(a) is not ac.ndarray:
        return "result type"
    if a.dtype != n.dtype:
        return "dtype"
    if a.shape != n.shape:
        return "shape"
    if not np.array_equal(np.asarray(a), n, equal_nan=n.dtype.kind in "fc"):
        return "value"
    if a.strides != n.strides:
        return "strides"
    if n is n_in:
        # NumPy returned its input: array_core returns its own input, or
        # (given a NumPy array) a zero-copy view of it.
        ok = a is a_in or (a_in is n_in and a.base is n_in)
        return None if ok else "identity (input returned)"
    for name in ("c_contiguous", "f_contiguous", "owndata", "writeable", "aligned"):
        if getattr(a.flags, name) != getattr(n.flags, name):
            return f"flags.{name}"
    if a is a_in:
        return "identity (input returned)"
    if (n.base is None) != (a.base is None):
        return "base is None"
    if a_in is n_in:
        # A NumPy input: array_core works on a view of it, so only the
        # sharing can be compared (the view is the base of its views).
        if isinstance(n_in, np.ndarray) and n.size and (
                np.shares_memory(n, n_in) != ac.shares_memory(a, n_in)):
            return "shares_memory"
        return None
    if n_in is not None and isinstance(n_in, np.ndarray):
        if (n.base is n_in) != (a.base is a_in or (a_in is n_in and a.base is n_in)):
            return "base is the input"
        if n_root is not None and (n.base is n_root) != (a.base is a_root):
            return "base is the root"
        if n.size and np.shares_memory(n, n_in) != ac.shares_memory(a, a_in):
            return "shares_memory"
    return None


def differential(target, source, call, args=()):
    """Run ``call(lib, x)`` on both sides and compare; return the mismatch class.

    ``args`` are the drawn arguments: when one asks for an object dtype and
    array_core refuses it, NumPy's later errors (it would make the array)
    are not compared.
    """
    n_root, n_in = source.build(np)
    if source.kind == "foreign":
        a_root, a_in = None, n_in  # the very same object for both
    else:
        a_root, a_in = source.build(ac)
    n_res = outcome(lambda: call(np, n_in))
    a_res = outcome(lambda: call(ac, a_in))
    kind = classify(n_res, a_res, n_in, a_in, n_root, a_root)
    if (kind is not None and a_res[0] == "raise"
            and "array_core does not support" in str(a_res[1])
            and source.kind == "foreign" and _numpy_dtype_kind(n_in) == "O"):
        kind = "by design: object dtype"
    if (kind is not None and a_res[0] == "raise"
            and "array_core does not support" in str(a_res[1])
            and any(a is object or (isinstance(a, str) and a == "O") for a in args)):
        kind = "by design: object dtype"
    if kind == "result type" and isinstance(n_in, np.generic):
        kind = "by design: NumPy scalar methods"  # np.transpose(np.float32(1))
    _runs[target] += 1
    if kind is None or kind.startswith("by design"):
        return
    detail = (f"{target}: {kind}\n  input {source!r}\n"
              f"  numpy:      {_show(n_res)}\n  array_core: {_show(a_res)}")
    if _REPORT:
        _mismatches[target][kind] += 1
        if len(_samples[f"{target}: {kind}"]) < 5:
            _samples[f"{target}: {kind}"].append(detail)
        return
    raise AssertionError(detail)


def _numpy_dtype_kind(x):
    try:
        return np.asarray(x).dtype.kind
    except Exception:  # noqa: BLE001 -- a ragged input, say
        return None


def _show(res):
    if res[0] == "raise":
        return f"{type(res[1]).__name__}: {res[1]}"
    r = res[1]
    if isinstance(r, (np.ndarray, ac.ndarray)):
        return (f"{type(r).__module__}.ndarray shape={r.shape} strides={r.strides} "
                f"dtype={r.dtype} owndata={r.flags.owndata} "
                f"base={'None' if r.base is None else type(r.base).__name__}")
    return repr(r)


def kwargs_from(data, spec):
    """Draw a subset of keyword arguments, each from its candidate list."""
    out = {}
    for name, values in spec.items():
        if data.draw(st.booleans(), label=f"pass {name}"):
            out[name] = data.draw(st.sampled_from(values), label=name)
    return out


def positional(data, values_list):
    """Draw a prefix of positional arguments."""
    n = data.draw(st.integers(0, len(values_list)), label="positional count")
    return [data.draw(st.sampled_from(v)) for v in values_list[:n]]


# ------------------------------------------------------------------ targets

@fuzz_settings
@given(sources(), st.data())
def test_array(source, data):
    kwargs = kwargs_from(data, {"dtype": DTYPE_ARGS, "copy": COPY_ARGS,
                                "order": ORDER_ARGS, "ndmin": NDIM_ARGS,
                                "ndmax": NDIM_ARGS, "subok": [True, False],
                                "like": [None]})
    differential("array", source, lambda m, x: m.array(x, **kwargs))


@fuzz_settings
@given(sources(), st.data())
def test_asarray(source, data):
    args = positional(data, [DTYPE_ARGS, ORDER_ARGS])
    kwargs = kwargs_from(data, {"copy": COPY_ARGS, "device": ["cpu", None, "gpu", 0],
                                "like": [None]})
    differential("asarray", source, lambda m, x: m.asarray(x, *args, **kwargs))


@fuzz_settings
@given(sources(), st.data(), st.sampled_from(["ascontiguousarray", "asfortranarray"]))
def test_ascontiguous_asfortran(source, data, name):
    args = positional(data, [DTYPE_ARGS])
    kwargs = kwargs_from(data, {"like": [None]})
    differential(name, source,
                 lambda m, x: getattr(m, name)(x, *args, **kwargs))


@fuzz_settings
@given(st.data(), st.sampled_from(["empty", "zeros", "ones", "full"]))
def test_new_arrays(data, name):
    shape = data.draw(st.sampled_from(SHAPE_ARGS), label="shape")
    lead = ([data.draw(st.sampled_from(FILL_ARGS), label="fill")]
            if name == "full" else [])
    args = positional(data, [DTYPE_ARGS, ORDER_ARGS])
    kwargs = kwargs_from(data, {"device": ["cpu", None, "cuda"], "like": [None]})
    source = _foreign(repr(shape), lambda: shape)

    def call(m, x):
        r = getattr(m, name)(x, *lead, *args, **kwargs)
        if name == "empty":  # uninitialised: compare the layout only
            return (r.shape, r.strides, r.dtype, r.flags.c_contiguous,
                    r.flags.f_contiguous, r.flags.owndata, r.base is None)
        return r
    differential(name, source, call, [*args, *kwargs.values()])


@fuzz_settings
@given(st.data())
def test_arange(data):
    args = positional(data, [NUMBER_ARGS, NUMBER_ARGS, NUMBER_ARGS])
    kwargs = kwargs_from(data, {"start": NUMBER_ARGS, "stop": NUMBER_ARGS,
                                "step": NUMBER_ARGS, "dtype": DTYPE_ARGS,
                                "device": ["cpu", None, "gpu"], "like": [None]})
    source = _foreign(f"{args} {kwargs}", lambda: None)
    differential("arange", source, lambda m, x: m.arange(*args, **kwargs))


@fuzz_settings
@given(st.data())
def test_frombuffer(data):
    makers = [lambda: b"abcdefgh", lambda: b"", lambda: bytearray(16),
              lambda: "text", lambda: memoryview(b"abcd"), lambda: 5,
              lambda: memoryview(np.arange(4.0)[::2]), lambda: np.arange(3.0),
              lambda: np.arange(6).reshape(2, 3).T]
    buffer = makers[data.draw(st.integers(0, len(makers) - 1), label="buffer")]()
    args = positional(data, [DTYPE_ARGS, [-1, 0, 1, 2, 5, -2, 1.5, None],
                             [0, 1, 2, 4, 8, -1, 20, 1.5]])
    kwargs = kwargs_from(data, {"like": [None]})
    source = _foreign(repr(buffer), lambda: buffer)
    differential("frombuffer", source, lambda m, x: m.frombuffer(x, *args, **kwargs))


@fuzz_settings
@given(sources(foreign=False), st.data(), st.booleans())
def test_reshape(source, data, method):
    nshape = data.draw(st.integers(0, 3), label="shape arity")
    shape = [data.draw(st.sampled_from(SHAPE_ARGS)) for _ in range(nshape)]
    kwargs = kwargs_from(data, {"order": ORDER_ARGS, "copy": COPY_ARGS})
    if method:
        differential("ndarray.reshape", source,
                     lambda m, x: x.reshape(*shape, **kwargs))
    else:
        if nshape > 1:
            shape = [tuple(shape)]
        differential("reshape", source, lambda m, x: m.reshape(x, *shape, **kwargs))


@fuzz_settings
@given(st.one_of(sources(), broadcast_sources()), st.data(),
       st.sampled_from(["ravel", "flatten", "ravel()", "copy", "copy()"]))
def test_ravel_flatten_copy(source, data, name):
    args = positional(data, [["K", "k", "K", "A", "F", *ORDER_ARGS]])
    if name.endswith("()"):
        fn = name[:-2]
        differential(fn, source, lambda m, x: getattr(m, fn)(x, *args))
    else:
        differential(f"ndarray.{name}", source,
                     lambda m, x: getattr(m.asarray(x), name)(*args))


@fuzz_settings
@given(st.one_of(sources(foreign=False), broadcast_sources()), st.data())
def test_astype(source, data):
    dtype = data.draw(st.sampled_from(DTYPE_ARGS[1:]), label="dtype")
    kwargs = kwargs_from(data, {"order": ORDER_ARGS, "copy": COPY_ARGS,
                                "casting": ["unsafe", "safe", "same_kind", "no",
                                            "equiv", "bad", 3],
                                "subok": [True, False]})
    differential("astype", source,
                 lambda m, x: m.asarray(x).astype(dtype, **kwargs))


@fuzz_settings
@given(sources(foreign=False), st.data())
def test_view(source, data):
    # view(None) and view(type=...) are left out: another part of issue 9.
    args = positional(data, [DTYPE_ARGS[1:]])
    differential("view", source, lambda m, x: x.view(*args))


@fuzz_settings
@given(sources(), st.data(),
       st.sampled_from(["transpose", "swapaxes", "moveaxis", "squeeze", "expand_dims",
                        "ndarray.transpose", "ndarray.swapaxes", "ndarray.squeeze"]))
def test_axes(source, data, name):
    nargs = {"transpose": (0, 1), "swapaxes": (2, 2), "moveaxis": (2, 2),
             "squeeze": (0, 1), "expand_dims": (1, 1), "ndarray.transpose": (0, 4),
             "ndarray.swapaxes": (2, 2), "ndarray.squeeze": (0, 1)}[name]
    count = data.draw(st.integers(*nargs), label="axis count")
    axes = [data.draw(st.sampled_from(AXIS_ARGS)) for _ in range(count)]
    if name.startswith("ndarray."):
        meth = name.split(".")[1]
        if source.kind == "foreign":
            return
        differential(name, source, lambda m, x: getattr(x, meth)(*axes))
    else:
        differential(name, source, lambda m, x: getattr(m, name)(x, *axes))


def test_fuzz_report_written():
    """Keeps the report fixture meaningful even when only this file runs."""
    assert sum(_runs.values()) >= 0


# Kept importable for ad-hoc campaigns (python -c "import test_argument_fuzz").
__all__ = ["differential", "Source", "DTYPES", "Layout"]


@st.composite
def odd_strided(draw):
    """NumPy arrays with stride-0, negative, stepped and odd length-1 axes."""
    nd = draw(st.integers(1, 4))
    shape = draw(st.lists(st.integers(0, 3), min_size=nd, max_size=nd))
    axes = draw(st.permutations(range(nd)))
    steps = draw(st.lists(st.sampled_from([1, -1, 2]), min_size=nd, max_size=nd))
    extra = draw(st.lists(st.tuples(st.sampled_from(["keep", "zero", "one"]),
                                    st.integers(1, 3),
                                    st.sampled_from([8, 16, -8, 0, 800])),
                          min_size=nd, max_size=nd))
    size = int(np.prod(shape))
    x = np.arange(max(size, 1) * 4, dtype=np.int64)[:size].reshape(shape)
    x = x.transpose(axes)[tuple(slice(None, None, s) for s in steps)]
    sh, sd = list(x.shape), list(x.strides)
    for i, (how, length, stride) in enumerate(extra):
        if how == "zero":
            sh[i], sd[i] = length, 0
        elif how == "one":
            sh[i], sd[i] = 1, stride
    if x.size == 0 and np.prod(sh) != 0:
        # A non-empty view of an empty array would read outside its memory
        # (in NumPy too): an input no correct program can make.
        return x
    return np.lib.stride_tricks.as_strided(x, sh, sd, writeable=False)


ORDER_K_OPERATIONS = {
    "copy(K)": lambda m, y: m.copy(y, "K"),
    "ndarray.copy(K)": lambda m, y: y.copy("K"),
    "astype(K)": lambda m, y: y.astype("f4", order="K"),
    "array(K, cast)": lambda m, y: m.array(y, dtype="i2", order="K"),
    "flatten(K)": lambda m, y: y.flatten("K"),
    "ravel(K)": lambda m, y: y.ravel("K"),
    "array(ndmin)": lambda m, y: m.array(y, ndmin=5, copy=None),
    "array(ndmin, copy)": lambda m, y: m.array(y, ndmin=5),
}


@fuzz_settings
@given(odd_strided(), st.sampled_from(sorted(ORDER_K_OPERATIONS)))
def test_order_k_and_prepended_layouts(x, name):
    """The order 'K' rules (stride sort for copies, the iterator's order for
    flat reads) and ndmin's prepended strides, on awkward layouts."""
    op = ORDER_K_OPERATIONS[name]
    source = _foreign(f"as_strided{(x.shape, x.strides)}", lambda: x)
    differential(name, source,
                 lambda m, y: op(m, y if m is np else ac.asarray(y)))
