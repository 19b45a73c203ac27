# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""``ndarray.flat``: NumPy's flat iterator over an array_core array.

A ``flatiter`` walks its array in C order, whatever the layout.  Reading
one element gives a NumPy scalar; indexing with a slice, an integer or
boolean array or ``...`` gives a new 1-d array (a copy, as in NumPy,
made through the copy choke point); assignment writes into the array,
repeating the values as needed, as NumPy's does.
"""
cimport cython

from array_core._typedefs cimport FLAG_WRITEABLE, FLAG_C_CONTIGUOUS, ORDER_C
from array_core._layout cimport shape_size
from array_core._array cimport (
    ndarray, data_of, scalar_at, flat_copy, copy_array, as_numpy_for_write,
    to_numpy_arg, make_view_with_flags, COPY_EXPLICIT,
)
from array_core._array import _install_methods

import operator

import numpy as np


cdef object _index_message = (
    "only integers, slices (`:`), ellipsis (`...`) and integer or boolean "
    "arrays are valid indices")


@cython.final
cdef class flatiter:
    """A flat iterator over an array: ``a.flat``.

    It walks the array's elements in C order (the last index changing
    fastest) whatever the array's layout, and can be indexed as a 1-d
    array of ``a.size`` elements.  It copies nothing to iterate; what
    indexing gives depends on the key, as in NumPy:

    - an integer gives one element, as a NumPy scalar;
    - a slice, ``...``, or an integer or boolean array gives a new 1-d
      array that owns its memory (``base`` is None), even where a view
      would be possible: a copy, made through the copy choke point and
      recorded by :class:`array_core.copy_audit` as ``flatiter``;
    - assigning to any of these writes into the array itself, repeating
      the values as needed.

    Comparisons (``==``, ``<``, ...) and ufuncs act on the elements, as
    on ``a.ravel()``.

    Attributes
    ----------
    base : ndarray
        The array being iterated over.
    index : int
        The flat (C-order) index of the next element.
    coords : tuple of ints
        The N-d index of the next element.

    Raises
    ------
    IndexError
        On indexing with an integer out of range for ``a.size``, with a
        tuple of more than one index, or with a key that is not an
        integer, slice, ``...`` or integer or boolean array (``None``
        included).
    ValueError
        On assigning into a read-only array.

    See Also
    --------
    ndarray.flat : Makes the iterator, and can be assigned to.
    ndarray.ravel : A 1-d view when possible.

    Notes
    -----
    NumPy 2.4 still accepts a float index (``a.flat[1.5]``) with a
    DeprecationWarning; array_core refuses it with IndexError.  NumPy
    refuses ``numpy.flatiter(a)``; ``array_core.flatiter(a)`` of an
    array_core array makes the same iterator as ``a.flat``.  Indexing or
    assigning through a NumPy flatiter also moves its position back to 0;
    array_core's keeps its position.

    Examples
    --------
    >>> import array_core as ac
    >>> x = ac.arange(6).reshape(2, 3)
    >>> t = x.T
    >>> fl = t.flat
    >>> [int(v) for v in fl], fl.base is t, fl.index
    ([0, 3, 1, 4, 2, 5], True, 6)

    Indexing gives a scalar, or a copy even for a slice:

    >>> x.flat[4], x.flat[1:3]
    (np.int64(4), array([1, 2]))
    >>> x.flat[1:3].base is None, ac.shares_memory(x.flat[1:3], x)
    (True, False)

    Assignment writes into the array:

    >>> x.flat[::2] = 0
    >>> x
    array([[0, 1, 0],
           [3, 0, 5]])
    >>> x.flat[6]
    Traceback (most recent call last):
        ...
    IndexError: index 6 is out of bounds for size 6
    """
    cdef ndarray array
    cdef Py_ssize_t position
    cdef Py_ssize_t size

    def __cinit__(self, ndarray array):
        self.array = array
        self.position = 0
        self.size = shape_size(array.nd, array.dims)

    @property
    def base(self):
        """The array being iterated over.

        The array itself (``a.flat.base is a``), not the owner of its memory.

        Examples
        --------
        >>> import array_core as ac
        >>> x = ac.arange(6).reshape(2, 3)
        >>> x.flat.base is x, x.T.flat.base is x
        (True, False)
        """
        return self.array

    @property
    def index(self):
        """The flat (C-order) index of the next element.

        Starts at 0 and counts the elements taken by iteration.

        Examples
        --------
        >>> import array_core as ac
        >>> fl = ac.arange(6).reshape(2, 3).flat
        >>> fl.index, next(fl), next(fl), fl.index
        (0, np.int64(0), np.int64(1), 2)
        """
        return self.position

    @property
    def coords(self):
        """The N-d index of the next element.

        The position ``index`` in C order as a tuple of one index per axis (an
        empty tuple for a 0-d array).

        Examples
        --------
        >>> import array_core as ac
        >>> fl = ac.arange(6).reshape(2, 3).flat
        >>> fl.coords
        (0, 0)
        >>> for _ in range(4):
        ...     _ = next(fl)
        >>> fl.index, fl.coords
        (4, (1, 1))
        """
        return self.coordinates(self.position)

    cdef tuple coordinates(self, Py_ssize_t flat):
        cdef ndarray a = self.array
        cdef int i
        cdef list coords = [0] * a.nd
        if a.nd == 0:
            return ()
        # NumPy's counters: an exhausted iterator over a non-contiguous 3+-d
        # array has wrapped to all zeros; otherwise the first coordinate
        # does not wrap (it reads (len, 0, ...)).
        if flat >= self.size and a.nd > 2 and not a.flags_ & FLAG_C_CONTIGUOUS:
            return (0,) * a.nd
        for i in range(a.nd - 1, 0, -1):
            if a.dims[i] > 0:
                coords[i] = flat % a.dims[i]
                flat //= a.dims[i]
        coords[0] = flat
        return tuple(coords)

    cdef object element(self, Py_ssize_t flat):
        """The element at C-order index ``flat`` (in range) as a scalar."""
        cdef ndarray a = self.array
        cdef char* p = data_of(a)
        cdef int i
        cdef Py_ssize_t k
        for i in range(a.nd - 1, -1, -1):
            k = flat % a.dims[i]
            flat //= a.dims[i]
            p += k * a.strides_[i]
        return scalar_at(a, p)

    def __len__(self):
        return self.size

    def __iter__(self):
        return self

    def __next__(self):
        if self.position >= self.size:
            raise StopIteration
        self.position += 1
        return self.element(self.position - 1)

    cdef ndarray flat_view(self):
        """The array in C order as a 1-d array: a view when it is C
        contiguous, else a copy."""
        cdef ndarray a = self.array
        cdef Py_ssize_t stride = a.itemsize_
        if a.flags_ & FLAG_C_CONTIGUOUS:
            return make_view_with_flags(a, data_of(a), 1, &self.size, &stride, -1)
        return flat_copy(a, ORDER_C, "flatiter", COPY_EXPLICIT,
                         "indexing a flat iterator always copies")

    cdef Py_ssize_t checked_index(self, object key) except? -1:
        cdef Py_ssize_t i = key
        if i < 0:
            i += self.size
        if i < 0 or i >= self.size:
            raise IndexError(f"index {key} is out of bounds for size {self.size}")
        return i

    cdef int check_index_array(self, object key) except -1:
        """NumPy's bounds message for an integer array key."""
        indices = np.asarray(to_numpy_arg(key))
        if indices.dtype.kind not in "iu" or indices.size == 0:
            return 0
        bad = (indices < -self.size) | (indices >= self.size)
        if bad.any():
            raise IndexError(f"index {indices[bad].flat[0]} is out of bounds "
                             f"for size {self.size}")
        return 0

    def __getitem__(self, key):
        cdef ndarray r
        if type(key) is tuple:
            if len(key) != 1:
                raise IndexError(
                    f"too many indices for flat iterator: flat iterator is "
                    f"1-dimensional, but {len(key)} were indexed")
            key = key[0]
        if key is None:
            raise IndexError(_index_message)
        if not isinstance(key, (bool, np.bool_)) and hasattr(key, "__index__") \
                and not isinstance(key, (ndarray, np.ndarray)):
            return self.element(self.checked_index(operator.index(key)))
        if key is Ellipsis:
            key = slice(None)
        elif isinstance(key, (list, np.ndarray, ndarray)):
            self.check_index_array(key)
        result = self.flat_view()[key]
        if isinstance(result, ndarray):
            r = <ndarray>result
            if r.base_ is not None:
                # A view of the array (or of its flat copy): NumPy's result
                # owns its memory.
                result = copy_array(r, ORDER_C, None, "flatiter", COPY_EXPLICIT,
                                    "indexing a flat iterator always copies")
        return result

    def __setitem__(self, key, value):
        if not self.array.flags_ & FLAG_WRITEABLE:
            raise ValueError("underlying array is read-only")
        as_numpy_for_write(self.array).flat[key] = to_numpy_arg(value)

    def copy(self):
        """Return the elements as a new 1-d array, in C order.

        Always a copy, whatever the layout: the result owns its memory
        (``base`` is None), and the copy is explicit
        (:class:`array_core.copy_audit` records it as ``flatiter.copy``).  The
        iterator's position does not matter.

        Returns
        -------
        ndarray
            A 1-d C-ordered copy of ``self.base``.

        See Also
        --------
        ndarray.flatten : The same copy, in any order.

        Examples
        --------
        >>> import array_core as ac
        >>> x = ac.arange(4).reshape(2, 2)
        >>> c = x.T.flat.copy()
        >>> c, c.base is None, ac.shares_memory(c, x)
        (array([0, 2, 1, 3]), True, False)
        """
        return flat_copy(self.array, ORDER_C, "flatiter.copy", COPY_EXPLICIT,
                         "copy() always copies")

    def __array__(self, dtype=None, copy=None):
        return self.array.ravel().__array__(dtype, copy)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        args = [i.array.ravel() if isinstance(i, flatiter) else i for i in inputs]
        return getattr(ufunc, method)(*args, **kwargs)

    def __lt__(self, other):
        return self.array.ravel() < other

    def __le__(self, other):
        return self.array.ravel() <= other

    def __gt__(self, other):
        return self.array.ravel() > other

    def __ge__(self, other):
        return self.array.ravel() >= other

    def __eq__(self, other):
        return self.array.ravel() == other

    def __ne__(self, other):
        return self.array.ravel() != other

    __hash__ = None


def _flat(ndarray self):
    return flatiter(self)


def _set_flat(ndarray self, value):
    if not self.flags_ & FLAG_WRITEABLE:
        raise ValueError("array is read-only")
    as_numpy_for_write(self).flat = to_numpy_arg(value)


_install_methods(flat=_flat, set_flat=_set_flat)
