"""A Context or socket dropped without close/term delivers its queue like term()."""

from __future__ import annotations

import pytest
from reliability.harness import finish, start_scenario

import zmq

COUNT = 100_000


@pytest.mark.parametrize("mode", ["return", "exit"])
def test_dropped_context_delivers_its_queue(mode: str) -> None:
    ctx = zmq.Context()
    pull = ctx.socket(zmq.PULL)
    pull.rcvhwm = 1000
    try:
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        child = start_scenario("drop_with_queue", mode, port, COUNT)
        received = 0
        pull.rcvtimeo = 10_000
        while received < COUNT:
            try:
                message = pull.recv()
            except zmq.Again:
                break  # nothing for 10 s: the rest is lost
            assert int(message) == received
            received += 1
        outcome = finish(child, 30, f"drop_with_queue {mode}")
        assert outcome.returncode == 0, outcome.output
        assert received == COUNT
    finally:
        pull.close(linger=0)
        ctx.term()
