"""Lazy copy-on-write: ``x.copy(lazy=True)`` behaves exactly like ``x.copy()``.

Every test runs the same program twice, once with lazy copies and once with
eager NumPy copies, and compares everything that can be read.
"""
import gc
import io
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import array_core as ac


def test_lazy_copy_is_an_owner_with_the_layout_of_a_copy():
    x = ac.arange(12.0).reshape(3, 4)
    for order in "CFAK":
        lazy = x.copy(order=order, lazy=True)
        eager = np.arange(12.0).reshape(3, 4).copy(order=order)
        assert lazy.base is None
        assert lazy.flags.owndata
        assert lazy.strides == eager.strides
        assert lazy.flags == ac.asarray(eager).flags or (
            lazy.flags.c_contiguous == eager.flags.c_contiguous
            and lazy.flags.f_contiguous == eager.flags.f_contiguous)
        np.testing.assert_array_equal(lazy, eager)


def test_lazy_copy_shares_memory_until_written():
    x = ac.arange(6.0)
    y = x.copy(lazy=True)
    with ac.copy_audit() as log:
        assert y[2] == 2.0
        assert repr(y) == repr(np.arange(6.0))
        assert np.sum(y) == 15.0
        assert (y > 2).tolist() == [False, False, False, True, True, True]
        _ = y.T, y[1:], y.reshape(2, 3)
    assert len(log) == 0
    y[0] = 100.0
    assert x[0] == 0.0
    assert y[0] == 100.0


@pytest.mark.parametrize("side", ["source", "copy"])
def test_first_write_materialises_exactly_once(side):
    x = ac.arange(1000.0)
    y = ac.copy(x, lazy=True)
    writer = x if side == "source" else y
    with ac.copy_audit() as log:
        writer[0] = -1.0
        writer[1] = -2.0
        writer[2:5] = 7.0
        (x if side == "copy" else y)[5] = 3.0
    records = [r for r in log if r.category == "lazy-materialise"]
    assert len(records) == 1
    assert records[0].nbytes == 8000
    other = y if side == "source" else x
    assert other[0] == 0.0 and other[1] == 1.0 and other[4] == 4.0


def test_a_lazy_copy_shares_no_memory_with_its_source():
    x = ac.arange(10)
    y = x.copy(lazy=True)
    z = y[2:]
    assert not ac.shares_memory(x, y) and not ac.may_share_memory(x, y)
    assert not ac.shares_memory(z, x) and not ac.shares_memory(y, x.copy(lazy=True))
    assert ac.shares_memory(y, z) and ac.may_share_memory(z, y)
    with ac.copy_audit() as log:
        ac.shares_memory(x, y)
    assert len(log) == 0


def test_write_through_a_view_of_the_source():
    x = ac.arange(10)
    v = x[::2]
    y = x.copy(lazy=True)
    v[1] = 99
    assert x[2] == 99
    np.testing.assert_array_equal(y, np.arange(10))


def test_write_through_a_view_of_the_lazy_copy():
    x = ac.arange(10)
    y = x.copy(lazy=True)
    w = y[3:]
    w[0] = -5
    assert y[3] == -5
    np.testing.assert_array_equal(x, np.arange(10))
    # The view keeps seeing its lazy copy after materialisation.
    y[4] = -6
    assert w[1] == -6


def test_views_taken_before_materialisation_follow_their_side():
    x = ac.arange(8)
    y = x.copy(lazy=True)
    xv, yv = x[2:], y[2:]
    x[3] = 30
    assert xv[1] == 30 and yv[1] == 3
    y[3] = 33
    assert xv[1] == 30 and yv[1] == 33


def test_lazy_copy_of_a_lazy_copy():
    x = ac.arange(5)
    y = x.copy(lazy=True)
    z = y.copy(lazy=True)
    x[0] = 10
    y[1] = 11
    z[2] = 12
    np.testing.assert_array_equal(x, [10, 1, 2, 3, 4])
    np.testing.assert_array_equal(y, [0, 11, 2, 3, 4])
    np.testing.assert_array_equal(z, [0, 1, 12, 3, 4])


def test_numpy_view_exported_before_the_lazy_copy():
    x = ac.arange(6)
    exported = np.asarray(x)
    y = x.copy(lazy=True)
    exported[0] = 42
    assert x[0] == 42
    assert y[0] == 0


