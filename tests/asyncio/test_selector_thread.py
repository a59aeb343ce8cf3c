"""Event loops without add_reader (Windows' ProactorEventLoop): zmq.asyncio falls back to
a selector thread, with a ProactorSelectorThreadWarning, and everything still works.

Exercised here on a selector loop whose add_reader family is removed, which is exactly
what the Proactor loop looks like to zmq.asyncio.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from typing import Any, Callable, TypeVar

import pytest

import zmq
import zmq.asyncio
from zmq import _selector_thread

T = TypeVar("T")


class NoReaderLoop(asyncio.SelectorEventLoop):
    def add_reader(self, *args: Any) -> None:  # type: ignore[override]
        raise NotImplementedError

    remove_reader = add_writer = remove_writer = add_reader  # type: ignore[assignment]


def run(main: Callable[[], Coroutine[Any, Any, T]]) -> tuple[T, NoReaderLoop]:
    loop = NoReaderLoop()
    try:
        return loop.run_until_complete(asyncio.wait_for(main(), 20)), loop
    finally:
        loop.close()


def pair(ctx: zmq.asyncio.Context, a: int, b: int) -> tuple[Any, Any]:
    first, second = ctx.socket(a), ctx.socket(b)
    for s in (first, second):
        s.linger = 0
    first.bind("tcp://127.0.0.1:*")
    second.connect(first.get_string(zmq.LAST_ENDPOINT))
    return first, second


def test_round_trips_streams_and_polls_through_the_thread() -> None:
    ctx = zmq.asyncio.Context()

    async def main() -> list[Any]:
        pull, push = pair(ctx, zmq.PULL, zmq.PUSH)
        rep, req = pair(ctx, zmq.REP, zmq.REQ)
        results: list[Any] = []
        # receives that wait: the thread must report the FD and hand it back each time
        pending = asyncio.ensure_future(pull.recv_multipart())
        await push.send_multipart([b"a", b"b"])
        results.append(await pending)
        for i in range(20):
            await req.send(b"%d" % i)
            await rep.send(await rep.recv() + b"!")
            results.append(await req.recv())
        # a stream past the high-water mark: sends wait for POLLOUT through the thread
        push.sndhwm = pull.rcvhwm = 5

        async def drain() -> list[bytes]:
            return [await pull.recv() for _ in range(500)]

        receiver = asyncio.ensure_future(drain())
        for i in range(500):
            await push.send(b"%d" % i)
        results.append(await receiver)
        results.append(await pull.poll(50))  # nothing queued: times out with 0
        for s in (pull, push, rep, req):
            s.close()
        return results

    try:
        with pytest.warns(zmq.asyncio.ProactorSelectorThreadWarning):
            results, loop = run(main)
    finally:
        ctx.destroy(linger=0)
    assert results[0] == [b"a", b"b"]
    assert results[1:21] == [b"%d!" % i for i in range(20)]
    assert results[21] == [b"%d" % i for i in range(500)]
    assert results[22] == 0
    thread = _selector_thread.for_loop(loop, create=False)
    assert thread is not None
    thread.thread.join(5)  # the loop is closed: the thread ends
    assert not thread.thread.is_alive()


def test_poller_with_a_plain_fd_and_cancellation() -> None:
    ctx = zmq.asyncio.Context()
    r, w = os.pipe()

    async def main() -> tuple[list[Any], bytes]:
        pull, push = pair(ctx, zmq.PULL, zmq.PUSH)
        cancelled = asyncio.ensure_future(pull.recv())
        await asyncio.sleep(0)  # let it register with the thread (not synchronisation)
        cancelled.cancel()
        poller = zmq.asyncio.Poller()
        poller.register(pull, zmq.POLLIN)
        poller.register(r, zmq.POLLIN)
        os.write(w, b"!")
        events = await poller.poll(5000)
        await push.send(b"kept")  # the cancelled receive must not have taken it
        message = await pull.recv()
        pull.close()
        push.close()
        return events, message

    try:
        with pytest.warns(zmq.asyncio.ProactorSelectorThreadWarning):
            (events, message), _ = run(main)
    finally:
        ctx.destroy(linger=0)
        os.close(r)
        os.close(w)
    assert events == [(r, zmq.POLLIN)]
    assert message == b"kept"


def test_loops_with_add_reader_get_no_thread() -> None:
    ctx = zmq.asyncio.Context()
    loop = asyncio.new_event_loop()

    async def main() -> bytes:
        pull, push = pair(ctx, zmq.PULL, zmq.PUSH)
        waiting = pull.recv()
        await push.send(b"direct")
        message = await waiting
        pull.close()
        push.close()
        return message

    try:
        assert loop.run_until_complete(asyncio.wait_for(main(), 20)) == b"direct"
        assert _selector_thread.for_loop(loop, create=False) is None
    finally:
        loop.close()
        ctx.destroy(linger=0)
