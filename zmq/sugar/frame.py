"""Frame (alias Message): one message part, with its message options as attributes."""

from __future__ import annotations

from zmq.backend import Frame as FrameBase
from zmq.constants import MessageOption

from .attrsettr import AttributeSetter

__all__ = ["Frame", "Message"]


class Frame(FrameBase, AttributeSetter):
    """A zmq message frame.

    ``Frame(data=b"", track=False, copy=None, copy_threshold=None)``: ``data`` is any
    bytes-like object. Frames (also what ``recv(copy=False)`` returns) expose ``bytes``,
    ``buffer``, ``more``, ``tracker``, message options as attributes (``frame.shared``)
    and metadata by name: ``frame["User-Id"]`` or ``frame.get("Socket-Type")``.
    """

    _option_enums = (MessageOption,)

    def __repr__(self) -> str:
        # pyzmq's format: up to 16 bytes whole, else the first 12 and the size
        view = self.buffer  # no copy of a large message
        size = len(view)
        shown = repr(bytes(view)) if size <= 16 else f"{bytes(view[:12])!r}...{size}B"
        cls = type(self)
        name = "zmq.Frame" if cls is Frame else f"{cls.__module__}.{cls.__qualname__}"
        return f"<{name}({shown})>"


Message = Frame
