"""The cache of freed large blocks (_buffer.pyx): reuse, fit, limits, decay.

Blocks of 32 MiB or more that array_core frees wait a moment for reuse, so
that a loop making large arrays of one size does not fault in fresh pages
every time.
"""
import os
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import array_core as ac
from array_core import _buffer

MiB = 1 << 20


@pytest.fixture
def cache():
    """An empty cache of 256 MiB that keeps blocks for a minute."""
    old = _buffer._configure_block_cache(limit=0)
    _buffer._configure_block_cache(limit=256 * MiB, decay=60.0)
    yield
    _buffer._configure_block_cache(limit=0)
    _buffer._configure_block_cache(**old)


def test_a_freed_large_block_is_reused(cache):
    buf = _buffer.allocate(40 * MiB)
    address = buf.address
    del buf
    assert _buffer._cached_blocks()[0] == 1
    again = _buffer.allocate(40 * MiB)
    assert again.address == address
    assert again.address % 4096 == 16
    assert _buffer._cached_blocks() == (0, 0)


def test_arrays_reuse_blocks_and_keep_their_values(cache):
    a = ac.full(6 * MiB, 3.0)                      # 48 MiB
    address = a.__array_interface__["data"][0]
    del a
    b = ac.zeros(6 * MiB)
    assert b.__array_interface__["data"][0] == address
    assert not b.any()                             # zeros after reuse
    c = b[::-1].copy()
    del b
    d = ac.ones((2, 3 * MiB))[:, 1:]
    assert d.base.__array_interface__["data"][0] == address
    np.testing.assert_array_equal(np.asarray(c)[:3], [0, 0, 0])
    assert np.asarray(d).min() == 1.0


def test_small_blocks_are_not_cached(cache):
    del_me = _buffer.allocate(32 * MiB - 1)
    del del_me
    assert _buffer._cached_blocks() == (0, 0)


def test_a_much_larger_block_is_not_given_to_a_small_request(cache):
    big = _buffer.allocate(200 * MiB)
    del big
    small = _buffer.allocate(40 * MiB)
    assert _buffer._cached_blocks()[0] == 1          # the 200 MiB block waits
    del small
    assert _buffer._cached_blocks()[0] == 2
    # The smallest block that fits is the one taken.
    again = _buffer.allocate(40 * MiB)
    assert _buffer._cached_blocks()[1] > 200 * MiB
    del again


def test_the_limit_frees_the_oldest_blocks(cache):
    blocks = [_buffer.allocate(100 * MiB) for _ in range(3)]
    del blocks
    count, nbytes = _buffer._cached_blocks()
    assert count == 2 and nbytes <= 256 * MiB
    _buffer._configure_block_cache(limit=150 * MiB)
    assert _buffer._cached_blocks()[0] == 1
    _buffer._configure_block_cache(limit=0)
    assert _buffer._cached_blocks() == (0, 0)


def test_a_block_larger_than_the_limit_is_freed(cache):
    buf = _buffer.allocate(300 * MiB)
    del buf
    assert _buffer._cached_blocks() == (0, 0)


def test_blocks_expire_after_the_decay_time(cache):
    _buffer._configure_block_cache(decay=0.05)
    buf = _buffer.allocate(40 * MiB)
    del buf
    assert _buffer._cached_blocks()[0] == 1
    time.sleep(0.1)
    # Small allocations check the clock now and then, large ones always.
    for _ in range(512):
        _buffer.allocate(64)
    assert _buffer._cached_blocks() == (0, 0)


def test_at_most_eight_blocks_wait(cache):
    _buffer._configure_block_cache(limit=1 << 40)
    blocks = [_buffer.allocate(32 * MiB) for _ in range(10)]
    del blocks
    assert _buffer._cached_blocks()[0] == 8


def test_threads_allocating_and_freeing_large_arrays(cache):
    errors = []

    def work(seed):
        try:
            for i in range(20):
                a = ac.full(5 * MiB, float(seed * 100 + i))   # 40 MiB
                b = a.copy()
                assert float(b[-1]) == seed * 100 + i
                del a, b
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_a_failed_allocation_frees_the_cache_and_tries_again():
    # Under an address-space limit the cached blocks are what stands in the
    # way: the allocation frees them and succeeds.
    script = textwrap.dedent("""
        import resource
        from array_core import _buffer
        _buffer._configure_block_cache(limit=1 << 30, decay=60.0)
        blocks = [_buffer.allocate(300 << 20) for _ in range(3)]
        del blocks
        assert _buffer._cached_blocks()[0] == 3
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/status") as f:
            vm = [int(line.split()[1]) << 10 for line in f
                  if line.startswith("VmSize:")][0]
        resource.setrlimit(resource.RLIMIT_AS, (vm + (200 << 20), hard))
        buf = _buffer.allocate(800 << 20)
        assert _buffer._cached_blocks() == (0, 0)
        print("ok")
    """)
    if not sys.platform.startswith("linux"):
        pytest.skip("RLIMIT_AS and /proc are Linux's")
    if os.environ.get("ARRAY_CORE_SANITIZE", "0") not in ("", "0"):
        pytest.skip("ASan reserves address space beyond any such limit")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_limit_comes_from_the_environment():
    script = ("from array_core import _buffer; "
              "print(_buffer._configure_block_cache()['limit'])")
    env = dict(os.environ, ARRAY_CORE_BLOCK_CACHE="12345")
    out = subprocess.run([sys.executable, "-c", script], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "12345", out.stderr
    env["ARRAY_CORE_BLOCK_CACHE"] = "lots"
    out = subprocess.run([sys.executable, "-W", "error::RuntimeWarning::0", "-c",
                          script], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode != 0 and "ARRAY_CORE_BLOCK_CACHE" in out.stderr


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="at least 0"):
        _buffer._configure_block_cache(limit=-1)
