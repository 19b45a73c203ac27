from collections.abc import Sequence
from typing import Any, Literal

INVALID_INDEX_MESSAGE: str
NON_INTEGER_ARRAY_MESSAGE: str
OVERFLOW_MESSAGE: str

def register_array_type(cls: type, probe_capsule: object | None = ...) -> None: ...
def plan_index(
    key: Any, shape: Sequence[int], strides: Sequence[int]
) -> (
    tuple[Literal["view", "copy"], int, tuple[int, ...], tuple[int, ...]]
    | tuple[Literal["scalar"], int]
    | tuple[Literal["advanced"]]
): ...
def plan_advanced(
    key: Any, shape: Sequence[int], strides: Sequence[int]
) -> tuple[tuple[int, ...], int, int, Literal["index", "offsets", "compress"]]: ...
def _configure_scatter(windows_min_span: int | None = None) -> dict[str, int]: ...
