"""The last-level cache size the copy thresholds scale with."""

import pytest

from array_core import _copy, _machine


@pytest.mark.parametrize("text, expected", [
    ("8192K", 8 << 20), ("32M\n", 32 << 20), ("1G", 1 << 30), ("512", 512),
    ("", 0), ("K", 0), ("12.5M", 0), ("big", 0),
])
def test_parse_cache_size(text, expected):
    assert _machine.parse_cache_size(text) == expected


def make_cache_dir(root, levels):
    for index, (level, size) in enumerate(levels):
        entry = root / f"index{index}"
        entry.mkdir()
        (entry / "level").write_text(f"{level}\n")
        (entry / "size").write_text(f"{size}\n")
    return str(root)


def test_the_highest_level_is_the_last_level_cache(tmp_path):
    levels = [(1, "32K"), (1, "64K"), (3, "8192K"), (2, "512K")]
    cpu_dir = make_cache_dir(tmp_path, levels)
    assert _machine.last_level_cache_bytes(cpu_dir) == 8 << 20


def test_a_machine_without_a_third_level(tmp_path):
    cpu_dir = make_cache_dir(tmp_path, [(1, "32K"), (2, "2048K")])
    assert _machine.last_level_cache_bytes(cpu_dir) == 2 << 20


def test_unreadable_sysfs_falls_back(tmp_path):
    default = _machine.DEFAULT_LAST_LEVEL_CACHE_BYTES
    assert _machine.last_level_cache_bytes(str(tmp_path / "missing")) == default
    assert _machine.last_level_cache_bytes(str(tmp_path)) == default
    broken = make_cache_dir(tmp_path, [(3, "junk")])
    (tmp_path / "index1").mkdir()  # no files at all
    (tmp_path / "other").mkdir()
    assert _machine.last_level_cache_bytes(broken) == default


def test_thresholds_scale_with_the_cache():
    old = _copy._configure()
    try:
        _copy.set_cache_thresholds(32 << 20)
        scaled = _copy._configure()
        assert scaled["stream_min_bytes"] == 16 << 20
        assert scaled["contiguous_stream_min_bytes"] == 12 << 20
        _copy.set_cache_thresholds(8 << 20)
        assert _copy._configure()["stream_min_bytes"] == 4 << 20
        with pytest.raises(ValueError, match="positive"):
            _copy.set_cache_thresholds(0)
    finally:
        _copy.set_cache_thresholds(_machine.last_level_cache_bytes())
        _copy._configure(**old)
    assert _copy._configure() == old
