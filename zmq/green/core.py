"""gevent-cooperative Socket and Context: blocking calls wait in the gevent hub.

Every blocking operation is first tried with ``NOBLOCK``; on EAGAIN the greenlet waits
for the socket's ``ZMQ_FD`` to become readable (libzmq signals state changes on it,
edge-triggered) and re-checks ``ZMQ_EVENTS`` before trying again. ``RCVTIMEO`` /
``SNDTIMEO`` bound the total wait (then :class:`zmq.Again`), as in blocking mode; getting
or setting them warns (UserWarning), as pyzmq's zmq.green does, where they have no effect.

An operation on a socket may consume the descriptor's edge another greenlet is waiting
for, so every successful operation wakes this socket's other waiters to re-check.
"""

from __future__ import annotations

import time
import warnings
from contextlib import contextmanager
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Dict,
    Iterator,
    Optional,
    Type,
    TypeVar,
    cast,
)

import gevent
import gevent.event

import zmq
from zmq.constants import EVENTS, FD, NOBLOCK, POLLIN, POLLOUT, RCVTIMEO, SNDTIMEO
from zmq.error import Again

from .poll import _Poller

__all__ = ["TIMEOS", "_Context", "_Socket"]

_T = TypeVar("_T")

#: the options that bound a green wait, as for a blocking call (pyzmq's public name)
TIMEOS = (RCVTIMEO, SNDTIMEO)


def _deadline(timeout_ms: int) -> Optional[float]:
    """The monotonic time at which a wait of ``timeout_ms`` (-1: forever) ends."""
    return None if timeout_ms < 0 else time.monotonic() + timeout_ms / 1000


def _warn_timeo() -> None:
    # pyzmq's zmq.green ignores these options and warns; code moving between the two
    # should not rely on them, so the same warning is given here, where they do work
    warnings.warn(
        "TIMEO socket options have no effect in pyzmq's zmq.green "
        "(in this package they bound the cooperative wait)",
        UserWarning,
        stacklevel=3,
    )


