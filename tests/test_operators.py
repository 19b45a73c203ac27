"""Operators and the ufunc protocol, differential against NumPy.

In-place operators write in place (views of the target see it), with NumPy's
casting errors; binary operators follow NumPy's deferral rules; every ufunc
method takes array_core arrays in every argument slot.
"""
import operator

import numpy as np
import pytest
from _strategies import assert_same_error, layouts, outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
    "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
    "**=": operator.ipow, "@=": operator.imatmul, "&=": operator.iand,
    "|=": operator.ior, "^=": operator.ixor, "<<=": operator.ilshift,
    ">>=": operator.irshift,
}
BINARY = {
    "+": operator.add, "-": operator.sub, "*": operator.mul,
    "/": operator.truediv, "//": operator.floordiv, "%": operator.mod,
    "**": operator.pow, "@": operator.matmul, "&": operator.and_,
    "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
    ">>": operator.rshift, "divmod": divmod, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}
DTYPES = ["bool", "int8", "uint8", "int32", "int64", "uint64", "float32",
          "float64", "complex128"]
OTHERS = [2, -1, 1.5, 0.5, 1j, True, "bool", "int8", "int64", "uint64",
          "float32", "float64", "complex128"]


def _values(dtype, n=4):
    v = np.arange(1, n + 1) % 3 + 1
    return (v % 2 == 0).astype(dtype) if dtype == "bool" else v.astype(dtype)


def _other(spec, n=4):
    if isinstance(spec, str):
        return _values(spec, n)[::-1].copy()
    return spec


def _compare(np_res, ac_res):
    if np_res[0] == "raise":
        assert ac_res[0] == "raise", (np_res, ac_res)
        assert ac_res[1] is np_res[1] and ac_res[2] == np_res[2], (np_res, ac_res)
        return False
    assert ac_res[0] == "ok", (np_res, ac_res)
    return True


@pytest.mark.parametrize("name", list(INPLACE))
@pytest.mark.parametrize("dtype", DTYPES)
def test_inplace_operator_matrix(name, dtype):
    op = INPLACE[name]
    for spec in OTHERS:
        for as_ac in (False, True):
            if as_ac and not isinstance(spec, str):
                continue
            n = _values(dtype, 8).reshape(2, 4) if name == "@=" else _values(dtype, 8)
            a = ac.array(n)
            nv = n[:, :2] if name == "@=" else n[:4]
            av = a[:, :2] if name == "@=" else a[:4]
            other = _other(spec, 2 if name == "@=" else 4)
            if name == "@=" and isinstance(spec, str):
                other = other.reshape(2, 1) * np.ones((1, 2), other.dtype)
            a_other = ac.array(other) if as_ac else other
            with np.errstate(all="ignore"):
                rn = outcome(op, nv, other)
                ra = outcome(op, av, a_other)
            if _compare(rn, ra):
                assert ra[1] is av and rn[1] is nv
                # Written in place: the root sees it, as in NumPy.
                np.testing.assert_array_equal(np.asarray(a), n, strict=True)
                assert ac.shares_memory(a, ra[1])


def test_shift_writes_through_a_view():
    a = ac.arange(8)
    v = a[:4]
    v >>= 1
    n = np.arange(8)
    w = n[:4]
    w >>= 1
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    v <<= 2
    w <<= 2
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)


def test_inplace_matmul_rules_and_messages():
    n = np.arange(4.0).reshape(2, 2)
    a = ac.array(n)
    ident = a
    a @= a
    n @= n
    assert a is ident
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    for shape_a, shape_b in [((2, 3), (3, 2)), ((3,), (3, 3)), ((2, 2), (2,)),
                             ((), (2, 2)), ((2, 2), ())]:
        x = np.ones(shape_a)
        y = np.ones(shape_b)

        def imatmul(p, q):
            p @= q
            return p

        ax, ay = ac.array(x), ac.array(y)
        rn = outcome(imatmul, x, y)
        ra = outcome(imatmul, ax, ay)
        if _compare(rn, ra):
            np.testing.assert_array_equal(np.asarray(ra[1]), rn[1], strict=True)
    i = np.ones((2, 2), int)

    def imatmul_float(p):
        p @= np.ones((2, 2))

    assert_same_error(lambda: imatmul_float(i), lambda: imatmul_float(ac.array(i)))


