"""Integration of zmq sockets with tornado's IOLoop (needs tornado).

:class:`zmq.eventloop.zmqstream.ZMQStream` delivers a socket's messages to callbacks run by
the IOLoop. ``zmq.eventloop.ioloop`` is a deprecated alias of ``tornado.ioloop``.
"""

from tornado.ioloop import IOLoop

__all__ = ["IOLoop"]
