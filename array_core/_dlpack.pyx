# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""DLPack: hand array_core arrays to other libraries and take theirs, zero-copy.

``ndarray.__dlpack__`` (installed from here) exports an array as a capsule
holding a ``DLManagedTensorVersioned`` (DLPack 1.0, capsule name
``dltensor_versioned``, with the read-only and is-copied flags) when the
consumer passes ``max_version >= (1, 0)``, else a legacy ``DLManagedTensor``
(``dltensor``).  ``from_dlpack`` imports any producer's capsule.  The checks,
their order and their messages are NumPy 2.4's (``dlpack.c``).

Lifetimes, as the protocol has them:
- An exported tensor's ``manager_ctx`` holds a reference to an
  ``_DLPackExport``, which holds the array (so its memory) and counts the
  export on its Buffer: a writable export as a writable export (a lazy copy
  materialises first, and shares nothing while the tensor lives), a
  read-only one as a pinned export (that memory never moves).  The tensor's
  deleter frees the tensor block (shape and strides included: one block) and
  drops that reference, taking the GIL first: a consumer may call it from
  any thread.
- A consumer renames the capsule to ``used_dltensor[_versioned]`` and then
  owns the deleter; a capsule nobody consumed calls it when it dies.
- ``from_dlpack`` consumes the capsule it is given and keeps the tensor in a
  capsule of its own (``numpy_dltensor[_versioned]``, NumPy's names: the
  layout is the same), the result's ``base`` as in NumPy, which calls the
  producer's deleter once, when the last array on the memory dies.
