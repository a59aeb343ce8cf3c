"""zmq.eventloop.future: future-returning sockets and poller on tornado's IOLoop.

Most tests run as coroutines on the test's asyncio loop (``IOLoop.current()`` is tornado's
wrapper of it); the ``run_sync`` ones drive a separate IOLoop the classic tornado way.
"""

from __future__ import annotations

import asyncio
import json
import socket as stdlib_socket
import typing
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tornado import gen
from tornado.concurrent import Future as TornadoFuture
from tornado.ioloop import IOLoop

import zmq
from zmq.eventloop import future

DEADLINE = timedelta(seconds=10)


@pytest.fixture
def Context() -> type:
    return future.Context


@pytest.fixture
def ioloop() -> Iterator[IOLoop]:
    """A fresh IOLoop, not current: tests run coroutines on it with run_sync."""
    loop = IOLoop(make_current=False)
    yield loop
    if not getattr(loop, "closing", False):
        loop.close(all_fds=True)


def test_context_makes_future_sockets(context: Any) -> None:
    s = context.socket(zmq.PUSH)
    assert isinstance(s, future.Socket) and isinstance(s, zmq.Socket)
    assert repr(s).startswith("<zmq.eventloop.future.Socket(zmq.PUSH) at ")
    assert repr(context).startswith("<zmq.eventloop.future.Context(")
    assert isinstance(s._poller_class(), future.Poller)
    assert context.io_loop is None


def test_classes_are_generic_like_the_other_variants() -> None:
    # as zmq.asyncio's: the parameter is fixed, and a subscript still works at run time
    # (annotations such as ``future.Socket[Any]`` are evaluated by some libraries); type
    # checkers call these subscripts errors, as for zmq.asyncio's classes
    assert typing.get_origin(future.Socket[Any]) is future.Socket  # type: ignore[misc]
    assert typing.get_origin(future.Context[Any]) is future.Context  # type: ignore[misc]
    assert future.Context.__orig_bases__[0].__args__ == (future.Socket,)  # type: ignore[attr-defined]

    def annotated(ctx: future.Context[Any], s: future.Socket[Any]) -> None:  # type: ignore[type-arg]
        raise NotImplementedError

    hints = typing.get_type_hints(annotated)
    assert typing.get_origin(hints["ctx"]) is future.Context


def test_instance_is_not_the_sync_one() -> None:
    sync: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    tornado_ctx = future.Context.instance()
    try:
        assert type(sync) is zmq.Context and type(tornado_ctx) is future.Context
        assert future.Context.instance() is tornado_ctx
    finally:
        tornado_ctx.term()
        sync.term()


def test_io_loop_argument_is_deprecated(ioloop: IOLoop) -> None:
    with pytest.deprecated_call(match="io_loop"):
        ctx = future.Context(io_loop=ioloop)
    assert type(ctx) is future.Context and ctx.io_loop is None
    ctx.term()


def test_shadows_a_sync_context() -> None:
    sync = zmq.Context()
    try:
        shadow = future.Context(sync)
        assert shadow.underlying == sync.underlying
        s = shadow.socket(zmq.PAIR)
        assert isinstance(s, future.Socket)
        s.close(linger=0)
    finally:
        sync.term()


