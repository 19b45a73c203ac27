"""The NumPy functions array_core implements itself, for ``__array_function__``.

A family module registers its implementation of a NumPy function with
``@implements(np.concatenate)``; ``ndarray.__array_function__`` calls it
with the arguments NumPy was given.  NumPy functions not registered run
NumPy's own code on read-only NumPy views of the array_core inputs (see
``_dispatch``).
"""

from collections.abc import Callable
from typing import Any, TypeVar

_Function = TypeVar("_Function", bound=Callable[..., Any])

# numpy function -> array_core implementation
IMPLEMENTATIONS: dict[Callable[..., Any], Callable[..., Any]] = {}


def implements(
    *numpy_functions: Callable[..., Any],
) -> Callable[[_Function], _Function]:
    """Register the decorated function as array_core's ``numpy_functions``.

    Examples
    --------
    >>> import numpy as np
    >>> from array_core._registry import IMPLEMENTATIONS, implements
    >>> @implements(np.shape)
    ... def shape(a):
    ...     return a.shape
    >>> IMPLEMENTATIONS[np.shape] is shape
    True
    >>> del IMPLEMENTATIONS[np.shape]
    """
    def register(function: _Function) -> _Function:
        for numpy_function in numpy_functions:
            IMPLEMENTATIONS[numpy_function] = function
        return function
    return register
