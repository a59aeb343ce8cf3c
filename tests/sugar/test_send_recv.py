"""Every send/recv variant of the sugar Socket, and what bad input does."""

from __future__ import annotations

import json
import pickle
from collections import OrderedDict

import pytest

import zmq


def assert_next_is(pull: zmq.Socket[bytes], expected: list[bytes]) -> None:
    """The next whole message is ``expected``: anything sent by a failed call before it
    would have arrived first on this single pipe."""
    assert pull.recv_multipart() == expected


def test_bytes_and_buffers(push_pull):
    push, pull = push_pull
    push.send(b"bytes")
    push.send(bytearray(b"bytearray"))
    push.send(memoryview(b"memoryview"))
    push.send(b"")
    assert [pull.recv() for _ in range(4)] == [b"bytes", b"bytearray", b"memoryview", b""]


def test_str_is_refused_by_send(push_pull):
    push, pull = push_pull
    with pytest.raises(TypeError):
        push.send("text")
    with pytest.raises(TypeError):
        push.send(12)
    push.send(b"sentinel")
    assert_next_is(pull, [b"sentinel"])


def test_string(push_pull):
    push, pull = push_pull
    push.send_string("héllo ☃")
    assert pull.recv_string() == "héllo ☃"
    push.send_string("latin-1 é", encoding="latin-1")
    assert pull.recv() == "latin-1 é".encode("latin-1")
    push.send_unicode("alias")
    assert pull.recv_unicode() == "alias"
    with pytest.raises(TypeError):
        push.send_string(b"bytes are not str")


