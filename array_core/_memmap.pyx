# cython: language_level=3
"""Memory-mapped files: ``array_core.memmap``, NumPy's ``numpy.memmap``.

A memmap is an array whose Buffer borrows a ``mmap.mmap`` of the file
(through the buffer protocol, so the map cannot be closed under it).  The
class is a Python subclass of ``ndarray``: the view primitives give a view
the type of the array it views, so slices, transposes, reshapes and other
views of a memmap are memmaps on the same file, with NumPy's ``base`` chain
(a view's base is the memmap it views; the memmap's base is the
``mmap.mmap``).  Copies, ufunc results and advanced indexing are made at
the copy choke point and are plain in-memory ``ndarray`` objects.

The file-backed Buffer is marked private (array_core sees every write made
through its arrays) and permanently pinned (it never moves to other memory):
``m.copy(lazy=True)`` is then a lazy copy, and the first write to either
side materialises the copy, never the map.  Writes made behind array_core's
back -- through the ``mmap.mmap`` object itself or by another process to
the file -- are not seen by a lazy copy made before them.

``close()`` unmaps the file, and refuses while anything can still reach
the mapped memory (numpy#13510: NumPy has no ``close`` and closing its
``_mmap`` under a live view crashes).
"""
from cpython.buffer cimport (
    PyBUF_ANY_CONTIGUOUS,
    PyBUF_WRITABLE,
    PyBuffer_Release,
    PyObject_GetBuffer,
)
from cpython.ref cimport PyObject

from array_core._array cimport ndarray, as_numpy, data_of, end_lazy_sharing
from array_core._buffer cimport Buffer
from array_core._typedefs cimport (
    FLAG_ALIGNED,
    FLAG_C_CONTIGUOUS,
    FLAG_F_CONTIGUOUS,
    FLAG_OWNDATA,
    FLAG_WARN_ON_WRITE,
    FLAG_WRITEABLE,
)

from array_core import _array as _array_module

import mmap as _mmap_module
import operator
import os
import weakref
from contextlib import nullcontext

import numpy as np

cdef extern from "Python.h":
    Py_ssize_t Py_REFCNT(PyObject* o)

_VALID_MODES = ["r", "c", "r+", "w+"]
_MODE_EQUIVALENTS = {
    "readonly": "r",
    "copyonwrite": "c",
    "readwrite": "r+",
    "write": "w+",
}
_MAP_ATTRIBUTES = ("_mmap", "filename", "offset", "mode")

# A map's Buffer -> a weak reference to its root memmap, so that a lazy copy
# of the map can be named by its file (_lazy_map_source).  Weak both ways:
# the registry keeps neither alive.
_roots_by_buffer = weakref.WeakKeyDictionary()

# Where a closed memmap's (empty) Buffer points: never read.
cdef char closed_memory[64]


cdef int claim_map(ndarray root, object mm) except -1:
    """Mark ``root``'s Buffer (a borrow of ``mm``) as file-backed memory:
    private (lazy copies allowed), pinned (it never moves), and kept by a
    memoryview of ``mm`` that the holder of any lazy copy inherits (so the
    map cannot be closed while a lazy copy still reads it)."""
    cdef Buffer buf = root.buffer
    buf.private = True
    buf.shared_memory = True
    buf.pinned_exports += 1
    buf.keeper = memoryview(mm)
    _roots_by_buffer[buf] = weakref.ref(root)
    return 0


