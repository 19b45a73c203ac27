# What other family modules cimport from _joining.
from array_core._array cimport ndarray

cdef ndarray as_source(object a)
