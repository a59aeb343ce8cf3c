"""A flooding socket cannot starve another socket on the same loop.

One socket has thousands of receives queued and as many messages waiting; another gets a
single message once the flood is being served. The edge core serves at most a batch of
requests per wakeup and then yields to the loop, so the trickle is served while most of
the flood is still queued, within a few loop iterations. Checked for every adapter on the
core: zmq.asyncio, zmq.asyncio on a loop without add_reader (the selector thread) and
zmq.eventloop.future (ZMQStream: tests/eventloop/test_fairness.py; the core alone:
tests/test_evcore.py).
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, NamedTuple

from fairness_support import flood_and_trickle_pipes

import zmq
import zmq.asyncio
import zmq.eventloop.future
from zmq._evcore import BATCH

FLOOD = 40 * BATCH


class Fairness(NamedTuple):
    served: int  # flood messages served when the trickle was
    iterations: int  # loop iterations from the flood's start to the trickle's service
    flood_iterations: int  # loop iterations the whole flood took


async def flood_and_trickle(ctx: Any, flood_size: int = FLOOD) -> Fairness:
    sync_ctx: zmq.Context[Any] = zmq.Context.shadow(ctx.underlying)
    pipes = flood_and_trickle_pipes(ctx.socket, sync_ctx.socket)
    flood, trickle = pipes.flood_pull, pipes.trickle_pull
    flood_push, trickle_push = pipes.flood_push, pipes.trickle_push
    try:
        # the receives queue up first (nothing has arrived), then the flood arrives
        flood_recvs = [flood.recv() for _ in range(flood_size)]
        trickle_recv = trickle.recv()
        for i in range(flood_size):
            flood_push.send(b"%d" % i)
        ticks = 0
        served_at_trickle: list[int] = []

        def flood_started(_: Any) -> None:
            trickle_push.send(b"trickle")  # while the flood is being served
            ticks_at_start.append(ticks)

        ticks_at_start: list[int] = []
        flood_recvs[0].add_done_callback(flood_started)
        trickle_recv.add_done_callback(
            lambda _: served_at_trickle.append(sum(f.done() for f in flood_recvs))
        )
        # until the trickle's done-callback has run (it is scheduled after completion)
        while not served_at_trickle:
            await asyncio.sleep(0)
            ticks += 1
            assert ticks < 100_000, "the trickle was never served"
        assert await trickle_recv == b"trickle"
        trickle_ticks = ticks
        while not flood_recvs[-1].done():
            await asyncio.sleep(0)
            ticks += 1
        # every flood message still arrives, in order
        assert [await f for f in flood_recvs] == [b"%d" % i for i in range(flood_size)]
        return Fairness(served_at_trickle[0], trickle_ticks - ticks_at_start[0], ticks)
    finally:
        pipes.close()
        ctx.term()


def check(served: int, iterations: int, flood_iterations: int) -> None:
    # a few batches at most, not the whole flood; and within a bounded number of turns
    assert served <= 8 * BATCH, f"{served} flood messages served before the trickle"
    assert iterations <= 50, f"trickle served after {iterations} loop iterations"


async def test_asyncio_flood_does_not_starve_a_trickle() -> None:
    check(*await flood_and_trickle(zmq.asyncio.Context()))


async def test_eventloop_future_flood_does_not_starve_a_trickle() -> None:
    check(*await flood_and_trickle(zmq.eventloop.future.Context()))


class NoReaderLoop(asyncio.SelectorEventLoop):
    def add_reader(self, *args: Any) -> None:  # type: ignore[override]
        raise NotImplementedError

    remove_reader = add_writer = remove_writer = add_reader  # type: ignore[assignment]


def test_selector_thread_flood_does_not_starve_a_trickle() -> None:
    # Readiness comes from the selector thread, which needs the GIL to report it; while
    # the loop thread runs flat out, CPython can keep the GIL from it for tens of ms (the
    # loop releases and retakes it in every select(0), so no forced switch is asked
    # for). What the core controls is checked: the flood is served in batches over many
    # loop turns (an unbounded drain serves it in one), the trickle arrives through the
    # selector thread, and every message is delivered in order.
    flood_size = 100 * BATCH
    loop = NoReaderLoop()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", zmq.asyncio.ProactorSelectorThreadWarning)
            result = loop.run_until_complete(
                asyncio.wait_for(flood_and_trickle(zmq.asyncio.Context(), flood_size), 30)
            )
    finally:
        loop.close()
    assert result.flood_iterations >= flood_size // BATCH // 2, result
