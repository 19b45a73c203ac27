"""Dask: array_core arrays as a chunk type, and their tokens.

Dask is optional and costly to import, so nothing here imports it.
array_core registers ``ndarray`` as a Dask chunk type
(``dask.array.register_chunk_type``) at the first of:

- array_core's import, when ``dask.array`` is already imported;
- the first time Dask tokenizes an array_core array (``da.from_array``
  does, through ``ndarray.__dask_tokenize__``);
- the first time an operator, ``__array_ufunc__`` or
  ``__array_function__`` of an array_core array meets a Dask collection
  (``dask_array - array_core_array``): the call is then dispatched again,
  and Dask, which now knows the type, handles it.

Before the registration Dask gives way to array_core arrays (NEP 13) and
array_core gives way to Dask, so mixed operations would fail.

``ndarray.__dask_tokenize__`` follows Dask's token of a NumPy array: a hash
of the array's bytes in memory order, with its dtype and shape (and its
strides unless it is C-contiguous, since the memory order follows them: Dask
names a square NumPy array and its transpose alike; and the type, so that an
array_core array and a NumPy array never share a Dask key). The bytes are
read through a read-only NumPy view, which never materialises a lazy copy; a
structured dtype is named by its fields too (Dask's NumPy token names it by
its size alone). A memmap of a file opened ``'r'``, ``'r+'`` or ``'w+'`` is
named by its file instead (path, size and modification time, the byte offset
of its first element, its mode, shape, strides and dtype), without reading
it; a ``'c'`` map may hold private writes the file does not have, so its
bytes are hashed.
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
from typing import Any

import numpy as np

from array_core._array import _install_methods, ndarray
from array_core._memmap import _lazy_map_source, _map_root

_registered = False
_register_lock = threading.Lock()


def register() -> bool:
    """Register ``ndarray`` as a Dask chunk type if ``dask.array`` is imported.

    True when this call registered it (False when it already was, or when
    ``dask.array`` is not imported: it is never imported here).
    """
    global _registered
    if _registered:
        return False
    chunk_types = sys.modules.get("dask.array.chunk_types")
    if chunk_types is None:
        return False
    with _register_lock:
        # Set only once registered: a thread that sees it set may rely on it.
        if _registered or chunk_types.is_valid_chunk_type(ndarray):
            _registered = True
            return False
        chunk_types.register_chunk_type(ndarray)
        _registered = True
    return True


def meets_dask(x: object) -> bool:
    """Register the chunk type when ``x`` is a Dask collection; True when
    that registered it now (the caller then dispatches once more)."""
    if _registered or not hasattr(type(x), "__dask_graph__"):
        return False
    return register()


def any_meets_dask(types: Any) -> bool:
    """``meets_dask`` for ``__array_function__``'s ``types``."""
    if _registered:
        return False
    for t in types:
        if hasattr(t, "__dask_graph__"):
            return register()
    return False


def _hash(data: Any) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _address(view: np.ndarray) -> int:
    return int(view.__array_interface__["data"][0])


def _file_token(view: np.ndarray, root: Any) -> tuple[Any, ...] | None:
    """A map's token from its file, or None when it has none to go by."""
    filename = root.filename
    mm = root._mmap
    if filename is None or mm is None or mm.closed or root.mode == "c":
        return None
    try:
        stat = os.stat(filename)
    except OSError:
        return None
    start = _address(view) - _address(np.asarray(root)) + root.offset
    return ("array_core.memmap", os.fspath(filename), stat.st_size,
            stat.st_mtime_ns, start, root.mode, view.shape, view.strides,
            _dtype_token(view.dtype))


def _dtype_token(dtype: np.dtype) -> Any:
    """``dtype.str``, as Dask's token of a dtype, with the fields of a
    structured one: its ``str`` ('|V8') says only its size, and two arrays
    of the same bytes with other fields must not share a key."""
    return dtype.str if dtype.names is None else (dtype.str, dtype.descr)


def dask_tokenize(a: ndarray, view: np.ndarray) -> tuple[Any, ...]:
    """``a.__dask_tokenize__()``, given a read-only NumPy view of ``a``:
    see the module docstring."""
    register()
    root = _map_root(a)
    if root is None:
        # A lazy copy of a read-only map (Dask's own copy in from_array) is
        # named by the map's file too: nothing can write either.
        source = _lazy_map_source(a)
        root = source[0] if source else None
    if root is not None:
        token = _file_token(view, root)
        if token is not None:
            return token
    if not view.shape:
        return ("array_core.ndarray", view.item(), _dtype_token(view.dtype))
    # Memory order, as Dask does for NumPy: a view unless non-contiguous.
    # That order depends on the strides, so they are named unless C order
    # (Dask's NumPy token gives a square array and its .T the same key).
    data = view.ravel(order="K").view(np.uint8)
    layout = () if view.flags.c_contiguous else view.strides
    return ("array_core.ndarray", _hash(data), _dtype_token(view.dtype),
            view.shape, layout)


_install_methods(__dask_tokenize__=dask_tokenize)

if "dask.array" in sys.modules:
    register()
