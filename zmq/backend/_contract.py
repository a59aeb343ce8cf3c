"""The backend contract: every name a backend module must export, and its typed shape.

A backend (``zmq.backend.cython``, ``zmq.backend.cffi`` or a module named by
``PYZMQ_BACKEND``) is the only code that talks to libzmq. It exports exactly
:data:`PUBLIC_API`; ``zmq.backend.select_backend`` copies those names out of it and
``tests/backend/test_contract.py`` checks that both backends export that set.

The Protocols below are the typed form of the contract. They are not base classes:
the backends' classes are compiled (Cython) or plain (CFFI) and satisfy them
structurally. The sugar layer (``zmq.sugar``) subclasses the backend's ``Context``,
``Socket`` and ``Frame`` and relies only on what is written here.

Rules every backend follows:

* errors: a failing libzmq call raises ``zmq.error.ZMQError`` (or its subclasses
  ``Again`` for EAGAIN, ``ContextTerminated`` for ETERM, ``InterruptedSystemCall`` only
  when a signal handler raised nothing and retrying is impossible), built from
  ``zmq_errno()`` right after the call; EINTR is retried after running Python signal
  handlers (PEP 475), so Ctrl-C in a blocking call raises KeyboardInterrupt promptly;
* bad input raises TypeError/ValueError before any C call; use of a closed socket or
  context raises ``ZMQError(ENOTSOCK)`` / ``ZMQError(EFAULT)`` like libzmq would, never
  crashes;
* the GIL is released around every call that may block (send, recv, poll, term, proxy);
* zero-copy (``copy=False``) keeps the Python buffer alive until libzmq releases the
  message, never takes the GIL on libzmq's I/O thread, and never touches freed memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, Union

#: Names every backend module exports (``monitored_queue`` is pyzmq's private extra).
PUBLIC_API: tuple[str, ...] = (
    "Context",
    "Socket",
    "Frame",
    "Message",  # alias of Frame
    "device",
    "proxy",
    "proxy_steerable",
    "monitored_queue",
    "zmq_poll",
    "strerror",
    "zmq_errno",
    "has",
    "curve_keypair",
    "curve_public",
    "zmq_version_info",
    "IPC_PATH_MAX_LEN",
)

#: Anything accepted as one message frame: bytes-like objects or a Frame.
FrameData = Any  # bytes | bytearray | memoryview | any buffer | Frame


class MessageTrackerLike(Protocol):
    @property
    def done(self) -> bool: ...
    def wait(self, timeout: float | int = -1) -> None: ...


class FrameProtocol(Protocol):
    """A libzmq message (``zmq_msg_t``) owned by Python.

    ``Frame(data=None, track=False, copy=None, copy_threshold=None)``: ``data`` is any
    object supporting the buffer protocol (str is a TypeError); ``copy=False`` wraps the
    buffer without copying (kept alive until libzmq is done); ``track=True`` makes
    ``tracker`` report when libzmq released it.
    """

    more: bool
    tracker: MessageTrackerLike | None

    @property
    def bytes(self) -> bytes: ...
    @property
    def buffer(self) -> memoryview: ...
    def get(self, option: int | str) -> int | str: ...
    def set(self, option: int, value: int) -> None: ...
    def __len__(self) -> int: ...
    def __buffer__(self, flags: int) -> memoryview: ...


class ContextProtocol(Protocol):
    """``Context(io_threads=1, shadow=0)``; ``shadow`` is an int address of a ``void*``
    context owned elsewhere (never terminated by us)."""

    @property
    def underlying(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    def term(self) -> None: ...
    def set(self, option: int, optval: int) -> None: ...
    def get(self, option: int) -> int: ...


class SocketProtocol(Protocol):
    """``Socket(context=None, socket_type=-1, shadow=0, copy_threshold=None)``.

    ``context`` is a backend Context (or subclass); ``shadow`` an int address of a
    ``void*`` socket owned elsewhere (never closed by us).

    The hot path lives here, not in the sugar: ``send``/``recv`` of one frame and
    ``send_multipart``/``recv_multipart`` are single calls into C, and the sugar does
    not override them.
    """

    context: Any
    copy_threshold: int

    @property
    def type(self) -> int:
        """The socket type (``ZMQ_TYPE``), read-only. Not ``socket_type``: the sugar
        keeps that name as a deprecated alias of ``type``."""
        ...

    @property
    def underlying(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    def close(self, linger: int | None = None) -> None: ...
    def set(self, option: int, optval: int | bytes) -> None: ...
    def get(self, option: int) -> int | bytes: ...
    def bind(self, addr: str | bytes) -> None: ...
    def connect(self, addr: str | bytes) -> None: ...
    def unbind(self, addr: str | bytes) -> None: ...
    def disconnect(self, addr: str | bytes) -> None: ...
    def monitor(self, addr: str | bytes | None, events: int = ...) -> None: ...
    def join(self, group: str | bytes) -> None: ...
    def leave(self, group: str | bytes) -> None: ...
    def send(
        self,
        data: FrameData,
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        routing_id: int | None = None,
        group: str | None = None,
    ) -> MessageTrackerLike | None: ...
    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any: ...
    def recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int: ...
    def send_multipart(
        self, msg_parts: Sequence[FrameData], flags: int = 0, copy: bool = True, track: bool = False
    ) -> MessageTrackerLike | None: ...
    def recv_multipart(
        self, flags: int = 0, copy: bool = True, track: bool = False
    ) -> list[Any]: ...


PollItem = tuple[Union[Any, int], int]  # (socket or fd or object with fileno(), events)


class BackendModule(Protocol):
    """The shape of a backend module (see :data:`PUBLIC_API`)."""

    Context: type[ContextProtocol]
    Socket: type[SocketProtocol]
    Frame: type[FrameProtocol]
    Message: type[FrameProtocol]
    IPC_PATH_MAX_LEN: int

    def zmq_poll(self, sockets: Sequence[PollItem], timeout: int = -1) -> list[tuple[Any, int]]: ...
    def proxy(self, frontend: Any, backend: Any, capture: Any = None) -> None: ...
    def proxy_steerable(
        self, frontend: Any, backend: Any, capture: Any = None, control: Any = None
    ) -> None: ...
    def device(self, device_type: int, frontend: Any, backend: Any = None) -> None: ...
    def monitored_queue(
        self,
        in_socket: Any,
        out_socket: Any,
        mon_socket: Any,
        in_prefix: bytes = b"in",
        out_prefix: bytes = b"out",
    ) -> None: ...
    def strerror(self, errno: int) -> str: ...
    def zmq_errno(self) -> int: ...
    def has(self, capability: str) -> bool: ...
    def curve_keypair(self) -> tuple[bytes, bytes]: ...
    def curve_public(self, secret_key: bytes) -> bytes: ...
    def zmq_version_info(self) -> tuple[int, int, int]: ...
