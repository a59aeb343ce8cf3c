"""proxy, proxy_steerable, monitored_queue, CURVE and socket monitoring."""

from __future__ import annotations

import struct
import threading
from typing import Any

import pytest

from zmq import backend
from zmq.constants import Event, SocketOption, SocketType
from zmq.error import ContextTerminated

from .conftest import Sockets, last_endpoint


def run_in_thread(target: Any, *args: Any) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target(*args)
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def test_proxy_steerable_terminate(sockets: Sockets) -> None:
    frontend, backend_ = sockets(SocketType.PULL), sockets(SocketType.PUSH)
    control_in, control_out = sockets.pair(SocketType.PAIR, SocketType.PAIR, "inproc://ctl")
    frontend.bind("inproc://front")
    backend_.bind("inproc://back")
    producer, consumer = sockets(SocketType.PUSH), sockets(SocketType.PULL)
    producer.connect("inproc://front")
    consumer.connect("inproc://back")
    thread, errors = run_in_thread(backend.proxy_steerable, frontend, backend_, None, control_in)
    producer.send_multipart([b"through", b"proxy"])
    assert consumer.recv_multipart() == [b"through", b"proxy"]
    control_out.send(b"TERMINATE")
    thread.join(10)
    assert not thread.is_alive() and errors == []


def test_proxy_ends_with_context_termination() -> None:
    ctx = backend.Context()
    frontend, backend_ = backend.Socket(ctx, SocketType.PULL), backend.Socket(ctx, SocketType.PUSH)
    frontend.bind("inproc://pf")
    backend_.bind("inproc://pb")
    thread, errors = run_in_thread(backend.proxy, frontend, backend_)
    stop_device(ctx, thread, errors, [frontend, backend_])


def stop_device(
    ctx: Any, thread: threading.Thread, errors: list[BaseException], socks: list[Any]
) -> None:
    """Terminate ctx: the device thread ends with ContextTerminated; then close its
    sockets (never while the device still uses them) so term() can return."""
    term_thread, term_errors = run_in_thread(ctx.term)
    thread.join(10)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ContextTerminated)
    for sock in socks:
        sock.close(linger=0)
    term_thread.join(10)
    assert not term_thread.is_alive() and term_errors == []


def test_monitored_queue() -> None:
    ctx = backend.Context()
    ins, outs, mon = (
        backend.Socket(ctx, t) for t in (SocketType.ROUTER, SocketType.DEALER, SocketType.PUB)
    )
    ins.bind("inproc://mq-in")
    outs.bind("inproc://mq-out")
    mon.bind("inproc://mq-mon")
    client, worker, watcher = (
        backend.Socket(ctx, t) for t in (SocketType.DEALER, SocketType.DEALER, SocketType.SUB)
    )
    for sock in (client, worker, watcher):
        sock.set(SocketOption.RCVTIMEO, 10_000)
    client.set(SocketOption.ROUTING_ID, b"client")
    watcher.set(SocketOption.SUBSCRIBE, b"")
    client.connect("inproc://mq-in")
    worker.connect("inproc://mq-out")
    watcher.connect("inproc://mq-mon")
    thread, errors = run_in_thread(backend.monitored_queue, ins, outs, mon, b"in", b"out")
    client.send(b"request")
    assert worker.recv_multipart() == [b"client", b"request"]
    assert watcher.recv_multipart() == [b"in", b"client", b"request"]
    worker.send_multipart([b"client", b"reply"])
    assert client.recv() == b"reply"
    assert watcher.recv_multipart() == [b"out", b"client", b"reply"]
    with pytest.raises(TypeError):
        backend.monitored_queue(ins, "not a socket", mon)
    for sock in (client, worker, watcher):
        sock.close(linger=0)
    stop_device(ctx, thread, errors, [ins, outs, mon])


def test_curve_keys() -> None:
    if not backend.has("curve"):
        pytest.skip("libzmq built without CURVE")
    public, secret = backend.curve_keypair()
    assert len(public) == len(secret) == 40
    assert backend.curve_public(secret) == public
    assert backend.curve_public(secret.decode()) == public
    with pytest.raises(ValueError):
        backend.curve_public(b"short")


def test_curve_round_trip(sockets: Sockets) -> None:
    if not backend.has("curve"):
        pytest.skip("libzmq built without CURVE")
    server_public, server_secret = backend.curve_keypair()
    client_public, client_secret = backend.curve_keypair()
    server, client = sockets(SocketType.REP), sockets(SocketType.REQ)
    server.set(SocketOption.CURVE_SERVER, 1)
    server.set(SocketOption.CURVE_SECRETKEY, server_secret)
    client.set(SocketOption.CURVE_SERVERKEY, server_public)
    client.set(SocketOption.CURVE_PUBLICKEY, client_public)
    client.set(SocketOption.CURVE_SECRETKEY, client_secret)
    assert client.get(SocketOption.CURVE_SERVERKEY) == server_public
    assert server.get(SocketOption.CURVE_SERVER) == 1
    server.bind("tcp://127.0.0.1:*")
    client.connect(last_endpoint(server))
    client.send(b"secret hello")
    assert server.recv() == b"secret hello"
    server.send(b"secret reply")
    assert client.recv() == b"secret reply"


def parse_event(parts: list[bytes]) -> tuple[int, int, bytes]:
    event, value = struct.unpack("=HI", parts[0][:6])
    return event, value, parts[1]


def test_monitor_events(sockets: Sockets) -> None:
    server = sockets(SocketType.ROUTER)
    server.monitor("inproc://server-monitor", Event.ALL)
    watcher = sockets(SocketType.PAIR)
    watcher.connect("inproc://server-monitor")
    server.bind("tcp://127.0.0.1:*")
    endpoint = last_endpoint(server).encode()
    event, _, addr = parse_event(watcher.recv_multipart())
    assert (event, addr) == (Event.LISTENING, endpoint)
    client = sockets(SocketType.DEALER)
    client.monitor("inproc://client-monitor", Event.CONNECTED)
    client_watcher = sockets(SocketType.PAIR)
    client_watcher.connect("inproc://client-monitor")
    client.connect(endpoint.decode())
    event, _, addr = parse_event(client_watcher.recv_multipart())
    assert (event, addr) == (Event.CONNECTED, endpoint)
    event, fd, _ = parse_event(watcher.recv_multipart())
    assert event == Event.ACCEPTED and fd > 0
    server.monitor(None)  # stops monitoring: MONITOR_STOPPED is the last event
    events = [parse_event(watcher.recv_multipart())[0]]
    while events[-1] != Event.MONITOR_STOPPED:
        events.append(parse_event(watcher.recv_multipart())[0])
