from typing import Any

import numpy as np

from array_core._array import ndarray

def _reduce_ex(a: ndarray, protocol: int) -> tuple[Any, ...]: ...
def _from_pickle_buffer(received: Any, dtype: np.dtype[Any],
                        shape: tuple[int, ...], order: str,
                        writeable: bool) -> ndarray: ...
def _from_numpy_reduce(reduced: tuple[Any, Any, Any]) -> ndarray: ...
def _from_pickle_span(received: Any, dtype: np.dtype[Any],
                      shape: tuple[int, ...], strides: tuple[int, ...],
                      offset: int, writeable: bool) -> ndarray: ...
