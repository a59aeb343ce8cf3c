"""A gevent-cooperative Poller: waits in the gevent hub instead of in zmq_poll."""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import Any, List, Optional, Tuple, cast

import gevent
import gevent.event

import zmq
from zmq.backend import Socket as SocketBase
from zmq.constants import FD, POLLIN, POLLOUT
from zmq.sugar.poll import _ms_timeout

__all__ = ["_Poller"]

# libev's event bits for io watchers
_READ, _WRITE = 1, 2


def _watch(item: Any, flags: int) -> Tuple[int, int]:
    """The descriptor and libev events to watch for a registered item: a zmq socket
    signals every state change by making its ZMQ_FD readable."""
    if isinstance(item, SocketBase):
        return cast(int, item.get(FD)), _READ
    fd = item if isinstance(item, int) else item.fileno()
    events = (_READ if flags & POLLIN else 0) | (_WRITE if flags & POLLOUT else 0)
    return fd, events or _READ


class _Poller(zmq.Poller):
    """Poller whose :meth:`poll` lets other greenlets run while it waits."""

    def poll(self, timeout: Optional[float] = -1) -> List[Tuple[Any, int]]:
        """Wait for events on the registered sockets, letting other greenlets run meanwhile.

        Parameters
        ----------
        timeout : int, optional
            Milliseconds; -1 (the default), None or a negative value waits until an event
            occurs.

        Returns
        -------
        list of (socket, int)
            As :meth:`zmq.Poller.poll` returns.
        """
        ms = _ms_timeout(timeout)
        deadline = None if ms < 0 else time.monotonic() + ms / 1000
        green = [s for s, _ in self.sockets if hasattr(s, "_observe_events")]
        while True:
            for s in green:  # tell the sockets' other waiters what zmq_poll will consume
                s._observe_events()
            ready = super().poll(0)
            remaining = None if deadline is None else deadline - time.monotonic()
            if ready or (remaining is not None and remaining <= 0):
                return ready
            self._wait(remaining)

    def _wait(self, timeout: Optional[float]) -> None:
        """Block this greenlet until a registered item may have an event (or timeout)."""
        waiter = gevent.event.Event()
        loop = gevent.get_hub().loop
        with ExitStack() as stack:
            for item, flags in self.sockets:
                if hasattr(item, "_watching"):  # a green socket
                    stack.enter_context(item._watching(waiter))
                    continue
                watcher = loop.io(*_watch(item, flags))
                stack.callback(watcher.close)
                stack.callback(watcher.stop)
                watcher.start(waiter.set)
            waiter.wait(timeout)
