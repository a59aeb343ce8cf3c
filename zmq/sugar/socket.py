"""The zmq Socket: the backend socket plus options as attributes and convenience methods.

The hot path (``send``, ``recv``, ``send_multipart``, ``recv_multipart``, ``recv_into``)
is the backend's own and is deliberately not overridden here.
"""

from __future__ import annotations

import errno
import itertools
import pickle
import random
from typing import (
    Any,
    Callable,
    ClassVar,
    Generic,
    List,
    Optional,
    Sequence,
    Type,
    TypeVar,
    Union,
    cast,
)
from warnings import warn

from zmq.backend import Socket as SocketBase
from zmq.constants import (
    _OPTION_TYPES,
    EVENT_ALL,
    POLLIN,
    Errno,
    SocketOption,
    SocketType,
)
from zmq.error import ZMQBindError, ZMQError
from zmq.utils import jsonapi
from zmq.utils.interop import cast_int_addr

from ._shadow import Shadowable
from .attrsettr import AttributeSetter
from .poll import Poller

__all__ = ["Socket", "SyncSocket"]

DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL

_monitor_ids = itertools.count()

_SocketT = TypeVar("_SocketT", bound="Socket")
_T = TypeVar("_T")


class _SocketContext(Generic[_SocketT]):
    """Returned by bind/connect: ``with sock.bind(url):`` unbinds (disconnects) on exit."""

    def __init__(self, socket: _SocketT, kind: str, addr: str) -> None:
        self.socket = socket
        self.kind = kind
        self.addr = addr

    def __repr__(self) -> str:
        return f"<SocketContext({self.kind}={self.addr!r})>"

    def __enter__(self) -> _SocketT:
        return self.socket

    def __exit__(self, *exc_info: object) -> None:
        if self.socket.closed:
            return
        if self.kind == "bind":
            self.socket.unbind(self.addr)
        else:
            self.socket.disconnect(self.addr)


