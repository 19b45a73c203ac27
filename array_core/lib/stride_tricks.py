"""Views with arbitrary strides: ``as_strided`` and ``sliding_window_view``.

The counterpart of ``numpy.lib.stride_tricks`` (``broadcast_shapes`` is
NumPy's own: shapes in, a shape out, no array).  Every result is a view of
its input.  Unlike NumPy's, ``as_strided`` refuses a shape and strides that
would reach outside the input's memory, instead of reading or writing there.
"""
import numpy as np
from numpy import broadcast_shapes
from numpy.lib.array_utils import normalize_axis_tuple

from array_core._array import ndarray
from array_core._registry import implements
from array_core._stride_tricks import broadcast_arrays, broadcast_to, strided_view

__all__ = ["as_strided", "broadcast_arrays", "broadcast_shapes", "broadcast_to",
           "sliding_window_view"]


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """A view of ``x`` with the given ``shape`` and ``strides`` (in bytes).

    ``None`` keeps ``x``'s own.  Axes may overlap (a stride of 0 repeats an
    element), so writing through such a view is rarely what you want: pass
    ``writeable=False``.  A view that would reach outside ``x``'s memory
    raises ``ValueError`` (NumPy lets it read and write there).  ``subok``
    is accepted as NumPy accepts it.

    Examples
    --------
    >>> import array_core
    >>> from array_core.lib.stride_tricks import as_strided
    >>> x = array_core.arange(5)
    >>> w = as_strided(x, shape=(3, 3), strides=(8, 8), writeable=False)
    >>> w.tolist(), w.base is x
    ([[0, 1, 2], [1, 2, 3], [2, 3, 4]], True)
    """
    return strided_view(x, shape, strides, writeable)


@implements(np.lib.stride_tricks.sliding_window_view)
def sliding_window_view(x, window_shape, axis=None, *, subok=False,
                        writeable=False):
    """A read-only view of every window of ``window_shape`` over ``x``.

    The windows slide along ``axis`` (every axis by default); the window
    axes come last.  ``writeable=True`` allows writes, which reach every
    window that holds the element.

    Examples
    --------
    >>> import array_core
    >>> from array_core.lib.stride_tricks import sliding_window_view
    >>> v = sliding_window_view(array_core.arange(5), 3)
    >>> v.tolist(), v.strides, v.flags.writeable
    ([[0, 1, 2], [1, 2, 3], [2, 3, 4]], (8, 8), False)
    """
    window_shape = (tuple(window_shape) if np.iterable(window_shape)
                    else (window_shape,))
    arr = _as_array(x)
    if any(np.array(window_shape) < 0):
        raise ValueError("`window_shape` cannot contain negative values")
    if axis is None:
        axis = tuple(range(arr.ndim))
        if len(window_shape) != len(axis):
            raise ValueError(f"Since axis is `None`, must provide "
                             f"window_shape for all dimensions of `x`; "
                             f"got {len(window_shape)} window_shape elements "
                             f"and `x.ndim` is {arr.ndim}.")
    else:
        axis = normalize_axis_tuple(axis, arr.ndim, allow_duplicate=True)
        if len(window_shape) != len(axis):
            raise ValueError(f"Must provide matching length window_shape and "
                             f"axis; got {len(window_shape)} window_shape "
                             f"elements and {len(axis)} axes elements.")
    out_strides = arr.strides + tuple(arr.strides[ax] for ax in axis)
    # The same axis may be windowed more than once.
    trimmed = list(arr.shape)
    for ax, dim in zip(axis, window_shape, strict=True):
        if trimmed[ax] < dim:
            raise ValueError("window shape cannot be larger than input array shape")
        trimmed[ax] -= dim - 1
    out_shape = tuple(trimmed) + window_shape
    return strided_view(x, out_shape, out_strides, writeable)


def _as_array(x):
    if isinstance(x, ndarray):
        return x
    from array_core import asarray

    return asarray(x)
