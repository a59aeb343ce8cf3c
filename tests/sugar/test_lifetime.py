"""Process exit and garbage collection never wait on libzmq (checked in subprocesses)."""

from __future__ import annotations

import subprocess

import pytest
from subprocess_support import run_python

# a PUSH socket whose message can never be delivered and whose LINGER is infinite:
# zmq_ctx_term() on its context would block forever
PENDING_FOREVER = """
import zmq
ctx = zmq.Context()
s = ctx.socket(zmq.PUSH)
s.linger = -1
s.connect("inproc://nobody-binds-this")  # queued, never delivered
s.send(b"undeliverable")
"""


def run(code: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    # TimeoutExpired fails the test: the process hung
    return run_python(code, python_args=["-W", "default"], timeout=timeout)


@pytest.mark.timeout(30)
def test_exit_with_open_socket_and_unterminated_context_is_prompt():
    proc = run(PENDING_FOREVER + "print('end of script', flush=True)\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "end of script\n"
    assert "Unclosed" not in proc.stderr  # nothing was closed behind the program's back


@pytest.mark.timeout(30)
def test_exit_with_instance_and_open_sockets_is_prompt():
    code = PENDING_FOREVER.replace("zmq.Context()", "zmq.Context.instance()")
    proc = run(code + "import sys; sys.exit(3)\n")
    assert proc.returncode == 3, proc.stderr


@pytest.mark.timeout(30)
def test_collecting_an_unterminated_context_does_not_block():
    proc = run(
        PENDING_FOREVER
        + """
s.close()
del s, ctx
import gc
for _ in range(3):
    gc.collect()  # PyPy may need more than one pass
print("collected", flush=True)
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "collected\n"
    assert "ResourceWarning: Unclosed context" in proc.stderr


@pytest.mark.timeout(30)
def test_collecting_a_context_with_open_sockets_closes_them():
    proc = run(
        """
import gc, weakref, zmq
ctx = zmq.Context()
s = ctx.socket(zmq.PUSH)
s._cycle = s  # the socket and its context die together in one garbage cycle
ref = weakref.ref(s)
del s, ctx
for _ in range(5):
    gc.collect()  # PyPy finalizes the context a collection after its socket
print("socket gone" if ref() is None else "socket alive", flush=True)
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "socket gone\n"
    assert "ResourceWarning: Unclosed context" in proc.stderr
    assert "ResourceWarning: Unclosed socket" in proc.stderr


@pytest.mark.timeout(30)
def test_collected_socket_is_closed_so_term_returns():
    proc = run(
        """
import gc, zmq
ctx = zmq.Context()
s = ctx.socket(zmq.PUSH)
s.connect("inproc://unbound")
del s
for _ in range(3):
    gc.collect()  # PyPy may need more than one pass
ctx.term()  # blocks forever unless the collected socket was closed
print("termed", flush=True)
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "termed\n"
    assert "ResourceWarning: Unclosed socket" in proc.stderr
