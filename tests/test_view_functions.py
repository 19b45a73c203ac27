"""NumPy's view functions on array_core arrays (``_view_functions``,
``_stride_tricks``, ``lib.stride_tricks``): diagonal, real/imag, flips,
atleast_nd, matrix_transpose/permute_dims, the split family, unstack,
broadcast_to/broadcast_arrays, as_strided and sliding_window_view.

Each runs on the same layout in NumPy and in array_core; results agree in
type, values, dtype, shape, strides, flags (writeable included), sharing
and ``base``, and errors in type and message.
"""
import struct
import warnings

import numpy as np
import pytest
from _strategies import (
    DTYPES,
    FLAG_NAMES,
    all_layouts_small,
    filled,
    layouts,
    outcome,
    significant_strides,
)
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib import stride_tricks as np_tricks

import array_core as ac
from array_core._registry import IMPLEMENTATIONS
from array_core.lib import stride_tricks as ac_tricks

VIA = st.sampled_from(["array", "asarray"])


def flag_values(x):
    # flags._writeable_no_warn, as flags.writeable warns for a
    # broadcast_arrays view.
    return {name: x.flags._writeable_no_warn if name == "writeable"
            else x.flags[name.upper()] for name in FLAG_NAMES}


def assert_same_view(a, n, a_roots, n_roots):
    """``a`` matches NumPy's ``n``: values, layout, flags and base."""
    assert type(a) is ac.ndarray, type(a)
    assert (a.dtype, a.shape) == (n.dtype, n.shape)
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    assert significant_strides(a.shape, a.strides) == significant_strides(
        n.shape, n.strides), (a.strides, n.strides)
    assert flag_values(a) == flag_values(n), (flag_values(a), flag_values(n))
    if n.base is None:
        assert a.base is None
    else:
        for a_root, n_root in zip(a_roots, n_roots, strict=True):
            if n.base is n_root:
                assert a.base is a_root, (a.base, n.base)
                break
        else:
            assert a.base is not None and all(a.base is not r for r in a_roots)
    for a_root, n_root in zip(a_roots, n_roots, strict=True):
        assert ac.shares_memory(a, a_root) == np.shares_memory(n, n_root)


def assert_same_result(ra, rn, a_roots, n_roots):
    for a_root, n_root in zip(a_roots, n_roots, strict=True):
        if rn is n_root:
            # NumPy returned its input: array_core returns its own.
            assert ra is a_root
            return
    if isinstance(rn, np.ndarray):
        assert_same_view(ra, rn, a_roots, n_roots)
    elif isinstance(rn, tuple | list):
        assert type(ra) is type(rn) and len(ra) == len(rn)
        for x, y in zip(ra, rn, strict=True):
            assert_same_result(x, y, a_roots, n_roots)
    else:
        assert type(ra) is type(rn) and ra == rn, (ra, rn)


def check(layout, via, op):
    """``op(x, lib)`` on both sides of ``layout``: same result or same error."""
    n0, n, a0, a = layout.build(via)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rn = outcome(op, n, np)
        ra = outcome(op, a, ac)
    if rn[0] == "raise":
        assert ra[0] == "raise", f"NumPy raised {rn[1:]}, array_core gave {ra[1]!r}"
        assert ra[1:] == rn[1:], (ra[1:], rn[1:])
        return
    assert ra[0] == "ok", f"array_core raised {ra[1:]}"
    assert_same_result(ra[1], rn[1], (a0, a), (n0, n))


def check_numpy_input(layout, op):
    """``op`` of array_core on a NumPy array: the result's base is NumPy's."""
    n = layout.numpy()
    rn = outcome(op, n, np)
    ra = outcome(op, n, ac)
    if rn[0] == "raise":
        assert ra[1:] == rn[1:]
        return
    assert ra[0] == "ok", ra
    assert_same_result(ra[1], rn[1], (n, n.base), (n, n.base))


axes_strategy = st.integers(-4, 4)


# ------------------------------------------------------------ diagonal