def test_numpy_sees_lazily_shared_memory_read_only_unless_it_asks_to_write():
    x = ac.arange(6)
    y = x.copy(lazy=True)
    with ac.copy_audit() as log:
        exported = np.asarray(x)
    assert len(log) == 0
    assert not exported.flags.writeable and np.shares_memory(exported, x)
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        exported[1] = 42
    writable = x.__array__()          # asks for a writable view: y moves
    writable[1] = 42                  # (x is exported: it stays put)
    assert x[1] == 42 and y[1] == 1 and exported[1] == 42
    from_copy = np.asarray(y)         # y shares nothing now
    from_copy[2] = 43
    assert y[2] == 43 and x[2] == 2


@pytest.mark.parametrize("read", [
    np.asarray, np.asanyarray, np.ascontiguousarray, memoryview,
    lambda a: np.array(a, copy=False), lambda a: np.asarray(a, dtype=a.dtype),
    lambda a: np.testing.assert_array_equal(a, np.arange(6.0)),
    lambda a: np.asarray(a).sum(), bytes, lambda a: np.add(np.asarray(a), 1),
    np.frombuffer,
], ids=["asarray", "asanyarray", "ascontiguousarray", "memoryview",
        "array-copy-False", "asarray-dtype", "assert_array_equal", "sum",
        "bytes", "numpy-ufunc", "frombuffer"])
@pytest.mark.parametrize("side", ["source", "copy"])
def test_numpy_reading_either_side_of_a_lazy_copy_materialises_nothing(read, side):
    x = ac.arange(6.0)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        read(x if side == "source" else c)
    assert len(log) == 0
    with ac.copy_audit() as log:
        x[0] = 9.0                    # the sharing went on until this write
    assert c[0] == 0.0 and [r.category for r in log] == ["lazy-materialise"]


@pytest.mark.parametrize("write", [
    lambda a: a.data.cast("B").__setitem__(0, 7),
    lambda a: struct.pack_into("B", a, 0, 7),
    lambda a: io.BytesIO(b"\x07").readinto(a),
], ids=["data", "pack_into", "readinto"])
def test_a_consumer_asking_for_a_writable_buffer_materialises_once(write):
    x = ac.arange(4, dtype=np.int32)
    y = x.copy(lazy=True)
    with ac.copy_audit() as log:
        write(y)
        write(y)
    assert [r.category for r in log] == ["lazy-materialise"]
    assert x[0] == 0 and y[0] == 7


def test_buffer_protocol_and_array_interface_writes():
    x = ac.arange(4, dtype=np.int32)
    y = x.copy(lazy=True)
    y.data.cast("B")[0] = 7
    assert x[0] == 0 and y[0] == 7
    z = x.copy(lazy=True)
    np.asarray(ac.asarray(x).__array__())[3] = 9  # via __array__
    assert z[3] == 3


def test_ufunc_out_and_inplace_operators():
    x = ac.arange(5.0)
    y = x.copy(lazy=True)
    x += 1
    np.testing.assert_array_equal(y, np.arange(5.0))
    z = y.copy(lazy=True)
    np.add(z, 10, out=z)
    np.testing.assert_array_equal(y, np.arange(5.0))
    np.testing.assert_array_equal(z, np.arange(5.0) + 10)


def test_fill_and_advanced_assignment():
    x = ac.arange(6)
    y = x.copy(lazy=True)
    y.fill(3)
    np.testing.assert_array_equal(x, np.arange(6))
    z = x.copy(lazy=True)
    x[[0, 5]] = -1
    np.testing.assert_array_equal(z, np.arange(6))


def test_source_dies_first():
    x = ac.arange(100)
    y = x.copy(lazy=True)
    del x
    gc.collect()
    np.testing.assert_array_equal(y, np.arange(100))
    y[0] = 5
    assert y[0] == 5


def test_lazy_copy_dies_first():
    x = ac.arange(100)
    y = x.copy(lazy=True)
    del y
    gc.collect()
    with ac.copy_audit() as log:
        x[0] = 5
    assert len(log) == 0


