from collections.abc import Sequence
from typing import SupportsIndex, TypeAlias

import numpy as np
import numpy.typing as npt

_Intp: TypeAlias = npt.NDArray[np.intp] | memoryview

def c_strides(shape: _Intp, itemsize: int) -> tuple[int, ...]: ...
def f_strides(shape: _Intp, itemsize: int) -> tuple[int, ...]: ...
def is_c_contiguous(shape: _Intp, strides: _Intp, itemsize: int) -> bool: ...
def is_f_contiguous(shape: _Intp, strides: _Intp, itemsize: int) -> bool: ...
def attempt_nocopy_reshape(
    shape: _Intp,
    strides: _Intp,
    newshape: _Intp,
    order: str,  # 'C' or 'F' (ValueError otherwise)
    itemsize: int = 8,
) -> tuple[int, ...] | None: ...
def extent(shape: _Intp, strides: _Intp, itemsize: int) -> tuple[int, int]: ...
def coalesce(
    shape: _Intp,
    strides_a: _Intp,
    strides_b: Sequence[int] | _Intp | None = None,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...] | None]: ...
def fix_unknown_dimension(
    newshape: SupportsIndex | Sequence[SupportsIndex], size: int
) -> tuple[int, ...]: ...