def test_inplace_casting_error_is_numpys():
    def iadd(x):
        x += 1.5

    n = outcome(iadd, np.arange(3))
    a = outcome(iadd, ac.arange(3))
    assert n[0] == a[0] == "raise"
    assert n[1] is a[1] and n[2] == a[2]
    assert issubclass(a[1], np._core._exceptions._UFuncOutputCastingError)


def test_inplace_materialises_a_lazy_copy_under_the_audit():
    a = ac.arange(6)
    b = a.copy(lazy=True)
    with ac.copy_audit() as log:
        b >>= 1
    assert len(log) == 1
    np.testing.assert_array_equal(np.asarray(a), np.arange(6))
    np.testing.assert_array_equal(np.asarray(b), np.arange(6) >> 1)


def test_power_with_modulo():
    n, a = np.arange(4), ac.arange(4)
    rn, ra = outcome(pow, n, 2, 3), outcome(pow, a, 2, 3)
    assert rn[1] is ra[1] is TypeError
    assert ra[2] == rn[2].replace("numpy.ndarray", "array_core._array.ndarray")
    assert a.__rpow__(2, 3) is NotImplemented is n.__rpow__(2, 3)
    # NumPy's in-place power ignores a modulo given to __ipow__ directly.
    np.testing.assert_array_equal(np.asarray(a.__ipow__(2, 3)), n.__ipow__(2, 3))


@pytest.mark.parametrize("name", list(BINARY))
def test_reflected_and_forward_operators(name):
    op = BINARY[name]
    for dtype in ("int64", "float64", "bool"):
        n = _values(dtype, 4).reshape(2, 2)
        a = ac.array(n)
        for other in (3, 2.5, [1, 2], np.int8(3), np.ones((2, 2), "int32")):
            for args_n, args_a in (((n, other), (a, other)), ((other, n), (other, a))):
                with np.errstate(all="ignore"):
                    rn = outcome(op, *args_n)
                    ra = outcome(op, *args_a)
                if not _compare(rn, ra):
                    continue
                vn = rn[1] if isinstance(rn[1], tuple) else (rn[1],)
                va = ra[1] if isinstance(ra[1], tuple) else (ra[1],)
                for x, y in zip(vn, va, strict=True):
                    if isinstance(x, np.ndarray):
                        assert type(y) is ac.ndarray
                        np.testing.assert_array_equal(np.asarray(y), x, strict=True)
                    else:
                        assert type(x) is type(y) and x == y


class _NoUfuncs:
    __array_ufunc__ = None

    def __radd__(self, other):
        return "radd"

    def __rlshift__(self, other):
        return "rlshift"

    def __rmatmul__(self, other):
        return "rmatmul"


class _Priority:
    __array_priority__ = 100.0

    def __radd__(self, other):
        return "radd"

    def __rsub__(self, other):
        return "rsub"


class _Plain:
    def __radd__(self, other):
        return "radd"


def test_deferral_to_other_operands():
    for x in (np.arange(3), ac.arange(3)):
        assert x + _NoUfuncs() == "radd"
        assert x << _NoUfuncs() == "rlshift"
        assert x @ _NoUfuncs() == "rmatmul"
        assert x + _Priority() == "radd"
        assert x - _Priority() == "rsub"

    def iadd(x):
        x += _NoUfuncs()
        return x

    # In place, NumPy does not defer to __array_ufunc__ = None: the ufunc refuses.
    assert_same_error(lambda: iadd(np.arange(3)), lambda: iadd(ac.arange(3)))
    assert_same_error(lambda: np.add(np.arange(3), _NoUfuncs()),
                      lambda: np.add(ac.arange(3), _NoUfuncs()))


def test_unknown_operand_type_gives_python_protocol():
    # NumPy would make an object array; array_core cannot hold one, so it
    # returns NotImplemented and Python asks the other operand.
    a = ac.arange(3)
    assert a + _Plain() == "radd"
    assert a.__add__(object()) is NotImplemented
    with pytest.raises(TypeError, match="unsupported operand"):
        a - object()


def test_foreign_array_ufunc_override_is_called_with_array_core_arrays():
    seen = []

    class Duck:
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            seen.append(tuple(type(x) for x in inputs))
            return "duck"

    a = ac.arange(3)
    assert np.add(a, Duck()) == "duck"
    assert a + Duck() == "duck"
    assert seen == [(ac.ndarray, Duck), (ac.ndarray, Duck)]