"""
cimport cython
from cpython.long cimport PyLong_AsLong
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.pycapsule cimport (
    PyCapsule_Destructor,
    PyCapsule_GetPointer,
    PyCapsule_IsValid,
    PyCapsule_New,
    PyCapsule_SetName,
)
from cpython.ref cimport Py_INCREF
from cpython.pyport cimport PY_SSIZE_T_MAX
from libc.stdint cimport (
    int32_t,
    int64_t,
    uint8_t,
    uint16_t,
    uint32_t,
    uint64_t,
    uintptr_t,
)

from array_core._typedefs cimport (
    FLAG_C_CONTIGUOUS,
    FLAG_WRITEABLE,
    MAX_NDIM,
    ORDER_K,
    mul_overflows,
)
from array_core._buffer cimport Buffer, wrap_pointer
from array_core._layout cimport byte_extent, fill_contiguous_strides, shape_size
from array_core._array cimport (
    COPY_ALWAYS,
    COPY_EXPLICIT,
    COPY_NEVER,
    begin_write,
    check_device,
    check_new_shape,
    copy_array,
    data_of,
    end_write,
    ndarray,
    new_array,
    parse_copy,
    pin_for_export,
    snapshot_layout,
)

import sys

import numpy as np

from array_core._array import _install_methods

cdef extern from "Python.h":
    int PyArg_ParseTuple(object args, const char* format, ...) except 0

# DLPack 1.0's structs, laid out as its header (dlpack.h) documents them, and
# the deleters and capsule destructors the protocol asks for (in C: they run
# from any thread, and while an exception is being raised).
cdef extern from *:
    """
    #include <stdint.h>

    typedef struct { uint32_t major; uint32_t minor; } ac_DLPackVersion;
    typedef struct { int32_t device_type; int32_t device_id; } ac_DLDevice;
    typedef struct { uint8_t code; uint8_t bits; uint16_t lanes; } ac_DLDataType;
    typedef struct {
        void *data;
        ac_DLDevice device;
        int32_t ndim;
        ac_DLDataType dtype;
        int64_t *shape;       /* ndim lengths */
        int64_t *strides;     /* ndim strides, in elements (NULL: C order) */
        uint64_t byte_offset;
    } ac_DLTensor;
    typedef struct ac_DLManagedTensor {
        ac_DLTensor dl_tensor;
        void *manager_ctx;
        void (*deleter)(struct ac_DLManagedTensor *self);
    } ac_DLManagedTensor;
    typedef struct ac_DLManagedTensorVersioned {
        ac_DLPackVersion version;
        void *manager_ctx;
        void (*deleter)(struct ac_DLManagedTensorVersioned *self);
        uint64_t flags;
        ac_DLTensor dl_tensor;
    } ac_DLManagedTensorVersioned;

    #define AC_DLPACK_FLAG_READ_ONLY ((uint64_t)1 << 0)
    #define AC_DLPACK_FLAG_IS_COPIED ((uint64_t)1 << 1)

    /* Capsule names live as long as the process (a capsule keeps the pointer). */
    static const char ac_dltensor_name[] = "dltensor";
    static const char ac_dltensor_versioned_name[] = "dltensor_versioned";
    static const char ac_used_dltensor_name[] = "used_dltensor";
    static const char ac_used_dltensor_versioned_name[] = "used_dltensor_versioned";
    static const char ac_imported_name[] = "numpy_dltensor";
    static const char ac_imported_versioned_name[] = "numpy_dltensor_versioned";

    /* An exported tensor's deleter: free the block (the struct, then its
       shape and strides) and drop the reference manager_ctx holds. */
    static void ac_release_export(void *block, void *manager)
    {
        PyGILState_STATE state;
        if (!Py_IsInitialized()) {
            return;  /* called at exit after Python: leak rather than crash */
        }
        state = PyGILState_Ensure();
        PyMem_Free(block);
        Py_XDECREF((PyObject *)manager);
        PyGILState_Release(state);
    }
    static void ac_delete_tensor(ac_DLManagedTensor *self)
    {
        ac_release_export(self, self->manager_ctx);
    }
    static void ac_delete_versioned_tensor(ac_DLManagedTensorVersioned *self)
    {
        ac_release_export(self, self->manager_ctx);
    }

    /* The destructor of an exported capsule: the tensor is the consumer's
       once renamed; else (never consumed) its deleter runs now.  A pending
       exception (the capsule dying while one is raised) is kept. */
    static void ac_destroy_export_capsule(PyObject *capsule)
    {
        PyObject *type, *value, *traceback;
        if (PyCapsule_IsValid(capsule, ac_used_dltensor_name)) {
            return;
        }
        PyErr_Fetch(&type, &value, &traceback);
        ac_DLManagedTensor *managed = (ac_DLManagedTensor *)PyCapsule_GetPointer(
            capsule, ac_dltensor_name);
        if (managed == NULL) {
            PyErr_WriteUnraisable(capsule);
        }
        else if (managed->deleter != NULL) {
            managed->deleter(managed);
        }
        PyErr_Restore(type, value, traceback);
    }
    static void ac_destroy_versioned_export_capsule(PyObject *capsule)
    {
        PyObject *type, *value, *traceback;
        if (PyCapsule_IsValid(capsule, ac_used_dltensor_versioned_name)) {
            return;
        }
        PyErr_Fetch(&type, &value, &traceback);
        ac_DLManagedTensorVersioned *managed =
            (ac_DLManagedTensorVersioned *)PyCapsule_GetPointer(
                capsule, ac_dltensor_versioned_name);
        if (managed == NULL) {
            PyErr_WriteUnraisable(capsule);
        }
        else if (managed->deleter != NULL) {
            managed->deleter(managed);
        }
        PyErr_Restore(type, value, traceback);
    }

    /* The destructor of from_dlpack's own capsule (an imported array's
       base): the producer's deleter, once, when the last array dies. */
    static void ac_destroy_imported_capsule(PyObject *capsule)
    {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        ac_DLManagedTensor *managed = (ac_DLManagedTensor *)PyCapsule_GetPointer(
            capsule, ac_imported_name);
        if (managed == NULL) {
            PyErr_WriteUnraisable(capsule);
        }
        else if (managed->deleter != NULL) {
            managed->deleter(managed);
        }
        PyErr_Restore(type, value, traceback);
    }
    static void ac_destroy_imported_versioned_capsule(PyObject *capsule)
    {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        ac_DLManagedTensorVersioned *managed =
            (ac_DLManagedTensorVersioned *)PyCapsule_GetPointer(
                capsule, ac_imported_versioned_name);
        if (managed == NULL) {
            PyErr_WriteUnraisable(capsule);
        }
        else if (managed->deleter != NULL) {
            managed->deleter(managed);
        }
        PyErr_Restore(type, value, traceback);
    }
    """
    ctypedef struct DLPackVersion "ac_DLPackVersion":
        uint32_t major
        uint32_t minor
    ctypedef struct DLDevice "ac_DLDevice":
        int32_t device_type
        int32_t device_id
    ctypedef struct DLDataType "ac_DLDataType":
        uint8_t code
        uint8_t bits
        uint16_t lanes
    ctypedef struct DLTensor "ac_DLTensor":
        void* data
        DLDevice device
        int32_t ndim
        DLDataType dtype
        int64_t* shape
        int64_t* strides
        uint64_t byte_offset
    ctypedef struct DLManagedTensor "ac_DLManagedTensor":
        DLTensor dl_tensor
        void* manager_ctx
        void (*deleter)(DLManagedTensor*) noexcept
    ctypedef struct DLManagedTensorVersioned "ac_DLManagedTensorVersioned":
        DLPackVersion version
        void* manager_ctx
        void (*deleter)(DLManagedTensorVersioned*) noexcept
        uint64_t flags
        DLTensor dl_tensor

    const uint64_t FLAG_READ_ONLY "AC_DLPACK_FLAG_READ_ONLY"
    const uint64_t FLAG_IS_COPIED "AC_DLPACK_FLAG_IS_COPIED"
    const char* DLTENSOR "ac_dltensor_name"
    const char* DLTENSOR_VERSIONED "ac_dltensor_versioned_name"
    const char* USED_DLTENSOR "ac_used_dltensor_name"
    const char* USED_DLTENSOR_VERSIONED "ac_used_dltensor_versioned_name"
    const char* IMPORTED "ac_imported_name"
    const char* IMPORTED_VERSIONED "ac_imported_versioned_name"

    void delete_tensor "ac_delete_tensor" (DLManagedTensor* self) noexcept
    void delete_versioned_tensor "ac_delete_versioned_tensor" (
        DLManagedTensorVersioned* self) noexcept
    void destroy_export_capsule "ac_destroy_export_capsule" (object c) noexcept
    void destroy_versioned_export_capsule "ac_destroy_versioned_export_capsule" (
        object c) noexcept
    void destroy_imported_capsule "ac_destroy_imported_capsule" (object c) noexcept
    void destroy_imported_versioned_capsule \
        "ac_destroy_imported_versioned_capsule" (object c) noexcept

# DLDeviceType and DLDataTypeCode values (dlpack.h).
cdef enum:
    kDLCPU = 1
    kDLCUDAHost = 3
    kDLROCMHost = 11
    kDLCUDAManaged = 13

cdef enum:
    kDLInt = 0
    kDLUInt = 1
    kDLFloat = 2
    kDLComplex = 5
    kDLBool = 6

# How an export is counted on its Buffer.
cdef enum:
    COUNTED_NOT = 0
    COUNTED_WRITABLE = 1
    COUNTED_PINNED = 2

# NumPy's legacy type numbers end here; user dtypes have none of the kinds.
cdef enum:
    NPY_NTYPES_LEGACY = 24

cdef str _SWAPPED = ">" if sys.byteorder == "little" else "<"
cdef tuple _MAX_VERSION = (1, 0)
cdef tuple _CPU = (1, 0)


# ------------------------------------------------------------ export

@cython.final
cdef class _DLPackExport:
    """What an exported tensor's ``manager_ctx`` holds: the array (so its
    memory stays valid) and the export's count on its Buffer, undone when
    the deleter drops the last reference."""

    cdef ndarray array
    cdef Buffer buffer
    cdef int counted

    def __dealloc__(self):
        if self.counted == COUNTED_WRITABLE:
            end_write(self.buffer)
        elif self.counted == COUNTED_PINNED:
            self.buffer.pinned_exports -= 1


cdef int check_dl_device(object dl_device) except -1:
    """NumPy's ``device_converter``: None, or a tuple of two C ints naming
    the CPU (1, 0), the array's device."""
    cdef int device_type, device_id
    if dl_device is None:
        return 0
    if not isinstance(dl_device, tuple):
        raise TypeError("dl_device must be a tuple")
    PyArg_ParseTuple(dl_device, "ii", &device_type, &device_id)
    if device_type != kDLCPU or device_id != 0:
        raise BufferError("unsupported device requested")
    return 0


