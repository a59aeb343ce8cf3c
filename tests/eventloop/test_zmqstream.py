"""ZMQStream over real sockets, driven by tornado's IOLoop on the test's asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Awaitable, Callable, TypeVar

import pytest
from tornado.ioloop import IOLoop, PeriodicCallback

import zmq
from zmq.eventloop.zmqstream import ZMQStream

T = TypeVar("T")
DEADLINE = 10.0  # an awaited event that has not happened by then fails the test


async def wait(awaitable: Awaitable[T]) -> T:
    return await asyncio.wait_for(awaitable, DEADLINE)


class Collector:
    """A callback that records its arguments; ``await collector.wait(n)`` for n calls."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append(args[0] if len(args) == 1 else args)
        for n, fut in self._waiting:
            if len(self.calls) >= n and not fut.done():
                fut.set_result(None)

    async def wait(self, n: int) -> list[Any]:
        if len(self.calls) < n:
            fut = asyncio.get_running_loop().create_future()
            self._waiting.append((n, fut))
            await wait(fut)
        return self.calls


async def yield_to_loop(turns: int = 5) -> None:
    """Let the loop run a few iterations (each polls the registered FDs)."""
    for _ in range(turns):
        await asyncio.sleep(0)


StreamFactory = Callable[..., ZMQStream]


async def test_echo_router_dealer(bound_pair: Any, stream: StreamFactory) -> None:
    router, dealer = bound_pair(zmq.ROUTER, zmq.DEALER, "tcp")
    server = stream(router)
    server.on_recv(lambda frames: server.send_multipart(frames))
    client = stream(dealer)
    replies = Collector()
    client.on_recv(replies)
    for i in range(3):
        client.send_multipart([b"req", str(i).encode()])
    assert await replies.wait(3) == [[b"req", str(i).encode()] for i in range(3)]
    assert server.io_loop is IOLoop.current() and server.socket is router


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
async def test_ping_pong_each_transport(
    bound_pair: Any, stream: StreamFactory, transport: str
) -> None:
    a, b = (stream(s) for s in bound_pair(zmq.PAIR, zmq.PAIR, transport))
    b.on_recv(lambda frames: b.send_multipart([frames[0] + b"-pong"]))
    got = Collector()
    a.on_recv(got)
    a.send(b"ping")
    assert await got.wait(1) == [[b"ping-pong"]]


