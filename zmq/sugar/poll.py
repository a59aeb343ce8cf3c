"""Poller and select(): wait for events on zmq sockets and plain file descriptors."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from zmq.backend import zmq_poll
from zmq.constants import POLLERR, POLLIN, POLLOUT

__all__ = ["Poller", "select"]


def _ms_timeout(timeout: Optional[float]) -> int:
    """Poll timeouts are milliseconds; None or negative means wait forever (-1)."""
    if timeout is None or timeout < 0:
        return -1
    return int(timeout)


class Poller:
    """Wait on several sockets (zmq sockets, fds or objects with ``fileno()``) at once."""

    def __init__(self) -> None:
        self.sockets: List[Tuple[Any, int]] = []
        self._map: dict[Any, int] = {}

    def __contains__(self, socket: Any) -> bool:
        return socket in self._map

    def register(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Poll ``socket`` for ``flags``; registering again replaces its flags.

        ``flags=0`` unregisters it (if registered).
        """
        if not flags:
            if socket in self._map:
                self.unregister(socket)
            return
        index = self._map.get(socket)
        if index is None:
            self._map[socket] = len(self.sockets)
            self.sockets.append((socket, flags))
        else:
            self.sockets[index] = (socket, flags)

    def modify(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Change the flags of a registered socket (same as :meth:`register`)."""
        self.register(socket, flags)

    def unregister(self, socket: Any) -> None:
        """Stop polling ``socket``; KeyError if it is not registered."""
        index = self._map.pop(socket)
        del self.sockets[index]
        for other, _ in self.sockets[index:]:
            self._map[other] -= 1

    def poll(self, timeout: Optional[float] = None) -> List[Tuple[Any, int]]:
        """Wait up to ``timeout`` ms (None: forever) and return ``[(socket, events), ...]``
        for every registered socket with events."""
        return zmq_poll(self.sockets, timeout=_ms_timeout(timeout))


def select(
    rlist: Sequence[Any],
    wlist: Sequence[Any],
    xlist: Sequence[Any],
    timeout: Optional[float] = None,
) -> Tuple[List[Any], List[Any], List[Any]]:
    """Like :func:`select.select` for zmq sockets and fds; ``timeout`` is in seconds."""
    ms = -1 if timeout is None else _ms_timeout(timeout * 1000)
    items: dict[Any, int] = {}
    for sockets, flag in ((rlist, POLLIN), (wlist, POLLOUT), (xlist, POLLERR)):
        for s in sockets:
            items[s] = items.get(s, 0) | flag
    ready = zmq_poll(list(items.items()), ms)
    readable = [s for s, events in ready if events & POLLIN]
    writable = [s for s, events in ready if events & POLLOUT]
    errored = [s for s, events in ready if events & POLLERR]
    return readable, writable, errored
