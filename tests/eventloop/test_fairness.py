"""A flooding ZMQStream cannot starve another stream on the same IOLoop.

One stream's socket has thousands of messages waiting; another stream's socket gets a
single message once the flood is being delivered. The edge core behind ZMQStream
delivers at most a batch of messages per wakeup and then yields to the loop, so the
trickle is delivered while most of the flood still waits, within a few loop iterations.
(zmq.asyncio and zmq.eventloop.future: tests/asyncio/test_fairness.py.)
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest
from fairness_support import Pipes, flood_and_trickle_pipes

from zmq._evcore import BATCH
from zmq.eventloop.zmqstream import ZMQStream

FLOOD = 40 * BATCH


@pytest.fixture
def pipes(socket: Callable[..., Any]) -> Pipes:
    return flood_and_trickle_pipes(socket, socket)


async def test_flooding_stream_does_not_starve_a_trickle(
    pipes: Pipes, stream: Callable[..., ZMQStream]
) -> None:
    flood_push, flood_pull, trickle_push, trickle_pull = pipes
    for i in range(FLOOD):
        flood_push.send(b"%d" % i)

    ticks = 0
    flood: list[bytes] = []
    trickle: list[tuple[int, int]] = []  # (flood messages delivered, tick) at the trickle

    def on_flood(frames: list[bytes]) -> None:
        if not flood:
            trickle_push.send(b"trickle")  # while the flood is being delivered
            started.append(ticks)
        flood.append(frames[0])

    started: list[int] = []
    stream(flood_pull).on_recv(on_flood)
    stream(trickle_pull).on_recv(lambda frames: trickle.append((len(flood), ticks)))
    while not trickle:
        await asyncio.sleep(0)
        ticks += 1
        assert ticks < 100_000, "the trickle was never delivered"
    served, at = trickle[0]
    # a few batches at most, not the whole flood; and within a bounded number of turns
    assert served <= 8 * BATCH, f"{served} flood messages delivered before the trickle"
    assert at - started[0] <= 50, f"trickle delivered {at - started[0]} loop turns later"
    # and the flood goes on to the end, in order
    while len(flood) < FLOOD:
        await asyncio.sleep(0)
        ticks += 1
        assert ticks < 1_000_000, f"the flood stopped after {len(flood)} messages"
    assert flood == [b"%d" % i for i in range(FLOOD)]


async def test_flooding_sender_does_not_starve_a_trickle(
    pipes: Pipes, stream: Callable[..., ZMQStream]
) -> None:
    # the other direction: thousands of queued sends on one stream, one on another
    flood_push, flood_pull, trickle_push, trickle_pull = pipes
    flooder, trickler = stream(flood_push), stream(trickle_push)
    sent: list[int] = []
    flooder.on_send(lambda frames, status: sent.append(int(frames[0])))
    trickle_at: list[int] = []
    trickler.on_send(lambda frames, status: trickle_at.append(len(sent)))
    for i in range(FLOOD):
        flooder.send(b"%d" % i)
    trickler.send(b"trickle")
    ticks = 0
    while not trickle_at:
        await asyncio.sleep(0)
        ticks += 1
        assert ticks <= 50, "the trickle was not sent within 50 loop turns"
    assert trickle_at[0] <= 8 * BATCH, f"{trickle_at[0]} flood messages sent first"
    assert trickle_pull.recv() == b"trickle"
    while flooder.sending():
        await asyncio.sleep(0)
        ticks += 1
        assert ticks < 1_000_000, f"the flood stopped after {len(sent)} messages"
    assert sent == list(range(FLOOD))
    assert [flood_pull.recv() for _ in range(FLOOD)] == [b"%d" % i for i in range(FLOOD)]
