"""Cancellation, timeouts, closing, poll and backpressure of zmq.asyncio sockets."""

from __future__ import annotations

import asyncio
import os

import pytest

import zmq
import zmq.asyncio


async def test_cancelled_recv_does_not_lose_a_message(push_pull):
    push, pull = push_pull
    first, second = pull.recv(), pull.recv()
    first.cancel()
    await push.send(b"only")
    assert await second == b"only"
    assert first.cancelled()
    third = pull.recv()
    await push.send(b"next")
    assert await third == b"next"


async def test_cancelled_recv_json_cancels_the_receive(push_pull):
    push, pull = push_pull
    decoded = pull.recv_json()
    decoded.cancel()
    await push.send_json([1])
    assert await pull.recv_json() == [1]  # the cancelled receive did not take it


async def test_wait_for_timeout_keeps_the_message(push_pull):
    push, pull = push_pull
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(pull.recv(), 0.05)
    await push.send(b"kept")
    assert await pull.recv() == b"kept"


async def test_rcvtimeo_fails_with_again(push_pull):
    push, pull = push_pull
    pull.rcvtimeo = 50
    with pytest.raises(zmq.Again):
        await pull.recv_multipart()
    pull.rcvtimeo = 0
    with pytest.raises(zmq.Again):
        await pull.recv()
    await push.send(b"after")  # a timed-out receive took nothing
    pull.rcvtimeo = 10_000
    assert await pull.recv() == b"after"


async def test_sndtimeo_fails_with_again(socket):
    push = socket(zmq.PUSH)  # no peer: a send can never complete
    push.sndtimeo = 50
    with pytest.raises(zmq.Again):
        await push.send(b"nowhere")


async def test_close_cancels_pending_futures(socket, endpoint):
    pull = socket(zmq.PULL)
    pull.bind(endpoint("inproc"))
    received, polled = pull.recv(), pull.poll()
    pull.close(linger=0)
    for future in (received, polled):
        with pytest.raises(asyncio.CancelledError):
            await future
    with pytest.raises(zmq.ZMQError) as info:
        pull.recv()
    assert info.value.errno == zmq.ENOTSOCK


