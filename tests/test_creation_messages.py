"""Creation functions and argument checks: NumPy's layouts, check order, messages."""
import numpy as np
import pytest
from _strategies import assert_same_error, outcome

import array_core as ac

# --------------------------------------------------------------- order 'K'


def stride_zero_layouts():
    """NumPy arrays with stride-0, negative, equal-stride and length-1 axes."""
    x = np.arange(24.0)
    t = x[:12].reshape(4, 3).T
    return [
        np.broadcast_to(t, (2, 3, 4)),                      # strides (0, 8, 24)
        np.broadcast_to(t[:, None, :], (3, 2, 4)),          # (8, 0, 24)
        np.broadcast_to(x[:3], (2, 3)),
        np.broadcast_to(x[:3, None], (3, 2)).T,
        np.lib.stride_tricks.as_strided(x, (2, 3, 2), (8, 0, 16)),
        np.lib.stride_tricks.as_strided(x, (3, 3), (8, 8)),  # equal strides
        np.lib.stride_tricks.as_strided(x[::-1], (2, 2, 3), (-8, 0, -16)),
        np.lib.stride_tricks.as_strided(x, (1, 3, 1, 2), (0, 16, 8, 8)),
        x.reshape(2, 3, 4)[:, ::-1].transpose(2, 0, 1),
        x.reshape(2, 3, 4)[::-1, :, ::2],
    ]


@pytest.mark.parametrize("n", stride_zero_layouts(), ids=lambda n: str(n.strides))
@pytest.mark.parametrize("how", ["ravel", "flatten", "function"])
def test_flat_order_k_is_numpys_iteration_order(n, how):
    a = ac.asarray(n)
    if how == "function":
        got, want = ac.ravel(a, "K"), np.ravel(n, "K")
    else:
        got, want = getattr(a, how)("K"), getattr(n, how)("K")
    np.testing.assert_array_equal(np.asarray(got), want)
    assert ac.shares_memory(got, a) == np.shares_memory(want, n)


@pytest.mark.parametrize("n", stride_zero_layouts(), ids=lambda n: str(n.strides))
def test_copy_order_k_strides(n):
    a = ac.asarray(n)
    assert ac.copy(a).strides == np.copy(n).strides
    assert a.copy("K").strides == n.copy("K").strides
    assert a.astype("f4").strides == n.astype("f4").strides
    assert ac.array(a, dtype="i2").strides == np.array(n, dtype="i2").strides


# ------------------------------------------------------- prepended axes


def prepend_inputs():
    x = np.arange(24.0)
    return [x[:3], x[::2], x[::-3], x.reshape(4, 6)[:, ::2], x.reshape(4, 6).T,
            x.reshape(4, 6).T[::-1], x.reshape(4, 6)[::-1], x[:0], x.reshape(4, 6)[:0],
            x[:1], x.reshape(4, 6)[:1, ::2], x.reshape(4, 6)[:, :1],
            np.broadcast_to(x[:3], (2, 3)), np.broadcast_to(x[:1], (3,)),
            x.reshape(2, 3, 4).transpose(1, 0, 2)[:, :, 1:3], np.array(3.0)]


@pytest.mark.parametrize("n", prepend_inputs(), ids=lambda n: f"{n.shape}{n.strides}")
@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
@pytest.mark.parametrize("copy", [True, None])
def test_ndmin_prepended_strides(n, order, copy):
    a = ac.asarray(n)
    for ndmin in (n.ndim + 1, n.ndim + 3):
        want = np.array(n, ndmin=ndmin, order=order, copy=copy)
        got = ac.array(a, ndmin=ndmin, order=order, copy=copy)
        assert got.shape == want.shape and got.strides == want.strides
        assert ac.shares_memory(got, a) == np.shares_memory(want, n)


def test_ndmin_strides_of_the_issue():
    assert ac.array(np.arange(3), ndmin=3).strides == (24, 24, 8)
    assert ac.array(ac.arange(3), ndmin=3).strides == (24, 24, 8)
    assert ac.ascontiguousarray(5).strides == (8,)
    assert ac.ascontiguousarray(ac.array(5.0)).strides == (8,)
    assert ac.asfortranarray(np.array(5, "i2")).strides == (2,)


@pytest.mark.parametrize("obj", [5, 2.5, [1, 2], [[1], [2]], (1.5,), b"ab",
                                 np.float32(3)], ids=repr)