async def test_recv_copy_false_gives_frames(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    got = Collector()
    stream(b).on_recv(got, copy=False)
    a.send_multipart([b"one", b"two"])
    (frames,) = await got.wait(1)
    assert all(isinstance(f, zmq.Frame) for f in frames)
    assert [f.bytes for f in frames] == [b"one", b"two"]


async def test_recv_copy_true_gives_bytes(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    got = Collector()
    stream(b).on_recv(got)
    a.send_multipart([b"one", b"two"])
    assert await got.wait(1) == [[b"one", b"two"]]
    assert all(type(f) is bytes for f in got.calls[0])


@pytest.mark.parametrize("transport", ["inproc", "tcp"])
async def test_many_queued_sends_arrive_in_order(
    bound_pair: Any, stream: StreamFactory, transport: str
) -> None:
    # tiny high-water marks: the sender repeatedly waits for the socket to become
    # writable again, which only an edge on its ZMQ_FD reports
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, transport)
    for s in (pull, push):
        s.sndhwm = s.rcvhwm = 5
    n = 3000
    sender = stream(push)
    for i in range(n):
        sender.send(str(i).encode())
    assert sender.sending()
    got = Collector()
    stream(pull).on_recv(got)
    frames = await got.wait(n)
    assert [int(f[0]) for f in frames] == list(range(n))
    assert not sender.sending()


async def test_send_variants(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    got = Collector()
    stream(b).on_recv(got)
    s.send_string("héllo")
    s.send_string("x", encoding="utf-16")
    s.send_unicode("u")
    s.send_json({"a": [1, 2]})
    s.send_pyobj({"set": {1}})
    s.send(memoryview(b"view"))
    calls = await got.wait(6)
    assert calls[0] == ["héllo".encode()]
    assert calls[1] == ["x".encode("utf-16")]
    assert calls[2] == [b"u"]
    assert zmq.utils.jsonapi.loads(calls[3][0]) == {"a": [1, 2]}
    import pickle

    assert pickle.loads(calls[4][0]) == {"set": {1}}
    assert calls[5] == [b"view"]


async def test_on_send_reports_message_and_status(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "tcp")
    s = stream(a)
    sent = Collector()
    s.on_send(sent)
    s.send_multipart([b"a", b"b"])
    s.send(b"tracked" * 100, copy=False, track=True)
    calls = await sent.wait(2)
    assert calls[0] == ([b"a", b"b"], None)
    frames, status = calls[1]
    assert frames == [b"tracked" * 100]
    assert isinstance(status, zmq.MessageTracker)
    assert b.recv_multipart() == [b"a", b"b"]
    assert b.recv() == b"tracked" * 100
    status.wait(DEADLINE)
    assert status.done


async def test_send_callback_argument_becomes_on_send(
    bound_pair: Any, stream: StreamFactory
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    sent = Collector()
    s.send_string("first", callback=sent)
    s.send(b"second")  # the callback stays registered, as with on_send
    assert await sent.wait(2) == [([b"first"], None), ([b"second"], None)]


async def test_stream_variants_of_callbacks(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    sa, sb = stream(a), stream(b)
    received, sent = Collector(), Collector()
    sb.on_recv_stream(received, copy=False)
    sa.on_send_stream(sent)
    sa.send(b"x")
    ((st, frames),) = await received.wait(1)
    assert st is sb and [f.bytes for f in frames] == [b"x"]
    assert await sent.wait(1) == [(sa, [b"x"], None)]
    sb.on_recv_stream(None)
    sa.on_send_stream(None)
    assert not sb.receiving()


async def test_stop_on_recv_stops_delivery(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    # a second pair whose delivery shows that the loop has polled the FDs meanwhile
    c, d = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    sb = stream(b)
    got = Collector()
    sb.on_recv(got)
    assert sb.receiving()
    a.send(b"1")
    assert await got.wait(1) == [[b"1"]]
    sb.stop_on_recv()
    assert not sb.receiving()
    a.send(b"2")
    assert b.poll(int(DEADLINE * 1000)) == zmq.POLLIN
    control = Collector()
    stream(d).on_recv(control)
    c.send(b"tick")
    await control.wait(1)
    await yield_to_loop()
    assert got.calls == [[b"1"]]
    # the message waited in the socket, and is delivered once receiving resumes
    sb.on_recv(got)
    assert await got.wait(2) == [[b"1"], [b"2"]]


async def test_stop_on_send_keeps_sending(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    sent = Collector()
    s.on_send(sent)
    s.stop_on_send()
    got = Collector()
    stream(b).on_recv(got)
    s.send(b"m")
    assert await got.wait(1) == [[b"m"]]
    assert sent.calls == []


async def test_close_closes_socket_and_runs_callback(
    bound_pair: Any, stream: StreamFactory
) -> None:
    a, _ = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    closed = Collector()
    s.set_close_callback(closed)
    s.send(b"pending")
    assert not s.closed()
    s.close(linger=0)
    assert a.closed and s.closed() and s.socket is None
    assert len(closed.calls) == 1
    s.close()  # a second close does nothing
    assert len(closed.calls) == 1
    with pytest.raises(OSError, match="closed"):
        s.send(b"x")
    with pytest.raises(OSError, match="closed"):
        s.on_recv(print)
    with pytest.raises(OSError, match="closed"):
        s.flush()
    await yield_to_loop()  # the check scheduled by send finds the stream closed


async def test_closing_the_socket_directly_closes_the_stream(
    bound_pair: Any, stream: StreamFactory
) -> None:
    a, _ = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    closed = Collector()
    s.set_close_callback(closed)
    a.close(linger=0)
    with pytest.warns(UserWarning, match="Close the stream"):
        assert s.closed()
    assert s.socket is None and len(closed.calls) == 1


async def test_close_callback_may_close_from_a_recv_callback(
    bound_pair: Any, stream: StreamFactory
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    sb = stream(b)
    closed = Collector()
    sb.set_close_callback(closed)
    got = Collector()

    def on_recv(frames: list[bytes]) -> None:
        got(frames)
        sb.close(linger=0)

    sb.on_recv(on_recv)
    a.send(b"1")
    a.send(b"2")
    await closed.wait(1)
    await yield_to_loop()
    assert got.calls == [[b"1"]] and b.closed


async def test_flush_sends_and_receives_synchronously(
    bound_pair: Any, stream: StreamFactory
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    sa, sb = stream(a), stream(b)
    for i in range(3):
        sa.send(b"%d" % i)
    assert sa.flush(zmq.POLLIN) == 0  # nothing to receive
    assert sa.flush(zmq.POLLOUT) == 3
    assert not sa.sending()
    # inproc: the messages are already queued at b
    assert b.poll(0) == zmq.POLLIN
    got: list[list[bytes]] = []
    sb.on_recv(got.append)
    assert sb.flush(limit=2) == 2
    assert got == [[b"0"], [b"1"]]
    assert sb.flush() == 1
    assert got == [[b"0"], [b"1"], [b"2"]]
    assert sb.flush() == 0
    with pytest.raises(ValueError):
        sb.flush(limit=-1)
    # limit 0 means no limit, as in pyzmq
    for i in range(3):
        a.send(b"%d" % i)
    assert sb.flush(limit=0) == 3


async def test_flush_without_recv_callback_drops_messages(
    bound_pair: Any, stream: StreamFactory
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    sb = stream(b)
    for i in range(4):
        a.send(b"%d" % i)
    assert sb.flush(zmq.POLLOUT) == 0  # receiving was not asked for
    assert sb.flush(zmq.POLLIN) == 4
    assert b.poll(0) == 0
    got = Collector()
    sb.on_recv(got)
    a.send(b"after")
    assert await got.wait(1) == [[b"after"]]


async def test_pub_sub(bound_pair: Any, stream: StreamFactory) -> None:
    pub, sub = bound_pair(zmq.PUB, zmq.SUB, "tcp")
    sub.subscribe(b"news")
    publisher = stream(pub)
    got = Collector()
    stream(sub).on_recv(got)

    # the subscription reaches the publisher asynchronously: publish until it has
    def publish() -> None:
        publisher.send_multipart([b"sport", b"dropped"])
        publisher.send_multipart([b"news", b"kept"])

    ticker = PeriodicCallback(publish, 20)
    ticker.start()
    try:
        calls = await got.wait(1)
    finally:
        ticker.stop()
    assert calls[0] == [b"news", b"kept"]
    assert all(frames[0] == b"news" for frames in calls)


async def test_callback_errors_are_logged_and_stream_continues(
    bound_pair: Any, stream: StreamFactory, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    got = Collector()

    def on_recv(frames: list[bytes]) -> None:
        got(frames)
        if frames == [b"bad"]:
            raise RuntimeError("boom")

    stream(b).on_recv(on_recv)
    with caplog.at_level(logging.ERROR):
        # queued together: the message after the failing one must not wait for a new edge
        a.send(b"bad")
        a.send(b"good")
        assert await got.wait(2) == [[b"bad"], [b"good"]]
    logged = [r for r in caplog.records if r.name == "tornado.general"]
    assert [r.getMessage() for r in logged] == ["Uncaught exception in ZMQStream callback"]
    assert logged[0].exc_info is not None and "boom" in str(logged[0].exc_info[1])
    # and raised on to the loop, which reports it as well (as with pyzmq)
    reported = [r for r in caplog.records if r.name in ("tornado.application", "asyncio")]
    assert reported and all(r.exc_info and "boom" in str(r.exc_info[1]) for r in reported)


async def test_flush_raises_what_a_callback_raised_and_the_rest_follows(
    bound_pair: Any, stream: StreamFactory, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    sb = stream(b)
    got = Collector()

    def on_recv(frames: list[bytes]) -> None:
        got(frames)
        if frames == [b"bad"]:
            raise RuntimeError("boom in flush")

    sb.on_recv(on_recv)
    await yield_to_loop()  # the check on_recv scheduled has found nothing
    a.send(b"bad")
    a.send(b"good")
    with caplog.at_level(logging.ERROR, logger="tornado.general"):
        with pytest.raises(RuntimeError, match="boom in flush"):
            sb.flush()
    # the queued message needs no new edge on the FD: the loop delivers it
    assert await got.wait(2) == [[b"bad"], [b"good"]]


async def test_coroutine_callback_errors_are_logged(
    bound_pair: Any, stream: StreamFactory, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    got = Collector()
    failed = asyncio.get_running_loop().create_future()

    async def on_recv(frames: list[bytes]) -> None:
        got(frames)
        if frames == [b"bad"]:
            asyncio.get_running_loop().call_soon(failed.set_result, None)
            raise RuntimeError("async boom")

    stream(b).on_recv(on_recv)
    with caplog.at_level(logging.ERROR, logger="tornado.general"):
        a.send(b"bad")
        await wait(failed)
        a.send(b"good")
        assert await got.wait(2) == [[b"bad"], [b"good"]]
        await yield_to_loop()
    logged = [r for r in caplog.records if r.name == "tornado.general"]
    assert [r.getMessage() for r in logged] == ["Uncaught exception in ZMQStream callback"]
    assert "async boom" in caplog.text


async def test_coroutine_callbacks_run(bound_pair: Any, stream: StreamFactory) -> None:
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    got = Collector()

    async def on_recv(frames: list[bytes]) -> None:
        await asyncio.sleep(0)
        got(frames)

    stream(b).on_recv(on_recv)
    a.send(b"async")
    assert await got.wait(1) == [[b"async"]]


async def test_socket_methods_on_the_stream(context: Any, stream: StreamFactory) -> None:
    server = stream(context.socket(zmq.REP))
    port = server.bind_to_random_port("tcp://127.0.0.1")
    server.setsockopt(zmq.LINGER, 0)
    assert server.getsockopt(zmq.LINGER) == 0
    server.on_recv(lambda frames: server.send_multipart([b"re:" + frames[0]]))
    client = stream(context.socket(zmq.REQ))
    client.setsockopt(zmq.LINGER, 0)
    client.connect(f"tcp://127.0.0.1:{port}")
    got = Collector()
    client.on_recv(got)
    client.send(b"q")
    assert await got.wait(1) == [[b"re:q"]]


async def test_explicit_io_loop(bound_pair: Any, stream: StreamFactory) -> None:
    a, _ = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    loop = IOLoop.current()
    assert stream(a, loop).io_loop is loop


async def test_bad_arguments(bound_pair: Any, stream: StreamFactory) -> None:
    with pytest.raises(TypeError):
        ZMQStream("not a socket")  # type: ignore[arg-type]
    a, _ = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    with pytest.raises(TypeError):
        s.send_multipart(b"frames")
    with pytest.raises(TypeError):
        s.send_string(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        s.on_recv(42)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="callable"):
        s.on_send(42)  # type: ignore[arg-type]
    # pyzmq asserts here: code catching AssertionError keeps working (even under -O)
    with pytest.raises(AssertionError):
        s.on_recv(zmq)  # type: ignore[call-overload]
    with pytest.raises(AssertionError):
        s.on_send(b"not callable")  # type: ignore[arg-type]
    assert not s.sending() and not s.receiving()


async def test_on_err_is_deprecated(
    bound_pair: Any, stream: StreamFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # as pyzmq: said in tornado's log, not as a warning (-W error must not break old code)
    a, _ = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    s = stream(a)
    with caplog.at_level(logging.WARNING, logger="tornado.general"):
        s.on_err(print)
        s.stop_on_err()
    messages = [r.getMessage() for r in caplog.records if r.name == "tornado.general"]
    assert messages == ["on_err does nothing, and will be removed"] * 2


async def test_context_term_closes_the_stream() -> None:
    # term() blocks until every socket is closed: the stream closes its socket when the
    # FD wakes it with ETERM, instead of leaving term() hanging
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    sock.bind("inproc://term")
    s = ZMQStream(sock)
    closed = Collector()
    s.set_close_callback(closed)
    s.on_recv(print)
    term = asyncio.get_running_loop().run_in_executor(None, ctx.term)
    await wait(term)
    assert sock.closed and s.socket is None and len(closed.calls) == 1


async def test_user_socket_subclass_is_used_as_is(context: Any, stream: StreamFactory) -> None:
    class MySocket(zmq.Socket):
        pass

    sock = MySocket(context, zmq.PAIR)
    assert stream(sock).socket is sock


async def test_zmq_socket_variants_are_shadowed(bound_pair: Any, stream: StreamFactory) -> None:
    # e.g. zmq.asyncio.Socket, whose methods return futures: the stream drives the same
    # libzmq socket through a plain zmq.Socket shadow
    class FutureSocket(zmq.Socket):
        pass

    FutureSocket.__module__ = "zmq.asyncio"
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    variant = FutureSocket(shadow=b.underlying)
    with pytest.warns(RuntimeWarning, match="only supports the base zmq.Socket"):
        s = stream(variant)
    assert type(s.socket) is zmq.Socket and s.socket.underlying == b.underlying
    got = Collector()
    s.on_recv(got)
    a.send(b"via shadow")
    assert await got.wait(1) == [[b"via shadow"]]
    s.on_recv(None)


async def test_a_busy_stream_does_not_starve_others(bound_pair: Any, stream: StreamFactory) -> None:
    busy_in, busy_out = bound_pair(zmq.PUSH, zmq.PULL, "inproc")
    quiet_in, quiet_out = bound_pair(zmq.PUSH, zmq.PULL, "inproc")
    n = 800
    for i in range(n):
        busy_in.send(b"%d" % i)
    quiet_in.send(b"hello")
    busy, quiet = Collector(), Collector()
    stream(busy_out).on_recv(busy)
    stream(quiet_out).on_recv(quiet)
    await quiet.wait(1)
    # the busy stream yields to the loop after a batch of messages
    assert len(busy.calls) < n
    assert len(await busy.wait(n)) == n


def test_stream_on_its_own_ioloop_outside_asyncio(bound_pair: Any, stream: StreamFactory) -> None:
    # the classic pattern: a stream given a fresh IOLoop that is then run to completion
    loop = IOLoop(make_current=False)
    try:
        a, b = bound_pair(zmq.PAIR, zmq.PAIR, "tcp")
        sa, sb = stream(a, loop), stream(b, loop)
        sb.on_recv(lambda frames: sb.send_multipart(frames[::-1]))
        got = Collector()
        sa.on_recv(got)

        async def exchange() -> list[Any]:
            sa.send_multipart([b"1", b"2"])
            return await got.wait(1)

        assert loop.run_sync(exchange, timeout=DEADLINE) == [[b"2", b"1"]]
        sa.close(linger=0)
        sb.close(linger=0)
    finally:
        loop.close()


def test_sends_queued_from_another_thread(bound_pair: Any) -> None:
    # as in Jupyter's kernel: the stream's IOLoop runs in one thread, replies are queued
    # from another; each must go out without waiting for some later event
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, "inproc")
    made: list[ZMQStream] = []
    ready = threading.Event()

    def run_loop() -> None:
        loop = IOLoop(make_current=False)
        made.append(ZMQStream(a, loop))
        loop.add_callback(ready.set)
        loop.start()
        made[0].close(linger=0)
        loop.close()

    thread = threading.Thread(target=run_loop)
    thread.start()
    try:
        assert ready.wait(DEADLINE)
        s = made[0]
        for i in range(300):
            s.send(b"%d" % i)
            assert b.recv() == b"%d" % i  # (RCVTIMEO: a stuck send fails, never hangs)
    finally:
        if made:
            made[0].io_loop.add_callback(made[0].io_loop.stop)
        thread.join(DEADLINE)
    assert not thread.is_alive()
