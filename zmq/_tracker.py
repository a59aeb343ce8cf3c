"""MessageTracker: learn when libzmq no longer uses the memory of zero-copy sends.

A zero-copy send (``copy=False, track=True``) shares a Python buffer with libzmq until
libzmq releases the message, maybe long after ``send`` returned (queued, or sent by the
I/O thread). Modifying the buffer before then changes what is sent. The backend marks
each message done from libzmq's free callback, without a garbage-collector thread or
socket (unlike pyzmq); the observable behaviour is pyzmq's.

A leaf module (it imports only zmq.error) below both the backends, which create the
trackers, and the sugar: ``zmq.sugar.tracker`` re-exports it under pyzmq's path, which is
also the class's ``__module__`` (its repr, pickles and help() are pyzmq's).
"""

from __future__ import annotations

import time
from typing import Any, Protocol, Union

from zmq.error import NotDone

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]


class _EventLike(Protocol):
    """threading.Event or a backend's per-message completion event."""

    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


_Watchable = Union[_EventLike, "MessageTracker", Any]  # Any: a Frame with a tracker

#: wait(-1) waits this long in each step, so it stays interruptible on every platform
_FOREVER_STEP = 3600.0


class MessageTracker:
    """MessageTracker(*towatch)

    Tells when libzmq no longer uses the memory of zero-copy sends.

    A send with ``copy=False, track=True`` returns one. Until ``done`` is True, libzmq may
    still read the buffer sent (the message may be queued, or being sent by the I/O
    thread), so the buffer must not be modified.

    Parameters
    ----------
    *towatch : MessageTracker, Frame or threading.Event-like
        What to track: other trackers, Frames made with ``track=True``, or events with
        ``is_set()`` and ``wait(timeout)``.

    Raises
    ------
    ValueError
        For a Frame that is not tracked.
    TypeError
        For any other kind of object.
    """

    events: set[_EventLike]
    peers: set[MessageTracker]

    def __init__(self, *towatch: _Watchable) -> None:
        self.events = set()
        self.peers = set()
        for obj in towatch:
            if isinstance(obj, MessageTracker):
                self.peers.add(obj)
            elif hasattr(obj, "is_set") and hasattr(obj, "wait"):
                self.events.add(obj)
            elif hasattr(obj, "tracker") and hasattr(obj, "bytes"):
                if obj.tracker is None:
                    raise ValueError("Not a tracked message")
                self.peers.add(obj.tracker)
            else:
                raise TypeError(f"Require Events or Message Frames, not {type(obj)}")

    @property
    def done(self) -> bool:
        """Whether libzmq is done with every tracked message."""
        return all(evt.is_set() for evt in self.events) and all(p.done for p in self.peers)

    def wait(self, timeout: float | int = -1) -> None:
        """Wait until libzmq is done with every tracked message.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most; negative (the default) waits forever.

        Raises
        ------
        zmq.NotDone
            If the timeout expired first.
        """
        forever = timeout is None or timeout < 0
        deadline = 0.0 if forever else time.monotonic() + timeout
        for evt in self.events:
            while not evt.is_set():
                if forever:
                    evt.wait(_FOREVER_STEP)
                    continue
                left = deadline - time.monotonic()
                if left <= 0 or not evt.wait(left):
                    if not evt.is_set():
                        raise NotDone
        for peer in self.peers:
            peer.wait(-1 if forever else max(deadline - time.monotonic(), 0))


MessageTracker.__module__ = "zmq.sugar.tracker"

_FINISHED_TRACKER = MessageTracker()