def test_comparisons_with_anything():
    for other in (None, "x", object(), 1, [0, 1, 2]):
        n = np.arange(3) == other
        a = ac.arange(3) == other
        np.testing.assert_array_equal(np.asarray(a), n, strict=True)
        np.testing.assert_array_equal(np.asarray(ac.arange(3) != other),
                                      np.arange(3) != other, strict=True)


def test_unary_operators():
    for dtype in ("int8", "float64", "bool", "complex128"):
        n = _values(dtype)
        a = ac.array(n)
        for op in (operator.neg, operator.pos, abs, operator.invert):
            rn, ra = outcome(op, n), outcome(op, a)
            if _compare(rn, ra):
                assert type(ra[1]) is ac.ndarray
                np.testing.assert_array_equal(np.asarray(ra[1]), rn[1], strict=True)


# ------------------------------------------------------------ __contains__

@pytest.mark.parametrize("value", [4.0, 4, 99, -1, np.float32(4), "4", None,
                                   [0, 1, 2, 3], [[0, 1, 2, 3]], [0, 1],
                                   np.arange(4.0)])
def test_contains_is_numpys(value):
    n = np.arange(16.0).reshape(4, 4)
    a = ac.array(n)
    rn = outcome(operator.contains, n, value)
    ra = outcome(operator.contains, a, value)
    assert rn[0] == ra[0] and rn[1:] == ra[1:] if rn[0] == "raise" else rn == ra
    assert outcome(operator.contains, a, ac.arange(4.0)) == outcome(
        operator.contains, n, np.arange(4.0))


def test_contains_zero_d_and_empty():
    assert (3 in ac.array(3)) == (3 in np.array(3))
    assert (3 in ac.zeros(0)) == (3 in np.zeros(0))


# ------------------------------------------------------------ ufunc methods

def _pair(n):
    return n, ac.array(n)


def _check(np_call, ac_call):
    rn = outcome(np_call)
    ra = outcome(ac_call)
    if not _compare(rn, ra):
        return
    x, y = rn[1], ra[1]
    xs = x if isinstance(x, tuple) else (x,)
    ys = y if isinstance(y, tuple) else (y,)
    for p, q in zip(xs, ys, strict=True):
        if isinstance(p, np.ndarray):
            assert type(q) is ac.ndarray
            np.testing.assert_array_equal(np.asarray(q), p, strict=True)
        else:
            assert type(p) is type(q)
            assert p == q or (p != p and q != q)


def test_where_mask_and_out_are_converted():
    x, ax = _pair(np.arange(4))
    y, ay = _pair(np.zeros(4, int))
    m, am = _pair(np.array([True, False, True, False]))
    rn = np.invert(x, out=y, where=m)
    ra = np.invert(ax, out=ay, where=am)
    assert ra is ay and rn is y
    np.testing.assert_array_equal(np.asarray(ay), y, strict=True)
    # Positional out, and an out tuple.
    r = np.add(ax, 1, ay)
    assert r is ay
    q, r = np.divmod(ax, 3, out=(ac.zeros(4, int), None))
    assert type(q) is ac.ndarray and type(r) is ac.ndarray
    np.testing.assert_array_equal(np.asarray(r), np.arange(4) % 3)
    # A NumPy out comes back as itself.
    out = np.zeros(4, int)
    assert np.add(ax, 1, out=out) is out