class Socket(SocketBase, Shadowable, AttributeSetter):
    """A zmq socket; create one with ``ctx.socket(zmq.PUSH)``.

    ``Socket(ctx, socket_type)`` also works with any Context (sugar or backend), and
    ``Socket(other_socket)`` or ``Socket(shadow=address)`` wraps an existing socket
    without owning it.

    Every socket option is an attribute (``s.linger = 0``, ``s.rcvtimeo``,
    ``s.last_endpoint``); unknown names raise AttributeError.
    """

    _option_enums = (SocketOption,)
    _monitor_socket: Optional[Socket] = None
    _type_name: str = "UNKNOWN"
    _poller_class: ClassVar[Type[Poller]] = Poller
    _repr_cls: ClassVar[Optional[str]] = "zmq.Socket"
    _socket_type: int

    def __init__(
        self,
        ctx_or_socket: Any = None,
        socket_type: int = 0,
        *,
        shadow: Any = 0,
        copy_threshold: Optional[int] = None,
    ) -> None:
        shadow_context = None
        if isinstance(ctx_or_socket, SocketBase):
            shadow, ctx_or_socket = ctx_or_socket, None
        address = 0
        if shadow:
            self._shadow_obj = shadow  # keep what we shadow alive
            if isinstance(shadow, SocketBase):
                shadow_context = shadow.context
                address = shadow.underlying
            else:
                address = cast_int_addr(shadow)
        super().__init__(ctx_or_socket, socket_type, shadow=address, copy_threshold=copy_threshold)
        self._mark_owner(bool(address))
        add_socket = getattr(self.context, "_add_socket", None)
        if add_socket is not None and not address:
            add_socket(self)  # so that Context.destroy() can close it
        if shadow_context is not None:
            self.context = shadow_context
        stype: int = super().type
        try:
            stype = SocketType(stype)
        except ValueError:  # a type newer than our constants
            self._type_name = str(stype)
        else:
            self._type_name = stype.name
        self._socket_type = stype

    @property
    def type(self) -> int:
        """The socket type: a SocketType member (an int for types newer than ours)."""
        return self._socket_type

    @property
    def socket_type(self) -> int:
        """Deprecated alias of :attr:`type`."""
        warn("Socket.socket_type is deprecated, use Socket.type", DeprecationWarning, stacklevel=2)
        return self._socket_type

    def __del__(self) -> None:
        # Never blocks (zmq_close returns at once) and does nothing at interpreter exit
        # or in a forked child, where the socket belongs to the parent.
        if self._needs_finalizing():
            warn(f"Unclosed socket {self!r}", ResourceWarning, stacklevel=2, source=self)
            self.close()

    def __repr__(self) -> str:
        name = self._repr_name()
        closed = " closed" if self.closed else ""
        return f"<{name}(zmq.{self._type_name}) at {hex(id(self))}{closed}>"

    def __exit__(self, *args: object, **kwargs: object) -> None:
        self.close()

    def close(self, linger: Optional[int] = None) -> None:
        """Close the socket; ``linger`` (ms) overrides LINGER for pending messages.

        Never blocks: pending messages are delivered (or dropped after LINGER) by the
        context's I/O thread, and ``Context.term`` waits for them.
        """
        context = self.context
        if context is not None:
            rm_socket = getattr(context, "_rm_socket", None)
            if rm_socket is not None:
                rm_socket(self)
        super().close(linger=linger)

    # ------------------------------------------------------------------ bind/connect

    def bind(self: _SocketT, addr: Union[str, bytes]) -> _SocketContext[_SocketT]:
        """Bind to ``addr`` (``tcp://127.0.0.1:*`` picks a free port; see
        ``last_endpoint``). Returns a context manager that unbinds on exit."""
        super().bind(addr)  # errors name the address: "... (addr='tcp://...')"
        url = addr.decode() if isinstance(addr, bytes) else addr
        try:
            # the real endpoint, so that `with s.bind("tcp://...:*")` unbinds it
            url = cast(bytes, self.get(SocketOption.LAST_ENDPOINT)).decode()
        except (ZMQError, UnicodeDecodeError):
            pass
        return _SocketContext(self, "bind", url)

    def connect(self: _SocketT, addr: Union[str, bytes]) -> _SocketContext[_SocketT]:
        """Connect to ``addr``. Returns a context manager that disconnects on exit."""
        super().connect(addr)
        return _SocketContext(self, "connect", addr.decode() if isinstance(addr, bytes) else addr)

    def bind_to_random_port(
        self,
        addr: str,
        min_port: int = 49152,
        max_port: int = 65536,
        max_tries: int = 100,
    ) -> int:
        """Bind to a free port of ``addr`` (e.g. ``"tcp://127.0.0.1"``) and return it.

        With the default range the system picks the port; an explicit
        ``[min_port, max_port)`` range is tried at random up to ``max_tries`` times,
        skipping ports in use or not permitted. Raises ZMQBindError if none worked.
        """
        if min_port == 49152 and max_port == 65536:
            self.bind(f"{addr}:*")
            url = cast(bytes, self.get(SocketOption.LAST_ENDPOINT)).decode("ascii", "replace")
            return int(url.rsplit(":", 1)[1])
        for _ in range(max_tries):
            port = random.randrange(min_port, max_port)
            try:
                self.bind(f"{addr}:{port}")
            except ZMQError as e:
                if e.errno in (errno.EADDRINUSE, errno.EACCES):
                    continue
                raise
            return port
        raise ZMQBindError(f"Could not bind socket to a random port in [{min_port}, {max_port})")

    # ------------------------------------------------------------------ options

    def setsockopt(self, option: int, optval: Any) -> None:
        """Set a socket option (same as :meth:`set`)."""
        self.set(option, optval)

    def getsockopt(self, option: int) -> Any:
        """Get a socket option (same as :meth:`get`)."""
        return self.get(option)

    def set_string(self, option: int, optval: str, encoding: str = "utf-8") -> None:
        """Set a bytes option from a str, encoded with ``encoding``."""
        if not isinstance(optval, str):
            raise TypeError(f"str only, not {type(optval).__name__}: {optval!r}")
        self.set(option, optval.encode(encoding))

    setsockopt_string = setsockopt_unicode = set_string

    def get_string(self, option: int, encoding: str = "utf-8") -> str:
        """Get a bytes option decoded as str."""
        if _OPTION_TYPES.get(int(option)) not in ("bytes", "str"):
            raise TypeError(f"option {option} is not a string option")
        return cast(bytes, self.get(option)).decode(encoding)

    getsockopt_string = getsockopt_unicode = get_string

    def __setattr__(self, key: str, value: Any) -> None:
        # `s.subscribe = b"x"` sets the option even though subscribe() is a method
        if key in ("subscribe", "unsubscribe") and key not in self.__dict__:
            getattr(self, key)(value)
            return
        super().__setattr__(key, value)

    @property
    def hwm(self) -> int:
        """SNDHWM (or RCVHWM if SNDHWM cannot be read); setting sets both."""
        try:
            return cast(int, self.get(SocketOption.SNDHWM))
        except ZMQError:
            return cast(int, self.get(SocketOption.RCVHWM))

    @hwm.setter
    def hwm(self, value: int) -> None:
        errors = []
        for option in (SocketOption.SNDHWM, SocketOption.RCVHWM):
            try:
                self.set(option, value)
            except ZMQError as e:
                errors.append(e)
        if errors:
            raise errors[-1]

    def get_hwm(self) -> int:
        return self.hwm

    def set_hwm(self, value: int) -> None:
        self.hwm = value

    def fileno(self) -> int:
        """The socket's edge-triggered ZMQ_FD, for use in event loops and Poller."""
        return cast(int, self.get(SocketOption.FD))

    def subscribe(self, topic: Union[str, bytes]) -> None:
        """SUB sockets: receive messages starting with ``topic`` (str is UTF-8 encoded)."""
        self.set(SocketOption.SUBSCRIBE, topic.encode() if isinstance(topic, str) else topic)

    def unsubscribe(self, topic: Union[str, bytes]) -> None:
        """SUB sockets: undo one :meth:`subscribe` of ``topic``."""
        self.set(SocketOption.UNSUBSCRIBE, topic.encode() if isinstance(topic, str) else topic)

    # ------------------------------------------------------------------ serialisation

    def _deserialize(self, recvd: Any, load: Callable[[Any], _T]) -> _T:
        """Apply ``load`` to what recv returned; async subclasses override this."""
        return load(recvd)

    def send_string(
        self,
        u: str,
        flags: int = 0,
        copy: bool = True,
        encoding: str = "utf-8",
        **kwargs: Any,
    ) -> Any:
        """Send a str encoded with ``encoding``; TypeError for anything else."""
        if not isinstance(u, str):
            raise TypeError(f"str objects only, not {type(u).__name__}")
        return self.send(u.encode(encoding), flags, copy=copy, **kwargs)

    send_unicode = send_string

    def recv_string(self, flags: int = 0, encoding: str = "utf-8") -> str:
        """Receive one frame and decode it with ``encoding``."""
        return self._deserialize(self.recv(flags), lambda buf: buf.decode(encoding))

    recv_unicode = recv_string

    def send_pyobj(
        self, obj: Any, flags: int = 0, protocol: int = DEFAULT_PROTOCOL, **kwargs: Any
    ) -> Any:
        """Send ``obj`` pickled with ``protocol``.

        Only unpickle messages from peers you trust: unpickling runs arbitrary code.
        """
        return self.send(pickle.dumps(obj, protocol), flags, **kwargs)

    def recv_pyobj(self, flags: int = 0) -> Any:
        """Receive and unpickle one frame (trusted peers only)."""
        return self._deserialize(self.recv(flags), pickle.loads)

    def send_json(self, obj: Any, flags: int = 0, **kwargs: Any) -> Any:
        """Send ``obj`` as JSON; keyword arguments go to :func:`json.dumps`
        (``routing_id``/``group`` go to send). Nothing is sent if encoding fails."""
        send_kwargs = {key: kwargs.pop(key) for key in ("routing_id", "group") if key in kwargs}
        return self.send(jsonapi.dumps(obj, **kwargs), flags, **send_kwargs)

    def recv_json(self, flags: int = 0, **kwargs: Any) -> Any:
        """Receive one JSON frame; keyword arguments go to :func:`json.loads`."""
        return self._deserialize(self.recv(flags), lambda buf: jsonapi.loads(buf, **kwargs))

    def send_serialized(
        self,
        msg: Any,
        serialize: Callable[[Any], Sequence[Any]],
        flags: int = 0,
        copy: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Send ``serialize(msg)`` (a list of frames) as one multipart message."""
        return self.send_multipart(serialize(msg), flags, copy=copy, **kwargs)

    def recv_serialized(
        self, deserialize: Callable[[List[Any]], _T], flags: int = 0, copy: bool = True
    ) -> _T:
        """Receive a multipart message and return ``deserialize(frames)``."""
        return self._deserialize(self.recv_multipart(flags, copy=copy), deserialize)

    # ------------------------------------------------------------------ polling, monitoring

    def poll(self, timeout: Optional[float] = None, flags: int = POLLIN) -> int:
        """Wait up to ``timeout`` ms (None: forever) for ``flags``; return the events
        that occurred (0 on timeout)."""
        if self.closed:
            raise ZMQError(Errno.ENOTSUP)
        poller = self._poller_class()
        poller.register(self, flags)
        return dict(poller.poll(timeout)).get(self, 0)

    def get_monitor_socket(
        self: _SocketT, events: Optional[int] = None, addr: Optional[str] = None
    ) -> _SocketT:
        """Start monitoring ``events`` (default: all) and return a PAIR socket that
        receives them (parse with :func:`zmq.utils.monitor.recv_monitor_message`).

        Calling it again returns the same socket while it is open.
        """
        monitor = self._monitor_socket
        if monitor is not None and not monitor.closed:
            return cast(_SocketT, monitor)
        if addr is None:
            # unique even after disable_monitor(): libzmq may release the old endpoint late
            addr = f"inproc://monitor.s-{self.fileno()}-{next(_monitor_ids)}"
        self.monitor(addr, EVENT_ALL if events is None else events)
        monitor = self.context.socket(SocketType.PAIR)
        monitor.connect(addr)
        self._monitor_socket = monitor
        return cast(_SocketT, monitor)

    def disable_monitor(self) -> None:
        """Stop the monitor started by :meth:`get_monitor_socket`."""
        self._monitor_socket = None
        self.monitor(None, 0)


SyncSocket = Socket