@given(layouts(), VIA, st.integers(-5, 5), axes_strategy, axes_strategy)
def test_diagonal(layout, via, offset, axis1, axis2):
    check(layout, via, lambda x, m: m.diagonal(x, offset, axis1, axis2))
    check(layout, via, lambda x, m: x.diagonal(offset, axis1=axis1, axis2=axis2))


@pytest.mark.parametrize("args", [
    (0,), (1,), (-1,), (7,), (-7,), (0, 1, 0), (0, -1, -2), (0, 0, 0),
    (0, 0, 2), (0, -3, 1), (2**31,), (-2**31 - 1,), (1.5,), (0, 1.0, 0), ("a",),
    (np.int8(1),), (True,),
])
@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
def test_diagonal_arguments(args, layout):
    check(layout, "array", lambda x, m: m.diagonal(x, *args))


def test_diagonal_is_read_only_but_can_be_made_writeable():
    a = ac.arange(9.0).reshape(3, 3)
    d = a.diagonal()
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        d[0] = 1
    d.flags.writeable = True
    d[0] = 5
    assert float(a[0, 0]) == 5


@given(layouts(min_dims=2, max_dims=4))
def test_diagonal_of_numpy_input(layout):
    check_numpy_input(layout, lambda x, m: m.diagonal(x, 1))


# ------------------------------------------------------------ real and imag

@given(layouts(), VIA)
def test_real_imag(layout, via):
    check(layout, via, lambda x, m: x.real)
    check(layout, via, lambda x, m: x.imag)
    check(layout, via, lambda x, m: m.real(x))
    check(layout, via, lambda x, m: m.imag(x))


