# The functions of _methods are installed as ndarray methods on import
# (array_core._array._install_methods); its one public name is numpy.sort's
# array_core implementation, reached through numpy.sort.
from typing import SupportsIndex

from array_core._array import ndarray

def sort(
    a: ndarray,
    axis: SupportsIndex | None = -1,
    kind: str | None = None,
    order: str | list[str] | None = None,
    *,
    stable: bool | None = None,
) -> ndarray: ...