def _programs_of_arrays(tmp_path):
    """Little programs that make arrays, views, lazy copies and exports."""
    def lazy_source_first():
        x = ac.arange(12.0).reshape(3, 4)
        y = x.T[::2].copy(lazy=True)
        return [x, y, y[1:]]

    def materialised():
        x = ac.arange(12.0)
        y = x.copy(lazy=True)
        x[0] = 1.0
        return [x, y, y[::3]]

    def exports():
        x = ac.arange(6.0)
        c = x.copy(lazy=True)
        c.flags.writeable = False
        return [x, c, np.asarray(c), memoryview(c), np.from_dlpack(c),
                ac.from_dlpack(np.arange(3.0))]

    def file_map():
        m = ac.memmap(tmp_path / "map.bin", mode="w+", dtype="i8", shape=(4, 4))
        return [m, m[1:], m.copy(lazy=True), m.base]

    def pickled():
        import pickle
        x = ac.arange(5)
        return [x, pickle.loads(pickle.dumps(x.copy(lazy=True), protocol=5))]

    return [lazy_source_first, materialised, exports, file_map, pickled]


def test_arrays_are_freed_without_the_cycle_collector(tmp_path):
    # Nothing array_core makes is in a reference cycle, so what a program
    # drops is freed at once, as in NumPy (the tests rely on it too).
    import weakref

    for program in _programs_of_arrays(tmp_path):
        enabled = gc.isenabled()
        gc.collect()
        gc.disable()
        try:
            for drop_order in (1, -1):
                made = program()[::drop_order]
                refs = [weakref.ref(obj) for obj in made]
                del made
                alive = [type(ref()).__name__ for ref in refs if ref() is not None]
                assert alive == [], (program.__name__, drop_order, alive)
        finally:
            if enabled:
                gc.enable()


def test_explicit_lazy_copy_is_never_refused():
    x = ac.arange(4)
    with ac.copy_policy("raise"):
        y = x.copy(lazy=True)
        y[0] = 1
    assert x[0] == 0


def test_borrowed_memory_is_copied_eagerly():
    source = np.arange(4)
    x = ac.asarray(source)
    y = x.copy(lazy=True)
    source[0] = 100
    assert y[0] == 0


# ------------------------------------------------------------ state machine

class LazyCopyMachine(RuleBasedStateMachine):
    """Random programs of views, lazy copies, writes and reads.

    Each array_core array is paired with a NumPy array built by the same
    program with eager copies; after every step all pairs must agree.
    """

    @initialize(n=st.integers(1, 12))
    def start(self, n):
        base = np.arange(n * 2, dtype=np.int64).reshape(2, n)
        self.pairs = [(ac.array(base), base.copy())]

    def pick(self, data):
        return data.draw(st.sampled_from(self.pairs))

    @rule(data=st.data())
    def lazy_copy(self, data):
        a, n = self.pick(data)
        order = data.draw(st.sampled_from("CFK"))
        self.pairs.append((a.copy(order=order, lazy=True), n.copy(order=order)))

    @rule(data=st.data())
    def view(self, data):
        a, n = self.pick(data)
        kind = data.draw(st.sampled_from(["T", "rev", "step", "row"]))
        if kind == "T":
            self.pairs.append((a.T, n.T))
        elif kind == "rev":
            self.pairs.append((a[::-1], n[::-1]))
        elif kind == "step":
            self.pairs.append((a[..., ::2], n[..., ::2]))
        elif n.ndim > 1 and n.shape[0] > 0:
            self.pairs.append((a[0], n[0]))

    @precondition(lambda self: len(self.pairs) > 1)
    @rule(data=st.data())
    def drop(self, data):
        i = data.draw(st.integers(1, len(self.pairs) - 1))
        # Reference counting frees what nothing else holds at once (no array
        # is in a cycle: test_arrays_are_freed_without_the_cycle_collector).
        del self.pairs[i]

    @rule(data=st.data(), value=st.integers(-100, 100))
    def write(self, data, value):
        a, n = self.pick(data)
        if n.size == 0:
            return
        how = data.draw(st.sampled_from(["item", "all", "ufunc", "numpy", "fancy"]))
        index = tuple(data.draw(st.integers(0, s - 1)) for s in n.shape)
        if how == "item":
            a[index] = value
            n[index] = value
        elif how == "all":
            a[...] = value
            n[...] = value
        elif how == "ufunc":
            np.add(a, value, out=a)
            np.add(n, value, out=n)
        elif how == "numpy":
            # (NumPy sees lazily shared memory read-only unless it asks)
            a.__array__()[index] = value
            n[index] = value
        else:
            a[[0]] = value
            n[[0]] = value

    @invariant()
    def all_agree(self):
        # tolist() reads through a read-only export: it must not materialise.
        for a, n in self.pairs:
            assert a.shape == n.shape
            assert a.tolist() == n.tolist()
            assert a.strides == n.strides or n.size <= 1


