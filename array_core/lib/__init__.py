"""array_core's counterparts of ``numpy.lib`` submodules (``stride_tricks``)."""
from array_core.lib import stride_tricks

__all__ = ["stride_tricks"]
