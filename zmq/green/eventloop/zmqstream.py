"""ZMQStream for green sockets: :class:`zmq.eventloop.zmqstream.ZMQStream` on an IOLoop
from :mod:`zmq.green.eventloop`."""

from __future__ import annotations

from typing import Any

from zmq.eventloop import zmqstream
from zmq.green.eventloop.ioloop import IOLoop

__all__ = ["ZMQStream"]


class ZMQStream(zmqstream.ZMQStream):
    """A :class:`zmq.eventloop.zmqstream.ZMQStream` whose default loop is
    :class:`zmq.green.eventloop.IOLoop`'s current one."""

    def __init__(self, socket: Any, io_loop: Any = None) -> None:
        super().__init__(socket, io_loop or IOLoop.current())
