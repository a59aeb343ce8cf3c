"""Turn the many spellings of a C pointer (int, CFFI pointer, ctypes) into an int address."""

from __future__ import annotations

import ctypes
from typing import Any

__all__ = ["cast_int_addr"]


def cast_int_addr(n: Any) -> int:
    """Return the integer address held by ``n``.

    Accepts an int, a CFFI ``CData`` pointer or a ctypes pointer / ``c_void_p``.
    """
    if isinstance(n, int):
        return n
    if isinstance(n, ctypes.c_void_p):
        return n.value or 0
    if isinstance(n, ctypes._Pointer):
        return ctypes.cast(n, ctypes.c_void_p).value or 0
    try:
        import cffi
    except ImportError:
        pass
    else:
        ffi = cffi.FFI()
        if isinstance(n, ffi.CData):
            return int(ffi.cast("size_t", n))
    raise ValueError(f"Cannot cast {n!r} to an int address")