cdef int check_dtype(object dtype, DLDataType* out) except -1:
    """The DLPack type of ``dtype``, or NumPy's BufferError for one it has
    not (``fill_dl_tensor_information``: byte order first, then the kind)."""
    cdef Py_ssize_t itemsize = dtype.itemsize
    if dtype.byteorder == _SWAPPED:
        raise BufferError("DLPack only supports native byte order.")
    kind = dtype.kind if dtype.num < NPY_NTYPES_LEGACY else None
    if kind == "b":
        out.code = kDLBool
    elif kind == "i":
        out.code = kDLInt
    elif kind == "u":
        out.code = kDLUInt
    elif (kind == "f" and itemsize > 8) or (kind == "c" and itemsize > 16):
        raise BufferError("DLPack only supports IEEE floating point types "
                          "without padding (longdouble typically is not IEEE).")
    elif kind == "f":
        out.code = kDLFloat
    elif kind == "c":
        out.code = kDLComplex
    else:
        raise BufferError("DLPack only supports signed/unsigned integers, float "
                          "and complex dtypes.")
    out.bits = <uint8_t>(8 * itemsize)
    out.lanes = 1
    return 0


cdef int check_layout(ndarray a, int nd, const Py_ssize_t* shape,
                      const Py_ssize_t* strides, DLDataType* out) except -1:
    """NumPy's checks of an exported array, in its order: strides in whole
    elements (unless C-contiguous or of one element), then the dtype."""
    cdef Py_ssize_t itemsize = a.itemsize_
    cdef int i
    if (not a.flags_ & FLAG_C_CONTIGUOUS and shape_size(nd, shape) != 1
            and itemsize != 0):
        for i in range(nd):
            if shape[i] != 1 and strides[i] % itemsize != 0:
                raise BufferError("DLPack only supports strides which are a "
                                  "multiple of itemsize.")
    return check_dtype(a.dtype_, out)


