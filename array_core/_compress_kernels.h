/*
 * AVX2 kernels of the boolean-mask compress (cimported by _index.pyx).
 *
 * array_core_compress8_avx2 / array_core_compress4_avx2 move the items of a
 * contiguous source whose mask byte is nonzero to consecutive items of dst:
 * 32 mask bytes become 32 bits (compare with zero, movemask), and each group
 * of 4 (8-byte items) or 8 (4-byte items) source items is packed by one
 * lane permute from a table indexed by its bits, then stored whole; the
 * output position advances by the group's popcount.  A store thus writes up
 * to a group's width past the last kept item, so the kernels stop before
 * the output position could pass ``room - 32`` (``room``: the items dst may
 * hold): they never write past it, even if another thread changes the mask
 * meanwhile.  They return the number of source items consumed (a multiple
 * of 32) and leave the output position in ``*kept``; the caller finishes the
 * rest with its scalar loop.  array_core_count_nonzero_avx2 counts the
 * Trues the same way (32 mask bytes per movemask and popcount).
 *
 * Measured on a first-generation AMD EPYC: 10M float64 with a random half
 * kept, 9.6 ms against 35 ms for the branch-free scalar loop (NumPy: 81 ms).
 *
 * As in _copy_kernels.h the functions carry a per-function target attribute,
 * run only after array_core_compress_has_avx2() said yes at import, and are
 * stubs returning 0 off x86-64 GCC/Clang.
 */
#ifndef ARRAY_CORE_COMPRESS_KERNELS_H
#define ARRAY_CORE_COMPRESS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* Lane indices (32-bit lanes) that pack the kept items of a group first. */
static uint32_t array_core_pack8[16][8];
static uint32_t array_core_pack4[256][8];

static int array_core_compress_has_avx2(void)
{
    int b, e, k;
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("popcnt")) {
        return 0;
    }
    for (b = 0; b < 16; b++) {
        for (e = 0, k = 0; e < 4; e++) {
            if (b >> e & 1) {
                array_core_pack8[b][2 * k] = 2 * e;
                array_core_pack8[b][2 * k + 1] = 2 * e + 1;
                k++;
            }
        }
        for (; k < 4; k++) {
            array_core_pack8[b][2 * k] = 0;
            array_core_pack8[b][2 * k + 1] = 1;
        }
    }
    for (b = 0; b < 256; b++) {
        for (e = 0, k = 0; e < 8; e++) {
            if (b >> e & 1) {
                array_core_pack4[b][k++] = e;
            }
        }
        for (; k < 8; k++) {
            array_core_pack4[b][k] = 0;
        }
    }
    return 1;
}

/* Bit i set when mask[i] != 0, for 32 mask bytes. */
__attribute__((target("avx2")))
static inline uint32_t array_core_mask_bits32(const char *mask)
{
    __m256i bytes = _mm256_loadu_si256((const __m256i *)mask);
    __m256i zero = _mm256_cmpeq_epi8(bytes, _mm256_setzero_si256());
    return ~(uint32_t)_mm256_movemask_epi8(zero);
}

/* The nonzero bytes of mask[0, n): 32 at a time, the rest one by one. */
__attribute__((target("avx2,popcnt")))
static ptrdiff_t array_core_count_nonzero_avx2(const char *mask, ptrdiff_t n)
{
    ptrdiff_t i = 0, c = 0;
    for (; i + 32 <= n; i += 32) {
        c += __builtin_popcount(array_core_mask_bits32(mask + i));
    }
    for (; i < n; i++) {
        c += mask[i] != 0;
    }
    return c;
}

/*
 * The shared loop: groups of ``width`` items of 32 / width bytes each (one
 * 256-bit register), packed by the lane table row their mask bits select.
 * The wrappers pass constants, so each compiles to its own unrolled loop.
 */
__attribute__((target("avx2,popcnt")))
static inline ptrdiff_t array_core_compress_groups(char *dst, const char *src,
                                                   const char *mask, ptrdiff_t n,
                                                   ptrdiff_t room, ptrdiff_t *kept,
                                                   const int width,
                                                   const uint32_t (*lanes)[8])
{
    const int itemsize = 32 / width;
    const unsigned select = (1u << width) - 1;
    ptrdiff_t i = 0, j = 0;
    int q;
    for (; i + 32 <= n && j + 32 <= room; i += 32) {
        uint32_t bits = array_core_mask_bits32(mask + i);
        for (q = 0; q < 32 / width; q++) {
            unsigned group = (bits >> (width * q)) & select;
            __m256i items = _mm256_loadu_si256(
                (const __m256i *)(src + (i + width * q) * itemsize));
            __m256i order = _mm256_loadu_si256((const __m256i *)lanes[group]);
            _mm256_storeu_si256((__m256i *)(dst + j * itemsize),
                                _mm256_permutevar8x32_epi32(items, order));
            j += __builtin_popcount(group);
        }
    }
    *kept = j;
    return i;
}

__attribute__((target("avx2,popcnt")))
static ptrdiff_t array_core_compress8_avx2(char *dst, const char *src,
                                           const char *mask, ptrdiff_t n,
                                           ptrdiff_t room, ptrdiff_t *kept)
{
    return array_core_compress_groups(dst, src, mask, n, room, kept, 4,
                                      (const uint32_t (*)[8])array_core_pack8);
}

__attribute__((target("avx2,popcnt")))
static ptrdiff_t array_core_compress4_avx2(char *dst, const char *src,
                                           const char *mask, ptrdiff_t n,
                                           ptrdiff_t room, ptrdiff_t *kept)
{
    return array_core_compress_groups(dst, src, mask, n, room, kept, 8,
                                      (const uint32_t (*)[8])array_core_pack4);
}

#else

static int array_core_compress_has_avx2(void) { return 0; }

static ptrdiff_t array_core_count_nonzero_avx2(const char *mask, ptrdiff_t n)
{
    (void)mask; (void)n;
    return 0;
}

static ptrdiff_t array_core_compress8_avx2(char *dst, const char *src,
                                           const char *mask, ptrdiff_t n,
                                           ptrdiff_t room, ptrdiff_t *kept)
{
    (void)dst; (void)src; (void)mask; (void)n; (void)room;
    *kept = 0;
    return 0;
}

static ptrdiff_t array_core_compress4_avx2(char *dst, const char *src,
                                           const char *mask, ptrdiff_t n,
                                           ptrdiff_t room, ptrdiff_t *kept)
{
    (void)dst; (void)src; (void)mask; (void)n; (void)room;
    *kept = 0;
    return 0;
}

#endif

#endif  /* ARRAY_CORE_COMPRESS_KERNELS_H */
