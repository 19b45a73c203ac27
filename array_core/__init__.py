"""array_core: NumPy's copy-versus-view behaviour, exact, visible and controllable.

An array is a buffer plus metadata.  Basic indexing, ``reshape`` when the
strides allow, ``T``, ``view`` and friends make views; everything else copies,
through one choke point that can be audited and controlled.
"""
# Imported for what they install before any user code runs: the dispatch
# protocol, the ndarray methods, and ndarray.__setitem__'s code.  Importing
# a family fills the ndarray's method table and the registry.
from array_core import (  # noqa: F401
    _dispatch,
    _methods,
    _setitem,
)
from array_core._array import (
    copy,
    expand_dims,
    flagsobj,
    may_share_memory,
    moveaxis,
    ndarray,
    ravel,
    reshape,
    shares_memory,
    squeeze,
    swapaxes,
    transpose,
)
from array_core._control import (
    CopyError,
    CopyWarning,
    copy_audit,
    copy_policy,
    get_copy_policy,
    set_copy_policy,
)
from array_core._creation import (
    arange,
    array,
    asarray,
    ascontiguousarray,
    asfortranarray,
    empty,
    frombuffer,
    full,
    ones,
    zeros,
)
from array_core._explain import explain
from array_core._joining import (
    column_stack,
    concatenate,
    dstack,
    hstack,
    stack,
    vstack,
)
from array_core._like import (
    empty_like,
    full_like,
    ones_like,
    require,
    zeros_like,
)
from array_core._repeating import (
    repeat,
    resize,
    tile,
)
from array_core._selection import (
    argwhere,
    compress,
    copyto,
    extract,
    flatnonzero,
    nonzero,
    place,
    put,
    putmask,
    take,
    where,
)

__version__ = "0.1.0"

__all__ = [
    "arange",
    "argwhere",
    "array",
    "asarray",
    "ascontiguousarray",
    "asfortranarray",
    "column_stack",
    "compress",
    "concatenate",
    "copy",
    "copy_audit",
    "copy_policy",
    "CopyError",
    "copyto",
    "CopyWarning",
    "dstack",
    "empty",
    "empty_like",
    "expand_dims",
    "explain",
    "extract",
    "flagsobj",
    "flatnonzero",
    "frombuffer",
    "full",
    "full_like",
    "get_copy_policy",
    "hstack",
    "may_share_memory",
    "moveaxis",
    "ndarray",
    "nonzero",
    "ones",
    "ones_like",
    "place",
    "put",
    "putmask",
    "ravel",
    "repeat",
    "require",
    "reshape",
    "resize",
    "set_copy_policy",
    "shares_memory",
    "squeeze",
    "stack",
    "swapaxes",
    "take",
    "tile",
    "transpose",
    "vstack",
    "where",
    "zeros",
    "zeros_like",
]