def _lazy_map_source(ndarray a):
    """``(root, start)`` when ``a`` reads the map of a memmap opened in mode
    'r' (the map or a view of it, a lazy copy of it not yet written, or a
    view of one): ``root`` is that memmap and ``start`` the byte offset of
    ``a``'s first element from ``root``'s; else None.  Nothing in the
    process can write such a map, so its file names ``a``'s contents (a
    Dask token need not read it).  Materialises nothing."""
    cdef Buffer buf = a.buffer
    cdef Buffer holder = buf.lazy_source
    first = buf
    if buf.lazy_linked and holder is not None and holder.lazy_copies:
        first = holder.lazy_copies[0]()   # the map's own Buffer, if alive
    ref = _roots_by_buffer.get(first) if first is not None else None
    root = ref() if ref is not None else None
    if root is None or root.mode != "r" or root._mmap is None or root._mmap.closed:
        return None
    return root, <Py_ssize_t>(data_of(a) - data_of(<ndarray>root))


cdef Py_ssize_t buffer_references(Buffer buf):
    return Py_REFCNT(<PyObject*>buf)


cdef int close_map(ndarray root) except -1:
    """Unmap ``root``'s file, or raise BufferError (nothing changed) while
    anything other than ``root`` can reach the mapped memory."""
    cdef Buffer buf = root.buffer
    cdef int i
    mm = root.__dict__.get("_mmap")
    if mm is None or mm.closed:
        return 0
    # Lazy copies of the map get memory of their own (the map is pinned, so
    # they are the side that moves).
    if buf.lazy_linked:
        end_lazy_sharing(buf)
    # References to the Buffer: root's and ``buf``'s here; every view, every
    # buffer-protocol export and every pin of an export or a read adds one.
    if (buffer_references(buf) > 2 or buf.readers or buf.writable_exports
            or buf.pinned_exports != 1):
        raise BufferError(
            "cannot close the memmap: views of it, or exports of its memory "
            "(memoryview, numpy.asarray), are alive; delete them first")
    buf.keeper = None  # the holder of former lazy copies, and its memoryview
    PyBuffer_Release(&buf.view)
    buf.holds_view = False
    try:
        mm.close()
    except BufferError:
        # Something else holds the mmap itself (a memoryview or NumPy array
        # of ``m.base``, a lazy copy being read in another thread): keep it.
        PyObject_GetBuffer(mm, &buf.view, PyBUF_ANY_CONTIGUOUS
                           | (0 if buf.readonly else PyBUF_WRITABLE))
        buf.holds_view = True
        buf.keeper = memoryview(mm)
        raise BufferError(
            "cannot close the memmap: its mmap.mmap (the memmap's base) is "
            "exported elsewhere; release those exports first") from None
    # Nothing reaches the memory now: the memmap becomes an empty array.
    buf.ptr = closed_memory
    buf.nbytes = 0
    root.offset = 0
    for i in range(root.nd):
        root.dims[i] = 0
    root.shape_cache = None
    root.strides_cache = None
    root.flags_ = ((root.flags_ & (FLAG_WRITEABLE | FLAG_WARN_ON_WRITE | FLAG_OWNDATA))
                   | FLAG_C_CONTIGUOUS | FLAG_F_CONTIGUOUS | FLAG_ALIGNED)
    return 0


def _map_root(a):
    """The memmap that owns ``a``'s map (``a`` itself or a base), or None."""
    while isinstance(a, memmap):
        if "_mmap" in a.__dict__:
            return a
        a = a.base
    return None


