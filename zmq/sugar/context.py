"""The zmq Context: creates sockets, holds default socket options, terminates cleanly."""

from __future__ import annotations

import os
import threading
from typing import Any, ClassVar, Dict, Generic, Optional, Type, TypeVar, overload
from warnings import warn
from weakref import WeakSet

from zmq.backend import Context as ContextBase
from zmq.constants import ContextOption, Errno, SocketOption
from zmq.error import ZMQError
from zmq.utils.interop import cast_int_addr

from ._shadow import Shadowable
from .attrsettr import AttributeSetter
from .socket import Socket, SyncSocket

__all__ = ["Context", "SyncContext"]

_ContextT = TypeVar("_ContextT", bound="Context[Any]")
_SocketT = TypeVar("_SocketT", bound="Socket[Any]")
#: the class of the sockets this context's socket() creates
_SocketType = TypeVar("_SocketType", bound="Socket[Any]", covariant=True)


class Context(ContextBase, Shadowable, AttributeSetter, Generic[_SocketType]):
    """A zmq context: ``ctx = zmq.Context()``, then ``ctx.socket(zmq.PUSH)``.

    ``Context(io_threads=1)``; ``Context(other_context)`` or ``Context(shadow=address)``
    wraps an existing libzmq context without owning it.

    Context options are attributes (``ctx.io_threads``, ``ctx.max_sockets``); any
    socket option set as an attribute (``ctx.linger = 0``) becomes a default applied to
    sockets created afterwards, kept in :attr:`sockopts` (``del ctx.linger`` removes it).

    ``with Context() as ctx:`` calls :meth:`destroy` on exit: sockets left open are
    closed (with a ResourceWarning), then :meth:`term` waits for pending messages as
    their LINGER allows. Garbage-collecting a context that was never terminated warns,
    closes its sockets and terminates it from a background thread, so collection never
    blocks; at interpreter exit nothing is closed or terminated implicitly.
    """

    _option_enums = (ContextOption, SocketOption)
    #: the class of sockets :meth:`socket` creates (async integrations override it)
    _socket_class: ClassVar[Type[Socket]] = Socket
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

    def __del__(self) -> None:
        if not self._needs_finalizing():
            return
        warn(f"Unclosed context {self!r}", ResourceWarning, stacklevel=2, source=self)
        self._close_sockets(None, warn_open=True)
        # term() waits for pending messages (LINGER); never make the collecting thread
        # (which may hold locks) wait for that: terminate from a daemon thread instead.
        threading.Thread(target=self.term, name="zmq-context-term", daemon=True).start()

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
        """Wrap the libzmq context of a pyczmq ``zctx_t``."""
        from pyczmq import zctx  # type: ignore[import-not-found]

        return cls(shadow=cast_int_addr(zctx.underlying(ctx)))

    @classmethod
    def instance(cls: Type[_ContextT], io_threads: int = 1) -> _ContextT:
        """The process-wide shared Context of this class, created on first use.

        A new one is created if the previous one was closed, and in a forked child
        (a child must never use its parent's context).
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
    def socket(self, socket_type: int, socket_class: None = None, **kwargs: Any) -> Socket: ...

    @overload
    def socket(self, socket_type: int, socket_class: Type[_SocketT], **kwargs: Any) -> _SocketT: ...

    def socket(
        self, socket_type: int, socket_class: Optional[Type[Any]] = None, **kwargs: Any
    ) -> Any:
        """Create a socket of ``socket_type`` (``zmq.PUSH``, ...).

        ``socket_class`` defaults to :attr:`_socket_class`; ``kwargs`` go to its
        constructor. Default options from :attr:`sockopts` are applied, silently
        skipping those that do not apply to this socket type.
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
        """Close every socket of this context (with ``linger``, if given), then
        :meth:`term`. Only safe when no other thread is using those sockets."""
        if self.closed:
            return
        self._close_sockets(linger, warn_open=self._warn_destroy_close)
        self.term()

    # ------------------------------------------------------------------ default socket options

    def setsockopt(self, opt: int, value: Any) -> None:
        """Set a default socket option for sockets created later."""
        self.sockopts[opt] = value

    def getsockopt(self, opt: int) -> Any:
        """Get a default socket option (KeyError if unset)."""
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
