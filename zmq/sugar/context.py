"""The zmq Context: creates sockets, holds default socket options, terminates cleanly."""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any, Callable, ClassVar, Dict, Generic, Optional, Type, TypeVar, overload
from warnings import warn
from weakref import WeakSet

from zmq.backend import Context as ContextBase
from zmq.constants import ContextOption, Errno, SocketOption
from zmq.error import ZMQError
from zmq.utils.interop import cast_int_addr

from ._backend_docs import CONTEXT as _CONTEXT_DOCS
from ._backend_docs import document
from ._shadow import Shadowable
from .attrsettr import AttributeSetter, OptValT
from .socket import Socket, SyncSocket

__all__ = ["Context", "SyncContext"]

#: every Context this process owns and has not terminated (for the exit hook)
_open_contexts: WeakSet[Any] = WeakSet()


def _term_at_exit() -> None:
    """Terminate the contexts still open at exit whose sockets all have a finite
    LINGER, as term() would: their queued messages are sent, not lost with the
    process. An infinite LINGER could make exit wait forever: those are left alone."""
    for ctx in list(_open_contexts):
        try:
            if ctx.closed or ctx._shadow or ctx._pid != os.getpid():
                continue
            sockets = [s for s in list(ctx._sockets) if not s.closed]
            if any(s.get(SocketOption.LINGER) < 0 for s in sockets):
                continue
            ctx._shutdown()  # threads still blocked in its sockets let go first
            for s in sockets:
                s.close()
            ctx.term()
        except Exception:  # exit goes on whatever one context does
            pass


atexit.register(_term_at_exit)

document(ContextBase, _CONTEXT_DOCS)

_ContextT = TypeVar("_ContextT", bound="Context[Any]")
_SocketT = TypeVar("_SocketT", bound="Socket[Any]")
#: the class of the sockets this context's socket() creates
_SocketType = TypeVar("_SocketType", bound="Socket[Any]", covariant=True)


