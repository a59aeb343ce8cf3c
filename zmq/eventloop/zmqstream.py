"""ZMQStream: a zmq socket driven by tornado's IOLoop through callbacks.

The edge-triggered ZMQ_FD logic is :mod:`zmq._evcore`'s: the receive callback is the
core's standing consumer and queued messages are its send requests. This module adds
tornado's side (the FD handler, "call me soon") and the callback API around them.
"""

from __future__ import annotations

import asyncio
import pickle
import warnings
from collections.abc import Sequence
from functools import partial
from inspect import isawaitable
from typing import Any, Callable, Literal, Optional, cast, overload

from tornado.ioloop import IOLoop
from tornado.log import gen_log

import zmq
from zmq._evcore import Consumer, EdgeCore, Request
from zmq.constants import EVENTS, NOBLOCK, POLLIN, POLLOUT
from zmq.utils import jsonapi

__all__ = ["ZMQStream"]

# plain ints: an enum operation costs microseconds, several per message
_EVENTS = int(EVENTS)
_NOBLOCK = int(NOBLOCK)
_POLLIN = int(POLLIN)
_POLLOUT = int(POLLOUT)

RecvCallback = Callable[[list[Any]], Any]
SendCallback = Callable[[list[Any], Any], Any]


class ZMQStream:
    """Callbacks for a zmq socket's incoming messages and queued outgoing messages.

    ``on_recv(callback)`` calls ``callback(frames)`` from the IOLoop for every message
    received (a list of bytes, or of :class:`zmq.Frame` with ``copy=False``).
    ``send*`` methods queue messages that are sent when the socket is writable;
    ``on_send(callback)`` is told ``callback(frames, status)`` after each send, where status
    is what ``Socket.send_multipart`` returned (a MessageTracker or None) or the ZMQError
    it raised.

    The stream registers its socket object with the IOLoop, so ``io_loop.close(all_fds=True)``
    closes the socket (never libzmq's internal descriptor). Close the stream with
    :meth:`close`, not the socket: that unregisters it from the IOLoop first.
    """

    socket: zmq.Socket
    io_loop: IOLoop

    def __init__(self, socket: zmq.Socket, io_loop: Optional[IOLoop] = None) -> None:
        if not isinstance(socket, zmq.Socket):
            raise TypeError(f"ZMQStream needs a zmq.Socket, not {type(socket).__name__}")
        # what IOLoop.close(all_fds=True) closes: the caller's socket (a shadow's close
        # would leave an asyncio or green socket unaware that it was closed)
        registered = socket
        cls = type(socket)
        if cls is not zmq.Socket and cls.__module__.startswith("zmq."):
            # asyncio/gevent sockets return futures or block cooperatively: drive the same
            # libzmq socket through a plain shadow instead
            warnings.warn(
                "ZMQStream only supports the base zmq.Socket class; "
                f"{cls.__module__}.{cls.__qualname__} is wrapped with zmq.Socket(shadow=socket)",
                RuntimeWarning,
                stacklevel=2,
            )
            socket = zmq.Socket(shadow=socket)
        self.socket = socket
        self.io_loop = io_loop if io_loop is not None else IOLoop.current()
        self._fd = socket.fileno()
        self._recv_callback: Optional[RecvCallback] = None
        self._send_callback: Optional[SendCallback] = None
        self._close_callback: Optional[Callable[[], Any]] = None
        # The stream stays registered with the IOLoop until it is closed, so "nothing
        # waits" needs no action; reading EVENTS re-arms the FD meanwhile.
        self._core = EdgeCore(self._read_events, self._schedule, _nothing, self._is_closed)
        # old pyzmq exposed these socket methods on the stream
        self.bind = socket.bind
        self.bind_to_random_port = socket.bind_to_random_port
        self.connect = socket.connect
        self.setsockopt = socket.setsockopt
        self.getsockopt = socket.getsockopt
        self.setsockopt_string = socket.setsockopt_string
        self.getsockopt_string = socket.getsockopt_string
        self.setsockopt_unicode = socket.setsockopt_unicode
        self.getsockopt_unicode = socket.getsockopt_unicode
        # The socket object, not its ZMQ_FD: IOLoop.close(all_fds=True) then calls
        # socket.close() instead of os.close() on a descriptor libzmq owns and still uses.
        self.io_loop.add_handler(registered, self._handle_events, IOLoop.READ)

    # --- callbacks ---------------------------------------------------------------------

    @overload
    def on_recv(
        self, callback: Optional[Callable[[list[bytes]], Any]], copy: Literal[True] = ...
    ) -> None: ...

    @overload
    def on_recv(
        self, callback: Optional[Callable[[list[zmq.Frame]], Any]], copy: Literal[False]
    ) -> None: ...

    @overload
    def on_recv(self, callback: Optional[RecvCallback], copy: bool = ...) -> None: ...

    def on_recv(self, callback: Optional[RecvCallback], copy: bool = True) -> None:
        """Call ``callback(frames)`` for each message received; None stops receiving.

        Frames are bytes, or :class:`zmq.Frame` objects when ``copy`` is False.
        """
        self._check_closed()
        _check_callback(callback)
        self._recv_callback = callback
        if callback is None:
            self._core.consumer = None
            return
        self._core.consumer = self._consumer(partial(_run_callback, callback), copy)
        # messages that arrived before now raised no new edge on the FD
        self._core.schedule()

    def on_recv_stream(
        self, callback: Optional[Callable[[ZMQStream, list[Any]], Any]], copy: bool = True
    ) -> None:
        """Like :meth:`on_recv`, but the callback is called as ``callback(stream, frames)``."""
        if callback is None:
            self.on_recv(None)
            return
        stream_callback = callback
        self.on_recv(lambda frames: stream_callback(self, frames), copy=copy)

    def on_send(self, callback: Optional[SendCallback]) -> None:
        """Call ``callback(frames, status)`` after each queued message is sent; None stops.

        ``status`` is what ``Socket.send_multipart`` returned (a MessageTracker when sent
        with ``track=True`` and not copied, else None), or the ZMQError that send raised.
        """
        self._check_closed()
        _check_callback(callback)
        self._send_callback = callback

    def on_send_stream(
        self, callback: Optional[Callable[[ZMQStream, list[Any], Any], Any]]
    ) -> None:
        """Like :meth:`on_send`, called as ``callback(stream, frames, status)``."""
        if callback is None:
            self.on_send(None)
            return
        stream_callback = callback
        self.on_send(lambda frames, status: stream_callback(self, frames, status))

    def on_err(self, callback: Callable[..., Any]) -> None:
        """Deprecated no-op: errors are logged (tornado's ``tornado.general`` logger).

        Says so in that log, at warning level, as pyzmq does.
        """
        gen_log.warning(_ON_ERR_MESSAGE)

    def stop_on_recv(self) -> None:
        """Stop calling the receive callback; messages stay queued in the socket."""
        self.on_recv(None)

    def stop_on_send(self) -> None:
        """Stop calling the send callback (queued messages are still sent)."""
        self.on_send(None)

    def stop_on_err(self) -> None:
        """Deprecated no-op, like :meth:`on_err`."""
        gen_log.warning(_ON_ERR_MESSAGE)

    def set_close_callback(self, callback: Optional[Callable[[], Any]]) -> None:
        """Call ``callback()`` once when the stream is closed by :meth:`close`."""
        self._close_callback = callback

    # --- sending -----------------------------------------------------------------------

    def send_multipart(
        self,
        msg: Sequence[Any],
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        callback: Optional[SendCallback] = None,
        **kwargs: Any,
    ) -> None:
        """Queue a multipart message; it is sent from the IOLoop when the socket is writable.

        ``callback``, if given, becomes the stream's send callback (see :meth:`on_send`).
        ``kwargs`` (e.g. ``routing_id``) are passed on to ``Socket.send_multipart``.
        """
        self._check_closed()
        if not isinstance(msg, (list, tuple)) and (
            isinstance(msg, (bytes, str)) or not isinstance(msg, Sequence)
        ):
            raise TypeError(f"send_multipart needs a sequence of frames, not {type(msg).__name__}")
        frames = list(msg)
        # never tried at once, as with pyzmq: sends come from other threads too (Jupyter
        # kernels), and on_send callbacks always run from the loop
        attempt = partial(
            self.socket.send_multipart, frames, flags | _NOBLOCK, copy=copy, track=track, **kwargs
        )
        self._core.send_queue.append(Request(_Sent(self, frames), attempt))
        if callback is not None:
            self.on_send(callback)
        self._core.schedule()

    def send(
        self,
        msg: Any,
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        callback: Optional[SendCallback] = None,
        **kwargs: Any,
    ) -> None:
        """Queue a single-frame message (see :meth:`send_multipart`)."""
        self.send_multipart([msg], flags=flags, copy=copy, track=track, callback=callback, **kwargs)

    def send_string(
        self,
        u: str,
        flags: int = 0,
        encoding: str = "utf-8",
        callback: Optional[SendCallback] = None,
        **kwargs: Any,
    ) -> None:
        """Queue a str, encoded with ``encoding``."""
        if not isinstance(u, str):
            raise TypeError(f"send_string needs a str, not {type(u).__name__}")
        self.send(u.encode(encoding), flags=flags, callback=callback, **kwargs)

    send_unicode = send_string

    def send_json(
        self, obj: Any, flags: int = 0, callback: Optional[SendCallback] = None, **kwargs: Any
    ) -> None:
        """Queue ``obj`` serialized as JSON; ``kwargs`` go to the JSON encoder."""
        self.send(jsonapi.dumps(obj, **kwargs), flags=flags, callback=callback)

    def send_pyobj(
        self,
        obj: Any,
        flags: int = 0,
        protocol: int = -1,
        callback: Optional[SendCallback] = None,
        **kwargs: Any,
    ) -> None:
        """Queue ``obj`` pickled with ``protocol`` (-1: the highest)."""
        self.send(pickle.dumps(obj, protocol), flags=flags, callback=callback, **kwargs)

    # --- state -------------------------------------------------------------------------

    def receiving(self) -> bool:
        """Whether a receive callback is set."""
        return self._recv_callback is not None

    def sending(self) -> bool:
        """Whether queued messages are waiting to be sent."""
        return bool(self._core.send_queue)

    def closed(self) -> bool:
        """Whether the stream is closed (also true once its socket was closed directly)."""
        if self.socket is None:
            return True
        if self.socket.closed:
            self.close()
            return True
        return False

    def flush(self, flag: int = POLLIN | POLLOUT, limit: Optional[int] = None) -> int:
        """Handle pending receives (``POLLIN``) and queued sends (``POLLOUT``) right now.

        Stops when nothing more can be done without waiting, or after ``limit`` events
        (None or 0: no limit). With ``POLLIN``, messages are received even when no receive
        callback is set: they are then dropped, so ``flush(zmq.POLLIN)`` also empties the
        socket. Returns the number of messages received and sent.
        """
        self._check_closed()
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be None or >= 0, not {limit}")
        core = self._core
        dropper = None
        if flag & _POLLIN and core.consumer is None:
            # messages nobody handles are received and dropped
            core.consumer = dropper = self._consumer(_nothing)
        try:
            return core.drain(int(flag), limit or 0)
        finally:
            if dropper is not None and core.consumer is dropper:
                core.consumer = None
            # the pass consumed the FD's edge (even if a callback raised): anything left
            # over must not wait for a new one
            if not self.closed():
                core.schedule()

    def close(self, linger: Optional[int] = None) -> None:
        """Unregister from the IOLoop, close the socket and call the close callback."""
        socket = self.socket
        if socket is None:
            return
        if socket.closed and not getattr(self.io_loop, "closing", False):
            # (IOLoop.close(all_fds=True) closes the socket itself: nothing to warn about)
            warnings.warn(
                f"Unregistering FD {self._fd} after closing socket: the number may already "
                "belong to another file. Close the stream (stream.close()), not its socket.",
                UserWarning,
                stacklevel=2,
            )
        # by number: the socket may be closed, and then has no fileno() to look it up by
        self.io_loop.remove_handler(self._fd)
        if not socket.closed:
            socket.close(linger)
        self.socket = None  # type: ignore[assignment]
        self._core.end(None)
        self._recv_callback = None
        self._send_callback = None
        callback, self._close_callback = self._close_callback, None
        if callback is not None:
            _run_callback(callback)

    # --- event handling ----------------------------------------------------------------

    def _check_closed(self) -> None:
        if self.closed():
            raise OSError("Stream is closed")

    # The core's adapter: tornado's "watch this fd" (registered once, for the stream's
    # lifetime) and "call me soon", and the callbacks around the core's operations.

    def _handle_events(self, fd: Any, events: int) -> None:
        self._core.process()

    def _schedule(self) -> bool:
        self.io_loop.add_callback(self._core.run)
        return True

    def _is_closed(self) -> bool:
        return self.socket is None

    def _consumer(self, deliver: Callable[[list[Any]], None], copy: bool = True) -> Consumer:
        recv = self.socket.recv_multipart
        attempt = partial(recv, _NOBLOCK) if copy else partial(recv, _NOBLOCK, copy=False)
        return Consumer(attempt, deliver, self._recv_failed)

    def _read_events(self) -> int:
        """ZMQ_EVENTS now (reading it re-arms the FD); 0 once the stream closed.

        Where the futures of the other adapters fail, a stream closes itself, as
        pyzmq's does: its socket closed under it, or its context terminated.
        """
        socket = self.socket
        if socket.closed:
            # closed under the stream (directly, or the socket it shadows): clean up
            gen_log.warning("Got events for stream %s attached to closed socket", self)
            self.close()
            return 0
        try:
            return cast(int, socket.get(_EVENTS))
        except zmq.ContextTerminated:
            # the context's term() waits for this socket: close it so that term() finishes
            gen_log.warning("Got events for stream %s after terminating context", self)
            self.close()
        except zmq.ZMQError as e:
            gen_log.error("Error getting events for %s: %s", self, e)
        return 0

    def _recv_failed(self, exc: Exception) -> None:
        if not isinstance(exc, zmq.ZMQError):
            raise exc
        if self.socket is not None and self.socket.closed:
            self._read_events()  # closes the stream, saying why
        else:
            gen_log.error("RECV Error: %s", exc)


