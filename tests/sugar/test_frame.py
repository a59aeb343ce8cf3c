"""Frame (alias Message): construction, contents, metadata, attributes."""

from __future__ import annotations

import pytest

import zmq


def test_frame_basics():
    assert zmq.Message is zmq.Frame
    f = zmq.Frame(b"abc")
    assert f.bytes == b"abc" and bytes(f) == b"abc" and len(f) == 3
    assert f.buffer.tobytes() == b"abc"
    assert f == b"abc" and f == zmq.Frame(b"abc") and f != b"abd"
    assert not f.more and f.tracker is None
    assert zmq.Frame().bytes == b""
    assert zmq.Frame(bytearray(b"x" * 100_000), copy=False).bytes == b"x" * 100_000
    with pytest.raises(TypeError):
        zmq.Frame("str")
    with pytest.raises(TypeError):
        zmq.Frame(5)


def test_frame_repr_like_pyzmq(push_pull):
    assert repr(zmq.Frame(b"")) == "<zmq.Frame(b'')>"
    assert repr(zmq.Frame(b"y" * 16)) == "<zmq.Frame(b'yyyyyyyyyyyyyyyy')>"
    high = "\\xff"  # repr's escape of byte 255
    assert repr(zmq.Frame(b"\xff" * 20)) == f"<zmq.Frame(b'{high * 12}'...20B)>"
    assert str(zmq.Frame(b"ab")) == "<zmq.Frame(b'ab')>"

    class Sub(zmq.Frame):
        pass

    assert repr(Sub(b"ab")) == f"<{__name__}.Sub(b'ab')>"  # module and plain name
    push, pull = push_pull
    push.send(b"q" * 100)
    assert repr(pull.recv(copy=False)) == "<zmq.Frame(b'qqqqqqqqqqqq'...100B)>"


@pytest.mark.parametrize(
    "size, shown",
    [
        (999, "999B"),
        (2000, "2kB"),
        (1_000_000, "1000kB"),  # pyzmq counts MB from 2**20 bytes, in units of 10**6
        (2**20, "1MB"),
        (2_500_000, "2MB"),
    ],
)
def test_frame_repr_sizes(size, shown):
    assert repr(zmq.Frame(b"z" * size)) == f"<zmq.Frame(b'zzzzzzzzzzzz'...{shown})>"


def test_frame_buffer_is_one_view_while_referenced():
    frame = zmq.Frame(b"contents")
    view = frame.buffer
    assert isinstance(view, memoryview) and view.tobytes() == b"contents"
    assert frame.buffer is view and frame.buffer is frame.buffer
    copied = frame.fast_copy()
    assert copied.buffer is not view and copied.buffer.tobytes() == b"contents"


def test_received_frame_metadata(push_pull):
    push, pull = push_pull
    push.send(b"meta")
    frame = pull.recv(copy=False)
    assert isinstance(frame, zmq.Frame)
    assert frame["Socket-Type"] == "PUSH"
    assert frame.get("Peer-Address") == "127.0.0.1"
    with pytest.raises(zmq.ZMQError):
        frame["No-Such-Property"]
    assert frame.more is False and frame.get(zmq.MORE) == 0
    assert frame.shared == frame.get(zmq.SHARED)  # message options as attributes
    with pytest.raises(AttributeError):
        frame.not_an_option  # noqa: B018


def test_tracked_frame(push_pull, gc_collect):
    push, pull = push_pull
    frame = zmq.Frame(b"t" * (zmq.COPY_THRESHOLD * 2), track=True)
    assert isinstance(frame.tracker, zmq.MessageTracker)
    tracker = push.send(frame, copy=False, track=True)
    assert tracker is frame.tracker
    assert pull.recv() == frame.bytes
    assert not tracker.done  # our Frame still references the data
    del frame
    gc_collect()
    tracker.wait(20)
    assert tracker.done