@pytest.mark.parametrize("func", ["ascontiguousarray", "asfortranarray", "ndmin4"])
def test_prepended_strides_of_foreign_inputs(obj, func):
    if func == "ndmin4":
        want, got = np.array(obj, ndmin=4), ac.array(obj, ndmin=4)
    else:
        want, got = getattr(np, func)(obj), getattr(ac, func)(obj)
    assert got.shape == want.shape and got.strides == want.strides
    assert (got.base is None) == (want.base is None)


# ------------------------------------------------- argument check order


CALLS = [
    # array: dtype, copy, order, subok, ndmin, ndmax, like, ranges
    "array(a, 'nope', copy='x')", "array(a, copy='x', order='X')",
    "array(a, order='X', ndmin=1.5)", "array(a, ndmin=1.5, ndmax=None)",
    "array(a, ndmin=None)", "array(a, ndmin='2')", "array(a, ndmin=2**40)",
    "array(a, ndmin=2**63)", "array(a, ndmin=np.float64(2))",
    "array(a, ndmax=-1, ndmin=100)", "array(a, ndmax=65)", "array(a, ndmin=65)",
    "array(a, ndmin=3, ndmax=2)", "array(a, ndmin=1, ndmax=0)",
    "array(a, ndmax=-1, like=1)", "array(a, ndmin=100, like=1)",
    "array(a, 'nope', like=1)", "array(a, 'f8', ndmax=1)", "array(a, 'f8', ndmax=0)",
    "array(a, copy=False, ndmax=1, dtype='f4')", "array(a, object, order='X')",
    "array([[1, 2], [3, 4]], ndmax=1)", "array([[1, 2], [3]], ndmax=1)",
    "array([[1, 2], [3]])", "array([1, [2]])", "array([[[1], [2]], [[3], [4, 5]]])",
    "array([[1, 2], [3]], ndmin=2, ndmax=1)", "array(memoryview(n), ndmax=1)",
    # asarray: dtype, order, device, copy, like
    "asarray(a, device='gpu')", "asarray(a, device=0)", "asarray(a, device=b'cpu')",
    "asarray(a, 'nope', device='gpu')", "asarray(a, order='X', device='gpu')",
    "asarray(a, copy='x', device='gpu')", "asarray(a, device='gpu', like=1)",
    "asarray(a, like=1)", "asarray(a, object, 'X')",
    "asarray(a, 'i4', order='X', copy='x')",
    "ascontiguousarray(a, 'nope', like=1)", "ascontiguousarray(a, like=1)",
    "asfortranarray(a, like=1)",
    # creation: shape, dtype, order, device, like, then the shape's values
    "empty('x', 'nope')", "empty(-1, 'nope')", "empty(3, 'nope', 'X')",
    "empty(3, order='K')", "empty(3, device='gpu')", "empty(-1, device='gpu')",
    "empty(3, order='X', device='gpu')", "empty(3, device='gpu', like=1)",
    "empty(-1, like=1)", "empty('x', like=1)", "empty(3, object, 'X')",
    "empty(-1, object)", "zeros(3, device='gpu', like=1)", "zeros((2.0, 3), 'nope')",
    "ones(3, device='gpu')", "ones(-1, device='gpu')", "ones(3, object, 'X')",
    "ones(2**63, 'nope')", "ones(3, order='K')",
    "full(3, 1, device='gpu', like=1)", "full(-1, 1, order='X')",
    "full(3, 1, 'nope', like=1)", "full('x', 1, 'nope')", "full((2, 3), [1, 2])",
    "full(3, 'x', 'f8')", "full(3, [1, [2]])",
    # arange
    "arange(start=5)", "arange(5, start=1)", "arange()", "arange(1, 5, stop=3)",
    "arange(step=2)", "arange(None)", "arange(0, 5, 0)", "arange(1, 2, 3, 4)",
    "arange(5, device='gpu')", "arange(5, like=1)", "arange(5, 'i4')",
    # frombuffer
    "frombuffer(b'abcd', like=1)", "frombuffer(b'abcd', 'nope', like=1)",
    "frombuffer('abc')", "frombuffer(b'abcdefgh', count=None)",
    "frombuffer(b'abcdefgh', object)", "frombuffer(b'abcdefgh', object, count=None)",
    "frombuffer(b'abc', 'i2')",
    # copy, reshape, axes
    "copy(a, 'X', True)", "copy([[1], [1, 2]], 'X')",
    "reshape(a)", "swapaxes(a, 2**65, 0)", "swapaxes(a, 2**40, 0)",
    "swapaxes(a, -2**40, 0)", "swapaxes(a, 5, (1,))", "swapaxes(a, 5, 1.0)",
    "squeeze(a, 2**40)", "squeeze(a, 2**65)", "squeeze(a, (2**40,))",
    "squeeze(a, True)", "squeeze(a, (True,))", "squeeze(a, 1.0)",
    "expand_dims(a, 2**65)", "expand_dims(a, (0, 0))",
]


