from collections.abc import Sequence
from typing import Any, SupportsIndex

import numpy.typing as npt

from array_core._array import ndarray

_Casting = str

def concatenate(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex | None = 0,
    out: Any = None,
    *,
    dtype: npt.DTypeLike | None = None,
    casting: _Casting = "same_kind",
) -> Any: ...
def stack(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex = 0,
    out: Any = None,
    *,
    dtype: npt.DTypeLike | None = None,
    casting: _Casting = "same_kind",
) -> Any: ...
def hstack(
    tup: Sequence[npt.ArrayLike],
    *,
    dtype: npt.DTypeLike | None = None,
    casting: _Casting = "same_kind",
) -> ndarray: ...
def vstack(
    tup: Sequence[npt.ArrayLike],
    *,
    dtype: npt.DTypeLike | None = None,
    casting: _Casting = "same_kind",
) -> ndarray: ...
def dstack(tup: Sequence[npt.ArrayLike]) -> ndarray: ...
def column_stack(tup: Sequence[npt.ArrayLike]) -> ndarray: ...
