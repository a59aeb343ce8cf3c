"""Devices: zmq_proxy, zmq_proxy_steerable, and a monitored queue (all block in C)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Optional

from ._cffi_zmq import ffi, lib
from ._check_rc import EINTR, _raise_errno
from .socket import Socket, _set_busy

__all__ = ["device", "monitored_queue", "proxy", "proxy_steerable"]


def _handle(s: Optional[Socket], what: str) -> Any:
    if s is None:
        return ffi.NULL
    if not isinstance(s, Socket):
        raise TypeError(f"{what} must be a zmq Socket, got {s!r}")
    s._check_open()
    return s._handle


@contextmanager
def _busy(*sockets: Optional[Socket]) -> Iterator[None]:
    """Count a call running without the GIL on each socket (see Socket.close)."""
    held = [s for s in sockets if s is not None]
    for s in held:
        _set_busy(s, s._busy + 1)
    try:
        yield
    finally:
        for s in held:
            _set_busy(s, s._busy - 1)


def proxy_steerable(
    frontend: Socket,
    backend: Socket,
    capture: Optional[Socket] = None,
    control: Optional[Socket] = None,
) -> None:
    """Forward messages between ``frontend`` and ``backend`` until the context is
    terminated (ContextTerminated) or, with a ``control`` socket, it receives TERMINATE.
    A copy of every message goes to ``capture``."""
    args = (
        _handle(frontend, "frontend"),
        _handle(backend, "backend"),
        _handle(capture, "capture"),
        _handle(control, "control"),
    )
    with _busy(frontend, backend, capture, control):
        err = lib.zpy_proxy(*args)
        while err == EINTR:  # signal handlers ran on the way back to Python
            err = lib.zpy_proxy(*args)
    if err:
        _raise_errno(err)


def proxy(frontend: Socket, backend: Socket, capture: Optional[Socket] = None) -> None:
    """Forward messages between ``frontend`` and ``backend`` (``frontend`` may be
    ``backend``) until the context is terminated (ContextTerminated). A copy of every
    message goes to ``capture``. Signals run their handlers without losing or splitting
    a message."""
    args = (_handle(frontend, "frontend"), _handle(backend, "backend"), _handle(capture, "capture"))
    state = ffi.new("uint64_t[]", lib.zpy_proxy_state_size() // 8 + 1)
    lib.zpy_proxy_init(state)
    try:
        with _busy(frontend, backend, capture):
            err = lib.zpy_proxy_run(*args, state)
            while err == EINTR:  # signal handlers ran on the way back to Python
                err = lib.zpy_proxy_run(*args, state)
        _raise_errno(err)
    finally:
        lib.zpy_proxy_clear(state)


def device(device_type: int, frontend: Socket, backend: Optional[Socket] = None) -> None:
    """The old name of :func:`proxy` (``device_type`` is ignored, as in libzmq)."""
    if backend is None:
        raise TypeError("device() needs a backend socket")
    proxy(frontend, backend)


def monitored_queue(
    in_socket: Socket,
    out_socket: Socket,
    mon_socket: Socket,
    in_prefix: bytes = b"in",
    out_prefix: bytes = b"out",
) -> None:
    """A queue device that also sends every message to ``mon_socket``, prefixed with a
    frame ``in_prefix`` (from in to out) or ``out_prefix``. Between two ROUTER sockets
    the first two frames (routing ids) are swapped, so replies find their way back."""
    for name, prefix in (("in_prefix", in_prefix), ("out_prefix", out_prefix)):
        if not isinstance(prefix, bytes):
            raise TypeError(f"{name} must be bytes, got {prefix!r}")
    handles = (
        _handle(in_socket, "in_socket"),
        _handle(out_socket, "out_socket"),
        _handle(mon_socket, "mon_socket"),
    )
    router = lib.ZMQ_ROUTER
    swap_ids = in_socket.get(lib.ZMQ_TYPE) == router and out_socket.get(lib.ZMQ_TYPE) == router
    args = (*handles, in_prefix, len(in_prefix), out_prefix, len(out_prefix), swap_ids)
    with _busy(in_socket, out_socket, mon_socket):
        err = lib.zpy_monitored_queue(*args)
        while err == EINTR:
            err = lib.zpy_monitored_queue(*args)
    _raise_errno(err)