#: (send method, recv method, value): each pair round-trips the value
ROUND_TRIPS = [
    ("send", "recv", b"one"),
    ("send_multipart", "recv_multipart", [b"a", b"", b"c" * 100_000]),
    ("send_string", "recv_string", "héllo"),
    ("send_json", "recv_json", {"k": [1, 2]}),
    ("send_pyobj", "recv_pyobj", {"set": {1, 2}}),
]


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
async def test_every_send_and_recv_returns_a_tornado_future(
    bound_pair: Any, transport: str
) -> None:
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, transport)
    for send, recv, value in ROUND_TRIPS:
        received = getattr(pull, recv)()
        sent = getattr(push, send)(value)
        assert isinstance(sent, TornadoFuture) and isinstance(received, TornadoFuture)
        assert await sent is None
        assert await gen.with_timeout(DEADLINE, received) == value
    await push.send_serialized({"n": 3}, lambda m: [json.dumps(m).encode()])
    assert await pull.recv_serialized(lambda parts: json.loads(parts[0])) == {"n": 3}
    buf = bytearray(3)
    await push.send(b"12345")
    assert await pull.recv_into(buf) == 5 and buf == b"123"
    tracker = await push.send(b"x" * 100_000, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    frame = await pull.recv(copy=False)
    assert isinstance(frame, zmq.Frame) and frame.bytes == b"x" * 100_000


async def test_receives_wait_and_complete_in_call_order(bound_pair: Any) -> None:
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    first, second = pull.recv(), pull.recv_multipart()
    await gen.sleep(0)
    assert not first.done() and not second.done()
    await push.send(b"1")
    await push.send_multipart([b"2", b"3"])
    assert await gen.with_timeout(DEADLINE, second) == [b"2", b"3"]
    assert first.done() and first.result() == b"1"


async def test_cancelled_receive_raises_cancelled_error_and_takes_nothing(
    bound_pair: Any,
) -> None:
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    cancelled = pull.recv_json()
    waiting = pull.recv_multipart()
    assert cancelled.cancel()
    assert cancelled.done() and cancelled.cancelled()
    assert not cancelled.cancel()  # already done
    await gen.sleep(0)
    await push.send_json({"a": 1})
    frames = await gen.with_timeout(DEADLINE, waiting)
    assert [json.loads(f) for f in frames] == [{"a": 1}]
    with pytest.raises(future.CancelledError):
        await cancelled
    assert isinstance(cancelled.exception(), future.CancelledError)
    # an ordinary exception, as pyzmq's (asyncio's CancelledError is a BaseException)
    assert issubclass(future.CancelledError, Exception)


async def test_cancelling_a_task_that_awaits_a_receive(bound_pair: Any) -> None:
    # the task ends cancelled (the error is also asyncio's CancelledError), and
    # asyncio.wait_for times out as with any future; no message is taken
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")

    async def receive() -> bytes:
        return await pull.recv()

    task = asyncio.ensure_future(receive())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(pull.recv(), 0.05)
    await push.send(b"kept")
    assert await pull.recv() == b"kept"


async def test_cancelling_after_serialisation_started(bound_pair: Any) -> None:
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    f = pull.recv_json()
    f.cancel()
    await gen.sleep(0)  # the cancellation reaches the inner receive
    await push.send_json({"b": 2})
    assert await pull.poll(timeout=10_000) == zmq.POLLIN  # the message is still there
    assert await gen.with_timeout(DEADLINE, pull.recv_json()) == {"b": 2}


async def test_timeouts_and_dontwait(context: Any, bound_pair: Any) -> None:
    lonely = context.socket(zmq.PUSH)
    lonely.sndtimeo = 50
    with pytest.raises(zmq.Again):
        await lonely.send(b"nobody listens")
    with pytest.raises(zmq.Again):
        await lonely.send_multipart([b"no"], flags=zmq.DONTWAIT)
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    pull.rcvtimeo = 50
    timed_out = pull.recv()
    pull.rcvtimeo = 10_000
    later = pull.recv()
    with pytest.raises(zmq.Again):
        await timed_out
    await push.send(b"after")
    assert await later == b"after"


async def test_socket_poll(bound_pair: Any) -> None:
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    now = pull.poll(timeout=0)
    assert now.done() and now.result() == 0
    assert await pull.poll(timeout=20) == 0
    waiting = pull.poll(timeout=10_000)
    assert not waiting.done()
    await push.send(b"x")
    assert await waiting == zmq.POLLIN
    assert await push.poll(timeout=10_000, flags=zmq.POLLOUT) == zmq.POLLOUT
    assert await pull.recv() == b"x"


async def test_poller_with_future_and_sync_sockets(context: Any, bound_pair: Any) -> None:
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    sync_ctx = zmq.Context()
    try:
        sync_pull = sync_ctx.socket(zmq.PULL)
        sync_push = sync_ctx.socket(zmq.PUSH)
        sync_pull.bind("inproc://sync")
        sync_push.connect("inproc://sync")
        poller = future.Poller()
        poller.register(pull, zmq.POLLIN)
        poller.register(sync_pull, zmq.POLLIN)
        assert await poller.poll(timeout=20) == []
        waiting = poller.poll(timeout=10_000)
        sync_push.send(b"sync")
        assert await waiting == [(sync_pull, zmq.POLLIN)]
        assert sync_pull.recv() == b"sync"
        waiting = poller.poll()
        await push.send(b"future")
        assert await gen.with_timeout(DEADLINE, waiting) == [(pull, zmq.POLLIN)]
        assert await pull.recv() == b"future"
    finally:
        sync_ctx.destroy(linger=0)


async def test_poller_watches_one_descriptor_for_reading_and_writing() -> None:
    # the IOLoop takes one handler per descriptor: both interests must go into one
    a, b = stdlib_socket.socketpair()
    with a, b:
        a.setblocking(False)
        with pytest.raises(BlockingIOError):
            while True:  # fill the buffers: a is no longer writable
                a.send(b"x" * 65536)
        poller = future.Poller()
        poller.register(a, zmq.POLLIN | zmq.POLLOUT)
        waiting = poller.poll(timeout=10_000)
        await gen.sleep(0)
        assert isinstance(waiting, asyncio.Future) and not waiting.done()
        b.send(b"!")
        events = await waiting
        assert [flags for _, flags in events] == [zmq.POLLIN]
        # the first poll unregistered the descriptor: a second one registers it afresh
        assert [flags for _, flags in await poller.poll(timeout=10_000)] == [zmq.POLLIN]


async def test_context_termination_fails_what_waits() -> None:
    ctx = future.Context()
    pull = ctx.socket(zmq.PULL)
    pull.bind("inproc://term-waiters")
    waiting = [pull.recv(), pull.recv_multipart(), pull.poll()]
    await gen.sleep(0)
    term = IOLoop.current().run_in_executor(None, ctx.term)
    for f in waiting:
        with pytest.raises(zmq.ContextTerminated):
            await gen.with_timeout(DEADLINE, f)
    pull.close(linger=0)
    await gen.with_timeout(DEADLINE, term)


def test_run_sync_on_its_own_ioloop(context: Any, ioloop: IOLoop) -> None:
    pull, push = context.socket(zmq.PULL), context.socket(zmq.PUSH)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push.connect(f"tcp://127.0.0.1:{port}")

    async def exchange() -> list[bytes]:
        received = pull.recv_multipart()
        await push.send_multipart([b"hi", b"there"])
        return await received

    assert ioloop.run_sync(exchange, timeout=10) == [b"hi", b"there"]


def test_close_all_fds_closes_the_sockets(context: Any, ioloop: IOLoop) -> None:
    pull, push = context.socket(zmq.PULL), context.socket(zmq.PUSH)
    pull.bind("inproc://close-all")
    push.connect("inproc://close-all")
    idle = context.socket(zmq.PUB)
    pending: list[Any] = []

    async def use() -> None:
        await push.send(b"1")
        assert await pull.recv() == b"1"
        idle._get_loop()  # attached to the loop without waiting for anything
        pending.append(pull.recv())

    ioloop.run_sync(use, timeout=10)
    ioloop.close(all_fds=True)
    # closed as sockets (what a subprocess test checks: tornado never os.close()s
    # libzmq's descriptors), so that the context can terminate
    assert pull.closed and push.closed and idle.closed
    assert pending[0].cancelled()
    context.term()


async def test_idle_socket_stays_registered_without_spinning(bound_pair: Any) -> None:
    # The socket stays registered while nobody waits; its FD is edge-triggered but the
    # loop's selector is level-triggered, so the handler must re-arm it or be called
    # on every loop turn while messages are queued.
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, "inproc")
    calls = 0
    process = pull._process

    def counting() -> None:
        nonlocal calls
        calls += 1
        process()

    pull._process = counting  # before the socket registers its handler
    await push.send(b"wake")
    assert await pull.recv() == b"wake"
    with pytest.raises(zmq.Again):  # an empty queue: the next message signals the FD
        await pull.recv(zmq.DONTWAIT)
    calls = 0
    for i in range(5):
        await push.send(b"%d" % i)
    for _ in range(50):
        await asyncio.sleep(0)
    assert calls <= 10
    assert [await pull.recv() for _ in range(5)] == [b"0", b"1", b"2", b"3", b"4"]


def test_a_socket_moves_on_from_a_closed_loop(context: Any) -> None:
    pull, push = context.socket(zmq.PULL), context.socket(zmq.PUSH)
    pull.bind("inproc://move-on")
    push.connect("inproc://move-on")
    first = IOLoop(make_current=False)

    async def strand() -> None:
        pull.recv()  # never completes: its loop is closed under it

    first.run_sync(strand, timeout=10)
    first.close()
    assert not pull.closed
    second = IOLoop(make_current=False)
    try:

        async def again() -> bytes:
            await push.send(b"second loop")
            return await pull.recv()

        assert second.run_sync(again, timeout=10) == b"second loop"
    finally:
        second.close()
