/*
 * SIMD micro-kernels of array_core's strided copy (cimported by _copy.pyx).
 *
 * Each kernel copies a 2-d transposed block: a destination whose rows are
 * contiguous along k and a source whose rows are contiguous along i,
 *
 *     dst[i * dst_row + k * itemsize] = src[k * src_row + i * itemsize]
 *
 * for 0 <= i < ni, 0 <= k < nk.  The caller (copy_tiled in _copy.pyx) cuts the
 * copy into cache-sized tiles; a kernel does one tile with register
 * transposes.  The AVX2 versions are compiled with a per-function target
 * attribute, so the module itself needs no -mavx2, and are only called after
 * array_core_cpu_has_avx2() said yes at import time; the SSE2 ones (1- and
 * 2-byte items) use only what every x86-64 has.  On other compilers or
 * architectures ARRAY_CORE_HAVE_SIMD_KERNELS is 0, the functions are stubs
 * that are never called, and _copy.pyx uses its plain Cython staged tiles.
 */
#ifndef ARRAY_CORE_COPY_KERNELS_H
#define ARRAY_CORE_COPY_KERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The contiguous streaming copy; it also defines ARRAY_CORE_HAVE_SIMD_KERNELS. */
#include "_stream_copy.h"

#if ARRAY_CORE_HAVE_SIMD_KERNELS

static int array_core_cpu_has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
}

/* Scalar edge of a tile: items are moved with memcpy of a constant size. */
#define ARRAY_CORE_EDGE(SIZE)                                               \
    for (ptrdiff_t i_ = i0; i_ < ni; i_++)                                  \
        for (ptrdiff_t k_ = k0; k_ < nk; k_++)                              \
            memcpy(dst + i_ * dst_row + k_ * (SIZE),                        \
                   src + k_ * src_row + i_ * (SIZE), (SIZE));

/*
 * 8-byte items (float64, int64, complex64): 4x4 blocks, four 256-bit loads of
 * source rows, unpack + 128-bit lane permutes, four 256-bit stores.
 */
__attribute__((target("avx2")))
static void array_core_transpose8_avx2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{
    ptrdiff_t i, k, i0, k0;
    for (k = 0; k + 4 <= nk; k += 4) {
        const char *s = src + k * src_row;
        char *d = dst + k * 8;
        for (i = 0; i + 4 <= ni; i += 4) {
            __m256i r0 = _mm256_loadu_si256((const __m256i *)(s + 0 * src_row + i * 8));
            __m256i r1 = _mm256_loadu_si256((const __m256i *)(s + 1 * src_row + i * 8));
            __m256i r2 = _mm256_loadu_si256((const __m256i *)(s + 2 * src_row + i * 8));
            __m256i r3 = _mm256_loadu_si256((const __m256i *)(s + 3 * src_row + i * 8));
            __m256i t0 = _mm256_unpacklo_epi64(r0, r1);
            __m256i t1 = _mm256_unpackhi_epi64(r0, r1);
            __m256i t2 = _mm256_unpacklo_epi64(r2, r3);
            __m256i t3 = _mm256_unpackhi_epi64(r2, r3);
            _mm256_storeu_si256((__m256i *)(d + (i + 0) * dst_row),
                                _mm256_permute2x128_si256(t0, t2, 0x20));
            _mm256_storeu_si256((__m256i *)(d + (i + 1) * dst_row),
                                _mm256_permute2x128_si256(t1, t3, 0x20));
            _mm256_storeu_si256((__m256i *)(d + (i + 2) * dst_row),
                                _mm256_permute2x128_si256(t0, t2, 0x31));
            _mm256_storeu_si256((__m256i *)(d + (i + 3) * dst_row),
                                _mm256_permute2x128_si256(t1, t3, 0x31));
        }
    }
    /* Ragged edges: the last nk % 4 columns, then the last ni % 4 rows. */
    k0 = nk - nk % 4;
    i0 = 0;
    ARRAY_CORE_EDGE(8)
    k0 = 0;
    i0 = ni - ni % 4;
    nk = nk - nk % 4;
    ARRAY_CORE_EDGE(8)
}

