"""Every socket type pair over inproc, ipc and tcp, and the send/recv variants."""

from __future__ import annotations

import array
import os
import platform
import shutil
import tempfile
from typing import Any

import pytest
from subprocess_support import run_python

from zmq import backend
from zmq.constants import Errno, Flag, PollEvent, SocketOption, SocketType
from zmq.error import Again, ZMQError

from .conftest import Sockets


def as_bytes(data: Any) -> bytes:
    # Frame.bytes: a pure-Python Frame (CFFI) has no buffer protocol before Python 3.12
    return data.bytes if isinstance(data, backend.Frame) else bytes(memoryview(data))


def poll_in(sock: Any, timeout: int = 10_000) -> bool:
    return bool(backend.zmq_poll([(sock, PollEvent.POLLIN)], timeout))


def test_pair(sockets: Sockets, addr: str) -> None:
    a, b = sockets.pair(SocketType.PAIR, SocketType.PAIR, addr)
    a.send(b"ping")
    assert b.recv() == b"ping"
    b.send(b"pong")
    assert a.recv() == b"pong"


def test_req_rep(sockets: Sockets, addr: str) -> None:
    rep, req = sockets.pair(SocketType.REP, SocketType.REQ, addr)
    for i in range(3):
        req.send(b"q%d" % i)
        assert rep.recv() == b"q%d" % i
        rep.send(b"a%d" % i)
        assert req.recv() == b"a%d" % i


def test_req_state_machine_error(sockets: Sockets) -> None:
    rep, req = sockets.pair(SocketType.REP, SocketType.REQ, "inproc://fsm")
    with pytest.raises(ZMQError) as info:
        req.recv()
    assert info.value.errno == Errno.EFSM


def test_dealer_router(sockets: Sockets, addr: str) -> None:
    router, dealer = sockets.pair(SocketType.ROUTER, SocketType.DEALER, addr)
    dealer.set(SocketOption.ROUTING_ID, b"\x00dealer-1")
    dealer.disconnect(last := router.get(SocketOption.LAST_ENDPOINT).decode())
    dealer.connect(last)
    dealer.send_multipart([b"", b"hello"])
    ident, empty, body = router.recv_multipart()
    assert (ident, empty, body) == (b"\x00dealer-1", b"", b"hello")
    router.send_multipart([ident, b"", b"world"])
    assert dealer.recv_multipart() == [b"", b"world"]


def test_pub_sub_topic_filter(sockets: Sockets, addr: str) -> None:
    pub, sub = sockets.pair(SocketType.PUB, SocketType.SUB, addr)
    sub.set(SocketOption.SUBSCRIBE, b"news")
    # subscriptions propagate asynchronously: publish until the first one arrives
    for _ in range(200):
        pub.send(b"news-sync")
        if backend.zmq_poll([(sub, PollEvent.POLLIN)], 50):
            break
    else:
        pytest.fail("subscription never reached the publisher")
    while backend.zmq_poll([(sub, PollEvent.POLLIN)], 0):
        sub.recv()
    pub.send(b"weather: sunny")
    pub.send(b"news: filtered in")
    assert sub.recv() == b"news: filtered in"
    assert not backend.zmq_poll([(sub, PollEvent.POLLIN)], 50)


def test_xpub_xsub(sockets: Sockets, addr: str) -> None:
    xpub, xsub = sockets.pair(SocketType.XPUB, SocketType.XSUB, addr)
    xsub.send(b"\x01topic")  # subscribe message
    assert xpub.recv() == b"\x01topic"
    xpub.send(b"topic data")
    xpub.send(b"other data")
    assert xsub.recv() == b"topic data"
    assert not backend.zmq_poll([(xsub, PollEvent.POLLIN)], 50)


def test_push_pull(sockets: Sockets, addr: str) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, addr)
    for i in range(100):
        push.send(b"%d" % i)
    assert [pull.recv() for _ in range(100)] == [b"%d" % i for i in range(100)]


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_stream(sockets: Sockets, endpoint: Any, transport: str) -> None:
    server, client = sockets.pair(SocketType.STREAM, SocketType.STREAM, endpoint(transport))
    # a STREAM peer sees a connection as an empty message from the new id
    client_id, empty = client.recv_multipart()
    assert empty == b""
    client.send_multipart([client_id, b"raw bytes"])
    server_side = server.recv_multipart()
    while server_side[1] == b"":  # the connect notification first
        server_side = server.recv_multipart()
    assert server_side[1] == b"raw bytes"


