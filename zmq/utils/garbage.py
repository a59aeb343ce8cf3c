"""Compatibility module for pyzmq's zero-copy "garbage collector" (``zmq.utils.garbage.gc``).

pyzmq keeps zero-copy send buffers alive in ``gc.refs`` and runs a thread that drops
them when libzmq's free callback reports a key over an inproc socket. Our backends do
not use a thread or a socket for this: libzmq's free callback queues the buffer in C
(``zmq/backend/_zerocopy.h``) and the Python side releases it. The ``gc`` object below
keeps the old public API working with the same observable behaviour for code that
calls it directly: :meth:`GarbageCollector.store` keeps an object (and optional event)
alive under an integer key until it is released, and releasing sets the event.
"""

from __future__ import annotations

import os
import threading
from typing import Any, NamedTuple, Optional

__all__ = ["GarbageCollector", "gc", "gcref"]


class gcref(NamedTuple):
    obj: Any
    event: Optional[threading.Event]


class GarbageCollector:
    """Holds references to objects until :meth:`release` (or :meth:`stop`) drops them."""

    #: the Context given to the constructor (pyzmq's collector made its socket in it)
    context: Any = None

    def __init__(self, context: Any = None) -> None:
        self.context = context
        self.refs: dict[int, gcref] = {}
        self.pid: Optional[int] = None
        self._lock = threading.Lock()
        self._next_key = 0

    def start(self) -> None:
        """Mark the collector running in this process (no thread is needed)."""
        self.pid = os.getpid()

    def is_alive(self) -> bool:
        """True after :meth:`start` in this process (False in a forked child)."""
        return self.pid == os.getpid()

    def store(self, obj: Any, event: Optional[threading.Event] = None) -> int:
        """Keep ``obj`` alive; return the key that :meth:`release` takes."""
        if not self.is_alive():
            if self.pid is not None:
                self.refs.clear()  # a forked child must not keep the parent's references
            self.start()
        with self._lock:
            self._next_key += 1
            key = self._next_key
            self.refs[key] = gcref(obj, event)
        return key

    def release(self, key: int) -> None:
        """Drop the reference stored under ``key`` and set its event, if any."""
        with self._lock:
            ref = self.refs.pop(key, None)
        if ref is not None and ref.event is not None:
            ref.event.set()

    def __del__(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Release every stored reference and mark the collector stopped."""
        for key in list(self.refs):
            self.release(key)
        self.pid = None


gc = GarbageCollector()