def test_ufunc_at_writes_its_first_argument():
    n = np.arange(4)
    a = ac.arange(4)
    np.invert.at(n[::-1], n)
    np.invert.at(a[::-1], a)
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    n, a = np.arange(5.0), ac.arange(5.0)
    idx = ac.array([0, 0, 3])
    assert np.add.at(a, idx, ac.array([1.0, 2.0, 3.0])) is None
    np.add.at(n, np.array([0, 0, 3]), np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    r = ac.arange(3)
    r.flags.writeable = False
    rn = np.arange(3)
    rn.flags.writeable = False
    # NumPy 2.4 writes into the read-only array; array_core refuses.
    with pytest.raises(ValueError, match="output array is read-only"):
        np.add.at(r, [0], 1)
    np.testing.assert_array_equal(np.asarray(r), rn)


def test_ufunc_methods_with_array_core_everywhere():
    n = np.arange(12.0).reshape(3, 4)
    a = ac.array(n)
    mask = np.array([True, False, True, True])
    amask = ac.array(mask)
    _check(lambda: np.add.reduce(n, 0), lambda: np.add.reduce(a, 0))
    _check(lambda: np.add.reduce(n, None), lambda: np.add.reduce(a, None))
    _check(lambda: np.add.reduce(n, 1, None, np.zeros(3)),
           lambda: np.add.reduce(a, 1, None, ac.zeros(3)))
    _check(lambda: np.add.reduce(n, 1, where=mask, initial=np.float64(1)),
           lambda: np.add.reduce(a, 1, where=amask, initial=ac.array(1.0)))
    _check(lambda: np.maximum.reduce(n, axis=0, out=np.zeros(4)),
           lambda: np.maximum.reduce(a, axis=0, out=ac.zeros(4)))
    _check(lambda: np.add.accumulate(n, 1), lambda: np.add.accumulate(a, 1))
    _check(lambda: np.add.accumulate(n, 0, None, np.zeros((3, 4))),
           lambda: np.add.accumulate(a, 0, None, ac.zeros((3, 4))))
    idx = np.array([0, 2, 3])
    _check(lambda: np.add.reduceat(n, idx, 1),
           lambda: np.add.reduceat(a, ac.array(idx), 1))
    _check(lambda: np.add.reduceat(n, idx, 1, None, np.zeros((3, 3))),
           lambda: np.add.reduceat(a, ac.array(idx), 1, None, ac.zeros((3, 3))))
    _check(lambda: np.multiply.outer(n[0], n[1]), lambda: np.multiply.outer(a[0], a[1]))
    _check(lambda: np.multiply.outer(n[0], n[1], out=np.zeros((4, 4))),
           lambda: np.multiply.outer(a[0], a[1], out=ac.zeros((4, 4))))
    _check(lambda: np.add(n, n, dtype=np.float32),
           lambda: np.add(a, a, dtype=np.float32))
    _check(lambda: np.add(n, 1, out=...), lambda: np.add(a, 1, out=...))
    # Reductions to a scalar give NumPy scalars.
    _check(lambda: np.add.reduce(n, axis=None), lambda: np.add.reduce(a, axis=None))
    # Errors are NumPy's.
    # (Through __array_ufunc__ directly: NumPy 2.4's reduce leaks its argument
    # tuples when an override raises, numpy#31677, and the sanitizer job would
    # report that leak.)
    _check(lambda: np.add.reduce(n, 5),
           lambda: a.__array_ufunc__(np.add, "reduce", a, 5))
    _check(lambda: np.add(n, n, out=np.zeros(2)), lambda: np.add(a, a, out=ac.zeros(2)))


def test_out_writes_in_place_and_readonly_out_refused():
    n = np.zeros((2, 3))
    a = ac.zeros((2, 3))
    np.add(np.ones(3), 1, out=n[1])
    np.add(ac.ones(3), 1, out=a[1])
    np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    a.flags.writeable = False
    n.flags.writeable = False
    assert_same_error(lambda: np.add(1, 1, out=n), lambda: np.add(1, 1, out=a))


# ------------------------------------------------------------ fuzz

OPERAND_DTYPES = ["bool", "int8", "uint16", "int64", "float16", "float64",
                  "complex64"]


@given(layouts(max_side=3, dtypes=[np.dtype(t) for t in OPERAND_DTYPES]),
       st.sampled_from(sorted(INPLACE)),
       st.one_of(st.sampled_from([0, 1, 2, -3, 2.5, 1j, True, np.int8(3),
                                  np.float32(0.5)]),
                 st.sampled_from(OPERAND_DTYPES)),
       st.booleans())
def test_inplace_operators_on_layouts(layout, name, spec, other_is_view):
    """Any layout (read-only, negative strides, empty) x any in-place
    operator x scalar or array operand: NumPy's values, errors, in place."""
    n0, n, a0, a = layout.build("array")
    other = spec
    if isinstance(spec, str):
        other = np.arange(1, 1 + max(n.shape[-1:] or (1,))).astype(spec)
        if name == "@=":
            other = np.ones((n.shape[-1:] or (1,)) * 2, spec)
    a_other = ac.array(other) if isinstance(other, np.ndarray) else other
    if other_is_view and isinstance(other, np.ndarray):
        a_other = a_other[...]
    with np.errstate(all="ignore"):
        rn = outcome(INPLACE[name], n, other)
        ra = outcome(INPLACE[name], a, a_other)
    if _compare(rn, ra):
        assert ra[1] is a
        np.testing.assert_array_equal(np.asarray(a0), n0, strict=True)
