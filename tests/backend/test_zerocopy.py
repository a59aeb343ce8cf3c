"""Zero-copy sends: libzmq shares the Python buffer and releases it when done."""

from __future__ import annotations

import gc
import sys
import time
import weakref

import pytest

from zmq import backend
from zmq.constants import Flag, SocketOption, SocketType
from zmq.error import NotDone

from .conftest import Sockets

BIG = 200_000  # above the default copy threshold (64 KiB)


class Buffer(bytearray):
    """A bytearray that can be weakly referenced, to see when it is freed."""


def freed(*refs: weakref.ref) -> bool:
    """Whether every referent is gone (a collection first: PyPy has no refcounting)."""
    gc.collect()
    return all(r() is None for r in refs)


def wait_until(predicate: object, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_tracked_zero_copy_send_releases_buffer(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://zc")
    data = Buffer(b"z" * BIG)
    ref = weakref.ref(data)

    def refs() -> int:
        return sys.getrefcount(ref()) if hasattr(sys, "getrefcount") else 0

    base_refs = refs()
    tracker = push.send(data, copy=False, track=True)
    assert tracker is not None
    assert refs() > base_refs or not hasattr(sys, "getrefcount")  # libzmq holds the buffer
    received = pull.recv(copy=False)
    assert received.bytes == data  # same contents, shared memory
    assert not tracker.done  # the received frame still references the data
    del received
    tracker.wait(5)
    assert tracker.done
    # the buffer reference is dropped by the next backend call or the reaper thread
    assert wait_until(lambda: refs() == base_refs)
    del data
    assert wait_until(lambda: freed(ref))


def test_reaper_releases_without_further_calls(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://reaper")
    data = Buffer(b"r" * BIG)
    ref = weakref.ref(data)
    push.send(data, copy=False)
    del data
    pull.recv(copy=True)  # libzmq is done with the message here
    # no more zmq calls: only the reaper thread can release the reference
    assert wait_until(lambda: freed(ref))


def test_wait_times_out_when_never_received(sockets: Sockets) -> None:
    push = sockets(SocketType.PUSH)
    push.bind("inproc://nobody")
    # no peer yet: connect one that never reads, with tiny HWMs the message stays queued
    pull = sockets(SocketType.PULL)
    pull.set(SocketOption.RCVHWM, 1)
    pull.connect("inproc://nobody")
    tracker = push.send(Buffer(b"n" * BIG), copy=False, track=True)
    start = time.monotonic()
    with pytest.raises(NotDone):
        tracker.wait(0.2)
    assert 0.15 < time.monotonic() - start < 5
    assert not tracker.done
    pull.recv()
    tracker.wait(5)
    assert tracker.done


def test_small_copy_false_is_copied(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://small")
    data = Buffer(b"s" * 100)
    ref = weakref.ref(data)
    tracker = push.send(data, copy=False, track=True)
    assert tracker is not None and tracker.done  # copied: nothing to wait for
    assert push.send(data, copy=True, track=True) is None  # track is ignored when copying
    del data
    assert freed(ref)  # neither send kept a reference
    assert pull.recv() == b"s" * 100 and pull.recv() == b"s" * 100


def test_copy_threshold_is_per_socket(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://threshold")
    push.copy_threshold = 10
    data = Buffer(b"t" * 100)
    tracker = push.send(data, copy=False, track=True)
    assert pull.recv() == data
    tracker.wait(5)


def test_frame_zero_copy_and_tracker(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://frame-zc")
    data = Buffer(b"f" * 1000)
    frame = backend.Frame(data, copy=False, track=True)  # copy=False: shared at any size
    assert frame.tracker is not None and not frame.tracker.done
    assert frame.buffer.readonly is False
    tracker = push.send(frame, copy=False, track=True)
    assert tracker is frame.tracker
    assert pull.recv() == data
    del frame
    tracker.wait(5)
    assert backend.Frame(b"x", track=True).tracker.done  # copied: born done
    with pytest.raises(ValueError):
        push.send(backend.Frame(b"untracked"), track=True)


def test_readonly_buffer_stays_readonly() -> None:
    frame = backend.Frame(b"r" * BIG, copy=False)
    view = frame.buffer
    assert view.readonly and view.tobytes() == b"r" * BIG
    with pytest.raises(TypeError):
        view[0:1] = b"x"  # shares the bytes object: never writable


def test_multipart_zero_copy_tracker(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://multi-zc")
    parts = [Buffer(b"a" * BIG), b"small", Buffer(b"b" * BIG)]
    tracker = push.send_multipart(parts, copy=False, track=True)
    assert pull.recv_multipart() == [bytes(p) for p in parts]
    tracker.wait(5)
    assert tracker.done


def test_many_zero_copy_messages_are_all_released(sockets: Sockets) -> None:
    push, pull = sockets.pair(SocketType.PUSH, SocketType.PULL, "inproc://many")
    refs = []
    for i in range(100):
        buf = Buffer(b"%03d" % i * 30_000)
        refs.append(weakref.ref(buf))
        push.send(buf, copy=False)
        assert pull.recv(Flag(0), copy=False).bytes[:3] == b"%03d" % i
    del buf
    assert wait_until(lambda: freed(*refs))


@pytest.mark.parametrize("transport", ["inproc://big-bytes", "tcp://127.0.0.1:*"])
def test_large_bytes_with_copy_arrive_intact_and_are_let_go(
    sockets: Sockets, transport: str
) -> None:
    """copy=True keeps copy semantics for any size (a backend may share immutable bytes
    instead of copying them, but must then drop its reference once libzmq is done)."""
    pull, push = sockets.pair(SocketType.PULL, SocketType.PUSH, transport)
    payloads = [bytes([i]) * (BIG + i) for i in range(5)]
    counts = [sys.getrefcount(p) if hasattr(sys, "getrefcount") else 0 for p in payloads]
    for _ in range(3):  # the same objects in flight several times at once
        for i in range(len(payloads)):
            push.send(payloads[i])
    push.send_multipart([payloads[0], b"tail"])
    for _ in range(3):
        for i in range(len(payloads)):
            got = pull.recv()
            assert type(got) is bytes and got == payloads[i] and got is not payloads[i]
    assert pull.recv_multipart() == [payloads[0], b"tail"]
    if hasattr(sys, "getrefcount"):
        assert wait_until(lambda: [sys.getrefcount(p) for p in payloads] == counts), (
            "a shared bytes object was never released"
        )
