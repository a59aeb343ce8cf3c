"""The backend Socket: one libzmq socket (``void *``), with the hot path.

Hot path: ``send(bytes)`` is one C call (``zpy_send_copy``, errno as the result);
``recv()`` is one C call into a ``zmq_msg_t`` kept per socket plus ``ffi.unpack``.
A closed socket's handle is NULL, for which libzmq itself fails with ENOTSOCK, so the
hot path needs no Python-level closed check. EINTR (a signal arrived while blocked)
returns to Python, which runs the signal handlers (Ctrl-C raises there), then retries.
"""

from __future__ import annotations

import errno as _errno
import os
from collections.abc import Sequence
from typing import Any, Optional, Union

from ._cffi_zmq import ffi, lib
from ._check_rc import EINTR, _c_str, _raise_errno, _raise_last_error
from .context import Context
from .message import Frame, _buffer_of, _default_copy_threshold, _new_msg, _own, _wrap_msg
from .utils import IPC_PATH_MAX_LEN
from .zerocopy import TrackerEvent, finished_tracker, init_zerocopy, new_tracker

__all__ = ["Socket"]

ENOTSOCK: int = lib.ENOTSOCK
SNDMORE: int = lib.ZMQ_SNDMORE
_EVENT_ALL: int = lib.ZMQ_EVENT_ALL
#: Received messages at least this big are released right after the copy to bytes.
_RELEASE_AFTER = 1 << 16
#: Options libzmq reads and writes as uint64_t rather than int64_t.
_UINT64_OPTIONS = frozenset({lib.ZMQ_AFFINITY})
#: Byte options returned whole (binary ids), not as NUL-terminated strings.
_BINARY_OPTIONS = frozenset(
    getattr(lib, name) for name in ("ZMQ_IDENTITY", "ZMQ_ROUTING_ID") if hasattr(lib, name)
)
#: CURVE keys are read as Z85 text (libzmq decides the format by the buffer size).
_Z85_OPTIONS = frozenset(
    getattr(lib, f"ZMQ_CURVE_{k}KEY")
    for k in ("PUBLIC", "SECRET", "SERVER")
    if hasattr(lib, f"ZMQ_CURVE_{k}KEY")
)
#: Thread-safe (draft) socket types may be used from several threads at once: they do
#: not share the per-socket receive message.
_THREADSAFE_TYPES = frozenset(
    getattr(lib, f"ZMQ_{t}")
    for t in ("SERVER", "CLIENT", "RADIO", "DISH", "GATHER", "SCATTER", "PEER", "CHANNEL")
    if hasattr(lib, f"ZMQ_{t}")
)

_option_types: Optional[dict[int, str]] = None


def _option_type(option: int) -> str:
    """ "int" | "int64" | "bytes" | "fd" (zmq.constants); unknown options are ints."""
    global _option_types
    if _option_types is None:
        from zmq.constants import _OPTION_TYPES

        _option_types = _OPTION_TYPES
    return _option_types.get(option, "int")


def _int_value(optval: Any) -> int:
    if not isinstance(optval, int):
        raise TypeError(f"expected int, got {optval!r}")
    return optval


