"""Sockets whose send/recv/poll return futures, for tornado coroutines (needs tornado).

    from zmq.eventloop.future import Context
    ctx = Context()
    s = ctx.socket(zmq.PULL)
    msg = await s.recv_multipart()   # in a coroutine run by tornado's IOLoop

The same API as :mod:`zmq.asyncio`, driven by ``IOLoop.current()``. The futures are
tornado Futures (asyncio Futures), except that cancelling one resolves it with
:class:`CancelledError` (as pyzmq's do): awaiting a cancelled receive raises it.

A socket registers itself (the object, not its ZMQ_FD) with the IOLoop it is first used
on, and stays registered until it is closed: ``IOLoop.close(all_fds=True)`` then closes
the socket, never a descriptor libzmq owns.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Callable, List, Optional

from tornado.concurrent import Future
from tornado.ioloop import IOLoop

from zmq._future import _Async, _AsyncContext, _AsyncPoller, _AsyncSocket
from zmq.constants import POLLIN, POLLOUT

__all__ = ["CancelledError", "Context", "Poller", "Socket"]


class CancelledError(asyncio.CancelledError, Exception):
    """The exception of a cancelled future of this module (tornado's own futures had no
    cancellation; pyzmq's tornado sockets resolve cancelled futures with it).

    An ordinary exception, as pyzmq's, and also asyncio's CancelledError: a task whose
    awaited receive is cancelled (``task.cancel()``, ``asyncio.wait_for`` timing out)
    ends cancelled, as with any asyncio future.
    """


class _TornadoFuture(Future[Any]):
    """A tornado Future whose ``cancel()`` resolves it with :class:`CancelledError`."""

    def cancel(self, msg: Any = None) -> bool:
        if self.done():
            return False
        self.set_exception(CancelledError() if msg is None else CancelledError(msg))
        # retrieved: a cancelled future nobody awaits is not an unhandled failure
        self.exception()
        return True

    def cancelled(self) -> bool:
        return self.done() and isinstance(self.exception(), CancelledError)


class _Timeout:
    """What ``_call_later`` returns: ``cancel()`` removes the IOLoop timeout."""

    __slots__ = ("handle", "loop")

    def __init__(self, loop: IOLoop, handle: object) -> None:
        self.loop = loop
        self.handle = handle

    def cancel(self) -> None:
        self.loop.remove_timeout(self.handle)


class _AsyncTornado(_Async):
    """The event-loop hooks for tornado's IOLoop."""

    def _default_loop(self) -> IOLoop:
        # outside a running loop IOLoop.current() makes one for the thread's asyncio loop,
        # which asyncio deprecates asking for
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return IOLoop.current()

    def _loop_is_closed(self, loop: IOLoop) -> bool:
        asyncio_loop = getattr(loop, "asyncio_loop", None)
        return bool(getattr(loop, "closing", False)) or (
            asyncio_loop is not None and asyncio_loop.is_closed()
        )

    def _new_future(self, loop: IOLoop) -> _TornadoFuture:
        asyncio_loop = getattr(loop, "asyncio_loop", None)
        return _TornadoFuture(loop=asyncio_loop) if asyncio_loop is not None else _TornadoFuture()

    def _add_reader(self, loop: IOLoop, fd: Any, callback: Callable[[], None]) -> None:
        loop.add_handler(fd, lambda _fd, _events: callback(), IOLoop.READ)

    def _remove_reader(self, loop: IOLoop, fd: Any) -> None:
        _remove_handler(loop, fd)

    def _add_writer(self, loop: IOLoop, fd: Any, callback: Callable[[], None]) -> None:
        loop.add_handler(fd, lambda _fd, _events: callback(), IOLoop.WRITE)

    def _remove_writer(self, loop: IOLoop, fd: Any) -> None:
        _remove_handler(loop, fd)

    def _call_later(self, loop: IOLoop, delay: float, callback: Callable[[], None]) -> _Timeout:
        return _Timeout(loop, loop.call_later(delay, callback))

    def _call_soon(self, loop: IOLoop, callback: Callable[[], None]) -> None:
        loop.add_callback(callback)


def _remove_handler(loop: IOLoop, fd: Any) -> None:
    # a closed IOLoop has dropped its handlers already
    if not getattr(loop, "closing", False):
        loop.remove_handler(fd)


class Poller(_AsyncTornado, _AsyncPoller):
    """A Poller whose ``poll(timeout)`` returns a future; it accepts these sockets,
    ordinary zmq sockets and file descriptors."""

    def _watch_fd(
        self,
        loop: IOLoop,
        fileobj: Any,
        flags: int,
        callback: Callable[[], None],
        cleanups: List[Callable[[], None]],
    ) -> None:
        # IOLoop takes one handler per descriptor: read and write interest together
        events = (IOLoop.READ if flags & POLLIN else 0) | (IOLoop.WRITE if flags & POLLOUT else 0)
        if not events:
            return
        fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
        loop.add_handler(fileobj, lambda _fd, _events: callback(), events)
        cleanups.append(lambda: _remove_handler(loop, fd))


class Socket(_AsyncTornado, _AsyncSocket):
    """A zmq socket for tornado coroutines: ``send``/``recv``/``send_multipart``/
    ``recv_multipart``/``recv_into``/``poll`` (and the string/JSON/pickle helpers built on
    them) return futures. See :class:`zmq.Socket` for everything else."""

    _poller_class = Poller

    def _loop_changed(self, previous: Optional[IOLoop]) -> None:
        super()._loop_changed(previous)
        # registered for as long as the socket is used on this loop (see the module doc)
        if self._current_loop is not None:
            self._watch(self._current_loop)

    def _maybe_stop_watching(self) -> None:
        # stays registered while idle: the handler then only re-arms the FD
        pass


Poller._socket_class = Socket


class Context(_AsyncContext[Socket]):
    """A Context whose sockets are :class:`zmq.eventloop.future.Socket`.

    ``Context(sync_context)`` (or ``Context.shadow(address)``) wraps an existing
    context without owning it.
    """

    _socket_class = Socket
    #: deprecated, always None: sockets use the IOLoop current when they wait
    io_loop: Optional[IOLoop] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.pop("io_loop", None) is not None:
            warnings.warn(
                f"{type(self).__name__}(io_loop) is deprecated and ignored: sockets use "
                "the IOLoop that is current when they wait",
                DeprecationWarning,
                stacklevel=2,
            )
        super().__init__(*args, **kwargs)
