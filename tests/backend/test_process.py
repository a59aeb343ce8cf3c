"""Signals interrupt blocking calls; forked children leave the parent's context alone."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time

import pytest
from subprocess_support import popen_python

from zmq import backend
from zmq.constants import SocketType

from .conftest import Sockets

BLOCKED_RECV = """
    import sys
    import zmq.backend as b
    from zmq.constants import PULL, PAIR
    ctx = b.Context()
    sock = b.Socket(ctx, {socket_type})
    sock.bind("inproc://never")
    try:
        print("ready", flush=True)
        {call}
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sock.close(linger=0)
        ctx.term()
        sys.exit(7)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "call",
    [
        "sock.recv()",
        "sock.recv_multipart()",
        "b.zmq_poll([(sock, 1)], -1)",
        "sock.recv(copy=False)",
    ],
)
def test_sigint_interrupts_blocking_call(call: str) -> None:
    code = textwrap.dedent(BLOCKED_RECV).format(socket_type="PULL", call=call)
    with popen_python(code) as child:
        try:
            assert child.stdout is not None and child.stderr is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(0.1)  # let it enter the blocking call (an earlier signal is also handled)
            start = time.monotonic()
            child.send_signal(signal.SIGINT)
            rc = child.wait(10)
            elapsed = time.monotonic() - start
            output = child.stdout.read() + child.stderr.read()
        finally:
            if child.poll() is None:
                child.kill()
    assert rc == 7, output
    assert elapsed < 1.5


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_does_not_close_parent_sockets(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "tcp://127.0.0.1:*")
    extra_ctx = backend.Context()
    extra = backend.Socket(extra_ctx, SocketType.PAIR)
    pid = os.fork()
    if pid == 0:  # child: drop every copy of the parent's objects, then exit
        code = 0
        try:
            del extra
            extra_ctx.term()
            import gc

            gc.collect()
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    # the parent's sockets and contexts still work
    push.send(b"still alive")
    assert pull.recv() == b"still alive"
    extra.bind("inproc://after-fork")
    extra.close()
    extra_ctx.term()
