"""A gevent-cooperative device: forwards messages between two sockets in a greenlet."""

from __future__ import annotations

from typing import Any, NoReturn

from zmq.constants import POLLIN

from .poll import _Poller

__all__ = ["device"]


def device(device_type: int, isocket: Any, osocket: Any) -> NoReturn:
    """Forward every message from ``isocket`` to ``osocket`` and back, forever, yielding
    to other greenlets while idle. ``device_type`` (QUEUE, FORWARDER, STREAMER) is
    accepted for compatibility; the direction follows the socket types. Use green sockets;
    ``osocket=-1`` reflects messages back to ``isocket``."""
    if osocket == -1:
        osocket = isocket
    poller = _Poller()
    poller.register(isocket, POLLIN)
    poller.register(osocket, POLLIN)
    while True:
        ready = dict(poller.poll())
        if isocket in ready:
            osocket.send_multipart(isocket.recv_multipart())
        if osocket is not isocket and osocket in ready:
            isocket.send_multipart(osocket.recv_multipart())
