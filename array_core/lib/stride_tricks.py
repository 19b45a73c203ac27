"""Views with arbitrary strides: ``as_strided`` and ``sliding_window_view``.

The counterpart of ``numpy.lib.stride_tricks``, with ``broadcast_to``,
``broadcast_arrays`` and ``broadcast_shapes`` (shapes in, a shape out: NumPy
computes it).  Every array result is a view of its input.  Unlike NumPy's,
``as_strided`` refuses a shape and strides that would reach outside the
input's memory, instead of reading or writing there.
"""
from collections.abc import Sequence
from typing import Any, SupportsIndex

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from array_core._array import ndarray
from array_core._registry import implements
from array_core._stride_tricks import broadcast_arrays, broadcast_to, strided_view

__all__ = ["as_strided", "broadcast_arrays", "broadcast_shapes", "broadcast_to",
           "sliding_window_view"]


def broadcast_shapes(
        *args: SupportsIndex | Sequence[SupportsIndex]) -> tuple[int, ...]:
    """Return the shape that arrays of the given shapes broadcast to.

    Only shapes are involved: no array is made or read.  Shapes are aligned
    from the right; along each axis the lengths must be equal or 1 (a
    length-1 axis, or a missing one, is stretched).

    Parameters
    ----------
    *args : int or sequence of int
        The shapes (an integer ``n`` is the shape ``(n,)``).

    Returns
    -------
    tuple of int
        The broadcast shape; ``()`` for no arguments.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together (the message names the
        first two that disagree), or if a length is negative.
    TypeError
        If a shape holds something other than integers.

    See Also
    --------
    broadcast_to, broadcast_arrays

    Notes
    -----
    The same function as NumPy's, computed by it: the same results and the
    same errors.

    Examples
    --------
    >>> import array_core
    >>> array_core.broadcast_shapes((3, 1), (4,))
    (3, 4)
    >>> array_core.broadcast_shapes(5, (2, 1), ())
    (2, 5)
    >>> array_core.broadcast_shapes((3,), (4,))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: shape mismatch: objects cannot be broadcast to a single shape. ...
    """
    return np.broadcast_shapes(*args)


def as_strided(
    x: Any,
    shape: Sequence[SupportsIndex] | None = None,
    strides: Sequence[SupportsIndex] | None = None,
    subok: bool = False,
    writeable: bool = True,
) -> ndarray:
    """Return a view of an array with the given shape and strides.

    The view reads the input's memory with any strides (in bytes), which
    may overlap (a stride of 0 repeats an element), without copying.  Unlike
    NumPy's, it is checked: a shape and strides that would reach outside the
    input's memory raise instead of reading or writing there.

    Parameters
    ----------
    x : ndarray
        The array to view.
    shape : sequence of int, optional
        The view's shape; ``x``'s by default.
    strides : sequence of int, optional
        The view's strides in bytes, one per axis of ``shape``; ``x``'s by
        default.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    writeable : bool, optional
        Whether the view may be written (True by default, if ``x`` is).
        Overlapping elements make writes hard to reason about: pass False
        unless you need them.

    Returns
    -------
    ndarray
        A view of ``x``'s memory; its ``base`` is ``x``'s owner.

    Raises
    ------
    ValueError
        If the view would reach outside ``x``'s memory, or if ``shape`` and
        ``strides`` differ in length.

    See Also
    --------
    sliding_window_view : A safer way to the most common use.
    broadcast_to

    Notes
    -----
    NumPy lets such a view read and write out of bounds; array_core refuses
    it.  The result's ``base`` is the input's owner, not NumPy's private
    ``DummyArray``.

    Examples
    --------
    >>> import array_core
    >>> from array_core.lib.stride_tricks import as_strided
    >>> x = array_core.arange(6)
    >>> w = as_strided(x, shape=(4, 3), strides=(8, 8), writeable=False)
    >>> w
    array([[0, 1, 2],
           [1, 2, 3],
           [2, 3, 4],
           [3, 4, 5]])
    >>> w.base is x, array_core.shares_memory(w, x)
    (True, True)
    >>> as_strided(x, shape=(5, 3), strides=(8, 8))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: as_strided: the view would reach outside the array's memory ...
    """
    return strided_view(x, shape, strides, writeable)