class _Socket(zmq.Socket[bytes]):
    """A zmq Socket whose blocking calls yield to other greenlets (gevent).

    ``send``/``recv`` (and everything built on them) first try without blocking; while
    they cannot proceed, the greenlet waits in the gevent hub for the socket's ZMQ_FD.
    RCVTIMEO/SNDTIMEO bound the wait (then :class:`zmq.Again`), as in blocking mode;
    reading or setting them warns, as pyzmq's zmq.green does (where they have no effect).

    Parameters
    ----------
    *args, **kwargs
        As for :class:`zmq.Socket` (usually created by ``zmq.green.Context().socket()``).
    """

    _poller_class: ClassVar[Type[zmq.Poller]] = _Poller
    _repr_cls: ClassVar[Optional[str]] = "zmq.green.Socket"
    #: the Events of the greenlets waiting on this socket, with their fd watchers
    _waiters: Dict[gevent.event.Event, Any]
    _last_events: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._waiters = {}
        self._last_events = 0
        super().__init__(*args, **kwargs)

    def _wake_waiters(self) -> None:
        for waiter in list(self._waiters):
            waiter.set()

    @contextmanager
    def _watching(self, waiter: gevent.event.Event) -> Iterator[None]:
        """Set ``waiter`` when ZMQ_FD signals, or another operation may have taken the
        signal (see :meth:`_observe_events`), or the socket is closed."""
        watcher = gevent.get_hub().loop.io(cast(int, super().get(FD)), 1)
        watcher.start(waiter.set)
        self._waiters[waiter] = watcher
        try:
            yield
        finally:
            self._waiters.pop(waiter, None)
            watcher.stop()
            watcher.close()

    def close(self, linger: Optional[int] = None) -> None:
        """Close the socket; greenlets waiting on it wake up with ZMQError(ENOTSOCK).

        Parameters
        ----------
        linger : int, optional
            As for :meth:`zmq.Socket.close`.
        """
        waiters = list(self._waiters.items())
        for _, watcher in waiters:
            watcher.stop()  # before its descriptor goes away
        super().close(linger)
        for waiter, _ in waiters:
            waiter.set()

    def _observe_events(self) -> int:
        """Read ZMQ_EVENTS. Reading it may consume the descriptor's edge that another
        waiting greenlet needs, so a change since the last reading wakes the waiters."""
        events = cast(int, super().get(EVENTS))
        if events != self._last_events:
            self._last_events = events
            self._wake_waiters()
        return events

    def get(self, opt: int) -> Any:
        """Get a socket option (see :meth:`zmq.Socket.get`); reading EVENTS wakes the socket's
        other waiting greenlets if the events changed.

        Parameters
        ----------
        opt : int
            A ``zmq.SocketOption``.

        Returns
        -------
        int or bytes
            The value.
        """
        if opt == EVENTS:
            return self._observe_events()
        if opt in TIMEOS:
            _warn_timeo()
        return super().get(opt)

    def set(self, opt: int, val: Any) -> None:
        """Set a socket option (see :meth:`zmq.Socket.set`).

        Parameters
        ----------
        opt : int
            A ``zmq.SocketOption``.
        val : int or bytes
            The value.
        """
        if opt in TIMEOS:
            _warn_timeo()
        super().set(opt, val)

    def _wait_for(self, event: int, deadline: Optional[float]) -> bool:
        """Wait until ZMQ_EVENTS has ``event``; False if ``deadline`` passed first."""
        while not self._observe_events() & event:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            waiter = gevent.event.Event()
            with self._watching(waiter):
                waiter.wait(remaining)
        return True

    def _cooperate(
        self, flags: int, event: int, timeout_option: int, attempt: Callable[[int], _T]
    ) -> _T:
        """Run ``attempt(flags | NOBLOCK)`` until it does not raise Again, waiting in the
        hub in between; with NOBLOCK in ``flags`` this is a single attempt."""
        if flags & NOBLOCK:
            result = attempt(flags)
            self._wake_waiters()
            return result
        deadline: Optional[float] = None
        first = True
        while True:
            try:
                result = attempt(flags | NOBLOCK)
            except Again:
                if first:
                    deadline = _deadline(cast(int, zmq.Socket.get(self, timeout_option)))
                    first = False
                if not self._wait_for(event, deadline):
                    raise
            else:
                self._wake_waiters()
                return result

    def _send(
        self, data: Any, flags: int = 0, copy: bool = True, track: bool = False, **kwargs: Any
    ) -> Any:
        """Send one frame, waiting cooperatively while the socket cannot send."""
        send = super().send
        return self._cooperate(
            flags, POLLOUT, SNDTIMEO, lambda f: send(data, f, copy=copy, track=track, **kwargs)
        )

    def _send_multipart(self, *args: Any, **kwargs: Any) -> Any:
        """``send_multipart(msg_parts, flags=0, copy=True, track=False, **kwargs)``,
        waiting cooperatively; libzmq accepts a message's later frames once it took the
        first, so only the first can make this wait."""
        send_multipart = super().send_multipart

        def call(msg_parts: Any, flags: int = 0, copy: bool = True, **kw: Any) -> Any:
            parts = msg_parts if isinstance(msg_parts, (list, tuple)) else list(msg_parts)
            return self._cooperate(
                flags, POLLOUT, SNDTIMEO, lambda f: send_multipart(parts, f, copy, **kw)
            )

        return call(*args, **kwargs)

    def _recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        """Receive one frame, waiting cooperatively until one arrives."""
        recv = super().recv
        return self._cooperate(flags, POLLIN, RCVTIMEO, lambda f: recv(f, copy, track))

    def _recv_multipart(self, *args: Any, **kwargs: Any) -> list[Any]:
        """``recv_multipart(flags=0, copy=True, track=False)``: every frame of one
        message, waiting cooperatively for the first."""
        recv_multipart = super().recv_multipart

        def call(flags: int = 0, copy: bool = True, track: bool = False) -> list[Any]:
            return self._cooperate(
                flags, POLLIN, RCVTIMEO, lambda f: recv_multipart(f, copy, track)
            )

        return call(*args, **kwargs)

    if not TYPE_CHECKING:
        # Type checkers see zmq.Socket's signatures (bytes or Frame by ``copy``, ...),
        # which these keep.
        send = _send
        send_multipart = _send_multipart
        recv = _recv
        recv_multipart = _recv_multipart

    def recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int:
        """Receive one frame into ``buffer``, waiting cooperatively until one arrives."""
        recv_into = super().recv_into
        return self._cooperate(
            flags, POLLIN, RCVTIMEO, lambda f: recv_into(buffer, nbytes=nbytes, flags=f)
        )


def _cooperative_doc(blocking: Callable[..., Any]) -> str:
    return (
        f"{blocking.__doc__}\n"
        "With zmq.green, waiting lets other greenlets run (it waits in the gevent hub).\n"
    )


# the same calls as zmq.Socket's, so the same documentation
for _name in ("send", "recv", "send_multipart", "recv_multipart", "recv_into"):
    getattr(_Socket, _name).__doc__ = _cooperative_doc(getattr(zmq.Socket, _name))


class _Context(zmq.Context[_Socket]):
    """A Context whose sockets are gevent-cooperative :class:`_Socket` s."""

    _socket_class = _Socket
    _repr_cls: ClassVar[Optional[str]] = "zmq.green.Context"
    # its own process-wide instance, not the blocking Context's
    _instance = None
    _instance_pid = None
