"""Socket and context options by value type, and zmq_poll over sockets and fds."""

from __future__ import annotations

import os
import sys
import time

import pytest

from zmq import backend
from zmq.constants import ContextOption, Errno, PollEvent, SocketOption, SocketType
from zmq.error import ZMQError

from .conftest import Sockets


def test_int_options(sockets: Sockets) -> None:
    sock = sockets(SocketType.DEALER)
    sock.set(SocketOption.SNDHWM, 123)
    assert sock.get(SocketOption.SNDHWM) == 123
    sock.set(SocketOption.IMMEDIATE, True)
    assert sock.get(SocketOption.IMMEDIATE) == 1
    sock.set(SocketOption.RCVTIMEO, -1)
    assert sock.get(SocketOption.RCVTIMEO) == -1
    with pytest.raises(TypeError, match="expected int"):
        sock.set(SocketOption.SNDHWM, b"12")
    with pytest.raises(TypeError):
        sock.set(SocketOption.SNDHWM, "12")
    with pytest.raises(TypeError):
        sock.set(SocketOption.SNDHWM, 1.5)


def test_int64_options(sockets: Sockets) -> None:
    sock = sockets(SocketType.DEALER)
    sock.set(SocketOption.MAXMSGSIZE, 2**40)
    assert sock.get(SocketOption.MAXMSGSIZE) == 2**40
    sock.set(SocketOption.AFFINITY, 3)
    assert sock.get(SocketOption.AFFINITY) == 3


def test_bytes_options(sockets: Sockets) -> None:
    sock = sockets(SocketType.DEALER)
    sock.set(SocketOption.ROUTING_ID, b"id\x00")  # binary: kept as is
    assert sock.get(SocketOption.ROUTING_ID) == b"id\x00"
    sock.set(SocketOption.ROUTING_ID, bytearray(b"ba"))
    assert sock.get(SocketOption.ROUTING_ID) == b"ba"
    sock.set(SocketOption.ZAP_DOMAIN, b"global")  # a C string: read back without the NUL
    assert sock.get(SocketOption.ZAP_DOMAIN) == b"global"
    sock.bind("tcp://127.0.0.1:*")
    endpoint = sock.get(SocketOption.LAST_ENDPOINT)
    assert endpoint.startswith(b"tcp://127.0.0.1:") and not endpoint.endswith(b"\x00")
    with pytest.raises(TypeError, match="str"):
        sock.set(SocketOption.ROUTING_ID, "text")
    with pytest.raises(TypeError):
        sock.set(SocketOption.ROUTING_ID, 5)
    sub = sockets(SocketType.SUB)
    sub.set(SocketOption.SUBSCRIBE, b"")
    sub.set(SocketOption.UNSUBSCRIBE, b"")


def test_fd_option(sockets: Sockets) -> None:
    sock = sockets(SocketType.PULL)
    fd = sock.get(SocketOption.FD)
    assert isinstance(fd, int) and fd >= 0
    if sys.platform != "win32":
        os.fstat(fd)  # a real descriptor


def test_bad_option(sockets: Sockets) -> None:
    sock = sockets(SocketType.PULL)
    with pytest.raises(ZMQError) as info:
        sock.set(9999, 1)
    assert info.value.errno == Errno.EINVAL
    with pytest.raises(ZMQError) as info:
        sock.get(9999)
    assert info.value.errno == Errno.EINVAL
    with pytest.raises(ZMQError) as info:
        sock.set(SocketOption.SUBSCRIBE, b"x")  # not a SUB socket
    assert info.value.errno == Errno.EINVAL


def test_context_options() -> None:
    ctx = backend.Context(io_threads=2)
    try:
        assert ctx.get(ContextOption.IO_THREADS) == 2
        ctx.set(ContextOption.MAX_SOCKETS, 64)
        assert ctx.get(ContextOption.MAX_SOCKETS) == 64
        with pytest.raises(TypeError):
            ctx.set(ContextOption.MAX_SOCKETS, "64")  # type: ignore[arg-type]  # wrong on purpose
        with pytest.raises(ZMQError) as info:
            ctx.get(9999)
        assert info.value.errno == Errno.EINVAL
        assert not ctx.closed and ctx.underlying
        shadow = backend.Context(shadow=ctx.underlying)
        assert shadow.underlying == ctx.underlying
        shadow.term()  # never terminates the real context
        assert ctx.get(ContextOption.MAX_SOCKETS) == 64
    finally:
        ctx.term()
    assert ctx.closed
    ctx.term()  # idempotent
    with pytest.raises(ZMQError):
        ctx.get(ContextOption.IO_THREADS)


def test_poll_sockets(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://poll")
    assert backend.zmq_poll([(pull, PollEvent.POLLIN)], 0) == []
    assert backend.zmq_poll([(push, PollEvent.POLLOUT)], 0) == [(push, PollEvent.POLLOUT)]
    push.send(b"x")
    events = backend.zmq_poll([(pull, PollEvent.POLLIN | PollEvent.POLLOUT)], 1000)
    assert events == [(pull, PollEvent.POLLIN)]
    start = time.monotonic()
    pull.recv()
    assert backend.zmq_poll([(pull, PollEvent.POLLIN)], 100) == []
    assert time.monotonic() - start >= 0.09


@pytest.mark.skipif(sys.platform == "win32", reason="zmq_poll takes sockets, not pipes, on Windows")
def test_poll_raw_fd_and_fileno(sockets: Sockets) -> None:
    r, w = os.pipe()
    try:
        pull = sockets(SocketType.PULL)
        assert backend.zmq_poll([(r, PollEvent.POLLIN), (pull, PollEvent.POLLIN)], 10) == []
        os.write(w, b"!")

        class HasFileno:
            def fileno(self) -> int:
                return r

        obj = HasFileno()
        result = backend.zmq_poll([(r, PollEvent.POLLIN), (obj, PollEvent.POLLIN)], 1000)
        # as pyzmq's backend: anything that is not a zmq socket comes back as the fd polled
        assert result == [(r, PollEvent.POLLIN), (r, PollEvent.POLLIN)]
    finally:
        os.close(r)
        os.close(w)


def test_poll_bad_items() -> None:
    with pytest.raises(TypeError):
        backend.zmq_poll([(object(), PollEvent.POLLIN)], 0)
    with pytest.raises((TypeError, ValueError)):
        backend.zmq_poll([("not a socket",)], 0)  # type: ignore[list-item]  # wrong on purpose
