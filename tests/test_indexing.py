"""Indexing (``x[key]``) against NumPy: basic keys give views, advanced keys
copies, with NumPy's shapes, values, strides, bases and error messages."""

import operator
import warnings

import numpy as np
import pytest
from _indexing_helpers import (
    DTYPES,
    LAYOUTS,
    MANY_AXES_KEYS,
    IndexLike,
    array_pairs,
    assert_same_error,
    assert_same_getitem,
    filled,
    indices_scribbled,
    many_axes_pair,
    mixed_keys,
    outcome,
)
from _strategies import assert_same_array
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_core as ac
from array_core._index import plan_advanced, plan_index


def both(np_x, ac_x, key):
    return outcome(operator.itemgetter(key), ac_x), outcome(
        operator.itemgetter(key), np_x
    )


# ------------------------------------------------------------ hypothesis


@given(st.data(), array_pairs())
def test_basic_indices_match_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(
        hnp.basic_indices(
            np_x.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True
        )
    )
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


@given(st.data(), array_pairs())
def test_integer_array_indices_match_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    if np_x.ndim == 0 or 0 in np_x.shape:
        return
    key = data.draw(
        hnp.integer_array_indices(
            np_x.shape,
            result_shape=hnp.array_shapes(
                min_dims=0, max_dims=2, min_side=0, max_side=3
            ),
        )
    )
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


@given(st.data(), array_pairs())
def test_boolean_masks_match_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    k = data.draw(st.integers(0, np_x.ndim))
    mask = data.draw(hnp.arrays(np.bool_, np_x.shape[:k]))
    if k and data.draw(st.booleans()):
        mask = np.repeat(mask, 2, axis=0)[::2]  # a non-contiguous mask
    key = data.draw(
        st.sampled_from(
            [
                mask,
                (mask,),
                (mask, Ellipsis),
                (Ellipsis, mask) if k == np_x.ndim else (mask,),
            ]
        )
    )
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


