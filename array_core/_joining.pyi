from collections.abc import Sequence
from typing import Any, SupportsIndex, TypeVar, overload

import numpy as np
import numpy.typing as npt

from array_core._array import ndarray

_Casting = str
# ``out=``: the result is that array.
_OutT = TypeVar("_OutT", bound=ndarray | np.ndarray[Any, Any])

@overload
def concatenate(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex | None = 0,
    out: None = None,
    *,
    dtype: npt.DTypeLike | None = None,
    casting: _Casting = "same_kind",
) -> ndarray: ...
@overload
def concatenate(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex | None,
    out: _OutT,
    *,
    dtype: None = None,
    casting: _Casting = "same_kind",
) -> _OutT: ...
@overload
def concatenate(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex | None = 0,
    *,
    out: _OutT,
    dtype: None = None,
    casting: _Casting = "same_kind",
) -> _OutT: ...
@overload
def stack(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex = 0,
    out: None = None,
    *,
    dtype: npt.DTypeLike | None = None,
    casting: _Casting = "same_kind",
) -> ndarray: ...
@overload
def stack(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex,
    out: _OutT,
    *,
    dtype: None = None,
    casting: _Casting = "same_kind",
) -> _OutT: ...
@overload
def stack(
    arrays: Sequence[npt.ArrayLike],
    axis: SupportsIndex = 0,
    *,
    out: _OutT,
    dtype: None = None,
    casting: _Casting = "same_kind",
) -> _OutT: ...
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
