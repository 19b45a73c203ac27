"""array_core: NumPy's copy-versus-view behaviour, exact, visible and controllable.

An array is a buffer plus metadata.  Basic indexing, ``reshape`` when the
strides allow, ``T``, ``view`` and friends make views; everything else copies,
through one choke point that can be audited and controlled.
"""
# Imported before anything runs: _setitem installs ndarray.__setitem__'s
# code, _operators the operators' and __array_ufunc__'s, and each family
# fills the ndarray's method table and the registry; lib holds
# array_core.lib.stride_tricks, as numpy.lib.stride_tricks.
from array_core import (
    _dask,  # noqa: F401
    _dispatch,  # noqa: F401
    _methods,  # noqa: F401
    _operators,  # noqa: F401
    _pickle,  # noqa: F401
    _setitem,  # noqa: F401
    lib,  # noqa: F401
)
from array_core._array import (
    flagsobj,
    ndarray,
)
from array_core._control import (
    CopyError,
    CopyWarning,
    copy_audit,
    copy_policy,
    get_copy_policy,
    lazy_copies,
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
from array_core._dask_control import dask_copy_control
from array_core._dlpack import from_dlpack
from array_core._executor import CopyControlExecutor
from array_core._explain import explain
from array_core._flatiter import flatiter
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
from array_core._memmap import memmap
from array_core._memory import (
    PinWarning,
    check_pins,
    memory_report,
    track_allocations,
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
from array_core._stride_tricks import broadcast_arrays, broadcast_to
from array_core._thread_control import threads
from array_core._threads import get_num_threads, set_num_threads
from array_core._view_functions import (
    array_split,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    copy,
    diagonal,
    dsplit,
    expand_dims,
    flip,
    fliplr,
    flipud,
    hsplit,
    imag,
    matrix_transpose,
    may_share_memory,
    moveaxis,
    permute_dims,
    ravel,
    real,
    reshape,
    rot90,
    shares_memory,
    split,
    squeeze,
    swapaxes,
    transpose,
    unstack,
    vsplit,
)
from array_core.lib.stride_tricks import broadcast_shapes

__version__ = "0.1.0"

__all__ = [
    "arange",
    "argwhere",
    "array",
    "array_split",
    "asarray",
    "ascontiguousarray",
    "asfortranarray",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "check_pins",
    "column_stack",
    "compress",
    "concatenate",
    "copy",
    "copy_audit",
    "copy_policy",
    "CopyControlExecutor",
    "CopyError",
    "copyto",
    "CopyWarning",
    "dask_copy_control",
    "diagonal",
    "dsplit",
    "dstack",
    "empty",
    "empty_like",
    "expand_dims",
    "explain",
    "extract",
    "flagsobj",
    "flatiter",
    "flatnonzero",
    "flip",
    "fliplr",
    "flipud",
    "from_dlpack",
    "frombuffer",
    "full",
    "full_like",
    "get_copy_policy",
    "get_num_threads",
    "hsplit",
    "hstack",
    "imag",
    "lazy_copies",
    "matrix_transpose",
    "may_share_memory",
    "memmap",
    "memory_report",
    "moveaxis",
    "ndarray",
    "nonzero",
    "ones",
    "ones_like",
    "permute_dims",
    "PinWarning",
    "place",
    "put",
    "putmask",
    "ravel",
    "real",
    "repeat",
    "require",
    "reshape",
    "resize",
    "rot90",
    "set_copy_policy",
    "set_num_threads",
    "shares_memory",
    "split",
    "squeeze",
    "stack",
    "swapaxes",
    "take",
    "threads",
    "tile",
    "track_allocations",
    "transpose",
    "unstack",
    "vsplit",
    "vstack",
    "where",
    "zeros",
    "zeros_like",
]
