"""Assignment (``x[key] = value``) against NumPy: in place, broadcast values,
overlapping sources, NumPy's conversions and messages, nothing written on error."""

import numpy as np
import pytest
from _indexing_helpers import (
    DTYPES,
    LAYOUTS,
    MANY_AXES_KEYS,
    array_pairs,
    assert_same_error,
    filled,
    many_axes_pair,
    mixed_keys,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_core as ac


def assign(target, key, value):
    try:
        target[key] = value
    except Exception as exc:  # noqa: BLE001 - compared against NumPy
        return exc
    return None


def check_assignment(np_x, ac_x, np_root, ac_root, key, np_value, ac_value):
    """Assign on both, compare outcome and the whole root afterwards."""
    np_err = assign(np_x, key, np_value)
    ac_err = assign(ac_x, key, ac_value)
    if np_err is not None:
        assert_same_error(ac_err, np_err)
    else:
        assert ac_err is None, f"array_core raised {ac_err!r}"
    assert np.array_equal(np.asarray(ac_root), np_root, equal_nan=True)


@st.composite
def values_for(draw, result_shape, dtype):
    """A value broadcastable to ``result_shape``: scalar, list, NumPy or
    array_core array, sometimes with leading length-1 axes."""
    shape = draw(
        hnp.broadcastable_shapes(
            result_shape, min_dims=0, min_side=0, max_dims=len(result_shape) + 1
        )
    )
    if len(shape) > len(result_shape) and shape[0] != 1:
        shape = (1,) + shape[1:]
    values = (filled(shape, dtype) + (0 if dtype.kind == "b" else 1)).astype(dtype)
    kind = draw(st.sampled_from(["numpy", "array_core", "list", "scalar"]))
    if kind == "scalar":
        return values.reshape(-1)[0] if values.size else dtype.type(1), None
    if kind == "list":
        return values.tolist(), None
    if kind == "array_core":
        return values, ac.array(values)
    return values, None


def result_shape_of(np_x, key):
    try:
        r = np_x[key]
    except Exception:  # noqa: BLE001
        return None
    return np.shape(r)


@given(st.data(), array_pairs())
def test_basic_assignment_matches_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(
        hnp.basic_indices(
            np_x.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True
        )
    )
    shape = result_shape_of(np_x, key)
    np_value, ac_value = data.draw(values_for(shape or (), np_x.dtype))
    check_assignment(
        np_x,
        ac_x,
        np_root,
        ac_root,
        key,
        np_value,
        np_value if ac_value is None else ac_value,
    )


@given(st.data(), array_pairs())
def test_advanced_assignment_matches_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(mixed_keys(np_x.shape))
    shape = result_shape_of(np_x, key)
    np_value, ac_value = data.draw(values_for(shape or (), np_x.dtype))
    check_assignment(
        np_x,
        ac_x,
        np_root,
        ac_root,
        key,
        np_value,
        np_value if ac_value is None else ac_value,
    )


@given(st.data(), array_pairs())
def test_mask_assignment_matches_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    k = data.draw(st.integers(0, np_x.ndim))
    mask = data.draw(hnp.arrays(np.bool_, np_x.shape[:k]))
    count = int(mask.sum())
    vshape = data.draw(
        st.sampled_from(
            [
                (),
                (1,),
                (count,),
                (count,) + np_x.shape[k:],
                np_x.shape[k:],
                (count + 1,),
            ]
        )
    )
    np_value = filled(vshape, np_x.dtype)
    check_assignment(np_x, ac_x, np_root, ac_root, mask, np_value, np_value)


@given(st.data(), array_pairs(max_dims=3))
def test_wrong_value_shapes_match_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(mixed_keys(np_x.shape) | hnp.basic_indices(np_x.shape))
    vshape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    kind = data.draw(st.sampled_from(["numpy", "list"]))
    np_value = filled(vshape, np_x.dtype)
    if kind == "list":
        np_value = np_value.tolist()
    check_assignment(np_x, ac_x, np_root, ac_root, key, np_value, np_value)


@given(st.data(), array_pairs(max_dims=3))
def test_values_are_converted_as_numpy_does(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(mixed_keys(np_x.shape) | hnp.basic_indices(np_x.shape))
    src_dtype = data.draw(
        st.sampled_from([d for d in DTYPES if d.kind != "c" or np_x.dtype.kind == "c"])
    )
    shape = result_shape_of(np_x, key)
    if shape is None:
        return
    values = filled(shape, src_dtype)
    value = data.draw(st.sampled_from([values, values.tolist(), 3, 2.5, True]))
    ac_value = (
        ac.array(values) if value is values and data.draw(st.booleans()) else value
    )
    check_assignment(np_x, ac_x, np_root, ac_root, key, value, ac_value)


# ------------------------------------------------------------ overlapping values

OVERLAP_CASES = [
    ("x[1:] = x[:-1]", lambda x: x.__setitem__(slice(1, None), x[:-1])),
    ("x[:-1] = x[1:]", lambda x: x.__setitem__(slice(None, -1), x[1:])),
    ("x[::-1] = x", lambda x: x.__setitem__(slice(None, None, -1), x)),
    ("x[idx] = x[idx2]", lambda x: x.__setitem__([3, 1, 2, 0], x[[0, 1, 2, 3]])),
    ("x[idx] = x[:4]", lambda x: x.__setitem__([1, 2, 3, 4], x[:4])),
    ("x[idx] = x[::-1][:4]", lambda x: x.__setitem__([0, 2, 4, 6], x[::-1][:4])),
    (
        "x[mask] = x[::-1][mask]",
        lambda x: x.__setitem__(
            np.arange(10) % 3 == 0, x[::-1][np.arange(10) % 3 == 0]
        ),
    ),
    ("x[mask] = x[:4]", lambda x: x.__setitem__(np.arange(10) % 3 == 0, x[:4])),
]


@pytest.mark.parametrize(
    "name,operation", OVERLAP_CASES, ids=[c[0] for c in OVERLAP_CASES]
)
def test_overlapping_values_give_numpy_results(name, operation):
    np_x = np.arange(10)
    ac_x = ac.array(np_x)
    operation(np_x)
    operation(ac_x)
    assert np.array_equal(np.asarray(ac_x), np_x)


def test_overlapping_2d_rows_and_transposes():
    np_x = np.arange(16.0).reshape(4, 4)
    ac_x = ac.array(np_x)
    for op in [
        lambda x: x.__setitem__((slice(None), [0, 1]), x[:, [1, 0]]),
        lambda x: x.__setitem__([0, 1, 2, 3], x.T),
        lambda x: x.__setitem__((slice(None),), x.T),
        lambda x: x.__setitem__(([0, 1], slice(None)), x[1:3]),
    ]:
        op(np_x)
        op(ac_x)
        assert np.array_equal(np.asarray(ac_x), np_x)


# ------------------------------------------------------------ semantics


def test_seed_assignment_writes_in_place_and_keeps_copies():
    x = ac.arange(9).reshape(3, 3)
    y = x[[1, 2]]
    x[[1, 2]] = [[10, 11, 12], [13, 14, 15]]
    assert x.tolist() == [[0, 1, 2], [10, 11, 12], [13, 14, 15]]
    assert y.tolist() == [[3, 4, 5], [6, 7, 8]]


def test_repeated_indices_last_write_wins():
    np_x = np.zeros(5)
    ac_x = ac.zeros(5)
    for key, value in [
        ([0, 0, 0], [1, 2, 3]),
        ([1, -4, 1], [7, 8, 9]),
        (([0, 0], [0, 0]), [4, 5]),
    ]:
        if isinstance(key, tuple):
            np_x2, ac_x2 = np.zeros((2, 2)), ac.zeros((2, 2))
            np_x2[key] = value
            ac_x2[key] = value
            assert np.array_equal(np.asarray(ac_x2), np_x2)
            continue
        np_x[key] = value
        ac_x[key] = value
    assert np.array_equal(np.asarray(ac_x), np_x)


def test_assignment_does_not_copy_the_target():
    x = ac.arange(12).reshape(3, 4).copy()
    before = x.__array_interface__["data"][0]
    x[[0, 2], 1:] = -1
    x[x > 5] = 0
    x[1:, ::2] = 9
    assert x.__array_interface__["data"][0] == before
    assert x.base is None and x.flags.owndata


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_scalar_assignment_every_dtype(dtype):
    np_x = filled((3, 4), dtype)
    ac_x = ac.array(np_x)
    for key, value in [
        ((1, 2), 1),
        ((0, 0), True),
        ((-1, -1), np.int8(3)),
        ((2, 3), 0.0),
        ([0, 2], 1),
        (np.ones((3, 4), bool), 0),
    ]:
        np_x[key] = value
        ac_x[key] = value
    assert np.array_equal(np.asarray(ac_x), np_x)


# ------------------------------------------------------------ errors

ERROR_ASSIGNMENTS = [
    (slice(0, 2), [1, 2, 3]),
    ([0, 1], [1, 2, 3]),
    (([0, 1], slice(None)), np.ones((2, 2))),
    (np.array([True, False, True]), [1, 2, 3]),
    (np.array([True, False, True]), [[1, 2]]),
    ((np.array([True, False, True]), 0), [1, 2, 3]),
    ([0, 5], [1, 2]),
    ([0, 1, 99], 5),
    (slice(0, 2), [[1], [2]]),
    (0, [5, 6]),
    ((), [5, 6]),
    ([0], "x"),
    (0, "y"),
    (slice(None), ["1", "z", "2"]),
    ((0, 0), 1j),
    ([0, 1], [1j, 2]),
    (np.array([1.5]), 1),
    ((Ellipsis, Ellipsis), 1),
    ((0, 0, 0), 1),
    (np.array(False), [7, 8]),
]


@pytest.mark.parametrize("key,value", ERROR_ASSIGNMENTS, ids=repr)
def test_failed_assignment_matches_numpy_and_writes_nothing(key, value):
    np_x = np.arange(9.0).reshape(3, 3)
    ac_x = ac.array(np_x)
    before = np_x.copy()
    np_err = assign(np_x, key, value)
    ac_err = assign(ac_x, key, value)
    if np_err is None:  # (a few of these broadcast on a 2-d target)
        assert ac_err is None
        assert np.array_equal(np.asarray(ac_x), np_x)
        return
    assert_same_error(ac_err, np_err)
    assert np.array_equal(np.asarray(ac_x), before)


def test_value_conversion_errors_match_numpy():
    np_x = np.zeros(3, np.int8)
    ac_x = ac.zeros(3, np.int8)
    for key in [0, [0], slice(None), np.array([True, True, True])]:
        assert_same_error(assign(ac_x, key, 300), assign(np_x, key, 300))
    assert np.array_equal(np.asarray(ac_x), np_x)


def test_read_only_targets_raise():
    x = ac.arange(6)
    x.flags.writeable = False
    for key, value in [(0, 1), (slice(None), 1), ([0, 1], 1), (x > 2, 0), ([99], 0)]:
        with pytest.raises(ValueError, match="^assignment destination is read-only$"):
            x[key] = value
    v = ac.asarray(np.frombuffer(b"abcdefgh", np.uint8))
    with pytest.raises(ValueError, match="^assignment destination is read-only$"):
        v[[0]] = 1
    assert x.tolist() == list(range(6))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_assignment_through_views_of_every_layout(layout):
    np_root = filled((4, 5), np.dtype(np.float32))
    ac_root = ac.array(np_root)
    np_x = LAYOUTS[layout](np_root)
    ac_x = LAYOUTS[layout](ac_root)
    for key, value in [
        ([0, -1], 7),
        ((slice(None), [1]), np.arange(np_x.shape[0])[:, None]),
        (np_x > 5, -1),
        ((Ellipsis, 0), 2.5),
        (([1], [0, 1]), [[3, 4]]),
    ]:
        np_x[key] = value
        ac_x[key] = value
        assert np.array_equal(np.asarray(ac_root), np_root)


@pytest.mark.parametrize("start", [[1, 0, 2], [2, 2, 0, 1], [3, 0, 1, 2]])
@pytest.mark.parametrize("value", ["list", "reversed", "scalar", "self"])
@pytest.mark.parametrize("index_kind", ["self", "numpy-view"])
def test_index_array_in_the_target_is_read_first(start, value, index_kind):
    """``x[x] = v``: NumPy reads every index before writing any element."""
    results = []
    for lib in (np, ac):
        x = lib.array(start)
        idx = x if index_kind == "self" else np.asarray(x)
        v = {
            "list": list(range(10, 10 + len(start))),
            "reversed": x[::-1],
            "scalar": 9,
            "self": x,
        }[value]
        x[idx] = v
        results.append(x.tolist())
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "mask",
    [
        [1, 1, 0, 1, 1, 1, 0, 0, 1, 1],
        [1, 0, 1, 0, 1, 0, 1, 0, 1, 0],
        [0, 1, 1, 1, 1, 1, 1, 1, 1, 0],
    ],
)
@pytest.mark.parametrize("start", [0, 1, 2])
@pytest.mark.parametrize("reverse", [False, True])
def test_single_mask_with_overlapping_value_matches_numpy(mask, start, reverse):
    """NumPy copies each run of Trues as one block (values read, then written)."""
    results = []
    for lib in (np, ac):
        x = lib.array(np.arange(10))
        m = lib.array(np.array(mask, bool))
        k = int(np.count_nonzero(mask))
        source = x[::-1] if reverse else x
        x[m] = source[start : start + k]
        results.append(x.tolist())
    assert results[0] == results[1]


@pytest.mark.parametrize("value_kind", ["scalar", "array", "broadcast"])
@pytest.mark.parametrize("key", MANY_AXES_KEYS)
def test_assignment_over_many_outer_axes(key, value_kind):
    np_root, np_x, ac_root, ac_x = many_axes_pair()
    shape = np.shape(np_x[key])
    if value_kind == "scalar":
        value = np.int32(-7)
    elif value_kind == "array":
        value = -filled(shape, np_x.dtype)
    else:  # constant along every axis but the last: zero strides
        value = -filled(shape[-1:], np_x.dtype)
    check_assignment(np_x, ac_x, np_root, ac_root, key, value, value)


# Value kinds through basic and advanced keys: an advanced assignment casts a
# NumPy scalar of another dtype as an array (unsafe cast, after the key is
# checked: an empty or out-of-range selection gives NumPy's outcome); a basic
# one packs it; a cast warning raised as an error leaves what NumPy leaves.
SCALAR_VALUE_KINDS = [
    np.uint64(2**64 - 1), np.int64(-1), np.uint8(200), np.float64("nan"),
    np.float64(1e300), np.float32(2.5), np.complex128(1 + 2j), np.bool_(True),
    np.str_("3"), 2**64, 2**63, -(2**63) - 1, 1.5, float("nan"), 1e300, 1 + 2j,
    "3", "x", b"4", True, None, [1.5], [2**64], np.array(2**64 - 1, np.uint64),
]
SCALAR_KEYS = [0, -4, 7, (), ..., slice(0, 1), slice(7, 8), [0], [], [7], [0, 1],
               [True, False, False, False], np.array(0), np.array([True] * 4)]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "float32", "bool",
                                   "complex64"])
