# Key planning and the gather/scatter kernels, cimported by _array.
from array_core._typedefs cimport MAX_NDIM

cdef enum:
    INDEX_VIEW = 0      # basic key: the result is a view
    INDEX_SCALAR = 1    # an integer for every axis: the result is one element
    INDEX_ADVANCED = 2  # arrays, lists or booleans in the key: gather/scatter
    # A basic key holding a 0-d integer array: NumPy copies the view (K order).
    INDEX_VIEW_COPY = 3

# How an advanced plan finds the byte offset of each broadcast index position.
cdef enum:
    FANCY_INDEX = 0     # one contiguous intp index run, wrapped on the fly
    FANCY_OFFSETS = 1   # precomputed byte offsets (several arrays, masks)
    FANCY_COMPRESS = 2  # one boolean mask over a single strided run

# What probing an array key found (see probe_index_array).
cdef enum:
    PROBE_NONE = 0      # convert it through NumPy
    PROBE_INTP = 1      # a C-contiguous native intp array of ndim >= 1
    PROBE_BOOL = 2      # a C-contiguous bool array of ndim >= 1

# A probe that reads a registered array type in place (set by _array).
ctypedef int (*array_probe_t)(object item, const char** ptr, int* nd,
                              Py_ssize_t* shape) except -1

# How NumPy lays out an advanced result (mapping.c: PyArray_MapIterNew and
# the one-index fast path of array_subscript).  NumPy allocates a scratch
# array of axes ``index axes + basic axes``; the result is that array, or a
# transposed view of it when the index axes go after ``n_outer`` basic axes.
cdef enum:
    # Basic axes of total size != 1: index axes C-ordered outside them, the
    # basic axes in the source view's stride order.
    LAYOUT_SUBSPACE = 0
    # Index axes in nditer's order (fancy_order); basic axes, all of length 1,
    # innermost.
    LAYOUT_ITER = 1
    LAYOUT_FORTRAN = 2   # one F-contiguous intp index on a 1-d array: F order

# Small list keys are parsed into the plan itself, without NumPy.
cdef enum:
    SMALL_LIST = 16


cdef struct AdvancedPlan:
    # Result: outer basic axes, then the broadcast index axes, then inner ones.
    Py_ssize_t base_offset          # bytes from the data pointer (ints, slices)
    int result_nd
    Py_ssize_t result_shape[MAX_NDIM]
    int n_outer
    Py_ssize_t outer_shape[MAX_NDIM]
    Py_ssize_t outer_strides[MAX_NDIM]
    int n_inner
    Py_ssize_t inner_shape[MAX_NDIM]
    Py_ssize_t inner_strides[MAX_NDIM]
    int fancy_nd
    Py_ssize_t fancy_size           # elements in the broadcast index shape
    int mode                        # FANCY_INDEX / FANCY_OFFSETS / FANCY_COMPRESS
    # FANCY_INDEX: validated indices (wrapped while copying), or with
    # bounds_unchecked their check is left to the gather (see run_gather)
    const Py_ssize_t* index
    bint bounds_unchecked
    Py_ssize_t axis_len
    Py_ssize_t axis_stride
    # FANCY_OFFSETS: owned, freed by release_plan
    Py_ssize_t* offsets
    # FANCY_COMPRESS: the mask bytes, one per source run element
    const char* mask
    Py_ssize_t mask_len
    Py_ssize_t mask_stride
    # Long masks: Trues per COMPRESS_BLOCK, counted on several threads when
    # planning, then each block's start; owned, freed by release_plan (or NULL)
    Py_ssize_t* block_counts
    int first_axis                  # source axis of the first advanced index
    bint is_mask                    # a boolean mask produced the index axes
    bint single_mask                # NumPy's "single boolean array" assignment
    int layout                      # LAYOUT_*
    int fancy_order[MAX_NDIM]       # LAYOUT_ITER: index axes, fastest first
    Py_ssize_t* list_buffer         # owned when a long list key was parsed
    Py_ssize_t small_list[SMALL_LIST]


cdef int plan_basic_index(object key, int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* strides, Py_ssize_t* offset,
                          int* out_nd, Py_ssize_t* out_shape,
                          Py_ssize_t* out_strides) except -1

cdef object plan_advanced_index(object key, int nd, const Py_ssize_t* shape,
                                const Py_ssize_t* strides, AdvancedPlan* plan,
                                bint for_write=*, bint check_in_gather=*)
cdef object unchecked_bounds_error(object key, int nd, const Py_ssize_t* shape,
                                   const Py_ssize_t* strides,
                                   const AdvancedPlan* plan)
cdef void release_plan(AdvancedPlan* plan) noexcept
cdef int probe_index_array(object item, const char** ptr, int* nd,
                           Py_ssize_t* shape) except -1
cdef Py_ssize_t count_mask_bytes(const char* mask, Py_ssize_t n) noexcept nogil
cdef void compress_mask_items(char* dst, const char* src, Py_ssize_t step,
                              const char* mask, Py_ssize_t n, Py_ssize_t count,
                              Py_ssize_t itemsize) noexcept nogil
cdef int materialise_offsets(AdvancedPlan* plan) except -1

cdef int scratch_layout(const AdvancedPlan* plan, Py_ssize_t itemsize,
                        Py_ssize_t* shape, Py_ssize_t* strides) noexcept
cdef int run_gather(const AdvancedPlan* plan, char* dst,
                    const Py_ssize_t* dst_strides, const char* src,
                    Py_ssize_t itemsize) noexcept nogil
cdef int run_scatter(const AdvancedPlan* plan, char* dst, const char* value,
                     const Py_ssize_t* value_strides,
                     Py_ssize_t itemsize) noexcept nogil
