"""Closing an event loop never closes a descriptor libzmq owns.

A ZMQ_FD belongs to libzmq: if anyone else closes it, libzmq's reaper later fails to
close it and aborts the process ("Bad file descriptor (src/signaler.cpp:...)"), or
closes whatever file got that number in between. Tornado's ``IOLoop.close(all_fds=True)``
closes everything registered with it, so zmq registers socket objects there (tornado
then calls ``socket.close()``); asyncio closes nothing registered with it.

Each scenario runs in its own process (a crash is reported, not fatal) that records
every ``os.close()`` of a libzmq descriptor and checks that the descriptors of sockets
left open still name the same files, then terminates the context.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
from subprocess_support import run_python

pytest.importorskip("tornado")
pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="ZMQ_FD is a socket handle there, not a file descriptor"
)

# Prelude of every scenario: ``watch(*sockets)`` records their descriptors;
# ``report(**facts)`` checks them and prints one JSON line for the parent.
PRELUDE = """
import asyncio, json, os, sys
import zmq

_watched = {}
_closed_by_python = []
_real_close = os.close

def _spy_close(fd):
    if fd in _watched:
        _closed_by_python.append(fd)
    _real_close(fd)

os.close = _spy_close

def watch(*sockets):
    for s in sockets:
        st = os.fstat(s.FD)
        _watched[s.FD] = (s, st.st_dev, st.st_ino)

def _same_file(fd, dev, ino):
    try:
        st = os.fstat(fd)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (dev, ino)

def report(**facts):
    # the descriptors of sockets still open must still be libzmq's
    facts["python_closed"] = _closed_by_python
    facts["replaced"] = [
        fd for fd, (s, dev, ino) in _watched.items()
        if not s.closed and not _same_file(fd, dev, ino)
    ]
    facts["closed"] = sorted(fd for fd, (s, _, _) in _watched.items() if s.closed)
    print(json.dumps(facts), flush=True)
"""


def run_scenario(code: str) -> dict:
    try:
        result = run_python(PRELUDE + code, timeout=40)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"scenario hung (context.term() waiting for a socket?): {e.stderr!r}")
    if result.returncode != 0:
        how = (
            f"killed by {signal.Signals(-result.returncode).name}"
            if result.returncode < 0
            else f"exit {result.returncode}"
        )
        pytest.fail(f"scenario failed ({how}):\n{result.stderr[-3000:]}")
    assert "Bad file descriptor" not in result.stderr
    facts: dict = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["python_closed"] == [], "os.close() was called on libzmq's descriptors"
    assert facts["replaced"] == [], "descriptors of open sockets no longer name libzmq's files"
    return facts


def test_tornado_close_all_fds_closes_zmqstream_sockets() -> None:
    facts = run_scenario(
        """
from tornado.ioloop import IOLoop
from zmq.eventloop.zmqstream import ZMQStream

ctx = zmq.Context()
loop = IOLoop(make_current=False)
a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
a.bind("inproc://streams")
b.connect("inproc://streams")
watch(a, b)
sa, sb = ZMQStream(a, loop), ZMQStream(b, loop)
got = []

async def exchange():
    done = asyncio.get_running_loop().create_future()
    sb.on_recv(lambda frames: (got.append(frames[0].decode()), done.set_result(None)))
    sa.send(b"hello")
    await done

loop.run_sync(exchange, timeout=10)
loop.close(all_fds=True)
sockets_closed = [a.closed, b.closed]
# the streams see their sockets closed by the loop: no warning, no second close
stream_closed = [sa.closed(), sb.closed()]
for s in (a, b):
    if not s.closed:  # the bug: libzmq's descriptor was os.close()d instead
        s.close(linger=0)
report(got=got, sockets_closed=sockets_closed, stream_closed=stream_closed)
ctx.term()
"""
    )
    assert facts["got"] == ["hello"]
    assert facts["sockets_closed"] == [True, True]
    assert facts["stream_closed"] == [True, True]


def test_tornado_close_all_fds_closes_the_socket_a_stream_shadows() -> None:
    # a stream over a zmq.asyncio socket drives it through a plain shadow; the loop
    # must close the caller's socket, which then knows it is closed
    facts = run_scenario(
        """
import warnings
import zmq.asyncio
from tornado.ioloop import IOLoop
from zmq.eventloop.zmqstream import ZMQStream

ctx = zmq.asyncio.Context()
loop = IOLoop(make_current=False)
sock = ctx.socket(zmq.PULL)
sock.bind("inproc://shadowed")
watch(sock)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    stream = ZMQStream(sock, loop)
stream.on_recv(print)
loop.close(all_fds=True)
closed = sock.closed
if not closed:
    sock.close(linger=0)
report(socket_closed=closed, stream_closed=stream.closed())
ctx.term()
"""
    )
    assert facts["socket_closed"] is True
    assert facts["stream_closed"] is True


def test_tornado_close_all_fds_closes_future_sockets_and_polled_sockets() -> None:
    facts = run_scenario(
        """
