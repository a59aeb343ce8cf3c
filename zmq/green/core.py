"""gevent-cooperative Socket and Context: blocking calls wait in the gevent hub.

A thin adapter over :mod:`zmq._evcore`: every blocking operation is first tried with
``NOBLOCK`` (no hub switch while messages flow); only on EAGAIN is it queued on the
socket's :class:`~zmq._evcore.EdgeCore`, which the socket's ZMQ_FD watcher drives in the
hub, and the greenlet waits. The core serves queued requests in FIFO order and resolves
them from the hub, switching the outcome straight into the waiting greenlet: a greenlet
that is killed or timed out while it waits has consumed nothing. ``RCVTIMEO`` /
``SNDTIMEO`` bound a wait (then :class:`zmq.Again`), as in blocking mode; getting or
setting them warns (UserWarning), as pyzmq's zmq.green does, where they have no effect.
"""

from __future__ import annotations

import sys
import warnings
import weakref
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Deque, Optional, Type, cast

import gevent
from gevent import getcurrent

import zmq
from zmq._evcore import BATCH, EdgeCore, Request, Watcher
from zmq.backend import Socket as SocketBase
from zmq.constants import EVENTS, NOBLOCK, POLLIN, POLLOUT, RCVTIMEO, SNDTIMEO, Errno
from zmq.error import Again, ZMQError

from .poll import _Poller

__all__ = ["TIMEOS", "_Context", "_Socket"]

#: the options that bound a green wait, as for a blocking call (pyzmq's public name)
TIMEOS = (RCVTIMEO, SNDTIMEO)

# plain ints on the per-message path: an enum operation costs microseconds
_NOBLOCK = int(NOBLOCK)
_POLLIN = int(POLLIN)
_POLLOUT = int(POLLOUT)
_EVENTS = int(EVENTS)
_RCVTIMEO = int(RCVTIMEO)
_SNDTIMEO = int(SNDTIMEO)

# the backend's calls, unbound (a multipart call may call send/recv per frame: with
# NOBLOCK, which the green ones pass straight through)
_send = SocketBase.send
_send_multipart = SocketBase.send_multipart
_recv = SocketBase.recv
_recv_multipart = SocketBase.recv_multipart
_recv_into = SocketBase.recv_into
_get = SocketBase.get

_PENDING, _RESULT, _FAILED, _CANCELLED = 0, 1, 2, 3


def _warn_timeo() -> None:
    # pyzmq's zmq.green ignores these options and warns; code moving between the two
    # should not rely on them, so the same warning is given here, where they do work
    warnings.warn(
        "TIMEO socket options have no effect in pyzmq's zmq.green "
        "(in this package they bound the cooperative wait)",
        UserWarning,
        stacklevel=3,
    )


class _Wait:
    """One waiting greenlet, shaped as the future the edge core resolves.

    An outcome set in the hub (where the core runs) is switched into the greenlet at
    once, so nothing (a kill, a gevent.Timeout) can come between a received message and
    the greenlet that asked for it; one set elsewhere (close() in another greenlet)
    reaches it on the hub's next turn.
    """

    __slots__ = ("greenlet", "hub", "state", "value")

    def __init__(self, hub: Any) -> None:
        self.hub = hub
        self.greenlet: Any = getcurrent()
        self.state = _PENDING
        self.value: Any = None

    def done(self) -> bool:
        return self.state != _PENDING

    def set_result(self, value: Any) -> None:
        if not self.state:
            self.state, self.value = _RESULT, value
            self._wake()

    def set_exception(self, exc: BaseException) -> None:
        if not self.state:
            self.state, self.value = _FAILED, exc
            self._wake()

    def cancel(self) -> None:
        if not self.state:
            self.state = _CANCELLED
            self._wake()

    def _wake(self) -> None:
        if getcurrent() is self.hub:
            self._resume()
        else:
            self.hub.loop.run_callback(self._resume)

    def _resume(self) -> None:
        greenlet, self.greenlet = self.greenlet, None
        if greenlet is not None:  # None: it stopped waiting (killed, timed out) meanwhile
            try:
                greenlet.switch()
            except BaseException:
                self.hub.handle_error(greenlet, *sys.exc_info())

    def wait(self) -> Any:
        """Switch to the hub until resolved; an exception thrown into the greenlet
        meanwhile (kill, Timeout) withdraws the wait."""
        try:
            while not self.state:
                self.hub.switch()
        finally:
            self.greenlet = None
            if not self.state:
                self.state = _CANCELLED
        return self.value


