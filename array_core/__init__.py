"""array_core: NumPy's copy-versus-view behaviour, exact, visible and controllable.

An array is a buffer plus metadata.  Basic indexing, ``reshape`` when the
strides allow, ``T``, ``view`` and friends make views; everything else copies,
through one choke point that can be audited and controlled.
"""
from array_core._array import (
    array,
    arange,
    asarray,
    ascontiguousarray,
    asfortranarray,
    copy,
    empty,
    expand_dims,
    flagsobj,
    frombuffer,
    full,
    may_share_memory,
    moveaxis,
    ndarray,
    ones,
    ravel,
    reshape,
    shares_memory,
    squeeze,
    swapaxes,
    transpose,
    zeros,
)

__version__ = "0.1.0"

__all__ = [
    "arange",
    "array",
    "asarray",
    "ascontiguousarray",
    "asfortranarray",
    "copy",
    "empty",
    "expand_dims",
    "flagsobj",
    "frombuffer",
    "full",
    "may_share_memory",
    "moveaxis",
    "ndarray",
    "ones",
    "ravel",
    "reshape",
    "shares_memory",
    "squeeze",
    "swapaxes",
    "transpose",
    "zeros",
]