from tornado.ioloop import IOLoop
from zmq.eventloop import future

ctx = future.Context()
sync_ctx = zmq.Context()
loop = IOLoop(make_current=False)
pull, push = ctx.socket(zmq.PULL), ctx.socket(zmq.PUSH)
pull.bind("inproc://future")
push.connect("inproc://future")
plain = sync_ctx.socket(zmq.PULL)
plain.bind("inproc://plain")
watch(pull, push, plain)
pending = []

async def use():
    await push.send(b"x")
    assert await pull.recv() == b"x"
    pending.append(pull.recv())
    poller = future.Poller()
    poller.register(plain, zmq.POLLIN)
    pending.append(poller.poll())

loop.run_sync(use, timeout=10)
loop.close(all_fds=True)
closed = [s.closed for s in (pull, push, plain)]
for s in (pull, push, plain):
    if not s.closed:
        s.close(linger=0)
report(closed_flags=closed, recv_cancelled=pending[0].cancelled())
ctx.term()
sync_ctx.term()
"""
    )
    # the pending poll registered the plain socket: tornado closed it as a socket too
    assert facts["closed_flags"] == [True, True, True]
    assert facts["recv_cancelled"] is True


def test_asyncio_loop_close_leaves_libzmq_descriptors_alone() -> None:
    facts = run_scenario(
        """
import zmq.asyncio

ctx = zmq.asyncio.Context()
sync_ctx = zmq.Context()
pull, push = ctx.socket(zmq.PULL), ctx.socket(zmq.PUSH)
pull.bind("inproc://aio")
push.connect("inproc://aio")
plain = sync_ctx.socket(zmq.PULL)
plain.bind("inproc://aio-plain")
watch(pull, push, plain)

async def strand():
    await push.send(b"first")
    assert await pull.recv() == b"first"
    pull.recv()  # left waiting when the loop closes
    poller = zmq.asyncio.Poller()
    poller.register(plain, zmq.POLLIN)
    poller.poll()  # likewise

loop = asyncio.new_event_loop()
loop.run_until_complete(strand())
loop.close()
still_open = [not s.closed for s in (pull, push, plain)]
# the same sockets work on the next loop
async def again():
    await push.send(b"second")
    return await pull.recv()
second = asyncio.run(again())
report(still_open=still_open, second=second.decode())
for s in (pull, push, plain):
    s.close(linger=0)
ctx.term()
sync_ctx.term()
"""
    )
    assert facts["still_open"] == [True, True, True]
    assert facts["second"] == "second"


def test_tornado_close_all_fds_leaves_asyncio_sockets_alone() -> None:
    # zmq.asyncio sockets register with the asyncio loop itself, not with tornado's
    # handlers: IOLoop.close(all_fds=True) closes its asyncio loop, never their fds
    facts = run_scenario(
        """
import zmq.asyncio
from tornado.ioloop import IOLoop

ctx = zmq.asyncio.Context()
pull, push = ctx.socket(zmq.PULL), ctx.socket(zmq.PUSH)
pull.bind("inproc://mixed")
push.connect("inproc://mixed")
watch(pull, push)
loop = IOLoop(make_current=False)

async def use():
    await push.send(b"x")
    assert await pull.recv() == b"x"
    pull.recv()

loop.run_sync(use, timeout=10)
loop.close(all_fds=True)
still_open = [not s.closed for s in (pull, push)]
async def again():
    await push.send(b"after")
    return await pull.recv()
after = asyncio.run(again())
report(still_open=still_open, after=after.decode())
for s in (pull, push):
    s.close(linger=0)
ctx.term()
"""
    )
    assert facts["still_open"] == [True, True]
    assert facts["after"] == "after"


def test_loop_without_add_reader_closes_only_its_selector_thread() -> None:
    # a loop without add_reader (as Windows' ProactorEventLoop): the sockets are
    # watched from a selector thread, which ends with the loop and closes only its own
    # wake-up sockets
    facts = run_scenario(
        """
import warnings
import zmq.asyncio

class NoReaderLoop(asyncio.SelectorEventLoop):
    def add_reader(self, *args):
        raise NotImplementedError
    add_writer = add_reader

ctx = zmq.asyncio.Context()
pull, push = ctx.socket(zmq.PULL), ctx.socket(zmq.PUSH)
pull.bind("inproc://thread")
push.connect("inproc://thread")
watch(pull, push)

async def use():
    received = pull.recv()
    await push.send(b"via thread")
    first = await received
    pull.recv()  # left waiting
    return first

loop = NoReaderLoop()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    first = loop.run_until_complete(use())
loop.close()
report(first=first.decode(), still_open=[not s.closed for s in (pull, push)])
for s in (pull, push):
    s.close(linger=0)
ctx.term()
"""
    )
    assert facts["first"] == "via thread"
    assert facts["still_open"] == [True, True]
