# NumPy's array and descriptor structs, as far as array_core reads them
# directly (their ABI layout; the descriptor's is NumPy 2's: a reader of a
# field past ``byteorder`` must check the NumPy major first, as _index does).

from cpython.ref cimport PyObject

cdef extern from *:
    """
    #ifndef ARRAY_CORE_NUMPY_ABI
    #define ARRAY_CORE_NUMPY_ABI
    typedef struct {
        PyObject_HEAD
        char *data;
        int nd;
        Py_ssize_t *dimensions;
        Py_ssize_t *strides;
        PyObject *base;
        PyObject *descr;
        int flags;
    } ac_numpy_array;
    typedef struct {
        PyObject_HEAD
        PyTypeObject *typeobj;
        char kind;
        char type;
        char byteorder;
        char former_flags;
        int type_num;
        unsigned long long flags;
        Py_ssize_t elsize;
    } ac_numpy_descr;
    #endif
    """
    ctypedef struct ac_numpy_array:
        char* data
        int nd
        Py_ssize_t* dimensions
        Py_ssize_t* strides
        PyObject* descr
        int flags
    ctypedef struct ac_numpy_descr:
        char kind
        char byteorder
        int type_num
        Py_ssize_t elsize
