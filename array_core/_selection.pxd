# What other family modules cimport from _selection.

cdef object stand_in_of(tuple shape)
