"""Socket and Context are generic at run time, as in pyzmq: annotations such as
``zmq.Context[Any]`` (evaluated at import time by e.g. ipykernel) and subclasses of
``zmq.Socket[bytes]`` work, on every backend and in every integration."""

from __future__ import annotations

import typing
from typing import Any

import pytest

import zmq
import zmq.asyncio


def test_subscripted_classes_are_aliases_of_the_class():
    # zmq.asyncio's classes fix their parameter, so type checkers (like pyzmq's stubs) call
    # subscripting them an error; at run time it must still work
    for alias, origin in [
        (zmq.Socket[bytes], zmq.Socket),
        (zmq.Context[Any], zmq.Context),
        (zmq.Context[zmq.Socket[bytes]], zmq.Context),
        (zmq.asyncio.Socket[Any], zmq.asyncio.Socket),  # type: ignore[misc]
        (zmq.asyncio.Context[Any], zmq.asyncio.Context),  # type: ignore[misc]
    ]:
        assert typing.get_origin(alias) is origin
    assert typing.get_args(zmq.Context[zmq.Socket[bytes]]) == (zmq.Socket[bytes],)
    assert zmq.SyncSocket == zmq.Socket[bytes]
    assert zmq.SyncContext == zmq.Context[zmq.Socket[bytes]]


def test_wrong_number_of_parameters_is_a_type_error():
    with pytest.raises(TypeError):
        zmq.Socket[bytes, int]  # type: ignore[misc]
    with pytest.raises(TypeError):
        zmq.Context[Any, Any]  # type: ignore[misc]


def test_annotations_evaluate_at_run_time():
    # what ipykernel does at import: annotations evaluated, not just stored as strings
    # (zmq.asyncio.Socket[Any]: a run-time-only subscript, see above)
    def kernel(ctx: zmq.Context[Any], shell: zmq.Socket[Any]) -> zmq.asyncio.Socket[Any]:  # type: ignore[type-arg]
        raise NotImplementedError

    kernel.__annotations__ = {
        "ctx": "zmq.Context[Any]",
        "shell": "zmq.Socket[Any]",
        "return": "zmq.asyncio.Socket[Any]",
    }
    hints = typing.get_type_hints(kernel, {"zmq": zmq, "Any": Any})
    assert typing.get_origin(hints["ctx"]) is zmq.Context
    assert typing.get_origin(hints["return"]) is zmq.asyncio.Socket


def test_subscripted_classes_make_working_objects(context):
    ctx = zmq.Context[zmq.Socket[bytes]](context)  # a shadow, through the alias
    assert isinstance(ctx, zmq.Context)
    push = zmq.Socket[bytes](ctx, zmq.PUSH)
    pull = zmq.SyncSocket(ctx, zmq.PULL)
    try:
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push.connect(f"tcp://127.0.0.1:{port}")
        push.send(b"through an alias")
        assert pull.poll(10_000) == zmq.POLLIN
        assert pull.recv() == b"through an alias"
    finally:
        push.close(linger=0)
        pull.close(linger=0)


class Counting(zmq.Socket[bytes]):
    """A user subclass of the parametrized class, with its own state and methods."""

    sent: int  # declared: undeclared attributes are taken for socket options

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent = 0

    def send_counted(self, data: bytes) -> None:
        self.send(data)
        self.sent += 1


def test_subclass_of_socket_bytes(context):
    assert Counting.__mro__[1] is zmq.Socket
    assert typing.get_args(Counting.__orig_bases__[0]) == (bytes,)  # type: ignore[attr-defined]
    push = context.socket(zmq.PUSH, socket_class=Counting)
    pull = context.socket(zmq.PULL)
    assert type(push) is Counting
    push.linger = 0  # options as attributes still work on the subclass
    assert push.linger == 0
    url = "inproc://generic-subclass"
    pull.bind(url)
    push.connect(url)
    push.send_counted(b"a")
    push.send_counted(b"b")
    assert pull.recv_multipart() == [b"a"]
    assert pull.recv() == b"b"
    assert push.sent == 2
    # still subscriptable at run time, like its base (not to type checkers)
    assert Counting[bytes] is not None  # type: ignore[misc]


def test_context_subclass_with_socket_class(context):
    class CountingContext(zmq.Context[Counting]):
        _socket_class = Counting

    ctx = CountingContext()
    try:
        s = ctx.socket(zmq.PAIR)
        assert type(s) is Counting
        s.close()
    finally:
        ctx.term()


async def test_asyncio_alias_makes_async_objects():
    # run-time-only subscripts, as above
    ctx = zmq.asyncio.Context[Any]()  # type: ignore[misc]
    try:
        assert isinstance(ctx, zmq.asyncio.Context)
        a = ctx.socket(zmq.PAIR)
        b = zmq.asyncio.Socket[Any](ctx, zmq.PAIR)  # type: ignore[misc]
        assert isinstance(a, zmq.asyncio.Socket) and isinstance(b, zmq.asyncio.Socket)
        a.bind("inproc://generic-asyncio")
        b.connect("inproc://generic-asyncio")
        await a.send(b"x")
        assert await b.recv() == b"x"
        a.close(linger=0)
        b.close(linger=0)
    finally:
        ctx.term()


def test_green_classes_are_subscriptable():
    green = pytest.importorskip("zmq.green")  # gevent: CPython only
    assert typing.get_origin(green.Socket[bytes]) is green.Socket
    assert typing.get_origin(green.Context[Any]) is green.Context
    ctx = green.Context[Any]()
    try:
        s = ctx.socket(zmq.PAIR)
        assert isinstance(s, green.Socket)
        s.close()
    finally:
        ctx.term()
