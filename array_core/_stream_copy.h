/*
 * The contiguous streaming copy of array_core's copy kernels (included by
 * _copy_kernels.h), on its own so that _cache_probe.pyx times the same code
 * without the transpose kernels.  ARRAY_CORE_HAVE_SIMD_KERNELS says whether
 * the x86-64 intrinsics compile; elsewhere the copy is a memcpy.
 */
#ifndef ARRAY_CORE_STREAM_COPY_H
#define ARRAY_CORE_STREAM_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ARRAY_CORE_HAVE_SIMD_KERNELS 1
#include <immintrin.h>
#else
#define ARRAY_CORE_HAVE_SIMD_KERNELS 0
#endif

/*
 * A contiguous copy of n bytes written with non-temporal stores (MOVNTDQ,
 * SSE2): for copies far past the last-level cache, where memcpy's ordinary
 * stores first read every destination line (measured on AMD EPYC: 0.61-0.69
 * of glibc's memcpy time from 8 MiB to 64 MiB, 1.2-1.5x at 4 MiB and below,
 * where the destination stays cached).  The caller fences.
 *
 * Each group of four stores fills one whole destination line: from a
 * 16-byte-aligned start (malloc's, and so NumPy's and array_core's buffers)
 * every group would straddle two lines, each leaving the write-combining
 * buffer half full, which made the copy 1.2-1.8x slower on a Xeon.  Bulk
 * copies go four 4 KiB blocks at a time, one line of each in turn: four
 * sequential read streams keep the hardware prefetchers (which follow a
 * stream within a page) further ahead than one, 0.57-0.91 of memcpy's time
 * from 16 to 256 MiB against 0.73-1.30 for one stream.
 */
#if ARRAY_CORE_HAVE_SIMD_KERNELS
static inline void array_core_stream_line(char *dst, const char *src)
{
    /* Four loads before four stores: the loads' misses overlap. */
    __m128i v0 = _mm_loadu_si128((const __m128i *)src);
    __m128i v1 = _mm_loadu_si128((const __m128i *)(src + 16));
    __m128i v2 = _mm_loadu_si128((const __m128i *)(src + 32));
    __m128i v3 = _mm_loadu_si128((const __m128i *)(src + 48));
    _mm_stream_si128((__m128i *)dst, v0);
    _mm_stream_si128((__m128i *)(dst + 16), v1);
    _mm_stream_si128((__m128i *)(dst + 32), v2);
    _mm_stream_si128((__m128i *)(dst + 48), v3);
}
#endif

/* A read prefetch of base + offset, computed in unsigned arithmetic: it may
   lie past the end of the source, which a prefetch never faults on. */
static inline void array_core_prefetch_address(const char *base, size_t offset)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch((const void *)((uintptr_t)base + offset), 0, 3);
#else
    (void)base;
    (void)offset;
#endif
}

static void array_core_copy_stream(char *dst, const char *src, size_t n)
{
#if ARRAY_CORE_HAVE_SIMD_KERNELS
    const size_t block = 4096; /* bytes of each of the four read streams */
    size_t head = (64 - ((uintptr_t)dst & 63)) & 63, i = 0, j;
    if (head > n) {
        head = n;
    }
    memcpy(dst, src, head);
    dst += head;
    src += head;
    n -= head;
    for (; i + 4 * block <= n; i += 4 * block) {
        for (j = i; j < i + block; j += 64) {
            /* The next group's lines, into the cache: with the source 24
               bytes off the destination's line offset (each load then
               straddles two lines), 0.50-0.86 of memcpy's time from 8 MiB
               on, against 0.80-1.16 without. */
            array_core_prefetch_address(src, j + 4 * block);
            array_core_prefetch_address(src, j + 5 * block);
            array_core_prefetch_address(src, j + 6 * block);
            array_core_prefetch_address(src, j + 7 * block);
            array_core_stream_line(dst + j, src + j);
            array_core_stream_line(dst + j + block, src + j + block);
            array_core_stream_line(dst + j + 2 * block, src + j + 2 * block);
            array_core_stream_line(dst + j + 3 * block, src + j + 3 * block);
        }
    }
    for (; i + 64 <= n; i += 64) {
        array_core_stream_line(dst + i, src + i);
    }
    memcpy(dst + i, src + i, n - i);
#else
    memcpy(dst, src, n);
#endif
}

/* Orders the streaming stores before any later store (and the caller's return). */
static void array_core_stream_fence(void)
{
#if ARRAY_CORE_HAVE_SIMD_KERNELS
    _mm_sfence();
#endif
}

#endif  /* ARRAY_CORE_STREAM_COPY_H */