cdef object export_capsule(ndarray a, bint versioned, bint copied):
    """A new DLPack capsule of ``a``'s memory (see the module's docstring)."""
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef DLDataType dl_dtype
    cdef DLTensor* tensor
    cdef DLManagedTensor* legacy
    cdef DLManagedTensorVersioned* managed
    cdef int64_t* lengths
    cdef int nd = snapshot_layout(a, shape, strides), i
    cdef size_t head, nbytes
    cdef void* block
    cdef _DLPackExport manager
    cdef const char* name
    cdef PyCapsule_Destructor destructor
    cdef bint writable = a.flags_ & FLAG_WRITEABLE
    # Refused before anything is counted (a lazy copy is not materialised
    # for an export that fails).
    check_layout(a, nd, shape, strides, &dl_dtype)
    manager = _DLPackExport.__new__(_DLPackExport)
    manager.array = a
    if writable:
        # The consumer may write whenever it likes: no lazy sharing while
        # the tensor lives.
        manager.buffer = begin_write(a)
        manager.counted = COUNTED_WRITABLE
    else:
        pin_for_export(a.buffer)
        manager.buffer = a.buffer
        manager.counted = COUNTED_PINNED
    # The copy hook may have run Python code: read the layout again.
    nd = snapshot_layout(a, shape, strides)
    check_layout(a, nd, shape, strides, &dl_dtype)
    head = sizeof(DLManagedTensorVersioned) if versioned else sizeof(DLManagedTensor)
    head = (head + sizeof(int64_t) - 1) // sizeof(int64_t) * sizeof(int64_t)
    nbytes = head + 2 * <size_t>nd * sizeof(int64_t)
    block = PyMem_Malloc(nbytes)
    if block == NULL:
        raise MemoryError()
    if versioned:
        managed = <DLManagedTensorVersioned*>block
        managed.version.major = 1
        managed.version.minor = 0
        managed.manager_ctx = <void*>manager
        managed.deleter = delete_versioned_tensor
        managed.flags = 0
        if not writable:
            managed.flags |= FLAG_READ_ONLY
        if copied:
            managed.flags |= FLAG_IS_COPIED
        tensor = &managed.dl_tensor
    else:
        legacy = <DLManagedTensor*>block
        legacy.manager_ctx = <void*>manager
        legacy.deleter = delete_tensor
        tensor = &legacy.dl_tensor
    lengths = <int64_t*>(<char*>block + head)
    tensor.data = data_of(a)  # after the count: the memory cannot move now
    tensor.device.device_type = kDLCPU
    tensor.device.device_id = 0
    tensor.ndim = nd
    tensor.dtype = dl_dtype
    tensor.shape = lengths if nd > 0 else NULL
    tensor.strides = lengths + nd if nd > 0 else NULL
    tensor.byte_offset = 0
    for i in range(nd):
        lengths[i] = shape[i]
        # Elements, truncated as NumPy's (only a length-1 axis may have a
        # stride that is not a whole number of elements).
        lengths[nd + i] = strides[i] // a.itemsize_ if a.itemsize_ else 0
    if versioned:
        name = DLTENSOR_VERSIONED
        destructor = <PyCapsule_Destructor>destroy_versioned_export_capsule
    else:
        name = DLTENSOR
        destructor = <PyCapsule_Destructor>destroy_export_capsule
    try:
        capsule = PyCapsule_New(block, name, destructor)
    except BaseException:
        PyMem_Free(block)
        raise
    Py_INCREF(manager)  # the tensor's reference, dropped by its deleter
    return capsule


