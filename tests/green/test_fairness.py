"""zmq.green: a flooding socket cannot starve another socket's greenlet.

One PULL socket has thousands of messages waiting, another gets a single message once
the flood is being received. Whether one greenlet drains the flood in a loop (every call
succeeds at once, without waiting: the socket lets the hub run every BATCH calls) or
thousands of greenlets wait on it (the edge core serves a batch per wakeup, then yields
to the hub), the trickle is served while most of the flood still waits, within a few
hub iterations.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from fairness_support import flood_and_trickle_pipes

gevent = pytest.importorskip(
    "gevent", reason="gevent is not installed (it has no wheel for this interpreter)"
)

import zmq  # noqa: E402
import zmq.green  # noqa: E402
from zmq._evcore import BATCH  # noqa: E402

FLOOD = 40 * BATCH


def one_greenlet(flood: Any, received: list[bytes], started: Callable[[], None]) -> list[Any]:
    def drain() -> None:
        received.append(flood.recv())
        started()
        for _ in range(FLOOD - 1):
            received.append(flood.recv())

    return [gevent.spawn(drain)]


def greenlet_per_message(
    flood: Any, received: list[bytes], started: Callable[[], None]
) -> list[Any]:
    def first() -> None:
        received.append(flood.recv())
        started()

    def other() -> None:
        received.append(flood.recv())

    return [gevent.spawn(first)] + [gevent.spawn(other) for _ in range(FLOOD - 1)]


@pytest.mark.parametrize("receivers", [one_greenlet, greenlet_per_message])
def test_flood_does_not_starve_a_trickle(receivers: Callable[..., list[Any]]) -> None:
    ctx = zmq.green.Context()
    sync_ctx: zmq.Context[Any] = zmq.Context.shadow(ctx.underlying)
    pipes = flood_and_trickle_pipes(ctx.socket, sync_ctx.socket)
    flood, trickle = pipes.flood_pull, pipes.trickle_pull
    flood_push, trickle_push = pipes.flood_push, pipes.trickle_push
    loop = gevent.get_hub().loop
    received: list[bytes] = []
    sent_at: list[int] = []  # hub iteration
    try:

        def wait_for_trickle() -> tuple[int, int]:
            assert trickle.recv() == b"trickle"
            return len(received), loop.iteration - sent_at[0]

        trickled = gevent.spawn(wait_for_trickle)
        gevent.idle()  # it waits in the hub

        def started() -> None:
            trickle_push.send(b"trickle")  # while the flood is being received
            sent_at.append(loop.iteration)

        # the receivers wait first (nothing has arrived), then the flood arrives
        flooders = receivers(flood, received, started)
        gevent.idle()
        for i in range(FLOOD):
            flood_push.send(b"%d" % i)
        served, iterations = trickled.get(timeout=30)
        gevent.joinall(flooders, timeout=30, raise_error=True)
        # every flood message still arrives, in order
        assert received == [b"%d" % i for i in range(FLOOD)]
    finally:
        pipes.close()
        ctx.term()
    # a few batches at most, not the whole flood; and within a bounded number of turns
    assert served <= 8 * BATCH, f"{served} flood messages served before the trickle"
    assert iterations <= 10, f"trickle served after {iterations} hub iterations"
