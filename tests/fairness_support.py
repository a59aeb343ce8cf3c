"""The sockets of the fairness tests (tests/*/test_fairness.py): a flood and a trickle."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import zmq


class Pipes(NamedTuple):
    flood_push: Any
    flood_pull: Any
    trickle_push: Any
    trickle_pull: Any

    def close(self) -> None:
        for s in self:
            s.close()


def flood_and_trickle_pipes(
    pull_socket: Callable[[int], Any], push_socket: Callable[[int], Any]
) -> Pipes:
    """Two PUSH -> PULL pipes with unlimited queues over inproc, where a send signals the
    receiver's FD at once, so loop iterations count the adapter's scheduling, not
    network latency. The PULL ends come from ``pull_socket`` (the adapter's sockets),
    the PUSH ends from ``push_socket`` (one context with them, for inproc)."""
    pipes = Pipes(
        push_socket(zmq.PUSH), pull_socket(zmq.PULL), push_socket(zmq.PUSH), pull_socket(zmq.PULL)
    )
    for s in pipes:
        s.linger = 0
        s.sndhwm = s.rcvhwm = 0
    pipes.flood_pull.bind(f"inproc://flood-{id(pipes.flood_pull)}")
    pipes.trickle_pull.bind(f"inproc://trickle-{id(pipes.trickle_pull)}")
    pipes.flood_push.connect(pipes.flood_pull.last_endpoint)
    pipes.trickle_push.connect(pipes.trickle_pull.last_endpoint)
    return pipes
