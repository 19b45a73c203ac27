"""Dtypes NumPy supports: structured (packed, aligned, padded, nested),
flexible of size 0, subarray dtypes; differential against NumPy."""
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from _strategies import assert_same_error, outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

LEAVES = st.one_of(
    hnp.scalar_dtypes().filter(lambda d: d.kind != "O"),
    hnp.byte_string_dtypes(), hnp.unicode_string_dtypes())
NAMES = st.text("abcdefgxyz_", min_size=1, max_size=4)


@st.composite
def structured_dtypes(draw, names=None):
    """Structured dtypes: nested, subarray fields, packed, aligned, padded,
    fields out of offset order."""
    inner = hnp.array_dtypes(LEAVES, max_size=3)
    dt = draw(hnp.array_dtypes(st.one_of(LEAVES, inner), max_size=4,
                               allow_subarrays=True))
    fields = list(dt.names)
    if names is not None:
        fields = draw(st.lists(names, min_size=len(fields), max_size=len(fields),
                               unique=True))
        dt = np.dtype({"names": fields, "formats": [dt[i] for i in range(len(fields))],
                       "offsets": [dt.fields[n][1] for n in dt.names],
                       "itemsize": dt.itemsize})
    formats = [dt.fields[n][0] for n in fields]
    layout = draw(st.sampled_from(["packed", "aligned", "padded", "reordered"]))
    if layout == "aligned" and all(fields):
        return np.dtype({"names": fields, "formats": formats}, align=True)
    if layout == "padded":
        offsets, end = [], 0
        for f in formats:
            end += draw(st.integers(0, 9))
            offsets.append(end)
            end += f.itemsize
        return np.dtype({"names": fields, "formats": formats, "offsets": offsets,
                         "itemsize": end + draw(st.integers(0, 9))})
    if layout == "reordered" and len(fields) > 1:
        order = draw(st.permutations(range(len(fields))))
        return np.dtype({"names": [fields[i] for i in order],
                         "formats": [formats[i] for i in order],
                         "offsets": [dt.fields[fields[i]][1] for i in order],
                         "itemsize": dt.itemsize})
    return dt


def _format(x):
    try:
        return memoryview(x).format
    except (ValueError, BufferError) as exc:
        return exc


def _numpy_reads_back(n):
    try:
        return np.asarray(memoryview(n)).dtype == n.dtype
    except Exception:  # noqa: BLE001 -- NumPy's own format may not parse
        return False


