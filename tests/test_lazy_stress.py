"""Lazy copy-on-write under stress: random programs with exports, and threads.

The state machine runs random programs of arrays, lazy copies, views, writes,
exports and deletions next to a NumPy model with eager copies: after every
step each array and each live export must show exactly what the model shows.
The thread test runs readers, writers, exporters and metadata setters at once
on lazy copies of arrays big enough for the kernels to release the GIL.

Longer runs: ``HYPOTHESIS_PROFILE=thorough`` (the state machine) and
``ARRAY_CORE_STRESS_ROUNDS=N`` (N rounds of the thread test).
"""
import gc
import os
import random
import re
import sys
import threading
import time

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import array_core as ac
from array_core._array import _shares_lazily

# Steps run by the state machine (read by a measuring run; see the module doc).
STATS = {"programs": 0, "steps": 0}


class _Interface:
    """Hands NumPy an ``__array_interface__`` dict, keeping its array alive."""

    def __init__(self, array):
        self.__array_interface__ = array.__array_interface__
        self.array = array


def _export(a, n, how):
    """An export of ``a`` and the NumPy view of ``n`` it must equal."""
    if how == "memoryview":
        return memoryview(a), n[...]
    if how == "asarray":
        return np.asarray(a), n[...]
    if how == "__array__":
        return a.__array__(), n[...]
    return np.asarray(_Interface(a)), n[...]


def _as_numpy(export):
    return export if isinstance(export, np.ndarray) else np.asarray(export)


class LazyExportMachine(RuleBasedStateMachine):
    """Arrays, lazy copies, views, writes (every kind), exports (every kind),
    releases, reads and deletions, against NumPy with eager copies."""

    @initialize(n=st.integers(1, 9), dtype=st.sampled_from(["i8", "i2", "f8"]))
    def start(self, n, dtype):
        STATS["programs"] += 1
        self.dtype = np.dtype(dtype)
        self.arrays = []     # (array_core array, NumPy model)
        self.exports = []    # (export, NumPy view of the model it must equal)
        self.make_array(n)

    def step(self):
        STATS["steps"] += 1
        rule_name = sys._getframe(1).f_code.co_name
        STATS[rule_name] = STATS.get(rule_name, 0) + 1

    def make_array(self, n):
        model = np.arange(2 * n, dtype=self.dtype).reshape(2, n)
        self.arrays.append((ac.array(model), model.copy()))

    def pick(self, data):
        return self.arrays[data.draw(st.integers(0, len(self.arrays) - 1))]

    @rule(n=st.integers(1, 9))
    def new_array(self, n):
        self.step()
        self.make_array(n)

    @rule(data=st.data())
    def lazy_copy(self, data):
        self.step()
        a, n = self.pick(data)
        order = data.draw(st.sampled_from("CFAK"))
        self.arrays.append((a.copy(order=order, lazy=True), n.copy(order=order)))

    @rule(data=st.data(), how=st.sampled_from(
        ["memoryview", "asarray", "__array__", "interface"]))
    def exported_lazy_copy(self, data, how):
        # A read-only lazy copy exported at once (the source then written).
        self.step()
        a, n = self.pick(data)
        c, m = a.copy(lazy=True), n.copy()
        c.flags.writeable = False
        m.flags.writeable = False
        self.arrays.append((c, m))
        self.exports.append(_export(c, m, how))

    @rule(data=st.data())
    def view(self, data):
        self.step()
        a, n = self.pick(data)
        kind = data.draw(st.sampled_from(["T", "rev", "step", "row", "flat"]))
        if kind == "T":
            self.arrays.append((a.T, n.T))
        elif kind == "rev":
            self.arrays.append((a[::-1], n[::-1]))
        elif kind == "step":
            self.arrays.append((a[..., ::2], n[..., ::2]))
        elif kind == "row" and n.ndim > 1 and n.shape[0] > 0:
            self.arrays.append((a[-1], n[-1]))
        elif kind == "flat" and n.flags.c_contiguous:
            self.arrays.append((a.reshape(-1), n.reshape(-1)))

    @rule(data=st.data(), writeable=st.booleans())
    def set_writeable(self, data, writeable):
        self.step()
        a, n = self.pick(data)
        try:
            n.flags.writeable = writeable
        except ValueError as e:
            with pytest.raises(ValueError, match=re.escape(str(e))):
                a.flags.writeable = writeable
        else:
            a.flags.writeable = writeable
        assert a.flags.writeable == n.flags.writeable

    @rule(data=st.data(), value=st.integers(-50, 50))
    def write(self, data, value):
        self.step()
        a, n = self.pick(data)
        if n.size == 0:
            return
        how = data.draw(st.sampled_from(
            ["item", "slice", "fill", "ufunc_out", "inplace", "fancy", "mask"]))
        index = tuple(data.draw(st.integers(0, s - 1)) for s in n.shape)
        if not n.flags.writeable:
            with pytest.raises(ValueError):
                a[index] = value
            return
        if how == "item":
            a[index] = value
            n[index] = value
        elif how == "slice":
            a[..., ::2] = value
            n[..., ::2] = value
        elif how == "fill":
            a.fill(value)
            n.fill(value)
        elif how == "ufunc_out":
            b, m = self.pick(data)   # maybe a lazy copy of a, or a view of it
            try:
                fits = np.broadcast_shapes(m.shape, n.shape) == n.shape
            except ValueError:
                fits = False
            if fits:
                np.add(b, value, out=a)
                np.add(m, value, out=n)
        elif how == "inplace":
            a *= 3
            n *= 3
        elif how == "fancy":
            a[[0]] = value
            n[[0]] = value
        else:
            mask = n > value
            a[ac.asarray(mask)] = value
            n[mask] = value

    @rule(data=st.data(), value=st.integers(-50, 50))
    def write_through_export(self, data, value):
        self.step()
        writable = [(e, m) for e, m in self.exports if m.flags.writeable]
        if not writable:
            return
        e, m = writable[data.draw(st.integers(0, len(writable) - 1))]
        if m.size:
            target = _as_numpy(e)
            target.flat[0] = value
            m.flat[0] = value

    @rule(data=st.data())
    def export(self, data):
        self.step()
        a, n = self.pick(data)
        how = data.draw(st.sampled_from(
            ["memoryview", "asarray", "__array__", "interface"]))
        # NumPy sees lazily shared memory read-only unless it asks to write
        # (__array__ asks; memoryview, asarray and the interface cannot).
        read_only = how != "__array__" and _shares_lazily(a)
        e, m = _export(a, n, how)
        if read_only:
            m.flags.writeable = False
        assert _as_numpy(e).flags.writeable == m.flags.writeable
        self.exports.append((e, m))

    @precondition(lambda self: self.exports)
    @rule(data=st.data())
    def release_export(self, data):
        self.step()
        i = data.draw(st.integers(0, len(self.exports) - 1))
        e, _ = self.exports.pop(i)
        if isinstance(e, memoryview) and data.draw(st.booleans()):
            e.release()
        del e

    @rule(data=st.data())
    def read(self, data):
        self.step()
        a, n = self.pick(data)
        assert repr(a) == repr(n)
        assert (a + 0).tolist() == (n + 0).tolist()
        if n.size:
            assert a.copy().tolist() == n.tolist()
            assert a[[0]].tolist() == n[[0]].tolist()

    @precondition(lambda self: len(self.arrays) > 1)
    @rule(data=st.data())
    def delete(self, data):
        self.step()
        i = data.draw(st.integers(0, len(self.arrays) - 1))
        del self.arrays[i]

    @invariant()
    def everything_agrees(self):
        for a, n in self.arrays:
            assert a.shape == n.shape
            assert a.strides == n.strides or n.size <= 1
            assert a.flags.writeable == n.flags.writeable
            assert a.tolist() == n.tolist()
        for e, m in self.exports:
            assert _as_numpy(e).tolist() == m.tolist()


