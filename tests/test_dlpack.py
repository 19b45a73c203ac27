"""DLPack both ways: NumPy 2.4's behaviour, zero copies, lifetimes.

NumPy's ``test_dlpack.py`` cases adapted (array_core as producer, consumer
or both), differentially against NumPy: values, strides, flags, shared
memory, exception types and messages.  The capsules are read through
ctypes, with DLPack's structs declared here as its header lays them out, so
versions, flags, strides in elements and the renaming rules are checked on
the tensor itself; a ctypes producer (a tensor made here, with a deleter
that counts its calls) checks from_dlpack on what NumPy never exports.
"""
import ctypes
import gc
import sys
import threading
import warnings
import weakref

import numpy as np
import pytest
from _strategies import layouts
from hypothesis import given

import array_core as ac

# ------------------------------------------------------------ DLPack's structs


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8),
                ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice),
                ("ndim", ctypes.c_int32), ("dtype", DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p)]


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p), ("flags", ctypes.c_uint64),
                ("dl_tensor", DLTensor)]


READ_ONLY, IS_COPIED = 1, 2
DELETER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)  # called without the GIL

_api = ctypes.pythonapi
_api.PyCapsule_GetName.restype = ctypes.c_char_p
_api.PyCapsule_GetName.argtypes = [ctypes.py_object]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_SetName.restype = ctypes.c_int
_api.PyCapsule_SetName.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_New.restype = ctypes.py_object
_api.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

# A capsule keeps its name's pointer: these bytes live as long as the module.
NAMES = {name: name.encode() for name in (
    "dltensor", "dltensor_versioned", "used_dltensor", "used_dltensor_versioned")}


def capsule_name(capsule):
    return _api.PyCapsule_GetName(capsule).decode()


def managed_tensor(capsule):
    """The ``DLManagedTensor[Versioned]`` a producer's capsule holds."""
    name = capsule_name(capsule)
    kind = DLManagedTensorVersioned if name == "dltensor_versioned" else DLManagedTensor
    return kind.from_address(_api.PyCapsule_GetPointer(capsule, NAMES[name]))


def tensor_layout(capsule):
    t = managed_tensor(capsule).dl_tensor
    shape = tuple(t.shape[i] for i in range(t.ndim))
    strides = tuple(t.strides[i] for i in range(t.ndim)) if t.strides else None
    return (t.device.device_type, t.device.device_id), t.ndim, shape, strides, (
        t.dtype.code, t.dtype.bits, t.dtype.lanes), t.data, t.byte_offset


def consume_by_hand(capsule):
    """Consume ``capsule`` as a consumer does: rename it, keep the deleter."""
    name = capsule_name(capsule)
    managed = managed_tensor(capsule)
    assert _api.PyCapsule_SetName(capsule, NAMES["used_" + name]) == 0
    return ctypes.addressof(managed), managed.deleter


# ------------------------------------------------------------ helpers

