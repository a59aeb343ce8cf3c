"""tornado's IOLoop for green sockets (as :mod:`zmq.eventloop`); needs tornado."""

from zmq.green.eventloop.ioloop import IOLoop

__all__ = ["IOLoop"]
