# The operators and ndarray.__array_ufunc__'s code: no public Python names
# (ndarray's methods call it in C, see _operators.pyx).
