"""A gevent-cooperative device: forwards messages between two sockets in a greenlet."""

from __future__ import annotations

from typing import Any, NoReturn

from zmq.constants import POLLIN

from .poll import _Poller

__all__ = ["device"]


def device(device_type: int, isocket: Any, osocket: Any) -> NoReturn:
    """Forward messages between two sockets forever, yielding to other greenlets while
    idle (a gevent-cooperative :func:`zmq.device`).

    Parameters
    ----------
    device_type : int
        ``zmq.QUEUE``, ``zmq.FORWARDER`` or ``zmq.STREAMER``; accepted for
        compatibility (the direction follows the socket types).
    isocket : Socket
        One side (a green socket).
    osocket : Socket or -1
        The other side; -1 reflects messages back to ``isocket``.
    """
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