class _Sent:
    """A queued message's future, as the core sees it: its outcome (what send_multipart
    returned, or the ZMQError it raised) goes to the send callback. Closing the stream
    cancels it: then nobody is told."""

    __slots__ = ("frames", "stream")

    def __init__(self, stream: ZMQStream, frames: list[Any]) -> None:
        self.stream = stream
        self.frames = frames

    def done(self) -> bool:
        return False

    def cancel(self) -> None:
        pass

    def set_result(self, status: Any) -> None:
        if isinstance(status, BaseException):
            if not isinstance(status, zmq.ZMQError):
                raise status
            gen_log.error("SEND Error: %s", status)
        callback = self.stream._send_callback
        if callback is not None:
            _run_callback(callback, self.frames, status)

    set_exception = set_result


def _run_callback(callback: Callable[..., Any], *args: Any) -> None:
    # Logged here, then raised on to the IOLoop, which reports it as well (as pyzmq
    # does); the stream keeps going. A coroutine's failure is logged when it ends.
    try:
        result = callback(*args)
    except Exception:
        gen_log.error(_CALLBACK_FAILED, exc_info=True)
        raise
    if result is not None and isawaitable(result):
        asyncio.ensure_future(result).add_done_callback(_log_failure)


def _nothing(*args: Any) -> None:
    pass


_ON_ERR_MESSAGE = "on_err does nothing, and will be removed"
_CALLBACK_FAILED = "Uncaught exception in ZMQStream callback"


class _NotCallableError(TypeError, AssertionError):
    """A stream callback that is neither callable nor None.

    Also an AssertionError: pyzmq asserts here, and code written for it may catch that.
    """


def _check_callback(callback: object) -> None:
    if callback is not None and not callable(callback):
        raise _NotCallableError(f"callback must be callable or None, not {type(callback).__name__}")


def _log_failure(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        gen_log.error(_CALLBACK_FAILED, exc_info=future.exception())
