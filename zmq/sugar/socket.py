"""The zmq Socket: the backend socket plus options as attributes and convenience methods.

The hot path (``send``, ``recv``, ``send_multipart``, ``recv_multipart``, ``recv_into``)
is the backend's own and is deliberately not overridden here.
"""

from __future__ import annotations

import errno
import itertools
import os
import pickle
import random
import weakref
from typing import (
    TYPE_CHECKING,
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
    overload,
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

from ._backend_docs import SOCKET as _SOCKET_DOCS
from ._backend_docs import document
from ._shadow import Shadowable
from .attrsettr import AttributeSetter
from .poll import Poller
from .tracker import MessageTracker

if TYPE_CHECKING:
    from .context import Context

__all__ = ["Socket", "SyncSocket"]

DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL

_monitor_ids = itertools.count()

document(SocketBase, _SOCKET_DOCS)

_SocketT = TypeVar("_SocketT", bound="Socket[Any]")
_T = TypeVar("_T")
#: what recv_json (and jsonapi.loads) give
_JSON = Union[dict[str, Any], list[Any], str, float]
#: what a socket's receives give: bytes for blocking sockets, a Future for async ones
_SocketReturnT_co = TypeVar("_SocketReturnT_co", covariant=True)


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


class Socket(SocketBase, Shadowable, AttributeSetter, Generic[_SocketReturnT_co]):
    """A ZeroMQ socket.

    Create sockets with :meth:`Context.socket`::

        ctx = zmq.Context.instance()
        s = ctx.socket(zmq.ROUTER)

    ``Socket(ctx, socket_type)`` works too, with any Context. ``Socket(other_socket)`` or
    ``Socket(shadow=address)`` wraps an existing socket (e.g. an async one, or a libzmq
    ``void *`` address) without owning it: closing the shadow does not close the
    original.

    Every socket option is an attribute (``s.linger = 0``, ``s.rcvtimeo``,
    ``s.last_endpoint``); unknown names raise AttributeError. ``with ctx.socket(...) as
    s:`` closes the socket on exit. A socket must be used by one thread at a time.

    .. versionadded:: 25
        ``Socket(other_socket)`` shadows ``other_socket``.

    Parameters
    ----------
    ctx_or_socket : Context or Socket, optional
        The context to create the socket in, or a socket to shadow.
    socket_type : int
        ``zmq.REQ``, ``zmq.REP``, ``zmq.PUB``, ``zmq.SUB``, ``zmq.PUSH``, ``zmq.PULL``,
        ``zmq.ROUTER``, ``zmq.DEALER``, ``zmq.PAIR``, ``zmq.XPUB``, ``zmq.XSUB``,
        ``zmq.STREAM`` (or a draft type).
    shadow : Socket or int, optional
        A socket, or the integer address of a libzmq socket, to wrap without owning it.
    copy_threshold : int, optional
        Zero-copy sends of frames smaller than this many bytes are copied anyway
        (default: ``zmq.COPY_THRESHOLD``).

    Raises
    ------
    zmq.ZMQError
        E.g. EINVAL for an unknown socket type, EMFILE when the context has too many
        sockets, ETERM if the context is terminated.
    """

    _option_enums = (SocketOption,)
    _monitor_socket: Optional[Socket[Any]] = None
    # on a get_monitor_socket() PAIR: the socket it watches (weak: that socket holds the PAIR)
    _watched: Optional[weakref.ReferenceType[Socket[Any]]] = None
    _type_name: str = "UNKNOWN"
    _poller_class: ClassVar[Type[Poller]] = Poller
    _repr_cls: ClassVar[Optional[str]] = "zmq.Socket"
    _socket_type: int

    #: the Context this socket belongs to
    context: Context[Any]

    @overload
    def __init__(
        self: Socket[bytes],
        ctx_or_socket: Context[Any],
        socket_type: int,
        *,
        copy_threshold: Optional[int] = None,
    ) -> None: ...

    @overload
    def __init__(
        self: Socket[bytes],
        *,
        shadow: Union[Socket[Any], int],
        copy_threshold: Optional[int] = None,
    ) -> None: ...

    @overload
    def __init__(self: Socket[bytes], ctx_or_socket: Socket[Any]) -> None: ...

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
        """Close the socket.

        Never blocks: messages still queued are sent in the background for at most
        ``linger`` milliseconds (or as the socket's LINGER option says); :meth:`Context.term`
        waits for them. Closing twice is harmless; any other use of a closed socket raises
        ``ZMQError(ENOTSOCK)``.

        Parameters
        ----------
        linger : int, optional
            Milliseconds to keep undelivered messages; sets LINGER before closing. 0 drops
            them at once, -1 keeps them until delivered (and makes ``term()`` wait).
        """
        if not self.closed:
            self._stop_monitors()
        context = self.context
        if context is not None:
            rm_socket = getattr(context, "_rm_socket", None)
            if rm_socket is not None:
                rm_socket(self)
        super().close(linger=linger)

    # ------------------------------------------------------------------ bind/connect

    def bind(self: _SocketT, addr: Union[str, bytes]) -> _SocketContext[_SocketT]:
        """Bind the socket to an endpoint, to accept connections on it.

        .. versionadded:: 20.0
            The returned context manager.

        Parameters
        ----------
        addr : str
            ``protocol://interface:port``: e.g. ``tcp://127.0.0.1:5555``, ``tcp://*:5555``
            (every interface), ``tcp://127.0.0.1:*`` (a free port chosen by the system; read
            it from ``last_endpoint``), ``ipc:///tmp/feed``, ``inproc://workers``.

        Returns
        -------
        context manager
            ``with s.bind(url):`` unbinds the endpoint on exit; it gives the socket.

        Raises
        ------
        zmq.ZMQError
            EADDRINUSE if the address is taken, EPROTONOSUPPORT for an unknown protocol,
            EINVAL for a malformed endpoint. The message names the address.
        """
        super().bind(addr)  # errors name the address: "... (addr='tcp://...')"
        url = addr.decode() if isinstance(addr, bytes) else addr
        try:
            # the real endpoint, so that `with s.bind("tcp://...:*")` unbinds it
            url = cast(bytes, self.get(SocketOption.LAST_ENDPOINT)).decode()
        except (ZMQError, UnicodeDecodeError):
            pass
        return _SocketContext(self, "bind", url)

    def connect(self: _SocketT, addr: Union[str, bytes]) -> _SocketContext[_SocketT]:
        """Connect the socket to an endpoint.

        Connecting is asynchronous: it succeeds before the peer exists, and libzmq keeps
        reconnecting in the background.

        .. versionadded:: 20.0
            The returned context manager.

        Parameters
        ----------
        addr : str
            ``protocol://address:port``, e.g. ``tcp://127.0.0.1:5555``, ``ipc:///tmp/feed``,
            ``inproc://workers``.

        Returns
        -------
        context manager
            ``with s.connect(url):`` disconnects on exit; it gives the socket.

        Raises
        ------
        zmq.ZMQError
            EPROTONOSUPPORT for an unknown protocol, EINVAL for a malformed endpoint.
        """
        super().connect(addr)
        return _SocketContext(self, "connect", addr.decode() if isinstance(addr, bytes) else addr)

    def bind_to_random_port(
        self,
        addr: str,
        min_port: int = 49152,
        max_port: int = 65536,
        max_tries: int = 100,
    ) -> int:
        """Bind to a free port of an interface and return the port.

        Parameters
        ----------
        addr : str
            ``tcp://`` and an interface, without the port, e.g. ``"tcp://127.0.0.1"`` or
            ``"tcp://*"``.
        min_port : int, optional
            The lowest port to try (inclusive).
        max_port : int, optional
            The highest port to try (exclusive).
        max_tries : int, optional
            How many random ports of ``[min_port, max_port)`` to try.

        Returns
        -------
        int
            The port bound.

        Raises
        ------
        zmq.ZMQBindError
            If no port of the range could be bound in ``max_tries`` attempts.
        zmq.ZMQError
            For errors other than a port in use or not permitted.

        Notes
        -----
        With the default range, the system picks the port (one bind, no retries).
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
        """Set a socket option; the same as :meth:`set`.

        Parameters
        ----------
        option : int
            A ``zmq.SocketOption``.
        optval : int or bytes
            The value (see :meth:`set`).
        """
        self.set(option, optval)

    def getsockopt(self, option: int) -> Union[int, bytes]:
        """Get a socket option; the same as :meth:`get`.

        Parameters
        ----------
        option : int
            A ``zmq.SocketOption``.

        Returns
        -------
        int or bytes
            The value (see :meth:`get`).
        """
        return self.get(option)

    def set_string(self, option: int, optval: str, encoding: str = "utf-8") -> None:
        """Set a string option (e.g. ``zmq.SUBSCRIBE``, ``zmq.IDENTITY``) from a str.

        Parameters
        ----------
        option : int
            A bytes-valued ``zmq.SocketOption``.
        optval : str
            The value, encoded with ``encoding`` before it is set.
        encoding : str, optional
            The encoding (default UTF-8).

        Raises
        ------
        TypeError
            If ``optval`` is not a str.
        """
        if not isinstance(optval, str):
            raise TypeError(f"str only, not {type(optval).__name__}: {optval!r}")
        self.set(option, optval.encode(encoding))

    setsockopt_string = setsockopt_unicode = set_string

    def get_string(self, option: int, encoding: str = "utf-8") -> str:
        """Get a string option (e.g. ``zmq.LAST_ENDPOINT``) as str.

        Parameters
        ----------
        option : int
            A bytes- or str-valued ``zmq.SocketOption``.
        encoding : str, optional
            The encoding to decode with (default UTF-8).

        Returns
        -------
        str
            The decoded value.

        Raises
        ------
        TypeError
            If ``option`` is not a string option.
        """
        if _OPTION_TYPES.get(int(option)) != "bytes":
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
        """The high-water mark: see :attr:`hwm`.

        Returns
        -------
        int
            SNDHWM, or RCVHWM if SNDHWM cannot be read.
        """
        return self.hwm

    def set_hwm(self, value: int) -> None:
        """Set both SNDHWM and RCVHWM: see :attr:`hwm`.

        Parameters
        ----------
        value : int
            The high-water mark, in messages (0: no limit).
        """
        self.hwm = value

    def fileno(self) -> int:
        """The socket's file descriptor (``ZMQ_FD``), for event loops and :class:`Poller`.

        It is edge-triggered: readable when the socket's state *may* have changed. Read
        ``zmq.EVENTS`` to learn whether it can receive or send now; never read from or write
        to the descriptor.

        .. versionadded:: 17.0

        Returns
        -------
        int
            The descriptor.
        """
        return cast(int, self.get(SocketOption.FD))

    def subscribe(self, topic: Union[str, bytes]) -> None:
        """Subscribe to messages that start with a topic (SUB and XSUB sockets).

        .. versionadded:: 15.3

        Parameters
        ----------
        topic : str or bytes
            The prefix to match (str is UTF-8 encoded); ``b""`` matches every message.
        """
        self.set(SocketOption.SUBSCRIBE, topic.encode() if isinstance(topic, str) else topic)

    def unsubscribe(self, topic: Union[str, bytes]) -> None:
        """Remove one subscription to a topic made with :meth:`subscribe`.

        .. versionadded:: 15.3

        Parameters
        ----------
        topic : str or bytes
            The prefix subscribed to (str is UTF-8 encoded).
        """
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
    ) -> Optional[MessageTracker]:
        """Send a str as one frame, encoded.

        Parameters
        ----------
        u : str
            The string to send.
        flags : int, optional
            Flags for :meth:`send` (``zmq.NOBLOCK``, ``zmq.SNDMORE``).
        copy : bool, optional
            As for :meth:`send`.
        encoding : str, optional
            The encoding (default UTF-8).
        **kwargs
            More arguments for :meth:`send` (``track``, ``routing_id``, ``group``).

        Returns
        -------
        None or MessageTracker
            What :meth:`send` returns.

        Raises
        ------
        TypeError
            If ``u`` is not a str.
        """
        if not isinstance(u, str):
            raise TypeError(f"str objects only, not {type(u).__name__}")
        return self.send(u.encode(encoding), flags, copy=copy, **kwargs)

    send_unicode = send_string

    def recv_string(self, flags: int = 0, encoding: str = "utf-8") -> str:
        """Receive one frame and decode it as str.

        Parameters
        ----------
        flags : int, optional
            Flags for :meth:`recv` (``zmq.NOBLOCK``).
        encoding : str, optional
            The encoding (default UTF-8).

        Returns
        -------
        str
            The decoded frame.

        Raises
        ------
        zmq.Again
            With ``NOBLOCK`` when nothing is queued.
        UnicodeDecodeError
            If the frame is not valid in ``encoding``.
        """
        return self._deserialize(self.recv(flags), lambda buf: buf.decode(encoding))

    recv_unicode = recv_string

    def send_pyobj(
        self, obj: Any, flags: int = 0, protocol: int = DEFAULT_PROTOCOL, **kwargs: Any
    ) -> Optional[MessageTracker]:
        """Send a Python object as one frame, pickled.

        Parameters
        ----------
        obj : object
            Any picklable object.
        flags : int, optional
            Flags for :meth:`send`.
        protocol : int, optional
            The pickle protocol (default ``pickle.DEFAULT_PROTOCOL``).
        **kwargs
            More arguments for :meth:`send`.

        Returns
        -------
        None or MessageTracker
            What :meth:`send` returns.
        """
        return self.send(pickle.dumps(obj, protocol), flags, **kwargs)

    def recv_pyobj(self, flags: int = 0) -> Any:
        """Receive one frame and unpickle it.

        .. warning::

            Never unpickle data from peers you do not trust: unpickling can run arbitrary
            code. Prefer :meth:`recv_json` or :meth:`recv_serialized` with a safe format
            for messages that may come from untrusted peers.

        Parameters
        ----------
        flags : int, optional
            Flags for :meth:`recv` (``zmq.NOBLOCK``).

        Returns
        -------
        object
            The unpickled object.

        Raises
        ------
        zmq.Again
            With ``NOBLOCK`` when nothing is queued.
        pickle.UnpicklingError
            If the frame is not a valid pickle (other exceptions are possible too).
        """
        return self._deserialize(self.recv(flags), pickle.loads)

    def send_json(self, obj: Any, flags: int = 0, **kwargs: Any) -> Optional[MessageTracker]:
        """Send a Python object as one frame of JSON.

        Nothing is sent if the object cannot be encoded.

        Parameters
        ----------
        obj : object
            Any JSON-serializable object.
        flags : int, optional
            Flags for :meth:`send`.
        **kwargs
            Keyword arguments for :func:`json.dumps` (e.g. ``sort_keys=True``);
            ``routing_id`` and ``group`` go to :meth:`send`.

        Returns
        -------
        None or MessageTracker
            What :meth:`send` returns.

        Raises
        ------
        TypeError
            If ``obj`` is not JSON-serializable.
        """
        send_kwargs = {key: kwargs.pop(key) for key in ("routing_id", "group") if key in kwargs}
        return self.send(jsonapi.dumps(obj, **kwargs), flags, **send_kwargs)

    def recv_json(self, flags: int = 0, **kwargs: Any) -> _JSON:
        """Receive one frame of JSON and decode it.

        Parameters
        ----------
        flags : int, optional
            Flags for :meth:`recv` (``zmq.NOBLOCK``).
        **kwargs
            Keyword arguments for :func:`json.loads`.

        Returns
        -------
        object
            The decoded value (dict, list, str, int, float, bool or None).

        Raises
        ------
        zmq.Again
            With ``NOBLOCK`` when nothing is queued.
        json.JSONDecodeError
            If the frame is not valid JSON (a ValueError).
        """
        return self._deserialize(self.recv(flags), lambda buf: jsonapi.loads(buf, **kwargs))

    def send_serialized(
        self,
        msg: Any,
        serialize: Callable[[Any], Sequence[Any]],
        flags: int = 0,
        copy: bool = True,
        **kwargs: Any,
    ) -> Optional[MessageTracker]:
        """Send a message with a custom serialization.

        .. versionadded:: 17

        Parameters
        ----------
        msg : object
            The message to send.
        serialize : callable
            ``serialize(msg)`` returns the list of frames (bytes, buffers or Frames).
        flags : int, optional
            Flags for :meth:`send_multipart`.
        copy : bool, optional
            As for :meth:`send_multipart`.
        **kwargs
            More arguments for :meth:`send_multipart`.

        Returns
        -------
        None or MessageTracker
            What :meth:`send_multipart` returns.
        """
        return self.send_multipart(serialize(msg), flags, copy=copy, **kwargs)

    def recv_serialized(
        self, deserialize: Callable[[List[Any]], _T], flags: int = 0, copy: bool = True
    ) -> _T:
        """Receive a multipart message with a custom deserialization.

        .. versionadded:: 17

        Parameters
        ----------
        deserialize : callable
            ``deserialize(frames)`` turns the list of frames (bytes, or Frames with
            ``copy=False``) into the message.
        flags : int, optional
            Flags for :meth:`recv_multipart` (``zmq.NOBLOCK``).
        copy : bool, optional
            As for :meth:`recv_multipart`.

        Returns
        -------
        object
            What ``deserialize`` returns.

        Raises
        ------
        zmq.Again
            With ``NOBLOCK`` when nothing is queued.
        """
        return self._deserialize(self.recv_multipart(flags, copy=copy), deserialize)

    # ------------------------------------------------------------------ polling, monitoring

    def poll(self, timeout: Optional[float] = None, flags: int = POLLIN) -> int:
        """Wait until the socket can receive (or send).

        Parameters
        ----------
        timeout : int, optional
            Milliseconds to wait; None (the default) or a negative value waits forever,
            0 returns at once.
        flags : int, optional
            The events to wait for: ``zmq.POLLIN`` (the default), ``zmq.POLLOUT``, or both.

        Returns
        -------
        int
            The events that occurred (a subset of ``flags``), 0 on timeout.

        Raises
        ------
        zmq.ZMQError
            ENOTSUP if the socket is closed.
        """
        if self.closed:
            raise ZMQError(Errno.ENOTSUP)
        poller = self._poller_class()
        poller.register(self, flags)
        return dict(poller.poll(timeout)).get(self, 0)

    def get_monitor_socket(
        self: _SocketT, events: Optional[int] = None, addr: Optional[str] = None
    ) -> _SocketT:
        """Monitor this socket's events and return a PAIR socket that receives them.

        Parse what it receives with :func:`zmq.utils.monitor.recv_monitor_message`::

            monitor = s.get_monitor_socket()
            event = recv_monitor_message(monitor)  # {'event': ..., 'value': ..., 'endpoint': ...}

        Calling it again returns the same socket while it is open; :meth:`disable_monitor`
        stops monitoring, and so does closing either socket (the monitor socket then gets
        ``EVENT_MONITOR_STOPPED`` before ``close()`` returns).

        .. versionadded:: 14.0

        Parameters
        ----------
        events : int, optional
            A bitmask of ``zmq.EVENT_*`` values (default: ``zmq.EVENT_ALL``).
        addr : str, optional
            The ``inproc://`` endpoint to use (default: a unique one).

        Returns
        -------
        Socket
            The PAIR socket, of this socket's class, in this socket's context.

        Raises
        ------
        zmq.ZMQError
            If libzmq refuses to monitor (e.g. the socket is closed).
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
        monitor._watched = weakref.ref(self)
        self._monitor_socket = monitor
        return cast(_SocketT, monitor)

    def _stop_monitors(self) -> None:
        # libzmq (4.3) sends a monitor's last events with blocking sends from its own
        # threads; once the monitor's PAIR is gone such a send never returns, and the
        # reaper or I/O thread of the context stays stuck: no socket closed later is ever
        # freed. So a monitor set up here is stopped while its PAIR is still open, by
        # whichever of the two sockets is closed first.
        # Never in a forked child (the handles are the parent's), and not for a shadow's
        # close, which leaves the libzmq socket (and its monitor) to its owner.
        pid = os.getpid()
        watched = self._watched() if self._watched is not None else None
        if (
            watched is not None
            and watched._monitor_socket is self
            and watched._pid == pid
            and not watched.closed
        ):
            watched._stop_monitor()
        monitor = self._monitor_socket
        if monitor is not None and not self._shadow and self._pid == pid and not monitor.closed:
            self._stop_monitor()

    def _stop_monitor(self) -> None:
        self._monitor_socket = None
        if getattr(self.context, "_shut_down", False):
            return  # terminating the context stops it; a call now would only get ETERM
        try:
            self.monitor(None, 0)
        except ZMQError:
            pass  # closed or terminated meanwhile: libzmq has stopped it then

    def disable_monitor(self) -> None:
        """Stop the monitoring started by :meth:`get_monitor_socket`.

        The monitor socket is not closed: close it yourself.

        .. versionadded:: 14.4
        """
        self._monitor_socket = None
        self.monitor(None, 0)


#: the blocking socket type, as annotations name it (``Socket[bytes]``)
SyncSocket = Socket[bytes]
