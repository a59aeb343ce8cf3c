"""Frame (alias Message): one message part, with its message options as attributes."""

from __future__ import annotations

from zmq.backend import Frame as FrameBase
from zmq.constants import MessageOption

from ._backend_docs import FRAME as _FRAME_DOCS
from ._backend_docs import document
from .attrsettr import AttributeSetter

__all__ = ["Frame", "Message"]

document(FrameBase, _FRAME_DOCS)


class Frame(FrameBase, AttributeSetter):
    """A message frame: one part of a message, without copying its content.

    What ``recv(copy=False)`` returns, and what to send for zero-copy sends of large
    buffers. ``bytes`` copies the content out, ``buffer`` is a memoryview of it (no
    copy); ``more`` says whether more frames of the message follow; message options are
    attributes (``frame.shared``) and metadata is read by name: ``frame["User-Id"]`` or
    ``frame.get("Peer-Address")``.

    .. versionadded:: 14.4

    Parameters
    ----------
    data : bytes-like, optional
        The content: any object supporting the buffer protocol (a str is refused).
    track : bool, optional
        Give the frame a :class:`MessageTracker` (``frame.tracker``) telling when libzmq
        no longer uses ``data``.
    copy : bool, optional
        Copy ``data`` (True), share it with libzmq (False), or (None, the default) copy
        only below ``copy_threshold`` bytes.
    copy_threshold : int, optional
        The size under which ``copy=None`` copies (default ``zmq.COPY_THRESHOLD``).
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
