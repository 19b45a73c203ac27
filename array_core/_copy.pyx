# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""The strided copy kernel: copy any layout into any layout.

``copy_strided`` plans a copy once -- drop length-1 axes, order the loops by
the destination strides, merge axes contiguous in both layouts -- and then
runs one of four paths: a single ``memcpy``; rows of ``memcpy``; a
cache-blocked tile path for transposed patterns (a 2-d core whose source runs
along the destination's outer axis, as in ``ascontiguousarray(a.T)`` or
``transpose(2, 0, 1).copy()``), with AVX2 register-transpose micro-kernels
from ``_copy_kernels.h`` when the CPU has them; or a generic n-d loop whose
inner loop is specialised by item size.  It is NumPy's
``PyArray_AssignArray`` / ``raw_array_assign_array`` with the same aliasing
rule: when source and destination overlap, the source is first staged into a
temporary buffer.
"""
from libc.string cimport memcpy
from libc.stdlib cimport malloc, free
from libc.stdint cimport uintptr_t
from array_core._typedefs cimport (
    MAX_NDIM, unaligned_u8, unaligned_u16, unaligned_u32, unaligned_u64,
)
from array_core._layout cimport coalesce_axes, byte_extent, shape_size
from array_core._odometer cimport odometer_next
from array_core._threads cimport parallel_range, threads_for

import numpy as np

from array_core import _machine


cdef extern from "_copy_kernels.h" nogil:
    enum: ARRAY_CORE_HAVE_SIMD_KERNELS
    int array_core_cpu_has_avx2()
    void array_core_gather_stream4(char* dst, const char* src,
                                   Py_ssize_t src_stride, Py_ssize_t n)
    void array_core_gather_stream8(char* dst, const char* src,
                                   Py_ssize_t src_stride, Py_ssize_t n)
    void array_core_gather_stream16(char* dst, const char* src,
                                    Py_ssize_t src_stride, Py_ssize_t n)
    void array_core_stream_fence()
    void array_core_copy_stream(char* dst, const char* src, size_t n)
    void array_core_prefetch_rows(const char* p, Py_ssize_t row, Py_ssize_t rows,
                                  Py_ssize_t nbytes, int for_write)
    void array_core_transpose1_sse2(char* dst, Py_ssize_t dst_row,
                                    const char* src, Py_ssize_t src_row,
                                    Py_ssize_t ni, Py_ssize_t nk)
    void array_core_transpose2_sse2(char* dst, Py_ssize_t dst_row,
                                    const char* src, Py_ssize_t src_row,
                                    Py_ssize_t ni, Py_ssize_t nk)
    void array_core_transpose4_avx2(char* dst, Py_ssize_t dst_row,
                                    const char* src, Py_ssize_t src_row,
                                    Py_ssize_t ni, Py_ssize_t nk)
    void array_core_transpose8_avx2(char* dst, Py_ssize_t dst_row,
                                    const char* src, Py_ssize_t src_row,
                                    Py_ssize_t ni, Py_ssize_t nk)
    void array_core_transpose16_avx2(char* dst, Py_ssize_t dst_row,
                                     const char* src, Py_ssize_t src_row,
                                     Py_ssize_t ni, Py_ssize_t nk)


ctypedef void (*transpose_kernel)(char*, Py_ssize_t, const char*, Py_ssize_t,
                                  Py_ssize_t, Py_ssize_t) noexcept nogil

# Checked once at import: the AVX2 kernels run only on CPUs that have AVX2.
cdef bint HAVE_AVX2 = array_core_cpu_has_avx2()
cdef bint HAVE_SSE2 = ARRAY_CORE_HAVE_SIMD_KERNELS
# Bytes in one square tile of the staged 2-d core (<= STAGE_BYTES); the SIMD
# kernels' tile edges are in simd_tile_edge.  Both measured on AMD EPYC.
cdef Py_ssize_t TILE_AREA = 8192
# When > 0, the tile edge of every path (a test hook: small ragged tiles).
cdef Py_ssize_t TILE_EDGE_OVERRIDE = 0
# The thresholds below scale with the last-level cache a core sees (read at
# import, see set_cache_thresholds); the sizes quoted are for 32 MiB.
# A 2-d copy of at most this many bytes is tiled along the source's rows
# (reads stream, writes scatter): measured 10-20% faster while source and
# destination fit the 32 MiB last-level cache (1000 x 1000 float64), 10-20%
# slower beyond it (4096 x 4096; 256**3 n-d relayouts, even though each
# 2-d core is small), where tiles follow the destination's rows.
cdef Py_ssize_t SOURCE_ORDER_MAX_BYTES = 12 << 20
cdef enum:
    TILE_ORDER_AUTO = 0
    TILE_ORDER_SOURCE = 1
    TILE_ORDER_DESTINATION = 2
# A test hook: TILE_ORDER_AUTO leaves the choice to copy_planned.
cdef int TILE_ORDER = TILE_ORDER_AUTO
# Strided-to-contiguous row copies and tiled transposes writing at least this
# many bytes store around the cache (non-temporal): the output cannot stay
# cached anyway, and skipping the read of each destination line saves a third
# of the traffic of a[::2, ::3].copy() or ascontiguousarray(a.T).  Half the
# last-level cache: on an 8 MiB one, ascontiguousarray(a.T) streamed measured
# 0.57-0.87 of NumPy's time from 3.7 to 7.6 MiB, 0.9-1.5 unstreamed; below
# 3 MiB it lost.  0 turns streaming off.
cdef Py_ssize_t STREAM_MIN_BYTES = 16 << 20
# Contiguous copies of at least this many bytes (3/4 of the cache the
# thresholds scale with) store around the cache too.  Measured with memcpy
# in C, source and destination both cached from the copy before: with that
# cache a Xeon's 2 MiB L2 (its large L3 shared and far, see _machine),
# 1.35-1.54x memcpy's time at 1 MiB, 1.04-1.08x at 1.25 MiB, 0.76-0.85x
# from 1.5 MiB to 3 MiB and 0.55-0.9x up to 256 MiB.  An earlier 3/8, from
# EPYC and 8 MiB-cache timings (gains from 3/8 of the cache on), streamed at
# 768 KiB here, 2x memcpy's time: too early costs more than too late.
# 0: never.
cdef Py_ssize_t CONTIGUOUS_STREAM_MIN_BYTES = 24 << 20
# Whether copy_tiled prefetches each next tile (a test hook turns it off).
cdef bint PREFETCH_TILES = True
# A source step at least this long along the destination's rows wastes most
# of each cache line it touches, so blocking pays.
cdef Py_ssize_t TILE_MIN_STRIDE = 64
# Items this big fill whole cache lines on their own: no tiling needed.
cdef Py_ssize_t TILE_MAX_ITEMSIZE = 64


def set_cache_thresholds(Py_ssize_t last_level_cache_bytes):
    """Scale the streaming and tile-order thresholds to a last-level cache
    of this many bytes (done once at import with the machine's size)."""
    global SOURCE_ORDER_MAX_BYTES, STREAM_MIN_BYTES, CONTIGUOUS_STREAM_MIN_BYTES
    if last_level_cache_bytes <= 0:
        raise ValueError("the cache size must be positive")
    SOURCE_ORDER_MAX_BYTES = last_level_cache_bytes * 3 // 8
    STREAM_MIN_BYTES = last_level_cache_bytes // 2
    CONTIGUOUS_STREAM_MIN_BYTES = last_level_cache_bytes * 3 // 4


# The size at import (``_machine.effective_cache_bytes``: sysfs's, or the L2
# where the last level is a large host's that serves this process little).
MACHINE_CACHE_BYTES = _machine.effective_cache_bytes()
set_cache_thresholds(MACHINE_CACHE_BYTES)


cdef enum:
    STAGE_WORDS = 2048  # 16 KiB of 8-byte words: the staging buffer of a tile
    STAGE_BYTES = 8 * STAGE_WORDS


ctypedef fused item_t:
    unaligned_u8
    unaligned_u16
    unaligned_u32
    unaligned_u64


cdef inline Py_ssize_t abs_(Py_ssize_t x) noexcept nogil:
    return -x if x < 0 else x


cdef inline void copy_run_typed(char* dst, Py_ssize_t dst_stride,
                                const char* src, Py_ssize_t src_stride,
                                Py_ssize_t n, item_t* kind) noexcept nogil:
    """Copy ``n`` items of type ``item_t`` along one axis (``kind`` is unused).

    A contiguous destination gets its own indexed loop, which the C compiler
    unrolls and vectorises (NumPy's ``_strided_to_contig_size{N}``).
    """
    cdef Py_ssize_t i, _step
    cdef item_t* out = <item_t*>dst
    cdef item_t a0, a1, a2, a3
    if dst_stride == sizeof(item_t):
        # Four loads before four stores: the loads do not wait on the stores
        # (a char store may alias any load), so small items run ~2x faster.
        i = 0
        while i + 4 <= n:
            a0 = (<const item_t*>src)[0]
            a1 = (<const item_t*>(src + src_stride))[0]
            a2 = (<const item_t*>(src + 2 * src_stride))[0]
            a3 = (<const item_t*>(src + 3 * src_stride))[0]
            out[i] = a0
            out[i + 1] = a1
            out[i + 2] = a2
            out[i + 3] = a3
            src += 4 * src_stride
            i += 4
        while i < n:
            out[i] = (<const item_t*>src)[0]
            src += src_stride
            i += 1
        return
    for _step in range(n):
        (<item_t*>dst)[0] = (<const item_t*>src)[0]
        dst += dst_stride
        src += src_stride


cdef inline void copy_run(char* dst, Py_ssize_t dst_stride,
                          const char* src, Py_ssize_t src_stride,
                          Py_ssize_t n, Py_ssize_t itemsize) noexcept nogil:
    """Copy ``n`` items along one axis; the item size is dispatched once.

    The pointers are the first item of the run in each array; strides are in
    bytes, any sign.  NumPy's ``_strided_to_strided_copy_size{1,2,4,8,16}``.
    """
    cdef Py_ssize_t _step
    if dst_stride == itemsize and src_stride == itemsize:
        memcpy(dst, src, n * itemsize)
    elif itemsize == 8:
        copy_run_typed(dst, dst_stride, src, src_stride, n, <unaligned_u64*>NULL)
    elif itemsize == 4:
        copy_run_typed(dst, dst_stride, src, src_stride, n, <unaligned_u32*>NULL)
    elif itemsize == 2:
        copy_run_typed(dst, dst_stride, src, src_stride, n, <unaligned_u16*>NULL)
    elif itemsize == 1:
        copy_run_typed(dst, dst_stride, src, src_stride, n, <unaligned_u8*>NULL)
    elif itemsize == 16:
        for _step in range(n):
            memcpy(dst, src, 16)
            dst += dst_stride
            src += src_stride
    else:
        for _step in range(n):
            memcpy(dst, src, itemsize)
            dst += dst_stride
            src += src_stride


cdef transpose_kernel simd_kernel(Py_ssize_t itemsize) noexcept nogil:
    """The register-transpose micro-kernel for this item size on this CPU, or NULL."""
    if itemsize == 8 and HAVE_AVX2:
        return array_core_transpose8_avx2
    if itemsize == 4 and HAVE_AVX2:
        return array_core_transpose4_avx2
    if itemsize == 16 and HAVE_AVX2:
        return array_core_transpose16_avx2
    if itemsize == 2 and HAVE_SSE2:
        return array_core_transpose2_sse2
    if itemsize == 1 and HAVE_SSE2:
        return array_core_transpose1_sse2
    return NULL


cdef Py_ssize_t simd_tile_edge(Py_ssize_t itemsize) noexcept nogil:
    """Tile edge in items for the micro-kernels, the fastest measured on AMD
    EPYC for 4096 x 4096 transposes (256 to 1024 bytes of source per tile row
    won; 1-byte items like short rows, the 8x8 kernel prefers 24)."""
    if itemsize == 1:
        return 24
    if itemsize == 2:
        return 64
    if itemsize == 4:
        return 48
    if itemsize == 8:
        return 32
    return 24


cdef inline transpose_kernel tile_kernel(Py_ssize_t dst_inner, Py_ssize_t src_outer,
                                         Py_ssize_t itemsize) noexcept nogil:
    """The micro-kernel of a tiled core, or NULL for staged tiles."""
    if dst_inner == itemsize and src_outer == itemsize:
        return simd_kernel(itemsize)
    return NULL


cdef Py_ssize_t tile_edge(transpose_kernel kernel, Py_ssize_t itemsize) noexcept nogil:
    """Items per side of ``copy_tiled``'s tiles."""
    cdef Py_ssize_t tile = 8
    if TILE_EDGE_OVERRIDE > 0:
        return TILE_EDGE_OVERRIDE
    if kernel != NULL:
        return simd_tile_edge(itemsize)
    # The largest multiple of 8 items whose square tile fits in TILE_AREA.
    while (tile + 8) * (tile + 8) * itemsize <= TILE_AREA:
        tile += 8
    return tile


cdef void copy_tiled(char* dst, Py_ssize_t dst_outer, Py_ssize_t dst_inner,
                     const char* src, Py_ssize_t src_outer, Py_ssize_t src_inner,
                     Py_ssize_t n_outer, Py_ssize_t n_inner,
                     Py_ssize_t itemsize, bint source_order=False,
                     bint stream=False) noexcept nogil:
    """Cache-blocked 2-d copy: the core of a transposed relayout.

    ``dst[i * dst_outer + k * dst_inner] = src[i * src_outer + k * src_inner]``
    for ``i < n_outer``, ``k < n_inner``, where the destination is fastest
    along ``k`` and the source along ``i`` (strides in bytes, any sign; items
    smaller than TILE_MAX_ITEMSIZE).  The square is cut into tiles of about
    TILE_AREA bytes so that the lines a tile reads and writes stay in L1 and
    are used in full.  A true transpose (``dst_inner == src_outer ==
    itemsize``) of 1-, 2-, 4-, 8- or 16-byte items runs the register-transpose
    micro-kernels of ``_copy_kernels.h``; anything else is staged through a
    small contiguous buffer (rows of the source in, rows of the destination
    out), so neither side's strided lines fight over the same cache sets.
    Tiles are visited along the destination's rows, or with
    ``source_order`` along the source's (for copies that fit in cache).
    With ``stream`` (outputs far past the cache) a micro-kernel's tile is
    transposed into the stage and its rows stored around the cache, the
    tile columns shifted so that their rows start on 64-byte lines.
    NumPy has no counterpart: its ``raw_array_assign_array`` walks the
    destination order with no blocking, which is what makes
    ``ascontiguousarray(a.T)`` slow there.
    """
    cdef unsigned long long stage_words[STAGE_WORDS]
    cdef char* stage = <char*>stage_words
    cdef transpose_kernel kernel = tile_kernel(dst_inner, src_outer, itemsize)
    cdef Py_ssize_t tile = tile_edge(kernel, itemsize), row, i0, k0, k1, ni, i
    cdef Py_ssize_t first = tile  # the first tile column's width
    cdef Py_ssize_t width = tile  # the tile columns' width
    row = tile * itemsize
    # Streaming pays when each tile row covers whole lines; the rows of a
    # micro-kernel's destination are contiguous, so one shift aligns them.
    # With the source read in bands (below), destination rows of any distance
    # gain: transpose(2, 0, 1) of 256^3 float64 (rows 512 KiB apart) measured
    # 0.20 of NumPy's time against 0.39 unstreamed, on one thread.
    stream = stream and kernel != NULL and row >= 128
    if stream and TILE_EDGE_OVERRIDE == 0:
        if itemsize >= 8 and dst_outer % 64 == 0 and abs_(src_inner) >= 4096:
            # Bands of few source rows, each in pages of its own: 16 (8-byte
            # items) are streams the hardware prefetchers follow, where 64
            # were not, and each destination row still gets two whole lines
            # a tile.  4000^2 float64 transposes took 0.73 of the wide bands'
            # time, 4096^2 0.83, 8192^2 0.89, 4096^2 complex128 0.77 (two
            # threads: 0.84-0.92).  Rows not line-aligned (4097^2 took 1.6x
            # as long) and rows a page holds several of (transpose(2, 0, 1)
            # of 256^3, no gain) keep the wide bands.
            width = 128 // itemsize
        else:
            # Wider tiles, longer runs of whole lines per row.
            while 2 * width * tile * itemsize <= STAGE_BYTES:
                width *= 2
    if stream:
        row = width * itemsize
        first = ((64 - <Py_ssize_t>((<uintptr_t>dst) & 63)) & 63)
        first = width if first % itemsize else first // itemsize
        if first == 0:
            first = width
    if TILE_ORDER != TILE_ORDER_AUTO:
        source_order = TILE_ORDER == TILE_ORDER_SOURCE
    if source_order:
        stream = False
        k0 = 0
        while k0 < n_inner:
            i0 = 0
            while i0 < n_outer:
                if i0 + tile < n_outer:
                    prefetch_tile(dst, dst_outer, dst_inner, src, src_outer, src_inner,
                                  i0 + tile, k0, n_outer, n_inner, tile, tile, itemsize)
                elif k0 + tile < n_inner:
                    prefetch_tile(dst, dst_outer, dst_inner, src, src_outer, src_inner,
                                  0, k0 + tile, n_outer, n_inner, tile, tile, itemsize)
                copy_tile(dst + i0 * dst_outer + k0 * dst_inner, dst_outer, dst_inner,
                          src + i0 * src_outer + k0 * src_inner, src_outer, src_inner,
                          min(tile, n_outer - i0), min(tile, n_inner - k0),
                          itemsize, kernel, stage, row)
                i0 += tile
            k0 += tile
        return
    if stream:
        # Bands of the source's rows, each read start to end: the streamed
        # stores go around the cache in any order, and the source's rows then
        # stream too.  Measured on a first-generation EPYC (2.0-2.7x memcpy
        # for 4096^2 float64, against 3.2-4.3x visiting the destination's
        # rows first, where every tile reads a few lines of each source row).
        k0 = 0
        while k0 < n_inner:
            k1 = min(k0 + (first if k0 == 0 else width), n_inner)
            i0 = 0
            while i0 < n_outer:
                ni = min(tile, n_outer - i0)
                kernel(stage, row, src + i0 * src_outer + k0 * src_inner,
                       src_inner, ni, k1 - k0)
                for i in range(ni):
                    array_core_copy_stream(dst + (i0 + i) * dst_outer + k0 * dst_inner,
                                           stage + i * row, (k1 - k0) * itemsize)
                i0 += tile
            k0 = k1
        array_core_stream_fence()
        return
    i0 = 0
    while i0 < n_outer:
        k0 = 0
        while k0 < n_inner:
            k1 = min(k0 + width, n_inner)
            if k1 < n_inner:
                prefetch_tile(dst, dst_outer, dst_inner, src, src_outer, src_inner,
                              i0, k1, n_outer, n_inner, tile, width, itemsize)
            elif i0 + tile < n_outer:
                prefetch_tile(dst, dst_outer, dst_inner, src, src_outer, src_inner,
                              i0 + tile, 0, n_outer, n_inner, tile, width, itemsize)
            copy_tile(dst + i0 * dst_outer + k0 * dst_inner, dst_outer, dst_inner,
                      src + i0 * src_outer + k0 * src_inner, src_outer, src_inner,
                      min(tile, n_outer - i0), k1 - k0, itemsize, kernel, stage, row)
            k0 = k1
        i0 += tile


cdef inline void prefetch_tile(char* dst, Py_ssize_t dst_outer, Py_ssize_t dst_inner,
                               const char* src, Py_ssize_t src_outer,
                               Py_ssize_t src_inner, Py_ssize_t i0, Py_ssize_t k0,
                               Py_ssize_t n_outer, Py_ssize_t n_inner,
                               Py_ssize_t tile_i, Py_ssize_t tile_k,
                               Py_ssize_t itemsize) noexcept nogil:
    """Prefetch the tile of ``copy_tiled`` at (``i0``, ``k0``): its source
    runs (along i) if they are contiguous, and its destination runs (along k,
    for writing) if they are.  Without the destination's, measured, the
    source's alone do not help."""
    cdef Py_ssize_t ni = min(tile_i, n_outer - i0), nk = min(tile_k, n_inner - k0)
    if not PREFETCH_TILES:
        return
    if src_outer == itemsize:
        array_core_prefetch_rows(src + i0 * src_outer + k0 * src_inner, src_inner, nk,
                                 ni * itemsize, 0)
    if dst_inner == itemsize:
        array_core_prefetch_rows(dst + i0 * dst_outer + k0 * dst_inner, dst_outer, ni,
                                 nk * itemsize, 1)


cdef inline void copy_tile(char* dst, Py_ssize_t dst_outer, Py_ssize_t dst_inner,
                           const char* src, Py_ssize_t src_outer,
                           Py_ssize_t src_inner, Py_ssize_t ni, Py_ssize_t nk,
                           Py_ssize_t itemsize, transpose_kernel kernel,
                           char* stage, Py_ssize_t row) noexcept nogil:
    """One ``ni`` x ``nk`` tile of ``copy_tiled`` (pointers at its first item):
    the micro-kernel, or rows of the source into ``stage`` (``row`` bytes
    apart) and rows of the destination out of it."""
    cdef Py_ssize_t i, k
    if kernel != NULL:
        kernel(dst, dst_outer, src, src_inner, ni, nk)
        return
    for k in range(nk):
        copy_run(stage + k * row, itemsize, src + k * src_inner, src_outer, ni,
                 itemsize)
    for i in range(ni):
        copy_run(dst + i * dst_outer, dst_inner, stage + i * itemsize, row, nk,
                 itemsize)


cdef inline bint is_word_aligned(const char* dst, Py_ssize_t dst_row,
                                 Py_ssize_t itemsize) noexcept nogil:
    """Whether every row of ``dst`` starts aligned for the streaming stores."""
    cdef Py_ssize_t align = 4 if itemsize == 4 else 8
    return (<uintptr_t>dst) % align == 0 and dst_row % align == 0


cdef bint copy_rows_streaming(char* dst, Py_ssize_t dst_row,
                              const char* src, Py_ssize_t src_row,
                              Py_ssize_t src_step, Py_ssize_t n_rows,
                              Py_ssize_t n, Py_ssize_t itemsize) noexcept nogil:
    """Copy ``n_rows`` rows of ``n`` items, each gathered from a strided source
    row into a contiguous destination row, with non-temporal stores.

    Returns False, copying nothing, for item sizes other than 4, 8 and 16.
    The destination must be aligned to the item size (8 for 16-byte items).
    """
    cdef Py_ssize_t r
    if itemsize == 8:
        for r in range(n_rows):
            array_core_gather_stream8(dst + r * dst_row, src + r * src_row,
                                      src_step, n)
    elif itemsize == 4:
        for r in range(n_rows):
            array_core_gather_stream4(dst + r * dst_row, src + r * src_row,
                                      src_step, n)
    elif itemsize == 16:
        for r in range(n_rows):
            array_core_gather_stream16(dst + r * dst_row, src + r * src_row,
                                       src_step, n)
    else:
        return False
    array_core_stream_fence()
    return True


cdef void sort_axes_by_destination(int nd, Py_ssize_t* shape, Py_ssize_t* dst_strides,
                                   Py_ssize_t* src_strides) noexcept nogil:
    """Order axes so the destination's smallest |stride| is innermost.

    Insertion sort: nd is small.  Ties keep the source order.
    """
    cdef int i, j
    cdef Py_ssize_t s, a, b
    for i in range(1, nd):
        s = shape[i]
        a = dst_strides[i]
        b = src_strides[i]
        j = i - 1
        while j >= 0 and abs_(dst_strides[j]) < abs_(a):
            shape[j + 1] = shape[j]
            dst_strides[j + 1] = dst_strides[j]
            src_strides[j + 1] = src_strides[j]
            j -= 1
        shape[j + 1] = s
        dst_strides[j + 1] = a
        src_strides[j + 1] = b


cdef int choose_tile_axis(int nd, const Py_ssize_t* shape,
                          const Py_ssize_t* src_strides,
                          Py_ssize_t itemsize) noexcept nogil:
    """The outer axis of a transposed 2-d core, or -1 when rows are better.

    After planning, axis nd - 1 is the destination's fastest.  If the source
    jumps at least TILE_MIN_STRIDE bytes along it while another axis has a
    smaller source step, that axis (the one with the smallest) pairs with it
    into a tiled core.
    """
    cdef int k, best = -1
    cdef Py_ssize_t inner_step
    if nd < 2 or itemsize >= TILE_MAX_ITEMSIZE:
        return -1
    inner_step = abs_(src_strides[nd - 1])
    if inner_step < TILE_MIN_STRIDE:
        return -1
    for k in range(nd - 1):
        if abs_(src_strides[k]) < inner_step and (
                best < 0 or abs_(src_strides[k]) < abs_(src_strides[best])):
            best = k
    return best


cdef void copy_loops(char* dst, const Py_ssize_t* dst_strides,
                     const char* src, const Py_ssize_t* src_strides,
                     int nd, const Py_ssize_t* shape,
                     Py_ssize_t itemsize, bint tiled,
                     bint stream=False) noexcept nogil:
    """Run a planned copy: an odometer over the outer axes around its core.

    The core is the last axis (a row, ``copy_run``) or, when ``tiled``, the
    last two axes (``copy_tiled``, streaming its stores with ``stream``).
    Pointers are first elements, strides in bytes; ``nd`` >= 1 and no axis
    is empty.
    """
    cdef Py_ssize_t counter[MAX_NDIM]
    cdef char* source = <char*>src  # the odometer moves both pointers alike
    cdef int i, outer = nd - 2 if tiled else nd - 1
    for i in range(outer):
        counter[i] = 0
    while True:
        if tiled:
            copy_tiled(dst, dst_strides[nd - 2], dst_strides[nd - 1],
                       source, src_strides[nd - 2], src_strides[nd - 1],
                       shape[nd - 2], shape[nd - 1], itemsize, False, stream)
        else:
            copy_run(dst, dst_strides[nd - 1], source, src_strides[nd - 1],
                     shape[nd - 1], itemsize)
        if not odometer_next(outer, shape, counter, dst_strides, &dst,
                             src_strides, &source):
            return


cdef void copy_block(char* dst, const Py_ssize_t* dst_strides,
                     const char* src, const Py_ssize_t* src_strides,
                     int nd, const Py_ssize_t* shape,
                     Py_ssize_t itemsize) noexcept nogil:
    """Copy one small n-d block as laid out, with no planning.

    For callers that copy many blocks of one shape (the subspaces of an
    advanced index): no axis may be empty and the two must not overlap.
    """
    if nd == 0:
        memcpy(dst, src, itemsize)
    else:
        copy_loops(dst, dst_strides, src, src_strides, nd, shape, itemsize, False)


cdef enum:
    PATH_ROWS = 0          # copy_loops over rows
    PATH_STREAM = 1        # rows gathered with streaming stores
    PATH_TILED = 2         # copy_loops over tiled 2-d cores
    PATH_TILED_CORE = 3    # one 2-d core, copy_tiled
    PATH_CONTIGUOUS = 4    # one run, contiguous in both


cdef struct copy_plan:
    # A planned copy (axes ordered, merged; the path chosen for the whole),
    # and the axis its parallel chunks cut, in units of ``quantum`` items.
    char* dst
    const char* src
    int nd
    int path
    bint source_order
    bint stream            # contiguous and tiled paths: store around the cache
    int split_axis
    Py_ssize_t quantum
    Py_ssize_t itemsize
    Py_ssize_t shape[MAX_NDIM]
    Py_ssize_t dst_strides[MAX_NDIM]
    Py_ssize_t src_strides[MAX_NDIM]


cdef void run_box(copy_plan* plan, int axis, Py_ssize_t lo,
                  Py_ssize_t hi) noexcept nogil:
    """Copy the part of ``plan`` whose index along ``axis`` is in [lo, hi)."""
    cdef Py_ssize_t sh[MAX_NDIM]
    cdef const Py_ssize_t* ds = plan.dst_strides
    cdef const Py_ssize_t* ss = plan.src_strides
    cdef int m = plan.nd
    cdef char* dst = plan.dst + lo * ds[axis]
    cdef const char* src = plan.src + lo * ss[axis]
    memcpy(sh, plan.shape, m * sizeof(Py_ssize_t))
    sh[axis] = hi - lo
    if plan.path == PATH_CONTIGUOUS:
        if plan.stream:
            array_core_copy_stream(dst, src, sh[0] * plan.itemsize)
            array_core_stream_fence()
        else:
            memcpy(dst, src, sh[0] * plan.itemsize)
    elif plan.path == PATH_STREAM:
        copy_rows_streaming(dst, ds[0], src, ss[0], ss[m - 1],
                            sh[0] if m == 2 else 1, sh[m - 1], plan.itemsize)
    elif plan.path == PATH_TILED_CORE:
        copy_tiled(dst, ds[0], ds[1], src, ss[0], ss[1], sh[0], sh[1],
                   plan.itemsize, plan.source_order, plan.stream)
    else:
        copy_loops(dst, ds, src, ss, m, sh, plan.itemsize, plan.path == PATH_TILED,
                   plan.stream)


cdef int run_chunk(void* ctx, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    """parallel_range's task: units [start, stop) of the plan's split axis."""
    cdef copy_plan* plan = <copy_plan*>ctx  # read only: chunks share it
    cdef Py_ssize_t n = plan.shape[plan.split_axis]
    run_box(plan, plan.split_axis, start * plan.quantum,
            min(stop * plan.quantum, n))
    return 0


cdef bint writes_are_disjoint(int nd, const Py_ssize_t* shape,
                              const Py_ssize_t* strides,
                              Py_ssize_t itemsize) noexcept nogil:
    """Whether no two items of a layout share a byte, seen from strides
    sorted by decreasing magnitude: each axis steps past all of the axes
    inside it (sufficient, and true of every array that was not made by
    stride tricks).  Only such destinations are cut among threads."""
    cdef Py_ssize_t extent = itemsize
    cdef int k
    for k in range(nd - 1, -1, -1):
        if abs_(strides[k]) < extent:
            return False
        extent += abs_(strides[k]) * (shape[k] - 1)
    return True


# A tiled (transposing) copy's byte counts this many times a contiguous one's
# toward the parallel threshold: into pre-touched outputs two threads beat
# one from 512 KiB transposed (0.75-0.83 of one thread's time) but only from
# 1-2 MiB contiguous (0.85-1.02 at 2 MiB, 0.71-0.75 at 4 MiB; ParallelThreshold
# in benchmarks/bench_threads.py).
cdef Py_ssize_t TILED_COPY_WEIGHT = 4


cdef void run_plan(copy_plan* plan) noexcept nogil:
    """Run a plan, on several threads when it is large enough.

    The chunks cut one axis into disjoint boxes of whole tiles (or about
    4 KiB of destination); each runs the path chosen for the whole copy, so
    the bytes written do not depend on the thread count.
    """
    cdef int m = plan.nd, k, axis = -1, threads
    cdef Py_ssize_t q, units, best = 0
    cdef Py_ssize_t weight = (TILED_COPY_WEIGHT if plan.path == PATH_TILED_CORE
                              or plan.path == PATH_TILED else 1)
    threads = threads_for(shape_size(m, plan.shape) * plan.itemsize * weight)
    if threads < 2 or not writes_are_disjoint(m, plan.shape, plan.dst_strides,
                                              plan.itemsize):
        run_box(plan, 0, 0, plan.shape[0])
        return
    # The outermost axis with two units per thread, else the one with most.
    for k in range(m):
        if (plan.path == PATH_TILED_CORE
                or (plan.path == PATH_TILED and k >= m - 2)):
            q = tile_edge(tile_kernel(plan.dst_strides[m - 1],
                                      plan.src_strides[m - 2], plan.itemsize),
                          plan.itemsize)
        else:
            q = max(1, 4096 // abs_(plan.dst_strides[k]))
        units = (plan.shape[k] + q - 1) // q
        if units > best:
            axis, best, plan.quantum = k, units, q
            if units >= 2 * threads:
                break
    plan.split_axis = axis
    parallel_range(run_chunk, plan, best, threads)


cdef void copy_planned(char* dst, const Py_ssize_t* dst_strides,
                       const char* src, const Py_ssize_t* src_strides,
                       int nd, const Py_ssize_t* shape,
                       Py_ssize_t itemsize) noexcept nogil:
    """Plan a non-overlapping, non-empty copy and run the path it picks."""
    cdef copy_plan plan
    cdef Py_ssize_t* sh = plan.shape
    cdef Py_ssize_t* ds = plan.dst_strides
    cdef Py_ssize_t* ss = plan.src_strides
    cdef Py_ssize_t s, a, b
    cdef int k, m, j
    for k in range(nd):
        sh[k] = shape[k]
        ds[k] = dst_strides[k]
        ss[k] = src_strides[k]
    sort_axes_by_destination(nd, sh, ds, ss)
    m = coalesce_axes(nd, sh, ds, ss)
    if m == 0:
        memcpy(dst, src, itemsize)
        return
    plan.dst = dst
    plan.src = src
    plan.nd = m
    plan.itemsize = itemsize
    plan.source_order = False
    plan.stream = False
    plan.path = PATH_ROWS
    if m == 1 and ds[0] == itemsize and ss[0] == itemsize:
        plan.path = PATH_CONTIGUOUS
        plan.stream = HAVE_SSE2 and 0 < CONTIGUOUS_STREAM_MIN_BYTES <= sh[0] * itemsize
        run_plan(&plan)
        return
    j = choose_tile_axis(m, sh, ss, itemsize)
    if j < 0:
        # Rows gathered into a big contiguous output stream past the cache.
        if (m <= 2 and ds[m - 1] == itemsize and ss[m - 1] != itemsize
                and (itemsize == 4 or itemsize == 8 or itemsize == 16)
                and STREAM_MIN_BYTES > 0 and is_word_aligned(dst, ds[0], itemsize)
                and shape_size(m, sh) * itemsize >= STREAM_MIN_BYTES):
            plan.path = PATH_STREAM
        run_plan(&plan)
        return
    # Move the tile's outer axis next to the innermost; the rest keep order.
    s, a, b = sh[j], ds[j], ss[j]
    for k in range(j, m - 2):
        sh[k] = sh[k + 1]
        ds[k] = ds[k + 1]
        ss[k] = ss[k + 1]
    sh[m - 2], ds[m - 2], ss[m - 2] = s, a, b
    plan.path = PATH_TILED
    plan.stream = (STREAM_MIN_BYTES > 0
                   and shape_size(m, sh) * itemsize >= STREAM_MIN_BYTES)
    if m == 2:
        plan.path = PATH_TILED_CORE
        # A lone 2-d core that fits in cache tiles along the source's rows.
        plan.source_order = sh[0] * sh[1] * itemsize <= SOURCE_ORDER_MAX_BYTES
    run_plan(&plan)


cdef void copy_contiguous(char* dst, const char* src, Py_ssize_t nbytes) noexcept nogil:
    """Copy ``nbytes`` between two runs that do not overlap."""
    if HAVE_SSE2 and 0 < CONTIGUOUS_STREAM_MIN_BYTES <= nbytes:
        array_core_copy_stream(dst, src, nbytes)
        array_core_stream_fence()
    else:
        memcpy(dst, src, nbytes)


cdef int copy_strided(char* dst, const Py_ssize_t* dst_strides,
                      const char* src, const Py_ssize_t* src_strides,
                      int nd, const Py_ssize_t* shape,
                      Py_ssize_t itemsize) noexcept nogil:
    """Copy the (shape, src_strides) array at ``src`` into ``dst``.

    Pointers are the first element of each array; strides are in bytes and may
    be negative or zero in the source (zero in the destination only when the
    source is constant along that axis, as in a broadcast assignment).  Safe
    when the two overlap.  Returns 0, or -1 when the staging buffer could not
    be allocated (no exception is set: the caller raises MemoryError).  This is
    NumPy's ``raw_array_assign_array``; the plan is made by ``copy_planned``.
    """
    cdef Py_ssize_t dlo, dhi, slo, shi, n
    cdef Py_ssize_t tmp_strides[MAX_NDIM]
    cdef char* staging
    cdef int k
    if shape_size(nd, shape) == 0:
        return 0
    byte_extent(nd, shape, dst_strides, itemsize, &dlo, &dhi)
    byte_extent(nd, shape, src_strides, itemsize, &slo, &shi)
    if (<uintptr_t>dst + dlo < <uintptr_t>src + shi
            and <uintptr_t>src + slo < <uintptr_t>dst + dhi):
        if dst == src:
            for k in range(nd):
                if dst_strides[k] != src_strides[k] and shape[k] > 1:
                    break
            else:
                return 0  # the same elements in the same places
        # Overlap: stage the source contiguously, then copy from the stage.
        n = shape_size(nd, shape)
        staging = <char*>malloc(n * itemsize)
        if staging == NULL:
            return -1
        for k in range(nd - 1, -1, -1):
            tmp_strides[k] = (itemsize if k == nd - 1
                              else tmp_strides[k + 1] * shape[k + 1])
        copy_planned(staging, tmp_strides, src, src_strides, nd, shape, itemsize)
        copy_planned(dst, dst_strides, staging, tmp_strides, nd, shape, itemsize)
        free(staging)
        return 0
    copy_planned(dst, dst_strides, src, src_strides, nd, shape, itemsize)
    return 0


_TILE_ORDER_NAMES = ("auto", "source", "destination")


def _configure(simd=None, tile_edge=None, tile_min_stride=None, tile_order=None,
               stream_min_bytes=None, contiguous_stream_min_bytes=None,
               prefetch=None):
    """Test hook: set the kernel choices, return the previous ones as a dict.

    ``simd=False`` forces the portable staged tiles, a small ``tile_edge``
    (items per tile side, 1 to 16; 0 restores the measured sizes) many ragged
    tiles, a small ``tile_min_stride`` tiles on small arrays, and
    ``tile_order`` ('source' or 'destination'; 'auto' picks by size) fixes
    the order tiles are visited in, a small ``stream_min_bytes`` streams
    small row gathers and a small ``contiguous_stream_min_bytes`` small
    contiguous copies (0: never), so the tests reach every path on any
    machine; ``prefetch=False`` stops prefetching tiles.  Not thread-safe.
    """
    global TILE_EDGE_OVERRIDE, TILE_MIN_STRIDE, HAVE_AVX2, HAVE_SSE2, TILE_ORDER
    global STREAM_MIN_BYTES, CONTIGUOUS_STREAM_MIN_BYTES, PREFETCH_TILES
    old = {"simd": bool(HAVE_AVX2 or HAVE_SSE2), "tile_edge": TILE_EDGE_OVERRIDE,
           "tile_min_stride": TILE_MIN_STRIDE, "prefetch": bool(PREFETCH_TILES),
           "tile_order": _TILE_ORDER_NAMES[TILE_ORDER],
           "stream_min_bytes": STREAM_MIN_BYTES,
           "contiguous_stream_min_bytes": CONTIGUOUS_STREAM_MIN_BYTES}
    if stream_min_bytes is not None:
        STREAM_MIN_BYTES = max(0, stream_min_bytes)
    if contiguous_stream_min_bytes is not None:
        CONTIGUOUS_STREAM_MIN_BYTES = max(0, contiguous_stream_min_bytes)
    if tile_order is not None:
        if tile_order not in _TILE_ORDER_NAMES:
            raise ValueError("tile_order must be 'auto', 'source' or 'destination'")
        TILE_ORDER = _TILE_ORDER_NAMES.index(tile_order)
    if simd is not None:
        HAVE_AVX2 = bool(simd) and array_core_cpu_has_avx2()
        HAVE_SSE2 = bool(simd) and ARRAY_CORE_HAVE_SIMD_KERNELS
    if prefetch is not None:
        PREFETCH_TILES = bool(prefetch)
    if tile_edge is not None:
        # 16 * 16 items of up to TILE_MAX_ITEMSIZE bytes fit the stage.
        if not 0 <= tile_edge <= 16:
            raise ValueError("tile_edge must be in [0, 16]")
        TILE_EDGE_OVERRIDE = tile_edge
    if tile_min_stride is not None:
        TILE_MIN_STRIDE = max(1, tile_min_stride)
    return old


def copy_into(dst, src):
    """Copy ``src`` into ``dst`` (NumPy arrays of one shape and item size).

    Test entry point: both arrays are used through their buffer pointers and
    byte strides; ``dst`` must be writeable.
    """
    cdef Py_ssize_t shape[MAX_NDIM]
    cdef Py_ssize_t dst_strides[MAX_NDIM]
    cdef Py_ssize_t src_strides[MAX_NDIM]
    cdef int nd, k, status
    cdef uintptr_t dptr, sptr
    cdef Py_ssize_t itemsize
    dst = np.asarray(dst)
    src = np.asarray(src)
    if dst.shape != src.shape:
        raise ValueError(f"shapes differ: {dst.shape} and {src.shape}")
    if dst.itemsize != src.itemsize:
        raise ValueError("item sizes differ")
    if not dst.flags.writeable:
        raise ValueError("assignment destination is read-only")
    nd = dst.ndim
    for k in range(nd):
        shape[k] = dst.shape[k]
        dst_strides[k] = dst.strides[k]
        src_strides[k] = src.strides[k]
    dptr = dst.__array_interface__["data"][0]
    sptr = src.__array_interface__["data"][0]
    itemsize = dst.itemsize
    with nogil:
        status = copy_strided(<char*>dptr, dst_strides, <const char*>sptr,
                              src_strides, nd, shape, itemsize)
    if status != 0:
        raise MemoryError("could not allocate the staging buffer of a copy")
