"""Parse the two-frame event messages a socket monitor (``Socket.monitor``) sends."""

from __future__ import annotations

import inspect
import struct
from typing import TYPE_CHECKING, Any, Awaitable, Sequence, TypedDict, overload

from zmq.constants import Event

if TYPE_CHECKING:
    import zmq
    import zmq.asyncio

__all__ = ["parse_monitor_message", "recv_monitor_message"]

# libzmq 4 monitor frame 1: uint16 event id, then a 32-bit value, in native byte order
_EVENT_FORMAT = "=Hi"
_EVENT_SIZE = struct.calcsize(_EVENT_FORMAT)


class _MonitorMessage(TypedDict):
    event: Event
    value: int
    endpoint: bytes


def _as_bytes(part: Any) -> bytes:
    return part if isinstance(part, bytes) else bytes(getattr(part, "bytes", part))


def parse_monitor_message(msg: Sequence[Any]) -> _MonitorMessage:
    """Decode a monitor event message.

    Parameters
    ----------
    msg : list of bytes or Frame
        The two frames a monitor socket received: the event (a 16-bit event number and
        a 32-bit value) and the endpoint.

    Returns
    -------
    dict
        ``{'event': zmq.Event, 'value': int, 'endpoint': bytes}``; ``value`` depends on
        the event (a file descriptor, an errno, a reconnect interval...).

    Raises
    ------
    RuntimeError
        If ``msg`` is not a well-formed event message.
    """
    if len(msg) != 2:
        raise RuntimeError(f"Invalid monitor message: expected 2 frames, got {len(msg)}")
    first, endpoint = (_as_bytes(part) for part in msg)
    if len(first) != _EVENT_SIZE:
        raise RuntimeError(f"Invalid monitor event frame of {len(first)} bytes: {first!r}")
    event_id, value = struct.unpack(_EVENT_FORMAT, first)
    return {"event": Event(event_id), "value": value, "endpoint": endpoint}


@overload
def recv_monitor_message(
    socket: zmq.asyncio.Socket, flags: int = 0
) -> Awaitable[_MonitorMessage]: ...


@overload
def recv_monitor_message(socket: zmq.Socket[bytes], flags: int = 0) -> _MonitorMessage: ...


def recv_monitor_message(socket: Any, flags: int = 0) -> Any:
    """Receive one event from a monitor socket and decode it.

    Parameters
    ----------
    socket : Socket
        A socket from :meth:`Socket.get_monitor_socket` (or a PAIR socket connected to
        a :meth:`Socket.monitor` endpoint).
    flags : int, optional
        Flags for ``recv_multipart`` (``zmq.NOBLOCK``).

    Returns
    -------
    dict or awaitable
        As :func:`parse_monitor_message` returns; for an async socket, an awaitable of it.
    """
    msg = socket.recv_multipart(flags)
    if inspect.isawaitable(msg):

        async def parse_when_received() -> _MonitorMessage:
            return parse_monitor_message(await msg)

        return parse_when_received()
    return parse_monitor_message(msg)
