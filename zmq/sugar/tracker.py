"""MessageTracker under pyzmq's path: the class lives in the leaf module zmq._tracker,
which the backends import without reaching up into the sugar."""

from zmq._tracker import _FINISHED_TRACKER, MessageTracker

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]
