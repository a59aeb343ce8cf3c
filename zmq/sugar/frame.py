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
        # pyzmq's format: up to 16 bytes whole, else the first 12 and the size in B/kB/MB/GB
        view = self.buffer  # no copy of a large message
        size = len(view)
        shown = repr(bytes(view)) if size <= 16 else f"{bytes(view[:12])!r}...{_size_text(size)}"
        cls = type(self)
        module = "zmq" if cls.__module__ == __name__ else cls.__module__
        return f"<{module}.{cls.__name__}({shown})>"


# (threshold, divisor, unit), largest first; pyzmq switches to MB at 2**20 bytes, not 10**6
_SIZE_UNITS = ((10**9, 10**9, "GB"), (2**20, 10**6, "MB"), (1000, 1000, "kB"))


def _size_text(size: int) -> str:
    for threshold, divisor, unit in _SIZE_UNITS:
        if size >= threshold:
            return f"{size // divisor}{unit}"
    return f"{size}B"


Message = Frame
