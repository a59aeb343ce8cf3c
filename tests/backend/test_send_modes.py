"""Send semantics stay exact however the backend chooses to wait.

Backends may keep the GIL through a send that follows another send (a stream) and try it
without blocking first, waiting without the GIL only at the high-water mark; a send that
follows a receive may release the GIL at once. Neither choice may change what
DONTWAIT, SNDTIMEO, the high-water mark, signals or message order do.
"""

from __future__ import annotations

import signal
import sys
import textwrap
import threading
import time
from typing import Any

import pytest
from subprocess_support import popen_python

from zmq import error
from zmq.constants import Flag, SocketOption, SocketType

from .conftest import Sockets

STREAM = 3000


def _small_hwm_pair(sockets: Sockets, addr: str) -> tuple[Any, Any]:
    pull, push = sockets(SocketType.PULL), sockets(SocketType.PUSH)
    for sock in (pull, push):
        sock.set(SocketOption.SNDHWM, 5)
        sock.set(SocketOption.RCVHWM, 5)
    pull.bind(addr)
    push.connect(pull.get(SocketOption.LAST_ENDPOINT).decode())
    return pull, push


def test_stream_waits_at_the_hwm_and_keeps_order(sockets: Sockets, addr: str) -> None:
    pull, push = _small_hwm_pair(sockets, addr)
    got: list[bytes] = []
    failure: list[BaseException] = []

    def receive() -> None:
        try:
            for _ in range(STREAM):
                got.append(pull.recv())
            got.extend(pull.recv_multipart())
        except BaseException as e:  # reported by the main thread
            failure.append(e)

    reader = threading.Thread(target=receive)
    reader.start()
    # every send kind in one stream, far past the high-water mark of 5 + 5
    for i in range(STREAM):
        data = b"%d" % i
        if i % 3 == 0:
            push.send(data)
        elif i % 3 == 1:
            push.send(bytearray(data))
        else:
            push.send(data, copy=False)
    push.send_multipart([b"end", b"of", b"stream"])
    reader.join(30)
    assert not reader.is_alive() and not failure, failure
    assert got[:STREAM] == [b"%d" % i for i in range(STREAM)]
    assert got[STREAM:] == [b"end", b"of", b"stream"]


def test_stream_at_the_hwm_with_dontwait_or_sndtimeo(sockets: Sockets) -> None:
    pull, push = _small_hwm_pair(sockets, "inproc://full")
    sent = 0
    with pytest.raises(error.Again):
        for sent in range(1000):  # inproc: the queue holds about SNDHWM + RCVHWM messages
            push.send(b"%d" % sent, Flag.DONTWAIT)
    assert 5 <= sent < 1000
    with pytest.raises(error.Again):
        push.send_multipart([b"a", b"b"], Flag.DONTWAIT)
    push.set(SocketOption.SNDTIMEO, 30)
    start = time.monotonic()
    with pytest.raises(error.Again):
        push.send(b"late")  # a stream send at the mark still honours SNDTIMEO
    assert time.monotonic() - start >= 0.02
    with pytest.raises(error.Again):
        push.send_multipart([b"a", b"b"])
    # the receiver drains the queue: the stream goes on in order
    assert [pull.recv() for _ in range(sent)] == [b"%d" % i for i in range(sent)]
    push.set(SocketOption.SNDTIMEO, 10_000)
    push.send(b"next")
    assert pull.recv() == b"next"


def test_request_reply_alternation(sockets: Sockets, addr: str) -> None:
    rep, req = sockets.pair(SocketType.REP, SocketType.REQ, addr)

    def serve() -> None:
        for _ in range(200):
            rep.send(rep.recv() + b"!")

    server = threading.Thread(target=serve)
    server.start()
    for i in range(200):
        req.send(b"%d" % i)
        assert req.recv() == b"%d!" % i
    server.join(10)
    assert not server.is_alive()


BLOCKED_STREAM = """
    import sys
    import zmq.backend as b
    from zmq.constants import PULL, PUSH, SNDHWM, RCVHWM
    ctx = b.Context()
    pull, push = b.Socket(ctx, PULL), b.Socket(ctx, PUSH)
    for s in (pull, push):
        s.set(SNDHWM, 1)
        s.set(RCVHWM, 1)
    pull.bind("inproc://nobody-reads")
    push.connect("inproc://nobody-reads")
    try:
        print("ready", flush=True)
        while True:  # a stream that reaches the high-water mark and blocks there
            {call}
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        for s in (pull, push):
            s.close(linger=0)
        ctx.term()
        sys.exit(7)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "call", ["push.send(b'x')", "push.send_multipart([b'x', b'y'])", "push.send(b'x', copy=False)"]
)
def test_sigint_interrupts_a_blocked_stream(call: str) -> None:
    code = textwrap.dedent(BLOCKED_STREAM).format(call=call)
    with popen_python(code) as child:
        try:
            assert child.stdout is not None and child.stderr is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(0.1)  # let it fill the queue and block (an earlier signal works too)
            child.send_signal(signal.SIGINT)
            rc = child.wait(10)
            output = child.stdout.read() + child.stderr.read()
        finally:
            if child.poll() is None:
                child.kill()
    assert rc == 7, output
    assert "interrupted" in output
