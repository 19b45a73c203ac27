"""Dtype rules the array core needs from NumPy: buffer formats, flexible sizes.

Plain Python, called once per dtype (callers cache): nothing here knows about
array_core's ndarray.

- ``struct_format_candidates``: PEP 3118 format strings for a structured
  dtype, NumPy's own choice first (``_buffer_format_string`` in NumPy's
  ``buffer.c``), then spellings NumPy's parser reads back exactly where
  NumPy's own does not (a packed struct, trailing padding).
- ``creation_dtype``: the dtype and extra trailing axes an array created
  with ``dtype`` really has (``'S'`` is ``S1``, ``'(2,4)i4'`` adds two axes
  of int32), as NumPy's creation functions resolve them.
"""
from typing import Any

import numpy as np

# A NumPy dtype of any kind.
DType = np.dtype[Any]

OVERLAP_MESSAGE = ("dtypes with overlapping or out-of-order fields are not "
                   "representable as buffers. Consider reordering the fields.")


class Unrepresentable(ValueError):
    """The dtype has no PEP 3118 format; the message is NumPy's."""


def _scalar_codes(dtype: DType) -> tuple[str, str | None]:
    """(native code, standard-size code or None) of a non-structured dtype.

    Taken from NumPy's own exports of an empty array: native ('@') codes use
    C sizes ('l' for int64 on LP64), standard ('=', '<', '>') codes use
    fixed sizes ('q'); NumPy has no standard code for long double.
    """
    try:
        native = np.empty(0, dtype.newbyteorder("=")).data.format
    except (ValueError, TypeError, BufferError) as exc:
        raise Unrepresentable(str(exc)) from None
    native = native.lstrip("@=<>!^")
    try:
        standard = np.empty(0, dtype.newbyteorder(">")).data.format
    except (ValueError, TypeError, BufferError):
        return native, None
    return native, standard.lstrip("@=<>!^")


def _field_items(dtype: DType) -> list[tuple[str, DType, int]]:
    """(name, dtype, offset) of each field, in the dtype's name order."""
    fields, names = dtype.fields, dtype.names
    if fields is None or names is None:  # not a structured dtype
        return []
    return [(name, fields[name][0], fields[name][1]) for name in names]


class _FormatWriter:
    """One pass of NumPy's format writer, with a choice of spellings.

    ``standard_only`` never uses native alignment ('@'); ``trailing_pad``
    writes a struct's trailing padding as 'x' (NumPy leaves it out).
    """

    def __init__(self, itemsize: int, standard_only: bool,
                 trailing_pad: bool) -> None:
        self.itemsize = itemsize
        self.standard_only = standard_only
        self.trailing_pad = trailing_pad
        self.active = "@"
        self.parts: list[str] = []

    def struct(self, dtype: DType, base: int) -> None:
        self.parts.append("T{")
        position = base
        for name, field, offset in _field_items(dtype):
            start = base + offset
            if start < position:
                raise Unrepresentable(OVERLAP_MESSAGE)
            self.parts.append("x" * (start - position))
            self.field(field, start)
            position = start + field.itemsize
            self.parts.append(f":{name}:")
        if self.trailing_pad:
            self.parts.append("x" * (base + dtype.itemsize - position))
        self.parts.append("}")

    def field(self, dtype: DType, start: int) -> None:
        if dtype.subdtype is not None:
            base, shape = dtype.subdtype
            self.parts.append("(" + ",".join(str(n) for n in shape) + ")")
            self.field(base, start)
        elif dtype.names is not None:
            self.struct(dtype, start)
        else:
            self.scalar(dtype, start)

    def scalar(self, dtype: DType, start: int) -> None:
        native, standard = _scalar_codes(dtype)
        order = dtype.byteorder
        if order == "|":
            # One byte, strings, voids: the same in every mode.
            self.parts.append(native if self.active in "@^" else standard or native)
            return
        if order == "=" and not self.standard_only and self._aligned(dtype, start):
            mode = "@"
        elif order == "=" and standard is None:
            mode = "^"  # native size without alignment (long double)
        elif standard is None:
            raise Unrepresentable(f"cannot include dtype '{dtype.char}' in a buffer")
        else:
            mode = order
        if mode != self.active:
            self.parts.append(mode)
            self.active = mode
        # (standard is None only in the native modes)
        self.parts.append(native if mode in "@^" or standard is None else standard)

    def _aligned(self, dtype: DType, start: int) -> bool:
        # NumPy's _is_natively_aligned_at, for any aligned array of the dtype.
        align = dtype.alignment
        return start % align == 0 and self.itemsize % align == 0


def struct_format_candidates(dtype: DType) -> list[str]:
    """PEP 3118 formats for structured ``dtype``, NumPy's own spelling first.

    Raises ``Unrepresentable`` (with NumPy's message) when no format exists:
    overlapping or out-of-order fields, or a field type with no code.
    """
    candidates: list[str] = []
    for standard_only, trailing_pad in ((False, False), (False, True), (True, True)):
        writer = _FormatWriter(dtype.itemsize, standard_only, trailing_pad)
        writer.struct(dtype, 0)
        fmt = "".join(writer.parts)
        if fmt not in candidates:
            candidates.append(fmt)
    return candidates


def creation_dtype(
    dtype: DType, constructor: bool = False
) -> tuple[DType, tuple[int, ...]]:
    """(dtype, trailing shape) that an array made with ``dtype`` really has.

    A subarray dtype becomes its base dtype plus trailing axes; an unsized
    string becomes one character long in ``empty``/``zeros``/``ones``/``full``
    (``constructor`` True: the ``ndarray`` constructor keeps it unsized, as
    NumPy's does).  The shapes come from NumPy's own creation of an empty
    array.
    """
    probe = np.ndarray((0,), dtype) if constructor else np.empty((0,), dtype)
    return probe.dtype, probe.shape[1:]


def needs_creation_dtype(dtype: DType) -> bool:
    """True when ``creation_dtype`` could change ``dtype``."""
    return dtype.subdtype is not None or (
        dtype.itemsize == 0 and dtype.kind in "SU")