def test_send_buffer_types(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://buffers")
    samples = [
        b"bytes",
        bytearray(b"bytearray"),
        memoryview(b"memoryview"),
        array.array("i", [1, 2, 3]),
        backend.Frame(b"frame"),
        b"",
    ]
    for data in samples:
        push.send(data)
        assert pull.recv() == as_bytes(data)


def test_frame_is_resendable(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://resend")
    frame = backend.Frame(b"again")
    for _ in range(3):
        push.send(frame)
    assert [pull.recv() for _ in range(3)] == [b"again"] * 3
    assert frame.bytes == b"again"


def test_recv_copy_false_gives_frame(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://frames")
    push.send_multipart([b"a", b"bc"])
    first = pull.recv(copy=False)
    assert isinstance(first, backend.Frame)
    assert first.more and first.bytes == b"a" and len(first) == 1
    assert first == b"a"
    second = pull.recv(copy=False)
    assert not second.more and bytes(second) == b"bc"
    assert second.buffer.tobytes() == b"bc"
    assert first.get(1) == 1  # zmq.MORE as a message property


def test_multipart_variants(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://multi")
    parts = [b"x", bytearray(b"y"), memoryview(b"z"), backend.Frame(b"f"), b"", b"w" * 100_000]
    push.send_multipart(parts)
    assert pull.recv_multipart() == [as_bytes(p) for p in parts]
    push.send_multipart(iter([b"from", b"iterator"]))
    frames = pull.recv_multipart(copy=False)
    assert [f.bytes for f in frames] == [b"from", b"iterator"]
    assert [f.more for f in frames] == [True, False]
    many = [b"%d" % i for i in range(50)]
    push.send_multipart(many, copy=False)
    assert pull.recv_multipart() == many


@pytest.mark.parametrize("bad", ["text", 42, None, [b"list"], object()])
def test_bad_frame_in_multipart_sends_nothing(sockets: Sockets, bad: object) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://bad-multi")
    for copy in (True, False):
        with pytest.raises(TypeError, match="frame 2"):
            push.send_multipart([b"ok", b"ok", bad, b"ok"], copy=copy)
    push.send(b"after")
    assert pull.recv_multipart() == [b"after"]  # no partial message was left behind


def test_send_bad_input(sockets: Sockets) -> None:
    push, _ = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://bad")
    with pytest.raises(TypeError, match="unicode not allowed, use send_string"):
        push.send("text")
    for bad in (42, [b"x"], None, object()):
        with pytest.raises(TypeError):
            push.send(bad)
        with pytest.raises(TypeError):
            push.send(bad, copy=False)
    with pytest.raises(BufferError):
        push.send(memoryview(b"abcdef")[::2])  # a buffer, but not contiguous
    with pytest.raises(ValueError):
        push.send_multipart([])
    with pytest.raises(TypeError):
        backend.Frame("text")


def test_dontwait_raises_again(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://again")
    for recv in (pull.recv, pull.recv_multipart):
        with pytest.raises(Again) as info:
            recv(Flag.DONTWAIT)
        assert info.value.errno == Errno.EAGAIN
    with pytest.raises(Again):
        pull.recv_into(bytearray(4), flags=Flag.DONTWAIT)
    lonely = sockets(SocketType.PUSH)  # no peer: sending would block
    with pytest.raises(Again):
        lonely.send(b"x", Flag.DONTWAIT)
    with pytest.raises(Again):
        lonely.send_multipart([b"x", b"y"], Flag.DONTWAIT)


def test_timeout_raises_again(sockets: Sockets) -> None:
    pull = sockets(SocketType.PULL)
    pull.set(SocketOption.RCVTIMEO, 20)
    with pytest.raises(Again):
        pull.recv()


def test_recv_into(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://into")
    buf = bytearray(10)
    push.send(b"hello")
    assert pull.recv_into(buf) == 5
    assert buf[:5] == b"hello"
    push.send(b"0123456789abcdef")
    assert pull.recv_into(buf, nbytes=4) == 16  # full size reported, 4 bytes written
    assert buf[:5] == b"0123o"
    arr = array.array("B", bytes(8))
    push.send(b"abc")
    assert pull.recv_into(memoryview(arr)) == 3 and arr.tobytes()[:3] == b"abc"
    with pytest.raises(ValueError):
        pull.recv_into(buf, nbytes=11)
    with pytest.raises(ValueError):
        pull.recv_into(buf, nbytes=-1)
    with pytest.raises(BufferError):
        pull.recv_into(b"read-only")
    with pytest.raises(TypeError):
        pull.recv_into(42)


def test_closed_socket(sockets: Sockets) -> None:
    sock = sockets(SocketType.PUSH)
    assert not sock.closed
    sock.close()
    sock.close()  # idempotent
    assert sock.closed and sock.underlying == 0
    calls = [
        lambda: sock.send(b"x"),
        lambda: sock.recv(),
        lambda: sock.send_multipart([b"x"]),
        lambda: sock.recv_multipart(),
        lambda: sock.recv_into(bytearray(1)),
        lambda: sock.bind("inproc://closed"),
        lambda: sock.connect("inproc://closed"),
        lambda: sock.get(SocketOption.LINGER),
        lambda: sock.set(SocketOption.LINGER, 0),
        lambda: backend.zmq_poll([(sock, PollEvent.POLLIN)], 0),
    ]
    for call in calls:
        with pytest.raises(ZMQError) as info:
            call()
        assert info.value.errno == Errno.ENOTSOCK


def test_socket_attributes(sockets: Sockets) -> None:
    sock = sockets(SocketType.DEALER)
    assert sock.type == SocketType.DEALER
    assert not hasattr(sock, "socket_type")  # the sugar keeps it as a deprecated alias
    assert sock.context is sockets.context
    assert sock.copy_threshold == 65536
    assert sock.underlying != 0
    shadow = backend.Socket(shadow=sock.underlying)
    assert shadow.underlying == sock.underlying
    assert shadow.type == SocketType.DEALER
    shadow.close()  # never closes the real socket
    assert not sock.closed
    assert sock.get(SocketOption.TYPE) == SocketType.DEALER
    with pytest.raises(TypeError):
        backend.Socket(None, SocketType.PUSH)
    with pytest.raises(ZMQError) as info:
        backend.Socket(sockets.context, 999)
    assert info.value.errno == Errno.EINVAL


def test_bind_errors(sockets: Sockets) -> None:
    sock = sockets(SocketType.PULL)
    with pytest.raises(ZMQError) as info:
        sock.bind("nonsense://x")
    assert info.value.errno == Errno.EPROTONOSUPPORT
    assert "nonsense://x" in str(info.value)
    with pytest.raises(TypeError):
        sock.bind(12)
    sock.bind(b"inproc://as-bytes")
    sock.unbind("inproc://as-bytes")
    with pytest.raises(ZMQError) as info:
        sock.bind("ipc://" + "x" * (backend.IPC_PATH_MAX_LEN + 10))
    assert "ipc" in str(info.value)


@pytest.mark.skipif(not backend.has("ipc"), reason="libzmq without ipc")
def test_ipc_path_max_len_is_libzmqs_limit(sockets: Sockets) -> None:
    """IPC_PATH_MAX_LEN is exactly the longest path libzmq binds, in both backends."""
    limit = backend.IPC_PATH_MAX_LEN
    directory = tempfile.mkdtemp(prefix="zmq-ipc-")
    try:
        longest = os.path.join(directory, "p" * (limit - len(directory) - 1))
        assert len(longest) == limit
        sock = sockets(SocketType.PULL)
        sock.bind("ipc://" + longest)
        sock.unbind("ipc://" + longest)
        with pytest.raises(ZMQError) as info:
            sock.bind("ipc://" + longest + "p")
        assert f"ipc paths are limited to {limit} bytes" in str(info.value)
    finally:
        shutil.rmtree(directory)
    other = "cffi" if backend.__impl__ == "cython" else "cython"
    if platform.python_implementation() == "CPython":
        proc = run_python(
            "import zmq; print(zmq.backend.__impl__, zmq.IPC_PATH_MAX_LEN)",
            env={"PYZMQ_BACKEND": other},
        )
        assert proc.stdout.split() == [other, str(limit)], proc.stderr


def test_frame_metadata(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "tcp://127.0.0.1:*")
    push.send(b"meta")
    frame = pull.recv(copy=False)
    assert frame.get("Socket-Type") == "PUSH"
    assert frame["Socket-Type"] == "PUSH"
    assert frame.get("Peer-Address") == "127.0.0.1"
    with pytest.raises(ZMQError) as info:
        frame.get("No-Such-Property")
    assert info.value.errno == Errno.EINVAL
    with pytest.raises(TypeError):
        frame.get(1.5)