@pytest.mark.parametrize("dtype", ["c8", "c16", ">c16", "f8", "i2", "?"])
@pytest.mark.parametrize("value", [3, [1, 2, 3], 2.5 + 1j, [1, 2]])
@pytest.mark.parametrize("part", ["real", "imag"])
def test_real_imag_set(dtype, value, part):
    n = filled((2, 3), np.dtype(dtype))[:, ::-1]
    a = ac.array(n.base)[:, ::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        rn = outcome(setattr, n, part, value)
        ra = outcome(setattr, a, part, value)
    assert ra[0] == rn[0], (ra, rn)
    if rn[0] == "raise":
        assert ra[1:] == rn[1:]
    np.testing.assert_array_equal(np.asarray(a), n)


def test_real_of_real_is_self_and_imag_is_read_only_zeros():
    a = ac.arange(6.0).reshape(2, 3).T
    assert a.real is a
    i = a.imag
    assert i.base is None and not i.flags.writeable and i.flags.f_contiguous
    assert i.tolist() == np.zeros((3, 2)).tolist()
    assert ac.real(1 + 2j) == np.real(1 + 2j)
    assert ac.imag(np.complex64(1 + 2j)) == np.float32(2)
    with pytest.raises(TypeError, match="array does not have imaginary part"):
        a.imag = 1


def test_complex_parts_write_through():
    z = ac.array(np.array([1 + 2j, 3 + 4j, 5 + 6j]))
    z.imag[1] = -1
    z.real = [7, 8, 9]
    assert z.tolist() == [7 + 2j, 8 - 1j, 9 + 6j]
    assert z.real.strides == (16,) and z.imag.base is z


# ------------------------------------------------------------ flips

flip_axes = st.one_of(st.none(), axes_strategy,
                      st.lists(axes_strategy, max_size=3).map(tuple))


@given(layouts(), VIA, flip_axes)
def test_flip(layout, via, axis):
    check(layout, via, lambda x, m: m.flip(x, axis))


@given(layouts(), VIA)
def test_fliplr_flipud(layout, via):
    check(layout, via, lambda x, m: m.fliplr(x))
    check(layout, via, lambda x, m: m.flipud(x))


@given(layouts(), VIA, st.integers(-5, 5),
       st.lists(axes_strategy, min_size=1, max_size=3))
def test_rot90(layout, via, k, axes):
    check(layout, via, lambda x, m: m.rot90(x, k, axes))
    check(layout, via, lambda x, m: m.rot90(x, k))


@given(layouts(max_dims=3))
def test_flips_of_numpy_input(layout):
    check_numpy_input(layout, lambda x, m: m.flip(x))
    check_numpy_input(layout, lambda x, m: m.rot90(x))


# ------------------------------------------------------------ dimensions

@given(layouts(max_dims=4), VIA)
def test_atleast(layout, via):
    for name in ("atleast_1d", "atleast_2d", "atleast_3d"):
        check(layout, via, lambda x, m, name=name: getattr(m, name)(x))
        check(layout, via, lambda x, m, name=name: getattr(m, name)(x, x[...]))
    assert ac.atleast_1d() == np.atleast_1d() == ()


def test_atleast_of_scalars_and_lists():
    for name in ("atleast_1d", "atleast_2d", "atleast_3d"):
        a = getattr(ac, name)(5, [1, 2])
        n = getattr(np, name)(5, [1, 2])
        for x, y in zip(a, n, strict=True):
            assert type(x) is ac.ndarray and x.shape == y.shape
            assert x.tolist() == y.tolist()


@given(layouts(), VIA, st.one_of(st.none(), st.permutations(range(5))))
def test_matrix_transpose_and_permute_dims(layout, via, axes):
    check(layout, via, lambda x, m: m.matrix_transpose(x))
    if axes is not None:
        axes = [a for a in axes if a < len(layout.base_shape)]
    check(layout, via, lambda x, m: m.permute_dims(x, axes))


# ------------------------------------------------------------ splitting

sections = st.one_of(
    st.integers(-1, 6),
    st.lists(st.one_of(st.integers(-7, 7), st.none()), max_size=4),
)


@given(layouts(max_dims=3), VIA, sections, st.integers(-3, 3))
def test_split_family(layout, via, points, axis):
    check(layout, via, lambda x, m: m.split(x, points, axis))
    check(layout, via, lambda x, m: m.array_split(x, points, axis=axis))
    check(layout, via, lambda x, m: m.hsplit(x, points))
    check(layout, via, lambda x, m: m.vsplit(x, points))
    check(layout, via, lambda x, m: m.dsplit(x, points))


@pytest.mark.parametrize("points", [0, 2.0, 1.5, "ab", [1.5], np.array([1, 3]),
                                    (np.int64(2),), 10])
def test_split_arguments(points):
    n = np.arange(12.0).reshape(4, 3)
    a = ac.asarray(n.copy())
    for name in ("split", "array_split"):
        rn = outcome(getattr(np, name), n, points)
        ra = outcome(getattr(ac, name), a, points)
        assert ra[0] == rn[0], (ra, rn)
        if rn[0] == "raise":
            assert ra[1:] == rn[1:]
        else:
            assert [x.tolist() for x in ra[1]] == [x.tolist() for x in rn[1]]


def test_split_of_numpy_input_and_lists():
    n = np.arange(6.0)
    parts = ac.split(n, 3)
    assert all(type(p) is ac.ndarray and p.base is n for p in parts)
    assert [p.tolist() for p in ac.array_split([1, 2, 3], 2)] == [[1, 2], [3]]
    with pytest.raises(AttributeError):
        ac.split([1, 2, 3], 3)  # as NumPy: a list has no shape


@given(layouts(), VIA, st.one_of(axes_strategy, st.lists(axes_strategy, max_size=2)
                                 .map(tuple)))
def test_unstack(layout, via, axis):
    check(layout, via, lambda x, m: m.unstack(x, axis=axis))


# ------------------------------------------------------------ broadcasting

target_shapes = st.lists(st.integers(0, 4), max_size=5).map(tuple)


@given(layouts(max_dims=3, max_side=3), VIA, target_shapes)
def test_broadcast_to(layout, via, shape):
    check(layout, via, lambda x, m: m.broadcast_to(x, shape))


@pytest.mark.parametrize("shape", [(4,), (), -1, (-1, 3), (2.0, 3), "ab", (2, [3]),
                                   3, np.int64(3), [2, 3], (2, 1, 3), (0, 3),
                                   (2**62, 2**62, 3), (2**40, 3), (2**60, 3)])
def test_broadcast_to_arguments(shape):
    n = np.arange(3.0)
    a = ac.asarray(n.copy())
    rn = outcome(np.broadcast_to, n, shape)
    ra = outcome(ac.broadcast_to, a, shape)
    assert ra[0] == rn[0], (ra, rn)
    if rn[0] == "raise":
        assert ra[1:] == rn[1:]
    else:
        assert ra[1].shape == rn[1].shape and ra[1].strides == rn[1].strides


@given(st.lists(st.tuples(layouts(max_dims=3, max_side=2), VIA), max_size=3))
def test_broadcast_arrays(pairs):
    built = [layout.build(via) for layout, via in pairs]
    ns = [b[1] for b in built]
    as_ = [b[3] for b in built]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rn = outcome(np.broadcast_arrays, *ns)
        ra = outcome(ac.broadcast_arrays, *as_)
    if rn[0] == "raise":
        assert ra[1:] == rn[1:]
        return
    assert type(ra[1]) is tuple and len(ra[1]) == len(rn[1])
    for (n0, n, a0, a), x, y in zip(built, ra[1], rn[1], strict=True):
        assert (x is a) == (y is n)
        if y is not n:
            assert_same_view(x, y, (a0, a), (n0, n))


def test_broadcast_arrays_warn_on_first_write():
    n, _ = np.broadcast_arrays(np.arange(3), np.ones((2, 1)))
    a, _ = ac.broadcast_arrays(ac.arange(3), ac.ones((2, 1)))
    assert repr(a.flags) == repr(n.flags)
    with pytest.warns(FutureWarning) as wn:
        assert n.flags.writeable
    with pytest.warns(FutureWarning) as wa:
        assert a.flags.writeable
    assert str(wa[0].message) == str(wn[0].message)
    assert memoryview(a).readonly and a.__array_interface__["data"][1]
    view = a[0]
    with pytest.warns(DeprecationWarning) as wa:
        view[0] = 7
    with pytest.warns(DeprecationWarning) as wn:
        n[0, 0] = 7
    assert str(wa[0].message) == str(wn[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view[1] = 8           # once per array
    with pytest.warns(DeprecationWarning):
        a[0, 2] = 9           # a itself still warns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a[0, 2] = 9
        assert a.tolist() == [[7, 8, 9], [7, 8, 9]]


@pytest.mark.parametrize("write", [
    lambda x: x.fill(1),
    lambda x: x.__iadd__(1),
    lambda x: np.add(x, 1, out=x),
    lambda x: struct.pack_into("d", x[0, :1], 0, 5.0),  # a writable export
    lambda x: x.flat.__setitem__(0, 1),
])
def test_broadcast_arrays_write_paths_warn(write):
    a, _ = ac.broadcast_arrays(ac.zeros(1), ac.ones((2, 1)))
    a = a[:, :]
    with pytest.warns(DeprecationWarning, match="np.broadcast_arrays"):
        write(a)


def test_broadcast_arrays_writeable_flag_clears_the_warning():
    for value in (True, False):
        a, _ = ac.broadcast_arrays(ac.arange(3), ac.ones((2, 1)))
        a.flags.writeable = value
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert a.flags.writeable is value
            if value:
                a[0, 0] = 1


def test_broadcast_of_read_only_input_is_read_only():
    x = ac.arange(3)
    x.flags.writeable = False
    a, _ = ac.broadcast_arrays(x, ac.ones((2, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not a.flags.writeable
        assert "WARN_ON_WRITE" not in repr(a.flags)


# ------------------------------------------------------------ stride tricks

@given(layouts(max_dims=3, max_side=4), VIA, st.data())
def test_sliding_window_view(layout, via, data):
    nd = len(layout.base_shape)
    window = data.draw(st.lists(st.integers(0, 3), max_size=3))
    axis = data.draw(st.one_of(st.none(), st.lists(st.integers(-nd - 1, nd),
                                                   min_size=len(window),
                                                   max_size=len(window))))
    writeable = data.draw(st.booleans())

    def op(x, m):
        tricks = ac_tricks if m is ac else np_tricks
        return tricks.sliding_window_view(x, window if axis is not None or
                                          len(window) != nd else tuple(window),
                                          axis, writeable=writeable)
    n0, n, a0, a = layout.build(via)
    rn = outcome(op, n, np)
    ra = outcome(op, a, ac)
    if rn[0] == "raise":
        assert ra[1:] == rn[1:]
        return
    x, y = ra[1], rn[1]
    # NumPy's base is a private DummyArray; array_core's is the source's owner.
    assert (x.shape, significant_strides(x.shape, x.strides)) == (
        y.shape, significant_strides(y.shape, y.strides))
    np.testing.assert_array_equal(np.asarray(x), y)
    assert flag_values(x) == flag_values(y)
    assert ac.shares_memory(x, a) == np.shares_memory(y, n)


def test_as_strided():
    n = np.arange(10.0)
    a = ac.asarray(n.copy())
    for shape, strides in [((3, 3), (8, 8)), ((4,), (16,)), (None, None),
                           ((2, 5), None), ((5, 2), (8, 0)), ((0, 3), (999, 8))]:
        if strides is None and shape is not None and len(shape) != 1:
            with pytest.raises(ValueError, match="mismatch in length"):
                ac_tricks.as_strided(a, shape)
            continue
        x = ac_tricks.as_strided(a, shape, strides, writeable=False)
        y = np_tricks.as_strided(n, shape, strides, writeable=False)
        assert x.shape == y.shape and x.strides == y.strides
        assert not x.flags.writeable and x.base is a
        np.testing.assert_array_equal(np.asarray(x), y)
    w = ac_tricks.as_strided(a[2:], (2,), (8,))
    w[0] = -1
    assert float(a[2]) == -1


@pytest.mark.parametrize("shape, strides", [
    ((11,), (8,)), ((2,), (-8,)), ((3, 3), (8, 32)), ((2,), (2**62,)),
])
def test_as_strided_refuses_views_outside_memory(shape, strides):
    a = ac.arange(10.0)
    with pytest.raises(ValueError, match="outside the array's memory"):
        ac_tricks.as_strided(a, shape, strides)


# ------------------------------------------------------------ function forms

@given(layouts(max_dims=3), VIA, st.data())
def test_moved_view_functions(layout, via, data):
    nd = len(layout.base_shape)
    ax = st.integers(-nd - 1, nd)
    a1, a2 = data.draw(ax), data.draw(ax)
    order = data.draw(st.sampled_from("CFAK"))
    check(layout, via, lambda x, m: m.reshape(x, -1))
    check(layout, via, lambda x, m: m.reshape(x, x.shape[::-1], order="F"))
    check(layout, via, lambda x, m: m.ravel(x, order=order))
    check(layout, via, lambda x, m: m.transpose(x))
    check(layout, via, lambda x, m: m.swapaxes(x, a1, a2))
    check(layout, via, lambda x, m: m.squeeze(x))
    check(layout, via, lambda x, m: m.moveaxis(x, a1, a2))
    check(layout, via, lambda x, m: m.expand_dims(x, a1))
    check(layout, via, lambda x, m: m.shares_memory(x, x[...]))
    check(layout, via, lambda x, m: m.may_share_memory(x, x.T))


def test_registered_for_dispatch():
    names = ["reshape", "ravel", "transpose", "swapaxes", "squeeze", "moveaxis",
             "expand_dims", "shares_memory", "may_share_memory", "copy",
             "diagonal", "real", "imag", "flip", "fliplr", "flipud", "rot90",
             "atleast_1d", "atleast_2d", "atleast_3d", "matrix_transpose",
             "permute_dims", "split", "array_split", "hsplit", "vsplit", "dsplit",
             "unstack", "broadcast_to", "broadcast_arrays"]
    for name in names:
        assert IMPLEMENTATIONS[getattr(np, name)] is getattr(ac, name), name
    assert (IMPLEMENTATIONS[np_tricks.sliding_window_view]
            is ac_tricks.sliding_window_view)


@pytest.mark.parametrize("call", [
    lambda m, x: m.reshape(x, (3, 2)),
    lambda m, x: m.transpose(x),
    lambda m, x: m.diagonal(x),
    lambda m, x: m.split(x, 3, axis=1),
    lambda m, x: m.broadcast_to(x, (4, 2, 3)),
    lambda m, x: m.broadcast_arrays(x, x[:1]),
    lambda m, x: m.flip(x, 0),
    lambda m, x: m.rot90(x),
    lambda m, x: m.atleast_3d(x),
    lambda m, x: m.unstack(x),
    lambda m, x: m.real(x),
    lambda m, x: m.lib.stride_tricks.sliding_window_view(x, 2, axis=1),
])
def test_numpy_functions_dispatch_to_the_native_views(call):
    x = ac.arange(6.0).reshape(2, 3)
    with ac.copy_audit() as log:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = call(np, x)
    assert len(log) == 0
    parts = result if isinstance(result, tuple | list) else [result]
    for part in parts:
        assert type(part) is ac.ndarray
        assert part.base is x.base and ac.shares_memory(part, x)


# ------------------------------------------------------------ lazy copies

VIEW_READS = [
    lambda c: ac.diagonal(c),
    lambda c: c.real,
    lambda c: c.imag,
    lambda c: ac.flip(c),
    lambda c: ac.rot90(c),
    lambda c: ac.atleast_3d(c),
    lambda c: ac.matrix_transpose(c),
    lambda c: ac.split(c, 2),
    lambda c: ac.unstack(c),
    lambda c: ac.broadcast_to(c, (3, 2, 3)),
    lambda c: ac.broadcast_arrays(c, ac.ones((3, 1, 1))),
    lambda c: ac_tricks.sliding_window_view(c, (2, 2)),
    lambda c: [float(v) for v in c.flat],
    lambda c: c.flat[1:4],
    lambda c: c.flat[3],
    lambda c: ac.shares_memory(c, c[1:]),
    lambda c: ac.may_share_memory(c, c.T),
    lambda c: np.split(c, 3, axis=1),
    lambda c: np.diagonal(c),
    lambda c: np.broadcast_to(c, (2, 2, 3)),
]


@pytest.mark.parametrize("read", VIEW_READS)
def test_views_of_a_lazy_copy_do_not_materialise_it(read):
    x = ac.arange(6.0).reshape(2, 3)
    with ac.copy_audit() as log:
        c = x.copy(lazy=True)
        read(c)
    assert not [r for r in log if r.category == "lazy-materialise"]


def test_writing_a_view_of_a_lazy_copy_materialises_once():
    x = ac.arange(6.0).reshape(2, 3)
    with ac.copy_audit() as log:
        c = x.copy(lazy=True)
        parts = ac.split(c, 3, axis=1)
        parts[0][0, 0] = -1
        parts[1][1, 0] = -2
        c.flat[5] = -3
    assert [r.category for r in log].count("lazy-materialise") == 1
    assert x.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert c.tolist() == [[-1, 1, 2], [3, -2, -3]]


# ------------------------------------------------------------ flatiter

@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
def test_flat_reads(layout):
    n0, n, a0, a = layout.build("array")
    fa, fn = a.flat, n.flat
    assert len(fa) == len(fn) and fa.base is a
    assert list(fa) == list(fn)
    assert (fa.index, fa.coords) == (fn.index, fn.coords)
    fa, fn = a.flat, n.flat
    for _ in range(min(2, len(fn))):
        assert next(fa) == next(fn)
        assert (fa.index, fa.coords) == (fn.index, fn.coords)
    size = n.size
    for key in [0, -1, size - 1, size, -size - 1, slice(None), slice(1, None, 2),
                slice(None, None, -1), Ellipsis, [0, -1], (0,), (0, 0),
                np.array([True] * size), None]:
        rn = outcome(lambda key=key: n.flat[key])
        ra = outcome(lambda key=key: a.flat[key])
        assert ra[0] == rn[0], (key, ra, rn)
        if rn[0] == "raise":
            assert ra[1:] == rn[1:], key
        elif isinstance(rn[1], np.ndarray):
            assert type(ra[1]) is ac.ndarray and ra[1].base is None
            assert ra[1].tolist() == rn[1].tolist()
        else:
            assert ra[1] == rn[1] and type(ra[1]) is type(rn[1])
    copy = a.flat.copy()
    assert copy.base is None and copy.tolist() == n.flat.copy().tolist()
    np.testing.assert_array_equal(np.asarray(a.flat), np.asarray(n.flat))
    assert (a.flat == 2).tolist() == (n.flat == 2).tolist()


@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
def test_flat_writes(layout):
    for key, value in [(0, 9), (-1, [7, 8]), (slice(None), [1, 2]),
                       (slice(None, None, 2), 5), (Ellipsis, 3), ([0, 1], [4, 5]),
                       (slice(None), [])]:
        n0, n, a0, a = layout.build("array")
        rn = outcome(n.flat.__setitem__, key, value)
        ra = outcome(a.flat.__setitem__, key, value)
        assert ra[0] == rn[0], (key, ra, rn)
        if rn[0] == "raise":
            assert ra[1:] == rn[1:]
        np.testing.assert_array_equal(np.asarray(a), n)
    n0, n, a0, a = layout.build("array")
    n.flat = [1, 2, 3]
    a.flat = [1, 2, 3]
    np.testing.assert_array_equal(np.asarray(a), n)


def test_flat_of_read_only_array():
    a = ac.arange(4)
    a.flags.writeable = False
    with pytest.raises(ValueError, match="underlying array is read-only"):
        a.flat[0] = 1
    with pytest.raises(ValueError, match="array is read-only"):
        a.flat = 1


def test_flat_copies_are_audited():
    x = ac.arange(6.0).reshape(2, 3).T
    with ac.copy_audit() as log:
        x.flat.copy()
        x.flat[1:3]
    assert [r.operation for r in log][:1] == ["flatiter.copy"]
    assert {r.category for r in log} == {"explicit"}


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_flat_iterates_every_dtype(dtype):
    n = filled((2, 3), dtype).T
    a = ac.asarray(n)
    assert list(a.flat) == list(n.flat)
    assert [type(v) for v in a.flat] == [type(v) for v in n.flat]


@pytest.mark.parametrize("shapes", [
    [(3, 1), (4,)], [(), (2, 3)], [(5,), (5, 1, 1)], [(0,), (1,)], [],
    [(3,), (4,)], [(2, 1), (3, 2)], [5, (2, 1)], [np.int8(3), [1, 3]],
    [(1,) * 64, (2,)], [(-1,), (2,)], [(1.5,)], [(2, None)], ["ab"],
    [(2, 3), (4, 3), (5, 3)],
])
def test_broadcast_shapes_matches_numpys(shapes):
    # Shapes in, a shape out: array_core's own function (its own docstring),
    # in both namespaces, with NumPy's results and errors.
    from array_core.lib import stride_tricks

    assert ac.broadcast_shapes is stride_tricks.broadcast_shapes
    assert ac.broadcast_shapes is not np.broadcast_shapes
    assert ac.broadcast_shapes.__module__ == "array_core.lib.stride_tricks"
    expected = outcome(lambda: np.broadcast_shapes(*shapes))
    assert outcome(lambda: ac.broadcast_shapes(*shapes)) == expected


# ------------------------------------------------------------ docstring examples

_VIEW_FUNCTIONS = [
    "array_split", "atleast_1d", "atleast_2d", "atleast_3d", "copy", "diagonal",
    "dsplit", "expand_dims", "flip", "fliplr", "flipud", "hsplit", "imag",
    "matrix_transpose", "may_share_memory", "moveaxis", "permute_dims", "ravel",
    "real", "reshape", "rot90", "shares_memory", "split", "squeeze", "swapaxes",
    "transpose", "unstack", "vsplit",
]


def test_every_view_function_is_documented():
    from array_core import _view_functions

    public = [n for n in dir(_view_functions) if not n.startswith("_")
              and getattr(getattr(_view_functions, n), "__module__", None)
              == _view_functions.__name__]
    assert sorted(public) == _VIEW_FUNCTIONS


@pytest.mark.parametrize("name", _VIEW_FUNCTIONS)
def test_view_function_examples_run(name):
    from _examples import run_examples

    from array_core import _view_functions

    run_examples(getattr(_view_functions, name), name)


@pytest.mark.parametrize("name", ["flatiter", "base", "coords", "index", "copy"])
def test_flatiter_examples_run(name):
    from _examples import run_examples

    obj = ac.flatiter if name == "flatiter" else ac.flatiter.__dict__[name]
    run_examples(obj, name)