async def test_poll(push_pull):
    push, pull = push_pull
    assert await pull.poll(0) == 0
    assert await pull.poll(20) == 0  # times out
    assert await push.poll(0, zmq.POLLOUT) == zmq.POLLOUT
    waiting = pull.poll(10_000)
    assert not waiting.done()
    await push.send(b"x")
    assert await waiting == zmq.POLLIN
    assert await pull.poll(None, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN
    assert await pull.recv() == b"x"


async def test_poll_and_recv_on_one_socket(push_pull):
    push, pull = push_pull
    poller = zmq.asyncio.Poller()
    poller.register(pull, zmq.POLLIN)
    for i in range(3):  # the poller and a receive both watch the socket's FD
        polled = poller.poll(10_000)
        received = pull.recv()
        await push.send(b"%d" % i)
        assert await polled == [(pull, zmq.POLLIN)]  # told before the receive took it
        assert await received == b"%d" % i
    assert await poller.poll(0) == []


async def test_send_waits_at_the_high_water_mark(context, endpoint):
    push, pull = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    for s in (push, pull):
        s.linger = 0
    push.sndhwm = pull.rcvhwm = 1
    url = endpoint("inproc")
    pull.bind(url)
    push.connect(url)
    sent = []
    for i in range(1000):  # inproc queues at most sndhwm + rcvhwm
        future = push.send(b"%d" % i)
        sent.append(future)
        if not future.done():
            break
    blocked = sent[-1]
    assert not blocked.done() and len(sent) < 1000
    done, _ = await asyncio.wait([blocked], timeout=0.1)
    assert not done  # nothing reads: it stays pending
    received = [await pull.recv() for _ in range(len(sent))]
    assert received == [b"%d" % i for i in range(len(sent))]
    assert blocked.done() and blocked.result() is None


async def test_poller_mixes_async_sync_sockets_and_fds(push_pull, endpoint):
    push, pull = push_pull
    sync_ctx = zmq.Context()
    sync_pull, sync_push = sync_ctx.socket(zmq.PULL), sync_ctx.socket(zmq.PUSH)
    r, w = os.pipe()
    try:
        url = endpoint("inproc")
        sync_pull.bind(url)
        sync_push.connect(url)
        poller = zmq.asyncio.Poller()
        for item in (pull, sync_pull, r):
            poller.register(item, zmq.POLLIN)
        poller.register(push, zmq.POLLOUT)
        poller.modify(push, zmq.POLLIN)  # a PUSH socket never becomes readable
        assert await poller.poll(0) == []
        assert await poller.poll(20) == []

        for trigger, item in (
            (lambda: push.send(b"a"), pull),
            (lambda: sync_push.send(b"s"), sync_pull),
            (lambda: os.write(w, b"!"), r),
        ):
            waiting = poller.poll(10_000)
            assert not waiting.done()
            trigger()
            assert await waiting == [(item, zmq.POLLIN)]
            poller.unregister(item)
            assert await poller.poll(0) == []
        assert await pull.recv() == b"a"
    finally:
        os.close(r)
        os.close(w)
        sync_pull.close(linger=0)
        sync_push.close(linger=0)
        sync_ctx.term()


async def test_poller_fails_when_a_socket_closes(socket):
    pull = socket(zmq.PULL)
    poller = zmq.asyncio.Poller()
    poller.register(pull, zmq.POLLIN)
    waiting = poller.poll()
    pull.close(linger=0)
    with pytest.raises(zmq.ZMQError) as info:
        await waiting
    assert info.value.errno == zmq.ENOTSOCK


async def test_cancelled_polls_leave_nothing_on_the_loop(push_pull):
    push, pull = push_pull
    loop = asyncio.get_running_loop()
    for _ in range(10):
        waiting = asyncio.ensure_future(pull.poll(timeout=1000, flags=zmq.POLLIN))
        await asyncio.sleep(0)  # it is now waiting on the loop
        waiting.cancel()
        await asyncio.sleep(0)
    await asyncio.sleep(0.05)
    assert not loop.remove_reader(pull.FD)  # no reader left behind for the socket
    await push.send(b"after")
    assert await asyncio.wait_for(pull.recv(), 10) == b"after"


async def test_context_termination_fails_what_waits():
    # as a blocking call would: the waiting receive, poll and Poller.poll fail with
    # ContextTerminated, and once the sockets are closed term() returns
    ctx = zmq.asyncio.Context()
    pull = ctx.socket(zmq.PULL)
    push = ctx.socket(zmq.PUSH)
    push.sndhwm = 1
    pull.bind("inproc://term-waiters")
    poller = zmq.asyncio.Poller()
    poller.register(pull, zmq.POLLIN)
    waiting = [pull.recv(), pull.recv_json(), pull.poll(), poller.poll(), push.send(b"x")]
    await asyncio.sleep(0)
    term = asyncio.get_running_loop().run_in_executor(None, ctx.term)
    results = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 10)
    assert [type(r) for r in results] == [zmq.ContextTerminated] * len(waiting)
    with pytest.raises(zmq.ContextTerminated):
        await pull.recv()
    pull.close(linger=0)
    push.close(linger=0)
    await asyncio.wait_for(term, 10)


async def test_receive_after_a_miss_fails_its_future_on_a_terminated_context():
    # after a receive that found nothing, the next one first asks EVENTS; that error too
    # belongs to the returned future, not to the call
    ctx = zmq.asyncio.Context()
    pull = ctx.socket(zmq.PULL)
    pull.bind("inproc://term-after-miss")
    first = pull.recv()
    await asyncio.sleep(0)
    assert not first.done()
    term = asyncio.get_running_loop().run_in_executor(None, ctx.term)
    with pytest.raises(zmq.ContextTerminated):
        await asyncio.wait_for(first, 10)
    second = pull.recv()
    with pytest.raises(zmq.ContextTerminated):
        await second
    pull.close(linger=0)
    await asyncio.wait_for(term, 10)