TestLazyCopyMachine = LazyCopyMachine.TestCase
TestLazyCopyMachine.settings = settings(max_examples=60, stateful_step_count=25,
                                        deadline=None)


@given(st.integers(1, 20), st.integers(1, 4))
def test_large_lazy_copy_reads_without_copying(n, reps):
    x = ac.arange(n)
    with ac.copy_audit() as log:
        ys = [x.copy(lazy=True) for _ in range(reps)]
        for y in ys:
            # Reads through array_core (not through a writable export).
            assert y.tolist() == list(range(n))
            assert y[n - 1] == n - 1
            assert int(np.add.reduce(y)) == n * (n - 1) // 2
    # Each lazy copy is recorded with no bytes; no read materialises one.
    assert [(r.category, r.nbytes) for r in log] == [("lazy", 0)] * reps


# ------------------------------------------------- exports of lazy copies
# An export shows exactly what its array holds, for as long as it lives.

class _Interface:
    """Hands NumPy an ``__array_interface__`` dict, keeping its array alive."""

    def __init__(self, array):
        self.__array_interface__ = array.__array_interface__
        self.array = array


def _read_only_lazy_copy(n=6):
    x = ac.arange(float(n))
    c = x.copy(lazy=True)
    c.flags.writeable = False
    return x, c


@pytest.mark.parametrize("export", [
    memoryview, np.asarray, lambda c: np.asarray(c.__array__()),
    lambda c: np.asarray(_Interface(c)), lambda c: np.frombuffer(c),
])
def test_read_only_export_of_a_lazy_copy_ignores_the_source(export):
    x, c = _read_only_lazy_copy()
    e = export(c)
    x[0] = 99.0
    x += 1
    assert np.asarray(e).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    del x
    gc.collect()
    ac.arange(6.0) + 7  # (reuses the memory if it had been freed)
    assert np.asarray(e).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert c.tolist() == np.asarray(e).tolist()


def test_read_only_export_follows_its_array_once_writeable_again():
    x, c = _read_only_lazy_copy()
    e = np.asarray(c)
    c.flags.writeable = True
    c.fill(5.0)                       # c keeps the exported memory: x moves
    assert e.tolist() == [5.0] * 6
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    v = np.asarray(c)                 # a NumPy view taken after the write
    c[1] = 7.0
    assert v[1] == 7.0 and e[1] == 7.0 and x[1] == 1.0


def test_both_sides_exported_read_only():
    x = ac.arange(4.0)
    c = x.copy(lazy=True)
    x.flags.writeable = False
    c.flags.writeable = False
    ex, ec = memoryview(x), memoryview(c)   # the second export moves c now
    x.flags.writeable = True
    x[0] = 10.0
    c.flags.writeable = True
    c[1] = 20.0
    assert ex.tolist() == [10.0, 1.0, 2.0, 3.0]
    assert ec.tolist() == [0.0, 20.0, 2.0, 3.0]


def test_internal_read_export_outliving_the_call_follows_the_copy():
    # A "ufunc" whose result is a view of its input (NumPy may return one):
    # the result is a view of the array_core input and follows its writes.
    x = ac.arange(8)
    c = x.copy(lazy=True)
    with ac.copy_audit() as log:
        r = c.__array_ufunc__(lambda a: a[::2], "__call__", c)
    assert len(log) == 0
    assert isinstance(r, ac.ndarray) and r.base is c
    x[:] = -1
    assert r.tolist() == [0, 2, 4, 6]
    del x
    gc.collect()
    assert r.tolist() == [0, 2, 4, 6]
    c.flags.writeable = True
    c[2] = 40
    assert r.tolist() == [0, 40, 4, 6]


def test_reads_do_not_materialise():
    x = ac.arange(6.0)
    c = x.copy(lazy=True)
    c.flags.writeable = False
    with ac.copy_audit() as log:
        m = memoryview(c)
        n = np.asarray(c)
        assert repr(c) == repr(np.arange(6.0))
        assert float(np.add.reduce(c)) == 15.0
        assert (c + x).tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert len(log) == 0
    del m, n


# ------------------------------------------- writers array_core cannot see
# No lazy copy may share memory with something that can write it unseen.