@implements(np.lib.stride_tricks.sliding_window_view)
def sliding_window_view(
    x: Any,
    window_shape: SupportsIndex | Sequence[SupportsIndex],
    axis: int | Sequence[int] | None = None,
    *,
    subok: bool = False,
    writeable: bool = False,
) -> ndarray:
    """Return a read-only view of every window of the given shape over an array.

    The windows slide along ``axis`` (every axis by default), one element at
    a time; the view's leading axes index the window positions and its last
    axes the elements of a window.  Nothing is copied: windows overlap in
    the input's memory.

    Parameters
    ----------
    x : array_like
        The array to slide over.
    window_shape : int or sequence of int
        The window's length along each axis in ``axis``.
    axis : int or sequence of int, optional
        The axes to slide along (may repeat); every axis by default, in
        which case ``window_shape`` needs one entry per axis of ``x``.
    subok : bool, optional
        Accepted as NumPy accepts it (array_core has no subclasses).
    writeable : bool, optional
        Allow writes through the view (False by default); a write reaches
        every window that holds the element.

    Returns
    -------
    ndarray
        A view of ``x``'s memory, of shape ``x.shape`` (each windowed axis
        shortened by its window length minus 1) plus ``window_shape``.

    Raises
    ------
    ValueError
        If ``window_shape`` holds a negative length, is longer than an axis
        it slides along, or has a different number of entries than the
        axes.
    numpy.exceptions.AxisError
        If an axis is out of bounds.

    See Also
    --------
    as_strided

    Examples
    --------
    >>> import array_core
    >>> from array_core.lib.stride_tricks import sliding_window_view
    >>> x = array_core.arange(6)
    >>> v = sliding_window_view(x, 3)
    >>> v
    array([[0, 1, 2],
           [1, 2, 3],
           [2, 3, 4],
           [3, 4, 5]])
    >>> v.strides, v.flags.writeable, v.base is x
    ((8, 8), False, True)
    >>> v.mean(axis=-1)  # a moving average
    array([1., 2., 3., 4.])
    >>> m = array_core.arange(12).reshape(3, 4)
    >>> sliding_window_view(m, 2, axis=1).shape
    (3, 3, 2)
    """
    windows: tuple[Any, ...] = (tuple(window_shape) if np.iterable(window_shape)
                                else (window_shape,))
    arr = _as_array(x)
    if any(np.array(windows) < 0):
        raise ValueError("`window_shape` cannot contain negative values")
    if axis is None:
        axis = tuple(range(arr.ndim))
        if len(windows) != len(axis):
            raise ValueError(f"Since axis is `None`, must provide "
                             f"window_shape for all dimensions of `x`; "
                             f"got {len(windows)} window_shape elements "
                             f"and `x.ndim` is {arr.ndim}.")
    else:
        axis = normalize_axis_tuple(axis, arr.ndim, allow_duplicate=True)
        if len(windows) != len(axis):
            raise ValueError(f"Must provide matching length window_shape and "
                             f"axis; got {len(windows)} window_shape "
                             f"elements and {len(axis)} axes elements.")
    out_strides = arr.strides + tuple(arr.strides[ax] for ax in axis)
    # The same axis may be windowed more than once.
    trimmed = list(arr.shape)
    for ax, dim in zip(axis, windows, strict=True):
        if trimmed[ax] < dim:
            raise ValueError("window shape cannot be larger than input array shape")
        trimmed[ax] -= dim - 1
    out_shape = tuple(trimmed) + windows
    return strided_view(x, out_shape, out_strides, writeable)


def _as_array(x: Any) -> ndarray:
    if isinstance(x, ndarray):
        return x
    from array_core import asarray

    return asarray(x)
