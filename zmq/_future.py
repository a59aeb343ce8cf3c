"""Future-returning sockets and poller, written against a few event-loop hooks.

:mod:`zmq.asyncio` supplies the hooks for asyncio (:mod:`zmq.eventloop.future` for
tornado). The edge-triggered ZMQ_FD logic (re-reading EVENTS, serving the FIFO queues
with DONTWAIT, waking watchers, ending waiters) is :mod:`zmq._evcore`'s; this module
makes futures and timers and watches the FD while something waits on it.
"""

from __future__ import annotations

from asyncio import Future
from functools import partial
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)

from zmq._evcore import EdgeCore, Request, Watcher, fail
from zmq._pollwatch import watch_poll_items
from zmq.backend import Socket as SocketBase
from zmq.backend import zmq_poll
from zmq.constants import DONTWAIT, EVENTS, POLLIN, POLLOUT, Errno, SocketOption
from zmq.error import Again, ZMQError
from zmq.sugar.context import Context, _SocketType
from zmq.sugar.frame import Frame
from zmq.sugar.poll import Poller, _ms_timeout
from zmq.sugar.socket import Socket
from zmq.sugar.tracker import MessageTracker

__all__: List[str] = []

# plain ints on the hot paths: an enum operation costs microseconds
_DONTWAIT = int(DONTWAIT)
_EVENTS = int(EVENTS)
_POLLIN = int(POLLIN)
_POLLOUT = int(POLLOUT)
_RCVTIMEO = int(SocketOption.RCVTIMEO)
_SNDTIMEO = int(SocketOption.SNDTIMEO)

_T = TypeVar("_T")
_AsyncSocketT = TypeVar("_AsyncSocketT", bound="_AsyncSocket")


