"""Fixtures for ZMQStream tests: streams closed at teardown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest

from zmq.eventloop.zmqstream import ZMQStream


@pytest.fixture
def stream() -> Iterator[Callable[..., ZMQStream]]:
    """Factory: ``stream(socket)`` wraps a socket; every stream is closed at teardown."""
    made: list[ZMQStream] = []

    def make(socket: Any, *args: Any) -> ZMQStream:
        s = ZMQStream(socket, *args)
        made.append(s)
        return s

    yield make
    for s in made:
        if s.socket is not None and not s.socket.closed:
            s.close(linger=0)
