"""concatenate and the stacking functions, differential against NumPy."""
import numpy as np
import pytest
from _strategies import all_layouts_small, assert_same_array, layouts, same_outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

JOINERS = [
    ("concatenate", {}), ("concatenate", {"axis": -1}), ("concatenate", {"axis": None}),
    ("stack", {}), ("stack", {"axis": -1}), ("hstack", {}), ("vstack", {}),
    ("dstack", {}), ("column_stack", {}),
]


def check_join(name, kwargs, pieces):
    """``name`` on the same pieces (NumPy and array_core) gives the same."""
    n_pieces = [p[1] for p in pieces]
    a_pieces = [p[3] for p in pieces]
    got = same_outcome(lambda: getattr(np, name)(n_pieces, **kwargs),
                       lambda: getattr(ac, name)(a_pieces, **kwargs))
    if got is None:
        return
    n, a = got
    assert_same_array(a, n)
    assert a.base is None and a.flags.owndata
    for p in a_pieces:
        assert not ac.shares_memory(a, p)


@pytest.mark.parametrize("name,kwargs", JOINERS)
@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
def test_join_same_layout(name, kwargs, layout):
    check_join(name, kwargs, [layout.build(), layout.build()])


@given(data=st.data())
def test_join_mixed_layouts(data):
    name, kwargs = data.draw(st.sampled_from(JOINERS))
    first = data.draw(layouts(max_dims=3, max_side=3))
    others = [data.draw(layouts(max_dims=3, max_side=3)) for _ in range(2)]
    pieces = [first.build()]
    for other in others:
        # A piece of the first's shape in another layout, or of its own.
        if data.draw(st.booleans()):
            n = other.numpy()
            if n.ndim == pieces[0][1].ndim:
                pieces.append(other.build())
                continue
        pieces.append(first.build(via=data.draw(st.sampled_from(["array", "asarray"]))))
    check_join(name, kwargs, pieces)


def test_concatenate_layout_follows_inputs():
    x = np.ones((2, 3), order="F")
    a = ac.asarray(x)
    for axis in (0, 1):
        n = np.concatenate([x, x], axis=axis)
        r = ac.concatenate([a, a], axis=axis)
        assert r.strides == n.strides
    # Disagreeing inputs: C order wins.
    c = np.ones((2, 3))
    assert ac.concatenate([a, ac.asarray(c)]).strides == np.concatenate([x, c]).strides
    e = np.ones((3, 0))
    assert ac.concatenate([ac.asarray(e)] * 2, axis=1).strides == (0, 0)


@pytest.mark.parametrize("dtypes", [("int8", "float32"), ("uint8", "int8"),
                                    ("bool", "complex64"), ("<i4", ">i4"),
                                    (">i4", ">i4"), (">f8",)])
def test_concatenate_promotes(dtypes):
    ns = [np.arange(3).astype(d) for d in dtypes]
    assert_same_array(ac.concatenate([ac.asarray(n) for n in ns]), np.concatenate(ns))
    assert_same_array(ac.stack([ac.asarray(n) for n in ns]), np.stack(ns))
    assert_same_array(ac.resize(ac.asarray(ns[-1]), 5), np.resize(ns[-1], 5))


@pytest.mark.parametrize("call", [
    lambda m, x: m.concatenate([x, x[:, :2]]),
    lambda m, x: m.concatenate([x, x[0]]),
    lambda m, x: m.concatenate([]),
    lambda m, x: m.concatenate([x[0, 0]]),
    lambda m, x: m.concatenate([x, x], axis=2),
    lambda m, x: m.concatenate([x, x], axis=-3),
    lambda m, x: m.concatenate([x, x], axis=1.0),
    lambda m, x: m.concatenate([x, x], axis=True),
    lambda m, x: m.concatenate([x], out=m.empty((2, 3)), dtype=float),
    lambda m, x: m.concatenate([x, x], out=m.empty((4, 2))),
    lambda m, x: m.concatenate([x, x], axis=None, out=m.empty(5)),
    lambda m, x: m.concatenate([x, x], dtype=int),
    lambda m, x: m.concatenate([x, x], out=m.empty((4, 3), dtype=int)),
    lambda m, x: m.concatenate([x, x], casting="bad"),
    lambda m, x: m.concatenate([x, x], out=[1]),
    lambda m, x: m.stack([x, x[:, :2]]),
    lambda m, x: m.stack([]),
    lambda m, x: m.stack([x, x], axis=3),
    lambda m, x: m.hstack(y for y in [x]),
    lambda m, x: m.vstack([x, x[:, :1]]),
])
def test_join_errors(call):
    x = np.arange(6.0).reshape(2, 3)
    same_outcome(lambda: call(np, x), lambda: call(ac, ac.asarray(x)))


def test_concatenate_out():
    x = np.arange(6).reshape(2, 3)
    a = ac.asarray(x.copy())
    out = ac.zeros((4, 3))
    assert ac.concatenate([a, a], out=out) is out
    np.testing.assert_array_equal(np.asarray(out), np.concatenate([x, x]))
    nout = np.zeros(12, dtype=np.int16)
    assert ac.concatenate([a, a], axis=None, out=nout, casting="unsafe") is nout
    np.testing.assert_array_equal(nout, x.ravel().tolist() * 2)
    stacked = ac.zeros((2, 2, 3))
    assert ac.stack([a, a], out=stacked) is stacked
    ro = ac.zeros((4, 3))
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        ac.concatenate([a, a], out=ro)


def test_join_accepts_lists_scalars_and_numpy():
    assert_same_array(ac.concatenate([[1, 2], np.array([3])]),
                      np.concatenate([[1, 2], np.array([3])]))
    assert_same_array(ac.hstack([1, 2.5]), np.hstack([1, 2.5]))
    assert_same_array(ac.vstack([[1, 2], [3, 4]]), np.vstack([[1, 2], [3, 4]]))
    assert_same_array(ac.column_stack([[1, 2], [3, 4]]),
                      np.column_stack([[1, 2], [3, 4]]))
    assert_same_array(ac.stack([1, 2]), np.stack([1, 2]))
    assert_same_array(ac.hstack([[1], [2]], dtype=np.float32),
                      np.hstack([[1], [2]], dtype=np.float32))


def test_join_copy_audit_and_policy():
    a = ac.arange(6).reshape(2, 3)
    with ac.copy_audit() as log:
        ac.concatenate([a, a.T.T])
        ac.stack([a, a])
        ac.vstack([a, a])
    assert [(r.operation, r.category, r.nbytes) for r in log] == [
        ("concatenate", "explicit", 96), ("stack", "explicit", 96),
        ("vstack", "explicit", 96)]
    assert all(r.filename == __file__ for r in log)
    with ac.copy_policy("raise"):
        ac.concatenate([a, a])  # explicit: allowed


def test_join_reads_do_not_materialise_lazy_copies():
    big = ac.arange(100_000.0)
    snapshot = big.copy(lazy=True)
    with ac.copy_audit() as log:
        r = ac.concatenate([snapshot, snapshot[::2]])
        ac.hstack([snapshot, big])
    assert [rec.category for rec in log] == ["explicit", "explicit"]
    assert float(r[100_001]) == 2.0
    big[0] = -1
    assert float(snapshot[0]) == 0.0
