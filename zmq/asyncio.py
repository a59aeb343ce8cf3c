"""asyncio support: sockets whose send/recv/poll return awaitable futures.

    import zmq.asyncio
    ctx = zmq.asyncio.Context()
    s = ctx.socket(zmq.PULL)
    msg = await s.recv_multipart()

The sockets watch their ZMQ_FD with ``loop.add_reader``, which asyncio's selector loops
provide. Loops without it (Windows' default ProactorEventLoop) get a selector thread
(:mod:`zmq._selector_thread`) and a ProactorSelectorThreadWarning; a
``SelectorEventLoop`` (``asyncio.WindowsSelectorEventLoopPolicy``) avoids both.
"""

from __future__ import annotations

import asyncio
import selectors
import warnings
from asyncio import SelectorEventLoop
from asyncio.events import _get_running_loop
from typing import Any, Callable, Optional

from zmq import _selector_thread
from zmq._future import _Async, _AsyncContext, _AsyncPoller, _AsyncSocket

__all__ = ["Context", "Socket", "Poller", "ZMQEventLoop", "install"]


_base_create_future = asyncio.BaseEventLoop.create_future


class ProactorSelectorThreadWarning(RuntimeWarning):
    """Warned when a loop without ``add_reader`` (Windows' ProactorEventLoop) makes the
    sockets watch their descriptors from a selector thread instead."""


class _AsyncIO(_Async):
    """The event-loop hooks for asyncio."""

    # a staticmethod: on PyPy asyncio's function is Python, which would bind
    _running_loop = staticmethod(_get_running_loop)

    def _loop_changed(self, previous: Any) -> None:
        loop = self._current_loop
        self._plain_loop = loop if type(loop).create_future is _base_create_future else None
        super()._loop_changed(previous)

    def _default_loop(self) -> asyncio.AbstractEventLoop:
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            pass
        # outside a running loop (futures awaited later): the thread's current loop
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return asyncio.get_event_loop()

    def _new_future(self, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Any]:
        if type(loop).create_future is _base_create_future:
            return asyncio.Future(loop=loop)  # what it would do, without its Python call
        return loop.create_future()

    def _add_reader(
        self, loop: asyncio.AbstractEventLoop, fd: Any, callback: Callable[[], None]
    ) -> None:
        _add_handler(loop, "reader", fd, callback)

    def _remove_reader(self, loop: asyncio.AbstractEventLoop, fd: Any) -> None:
        _remove_handler(loop, "reader", fd)

    def _add_writer(
        self, loop: asyncio.AbstractEventLoop, fd: Any, callback: Callable[[], None]
    ) -> None:
        _add_handler(loop, "writer", fd, callback)

    def _remove_writer(self, loop: asyncio.AbstractEventLoop, fd: Any) -> None:
        _remove_handler(loop, "writer", fd)

    def _call_later(
        self, loop: asyncio.AbstractEventLoop, delay: float, callback: Callable[[], None]
    ) -> asyncio.TimerHandle:
        return loop.call_later(delay, callback)

    def _call_soon(self, loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
        loop.call_soon(callback)


def _add_handler(
    loop: asyncio.AbstractEventLoop, kind: str, fd: Any, callback: Callable[[], None]
) -> None:
    """loop.add_reader/add_writer (kind), or the selector thread's if the loop lacks them.

    By number: asyncio never closes what is registered with it, and removal is by number.
    """
    if not isinstance(fd, int):
        fd = fd.fileno()
    thread = _selector_thread.for_loop(loop, create=False)
    if thread is None:
        try:
            getattr(loop, f"add_{kind}")(fd, callback)
            return
        except NotImplementedError:
            thread = _start_selector_thread(loop)
    getattr(thread, f"add_{kind}")(fd, callback)


def _remove_handler(loop: asyncio.AbstractEventLoop, kind: str, fd: Any) -> None:
    thread = _selector_thread.for_loop(loop, create=False)
    if thread is not None:
        getattr(thread, f"remove_{kind}")(fd)
    elif not loop.is_closed():
        getattr(loop, f"remove_{kind}")(fd)


def _start_selector_thread(loop: asyncio.AbstractEventLoop) -> _selector_thread.SelectorThread:
    warnings.warn(
        f"{type(loop).__name__} has no add_reader(): zmq.asyncio watches its sockets from an "
        "extra selector thread (on Windows, asyncio.WindowsSelectorEventLoopPolicy() avoids it)",
        ProactorSelectorThreadWarning,
        stacklevel=5,
    )
    thread = _selector_thread.for_loop(loop)
    assert thread is not None
    return thread


class Socket(_AsyncIO, _AsyncSocket):
    """A zmq socket for asyncio.

    ``send``, ``recv``, ``send_multipart``, ``recv_multipart``, ``recv_into`` and
    ``poll``, and the string/JSON/pickle/serialized helpers built on them, return
    asyncio futures to await::

        ctx = zmq.asyncio.Context()
        sub = ctx.socket(zmq.SUB)
        sub.subscribe(b"")
        sub.connect("tcp://127.0.0.1:5555")
        topic, body = await sub.recv_multipart()

    Created by ``zmq.asyncio.Context().socket(type)``, or with
    ``ctx.socket(type, socket_class=zmq.asyncio.Socket)`` from a blocking context.
    Everything else (options as attributes, bind, connect, close...) is
    :class:`zmq.Socket`'s; see :class:`zmq._future._AsyncSocket` for the parameters.
    """

    _repr_cls = "zmq.asyncio.Socket"


class Poller(_AsyncIO, _AsyncPoller):
    """A Poller whose ``poll(timeout)`` returns a future; it accepts async and
    ordinary zmq sockets and file descriptors."""

    _socket_class = Socket


Socket._poller_class = Poller


class Context(_AsyncContext[Socket]):
    """A Context whose sockets are :class:`zmq.asyncio.Socket`.

    ``Context(sync_context)`` (or ``Context.shadow(address)``) wraps an existing
    context without owning it.
    """

    _socket_class = Socket
    _repr_cls = "zmq.asyncio.Context"


class ZMQEventLoop(SelectorEventLoop):
    """Deprecated: any asyncio selector loop works; this is a plain SelectorEventLoop.

    Parameters
    ----------
    selector : selectors.BaseSelector, optional
        As for :class:`asyncio.SelectorEventLoop`.
    """

    def __init__(self, selector: Optional[selectors.BaseSelector] = None) -> None:
        warnings.warn(
            "ZMQEventLoop is deprecated: zmq.asyncio works with the default event loop",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(selector)


def install() -> None:
    """Deprecated no-op: zmq.asyncio needs no special event loop."""
    warnings.warn(
        "zmq.asyncio.install() is deprecated and does nothing", DeprecationWarning, stacklevel=2
    )
