"""Deprecated: tornado's own IOLoop drives zmq sockets; use ``tornado.ioloop`` directly.

Kept so that code written for old pyzmq still imports. Every public name of
``tornado.ioloop`` is re-exported; ``ZMQIOLoop`` is tornado's ``IOLoop``.
"""

import warnings

from tornado.ioloop import *  # noqa: F403
from tornado.ioloop import IOLoop

_MESSAGE = (
    "zmq.eventloop.ioloop is deprecated in pyzmq 17. "
    "pyzmq now works with default tornado and asyncio eventloops."
)

ZMQIOLoop = IOLoop


def install() -> None:
    """Deprecated no-op: tornado's default IOLoop already works with zmq sockets."""
    warnings.warn(_MESSAGE, DeprecationWarning, stacklevel=2)


# warnings skips importlib's frames: stacklevel 2 names the importing line
warnings.warn(_MESSAGE, DeprecationWarning, stacklevel=2)
