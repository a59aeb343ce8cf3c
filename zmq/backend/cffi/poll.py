"""zmq_poll over sockets and file descriptors."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ._cffi_zmq import ffi, lib
from ._check_rc import EINTR, _raise_errno
from .socket import Socket, _set_busy

__all__ = ["zmq_poll"]

# Resolved here, once: on PyPy, threads that first name a struct type at the same time
# can race while cffi builds it, and one of them got an int array for these items.
_POLLITEMS = ffi.typeof("zmq_pollitem_t[]")


def _fileno(obj: Any) -> int:
    if isinstance(obj, int):
        return obj
    if hasattr(obj, "fileno"):
        try:
            return int(obj.fileno())
        except Exception:
            raise ValueError(f"fileno() of {obj!r} must return an int fd") from None
    raise TypeError(f"expected a zmq Socket, an int fd or an object with fileno(), got {obj!r}")


def zmq_poll(sockets: Sequence[tuple[Any, int]], timeout: int = -1) -> list[tuple[Any, int]]:
    """Poll ``[(socket_or_fd, events), ...]``; returns ``[(socket_or_fd, revents), ...]``
    for the ready ones. ``timeout`` in ms (negative: forever). EINTR runs the signal
    handlers and polls again for the time left."""
    n = len(sockets)
    items = ffi.new(_POLLITEMS, n)
    busy = []
    for i, (s, events) in enumerate(sockets):
        if isinstance(s, Socket):
            s._check_open()
            items[i].socket = s._handle
            busy.append(s)
        else:
            items[i].fd = _fileno(s)
        items[i].events = events
    timeout = -1 if timeout is None or timeout < 0 else int(timeout)
    deadline = time.monotonic() + timeout / 1000 if timeout > 0 else None
    for s in busy:
        _set_busy(s, s._busy + 1)  # see Socket.close
    try:
        while lib.zmq_poll(items, n, timeout) < 0:
            err = ffi.errno
            if err != EINTR:
                _raise_errno(err)
            if deadline is not None:
                timeout = max(0, int((deadline - time.monotonic()) * 1000))
    finally:
        for s in busy:
            _set_busy(s, s._busy - 1)
    # like pyzmq: zmq sockets come back as themselves, anything else as the fd polled
    return [
        (sockets[i][0] if items[i].socket != ffi.NULL else items[i].fd, items[i].revents)
        for i in range(n)
        if items[i].revents
    ]
