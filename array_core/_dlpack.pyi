from typing import Any, Literal, Protocol

from typing_extensions import CapsuleType

from array_core._array import ndarray

class _SupportsDLPack(Protocol):
    def __dlpack__(self, /, **kwargs: Any) -> CapsuleType: ...

def from_dlpack(
    x: _SupportsDLPack,
    /,
    *,
    device: Literal["cpu"] | None = None,
    copy: bool | None = None,
) -> ndarray: ...
