"""zmq.devices over real sockets: devices in a thread, in the foreground (started from a
helper thread) and in a child process. Thread devices use their own Context, terminated
at the end of the test, which stops the device (ETERM) and lets it close its sockets."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import zmq
import zmq.devices
from zmq.devices import (
    Device,
    MonitoredQueue,
    ProcessDevice,
    ProcessMonitoredQueue,
    ProcessProxy,
    ProcessProxySteerable,
    Proxy,
    ProxySteerable,
    ThreadDevice,
    ThreadMonitoredQueue,
    ThreadProxy,
    ThreadProxySteerable,
)

TIMEOUT_MS = 10_000
LOCAL = "tcp://127.0.0.1"
# a forked child on Python >= 3.12 warns when the parent runs threads (libzmq's I/O threads)
fork_ok = pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")


def inproc() -> str:
    return f"inproc://dev-{uuid.uuid4().hex}"


def term_within(ctx: zmq.Context, seconds: float = 10.0) -> None:
    """term() a context whose only open sockets belong to a running device."""
    thread = threading.Thread(target=ctx.term, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "context.term() hung: the device did not close its sockets"


@pytest.fixture
def dev_ctx() -> Iterator[zmq.Context]:
    """A context for one thread device; terminating it stops the device."""
    ctx = zmq.Context()
    yield ctx
    if not ctx.closed:
        term_within(ctx)


def with_context(dev: Any, ctx: zmq.Context) -> Any:
    dev.context_factory = lambda: ctx
    return dev


def stop_thread_device(dev: Any, ctx: zmq.Context) -> None:
    term_within(ctx)
    dev.join(10)
    assert not dev.launcher.is_alive()
    assert dev.done


def client(context: zmq.Context, kind: int, addr: str) -> zmq.Socket:
    sock = context.socket(kind)
    sock.linger = 0
    sock.rcvtimeo = sock.sndtimeo = TIMEOUT_MS
    sock.connect(addr)
    return sock


def test_exports() -> None:
    assert sorted(zmq.devices.__all__) == sorted(
        [
            "Device",
            "ThreadDevice",
            "ProcessDevice",
            "Proxy",
            "ThreadProxy",
            "ProcessProxy",
            "ProxySteerable",
            "ThreadProxySteerable",
            "ProcessProxySteerable",
            "monitored_queue",
            "MonitoredQueue",
            "ThreadMonitoredQueue",
            "ProcessMonitoredQueue",
        ]
    )
    for name in zmq.devices.__all__:
        assert getattr(zmq.devices, name) is not None
    assert zmq.devices.monitored_queue is zmq.backend.monitored_queue
    assert issubclass(ThreadProxySteerable, ThreadProxy)
    assert issubclass(ProcessMonitoredQueue, ProcessDevice)


def test_socket_types_required() -> None:
    with pytest.raises(TypeError, match="in_type"):
        Device(zmq.QUEUE)
    with pytest.raises(TypeError, match="out_type"):
        Device(zmq.QUEUE, zmq.ROUTER)
    with pytest.raises(TypeError, match="ctrl_type"):
        ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB)


def test_defaults() -> None:
    dev = ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    assert dev.daemon is True
    assert dev.done is False
    assert dev.device_type == zmq.QUEUE
    assert (dev.in_type, dev.out_type) == (zmq.ROUTER, zmq.DEALER)
    assert Device.context_factory() is zmq.Context.instance()
    assert ThreadDevice.context_factory() is zmq.Context.instance()
    px = ProxySteerable(zmq.PULL, zmq.PUSH, ctrl_type=zmq.PAIR)
    assert (px.mon_type, px.ctrl_type) == (zmq.PUB, zmq.PAIR)
    mq = MonitoredQueue(zmq.ROUTER, zmq.DEALER)
    assert isinstance(mq, Proxy)


def test_thread_queue_tcp_random_ports(context: zmq.Context, dev_ctx: zmq.Context) -> None:
    dev = with_context(ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER), dev_ctx)
    in_port = dev.bind_in_to_random_port(LOCAL)
    out_port = dev.bind_out_to_random_port(LOCAL, min_port=20000, max_port=60000)
    assert isinstance(in_port, int) and 20000 <= out_port < 60000 and in_port != out_port
    dev.start()
    assert dev.launcher.daemon is True
    req = client(context, zmq.REQ, f"{LOCAL}:{in_port}")
    rep = client(context, zmq.REP, f"{LOCAL}:{out_port}")
    for i in range(3):
        req.send(b"ping %d" % i)
        assert rep.recv() == b"ping %d" % i
        rep.send(b"pong %d" % i)
        assert req.recv() == b"pong %d" % i
    stop_thread_device(dev, dev_ctx)


def test_thread_forwarder_options_applied(dev_ctx: zmq.Context) -> None:
    """setsockopt_in reaches the device's SUB socket: only subscribed topics pass."""
    a_in, a_out = inproc(), inproc()
    dev = with_context(ThreadDevice(zmq.FORWARDER, zmq.SUB, zmq.PUB), dev_ctx)
    dev.setsockopt_in(zmq.SUBSCRIBE, b"keep")
    dev.bind_in(a_in)
    dev.bind_out(a_out)
    dev.daemon = False
    dev.start()
    assert dev.launcher.daemon is False
    with dev_ctx.socket(zmq.PUB) as pub, dev_ctx.socket(zmq.SUB) as sub:
        pub.linger = sub.linger = 0
        sub.subscribe(b"")
        sub.rcvtimeo = TIMEOUT_MS
        pub.connect(a_in)
        sub.connect(a_out)
        # PUB/SUB joins are asynchronous: publish until the first message gets through
        while True:
            pub.send(b"keep-sync")
            if sub.poll(100):
                break
        while sub.poll(100):  # drain duplicates of the sync message
            sub.recv()
        pub.send(b"drop this")
        pub.send(b"keep this")
        assert sub.recv() == b"keep this"
        assert sub.poll(200) == 0
    stop_thread_device(dev, dev_ctx)


