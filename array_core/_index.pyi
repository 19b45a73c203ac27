from collections.abc import Sequence
from typing import Any, Literal

INVALID_INDEX_MESSAGE: str

def plan_index(
    key: Any, shape: Sequence[int], strides: Sequence[int]
) -> (
    tuple[Literal["view"], int, tuple[int, ...], tuple[int, ...]]
    | tuple[Literal["scalar"], int]
    | tuple[Literal["advanced"]]
): ...
