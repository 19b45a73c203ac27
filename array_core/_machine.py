"""What the machine's caches hold, read once at import by the copy kernels.

The copy thresholds (when to store around the cache, which order to visit
tiles in) follow from the last-level cache a core sees.  That size differs
between machines of one kind (8 MiB on a first-generation AMD EPYC, 32 MiB
per core complex on later ones), so it is read from Linux's sysfs rather
than fixed.  ``sysconf(_SC_LEVEL3_CACHE_SIZE)`` is not used: under KVM it
reported 64 MiB where sysfs and the CPU's cache topology gave 8 MiB.

A virtual machine's slice of a large host sees the host's whole last-level
cache in sysfs (105 MiB for two vCPUs here) and may get little of it: on
that machine a block of 8 MiB read at memory speed (123-151 ns a read, 9 ns
from 1 MiB), and ``ascontiguousarray(a.T)`` of 1000 x 1000 float64 took
0.73-1.05 of NumPy's time with thresholds scaled to 105 MiB, 0.44-0.53
scaled to its 2 MiB L2.  So where sysfs names more last-level cache than the
CPUs this process may use could claim, :func:`effective_cache_bytes` times
reads from a block four times the L2 and falls back to the L2 when they come
from memory.  ``ARRAY_CORE_CACHE_BYTES`` (``8M``, ``8388608``) sets the size
outright.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping

# Where nothing can be read: the size the thresholds were first measured on.
DEFAULT_LAST_LEVEL_CACHE_BYTES = 32 << 20

_SIZE_SUFFIXES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_cache_size(text: str) -> int:
    """Bytes in a sysfs cache size such as ``'8192K'`` (0 when unreadable).

    >>> parse_cache_size("8192K")
    8388608
    >>> parse_cache_size("32M")
    33554432
    >>> parse_cache_size("junk")
    0
    """
    text = text.strip()
    scale = _SIZE_SUFFIXES.get(text[-1:].upper(), 1)
    digits = text[:-1] if scale != 1 else text
    return int(digits) * scale if digits.isdigit() else 0


CPU_CACHE_DIR = "/sys/devices/system/cpu/cpu0/cache"

# More last-level cache per usable CPU than any current x86 or Arm part
# gives a core (1.25-4 MiB): the cache is shared with CPUs outside this
# process's view, and is probed.
CACHE_SHARE_PER_CPU = 4 << 20
# Reads from a block four times the L2 average below this when the level
# above serves them (about 26 ns estimated for a large-mesh Xeon's 33 ns L3,
# 10 for an EPYC's), above it when three in four come from memory (at least
# 80 ns on servers): measured 86-151 ns on the VM described above.
MEMORY_READ_NS = 45.0


def cache_levels(cpu_dir: str = CPU_CACHE_DIR) -> dict[int, int]:
    """Bytes per cache level CPU 0 sees, from sysfs (data or unified caches;
    the largest where a level lists several); empty when unreadable.
    """
    sizes: dict[int, int] = {}
    try:
        entries = os.listdir(cpu_dir)
    except OSError:
        return sizes
    for entry in entries:
        if not entry.startswith("index"):
            continue
        try:
            with open(os.path.join(cpu_dir, entry, "level")) as f:
                level = int(f.read().strip())
            with open(os.path.join(cpu_dir, entry, "size")) as f:
                size = parse_cache_size(f.read())
        except (OSError, ValueError):
            continue
        if size > 0:
            sizes[level] = max(size, sizes.get(level, 0))
    return sizes


def last_level_cache_bytes(cpu_dir: str = CPU_CACHE_DIR) -> int:
    """The size of the highest cache level CPU 0 sees, in bytes.

    Falls back to ``DEFAULT_LAST_LEVEL_CACHE_BYTES`` off Linux or when sysfs
    says nothing usable.
    """
    sizes = cache_levels(cpu_dir)
    return sizes[max(sizes)] if sizes else DEFAULT_LAST_LEVEL_CACHE_BYTES


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def effective_cache_bytes(
    cpu_dir: str = CPU_CACHE_DIR,
    environ: Mapping[str, str] | None = None,
    read_latency_ns: Callable[[int], float] | None = None,
    cpus: int | None = None,
) -> int:
    """The last-level cache the copy thresholds scale with, in bytes.

    ``ARRAY_CORE_CACHE_BYTES`` when set (a warning, and the rest of the
    rules, when it is not a size); else sysfs's last-level cache, unless it
    is larger than ``CACHE_SHARE_PER_CPU`` for each usable CPU and reads
    from a block four times the L2 (at most half the last-level cache) take
    ``MEMORY_READ_NS`` or more: then the L2.  ``read_latency_ns(nbytes)``
    times those reads (``_cache_probe``'s, about 5 ms, by default).

    >>> effective_cache_bytes(environ={"ARRAY_CORE_CACHE_BYTES": "8M"})
    8388608
    """
    environ = os.environ if environ is None else environ
    setting = environ.get("ARRAY_CORE_CACHE_BYTES", "").strip()
    if setting:
        size = parse_cache_size(setting)
        if size > 0:
            return size
        warnings.warn(f"ARRAY_CORE_CACHE_BYTES={setting!r} is not a cache size "
                      "(such as 8M or 8388608); using the machine's",
                      RuntimeWarning, stacklevel=2)
    sizes = cache_levels(cpu_dir)
    if not sizes:
        return DEFAULT_LAST_LEVEL_CACHE_BYTES
    last = sizes[max(sizes)]
    l2 = sizes.get(2, 0)
    cpus = usable_cpus() if cpus is None else cpus
    if max(sizes) <= 2 or not l2 or last <= CACHE_SHARE_PER_CPU * cpus:
        return last
    if read_latency_ns is None:
        from array_core import _cache_probe
        read_latency_ns = _cache_probe.read_latency_ns
    far = read_latency_ns(min(4 * l2, last // 2))
    return l2 if far >= MEMORY_READ_NS else last
