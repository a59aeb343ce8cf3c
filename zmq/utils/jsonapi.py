"""JSON helpers used by ``send_json``/``recv_json``: bytes out, bytes or str in."""

from __future__ import annotations

import json
from typing import Any, Union

__all__ = ["dumps", "loads"]

#: the JSON module in use; always the standard library's (kept for code that checks it)
jsonmod = json


def dumps(o: Any, **kwargs: Any) -> bytes:
    """Serialize ``o`` to UTF-8 JSON bytes; keyword arguments go to :func:`json.dumps`."""
    return json.dumps(o, **kwargs).encode("utf-8")


def loads(s: Union[bytes, bytearray, memoryview, str], **kwargs: Any) -> Any:
    """Deserialize JSON from bytes-like (UTF-8) or str; keyword arguments go to :func:`json.loads`."""
    if isinstance(s, memoryview):
        s = s.tobytes()
    if isinstance(s, (bytes, bytearray)):
        s = s.decode("utf-8")
    return json.loads(s, **kwargs)
