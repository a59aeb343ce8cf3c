"""Deprecated, as :mod:`zmq.eventloop.ioloop` (whose names it re-exports)."""

from zmq.eventloop.ioloop import *  # noqa: F403
