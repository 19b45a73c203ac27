from collections.abc import Callable, Collection
from typing import Any, final

WRITTEN_ARGUMENTS: dict[
    Callable[..., Any], tuple[int, str, tuple[str, int, Any] | None]
]

def array_function(
    func: Callable[..., Any],
    types: Collection[type[Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any: ...

# The registry of native implementations (array_core._registry's).
IMPLEMENTATIONS: dict[Callable[..., Any], Callable[..., Any]]

# Internal: one fallback call's conversions; what the fallback knows of a
# NumPy function.
@final
class Call: ...

@final
class FunctionInfo: ...
