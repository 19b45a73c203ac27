/*
 * Typed cast loops of array_core's small casts (cimported by _cast.pyx).
 *
 * One loop for each pair of the eleven native types NumPy casts with a plain
 * C conversion: bool, int8 to int64, uint8 to uint64, float32 and float64
 * (NumPy's _aligned_contig_cast_<from>_to_<to> in lowlevel_strided_loops.c.src),
 * loading and storing through memcpy, so data need not be aligned.  A loop
 * casts one strided run and returns 0, or 1 at the first value it must leave
 * to NumPy: one whose NumPy cast raises a floating-point flag (which warns,
 * or raises under np.errstate) or whose C conversion is undefined -- a float
 * to an integer it does not truncate into, a NaN to an integer or bool, a
 * float64 overflowing or underflowing float32, a signalling NaN.  The caller
 * then has NumPy redo the whole cast, so results, warnings and errors are
 * NumPy's in every case.
 */
#ifndef ARRAY_CORE_CAST_KERNELS_H
#define ARRAY_CORE_CAST_KERNELS_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Type codes: the order of the loop table. */
enum {
    AC_CAST_BOOL, AC_CAST_INT8, AC_CAST_INT16, AC_CAST_INT32, AC_CAST_INT64,
    AC_CAST_UINT8, AC_CAST_UINT16, AC_CAST_UINT32, AC_CAST_UINT64,
    AC_CAST_FLOAT32, AC_CAST_FLOAT64, AC_CAST_NTYPES
};

typedef uint8_t ac_bool;
typedef int8_t ac_int8;
typedef int16_t ac_int16;
typedef int32_t ac_int32;
typedef int64_t ac_int64;
typedef uint8_t ac_uint8;
typedef uint16_t ac_uint16;
typedef uint32_t ac_uint32;
typedef uint64_t ac_uint64;
typedef float ac_float32;
typedef double ac_float64;

/*
 * The floats that truncate into each integer type lie strictly between these
 * two (exact doubles: for int64, the double just below -2**63).
 */
#define AC_LOW_int8 -129.0
#define AC_HIGH_int8 128.0
#define AC_LOW_int16 -32769.0
#define AC_HIGH_int16 32768.0
#define AC_LOW_int32 -2147483649.0
#define AC_HIGH_int32 2147483648.0
#define AC_LOW_int64 -9223372036854777856.0
#define AC_HIGH_int64 9223372036854775808.0
#define AC_LOW_uint8 -1.0
#define AC_HIGH_uint8 256.0
#define AC_LOW_uint16 -1.0
#define AC_HIGH_uint16 65536.0
#define AC_LOW_uint32 -1.0
#define AC_HIGH_uint32 4294967296.0
#define AC_LOW_uint64 -1.0
#define AC_HIGH_uint64 18446744073709551616.0

/* The smallest and largest finite normal magnitude of each float type. */
#define AC_TINY_float32 FLT_MIN
#define AC_HUGE_float32 FLT_MAX
#define AC_TINY_float64 DBL_MIN
#define AC_HUGE_float64 DBL_MAX

static inline int ac_quiet_nan_float32(float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    return v != v && (bits & 0x00400000u) != 0;
}

static inline int ac_quiet_nan_float64(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return v != v && (bits & 0x0008000000000000ull) != 0;
}

/*
 * The conversions, by kind of source and target (b bool, i integer, f
 * float); each sets `out` from `v` or returns 1 from the loop.
 */
#define AC_CONVERT_b_b(FROM, TO) out = (v != 0);
#define AC_CONVERT_b_i(FROM, TO) out = (ac_##TO)(v != 0);
#define AC_CONVERT_b_f(FROM, TO) out = (ac_##TO)(v != 0);
#define AC_CONVERT_i_b(FROM, TO) out = (v != 0);
#define AC_CONVERT_i_i(FROM, TO) out = (ac_##TO)v;
#define AC_CONVERT_i_f(FROM, TO) out = (ac_##TO)v;
#define AC_CONVERT_f_b(FROM, TO)                                              \
    if (v != v) {                                                             \
        return 1;                                                             \
    }                                                                         \
    out = (v != 0);
