"""Frame (alias Message): one message part, with metadata access by key."""

from __future__ import annotations

from typing import Union

from zmq.backend import Frame as FrameBase
from zmq.constants import MessageOption

from .attrsettr import AttributeSetter

__all__ = ["Frame", "Message"]


class Frame(FrameBase, AttributeSetter):
    """A zmq message frame.

    ``Frame(data=b"", track=False, copy=None, copy_threshold=None)``: ``data`` is any
    bytes-like object. Received frames (``recv(copy=False)``) expose ``bytes``,
    ``buffer``, ``more``, ``tracker`` and their metadata: ``frame["User-Id"]`` or
    ``frame.get("Socket-Type")``.
    """

    _option_enums = (MessageOption,)

    def __getitem__(self, key: str) -> Union[str, int]:
        """Metadata property ``key`` (e.g. ``"Peer-Address"``); ZMQError if absent."""
        return self.get(key)


Message = Frame
