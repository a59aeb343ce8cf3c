"""Library-level queries: version, capabilities, error texts, CURVE key helpers."""

from __future__ import annotations

from ._cffi_zmq import ffi, lib
from ._check_rc import _raise_errno

__all__ = [
    "IPC_PATH_MAX_LEN",
    "curve_keypair",
    "curve_public",
    "has",
    "strerror",
    "zmq_errno",
    "zmq_version_info",
]

#: Longest ipc:// path the OS accepts (``sizeof(sockaddr_un.sun_path)``; 0: no ipc).
IPC_PATH_MAX_LEN: int = lib.ZMQ_PY_IPC_PATH_MAX_LEN


def zmq_version_info() -> tuple[int, int, int]:
    """The version of the loaded libzmq as ``(major, minor, patch)``."""
    parts = ffi.new("int[3]")
    lib.zmq_version(parts, parts + 1, parts + 2)
    return (parts[0], parts[1], parts[2])


def has(capability: str) -> bool:
    """Whether libzmq was built with ``capability`` ("ipc", "curve", "draft", ...)."""
    name = capability.encode("utf-8") if isinstance(capability, str) else capability
    if not isinstance(name, bytes):
        raise TypeError(f"expected str, got {type(capability).__name__}: {capability!r}")
    return bool(lib.zmq_has(name))


def strerror(errno: int) -> str:
    """libzmq's message for ``errno``."""
    return ffi.string(lib.zmq_strerror(int(errno))).decode("utf-8", "replace")


def zmq_errno() -> int:
    """The errno the last libzmq call on this thread left."""
    return int(lib.zmq_errno())


def curve_keypair() -> tuple[bytes, bytes]:
    """A new CURVE key pair ``(public, secret)``, Z85-encoded (40 bytes each)."""
    public = ffi.new("char[41]")
    secret = ffi.new("char[41]")
    err = lib.zpy_curve_keypair(public, secret)
    if err:
        _raise_errno(err)
    return ffi.string(public, 40), ffi.string(secret, 40)


def curve_public(secret_key: bytes | str) -> bytes:
    """The Z85 public key of a Z85 ``secret_key`` (libzmq >= 4.2)."""
    if isinstance(secret_key, str):
        secret_key = secret_key.encode("ascii")
    if not isinstance(secret_key, bytes):
        raise TypeError(f"expected bytes, got {type(secret_key).__name__}: {secret_key!r}")
    if len(secret_key) != 40:
        raise ValueError("a secret key must be 40 bytes of Z85 text")
    public = ffi.new("char[41]")
    err = lib.zpy_curve_public(public, secret_key)
    if err:
        _raise_errno(err)
    return ffi.string(public, 40)