def _call(lib, text):
    n = np.arange(6).reshape(2, 3)
    a = n if lib is np else ac.asarray(n)
    return eval(text, {"np": np, "ac": ac, "n": n, "a": a,
                       "memoryview": memoryview}, {
        name: getattr(lib, name) for name in (
            "array", "asarray", "ascontiguousarray", "asfortranarray", "empty",
            "zeros", "ones", "full", "arange", "frombuffer", "copy", "reshape",
            "swapaxes", "squeeze", "expand_dims")})


@pytest.mark.parametrize("text", CALLS)
def test_argument_errors_as_numpy(text):
    want = outcome(_call, np, text)
    got = outcome(_call, ac, text)
    if want[0] == "ok" and got[0] == "raise" and "does not support" in got[2]:
        return  # an object array NumPy makes and array_core does not hold
    if want[0] == "raise":
        assert got[0] == "raise", f"array_core gave {got[1]!r}"
        assert (got[1], got[2]) == (want[1], want[2])
    else:
        assert got[0] == "ok", got[1:]
        np.testing.assert_array_equal(np.asarray(got[1]), want[1])


@pytest.mark.parametrize("text", [
    "array(a, ndmax=2)", "array(a, ndmax=64)", "array(a, ndmax=1)",
    "array(a, ndmax=True)", "array([[1, 2]], ndmax=2)", "array(5, ndmax=0)",
    "array(a, subok=True)", "array(a, like=None)", "array(a, like=n)",
    "asarray(a, device='cpu')", "asarray(a, device=None)", "asarray([1], like=a)",
    "ascontiguousarray(a, like=a)", "empty(3, device='cpu').shape",
    "zeros(3, like=a)", "ones(2, device='cpu')", "full(2, 3, like=a)",
    "arange(stop=5)", "arange(start=1, stop=5)", "arange(1, 5, step=2)",
    "arange(1, None)", "arange(5, dtype='f4', device='cpu')", "arange(3, like=a)",
    "frombuffer(b'ab', 'u1', like=a)", "copy(a, 'K', True)", "reshape(a, None)",
    "reshape(a, shape=6)", "swapaxes(a, True, 0)", "ones(2, 'V8')",
    "empty(2, dtype=None).dtype",
])
def test_accepted_arguments_as_numpy(text):
    want = _call(np, text)
    got = _call(ac, text)
    if isinstance(want, np.ndarray):
        assert isinstance(got, ac.ndarray)
        if text.startswith("empty"):
            return
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(np.asarray(got), want)
    else:
        assert got == want


def test_reshape_without_shape():
    assert_same_error(lambda: np.reshape(np.arange(3)),
                      lambda: ac.reshape(ac.arange(3)))
    assert_same_error(lambda: np.arange(3).reshape(), lambda: ac.arange(3).reshape())


def test_view_to_a_reference_dtype():
    assert_same_error(lambda: np.arange(3).view(object),
                      lambda: ac.arange(3).view(object))


def test_astype_checks_before_refusing_object():
    n = np.arange(3)
    a = ac.asarray(n)
    assert_same_error(lambda: n.astype(object, casting="bad"),
                      lambda: a.astype(object, casting="bad"))
    assert_same_error(lambda: n.astype(object, casting="no"),
                      lambda: a.astype(object, casting="no"))
    assert_same_error(lambda: n.astype(object, order="X"),
                      lambda: a.astype(object, order="X"))
    assert a.astype(None).dtype == n.astype(None).dtype


@pytest.mark.parametrize("axes", [(2 ** 40, 0), (0, 2 ** 32 + 1), (2 ** 32 - 1, 0),
                                  (2 ** 65, 0), (True, 0), (1.0, 0), (0, 5)])
