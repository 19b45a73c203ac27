"""Differential tests of the strided copy kernel against ``np.copyto``.

Every path of ``copy_strided`` is reached: one memcpy, rows of memcpy, the
tiled transpose core (SIMD micro-kernels and the portable staged tiles, with
ragged edges), the generic n-d loop for every item size, and the staged copy
of overlapping operands.  Values are compared byte for byte.
"""
import itertools
import os
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib.stride_tricks import as_strided

from array_core import _copy

ITEMSIZES = [1, 2, 3, 4, 8, 12, 16, 24, 32]
ODD_SIZES = [1, 7, 31, 33, 65, 257]

# Kernel configurations: the default, many small ragged tiles, and the
# portable staged tiles forced on small arrays (no SIMD); small arrays tile
# along the source's rows, so the destination order is forced too, and they
# are too small to stream, so streaming is forced too; tiles are prefetched
# except in one configuration.
CONFIGS = {
    "default": {},
    "small_tiles": {"tile_edge": 5, "tile_min_stride": 1},
    "medium_tiles": {"tile_edge": 16, "tile_min_stride": 1},
    "destination_order": {"tile_order": "destination", "tile_min_stride": 1},
    "destination_small_tiles": {"tile_order": "destination", "tile_edge": 5,
                                "tile_min_stride": 1},
    "streaming": {"stream_min_bytes": 1, "contiguous_stream_min_bytes": 1},
    "portable": {"simd": False},
    "portable_small_tiles": {"simd": False, "tile_edge": 3, "tile_min_stride": 1},
    "portable_destination": {"simd": False, "tile_edge": 3, "tile_min_stride": 1,
                             "tile_order": "destination"},
    "no_prefetch": {"prefetch": False, "tile_edge": 5, "tile_min_stride": 1},
}


@pytest.fixture(params=sorted(CONFIGS))
def config(request):
    old = _copy._configure(**CONFIGS[request.param])
    yield request.param
    _copy._configure(**old)


def dtype_of(itemsize):
    """An unstructured dtype of ``itemsize`` bytes (native types when they exist)."""
    native = {1: np.uint8, 2: np.int16, 4: np.float32, 8: np.float64, 16: np.complex128}
    return np.dtype(native.get(itemsize, f"V{itemsize}"))


def random_array(shape, itemsize, seed=0):
    """A C-contiguous array of random bytes (its padding bytes matter too)."""
    dtype = dtype_of(itemsize)
    nbytes = int(np.prod(shape, dtype=np.int64)) * itemsize
    raw = np.random.default_rng(seed).integers(0, 256, nbytes, dtype=np.uint8)
    return raw.view(dtype).reshape(shape)


def as_bytes(a):
    """The bytes of ``a`` in C order, one row of ``itemsize`` per element."""
    return np.ascontiguousarray(a).view(np.uint8).reshape(a.shape + (a.itemsize,))


def check_copy(dst, src):
    """copy_into(dst, src) must leave dst exactly as np.copyto would."""
    expected = dst.copy()
    np.copyto(expected, src)
    _copy.copy_into(dst, src)
    np.testing.assert_array_equal(as_bytes(dst), as_bytes(expected))


@pytest.mark.parametrize("itemsize", ITEMSIZES)
@pytest.mark.parametrize("rows, cols", [(m, n) for m in ODD_SIZES for n in (1, 33, 65)]
                         + [(64, 64), (100, 3), (3, 100), (130, 70)])
def test_transposed_copy(config, itemsize, rows, cols):
    a = random_array((rows, cols), itemsize)
    dst = np.zeros((cols, rows), dtype_of(itemsize))
    check_copy(dst, a.T)
    # The same pattern read into a Fortran-ordered destination.
    f_dst = np.zeros((rows, cols), dtype_of(itemsize), order="F")
    check_copy(f_dst, a)


@pytest.mark.parametrize("itemsize", ITEMSIZES)
@pytest.mark.parametrize("key", [np.s_[::-1, :], np.s_[:, ::-1], np.s_[::-1, ::-2],
                                 np.s_[::-3, 1::2], np.s_[5:, ::-1]])
def test_negative_and_strided_sources(config, itemsize, key):
    a = random_array((67, 41), itemsize, seed=1)
    src = a[key]
    check_copy(np.zeros(src.shape, a.dtype), src)
    check_copy(np.zeros(src.T.shape, a.dtype), src.T)
    check_copy(np.zeros(src.shape, a.dtype, order="F"), src)


@pytest.mark.parametrize("itemsize", ITEMSIZES)
def test_strided_and_reversed_destinations(config, itemsize):
    a = random_array((40, 70), itemsize, seed=2)
    big = np.zeros((140, 90), dtype_of(itemsize))
    check_copy(big[::2, 5:45], a.T)
    check_copy(big[::-2, -1:-41:-1], a.T)
    check_copy(big[1:71, 1:41].T, a)


