# The functions of _methods are installed as ndarray methods on import
# (array_core._array._install_methods); the module has no public names.
