"""ZMQ_FD of thread-safe (draft) sockets, which have none: the descriptor of a zmq_poller
watching the socket (``_draft_poller.h``), kept per socket handle (shadows share it)
until the socket is closed."""

from __future__ import annotations

from typing import Any

from ._cffi_zmq import ffi, lib
from ._check_rc import _raise_errno
from .message import _need_draft

#: handle address -> (poller, descriptor); empty unless a thread-safe socket's FD was read
pollers: dict[int, tuple[Any, int]] = {}


def _key(handle: Any) -> int:
    return int(ffi.cast("uintptr_t", handle))


def poller_fd(handle: Any) -> int:
    """The descriptor standing in for ZMQ_FD (made on first use, with a DraftFDWarning)."""
    entry = pollers.get(_key(handle))
    if entry is not None:
        return entry[1]
    _need_draft("ZMQ_FD of a thread-safe socket")
    import warnings

    from zmq.error import DraftFDWarning, _check_version

    _check_version((4, 3, 2), "ZMQ_FD of a thread-safe socket (zmq_poller_fd)")
    warnings.warn(DraftFDWarning(), stacklevel=3)
    poller = ffi.new("void **")
    fd = ffi.new("int64_t *")
    err = lib.zpy_draft_poller_new(handle, poller, fd)
    if err:
        _raise_errno(err)
    pollers[_key(handle)] = (poller[0], int(fd[0]))
    return int(fd[0])


def drain(handle: Any) -> None:
    """Re-arm the descriptor before ZMQ_EVENTS is read."""
    entry = pollers.get(_key(handle))
    if entry is not None:
        lib.zpy_draft_poller_drain(entry[0])


def forget(handle: Any) -> None:
    """Before zmq_close: the poller must unregister from the socket while it exists."""
    entry = pollers.pop(_key(handle), None)
    if entry is not None:
        lib.zpy_draft_poller_destroy(entry[0])