cdef int _check_dtype_only(object dtype) except -1:
    cdef DLDataType unused
    return check_dtype(dtype, &unused)


def _dlpack_method(ndarray self, stream, max_version, dl_device, copy):
    """``ndarray.__dlpack__``: NumPy's ``array_dlpack``, its order of checks."""
    cdef long major = 0
    cdef int copy_mode
    cdef ndarray a = self
    check_dl_device(dl_device)
    copy_mode = parse_copy(copy)
    if max_version is not None:
        if not isinstance(max_version, tuple) or len(max_version) != 2:
            raise TypeError("max_version must be None or a tuple with two "
                            "elements.")
        major = PyLong_AsLong(max_version[0])
    if stream is not None:
        raise RuntimeError("NumPy only supports stream=None.")
    if copy_mode == COPY_ALWAYS:
        # NumPy copies first and then refuses the dtype; refusing first saves
        # the copy and raises the same error.
        _check_dtype_only(a.dtype_)
        a = copy_array(a, ORDER_K, None, "__dlpack__", COPY_EXPLICIT,
                       "copy=True always copies")
    elif major < 1 and not a.flags_ & FLAG_WRITEABLE:
        raise BufferError("Cannot export readonly array since signalling "
                          "readonly is unsupported by DLPack (supported by "
                          "newer DLPack version).")
    return export_capsule(a, major >= 1, copy_mode == COPY_ALWAYS)


_install_methods(__dlpack__=_dlpack_method)


# ------------------------------------------------------------ import