class memmap(ndarray):
    """An array backed by a file on disk: NumPy's :class:`numpy.memmap`.

    ``memmap(filename, dtype=uint8, mode='r+', offset=0, shape=None,
    order='C')`` maps ``shape`` items of ``dtype`` found ``offset`` bytes
    into the file (by default all of it, as a 1-d array), as
    :class:`numpy.memmap` does.

    Parameters
    ----------
    filename : str, os.PathLike or file object
        The file; an open file object must allow the access ``mode`` needs.
    dtype : data-type, optional
        The type of the items (default ``uint8``).
    mode : {'r+', 'r', 'w+', 'c'}, optional
        ``'r'`` read-only; ``'r+'`` read and write an existing file (the
        default); ``'w+'`` create or overwrite the file (``shape`` is
        required); ``'c'`` copy-on-write: writes stay in memory and the
        file never changes.  NumPy's aliases ``'readonly'``,
        ``'readwrite'``, ``'write'`` and ``'copyonwrite'`` are accepted.
    offset : int, optional
        Where the data starts in the file, in bytes (any value; the map
        itself starts at the allocation granularity below it, as NumPy's).
    shape : int or sequence of ints, optional
        The array's shape; by default a 1-d array of the rest of the file.
        In modes ``'r+'`` and ``'w+'`` the file grows to hold it.
    order : {'C', 'F'}, optional
        The memory layout of the data in the file.

    Returns
    -------
    memmap
        The file-backed array.  Its views are memmaps on the same file;
        its copies are ordinary in-memory arrays.

    Raises
    ------
    ValueError
        For an unknown ``mode``, ``'w+'`` without ``shape``, a file size
        that is not a multiple of the item size, an empty file, or a map
        past the end of a file opened in mode ``'r'`` or ``'c'``
        (NumPy's and :mod:`mmap`'s messages).
    FileNotFoundError
        For a missing file in a mode other than ``'w+'``.

    Notes
    -----
    Differences from NumPy, on purpose: ``m.copy()`` and the results of
    ufuncs are plain ``ndarray`` objects (NumPy returns a memmap with no
    file behind it, numpy#13846); ``close()`` exists and is safe; a memmap
    pickles as an ordinary array, its memory handed out of band with
    protocol 5 (NumPy copies it into the pickle) and unpickles as an
    ordinary ``ndarray`` (not a map of the file).

    ``m.copy(lazy=True)`` is lazy in every mode: in mode ``'r'`` nothing in
    the process can write the map; in the other modes array_core sees every
    write made through its arrays and materialises the copy first.  Writes
    through the ``mmap.mmap`` object (``m.base``) or by another process are
    not seen.

    Examples
    --------
    >>> import os, tempfile, array_core
    >>> path = os.path.join(tempfile.mkdtemp(), "data.bin")
    >>> m = array_core.memmap(path, dtype="int16", mode="w+", shape=(2, 3))
    >>> m[:] = 7
    >>> m.flush()
    >>> r = array_core.memmap(path, dtype="int16", mode="r", shape=(2, 3))
    >>> r[1:]
    memmap([[7, 7, 7]], dtype=int16)
    >>> type(r[1:]).__name__, type(r + 1).__name__
    ('memmap', 'ndarray')
    >>> del r
    >>> m.close()
    >>> m.shape
    (0, 0)
    """

    __array_priority__ = -100.0

    def __new__(cls, filename, dtype=np.uint8, mode="r+", offset=0, shape=None,
                order="C"):
        try:
            mode = _MODE_EQUIVALENTS[mode]
        except KeyError:
            if mode not in _VALID_MODES:
                raise ValueError(
                    f"mode must be one of "
                    f"{_VALID_MODES + list(_MODE_EQUIVALENTS)!r} (got {mode!r})"
                ) from None
        if mode == "w+" and shape is None:
            raise ValueError("shape must be given if mode == 'w+'")
        if hasattr(filename, "read"):
            context = nullcontext(filename)
        else:
            context = open(os.fspath(filename), ("r" if mode == "c" else mode) + "b")
        with context as fid:
            fid.seek(0, 2)
            file_length = fid.tell()
            descr = np.dtype(dtype)
            itemsize = descr.itemsize
            if shape is None:
                nbytes = file_length - offset
                if nbytes % itemsize:
                    raise ValueError("Size of available data is not a "
                                     "multiple of the data-type size.")
                size = nbytes // itemsize
                shape = (size,)
            else:
                if not isinstance(shape, (tuple, list)):
                    try:
                        shape = [operator.index(shape)]
                    except TypeError:
                        pass
                shape = tuple(shape)
                size = np.intp(1)  # NumPy's product, overflow included
                for k in shape:
                    size *= k
            nbytes = int(offset + size * itemsize)
            if mode in ("w+", "r+"):
                nbytes = max(nbytes, 1)
                if file_length < nbytes:
                    # Grow the file (sparse where the system allows).
                    fid.seek(nbytes - 1, 0)
                    fid.write(b"\0")
                    fid.flush()
            access = (_mmap_module.ACCESS_COPY if mode == "c"
                      else _mmap_module.ACCESS_READ if mode == "r"
                      else _mmap_module.ACCESS_WRITE)
            granularity = _mmap_module.ALLOCATIONGRANULARITY
            start = offset - offset % granularity
            nbytes -= start
            if nbytes == 0 and start > 0:
                nbytes += granularity
                start -= granularity
            mm = _mmap_module.mmap(fid.fileno(), nbytes, access=access,
                                   offset=start)
            # Through the type's constructor (NumPy's ndarray.__new__ rules).
            self = _array_module.ndarray.__new__(
                cls, shape, dtype=descr, buffer=mm, offset=offset - start,
                order=order)
            claim_map(<ndarray>self, mm)
            d = self.__dict__
            d["_mmap"] = mm
            d["offset"] = offset
            d["mode"] = mode
            if isinstance(filename, os.PathLike):
                d["filename"] = filename.resolve()
            elif hasattr(fid, "name") and isinstance(fid.name, str):
                d["filename"] = os.path.abspath(fid.name)
            else:
                d["filename"] = None
        return self

    def __getattr__(self, name):
        # A view finds the map's attributes on the memmap that owns the map.
        if name in _MAP_ATTRIBUTES:
            root = _map_root(self)
            return None if root is None else root.__dict__[name]
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute '{name}'")

    def __repr__(self):
        return repr(as_numpy(self).view(np.memmap))

    def flush(self):
        """Write any changes in the array to the file on disk.

        As :meth:`numpy.memmap.flush`: flushes the whole map (nothing to do
        in modes ``'r'`` and ``'c'``, or once closed).

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile, array_core
        >>> path = os.path.join(tempfile.mkdtemp(), "f.bin")
        >>> m = array_core.memmap(path, mode="w+", shape=4)
        >>> m[0] = 1
        >>> m.flush()
        >>> open(path, "rb").read()
        b'\\x01\\x00\\x00\\x00'
        """
        mm = self._mmap
        if mm is not None and not mm.closed:
            mm.flush()

    def close(self):
        """Unmap the file; refused while anything can still reach its memory.

        NumPy's memmap has no ``close`` (closing its ``_mmap`` while views
        live crashes, numpy#13510).  This one unmaps the file only when the
        memmap itself is the last thing using the map: lazy copies of it are
        materialised first; views, exports of its memory (``memoryview``,
        ``numpy.asarray``) and exports of the ``mmap.mmap`` make it refuse.
        Afterwards the memmap is an empty array (every length 0).  Closing
        again does nothing.  Changes are written back by the system as for
        any shared map; call :meth:`flush` first to write them now.

        Returns
        -------
        None

        Raises
        ------
        BufferError
            While views or exports of the map are alive, or when called on a
            view (its memmap is alive).

        Examples
        --------
        >>> import os, tempfile, array_core
        >>> path = os.path.join(tempfile.mkdtemp(), "f.bin")
        >>> m = array_core.memmap(path, mode="w+", shape=4)
        >>> v = m[1:]
        >>> try:
        ...     m.close()
        ... except BufferError as e:
        ...     print(str(e)[:48])
        cannot close the memmap: views of it, or exports
        >>> del v
        >>> m.close()
        >>> m.shape
        (0,)
        """
        if "_mmap" not in self.__dict__:
            if _map_root(self) is not None:
                raise BufferError(
                    "cannot close a view of a memmap: close the memmap "
                    "that owns the map (this view keeps it alive)")
            return
        close_map(<ndarray>self)