@pytest.mark.parametrize("key", SCALAR_KEYS, ids=repr)
def test_value_kinds_match_numpy_for_every_key_kind(key, dtype):
    for value in SCALAR_VALUE_KINDS:
        np_x = filled((4,), np.dtype(dtype))
        ac_x = ac.array(np_x)
        np_err = assign(np_x, key, value)
        ac_err = assign(ac_x, key, value)
        if np_err is not None:
            assert_same_error(ac_err, np_err)
        else:
            assert ac_err is None, (value, ac_err)
        assert np.asarray(ac_x).tobytes() == np_x.tobytes(), value


def test_uint64_max_into_int64_through_an_index_list():
    x = ac.arange(3)
    x[[0]] = np.uint64(2**64 - 1)
    assert x.tolist() == [-1, 1, 2]
    with pytest.raises(IndexError, match="index 5 is out of bounds"):
        x[[5]] = np.uint64(2**64 - 1)
    with pytest.raises(OverflowError):
        x[0] = np.uint64(2**64 - 1)  # a basic key packs: NumPy refuses too
    assert x.tolist() == [-1, 1, 2]


# With cast warnings raised as errors, NumPy has written the cast values when
# it casts while copying (array values, a NumPy scalar into a 0-d region)
# and has not when it converts first (Python values, ComplexWarning).
CAST_WARNING_CASES = [
    ((2, 2), (0, 0, ...), np.uint64(2**64 - 1)), ((), ..., np.array(1e300)),
    ((2,), slice(0, 1), np.array(1e300)), ((2,), slice(0, 1), np.uint64(2**64 - 1)),
    ((2,), [0], np.array([1e300])), ((2,), [0], np.uint64(2**64 - 1)),
    ((2,), np.array([True, False]), np.array([1e300])), ((2,), [0], 1e300),
    ((2, 2), (0, 0, ...), [1e300]), ((2,), slice(None), np.array([1j, 1j])),
    ((2, 2), 0, np.array(1e300)),
]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(("shape", "key", "value"), CAST_WARNING_CASES, ids=repr)
def test_cast_warnings_as_errors_write_what_numpy_writes(shape, key, value):
    np_x = np.zeros(shape, np.float16)
    ac_x = ac.array(np_x)
    np_err, ac_err = assign(np_x, key, value), assign(ac_x, key, value)
    assert_same_error(ac_err, np_err)
    assert np.asarray(ac_x).tobytes() == np_x.tobytes()
