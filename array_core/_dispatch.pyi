from collections.abc import Callable, Collection
from typing import Any

WRITTEN_ARGUMENTS: dict[
    Callable[..., Any], tuple[int, str, tuple[str, int, Any] | None]
]

def array_function(
    func: Callable[..., Any],
    types: Collection[type[Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any: ...
