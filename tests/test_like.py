"""empty_like and friends, require and tobytes, differential against NumPy."""
import numpy as np
import pytest
from _strategies import all_layouts_small, assert_same_array, layouts, same_outcome
from hypothesis import given
from hypothesis import strategies as st

import array_core as ac

LIKES = [
    ("zeros_like", ()), ("ones_like", ()), ("full_like", (7,)), ("full_like", (2.5,)),
]


@pytest.mark.parametrize("name,extra", LIKES + [("empty_like", ())])
@pytest.mark.parametrize("layout", all_layouts_small(), ids=repr)
@pytest.mark.parametrize("kwargs", [{}, {"order": "C"}, {"order": "F"}, {"order": "A"},
                                    {"dtype": "int16"}, {"shape": (3, 2)},
                                    {"shape": 4, "order": "F"}, {"order": "X"},
                                    {"device": "gpu"}])
def test_like(name, extra, layout, kwargs):
    _, n, _, a = layout.build()
    got = same_outcome(lambda: getattr(np, name)(n, *extra, **kwargs),
                       lambda: getattr(ac, name)(a, *extra, **kwargs))
    if got is None:
        return
    nr, ar = got
    if name == "empty_like":
        assert (ar.shape, ar.dtype, ar.strides) == (nr.shape, nr.dtype, nr.strides)
        assert ar.flags.owndata and ar.flags.writeable
        return
    assert_same_array(ar, nr)
    assert ar.base is None and not ac.shares_memory(ar, a)
    assert ar.strides == nr.strides


def test_like_refuses_object_dtype():
    with pytest.raises(TypeError, match="does not support dtype"):
        ac.zeros_like(ac.arange(3), dtype=object)


def test_like_takes_lists_and_records_no_copy():
    assert_same_array(ac.zeros_like([[1, 2]]), np.zeros_like([[1, 2]]))
    snapshot = ac.arange(10.0).copy(lazy=True)
    with ac.copy_audit() as log:
        ac.ones_like(snapshot)
        ac.full_like(snapshot, ac.asarray(3.0))
    assert len(log) == 0


REQUIREMENTS = [None, "C", "F", "A", "W", "O", "E", ["C", "W"], ["F", "O"],
                ["C_CONTIGUOUS"], ["FORTRAN", "ALIGNED"], "CF", ["X"]]


@pytest.mark.parametrize("requirements", REQUIREMENTS, ids=repr)
@pytest.mark.parametrize("dtype", [None, "float64", "int32", ">f8"])
@pytest.mark.parametrize("layout", all_layouts_small()[:9], ids=repr)
def test_require(layout, dtype, requirements):
    for readonly in (False, True):
        n0, n, a0, a = layout.build(via="array")
        n.flags.writeable = a.flags.writeable = not readonly
        got = same_outcome(lambda n=n: np.require(n, dtype, requirements),
                           lambda a=a: ac.require(a, dtype, requirements))
        if got is None:
            continue
        nr, ar = got
        assert_same_array(ar, nr)
        assert ac.shares_memory(ar, a) == np.shares_memory(nr, n)


def test_require_copies_are_implicit():
    x = ac.zeros((2, 3)).T
    with ac.copy_audit() as log:
        ac.require(x, requirements="C")
        ac.require(x, dtype=np.int8)
        ac.require(x[::2], requirements="O")
    assert [(r.operation, r.category) for r in log] == [("require", "implicit")] * 3
    with ac.copy_policy("raise"), pytest.raises(ac.CopyError):
        ac.require(x, requirements="C")
    with ac.copy_policy("raise"):
        assert ac.require(x, requirements="F").base is x.base


@given(layout=layouts(max_dims=4), order=st.sampled_from(["C", "F", "A", "K"]))
def test_tobytes(layout, order):
    _, n, _, a = layout.build()
    assert a.tobytes(order) == n.tobytes(order)
    assert a.tobytes() == n.tobytes()


def test_tobytes_errors_and_lazy():
    a = ac.arange(3)
    same_outcome(lambda: np.arange(3).tobytes("X"), lambda: a.tobytes("X"))
    snapshot = ac.arange(100_000.0).copy(lazy=True)
    with ac.copy_audit() as log:
        data = snapshot.T.tobytes("F")
    assert len(log) == 0 and len(data) == 800_000