def test_device_single_socket_when_out_type_negative(dev_ctx: zmq.Context) -> None:
    """out_type < 0: the in-socket is both sides, so a ROUTER queue echoes to the sender."""
    addr = inproc()
    dev = with_context(ThreadDevice(zmq.QUEUE, zmq.ROUTER, -1), dev_ctx)
    dev.bind_in(addr)
    dev.start()
    with client(dev_ctx, zmq.DEALER, addr) as dealer:
        dealer.send_multipart([b"echo", b"me"])
        assert dealer.recv_multipart() == [b"echo", b"me"]
    stop_thread_device(dev, dev_ctx)


@pytest.mark.parametrize("method", ["connect_in", "connect_out", "bind_out_to_random_port"])
def test_single_socket_device_takes_requests_of_both_sides(
    context: zmq.Context, dev_ctx: zmq.Context, method: str
) -> None:
    """out_type < 0: requests queued for the out side apply to the one socket as well."""
    dev = with_context(ThreadDevice(zmq.QUEUE, zmq.REP, -1), dev_ctx)
    req = context.socket(zmq.REQ)
    req.linger = 0
    req.rcvtimeo = req.sndtimeo = TIMEOUT_MS
    if method.startswith("connect"):
        port = req.bind_to_random_port(LOCAL)
        getattr(dev, method)(f"{LOCAL}:{port}")
    else:
        port = getattr(dev, method)(LOCAL)
    dev.start()
    if not method.startswith("connect"):
        req.connect(f"{LOCAL}:{port}")
    with req:
        req.send(b"hello")
        assert req.recv() == b"hello"
    stop_thread_device(dev, dev_ctx)


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_random_port_reservations_never_repeat(dev_ctx: zmq.Context) -> None:
    """A device hands out each reserved endpoint once; when its range holds no other
    free port, reserving raises ZMQBindError (a one-port range: the system's pick)."""
    port = free_tcp_port()
    dev = with_context(ProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR), dev_ctx)
    assert dev.bind_in_to_random_port(LOCAL, min_port=port, max_port=port + 1) == port
    for reserve in (
        dev.bind_in_to_random_port,
        dev.bind_out_to_random_port,
        dev.bind_mon_to_random_port,
        dev.bind_ctrl_to_random_port,
    ):
        with pytest.raises(zmq.ZMQBindError):
            reserve(LOCAL, min_port=port, max_port=port + 1, max_tries=5)
    # a wide range still finds ports, all distinct
    ports = {port}
    for reserve in (dev.bind_out_to_random_port, dev.bind_mon_to_random_port):
        ports.add(reserve(LOCAL))
    assert len(ports) == 3