def test_transpose_axes_are_c_ints(axes):
    n = np.arange(6).reshape(2, 3)
    want = outcome(n.transpose, *axes)
    got = outcome(ac.asarray(n).transpose, *axes)
    if want[0] == "raise":
        assert got[1:] == want[1:]
    else:
        assert got[0] == "ok" and got[1].shape == want[1].shape


class _Interface:
    def __init__(self, **interface):
        self.__array_interface__ = dict(version=3, **interface)


@pytest.mark.parametrize("interface", [
    dict(shape=(0,), typestr="<f8", data=(0, False)),
    dict(shape=(0, 3), typestr="<i2", data=(0, True)),
    dict(shape=(0,), typestr="<f8", data=(0, False), strides=(8,)),
    dict(shape=(3,), typestr="<f8", data=(0, False)),
    dict(shape=(), typestr="<f8", data=(0, False)),
])
@pytest.mark.parametrize("func", ["asarray", "array", "ascontiguousarray"])
def test_array_interface_with_null_data(interface, func):
    """NumPy allocates for a NULL pointer of size 0: an owner whose base is
    the exporter (asarray); a pointer to data that is NULL is an error."""
    obj = _Interface(**interface)
    want = outcome(getattr(np, func), obj)
    got = outcome(getattr(ac, func), obj)
    if want[0] == "raise":
        assert got[1:] == want[1:]
        return
    n, a = want[1], got[1]
    assert a.shape == n.shape and a.strides == n.strides and a.dtype == n.dtype
    assert (a.base is obj) == (n.base is obj)
    assert (a.base is None) == (n.base is None)
    assert a.flags.owndata == n.flags.owndata
    assert a.flags.writeable == n.flags.writeable


@pytest.mark.parametrize("args, kwargs", [
    ((), {"type": None}), (("f4",), {"type": None}), ((None, None), {}),
    ((np.ndarray,), {"type": np.ndarray}), ((), {"type": np.ndarray, "dtype": "nope"}),
    ((), {"type": 3}), (("nope", 3), {}), ((int, 3), {}),
])
def test_view_type_checked_before_dtype(args, kwargs):
    """NumPy's array_view: an explicit type (None included) must be an array
    type, checked before the dtype is converted."""
    assert_same_error(lambda: np.arange(4).view(*args, **kwargs),
                      lambda: ac.arange(4).view(*args, **kwargs))


@pytest.mark.parametrize("args, kwargs", [
    ((1, 2, 3), {}), (("f8", ac.ndarray, None, None), {}), ((), {"foo": 1}),
])
def test_view_argument_count_and_keywords(args, kwargs):
    assert_same_error(lambda: np.arange(4).view(*args, **kwargs),
                      lambda: ac.arange(4).view(*args, **kwargs))


@pytest.mark.parametrize("subok", [None, "x", 1.5, [], 2 ** 40])
def test_astype_subok_is_a_c_int(subok):
    n = np.arange(3)
    assert_same_error(lambda: n.astype("f4", subok=subok),
                      lambda: ac.asarray(n).astype("f4", subok=subok))
    assert ac.asarray(n).astype("f4", subok=2).dtype == n.astype("f4", subok=2).dtype


@pytest.mark.parametrize("make", [lambda: np.array(3.0), lambda: np.arange(6.0)[::2],
                                  lambda: np.arange(6).reshape(2, 3),
                                  lambda: np.arange(4)[1:]])
@pytest.mark.parametrize("func", [
    lambda m, x: m.ascontiguousarray(x), lambda m, x: m.asfortranarray(x),
    lambda m, x: m.array(x, copy=None, ndmin=4),
    lambda m, x: m.asarray(x, dtype=x.dtype.newbyteorder("=")),
    lambda m, x: m.array(x, copy=None, ndmin=3, dtype=x.dtype.newbyteorder("=")),
])
def test_views_of_numpy_inputs_have_numpys_base(make, func):
    """A view array_core makes of a NumPy input (prepended axes, an
    equivalent dtype) has the base NumPy's view has: the input or its owner."""
    n = make()
    want, got = func(np, n), func(ac, n)
    if want is n:
        return  # NumPy returns its input; array_core a zero-copy view of it
    assert got.strides == want.strides
    if want.base is None:
        assert got.base is None
    else:
        assert got.base is want.base
