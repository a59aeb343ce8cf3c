"""A gevent-cooperative Poller: waits in the gevent hub instead of in zmq_poll."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Tuple, Type

import gevent

import zmq
from zmq._evcore import Watcher
from zmq._pollwatch import watch_poll_items
from zmq.constants import POLLIN, POLLOUT
from zmq.sugar.poll import _ms_timeout

if TYPE_CHECKING:
    from .core import _Socket

__all__ = ["_Poller"]


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
        from .core import _Socket  # late: core imports this module

        ms = _ms_timeout(timeout)
        deadline = None if ms < 0 else time.monotonic() + ms / 1000
        while True:
            ready = super().poll(0)
            for s, _ in self.sockets:
                if isinstance(s, _Socket):
                    # zmq_poll read EVENTS: the socket's own waiters may have lost an edge
                    s._green.core.kick()
            remaining = None if deadline is None else deadline - time.monotonic()
            if ready or (remaining is not None and remaining <= 0):
                return ready
            self._wait(remaining, _Socket)

    def _wait(self, timeout: Optional[float], green: Type[_Socket]) -> None:
        """Block this greenlet until a registered item may have an event (or timeout)."""
        from .core import _Wait

        hub = gevent.get_hub()
        loop = hub.loop
        waiter = _Wait(hub)

        undo: List[Callable[[], None]] = []

        def join(sock: Any, flags: int) -> bool:
            if not isinstance(sock, green):
                return False
            # a green socket's FD is its core's: join its watchers
            undo.append(
                sock._green.add_watcher(Watcher(loop, flags, waiter.set_result, waiter.set_result))
            )
            return True

        def watch(fileobj: Any, flags: int) -> None:
            fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
            # libev's READ and WRITE bits
            watcher = loop.io(fd, (1 if flags & POLLIN else 0) | (2 if flags & POLLOUT else 0) or 1)
            watcher.start(waiter.set_result, None)
            undo.append(watcher.close)

        watch_poll_items(self.sockets, join, watch)
        if timeout is not None:
            timer = loop.timer(timeout)
            timer.start(waiter.set_result, None)
            undo.append(timer.close)
        try:
            waiter.wait()
        finally:
            for step in undo:
                step()
