"""Thread control users know from other libraries: a context manager, and
array_core's pool as threadpoolctl sees it.

The thread count itself lives in the compiled ``_threads`` module (the
kernels read it without the GIL); this module is the Python surface around
it.  When threadpoolctl (3.5 or later) is installed, importing array_core
registers a controller for its pool, so ``threadpoolctl.threadpool_info()``
lists it (``user_api`` and ``internal_api`` "array_core") and
``threadpool_limits(1)`` limits it; registering costs about 3 ms of import
time, paid only where threadpoolctl is installed.
"""
from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from array_core._threads import get_num_threads, set_num_threads

__all__ = ["threads"]

# The exported C functions of _threads' shared library (_threads_pool.h).
_C_GET = "array_core_get_num_threads"
_C_SET = "array_core_set_num_threads"


@contextmanager
def threads(n: int) -> Iterator[None]:
    """Run the block with array_core's large copies on at most ``n`` threads.

    Sets the process-wide count (:func:`set_num_threads`) on entry and
    restores the previous one on exit, also when the block raises, as
    ``threadpoolctl.threadpool_limits`` does.

    Parameters
    ----------
    n : int
        At least 1.

    Yields
    ------
    None

    Raises
    ------
    TypeError, ValueError
        As :func:`set_num_threads`, before the block runs.

    Examples
    --------
    >>> import numpy as np
    >>> import array_core
    >>> a = array_core.asarray(np.arange(12.0).reshape(3, 4))
    >>> with array_core.threads(1):
    ...     b = array_core.ascontiguousarray(a.T)
    ...     array_core.get_num_threads()
    1
    >>> b.shape
    (4, 3)
    """
    previous = get_num_threads()
    set_num_threads(n)
    try:
        yield
    finally:
        set_num_threads(previous)


# The methods of threadpoolctl's controller of the pool; ``self.dynlib`` is
# threadpoolctl's ctypes handle on _threads' shared library.
def _controller_get_num_threads(self: Any) -> int:
    return int(getattr(self.dynlib, _C_GET)())


def _controller_set_num_threads(self: Any, num_threads: int) -> None:
    getattr(self.dynlib, _C_SET)(ctypes.c_int(num_threads))


def _controller_get_version(self: Any) -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("array_core")
    except PackageNotFoundError:
        return None


def _register_with_threadpoolctl() -> bool:
    """Register array_core's pool with threadpoolctl; False when there is no
    threadpoolctl, or one too old to take other controllers."""
    try:
        import threadpoolctl  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return False
    if not hasattr(threadpoolctl, "register"):
        return False  # before 3.5
    # Made here, not at module level: its base class is threadpoolctl's.
    controller = type("ArrayCoreController", (threadpoolctl.LibController,), {
        "__doc__": "threadpoolctl's view of array_core's pool (_threads).",
        "__module__": __name__,
        "user_api": "array_core",
        "internal_api": "array_core",
        # The shared library's file name starts with the module's name; the
        # symbols tell it from another package's _threads module.
        "filename_prefixes": ("_threads",),
        "check_symbols": (_C_GET, _C_SET),
        "get_num_threads": _controller_get_num_threads,
        "set_num_threads": _controller_set_num_threads,
        "get_version": _controller_get_version,
    })
    threadpoolctl.register(controller)
    return True


_registered = _register_with_threadpoolctl()
