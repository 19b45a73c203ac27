from collections.abc import Iterable, Sequence
from typing import Any, Literal, SupportsIndex, TypeAlias

import numpy.typing as npt

from array_core._array import ndarray

_Order: TypeAlias = Literal["C", "F", "A", "K"]
_ShapeLike: TypeAlias = SupportsIndex | Sequence[SupportsIndex]

def empty_like(
    prototype: npt.ArrayLike,
    /,
    dtype: npt.DTypeLike | None = None,
    order: _Order = "K",
    subok: bool = True,
    shape: _ShapeLike | None = None,
    *,
    device: Literal["cpu"] | None = None,
) -> ndarray: ...
def zeros_like(
    a: npt.ArrayLike,
    dtype: npt.DTypeLike | None = None,
    order: _Order = "K",
    subok: bool = True,
    shape: _ShapeLike | None = None,
    *,
    device: Literal["cpu"] | None = None,
) -> ndarray: ...
def ones_like(
    a: npt.ArrayLike,
    dtype: npt.DTypeLike | None = None,
    order: _Order = "K",
    subok: bool = True,
    shape: _ShapeLike | None = None,
    *,
    device: Literal["cpu"] | None = None,
) -> ndarray: ...
def full_like(
    a: npt.ArrayLike,
    fill_value: Any,
    dtype: npt.DTypeLike | None = None,
    order: _Order = "K",
    subok: bool = True,
    shape: _ShapeLike | None = None,
    *,
    device: Literal["cpu"] | None = None,
) -> ndarray: ...
def require(
    a: npt.ArrayLike,
    dtype: npt.DTypeLike | None = None,
    requirements: str | Iterable[str] | None = None,
    *,
    like: Any = None,
) -> ndarray: ...
def array_bytes(a: ndarray, order: _Order | None = "C") -> bytes: ...
