"""Fixtures for backend tests: they use zmq.backend's classes directly (not the sugar),
so they describe the backend contract and run unchanged on every backend
(PYZMQ_BACKEND=cython|cffi)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest

from zmq import backend
from zmq.constants import SocketOption

TIMEOUT_MS = 10_000  # a lost message fails the test instead of hanging it


class Sockets:
    """Makes backend sockets in one context; closes them (linger 0) and terms at the end."""

    def __init__(self) -> None:
        self.context = backend.Context()
        self.sockets: list[Any] = []

    def __call__(self, socket_type: int) -> Any:
        sock = backend.Socket(self.context, socket_type)
        sock.set(SocketOption.LINGER, 0)
        sock.set(SocketOption.RCVTIMEO, TIMEOUT_MS)
        sock.set(SocketOption.SNDTIMEO, TIMEOUT_MS)
        self.sockets.append(sock)
        return sock

    def pair(self, bound_type: int, connected_type: int, addr: str) -> tuple[Any, Any]:
        """(bound, connected) sockets; addr may use a wildcard port (tcp://127.0.0.1:*)."""
        bound, connected = self(bound_type), self(connected_type)
        bound.bind(addr)
        connected.connect(last_endpoint(bound))
        return bound, connected

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()
        self.context.term()


def last_endpoint(sock: Any) -> str:
    return sock.get(SocketOption.LAST_ENDPOINT).decode()


@pytest.fixture
def sockets() -> Iterator[Sockets]:
    made = Sockets()
    yield made
    made.close()


@pytest.fixture(params=["inproc", "ipc", "tcp"])
def addr(request: pytest.FixtureRequest, endpoint: Callable[[str], str]) -> str:
    """A bind address on each transport."""
    return endpoint(request.param)