class Context(ContextBase, Shadowable, AttributeSetter, Generic[_SocketType]):
    """A ZeroMQ context: it creates sockets and runs their I/O threads.

    Usually one per process: ``zmq.Context.instance()`` gives a shared one. A context may
    be used from any thread; its sockets should each be used by one thread at a time.

    Context options are attributes (``ctx.io_threads``, ``ctx.max_sockets``); any socket
    option set as an attribute (``ctx.linger = 0``) becomes a default applied to sockets
    created afterwards, kept in :attr:`sockopts` (``del ctx.linger`` removes it).

    ``with zmq.Context() as ctx:`` calls :meth:`destroy` on exit: sockets left open are
    closed (with a ResourceWarning), then :meth:`term` waits for pending messages as
    their LINGER allows. Garbage-collecting a context that was never terminated warns,
    closes its sockets and terminates it there and then, like :meth:`term`: queued
    messages are delivered as their LINGER allows. At interpreter exit, a context still
    open whose sockets all have a finite LINGER is terminated the same way (its queued
    messages are not lost); one with an infinite LINGER is left alone, so exit never
    waits forever.

    .. versionadded:: 25
        ``Context(other_context)`` shadows ``other_context``.

    Parameters
    ----------
    io_threads : int or Context, optional
        The number of I/O threads (default 1); or a Context to shadow.
    shadow : Context or int, optional
        A Context, or the integer address of a libzmq context, to wrap without owning
        it: the shadow never terminates it.

    Raises
    ------
    zmq.ZMQError
        EINVAL for a negative number of I/O threads.
    """

    _option_enums = (ContextOption, SocketOption)
    #: the class of sockets :meth:`socket` creates (async integrations override it)
    _socket_class: Type[_SocketType] = Socket  # type: ignore[assignment]
    _instance: ClassVar[Optional[Any]] = None
    _instance_pid: ClassVar[Optional[int]] = None
    _instance_lock: ClassVar[threading.Lock] = threading.Lock()
    _warn_destroy_close: bool = False
    _sockets: WeakSet[Any]
    #: default socket options, applied to each new socket
    sockopts: Dict[int, Any]

    @overload
    def __init__(self: SyncContext, io_threads: int = 1) -> None: ...

    @overload
    def __init__(self: SyncContext, io_threads: Context[Any], /) -> None: ...

    @overload
    def __init__(self: SyncContext, *, shadow: Context[Any] | int) -> None: ...

    def __init__(self, io_threads: Any = 1, shadow: Any = 0) -> None:
        if isinstance(io_threads, ContextBase):
            shadow, io_threads = io_threads, 1
        address = 0
        if shadow:
            self._shadow_obj = shadow  # keep what we shadow alive
            address = (
                shadow.underlying if isinstance(shadow, ContextBase) else cast_int_addr(shadow)
            )
        super().__init__(io_threads=io_threads, shadow=address)
        self._mark_owner(bool(address))
        self.sockopts = {}
        self._sockets = WeakSet()
        if not address:
            _open_contexts.add(self)

    def __del__(self) -> None:
        if not self._needs_finalizing():
            return
        warn(f"Unclosed context {self!r}", ResourceWarning, stacklevel=2, source=self)
        self._close_sockets(None, warn_open=True)
        if self._n_sockets:
            # sockets collected in the same cycle are closed after this finalizer:
            # term() here would wait for them forever
            threading.Thread(target=self.term, name="zmq-context-term", daemon=True).start()
            return
        # like an explicit term(): pending messages go out as their LINGER allows
        # before the program goes on (or exits), as in pyzmq
        self.term()

    def __repr__(self) -> str:
        name = self._repr_name()
        n = len(getattr(self, "_sockets", ()))
        sockets = f"{n} socket{'s' if n != 1 else ''}" if n else ""
        closed = " closed" if self.closed else ""
        return f"<{name}({sockets}) at {hex(id(self))}{closed}>"

    _repr_cls: ClassVar[Optional[str]] = "zmq.Context"

    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None:
        self._warn_destroy_close = True
        self.destroy()

    @classmethod
    def shadow_pyczmq(cls: Type[_ContextT], ctx: Any) -> _ContextT:
        """Wrap the libzmq context of a pyczmq ``zctx_t`` without owning it.

        .. versionadded:: 14.1

        Parameters
        ----------
        ctx : pyczmq.zctx
            The pyczmq context.

        Returns
        -------
        Context
            A shadow of its libzmq context.
        """
        from pyczmq import zctx  # type: ignore[import-not-found]

        return cls(shadow=cast_int_addr(zctx.underlying(ctx)))

    @classmethod
    def instance(cls: Type[_ContextT], io_threads: int = 1) -> _ContextT:
        """The process-wide shared Context of this class, created on first use.

        A new one is created if the previous one was terminated, and in a forked child (a
        child must never use its parent's context). Thread-safe. Libraries that take an
        optional context default to this one: ``context or zmq.Context.instance()``.

        Parameters
        ----------
        io_threads : int, optional
            I/O threads for a context created by this call (ignored when it exists).

        Returns
        -------
        Context
            The shared instance (an instance of ``cls``: ``zmq.asyncio.Context.instance()``
            is an asyncio context, distinct from ``zmq.Context.instance()``).
        """
        inst = cls._instance
        if inst is None or inst.closed or cls._instance_pid != os.getpid():
            with cls._instance_lock:
                inst = cls._instance
                if inst is None or inst.closed or cls._instance_pid != os.getpid():
                    inst = cls(io_threads=io_threads)
                    cls._instance = inst
                    cls._instance_pid = os.getpid()
        return inst

    # ------------------------------------------------------------------ sockets

    def _add_socket(self, socket: Any) -> None:
        self._sockets.add(socket)

    def _rm_socket(self, socket: Any) -> None:
        sockets = getattr(self, "_sockets", None)
        if sockets is not None:
            sockets.discard(socket)

    @overload
    def socket(self, socket_type: int, socket_class: None = None, **kwargs: Any) -> _SocketType: ...

    @overload
    def socket(
        self, socket_type: int, socket_class: Callable[..., _SocketT], **kwargs: Any
    ) -> _SocketT: ...

    def socket(
        self, socket_type: int, socket_class: Optional[Callable[..., Any]] = None, **kwargs: Any
    ) -> Any:
        """Create a Socket in this context.

        Default options set on the context (:meth:`setsockopt`, or attributes such as
        ``ctx.linger = 0``) are applied to it, silently skipping those that do not apply to
        its type.

        .. versionadded:: 25
            ``socket_class``.

        Parameters
        ----------
        socket_type : int
            ``zmq.REQ``, ``zmq.REP``, ``zmq.PUB``, ``zmq.SUB``, ``zmq.PUSH``, ``zmq.PULL``,
            ``zmq.ROUTER``, ``zmq.DEALER``, ``zmq.PAIR``, ``zmq.XPUB``, ``zmq.XSUB``,
            ``zmq.STREAM``, ...
        socket_class : type, optional
            The class to instantiate, instead of this context's default (e.g.
            ``zmq.asyncio.Socket`` for an asyncio socket from a blocking context, or a
            ``zmq.Socket`` subclass of your own).
        **kwargs
            Passed to the socket class (e.g. ``copy_threshold``).

        Returns
        -------
        Socket
            The new socket: ``zmq.Socket`` for a blocking context, ``zmq.asyncio.Socket``
            for ``zmq.asyncio.Context``, or an instance of ``socket_class``.

        Raises
        ------
        zmq.ZMQError
            ENOTSUP if the context is terminated, EINVAL for an unknown socket type, EMFILE
            when the context has MAX_SOCKETS sockets.
        """
        if self.closed:
            raise ZMQError(Errno.ENOTSUP)
        cls = self._socket_class if socket_class is None else socket_class
        s = cls(self, socket_type, **kwargs)
        try:
            for option, value in self.sockopts.items():
                try:
                    s.set(option, value)
                except ZMQError:
                    pass  # e.g. SUBSCRIBE on a PUSH socket
        except BaseException:  # e.g. a default of the wrong type: no half-made socket
            s.close(linger=0)
            raise
        return s

    def _close_sockets(self, linger: Optional[int], warn_open: bool) -> None:
        for s in list(self._sockets):
            if s.closed:
                continue
            if warn_open:
                warn(
                    f"Destroying context with unclosed socket {s!r}",
                    ResourceWarning,
                    stacklevel=3,
                    source=s,
                )
            s.close(linger=linger)

    def destroy(self, linger: Optional[int] = None) -> None:
        """Close every socket of this context, then terminate it (:meth:`term`).

        Safe while other threads block in calls on those sockets (send, recv, poll,
        proxy...): the context is shut down first, so each of those calls raises
        ContextTerminated, and a socket is closed only once no thread is inside a call
        on it. Does nothing if the context is already terminated.

        Parameters
        ----------
        linger : int, optional
            LINGER (ms) for the sockets closed here; by default each keeps its own.
        """
        if self.closed:
            return
        if linger is not None:
            for s in list(self._sockets):
                if not s.closed:
                    try:
                        s.set(SocketOption.LINGER, linger)
                    except ZMQError:
                        pass  # the context is already shutting down
        self._shutdown()
        self._close_sockets(linger, warn_open=self._warn_destroy_close)
        self.term()

    # ------------------------------------------------------------------ default socket options

    def setsockopt(self, opt: int, value: Any) -> None:
        """Set a default socket option, applied to sockets created afterwards.

        Sockets that exist already are not changed. Equivalent to setting the option as an
        attribute of the context (``ctx.linger = 0``).

        .. versionadded:: 13.0

        Parameters
        ----------
        opt : int
            A ``zmq.SocketOption``.
        value : int, bytes or str
            The value, as for :meth:`Socket.set`.
        """
        self.sockopts[opt] = value

    def getsockopt(self, opt: int) -> OptValT:
        """Get a default socket option set with :meth:`setsockopt`.

        .. versionadded:: 13.0

        Parameters
        ----------
        opt : int
            A ``zmq.SocketOption``.

        Returns
        -------
        int, bytes or str
            The default.

        Raises
        ------
        KeyError
            If no default is set for ``opt``.
        """
        return self.sockopts[opt]

    def _set_attr_opt(self, name: str, option: int, value: Any) -> None:
        if name in ContextOption.__members__:
            self.set(option, value)
        else:
            self.sockopts[option] = value

    def _get_attr_opt(self, name: str, option: int) -> Any:
        if name in ContextOption.__members__:
            return self.get(option)
        try:
            return self.sockopts[option]
        except KeyError:
            raise AttributeError(f"no default socket option {name} is set") from None

    def _del_attr_opt(self, name: str, option: int) -> None:
        if name in ContextOption.__members__ or option not in self.sockopts:
            raise AttributeError(f"no default socket option {name} is set")
        del self.sockopts[option]


#: the blocking context type, as annotations name it
SyncContext = Context[SyncSocket]
