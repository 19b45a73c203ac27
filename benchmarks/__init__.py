"""asv benchmarks for array_core; every benchmark has a NumPy twin (``lib`` param)."""