def test_foreground_device_start_blocks_until_stopped(dev_ctx: zmq.Context) -> None:
    addr_in, addr_out = inproc(), inproc()
    dev = with_context(Device(zmq.STREAMER, zmq.PULL, zmq.PUSH), dev_ctx)
    dev.bind_in(addr_in)
    dev.connect_out(addr_out)
    with dev_ctx.socket(zmq.PULL) as sink:
        sink.bind(addr_out)
        sink.rcvtimeo = TIMEOUT_MS
        runner = threading.Thread(target=dev.start, daemon=True)
        runner.start()
        with client(dev_ctx, zmq.PUSH, addr_in) as source:
            source.send(b"through")
            assert sink.recv() == b"through"
        sink.linger = 0
    assert dev.done is False
    term_within(dev_ctx)
    runner.join(10)
    assert not runner.is_alive()
    dev.join(1)
    assert dev.done


def test_thread_proxy_monitor(context: zmq.Context, dev_ctx: zmq.Context) -> None:
    dev = with_context(ThreadProxy(zmq.PULL, zmq.PUSH, zmq.PUB), dev_ctx)
    port_in = dev.bind_in_to_random_port(LOCAL)
    port_out = dev.bind_out_to_random_port(LOCAL)
    port_mon = dev.bind_mon_to_random_port(LOCAL)
    dev.setsockopt_mon(zmq.SNDHWM, 0)
    dev.start()
    mon = client(context, zmq.SUB, f"{LOCAL}:{port_mon}")
    mon.subscribe(b"")
    push = client(context, zmq.PUSH, f"{LOCAL}:{port_in}")
    pull = client(context, zmq.PULL, f"{LOCAL}:{port_out}")
    # every message goes to pull; the monitor sees them once its subscription arrived
    seen: list[list[bytes]] = []
    i = 0
    while not seen:
        push.send_multipart([b"msg", b"%d" % i])
        assert pull.recv_multipart() == [b"msg", b"%d" % i]
        if mon.poll(100):
            seen.append(mon.recv_multipart())
        i += 1
    assert seen[0][0] == b"msg"
    stop_thread_device(dev, dev_ctx)


def test_thread_proxy_steerable_pause_resume_terminate(dev_ctx: zmq.Context) -> None:
    a_in, a_out, a_mon, a_ctrl = inproc(), inproc(), inproc(), inproc()
    dev = with_context(ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR), dev_ctx)
    dev.bind_in(a_in)
    dev.bind_out(a_out)
    dev.bind_mon(a_mon)
    dev.setsockopt_ctrl(zmq.LINGER, 0)
    dev.bind_ctrl(a_ctrl)
    dev.start()
    push = client(dev_ctx, zmq.PUSH, a_in)
    pull = client(dev_ctx, zmq.PULL, a_out)
    ctrl = client(dev_ctx, zmq.PAIR, a_ctrl)
    try:
        push.send(b"one")
        assert pull.recv() == b"one"
        ctrl.send(b"PAUSE")
        # the pause takes effect before the proxy reads any later message from push
        ctrl.send(b"STATISTICS")
        assert len(ctrl.recv_multipart()) == 8
        push.send(b"two")
        assert pull.poll(200) == 0
        ctrl.send(b"RESUME")
        assert pull.recv() == b"two"
        ctrl.send(b"TERMINATE")
        dev.join(10)
        assert not dev.launcher.is_alive()
        assert dev.done
    finally:
        for sock in (push, pull, ctrl):
            sock.close()
    dev_ctx.term()


