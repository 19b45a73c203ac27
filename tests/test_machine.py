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
        assert scaled["contiguous_stream_min_bytes"] == 24 << 20
        _copy.set_cache_thresholds(8 << 20)
        assert _copy._configure()["stream_min_bytes"] == 4 << 20
        with pytest.raises(ValueError, match="positive"):
            _copy.set_cache_thresholds(0)
    finally:
        _copy.set_cache_thresholds(_copy.MACHINE_CACHE_BYTES)
        _copy._configure(**old)
    assert _copy._configure() == old


HOST_SLICE = [(1, "48K"), (2, "2048K"), (3, "107520K")]  # 105 MiB, 2 vCPUs


def never_probed(nbytes):
    raise AssertionError("the cache was probed")


def test_a_cache_size_set_in_the_environment_wins(tmp_path):
    cpu_dir = make_cache_dir(tmp_path, HOST_SLICE)
    for setting, expected in [("8M", 8 << 20), (" 3145728 ", 3 << 20)]:
        environ = {"ARRAY_CORE_CACHE_BYTES": setting}
        assert _machine.effective_cache_bytes(
            cpu_dir, environ, never_probed, cpus=2) == expected


def test_a_bad_cache_size_in_the_environment_warns(tmp_path):
    cpu_dir = make_cache_dir(tmp_path, [(2, "1M"), (3, "8M")])
    for setting in ["junk", "0", "-5M", "1.5M"]:
        with pytest.warns(RuntimeWarning, match="ARRAY_CORE_CACHE_BYTES"):
            size = _machine.effective_cache_bytes(
                cpu_dir, {"ARRAY_CORE_CACHE_BYTES": setting}, never_probed, cpus=4)
        assert size == 8 << 20


def test_a_cache_its_cpus_could_claim_is_not_probed(tmp_path):
    cpu_dir = make_cache_dir(tmp_path, [(2, "1M"), (3, "32M")])
    assert _machine.effective_cache_bytes(cpu_dir, {}, never_probed, cpus=8) == 32 << 20
    (tmp_path / "l2").mkdir()
    no_third = make_cache_dir(tmp_path / "l2", [(1, "32K"), (2, "2M")])
    assert _machine.effective_cache_bytes(no_third, {}, never_probed, cpus=1) == 2 << 20
    missing = str(tmp_path / "missing")
    assert _machine.effective_cache_bytes(missing, {}, never_probed, cpus=1) == \
        _machine.DEFAULT_LAST_LEVEL_CACHE_BYTES


@pytest.mark.parametrize("stream_over_plain, expected", [
    (0.6, 2 << 20), (0.999, 2 << 20), (1.0, 105 << 20), (2.8, 105 << 20),
])
def test_a_large_hosts_cache_is_probed(tmp_path, stream_over_plain, expected):
    cpu_dir = make_cache_dir(tmp_path, HOST_SLICE)
    asked = []

    def probe(nbytes):
        asked.append(nbytes)
        return stream_over_plain

    assert _machine.effective_cache_bytes(cpu_dir, {}, probe, cpus=2) == expected
    assert asked == [8 << 20]   # four times the L2


def test_the_probe_block_stays_within_half_the_last_level(tmp_path):
    cpu_dir = make_cache_dir(tmp_path, [(2, "2M"), (3, "10M")])
    asked = []
    _machine.effective_cache_bytes(cpu_dir, {}, lambda n: asked.append(n) or 2.0,
                                   cpus=1)
    assert asked == [5 << 20]


def test_the_copy_probe_is_timed_and_checked():
    from array_core import _cache_probe
    # Odd sizes too: the streaming copy's head and tail are not whole lines.
    for nbytes in [1, 63, 4097, 1 << 16]:
        assert 0 < _cache_probe.stream_over_plain_copy(nbytes, rounds=2) < 1000
    for bad in [dict(nbytes=0), dict(nbytes=-1), dict(nbytes=64, rounds=0)]:
        with pytest.raises(ValueError, match="one byte and one round"):
            _cache_probe.stream_over_plain_copy(**bad)
