import mmap
import os
from typing import IO, Any, Literal, Self, SupportsIndex, TypeAlias

from numpy.typing import DTypeLike

from array_core._array import ndarray

_Mode: TypeAlias = Literal["r", "r+", "w+", "c", "readonly", "readwrite", "write",
                "copyonwrite"]

def _map_root(a: object) -> memmap | None: ...
def _lazy_map_source(a: ndarray) -> tuple[memmap, int] | None: ...

class memmap(ndarray):
    # Set on the memmap that owns the map; its views read them from it.
    _mmap: mmap.mmap | None
    filename: str | os.PathLike[str] | None
    offset: int
    mode: str
    __array_priority__: float
    def __new__(
        cls,
        filename: str | os.PathLike[str] | IO[Any],
        dtype: DTypeLike = ...,
        mode: _Mode = "r+",
        offset: int = 0,
        shape: SupportsIndex | tuple[int, ...] | list[int] | None = None,
        order: Literal["C", "F"] = "C",
    ) -> Self: ...
    def __getattr__(self, name: str) -> Any: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...