def test_thread_monitored_queue(dev_ctx: zmq.Context) -> None:
    a_in, a_out, a_mon = inproc(), inproc(), inproc()
    dev = with_context(
        ThreadMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUB, b"request", b"reply"), dev_ctx
    )
    dev.bind_in(a_in)
    dev.bind_out(a_out)
    dev.bind_mon(a_mon)
    dev.start()
    with client(dev_ctx, zmq.SUB, a_mon) as mon, client(dev_ctx, zmq.REQ, a_in) as req:
        rep = client(dev_ctx, zmq.REP, a_out)
        mon.subscribe(b"")
        req.send(b"hello")
        assert rep.recv() == b"hello"
        rep.send(b"world")
        assert req.recv() == b"world"
        first = mon.recv_multipart()  # inproc: the subscription was in place before
        assert first[0] == b"request" and first[-1] == b"hello" and first[-2] == b""
        second = mon.recv_multipart()
        assert second[0] == b"reply" and second[-1] == b"world"
        rep.close()
    stop_thread_device(dev, dev_ctx)


def stop_process(dev: Any) -> None:
    if dev.launcher is not None and dev.launcher.is_alive():
        dev.launcher.terminate()
    dev.join(10)
    assert not dev.launcher.is_alive()


@fork_ok
def test_process_proxy(context: zmq.Context) -> None:
    dev = ProcessProxy(zmq.PULL, zmq.PUSH, zmq.PUB)
    port_in = dev.bind_in_to_random_port(LOCAL)
    port_out = dev.bind_out_to_random_port(LOCAL)
    dev.bind_mon_to_random_port(LOCAL)
    try:
        dev.start()
        assert dev.launcher.daemon is True
        assert dev.launcher.pid != os.getpid()
        push = client(context, zmq.PUSH, f"{LOCAL}:{port_in}")
        pull = client(context, zmq.PULL, f"{LOCAL}:{port_out}")
        for i in range(5):
            push.send(b"%d" % i)
            assert pull.recv() == b"%d" % i
    finally:
        stop_process(dev)


@fork_ok
def test_process_proxy_steerable_terminate(context: zmq.Context) -> None:
    dev = ProcessProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR)
    port_in = dev.bind_in_to_random_port(LOCAL)
    port_out = dev.bind_out_to_random_port(LOCAL)
    dev.bind_mon_to_random_port(LOCAL)
    port_ctrl = dev.bind_ctrl_to_random_port(LOCAL)
    try:
        dev.start()
        push = client(context, zmq.PUSH, f"{LOCAL}:{port_in}")
        pull = client(context, zmq.PULL, f"{LOCAL}:{port_out}")
        ctrl = client(context, zmq.PAIR, f"{LOCAL}:{port_ctrl}")
        push.send(b"via process")
        assert pull.recv() == b"via process"
        ctrl.send(b"TERMINATE")
        dev.join(10)
        assert dev.launcher.exitcode == 0
    finally:
        stop_process(dev)


@fork_ok
def test_process_monitored_queue_and_device(context: zmq.Context) -> None:
    mq = ProcessMonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB)
    dv = ProcessDevice(zmq.STREAMER, zmq.PULL, zmq.PUSH)
    mq_in, mq_out = mq.bind_in_to_random_port(LOCAL), mq.bind_out_to_random_port(LOCAL)
    mq_mon = mq.bind_mon_to_random_port(LOCAL)
    # a chain: push -> monitored queue -> device -> pull
    dv.connect_in(f"{LOCAL}:{mq_out}")
    dv_out = dv.bind_out_to_random_port(LOCAL)
    try:
        mq.start()
        dv.start()
        mon = client(context, zmq.SUB, f"{LOCAL}:{mq_mon}")
        mon.subscribe(b"")
        push = client(context, zmq.PUSH, f"{LOCAL}:{mq_in}")
        pull = client(context, zmq.PULL, f"{LOCAL}:{dv_out}")
        i = 0
        while True:
            push.send(b"%d" % i)
            assert pull.recv() == b"%d" % i
            if mon.poll(100):
                prefix, body = mon.recv_multipart()
                assert prefix == b"in" and body.isdigit()
                break
            i += 1
    finally:
        stop_process(mq)
        stop_process(dv)
