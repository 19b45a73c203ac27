# The functions of _methods are installed as ndarray methods on import
# (array_core._array._install_methods); its public names are array_core's
# implementations of numpy.sort and numpy.sum, reached through NumPy.
from typing import Any, SupportsIndex

import numpy.typing as npt

from array_core._array import ndarray

def sort(
    a: ndarray,
    axis: SupportsIndex | None = -1,
    kind: str | None = None,
    order: str | list[str] | None = None,
    *,
    stable: bool | None = None,
) -> ndarray: ...
def sum(
    a: ndarray,
    axis: SupportsIndex | tuple[SupportsIndex, ...] | None = None,
    dtype: npt.DTypeLike | None = None,
    out: Any = None,
    keepdims: Any = ...,  # (NumPy's "no value" default)
    initial: Any = ...,
    where: Any = ...,
) -> Any: ...