def _check_structured(dt, size):
    n = np.zeros(size, dt)
    a = ac.zeros(size, dt)
    assert a.dtype == dt and a.shape == n.shape and a.strides == n.strides
    assert repr(a) == repr(n) and str(a) == str(n)
    back = np.asarray(a)
    assert back.dtype == dt and back.tobytes() == n.tobytes()
    assert np.shares_memory(back, np.asarray(a)) or size == 0 or dt.itemsize == 0
    # Data survives the round trip in both directions.
    raw = np.frombuffer(bytes(range(256)) * (1 + size * dt.itemsize // 256),
                        np.uint8)[: size * dt.itemsize].copy().view(dt)
    c = ac.array(raw)
    assert np.asarray(c).tobytes() == raw.tobytes()
    items = [c[i] for i in range(size)]
    assert ac.array(items).dtype == np.array(items).dtype
    # The export is NumPy's where NumPy reads its own back (2+ items: NumPy's
    # choice of native alignment looks at the strides), else one NumPy reads.
    fmt = _format(a)
    if size >= 2 and _numpy_reads_back(raw):
        assert fmt == _format(raw)
    if isinstance(fmt, str):
        assert np.asarray(memoryview(a)).dtype == dt
    for name in dt.names:
        _check_field(np.array(raw), c, name)


def _check_field(n, a, name):
    fn, fa = n[name], a[name]
    assert type(fa) is ac.ndarray
    assert fa.dtype == fn.dtype and fa.shape == fn.shape
    assert fa.strides == fn.strides or fn.size == 0
    assert (fa.base is a) == (fn.base is n)
    for flag in ("c_contiguous", "f_contiguous", "owndata", "writeable", "aligned"):
        assert getattr(fa.flags, flag) == getattr(fn.flags, flag), flag
    offset_n = fn.__array_interface__["data"][0] - n.__array_interface__["data"][0]
    offset_a = fa.__array_interface__["data"][0] - a.__array_interface__["data"][0]
    assert offset_a == offset_n
    assert np.asarray(fa).dtype == fn.dtype
    assert np.asarray(fa).tobytes() == fn.tobytes()


@given(structured_dtypes(), st.integers(0, 3))
def test_structured_dtypes_any_names(dt, size):
    _check_structured(dt, size)


@given(structured_dtypes(NAMES), st.integers(0, 3))
def test_structured_dtypes_plain_names(dt, size):
    _check_structured(dt, size)
    n = np.zeros(max(size, 1), dt)
    a = ac.zeros(max(size, 1), dt)
    names = list(dt.names)[::-1]
    multi_n, multi_a = n[names], a[names]
    assert multi_a.dtype == multi_n.dtype and multi_a.strides == multi_n.strides
    assert multi_a.base is a and multi_a.dtype.itemsize == dt.itemsize


PACKED = np.dtype([("a", "f8"), ("b", "i1"), ("c", "i1")])
ALIGNED = np.dtype([("a", "f8"), ("b", "i1"), ("c", "i1")], align=True)
PADDED = np.dtype({"names": ["a", "b"], "formats": ["i1", "i4"], "offsets": [1, 8],
                   "itemsize": 16})
REORDERED = np.dtype({"names": ["a", "b"], "formats": ["i1", "f8"], "offsets": [8, 0],
                      "itemsize": 16})
OVERLAPPING = np.dtype({"names": ["a", "b"], "formats": ["i4", "i2"],
                        "offsets": [0, 0]})
NESTED = np.dtype([("a", "(2,3)f4"), ("n", [("x", "i2"), ("y", "S3")], (2,)),
                   ("g", "f16")])
TITLED = np.dtype([(("title", "a"), "i4"), ("b", "u1")])
NAMED = [PACKED, ALIGNED, PADDED, REORDERED, OVERLAPPING, NESTED, TITLED]


@pytest.mark.parametrize("dt", NAMED, ids=range(len(NAMED)))
@pytest.mark.parametrize("size", [0, 1, 2, 5])
def test_named_structured_dtypes(dt, size):
    _check_structured(dt, size)
    n, a = np.ones(size, dt), ac.ones(size, dt)
    assert repr(a) == repr(n)
    assert repr(np.asarray(a).dtype) in (repr(dt), repr(np.asarray(n).dtype),
                                          repr(np.asarray(memoryview(n)).dtype)
                                          if _numpy_reads_back(n) else repr(dt))


def test_packed_struct_format_is_numpys_and_reads_back():
    a = ac.ones(3, PACKED)
    assert memoryview(a).format == memoryview(np.ones(3, PACKED)).format == (
        "T{=d:a:b:b:b:c:}")
    assert memoryview(ac.ones(3, ALIGNED)).format == "T{d:a:b:b:b:c:}"
    assert np.asarray(ac.ones(3, PACKED)).dtype == PACKED


def test_unrepresentable_fields_export_numpys_error():
    for dt in (REORDERED, OVERLAPPING):
        assert_same_error(lambda dt=dt: memoryview(np.zeros(2, dt)),
                          lambda dt=dt: memoryview(ac.zeros(2, dt)))
        # NumPy still gets the exact dtype, through __array_interface__.
        x = ac.zeros(2, dt)
        assert np.asarray(x).dtype == dt and np.shares_memory(np.asarray(x),
                                                               np.asarray(x))
        assert x.__array_interface__["descr"] == dt


def test_aligned_struct_keeps_its_flag_in_repr_and_interface():
    a = ac.zeros(2, ALIGNED)
    assert repr(a) == repr(np.zeros(2, ALIGNED))
    assert a.__array_interface__["descr"] == np.zeros(2, ALIGNED).__array_interface__[
        "descr"]


# ------------------------------------------------------------ field access

def test_field_errors_are_numpys():
    dt = np.dtype([("x", "f8"), ("y", "i4")])
    n, a = np.zeros(3, dt), ac.zeros(3, dt)
    for key in ("q", ["x", "q"], ["x", "x"], ["q"]):
        assert_same_error(lambda key=key: n[key], lambda key=key: a[key])

        def assign(x, key=key):
            x[key] = 1

        assert_same_error(lambda: assign(n), lambda: assign(a))
    # Not field keys: ordinary index errors.
    for key in ([0, "x"], b"x", ("x",)):
        assert_same_error(lambda key=key: n[key], lambda key=key: a[key])
    # A plain array has no fields.
    assert_same_error(lambda: np.zeros(3)["x"], lambda: ac.zeros(3)["x"])


def test_field_assignment_writes_in_place():
    dt = np.dtype([("x", "f8"), ("y", "i4"), ("s", "(2,)i2")])
    n, a = np.zeros(3, dt), ac.zeros(3, dt)
    view = a[1:]
    for x in (n, a):
        x["y"] = [1, 2, 3]
        x["s"] = [[1, 2]]
        x[["x", "y"]] = (5.0, 7)
        x["x"][0] = 9.5
    assert np.asarray(a).tobytes() == n.tobytes()
    assert np.asarray(view).tobytes() == n[1:].tobytes()
    sub_n, sub_a = n["s"], a["s"]
    assert sub_a.shape == sub_n.shape and sub_a.strides == sub_n.strides
    a.flags.writeable = False
    n.flags.writeable = False

    def assign(x):
        x["y"] = 1

    assert_same_error(lambda: assign(n), lambda: assign(a))
    assert not a["y"].flags.writeable


def test_field_views_of_views_and_titles():
    n = np.arange(24, dtype=np.uint8).view(TITLED.newbyteorder("=") if False else
                                           np.dtype([(("t", "a"), "i4"),
                                                     ("b", "u1"), ("c", "u1"),
                                                     ("d", "u2")]))
    a = ac.array(n)
    for key in ("a", "t", "b", "d"):
        _check_field(n[::-2], a[::-2], key)
    assert a[::-2]["a"].base is a


# ------------------------------------------------------------ flexible size 0

@pytest.mark.parametrize("make", ["empty", "zeros", "ones"])
@pytest.mark.parametrize("spec", ["S", "U", "S0", "U0", "V", "V0", "c"])
def test_unsized_flexible_creation(make, spec):
    n = getattr(np, make)(3, spec)
    a = getattr(ac, make)(3, spec)
    assert a.dtype == n.dtype and a.itemsize == n.itemsize
    if make != "empty":
        assert np.asarray(a).tobytes() == n.tobytes()
    if n.itemsize:
        n[1] = n.dtype.type(b"z" if n.dtype.kind in "SV" else "z")
        a[1] = n[1]
        assert np.asarray(a[1]).tobytes() == n[1].tobytes()


def test_unsized_flexible_full_array_astype_view():
    pairs = [
        (lambda m: m.full(2, b"abc", "S"), None),
        (lambda m: m.full(2, "abc", "U"), None),
        (lambda m: m.array(["ab", "c"]), None),
        (lambda m: m.array([b"ab", b"c"]), None),
        (lambda m: m.array(["abc", "de"], dtype="S"), None),
        (lambda m: m.asarray([1, 22], dtype="U"), None),
        (lambda m: m.arange(3).astype("V"), None),
        (lambda m: m.arange(3).astype("S"), None),
        (lambda m: m.arange(3.0).astype("U"), None),
        (lambda m: m.zeros(3, "U4").astype("S"), None),
        (lambda m: m.zeros(3, "S4").astype("V"), None),
        (lambda m: m.array(m.arange(3), dtype="S"), None),
        (lambda m: m.asarray(m.arange(3), dtype="U"), None),
        (lambda m: m.array(m.zeros(2, "S4"), dtype="V"), None),
        (lambda m: m.arange(3).view("V"), None),
        (lambda m: m.arange(2, dtype="i1").view("S"), None),
        (lambda m: m.ndarray(2, "S"), None),
        (lambda m: m.zeros(3, "S5").astype("S", copy=False), None),
    ]
    for make, _ in pairs:
        rn, ra = outcome(make, np), outcome(make, ac)
        assert rn[0] == ra[0], (rn, ra)
        if rn[0] == "raise":
            assert rn[1:] == ra[1:]
            continue
        assert ra[1].dtype == rn[1].dtype and ra[1].shape == rn[1].shape
        if rn[1].dtype.itemsize and "empty" not in repr(make):
            assert repr(ra[1]) == repr(rn[1]) or rn[1].dtype.kind == "V"


def test_size_zero_s_writes_are_kept():
    a = ac.zeros(3, "S")
    a[0] = b"x"
    assert a[0] == b"x" and a.dtype == np.dtype("S1")


# ------------------------------------------------------------ subarray dtypes

SUBARRAY_CASES = [
    lambda m: m.zeros(2, dtype="(2,4)i4"),
    lambda m: m.empty((2, 3), "(2,)f8", order="F"),
    lambda m: m.ones((2, 3), "(2,)f8", order="F"),
    lambda m: m.full(2, 3, "(2,)i"),
    lambda m: m.full((2,), [1, 2], "(2,)i"),
    lambda m: m.zeros(2, "(0,)i"),
    lambda m: m.zeros((), "(3,)u1"),
    lambda m: m.ndarray((2,), "(2,3)i1", order="F"),
    lambda m: m.ndarray((2,), "(2,)i4", buffer=bytearray(16), order="F"),
    lambda m: m.ndarray((-1,), "(2,)i4", buffer=bytearray(24)),
    lambda m: m.ndarray((3,), "(2,)i4", buffer=bytearray(16)),
    lambda m: m.zeros((1,) * 63, "(2,2)i"),
    lambda m: m.array([[1, 2], [3, 4]], dtype="(2,)i"),
    lambda m: m.array(m.arange(4), dtype="(2,)i"),
    lambda m: m.asarray(m.arange(4), dtype="(2,)i"),
    lambda m: m.asarray(m.arange(4), dtype="(2,)i", copy=False),
    lambda m: m.array(m.arange(6).reshape(2, 3).T, dtype="(2,)i"),
    lambda m: m.array(m.arange(6).reshape(2, 3).T, dtype="(2,)i", order="C"),
    lambda m: m.arange(4).astype("2i"),
    lambda m: m.arange(4).astype("(2,)i", order="F"),
    lambda m: m.arange(4).reshape(2, 2).astype("(3,)i", order="F"),
    lambda m: m.arange(6).reshape(2, 3).T.astype("(2,)i"),
    lambda m: m.arange(6).reshape(2, 3).T.astype("(2,)i", order="C"),
    lambda m: m.arange(3)[::-1].astype("(2,)i"),
    lambda m: m.arange(4).astype("(2,)i", casting="safe"),
    lambda m: m.arange(4.0).astype("(2,2)f4", casting="same_kind"),
    lambda m: m.arange(3).view("(2,)i4"),
    lambda m: m.arange(3).view("(3,)i8"),
    lambda m: m.arange(4).view("(2,)i8"),
    lambda m: m.arange(4).reshape(2, 2).view("(2,)i4"),
]


VALUE_CASES = {0, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 26, 27, 28, 29}
CAST_CASES = {13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}


@pytest.mark.parametrize("case", range(len(SUBARRAY_CASES)))
def test_subarray_dtypes_add_axes(case):
    make = SUBARRAY_CASES[case]
    with warnings.catch_warnings(record=True) as wn:
        warnings.simplefilter("always")
        rn = outcome(make, np)
    with warnings.catch_warnings(record=True) as wa:
        warnings.simplefilter("always")
        ra = outcome(make, ac)
    assert [(w.category, str(w.message)) for w in wa] == [
        (w.category, str(w.message)) for w in wn]
    assert rn[0] == ra[0], (rn, ra)
    if rn[0] == "raise":
        assert rn[1:] == ra[1:]
        return
    n, a = rn[1], ra[1]
    assert type(a) is ac.ndarray
    assert a.dtype == n.dtype and a.shape == n.shape and a.strides == n.strides
    if case in VALUE_CASES:
        np.testing.assert_array_equal(np.asarray(a), n, strict=True)
    elif case in CAST_CASES and n.size:
        # NumPy fills only the first element of each subarray from a cast
        # (the rest is uninitialised); array_core repeats the element.
        first = (Ellipsis, 0) if n.ndim > a.ndim - 1 else Ellipsis
        np.testing.assert_array_equal(np.asarray(a)[..., 0].reshape(-1)[:1],
                                      n[..., 0].reshape(-1)[:1])
        del first


def test_subarray_astype_is_audited():
    x = ac.arange(4)
    with ac.copy_audit() as log:
        y = x.astype("(2,)i")
    assert len(log) == 1 and log.total_bytes == y.nbytes
    with ac.copy_policy("raise"), pytest.raises(ac.CopyError):
        ac.asarray(x, dtype="(2,)i")


# ------------------------------------------------------------ nested coercion

LONG = np.longdouble(1) + np.finfo(np.longdouble).eps
ZERO_D = [np.array(LONG), np.array(1 + 2j, np.clongdouble),
          np.array(np.datetime64("2020-01-01")), np.array(np.timedelta64(5, "s")),
          np.zeros((), [("a", "i4"), ("b", "f8")]), np.array(b"ab"),
          np.array("xy"), np.array([1.5, 2.5], np.longdouble)]


@pytest.mark.parametrize("value", ZERO_D, ids=lambda v: str(v.dtype))
def test_array_core_arrays_nested_in_sequences(value):
    a = ac.array(value)
    for build in (lambda x: [x], lambda x: [x, x], lambda x: [[x], [x]],
                  lambda x: ([x, x],)):
        n = np.array(build(value))
        r = ac.array(build(a))
        assert r.dtype == n.dtype and r.shape == n.shape
        assert np.asarray(r).tobytes() == n.tobytes()
        r = ac.asarray(build(a))
        assert np.asarray(r).tobytes() == n.tobytes()


def test_long_double_keeps_its_precision_in_operands():
    x = ac.array(LONG)
    assert ac.array([x])[0] - 1 == LONG - 1 != 0
    r = ac.zeros(1, np.longdouble) + [x]
    assert r[0] == LONG
    assert np.add(ac.array([x]), 0)[0] == LONG


# ------------------------------------------------------------ view arguments

@pytest.mark.parametrize("call", [
    lambda x: x.view(None), lambda x: x.view(dtype=None), lambda x: x.view(),
    lambda x: x.view(type=None), lambda x: x.view(None, None),
    lambda x: x.view(1, 2, 3), lambda x: x.view(x=1),
    lambda x: x.view(None, type=None),
    lambda x: x.view("i4", type=3), lambda x: x.view("V"),
])
def test_view_arguments_as_numpy(call):
    rn, ra = outcome(call, np.arange(3)), outcome(call, ac.arange(3))
    assert rn[0] == ra[0], (rn, ra)
    if rn[0] == "raise":
        assert rn[1:] == ra[1:]
    else:
        assert ra[1].dtype == rn[1].dtype and ra[1].shape == rn[1].shape


def test_view_argument_given_twice():
    """A TypeError as in NumPy, in CPython's wording (README: view's named
    parameters keep x.view() on Cython's fast call path)."""
    with pytest.raises(TypeError, match="multiple values for keyword argument 'dtype'"):
        ac.arange(3).view(None, dtype=None)
    with pytest.raises(TypeError, match="given by name"):
        np.arange(3).view(None, dtype=None)


def test_view_type_arguments():
    x = ac.arange(3)
    assert x.view(ac.ndarray).dtype == x.dtype
    assert x.view(dtype=ac.ndarray).dtype == x.dtype
    assert x.view(type=ac.ndarray, dtype=None).dtype == np.float64
    assert_same_error(lambda: np.arange(3).view(np.ndarray, type=np.ndarray),
                      lambda: x.view(ac.ndarray, type=ac.ndarray))


def test_record_scalars_view_the_array():
    dt = np.dtype([("x", "f8"), ("y", "i4")])
    for m in (np, ac):
        z = m.zeros(3, dt)
        item = z[0]
        item["x"] = 5
        z[1]["y"] = 7
        assert type(item) is np.void
        assert np.asarray(z).tolist() == [(5.0, 0), (0.0, 7), (0.0, 0)]
        r = m.zeros(2, dt)
        r.flags.writeable = False

        def assign(r=r):
            r[0]["x"] = 1

        with pytest.raises(ValueError, match="assignment destination is read-only"):
            assign()
    assert repr(ac.zeros(2, dt)[1]) == repr(np.zeros(2, dt)[1])


def test_format_probe_is_thread_safe():
    # The first export of a dtype probes candidate formats; threads exporting
    # the same new dtypes at once must all get the final one.
    import threading

    dtypes = [np.dtype([(f"a{i}", "f8"), ("b", "i1"), ("c", "i1")])
              for i in range(40)]
    errors = []

    def work():
        try:
            for dt in dtypes:
                x = ac.ones(3, dt)
                assert np.asarray(x).dtype == dt
                assert memoryview(x).format.startswith("T{=d:")
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


class _Float32Subclass(np.float32):
    pass


@pytest.mark.parametrize("kind", sorted(
    {*np.sctypeDict.values(), bool, int, float, complex, _Float32Subclass}
    - {np.object_}, key=repr), ids=repr)
def test_scalar_types_give_numpys_dtype(kind):
    # Scalar types are looked up, not converted (array_core._array): the
    # same dtype as NumPy's converter, for its types and for a subclass.
    expected = np.zeros(2, kind).dtype
    assert ac.zeros(2, kind).dtype == expected
    if expected.kind not in "SUV":
        assert ac.arange(3.0).astype(kind).dtype == np.arange(3.0).astype(kind).dtype