@given(st.data(), array_pairs())
def test_mixed_keys_match_numpy(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(mixed_keys(np_x.shape))
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


@given(st.data(), array_pairs(max_dims=3))
def test_array_core_arrays_as_keys(data, pair):
    np_x, ac_x, np_root, ac_root = pair
    key = data.draw(mixed_keys(np_x.shape))
    ac_key = tuple(ac.asarray(k) if isinstance(k, np.ndarray) else k for k in key)
    ac_out = outcome(operator.itemgetter(ac_key), ac_x)
    np_out = outcome(operator.itemgetter(key), np_x)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


# ------------------------------------------------------------ placement rule

PLACEMENT_KEYS = [
    (slice(None), [0, 1]),
    ([0, 1], slice(None)),
    (slice(None), [0, 1], [1, 2]),
    ([0, 1], slice(None), [1, 2]),
    ([0, 1], [1, 2], slice(None)),
    (0, slice(None), [1, 2]),  # an integer splits the advanced run
    (slice(None), 0, [1, 2]),  # adjacent: stays in place
    (slice(None), [1], Ellipsis, [0]),  # an empty ellipsis still separates
    ([1], None, [0]),  # so does None
    (slice(None), [[0], [1]], [[1, 2]]),
    (Ellipsis, [0, 2]),
    (None, slice(None), [0, 1], None),
    (
        np.array(
            [
                [True, False, True, True],
                [False, True, True, False],
                [True, True, False, False],
            ]
        ),
        slice(None),
    ),
    (
        slice(None),
        np.array(
            [
                [True, False, True, True],
                [False, True, True, False],
                [True, True, False, False],
            ]
        ),
    ),
    (True,),
    (False,),
    (np.array(True), slice(None)),
    ([0, 1], True),
    (np.bool_(False), [1, 2]),
]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("key", PLACEMENT_KEYS, ids=repr)
def test_placement_rule(key, layout):
    np_root = filled((2, 3, 4, 5), np.dtype(np.int32))
    ac_root = ac.array(np_root)
    np_x = LAYOUTS[layout](np_root)
    ac_x = LAYOUTS[layout](ac_root)
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


def test_plan_reports_outer_and_inner_axes():
    assert plan_advanced((slice(None), [0, 1]), (3, 4), (32, 8)) == (
        (3, 2),
        1,
        0,
        "index",
    )
    assert plan_advanced(([0, 1], slice(None), [0]), (3, 4, 5), (160, 40, 8)) == (
        (2, 4),
        0,
        1,
        "offsets",
    )
    assert plan_advanced((np.ones(3, bool),), (3, 4), (32, 8)) == (
        (3, 4),
        0,
        1,
        "compress",
    )


# ------------------------------------------------------------ scalars and views


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_full_integer_index_returns_numpy_scalar(dtype):
    np_x = filled((3, 4), dtype)
    ac_x = ac.array(np_x)
    for key in [(1, 2), (-1, -4), (np.int64(2), np.uint8(3)), (np.array(1), 2)]:
        r = ac_x[key]
        assert type(r) is type(np_x[key])
        assert r == np_x[key]
    np0 = np.array(5, dtype)
    assert type(ac.array(np0)[()]) is type(np0[()])


class Index:
    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


@pytest.mark.parametrize(
    "key",
    [
        Index(1),
        (Index(-1), slice(Index(0), Index(3), Index(2))),
        np.int8(-2),
        np.array(2),
        slice(None, None, -2),
        slice(-100, 100, 3),
        slice(100, -100, -3),
        slice(2, 1),
        (Ellipsis, None),
        (None, Ellipsis, None, 0),
        (),
        (slice(None), np.uint64(1)),
        slice(np.int64(1), None, np.int32(-1)),
    ],
)
def test_basic_keys_of_every_kind(key):
    np_root = filled((4, 3), np.dtype(np.float64))
    ac_root = ac.array(np_root)
    ac_out, np_out = both(np_root, ac_root, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


def test_plan_index_entry_point():
    assert plan_index((1, slice(None, None, -1)), (3, 4), (32, 8)) == (
        "view",
        32 + 24,
        (4,),
        (-8,),
    )
    assert plan_index((1, 2), (3, 4), (32, 8)) == ("scalar", 48)
    assert plan_index(([1],), (3, 4), (32, 8)) == ("advanced",)


def test_views_of_views_collapse_base():
    ac_root = ac.arange(24).reshape(4, 6)
    v = ac_root[1:][:, ::2][None]
    assert v.base is ac_root.base or v.base is ac_root


def test_advanced_result_is_a_fresh_copy():
    x = ac.arange(9).reshape(3, 3)
    y = x[[1, 2]]
    assert y.base is None and y.flags.owndata and y.flags.c_contiguous
    assert not ac.shares_memory(x, y)
    z = x[:, [2, 0]]
    # As NumPy: a transposed view of a fresh (2, 3) scratch array.
    assert z.strides == (8, 24) and not z.flags.owndata
    assert z.base.shape == (2, 3) and z.base.base is None and z.base.flags.owndata
    assert not ac.shares_memory(x, z)


def test_gather_whole_rows_and_large_work():
    rng = np.random.default_rng(0)
    np_x = rng.random((300, 70))
    ac_x = ac.array(np_x)
    rows = rng.integers(-300, 300, 500)
    assert np.array_equal(np.asarray(ac_x[rows]), np_x[rows])
    cols = rng.integers(0, 70, 20)
    assert np.array_equal(np.asarray(ac_x[:, cols]), np_x[:, cols])
    assert np.array_equal(np.asarray(ac_x.T[cols]), np_x.T[cols])
    big = rng.random(200_000)
    idx = rng.integers(-200_000, 200_000, 100_000)
    assert np.array_equal(np.asarray(ac.array(big)[idx]), big[idx])
    mask = rng.random(200_000) < 0.5
    assert np.array_equal(np.asarray(ac.array(big)[mask]), big[mask])
    assert np.array_equal(
        np.asarray(ac.array(big)[::-3][mask[:66667]]), big[::-3][mask[:66667]]
    )


# Gathers and scatters over an axis spanning more than this
# (array_core._prefetch.PREFETCH_SPAN) prefetch the items ahead.
PREFETCH_SPAN = 1 << 25


def test_gathers_and_scatters_beyond_the_caches_match_numpy():
    n = np.random.default_rng(6).random(PREFETCH_SPAN // 8 + 1)
    a = ac.array(n)
    idx = np.random.default_rng(7).integers(-n.size, n.size, 70_000)
    np.testing.assert_array_equal(a[idx], n[idx])
    np.testing.assert_array_equal(a[::-1][idx], n[::-1][idx])
    values = np.arange(70_000.0)
    a[idx] = values
    n[idx] = values
    np.testing.assert_array_equal(a, n)


# A read with more index positions than this checks their bounds in its
# gather (array_core._index.GATHER_CHECKS_FROM), not in a pass before.
GATHER_CHECKS_FROM = 4096

LONG_KEYS = {
    "intp": lambda i: i,
    "array_core": lambda i: ac.array(i),
    "list": lambda i: i.tolist(),
    "int32": lambda i: i.astype(np.int32),
    "uint64": lambda i: i.astype(np.uint64),
    "stepped": lambda i: np.repeat(i, 2)[::2],
    "reversed": lambda i: i[::-1].copy()[::-1],
    "2-d": lambda i: i.reshape(1, -1),
}


@pytest.mark.parametrize("key", LONG_KEYS, ids=str)
@pytest.mark.parametrize("size", [GATHER_CHECKS_FROM, GATHER_CHECKS_FROM + 1, 70_001])
@pytest.mark.parametrize("threads", [1, 2])
def test_long_gathers_report_numpys_first_bad_index(key, size, threads):
    make = LONG_KEYS[key]
    n = filled((1000,), np.dtype("float64"))
    a = ac.array(n)
    rng = np.random.default_rng(size)
    good = rng.integers(0 if key == "uint64" else -1000, 1000, size)
    outside = {"int32": [1000, -1001, 2**31 - 1, -(2**31)],
               "uint64": [1000, 2**62]}.get(key, [1000, -1001, 2**62, -(2**62)])
    with ac.threads(threads):
        assert_same_array(a[make(good)], n[make(good)])
        for places in ([0], [size - 1], [size // 2, size - 1], [3, 4, size // 3]):
            bad = good.copy()
            bad[places] = rng.choice(outside, len(places))
            with pytest.raises(IndexError) as theirs:
                n[make(bad)]
            with pytest.raises(IndexError) as ours:
                a[make(bad)]
            assert str(ours.value) == str(theirs.value)
            assert ours.value.__cause__ is None and ours.value.__context__ is None


@pytest.mark.parametrize(
    "dtype", [np.dtype(t) for t in ("u1", "i2", "f4", "c16", "S3", "V0")], ids=str
)
def test_long_gathers_check_bounds_for_every_item_size(dtype):
    n = np.zeros(5000, dtype) if dtype.itemsize == 0 else filled((5000,), dtype)
    a = ac.array(n)
    idx = np.random.default_rng(4).integers(-5000, 5000, GATHER_CHECKS_FROM + 7)
    assert_same_array(a[idx], n[idx])
    idx[GATHER_CHECKS_FROM] = 5000
    with pytest.raises(IndexError, match="^index 5000 is out of bounds for axis 0"):
        a[idx]


def test_a_long_gather_stopped_by_an_index_is_no_copy_to_policy_or_audit():
    # The bounds are checked before the copy hook hears of the copy whenever
    # a policy or an audit is listening, as for short gathers.
    a = ac.arange(10_000.0)
    idx = np.zeros(GATHER_CHECKS_FROM * 2, dtype=np.intp)
    idx[-1] = 10_000
    with ac.copy_audit() as log:
        with pytest.raises(IndexError, match="^index 10000 is out of bounds"):
            a[idx]
    assert len(log) == 0
    with ac.copy_policy("raise"):
        with pytest.raises(IndexError, match="^index 10000 is out of bounds"):
            a[idx]
        with pytest.raises(ac.CopyError, match="getitem"):
            a[idx[:-1]]
    with ac.copy_policy("warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(IndexError, match="^index 10000 is out of bounds"):
            a[idx]
    with ac.copy_audit() as log:
        assert a[idx[:-1]].shape == (idx.size - 1,)
    assert len(log) == 1 and log[0].operation == "getitem"


def test_large_gather_while_another_thread_writes_the_indices():
    # The gather runs without the GIL, prefetches unchecked indices and
    # checks their bounds as it reads: indices changed meanwhile give NumPy's
    # error or items of the array, never a read out of bounds.
    a = ac.arange(float(PREFETCH_SPAN // 8 + 1))
    indices = np.zeros(40_000, dtype=np.intp)
    with indices_scribbled(indices):
        for threads in (1, 2, 1) * 100:
            try:
                with ac.threads(threads):
                    got = a[indices]
            except IndexError as error:
                assert str(error).endswith(f"for axis 0 with size {a.size}")
                continue
            assert got.shape == (40_000,)
            assert np.all((np.asarray(got) >= 0) & (np.asarray(got) < a.size))


@pytest.mark.parametrize("dtype", DTYPES + [np.dtype("V3"), np.dtype("S5")], ids=str)
def test_gather_and_compress_for_every_item_size(dtype):
    np_x = (
        filled((7, 5), dtype)
        if dtype.kind != "V" and dtype.kind != "S"
        else np.frombuffer(bytes(range(7 * 5 * dtype.itemsize)), dtype).reshape(7, 5)
    )
    ac_x = ac.array(np_x)
    rng = np.random.default_rng(1)
    for key in [
        rng.integers(0, 7, 9),
        (slice(None), [4, 0, 0]),
        rng.random((7, 5)) < 0.5,
        rng.random(7) < 0.5,
        ([1, 2], [3, 4]),
        (slice(None, None, -1), rng.random(5) < 0.5),
    ]:
        result = np.asarray(ac_x[key])
        assert result.shape == np_x[key].shape
        assert result.tobytes() == np_x[key].tobytes()


# ------------------------------------------------------------ errors

ERROR_KEYS = [
    5,
    -4,
    (1, 7),
    (0, 0, 0),
    (Ellipsis, Ellipsis),
    1.0,
    "a",
    [1.0],
    np.float64(1),
    np.array([1.0]),
    slice(None, None, 0),
    (slice(None), slice(1, 2, 0)),
    np.array([True, False]),
    np.ones((3, 2), bool),
    ([0, 1], [0, 1, 2]),
    ([0, 1], [0, 1, 2], 5),
    [[0, 1], [0, 5]],
    ([0], 9),
    (0, [9]),
    (None,) * 70,
    (1,) * 129,
    2**70,
    [2**70],
    slice(1, 2, 0.5),
    slice("a", None),
    np.array([[True]]),
    (np.ones(3, bool), np.ones(2, bool)),
    object(),
    (slice(None), [True, False]),
    ([0, 1], slice(None), [0, 1, 2]),
    ([[0, 1]], [[0], [1], [2]], slice(None), [3]),
]


@pytest.mark.parametrize("layout", ["c", "transposed"])
@pytest.mark.parametrize("key", ERROR_KEYS, ids=repr)
def test_errors_match_numpy(key, layout):
    np_root = filled((3, 3), np.dtype(np.int64))
    ac_root = ac.array(np_root)
    np_x = LAYOUTS[layout](np_root)
    ac_x = LAYOUTS[layout](ac_root)
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


def test_error_messages_word_for_word():
    x = ac.arange(3)
    with pytest.raises(
        IndexError, match=r"^index 5 is out of bounds for axis 0 with size 3$"
    ):
        x[[5]]
    with pytest.raises(
        IndexError,
        match=r"^arrays used as indices must be of integer "
        r"\(or boolean\) type$",
    ):
        x[ac.asarray(np.array([1.0]))]
    with pytest.raises(IndexError) as info:
        ac.zeros((3, 3))[[0, 1], [0, 1, 2]]
    assert str(info.value) == (
        "shape mismatch: indexing arrays could not be broadcast "
        "together with shapes (2,) (3,) "
    )
    with pytest.raises(IndexError) as info:
        x[np.array([True, False])]
    assert str(info.value) == (
        "boolean index did not match indexed array along axis 0; "
        "size of axis is 3 but size of corresponding boolean axis is 2"
    )


def index_layouts(base):
    """``base`` as C, F, reversed, stepped and transposed index arrays."""
    yield np.ascontiguousarray(base)
    yield np.asfortranarray(base)
    yield np.ascontiguousarray(base[::-1])[::-1]
    yield np.repeat(base, 2, axis=-1)[..., ::2]
    if base.ndim > 1:
        yield np.ascontiguousarray(base.T[::-1])[::-1].T


@pytest.mark.parametrize("index_dtype", ["intp", "int8", ">i8", "uint64"])
def test_first_bad_index_is_the_one_numpy_reports(index_dtype):
    # NumPy checks an index array in C order, in memory order, or (in
    # assignments and reads with empty results) in memory order with negative
    # strides flipped, by the array's dtype and layout: the message names
    # the first out-of-bounds index in that order.
    bases = [np.array([5, 7, 9]), np.array([[5, 7], [9, 6]]),
             np.array([[[5], [7]], [[9], [6]]])]
    for shape in [(2,), (0, 3), (3, 2), (1, 0, 0)]:
        np_x = np.zeros(shape)
        ac_x = ac.array(np_x)
        for base in bases:
            for idx in index_layouts(base.astype(index_dtype)):
                for key in [(idx,), (Ellipsis, idx), (slice(None), idx), (0, idx),
                            (idx, idx), (True, idx)]:
                    for func in (operator.itemgetter(key),
                                 lambda x, key=key: x.__setitem__(key, 0)):
                        np_out = outcome(func, np_x)
                        assert isinstance(np_out, IndexError)
                        assert_same_error(outcome(func, ac_x), np_out)


def test_zero_dimensional_arrays():
    np0 = np.array(4.5)
    ac0 = ac.array(np0)
    for key in [(), Ellipsis, None, True, False, np.array(True), (None, Ellipsis)]:
        assert_same_getitem(
            *both(np0, ac0, key)[::-1][::-1], ac0, np0
        ) if False else assert_same_getitem(
            outcome(operator.itemgetter(key), ac0),
            outcome(operator.itemgetter(key), np0),
            ac0,
            np0,
        )
    for key in [0, [0], (0,)]:
        assert_same_error(
            outcome(operator.itemgetter(key), ac0),
            outcome(operator.itemgetter(key), np0),
        )


@pytest.mark.parametrize(
    "index_dtype",
    ["int8", "uint8", "int16", "int32", "uint32", "int64", "uint64", ">i8"],
)
@pytest.mark.parametrize("as_array_core", [False, True])
def test_index_arrays_of_every_integer_type_and_layout(index_dtype, as_array_core):
    np_root = filled((6, 5), np.dtype(np.int16))
    ac_root = ac.array(np_root)
    base = np.array([[5, 0, 2], [1, 3, 4]]).astype(index_dtype)
    for idx in [base, base.T, base[:, ::-1], base[:, ::2], base.reshape(-1)]:
        key = ac.asarray(idx) if as_array_core else idx
        assert_same_getitem(
            outcome(operator.itemgetter(key), ac_root),
            outcome(operator.itemgetter(idx), np_root),
            ac_root,
            np_root,
        )
        key2 = (slice(None), ac.asarray(idx % 5) if as_array_core else idx % 5)
        assert_same_getitem(
            outcome(operator.itemgetter(key2), ac_root),
            outcome(operator.itemgetter((slice(None), idx % 5)), np_root),
            ac_root,
            np_root,
        )


def test_masks_as_array_core_arrays_and_views():
    np_root = filled((4, 6), np.dtype(np.float32))
    ac_root = ac.array(np_root)
    mask = (np.arange(24).reshape(4, 6) % 5) < 2
    for m in [mask, mask[:, ::-1], mask[0], mask[:, 0], mask.T.T]:
        key = (
            m
            if m.shape == np_root.shape or m.shape == np_root.shape[:1]
            else (slice(None), m)
        )
        assert_same_getitem(
            outcome(operator.itemgetter(key), ac_root),
            outcome(operator.itemgetter(key), np_root),
            ac_root,
            np_root,
        )
        ac_key = (
            ac.asarray(m)
            if isinstance(key, np.ndarray)
            else (slice(None), ac.asarray(m))
        )
        assert_same_getitem(
            outcome(operator.itemgetter(ac_key), ac_root),
            outcome(operator.itemgetter(key), np_root),
            ac_root,
            np_root,
        )


@pytest.mark.parametrize("key", MANY_AXES_KEYS)
def test_advanced_keys_over_many_outer_axes(key):
    np_root, np_x, ac_root, ac_x = many_axes_pair()
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


# Each boolean entry, list or array, consumes as many axes as its ndim, in
# key order (a list of bools used to be checked with the array's shape).
BOOL_LIST_AND_ARRAY_KEYS = [
    ((6, 3, 1), ([True, False, False, True, True, False], np.array([True] * 3), -1)),
    ((3, 3, 5), ([True, False, True], np.array([True, False, True, False]))),
    ((3, 3, 5), (np.array([True, False, True]), [True, False, True, False])),
    ((3, 3, 5), (np.array([True, False, True]), [True, False, True])),
    ((3, 3, 5), ([[True, False, True]] * 3, np.array([True, False] * 2 + [True]))),
    ((3, 3, 5), (np.ones((3, 3), bool), [True, False, True, False])),
    ((3, 4, 5), ([True, False, True], slice(None), np.array([True] * 4 + [False]))),
    ((3, 4, 5), ([True, False, True], np.ones((4, 5), bool))),
    ((3, 4, 5), ([True, False, True], np.ones((4, 4), bool))),
]


@pytest.mark.parametrize(("shape", "key"), BOOL_LIST_AND_ARRAY_KEYS, ids=repr)
def test_boolean_lists_next_to_boolean_arrays(shape, key):
    np_x = filled(shape, np.dtype("int64"))
    ac_x = ac.array(np_x)
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_x, np_x)


# NumPy's layout of advanced results (mapping.c): a scratch array of axes
# ``index axes + basic axes`` -- index axes C-ordered outside basic axes of
# size != 1 (which keep the source's stride order), else in the index arrays'
# own memory order -- returned as is, or as a transposed view of it when the
# index axes go after some basic axes.
_i2 = np.array([[0, 1, 2], [1, 2, 0]])
_f2 = np.asfortranarray(_i2)
LAYOUT_KEYS = [
    (slice(-4, 3), [2]),
    (True,),
    (False,),
    (_f2,),
    (_f2, _f2),
    (_f2.astype(np.int32), _i2),
    (_i2[:, ::-1], _f2),
    (_i2.T, 0),
    (0, _f2),
    (slice(None), _f2),
    (_f2, slice(None)),
    (_f2, None),
    (None, _f2, ...),
    (_f2, _f2[..., :1]),
    (True, _f2),
    (_f2, False),
    (slice(None), [True, False, True]),
    (np.ones((3, 3), bool),),
    ([[1], [2]], [0, 2]),
    (slice(None), np.zeros((3, 0), np.intp)),
    (np.zeros((0, 2), np.intp),),
    (slice(None, None, -1), [0, 2], slice(None, None, 2)),
    (np.asfortranarray(np.ones((2, 1, 3), np.intp)),),
    (np.asfortranarray(np.zeros((2, 3, 2), np.intp)).transpose(1, 0, 2),),
]


@pytest.mark.parametrize("layout", ["c", "f", "reversed", "stepped", "transposed"])
@pytest.mark.parametrize("shape", [(3,), (3, 3), (3, 1, 3), (3, 0, 3)], ids=str)
@pytest.mark.parametrize("key", LAYOUT_KEYS, ids=repr)
def test_advanced_result_layout_matches_numpy(key, shape, layout):
    transform = {
        "c": lambda m, a: a,
        "f": lambda m, a: m.asfortranarray(a),
        "reversed": lambda m, a: a[::-1],
        "stepped": lambda m, a: a[..., ::2],
        "transposed": lambda m, a: a.T,
    }[layout]
    src_shape = shape[:-1] + (shape[-1] * 2,) if layout == "stepped" else shape
    np_root = filled(src_shape, np.dtype("int64"))
    ac_root = ac.array(np_root)
    np_x, ac_x = transform(np, np_root), transform(ac, ac_root)
    if layout == "f":
        np_root, ac_root = np_x, ac_x
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_root, np_root)


def test_advanced_result_layout_is_one_audited_copy():
    x = ac.array(filled((2, 6, 6), np.dtype("int64")))
    with ac.copy_audit() as log:
        y = x[-4:3, [2]]
    assert len(log) == 1 and log[0].operation == "getitem"
    assert y.strides == (48, 96, 8) and not y.flags.owndata
    assert y.base.flags.owndata and y.base.shape == (1, 2, 6)
    assert not ac.shares_memory(y, x)
    f = ac.asfortranarray(ac.array(filled((3, 4), np.dtype("int64"))))
    assert f[True].flags.f_contiguous and f[True].strides == (96, 8, 24)
    assert x[0, 0][_f2].flags.f_contiguous  # the one-index path keeps F order


class ArrayLike:
    """An object whose ``__array__`` gives ``array``."""

    def __init__(self, array):
        self.array = array

    def __array__(self, dtype=None, copy=None):
        return self.array


# Integers beyond intp (OverflowError when they fit uint64, else not an
# index), __index__ objects that raise (IndexError, no chaining: NumPy clears
# the error), 0-d integer/bool __array__ objects, and NumPy's limits on the
# number of index arrays.
INDEX_ERROR_KEYS = [
    2**63, -(2**63), -(2**63) - 1, 2**64, -(2**64), np.uint64(2**64 - 1),
    np.uint64(3), np.int8(-1), slice(None, 2**63), slice(2**64, None),
    slice(-(2**64), 2**64, 2**63), [2**63], [2**64], [-(2**63) - 1],
    np.array([2**64 - 1], np.uint64), np.array(2**63, np.uint64),
    IndexLike(1), IndexLike(-1), IndexLike(5), IndexLike(2**63),
    IndexLike(ValueError("boom")), IndexLike(TypeError("no")),
    IndexLike(OverflowError("big")), (IndexLike(ValueError("boom")), 0),
    (0, IndexLike(KeyError("k"))), [IndexLike(1)],
    ArrayLike(np.array(1)), ArrayLike(np.array(-1)), ArrayLike(np.array(True)),
    ArrayLike(np.array(False)), ArrayLike(np.array([1, 0])),
    ArrayLike(np.array(2**63, np.uint64)), ArrayLike(np.array(1.0)),
    (ArrayLike(np.array(1)), 0), (0, ArrayLike(np.array(2))),
    (ArrayLike(np.array(1)), [0, 1]), (slice(None), ArrayLike(np.array(2))),
    (True,) * 62, (True,) * 63, (True,) * 64, (True,) * 65, (True,) * 128,
    (True,) * 129, (True,) * 63 + (0,), (...,) + (True,) * 64,
    (True,) * 64 + (...,), ([0],) * 64, ([0],) * 65, (np.array([0]),) * 64,
    (None,) * 63, (None,) * 64, (None,) * 65, (None,) * 62 + (0,),
    (None,) * 129, (..., ..., 0), (0, 0, 0),
]


@pytest.mark.parametrize("shape", [(), (3,), (3, 3)], ids=str)
@pytest.mark.parametrize("key", INDEX_ERROR_KEYS, ids=lambda k: repr(k)[:40])
def test_index_exceptions_match_numpy(key, shape):
    np_x = filled(shape, np.dtype("int64"))
    ac_x = ac.array(np_x)
    ac_out, np_out = both(np_x, ac_x, key)
    assert_same_getitem(ac_out, np_out, ac_x, np_x)
    if isinstance(np_out, Exception):
        assert ac_out.__cause__ is None and np_out.__cause__ is None
        assert (ac_out.__context__ is None) == (np_out.__context__ is None)
        assert ac_out.__suppress_context__ == np_out.__suppress_context__
    np_err, ac_err = outcome(lambda x: x.__setitem__(key, 7), np_x), outcome(
        lambda x: x.__setitem__(key, 7), ac_x)
    if isinstance(np_err, Exception):
        assert_same_error(ac_err, np_err)
    assert np.array_equal(np.asarray(ac_x), np_x)
