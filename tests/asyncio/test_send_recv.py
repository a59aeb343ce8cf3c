"""Round trips of every send/recv variant of zmq.asyncio sockets over real transports."""

from __future__ import annotations

import asyncio
import json

import pytest

import zmq
import zmq.asyncio

TRANSPORTS = ("inproc", "ipc", "tcp")


def test_context_makes_async_sockets(socket):
    s = socket(zmq.PUSH)
    assert isinstance(s, zmq.asyncio.Socket)
    assert isinstance(s, zmq.Socket)
    assert repr(s).startswith("<zmq.asyncio.Socket(zmq.PUSH) at ")


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_push_pull_every_variant(bound_pair, transport):
    pull, push = bound_pair(zmq.PULL, zmq.PUSH, transport)

    assert await push.send(b"one") is None
    assert await pull.recv() == b"one"

    await push.send_multipart([b"a", b"", b"c" * 100_000])
    assert await pull.recv_multipart() == [b"a", b"", b"c" * 100_000]

    await push.send(b"frame", copy=False)
    frame = await pull.recv(copy=False)
    assert isinstance(frame, zmq.Frame) and frame.bytes == b"frame"

    await push.send_multipart([b"x", b"yz"])
    frames = await pull.recv_multipart(copy=False)
    assert [f.bytes for f in frames] == [b"x", b"yz"]

    await push.send_string("héllo")
    assert await pull.recv_string() == "héllo"
    await push.send_string("latin", encoding="latin-1")
    assert await pull.recv_string(encoding="latin-1") == "latin"

    await push.send_json({"k": [1, 2]})
    assert await pull.recv_json() == {"k": [1, 2]}

    await push.send_pyobj({"set": {1, 2}})
    assert await pull.recv_pyobj() == {"set": {1, 2}}

    await push.send_serialized({"n": 3}, lambda m: [json.dumps(m).encode(), b"tail"])
    assert await pull.recv_serialized(lambda parts: (json.loads(parts[0]), parts[1])) == (
        {"n": 3},
        b"tail",
    )

    buf = bytearray(4)
    await push.send(b"123456")
    assert await pull.recv_into(buf) == 6  # the frame's size, truncated into buf
    assert buf == b"1234"


async def test_tracker_from_send(push_pull):
    push, pull = push_pull
    tracker = await push.send(b"tracked", copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert await pull.recv() == b"tracked"
    await asyncio.get_running_loop().run_in_executor(None, tracker.wait, 10)
    assert tracker.done


async def test_recv_waits_for_a_later_send(push_pull):
    push, pull = push_pull
    received = pull.recv_multipart()
    assert not received.done()
    await push.send_multipart([b"late", b"parts"])
    assert await received == [b"late", b"parts"]


async def test_deserializer_errors_fail_the_future(push_pull):
    push, pull = push_pull
    await push.send(b"not json {")
    with pytest.raises(ValueError):
        await pull.recv_json()
    await push.send(b"cbuiltins\nno_such_name\n.")  # a pickle of a missing global
    with pytest.raises(AttributeError):
        await pull.recv_pyobj()
    with pytest.raises(TypeError):
        push.send_string(b"bytes")


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_req_rep(bound_pair, transport):
    rep, req = bound_pair(zmq.REP, zmq.REQ, transport)

    async def server() -> None:
        for _ in range(3):
            msg = await rep.recv_multipart()
            await rep.send_multipart([b"re:"] + msg)

    task = asyncio.ensure_future(server())
    for i in range(3):
        await req.send_string(str(i))
        assert await req.recv_multipart() == [b"re:", str(i).encode()]
    await task


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_dealer_router(bound_pair, transport):
    router, dealer = bound_pair(zmq.ROUTER, zmq.DEALER, transport)
    dealer.routing_id = b"dealer-1"  # applies to later connections: reconnect
    dealer.disconnect(router.last_endpoint.decode())
    dealer.connect(router.last_endpoint.decode())
    await dealer.send_multipart([b"", b"hello"])
    ident, empty, body = await router.recv_multipart()
    assert (ident, empty, body) == (b"dealer-1", b"", b"hello")
    await router.send_multipart([ident, b"", b"back"])
    assert await dealer.recv_multipart() == [b"", b"back"]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_pub_sub(bound_pair, transport):
    pub, sub = bound_pair(zmq.PUB, zmq.SUB, transport)
    sub.subscribe(b"topic")
    # a subscription propagates asynchronously: publish until the first one arrives
    while True:
        await pub.send_multipart([b"other", b"dropped"])
        await pub.send_multipart([b"topic", b"hello"])
        if await sub.poll(100):
            break
    assert await sub.recv_multipart() == [b"topic", b"hello"]
    assert not await sub.poll(0) or (await sub.recv_multipart())[0] == b"topic"


async def test_concurrent_receives_complete_in_call_order(push_pull):
    push, pull = push_pull
    futures = [pull.recv() for _ in range(50)]
    assert not any(f.done() for f in futures)
    for i in range(50):
        await push.send(b"%d" % i)
    assert await asyncio.gather(*futures) == [b"%d" % i for i in range(50)]


async def test_concurrent_tasks_share_one_socket(push_pull):
    push, pull = push_pull
    results: list = []

    async def reader(n: int) -> None:
        for _ in range(n):
            results.append(await pull.recv())

    readers = [asyncio.ensure_future(reader(25)) for _ in range(4)]
    for i in range(100):
        await push.send(b"%d" % i)
    await asyncio.gather(*readers)
    assert sorted(results) == sorted(b"%d" % i for i in range(100))


async def test_noblock_fails_at_once(push_pull):
    push, pull = push_pull
    future = pull.recv(zmq.NOBLOCK)
    assert future.done()
    with pytest.raises(zmq.Again):
        await future
    await push.send(b"now")
    assert await pull.poll(10_000) == zmq.POLLIN
    assert await pull.recv(zmq.NOBLOCK) == b"now"


async def test_other_errors_fail_the_future(socket):
    pull = socket(zmq.PULL)
    with pytest.raises(zmq.ZMQError) as info:
        await pull.send(b"PULL cannot send")
    assert info.value.errno == zmq.ENOTSUP


async def test_throughput_10k_between_tasks(push_pull):
    push, pull = push_pull
    n = 10_000

    async def produce() -> None:
        for i in range(n):
            await push.send(i.to_bytes(4, "little"))

    async def consume() -> int:
        total = 0
        for i in range(n):
            msg = await pull.recv()
            assert int.from_bytes(msg, "little") == i
            total += 1
        return total

    _, received = await asyncio.gather(produce(), consume())
    assert received == n
