"""Receive semantics stay exact however the backend chooses to wait.

Backends may try a receive without blocking first and, after such a try found nothing,
go straight to the blocking call for the next few receives; neither choice may change
what DONTWAIT, RCVTIMEO or multipart receives do.
"""

from __future__ import annotations

import pytest

from zmq import backend, error
from zmq.constants import Flag, SocketOption, SocketType

from .conftest import Sockets


def test_timeouts_then_dontwait_then_delivery(sockets: Sockets, addr: str) -> None:
    pull, push = sockets.pair(SocketType.PULL, SocketType.PUSH, addr)
    pull.set(SocketOption.RCVTIMEO, 20)
    for _ in range(3):  # repeated timeouts: every one is reported, none blocks forever
        with pytest.raises(error.Again):
            pull.recv()
    for _ in range(3):  # DONTWAIT never blocks, whatever the socket's recent history
        with pytest.raises(error.Again):
            pull.recv(Flag.DONTWAIT)
    pull.set(SocketOption.RCVTIMEO, 10_000)
    for i in range(20):  # alternate waiting and already-queued receives
        push.send(b"m%d" % i)
        assert pull.recv() == b"m%d" % i
    push.send_multipart([b"a", b"b", b"c"])
    assert pull.recv_multipart() == [b"a", b"b", b"c"]
    buf = bytearray(8)
    push.send(b"into")
    assert pull.recv_into(buf) == 4 and bytes(buf[:4]) == b"into"


def test_dontwait_sees_a_queued_message(sockets: Sockets) -> None:
    pull, push = sockets.pair(SocketType.PULL, SocketType.PUSH, "inproc://queued")
    pull.set(SocketOption.RCVTIMEO, 20)
    with pytest.raises(error.Again):
        pull.recv()
    push.send(b"ready")
    # inproc delivery is synchronous with send: the message is already queued
    assert backend.zmq_poll([(pull, 1)], 10_000) == [(pull, 1)]
    assert pull.recv(Flag.DONTWAIT) == b"ready"
