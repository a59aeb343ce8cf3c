"""Deprecated Python 2 era string helpers (kept because old code imports them).

Importing this module emits a DeprecationWarning, as pyzmq has since version 23.
"""

from __future__ import annotations

import warnings
from typing import Union

warnings.warn(
    "zmq.utils.strtypes is deprecated; use bytes/str and .encode()/.decode() directly",
    DeprecationWarning,
    stacklevel=2,
)

bytes = bytes
unicode = str
basestring = (str, bytes)


def cast_bytes(s: Union[str, bytes], encoding: str = "utf8", errors: str = "strict") -> bytes:
    """Return ``s`` as bytes, encoding str with ``encoding``."""
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode(encoding, errors)
    raise TypeError(f"Expected unicode or bytes, got {s!r}")


def cast_unicode(s: Union[str, bytes], encoding: str = "utf8", errors: str = "strict") -> str:
    """Return ``s`` as str, decoding bytes with ``encoding``."""
    if isinstance(s, bytes):
        return s.decode(encoding, errors)
    if isinstance(s, str):
        return s
    raise TypeError(f"Expected unicode or bytes, got {s!r}")


b = asbytes = cast_bytes
u = cast_unicode

__all__ = ["asbytes", "bytes", "unicode", "basestring", "b", "u", "cast_bytes", "cast_unicode"]