TestLazyExportMachine = LazyExportMachine.TestCase
TestLazyExportMachine.settings = settings(
    settings(),  # the repo profile (thorough: many more programs)
    max_examples=max(settings().max_examples // 2, 25),
    stateful_step_count=30,
)


# ------------------------------------------------------------- threads

# Big enough (512 KiB) for every copy, gather and assignment to drop the GIL.
BIG = 1 << 16
ROUNDS = int(os.environ.get("ARRAY_CORE_STRESS_ROUNDS", "2"))
OPS_PER_THREAD = 40


class _Pool:
    """Published arrays, each with the values its elements may hold."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def publish(self, array, allowed):
        with self.lock:
            self.items.append((array, allowed))
            if len(self.items) > 12:
                del self.items[random.randrange(len(self.items))]

    def pick(self, rng):
        with self.lock:
            return rng.choice(self.items) if self.items else (None, None)

    def drop(self, rng):
        with self.lock:
            if len(self.items) > 2:
                del self.items[rng.randrange(len(self.items))]


def _check(values, allowed, what):
    """Every element of ``values`` is one of ``allowed``, read through
    array_core's own reads (ufuncs: no export that could end any sharing)."""
    snapshot = np.add(values, 0)  # one pass: each element read once
    found = sum(int(np.add.reduce(np.equal(snapshot, k), axis=None))
                for k in allowed)
    assert found == snapshot.size, (
        what, snapshot.size - found, "elements not in", allowed,
        int(np.minimum.reduce(snapshot, axis=None)),
        int(np.maximum.reduce(snapshot, axis=None)))


def _stress_round(seed):
    """One round: every thread does OPS_PER_THREAD operations."""
    errors = []
    pool = _Pool()
    x = ac.zeros(BIG, dtype=np.int64)
    source = {"array": x, "stamp": 0}
    stamps = iter(range(1, 10 ** 9))
    stamp_lock = threading.Lock()

    def next_stamp():
        with stamp_lock:
            return next(stamps)

    def writer(rng):
        # Writes sources (moving them or their lazy copies) and publishes
        # lazy copies, which nothing writes afterwards: they hold one stamp.
        for _ in range(OPS_PER_THREAD):
            s = source["array"]
            k = next_stamp()
            how = rng.randrange(4)
            if how == 0:
                s[...] = k
            elif how == 1:
                s.fill(k)
            elif how == 2:
                s[::2] = k
                s[1::2] = k
            else:
                s[ac.arange(0, BIG, 1)] = k
            c = s.copy(lazy=True)
            pool.publish(c, {k})
            if rng.random() < 0.3:
                pool.publish(c.copy(lazy=True), {k})
            if rng.random() < 0.2:
                v = c[BIG // 4:]
                v.flags.writeable = False
                pool.publish(v, {k})
            if rng.random() < 0.1:
                source["array"] = ac.full(BIG, k, dtype=np.int64)

    def mutator(rng):
        # Writes lazy copies that readers read at the same time (reads may
        # see either value, never anything else, never freed memory).
        for _ in range(OPS_PER_THREAD):
            k = next_stamp()
            s = None
            if rng.random() < 0.5:
                c = source["array"].copy(lazy=True)
                first = set(np.unique(np.asarray(c.copy())).tolist())
            else:
                # A source that dies right after the write: the memory the
                # readers of c read is then held by nothing else.
                first = {next_stamp()}
                s = ac.full(4 * BIG, min(first), dtype=np.int64)
                c = s.copy(lazy=True)
                if rng.random() < 0.5:
                    s = None   # c: the only sharer left
            allowed = first | {k}
            pool.publish(c, allowed)
            # The racer reads c now: write it while its kernel runs.
            started = threading.Event()
            fresh.append((c, allowed, started))
            started.wait(0.05)
            if rng.random() < 0.5:
                c[...] = k
            else:
                c += 0
                c.fill(k)
            del s
            c2 = c.copy(lazy=True)
            pool.publish(c2, {k})
            pool.drop(rng)

    def racer(rng):
        for _ in range(OPS_PER_THREAD):
            while not fresh:
                if done.is_set():
                    return
                time.sleep(0)
            a, allowed, started = fresh.pop()
            started.set()
            _check(a.copy() if rng.random() < 0.5 else a[ac.arange(0, a.shape[0], 2)],
                   allowed, "copy() racing a write")

    def reader(rng):
        for _ in range(OPS_PER_THREAD):
            a, allowed = pool.pick(rng)
            if a is None:
                continue
            how = rng.randrange(6)
            if how == 0:
                _check(a.copy(), allowed, "copy()")
            elif how == 1:
                _check(a[ac.arange(0, a.shape[0], 3)], allowed, "gather")
            elif how == 2:
                lo, hi = int(np.min(a)), int(np.max(a))
                assert lo in allowed and hi in allowed, ("min/max", lo, hi, allowed)
            elif how == 3:
                _check(a.astype(np.int64, copy=True), allowed, "astype")
            elif how == 4:
                out = ac.empty(a.shape, dtype=np.int64)
                out[...] = a
                _check(out, allowed, "assign from")
            else:
                _check(a.copy(lazy=True).copy(), allowed, "lazy of lazy")

    def exporter(rng):
        for _ in range(OPS_PER_THREAD):
            a, allowed = pool.pick(rng)
            if a is None:
                continue
            if not a.flags.writeable:
                m = memoryview(a)
                _check(m, allowed, "memoryview")
                n = np.asarray(a)
                _check(n, allowed, "asarray of a read-only copy")
                del m, n
            else:
                r = a.copy(lazy=True)
                r.flags.writeable = False
                e = np.asarray(r)
                _check(e, allowed, "export of a lazy copy")
                del e
            if rng.random() < 0.2:
                gc.collect()

    def reshaper(rng):
        # Metadata setters on views other threads do not use.
        for _ in range(OPS_PER_THREAD):
            a, allowed = pool.pick(rng)
            if a is None:
                continue
            v = a[:]
            try:
                v.shape = (2, -1) if v.shape[0] % 2 == 0 else (-1,)
                v.shape = (-1,)
            except AttributeError:
                pass
            try:
                v.strides = v.strides
            except (AttributeError, DeprecationWarning):
                pass   # (warnings are errors in the test run: NumPy 2.4's)
            _check(v, allowed, "reshaped view")

    workers = [writer, mutator, racer, reader, exporter, reshaper]
    fresh = []
    done = threading.Event()

    def run(work, i):
        try:
            work(random.Random(seed * 100 + i))
        except BaseException as e:  # reported by the main thread
            errors.append((work.__name__, e))

    threads = [threading.Thread(target=run, args=(w, i))
               for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    threads[1].join()   # the mutator: the racer waits for nothing more
    done.set()
    for t in threads:
        t.join()
    pool.items.clear()
    fresh.clear()
    source.clear()
    gc.collect()
    return errors


# The reshaper thread assigns strides, deprecated since NumPy 2.4 (as here).
@pytest.mark.filterwarnings("ignore:Setting the strides:DeprecationWarning")
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_lazy_copies_under_threads(round_):
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        errors = _stress_round(round_)
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors[:3]
