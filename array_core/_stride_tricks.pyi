from collections.abc import Sequence
from typing import Any, SupportsIndex, TypeAlias

from array_core._array import ndarray

_ShapeLike: TypeAlias = SupportsIndex | Sequence[SupportsIndex]

def broadcast_to(array: Any, shape: _ShapeLike, subok: bool = False) -> ndarray: ...
def broadcast_arrays(*args: Any, subok: bool = False) -> tuple[ndarray, ...]: ...
def strided_view(
    x: Any, shape: _ShapeLike | None, strides: _ShapeLike | None, writeable: bool
) -> ndarray: ...
