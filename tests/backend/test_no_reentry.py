"""The backend's multipart calls do not go through methods a subclass may override.

An async or instrumented Socket subclass overrides send/recv with other semantics (a
send that returns a Future); the backend's send_multipart/recv_multipart must still send
and receive directly, whatever the subclass's send/recv do.
"""

from __future__ import annotations

from typing import Any

import pytest

import zmq


class Reentered(AssertionError):
    pass


class GuardedSocket(zmq.Socket):  # type: ignore[type-arg]
    def send(self, *args: Any, **kwargs: Any) -> Any:
        raise Reentered("the backend called the subclass's send")

    def recv(self, *args: Any, **kwargs: Any) -> Any:
        raise Reentered("the backend called the subclass's recv")


@pytest.fixture
def pair() -> Any:
    ctx = zmq.Context()
    a = GuardedSocket(ctx, zmq.PAIR)
    b = GuardedSocket(ctx, zmq.PAIR)
    for s in (a, b):
        s.linger = 0
        s.rcvtimeo = 5000
        s.sndtimeo = 5000
    a.bind("inproc://no-reentry")
    b.connect("inproc://no-reentry")
    yield a, b
    a.close()
    b.close()
    ctx.term()


@pytest.mark.parametrize("copy", [True, False])
@pytest.mark.parametrize("per_frame", [False, True])
def test_send_multipart_does_not_call_send(pair: Any, copy: bool, per_frame: bool) -> None:
    a, b = pair
    parts = [b"one", bytearray(b"two"), zmq.Frame(b"three"), b"x" * 100_000]
    # per-frame options (None here: no draft build needed) take their own path
    kwargs = {"routing_id": None, "group": None} if per_frame else {}
    a.send_multipart(parts, copy=copy, **kwargs)
    assert b.recv_multipart() == [b"one", b"two", b"three", b"x" * 100_000]


@pytest.mark.parametrize("copy", [True, False])
def test_recv_multipart_does_not_call_recv(pair: Any, copy: bool) -> None:
    a, b = pair
    a.send_multipart([b"a", b"b" * 10_000, b"c"])
    got = b.recv_multipart(copy=copy)
    assert [bytes(p) if not copy else p for p in got] == [b"a", b"b" * 10_000, b"c"]
    if not copy:
        assert [f.more for f in got] == [True, True, False]


def test_the_guard_works(pair: Any) -> None:
    a, _ = pair
    with pytest.raises(Reentered):
        a.send(b"x")