@pytest.mark.parametrize("itemsize", ITEMSIZES)
def test_zero_source_strides(config, itemsize):
    row = random_array((70,), itemsize, seed=3)
    col = random_array((70, 1), itemsize, seed=4)
    scalar = random_array((), itemsize, seed=5)
    for src in (np.broadcast_to(row, (33, 70)), np.broadcast_to(col, (70, 65)),
                np.broadcast_to(scalar, (9, 7)), np.broadcast_to(row, (33, 70)).T,
                np.broadcast_to(col, (70, 65)).T, np.broadcast_to(row, (3, 4, 70))):
        check_copy(np.zeros(src.shape, row.dtype), src)


@pytest.mark.parametrize("itemsize", ITEMSIZES)
@pytest.mark.parametrize("shape, axes", [
    ((9, 17, 33), (2, 0, 1)), ((9, 17, 33), (1, 2, 0)), ((9, 17, 33), (0, 2, 1)),
    ((9, 17, 33), (2, 1, 0)), ((5, 1, 66, 3), (2, 3, 0, 1)),
    ((4, 5, 6, 7), (3, 1, 2, 0)),
    ((2, 3, 4, 5, 6), (4, 0, 3, 1, 2)),
])
def test_nd_relayouts(config, itemsize, shape, axes):
    a = random_array(shape, itemsize, seed=6)
    src = a.transpose(axes)
    check_copy(np.zeros(src.shape, a.dtype), src)
    check_copy(np.zeros(src.shape, a.dtype, order="F"), src)
    check_copy(np.zeros(shape, a.dtype).transpose(axes),
               a.transpose(axes)[..., ::-1][..., ::-1])


@pytest.mark.parametrize("itemsize", ITEMSIZES)
def test_contiguous_and_row_copies(itemsize):
    a = random_array((33, 65), itemsize, seed=7)
    check_copy(np.zeros_like(a), a)                      # one memcpy
    check_copy(np.zeros((33, 30), a.dtype), a[:, 3:33])  # rows of memcpy
    check_copy(np.zeros((11, 65), a.dtype), a[::3])
    check_copy(np.zeros((), a.dtype), a[3, 4])           # 0-d
    check_copy(np.zeros((0, 65), a.dtype), a[:0])        # empty


@pytest.mark.parametrize("itemsize", ITEMSIZES)
def test_overlapping_operands(config, itemsize):
    a = random_array((257,), itemsize, seed=8)
    check_copy(a[1:], a[:-1])
    check_copy(a[:-1], a[1:])
    check_copy(a[::-1], a)
    b = random_array((65, 65), itemsize, seed=9)
    check_copy(b, b.T)                       # transpose in place
    check_copy(b[1:, :], b[:-1, :])
    check_copy(b[:, 1:], b[:, :-1])
    check_copy(b[1:33, 2:34], b[:32, :32].T)  # shifted transposed overlap
    check_copy(b, b)                          # same elements in the same places
    c = random_array((8, 9, 10), itemsize, seed=10)
    check_copy(c[:, :, ::-1], c)


@pytest.mark.parametrize("itemsize", [1, 2, 3, 4, 8, 16])
def test_small_exhaustive(itemsize):
    """Every shape up to 9x9, read plain, transposed and reversed, all configs."""
    old = _copy._configure()
    try:
        for cfg in CONFIGS.values():
            _copy._configure(**{**old, **cfg})
            for m, n in itertools.product(range(10), repeat=2):
                a = random_array((m, n), itemsize, seed=m * 10 + n)
                for src in (a, a.T, a[::-1, ::-1], a.T[::-1], a[:, ::-2].T):
                    check_copy(np.zeros(src.shape, a.dtype), src)
    finally:
        _copy._configure(**old)


# Six axes, one of length 1, steps of either sign, permuted: the odometer of
# the n-d loop (and of the tiled core, in the tiling configs) carries through
# every outer axis, into a plain and into a reversed, strided destination.
@pytest.mark.parametrize("itemsize", [1, 8, 12])
@pytest.mark.parametrize("axes", [(0, 1, 2, 3, 4, 5), (5, 3, 1, 0, 2, 4),
                                  (2, 0, 5, 1, 4, 3)])
def test_many_outer_axes(config, itemsize, axes):
    base = random_array((3, 1, 4, 2, 5, 3), itemsize)
    src = base[::-1, :, ::2, :, ::-2, :].transpose(axes)
    check_copy(np.zeros(src.shape, dtype_of(itemsize)), src)
    wide = np.zeros(tuple(2 * n for n in src.shape), dtype_of(itemsize))
    check_copy(wide[(slice(None, None, -2),) * src.ndim], src)


