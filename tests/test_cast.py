"""Typed small casts (_cast): NumPy's values bit for bit, NumPy's warnings.

The typed loops cast between the eleven plain C types; a value whose NumPy
cast raises a floating-point flag (or is undefined in C) is left to NumPy.
NumPy is the oracle: ``np.copyto(dst, src, casting="unsafe")``.
"""
import struct
import warnings

import numpy as np
import pytest
from _strategies import assert_same_array
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac
from array_core._cast import cast_into

PLAIN = [np.dtype(t) for t in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float32", "float64")]
# The platform's other spellings of the same types.
ALIASES = [np.dtype(t) for t in ("byte", "short", "intc", "long", "longlong",
                                 "ubyte", "ushort", "uintc", "ulong", "ulonglong",
                                 "single", "double", "intp", "uintp")]
NOT_PLAIN = [np.dtype(t) for t in ("float16", "longdouble", "complex64",
                                   "complex128", ">i4", ">f8", ">u2",
                                   "M8[s]", "m8[s]", "S4", "V4")]

SIGNALLING_NAN64 = struct.unpack("<d", struct.pack("<Q", 0x7FF0000000000001))[0]
F32_MAX = float(np.finfo(np.float32).max)
F32_TINY = float(np.finfo(np.float32).tiny)


def float64_edges():
    """Every boundary the loops test: integer ranges, float32's range, NaNs."""
    values = [0.0, -0.0, 0.5, -0.5, -0.999, -1.0, 1.5, 127.9, 128.0, -128.9,
              -129.0, 255.9, 256.0, 32767.5, 32768.0, -32768.9, -32769.0,
              65535.9, 65536.0, 2.0**31 - 0.5, 2.0**31, -(2.0**31) - 0.9,
              -(2.0**31) - 1, 2.0**32 - 1, 2.0**32, 2.0**53, 2.0**63,
              np.nextafter(2.0**63, 0), -(2.0**63), np.nextafter(-(2.0**63), -np.inf),
              2.0**64, np.nextafter(2.0**64, 0), 1e300, -1e300, 1e-300, -1e-300,
              F32_MAX, -F32_MAX, np.nextafter(F32_MAX, np.inf),
              F32_MAX * (1 + 2.0**-25), F32_MAX * (1 + 2.0**-23), F32_TINY,
              F32_TINY / 2, F32_TINY / 3, 2.0**-149, 2.0**-150, 2.0**-151,
              np.inf, -np.inf, np.nan, -np.nan, 3.0, -7.0]
    return np.array(values, dtype=np.float64)


def edges(dtype):
    """Edge values of a plain dtype (NaN payloads survive float32 too)."""
    if dtype.kind == "b":
        return np.array([True, False, True], dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.array([info.min, info.max, 0, 1, info.max // 2, info.min // 2 + 1,
                         info.max - 1, 7], dtype)
    with np.errstate(all="ignore"):
        values = float64_edges().astype(dtype)
    if dtype == np.float64:
        values = np.append(values, SIGNALLING_NAN64)
    else:
        signalling = np.frombuffer(struct.pack("<I", 0x7F800001), np.float32)
        values = np.append(values, signalling)
    return values


def numpy_cast(src, dtype, errstate):
    """NumPy's cast of ``src`` to ``dtype`` under ``errstate``: (outcome,
    result, warnings as (category, message))."""
    dst = np.empty(src.shape, dtype)
    with warnings.catch_warnings(record=True) as caught, np.errstate(**errstate):
        warnings.simplefilter("always")
        try:
            np.copyto(dst, src, casting="unsafe")
        except Exception as exc:  # noqa: BLE001 - compared below
            return ("raise", type(exc), str(exc)), dst, []
    return ("ok",), dst, [(w.category, str(w.message)) for w in caught]


def same_bits(a, b):
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@st.composite
def strided(draw, values):
    """``values`` (1-d) laid out 1-, 2- or 3-d: C, F, reversed, stepped,
    or one byte off alignment."""
    n = len(values)
    pick = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=24))
    data = values[pick]
    kind = draw(st.sampled_from(["c", "f", "reversed", "stepped", "unaligned"]))
    if kind == "unaligned":
        raw = np.zeros(data.nbytes + 1, np.uint8)
        out = raw[1:].view(data.dtype)
        out[...] = data
        return out
    if kind == "stepped":
        wide = np.zeros(2 * len(data), data.dtype)
        wide[::2] = data
        return wide[::2]
    if kind == "reversed":
        return data[::-1]
    size = len(data) - len(data) % 2
    if size == 0:
        return data
    grid = data[:size].reshape(2, size // 2)
    return np.asfortranarray(grid) if kind == "f" else grid.T


PAIRS = st.tuples(st.sampled_from(PLAIN), st.sampled_from(PLAIN))


@given(PAIRS, st.data())
def test_cast_into_is_numpy_cast_or_declines(pair, data):
    source_dtype, target_dtype = pair
    src = data.draw(strided(edges(source_dtype)))
    dst = np.full(src.shape, 0, target_dtype)
    done = cast_into(dst, src)
    strict, expected, _ = numpy_cast(src, target_dtype, {"all": "raise"})
    if done:
        # Taken only where NumPy raises no flag at all, with NumPy's bits.
        assert strict == ("ok",), (src, strict)
        assert same_bits(dst, expected), (src, dst, expected)
    else:
        # Declined only for a value NumPy's cast flags, or that C leaves
        # undefined (a float beyond the integer, a NaN to an integer/bool).
        assert source_dtype.kind == "f", (source_dtype, target_dtype)


@pytest.mark.parametrize("source_dtype", PLAIN)
@pytest.mark.parametrize("target_dtype", PLAIN)
def test_cast_into_every_edge_value(source_dtype, target_dtype):
    # Each edge value alone: the loops stop exactly where NumPy flags.
    for value in edges(source_dtype):
        src = np.array([value], source_dtype)
        dst = np.zeros(1, target_dtype)
        strict, expected, _ = numpy_cast(src, target_dtype, {"all": "raise"})
        if cast_into(dst, src):
            assert strict == ("ok",), (value, strict)
            assert same_bits(dst, expected), (value, dst, expected)
        else:
            assert source_dtype.kind == "f", value
            # Declined only where C is undefined or NumPy flags.
            undefined = np.isnan(value) or (
                target_dtype.kind in "iu" and not (
                    np.iinfo(target_dtype).min - 1 < float(value)
                    < np.iinfo(target_dtype).max + 1))
            tiny = target_dtype == np.float32 and 0 < abs(float(value)) < F32_TINY
            assert undefined or tiny or strict != ("ok",), value


@pytest.mark.parametrize("source_dtype", PLAIN)
@pytest.mark.parametrize("target_dtype", PLAIN)
def test_cast_into_takes_every_pair_of_tame_values(source_dtype, target_dtype):
    src = np.array([0, 1, 5, 3, 0, 1, 2], np.int8).astype(source_dtype)
    for layout in (src, src[::-2], src.reshape(1, 7), np.asfortranarray(
            src[:6].reshape(2, 3))):
        dst = np.empty(layout.shape, target_dtype)
        assert cast_into(dst, layout)
        assert same_bits(dst, layout.astype(target_dtype))


@pytest.mark.parametrize("dtype", ALIASES)
def test_cast_into_takes_every_spelling(dtype):
    src = np.arange(5).astype(dtype)
    for target in PLAIN:
        dst = np.empty(5, target)
        assert cast_into(dst, src) and cast_into(src.copy(), dst)
        assert same_bits(dst, src.astype(target))


@pytest.mark.parametrize("dtype", NOT_PLAIN)
def test_cast_into_declines_other_types(dtype):
    src = np.zeros(3, dtype)
    assert not cast_into(np.empty(3, np.float64), src)
    assert not cast_into(np.empty(3, dtype), np.zeros(3))


def test_cast_into_empty_and_0d():
    assert cast_into(np.empty((0, 3), np.float32), np.empty((0, 3)))
    dst = np.empty((), np.int16)
    assert cast_into(dst, np.array(-3.75))
    assert dst == -3


def test_cast_into_checks_arguments():
    with pytest.raises(ValueError, match="shapes differ"):
        cast_into(np.empty(2), np.empty(3))
    read_only = np.empty(2)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        cast_into(read_only, np.empty(2, np.int8))
    x = np.zeros(4)
    with pytest.raises(ValueError, match="overlap"):
        cast_into(x[:2], x[1:3].view(np.int64))


# ------------------------------------------------------------ through astype

ERRSTATES = [{}, {"all": "raise"}, {"over": "raise"}, {"under": "warn"},
             {"invalid": "ignore"}, {"all": "ignore"}]


def ac_cast(src, dtype, errstate, **kwargs):
    a = ac.array(src)
    with warnings.catch_warnings(record=True) as caught, np.errstate(**errstate):
        warnings.simplefilter("always")
        try:
            result = a.astype(dtype, **kwargs)
        except Exception as exc:  # noqa: BLE001 - compared below
            return ("raise", type(exc), str(exc)), None, []
    return ("ok",), result, [(w.category, str(w.message)) for w in caught]


@given(PAIRS, st.data(), st.sampled_from(ERRSTATES),
       st.sampled_from(["C", "F", "A", "K"]))
def test_astype_small_is_numpy_astype(pair, data, errstate, order):
    source_dtype, target_dtype = pair
    # NumPy's oracle casts the array array_core casts: ac.array's copy of
    # the drawn layout, in its memory order.  (The value of an invalid cast,
    # a float beyond the integer type, depends on NumPy's loop, which
    # depends on the layout: -3.4e38 to uint32 is 0 strided, 2**31 dense.)
    src = np.array(data.draw(strided(edges(source_dtype))))
    with warnings.catch_warnings(record=True) as caught, np.errstate(**errstate):
        warnings.simplefilter("always")
        try:
            expected = ("ok",)
            n = src.astype(target_dtype, order=order)
        except Exception as exc:  # noqa: BLE001 - compared below
            expected = ("raise", type(exc), str(exc))
    expected_warnings = [(w.category, str(w.message)) for w in caught]
    got, a, got_warnings = ac_cast(src, target_dtype, errstate, order=order)
    assert got == expected
    assert got_warnings == expected_warnings
    if got == ("ok",):
        assert_same_array(a, n)
        assert same_bits(np.asarray(a), n)


@pytest.mark.parametrize("source_dtype", [np.dtype("float32"), np.dtype("float64")])
@pytest.mark.parametrize("target_dtype", PLAIN)
@pytest.mark.parametrize("errstate", ERRSTATES)
def test_astype_every_edge_value_warns_as_numpy(source_dtype, target_dtype,
                                                errstate):
    for value in edges(source_dtype):
        src = np.array([value, 1], source_dtype)
        expected, n, expected_warnings = numpy_cast(src, target_dtype, errstate)
        got, a, got_warnings = ac_cast(src, target_dtype, errstate)
        assert (got, got_warnings) == (expected, expected_warnings), value
        if got == ("ok",):
            assert same_bits(np.asarray(a), n), value


@pytest.mark.parametrize("dtype_argument", [
    np.float32, "f4", "float32", np.dtype("f4"), float, int, bool, "i8", "<u2",
    None, np.dtypes.Float32DType(), "d", ">f8", "e", "S", "U3", "V8",
    [("a", "f8")], "M8[s]",
])
def test_astype_dtype_arguments_as_numpy(dtype_argument):
    n = np.arange(6.0).reshape(2, 3)
    a = ac.array(n)
    expected = n.astype(dtype_argument)
    assert_same_array(a.astype(dtype_argument), expected)


@pytest.mark.parametrize("dtype_argument", ["foo", 1.5, "f9", object(), [1, 2]])
def test_astype_bad_dtype_arguments_as_numpy(dtype_argument):
    from _strategies import assert_same_error
    assert_same_error(lambda: np.arange(3.0).astype(dtype_argument),
                      lambda: ac.arange(3.0).astype(dtype_argument))


@pytest.mark.parametrize("casting", ["no", "equiv", "safe", "same_kind", "unsafe"])
@pytest.mark.parametrize("source", PLAIN)
@pytest.mark.parametrize("target", PLAIN)
def test_astype_casting_rules_as_numpy(casting, source, target):
    n = np.zeros(3, source)
    a = ac.zeros(3, source)
    if np.can_cast(source, target, casting=casting):
        assert_same_array(a.astype(target, casting=casting),
                          n.astype(target, casting=casting))
    else:
        from _strategies import assert_same_error
        assert_same_error(lambda: n.astype(target, casting=casting),
                          lambda: a.astype(target, casting=casting))


def test_astype_small_cast_is_audited_as_before():
    a = ac.arange(9.0).reshape(3, 3)
    with ac.copy_audit() as audit:
        a.astype(np.float32)
        a.T.astype(np.int8, copy=False)
    operations = [(r.operation, r.category, r.nbytes) for r in audit.records]
    assert operations == [("astype", "explicit", 36), ("astype", "implicit", 9)]


def test_astype_small_cast_of_a_lazy_copy_leaves_it_shared():
    a = ac.arange(6.0)
    lazy = a.copy(lazy=True)
    cast = lazy.astype(np.int32)
    assert cast.tolist() == [0, 1, 2, 3, 4, 5]
    assert ac._array._shares_lazily(lazy)
    with ac.copy_policy("raise"), pytest.raises(ac.CopyError):
        a.astype(np.float32, copy=False)


def test_large_cast_is_numpy_cast():
    # Past the typed loops' size: NumPy's own loop, the same bits.
    n = np.random.default_rng(1).normal(size=100_000) * 1e6
    assert same_bits(np.asarray(ac.array(n).astype(np.int32)), n.astype(np.int32))
    assert same_bits(np.asarray(ac.array(n).T.astype(np.float32)),
                     n.astype(np.float32))
