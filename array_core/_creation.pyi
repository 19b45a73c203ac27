from collections.abc import Sequence
from typing import Any, Literal, SupportsIndex, TypeAlias

import numpy.typing as npt

from array_core._array import ndarray

_Order: TypeAlias = Literal["C", "F", "A", "K"]
_OrderKACF: TypeAlias = _Order | None
_ShapeLike: TypeAlias = SupportsIndex | Sequence[SupportsIndex]
_DTypeLike: TypeAlias = npt.DTypeLike

def empty(
    shape: _ShapeLike,
    dtype: _DTypeLike | None = None,
    order: _Order = "C",
    *,
    device: Literal["cpu"] | None = None,
    like: Any = None,
) -> ndarray: ...
def zeros(
    shape: _ShapeLike,
    dtype: _DTypeLike | None = None,
    order: _Order = "C",
    *,
    device: Literal["cpu"] | None = None,
    like: Any = None,
) -> ndarray: ...
def ones(
    shape: _ShapeLike,
    dtype: _DTypeLike | None = None,
    order: _Order = "C",
    *,
    device: Literal["cpu"] | None = None,
    like: Any = None,
) -> ndarray: ...
def full(
    shape: _ShapeLike,
    fill_value: Any,
    dtype: _DTypeLike | None = None,
    order: _Order = "C",
    *,
    device: Literal["cpu"] | None = None,
    like: Any = None,
) -> ndarray: ...
def arange(
    *args: Any,
    start: Any = ...,
    stop: Any = ...,
    step: Any = ...,
    dtype: _DTypeLike | None = None,
    device: Literal["cpu"] | None = None,
    like: Any = None,
) -> ndarray: ...
def asarray(
    a: Any,
    dtype: _DTypeLike | None = None,
    order: _OrderKACF = None,
    *,
    device: Literal["cpu"] | None = None,
    copy: bool | None = None,
    like: Any = None,
) -> ndarray: ...
def array(
    object: Any,
    dtype: _DTypeLike | None = None,
    *,
    copy: bool | None = True,
    order: _OrderKACF = "K",
    subok: bool = False,
    ndmin: int = 0,
    ndmax: int = ...,
    like: Any = None,
) -> ndarray: ...
def ascontiguousarray(
    a: Any, dtype: _DTypeLike | None = None, *, like: Any = None
) -> ndarray: ...
def asfortranarray(
    a: Any, dtype: _DTypeLike | None = None, *, like: Any = None
) -> ndarray: ...
def frombuffer(
    buffer: Any,
    dtype: _DTypeLike | None = None,
    count: int = -1,
    offset: int = 0,
    *,
    like: Any = None,
) -> ndarray: ...
