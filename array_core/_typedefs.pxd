# C-level constants shared by the compiled modules.

# NumPy 2.x allows up to 64 dimensions; so do we.
cdef enum:
    MAX_NDIM = 64

# Array flag bits, as stored in ndarray.flags_.
cdef enum:
    FLAG_C_CONTIGUOUS = 0x1
    FLAG_F_CONTIGUOUS = 0x2
    FLAG_OWNDATA = 0x4
    FLAG_WRITEABLE = 0x8
    FLAG_ALIGNED = 0x10

# Memory orders, resolved from 'C', 'F', 'A', 'K'.
cdef enum:
    ORDER_C = 0
    ORDER_F = 1
    ORDER_A = 2
    ORDER_K = 3
