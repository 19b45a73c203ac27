# C-level constants shared by the compiled modules.

# NumPy 2.x allows up to 64 dimensions; so do we.
cdef enum:
    MAX_NDIM = 64

# Array flag bits, as stored in ndarray.flags_.
cdef enum:
    FLAG_C_CONTIGUOUS = 0x1
    FLAG_F_CONTIGUOUS = 0x2
    FLAG_OWNDATA = 0x4
    FLAG_WRITEABLE = 0x8
    FLAG_ALIGNED = 0x10
    FLAG_WARN_ON_WRITE = 0x20   # NumPy 2.x broadcast_arrays: warn on the first write

# Memory orders, resolved from 'C', 'F', 'A', 'K'.
cdef enum:
    ORDER_C = 0
    ORDER_F = 1
    ORDER_A = 2
    ORDER_K = 3

# Items of 1, 2, 4, 8 and 16 bytes as the copy and indexing kernels load and
# store them: array data need not be aligned to its item size (a view at an odd
# byte offset, a packed field), so these have alignment 1 (a plain move on
# x86-64, what a fixed-size memcpy compiles to) and may alias any type.
cdef extern from *:
    """
    #include <stdint.h>
    #ifndef ARRAY_CORE_UNALIGNED_ITEMS
    #define ARRAY_CORE_UNALIGNED_ITEMS
    #if defined(__GNUC__) || defined(__clang__)
    typedef uint8_t unaligned_u8 __attribute__((may_alias));
    typedef uint16_t unaligned_u16 __attribute__((aligned(1), may_alias));
    typedef uint32_t unaligned_u32 __attribute__((aligned(1), may_alias));
    typedef uint64_t unaligned_u64 __attribute__((aligned(1), may_alias));
    typedef struct { uint64_t lo, hi; } __attribute__((packed, may_alias))
        unaligned_item16;
    #else
    typedef uint8_t unaligned_u8;
    typedef uint16_t unaligned_u16;
    typedef uint32_t unaligned_u32;
    typedef uint64_t unaligned_u64;
    typedef struct { uint64_t lo, hi; } unaligned_item16;
    #endif
    #endif
    """
    ctypedef unsigned char unaligned_u8
    ctypedef unsigned short unaligned_u16
    ctypedef unsigned int unaligned_u32
    ctypedef unsigned long long unaligned_u64
    ctypedef struct unaligned_item16:
        unsigned long long lo
        unsigned long long hi

# Py_ssize_t arithmetic that wraps modulo 2**64 instead of overflowing (signed
# overflow is undefined in C; CPython's -fwrapv is not to be relied on): the
# values NumPy computes for strides and offsets of absurd but legal inputs,
# such as a[::2**62] or an empty array with huge strides.  ``mul_overflows``
# is the checked product of two non-negative sizes, for those that must be
# refused when they overflow.
cdef extern from *:
    """
    #ifndef ARRAY_CORE_WRAPPING_ARITHMETIC
    #define ARRAY_CORE_WRAPPING_ARITHMETIC
    static inline Py_ssize_t array_core_wrap_mul(Py_ssize_t a, Py_ssize_t b)
    {
        return (Py_ssize_t)((size_t)a * (size_t)b);
    }
    static inline Py_ssize_t array_core_wrap_add(Py_ssize_t a, Py_ssize_t b)
    {
        return (Py_ssize_t)((size_t)a + (size_t)b);
    }
    static inline int array_core_mul_overflows(Py_ssize_t a, Py_ssize_t b,
                                               Py_ssize_t *out)
    {
    #if defined(__GNUC__) || defined(__clang__)
        return __builtin_mul_overflow(a, b, out);
    #else
        /* Only ever called with non-negative operands. */
        if (b != 0 && a > PY_SSIZE_T_MAX / b) {
            return 1;
        }
        *out = a * b;
        return 0;
    #endif
    }
    #endif
    """
    Py_ssize_t wrap_mul "array_core_wrap_mul" (
        Py_ssize_t a, Py_ssize_t b) noexcept nogil
    Py_ssize_t wrap_add "array_core_wrap_add" (
        Py_ssize_t a, Py_ssize_t b) noexcept nogil
    bint mul_overflows "array_core_mul_overflows" (Py_ssize_t a, Py_ssize_t b,
                                                   Py_ssize_t* out) noexcept nogil