@st.composite
def strided_pairs(draw):
    """A source view (any permutation, steps of either sign, broadcast axes)
    and a destination view of the same shape, over separate buffers."""
    itemsize = draw(st.sampled_from(ITEMSIZES))
    nd = draw(st.integers(0, 4))
    shape = tuple(draw(st.lists(st.integers(0, 12), min_size=nd, max_size=nd)))

    def view(seed):
        # Memory order `perm`, steps of either sign, then seen with `shape`.
        perm = draw(st.permutations(range(nd)))
        steps = [draw(st.sampled_from([1, 2, -1, -3])) for _ in range(nd)]
        full = [max(1, s * abs(k)) for s, k in zip(shape, steps, strict=True)]
        base = random_array(tuple(full[p] for p in perm), itemsize, seed=seed)
        v = base[tuple(slice(None, None, steps[p]) for p in perm) + (Ellipsis,)]
        v = v[tuple(slice(0, shape[p]) for p in perm) + (Ellipsis,)]
        return v.transpose(tuple(int(k) for k in np.argsort(perm)))

    src = view(1)
    if nd and draw(st.booleans()):
        axis = draw(st.integers(0, nd - 1))
        src = as_strided(src, strides=tuple(0 if k == axis else s
                                            for k, s in enumerate(src.strides)))
    dst = view(2)
    return dst, src


@given(strided_pairs(), st.sampled_from(sorted(CONFIGS)))
def test_hypothesis_any_layout(pair, config_name):
    dst, src = pair
    old = _copy._configure(**CONFIGS[config_name])
    try:
        check_copy(dst, src)
    finally:
        _copy._configure(**old)


@given(st.integers(1, 40), st.integers(1, 40), st.integers(-5, 5), st.integers(-5, 5),
       st.sampled_from([1, 2, 4, 8, 12, 16]), st.booleans())
def test_hypothesis_overlap(rows, cols, shift_r, shift_c, itemsize, transpose):
    """Source and destination windows of one buffer, shifted and maybe transposed."""
    n = max(rows, cols)
    base = random_array((n + 10, n + 10), itemsize, seed=rows * 41 + cols)
    dst = base[5:5 + rows, 5:5 + cols]
    if transpose:
        src = base[5 + shift_r:5 + shift_r + cols, 5 + shift_c:5 + shift_c + rows].T
    else:
        src = base[5 + shift_r:5 + shift_r + rows, 5 + shift_c:5 + shift_c + cols]
    check_copy(dst, src)


def test_copy_into_validates():
    a = np.zeros((3, 4))
    with pytest.raises(ValueError, match="shapes differ"):
        _copy.copy_into(a, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="item sizes differ"):
        _copy.copy_into(a, np.zeros((3, 4), np.float32))
    a.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        _copy.copy_into(a, np.zeros((3, 4)))


def test_configure_restores_and_validates():
    old = _copy._configure()
    assert _copy._configure(**old) == old
    with pytest.raises(ValueError, match="tile_edge"):
        _copy._configure(tile_edge=17)
    with pytest.raises(ValueError, match="tile_order"):
        _copy._configure(tile_order="rows")
    assert _copy._configure() == old