class Socket:
    """Socket(context=None, socket_type=-1, shadow=0, copy_threshold=None)

    ``context`` is a backend Context (or subclass); ``shadow`` the int address of a
    socket owned elsewhere (used, closed only by an explicit :meth:`close`).
    """

    __slots__ = (
        "_handle",
        "_closed",
        "_is_shadow",
        "_owner_pid",
        "_rmsg",
        "_rinfo",
        "context",
        "copy_threshold",
        "__weakref__",
    )

    def __init__(
        self,
        context: Optional[Context] = None,
        socket_type: int = -1,
        shadow: int = 0,
        copy_threshold: Optional[int] = None,
    ) -> None:
        self._handle = ffi.NULL
        self._closed = True
        self._owner_pid = os.getpid()
        self._is_shadow = bool(shadow)
        self._rmsg: Any = None
        self._rinfo = ffi.new("zpy_recv_info *")
        self.context = context
        self.copy_threshold = (
            _default_copy_threshold() if copy_threshold is None else int(copy_threshold)
        )
        if shadow:
            self._handle = ffi.cast("void *", int(shadow))
            self._closed = False
            socket_type = int(self.get(lib.ZMQ_TYPE))
        else:
            if not isinstance(context, Context):
                raise TypeError(f"a Socket needs a zmq Context, got {context!r}")
            if not isinstance(socket_type, int):
                raise TypeError(f"socket_type must be an int, got {socket_type!r}")
            handle = lib.zmq_socket(context._handle, socket_type)
            if handle == ffi.NULL:
                _raise_last_error()
            self._handle = handle
            self._closed = False
        if socket_type not in _THREADSAFE_TYPES:
            self._rmsg = _new_msg()

    def __del__(self) -> None:
        # zmq_close never blocks; only our own sockets, in the process that made them
        if not self._closed and not self._is_shadow and self._owner_pid == os.getpid():
            self._closed = True
            lib.zmq_close(self._handle)

    # ------------------------------------------------------------------ lifetime

    @property
    def underlying(self) -> int:
        """The address of the libzmq socket, for shadowing (``Socket(shadow=...)``)."""
        return int(ffi.cast("uintptr_t", self._handle))

    @property
    def closed(self) -> bool:
        """Whether the socket is closed, also if closed by someone else (ctx.destroy)."""
        if self._closed:
            return True
        value = ffi.new("int *")
        size = ffi.new("size_t *", ffi.sizeof("int"))
        if lib.zmq_getsockopt(self._handle, lib.ZMQ_TYPE, value, size) != 0:
            if ffi.errno == ENOTSOCK:
                self._mark_closed()
                return True
        return False

    def _mark_closed(self) -> None:
        self._closed = True
        self._handle = ffi.NULL

    def close(self, linger: Optional[int] = None) -> None:
        """Close the socket (never blocks); ``linger`` (ms) overrides LINGER first.

        In a forked child the parent's socket is only marked closed.
        """
        if self._closed:
            return
        if self._owner_pid == os.getpid():
            if linger is not None:
                value = ffi.new("int *", _int_value(linger))
                lib.zmq_setsockopt(self._handle, lib.ZMQ_LINGER, value, ffi.sizeof("int"))
            if lib.zmq_close(self._handle) != 0 and ffi.errno != ENOTSOCK:
                err = ffi.errno
                self._mark_closed()
                _raise_errno(err)
        self._mark_closed()

    def _check_open(self) -> None:
        if self._closed:
            _raise_errno(ENOTSOCK)

    # ------------------------------------------------------------------ options

    def set(self, option: int, optval: Union[int, bytes]) -> None:
        """Set a socket option; bytes options take bytes, the others int."""
        self._check_open()
        kind = _option_type(option)
        if kind == "bytes":
            if isinstance(optval, str):
                raise TypeError("unicode not allowed, use setsockopt_string")
            if not isinstance(optval, bytes):
                raise TypeError(f"expected bytes, got {optval!r}")
            value = ffi.from_buffer(optval)
            size = len(optval)
        else:
            ctype = "int"
            if kind == "int64":
                ctype = "uint64_t" if option in _UINT64_OPTIONS else "int64_t"
            try:
                value = ffi.new(ctype + " *", _int_value(optval))
            except OverflowError:
                raise ValueError(f"{optval!r} does not fit in the option's {ctype}") from None
            size = ffi.sizeof(ctype)
        while lib.zmq_setsockopt(self._handle, option, value, size) != 0:
            if ffi.errno != EINTR:
                _raise_last_error()

    def get(self, option: int) -> Union[int, bytes]:
        """Get a socket option: bytes for bytes options, else int."""
        self._check_open()
        kind = _option_type(option)
        if kind == "bytes":
            capacity = 41 if option in _Z85_OPTIONS else 256
            value = ffi.new("char[]", capacity)
        elif kind == "int64":
            value = ffi.new("uint64_t *" if option in _UINT64_OPTIONS else "int64_t *")
            capacity = ffi.sizeof("int64_t")
        else:
            value = ffi.new("int *")
            capacity = ffi.sizeof("int")
        size = ffi.new("size_t *", capacity)
        while lib.zmq_getsockopt(self._handle, option, value, size) != 0:
            if ffi.errno != EINTR:
                _raise_last_error()
            size[0] = capacity
        if kind != "bytes":
            return int(value[0])
        n = size[0]
        if n and option not in _BINARY_OPTIONS and value[n - 1] == b"\0":
            n -= 1
        return ffi.unpack(value, n)

    # ------------------------------------------------------------------ endpoints

    def _endpoint_call(self, func: Any, addr: Union[str, bytes]) -> None:
        c_addr = _c_str(addr)
        if b"\0" in c_addr:
            raise ValueError(f"address contains a NUL byte: {addr!r}")
        self._check_open()
        while func(self._handle, c_addr) != 0:
            err = ffi.errno
            if err == EINTR:
                continue
            path = c_addr.decode("utf-8", "replace").split("://", 1)[-1]
            if err == _errno.ENAMETOOLONG and c_addr.startswith(b"ipc://"):
                from zmq.error import ZMQError

                raise ZMQError(
                    err,
                    f"ipc path {path!r} is longer than {IPC_PATH_MAX_LEN} characters "
                    "(zmq.IPC_PATH_MAX_LEN)",
                )
            if err == _errno.ENOENT and c_addr.startswith(b"ipc://"):
                from zmq.error import ZMQError

                raise ZMQError(err, f"No such file or directory for ipc path {path!r}")
            _raise_errno(err)

    def bind(self, addr: Union[str, bytes]) -> None:
        """Bind to an endpoint (``tcp://127.0.0.1:*``, ``ipc://path``, ``inproc://name``)."""
        self._endpoint_call(lib.zmq_bind, addr)

    def connect(self, addr: Union[str, bytes]) -> None:
        """Connect to an endpoint."""
        self._endpoint_call(lib.zmq_connect, addr)

    def unbind(self, addr: Union[str, bytes]) -> None:
        """Stop listening on an endpoint given to :meth:`bind` (or its LAST_ENDPOINT)."""
        self._endpoint_call(lib.zmq_unbind, addr)

    def disconnect(self, addr: Union[str, bytes]) -> None:
        """Disconnect from an endpoint given to :meth:`connect`."""
        self._endpoint_call(lib.zmq_disconnect, addr)

    def monitor(self, addr: Union[str, bytes, None], events: int = _EVENT_ALL) -> None:
        """Publish socket events on a PAIR endpoint ``addr`` (None stops monitoring)."""
        self._check_open()
        c_addr = ffi.NULL if addr is None else _c_str(addr)
        if lib.zmq_socket_monitor(self._handle, c_addr, int(events)) != 0:
            _raise_last_error()

    def join(self, group: Union[str, bytes]) -> None:
        """Join a group (DISH sockets, draft API)."""
        self._check_open()
        err = lib.zpy_join(self._handle, _c_str(group, "group"))
        if err:
            _raise_errno(err)

    def leave(self, group: Union[str, bytes]) -> None:
        """Leave a group (DISH sockets, draft API)."""
        self._check_open()
        err = lib.zpy_leave(self._handle, _c_str(group, "group"))
        if err:
            _raise_errno(err)

    # ------------------------------------------------------------------ sending

    def send(
        self,
        data: Any,
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        routing_id: Optional[int] = None,
        group: Optional[str] = None,
    ) -> Any:
        """Send one frame. Returns None, or a MessageTracker for ``copy=False``
        (finished at once below ``copy_threshold``) and for tracked Frames."""
        if copy and type(data) is bytes and routing_id is None and group is None:
            err = lib.zpy_send_copy(self._handle, data, len(data), flags)
            if err:
                self._retry_send_copy(err, data, flags)
            return None
        return self._send_other(data, flags, copy, track, routing_id, group)

    def _retry_send_copy(self, err: int, data: Any, flags: int) -> None:
        # Reaching Python ran the signal handlers (KeyboardInterrupt raises before here).
        while err == EINTR:
            err = lib.zpy_send_copy(self._handle, data, len(data), flags)
        if err:
            _raise_errno(err)

    def _send_other(
        self,
        data: Any,
        flags: int,
        copy: bool,
        track: bool,
        routing_id: Optional[int],
        group: Optional[str],
    ) -> Any:
        if isinstance(data, str):
            raise TypeError("unicode not allowed, use send_string")
        if routing_id is not None or group is not None:
            if not isinstance(data, Frame):
                data = Frame(
                    data, track=track, copy=copy or None, copy_threshold=self.copy_threshold
                )
            if routing_id is not None:
                data.set("routing_id", routing_id)
            if group is not None:
                data.set("group", group)
        if isinstance(data, Frame):
            if track and data.tracker is None:
                raise ValueError("not a tracked message: make the Frame with track=True")
            err = lib.zpy_send_frame(self._handle, data._msg, flags)
            while err == EINTR:
                err = lib.zpy_send_frame(self._handle, data._msg, flags)
            if err:
                _raise_errno(err)
            return data.tracker
        view = _buffer_of(data)
        if copy or len(view) < self.copy_threshold:
            self._retry_send_copy(EINTR, view, flags)
            return None if copy else finished_tracker()
        return self._send_zerocopy(view, flags, track)

    def _send_zerocopy(self, view: Any, flags: int, track: bool) -> Any:
        msg = ffi.new("zmq_msg_t *")
        item = init_zerocopy(msg, view, track)
        # the tracker holds its own reference to the item; make it before libzmq can
        # drop the message's reference
        tracker = new_tracker(TrackerEvent(item)) if track else None
        err = lib.zpy_send_msg(self._handle, msg, flags)
        while err == EINTR:
            err = lib.zpy_send_msg(self._handle, msg, flags)
        if err:
            lib.zmq_msg_close(msg)  # libzmq releases the item: the buffer is freed later
            _raise_errno(err)
        return tracker

    def send_multipart(
        self,
        msg_parts: Sequence[Any],
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
    ) -> Any:
        """Send a multipart message. Every part is checked before anything is sent, so
        a bad part never leaves half a message queued."""
        parts = msg_parts if isinstance(msg_parts, (list, tuple)) else list(msg_parts)
        if not parts:
            raise ValueError("send_multipart needs at least one frame")
        last = len(parts) - 1
        if copy and all(type(p) is bytes for p in parts):
            handle = self._handle
            more = flags | SNDMORE
            for i, part in enumerate(parts):
                f = more if i < last else flags
                err = lib.zpy_send_copy(handle, part, len(part), f)
                if err:
                    self._retry_send_copy(err, part, f)
            return None
        for i, part in enumerate(parts):
            if isinstance(part, (bytes, Frame)):
                continue
            if isinstance(part, str):
                raise TypeError(f"frame {i}: unicode not allowed, use send_string")
            try:
                memoryview(part)
            except TypeError:
                raise TypeError(
                    f"frame {i} ({part!r:.32}) does not support the buffer interface"
                ) from None
        for part in parts[:-1]:
            self.send(part, flags | SNDMORE, copy=copy, track=track)
        return self.send(parts[-1], flags, copy=copy, track=track)

    # ------------------------------------------------------------------ receiving

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        """Receive one frame: bytes, or a Frame with ``copy=False``."""
        msg = self._rmsg
        if copy and msg is not None:
            info = self._rinfo
            n = lib.zpy_recv(self._handle, msg, flags, info)
            if n < 0:
                n = self._retry_recv(n, msg, flags, info)
            data = ffi.unpack(info.data, n)
            if n >= _RELEASE_AFTER:
                lib.zpy_msg_reset(msg)
            return data
        frame = self._recv_frame(flags)
        return frame.bytes if copy else frame

    def _retry_recv(self, n: int, msg: Any, flags: int, info: Any) -> int:
        while n == -EINTR:
            n = lib.zpy_recv(self._handle, msg, flags, info)
        if n < 0:
            _raise_errno(-n)
        return int(n)

    def _recv_frame(self, flags: int) -> Frame:
        msg = lib.zpy_msg_new()
        if msg == ffi.NULL:
            raise MemoryError()
        info = ffi.new("zpy_recv_info *")
        n = lib.zpy_recv(self._handle, msg, flags, info)
        while n == -EINTR:
            n = lib.zpy_recv(self._handle, msg, flags, info)
        if n < 0:
            lib.zpy_msg_free(msg)
            _raise_errno(-n)
        return _wrap_msg(_own(msg, n), bool(info.more))

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> list[Any]:
        """Receive every part of a multipart message (bytes, or Frames with copy=False)."""
        msg = self._rmsg
        if copy and msg is not None:
            handle = self._handle
            info = self._rinfo
            parts = []
            while True:
                n = lib.zpy_recv(handle, msg, flags, info)
                if n < 0:
                    n = self._retry_recv(n, msg, flags, info)
                parts.append(ffi.unpack(info.data, n))
                if not info.more:
                    if n >= _RELEASE_AFTER:
                        lib.zpy_msg_reset(msg)
                    return parts
        frames = [self._recv_frame(flags)]
        while frames[-1].more:
            frames.append(self._recv_frame(flags))
        return [f.bytes for f in frames] if copy else frames

    def recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int:
        """Receive one frame into a writable ``buffer`` (at most ``nbytes`` bytes, 0: the
        whole buffer). Returns the frame's full size, which exceeds what was written if
        the frame was truncated."""
        try:
            view = ffi.from_buffer(buffer, require_writable=True)
        except (TypeError, BufferError) as e:
            raise TypeError(f"recv_into needs a writable contiguous buffer: {e}") from None
        nbytes = _int_value(nbytes)
        if nbytes < 0:
            raise ValueError(f"nbytes must be >= 0, got {nbytes}")
        if nbytes == 0:
            nbytes = len(view)
        elif nbytes > len(view):
            raise ValueError(f"nbytes={nbytes} is larger than the buffer ({len(view)} bytes)")
        n = lib.zpy_recv_into(self._handle, view, nbytes, flags)
        while n == -EINTR:
            n = lib.zpy_recv_into(self._handle, view, nbytes, flags)
        if n < 0:
            _raise_errno(-n)
        return int(n)