class _Async:
    """Event-loop hooks shared by async sockets and pollers (overridden per loop kind)."""

    _current_loop: Any = None
    #: the current loop if its futures are plain asyncio Futures (made without hooks)
    _plain_loop: Any = None

    @staticmethod
    def _running_loop() -> Any:
        """The running loop if that is cheap to know, else None (``_get_loop`` decides)."""
        return None

    def _default_loop(self) -> Any:
        """The loop that new futures belong to (normally the running one)."""
        raise NotImplementedError

    def _get_loop(self) -> Any:
        loop = self._default_loop()
        if loop is not self._current_loop:
            previous, self._current_loop = self._current_loop, loop
            self._loop_changed(previous)
        return loop

    def _loop_changed(self, previous: Any) -> None:
        """Called when work moves to another loop (e.g. a new ``asyncio.run``)."""

    def _loop_is_closed(self, loop: Any) -> bool:
        return bool(loop.is_closed())

    def _new_future(self, loop: Any) -> Any:
        raise NotImplementedError

    def _add_reader(self, loop: Any, fd: Any, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever ``fd`` is readable. ``fd`` may be an object with
        ``fileno()`` (a socket): registering the object lets a loop that closes what is
        registered with it close the object, never a descriptor libzmq owns.
        ``_remove_reader`` is given the number."""
        raise NotImplementedError

    def _remove_reader(self, loop: Any, fd: Any) -> None:
        raise NotImplementedError

    def _add_writer(self, loop: Any, fd: Any, callback: Callable[[], None]) -> None:
        raise NotImplementedError

    def _remove_writer(self, loop: Any, fd: Any) -> None:
        raise NotImplementedError

    def _call_later(self, loop: Any, delay: float, callback: Callable[[], None]) -> Any:
        """Schedule ``callback``; returns a handle with ``cancel()``."""
        raise NotImplementedError

    def _call_soon(self, loop: Any, callback: Callable[[], None]) -> None:
        raise NotImplementedError


def _resolved(future: Any, result: Any = None, exc: Optional[BaseException] = None) -> Any:
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)
    return future


class _AsyncSocket(_Async, Socket[Future[Any]]):
    """A Socket whose send, receive and poll methods return futures instead of blocking.

    Await them (asyncio: ``msg = await sock.recv()``). Requests wait in FIFO queues, so
    concurrent receives complete in call order. A cancelled receive is removed before it
    is tried: it never consumes a message. RCVTIMEO/SNDTIMEO (ms, read when a request
    has to wait) fail it with :class:`zmq.Again`; closing the socket cancels everything
    still waiting. Everything else (options as attributes, bind, connect, ...) is
    :class:`zmq.Socket`'s.

    Parameters
    ----------
    context : Context or Socket, optional
        The context to create the socket in (blocking or async), or a socket to wrap
        (see :meth:`from_socket`).
    socket_type : int
        The socket type, e.g. ``zmq.PULL``.
    io_loop : optional
        The event loop the futures belong to (default: the running one).
    **kwargs
        As for :class:`zmq.Socket` (``shadow``, ``copy_threshold``).
    """

    _core: EdgeCore
    _fd_watch: _FdWatch
    _fd: int = -1
    _shadow_sock: SocketBase

    def __init__(
        self,
        context: Any = None,
        socket_type: int = -1,
        io_loop: Any = None,
        _from_socket: Optional[SocketBase] = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(context, SocketBase):
            context, _from_socket = None, context
        if _from_socket is not None:
            super().__init__(_from_socket, **kwargs)  # type: ignore[misc, call-overload]
        else:
            super().__init__(context, socket_type, **kwargs)  # type: ignore[misc]
        self._core = EdgeCore(
            # a partial, not a lambda: no Python frame on every read of EVENTS
            cast(Callable[[], int], partial(SocketBase.get, self, _EVENTS)),
            self._schedule_core,
            self._maybe_stop_watching,
            lambda: self.closed,
        )
        self._current_loop = io_loop
        self._fd_watch = _FdWatch()
        self._fd = self.fileno()
        # The I/O goes through a plain backend shadow: backend methods may call each
        # other (send_multipart -> send), which must not reach our future-returning ones.
        self._shadow_sock = SocketBase(shadow=self.underlying)

    @classmethod
    def from_socket(
        cls: Type[_AsyncSocketT], socket: SocketBase, io_loop: Any = None
    ) -> _AsyncSocketT:
        """An async socket over an existing socket, without taking ownership of it.

        Parameters
        ----------
        socket : Socket
            A blocking (or async) socket; it stays the owner, so close it yourself.
        io_loop : optional
            The event loop the futures belong to (default: the running one).

        Returns
        -------
        An async socket of this class sharing ``socket``'s libzmq socket.
        """
        return cls(_from_socket=socket, io_loop=io_loop)

    def close(self, linger: Optional[int] = None) -> None:
        """Close the socket; futures still waiting are cancelled.

        Parameters
        ----------
        linger : int, optional
            As for :meth:`zmq.Socket.close`.
        """
        if not self.closed:
            self._stop_watching()
            self._core.end(None)
        super().close(linger=linger)

    def get(self, key: int) -> Any:  # pyzmq names it key here (option in zmq.Socket)
        result = super().get(key)
        if key == EVENTS:
            # reading EVENTS re-arms the FD: serve waiters now, no wakeup may follow
            self._core.kick()
        return result

    # ------------------------------------------------------------------ public API

    def send(  # type: ignore[override]
        self,
        data: Any,
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        **kwargs: Any,
    ) -> Awaitable[Optional[MessageTracker]]:
        """Send one frame (see :meth:`zmq.Socket.send`) without blocking the event loop.

        Parameters
        ----------
        data : bytes, Frame or buffer-providing object
            The content of the frame.
        flags : int, optional
            ``zmq.SNDMORE``; with ``zmq.NOBLOCK`` the future fails with :class:`zmq.Again`
            at once if the frame cannot be queued now.
        copy : bool, optional
            Copy the data (default) or share its memory with libzmq.
        track : bool, optional
            With ``copy=False``, resolve to a :class:`MessageTracker`.
        **kwargs
            ``routing_id`` / ``group`` for draft sockets.

        Returns
        -------
        Future
            Resolves to None (or a MessageTracker) once libzmq queued the frame; fails with
            :class:`zmq.Again` when SNDTIMEO expires, or another :class:`zmq.ZMQError`.
        """
        return self._send(self._shadow_sock.send, data, flags, copy, track, kwargs)

    def send_multipart(  # type: ignore[override]
        self,
        msg_parts: Sequence[Any],
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        **kwargs: Any,
    ) -> Awaitable[Optional[MessageTracker]]:
        """Send a multipart message (see :meth:`zmq.Socket.send_multipart`) without blocking
        the event loop.

        Parameters
        ----------
        msg_parts : sequence of bytes, Frame or buffer-providing objects
            The frames.
        flags : int, optional
            Flags for every frame (``zmq.NOBLOCK`` fails at once instead of waiting).
        copy : bool, optional
            Copy the frames (default) or share their memory.
        track : bool, optional
            With ``copy=False``, resolve to a :class:`MessageTracker`.
        **kwargs
            ``routing_id`` / ``group`` for draft sockets.

        Returns
        -------
        Future
            Resolves to None (or a MessageTracker) once libzmq queued the whole message.
        """
        return self._send(self._shadow_sock.send_multipart, msg_parts, flags, copy, track, kwargs)

    @overload  # type: ignore[override]
    def recv(
        self, flags: int = 0, copy: Literal[True] = True, track: bool = False
    ) -> Awaitable[bytes]: ...

    @overload
    def recv(
        self, flags: int = 0, *, copy: Literal[False], track: bool = False
    ) -> Awaitable[Frame]: ...

    @overload
    def recv(self, flags: int, copy: Literal[False], track: bool = False) -> Awaitable[Frame]: ...

    @overload
    def recv(
        self, flags: int = 0, copy: bool = True, track: bool = False
    ) -> Awaitable[Union[bytes, Frame]]: ...

    def recv(
        self, flags: int = 0, copy: bool = True, track: bool = False
    ) -> Awaitable[Union[bytes, Frame]]:
        """Receive one frame (see :meth:`zmq.Socket.recv`) without blocking the event loop.

        Parameters
        ----------
        flags : int, optional
            ``zmq.NOBLOCK`` fails the future at once with :class:`zmq.Again` if nothing is
            queued.
        copy : bool, optional
            Resolve to bytes (default) or, with False, to a :class:`Frame`.
        track : bool, optional
            Give the Frame a tracker (with ``copy=False``).

        Returns
        -------
        Future
            Resolves to the frame (bytes or Frame); fails with :class:`zmq.Again` when
            RCVTIMEO expires. Cancelling it before it completes consumes nothing.
        """
        args = (flags | _DONTWAIT, copy, track)
        recv = self._shadow_sock.recv
        return self._submit(True, recv, args, None, flags)

    @overload  # type: ignore[override]
    def recv_multipart(
        self, flags: int = 0, copy: Literal[True] = True, track: bool = False
    ) -> Awaitable[list[bytes]]: ...

    @overload
    def recv_multipart(
        self, flags: int = 0, *, copy: Literal[False], track: bool = False
    ) -> Awaitable[list[Frame]]: ...

    @overload
    def recv_multipart(
        self, flags: int, copy: Literal[False], track: bool = False
    ) -> Awaitable[list[Frame]]: ...

    @overload
    def recv_multipart(
        self, flags: int = 0, copy: bool = True, track: bool = False
    ) -> Awaitable[Union[list[bytes], list[Frame]]]: ...

    def recv_multipart(
        self, flags: int = 0, copy: bool = True, track: bool = False
    ) -> Awaitable[Union[list[bytes], list[Frame]]]:
        """Receive every frame of the next message (see :meth:`zmq.Socket.recv_multipart`)
        without blocking the event loop.

        Parameters
        ----------
        flags : int, optional
            ``zmq.NOBLOCK`` fails the future at once if nothing is queued.
        copy : bool, optional
            Resolve to a list of bytes (default) or, with False, of :class:`Frame`.
        track : bool, optional
            Give each Frame a tracker (with ``copy=False``).

        Returns
        -------
        Future
            Resolves to the list of frames.
        """
        args = (flags | _DONTWAIT, copy, track)
        recv_multipart = self._shadow_sock.recv_multipart
        return self._submit(True, recv_multipart, args, None, flags)

    def recv_into(  # type: ignore[override]
        self, buf: Any, /, *, nbytes: int = 0, flags: int = 0
    ) -> Awaitable[int]:
        """Receive one frame into a writable buffer (see :meth:`zmq.Socket.recv_into`) without
        blocking the event loop.

        Parameters
        ----------
        buf : writable buffer
            Where the frame's content is written.
        nbytes : int, optional
            At most this many bytes are written (0: the size of ``buf``).
        flags : int, optional
            ``zmq.NOBLOCK`` fails the future at once if nothing is queued.

        Returns
        -------
        Future
            Resolves to the frame's full size (larger than written if it was truncated).
        """
        kwargs = {"nbytes": nbytes, "flags": flags | _DONTWAIT}
        recv_into = self._shadow_sock.recv_into
        return self._submit(True, recv_into, (buf,), kwargs, flags)

    def poll(  # type: ignore[override]
        self, timeout: Optional[float] = None, flags: int = POLLIN
    ) -> Awaitable[int]:
        """Wait, without blocking the event loop, until the socket can receive (or send).

        Parameters
        ----------
        timeout : int, optional
            Milliseconds; None (the default) or a negative value waits forever.
        flags : int, optional
            ``zmq.POLLIN`` (default), ``zmq.POLLOUT`` or both.

        Returns
        -------
        Future
            Resolves to the events that occurred (0 on timeout).

        Raises
        ------
        zmq.ZMQError
            ENOTSUP if the socket is closed.
        """
        if self.closed:
            raise ZMQError(Errno.ENOTSUP)
        loop = self._get_loop()
        future = self._new_future(loop)
        ready = cast(int, super().get(EVENTS)) & flags
        ms = _ms_timeout(timeout)
        if ready or ms == 0:
            return cast(Awaitable[int], _resolved(future, ready))
        remove = self._add_watcher(
            Watcher(
                loop,
                flags,
                lambda events: _set_if_pending(future, events),
                lambda exc: future.cancel() if exc is None else fail(future, exc),
            )
        )
        future.add_done_callback(lambda _: remove())
        if ms > 0:
            timer = self._call_later(loop, ms / 1000, lambda: _set_if_pending(future, 0))
            future.add_done_callback(lambda _: timer.cancel())
        return cast(Awaitable[int], future)

    if TYPE_CHECKING:
        # The serialising helpers are zmq.Socket's; here they return what the
        # send/recv they call return: awaitables.

        def send_string(  # type: ignore[override]
            self, u: str, flags: int = 0, copy: bool = True, encoding: str = "utf-8", **kwargs: Any
        ) -> Awaitable[Optional[MessageTracker]]: ...

        def send_pyobj(  # type: ignore[override]
            self, obj: Any, flags: int = 0, protocol: int = ..., **kwargs: Any
        ) -> Awaitable[Optional[MessageTracker]]: ...

        def send_json(  # type: ignore[override]
            self, obj: Any, flags: int = 0, **kwargs: Any
        ) -> Awaitable[Optional[MessageTracker]]: ...

        def send_serialized(  # type: ignore[override]
            self,
            msg: Any,
            serialize: Callable[[Any], Sequence[Any]],
            flags: int = 0,
            copy: bool = True,
            **kwargs: Any,
        ) -> Awaitable[Optional[MessageTracker]]: ...

        def recv_string(  # type: ignore[override]
            self, flags: int = 0, encoding: str = "utf-8"
        ) -> Awaitable[str]: ...

        def recv_pyobj(self, flags: int = 0) -> Awaitable[Any]: ...

        def recv_json(  # type: ignore[override]
            self, flags: int = 0, **kwargs: Any
        ) -> Awaitable[Any]: ...

        def recv_serialized(  # type: ignore[override]
            self, deserialize: Callable[[List[Any]], _T], flags: int = 0, copy: bool = True
        ) -> Awaitable[_T]: ...

    def _deserialize(self, recvd: Any, load: Callable[[Any], Any]) -> Any:
        """Chain ``load`` onto the receive future (recv_string, recv_json, ...)."""
        future = self._new_future(self._get_loop())

        def loaded(done: Any) -> None:
            if future.done():
                return
            if done.cancelled():
                future.cancel()
            elif done.exception() is not None:
                future.set_exception(done.exception())
            else:
                try:
                    future.set_result(load(done.result()))
                except Exception as e:
                    future.set_exception(e)

        def cancelled(outer: Any) -> None:
            if outer.cancelled():
                recvd.cancel()

        for request in self._core.recv_queue:
            if request.future is recvd:
                request.outer = future
                break
        recvd.add_done_callback(loaded)
        future.add_done_callback(cancelled)
        return future

    # ------------------------------------------------------------------ machinery

    def _send(
        self,
        operation: Callable[..., Any],
        payload: Any,
        flags: int,
        copy: bool,
        track: bool,
        kwargs: dict[str, Any],
    ) -> Any:
        if not copy:  # the shadow decides what is small enough to copy anyway
            self._shadow_sock.copy_threshold = self.copy_threshold
        args = (payload, flags | _DONTWAIT, copy, track)
        return self._submit(False, operation, args, kwargs, flags)

    def _submit(
        self,
        receive: bool,
        operation: Callable[..., Any],
        args: Tuple[Any, ...],
        kwargs: Optional[dict[str, Any]],
        flags: int,
    ) -> Any:
        """The future of ``operation(*args, **kwargs)``, a backend receive (or send) with
        DONTWAIT: done at once if nothing waits ahead of it and it succeeds now, else
        queued for the core to serve."""
        loop = self._running_loop()
        if loop is None or loop is not self._current_loop:
            loop = self._get_loop()
        future = Future(loop=loop) if loop is self._plain_loop else self._new_future(loop)
        core = self._core
        watch = self._fd_watch
        if receive:
            queue, event, timeout_option = core.recv_queue, _POLLIN, _RCVTIMEO
        else:
            queue, event, timeout_option = core.send_queue, _POLLOUT, _SNDTIMEO
        if flags & _DONTWAIT or not queue and not (watch.missed & event and self._not_ready(event)):
            # nothing ahead of it: try at once, as a blocking call would
            try:
                result = operation(*args, **kwargs) if kwargs else operation(*args)
            except Again as e:
                if flags & _DONTWAIT:
                    future.set_exception(e)
                    return future
                watch.missed |= event
                # A failed try has processed libzmq's pending commands: whatever arrives
                # later signals the FD again. Only the other queue and the watchers may
                # have been made ready without an edge.
                core.kick()
            except Exception as e:
                if self.closed:  # checked only now: on CFFI it costs a getsockopt
                    raise ZMQError(Errno.ENOTSOCK) from None
                future.set_exception(e)
                return future
            else:
                if watch.missed & event:
                    watch.missed &= ~event
                # the call may have consumed an FD edge
                if not core.scheduled and (core.recv_queue or core.send_queue or core.watchers):
                    core.kick()
                future.set_result(result)
                return future
        elif self.closed:
            raise ZMQError(Errno.ENOTSOCK)
        elif queue:
            core.schedule()
        else:
            core.kick()  # reading EVENTS processed libzmq's commands, as a failed try does
        attempt = partial(operation, *args, **kwargs) if kwargs else partial(operation, *args)
        request = _Request(future, attempt)
        queue.append(request)
        request.on_done = lambda _: core.forget(queue, request)
        future.add_done_callback(request.on_done)
        timeout: int = SocketBase.get(self, timeout_option)  # type: ignore[assignment]
        if timeout >= 0:
            request.timer = self._call_later(loop, timeout / 1000, lambda: fail(future, Again()))
        if self._fd_watch.loop is not loop:
            self._watch(loop)
        return future

    def _not_ready(self, event: int) -> bool:
        """Whether EVENTS lacks ``event``: asked when the last try of that kind failed (a
        REQ's receive, a reader that caught up), since reading EVENTS costs less than a
        failed try's exception. An error is left for the try to report."""
        try:
            events: int = SocketBase.get(self, _EVENTS)  # type: ignore[assignment]
            return not events & event
        except ZMQError:
            return False

    def _add_watcher(self, watcher: Watcher) -> Callable[[], None]:
        """Call ``watcher.ready`` whenever EVENTS shows its flags (until removed);
        returns the function that removes it."""
        self._watch(watcher.loop)
        return self._core.add_watcher(watcher)

    def _schedule_core(self) -> bool:
        if self._current_loop is None:
            return False
        self._call_soon(self._current_loop, self._core.run)
        return True

    def _watch(self, loop: Any) -> None:
        watch = self._fd_watch
        if watch.loop is not loop:
            self._stop_watching()
            self._add_reader(loop, self, self._process)
            watch.loop = loop

    def _stop_watching(self) -> None:
        watch = self._fd_watch
        loop, watch.loop = watch.loop, None
        watch.recheck = False  # a pending check on a loop that closed first
        if loop is not None:
            self._remove_reader(loop, self._fd)

    def _maybe_stop_watching(self) -> None:
        """Nothing waits: stop watching the FD, one loop turn later, so that a request
        following at once (a REQ's recv after its send) keeps the registration."""
        watch = self._fd_watch
        if watch.loop is not None and not watch.recheck:
            watch.recheck = True
            self._call_soon(watch.loop, self._unwatch_if_idle)

    def _unwatch_if_idle(self) -> None:
        self._fd_watch.recheck = False
        if not self._core.has_waiters():
            self._stop_watching()

    def _process(self) -> None:
        """The FD's handler: serve what waits (see :class:`zmq._evcore.EdgeCore`)."""
        self._core.process()

    def _loop_changed(self, previous: Any) -> None:
        # requests made on a loop that has gone away can never complete or be awaited
        self._stop_watching()
        self._core.drop(
            lambda w: (
                self._loop_is_closed(w.loop) if isinstance(w, Watcher) else w.get_loop().is_closed()
            )
        )


class _FdWatch:
    """The loop a socket's FD is registered with (or None), whether a check to
    unregister it is pending and which queues' last try failed: kept apart because every
    attribute written on a socket goes through the socket-option lookup."""

    __slots__ = ("loop", "missed", "recheck")

    def __init__(self) -> None:
        self.loop: Any = None
        self.recheck = False
        # POLLIN if the last immediate try to receive failed, POLLOUT to send
        self.missed = 0


class _Request(Request):
    """A queued request whose future tells the core when it ends elsewhere (cancelled,
    timed out) through ``on_done``, a done-callback removed when the core serves it:
    a served request needs no loop callback."""

    __slots__ = ("on_done",)

    def __init__(self, future: Any, attempt: Callable[[], Any]) -> None:
        super().__init__(future, attempt)
        self.on_done: Optional[Callable[[Any], None]] = None

    def finish(self) -> None:
        timer, on_done = self.timer, self.on_done
        if timer is not None:
            self.timer = None
            timer.cancel()
        if on_done is not None:
            self.on_done = None
            self.future.remove_done_callback(on_done)


def _set_if_pending(future: Any, result: Any) -> None:
    """Resolve ``future`` unless it is done; a result of None means "not yet"."""
    if result is not None and not future.done():
        future.set_result(result)


class _AsyncPoller(_Async, Poller):
    """A Poller whose :meth:`poll` returns a future of ``[(socket, events), ...]``."""

    #: the async socket class whose own event handling this poller joins
    _socket_class: Type[_AsyncSocket] = _AsyncSocket

    def poll(  # type: ignore[override]
        self, timeout: Optional[float] = -1
    ) -> Awaitable[List[Tuple[Any, int]]]:
        """Wait, without blocking the event loop, for events on the registered sockets.

        Parameters
        ----------
        timeout : int, optional
            Milliseconds; -1 (the default), None or a negative value waits until an event
            occurs.

        Returns
        -------
        Future
            Resolves to the same ``[(socket, events), ...]`` list as
            :meth:`zmq.Poller.poll` (empty on timeout).
        """
        loop = self._get_loop()
        future = self._new_future(loop)
        ms = _ms_timeout(timeout)
        ready = zmq_poll(self.sockets, timeout=0)
        if ready or ms == 0:
            return cast(Awaitable[List[Tuple[Any, int]]], _resolved(future, ready))
        cleanups: List[Callable[[], None]] = []

        def check(*_: Any) -> None:
            if future.done():
                return
            try:
                _set_if_pending(future, zmq_poll(self.sockets, timeout=0) or None)
            except ZMQError as e:  # e.g. a registered socket was closed
                future.set_exception(e)

        def ended(exc: Optional[BaseException]) -> None:
            fail(future, ZMQError(Errno.ENOTSOCK) if exc is None else exc)

        def join(socket: Any, flags: int) -> bool:
            if not isinstance(socket, _AsyncSocket):
                return False
            # its FD is already the socket's own: join its waiters instead
            cleanups.append(socket._add_watcher(Watcher(loop, flags, check, ended)))
            return True

        watch_poll_items(
            self.sockets,
            join,
            lambda item, flags: self._watch_fd(loop, item, flags, check, cleanups),
        )
        if ms > 0:
            cleanups.append(
                self._call_later(loop, ms / 1000, lambda: _set_if_pending(future, [])).cancel
            )

        def cleanup(_: Any) -> None:
            for undo in cleanups:
                undo()

        future.add_done_callback(cleanup)
        return cast(Awaitable[List[Tuple[Any, int]]], future)

    def _watch_fd(
        self,
        loop: Any,
        fileobj: Any,
        flags: int,
        callback: Callable[[], None],
        cleanups: List[Callable[[], None]],
    ) -> None:
        """Watch ``fileobj`` (a number or an object with ``fileno()``) for ``flags``;
        what undoes it goes to ``cleanups``."""
        fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
        if flags & POLLIN:
            self._add_reader(loop, fileobj, callback)
            cleanups.append(lambda: self._remove_reader(loop, fd))
        if flags & POLLOUT:
            self._add_writer(loop, fileobj, callback)
            cleanups.append(lambda: self._remove_writer(loop, fd))


class _AsyncContext(Context[_SocketType]):
    """A Context creating async sockets; subclasses set :attr:`_socket_class`."""

    # own process-wide instance, not the synchronous Context's
    _instance = None
    _instance_pid = None

    def __init__(
        self, io_threads: Union[int, Context[Any]] = 1, shadow: Union[Context[Any], int] = 0
    ) -> None:
        # Context's constructor is typed for blocking contexts (it makes the type of
        # ``zmq.Context()`` Context[Socket[bytes]]); this one is for async ones.
        """Create an async context (see :class:`zmq.Context`).

        Parameters
        ----------
        io_threads : int or Context, optional
            The number of I/O threads, or a Context to shadow (e.g. a blocking one, to get
            async sockets from the same libzmq context).
        shadow : Context or int, optional
            A Context, or a libzmq context address, to wrap without owning it.
        """
        super().__init__(io_threads, shadow)  # type: ignore[call-overload]