@pytest.mark.parametrize("itemsize", [1, 8, 16])
def test_large_cores_in_both_tile_orders(itemsize):
    """Cores on both sides of the size that switches the tile order (about
    12 MiB), ragged in both directions, in the order chosen by size."""
    for rows, cols in [(999, 1001), (1100 * 8 // itemsize, 1501)]:
        a = random_array((rows, cols), itemsize, seed=rows)
        dst = np.empty((cols, rows), a.dtype)
        check_copy(dst, a.T)


@pytest.mark.parametrize("nbytes, modulus, offset", [
    (100, 64, 0), ((1 << 20) - 1, 64, 0), (1 << 20, 4096, 16), (5 << 20, 4096, 16),
    ((32 << 20) - 1, 4096, 16), (32 << 20, 4096, 16)])
def test_buffer_placement(nbytes, modulus, offset):
    """Small blocks are 64-byte aligned; large ones sit 16 bytes into a page,
    as NumPy's large arrays do."""
    from array_core import _buffer
    buf = _buffer.allocate(nbytes)
    assert buf.address % modulus == offset
    assert buf.nbytes == nbytes


@pytest.mark.skipif(os.environ.get("ARRAY_CORE_SANITIZE", "0") not in ("", "0")
                    or not sys.platform.startswith("linux"),
                    reason="glibc's malloc maps such blocks afresh; ASan's does not")
def test_freshly_mapped_blocks_start_on_a_huge_page():
    """A block glibc maps afresh (256 MiB: more than its heap ever keeps free)
    starts 16 bytes into a 2 MiB huge page."""
    from array_core import _buffer
    buf = _buffer.allocate(256 << 20)
    assert buf.address % (1 << 21) == 16


@pytest.mark.parametrize("itemsize", ITEMSIZES)
@pytest.mark.parametrize("key", [
    np.s_[::3], np.s_[::-2], np.s_[5::7],                      # 1-d gathers
    np.s_[:, ::2], np.s_[::2, ::3], np.s_[::-3, 1::-1], np.s_[1:, ::5]])
@pytest.mark.parametrize("dst_offset", [0, 4, 1])
def test_streaming_gathers(itemsize, key, dst_offset):
    """Strided rows into a contiguous output with non-temporal stores (forced on
    small arrays), including destinations not aligned for them."""
    old = _copy._configure(stream_min_bytes=1)
    try:
        shape = (67,) if key in (np.s_[::3], np.s_[::-2], np.s_[5::7]) else (13, 61)
        src = random_array(shape, itemsize)[key]
        raw = np.zeros(src.size * itemsize + dst_offset, np.uint8)
        dst = raw[dst_offset:].view(dtype_of(itemsize)).reshape(src.shape)
        check_copy(dst, src)
    finally:
        _copy._configure(**old)


@pytest.mark.parametrize("itemsize", [1, 2, 4, 8, 16])
@pytest.mark.parametrize("dst_offset", [0, 1, 8, 16, 24, 40, 63])
@pytest.mark.parametrize("tile_edge", [0, 5])
def test_streamed_tiles_at_every_line_offset(itemsize, dst_offset, tile_edge):
    # Streamed tiles shift their first column so rows start on a cache
    # line: every offset of the destination within a line, ragged edges,
    # with the measured tiles and small ones.
    old = _copy._configure(stream_min_bytes=1, tile_edge=tile_edge)
    try:
        a = random_array((77, 203), itemsize)
        raw = np.zeros(203 * 77 * itemsize + 64 + dst_offset, np.uint8)
        start = (-raw.ctypes.data) % 64 + dst_offset
        dst = raw[start:start + a.nbytes].view(dtype_of(itemsize)).reshape(203, 77)
        check_copy(dst, a.T)
        check_copy(dst[:, ::-1], a.T)
    finally:
        _copy._configure(**old)


@pytest.mark.parametrize("itemsize", [8, 16])
@pytest.mark.parametrize("rows", [72, 71])  # line-aligned destination rows, or not
@pytest.mark.parametrize("dst_offset", [0, 8, 40])
def test_streamed_narrow_bands(itemsize, rows, dst_offset):
    # Source rows a page or more apart into line-aligned destination rows
    # stream in bands of 128 bytes per destination row: ragged bands (72 is
    # four and a half of 16 items), ragged tiles (520 = 16 * 32 + 8), every
    # kind of first column, reversed and sliced sources.
    old = _copy._configure(stream_min_bytes=1)
    try:
        a = random_array((rows, 520), itemsize)
        assert a.strides[0] >= 4096
        raw = np.zeros(a.nbytes + 64 + dst_offset, np.uint8)
        start = (-raw.ctypes.data) % 64 + dst_offset
        dst = raw[start:start + a.nbytes].view(dtype_of(itemsize)).reshape(520, rows)
        check_copy(dst, a.T)
        check_copy(dst, a[::-1].T)
        check_copy(dst[:, :rows - 7], a[7:].T)
    finally:
        _copy._configure(**old)


# 4 * 4096 bytes and more go through the four-block loop first.
@pytest.mark.parametrize("nbytes", [1, 15, 16, 17, 63, 64, 65, 127, 200, 4099,
                                    16383, 16384, 16447, 16448, 49151, 65600])
@pytest.mark.parametrize("src_offset", [0, 1, 8, 15, 40])
@pytest.mark.parametrize("dst_offset", [0, 1, 8, 15, 48, 63])
def test_streaming_contiguous_copies(nbytes, src_offset, dst_offset):
    """A contiguous copy with non-temporal stores (forced on small runs): the
    head up to a 64-byte line, the four-block and line bodies and the tail,
    and not a byte outside."""
    old = _copy._configure(contiguous_stream_min_bytes=1)
    try:
        src = random_array((nbytes + src_offset,), 1)[src_offset:]
        raw = random_array((nbytes + dst_offset + 8,), 1, seed=1)
        dst = raw[dst_offset:dst_offset + nbytes]
        expected = raw.copy()
        expected[dst_offset:dst_offset + nbytes] = src
        _copy.copy_into(dst, src)
        np.testing.assert_array_equal(raw, expected)
    finally:
        _copy._configure(**old)
