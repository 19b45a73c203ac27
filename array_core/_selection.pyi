from typing import Any, Literal, SupportsIndex, TypeAlias, TypeVar, overload

import numpy as np
import numpy.typing as npt

from array_core._array import ndarray

_Mode: TypeAlias = Literal["raise", "wrap", "clip"]
# ``out=``: the result is that array.
_OutT = TypeVar("_OutT", bound=ndarray | np.ndarray[Any, Any])

# take: an element (a NumPy scalar) for a scalar index and no axis.
@overload
def take(
    a: npt.ArrayLike,
    indices: SupportsIndex,
    axis: None = None,
    out: None = None,
    mode: _Mode = "raise",
) -> Any: ...
@overload
def take(
    a: npt.ArrayLike,
    indices: npt.ArrayLike,
    axis: SupportsIndex | None = None,
    out: None = None,
    mode: _Mode = "raise",
) -> ndarray: ...
@overload
def take(
    a: npt.ArrayLike,
    indices: npt.ArrayLike,
    axis: SupportsIndex | None,
    out: _OutT,
    mode: _Mode = "raise",
) -> _OutT: ...
@overload
def take(
    a: npt.ArrayLike,
    indices: npt.ArrayLike,
    axis: SupportsIndex | None = None,
    *,
    out: _OutT,
    mode: _Mode = "raise",
) -> _OutT: ...
@overload
def compress(
    condition: npt.ArrayLike,
    a: npt.ArrayLike,
    axis: SupportsIndex | None = None,
    out: None = None,
) -> ndarray: ...
@overload
def compress(
    condition: npt.ArrayLike,
    a: npt.ArrayLike,
    axis: SupportsIndex | None,
    out: _OutT,
) -> _OutT: ...
@overload
def compress(
    condition: npt.ArrayLike,
    a: npt.ArrayLike,
    axis: SupportsIndex | None = None,
    *,
    out: _OutT,
) -> _OutT: ...
def extract(condition: npt.ArrayLike, arr: npt.ArrayLike) -> ndarray: ...
def nonzero(a: npt.ArrayLike) -> tuple[ndarray, ...]: ...
def argwhere(a: npt.ArrayLike) -> ndarray: ...
def flatnonzero(a: npt.ArrayLike) -> ndarray: ...
# where(condition): the indices, as nonzero; where(condition, x, y): an array.
@overload
def where(condition: npt.ArrayLike, /) -> tuple[ndarray, ...]: ...
@overload
def where(
    condition: npt.ArrayLike, x: npt.ArrayLike, y: npt.ArrayLike, /
) -> ndarray: ...
def put(
    a: ndarray | np.ndarray[Any, Any],
    ind: npt.ArrayLike,
    v: npt.ArrayLike,
    mode: _Mode = "raise",
) -> None: ...
def place(
    arr: ndarray | np.ndarray[Any, Any], mask: npt.ArrayLike, vals: npt.ArrayLike
) -> None: ...
def putmask(
    a: ndarray | np.ndarray[Any, Any], /, mask: npt.ArrayLike, values: npt.ArrayLike
) -> None: ...
def copyto(
    dst: ndarray | np.ndarray[Any, Any],
    src: npt.ArrayLike,
    casting: str = "same_kind",
    where: npt.ArrayLike = True,
) -> None: ...
