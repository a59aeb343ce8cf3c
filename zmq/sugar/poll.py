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
    """Wait for events on several sockets at once.

    Register zmq sockets, integer file descriptors or objects with a ``fileno()``
    method, then call :meth:`poll`::

        poller = zmq.Poller()
        poller.register(frontend, zmq.POLLIN)
        poller.register(backend, zmq.POLLIN)
        events = dict(poller.poll(1000))
        if events.get(frontend) == zmq.POLLIN:
            msg = frontend.recv_multipart()
    """

    def __init__(self) -> None:
        self.sockets: List[Tuple[Any, int]] = []
        self._map: dict[Any, int] = {}

    def __contains__(self, socket: Any) -> bool:
        return socket in self._map

    def register(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Poll a socket (or fd) for events; registering it again replaces its events.

        Parameters
        ----------
        socket : Socket, int or object with ``fileno()``
            What to poll.
        flags : int, optional
            ``zmq.POLLIN``, ``zmq.POLLOUT`` (both by default), ``zmq.POLLERR`` (fds only),
            or 0 to unregister it (if registered).
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
        """Change the events polled for a registered socket; the same as :meth:`register`.

        Parameters
        ----------
        socket : Socket, int or object with ``fileno()``
            A registered item.
        flags : int, optional
            The new events (``zmq.POLLIN | zmq.POLLOUT`` by default).
        """
        self.register(socket, flags)

    def unregister(self, socket: Any) -> None:
        """Stop polling a socket.

        Parameters
        ----------
        socket : Socket, int or object with ``fileno()``
            A registered item.

        Raises
        ------
        KeyError
            If ``socket`` is not registered.
        """
        index = self._map.pop(socket)
        del self.sockets[index]
        for other, _ in self.sockets[index:]:
            self._map[other] -= 1

    def poll(self, timeout: Optional[float] = None) -> List[Tuple[Any, int]]:
        """Wait for events on the registered sockets.

        Parameters
        ----------
        timeout : int, optional
            Milliseconds to wait; None (the default) or a negative value waits until an
            event occurs, 0 returns at once.

        Returns
        -------
        list of (socket, int)
            Each registered item with events, as registered (the socket or fd object), with
            the events that occurred (``zmq.POLLIN | zmq.POLLOUT | zmq.POLLERR`` bits). Empty
            on timeout. ``dict(poller.poll())`` maps items to events.

        Raises
        ------
        zmq.ZMQError
            E.g. ENOTSOCK if a registered socket was closed; ETERM if its context was
            terminated.
        """
        return zmq_poll(self.sockets, timeout=_ms_timeout(timeout))


def select(
    rlist: Sequence[Any],
    wlist: Sequence[Any],
    xlist: Sequence[Any],
    timeout: Optional[float] = None,
) -> Tuple[List[Any], List[Any], List[Any]]:
    """Like :func:`select.select`, for zmq sockets and file descriptors.

    Parameters
    ----------
    rlist : sequence
        Sockets (or fds) to wait for until they can receive (POLLIN).
    wlist : sequence
        Sockets (or fds) to wait for until they can send (POLLOUT).
    xlist : sequence
        Sockets (or fds) to check for errors (POLLERR).
    timeout : float, optional
        Seconds to wait (unlike :meth:`Poller.poll`, which takes milliseconds); None
        waits forever.

    Returns
    -------
    (rlist, wlist, xlist) : tuple of lists
        The items of each list that are ready.
    """
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
