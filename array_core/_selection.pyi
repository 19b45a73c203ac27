from typing import Any, Literal, SupportsIndex, TypeAlias

import numpy as np
import numpy.typing as npt

from array_core._array import ndarray

_Mode: TypeAlias = Literal["raise", "wrap", "clip"]

def take(
    a: npt.ArrayLike,
    indices: npt.ArrayLike,
    axis: SupportsIndex | None = None,
    out: Any = None,
    mode: _Mode = "raise",
) -> Any: ...
def compress(
    condition: npt.ArrayLike,
    a: npt.ArrayLike,
    axis: SupportsIndex | None = None,
    out: Any = None,
) -> Any: ...
def extract(condition: npt.ArrayLike, arr: npt.ArrayLike) -> ndarray: ...
def nonzero(a: npt.ArrayLike) -> tuple[ndarray, ...]: ...
def argwhere(a: npt.ArrayLike) -> ndarray: ...
def flatnonzero(a: npt.ArrayLike) -> ndarray: ...
def where(condition: npt.ArrayLike, x: Any = ..., y: Any = ..., /) -> Any: ...
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
