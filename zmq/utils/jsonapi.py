"""JSON helpers used by ``send_json``/``recv_json``: bytes out, bytes or str in."""

from __future__ import annotations

import json
from typing import Any, Union

__all__ = ["dumps", "loads"]

#: the JSON module in use; always the standard library's (kept for code that checks it)
jsonmod = json


def dumps(o: Any, **kwargs: Any) -> bytes:
    """Serialize an object to UTF-8 JSON bytes (what ``send_json`` sends).

    Parameters
    ----------
    o : object
        A JSON-serializable object.
    **kwargs
        Keyword arguments for :func:`json.dumps` (e.g. ``sort_keys=True``).

    Returns
    -------
    bytes
        The UTF-8 encoded JSON.

    Raises
    ------
    TypeError
        If ``o`` is not JSON-serializable.
    """
    return json.dumps(o, **kwargs).encode("utf-8")


def loads(
    s: Union[bytes, bytearray, memoryview, str], **kwargs: Any
) -> Union[dict[str, Any], list[Any], str, float]:
    """Deserialize JSON from bytes (UTF-8) or str (what ``recv_json`` does).

    Parameters
    ----------
    s : bytes, bytearray, memoryview or str
        The JSON document.
    **kwargs
        Keyword arguments for :func:`json.loads`.

    Returns
    -------
    object
        The decoded value.

    Raises
    ------
    json.JSONDecodeError
        If ``s`` is not valid JSON; UnicodeDecodeError if it is not UTF-8.
    """
    if isinstance(s, memoryview):
        s = s.tobytes()
    if isinstance(s, (bytes, bytearray)):
        s = s.decode("utf-8")
    result: Union[dict[str, Any], list[Any], str, float] = json.loads(s, **kwargs)
    return result
