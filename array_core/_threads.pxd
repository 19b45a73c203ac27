# The thread pool of the large kernels, cimported by _copy (and by any
# kernel that runs ranges of rows on several threads).

# A task copies items [start, stop) of a range; returns 0 or a status.
ctypedef int (*range_task)(void* ctx, Py_ssize_t start,
                           Py_ssize_t stop) noexcept nogil

cdef int threads_for(Py_ssize_t work_bytes) noexcept nogil
cdef int parallel_range(range_task task, void* ctx, Py_ssize_t n,
                        int threads) noexcept nogil