def outcome(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - compared with NumPy's
        return e


def assert_same_error(got, expected):
    assert isinstance(expected, Exception), expected
    assert isinstance(got, Exception), f"NumPy raised {expected!r}, not {got!r}"
    assert (type(got), str(got)) == (type(expected), str(expected))


def numpy_layouts():
    """NumPy arrays of every layout the export must keep as it is."""
    base = np.arange(24.0).reshape(2, 3, 4)
    return {
        "C": base,
        "F": np.asfortranarray(base),
        "transposed": base.transpose(2, 0, 1),
        "negative": base[::-1, :, ::-2],
        "strided": base[:, ::2, 1::3],
        "0-d": np.array(3.5),
        "0-d view": base[1, 2, 3, ...],
        "empty": np.zeros((0, 3)),
        "empty strided": base[:, :0:, ::2],
        "size-1 axes": np.ndarray((10, 5, 1), "f8", np.ones(1000, np.uint8),
                                  strides=(8, 80, 4), order="F"),
        "broadcast": np.broadcast_arrays(np.arange(3.0), np.zeros((2, 3)))[0],
        "read-only broadcast": np.broadcast_to(np.arange(3.0), (4, 3)),
        "read-only": base[0].copy(),
    }


LAYOUTS = numpy_layouts()
LAYOUTS["read-only"].flags.writeable = False


def writeable(n):
    """``n.flags.writeable``, without broadcast_arrays' FutureWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return n.flags.writeable


def same_layout_array_core(n):
    """An array_core array with ``n``'s shape, strides, flags and values, in
    memory array_core allocated (a view of an owner laid out as ``n``'s)."""
    root = n
    while isinstance(root.base, np.ndarray):
        root = root.base
    raw = root.ravel(order="K").view(np.uint8)  # (root is contiguous)
    owner = ac.zeros(raw.size, np.uint8)
    owner[:] = raw
    offset = (n.__array_interface__["data"][0]
              - root.__array_interface__["data"][0])
    a = ac.ndarray(n.shape, n.dtype, buffer=owner, offset=offset,
                   strides=n.strides)
    if not writeable(n):
        a.flags.writeable = False
    return a


DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
          np.uint32, np.uint64, np.float16, np.float32, np.float64,
          np.complex64, np.complex128]


# ------------------------------------------------------------ the producer

def test_device():
    a = ac.arange(5)
    assert a.__dlpack_device__() == (1, 0) == np.arange(5).__dlpack_device__()
    assert a[::2].__dlpack_device__() == (1, 0)
    assert ac.from_dlpack(a).__dlpack_device__() == (1, 0)


@pytest.mark.parametrize("max_version, name", [
    (None, "dltensor"), ((0, 0), "dltensor"), ((0, 9), "dltensor"),
    ((1, 0), "dltensor_versioned"), ((1, 5), "dltensor_versioned"),
    ((100, 3), "dltensor_versioned"),
])
def test_capsule_kind_follows_max_version(max_version, name):
    a = ac.arange(5)
    capsule = a.__dlpack__(max_version=max_version)
    assert capsule_name(capsule) == name
    assert capsule_name(np.arange(5).__dlpack__(max_version=max_version)) == name
    if name == "dltensor_versioned":
        managed = managed_tensor(capsule)
        assert (managed.version.major, managed.version.minor) == (1, 0)
        assert managed.flags == 0


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("max_version", [None, (1, 0)])
def test_tensor_fields_are_numpys(layout, max_version):
    n = LAYOUTS[layout]
    a = same_layout_array_core(n)
    assert (a.shape, a.strides) == (n.shape, n.strides)
    got = outcome(lambda: a.__dlpack__(max_version=max_version))
    expected = outcome(lambda: n.__dlpack__(max_version=max_version))
    if isinstance(expected, Exception):
        assert_same_error(got, expected)
        return
    device, nd, shape, strides, dtype, data, offset = tensor_layout(got)
    assert (device, nd, shape, strides, dtype) == tensor_layout(expected)[:5]
    assert offset == 0
    assert data == a.__array_interface__["data"][0]
    if max_version is not None:
        assert managed_tensor(got).flags == managed_tensor(expected).flags


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_codes_are_numpys(dtype):
    a = ac.arange(5).astype(dtype)
    n = np.arange(5).astype(dtype)
    for max_version in [None, (1, 0)]:
        assert (tensor_layout(a.__dlpack__(max_version=max_version))[4]
                == tensor_layout(n.__dlpack__(max_version=max_version))[4])
    y = np.from_dlpack(a)
    assert y.dtype == n.dtype
    np.testing.assert_array_equal(y, n)
    assert np.shares_memory(y, a)


def refusals():
    """(name, NumPy array, call) of everything NumPy refuses to export."""
    field = np.zeros(5, dtype=[("int", np.int32), ("char", np.int8)])["int"]
    readonly = np.arange(5)
    readonly.flags.writeable = False
    swapped = np.arange(5, dtype=np.dtype("=i8").newbyteorder())
    cases = [("field strides", field, {}), ("field strides, versioned", field,
                                             {"max_version": (1, 0)}),
             ("read-only legacy", readonly, {}),
             ("read-only (0, 5)", readonly, {"max_version": (0, 5)}),
             ("byte-swapped", swapped, {"max_version": (1, 0)}),
             ("byte-swapped float", np.ones(3, ">f8"), {"max_version": (1, 0)}),
             ("stream", np.arange(3), {"stream": 1}),
             ("stream 0", np.arange(3), {"stream": 0}),
             ("device", np.arange(3), {"dl_device": (10, 0)}),
             ("device id", np.arange(3), {"dl_device": (1, 1)}),
             ("device list", np.arange(3), {"dl_device": [1, 0]}),
             ("device short", np.arange(3), {"dl_device": (1,)}),
             ("device str", np.arange(3), {"dl_device": (1, "a")}),
             ("device huge", np.arange(3), {"dl_device": (2**40, 0)}),
             ("device before copy", np.arange(3), {"dl_device": (5, 0), "copy": "a"}),
             ("copy str", np.arange(3), {"copy": "x"}),
             ("copy array", np.arange(3), {"copy": np.array([1, 2, 3])}),
             ("max_version int", np.arange(3), {"max_version": 1}),
             ("max_version short", np.arange(3), {"max_version": (1,)}),
             ("max_version list", np.arange(3), {"max_version": [1, 0]}),
             ("max_version float", np.arange(3), {"max_version": (1.5, 0)}),
             ("max_version huge", np.arange(3), {"max_version": (2**70, 0)}),
             ("max_version before stream", np.arange(3),
              {"stream": 1, "max_version": 3}),
             ("copy=True still refuses the dtype", swapped, {"copy": True})]
    for dt in ["g", "G", "M8[s]", "m8[s]", "S3", "U2", "V4", "i4,i4", "(2,)i4,f8"]:
        for mv in [None, (1, 0)]:
            cases.append((f"{dt} {mv}", np.zeros(3, dt), {"max_version": mv}))
    return cases


@pytest.mark.parametrize("name, n, kwargs", refusals(), ids=[c[0] for c in refusals()])
def test_refusals_are_numpys(name, n, kwargs):
    a = same_layout_array_core(n)
    assert_same_error(outcome(lambda: a.__dlpack__(**kwargs)),
                      outcome(lambda: n.__dlpack__(**kwargs)))


@pytest.mark.parametrize("call", [
    lambda a: a.__dlpack__(1), lambda a: a.__dlpack__(foo=1)])
def test_bad_calls_are_type_errors(call):
    assert isinstance(outcome(lambda: call(ac.arange(3))), TypeError)
    assert isinstance(outcome(lambda: call(np.arange(3))), TypeError)


def test_arguments_numpy_accepts():
    a = ac.arange(5)
    for kwargs in [{"stream": None}, {"copy": None}, {"copy": False},
                   {"copy": True}, {"dl_device": (1, 0)}, {"dl_device": None},
                   {"copy": np._CopyMode.IF_NEEDED}, {"max_version": (1, 0)}]:
        a.__dlpack__(**kwargs)
        np.arange(5).__dlpack__(**kwargs)


def test_read_only_exports_flagged_to_versioned_consumers():
    a = ac.arange(5)
    a.flags.writeable = False
    capsule = a.__dlpack__(max_version=(1, 0))
    assert managed_tensor(capsule).flags == READ_ONLY
    y = np.from_dlpack(a)
    assert not y.flags.writeable and np.shares_memory(y, a)


def test_copy_true_goes_through_the_choke_point():
    a = ac.arange(6.0).reshape(2, 3).T
    a.flags.writeable = False
    with ac.copy_audit() as log:
        capsule = a.__dlpack__(copy=True)     # legacy consumer: a copy is writable
        versioned = a.__dlpack__(copy=True, max_version=(1, 0))
    assert [(r.operation, r.category, r.nbytes) for r in log] == [
        ("__dlpack__", "explicit", 48)] * 2
    assert managed_tensor(versioned).flags == IS_COPIED
    # NumPy's copy is order K: the transposed layout is kept.
    assert tensor_layout(capsule)[3] == tensor_layout(
        np.arange(6.0).reshape(2, 3).T.__dlpack__(copy=True))[3] == (1, 3)
    y = np.from_dlpack(a, copy=True)
    assert not np.shares_memory(y, a) and y.flags.writeable
    np.testing.assert_array_equal(y, np.asarray(a))
    with ac.copy_policy("raise"):
        np.from_dlpack(a, copy=True)          # explicit: always allowed


def test_copy_false_and_none_share_memory():
    a = ac.arange(5)
    assert np.shares_memory(np.from_dlpack(a), a)
    assert np.shares_memory(np.from_dlpack(a, copy=False), a)
    assert not np.shares_memory(np.from_dlpack(a, copy=True), a)


def test_copy_true_exports_what_the_strides_refuse():
    # NumPy copies first: a packed field exports as a copy.
    n = np.zeros(5, dtype=[("int", np.int32), ("char", np.int8)])["int"]
    a = ac.zeros(5, dtype=[("int", np.int32), ("char", np.int8)])["int"]
    assert tensor_layout(a.__dlpack__(copy=True))[3] == tensor_layout(
        n.__dlpack__(copy=True))[3] == (1,)


@pytest.mark.parametrize("ndim", range(65))
def test_higher_dims(ndim):
    a = ac.zeros((1,) * ndim)
    assert np.from_dlpack(a).shape == (1,) * ndim
    assert ac.from_dlpack(np.zeros((1,) * ndim)).shape == (1,) * ndim


# ------------------------------------------------------------ round trips

@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_numpy_consumes_array_core_zero_copy(layout):
    n = LAYOUTS[layout]
    a = same_layout_array_core(n)
    got = outcome(lambda: np.from_dlpack(a))
    expected = outcome(lambda: np.from_dlpack(n))
    if isinstance(expected, Exception):
        assert_same_error(got, expected)
        return
    assert type(got) is np.ndarray
    assert (got.shape, got.strides, got.dtype) == (
        expected.shape, expected.strides, expected.dtype)
    assert got.flags.writeable == expected.flags.writeable
    np.testing.assert_array_equal(got, expected)
    assert got.__array_interface__["data"][0] == a.__array_interface__["data"][0]
    if a.size:
        assert np.shares_memory(got, a)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_array_core_consumes_numpy_zero_copy(layout):
    n = LAYOUTS[layout]
    got = outcome(lambda: ac.from_dlpack(n))
    expected = outcome(lambda: np.from_dlpack(n))
    if isinstance(expected, Exception):
        assert_same_error(got, expected)
        return
    assert type(got) is ac.ndarray
    assert (got.shape, got.strides, got.dtype) == (
        expected.shape, expected.strides, expected.dtype)
    assert got.flags.writeable == expected.flags.writeable
    assert got.flags.owndata == expected.flags.owndata is False
    assert (got.flags.c_contiguous, got.flags.f_contiguous) == (
        expected.flags.c_contiguous, expected.flags.f_contiguous)
    assert repr(got.base).split(" at ")[0] == repr(expected.base).split(" at ")[0]
    np.testing.assert_array_equal(np.asarray(got), expected)
    assert got.__array_interface__["data"][0] == n.__array_interface__["data"][0]
    if n.size:
        assert np.shares_memory(got, n)
    # ... and back: still the same memory.
    back = np.from_dlpack(got)
    assert back.__array_interface__["data"][0] == n.__array_interface__["data"][0]
    assert back.strides == expected.strides


@given(layouts(dtypes=[np.dtype(t) for t in DTYPES]))
def test_round_trips_on_any_layout(layout):
    n0, n, a0, a = layout.build()
    for consumer, producer, other in [(np.from_dlpack, a, n), (ac.from_dlpack, n, a),
                                      (ac.from_dlpack, a, n)]:
        got = outcome(consumer, producer)
        expected = outcome(np.from_dlpack, other)
        if isinstance(expected, Exception):
            assert_same_error(got, expected)
            continue
        assert (got.shape, got.strides, got.dtype, got.flags.writeable) == (
            expected.shape, expected.strides, expected.dtype,
            expected.flags.writeable)
        assert (got.__array_interface__["data"][0]
                == producer.__array_interface__["data"][0])
        np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("versioned", [True, False])
def test_dtypes_round_trip(dtype, versioned):
    n = np.arange(6).astype(dtype).reshape(2, 3)[:, ::-1]
    producer = n if versioned else OldDLPack(n)
    a = ac.from_dlpack(producer)
    assert a.dtype == n.dtype and np.shares_memory(a, n)
    assert a.flags.writeable == versioned  # a legacy capsule is read-only
    np.testing.assert_array_equal(np.asarray(a), n)
    b = np.from_dlpack(a)
    assert b.dtype == n.dtype and np.shares_memory(b, n)


def test_writes_go_both_ways():
    n = np.zeros(4)
    a = ac.from_dlpack(n)
    a[1] = 5.0
    n[2] = 7.0
    assert n.tolist() == [0.0, 5.0, 7.0, 0.0] and a.tolist() == n.tolist()
    b = np.from_dlpack(a)
    b[3] = 9.0
    assert a[3] == 9.0 and n[3] == 9.0


def test_read_only_imports_stay_read_only():
    n = np.arange(5)
    n.flags.writeable = False
    a = ac.from_dlpack(n)
    assert not a.flags.writeable
    expected = outcome(lambda: setattr(np.from_dlpack(n).flags, "writeable", True))
    got = outcome(lambda: setattr(a.flags, "writeable", True))
    assert type(got) is type(expected) is ValueError
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 1
    assert not a[1:].flags.writeable


class OldDLPack:
    """A producer of the old protocol: ``__dlpack__(stream=None)`` only."""

    def __init__(self, array):
        self.array = array

    def __dlpack__(self, stream=None):
        return self.array.__dlpack__(stream=stream)

    def __dlpack_device__(self):
        return (1, 0)


def test_old_producers_are_asked_again_without_keywords():
    n = np.arange(5)
    a = ac.from_dlpack(OldDLPack(n))
    assert np.shares_memory(a, n) and not a.flags.writeable
    assert repr(a.base).startswith('<capsule object "numpy_dltensor"')
    # Not when copy or device is given (NumPy's rule): the TypeError stands.
    for kwargs in [{"copy": False}, {"device": "cpu"}]:
        assert_same_error(outcome(ac.from_dlpack, OldDLPack(n), **kwargs),
                          outcome(np.from_dlpack, OldDLPack(n), **kwargs))


@pytest.mark.parametrize("kwargs", [{"device": "gpu"}, {"device": 1},
                                    {"device": (1, 0)}, {"copy": "x"}])
def test_from_dlpack_argument_errors_are_numpys(kwargs):
    n = np.arange(3)
    assert_same_error(outcome(lambda: ac.from_dlpack(n, **kwargs)),
                      outcome(lambda: np.from_dlpack(n, **kwargs)))


def test_from_dlpack_errors_are_numpys():
    for x in [1, "x", [1, 2]]:
        assert_same_error(outcome(ac.from_dlpack, x), outcome(np.from_dlpack, x))
    for _, n, _ in refusals():
        expected = outcome(np.from_dlpack, n)
        if isinstance(expected, Exception):
            assert_same_error(outcome(ac.from_dlpack, n), expected)
            a = same_layout_array_core(n)
            assert_same_error(outcome(np.from_dlpack, a), expected)
            assert_same_error(outcome(ac.from_dlpack, a), expected)


def test_from_dlpack_device_cpu():
    n = np.arange(5)
    assert np.shares_memory(ac.from_dlpack(n, device="cpu"), n)
    assert np.shares_memory(ac.from_dlpack(n, device=None), n)


def test_from_dlpack_copy():
    n = np.arange(6.0).reshape(2, 3).T
    assert np.shares_memory(ac.from_dlpack(n, copy=False), n)
    with ac.copy_audit() as log:
        c = ac.from_dlpack(n, copy=True)
    assert [(r.operation, r.category, r.nbytes) for r in log] == [
        ("from_dlpack", "explicit", 48)]
    assert not np.shares_memory(c, n) and c.flags.owndata and c.base is None
    assert c.strides == n.strides  # order K, as NumPy's copy
    a = ac.asarray(n)
    with ac.copy_audit() as log:
        c = ac.from_dlpack(a, copy=True)
    assert [(r.operation, r.nbytes) for r in log] == [("from_dlpack", 48)]
    assert c.strides == a.strides and not np.shares_memory(c, a)
    # What only the producer can copy: its own copy, zero-copy imported.
    field = np.zeros(5, dtype=[("int", np.int32), ("char", np.int8)])["int"]
    assert ac.from_dlpack(field, copy=True).strides == (4,)
    assert_same_error(outcome(lambda: ac.from_dlpack(field)),
                      outcome(lambda: np.from_dlpack(field)))
    swapped = ac.arange(3, dtype=">i4")
    assert_same_error(outcome(lambda: ac.from_dlpack(swapped, copy=True)),
                      outcome(lambda: np.from_dlpack(np.arange(3, dtype=">i4"),
                                                     copy=True)))


# ------------------------------------------------------------ a ctypes producer

class CtypesProducer:
    """A tensor made here with ctypes over ``array``'s memory, with a deleter
    that counts its calls: whatever a producer may hand over."""

    def __init__(self, array, *, versioned=True, flags=0, version=(1, 0),
                 device=(1, 0), dtype=None, strides=True, byte_offset=0,
                 ndim=None):
        self.array = array
        self.deleted = 0
        self.versioned = versioned
        nd = array.ndim if ndim is None else ndim
        self.shape = (ctypes.c_int64 * max(nd, 1))(*array.shape)
        self.strides = (ctypes.c_int64 * max(nd, 1))(
            *[s // array.itemsize for s in array.strides])
        self.deleter = DELETER(self._delete)
        m = DLManagedTensorVersioned() if versioned else DLManagedTensor()
        if versioned:
            m.version.major, m.version.minor = version
            m.flags = flags
        m.deleter = ctypes.cast(self.deleter, ctypes.c_void_p)
        t = m.dl_tensor
        t.data = array.__array_interface__["data"][0] - byte_offset
        t.byte_offset = byte_offset
        t.device.device_type, t.device.device_id = device
        t.ndim = nd
        code = {"b": 6, "i": 0, "u": 1, "f": 2, "c": 5}[array.dtype.kind]
        t.dtype.code, t.dtype.bits, t.dtype.lanes = dtype or (
            code, 8 * array.itemsize, 1)
        t.shape = self.shape
        t.strides = self.strides if strides else None
        self.managed = m

    def _delete(self, address):
        assert address == ctypes.addressof(self.managed)
        self.deleted += 1

    def __dlpack__(self, **kwargs):
        name = NAMES["dltensor_versioned" if self.versioned else "dltensor"]
        # No capsule destructor: an unconsumed capsule calls nothing.
        return _api.PyCapsule_New(ctypes.addressof(self.managed), name, None)

    def __dlpack_device__(self):
        return (1, 0)


@pytest.mark.parametrize("versioned", [True, False])
def test_the_deleter_runs_once_when_the_last_array_dies(versioned):
    n = np.arange(12.0).reshape(3, 4)
    p = CtypesProducer(n, versioned=versioned)
    a = ac.from_dlpack(p)
    assert np.shares_memory(a, n) and a.flags.writeable == versioned
    views = [a[1:], a.T, a.reshape(12)]
    exported = np.from_dlpack(a) if versioned else None
    del a
    gc.collect()
    assert p.deleted == 0
    views.clear()
    assert p.deleted == 0 if versioned else p.deleted == 1
    del exported
    gc.collect()
    assert p.deleted == 1


def test_a_ctypes_tensor_is_read_as_numpy_reads_it():
    n = np.arange(12, dtype=np.int32).reshape(3, 4)
    for kwargs in [{}, {"flags": READ_ONLY}, {"strides": False},
                   {"byte_offset": 16}, {"device": (3, 0)}, {"device": (13, 0)}]:
        p, q = CtypesProducer(n, **kwargs), CtypesProducer(n, **kwargs)
        a, e = ac.from_dlpack(p), np.from_dlpack(q)
        assert (a.shape, a.strides, a.flags.writeable) == (
            e.shape, e.strides, e.flags.writeable)
        assert a.__array_interface__["data"][0] == e.__array_interface__["data"][0]
        np.testing.assert_array_equal(np.asarray(a), e)
        del a, e
        assert p.deleted == q.deleted == 1


@pytest.mark.parametrize("kwargs", [
    {"version": (2, 0)}, {"device": (2, 0)}, {"device": (10, 0)},
    {"dtype": (2, 32, 4)}, {"dtype": (2, 8, 1)}, {"dtype": (4, 16, 1)},
    {"dtype": (6, 16, 1)}, {"dtype": (5, 32, 1)}, {"ndim": 65},
])
def test_tensors_numpy_refuses(kwargs):
    n = np.arange(4.0)
    p, q = CtypesProducer(n, **kwargs), CtypesProducer(n, **kwargs)
    got = outcome(lambda: ac.from_dlpack(p))
    expected = outcome(lambda: np.from_dlpack(q))
    if "version" in kwargs:  # NumPy's message names NumPy
        assert type(got) is type(expected) is BufferError
        assert "array_core" in str(got)
    else:
        assert_same_error(got, expected)
    gc.collect()
    assert p.deleted == q.deleted == 0  # refused: not consumed


def test_a_tensor_of_absurd_layout_is_refused_not_read():
    n = np.arange(4.0)
    p = CtypesProducer(n)
    p.shape[0] = -1
    assert_same_error(outcome(lambda: ac.from_dlpack(p)),
                      ValueError("negative dimensions are not allowed"))
    p.shape[0] = 4
    p.strides[0] = 2**62
    assert isinstance(outcome(lambda: ac.from_dlpack(p)), ValueError)
    assert p.deleted == 0


def test_a_capsule_that_is_not_dlpack():
    class Bad:
        def __dlpack__(self, **kwargs):
            return _api.PyCapsule_New(1, b"something", None)

    assert_same_error(outcome(lambda: ac.from_dlpack(Bad())),
                      outcome(lambda: np.from_dlpack(Bad())))

    class NotACapsule:
        def __dlpack__(self, **kwargs):
            return 42

    assert_same_error(outcome(lambda: ac.from_dlpack(NotACapsule())),
                      outcome(lambda: np.from_dlpack(NotACapsule())))


# ------------------------------------------------------------ lifetimes

@pytest.mark.parametrize("max_version", [(0, 0), None, (1, 0), (100, 3)])
def test_dunder_dlpack_refcount(max_version):
    x = ac.arange(5)
    y = x.__dlpack__(max_version=max_version)
    startcount = sys.getrefcount(x)
    del y
    assert startcount - sys.getrefcount(x) == 1


@pytest.mark.parametrize("old", [False, True])
def test_from_dlpack_refcount(old):
    arr = ac.arange(5)
    y = ac.from_dlpack(OldDLPack(arr) if old else arr)
    startcount = sys.getrefcount(arr)
    del y
    assert startcount - sys.getrefcount(arr) == 1
    n = np.arange(5)
    y = ac.from_dlpack(n)
    startcount = sys.getrefcount(n)
    del y
    assert startcount - sys.getrefcount(n) == 1


@pytest.mark.parametrize("max_version", [None, (1, 0)])
def test_a_capsule_never_consumed_releases_the_array(max_version):
    a = ac.arange(5)
    ref = weakref.ref(a)
    capsule = a.__dlpack__(max_version=max_version)
    del a
    gc.collect()
    assert ref() is not None
    del capsule
    assert ref() is None


@pytest.mark.parametrize("max_version", [None, (1, 0)])
def test_a_consumed_capsule_leaves_the_deleter_to_the_consumer(max_version):
    a = ac.arange(5)
    ref = weakref.ref(a)
    capsule = a.__dlpack__(max_version=max_version)
    address, deleter = consume_by_hand(capsule)
    del a, capsule                  # renamed: the capsule deletes nothing
    gc.collect()
    assert ref() is not None
    DELETER(deleter)(address)       # through ctypes: without the GIL
    assert ref() is None


def test_numpy_consuming_keeps_the_memory_until_its_array_dies():
    a = ac.arange(5.0)
    ref = weakref.ref(a)
    y = np.from_dlpack(a)
    z = y[1:]
    del a, y
    gc.collect()
    assert ref() is not None and z.tolist() == [1.0, 2.0, 3.0, 4.0]
    del z
    assert ref() is None


def dlpack_deleter_exception(max_version):
    x = ac.arange(5)
    _ = x.__dlpack__(max_version=max_version)
    raise RuntimeError


@pytest.mark.parametrize("max_version", [None, (1, 0)])
def test_dlpack_destructor_exception(max_version):
    with pytest.raises(RuntimeError):
        dlpack_deleter_exception(max_version=max_version)


def references_kept(call, *objects, repeat=3):
    gc.collect()
    before = [sys.getrefcount(o) for o in objects]
    for _ in range(repeat):
        outcome(call)
    gc.collect()
    after = [sys.getrefcount(o) for o in objects]
    return [n - b for n, b in zip(after, before, strict=True)]


def test_error_paths_release_everything():
    a = ac.arange(6.0)
    r = ac.arange(3)
    r.flags.writeable = False
    s = ac.arange(3, dtype=">i4")
    for call in [lambda: a.__dlpack__(stream=1), lambda: a.__dlpack__(copy="x"),
                 lambda: a.__dlpack__(dl_device=(2, 0)),
                 lambda: a.__dlpack__(max_version=(1.5, 0)),
                 lambda: a.__dlpack__(max_version=(1, 0)),
                 lambda: a.__dlpack__(copy=True),
                 lambda: ac.from_dlpack(a), lambda: np.from_dlpack(a),
                 lambda: ac.from_dlpack(a, device="gpu"),
                 lambda: ac.from_dlpack(a, copy=True)]:
        assert references_kept(call, a) == [0], call
    for call in [lambda: r.__dlpack__(), lambda: s.__dlpack__(max_version=(1, 0)),
                 lambda: s.__dlpack__(copy=True), lambda: ac.from_dlpack(s)]:
        assert references_kept(call, r, s) == [0, 0]
    n = np.arange(4.0)
    for call in [lambda: ac.from_dlpack(n), lambda: ac.from_dlpack(n, copy=True)]:
        assert references_kept(call, n) == [0]


def test_no_export_stays_counted():
    # After every export is gone a lazy copy is lazy again: nothing counted
    # on the Buffer was left behind.
    a = ac.arange(6.0)
    for call in [lambda: a.__dlpack__(), lambda: a.__dlpack__(max_version=(1, 0)),
                 lambda: np.from_dlpack(a), lambda: ac.from_dlpack(a),
                 lambda: consume_by_hand(a.__dlpack__())]:
        result = call()
        if isinstance(result, tuple):
            DELETER(result[1])(result[0])
        del result
        gc.collect()
        with ac.copy_audit() as log:
            a.copy(lazy=True)
        assert [r.category for r in log] == ["lazy"]


def test_capsules_and_arrays_dropped_from_another_thread():
    keep = []
    refs = []
    for i in range(50):
        a = ac.arange(float(i + 1))
        refs.append(weakref.ref(a))
        keep.append(a.__dlpack__(max_version=(1, 0) if i % 2 else None))
        keep.append(np.from_dlpack(a))
        keep.append(ac.from_dlpack(a[::2]))
        keep.append(consume_by_hand(a.__dlpack__(max_version=(1, 0))))
    del a
    gc.collect()
    assert all(r() is not None for r in refs)

    def drop():
        while keep:
            item = keep.pop()
            if isinstance(item, tuple):
                DELETER(item[1])(item[0])   # the consumer's deleter, GIL released
            del item

    threads = [threading.Thread(target=drop) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gc.collect()
    assert all(r() is None for r in refs)


# ------------------------------------------------------------ lazy copies

@pytest.mark.parametrize("export", [
    lambda b: np.from_dlpack(b), lambda b: b.__dlpack__(),
    lambda b: b.__dlpack__(max_version=(1, 0)), lambda b: ac.from_dlpack(b)],
    ids=["numpy", "legacy", "versioned", "array_core"])
def test_a_lazy_copy_exported_writable_materialises_once(export):
    a = ac.arange(1000.0)
    b = a.copy(lazy=True)
    with ac.copy_audit() as log:
        exported = export(b)
    assert [(r.category, r.nbytes) for r in log] == [("lazy-materialise", 8000)]
    if isinstance(exported, np.ndarray | ac.ndarray):
        assert exported.flags.writeable
        exported[0] = -1.0
        assert b[0] == -1.0
    assert a[0] == 0.0
    # Counted as a writable export while it lives: b's memory is not shared.
    with ac.copy_audit() as log:
        b.copy(lazy=True)
    assert [r.category for r in log] == ["explicit"]
    del exported
    gc.collect()
    with ac.copy_audit() as log:
        b.copy(lazy=True)
    assert [(r.category, r.nbytes) for r in log] == [("lazy", 0)]


@pytest.mark.parametrize("side", ["source", "copy"])
def test_a_read_only_export_of_a_lazy_copy_never_sees_later_writes(side):
    a = ac.arange(6.0)
    b = a.copy(lazy=True)
    exported_side, other = (b, a) if side == "copy" else (a, b)
    view = exported_side[:]
    view.flags.writeable = False
    with ac.copy_audit() as log:
        y = np.from_dlpack(view)            # versioned, read-only flag
        z = ac.from_dlpack(view)
    assert len(log) == 0                    # pinned, not materialised
    assert not y.flags.writeable and not z.flags.writeable
    assert np.shares_memory(y, exported_side)
    other[0] = 99.0                         # the other side moves
    assert y[0] == 0.0 and z[0] == 0.0
    assert other[0] == 99.0


def test_a_read_only_array_is_pinned_by_its_export():
    a = ac.arange(6.0)
    b = a.copy(lazy=True)
    b.flags.writeable = False
    capsule = b.__dlpack__(max_version=(1, 0))
    assert managed_tensor(capsule).flags == READ_ONLY
    a[:] = 5.0
    address = managed_tensor(capsule).dl_tensor.data
    assert np.frombuffer((ctypes.c_double * 6).from_address(address)).tolist() == [
        0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    del capsule


def test_copy_true_of_a_lazy_copy_copies_once():
    a = ac.arange(1000.0)
    b = a.copy(lazy=True)
    with ac.copy_audit() as log:
        c = ac.from_dlpack(b, copy=True)
        d = b.__dlpack__(copy=True)
    assert [r.operation for r in log] == ["from_dlpack", "__dlpack__"]
    assert not np.shares_memory(c, b)
    del d
    with ac.copy_audit() as log:
        b[0] = 1.0                           # still lazily shared until now
    assert [r.category for r in log] == ["lazy-materialise"]
    assert a[0] == 0.0 and c[0] == 0.0


@pytest.mark.parametrize("name", ["__dlpack__", "__dlpack_device__"])
def test_method_examples_run(name):
    from _examples import run_examples

    run_examples(getattr(ac.ndarray, name), name)
