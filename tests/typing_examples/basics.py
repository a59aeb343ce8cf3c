"""User-style code that must type-check against zmq's inline hints."""

from __future__ import annotations

from typing import Any

import zmq
from zmq.utils import jsonapi, z85
from zmq.utils.monitor import parse_monitor_message


def round_trip(url: str) -> bytes:
    ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    with ctx.socket(zmq.PULL) as pull, ctx.socket(zmq.PUSH) as push:
        pull.linger = 0
        push.sndhwm = 10
        port: int = pull.bind_to_random_port("tcp://127.0.0.1")
        push.connect(f"tcp://127.0.0.1:{port}")
        push.send(b"data", copy=True)
        push.send_string("text")
        push.send_json({"a": 1}, sort_keys=True)
        push.send_pyobj([1, 2])
        push.send_multipart([b"a", b"b"])
        data = pull.recv()
        text: str = pull.recv_string()
        obj: Any = pull.recv_json()
        pull.recv_pyobj()
        parts = pull.recv_multipart()
        events: int = pull.poll(100, zmq.POLLIN)
        assert parts and text and obj and events >= 0
        return bytes(data)


def polling(sock: zmq.Socket) -> list[tuple[Any, int]]:
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    rlist, wlist, xlist = zmq.select([sock], [], [], timeout=0.1)
    return poller.poll(10)


def context_options() -> None:
    with zmq.Context(io_threads=2) as ctx:
        ctx.linger = 0
        threads = ctx.io_threads
        sock = ctx.socket(zmq.ROUTER, socket_class=zmq.Socket)
        sock.close(linger=0)
        monitor: zmq.Socket = sock.get_monitor_socket()
        monitor.close()
        assert threads


def helpers() -> None:
    key: bytes = z85.encode(b"\x00" * 32)
    assert z85.decode(key)
    assert jsonapi.loads(jsonapi.dumps({"x": 1}))
    event = parse_monitor_message([b"\x01\x00\x00\x00\x00\x00", b"tcp://x"])
    assert event["endpoint"] == b"tcp://x"
    version: str = zmq.zmq_version()
    includes: list[str] = zmq.get_includes()
    assert version and includes and zmq.has("curve") in (True, False)


try:
    round_trip("tcp://127.0.0.1")
except zmq.Again as e:
    errno_value: int | None = e.errno
except zmq.ZMQError as e:
    message: str = e.strerror
