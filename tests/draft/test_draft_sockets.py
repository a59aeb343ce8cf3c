"""Draft sockets over real transports (both backends): SERVER/CLIENT routing ids,
RADIO/DISH groups over tcp and udp, SCATTER/GATHER, CHANNEL, thread-safe sharing."""

from __future__ import annotations

import socket as pysocket
import threading
from collections import Counter
from typing import Any, Callable

import pytest

import zmq

pytestmark = pytest.mark.usefixtures("draft")

TIMEOUT_MS = 10_000


def timeouts(*sockets: Any) -> None:
    for s in sockets:
        s.linger = 0
        s.rcvtimeo = s.sndtimeo = TIMEOUT_MS  # a lost message fails, never hangs


@pytest.mark.parametrize("transport", ["tcp", "inproc"])
def test_server_replies_to_each_client_by_routing_id(
    socket: Callable[..., Any], endpoint: Callable[[str], str], transport: str
) -> None:
    server = socket(zmq.SERVER)
    clients = [socket(zmq.CLIENT) for _ in range(3)]
    timeouts(server, *clients)
    server.bind(endpoint(transport))
    for c in clients:
        c.connect(server.last_endpoint.decode())
    for i, c in enumerate(clients):
        c.send(f"request {i}".encode())
    seen = {}
    for _ in clients:
        frame = server.recv(copy=False)
        assert isinstance(frame.routing_id, int) and frame.routing_id > 0
        seen[frame.bytes] = frame.routing_id
        server.send(b"reply to " + frame.bytes, routing_id=frame.routing_id)
    assert len(set(seen.values())) == len(clients)
    for i, c in enumerate(clients):
        assert c.recv() == f"reply to request {i}".encode()


def test_server_sends_a_received_frame_back(bound_pair: Callable[..., Any]) -> None:
    server, client = bound_pair(zmq.SERVER, zmq.CLIENT)
    client.send(b"echo me")
    server.send(server.recv(copy=False))  # the frame keeps its routing id
    assert client.recv() == b"echo me"


def test_server_refuses_unknown_routing_id(bound_pair: Callable[..., Any]) -> None:
    server, _ = bound_pair(zmq.SERVER, zmq.CLIENT)
    with pytest.raises(zmq.ZMQError) as info:
        server.send(b"nobody", routing_id=123456)
    assert info.value.errno == zmq.EHOSTUNREACH


def test_frame_routing_id_and_group_round_trip() -> None:
    frame = zmq.Frame(b"data")
    assert frame.routing_id is None
    assert frame.group == ""
    frame.routing_id = 0xFFFFFFFF
    frame.group = "the-group"
    assert frame.routing_id == 0xFFFFFFFF and frame.get("routing_id") == 0xFFFFFFFF
    assert frame.group == "the-group" and frame.get("group") == "the-group"
    frame.set("group", b"bytes-group")
    assert frame.group == "bytes-group"
    frame.group = "g" * 255  # libzmq's ZMQ_GROUP_MAX_LENGTH
    assert frame.group == "g" * 255
    with pytest.raises(zmq.ZMQError, match="longer than") as info:
        frame.group = "g" * 256  # libzmq itself would cut it short
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(ValueError, match="NUL"):
        frame.group = b"a\0b"  # type: ignore[assignment]  # bytes: accepted at run time
    assert frame.group == "g" * 255  # unchanged by the refused values
    with pytest.raises(zmq.ZMQError):
        frame.routing_id = 0  # libzmq refuses 0 (it means "none")
    with pytest.raises((ValueError, OverflowError)):
        frame.routing_id = 1 << 32


def free_udp_port() -> int:
    with pysocket.socket(pysocket.AF_INET, pysocket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def radio_dish(
    socket: Callable[..., Any], transport: str, endpoint: Callable[[str], str]
) -> tuple[Any, Any]:
    radio, dish = socket(zmq.RADIO), socket(zmq.DISH)
    timeouts(radio, dish)
    if transport == "udp":
        port = free_udp_port()  # libzmq's udp bind has no wildcard port
        dish.bind(f"udp://127.0.0.1:{port}")
        radio.connect(f"udp://127.0.0.1:{port}")
    else:
        radio.bind(endpoint("tcp"))
        dish.connect(radio.last_endpoint.decode())
    return radio, dish


def sync_group(radio: Any, dish: Any, group: str) -> None:
    """Send to ``group`` until the dish receives one: its joins and leaves so far have
    reached the radio (tcp), or the udp path is up; earlier messages may be dropped."""
    poller = zmq.Poller()
    poller.register(dish, zmq.POLLIN)
    for _ in range(200):
        radio.send(b"sync", group=group)
        if poller.poll(50):
            frame = dish.recv(copy=False)
            assert (frame.group, frame.bytes) == (group, b"sync")
            while poller.poll(50):  # drain the other sync messages
                assert dish.recv(copy=False).group == group
            return
    pytest.fail(f"the dish never received a message of group {group!r}")


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_radio_dish_join_leave_and_filtering(
    socket: Callable[..., Any], endpoint: Callable[[str], str], transport: str
) -> None:
    radio, dish = radio_dish(socket, transport, endpoint)
    dish.join("news")
    dish.join(b"weather")  # bytes work too
    sync_group(radio, dish, "news")
    for group in ("sports", "news", "weather", "sports", "news"):
        radio.send(group.encode(), group=group)
    received = [dish.recv(copy=False) for _ in range(3)]
    assert [(f.group, f.bytes) for f in received] == [
        ("news", b"news"),
        ("weather", b"weather"),
        ("news", b"news"),
    ]
    dish.leave("news")
    dish.join("marker")
    sync_group(radio, dish, "marker")  # the leave went before the marker's join
    radio.send(b"dropped", group="news")
    radio.send(b"kept", group="weather")
    frame = dish.recv(copy=False)
    assert (frame.group, frame.bytes) == ("weather", b"kept")
    with pytest.raises(zmq.ZMQError) as info:
        dish.leave("never-joined")
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError, match="longer than"):
        dish.join("x" * 256)
    with pytest.raises(zmq.ZMQError, match="longer than"):
        radio.send(b"x", group="x" * 256)


