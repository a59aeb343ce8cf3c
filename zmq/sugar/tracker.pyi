# Type checkers see MessageTracker here, under pyzmq's name (zmq.sugar.tracker), as its
# __module__ says at run time; the implementation is zmq/_tracker.py.
from zmq._tracker import _EventLike, _Watchable

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]

class MessageTracker:
    events: set[_EventLike]
    peers: set[MessageTracker]
    def __init__(self, *towatch: _Watchable) -> None: ...
    @property
    def done(self) -> bool: ...
    def wait(self, timeout: float | int = -1) -> None: ...

_FINISHED_TRACKER: MessageTracker