class _Green:
    """The gevent side of one socket's :class:`~zmq._evcore.EdgeCore`: the hub's watcher
    of its ZMQ_FD (running while something waits), "run the core soon", and the waits.
    Kept off the socket object, whose attribute setting handles socket options."""

    __slots__ = ("core", "hub", "io", "socket", "soon", "streak")

    def __init__(self, socket: _Socket) -> None:
        # weak: a dropped socket is freed (and closed) at once, not by the cyclic GC
        self.socket = ref = weakref.ref(socket)

        def events() -> int:  # (the core asks only while the socket is open)
            return cast(int, _get(cast(_Socket, ref()), _EVENTS))

        def closed() -> bool:
            alive = ref()
            return alive is None or alive.closed

        self.core = EdgeCore(events, self.schedule, self.idle, closed)
        self.hub: Any = None
        self.io: Any = None
        self.soon: Any = None  # a zero timer
        self.streak = 0  # calls since the socket last let the hub run

    def start(self) -> Any:
        """Watch the FD (the core runs on each of its edges); returns the hub."""
        hub = self.hub
        if hub is None:
            hub = self.hub = gevent.get_hub()
            self.io = hub.loop.io(
                cast(_Socket, self.socket()).fileno(), 1
            )  # libev's READ: how ZMQ_FD signals
            self.soon = hub.loop.timer(0.0)
        if not self.io.active:
            self.io.start(self.core.process)
        return hub

    def schedule(self) -> bool:
        # a timer, not run_callback: it fires after the hub polled the descriptors, so
        # the core yielding after a batch lets other sockets' watchers run first
        if self.soon is None:
            return False
        self.soon.start(self.core.run)
        return True

    def idle(self) -> None:
        if self.io is not None:
            self.io.stop()

    def close(self) -> None:
        """Before the socket closes (its descriptor goes away)."""
        if self.io is not None:
            self.io.close()
            self.soon.close()
            self.io = self.soon = None

    def turn(self, queue: Deque[Request]) -> bool:
        """For a call that cannot simply go at once: False if others wait ahead of it
        (FIFO: it queues behind them); else, after ``BATCH`` calls in a row, the hub runs
        first, so a busy socket cannot keep the other greenlets waiting."""
        if queue:
            return False
        self.streak = 0
        hub = gevent.get_hub()
        if getcurrent() is not hub:  # (a hub callback may send, but never wait)
            with hub.loop.timer(0.0) as timer:  # after the hub polled, as in schedule()
                hub.wait(timer)
        return True

    def wait(self, queue: Deque[Request], attempt: Callable[[], Any], flag: int) -> Any:
        """Complete ``attempt`` (the operation with NOBLOCK, which just raised Again)
        cooperatively: queued on the core, the greenlet waiting in the hub until the core
        completed it, it timed out (RCVTIMEO/SNDTIMEO) or the socket closed."""
        core = self.core
        socket = cast(_Socket, self.socket())  # its caller holds it
        if not queue:
            # the failed attempt may have consumed the FD edge saying it can go now;
            # reading EVENTS tells, and re-arms the FD for the next change (once: a
            # ROUTER can show POLLOUT while the pipe to this peer is full)
            if cast(int, _get(socket, _EVENTS)) & flag:
                try:
                    result = attempt()
                except Again:
                    pass
                else:
                    core.kick()
                    return result
            core.kick()  # our reading may have consumed an edge others wait for
        self.streak = 0
        hub = self.start()
        waiter = _Wait(hub)
        request = Request(waiter, attempt)
        queue.append(request)
        timeout = cast(int, _get(socket, _RCVTIMEO if flag == _POLLIN else _SNDTIMEO))
        timer = None
        if timeout >= 0:
            timer = hub.loop.timer(timeout / 1000)
            timer.start(waiter.set_exception, Again())
        try:
            value = waiter.wait()
        finally:
            if timer is not None:
                timer.close()
            if waiter.state == _RESULT:  # the core took it off the queue
                if not core.has_waiters():
                    self.idle()
            else:
                core.forget(queue, request)
        if waiter.state == _RESULT:
            return value
        if waiter.state == _FAILED:
            raise value
        raise ZMQError(Errno.ENOTSOCK)  # cancelled: the socket was closed

    def add_watcher(self, watcher: Watcher) -> Callable[[], None]:
        """Call ``watcher.ready`` whenever EVENTS shows its flags (until removed): a green
        Poller waiting on this socket joins its core instead of watching the FD itself."""
        self.start()
        return self.core.add_watcher(watcher)