/*
 * 4-byte items (float32, int32): 8x8 blocks, eight 256-bit loads, the
 * classic unpack / shuffle / lane-permute transpose, eight 256-bit stores.
 */
__attribute__((target("avx2")))
static void array_core_transpose4_avx2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{
    ptrdiff_t i, k, i0, k0;
    for (k = 0; k + 8 <= nk; k += 8) {
        const char *s = src + k * src_row;
        char *d = dst + k * 4;
        for (i = 0; i + 8 <= ni; i += 8) {
            __m256 r0 = _mm256_loadu_ps((const float *)(s + 0 * src_row + i * 4));
            __m256 r1 = _mm256_loadu_ps((const float *)(s + 1 * src_row + i * 4));
            __m256 r2 = _mm256_loadu_ps((const float *)(s + 2 * src_row + i * 4));
            __m256 r3 = _mm256_loadu_ps((const float *)(s + 3 * src_row + i * 4));
            __m256 r4 = _mm256_loadu_ps((const float *)(s + 4 * src_row + i * 4));
            __m256 r5 = _mm256_loadu_ps((const float *)(s + 5 * src_row + i * 4));
            __m256 r6 = _mm256_loadu_ps((const float *)(s + 6 * src_row + i * 4));
            __m256 r7 = _mm256_loadu_ps((const float *)(s + 7 * src_row + i * 4));
            __m256 t0 = _mm256_unpacklo_ps(r0, r1);
            __m256 t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3);
            __m256 t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5);
            __m256 t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7);
            __m256 t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44);
            __m256 u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44);
            __m256 u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44);
            __m256 u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44);
            __m256 u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            _mm256_storeu_ps((float *)(d + (i + 0) * dst_row), _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps((float *)(d + (i + 1) * dst_row), _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps((float *)(d + (i + 2) * dst_row), _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps((float *)(d + (i + 3) * dst_row), _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps((float *)(d + (i + 4) * dst_row), _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps((float *)(d + (i + 5) * dst_row), _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps((float *)(d + (i + 6) * dst_row), _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps((float *)(d + (i + 7) * dst_row), _mm256_permute2f128_ps(u3, u7, 0x31));
        }
    }
    k0 = nk - nk % 8;
    i0 = 0;
    ARRAY_CORE_EDGE(4)
    k0 = 0;
    i0 = ni - ni % 8;
    nk = nk - nk % 8;
    ARRAY_CORE_EDGE(4)
}

/*
 * 16-byte items (complex128, float128 storage): 2x2 blocks of 128-bit lanes,
 * two 256-bit loads, two lane permutes, two 256-bit stores.
 */
__attribute__((target("avx2")))
static void array_core_transpose16_avx2(char *dst, ptrdiff_t dst_row,
                                        const char *src, ptrdiff_t src_row,
                                        ptrdiff_t ni, ptrdiff_t nk)
{
    ptrdiff_t i, k, i0, k0;
    for (k = 0; k + 2 <= nk; k += 2) {
        const char *s = src + k * src_row;
        char *d = dst + k * 16;
        for (i = 0; i + 2 <= ni; i += 2) {
            __m256i r0 = _mm256_loadu_si256((const __m256i *)(s + i * 16));
            __m256i r1 = _mm256_loadu_si256((const __m256i *)(s + src_row + i * 16));
            _mm256_storeu_si256((__m256i *)(d + i * dst_row),
                                _mm256_permute2x128_si256(r0, r1, 0x20));
            _mm256_storeu_si256((__m256i *)(d + (i + 1) * dst_row),
                                _mm256_permute2x128_si256(r0, r1, 0x31));
        }
    }
    k0 = nk - nk % 2;
    i0 = 0;
    ARRAY_CORE_EDGE(16)
    k0 = 0;
    i0 = ni - ni % 2;
    nk = nk - nk % 2;
    ARRAY_CORE_EDGE(16)
}

/*
 * 2-byte items (int16, float16): 8x8 blocks of 128-bit rows, unpacks of
 * 16-, 32- and 64-bit lanes.  Only SSE2, so these exist on every x86-64.
 */
static void array_core_transpose2_sse2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{
    ptrdiff_t i, k, i0, k0;
    for (k = 0; k + 8 <= nk; k += 8) {
        const char *s = src + k * src_row;
        char *d = dst + k * 2;
        for (i = 0; i + 8 <= ni; i += 8) {
            const char *p = s + i * 2;
            __m128i a0 = _mm_loadu_si128((const __m128i *)(p + 0 * src_row));
            __m128i a1 = _mm_loadu_si128((const __m128i *)(p + 1 * src_row));
            __m128i a2 = _mm_loadu_si128((const __m128i *)(p + 2 * src_row));
            __m128i a3 = _mm_loadu_si128((const __m128i *)(p + 3 * src_row));
            __m128i a4 = _mm_loadu_si128((const __m128i *)(p + 4 * src_row));
            __m128i a5 = _mm_loadu_si128((const __m128i *)(p + 5 * src_row));
            __m128i a6 = _mm_loadu_si128((const __m128i *)(p + 6 * src_row));
            __m128i a7 = _mm_loadu_si128((const __m128i *)(p + 7 * src_row));
            __m128i t0 = _mm_unpacklo_epi16(a0, a1), t1 = _mm_unpackhi_epi16(a0, a1);
            __m128i t2 = _mm_unpacklo_epi16(a2, a3), t3 = _mm_unpackhi_epi16(a2, a3);
            __m128i t4 = _mm_unpacklo_epi16(a4, a5), t5 = _mm_unpackhi_epi16(a4, a5);
            __m128i t6 = _mm_unpacklo_epi16(a6, a7), t7 = _mm_unpackhi_epi16(a6, a7);
            __m128i u0 = _mm_unpacklo_epi32(t0, t2), u1 = _mm_unpackhi_epi32(t0, t2);
            __m128i u2 = _mm_unpacklo_epi32(t1, t3), u3 = _mm_unpackhi_epi32(t1, t3);
            __m128i u4 = _mm_unpacklo_epi32(t4, t6), u5 = _mm_unpackhi_epi32(t4, t6);
            __m128i u6 = _mm_unpacklo_epi32(t5, t7), u7 = _mm_unpackhi_epi32(t5, t7);
            char *q = d + i * dst_row;
            _mm_storeu_si128((__m128i *)(q + 0 * dst_row), _mm_unpacklo_epi64(u0, u4));
            _mm_storeu_si128((__m128i *)(q + 1 * dst_row), _mm_unpackhi_epi64(u0, u4));
            _mm_storeu_si128((__m128i *)(q + 2 * dst_row), _mm_unpacklo_epi64(u1, u5));
            _mm_storeu_si128((__m128i *)(q + 3 * dst_row), _mm_unpackhi_epi64(u1, u5));
            _mm_storeu_si128((__m128i *)(q + 4 * dst_row), _mm_unpacklo_epi64(u2, u6));
            _mm_storeu_si128((__m128i *)(q + 5 * dst_row), _mm_unpackhi_epi64(u2, u6));
            _mm_storeu_si128((__m128i *)(q + 6 * dst_row), _mm_unpacklo_epi64(u3, u7));
            _mm_storeu_si128((__m128i *)(q + 7 * dst_row), _mm_unpackhi_epi64(u3, u7));
        }
    }
    k0 = nk - nk % 8;
    i0 = 0;
    ARRAY_CORE_EDGE(2)
    k0 = 0;
    i0 = ni - ni % 8;
    nk = nk - nk % 8;
    ARRAY_CORE_EDGE(2)
}

/*
 * 1-byte items (uint8, int8, bool): 8x8 blocks of 64-bit rows, unpacks of
 * 8-, 16- and 32-bit lanes, 64-bit stores.  Only SSE2.
 */
static void array_core_transpose1_sse2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{
    ptrdiff_t i, k, i0, k0;
    for (k = 0; k + 8 <= nk; k += 8) {
        const char *s = src + k * src_row;
        char *d = dst + k;
        for (i = 0; i + 8 <= ni; i += 8) {
            const char *p = s + i;
            __m128i a0 = _mm_loadl_epi64((const __m128i *)(p + 0 * src_row));
            __m128i a1 = _mm_loadl_epi64((const __m128i *)(p + 1 * src_row));
            __m128i a2 = _mm_loadl_epi64((const __m128i *)(p + 2 * src_row));
            __m128i a3 = _mm_loadl_epi64((const __m128i *)(p + 3 * src_row));
            __m128i a4 = _mm_loadl_epi64((const __m128i *)(p + 4 * src_row));
            __m128i a5 = _mm_loadl_epi64((const __m128i *)(p + 5 * src_row));
            __m128i a6 = _mm_loadl_epi64((const __m128i *)(p + 6 * src_row));
            __m128i a7 = _mm_loadl_epi64((const __m128i *)(p + 7 * src_row));
            __m128i t0 = _mm_unpacklo_epi8(a0, a1), t1 = _mm_unpacklo_epi8(a2, a3);
            __m128i t2 = _mm_unpacklo_epi8(a4, a5), t3 = _mm_unpacklo_epi8(a6, a7);
            __m128i u0 = _mm_unpacklo_epi16(t0, t1), u1 = _mm_unpackhi_epi16(t0, t1);
            __m128i u2 = _mm_unpacklo_epi16(t2, t3), u3 = _mm_unpackhi_epi16(t2, t3);
            __m128i v0 = _mm_unpacklo_epi32(u0, u2), v1 = _mm_unpackhi_epi32(u0, u2);
            __m128i v2 = _mm_unpacklo_epi32(u1, u3), v3 = _mm_unpackhi_epi32(u1, u3);
            char *q = d + i * dst_row;
            _mm_storel_epi64((__m128i *)(q + 0 * dst_row), v0);
            _mm_storel_epi64((__m128i *)(q + 1 * dst_row), _mm_unpackhi_epi64(v0, v0));
            _mm_storel_epi64((__m128i *)(q + 2 * dst_row), v1);
            _mm_storel_epi64((__m128i *)(q + 3 * dst_row), _mm_unpackhi_epi64(v1, v1));
            _mm_storel_epi64((__m128i *)(q + 4 * dst_row), v2);
            _mm_storel_epi64((__m128i *)(q + 5 * dst_row), _mm_unpackhi_epi64(v2, v2));
            _mm_storel_epi64((__m128i *)(q + 6 * dst_row), v3);
            _mm_storel_epi64((__m128i *)(q + 7 * dst_row), _mm_unpackhi_epi64(v3, v3));
        }
    }
    k0 = nk - nk % 8;
    i0 = 0;
    ARRAY_CORE_EDGE(1)
    k0 = 0;
    i0 = ni - ni % 8;
    nk = nk - nk % 8;
    ARRAY_CORE_EDGE(1)
}

#undef ARRAY_CORE_EDGE

#else  /* no AVX2 kernels on this compiler / architecture */

static int array_core_cpu_has_avx2(void) { return 0; }

static void array_core_transpose8_avx2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{ (void)dst; (void)dst_row; (void)src; (void)src_row; (void)ni; (void)nk; }
static void array_core_transpose4_avx2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{ (void)dst; (void)dst_row; (void)src; (void)src_row; (void)ni; (void)nk; }
static void array_core_transpose16_avx2(char *dst, ptrdiff_t dst_row,
                                        const char *src, ptrdiff_t src_row,
                                        ptrdiff_t ni, ptrdiff_t nk)
{ (void)dst; (void)dst_row; (void)src; (void)src_row; (void)ni; (void)nk; }
static void array_core_transpose2_sse2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{ (void)dst; (void)dst_row; (void)src; (void)src_row; (void)ni; (void)nk; }
static void array_core_transpose1_sse2(char *dst, ptrdiff_t dst_row,
                                       const char *src, ptrdiff_t src_row,
                                       ptrdiff_t ni, ptrdiff_t nk)
{ (void)dst; (void)dst_row; (void)src; (void)src_row; (void)ni; (void)nk; }

#endif

/*
 * Streaming gathers: n items of 4, 8 or 16 bytes from a strided source into
 * a contiguous destination, written with non-temporal stores (MOVNTI, SSE2,
 * so on every x86-64).  For outputs far bigger than the last-level cache:
 * the stores then skip the read-for-ownership of every destination line, a
 * third of the memory traffic of a[::2, ::3].copy().  array_core_stream_fence()
 * must follow the last of them.  Elsewhere they are plain loops.
 */
#if ARRAY_CORE_HAVE_SIMD_KERNELS
#define ARRAY_CORE_STREAM32(p, v) _mm_stream_si32((int *)(p), (v))
#define ARRAY_CORE_STREAM64(p, v) _mm_stream_si64((long long *)(p), (v))
#else
#define ARRAY_CORE_STREAM32(p, v) memcpy((p), &(v), 4)
#define ARRAY_CORE_STREAM64(p, v) memcpy((p), &(v), 8)
#endif

static void array_core_gather_stream4(char *dst, const char *src,
                                      ptrdiff_t src_stride, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        int v;
        memcpy(&v, src + i * src_stride, 4);
        ARRAY_CORE_STREAM32(dst + 4 * i, v);
    }
}

static void array_core_gather_stream8(char *dst, const char *src,
                                      ptrdiff_t src_stride, ptrdiff_t n)
{
    ptrdiff_t i = 0;
    /* Four loads before four stores: the loads' misses overlap. */
    for (; i + 4 <= n; i += 4) {
        long long v0, v1, v2, v3;
        memcpy(&v0, src + (i + 0) * src_stride, 8);
        memcpy(&v1, src + (i + 1) * src_stride, 8);
        memcpy(&v2, src + (i + 2) * src_stride, 8);
        memcpy(&v3, src + (i + 3) * src_stride, 8);
        ARRAY_CORE_STREAM64(dst + 8 * (i + 0), v0);
        ARRAY_CORE_STREAM64(dst + 8 * (i + 1), v1);
        ARRAY_CORE_STREAM64(dst + 8 * (i + 2), v2);
        ARRAY_CORE_STREAM64(dst + 8 * (i + 3), v3);
    }
    for (; i < n; i++) {
        long long v;
        memcpy(&v, src + i * src_stride, 8);
        ARRAY_CORE_STREAM64(dst + 8 * i, v);
    }
}

static void array_core_gather_stream16(char *dst, const char *src,
                                       ptrdiff_t src_stride, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        long long lo, hi;
        memcpy(&lo, src + i * src_stride, 8);
        memcpy(&hi, src + i * src_stride + 8, 8);
        ARRAY_CORE_STREAM64(dst + 16 * i, lo);
        ARRAY_CORE_STREAM64(dst + 16 * i + 8, hi);
    }
}

#undef ARRAY_CORE_STREAM32
#undef ARRAY_CORE_STREAM64

/*
 * Prefetch the cache lines of `rows` runs of `bytes` contiguous bytes, `row`
 * bytes apart, for reading or (for_write) writing.  copy_tiled calls it on
 * the next tile while copying the current one: a tile reads a few lines from
 * each of 32+ source rows and writes a few to each of 32+ destination rows,
 * a pattern the hardware prefetchers do not follow, so without it every
 * line is a demand miss (measured on a KVM Xeon with ~160 ns to memory:
 * 1000^2 float64 transposes at 0.7 GB/s, 5.6 with it).  A prefetch never
 * faults; on compilers without __builtin_prefetch this does nothing.
 */
static inline void array_core_prefetch_rows(const char *p, ptrdiff_t row,
                                            ptrdiff_t rows, ptrdiff_t bytes,
                                            int for_write)
{
#if defined(__GNUC__) || defined(__clang__)
    for (ptrdiff_t r = 0; r < rows; r++) {
        /* Step by lines from the first line's start (as integers: that
           start may lie before the array), so an unaligned run's last line
           is covered too. */
        uintptr_t line = (uintptr_t)(p + r * row) & ~(uintptr_t)63;
        uintptr_t end = (uintptr_t)(p + r * row) + (uintptr_t)bytes;
        if (for_write)
            for (; line < end; line += 64)
                __builtin_prefetch((const void *)line, 1, 3);
        else
            for (; line < end; line += 64)
                __builtin_prefetch((const void *)line, 0, 3);
    }
#else
    (void)p; (void)row; (void)rows; (void)bytes; (void)for_write;
#endif
}

#endif  /* ARRAY_CORE_COPY_KERNELS_H */