def test_scatter_gather(socket: Callable[..., Any], endpoint: Callable[[str], str]) -> None:
    scatter = socket(zmq.SCATTER)
    gathers = [socket(zmq.GATHER) for _ in range(2)]
    timeouts(scatter, *gathers)
    scatter.bind(endpoint("tcp"))
    for g in gathers:
        g.connect(scatter.last_endpoint.decode())
    # both peers attached: a message to each comes back through the poller
    poller = zmq.Poller()
    for g in gathers:
        poller.register(g, zmq.POLLIN)
    sent = [f"m{i}".encode() for i in range(40)]
    for m in sent:
        scatter.send(m)
    got: list[bytes] = []
    while len(got) < len(sent):
        events = dict(poller.poll(TIMEOUT_MS))
        assert events, f"only {len(got)} of {len(sent)} messages arrived"
        for g in events:
            got.append(g.recv())
    assert sorted(got) == sorted(sent)
    with pytest.raises(zmq.ZMQError) as info:
        scatter.send(b"part", zmq.SNDMORE)  # thread-safe sockets send single frames
    assert info.value.errno == zmq.EINVAL


def test_channel_is_a_thread_safe_pair(bound_pair: Callable[..., Any]) -> None:
    a, b = bound_pair(zmq.CHANNEL, zmq.CHANNEL)
    a.send(b"ping")
    assert b.recv() == b"ping"
    b.send(b"pong")
    assert a.recv() == b"pong"
    assert a.get(zmq.THREAD_SAFE) == 1


def test_peer_sockets_exist(socket: Callable[..., Any]) -> None:
    """PEER needs zmq_connect_peer to address a peer, which pyzmq does not expose."""
    peer = socket(zmq.PEER)
    peer.bind("inproc://peer")
    assert peer.type == zmq.PEER and peer.get(zmq.THREAD_SAFE) == 1
    with pytest.raises(zmq.ZMQError) as info:
        peer.send(b"to nobody", routing_id=7)
    assert info.value.errno == zmq.EHOSTUNREACH


def test_client_shared_by_four_threads(bound_pair: Callable[..., Any]) -> None:
    """The point of thread-safe sockets: one CLIENT, four threads sending and receiving
    at once while a SERVER echoes; every reply arrives exactly once."""
    server, client = bound_pair(zmq.SERVER, zmq.CLIENT, "tcp")
    per_thread = 200
    total = 4 * per_thread
    stop = threading.Event()
    errors: list[BaseException] = []

    def echo() -> None:
        try:
            for _ in range(total):
                frame = server.recv(copy=False)
                server.send(frame.bytes, routing_id=frame.routing_id)
        except BaseException as e:
            errors.append(e)

    received: list[list[bytes]] = [[] for _ in range(4)]
    start = threading.Barrier(4)

    def work(n: int) -> None:
        try:
            start.wait(10)
            for i in range(per_thread):
                client.send(f"{n}:{i}".encode())
                if i % 3 == 0:  # interleave receives with sends
                    received[n].append(client.recv())
            while len(received[n]) < per_thread and not stop.is_set():
                received[n].append(client.recv())
        except BaseException as e:
            errors.append(e)
            stop.set()

    echoer = threading.Thread(target=echo, daemon=True)
    workers = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(4)]
    echoer.start()
    for w in workers:
        w.start()
    for t in [*workers, echoer]:
        t.join(30)
        assert not t.is_alive(), "a thread is stuck"
    assert errors == []
    replies = Counter(m for r in received for m in r)
    assert replies == Counter(f"{n}:{i}".encode() for n in range(4) for i in range(per_thread))
