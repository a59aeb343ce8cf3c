"""ZMQStream's public methods take the parameters pyzmq 27's do (names, kinds, defaults)."""

from __future__ import annotations

import inspect

import pytest

import zmq
from zmq.eventloop.zmqstream import ZMQStream

SEND_OPTIONS = [("flags", 0), ("copy", True), ("track", False), ("callback", None)]
STRING_OPTIONS = [("flags", 0), ("encoding", "utf-8"), ("callback", None)]
EMPTY = inspect.Parameter.empty

#: method -> (parameter, default) after self; "**kwargs" marks a VAR_KEYWORD parameter
EXPECTED: dict[str, list[tuple[str, object]]] = {
    "__init__": [("socket", EMPTY), ("io_loop", None)],
    "close": [("linger", None)],
    "closed": [],
    "flush": [("flag", zmq.POLLIN | zmq.POLLOUT), ("limit", None)],
    "on_err": [("callback", EMPTY)],
    "on_recv": [("callback", EMPTY), ("copy", True)],
    "on_recv_stream": [("callback", EMPTY), ("copy", True)],
    "on_send": [("callback", EMPTY)],
    "on_send_stream": [("callback", EMPTY)],
    "receiving": [],
    "send": [("msg", EMPTY), *SEND_OPTIONS, ("**kwargs", EMPTY)],
    "send_json": [("obj", EMPTY), ("flags", 0), ("callback", None), ("**kwargs", EMPTY)],
    "send_multipart": [("msg", EMPTY), *SEND_OPTIONS, ("**kwargs", EMPTY)],
    "send_pyobj": [
        ("obj", EMPTY),
        ("flags", 0),
        ("protocol", -1),
        ("callback", None),
        ("**kwargs", EMPTY),
    ],
    "send_string": [("u", EMPTY), *STRING_OPTIONS, ("**kwargs", EMPTY)],
    "send_unicode": [("u", EMPTY), *STRING_OPTIONS, ("**kwargs", EMPTY)],
    "sending": [],
    "set_close_callback": [("callback", EMPTY)],
    "stop_on_err": [],
    "stop_on_recv": [],
    "stop_on_send": [],
}


def test_public_methods_are_exactly_these() -> None:
    public = {n for n in dir(ZMQStream) if not n.startswith("_")}
    assert public == set(EXPECTED) - {"__init__"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_signature(name: str) -> None:
    params = list(inspect.signature(getattr(ZMQStream, name)).parameters.values())[1:]
    described = [("**" + p.name if p.kind is p.VAR_KEYWORD else p.name, p.default) for p in params]
    assert described == EXPECTED[name]
    assert all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.VAR_KEYWORD) for p in params)
