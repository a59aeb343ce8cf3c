"""Z85 encoding (ZeroMQ RFC 32), used for printable CURVE keys.

Pure Python: every 4 input bytes (big-endian) become 5 characters of a base-85 alphabet.
"""

from __future__ import annotations

import struct
from typing import Union

__all__ = ["encode", "decode"]

Z85CHARS = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
_DECODE = {c: i for i, c in enumerate(Z85CHARS)}
_POWERS = (85**4, 85**3, 85**2, 85, 1)


def encode(rawbytes: bytes | bytearray | memoryview) -> bytes:
    """Encode bytes as Z85 (ZeroMQ RFC 32), the printable form of CURVE keys.

    Parameters
    ----------
    rawbytes : bytes-like
        The data; its length must be a multiple of 4.

    Returns
    -------
    bytes
        The Z85 text (5 characters per 4 bytes).

    Raises
    ------
    ValueError
        If the length is not a multiple of 4.
    """
    raw = bytes(rawbytes)
    if len(raw) % 4:
        raise ValueError(f"length must be a multiple of 4, not {len(raw)}")
    words = struct.unpack(f">{len(raw) // 4}I", raw)
    out = bytearray()
    for word in words:
        for power in _POWERS:
            out.append(Z85CHARS[(word // power) % 85])
    return bytes(out)


def decode(z85bytes: Union[bytes, bytearray, str]) -> bytes:
    """Decode Z85 text back to bytes.

    Parameters
    ----------
    z85bytes : bytes or str
        The Z85 text; its length must be a multiple of 5.

    Returns
    -------
    bytes
        The decoded data.

    Raises
    ------
    ValueError
        If the length is not a multiple of 5 or a character is not Z85.
    """
    data = z85bytes.encode("ascii") if isinstance(z85bytes, str) else bytes(z85bytes)
    if len(data) % 5:
        raise ValueError(f"Z85 length must be a multiple of 5, not {len(data)}")
    words = []
    for offset in range(0, len(data), 5):
        value = 0
        for char in data[offset : offset + 5]:
            try:
                value = value * 85 + _DECODE[char]
            except KeyError:
                raise ValueError(f"invalid Z85 character {chr(char)!r}") from None
        if value > 0xFFFFFFFF:
            raise ValueError(f"invalid Z85 group {data[offset : offset + 5]!r}")
        words.append(value)
    return struct.pack(f">{len(words)}I", *words)