def test_count_skew_after_shape_change_cannot_share_writable_memory():
    x = ac.zeros((2, 3))
    x.flags.writeable = False
    m = memoryview(x)            # read-only export of a 2-d array
    x.flags.writeable = True
    x.shape = (6,)
    del m                        # must not uncount a writable export
    w = memoryview(x)            # writable export
    c = x.copy(lazy=True)
    w[0] = 5.0
    assert x[0] == 5.0 and c[0] == 0.0


@pytest.mark.parametrize("writer", ["memoryview", "asarray", "__array__",
                                    "interface", "frombuffer", "ac.frombuffer"])
def test_writable_export_alive_means_eager_copies(writer):
    x = ac.arange(4.0)
    if writer == "memoryview":
        w = np.asarray(memoryview(x))
    elif writer == "asarray":
        w = np.asarray(x)
    elif writer == "__array__":
        w = x.__array__()
    elif writer == "interface":
        w = np.asarray(_Interface(x))
    elif writer == "frombuffer":
        w = np.frombuffer(x)
    else:
        w = ac.frombuffer(x)
    assert w.flags.writeable
    c = x.copy(lazy=True)
    w[0] = 42.0
    assert x[0] == 42.0 and c[0] == 0.0
    c2 = x.copy(lazy=True)
    w[1] = 43.0
    assert c2[1] == 1.0


def test_ufunc_out_and_inplace_write_the_target_only():
    x = ac.arange(4.0)
    c = x.copy(lazy=True)
    np.multiply(c, 2, out=x)          # out= prepares x before reading c
    assert x.tolist() == [0.0, 2.0, 4.0, 6.0] and c.tolist() == [0.0, 1.0, 2.0, 3.0]
    c += x
    assert c.tolist() == [0.0, 3.0, 6.0, 9.0] and x.tolist() == [0.0, 2.0, 4.0, 6.0]


def test_pickle_out_of_band_buffers_are_not_shared_lazily():
    import pickle
    a = ac.arange(4.0)
    buffers = []
    data = pickle.dumps(a, protocol=5, buffer_callback=buffers.append)
    raw = [bytearray(b.raw()) for b in buffers]
    b = pickle.loads(data, buffers=raw)
    c = b.copy(lazy=True)
    if raw:
        np.frombuffer(raw[0])[0] = 77.0   # the unpickled array's memory
    assert c[0] == 0.0
    assert pickle.loads(pickle.dumps(c)).tolist() == [0.0, 1.0, 2.0, 3.0]


class _CopyingIndex:
    """An index whose ``__index__`` takes a lazy copy of the target."""

    def __init__(self, target):
        self.target = target
        self.copies = []

    def __index__(self):
        self.copies.append(self.target.copy(lazy=True))
        return 0


def test_lazy_copy_made_by_a_key_during_setitem():
    x = ac.arange(4)
    key = _CopyingIndex(x)
    x[key] = 9
    x[key:] = 8
    assert x.tolist() == [8, 8, 8, 8]
    assert [c.tolist() for c in key.copies] == [[0, 1, 2, 3], [9, 1, 2, 3]]


def test_lazy_copy_made_by_a_value_during_setitem():
    x = ac.arange(4.0)
    copies = []

    class Value:
        def __float__(self):
            copies.append(x.copy(lazy=True))
            return 5.0

    x[1] = Value()
    assert x.tolist() == [0.0, 5.0, 2.0, 3.0]
    assert copies[0].tolist() == [0.0, 1.0, 2.0, 3.0]


def test_lazy_copy_of_a_read_only_interface_export_keeps_it_valid():
    x = ac.arange(4.0)
    c = x.copy(lazy=True)
    c.flags.writeable = False
    e = np.asarray(_Interface(c))      # a raw pointer into the shared memory
    x[0] = 9.0                         # x moves, c keeps the memory
    del x
    gc.collect()
    assert e.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_small_lazy_slice_copies_the_slice_when_the_source_is_written():
    x = ac.arange(1000.0)
    c = x[:10].copy(lazy=True)
    with ac.copy_audit() as log:
        x[500] = -1.0
    assert [r.nbytes for r in log] == [80]
    assert c.tolist() == list(np.arange(10.0)) and x[500] == -1.0


def test_an_array_wrapping_an_export_of_a_lazy_copy_shares_its_memory():
    x = ac.arange(6.0)
    c = x.copy(lazy=True)
    c.flags.writeable = False
    wrapped = ac.asarray(np.asarray(c))
    assert ac.shares_memory(c, wrapped) and ac.may_share_memory(wrapped, c)
    assert not ac.shares_memory(x, c) and not ac.shares_memory(x, wrapped)
