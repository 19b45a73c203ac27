# Software prefetch (GCC and Clang; nothing elsewhere): random gathers and
# scatters beyond the caches are latency bound, and asking for a line some
# items ahead overlaps the misses.  Prefetches never fault, whatever the
# address.  Both ask for the L2 and outer levels (locality 2, prefetcht1):
# on AMD Zen 4 a prefetch into the L1 holds one of its few miss buffers
# until the line arrives, so 1M random float64 reads from 80 MB took 7.0-7.5
# ms with locality 3, 8.2 with none and 5.2-5.3 with locality 1 or 2; 1M
# random stores 7.0-7.6 with locality 3, the non-temporal hint or prefetchw,
# and 5.2 with locality 1 or 2.  An earlier EPYC VM (2 MiB L2s) measured
# locality 1-3 alike for reads, the non-temporal hint slower (21 ms against
# 15.7).  Writes use a read prefetch too: where the compiler has prefetchw,
# that instruction measured no better than locality 3.
cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define AC_PREFETCH(p) __builtin_prefetch((const void*)(p), 0, 2)
    #else
    #define AC_PREFETCH(p) ((void)(p))
    #endif
    /* The same read prefetch: the name says what the line is wanted for. */
    #define AC_PREFETCH_WRITE(p) AC_PREFETCH(p)
    """
    void AC_PREFETCH(const void* p) noexcept nogil
    void AC_PREFETCH_WRITE(const void* p) noexcept nogil

from libc.stdint cimport uintptr_t


cdef inline const void* item_address(const char* base, Py_ssize_t index,
                                     Py_ssize_t stride) noexcept nogil:
    """Where item ``index`` lies, for a prefetch only: unchecked (a prefetch
    never faults, and checking cost 5% of a random gather) and computed in
    unsigned arithmetic, which cannot overflow whatever another thread
    writes into the indices."""
    return <const void*>(<uintptr_t>base + <size_t>index * <size_t>stride)

cdef enum:
    # Gathers and scatters prefetch only when the indexed axis spans more
    # bytes than this (beyond this machine's 32 MiB L3, a typical size): below
    # it the misses are few and the prefetching costs more than it saves.
    PREFETCH_SPAN = 1 << 25
