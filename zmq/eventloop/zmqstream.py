"""ZMQStream: a zmq socket driven by tornado's IOLoop through callbacks.

The socket's ZMQ_FD is edge-triggered: it becomes readable when ZMQ_EVENTS may have
changed, and reading ZMQ_EVENTS re-arms it. So whenever the IOLoop reports the FD (or the
stream's interests change), the stream works through ZMQ_EVENTS until a pass makes no
progress, yielding to the loop after a bounded batch.
"""

from __future__ import annotations

import asyncio
import inspect
import pickle
import warnings
from collections import deque
from typing import Any, Callable, Literal, Optional, Sequence, cast, overload

from tornado.ioloop import IOLoop
from tornado.log import gen_log

import zmq
from zmq.constants import EVENTS, NOBLOCK, POLLIN, POLLOUT
from zmq.utils import jsonapi

__all__ = ["ZMQStream"]

# Events handled per IOLoop turn before yielding to other handlers (a busy socket would
# otherwise starve them); the remainder is picked up by a scheduled callback.
_BATCH = 64

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
        self._send_queue: deque[tuple[list[Any], dict[str, Any]]] = deque()
        self._recv_callback: Optional[RecvCallback] = None
        self._recv_copy = True
        self._send_callback: Optional[SendCallback] = None
        self._close_callback: Optional[Callable[[], Any]] = None
        self._check_scheduled = False
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
        self._recv_copy = bool(copy)
        if callback is not None:
            # messages that arrived before now raised no new edge on the FD
            self._schedule_check()

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
        if isinstance(msg, (bytes, str)) or not isinstance(msg, Sequence):
            raise TypeError(f"send_multipart needs a sequence of frames, not {type(msg).__name__}")
        kwargs.update(flags=flags, copy=copy, track=track)
        self._send_queue.append((list(msg), kwargs))
        if callback is not None:
            self.on_send(callback)
        self._schedule_check()

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
        return bool(self._send_queue)

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
        try:
            return self._process(flag, limit or None, drop_unhandled=True)
        finally:
            # the pass consumed the FD's edge (even if a callback raised): anything left
            # over must not wait for a new one
            if not self.closed():
                self._schedule_check()

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
        self._send_queue.clear()
        self._recv_callback = None
        self._send_callback = None
        callback, self._close_callback = self._close_callback, None
        if callback is not None:
            self._run_callback(callback)

    # --- event handling ----------------------------------------------------------------

    def _check_closed(self) -> None:
        if self.closed():
            raise OSError("Stream is closed")

    def _schedule_check(self) -> None:
        if not self._check_scheduled:
            self._check_scheduled = True
            self.io_loop.add_callback(self._scheduled_check)

    def _scheduled_check(self) -> None:
        self._check_scheduled = False
        if self.socket is not None:
            self._handle_events(self._fd, IOLoop.READ)

    def _handle_events(self, fd: Any, events: int) -> None:
        if self.socket is None:
            gen_log.warning("Got events for closed stream %s", self)
            return
        try:
            more = self._process(POLLIN | POLLOUT, _BATCH) >= _BATCH
        except Exception:
            # A callback raised (already logged; the IOLoop reports it too). What is still
            # queued raises no new edge on the FD: look again on the next turn.
            if self.socket is not None:
                self._schedule_check()
            raise
        if more and self.socket is not None:
            self._schedule_check()

    def _events(self) -> Optional[int]:
        """ZMQ_EVENTS now (reading it re-arms the FD), or None once the stream closed."""
        socket = self.socket
        if socket is None:
            return None
        if socket.closed:
            # closed under the stream (directly, or the socket it shadows): clean up
            gen_log.warning("Got events for stream %s attached to closed socket", self)
            self.close()
            return None
        try:
            return cast(int, socket.get(EVENTS))
        except zmq.ContextTerminated:
            # the context's term() waits for this socket: close it so that term() finishes
            gen_log.warning("Got events for stream %s after terminating context", self)
            self.close()
        except zmq.ZMQError as e:
            gen_log.error("Error getting events for %s: %s", self, e)
        return None

    def _process(self, flag: int, limit: Optional[int], drop_unhandled: bool = False) -> int:
        """Receive and send until ZMQ_EVENTS allows no more (or ``limit``): re-arms the FD.

        Receives only while a receive callback is set, unless ``drop_unhandled`` (flush):
        then messages nobody handles are received and dropped.
        """
        count = 0
        while limit is None or count < limit:
            events = self._events()
            if events is None:
                break
            progress = False
            if (
                flag & POLLIN
                and events & POLLIN
                and (drop_unhandled or self._recv_callback is not None)
            ):
                if self._handle_recv():
                    count += 1
                    progress = True
            if (
                (limit is None or count < limit)
                and flag & POLLOUT
                and events & POLLOUT
                and self._send_queue
                and self.socket is not None
            ):
                if self._handle_send():
                    count += 1
                    progress = True
            if not progress:
                break
        return count

    def _handle_recv(self) -> bool:
        callback = self._recv_callback
        try:
            frames = self.socket.recv_multipart(NOBLOCK, copy=self._recv_copy)
        except zmq.Again:
            return False
        except zmq.ZMQError as e:
            gen_log.error("RECV Error: %s", e)
            return False
        if callback is not None:
            self._run_callback(callback, frames)
        return True

    def _handle_send(self) -> bool:
        frames, kwargs = self._send_queue.popleft()
        flags = kwargs.pop("flags", 0) | NOBLOCK
        status: Any
        try:
            status = self.socket.send_multipart(frames, flags, **kwargs)
        except zmq.Again:
            # not writable after all: keep the message first in line for the next edge
            kwargs["flags"] = flags & ~NOBLOCK
            self._send_queue.appendleft((frames, kwargs))
            return False
        except zmq.ZMQError as e:
            gen_log.error("SEND Error: %s", e)
            status = e
        if self._send_callback is not None:
            self._run_callback(self._send_callback, frames, status)
        return True

    def _run_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        # Logged here, then raised on to the IOLoop, which reports it as well (as pyzmq
        # does); the stream keeps going. A coroutine's failure is logged when it ends.
        try:
            result = callback(*args)
        except Exception:
            gen_log.error(_CALLBACK_FAILED, exc_info=True)
            raise
        if inspect.isawaitable(result):
            future = asyncio.ensure_future(result)
            future.add_done_callback(_log_failure)


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