#define AC_CONVERT_f_i(FROM, TO)                                              \
    if (!((double)v > AC_LOW_##TO && (double)v < AC_HIGH_##TO)) {             \
        return 1;                                                             \
    }                                                                         \
    out = (ac_##TO)v;
/* Zeros, infinities and quiet NaNs cast silently; other values must land
 * on a finite normal float (overflow and underflow set flags). */
#define AC_CONVERT_f_f(FROM, TO)                                              \
    out = (ac_##TO)v;                                                         \
    if (!(fabs((double)out) >= AC_TINY_##TO                                   \
          && fabs((double)out) <= AC_HUGE_##TO)                               \
            && !(v == 0 || isinf(v) || ac_quiet_nan_##FROM(v))) {             \
        return 1;                                                             \
    }

typedef int (*ac_cast_loop)(char *dst, ptrdiff_t dst_stride, const char *src,
                            ptrdiff_t src_stride, ptrdiff_t n);

#define AC_CAST(FROM, FROMKIND, TO, TOKIND)                                   \
    static int ac_cast_##FROM##_to_##TO(char *dst, ptrdiff_t dst_stride,     \
                                        const char *src,                      \
                                        ptrdiff_t src_stride, ptrdiff_t n)    \
    {                                                                         \
        for (ptrdiff_t i = 0; i < n; i++) {                                   \
            ac_##FROM v;                                                      \
            ac_##TO out;                                                      \
            memcpy(&v, src + i * src_stride, sizeof v);                       \
            AC_CONVERT_##FROMKIND##_##TOKIND(FROM, TO)                        \
            memcpy(dst + i * dst_stride, &out, sizeof out);                   \
        }                                                                     \
        return 0;                                                             \
    }

/* The loops from one type to each of the eleven (itself included). */
#define AC_CASTS_FROM(FROM, KIND)                                             \
    AC_CAST(FROM, KIND, bool, b)                                              \
    AC_CAST(FROM, KIND, int8, i)                                              \
    AC_CAST(FROM, KIND, int16, i)                                             \
    AC_CAST(FROM, KIND, int32, i)                                             \
    AC_CAST(FROM, KIND, int64, i)                                             \
    AC_CAST(FROM, KIND, uint8, i)                                             \
    AC_CAST(FROM, KIND, uint16, i)                                            \
    AC_CAST(FROM, KIND, uint32, i)                                            \
    AC_CAST(FROM, KIND, uint64, i)                                            \
    AC_CAST(FROM, KIND, float32, f)                                           \
    AC_CAST(FROM, KIND, float64, f)

AC_CASTS_FROM(bool, b)
AC_CASTS_FROM(int8, i)
AC_CASTS_FROM(int16, i)
AC_CASTS_FROM(int32, i)
AC_CASTS_FROM(int64, i)
AC_CASTS_FROM(uint8, i)
AC_CASTS_FROM(uint16, i)
AC_CASTS_FROM(uint32, i)
AC_CASTS_FROM(uint64, i)
AC_CASTS_FROM(float32, f)
AC_CASTS_FROM(float64, f)

#define AC_CAST_ROW(FROM)                                                     \
    {ac_cast_##FROM##_to_bool, ac_cast_##FROM##_to_int8,                      \
     ac_cast_##FROM##_to_int16, ac_cast_##FROM##_to_int32,                    \
     ac_cast_##FROM##_to_int64, ac_cast_##FROM##_to_uint8,                    \
     ac_cast_##FROM##_to_uint16, ac_cast_##FROM##_to_uint32,                  \
     ac_cast_##FROM##_to_uint64, ac_cast_##FROM##_to_float32,                 \
     ac_cast_##FROM##_to_float64}

static const ac_cast_loop ac_cast_loops[AC_CAST_NTYPES][AC_CAST_NTYPES] = {
    AC_CAST_ROW(bool), AC_CAST_ROW(int8), AC_CAST_ROW(int16),
    AC_CAST_ROW(int32), AC_CAST_ROW(int64), AC_CAST_ROW(uint8),
    AC_CAST_ROW(uint16), AC_CAST_ROW(uint32), AC_CAST_ROW(uint64),
    AC_CAST_ROW(float32), AC_CAST_ROW(float64),
};

/* The loop casting type code `from` to `to` (both below AC_CAST_NTYPES). */
static inline ac_cast_loop array_core_cast_loop(int from, int to)
{
    return ac_cast_loops[from][to];
}

#endif /* ARRAY_CORE_CAST_KERNELS_H */
