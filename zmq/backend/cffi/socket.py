"""The backend Socket: one libzmq socket (``void *``), with the hot path.

Hot path: ``send(bytes)`` is one C call (``zpy_try_send_copy``, errno as the result);
``recv()`` is one C call into a ``zmq_msg_t`` kept per socket plus ``ffi.unpack``. Those
first attempts never block and keep the GIL (see buildutils/build_cffi.py); only if
they would block (EAGAIN without DONTWAIT) does the GIL-releasing blocking call follow.
A closed socket's handle is NULL, for which libzmq itself fails with ENOTSOCK, so the
hot path needs no Python-level closed check. EINTR (a signal arrived while blocked)
returns to Python, which runs the signal handlers (Ctrl-C raises there), then retries.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Sequence
from typing import Any, NoReturn, Optional, Union

from zmq._tracker import _FINISHED_TRACKER, MessageTracker
from zmq.backend._draft import check_group

from . import draft
from ._cffi_zmq import ffi, lib
from ._check_rc import EAGAIN, EINTR, _c_str, _not_picklable, _raise_errno, _raise_last_error
from .context import Context
from .message import (
    _DRAFT_ON,
    Frame,
    _buffer_of,
    _default_copy_threshold,
    _need_draft,
    _new_msg,
    _own,
    _set_group,
    _set_routing_id,
    _wrap_msg,
)
from .utils import IPC_PATH_MAX_LEN, strerror
from .zerocopy import TrackerEvent, init_zerocopy

__all__ = ["Socket"]

ENOTSOCK: int = lib.ENOTSOCK
_ETERM: int = lib.ETERM
SNDMORE: int = lib.ZMQ_SNDMORE
DONTWAIT: int = lib.ZMQ_DONTWAIT
#: PyPy releases the GIL around every C call anyway: a non-blocking first receive
#: attempt would only add a call. On CPython it avoids the GIL round trip when a message
#: is queued; after a try finds nothing, the next receives block at once (REQ/REP).
_NO_TRY_RECV = platform.python_implementation() == "PyPy"
#: Receives that go straight to the blocking call after a try found nothing (the Cython
#: backend's value: a failed try costs libzmq extra polls on every REQ/REP round trip).
_BLOCKING_RECVS = 8
_EVENT_ALL: int = lib.ZMQ_EVENT_ALL
_FD: int = lib.ZMQ_FD
EINVAL: int = lib.EINVAL
_EVENTS: int = lib.ZMQ_EVENTS
#: Received contents up to this size are copied out (and the message released) inside
#: the receive call; bigger ones cost a second call to release the message (CPython
#: inproc, cpu us/msg: 64 B 1.46 -> 1.30 against no scratch; a 64 KiB scratch made 16 KiB
#: messages slower, 5.1 -> 5.6).
_SCRATCH = 4096
#: Copying sends at least this large release the GIL at once instead of trying with it
#: held first: holding it lets the sender copy far ahead of a receiving thread, up to the
#: high-water mark, through memory that has left the cache by the time it is read
#: (CPython inproc copy sends, vs pyzmq: 1 MiB 0.10x -> 0.98x, 64 KiB 0.43x -> 0.85x).
#: Lower than the Cython backend's: each try here also costs a Python-level call.
_NOGIL_SEND = 32768
#: Options libzmq reads and writes as uint64_t rather than int64_t.
_UINT64_OPTIONS = frozenset({lib.ZMQ_AFFINITY})
#: Byte options returned whole (binary ids), not as NUL-terminated strings.
_BINARY_OPTIONS = frozenset({lib.ZMQ_ROUTING_ID})
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


def _refuse_draft_type(socket_type: int) -> None:
    from zmq.backend._draft import socket_type_error

    exc = socket_type_error(socket_type)
    if exc is not None:
        raise exc


def _option_failed(option: int, err: int) -> NoReturn:
    """A draft option refused by a build without drafts says how to get them."""
    from zmq.backend._draft import option_error

    exc = option_error(option, err, _DRAFT_ON)
    if exc is not None:
        raise exc
    _raise_errno(err)


def _raise_addr_error(err: int, addr: Any, c_addr: bytes) -> NoReturn:
    """A ZMQError naming the endpoint (with the ipc path limit when it applies)."""
    if err in (EAGAIN, _ETERM):
        _raise_errno(err)
    from zmq.error import ZMQError

    text = strerror(err)
    if c_addr.startswith(b"ipc://") and len(c_addr) - 6 > IPC_PATH_MAX_LEN:
        text += f"; ipc paths are limited to {IPC_PATH_MAX_LEN} bytes"
    raise ZMQError(err, f"{text} (addr={addr!r})")  # pyzmq's wording


def _frame_info() -> tuple[Any, Any]:
    """Receive state for Frames (contents stay in their message) and an out-pointer."""
    info = ffi.new("zpy_recv_info *")
    return info, ffi.new("zmq_msg_t *[1]")


def _recv_info(cap: int) -> tuple[Any, Any]:
    """Receive state, and the scratch array (for contents up to ``cap`` bytes) that the
    caller keeps alive as long as the state."""
    info = ffi.new("zpy_recv_info *")
    scratch = ffi.new("char[]", cap)
    info.scratch = scratch
    info.cap = cap
    return info, scratch


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
        "_owner",
        "_rmsg",
        "_rinfo",
        "_scratch",
        "_finfo",
        "_blocking_recvs",
        "_busy",
        "context",
        "copy_threshold",
        "_type",
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
        self._owner: Optional[Context] = None  # counts this socket among its open ones
        self._rmsg: Any = None
        self._rinfo: Any = None
        self._scratch: Any = None
        self._finfo: Any = None
        # > 0: receive with the blocking call this many more times before trying a
        # non-blocking one again (a try just found nothing); < 0: always (PyPy)
        self._blocking_recvs = -1 if _NO_TRY_RECV else 0
        self._busy = 0  # calls on this socket now running without the GIL (see close)
        self.context = context
        self.copy_threshold = (
            _default_copy_threshold() if copy_threshold is None else int(copy_threshold)
        )
        if shadow:
            self._handle = ffi.cast("void *", int(shadow))
            self._closed = False
            socket_type = int(Socket.get(self, lib.ZMQ_TYPE))
        else:
            if not isinstance(context, Context):
                raise TypeError(f"context must be a zmq Context, got {context!r}")
            if not isinstance(socket_type, int):
                raise TypeError(f"socket_type must be an int, got {socket_type!r}")
            if socket_type < 0:
                raise TypeError("socket_type must be specified")
            if context._closed:
                _raise_errno(_ETERM)
            if not _DRAFT_ON:
                _refuse_draft_type(socket_type)
            handle = lib.zmq_socket(context._handle, socket_type)
            if handle == ffi.NULL:
                _raise_last_error()
            self._handle = handle
            self._closed = False
            context._n_sockets += 1
            self._owner = context
        self._type = socket_type
        if socket_type not in _THREADSAFE_TYPES:
            # receive state reused by every call (thread-safe types make their own)
            self._rmsg = _new_msg()
            self._rinfo, self._scratch = _recv_info(_SCRATCH)
            self._finfo = _frame_info()

    def __del__(self) -> None:
        # zmq_close never blocks; only our own sockets, in the process that made them
        if not self._closed and not self._is_shadow and self._owner_pid == os.getpid():
            if draft.pollers:
                draft.forget(self._handle)
            lib.zmq_close(self._handle)
        self._mark_closed()

    __reduce__ = _not_picklable

    # ------------------------------------------------------------------ lifetime

    @property
    def underlying(self) -> int:
        """The address of the libzmq socket, for shadowing (``Socket(shadow=...)``)."""
        return int(ffi.cast("uintptr_t", self._handle))

    @property
    def type(self) -> int:
        """The socket type (``ZMQ_TYPE``) as an int."""
        return self._type

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
        owner = self._owner
        if owner is not None:
            owner._n_sockets -= 1
            self._owner = None

    def close(self, linger: Optional[int] = None) -> None:
        """Close the socket (never blocks; idempotent); ``linger`` (ms) overrides LINGER
        first. A shadow, or the parent's socket in a forked child, is only marked closed.
        """
        if self._closed:
            return
        owner = self._owner
        if self._busy and owner is not None and owner._shut_down:
            # other threads are leaving their calls with ETERM: closing under them
            # would pull the socket from under libzmq
            while self._busy:
                time.sleep(0.001)
            if self._closed:
                return
        if linger is not None:
            # best effort: once the context is terminating this fails with ETERM
            value = ffi.new("int *", _int_value(linger))
            lib.zmq_setsockopt(self._handle, lib.ZMQ_LINGER, value, ffi.sizeof("int"))
        if not self._is_shadow and self._owner_pid == os.getpid():
            if draft.pollers:
                draft.forget(self._handle)
            lib.zmq_close(self._handle)
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
                raise TypeError(
                    f"option {option} takes bytes, not str: encode it first "
                    "(or use setsockopt_string)"
                )
            try:
                value = _buffer_of(optval)
            except TypeError:
                raise TypeError(f"expected bytes, got {optval!r}") from None
            size = len(value)
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
            err = ffi.errno
            if err != EINTR:
                _option_failed(option, err)

    def get(self, option: int) -> Union[int, bytes]:
        """Get a socket option: bytes for bytes options, else int."""
        self._check_open()
        kind = _option_type(option)
        if kind == "bytes":
            capacity = 41 if option in _Z85_OPTIONS else 1024
            value = ffi.new("char[]", capacity)
        elif kind == "int64":
            value = ffi.new("uint64_t *" if option in _UINT64_OPTIONS else "int64_t *")
            capacity = ffi.sizeof("int64_t")
        else:
            value = ffi.new("int *")
            capacity = ffi.sizeof("int")
        size = ffi.new("size_t *", capacity)
        if option == _EVENTS and draft.pollers:
            draft.drain(self._handle)  # re-arm the stand-in ZMQ_FD before reading events
        while lib.zmq_getsockopt(self._handle, option, value, size) != 0:
            err = ffi.errno
            if err != EINTR:
                if option == _FD and err == EINVAL and lib.zpy_is_thread_safe(self._handle):
                    return draft.poller_fd(self._handle)
                _option_failed(option, err)
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
            if err != EINTR:
                _raise_addr_error(err, addr, c_addr)

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
        _need_draft("Socket.join (RADIO-DISH)")
        self._check_open()
        err = lib.zpy_join(self._handle, check_group(_c_str(group, "group")))
        if err:
            _raise_errno(err)

    def leave(self, group: Union[str, bytes]) -> None:
        """Leave a group (DISH sockets, draft API)."""
        _need_draft("Socket.leave (RADIO-DISH)")
        self._check_open()
        err = lib.zpy_leave(self._handle, check_group(_c_str(group, "group")))
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
        """Send one frame: bytes or any contiguous buffer, or a Frame.

        ``copy=False`` shares the buffer with libzmq (zero-copy) if it is at least
        ``copy_threshold`` bytes. Returns a MessageTracker if ``track`` and not ``copy``
        (or the Frame's tracker when sending a Frame), else None.
        """
        if (
            type(data) is bytes
            and routing_id is None
            and group is None
            and (copy or len(data) < self.copy_threshold)
        ):
            if len(data) < _NOGIL_SEND:
                err = lib.zpy_try_send_copy(self._handle, data, len(data), flags)
            else:  # a long copy: let the receiving thread run meanwhile
                _set_busy(self, self._busy + 1)
                try:
                    err = lib.zpy_send_copy(self._handle, data, len(data), flags)
                finally:
                    _set_busy(self, self._busy - 1)
            if err:
                self._retry_send_copy(err, data, flags)
            return _FINISHED_TRACKER if track and not copy else None
        return self._send_other(data, flags, copy, track, routing_id, group)

    def _retry_send_copy(self, err: int, data: Any, flags: int) -> None:
        """After a failed attempt: block (GIL released) if the caller may wait."""
        if err == EAGAIN and not flags & DONTWAIT:
            err = EINTR
        # Reaching Python ran the signal handlers (KeyboardInterrupt raises before here).
        _set_busy(self, self._busy + 1)
        try:
            while err == EINTR:
                err = lib.zpy_send_copy(self._handle, data, len(data), flags)
        finally:
            _set_busy(self, self._busy - 1)
        if err:
            _raise_errno(err)

    def _send_msg(self, msg: Any, flags: int) -> None:
        """Send ``msg`` (consumed on success, closed on failure)."""
        _set_busy(self, self._busy + 1)
        try:
            err = lib.zpy_send_msg(self._handle, msg, flags)
            while err == EINTR:
                err = lib.zpy_send_msg(self._handle, msg, flags)
        finally:
            _set_busy(self, self._busy - 1)
        if err:
            lib.zmq_msg_close(msg)
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
        frame = data if isinstance(data, Frame) else None
        if frame is not None and track and frame.tracker is None:
            raise ValueError("Not a tracked message")
        if frame is None and copy and routing_id is None and group is None:
            view = _buffer_of(data)
            self._retry_send_copy(
                lib.zpy_try_send_copy(self._handle, view, len(view), flags), view, flags
            )
            return None
        if routing_id is not None or group is not None:
            _need_draft("send(routing_id=, group=)")
        msg, event = self._build_msg(data, copy, track)
        try:
            if routing_id is not None:
                _set_routing_id(msg, routing_id)
            if group is not None:
                _set_group(msg, group)
        except BaseException:
            lib.zmq_msg_close(msg)
            raise
        self._send_msg(msg, flags)
        if frame is not None:
            return frame.tracker
        if not track or copy:
            return None
        return _FINISHED_TRACKER if event is None else MessageTracker(event)

    def _build_msg(self, data: Any, copy: bool, track: bool) -> tuple[Any, Optional[TrackerEvent]]:
        """A ``zmq_msg_t *`` holding ``data`` (a Frame's content is shared, a buffer is
        copied, or shared if ``copy`` is false and it reaches ``copy_threshold``), and the
        completion event of a tracked zero-copy message."""
        msg = ffi.new("zmq_msg_t *")
        if isinstance(data, Frame):
            lib.zmq_msg_init(msg)
            if lib.zmq_msg_copy(msg, data._msg) != 0:
                _raise_last_error()
            return msg, None
        view = _buffer_of(data)
        if copy or len(view) < self.copy_threshold:
            _check_init(lib.zpy_msg_init_copy(msg, view, len(view)))
            return msg, None
        item = init_zerocopy(msg, view, track)
        # the event holds its own reference to the item, taken before libzmq can drop
        # the message's
        return msg, TrackerEvent(item) if track else None

    def send_multipart(
        self,
        msg_parts: Sequence[Any],
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Send a sequence of frames as one message. Every frame is checked (and every
        zero-copy message built) before the first is sent, so a bad frame raises
        TypeError naming its index and nothing is sent. ``kwargs`` (routing_id, group)
        apply to every frame."""
        parts = msg_parts if isinstance(msg_parts, (list, tuple)) else list(msg_parts)
        if not parts:
            raise ValueError("send_multipart needs at least one frame")
        last = len(parts) - 1
        if kwargs:
            # through this class's send: a subclass's send (e.g. an async one) is not this one
            for part in parts[:-1]:
                Socket.send(self, part, flags | SNDMORE, copy, track, **kwargs)
            return Socket.send(self, parts[-1], flags, copy, track, **kwargs)
        if copy:
            if all(type(p) is bytes for p in parts):
                handle = self._handle
                more = flags | SNDMORE
                for i, part in enumerate(parts):
                    f = more if i < last else flags
                    err = lib.zpy_try_send_copy(handle, part, len(part), f)
                    if err:
                        self._retry_send_copy(err, part, f)
                return None
            views = [
                p if isinstance(p, (bytes, Frame)) else _part_view(p, i)
                for i, p in enumerate(parts)
            ]
            for i, part in enumerate(views):
                f = flags | SNDMORE if i < last else flags
                if isinstance(part, Frame):
                    self._send_other(part, f, True, False, None, None)
                else:
                    err = lib.zpy_try_send_copy(self._handle, part, len(part), f)
                    if err:
                        self._retry_send_copy(err, part, f)
            return None
        # zero-copy: build every message first, then send them
        for i, part in enumerate(parts):
            if isinstance(part, Frame):
                if track and part.tracker is None:
                    raise ValueError(f"frame {i} is not a tracked message")
            elif not isinstance(part, bytes):
                _part_view(part, i)
        built: list[Any] = []
        watched: list[Any] = []
        try:
            for part in parts:
                msg, event = self._build_msg(part, False, track)
                built.append(msg)
                if isinstance(part, Frame):
                    if part.tracker is not None:
                        watched.append(part.tracker)
                elif event is not None:
                    watched.append(event)
            while built:
                msg = built.pop(0)
                self._send_msg(msg, flags | SNDMORE if built else flags)
        finally:
            for msg in built:
                lib.zmq_msg_close(msg)
        if not track:
            return None
        return MessageTracker(*watched)

    # ------------------------------------------------------------------ receiving

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        """Receive one frame: bytes, or a Frame if ``copy=False``."""
        msg = self._rmsg
        if copy and msg is not None:
            info = self._rinfo
            streak = self._blocking_recvs
            if streak:
                if streak > 0:
                    _set_blocking_recvs(self, streak - 1)
                _set_busy(self, self._busy + 1)
                try:
                    n = lib.zpy_recv(self._handle, msg, flags, info)
                finally:
                    _set_busy(self, self._busy - 1)
            else:
                n = lib.zpy_try_recv(self._handle, msg, flags, info)
                if n == -EAGAIN and not flags & DONTWAIT:
                    _set_blocking_recvs(self, _BLOCKING_RECVS)
                    n = -EINTR
            if n < 0:
                n = self._retry_recv(n, msg, flags, info)
            data = ffi.unpack(info.data, n)
            if n > _SCRATCH:
                lib.zpy_msg_reset(msg)
            return data
        frame = self._recv_frame(flags)
        if copy:
            return frame.bytes
        if track:
            frame.tracker = _FINISHED_TRACKER
        return frame

    def _retry_recv(self, n: int, msg: Any, flags: int, info: Any) -> int:
        """After a failed receive: EINTR (or a try that found nothing) blocks again."""
        _set_busy(self, self._busy + 1)
        try:
            while n == -EINTR:
                n = lib.zpy_recv(self._handle, msg, flags, info)
        finally:
            _set_busy(self, self._busy - 1)
        if n < 0:
            _raise_errno(-n)
        return int(n)

    def _recv_frame(self, flags: int) -> Frame:
        info, out = self._finfo or _frame_info()
        streak = self._blocking_recvs
        if streak:
            if streak > 0:
                _set_blocking_recvs(self, streak - 1)
            _set_busy(self, self._busy + 1)
            try:
                n = lib.zpy_recv_new(self._handle, flags, info, out)
            finally:
                _set_busy(self, self._busy - 1)
        else:
            n = lib.zpy_try_recv_new(self._handle, flags, info, out)
            if n == -EAGAIN and not flags & DONTWAIT:
                _set_blocking_recvs(self, _BLOCKING_RECVS)
                n = -EINTR
        if n < 0:
            _set_busy(self, self._busy + 1)
            try:
                while n == -EINTR:
                    n = lib.zpy_recv_new(self._handle, flags, info, out)
            finally:
                _set_busy(self, self._busy - 1)
            if n < 0:
                _raise_errno(-n)
        return _wrap_msg(_own(out[0], n), bool(info.more))

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> list[Any]:
        """Receive every frame of one message: a list of bytes (or Frames if
        ``copy=False``)."""
        msg = self._rmsg
        if copy and msg is not None:
            handle = self._handle
            info = self._rinfo
            parts = []
            while True:
                n = lib.zpy_try_recv(handle, msg, flags, info)
                if n == -EAGAIN and not flags & DONTWAIT:
                    n = -EINTR  # only the first part can be missing
                if n < 0:
                    n = self._retry_recv(n, msg, flags, info)
                parts.append(ffi.unpack(info.data, n))
                if n > _SCRATCH:
                    lib.zpy_msg_reset(msg)
                if not info.more:
                    return parts
        frames = [Socket.recv(self, flags, False, track)]
        while frames[-1].more:
            frames.append(Socket.recv(self, flags, False, track))
        return [f.bytes for f in frames] if copy else frames

    def recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int:
        """Receive one frame into a writable buffer (at most ``nbytes``, default its
        size). Returns the frame's full size, like zmq_recv: larger than what was
        written if the frame was truncated."""
        nbytes = _int_value(nbytes)
        if nbytes < 0:
            raise ValueError(f"nbytes must be >= 0, got {nbytes}")
        try:
            mv = memoryview(buffer)
        except TypeError:
            raise TypeError(f"recv_into needs a writable buffer, got {buffer!r:.60}") from None
        if mv.readonly or not mv.contiguous:
            problem = "read-only" if mv.readonly else "not contiguous"
            raise BufferError(f"{type(buffer).__name__} buffer is {problem}")
        view = ffi.from_buffer(buffer, require_writable=True)
        if nbytes == 0:
            nbytes = len(view)
        elif nbytes > len(view):
            raise ValueError(f"nbytes={nbytes} is larger than the buffer ({len(view)} bytes)")
        _set_busy(self, self._busy + 1)
        try:
            n = lib.zpy_recv_into(self._handle, view, nbytes, flags)
            while n == -EINTR:
                n = lib.zpy_recv_into(self._handle, view, nbytes, flags)
        finally:
            _set_busy(self, self._busy - 1)
        if n < 0:
            _raise_errno(-n)
        return int(n)


#: store the slots directly, past the sugar's attribute hooks (they are on the hot path)
_set_blocking_recvs = vars(Socket)["_blocking_recvs"].__set__
_set_busy = vars(Socket)["_busy"].__set__


def _part_view(part: Any, index: int) -> Any:
    """``ffi.from_buffer`` of a multipart frame, with an error naming its index."""
    if isinstance(part, str):
        raise TypeError(f"frame {index}: unicode not allowed, use send_string")
    try:
        return _buffer_of(part)
    except (TypeError, BufferError) as e:
        raise type(e)(f"frame {index}: {e}") from None


def _check_init(err: int) -> None:
    if err:
        _raise_errno(err)