def test_recv_string_bad_encoding_raises(push_pull):
    push, pull = push_pull
    push.send(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        pull.recv_string()


def test_json(push_pull):
    push, pull = push_pull
    obj = {"b": [1, 2.5, None, True], "a": "text ☃"}
    push.send_json(obj)
    assert pull.recv_json() == obj
    push.send_json(obj, sort_keys=True, separators=(",", ":"))
    raw = pull.recv()
    assert raw == json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    push.send_json(obj)
    got = pull.recv_json(object_pairs_hook=OrderedDict)
    assert isinstance(got, OrderedDict) and got == obj


def test_json_not_serialisable_sends_nothing(push_pull):
    push, pull = push_pull
    with pytest.raises(TypeError):
        push.send_json({"x": object()})
    push.send(b"sentinel")
    assert_next_is(pull, [b"sentinel"])


def test_recv_json_invalid(push_pull):
    push, pull = push_pull
    push.send(b"{not json")
    with pytest.raises(ValueError):
        pull.recv_json()


def test_pyobj(push_pull):
    push, pull = push_pull
    obj = {"set": {1, 2}, "tuple": (1, "a"), "bytes": b"\x00"}
    push.send_pyobj(obj)
    assert pull.recv_pyobj() == obj
    push.send_pyobj(obj, protocol=0)
    raw = pull.recv()
    assert pickle.loads(raw) == obj
    assert raw[:1] != b"\x80"  # protocols >= 2 start with the PROTO opcode, 0 does not


def test_serialized(push_pull):
    push, pull = push_pull

    def serialize(msg: dict) -> list[bytes]:
        return [msg["kind"].encode(), json.dumps(msg["body"]).encode()]

    def deserialize(frames: list) -> dict:
        kind, body = (bytes(f) for f in frames)
        return {"kind": kind.decode(), "body": json.loads(body)}

    msg = {"kind": "greeting", "body": [1, 2, 3]}
    push.send_serialized(msg, serialize)
    assert pull.recv_serialized(deserialize) == msg
    push.send_serialized(msg, serialize, copy=False)
    assert pull.recv_serialized(deserialize, copy=False) == msg


def test_multipart(push_pull):
    push, pull = push_pull
    parts = [b"a", bytearray(b"b"), memoryview(b"c"), b"", zmq.Frame(b"frame")]
    push.send_multipart(parts)
    assert pull.recv_multipart() == [b"a", b"b", b"c", b"", b"frame"]
    push.send(b"first", zmq.SNDMORE)
    push.send(b"last")
    first = pull.recv(copy=False)
    assert first.more and first.bytes == b"first"
    assert pull.rcvmore == 1
    last = pull.recv(copy=False)
    assert not last.more and last.bytes == b"last"


def test_multipart_checks_every_frame_before_sending(push_pull):
    push, pull = push_pull
    for bad in ([b"ok", "str", b"ok"], [b"ok", b"ok", 3], [None]):
        with pytest.raises(TypeError):
            push.send_multipart(bad)
    push.send_multipart([b"sentinel", b"message"])
    assert_next_is(pull, [b"sentinel", b"message"])


def test_copy_false_returns_frames(push_pull):
    push, pull = push_pull
    big = b"x" * (zmq.COPY_THRESHOLD * 2)
    push.send(big, copy=False)
    frame = pull.recv(copy=False)
    assert isinstance(frame, zmq.Frame)
    assert frame.bytes == big and len(frame) == len(big)
    assert frame.buffer.tobytes() == big
    push.send_multipart([b"a", big], copy=False)
    frames = pull.recv_multipart(copy=False)
    assert all(isinstance(f, zmq.Frame) for f in frames)
    assert [f.bytes for f in frames] == [b"a", big]


@pytest.mark.timeout(30)
def test_track_zero_copy(push_pull):
    push, pull = push_pull
    data = bytearray(b"y" * (zmq.COPY_THRESHOLD * 4))
    tracker = push.send(data, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert pull.recv() == data
    tracker.wait(20)  # libzmq releases the buffer once it is written to the wire
    assert tracker.done
    tracker = push.send_multipart([b"head", data], copy=False, track=True)
    assert pull.recv_multipart() == [b"head", data]
    tracker.wait(20)
    assert tracker.done


def test_track_with_copy_is_done_at_once(push_pull):
    push, pull = push_pull
    tracker = push.send(b"small", copy=True, track=True)
    assert tracker is None or tracker.done
    assert pull.recv() == b"small"


def test_recv_into(push_pull):
    push, pull = push_pull
    push.send(b"hello")
    buf = bytearray(10)
    assert pull.recv_into(buf) == 5
    assert buf[:5] == b"hello" and buf[5:] == bytes(5)
    push.send(b"0123456789abcdef")
    small = bytearray(4)
    assert pull.recv_into(small) == 16  # the full size: the message was truncated
    assert small == b"0123"
    push.send(b"abcdef")
    view = memoryview(bytearray(8))
    assert pull.recv_into(view, nbytes=3) == 6
    assert view[:3].tobytes() == b"abc" and view[3:].tobytes() == bytes(5)


def test_recv_into_refuses_readonly_buffers(push_pull):
    push, pull = push_pull
    push.send(b"data")
    with pytest.raises(BufferError, match="read-only"):
        pull.recv_into(b"read-only!")
    with pytest.raises(BufferError, match="not contiguous"):
        pull.recv_into(memoryview(bytearray(8))[::2])
    assert pull.recv() == b"data"  # nothing was consumed


def test_non_contiguous_buffers_raise_buffer_error(push_pull):
    # pyzmq's exception class: BufferError for a buffer of the wrong shape, wherever it goes
    push, pull = push_pull
    strided = memoryview(bytearray(b"0123456789"))[::3]
    for send in (
        lambda: zmq.Frame(strided),
        lambda: zmq.Frame(strided, copy=False),
        lambda: push.send(strided),
        lambda: push.send(strided, copy=False),
        lambda: push.send_multipart([b"head", strided]),
    ):
        with pytest.raises(BufferError):
            send()
    with pytest.raises(TypeError):
        zmq.Frame(object())
    push.send(b"sent")
    assert pull.recv() == b"sent"  # nothing half-sent before


def test_noblock_raises_again(socket):
    pull = socket(zmq.PULL)
    pull.bind("inproc://noblock")
    with pytest.raises(zmq.Again):
        pull.recv(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        pull.recv_multipart(zmq.DONTWAIT)
    with pytest.raises(zmq.Again):
        pull.recv_json(zmq.NOBLOCK)


def test_rcvtimeo_raises_again(socket):
    pull = socket(zmq.PULL)
    pull.rcvtimeo = 10
    pull.bind("inproc://timeout")
    with pytest.raises(zmq.Again):
        pull.recv_string()


def test_closed_socket_refuses_everything(socket):
    s = socket(zmq.PUSH)
    s.close()
    assert s.closed
    s.close()  # idempotent
    for call in (
        lambda: s.send(b"x"),
        lambda: s.send_string("x"),
        lambda: s.send_multipart([b"x"]),
        lambda: s.recv(),
        lambda: s.bind("inproc://closed"),
        lambda: s.connect("inproc://closed"),
        lambda: s.linger,
        lambda: s.setsockopt(zmq.LINGER, 0),
    ):
        with pytest.raises(zmq.ZMQError) as info:
            call()
        assert info.value.errno == zmq.ENOTSOCK
    with pytest.raises(zmq.ZMQError):
        s.poll(0)
