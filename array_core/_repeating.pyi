from collections.abc import Sequence
from typing import Any, SupportsIndex

import numpy.typing as npt

from array_core._array import ndarray

def repeat(
    a: npt.ArrayLike, repeats: npt.ArrayLike, axis: SupportsIndex | None = None
) -> ndarray: ...
def tile(
    A: npt.ArrayLike, reps: SupportsIndex | Sequence[SupportsIndex]
) -> ndarray: ...
def resize(
    a: npt.ArrayLike, new_shape: SupportsIndex | Sequence[SupportsIndex]
) -> ndarray: ...
def resize_in_place(
    a: ndarray, args: tuple[Any, ...], refcheck: object, other_refs: int
) -> None: ...
