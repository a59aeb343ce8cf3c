"""zmq.asyncio with sync contexts and sockets (shadows), Context.instance, monitors,
several event loops, and the deprecated names."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import zmq
import zmq.asyncio
from zmq.utils.monitor import recv_monitor_message


def test_public_names():
    assert set(zmq.asyncio.__all__) == {"Context", "Socket", "Poller", "ZMQEventLoop", "install"}
    assert issubclass(zmq.asyncio.Context, zmq.Context)
    assert issubclass(zmq.asyncio.Poller, zmq.Poller)
    assert zmq.asyncio.Context._socket_class is zmq.asyncio.Socket


async def test_instance_is_its_own():
    sync: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    ctx = zmq.asyncio.Context.instance()
    try:
        assert type(ctx) is zmq.asyncio.Context
        assert ctx is zmq.asyncio.Context.instance() and ctx is not sync
    finally:
        ctx.term()
    assert zmq.Context.instance() is sync


async def test_async_context_shadowing_a_sync_one(context, endpoint):
    sync_ctx = zmq.Context()
    try:
        for ctx in (zmq.asyncio.Context(sync_ctx), zmq.asyncio.Context.shadow(sync_ctx.underlying)):
            assert ctx.underlying == sync_ctx.underlying
            url = endpoint("inproc")  # inproc works only within one libzmq context
            pull = ctx.socket(zmq.PULL)
            push = sync_ctx.socket(zmq.PUSH)
            pull.bind(url)
            push.connect(url)
            received = pull.recv()
            push.send(b"from sync")
            assert await received == b"from sync"
            pull.close(linger=0)
            push.close(linger=0)
    finally:
        sync_ctx.term()


@pytest.mark.parametrize("how", ["constructor", "from_socket", "shadow"])
async def test_async_socket_over_a_sync_socket(how, endpoint):
    sync_ctx = zmq.Context()
    sync_pull, push = sync_ctx.socket(zmq.PULL), sync_ctx.socket(zmq.PUSH)
    try:
        url = endpoint("ipc")
        sync_pull.bind(url)
        push.connect(url)
        if how == "constructor":
            pull = zmq.asyncio.Socket(sync_pull)
        elif how == "from_socket":
            pull = zmq.asyncio.Socket.from_socket(sync_pull)
        else:
            pull = zmq.asyncio.Socket.shadow(sync_pull.underlying)
        assert isinstance(pull, zmq.asyncio.Socket)
        assert pull.underlying == sync_pull.underlying and pull.type == zmq.PULL
        received = pull.recv_multipart()
        push.send_multipart([b"a", b"b"])
        assert await received == [b"a", b"b"]
    finally:
        sync_pull.close(linger=0)
        push.close(linger=0)
        sync_ctx.term()


async def test_monitor_socket_is_async(socket):
    server, client = socket(zmq.PULL), socket(zmq.PUSH)
    monitor = server.get_monitor_socket()
    assert isinstance(monitor, zmq.asyncio.Socket)
    server.bind("tcp://127.0.0.1:*")
    event = await recv_monitor_message(monitor)
    assert event["event"] == zmq.EVENT_LISTENING
    client.linger = 0
    client.connect(server.last_endpoint.decode())
    while event["event"] != zmq.EVENT_ACCEPTED:
        event = await recv_monitor_message(monitor)
    assert event["endpoint"] == server.last_endpoint
    server.disable_monitor()


def test_sockets_move_between_event_loops(push_pull):
    push, pull = push_pull

    async def round_trip(n: int) -> bytes:
        received = pull.recv()
        await push.send(b"%d" % n)
        return await received

    def run(coro: Any) -> Any:
        # not asyncio.run(): it would unset the current loop that pytest-asyncio manages
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(coro)
        finally:
            loop.close()

    for n in range(3):  # a new loop each time
        assert run(round_trip(n)) == b"%d" % n

    async def left_waiting() -> None:
        pull.recv()  # never awaited; its loop closes with it pending

    run(left_waiting())
    assert run(round_trip(3)) == b"3"


def test_deprecated_names():
    with pytest.warns(DeprecationWarning):
        zmq.asyncio.install()
    with pytest.warns(DeprecationWarning):
        loop = zmq.asyncio.ZMQEventLoop()
    try:
        assert isinstance(loop, asyncio.SelectorEventLoop)
    finally:
        loop.close()