class _Socket(zmq.Socket[bytes]):
    """A zmq Socket whose blocking calls yield to other greenlets (gevent).

    ``send``/``recv`` (and everything built on them) first try without blocking; while
    they cannot proceed, the greenlet waits in the gevent hub for the socket's ZMQ_FD.
    Waiting calls complete in FIFO order. RCVTIMEO/SNDTIMEO bound the wait (then
    :class:`zmq.Again`), as in blocking mode; reading or setting them warns, as pyzmq's
    zmq.green does (where they have no effect). Closing the socket wakes its waiting
    greenlets with ``ZMQError(ENOTSOCK)``. After ``BATCH`` calls in a row that did not
    wait, the next one first lets the hub run once, so a busy socket cannot starve the
    other greenlets.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`zmq.Socket` (usually created by ``zmq.green.Context().socket()``).
    """

    _poller_class: ClassVar[Type[zmq.Poller]] = _Poller
    _repr_cls: ClassVar[Optional[str]] = "zmq.green.Socket"
    _green: _Green

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._green = _Green(self)

    def close(self, linger: Optional[int] = None) -> None:
        """Close the socket; greenlets waiting on it wake up with ZMQError(ENOTSOCK).

        Parameters
        ----------
        linger : int, optional
            As for :meth:`zmq.Socket.close`.
        """
        if self.closed:
            return
        self._green.close()
        super().close(linger)
        self._green.core.end(None)

    # ------------------------------------------------------------ options

    def get(self, opt: int) -> Any:
        """Get a socket option (see :meth:`zmq.Socket.get`).

        Parameters
        ----------
        opt : int
            A ``zmq.SocketOption``.

        Returns
        -------
        int or bytes
            The value.
        """
        if opt in TIMEOS:
            _warn_timeo()
        result = super().get(opt)
        if opt == _EVENTS:
            # reading EVENTS re-arms the FD: serve the waiters, no wakeup may follow
            self._green.core.kick()
        return result

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

    # ------------------------------------------------------------ I/O

    # Each call spells out the same few lines (try at once unless someone waits ahead;
    # on Again wait; after success kick the core if anything waits) rather than going
    # through a shared helper: a helper's extra call made a message 50% slower (570 ->
    # 830 ns per recv), and the calls of try-at-once and kick another 12% (570 -> 500).

    def _send(
        self, data: Any, flags: int = 0, copy: bool = True, track: bool = False, **kwargs: Any
    ) -> Any:
        green = self._green
        core = green.core
        queue = core.send_queue
        if flags & _NOBLOCK or (not queue and green.streak < BATCH) or green.turn(queue):
            green.streak += 1
            try:
                result = _send(self, data, flags | _NOBLOCK, copy, track, **kwargs)
            except Again:
                if flags & _NOBLOCK:
                    raise
            else:
                if core.recv_queue or core.send_queue or core.watchers:
                    core.kick()  # the call may have consumed an FD edge they wait for
                return result
        attempt = partial(_send, self, data, flags | _NOBLOCK, copy, track, **kwargs)
        return green.wait(queue, attempt, _POLLOUT)

    def _send_multipart(self, *args: Any, **kwargs: Any) -> Any:
        # (*args, **kwargs) as pyzmq's zmq.green spells it
        return self._send_frames(*args, **kwargs)

    def _send_frames(
        self, msg_parts: Any, flags: int = 0, copy: bool = True, track: bool = False, **kwargs: Any
    ) -> Any:
        # libzmq takes a message's later frames once it took the first: only that can wait
        if not isinstance(msg_parts, (list, tuple)):
            msg_parts = list(msg_parts)  # an iterator must survive a failed attempt
        green = self._green
        core = green.core
        queue = core.send_queue
        if flags & _NOBLOCK or (not queue and green.streak < BATCH) or green.turn(queue):
            green.streak += 1
            try:
                result = _send_multipart(self, msg_parts, flags | _NOBLOCK, copy, track, **kwargs)
            except Again:
                if flags & _NOBLOCK:
                    raise
            else:
                if core.recv_queue or core.send_queue or core.watchers:
                    core.kick()
                return result
        attempt = partial(_send_multipart, self, msg_parts, flags | _NOBLOCK, copy, track, **kwargs)
        return green.wait(queue, attempt, _POLLOUT)

    def _recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        green = self._green
        core = green.core
        queue = core.recv_queue
        if flags & _NOBLOCK or (not queue and green.streak < BATCH) or green.turn(queue):
            green.streak += 1
            try:
                result = _recv(self, flags | _NOBLOCK, copy, track)
            except Again:
                if flags & _NOBLOCK:
                    raise
            else:
                if core.recv_queue or core.send_queue or core.watchers:
                    core.kick()
                return result
        return green.wait(queue, partial(_recv, self, flags | _NOBLOCK, copy, track), _POLLIN)

    def _recv_multipart(self, *args: Any, **kwargs: Any) -> Any:
        return self._recv_frames(*args, **kwargs)

    def _recv_frames(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        green = self._green
        core = green.core
        queue = core.recv_queue
        if flags & _NOBLOCK or (not queue and green.streak < BATCH) or green.turn(queue):
            green.streak += 1
            try:
                result = _recv_multipart(self, flags | _NOBLOCK, copy, track)
            except Again:
                if flags & _NOBLOCK:
                    raise
            else:
                if core.recv_queue or core.send_queue or core.watchers:
                    core.kick()
                return result
        attempt = partial(_recv_multipart, self, flags | _NOBLOCK, copy, track)
        return green.wait(queue, attempt, _POLLIN)

    def _recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int:
        green = self._green
        core = green.core
        queue = core.recv_queue
        if flags & _NOBLOCK or (not queue and green.streak < BATCH) or green.turn(queue):
            green.streak += 1
            try:
                result = _recv_into(self, buffer, nbytes=nbytes, flags=flags | _NOBLOCK)
            except Again:
                if flags & _NOBLOCK:
                    raise
            else:
                if core.recv_queue or core.send_queue or core.watchers:
                    core.kick()
                return result
        attempt = partial(_recv_into, self, buffer, nbytes=nbytes, flags=flags | _NOBLOCK)
        return cast(int, green.wait(queue, attempt, _POLLIN))

    if not TYPE_CHECKING:
        # Type checkers see zmq.Socket's signatures (bytes or Frame by ``copy``, ...),
        # which these keep.
        send = _send
        send_multipart = _send_multipart
        recv = _recv
        recv_multipart = _recv_multipart
        recv_into = _recv_into


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
