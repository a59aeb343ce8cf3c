"""libzmq failures as ZMQError subclasses, and argument conversions shared by the modules.

The C helpers of this backend return the errno of a failure directly, so most call sites
use :func:`_raise_errno`; :func:`_check_rc` is for plain libzmq calls (-1 and errno).
CFFI keeps each thread's errno across calls, so ``ffi.errno`` right after a call is the
errno that call left.
"""

from __future__ import annotations

from typing import NoReturn

from zmq.error import _raise_errno

from ._cffi_zmq import ffi, lib

__all__ = ["_c_str", "_check_rc", "_not_picklable", "_raise_errno", "_raise_last_error"]

EINTR: int = lib.EINTR
EAGAIN: int = lib.EAGAIN


def _raise_last_error() -> NoReturn:
    """Raise for the errno the previous libzmq call on this thread left."""
    _raise_errno(ffi.errno)


def _check_rc(rc: int) -> None:
    if rc == -1:
        _raise_errno(ffi.errno)


def _c_str(value: object, what: str = "address") -> bytes:
    """An endpoint, group or property name as bytes: str (encoded utf-8) or bytes."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"expected str for the {what}, got {type(value).__name__}: {value!r}")


def _not_picklable(obj: object) -> NoReturn:
    """``__reduce__`` of objects that own libzmq handles: they cannot be pickled."""
    raise TypeError(f"cannot pickle {type(obj).__name__!r} object")