cdef object dtype_of(DLDataType t):
    """The NumPy dtype of a DLPack type, or NumPy's RuntimeError."""
    cdef int bits = t.bits
    name = None
    if t.code == kDLBool and bits == 8:
        name = "bool"
    elif t.code == kDLInt and bits in (8, 16, 32, 64):
        name = f"int{bits}"
    elif t.code == kDLUInt and bits in (8, 16, 32, 64):
        name = f"uint{bits}"
    elif t.code == kDLFloat and bits in (16, 32, 64):
        name = f"float{bits}"
    elif t.code == kDLComplex and bits in (64, 128):
        name = f"complex{bits}"
    if name is None:
        raise RuntimeError("Unsupported dtype in DLTensor.")
    return np.dtype(name)


cdef ndarray import_capsule(object capsule):
    """An array_core array over the tensor in ``capsule``, which it consumes.

    NumPy's ``from_dlpack`` checks, in its order; the capsule is renamed
    (consumed) only when every check has passed, and from then on the
    producer's deleter is called exactly once: by the new capsule's
    destructor, or here if that capsule cannot be made.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t strides[MAX_NDIM]
    cdef Py_ssize_t lo, hi, itemsize, step
    cdef DLManagedTensorVersioned* managed = NULL
    cdef DLManagedTensor* legacy = NULL
    cdef DLTensor* tensor
    cdef bint readonly
    cdef bint versioned = PyCapsule_IsValid(capsule, DLTENSOR_VERSIONED)
    cdef int nd, i, device
    cdef uintptr_t data
    cdef const char* name
    cdef PyCapsule_Destructor destructor
    if versioned:
        managed = <DLManagedTensorVersioned*>PyCapsule_GetPointer(
            capsule, DLTENSOR_VERSIONED)
        if managed.version.major > 1:
            raise BufferError("from_dlpack(): the exported DLPack major version "
                              "is too high to be imported by this version of "
                              "array_core.")
        tensor = &managed.dl_tensor
        readonly = (managed.flags & FLAG_READ_ONLY) != 0
    else:
        legacy = <DLManagedTensor*>PyCapsule_GetPointer(capsule, DLTENSOR)
        tensor = &legacy.dl_tensor
        readonly = True  # a legacy capsule cannot say; NumPy's choice
    nd = tensor.ndim
    if nd > MAX_NDIM:
        raise RuntimeError("maxdims of DLPack tensor is higher than the "
                           "supported maxdims.")
    if nd < 0:
        raise ValueError(f"number of dimensions must be within [0, {MAX_NDIM}]")
    device = tensor.device.device_type
    if (device != kDLCPU and device != kDLCUDAHost and device != kDLROCMHost
            and device != kDLCUDAManaged):
        raise RuntimeError("Unsupported device in DLTensor.")
    if tensor.dtype.lanes != 1:
        raise RuntimeError("Unsupported lanes in DLTensor dtype.")
    dtype = dtype_of(tensor.dtype)
    itemsize = dtype.itemsize
    for i in range(nd):
        shape[i] = <Py_ssize_t>tensor.shape[i]
    check_new_shape(nd, shape, itemsize)
    if tensor.strides == NULL:
        fill_contiguous_strides(nd, shape, itemsize, False, strides)
    else:
        for i in range(nd):
            # Elements to bytes; a product past the address space is refused
            # (NumPy's would wrap).
            step = <Py_ssize_t>tensor.strides[i]
            if (step < -PY_SSIZE_T_MAX or mul_overflows(
                    -step if step < 0 else step, itemsize, &strides[i])):
                raise ValueError("DLPack tensor strides are too large")
            if step < 0:
                strides[i] = -strides[i]
    data = <uintptr_t>tensor.data + <uintptr_t>tensor.byte_offset
    byte_extent(nd, shape, strides, itemsize, &lo, &hi)
    # Consumed: the tensor is ours now, and its deleter our duty.
    PyCapsule_SetName(capsule, USED_DLTENSOR_VERSIONED if versioned
                      else USED_DLTENSOR)
    if versioned:
        name = IMPORTED_VERSIONED
        destructor = <PyCapsule_Destructor>destroy_imported_versioned_capsule
    else:
        name = IMPORTED
        destructor = <PyCapsule_Destructor>destroy_imported_capsule
    try:
        owner = PyCapsule_New(managed if versioned else <void*>legacy, name,
                              destructor)
    except BaseException:
        if versioned and managed.deleter != NULL:
            managed.deleter(managed)
        elif not versioned and legacy.deleter != NULL:
            legacy.deleter(legacy)
        raise
    # The Buffer keeps the capsule (so the memory) while any array uses it;
    # the memory is the producer's too, so never lazily shared.
    buf = wrap_pointer(owner, <Py_ssize_t>(data + <uintptr_t>lo), hi - lo, readonly)
    return new_array(buf, <char*>data, nd, shape, strides, dtype, owner,
                     FLAG_WRITEABLE)


cdef object call_dlpack(object x, object dl_device, object copy, bint retry):
    """``x.__dlpack__`` as NumPy's from_dlpack calls it; an exporter that
    takes no keywords (an old protocol) is asked again without them."""
    try:
        return x.__dlpack__(dl_device=dl_device, copy=copy,
                            max_version=_MAX_VERSION)
    except TypeError:
        if not retry:
            raise
    return x.__dlpack__()


def from_dlpack(x, /, *, device=None, copy=None):
    """Create an array_core array from any object that exports DLPack.

    The array views the producer's memory (no copy) unless ``copy=True``;
    it is read-only when the producer says so (a versioned capsule's
    read-only flag) or cannot say (a legacy capsule), as in NumPy.  The
    producer's deleter runs once, when the last array on its memory dies.

    Parameters
    ----------
    x : object
        An object with ``__dlpack__`` (and ``__dlpack_device__``): a NumPy
        array, an array_core array, a PyTorch or JAX CPU tensor, ...
    device : {None, "cpu"}, optional
        The device of the result: only the CPU.
    copy : bool, optional
        True: always copy, through array_core's copy choke point (the copy
        policy and audit see it), into an array that owns its memory.
        False: never copy (the producer raises ``BufferError`` if it would
        have to).  None (default): copy only if the producer must.

    Returns
    -------
    ndarray
        A view of ``x``'s memory (its ``base`` is the capsule of the tensor,
        as in NumPy), or with ``copy=True`` a new array.

    Raises
    ------
    ValueError
        If ``device`` is not None or ``"cpu"``.
    BufferError
        If the producer cannot export (a dtype DLPack has no code for,
        byte-swapped data, strides that are not whole elements, another
        device).
    RuntimeError
        If the tensor is of a kind NumPy cannot hold (an unsupported dtype,
        lanes or device).

    Examples
    --------
    >>> import numpy as np, array_core
    >>> n = np.arange(6.0).reshape(2, 3)
    >>> a = array_core.from_dlpack(n.T)
    >>> a
    array([[0., 3.],
           [1., 4.],
           [2., 5.]])
    >>> np.shares_memory(a, n), a.flags.writeable
    (True, True)
    >>> b = np.from_dlpack(a[::-1])
    >>> np.shares_memory(b, n), b.strides
    (True, (-8, 24))
    """
    cdef int copy_mode
    cdef ndarray result
    check_device(device)
    copy_mode = parse_copy(copy)
    dl_device = None if device is None else _CPU
    if copy_mode == COPY_ALWAYS:
        if type(x) is ndarray:
            # Read where it lies: exporting a lazy copy writable would
            # materialise it only to be copied again.
            _check_dtype_only((<ndarray>x).dtype_)
            return copy_array(<ndarray>x, ORDER_K, None, "from_dlpack",
                              COPY_EXPLICIT, "copy=True always copies")
        try:
            capsule = call_dlpack(x, dl_device, None, device is None)
        except BufferError:
            # Only the producer can copy this one (its strides, say).
            return import_capsule(call_dlpack(x, dl_device, True, False))
        result = import_capsule(capsule)
        return copy_array(result, ORDER_K, None, "from_dlpack", COPY_EXPLICIT,
                          "copy=True always copies")
    capsule = call_dlpack(x, dl_device,
                          False if copy_mode == COPY_NEVER else None,
                          device is None and copy is None)
    return import_capsule(capsule)
