"""The backend's type stub (zmq/backend/__init__.pyi) satisfies the backend contract's
protocols (zmq/backend/_contract.py): mypy checks the classes structurally against them,
so the stub and the contract cannot drift apart."""

from zmq import backend
from zmq.backend._contract import (
    ContextProtocol,
    FrameProtocol,
    MessageTrackerLike,
    SocketProtocol,
)
from zmq.constants import PUSH

context_class: type[ContextProtocol] = backend.Context
socket_class: type[SocketProtocol] = backend.Socket
frame_class: type[FrameProtocol] = backend.Frame
message_class: type[FrameProtocol] = backend.Message

context: ContextProtocol = backend.Context()
socket: SocketProtocol = backend.Socket(context, PUSH)
frame: FrameProtocol = backend.Frame(b"data")
tracker: MessageTrackerLike | None = socket.send(frame, copy=False, track=True)
