"""What the machine's caches hold, read once at import by the copy kernels.

The copy thresholds (when to store around the cache, which order to visit
tiles in) follow from the last-level cache a core sees.  That size differs
between machines of one kind (8 MiB on a first-generation AMD EPYC, 32 MiB
per core complex on later ones), so it is read from Linux's sysfs rather
than fixed.  ``sysconf(_SC_LEVEL3_CACHE_SIZE)`` is not used: under KVM it
reported 64 MiB where sysfs and the CPU's cache topology gave 8 MiB.
"""

from __future__ import annotations

import os

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


def last_level_cache_bytes(cpu_dir: str = "/sys/devices/system/cpu/cpu0/cache") -> int:
    """The size of the highest cache level CPU 0 sees, in bytes.

    Falls back to ``DEFAULT_LAST_LEVEL_CACHE_BYTES`` off Linux or when sysfs
    says nothing usable.
    """
    best_level, best_size = 0, 0
    try:
        entries = os.listdir(cpu_dir)
    except OSError:
        return DEFAULT_LAST_LEVEL_CACHE_BYTES
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
        if size > 0 and level > best_level:
            best_level, best_size = level, size
    return best_size if best_size > 0 else DEFAULT_LAST_LEVEL_CACHE_BYTES
