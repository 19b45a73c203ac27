"""What the machine's caches hold, read once at import by the copy kernels.

The copy thresholds (when to store around the cache, which order to visit
tiles in) follow from the last-level cache a core sees.  That size differs
between machines of one kind (8 MiB on a first-generation AMD EPYC, 32 MiB
per core complex on later ones), so it is read from Linux's sysfs rather
than fixed.  ``sysconf(_SC_LEVEL3_CACHE_SIZE)`` is not used: under KVM it
reported 64 MiB where sysfs and the CPU's cache topology gave 8 MiB.

A virtual machine's slice of a large host sees the host's whole last-level
cache in sysfs (105 MiB for two vCPUs on one machine here, 32 MiB on
another) and may get little of it.  On the first a block of 8 MiB read at
memory speed (123-151 ns a read, 9 ns from 1 MiB), a streaming copy beat
memcpy from 1.5 MiB on (0.55-0.9 of its time), and ``ascontiguousarray(a.T)``
of 1000 x 1000 float64 took 0.73-1.05 of NumPy's time with thresholds scaled
to 105 MiB, 0.44-0.53 scaled to its 2 MiB L2.  On the second the L3 served
copies up to 16 MiB (a streaming copy of 4 MiB took 2.3-2.4 times memcpy's
time), though random reads from 4 MiB took 43-135 ns, process to process:
a latency probe there chose the L2 in three imports of six, which made contiguous
copies of 1-4 MiB 2.2 times NumPy's time.  So where sysfs names more
last-level cache than the CPUs this process may use could claim,
:func:`effective_cache_bytes` times the choice itself: a copy of a block
four times the L2 with streaming stores against a plain one, and falls back
to the L2 when streaming wins.  ``ARRAY_CORE_CACHE_BYTES`` (``8M``,
``8388608``) sets the size outright.
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
    stream_over_plain: Callable[[int], float] | None = None,
    cpus: int | None = None,
) -> int:
    """The last-level cache the copy thresholds scale with, in bytes.

    ``ARRAY_CORE_CACHE_BYTES`` when set (a warning, and the rest of the
    rules, when it is not a size); else sysfs's last-level cache, unless it
    is larger than ``CACHE_SHARE_PER_CPU`` for each usable CPU and a copy of
    a block four times the L2 (at most half the last-level cache) runs
    faster with streaming stores than without: then the L2.
    ``stream_over_plain(nbytes)`` gives the streaming copy's time over the
    plain one's (``_cache_probe``'s, about 5 ms, by default).

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
    if stream_over_plain is None:
        from array_core import _cache_probe
        stream_over_plain = _cache_probe.stream_over_plain_copy
    return l2 if stream_over_plain(min(4 * l2, last // 2)) < 1.0 else last
